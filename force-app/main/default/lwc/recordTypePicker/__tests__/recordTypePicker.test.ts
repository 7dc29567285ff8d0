import { createElement } from 'lwc';
import RecordTypePicker from 'c/recordTypePicker';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import leadObjectInfo from '../../picklistFieldPicker/__tests__/data/getObjectInfoLead.json';
import contactObjectInfo from '../../stageAutoMapSetup/__tests__/data/getObjectInfoContact.json';

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
    fieldLevelHelp: string;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createPicker(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-record-type-picker', { is: RecordTypePicker });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

describe('c-record-type-picker', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('lists "All record types" first, then the available record types of Lead, the default marked', async () => {
        // Step 1: the wizard plans every value of the field by default: it passes the master record type id.
        const element = createPicker({ objectApiName: 'Lead', value: '012000000000000AAA' });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();

        // Step 2: "All record types" (the master record type's values are the field's whole active list), then
        // Inbound (default) and Partner Referral, alphabetical; the master record type is not listed by its name.
        expect(objectInfoAdapter.getLastConfig()).toEqual({ objectApiName: 'Lead' });
        const combobox = element.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox');
        expect(combobox?.options).toEqual([
            { label: 'c.AutoMap_RecordType_All', value: '012000000000000AAA' },
            { label: 'Inbound c.AutoMap_RecordType_DefaultSuffix', value: '0125e000000AbCdAAK' },
            { label: 'Partner Referral', value: '0125e000000AbCeAAK' }
        ]);
        expect(combobox?.value).toBe('012000000000000AAA');
        expect(combobox?.fieldLevelHelp).toBe('c.AutoMap_RecordType_Help');
        await expect(element).toBeAccessible();
    });

    it('shows a narrowed choice as selected', async () => {
        const element = createPicker({ objectApiName: 'Lead', value: '0125e000000AbCeAAK' });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();

        expect(element.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox')?.value).toBe(
            '0125e000000AbCeAAK'
        );
    });

    it('tells the wizard which record type the admin chose', async () => {
        const element = createPicker({ objectApiName: 'Lead', value: '0125e000000AbCdAAK' });
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('recordtypechange', handler);

        element.shadowRoot
            ?.querySelector('lightning-combobox')
            ?.dispatchEvent(new CustomEvent('change', { detail: { value: '0125e000000AbCeAAK' } }));

        expect((handler.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({
            recordTypeId: '0125e000000AbCeAAK'
        });
    });

    it('renders nothing for an object with only the master record type', async () => {
        const element = createPicker({ objectApiName: 'Contact', value: '012000000000000AAA' });
        objectInfoAdapter.emit(contactObjectInfo);
        await flushPromises();

        expect(element.shadowRoot?.querySelector('lightning-combobox')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
