/**
 * The parts of a request read before its body: path parameters (as the router decoded them), the query string,
 * the declared headers, the actor of a write and the bearer key. Each refusal is an {@link ApiError} with the status
 * and code of the contract (service/openapi.yaml): path problems are 404 (no such resource), query problems 422,
 * header problems 400.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { validateText } from '../../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { ApiError } from '../problems.ts';
import { fieldErrors } from '../spec.ts';
import type { CompiledOperation } from '../spec.ts';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { Actor } from '../types.ts';

/** The longest bearer key looked up; anything longer is not a key this service issued. */
const MAX_KEY_LENGTH = 512;
/** Headers that must come once: Node folds a repeat into one value (`a, b`) or keeps only the first. */
const SINGLE_HEADERS = {
    'x-actor-id': 'X-Actor-Id',
    'x-actor-name': 'X-Actor-Name',
    'idempotency-key': 'Idempotency-Key'
};
/** A query integer as people write one: decimal digits, no sign, exponent, hex prefix, spaces or leading zeros. */
const DECIMAL_INTEGER = /^(?:0|[1-9][0-9]{0,15})$/;

/** A validator call that does not narrow its argument (Ajv's validators are type guards of `unknown`). */
function passes(validate: ValidateFunction, data: unknown): boolean {
    return validate(data);
}

/** How often a header occurs in the raw list. */
function occurrences(rawHeaders: readonly string[], name: string): number {
    let count = 0;
    for (let index = 0; index < rawHeaders.length; index += 2) {
        if (rawHeaders[index]?.toLowerCase() === name) {
            count += 1;
        }
    }
    return count;
}

/**
 * The bearer key of a request, or undefined when there is none, it is malformed, or Authorization came twice (Node
 * would keep the first: which key was meant is anyone's guess, so neither is tried).
 */
export function bearerKey(headers: IncomingHttpHeaders, rawHeaders: readonly string[]): string | undefined {
    const header = headers.authorization;
    if (typeof header !== 'string' || occurrences(rawHeaders, 'authorization') !== 1) {
        return undefined;
    }
    const key = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    return key !== undefined && key.length <= MAX_KEY_LENGTH ? key : undefined;
}

/** Path parameters as the router decoded them, checked against the document (a bad one names no resource: 404). */
export function checkPathParams(operation: CompiledOperation, params: Record<string, string>): Record<string, string> {
    for (const [name, value] of Object.entries(params)) {
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
    }
    return params;
}

function validationError(prefix: string, word: string, errors: ValidateFunction['errors'], code: string): ApiError {
    const list = fieldErrors(prefix, errors, word);
    const first = list[0];
    const detail = first
        ? `${first.field}: ${first.message}${list.length > 1 ? ` (and ${list.length - 1} more; see errors)` : ''}.`
        : `The ${prefix} is invalid.`;
    return new ApiError(422, code, detail, { errors: list });
}

/** The query string of a raw URL, each parameter once, integers in plain decimal digits, coerced and checked. */
export function readQuery(operation: CompiledOperation, url: string): Record<string, unknown> {
    const queryAt = url.indexOf('?');
    const search = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const query: Record<string, unknown> = {};
    for (const [name, value] of new URLSearchParams(search)) {
        if (Object.prototype.hasOwnProperty.call(query, name)) {
            throw new ApiError(422, 'invalid-query', `query.${name}: given more than once; give it once.`, {
                errors: [{ field: `query.${name}`, message: 'given more than once' }]
            });
        }
        if (operation.integerQuery.has(name) && !DECIMAL_INTEGER.test(value)) {
            // Coercion would read "0x10", "1e2" and " 1" as numbers: only plain digits mean a number here.
            const message = `must be integer in decimal digits, got ${JSON.stringify(value.slice(0, 40))}`;
            throw new ApiError(422, 'invalid-query', `query.${name}: ${message}.`, {
                errors: [{ field: `query.${name}`, message }]
            });
        }
        query[name] = value;
    }
    if (!operation.validateQuery(query)) {
        throw validationError('query', 'query parameter', operation.validateQuery.errors, 'invalid-query');
    }
    return query;
}

/** Refuses a repeated single-valued header, then checks the declared headers (the actor's are read apart). */
export function checkHeaders(
    operation: CompiledOperation,
    headers: IncomingHttpHeaders,
    rawHeaders: readonly string[]
): void {
    for (const [name, shown] of Object.entries(SINGLE_HEADERS)) {
        if (occurrences(rawHeaders, name) > 1) {
            throw new ApiError(400, 'invalid-header', `header.${shown}: given more than once; send it once.`, {
                errors: [{ field: `header.${shown}`, message: 'given more than once' }]
            });
        }
    }
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

/** The acting Salesforce user of a write, from X-Actor-Id and X-Actor-Name (percent-decoded, plain text). */
export function readActor(headers: IncomingHttpHeaders): Actor {
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
        // The engine's rule for every text (control and bidi formatting characters, blank, 255 characters).
        const checked = validateText(text, field);
        if (!checked.ok) {
            const message =
                'must be 1 to 255 visible characters without control or bidirectional formatting characters';
            throw new ApiError(400, 'invalid-actor', `${checked.error}; ${field} ${message}.`, {
                errors: [{ field, message }]
            });
        }
    }
    return actor;
}
