/**
 * The OpenAPI document is valid and complete: OpenAPI 3.1 structure, every $ref resolves, every schema compiles
 * under Ajv's strict JSON Schema 2020-12, every operation is served by a handler (and every handler is in the
 * document), every request body refuses unknown fields, errors are problem+json, and the paths of
 * docs/contracts.md are all there. (The responses themselves are validated in every other test file.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSpec, loadSpecDocument } from '../src/spec.ts';
import { DB_KINDS, assertResponseMatchesSpec, openEnv } from './helpers.ts';

const document = loadSpecDocument();
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value in the document with its JSON pointer. */
function* walk(value: unknown, pointer = '#'): Generator<[string, unknown]> {
    yield [pointer, value];
    if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) {
            yield* walk(item, `${pointer}/${index}`);
        }
    } else if (isRecord(value)) {
        for (const [key, item] of Object.entries(value)) {
            yield* walk(item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        }
    }
}

function resolve(ref: string): unknown {
    let target: unknown = document;
    for (const part of ref.slice(2).split('/')) {
        target = isRecord(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    return target;
}

function deref(value: unknown): unknown {
    return isRecord(value) && typeof value.$ref === 'string' ? deref(resolve(value.$ref)) : value;
}

describe('service/openapi.yaml', () => {
    test('is an OpenAPI 3.1 document with info, servers, paths and a bearer security scheme', () => {
        assert.match(document.openapi, /^3\.1\.\d+$/);
        assert.equal(typeof document.info.title, 'string');
        assert.equal(typeof document.info.version, 'string');
        assert.ok(Object.keys(document.paths).length >= 12);
        assert.deepEqual(document.components.securitySchemes.bearerAuth, {
            type: 'http',
            scheme: 'bearer',
            description: (document.components.securitySchemes.bearerAuth as { description: string }).description
        });
        assert.deepEqual(document.security, [{ bearerAuth: [] }]);
        const allowedTop = new Set([
            'openapi',
            'info',
            'jsonSchemaDialect',
            'servers',
            'paths',
            'webhooks',
            'components',
            'security',
            'tags',
            'externalDocs'
        ]);
        for (const key of Object.keys(document)) {
            assert.ok(allowedTop.has(key) || key.startsWith('x-'), `unknown top-level field ${key}`);
        }
    });

    test('every $ref resolves', () => {
        for (const [pointer, value] of walk(document)) {
            if (isRecord(value) && typeof value.$ref === 'string') {
                assert.ok(value.$ref.startsWith('#/'), `${pointer}: only local refs`);
                assert.notEqual(resolve(value.$ref), undefined, `${pointer}: ${value.$ref} does not resolve`);
            }
        }
    });

    test('every component schema compiles under strict JSON Schema 2020-12', () => {
        const spec = loadSpec();
        for (const name of Object.keys(document.components.schemas)) {
            assert.doesNotThrow(() => spec.compileSchema({ $ref: `#/components/schemas/${name}` }), name);
        }
    });

    test('operations: unique ids, declared path parameters, documented responses, problem+json errors', () => {
        const ids = new Set<string>();
        for (const [path, item] of Object.entries(document.paths)) {
            assert.match(path, /^\/v1\//);
            const templateParams = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
            for (const method of Object.keys(item)) {
                assert.ok(
                    METHODS.includes(method) || method === 'parameters' || method === 'summary',
                    `${path}: ${method}`
                );
            }
            for (const operation of loadSpec().operations.filter((candidate) => candidate.path === path)) {
                assert.ok(!ids.has(operation.operationId), `duplicate operationId ${operation.operationId}`);
                ids.add(operation.operationId);
                const declared = operation.parameters.filter((parameter) => parameter.in === 'path');
                assert.deepEqual(
                    declared.map((parameter) => parameter.name).sort(),
                    [...templateParams].sort(),
                    `${operation.operationId}: path parameters`
                );
                for (const parameter of declared) {
                    assert.equal(
                        parameter.required,
                        true,
                        `${operation.operationId}: path parameter ${parameter.name} must be required`
                    );
                }
                const statuses = Object.keys(operation.responses);
                assert.ok(
                    statuses.some((status) => status.startsWith('2')),
                    `${operation.operationId}: a 2xx`
                );
                assert.ok(statuses.includes('500'), `${operation.operationId}: documents 500`);
                if (operation.authenticated) {
                    assert.ok(statuses.includes('401'), `${operation.operationId}: documents 401`);
                }
                for (const [status, response] of Object.entries(operation.responses)) {
                    assert.equal(
                        typeof response.description,
                        'string',
                        `${operation.operationId} ${status}: description`
                    );
                    const media = Object.keys(response.content ?? {});
                    assert.deepEqual(
                        media,
                        [Number(status) >= 400 ? 'application/problem+json' : 'application/json'],
                        `${operation.operationId} ${status}: media type`
                    );
                }
                if (operation.requestBody) {
                    for (const status of ['413', '415', '422']) {
                        assert.ok(
                            statuses.includes(status),
                            `${operation.operationId}: a body operation documents ${status}`
                        );
                    }
                }
            }
        }
        assert.equal(ids.size, 17);
    });

    test('every object schema a request body reaches refuses unknown fields', () => {
        const seen = new Set<unknown>();
        const check = (schema: unknown, where: string): void => {
            const resolved = deref(schema);
            if (!isRecord(resolved) || seen.has(resolved)) {
                return;
            }
            seen.add(resolved);
            // An object refuses unknown fields, or is a map whose keys are named by a rule (auto-map's categories,
            // by picklist value: the handler also checks each key is a value of the request).
            const isMap = resolved.properties === undefined && isRecord(resolved.propertyNames);
            if (resolved.type === 'object' && !isMap) {
                assert.equal(resolved.additionalProperties, false, `${where}: additionalProperties must be false`);
            }
            for (const key of ['properties', '$defs']) {
                if (isRecord(resolved[key])) {
                    for (const [name, child] of Object.entries(resolved[key])) {
                        check(child, `${where}.${name}`);
                    }
                }
            }
            for (const key of ['items', 'additionalProperties']) {
                check(resolved[key], `${where}[]`);
            }
            for (const key of ['allOf', 'oneOf', 'anyOf']) {
                if (Array.isArray(resolved[key])) {
                    resolved[key].forEach((child, index) => {
                        check(child, `${where}.${key}[${index}]`);
                    });
                }
            }
        };
        for (const operation of loadSpec().operations) {
            if (operation.requestBody) {
                // Only an undo's body is optional (it has no fields; a sent one is still checked).
                assert.equal(
                    operation.requestBody.required,
                    operation.operationId !== 'undoRun',
                    operation.operationId
                );
                check(
                    deref(
                        (
                            document.paths[operation.path]?.[operation.method.toLowerCase()] as {
                                requestBody: { content: Record<string, { schema: unknown }> };
                            }
                        ).requestBody.content['application/json']?.schema
                    ),
                    operation.operationId
                );
            }
        }
    });

    test('the health check needs no key; everything else does', () => {
        const open = loadSpec()
            .operations.filter((operation) => !operation.authenticated)
            .map((operation) => operation.operationId);
        assert.deepEqual(open, ['getHealth']);
    });

    test('every path of docs/contracts.md is in the document', () => {
        const contracts = readFileSync(fileURLToPath(new URL('../../docs/contracts.md', import.meta.url)), 'utf8');
        const rows = [...contracts.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/v1\/[^`?\s]*)/g)];
        assert.ok(rows.length >= 10, 'the contracts table lists the service paths');
        for (const [, method, path] of rows) {
            const item = document.paths[path ?? ''];
            assert.ok(item, `${path} (docs/contracts.md) is not in openapi.yaml`);
            assert.ok(isRecord(item[(method ?? '').toLowerCase()]), `${method} ${path} is not in openapi.yaml`);
        }
    });

    test('the recorded service responses the LWC tests use are bodies the document allows', () => {
        const data = new URL('../../force-app/main/default/lwc/stageAutoMapSetup/__tests__/data/', import.meta.url);
        const fixtures: [string, string][] = [
            ['mappedFieldsLead.json', '/v1/scopes?object=Lead'],
            ['mappedFieldsContactNoRun.json', '/v1/scopes?object=Contact'],
            ['scopeStateLeadStatus.json', '/v1/scopes/Lead/Status'],
            ['scopeStateContactStatus.json', '/v1/scopes/Contact/Status'],
            ['scopeStateAccountType.json', '/v1/scopes/Account/Type'],
            ['runHistoryLeadStatus.json', '/v1/runs?object=Lead&field=Status']
        ];
        for (const [file, path] of fixtures) {
            const body: unknown = JSON.parse(readFileSync(fileURLToPath(new URL(file, data)), 'utf8'));
            assertResponseMatchesSpec('GET', path, 200, 'application/json', body);
        }
    });

    for (const kind of DB_KINDS) {
        test(`the server starts with a handler for every operation and nothing else [${kind}]`, async () => {
            // startService refuses to start when the document and its handler table disagree.
            const env = await openEnv(kind);
            try {
                const health = await env.api.get('/v1/health', { auth: false });
                assert.equal(health.status, 200);
                // Nothing about the storage engine to a caller without a key.
                assert.deepEqual(health.body, { status: 'ok' });
                assert.doesNotMatch(health.text, /sqlite|postgres/i);
            } finally {
                await env.store.close();
            }
            try {
                // The database gone: the health check says so (503), in problem+json.
                const down = await env.api.get('/v1/health', { auth: false });
                assert.equal(down.status, 503);
            } finally {
                await env.service.close();
                await env.database.remove();
            }
        });
    }
});
