import { createElement } from 'lwc';
import StageMappingPanel from 'c/stageMappingPanel';
import LightningModal from 'lightning/modal';
import Toast from 'lightning/toast';
import { getObjectInfo, getPicklistValues, getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import type { PicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import getMappedFields from '@salesforce/apex/StageAutoMapController.getMappedFields';
import type { RunSummary, ScopeList, ScopeState, ScopeSummary } from 'c/stageAutoMapApi';
import leadObjectInfo from '../../picklistFieldPicker/__tests__/data/getObjectInfoLead.json';
import leadPicklistsJson from '../../picklistFieldPicker/__tests__/data/getPicklistValuesByRecordTypeLeadMaster.json';
import driftedValues from '../../stageDriftPanel/__tests__/data/getPicklistValuesLeadStatusDrifted.json';
import mappedStateJson from '../../stageDriftPanel/__tests__/data/scopeStateLeadStatusMapped.json';
import fixedStateJson from '../../stageDriftPanel/__tests__/data/scopeStateLeadStatusFixed.json';
import appliedJson from '../../stageDriftPanel/__tests__/data/applyDriftFixesApplied.json';

jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getMappedFields', () => ({ default: jest.fn() }), { virtual: true });

// The stub adapters of sfdx-lwc-jest carry emit()/error()/getLastConfig(), which the platform types do not know.
interface TestWireAdapter {
    emit(value: unknown): void;
    error(body?: unknown, status?: number, statusText?: string): void;
    getLastConfig(): Record<string, unknown>;
}
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
const picklistValuesAdapter = getPicklistValues as unknown as TestWireAdapter;
const picklistsAdapter = getPicklistValuesByRecordType as unknown as TestWireAdapter;

type ChildElement = HTMLElement & {
    state?: ScopeState;
    values?: { value: string }[];
    canEdit?: boolean;
    stale?: boolean;
    scopes?: ScopeSummary[];
};

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
}

/** Fresh copies of recorded service answers (JSON widens their literal types to string). */
function stateOf(json: unknown): ScopeState {
    return JSON.parse(JSON.stringify(json)) as ScopeState;
}

/** The Lead scopes the service lists with `include=mappings`: Status as the first auto-map left it. */
function leadScopes(): ScopeList {
    const state = stateOf(mappedStateJson);
    return {
        scopes: [
            {
                object: 'Lead',
                field: 'Status',
                family: 'contact',
                mappingCount: state.mappings.length,
                lastRunAt: '2026-10-02T09:30:00.000Z',
                mappings: state.mappings.map((mapping) => ({ value: mapping.value, label: mapping.label ?? '' }))
            }
        ]
    };
}

/** Every picklist of Lead as the UI API lists it once the admin changed Lead Status (the drifted values). */
function driftedPicklists(): PicklistValuesByRecordType {
    const picklists = JSON.parse(JSON.stringify(leadPicklistsJson)) as PicklistValuesByRecordType;
    picklists.picklistFieldValues.Status = JSON.parse(
        JSON.stringify(driftedValues)
    ) as PicklistValuesByRecordType['picklistFieldValues'][string];
    return picklists;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function child(element: HTMLElement, selector: string): ChildElement | null {
    return element.shadowRoot?.querySelector<ChildElement>(selector) ?? null;
}

/**
 * The Lead tab on Status after its picklist changed since the first auto-map: Working - Contacted renamed, Nurturing
 * relabelled, Interested removed, Meeting Booked deactivated, Qualified added.
 */
async function openDriftedLeadPanel(canEdit = true): Promise<HTMLElement> {
    jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(stateOf(mappedStateJson)));
    jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
    jest.mocked(getMappedFields).mockResolvedValue(JSON.stringify(leadScopes()));
    const element = createElement('c-stage-mapping-panel', { is: StageMappingPanel });
    Object.assign(element, { objectApiName: 'Lead', canEdit });
    document.body.appendChild(element);
    objectInfoAdapter.emit(leadObjectInfo);
    await flushPromises();
    picklistValuesAdapter.emit(driftedValues);
    picklistsAdapter.emit(driftedPicklists());
    await flushPromises();
    return element;
}

function fixAllButton(element: HTMLElement): HTMLElement | null {
    return child(element, 'c-stage-drift-panel')?.shadowRoot?.querySelector('[data-id="fix-all"]') ?? null;
}

describe('c-stage-mapping-panel: changes since mapping', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    it('reports the changes since mapping under the mappings, on the state and values it already has, accessibly', async () => {
        const element = await openDriftedLeadPanel();

        // The section sits between the mappings and housekeeping.
        const sections = Array.from(element.shadowRoot?.querySelectorAll('section[data-id]') ?? []).map(
            (section) => section.getAttribute('data-id') ?? ''
        );
        expect(sections.indexOf('drift')).toBe(sections.indexOf('mappings') + 1);
        expect(sections.indexOf('housekeeping')).toBe(sections.indexOf('drift') + 1);
        expect(child(element, 'section[data-id="drift"] h3')?.textContent).toBe('c.AutoMap_Panel_DriftHeading');

        // The drift panel gets the one state and the field's values: no callout of its own (two per load, as before).
        const drift = child(element, 'c-stage-drift-panel');
        expect(drift?.state?.version).toBe(12);
        expect(drift?.values?.map((entry) => entry.value)).toContain('Working_Contacted');
        expect(drift?.canEdit).toBe(true);
        expect(drift?.stale).toBe(false);
        expect(getScopeState).toHaveBeenCalledTimes(1);
        expect(getMappedFields).toHaveBeenCalledTimes(1);
        expect(drift?.shadowRoot?.querySelectorAll('tbody tr')).toHaveLength(5);
        await expect(element).toBeAccessible();
    });

    it('marks Status as changed since mapping in the field picker, from the mappings of the state shown', async () => {
        const element = await openDriftedLeadPanel();

        const picker = child(element, 'c-picklist-field-picker');
        const status = picker?.scopes?.find((scope) => scope.field === 'Status');
        expect(status?.mappings).toHaveLength(8);
        expect(status?.mappings?.[0]).toEqual({ value: 'Open - Not Contacted', label: 'Open - Not Contacted' });
        const combobox = picker?.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox');
        expect(combobox?.options.find((option) => option.value === 'Status')?.label).toBe(
            'Lead Status c.AutoMap_FieldPicker_DriftSuffix'
        );
    });

    it('after Fix All Safe Changes: takes the fresh state, reads the mapped fields and the history again, as after an auto-map', async () => {
        // Step 1: the preview applies every fix; it closes with the run and the state read again.
        const element = await openDriftedLeadPanel();
        const fixed = stateOf(fixedStateJson);
        const run = (JSON.parse(JSON.stringify(appliedJson)) as { run: RunSummary }).run;
        jest.mocked(LightningModal.open).mockResolvedValue({ status: 'applied', run, state: fixed, fixCount: 5 });
        const fixedScopes = leadScopes();
        const summary = fixedScopes.scopes[0];
        if (summary) {
            summary.mappings = fixed.mappings.map((mapping) => ({ value: mapping.value, label: mapping.label ?? '' }));
        }
        jest.mocked(getMappedFields).mockResolvedValue(JSON.stringify(fixedScopes));

        // Step 2: Fix All Safe Changes.
        fixAllButton(element)?.click();
        await flushPromises();

        // The state came with the fixes: not read a third time; the mapped fields and the history are read again.
        expect(Toast.show).toHaveBeenCalledTimes(1);
        expect(getScopeState).toHaveBeenCalledTimes(1);
        expect(getMappedFields).toHaveBeenCalledTimes(2);
        expect(getRunHistory).toHaveBeenCalledTimes(2);
        expect(child(element, 'c-stage-mapping-table')?.state?.version).toBe(13);
        expect(child(element, 'c-stage-housekeeping')?.state?.version).toBe(13);
        // In sync now, in the section and in the picker.
        const drift = child(element, 'c-stage-drift-panel');
        expect(drift?.shadowRoot?.querySelector('[data-id="in-sync"]')).not.toBeNull();
        const combobox = child(element, 'c-picklist-field-picker')?.shadowRoot?.querySelector<ComboboxElement>(
            'lightning-combobox'
        );
        expect(combobox?.options.find((option) => option.value === 'Status')?.label).toBe(
            'Lead Status c.AutoMap_FieldPicker_InSyncSuffix'
        );
        await expect(element).toBeAccessible();
    });

    it('shows a read-only user the changes since mapping without any Fix', async () => {
        const element = await openDriftedLeadPanel(false);

        const drift = child(element, 'c-stage-drift-panel');
        expect(drift?.canEdit).toBe(false);
        expect(drift?.shadowRoot?.querySelectorAll('tbody tr')).toHaveLength(5);
        expect(fixAllButton(element)).toBeNull();
        await expect(element).toBeAccessible();
    });
});
