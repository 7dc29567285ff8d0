import { createElement } from 'lwc';
import AutoMapWizard from 'c/autoMapWizard';
import Toast from 'lightning/toast';
import LightningConfirm from 'lightning/confirm';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import applyAutoMap from '@salesforce/apex/StageAutoMapController.applyAutoMap';
import setMapping from '@salesforce/apex/StageAutoMapController.setMapping';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import undoRun from '@salesforce/apex/StageAutoMapController.undoRun';
import { planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';
import { toPlanInput, toServiceValues } from 'c/stageAutoMapApi';
import { planToCsv } from 'c/autoMapText';
import type { RunHistory, RunSummary, ScopeState, ServiceValue, Stage } from 'c/stageAutoMapApi';
import leadObjectInfo from '../../picklistFieldPicker/__tests__/data/getObjectInfoLead.json';
import leadStatusValues from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatus.json';
import leadStatusValuesDe from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusDe.json';
import leadStatusValuesPartner from '../../stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatusPartner.json';
import leadStateJson from '../../stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import historyJson from '../../stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';

// The Apex methods the wizard reaches through c/stageAutoMapApi. The engine (c/autoMapEngine) is the real one.
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.applyAutoMap', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.setMapping', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.undoRun', () => ({ default: jest.fn() }), { virtual: true });

// The stub adapters of sfdx-lwc-jest carry emit()/error()/getLastConfig(), which the platform types do not know.
interface TestWireAdapter {
    emit(value: unknown, filter?: (config: Record<string, unknown>) => boolean): void;
    error(body?: unknown, status?: number, statusText?: string): void;
    getLastConfig(): Record<string, unknown>;
}
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
const picklistValuesAdapter = getPicklistValues as unknown as TestWireAdapter;

/** The wizard host as a test drives it: the public properties of LightningModal and of the wizard. */
type WizardElement = HTMLElement & { disableClose: boolean };

/** A child element with the public properties the tests read (each child has some of them). */
type ChildElement = HTMLElement & {
    label?: string;
    value?: string;
    disabled?: boolean;
    mappedFields?: string[];
    friendlyMessage?: string;
    convertedValues?: string[];
    suggestions?: { value: string; stageId: string }[];
    highlightRunId?: string;
    canUndo?: boolean;
    fieldApiName?: string;
};

const MASTER = '012000000000000AAA';
const PARTNER_REFERRAL = '0125e000000AbCeAAK';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LEAD_STATUS = { objectApiName: 'Lead', fieldApiName: 'Status' };

/** A fresh copy of the recorded scope state of Lead.Status (JSON widens its literal types to string). */
function leadState(): ScopeState {
    return JSON.parse(JSON.stringify(leadStateJson)) as ScopeState;
}

function history(): RunHistory {
    return JSON.parse(JSON.stringify(historyJson)) as RunHistory;
}

const VALUES: ServiceValue[] = toServiceValues(leadStatusValues.values);

/** The run the service records for an apply of `values` on `state`. */
function appliedRun(state: ScopeState, values: ServiceValue[] = VALUES): RunSummary {
    return {
        id: 'run-0002',
        object: 'Lead',
        field: 'Status',
        family: 'contact',
        actor: { id: '0055e000001AdaAAA', name: 'Ada Admin' },
        createdAt: '2026-10-03T09:00:00.000Z',
        summary: planAutoMap(toPlanInput(LEAD_STATUS, values, state)).summary,
        undoneAt: null,
        undoneBy: null,
        undoBlockers: [],
        undoBlockerCount: 0
    };
}

/** What the controller answers to an apply (JSON text): the run and the plan's counts only, as the service sends. */
function appliedResult(state: ScopeState, values: ServiceValue[] = VALUES): string {
    const plan = planAutoMap(toPlanInput(LEAD_STATUS, values, state));
    const counts = { ...plan, outcomes: [], suggestions: [] };
    return JSON.stringify({
        status: 'applied',
        version: state.version + 1,
        plan: counts,
        run: appliedRun(state, values),
        createdStages: []
    });
}

/** The scope's state after that apply (JSON text, as the page reads it next): the stages and mappings of the run. */
function stateAfterApply(state: ScopeState, values: ServiceValue[] = VALUES): string {
    const plan = planAutoMap(toPlanInput(LEAD_STATUS, values, state));
    const after: ScopeState = { ...state, version: state.version + 1, mappings: [...state.mappings] };
    plan.outcomes.forEach((outcome, index) => {
        if (outcome.outcome === 'create-and-map') {
            const stage: Stage = {
                id: `stg-new-${index}`,
                family: 'contact',
                name: outcome.stageName ?? outcome.label,
                displayOrder: 11 + index,
                category: null,
                recordCount: 0,
                createdAt: '2026-10-03T09:00:00.000Z'
            };
            after.stages = [...after.stages, stage];
            after.mappings.push({ value: outcome.value, stageId: stage.id, source: 'auto', runId: 'run-0002' });
        } else if (outcome.outcome === 'map-existing' && outcome.stageId !== undefined) {
            after.mappings.push({ value: outcome.value, stageId: outcome.stageId, source: 'auto', runId: 'run-0002' });
        }
    });
    return JSON.stringify(after);
}

/** A Blob's bytes and its text decoded as UTF-8 (jsdom 20 has no Blob.arrayBuffer() or TextDecoder; FileReader). */
async function readBlob(blob: Blob): Promise<{ bytes: Uint8Array; text: string }> {
    const read = <T>(start: (reader: FileReader) => void): Promise<T> =>
        new Promise((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => {
                resolve(reader.result as T);
            };
            reader.onerror = () => {
                reject(reader.error ?? new Error('the Blob could not be read'));
            };
            start(reader);
        });
    const buffer = await read<ArrayBuffer>((reader) => {
        reader.readAsArrayBuffer(blob);
    });
    const text = await read<string>((reader) => {
        reader.readAsText(blob, 'utf-8');
    });
    return { bytes: new Uint8Array(buffer), text };
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createWizard(props: Record<string, unknown> = {}): WizardElement {
    const element = createElement('c-auto-map-wizard', { is: AutoMapWizard });
    Object.assign(element, { objectApiName: 'Lead', fieldApiName: 'Status', mappedFields: ['Status'], ...props });
    document.body.appendChild(element);
    return element;
}

function find(element: HTMLElement, selector: string): ChildElement | null {
    return element.shadowRoot?.querySelector<ChildElement>(selector) ?? null;
}

function button(element: HTMLElement, id: string): ChildElement | null {
    return find(element, `lightning-button[data-id="${id}"]`);
}

/** The heading that has focus, in the wizard's own template. */
function focusedText(element: HTMLElement): string | undefined {
    return element.shadowRoot?.activeElement?.textContent.trim();
}

function stepOf(element: HTMLElement): string | undefined {
    return find(element, '[data-step]')?.dataset.step;
}

function errorPanel(element: HTMLElement): ChildElement | null {
    return find(element, '[data-id="failure"] c-error-panel');
}

function previewRows(element: HTMLElement): { value: string | undefined; outcome: string | undefined }[] {
    const table = find(element, 'c-auto-map-preview-table');
    return Array.from(table?.shadowRoot?.querySelectorAll<HTMLElement>('tbody tr') ?? []).map((row) => ({
        value: row.dataset.value,
        outcome: row.dataset.outcome
    }));
}

function summaryCounts(element: HTMLElement): Record<string, string | undefined> {
    const counts: Record<string, string | undefined> = {};
    for (const item of Array.from(element.shadowRoot?.querySelectorAll<HTMLElement>('li[data-kind]') ?? [])) {
        counts[item.dataset.kind ?? ''] = item.querySelector('.slds-text-heading_medium')?.textContent;
    }
    return counts;
}

/** Intro → field step with Lead's object info and the Inbound record type's Lead Status values. */
async function openFieldStep(values: unknown = leadStatusValues): Promise<WizardElement> {
    const element = createWizard();
    objectInfoAdapter.emit(leadObjectInfo);
    await flushPromises();
    button(element, 'proceed')?.click();
    await flushPromises();
    picklistValuesAdapter.emit(values);
    await flushPromises();
    return element;
}

/** ... → preview, with the recorded Lead.Status state. */
async function openPreview(
    state: ScopeState = leadState(),
    values: unknown = leadStatusValues
): Promise<WizardElement> {
    jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(state));
    const element = await openFieldStep(values);
    button(element, 'preview')?.click();
    await flushPromises();
    return element;
}

describe('c-auto-map-wizard', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    describe('introduction', () => {
        it('explains what auto-mapping does before anything happens, accessibly', async () => {
            const element = createWizard();
            await flushPromises();

            expect(find(element, 'lightning-modal-header')?.label).toBe('c.AutoMap_Wizard_Header');
            expect(stepOf(element)).toBe('intro');
            const points = Array.from(element.shadowRoot?.querySelectorAll('[data-step="intro"] li') ?? []).map(
                (item) => item.textContent
            );
            expect(points).toEqual([
                'c.AutoMap_Wizard_IntroMatch',
                'c.AutoMap_Wizard_IntroCreate',
                'c.AutoMap_Wizard_IntroNeverOverwrite',
                'c.AutoMap_Wizard_IntroSkipTaken'
            ]);
            expect(button(element, 'proceed')?.label).toBe('c.AutoMap_Button_Proceed');
            expect(button(element, 'cancel')?.label).toBe('c.AutoMap_Button_Cancel');
            expect(getScopeState).not.toHaveBeenCalled();
            await expect(element).toBeAccessible();
        });

        it('closes on Cancel, reporting that nothing changed', async () => {
            const element = createWizard();
            await flushPromises();
            const closed = jest.fn();
            element.addEventListener('close', closed);

            button(element, 'cancel')?.click();

            expect((closed.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({ changed: false });
        });
    });

    describe('choosing the field', () => {
        it('asks the UI API for every value of the preselected field (all record types) and counts them', async () => {
            // Step 1: Proceed shows the field step and moves focus to its heading.
            const element = createWizard();
            objectInfoAdapter.emit(leadObjectInfo);
            await flushPromises();
            button(element, 'proceed')?.click();
            await flushPromises();
            expect(stepOf(element)).toBe('field');
            expect(focusedText(element)).toBe('c.AutoMap_Wizard_FieldHeading');

            // Step 2: the field and record type pickers get the preselection; values are loading.
            const picker = find(element, 'c-picklist-field-picker');
            expect(picker?.value).toBe('Status');
            expect(picker?.mappedFields).toEqual(['Status']);
            expect(find(element, 'c-record-type-picker')?.value).toBe(MASTER);
            expect(picklistValuesAdapter.getLastConfig()).toEqual({
                recordTypeId: MASTER,
                fieldApiName: 'Lead.Status'
            });
            expect(find(element, '[data-id="values-status"] lightning-spinner')).not.toBeNull();
            expect(button(element, 'preview')?.disabled).toBe(true);
            await expect(element).toBeAccessible();

            // Step 3: the values arrive; Preview is enabled.
            picklistValuesAdapter.emit(leadStatusValues);
            await flushPromises();
            expect(find(element, '[data-id="values-status"] p')?.textContent).toBe('c.AutoMap_Wizard_ValuesFound');
            expect(button(element, 'preview')?.disabled).toBe(false);
            await expect(element).toBeAccessible();
        });

        it('reads the values of the record type the admin picks instead', async () => {
            const element = await openFieldStep();

            find(element, 'c-record-type-picker')?.dispatchEvent(
                new CustomEvent('recordtypechange', { detail: { recordTypeId: PARTNER_REFERRAL } })
            );
            await flushPromises();

            expect(picklistValuesAdapter.getLastConfig()).toEqual({
                recordTypeId: PARTNER_REFERRAL,
                fieldApiName: 'Lead.Status'
            });
            // The old values are gone until the new ones arrive.
            expect(button(element, 'preview')?.disabled).toBe(true);
            picklistValuesAdapter.emit(leadStatusValuesPartner);
            await flushPromises();
            expect(button(element, 'preview')?.disabled).toBe(false);
        });

        it('reads the values of another field the admin picks', async () => {
            const element = await openFieldStep();

            find(element, 'c-picklist-field-picker')?.dispatchEvent(
                new CustomEvent('fieldchange', { detail: { fieldApiName: 'Engagement_Stage__c' } })
            );
            await flushPromises();

            expect(picklistValuesAdapter.getLastConfig()).toEqual({
                recordTypeId: MASTER,
                fieldApiName: 'Lead.Engagement_Stage__c'
            });
        });

        it('says so when the field has no values for the record type, and offers no preview', async () => {
            const element = await openFieldStep({ ...leadStatusValuesPartner, values: [] });

            expect(find(element, '[data-id="values-status"] p')?.textContent).toBe('c.AutoMap_Wizard_ValuesNone');
            expect(button(element, 'preview')?.disabled).toBe(true);
            await expect(element).toBeAccessible();
        });

        it('shows the UI API error when the values cannot load', async () => {
            const element = createWizard();
            objectInfoAdapter.emit(leadObjectInfo);
            await flushPromises();
            button(element, 'proceed')?.click();
            await flushPromises();

            picklistValuesAdapter.error({ message: 'You do not have access to the Lead object.' }, 403, 'Forbidden');
            await flushPromises();

            const panel = find(element, '[data-id="values-status"] c-error-panel');
            expect(panel?.friendlyMessage).toBe('c.AutoMap_Wizard_ValuesError');
            expect(button(element, 'preview')?.disabled).toBe(true);
            await expect(element).toBeAccessible();
        });

        it('shows no endless spinner when the object info cannot load (the field picker shows the error)', async () => {
            // The field step is open when the UI API answers with an error (to the wizard and the field picker).
            const element = createWizard();
            button(element, 'proceed')?.click();
            await flushPromises();
            objectInfoAdapter.error({ message: 'You do not have access to the Lead object.' }, 403, 'Forbidden');
            await flushPromises();

            expect(find(element, '[data-id="values-status"] lightning-spinner')).toBeNull();
            expect(find(element, 'c-picklist-field-picker')?.shadowRoot?.querySelector('c-error-panel')).not.toBeNull();
            expect(button(element, 'preview')?.disabled).toBe(true);
            await expect(element).toBeAccessible();
        });

        it('goes back to the introduction', async () => {
            const element = await openFieldStep();

            button(element, 'back')?.click();
            await flushPromises();

            expect(stepOf(element)).toBe('intro');
            expect(focusedText(element)).toBe('c.AutoMap_Wizard_IntroHeading');
        });
    });

    describe('preview', () => {
        it('plans every value with the real engine against the service state: counts, outcomes, converted status', async () => {
            // Step 1: Preview reads the scope state once and plans.
            const element = await openPreview();
            expect(getScopeState).toHaveBeenCalledTimes(1);
            expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
            expect(stepOf(element)).toBe('preview');
            expect(focusedText(element)).toBe('c.AutoMap_Wizard_PreviewHeading');
            expect(find(element, '[data-id="announcer"]')?.textContent).toBe('c.AutoMap_Wizard_PreviewReady');

            // Step 2: the counts per outcome on top, every kind listed.
            expect(summaryCounts(element)).toEqual({
                'already-mapped': '2',
                'map-existing': '1',
                'create-and-map': '5',
                'skip-stage-taken': '1',
                'skip-ambiguous': '1'
            });

            // Step 3: the table shows every value with the engine's outcome, skips included.
            expect(previewRows(element)).toEqual([
                { value: 'Open - Not Contacted', outcome: 'create-and-map' },
                { value: 'Working - Contacted', outcome: 'create-and-map' },
                { value: 'Interested', outcome: 'map-existing' },
                { value: 'Cold', outcome: 'already-mapped' },
                { value: 'Nurture', outcome: 'already-mapped' },
                { value: 'Unresponsive', outcome: 'skip-stage-taken' },
                { value: 'Bad Data', outcome: 'skip-ambiguous' },
                { value: 'Changed Jobs', outcome: 'create-and-map' },
                { value: 'Closed - Converted', outcome: 'create-and-map' },
                { value: 'Closed - Not Converted', outcome: 'create-and-map' }
            ]);
            // Lead statuses with attributes.converted are marked.
            expect(find(element, 'c-auto-map-preview-table')?.convertedValues).toEqual(['Closed - Converted']);
            expect(button(element, 'apply')?.disabled).toBe(false);
            await expect(element).toBeAccessible();
        });

        it('offers the engine suggestions for the admin to accept one by one', async () => {
            const element = await openPreview();

            const list = find(element, 'c-auto-map-suggestion-list');
            expect(list?.suggestions?.map((suggestion) => [suggestion.value, suggestion.stageId])).toEqual([
                ['Bad Data', 'stg-bad-data'],
                ['Bad Data', 'stg-bad-data-2'],
                ['Changed Jobs', 'stg-changed-job']
            ]);
        });

        it('exports the plan on click as an allowed Blob type with a byte order mark, then revokes its URL', async () => {
            // Step 1: jsdom has no blob: URLs; record the Blob handed over, the anchor clicked and the URL revoked.
            const BLOB_URL = 'blob:https://acme.lightning.force.com/6f1c2f0e-5b7a-4d3e-9c1a-0e8d7b6a5c4f';
            const createObjectURL = jest.fn((blob: Blob): string => (blob instanceof Blob ? BLOB_URL : ''));
            const revokeObjectURL = jest.fn();
            Object.assign(URL, { createObjectURL, revokeObjectURL });
            const clicks: { href: string; download: string; connected: boolean }[] = [];
            const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
                this: HTMLAnchorElement
            ) {
                clicks.push({ href: this.href, download: this.download, connected: this.isConnected });
            });
            const element = await openPreview();

            // Step 2: the preview offers a button, not a link with the CSV in a data: URI (LWS blocks those).
            expect(element.shadowRoot?.querySelector('a[href^="data:"]')).toBeNull();
            expect(button(element, 'export')?.label).toBe('c.AutoMap_Wizard_ExportCsv');
            expect(createObjectURL).not.toHaveBeenCalled();
            await expect(element).toBeAccessible();

            // Step 3: the click builds a text/plain Blob (text/csv is not on the LWS list), clicks one temporary
            // anchor with the file name, and revokes the URL after the click.
            button(element, 'export')?.click();
            await flushPromises();
            expect(createObjectURL).toHaveBeenCalledTimes(1);
            const blob = createObjectURL.mock.calls[0]?.[0] as Blob;
            expect(blob.type).toBe('text/plain');
            expect(clicks).toEqual([{ href: BLOB_URL, download: 'c.AutoMap_Wizard_ExportFileName', connected: false }]);
            expect(revokeObjectURL).toHaveBeenCalledWith(BLOB_URL);
            expect(revokeObjectURL.mock.invocationCallOrder[0]).toBeGreaterThan(
                click.mock.invocationCallOrder[0] ?? Infinity
            );

            // Step 4: the file is the plan on screen as UTF-8 CSV, byte order mark first (Excel needs it).
            const { bytes, text } = await readBlob(blob);
            expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
            // Decoding as UTF-8 consumes the byte order mark; put it back to compare with the whole CSV.
            const csv = `\uFEFF${text}`;
            expect(csv).toBe(planToCsv(planAutoMap(toPlanInput(LEAD_STATUS, VALUES, leadState())).outcomes));
            // A header row and one row per value.
            expect(csv.trim().split('\r\n')).toHaveLength(11);
            expect(csv).toContain('Closed - Converted,Closed - Converted,c.AutoMap_Outcome_CreateAndMap');
            await expect(element).toBeAccessible();
            click.mockRestore();
        });

        it('plans with the translated labels the admin sees: new stages take the German label', async () => {
            const element = await openPreview(leadState(), leadStatusValuesDe);

            const table = find(element, 'c-auto-map-preview-table');
            const firstRow = Array.from(
                table?.shadowRoot?.querySelectorAll('tbody tr:first-child th, tbody tr:first-child td') ?? []
            ).map((cell) => cell.textContent.trim());
            // Value (API name), label, outcome, stage to be created, reason.
            expect(firstRow.slice(0, 4)).toEqual([
                'Open - Not Contacted',
                'Offen – nicht kontaktiert',
                'c.AutoMap_Outcome_CreateAndMap',
                'Offen – nicht kontaktiert'
            ]);
            // Matching is by value first: "Interested" still maps to the stage "Interested".
            expect(previewRows(element)[2]).toEqual({ value: 'Interested', outcome: 'map-existing' });
        });

        it('says when there is nothing to create or map, and offers no Create and Map', async () => {
            // Every value already mapped: the state maps each value to its own stage.
            const state = leadState();
            state.stages = VALUES.map((value, index) => ({
                id: `stg-${index}`,
                family: 'contact',
                name: `Stage ${index}`,
                displayOrder: index,
                category: null,
                recordCount: 0,
                createdAt: '2026-09-01T08:00:00.000Z'
            }));
            state.mappings = VALUES.map((value, index) => ({
                value: value.value,
                stageId: `stg-${index}`,
                source: 'manual',
                runId: null
            }));
            const element = await openPreview(state);

            expect(find(element, '[data-id="nothing-to-apply"]')?.textContent).toBe('c.AutoMap_Wizard_NothingToApply');
            expect(button(element, 'apply')?.disabled).toBe(true);
            await expect(element).toBeAccessible();
        });

        it('shows the server message when the state cannot be read, and stays on the field step', async () => {
            // Step 1: the controller refuses with an admin-readable message.
            jest.mocked(getScopeState).mockRejectedValue({
                status: 500,
                body: {
                    message: 'The stage service rejected the API key. Ask your admin to check the Named Credential.'
                }
            });
            const element = await openFieldStep();
            button(element, 'preview')?.click();
            await flushPromises();

            // Step 2: the error panel says what was attempted and the server's words; nothing else changed.
            expect(stepOf(element)).toBe('field');
            expect(errorPanel(element)?.friendlyMessage).toBe('c.AutoMap_Wizard_PreviewError');
            expect(errorPanel(element)?.shadowRoot?.textContent).toContain('rejected the API key');
            expect(button(element, 'preview')?.disabled).toBe(false);
            await expect(element).toBeAccessible();
        });

        it('turns an accepted suggestion into a manual mapping and plans again', async () => {
            // Step 1: the controller saves the mapping and returns the new state.
            const mapped = leadState();
            mapped.version = 8;
            mapped.mappings.push({
                value: 'Changed Jobs',
                stageId: 'stg-changed-job',
                source: 'manual',
                runId: null
            });
            jest.mocked(setMapping).mockResolvedValue(JSON.stringify(mapped));
            const element = await openPreview();

            // Step 2: accept "Changed Jobs" → "Changed Job".
            find(element, 'c-auto-map-suggestion-list')?.dispatchEvent(
                new CustomEvent('accept', { detail: { value: 'Changed Jobs', stageId: 'stg-changed-job' } })
            );
            await flushPromises();

            // Step 3: one manual mapping (with the value's label, which drift compares later), a new plan on the
            // returned state, a status line (no toast over the modal's title), focus on the suggestions.
            expect(setMapping).toHaveBeenCalledWith({
                objectApiName: 'Lead',
                fieldApiName: 'Status',
                value: 'Changed Jobs',
                stageId: 'stg-changed-job',
                label: 'Changed Jobs'
            });
            expect(previewRows(element)[7]).toEqual({ value: 'Changed Jobs', outcome: 'already-mapped' });
            expect(summaryCounts(element)['create-and-map']).toBe('4');
            expect(find(element, '[data-id="notice"]')?.textContent.trim()).toBe('c.AutoMap_Wizard_SuggestionAccepted');
            expect(Toast.show).not.toHaveBeenCalled();
            expect(focusedText(element)).toBe('c.AutoMap_Suggestions_Heading');

            // Step 4: the apply names the version of the new state.
            jest.mocked(applyAutoMap).mockResolvedValue(appliedResult(mapped));
            jest.mocked(getRunHistory).mockResolvedValue(history());
            button(element, 'apply')?.click();
            await flushPromises();
            expect(jest.mocked(applyAutoMap).mock.calls[0]?.[0].expectedVersion).toBe(8);
        });

        it('keeps the preview and shows the server message when a suggestion is refused', async () => {
            jest.mocked(setMapping).mockRejectedValue({
                status: 400,
                body: { message: 'The stage "Changed Job" is already mapped to "Left Company" in Lead.Status.' }
            });
            const element = await openPreview();

            find(element, 'c-auto-map-suggestion-list')?.dispatchEvent(
                new CustomEvent('accept', { detail: { value: 'Changed Jobs', stageId: 'stg-changed-job' } })
            );
            await flushPromises();

            expect(errorPanel(element)?.friendlyMessage).toBe('c.AutoMap_Wizard_SuggestionError');
            expect(errorPanel(element)?.shadowRoot?.textContent).toContain('already mapped to "Left Company"');
            expect(previewRows(element)[7]).toEqual({ value: 'Changed Jobs', outcome: 'create-and-map' });
            await expect(element).toBeAccessible();
        });

        it('goes back to the field step with the choices kept', async () => {
            const element = await openPreview();

            button(element, 'back')?.click();
            await flushPromises();

            expect(stepOf(element)).toBe('field');
            expect(find(element, 'c-picklist-field-picker')?.value).toBe('Status');
            expect(button(element, 'preview')?.disabled).toBe(false);
        });
    });

    describe('Create and Map', () => {
        it('applies the values the admin previewed, even when the UI API delivers a newer list meanwhile', async () => {
            // Step 1: preview the recorded Lead Status values.
            jest.mocked(applyAutoMap).mockResolvedValue(appliedResult(leadState()));
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();

            // Step 2: while the preview is open, the wire delivers another record type's list.
            picklistValuesAdapter.emit(leadStatusValuesPartner);
            await flushPromises();

            // Step 3: Create and Map sends what the plan was made from, so the service plans on what was reviewed.
            button(element, 'apply')?.click();
            await flushPromises();
            expect(jest.mocked(applyAutoMap).mock.calls[0]?.[0].values).toEqual(VALUES);
        });

        it('applies in one call with the previewed version and a new idempotency key, showing progress', async () => {
            // Step 1: the apply call stays open until the test answers it.
            let answer: (result: string) => void = () => undefined;
            jest.mocked(applyAutoMap).mockReturnValue(
                new Promise<string>((resolve) => {
                    answer = resolve;
                })
            );
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();
            const closed = jest.fn();
            element.addEventListener('close', closed);

            // Step 2: Create and Map: one call with the values as the org returned them, and the category of the one
            // new stage that has one (the converted status; the others are None, which the service takes as missing).
            button(element, 'apply')?.click();
            await flushPromises();
            expect(applyAutoMap).toHaveBeenCalledTimes(1);
            const params = jest.mocked(applyAutoMap).mock.calls[0]?.[0];
            expect(params).toEqual({
                objectApiName: 'Lead',
                fieldApiName: 'Status',
                values: VALUES,
                expectedVersion: 7,
                idempotencyKey: expect.stringMatching(UUID_V4) as unknown,
                newStageNames: 'label',
                categories: { 'Closed - Converted': 'succeeded' }
            });

            // Step 3: while it runs: a progress state, the modal cannot be closed, the live region says so.
            expect(stepOf(element)).toBe('applying');
            expect(find(element, '[data-step="applying"] lightning-spinner')).not.toBeNull();
            expect(element.disableClose).toBe(true);
            expect(focusedText(element)).toBe('c.AutoMap_Wizard_ApplyingHeading');
            expect(find(element, '[data-id="announcer"]')?.textContent).toBe('c.AutoMap_Wizard_ApplyingHeading');
            await expect(element).toBeAccessible();

            // Step 4: the service answers: the result with the counts, the modal closable again, no toast over its
            // title. Two values stay skipped, so it is not "Mapping complete". The page reads the state after the run
            // for the stages it created.
            jest.mocked(getScopeState).mockResolvedValueOnce(stateAfterApply(leadState()));
            answer(appliedResult(leadState()));
            await flushPromises();
            expect(stepOf(element)).toBe('result');
            expect(element.disableClose).toBe(false);
            expect(focusedText(element)).toBe('c.AutoMap_Wizard_ResultHeadingUnmapped');
            expect(find(element, '[data-id="result-summary"]')?.textContent).toBe('c.AutoMap_Wizard_ResultSummary');
            expect(summaryCounts(element)).toEqual({
                'already-mapped': '2',
                'map-existing': '1',
                'create-and-map': '5',
                'skip-stage-taken': '1',
                'skip-ambiguous': '1'
            });
            expect(Toast.show).not.toHaveBeenCalled();

            // Step 5: the created stages (each with its category, see autoMapWizard.categories.test.ts), the values
            // still unmapped with their reasons, the history with this run.
            const created = Array.from(
                element.shadowRoot?.querySelectorAll('[data-id="created"] li .slds-truncate') ?? []
            ).map((item) => item.textContent.trim());
            expect(created).toEqual([
                'Open - Not Contacted',
                'Working - Contacted',
                'Changed Jobs',
                'Closed - Converted',
                'Closed - Not Converted'
            ]);
            expect(element.shadowRoot?.querySelectorAll('[data-id="unmapped"] li')).toHaveLength(2);
            const runHistory = find(element, 'c-run-history');
            expect(runHistory?.highlightRunId).toBe('run-0002');
            expect(runHistory?.canUndo).toBe(true);
            expect(runHistory?.fieldApiName).toBe('Status');
            await expect(element).toBeAccessible();

            // Step 6: Done closes and tells the page to reload.
            button(element, 'done')?.click();
            expect((closed.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({ changed: true });
        });

        it('shows the server message on failure, keeps the preview, and retries with the same idempotency key', async () => {
            // Step 1: the first call fails (the callout timed out after the service may have applied it).
            jest.mocked(applyAutoMap)
                .mockRejectedValueOnce({
                    status: 500,
                    body: { message: 'The stage service did not answer within 20 seconds. Nothing is lost: try again.' }
                })
                .mockResolvedValueOnce(appliedResult(leadState()));
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();

            button(element, 'apply')?.click();
            await flushPromises();

            // Step 2: back on the preview, plan intact, the server's words in the error panel, closable.
            expect(stepOf(element)).toBe('preview');
            expect(errorPanel(element)?.friendlyMessage).toBe('c.AutoMap_Wizard_ApplyError');
            expect(errorPanel(element)?.shadowRoot?.textContent).toContain('did not answer within 20 seconds');
            expect(previewRows(element)).toHaveLength(10);
            expect(element.disableClose).toBe(false);
            expect(Toast.show).not.toHaveBeenCalled();
            await expect(element).toBeAccessible();

            // Step 3: the retry sends the same key, so the service applies the run at most once.
            button(element, 'apply')?.click();
            await flushPromises();
            const [first, second] = jest.mocked(applyAutoMap).mock.calls.map(([params]) => params);
            expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
            expect(second?.expectedVersion).toBe(7);
            expect(stepOf(element)).toBe('result');
            expect(errorPanel(element)).toBeNull();
        });

        it('shows the fresh plan and what changed when the state moved since the preview (409)', async () => {
            // Step 1: meanwhile someone mapped "Working - Contacted" to the stage "Interested".
            const moved = leadState();
            moved.version = 8;
            moved.mappings.push({
                value: 'Working - Contacted',
                stageId: 'stg-interested',
                source: 'manual',
                runId: null
            });
            const freshPlan: Plan = planAutoMap(toPlanInput(LEAD_STATUS, VALUES, moved));
            jest.mocked(applyAutoMap)
                .mockResolvedValueOnce(
                    JSON.stringify({
                        status: 'conflict',
                        version: 8,
                        plan: { ...freshPlan, outcomes: [], suggestions: [] },
                        detail: 'The mappings of Lead.Status changed since your preview (version 7, now 8).'
                    })
                )
                .mockResolvedValueOnce(appliedResult(moved));
            jest.mocked(getRunHistory).mockResolvedValue(history());
            const element = await openPreview();
            // The page reads the moved state after the conflict and plans on it.
            jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(moved));

            // Step 2: Create and Map answers with a conflict: nothing applied, the notice has focus.
            button(element, 'apply')?.click();
            await flushPromises();
            expect(stepOf(element)).toBe('preview');
            expect(focusedText(element)).toBe('c.AutoMap_Wizard_ConflictHeading');
            // The service's detail names state versions, which mean nothing to an admin: not shown.
            expect(find(element, '[data-id="conflict"]')?.textContent).not.toContain('version');
            expect(Toast.show).not.toHaveBeenCalled();

            // Step 3: what changed, value by value, and the fresh plan in the table.
            const changes = Array.from(
                element.shadowRoot?.querySelectorAll<HTMLElement>('[data-id="conflict"] li') ?? []
            ).map((item) => item.dataset.value);
            expect(changes).toEqual(['Working - Contacted', 'Interested']);
            expect(previewRows(element)[1]).toEqual({ value: 'Working - Contacted', outcome: 'already-mapped' });
            expect(previewRows(element)[2]).toEqual({ value: 'Interested', outcome: 'skip-stage-taken' });
            expect(summaryCounts(element)['skip-stage-taken']).toBe('2');
            await expect(element).toBeAccessible();

            // Step 4: applying again names the fresh version, with a new key (it is a new run).
            button(element, 'apply')?.click();
            await flushPromises();
            const [first, second] = jest.mocked(applyAutoMap).mock.calls.map(([params]) => params);
            expect(second?.expectedVersion).toBe(8);
            expect(second?.idempotencyKey).toMatch(UUID_V4);
            expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
            expect(stepOf(element)).toBe('result');
        });
    });

    describe('after the run', () => {
        async function openResult(): Promise<WizardElement> {
            jest.mocked(applyAutoMap).mockResolvedValue(appliedResult(leadState()));
            const runs = history();
            runs.runs.unshift(appliedRun(leadState()));
            jest.mocked(getRunHistory).mockResolvedValue(runs);
            const element = await openPreview();
            button(element, 'apply')?.click();
            await flushPromises();
            await flushPromises();
            return element;
        }

        it('undoes the run from its history after confirmation and says so', async () => {
            // Step 1: the history inside the result lists the new run with an Undo button.
            jest.mocked(LightningConfirm.open).mockResolvedValue(true);
            jest.mocked(undoRun).mockResolvedValue({ run: appliedRun(leadState()), version: 9 });
            const element = await openResult();
            const runHistory = find(element, 'c-run-history');
            const undo = runHistory?.shadowRoot?.querySelector<HTMLButtonElement>('button[data-run-id="run-0002"]');
            expect(undo).not.toBeNull();

            // Step 2: Undo, confirm; the controller undoes that run; the result says it was undone.
            undo?.click();
            await flushPromises();
            expect(LightningConfirm.open).toHaveBeenCalledTimes(1);
            expect(undoRun).toHaveBeenCalledWith({ runId: 'run-0002' });
            expect(find(element, '[data-id="undone"]')?.textContent).toBe('c.AutoMap_Wizard_UndoneNotice');
            expect(find(element, '[data-id="announcer"]')?.textContent).toBe('c.AutoMap_Wizard_UndoneNotice');
            await expect(element).toBeAccessible();
        });

        it('starts again for another field, marking the field just mapped', async () => {
            const element = await openResult();

            button(element, 'map-another')?.click();
            await flushPromises();

            expect(stepOf(element)).toBe('field');
            expect(focusedText(element)).toBe('c.AutoMap_Wizard_FieldHeading');
            expect(find(element, 'c-picklist-field-picker')?.mappedFields).toEqual(['Status']);
            find(element, 'c-picklist-field-picker')?.dispatchEvent(
                new CustomEvent('fieldchange', { detail: { fieldApiName: 'Rating' } })
            );
            await flushPromises();
            expect(picklistValuesAdapter.getLastConfig()).toEqual({
                recordTypeId: MASTER,
                fieldApiName: 'Lead.Rating'
            });
        });

        it('reports a change even when closed with Cancel after a suggestion was accepted', async () => {
            jest.mocked(setMapping).mockResolvedValue(JSON.stringify(leadState()));
            const element = await openPreview();
            const closed = jest.fn();
            element.addEventListener('close', closed);

            find(element, 'c-auto-map-suggestion-list')?.dispatchEvent(
                new CustomEvent('accept', { detail: { value: 'Changed Jobs', stageId: 'stg-changed-job' } })
            );
            await flushPromises();
            button(element, 'cancel')?.click();

            expect((closed.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({ changed: true });
        });
    });

    it('can be completed with buttons alone, focus moving to each new step heading', async () => {
        // Every action is a button (Enter or Space); after each step focus is on the new step's heading.
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(leadState()));
        jest.mocked(applyAutoMap).mockResolvedValue(appliedResult(leadState()));
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createWizard();
        objectInfoAdapter.emit(leadObjectInfo);
        await flushPromises();

        // Step 1: Proceed.
        const visited: (string | undefined)[] = [];
        button(element, 'proceed')?.click();
        await flushPromises();
        visited.push(focusedText(element));

        // Step 2: the values arrive; Preview.
        picklistValuesAdapter.emit(leadStatusValues);
        await flushPromises();
        button(element, 'preview')?.click();
        await flushPromises();
        visited.push(focusedText(element));

        // Step 3: Create and Map.
        button(element, 'apply')?.click();
        await flushPromises();
        visited.push(focusedText(element));

        // Step 4: Map Another Field.
        button(element, 'map-another')?.click();
        await flushPromises();
        visited.push(focusedText(element));

        expect(visited).toEqual([
            'c.AutoMap_Wizard_FieldHeading',
            'c.AutoMap_Wizard_PreviewHeading',
            'c.AutoMap_Wizard_ResultHeadingUnmapped',
            'c.AutoMap_Wizard_FieldHeading'
        ]);
    });
});
