/** Structured logs: one JSON object per line on stdout (errors on stderr). Never keys, never bodies. */

export type LogFields = Record<string, unknown>;

export interface Logger {
    info(message: string, fields?: LogFields): void;
    warn(message: string, fields?: LogFields): void;
    error(message: string, fields?: LogFields): void;
}

function write(stream: NodeJS.WriteStream, level: string, message: string, fields: LogFields): void {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
}

/** The JSON-lines logger `npm run service` uses. */
export function jsonLogger(): Logger {
    return {
        info: (message, fields = {}) => {
            write(process.stdout, 'info', message, fields);
        },
        warn: (message, fields = {}) => {
            write(process.stdout, 'warn', message, fields);
        },
        error: (message, fields = {}) => {
            write(process.stderr, 'error', message, fields);
        }
    };
}

/** A logger that drops everything (tests, benches). */
export function silentLogger(): Logger {
    const drop = (): void => undefined;
    return { info: drop, warn: drop, error: drop };
}

/** A logger that keeps every line in memory, for tests that read the logs. */
export function memoryLogger(): Logger & { lines: LogFields[] } {
    const lines: LogFields[] = [];
    const keep =
        (level: string) =>
        (message: string, fields: LogFields = {}): void => {
            lines.push({ level, msg: message, ...fields });
        };
    return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** The message and stack of anything thrown, for an error log line. */
export function describeError(error: unknown): LogFields {
    if (error instanceof Error) {
        const code = (error as Error & { code?: unknown }).code;
        return {
            error: error.message,
            errorName: error.name,
            ...(code === undefined ? {} : { errorCode: code }),
            stack: error.stack
        };
    }
    return { error: String(error) };
}
