/**
 * The business rules of the stage service, written once over the {@link Db} seam and so shared by SQLite and
 * PostgreSQL. Every method is scoped to one team (every statement filters on team_id), and every write runs in one
 * transaction that first locks the family's version row ({@link Tx.lockFamily}).
 *
 * The auto-map plans with the engine that the wizard uses (imported by path, never re-implemented), against the
 * state read inside the same transaction that writes the result.
 */
import {
    driftReport,
    familyOf,
    planAutoMap,
    stageKey,
    stageNameFromLabel
} from '../../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type {
    DriftFinding,
    MappingInput,
    PicklistValueInput,
    Plan,
    PlannedOutcome,
    PlanOptions
} from '../../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { newId } from '../ids.ts';
import {
    LIMITS,
    MAX_MAPPINGS_PER_FAMILY,
    MAX_MAPPINGS_PER_SCOPE,
    MAX_NAMES_IN_DETAIL,
    MAX_STAGES_PER_FAMILY,
    MAX_UNDO_BLOCKERS_LISTED
} from '../limits.ts';
import type { LimitName } from '../limits.ts';
import type { Logger } from '../logger.ts';
import { describeError } from '../logger.ts';
import { ApiError, conflict, invalid, notFound } from '../problems.ts';
import { FAMILIES, FIX_KINDS } from '../types.ts';
import type {
    Actor,
    AppliedFix,
    AutoMapBody,
    AutoMapInput,
    AutoMapResult,
    Category,
    CreatedCategoryCounts,
    CreatedMapping,
    CreateStageInput,
    DeleteStageResult,
    DriftFixBody,
    DriftFixCounts,
    DriftFixInput,
    DriftFixResult,
    Family,
    Idempotency,
    Mapping,
    MoveRecordsInput,
    ObjectApiName,
    OtherMapping,
    RecordInput,
    RecordPage,
    RecordQuery,
    Run,
    RunKind,
    RunQuery,
    RunSummary,
    Scope,
    ScopeState,
    ScopeListOptions,
    ScopeMappingLabel,
    ScopeSummary,
    SetMappingInput,
    Stage,
    StageRecord,
    Store,
    StoredMapping,
    UndoBlocker,
    UndoResult,
    UpdateStageInput
} from '../types.ts';
import type { Db, SqlValue, Tx } from './db.ts';
import { findWorkingKey, insertKey, LAST_USED_PRECISION_MS } from './keys.ts';
import type { IssuedKey } from './keys.ts';
import { appliedFix, fixUndoBlockers, requestedFindings } from './drift-fixes.ts';
import type { StoredFix } from './drift-fixes.ts';
import { figure, plural, quoted } from './text.ts';
import { WriteQueue } from './write-queue.ts';

interface StageRow {
    [column: string]: unknown;
    id: string;
    family: Family;
    name: string;
    display_order: number;
    category: Category;
    created_at: string;
    record_count: number;
}

interface MappingRow {
    [column: string]: unknown;
    object: ObjectApiName;
    field: string;
    value: string;
    stage_id: string;
    source: 'manual' | 'auto';
    run_id: string | null;
    created_at: string;
    created_by_id: string;
    created_by_name: string;
    label: string | null;
    label_language: string | null;
}

interface RunRow {
    [column: string]: unknown;
    id: string;
    object: ObjectApiName;
    field: string;
    family: Family;
    actor_id: string;
    actor_name: string;
    created_at: string;
    summary_json: string;
    undone_at: string | null;
    undone_by_id: string | null;
    undone_by_name: string | null;
    kind: RunKind;
    created_categories_json: string | null;
    outcomes_json?: string;
    created_stage_ids_json?: string;
    created_mappings_json?: string;
    fixes_json?: string | null;
}

/** What a plan writes (see SqlStore.planWrites). */
interface PlanWrites {
    createdStages: Stage[];
    createdMappings: CreatedMapping[];
    /** Each mapped value's label now. */
    labels: Map<string, string>;
    /** The language those labels are in (the request's `labelLanguage`), or null when it did not say. */
    labelLanguage: string | null;
    createdCategories: CreatedCategoryCounts;
}

interface RecordRow {
    [column: string]: unknown;
    record_id: string;
    family: Family;
    stage_id: string;
    updated_at: string;
}

export interface SqlStoreOptions {
    logger?: Logger;
    /**
     * Test hook (honoured only when NODE_ENV is `test`): pause this long inside an applying auto-map transaction,
     * after its stages are inserted and before its mappings are, so a crash test can kill the process mid-apply.
     */
    testApplyDelayMs?: number;
    /** How long a write may wait in its team and family's line before a 503 (default 10 s). */
    writeQueueTimeoutMs?: number;
    /** How many writes may wait in one line before more get a 503 (default 100). */
    writeQueueLimit?: number;
}

const STAGE_SELECT = `SELECT s.id, s.family, s.name, s.display_order, s.category, s.created_at,
    (SELECT CAST(COUNT(*) AS INTEGER) FROM records r WHERE r.team_id = s.team_id AND r.stage_id = s.id) AS record_count
    FROM stages s`;
const STAGE_ORDER = 'ORDER BY s.family, s.display_order, s.created_at, s.id';
const MAPPING_SELECT =
    'SELECT object, field, value, stage_id, source, run_id, created_at, created_by_id, created_by_name, label, label_language FROM mappings';
/** Every column a mapping row is inserted with, in the order the insert helpers give them. */
const MAPPING_COLUMNS = [
    'team_id',
    'object',
    'field',
    'family',
    'value',
    'stage_id',
    'source',
    'run_id',
    'created_at',
    'created_by_id',
    'created_by_name',
    'label',
    'label_language'
] as const;
const RUN_SUMMARY_COLUMNS =
    'id, object, field, family, actor_id, actor_name, created_at, summary_json, undone_at, undone_by_id, undone_by_name, kind, created_categories_json';
/** A summary and what an undo would change: enough to say whether the run can be undone, without its outcomes. */
const RUN_COLUMNS_FOR_UNDO = `${RUN_SUMMARY_COLUMNS}, created_stage_ids_json, created_mappings_json, fixes_json`;
const MAX_IN_LIST = 500;

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function stageFromRow(row: StageRow): Stage {
    return {
        id: row.id,
        family: row.family,
        name: row.name,
        displayOrder: row.display_order,
        category: row.category ?? null,
        recordCount: row.record_count,
        createdAt: row.created_at
    };
}

function mappingFromRow(row: MappingRow): StoredMapping {
    return {
        value: row.value,
        stageId: row.stage_id,
        source: row.source,
        runId: row.run_id ?? null,
        createdAt: row.created_at,
        createdBy: { id: row.created_by_id, name: row.created_by_name },
        ...(row.label === null ? {} : { label: row.label }),
        ...(row.label_language === null ? {} : { labelLanguage: row.label_language })
    };
}

/**
 * A mapping as a scope state lists it: without who made it and when; `label` and `labelLanguage` only when
 * recorded.
 */
function listedMapping(mapping: StoredMapping): Mapping {
    const listed: Mapping = {
        value: mapping.value,
        stageId: mapping.stageId,
        source: mapping.source,
        runId: mapping.runId
    };
    if (mapping.label !== undefined) {
        listed.label = mapping.label;
    }
    if (mapping.labelLanguage !== undefined) {
        listed.labelLanguage = mapping.labelLanguage;
    }
    return listed;
}

/** A stored mapping as the engine's drift report reads it: its value, stage, recorded label and that label's language. */
function engineMapping(mapping: StoredMapping): MappingInput {
    const input: MappingInput = { value: mapping.value, stageId: mapping.stageId };
    if (mapping.label !== undefined) {
        input.label = mapping.label;
    }
    if (mapping.labelLanguage !== undefined) {
        input.labelLanguage = mapping.labelLanguage;
    }
    return input;
}

/**
 * A run summary from a stored answer, in today's shape: answers stored before runs carried their undo blockers, their
 * kind and their counts were all auto-maps, whose created stages had no category.
 */
function storedRunSummary(stored: RunSummary): RunSummary {
    const run: Partial<RunSummary> = stored;
    const undoBlockers = Array.isArray(run.undoBlockers) ? run.undoBlockers : [];
    return {
        ...stored,
        undoBlockers,
        undoBlockerCount: typeof run.undoBlockerCount === 'number' ? run.undoBlockerCount : undoBlockers.length,
        kind: run.kind ?? 'auto-map',
        createdCategories: run.createdCategories ?? {
            ...noCategories(),
            none: stored.summary.counts['create-and-map']
        },
        fixCounts: run.fixCounts ?? fixCountsOf([])
    };
}

/** No stages created yet, by category. */
function noCategories(): CreatedCategoryCounts {
    return { in_progress: 0, succeeded: 0, failed: 0, none: 0 };
}

/** How many fixes of each kind (every kind, zeros included). */
function fixCountsOf(fixes: readonly AppliedFix[]): DriftFixCounts {
    const counts = Object.fromEntries(FIX_KINDS.map((kind) => [kind, 0])) as DriftFixCounts;
    for (const fix of fixes) {
        counts[fix.kind] += 1;
    }
    return counts;
}

function fixesOf(row: RunRow): StoredFix[] {
    return row.fixes_json === null || row.fixes_json === undefined ? [] : (JSON.parse(row.fixes_json) as StoredFix[]);
}

/**
 * The stages a run created, by category. Runs made before migration 003 recorded none: their stages were all created
 * without a category.
 */
function createdCategoriesOf(row: RunRow): CreatedCategoryCounts {
    if (row.created_categories_json !== null) {
        return JSON.parse(row.created_categories_json) as CreatedCategoryCounts;
    }
    return { ...noCategories(), none: createdStageIdsOf(row).length };
}

/** A run's summary as stored; its undo blockers depend on the current state and are added by the caller. */
function runSummaryFromRow(row: RunRow): Omit<RunSummary, 'undoBlockers' | 'undoBlockerCount'> {
    return {
        kind: row.kind,
        createdCategories: createdCategoriesOf(row),
        fixCounts: fixCountsOf(fixesOf(row)),
        id: row.id,
        object: row.object,
        field: row.field,
        family: row.family,
        actor: { id: row.actor_id, name: row.actor_name },
        createdAt: row.created_at,
        summary: JSON.parse(row.summary_json) as RunSummary['summary'],
        undoneAt: row.undone_at ?? null,
        undoneBy: row.undone_by_id === null ? null : { id: row.undone_by_id, name: row.undone_by_name ?? '' }
    };
}

function recordFromRow(row: RecordRow): StageRecord {
    return { recordId: row.record_id, family: row.family, stageId: row.stage_id, updatedAt: row.updated_at };
}

function chunks<T>(items: readonly T[], size = MAX_IN_LIST): T[][] {
    const result: T[][] = [];
    for (let index = 0; index < items.length; index += size) {
        result.push(items.slice(index, index + size));
    }
    return result;
}

function placeholders(count: number): string {
    return Array.from({ length: count }, () => '?').join(', ');
}

/** The refusal of a change that would pass a cap of limits.ts; the members name the cap and the numbers. */
function limitReached(limit: LimitName, current: number, adding: number, detail: string): ApiError {
    return conflict('limit-reached', detail, { limit, maximum: LIMITS[limit], current, adding });
}

/** A plan with its counts only: what an `answer: summary` request gets. */
function summaryOfPlan(plan: Plan): Plan {
    return { ...plan, outcomes: [], suggestions: [] };
}

/**
 * The answer a request asked for: as is, or (`answer: summary`) with the plan's counts only and no created stages.
 * A caller may ask for the summary when it holds the plan it previewed: an apply at the previewed version applies
 * exactly that plan, because the engine is deterministic and the version pins its input.
 */
function answered(body: AutoMapBody, input: AutoMapInput): AutoMapBody {
    return input.answer === 'summary' ? { ...body, plan: summaryOfPlan(body.plan), createdStages: [] } : body;
}

/** A record-list cursor: the last (family, record id) of a page, opaque to clients. */
function encodeCursor(family: Family, recordId: string): string {
    return Buffer.from(JSON.stringify([family, recordId]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [Family, string] {
    try {
        const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
        if (
            Array.isArray(parsed) &&
            parsed.length === 2 &&
            (parsed[0] === 'contact' || parsed[0] === 'account') &&
            typeof parsed[1] === 'string'
        ) {
            return [parsed[0] as Family, parsed[1]];
        }
    } catch {
        // fall through to the refusal
    }
    throw invalid(
        'invalid-cursor',
        'query.cursor: not a cursor this service returned (use nextCursor as given).',
        'query.cursor'
    );
}

export class SqlStore implements Store {
    readonly kind: 'sqlite' | 'postgres';
    /** The database seam; tests use it to check that the constraints hold on their own. */
    readonly db: Db;
    private readonly logger: Logger | undefined;
    private readonly testApplyDelayMs: number;
    private readonly queue: WriteQueue;
    /** Keys whose last use is being written (at most one write per key at a time). */
    private readonly noting = new Set<string>();
    /** Those writes, so that close() waits for them. */
    private readonly pendingNotes = new Set<Promise<void>>();

    constructor(db: Db, options: SqlStoreOptions = {}) {
        this.db = db;
        this.kind = db.dialect;
        this.logger = options.logger;
        this.testApplyDelayMs = process.env.NODE_ENV === 'test' ? (options.testApplyDelayMs ?? 0) : 0;
        this.queue = new WriteQueue(options.writeQueueTimeoutMs, options.writeQueueLimit);
    }

    /**
     * A write transaction, once the writes ahead of it in its team and family's line in this process are done
     * (see {@link WriteQueue}); `family` undefined is the team's line for writes whose family is read inside.
     */
    private write<T>(teamId: string, family: Family | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
        return this.queue.run(`${teamId} ${family ?? '*'}`, () => this.db.transaction('write', fn));
    }

    // -----------------------------------------------------------------------------------------------------------
    // Teams and keys
    // -----------------------------------------------------------------------------------------------------------

    async createTeam(name: string, options: { apiKey?: string } = {}): Promise<IssuedKey> {
        return this.db.transaction('write', (tx) => this.insertTeam(tx, name, options.apiKey));
    }

    /** A team, its first key and its family version rows, inside `tx`. */
    private async insertTeam(tx: Tx, name: string, apiKey?: string): Promise<IssuedKey> {
        const teamId = newId('team');
        const now = new Date().toISOString();
        await tx.run('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)', [teamId, name, now]);
        const issued = await insertKey(tx, teamId, now, apiKey);
        await tx.insertMany(
            'family_versions',
            ['team_id', 'family', 'version'],
            FAMILIES.map((family) => [teamId, family, 0])
        );
        return issued;
    }

    /**
     * The team of a working key (not revoked, not past its grace period), or null. Read from the database every
     * time, on purpose: a revocation or the end of a grace period holds on every instance at once.
     */
    async authenticate(apiKey: string): Promise<string | null> {
        const now = new Date().toISOString();
        const key = await findWorkingKey(this.db, apiKey, now);
        if (!key) {
            return null;
        }
        this.noteUse(key.keyId, key.lastUsedAt, now);
        return key.teamId;
    }

    /** Records a key's use, at most once a minute (a write on every request would cost more than the request). */
    private noteUse(keyId: string, lastUsedAt: string | null, now: string): void {
        const stale = lastUsedAt === null || Date.parse(now) - Date.parse(lastUsedAt) >= LAST_USED_PRECISION_MS;
        if (!stale || this.noting.has(keyId)) {
            return;
        }
        this.noting.add(keyId);
        const note = this.db
            .transaction('write', (tx) =>
                tx.run(
                    'UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
                    [now, keyId, now]
                )
            )
            .then(
                () => undefined,
                (error: unknown) => {
                    // Losing a "last used" time is not worth failing or slowing the request for.
                    this.logger?.warn('key-last-used-not-saved', { keyId, ...describeError(error) });
                }
            )
            .finally(() => {
                this.noting.delete(keyId);
                this.pendingNotes.delete(note);
            });
        this.pendingNotes.add(note);
    }

    async ping(): Promise<void> {
        await this.db.readOne('SELECT 1 AS ok');
    }

    async close(): Promise<void> {
        await Promise.allSettled([...this.pendingNotes]);
        await this.db.close();
    }

    // -----------------------------------------------------------------------------------------------------------
    // Reading helpers (inside a transaction)
    // -----------------------------------------------------------------------------------------------------------

    private async version(tx: Tx, teamId: string, family: Family): Promise<number> {
        const row = await tx.get<{ version: number }>(
            'SELECT version FROM family_versions WHERE team_id = ? AND family = ?',
            [teamId, family]
        );
        return row?.version ?? 0;
    }

    private async bump(tx: Tx, teamId: string, family: Family): Promise<number> {
        await tx.run('UPDATE family_versions SET version = version + 1 WHERE team_id = ? AND family = ?', [
            teamId,
            family
        ]);
        return this.version(tx, teamId, family);
    }

    private async stages(tx: Tx, teamId: string, family?: Family): Promise<Stage[]> {
        const rows =
            family === undefined
                ? await tx.all<StageRow>(`${STAGE_SELECT} WHERE s.team_id = ? ${STAGE_ORDER}`, [teamId])
                : await tx.all<StageRow>(`${STAGE_SELECT} WHERE s.team_id = ? AND s.family = ? ${STAGE_ORDER}`, [
                      teamId,
                      family
                  ]);
        return rows.map(stageFromRow);
    }

    private async stage(tx: Tx, teamId: string, stageId: string): Promise<Stage | undefined> {
        const row = await tx.get<StageRow>(`${STAGE_SELECT} WHERE s.team_id = ? AND s.id = ?`, [teamId, stageId]);
        return row ? stageFromRow(row) : undefined;
    }

    private async requireStage(tx: Tx, teamId: string, stageId: string, what = 'stage'): Promise<Stage> {
        const stage = await this.stage(tx, teamId, stageId);
        if (!stage) {
            throw notFound('stage-not-found', `There is no ${what} with id ${quoted(stageId)}.`);
        }
        return stage;
    }

    private async mappings(tx: Tx, teamId: string, scope: Scope): Promise<StoredMapping[]> {
        const rows = await tx.all<MappingRow>(`${MAPPING_SELECT} WHERE team_id = ? AND object = ? AND field = ?`, [
            teamId,
            scope.object,
            scope.field
        ]);
        // Sorted here, not by the database, so both databases answer in the same (ordinal) order.
        return rows.map(mappingFromRow).sort((a, b) => compareText(a.value, b.value));
    }

    private async scopeState(tx: Tx, teamId: string, scope: Scope): Promise<ScopeState> {
        const lastRun = await tx.get<RunRow>(
            `SELECT ${RUN_COLUMNS_FOR_UNDO} FROM runs WHERE team_id = ? AND object = ? AND field = ? ORDER BY seq DESC LIMIT 1`,
            [teamId, scope.object, scope.field]
        );
        const stages = await this.stages(tx, teamId, scope.family);
        const mappings = await this.mappings(tx, teamId, scope);
        const otherMappings = await this.otherMappings(tx, teamId, scope);
        return {
            object: scope.object,
            field: scope.field,
            family: scope.family,
            version: await this.version(tx, teamId, scope.family),
            stages,
            mappings: mappings.map(listedMapping),
            otherMappings,
            lastRun: lastRun ? withUndoBlockers(lastRun, undoContext(stages, mappings, otherMappings)) : null
        };
    }

    /** The family's mappings in every scope but this one, by object, field and value (ordinal). */
    private async otherMappings(tx: Tx, teamId: string, scope: Scope): Promise<OtherMapping[]> {
        const rows = await tx.all<{ object: ObjectApiName; field: string; value: string; stage_id: string }>(
            'SELECT object, field, value, stage_id FROM mappings WHERE team_id = ? AND family = ? AND NOT (object = ? AND field = ?)',
            [teamId, scope.family, scope.object, scope.field]
        );
        return rows
            .map((row) => ({ object: row.object, field: row.field, value: row.value, stageId: row.stage_id }))
            .sort(
                (a, b) =>
                    compareText(a.object, b.object) || compareText(a.field, b.field) || compareText(a.value, b.value)
            );
    }

    /** What an undo of a run of this scope is checked against: the scope's state now. */
    private async undoContextOf(tx: Tx, teamId: string, scope: Scope): Promise<UndoContext> {
        return undoContext(
            await this.stages(tx, teamId, scope.family),
            await this.mappings(tx, teamId, scope),
            await this.otherMappings(tx, teamId, scope)
        );
    }

    private async nextDisplayOrder(tx: Tx, teamId: string, family: Family): Promise<number> {
        const row = await tx.get<{ top: number | null }>(
            'SELECT MAX(display_order) AS top FROM stages WHERE team_id = ? AND family = ?',
            [teamId, family]
        );
        return row?.top === null || row?.top === undefined ? 0 : row.top + 1;
    }

    /** The stage of a family holding this key, other than `exceptId`. */
    private async stageByKey(
        tx: Tx,
        teamId: string,
        family: Family,
        key: string,
        exceptId?: string
    ): Promise<{ id: string; name: string } | undefined> {
        const row = await tx.get<{ id: string; name: string }>(
            'SELECT id, name FROM stages WHERE team_id = ? AND family = ? AND key = ?',
            [teamId, family, key]
        );
        return row && row.id !== exceptId ? row : undefined;
    }

    // Caps (limits.ts), checked before a write so that a refused change writes nothing.

    private async count(tx: Tx, sql: string, params: SqlValue[]): Promise<number> {
        const row = await tx.get<{ n: number }>(sql, params);
        return row?.n ?? 0;
    }

    /** Refuses adding `adding` stages to a family that would then hold more than its cap. */
    private async requireStageRoom(tx: Tx, teamId: string, family: Family, adding: number): Promise<void> {
        if (adding === 0) {
            return;
        }
        const current = await this.count(
            tx,
            'SELECT CAST(COUNT(*) AS INTEGER) AS n FROM stages WHERE team_id = ? AND family = ?',
            [teamId, family]
        );
        if (current + adding > MAX_STAGES_PER_FAMILY) {
            throw limitReached(
                'stages-per-family',
                current,
                adding,
                `The ${family} family would have ${figure(current + adding)} stages (${figure(current)} now, ` +
                    `${figure(adding)} to create); a family holds at most ${figure(MAX_STAGES_PER_FAMILY)}. ` +
                    'Nothing was changed: delete stages no field uses, then try again.'
            );
        }
    }

    /** Refuses adding `adding` mappings to a scope, or to its family, that would then hold more than its cap. */
    private async requireMappingRoom(tx: Tx, teamId: string, scope: Scope, adding: number): Promise<void> {
        if (adding === 0) {
            return;
        }
        const inScope = await this.count(
            tx,
            'SELECT CAST(COUNT(*) AS INTEGER) AS n FROM mappings WHERE team_id = ? AND object = ? AND field = ?',
            [teamId, scope.object, scope.field]
        );
        if (inScope + adding > MAX_MAPPINGS_PER_SCOPE) {
            throw limitReached(
                'mappings-per-scope',
                inScope,
                adding,
                `${scope.object}.${scope.field} would have ${figure(inScope + adding)} mappings (${figure(inScope)} now, ` +
                    `${figure(adding)} to add); a field holds at most ${figure(MAX_MAPPINGS_PER_SCOPE)}. Nothing was changed.`
            );
        }
        const inFamily = await this.count(
            tx,
            'SELECT CAST(COUNT(*) AS INTEGER) AS n FROM mappings WHERE team_id = ? AND family = ?',
            [teamId, scope.family]
        );
        if (inFamily + adding > MAX_MAPPINGS_PER_FAMILY) {
            throw limitReached(
                'mappings-per-family',
                inFamily,
                adding,
                `The fields of the ${scope.family} family would have ${figure(inFamily + adding)} mappings together ` +
                    `(${figure(inFamily)} now, ${figure(adding)} to add); a family holds at most ` +
                    `${figure(MAX_MAPPINGS_PER_FAMILY)} over all its fields. Nothing was changed: unmap the values ` +
                    'of fields you no longer sync, then try again.'
            );
        }
    }

    /** Refuses a plan whose apply would pass a cap: its created stages, and its new mappings. */
    private async requirePlanRoom(tx: Tx, teamId: string, scope: Scope, plan: Plan): Promise<void> {
        const created = plan.summary.counts['create-and-map'];
        await this.requireStageRoom(tx, teamId, scope.family, created);
        await this.requireMappingRoom(tx, teamId, scope, created + plan.summary.counts['map-existing']);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Stages
    // -----------------------------------------------------------------------------------------------------------

    listStages(teamId: string, family?: Family): Promise<Stage[]> {
        return this.db.transaction('read', (tx) => this.stages(tx, teamId, family));
    }

    /** A stage name as stored: trimmed, white space collapsed (the engine's rule for created stages). */
    private static stageName(name: string, field: string): { name: string; key: string } {
        const clean = stageNameFromLabel(name);
        const key = stageKey(clean);
        if (key === '') {
            throw invalid('invalid-name', `${field}: a stage name must not be blank.`, field);
        }
        return { name: clean, key };
    }

    private static duplicate(name: string, family: Family, existing: { id: string; name: string }): ApiError {
        return conflict(
            'duplicate-stage',
            `A ${family} stage named ${quoted(existing.name)} already exists and ${quoted(name)} is the same name once case and spacing are ignored; rename or reuse the existing stage.`,
            { existingStage: existing }
        );
    }

    createStage(teamId: string, actor: Actor, input: CreateStageInput): Promise<Stage> {
        const name = SqlStore.stageName(input.name, 'body.name');
        return this.write(teamId, input.family, async (tx) => {
            await tx.lockFamily(teamId, input.family);
            const stage = await this.insertStage(tx, teamId, actor, input.family, name, input.category ?? null);
            await this.bump(tx, teamId, input.family);
            return stage;
        });
    }

    /**
     * A new team with its key, stages and the records in them, in ONE transaction: a crash leaves all of it or
     * none of it (the demo seed). `afterStage` runs inside the transaction after each stage (a test pauses there).
     */
    createTeamWithStages(
        name: string,
        apiKey: string,
        actor: Actor,
        stages: readonly (CreateStageInput & { recordIds: readonly string[] })[],
        afterStage: (index: number) => Promise<void> = () => Promise.resolve()
    ): Promise<{ teamId: string }> {
        return this.db.transaction('write', async (tx) => {
            const { teamId } = await this.insertTeam(tx, name, apiKey);
            for (const [index, stage] of stages.entries()) {
                await tx.lockFamily(teamId, stage.family);
                const created = await this.insertStage(
                    tx,
                    teamId,
                    actor,
                    stage.family,
                    SqlStore.stageName(stage.name, 'name'),
                    stage.category ?? null
                );
                await this.bump(tx, teamId, stage.family);
                const now = new Date().toISOString();
                await tx.insertMany(
                    'records',
                    ['team_id', 'family', 'record_id', 'stage_id', 'updated_at'],
                    stage.recordIds.map((recordId) => [teamId, stage.family, recordId, created.id, now])
                );
                await afterStage(index);
            }
            return { teamId };
        });
    }

    /** Adds a stage at the end of the family's order; refused when the family has a stage of the same key. */
    private async insertStage(
        tx: Tx,
        teamId: string,
        actor: Actor,
        family: Family,
        { name, key }: { name: string; key: string },
        category: Category = null
    ): Promise<Stage> {
        const existing = await this.stageByKey(tx, teamId, family, key);
        if (existing) {
            throw SqlStore.duplicate(name, family, existing);
        }
        await this.requireStageRoom(tx, teamId, family, 1);
        const id = newId('stg');
        await tx.run(
            `INSERT INTO stages (id, team_id, family, name, key, display_order, category, created_at, created_by_id, created_by_name)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
                id,
                teamId,
                family,
                name,
                key,
                await this.nextDisplayOrder(tx, teamId, family),
                category,
                new Date().toISOString(),
                actor.id,
                actor.name
            ]
        );
        return this.requireStage(tx, teamId, id);
    }

    updateStage(teamId: string, _actor: Actor, stageId: string, input: UpdateStageInput): Promise<Stage> {
        const renamed = input.name === undefined ? undefined : SqlStore.stageName(input.name, 'body.name');
        return this.write(teamId, undefined, async (tx) => {
            const before = await this.requireStage(tx, teamId, stageId);
            await tx.lockFamily(teamId, before.family);
            const stage = await this.requireStage(tx, teamId, stageId);
            const sets: string[] = [];
            const params: SqlValue[] = [];
            if (renamed && renamed.name !== stage.name) {
                const existing = await this.stageByKey(tx, teamId, stage.family, renamed.key, stage.id);
                if (existing) {
                    throw SqlStore.duplicate(renamed.name, stage.family, existing);
                }
                sets.push('name = ?', 'key = ?');
                params.push(renamed.name, renamed.key);
            }
            if (input.category !== undefined && input.category !== stage.category) {
                sets.push('category = ?');
                params.push(input.category);
            }
            if (input.displayOrder !== undefined && input.displayOrder !== stage.displayOrder) {
                sets.push('display_order = ?');
                params.push(input.displayOrder);
            }
            if (sets.length === 0) {
                return stage;
            }
            await tx.run(`UPDATE stages SET ${sets.join(', ')} WHERE team_id = ? AND id = ?`, [
                ...params,
                teamId,
                stageId
            ]);
            await this.bump(tx, teamId, stage.family);
            return this.requireStage(tx, teamId, stageId);
        });
    }

    deleteStage(teamId: string, _actor: Actor, stageId: string, moveRecordsTo?: string): Promise<DeleteStageResult> {
        if (moveRecordsTo === stageId) {
            throw invalid(
                'invalid-move-target',
                'query.moveRecordsTo: the records cannot be moved to the stage being deleted; name another stage.',
                'query.moveRecordsTo'
            );
        }
        return this.write(teamId, undefined, async (tx) => {
            const before = await this.requireStage(tx, teamId, stageId);
            await tx.lockFamily(teamId, before.family);
            const stage = await this.requireStage(tx, teamId, stageId);
            let movedRecords = 0;
            if (moveRecordsTo !== undefined) {
                const target = await this.requireStage(tx, teamId, moveRecordsTo, 'stage (moveRecordsTo)');
                if (target.family !== stage.family) {
                    throw invalid(
                        'family-mismatch',
                        `query.moveRecordsTo: ${quoted(target.name)} is a ${target.family} stage; the records of a ${stage.family} stage can only move to a ${stage.family} stage.`,
                        'query.moveRecordsTo'
                    );
                }
                movedRecords = await tx.run(
                    'UPDATE records SET stage_id = ?, updated_at = ? WHERE team_id = ? AND stage_id = ?',
                    [target.id, new Date().toISOString(), teamId, stage.id]
                );
            } else if (stage.recordCount > 0) {
                throw conflict(
                    'stage-has-records',
                    `Stage ${quoted(stage.name)} has ${plural(stage.recordCount, 'record')}; move them first or name the stage that receives them with moveRecordsTo.`,
                    { recordCount: stage.recordCount }
                );
            }
            const removed = await tx.all<{ object: ObjectApiName; field: string; value: string }>(
                'SELECT object, field, value FROM mappings WHERE team_id = ? AND stage_id = ?',
                [teamId, stage.id]
            );
            await tx.run('DELETE FROM mappings WHERE team_id = ? AND stage_id = ?', [teamId, stage.id]);
            await tx.run('DELETE FROM stages WHERE team_id = ? AND id = ?', [teamId, stage.id]);
            await this.bump(tx, teamId, stage.family);
            const removedMappings = removed
                .map((row) => ({ object: row.object, field: row.field, value: row.value }))
                .sort(
                    (a, b) =>
                        compareText(a.object, b.object) ||
                        compareText(a.field, b.field) ||
                        compareText(a.value, b.value)
                );
            return { deleted: stage, movedRecords, removedMappings };
        });
    }

    // -----------------------------------------------------------------------------------------------------------
    // Records
    // -----------------------------------------------------------------------------------------------------------

    listRecords(teamId: string, query: RecordQuery): Promise<RecordPage> {
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        return this.db.transaction('read', async (tx) => {
            const where = ['team_id = ?'];
            const params: SqlValue[] = [teamId];
            if (query.stageId !== undefined) {
                await this.requireStage(tx, teamId, query.stageId);
                where.push('stage_id = ?');
                params.push(query.stageId);
            }
            if (query.family !== undefined) {
                where.push('family = ?');
                params.push(query.family);
            }
            if (after) {
                where.push('(family > ? OR (family = ? AND record_id > ?))');
                params.push(after[0], after[0], after[1]);
            }
            const rows = await tx.all<RecordRow>(
                `SELECT record_id, family, stage_id, updated_at FROM records WHERE ${where.join(' AND ')}
                 ORDER BY family, record_id LIMIT ?`,
                [...params, query.limit + 1]
            );
            const page = rows.slice(0, query.limit).map(recordFromRow);
            const last = page[page.length - 1];
            return {
                records: page,
                nextCursor: rows.length > query.limit && last ? encodeCursor(last.family, last.recordId) : null
            };
        });
    }

    /** The stages with these ids (id → family), in chunks small enough for any database's parameter limit. */
    private async stageFamilies(tx: Tx, teamId: string, ids: readonly string[]): Promise<Map<string, Family>> {
        const families = new Map<string, Family>();
        for (const chunk of chunks([...new Set(ids)])) {
            const rows = await tx.all<{ id: string; family: Family }>(
                `SELECT id, family FROM stages WHERE team_id = ? AND id IN (${placeholders(chunk.length)})`,
                [teamId, ...chunk]
            );
            for (const row of rows) {
                families.set(row.id, row.family);
            }
        }
        return families;
    }

    upsertRecords(teamId: string, _actor: Actor, records: RecordInput[]): Promise<{ upserted: number }> {
        const seen = new Map<string, number>();
        records.forEach((record, index) => {
            const id = `${record.family}\u0000${record.recordId}`;
            const first = seen.get(id);
            if (first !== undefined) {
                throw invalid(
                    'duplicate-record',
                    `body.records[${index}]: ${record.family} record ${quoted(record.recordId)} is already listed at body.records[${first}]; list each record once.`,
                    `body.records[${index}].recordId`
                );
            }
            seen.set(id, index);
        });
        const families = [...new Set(records.map((record) => record.family))].sort();
        return this.write(teamId, families.length === 1 ? families[0] : undefined, async (tx) => {
            for (const family of families) {
                await tx.lockFamily(teamId, family);
            }
            const stageFamilies = await this.stageFamilies(
                tx,
                teamId,
                records.map((record) => record.stageId)
            );
            records.forEach((record, index) => {
                const family = stageFamilies.get(record.stageId);
                if (family === undefined) {
                    throw notFound(
                        'stage-not-found',
                        `body.records[${index}].stageId: there is no stage with id ${quoted(record.stageId)}.`
                    );
                }
                if (family !== record.family) {
                    throw invalid(
                        'family-mismatch',
                        `body.records[${index}].stageId: ${quoted(record.stageId)} is a ${family} stage; a ${record.family} record can only be in a ${record.family} stage.`,
                        `body.records[${index}].stageId`
                    );
                }
            });
            const now = new Date().toISOString();
            await tx.insertMany(
                'records',
                ['team_id', 'family', 'record_id', 'stage_id', 'updated_at'],
                records.map((record) => [teamId, record.family, record.recordId, record.stageId, now]),
                'ON CONFLICT (team_id, family, record_id) DO UPDATE SET stage_id = excluded.stage_id, updated_at = excluded.updated_at'
            );
            return { upserted: records.length };
        });
    }

    moveRecords(teamId: string, _actor: Actor, input: MoveRecordsInput): Promise<{ moved: number }> {
        if (input.fromStageId === input.toStageId) {
            throw invalid(
                'invalid-move-target',
                'body.toStageId: the records are already in that stage; name another stage.',
                'body.toStageId'
            );
        }
        return this.write(teamId, undefined, async (tx) => {
            const from = await this.requireStage(tx, teamId, input.fromStageId, 'stage (fromStageId)');
            await tx.lockFamily(teamId, from.family);
            const to = await this.requireStage(tx, teamId, input.toStageId, 'stage (toStageId)');
            if (to.family !== from.family) {
                throw invalid(
                    'family-mismatch',
                    `body.toStageId: ${quoted(to.name)} is a ${to.family} stage; records of a ${from.family} stage can only move to a ${from.family} stage.`,
                    'body.toStageId'
                );
            }
            const now = new Date().toISOString();
            if (input.recordIds === undefined) {
                return {
                    moved: await tx.run(
                        'UPDATE records SET stage_id = ?, updated_at = ? WHERE team_id = ? AND stage_id = ?',
                        [to.id, now, teamId, from.id]
                    )
                };
            }
            let moved = 0;
            for (const chunk of chunks([...new Set(input.recordIds)])) {
                moved += await tx.run(
                    `UPDATE records SET stage_id = ?, updated_at = ? WHERE team_id = ? AND stage_id = ? AND record_id IN (${placeholders(chunk.length)})`,
                    [to.id, now, teamId, from.id, ...chunk]
                );
            }
            return { moved };
        });
    }

    // -----------------------------------------------------------------------------------------------------------
    // Scopes and mappings
    // -----------------------------------------------------------------------------------------------------------

    getScopeState(teamId: string, scope: Scope): Promise<ScopeState> {
        return this.db.transaction('read', (tx) => this.scopeState(tx, teamId, scope));
    }

    listScopes(teamId: string, object: ObjectApiName, options: ScopeListOptions = {}): Promise<ScopeSummary[]> {
        const family = familyOf(object);
        if (family === undefined) {
            throw invalid('invalid-query', `query.object: unknown object ${quoted(object)}.`, 'query.object');
        }
        return this.db.transaction('read', async (tx) => {
            const counts = await tx.all<{ field: string; mapping_count: number }>(
                `SELECT field, CAST(COUNT(*) AS INTEGER) AS mapping_count FROM mappings
                 WHERE team_id = ? AND object = ? GROUP BY field`,
                [teamId, object]
            );
            // The newest run of each scope by seq, as the scope state's lastRun (undone runs count).
            const lastRuns = await tx.all<{ field: string; created_at: string }>(
                `SELECT r.field, r.created_at FROM runs r WHERE r.team_id = ? AND r.object = ?
                 AND r.seq = (SELECT MAX(n.seq) FROM runs n
                              WHERE n.team_id = r.team_id AND n.object = r.object AND n.field = r.field)`,
                [teamId, object]
            );
            const scopes = new Map<string, ScopeSummary>();
            const scopeOf = (field: string): ScopeSummary => {
                let scope = scopes.get(field);
                if (!scope) {
                    scope = { object, field, family, mappingCount: 0, lastRunAt: null };
                    scopes.set(field, scope);
                }
                return scope;
            };
            for (const row of counts) {
                scopeOf(row.field).mappingCount = row.mapping_count;
            }
            for (const row of lastRuns) {
                scopeOf(row.field).lastRunAt = row.created_at;
            }
            if (options.mappings === true) {
                await this.listMappingLabels(tx, teamId, object, scopes);
            }
            // Sorted here, not by the database, so both databases answer in the same (ordinal) order.
            return [...scopes.values()].sort((a, b) => compareText(a.field, b.field));
        });
    }

    /**
     * Adds each scope's mappings (value, recorded label and its language, by value) to the object's scope list: the
     * page tells from them and the picklist's values whether a field drifted, without a scope state per field.
     */
    private async listMappingLabels(
        tx: Tx,
        teamId: string,
        object: ObjectApiName,
        scopes: Map<string, ScopeSummary>
    ): Promise<void> {
        for (const scope of scopes.values()) {
            scope.mappings = [];
        }
        const rows = await tx.all<{
            field: string;
            value: string;
            label: string | null;
            label_language: string | null;
        }>('SELECT field, value, label, label_language FROM mappings WHERE team_id = ? AND object = ?', [
            teamId,
            object
        ]);
        for (const row of rows) {
            const listed: ScopeMappingLabel = { value: row.value };
            if (row.label !== null) {
                listed.label = row.label;
            }
            if (row.label_language !== null) {
                listed.labelLanguage = row.label_language;
            }
            scopes.get(row.field)?.mappings?.push(listed);
        }
        // Sorted here, not by the database, so both databases answer in the same (ordinal) order.
        for (const scope of scopes.values()) {
            scope.mappings?.sort((a, b) => compareText(a.value, b.value));
        }
    }

    /**
     * Maps a value by hand, to an existing stage (`stageId`) or to a stage created for it in the same transaction
     * (`stageName`: refused with `duplicate-stage` when the family has a stage of that key, which it names).
     */
    setMapping(teamId: string, actor: Actor, scope: Scope, input: SetMappingInput): Promise<ScopeState> {
        const newStage =
            input.stageName === undefined ? undefined : SqlStore.stageName(input.stageName, 'body.stageName');
        return this.write(teamId, scope.family, async (tx) => {
            const version = await tx.lockFamily(teamId, scope.family);
            if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
                throw conflict(
                    'state-changed',
                    `The ${scope.family} stages or mappings changed since version ${input.expectedVersion} (now ${version}); reload the scope and try again.`,
                    { version }
                );
            }
            const current = await tx.get<{ stage_id: string; label: string | null; label_language: string | null }>(
                'SELECT stage_id, label, label_language FROM mappings WHERE team_id = ? AND object = ? AND field = ? AND value = ?',
                [teamId, scope.object, scope.field, input.value]
            );
            // A language is recorded only with the label it names (none given: none recorded).
            const labelLanguage = input.label === undefined ? null : (input.labelLanguage ?? null);
            if (!current) {
                await this.requireMappingRoom(tx, teamId, scope, 1);
            }
            const stage = newStage
                ? await this.insertStage(tx, teamId, actor, scope.family, newStage)
                : await this.requireStage(tx, teamId, input.stageId ?? '');
            if (stage.family !== scope.family) {
                throw invalid(
                    'family-mismatch',
                    `body.stageId: ${quoted(stage.name)} is a ${stage.family} stage; ${scope.object} values map to ${scope.family} stages.`,
                    'body.stageId'
                );
            }
            if (current?.stage_id === stage.id) {
                // The mapping stays; a label given records what the value reads like now, in the language given
                // (drift compares it with labels read in that language).
                if (
                    input.label !== undefined &&
                    (input.label !== current.label || labelLanguage !== current.label_language)
                ) {
                    await tx.run(
                        'UPDATE mappings SET label = ?, label_language = ? WHERE team_id = ? AND object = ? AND field = ? AND value = ?',
                        [input.label, labelLanguage, teamId, scope.object, scope.field, input.value]
                    );
                    await this.bump(tx, teamId, scope.family);
                }
                return this.scopeState(tx, teamId, scope);
            }
            const holder = await tx.get<{ value: string }>(
                'SELECT value FROM mappings WHERE team_id = ? AND object = ? AND field = ? AND stage_id = ?',
                [teamId, scope.object, scope.field, stage.id]
            );
            if (holder) {
                throw conflict(
                    'stage-taken',
                    `Stage ${quoted(stage.name)} is already mapped to the value ${quoted(holder.value)} of ${scope.object}.${scope.field}; a stage maps to one value per field. Unmap ${quoted(holder.value)} first.`,
                    { heldBy: holder.value }
                );
            }
            if (current) {
                await tx.run('DELETE FROM mappings WHERE team_id = ? AND object = ? AND field = ? AND value = ?', [
                    teamId,
                    scope.object,
                    scope.field,
                    input.value
                ]);
            }
            await tx.insertMany('mappings', MAPPING_COLUMNS, [
                [
                    teamId,
                    scope.object,
                    scope.field,
                    scope.family,
                    input.value,
                    stage.id,
                    'manual',
                    null,
                    new Date().toISOString(),
                    actor.id,
                    actor.name,
                    input.label ?? null,
                    labelLanguage
                ]
            ]);
            await this.bump(tx, teamId, scope.family);
            return this.scopeState(tx, teamId, scope);
        });
    }

    removeMapping(teamId: string, _actor: Actor, scope: Scope, value: string): Promise<ScopeState> {
        return this.write(teamId, scope.family, async (tx) => {
            await tx.lockFamily(teamId, scope.family);
            const removed = await tx.run(
                'DELETE FROM mappings WHERE team_id = ? AND object = ? AND field = ? AND value = ?',
                [teamId, scope.object, scope.field, value]
            );
            if (removed === 0) {
                throw notFound(
                    'mapping-not-found',
                    `The value ${quoted(value)} of ${scope.object}.${scope.field} is not mapped.`
                );
            }
            await this.bump(tx, teamId, scope.family);
            return this.scopeState(tx, teamId, scope);
        });
    }

    // -----------------------------------------------------------------------------------------------------------
    // Auto-map
    // -----------------------------------------------------------------------------------------------------------

    private async plan(tx: Tx, teamId: string, scope: Scope, input: AutoMapInput, suggestions: boolean): Promise<Plan> {
        return this.planValues(tx, teamId, scope, input.values, {
            suggestions,
            ...(input.newStageNames === undefined ? {} : { newStageNames: input.newStageNames })
        });
    }

    /** The family's stages as the engine reads them ({id, name}), in display order. */
    private engineStages(tx: Tx, teamId: string, family: Family): Promise<{ id: string; name: string }[]> {
        return tx.all<{ id: string; name: string }>(
            'SELECT id, name FROM stages WHERE team_id = ? AND family = ? ORDER BY display_order, created_at, id',
            [teamId, family]
        );
    }

    /** The engine's plan of these values against the state this transaction holds. */
    private async planValues(
        tx: Tx,
        teamId: string,
        scope: Scope,
        values: PicklistValueInput[],
        options: PlanOptions
    ): Promise<Plan> {
        const stages = await this.engineStages(tx, teamId, scope.family);
        const mappings = await tx.all<{ value: string; stage_id: string }>(
            'SELECT value, stage_id FROM mappings WHERE team_id = ? AND object = ? AND field = ?',
            [teamId, scope.object, scope.field]
        );
        return planAutoMap(
            {
                object: scope.object,
                field: scope.field,
                values,
                stages,
                mappings: mappings.map((row) => ({ value: row.value, stageId: row.stage_id }))
            },
            options
        );
    }

    async autoMap(
        teamId: string,
        actor: Actor,
        scope: Scope,
        input: AutoMapInput,
        idempotency: Idempotency | null
    ): Promise<AutoMapResult> {
        const summaryOnly = input.answer === 'summary';
        if (input.dryRun === true) {
            return this.db.transaction('read', async (tx) => {
                const plan = await this.plan(tx, teamId, scope, input, !summaryOnly);
                // A dry run says what the apply would do, a refusal included.
                await this.requirePlanRoom(tx, teamId, scope, plan);
                const body: AutoMapBody = {
                    status: 'planned',
                    version: await this.version(tx, teamId, scope.family),
                    plan,
                    run: null,
                    createdStages: []
                };
                return { replayed: false, body: answered(body, input) };
            });
        }
        return this.write(teamId, scope.family, async (tx) => {
            const version = await tx.lockFamily(teamId, scope.family);
            const stored = await this.storedAnswer<AutoMapBody>(tx, teamId, idempotency);
            if (stored) {
                return { replayed: true, body: stored };
            }
            if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
                const fresh = await this.plan(tx, teamId, scope, input, !summaryOnly);
                throw conflict(
                    'state-changed',
                    `The ${scope.family} stages or the mappings changed since version ${input.expectedVersion} (now ${version}); nothing was applied. Review the fresh plan and apply again.`,
                    { version, plan: summaryOnly ? summaryOfPlan(fresh) : fresh }
                );
            }
            const plan = await this.plan(tx, teamId, scope, input, false);
            await this.requirePlanRoom(tx, teamId, scope, plan);
            const categories = new Map(Object.entries(input.categories ?? {}));
            const body = answered(
                await this.apply(tx, teamId, actor, scope, plan, version, categories, input.labelLanguage ?? null),
                input
            );
            await this.storeAnswer(tx, teamId, idempotency, body);
            return { replayed: false, body };
        });
    }

    /**
     * The answer stored under an Idempotency-Key (a retry gets it and applies nothing), or undefined when the key is
     * new (or none was sent). The same key with another request (scope or body; its SHA-256) is refused. Answers
     * stored before runs carried their undo blockers, kind and counts are replayed in today's shape.
     */
    private async storedAnswer<T extends { run: RunSummary | null }>(
        tx: Tx,
        teamId: string,
        idempotency: Idempotency | null
    ): Promise<T | undefined> {
        if (!idempotency) {
            return undefined;
        }
        const stored = await tx.get<{ request_hash: string; response_json: string }>(
            'SELECT request_hash, response_json FROM idempotency_keys WHERE team_id = ? AND key = ?',
            [teamId, idempotency.key]
        );
        if (!stored) {
            return undefined;
        }
        if (stored.request_hash !== idempotency.requestHash) {
            throw new ApiError(
                422,
                'idempotency-key-reused',
                'header.Idempotency-Key: this key was already used for a different request (another scope, operation or body); use a new key for a new request.'
            );
        }
        const body = JSON.parse(stored.response_json) as T;
        if (body.run) {
            body.run = storedRunSummary(body.run);
        }
        return body;
    }

    /** Stores an applied answer under its Idempotency-Key (per team), in the transaction that applied it. */
    private async storeAnswer(tx: Tx, teamId: string, idempotency: Idempotency | null, body: unknown): Promise<void> {
        if (idempotency) {
            await tx.run(
                'INSERT INTO idempotency_keys (team_id, key, request_hash, response_json, created_at) VALUES (?, ?, ?, ?, ?)',
                [teamId, idempotency.key, idempotency.requestHash, JSON.stringify(body), new Date().toISOString()]
            );
        }
    }

    /** Writes a plan: the run, the created stages, the mappings; bumps the version when anything changed. */
    private async apply(
        tx: Tx,
        teamId: string,
        actor: Actor,
        scope: Scope,
        plan: Plan,
        version: number,
        categories: ReadonlyMap<string, Category>,
        labelLanguage: string | null
    ): Promise<AutoMapBody> {
        const now = new Date().toISOString();
        const runId = newId('run');
        const writes = await this.planWrites(tx, teamId, scope, plan, categories, labelLanguage, now);
        const run = await this.insertRun(tx, teamId, actor, scope, {
            id: runId,
            kind: 'auto-map',
            createdAt: now,
            plan,
            writes,
            fixes: null
        });
        await this.writePlanned(tx, teamId, actor, scope, runId, now, writes);
        const newVersion = writes.createdMappings.length > 0 ? await this.bump(tx, teamId, scope.family) : version;
        return {
            status: 'applied',
            version: newVersion,
            plan,
            run,
            createdStages: writes.createdStages
        };
    }

    /**
     * What a plan writes, decided before anything is written: each `create-and-map` outcome's stage (a new id, the
     * category asked for its value, the display orders after the family's last stage in the plan's order, which is
     * the picklist's) and each mapping with the label its value has now, in the language the request said.
     */
    private async planWrites(
        tx: Tx,
        teamId: string,
        scope: Scope,
        plan: Plan,
        categories: ReadonlyMap<string, Category>,
        labelLanguage: string | null,
        now: string
    ): Promise<PlanWrites> {
        let order = await this.nextDisplayOrder(tx, teamId, scope.family);
        const createdStages: Stage[] = [];
        const createdMappings: CreatedMapping[] = [];
        const labels = new Map<string, string>();
        const createdCategories = noCategories();
        for (const outcome of plan.outcomes) {
            if (outcome.outcome === 'create-and-map' && outcome.stageName !== undefined) {
                const category = categories.get(outcome.value) ?? null;
                const stage: Stage = {
                    id: newId('stg'),
                    family: scope.family,
                    name: outcome.stageName,
                    displayOrder: order,
                    category,
                    recordCount: 0,
                    createdAt: now
                };
                order += 1;
                createdStages.push(stage);
                createdCategories[category ?? 'none'] += 1;
                createdMappings.push({ value: outcome.value, stageId: stage.id });
                labels.set(outcome.value, outcome.label);
            } else if (outcome.outcome === 'map-existing' && outcome.stageId !== undefined) {
                createdMappings.push({ value: outcome.value, stageId: outcome.stageId });
                labels.set(outcome.value, outcome.label);
            }
        }
        return { createdStages, createdMappings, labels, labelLanguage, createdCategories };
    }

    /** Records a run (before its stages and mappings, which name it); its summary as the answers show it. */
    private async insertRun(
        tx: Tx,
        teamId: string,
        actor: Actor,
        scope: Scope,
        run: {
            id: string;
            kind: RunKind;
            createdAt: string;
            plan: Plan;
            writes: PlanWrites;
            fixes: StoredFix[] | null;
        }
    ): Promise<RunSummary> {
        await tx.insertMany(
            'runs',
            [
                'id',
                'team_id',
                'object',
                'field',
                'family',
                'actor_id',
                'actor_name',
                'created_at',
                'summary_json',
                'outcomes_json',
                'created_stage_ids_json',
                'created_mappings_json',
                'kind',
                'fixes_json',
                'created_categories_json'
            ],
            [
                [
                    run.id,
                    teamId,
                    scope.object,
                    scope.field,
                    scope.family,
                    actor.id,
                    actor.name,
                    run.createdAt,
                    JSON.stringify(run.plan.summary),
                    JSON.stringify(run.plan.outcomes),
                    JSON.stringify(run.writes.createdStages.map((stage) => stage.id)),
                    JSON.stringify(run.writes.createdMappings),
                    run.kind,
                    run.fixes === null ? null : JSON.stringify(run.fixes),
                    JSON.stringify(run.writes.createdCategories)
                ]
            ]
        );
        return {
            id: run.id,
            object: scope.object,
            field: scope.field,
            family: scope.family,
            actor,
            createdAt: run.createdAt,
            summary: run.plan.summary,
            undoneAt: null,
            undoneBy: null,
            undoBlockers: [],
            undoBlockerCount: 0,
            kind: run.kind,
            createdCategories: run.writes.createdCategories,
            fixCounts: fixCountsOf(run.fixes ?? [])
        };
    }

    /** Inserts a plan's stages and its mappings (source `auto`, the run's, with their labels and its language). */
    private async writePlanned(
        tx: Tx,
        teamId: string,
        actor: Actor,
        scope: Scope,
        runId: string,
        now: string,
        writes: PlanWrites
    ): Promise<void> {
        await tx.insertMany(
            'stages',
            [
                'id',
                'team_id',
                'family',
                'name',
                'key',
                'display_order',
                'category',
                'created_at',
                'created_by_id',
                'created_by_name'
            ],
            writes.createdStages.map((stage) => [
                stage.id,
                teamId,
                scope.family,
                stage.name,
                stageKey(stage.name),
                stage.displayOrder,
                stage.category,
                now,
                actor.id,
                actor.name
            ])
        );
        if (this.testApplyDelayMs > 0) {
            this.logger?.info('test-apply-delay', { ms: this.testApplyDelayMs, stages: writes.createdStages.length });
            await new Promise((resolve) => setTimeout(resolve, this.testApplyDelayMs));
        }
        await tx.insertMany(
            'mappings',
            MAPPING_COLUMNS,
            writes.createdMappings.map((mapping) => [
                teamId,
                scope.object,
                scope.field,
                scope.family,
                mapping.value,
                mapping.stageId,
                'auto',
                runId,
                now,
                actor.id,
                actor.name,
                // The label the value had (its API name when it has none): drift compares later labels with it.
                writes.labels.get(mapping.value) ?? mapping.value,
                writes.labelLanguage
            ])
        );
    }

    // -----------------------------------------------------------------------------------------------------------
    // Drift fixes
    // -----------------------------------------------------------------------------------------------------------

    /**
     * Applies the drift fixes asked for as ONE run of kind `drift-fix`, in one transaction, versioned and idempotent as
     * an auto-map (the same key store and the same version rule). The engine's `driftReport` on the state read here
     * must offer every fix asked for (else `409 drift-changed`, nothing applied); then the gone mappings are moved or
     * removed, the stages named after an old label renamed, and the new values auto-mapped on the state those fixes
     * leave, as an auto-map would map them.
     */
    applyDriftFixes(
        teamId: string,
        actor: Actor,
        scope: Scope,
        input: DriftFixInput,
        idempotency: Idempotency | null
    ): Promise<DriftFixResult> {
        return this.write(teamId, scope.family, async (tx) => {
            const version = await tx.lockFamily(teamId, scope.family);
            const stored = await this.storedAnswer<DriftFixBody>(tx, teamId, idempotency);
            if (stored) {
                return { replayed: true, body: stored };
            }
            if (input.expectedVersion !== version) {
                throw conflict(
                    'state-changed',
                    `The ${scope.family} stages or the mappings changed since version ${input.expectedVersion} (now ${version}); nothing was applied. Read the scope's state again and report its drift anew.`,
                    { version }
                );
            }
            const names = input.newStageNames === undefined ? {} : { newStageNames: input.newStageNames };
            const stages = await this.engineStages(tx, teamId, scope.family);
            const mappings = await this.mappings(tx, teamId, scope);
            const report = driftReport(
                {
                    object: scope.object,
                    field: scope.field,
                    values: input.values,
                    stages,
                    mappings: mappings.map(engineMapping)
                },
                // In the request's language, as the page reported: a label recorded in another one is not compared.
                { ...names, ...(input.labelLanguage === undefined ? {} : { language: input.labelLanguage }) }
            );
            const findings = requestedFindings(report, input.fixes, stages, version);
            const now = new Date().toISOString();
            const runId = newId('run');
            const labelLanguage = input.labelLanguage ?? null;
            const fixes = await this.applyFixes(tx, teamId, actor, scope, findings, mappings, input, now);
            // The new values, auto-mapped on the state the other fixes left, in picklist order.
            const newValues = new Set(
                findings.filter((finding) => finding.kind === 'new-value').map((finding) => finding.value)
            );
            const plan = await this.planValues(
                tx,
                teamId,
                scope,
                input.values.filter((value) => newValues.has(value.value)),
                { suggestions: false, ...names }
            );
            await this.requirePlanRoom(tx, teamId, scope, plan);
            const writes = await this.planWrites(tx, teamId, scope, plan, new Map(), labelLanguage, now);
            const createdStageOf = new Map(writes.createdMappings.map((mapping) => [mapping.value, mapping.stageId]));
            const newValueFix = new Map(
                fixes.filter((fix) => fix.kind === 'new-value').map((fix) => [fix.value, fix] as const)
            );
            for (const outcome of plan.outcomes) {
                const fix = newValueFix.get(outcome.value);
                const stageId = createdStageOf.get(outcome.value) ?? outcome.stageId;
                if (fix) {
                    fix.outcome = outcome.outcome;
                    if (stageId !== undefined) {
                        fix.stageId = stageId;
                    }
                }
            }
            const run = await this.insertRun(tx, teamId, actor, scope, {
                id: runId,
                kind: 'drift-fix',
                createdAt: now,
                plan,
                writes,
                fixes
            });
            await this.writePlanned(tx, teamId, actor, scope, runId, now, writes);
            const changed = fixes.some((fix) => fix.kind !== 'new-value') || writes.createdMappings.length > 0;
            const body: DriftFixBody = {
                status: 'applied',
                version: changed ? await this.bump(tx, teamId, scope.family) : version,
                run,
                ...(input.answer === 'summary' ? {} : { fixes: fixes.map(appliedFix) })
            };
            await this.storeAnswer(tx, teamId, idempotency, body);
            return { replayed: false, body };
        });
    }

    /**
     * The fixes of the gone mappings and the renamed labels, written: removed and moved mappings (the old ones go
     * first: a stage is held by one value per scope), then the stage renames (every renamed stage first takes a key
     * no name can have, so that renames into each other's names pass the unique key), then the moved mappings at
     * their new values. Returns every fix asked for, in order, with what its undo needs; new-value fixes are filled
     * in by the caller once planned.
     */
    private async applyFixes(
        tx: Tx,
        teamId: string,
        actor: Actor,
        scope: Scope,
        findings: readonly DriftFinding[],
        mappings: readonly StoredMapping[],
        input: DriftFixInput,
        now: string
    ): Promise<StoredFix[]> {
        const mappingOf = new Map(mappings.map((mapping) => [mapping.value, mapping]));
        const valueOf = new Map(input.values.map((value) => [value.value, value]));
        // Every label a fix records is read in the request's language.
        const newLabelLanguage = input.labelLanguage ?? null;
        // A value without a label reads as its API name (validated input: a label given is never blank).
        const labelNow = (value: string): string => valueOf.get(value)?.label ?? value;
        const stageNames = new Map(
            (await this.engineStages(tx, teamId, scope.family)).map((stage) => [stage.id, stage.name])
        );
        const fixes: StoredFix[] = [];
        const moved: SqlValue[][] = [];
        const renames: { stageId: string; name: string }[] = [];
        const deleteMapping = (value: string): Promise<number> =>
            tx.run('DELETE FROM mappings WHERE team_id = ? AND object = ? AND field = ? AND value = ?', [
                teamId,
                scope.object,
                scope.field,
                value
            ]);
        for (const finding of findings) {
            const mapping = mappingOf.get(finding.value);
            const before = mapping
                ? {
                      label: mapping.label ?? null,
                      labelLanguage: mapping.labelLanguage ?? null,
                      source: mapping.source,
                      runId: mapping.runId,
                      createdAt: mapping.createdAt,
                      createdBy: mapping.createdBy
                  }
                : undefined;
            if (finding.kind === 'value-removed' && mapping && before) {
                await deleteMapping(mapping.value);
                fixes.push({ value: finding.value, kind: 'value-removed', stageId: mapping.stageId, before });
            } else if (finding.kind === 'probable-rename' && mapping && before && finding.renamedTo !== undefined) {
                await deleteMapping(mapping.value);
                const newLabel = labelNow(finding.renamedTo);
                moved.push([
                    teamId,
                    scope.object,
                    scope.field,
                    scope.family,
                    finding.renamedTo,
                    mapping.stageId,
                    mapping.source,
                    mapping.runId,
                    now,
                    actor.id,
                    actor.name,
                    newLabel,
                    newLabelLanguage
                ]);
                fixes.push({
                    value: finding.value,
                    kind: 'probable-rename',
                    stageId: mapping.stageId,
                    fromValue: finding.value,
                    toValue: finding.renamedTo,
                    before,
                    newLabel,
                    newLabelLanguage
                });
            } else if (finding.kind === 'label-changed' && mapping && finding.newStageName !== undefined) {
                const newLabel = labelNow(finding.value);
                renames.push({ stageId: mapping.stageId, name: finding.newStageName });
                await tx.run(
                    'UPDATE mappings SET label = ?, label_language = ? WHERE team_id = ? AND object = ? AND field = ? AND value = ?',
                    [newLabel, newLabelLanguage, teamId, scope.object, scope.field, finding.value]
                );
                fixes.push({
                    value: finding.value,
                    kind: 'label-changed',
                    stageId: mapping.stageId,
                    oldStageName: stageNames.get(mapping.stageId) ?? finding.stageName ?? '',
                    newStageName: finding.newStageName,
                    oldLabel: mapping.label ?? null,
                    oldLabelLanguage: mapping.labelLanguage ?? null,
                    newLabel,
                    newLabelLanguage
                });
            } else {
                fixes.push({ value: finding.value, kind: 'new-value' });
            }
        }
        await this.renameStages(tx, teamId, renames);
        await tx.insertMany('mappings', MAPPING_COLUMNS, moved);
        return fixes;
    }

    /**
     * Renames stages together: each first takes a key no stage name can give (a control character, which names
     * never hold), then its new name and key, so renames into names the others free pass the family's unique key.
     */
    private async renameStages(tx: Tx, teamId: string, renames: readonly { stageId: string; name: string }[]) {
        for (const { stageId } of renames) {
            await tx.run('UPDATE stages SET key = ? WHERE team_id = ? AND id = ?', [
                `\u0001${stageId}`,
                teamId,
                stageId
            ]);
        }
        for (const { stageId, name } of renames) {
            await tx.run('UPDATE stages SET name = ?, key = ? WHERE team_id = ? AND id = ?', [
                name,
                stageKey(name),
                teamId,
                stageId
            ]);
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Runs and undo
    // -----------------------------------------------------------------------------------------------------------

    listRuns(teamId: string, query: RunQuery): Promise<RunSummary[]> {
        return this.db.transaction('read', async (tx) => {
            const where = ['team_id = ?'];
            const params: SqlValue[] = [teamId];
            if (query.object !== undefined) {
                where.push('object = ?');
                params.push(query.object);
            }
            if (query.field !== undefined) {
                where.push('field = ?');
                params.push(query.field);
            }
            const rows = await tx.all<RunRow>(
                `SELECT ${RUN_COLUMNS_FOR_UNDO} FROM runs WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`,
                [...params, query.limit]
            );
            // One read of the current state per scope the page of runs touches, not one per run.
            const contexts = new Map<string, Promise<UndoContext>>();
            const contextOf = (row: RunRow): Promise<UndoContext> => {
                const key = `${row.object}.${row.field}`;
                let context = contexts.get(key);
                if (!context) {
                    context = this.undoContextOf(tx, teamId, {
                        object: row.object,
                        field: row.field,
                        family: row.family
                    });
                    contexts.set(key, context);
                }
                return context;
            };
            const runs: RunSummary[] = [];
            for (const row of rows) {
                runs.push(withUndoBlockers(row, row.undone_at === null ? await contextOf(row) : undefined));
            }
            return runs;
        });
    }

    private async run(tx: Tx, teamId: string, runId: string): Promise<Run> {
        const row = await tx.get<RunRow>(
            `SELECT ${RUN_COLUMNS_FOR_UNDO}, outcomes_json FROM runs WHERE team_id = ? AND id = ?`,
            [teamId, runId]
        );
        if (!row) {
            throw notFound('run-not-found', `There is no run with id ${quoted(runId)}.`);
        }
        const scope: Scope = { object: row.object, field: row.field, family: row.family };
        const summary = withUndoBlockers(
            row,
            row.undone_at === null ? await this.undoContextOf(tx, teamId, scope) : undefined
        );
        return {
            ...summary,
            outcomes: JSON.parse(row.outcomes_json ?? '[]') as PlannedOutcome[],
            createdStageIds: createdStageIdsOf(row),
            createdMappings: createdMappingsOf(row),
            ...(row.kind === 'drift-fix' ? { fixes: fixesOf(row).map(appliedFix) } : {})
        };
    }

    getRun(teamId: string, runId: string): Promise<Run> {
        return this.db.transaction('read', (tx) => this.run(tx, teamId, runId));
    }

    private async storedFixes(tx: Tx, teamId: string, runId: string): Promise<StoredFix[]> {
        const row = await tx.get<{ fixes_json: string | null }>(
            'SELECT fixes_json FROM runs WHERE team_id = ? AND id = ?',
            [teamId, runId]
        );
        return row?.fixes_json ? (JSON.parse(row.fixes_json) as StoredFix[]) : [];
    }

    /**
     * Reverses a drift-fix run's fixes (its new-value part is undone as an auto-map's, before): the stages get their
     * old names back and their mappings their old labels (and labels' languages), the moved mappings go back to their
     * old values and the removed ones come back, each as it was (label and its language, source, run, who made it and
     * when). The blockers were checked. Fixes stored without languages (none was recorded then) restore none.
     */
    private async reverseFixes(tx: Tx, teamId: string, scope: Scope, fixes: readonly StoredFix[]): Promise<void> {
        if (fixes.length === 0) {
            return;
        }
        const restored = fixes.filter((fix) => fix.kind === 'value-removed').length;
        await this.requireMappingRoom(tx, teamId, scope, restored);
        const renamed = fixes.filter((fix) => fix.kind === 'label-changed');
        await this.renameStages(
            tx,
            teamId,
            renamed.map((fix) => ({ stageId: fix.stageId ?? '', name: fix.oldStageName ?? '' }))
        );
        for (const fix of renamed) {
            await tx.run(
                'UPDATE mappings SET label = ?, label_language = ? WHERE team_id = ? AND object = ? AND field = ? AND value = ? AND stage_id = ?',
                [
                    fix.oldLabel ?? null,
                    fix.oldLabel === null || fix.oldLabel === undefined ? null : (fix.oldLabelLanguage ?? null),
                    teamId,
                    scope.object,
                    scope.field,
                    fix.value,
                    fix.stageId ?? ''
                ]
            );
        }
        const rows: SqlValue[][] = [];
        for (const fix of fixes) {
            const { before } = fix;
            if (!before || (fix.kind !== 'probable-rename' && fix.kind !== 'value-removed')) {
                continue;
            }
            if (fix.kind === 'probable-rename') {
                await tx.run(
                    'DELETE FROM mappings WHERE team_id = ? AND object = ? AND field = ? AND value = ? AND stage_id = ?',
                    [teamId, scope.object, scope.field, fix.toValue ?? '', fix.stageId ?? '']
                );
            }
            rows.push([
                teamId,
                scope.object,
                scope.field,
                scope.family,
                fix.fromValue ?? fix.value,
                fix.stageId ?? '',
                before.source,
                before.runId,
                before.createdAt,
                before.createdBy.id,
                before.createdBy.name,
                before.label,
                before.label === null ? null : (before.labelLanguage ?? null)
            ]);
        }
        await tx.insertMany('mappings', MAPPING_COLUMNS, rows);
    }

    undoRun(teamId: string, actor: Actor, runId: string): Promise<UndoResult> {
        return this.write(teamId, undefined, async (tx) => {
            const before = await this.run(tx, teamId, runId);
            await tx.lockFamily(teamId, before.family);
            // Read again under the family lock: the blockers are decided on the state this transaction changes.
            const run = await this.run(tx, teamId, runId);
            const scope: Scope = { object: run.object, field: run.field, family: run.family };
            const blockers = run.undoBlockers;
            if (run.undoBlockerCount > 0) {
                const shown = blockers.map((blocker) => blocker.detail).join(' ');
                const hidden = run.undoBlockerCount - blockers.length;
                const more = hidden > 0 ? ` And ${plural(hidden, 'more reason')}.` : '';
                throw conflict('undo-refused', `This run cannot be undone: ${shown}${more}`, {
                    blockers,
                    blockerCount: run.undoBlockerCount
                });
            }
            for (const chunk of chunks(run.createdMappings)) {
                await tx.run(
                    `DELETE FROM mappings WHERE team_id = ? AND object = ? AND field = ? AND run_id = ? AND value IN (${placeholders(chunk.length)})`,
                    [teamId, scope.object, scope.field, run.id, ...chunk.map((mapping) => mapping.value)]
                );
            }
            for (const chunk of chunks(run.createdStageIds)) {
                await tx.run(`DELETE FROM stages WHERE team_id = ? AND id IN (${placeholders(chunk.length)})`, [
                    teamId,
                    ...chunk
                ]);
            }
            const fixes = run.kind === 'drift-fix' ? await this.storedFixes(tx, teamId, run.id) : [];
            await this.reverseFixes(tx, teamId, scope, fixes);
            const now = new Date().toISOString();
            await tx.run(
                'UPDATE runs SET undone_at = ?, undone_by_id = ?, undone_by_name = ? WHERE team_id = ? AND id = ?',
                [now, actor.id, actor.name, teamId, run.id]
            );
            const version =
                run.createdMappings.length > 0 || run.createdStageIds.length > 0 || fixes.length > 0
                    ? await this.bump(tx, teamId, scope.family)
                    : await this.version(tx, teamId, scope.family);
            const undone = { undoneAt: now, undoneBy: actor };
            return { run: { ...summaryOf(run), ...undone, ...listed([alreadyUndone(undone)]) }, version };
        });
    }
}

/** The state of a scope an undo is checked against, looked up by value and stage. */
interface UndoContext {
    current: Map<string, StoredMapping>;
    stages: Map<string, Stage>;
    /** For each stage other scopes map: `Lead.Status "Interested"`, ... */
    elsewhere: Map<string, string[]>;
}

function undoContext(
    stages: readonly Stage[],
    mappings: readonly StoredMapping[],
    others: readonly OtherMapping[]
): UndoContext {
    const elsewhere = new Map<string, string[]>();
    for (const other of others) {
        const list = elsewhere.get(other.stageId) ?? [];
        list.push(`${other.object}.${other.field} ${quoted(other.value)}`);
        elsewhere.set(other.stageId, list);
    }
    return {
        current: new Map(mappings.map((mapping) => [mapping.value, mapping])),
        stages: new Map(stages.map((stage) => [stage.id, stage])),
        elsewhere
    };
}

function createdStageIdsOf(row: RunRow): string[] {
    return JSON.parse(row.created_stage_ids_json ?? '[]') as string[];
}

function createdMappingsOf(row: RunRow): CreatedMapping[] {
    return JSON.parse(row.created_mappings_json ?? '[]') as CreatedMapping[];
}

function alreadyUndone(run: { undoneAt: string | null; undoneBy: Actor | null }): UndoBlocker {
    return {
        kind: 'already-undone',
        detail: `It was already undone${run.undoneBy ? ` by ${run.undoneBy.name}` : ''} at ${run.undoneAt ?? ''}.`
    };
}

/**
 * A stored run with the reasons an undo would be refused now (`context` is the scope's current state; not needed
 * for a run already undone).
 */
function withUndoBlockers(row: RunRow, context: UndoContext | undefined): RunSummary {
    const summary = runSummaryFromRow(row);
    if (summary.undoneAt !== null || !context) {
        return { ...summary, ...listed(summary.undoneAt !== null ? [alreadyUndone(summary)] : []) };
    }
    const created = undoBlockersOf(row.id, createdStageIdsOf(row), createdMappingsOf(row), context);
    if (row.kind !== 'drift-fix') {
        return { ...summary, ...listed(created) };
    }
    const fixes = fixUndoBlockers(
        { id: row.id, createdAt: row.created_at },
        fixesOf(row),
        createdMappingsOf(row),
        createdStageIdsOf(row),
        context
    );
    return { ...summary, ...listed([...fixes, ...created]) };
}

/** The first blockers and how many there are (limits.ts: all of them would not fit Apex's limits). */
function listed(blockers: readonly UndoBlocker[]): Pick<RunSummary, 'undoBlockers' | 'undoBlockerCount'> {
    return { undoBlockers: blockers.slice(0, MAX_UNDO_BLOCKERS_LISTED), undoBlockerCount: blockers.length };
}

/**
 * Every later change that depends on what a run did; empty when an undo may proceed. The details name stages and
 * values, never ids: they are shown to admins as they are.
 */
function undoBlockersOf(
    runId: string,
    createdStageIds: readonly string[],
    createdMappings: readonly CreatedMapping[],
    context: UndoContext
): UndoBlocker[] {
    const blockers: UndoBlocker[] = [];
    const stageName = (id: string): string => context.stages.get(id)?.name ?? id;
    for (const created of createdMappings) {
        const mapping = context.current.get(created.value);
        if (!mapping) {
            const stage = context.stages.get(created.stageId);
            blockers.push({
                kind: 'mapping-removed',
                value: created.value,
                stageId: created.stageId,
                ...(stage ? { stageName: stage.name } : {}),
                detail: `The mapping of ${quoted(created.value)} that the run created was removed since.`
            });
        } else if (mapping.runId !== runId || mapping.stageId !== created.stageId) {
            blockers.push({
                kind: 'mapping-changed',
                value: created.value,
                stageId: mapping.stageId,
                stageName: stageName(mapping.stageId),
                detail: `${quoted(created.value)} is now mapped to ${quoted(stageName(mapping.stageId))} by ${mapping.createdBy.name} (${mapping.source}), not by this run.`
            });
        }
    }
    for (const stageId of createdStageIds) {
        const stage = context.stages.get(stageId);
        if (!stage) {
            const forValue = createdMappings.find((mapping) => mapping.stageId === stageId)?.value;
            blockers.push({
                kind: 'stage-deleted',
                stageId,
                ...(forValue === undefined ? {} : { value: forValue }),
                detail:
                    forValue === undefined
                        ? 'A stage the run created was deleted since.'
                        : `The stage the run created for ${quoted(forValue)} was deleted since.`
            });
            continue;
        }
        if (stage.recordCount > 0) {
            blockers.push({
                kind: 'records-in-stage',
                stageId,
                stageName: stage.name,
                detail: `${plural(stage.recordCount, 'record is', 'records are')} now in stage ${quoted(stage.name)}, which the run created; move them to another stage first.`
            });
        }
        const users = context.elsewhere.get(stageId);
        if (users) {
            const more = users.length - MAX_NAMES_IN_DETAIL;
            const named =
                users.slice(0, MAX_NAMES_IN_DETAIL).join(', ') + (more > 0 ? ` and ${figure(more)} more` : '');
            blockers.push({
                kind: 'stage-mapped-elsewhere',
                stageId,
                stageName: stage.name,
                detail: `Stage ${quoted(stage.name)}, which the run created, is now also mapped by ${named}.`
            });
        }
    }
    return blockers;
}

function summaryOf(run: Run): RunSummary {
    return {
        id: run.id,
        object: run.object,
        field: run.field,
        family: run.family,
        actor: run.actor,
        createdAt: run.createdAt,
        summary: run.summary,
        undoneAt: run.undoneAt,
        undoneBy: run.undoneBy,
        undoBlockers: run.undoBlockers,
        undoBlockerCount: run.undoBlockerCount,
        kind: run.kind,
        createdCategories: run.createdCategories,
        fixCounts: run.fixCounts
    };
}
