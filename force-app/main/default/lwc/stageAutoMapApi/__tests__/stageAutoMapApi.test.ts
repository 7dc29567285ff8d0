import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMapApex from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import setMapping from '@salesforce/apex/StageAutoMapController.setMapping';
import removeMapping from '@salesforce/apex/StageAutoMapController.removeMapping';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import undoRunApex from '@salesforce/apex/StageAutoMapController.undoRun';
import deleteStageApex from '@salesforce/apex/StageAutoMapController.deleteStage';
import getMappedFields from '@salesforce/apex/StageAutoMapController.getMappedFields';
import {
    applyAutoMap,
    deleteStage,
    fetchMappedFields,
    fetchRunHistory,
    fetchScopeState,
    hasAutoMapRun,
    mapValue,
    mappedFieldNames,
    newIdempotencyKey,
    toPlanInput,
    toServiceValues,
    undoRun,
    unmapValue
} from 'c/stageAutoMapApi';
import type { RunHistory, ScopeList, ScopeState, ScopeSummary } from 'c/stageAutoMapApi';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import historyJson from '../../stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';
import leadScopesJson from '../../stageAutoMapSetup/__tests__/data/mappedFieldsLead.json';
import contactScopesJson from '../../stageAutoMapSetup/__tests__/data/mappedFieldsContactNoRun.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatus.json';

// Every Apex method the module wraps, mocked: the tests check the exact parameters the controller receives.
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyAutoMap', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.setMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.removeMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.undoRun', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.deleteStage', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getMappedFields', () => ({ default: jest.fn() }), { virtual: true });

// Recorded service responses: JSON widens their literal types (family, source) to string.
const leadState = leadStateJson as ScopeState;
const history = historyJson as RunHistory;
const leadScopes = leadScopesJson as ScopeList;
const contactScopes = contactScopesJson as ScopeList;
const LEAD_STATUS = { objectApiName: 'Lead', fieldApiName: 'Status' };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('c/stageAutoMapApi', () => {
    afterEach(() => {
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    it('reads a scope state with exactly the object and field', async () => {
        jest.mocked(getScopeState).mockResolvedValue(leadState);

        await expect(fetchScopeState(LEAD_STATUS)).resolves.toBe(leadState);
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
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

    it('applies with the values, the previewed version and the idempotency key', async () => {
        jest.mocked(applyAutoMapApex).mockResolvedValue({
            status: 'conflict',
            version: 8,
            plan: {
                object: 'Lead',
                field: 'Status',
                family: 'contact',
                outcomes: [],
                suggestions: [],
                summary: {
                    total: 0,
                    counts: {
                        'already-mapped': 0,
                        'map-existing': 0,
                        'create-and-map': 0,
                        'skip-stage-taken': 0,
                        'skip-ambiguous': 0,
                        'skip-inactive': 0
                    }
                }
            },
            detail: 'The state changed.'
        });
        const values = [{ value: 'Cold', label: 'Kalt', active: true }];

        const result = await applyAutoMap(LEAD_STATUS, values, 7, 'key-1');

        expect(result.status).toBe('conflict');
        expect(applyAutoMapApex).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            values,
            expectedVersion: 7,
            idempotencyKey: 'key-1'
        });
    });

    it('maps, unmaps, reads history, undoes and deletes with the parameters the controller declares', async () => {
        jest.mocked(setMapping).mockResolvedValue(leadState);
        jest.mocked(removeMapping).mockResolvedValue(leadState);
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
        jest.mocked(deleteStageApex).mockResolvedValue({
            deleted: deletedStage,
            movedRecords: 412,
            removedMappings: [{ object: 'Lead', field: 'Status', value: 'Cold' }]
        });

        await mapValue(LEAD_STATUS, 'Interested', 'stg-interested');
        await unmapValue(LEAD_STATUS, 'Cold');
        await expect(fetchRunHistory(LEAD_STATUS)).resolves.toEqual(history.runs);
        await undoRun('run-0001');
        await deleteStage('stg-cold', 'stg-approaching');
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
