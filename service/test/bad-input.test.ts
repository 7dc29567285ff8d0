/**
 * Bad input: every case gets a 4xx problem+json with a detail that says what to fix, and changes nothing.
 * Bodies over the body limit (3,300,000 bytes), more than 1,000 values, names over 255 characters, unknown fields, wrong types, invalid UTF-8,
 * control characters, SQL metacharacters (stored literally), missing actor headers, malformed paths and queries.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { MAX_BODY_BYTES, MAX_VALUES } from '../src/limits.ts';
import { describeEachDatabase, snapshot, values } from './helpers.ts';
import type { ApiResponse, RequestOptions, StageBody } from './helpers.ts';

interface Problem {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    errors?: { field: string; message: string }[];
}

interface Case {
    name: string;
    method: string;
    path: string;
    options: RequestOptions;
    status: number;
    code?: string;
    /** A fragment the detail must contain (naming the field or the rule). */
    detail?: RegExp;
}

const BIG = 'x'.repeat(MAX_BODY_BYTES + 10);

function cases(stageId: string): Case[] {
    const autoMap = '/v1/scopes/Lead/Status/auto-map';
    const key = { 'Idempotency-Key': 'bad-input-key' };
    return [
        // Size, media type, encoding, syntax
        {
            name: 'body over the body limit',
            method: 'POST',
            path: autoMap,
            options: { raw: `{"values":[{"value":"${BIG}"}]}`, headers: key },
            status: 413,
            code: 'body-too-large',
            detail: /over 3,300,000 bytes \(3\.3 MB\)/
        },
        {
            name: 'stage body over the body limit',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: BIG },
            status: 413
        },
        {
            name: 'text/plain body',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: '{"family":"contact","name":"A"}', contentType: 'text/plain' },
            status: 415,
            code: 'unsupported-media-type'
        },
        {
            name: 'latin-1 charset',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: '{"family":"contact","name":"A"}', contentType: 'application/json; charset=iso-8859-1' },
            status: 415
        },
        {
            name: 'no content type',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: '{"family":"contact","name":"A"}', contentType: null },
            status: 415
        },
        {
            name: 'empty body',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: '' },
            status: 400,
            code: 'body-required'
        },
        {
            name: 'invalid UTF-8 bytes',
            method: 'POST',
            path: '/v1/stages',
            options: {
                raw: Buffer.concat([
                    Buffer.from('{"family":"contact","name":"'),
                    Buffer.from([0xc3, 0x28, 0xff]),
                    Buffer.from('"}')
                ])
            },
            status: 400,
            code: 'invalid-utf8',
            detail: /UTF-8/
        },
        {
            name: 'overlong UTF-8 encoding',
            method: 'POST',
            path: '/v1/stages',
            options: {
                raw: Buffer.concat([
                    Buffer.from('{"family":"contact","name":"'),
                    Buffer.from([0xc0, 0xaf]),
                    Buffer.from('"}')
                ])
            },
            status: 400,
            code: 'invalid-utf8'
        },
        {
            name: 'invalid JSON',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: '{"family":"contact",' },
            status: 400,
            code: 'invalid-json',
            detail: /not valid JSON/
        },
        {
            name: 'JSON with a trailing comma',
            method: 'PUT',
            path: '/v1/records',
            options: { raw: '{"records":[],}' },
            status: 400,
            code: 'invalid-json'
        },
        {
            name: 'deeply nested JSON',
            method: 'POST',
            path: autoMap,
            options: { raw: `{"values":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, headers: key },
            status: 422
        },
        {
            name: 'a JSON string instead of an object',
            method: 'POST',
            path: '/v1/stages',
            options: { body: 'contact' },
            status: 422,
            detail: /must be object/
        },
        // Schema
        {
            name: 'unknown field',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: 'A', colour: 'red' } },
            status: 422,
            code: 'invalid-body',
            detail: /body\.colour: is not a known field/
        },
        {
            name: '__proto__ field',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: '{"family":"contact","name":"A","__proto__":{"admin":true}}' },
            status: 422,
            detail: /__proto__/
        },
        {
            name: 'unknown nested field',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: 'A', colour: 'red' }] }, headers: key },
            status: 422,
            detail: /body\.values\[0\]\.colour/
        },
        {
            name: 'missing field',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact' } },
            status: 422,
            detail: /body\.name: is required/
        },
        {
            name: 'wrong type (name)',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: 42 } },
            status: 422,
            detail: /body\.name: must be string/
        },
        {
            name: 'wrong type (values)',
            method: 'POST',
            path: autoMap,
            options: { body: { values: 'Open' }, headers: key },
            status: 422,
            detail: /body\.values: must be array/
        },
        {
            name: 'wrong type (active)',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: 'A', active: 'yes' }] }, headers: key },
            status: 422,
            detail: /body\.values\[0\]\.active/
        },
        {
            name: 'fractional expectedVersion',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [], expectedVersion: 1.5 }, headers: key },
            status: 422,
            detail: /expectedVersion/
        },
        {
            name: 'negative expectedVersion',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [], expectedVersion: -1 }, headers: key },
            status: 422
        },
        {
            name: 'unknown family',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'deal', name: 'A' } },
            status: 422,
            detail: /"contact", "account"/
        },
        {
            name: 'unknown category',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: 'A', category: 'won' } },
            status: 422,
            detail: /body\.category/
        },
        {
            name: 'empty patch',
            method: 'PATCH',
            path: `/v1/stages/${stageId}`,
            options: { body: {} },
            status: 422,
            detail: /at least one field/
        },
        // Limits
        {
            name: 'more than 1,000 values',
            method: 'POST',
            path: autoMap,
            options: { body: { values: values(MAX_VALUES + 1, 'v') }, headers: key },
            status: 422,
            detail: /body\.values: must have at most 1000 items \(got 1001\)/
        },
        {
            name: 'stage name over 255 characters',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: 'n'.repeat(256) } },
            status: 422,
            detail: /at most 255 characters \(got 256\)/
        },
        {
            name: 'value over 255 characters',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: 'v'.repeat(256) }] }, headers: key },
            status: 422,
            detail: /body\.values\[0\]\.value/
        },
        {
            name: 'label over 255 characters',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: 'v', label: 'l'.repeat(256) }] }, headers: key },
            status: 422,
            detail: /body\.values\[0\]\.label/
        },
        {
            name: '256 astral characters',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: '😀'.repeat(256) } },
            status: 422
        },
        {
            name: 'mapping value over 255 characters',
            method: 'PUT',
            path: '/v1/scopes/Lead/Status/mappings',
            options: { body: { value: 'v'.repeat(256), stageId } },
            status: 422
        },
        {
            name: 'more than 5,000 records',
            method: 'PUT',
            path: '/v1/records',
            options: {
                body: {
                    records: Array.from({ length: 5001 }, (_, index) => ({
                        recordId: `r${index}`,
                        family: 'contact',
                        stageId
                    }))
                }
            },
            status: 422,
            detail: /at most 5000/
        },
        // Content of strings
        {
            name: 'NUL in a name',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: 'a\u0000b' } },
            status: 422,
            detail: /control characters/
        },
        {
            name: 'newline in a value',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: 'a\nb' }] }, headers: key },
            status: 422
        },
        {
            name: 'lone surrogate in a name',
            method: 'POST',
            path: '/v1/stages',
            options: { raw: '{"family":"contact","name":"a\\ud800b"}' },
            status: 422
        },
        {
            name: 'blank stage name',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: '    ' } },
            status: 422,
            code: 'invalid-name',
            detail: /blank/
        },
        {
            name: 'blank value',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: '   ' }] }, headers: key },
            status: 422,
            code: 'invalid-values',
            detail: /body\.values\[0\]\.value/
        },
        {
            name: 'blank label',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: 'A', label: '' }] }, headers: key },
            status: 422,
            code: 'invalid-values'
        },
        {
            name: 'duplicate value',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [{ value: 'A' }, { value: 'B' }, { value: 'A' }] }, headers: key },
            status: 422,
            detail: /duplicate value "A"/
        },
        {
            name: 'bad record id',
            method: 'PUT',
            path: '/v1/records',
            options: { body: { records: [{ recordId: 'a b', family: 'contact', stageId }] } },
            status: 422,
            detail: /record id/
        },
        // Headers
        {
            name: 'no actor headers (create stage)',
            method: 'POST',
            path: '/v1/stages',
            options: { body: { family: 'contact', name: 'A' }, actor: false },
            status: 400,
            code: 'actor-required',
            detail: /X-Actor-Id and X-Actor-Name/
        },
        {
            name: 'no actor headers (auto-map)',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [] }, actor: false, headers: key },
            status: 400,
            code: 'actor-required'
        },
        {
            name: 'no actor headers (delete)',
            method: 'DELETE',
            path: `/v1/stages/${stageId}`,
            options: { actor: false },
            status: 400,
            code: 'actor-required'
        },
        {
            name: 'no actor headers (undo)',
            method: 'POST',
            path: '/v1/runs/run_x/undo',
            options: { actor: false },
            status: 400
        },
        {
            name: 'only an actor id',
            method: 'PUT',
            path: '/v1/records',
            options: { body: { records: [] }, actor: false, headers: { 'X-Actor-Id': '005' } },
            status: 400,
            detail: /X-Actor-Name/
        },
        {
            name: 'control character in the actor name',
            method: 'POST',
            path: '/v1/stages',
            options: {
                body: { family: 'contact', name: 'A' },
                actor: false,
                headers: { 'X-Actor-Id': '005', 'X-Actor-Name': 'Bad%0AName' }
            },
            status: 400,
            code: 'invalid-actor'
        },
        {
            name: 'idempotency key too long',
            method: 'POST',
            path: autoMap,
            options: { body: { values: [] }, headers: { 'Idempotency-Key': 'k'.repeat(256) } },
            status: 400,
            code: 'invalid-header'
        },
        // Paths, queries, methods
        {
            name: 'bad percent-encoding in the path',
            method: 'DELETE',
            path: '/v1/scopes/Lead/Status/mappings/%E0%A4%A',
            options: {},
            status: 400,
            code: 'invalid-path-encoding'
        },
        {
            name: 'unsupported object',
            method: 'POST',
            path: '/v1/scopes/Case/Status/auto-map',
            options: { body: { values: [] }, headers: key },
            status: 404,
            code: 'unsupported-object'
        },
        {
            name: 'SQL in the field name',
            method: 'GET',
            path: `/v1/scopes/Lead/${encodeURIComponent("Status'; DROP TABLE stages;--")}`,
            options: {},
            status: 404,
            code: 'invalid-path-parameter'
        },
        {
            name: 'repeated query parameter',
            method: 'GET',
            path: '/v1/stages?family=contact&family=account',
            options: {},
            status: 422,
            detail: /more than once/
        },
        {
            name: 'unknown query parameter',
            method: 'GET',
            path: '/v1/runs?objekt=Lead',
            options: {},
            status: 422,
            detail: /query\.objekt: is not a known query parameter/
        },
        {
            name: 'limit out of range',
            method: 'GET',
            path: '/v1/runs?limit=100000',
            options: {},
            status: 422,
            detail: /query\.limit: must be at most 200/
        },
        {
            name: 'non-numeric limit',
            method: 'GET',
            path: '/v1/records?limit=ten',
            options: {},
            status: 422,
            detail: /query\.limit: must be integer/
        },
        {
            name: 'moveRecordsTo with SQL',
            method: 'DELETE',
            path: `/v1/stages/${stageId}?moveRecordsTo=${encodeURIComponent("x' OR '1'='1")}`,
            options: {},
            status: 422
        },
        {
            name: 'method not allowed',
            method: 'PATCH',
            path: '/v1/runs',
            options: { body: {} },
            status: 405,
            code: 'method-not-allowed'
        },
        { name: 'unknown route', method: 'GET', path: '/v1/stagez', options: {}, status: 404, code: 'route-not-found' },
        { name: 'unknown version', method: 'GET', path: '/v2/stages', options: {}, status: 404 }
    ];
}

describeEachDatabase('bad input', (env) => {
    test('every bad request is a 4xx problem with a clear detail, and changes nothing', async () => {
        const { api, store } = env();
        const stage = await api.createStage('contact', 'Existing');
        await api.put('/v1/records', { records: [{ recordId: 'keep', family: 'contact', stageId: stage.id }] });
        const before = await snapshot(store, api.teamId);
        for (const item of cases(stage.id)) {
            const response: ApiResponse<Problem> = await api.request<Problem>(item.method, item.path, item.options);
            assert.equal(response.status, item.status, `${item.name}: ${response.text.slice(0, 300)}`);
            assert.equal(response.headers.get('content-type'), 'application/problem+json', item.name);
            assert.equal(response.body.status, item.status, item.name);
            assert.ok(response.body.detail.length > 10, `${item.name}: a detail`);
            if (item.code) {
                assert.equal(response.body.code, item.code, item.name);
            }
            if (item.detail) {
                assert.match(response.body.detail, item.detail, item.name);
            }
            if (response.status === 422 && response.body.code === 'invalid-body') {
                assert.ok((response.body.errors ?? []).length > 0, `${item.name}: errors name the fields`);
            }
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('a body over the limit without Content-Length (chunked) is a 413 too', async () => {
        const { api, url, store } = env();
        const before = await snapshot(store, api.teamId);
        const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const request = httpRequest(`${url}/v1/stages`, {
                method: 'POST',
                headers: {
                    Authorization: `Bearer ${api.apiKey}`,
                    'Content-Type': 'application/json',
                    'X-Actor-Id': '005',
                    'X-Actor-Name': 'A',
                    'Transfer-Encoding': 'chunked'
                }
            });
            request.on('response', (response) => {
                let text = '';
                response.setEncoding('utf8');
                response.on('data', (chunk: string) => (text += chunk));
                response.on('end', () => {
                    resolve({ status: response.statusCode ?? 0, body: text });
                });
            });
            request.on('error', reject);
            const chunk = 'x'.repeat(64 * 1024);
            for (let index = 0; index * chunk.length <= MAX_BODY_BYTES; index += 1) {
                request.write(chunk);
            }
            request.end();
        });
        assert.equal(status, 413);
        assert.equal((JSON.parse(body) as Problem).code, 'body-too-large');
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('SQL metacharacters in names and values are stored and returned literally', async () => {
        const { api, store } = env();
        const nasty = [
            "'); DROP TABLE stages;--",
            'Robert"); DELETE FROM mappings; --',
            "x' OR '1'='1",
            '%_\\ ; -- /* */'
        ];
        const created: StageBody[] = [];
        for (const name of nasty) {
            created.push(await api.createStage('account', name));
        }
        assert.deepEqual(
            created.map((stage) => stage.name),
            nasty
        );
        const response = await api.autoMap('Account', 'Nasty__c', {
            values: nasty.map((value) => ({ value: `${value} value` }))
        });
        assert.equal(response.status, 200, response.text);
        const state = await api.scope('Account', 'Nasty__c');
        assert.deepEqual(
            state.mappings.map((mapping) => mapping.value).sort(),
            nasty.map((value) => `${value} value`).sort()
        );
        const removed = await api.delete(
            `/v1/scopes/Account/Nasty__c/mappings/${encodeURIComponent(`${nasty[0] ?? ''} value`)}`
        );
        assert.equal(removed.status, 200);
        // Every table is still there and counts what it should.
        const names = (await api.stages('account')).map((stage) => stage.name);
        for (const name of nasty) {
            assert.ok(names.includes(name));
        }
        const snapshotAfter = await snapshot(store, api.teamId);
        assert.ok((snapshotAfter.stages ?? 0) >= 8);
    });

    test('actor names travel percent-encoded (UTF-8) and are stored decoded', async () => {
        const { api } = env();
        const response = await api.request<{ run: { actor: { id: string; name: string } } }>(
            'POST',
            '/v1/scopes/Contact/Actor__c/auto-map',
            {
                body: { values: [{ value: 'Actor Test' }] },
                actor: false,
                headers: {
                    'X-Actor-Id': '005000000000009AAA',
                    'X-Actor-Name': 'Jos%C3%A9 M%C3%BCller 100%',
                    'Idempotency-Key': 'actor-key'
                }
            }
        );
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.body.run.actor, { id: '005000000000009AAA', name: 'José Müller 100%' });
    });
});
