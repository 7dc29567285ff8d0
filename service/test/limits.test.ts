/**
 * The limits of service/src/limits.ts: the body limit admits the largest legal request; each cap (stages per family,
 * mappings per scope and per family) refuses a stage, a manual map and an auto-map (applied or dry run) that would
 * pass it, with `409 limit-reached` naming the cap and the numbers, and changes nothing; `answer: summary` answers
 * with the plan's counts only, and an apply at the previewed version applies exactly the plan the caller made.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planAutoMap } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import {
    LARGEST_AUTO_MAP_REQUEST_BYTES,
    LARGEST_DRIFT_FIX_REQUEST_BYTES,
    MAX_BODY_BYTES,
    MAX_LANGUAGE_LENGTH,
    MAX_MAPPINGS_PER_FAMILY,
    MAX_MAPPINGS_PER_SCOPE,
    MAX_STAGES_PER_FAMILY,
    MAX_TEXT_LENGTH,
    MAX_VALUES
} from '../src/limits.ts';
import { text } from '../../scripts/lib/governor-worst-case.ts';
import { LONGEST_LANGUAGE, describeEachDatabase, snapshot, values } from './helpers.ts';
import type { ApiClient, AutoMapResponseBody, ScopeBody } from './helpers.ts';

interface LimitProblem {
    code: string;
    detail: string;
    limit: string;
    maximum: number;
    current: number;
    adding: number;
}

interface SummaryConflict {
    code: string;
    version: number;
    plan: AutoMapResponseBody['plan'] & { suggestions: unknown[] };
}

/** Asserts a `limit-reached` refusal of the cap, with the numbers in its members and its detail. */
function assertLimit(
    response: { status: number; body: unknown; text: string },
    limit: string,
    current: number,
    adding: number
): void {
    assert.equal(response.status, 409, response.text);
    const body = response.body as LimitProblem;
    assert.equal(body.code, 'limit-reached');
    assert.deepEqual([body.limit, body.current, body.adding], [limit, current, adding], response.text);
    const maximum = { 'stages-per-family': 1000, 'mappings-per-scope': 1000, 'mappings-per-family': 2000 }[limit];
    assert.equal(body.maximum, maximum);
    for (const figure of [current + adding, current, adding, maximum ?? 0]) {
        assert.match(body.detail, new RegExp(`\\b${figure.toLocaleString('en-US')}\\b`), body.detail);
    }
    assert.match(body.detail, /Nothing was changed/);
}

/** Applies and insists on an applied run. */
async function applied(api: ApiClient, field: string, body: Record<string, unknown>): Promise<AutoMapResponseBody> {
    const response = await api.autoMap('Lead', field, body);
    assert.equal(response.status, 200, response.text);
    return response.body;
}

describeEachDatabase('limits', (env) => {
    test('the body limit admits the largest legal auto-map request, and not one byte more', async () => {
        const api = await env().newTeam('Largest');
        const supplementary = Array.from({ length: MAX_VALUES }, (_, index) => ({
            value: text('supplementary', 7_000_000 + index, MAX_TEXT_LENGTH),
            label: text('supplementary', 8_000_000 + index, MAX_TEXT_LENGTH),
            active: false
        }));
        const body = JSON.stringify({
            values: supplementary,
            expectedVersion: Number.MAX_SAFE_INTEGER,
            dryRun: false,
            newStageNames: 'apiName',
            answer: 'summary',
            categories: Object.fromEntries(supplementary.map((value) => [value.value, 'in_progress'])),
            labelLanguage: LONGEST_LANGUAGE
        });
        assert.equal(LONGEST_LANGUAGE.length, MAX_LANGUAGE_LENGTH);
        assert.equal(Buffer.byteLength(body), LARGEST_AUTO_MAP_REQUEST_BYTES, 'the documented figure');
        assert.ok(LARGEST_AUTO_MAP_REQUEST_BYTES <= MAX_BODY_BYTES);
        const padded = (size: number): string => body + ' '.repeat(size - Buffer.byteLength(body));
        const admitted = await api.post<{ code: string }>('/v1/scopes/Lead/Status/auto-map', undefined, {
            raw: padded(MAX_BODY_BYTES),
            headers: { 'Idempotency-Key': 'largest' }
        });
        // Read and validated whole: the version it names is not the state's (the body was not refused for size).
        assert.equal(admitted.status, 409, admitted.text.slice(0, 300));
        assert.equal(admitted.body.code, 'state-changed');
        const refused = await api.post<LimitProblem>('/v1/scopes/Lead/Status/auto-map', undefined, {
            raw: padded(MAX_BODY_BYTES + 1),
            headers: { 'Idempotency-Key': 'largest-plus-one' }
        });
        assert.equal(refused.status, 413);
        assert.equal(refused.body.code, 'body-too-large');
    });

    test('the body limit admits the largest legal drift-fix request', async () => {
        const api = await env().newTeam('Largest drift fix');
        const supplementary = Array.from({ length: MAX_VALUES }, (_, index) => ({
            value: text('supplementary', 7_000_000 + index, MAX_TEXT_LENGTH),
            label: text('supplementary', 8_000_000 + index, MAX_TEXT_LENGTH),
            active: false
        }));
        const body = JSON.stringify({
            values: supplementary,
            fixes: Array.from({ length: MAX_VALUES }, (_, index) => ({
                value: text('supplementary', 9_000_000 + index, MAX_TEXT_LENGTH),
                kind: 'probable-rename'
            })),
            expectedVersion: Number.MAX_SAFE_INTEGER,
            newStageNames: 'apiName',
            answer: 'summary',
            labelLanguage: LONGEST_LANGUAGE
        });
        assert.equal(Buffer.byteLength(body), LARGEST_DRIFT_FIX_REQUEST_BYTES, 'the documented figure');
        assert.ok(LARGEST_DRIFT_FIX_REQUEST_BYTES <= MAX_BODY_BYTES);
        assert.ok(LARGEST_AUTO_MAP_REQUEST_BYTES <= LARGEST_DRIFT_FIX_REQUEST_BYTES, 'the largest request of all');
        const admitted = await api.post<{ code: string }>('/v1/scopes/Lead/Status/drift-fixes', undefined, {
            raw: body + ' '.repeat(MAX_BODY_BYTES - Buffer.byteLength(body)),
            headers: { 'Idempotency-Key': 'largest-drift-fix' }
        });
        // Read and validated whole: the version it names is not the state's (the body was not refused for size).
        assert.equal(admitted.status, 409, admitted.text.slice(0, 300));
        assert.equal(admitted.body.code, 'state-changed');
    });

    test('stages per family: the 1,001st stage is refused however it would be made, and nothing changes', async () => {
        const { store } = env();
        const api = await env().newTeam('Stages');
        // One run fills the family: 1,000 stages, 1,000 mappings in Lead.Full__c.
        const full = await applied(api, 'Full__c', { values: values(MAX_STAGES_PER_FAMILY, 'Full') });
        assert.equal(full.createdStages.length, MAX_STAGES_PER_FAMILY);
        const before = await snapshot(store, api.teamId);

        assertLimit(
            await api.post<LimitProblem>('/v1/stages', { family: 'contact', name: 'One Too Many' }),
            'stages-per-family',
            1000,
            1
        );
        assertLimit(
            await api.put<LimitProblem>('/v1/scopes/Lead/Other__c/mappings', { value: 'A', stageName: 'New Stage' }),
            'stages-per-family',
            1000,
            1
        );
        const twoNew = { values: [{ value: 'Full 1' }, { value: 'New One' }, { value: 'New Two' }] };
        assertLimit(await api.autoMap('Lead', 'Other__c', twoNew), 'stages-per-family', 1000, 2);
        assertLimit(
            await api.autoMap('Lead', 'Other__c', { ...twoNew, dryRun: true }, null),
            'stages-per-family',
            1000,
            2
        );
        assert.deepEqual(await snapshot(store, api.teamId), before, 'nothing changed');

        // The other family has its own cap; a value that matches an existing stage still maps.
        assert.equal((await api.post('/v1/stages', { family: 'account', name: 'Room Here' })).status, 201);
        const existing = await applied(api, 'Other__c', { values: [{ value: 'Full 1' }] });
        assert.equal(existing.plan.summary.counts['map-existing'], 1);
        // Room made by deleting a stage is room to create one.
        const deleted = await api.delete(`/v1/stages/${full.createdStages[999]?.id ?? ''}`);
        assert.equal(deleted.status, 200);
        assert.equal((await api.post('/v1/stages', { family: 'contact', name: 'Fits Again' })).status, 201);
    });

    test('mappings per scope and per family: a map that would pass a cap is refused, and nothing changes', async () => {
        const { store } = env();
        const api = await env().newTeam('Mappings');
        const full = await applied(api, 'Full__c', { values: values(MAX_MAPPINGS_PER_SCOPE, 'Stage') });
        const firstStage = full.createdStages[0]?.id ?? '';
        let before = await snapshot(store, api.teamId);

        // The scope is full: a new value is refused, by stage or by name; replacing a value's own mapping is not.
        assertLimit(
            await api.put<LimitProblem>('/v1/scopes/Lead/Full__c/mappings', { value: 'Extra', stageId: firstStage }),
            'mappings-per-scope',
            1000,
            1
        );
        assertLimit(
            await api.put<LimitProblem>('/v1/scopes/Lead/Full__c/mappings', { value: 'Extra', stageName: 'Extra' }),
            'mappings-per-scope',
            1000,
            1
        );
        // (An auto-map cannot reach this cap first: a full scope holds every stage, so a new mapping needs a new stage.)
        assert.deepEqual(await snapshot(store, api.teamId), before, 'nothing changed');

        // One more scope maps the same 1,000 stages: the family holds 2,000 mappings.
        const names = values(MAX_MAPPINGS_PER_SCOPE, 'Stage');
        await applied(api, 'Third__c', { values: names });
        before = await snapshot(store, api.teamId);
        assert.equal(before.mappings, MAX_MAPPINGS_PER_FAMILY);

        assertLimit(
            await api.put<LimitProblem>('/v1/scopes/Contact/Fourth__c/mappings', { value: 'A', stageId: firstStage }),
            'mappings-per-family',
            2000,
            1
        );
        assertLimit(
            await api.autoMap('Contact', 'Fourth__c', { values: names.slice(0, 5) }),
            'mappings-per-family',
            2000,
            5
        );
        assertLimit(
            await api.autoMap('Contact', 'Fourth__c', { values: names.slice(0, 5), dryRun: true }, null),
            'mappings-per-family',
            2000,
            5
        );
        assert.deepEqual(await snapshot(store, api.teamId), before, 'nothing changed');

        // An unmap makes room for one.
        assert.equal((await api.delete('/v1/scopes/Lead/Third__c/mappings/Stage%201')).status, 200);
        const mapped = await api.put<ScopeBody>('/v1/scopes/Contact/Fourth__c/mappings', {
            value: 'A',
            stageId: firstStage
        });
        assert.equal(mapped.status, 200, mapped.text);
        assert.equal(mapped.body.otherMappings.length, MAX_MAPPINGS_PER_FAMILY - 1);
    });

    test('answer: summary carries the counts only, in the dry run, the apply, its replay and the 409', async () => {
        const api = await env().newTeam('Summary');
        await api.createStage('contact', 'Working');
        await api.createStage('contact', 'Qualified');
        // "Qualifed" gets a stage of its own and the suggestion of "Qualified" (a near match, never applied).
        const input = [{ value: 'Working' }, { value: 'Brand New' }, { value: 'Qualifed' }];
        const full = await api.autoMap('Lead', 'Status', { values: input, dryRun: true }, null);
        const fullPlan = full.body.plan as SummaryConflict['plan'];
        assert.ok(fullPlan.outcomes.length === 3 && fullPlan.suggestions.length > 0, 'a full plan has it all');
        const planned = await api.autoMap('Lead', 'Status', { values: input, dryRun: true, answer: 'summary' }, null);
        assert.equal(planned.status, 200, planned.text);
        assert.deepEqual(planned.body.plan, { ...full.body.plan, outcomes: [], suggestions: [] });

        const version = (await api.scope('Lead', 'Status')).version;
        const stale = await api.autoMap('Lead', 'Status', {
            values: input,
            expectedVersion: version - 1,
            answer: 'summary'
        });
        assert.equal(stale.status, 409, stale.text);
        const conflict = stale.body as unknown as SummaryConflict;
        assert.equal(conflict.code, 'state-changed');
        assert.equal(conflict.version, version);
        assert.deepEqual(conflict.plan, { ...full.body.plan, outcomes: [], suggestions: [] });
        assert.ok(stale.text.length < 2000, 'the summary conflict is small');

        const body = { values: input, expectedVersion: version, answer: 'summary' };
        const answer = await api.autoMap('Lead', 'Status', body, 'summary-key');
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.body.status, 'applied');
        assert.deepEqual(answer.body.plan, { ...full.body.plan, outcomes: [], suggestions: [] });
        assert.deepEqual(answer.body.createdStages, []);
        assert.equal(answer.body.version, version + 1);
        assert.equal(answer.body.run?.summary.counts['create-and-map'], 2);
        const replay = await api.autoMap('Lead', 'Status', body, 'summary-key');
        assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
        assert.deepEqual(replay.body, answer.body);
    });

    test('an apply at the previewed version applies exactly the plan the caller made with the engine', async () => {
        const api = await env().newTeam('Deterministic');
        await api.createStage('contact', 'Qualified');
        await api.createStage('contact', 'Closed');
        const picklist = [
            { value: 'Qualified', label: 'Closed' },
            { value: 'Closed', label: 'Closed Lost' },
            { value: 'Nurture', label: 'Nurture' },
            { value: 'Old', label: 'Old', active: false }
        ];
        // What the page does: read the state, plan in the browser, apply with answer: summary.
        const state = await api.scope('Lead', 'Status');
        const plan = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: picklist,
            stages: state.stages.map((stage) => ({ id: stage.id, name: stage.name })),
            mappings: state.mappings.map((mapping) => ({ value: mapping.value, stageId: mapping.stageId }))
        });
        const answer = await applied(api, 'Status', {
            values: picklist,
            expectedVersion: state.version,
            answer: 'summary'
        });
        assert.deepEqual(answer.plan.summary, plan.summary);
        const after = await api.scope('Lead', 'Status');
        const stageName = new Map(after.stages.map((stage) => [stage.id, stage.name]));
        const expected = plan.outcomes
            .filter((outcome) => outcome.outcome === 'map-existing' || outcome.outcome === 'create-and-map')
            .map((outcome) => [outcome.value, outcome.stageName])
            .sort();
        const actual = after.mappings.map((mapping) => [mapping.value, stageName.get(mapping.stageId)]).sort();
        assert.deepEqual(actual, expected);
    });
});
