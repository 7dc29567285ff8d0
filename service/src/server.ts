/**
 * The HTTP side of the stage service, on Fastify 5: one route per operation of service/openapi.yaml (GET routes
 * answer HEAD too), the bearer key checked first on every path, the path, query and headers checked against the
 * document before the body is read, one content-type parser for every body (JSON in UTF-8, at most 1 MB), Fastify's
 * validation step running the document's body schemas, problem+json for every refusal, one JSON log line per request
 * (pino), and a graceful close.
 *
 * The order of checks is the contract's: 401 before anything else (unknown routes included), then 405/404 for the
 * route, 404 for a path parameter, 422 for the query, 400 for headers and the actor, then the body (415, 413, 400,
 * 422), then the store.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { bodyValidator, MAX_BODY_BYTES, parseJsonBody } from './http/body.ts';
import { databaseProblem, knownProblem } from './http/errors.ts';
import { handlers } from './http/handlers.ts';
import type { Handler } from './http/handlers.ts';
import { bearerKey, checkHeaders, checkPathParams, readActor, readQuery } from './http/request-parts.ts';
import type { Logger } from './logger.ts';
import { describeError, fastifyLogger, jsonLogger } from './logger.ts';
import { ApiError, problemBody } from './problems.ts';
import type { ProblemBody } from './problems.ts';
import { loadSpec } from './spec.ts';
import type { CompiledOperation } from './spec.ts';
import type { Actor, Store } from './types.ts';

export { MAX_BODY_BYTES } from './http/body.ts';
export { MAX_VALUES } from './http/handlers.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Long enough for any path the document allows (a 255-character value, every character percent-encoded). */
const MAX_PARAM_LENGTH = 4096;
/** The whole request, headers and body, must arrive within this (Node's own default is 300 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Open connections per instance, idle keep-alive ones included; more are refused at once. */
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Fastify's default: longer than the 60 s idle timeout of most load balancers, so they close first. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export interface ServiceOptions {
    store: Store;
    port?: number;
    host?: string;
    logger?: Logger;
    /** How long `close()` waits for in-flight requests before cutting connections (default 10 s). */
    shutdownTimeoutMs?: number;
    /** The time a client has to send a whole request, body included (default 30 s): then 408, connection closed. */
    requestTimeoutMs?: number;
    /** Concurrent connections (default 1,024): a connection over the cap is closed unanswered. */
    maxConnections?: number;
}

export interface RunningService {
    url: string;
    port: number;
    server: Server;
    /** Stops accepting, lets in-flight requests finish, closes connections. The store stays open (yours). */
    close(): Promise<void>;
}

/** What the hooks learn about a request, for the handler and the log line. */
interface RequestState {
    started: bigint;
    route: string | null;
    teamId: string | null;
    actor: Actor | null;
    params: Record<string, string>;
    query: Record<string, unknown>;
    /** The client went away before the request was read: logged once, as such, and never as a response. */
    aborted: boolean;
}

interface Route {
    operation: CompiledOperation;
    handler: Handler;
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

/** `/v1/stages/{stageId}` → `/v1/stages/:stageId` (Fastify's route syntax). */
function fastifyPath(path: string): string {
    return path.replace(/\{([^}]+)\}/g, ':$1');
}

/** The methods the document allows on a concrete path (HEAD wherever GET is), for a 405's Allow header. */
function allowedMethods(routes: readonly Route[], url: string): string[] {
    const queryAt = url.indexOf('?');
    const segments = (queryAt === -1 ? url : url.slice(0, queryAt)).split('/').slice(1);
    const allowed: string[] = [];
    for (const { operation } of routes) {
        const template = operation.segments;
        const matches =
            template.length === segments.length &&
            template.every((part, index) =>
                part.startsWith('{') ? (segments[index] ?? '') !== '' : part === segments[index]
            );
        if (matches) {
            allowed.push(operation.method, ...(operation.method === 'GET' ? ['HEAD'] : []));
        }
    }
    return allowed;
}

/**
 * The Node server under Fastify, with the limits a slow or greedy client must not exceed: the whole request within
 * `requestTimeoutMs` (checked every second at most, Node checks every 30 s by default) and `maxConnections`.
 */
function limitedServer(options: ServiceOptions): (handler: RequestListener) => Server {
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return (handler) => {
        const server = createServer(
            {
                requestTimeout,
                headersTimeout: requestTimeout,
                connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeout / 5))),
                keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS
            },
            handler
        );
        server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
        return server;
    };
}

/** The status line and problem of an HTTP-level failure that never reached a route. */
function clientErrorProblem(code: string | undefined): ProblemBody {
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        return problemBody(
            408,
            'request-timeout',
            'The request did not arrive in time; send it again, whole and without pauses.'
        );
    }
    if (code === 'HPE_HEADER_OVERFLOW') {
        return problemBody(431, 'bad-http', 'The request headers are too large.');
    }
    return problemBody(400, 'bad-http', 'The request is not valid HTTP/1.1.');
}

function unauthorized(): ApiError {
    return new ApiError(
        401,
        'unauthorized',
        'A valid API key is required.',
        {},
        { 'WWW-Authenticate': 'Bearer realm="stage-service"' }
    );
}

function sendProblem(reply: FastifyReply, problem: ProblemBody, headers: Record<string, string> = {}): void {
    void reply
        .code(problem.status)
        .headers({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers })
        .header('Content-Type', 'application/problem+json')
        // A Buffer, so Fastify sends the media type as set (it appends a charset to a JSON type sent as a string).
        .send(Buffer.from(JSON.stringify(problem)));
}

/** The team of a request's bearer key, or null (no key, a malformed one, an unknown or revoked one). */
async function teamOf(store: Store, request: FastifyRequest): Promise<string | null> {
    const key = bearerKey(request.headers, request.raw.rawHeaders);
    return key === undefined ? null : store.authenticate(key);
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
    const { store } = options;
    const logger = options.logger ?? jsonLogger();
    const routes = buildRoutes(store);
    const operationByRoute = new Map(
        routes.map(({ operation }) => [`${operation.method} ${fastifyPath(operation.path)}`, operation])
    );
    const states = new WeakMap<FastifyRequest, RequestState>();
    /** Connections the server cut for being too slow: their requests are logged as timed out, not as aborted. */
    const timedOut = new WeakSet<Socket>();
    let inFlight = 0;
    let closing = false;
    const idleWaiters: (() => void)[] = [];

    const operationOf = (request: FastifyRequest): CompiledOperation | undefined => {
        const url = request.routeOptions.url;
        const method = request.method === 'HEAD' ? 'GET' : request.method;
        return url === undefined ? undefined : operationByRoute.get(`${method} ${url}`);
    };
    const stateOf = (request: FastifyRequest): RequestState => {
        let state = states.get(request);
        if (!state) {
            state = {
                started: process.hrtime.bigint(),
                route: null,
                teamId: null,
                actor: null,
                params: {},
                query: {},
                aborted: false
            };
            states.set(request, state);
        }
        return state;
    };
    const elapsedMs = (state: RequestState): number =>
        Math.round(Number(process.hrtime.bigint() - state.started) / 1e4) / 100;
    const logAbort = (request: FastifyRequest): void => {
        const state = stateOf(request);
        if (!state.aborted) {
            state.aborted = true;
            logger.info(timedOut.has(request.raw.socket) ? 'request-timeout' : 'client-aborted', {
                method: request.method,
                route: state.route,
                teamId: state.teamId,
                ms: elapsedMs(state)
            });
        }
    };

    const app = Fastify({
        loggerInstance: fastifyLogger(logger),
        // One line per request is ours (onResponse): Fastify's own would carry the concrete URL.
        logController: new LogController({ disableRequestLogging: true }),
        bodyLimit: MAX_BODY_BYTES,
        exposeHeadRoutes: true,
        // Requests that arrive while closing are still answered (with Connection: close), as before the framework.
        return503OnClosing: false,
        routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
        // A path the router cannot decode: still 401 first for a bad key, then the contract's 400.
        frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
            const state = stateOf(request);
            reply.raw.once('finish', () => {
                logger.info('request', {
                    method: request.method,
                    route: null,
                    status: reply.statusCode,
                    ms: elapsedMs(state),
                    teamId: state.teamId
                });
            });
            void teamOf(store, request)
                .catch(() => null)
                .then((teamId) => {
                    state.teamId = teamId;
                    const problem =
                        teamId === null
                            ? unauthorized()
                            : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
                              ? new ApiError(
                                    404,
                                    'invalid-path-parameter',
                                    'A path segment is too long; no such resource.'
                                )
                              : (knownProblem(error, undefined) ??
                                new ApiError(400, 'bad-request', 'The request path is not valid.'));
                    sendProblem(reply, problem.toProblem(), problem.headers);
                });
        },
        serverFactory: limitedServer(options),
        // Malformed HTTP and requests too slow to arrive never reach a route: answer them in problem+json too.
        clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
            if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
                timedOut.add(socket);
            }
            if (!socket.writable) {
                socket.destroy();
                return;
            }
            const problem = clientErrorProblem(error.code);
            const body = JSON.stringify(problem);
            socket.end(
                `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
            );
        }
    });

    // Every body reaches this one parser, whatever its media type, so each refusal is the contract's own.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
        try {
            const optional = operationOf(request)?.requestBody?.required === false;
            done(null, parseJsonBody(request.headers['content-type'], body as Buffer, optional));
        } catch (error) {
            done(error as Error, undefined);
        }
    });

    app.addHook('onRequest', async (request, reply) => {
        const state = stateOf(request);
        inFlight += 1;
        reply.raw.once('close', () => {
            inFlight -= 1;
            if (inFlight === 0) {
                idleWaiters.splice(0).forEach((resolve) => {
                    resolve();
                });
            }
        });
        if (closing) {
            void reply.header('Connection', 'close');
        }
        const operation = operationOf(request);
        state.route = operation?.path ?? null;
        if (operation?.authenticated ?? true) {
            state.teamId = await teamOf(store, request);
            if (state.teamId === null) {
                throw unauthorized();
            }
        }
        if (!operation) {
            const allowed = allowedMethods(routes, request.url);
            if (allowed.length > 0) {
                throw new ApiError(
                    405,
                    'method-not-allowed',
                    `${request.method} is not supported here; use ${allowed.join(' or ')}.`,
                    {},
                    { Allow: allowed.join(', ') }
                );
            }
            throw new ApiError(404, 'route-not-found', 'There is no such endpoint; see service/openapi.yaml.');
        }
        if (!operation.requestBody) {
            // An operation without a body ignores one: it is discarded unread, never parsed nor refused.
            request.raw.resume();
            delete request.raw.headers['content-type'];
            delete request.raw.headers['content-length'];
            delete request.raw.headers['transfer-encoding'];
        }
        state.params = checkPathParams(operation, request.params as Record<string, string>);
        state.query = readQuery(operation, request.url);
        checkHeaders(operation, request.headers, request.raw.rawHeaders);
        state.actor = WRITE_METHODS.has(request.method) ? readActor(request.headers) : null;
    });

    app.addHook('preValidation', (request, _reply, done) => {
        const body = operationOf(request)?.requestBody;
        if (body && request.body === undefined) {
            if (body.required) {
                done(new ApiError(400, 'body-required', 'This request needs a JSON body.'));
                return;
            }
            // An optional body left out is an empty one: it is still checked like a sent one.
            request.body = {};
        }
        done();
    });

    app.addHook('onRequestAbort', (request, done) => {
        logAbort(request);
        done();
    });

    app.addHook('onResponse', (request, reply, done) => {
        const state = stateOf(request);
        if (!state.aborted) {
            logger.info('request', {
                method: request.method,
                route: state.route,
                status: reply.statusCode,
                ms: elapsedMs(state),
                teamId: state.teamId
            });
        }
        done();
    });

    app.setErrorHandler((error, request, reply) => {
        const state = stateOf(request);
        if (request.raw.destroyed && !request.raw.complete) {
            logAbort(request);
        }
        const known = knownProblem(error, request.headers['content-type']);
        if (!(error instanceof ApiError) && databaseProblem(error)) {
            logger.warn('database-refused', {
                method: request.method,
                route: state.route,
                teamId: state.teamId,
                ...describeError(error)
            });
        }
        if (known) {
            if (known.status === 413 && !request.raw.complete) {
                // Keep the connection (Fastify closes it) so Node reads the rest of the body away, bounded by the
                // request timeout: closing with unread data makes TCP reset, and the client may lose the 413.
                reply.removeHeader('connection');
            }
            sendProblem(reply, known.toProblem(), known.headers);
            return;
        }
        if (!state.aborted) {
            logger.error('unhandled-error', {
                method: request.method,
                route: state.route,
                teamId: state.teamId,
                ...describeError(error)
            });
        }
        sendProblem(reply, problemBody(500, 'internal-error', 'The service failed; nothing was applied. Try again.'));
    });

    app.setNotFoundHandler((_request, reply) => {
        sendProblem(reply, problemBody(404, 'route-not-found', 'There is no such endpoint; see service/openapi.yaml.'));
    });

    for (const { operation, handler } of routes) {
        app.route({
            method: operation.method,
            url: fastifyPath(operation.path),
            ...(operation.requestBody
                ? {
                      schema: { body: operation.requestBody.schema },
                      validatorCompiler: () => bodyValidator(operation)
                  }
                : {}),
            handler: async (request, reply) => {
                const state = stateOf(request);
                const key = request.headers['idempotency-key'];
                const result = await handler({
                    teamId: state.teamId ?? '',
                    actor: state.actor,
                    params: state.params,
                    query: state.query,
                    body: request.body,
                    idempotencyKey: typeof key === 'string' ? key : undefined
                });
                return reply
                    .code(result.status)
                    .headers({
                        'Cache-Control': 'no-store',
                        'X-Content-Type-Options': 'nosniff',
                        ...(result.headers ?? {})
                    })
                    .header('Content-Type', 'application/json; charset=utf-8')
                    .send(JSON.stringify(result.body));
            }
        });
    }

    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    let closed: Promise<void> | undefined;
    return {
        url,
        port: address.port,
        server: app.server,
        close: () => {
            closed ??= (async () => {
                closing = true;
                // Stops accepting at once; resolves once every connection has ended.
                const stopped = app.close();
                const drained =
                    inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
                const timeout = new Promise<void>((resolve) =>
                    setTimeout(resolve, options.shutdownTimeoutMs ?? 10_000).unref()
                );
                await Promise.race([drained, timeout]);
                app.server.closeAllConnections();
                await stopped;
            })();
            return closed;
        }
    };
}
