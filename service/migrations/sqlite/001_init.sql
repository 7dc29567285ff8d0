-- Stage AutoMap stage service, SQLite schema 1. Timestamps are ISO-8601 UTC text; ids are random text.
-- The rules that matter are constraints, not only code: 1:1 per scope (two UNIQUE keys on mappings), no two
-- stages of a family with one key (UNIQUE (team_id, family, key)), and composite foreign keys that keep every
-- row inside its team and a mapping or record inside the stage's family.

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE api_keys (
    key_hash TEXT PRIMARY KEY CHECK (length(key_hash) = 64),
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

-- The state version of each (team, family); every write to the family locks this row first.
CREATE TABLE family_versions (
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    family TEXT NOT NULL CHECK (family IN ('contact', 'account')),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    PRIMARY KEY (team_id, family)
);

CREATE TABLE stages (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('contact', 'account')),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    key TEXT NOT NULL CHECK (length(key) >= 1),
    display_order INTEGER NOT NULL,
    category TEXT CHECK (category IN ('in_progress', 'succeeded', 'failed')),
    created_at TEXT NOT NULL,
    created_by_id TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    UNIQUE (team_id, family, key),
    UNIQUE (team_id, family, id),
    FOREIGN KEY (team_id, family) REFERENCES family_versions (team_id, family)
);

CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    team_id TEXT NOT NULL REFERENCES teams (id),
    object TEXT NOT NULL CHECK (object IN ('Contact', 'Lead', 'Account')),
    field TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('contact', 'account')),
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    outcomes_json TEXT NOT NULL,
    created_stage_ids_json TEXT NOT NULL,
    created_mappings_json TEXT NOT NULL,
    undone_at TEXT,
    undone_by_id TEXT,
    undone_by_name TEXT,
    UNIQUE (team_id, id)
);
CREATE INDEX runs_by_scope ON runs (team_id, object, field, seq);

CREATE TABLE mappings (
    team_id TEXT NOT NULL,
    object TEXT NOT NULL CHECK (object IN ('Contact', 'Lead', 'Account')),
    field TEXT NOT NULL,
    family TEXT NOT NULL CHECK (
        (object IN ('Contact', 'Lead') AND family = 'contact') OR (object = 'Account' AND family = 'account')
    ),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 255),
    stage_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'auto')),
    run_id TEXT,
    created_at TEXT NOT NULL,
    created_by_id TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    PRIMARY KEY (team_id, object, field, value),
    UNIQUE (team_id, object, field, stage_id),
    FOREIGN KEY (team_id, family, stage_id) REFERENCES stages (team_id, family, id),
    FOREIGN KEY (team_id, run_id) REFERENCES runs (team_id, id),
    CHECK ((source = 'auto') = (run_id IS NOT NULL))
);
CREATE INDEX mappings_by_stage ON mappings (team_id, stage_id);
CREATE INDEX mappings_by_run ON mappings (team_id, run_id);

CREATE TABLE records (
    team_id TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('contact', 'account')),
    record_id TEXT NOT NULL CHECK (length(record_id) BETWEEN 1 AND 255),
    stage_id TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (team_id, family, record_id),
    FOREIGN KEY (team_id, family, stage_id) REFERENCES stages (team_id, family, id)
);
CREATE INDEX records_by_stage ON records (team_id, stage_id);

-- Applied auto-map results by Idempotency-Key: a retry returns the stored response and applies nothing.
CREATE TABLE idempotency_keys (
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (team_id, key)
);
