-- Stage AutoMap stage service, PostgreSQL schema 3 (as SQLite's; issue 12: drift). A mapping records the label its
-- value had when it was made (null for mappings made before, whose value then stands for it) and the language that
-- label was read in (`label_language`, e.g. `en_US`; null when not known, never without a label). A run is an
-- auto-map or a drift fix (`kind`); a drift fix records what each fix changed (`fixes_json`, what its undo reverses)
-- and a run records the categories of the stages it created (`created_categories_json`). Stages created by a run
-- keep their category in `stages.category`.

ALTER TABLE mappings
    ADD COLUMN label text CHECK (label IS NULL OR char_length(label) BETWEEN 1 AND 255),
    ADD COLUMN label_language text,
    ADD CONSTRAINT mappings_label_language_check
        CHECK (label_language IS NULL OR (label IS NOT NULL AND char_length(label_language) BETWEEN 2 AND 21));
ALTER TABLE runs
    ADD COLUMN kind text NOT NULL DEFAULT 'auto-map' CHECK (kind IN ('auto-map', 'drift-fix')),
    ADD COLUMN fixes_json text,
    ADD COLUMN created_categories_json text;
