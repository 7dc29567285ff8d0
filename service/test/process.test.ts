/**
 * The service as a process (`service/src/main.ts`, as `npm run service` starts it): the demo seed and its printed
 * key, a graceful shutdown that lets an in-flight apply finish, and crashes: SIGKILL in the middle of an apply that
 * fills the family to its cap (1,000 stages with the demo's) leaves all of it or none of it, on SQLite and on
 * PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_STAGES_PER_FAMILY } from '../src/limits.ts';
import { DEMO_STAGES } from '../src/seed.ts';
import { CHILD_DEMO_KEY, startChild } from './child-service.ts';
import { ApiClient, DB_KINDS, postgres, values } from './helpers.ts';
import type { AutoMapResponseBody, DbKind } from './helpers.ts';

const KEY = CHILD_DEMO_KEY;
/** The values of the big apply: as many stages as the contact family has room for beside the demo's. */
const BIG = MAX_STAGES_PER_FAMILY - DEMO_STAGES.contact.length;

/** Where a process test keeps its data: a temp folder (SQLite) or a fresh PostgreSQL database. */
interface Storage {
    env: Record<string, string>;
    remove(): Promise<void>;
}

async function storage(kind: DbKind): Promise<Storage> {
    if (kind === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'sam-process-'));
        return {
            env: { DATA_DIR: dir, DATABASE_URL: '' },
            remove: () => {
                rmSync(dir, { recursive: true, force: true });
                return Promise.resolve();
            }
        };
    }
    const database = await (await postgres()).createDatabase();
    return { env: { DATABASE_URL: database.url }, remove: () => database.drop() };
}

function client(url: string): ApiClient {
    return new ApiClient(url, { teamId: '', apiKey: KEY });
}

/** How much of the big run is in the database: created stages, mappings and runs of the scope. */
async function bigRunState(url: string): Promise<{ mappings: number; stages: number; runs: number }> {
    const api = client(url);
    const state = await api.scope('Lead', 'Crash__c');
    const runs = await api.get<{ runs: unknown[] }>('/v1/runs?object=Lead&field=Crash__c');
    return {
        mappings: state.mappings.length,
        stages: state.stages.filter((stage) => stage.name.startsWith('Crash ')).length,
        runs: runs.body.runs.length
    };
}

function bigApply(url: string): Promise<unknown> {
    return fetch(`${url}/v1/scopes/Lead/Crash__c/auto-map`, {
        method: 'POST',
        headers: {
            Authorization: `Bearer ${KEY}`,
            'Content-Type': 'application/json',
            'X-Actor-Id': '005',
            'X-Actor-Name': 'Crash Test',
            'Idempotency-Key': `crash-${Math.random()}`
        },
        body: JSON.stringify({ values: values(BIG, 'Crash') })
    }).then(
        (response) => response.text(),
        (error: unknown) => error
    );
}

describe('the service process', () => {
    for (const kind of DB_KINDS) {
        test(`first start seeds the demo team and prints its key; a restart does not seed again [${kind}]`, async () => {
            const store = await storage(kind);
            try {
                const first = await startChild(store.env);
                assert.match(first.stdout(), new RegExp(`Demo team API key: ${KEY}`));
                assert.equal(first.logs.find((line) => line.msg === 'listening')?.demoSeeded, true);
                const api = client(first.url);
                const contact = await api.stages('contact');
                assert.deepEqual(
                    contact.map((stage) => stage.name),
                    DEMO_STAGES.contact.map((stage) => stage.name)
                );
                assert.deepEqual(
                    contact.map((stage) => stage.category),
                    DEMO_STAGES.contact.map((stage) => stage.category)
                );
                assert.ok(contact.every((stage) => stage.recordCount > 0));
                assert.deepEqual(
                    (await api.stages('account')).map((stage) => stage.name),
                    DEMO_STAGES.account.map((stage) => stage.name)
                );
                const health = await fetch(`${first.url}/v1/health`);
                assert.equal(health.status, 200);
                first.process.kill('SIGTERM');
                assert.deepEqual(await first.exited, { code: 0, signal: null });

                const second = await startChild(store.env);
                assert.equal(second.logs.find((line) => line.msg === 'listening')?.demoSeeded, false);
                assert.equal((await client(second.url).stages('contact')).length, DEMO_STAGES.contact.length);
                second.process.kill('SIGINT');
                assert.deepEqual(await second.exited, { code: 0, signal: null });
            } finally {
                await store.remove();
            }
        });

        test(`without SEED_DEMO nothing is seeded and no key is printed; it says how to add a customer [${kind}]`, async () => {
            const store = await storage(kind);
            try {
                const child = await startChild({ ...store.env, SEED_DEMO: '' });
                assert.doesNotMatch(child.stdout(), /API key/);
                assert.doesNotMatch(child.stdout(), new RegExp(KEY));
                assert.match(child.stdout(), /service:admin -- team create/);
                assert.equal(child.logs.find((line) => line.msg === 'listening')?.demoSeeded, false);
                assert.equal(
                    (await fetch(`${child.url}/v1/stages`, { headers: { Authorization: `Bearer ${KEY}` } })).status,
                    401
                );
                child.process.kill('SIGTERM');
                assert.deepEqual(await child.exited, { code: 0, signal: null });
            } finally {
                await store.remove();
            }
        });

        test(`SIGKILL in the middle of the demo seed leaves nothing; the next start seeds it whole [${kind}]`, async () => {
            const store = await storage(kind);
            try {
                const child = await startChild(
                    { ...store.env, STAGE_SERVICE_TEST_SEED_DELAY_MS: '10000' },
                    'test-seed-delay'
                );
                child.process.kill('SIGKILL');
                assert.equal((await child.exited).signal, 'SIGKILL');
                const restarted = await startChild(store.env);
                assert.equal(restarted.logs.find((line) => line.msg === 'listening')?.demoSeeded, true);
                const api = client(restarted.url);
                assert.deepEqual(
                    (await api.stages('contact')).map((stage) => stage.name),
                    DEMO_STAGES.contact.map((stage) => stage.name)
                );
                assert.deepEqual(
                    (await api.stages('account')).map((stage) => stage.name),
                    DEMO_STAGES.account.map((stage) => stage.name)
                );
                restarted.process.kill('SIGTERM');
                await restarted.exited;
            } finally {
                await store.remove();
            }
        });

        test(`SIGTERM lets an in-flight apply finish, then closes the database and exits 0 [${kind}]`, async () => {
            const store = await storage(kind);
            try {
                const child = await startChild({ ...store.env, STAGE_SERVICE_TEST_APPLY_DELAY_MS: '800' });
                const inFlight = fetch(`${child.url}/v1/scopes/Contact/Graceful__c/auto-map`, {
                    method: 'POST',
                    headers: {
                        Authorization: `Bearer ${KEY}`,
                        'Content-Type': 'application/json',
                        'X-Actor-Id': '005',
                        'X-Actor-Name': 'Graceful',
                        'Idempotency-Key': 'graceful'
                    },
                    body: JSON.stringify({ values: [{ value: 'Graceful One' }, { value: 'Graceful Two' }] })
                });
                await child.waitFor('test-apply-delay');
                child.process.kill('SIGTERM');
                const response = await inFlight;
                assert.equal(response.status, 200);
                const body = (await response.json()) as AutoMapResponseBody;
                assert.equal(body.createdStages.length, 2);
                assert.deepEqual(await child.exited, { code: 0, signal: null });
                const messages = child.logs.map((line) => line.msg);
                assert.ok(messages.indexOf('shutting-down') < messages.indexOf('stopped'));
                const restarted = await startChild(store.env);
                assert.equal((await client(restarted.url).scope('Contact', 'Graceful__c')).mappings.length, 2);
                restarted.process.kill('SIGTERM');
                await restarted.exited;
            } finally {
                await store.remove();
            }
        });

        test(`SIGKILL in the middle of a family-filling apply leaves none of it; a restart works [${kind}]`, async () => {
            const store = await storage(kind);
            try {
                const child = await startChild({ ...store.env, STAGE_SERVICE_TEST_APPLY_DELAY_MS: '10000' });
                const request = bigApply(child.url);
                // The hook logs once the run and its stages are inserted, inside the open transaction.
                const paused = await child.waitFor('test-apply-delay');
                assert.equal(paused.stages, BIG);
                child.process.kill('SIGKILL');
                assert.equal((await child.exited).signal, 'SIGKILL');
                assert.ok((await request) instanceof Error, 'the request never got an answer');

                const restarted = await startChild(store.env);
                assert.deepEqual(await bigRunState(restarted.url), { mappings: 0, stages: 0, runs: 0 });
                // The database is fine: the same apply now goes through whole.
                const response = await client(restarted.url).autoMap('Lead', 'Crash__c', {
                    values: values(BIG, 'Crash')
                });
                assert.equal(response.status, 200);
                assert.deepEqual(await bigRunState(restarted.url), { mappings: BIG, stages: BIG, runs: 1 });
                restarted.process.kill('SIGTERM');
                await restarted.exited;
            } finally {
                await store.remove();
            }
        });

        test(`SIGKILL at a random moment of a family-filling apply leaves all of it or none [${kind}]`, async () => {
            const store = await storage(kind);
            try {
                for (const delay of [5, 40, 120]) {
                    const child = await startChild(store.env);
                    const before = await bigRunState(child.url);
                    const request = bigApply(child.url);
                    await new Promise((resolve) => setTimeout(resolve, delay));
                    child.process.kill('SIGKILL');
                    await child.exited;
                    await request;
                    const restarted = await startChild(store.env);
                    const state = await bigRunState(restarted.url);
                    const added = {
                        mappings: state.mappings - before.mappings,
                        stages: state.stages - before.stages,
                        runs: state.runs - before.runs
                    };
                    assert.ok(
                        (added.mappings === 0 && added.stages === 0 && added.runs === 0) ||
                            (added.mappings === BIG && added.stages === BIG && added.runs === 1),
                        `kill after ${delay} ms: ${JSON.stringify(added)}`
                    );
                    restarted.process.kill('SIGTERM');
                    await restarted.exited;
                    if (added.runs === 1) {
                        break; // once applied, the next apply maps nothing new
                    }
                }
            } finally {
                await store.remove();
            }
        });
    }
});
