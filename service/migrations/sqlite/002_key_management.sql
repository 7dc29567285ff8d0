-- Stage AutoMap stage service, SQLite schema 2: keys operators can manage (service:admin). Each key gets an id to
-- name it by (never the key itself), its last use, the end of its grace period after a rotation, and a revocation.
-- A key works while revoked_at is null and expires_at is null or later than now; every request checks it.

ALTER TABLE api_keys ADD COLUMN id TEXT;
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
ALTER TABLE api_keys ADD COLUMN revoked_at TEXT;
UPDATE api_keys SET id = 'key_' || lower(hex(randomblob(12))) WHERE id IS NULL;
CREATE UNIQUE INDEX api_keys_by_id ON api_keys (id);
CREATE INDEX api_keys_by_team ON api_keys (team_id, created_at);
