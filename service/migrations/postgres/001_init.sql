-- Stage AutoMap stage service, PostgreSQL schema 1 (the same tables and constraints as the SQLite schema).
-- The rules that matter are constraints, not only code: 1:1 per scope (two UNIQUE keys on mappings), no two
-- stages of a family with one key (UNIQUE (team_id, family, key)), and composite foreign keys that keep every
-- row inside its team and a mapping or record inside the stage's family.

CREATE TABLE teams (
    id text PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE api_keys (
    key_hash text PRIMARY KEY CHECK (char_length(key_hash) = 64),
    team_id text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
);

-- The state version of each (team, family); every write to the family locks this row first (FOR UPDATE).
CREATE TABLE family_versions (
    team_id text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    family text NOT NULL CHECK (family IN ('contact', 'account')),
    version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    PRIMARY KEY (team_id, family)
);

CREATE TABLE stages (
    id text PRIMARY KEY,
    team_id text NOT NULL,
    family text NOT NULL CHECK (family IN ('contact', 'account')),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 255),
    key text NOT NULL CHECK (char_length(key) >= 1),
    display_order integer NOT NULL,
    category text CHECK (category IN ('in_progress', 'succeeded', 'failed')),
    created_at timestamptz NOT NULL,
    created_by_id text NOT NULL,
    created_by_name text NOT NULL,
    UNIQUE (team_id, family, key),
    UNIQUE (team_id, family, id),
    FOREIGN KEY (team_id, family) REFERENCES family_versions (team_id, family)
);

CREATE TABLE runs (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    team_id text NOT NULL REFERENCES teams (id),
    object text NOT NULL CHECK (object IN ('Contact', 'Lead', 'Account')),
    field text NOT NULL,
    family text NOT NULL CHECK (family IN ('contact', 'account')),
    actor_id text NOT NULL,
    actor_name text NOT NULL,
    created_at timestamptz NOT NULL,
    summary_json text NOT NULL,
    outcomes_json text NOT NULL,
    created_stage_ids_json text NOT NULL,
    created_mappings_json text NOT NULL,
    undone_at timestamptz,
    undone_by_id text,
    undone_by_name text,
    UNIQUE (team_id, id)
);
CREATE INDEX runs_by_scope ON runs (team_id, object, field, seq);

CREATE TABLE mappings (
    team_id text NOT NULL,
    object text NOT NULL CHECK (object IN ('Contact', 'Lead', 'Account')),
    field text NOT NULL,
    family text NOT NULL CHECK (
        (object IN ('Contact', 'Lead') AND family = 'contact') OR (object = 'Account' AND family = 'account')
    ),
    value text NOT NULL CHECK (char_length(value) BETWEEN 1 AND 255),
    stage_id text NOT NULL,
    source text NOT NULL CHECK (source IN ('manual', 'auto')),
    run_id text,
    created_at timestamptz NOT NULL,
    created_by_id text NOT NULL,
    created_by_name text NOT NULL,
    PRIMARY KEY (team_id, object, field, value),
    UNIQUE (team_id, object, field, stage_id),
    FOREIGN KEY (team_id, family, stage_id) REFERENCES stages (team_id, family, id),
    FOREIGN KEY (team_id, run_id) REFERENCES runs (team_id, id),
    CHECK ((source = 'auto') = (run_id IS NOT NULL))
);
CREATE INDEX mappings_by_stage ON mappings (team_id, stage_id);
CREATE INDEX mappings_by_run ON mappings (team_id, run_id);

CREATE TABLE records (
    team_id text NOT NULL,
    family text NOT NULL CHECK (family IN ('contact', 'account')),
    record_id text NOT NULL CHECK (char_length(record_id) BETWEEN 1 AND 255),
    stage_id text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (team_id, family, record_id),
    FOREIGN KEY (team_id, family, stage_id) REFERENCES stages (team_id, family, id)
);
CREATE INDEX records_by_stage ON records (team_id, stage_id);

-- Applied auto-map results by Idempotency-Key: a retry returns the stored response and applies nothing.
CREATE TABLE idempotency_keys (
    team_id text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    key text NOT NULL,
    request_hash text NOT NULL,
    response_json text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (team_id, key)
);
