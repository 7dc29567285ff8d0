import Toast from 'lightning/toast';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMap from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import setMapping from '@salesforce/apex/StageAutoMapController.setMapping';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import type { ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import { toServiceValues } from 'c/stageAutoMapApi';
import { planAutoMap } from 'c/autoMapEngine';
import leadStatusValuesDe from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusDe.json';
import {
    ALL_VALUES,
    LEAD_STATUS,
    appliedAnswer,
    appliedRun,
    button,
    createWizard,
    find,
    findAll,
    flushPromises,
    history,
    leadObjectInfo,
    leadState,
    leadStatusMaster,
    objectInfoAdapter,
    openFieldStep,
    openPreview,
    picklistValuesAdapter,
    stateAfterApply,
    tiles
} from '../../../../../test/autoMapWizard/wizardHarness';
import type { WizardElement } from '../../../../../test/autoMapWizard/wizardHarness';
import { toPlanInput } from 'c/stageAutoMapApi';

// Section 4 of issue 11, the wizard's words and looks. Some labels are mocked with their English templates to see
// what fills them; the others evaluate to their own name ('c.AutoMap_X') in Jest, which shows which label is used.
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyAutoMap', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.setMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Value_Name', () => ({ default: '"{0}"' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Value_NameWithLabel', () => ({ default: '"{0}" (label "{1}")' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Wizard_ValuesFound', () => ({ default: 'Values to plan: {0}.' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Wizard_ShowAll', () => ({ default: 'Show all {0}' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.AutoMap_Wizard_NamingLabels',
    () => ({ default: 'New stages are named after the value labels, which are in {0}, your language.' }),
    { virtual: true }
);

/** A state with no stage and no mapping: every value gets a new stage. */
function emptyState(): ScopeState {
    return { ...leadState(), stages: [], mappings: [], otherMappings: [] };
}

/** A state where the stage named like each value is held by another value's mapping: every value is skipped. */
function everyStageHeld(values: readonly ServiceValue[]): ScopeState {
    const state = emptyState();
    state.stages = values.map((entry, index) => ({
        id: `stg-${index}`,
        family: 'contact',
        name: entry.value,
        displayOrder: index,
        category: null,
        recordCount: 0,
        createdAt: '2026-09-01T08:00:00.000Z'
    }));
    state.mappings = values.map((entry, index) => ({
        value: `Old ${index}`,
        stageId: `stg-${index}`,
        source: 'manual',
        runId: null
    }));
    return state;
}

async function applyWith(element: WizardElement, answer: string, after?: ScopeState): Promise<void> {
    jest.mocked(applyAutoMap).mockResolvedValue(answer);
    jest.mocked(getRunHistory).mockResolvedValue(history());
    if (after) {
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(after));
    }
    button(element, 'apply')?.click();
    await flushPromises();
    await flushPromises();
}

describe('c-auto-map-wizard: words and looks', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    describe('the steps', () => {
        it('shows each step by name, marks the current one, and adds no tab stop', async () => {
            const element = await openFieldStep();

            // The base progress indicator (a tab stop with an unlabelled dot per step) is gone.
            expect(find(element, 'lightning-progress-indicator')).toBeNull();
            const steps = findAll(element, '[data-id="steps"] li');
            expect(steps.map((step) => step.querySelector('.step-name')?.textContent)).toEqual([
                'c.AutoMap_Wizard_StepIntro',
                'c.AutoMap_Wizard_StepField',
                'c.AutoMap_Wizard_StepPreview',
                'c.AutoMap_Wizard_StepDone'
            ]);
            expect(steps.map((step) => step.getAttribute('aria-current'))).toEqual([null, 'step', null, null]);
            // The step done says so to screen readers.
            expect(steps[0]?.querySelector('.slds-assistive-text')?.textContent).toBe('c.AutoMap_Wizard_StepCompleted');
            expect(find(element, '[data-id="steps"]')?.getAttribute('aria-label')).toBe('c.AutoMap_Wizard_StepsLabel');
            expect(findAll(element, '[data-id="steps"] button, [data-id="steps"] [tabindex]')).toHaveLength(0);
            await expect(element).toBeAccessible();
        });
    });

    describe('the preview', () => {
        it('hints at suggestions only when there are some', async () => {
            // The recorded state has near matches ("Changed Jobs" and the stage "Changed Job").
            const withSuggestions = await openPreview();
            expect(find(withSuggestions, '[data-id="preview-help"]')?.textContent.trim()).toBe(
                'c.AutoMap_Wizard_PreviewNothingChanged c.AutoMap_Wizard_PreviewHelpSuggestions'
            );
            document.body.removeChild(withSuggestions);

            const without = await openPreview(emptyState());
            expect(find(without, '[data-id="suggestions"]')).toBeNull();
            expect(find(without, '[data-id="preview-help"]')?.textContent.trim()).toBe(
                'c.AutoMap_Wizard_PreviewNothingChanged c.AutoMap_Wizard_PreviewHelp'
            );
        });

        it('shows no tile for inactive values: the UI API lists active values only', async () => {
            const element = await openPreview();

            expect(Object.keys(tiles(element))).toEqual([
                'already-mapped',
                'map-existing',
                'create-and-map',
                'skip-stage-taken',
                'skip-ambiguous'
            ]);
            expect(tiles(element)['create-and-map']).toEqual(['6', 'c.AutoMap_Outcome_CreateAndMap']);
        });

        it('says which language new stage names come from, and offers API names instead', async () => {
            // Step 1: German labels would make German stage names: the note says so (Jest's language is English).
            const element = await openPreview(leadState(), leadStatusValuesDe);
            expect(find(element, '[data-id="naming-text"]')?.textContent).toBe(
                'New stages are named after the value labels, which are in English, your language.'
            );
            const table = find(element, 'c-auto-map-preview-table');
            const firstStage = (): string | undefined =>
                table?.outcomes?.find((outcome) => outcome.value === 'Open - Not Contacted')?.stageName;
            expect(firstStage()).toBe('Offen – nicht kontaktiert');
            await expect(element).toBeAccessible();

            // Step 2: "Name new stages by API name instead" plans again on a fresh read of the state.
            const checkbox = find(element, '[data-id="naming-api-name"]');
            expect(checkbox?.label).toBe('c.AutoMap_Wizard_NamingByApiName');
            checkbox?.dispatchEvent(new CustomEvent('change', { detail: { checked: true } }));
            await flushPromises();
            expect(getScopeState).toHaveBeenCalledTimes(2);
            expect(firstStage()).toBe('Open - Not Contacted');
            expect(table?.newStageNames).toBe('apiName');
            expect(find(element, '[data-id="naming-text"]')?.textContent).toBe('c.AutoMap_Wizard_NamingApiNames');
            expect(find(element, '[data-id="naming-api-name"]')?.checked).toBe(true);

            // Step 3: the service is asked to name them the same way, so it plans what the admin saw.
            await applyWith(element, appliedAnswer(leadState(), toServiceValues(leadStatusValuesDe.values), 'apiName'));
            expect(jest.mocked(applyAutoMap).mock.calls[0]?.[0].newStageNames).toBe('apiName');
        });

        it('says once what changed on a conflict, without version numbers, and plans on the state read again', async () => {
            // Step 1: meanwhile someone mapped "Working - Contacted" to the stage "Interested" (version 8).
            const moved = leadState();
            moved.version = 8;
            moved.mappings.push({
                value: 'Working - Contacted',
                stageId: 'stg-interested',
                source: 'manual',
                runId: null
            });
            const fresh = planAutoMap(toPlanInput(LEAD_STATUS, ALL_VALUES, moved));
            const element = await openPreview();
            jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(moved));
            jest.mocked(applyAutoMap).mockResolvedValueOnce(
                JSON.stringify({
                    status: 'conflict',
                    version: 8,
                    plan: { ...fresh, outcomes: [], suggestions: [] },
                    detail: 'The mappings of Lead.Status changed since your preview (version 7, now 8).'
                })
            );

            // Step 2: the banner: its heading once, the two values that changed, what to do; no versions.
            button(element, 'apply')?.click();
            await flushPromises();
            await flushPromises();
            const banner = find(element, '[data-id="conflict"]');
            const text = banner?.textContent ?? '';
            expect(text.split('c.AutoMap_Wizard_ConflictHeading')).toHaveLength(2);
            expect(text).not.toMatch(/version|7|8/i);
            expect(findAll(element, '[data-id="conflict"] li').map((item) => item.dataset.value)).toEqual([
                'Working - Contacted',
                'Interested'
            ]);
            await expect(element).toBeAccessible();

            // Step 3: applying again names the version of the state read after the conflict.
            await applyWith(element, appliedAnswer(moved, ALL_VALUES));
            expect(jest.mocked(applyAutoMap).mock.calls[1]?.[0].expectedVersion).toBe(8);
        });

        it('says an accepted suggestion inside the modal, never with a toast over its title', async () => {
            const mapped = leadState();
            mapped.version = 8;
            mapped.mappings.push({ value: 'Changed Jobs', stageId: 'stg-changed-job', source: 'manual', runId: null });
            jest.mocked(setMapping).mockResolvedValue(JSON.stringify(mapped));
            const element = await openPreview();

            find(element, 'c-auto-map-suggestion-list')?.dispatchEvent(
                new CustomEvent('accept', { detail: { value: 'Changed Jobs', stageId: 'stg-changed-job' } })
            );
            await flushPromises();

            expect(find(element, '[data-id="notice"]')?.textContent.trim()).toBe('c.AutoMap_Wizard_SuggestionAccepted');
            expect(Toast.show).not.toHaveBeenCalled();
        });
    });

    describe('the result', () => {
        it('names the outcomes in the past tense, without an inactive tile, and shows no toast', async () => {
            const element = await openPreview();
            await applyWith(element, appliedAnswer(leadState(), ALL_VALUES));

            expect(tiles(element)).toEqual({
                'already-mapped': ['2', 'c.AutoMap_ResultTile_AlreadyMapped'],
                'map-existing': ['1', 'c.AutoMap_ResultTile_MapExisting'],
                'create-and-map': ['6', 'c.AutoMap_ResultTile_CreateAndMap'],
                'skip-stage-taken': ['1', 'c.AutoMap_ResultTile_SkipStageTaken'],
                'skip-ambiguous': ['1', 'c.AutoMap_ResultTile_SkipAmbiguous']
            });
            expect(Toast.show).not.toHaveBeenCalled();
            await expect(element).toBeAccessible();
        });

        it('identifies each unmapped value by its API name, with the label beside it when it differs', async () => {
            const element = await openPreview(leadState(), leadStatusValuesDe);
            await applyWith(element, appliedAnswer(leadState(), toServiceValues(leadStatusValuesDe.values)));

            const names = findAll(element, '[data-id="unmapped"] .item-name').map((name) => [
                name.textContent.trim(),
                name.getAttribute('title')
            ]);
            expect(names).toEqual([
                ['"Unresponsive" (label "Keine Antwort")', '"Unresponsive" (label "Keine Antwort")'],
                ['"Bad Data" (label "Fehlerhafte Daten")', '"Bad Data" (label "Fehlerhafte Daten")']
            ]);
        });

        it('writes every count with grouping: 1,000 values, 1,200 stages created', async () => {
            // Step 1: a custom picklist at its limit of 1,000 values: the field step counts them.
            const values = Array.from({ length: 1000 }, (_, index) => ({
                attributes: null,
                label: `Value ${index}`,
                validFor: [],
                value: `Value ${index}`
            }));
            const field = await openFieldStep({ ...leadStatusMaster, values });
            expect(find(field, '[data-id="values-status"] p')?.textContent).toBe('Values to plan: 1,000.');
            document.body.removeChild(field);

            // Step 2: a run's counts in the tiles (as the service counted them).
            const element = await openPreview(emptyState());
            const run = appliedRun(emptyState(), ALL_VALUES);
            run.summary.counts['create-and-map'] = 1200;
            const answer = JSON.parse(appliedAnswer(emptyState(), ALL_VALUES)) as Record<string, unknown>;
            await applyWith(element, JSON.stringify({ ...answer, run }));
            expect(tiles(element)['create-and-map']?.[0]).toBe('1,200');
        });

        it('collapses a long list to its first ten, with "Show all", and truncates each name in one line', async () => {
            // Step 1: eleven values, eleven new stages (the state after the run has them, made by this run).
            const element = await openPreview(emptyState());
            await applyWith(
                element,
                appliedAnswer(emptyState(), ALL_VALUES),
                stateAfterApply(emptyState(), ALL_VALUES)
            );
            const created = (): HTMLElement[] => findAll(element, '[data-id="created"] li .slds-truncate');
            expect(created()).toHaveLength(10);
            expect(created()[0]?.title).toBe('Open - Not Contacted');
            const showAll = button(element, 'show-all-created');
            expect(showAll?.label).toBe('Show all 11');
            await expect(element).toBeAccessible();

            // Step 2: Show all lists the eleventh and moves the focus to it; the button is gone.
            showAll?.click();
            await flushPromises();
            expect(created()).toHaveLength(11);
            const items = findAll(element, '[data-id="created"] li .created-stage');
            expect(element.shadowRoot?.activeElement).toBe(items[10]);
            expect(button(element, 'show-all-created')).toBeNull();
        });

        it('collapses a long list of unmapped values the same way', async () => {
            // Eleven values whose stages other values hold, and one more value that gets a new stage.
            const fresh = { attributes: null, label: 'Fresh', validFor: [], value: 'Fresh' };
            const picklist = { ...leadStatusMaster, values: [...leadStatusMaster.values, fresh] };
            const values = toServiceValues(picklist.values);
            const state = everyStageHeld(ALL_VALUES);
            const element = await openPreview(state, picklist);
            await applyWith(element, appliedAnswer(state, values));

            expect(findAll(element, '[data-id="unmapped"] li')).toHaveLength(10);
            const showAll = button(element, 'show-all-unmapped');
            expect(showAll?.label).toBe('Show all 11');
            showAll?.click();
            await flushPromises();
            expect(findAll(element, '[data-id="unmapped"] li')).toHaveLength(11);
            expect(element.shadowRoot?.activeElement?.textContent).toBe('"Closed - Not Converted"');
        });
    });

    it('counts every value of a field of an object without record types, with grouping', async () => {
        // Contact has only the master record type: no picker, every value planned, nothing to narrow.
        const element = createWizard({ objectApiName: 'Contact', fieldApiName: 'Contact_Status__c' });
        objectInfoAdapter.emit({ ...leadObjectInfo, apiName: 'Contact', recordTypeInfos: {} });
        await flushPromises();
        button(element, 'proceed')?.click();
        await flushPromises();
        picklistValuesAdapter.emit(leadStatusMaster);
        await flushPromises();

        expect(find(element, '[data-id="values-status"] p')?.textContent).toBe(`Values to plan: ${ALL_VALUES.length}.`);
    });
});
