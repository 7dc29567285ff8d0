/**
 * The OpenAPI document (service/openapi.yaml) loaded once and turned into what the server needs: the operations
 * (method, path template, parameters) that the router is built from, and Ajv validators for every request body,
 * query string and path or header parameter. Requests are validated against the same document the Apex and UI
 * engineers read, so the code cannot drift from the contract. The tests use {@link compileSchema} to validate
 * every response too.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

export const SPEC_FILE = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
const SCHEMA_ID = 'stage-service';
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const MAX_REPORTED_ERRORS = 20;

export type JsonSchema = Record<string, unknown>;

export interface SpecParameter {
    name: string;
    in: 'path' | 'query' | 'header';
    required: boolean;
    schema: JsonSchema;
}

export interface SpecResponse {
    description: string;
    content?: Record<string, { schema: JsonSchema }>;
    headers?: Record<string, unknown>;
}

export interface SpecOperation {
    operationId: string;
    method: string;
    path: string;
    /** The path split on `/`; `{name}` segments are parameters. */
    segments: string[];
    parameters: SpecParameter[];
    requestBody: { required: boolean; schema: JsonSchema } | undefined;
    responses: Record<string, SpecResponse>;
    /** False for the operations with `security: []` (health). */
    authenticated: boolean;
}

export interface FieldError {
    field: string;
    message: string;
}

export interface OpenApiDocument {
    openapi: string;
    info: Record<string, unknown>;
    paths: Record<string, Record<string, unknown>>;
    components: {
        schemas: Record<string, JsonSchema>;
        parameters: Record<string, unknown>;
        responses: Record<string, unknown>;
        securitySchemes: Record<string, unknown>;
    };
    security?: unknown[];
    [key: string]: unknown;
}

type AjvInstance = InstanceType<typeof Ajv2020>;
const addFormats = addFormatsModule as unknown as (ajv: AjvInstance) => AjvInstance;

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `#/components/schemas/X` → `stage-service#/$defs/X`, everywhere in a schema (Ajv knows no `components`). */
function rewriteRefs(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(rewriteRefs);
    }
    if (isRecord(value)) {
        return Object.fromEntries(
            Object.entries(value).map(([key, item]) => [
                key,
                key === '$ref' && typeof item === 'string'
                    ? item.replace('#/components/schemas/', `${SCHEMA_ID}#/$defs/`)
                    : rewriteRefs(item)
            ])
        );
    }
    return value;
}

/** Follows a local `$ref` (`#/components/...`) to its target. */
function deref(document: OpenApiDocument, value: unknown): unknown {
    if (isRecord(value) && typeof value.$ref === 'string' && value.$ref.startsWith('#/')) {
        let target: unknown = document;
        for (const part of value.$ref.slice(2).split('/')) {
            target = isRecord(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
        }
        if (target === undefined) {
            throw new Error(`Unresolved $ref ${value.$ref} in ${SPEC_FILE}`);
        }
        return deref(document, target);
    }
    return value;
}

export function loadSpecDocument(file = SPEC_FILE): OpenApiDocument {
    return parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

/**
 * `allErrors: false` for request bodies: Ajv then stops at the first error, so refusing a body costs at most one pass
 * over it. With `allErrors: true` Ajv copies the error list each time a `$ref`'d sub-schema fails (quadratic in the
 * failing items: 20,000 bad items took 26 s) and a 1 MB body can hold hundreds of thousands of them.
 */
function newAjv(document: OpenApiDocument, coerceTypes: boolean, allErrors = true): AjvInstance {
    const ajv = new Ajv2020({ strict: true, allErrors, verbose: true, coerceTypes, useDefaults: coerceTypes });
    addFormats(ajv);
    ajv.addSchema({ $id: SCHEMA_ID, $defs: rewriteRefs(document.components.schemas) as Record<string, unknown> });
    return ajv;
}

function readParameters(document: OpenApiDocument, list: unknown): SpecParameter[] {
    if (!Array.isArray(list)) {
        return [];
    }
    return list.map((item) => {
        const parameter = deref(document, item) as Record<string, unknown>;
        return {
            name: String(parameter.name),
            in: parameter.in as SpecParameter['in'],
            required: parameter.required === true,
            schema: rewriteRefs(parameter.schema) as JsonSchema
        };
    });
}

function readOperations(document: OpenApiDocument): SpecOperation[] {
    const operations: SpecOperation[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
        const shared = readParameters(document, item.parameters);
        for (const method of HTTP_METHODS) {
            const raw = item[method];
            if (!isRecord(raw)) {
                continue;
            }
            const own = readParameters(document, raw.parameters);
            const parameters = [
                ...shared.filter((parameter) => !own.some((o) => o.name === parameter.name && o.in === parameter.in)),
                ...own
            ];
            const body = isRecord(raw.requestBody)
                ? (deref(document, raw.requestBody) as Record<string, unknown>)
                : undefined;
            const bodySchema = body
                ? (body.content as Record<string, { schema: unknown }>)['application/json']?.schema
                : undefined;
            const responses = Object.fromEntries(
                Object.entries(raw.responses as Record<string, unknown>).map(([status, response]) => [
                    status,
                    deref(document, response) as SpecResponse
                ])
            );
            operations.push({
                operationId: String(raw.operationId),
                method: method.toUpperCase(),
                path,
                segments: path.split('/').slice(1),
                parameters,
                requestBody:
                    body && bodySchema !== undefined
                        ? { required: body.required === true, schema: rewriteRefs(bodySchema) as JsonSchema }
                        : undefined,
                responses,
                authenticated: !(Array.isArray(raw.security) && raw.security.length === 0)
            });
        }
    }
    return operations;
}

/** Friendlier words for the document's patterns than "must match pattern". */
const PATTERN_MESSAGES: Record<string, string> = {
    '^[^\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF]*$':
        'must not contain control characters or bidirectional formatting characters',
    '^[A-Za-z][A-Za-z0-9_]{0,79}$':
        'must be a Salesforce field API name: a letter, then letters, digits or underscores, 80 characters at most',
    '^[A-Za-z0-9_-]{1,64}$': 'must be an id of letters, digits, "_" and "-" (64 characters at most)',
    '^[A-Za-z0-9_.:-]{1,255}$':
        'must be a record id of letters, digits, "_", ".", ":" and "-" (255 characters at most)',
    '^[\\x21-\\x7E]{1,255}$': 'must be 1 to 255 visible ASCII characters',
    '^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,2}$': 'must be a language code such as en_US or de'
};

function describeValue(value: unknown): string {
    if (value === null) {
        return 'null';
    }
    if (Array.isArray(value)) {
        return 'an array';
    }
    if (typeof value === 'string') {
        return value.length > 40 ? 'a string' : `the string ${JSON.stringify(value)}`;
    }
    if (typeof value === 'object') {
        return 'an object';
    }
    return value === undefined ? 'nothing' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Length in code points, as JSON Schema's maxLength counts. */
function codePoints(value: string): number {
    return value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;
}

/** `/values/3/value` under `body` → `body.values[3].value`. */
export function fieldPath(prefix: string, instancePath: string): string {
    let path = prefix;
    for (const raw of instancePath.split('/').slice(1)) {
        const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        path += /^\d+$/.test(part) ? `[${part}]` : `${path ? '.' : ''}${part}`;
    }
    return path;
}

function toFieldError(prefix: string, error: ErrorObject, unknownWord: string): FieldError | undefined {
    const at = fieldPath(prefix, error.instancePath);
    const params = error.params as Record<string, unknown>;
    const join = (name: unknown): string => `${at}${at ? '.' : ''}${String(name)}`;
    const count = (value: unknown): number =>
        Array.isArray(value) ? value.length : typeof value === 'string' ? codePoints(value) : 0;
    switch (error.keyword) {
        case 'required':
            return { field: join(params.missingProperty), message: 'is required' };
        case 'additionalProperties': {
            const properties =
                isRecord(error.parentSchema) && isRecord(error.parentSchema.properties)
                    ? Object.keys(error.parentSchema.properties)
                    : [];
            return {
                field: join(params.additionalProperty),
                message: `is not a known ${unknownWord}${properties.length ? ` (known: ${properties.join(', ')})` : ''}`
            };
        }
        case 'type':
            return {
                field: at,
                message: `must be ${String(params.type).replace(',', ' or ')}, got ${describeValue(error.data)}`
            };
        case 'maxLength':
            return {
                field: at,
                message: `must be at most ${String(params.limit)} characters (got ${count(error.data)})`
            };
        case 'minLength':
            return {
                field: at,
                message:
                    Number(params.limit) === 1
                        ? 'must not be empty'
                        : `must be at least ${String(params.limit)} characters`
            };
        case 'maxItems':
            return { field: at, message: `must have at most ${String(params.limit)} items (got ${count(error.data)})` };
        case 'minItems':
            return {
                field: at,
                message: `must have at least ${String(params.limit)} item${Number(params.limit) === 1 ? '' : 's'}`
            };
        case 'minimum':
        case 'maximum':
            return {
                field: at,
                message: `must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}, got ${describeValue(error.data)}`
            };
        case 'enum':
            return {
                field: at,
                message: `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}, got ${describeValue(error.data)}`
            };
        case 'minProperties':
            return { field: at || prefix, message: 'must name at least one field' };
        case 'pattern':
            return {
                field: at,
                message: PATTERN_MESSAGES[String(params.pattern)] ?? `must match ${String(params.pattern)}`
            };
        case 'oneOf':
        case 'anyOf':
        case 'if':
            return undefined;
        default:
            return { field: at, message: error.message ?? 'is invalid' };
    }
}

/** Ajv's errors as field errors, most useful first, duplicates dropped. */
export function fieldErrors(
    prefix: string,
    errors: readonly ErrorObject[] | null | undefined,
    unknownWord = 'field'
): FieldError[] {
    const seen = new Set<string>();
    const result: FieldError[] = [];
    for (const error of errors ?? []) {
        const field = toFieldError(prefix, error, unknownWord);
        if (field) {
            const id = `${field.field}\u0000${field.message}`;
            if (!seen.has(id)) {
                seen.add(id);
                result.push(field);
            }
        }
    }
    return result.slice(0, MAX_REPORTED_ERRORS);
}

export interface CompiledOperation extends SpecOperation {
    /** Stops at the first error (see {@link newAjv}); run {@link oversizedArray} first. */
    validateBody: ValidateFunction | undefined;
    /** The query parameters declared as integers: their text must be plain decimal digits before coercion. */
    integerQuery: ReadonlySet<string>;
    /** Coerces query strings to the declared types in place (and fills defaults) while validating. */
    validateQuery: ValidateFunction;
    validatePath: Map<string, ValidateFunction>;
    validateHeader: Map<string, ValidateFunction>;
}

export interface CompiledSpec {
    document: OpenApiDocument;
    operations: CompiledOperation[];
    /** Compiles any schema of the document (refs to `#/components/schemas/...` resolve), e.g. for responses. */
    compileSchema(schema: JsonSchema): ValidateFunction;
}

/** Loads and compiles the document once per process (the validators are kept). */
let cached: CompiledSpec | undefined;

export function loadSpec(): CompiledSpec {
    if (cached) {
        return cached;
    }
    const document = loadSpecDocument();
    const ajv = newAjv(document, false);
    const firstError = newAjv(document, false, false);
    const coercing = newAjv(document, true);
    const operations = readOperations(document).map((operation): CompiledOperation => {
        const query = operation.parameters.filter((parameter) => parameter.in === 'query');
        return {
            ...operation,
            validateBody: operation.requestBody ? firstError.compile(operation.requestBody.schema) : undefined,
            integerQuery: new Set(
                query.filter((parameter) => parameter.schema.type === 'integer').map((parameter) => parameter.name)
            ),
            validateQuery: coercing.compile({
                type: 'object',
                additionalProperties: false,
                properties: Object.fromEntries(query.map((parameter) => [parameter.name, parameter.schema])),
                required: query.filter((parameter) => parameter.required).map((parameter) => parameter.name)
            }),
            validatePath: new Map(
                operation.parameters
                    .filter((parameter) => parameter.in === 'path')
                    .map((parameter) => [parameter.name, ajv.compile(parameter.schema)])
            ),
            validateHeader: new Map(
                operation.parameters
                    .filter((parameter) => parameter.in === 'header')
                    .map((parameter) => [parameter.name.toLowerCase(), ajv.compile(parameter.schema)])
            )
        };
    });
    cached = { document, operations, compileSchema: (schema) => ajv.compile(rewriteRefs(schema) as JsonSchema) };
    return cached;
}

/** A schema's `$ref` to a component (`stage-service#/$defs/X`, as rewritten) followed to the component. */
function resolveComponent(document: OpenApiDocument, schema: unknown): unknown {
    let current = schema;
    for (let hops = 0; hops < 16 && isRecord(current) && typeof current.$ref === 'string'; hops += 1) {
        const name = current.$ref.replace(`${SCHEMA_ID}#/$defs/`, '').replace('#/components/schemas/', '');
        current = document.components.schemas[name];
    }
    return current;
}

/**
 * The first array of a body longer than its schema's `maxItems`, found without looking at the items themselves:
 * the walk follows the schema (its `properties` and `items`), never the data's own depth, so it costs a few steps
 * whatever the body holds. Refusing such a body here answers in microseconds where validating every item first
 * would not.
 */
export function oversizedArray(
    schema: JsonSchema,
    data: unknown,
    prefix = 'body'
): { field: string; limit: number; count: number } | undefined {
    const document = loadSpec().document;
    const walk = (node: unknown, value: unknown, at: string, depth: number): ReturnType<typeof oversizedArray> => {
        const resolved = resolveComponent(document, node);
        if (!isRecord(resolved) || depth > 16) {
            return undefined;
        }
        if (Array.isArray(value)) {
            const limit = resolved.maxItems;
            if (typeof limit === 'number' && value.length > limit) {
                return { field: at, limit, count: value.length };
            }
            if (resolved.items !== undefined) {
                // Items share one schema: the first item of each shape is enough to reach nested arrays.
                const first: unknown = value.find((item) => isRecord(item));
                return first === undefined ? undefined : walk(resolved.items, first, `${at}[0]`, depth + 1);
            }
            return undefined;
        }
        if (isRecord(value) && isRecord(resolved.properties)) {
            for (const [name, child] of Object.entries(resolved.properties)) {
                if (Object.prototype.hasOwnProperty.call(value, name)) {
                    const found = walk(child, value[name], `${at}.${name}`, depth + 1);
                    if (found) {
                        return found;
                    }
                }
            }
        }
        return undefined;
    };
    return walk(schema, data, prefix, 0);
}
