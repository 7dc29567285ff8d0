/**
 * Request bodies: the one content-type parser the service registers with Fastify (every media type reaches it, so
 * that each refusal carries the contract's status and code), and the body validator Fastify runs for each operation
 * (the document's schema, compiled by Ajv in spec.ts).
 */
import { ApiError } from '../problems.ts';
import { fieldErrors, oversizedArray } from '../spec.ts';
import type { CompiledOperation } from '../spec.ts';
import { MAX_BODY_BYTES, MAX_BODY_TEXT } from '../limits.ts';

export { MAX_BODY_BYTES };

export function unsupportedMediaType(contentType: string | undefined): ApiError {
    const got = typeof contentType === 'string' ? ` (got ${JSON.stringify(contentType.slice(0, 100))})` : '';
    return new ApiError(415, 'unsupported-media-type', `Send the body as application/json in UTF-8${got}.`);
}

export function bodyTooLarge(): ApiError {
    return new ApiError(
        413,
        'body-too-large',
        `The request body is over ${MAX_BODY_TEXT}; send fewer values per request.`
    );
}

/**
 * JSON in UTF-8 or a refusal: 415 for another media type or charset, 400 for no body, bad UTF-8 or bad JSON. An
 * empty body of an operation whose body is optional is no body (undefined), whatever the media type says.
 */
export function parseJsonBody(contentType: string | undefined, bytes: Buffer, optional = false): unknown {
    if (optional && bytes.length === 0) {
        return undefined;
    }
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
    if (
        contentType !== undefined &&
        (mediaType !== 'application/json' || (charset !== undefined && charset !== 'utf-8'))
    ) {
        throw unsupportedMediaType(contentType);
    }
    if (bytes.length === 0) {
        throw new ApiError(400, 'body-required', 'This request needs a JSON body.');
    }
    if (contentType === undefined) {
        throw unsupportedMediaType(contentType);
    }
    let text: string;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        throw new ApiError(400, 'invalid-utf8', 'The request body is not valid UTF-8.');
    }
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new ApiError(
            400,
            'invalid-json',
            `The request body is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}.`
        );
    }
}

/** What Fastify's validation step expects back from a validator: the error to answer with, or the value. */
type ValidationOutcome = { error: Error } | { value: unknown };

/**
 * The body validator of an operation, for Fastify's validation step. The answer is the contract's 422
 * `invalid-body` naming the field. Its cost is bounded whatever the body: an array over its `maxItems` is refused
 * from its length alone, and Ajv stops at the first error (see spec.ts), so `errors` holds that one error.
 */
export function bodyValidator(operation: CompiledOperation): (data: unknown) => ValidationOutcome {
    const validate = operation.validateBody;
    const schema = operation.requestBody?.schema;
    return (data) => {
        if (!validate || !schema) {
            return { value: data };
        }
        // An array over its maxItems is refused before Ajv reads a single item.
        const oversized = oversizedArray(schema, data);
        if (oversized) {
            const message = `must have at most ${oversized.limit} items (got ${oversized.count})`;
            return {
                error: new ApiError(422, 'invalid-body', `${oversized.field}: ${message}.`, {
                    errors: [{ field: oversized.field, message }]
                })
            };
        }
        if (validate(data)) {
            return { value: data };
        }
        const list = fieldErrors('body', validate.errors, 'field');
        const first = list[0];
        const detail = first
            ? `${first.field}: ${first.message}${list.length > 1 ? ` (and ${list.length - 1} more; see errors)` : ''}.`
            : 'The body is invalid.';
        return { error: new ApiError(422, 'invalid-body', detail, { errors: list }) };
    };
}
