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
import { planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';
import {
    applyAutoMap,
    deleteStage,
    fetchMappedFields,
    fetchRunHistory,
    fetchScopeState,
    hasAutoMapRun,
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

    it("lists the object's mapped fields with exactly the object", async () => {
        jest.mocked(getMappedFields).mockResolvedValue(leadScopes);

        await expect(fetchMappedFields('Lead')).resolves.toBe(leadScopes.scopes);
        expect(getMappedFields).toHaveBeenCalledWith({ objectApiName: 'Lead' });
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
            newStageNames: 'label'
        });
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
        expect(result).toEqual({ status: 'applied', version: 8, plan, run, createdStages: after.created });
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
