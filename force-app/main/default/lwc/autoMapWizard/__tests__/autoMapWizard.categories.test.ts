import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMap from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import setMapping from '@salesforce/apex/StageAutoMapController.setMapping';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import type { ScopeState, Stage } from 'c/stageAutoMapApi';
import {
    ALL_VALUES,
    appliedAnswer,
    appliedRun,
    button,
    find,
    findAll,
    flushPromises,
    history,
    leadState,
    leadStatusMaster,
    openPreview,
    stateAfterApply
} from '../../../../../test/autoMapWizard/wizardHarness';
import type { ChildElement, WizardElement } from '../../../../../test/autoMapWizard/wizardHarness';

// Issue 12, "Created stages get their meaning from the picklist": the category of each stage auto-map creates, where
// the new stages go, and what the result shows. The engine is the real one; the Apex methods are mocked. The labels
// that take arguments are mocked with their English templates, to see what fills them.
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyAutoMap', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.setMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock(
    '@salesforce/label/c.AutoMap_Wizard_CreatedPositions',
    () => ({ default: 'New stages go to positions {0} to {1}, after the {2} existing stages, in picklist order.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_Wizard_CreatedPositionsFirst',
    () => ({ default: 'New stages go to positions 1 to {0}, in picklist order: there are no stages yet.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_Wizard_CreatedPosition',
    () => ({ default: 'The new stage goes to position {0}, after the {1} existing stages.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_Wizard_CreatedCategory', () => ({ default: 'Category: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Wizard_CreatedCategories', () => ({ default: 'By category: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_List_NamedCount', () => ({ default: '{0}: {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_List_Separator', () => ({ default: ',' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Category_InProgress', () => ({ default: 'In progress' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Category_Succeeded', () => ({ default: 'Succeeded' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Category_Failed', () => ({ default: 'Failed' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Category_None', () => ({ default: 'None' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.AutoMap_Preview_CategoryAssistive',
    () => ({ default: 'Category of the new stage "{0}"' }),
    { virtual: true }
);

/** The values of the recorded Lead Status that get a new stage on the recorded state (10 stages), in picklist order. */
const CREATED = [
    'Open - Not Contacted',
    'Working - Contacted',
    'Changed Jobs',
    'Partner Accepted',
    'Closed - Converted',
    'Closed - Not Converted'
];

type Combobox = ChildElement & { options?: { label: string; value: string }[] };

function table(element: HTMLElement): ChildElement | null {
    return find(element, 'c-auto-map-preview-table');
}

/** The preview table's category comboboxes: which value each is for, its value and its accessible name. */
function categoryBoxes(element: HTMLElement): Combobox[] {
    return Array.from(table(element)?.shadowRoot?.querySelectorAll<Combobox>('lightning-combobox[data-value]') ?? []);
}

function categoryBox(element: HTMLElement, value: string): Combobox | undefined {
    return categoryBoxes(element).find((box) => box.dataset.value === value);
}

/** The admin picks a category in the row of `value`, as lightning-combobox reports it. */
async function choose(element: HTMLElement, value: string, option: string): Promise<void> {
    categoryBox(element, value)?.dispatchEvent(new CustomEvent('change', { detail: { value: option } }));
    await flushPromises();
}

function textOf(element: HTMLElement, id: string): string | undefined {
    return find(element, `[data-id="${id}"]`)?.textContent.trim();
}

/** The params of the n-th apply the controller received. */
function applyParams(call: number): Record<string, unknown> | undefined {
    return jest.mocked(applyAutoMap).mock.calls[call]?.[0] as Record<string, unknown> | undefined;
}

/** A state with no stage and no mapping: every value gets a new stage. */
function emptyState(): ScopeState {
    return { ...leadState(), stages: [], mappings: [], otherMappings: [] };
}

async function apply(element: WizardElement): Promise<void> {
    button(element, 'apply')?.click();
    await flushPromises();
    await flushPromises();
}

describe('c-auto-map-wizard: categories of created stages', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    describe('the preview', () => {
        it('offers a category for each stage to be created: Succeeded for the converted status, None for the others', async () => {
            const element = await openPreview();

            // One combobox per create-and-map row, none on the other rows, each named after its stage.
            expect(categoryBoxes(element).map((box) => box.dataset.value)).toEqual(CREATED);
            expect(categoryBoxes(element).map((box) => box.value)).toEqual([
                'none',
                'none',
                'none',
                'none',
                'succeeded',
                'none'
            ]);
            expect(categoryBox(element, 'Closed - Converted')?.label).toBe(
                'Category of the new stage "Closed - Converted"'
            );
            expect(categoryBox(element, 'Open - Not Contacted')?.options).toEqual([
                { label: 'In progress', value: 'in_progress' },
                { label: 'Succeeded', value: 'succeeded' },
                { label: 'Failed', value: 'failed' },
                { label: 'None', value: 'none' }
            ]);
            // The converted status comes from UI API attributes.converted of the recorded values.
            expect(leadStatusMaster.values.filter((entry) => entry.attributes.converted).map((e) => e.value)).toEqual([
                'Closed - Converted'
            ]);
            expect(textOf(element, 'category-help')).toBe('c.AutoMap_Wizard_CategoryHelp');
            await expect(element).toBeAccessible();
        });

        it('says where the new stages go: after the family’s existing stages, in picklist order', async () => {
            const element = await openPreview();

            expect(textOf(element, 'created-position')).toBe(
                'New stages go to positions 11 to 16, after the 10 existing stages, in picklist order.'
            );
        });

        it('says where they go when there are no stages yet', async () => {
            const element = await openPreview(emptyState());

            expect(textOf(element, 'created-position')).toBe(
                'New stages go to positions 1 to 11, in picklist order: there are no stages yet.'
            );
            expect(categoryBoxes(element)).toHaveLength(11);
            await expect(element).toBeAccessible();
        });

        it('says where the one new stage goes', async () => {
            const values = {
                ...leadStatusMaster,
                values: leadStatusMaster.values.filter((entry) => ['Cold', 'Closed - Converted'].includes(entry.value))
            };
            const element = await openPreview(leadState(), values);

            expect(textOf(element, 'created-position')).toBe(
                'The new stage goes to position 11, after the 10 existing stages.'
            );
            expect(categoryBoxes(element).map((box) => [box.dataset.value, box.value])).toEqual([
                ['Closed - Converted', 'succeeded']
            ]);
        });

        it('shows no positions and no categories when nothing is created', async () => {
            const values = {
                ...leadStatusMaster,
                values: leadStatusMaster.values.filter((entry) => ['Cold', 'Interested'].includes(entry.value))
            };
            const element = await openPreview(leadState(), values);

            expect(find(element, '[data-id="created-position"]')).toBeNull();
            expect(find(element, '[data-id="category-help"]')).toBeNull();
            expect(categoryBoxes(element)).toHaveLength(0);
            expect(table(element)?.shadowRoot?.querySelector('th.col-category')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it("keeps the admin's choices when the plan is made again after a suggestion is accepted", async () => {
            // Step 1: the admin gives "Open - Not Contacted" a category and takes it from "Closed - Converted".
            const mapped = leadState();
            mapped.version = 8;
            mapped.mappings.push({ value: 'Changed Jobs', stageId: 'stg-changed-job', source: 'manual', runId: null });
            jest.mocked(setMapping).mockResolvedValue(JSON.stringify(mapped));
            const element = await openPreview();
            await choose(element, 'Open - Not Contacted', 'in_progress');
            await choose(element, 'Closed - Converted', 'none');

            // Step 2: accepting a suggestion plans again on the returned state.
            find(element, 'c-auto-map-suggestion-list')?.dispatchEvent(
                new CustomEvent('accept', { detail: { value: 'Changed Jobs', stageId: 'stg-changed-job' } })
            );
            await flushPromises();
            expect(setMapping).toHaveBeenCalledTimes(1);

            // Step 3: the choices stand, an explicit None included; "Changed Jobs" is mapped now, no stage to create.
            expect(categoryBoxes(element).map((box) => [box.dataset.value, box.value])).toEqual([
                ['Open - Not Contacted', 'in_progress'],
                ['Working - Contacted', 'none'],
                ['Partner Accepted', 'none'],
                ['Closed - Converted', 'none'],
                ['Closed - Not Converted', 'none']
            ]);
        });
    });

    describe('the apply', () => {
        it('sends the chosen categories of the stages to be created, None left out', async () => {
            // Step 1: the admin chooses In progress and Failed, and keeps the default of the converted status.
            jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(leadState(), ALL_VALUES));
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();
            await choose(element, 'Working - Contacted', 'in_progress');
            await choose(element, 'Closed - Not Converted', 'failed');

            // Step 2: one apply, with the categories by value.
            await apply(element);
            expect(applyAutoMap).toHaveBeenCalledTimes(1);
            expect(applyParams(0)?.categories).toEqual({
                'Working - Contacted': 'in_progress',
                'Closed - Converted': 'succeeded',
                'Closed - Not Converted': 'failed'
            });
        });

        it('sends none when every new stage is None', async () => {
            jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(leadState(), ALL_VALUES));
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();
            await choose(element, 'Closed - Converted', 'none');

            await apply(element);

            expect(applyParams(0)?.categories).toEqual({});
        });

        it('retries with the same key, but a changed category makes a new run with a new key', async () => {
            // Step 1: the first apply fails on the way; the preview is back with the error.
            jest.mocked(applyAutoMap).mockRejectedValue({ body: { message: 'The stage service did not answer.' } });
            const element = await openPreview();
            await apply(element);
            expect(find(element, '[data-id="failure"]')).not.toBeNull();

            // Step 2: a retry as it was sends the same key.
            await apply(element);
            expect(applyParams(1)?.idempotencyKey).toBe(applyParams(0)?.idempotencyKey);

            // Step 3: after a category changed, the request differs: a new key, so the service never refuses it as a
            // key reused for another request.
            await choose(element, 'Open - Not Contacted', 'failed');
            await apply(element);
            expect(applyParams(2)?.idempotencyKey).not.toBe(applyParams(0)?.idempotencyKey);
            expect(applyParams(2)?.categories).toEqual({
                'Open - Not Contacted': 'failed',
                'Closed - Converted': 'succeeded'
            });
        });
    });

    describe('the result', () => {
        it('shows each created stage with the category the service gave it, and the counts by category', async () => {
            // Step 1: the service created the six stages with the categories asked for.
            const after = stateAfterApply(leadState(), ALL_VALUES);
            const categories: Record<string, Stage['category']> = {
                'Open - Not Contacted': 'in_progress',
                'Closed - Converted': 'succeeded'
            };
            after.stages = after.stages.map((stage) => ({ ...stage, category: categories[stage.name] ?? null }));
            const run = { ...appliedRun(leadState(), ALL_VALUES), kind: 'auto-map' as const };
            const answer = JSON.parse(appliedAnswer(leadState(), ALL_VALUES)) as Record<string, unknown>;
            jest.mocked(applyAutoMap).mockResolvedValue(
                JSON.stringify({
                    ...answer,
                    run: { ...run, createdCategories: { in_progress: 1, succeeded: 1, failed: 0, none: 4 } }
                })
            );
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();
            await choose(element, 'Open - Not Contacted', 'in_progress');
            jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(after));

            // Step 2: the result lists each created stage with its category, and the counts above the list.
            await apply(element);
            const items = findAll(element, '[data-id="created"] li').map((item) => [
                item.querySelector('.slds-truncate')?.textContent.trim(),
                item.querySelector('[data-id="created-category"]')?.textContent.trim()
            ]);
            // A screen reader hears "Open - Not Contacted, Category: In progress", not the two run together.
            expect(findAll(element, '[data-id="created"] li')[0]?.textContent.trim()).toBe(
                'Open - Not Contacted,Category: In progress'
            );
            expect(items).toEqual([
                ['Open - Not Contacted', 'Category: In progress'],
                ['Working - Contacted', 'Category: None'],
                ['Changed Jobs', 'Category: None'],
                ['Partner Accepted', 'Category: None'],
                ['Closed - Converted', 'Category: Succeeded'],
                ['Closed - Not Converted', 'Category: None']
            ]);
            expect(textOf(element, 'created-categories')).toBe('By category: In progress: 1, Succeeded: 1, None: 4');
            await expect(element).toBeAccessible();
        });

        it('shows no counts by category when the service sent none (a run recorded before categories)', async () => {
            jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(leadState(), ALL_VALUES));
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();
            jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(stateAfterApply(leadState(), ALL_VALUES)));

            await apply(element);

            expect(findAll(element, '[data-id="created"] li')).toHaveLength(CREATED.length);
            expect(find(element, '[data-id="created-categories"]')).toBeNull();
            await expect(element).toBeAccessible();
        });
    });
});
