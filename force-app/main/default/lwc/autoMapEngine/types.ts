/**
 * The engine's contract: the types every caller codes against (the wizard, the stage service, the preview, the CLI).
 * docs/contracts.md mirrors them; where the two differ, this file wins.
 */

/** The kind of stage a Salesforce object maps to: Contact and Lead values map to contact stages, Account to account. */
export type Family = 'contact' | 'account';

/** What the plan does with one value. Skips never create or change anything. */
export type OutcomeKind =
    'already-mapped' | 'map-existing' | 'create-and-map' | 'skip-stage-taken' | 'skip-ambiguous' | 'skip-inactive';

/** Every outcome, in the order the summary and the UI list them. */
export const OUTCOME_KINDS: readonly OutcomeKind[] = Object.freeze([
    'already-mapped',
    'map-existing',
    'create-and-map',
    'skip-stage-taken',
    'skip-ambiguous',
    'skip-inactive'
] as const);

/** One picklist value as the UI API gives it. `active` defaults to true; a missing label means the value. */
export interface PicklistValueInput {
    value: string;
    label?: string;
    active?: boolean;
}

/** A stage of the family the scope's object maps to. */
export interface StageInput {
    id: string;
    name: string;
}

/**
 * An existing mapping of the scope: the picklist value (API name) and the stage it maps to. `label` is the value's
 * label when the mapping was made (drift compares it with today's label); old data has none, and then the value
 * stands for it. `labelLanguage` is the language that label was read in (the UI API gives labels in the reading
 * user's language): see {@link DriftOptions.language}. Planning ignores both.
 */
export interface MappingInput {
    value: string;
    stageId: string;
    label?: string;
    labelLanguage?: string;
}

/** Everything a plan needs: one scope, its values in picklist order, the family's stages, the scope's mappings. */
export interface PlanInput {
    object: string;
    field: string;
    values: PicklistValueInput[];
    stages: StageInput[];
    mappings: MappingInput[];
}

/** The decision for one value, with the English reason shown by the CLI, the service's history and the logs. */
export interface PlannedOutcome {
    value: string;
    label: string;
    outcome: OutcomeKind;
    /** already-mapped, map-existing; for skip-stage-taken the id of the held stage (absent when it is planned). */
    stageId?: string;
    /** map-existing, create-and-map, skip-stage-taken; for already-mapped the stage's name when it still exists. */
    stageName?: string;
    /** skip-stage-taken: the value that holds the stage (an existing mapping or a value planned earlier). */
    heldBy?: string;
    /** skip-ambiguous: the stages that share the key, sorted by id. */
    candidates?: StageInput[];
    reason: string;
}

/** A near match for the admin to confirm; never applied automatically. */
export interface Suggestion {
    value: string;
    stageId: string;
    stageName: string;
    /** In (0, 1]; higher is closer. 1 means the same key (only possible for skipped values). */
    score: number;
    why: string;
}

/** How many values got each outcome; every kind is present, zero included. */
export interface PlanSummary {
    total: number;
    counts: Record<OutcomeKind, number>;
}

/** The engine's decision for every value of a scope, in picklist order. */
export interface Plan {
    object: string;
    field: string;
    family: Family;
    outcomes: PlannedOutcome[];
    suggestions: Suggestion[];
    summary: PlanSummary;
}

/** Where a created stage takes its name from: the value's label (the default) or its API name. */
export type NewStageNames = 'label' | 'apiName';

/** How to plan. */
export interface PlanOptions {
    /** `false` skips the only fuzzy (and most costly) part, for callers that only apply. */
    suggestions?: boolean;
    /**
     * Names of created stages: `label` (default) reads like the picklist in the running admin's language;
     * `apiName` gives every org the same, untranslated names. Matching is the same either way.
     */
    newStageNames?: NewStageNames;
}

/** What to tidy in a scope and its family (the article's "stay on top of housekeeping"). */
export interface HousekeepingReport {
    staleMappings: {
        value: string;
        stageId: string;
        stageName?: string;
        reason: 'value-missing' | 'value-inactive' | 'stage-missing';
    }[];
    /** Stages of the family that no mapping of THIS scope targets (other scopes may still use them). */
    unusedStages: StageInput[];
    /** Groups of two or more stages with the same key: the cause of skip-ambiguous. */
    duplicateStages: { key: string; stages: StageInput[] }[];
}

/** Either the checked input (a clean copy) or one message naming the problem and where it is. */
export type ValidationResult = { ok: true; value: PlanInput } | { ok: false; error: string; path: string };

/** Options of {@link validatePlanInput}. */
export interface ValidationOptions {
    /** Prefix for every path, e.g. `scenario[2]` gives `scenario[2].values[5].value`. */
    path?: string;
    /** Refuse more values than this (the service bounds its work per request). */
    maxValues?: number;
}

/**
 * Drift: how a scope's picklist moved since its values were mapped, one finding per value that drifted, in the
 * order the rules decide them (docs/contracts.md, "Drift").
 * - `probable-rename`: a mapped value is gone and exactly one active, unmapped value has its recorded label's key.
 * - `value-removed`: a mapped value is gone and no single such value stands in for it.
 * - `value-deactivated`: a mapped value is inactive.
 * - `label-changed`: a mapped value's label key is not the recorded label's key.
 * - `new-value`: an active, unmapped value no rename claims.
 */
export type DriftKind = 'probable-rename' | 'value-removed' | 'value-deactivated' | 'label-changed' | 'new-value';

/** Every drift kind, in the order the findings list them (rule 1's two kinds too: probable renames first). */
export const DRIFT_KINDS: readonly DriftKind[] = Object.freeze([
    'probable-rename',
    'value-removed',
    'value-deactivated',
    'label-changed',
    'new-value'
] as const);

/** What drift reads: a scope's current picklist values, its mappings (with their recorded labels) and the stages. */
export type DriftInput = PlanInput;

/** How to report drift. */
export interface DriftOptions {
    /** How auto-map would name the stages it creates for new values (as {@link PlanOptions.newStageNames}). */
    newStageNames?: NewStageNames;
    /**
     * The language today's labels are in (the reader's: `en_US`, `de`, `pt-BR`...). A mapping whose label was
     * recorded in another language is not compared with today's label (rule 3): a German admin reading a field mapped
     * by an English one would otherwise see every label as changed. Either language unknown: compared, as the rules
     * say. Rule 1 still reads the recorded label (a rename is recognised only by a label both languages share).
     */
    language?: string;
}

/**
 * One value that drifted. `fix` tells whether a safe one-click fix exists; which fix follows from the kind:
 * - probable-rename: move the mapping to `renamedTo` (same stage, the new value's label recorded);
 * - value-removed: remove the mapping (the stage and its records stay);
 * - label-changed: rename the stage `stageId` to `newStageName` (and record the new label);
 * - new-value: auto-map the value, which gives `outcome` (map-existing to `stageId`, or create-and-map `stageName`).
 */
export interface DriftFinding {
    /** The value the finding is about: a mapped value for the first four kinds (gone or not), an unmapped one last. */
    value: string;
    kind: DriftKind;
    /** The mapping's stage; for new-value the stage auto-map would map (map-existing) or names (skip-stage-taken). */
    stageId?: string;
    /** The stage's name when it exists; for new-value the name auto-map would map, create or found taken. */
    stageName?: string;
    /** The value's label today (absent when the value is gone). */
    label?: string;
    /** The label recorded with the mapping, or the value itself for old data (mapped values only). */
    recordedLabel?: string;
    /** probable-rename: the value the gone one probably became. */
    renamedTo?: string;
    /** value-removed without a fix: the active, unmapped values labelled like the gone one, sorted. */
    candidates?: string[];
    /** label-changed, when the stage was named after the old label: the name the new label gives. */
    newStageName?: string;
    /** new-value: what auto-map would do with the value (after the other fixes of the report). */
    outcome?: OutcomeKind;
    fix: boolean;
    /** English, like a plan's reasons: what drifted and what the fix does, or why there is none. */
    reason: string;
}

/** The drift of one scope: no findings means the scope is in sync with its picklist. */
export interface DriftReport {
    object: string;
    field: string;
    findings: DriftFinding[];
}

/** Either the checked drift input (a clean copy) or one message naming the problem and where it is. */
export type DriftValidationResult = { ok: true; value: DriftInput } | { ok: false; error: string; path: string };
