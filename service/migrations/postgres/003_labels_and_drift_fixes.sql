-- Stage AutoMap stage service, PostgreSQL schema 3 (as SQLite's; issue 12: drift). A mapping records the label its
-- value had when it was made (null for mappings made before, whose value then stands for it). A run is an auto-map
-- or a drift fix (`kind`); a drift fix records what each fix changed (`fixes_json`, what its undo reverses) and a run
-- records the categories of the stages it created (`created_categories_json`). Stages created by a run keep their
-- category in `stages.category`.

ALTER TABLE mappings
    ADD COLUMN label text CHECK (label IS NULL OR char_length(label) BETWEEN 1 AND 255);
ALTER TABLE runs
    ADD COLUMN kind text NOT NULL DEFAULT 'auto-map' CHECK (kind IN ('auto-map', 'drift-fix')),
    ADD COLUMN fixes_json text,
    ADD COLUMN created_categories_json text;
