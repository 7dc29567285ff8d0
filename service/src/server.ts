/**
 * The HTTP side of the stage service on plain `node:http`: a router built from the OpenAPI document's operations,
 * a strict body reader (MAX_BODY_BYTES of limits.ts, JSON, UTF-8), request validation against the document's
 * schemas, Bearer-key auth, problem+json errors, one structured log line per request, and a graceful close.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { familyOf, validatePlanInput } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { canonicalJson, sha256 } from './ids.ts';
import type { Logger } from './logger.ts';
import { describeError, jsonLogger } from './logger.ts';
import { MAX_BODY_BYTES, MAX_BODY_TEXT, MAX_VALUES } from './limits.ts';
import { ApiError, problemBody } from './problems.ts';
import type { ProblemBody } from './problems.ts';
import { fieldErrors, loadSpec } from './spec.ts';
import type { CompiledOperation } from './spec.ts';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type {
    Actor,
    AutoMapInput,
    CreateStageInput,
    Family,
    MoveRecordsInput,
    ObjectApiName,
    RecordInput,
    Scope,
    SetMappingInput,
    Store,
    UpdateStageInput
} from './types.ts';

export { MAX_BODY_BYTES, MAX_VALUES };
/** Over-long bodies are read (and dropped) up to this size so the client can read the 413; beyond, cut off. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;
const MAX_KEY_LENGTH = 512;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/;

export interface ServiceOptions {
    store: Store;
    port?: number;
    host?: string;
    logger?: Logger;
    /** How long `close()` waits for in-flight requests before cutting connections (default 10 s). */
    shutdownTimeoutMs?: number;
}

export interface RunningService {
    url: string;
    port: number;
    server: Server;
    /** Stops accepting, lets in-flight requests finish, closes connections. The store stays open (yours). */
    close(): Promise<void>;
}

interface Context {
    teamId: string;
    actor: Actor | null;
    params: Record<string, string>;
    query: Record<string, unknown>;
    body: unknown;
    headers: IncomingMessage['headers'];
}

interface Reply {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

type Handler = (context: Context) => Promise<Reply>;

/** Everything logged about a request: never a key, a body or a concrete path (only its template). */
interface RequestLog {
    method: string;
    route: string | null;
    teamId: string | null;
}

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

/** Length in code points, as the document's maxLength and the database count. */
function codePoints(value: string): number {
    return value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;
}

function ok(body: unknown, status = 200, headers?: Record<string, string>): Reply {
    return headers ? { status, body, headers } : { status, body };
}

/** The handlers, by operationId. The router refuses to start when the document and this table disagree. */
function handlers(store: Store): Record<string, Handler> {
    return {
        getHealth: async () => {
            try {
                await store.ping();
            } catch {
                throw new ApiError(503, 'database-unavailable', 'The database does not answer.');
            }
            return ok({ status: 'ok', storage: store.kind });
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
            ok({ scopes: await store.listScopes(teamId, query.object as ObjectApiName) }),
        getScopeState: async ({ teamId, params }) => ok(await store.getScopeState(teamId, scopeOf(params))),
        setMapping: async (context) =>
            ok(
                await store.setMapping(
                    context.teamId,
                    requireActor(context),
                    scopeOf(context.params),
                    context.body as SetMappingInput
                )
            ),
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
        throw new ApiError(422, 'invalid-values', checked.error, {
            errors: [{ field: checked.path, message: checked.error.replace(`${checked.path}: `, '') }]
        });
    }
    const input: AutoMapInput = {
        values: checked.value.values,
        ...(body.expectedVersion === undefined ? {} : { expectedVersion: body.expectedVersion }),
        ...(body.dryRun === undefined ? {} : { dryRun: body.dryRun }),
        ...(body.newStageNames === undefined ? {} : { newStageNames: body.newStageNames }),
        ...(body.answer === undefined ? {} : { answer: body.answer })
    };
    let idempotency = null;
    if (body.dryRun !== true) {
        const key = context.headers['idempotency-key'];
        if (typeof key !== 'string' || key === '') {
            throw new ApiError(
                400,
                'idempotency-key-required',
                'Applying an auto-map needs an Idempotency-Key header (a new UUID per apply); dry runs do not.'
            );
        }
        idempotency = {
            key,
            requestHash: sha256(canonicalJson({ object: scope.object, field: scope.field, body: context.body }))
        };
    }
    const result = await store.autoMap(context.teamId, requireActor(context), scope, input, idempotency);
    return ok(result.body, 200, result.replayed ? { 'Idempotent-Replayed': 'true' } : undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------------------------

interface Route {
    operation: CompiledOperation;
    handler: Handler;
}

interface Match {
    route: Route;
    /** Raw (still percent-encoded) path parameters. */
    rawParams: Record<string, string>;
}

function buildRoutes(store: Store): Route[] {
    const table = handlers(store);
    const spec = loadSpec();
    const routes = spec.operations.map((operation) => {
        const handler = table[operation.operationId];
        if (!handler) {
            throw new Error(`No handler for operation ${operation.operationId} of service/openapi.yaml`);
        }
        return { operation, handler };
    });
    for (const operationId of Object.keys(table)) {
        if (!spec.operations.some((operation) => operation.operationId === operationId)) {
            throw new Error(`Handler ${operationId} has no operation in service/openapi.yaml`);
        }
    }
    return routes;
}

/** Finds the route of a path; `allowed` lists the methods of the path when the method is not one of them. */
function matchRoute(routes: Route[], method: string, rawPath: string): { match?: Match; allowed: string[] } {
    const segments = rawPath.split('/').slice(1);
    const allowed: string[] = [];
    for (const route of routes) {
        const template = route.operation.segments;
        if (template.length !== segments.length) {
            continue;
        }
        const rawParams: Record<string, string> = {};
        let matches = true;
        for (const [index, part] of template.entries()) {
            const segment = segments[index] ?? '';
            if (part.startsWith('{') && part.endsWith('}')) {
                matches &&= segment !== '';
                rawParams[part.slice(1, -1)] = segment;
            } else {
                matches &&= part === segment;
            }
        }
        if (!matches) {
            continue;
        }
        if (route.operation.method === method) {
            return { match: { route, rawParams }, allowed };
        }
        allowed.push(route.operation.method);
    }
    return { allowed };
}

// ---------------------------------------------------------------------------------------------------------------
// Request parts
// ---------------------------------------------------------------------------------------------------------------

/** A validator call that does not narrow its argument (Ajv's validators are type guards of `unknown`). */
function passes(validate: ValidateFunction, data: unknown): boolean {
    return validate(data);
}

function pathParams(operation: CompiledOperation, raw: Record<string, string>): Record<string, string> {
    const params: Record<string, string> = {};
    for (const [name, encoded] of Object.entries(raw)) {
        let value: string;
        try {
            value = decodeURIComponent(encoded);
        } catch {
            throw new ApiError(
                400,
                'invalid-path-encoding',
                `The path segment for ${name} is not valid percent-encoded UTF-8.`
            );
        }
        const validate = operation.validatePath.get(name);
        if (validate && !passes(validate, value)) {
            if (name === 'object') {
                throw new ApiError(
                    404,
                    'unsupported-object',
                    `Unknown object ${JSON.stringify(value.slice(0, 80))}: the stage service maps the picklists of Contact, Lead and Account.`
                );
            }
            const problem = fieldErrors(`path.${name}`, validate.errors)[0];
            throw new ApiError(
                404,
                'invalid-path-parameter',
                `${problem ? `${problem.field}: ${problem.message}` : `path.${name} is invalid`}; no such resource.`
            );
        }
        params[name] = value;
    }
    return params;
}

function queryParams(operation: CompiledOperation, search: string): Record<string, unknown> {
    const query: Record<string, unknown> = {};
    for (const [name, value] of new URLSearchParams(search)) {
        if (Object.prototype.hasOwnProperty.call(query, name)) {
            throw new ApiError(422, 'invalid-query', `query.${name}: given more than once; give it once.`, {
                errors: [{ field: `query.${name}`, message: 'given more than once' }]
            });
        }
        query[name] = value;
    }
    if (!operation.validateQuery(query)) {
        throw validationError('query', 'query parameter', operation.validateQuery.errors, 'invalid-query');
    }
    return query;
}

function validationError(
    prefix: string,
    word: string,
    errors: Parameters<typeof fieldErrors>[1],
    code: string
): ApiError {
    const list = fieldErrors(prefix, errors, word);
    const first = list[0];
    const detail = first
        ? `${first.field}: ${first.message}${list.length > 1 ? ` (and ${list.length - 1} more; see errors)` : ''}.`
        : `The ${prefix} is invalid.`;
    return new ApiError(422, code, detail, { errors: list });
}

/** Header text as UTF-8 (Node reads header bytes as Latin-1), then percent-decoded when it decodes. */
function headerText(value: string): string {
    const bytes = Buffer.from(value, 'latin1');
    let text: string;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        throw new ApiError(400, 'invalid-header', 'A header is not valid UTF-8.');
    }
    // Percent-escapes decode as UTF-8; a '%' that is not an escape (or a run that is not UTF-8) stays literal.
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
        try {
            return decodeURIComponent(run);
        } catch {
            return run;
        }
    });
}

function readActor(headers: IncomingMessage['headers']): Actor {
    const id = headers['x-actor-id'];
    const name = headers['x-actor-name'];
    if (typeof id !== 'string' || typeof name !== 'string' || id.trim() === '' || name.trim() === '') {
        throw new ApiError(
            400,
            'actor-required',
            'Every write needs the acting Salesforce user: send the X-Actor-Id and X-Actor-Name headers.',
            {
                errors: [
                    {
                        field: typeof id === 'string' && id.trim() ? 'header.X-Actor-Name' : 'header.X-Actor-Id',
                        message: 'is required'
                    }
                ]
            }
        );
    }
    const actor = { id: headerText(id).trim(), name: headerText(name).trim() };
    for (const [field, text] of [
        ['header.X-Actor-Id', actor.id],
        ['header.X-Actor-Name', actor.name]
    ] as const) {
        if (codePoints(text) > 255 || CONTROL_CHARACTERS.test(text) || text === '') {
            throw new ApiError(
                400,
                'invalid-actor',
                `${field}: must be 1 to 255 characters without control characters.`,
                {
                    errors: [{ field, message: 'must be 1 to 255 characters without control characters' }]
                }
            );
        }
    }
    return actor;
}

function readHeaders(operation: CompiledOperation, headers: IncomingMessage['headers']): void {
    for (const [name, validate] of operation.validateHeader) {
        const value = headers[name];
        if (typeof value === 'string' && name !== 'x-actor-id' && name !== 'x-actor-name' && !passes(validate, value)) {
            const problem = fieldErrors(`header.${name}`, validate.errors)[0];
            throw new ApiError(
                400,
                'invalid-header',
                `${problem?.field ?? name}: ${problem?.message ?? 'is invalid'}.`
            );
        }
    }
}

/** Reads the whole body, refusing more than {@link MAX_BODY_BYTES}. */
function readBody(request: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const declared = Number(request.headers['content-length']);
        const tooLarge = (): ApiError =>
            new ApiError(
                413,
                'body-too-large',
                `The request body is over ${MAX_BODY_TEXT}; send fewer values per request.`
            );
        const parts: Buffer[] = [];
        let size = 0;
        let refused = Number.isFinite(declared) && declared > MAX_BODY_BYTES;
        if (refused && declared > DRAIN_LIMIT_BYTES) {
            reject(tooLarge());
            request.resume();
            return;
        }
        request.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                refused = true;
            }
            if (size > DRAIN_LIMIT_BYTES) {
                request.destroy();
                reject(tooLarge());
                return;
            }
            if (!refused) {
                parts.push(chunk);
            }
        });
        request.on('end', () => {
            if (refused) {
                reject(tooLarge());
            } else {
                resolve(Buffer.concat(parts, size));
            }
        });
        request.on('error', reject);
    });
}

async function readJsonBody(request: IncomingMessage, operation: CompiledOperation): Promise<unknown> {
    const contentType = request.headers['content-type'];
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
    const got = typeof contentType === 'string' ? ` (got ${JSON.stringify(contentType.slice(0, 100))})` : '';
    const unsupported = (): ApiError =>
        new ApiError(415, 'unsupported-media-type', `Send the body as application/json in UTF-8${got}.`);
    if (
        contentType !== undefined &&
        (mediaType !== 'application/json' || (charset !== undefined && charset !== 'utf-8'))
    ) {
        request.resume();
        throw unsupported();
    }
    const bytes = await readBody(request);
    if (bytes.length === 0) {
        throw new ApiError(400, 'body-required', 'This request needs a JSON body.');
    }
    if (contentType === undefined) {
        throw unsupported();
    }
    let text: string;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        throw new ApiError(400, 'invalid-utf8', 'The request body is not valid UTF-8.');
    }
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch (error) {
        throw new ApiError(
            400,
            'invalid-json',
            `The request body is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}.`
        );
    }
    if (operation.validateBody && !operation.validateBody(body)) {
        throw validationError('body', 'field', operation.validateBody.errors, 'invalid-body');
    }
    return body;
}

/** Database failures that are not bugs: a race lost to a concurrent writer, a busy or unreachable database. */
function databaseProblem(error: unknown): ApiError | undefined {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') {
        return undefined;
    }
    const retry = { 'Retry-After': '1' };
    if (code === '23505' || code === '23503' || code.startsWith('SQLITE_CONSTRAINT')) {
        return new ApiError(
            503,
            'concurrent-change',
            'The data changed while this request ran; nothing was applied, try again.',
            {},
            retry
        );
    }
    if (code === 'SQLITE_BUSY' || code === '40001' || code === '40P01' || code === '57P01' || code === 'ECONNREFUSED') {
        return new ApiError(
            503,
            'database-busy',
            'The database is busy or unavailable; nothing was applied, try again shortly.',
            {},
            retry
        );
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------------

function send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    problem = false
): void {
    if (response.headersSent) {
        response.end();
        return;
    }
    const text = JSON.stringify(body);
    response.writeHead(status, {
        'Content-Type': problem ? 'application/problem+json' : 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...headers
    });
    response.end(text);
}

function sendProblem(response: ServerResponse, problem: ProblemBody, headers: Record<string, string> = {}): void {
    send(response, problem.status, problem, headers, true);
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
    const { store } = options;
    const logger = options.logger ?? jsonLogger();
    const routes = buildRoutes(store);
    let inFlight = 0;
    let closing = false;
    const idleWaiters: (() => void)[] = [];

    async function handle(request: IncomingMessage, response: ServerResponse, log: RequestLog): Promise<void> {
        const method = request.method ?? 'GET';
        const url = request.url ?? '/';
        const queryAt = url.indexOf('?');
        const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
        const search = queryAt === -1 ? '' : url.slice(queryAt + 1);
        const { match, allowed } = matchRoute(routes, method, rawPath);
        const authenticated = match?.route.operation.authenticated ?? true;
        log.route = match?.route.operation.path ?? null;
        let teamId: string | null = null;
        if (authenticated) {
            const header = request.headers.authorization;
            const key = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
            teamId = key !== undefined && key.length <= MAX_KEY_LENGTH ? await store.authenticate(key) : null;
            if (teamId === null) {
                request.resume();
                throw new ApiError(
                    401,
                    'unauthorized',
                    'A valid API key is required.',
                    {},
                    {
                        'WWW-Authenticate': 'Bearer realm="stage-service"'
                    }
                );
            }
            log.teamId = teamId;
        }
        if (!match) {
            request.resume();
            if (allowed.length > 0) {
                throw new ApiError(
                    405,
                    'method-not-allowed',
                    `${method} is not supported here; use ${allowed.join(' or ')}.`,
                    {},
                    {
                        Allow: allowed.join(', ')
                    }
                );
            }
            throw new ApiError(404, 'route-not-found', 'There is no such endpoint; see service/openapi.yaml.');
        }
        const { operation } = match.route;
        const params = pathParams(operation, match.rawParams);
        const query = queryParams(operation, search);
        readHeaders(operation, request.headers);
        const actor = WRITE_METHODS.has(method) ? readActor(request.headers) : null;
        let body: unknown;
        if (operation.requestBody) {
            body = await readJsonBody(request, operation);
        } else {
            request.resume();
        }
        const reply = await match.route.handler({
            teamId: teamId ?? '',
            actor,
            params,
            query,
            body,
            headers: request.headers
        });
        send(response, reply.status, reply.body, reply.headers);
    }

    const server = createServer((request, response) => {
        const started = process.hrtime.bigint();
        const log: RequestLog = { method: request.method ?? '', route: null, teamId: null };
        inFlight += 1;
        if (closing) {
            response.setHeader('Connection', 'close');
        }
        response.on('close', () => {
            inFlight -= 1;
            logger.info('request', {
                method: log.method,
                route: log.route,
                status: response.statusCode,
                ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
                teamId: log.teamId
            });
            if (inFlight === 0) {
                idleWaiters.splice(0).forEach((resolve) => {
                    resolve();
                });
            }
        });
        handle(request, response, log).catch((error: unknown) => {
            const known = error instanceof ApiError ? error : databaseProblem(error);
            if (known && !(error instanceof ApiError)) {
                logger.warn('database-refused', {
                    method: log.method,
                    route: log.route,
                    teamId: log.teamId,
                    ...describeError(error)
                });
            }
            if (known) {
                if (known.status === 413 && !request.complete) {
                    // A body far over the limit is not read to its end: this connection cannot carry another request.
                    response.setHeader('Connection', 'close');
                }
                sendProblem(response, known.toProblem(), known.headers);
                return;
            }
            logger.error('unhandled-error', {
                method: log.method,
                route: log.route,
                teamId: log.teamId,
                ...describeError(error)
            });
            sendProblem(
                response,
                problemBody(500, 'internal-error', 'The service failed; nothing was applied. Try again.')
            );
        });
    });
    // Malformed HTTP never reaches the handler: answer it in problem+json too.
    server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
        if (!socket.writable) {
            socket.destroy();
            return;
        }
        const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
        const body = JSON.stringify(problemBody(status, 'bad-http', 'The request is not valid HTTP/1.1.'));
        socket.end(
            `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
        );
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    let closed: Promise<void> | undefined;
    return {
        url,
        port: address.port,
        server,
        close: () => {
            closed ??= (async () => {
                closing = true;
                const stopped = new Promise<void>((resolve) =>
                    server.close(() => {
                        resolve();
                    })
                );
                server.closeIdleConnections();
                const drained =
                    inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
                const timeout = new Promise<void>((resolve) =>
                    setTimeout(resolve, options.shutdownTimeoutMs ?? 10_000).unref()
                );
                await Promise.race([drained, timeout]);
                server.closeIdleConnections();
                server.closeAllConnections();
                await stopped;
            })();
            return closed;
        }
    };
}
