/**
 * Test helpers: a service per database (SQLite in a fresh temp file, PostgreSQL in a fresh database on a real
 * server from scripts/pg-test-server.ts), and an HTTP client that validates EVERY response against
 * service/openapi.yaml (status documented for the operation, media type, body schema).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { startTestPostgres } from '../../scripts/pg-test-server.ts';
import type { TestDatabase, TestPostgres } from '../../scripts/pg-test-server.ts';
import { silentLogger } from '../src/logger.ts';
import type { Logger } from '../src/logger.ts';
import { startService } from '../src/server.ts';
import type { RunningService } from '../src/server.ts';
import { fieldErrors, loadSpec } from '../src/spec.ts';
import type { CompiledOperation } from '../src/spec.ts';
import { createStore } from '../src/store/index.ts';
import type { PostgresTuning, SqlStore, StoreOptions } from '../src/store/index.ts';

/**
 * The longest language code the `LanguageCode` pattern allows (21 characters, `MAX_LANGUAGE_LENGTH`): 3 letters and
 * two parts of 8; what the size tests send as every request's and mapping's `labelLanguage`.
 */
export const LONGEST_LANGUAGE = 'zho_Hant1234_abcdefgh';

export type DbKind = 'sqlite' | 'postgres';
export const DB_KINDS: readonly DbKind[] = ['sqlite', 'postgres'];

// ---------------------------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------------------------

let postgresServer: Promise<TestPostgres> | undefined;

/** The PostgreSQL server of this test file (started on first use, stopped after the file's last test). */
export function postgres(): Promise<TestPostgres> {
    postgresServer ??= startTestPostgres();
    return postgresServer;
}

after(async () => {
    if (postgresServer) {
        await (await postgresServer).stop();
    }
});

export interface Database {
    kind: DbKind;
    /** SQLite file or PostgreSQL URL. */
    location: string;
    open(options?: StoreOptions & PostgresTuning): Promise<SqlStore>;
    remove(): Promise<void>;
}

/** A fresh, empty database of the kind (a temp SQLite file, or a new database on the test server). */
export async function freshDatabase(kind: DbKind): Promise<Database> {
    if (kind === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'sam-sqlite-'));
        const file = join(dir, 'stage-service.sqlite');
        return {
            kind,
            location: file,
            // SQLite has one connection: the PostgreSQL budgets do not apply.
            open: ({ logger, testApplyDelayMs, writeQueueTimeoutMs, writeQueueLimit } = {}) =>
                createStore({ kind: 'sqlite', file, logger, testApplyDelayMs, writeQueueTimeoutMs, writeQueueLimit }),
            remove: () => {
                rmSync(dir, { recursive: true, force: true });
                return Promise.resolve();
            }
        };
    }
    const server = await postgres();
    const database: TestDatabase = await server.createDatabase();
    return {
        kind,
        location: database.url,
        open: (options = {}) => createStore({ kind: 'postgres', url: database.url, poolSize: 20, ...options }),
        remove: () => database.drop()
    };
}

// ---------------------------------------------------------------------------------------------------------------
// Response validation against the OpenAPI document
// ---------------------------------------------------------------------------------------------------------------

const validators = new Map<string, ValidateFunction>();

/** The operation a method and concrete path belong to (path parameters match any non-empty segment). */
export function operationFor(method: string, path: string): CompiledOperation | undefined {
    const segments = path.split('?')[0]?.split('/').slice(1) ?? [];
    return loadSpec().operations.find(
        (operation) =>
            operation.method === method &&
            operation.segments.length === segments.length &&
            operation.segments.every((part, index) =>
                part.startsWith('{') ? (segments[index] ?? '') !== '' : part === segments[index]
            )
    );
}

/** Asserts that a response is one the document declares for the operation, with a body of its schema. */
export function assertResponseMatchesSpec(
    method: string,
    path: string,
    status: number,
    contentType: string | null,
    body: unknown
): void {
    const operation = operationFor(method, path);
    const mediaType = contentType?.split(';')[0]?.trim() ?? '';
    if (!operation) {
        // Outside the document (unknown route, wrong method): still a problem.
        assert.ok(status >= 400, `${method} ${path}: undocumented route answered ${status}`);
        assert.equal(mediaType, 'application/problem+json', `${method} ${path}: ${status} not problem+json`);
        validateWith('#/components/schemas/Problem', body, `${method} ${path} ${status}`);
        return;
    }
    const response = operation.responses[String(status)];
    assert.ok(
        response,
        `${operation.operationId}: status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')}); body ${JSON.stringify(body).slice(0, 300)}`
    );
    const content = response.content ?? {};
    const expected = Object.keys(content);
    assert.ok(
        expected.includes(mediaType),
        `${operation.operationId} ${status}: media type ${mediaType} not in ${expected.join(', ')}`
    );
    const schema = content[mediaType]?.schema;
    assert.ok(schema, `${operation.operationId} ${status}: no schema`);
    const id = `${operation.operationId} ${status} ${mediaType}`;
    let validate = validators.get(id);
    if (!validate) {
        validate = loadSpec().compileSchema(schema);
        validators.set(id, validate);
    }
    if (!validate(body)) {
        assert.fail(
            `${id}: the body does not match service/openapi.yaml: ${JSON.stringify(fieldErrors('body', validate.errors).slice(0, 5))}\n${JSON.stringify(body).slice(0, 600)}`
        );
    }
}

function validateWith(ref: string, body: unknown, label: string): void {
    let validate = validators.get(ref);
    if (!validate) {
        validate = loadSpec().compileSchema({ $ref: ref });
        validators.set(ref, validate);
    }
    if (!validate(body)) {
        assert.fail(`${label}: ${JSON.stringify(fieldErrors('body', validate.errors))}`);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP client
// ---------------------------------------------------------------------------------------------------------------

export interface ApiResponse<T = unknown> {
    status: number;
    headers: Headers;
    body: T;
    text: string;
}

export interface RequestOptions {
    body?: unknown;
    /** Sent as is (no JSON encoding); `contentType` defaults to application/json. */
    raw?: string | Uint8Array;
    contentType?: string | null;
    headers?: Record<string, string>;
    /** false: no Authorization header; a string: that header value. */
    auth?: boolean | string;
    /** false: no actor headers. */
    actor?: boolean;
}

export const ACTOR = { id: '005000000000001AAA', name: 'Ada Admin' };

/** A team's client. Every response is validated against the OpenAPI document before it is returned. */
export class ApiClient {
    readonly baseUrl: string;
    readonly apiKey: string;
    readonly teamId: string;

    constructor(baseUrl: string, team: { teamId: string; apiKey: string }) {
        this.baseUrl = baseUrl;
        this.apiKey = team.apiKey;
        this.teamId = team.teamId;
    }

    async request<T = Record<string, unknown>>(
        method: string,
        path: string,
        options: RequestOptions = {}
    ): Promise<ApiResponse<T>> {
        const headers: Record<string, string> = {};
        if (options.auth !== false) {
            headers.Authorization = typeof options.auth === 'string' ? options.auth : `Bearer ${this.apiKey}`;
        }
        if (options.actor !== false && method !== 'GET') {
            headers['X-Actor-Id'] = ACTOR.id;
            headers['X-Actor-Name'] = ACTOR.name;
        }
        let body: string | Uint8Array<ArrayBuffer> | undefined;
        if (options.raw !== undefined) {
            body = typeof options.raw === 'string' ? options.raw : new Uint8Array(options.raw);
        } else if (options.body !== undefined) {
            body = JSON.stringify(options.body);
        }
        if (body !== undefined && options.contentType !== null) {
            headers['Content-Type'] = options.contentType ?? 'application/json';
        }
        Object.assign(headers, options.headers ?? {});
        const response = await fetch(`${this.baseUrl}${path}`, {
            method,
            headers,
            ...(body === undefined ? {} : { body })
        });
        const text = await response.text();
        let parsed: unknown = undefined;
        try {
            parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
            assert.fail(`${method} ${path}: the response is not JSON: ${text.slice(0, 200)}`);
        }
        assertResponseMatchesSpec(method, path, response.status, response.headers.get('content-type'), parsed);
        return { status: response.status, headers: response.headers, body: parsed as T, text };
    }

    get<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiResponse<T>> {
        return this.request<T>('GET', path, options);
    }

    post<T = Record<string, unknown>>(
        path: string,
        body?: unknown,
        options: RequestOptions = {}
    ): Promise<ApiResponse<T>> {
        return this.request<T>('POST', path, { ...options, ...(body === undefined ? {} : { body }) });
    }

    put<T = Record<string, unknown>>(
        path: string,
        body?: unknown,
        options: RequestOptions = {}
    ): Promise<ApiResponse<T>> {
        return this.request<T>('PUT', path, { ...options, ...(body === undefined ? {} : { body }) });
    }

    patch<T = Record<string, unknown>>(
        path: string,
        body?: unknown,
        options: RequestOptions = {}
    ): Promise<ApiResponse<T>> {
        return this.request<T>('PATCH', path, { ...options, ...(body === undefined ? {} : { body }) });
    }

    delete<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiResponse<T>> {
        return this.request<T>('DELETE', path, options);
    }

    // Shortcuts used by many tests -----------------------------------------------------------------------------

    async createStage(family: 'contact' | 'account', name: string, category: string | null = null): Promise<StageBody> {
        const response = await this.post<StageBody>('/v1/stages', { family, name, category });
        assert.equal(response.status, 201, response.text);
        return response.body;
    }

    async stages(family: 'contact' | 'account'): Promise<StageBody[]> {
        const response = await this.get<{ stages: StageBody[] }>(`/v1/stages?family=${family}`);
        assert.equal(response.status, 200, response.text);
        return response.body.stages;
    }

    async scope(object: string, field: string): Promise<ScopeBody> {
        const response = await this.get<ScopeBody>(`/v1/scopes/${object}/${field}`);
        assert.equal(response.status, 200, response.text);
        return response.body;
    }

    autoMap(
        object: string,
        field: string,
        body: Record<string, unknown>,
        key: string | null = `key-${Math.random().toString(36).slice(2)}`
    ): Promise<ApiResponse<AutoMapResponseBody>> {
        return this.post<AutoMapResponseBody>(`/v1/scopes/${object}/${field}/auto-map`, body, {
            headers: key === null ? {} : { 'Idempotency-Key': key }
        });
    }
}

export interface StageBody {
    id: string;
    family: string;
    name: string;
    displayOrder: number;
    category: string | null;
    recordCount: number;
    createdAt: string;
}

export interface MappingBody {
    value: string;
    stageId: string;
    source: 'manual' | 'auto';
    runId: string | null;
    label?: string;
    labelLanguage?: string;
}

export interface RunSummaryBody {
    id: string;
    object: string;
    field: string;
    family: string;
    actor: { id: string; name: string };
    createdAt: string;
    summary: { total: number; counts: Record<string, number> };
    undoneAt: string | null;
    undoneBy: { id: string; name: string } | null;
    undoBlockers: UndoBlockerBody[];
    undoBlockerCount: number;
    kind: 'auto-map' | 'drift-fix';
    createdCategories: { in_progress: number; succeeded: number; failed: number; none: number };
    fixCounts: { 'probable-rename': number; 'value-removed': number; 'label-changed': number; 'new-value': number };
}

export interface UndoBlockerBody {
    kind: string;
    value?: string;
    stageId?: string;
    stageName?: string;
    detail: string;
}

export interface ScopeBody {
    object: string;
    field: string;
    family: string;
    version: number;
    stages: StageBody[];
    mappings: MappingBody[];
    otherMappings: { object: string; field: string; value: string; stageId: string }[];
    lastRun: RunSummaryBody | null;
}

export interface OutcomeBody {
    value: string;
    label: string;
    outcome: string;
    stageId?: string;
    stageName?: string;
    heldBy?: string;
    reason: string;
}

export interface AutoMapResponseBody {
    status: 'planned' | 'applied';
    version: number;
    plan: { outcomes: OutcomeBody[]; summary: { total: number; counts: Record<string, number> } };
    run: RunSummaryBody | null;
    createdStages: StageBody[];
    // problem members (409)
    code?: string;
    detail?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// A running service per database
// ---------------------------------------------------------------------------------------------------------------

export interface TestEnv {
    kind: DbKind;
    database: Database;
    store: SqlStore;
    service: RunningService;
    url: string;
    /** The first team's client. */
    api: ApiClient;
    /** Another team (a fresh key) on the same service. */
    newTeam(name?: string): Promise<ApiClient>;
    close(): Promise<void>;
}

export async function openEnv(kind: DbKind, options: { logger?: Logger } = {}): Promise<TestEnv> {
    const database = await freshDatabase(kind);
    const logger = options.logger ?? silentLogger();
    const store = await database.open({ logger });
    const service = await startService({ store, port: 0, logger });
    const newTeam = async (name = 'Team'): Promise<ApiClient> =>
        new ApiClient(service.url, await store.createTeam(name));
    const api = await newTeam('Team A');
    return {
        kind,
        database,
        store,
        service,
        url: service.url,
        api,
        newTeam,
        close: async () => {
            await service.close();
            await store.close();
            await database.remove();
        }
    };
}

/**
 * Declares the same suite once per database: `describeEachDatabase('stages', (env) => { test(...) })`; `env()`
 * gives the suite's running service (a fresh database per suite).
 */
export function describeEachDatabase(
    name: string,
    body: (env: () => TestEnv) => void,
    options: { logger?: () => Logger } = {}
): void {
    for (const kind of DB_KINDS) {
        describe(`${name} [${kind}]`, () => {
            let current: TestEnv | undefined;
            before(async () => {
                current = await openEnv(kind, options.logger ? { logger: options.logger() } : {});
            });
            after(async () => {
                await current?.close();
            });
            body(() => {
                if (!current) {
                    throw new Error('The test environment is not open yet.');
                }
                return current;
            });
        });
    }
}

/** Picklist values `prefix 1` … `prefix n`. */
export function values(count: number, prefix = 'Value'): { value: string }[] {
    return Array.from({ length: count }, (_, index) => ({ value: `${prefix} ${index + 1}` }));
}

/** Counts rows straight from the database (to check that a refusal changed nothing). */
export async function countRows(store: SqlStore, table: string, teamId: string): Promise<number> {
    const row = await store.db.transaction('read', (tx) =>
        tx.get<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table} WHERE team_id = ?`, [teamId])
    );
    return row?.n ?? 0;
}

/** Who made each mapping of a scope, by value, straight from the database (a scope state does not list it). */
export async function mappingActors(
    store: SqlStore,
    teamId: string,
    object: string,
    field: string
): Promise<Record<string, { id: string; name: string }>> {
    const rows = await store.db.transaction('read', (tx) =>
        tx.all<{ value: string; created_by_id: string; created_by_name: string }>(
            'SELECT value, created_by_id, created_by_name FROM mappings WHERE team_id = ? AND object = ? AND field = ?',
            [teamId, object, field]
        )
    );
    return Object.fromEntries(rows.map((row) => [row.value, { id: row.created_by_id, name: row.created_by_name }]));
}

/** Everything a team has, for before/after comparisons. */
export async function snapshot(store: SqlStore, teamId: string): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of ['stages', 'mappings', 'records', 'runs', 'idempotency_keys']) {
        result[table] = await countRows(store, table, teamId);
    }
    const versions = await store.db.transaction('read', (tx) =>
        tx.all<{ family: string; version: number }>('SELECT family, version FROM family_versions WHERE team_id = ?', [
            teamId
        ])
    );
    for (const row of versions) {
        result[`version.${row.family}`] = row.version;
    }
    return result;
}
