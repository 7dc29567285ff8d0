import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMapApex from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import setMapping from '@salesforce/apex/StageAutoMapController.setMapping';
import createStageAndMap from '@salesforce/apex/StageAutoMapController.createStageAndMap';
import removeMapping from '@salesforce/apex/StageAutoMapController.removeMapping';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import undoRunApex from '@salesforce/apex/StageAutoMapController.undoRun';
import renameStageApex from '@salesforce/apex/StageAutoMapController.renameStage';
import deleteStageApex from '@salesforce/apex/StageAutoMapController.deleteStage';
import getMappedFields from '@salesforce/apex/StageAutoMapController.getMappedFields';
import applyDriftFixesApex from '@salesforce/apex/StageAutoMapController.applyDriftFixes';
import { driftReport, planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';
import {
    applyAutoMap,
    applyDriftFixes,
    deleteStage,
    driftOf,
    fetchMappedFields,
    fetchRunHistory,
    fetchScopeState,
    hasAutoMapRun,
    inSync,
    mapValue,
    mapValueToNewStage,
    mappedFieldNames,
    newIdempotencyKey,
    renameStage,
    toPlanInput,
    toServiceValues,
    undoRun,
    unmapValue
} from 'c/stageAutoMapApi';
import type { RunHistory, RunSummary, ScopeList, ScopeState, ScopeSummary, Stage } from 'c/stageAutoMapApi';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import historyJson from '../../stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';
import leadScopesJson from '../../stageAutoMapSetup/__tests__/data/mappedFieldsLead.json';
import contactScopesJson from '../../stageAutoMapSetup/__tests__/data/mappedFieldsContactNoRun.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatus.json';

// Every Apex method the module wraps, mocked: the tests check the exact parameters the controller receives.
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyAutoMap', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.setMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.createStageAndMap', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/StageAutoMapController.removeMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.undoRun', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.renameStage', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.deleteStage', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getMappedFields', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyDriftFixes', () => ({ default: jest.fn() }), {
    virtual: true
});

// Recorded service responses: JSON widens their literal types (family, source) to string.
const leadState = leadStateJson as ScopeState;
const history = historyJson as RunHistory;
const leadScopes = leadScopesJson as ScopeList;
const contactScopes = contactScopesJson as ScopeList;
const LEAD_STATUS = { objectApiName: 'Lead', fieldApiName: 'Status' };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** What the label import gives in Jest (the stock stub returns the label's path). */
const MALFORMED = 'c.StageService_MalformedResponse';
const VALUES = [
    { value: 'Cold', label: 'Kalt', active: true },
    { value: 'Partner Accepted', label: 'Partner Accepted', active: true },
    { value: 'Met Twice', label: 'Met Twice', active: true }
];

/** The run an apply recorded, as the service sends it. */
function appliedRun(plan: Plan): RunSummary {
    return {
        id: 'run-0002',
        object: 'Lead',
        field: 'Status',
        family: 'contact',
        actor: { id: '0055e000001AdaAAA', name: 'Ada Admin' },
        createdAt: '2026-10-03T09:00:00.000Z',
        summary: plan.summary,
        undoneAt: null,
        undoneBy: null,
        undoBlockers: [],
        undoBlockerCount: 0
    };
}

/** The plan with its counts only: what the controller's apply answer carries. */
function countsOnly(plan: Plan): Plan {
    return { ...plan, outcomes: [], suggestions: [] };
}

/** The state after applying `plan`: a new stage per create-and-map value (in plan order), every mapping by the run. */
function stateAfter(state: ScopeState, plan: Plan, runId: string): { state: ScopeState; created: Stage[] } {
    const created: Stage[] = [];
    const mappings = [...state.mappings];
    for (const outcome of plan.outcomes) {
        if (outcome.outcome === 'create-and-map') {
            const stage: Stage = {
                id: `stg-new-${created.length}`,
                family: 'contact',
                name: outcome.stageName ?? outcome.label,
                displayOrder: 100 + created.length,
                category: null,
                recordCount: 0,
                createdAt: '2026-10-03T09:00:00.000Z'
            };
            created.push(stage);
            mappings.push({ value: outcome.value, stageId: stage.id, source: 'auto', runId });
        } else if (outcome.outcome === 'map-existing' && outcome.stageId !== undefined) {
            mappings.push({ value: outcome.value, stageId: outcome.stageId, source: 'auto', runId });
        }
    }
    // Listed in reverse so the test proves the result follows the plan's order, not the state's.
    return {
        state: { ...state, version: state.version + 1, stages: [...created].reverse().concat(state.stages), mappings },
        created
    };
}

describe('c/stageAutoMapApi', () => {
    afterEach(() => {
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    it('reads a scope state with exactly the object and field, parsing the JSON the controller passes through', async () => {
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(leadState));

        await expect(fetchScopeState(LEAD_STATUS)).resolves.toEqual(leadState);
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
    });

    it('rejects an answer that is not a JSON object with the malformed-answer message', async () => {
        const answers = ['<html>Welcome to nginx</html>', '[1, 2, 3]', 'null', ''];
        for (const text of answers) {
            jest.mocked(getScopeState).mockResolvedValueOnce(text);
        }

        const results = await Promise.allSettled(answers.map(() => fetchScopeState(LEAD_STATUS)));

        expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'parsed'))).toEqual(
            answers.map(() => `Error: ${MALFORMED}`)
        );
    });

    it("lists the object's mapped fields with exactly the object, parsing the JSON the controller passes through", async () => {
        const withMappings: ScopeList = {
            scopes: leadScopes.scopes.map((scope) => {
                return scope.field === 'Status' ? { ...scope, mappings: [{ value: 'Cold', label: 'Cold' }] } : scope;
            })
        };
        jest.mocked(getMappedFields).mockResolvedValue(JSON.stringify(withMappings));

        await expect(fetchMappedFields('Lead')).resolves.toEqual(withMappings.scopes);
        expect(getMappedFields).toHaveBeenCalledWith({ objectApiName: 'Lead' });
    });

    it('rejects a mapped-fields answer without a list of scopes with the malformed-answer message', async () => {
        const answers = ['{}', '{"scopes":{}}', '[]', 'not json'];
        for (const text of answers) {
            jest.mocked(getMappedFields).mockResolvedValueOnce(text);
        }

        const results = await Promise.allSettled(answers.map(() => fetchMappedFields('Lead')));

        expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'parsed'))).toEqual(
            answers.map(() => `Error: ${MALFORMED}`)
        );
    });

    it('tells mapped fields (one mapping or more) and whether any field of the object had a run', () => {
        // Rating's run was undone: it is unmapped, but a run happened.
        expect(mappedFieldNames(leadScopes.scopes)).toEqual(['LeadSource', 'Status']);
        expect(hasAutoMapRun(leadScopes.scopes)).toBe(true);
        // Mapped by hand only: mapped, but no run.
        expect(mappedFieldNames(contactScopes.scopes)).toEqual(['LeadSource']);
        expect(hasAutoMapRun(contactScopes.scopes)).toBe(false);
        expect([mappedFieldNames([]), hasAutoMapRun([])]).toEqual([[], false]);
    });

    it('counts no run when Apex leaves the null lastRunAt out of a scope (it may reach the page as missing)', () => {
        // Step 1: the hand-mapped Lead Source as the Apex may deliver it: the null member absent, not null.
        const { lastRunAt, ...withoutLastRun } = contactScopes.scopes[0] as ScopeSummary;
        expect(lastRunAt).toBeNull();

        // Step 2: missing reads like null: a mapping by hand is not a run.
        expect(hasAutoMapRun([withoutLastRun])).toBe(false);
        expect(hasAutoMapRun([{ ...withoutLastRun, lastRunAt: undefined }])).toBe(false);
        // Step 3: a real run next to it still counts.
        expect(hasAutoMapRun([withoutLastRun, ...leadScopes.scopes])).toBe(true);
    });

    it('applies the previewed plan: its counts come back, the plan and the created stages are filled in', async () => {
        const plan = planAutoMap(toPlanInput(LEAD_STATUS, VALUES, leadState));
        const run = appliedRun(plan);
        const after = stateAfter(leadState, plan, run.id);
        expect(after.created.length).toBeGreaterThan(1);
        jest.mocked(applyAutoMapApex).mockResolvedValue(
            JSON.stringify({ status: 'applied', version: 8, plan: countsOnly(plan), run, createdStages: [] })
        );
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(after.state));

        const result = await applyAutoMap(LEAD_STATUS, VALUES, 7, 'key-1', plan);

        expect(applyAutoMapApex).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            values: VALUES,
            expectedVersion: 7,
            idempotencyKey: 'key-1',
            newStageNames: 'label',
            categories: {}
        });
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
        expect(result).toEqual({ status: 'applied', version: 8, plan, run, createdStages: after.created });
    });

    it("sends the created stages' categories, a stage without one as a blank category", async () => {
        const plan = planAutoMap(toPlanInput(LEAD_STATUS, VALUES, leadState));
        const run = appliedRun(plan);
        jest.mocked(applyAutoMapApex).mockResolvedValue(
            JSON.stringify({ status: 'applied', version: 8, plan: countsOnly(plan), run, createdStages: [] })
        );
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(stateAfter(leadState, plan, run.id).state));

        await applyAutoMap(LEAD_STATUS, VALUES, 7, 'key-1', plan, 'apiName', {
            'Partner Accepted': 'succeeded',
            'Met Twice': null,
            Cold: 'failed'
        });

        expect(jest.mocked(applyAutoMapApex).mock.calls[0]?.[0]).toMatchObject({
            newStageNames: 'apiName',
            categories: { 'Partner Accepted': 'succeeded', 'Met Twice': '', Cold: 'failed' }
        });
    });

    it('leaves out of the created stages a value mapped since by someone else', async () => {
        const plan = planAutoMap(toPlanInput(LEAD_STATUS, VALUES, leadState));
        const run = appliedRun(plan);
        const after = stateAfter(leadState, plan, run.id);
        const [first, ...others] = after.created;
        // The first new stage's value is now mapped by hand: the run no longer holds it.
        const remapped = after.state.mappings.map((mapping) => {
            return mapping.stageId === first?.id ? { ...mapping, source: 'manual' as const, runId: null } : mapping;
        });
        jest.mocked(applyAutoMapApex).mockResolvedValue(
            JSON.stringify({ status: 'applied', version: 8, plan: countsOnly(plan), run, createdStages: [] })
        );
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify({ ...after.state, mappings: remapped }));

        const result = await applyAutoMap(LEAD_STATUS, VALUES, 7, 'key-1', plan);

        expect(result.status === 'applied' ? result.createdStages : []).toEqual(others);
    });

    it('on a conflict reads the state again and plans with the engine, naming stages as asked', async () => {
        const previewed = planAutoMap(toPlanInput(LEAD_STATUS, VALUES, leadState), { newStageNames: 'apiName' });
        const fresh: ScopeState = { ...leadState, version: 12, mappings: leadState.mappings.slice(1) };
        jest.mocked(applyAutoMapApex).mockResolvedValue(
            JSON.stringify({
                status: 'conflict',
                version: 11,
                plan: countsOnly(previewed),
                detail: 'The state changed.'
            })
        );
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(fresh));

        const result = await applyAutoMap(LEAD_STATUS, VALUES, 7, 'key-1', previewed, 'apiName');

        expect(jest.mocked(applyAutoMapApex).mock.calls[0]?.[0].newStageNames).toBe('apiName');
        expect(result).toEqual({
            status: 'conflict',
            version: 12,
            plan: planAutoMap(toPlanInput(LEAD_STATUS, VALUES, fresh), { newStageNames: 'apiName' }),
            detail: 'The state changed.'
        });
        expect(result.plan.outcomes).toHaveLength(VALUES.length);
    });

    it('maps to a new stage and renames a stage with the parameters the controller declares', async () => {
        jest.mocked(createStageAndMap).mockResolvedValue(JSON.stringify(leadState));
        const renamed = { ...(leadState.stages[0] as Stage), name: 'Frosty' };
        jest.mocked(renameStageApex).mockResolvedValue(renamed);

        await expect(mapValueToNewStage(LEAD_STATUS, 'Partner Accepted', 'Accepted')).resolves.toEqual(leadState);
        await expect(renameStage('stg-cold', 'Frosty')).resolves.toBe(renamed);

        expect(createStageAndMap).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Partner Accepted',
            stageName: 'Accepted'
        });
        expect(renameStageApex).toHaveBeenCalledWith({ stageId: 'stg-cold', name: 'Frosty' });
    });

    it("records the value's label with a mapping made by hand when the caller gives it", async () => {
        jest.mocked(createStageAndMap).mockResolvedValue(JSON.stringify(leadState));
        jest.mocked(setMapping).mockResolvedValue(JSON.stringify(leadState));

        await mapValueToNewStage(LEAD_STATUS, 'Partner Accepted', 'Accepted', 'Partner akzeptiert');
        await mapValue(LEAD_STATUS, 'Interested', 'stg-interested', 'Interessiert');
        await mapValue(LEAD_STATUS, 'Cold', 'stg-cold');

        expect(jest.mocked(createStageAndMap).mock.calls[0]?.[0]).toEqual({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Partner Accepted',
            stageName: 'Accepted',
            label: 'Partner akzeptiert'
        });
        expect(jest.mocked(setMapping).mock.calls.map((call) => call[0].label)).toEqual(['Interessiert', undefined]);
    });

    it('applies drift fixes with exactly the parameters the controller declares, then reads the state again', async () => {
        const fixed: ScopeState = { ...leadState, version: 8 };
        const run: RunSummary = {
            ...appliedRun(planAutoMap(toPlanInput(LEAD_STATUS, [], leadState))),
            kind: 'drift-fix',
            createdCategories: { in_progress: 0, succeeded: 0, failed: 0, none: 0 },
            fixCounts: { 'probable-rename': 1, 'value-removed': 1, 'label-changed': 0, 'new-value': 0 }
        };
        jest.mocked(applyDriftFixesApex).mockResolvedValue(JSON.stringify({ status: 'applied', version: 8, run }));
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(fixed));
        const fixes = [
            { value: 'Nurture', kind: 'probable-rename' as const },
            { value: 'Recycled', kind: 'value-removed' as const }
        ];

        const result = await applyDriftFixes(LEAD_STATUS, VALUES, fixes, 7, 'key-2', 'apiName');

        expect(applyDriftFixesApex).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            values: VALUES,
            fixes,
            expectedVersion: 7,
            idempotencyKey: 'key-2',
            newStageNames: 'apiName'
        });
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
        expect(result).toEqual({ status: 'applied', version: 8, run, state: fixed });
    });

    it('reports a drift-fix conflict with the version and state read again, names stages by label by default', async () => {
        const fresh: ScopeState = { ...leadState, version: 12 };
        jest.mocked(applyDriftFixesApex).mockResolvedValue(
            JSON.stringify({ status: 'conflict', version: 11, detail: '"Nurture" is no longer a probable rename.' })
        );
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(fresh));

        const result = await applyDriftFixes(LEAD_STATUS, VALUES, [{ value: 'Cold', kind: 'label-changed' }], 7, 'k');

        expect(jest.mocked(applyDriftFixesApex).mock.calls[0]?.[0].newStageNames).toBe('label');
        expect(result).toEqual({
            status: 'conflict',
            version: 12,
            detail: '"Nurture" is no longer a probable rename.',
            state: fresh
        });
    });

    it('rejects a drift-fix answer that is not JSON without reading the state', async () => {
        jest.mocked(applyDriftFixesApex).mockResolvedValue('<html>Bad gateway</html>');

        await expect(applyDriftFixes(LEAD_STATUS, VALUES, [], 7, 'k')).rejects.toThrow(MALFORMED);
        expect(getScopeState).not.toHaveBeenCalled();
    });

    it("reports drift with the engine, on the mappings' recorded labels and the state's stages", () => {
        // Cold was mapped while labelled "Cold" and is "Kalt" now; its stage was named after the old label.
        const state: ScopeState = {
            ...leadState,
            mappings: [
                { value: 'Cold', stageId: 'stg-cold', source: 'auto', runId: 'run-0001', label: 'Cold' },
                { value: 'Nurture', stageId: 'stg-unresponsive', source: 'manual', runId: null, label: 'Nurture' }
            ]
        };
        const values = [
            { value: 'Cold', label: 'Kalt', active: true },
            { value: 'Nurturing', label: 'Nurture', active: true },
            { value: 'Interested', label: 'Interested', active: true }
        ];

        const report = driftOf(LEAD_STATUS, values, state, 'apiName');

        expect(report.findings.map((finding) => [finding.kind, finding.value, finding.fix])).toEqual([
            ['probable-rename', 'Nurture', true],
            ['label-changed', 'Cold', true],
            ['new-value', 'Interested', true]
        ]);
        expect(report.findings[1]).toMatchObject({ stageName: 'Cold', newStageName: 'Kalt', recordedLabel: 'Cold' });
        expect(report).toEqual(
            driftReport(
                {
                    object: 'Lead',
                    field: 'Status',
                    values,
                    stages: state.stages.map((stage) => ({ id: stage.id, name: stage.name })),
                    mappings: [
                        { value: 'Cold', stageId: 'stg-cold', label: 'Cold' },
                        { value: 'Nurture', stageId: 'stg-unresponsive', label: 'Nurture' }
                    ]
                },
                { newStageNames: 'apiName' }
            )
        );
    });

    it('lets the value stand for the label of a mapping recorded without one (old data)', () => {
        // Old data: no mapping recorded a label, so Cold's label "Kalt" reads as changed from "Cold".
        const others = [
            { value: 'Nurture', label: 'Nurture', active: true },
            { value: 'Recycled', label: 'Recycled', active: true }
        ];
        const relabelled = driftOf(LEAD_STATUS, [{ value: 'Cold', label: 'Kalt', active: true }, ...others], leadState);
        const unchanged = driftOf(LEAD_STATUS, [{ value: 'Cold', label: 'Cold', active: true }, ...others], leadState);

        expect(relabelled.findings).toEqual([
            expect.objectContaining({ value: 'Cold', kind: 'label-changed', recordedLabel: 'Cold' })
        ]);
        expect(unchanged.findings).toEqual([]);
    });

    it("compares a recorded label only when it was read in the user's language (Jest's user reads en)", () => {
        // An English-reading user and Cold's label recorded by a German one: "Kalt" against "Cold" is no change.
        const others = [
            { value: 'Nurture', label: 'Nurture', active: true },
            { value: 'Recycled', label: 'Recycled', active: true }
        ];
        const values = [{ value: 'Cold', label: 'Cold', active: true }, ...others];
        const withLanguage = (labelLanguage: string): ScopeState => ({
            ...leadState,
            mappings: leadState.mappings.map((mapping) => {
                return mapping.value === 'Cold' ? { ...mapping, label: 'Kalt', labelLanguage } : mapping;
            })
        });

        expect(driftOf(LEAD_STATUS, values, withLanguage('de')).findings).toEqual([]);
        expect(driftOf(LEAD_STATUS, values, withLanguage('en')).findings).toEqual([
            expect.objectContaining({ value: 'Cold', kind: 'label-changed', recordedLabel: 'Kalt' })
        ]);
        const rest = [{ value: 'Nurture' }, { value: 'Recycled' }];
        const summary: ScopeSummary = { object: 'Lead', field: 'Status', family: 'contact', mappingCount: 3 };
        const german = { value: 'Cold', label: 'Kalt', labelLanguage: 'de' };
        expect(inSync(values, { ...summary, mappings: [german, ...rest] })).toBe(true);
        // Recorded in no known language: compared, as for old data.
        expect(inSync(values, { ...summary, mappings: [{ value: 'Cold', label: 'Kalt' }, ...rest] })).toBe(false);
    });

    it("tells a field in sync from its summary's mapped values and labels, without stages", () => {
        const summary: ScopeSummary = {
            object: 'Lead',
            field: 'Status',
            family: 'contact',
            mappingCount: 2,
            mappings: [{ value: 'Cold', label: 'Kalt' }, { value: 'Nurture' }]
        };
        const cold = { value: 'Cold', label: 'Kalt', active: true };
        const nurture = { value: 'Nurture', label: 'Nurture', active: true };
        const values = [cold, nurture];

        expect(inSync(values, summary)).toBe(true);
        // An inactive unmapped value is not drift; an active one is.
        expect(inSync([...values, { value: 'Old', label: 'Old', active: false }], summary)).toBe(true);
        expect(inSync([...values, { value: 'New', label: 'New', active: true }], summary)).toBe(false);
        // A relabelled, a deactivated and a removed value each put it out of sync.
        expect(inSync([{ value: 'Cold', label: 'Frosty', active: true }, nurture], summary)).toBe(false);
        expect(inSync([cold, { value: 'Nurture', label: 'Nurture', active: false }], summary)).toBe(false);
        expect(inSync([cold], summary)).toBe(false);
        // Two mappings whose stages are unknown are still two mappings (each gets a stage id of its own).
        expect(inSync([cold], { ...summary, mappings: [{ value: 'Cold', label: 'Kalt' }] })).toBe(true);
    });

    it('reads a summary without mapped values as no mapping: in sync only without active values', () => {
        const summary: ScopeSummary = { object: 'Lead', field: 'Rating', family: 'contact', mappingCount: 0 };

        expect(inSync([], summary)).toBe(true);
        expect(inSync([{ value: 'Hot', label: 'Hot', active: false }], summary)).toBe(true);
        expect(inSync([{ value: 'Hot', label: 'Hot', active: true }], summary)).toBe(false);
    });

    it('maps, unmaps, reads history, undoes and deletes with the parameters the controller declares', async () => {
        jest.mocked(setMapping).mockResolvedValue(JSON.stringify(leadState));
        jest.mocked(removeMapping).mockResolvedValue(JSON.stringify(leadState));
        jest.mocked(getRunHistory).mockResolvedValue(history);
        const firstRun = history.runs[0];
        if (!firstRun) {
            throw new Error('the history fixture has runs');
        }
        jest.mocked(undoRunApex).mockResolvedValue({ run: firstRun, version: 9 });
        const deletedStage = leadState.stages[0];
        if (!deletedStage) {
            throw new Error('the state fixture has stages');
        }
        const deletion = {
            deleted: deletedStage,
            movedRecords: 412,
            removedMappings: [{ object: 'Lead', field: 'Status', value: 'Cold' }]
        };
        jest.mocked(deleteStageApex).mockResolvedValue(JSON.stringify(deletion));

        await expect(mapValue(LEAD_STATUS, 'Interested', 'stg-interested')).resolves.toEqual(leadState);
        await expect(unmapValue(LEAD_STATUS, 'Cold')).resolves.toEqual(leadState);
        await expect(fetchRunHistory(LEAD_STATUS)).resolves.toEqual(history.runs);
        await undoRun('run-0001');
        await expect(deleteStage('stg-cold', 'stg-approaching')).resolves.toEqual(deletion);
        await deleteStage('stg-bad-data-2', null);

        expect(setMapping).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Interested',
            stageId: 'stg-interested'
        });
        expect(removeMapping).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status', value: 'Cold' });
        expect(getRunHistory).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
        expect(undoRunApex).toHaveBeenCalledWith({ runId: 'run-0001' });
        expect(deleteStageApex).toHaveBeenNthCalledWith(1, {
            stageId: 'stg-cold',
            moveRecordsToStageId: 'stg-approaching'
        });
        expect(deleteStageApex).toHaveBeenNthCalledWith(2, { stageId: 'stg-bad-data-2', moveRecordsToStageId: null });
    });

    it('passes the controller message through unchanged when a call is refused', async () => {
        const refusal = {
            status: 500,
            body: { message: 'Stage AutoMap could not reach the stage service. Try again.' }
        };
        jest.mocked(getScopeState).mockRejectedValue(refusal);

        await expect(fetchScopeState(LEAD_STATUS)).rejects.toBe(refusal);
    });

    it('turns UI API values into active values with their translated labels', () => {
        const values = toServiceValues(leadStatusValues.values);

        expect(values).toHaveLength(10);
        expect(values[8]).toEqual({ value: 'Closed - Converted', label: 'Closed - Converted', active: true });
    });

    it('gives the engine only ids, names, values and stage ids', () => {
        const input = toPlanInput(LEAD_STATUS, [{ value: 'Cold', label: 'Kalt', active: true }], leadState);

        expect(input.object).toBe('Lead');
        expect(input.stages[0]).toEqual({ id: 'stg-cold', name: 'Cold' });
        expect(input.mappings).toEqual([
            { value: 'Cold', stageId: 'stg-cold' },
            { value: 'Nurture', stageId: 'stg-unresponsive' },
            { value: 'Recycled', stageId: 'stg-replied' }
        ]);
    });

    it('makes a new random UUID v4 idempotency key each time', () => {
        const first = newIdempotencyKey();
        const second = newIdempotencyKey();

        expect(first).toMatch(UUID_V4);
        expect(second).toMatch(UUID_V4);
        expect(first).not.toBe(second);
    });

    it('still makes a UUID v4 where crypto.randomUUID is missing', () => {
        // Older Lightning Web Security sandboxes expose only getRandomValues.
        const original = crypto.randomUUID;
        Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
        try {
            expect(newIdempotencyKey()).toMatch(UUID_V4);
        } finally {
            Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
        }
    });
});
