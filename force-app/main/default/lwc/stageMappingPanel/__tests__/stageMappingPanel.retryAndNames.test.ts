import { createElement } from 'lwc';
import StageMappingPanel from 'c/stageMappingPanel';
import { getObjectInfo, getObjectInfos, getPicklistValues } from 'lightning/uiObjectInfoApi';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import getMappedFields from '@salesforce/apex/StageAutoMapController.getMappedFields';
import type { OtherMapping, RunHistory, ScopeList, ScopeState } from 'c/stageAutoMapApi';
import leadObjectInfo from '../../picklistFieldPicker/__tests__/data/getObjectInfoLead.json';
import contactObjectInfo from '../../stageAutoMapSetup/__tests__/data/getObjectInfoContact.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusMaster.json';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import historyJson from '../../stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';
import leadScopesJson from '../../stageAutoMapSetup/__tests__/data/mappedFieldsLead.json';

jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getMappedFields', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Field_OtherObject', () => ({ default: '{0} ({1})' }), { virtual: true });

interface TestWireAdapter {
    emit(value: unknown): void;
    error(body?: unknown, status?: number, statusText?: string): void;
    getLastConfig(): Record<string, unknown> | undefined;
}
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
const objectInfosAdapter = getObjectInfos as unknown as TestWireAdapter;
const picklistValuesAdapter = getPicklistValues as unknown as TestWireAdapter;

type ChildElement = HTMLElement & {
    state?: ScopeState;
    stale?: boolean;
    canEdit?: boolean;
    disabled?: boolean;
    retryable?: boolean;
    friendlyMessage?: string;
    fieldNames?: Record<string, string>;
    otherMappings?: OtherMapping[];
    values?: unknown[];
};

const DOWN = { status: 500, body: { message: "Salesforce couldn't reach the stage service." } };

function leadState(): ScopeState {
    return JSON.parse(JSON.stringify(leadStateJson)) as ScopeState;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function child(element: HTMLElement, selector: string): ChildElement | null {
    return element.shadowRoot?.querySelector<ChildElement>(selector) ?? null;
}

function errorPanels(element: HTMLElement): ChildElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll<ChildElement>('c-error-panel') ?? []);
}

/** The Lead tab on Status, with the state the service answers (or its failure). */
async function openLeadPanel(): Promise<HTMLElement> {
    jest.mocked(getRunHistory).mockResolvedValue(JSON.parse(JSON.stringify(historyJson)) as RunHistory);
    jest.mocked(getMappedFields).mockResolvedValue(JSON.stringify(leadScopesJson));
    const element = createElement('c-stage-mapping-panel', { is: StageMappingPanel });
    Object.assign(element, { objectApiName: 'Lead', canEdit: true });
    document.body.appendChild(element);
    objectInfoAdapter.emit(leadObjectInfo);
    await flushPromises();
    picklistValuesAdapter.emit(leadStatusValues);
    await flushPromises();
    return element;
}

describe('c-stage-mapping-panel: Retry, stale rows, field names', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('offers Retry when the state cannot load, and shows the mappings once it can', async () => {
        // Step 1: the service is down for the first read.
        jest.mocked(getScopeState).mockRejectedValueOnce(DOWN).mockResolvedValueOnce(JSON.stringify(leadState()));
        const element = await openLeadPanel();
        const [panel] = errorPanels(element);
        expect(panel?.friendlyMessage).toBe('c.AutoMap_Panel_LoadError');
        expect(panel?.retryable).toBe(true);
        expect(child(element, 'c-stage-mapping-table')).toBeNull();
        await expect(element).toBeAccessible();

        // Step 2: Retry reads the state (and the object's mapped fields) again.
        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();
        expect(getScopeState).toHaveBeenCalledTimes(2);
        expect(errorPanels(element)).toHaveLength(0);
        expect(child(element, 'c-stage-mapping-table')?.state?.version).toBe(7);
        // Focus leaves the vanished Retry for the heading of what loaded.
        expect(element.shadowRoot?.activeElement?.getAttribute('data-id')).toBe('mappings-heading');
    });

    it('keeps the rows after a failed refresh, without actions and saying they may be out of date', async () => {
        // Step 1: loaded; then the service goes down.
        jest.mocked(getScopeState)
            .mockResolvedValueOnce(JSON.stringify(leadState()))
            .mockRejectedValueOnce(DOWN)
            .mockResolvedValueOnce(JSON.stringify(leadState()));
        const element = await openLeadPanel();
        expect(child(element, 'c-stage-mapping-table')?.stale).toBe(false);

        // Step 2: housekeeping asks for a reload, which fails.
        child(element, 'c-stage-housekeeping')?.dispatchEvent(new CustomEvent('statechange', { detail: {} }));
        await flushPromises();
        expect(child(element, 'c-stage-mapping-table')?.state?.version).toBe(7);
        expect(child(element, 'c-stage-mapping-table')?.stale).toBe(true);
        expect(child(element, 'c-stage-housekeeping')?.stale).toBe(true);
        expect(child(element, '[data-id="auto-map-button"]')?.disabled).toBe(true);
        expect(child(element, '[data-id="stale-notice"]')?.textContent.trim()).toBe('c.AutoMap_Panel_StaleNotice');
        const [panel] = errorPanels(element);
        expect(panel?.retryable).toBe(true);
        await expect(element).toBeAccessible();

        // Step 3: Retry works: the actions are back.
        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();
        expect(child(element, 'c-stage-mapping-table')?.stale).toBe(false);
        expect(child(element, '[data-id="stale-notice"]')).toBeNull();
        expect(child(element, '[data-id="auto-map-button"]')?.disabled).toBe(false);
    });

    it("offers Retry when the object's mapped fields cannot load", async () => {
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(leadState()));
        const element = await openLeadPanel();
        jest.mocked(getMappedFields).mockRejectedValueOnce(DOWN);
        // A change reads the mapped fields again; they fail.
        child(element, 'c-stage-housekeeping')?.dispatchEvent(new CustomEvent('statechange', { detail: {} }));
        await flushPromises();
        const panel = child(element, '[data-id="mapped-fields-error"]');
        expect(panel?.retryable).toBe(true);
        const reads = jest.mocked(getMappedFields).mock.calls.length;

        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();

        expect(getMappedFields).toHaveBeenCalledTimes(reads + 1);
        expect(child(element, '[data-id="mapped-fields-error"]')).toBeNull();
    });

    it('offers Retry when the values cannot load, and asks the UI API again', async () => {
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(leadState()));
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        jest.mocked(getMappedFields).mockResolvedValue(JSON.stringify({ scopes: [] } satisfies ScopeList));
        const element = createElement('c-stage-mapping-panel', { is: StageMappingPanel });
        Object.assign(element, { objectApiName: 'Lead', canEdit: true });
        document.body.appendChild(element);
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        picklistValuesAdapter.error({ message: 'Service Unavailable' }, 503, 'Service Unavailable');
        await flushPromises();
        const panel = errorPanels(element).find(
            (candidate) => candidate.friendlyMessage === 'c.AutoMap_Wizard_ValuesError'
        );
        expect(panel?.retryable).toBe(true);

        // Retry asks the adapter for the values again: the error goes, the page waits, then shows them.
        // (The stub adapter's class is its `adapter`; LWC calls `update` on its instance with each new config.)
        const adapterClass = (getPicklistValues as unknown as { adapter: { prototype: { update(c: unknown): void } } })
            .adapter;
        const update = jest.spyOn(adapterClass.prototype, 'update');
        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();
        expect(errorPanels(element)).toHaveLength(0);
        expect(update).toHaveBeenLastCalledWith({ recordTypeId: '012000000000000AAA', fieldApiName: 'Lead.Status' });
        update.mockRestore();
        picklistValuesAdapter.emit(leadStatusValues);
        await flushPromises();
        expect(child(element, 'c-stage-mapping-table')?.values).toHaveLength(10);
    });

    it("names other fields by their labels, reading the other objects' info, for housekeeping and history", async () => {
        // Step 1: Contact's fields map stages of the family too.
        const shared = leadState();
        shared.otherMappings = [
            { object: 'Contact', field: 'Contact_Status__c', value: 'Interested', stageId: 'stg-interested' },
            { object: 'Lead', field: 'LeadSource', value: 'Web', stageId: 'stg-approaching' },
            { object: 'Contact', field: 'Unknown__c', value: 'X', stageId: 'stg-cold' }
        ];
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(shared));
        const element = await openLeadPanel();

        // Step 2: the other object's info is asked for, once, and arrives.
        expect(objectInfosAdapter.getLastConfig()).toEqual({ objectApiNames: ['Contact'] });
        objectInfosAdapter.emit({ results: [{ result: contactObjectInfo, statusCode: 200 }] });
        await flushPromises();

        // Step 3: this object's fields by label; another object's with the object; unknown ones by API name.
        const names = {
            'Lead.Status': 'Lead Status',
            'Lead.LeadSource': 'Lead Source',
            'Contact.Contact_Status__c': 'Contact Status (Contact)'
        };
        expect(child(element, 'c-stage-housekeeping')?.fieldNames).toEqual(names);
        const history = child(element, 'c-run-history');
        expect(history?.fieldNames).toEqual(names);
        expect(history?.otherMappings).toEqual(shared.otherMappings);
        expect(history?.values).toHaveLength(10);
    });
});
