import { createElement } from 'lwc';
import AutoMapPreviewTable from 'c/autoMapPreviewTable';
import { planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';

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

        // Step 2: render it and time the first render (the browser bench measures it for real).
        const started = performance.now();
        const element = createTable(plan);
        await flushPromises();
        const elapsed = performance.now() - started;

        expect(rows(element)).toHaveLength(1000);
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
