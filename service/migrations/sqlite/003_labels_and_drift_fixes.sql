-- Stage AutoMap stage service, SQLite schema 3 (issue 12: drift). A mapping records the label its value had when it
-- was made (null for mappings made before, whose value then stands for it), so drift can tell a relabel from a
-- rename, and the language that label was read in (`label_language`, e.g. `en_US`: the UI API gives labels in the
-- reading user's language, so drift compares a label only with labels read in the same one; null when not known,
-- never without a label). A run is an auto-map or a drift fix (`kind`); a drift fix records what each fix changed
-- (`fixes_json`, what its undo reverses) and a run records the categories of the stages it created
-- (`created_categories_json`, the counts its history shows). Stages created by a run keep their category in
-- `stages.category`.

ALTER TABLE mappings ADD COLUMN label TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 255);
ALTER TABLE mappings ADD COLUMN label_language TEXT
    CHECK (label_language IS NULL OR (label IS NOT NULL AND length(label_language) BETWEEN 2 AND 21));
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'auto-map' CHECK (kind IN ('auto-map', 'drift-fix'));
ALTER TABLE runs ADD COLUMN fixes_json TEXT;
ALTER TABLE runs ADD COLUMN created_categories_json TEXT;
