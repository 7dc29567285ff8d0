/**
 * What an operator does to teams and keys (the admin CLI, `npm run --silent service:admin`), on the database the
 * service uses. Keys are shown once, when issued; listings show their ids and dates, never a key or its hash.
 *
 * A rotation issues a new key and gives the team's other working keys a grace period (default 24 hours): long
 * enough for a Salesforce admin to paste the new key into the External Credential and check a call, short enough
 * that a leaked key dies the same day. A revocation takes effect at once: every request reads the key's state.
 */
import { validateText } from '../../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { Tx } from './db.ts';
import { insertKey, keyWorks } from './keys.ts';
import type { IssuedKey } from './keys.ts';
import type { SqlStore } from './sql-store.ts';

export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;
export const MAX_GRACE_MS = 30 * 24 * 60 * 60 * 1000;

export interface TeamSummary {
    teamId: string;
    name: string;
    createdAt: string;
    /** Keys that work now (not revoked, not past their grace period). */
    activeKeys: number;
}

export type KeyStatus = 'active' | 'expiring' | 'expired' | 'revoked';

export interface KeySummary {
    keyId: string;
    createdAt: string;
    lastUsedAt: string | null;
    expiresAt: string | null;
    revokedAt: string | null;
    status: KeyStatus;
}

export interface Rotation extends IssuedKey {
    /** When the team's previous keys stop working. */
    graceUntil: string;
    /** The keys that now stop at `graceUntil` (or sooner, when they already had an earlier end). */
    expiringKeyIds: string[];
}

export interface Revocation {
    keyId: string;
    teamId: string;
    revokedAt: string;
    /** True when the key was already revoked (nothing changed). */
    alreadyRevoked: boolean;
    /** The team's keys that still work. */
    activeKeysLeft: number;
}

/** A refusal the operator can act on: an unknown team or key, a bad name. */
export class OperatorError extends Error {
    readonly kind: 'not-found' | 'invalid';

    constructor(kind: 'not-found' | 'invalid', message: string) {
        super(message);
        this.name = 'OperatorError';
        this.kind = kind;
    }
}

interface KeyRow {
    [column: string]: unknown;
    id: string;
    created_at: string;
    last_used_at: string | null;
    expires_at: string | null;
    revoked_at: string | null;
}

function statusOf(row: KeyRow, now: string): KeyStatus {
    if (row.revoked_at !== null) {
        return 'revoked';
    }
    if (row.expires_at === null) {
        return 'active';
    }
    return row.expires_at > now ? 'expiring' : 'expired';
}

export class Operators {
    private readonly store: SqlStore;

    constructor(store: SqlStore) {
        this.store = store;
    }

    /** A new team and its first key. */
    async createTeam(name: string): Promise<IssuedKey> {
        const checked = validateText(name, 'name');
        if (!checked.ok) {
            throw new OperatorError('invalid', `The team ${checked.error}.`);
        }
        return this.store.createTeam(name.trim());
    }

    async listTeams(): Promise<TeamSummary[]> {
        const now = new Date().toISOString();
        const rows = await this.store.db.transaction('read', (tx) =>
            tx.all<{ id: string; name: string; created_at: string; active_keys: number }>(
                `SELECT t.id, t.name, t.created_at,
                    (SELECT CAST(COUNT(*) AS INTEGER) FROM api_keys k WHERE k.team_id = t.id AND ${keyWorks('k')}) AS active_keys
                 FROM teams t ORDER BY t.created_at, t.id`,
                [now]
            )
        );
        return rows.map((row) => ({
            teamId: row.id,
            name: row.name,
            createdAt: row.created_at,
            activeKeys: row.active_keys
        }));
    }

    /** Another key for a team; its other keys keep working. */
    addKey(teamId: string): Promise<IssuedKey> {
        return this.store.db.transaction('write', async (tx) => {
            await this.requireTeam(tx, teamId);
            return insertKey(tx, teamId, new Date().toISOString());
        });
    }

    /** A new key; the team's other working keys stop after `graceMs` (0: at once). */
    rotateKey(teamId: string, graceMs = DEFAULT_GRACE_MS): Promise<Rotation> {
        if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_GRACE_MS) {
            throw new OperatorError('invalid', 'The grace period must be from 0 to 30 days.');
        }
        return this.store.db.transaction('write', async (tx) => {
            await this.requireTeam(tx, teamId);
            const now = new Date();
            const nowText = now.toISOString();
            const graceUntil = new Date(now.getTime() + graceMs).toISOString();
            const others = await tx.all<{ id: string }>(
                `SELECT id FROM api_keys WHERE team_id = ? AND ${keyWorks()} ORDER BY created_at, id`,
                [teamId, nowText]
            );
            // A key already ending sooner keeps its earlier end: a rotation never lengthens a grace period.
            await tx.run(
                `UPDATE api_keys SET expires_at = ? WHERE team_id = ? AND ${keyWorks()} AND (expires_at IS NULL OR expires_at > ?)`,
                [graceUntil, teamId, nowText, graceUntil]
            );
            const issued = await insertKey(tx, teamId, nowText);
            return { ...issued, graceUntil, expiringKeyIds: others.map((row) => row.id) };
        });
    }

    /** Stops a key at once, on every instance (each request reads the key's state). */
    revokeKey(keyId: string): Promise<Revocation> {
        return this.store.db.transaction('write', async (tx) => {
            const key = await tx.get<{ team_id: string; revoked_at: string | null }>(
                'SELECT team_id, revoked_at FROM api_keys WHERE id = ?',
                [keyId]
            );
            if (!key) {
                throw new OperatorError(
                    'not-found',
                    `There is no key ${JSON.stringify(keyId)}. List a team's keys with: key list TEAM_ID`
                );
            }
            const now = new Date().toISOString();
            if (key.revoked_at === null) {
                await tx.run('UPDATE api_keys SET revoked_at = ? WHERE id = ?', [now, keyId]);
            }
            const left = await tx.get<{ n: number }>(
                `SELECT CAST(COUNT(*) AS INTEGER) AS n FROM api_keys WHERE team_id = ? AND ${keyWorks()}`,
                [key.team_id, now]
            );
            return {
                keyId,
                teamId: key.team_id,
                revokedAt: key.revoked_at ?? now,
                alreadyRevoked: key.revoked_at !== null,
                activeKeysLeft: left?.n ?? 0
            };
        });
    }

    /** A team's keys, oldest first: ids and dates, never a key. */
    listKeys(teamId: string): Promise<KeySummary[]> {
        return this.store.db.transaction('read', async (tx) => {
            await this.requireTeam(tx, teamId);
            const now = new Date().toISOString();
            const rows = await tx.all<KeyRow>(
                'SELECT id, created_at, last_used_at, expires_at, revoked_at FROM api_keys WHERE team_id = ? ORDER BY created_at, id',
                [teamId]
            );
            return rows.map((row) => ({
                keyId: row.id,
                createdAt: row.created_at,
                lastUsedAt: row.last_used_at ?? null,
                expiresAt: row.expires_at ?? null,
                revokedAt: row.revoked_at ?? null,
                status: statusOf(
                    { ...row, expires_at: row.expires_at ?? null, revoked_at: row.revoked_at ?? null },
                    now
                )
            }));
        });
    }

    private async requireTeam(tx: Tx, teamId: string): Promise<void> {
        const team = await tx.get('SELECT id FROM teams WHERE id = ?', [teamId]);
        if (!team) {
            throw new OperatorError(
                'not-found',
                `There is no team ${JSON.stringify(teamId)}. List teams with: team list`
            );
        }
    }
}
