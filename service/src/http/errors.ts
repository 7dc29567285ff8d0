/**
 * Everything that can go wrong in a request, as the contract's problem: our own refusals ({@link ApiError}), the
 * framework's envelope errors (body too large, bad media type, bad URL), and database failures that are not bugs
 * (a race lost to a concurrent writer, a busy or unreachable database). Anything else is a 500, logged with its stack.
 */
import { ApiError } from '../problems.ts';
import { bodyTooLarge, unsupportedMediaType } from './body.ts';

function codeOf(error: unknown): string | undefined {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
}

/** Database failures that are not bugs; answered 503 with Retry-After, nothing applied. */
export function databaseProblem(error: unknown): ApiError | undefined {
    const code = codeOf(error);
    if (code === undefined) {
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
    // 55P03: a lock another instance holds past PG_LOCK_TIMEOUT_MS; POOL_TIMEOUT: no connection came free in time.
    if (['SQLITE_BUSY', '40001', '40P01', '57P01', '55P03', 'POOL_TIMEOUT', 'ECONNREFUSED'].includes(code)) {
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

/** Fastify's own request errors (reading the body, the media type, the URL) as the contract's problems. */
export function frameworkProblem(error: unknown, contentType: string | undefined): ApiError | undefined {
    switch (codeOf(error)) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
            return bodyTooLarge();
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
            return codeOf(error) === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
                ? unsupportedMediaType(contentType)
                : new ApiError(400, 'invalid-content-length', 'The body is not as long as its Content-Length says.');
        case 'FST_ERR_BAD_URL':
            return new ApiError(400, 'invalid-path-encoding', 'A path segment is not valid percent-encoded UTF-8.');
        default:
            return undefined;
    }
}

/** The problem to answer with, or undefined for a fault of the service (a 500). */
export function knownProblem(error: unknown, contentType: string | undefined): ApiError | undefined {
    if (error instanceof ApiError) {
        return error;
    }
    return frameworkProblem(error, contentType) ?? databaseProblem(error);
}
