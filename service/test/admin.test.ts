/**
 * The operator's admin CLI (`npm run --silent service:admin`), run as a process against the same database as two
 * running service instances, on SQLite and on PostgreSQL: create a customer and use its key; add, rotate (with and
 * without a grace period) and revoke keys; a revoked key stops on every instance at once; listings never show a key;
 * every command has --help, --json, clear errors and exit codes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hashApiKey } from '../src/ids.ts';
import { silentLogger } from '../src/logger.ts';
import { startService } from '../src/server.ts';
import type { RunningService } from '../src/server.ts';
import type { SqlStore } from '../src/store/index.ts';
import { DB_KINDS, freshDatabase } from './helpers.ts';
import type { Database } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** `service:admin` as a process, configured like the service: DATABASE_URL or DATA_DIR. */
function admin(database: Database, ...args: string[]): Promise<Run> {
    const env =
        database.kind === 'postgres'
            ? { DATABASE_URL: database.location }
            : { DATABASE_URL: '', DATA_DIR: dirname(database.location) };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'service/src/admin.ts', ...args], {
            cwd: ROOT,
            env: { ...process.env, ...env },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.once('error', reject);
        child.once('exit', (code) => {
            resolve({ code, stdout, stderr });
        });
    });
}

function json(run: Run): unknown {
    assert.equal(run.code, 0, `exit ${String(run.code)}: ${run.stderr}`);
    return JSON.parse(run.stdout);
}

async function status(service: RunningService, apiKey: string): Promise<number> {
    const response = await fetch(`${service.url}/v1/stages`, { headers: { Authorization: `Bearer ${apiKey}` } });
    await response.arrayBuffer();
    return response.status;
}

interface Issued {
    teamId: string;
    keyId: string;
    apiKey: string;
}

interface KeyRow {
    keyId: string;
    status: string;
    lastUsedAt: string | null;
    expiresAt: string | null;
    revokedAt: string | null;
}

describe('the admin CLI', () => {
    for (const kind of DB_KINDS) {
        test(`creates a customer, adds, rotates and revokes keys, on every instance at once [${kind}]`, async () => {
            const database = await freshDatabase(kind);
            // Two instances of the service on the database the CLI changes (each its own store, as two processes).
            const stores: SqlStore[] = [await database.open(), await database.open()];
            const services = await Promise.all(
                stores.map((store) => startService({ store, port: 0, logger: silentLogger() }))
            );
            const onEvery = async (apiKey: string): Promise<number[]> =>
                Promise.all(services.map((service) => status(service, apiKey)));
            try {
                const created = json(await admin(database, 'team', 'create', 'Acme Corp', '--json')) as Issued;
                assert.deepEqual(Object.keys(created).sort(), ['apiKey', 'keyId', 'teamId']);
                assert.match(created.apiKey, /^sam_/);
                assert.deepEqual(await onEvery(created.apiKey), [200, 200]);

                const teams = json(await admin(database, 'team', 'list', '--json')) as {
                    teams: { teamId: string; name: string; activeKeys: number }[];
                };
                assert.deepEqual(
                    teams.teams.map((team) => [team.teamId, team.name, team.activeKeys]),
                    [[created.teamId, 'Acme Corp', 1]]
                );

                // A second key works beside the first.
                const added = json(await admin(database, 'key', 'add', created.teamId, '--json')) as Issued;
                assert.deepEqual(await onEvery(added.apiKey), [200, 200]);
                assert.deepEqual(await onEvery(created.apiKey), [200, 200]);

                // Revoked: stops at once on both instances, which both just accepted it; the other key works on.
                const revoked = json(await admin(database, 'key', 'revoke', added.keyId, '--json')) as {
                    keyId: string;
                    alreadyRevoked: boolean;
                    activeKeysLeft: number;
                };
                assert.deepEqual(
                    [revoked.keyId, revoked.alreadyRevoked, revoked.activeKeysLeft],
                    [added.keyId, false, 1]
                );
                assert.deepEqual(await onEvery(added.apiKey), [401, 401]);
                assert.deepEqual(await onEvery(created.apiKey), [200, 200]);
                const again = json(await admin(database, 'key', 'revoke', added.keyId, '--json')) as {
                    alreadyRevoked: boolean;
                };
                assert.equal(again.alreadyRevoked, true);

                // Rotated with the default grace: the old key works until the grace ends, a day from now.
                const before = Date.now();
                const rotated = json(await admin(database, 'key', 'rotate', created.teamId, '--json')) as Issued & {
                    graceUntil: string;
                    expiringKeyIds: string[];
                };
                assert.deepEqual(rotated.expiringKeyIds, [created.keyId]);
                const grace = Date.parse(rotated.graceUntil) - before;
                assert.ok(grace > 23.9 * 3600_000 && grace <= 24 * 3600_000 + 60_000, `grace ${grace} ms`);
                assert.deepEqual(await onEvery(created.apiKey), [200, 200]);
                assert.deepEqual(await onEvery(rotated.apiKey), [200, 200]);

                // Rotated again with a 1 s grace: the first key's end moves earlier, never later.
                json(await admin(database, 'key', 'rotate', created.teamId, '--grace', '1s', '--json')) as Issued;
                await new Promise((resolve) => setTimeout(resolve, 1300));
                assert.deepEqual(await onEvery(created.apiKey), [401, 401]);
                assert.deepEqual(await onEvery(rotated.apiKey), [401, 401]);

                // Rotated with no grace: every other key stops now.
                const latest = json(await admin(database, 'key', 'list', created.teamId, '--json')) as {
                    keys: KeyRow[];
                };
                const working = latest.keys.filter((key) => key.status === 'active');
                assert.equal(working.length, 1);
                const now = json(
                    await admin(database, 'key', 'rotate', created.teamId, '--grace', '0', '--json')
                ) as Issued;
                assert.deepEqual(await onEvery(now.apiKey), [200, 200]);

                const listed = await admin(database, 'key', 'list', created.teamId, '--json');
                const keys = json(listed) as { teamId: string; keys: KeyRow[] };
                assert.deepEqual(
                    keys.keys.map((key) => key.status),
                    ['expired', 'revoked', 'expired', 'expired', 'active']
                );
                assert.ok(keys.keys[0]?.lastUsedAt, 'the first key was used: its last use is recorded');
                // Never a key, never a hash, in any listing.
                const text = await admin(database, 'key', 'list', created.teamId);
                assert.equal(text.code, 0);
                for (const output of [listed.stdout, text.stdout, (await admin(database, 'team', 'list')).stdout]) {
                    for (const issued of [created, added, rotated, now]) {
                        assert.ok(!output.includes(issued.apiKey), 'no key in a listing');
                        assert.ok(!output.includes(hashApiKey(issued.apiKey)), 'no key hash in a listing');
                    }
                }
                assert.match(text.stdout, /KEY ID\s+STATUS\s+CREATED\s+LAST USED/);
            } finally {
                await Promise.all(services.map((service) => service.close()));
                await Promise.all(stores.map((store) => store.close()));
                await database.remove();
            }
        });

        test(`an unknown team or key, or a bad name, is refused with exit code 1 [${kind}]`, async () => {
            const database = await freshDatabase(kind);
            try {
                const refused: [string[], RegExp][] = [
                    [['key', 'list', 'team_missing'], /There is no team "team_missing"/],
                    [['key', 'add', 'team_missing'], /There is no team/],
                    [['key', 'rotate', 'team_missing'], /There is no team/],
                    [['key', 'revoke', 'key_missing'], /There is no key "key_missing"/],
                    [['team', 'create', '\u0085'], /control characters/]
                ];
                for (const [args, message] of refused) {
                    const run = await admin(database, ...args, '--json');
                    assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
                    assert.equal(run.stdout, '', `${args.join(' ')}: errors go to stderr`);
                    const problem = JSON.parse(run.stderr) as { error: string; exitCode: number };
                    assert.match(problem.error, message, args.join(' '));
                    assert.equal(problem.exitCode, 1);
                }
                const empty = await admin(database, 'team', 'list');
                assert.match(empty.stdout, /No teams yet/);
            } finally {
                await database.remove();
            }
        });
    }

    test('--help on every command; a wrong command line is exit code 2 and says what is wrong', async () => {
        const database = await freshDatabase('sqlite');
        try {
            const help = await admin(database, '--help');
            assert.equal(help.code, 0);
            for (const command of ['team create', 'team list', 'key add', 'key rotate', 'key revoke', 'key list']) {
                assert.ok(help.stdout.includes(command), `the overview names ${command}`);
                const own = await admin(database, ...command.split(' '), '--help');
                assert.equal(own.code, 0, command);
                assert.match(own.stdout, new RegExp(`^Usage: npm run --silent service:admin -- ${command}`));
            }
            const wrong: [string[], RegExp][] = [
                [['team', 'frobnicate'], /Unknown command "team frobnicate"/],
                [['team', 'create'], /needs a NAME/],
                [['key', 'list'], /key list needs TEAM_ID/],
                [['key', 'list', 'a', 'b'], /takes one TEAM_ID/],
                [['key', 'rotate', 'team_x', '--grace', 'soon'], /not a duration/],
                [['key', 'add', 'team_x', '--grace', '1h'], /--grace is an option of key rotate only/],
                [['team', 'list', '--verbose'], /Unknown option --verbose/]
            ];
            for (const [args, message] of wrong) {
                const run = await admin(database, ...args);
                assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
                assert.match(run.stderr, message, args.join(' '));
                assert.match(run.stderr, /--help/, `${args.join(' ')}: points to the help`);
                assert.equal(run.stdout, '');
            }
            const asJson = await admin(database, 'key', 'list', '--json');
            assert.equal(asJson.code, 2);
            assert.deepEqual(Object.keys(JSON.parse(asJson.stderr) as object).sort(), ['error', 'exitCode']);
        } finally {
            await database.remove();
        }
    });

    test('a database that cannot be reached is exit code 3 with the reason', async () => {
        const database: Database = {
            kind: 'postgres',
            location: 'postgresql://nobody@127.0.0.1:9/none',
            open: () => Promise.reject(new Error('unused')),
            remove: () => Promise.resolve()
        };
        const run = await admin(database, 'team', 'list');
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stderr, /Cannot open the database/);
    });
});
