/**
 * Scale out: two service processes on one PostgreSQL database, as an operator runs them behind a load balancer.
 * Racing applies (overlapping picklists, with and without expectedVersion), undos of those runs on the other
 * instance, deletes of the stages they created and of stages holding records, and manual maps, all at once across
 * both: no answer is a 5xx other than 503 with Retry-After, and afterwards every invariant holds in the database
 * itself (keys, 1:1 per scope, no orphan, undone runs fully gone, every answer recorded exactly as it said).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stageKey } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { SqlStore } from '../src/store/index.ts';
import { startChild } from './child-service.ts';
import { ApiClient, freshDatabase } from './helpers.ts';
import type { ApiResponse, AutoMapResponseBody, StageBody } from './helpers.ts';

const APPLIES = 24;

function picklist(run: number): { value: string; label?: string }[] {
    // Overlapping sets: shared values, values differing only in case, spacing or invisible characters, own values.
    return [
        { value: 'Shared A' },
        { value: 'Shared B', label: 'Shared  B' },
        { value: `shared c ${run % 4}` },
        { value: `Shared\u200b C ${(run + 1) % 4}` },
        { value: `Own ${run}` },
        { value: `OWN ${(run + 1) % APPLIES}` }
    ];
}

const answers = new Map<string, number>();

function assertAnswer(response: ApiResponse, allowed: number[], what: string): void {
    const kind = `${what.replace(/ \d+$/, '')} ${response.status}`;
    answers.set(kind, (answers.get(kind) ?? 0) + 1);
    assert.ok(allowed.includes(response.status), `${what}: ${response.status} ${response.text.slice(0, 300)}`);
    if (response.status === 503) {
        assert.ok(Number(response.headers.get('retry-after')) >= 1, `${what}: 503 says when to retry`);
    }
}

/** Every invariant, read from the database itself. */
async function assertInvariants(
    store: SqlStore,
    teamId: string,
    applied: Set<string>,
    undone: Set<string>
): Promise<void> {
    await store.db.transaction('read', async (tx) => {
        const none = async (what: string, sql: string): Promise<void> => {
            assert.deepEqual(await tx.all(sql, [teamId]), [], what);
        };
        await none(
            'no two stages of a family share a key',
            'SELECT family, key FROM stages WHERE team_id = ? GROUP BY family, key HAVING COUNT(*) > 1'
        );
        await none(
            'no value has two mappings in a scope',
            'SELECT object, field, value FROM mappings WHERE team_id = ? GROUP BY object, field, value HAVING COUNT(*) > 1'
        );
        await none(
            'no stage holds two values in a scope',
            'SELECT object, field, stage_id FROM mappings WHERE team_id = ? GROUP BY object, field, stage_id HAVING COUNT(*) > 1'
        );
        await none(
            'every mapping points to a stage of its family',
            `SELECT m.value FROM mappings m LEFT JOIN stages s ON s.team_id = m.team_id AND s.id = m.stage_id AND s.family = m.family
             WHERE m.team_id = ? AND s.id IS NULL`
        );
        await none(
            'every record is in a stage of its family',
            `SELECT r.record_id FROM records r LEFT JOIN stages s ON s.team_id = r.team_id AND s.id = r.stage_id AND s.family = r.family
             WHERE r.team_id = ? AND s.id IS NULL`
        );
        await none(
            'every auto mapping belongs to a run that is not undone',
            `SELECT m.value FROM mappings m LEFT JOIN runs r ON r.team_id = m.team_id AND r.id = m.run_id
             WHERE m.team_id = ? AND m.source = 'auto' AND (r.id IS NULL OR r.undone_at IS NOT NULL)`
        );
        const stages = await tx.all<{ name: string; key: string }>('SELECT name, key FROM stages WHERE team_id = ?', [
            teamId
        ]);
        for (const stage of stages) {
            assert.equal(stage.key, stageKey(stage.name), `stage ${JSON.stringify(stage.name)} carries its key`);
        }
        const runs = await tx.all<{ id: string; undone_at: string | null; created_stage_ids_json: string }>(
            'SELECT id, undone_at, created_stage_ids_json FROM runs WHERE team_id = ?',
            [teamId]
        );
        assert.deepEqual(new Set(runs.map((run) => run.id)), applied, 'the runs are exactly the applies answered 200');
        assert.deepEqual(
            new Set(runs.filter((run) => run.undone_at !== null).map((run) => run.id)),
            undone,
            'the undone runs are exactly the undos answered 200'
        );
        const stageIds = new Set(
            (await tx.all<{ id: string }>('SELECT id FROM stages WHERE team_id = ?', [teamId])).map((row) => row.id)
        );
        for (const run of runs.filter((candidate) => candidate.undone_at !== null)) {
            for (const id of JSON.parse(run.created_stage_ids_json) as string[]) {
                assert.ok(!stageIds.has(id), `undone run ${run.id} left its stage ${id}`);
            }
        }
    });
}

describe('two service processes on one PostgreSQL database', () => {
    test(`${APPLIES} racing applies, their undos and deletes across both keep every invariant`, async (t) => {
        const database = await freshDatabase('postgres');
        const store = await database.open();
        const env = { DATABASE_URL: database.location, SEED_DEMO: '', PG_POOL_SIZE: '6', PG_READ_POOL_SIZE: '3' };
        const children = await Promise.all([startChild(env), startChild(env)]);
        try {
            const team = await store.createTeam('Two instances');
            const [one, two] = children.map((child) => new ApiClient(child.url, team)) as [ApiClient, ApiClient];
            const other = (api: ApiClient): ApiClient => (api === one ? two : one);
            // Stages with records, for deletes that move records while applies map to them.
            const held: StageBody[] = [];
            for (const name of ['Shared A', 'Holding 1', 'Holding 2', 'Holding 3']) {
                held.push(await one.createStage('contact', name));
            }
            const records = held.flatMap((stage, index) =>
                Array.from({ length: 5 }, (_, n) => ({
                    recordId: `r-${index}-${n}`,
                    family: 'contact',
                    stageId: stage.id
                }))
            );
            assert.equal((await two.put('/v1/records', { records })).status, 200);
            const { version } = await one.scope('Lead', 'Race__c');

            const applied = new Set<string>();
            const undone = new Set<string>();
            const work: Promise<void>[] = [];
            for (let run = 0; run < APPLIES; run += 1) {
                const api = run % 2 === 0 ? one : two;
                work.push(
                    (async () => {
                        const response: ApiResponse<AutoMapResponseBody> = await api.autoMap(
                            run % 3 === 0 ? 'Contact' : 'Lead',
                            'Race__c',
                            { values: picklist(run), ...(run % 4 === 0 ? { expectedVersion: version } : {}) },
                            `race-${run}`
                        );
                        assertAnswer(response, [200, 409, 503], `apply ${run}`);
                        if (response.status !== 200 || !response.body.run) {
                            return;
                        }
                        applied.add(response.body.run.id);
                        if (run % 3 === 1) {
                            // Undo it on the other instance while the others race on.
                            const undo = await other(api).post(`/v1/runs/${response.body.run.id}/undo`);
                            assertAnswer(undo, [200, 409, 503], `undo of apply ${run}`);
                            if (undo.status === 200) {
                                undone.add(response.body.run.id);
                            }
                        } else if (run % 3 === 2 && response.body.createdStages[0]) {
                            const deleted = await other(api).delete(`/v1/stages/${response.body.createdStages[0].id}`);
                            assertAnswer(deleted, [200, 404, 409, 503], `delete after apply ${run}`);
                        }
                    })()
                );
                if (run % 6 === 0) {
                    const stage = held[1 + ((run / 6) % 3)];
                    const target = held[1 + ((run / 6 + 1) % 3)];
                    work.push(
                        (async () => {
                            const moved = await other(api).delete(
                                `/v1/stages/${stage?.id ?? ''}?moveRecordsTo=${target?.id ?? ''}`
                            );
                            assertAnswer(moved, [200, 404, 503], `delete with move ${run}`);
                        })()
                    );
                    work.push(
                        (async () => {
                            const manual = await api.put('/v1/scopes/Lead/Race__c/mappings', {
                                value: `Manual ${run}`,
                                stageId: held[0]?.id ?? ''
                            });
                            assertAnswer(manual, [200, 404, 409, 503], `manual map ${run}`);
                        })()
                    );
                }
            }
            await Promise.all(work);
            t.diagnostic(`answers: ${JSON.stringify(Object.fromEntries([...answers].sort()))}`);
            assert.ok(applied.size > 0, 'some applies went through');
            assert.ok(undone.size > 0, 'some undos went through');
            await assertInvariants(store, team.teamId, applied, undone);
            // Both instances still answer, and agree.
            const [first, second] = await Promise.all([one.scope('Lead', 'Race__c'), two.scope('Lead', 'Race__c')]);
            assert.deepEqual(first, second);
        } finally {
            for (const child of children) {
                child.process.kill('SIGTERM');
            }
            await Promise.all(children.map((child) => child.exited));
            await store.close();
            await database.remove();
        }
    });
});
