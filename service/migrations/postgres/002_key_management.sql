-- Stage AutoMap stage service, PostgreSQL schema 2 (as SQLite's): keys operators can manage (service:admin). Each
-- key gets an id to name it by (never the key itself), its last use, the end of its grace period after a rotation,
-- and a revocation. A key works while revoked_at is null and expires_at is null or later than now.

ALTER TABLE api_keys
    ADD COLUMN id text,
    ADD COLUMN last_used_at timestamptz,
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN revoked_at timestamptz;
UPDATE api_keys SET id = 'key_' || replace(gen_random_uuid()::text, '-', '') WHERE id IS NULL;
ALTER TABLE api_keys ALTER COLUMN id SET NOT NULL;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_id_unique UNIQUE (id);
CREATE INDEX api_keys_by_team ON api_keys (team_id, created_at);
