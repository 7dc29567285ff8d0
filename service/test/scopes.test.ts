/**
 * The scope list of an object (`GET /v1/scopes?object=`): the fields with a mapping or a run, each with its mapping
 * count and its newest run's time, by field name; team-scoped; an unknown or missing object refused like any query.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, snapshot } from './helpers.ts';
import type { ApiClient, RunSummaryBody } from './helpers.ts';

interface ScopeSummaryBody {
    object: string;
    field: string;
    family: string;
    mappingCount: number;
    lastRunAt: string | null;
}

interface ScopeListBody {
    scopes: ScopeSummaryBody[];
}

interface ProblemBody {
    code: string;
    detail: string;
    errors?: { field: string; message: string }[];
}

async function scopesOf(api: ApiClient, object: string): Promise<ScopeSummaryBody[]> {
    const response = await api.get<ScopeListBody>(`/v1/scopes?object=${object}`);
    assert.equal(response.status, 200, response.text);
    return response.body.scopes;
}

describeEachDatabase('scope list', (env) => {
    test('an object without mappings or runs has no scopes', async () => {
        const { api } = env();
        assert.deepEqual(await scopesOf(api, 'Lead'), []);
        assert.deepEqual(await scopesOf(api, 'Account'), []);
    });

    test('lists the fields with a mapping or a run, by field name, with counts and the newest run time', async () => {
        const { api } = env();
        const cold = await api.createStage('contact', 'Cold');
        // Lead.Rating__c: two manual mappings, no run.
        const warm = await api.createStage('contact', 'Warm');
        assert.equal(
            (await api.put('/v1/scopes/Lead/Rating__c/mappings', { value: 'Hot', stageId: cold.id })).status,
            200
        );
        assert.equal(
            (await api.put('/v1/scopes/Lead/Rating__c/mappings', { value: 'Warm', stageId: warm.id })).status,
            200
        );
        // Lead.Status: two runs; the second is the newest.
        const first = await api.autoMap('Lead', 'Status', { values: [{ value: 'Open' }] });
        assert.equal(first.status, 200, first.text);
        const second = await api.autoMap('Lead', 'Status', { values: [{ value: 'Open' }, { value: 'Working' }] });
        assert.equal(second.status, 200, second.text);
        // Lead.Source__c: one run, then undone: no mapping left, the run still counts.
        const undone = await api.autoMap('Lead', 'Source__c', { values: [{ value: 'Web' }] });
        assert.equal(undone.status, 200, undone.text);
        const undo = await api.post(`/v1/runs/${undone.body.run?.id ?? ''}/undo`);
        assert.equal(undo.status, 200, undo.text);
        // Contact.Status and Account.Type: other objects are not listed for Lead.
        assert.equal(
            (await api.put('/v1/scopes/Contact/Status/mappings', { value: 'Cold', stageId: cold.id })).status,
            200
        );
        const account = await api.autoMap('Account', 'Type', { values: [{ value: 'Prospect' }] });
        assert.equal(account.status, 200, account.text);

        const lastRunOf = (run: RunSummaryBody | null | undefined): string => run?.createdAt ?? '';
        assert.deepEqual(await scopesOf(api, 'Lead'), [
            { object: 'Lead', field: 'Rating__c', family: 'contact', mappingCount: 2, lastRunAt: null },
            {
                object: 'Lead',
                field: 'Source__c',
                family: 'contact',
                mappingCount: 0,
                lastRunAt: lastRunOf(undone.body.run)
            },
            {
                object: 'Lead',
                field: 'Status',
                family: 'contact',
                mappingCount: 2,
                lastRunAt: lastRunOf(second.body.run)
            }
        ]);
        // The same time the scope's state reports as its last run.
        assert.equal((await api.scope('Lead', 'Status')).lastRun?.createdAt, lastRunOf(second.body.run));
        assert.deepEqual(await scopesOf(api, 'Contact'), [
            { object: 'Contact', field: 'Status', family: 'contact', mappingCount: 1, lastRunAt: null }
        ]);
        assert.deepEqual(await scopesOf(api, 'Account'), [
            {
                object: 'Account',
                field: 'Type',
                family: 'account',
                mappingCount: 1,
                lastRunAt: lastRunOf(account.body.run)
            }
        ]);
    });

    test("another team's scopes are never listed, and a team's list does not see the other's", async () => {
        const { api: a } = env();
        const b = await env().newTeam('Team B');
        assert.ok((await scopesOf(a, 'Lead')).length > 0, 'team A has Lead scopes from the test before');
        assert.deepEqual(await scopesOf(b, 'Lead'), []);
        assert.deepEqual(await scopesOf(b, 'Contact'), []);
        assert.deepEqual(await scopesOf(b, 'Account'), []);
        // B maps a field A never touched: A's list does not gain it, B's has only it.
        const stage = await b.createStage('contact', 'Only B');
        assert.equal(
            (await b.put('/v1/scopes/Lead/Only_B__c/mappings', { value: 'X', stageId: stage.id })).status,
            200
        );
        assert.deepEqual(
            (await scopesOf(b, 'Lead')).map((scope) => [scope.field, scope.mappingCount]),
            [['Only_B__c', 1]]
        );
        assert.ok(!(await scopesOf(a, 'Lead')).some((scope) => scope.field === 'Only_B__c'));
    });

    test('an unknown or missing object and unknown parameters are 422 with the field named; nothing changes', async () => {
        const { api, store } = env();
        const before = await snapshot(store, api.teamId);
        const cases: [string, string][] = [
            ['/v1/scopes?object=Opportunity', 'query.object'],
            ['/v1/scopes?object=lead', 'query.object'],
            ['/v1/scopes', 'query.object'],
            ['/v1/scopes?object=Lead&field=Status', 'query.field']
        ];
        for (const [path, field] of cases) {
            const response = await api.get<ProblemBody>(path);
            assert.equal(response.status, 422, `${path}: ${response.text}`);
            assert.equal(response.body.code, 'invalid-query', path);
            assert.ok(
                response.body.errors?.some((error) => error.field === field),
                `${path} names ${field}: ${response.text}`
            );
        }
        const repeated = await api.get<ProblemBody>('/v1/scopes?object=Lead&object=Contact');
        assert.equal(repeated.status, 422);
        assert.match(repeated.body.detail, /more than once/);
        // Writes to the list are not a thing.
        assert.equal((await api.post('/v1/scopes', {})).status, 405);
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });
});
