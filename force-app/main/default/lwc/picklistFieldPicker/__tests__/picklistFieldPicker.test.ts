import { createElement } from 'lwc';
import PicklistFieldPicker from 'c/picklistFieldPicker';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import leadObjectInfo from './data/getObjectInfoLead.json';

// The stub adapters of sfdx-lwc-jest carry emit()/error()/getLastConfig(), which the platform types do not know.
interface TestWireAdapter {
    emit(value: unknown): void;
    error(body?: unknown, status?: number, statusText?: string): void;
    getLastConfig(): Record<string, unknown>;
}
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
    value: string;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createPicker(props: Partial<{ objectApiName: string; mappedFields: string[]; value: string }>): HTMLElement {
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
});
