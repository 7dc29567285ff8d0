/** Identifiers and key hashing. Ids are random (no information leaks through them); keys are stored hashed. */
import { createHash, randomBytes } from 'node:crypto';

export function newId(prefix: 'stg' | 'run' | 'team' | 'key'): string {
    return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** A new API key: `sam_` and 32 URL-safe random characters (192 bits). */
export function newApiKey(): string {
    return `sam_${randomBytes(24).toString('base64url')}`;
}

/** How a key is stored and looked up: its SHA-256, hex. A stolen database does not reveal working keys. */
export function hashApiKey(apiKey: string): string {
    return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

export function sha256(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level: equal data, equal text (for request hashes). */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (value !== null && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        return Object.fromEntries(
            Object.keys(record)
                .sort()
                .map((key) => [key, sortKeys(record[key])])
        );
    }
    return value;
}
