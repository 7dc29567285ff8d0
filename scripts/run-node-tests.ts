/**
 * Runs the Node-side tests (stage service, CLI, offline package checks, preview) with Node's own test runner.
 * Node 20's `--test` neither expands globs nor finds `.ts` files, so the files are listed here and run with tsx.
 *
 * Usage: tsx scripts/run-node-tests.ts [path-substring ...]   (no argument: every test file)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const TEST_DIRS = ['scripts/test', 'service/test', 'preview/test'];

function findTests(dir: string): string[] {
    let entries: string[];
    try {
        entries = readdirSync(dir);
    } catch {
        return [];
    }
    return entries.flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            return name === 'fixtures' || name === 'node_modules' ? [] : findTests(path);
        }
        return name.endsWith('.test.ts') ? [path] : [];
    });
}

const filters = process.argv.slice(2);
const files = TEST_DIRS.flatMap((dir) => findTests(join(ROOT, dir)))
    .map((file) => relative(ROOT, file))
    .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
    .sort();

if (files.length === 0) {
    console.error(`No Node test file matches ${filters.join(', ') || 'the test folders'}.`);
    process.exit(1);
}

// One file at a time: the service tests start databases and servers, and two cores are all CI has.
const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } }
);
process.exit(result.status ?? 1);
