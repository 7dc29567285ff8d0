/**
 * PostgreSQL through two `pg` Pools, so several service instances can share one database. Writes run at READ
 * COMMITTED and start by locking the (team, family) version row (SELECT ... FOR UPDATE): every later statement of
 * the transaction sees what the previous holder committed, so writes to one family are serialised while other
 * families and other teams proceed in parallel. Reads run at REPEATABLE READ (one snapshot). A serialization
 * failure or deadlock (40001, 40P01) retries the whole transaction a few times.
 *
 * Budgets, so that no team's burst starves the others: writes and reads (key checks included) draw from separate
 * pools, so writers waiting for a family lock never hold the connections reads need; a write waits at most
 * `lockTimeoutMs` for a lock another instance holds (then 55P03, answered 503 with Retry-After); and no request
 * waits more than `connectionTimeoutMs` for a connection. In front of the write pool, each team and family has its
 * own line in the process (see write-queue.ts), so one team holds at most one write connection per family.
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { Family } from '../types.ts';
import { chunkRows } from './db.ts';
import type { Db, Row, SqlValue, Tx, TxMode } from './db.ts';
import { loadMigrations } from './migrations.ts';

const TIMESTAMPTZ_OID = 1184;
/** pg's own parsers, typed (pg-types declares them as returning `any`). */
const builtinParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown;
const parseTimestamptz = builtinParser(TIMESTAMPTZ_OID, 'text') as (value: string) => Date;
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
const MIGRATION_LOCK = 7_274_626_1;

/** timestamptz columns come back as ISO-8601 strings, like SQLite's text timestamps. */
const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === TIMESTAMPTZ_OID && format !== 'binary'
            ? (value: string): string => parseTimestamptz(value).toISOString()
            : builtinParser(oid, format)) as pg.CustomTypesConfig['getTypeParser']
};

/** `?` placeholders numbered as PostgreSQL wants them (the service's SQL has no other `?`). */
function numbered(sql: string): string {
    let index = 0;
    return sql.replace(/\?/g, () => `$${++index}`);
}

function errorCode(error: unknown): string | undefined {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_READ_POOL_SIZE = 10;
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

export interface PostgresOptions {
    url: string;
    /** Connections for writes (default 10). */
    poolSize?: number;
    /** Connections for reads and key checks (default 10). */
    readPoolSize?: number;
    /** How long a write waits for a lock (default 5 s). */
    lockTimeoutMs?: number;
    /** How long a request waits for a free connection (default 10 s). */
    connectionTimeoutMs?: number;
    onError?: (error: Error) => void;
}

/** No connection came free in time: answered 503 (see http/errors.ts), like a busy database. */
class PoolTimeoutError extends Error {
    readonly code = 'POOL_TIMEOUT';
}

export class PostgresDb implements Db {
    readonly dialect = 'postgres';
    private readonly writePool: pg.Pool;
    private readonly readPool: pg.Pool;

    private constructor(writePool: pg.Pool, readPool: pg.Pool) {
        this.writePool = writePool;
        this.readPool = readPool;
    }

    static async open(options: PostgresOptions): Promise<PostgresDb> {
        const common = {
            connectionString: options.url,
            types,
            connectionTimeoutMillis: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS
        };
        const writePool = new pg.Pool({
            ...common,
            max: options.poolSize ?? DEFAULT_POOL_SIZE,
            lock_timeout: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
            application_name: 'stage-service'
        });
        const readPool = new pg.Pool({
            ...common,
            max: options.readPoolSize ?? DEFAULT_READ_POOL_SIZE,
            application_name: 'stage-service-read'
        });
        // An idle client losing its connection must not crash the process; the next query reports it.
        for (const pool of [writePool, readPool]) {
            pool.on('error', (error) => options.onError?.(error));
        }
        const db = new PostgresDb(writePool, readPool);
        try {
            await db.migrate();
        } catch (error) {
            await db.close();
            throw error;
        }
        return db;
    }

    private async migrate(): Promise<void> {
        const client = await this.writePool.connect();
        try {
            await client.query('BEGIN');
            // Another instance may hold the migration lock for as long as its migrations take.
            await client.query('SET LOCAL lock_timeout = 0');
            // Several instances may start at once: one migrates, the others wait and then find nothing to do.
            await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
            await client.query(
                'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)'
            );
            const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
            const done = new Set(applied.rows.map((row) => row.version));
            for (const migration of loadMigrations('postgres')) {
                if (!done.has(migration.version)) {
                    await client.query(migration.sql);
                    await client.query(
                        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())',
                        [migration.version, migration.name]
                    );
                }
            }
            await client.query('COMMIT');
        } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
        } finally {
            client.release();
        }
    }

    private txFor(client: PoolClient): Tx {
        const query = async <T extends Row>(sql: string, params: readonly SqlValue[]): Promise<pg.QueryResult<T>> =>
            client.query<T>(numbered(sql), params as SqlValue[]);
        return {
            dialect: 'postgres',
            all: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
                (await query<T>(sql, params)).rows,
            get: async <T extends Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> => {
                const rows: T[] = (await query<T>(sql, params)).rows;
                return rows[0];
            },
            run: async (sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rowCount ?? 0,
            insertMany: async (table, columns, rows, onConflict = '') => {
                for (const chunk of chunkRows(rows, columns.length, 30_000)) {
                    let index = 0;
                    const tuples = chunk.map(() => `(${columns.map(() => `$${++index}`).join(', ')})`).join(', ');
                    await client.query(
                        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples} ${onConflict}`,
                        chunk.flat()
                    );
                }
            },
            lockFamily: async (teamId: string, family: Family) => {
                const result = await client.query<{ version: number }>(
                    'SELECT version FROM family_versions WHERE team_id = $1 AND family = $2 FOR UPDATE',
                    [teamId, family]
                );
                const row = result.rows[0];
                if (!row) {
                    throw new Error(`No version row for team ${teamId} family ${family}`);
                }
                return row.version;
            }
        };
    }

    /** A connection of the pool of this kind of work, or a {@link PoolTimeoutError} when none comes free in time. */
    private async connect(mode: TxMode): Promise<PoolClient> {
        try {
            return await (mode === 'write' ? this.writePool : this.readPool).connect();
        } catch (error) {
            if (error instanceof Error && /timeout/i.test(error.message)) {
                throw new PoolTimeoutError(`No ${mode} connection came free in time: ${error.message}`);
            }
            throw error;
        }
    }

    async transaction<T>(mode: TxMode, fn: (tx: Tx) => Promise<T>): Promise<T> {
        for (let attempt = 1; ; attempt += 1) {
            const client = await this.connect(mode);
            let broken: Error | undefined;
            try {
                await client.query(mode === 'write' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
                const result = await fn(this.txFor(client));
                await client.query('COMMIT');
                return result;
            } catch (error) {
                try {
                    await client.query('ROLLBACK');
                } catch (rollbackError) {
                    broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
                }
                const code = errorCode(error);
                if (code !== undefined && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
                    await sleep(5 * attempt + Math.random() * 20);
                    continue;
                }
                throw error;
            } finally {
                client.release(broken);
            }
        }
    }

    async readOne<T extends Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
        const client = await this.connect('read');
        try {
            const rows: T[] = (await client.query<T>(numbered(sql), params as SqlValue[])).rows;
            return rows[0];
        } finally {
            client.release();
        }
    }

    async close(): Promise<void> {
        await Promise.all([this.writePool.end(), this.readPool.end()]);
    }
}
