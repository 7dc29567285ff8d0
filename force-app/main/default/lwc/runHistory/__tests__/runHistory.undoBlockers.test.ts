import { createElement } from 'lwc';
import RunHistory from 'c/runHistory';
import LightningConfirm from 'lightning/confirm';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import undoRun from '@salesforce/apex/StageAutoMapController.undoRun';
import type { RunHistory as RunHistoryResponse } from 'c/stageAutoMapApi';
import historyJson from '../../stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';
import blockedJson from './data/runHistoryUndoBlocked.json';

jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.undoRun', () => ({ default: jest.fn() }), { virtual: true });

// The sentences of each blocker kind, with their placeholders, so the tests read what an admin reads.
jest.mock('@salesforce/label/c.AutoMap_History_UndoBlocked', () => ({ default: "Can't be undone: {0}" }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerMappingRemoved',
    () => ({ default: 'The mapping of "{0}" that this run made was removed since.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerMappingChanged',
    () => ({ default: '"{0}" is now mapped to the stage "{1}", not by this run.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerMappingChangedNoStage',
    () => ({ default: '"{0}" is now mapped to another stage, not by this run.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerStageDeleted',
    () => ({ default: 'The stage this run created for "{0}" was deleted since.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerStageDeletedNoValue',
    () => ({ default: 'A stage this run created was deleted since.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerRecordsInStage',
    () => ({ default: 'Records are now in the stage "{0}", which this run created.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerStageMappedElsewhere',
    () => ({ default: 'The stage "{0}", which this run created, is now also mapped to {1}.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_BlockerStageMappedElsewhereUnknown',
    () => ({ default: 'The stage "{0}", which this run created, is now also mapped in another field.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_History_BlockerMore', () => ({ default: 'Reasons not listed: {0}.' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_History_BlockerAlreadyUndone', () => ({ default: 'It was undone.' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Field_OtherMapping', () => ({ default: '"{1}" in {0}' }), { virtual: true });

type HistoryElement = HTMLElement & { refresh(): Promise<void> };

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-/;

function blocked(): RunHistoryResponse {
    return JSON.parse(JSON.stringify(blockedJson)) as RunHistoryResponse;
}

function history(): RunHistoryResponse {
    return JSON.parse(JSON.stringify(historyJson)) as RunHistoryResponse;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createHistory(props: Record<string, unknown>): HistoryElement {
    const element = createElement('c-run-history', { is: RunHistory }) as HistoryElement;
    Object.assign(element, { objectApiName: 'Lead', fieldApiName: 'Status', ...props });
    document.body.appendChild(element);
    return element;
}

function undoButton(element: HTMLElement, runId: string): HTMLButtonElement | null | undefined {
    return element.shadowRoot?.querySelector<HTMLButtonElement>(`button[data-run-id="${runId}"]`);
}

function errorPanels(element: HTMLElement): (HTMLElement & { friendlyMessage: string; retryable: boolean })[] {
    return Array.from(
        element.shadowRoot?.querySelectorAll<HTMLElement & { friendlyMessage: string; retryable: boolean }>(
            'c-error-panel'
        ) ?? []
    );
}

/** The text an element's aria-describedby points at, as a screen reader reads it. */
function description(element: HTMLElement, button: Element | null | undefined): string {
    const ids = (button?.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids
        .map((id) => element.shadowRoot?.querySelector(`[id="${id}"]`)?.textContent.trim() ?? `<missing ${id}>`)
        .join(' ');
}

const RUN = '4b0c5d0e-1f7a-4c59-9a43-54d2f3c1a001';
const OLDER_RUN = '4b0c5d0e-1f7a-4c59-9a43-54d2f3c1a000';

describe('c-run-history: runs that cannot be undone, a service that is down', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('disables Undo of a run the history knows cannot be undone, with the reason next to it and read out', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(blocked());
        const element = createHistory({
            canUndo: true,
            values: [{ value: 'Nurturing', label: 'Nurturing (long term)', active: true }],
            otherMappings: [
                {
                    object: 'Contact',
                    field: 'Contact_Status__c',
                    value: 'Meeting',
                    stageId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e'
                }
            ],
            fieldNames: { 'Contact.Contact_Status__c': 'Contact Status (Contact)' }
        });
        await flushPromises();

        // Step 1: the button is there but disabled; clicking it cannot fail again.
        const button = undoButton(element, RUN);
        expect(button?.disabled).toBe(true);

        // Step 2: the reason names the value (its label), the stages and the other field, never an id.
        const reason = element.shadowRoot?.querySelector(`[data-id="undo-blocked"][data-run-id="${RUN}"]`);
        const text = reason?.textContent.trim() ?? '';
        expect(text).toBe(
            'Can\'t be undone: The mapping of "Nurturing (long term)" that this run made was removed since. ' +
                'Records are now in the stage "Working - Contacted", which this run created. ' +
                'The stage "Meeting Booked", which this run created, is now also mapped to "Meeting" in Contact Status (Contact). ' +
                'Reasons not listed: 1.'
        );
        expect(text).not.toMatch(ID);

        // Step 3: a screen reader hears the reason with the button.
        expect(description(element, button)).toContain(text);
        await expect(element).toBeAccessible();
    });

    it('never shows an id where the service had no stage name, nor a value it does not know', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(blocked());
        const element = createHistory({ canUndo: true });
        await flushPromises();

        const reason = element.shadowRoot?.querySelector(`[data-id="undo-blocked"][data-run-id="${OLDER_RUN}"]`);
        expect(reason?.textContent.trim()).toBe(
            'Can\'t be undone: "Qualified" is now mapped to another stage, not by this run. ' +
                'A stage this run created was deleted since.'
        );
        // Without the other fields' mappings, the stage mapped elsewhere is still named, the field is not invented.
        expect(
            element.shadowRoot?.querySelector(`[data-id="undo-blocked"][data-run-id="${RUN}"]`)?.textContent
        ).toContain('The stage "Meeting Booked", which this run created, is now also mapped in another field.');
        expect(undoButton(element, OLDER_RUN)?.disabled).toBe(true);
    });

    it('names stages and values, not ids, when the service refuses an undo the history did not foresee', async () => {
        // Step 1: the history said the run could be undone; meanwhile a stage got records.
        const now = blocked();
        const refusedRun = now.runs[0];
        if (!refusedRun) {
            throw new Error('the fixture has runs');
        }
        refusedRun.undoBlockers = refusedRun.undoBlockers.filter((blocker) => blocker.kind === 'records-in-stage');
        refusedRun.undoBlockerCount = 1;
        const before = blocked();
        if (before.runs[0]) {
            before.runs[0].undoBlockers = [];
            before.runs[0].undoBlockerCount = 0;
        }
        jest.mocked(getRunHistory).mockResolvedValueOnce(before).mockResolvedValueOnce(now);
        jest.mocked(LightningConfirm.open).mockResolvedValue(true);
        jest.mocked(undoRun).mockRejectedValue({
            status: 500,
            body: {
                message:
                    "This run can't be undone because later changes depend on it. The stage service said: 14 records are now in stage 0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d."
            }
        });
        const element = createHistory({ canUndo: true });
        await flushPromises();
        expect(undoButton(element, RUN)?.disabled).toBe(false);

        // Step 2: Undo, confirmed, is refused.
        undoButton(element, RUN)?.click();
        await flushPromises();

        // Step 3: the history is read again; the message is built from its blockers, in the admin's words.
        expect(getRunHistory).toHaveBeenCalledTimes(2);
        const panel = errorPanels(element).find(
            (candidate) => candidate.friendlyMessage === 'c.AutoMap_History_UndoError'
        );
        const shown = panel?.shadowRoot?.textContent ?? '';
        expect(shown).toContain('Records are now in the stage "Working - Contacted", which this run created.');
        expect(shown).not.toMatch(ID);
        // Step 4: and the button now says why it is off.
        expect(undoButton(element, RUN)?.disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('offers Retry when the history cannot load, and shows the runs once it can', async () => {
        // Step 1: the service is down, then back.
        jest.mocked(getRunHistory)
            .mockRejectedValueOnce({ status: 500, body: { message: "Salesforce couldn't reach the stage service." } })
            .mockResolvedValueOnce(history());
        const element = createHistory({ canUndo: true });
        await flushPromises();
        const [panel] = errorPanels(element);
        expect(panel?.retryable).toBe(true);
        await expect(element).toBeAccessible();

        // Step 2: Retry reads the history again.
        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();
        expect(getRunHistory).toHaveBeenCalledTimes(2);
        expect(errorPanels(element)).toHaveLength(0);
        expect(element.shadowRoot?.querySelectorAll('tbody tr')).toHaveLength(2);
        // Focus moves from the vanished Retry to the newest run.
        expect(element.shadowRoot?.activeElement?.getAttribute('data-run-id')).toBe('run-0001');
    });

    it('keeps the runs but offers no Undo after a failed refresh, until a refresh works', async () => {
        // Step 1: loaded; then the service goes down.
        jest.mocked(getRunHistory)
            .mockResolvedValueOnce(history())
            .mockRejectedValueOnce({ status: 500, body: { message: "Salesforce couldn't reach the stage service." } })
            .mockResolvedValueOnce(history());
        const element = createHistory({ canUndo: true });
        await flushPromises();
        expect(undoButton(element, 'run-0001')?.disabled).toBe(false);

        // Step 2: a refresh fails: the rows stay, Undo is off, a line says they may be out of date.
        await element.refresh();
        await flushPromises();
        expect(element.shadowRoot?.querySelectorAll('tbody tr')).toHaveLength(2);
        expect(undoButton(element, 'run-0001')?.disabled).toBe(true);
        expect(element.shadowRoot?.querySelector('[data-id="stale"]')?.textContent.trim()).toBe(
            'c.AutoMap_History_Stale'
        );
        expect(errorPanels(element)[0]?.retryable).toBe(true);
        await expect(element).toBeAccessible();

        // Step 3: Retry succeeds: Undo is back, the line is gone.
        errorPanels(element)[0]?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();
        expect(undoButton(element, 'run-0001')?.disabled).toBe(false);
        expect(element.shadowRoot?.querySelector('[data-id="stale"]')).toBeNull();
    });

    it('reads the history again when Retry is chosen on a failed undo', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        jest.mocked(LightningConfirm.open).mockResolvedValue(true);
        jest.mocked(undoRun).mockRejectedValue({
            status: 500,
            body: { message: "Salesforce couldn't reach the stage service." }
        });
        const element = createHistory({ canUndo: true });
        await flushPromises();
        undoButton(element, 'run-0001')?.click();
        await flushPromises();
        const panel = errorPanels(element).find(
            (candidate) => candidate.friendlyMessage === 'c.AutoMap_History_UndoError'
        );
        expect(panel?.shadowRoot?.textContent).toContain("couldn't reach the stage service");
        expect(panel?.retryable).toBe(true);
        const reads = jest.mocked(getRunHistory).mock.calls.length;

        panel?.dispatchEvent(new CustomEvent('retry'));
        await flushPromises();

        expect(getRunHistory).toHaveBeenCalledTimes(reads + 1);
        expect(errorPanels(element)).toHaveLength(0);
        // Retry reloads; it never repeats the undo by itself.
        expect(undoRun).toHaveBeenCalledTimes(1);
    });
});
