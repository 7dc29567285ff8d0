/** Versioned migration files: service/migrations/<dialect>/NNN_name.sql, applied in order, once each. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Migration {
    version: number;
    name: string;
    sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
    const dir = `${MIGRATIONS_DIR}${dialect}/`;
    return readdirSync(dir)
        .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
        .sort()
        .map((file) => ({
            version: Number(file.slice(0, 3)),
            name: file.replace(/\.sql$/, ''),
            sql: readFileSync(`${dir}${file}`, 'utf8')
        }));
}
