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

export type StoreConfig =
    | { kind: 'sqlite'; file: string; logger?: Logger; testApplyDelayMs?: number }
    | { kind: 'postgres'; url: string; poolSize?: number; logger?: Logger; testApplyDelayMs?: number };

/** The SQLite file: `$DATA_DIR/stage-service.sqlite`, `DATA_DIR` defaulting to `.data` at the repository root. */
export function defaultSqliteFile(env: NodeJS.ProcessEnv = process.env): string {
    const dir = env.DATA_DIR ?? join(REPO_ROOT, '.data');
    return join(dir, 'stage-service.sqlite');
}

/** `DATABASE_URL` selects PostgreSQL (pool size `PG_POOL_SIZE`); otherwise SQLite under `DATA_DIR`. */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
    const delay = Number(env.STAGE_SERVICE_TEST_APPLY_DELAY_MS ?? 0);
    const testApplyDelayMs = Number.isFinite(delay) && delay > 0 ? delay : 0;
    if (env.DATABASE_URL) {
        const poolSize = Number(env.PG_POOL_SIZE ?? 10);
        return {
            kind: 'postgres',
            url: env.DATABASE_URL,
            poolSize: Number.isInteger(poolSize) && poolSize > 0 ? poolSize : 10,
            testApplyDelayMs
        };
    }
    return { kind: 'sqlite', file: defaultSqliteFile(env), testApplyDelayMs };
}

export async function createStore(config: StoreConfig): Promise<SqlStore> {
    const options = {
        ...(config.logger ? { logger: config.logger } : {}),
        ...(config.testApplyDelayMs ? { testApplyDelayMs: config.testApplyDelayMs } : {})
    };
    if (config.kind === 'postgres') {
        const db = await PostgresDb.open({
            url: config.url,
            ...(config.poolSize ? { poolSize: config.poolSize } : {}),
            onError: (error) => config.logger?.error('postgres-idle-client-error', describeError(error))
        });
        return new SqlStore(db, options);
    }
    return new SqlStore(new SqliteDb(config.file), options);
}
