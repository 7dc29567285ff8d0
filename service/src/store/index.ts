/** Opens the configured database (PostgreSQL when a URL is given, else a SQLite file), migrated and ready. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';
import { describeError } from '../logger.ts';
import { PostgresDb } from './postgres.ts';
import { SqliteDb } from './sqlite.ts';
import { SqlStore } from './sql-store.ts';

export { SqlStore };

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What both databases take: where logs go, how long a writer may wait in line, the crash tests' hook. */
export interface StoreOptions {
    logger?: Logger;
    /** Test hook (NODE_ENV=test only): pause inside an applying auto-map transaction. */
    testApplyDelayMs?: number;
    /** How long a write may wait in its team and family's line in this process before a 503 (default 10 s). */
    writeQueueTimeoutMs?: number;
    /** How many writes may wait in one team and family's line in this process; more get a 503 (default 100). */
    writeQueueLimit?: number;
}

/** PostgreSQL's budgets: connections for writes, connections for reads and auth, and the lock timeout. */
export interface PostgresTuning {
    /** Connections for writes (default 10). */
    poolSize?: number;
    /** Connections for reads and key checks, apart from the writers' (default 5). */
    readPoolSize?: number;
    /** How long a write waits for a row lock another instance holds before a 503 (default 5 s). */
    lockTimeoutMs?: number;
}

export type StoreConfig = StoreOptions &
    ({ kind: 'sqlite'; file: string } | ({ kind: 'postgres'; url: string } & PostgresTuning));

/** The SQLite file: `$DATA_DIR/stage-service.sqlite`, `DATA_DIR` defaulting to `.data` at the repository root. */
export function defaultSqliteFile(env: NodeJS.ProcessEnv = process.env): string {
    const dir = env.DATA_DIR ?? join(REPO_ROOT, '.data');
    return join(dir, 'stage-service.sqlite');
}

/** A positive whole number from the environment, or undefined (the default applies) when unset. */
function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
    const text = env[name];
    if (text === undefined || text === '') {
        return undefined;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
        throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(text)}.`);
    }
    return value;
}

/**
 * `DATABASE_URL` selects PostgreSQL (`PG_POOL_SIZE` write connections, `PG_READ_POOL_SIZE` read connections,
 * `PG_LOCK_TIMEOUT_MS`); otherwise SQLite under `DATA_DIR`. `WRITE_QUEUE_TIMEOUT_MS` and `WRITE_QUEUE_LIMIT` bound
 * the line writes wait in (both databases).
 */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
    const delay = Number(env.STAGE_SERVICE_TEST_APPLY_DELAY_MS ?? 0);
    const options: StoreOptions = {
        testApplyDelayMs: Number.isFinite(delay) && delay > 0 ? delay : 0,
        writeQueueTimeoutMs: positive(env, 'WRITE_QUEUE_TIMEOUT_MS'),
        writeQueueLimit: positive(env, 'WRITE_QUEUE_LIMIT')
    };
    if (env.DATABASE_URL) {
        return {
            kind: 'postgres',
            url: env.DATABASE_URL,
            poolSize: positive(env, 'PG_POOL_SIZE'),
            readPoolSize: positive(env, 'PG_READ_POOL_SIZE'),
            lockTimeoutMs: positive(env, 'PG_LOCK_TIMEOUT_MS'),
            ...options
        };
    }
    return { kind: 'sqlite', file: defaultSqliteFile(env), ...options };
}

export async function createStore(config: StoreConfig): Promise<SqlStore> {
    const options = {
        ...(config.logger ? { logger: config.logger } : {}),
        ...(config.testApplyDelayMs ? { testApplyDelayMs: config.testApplyDelayMs } : {}),
        ...(config.writeQueueTimeoutMs ? { writeQueueTimeoutMs: config.writeQueueTimeoutMs } : {}),
        ...(config.writeQueueLimit ? { writeQueueLimit: config.writeQueueLimit } : {})
    };
    if (config.kind === 'postgres') {
        const db = await PostgresDb.open({
            url: config.url,
            ...(config.poolSize ? { poolSize: config.poolSize } : {}),
            ...(config.readPoolSize ? { readPoolSize: config.readPoolSize } : {}),
            ...(config.lockTimeoutMs ? { lockTimeoutMs: config.lockTimeoutMs } : {}),
            onError: (error) => config.logger?.error('postgres-idle-client-error', describeError(error))
        });
        return new SqlStore(db, options);
    }
    return new SqlStore(new SqliteDb(config.file), options);
}
