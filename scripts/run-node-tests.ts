/**
 * Runs the Node-side tests (stage service, CLI, offline package checks, preview) with Node's own test runner, one
 * file at a time, each in its own process group with a time limit.
 *
 * Why one process per file with a limit: a test file that cannot finish (a `before` hook that started a server and
 * then failed, leaving a socket open; a promise nobody settles) would otherwise keep `npm test` and CI waiting for
 * ever. Each file gets `--test-force-exit` (the process ends when its tests end, whatever handles are left open) and
 * a wall-clock limit after which the whole process group is killed and the file counted as failed, loudly.
 * Node 20's `--test` neither expands globs nor finds `.ts` files, so the files are listed here and run with tsx.
 *
 * Usage: tsx scripts/run-node-tests.ts [path-substring ...]   (no argument: every test file)
 * Environment: NODE_TEST_FILE_TIMEOUT_S overrides every file's limit (seconds).
 *
 * The last line sums every file: `node tests: N passed, N failed, N files, N timed out` (scripts/test-all.ts reads it).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib/exec.ts';

const TEST_DIRS = ['cli/test', 'scripts/test', 'service/test', 'preview/test'];

/** Far above what any file takes here (the slowest, the browser tests, take about a minute and a half). */
const DEFAULT_FILE_LIMIT_S = 300;

export interface FileResult {
    file: string;
    passed: number;
    failed: number;
    timedOut: boolean;
    exitCode: number;
    seconds: number;
}

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

/**
 * Reads the `ℹ pass N` / `ℹ fail N` / `ℹ cancelled N` totals Node's spec reporter prints at the end of a file: the
 * last ones, since a test's own output may hold such lines too.
 */
export function countsOf(output: string): { passed: number; failed: number } {
    const number = (label: string): number => {
        const all = [...output.matchAll(new RegExp(`^ℹ ${label} (\\d+)$`, 'gm'))];
        return Number(all.at(-1)?.[1] ?? 0);
    };
    return { passed: number('pass'), failed: number('fail') + number('cancelled') };
}

/** Runs one test file to completion or to its limit; its output streams through as it comes. */
export function runTestFile(
    file: string,
    limitSeconds: number,
    options: { cwd?: string; echo?: boolean } = {}
): Promise<FileResult> {
    const echo = options.echo ?? true;
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(
            process.execPath,
            ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', file],
            { cwd: options.cwd ?? ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: testEnv() }
        );
        let output = '';
        let timedOut = false;
        const collect = (chunk: Buffer, to: NodeJS.WriteStream): void => {
            output += chunk.toString();
            if (echo) {
                to.write(chunk);
            }
        };
        child.stdout.on('data', (chunk: Buffer) => {
            collect(chunk, process.stdout);
        });
        child.stderr.on('data', (chunk: Buffer) => {
            collect(chunk, process.stderr);
        });
        const timer = setTimeout(() => {
            timedOut = true;
            console.error(
                `\n✖ ${file} did not finish within its limit of ${String(limitSeconds)} s: killed (a hook or an open ` +
                    'handle kept it running; look at its last output above).'
            );
            killGroup(child.pid);
        }, limitSeconds * 1000);
        child.on('close', (code) => {
            clearTimeout(timer);
            const counts = countsOf(output);
            const failed = timedOut || code !== 0 ? Math.max(counts.failed, 1) : counts.failed;
            resolve({
                file,
                passed: counts.passed,
                failed,
                timedOut,
                exitCode: code ?? 1,
                seconds: (Date.now() - started) / 1000
            });
        });
    });
}

/**
 * The environment of a test process. NODE_TEST_CONTEXT is removed: it is set inside a running test, and a child
 * `node --test` that inherits it reports to its parent's protocol instead of printing its own results.
 */
function testEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
    delete env.NODE_TEST_CONTEXT;
    return env;
}

/** The file's whole process group: a test's own children (servers, browsers, databases) go with it. */
function killGroup(pid: number | undefined): void {
    if (pid === undefined) {
        return;
    }
    try {
        process.kill(-pid, 'SIGKILL');
    } catch {
        // Already gone.
    }
}

function fileLimit(): number {
    const fromEnv = Number(process.env.NODE_TEST_FILE_TIMEOUT_S);
    return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_FILE_LIMIT_S;
}

async function main(): Promise<void> {
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
    const results: FileResult[] = [];
    for (const file of files) {
        results.push(await runTestFile(file, fileLimit()));
    }

    const passed = results.reduce((sum, result) => sum + result.passed, 0);
    const failed = results.reduce((sum, result) => sum + result.failed, 0);
    const timedOut = results.filter((result) => result.timedOut);
    console.log('\n=== node test files');
    for (const result of results) {
        const mark = result.failed > 0 ? 'FAIL' : 'ok  ';
        const note = result.timedOut ? '  (killed at its time limit)' : '';
        console.log(
            `${mark}  ${result.seconds.toFixed(1).padStart(6)} s  ${String(result.passed).padStart(4)} passed  ${String(result.failed).padStart(3)} failed  ${result.file}${note}`
        );
    }
    console.log(
        `node tests: ${String(passed)} passed, ${String(failed)} failed, ${String(results.length)} files, ${String(timedOut.length)} timed out`
    );
    process.exit(failed > 0 || results.some((result) => result.exitCode !== 0) ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    await main();
}
