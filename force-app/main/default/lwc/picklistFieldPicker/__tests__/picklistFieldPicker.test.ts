import { createElement } from 'lwc';
import PicklistFieldPicker from 'c/picklistFieldPicker';
import { getObjectInfo, getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, PicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import type { ScopeList, ScopeSummary } from 'c/stageAutoMapApi';
import leadObjectInfo from './data/getObjectInfoLead.json';
import leadPicklistValues from './data/getPicklistValuesByRecordTypeLeadMaster.json';
import leadScopesJson from './data/mappedFieldsLeadWithLabels.json';

// The stub adapters of sfdx-lwc-jest carry emit()/error()/getLastConfig(), which the platform types do not know.
interface TestWireAdapter {
    emit(value: unknown): void;
    error(body?: unknown, status?: number, statusText?: string): void;
    getLastConfig(): Record<string, unknown>;
}
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
const picklistValuesAdapter = getPicklistValuesByRecordType as unknown as TestWireAdapter;

const MASTER = '012000000000000AAA';

/** The Lead scopes the service lists with `include=mappings` (fresh copy: JSON widens literal types to string). */
function leadScopes(): ScopeSummary[] {
    return (JSON.parse(JSON.stringify(leadScopesJson)) as ScopeList).scopes;
}

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
    value: string;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createPicker(
    props: Partial<{ objectApiName: string; mappedFields: string[]; value: string; scopes: ScopeSummary[] }>
): HTMLElement {
    const element = createElement('c-picklist-field-picker', { is: PicklistFieldPicker });
    Object.assign(element, { objectApiName: 'Lead', ...props });
    document.body.appendChild(element);
    return element;
}

describe('c-picklist-field-picker', () => {
    afterEach(() => {
        // The jsdom instance is shared across tests in a file: empty it so tests stay independent.
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('asks the UI API for the object it was given', async () => {
        createPicker({ objectApiName: 'Lead' });
        await flushPromises();

        expect(objectInfoAdapter.getLastConfig()).toEqual({ objectApiName: 'Lead' });
    });

    it('shows a spinner while the object info loads, and is accessible', async () => {
        const element = createPicker({});
        await flushPromises();

        expect(element.shadowRoot?.querySelector('lightning-spinner')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('lists only single-select picklists, unmapped first and marked', async () => {
        const element = createPicker({ mappedFields: ['Status'] });
        objectInfoAdapter.emit(leadObjectInfo satisfies Partial<ObjectInfo>);
        await flushPromises();

        const combobox = element.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox');
        const values = combobox?.options.map((option) => option.value);
        // Engagement Stage, Industry, Lead Source, Rating are unmapped (alphabetical by label); Status is mapped.
        expect(values).toEqual(['Engagement_Stage__c', 'Industry', 'LeadSource', 'Rating', 'Status']);
        expect(combobox?.options[0]?.label).toBe('Engagement Stage c.AutoMap_FieldPicker_UnmappedSuffix');
        expect(combobox?.options[4]?.label).toBe('Lead Status');
        await expect(element).toBeAccessible();
    });

    it('tells the parent which field was chosen', async () => {
        const element = createPicker({});
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('fieldchange', handler);

        const combobox = element.shadowRoot?.querySelector('lightning-combobox');
        combobox?.dispatchEvent(new CustomEvent('change', { detail: { value: 'Status' } }));

        expect(handler).toHaveBeenCalledTimes(1);
        expect((handler.mock.calls[0] as [CustomEvent<{ fieldApiName: string }>])[0].detail).toEqual({
            fieldApiName: 'Status'
        });
    });

    it('says so when the object has no single-select picklist', async () => {
        const element = createPicker({});
        objectInfoAdapter.emit({ ...leadObjectInfo, fields: { Id: leadObjectInfo.fields.Id } });
        await flushPromises();

        expect(element.shadowRoot?.querySelector('lightning-combobox')).toBeNull();
        expect(element.shadowRoot?.querySelector('p')?.textContent).toBe('c.AutoMap_FieldPicker_NoPicklists');
        await expect(element).toBeAccessible();
    });

    it('shows the UI API error in the error panel, accessibly', async () => {
        const element = createPicker({});
        objectInfoAdapter.error({ message: 'The requested resource does not exist' }, 404, 'Not Found');
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { errors: unknown }>('c-error-panel');
        expect(panel).not.toBeNull();
        await expect(element).toBeAccessible();
    });
    it('marks each mapped field in sync or changed since mapping, from its values and its recorded mappings', async () => {
        // Step 1: Lead Source and Status are mapped; Status's "Working - Contacted" was mapped as "Working Contacted".
        const element = createPicker({ mappedFields: ['LeadSource', 'Status'], scopes: leadScopes() });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();

        // Step 2: every picklist's active values, in one read for the object (master record type: every value).
        expect(picklistValuesAdapter.getLastConfig()).toEqual({ objectApiName: 'Lead', recordTypeId: MASTER });
        picklistValuesAdapter.emit(leadPicklistValues);
        await flushPromises();

        const combobox = element.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox');
        expect(combobox?.options.map((option) => option.label)).toEqual([
            'Engagement Stage c.AutoMap_FieldPicker_UnmappedSuffix',
            'Industry c.AutoMap_FieldPicker_UnmappedSuffix',
            'Rating c.AutoMap_FieldPicker_UnmappedSuffix',
            'Lead Source c.AutoMap_FieldPicker_InSyncSuffix',
            'Lead Status c.AutoMap_FieldPicker_DriftSuffix'
        ]);
        await expect(element).toBeAccessible();
    });

    it('marks a field changed once a value is added to its picklist', async () => {
        // Lead Source gains "Webinar" after it was mapped: a new value is a change since mapping.
        const values = JSON.parse(JSON.stringify(leadPicklistValues)) as PicklistValuesByRecordType;
        values.picklistFieldValues.LeadSource?.values.push({
            attributes: null,
            label: 'Webinar',
            validFor: [],
            value: 'Webinar'
        });
        const element = createPicker({ mappedFields: ['LeadSource'], scopes: leadScopes() });
        objectInfoAdapter.emit(leadObjectInfo);
        picklistValuesAdapter.emit(values);
        await flushPromises();

        const combobox = element.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox');
        const leadSource = combobox?.options.find((option) => option.value === 'LeadSource');
        expect(leadSource?.label).toBe('Lead Source c.AutoMap_FieldPicker_DriftSuffix');
    });

    it('leaves mapped fields unmarked while their values are unknown or could not be read', async () => {
        const element = createPicker({ mappedFields: ['LeadSource', 'Status'], scopes: leadScopes() });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        const labels = (): string[] =>
            element.shadowRoot
                ?.querySelector<ComboboxElement>('lightning-combobox')
                ?.options.slice(3)
                .map((option) => option.label) ?? [];

        // Not read yet: plain labels.
        expect(labels()).toEqual(['Lead Source', 'Lead Status']);

        // The read failed: still plain labels, and no error where the admin chooses a field.
        picklistValuesAdapter.error({ message: 'The requested resource does not exist' }, 404, 'Not Found');
        await flushPromises();
        expect(labels()).toEqual(['Lead Source', 'Lead Status']);
        expect(element.shadowRoot?.querySelector('c-error-panel')).toBeNull();
    });

    it('reads no picklist values without scopes to compare them with (as in the wizard)', async () => {
        createPicker({ mappedFields: ['Status'] });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();

        // The wire's object stays undefined, and the platform asks nothing while a parameter is undefined.
        expect(picklistValuesAdapter.getLastConfig()).toEqual({ objectApiName: undefined, recordTypeId: MASTER });
    });
});
