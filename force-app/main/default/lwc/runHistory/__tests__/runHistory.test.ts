import { createElement } from 'lwc';
import RunHistory from 'c/runHistory';
import LightningConfirm from 'lightning/confirm';
import Toast from 'lightning/toast';
import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';
import undoRun from '@salesforce/apex/StageAutoMapController.undoRun';
import type { RunHistory as RunHistoryResponse, RunSummary } from 'c/stageAutoMapApi';
import historyJson from '../../stageAutoMapSetup/__tests__/data/runHistoryLeadStatus.json';

jest.mock('@salesforce/apex/StageAutoMapController.getRunHistory', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/StageAutoMapController.undoRun', () => ({ default: jest.fn() }), { virtual: true });

/** A fresh copy of the recorded history (JSON widens its literal types to string). */
function history(): RunHistoryResponse {
    return JSON.parse(JSON.stringify(historyJson)) as RunHistoryResponse;
}

function firstRun(): RunSummary {
    const run = history().runs[0];
    if (!run) {
        throw new Error('the history fixture has runs');
    }
    return run;
}

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createHistory(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-run-history', { is: RunHistory });
    Object.assign(element, { objectApiName: 'Lead', fieldApiName: 'Status', ...props });
    document.body.appendChild(element);
    return element;
}

function rows(element: HTMLElement): HTMLTableRowElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll<HTMLTableRowElement>('tbody tr') ?? []);
}

function undoButtons(element: HTMLElement): HTMLButtonElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-run-id]') ?? []);
}

describe('c-run-history', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        // Reset implementations too, so one test's Apex answer never leaks into the next.
        jest.resetAllMocks();
    });

    it('shows a spinner while the runs load, accessibly', async () => {
        // The Apex call never answers in this test.
        jest.mocked(getRunHistory).mockReturnValue(new Promise(() => undefined));
        const element = createHistory({});
        await flushPromises();

        expect(element.shadowRoot?.querySelector('lightning-spinner')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('loads the runs of its scope once, newest first, with who, what and whether undone', async () => {
        // Step 1: the controller returns two runs, the older one undone.
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createHistory({ canUndo: true, highlightRunId: 'run-0001' });
        await flushPromises();

        // Step 2: one call with the scope, even though object and field were set one after the other.
        expect(getRunHistory).toHaveBeenCalledTimes(1);
        expect(getRunHistory).toHaveBeenCalledWith({ objectApiName: 'Lead', fieldApiName: 'Status' });

        // Step 3: the rows: date (row header), actor, mapped, created, skipped, status.
        expect(rows(element).map((row) => row.dataset.runId)).toEqual(['run-0001', 'run-0000']);
        // Counts are shown by lightning-formatted-number (grouped in the user's locale): read the number it gets.
        const cells = Array.from(rows(element)[0]?.querySelectorAll('td') ?? []).map((cell) => {
            const number = cell.querySelector<HTMLElement & { value: unknown }>('lightning-formatted-number');
            return number ? String(number.value) : cell.textContent.trim();
        });
        expect(cells.slice(0, 5)).toEqual(['Ada Admin', '1', '0', '1', 'c.AutoMap_History_StatusApplied']);
        expect(rows(element)[0]?.classList.contains('latest-run')).toBe(true);
        expect(rows(element)[1]?.querySelector('[data-id="status"]')?.textContent.trim()).toBe(
            'c.AutoMap_History_StatusUndone'
        );

        // Step 4: only the run still in effect can be undone.
        expect(undoButtons(element).map((button) => button.dataset.runId)).toEqual(['run-0001']);
        await expect(element).toBeAccessible();
    });

    it('offers no Undo to a read-only user', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createHistory({ canUndo: false });
        await flushPromises();

        expect(rows(element)).toHaveLength(2);
        expect(undoButtons(element)).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('says when no run exists yet', async () => {
        jest.mocked(getRunHistory).mockResolvedValue({ runs: [] });
        const element = createHistory({});
        await flushPromises();

        expect(element.shadowRoot?.querySelector('p')?.textContent).toBe('c.AutoMap_History_Empty');
        await expect(element).toBeAccessible();
    });

    it('shows the controller message when the history cannot load', async () => {
        jest.mocked(getRunHistory).mockRejectedValue({
            status: 500,
            body: { message: 'The stage service did not answer in time. Try again in a minute.' }
        });
        const element = createHistory({});
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { errors: unknown; friendlyMessage: string }>(
            'c-error-panel'
        );
        expect(panel?.friendlyMessage).toBe('c.AutoMap_History_LoadError');
        expect(panel?.shadowRoot?.textContent).toContain('The stage service did not answer in time.');
        await expect(element).toBeAccessible();
    });

    it('undoes a run after the admin confirms, says so, reloads and tells the parent', async () => {
        // Step 1: two loads (before and after the undo); the second shows the run undone.
        const undone = history();
        const run = undone.runs[0];
        if (run) {
            run.undoneAt = '2026-10-03T08:00:00.000Z';
            run.undoneBy = { id: '0055e000001AdaAAA', name: 'Ada Admin' };
        }
        jest.mocked(getRunHistory).mockResolvedValueOnce(history()).mockResolvedValueOnce(undone);
        jest.mocked(undoRun).mockResolvedValue({ run: firstRun(), version: 9 });
        jest.mocked(LightningConfirm.open).mockResolvedValue(true);
        const element = createHistory({ canUndo: true });
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('runundone', handler);

        // Step 2: Undo asks first, with the numbers of the run.
        undoButtons(element)[0]?.click();
        await flushPromises();
        expect(LightningConfirm.open).toHaveBeenCalledWith({
            label: 'c.AutoMap_History_UndoConfirmTitle',
            message: 'c.AutoMap_History_UndoConfirmMessage',
            theme: 'warning',
            variant: 'header'
        });

        // Step 3: the controller undoes exactly that run; a toast, an event, a reload.
        expect(undoRun).toHaveBeenCalledWith({ runId: 'run-0001' });
        expect(Toast.show).toHaveBeenCalledWith(
            { label: 'c.AutoMap_History_UndoneTitle', message: 'c.AutoMap_History_UndoneMessage', variant: 'success' },
            expect.anything()
        );
        expect((handler.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({ runId: 'run-0001', version: 9 });
        expect(getRunHistory).toHaveBeenCalledTimes(2);
        expect(undoButtons(element)).toHaveLength(0);

        // Step 4: focus lands on the run's row header, so a keyboard user stays where they were.
        expect(element.shadowRoot?.activeElement?.getAttribute('data-run-id')).toBe('run-0001');
        await expect(element).toBeAccessible();
    });

    it('changes nothing when the admin cancels the confirmation', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        jest.mocked(LightningConfirm.open).mockResolvedValue(false);
        const element = createHistory({ canUndo: true });
        await flushPromises();

        undoButtons(element)[0]?.click();
        await flushPromises();

        expect(undoRun).not.toHaveBeenCalled();
        expect(undoButtons(element)).toHaveLength(1);
    });

    it('shows why the service refused an undo and keeps the run', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        jest.mocked(LightningConfirm.open).mockResolvedValue(true);
        jest.mocked(undoRun).mockRejectedValue({
            status: 400,
            body: {
                message: 'This run cannot be undone: 14 records are now in the stage "Working - Contacted" it created.'
            }
        });
        const element = createHistory({ canUndo: true });
        await flushPromises();

        undoButtons(element)[0]?.click();
        await flushPromises();

        const panel = element.shadowRoot?.querySelector<HTMLElement & { friendlyMessage: string }>('c-error-panel');
        expect(panel?.friendlyMessage).toBe('c.AutoMap_History_UndoError');
        expect(panel?.shadowRoot?.textContent).toContain('14 records are now in the stage');
        expect(Toast.show).not.toHaveBeenCalled();
        expect(undoButtons(element)).toHaveLength(1);
        await expect(element).toBeAccessible();
    });

    it('keeps the runs of the field it shows when an older read answers late', async () => {
        // Step 1: the runs of Status are slow; the parent switches to Rating, whose runs answer at once.
        let answerStatus: (runs: RunHistoryResponse) => void = () => undefined;
        jest.mocked(getRunHistory).mockReturnValueOnce(
            new Promise((resolve) => {
                answerStatus = resolve;
            })
        );
        jest.mocked(getRunHistory).mockResolvedValueOnce({ runs: [] });
        const element = createHistory({});
        await flushPromises();
        Object.assign(element, { fieldApiName: 'Rating' });
        await flushPromises();
        expect(getRunHistory).toHaveBeenLastCalledWith({ objectApiName: 'Lead', fieldApiName: 'Rating' });

        // Step 2: the runs of Status arrive: Rating still has none.
        answerStatus(history());
        await flushPromises();
        expect(rows(element)).toHaveLength(0);
        expect(element.shadowRoot?.querySelector('p')?.textContent).toBe('c.AutoMap_History_Empty');
    });

    it('reloads on request', async () => {
        jest.mocked(getRunHistory).mockResolvedValue(history());
        const element = createHistory({});
        await flushPromises();

        await (element as HTMLElement & { refresh(): Promise<void> }).refresh();

        expect(getRunHistory).toHaveBeenCalledTimes(2);
    });
});
