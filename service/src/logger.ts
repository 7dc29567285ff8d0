/**
 * Structured logs: one JSON object per line, written by pino (stdout; errors on stderr only). Never keys, never
 * bodies, never a concrete path. The service codes against the small {@link Logger} interface so that tests can keep
 * lines in memory and the preview can drop them; {@link fastifyLogger} lets Fastify's own rare messages (a bad
 * plugin, a reply sent twice) reach the same place.
 */
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';

export type LogFields = Record<string, unknown>;

export interface Logger {
    info(message: string, fields?: LogFields): void;
    warn(message: string, fields?: LogFields): void;
    error(message: string, fields?: LogFields): void;
}

/** The JSON-lines logger `npm run service` uses: pino, synchronous writes so nothing is lost on exit. */
export function jsonLogger(): Logger {
    const streams = pino.multistream(
        [
            { level: 'info', stream: pino.destination({ dest: 1, sync: true }) },
            { level: 'error', stream: pino.destination({ dest: 2, sync: true }) }
        ],
        // Each line goes to the one stream of the highest level it reaches: errors to stderr only.
        { dedupe: true }
    );
    const log = pino(
        {
            base: undefined,
            messageKey: 'msg',
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label) => ({ level: label }) }
        },
        streams
    );
    return {
        info: (message, fields = {}) => {
            log.info(fields, message);
        },
        warn: (message, fields = {}) => {
            log.warn(fields, message);
        },
        error: (message, fields = {}) => {
            log.error(fields, message);
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

/**
 * Fastify's logger interface over a {@link Logger}. Fastify logs pino-style (`log.warn({ err, req }, 'text')`);
 * only the message and an error's description are kept: a request object would carry the concrete URL and headers.
 */
export function fastifyLogger(logger: Logger): FastifyBaseLogger {
    const fields = (first: unknown): LogFields => {
        if (first instanceof Error) {
            return describeError(first);
        }
        const err = typeof first === 'object' && first !== null ? (first as { err?: unknown }).err : undefined;
        return err === undefined ? {} : describeError(err);
    };
    const at =
        (write: (message: string, fields?: LogFields) => void) =>
        (first: unknown, message?: unknown): void => {
            if (typeof first === 'string') {
                write(`fastify: ${first}`);
            } else {
                write(`fastify: ${typeof message === 'string' ? message : 'message'}`, fields(first));
            }
        };
    const drop = (): void => undefined;
    const adapter: FastifyBaseLogger = {
        level: 'info',
        info: at((message, extra) => {
            logger.info(message, extra);
        }),
        warn: at((message, extra) => {
            logger.warn(message, extra);
        }),
        error: at((message, extra) => {
            logger.error(message, extra);
        }),
        fatal: at((message, extra) => {
            logger.error(message, extra);
        }),
        debug: drop,
        trace: drop,
        silent: drop,
        child: () => adapter
    };
    return adapter;
}
