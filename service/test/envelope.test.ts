/**
 * The HTTP envelope, exactly as the contract says: HEAD wherever GET, repeated single-valued headers refused (not
 * merged), integer query parameters in plain digits only, an undo body checked like every write's, a chunked body
 * over the limit answered 413 (not reset), and a client that leaves mid-body logged once, as an abort.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { memoryLogger } from '../src/logger.ts';
import type { LogFields } from '../src/logger.ts';
import { ACTOR, describeEachDatabase, snapshot } from './helpers.ts';

interface RawAnswer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

/** A request through node:http, which can repeat a header (an array value) and stream a body of any size. */
function rawRequest(
    url: string,
    method: string,
    headers: OutgoingHttpHeaders,
    body?: { chunk: Buffer; times: number }
): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
        const request = httpRequest(url, { method, headers });
        request.on('response', (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => {
                resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text });
            });
        });
        request.on('error', reject);
        if (!body) {
            request.end();
            return;
        }
        let sent = 0;
        const pump = (): void => {
            while (sent < body.times) {
                sent += 1;
                if (!request.write(body.chunk)) {
                    request.once('drain', pump);
                    return;
                }
            }
            request.end();
        };
        pump();
    });
}

const logs: ReturnType<typeof memoryLogger>[] = [];

describeEachDatabase(
    'the HTTP envelope',
    (env) => {
        test('HEAD answers wherever GET does: same status and headers, no body; 401, 404 and 405 alike', async () => {
            const { api, url } = env();
            const applied = await api.autoMap('Lead', 'Status', { values: [{ value: 'Head Value' }] });
            assert.equal(applied.status, 200, applied.text);
            const runId = applied.body.run?.id ?? '';
            const auth = { Authorization: `Bearer ${api.apiKey}` };
            for (const path of [
                '/v1/health',
                '/v1/stages?family=contact',
                '/v1/records?limit=5',
                '/v1/scopes?object=Lead',
                '/v1/scopes/Lead/Status',
                '/v1/runs?object=Lead',
                `/v1/runs/${runId}`,
                '/v1/runs/run_missing',
                '/v1/stages?family=deal'
            ]) {
                const get = await rawRequest(`${url}${path}`, 'GET', auth);
                const head = await rawRequest(`${url}${path}`, 'HEAD', auth);
                assert.equal(head.status, get.status, `HEAD ${path}`);
                assert.equal(head.body, '', `HEAD ${path} has no body`);
                assert.equal(head.headers['content-type'], get.headers['content-type'], `HEAD ${path}`);
                assert.equal(head.headers['content-length'], get.headers['content-length'], `HEAD ${path}`);
                assert.equal(head.headers['cache-control'], 'no-store', `HEAD ${path}`);
            }
            const noKey = await rawRequest(`${url}/v1/stages`, 'HEAD', {});
            assert.equal(noKey.status, 401);
            assert.equal(noKey.headers['www-authenticate'], 'Bearer realm="stage-service"');
            assert.equal((await rawRequest(`${url}/v1/stagez`, 'HEAD', auth)).status, 404);
            const wrongMethod = await rawRequest(`${url}/v1/stages`, 'DELETE', auth);
            assert.equal(wrongMethod.status, 405);
            assert.equal(wrongMethod.headers.allow, 'GET, HEAD, POST');
        });

        test('a repeated X-Actor-Id, X-Actor-Name or Idempotency-Key is refused, not merged; a repeated key is a 401', async () => {
            const { api, url, store } = env();
            const before = await snapshot(store, api.teamId);
            const base = {
                Authorization: `Bearer ${api.apiKey}`,
                'Content-Type': 'application/json',
                'X-Actor-Id': ACTOR.id,
                'X-Actor-Name': ACTOR.name,
                'Idempotency-Key': 'repeat-key'
            };
            const body = { chunk: Buffer.from(JSON.stringify({ values: [{ value: 'Repeat' }] })), times: 1 };
            for (const [name, values] of [
                ['X-Actor-Id', [ACTOR.id, '005000000000002AAA']],
                ['X-Actor-Name', ['Ada Admin', 'Eve']],
                ['Idempotency-Key', ['repeat-key', 'other-key']]
            ] as const) {
                const answer = await rawRequest(
                    `${url}/v1/scopes/Lead/Repeat__c/auto-map`,
                    'POST',
                    { ...base, [name]: [...values] },
                    body
                );
                assert.equal(answer.status, 400, `${name}: ${answer.body}`);
                const problem = JSON.parse(answer.body) as { code: string; detail: string };
                assert.equal(problem.code, 'invalid-header');
                assert.match(problem.detail, new RegExp(`header\\.${name}: given more than once`));
            }
            const twoKeys = await rawRequest(`${url}/v1/stages`, 'GET', {
                Authorization: [`Bearer ${api.apiKey}`, 'Bearer sam_other']
            });
            assert.equal(twoKeys.status, 401);
            assert.deepEqual(await snapshot(store, api.teamId), before);
        });

        test('integer query parameters are plain decimal digits: 0x10, 1e2, " 1", +1 and 010 are refused', async () => {
            const { api } = env();
            for (const limit of ['0x10', '1e2', '%201', '1%20', '+1', '010', '1.0', '-0', '0b1', 'Infinity']) {
                for (const path of ['/v1/records', '/v1/runs']) {
                    const response = await api.get<{ code: string; detail: string; errors: { field: string }[] }>(
                        `${path}?limit=${limit}`
                    );
                    assert.equal(response.status, 422, `${path}?limit=${limit}: ${response.text}`);
                    assert.equal(response.body.code, 'invalid-query');
                    assert.deepEqual(
                        response.body.errors.map((error) => error.field),
                        ['query.limit']
                    );
                }
            }
            assert.equal((await api.get('/v1/records?limit=10')).status, 200);
            assert.equal((await api.get('/v1/runs?limit=1')).status, 200);
        });

        test('an undo with a body refuses unknown fields like every other write; {} or no body undoes', async () => {
            const { api, store } = env();
            const runIds: string[] = [];
            for (const index of [1, 2, 3]) {
                const applied = await api.autoMap('Contact', `Undo${index}__c`, {
                    values: [{ value: `Undo Body ${index}` }]
                });
                assert.equal(applied.status, 200, applied.text);
                runIds.push(applied.body.run?.id ?? '');
            }
            const before = await snapshot(store, api.teamId);
            const unknown = await api.post<{ code: string; detail: string }>(`/v1/runs/${runIds[0] ?? ''}/undo`, {
                force: true
            });
            assert.equal(unknown.status, 422, unknown.text);
            assert.equal(unknown.body.code, 'invalid-body');
            assert.match(unknown.body.detail, /body\.force: is not a known field/);
            const notJson = await api.request(`POST`, `/v1/runs/${runIds[0] ?? ''}/undo`, {
                raw: 'force',
                contentType: 'text/plain'
            });
            assert.equal(notJson.status, 415);
            const notObject = await api.post(`/v1/runs/${runIds[0] ?? ''}/undo`, [true]);
            assert.equal(notObject.status, 422);
            assert.deepEqual(await snapshot(store, api.teamId), before);
            assert.equal((await api.post(`/v1/runs/${runIds[0] ?? ''}/undo`, {})).status, 200);
            assert.equal((await api.post(`/v1/runs/${runIds[1] ?? ''}/undo`)).status, 200);
            const emptyJson = await api.request('POST', `/v1/runs/${runIds[2] ?? ''}/undo`, { raw: '' });
            assert.equal(emptyJson.status, 200, emptyJson.text);
        });

        test('a chunked body far over the limit gets its 413, not a reset; the service answers on', async () => {
            const { api, url, store } = env();
            const before = await snapshot(store, api.teamId);
            const answer = await rawRequest(
                `${url}/v1/scopes/Lead/Status/auto-map`,
                'POST',
                {
                    Authorization: `Bearer ${api.apiKey}`,
                    'Content-Type': 'application/json',
                    'X-Actor-Id': ACTOR.id,
                    'X-Actor-Name': ACTOR.name,
                    'Idempotency-Key': 'huge-chunked',
                    'Transfer-Encoding': 'chunked'
                },
                { chunk: Buffer.alloc(64 * 1024, 0x20), times: 512 }
            );
            assert.equal(answer.status, 413);
            assert.equal((JSON.parse(answer.body) as { code: string }).code, 'body-too-large');
            assert.equal((await api.get('/v1/health', { auth: false })).status, 200);
            assert.deepEqual(await snapshot(store, api.teamId), before);
        });

        test('a client that leaves in the middle of its body is logged once, as an abort, never as an error or a 200', async () => {
            const { api, url } = env();
            const logger = logs[logs.length - 1];
            assert.ok(logger);
            const from = logger.lines.length;
            const { hostname, port } = new URL(url);
            await new Promise<void>((resolve) => {
                const socket = connect(Number(port), hostname, () => {
                    socket.write(
                        `POST /v1/scopes/Lead/Status/auto-map HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.apiKey}\r\nContent-Type: application/json\r\nX-Actor-Id: 005\r\nX-Actor-Name: A\r\nIdempotency-Key: gone\r\nContent-Length: 5000\r\n\r\n{"values":[`
                    );
                    setTimeout(() => {
                        socket.destroy();
                        resolve();
                    }, 100);
                });
            });
            // The service notices the close on its next turn: wait until the line is there (or give up after 5 s).
            const deadline = Date.now() + 5000;
            const lines = (): LogFields[] =>
                logger.lines.slice(from).filter((line) => line.route === '/v1/scopes/{object}/{field}/auto-map');
            while (lines().length === 0 && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
            assert.deepEqual(
                lines().map((line) => [line.level, line.msg]),
                [['info', 'client-aborted']]
            );
            assert.ok(!logger.lines.slice(from).some((line) => line.level === 'error'));
            // The service is fine and the request changed nothing.
            const state = await api.scope('Lead', 'Status');
            assert.ok(!state.mappings.some((mapping) => mapping.value === 'gone'));
            const after = await api.autoMap('Lead', 'Status', { values: [{ value: 'After Abort' }] });
            assert.equal(after.body.status, 'applied');
        });
    },
    {
        logger: () => {
            const logger = memoryLogger();
            logs.push(logger);
            return logger;
        }
    }
);
