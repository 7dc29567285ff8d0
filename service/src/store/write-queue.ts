/**
 * The line a write waits in, in this process, before it takes a database connection: one line per team and family.
 *
 * Why: writes to one family are serialised by the database anyway (they all lock the family's version row first).
 * Without a line here, thirty writes of one team each took a pooled connection and sat on it waiting for that lock,
 * and every other team's requests waited for a connection. With it, a team and family holds at most one write
 * connection per instance, whatever its burst; the others wait here, holding nothing. A write that waits longer than
 * `timeoutMs`, or finds `limit` writes already waiting, is refused with 503 and Retry-After (nothing applied).
 */
import { ApiError } from '../problems.ts';

export const DEFAULT_WRITE_QUEUE_TIMEOUT_MS = 10_000;
export const DEFAULT_WRITE_QUEUE_LIMIT = 100;

function busy(detail: string): ApiError {
    return new ApiError(
        503,
        'database-busy',
        `${detail} Nothing was applied; try again shortly.`,
        {},
        { 'Retry-After': '2' }
    );
}

interface Line {
    /** Settles when the last write in line is done: the next one starts after it. */
    tail: Promise<void>;
    /** Writes running or waiting in this line. */
    members: number;
}

export class WriteQueue {
    private readonly lines = new Map<string, Line>();
    private readonly timeoutMs: number;
    private readonly limit: number;

    constructor(timeoutMs = DEFAULT_WRITE_QUEUE_TIMEOUT_MS, limit = DEFAULT_WRITE_QUEUE_LIMIT) {
        this.timeoutMs = timeoutMs;
        this.limit = limit;
    }

    /** Runs `write` once every earlier write of the line is done, or refuses it (503) when the wait is too long. */
    async run<T>(key: string, write: () => Promise<T>): Promise<T> {
        let line = this.lines.get(key);
        if (!line) {
            line = { tail: Promise.resolve(), members: 0 };
            this.lines.set(key, line);
        }
        if (line.members > this.limit) {
            throw busy(`${this.limit} other changes to these stages are waiting already.`);
        }
        line.members += 1;
        const ahead = line.tail;
        let done = (): void => undefined;
        const mine = new Promise<void>((resolve) => {
            done = resolve;
        });
        // The next write waits for the ones ahead of this one too, even when this one gives up.
        line.tail = ahead.then(() => mine);
        const current = line;
        const leave = (): void => {
            done();
            current.members -= 1;
            if (current.members === 0 && this.lines.get(key) === current) {
                this.lines.delete(key);
            }
        };
        let timer: NodeJS.Timeout | undefined;
        const turn = await Promise.race([
            ahead.then(() => true),
            new Promise<boolean>((resolve) => {
                timer = setTimeout(() => {
                    resolve(false);
                }, this.timeoutMs);
            })
        ]);
        clearTimeout(timer);
        if (!turn) {
            leave();
            throw busy(`Other changes to these stages took longer than ${this.timeoutMs / 1000} s.`);
        }
        try {
            return await write();
        } finally {
            leave();
        }
    }
}
