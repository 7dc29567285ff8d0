import { createElement } from 'lwc';
import AutoMapPreviewTable from 'c/autoMapPreviewTable';
import { planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';

/** The inline form's public properties, as the table sets them. */
type FormElement = HTMLElement & {
    value: string;
    suggestedName: string;
    stages: unknown[];
    error: string;
};

interface ComboboxElement extends HTMLElement {
    options: { label: string; value: string }[];
    value: string;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

/** One value of every outcome kind, planned by the real engine (an inactive value gives skip-inactive). */
function planOfEveryKind(): Plan {
    return planAutoMap({
        object: 'Lead',
        field: 'Status',
        values: [
            { value: 'Cold', label: 'Cold' },
            { value: 'Interested', label: 'Interested' },
            { value: 'Open - Not Contacted', label: 'Open - Not Contacted' },
            { value: 'Unresponsive', label: 'Unresponsive' },
            { value: 'Bad Data', label: 'Bad Data' },
            { value: 'Recycled', label: 'Recycled', active: false },
            { value: 'Closed - Converted', label: 'Closed - Converted' }
        ],
        stages: [
            { id: 'stg-cold', name: 'Cold' },
            { id: 'stg-interested', name: 'Interested' },
            { id: 'stg-unresponsive', name: 'Unresponsive' },
            { id: 'stg-bad-data', name: 'Bad Data' },
            { id: 'stg-bad-data-2', name: 'bad  data' }
        ],
        mappings: [
            { value: 'Cold', stageId: 'stg-cold' },
            { value: 'Nurture', stageId: 'stg-unresponsive' }
        ]
    });
}

function createTable(plan: Plan, convertedValues: string[] = []): HTMLElement {
    const element = createElement('c-auto-map-preview-table', { is: AutoMapPreviewTable });
    Object.assign(element, { caption: 'Auto-map preview of Lead Status', outcomes: plan.outcomes, convertedValues });
    document.body.appendChild(element);
    return element;
}

function rows(element: HTMLElement): HTMLTableRowElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll<HTMLTableRowElement>('tbody tr') ?? []);
}

describe('c-auto-map-preview-table', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows every value with its outcome, stage and reason, one row per outcome kind, accessibly', async () => {
        // Step 1: render the engine's plan.
        const element = createTable(planOfEveryKind());
        await flushPromises();

        // Step 2: one row per value, in picklist order, tagged with its outcome.
        const outcomes = rows(element).map((row) => [row.dataset.value, row.dataset.outcome]);
        expect(outcomes).toEqual([
            ['Cold', 'already-mapped'],
            ['Interested', 'map-existing'],
            ['Open - Not Contacted', 'create-and-map'],
            ['Unresponsive', 'skip-stage-taken'],
            ['Bad Data', 'skip-ambiguous'],
            ['Recycled', 'skip-inactive'],
            ['Closed - Converted', 'create-and-map']
        ]);

        // Step 3: the cells carry the value (row header), label, outcome name, stage and reason.
        const taken = rows(element)[3];
        const cells = Array.from(taken?.querySelectorAll('th, td') ?? []).map((cell) => cell.textContent.trim());
        expect(cells).toEqual([
            'Unresponsive',
            'Unresponsive',
            'c.AutoMap_Outcome_SkipStageTaken',
            'Unresponsive',
            'c.AutoMap_Reason_SkipStageTaken'
        ]);
        expect(element.shadowRoot?.querySelector('caption')?.textContent).toBe('Auto-map preview of Lead Status');
        await expect(element).toBeAccessible();
    });

    it('highlights every skip and only skips', async () => {
        const element = createTable(planOfEveryKind());
        await flushPromises();

        const highlighted = rows(element)
            .filter((row) => row.classList.contains('skipped-row'))
            .map((row) => row.dataset.value);
        expect(highlighted).toEqual(['Unresponsive', 'Bad Data', 'Recycled']);
    });

    it('marks Lead statuses that convert a lead', async () => {
        const element = createTable(planOfEveryKind(), ['Closed - Converted']);
        await flushPromises();

        const converted = rows(element).find((row) => row.dataset.value === 'Closed - Converted');
        expect(converted?.querySelector('.slds-badge')?.textContent).toBe('c.AutoMap_Preview_Converted');
        expect(rows(element)[0]?.querySelector('.slds-badge')).toBeNull();
    });

    it('filters by outcome with counts in the options, and says when nothing matches', async () => {
        // Step 1: the filter offers all values, the skipped ones, and each outcome that occurs, with counts.
        const element = createTable(planOfEveryKind());
        await flushPromises();
        const filter = element.shadowRoot?.querySelector<ComboboxElement>('lightning-combobox');
        expect(filter?.options.map((option) => option.value)).toEqual([
            'all',
            'skipped',
            'already-mapped',
            'map-existing',
            'create-and-map',
            'skip-stage-taken',
            'skip-ambiguous',
            'skip-inactive'
        ]);

        // Step 2: choosing "skipped" shows the three skips and updates the live count.
        filter?.dispatchEvent(new CustomEvent('change', { detail: { value: 'skipped' } }));
        await flushPromises();
        expect(rows(element).map((row) => row.dataset.value)).toEqual(['Unresponsive', 'Bad Data', 'Recycled']);
        expect(element.shadowRoot?.querySelector('[data-id="showing"]')?.textContent).toBe(
            'c.AutoMap_Preview_ShowingCount'
        );

        // Step 3: one outcome kind.
        filter?.dispatchEvent(new CustomEvent('change', { detail: { value: 'create-and-map' } }));
        await flushPromises();
        expect(rows(element).map((row) => row.dataset.value)).toEqual(['Open - Not Contacted', 'Closed - Converted']);
        await expect(element).toBeAccessible();

        // Step 4: a new plan without that kind falls back to all values.
        Object.assign(element, { outcomes: planOfEveryKind().outcomes.filter((o) => o.outcome !== 'create-and-map') });
        await flushPromises();
        expect(rows(element)).toHaveLength(5);
    });

    it('keeps 255-character names on one line, the full text in the title and in the DOM for screen readers', async () => {
        // Step 1: a value, label and new stage name at the platform's limit of 255 characters.
        const long = `Waiting for the partner ${'to confirm the referral '.repeat(10)}`
            .slice(0, 254)
            .trimEnd()
            .padEnd(255, '.');
        const plan = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: [{ value: long, label: long }],
            stages: [],
            mappings: []
        });
        const element = createTable(plan);
        await flushPromises();

        // Step 2: value, label and stage cells truncate (one line) and carry the whole name in their title.
        const [row] = rows(element);
        const truncated = Array.from(row?.querySelectorAll<HTMLElement>('.slds-truncate') ?? []);
        expect(truncated.map((cell) => [cell.title, cell.textContent])).toEqual([
            [long, long],
            [long, long],
            [long, long]
        ]);
        // Step 3: the reason, a sentence with the name in it, is clamped to a few lines with its full text on hover.
        const reason = row?.querySelector<HTMLElement>('.slds-line-clamp_medium');
        expect(reason?.title).toBe(reason?.textContent);
        // Step 4: the headers never wrap either, and say their full text on hover.
        const headers = Array.from(element.shadowRoot?.querySelectorAll<HTMLElement>('thead th > div') ?? []);
        expect(headers.map((header) => [header.className, header.title])).toEqual(
            ['Value', 'Label', 'Outcome', 'Stage', 'Reason'].map((column) => [
                'slds-truncate',
                `c.AutoMap_Column_${column}`
            ])
        );
        await expect(element).toBeAccessible();
    });

    it('offers "Create a stage and map" on skipped rows only, and opens a form named like auto-map would', async () => {
        // Step 1: the wizard allows it and passes the family's stages.
        const element = createTable(planOfEveryKind());
        Object.assign(element, { canCreateStages: true, stages: [{ id: 'stg-unresponsive', name: 'Unresponsive' }] });
        await flushPromises();

        // Step 2: the two skips that a stage of their own resolves have the button, named for their value.
        const buttons = Array.from(
            element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-create]') ?? []
        );
        expect(buttons.map((button) => [button.dataset.value, button.getAttribute('aria-expanded')])).toEqual([
            ['Unresponsive', 'false'],
            ['Bad Data', 'false']
        ]);
        expect(buttons[0]?.getAttribute('aria-label')).toBe('c.AutoMap_NewStage_OpenAssistive');
        expect(buttons[0]?.textContent.trim()).toBe('c.AutoMap_NewStage_Open');
        await expect(element).toBeAccessible();

        // Step 3: the button opens the form under its row, prefilled with the label's stage name, and focuses its
        // name field (jsdom cannot focus the stub of lightning-input, so the focus() call is recorded).
        const focused: Element[] = [];
        const focus = jest.spyOn(HTMLElement.prototype, 'focus').mockImplementation(function (this: HTMLElement) {
            focused.push(this);
        });
        buttons[1]?.click();
        await flushPromises();
        focus.mockRestore();
        const form = element.shadowRoot?.querySelector<FormElement>('c-auto-map-new-stage-form');
        expect(form?.value).toBe('Bad Data');
        expect(form?.suggestedName).toBe('Bad Data');
        expect(form?.stages).toEqual([{ id: 'stg-unresponsive', name: 'Unresponsive' }]);
        expect(focused).toEqual([form?.shadowRoot?.querySelector('lightning-input')]);
        expect(element.shadowRoot?.querySelector('button[data-value="Bad Data"]')?.getAttribute('aria-expanded')).toBe(
            'true'
        );
        await expect(element).toBeAccessible();
    });

    it('passes the name on to the wizard, shows its refusal, and closes the form once the value is mapped', async () => {
        // Step 1: open the form of "Unresponsive".
        const plan = planOfEveryKind();
        const element = createTable(plan);
        Object.assign(element, { canCreateStages: true });
        const created = jest.fn();
        element.addEventListener('createstage', created);
        await flushPromises();
        element.shadowRoot?.querySelector<HTMLButtonElement>('button[data-value="Unresponsive"]')?.click();
        await flushPromises();

        // Step 2: the form's create becomes the table's createstage.
        const form = element.shadowRoot?.querySelector<FormElement>('c-auto-map-new-stage-form');
        form?.dispatchEvent(
            new CustomEvent('create', { detail: { value: 'Unresponsive', stageName: 'Unresponsive (Leads)' } })
        );
        expect((created.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({
            value: 'Unresponsive',
            stageName: 'Unresponsive (Leads)'
        });

        // Step 3: the service refused: its message reaches the form of that value.
        Object.assign(element, { createFailure: { value: 'Unresponsive', message: 'A stage has that name.' } });
        await flushPromises();
        expect(element.shadowRoot?.querySelector<FormElement>('c-auto-map-new-stage-form')?.error).toBe(
            'A stage has that name.'
        );

        // Step 4: the wizard's new plan maps the value: the form closes, the row shows the mapping and has focus.
        const after = plan.outcomes.map((outcome) => {
            if (outcome.value !== 'Unresponsive') {
                return outcome;
            }
            return {
                ...outcome,
                outcome: 'already-mapped' as const,
                stageId: 'stg-new',
                stageName: 'Unresponsive (Leads)'
            };
        });
        Object.assign(element, { outcomes: after });
        await flushPromises();
        expect(element.shadowRoot?.querySelector('c-auto-map-new-stage-form')).toBeNull();
        const row = rows(element).find((candidate) => candidate.dataset.value === 'Unresponsive');
        expect(row?.dataset.outcome).toBe('already-mapped');
        expect(element.shadowRoot?.activeElement).toBe(row?.querySelector('th'));
        await expect(element).toBeAccessible();
    });

    it('returns the focus to the button when the form is cancelled', async () => {
        const element = createTable(planOfEveryKind());
        Object.assign(element, { canCreateStages: true });
        await flushPromises();
        const open = element.shadowRoot?.querySelector<HTMLButtonElement>('button[data-value="Unresponsive"]');
        expect(open).not.toBeNull();
        open?.click();
        await flushPromises();

        element.shadowRoot
            ?.querySelector('c-auto-map-new-stage-form')
            ?.dispatchEvent(new CustomEvent('cancel', { detail: { value: 'Unresponsive' } }));
        await flushPromises();

        expect(element.shadowRoot?.querySelector('c-auto-map-new-stage-form')).toBeNull();
        expect(element.shadowRoot?.activeElement).toBe(open);
    });

    it('prefills the API name when the admin names new stages by API name', async () => {
        const plan = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: [
                { value: 'LS_KEEN', label: 'Interessiert' },
                { value: 'Interested', label: 'Interessiert' }
            ],
            stages: [{ id: 'stg-interessiert', name: 'Interessiert' }],
            mappings: [{ value: 'Interested', stageId: 'stg-interessiert' }]
        });
        const element = createTable(plan);
        Object.assign(element, { canCreateStages: true, newStageNames: 'apiName' });
        await flushPromises();

        element.shadowRoot?.querySelector<HTMLButtonElement>('button[data-value="LS_KEEN"]')?.click();
        await flushPromises();

        expect(element.shadowRoot?.querySelector<FormElement>('c-auto-map-new-stage-form')?.suggestedName).toBe(
            'LS_KEEN'
        );
    });

    it('offers no stage creation unless the wizard allows it', async () => {
        const element = createTable(planOfEveryKind());
        await flushPromises();

        expect(element.shadowRoot?.querySelectorAll('button[data-create]')).toHaveLength(0);
    });

    describe('categories of new stages', () => {
        /** The category comboboxes, one per row that creates a stage (the filter combobox has no data-value). */
        function categoryBoxes(element: HTMLElement): (ComboboxElement & { label: string; disabled: boolean })[] {
            return Array.from(
                element.shadowRoot?.querySelectorAll<ComboboxElement & { label: string; disabled: boolean }>(
                    'lightning-combobox[data-value]'
                ) ?? []
            );
        }

        it('offers a category on each row that creates a stage, showing the chosen one, accessibly', async () => {
            // Step 1: the wizard asks for categories; the converted status starts as Succeeded.
            const element = createTable(planOfEveryKind(), ['Closed - Converted']);
            Object.assign(element, {
                canChooseCategories: true,
                categories: { 'Open - Not Contacted': null, 'Closed - Converted': 'succeeded' }
            });
            await flushPromises();

            // Step 2: a column for it, and a combobox on the two create-and-map rows only, named for their stage.
            const header = element.shadowRoot?.querySelector('th.col-category');
            expect(header?.textContent.trim()).toBe('c.AutoMap_Column_Category');
            const boxes = categoryBoxes(element);
            expect(boxes.map((box) => [box.dataset.value, box.value])).toEqual([
                ['Open - Not Contacted', 'none'],
                ['Closed - Converted', 'succeeded']
            ]);
            expect(boxes[0]?.label).toBe('c.AutoMap_Preview_CategoryAssistive');
            expect(boxes[0]?.options.map((option) => option.value)).toEqual([
                'in_progress',
                'succeeded',
                'failed',
                'none'
            ]);
            expect(boxes[0]?.options.map((option) => option.label)).toEqual([
                'c.AutoMap_Category_InProgress',
                'c.AutoMap_Category_Succeeded',
                'c.AutoMap_Category_Failed',
                'c.AutoMap_Category_None'
            ]);
            // Every other row has an empty cell in the column, so the table stays rectangular.
            expect(rows(element).every((row) => row.querySelectorAll('th, td').length === 6)).toBe(true);
            await expect(element).toBeAccessible();
        });

        it('shows None for a stage the wizard sent no category for', async () => {
            const element = createTable(planOfEveryKind());
            Object.assign(element, { canChooseCategories: true });
            await flushPromises();

            expect(categoryBoxes(element).map((box) => box.value)).toEqual(['none', 'none']);
        });

        it('tells the wizard which category the admin picked, None as null', async () => {
            const element = createTable(planOfEveryKind());
            Object.assign(element, { canChooseCategories: true });
            const changed = jest.fn();
            element.addEventListener('categorychange', changed);
            await flushPromises();
            const [open, converted] = categoryBoxes(element);

            open?.dispatchEvent(new CustomEvent('change', { detail: { value: 'in_progress' } }));
            converted?.dispatchEvent(new CustomEvent('change', { detail: { value: 'none' } }));

            expect(changed.mock.calls.map((call) => (call as [CustomEvent<unknown>])[0].detail)).toEqual([
                { value: 'Open - Not Contacted', category: 'in_progress' },
                { value: 'Closed - Converted', category: null }
            ]);
        });

        it('turns the choices off while the wizard waits, and spans the category column with the inline form', async () => {
            // Step 1: busy: no choice can change.
            const element = createTable(planOfEveryKind());
            Object.assign(element, { canChooseCategories: true, canCreateStages: true, busy: true });
            await flushPromises();
            expect(categoryBoxes(element).map((box) => box.disabled)).toEqual([true, true]);

            // Step 2: not busy, the form of a skipped value spans all six columns.
            Object.assign(element, { busy: false });
            await flushPromises();
            element.shadowRoot?.querySelector<HTMLButtonElement>('button[data-value="Unresponsive"]')?.click();
            await flushPromises();
            expect(element.shadowRoot?.querySelector('tr.editor-row td')?.getAttribute('colspan')).toBe('6');
            await expect(element).toBeAccessible();
        });

        it('has no category column unless the wizard asks for categories, or when no stage is created', async () => {
            // Step 1: not asked: five columns, as before.
            const element = createTable(planOfEveryKind());
            await flushPromises();
            expect(element.shadowRoot?.querySelector('th.col-category')).toBeNull();
            expect(categoryBoxes(element)).toHaveLength(0);

            // Step 2: asked, but the plan creates nothing.
            const creating = new Set(['create-and-map']);
            Object.assign(element, {
                canChooseCategories: true,
                outcomes: planOfEveryKind().outcomes.filter((outcome) => !creating.has(outcome.outcome))
            });
            await flushPromises();
            expect(element.shadowRoot?.querySelector('th.col-category')).toBeNull();
            expect(element.shadowRoot?.querySelector('table')?.classList.contains('with-categories')).toBe(false);
        });
    });

    it('says when the stage a value maps to is also mapped in other fields', async () => {
        const element = createTable(planOfEveryKind());
        Object.assign(element, {
            otherMappings: [{ object: 'Contact', field: 'Contact_Status__c', value: 'Keen', stageId: 'stg-interested' }]
        });
        await flushPromises();

        const interested = rows(element).find((row) => row.dataset.value === 'Interested');
        expect(interested?.querySelector('.slds-line-clamp_medium')?.textContent).toBe(
            'c.AutoMap_Reason_MapExistingShared'
        );
    });

    it('shows an empty plan as an empty table with a message, accessibly', async () => {
        const element = createTable(
            planAutoMap({ object: 'Lead', field: 'Status', values: [], stages: [], mappings: [] })
        );
        await flushPromises();

        expect(rows(element)).toHaveLength(0);
        expect(element.shadowRoot?.querySelector('[data-id="no-match"]')?.textContent).toBe(
            'c.AutoMap_Preview_NoMatch'
        );
        await expect(element).toBeAccessible();
    });

    it('renders 1,000 values at once and filters them without re-planning', async () => {
        // Step 1: a custom picklist at its limit, half matching existing stages.
        const values = Array.from({ length: 1000 }, (_, index) => ({
            value: `Value ${index}`,
            label: `Wert ${index}`
        }));
        const stages = Array.from({ length: 500 }, (_, index) => ({ id: `stg-${index}`, name: `Value ${index * 2}` }));
        const plan = planAutoMap({ object: 'Contact', field: 'Contact_Status__c', values, stages, mappings: [] });

        // Step 2: render it, with a category choice on the 500 rows that create a stage, and time the first render
        // (the browser bench measures it for real).
        const started = performance.now();
        const element = createTable(plan);
        Object.assign(element, { canChooseCategories: true });
        await flushPromises();
        const elapsed = performance.now() - started;

        expect(rows(element)).toHaveLength(1000);
        expect(element.shadowRoot?.querySelectorAll('lightning-combobox[data-value]')).toHaveLength(500);
        // A generous bound that still catches quadratic work per row.
        expect(elapsed).toBeLessThan(5000);

        // Step 3: filter to the 500 values that map to existing stages.
        element.shadowRoot
            ?.querySelector('lightning-combobox')
            ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'map-existing' } }));
        await flushPromises();
        expect(rows(element)).toHaveLength(500);
    });
});
