/**
 * What each operation of service/openapi.yaml does, by operationId: read the checked request parts, call the store,
 * shape the answer. The server refuses to start when this table and the document disagree.
 */
import {
    familyOf,
    validatePlanInput,
    validateText
} from '../../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { canonicalJson, sha256 } from '../ids.ts';
import { ApiError } from '../problems.ts';
import { MAX_VALUES } from '../limits.ts';
import type {
    Actor,
    AutoMapInput,
    CreateStageInput,
    DriftFixInput,
    Family,
    Idempotency,
    MoveRecordsInput,
    ObjectApiName,
    RecordInput,
    Scope,
    SetMappingInput,
    Store,
    UpdateStageInput
} from '../types.ts';

export { MAX_VALUES };

/** A request once its envelope, path, query, headers, actor and body passed every check. */
export interface Context {
    teamId: string;
    actor: Actor | null;
    params: Record<string, string>;
    query: Record<string, unknown>;
    body: unknown;
    /** The Idempotency-Key header (checked against the document), when sent. */
    idempotencyKey: string | undefined;
}

export interface Reply {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

export type Handler = (context: Context) => Promise<Reply>;

function scopeOf(params: Record<string, string>): Scope {
    const object = params.object as ObjectApiName;
    const family = familyOf(object);
    if (family === undefined || params.field === undefined) {
        throw new ApiError(404, 'unsupported-object', `Unknown object ${JSON.stringify(params.object)}.`);
    }
    return { object, field: params.field, family };
}

function requireActor(context: Context): Actor {
    if (!context.actor) {
        throw new ApiError(400, 'actor-required', 'This write needs the X-Actor-Id and X-Actor-Name headers.');
    }
    return context.actor;
}

/** A string query parameter (the validator has checked its type), or undefined. */
function text(value: unknown): string | undefined {
    return typeof value === 'string' ? value : undefined;
}

/** The engine's refusal of a value or label, as the service's `422 invalid-values` naming the field. */
function invalidValues(checked: { error: string; path: string }): ApiError {
    return new ApiError(422, 'invalid-values', checked.error, {
        errors: [{ field: checked.path, message: checked.error.replace(`${checked.path}: `, '') }]
    });
}

function ok(body: unknown, status = 200, headers?: Record<string, string>): Reply {
    return headers ? { status, body, headers } : { status, body };
}

/** The handlers, by operationId. */
export function handlers(store: Store): Record<string, Handler> {
    return {
        getHealth: async () => {
            try {
                await store.ping();
            } catch {
                throw new ApiError(503, 'database-unavailable', 'The database does not answer.');
            }
            // Nothing about the storage engine: anyone may call this.
            return ok({ status: 'ok' });
        },
        listStages: async ({ teamId, query }) =>
            ok({ stages: await store.listStages(teamId, query.family as Family | undefined) }),
        createStage: async (context) =>
            ok(await store.createStage(context.teamId, requireActor(context), context.body as CreateStageInput), 201),
        updateStage: async (context) =>
            ok(
                await store.updateStage(
                    context.teamId,
                    requireActor(context),
                    context.params.stageId ?? '',
                    context.body as UpdateStageInput
                )
            ),
        deleteStage: async (context) =>
            ok(
                await store.deleteStage(
                    context.teamId,
                    requireActor(context),
                    context.params.stageId ?? '',
                    context.query.moveRecordsTo as string | undefined
                )
            ),
        listRecords: async ({ teamId, query }) =>
            ok(
                await store.listRecords(teamId, {
                    limit: Number(query.limit ?? 100),
                    ...(text(query.stageId) === undefined ? {} : { stageId: text(query.stageId) }),
                    ...(query.family === undefined ? {} : { family: query.family as Family }),
                    ...(text(query.cursor) === undefined ? {} : { cursor: text(query.cursor) })
                })
            ),
        upsertRecords: async (context) =>
            ok(
                await store.upsertRecords(
                    context.teamId,
                    requireActor(context),
                    (context.body as { records: RecordInput[] }).records
                )
            ),
        moveRecords: async (context) =>
            ok(await store.moveRecords(context.teamId, requireActor(context), context.body as MoveRecordsInput)),
        listScopes: async ({ teamId, query }) =>
            ok({
                scopes: await store.listScopes(teamId, query.object as ObjectApiName, {
                    mappings: query.include === 'mappings'
                })
            }),
        getScopeState: async ({ teamId, params }) => ok(await store.getScopeState(teamId, scopeOf(params))),
        setMapping: async (context) => {
            const input = context.body as SetMappingInput;
            // The engine's rule for a picklist value, as an auto-map applies it: a blank value is refused alike.
            for (const [text, path] of [
                [input.value, 'body.value'],
                ...(input.label === undefined ? [] : [[input.label, 'body.label']])
            ] as const) {
                const checked = validateText(text, path);
                if (!checked.ok) {
                    throw invalidValues(checked);
                }
            }
            return ok(await store.setMapping(context.teamId, requireActor(context), scopeOf(context.params), input));
        },
        removeMapping: async (context) =>
            ok(
                await store.removeMapping(
                    context.teamId,
                    requireActor(context),
                    scopeOf(context.params),
                    context.params.value ?? ''
                )
            ),
        autoMap: async (context) => autoMap(store, context),
        applyDriftFixes: async (context) => applyDriftFixes(store, context),
        listRuns: async ({ teamId, query }) => {
            if (query.field !== undefined && query.object === undefined) {
                throw new ApiError(
                    422,
                    'invalid-query',
                    'query.field: give the object too (object=Lead&field=Status).',
                    {
                        errors: [{ field: 'query.field', message: 'needs query.object' }]
                    }
                );
            }
            return ok({
                runs: await store.listRuns(teamId, {
                    limit: Number(query.limit ?? 50),
                    ...(query.object === undefined ? {} : { object: query.object as ObjectApiName }),
                    ...(text(query.field) === undefined ? {} : { field: text(query.field) })
                })
            });
        },
        getRun: async ({ teamId, params }) => ok(await store.getRun(teamId, params.runId ?? '')),
        undoRun: async (context) =>
            ok(await store.undoRun(context.teamId, requireActor(context), context.params.runId ?? ''))
    };
}

async function autoMap(store: Store, context: Context): Promise<Reply> {
    const scope = scopeOf(context.params);
    const body = context.body as AutoMapInput;
    // The engine's own validation: duplicate values, blank values or labels (the schema checked types and sizes).
    const checked = validatePlanInput(
        { object: scope.object, field: scope.field, values: body.values, stages: [], mappings: [] },
        { path: 'body', maxValues: MAX_VALUES }
    );
    if (!checked.ok) {
        throw invalidValues(checked);
    }
    const categories = body.categories ?? {};
    const known = new Set(checked.value.values.map((value) => value.value));
    for (const key of Object.keys(categories)) {
        if (!known.has(key)) {
            throw new ApiError(
                422,
                'invalid-categories',
                `body.categories: ${JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key)} is not among body.values; give a category only for a value of the request.`,
                { errors: [{ field: 'body.categories', message: `not among body.values: ${JSON.stringify(key)}` }] }
            );
        }
    }
    const input: AutoMapInput = {
        values: checked.value.values,
        ...(body.categories === undefined ? {} : { categories }),
        ...(body.expectedVersion === undefined ? {} : { expectedVersion: body.expectedVersion }),
        ...(body.dryRun === undefined ? {} : { dryRun: body.dryRun }),
        ...(body.newStageNames === undefined ? {} : { newStageNames: body.newStageNames }),
        ...(body.answer === undefined ? {} : { answer: body.answer }),
        ...(body.labelLanguage === undefined ? {} : { labelLanguage: body.labelLanguage })
    };
    const idempotency =
        body.dryRun === true
            ? null
            : idempotencyOf(
                  context,
                  { object: scope.object, field: scope.field, body: context.body },
                  'Applying an auto-map needs an Idempotency-Key header (a new UUID per apply); dry runs do not.'
              );
    const result = await store.autoMap(context.teamId, requireActor(context), scope, input, idempotency);
    return ok(result.body, 200, result.replayed ? { 'Idempotent-Replayed': 'true' } : undefined);
}

/**
 * The Idempotency-Key of an apply and the SHA-256 of its canonical request (`request`: what makes two requests the
 * same); `400 idempotency-key-required` without a key.
 */
function idempotencyOf(context: Context, request: Record<string, unknown>, missing: string): Idempotency {
    const key = context.idempotencyKey;
    if (key === undefined || key === '') {
        throw new ApiError(400, 'idempotency-key-required', missing);
    }
    return { key, requestHash: sha256(canonicalJson(request)) };
}

/**
 * `POST .../drift-fixes`: the values checked as an auto-map's, each fix's value asked once, then the store applies
 * them as one run. The request hash names the operation, so that a key used for an auto-map is never taken for this.
 */
async function applyDriftFixes(store: Store, context: Context): Promise<Reply> {
    const scope = scopeOf(context.params);
    const body = context.body as DriftFixInput;
    const checked = validatePlanInput(
        { object: scope.object, field: scope.field, values: body.values, stages: [], mappings: [] },
        { path: 'body', maxValues: MAX_VALUES }
    );
    if (!checked.ok) {
        throw invalidValues(checked);
    }
    const firstIndex = new Map<string, number>();
    body.fixes.forEach((fix, index) => {
        const first = firstIndex.get(fix.value);
        if (first !== undefined) {
            const field = `body.fixes[${index}].value`;
            const message = `${JSON.stringify(fix.value.length > 80 ? `${fix.value.slice(0, 77)}...` : fix.value)} is already asked for at body.fixes[${first}]; ask for each value's fix once`;
            throw new ApiError(422, 'invalid-fixes', `${field}: ${message}.`, { errors: [{ field, message }] });
        }
        firstIndex.set(fix.value, index);
    });
    const input: DriftFixInput = {
        values: checked.value.values,
        fixes: body.fixes.map((fix) => ({ value: fix.value, kind: fix.kind })),
        expectedVersion: body.expectedVersion,
        ...(body.newStageNames === undefined ? {} : { newStageNames: body.newStageNames }),
        ...(body.answer === undefined ? {} : { answer: body.answer }),
        ...(body.labelLanguage === undefined ? {} : { labelLanguage: body.labelLanguage })
    };
    const idempotency = idempotencyOf(
        context,
        { operation: 'applyDriftFixes', object: scope.object, field: scope.field, body: context.body },
        'Applying drift fixes needs an Idempotency-Key header (a new UUID per apply).'
    );
    const result = await store.applyDriftFixes(context.teamId, requireActor(context), scope, input, idempotency);
    return ok(result.body, 200, result.replayed ? { 'Idempotent-Replayed': 'true' } : undefined);
}
