/**
 * Created stages get their meaning from the picklist (issue 12): an auto-map's `categories` give the stages it
 * creates their category, the created stages take the picklist's order after the family's last stage, and the run
 * says how many it created of each category (`createdCategories`) and that it is an auto-map (`kind`, `fixCounts`
 * all zero). Keys outside the request's values and unknown categories are refused; the idempotency hash covers them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, snapshot } from './helpers.ts';
import type { ApiClient, AutoMapResponseBody, RunSummaryBody, StageBody } from './helpers.ts';

interface ProblemBody {
    code: string;
    detail: string;
    errors?: { field: string; message: string }[];
}

const NO_FIXES = { 'probable-rename': 0, 'value-removed': 0, 'label-changed': 0, 'new-value': 0 };

async function applied(
    api: ApiClient,
    field: string,
    body: Record<string, unknown>,
    key?: string
): Promise<AutoMapResponseBody> {
    const response = await api.autoMap('Lead', field, body, key);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.status, 'applied');
    return response.body;
}

function byName(stages: readonly StageBody[]): Map<string, StageBody> {
    return new Map(stages.map((stage) => [stage.name, stage]));
}

describeEachDatabase('created stages: categories and order', (env) => {
    test('each created stage gets the category of its value; absent and null are none; others are ignored', async () => {
        const api = await env().newTeam('Categories');
        await api.createStage('contact', 'Working');
        const body = await applied(api, 'Status', {
            values: [
                { value: 'Working' },
                { value: 'Converted' },
                { value: 'Lost' },
                { value: 'Open' },
                { value: 'Nurture' },
                { value: 'Parked' },
                { value: 'Old', active: false }
            ],
            categories: {
                // map-existing, skip-inactive: ignored.
                Working: 'failed',
                Old: 'succeeded',
                Converted: 'succeeded',
                Lost: 'failed',
                Open: 'in_progress',
                Parked: null
            }
        });
        assert.deepEqual(
            body.createdStages.map((stage) => [stage.name, stage.category]),
            [
                ['Converted', 'succeeded'],
                ['Lost', 'failed'],
                ['Open', 'in_progress'],
                ['Nurture', null],
                ['Parked', null]
            ]
        );
        const run = body.run as RunSummaryBody;
        assert.equal(run.kind, 'auto-map');
        assert.deepEqual(run.createdCategories, { in_progress: 1, succeeded: 1, failed: 1, none: 2 });
        assert.deepEqual(run.fixCounts, NO_FIXES);
        // The stages keep it; the existing stage is untouched; history and the run say the same.
        const stages = byName(await api.stages('contact'));
        assert.equal(stages.get('Working')?.category, null);
        assert.equal(stages.get('Converted')?.category, 'succeeded');
        const history = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Status');
        assert.deepEqual(history.body.runs[0]?.createdCategories, run.createdCategories);
        const stored = await api.get<RunSummaryBody>(`/v1/runs/${run.id}`);
        assert.deepEqual([stored.body.kind, stored.body.createdCategories], ['auto-map', run.createdCategories]);
        assert.equal((await api.scope('Lead', 'Status')).lastRun?.createdCategories.none, 2);
        // A run that creates nothing counts zeros, every key present; an undone run keeps its counts.
        const nothing = await applied(api, 'Status', { values: [{ value: 'Working' }] });
        assert.deepEqual(nothing.run?.createdCategories, { in_progress: 0, succeeded: 0, failed: 0, none: 0 });
        const undo = await api.post<{ run: RunSummaryBody }>(`/v1/runs/${run.id}/undo`);
        assert.equal(undo.status, 200, undo.text);
        assert.deepEqual(undo.body.run.createdCategories, run.createdCategories);
        assert.deepEqual(undo.body.run.fixCounts, NO_FIXES);
    });

    test('the created stages take the picklist order after the family last stage, whatever their names', async () => {
        const api = await env().newTeam('Order');
        const first = await api.createStage('contact', 'Zeta');
        const second = await api.createStage('contact', 'Alpha');
        // A stage moved far down: created stages go after it.
        const moved = await api.patch<StageBody>(`/v1/stages/${second.id}`, { displayOrder: 40 });
        assert.equal(moved.status, 200, moved.text);
        const body = await applied(api, 'Status', {
            values: [{ value: 'Zulu' }, { value: 'Alpha' }, { value: 'Mike' }, { value: 'Bravo' }, { value: 'Zeta' }],
            categories: { Mike: 'succeeded' }
        });
        assert.deepEqual(
            body.createdStages.map((stage) => [stage.name, stage.displayOrder]),
            [
                ['Zulu', 41],
                ['Mike', 42],
                ['Bravo', 43]
            ]
        );
        // The family lists them in that order, after the stages that were there.
        assert.deepEqual(
            (await api.stages('contact')).map((stage) => stage.name),
            [first.name, second.name, 'Zulu', 'Mike', 'Bravo']
        );
        // The next run's stages go after these, in its own picklist order.
        const next = await applied(api, 'Rating', { values: [{ value: 'Yankee' }, { value: 'Echo' }] });
        assert.deepEqual(
            next.createdStages.map((stage) => [stage.name, stage.displayOrder]),
            [
                ['Yankee', 44],
                ['Echo', 45]
            ]
        );
    });

    test('a key outside the values or a category outside the four is 422 naming it; nothing changes', async () => {
        const { store } = env();
        const api = await env().newTeam('Bad categories');
        const before = await snapshot(store, api.teamId);
        const values = [{ value: 'Open' }, { value: 'Closed' }];
        const cases: [unknown, string, RegExp][] = [
            [{ Opened: 'succeeded' }, 'invalid-categories', /"Opened" is not among body\.values/],
            [{ Open: 'succeeded', constructor: null }, 'invalid-categories', /"constructor"/],
            [{ Open: 'won' }, 'invalid-body', /body\.categories/],
            [{ Open: 'Succeeded' }, 'invalid-body', /body\.categories/],
            [{ Open: 1 }, 'invalid-body', /body\.categories/],
            [['succeeded'], 'invalid-body', /body\.categories/],
            ['succeeded', 'invalid-body', /body\.categories/]
        ];
        for (const [categories, code, detail] of cases) {
            for (const dryRun of [false, true]) {
                const response = await api.autoMap(
                    'Lead',
                    'Status',
                    { values, categories, dryRun },
                    dryRun ? null : undefined
                );
                const problem = response.body as unknown as ProblemBody;
                assert.equal(response.status, 422, `${JSON.stringify(categories)}: ${response.text}`);
                assert.equal(problem.code, code, JSON.stringify(categories));
                assert.match(problem.detail, detail);
                assert.ok(
                    problem.errors?.some((error) => error.field.startsWith('body.categories')),
                    response.text
                );
            }
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
        // Every category and none, accepted in a dry run (which creates nothing, so counts nothing).
        const planned = await api.autoMap(
            'Lead',
            'Status',
            { values, categories: { Open: 'in_progress', Closed: null }, dryRun: true },
            null
        );
        assert.equal(planned.status, 200, planned.text);
        assert.equal(planned.body.run, null);
    });

    test('the Idempotency-Key hash covers the categories: another category with the same key is refused', async () => {
        const { store } = env();
        const api = await env().newTeam('Idempotent categories');
        const body = { values: [{ value: 'Won' }], categories: { Won: 'succeeded' } };
        const first = await applied(api, 'Status', body, 'categories-key');
        const replay = await api.autoMap('Lead', 'Status', body, 'categories-key');
        assert.equal(replay.status, 200);
        assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
        assert.deepEqual(replay.body, first);
        const before = await snapshot(store, api.teamId);
        for (const categories of [{ Won: 'failed' }, { Won: null }, {}]) {
            const other = await api.autoMap('Lead', 'Status', { ...body, categories }, 'categories-key');
            assert.equal(other.status, 422, other.text);
            assert.equal((other.body as unknown as ProblemBody).code, 'idempotency-key-reused');
        }
        const without = await api.autoMap('Lead', 'Status', { values: body.values }, 'categories-key');
        assert.equal(without.status, 422, without.text);
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('an answer stored before runs had a kind and counts is replayed in today shape', async () => {
        const { store } = env();
        const api = await env().newTeam('Old answer');
        const body = { values: [{ value: 'A' }, { value: 'B' }] };
        const first = await applied(api, 'Status', body, 'old-key');
        // As a service before migration 003 stored it: the run without kind, createdCategories, fixCounts.
        const oldRun: Partial<RunSummaryBody> = { ...(first.run as RunSummaryBody) };
        delete oldRun.kind;
        delete oldRun.createdCategories;
        delete oldRun.fixCounts;
        await store.db.transaction('write', (tx) =>
            tx.run('UPDATE idempotency_keys SET response_json = ? WHERE team_id = ? AND key = ?', [
                JSON.stringify({ ...first, run: oldRun }),
                api.teamId,
                'old-key'
            ])
        );
        const replay = await api.autoMap('Lead', 'Status', body, 'old-key');
        assert.equal(replay.status, 200, replay.text);
        const run = replay.body.run;
        assert.ok(run);
        assert.equal(run.kind, 'auto-map');
        assert.deepEqual(run.createdCategories, { in_progress: 0, succeeded: 0, failed: 0, none: 2 });
        assert.deepEqual(run.fixCounts, NO_FIXES);
    });
});
