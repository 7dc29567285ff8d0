/**
 * The Apex client of the setup page: the one module that calls `StageAutoMapController`, with the contract's shapes
 * typed once (types/apex.d.ts reuses them), the conversions between the UI API and the engine, and the idempotency
 * key of an auto-map run. Components never import `@salesforce/apex/...` themselves, so the preview build and the
 * tests have one boundary to replace.
 *
 * The controller hands over the answers that can be large (a scope state, up to about 5 MB at the service's caps; a
 * stage deletion's list of removed mappings) as the service's JSON text, unparsed, to stay within the Apex heap: this module parses them. An apply returns the
 * plan's counts only; this module completes the result with the plan the admin previewed (an apply at the previewed
 * version carries out exactly that plan: the engine is deterministic and the version pins its input) and, on a
 * conflict, with a fresh plan made by the same engine on the state read again. See docs/contracts.md.
 *
 * Errors are not caught here: every method rejects with the AuraHandledException the controller threw, whose
 * `body.message` is written for an admin; components hand it to `c/errorPanel` (via `reduceErrors`). An answer that
 * is not JSON rejects with an Error whose message is the `StageService_MalformedResponse` label.
 */
import getMappedFieldsApex from '@salesforce/apex/StageAutoMapController.getMappedFields';
import getScopeStateApex from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMapApex from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import setMappingApex from '@salesforce/apex/StageAutoMapController.setMapping';
import createStageAndMapApex from '@salesforce/apex/StageAutoMapController.createStageAndMap';
import removeMappingApex from '@salesforce/apex/StageAutoMapController.removeMapping';
import getRunHistoryApex from '@salesforce/apex/StageAutoMapController.getRunHistory';
import undoRunApex from '@salesforce/apex/StageAutoMapController.undoRun';
import renameStageApex from '@salesforce/apex/StageAutoMapController.renameStage';
import deleteStageApex from '@salesforce/apex/StageAutoMapController.deleteStage';
import applyDriftFixesApex from '@salesforce/apex/StageAutoMapController.applyDriftFixes';
import malformedAnswer from '@salesforce/label/c.StageService_MalformedResponse';
import userLanguage from '@salesforce/i18n/lang';
import { driftReport, planAutoMap } from 'c/autoMapEngine';
import type { DriftReport, Family, NewStageNames, OutcomeKind, Plan, PlanInput, PlanSummary } from 'c/autoMapEngine';
import type { PicklistValue } from 'lightning/uiObjectInfoApi';

// ---------------------------------------------------------------------------------------------------------------
// The contract's shapes (service/openapi.yaml, as the controller returns them)
// ---------------------------------------------------------------------------------------------------------------

/** What the running user may do; the controller checks the same custom permissions on every call. */
export interface Access {
    canEdit: boolean;
    canView: boolean;
}

/** One Salesforce object and one of its picklist fields, e.g. Lead.Status. */
export interface Scope {
    objectApiName: string;
    fieldApiName: string;
}

/** The parameters every scope-level Apex method takes. */
export type ScopeParams = Scope;

/** A Salesforce user as the service records it (who ran or undid a run, who made a mapping). */
export interface UserRef {
    id: string;
    name: string;
}

/** Where a stage sits in the sales process; `null` when the stage has no category. */
export type StageCategory = 'in_progress' | 'succeeded' | 'failed' | null;

/** A stage of the sales-engagement platform. `recordCount` is how many contacts or accounts are in it. */
export interface Stage {
    id: string;
    family: Family;
    name: string;
    displayOrder: number;
    category: StageCategory;
    recordCount: number;
    createdAt: string;
}

/** One mapping of a scope: a picklist value (API name) and its stage. Who made it is not listed (kept small). */
export interface Mapping {
    value: string;
    stageId: string;
    source: 'manual' | 'auto';
    /** The run that created an auto mapping; null for a manual one. */
    runId: string | null;
    /** The value's label when the mapping was made (drift compares it with today's); absent for old data. */
    label?: string;
    /** The language that label was read in (the mapping user's, e.g. `en_US`); absent when not known. */
    labelLanguage?: string;
}

/** A mapping of the same family in another field: which value elsewhere holds a stage. */
export interface OtherMapping {
    object: string;
    field: string;
    value: string;
    stageId: string;
}

/** Why an undo would be refused; `detail` names values and stages (never ids) and is shown as it is. */
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

/** What a run did: an auto-map, or fixes of drift (whose new-value part is an auto-map). */
export type RunKind = 'auto-map' | 'drift-fix';

/** How many stages a run created, by category (`none`: no category); every key is present, zeros included. */
export interface CreatedCategoryCounts {
    in_progress: number;
    succeeded: number;
    failed: number;
    none: number;
}

/** The drift kinds that have a fix: what a drift-fix run may do. */
export type FixableDriftKind = 'probable-rename' | 'value-removed' | 'label-changed' | 'new-value';

/** How many fixes of each kind a drift-fix run applied; every key is present (an auto-map run has all zeros). */
export type DriftFixCounts = Record<FixableDriftKind, number>;

/**
 * A recorded run: an auto-map, or a drift fix whose `summary` is the plan of its new-value part (total 0 when it had
 * none). `summary.counts` holds every outcome kind. `kind`, `createdCategories` and `fixCounts` are missing in runs
 * recorded before drift fixes existed (read a missing kind as 'auto-map').
 */
export interface RunSummary {
    id: string;
    object: string;
    field: string;
    family: Family;
    actor: UserRef;
    createdAt: string;
    summary: PlanSummary;
    undoneAt: string | null;
    undoneBy: UserRef | null;
    /** Why an undo would be refused now: the first three reasons; empty when the run can be undone. */
    undoBlockers: UndoBlocker[];
    /** How many reasons there are in all. */
    undoBlockerCount: number;
    kind?: RunKind;
    createdCategories?: CreatedCategoryCounts;
    fixCounts?: DriftFixCounts;
}

/**
 * Everything the wizard needs for one scope in one callout: the family's stages, the scope's mappings, the family's
 * mappings in other fields, the state version an apply must name, and the last run (null before the first).
 */
export interface ScopeState {
    object: string;
    field: string;
    family: Family;
    version: number;
    stages: Stage[];
    mappings: Mapping[];
    otherMappings: OtherMapping[];
    lastRun?: RunSummary | null;
}

/**
 * One field of an object that has at least one mapping or one run: how many values are mapped (0 after an undo
 * took them all) and when its newest run was made (undone or not; null or missing when it never had one: a null
 * member of what an `@AuraEnabled` method returns may reach the component as missing).
 */
export interface ScopeSummary {
    object: string;
    field: string;
    family: Family;
    mappingCount: number;
    lastRunAt?: string | null;
    /** The scope's mapped values with the label each had when it was mapped (absent for old data). */
    mappings?: ScopeMappingLabel[];
}

/** A mapped value of a scope summary: enough to tell whether the field is in sync with its picklist. */
export interface ScopeMappingLabel {
    value: string;
    label?: string;
    labelLanguage?: string;
}

/** The object's scopes with a mapping or a run, by field name. */
export interface ScopeList {
    scopes: ScopeSummary[];
}

/** A picklist value as the controller takes it: the UI API's value and (possibly translated) label. */
export interface ServiceValue {
    value: string;
    label: string;
    active: boolean;
}

/** What `applyAutoMap` sends the controller. */
export interface ApplyParams extends ScopeParams {
    values: ServiceValue[];
    expectedVersion: number;
    idempotencyKey: string;
    newStageNames: NewStageNames;
    /**
     * The category of the stage auto-map creates for a value, by value (a value of `values`); `''` or a missing
     * value: no category. Entries for values that do not get create-and-map are ignored.
     */
    categories: Record<string, string>;
}

/** One drift fix to apply: a finding's value and kind (a finding with `fix: true`). */
export interface DriftFixRequest {
    value: string;
    kind: FixableDriftKind;
}

/** What `applyDriftFixes` sends the controller. */
export interface DriftFixParams extends ScopeParams {
    values: ServiceValue[];
    fixes: DriftFixRequest[];
    expectedVersion: number;
    idempotencyKey: string;
    newStageNames: NewStageNames;
}

/**
 * What the controller answers to drift fixes (as JSON text): the recorded run, or a conflict when the version moved
 * or a requested fix is no longer offered (`detail` says which); nothing is applied on a conflict.
 */
export type DriftFixAnswer =
    { status: 'applied'; version: number; run: RunSummary } | { status: 'conflict'; version: number; detail: string };

/** A drift fix's result, with the scope's state read again after it (the page reports drift again on it). */
export type DriftFixResult =
    | { status: 'applied'; version: number; run: RunSummary; state: ScopeState }
    | { status: 'conflict'; version: number; detail: string; state: ScopeState };

/**
 * What the controller answers to an apply (as JSON text): the applied run with the plan's counts only (no outcomes,
 * no suggestions, no created stages), or a conflict with the current version.
 */
export type ApplyAnswer =
    | { status: 'applied'; version: number; plan: Plan; run: RunSummary; createdStages: Stage[] }
    | { status: 'conflict'; version: number; plan: Plan; detail: string };

/** The run was applied: the plan the service applied, the recorded run and the stages it created. */
export interface AppliedResult {
    status: 'applied';
    version: number;
    plan: Plan;
    run: RunSummary;
    createdStages: Stage[];
}

/** The state moved since the preview (HTTP 409): nothing was applied; `plan` is the fresh plan. */
export interface ConflictResult {
    status: 'conflict';
    version: number;
    plan: Plan;
    detail: string;
}

export type ApplyResult = AppliedResult | ConflictResult;

export interface RunHistory {
    runs: RunSummary[];
}

export interface UndoResult {
    run: RunSummary;
    version: number;
}

/** A mapping removed because its stage was deleted (in any scope of the family). */
export interface RemovedMapping {
    object: string;
    field: string;
    value: string;
}

export interface DeleteStageResult {
    deleted: Stage;
    movedRecords: number;
    removedMappings: RemovedMapping[];
}

// ---------------------------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------------------------

/** An answer the controller passed through as JSON text: it must be a JSON object. */
function parseObject(text: string): object {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new Error(malformedAnswer);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error(malformedAnswer);
    }
    return parsed;
}

/** A scope state the controller passed through (the service's `ScopeState`, as service/openapi.yaml declares it). */
function parseState(text: string): ScopeState {
    return parseObject(text) as ScopeState;
}

/** The scope's current state, always fresh (the controller method is not cacheable). */
export async function fetchScopeState(scope: Scope): Promise<ScopeState> {
    return parseState(
        await getScopeStateApex({ objectApiName: scope.objectApiName, fieldApiName: scope.fieldApiName })
    );
}

/**
 * The object's fields that have a mapping or a run, each with its mapped values and their labels, always fresh (the
 * controller method is not cacheable). The controller passes the list through as JSON text: with the labels it can
 * be large.
 */
export async function fetchMappedFields(objectApiName: string): Promise<ScopeSummary[]> {
    const list = parseObject(await getMappedFieldsApex({ objectApiName })) as Partial<ScopeList>;
    if (!Array.isArray(list.scopes)) {
        throw new Error(malformedAnswer);
    }
    return list.scopes;
}

/**
 * Applies an auto-map. `expectedVersion` is the version the admin previewed and `previewedPlan` the plan shown then
 * (made with the same `values` and `newStageNames`): the service applies exactly that plan at that version, so the
 * result carries it, with the stages the run created read from the scope's state after the apply. When the state
 * moved since, nothing is applied and the result is a conflict with a fresh plan, made by the engine on the state
 * read again. `idempotencyKey` comes from {@link newIdempotencyKey}, once per run, and is sent again unchanged on a
 * retry so nothing is applied twice. Two callouts: the apply, then the state.
 */
export async function applyAutoMap(
    scope: Scope,
    values: ServiceValue[],
    expectedVersion: number,
    idempotencyKey: string,
    previewedPlan: Plan,
    newStageNames: NewStageNames = 'label',
    categories: Record<string, StageCategory> = {}
): Promise<ApplyResult> {
    const answer = parseObject(
        await applyAutoMapApex({
            objectApiName: scope.objectApiName,
            fieldApiName: scope.fieldApiName,
            values,
            expectedVersion,
            idempotencyKey,
            newStageNames,
            categories: toApexCategories(categories)
        })
    ) as ApplyAnswer;
    const state = await fetchScopeState(scope);
    if (answer.status === 'conflict') {
        const plan = planAutoMap(toPlanInput(scope, values, state), { newStageNames });
        return { status: 'conflict', version: state.version, plan, detail: answer.detail };
    }
    return {
        status: 'applied',
        version: answer.version,
        plan: previewedPlan,
        run: answer.run,
        createdStages: createdStagesOf(previewedPlan, answer.run, state)
    };
}

/**
 * The categories as the controller takes them (`Map<String, String>`): null (no category) is sent as `''`, because a
 * null map value may not reach Apex as a key at all. The controller checks the keys and values.
 */
function toApexCategories(categories: Readonly<Record<string, StageCategory>>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [value, category] of Object.entries(categories)) {
        result[value] = category ?? '';
    }
    return result;
}

/** The stages a run created, in the plan's order: those its create-and-map values are now mapped to by the run. */
function createdStagesOf(plan: Plan, run: RunSummary, state: ScopeState): Stage[] {
    const stages = stagesById(state);
    const mappings = new Map(state.mappings.map((mapping) => [mapping.value, mapping] as const));
    return plan.outcomes.flatMap((outcome) => {
        const mapping = outcome.outcome === 'create-and-map' ? mappings.get(outcome.value) : undefined;
        const stage = mapping?.runId === run.id ? stages.get(mapping.stageId) : undefined;
        return stage ? [stage] : [];
    });
}

/**
 * Maps one value to one stage by hand; the service refuses when either is already mapped in the scope. `label` is
 * the value's label now, recorded with the mapping so drift can tell a relabel later (none: the value stands for it).
 */
export async function mapValue(scope: Scope, value: string, stageId: string, label?: string): Promise<ScopeState> {
    return parseState(
        await setMappingApex({
            objectApiName: scope.objectApiName,
            fieldApiName: scope.fieldApiName,
            value,
            stageId,
            label
        })
    );
}

/**
 * Creates a stage named `stageName` and maps one value to it, in one transaction: the way forward for a value that
 * auto-map skipped. Refused, naming the existing stage, when a stage of the family has that name (ignoring case and
 * spacing).
 */
export async function mapValueToNewStage(
    scope: Scope,
    value: string,
    stageName: string,
    label?: string
): Promise<ScopeState> {
    return parseState(
        await createStageAndMapApex({
            objectApiName: scope.objectApiName,
            fieldApiName: scope.fieldApiName,
            value,
            stageName,
            label
        })
    );
}

/**
 * Applies drift fixes, each a finding's value and kind (findings with `fix: true` of {@link driftOf} on the state
 * at `expectedVersion`, with the same `values` and `newStageNames`), as one recorded, undoable run. When the version
 * moved or a fix is no longer offered on the service's state, nothing is applied and the result is a conflict.
 * `idempotencyKey` comes from {@link newIdempotencyKey}, once per apply, and is sent again unchanged on a retry. Two
 * callouts: the fixes, then the state read again (the page reports drift again on it).
 */
export async function applyDriftFixes(
    scope: Scope,
    values: ServiceValue[],
    fixes: DriftFixRequest[],
    expectedVersion: number,
    idempotencyKey: string,
    newStageNames: NewStageNames = 'label'
): Promise<DriftFixResult> {
    const answer = parseObject(
        await applyDriftFixesApex({
            objectApiName: scope.objectApiName,
            fieldApiName: scope.fieldApiName,
            values,
            fixes: fixes.map((fix) => ({ value: fix.value, kind: fix.kind })),
            expectedVersion,
            idempotencyKey,
            newStageNames
        })
    ) as DriftFixAnswer;
    const state = await fetchScopeState(scope);
    if (answer.status === 'conflict') {
        return { status: 'conflict', version: state.version, detail: answer.detail, state };
    }
    return { status: 'applied', version: answer.version, run: answer.run, state };
}

/** Removes the mapping of one value. */
export async function unmapValue(scope: Scope, value: string): Promise<ScopeState> {
    return parseState(
        await removeMappingApex({ objectApiName: scope.objectApiName, fieldApiName: scope.fieldApiName, value })
    );
}

/** The scope's runs, newest first. */
export async function fetchRunHistory(scope: Scope): Promise<RunSummary[]> {
    const history = await getRunHistoryApex({
        objectApiName: scope.objectApiName,
        fieldApiName: scope.fieldApiName
    });
    return history.runs;
}

/** Undoes a run; the service refuses, saying why, when later changes depend on it. */
export function undoRun(runId: string): Promise<UndoResult> {
    return undoRunApex({ runId });
}

/** Renames a stage; refused, naming the existing stage, when another stage of the family has the name. */
export function renameStage(stageId: string, name: string): Promise<Stage> {
    return renameStageApex({ stageId, name });
}

/**
 * Deletes a stage, moving its records to another stage in the same transaction (null when it has none). The answer
 * lists every mapping removed with it, in any field: up to 2,000, so the controller passes it through as text.
 */
export async function deleteStage(stageId: string, moveRecordsToStageId: string | null): Promise<DeleteStageResult> {
    return parseObject(await deleteStageApex({ stageId, moveRecordsToStageId })) as DeleteStageResult;
}

// ---------------------------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------------------------

/** The master record type id: with it, the UI API lists every active value of a field. */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

/**
 * The UI API's values as the controller and the engine take them. The UI API lists only active values, so every
 * value is active; the label is the one the admin sees (translated), the value is the stable API name.
 */
export function toServiceValues(values: readonly PicklistValue[]): ServiceValue[] {
    return values.map((entry) => ({ value: entry.value, label: entry.label, active: true }));
}

/** The engine's input for a scope's state and values: ids and names only (planning ignores mapping labels). */
export function toPlanInput(scope: Scope, values: readonly ServiceValue[], state: ScopeState): PlanInput {
    return {
        object: scope.objectApiName,
        field: scope.fieldApiName,
        values: toEngineValues(values),
        stages: state.stages.map((stage) => ({ id: stage.id, name: stage.name })),
        mappings: state.mappings.map((mapping) => ({ value: mapping.value, stageId: mapping.stageId }))
    };
}

function toEngineValues(values: readonly ServiceValue[]): PlanInput['values'] {
    return values.map((entry) => ({ value: entry.value, label: entry.label, active: entry.active }));
}

/**
 * How the scope's picklist drifted since its values were mapped: the engine's `driftReport` on the values and the
 * state, the mappings with the labels they recorded. `newStageNames` is how new values' stages would be named, as
 * in the auto-map preview (the fixes must be applied with the same).
 */
export function driftOf(
    scope: Scope,
    values: readonly ServiceValue[],
    state: ScopeState,
    newStageNames: NewStageNames = 'label'
): DriftReport {
    return driftReport(
        {
            object: scope.objectApiName,
            field: scope.fieldApiName,
            values: toEngineValues(values),
            stages: state.stages.map((stage) => ({ id: stage.id, name: stage.name })),
            mappings: state.mappings.map((mapping) => withLabel(mapping.value, mapping.stageId, mapping))
        },
        { newStageNames, language: userLanguage }
    );
}

/**
 * Whether a mapped field is in sync with its picklist: the engine finds no drift for its values and the mapped
 * values (with their recorded labels) of its summary. No stages are needed: whether a finding exists never depends
 * on them (they only decide a finding's fix and stage names), so each mapping gets a stage id of its own that no
 * stage has. A summary without `mappings` has no mapped value to compare: in sync only when no active value is left
 * unmapped.
 */
export function inSync(values: readonly ServiceValue[], summary: ScopeSummary): boolean {
    const report = driftReport(
        {
            object: summary.object,
            field: summary.field,
            values: toEngineValues(values),
            stages: [],
            mappings: (summary.mappings ?? []).map((mapping, index) =>
                withLabel(mapping.value, `in-sync-${index}`, mapping)
            )
        },
        { language: userLanguage }
    );
    return report.findings.length === 0;
}

/**
 * A mapping as the engine takes it, with its recorded label and that label's language when known (strict optional
 * properties). The report is made in the user's language (`@salesforce/i18n/lang`, what the UI API's labels are in):
 * a label recorded in another language is not compared with today's.
 */
function withLabel(
    value: string,
    stageId: string,
    recorded: { label?: string; labelLanguage?: string }
): PlanInput['mappings'][number] {
    const mapping: PlanInput['mappings'][number] = { value, stageId };
    if (typeof recorded.label === 'string') {
        mapping.label = recorded.label;
    }
    if (typeof recorded.labelLanguage === 'string') {
        mapping.labelLanguage = recorded.labelLanguage;
    }
    return mapping;
}

/** The scope's stages by id (none while the state loads): the mapping table and housekeeping look stages up by id. */
export function stagesById(state: ScopeState | undefined): Map<string, Stage> {
    return new Map((state?.stages ?? []).map((stage) => [stage.id, stage] as const));
}

/** The fields with at least one mapping: the field picker lists them after the unmapped ones. */
export function mappedFieldNames(scopes: readonly ScopeSummary[]): string[] {
    return scopes.filter((scope) => scope.mappingCount > 0).map((scope) => scope.field);
}

/**
 * Whether an auto-map has ever run for any field of the object (an undone run counts: it ran). A missing `lastRunAt`
 * is no run, like null: Apex may leave a null member out of what it returns.
 */
export function hasAutoMapRun(scopes: readonly ScopeSummary[]): boolean {
    return scopes.some((scope) => scope.lastRunAt !== null && scope.lastRunAt !== undefined);
}

/** The sum of the counts of some outcome kinds, e.g. every skip of a plan or run. */
export function countOf(counts: Record<OutcomeKind, number>, ...kinds: OutcomeKind[]): number {
    return kinds.reduce((sum, kind) => sum + counts[kind], 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------------------------

/**
 * A new idempotency key (a random UUID v4). Generate one per run, when the admin first selects Create and Map, and
 * send the same key on every retry of that run: the service then returns the first result instead of applying again.
 * Falls back to `getRandomValues` where `randomUUID` is missing (older Lightning Web Security sandboxes).
 */
export function newIdempotencyKey(): string {
    if (typeof crypto.randomUUID === 'function') {
        return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
