/**
 * The service as a child process (`service/src/main.ts`, as `npm run service` starts it), for the tests that kill
 * it, stop it or run two of it on one database. Every child is killed when the test file ends.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The demo team's key in the children that seed it. */
export const CHILD_DEMO_KEY = 'sam_process_test_key';

export interface Child {
    process: ChildProcess;
    url: string;
    logs: Record<string, unknown>[];
    stdout: () => string;
    /** Resolves with the first log line with this message. */
    waitFor(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
after(() => {
    for (const child of children) {
        child.kill('SIGKILL');
    }
});

/** Starts `main.ts` and waits for its `listening` line (or another, e.g. a test hook's, when `readyOn` says). */
export async function startChild(extraEnv: Record<string, string>, readyOn = 'listening'): Promise<Child> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'service/src/main.ts'], {
        cwd: ROOT,
        env: {
            ...process.env,
            PORT: '0',
            DEMO_API_KEY: CHILD_DEMO_KEY,
            SEED_DEMO: '1',
            NODE_ENV: 'test',
            TEST_DATABASE_URL: '',
            ...extraEnv
        },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    children.add(child);
    const logs: Record<string, unknown>[] = [];
    const waiters: { message: string; resolve: (line: Record<string, unknown>) => void }[] = [];
    let stdout = '';
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
            if (!line.startsWith('{')) {
                continue;
            }
            const parsed = JSON.parse(line) as Record<string, unknown>;
            logs.push(parsed);
            for (const waiter of waiters.filter((candidate) => candidate.message === parsed.msg)) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve(parsed);
            }
        }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => {
            children.delete(child);
            resolve({ code, signal });
        })
    );
    const waitFor = (message: string, timeoutMs = 20_000): Promise<Record<string, unknown>> => {
        const seen = logs.find((line) => line.msg === message);
        if (seen) {
            return Promise.resolve(seen);
        }
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                reject(
                    new Error(
                        `No "${message}" log line within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`
                    )
                );
            }, timeoutMs);
            waiters.push({
                message,
                resolve: (line) => {
                    clearTimeout(timer);
                    resolve(line);
                }
            });
            void exited.then(() => {
                clearTimeout(timer);
                reject(new Error(`The service exited before "${message}".\nstdout:\n${stdout}\nstderr:\n${stderr}`));
            });
        });
    };
    const ready = await waitFor(readyOn, 30_000);
    return {
        process: child,
        url: typeof ready.url === 'string' ? ready.url : '',
        logs,
        stdout: () => stdout,
        waitFor,
        exited
    };
}
