/**
 * Auth and team isolation: a missing or wrong key gets 401 and nothing else; team B never sees nor changes team A's
 * stages, mappings, runs or records; keys are stored hashed; logs carry neither keys nor bodies.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashApiKey } from '../src/ids.ts';
import { memoryLogger } from '../src/logger.ts';
import { ApiClient, describeEachDatabase, snapshot } from './helpers.ts';
import type { ScopeBody, StageBody } from './helpers.ts';

const logs: ReturnType<typeof memoryLogger>[] = [];

describeEachDatabase(
    'auth and team isolation',
    (env) => {
        test('the health check needs no key', async () => {
            const response = await env().api.get('/v1/health', { auth: false });
            assert.equal(response.status, 200);
        });

        test('a missing, wrong, malformed or non-Bearer key gets the same bare 401 on every endpoint', async () => {
            const { api } = env();
            const variants: (string | false)[] = [
                false,
                'Bearer sam_not_a_key',
                `Bearer ${api.apiKey}x`,
                `Basic ${Buffer.from(`user:${api.apiKey}`).toString('base64')}`,
                'Bearer',
                `bearer  ${'k'.repeat(600)}`,
                api.apiKey
            ];
            const calls: [string, string][] = [
                ['GET', '/v1/stages'],
                ['POST', '/v1/stages'],
                ['PATCH', '/v1/stages/stg_x'],
                ['DELETE', '/v1/stages/stg_x'],
                ['GET', '/v1/records'],
                ['PUT', '/v1/records'],
                ['POST', '/v1/records/move'],
                ['GET', '/v1/scopes?object=Lead'],
                ['GET', '/v1/scopes/Lead/Status'],
                ['PUT', '/v1/scopes/Lead/Status/mappings'],
                ['DELETE', '/v1/scopes/Lead/Status/mappings/Open'],
                ['POST', '/v1/scopes/Lead/Status/auto-map'],
                ['GET', '/v1/runs'],
                ['GET', '/v1/runs/run_x'],
                ['POST', '/v1/runs/run_x/undo'],
                ['GET', '/v1/no-such-route']
            ];
            const bodies = new Set<string>();
            for (const auth of variants) {
                for (const [method, path] of calls) {
                    const response = await api.request(
                        method,
                        path,
                        method === 'GET' ? { auth } : { auth, body: { values: [] } }
                    );
                    assert.equal(response.status, 401, `${method} ${path} with ${String(auth).slice(0, 20)}`);
                    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="stage-service"');
                    bodies.add(response.text);
                }
            }
            // Nothing else said: one identical body whatever was wrong and wherever.
            assert.equal(bodies.size, 1);
            assert.deepEqual(JSON.parse([...bodies][0] ?? '{}'), {
                type: 'urn:stage-automap:problem:unauthorized',
                title: 'Unauthorized',
                status: 401,
                detail: 'A valid API key is required.',
                code: 'unauthorized'
            });
        });

        test('keys are stored as SHA-256 hashes only', async () => {
            const { store, api } = env();
            const rows = await store.db.transaction('read', (tx) =>
                tx.all<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE team_id = ?', [api.teamId])
            );
            assert.deepEqual(
                rows.map((row) => row.key_hash),
                [hashApiKey(api.apiKey)]
            );
            assert.ok(!JSON.stringify(rows).includes(api.apiKey));
        });

        test('team B never sees nor changes team A data', async () => {
            const { api: a } = env();
            const b = await env().newTeam('Team B');
            // Team A: stages, records, a manual mapping, an applied run.
            const cold = await a.createStage('contact', 'Cold');
            const hot = await a.createStage('contact', 'Hot');
            assert.equal(
                (await a.put('/v1/records', { records: [{ recordId: 'a-1', family: 'contact', stageId: cold.id }] }))
                    .status,
                200
            );
            assert.equal(
                (await a.put('/v1/scopes/Lead/Status/mappings', { value: 'Cold', stageId: cold.id })).status,
                200
            );
            const applied = await a.autoMap('Lead', 'Status', { values: [{ value: 'Brand New' }] });
            assert.equal(applied.status, 200, applied.text);
            const runId = applied.body.run?.id ?? '';
            const before = await snapshot(env().store, a.teamId);

            // Reads: nothing of A.
            assert.deepEqual((await b.get<{ stages: StageBody[] }>('/v1/stages')).body.stages, []);
            assert.deepEqual((await b.get<{ records: unknown[] }>('/v1/records')).body.records, []);
            assert.equal((await b.get(`/v1/records?stageId=${cold.id}`)).status, 404);
            assert.deepEqual((await b.get<{ scopes: unknown[] }>('/v1/scopes?object=Lead')).body.scopes, []);
            const scope = await b.get<ScopeBody>('/v1/scopes/Lead/Status');
            assert.deepEqual([scope.body.stages, scope.body.mappings, scope.body.lastRun], [[], [], null]);
            assert.deepEqual((await b.get<{ runs: unknown[] }>('/v1/runs')).body.runs, []);
            assert.equal((await b.get(`/v1/runs/${runId}`)).status, 404);

            // Writes aimed at A's ids: not found, as if they did not exist.
            assert.equal((await b.patch(`/v1/stages/${cold.id}`, { name: 'Stolen' })).status, 404);
            assert.equal((await b.delete(`/v1/stages/${hot.id}`)).status, 404);
            assert.equal(
                (await b.put('/v1/records', { records: [{ recordId: 'b-1', family: 'contact', stageId: cold.id }] }))
                    .status,
                404
            );
            assert.equal((await b.post('/v1/records/move', { fromStageId: cold.id, toStageId: hot.id })).status, 404);
            assert.equal((await b.put('/v1/scopes/Lead/Status/mappings', { value: 'X', stageId: hot.id })).status, 404);
            assert.equal((await b.delete('/v1/scopes/Lead/Status/mappings/Cold')).status, 404);
            assert.equal((await b.post(`/v1/runs/${runId}/undo`)).status, 404);
            // B's own stage cannot receive A's records, and B's delete cannot move records into A's stage.
            const own = await b.createStage('contact', 'Cold');
            assert.equal((await b.delete(`/v1/stages/${own.id}?moveRecordsTo=${cold.id}`)).status, 404);
            // B's auto-map plans against B's stages only (creates its own "Brand New", maps its own "Cold").
            const bRun = await b.autoMap('Lead', 'Status', { values: [{ value: 'Brand New' }, { value: 'Cold' }] });
            assert.equal(bRun.status, 200, bRun.text);
            const outcomes = bRun.body.plan.outcomes.map((outcome) => [outcome.value, outcome.outcome]);
            assert.deepEqual(outcomes, [
                ['Brand New', 'create-and-map'],
                ['Cold', 'map-existing']
            ]);
            // The same Idempotency-Key in two teams does not collide.
            const key = 'shared-key-1';
            const a2 = await a.autoMap('Contact', 'Status', { values: [{ value: 'Hot' }] }, key);
            const b2 = await b.autoMap('Contact', 'Status', { values: [{ value: 'Cold' }] }, key);
            assert.equal(a2.status, 200);
            assert.equal(b2.status, 200);
            assert.equal(a2.headers.get('idempotent-replayed'), null);
            assert.equal(b2.headers.get('idempotent-replayed'), null);

            // A is exactly as it was, except its own Contact.Status run.
            const after = await snapshot(env().store, a.teamId);
            const minusOne = (name: string): number => (after[name] ?? 0) - 1;
            assert.deepEqual(
                {
                    ...after,
                    mappings: minusOne('mappings'),
                    runs: minusOne('runs'),
                    idempotency_keys: minusOne('idempotency_keys'),
                    'version.contact': minusOne('version.contact')
                },
                before
            );
            const aStages = await a.stages('contact');
            assert.deepEqual(
                aStages.map((stage) => stage.name),
                ['Cold', 'Hot', 'Brand New']
            );
            assert.equal(aStages[0]?.recordCount, 1);
        });

        test("a second key of another team cannot replay the first team's idempotent result", async () => {
            const a = env().api;
            const c = await env().newTeam('Team C');
            const key = 'replay-key';
            const first = await a.autoMap('Account', 'Type', { values: [{ value: 'Partner' }] }, key);
            assert.equal(first.status, 200);
            const other = await c.autoMap('Account', 'Type', { values: [{ value: 'Partner' }] }, key);
            assert.equal(other.status, 200);
            assert.equal(other.headers.get('idempotent-replayed'), null);
            assert.notEqual(other.body.run?.id, first.body.run?.id);
        });

        test('logs name the route template, status and team, never a key, a value or a body', async () => {
            const { api, url } = env();
            const secretValue = 'Very Secret Picklist Value';
            await api.autoMap('Lead', 'LeadSource', { values: [{ value: secretValue }] });
            await new ApiClient(url, { teamId: '', apiKey: 'sam_wrong_key' }).get('/v1/stages');
            const lines = logs.flatMap((logger) => logger.lines).filter((line) => line.msg === 'request');
            assert.ok(lines.length > 10);
            const text = JSON.stringify(logs.flatMap((logger) => logger.lines));
            assert.ok(!text.includes(api.apiKey), 'no key in logs');
            assert.ok(!text.includes('sam_wrong_key'), 'no wrong key in logs');
            assert.ok(!text.includes(secretValue), 'no body in logs');
            assert.ok(!text.includes('LeadSource'), 'no concrete path in logs');
            const autoMapLine = lines.find(
                (line) => line.route === '/v1/scopes/{object}/{field}/auto-map' && line.teamId === api.teamId
            );
            assert.ok(autoMapLine);
            assert.equal(autoMapLine.method, 'POST');
            assert.equal(autoMapLine.teamId, api.teamId);
            assert.equal(typeof autoMapLine.ms, 'number');
            assert.equal(autoMapLine.status, 200);
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
