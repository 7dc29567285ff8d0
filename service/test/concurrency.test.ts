/**
 * Concurrency: overlapping auto-map runs on one scope, through HTTP, at once, on both databases. Afterwards no
 * family has two stages with one key, no value has two mappings, no stage has two values in a scope, and every run
 * either applied or got a 409 state-changed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../src/logger.ts';
import { startService } from '../src/server.ts';
import type { SqlStore } from '../src/store/index.ts';
import { ApiClient, describeEachDatabase } from './helpers.ts';
import type { ApiResponse, AutoMapResponseBody } from './helpers.ts';

const RUNS = 16;

/** The invariants, checked in the database itself. */
async function assertInvariants(store: SqlStore, teamId: string): Promise<void> {
    await store.db.transaction('read', async (tx) => {
        const duplicateKeys = await tx.all(
            'SELECT family, key, COUNT(*) AS n FROM stages WHERE team_id = ? GROUP BY family, key HAVING COUNT(*) > 1',
            [teamId]
        );
        assert.deepEqual(duplicateKeys, [], 'no two stages of a family share a key');
        const valueTwice = await tx.all(
            'SELECT object, field, value, COUNT(*) AS n FROM mappings WHERE team_id = ? GROUP BY object, field, value HAVING COUNT(*) > 1',
            [teamId]
        );
        assert.deepEqual(valueTwice, [], 'no value with two mappings');
        const stageTwice = await tx.all(
            'SELECT object, field, stage_id, COUNT(*) AS n FROM mappings WHERE team_id = ? GROUP BY object, field, stage_id HAVING COUNT(*) > 1',
            [teamId]
        );
        assert.deepEqual(stageTwice, [], 'no stage with two values in a scope');
        const orphans = await tx.all(
            'SELECT m.value FROM mappings m LEFT JOIN stages s ON s.id = m.stage_id AND s.team_id = m.team_id WHERE m.team_id = ? AND s.id IS NULL',
            [teamId]
        );
        assert.deepEqual(orphans, [], 'every mapping points to a stage');
    });
}

function picklist(run: number): { value: string; label?: string }[] {
    // Overlapping sets: shared values, values differing only in case and spacing (one key), values of their own.
    return [
        { value: 'Shared A' },
        { value: 'Shared B', label: 'Shared  B' },
        { value: `shared c ${run % 4}` },
        { value: `Own ${run}` },
        { value: `OWN ${(run + 1) % RUNS}` },
        { value: `Label Only ${run}`, label: 'Common Label' }
    ];
}

describeEachDatabase('concurrency', (env) => {
    test(`${RUNS} overlapping applies with the same expectedVersion: one applies, the others get 409, invariants hold`, async () => {
        const { api, store } = env();
        await api.createStage('contact', 'Shared A');
        const { version } = await api.scope('Lead', 'Status');
        const responses: ApiResponse<AutoMapResponseBody>[] = await Promise.all(
            Array.from({ length: RUNS }, (_, run) =>
                api.autoMap(
                    'Lead',
                    'Status',
                    { values: picklist(run), expectedVersion: version },
                    `same-version-${run}`
                )
            )
        );
        const statuses = responses.map((response) => response.status);
        assert.ok(
            statuses.every((status) => status === 200 || status === 409),
            statuses.join(',')
        );
        assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(','));
        for (const response of responses.filter((candidate) => candidate.status === 409)) {
            assert.equal(response.body.code, 'state-changed');
        }
        const runs = await api.get<{ runs: unknown[] }>('/v1/runs?object=Lead&field=Status');
        assert.equal(runs.body.runs.length, 1);
        assert.equal((await api.scope('Lead', 'Status')).version, version + 1);
        await assertInvariants(store, api.teamId);
    });

    test(`${RUNS} overlapping applies without expectedVersion on two scopes of one family: all apply, one after another`, async () => {
        const { api, store } = env();
        const responses = await Promise.all(
            Array.from({ length: RUNS }, (_, run) =>
                api.autoMap(
                    run % 2 === 0 ? 'Contact' : 'Lead',
                    'Race__c',
                    { values: picklist(run) },
                    `no-version-${run}`
                )
            )
        );
        assert.deepEqual(
            responses.map((response) => response.status),
            Array.from({ length: RUNS }, () => 200)
        );
        await assertInvariants(store, api.teamId);
        for (const object of ['Contact', 'Lead']) {
            const state = await api.scope(object, 'Race__c');
            const values = new Set(state.mappings.map((mapping) => mapping.value));
            assert.ok(values.has('Shared A') && values.has('Shared B'), object);
            // Each created stage was created once: the family's stage names have distinct keys.
            const keys = state.stages.map((stage) => stage.name.toLowerCase().replace(/\s+/g, ' ').trim());
            assert.equal(new Set(keys).size, keys.length);
        }
        const created = responses.flatMap((response) => response.body.createdStages.map((stage) => stage.id));
        assert.equal(new Set(created).size, created.length, 'no stage created twice');
    });

    test('the same Idempotency-Key sent 8 times at once applies once; every answer is that one result', async () => {
        const { api, store } = env();
        const body = { values: [{ value: 'Idem One' }, { value: 'Idem Two' }] };
        const responses = await Promise.all(
            Array.from({ length: 8 }, () => api.autoMap('Contact', 'Idem__c', body, 'one-key'))
        );
        assert.deepEqual(
            responses.map((response) => response.status),
            Array.from({ length: 8 }, () => 200)
        );
        const runIds = new Set(responses.map((response) => response.body.run?.id));
        assert.equal(runIds.size, 1);
        assert.equal(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true').length, 7);
        assert.equal((await api.get<{ runs: unknown[] }>('/v1/runs?object=Contact&field=Idem__c')).body.runs.length, 1);
        await assertInvariants(store, api.teamId);
    });

    test('manual maps, unmaps, stage renames and deletes racing auto-maps keep the invariants', async () => {
        const { api, store } = env();
        const stages = await Promise.all(
            Array.from({ length: 6 }, (_, index) => api.createStage('account', `Race Stage ${index}`))
        );
        const work: Promise<ApiResponse>[] = [];
        for (let round = 0; round < 6; round += 1) {
            const stage = stages[round];
            work.push(
                api.autoMap(
                    'Account',
                    'Mixed__c',
                    { values: [{ value: `Race Stage ${round}` }, { value: `Fresh ${round}` }] },
                    `mixed-${round}`
                )
            );
            work.push(
                api.put('/v1/scopes/Account/Mixed__c/mappings', {
                    value: `Manual ${round % 3}`,
                    stageId: stage?.id ?? ''
                })
            );
            work.push(
                api.delete(
                    `/v1/scopes/Account/Mixed__c/mappings/${encodeURIComponent(`Race Stage ${(round + 1) % 6}`)}`
                )
            );
            work.push(api.patch(`/v1/stages/${stage?.id ?? ''}`, { name: `Race Stage ${round} renamed` }));
            if (round % 3 === 2) {
                work.push(api.delete(`/v1/stages/${stages[round - 1]?.id ?? ''}`));
            }
        }
        const responses = await Promise.all(work);
        for (const response of responses) {
            assert.ok(response.status < 500, `${response.status} ${response.text.slice(0, 200)}`);
        }
        await assertInvariants(store, api.teamId);
    });

    test(`two service instances over one database: ${RUNS} applies split between them, one applies`, async () => {
        const { api, store, database } = env();
        const secondStore = await database.open();
        const second = await startService({ store: secondStore, port: 0, logger: silentLogger() });
        try {
            const other = new ApiClient(second.url, { teamId: api.teamId, apiKey: api.apiKey });
            const { version } = await api.scope('Contact', 'Instances__c');
            const responses = await Promise.all(
                Array.from({ length: RUNS }, (_, run) =>
                    (run % 2 === 0 ? api : other).autoMap(
                        'Contact',
                        'Instances__c',
                        { values: picklist(run), expectedVersion: version },
                        `instances-${run}`
                    )
                )
            );
            const statuses = responses.map((response) => response.status);
            assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(','));
            assert.equal(statuses.filter((status) => status === 409).length, RUNS - 1, statuses.join(','));
            await assertInvariants(store, api.teamId);
        } finally {
            await second.close();
            await secondStore.close();
        }
    });
});
