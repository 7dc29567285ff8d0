import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMap from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import type { ScopeState } from 'c/stageAutoMapApi';
import {
    ALL_VALUES,
    MASTER,
    PARTNER_REFERRAL,
    PARTNER_VALUES,
    appliedAnswer,
    button,
    createWizard,
    find,
    findAll,
    flushPromises,
    forRecordType,
    history,
    leadObjectInfo,
    leadState,
    leadStatusMaster,
    leadStatusPartner,
    objectInfoAdapter,
    openPreview,
    picklistValuesAdapter,
    previewRows
} from '../../../../../test/autoMapWizard/wizardHarness';
import type { WizardElement } from '../../../../../test/autoMapWizard/wizardHarness';

// Section 2 of issue 11: the wizard plans every value of the field unless the admin narrows it to a record type,
// and the result names every value still unmapped. The engine (c/autoMapEngine) is the real one.
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyAutoMap', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });

/** A state with no stage and no mapping: every value gets a new stage, nothing is skipped. */
function emptyState(): ScopeState {
    return { ...leadState(), stages: [], mappings: [], otherMappings: [] };
}

/** The values still unmapped, as the result lists them: the value's name and the reason. */
function unmappedItems(element: HTMLElement): { value: string | undefined; reason: string | undefined }[] {
    return findAll(element, '[data-id="unmapped"] li').map((item) => ({
        value: item.dataset.value,
        reason: item.querySelector('.slds-line-clamp_medium')?.textContent.trim()
    }));
}

async function apply(element: WizardElement): Promise<void> {
    button(element, 'apply')?.click();
    await flushPromises();
    await flushPromises();
}

describe('c-auto-map-wizard: record types', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('plans every value of the field by default, "Partner Accepted" included, and maps it', async () => {
        // Step 1: the field step asks the UI API for the master record type's values: every value of the field.
        const element = createWizard();
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        button(element, 'proceed')?.click();
        await flushPromises();
        expect(find(element, 'c-record-type-picker')?.value).toBe(MASTER);
        expect(picklistValuesAdapter.getLastConfig()).toEqual({ recordTypeId: MASTER, fieldApiName: 'Lead.Status' });
        await expect(element).toBeAccessible();

        // Step 2: the values arrive; the preview plans all eleven, "Partner Accepted" among them.
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(emptyState()));
        picklistValuesAdapter.emit(leadStatusMaster);
        await flushPromises();
        expect(find(element, '[data-id="values-status"] p')?.textContent).toBe('c.AutoMap_Wizard_ValuesFound');
        button(element, 'preview')?.click();
        await flushPromises();
        expect(previewRows(element)).toHaveLength(ALL_VALUES.length);
        expect(previewRows(element)).toContainEqual({ value: 'Partner Accepted', outcome: 'create-and-map' });

        // Step 3: Create and Map sends every value; with nothing skipped, the run is complete.
        jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(emptyState(), ALL_VALUES));
        jest.mocked(getRunHistory).mockResolvedValue(history());
        await apply(element);
        expect(jest.mocked(applyAutoMap).mock.calls[0]?.[0].values).toEqual(ALL_VALUES);
        expect(find(element, 'h2')?.textContent.trim()).toBe('c.AutoMap_Wizard_ResultHeading');
        expect(find(element, '[data-id="unmapped"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('never says "Mapping complete" while a value is unmapped: it names each skipped value and why', async () => {
        // Step 1: the recorded state skips "Unresponsive" (its stage is held) and "Bad Data" (duplicate stages).
        jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(leadState(), ALL_VALUES));
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = await openPreview();

        // Step 2: after the run, the heading counts what is unmapped, and the list says why, value by value.
        await apply(element);
        expect(find(element, 'h2')?.textContent.trim()).toBe('c.AutoMap_Wizard_ResultHeadingUnmapped');
        expect(unmappedItems(element)).toEqual([
            { value: 'Unresponsive', reason: 'c.AutoMap_Reason_SkipStageTaken' },
            { value: 'Bad Data', reason: 'c.AutoMap_Reason_SkipAmbiguous' }
        ]);
        await expect(element).toBeAccessible();
    });

    it('narrowed to a record type, plans its values only and names the values it leaves out', async () => {
        // Step 1: the admin narrows to Partner Referral: one wire reads its values, the other the whole field.
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(leadState()));
        const element = createWizard();
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        button(element, 'proceed')?.click();
        await flushPromises();
        find(element, 'c-record-type-picker')?.dispatchEvent(
            new CustomEvent('recordtypechange', { detail: { recordTypeId: PARTNER_REFERRAL } })
        );
        await flushPromises();
        expect(picklistValuesAdapter.getLastConfig()).toEqual({
            recordTypeId: PARTNER_REFERRAL,
            fieldApiName: 'Lead.Status'
        });
        picklistValuesAdapter.emit(leadStatusPartner, forRecordType(PARTNER_REFERRAL));
        await flushPromises();
        // Step 2: without the whole field's values the result could not name the ones left out: no preview yet.
        expect(button(element, 'preview')?.disabled).toBe(true);
        picklistValuesAdapter.emit(leadStatusMaster, forRecordType(MASTER));
        await flushPromises();
        expect(button(element, 'preview')?.disabled).toBe(false);
        // The field step says the run is narrowed: so many of the field's values, those of this record type.
        expect(find(element, '[data-id="values-status"] p')?.textContent).toBe('c.AutoMap_Wizard_ValuesFoundNarrowed');
        await expect(element).toBeAccessible();

        // Step 3: the preview plans the record type's five values; the apply sends exactly those.
        button(element, 'preview')?.click();
        await flushPromises();
        expect(previewRows(element).map((row) => row.value)).toEqual(PARTNER_VALUES.map((entry) => entry.value));
        jest.mocked(applyAutoMap).mockResolvedValue(appliedAnswer(leadState(), PARTNER_VALUES));
        jest.mocked(getRunHistory).mockResolvedValue(history());
        await apply(element);
        expect(jest.mocked(applyAutoMap).mock.calls[0]?.[0].values).toEqual(PARTNER_VALUES);

        // Step 4: the result names the field's other unmapped values (Cold and Nurture were mapped before).
        expect(find(element, 'h2')?.textContent.trim()).toBe('c.AutoMap_Wizard_ResultHeadingUnmapped');
        expect(unmappedItems(element)).toEqual(
            ['Interested', 'Unresponsive', 'Bad Data', 'Changed Jobs'].map((value) => ({
                value,
                reason: 'c.AutoMap_Wizard_NotInRecordType'
            }))
        );
        // Nothing but a full run maps those: they offer no "Create a stage and map".
        expect(findAll(element, '[data-id="unmapped"] button[data-create]')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('goes back to every value when the admin picks "All record types" again', async () => {
        const element = createWizard();
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();
        button(element, 'proceed')?.click();
        await flushPromises();
        const picker = find(element, 'c-record-type-picker');
        picker?.dispatchEvent(new CustomEvent('recordtypechange', { detail: { recordTypeId: PARTNER_REFERRAL } }));
        await flushPromises();

        picker?.dispatchEvent(new CustomEvent('recordtypechange', { detail: { recordTypeId: MASTER } }));
        await flushPromises();

        expect(picker?.value).toBe(MASTER);
        expect(picklistValuesAdapter.getLastConfig()).toEqual({ recordTypeId: MASTER, fieldApiName: 'Lead.Status' });
    });
});
