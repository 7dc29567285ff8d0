/**
 * Checks that the Apex client and the stage service agree on the HTTP contract: every request the Apex builds, every
 * header and JSON field it sends, every problem member it reads and every problem `code` it branches on must exist in
 * `service/openapi.yaml` under the same name.
 *
 * The Apex is written so this can be read without an Apex compiler: each operation is one chain
 *   new ServiceRequest('<METHOD>', PATH_CONSTANT).pathParam('name', ...).queryParam('name', ...)
 *       .header(HEADER_CONSTANT, ...).bodyField('name', ...).asActor().send(TIMEOUT);
 * whose names are string literals or `static final String` constants. Helper methods of `ServiceRequest` used in a
 * chain (`asActor`) are expanded from their bodies. A method tagged `@contract-schema <Schema>` in its ApexDoc builds
 * one JSON object of that schema: the keys it puts are checked against that schema. Problem members are read with
 * `problemField('name')`; problem codes are the `CODE_*` constants.
 *
 * Checked per chain: the path template and method exist; its `{params}` are exactly the chain's `pathParam`s and the
 * document's path parameters; query parameters, headers and body fields exist; required headers, query parameters and
 * body fields are sent; a body is sent only where the operation takes one. Also: every timeout constant is within
 * the platform's 120 s per callout.
 *
 * Usage: tsx scripts/check-apex-contract.ts [openapi.yaml] [apex-folder]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './lib/exec.ts';
import { checkLwcReferences } from './check-lwc-references.ts';
import { decodeXml } from '../preview/labels.ts';

// ---------------------------------------------------------------------------------------------------------------------
// Apex tokens

type TokenKind = 'word' | 'string' | 'number' | 'punct';
interface Token {
    kind: TokenKind;
    text: string;
    line: number;
}

/** Splits Apex into words, string literals (unescaped), numbers and punctuation; comments are dropped. */
export function tokenizeApex(source: string): Token[] {
    const tokens: Token[] = [];
    let line = 1;
    let index = 0;
    while (index < source.length) {
        const char = source[index] ?? '';
        if (char === '\n') {
            line++;
            index++;
        } else if (/\s/.test(char)) {
            index++;
        } else if (source.startsWith('//', index)) {
            while (index < source.length && source[index] !== '\n') index++;
        } else if (source.startsWith('/*', index)) {
            const end = source.indexOf('*/', index + 2);
            const stop = end === -1 ? source.length : end + 2;
            line += (source.slice(index, stop).match(/\n/g) ?? []).length;
            index = stop;
        } else if (char === "'") {
            let text = '';
            const startLine = line;
            index++;
            while (index < source.length && source[index] !== "'") {
                if (source[index] === '\\') {
                    const next = source[index + 1] ?? '';
                    text += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[next] ?? next;
                    index += 2;
                } else {
                    const literal = source[index] ?? '';
                    if (literal === '\n') line++;
                    text += literal;
                    index++;
                }
            }
            index++;
            tokens.push({ kind: 'string', text, line: startLine });
        } else if (/[A-Za-z_]/.test(char)) {
            const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(index)) as RegExpExecArray;
            tokens.push({ kind: 'word', text: match[0], line });
            index += match[0].length;
        } else if (/[0-9]/.test(char)) {
            const match = /^[0-9][0-9_.]*[A-Za-z]?/.exec(source.slice(index)) as RegExpExecArray;
            tokens.push({ kind: 'number', text: match[0], line });
            index += match[0].length;
        } else {
            tokens.push({ kind: 'punct', text: char, line });
            index++;
        }
    }
    return tokens;
}

/** Index of the token closing the bracket opened at `open` (`(`/`)`, `{`/`}`). */
function closing(tokens: Token[], open: number): number {
    const opener = tokens[open]?.text;
    const closer = opener === '(' ? ')' : opener === '{' ? '}' : ']';
    let depth = 0;
    for (let index = open; index < tokens.length; index++) {
        const text = tokens[index]?.text;
        if (text === opener) depth++;
        if (text === closer && --depth === 0) return index;
    }
    throw new Error(`Unbalanced ${opener} at line ${tokens[open]?.line ?? '?'}`);
}

/** The comma-separated arguments between `open` (a `(`) and its closing token. */
function argumentsAt(tokens: Token[], open: number): { args: Token[][]; end: number } {
    const end = closing(tokens, open);
    const args: Token[][] = [];
    let current: Token[] = [];
    let depth = 0;
    for (let index = open + 1; index < end; index++) {
        const token = tokens[index] as Token;
        if (['(', '{', '['].includes(token.text)) depth++;
        if ([')', '}', ']'].includes(token.text)) depth--;
        if (token.text === ',' && depth === 0) {
            args.push(current);
            current = [];
        } else {
            current.push(token);
        }
    }
    if (current.length > 0) args.push(current);
    return { args, end };
}

// ---------------------------------------------------------------------------------------------------------------------
// What the Apex uses

export interface ApexSource {
    path: string;
    text: string;
}

export interface NameUse {
    name: string;
    line: number;
}

/** One request chain: `new ServiceRequest(method, path)` and the calls chained on it. */
export interface RequestUse {
    file: string;
    line: number;
    method: string;
    path: string;
    pathParams: NameUse[];
    queryParams: NameUse[];
    headers: NameUse[];
    bodyFields: NameUse[];
}

export interface SchemaUse {
    file: string;
    line: number;
    schema: string;
    keys: NameUse[];
}

export interface ApexContractUse {
    requests: RequestUse[];
    schemaObjects: SchemaUse[];
    problemFields: (NameUse & { file: string })[];
    problemCodes: (NameUse & { file: string; constant: string })[];
    timeouts: (NameUse & { file: string; value: number })[];
    errors: string[];
}

const CHAIN_CALLS = new Set(['pathParam', 'queryParam', 'header', 'bodyField']);

function isTestClass(text: string): boolean {
    return /^\s*@IsTest\b/im.test(text.replace(/\/\*[\s\S]*?\*\//g, ''));
}

/** `static final String NAME = 'literal';` and `static final Integer NAME = 123;` in every source. */
function constantsOf(sources: { tokens: Token[] }[]): {
    strings: Map<string, string>;
    integers: Map<string, NameUse & { value: number }>;
} {
    const strings = new Map<string, string>();
    const integers = new Map<string, NameUse & { value: number }>();
    for (const { tokens } of sources) {
        for (let index = 0; index + 4 < tokens.length; index++) {
            if (tokens[index]?.text.toLowerCase() !== 'final') continue;
            const type = tokens[index + 1]?.text.toLowerCase();
            const name = tokens[index + 2] as Token;
            const value = tokens[index + 4] as Token;
            if (tokens[index + 3]?.text !== '=' || tokens[index + 5]?.text !== ';') continue;
            if (type === 'string' && value.kind === 'string') strings.set(name.text, value.text);
            if (type === 'integer' && value.kind === 'number') {
                integers.set(name.text, {
                    name: name.text,
                    line: name.line,
                    value: Number(value.text.replace(/_/g, ''))
                });
            }
        }
    }
    return { strings, integers };
}

/** The body tokens of every method, by name (last wins; overloads are not needed here). */
function methodBodies(tokens: Token[]): Map<string, { start: number; end: number }> {
    const bodies = new Map<string, { start: number; end: number }>();
    for (let index = 0; index + 1 < tokens.length; index++) {
        const name = tokens[index] as Token;
        if (name.kind !== 'word' || tokens[index + 1]?.text !== '(') continue;
        const previous = tokens[index - 1];
        // A declaration: `<type> name(...) {`, not a call (`.name(`, `new Name(`, `= name(`).
        const typeEnd = previous?.kind === 'word' || previous?.text === '>' || previous?.text === ']';
        if (!previous || !typeEnd || ['new', 'return', 'throw', 'else'].includes(previous.text)) continue;
        const close = closing(tokens, index + 1);
        if (tokens[close + 1]?.text === '{') {
            bodies.set(name.text, { start: close + 1, end: closing(tokens, close + 1) });
        }
    }
    return bodies;
}

/**
 * Reads every production Apex source and lists what it uses of the service's contract. Names that are neither
 * literals nor known constants are reported as errors: the check must see every name to vouch for it.
 */
export function extractApexContract(sources: ApexSource[]): ApexContractUse {
    const production = sources
        .filter((source) => !isTestClass(source.text))
        .map((source) => ({ ...source, tokens: tokenizeApex(source.text) }));
    const { strings, integers } = constantsOf(production);
    const use: ApexContractUse = {
        requests: [],
        schemaObjects: [],
        problemFields: [],
        problemCodes: [],
        timeouts: [],
        errors: []
    };

    const resolveName = (file: string, arg: Token[] | undefined, what: string): NameUse | undefined => {
        const first = arg?.[0];
        if (!arg || !first) {
            use.errors.push(`${file}: ${what} has no name argument`);
            return undefined;
        }
        if (arg.length === 1 && first.kind === 'string') return { name: first.text, line: first.line };
        // NAME or Class.NAME
        const last = arg[arg.length - 1] as Token;
        const constant = last.kind === 'word' ? strings.get(last.text) : undefined;
        if (constant !== undefined && arg.every((token) => token.kind === 'word' || token.text === '.')) {
            return { name: constant, line: first.line };
        }
        use.errors.push(
            `${file}:${first.line} ${what} is named by "${arg.map((token) => token.text).join('')}", ` +
                'which is neither a ' +
                'string literal nor a static final String constant: the contract check cannot read it'
        );
        return undefined;
    };

    for (const source of production) {
        const { tokens, path: file } = source;
        const bodies = methodBodies(tokens);

        // ServiceRequest helper methods (asActor) expand to the primitive calls in their bodies.
        const expansions = new Map<string, { call: string; arg: Token[] | undefined }[]>();
        for (const [name, body] of bodies) {
            if (CHAIN_CALLS.has(name) || name === 'send' || name === 'path') continue;
            const calls: { call: string; arg: Token[] | undefined }[] = [];
            for (let index = body.start; index < body.end; index++) {
                const token = tokens[index] as Token;
                if (CHAIN_CALLS.has(token.text) && tokens[index + 1]?.text === '(' && tokens[index - 1]?.text !== '.') {
                    calls.push({ call: token.text, arg: argumentsAt(tokens, index + 1).args[0] });
                }
            }
            if (calls.length > 0) expansions.set(name, calls);
        }

        for (let index = 0; index + 2 < tokens.length; index++) {
            const token = tokens[index] as Token;
            // new ServiceRequest(...) or new StageServiceClient.ServiceRequest(...)
            if (token.text === 'new') {
                let cursor = index + 1;
                while (tokens[cursor + 1]?.text === '.') cursor += 2;
                if (tokens[cursor]?.text !== 'ServiceRequest' || tokens[cursor + 1]?.text !== '(') continue;
                const { args, end } = argumentsAt(tokens, cursor + 1);
                const method = resolveName(file, args[0], 'the HTTP method');
                const path = resolveName(file, args[1], 'the path');
                if (!method || !path) continue;
                const request: RequestUse = {
                    file,
                    line: token.line,
                    method: method.name.toUpperCase(),
                    path: path.name,
                    pathParams: [],
                    queryParams: [],
                    headers: [],
                    bodyFields: []
                };
                const add = (call: string, arg: Token[] | undefined): void => {
                    const name = resolveName(file, arg, `${call}()`);
                    if (!name) return;
                    const list = {
                        pathParam: request.pathParams,
                        queryParam: request.queryParams,
                        header: request.headers,
                        bodyField: request.bodyFields
                    }[call];
                    list?.push(name);
                };
                let next = end + 1;
                while (tokens[next]?.text === '.' && tokens[next + 2]?.text === '(') {
                    const call = (tokens[next + 1] as Token).text;
                    const { args: callArgs, end: callEnd } = argumentsAt(tokens, next + 2);
                    if (CHAIN_CALLS.has(call)) {
                        add(call, callArgs[0]);
                    } else {
                        for (const expanded of expansions.get(call) ?? []) add(expanded.call, expanded.arg);
                    }
                    next = callEnd + 1;
                }
                // Only a chain sent where it is built is a request the contract can see whole.
                use.requests.push(request);
            }

            // problemField('name'), not its declaration `Object problemField(String name)`
            if (
                token.text === 'problemField' &&
                tokens[index + 1]?.text === '(' &&
                tokens[index - 1]?.text !== 'Object'
            ) {
                const arg = argumentsAt(tokens, index + 1).args[0];
                const name = resolveName(file, arg, 'problemField()');
                if (name) use.problemFields.push({ ...name, file });
            }
        }

        // CODE_* constants: the problem codes the Apex branches on.
        for (let index = 0; index + 4 < tokens.length; index++) {
            const name = tokens[index + 2];
            if (tokens[index]?.text.toLowerCase() === 'final' && name?.text.startsWith('CODE_')) {
                const value = tokens[index + 4];
                if (value?.kind === 'string') {
                    use.problemCodes.push({ name: value.text, line: name.line, file, constant: name.text });
                }
            }
        }

        // Methods tagged @contract-schema: the keys they put into a JSON object.
        const docComment = String.raw`\/\*\*(?:(?!\*\/)[\s\S])*?@contract-schema\s+(\w+)(?:(?!\*\/)[\s\S])*\*\/`;
        const declaration = String.raw`\s*(?:@\w+\s*)*[\w<>,\s.]*?\b(\w+)\s*\(`;
        const tagged = new RegExp(docComment + declaration, 'g');
        for (const match of source.text.matchAll(tagged)) {
            const schema = match[1] as string;
            const methodName = match[2] as string;
            const body = bodies.get(methodName);
            const line = source.text.slice(0, match.index).split('\n').length;
            if (!body) {
                use.errors.push(`${file}:${line} @contract-schema ${schema}: no body found for ${methodName}`);
                continue;
            }
            const keys: NameUse[] = [];
            for (let index = body.start; index < body.end; index++) {
                const token = tokens[index] as Token;
                // 'key' => value   (map literal)
                if (token.kind === 'string' && tokens[index + 1]?.text === '=' && tokens[index + 2]?.text === '>') {
                    keys.push({ name: token.text, line: token.line });
                }
                // .put('key', value)
                if (token.text === 'put' && tokens[index - 1]?.text === '.' && tokens[index + 1]?.text === '(') {
                    const name = resolveName(file, argumentsAt(tokens, index + 1).args[0], `${methodName} put()`);
                    if (name) keys.push(name);
                }
            }
            use.schemaObjects.push({ file, line, schema, keys });
        }
    }

    for (const [name, constant] of integers) {
        if (/TIMEOUT/.test(name)) {
            const file = production.find((source) => source.text.includes(name))?.path ?? '?';
            use.timeouts.push({ ...constant, file });
        }
    }
    return use;
}

// ---------------------------------------------------------------------------------------------------------------------
// What the OpenAPI document offers

type Json = Record<string, unknown>;

interface Parameter {
    name: string;
    in: string;
    required?: boolean;
}

function asObject(value: unknown): Json | undefined {
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Follows `$ref: '#/...'` inside the document. */
function deref(document: Json, value: unknown): Json | undefined {
    const object = asObject(value);
    const ref = object?.['$ref'];
    if (typeof ref !== 'string') return object;
    let target: unknown = document;
    for (const part of ref.replace(/^#\//, '').split('/')) target = asObject(target)?.[part];
    return deref(document, target);
}

/**
 * Every property name a schema allows, with `allOf`/`oneOf`/`anyOf` merged; which are required; and, for a `oneOf`
 * of required sets (e.g. `stageId` or `stageName`), the sets of which exactly one must be sent.
 */
function schemaShape(
    document: Json,
    value: unknown
): { properties: Map<string, unknown>; required: Set<string>; oneOfRequired: string[][] } {
    const schema = deref(document, value);
    const properties = new Map<string, unknown>();
    const required = new Set<string>();
    const oneOfRequired: string[][] = [];
    if (!schema) return { properties, required, oneOfRequired };
    for (const [name, property] of Object.entries(asObject(schema['properties']) ?? {})) properties.set(name, property);
    for (const name of (schema['required'] as string[] | undefined) ?? []) required.add(name);
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
        for (const part of (schema[key] as unknown[] | undefined) ?? []) {
            const inner = schemaShape(document, part);
            for (const [name, property] of inner.properties) properties.set(name, property);
            if (key === 'allOf') for (const name of inner.required) required.add(name);
            if (key === 'oneOf') oneOfRequired.push([...inner.required]);
        }
    }
    return { properties, required, oneOfRequired };
}

/** The `$ref` names a value reaches (itself, or its array items). */
function schemaNames(document: Json, value: unknown): string[] {
    const object = asObject(value);
    if (!object) return [];
    const names: string[] = [];
    const ref = object['$ref'];
    if (typeof ref === 'string') {
        names.push(ref.split('/').pop() as string);
        names.push(...schemaNames(document, deref(document, object)));
    }
    if (object['items']) names.push(...schemaNames(document, object['items']));
    return names;
}

function parametersOf(document: Json, pathItem: Json, operation: Json): Parameter[] {
    const listed = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
    const all = [...listed(pathItem['parameters']), ...listed(operation['parameters'])];
    return all.map((parameter) => deref(document, parameter) as unknown as Parameter).filter(Boolean);
}

/** Every problem+json response schema of an operation, by status. */
function problemSchemas(document: Json, operation: Json): unknown[] {
    const schemas: unknown[] = [];
    for (const response of Object.values(asObject(operation['responses']) ?? {})) {
        const content = asObject(deref(document, response)?.['content']);
        const problem = asObject(content?.['application/problem+json']);
        if (problem?.['schema']) schemas.push(problem['schema']);
    }
    return schemas;
}

/** Every value a `code` property may take (`const` or `enum`), anywhere in the components. */
function problemCodesIn(document: Json): Set<string> {
    const codes = new Set<string>();
    const visit = (value: unknown): void => {
        if (Array.isArray(value)) {
            value.forEach(visit);
            return;
        }
        const object = asObject(value);
        if (!object) return;
        const code = asObject(asObject(object['properties'])?.['code']);
        if (typeof code?.['const'] === 'string') codes.add(code['const']);
        for (const entry of (code?.['enum'] as unknown[] | undefined) ?? [])
            if (typeof entry === 'string') codes.add(entry);
        Object.values(object).forEach(visit);
    };
    visit(document['components']);
    return codes;
}

// ---------------------------------------------------------------------------------------------------------------------
// The check

/** Highest callout timeout the platform allows, in milliseconds. */
const MAX_CALLOUT_TIMEOUT_MS = 120_000;

export interface ContractReport {
    use: ApexContractUse;
    errors: string[];
}

export function checkApexContract(document: Json, sources: ApexSource[]): ContractReport {
    const use = extractApexContract(sources);
    const errors = [...use.errors];
    const paths = asObject(document['paths']) ?? {};
    const problemFieldsAllowed = new Set<string>();
    const bodySchemas = new Set<string>();

    if (use.requests.length === 0)
        errors.push('No `new ServiceRequest(...)` chain found in the Apex: nothing was checked');

    for (const request of use.requests) {
        const where = `${request.file}:${request.line} ${request.method} ${request.path}`;
        const pathItem = asObject(paths[request.path]);
        if (!pathItem) {
            errors.push(`${where}: the path is not in the OpenAPI document (paths: ${Object.keys(paths).join(', ')})`);
            continue;
        }
        const operation = asObject(pathItem[request.method.toLowerCase()]);
        if (!operation) {
            const methods = Object.keys(pathItem)
                .filter((key) => key !== 'parameters')
                .map((key) => key.toUpperCase());
            errors.push(`${where}: the path has no ${request.method} operation (it has ${methods.join(', ')})`);
            continue;
        }
        const parameters = parametersOf(document, pathItem, operation);
        const byPlace = (place: string): Parameter[] => parameters.filter((parameter) => parameter.in === place);

        // Path: template placeholders, chain pathParams and the document's path parameters agree.
        const placeholders = [...request.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
        const documented = new Set(byPlace('path').map((parameter) => parameter.name));
        for (const placeholder of placeholders) {
            if (!documented.has(placeholder))
                errors.push(`${where}: path parameter {${placeholder}} is not documented`);
            if (!request.pathParams.some((param) => param.name === placeholder)) {
                errors.push(
                    `${where}: path parameter {${placeholder}} is never filled with pathParam('${placeholder}', ...)`
                );
            }
        }
        for (const param of request.pathParams) {
            if (!placeholders.includes(param.name)) {
                errors.push(
                    `${request.file}:${param.line} pathParam('${param.name}') is not a placeholder of ${request.path}`
                );
            }
        }

        // Query parameters and headers: each exists (same spelling); each required one is sent.
        const check = (place: 'query' | 'header', used: NameUse[], call: string): void => {
            const allowed = byPlace(place);
            for (const param of used) {
                if (!allowed.some((parameter) => parameter.name === param.name)) {
                    const known = allowed.map((parameter) => parameter.name).join(', ') || 'none';
                    errors.push(
                        `${request.file}:${param.line} ${call}('${param.name}') is not a ${place} parameter of ` +
                            `${request.method} ${request.path} (documented: ${known})`
                    );
                }
            }
            for (const parameter of allowed.filter((candidate) => candidate.required)) {
                if (!used.some((param) => param.name === parameter.name)) {
                    errors.push(`${where}: required ${place} parameter ${parameter.name} is not sent`);
                }
            }
        };
        check('query', request.queryParams, 'queryParam');
        check('header', request.headers, 'header');

        // Body fields: exist in the request schema; required ones are sent; no body where none is taken.
        const requestBody = deref(document, operation['requestBody']);
        const jsonSchema = asObject(asObject(asObject(requestBody?.['content'])?.['application/json']))?.['schema'];
        if (!jsonSchema) {
            if (request.bodyFields.length > 0) errors.push(`${where}: sends a JSON body but the operation takes none`);
        } else {
            const { properties, required, oneOfRequired } = schemaShape(document, jsonSchema);
            for (const field of request.bodyFields) {
                if (!properties.has(field.name)) {
                    errors.push(
                        `${request.file}:${field.line} bodyField('${field.name}') is not a property of the ` +
                            `${request.method} ${request.path} body (properties: ${[...properties.keys()].join(', ')})`
                    );
                } else {
                    for (const name of schemaNames(document, properties.get(field.name))) bodySchemas.add(name);
                }
            }
            const sends = (name: string): boolean => request.bodyFields.some((field) => field.name === name);
            for (const name of required) {
                if (!sends(name)) {
                    errors.push(`${where}: required body field ${name} is not sent`);
                }
            }
            if (oneOfRequired.length > 0) {
                const met = oneOfRequired.filter((names) => names.every(sends));
                if (met.length !== 1) {
                    const choices = oneOfRequired.map((names) => names.join(' + ')).join(' or ');
                    errors.push(`${where}: sends ${met.length === 0 ? 'none' : 'more than one'} of ${choices}`);
                }
            }
        }

        for (const schema of problemSchemas(document, operation)) {
            for (const name of schemaShape(document, schema).properties.keys()) problemFieldsAllowed.add(name);
        }
    }

    // Objects built by tagged helpers: the schema exists, is sent by some request, and has every key.
    const schemas = asObject(asObject(document['components'])?.['schemas']) ?? {};
    for (const object of use.schemaObjects) {
        const where = `${object.file}:${object.line} @contract-schema ${object.schema}`;
        if (!schemas[object.schema]) {
            errors.push(`${where}: no such schema in components.schemas`);
            continue;
        }
        if (!bodySchemas.has(object.schema))
            errors.push(`${where}: no request body field the Apex sends uses this schema`);
        const { properties, required } = schemaShape(document, schemas[object.schema]);
        for (const key of object.keys) {
            if (!properties.has(key.name)) {
                errors.push(
                    `${object.file}:${key.line} key '${key.name}' is not a property of ${object.schema} ` +
                        `(properties: ${[...properties.keys()].join(', ')})`
                );
            }
        }
        for (const name of required) {
            if (!object.keys.some((key) => key.name === name))
                errors.push(`${where}: required property ${name} is never put`);
        }
    }

    // Problem members read and problem codes branched on.
    for (const field of use.problemFields) {
        if (!problemFieldsAllowed.has(field.name)) {
            errors.push(
                `${field.file}:${field.line} problemField('${field.name}') is in no problem response ` +
                    'of the operations the Apex calls'
            );
        }
    }
    const codes = problemCodesIn(document);
    for (const code of use.problemCodes) {
        if (!codes.has(code.name)) {
            errors.push(
                `${code.file}:${code.line} ${code.constant} = '${code.name}' ` +
                    'is not a problem code of the OpenAPI document'
            );
        }
    }

    for (const timeout of use.timeouts) {
        if (timeout.value <= 0 || timeout.value > MAX_CALLOUT_TIMEOUT_MS) {
            errors.push(
                `${timeout.file}:${timeout.line} ${timeout.name} = ${timeout.value} ms ` +
                    `is outside 1..${MAX_CALLOUT_TIMEOUT_MS} ms`
            );
        }
    }
    return { use, errors };
}

// ---------------------------------------------------------------------------------------------------------------------
// The Apex's references into the package's own metadata

/** Package files by path relative to the repository (`force-app/...`, `sfdx-project.json`). */
export type PackageFiles = Map<string, string>;

/** The most characters a Custom Label's value may hold. */
const LABEL_VALUE_MAX = 1000;
/** The most characters of a Custom Label's `shortDescription` (its MasterLabel field). */
const LABEL_DESCRIPTION_MAX = 80;

function tagValues(xml: string, tag: string): string[] {
    return [...xml.matchAll(new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`, 'g'))].map((match) => match[1] as string);
}

function blocks(xml: string, tag: string): string[] {
    return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1] as string);
}

/** Component names of one metadata type, from `<dir>/<Name>.<suffix>` file names. */
function namesOf(files: PackageFiles, dir: string, suffix: string): Set<string> {
    const names = new Set<string>();
    const pattern = new RegExp(`/${dir}/([^/]+)\\.${suffix.replace('.', '\\.')}$`);
    for (const path of files.keys()) {
        const match = pattern.exec(path);
        if (match) names.add(match[1] as string);
    }
    return names;
}

/**
 * Checks what an org would otherwise be the first to reject: every custom label the Apex reads exists; the custom
 * permissions the Apex checks exist; the permission sets' classes, custom permissions, tabs, apps and external
 * credential principals exist; the tab's Lightning page or component, the page's components, the app's tabs and the
 * Named Credential's External Credential exist; a component a page or tab shows is exposed for that target
 * (`lightning__AppPage`, `lightning__Tab`); `callout:` names an existing Named Credential; the permission sets named
 * in Apex tests and in `apexTestAccess` exist; no label value starts or ends with whitespace. The LWC sources'
 * references (labels, custom permissions, Apex methods and their parameters) are checked by check-lwc-references.ts.
 */
export function checkPackageReferences(files: PackageFiles): string[] {
    const errors: string[] = [];
    const labels = new Set(
        [...files]
            .filter(([path]) => path.endsWith('.labels-meta.xml'))
            .flatMap(([, xml]) => tagValues(xml, 'fullName'))
    );
    const classes = namesOf(files, 'classes', 'cls');
    const customPermissions = namesOf(files, 'customPermissions', 'customPermission-meta.xml');
    const permissionSets = namesOf(files, 'permissionsets', 'permissionset-meta.xml');
    const tabs = namesOf(files, 'tabs', 'tab-meta.xml');
    const apps = namesOf(files, 'applications', 'app-meta.xml');
    const flexipages = namesOf(files, 'flexipages', 'flexipage-meta.xml');
    const namedCredentials = namesOf(files, 'namedCredentials', 'namedCredential-meta.xml');
    const externalCredentials = new Map<string, string>();
    for (const [path, xml] of files) {
        const match = /\/externalCredentials\/([^/]+)\.externalCredential-meta\.xml$/.exec(path);
        if (match) externalCredentials.set(match[1] as string, xml);
    }
    const lwcTargets = new Map<string, string[]>();
    const lwcExposed = new Set<string>();
    for (const [path, xml] of files) {
        const match = /\/lwc\/([^/]+)\/\1\.js-meta\.xml$/.exec(path);
        if (match) lwcTargets.set(match[1] as string, tagValues(xml, 'target'));
        if (match && tagValues(xml, 'isExposed').includes('true')) lwcExposed.add(match[1] as string);
    }

    for (const [path, text] of files) {
        if (!path.endsWith('.cls')) continue;
        const tokens = tokenizeApex(text);
        for (let index = 0; index + 2 < tokens.length; index++) {
            const token = tokens[index] as Token;
            // System.Label.Name or Label.Name (not some other object's `.label`)
            const name = tokens[index + 2];
            const qualifiedWell = tokens[index - 1]?.text !== '.' || tokens[index - 2]?.text.toLowerCase() === 'system';
            if (
                token.text.toLowerCase() === 'label' &&
                qualifiedWell &&
                tokens[index + 1]?.text === '.' &&
                name?.kind === 'word' &&
                !labels.has(name.text)
            ) {
                errors.push(`${path}:${name.line} System.Label.${name.text} is not defined in any labels file`);
            }
            // 'callout:Name/...'
            if (token.kind === 'string' && token.text.startsWith('callout:')) {
                const name = token.text.slice('callout:'.length).split('/')[0] ?? '';
                if (!namedCredentials.has(name))
                    errors.push(`${path}:${token.line} ${token.text} names no Named Credential of the package`);
            }
        }
        // FeatureManagement.checkPermission(CONSTANT) with CONSTANT = 'Name'
        const constants = constantsOf([{ tokens }]).strings;
        for (const match of text.matchAll(/FeatureManagement\.checkPermission\(\s*(\w+|'[^']*')\s*\)/g)) {
            const arg = match[1] as string;
            const name = arg.startsWith("'") ? arg.slice(1, -1) : constants.get(arg);
            if (name === undefined) errors.push(`${path}: checkPermission(${arg}) cannot be resolved to a name`);
            else if (!customPermissions.has(name))
                errors.push(`${path}: custom permission ${name} is not in the package`);
        }
        // Permission sets a test assigns: Name IN ('A', 'B') on PermissionSet
        for (const match of text.matchAll(/FROM\s+PermissionSet\s+WHERE\s+Name\s+IN\s*\(([^)]*)\)/gi)) {
            for (const quoted of (match[1] as string).matchAll(/'([^']+)'/g)) {
                if (!permissionSets.has(quoted[1] as string))
                    errors.push(`${path}: the test assigns permission set ${quoted[1]}, which is not in the package`);
            }
        }
    }

    for (const [path, xml] of files) {
        if (path.endsWith('.permissionset-meta.xml')) {
            for (const name of tagValues(xml, 'apexClass'))
                if (!classes.has(name)) errors.push(`${path}: class ${name} does not exist`);
            for (const block of blocks(xml, 'customPermissions')) {
                for (const name of tagValues(block, 'name'))
                    if (!customPermissions.has(name)) errors.push(`${path}: custom permission ${name} does not exist`);
            }
            for (const name of tagValues(xml, 'tab'))
                if (!tabs.has(name) && !name.startsWith('standard-'))
                    errors.push(`${path}: tab ${name} does not exist`);
            for (const name of tagValues(xml, 'application'))
                if (!apps.has(name)) errors.push(`${path}: app ${name} does not exist`);
            for (const reference of tagValues(xml, 'externalCredentialPrincipal')) {
                const [credential = '', principal = ''] = reference.split(/-(.*)/s);
                const ecXml = externalCredentials.get(credential);
                const principals = ecXml
                    ? blocks(ecXml, 'externalCredentialParameters')
                          .filter((block) => tagValues(block, 'parameterType').includes('NamedPrincipal'))
                          .flatMap((block) => tagValues(block, 'parameterName'))
                    : [];
                if (!principals.includes(principal)) {
                    errors.push(
                        `${path}: principal ${reference} is not a named principal of an External Credential in the package`
                    );
                }
            }
        }
        if (path.endsWith('.tab-meta.xml')) {
            for (const name of tagValues(xml, 'flexiPage'))
                if (!flexipages.has(name)) errors.push(`${path}: Lightning page ${name} does not exist`);
            for (const name of tagValues(xml, 'lwcComponent')) {
                const bundle = name.replace(/^c:/, '');
                const targets = lwcTargets.get(bundle);
                if (!targets) errors.push(`${path}: component ${name} is not an LWC bundle of the package`);
                else if (!targets.includes('lightning__Tab'))
                    errors.push(`${path}: component ${name} is not exposed for lightning__Tab`);
                if (targets && !lwcExposed.has(bundle)) errors.push(`${path}: component ${name} is not isExposed`);
            }
        }
        if (path.endsWith('.labels-meta.xml')) {
            // The platform may trim a label's leading or trailing whitespace: put spaces in code, not in labels.
            for (const block of xml.matchAll(/<labels\s*>([\s\S]*?)<\/labels\s*>/g)) {
                const name = tagValues(block[1] ?? '', 'fullName')[0] ?? '?';
                for (const value of (block[1] ?? '').matchAll(/<value\s*>([\s\S]*?)<\/value\s*>/g)) {
                    if (/^\s|\s$/.test(value[1] ?? ''))
                        errors.push(`${path}: label ${name} starts or ends with whitespace, which may be trimmed`);
                    // A label's value holds up to 1,000 characters: an entity such as &quot; is one, and a character
                    // outside the BMP two (UTF-16 units, as the platform's Java counts; the stricter reading).
                    const length = decodeXml(value[1] ?? '').length;
                    if (length > LABEL_VALUE_MAX)
                        errors.push(`${path}: label ${name} is ${length} characters, over ${LABEL_VALUE_MAX}`);
                }
                // The short description is the label's MasterLabel: a deploy fails with "Value too long for field:
                // MasterLabel maximum length is:80" beyond 80 characters.
                const descriptions = (block[1] ?? '').matchAll(
                    /<shortDescription\s*>([\s\S]*?)<\/shortDescription\s*>/g
                );
                for (const description of descriptions) {
                    const length = decodeXml(description[1] ?? '').length;
                    if (length > LABEL_DESCRIPTION_MAX)
                        errors.push(
                            `${path}: label ${name}'s shortDescription is ${length} characters, over ${LABEL_DESCRIPTION_MAX}`
                        );
                }
            }
        }
        if (path.endsWith('.flexipage-meta.xml')) {
            for (const name of tagValues(xml, 'componentName')) {
                const bundle = name.replace(/^c:/, '');
                if (name.includes(':') && !name.startsWith('c:')) continue; // a standard component
                const targets = lwcTargets.get(bundle);
                if (!targets) errors.push(`${path}: component ${name} is not an LWC bundle of the package`);
                else if (tagValues(xml, 'type').includes('AppPage') && !targets.includes('lightning__AppPage')) {
                    errors.push(`${path}: component ${name} is not exposed for lightning__AppPage`);
                }
                if (targets && !lwcExposed.has(bundle)) errors.push(`${path}: component ${name} is not isExposed`);
            }
        }
        if (path.endsWith('.app-meta.xml')) {
            for (const name of [...tagValues(xml, 'tabs'), ...tagValues(xml, 'defaultLandingTab')]) {
                if (!tabs.has(name) && !name.startsWith('standard-'))
                    errors.push(`${path}: tab ${name} does not exist`);
            }
        }
        if (path.endsWith('.namedCredential-meta.xml')) {
            for (const name of tagValues(xml, 'externalCredential'))
                if (!externalCredentials.has(name)) errors.push(`${path}: External Credential ${name} does not exist`);
        }
        if (path.endsWith('.externalCredential-meta.xml')) {
            const own = /([^/]+)\.externalCredential-meta\.xml$/.exec(path)?.[1] ?? '';
            for (const formula of tagValues(xml, 'parameterValue')) {
                for (const match of formula.matchAll(/\$Credential\.(\w+)\.\w+/g)) {
                    if (match[1] !== own)
                        errors.push(`${path}: the formula reads $Credential.${match[1]}, not this credential (${own})`);
                }
            }
        }
    }

    const project = files.get('sfdx-project.json');
    if (project) {
        const directories =
            (JSON.parse(project) as { packageDirectories?: { apexTestAccess?: { permissionSets?: string[] } }[] })
                .packageDirectories ?? [];
        for (const name of directories.flatMap((directory) => directory.apexTestAccess?.permissionSets ?? [])) {
            if (!permissionSets.has(name))
                errors.push(
                    `sfdx-project.json: apexTestAccess names permission set ${name}, which is not in the package`
                );
        }
    }
    return errors;
}

/**
 * Every Apex class and metadata file under force-app, the LWC TypeScript sources (tests excluded), and
 * sfdx-project.json, by path relative to the repository.
 */
export function loadPackageFiles(root = ROOT): PackageFiles {
    const files: PackageFiles = new Map();
    const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
            const path = join(dir, name);
            if (statSync(path).isDirectory()) {
                if (name !== '__tests__' && name !== 'node_modules') walk(path);
            } else if (/\.(cls|xml)$/.test(name) || (/\/lwc\//.test(path) && /\.ts$/.test(name))) {
                files.set(relative(root, path), readFileSync(path, 'utf8'));
            }
        }
    };
    walk(join(root, 'force-app'));
    files.set('sfdx-project.json', readFileSync(join(root, 'sfdx-project.json'), 'utf8'));
    return files;
}

function apexFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return apexFiles(path);
        return name.endsWith('.cls') ? [path] : [];
    });
}

/** Reads the OpenAPI document and the Apex classes from disk. */
export function loadContractInputs(
    openapiPath = join(ROOT, 'service/openapi.yaml'),
    apexDir = join(ROOT, 'force-app')
): { document: Json; sources: ApexSource[] } {
    const document = asObject(parseYaml(readFileSync(openapiPath, 'utf8')));
    if (!document) throw new Error(`${openapiPath} is not an OpenAPI document`);
    const sources = apexFiles(apexDir).map((path) => ({
        path: relative(ROOT, path),
        text: readFileSync(path, 'utf8')
    }));
    return { document, sources };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    const [openapiArg, apexArg] = process.argv.slice(2);
    const { document, sources } = loadContractInputs(openapiArg, apexArg);
    const { use, errors: contractErrors } = checkApexContract(document, sources);
    const packageFiles = loadPackageFiles();
    const errors = [...contractErrors, ...checkPackageReferences(packageFiles), ...checkLwcReferences(packageFiles)];
    if (errors.length > 0) {
        console.error(`The Apex and the OpenAPI document disagree:\n  ${errors.join('\n  ')}`);
        process.exit(1);
    }
    const names = use.requests.reduce(
        (count, request) =>
            count +
            request.pathParams.length +
            request.queryParams.length +
            request.headers.length +
            request.bodyFields.length,
        0
    );
    console.log(
        `Apex contract check: ${use.requests.length} requests, ${names} names, ${use.schemaObjects.length} body objects, ` +
            `${use.problemFields.length} problem reads, ${use.problemCodes.length} problem codes agree with the OpenAPI document; ` +
            'every label, permission, tab, page, app and credential the package references exists; every label, ' +
            'custom permission and @AuraEnabled method the LWC imports exists and is called with its parameter names'
    );
}
