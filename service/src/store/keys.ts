/**
 * API keys: how one is issued and how a request's key is checked. A key is stored as its SHA-256 only, with an id
 * to name it by. It works while it is not revoked and its grace period (set by a rotation) has not ended; the check
 * reads the database on every request, so a revocation holds on every instance at once (there is no cache).
 */
import { hashApiKey, newApiKey, newId } from '../ids.ts';
import type { Db, Tx } from './db.ts';

/** How stale a key's `last_used_at` may get: it is written at most once a minute per key and instance. */
export const LAST_USED_PRECISION_MS = 60_000;

/** A key as issued: shown once, never stored. */
export interface IssuedKey {
    teamId: string;
    keyId: string;
    apiKey: string;
}

/** Stores a new key (or the given one) of a team inside `tx`; returns it, the one time it is seen. */
export async function insertKey(tx: Tx, teamId: string, now: string, apiKey = newApiKey()): Promise<IssuedKey> {
    const keyId = newId('key');
    await tx.run('INSERT INTO api_keys (key_hash, id, team_id, created_at) VALUES (?, ?, ?, ?)', [
        hashApiKey(apiKey),
        keyId,
        teamId,
        now
    ]);
    return { teamId, keyId, apiKey };
}

/** The SQL condition of a key (of table alias `alias`) that works at `?`: an ISO time, the parameter that follows. */
export function keyWorks(alias = ''): string {
    const at = alias ? `${alias}.` : '';
    return `${at}revoked_at IS NULL AND (${at}expires_at IS NULL OR ${at}expires_at > ?)`;
}

/** The team and key id of a working key, with when it was last noted as used (one statement, one round trip). */
export async function findWorkingKey(
    db: Db,
    apiKey: string,
    now: string
): Promise<{ teamId: string; keyId: string; lastUsedAt: string | null } | undefined> {
    const row = await db.readOne<{ team_id: string; id: string; last_used_at: string | null }>(
        `SELECT team_id, id, last_used_at FROM api_keys WHERE key_hash = ? AND ${keyWorks()}`,
        [hashApiKey(apiKey), now]
    );
    return row ? { teamId: row.team_id, keyId: row.id, lastUsedAt: row.last_used_at ?? null } : undefined;
}
