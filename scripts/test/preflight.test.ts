/**
 * `npm test` checks for the programs its tests run for real before anything else, and on a machine without them
 * either installs them (root with apt-get) or stops within seconds naming exactly what to install; it never hangs.
 * The machine's real programs are hidden by running the preflight with a PATH that holds only what each test puts
 * there, and a PostgreSQL root that is empty unless the test fills it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT } from '../lib/exec.ts';

const PREFLIGHT = join(ROOT, 'scripts/preflight.mjs');
const isRoot = process.getuid?.() === 0;
const temp = mkdtempSync(join(tmpdir(), 'stage-automap-preflight-'));

after(() => {
    rmSync(temp, { recursive: true, force: true });
});

/** A folder to use as the whole PATH: node, plus the named programs as scripts that do nothing. */
function pathWith(name: string, programs: readonly string[]): string {
    const bin = join(temp, name, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    for (const program of programs) {
        writeFileSync(join(bin, program), '#!/bin/sh\nexit 0\n');
        chmodSync(join(bin, program), 0o755);
    }
    return bin;
}

/** An empty stand-in for /usr/lib/postgresql, or one holding a version with initdb and postgres. */
function postgresRoot(name: string, installed: boolean): string {
    const root = join(temp, name, 'postgresql');
    mkdirSync(root, { recursive: true });
    if (installed) {
        mkdirSync(join(root, '15', 'bin'), { recursive: true });
        writeFileSync(join(root, '15', 'bin', 'initdb'), '');
        writeFileSync(join(root, '15', 'bin', 'postgres'), '');
    }
    return root;
}

function preflight(
    path: string,
    pgRoot: string
): { status: number | null; stdout: string; stderr: string; ms: number } {
    const started = Date.now();
    const env: NodeJS.ProcessEnv = { PATH: path, STAGE_AUTOMAP_PG_ROOT: pgRoot, HOME: temp };
    const result = spawnSync(join(path, 'node'), [PREFLIGHT], { env, encoding: 'utf8', timeout: 60000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

describe('npm test preflight (scripts/preflight.mjs)', () => {
    test('without Chromium, PostgreSQL, ShellCheck and Java, and no way to install them, it stops at once saying what to install', () => {
        const result = preflight(pathWith('bare', []), postgresRoot('bare', false));
        assert.equal(result.status, 1);
        assert.ok(result.ms < 20000, `it stops within seconds (${String(result.ms)} ms)`);
        for (const line of [
            'Chromium (Debian package chromium)',
            'PostgreSQL (Debian package postgresql)',
            'ShellCheck (Debian package shellcheck)',
            'Java (Debian package default-jre-headless)',
            'sudo apt-get install -y chromium postgresql shellcheck default-jre-headless'
        ]) {
            assert.ok(result.stderr.includes(line), `names ${line}:\n${result.stderr}`);
        }
        assert.match(result.stderr, isRoot ? /apt-get is not on PATH/ : /not root/);
    });

    test('names only what is missing', () => {
        const result = preflight(pathWith('partial', ['chromium', 'java']), postgresRoot('partial', true));
        assert.equal(result.status, 1);
        assert.match(result.stderr, /sudo apt-get install -y shellcheck\n/);
        assert.doesNotMatch(result.stderr, /Chromium|PostgreSQL|Java \(/);
    });

    test('passes silently when everything is there', () => {
        const result = preflight(
            pathWith('complete', ['chromium', 'shellcheck', 'java']),
            postgresRoot('complete', true)
        );
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout + result.stderr, '');
    });

    test(
        'as root with apt-get, it installs the missing packages and goes on',
        { skip: !isRoot && 'needs root' },
        () => {
            // A stand-in apt-get that records its calls and "installs" the packages it is given into this PATH folder.
            const bin = pathWith('installable', []);
            const pgRoot = postgresRoot('installable', false);
            const log = join(temp, 'installable', 'apt-calls.log');
            writeFileSync(
                join(bin, 'apt-get'),
                [
                    '#!/bin/sh',
                    `echo "$*" >> '${log}'`,
                    'case "$*" in *" install "*)',
                    `  for p in chromium shellcheck java; do printf '#!/bin/sh\\n' > '${bin}'/$p; /bin/chmod +x '${bin}'/$p; done`,
                    `  /bin/mkdir -p '${pgRoot}/15/bin' && /usr/bin/touch '${pgRoot}/15/bin/initdb' '${pgRoot}/15/bin/postgres' ;;`,
                    'esac'
                ].join('\n')
            );
            chmodSync(join(bin, 'apt-get'), 0o755);
            const result = preflight(bin, pgRoot);
            assert.equal(result.status, 0, result.stderr);
            assert.match(result.stdout, /installing chromium, postgresql, shellcheck, default-jre-headless/);
            const calls = readFileSync(log, 'utf8').trim().split('\n');
            assert.equal(calls.length, 2);
            assert.match(calls[0] ?? '', /update/);
            assert.match(
                calls[1] ?? '',
                /install -y -qq --no-install-recommends chromium postgresql shellcheck default-jre-headless$/
            );
        }
    );
});
