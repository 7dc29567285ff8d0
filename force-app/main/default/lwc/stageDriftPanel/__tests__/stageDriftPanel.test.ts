import { createElement } from 'lwc';
import StageDriftPanel from 'c/stageDriftPanel';
import LightningModal from 'lightning/modal';
import Toast from 'lightning/toast';
import setMapping from '@salesforce/apex/StageAutoMapController.setMapping';
import { toServiceValues } from 'c/stageAutoMapApi';
import type { RunSummary, ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import type { DriftFinding } from 'c/autoMapEngine';
import type { PicklistValues } from 'lightning/uiObjectInfoApi';
import valuesJson from './data/getPicklistValuesLeadStatus.json';
import driftedValuesJson from './data/getPicklistValuesLeadStatusDrifted.json';
import mappedStateJson from './data/scopeStateLeadStatusMapped.json';
import fixedStateJson from './data/scopeStateLeadStatusFixed.json';
import appliedJson from './data/applyDriftFixesApplied.json';

jest.mock('@salesforce/apex/StageAutoMapController.setMapping', () => ({ default: jest.fn() }), { virtual: true });

// In Jest a Custom Label import evaluates to its path ('c.AutoMap_X'); values are named with their English templates.
jest.mock('@salesforce/label/c.AutoMap_Value_Name', () => ({ default: '"{0}"' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Value_NameWithLabel', () => ({ default: '"{0}" (label "{1}")' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Drift_FixAssistive', () => ({ default: 'Fix the change of "{0}"' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_Drift_AcceptLabelAssistive',
    () => ({ default: 'Accept the new label of "{0}"' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_Drift_AcceptedToastMessage',
    () => ({ default: '"{0}" stays on "{1}", label "{2}"' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_Drift_Summary', () => ({ default: 'Changes: {0}. Safe to fix: {1}.' }), {
    virtual: true
});

type PanelElement = HTMLElement & { state?: ScopeState; values?: ServiceValue[]; canEdit?: boolean; stale?: boolean };
type ButtonElement = HTMLElement & { disabled: boolean; label: string };
interface OpenConfig {
    label: string;
    description: string;
    size: string;
    objectApiName: string;
    fieldApiName: string;
    values: ServiceValue[];
    version: number;
    findings: DriftFinding[];
}

/** Fresh copies of recorded service answers (JSON widens their literal types to string). */
function stateOf(json: unknown): ScopeState {
    return JSON.parse(JSON.stringify(json)) as ScopeState;
}

/** The field's active values as the UI API gives them (master record type). */
function valuesOf(json: unknown): ServiceValue[] {
    return toServiceValues((json as PicklistValues).values);
}

function appliedRun(): RunSummary {
    return (JSON.parse(JSON.stringify(appliedJson)) as { run: RunSummary }).run;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Lead Status mapped by a first auto-map, with the picklist as given: unchanged, or drifted as admins change it
 * (Working - Contacted renamed to Working_Contacted, Nurturing relabelled Nurture, Interested removed, Meeting Booked
 * deactivated, Qualified added).
 */
function createPanel(props: Partial<PanelElement> = {}): PanelElement {
    const element = createElement('c-stage-drift-panel', { is: StageDriftPanel }) as PanelElement;
    Object.assign(element, {
        objectApiName: 'Lead',
        fieldApiName: 'Status',
        state: stateOf(mappedStateJson),
        values: valuesOf(driftedValuesJson),
        canEdit: true,
        ...props
    });
    document.body.appendChild(element);
    return element;
}

/** An element of the panel; typed as a button, the only kind whose properties the tests read. */
function query(element: HTMLElement, selector: string): ButtonElement | null {
    return element.shadowRoot?.querySelector<ButtonElement>(selector) ?? null;
}

function fixButtons(element: HTMLElement): HTMLButtonElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-action="fix"]') ?? []);
}

function fixButton(element: HTMLElement, value: string): HTMLButtonElement | undefined {
    return fixButtons(element).find((button) => button.dataset.value === value);
}

function acceptButtons(element: HTMLElement): HTMLButtonElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-action="accept"]') ?? []);
}

/** Each row's cells as text, without the actions cell (its buttons are checked on their own). */
function rowTexts(element: HTMLElement): string[][] {
    return Array.from(element.shadowRoot?.querySelectorAll('tbody tr') ?? []).map((row) =>
        Array.from(row.querySelectorAll('th, td'))
            .filter((cell) => cell.querySelector('.actions') === null)
            .map((cell) => cell.textContent.trim())
            .filter((text) => text !== '')
    );
}

function openConfig(): OpenConfig | undefined {
    return jest.mocked(LightningModal.open).mock.lastCall?.[0] as OpenConfig | undefined;
}

/** What the panel asked its parent: one `statechange` detail per event. */
function stateChanges(element: HTMLElement): jest.Mock<undefined, [CustomEvent<{ state?: ScopeState }>]> {
    const handler = jest.fn<undefined, [CustomEvent<{ state?: ScopeState }>]>();
    element.addEventListener('statechange', handler as unknown as EventListener);
    return handler;
}

describe('c-stage-drift-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('says the field is in sync when its picklist has not changed since mapping, accessibly', async () => {
        const element = createPanel({ values: valuesOf(valuesJson) });
        await flushPromises();

        expect(query(element, '[data-id="in-sync-badge"]')?.textContent).toBe('c.AutoMap_Drift_InSyncBadge');
        expect(query(element, '[data-id="in-sync"]')?.textContent).toContain('c.AutoMap_Drift_InSync');
        expect(query(element, 'table')).toBeNull();
        expect(query(element, '[data-id="fix-all"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('lists every change since mapping with its kind, stage and reason, and a Fix for each, accessibly', async () => {
        const element = createPanel();
        await flushPromises();

        // Five findings, all with a safe fix, in the engine's order (kind, then value).
        expect(query(element, '[data-id="summary"]')?.textContent).toBe('Changes: 5. Safe to fix: 5.');
        expect(query(element, '[data-id="help"]')?.textContent).toBe('c.AutoMap_Drift_Help');
        expect(rowTexts(element)).toEqual([
            [
                'Working - Contacted',
                'c.AutoMap_DriftKind_ProbableRename',
                'Working - Contacted',
                'c.AutoMap_DriftReason_ProbableRename'
            ],
            ['Interested', 'c.AutoMap_DriftKind_ValueRemoved', 'Interested', 'c.AutoMap_DriftReason_ValueRemoved'],
            [
                'Meeting Booked',
                'c.AutoMap_DriftKind_ValueRemoved',
                'Meeting Booked',
                'c.AutoMap_DriftReason_ValueRemoved'
            ],
            ['Nurturing', 'c.AutoMap_DriftKind_LabelChanged', 'Nurturing', 'c.AutoMap_DriftReason_LabelChangedRename'],
            [
                'Qualified',
                'c.AutoMap_DriftKind_NewValue',
                'c.AutoMap_Mappings_NotMapped',
                'c.AutoMap_DriftReason_NewCreate'
            ]
        ]);
        // A Fix per finding, each named for screen readers, and Fix All Safe Changes.
        expect(fixButtons(element).map((button) => button.dataset.value)).toEqual([
            'Working - Contacted',
            'Interested',
            'Meeting Booked',
            'Nurturing',
            'Qualified'
        ]);
        expect(fixButton(element, 'Interested')?.getAttribute('aria-label')).toBe('Fix the change of "Interested"');
        expect(query(element, '[data-id="fix-all"]')?.label).toBe('c.AutoMap_Drift_FixAll');
        await expect(element).toBeAccessible();
    });

    it('lists changes without a safe fix with no Fix, and no Fix All when none has one, accessibly', async () => {
        // Step 1: the Nurturing stage has a name of its own, and two values now look like the gone "Working - Contacted".
        const state = stateOf(mappedStateJson);
        const nurturing = state.stages.find((stage) => stage.id === 'stg-nurturing');
        if (nurturing) {
            nurturing.name = 'Long-Term Nurture';
        }
        const values = valuesOf(valuesJson).flatMap((entry): ServiceValue[] => {
            if (entry.value === 'Working - Contacted') {
                return [
                    { value: 'Working_Contacted', label: 'Working - Contacted', active: true },
                    { value: 'Working_Contacted_2', label: 'Working - Contacted', active: true }
                ];
            }
            return [entry.value === 'Nurturing' ? { ...entry, label: 'Nurture' } : entry];
        });
        const element = createPanel({ state, values });
        await flushPromises();

        // Step 2: two findings, neither fixable: nothing to click.
        expect(query(element, '[data-id="summary"]')?.textContent).toBe('Changes: 2. Safe to fix: 0.');
        expect(rowTexts(element).map((row) => row[3])).toEqual([
            'c.AutoMap_DriftReason_ValueRemovedCandidates',
            'c.AutoMap_DriftReason_LabelChangedOwnName'
        ]);
        expect(fixButtons(element)).toEqual([]);
        expect(query(element, '[data-id="fix-all"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows a read-only user every change but no Fix, with help that says whom to ask, accessibly', async () => {
        const element = createPanel({ canEdit: false });
        await flushPromises();

        expect(rowTexts(element)).toHaveLength(5);
        expect(fixButtons(element)).toEqual([]);
        expect(query(element, '[data-id="fix-all"]')).toBeNull();
        // No empty actions column either.
        expect(element.shadowRoot?.querySelectorAll('thead th')).toHaveLength(4);
        expect(query(element, '[data-id="help"]')?.textContent).toBe('c.AutoMap_Drift_HelpReadOnly');
        await expect(element).toBeAccessible();
    });

    it('offers no action on rows from before a failed refresh', async () => {
        const element = createPanel({ stale: true });
        await flushPromises();

        expect(fixButtons(element).every((button) => button.disabled)).toBe(true);
        expect(query(element, '[data-id="fix-all"]')?.disabled).toBe(true);
        fixButton(element, 'Interested')?.click();
        await flushPromises();
        expect(LightningModal.open).not.toHaveBeenCalled();
    });

    it("previews one finding's fix in the modal, with the values and the version it was reported on", async () => {
        jest.mocked(LightningModal.open).mockResolvedValue(undefined);
        const element = createPanel();
        await flushPromises();

        fixButton(element, 'Interested')?.click();
        await flushPromises();

        expect(LightningModal.open).toHaveBeenCalledTimes(1);
        const config = openConfig();
        expect(config).toMatchObject({
            label: 'c.AutoMap_DriftFix_Header',
            description: 'c.AutoMap_DriftFix_Description',
            size: 'medium',
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            values: valuesOf(driftedValuesJson),
            version: 12
        });
        expect(config?.findings.map((finding) => [finding.value, finding.kind, finding.fix])).toEqual([
            ['Interested', 'value-removed', true]
        ]);
    });

    it('previews every safe fix at once with Fix All Safe Changes', async () => {
        jest.mocked(LightningModal.open).mockResolvedValue(undefined);
        const element = createPanel();
        await flushPromises();

        query(element, '[data-id="fix-all"]')?.click();
        await flushPromises();

        expect(openConfig()?.findings.map((finding) => finding.value)).toEqual([
            'Working - Contacted',
            'Interested',
            'Meeting Booked',
            'Nurturing',
            'Qualified'
        ]);
    });

    it('waits for the open preview: its buttons are off until it closes', async () => {
        // The modal stays open in this test.
        jest.mocked(LightningModal.open).mockReturnValue(new Promise(() => undefined));
        const element = createPanel();
        await flushPromises();

        query(element, '[data-id="fix-all"]')?.click();
        await flushPromises();

        expect(query(element, '[data-id="fix-all"]')?.disabled).toBe(true);
        expect(fixButtons(element).every((button) => button.disabled)).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('after the fixes: a success toast, the fresh state to the page, and focus on the list as it is now', async () => {
        // Step 1: the modal applied the fixes and closes with the run and the state read again.
        const fixed = stateOf(fixedStateJson);
        jest.mocked(LightningModal.open).mockResolvedValue({
            status: 'applied',
            run: appliedRun(),
            state: fixed,
            fixCount: 5
        });
        const element = createPanel();
        const changes = stateChanges(element);
        // The page hands the new state back down, as stageMappingPanel does.
        changes.mockImplementation((event) => {
            element.state = event.detail.state;
        });
        await flushPromises();

        // Step 2: Fix All Safe Changes, applied.
        query(element, '[data-id="fix-all"]')?.click();
        await flushPromises();

        expect(Toast.show).toHaveBeenCalledWith(
            {
                label: 'c.AutoMap_Drift_FixedToastTitle',
                message: 'c.AutoMap_Drift_FixedToastMessage',
                variant: 'success'
            },
            expect.anything()
        );
        expect(changes).toHaveBeenCalledTimes(1);
        expect(changes.mock.calls[0]?.[0].detail.state).toBe(fixed);
        // Reported again on the fresh state: in sync, and focus is there.
        expect(query(element, '[data-id="in-sync"]')).not.toBeNull();
        expect(element.shadowRoot?.activeElement).toBe(query(element, '[data-id="in-sync"]'));
        await expect(element).toBeAccessible();
    });

    it('when the state moved meanwhile: a warning toast and the fresh state, whose changes are reported again', async () => {
        // Step 1: the service refused: someone mapped Qualified by hand meanwhile; the modal closes with that state.
        const moved = stateOf(mappedStateJson);
        moved.version = 14;
        moved.mappings.push({
            value: 'Qualified',
            stageId: 'stg-partner-accepted',
            source: 'manual',
            runId: null,
            label: 'Qualified'
        });
        moved.mappings = moved.mappings.filter((mapping) => mapping.value !== 'Partner Accepted');
        jest.mocked(LightningModal.open).mockResolvedValue({ status: 'conflict', state: moved });
        const element = createPanel();
        const changes = stateChanges(element);
        changes.mockImplementation((event) => {
            element.state = event.detail.state;
        });
        await flushPromises();

        // Step 2: Fix All Safe Changes, refused.
        query(element, '[data-id="fix-all"]')?.click();
        await flushPromises();

        expect(Toast.show).toHaveBeenCalledWith(
            {
                label: 'c.AutoMap_Drift_ConflictToastTitle',
                message: 'c.AutoMap_Drift_ConflictToastMessage',
                variant: 'warning'
            },
            expect.anything()
        );
        expect(changes.mock.calls[0]?.[0].detail.state?.version).toBe(14);
        // Partner Accepted is now the new value; Qualified is no longer one. Focus is on the list as it is now.
        const values = rowTexts(element).map((row) => row[0]);
        expect(values).toContain('Partner Accepted');
        expect(values).not.toContain('Qualified');
        expect(element.shadowRoot?.activeElement).toBe(query(element, '[data-id="summary"]'));
        await expect(element).toBeAccessible();
    });

    it('changes nothing when the preview is cancelled, and gives focus back to the Fix that opened it', async () => {
        jest.mocked(LightningModal.open).mockResolvedValue(undefined);
        const element = createPanel();
        const changes = stateChanges(element);
        await flushPromises();

        fixButton(element, 'Nurturing')?.click();
        await flushPromises();

        expect(Toast.show).not.toHaveBeenCalled();
        expect(changes).not.toHaveBeenCalled();
        expect(element.shadowRoot?.activeElement).toBe(fixButton(element, 'Nurturing'));
    });

    it('shows nothing before the state is known', async () => {
        const element = createPanel({ state: undefined });
        await flushPromises();

        expect(element.shadowRoot?.children).toHaveLength(0);
    });
    it('offers Accept on a relabel: the stage and its name stay, the new label is recorded, accessibly', async () => {
        const accepted = stateOf(mappedStateJson);
        jest.mocked(setMapping).mockResolvedValue(JSON.stringify(accepted));
        const element = createPanel();
        const changes = stateChanges(element);
        await flushPromises();

        // Only the relabelled value offers it, and says so to a screen reader.
        const buttons = acceptButtons(element);
        expect(buttons.map((button) => button.dataset.value)).toEqual(['Nurturing']);
        expect(buttons[0]?.getAttribute('aria-label')).toBe('Accept the new label of "Nurturing"');
        expect(buttons[0]?.textContent.trim()).toBe('c.AutoMap_Drift_AcceptLabel');
        await expect(element).toBeAccessible();

        buttons[0]?.click();
        await flushPromises();

        // The same stage, the label as the admin reads it now: the service keeps the mapping and records the label.
        expect(setMapping).toHaveBeenCalledWith({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Nurturing',
            stageId: 'stg-nurturing',
            label: 'Nurture'
        });
        expect(Toast.show).toHaveBeenCalledWith(
            {
                label: 'c.AutoMap_Drift_AcceptedToastTitle',
                message: '"Nurturing" stays on "Nurturing", label "Nurture"',
                variant: 'success'
            },
            expect.anything()
        );
        expect(changes).toHaveBeenCalledTimes(1);
        expect(changes.mock.calls[0]?.[0].detail.state).toEqual(accepted);
        expect(LightningModal.open).not.toHaveBeenCalled();
    });

    it('says why Accept failed and changes nothing, the button ready again', async () => {
        jest.mocked(setMapping).mockRejectedValue({ body: { message: 'The stage service refused the change.' } });
        const element = createPanel();
        const changes = stateChanges(element);
        await flushPromises();

        acceptButtons(element)[0]?.click();
        await flushPromises();

        expect(Toast.show).toHaveBeenCalledWith(
            {
                label: 'c.AutoMap_Drift_AcceptFailedToastTitle',
                message: 'The stage service refused the change.',
                variant: 'error'
            },
            expect.anything()
        );
        expect(changes).not.toHaveBeenCalled();
        expect(acceptButtons(element)[0]?.disabled).toBe(false);
        expect(element.shadowRoot?.activeElement).toBe(acceptButtons(element)[0]);
        await expect(element).toBeAccessible();
    });

    it('offers no Accept to a user who may not edit, nor on stale rows', async () => {
        const readOnly = createPanel({ canEdit: false });
        await flushPromises();
        expect(acceptButtons(readOnly)).toEqual([]);

        const stale = createPanel({ stale: true });
        await flushPromises();
        expect(acceptButtons(stale).every((button) => button.disabled)).toBe(true);
        acceptButtons(stale)[0]?.click();
        await flushPromises();
        expect(setMapping).not.toHaveBeenCalled();
    });
});
