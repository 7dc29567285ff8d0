/**
 * SQLite through better-sqlite3 (synchronous): one connection for writes and one for reads, on one file in WAL mode,
 * foreign keys on, BEGIN IMMEDIATE for writes. Because the business code awaits between statements, an async mutex
 * per connection lets one transaction at a time use it: nothing of another request can run inside an open
 * transaction. SQLite has one writer anyway; reads (key checks included) use the other connection and see the last
 * commit, so they never wait behind a write (the same separate budget as PostgreSQL's read pool).
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

/** A connection and what runs on it: its cached statements and the mutex that gives it one transaction at a time. */
class Connection {
    readonly db: SqliteDatabase;
    readonly mutex = new Mutex();
    readonly tx: Tx;
    /** Set inside the mutex, after every transaction queued before the close has run. */
    closed = false;
    private readonly statements = new Map<string, Statement>();

    constructor(db: SqliteDatabase) {
        this.db = db;
        const statement = (sql: string): Statement => this.statement(sql);
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
            lockFamily: (teamId: string, family: Family): Promise<number> =>
                settle(() => {
                    const row = statement('SELECT version FROM family_versions WHERE team_id = ? AND family = ?').get(
                        teamId,
                        family
                    ) as { version: number } | undefined;
                    if (!row) {
                        throw new Error(`No version row for team ${teamId} family ${family}`);
                    }
                    return row.version;
                })
        };
    }

    /** Prepared statements are cached by their text: the same few dozen statements run all day. */
    statement(sql: string): Statement {
        let statement = this.statements.get(sql);
        if (!statement) {
            statement = this.db.prepare(sql);
            this.statements.set(sql, statement);
        }
        return statement;
    }
}

function open(file: string, readOnly: boolean): SqliteDatabase {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable against a killed process in WAL mode (only a power loss can drop the last commits).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (readOnly) {
        db.pragma('query_only = ON');
    }
    return db;
}

export class SqliteDb implements Db {
    readonly dialect = 'sqlite';
    readonly file: string;
    private readonly writer: Connection;
    /** The reads' connection; the writer's itself for an in-memory database (a second one would be another database). */
    private readonly reader: Connection;

    constructor(file: string) {
        this.file = file;
        if (file !== ':memory:') {
            mkdirSync(dirname(file), { recursive: true });
        }
        this.writer = new Connection(open(file, false));
        this.migrate();
        this.reader = file === ':memory:' ? this.writer : new Connection(open(file, true));
    }

    private migrate(): void {
        const db = this.writer.db;
        db.exec(
            'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'
        );
        for (const migration of loadMigrations('sqlite')) {
            db.exec('BEGIN IMMEDIATE');
            try {
                const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
                if (!done) {
                    db.exec(migration.sql);
                    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
                        migration.version,
                        migration.name,
                        new Date().toISOString()
                    );
                }
                db.exec('COMMIT');
            } catch (error) {
                db.exec('ROLLBACK');
                throw error;
            }
        }
    }

    transaction<T>(mode: TxMode, fn: (tx: Tx) => Promise<T>): Promise<T> {
        const connection = mode === 'write' ? this.writer : this.reader;
        return connection.mutex.run(async () => {
            if (connection.closed) {
                throw new Error('The database is closed.');
            }
            connection.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
            try {
                const result = await fn(connection.tx);
                connection.db.exec('COMMIT');
                return result;
            } catch (error) {
                if (connection.db.inTransaction) {
                    connection.db.exec('ROLLBACK');
                }
                throw error;
            }
        });
    }

    readOne<T extends Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
        return this.reader.mutex.run(() => {
            if (this.reader.closed) {
                return Promise.reject(new Error('The database is closed.'));
            }
            return settle(() => this.reader.statement(sql).get(...params) as T | undefined);
        });
    }

    async close(): Promise<void> {
        const closeOne = (connection: Connection): Promise<void> =>
            connection.mutex.run(() =>
                settle(() => {
                    if (!connection.closed) {
                        connection.closed = true;
                        connection.db.close();
                    }
                })
            );
        await Promise.all([closeOne(this.writer), closeOne(this.reader)]);
    }
}
