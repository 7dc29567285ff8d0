import { createElement } from 'lwc';
import StageMappingTable from 'c/stageMappingTable';
import Toast from 'lightning/toast';
import createStageAndMap from '@salesforce/apex/StageAutoMapController.createStageAndMap';
import renameStage from '@salesforce/apex/StageAutoMapController.renameStage';
import removeMapping from '@salesforce/apex/StageAutoMapController.removeMapping';
import { toServiceValues } from 'c/stageAutoMapApi';
import type { ScopeState, Stage } from 'c/stageAutoMapApi';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusMaster.json';
import leadStatusValuesDe from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusDe.json';

jest.mock('@salesforce/apex/StageAutoMapController.createStageAndMap', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/StageAutoMapController.renameStage', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.removeMapping', () => ({ default: jest.fn() }), { virtual: true });

// The refusals an admin reads, with their placeholders.
jest.mock(
    '@salesforce/label/c.AutoMap_Mappings_NameTaken',
    () => ({ default: 'A stage named "{0}" already exists. Choose another name, or map this value to it by hand.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_Mappings_NameTakenHere',
    () => ({ default: 'A stage named "{0}" already exists and "{1}" is mapped to it in this field.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_Mappings_RenameTaken',
    () => ({ default: 'Another stage is named "{0}". Choose another name.' }),
    { virtual: true }
);

type InputElement = HTMLElement & { value: string; label: string };
type ButtonElement = HTMLElement & { label: string; disabled: boolean };

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

/** The master values, with one label typed with stray spaces, as an admin might. */
function values(): ReturnType<typeof toServiceValues> {
    return toServiceValues(leadStatusValues.values).map((entry) => {
        return entry.value === 'Changed Jobs' ? { ...entry, label: '  Changed   Jobs ' } : entry;
    });
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createTable(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-stage-mapping-table', { is: StageMappingTable });
    Object.assign(element, {
        objectApiName: 'Lead',
        fieldApiName: 'Status',
        state: leadState(),
        values: values(),
        canEdit: true,
        ...props
    });
    document.body.appendChild(element);
    return element;
}

function actionButton(element: HTMLElement, action: string, value: string): HTMLButtonElement | null | undefined {
    return element.shadowRoot?.querySelector<HTMLButtonElement>(
        `button[data-action="${action}"][data-value="${value}"]`
    );
}

function nameInput(element: HTMLElement): InputElement | null | undefined {
    return element.shadowRoot?.querySelector<InputElement>('lightning-input[data-id="stage-name"]');
}

function typeName(element: HTMLElement, name: string): void {
    const input = nameInput(element);
    if (input) {
        input.value = name;
        input.dispatchEvent(new CustomEvent('change', { detail: { value: name } }));
    }
}

function submit(element: HTMLElement): void {
    element.shadowRoot?.querySelector<HTMLElement>('[data-id="submit-name"]')?.click();
}

function nameError(element: HTMLElement): string | undefined {
    return element.shadowRoot?.querySelector('[data-id="name-error"]')?.textContent.trim();
}

function focusedAction(element: HTMLElement): string {
    const active = element.shadowRoot?.activeElement;
    return `${active?.getAttribute('data-action') ?? active?.getAttribute('data-id') ?? ''}:${active?.getAttribute('data-value') ?? ''}`;
}

describe('c-stage-mapping-table: create a stage and map, rename a stage', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('offers "Create a stage and map" on every unmapped value, and "Rename stage" on every mapped one', async () => {
        const element = createTable({});
        await flushPromises();

        const creates = Array.from(
            element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-action="create"]') ?? []
        );
        // The eight values without a mapping, those auto-map skips included ("Unresponsive": its stage is held by
        // "Nurture"; "Bad Data": two stages share its name).
        expect(creates.map((button) => button.dataset.value)).toEqual([
            'Open - Not Contacted',
            'Working - Contacted',
            'Interested',
            'Unresponsive',
            'Bad Data',
            'Changed Jobs',
            'Closed - Converted',
            'Closed - Not Converted'
        ]);
        expect(creates[0]?.textContent.trim()).toBe('c.AutoMap_Mappings_CreateAndMap');
        expect(creates[0]?.getAttribute('aria-label')).toBe('c.AutoMap_Mappings_CreateAndMapAssistive');
        const renames = Array.from(
            element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-action="rename"]') ?? []
        );
        expect(renames.map((button) => button.dataset.value)).toEqual(['Cold', 'Nurture', 'Recycled']);
        await expect(element).toBeAccessible();
    });

    it('opens an inline panel with the name a created stage would get, and focuses it', async () => {
        const element = createTable({});
        await flushPromises();
        // The stub of lightning-input is not focusable itself: watch which element the table focuses.
        const focus = jest.spyOn(HTMLElement.prototype, 'focus');

        actionButton(element, 'create', 'Changed Jobs')?.click();
        await flushPromises();

        // stageNameFromLabel: trimmed, runs of spaces collapsed.
        expect(nameInput(element)?.value).toBe('Changed Jobs');
        expect(nameInput(element)?.label).toBe('c.AutoMap_Mappings_NewStageName');
        expect(focus.mock.contexts).toContain(nameInput(element));
        focus.mockRestore();
        await expect(element).toBeAccessible();
    });

    it('refuses, before calling the service, a name whose key an existing stage has, naming the stage', async () => {
        const element = createTable({});
        await flushPromises();

        // Step 1: "Unresponsive" would take the name of the stage "Nurture" holds in this field.
        actionButton(element, 'create', 'Unresponsive')?.click();
        await flushPromises();
        submit(element);
        await flushPromises();
        expect(nameError(element)).toBe(
            'A stage named "Unresponsive" already exists and "Nurture" is mapped to it in this field.'
        );
        expect(createStageAndMap).not.toHaveBeenCalled();

        // Step 2: another case and spacing of a free stage's name: the same key; map by hand instead.
        typeName(element, '  approaching ');
        submit(element);
        await flushPromises();
        expect(nameError(element)).toBe(
            'A stage named "Approaching" already exists. Choose another name, or map this value to it by hand.'
        );
        expect(createStageAndMap).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();

        // Step 3: an empty name is refused too.
        typeName(element, '   ');
        submit(element);
        await flushPromises();
        expect(nameError(element)).toBe('c.AutoMap_Mappings_NameRequired');
        expect(createStageAndMap).not.toHaveBeenCalled();
    });

    it('creates the stage and maps the value in one call, then focuses the row’s next action', async () => {
        // Step 1: the service answers with the state that holds the new stage and mapping.
        const updated = leadState();
        updated.version = 8;
        updated.stages.push({
            ...stage('stg-changed-job'),
            id: 'stg-new',
            name: 'Unresponsive (Leads)',
            recordCount: 0
        });
        updated.mappings.push({ value: 'Unresponsive', stageId: 'stg-new', source: 'manual', runId: null });
        jest.mocked(createStageAndMap).mockResolvedValue(JSON.stringify(updated));
        const element = createTable({});
        await flushPromises();
        element.addEventListener('statechange', (event) => {
            Object.assign(element, { state: (event as CustomEvent<{ state: ScopeState }>).detail.state });
        });

        // Step 2: the admin edits the refused name and submits.
        actionButton(element, 'create', 'Unresponsive')?.click();
        await flushPromises();
        typeName(element, 'Unresponsive (Leads)');
        submit(element);
        await flushPromises();

        // Step 3: one call with the scope, the value and the name; a toast; the panel gets the new state.
        expect(createStageAndMap).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Unresponsive',
            stageName: 'Unresponsive (Leads)',
            label: 'Unresponsive'
        });
        expect(Toast.show).toHaveBeenCalledWith(
            { label: 'c.AutoMap_Mappings_CreatedToast', variant: 'success' },
            expect.anything()
        );
        expect(nameInput(element)).toBeNull();
        // Step 4: the row is mapped now; focus is on its next action, Rename stage.
        expect(focusedAction(element)).toBe('rename:Unresponsive');
        await expect(element).toBeAccessible();
    });

    it("records the value's label as the admin sees it with the new mapping, not its API name", async () => {
        // A German user: "Unresponsive" reads "Keine Antwort"; the stage gets the name typed, the mapping that label.
        jest.mocked(createStageAndMap).mockResolvedValue(JSON.stringify(leadState()));
        const element = createTable({ values: toServiceValues(leadStatusValuesDe.values) });
        await flushPromises();

        actionButton(element, 'create', 'Unresponsive')?.click();
        await flushPromises();
        typeName(element, 'Keine Antwort (Leads)');
        submit(element);
        await flushPromises();

        expect(createStageAndMap).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Unresponsive',
            stageName: 'Keine Antwort (Leads)',
            label: 'Keine Antwort'
        });
    });

    it("shows the service's refusal in the panel and keeps it open", async () => {
        jest.mocked(createStageAndMap).mockRejectedValue({
            status: 500,
            body: { message: 'A stage named "Changed Jobs" already exists. Use that stage or choose another name.' }
        });
        const element = createTable({});
        await flushPromises();

        actionButton(element, 'create', 'Changed Jobs')?.click();
        await flushPromises();
        submit(element);
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { friendlyMessage: string; retryable: boolean }>(
            '[data-id="edit-panel"] c-error-panel'
        );
        expect(panel?.friendlyMessage).toBe('c.AutoMap_Mappings_CreateError');
        expect(panel?.shadowRoot?.textContent).toContain('already exists');
        expect(panel?.retryable).toBe(true);
        expect(nameInput(element)?.value).toBe('Changed Jobs');
        await expect(element).toBeAccessible();
    });

    it('closes the inline panel with Escape and puts focus back on the button that opened it', async () => {
        const element = createTable({});
        await flushPromises();

        actionButton(element, 'create', 'Interested')?.click();
        await flushPromises();
        nameInput(element)?.dispatchEvent(
            new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true })
        );
        await flushPromises();

        expect(nameInput(element)).toBeNull();
        expect(focusedAction(element)).toBe('create:Interested');
        expect(createStageAndMap).not.toHaveBeenCalled();
    });

    it('renames a stage on the page, refusing a name another stage has', async () => {
        jest.mocked(renameStage).mockResolvedValue({ ...stage('stg-cold'), name: 'Cold Leads' });
        const element = createTable({});
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('statechange', handler);

        // Step 1: the panel opens with the stage's name.
        actionButton(element, 'rename', 'Cold')?.click();
        await flushPromises();
        expect(nameInput(element)?.value).toBe('Cold');
        expect(nameInput(element)?.label).toBe('c.AutoMap_Mappings_RenameField');
        await expect(element).toBeAccessible();

        // Step 2: the name of another stage (in another case) is refused, naming that stage.
        typeName(element, 'REPLIED');
        submit(element);
        await flushPromises();
        expect(nameError(element)).toBe('Another stage is named "Replied". Choose another name.');
        expect(renameStage).not.toHaveBeenCalled();

        // Step 3: a free name is saved; the panel reads the state again; focus stays on the row's Rename.
        typeName(element, 'Cold Leads');
        submit(element);
        await flushPromises();
        expect(renameStage).toHaveBeenCalledWith({ stageId: 'stg-cold', name: 'Cold Leads' });
        expect((handler.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({});
        expect(Toast.show).toHaveBeenCalledWith(
            { label: 'c.AutoMap_Mappings_RenamedToast', variant: 'success' },
            expect.anything()
        );
        expect(focusedAction(element)).toBe('rename:Cold');
    });

    it('says when there are no stages at all, without claiming every stage is mapped', async () => {
        const empty = leadState();
        empty.stages = [];
        empty.mappings = [];
        const element = createTable({ state: empty });
        await flushPromises();

        expect(element.shadowRoot?.querySelector('[data-id="no-free-stages"]')).toBeNull();
        expect(element.shadowRoot?.querySelector('[data-id="no-stages"]')?.textContent).toBe(
            'c.AutoMap_Mappings_NoStages'
        );
        await expect(element).toBeAccessible();
    });

    it('offers no action on stale rows after a failed refresh', async () => {
        const element = createTable({ stale: true });
        await flushPromises();

        const buttons = Array.from(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('tbody button') ?? []);
        expect(buttons.length).toBeGreaterThan(0);
        expect(buttons.every((button) => button.disabled)).toBe(true);
        const comboboxes = Array.from(
            element.shadowRoot?.querySelectorAll<ButtonElement>('lightning-combobox, [data-id="map"]') ?? []
        );
        expect(comboboxes.every((control) => control.disabled)).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('asks the panel to read the state again on Retry after a failed save', async () => {
        jest.mocked(removeMapping).mockRejectedValue({
            status: 500,
            body: { message: "Salesforce couldn't reach the stage service." }
        });
        const element = createTable({});
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('statechange', handler);
        actionButton(element, 'remove', 'Cold')?.click();
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { retryable: boolean }>('c-error-panel');
        expect(panel?.retryable).toBe(true);
        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();

        expect((handler.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({});
        expect(element.shadowRoot?.querySelector('c-error-panel')).toBeNull();
        expect(removeMapping).toHaveBeenCalledTimes(1);
    });

    it('puts focus on the row’s next action after a mapping is removed', async () => {
        const updated = leadState();
        updated.mappings = updated.mappings.filter((mapping) => mapping.value !== 'Cold');
        jest.mocked(removeMapping).mockResolvedValue(JSON.stringify(updated));
        const element = createTable({});
        await flushPromises();
        element.addEventListener('statechange', (event) => {
            Object.assign(element, { state: (event as CustomEvent<{ state: ScopeState }>).detail.state });
        });

        actionButton(element, 'remove', 'Cold')?.click();
        await flushPromises();

        expect(focusedAction(element)).toBe('create:Cold');
    });

    it('truncates long names, with the full text on hover and for screen readers', async () => {
        const long = leadState();
        const name = `Stage ${'y'.repeat(249)}`;
        const cold = long.stages.find((candidate) => candidate.id === 'stg-cold');
        if (cold) {
            cold.name = name;
        }
        const element = createTable({ state: long });
        await flushPromises();

        const cell = element.shadowRoot?.querySelector(`td[data-stage-id="stg-cold"] .slds-truncate`);
        expect(cell?.getAttribute('title')).toBe(name);
        expect(cell?.textContent).toBe(name);
    });
});
