/**
 * What the auto-map wizard's Jest suites share: the recorded UI API and service fixtures, the stub wire adapters,
 * the answers the controller gives, and small readers of the wizard's DOM. It lives outside `__tests__` because Jest
 * runs every file there as a suite. Each suite mocks the Apex methods itself (`jest.mock` is hoisted per file); this
 * module then sees the same mocks.
 */
import { createElement } from 'lwc';
import AutoMapWizard from 'c/autoMapWizard';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import { planAutoMap } from 'c/autoMapEngine';
import type { NewStageNames } from 'c/autoMapEngine';
import { toPlanInput, toServiceValues } from 'c/stageAutoMapApi';
import type { RunHistory, RunSummary, ScopeState, ServiceValue, Stage } from 'c/stageAutoMapApi';
import leadObjectInfo from '../../main/default/lwc/picklistFieldPicker/__tests__/data/getObjectInfoLead.json';
import leadStatusValues from '../../main/default/lwc/stageAutoMapSetup/__tests__/data/getPicklistValuesLeadStatus.json';
import leadStatusMaster from '../../main/default/lwc/autoMapWizard/__tests__/data/getPicklistValuesLeadStatusMaster.json';
import leadStatusPartner from '../../main/default/lwc/autoMapWizard/__tests__/data/getPicklistValuesLeadStatusPartner.json';
import leadStateJson from '../../main/default/lwc/stageAutoMapSetup/__tests__/data/scopeStateLeadStatus.json';
import historyJson from '../../main/default/lwc/stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';

export { leadObjectInfo, leadStatusValues, leadStatusMaster, leadStatusPartner };

// The stub adapters of sfdx-lwc-jest carry emit()/error()/getLastConfig(), which the platform types do not know.
export interface TestWireAdapter {
    emit(value: unknown, filter?: (config: Record<string, unknown>) => boolean): void;
    error(body?: unknown, status?: number, statusText?: string): void;
    getLastConfig(): Record<string, unknown>;
}
export const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
export const picklistValuesAdapter = getPicklistValues as unknown as TestWireAdapter;

/** The wizard host as a test drives it: the public properties of LightningModal and of the wizard. */
export type WizardElement = HTMLElement & { disableClose: boolean };

/** A child element with the public properties the tests read (each child has some of them). */
export type ChildElement = HTMLElement & {
    label?: string;
    value?: string;
    checked?: boolean;
    disabled?: boolean;
    outcomes?: { value: string; outcome: string; stageName?: string }[];
    stages?: { id: string; name: string }[];
    otherMappings?: unknown[];
    canCreateStages?: boolean;
    newStageNames?: string;
    createFailure?: { value: string; message: string };
    suggestedName?: string;
    error?: string;
};

export const MASTER = '012000000000000AAA';
export const INBOUND = '0125e000000AbCdAAK';
export const PARTNER_REFERRAL = '0125e000000AbCeAAK';
export const LEAD_STATUS = { objectApiName: 'Lead', fieldApiName: 'Status' };

/** Every value of Lead Status (the master record type): the Inbound values and "Partner Accepted". */
export const ALL_VALUES: ServiceValue[] = toServiceValues(leadStatusMaster.values);
export const INBOUND_VALUES: ServiceValue[] = toServiceValues(leadStatusValues.values);
export const PARTNER_VALUES: ServiceValue[] = toServiceValues(leadStatusPartner.values);

/** A fresh copy of the recorded scope state of Lead.Status (JSON widens its literal types to string). */
export function leadState(): ScopeState {
    return JSON.parse(JSON.stringify(leadStateJson)) as ScopeState;
}

export function history(): RunHistory {
    return JSON.parse(JSON.stringify(historyJson)) as RunHistory;
}

/** The run the service records for an apply of `values` on `state`. */
export function appliedRun(
    state: ScopeState,
    values: ServiceValue[],
    newStageNames: NewStageNames = 'label'
): RunSummary {
    return {
        id: 'run-0002',
        object: 'Lead',
        field: 'Status',
        family: 'contact',
        actor: { id: '0055e000001AdaAAA', name: 'Ada Admin' },
        createdAt: '2026-10-03T09:00:00.000Z',
        summary: planAutoMap(toPlanInput(LEAD_STATUS, values, state), { newStageNames }).summary,
        undoneAt: null,
        undoneBy: null,
        undoBlockers: [],
        undoBlockerCount: 0
    };
}

/** What the controller answers to an apply (JSON text): the run and the plan's counts only, as the service sends. */
export function appliedAnswer(
    state: ScopeState,
    values: ServiceValue[],
    newStageNames: NewStageNames = 'label'
): string {
    const plan = planAutoMap(toPlanInput(LEAD_STATUS, values, state), { newStageNames });
    return JSON.stringify({
        status: 'applied',
        version: state.version + 1,
        plan: { ...plan, outcomes: [], suggestions: [] },
        run: appliedRun(state, values, newStageNames),
        createdStages: []
    });
}

/** The scope's state after that apply (JSON text): the stages and mappings of the run. */
export function stateAfterApply(state: ScopeState, values: ServiceValue[]): ScopeState {
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
    return after;
}

/** `state` with one more stage, mapped to `value` by hand: what the controller returns for a new stage. */
export function stateWithNewStage(state: ScopeState, value: string, stageName: string): ScopeState {
    const stage: Stage = {
        id: `stg-made-for-${value.toLowerCase().replace(/\W+/g, '-')}`,
        family: 'contact',
        name: stageName,
        displayOrder: 99,
        category: null,
        recordCount: 0,
        createdAt: '2026-10-03T09:05:00.000Z'
    };
    return {
        ...state,
        version: state.version + 1,
        stages: [...state.stages, stage],
        mappings: [...state.mappings, { value, stageId: stage.id, source: 'manual', runId: null }]
    };
}

export async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

export function createWizard(props: Record<string, unknown> = {}): WizardElement {
    const element = createElement('c-auto-map-wizard', { is: AutoMapWizard });
    Object.assign(element, { objectApiName: 'Lead', fieldApiName: 'Status', mappedFields: ['Status'], ...props });
    document.body.appendChild(element);
    return element;
}

export function find(element: HTMLElement, selector: string): ChildElement | null {
    return element.shadowRoot?.querySelector<ChildElement>(selector) ?? null;
}

export function findAll(element: HTMLElement, selector: string): ChildElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll<ChildElement>(selector) ?? []);
}

export function button(element: HTMLElement, id: string): ChildElement | null {
    return find(element, `lightning-button[data-id="${id}"]`);
}

/** The element that has focus, in the wizard's own template: its trimmed text. */
export function focusedText(element: HTMLElement): string | undefined {
    return element.shadowRoot?.activeElement?.textContent.trim();
}

export function stepOf(element: HTMLElement): string | undefined {
    return find(element, '[data-step]')?.dataset.step;
}

/** The preview table's rows: value and outcome, as the table renders them. */
export function previewRows(element: HTMLElement): { value: string | undefined; outcome: string | undefined }[] {
    const table = find(element, 'c-auto-map-preview-table');
    return Array.from(table?.shadowRoot?.querySelectorAll<HTMLElement>('tbody tr[data-outcome]') ?? []).map((row) => ({
        value: row.dataset.value,
        outcome: row.dataset.outcome
    }));
}

/** The tiles: count and name per outcome kind. */
export function tiles(element: HTMLElement): Record<string, [string | undefined, string | undefined]> {
    const result: Record<string, [string | undefined, string | undefined]> = {};
    for (const item of findAll(element, 'li[data-kind]')) {
        const [count, name] = Array.from(item.querySelectorAll('p')).map((p) => p.textContent);
        result[item.dataset.kind ?? ''] = [count, name];
    }
    return result;
}

/** Only the values of one record type's config, for emit()'s filter: several wires share the adapter. */
export function forRecordType(recordTypeId: string): (config: Record<string, unknown>) => boolean {
    return (config) => config.recordTypeId === recordTypeId;
}

/** Intro → field step, with Lead's object info and every value of Lead Status (the default: all record types). */
export async function openFieldStep(values: unknown = leadStatusMaster): Promise<WizardElement> {
    const element = createWizard();
    objectInfoAdapter.emit(leadObjectInfo);
    await flushPromises();
    button(element, 'proceed')?.click();
    await flushPromises();
    picklistValuesAdapter.emit(values);
    await flushPromises();
    return element;
}

/** ... → preview, with `state` as the service's answer to every read. */
export async function openPreview(
    state: ScopeState = leadState(),
    values: unknown = leadStatusMaster
): Promise<WizardElement> {
    jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(state));
    const element = await openFieldStep(values);
    button(element, 'preview')?.click();
    await flushPromises();
    return element;
}
