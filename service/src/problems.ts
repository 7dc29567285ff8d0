/**
 * RFC 9457 problem details. Every refusal in the service is an {@link ApiError}: a status, a stable `code`, an
 * English `detail` saying what to fix, and optional extension members (`version`, `plan`, `blockers`, ...).
 */

/** Extension members a problem may carry (serialised beside type/title/status/detail/code). */
export type ProblemExtensions = Record<string, unknown>;

export interface ProblemBody {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    404: 'Not Found',
    405: 'Method Not Allowed',
    408: 'Request Timeout',
    409: 'Conflict',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    431: 'Request Header Fields Too Large',
    422: 'Unprocessable Content',
    500: 'Internal Server Error',
    503: 'Service Unavailable'
};

/** A refusal or fault with everything its problem+json response needs. */
export class ApiError extends Error {
    readonly status: number;
    readonly code: string;
    readonly extensions: ProblemExtensions;
    readonly headers: Record<string, string>;

    constructor(
        status: number,
        code: string,
        detail: string,
        extensions: ProblemExtensions = {},
        headers: Record<string, string> = {}
    ) {
        super(detail);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.extensions = extensions;
        this.headers = headers;
    }

    toProblem(): ProblemBody {
        return problemBody(this.status, this.code, this.message, this.extensions);
    }
}

/** The problem type URI of a code: a URN, on purpose not a URL anyone would try to fetch. */
export function problemType(code: string): string {
    return `urn:stage-automap:problem:${code}`;
}

export function problemBody(
    status: number,
    code: string,
    detail: string,
    extensions: ProblemExtensions = {}
): ProblemBody {
    return {
        type: problemType(code),
        title: TITLES[status] ?? 'Error',
        status,
        detail,
        code,
        ...extensions
    };
}

export function notFound(code: string, detail: string): ApiError {
    return new ApiError(404, code, detail);
}

export function invalid(code: string, detail: string, field?: string): ApiError {
    return new ApiError(422, code, detail, field === undefined ? {} : { errors: [{ field, message: detail }] });
}

export function conflict(code: string, detail: string, extensions: ProblemExtensions = {}): ApiError {
    return new ApiError(409, code, detail, extensions);
}
