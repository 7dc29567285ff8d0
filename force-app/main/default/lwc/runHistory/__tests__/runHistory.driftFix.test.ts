import { createElement } from 'lwc';
import RunHistory from 'c/runHistory';
import LightningConfirm from 'lightning/confirm';
import Toast from 'lightning/toast';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import undoRun from '@salesforce/apex/StageAutoMapController.undoRun';
import type { RunHistory as RunHistoryResponse, RunSummary } from 'c/stageAutoMapApi';
import driftJson from './data/runHistoryDriftFix.json';

jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.undoRun', () => ({ default: jest.fn() }), { virtual: true });

// Issue 12: runs of drift fixes and the categories of created stages in the history. The labels that take
// arguments are mocked with their English templates (CustomLabels.labels-meta.xml), so the tests read what an admin
// reads; the others evaluate to their own name ('c.AutoMap_X'), which shows which label is used.
jest.mock('@salesforce/label/c.AutoMap_History_DriftFixed', () => ({ default: 'Fixed {0} changes since mapping' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_History_FixRenamed', () => ({ default: 'Mappings moved to renamed values' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_History_FixRemoved', () => ({ default: 'Mappings of removed values removed' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_History_FixRelabelled', () => ({ default: 'Stages renamed after new labels' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_History_FixNewValue', () => ({ default: 'New values mapped' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_History_CreatedCategories', () => ({ default: 'New stages: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_List_NamedCount', () => ({ default: '{0}: {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_List_Separator', () => ({ default: ',' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Category_InProgress', () => ({ default: 'In progress' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Category_Succeeded', () => ({ default: 'Succeeded' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Category_None', () => ({ default: 'None' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.AutoMap_History_UndoFixConfirmMessage',
    () => ({ default: 'Undo these {0} fixes? ... the {1} stages created for new values are deleted.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_History_UndoneFixMessage', () => ({ default: '{0} fixes undone.' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_History_UndoConfirmMessage',
    () => ({
        default: 'Undo this run? The {0} stages it created are deleted and the {1} mappings it made are removed.'
    }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_UndoneMessage',
    () => ({ default: '{0} stages deleted and {1} mappings removed.' }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/label/c.AutoMap_History_UndoBlocked', () => ({ default: "Can't be undone: {0}" }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_History_FixBlockerMappingChanged',
    () => ({ default: '"{0}" or its stage "{1}" changed since this run.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_FixBlockerStageDeleted',
    () => ({ default: 'The stage of "{0}" was deleted since this run.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_History_FixBlockerStageMappedElsewhereUnknown',
    () => ({ default: 'The stage "{0}" is now mapped to another value.' }),
    { virtual: true }
);

const DRIFT_FIX = '4b0c5d0e-1f7a-4c59-9a43-54d2f3c1a012';
const BLOCKED_FIX = '4b0c5d0e-1f7a-4c59-9a43-54d2f3c1a011';
const AUTO_MAP = '4b0c5d0e-1f7a-4c59-9a43-54d2f3c1a010';
const OLD_RUN = '4b0c5d0e-1f7a-4c59-9a43-54d2f3c1a009';

/** A fresh copy of the history (JSON widens its literal types to string). */
function history(): RunHistoryResponse {
    return JSON.parse(JSON.stringify(driftJson)) as RunHistoryResponse;
}

function run(id: string): RunSummary {
    const found = history().runs.find((candidate) => candidate.id === id);
    if (!found) {
        throw new Error(`the fixture has the run ${id}`);
    }
    return found;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createHistory(props: Record<string, unknown> = {}): HTMLElement {
    const element = createElement('c-run-history', { is: RunHistory });
    Object.assign(element, { objectApiName: 'Lead', fieldApiName: 'Status', canUndo: true, ...props });
    document.body.appendChild(element);
    return element;
}

function row(element: HTMLElement, runId: string): HTMLTableRowElement | undefined {
    return Array.from(element.shadowRoot?.querySelectorAll<HTMLTableRowElement>('tbody tr') ?? []).find(
        (candidate) => candidate.dataset.runId === runId
    );
}

/** The lines under a run's date: what it did beyond its counts. */
function details(element: HTMLElement, runId: string): string[] {
    return Array.from(row(element, runId)?.querySelectorAll('th [data-id="run-detail"]') ?? []).map((line) =>
        line.textContent.trim()
    );
}

function undoButton(element: HTMLElement, runId: string): HTMLButtonElement | null {
    return row(element, runId)?.querySelector<HTMLButtonElement>('button[data-run-id]') ?? null;
}

describe('c-run-history: drift fixes and categories', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.resetAllMocks();
    });

    it('reads a drift-fix run as the changes it fixed, with each kind and the categories of its new stages, accessibly', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createHistory();
        await flushPromises();

        // The row header names the run: when, and what it did.
        expect(details(element, DRIFT_FIX)).toEqual([
            'Fixed 5 changes since mapping',
            'Mappings moved to renamed values: 1, Mappings of removed values removed: 1, ' +
                'Stages renamed after new labels: 1, New values mapped: 2',
            'New stages: Succeeded: 1, None: 1'
        ]);
        // Only the kinds it applied, and no categories when it created no stage.
        expect(details(element, BLOCKED_FIX)).toEqual([
            'Fixed 1 changes since mapping',
            'Stages renamed after new labels: 1'
        ]);
        await expect(element).toBeAccessible();
    });

    it('shows the categories of the stages an auto-map created, and nothing more for a run recorded before kinds', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createHistory();
        await flushPromises();

        expect(details(element, AUTO_MAP)).toEqual(['New stages: In progress: 2, Succeeded: 1, None: 1']);
        // No kind, no counts: an auto-map as before, its row as before.
        expect(details(element, OLD_RUN)).toEqual([]);
        expect(row(element, OLD_RUN)?.querySelector('[data-id="status"]')?.textContent).toContain(
            'c.AutoMap_History_StatusUndone'
        );
    });

    it('describes each Undo by its run, so a screen reader hears which changes it reverses', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createHistory();
        await flushPromises();

        const button = undoButton(element, DRIFT_FIX);
        const header = row(element, DRIFT_FIX)?.querySelector('th');
        expect(button?.getAttribute('aria-describedby')).toBe(header?.getAttribute('id'));
        expect(header?.textContent).toContain('Fixed 5 changes since mapping');
    });

    it('undoes a drift-fix run after the admin confirms what it reverses, and says how many fixes were undone', async () => {
        // Step 1: the history before and after the undo.
        const after = history();
        const undoneRun = after.runs[0];
        if (undoneRun) {
            undoneRun.undoneAt = '2026-10-09T15:00:00.000Z';
            undoneRun.undoneBy = { id: '0055e000001AdaAAA', name: 'Ada Admin' };
        }
        jest.mocked(getRunHistory).mockResolvedValueOnce(history()).mockResolvedValueOnce(after);
        jest.mocked(undoRun).mockResolvedValue({ run: run(DRIFT_FIX), version: 14 });
        jest.mocked(LightningConfirm.open).mockResolvedValue(true);
        const element = createHistory();
        await flushPromises();
        const undone = jest.fn();
        element.addEventListener('runundone', undone);

        // Step 2: the confirmation speaks of fixes, with the five fixes and the two stages its new values got.
        undoButton(element, DRIFT_FIX)?.click();
        await flushPromises();
        expect(LightningConfirm.open).toHaveBeenCalledWith({
            label: 'c.AutoMap_History_UndoFixConfirmTitle',
            message: 'Undo these 5 fixes? ... the 2 stages created for new values are deleted.',
            theme: 'warning',
            variant: 'header'
        });

        // Step 3: the existing undo endpoint, a toast in the same words, the event, a reload.
        expect(undoRun).toHaveBeenCalledWith({ runId: DRIFT_FIX });
        expect(Toast.show).toHaveBeenCalledWith(
            { label: 'c.AutoMap_History_UndoneTitle', message: '5 fixes undone.', variant: 'success' },
            expect.anything()
        );
        expect((undone.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({ runId: DRIFT_FIX, version: 14 });
        expect(getRunHistory).toHaveBeenCalledTimes(2);
        expect(undoButton(element, DRIFT_FIX)).toBeNull();
        expect(element.shadowRoot?.activeElement?.getAttribute('data-run-id')).toBe(DRIFT_FIX);
        await expect(element).toBeAccessible();
    });

    it('undoes an auto-map run in its own words, as before', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        jest.mocked(undoRun).mockResolvedValue({ run: run(AUTO_MAP), version: 14 });
        jest.mocked(LightningConfirm.open).mockResolvedValue(true);
        const element = createHistory();
        await flushPromises();

        undoButton(element, AUTO_MAP)?.click();
        await flushPromises();

        expect(LightningConfirm.open).toHaveBeenCalledWith({
            label: 'c.AutoMap_History_UndoConfirmTitle',
            message: 'Undo this run? The 4 stages it created are deleted and the 5 mappings it made are removed.',
            theme: 'warning',
            variant: 'header'
        });
        expect(Toast.show).toHaveBeenCalledWith(
            {
                label: 'c.AutoMap_History_UndoneTitle',
                message: '4 stages deleted and 5 mappings removed.',
                variant: 'success'
            },
            expect.anything()
        );
    });

    it('says why a drift-fix run cannot be undone in words that fit fixes, never with ids', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createHistory();
        await flushPromises();

        const reason = row(element, BLOCKED_FIX)?.querySelector('[data-id="undo-blocked"]')?.textContent.trim();
        expect(reason).toBe(
            "Can't be undone: " +
                '"Working - Contacted" or its stage "Working (Contacted)" changed since this run. ' +
                'The stage of "Meeting Booked" was deleted since this run. ' +
                'The stage "Nurturing" is now mapped to another value.'
        );
        expect(undoButton(element, BLOCKED_FIX)?.disabled).toBe(true);
        await expect(element).toBeAccessible();
    });
});
