/**
 * SQLite through better-sqlite3 (synchronous, one connection). WAL mode, foreign keys on, BEGIN IMMEDIATE for
 * writes. Because the business code awaits between statements, an async mutex lets one transaction at a time use
 * the connection: nothing of another request can run inside an open transaction. SQLite has one writer anyway.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Family } from '../types.ts';
import type { Db, Row, SqlValue, Tx, TxMode } from './db.ts';
import { loadMigrations } from './migrations.ts';

/** A synchronous call as a promise: its result, or its exception as a rejection. */
function settle<T>(fn: () => T): Promise<T> {
    try {
        return Promise.resolve(fn());
    } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
}

/** A FIFO lock: `run(fn)` waits for every earlier `run` to settle. */
class Mutex {
    private tail: Promise<void> = Promise.resolve();

    run<T>(fn: () => Promise<T>): Promise<T> {
        const result = this.tail.then(fn);
        this.tail = result.then(
            () => undefined,
            () => undefined
        );
        return result;
    }
}

export class SqliteDb implements Db {
    readonly dialect = 'sqlite';
    readonly file: string;
    private readonly db: SqliteDatabase;
    private readonly statements = new Map<string, Statement>();
    private readonly mutex = new Mutex();
    private readonly tx: Tx;
    private closed = false;

    constructor(file: string) {
        this.file = file;
        if (file !== ':memory:') {
            mkdirSync(dirname(file), { recursive: true });
        }
        this.db = new Database(file);
        this.db.pragma('journal_mode = WAL');
        // NORMAL is durable against a killed process in WAL mode (only a power loss can drop the last commits).
        this.db.pragma('synchronous = NORMAL');
        this.db.pragma('foreign_keys = ON');
        this.db.pragma('busy_timeout = 5000');
        this.migrate();
        const statement = (sql: string): Statement => this.statement(sql);
        const lockFamily = (teamId: string, family: Family): Promise<number> =>
            settle(() => {
                const row = statement('SELECT version FROM family_versions WHERE team_id = ? AND family = ?').get(
                    teamId,
                    family
                ) as { version: number } | undefined;
                if (!row) {
                    throw new Error(`No version row for team ${teamId} family ${family}`);
                }
                return row.version;
            });
        this.tx = {
            dialect: 'sqlite',
            all: <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
                settle(() => statement(sql).all(...params) as T[]),
            get: <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
                settle(() => statement(sql).get(...params) as T | undefined),
            run: (sql: string, params: readonly SqlValue[] = []) => settle(() => statement(sql).run(...params).changes),
            insertMany: (table, columns, rows, onConflict = '') =>
                settle(() => {
                    const insert = statement(
                        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${onConflict}`
                    );
                    for (const row of rows) {
                        insert.run(...row);
                    }
                }),
            lockFamily
        };
    }

    /** Prepared statements are cached by their text: the same few dozen statements run all day. */
    private statement(sql: string): Statement {
        let statement = this.statements.get(sql);
        if (!statement) {
            statement = this.db.prepare(sql);
            this.statements.set(sql, statement);
        }
        return statement;
    }

    private migrate(): void {
        this.db.exec(
            'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'
        );
        for (const migration of loadMigrations('sqlite')) {
            this.db.exec('BEGIN IMMEDIATE');
            try {
                const done = this.db
                    .prepare('SELECT 1 FROM schema_migrations WHERE version = ?')
                    .get(migration.version);
                if (!done) {
                    this.db.exec(migration.sql);
                    this.db
                        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
                        .run(migration.version, migration.name, new Date().toISOString());
                }
                this.db.exec('COMMIT');
            } catch (error) {
                this.db.exec('ROLLBACK');
                throw error;
            }
        }
    }

    transaction<T>(mode: TxMode, fn: (tx: Tx) => Promise<T>): Promise<T> {
        return this.mutex.run(async () => {
            if (this.closed) {
                throw new Error('The database is closed.');
            }
            this.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
            try {
                const result = await fn(this.tx);
                this.db.exec('COMMIT');
                return result;
            } catch (error) {
                if (this.db.inTransaction) {
                    this.db.exec('ROLLBACK');
                }
                throw error;
            }
        });
    }

    async close(): Promise<void> {
        await this.mutex.run(() =>
            settle(() => {
                if (!this.closed) {
                    this.closed = true;
                    this.db.close();
                }
            })
        );
    }
}
