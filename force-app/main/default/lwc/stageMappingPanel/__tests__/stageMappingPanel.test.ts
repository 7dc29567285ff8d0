import { createElement } from 'lwc';
import StageMappingPanel from 'c/stageMappingPanel';
import LightningModal from 'lightning/modal';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import getMappedFields from '@salesforce/apex/StageAutoMapController.getMappedFields';
import type { RunHistory, ScopeList, ScopeState } from 'c/stageAutoMapApi';
import leadObjectInfo from '../../picklistFieldPicker/__tests__/data/getObjectInfoLead.json';
import contactObjectInfo from '../../stageAutoMapSetup/__tests__/data/getObjectInfoContact.json';
import accountObjectInfo from '../../stageAutoMapSetup/__tests__/data/getObjectInfoAccount.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusMaster.json';
import contactStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesContactStatus.json';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import contactStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateContactStatus.json';
import accountStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateAccountType.json';
import historyJson from '../../stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';
import leadScopesJson from '../../stageAutoMapSetup/__tests__/data/mappedFieldsLead.json';
import contactScopesJson from '../../stageAutoMapSetup/__tests__/data/mappedFieldsContactNoRun.json';

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

type ChildElement = HTMLElement & {
    state?: ScopeState;
    values?: unknown[];
    canEdit?: boolean;
    canUndo?: boolean;
    objectApiName?: string;
    fieldApiName?: string;
    label?: string;
    value?: string;
    mappedFields?: string[];
};

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
}

const MASTER = '012000000000000AAA';

/** Fresh copies of recorded service responses (JSON widens their literal types to string). */
function scopeState(json: unknown): ScopeState {
    return JSON.parse(JSON.stringify(json)) as ScopeState;
}

function history(): RunHistory {
    return JSON.parse(JSON.stringify(historyJson)) as RunHistory;
}

/** Recorded scope lists (`GET /v1/scopes?object=O&include=mappings`) as JSON text, as getMappedFields returns them. */
function scopeList(json: unknown): string {
    return JSON.stringify(json);
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createPanel(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-stage-mapping-panel', { is: StageMappingPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function child(element: HTMLElement, selector: string): ChildElement | null {
    return element.shadowRoot?.querySelector<ChildElement>(selector) ?? null;
}

/** The Lead tab with Lead Status loaded: object info, every value (master record type), state and history. */
async function openLeadPanel(canEdit = true): Promise<HTMLElement> {
    jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(scopeState(leadStateJson)));
    jest.mocked(getRunHistory).mockResolvedValue(history());
    jest.mocked(getMappedFields).mockResolvedValue(scopeList(leadScopesJson));
    const element = createPanel({ objectApiName: 'Lead', canEdit });
    objectInfoAdapter.emit(leadObjectInfo);
    await flushPromises();
    picklistValuesAdapter.emit(leadStatusValues);
    await flushPromises();
    return element;
}

describe('c-stage-mapping-panel', () => {
    beforeEach(() => {
        // No field of the object mapped or run unless a test says otherwise.
        jest.mocked(getMappedFields).mockResolvedValue(JSON.stringify({ scopes: [] } satisfies ScopeList));
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    it('shows a spinner while the state and the values load, accessibly', async () => {
        // The state never arrives in this test.
        jest.mocked(getScopeState).mockReturnValue(new Promise(() => undefined));
        jest.mocked(getRunHistory).mockReturnValue(new Promise(() => undefined));
        jest.mocked(getMappedFields).mockReturnValue(new Promise(() => undefined));
        const element = createPanel({ objectApiName: 'Lead', canEdit: true });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();

        expect(child(element, '[data-id="loading"] lightning-spinner')).not.toBeNull();
        expect(child(element, 'c-stage-mapping-table')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('opens Lead on Status and reads its state once and every active value of the field', async () => {
        const element = await openLeadPanel();

        // The scope state through Apex, the values through the UI API with the master record type.
        expect(getScopeState).toHaveBeenCalledTimes(1);
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
        expect(picklistValuesAdapter.getLastConfig()).toEqual({ recordTypeId: MASTER, fieldApiName: 'Lead.Status' });
        expect(child(element, 'c-picklist-field-picker')?.value).toBe('Status');

        // The mappings table and housekeeping get the state and the values; the history gets the scope.
        const table = child(element, 'c-stage-mapping-table');
        expect(table?.state?.version).toBe(7);
        expect(table?.values).toHaveLength(10);
        expect(table?.canEdit).toBe(true);
        expect(child(element, 'c-stage-housekeeping')?.state?.version).toBe(7);
        const runHistory = child(element, 'c-run-history');
        expect([runHistory?.objectApiName, runHistory?.fieldApiName, runHistory?.canUndo]).toEqual([
            'Lead',
            'Status',
            true
        ]);
        expect(getRunHistory).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
        // The object's mapped fields, once, for the whole object.
        expect(getMappedFields).toHaveBeenCalledTimes(1);
        expect(getMappedFields).toHaveBeenCalledWith({ objectApiName: 'Lead' });
        await expect(element).toBeAccessible();
    });

    it('lists the unmapped fields of the object first and marked, from the mapped fields the service knows', async () => {
        const element = await openLeadPanel();

        // Lead Source is mapped by hand, Status by a run; Rating's only run was undone: no mapping left.
        const picker = child(element, 'c-picklist-field-picker');
        expect(picker?.mappedFields).toEqual(['LeadSource', 'Status']);
        const combobox = picker?.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox');
        expect(combobox?.options.map((option) => option.value)).toEqual([
            'Engagement_Stage__c',
            'Industry',
            'Rating',
            'LeadSource',
            'Status'
        ]);
        expect(combobox?.options.map((option) => option.label)).toEqual([
            'Engagement Stage c.AutoMap_FieldPicker_UnmappedSuffix',
            'Industry c.AutoMap_FieldPicker_UnmappedSuffix',
            'Rating c.AutoMap_FieldPicker_UnmappedSuffix',
            'Lead Source',
            'Lead Status'
        ]);
        await expect(element).toBeAccessible();
    });

    it('reads "Create & Auto-Map Stages" once an auto-map has run for the field', async () => {
        const element = await openLeadPanel();

        expect(child(element, '[data-id="auto-map-button"]')?.label).toBe('c.AutoMap_Panel_CreateAndAutoMap');
        expect(child(element, '[data-id="last-run"]')?.textContent.trim()).toBe('c.AutoMap_Panel_LastRun');
    });

    it('reads "Get Started" before the first auto-map, on the Contact status field it found', async () => {
        // Step 1: Contact has no standard status: the custom Contact_Status__c picklist is chosen.
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(scopeState(contactStateJson)));
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        // Lead Source is mapped by hand: a mapping is not a run.
        jest.mocked(getMappedFields).mockResolvedValue(scopeList(contactScopesJson));
        const element = createPanel({ objectApiName: 'Contact', canEdit: true });
        objectInfoAdapter.emit(contactObjectInfo);
        await flushPromises();
        picklistValuesAdapter.emit(contactStatusValues);
        await flushPromises();

        // Step 2: no run exists for any field of Contact.
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Contact', fieldApiName: 'Contact_Status__c' });
        expect(getMappedFields).toHaveBeenCalledWith({ objectApiName: 'Contact' });
        expect(child(element, '[data-id="auto-map-button"]')?.label).toBe('c.AutoMap_Panel_GetStarted');
        expect(child(element, '[data-id="last-run"]')).toBeNull();
        expect(child(element, 'c-picklist-field-picker')?.mappedFields).toEqual(['LeadSource']);
        await expect(element).toBeAccessible();
    });

    it('reads "Get Started" when Apex leaves the null lastRun and lastRunAt out (they may arrive as missing)', async () => {
        // Step 1: the Contact state and the hand-mapped Lead Source, each without its null member, as Apex may send them.
        const { lastRun, ...stateWithoutRun } = scopeState(contactStateJson);
        expect(lastRun).toBeNull();
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(stateWithoutRun));
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        jest.mocked(getMappedFields).mockResolvedValue(
            JSON.stringify({
                scopes: [{ object: 'Contact', field: 'LeadSource', family: 'contact', mappingCount: 1 }]
            } satisfies ScopeList)
        );
        const element = createPanel({ objectApiName: 'Contact', canEdit: true });
        objectInfoAdapter.emit(contactObjectInfo);
        await flushPromises();
        picklistValuesAdapter.emit(contactStatusValues);
        await flushPromises();

        // Step 2: missing reads like null: no run, so no last-run line and "Get Started".
        expect(child(element, '[data-id="auto-map-button"]')?.label).toBe('c.AutoMap_Panel_GetStarted');
        expect(child(element, '[data-id="last-run"]')).toBeNull();
        expect(child(element, 'c-picklist-field-picker')?.mappedFields).toEqual(['LeadSource']);
        await expect(element).toBeAccessible();
    });

    it('reads "Create & Auto-Map Stages" when another field of the object had a run', async () => {
        // Step 1: Contact_Status__c never ran, but Lead Source did (its run was undone: it still ran).
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(scopeState(contactStateJson)));
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        jest.mocked(getMappedFields).mockResolvedValueOnce(
            JSON.stringify({
                scopes: [
                    {
                        object: 'Contact',
                        field: 'LeadSource',
                        family: 'contact',
                        mappingCount: 0,
                        lastRunAt: '2026-09-30T11:00:00.000Z'
                    }
                ]
            } satisfies ScopeList)
        );
        const element = createPanel({ objectApiName: 'Contact', canEdit: true });
        objectInfoAdapter.emit(contactObjectInfo);
        await flushPromises();
        picklistValuesAdapter.emit(contactStatusValues);
        await flushPromises();

        expect(child(element, '[data-id="auto-map-button"]')?.label).toBe('c.AutoMap_Panel_CreateAndAutoMap');
        // The last-run line is about the field shown, which never ran.
        expect(child(element, '[data-id="last-run"]')).toBeNull();
        expect(child(element, 'c-picklist-field-picker')?.mappedFields).toEqual([]);
        await expect(element).toBeAccessible();
    });

    it('flips "Get Started" to "Create & Auto-Map Stages" once the wizard has run', async () => {
        // Step 1: Account has no run yet.
        jest.mocked(LightningModal.open).mockResolvedValue({ changed: true });
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(scopeState(accountStateJson)));
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        const fresh = createPanel({ objectApiName: 'Account', canEdit: true });
        objectInfoAdapter.emit(accountObjectInfo);
        await flushPromises();
        expect(child(fresh, '[data-id="auto-map-button"]')?.label).toBe('c.AutoMap_Panel_GetStarted');

        // Step 2: the wizard ran on Type; the panel reads the object's fields again when it closes.
        jest.mocked(getMappedFields).mockResolvedValueOnce(
            JSON.stringify({
                scopes: [
                    {
                        object: 'Account',
                        field: 'Type',
                        family: 'account',
                        mappingCount: 2,
                        lastRunAt: '2026-10-03T08:00:00.000Z'
                    }
                ]
            } satisfies ScopeList)
        );
        child(fresh, '[data-id="auto-map-button"]')?.click();
        await flushPromises();
        expect(getMappedFields).toHaveBeenLastCalledWith({ objectApiName: 'Account' });
        expect(child(fresh, '[data-id="auto-map-button"]')?.label).toBe('c.AutoMap_Panel_CreateAndAutoMap');
        expect(child(fresh, 'c-picklist-field-picker')?.mappedFields).toEqual(['Type']);
    });

    it('opens Account on Type', async () => {
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(scopeState(accountStateJson)));
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        createPanel({ objectApiName: 'Account', canEdit: true });
        objectInfoAdapter.emit(accountObjectInfo);
        await flushPromises();

        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Account', fieldApiName: 'Type' });
    });

    it('asks the admin to choose a field when the object has no status-like picklist', async () => {
        const fields = Object.fromEntries(
            Object.entries(contactObjectInfo.fields).filter(([name]) => name !== 'Contact_Status__c')
        );
        const element = createPanel({ objectApiName: 'Contact', canEdit: true });
        objectInfoAdapter.emit({ ...contactObjectInfo, fields });
        await flushPromises();

        expect(child(element, '[data-id="choose-field"]')?.textContent).toBe('c.AutoMap_Panel_ChooseField');
        expect(getScopeState).not.toHaveBeenCalled();
        expect(child(element, 'c-run-history')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('leaves the object info error to the field picker and asks for nothing else', async () => {
        const element = createPanel({ objectApiName: 'Lead', canEdit: true });
        objectInfoAdapter.error({ message: 'You do not have access to the Lead object.' }, 403, 'Forbidden');
        await flushPromises();

        // The picker shows the UI API error; the panel neither asks for a field nor calls Apex.
        expect(child(element, 'c-picklist-field-picker')?.shadowRoot?.querySelector('c-error-panel')).not.toBeNull();
        expect(child(element, '[data-id="choose-field"]')).toBeNull();
        expect(getScopeState).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('switches to the field the admin picks', async () => {
        const element = await openLeadPanel();

        child(element, 'c-picklist-field-picker')?.dispatchEvent(
            new CustomEvent('fieldchange', { detail: { fieldApiName: 'Rating' } })
        );
        await flushPromises();

        expect(getScopeState).toHaveBeenLastCalledWith({ objectApiName: 'Lead', fieldApiName: 'Rating' });
        expect(picklistValuesAdapter.getLastConfig()).toEqual({ recordTypeId: MASTER, fieldApiName: 'Lead.Rating' });
    });

    it('opens the wizard on the field and reads the state and history again when it closes', async () => {
        // Step 1: the wizard closes reporting a change.
        jest.mocked(LightningModal.open).mockResolvedValue({ changed: true });
        const element = await openLeadPanel();

        // Step 2: the button opens the wizard with the scope and what the panel knows is mapped.
        child(element, '[data-id="auto-map-button"]')?.click();
        await flushPromises();
        expect(LightningModal.open).toHaveBeenCalledWith({
            label: 'c.AutoMap_Wizard_Header',
            description: 'c.AutoMap_Wizard_Description',
            size: 'large',
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            mappedFields: ['LeadSource', 'Status']
        });

        // Step 3: state, history and the object's mapped fields are read again.
        expect(getScopeState).toHaveBeenCalledTimes(2);
        expect(getRunHistory).toHaveBeenCalledTimes(2);
        expect(getMappedFields).toHaveBeenCalledTimes(2);
    });

    it('reads the state again even when the wizard was closed with Esc', async () => {
        jest.mocked(LightningModal.open).mockResolvedValue(undefined);
        const element = await openLeadPanel();

        child(element, '[data-id="auto-map-button"]')?.click();
        await flushPromises();

        expect(getScopeState).toHaveBeenCalledTimes(2);
    });

    it('takes the new state from the mappings table, and reloads when housekeeping asks', async () => {
        const element = await openLeadPanel();
        const updated = scopeState(leadStateJson);
        updated.version = 8;

        // Step 1: the table hands over the state the controller returned: no new read.
        child(element, 'c-stage-mapping-table')?.dispatchEvent(
            new CustomEvent('statechange', { detail: { state: updated } })
        );
        await flushPromises();
        expect(getScopeState).toHaveBeenCalledTimes(1);
        expect(child(element, 'c-stage-housekeeping')?.state?.version).toBe(8);
        // A manual map may have mapped the field's first value: the mapped fields are read again.
        expect(getMappedFields).toHaveBeenCalledTimes(2);
        expect(getMappedFields).toHaveBeenLastCalledWith({ objectApiName: 'Lead' });

        // Step 2: a stage was deleted: the panel reads the state and the mapped fields again.
        child(element, 'c-stage-housekeeping')?.dispatchEvent(new CustomEvent('statechange', { detail: {} }));
        await flushPromises();
        expect(getScopeState).toHaveBeenCalledTimes(2);
        expect(getMappedFields).toHaveBeenCalledTimes(3);
    });

    it('does not take a state for a field the admin has since left, and reads the field shown again', async () => {
        const element = await openLeadPanel();
        // Step 1: the admin switches to Rating while a save on Status is still on its way.
        const rating = scopeState(leadStateJson);
        rating.field = 'Rating';
        rating.version = 3;
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(rating));
        child(element, 'c-picklist-field-picker')?.dispatchEvent(
            new CustomEvent('fieldchange', { detail: { fieldApiName: 'Rating' } })
        );
        await flushPromises();
        picklistValuesAdapter.emit(leadStatusValues);
        await flushPromises();
        expect(getScopeState).toHaveBeenCalledTimes(2);

        // Step 2: the save answers with the state of Status: Rating keeps its own, read again.
        const status = scopeState(leadStateJson);
        status.version = 8;
        child(element, 'c-stage-mapping-table')?.dispatchEvent(
            new CustomEvent('statechange', { detail: { state: status } })
        );
        await flushPromises();
        expect(getScopeState).toHaveBeenCalledTimes(3);
        expect(getScopeState).toHaveBeenLastCalledWith({ objectApiName: 'Lead', fieldApiName: 'Rating' });
        expect(child(element, 'c-stage-housekeeping')?.state?.field).toBe('Rating');
        expect(child(element, 'c-stage-housekeeping')?.state?.version).toBe(3);
    });

    it("marks the field shown as its state says, before the object's list catches up", async () => {
        const element = await openLeadPanel();
        // The table removed the last mapping of Status; the list read afterwards has not answered yet.
        jest.mocked(getMappedFields).mockReturnValue(new Promise(() => undefined));
        const unmapped = scopeState(leadStateJson);
        unmapped.mappings = [];

        child(element, 'c-stage-mapping-table')?.dispatchEvent(
            new CustomEvent('statechange', { detail: { state: unmapped } })
        );
        await flushPromises();

        expect(child(element, 'c-picklist-field-picker')?.mappedFields).toEqual(['LeadSource']);
    });

    it('reads the state again after a run is undone in the history', async () => {
        const element = await openLeadPanel();

        child(element, 'c-run-history')?.dispatchEvent(
            new CustomEvent('runundone', { detail: { runId: 'run-0001', version: 9 } })
        );
        await flushPromises();

        expect(getScopeState).toHaveBeenCalledTimes(2);
        expect(getMappedFields).toHaveBeenCalledTimes(2);
    });

    it('says when the mapped fields cannot load, and falls back to the field it shows', async () => {
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(scopeState(leadStateJson)));
        jest.mocked(getRunHistory).mockResolvedValue(history());
        jest.mocked(getMappedFields).mockRejectedValue({
            status: 500,
            body: { message: 'The stage service did not answer in time. Nothing was changed; try again.' }
        });
        const element = createPanel({ objectApiName: 'Lead', canEdit: true });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        picklistValuesAdapter.emit(leadStatusValues);
        await flushPromises();

        const panel = child(element, '[data-id="mapped-fields-error"]') as
            (ChildElement & { friendlyMessage: string }) | null;
        expect(panel?.friendlyMessage).toBe('c.AutoMap_Panel_MappedFieldsError');
        expect(panel?.shadowRoot?.textContent).toContain('did not answer in time');
        // The page still works: Status is mapped and has run, as its own state says.
        expect(child(element, 'c-picklist-field-picker')?.mappedFields).toEqual(['Status']);
        expect(child(element, '[data-id="auto-map-button"]')?.label).toBe('c.AutoMap_Panel_CreateAndAutoMap');
        expect(child(element, 'c-stage-mapping-table')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the controller message when the state cannot load', async () => {
        jest.mocked(getScopeState).mockRejectedValue({
            status: 500,
            body: { message: 'Stage AutoMap is not connected yet: ask your admin to set the Named Credential.' }
        });
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        // Not connected: the list fails too, but only one message says so.
        jest.mocked(getMappedFields).mockRejectedValue({
            status: 500,
            body: { message: 'Stage AutoMap is not connected yet: ask your admin to set the Named Credential.' }
        });
        const element = createPanel({ objectApiName: 'Lead', canEdit: true });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        picklistValuesAdapter.emit(leadStatusValues);
        await flushPromises();

        expect(element.shadowRoot?.querySelectorAll('c-error-panel')).toHaveLength(1);
        const panel = element.shadowRoot?.querySelector<HTMLElement & { friendlyMessage: string }>('c-error-panel');
        expect(panel?.friendlyMessage).toBe('c.AutoMap_Panel_LoadError');
        expect(panel?.shadowRoot?.textContent).toContain('not connected yet');
        expect(child(element, 'c-stage-mapping-table')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the UI API error when the values cannot load', async () => {
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(scopeState(leadStateJson)));
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        const element = createPanel({ objectApiName: 'Lead', canEdit: true });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        picklistValuesAdapter.error({ message: 'The requested resource does not exist' }, 404, 'Not Found');
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { friendlyMessage: string }>('c-error-panel');
        expect(panel?.friendlyMessage).toBe('c.AutoMap_Wizard_ValuesError');
        await expect(element).toBeAccessible();
    });

    it('shows a read-only user the mappings, housekeeping and history without any action', async () => {
        const element = await openLeadPanel(false);

        expect(child(element, '[data-id="auto-map"]')).toBeNull();
        expect(child(element, 'c-stage-mapping-table')?.canEdit).toBe(false);
        expect(child(element, 'c-stage-housekeeping')?.canEdit).toBe(false);
        expect(child(element, 'c-run-history')?.canUndo).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('says which objects are supported when given another one', async () => {
        const element = createPanel({ objectApiName: 'Opportunity', canEdit: true });
        await flushPromises();

        expect(getMappedFields).not.toHaveBeenCalled();
        expect(child(element, '[data-id="unsupported"]')?.textContent).toBe('c.AutoMap_Panel_UnsupportedObject');
        await expect(element).toBeAccessible();
    });
});
