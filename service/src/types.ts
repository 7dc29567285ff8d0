/**
 * The shapes the service sends and receives, as declared in service/openapi.yaml (the source of truth; the tests
 * validate every response against it).
 */
import type {
    Family,
    NewStageNames,
    Plan,
    PlannedOutcome,
    PlanSummary,
    PicklistValueInput
} from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';

export type { Family, NewStageNames, Plan, PlannedOutcome, PlanSummary, PicklistValueInput };

export const FAMILIES: readonly Family[] = ['contact', 'account'];
export const OBJECTS = ['Contact', 'Lead', 'Account'] as const;
export type ObjectApiName = (typeof OBJECTS)[number];
export type Category = 'in_progress' | 'succeeded' | 'failed' | null;
/** The categories a stage may have, as the counts of a run's created stages name them (`none`: no category). */
export const CATEGORY_NAMES = ['in_progress', 'succeeded', 'failed'] as const;

/** What a run did: an auto-map, or drift fixes (`POST .../drift-fixes`). */
export type RunKind = 'auto-map' | 'drift-fix';

/** How many stages a run created, by category; every key present, zeros included. */
export interface CreatedCategoryCounts {
    in_progress: number;
    succeeded: number;
    failed: number;
    none: number;
}

/** The drift kinds a fix exists for (the engine's `DriftKind`s whose findings may carry `fix: true`). */
export type FixKind = 'probable-rename' | 'value-removed' | 'label-changed' | 'new-value';
export const FIX_KINDS: readonly FixKind[] = ['probable-rename', 'value-removed', 'label-changed', 'new-value'];

/** How many fixes of each kind a run applied; every key present, zeros included (an auto-map's are all zero). */
export type DriftFixCounts = Record<FixKind, number>;

export interface Actor {
    id: string;
    name: string;
}

export interface Scope {
    object: ObjectApiName;
    field: string;
    family: Family;
}

export interface Stage {
    id: string;
    family: Family;
    name: string;
    displayOrder: number;
    category: Category;
    recordCount: number;
    createdAt: string;
}

/**
 * One mapping of a scope as a scope state lists it: what a page and a plan need, nothing more (who made a mapping
 * and when stay in the database: a scope state must stay small enough for Apex, see limits.ts).
 */
export interface Mapping {
    value: string;
    stageId: string;
    source: 'manual' | 'auto';
    runId: string | null;
    /** The value's label when the mapping was made; absent for mappings made before labels were recorded. */
    label?: string;
    /**
     * The language `label` was read in (`en_US`, `de`: the UI API gives labels in the reading user's language), as
     * the request that recorded it said; absent when it did not say. Drift compares the label only with labels read
     * in the same language (the engine's `DriftOptions.language`).
     */
    labelLanguage?: string;
}

/** A mapping as stored, with who made it and when (the undo blockers name the person). */
export interface StoredMapping extends Mapping {
    createdAt: string;
    createdBy: Actor;
}

/** Why a run cannot be undone: a later change depends on what it did. Names, never ids, in `detail`. */
export interface UndoBlocker {
    kind:
        | 'already-undone'
        | 'mapping-removed'
        | 'mapping-changed'
        | 'stage-deleted'
        | 'records-in-stage'
        | 'stage-mapped-elsewhere';
    value?: string;
    stageId?: string;
    stageName?: string;
    detail: string;
}

export interface RunSummary {
    id: string;
    object: ObjectApiName;
    field: string;
    family: Family;
    actor: Actor;
    createdAt: string;
    summary: PlanSummary;
    undoneAt: string | null;
    undoneBy: Actor | null;
    /** Why an undo would be refused now (the first MAX_UNDO_BLOCKERS_LISTED); empty when the run can be undone. */
    undoBlockers: UndoBlocker[];
    /** How many reasons there are in all. */
    undoBlockerCount: number;
    kind: RunKind;
    /** The stages the run created, by the category each was created with. */
    createdCategories: CreatedCategoryCounts;
    /** A drift-fix run's fixes by kind (all zero for an auto-map). */
    fixCounts: DriftFixCounts;
}

export interface CreatedMapping {
    value: string;
    stageId: string;
}

export interface Run extends RunSummary {
    outcomes: PlannedOutcome[];
    createdStageIds: string[];
    createdMappings: CreatedMapping[];
    /** A drift-fix run's fixes, in the order they were asked for (absent for an auto-map). */
    fixes?: AppliedFix[];
}

/**
 * One fix a drift-fix run applied, as its answer and its history show it:
 * - probable-rename: the mapping moved `fromValue` → `toValue`, on stage `stageId`;
 * - value-removed: the mapping of `value` to `stageId` was removed;
 * - label-changed: stage `stageId` was renamed `oldStageName` → `newStageName`;
 * - new-value: the value was auto-mapped: `outcome` (map-existing or create-and-map to `stageId`; a skip maps
 *   nothing and names a stage only when the plan does).
 */
export interface AppliedFix {
    value: string;
    kind: FixKind;
    stageId?: string;
    fromValue?: string;
    toValue?: string;
    oldStageName?: string;
    newStageName?: string;
    outcome?: PlannedOutcome['outcome'];
}

/** A mapping of another scope of the same family: which field and value hold a stage elsewhere. */
export interface OtherMapping {
    object: ObjectApiName;
    field: string;
    value: string;
    stageId: string;
}

export interface ScopeState {
    object: ObjectApiName;
    field: string;
    family: Family;
    version: number;
    stages: Stage[];
    mappings: Mapping[];
    /** The family's mappings in every other scope, so a page can say what a change elsewhere would remove. */
    otherMappings: OtherMapping[];
    lastRun: RunSummary | null;
}

/** One scope of an object that has a mapping or a run (`GET /v1/scopes?object=`). */
export interface ScopeSummary {
    object: ObjectApiName;
    field: string;
    family: Family;
    mappingCount: number;
    /** The newest run's time (undone or not), or null when the scope never had a run. */
    lastRunAt: string | null;
    /** With `include=mappings`: each mapping's value and recorded label (by value), for the page's in-sync marks. */
    mappings?: ScopeMappingLabel[];
}

/** A mapping as the scope list names it: enough to tell whether the field drifted, with the picklist's values. */
export interface ScopeMappingLabel {
    value: string;
    label?: string;
    labelLanguage?: string;
}

/** What a scope list carries beyond the counts. */
export interface ScopeListOptions {
    /** Each scope's mappings' values and recorded labels. */
    mappings?: boolean;
}

export interface StageRecord {
    recordId: string;
    family: Family;
    stageId: string;
    updatedAt: string;
}

export interface CreateStageInput {
    family: Family;
    name: string;
    category?: Category;
}

export interface UpdateStageInput {
    name?: string;
    category?: Category;
    displayOrder?: number;
}

export interface DeleteStageResult {
    deleted: Stage;
    movedRecords: number;
    removedMappings: { object: ObjectApiName; field: string; value: string }[];
}

export interface RecordQuery {
    stageId?: string;
    family?: Family;
    limit: number;
    cursor?: string;
}

export interface RecordPage {
    records: StageRecord[];
    nextCursor: string | null;
}

export interface RecordInput {
    recordId: string;
    family: Family;
    stageId: string;
}

export interface MoveRecordsInput {
    fromStageId: string;
    toStageId: string;
    recordIds?: string[];
}

/** Map a value to an existing stage (`stageId`) or to a new stage created with it (`stageName`): one of the two. */
export interface SetMappingInput {
    value: string;
    stageId?: string;
    stageName?: string;
    expectedVersion?: number;
    /** The value's label now, recorded with the mapping (drift compares it with later labels). */
    label?: string;
    /** The language `label` is in, recorded with it (ignored without a label). */
    labelLanguage?: string;
}

/**
 * How much an auto-map answer carries: `full` (default) every outcome, suggestion and created stage; `summary` only
 * the plan's counts, for a caller that holds the plan it previewed (the Apex, whose heap and callout answer are
 * bounded).
 */
export type AutoMapAnswer = 'full' | 'summary';

export interface AutoMapInput {
    values: PicklistValueInput[];
    /** The category of the stage created for a value (`create-and-map` only; others ignored); absent: none. */
    categories?: Record<string, Category>;
    expectedVersion?: number;
    dryRun?: boolean;
    /** What created stages are named by: the label (default) or the API name. */
    newStageNames?: NewStageNames;
    answer?: AutoMapAnswer;
    /** The language the values' labels are in, recorded with every mapping the apply makes. */
    labelLanguage?: string;
}

export interface AutoMapBody {
    status: 'planned' | 'applied';
    version: number;
    plan: Plan;
    run: RunSummary | null;
    createdStages: Stage[];
}

/** An auto-map answer; `replayed` when it is the stored result of an earlier request with the same key. */
export interface AutoMapResult {
    body: AutoMapBody;
    replayed: boolean;
}

/** One fix asked for: the finding's value and its kind (the finding must offer that fix). */
export interface DriftFixRequest {
    value: string;
    kind: FixKind;
}

export interface DriftFixInput {
    /** The field's current picklist values (as an auto-map's). */
    values: PicklistValueInput[];
    fixes: DriftFixRequest[];
    expectedVersion: number;
    newStageNames?: NewStageNames;
    answer?: AutoMapAnswer;
    /**
     * The language the values' labels are in: the report compares recorded labels only with labels of the same
     * language, and every label a fix records is recorded with it.
     */
    labelLanguage?: string;
}

export interface DriftFixBody {
    status: 'applied';
    version: number;
    run: RunSummary;
    /** Every fix applied, in the order asked (omitted with `answer: summary`). */
    fixes?: AppliedFix[];
}

export interface DriftFixResult {
    body: DriftFixBody;
    replayed: boolean;
}

export interface Idempotency {
    key: string;
    /** SHA-256 of the canonical request (scope and body): the same key with another request is refused. */
    requestHash: string;
}

export interface RunQuery {
    object?: ObjectApiName;
    field?: string;
    limit: number;
}

export interface UndoResult {
    run: RunSummary;
    version: number;
}

/** Everything the HTTP layer asks of storage; every method is scoped to one team. */
export interface Store {
    readonly kind: 'sqlite' | 'postgres';
    /** Creates a team with a new API key (or the given one), returning the key once: only its hash is stored. */
    createTeam(name: string, options?: { apiKey?: string }): Promise<{ teamId: string; keyId: string; apiKey: string }>;
    /** The team of a working key (not revoked, not past its grace period), or null; checked on every call. */
    authenticate(apiKey: string): Promise<string | null>;
    ping(): Promise<void>;
    listStages(teamId: string, family?: Family): Promise<Stage[]>;
    createStage(teamId: string, actor: Actor, input: CreateStageInput): Promise<Stage>;
    updateStage(teamId: string, actor: Actor, stageId: string, input: UpdateStageInput): Promise<Stage>;
    deleteStage(teamId: string, actor: Actor, stageId: string, moveRecordsTo?: string): Promise<DeleteStageResult>;
    listRecords(teamId: string, query: RecordQuery): Promise<RecordPage>;
    upsertRecords(teamId: string, actor: Actor, records: RecordInput[]): Promise<{ upserted: number }>;
    moveRecords(teamId: string, actor: Actor, input: MoveRecordsInput): Promise<{ moved: number }>;
    getScopeState(teamId: string, scope: Scope): Promise<ScopeState>;
    /** The object's scopes with at least one mapping or run, by field name (ordinal). */
    listScopes(teamId: string, object: ObjectApiName, options?: ScopeListOptions): Promise<ScopeSummary[]>;
    setMapping(teamId: string, actor: Actor, scope: Scope, input: SetMappingInput): Promise<ScopeState>;
    removeMapping(teamId: string, actor: Actor, scope: Scope, value: string): Promise<ScopeState>;
    autoMap(
        teamId: string,
        actor: Actor,
        scope: Scope,
        input: AutoMapInput,
        idempotency: Idempotency | null
    ): Promise<AutoMapResult>;
    /** Applies drift fixes as one `drift-fix` run (versioned and idempotent as an auto-map). */
    applyDriftFixes(
        teamId: string,
        actor: Actor,
        scope: Scope,
        input: DriftFixInput,
        idempotency: Idempotency | null
    ): Promise<DriftFixResult>;
    listRuns(teamId: string, query: RunQuery): Promise<RunSummary[]>;
    getRun(teamId: string, runId: string): Promise<Run>;
    undoRun(teamId: string, actor: Actor, runId: string): Promise<UndoResult>;
    close(): Promise<void>;
}
