/**
 * Auto-map runs: dry run, apply, the version check with the fresh plan, Idempotency-Key replay, history, and undo
 * with each of its refusals.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, snapshot, values } from './helpers.ts';
import type { ApiClient, AutoMapResponseBody, RunSummaryBody, ScopeBody, UndoBlockerBody } from './helpers.ts';

interface ConflictBody {
    code: string;
    detail: string;
    version: number;
    plan: AutoMapResponseBody['plan'];
}

interface UndoRefusal {
    code: string;
    detail: string;
    blockers: UndoBlockerBody[];
    blockerCount: number;
}

interface RunBody extends RunSummaryBody {
    outcomes: { value: string; outcome: string }[];
    createdStageIds: string[];
    createdMappings: { value: string; stageId: string }[];
}

/** A blocker as `kind:value` (or its stage), to compare lists. */
function kindOf(blocker: UndoBlockerBody): string {
    return `${blocker.kind}:${blocker.value ?? blocker.stageName ?? blocker.stageId ?? ''}`;
}

async function apply(
    api: ApiClient,
    object: string,
    field: string,
    body: Record<string, unknown>
): Promise<AutoMapResponseBody> {
    const response = await api.autoMap(object, field, body);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.status, 'applied');
    return response.body;
}

describeEachDatabase('auto-map', (env) => {
    test('a dry run returns the plan with suggestions and changes nothing (no key needed)', async () => {
        const { api, store } = env();
        await api.createStage('contact', 'Interested');
        const before = await snapshot(store, api.teamId);
        const response = await api.autoMap(
            'Lead',
            'Status',
            {
                values: [
                    { value: 'Interested' },
                    { value: 'Open', label: 'Open - Not Contacted' },
                    { value: 'Old', active: false }
                ],
                dryRun: true
            },
            null
        );
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.status, 'planned');
        assert.equal(response.body.run, null);
        assert.deepEqual(response.body.createdStages, []);
        assert.equal(response.body.version, before['version.contact']);
        assert.deepEqual(
            response.body.plan.outcomes.map((outcome) => outcome.outcome),
            ['map-existing', 'create-and-map', 'skip-inactive']
        );
        assert.deepEqual(await snapshot(store, api.teamId), before);
        // A dry run with a stale expectedVersion still just plans.
        const stale = await api.autoMap(
            'Lead',
            'Status',
            { values: [{ value: 'X' }], dryRun: true, expectedVersion: 0 },
            null
        );
        assert.equal(stale.status, 200);
    });

    test('apply creates the stages and mappings, records the run, returns the outcomes and the new version', async () => {
        const { api } = env();
        const existing = await api.createStage('account', 'Customer');
        const state = await api.scope('Account', 'Type');
        const body = await apply(api, 'Account', 'Type', {
            values: [
                { value: 'Customer' },
                { value: 'Partner', label: '  Channel   Partner ' },
                { value: 'Prospect' },
                { value: 'Legacy', active: false }
            ],
            expectedVersion: state.version
        });
        assert.equal(body.version, state.version + 1);
        assert.deepEqual(
            body.plan.outcomes.map((outcome) => [outcome.value, outcome.outcome]),
            [
                ['Customer', 'map-existing'],
                ['Partner', 'create-and-map'],
                ['Prospect', 'create-and-map'],
                ['Legacy', 'skip-inactive']
            ]
        );
        assert.deepEqual(
            body.createdStages.map((stage) => [stage.name, stage.family, stage.recordCount]),
            [
                ['Channel Partner', 'account', 0],
                ['Prospect', 'account', 0]
            ]
        );
        assert.ok(body.run);
        assert.deepEqual(body.run.actor, { id: '005000000000001AAA', name: 'Ada Admin' });
        assert.equal(body.run.summary.counts['create-and-map'], 2);
        const after = await api.scope('Account', 'Type');
        assert.equal(after.version, body.version);
        assert.deepEqual(
            after.mappings.map((mapping) => [mapping.value, mapping.source, mapping.runId]),
            [
                ['Customer', 'auto', body.run.id],
                ['Partner', 'auto', body.run.id],
                ['Prospect', 'auto', body.run.id]
            ]
        );
        assert.equal(after.mappings.find((mapping) => mapping.value === 'Customer')?.stageId, existing.id);
        assert.equal(after.lastRun?.id, body.run.id);
        // Running again maps nothing new and never changes an existing mapping; the version stays.
        const again = await apply(api, 'Account', 'Type', { values: [{ value: 'Customer' }, { value: 'Partner' }] });
        assert.deepEqual(
            again.plan.outcomes.map((outcome) => outcome.outcome),
            ['already-mapped', 'already-mapped']
        );
        assert.equal(again.version, body.version);
        assert.deepEqual(again.createdStages, []);
    });

    test('a stale expectedVersion is a 409 with the current version and the fresh plan; nothing applied', async () => {
        const { api, store } = env();
        const start = (await api.scope('Contact', 'Status')).version;
        // Another scope of the same family creates a stage: this scope's plan changes, and so does the version.
        await apply(api, 'Lead', 'Industry__c', { values: [{ value: 'Replied' }] });
        const before = await snapshot(store, api.teamId);
        const response = await api.autoMap('Contact', 'Status', {
            values: [{ value: 'Replied' }, { value: 'Bounced' }],
            expectedVersion: start
        });
        assert.equal(response.status, 409, response.text);
        assert.equal(response.headers.get('content-type'), 'application/problem+json');
        const problem = response.body as unknown as ConflictBody;
        assert.equal(problem.code, 'state-changed');
        assert.equal(problem.version, start + 1);
        assert.match(problem.detail, /nothing was applied/);
        assert.deepEqual(
            problem.plan.outcomes.map((outcome) => [outcome.value, outcome.outcome]),
            [
                ['Replied', 'map-existing'],
                ['Bounced', 'create-and-map']
            ]
        );
        assert.deepEqual(await snapshot(store, api.teamId), before);
        // With the version from the conflict, the apply goes through.
        const retried = await apply(api, 'Contact', 'Status', {
            values: [{ value: 'Replied' }, { value: 'Bounced' }],
            expectedVersion: problem.version
        });
        assert.equal(retried.version, problem.version + 1);
    });

    test('Idempotency-Key: a retry returns the first result and applies nothing; another body with it is a 422', async () => {
        const { api, store } = env();
        const key = 'retry-key-1';
        const request = { values: [{ value: 'Alpha' }, { value: 'Beta' }] };
        const first = await api.autoMap('Lead', 'Idem__c', request, key);
        assert.equal(first.status, 200);
        assert.equal(first.headers.get('idempotent-replayed'), null);
        const before = await snapshot(store, api.teamId);
        // Same body with keys in another order: the same request.
        const retry = await api.autoMap('Lead', 'Idem__c', { values: [{ value: 'Alpha' }, { value: 'Beta' }] }, key);
        assert.equal(retry.status, 200);
        assert.equal(retry.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(retry.body, first.body);
        assert.deepEqual(await snapshot(store, api.teamId), before);
        const reused = await api.autoMap('Lead', 'Idem__c', { values: [{ value: 'Gamma' }] }, key);
        assert.equal(reused.status, 422);
        assert.equal(reused.body.code, 'idempotency-key-reused');
        const otherScope = await api.autoMap('Lead', 'Other__c', request, key);
        assert.equal(otherScope.status, 422);
        const missing = await api.autoMap('Lead', 'Idem__c', request, null);
        assert.equal(missing.status, 400);
        assert.equal(missing.body.code, 'idempotency-key-required');
        const badKey = await api.autoMap('Lead', 'Idem__c', request, 'has space');
        assert.equal(badKey.status, 400);
        assert.deepEqual(await snapshot(store, api.teamId), before);
        const runs = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Idem__c');
        assert.equal(runs.body.runs.length, 1);
    });

    test('history: every run with its actor, time, scope and every outcome, newest first', async () => {
        const { api } = env();
        const one = await apply(api, 'Lead', 'History__c', { values: [{ value: 'H1' }] });
        const two = await apply(api, 'Lead', 'History__c', {
            values: [{ value: 'H1' }, { value: 'H2' }, { value: 'H3', active: false }]
        });
        const list = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=History__c');
        assert.deepEqual(
            list.body.runs.map((run) => run.id),
            [two.run?.id, one.run?.id]
        );
        assert.equal(
            (await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=History__c&limit=1')).body.runs
                .length,
            1
        );
        assert.ok((await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead')).body.runs.length >= 2);
        assert.ok((await api.get<{ runs: RunSummaryBody[] }>('/v1/runs')).body.runs.length >= 2);
        assert.equal((await api.get('/v1/runs?field=History__c')).status, 422);
        assert.equal((await api.get('/v1/runs?object=Opportunity')).status, 422);
        const run = await api.get<RunBody>(`/v1/runs/${two.run?.id ?? ''}`);
        assert.equal(run.status, 200);
        assert.deepEqual(
            run.body.outcomes.map((outcome) => [outcome.value, outcome.outcome]),
            [
                ['H1', 'already-mapped'],
                ['H2', 'create-and-map'],
                ['H3', 'skip-inactive']
            ]
        );
        assert.equal(run.body.createdStageIds.length, 1);
        assert.deepEqual(
            run.body.createdMappings.map((mapping) => mapping.value),
            ['H2']
        );
        assert.equal(run.body.actor.name, 'Ada Admin');
        assert.equal((await api.get('/v1/runs/run_missing')).status, 404);
    });

    test('undo removes the mappings and the stages the run created, in one go, and bumps the version', async () => {
        const { api } = env();
        const kept = await api.createStage('contact', 'Kept Stage');
        const body = await apply(api, 'Contact', 'Undo__c', {
            values: [{ value: 'Kept Stage' }, { value: 'U1' }, { value: 'U2' }]
        });
        const runId = body.run?.id ?? '';
        const undone = await api.post<{ run: RunSummaryBody; version: number }>(`/v1/runs/${runId}/undo`);
        assert.equal(undone.status, 200, undone.text);
        assert.equal(undone.body.version, body.version + 1);
        assert.ok(undone.body.run.undoneAt);
        assert.deepEqual(undone.body.run.undoneBy, { id: '005000000000001AAA', name: 'Ada Admin' });
        const state: ScopeBody = await api.scope('Contact', 'Undo__c');
        assert.deepEqual(state.mappings, []);
        assert.ok(
            state.stages.some((stage) => stage.id === kept.id),
            'pre-existing stage kept'
        );
        for (const created of body.createdStages) {
            assert.ok(!state.stages.some((stage) => stage.id === created.id), `${created.name} deleted`);
        }
        assert.equal(state.lastRun?.undoneAt, undone.body.run.undoneAt);
        const again = await api.post<UndoRefusal>(`/v1/runs/${runId}/undo`);
        assert.equal(again.status, 409);
        assert.equal(again.body.code, 'undo-refused');
        assert.deepEqual(
            again.body.blockers.map((blocker) => blocker.kind),
            ['already-undone']
        );
        assert.match(again.body.detail, /already undone/);
        assert.equal((await api.post('/v1/runs/run_missing/undo')).status, 404);
    });

    test('undo is refused, saying why, when later changes depend on the run; nothing changes', async () => {
        const { api, store } = env();
        const body = await apply(api, 'Lead', 'Refuse__c', {
            values: [
                { value: 'Removed' },
                { value: 'Changed' },
                { value: 'With Records' },
                { value: 'Shared' },
                { value: 'Deleted' }
            ]
        });
        const runId = body.run?.id ?? '';
        const stage = (name: string): string => body.createdStages.find((created) => created.name === name)?.id ?? '';
        // mapping-removed: the run's mapping of "Removed" was unmapped.
        assert.equal((await api.delete('/v1/scopes/Lead/Refuse__c/mappings/Removed')).status, 200);
        // mapping-changed: "Changed" now maps by hand to the stage "Removed" (freed above).
        assert.equal(
            (await api.put('/v1/scopes/Lead/Refuse__c/mappings', { value: 'Changed', stageId: stage('Removed') }))
                .status,
            200
        );
        // records-in-stage.
        assert.equal(
            (
                await api.put('/v1/records', {
                    records: [{ recordId: 'r-1', family: 'contact', stageId: stage('With Records') }]
                })
            ).status,
            200
        );
        // stage-mapped-elsewhere: another scope maps a value to a stage the run created.
        assert.equal(
            (await api.put('/v1/scopes/Contact/Refuse__c/mappings', { value: 'Shared', stageId: stage('Shared') }))
                .status,
            200
        );
        // stage-deleted (its mapping goes with it: mapping-removed too).
        assert.equal((await api.delete(`/v1/stages/${stage('Deleted')}`)).status, 200);
        const before = await snapshot(store, api.teamId);
        const refused = await api.post<UndoRefusal>(`/v1/runs/${runId}/undo`);
        assert.equal(refused.status, 409, refused.text);
        assert.equal(refused.body.code, 'undo-refused');
        // Six reasons: the first three are listed (the run's mappings first, then its stages), the count says six.
        assert.deepEqual(refused.body.blockers.map(kindOf), [
            'mapping-removed:Removed',
            'mapping-changed:Changed',
            'mapping-removed:Deleted'
        ]);
        assert.equal(refused.body.blockerCount, 6);
        assert.match(refused.body.detail, /cannot be undone/);
        assert.match(refused.body.detail, /And 3 more reasons\./);
        // Admins read these as they are: stage and value names, never an id.
        for (const text of [refused.body.detail, ...refused.body.blockers.map((blocker) => blocker.detail)]) {
            assert.doesNotMatch(text, /\b(stg|run)_[0-9a-f]/, text);
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
        const run = await api.get<RunBody>(`/v1/runs/${runId}`);
        assert.equal(run.body.undoneAt, null);
        // The history and the scope's last run know it before anyone clicks Undo.
        assert.deepEqual(run.body.undoBlockers, refused.body.blockers);
        assert.equal(run.body.undoBlockerCount, 6);
        const listed = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Refuse__c');
        const [latest] = listed.body.runs;
        const { lastRun } = await api.scope('Lead', 'Refuse__c');
        assert.ok(latest && lastRun);
        assert.deepEqual(latest.undoBlockers, refused.body.blockers);
        assert.equal(latest.undoBlockerCount, 6);
        assert.deepEqual(lastRun.undoBlockers, refused.body.blockers);
        assert.equal(lastRun.undoBlockerCount, 6);
    });

    test('every kind of undo blocker is reported, each run listing all of its (three or fewer) reasons', async () => {
        const { api } = env();
        const refusal = async (runId: string): Promise<UndoRefusal> => {
            const refused = await api.post<UndoRefusal>(`/v1/runs/${runId}/undo`);
            assert.equal(refused.status, 409, refused.text);
            assert.equal(refused.body.blockerCount, refused.body.blockers.length, 'all listed');
            assert.doesNotMatch(refused.body.detail, /more reason/);
            return refused.body;
        };
        const edited = await apply(api, 'Lead', 'Kinds1__c', {
            values: [{ value: 'K Removed' }, { value: 'K Changed' }]
        });
        const removedStage = edited.createdStages.find((stage) => stage.name === 'K Removed')?.id ?? '';
        assert.equal((await api.delete('/v1/scopes/Lead/Kinds1__c/mappings/K%20Removed')).status, 200);
        const remap = { value: 'K Changed', stageId: removedStage };
        assert.equal((await api.put('/v1/scopes/Lead/Kinds1__c/mappings', remap)).status, 200);
        assert.deepEqual((await refusal(edited.run?.id ?? '')).blockers.map(kindOf), [
            'mapping-removed:K Removed',
            'mapping-changed:K Changed'
        ]);

        const used = await apply(api, 'Lead', 'Kinds2__c', { values: [{ value: 'K Records' }, { value: 'K Shared' }] });
        const stage = (name: string): string => used.createdStages.find((created) => created.name === name)?.id ?? '';
        const records = { records: [{ recordId: 'k-1', family: 'contact', stageId: stage('K Records') }] };
        assert.equal((await api.put('/v1/records', records)).status, 200);
        // Named in the detail: the other fields that map the stage, at most three and "and N more".
        for (const field of ['KindsA__c', 'KindsB__c', 'KindsC__c', 'KindsD__c', 'KindsE__c']) {
            const shared = { value: 'K Shared', stageId: stage('K Shared') };
            assert.equal((await api.put(`/v1/scopes/Contact/${field}/mappings`, shared)).status, 200);
        }
        const usedRefusal = await refusal(used.run?.id ?? '');
        assert.deepEqual(usedRefusal.blockers.map(kindOf), [
            'records-in-stage:K Records',
            'stage-mapped-elsewhere:K Shared'
        ]);
        assert.match(
            usedRefusal.blockers[1]?.detail ?? '',
            /mapped by Contact\.KindsA__c "K Shared", Contact\.KindsB__c "K Shared", Contact\.KindsC__c "K Shared" and 2 more\.$/
        );

        const gone = await apply(api, 'Lead', 'Kinds3__c', { values: [{ value: 'K Deleted' }] });
        assert.equal((await api.delete(`/v1/stages/${gone.createdStages[0]?.id ?? ''}`)).status, 200);
        assert.deepEqual((await refusal(gone.run?.id ?? '')).blockers.map(kindOf), [
            'mapping-removed:K Deleted',
            'stage-deleted:K Deleted'
        ]);
    });

    test('a run that can be undone lists no blockers, and an undone run says it is undone', async () => {
        const { api } = env();
        const body = await apply(api, 'Lead', 'Undoable__c', { values: [{ value: 'Fresh' }] });
        const runId = body.run?.id ?? '';
        assert.deepEqual(body.run?.undoBlockers, []);
        const listed = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Undoable__c');
        assert.deepEqual(listed.body.runs[0]?.undoBlockers, []);
        assert.equal((await api.post(`/v1/runs/${runId}/undo`)).status, 200);
        const after = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Undoable__c');
        assert.deepEqual(
            after.body.runs[0]?.undoBlockers.map((blocker) => blocker.kind),
            ['already-undone']
        );
    });

    test('newStageNames: apiName names created stages by API name; the plan and the apply agree', async () => {
        const { api } = env();
        const values = [{ value: 'Partner Accepted', label: 'Vom Partner angenommen' }];
        const planned = await api.post<AutoMapResponseBody>('/v1/scopes/Lead/Naming__c/auto-map', {
            values,
            dryRun: true,
            newStageNames: 'apiName'
        });
        assert.equal(planned.body.plan.outcomes[0]?.stageName, 'Partner Accepted');
        const body = await apply(api, 'Lead', 'Naming__c', { values, newStageNames: 'apiName' });
        assert.deepEqual(
            body.createdStages.map((stage) => stage.name),
            ['Partner Accepted']
        );
        const byLabel = await apply(api, 'Lead', 'Naming2__c', {
            values: [{ value: 'Partner Rejected', label: 'Vom Partner abgelehnt' }]
        });
        assert.deepEqual(
            byLabel.createdStages.map((stage) => stage.name),
            ['Vom Partner abgelehnt']
        );
        const bad = await api.post('/v1/scopes/Lead/Naming3__c/auto-map', {
            values,
            dryRun: true,
            newStageNames: 'value'
        });
        assert.equal(bad.status, 422);
    });

    test('an auto-map of a value equal to a stage in the other family creates its own stage', async () => {
        const { api } = env();
        await api.createStage('account', 'Only Account');
        const body = await apply(api, 'Lead', 'Family__c', { values: [{ value: 'Only Account' }] });
        assert.deepEqual(
            body.plan.outcomes.map((outcome) => outcome.outcome),
            ['create-and-map']
        );
        assert.equal(body.createdStages[0]?.family, 'contact');
    });

    test('an applied run of 1,000 values creates 1,000 stages and mappings in one request', async () => {
        // A new team: the family's cap is 1,000 stages, and the other tests' stages would not leave room.
        const api = await env().newTeam('Big');
        const body = await apply(api, 'Lead', 'Big__c', { values: values(1000, 'Big') });
        assert.equal(body.createdStages.length, 1000);
        const state = await api.scope('Lead', 'Big__c');
        assert.equal(state.mappings.length, 1000);
        const undone = await api.post(`/v1/runs/${body.run?.id ?? ''}/undo`);
        assert.equal(undone.status, 200);
        assert.equal((await api.scope('Lead', 'Big__c')).mappings.length, 0);
    });
});
