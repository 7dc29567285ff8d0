/**
 * The small SQL seam both databases implement. The business rules (service/src/store/sql-store.ts) are written
 * once against it: SQL with `?` placeholders that SQLite and PostgreSQL both accept once PostgreSQL's are numbered.
 * What differs per database is behind these methods: how a transaction starts, how a family is locked, how many
 * rows go in one statement.
 */
import type { Family } from '../types.ts';

export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface Tx {
    readonly dialect: 'sqlite' | 'postgres';
    all<T extends Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
    get<T extends Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
    /** Runs a statement; resolves with the number of rows it changed. */
    run(sql: string, params?: readonly SqlValue[]): Promise<number>;
    /** Inserts many rows (`onConflict` is appended, e.g. `ON CONFLICT (...) DO UPDATE SET ...`). */
    insertMany(
        table: string,
        columns: readonly string[],
        rows: readonly SqlValue[][],
        onConflict?: string
    ): Promise<void>;
    /**
     * Locks the (team, family) version row until the transaction ends and returns the version. Every write to a
     * family's stages, mappings or records starts here, so writes to one family are serialised on both databases
     * (SQLite: the whole database is already locked by BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE).
     */
    lockFamily(teamId: string, family: Family): Promise<number>;
}

export type TxMode = 'read' | 'write';

export interface Db {
    readonly dialect: 'sqlite' | 'postgres';
    /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
    transaction<T>(mode: TxMode, fn: (tx: Tx) => Promise<T>): Promise<T>;
    /**
     * One read statement on its own, outside any transaction (one round trip: no BEGIN, no COMMIT), on the read
     * budget: the key check every request makes.
     */
    readOne<T extends Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
    close(): Promise<void>;
}

/** Splits rows so one statement carries at most `maxParams` parameters. */
export function chunkRows<T>(rows: readonly T[], columns: number, maxParams: number): T[][] {
    const size = Math.max(1, Math.floor(maxParams / Math.max(1, columns)));
    const chunks: T[][] = [];
    for (let index = 0; index < rows.length; index += size) {
        chunks.push(rows.slice(index, index + size));
    }
    return chunks;
}
