import { createElement } from 'lwc';
import StageMappingTable from 'c/stageMappingTable';
import Toast from 'lightning/toast';
import setMapping from '@salesforce/apex/StageAutoMapController.setMapping';
import removeMapping from '@salesforce/apex/StageAutoMapController.removeMapping';
import { toServiceValues } from 'c/stageAutoMapApi';
import type { ScopeState } from 'c/stageAutoMapApi';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusMaster.json';
import leadStatusValuesDe from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusDe.json';

jest.mock('@salesforce/apex/StageAutoMapController.setMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.removeMapping', () => ({ default: jest.fn() }), { virtual: true });

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
    value: string;
}

/** A fresh copy of the recorded scope state of Lead.Status (JSON widens its literal types to string). */
function leadState(): ScopeState {
    return JSON.parse(JSON.stringify(leadStateJson)) as ScopeState;
}

const VALUES = toServiceValues(leadStatusValues.values);

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createTable(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-stage-mapping-table', { is: StageMappingTable });
    Object.assign(element, {
        objectApiName: 'Lead',
        fieldApiName: 'Status',
        state: leadState(),
        values: VALUES,
        ...props
    });
    document.body.appendChild(element);
    return element;
}

/** A cell as the admin reads it: its text, or the number a lightning-formatted-number in it shows. */
function cellText(cell: Element): string {
    const number = cell.querySelector<HTMLElement & { value: unknown }>('lightning-formatted-number');
    return number ? String(number.value) : cell.textContent.trim();
}

function rowTexts(element: HTMLElement): (string | undefined)[][] {
    return Array.from(element.shadowRoot?.querySelectorAll('tbody tr') ?? []).map((row) =>
        Array.from(row.querySelectorAll('th, td'))
            .slice(0, 5)
            .map((cell) => cellText(cell))
    );
}

function combobox(element: HTMLElement, name: string): ComboboxElement | null | undefined {
    return element.shadowRoot?.querySelector<ComboboxElement>(`lightning-combobox[data-id="${name}"]`);
}

function choose(element: HTMLElement, name: string, value: string): void {
    combobox(element, name)?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-stage-mapping-table', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    it('lists every value with its label, stage, records in the stage and who mapped it, accessibly', async () => {
        const element = createTable({ canEdit: true });
        await flushPromises();

        const rows = rowTexts(element);
        // Ten values of the field, then the mapping whose value left the field (Recycled).
        expect(rows).toHaveLength(11);
        expect(rows[3]).toEqual(['Cold', 'Cold', 'Cold', '412', 'c.AutoMap_Mappings_SourceAuto']);
        expect(rows[4]).toEqual(['Nurture', 'Nurture', 'Unresponsive', '96', 'c.AutoMap_Mappings_SourceManual']);
        expect(rows[0]).toEqual([
            'Open - Not Contacted',
            'Open - Not Contacted',
            'c.AutoMap_Mappings_NotMapped',
            '',
            ''
        ]);
        expect(rows[10]).toEqual([
            'Recycled',
            'c.AutoMap_Mappings_ValueMissing',
            'Replied',
            '57',
            'c.AutoMap_Mappings_SourceManual'
        ]);
        expect(element.shadowRoot?.querySelector('[data-id="summary"]')?.textContent).toBe(
            'c.AutoMap_Mappings_MappedCount'
        );
        await expect(element).toBeAccessible();
    });

    it('offers only unmapped values and stages no value of this field holds (1:1)', async () => {
        const element = createTable({ canEdit: true });
        await flushPromises();

        // Cold and Nurture are mapped; Recycled is not a value of the field any more.
        expect(combobox(element, 'value')?.options.map((option) => option.value)).toEqual([
            'Open - Not Contacted',
            'Working - Contacted',
            'Interested',
            'Unresponsive',
            'Bad Data',
            'Changed Jobs',
            'Closed - Converted',
            'Closed - Not Converted'
        ]);
        // Cold, Unresponsive and Replied are held; the two "Bad Data" stages are told apart by their records.
        expect(combobox(element, 'stage')?.options).toEqual([
            { label: 'Approaching', value: 'stg-approaching' },
            { label: 'Interested', value: 'stg-interested' },
            { label: 'Not Interested', value: 'stg-not-interested' },
            { label: 'Do Not Contact', value: 'stg-do-not-contact' },
            { label: 'c.AutoMap_Mappings_StageOption', value: 'stg-bad-data' },
            { label: 'c.AutoMap_Mappings_StageOption', value: 'stg-bad-data-2' },
            { label: 'Changed Job', value: 'stg-changed-job' }
        ]);
    });

    it("records the value's label as the admin sees it with a manual mapping, so drift can tell a later relabel", async () => {
        // A German user: the UI API gives the translated labels; the value is the API name.
        jest.mocked(setMapping).mockResolvedValue(JSON.stringify(leadState()));
        const element = createTable({ canEdit: true, values: toServiceValues(leadStatusValuesDe.values) });
        await flushPromises();

        choose(element, 'value', 'Interested');
        choose(element, 'stage', 'stg-interested');
        await flushPromises();
        element.shadowRoot?.querySelector<HTMLElement>('[data-id="map"]')?.click();
        await flushPromises();

        expect(setMapping).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Interested',
            stageId: 'stg-interested',
            label: 'Interessiert'
        });
    });

    it('maps a value by hand, hands the new state to the panel and focuses the value row', async () => {
        // Step 1: the controller answers with the state including the new mapping.
        const updated = leadState();
        updated.version = 8;
        updated.mappings.push({
            value: 'Interested',
            stageId: 'stg-interested',
            source: 'manual',
            runId: null
        });
        jest.mocked(setMapping).mockResolvedValue(JSON.stringify(updated));
        const element = createTable({ canEdit: true });
        await flushPromises();
        const handler = jest.fn((event: Event) => {
            // The panel passes the new state back down.
            expect(event).toBeInstanceOf(CustomEvent);
            Object.assign(element, { state: updated });
        });
        element.addEventListener('statechange', handler);

        // Step 2: the Map button stays disabled until both a value and a stage are chosen.
        const mapButton = element.shadowRoot?.querySelector<HTMLElement & { disabled: boolean }>('[data-id="map"]');
        expect(mapButton?.disabled).toBe(true);
        choose(element, 'value', 'Interested');
        choose(element, 'stage', 'stg-interested');
        await flushPromises();
        expect(mapButton?.disabled).toBe(false);

        // Step 3: Map calls the controller with the scope, the value and the stage.
        mapButton?.click();
        await flushPromises();
        expect(setMapping).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Interested',
            stageId: 'stg-interested',
            label: 'Interested'
        });
        expect(handler).toHaveBeenCalledTimes(1);
        expect((handler.mock.calls[0] as [CustomEvent<{ state: ScopeState }>])[0].detail.state).toEqual(updated);
        expect(Toast.show).toHaveBeenCalledWith(
            { label: 'c.AutoMap_Mappings_MappedToast', variant: 'success' },
            expect.anything()
        );

        // Step 4: the row shows the mapping, the choices are reset and focus is on the row.
        expect(rowTexts(element)[2]).toEqual([
            'Interested',
            'Interested',
            'Interested',
            '31',
            'c.AutoMap_Mappings_SourceManual'
        ]);
        expect(combobox(element, 'value')?.value).toBe('');
        expect(element.shadowRoot?.activeElement?.getAttribute('data-value')).toBe('Interested');
        await expect(element).toBeAccessible();
    });

    it('removes a mapping with the button of its row', async () => {
        const updated = leadState();
        updated.mappings = updated.mappings.filter((mapping) => mapping.value !== 'Cold');
        jest.mocked(removeMapping).mockResolvedValue(JSON.stringify(updated));
        const element = createTable({ canEdit: true });
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('statechange', handler);

        // Each Remove button is named after its value for screen readers.
        const remove = element.shadowRoot?.querySelector<HTMLButtonElement>(
            'button[data-action="remove"][data-value="Cold"]'
        );
        expect(remove?.getAttribute('aria-label')).toBe('c.AutoMap_Mappings_RemoveAssistive');
        remove?.click();
        await flushPromises();

        expect(removeMapping).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status', value: 'Cold' });
        expect((handler.mock.calls[0] as [CustomEvent<{ state: ScopeState }>])[0].detail.state).toEqual(updated);
    });

    it('shows the controller message when the service refuses a mapping, and keeps the choices', async () => {
        jest.mocked(setMapping).mockRejectedValue({
            status: 400,
            body: { message: 'The stage "Interested" is already mapped to "Qualified" in Lead.Status.' }
        });
        const element = createTable({ canEdit: true });
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('statechange', handler);

        choose(element, 'value', 'Interested');
        choose(element, 'stage', 'stg-interested');
        await flushPromises();
        element.shadowRoot?.querySelector<HTMLElement>('[data-id="map"]')?.click();
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { friendlyMessage: string }>('c-error-panel');
        expect(panel?.friendlyMessage).toBe('c.AutoMap_Mappings_SaveError');
        expect(panel?.shadowRoot?.textContent).toContain('already mapped to "Qualified"');
        expect(handler).not.toHaveBeenCalled();
        expect(combobox(element, 'value')?.value).toBe('Interested');
        await expect(element).toBeAccessible();
    });

    it('shows the mappings without any action to a read-only user', async () => {
        const element = createTable({ canEdit: false });
        await flushPromises();

        expect(rowTexts(element)).toHaveLength(11);
        expect(element.shadowRoot?.querySelector('fieldset')).toBeNull();
        expect(element.shadowRoot?.querySelectorAll('button')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('says when every stage is taken, and when every value is mapped', async () => {
        // Step 1: every stage held by some value.
        const allStagesHeld = leadState();
        allStagesHeld.stages = allStagesHeld.stages.filter((stage) =>
            ['stg-cold', 'stg-unresponsive', 'stg-replied'].includes(stage.id)
        );
        const element = createTable({ canEdit: true, state: allStagesHeld });
        await flushPromises();
        expect(element.shadowRoot?.querySelector('[data-id="no-free-stages"]')).not.toBeNull();

        // Step 2: a field whose only values are mapped.
        Object.assign(element, { values: [{ value: 'Cold', label: 'Cold', active: true }] });
        await flushPromises();
        expect(element.shadowRoot?.querySelector('[data-id="all-mapped"]')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says when the field has no values and nothing is mapped', async () => {
        const empty = leadState();
        empty.mappings = [];
        const element = createTable({ canEdit: true, state: empty, values: [] });
        await flushPromises();

        expect(element.shadowRoot?.querySelector('[data-id="no-values"]')?.textContent).toBe(
            'c.AutoMap_Mappings_NoValues'
        );
        await expect(element).toBeAccessible();
    });
});
