import { createElement } from 'lwc';
import StageDriftFixModal from 'c/stageDriftFixModal';
import type { DriftFixModalResult } from 'c/stageDriftFixModal';
import { driftOf, toServiceValues } from 'c/stageAutoMapApi';
import type { DriftFixParams, ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import type { DriftFinding } from 'c/autoMapEngine';
import type { PicklistValues } from 'lightning/uiObjectInfoApi';
import applyDriftFixes from '@salesforce/apex/StageAutoMapController.applyDriftFixes';
import getScopeState from '@salesforce/apex/StageAutoMapController.getScopeState';
import driftedValuesJson from '../../stageDriftPanel/__tests__/data/getPicklistValuesLeadStatusDrifted.json';
import mappedStateJson from '../../stageDriftPanel/__tests__/data/scopeStateLeadStatusMapped.json';
import fixedStateJson from '../../stageDriftPanel/__tests__/data/scopeStateLeadStatusFixed.json';
import appliedJson from '../../stageDriftPanel/__tests__/data/applyDriftFixesApplied.json';
import conflictJson from '../../stageDriftPanel/__tests__/data/applyDriftFixesConflict.json';

jest.mock('@salesforce/apex/StageAutoMapController.applyDriftFixes', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/StageAutoMapController.getScopeState', () => ({ default: jest.fn() }), { virtual: true });
// In Jest a Custom Label import evaluates to its path ('c.AutoMap_X'); values are named with their English templates.
jest.mock('@salesforce/label/c.AutoMap_Value_Name', () => ({ default: '"{0}"' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Value_NameWithLabel', () => ({ default: '"{0}" (label "{1}")' }), {
    virtual: true
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SCOPE = { objectApiName: 'Lead', fieldApiName: 'Status' };

type ModalElement = HTMLElement & { disableClose: boolean };
type ButtonElement = HTMLElement & { disabled: boolean; label: string };

/** Fresh copies of the recorded answers (JSON widens their literal types to string). */
function stateOf(json: unknown): ScopeState {
    return JSON.parse(JSON.stringify(json)) as ScopeState;
}

/** The field's values as the UI API gives them after the admin changed the picklist (see the panel's fixtures). */
function driftedValues(): ServiceValue[] {
    return toServiceValues((driftedValuesJson as PicklistValues).values);
}

/** Every finding of the drifted Lead Status, as the panel reports them: five, each with a fix. */
function driftedFindings(): DriftFinding[] {
    return driftOf(SCOPE, driftedValues(), stateOf(mappedStateJson)).findings;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createModal(findings: DriftFinding[]): ModalElement {
    const element = createElement('c-stage-drift-fix-modal', { is: StageDriftFixModal }) as ModalElement;
    Object.assign(element, { ...SCOPE, values: driftedValues(), version: 12, findings });
    document.body.appendChild(element);
    return element;
}

function button(element: HTMLElement, id: string): ButtonElement | null {
    return element.shadowRoot?.querySelector<ButtonElement>(`lightning-button[data-id="${id}"]`) ?? null;
}

function rowTexts(element: HTMLElement): string[][] {
    return Array.from(element.shadowRoot?.querySelectorAll('tbody tr') ?? []).map((row) =>
        Array.from(row.querySelectorAll('th, td')).map((cell) => cell.textContent.trim())
    );
}

/** What the modal closed with, one entry per close. */
function closes(element: HTMLElement): jest.Mock<undefined, [CustomEvent<DriftFixModalResult | undefined>]> {
    const closed = jest.fn<undefined, [CustomEvent<DriftFixModalResult | undefined>]>();
    element.addEventListener('close', closed as unknown as EventListener);
    return closed;
}

function lastApexParams(): DriftFixParams | undefined {
    return jest.mocked(applyDriftFixes).mock.lastCall?.[0];
}

describe('c-stage-drift-fix-modal', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('previews what every fix does, one row per finding, before anything is applied, accessibly', async () => {
        const element = createModal(driftedFindings());
        await flushPromises();

        // Value, kind of change, its stage now, and what the fix does; in the order the engine reports them.
        expect(rowTexts(element)).toEqual([
            [
                'Working - Contacted',
                'c.AutoMap_DriftKind_ProbableRename',
                'Working - Contacted',
                'c.AutoMap_DriftFix_MoveMapping'
            ],
            ['Interested', 'c.AutoMap_DriftKind_ValueRemoved', 'Interested', 'c.AutoMap_DriftFix_RemoveMapping'],
            [
                'Meeting Booked',
                'c.AutoMap_DriftKind_ValueRemoved',
                'Meeting Booked',
                'c.AutoMap_DriftFix_RemoveMapping'
            ],
            ['Nurturing', 'c.AutoMap_DriftKind_LabelChanged', 'Nurturing', 'c.AutoMap_DriftFix_RenameStage'],
            [
                'Qualified',
                'c.AutoMap_DriftKind_NewValue',
                'c.AutoMap_Mappings_NotMapped',
                'c.AutoMap_DriftFix_CreateAndMap'
            ]
        ]);
        expect(element.shadowRoot?.querySelector('[data-id="intro"]')?.textContent).toBe('c.AutoMap_DriftFix_Intro');
        expect(button(element, 'apply')?.disabled).toBe(false);
        expect(applyDriftFixes).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('lists only the findings that have a fix', async () => {
        const findings = driftedFindings();
        const adviceOnly: DriftFinding = { value: 'Old', kind: 'value-deactivated', fix: false, reason: '' };
        const element = createModal([findings[1] as DriftFinding, adviceOnly]);
        await flushPromises();

        expect(rowTexts(element).map((row) => row[0])).toEqual(['Interested']);
    });

    it('has nothing to apply when no finding has a fix', async () => {
        const element = createModal([{ value: 'Old', kind: 'value-deactivated', fix: false, reason: '' }]);
        await flushPromises();

        expect(button(element, 'apply')?.disabled).toBe(true);
    });

    it('applies every fix in one call at the reported version, then closes with the run and the state read again', async () => {
        // Step 1: the service applies the fixes; the state is read again after them.
        jest.mocked(applyDriftFixes).mockResolvedValue(JSON.stringify(appliedJson));
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(fixedStateJson));
        const element = createModal(driftedFindings());
        const closed = closes(element);
        await flushPromises();

        // Step 2: Apply.
        button(element, 'apply')?.click();
        await flushPromises();

        // The Apex call: the values reported on, every fix as value and kind, the version, a fresh key.
        expect(applyDriftFixes).toHaveBeenCalledTimes(1);
        expect(lastApexParams()).toEqual({
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            values: driftedValues(),
            fixes: [
                { value: 'Working - Contacted', kind: 'probable-rename' },
                { value: 'Interested', kind: 'value-removed' },
                { value: 'Meeting Booked', kind: 'value-removed' },
                { value: 'Nurturing', kind: 'label-changed' },
                { value: 'Qualified', kind: 'new-value' }
            ],
            expectedVersion: 12,
            idempotencyKey: expect.stringMatching(UUID_V4) as unknown,
            newStageNames: 'label'
        });
        expect(getScopeState).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });
        // Closed with the run, the fresh state and how many fixes the run counts.
        expect(closed).toHaveBeenCalledTimes(1);
        const result = closed.mock.calls[0]?.[0].detail;
        expect(result?.status).toBe('applied');
        expect(result?.state.version).toBe(13);
        expect(result?.status === 'applied' ? [result.run.id, result.fixCount] : []).toEqual(['run-0043', 5]);
        expect(element.disableClose).toBe(false);
    });

    it('cannot be closed while the fixes are applied, says so, and stays accessible', async () => {
        // The call never answers in this test.
        jest.mocked(applyDriftFixes).mockReturnValue(new Promise(() => undefined));
        const element = createModal(driftedFindings());
        await flushPromises();

        button(element, 'apply')?.click();
        await flushPromises();

        expect(element.disableClose).toBe(true);
        expect(button(element, 'apply')?.disabled).toBe(true);
        expect(button(element, 'cancel')?.disabled).toBe(true);
        expect(element.shadowRoot?.querySelector('lightning-spinner')).not.toBeNull();
        expect(element.shadowRoot?.querySelector('[data-id="announcer"]')?.textContent).toBe(
            'c.AutoMap_DriftFix_Applying'
        );
        await expect(element).toBeAccessible();
    });

    it('closes with the fresh state when the state moved since the report: nothing was applied', async () => {
        jest.mocked(applyDriftFixes).mockResolvedValue(JSON.stringify(conflictJson));
        const moved = stateOf(mappedStateJson);
        moved.version = 14;
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(moved));
        const element = createModal(driftedFindings());
        const closed = closes(element);
        await flushPromises();

        button(element, 'apply')?.click();
        await flushPromises();

        expect(closed).toHaveBeenCalledTimes(1);
        const result = closed.mock.calls[0]?.[0].detail;
        expect(result?.status).toBe('conflict');
        expect(result?.state.version).toBe(14);
    });

    it('keeps the preview open on a failure, shows the message, and retries with the same key', async () => {
        // Step 1: the controller refuses the first call.
        jest.mocked(applyDriftFixes).mockRejectedValueOnce({
            body: { message: 'The stage service could not be reached. Try again in a few minutes.' },
            status: 500
        });
        const element = createModal(driftedFindings());
        const closed = closes(element);
        await flushPromises();
        button(element, 'apply')?.click();
        await flushPromises();

        // The failure shows in the error panel, in the modal; nothing closed; Apply works again.
        const panel = element.shadowRoot?.querySelector<HTMLElement & { errors: unknown; friendlyMessage: string }>(
            '[data-id="failure"] c-error-panel'
        );
        expect(panel?.friendlyMessage).toBe('c.AutoMap_DriftFix_ApplyError');
        expect(panel?.errors).toEqual({
            body: { message: 'The stage service could not be reached. Try again in a few minutes.' },
            status: 500
        });
        expect(closed).not.toHaveBeenCalled();
        expect(element.disableClose).toBe(false);
        expect(button(element, 'apply')?.disabled).toBe(false);
        await expect(element).toBeAccessible();

        // Step 2: Apply again: the same idempotency key, so a first call that did arrive is not applied twice.
        const firstKey = lastApexParams()?.idempotencyKey;
        jest.mocked(applyDriftFixes).mockResolvedValue(JSON.stringify(appliedJson));
        jest.mocked(getScopeState).mockResolvedValue(JSON.stringify(fixedStateJson));
        button(element, 'apply')?.click();
        await flushPromises();

        expect(applyDriftFixes).toHaveBeenCalledTimes(2);
        expect(lastApexParams()?.idempotencyKey).toBe(firstKey);
        expect(element.shadowRoot?.querySelector('[data-id="failure"]')).toBeNull();
        expect(closed).toHaveBeenCalledTimes(1);
    });

    it('closes with nothing on Cancel, and calls nothing', async () => {
        const element = createModal(driftedFindings());
        const closed = closes(element);
        await flushPromises();

        button(element, 'cancel')?.click();

        expect(closed).toHaveBeenCalledTimes(1);
        // close(undefined): the event of the mock carries no detail (null); the platform resolves open() with undefined.
        expect(closed.mock.calls[0]?.[0].detail).toBeNull();
        expect(applyDriftFixes).not.toHaveBeenCalled();
    });
});
