/**
 * The CLI's error contract: what the admin did wrong (a bad command line or input file: `CliInputError`, exit 2)
 * versus what went wrong outside it (talking to the org, the Salesforce CLI or the stage service:
 * `CommandFailure`, exit 1, or 3 for a refused apply), each one line for the admin, never a stack trace.
 */

export const EXIT_OK = 0;
/** Something unexpected, or a failure talking to the org, the Salesforce CLI or the stage service. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Something failed while talking to the org, the Salesforce CLI or the stage service. Exit code 1. */
export const EXIT_RUNTIME = EXIT_FAILURE;

/** `apply` found the stage service's state moved since the version it planned against; nothing was applied. */
export const EXIT_CONFLICT = 3;

/**
 * `drift` found the scope out of sync with its picklist (the report is printed; it is an answer, not an error). The
 * same code as a refused apply, so a scheduled job alerts on 3 either way.
 */
export const EXIT_DRIFT = 3;

/** A failure the admin can act on: `message` is the whole story, in one line, without a stack trace. */
export class CommandFailure extends Error {
    override name = 'CommandFailure';
    readonly exitCode: number;

    constructor(message: string, exitCode: number = EXIT_RUNTIME) {
        super(message);
        this.exitCode = exitCode;
    }
}

/** The error's message (or its text) with the white space of multi-line messages collapsed to one line. */
export function oneLineMessage(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** A network error's code (`ECONNREFUSED`, `ENOTFOUND`, ...), looking through `cause` as fetch() wraps it. */
export function networkErrorCode(error: unknown): string | undefined {
    let current: unknown = error;
    for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
        const code = (current as { code?: unknown }).code;
        if (typeof code === 'string' && /^E[A-Z_]+$|^(?:UND_ERR|ERR_TLS|CERT|DEPTH|SELF_SIGNED|UNABLE)/.test(code)) {
            return code;
        }
        current = (current as { cause?: unknown }).cause;
    }
    return undefined;
}

/** Words for a network error code, e.g. "connection refused". */
export function describeNetworkError(code: string): string {
    switch (code) {
        case 'ECONNREFUSED':
            return 'connection refused';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return 'the host name does not resolve';
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
            return 'the connection was reset';
        case 'ETIMEDOUT':
        case 'UND_ERR_CONNECT_TIMEOUT':
            return 'the connection timed out';
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return 'the host is unreachable';
        default:
            return /CERT|TLS|SELF_SIGNED|UNABLE|DEPTH/.test(code) ? `TLS certificate problem (${code})` : code;
    }
}

/** A bad command line or a bad input file: the message says what to fix. Exit code 2. */
export class CliInputError extends Error {
    override name = 'CliInputError';
}
