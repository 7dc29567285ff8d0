/**
 * A real PostgreSQL server for tests and benches, never an imitation.
 *
 * - `TEST_DATABASE_URL` (or else `DATABASE_URL`) set: that server is used; each `createDatabase()` makes a fresh
 *   database on it and `stop()` drops them.
 * - Otherwise a throwaway server is started from Debian's binaries (`/usr/lib/postgresql/<version>/bin`, the
 *   `postgresql` package): `initdb` into a temporary folder under /tmp, `postgres` on a free 127.0.0.1 port with its
 *   unix socket in that folder, durability off (fsync) because it lives for one test file. PostgreSQL refuses to
 *   run as root, so as root both run as the `postgres` OS user (spawned with its uid and gid).
 * - No binaries and no URL: it fails, saying to `apt-get install postgresql`. It never skips silently.
 *
 * Standalone: `npx tsx scripts/pg-test-server.ts` starts one and prints its URL until Ctrl-C.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
    url: string;
    drop(): Promise<void>;
}

export interface TestPostgres {
    /** The server's maintenance database URL. */
    url: string;
    /** True when this process started the server (false when a URL was given). */
    owned: boolean;
    /** A fresh, empty database on the server. */
    createDatabase(): Promise<TestDatabase>;
    /** Drops the databases it created; stops the server when it started it. */
    stop(): Promise<void>;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest Debian PostgreSQL bin folder holding initdb and postgres, or undefined. */
export function findPostgresBinaries(): string | undefined {
    if (process.env.PG_BIN_DIR && existsSync(join(process.env.PG_BIN_DIR, 'postgres'))) {
        return process.env.PG_BIN_DIR;
    }
    if (!existsSync(POSTGRES_ROOT)) {
        return undefined;
    }
    return readdirSync(POSTGRES_ROOT)
        .filter((version) => /^\d+(\.\d+)?$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(POSTGRES_ROOT, version, 'bin'))
        .find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => {
                resolve(port);
            });
        });
    });
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The uid and gid to run PostgreSQL as: the `postgres` user when we are root, else ourselves. */
function runAs(): { uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) {
        return undefined;
    }
    try {
        return {
            uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
            gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
        };
    } catch {
        throw new Error(
            'Running as root, PostgreSQL needs the `postgres` OS user, which does not exist: `apt-get install postgresql` creates it.'
        );
    }
}

async function waitUntilReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    let lastError: unknown;
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`PostgreSQL exited at start:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`);
        }
        const client = new pg.Client({ connectionString: url });
        try {
            await client.connect();
            await client.query('SELECT 1');
            await client.end();
            return;
        } catch (error) {
            lastError = error;
            await client.end().catch(() => undefined);
            await sleep(100);
        }
    }
    throw new Error(`PostgreSQL did not accept connections within 30 s: ${String(lastError)}`);
}

function databaseUrl(serverUrl: string, database: string): string {
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    return url.toString();
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
        await client.query(sql);
    } finally {
        await client.end();
    }
}

function databaseFactory(serverUrl: string, created: Set<string>): () => Promise<TestDatabase> {
    return async () => {
        const name = `sam_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
        await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
        created.add(name);
        return {
            url: databaseUrl(serverUrl, name),
            drop: async () => {
                if (created.delete(name)) {
                    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
                }
            }
        };
    };
}

async function dropAll(serverUrl: string, created: Set<string>): Promise<void> {
    for (const name of [...created]) {
        created.delete(name);
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    }
}

export async function startTestPostgres(): Promise<TestPostgres> {
    const created = new Set<string>();
    const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
    if (given) {
        return {
            url: given,
            owned: false,
            createDatabase: databaseFactory(given, created),
            stop: () => dropAll(given, created)
        };
    }
    const bin = findPostgresBinaries();
    if (!bin) {
        throw new Error(
            'No PostgreSQL server for the tests: none found in /usr/lib/postgresql/*/bin and TEST_DATABASE_URL is not set. ' +
                'Install one with `apt-get install postgresql` (or point TEST_DATABASE_URL at a server).'
        );
    }
    const user = runAs();
    const dir = mkdtempSync('/tmp/sam-pg-');
    const data = join(dir, 'data');
    const socketDir = join(dir, 'sock');
    const logFile = join(dir, 'postgres.log');
    mkdirSync(socketDir);
    if (user) {
        for (const path of [dir, socketDir]) {
            chownSync(path, user.uid, user.gid);
        }
    }
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
    const init = spawnSync(
        join(bin, 'initdb'),
        ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
        { cwd: dir, env, encoding: 'utf8', ...(user ?? {}) }
    );
    if (init.status !== 0) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`initdb failed (${bin}):\n${init.stderr || init.stdout || String(init.error)}`);
    }
    const port = await freePort();
    const log = openSync(logFile, 'a');
    if (user) {
        chownSync(logFile, user.uid, user.gid);
    }
    const child = spawn(
        join(bin, 'postgres'),
        [
            '-D',
            data,
            '-p',
            String(port),
            '-k',
            socketDir,
            '-c',
            'listen_addresses=127.0.0.1',
            '-c',
            'fsync=off',
            '-c',
            'synchronous_commit=off',
            '-c',
            'full_page_writes=off',
            '-c',
            'max_connections=200'
        ],
        { cwd: dir, env, stdio: ['ignore', log, log], ...(user ?? {}) }
    );
    // If this process dies without stop(), take the server down with it (immediate shutdown) and clean up.
    const onExit = (): void => {
        if (child.exitCode === null) {
            child.kill('SIGQUIT');
        }
        rmSync(dir, { recursive: true, force: true });
    };
    process.on('exit', onExit);
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    try {
        await waitUntilReady(url, child, logFile);
    } catch (error) {
        onExit();
        process.off('exit', onExit);
        throw error;
    }
    let stopped: Promise<void> | undefined;
    return {
        url,
        owned: true,
        createDatabase: databaseFactory(url, created),
        stop: () => {
            stopped ??= (async () => {
                created.clear();
                if (child.exitCode === null && child.signalCode === null) {
                    const exited = new Promise<void>((resolve) =>
                        child.once('exit', () => {
                            resolve();
                        })
                    );
                    child.kill('SIGINT');
                    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
                    await exited;
                    clearTimeout(timer);
                }
                process.off('exit', onExit);
                rmSync(dir, { recursive: true, force: true });
            })();
            return stopped;
        }
    };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const server = await startTestPostgres();
    const database = await server.createDatabase();
    console.log(`PostgreSQL ready: ${database.url}\n(Ctrl-C stops it and removes its files.)`);
    const stop = (): void => {
        void database
            .drop()
            .then(() => server.stop())
            .then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}
