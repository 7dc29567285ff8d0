/**
 * No cheap denial of service. A body of hundreds of thousands of array items, or of thousands of items that each
 * break the schema several times, is refused in milliseconds (Ajv with `allErrors` is quadratic in failing items:
 * the 600 KB body below took minutes), and the service keeps answering others meanwhile. A client that stalls
 * mid-body is cut off with a 408 long before Node's 300 s default, and connections over the cap are refused.
 *
 * The bounds are far above what these requests take (a few milliseconds): they catch minutes, not jitter.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { MAX_VALUES } from '../src/limits.ts';
import { memoryLogger, silentLogger } from '../src/logger.ts';
import { startService } from '../src/server.ts';
import { DB_KINDS, describeEachDatabase, freshDatabase, snapshot } from './helpers.ts';
import type { ApiClient } from './helpers.ts';

/** Far above the milliseconds these take; the quadratic validation took minutes. */
const FAST_MS = 5000;

interface Timed {
    status: number;
    ms: number;
    body: { code?: string; detail?: string };
}

async function timed(call: () => Promise<{ status: number; body: unknown }>): Promise<Timed> {
    const started = performance.now();
    const response = await call();
    return {
        status: response.status,
        ms: performance.now() - started,
        body: response.body as Timed['body']
    };
}

/** The raw body's array: `count` copies of `item`, comma-separated. */
function many(item: string, count: number): string {
    return `${`${item},`.repeat(count - 1)}${item}`;
}

/** Sends a big body and, while the service works on it, a health check; both must come back fast. */
async function refusedFast(api: ApiClient, url: string, method: string, path: string, raw: string): Promise<Timed> {
    assert.ok(raw.length > 590_000 && raw.length < 1024 * 1024, `a 600 KB body (${raw.length} bytes)`);
    const big = timed(() => api.request(method, path, { raw, headers: { 'Idempotency-Key': `dos-${Math.random()}` } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const health = await timed(async () => {
        const response = await fetch(`${url}/v1/health`);
        return { status: response.status, body: (await response.json()) as unknown };
    });
    const answer = await big;
    assert.equal(health.status, 200);
    assert.ok(health.ms < FAST_MS, `the health check waited ${Math.round(health.ms)} ms behind ${path}`);
    assert.ok(answer.ms < FAST_MS, `${path} took ${Math.round(answer.ms)} ms to refuse 600 KB`);
    return answer;
}

describeEachDatabase('no cheap denial of service', (env) => {
    test('a 600 KB body of array items is refused at once on every endpoint with arrays; health answers meanwhile', async () => {
        const { api, url, store } = env();
        const stage = await api.createStage('contact', 'Target');
        const before = await snapshot(store, api.teamId);
        const bodies: [string, string, string][] = [
            ['POST', '/v1/scopes/Lead/Status/auto-map', `{"values":[${many('1', 300_000)}]}`],
            ['PUT', '/v1/records', `{"records":[${many('1', 300_000)}]}`],
            [
                'POST',
                '/v1/records/move',
                `{"fromStageId":"${stage.id}","toStageId":"stg_other","recordIds":[${many('"r"', 150_000)}]}`
            ]
        ];
        for (const [method, path, raw] of bodies) {
            const answer = await refusedFast(api, url, method, path, raw);
            assert.equal(answer.status, 422, `${path}: ${JSON.stringify(answer.body).slice(0, 200)}`);
            assert.equal(answer.body.code, 'invalid-body');
            assert.match(answer.body.detail ?? '', /must have at most (1000|5000) items \(got (300000|150000)\)/);
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('1,000 items (the most a request may carry) that each break the schema 100 times are refused at once, naming the first', async () => {
        const { api, url } = env();
        const unknown = Array.from({ length: 100 }, (_, index) => `"u${index}":1`).join(',');
        const raw = `{"values":[${many(`{"value":"v",${unknown}}`, MAX_VALUES)}]}`;
        const answer = await refusedFast(api, url, 'POST', '/v1/scopes/Lead/Status/auto-map', raw);
        assert.equal(answer.status, 422);
        assert.match(answer.body.detail ?? '', /is not a known field/);
    });
});

/**
 * A raw connection that sends `text` and resolves with everything the server answers until it closes (or until
 * twice {@link FAST_MS} passed: the test then fails on what it got instead of hanging).
 */
function rawExchange(url: string, text: string): { socket: Socket; answer: Promise<{ data: string; ms: number }> } {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    const started = performance.now();
    const giveUp = setTimeout(() => socket.destroy(), 2 * FAST_MS);
    const answer = new Promise<{ data: string; ms: number }>((resolve) => {
        let data = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (data += chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
            clearTimeout(giveUp);
            resolve({ data, ms: performance.now() - started });
        });
    });
    socket.write(text);
    return { socket, answer };
}

describe('connection limits', () => {
    for (const kind of DB_KINDS) {
        test(`a body that stops arriving gets 408 and the connection closes; the log says it timed out [${kind}]`, async () => {
            const database = await freshDatabase(kind);
            const store = await database.open();
            const logger = memoryLogger();
            const service = await startService({ store, port: 0, logger, requestTimeoutMs: 400 });
            try {
                const { apiKey } = await store.createTeam('Slow');
                const { answer } = rawExchange(
                    service.url,
                    `POST /v1/stages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${apiKey}\r\nX-Actor-Id: 005\r\nX-Actor-Name: A\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"family":`
                );
                const { data, ms } = await answer;
                assert.match(data, /^HTTP\/1\.1 408 /);
                assert.match(data, /"code":"request-timeout"/);
                assert.ok(ms < FAST_MS, `closed after ${Math.round(ms)} ms`);
                await new Promise((resolve) => setTimeout(resolve, 50));
                assert.ok(logger.lines.some((line) => line.msg === 'request-timeout'));
                assert.ok(!logger.lines.some((line) => line.level === 'error'), JSON.stringify(logger.lines));
            } finally {
                await service.close();
                await store.close();
                await database.remove();
            }
        });

        test(`connections over the cap are closed unanswered; the others keep working [${kind}]`, async () => {
            const database = await freshDatabase(kind);
            const store = await database.open();
            const service = await startService({ store, port: 0, logger: silentLogger(), maxConnections: 3 });
            const held: Socket[] = [];
            try {
                for (let index = 0; index < 3; index += 1) {
                    const { socket } = rawExchange(service.url, '');
                    held.push(socket);
                    await new Promise((resolve) => socket.once('connect', resolve));
                }
                await new Promise((resolve) => setTimeout(resolve, 50));
                const over = rawExchange(service.url, 'GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
                const refused = await over.answer;
                assert.equal(refused.data, '', 'no answer over the cap');
                const first = held[0];
                const served = new Promise<string>((resolve) => {
                    let data = '';
                    first?.on('data', (chunk: string) => {
                        data += chunk;
                        if (data.includes('"status":"ok"')) {
                            resolve(data);
                        }
                    });
                });
                first?.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
                assert.match(await served, /^HTTP\/1\.1 200 /);
            } finally {
                held.forEach((socket) => socket.destroy());
                await service.close();
                await store.close();
                await database.remove();
            }
        });
    }
});
