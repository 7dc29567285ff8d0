-- Stage AutoMap stage service, SQLite schema 3 (issue 12: drift). A mapping records the label its value had when it
-- was made (null for mappings made before, whose value then stands for it), so drift can tell a relabel from a
-- rename. A run is an auto-map or a drift fix (`kind`); a drift fix records what each fix changed (`fixes_json`, what
-- its undo reverses) and a run records the categories of the stages it created (`created_categories_json`, the
-- counts its history shows). Stages created by a run keep their category in `stages.category`.

ALTER TABLE mappings ADD COLUMN label TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 255);
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'auto-map' CHECK (kind IN ('auto-map', 'drift-fix'));
ALTER TABLE runs ADD COLUMN fixes_json TEXT;
ALTER TABLE runs ADD COLUMN created_categories_json TEXT;
