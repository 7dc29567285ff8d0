import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMap from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import createStageAndMap from '@salesforce/apex/StageAutoMapController.createStageAndMap';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import {
    ALL_VALUES,
    appliedAnswer,
    button,
    find,
    findAll,
    flushPromises,
    history,
    leadState,
    openPreview,
    previewRows,
    stateWithNewStage
} from '../../../../../test/autoMapWizard/wizardHarness';
import type { ChildElement, WizardElement } from '../../../../../test/autoMapWizard/wizardHarness';

// Section 3 of issue 11: a skipped value has a way forward, "Create a stage and map", in the preview and in the
// result. The engine is the real one; the Apex methods are mocked.
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyAutoMap', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.createStageAndMap', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });

const REFUSAL = 'A stage named "Unresponsive (Leads)" already exists: "Unresponsive (leads)". Choose another name.';

function table(element: HTMLElement): ChildElement | null {
    return find(element, 'c-auto-map-preview-table');
}

/** Opens the table's form for `value` and returns it (the real table and form render inside the wizard). */
async function openTableForm(element: HTMLElement, value: string): Promise<ChildElement | null> {
    const rows = table(element)?.shadowRoot;
    Array.from(rows?.querySelectorAll<HTMLButtonElement>('button[data-create]') ?? [])
        .find((candidate) => candidate.dataset.value === value)
        ?.click();
    await flushPromises();
    return rows?.querySelector<ChildElement>('c-auto-map-new-stage-form') ?? null;
}

/** Types a name into a form and submits it, as the admin does. */
async function submitName(form: ChildElement | null, name: string): Promise<void> {
    form?.shadowRoot
        ?.querySelector('lightning-input')
        ?.dispatchEvent(new CustomEvent('change', { detail: { value: name } }));
    form?.shadowRoot?.querySelector<HTMLElement>('lightning-button[data-id="submit"]')?.click();
    await flushPromises();
    await flushPromises();
}

async function openResult(): Promise<WizardElement> {
    jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(leadState(), ALL_VALUES));
    jest.mocked(getRunHistory).mockResolvedValue(history());
    const element = await openPreview();
    button(element, 'apply')?.click();
    await flushPromises();
    await flushPromises();
    return element;
}

function resultItem(element: HTMLElement, value: string): ChildElement | undefined {
    return findAll(element, '[data-id="unmapped"] li').find((item) => item.dataset.value === value);
}

describe('c-auto-map-wizard: Create a stage and map', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('offers it on the skipped rows of the preview, with the stages a new name must not repeat', async () => {
        const element = await openPreview();

        expect(table(element)?.canCreateStages).toBe(true);
        expect(table(element)?.stages).toEqual(leadState().stages.map(({ id, name }) => ({ id, name })));
        const offered = Array.from(
            table(element)?.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-create]') ?? []
        ).map((candidate) => candidate.dataset.value);
        expect(offered).toEqual(['Unresponsive', 'Bad Data']);
        await expect(element).toBeAccessible();
    });

    it('refuses, before calling, a name an existing stage has, saying which stage', async () => {
        const element = await openPreview();
        const form = await openTableForm(element, 'Bad Data');

        // "bad data" has the key of the stages "Bad Data" and "bad  data": refused, nothing sent.
        await submitName(form, 'bad data');

        expect(createStageAndMap).not.toHaveBeenCalled();
        expect(form?.shadowRoot?.querySelector('[data-id="name-error"]')?.textContent).toBe(
            'c.AutoMap_NewStage_NameTaken'
        );
        await expect(element).toBeAccessible();
    });

    it('creates the stage, shows the new mapping on the row, and applies the new version afterwards', async () => {
        // Step 1: the controller creates "Unresponsive (Leads)" and maps the value in one change: version 8.
        const created = stateWithNewStage(leadState(), 'Unresponsive', 'Unresponsive (Leads)');
        jest.mocked(createStageAndMap).mockResolvedValue(JSON.stringify(created));
        const element = await openPreview();
        const form = await openTableForm(element, 'Unresponsive');
        expect(form?.suggestedName).toBe('Unresponsive');

        // Step 2: the admin names the stage; one call with the scope, the value and the name.
        await submitName(form, 'Unresponsive (Leads)');
        expect(createStageAndMap).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Unresponsive',
            stageName: 'Unresponsive (Leads)',
            label: 'Unresponsive'
        });

        // Step 3: the wizard planned again on the returned state: the row shows the mapping, a status line says so.
        expect(previewRows(element).find((row) => row.value === 'Unresponsive')?.outcome).toBe('already-mapped');
        expect(table(element)?.stages?.map((stage) => stage.name)).toContain('Unresponsive (Leads)');
        const notice = find(element, '[data-id="notice"]');
        expect(notice?.getAttribute('role')).toBe('status');
        expect(notice?.textContent.trim()).toBe('c.AutoMap_Wizard_StageCreated');
        // The preview no longer says nothing has changed: a stage was created.
        expect(find(element, '[data-id="preview-help"]')?.textContent.trim()).toBe(
            'c.AutoMap_Wizard_PreviewHelpSuggestions'
        );
        await expect(element).toBeAccessible();

        // Step 4: Create and Map names version 8, never the version previewed before the change.
        jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(created, ALL_VALUES));
        jest.mocked(getRunHistory).mockResolvedValue(history());
        button(element, 'apply')?.click();
        await flushPromises();
        expect(jest.mocked(applyAutoMap).mock.calls[0]?.[0].expectedVersion).toBe(8);
        expect(getScopeState).toHaveBeenCalledTimes(2);
    });

    it("shows the service's refusal in the form and keeps the plan", async () => {
        jest.mocked(createStageAndMap).mockRejectedValue({ status: 400, body: { message: REFUSAL } });
        const element = await openPreview();
        const form = await openTableForm(element, 'Unresponsive');

        await submitName(form, 'Unresponsive (Leads)');

        expect(table(element)?.createFailure).toEqual({ value: 'Unresponsive', message: REFUSAL });
        expect(form?.shadowRoot?.querySelector('[data-id="name-error"]')?.textContent).toBe(REFUSAL);
        expect(previewRows(element).find((row) => row.value === 'Unresponsive')?.outcome).toBe('skip-stage-taken');
        expect(find(element, '[data-id="notice"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('offers it on the skipped values of the result, and marks a value mapped once it has its stage', async () => {
        // Step 1: the run skipped "Unresponsive" and "Bad Data"; each has the button, named for its value.
        const element = await openResult();
        const open = resultItem(element, 'Unresponsive')?.querySelector<HTMLButtonElement>('button[data-create]');
        expect(open?.getAttribute('aria-label')).toBe('c.AutoMap_NewStage_OpenAssistive');
        expect(open?.getAttribute('aria-expanded')).toBe('false');

        // Step 2: the button opens the form in place, prefilled, with the stages of the state.
        open?.click();
        await flushPromises();
        const form = resultItem(element, 'Unresponsive')?.querySelector<ChildElement>('c-auto-map-new-stage-form');
        expect(form?.suggestedName).toBe('Unresponsive');
        expect(form?.stages?.map((stage) => stage.name)).toContain('Unresponsive');
        await expect(element).toBeAccessible();

        // Step 3: the stage is created; the value says it is mapped now, focus moves to that line.
        const created = stateWithNewStage(leadState(), 'Unresponsive', 'Unresponsive (Leads)');
        jest.mocked(createStageAndMap).mockResolvedValueOnce(JSON.stringify(created));
        await submitName(form ?? null, 'Unresponsive (Leads)');
        const resolved = resultItem(element, 'Unresponsive')?.querySelector('[data-id="resolved"]');
        expect(resolved?.textContent.trim()).toBe('c.AutoMap_Wizard_NowMapped');
        expect(element.shadowRoot?.activeElement).toBe(resolved);
        expect(resultItem(element, 'Unresponsive')?.querySelector('button[data-create]')).toBeNull();
        expect(find(element, 'h2')?.textContent.trim()).toBe('c.AutoMap_Wizard_ResultHeadingUnmapped');

        // Step 4: the wizard's state is the new one: the next form knows the stage just created.
        resultItem(element, 'Bad Data')?.querySelector<HTMLButtonElement>('button[data-create]')?.click();
        await flushPromises();
        const next = resultItem(element, 'Bad Data')?.querySelector<ChildElement>('c-auto-map-new-stage-form');
        expect(next?.stages?.map((stage) => stage.name)).toContain('Unresponsive (Leads)');

        // Step 5: with the last skipped value mapped too, the run's result says it is complete.
        jest.mocked(createStageAndMap).mockResolvedValueOnce(
            JSON.stringify(stateWithNewStage(created, 'Bad Data', 'Bad Data (Leads)'))
        );
        await submitName(next ?? null, 'Bad Data (Leads)');
        expect(find(element, 'h2')?.textContent.trim()).toBe('c.AutoMap_Wizard_ResultHeading');
        await expect(element).toBeAccessible();
    });

    it("shows the service's refusal in the result's form, and Cancel returns the focus to the button", async () => {
        jest.mocked(createStageAndMap).mockRejectedValue({ status: 400, body: { message: REFUSAL } });
        const element = await openResult();
        const open = resultItem(element, 'Unresponsive')?.querySelector<HTMLButtonElement>('button[data-create]');
        open?.click();
        await flushPromises();
        const form = resultItem(element, 'Unresponsive')?.querySelector<ChildElement>('c-auto-map-new-stage-form');

        await submitName(form ?? null, 'Unresponsive (Leads)');
        expect(form?.error).toBe(REFUSAL);
        expect(resultItem(element, 'Unresponsive')?.querySelector('[data-id="resolved"]')).toBeNull();

        form?.dispatchEvent(new CustomEvent('cancel', { detail: { value: 'Unresponsive' } }));
        await flushPromises();
        expect(resultItem(element, 'Unresponsive')?.querySelector('c-auto-map-new-stage-form')).toBeNull();
        expect(element.shadowRoot?.activeElement).toBe(
            resultItem(element, 'Unresponsive')?.querySelector('button[data-create]')
        );
    });
});
