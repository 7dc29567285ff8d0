import { createElement } from 'lwc';
import StageHousekeeping from 'c/stageHousekeeping';
import LightningConfirm from 'lightning/confirm';
import deleteStage from '@salesforce/apex/StageAutoMapController.deleteStage';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import { toServiceValues } from 'c/stageAutoMapApi';
import type { ScopeParams, ScopeState, Stage } from 'c/stageAutoMapApi';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import contactStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateContactStatus.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusMaster.json';

jest.mock('@salesforce/apex/StageAutoMapController.deleteStage', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });

// The words an admin reads, with their placeholders.
jest.mock('@salesforce/label/c.AutoMap_Field_OtherMapping', () => ({ default: '"{1}" in {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_List_Separator', () => ({ default: ',' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.AutoMap_Housekeeping_BreaksUndo',
    () => ({ default: 'Deleting it stops the undo of an auto-map run of {0}.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_Housekeeping_MoveTargetMapped', () => ({ default: '{0} (mapped)' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Housekeeping_DeleteConfirmButton', () => ({ default: 'Delete' }), {
    virtual: true
});

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
    value: string;
}

const FIELD_NAMES = { 'Lead.Status': 'Lead Status', 'Contact.Contact_Status__c': 'Contact Status' };
const VALUES = toServiceValues(leadStatusValues.values);

/**
 * Lead.Status as the service returns it when other fields share its stages: "Bad Data" mapped here by run-0001,
 * and Contact's fields mapping "Interested" (by a run), "Approaching" (by hand) and "Approaching" again.
 */
function sharedLeadState(): ScopeState {
    const state = JSON.parse(JSON.stringify(leadStateJson)) as ScopeState;
    state.mappings.push({ value: 'Bad Data', stageId: 'stg-bad-data', source: 'auto', runId: 'run-0001' });
    state.otherMappings = [
        { object: 'Contact', field: 'Contact_Status__c', value: 'Interested', stageId: 'stg-interested' },
        { object: 'Contact', field: 'Contact_Status__c', value: 'Reached', stageId: 'stg-approaching' },
        { object: 'Contact', field: 'LeadSource', value: 'Web', stageId: 'stg-approaching' }
    ];
    return state;
}

/** The other fields' own states: who made each of their mappings (a run, or by hand). */
function otherScopeState(params: ScopeParams): string {
    const state = JSON.parse(JSON.stringify(contactStateJson)) as ScopeState;
    state.field = params.fieldApiName;
    state.mappings =
        params.fieldApiName === 'Contact_Status__c'
            ? [
                  { value: 'Interested', stageId: 'stg-interested', source: 'auto', runId: 'run-c-0001' },
                  { value: 'Reached', stageId: 'stg-approaching', source: 'manual', runId: null }
              ]
            : [{ value: 'Web', stageId: 'stg-approaching', source: 'manual', runId: null }];
    return JSON.stringify(state);
}

function stage(id: string): Stage {
    const found = sharedLeadState().stages.find((candidate) => candidate.id === id);
    if (!found) {
        throw new Error(`no stage ${id} in the fixture`);
    }
    return found;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createHousekeeping(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-stage-housekeeping', { is: StageHousekeeping });
    Object.assign(element, {
        objectApiName: 'Lead',
        fieldApiName: 'Status',
        state: sharedLeadState(),
        values: VALUES,
        fieldNames: FIELD_NAMES,
        canEdit: true,
        ...props
    });
    document.body.appendChild(element);
    return element;
}

function section(element: HTMLElement, id: string): Element | null | undefined {
    return element.shadowRoot?.querySelector(`[data-id="${id}"]`);
}

/** The row of a stage in a list, by its row header. */
function stageRow(element: HTMLElement, sectionId: string, name: string): Element | undefined {
    return Array.from(section(element, sectionId)?.querySelectorAll('tbody tr') ?? []).find(
        (row) => row.querySelector('th')?.textContent.trim() === name
    );
}

function deleteButton(element: HTMLElement, sectionId: string, stageId: string): HTMLButtonElement | null | undefined {
    return section(element, sectionId)?.querySelector<HTMLButtonElement>(`button[data-stage-id="${stageId}"]`);
}

describe('c-stage-housekeeping: stages other fields map', () => {
    beforeEach(() => {
        jest.mocked(getScopeState).mockImplementation((params) => Promise.resolve(otherScopeState(params)));
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('marks each stage another field maps with the field (its label, else its API name) and the value', async () => {
        const element = createHousekeeping({});
        await flushPromises();

        // "Approaching" is mapped by two other fields; LeadSource has no known label, so its API name is shown.
        expect(stageRow(element, 'unused', 'Approaching')?.querySelector('[data-id="mapped-to"]')?.textContent).toBe(
            '"Reached" in Contact Status, "Web" in Contact.LeadSource'
        );
        expect(stageRow(element, 'unused', 'Interested')?.querySelector('[data-id="mapped-to"]')?.textContent).toBe(
            '"Interested" in Contact Status'
        );
        // A stage no field maps says so, instead of leaving the admin to guess.
        expect(stageRow(element, 'unused', 'Changed Job')?.querySelector('[data-id="mapped-to"]')?.textContent).toBe(
            'c.AutoMap_Housekeeping_MappedNowhere'
        );
        await expect(element).toBeAccessible();
    });

    it('says in the list when deleting a stage would stop the undo of a run, here or in another field', async () => {
        const element = createHousekeeping({});
        await flushPromises();

        // The other fields' states are read to learn which of their mappings a run made.
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Contact', fieldApiName: 'Contact_Status__c' });
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Contact', fieldApiName: 'LeadSource' });
        // "Interested" was mapped by a run of Contact Status; "Approaching" only by hand.
        expect(stageRow(element, 'unused', 'Interested')?.querySelector('[data-id="breaks-undo"]')?.textContent).toBe(
            'Deleting it stops the undo of an auto-map run of Contact Status.'
        );
        expect(stageRow(element, 'unused', 'Approaching')?.querySelector('[data-id="breaks-undo"]')).toBeNull();
        // "Bad Data" (a duplicate) was mapped in this field by run-0001.
        expect(stageRow(element, 'duplicates', 'Bad Data')?.querySelector('[data-id="breaks-undo"]')?.textContent).toBe(
            'Deleting it stops the undo of an auto-map run of Lead Status.'
        );
        await expect(element).toBeAccessible();
    });

    it('asks once, naming every mapping the delete removes, with a button that says Delete', async () => {
        jest.mocked(deleteStage).mockResolvedValue(
            JSON.stringify({
                deleted: stage('stg-approaching'),
                movedRecords: 138,
                removedMappings: [
                    { object: 'Contact', field: 'Contact_Status__c', value: 'Reached' },
                    { object: 'Contact', field: 'LeadSource', value: 'Web' }
                ]
            })
        );
        const element = createHousekeeping({});
        await flushPromises();

        // Step 1: the inline confirmation lists the mappings in every field that go with the stage.
        deleteButton(element, 'unused', 'stg-approaching')?.click();
        await flushPromises();
        const removed = Array.from(section(element, 'removed-mappings')?.querySelectorAll('li') ?? []).map((item) =>
            item.textContent.trim()
        );
        expect(removed).toEqual(['"Reached" in Contact Status', '"Web" in Contact.LeadSource']);
        const confirm = element.shadowRoot?.querySelector<HTMLElement & { label: string }>(
            '[data-id="confirm-delete"]'
        );
        expect(confirm?.label).toBe('Delete');
        await expect(element).toBeAccessible();

        // Step 2: choose where the records go, then Delete: no second dialog.
        element.shadowRoot
            ?.querySelector('lightning-combobox[data-id="move-target"]')
            ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'stg-cold' } }));
        await flushPromises();
        confirm?.click();
        await flushPromises();
        expect(LightningConfirm.open).not.toHaveBeenCalled();
        expect(deleteStage).toHaveBeenCalledWith({ stageId: 'stg-approaching', moveRecordsToStageId: 'stg-cold' });
    });

    it("names this field's own mapping too, and the run whose undo it stops, in the confirmation", async () => {
        const element = createHousekeeping({});
        await flushPromises();

        deleteButton(element, 'duplicates', 'stg-bad-data')?.click();
        await flushPromises();

        const removed = Array.from(section(element, 'removed-mappings')?.querySelectorAll('li') ?? []).map((item) =>
            item.textContent.trim()
        );
        expect(removed).toEqual(['"Bad Data" in Lead Status']);
        expect(section(element, 'delete-breaks-undo')?.textContent.trim()).toBe(
            'Deleting it stops the undo of an auto-map run of Lead Status.'
        );
    });

    it('lists mapped stages first as places for the records, and marks them', async () => {
        const element = createHousekeeping({});
        await flushPromises();

        deleteButton(element, 'unused', 'stg-changed-job')?.click();
        await flushPromises();
        const options = element.shadowRoot?.querySelector<ComboboxElement>(
            'lightning-combobox[data-id="move-target"]'
        )?.options;

        // Mapped by an active value of this field (Cold, Unresponsive, Bad Data) or by another field (Approaching,
        // Interested), in display order; then the rest. "Replied" is held only by a value no longer in the field.
        expect(options?.map((option) => option.label)).toEqual([
            'Cold (mapped)',
            'Approaching (mapped)',
            'Interested (mapped)',
            'Unresponsive (mapped)',
            'Bad Data (mapped)',
            'Replied',
            'Not Interested',
            'Do Not Contact',
            'bad  data'
        ]);
    });

    it('closes the delete panel with Escape and puts focus back on the Delete button', async () => {
        const element = createHousekeeping({});
        await flushPromises();

        deleteButton(element, 'unused', 'stg-approaching')?.click();
        await flushPromises();
        element.shadowRoot
            ?.querySelector('[data-id="delete-heading"]')
            ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
        await flushPromises();

        expect(section(element, 'delete-heading')).toBeNull();
        expect(element.shadowRoot?.activeElement?.getAttribute('data-stage-id')).toBe('stg-approaching');
    });

    it('puts focus on the list heading once the deleted stage row is gone', async () => {
        jest.mocked(deleteStage).mockResolvedValue(
            JSON.stringify({ deleted: stage('stg-changed-job'), movedRecords: 5, removedMappings: [] })
        );
        const element = createHousekeeping({});
        await flushPromises();
        element.addEventListener('statechange', () => {
            // The panel answers with the state read again, without the stage.
            const next = sharedLeadState();
            next.stages = next.stages.filter((candidate) => candidate.id !== 'stg-changed-job');
            Object.assign(element, { state: next });
        });

        deleteButton(element, 'unused', 'stg-changed-job')?.click();
        await flushPromises();
        element.shadowRoot
            ?.querySelector('lightning-combobox[data-id="move-target"]')
            ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'stg-cold' } }));
        await flushPromises();
        element.shadowRoot?.querySelector<HTMLElement>('[data-id="confirm-delete"]')?.click();
        await flushPromises();
        await flushPromises();

        expect(element.shadowRoot?.activeElement?.getAttribute('data-id')).toBe('unused-heading');
    });

    it('truncates long stage names in the lists, with the full name on hover and for screen readers', async () => {
        const long = sharedLeadState();
        const name = `Stage ${'x'.repeat(249)}`;
        const changedJob = long.stages.find((candidate) => candidate.id === 'stg-changed-job');
        if (changedJob) {
            changedJob.name = name;
        }
        const element = createHousekeeping({ state: long });
        await flushPromises();

        const cell = section(element, 'unused')?.querySelector(`th[data-stage-id="stg-changed-job"] .slds-truncate`);
        expect(cell?.getAttribute('title')).toBe(name);
        // The full text stays in the DOM (cut by CSS only), so a screen reader reads all of it.
        expect(cell?.textContent).toBe(name);
    });

    it('gives a read-only user no advice they cannot act on, and reads no other field', async () => {
        const element = createHousekeeping({ canEdit: false });
        await flushPromises();

        const help = Array.from(element.shadowRoot?.querySelectorAll('[data-id$="-help"]') ?? []).map(
            (paragraph) => paragraph.textContent
        );
        expect(help).toEqual([
            'c.AutoMap_Housekeeping_StaleHelpReadOnly',
            'c.AutoMap_Housekeeping_DuplicatesHelpReadOnly',
            'c.AutoMap_Housekeeping_UnusedHelpReadOnly'
        ]);
        expect(getScopeState).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('offers no action on stale rows after a failed refresh', async () => {
        const element = createHousekeeping({ stale: true });
        await flushPromises();

        const buttons = Array.from(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? []);
        expect(buttons.length).toBeGreaterThan(0);
        expect(buttons.every((button) => button.disabled)).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('asks the panel to read the state again when Retry is chosen after a failed action', async () => {
        jest.mocked(deleteStage).mockRejectedValue({
            status: 500,
            body: { message: "Salesforce couldn't reach the stage service." }
        });
        const element = createHousekeeping({});
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('statechange', handler);
        deleteButton(element, 'unused', 'stg-changed-job')?.click();
        await flushPromises();
        element.shadowRoot
            ?.querySelector('lightning-combobox[data-id="move-target"]')
            ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'stg-cold' } }));
        await flushPromises();
        element.shadowRoot?.querySelector<HTMLElement>('[data-id="confirm-delete"]')?.click();
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { retryable: boolean }>('c-error-panel');
        expect(panel?.retryable).toBe(true);
        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();

        expect(handler).toHaveBeenCalledTimes(1);
        expect((handler.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({});
        expect(element.shadowRoot?.querySelector('c-error-panel')).toBeNull();
        // A retry reloads; it never repeats the delete by itself.
        expect(deleteStage).toHaveBeenCalledTimes(1);
    });
});
