import { createElement } from 'lwc';
import StageHousekeeping from 'c/stageHousekeeping';
import Toast from 'lightning/toast';
import deleteStage from '@salesforce/apex/StageAutoMapController.deleteStage';
import removeMapping from '@salesforce/apex/StageAutoMapController.removeMapping';
import { toServiceValues } from 'c/stageAutoMapApi';
import type { ScopeState, Stage } from 'c/stageAutoMapApi';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusMaster.json';

jest.mock('@salesforce/apex/StageAutoMapController.deleteStage', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.removeMapping', () => ({ default: jest.fn() }), { virtual: true });

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
    value: string;
}

/** A fresh copy of the recorded scope state of Lead.Status (JSON widens its literal types to string). */
function leadState(): ScopeState {
    return JSON.parse(JSON.stringify(leadStateJson)) as ScopeState;
}

function stage(id: string): Stage {
    const found = leadState().stages.find((candidate) => candidate.id === id);
    if (!found) {
        throw new Error(`no stage ${id} in the fixture`);
    }
    return found;
}

const VALUES = toServiceValues(leadStatusValues.values);

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createHousekeeping(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-stage-housekeeping', { is: StageHousekeeping });
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

function section(element: HTMLElement, id: string): Element | null | undefined {
    return element.shadowRoot?.querySelector(`[data-id="${id}"]`);
}

function rowHeaders(container: Element | null | undefined): (string | undefined)[] {
    return Array.from(container?.querySelectorAll('tbody th') ?? []).map((cell) => cell.textContent.trim());
}

function deleteButton(element: HTMLElement, sectionId: string, stageId: string): HTMLButtonElement | null | undefined {
    return section(element, sectionId)?.querySelector<HTMLButtonElement>(`button[data-stage-id="${stageId}"]`);
}

describe('c-stage-housekeeping', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    it('lists stale mappings, duplicate stages and stages this field does not use, from the engine, accessibly', async () => {
        const element = createHousekeeping({ canEdit: true });
        await flushPromises();

        // "Recycled" is no longer a value of Lead.Status but still holds the stage "Replied".
        const stale = section(element, 'stale');
        expect(rowHeaders(stale)).toEqual(['Recycled']);
        expect(Array.from(stale?.querySelectorAll('td') ?? []).map((cell) => cell.textContent.trim())).toEqual([
            'Replied',
            'c.AutoMap_Stale_ValueMissing',
            'c.AutoMap_Mappings_Remove'
        ]);
        // "Bad Data" and "bad  data" share a key.
        expect(rowHeaders(section(element, 'duplicates'))).toEqual(['Bad Data', 'bad  data']);
        expect(rowHeaders(section(element, 'unused'))).toEqual([
            'Approaching',
            'Interested',
            'Not Interested',
            'Do Not Contact',
            'Bad Data',
            'bad  data',
            'Changed Job'
        ]);
        await expect(element).toBeAccessible();
    });

    it('says all is clear when there is nothing to tidy', async () => {
        // One value, one stage, mapped to each other.
        const tidy = leadState();
        tidy.stages = [stage('stg-cold')];
        tidy.mappings = tidy.mappings.filter((mapping) => mapping.value === 'Cold');
        const element = createHousekeeping({
            canEdit: true,
            state: tidy,
            values: [{ value: 'Cold', label: 'Cold', active: true }]
        });
        await flushPromises();

        expect(section(element, 'all-clear')?.textContent).toBe('c.AutoMap_Housekeeping_AllClear');
        await expect(element).toBeAccessible();
    });

    it('deletes a duplicate stage after the admin picks where its records go, in one confirmation', async () => {
        // Step 1: the controller deletes the stage and moves its 3 records (the answer arrives as JSON text).
        jest.mocked(deleteStage).mockResolvedValue(
            JSON.stringify({ deleted: stage('stg-bad-data-2'), movedRecords: 3, removedMappings: [] })
        );
        const element = createHousekeeping({ canEdit: true });
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('statechange', handler);

        // Step 2: Delete opens the confirmation and moves focus to its heading.
        deleteButton(element, 'duplicates', 'stg-bad-data-2')?.click();
        await flushPromises();
        expect(element.shadowRoot?.activeElement?.getAttribute('data-id')).toBe('delete-heading');
        const target = element.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox[data-id="move-target"]');
        // Every other stage of the family can receive the records; those an active value maps come first.
        expect(target?.options.map((option) => option.value)).toEqual([
            'stg-cold',
            'stg-unresponsive',
            'stg-approaching',
            'stg-replied',
            'stg-interested',
            'stg-not-interested',
            'stg-do-not-contact',
            'stg-bad-data',
            'stg-changed-job'
        ]);
        expect(target?.options[0]?.label).toBe('c.AutoMap_Housekeeping_MoveTargetMapped');
        const confirmButton = element.shadowRoot?.querySelector<HTMLElement & { disabled: boolean; label: string }>(
            '[data-id="confirm-delete"]'
        );
        expect(confirmButton?.label).toBe('c.AutoMap_Housekeeping_DeleteConfirmButton');
        expect(confirmButton?.disabled).toBe(true);
        // No field maps the stage: the confirmation says no mapping goes with it.
        expect(section(element, 'removes-no-mapping')?.textContent).toBe('c.AutoMap_Housekeeping_RemovesNoMapping');
        await expect(element).toBeAccessible();

        // Step 3: choose the stage to keep, then Delete.
        target?.dispatchEvent(new CustomEvent('change', { detail: { value: 'stg-bad-data' } }));
        await flushPromises();
        expect(confirmButton?.disabled).toBe(false);
        confirmButton?.click();
        await flushPromises();

        // Step 4: one call with the move target; a toast, a status line, a reload request.
        expect(deleteStage).toHaveBeenCalledWith({ stageId: 'stg-bad-data-2', moveRecordsToStageId: 'stg-bad-data' });
        expect(Toast.show).toHaveBeenCalledWith(
            { label: 'c.AutoMap_Housekeeping_DeletedMovedToast', variant: 'success' },
            expect.anything()
        );
        expect(handler).toHaveBeenCalledTimes(1);
        expect(element.shadowRoot?.querySelector('[data-id="delete-heading"]')).toBeNull();
        expect(section(element, 'status')?.textContent.trim()).toBe('c.AutoMap_Housekeeping_DeletedMovedToast');
        await expect(element).toBeAccessible();
    });

    it('deletes a stage without records with no move', async () => {
        const empty = leadState();
        const changedJob = empty.stages.find((candidate) => candidate.id === 'stg-changed-job');
        if (changedJob) {
            changedJob.recordCount = 0;
        }
        jest.mocked(deleteStage).mockResolvedValue(
            JSON.stringify({ deleted: stage('stg-changed-job'), movedRecords: 0, removedMappings: [] })
        );
        const element = createHousekeeping({ canEdit: true, state: empty });
        await flushPromises();

        deleteButton(element, 'unused', 'stg-changed-job')?.click();
        await flushPromises();
        expect(section(element, 'no-records')).not.toBeNull();
        element.shadowRoot?.querySelector<HTMLElement>('[data-id="confirm-delete"]')?.click();
        await flushPromises();

        expect(deleteStage).toHaveBeenCalledWith({ stageId: 'stg-changed-job', moveRecordsToStageId: null });
    });

    it('changes nothing when the admin cancels, and returns focus to the Delete button', async () => {
        const element = createHousekeeping({ canEdit: true });
        await flushPromises();

        deleteButton(element, 'unused', 'stg-approaching')?.click();
        await flushPromises();
        element.shadowRoot
            ?.querySelector('lightning-combobox[data-id="move-target"]')
            ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'stg-cold' } }));
        await flushPromises();

        // Cancel closes the confirmation and puts focus back on the Delete button the admin came from.
        element.shadowRoot?.querySelector<HTMLElement>('[data-id="cancel-delete"]')?.click();
        await flushPromises();
        expect(deleteStage).not.toHaveBeenCalled();
        expect(element.shadowRoot?.querySelector('[data-id="delete-heading"]')).toBeNull();
        expect(element.shadowRoot?.activeElement?.getAttribute('data-stage-id')).toBe('stg-approaching');
    });

    it('shows why the service refused to delete a stage and keeps the confirmation', async () => {
        jest.mocked(deleteStage).mockRejectedValue({
            status: 400,
            body: { message: 'The stage to move the records to does not exist any more. Reload the page.' }
        });
        const element = createHousekeeping({ canEdit: true });
        await flushPromises();

        deleteButton(element, 'unused', 'stg-approaching')?.click();
        await flushPromises();
        element.shadowRoot
            ?.querySelector('lightning-combobox[data-id="move-target"]')
            ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'stg-cold' } }));
        await flushPromises();
        element.shadowRoot?.querySelector<HTMLElement>('[data-id="confirm-delete"]')?.click();
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { friendlyMessage: string }>('c-error-panel');
        expect(panel?.friendlyMessage).toBe('c.AutoMap_Housekeeping_ActionError');
        expect(panel?.shadowRoot?.textContent).toContain('does not exist any more');
        expect(element.shadowRoot?.querySelector('[data-id="delete-heading"]')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('removes a stale mapping and hands the new state to the panel', async () => {
        const updated = leadState();
        updated.mappings = updated.mappings.filter((mapping) => mapping.value !== 'Recycled');
        jest.mocked(removeMapping).mockResolvedValue(JSON.stringify(updated));
        const element = createHousekeeping({ canEdit: true });
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('statechange', handler);

        section(element, 'stale')?.querySelector<HTMLButtonElement>('button[data-value="Recycled"]')?.click();
        await flushPromises();

        expect(removeMapping).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Recycled'
        });
        expect((handler.mock.calls[0] as [CustomEvent<{ state: ScopeState }>])[0].detail.state).toEqual(updated);
    });

    it('shows the report without any action to a read-only user', async () => {
        const element = createHousekeeping({ canEdit: false });
        await flushPromises();

        expect(rowHeaders(section(element, 'unused'))).toHaveLength(7);
        expect(element.shadowRoot?.querySelectorAll('button')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });
});
