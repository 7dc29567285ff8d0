import { LightningElement, api } from 'lwc';
import LightningConfirm from 'lightning/confirm';
import Toast from 'lightning/toast';
import { countOf, fetchRunHistory, undoRun } from 'c/stageAutoMapApi';
import type { OtherMapping, RunSummary, ServiceValue } from 'c/stageAutoMapApi';
import { SKIP_KINDS, formatLabel } from 'c/autoMapText';
import { undoBlockedText, undoBlockerSentences } from './undoBlockers';
import type { NamingContext } from './undoBlockers';
import { fixTotal, isDriftFix, runDetails } from './runDetails';
import type { RunFacts } from './runDetails';
import caption from '@salesforce/label/c.AutoMap_History_Caption';
import columnWhen from '@salesforce/label/c.AutoMap_History_ColumnWhen';
import columnActor from '@salesforce/label/c.AutoMap_History_ColumnActor';
import columnMapped from '@salesforce/label/c.AutoMap_History_ColumnMapped';
import columnCreated from '@salesforce/label/c.AutoMap_History_ColumnCreated';
import columnSkipped from '@salesforce/label/c.AutoMap_History_ColumnSkipped';
import columnStatus from '@salesforce/label/c.AutoMap_History_ColumnStatus';
import columnActions from '@salesforce/label/c.AutoMap_Column_Actions';
import empty from '@salesforce/label/c.AutoMap_History_Empty';
import loading from '@salesforce/label/c.AutoMap_History_Loading';
import loadError from '@salesforce/label/c.AutoMap_History_LoadError';
import undoError from '@salesforce/label/c.AutoMap_History_UndoError';
import statusApplied from '@salesforce/label/c.AutoMap_History_StatusApplied';
import statusUndone from '@salesforce/label/c.AutoMap_History_StatusUndone';
import latestRun from '@salesforce/label/c.AutoMap_History_LatestRun';
import undoLabel from '@salesforce/label/c.AutoMap_History_Undo';
import undoConfirmTitle from '@salesforce/label/c.AutoMap_History_UndoConfirmTitle';
import undoConfirmMessage from '@salesforce/label/c.AutoMap_History_UndoConfirmMessage';
import undoneTitle from '@salesforce/label/c.AutoMap_History_UndoneTitle';
import undoneMessage from '@salesforce/label/c.AutoMap_History_UndoneMessage';
import undoFixConfirmTitle from '@salesforce/label/c.AutoMap_History_UndoFixConfirmTitle';
import undoFixConfirmMessage from '@salesforce/label/c.AutoMap_History_UndoFixConfirmMessage';
import undoneFixMessage from '@salesforce/label/c.AutoMap_History_UndoneFixMessage';
import undoing from '@salesforce/label/c.AutoMap_History_Undoing';
import stale from '@salesforce/label/c.AutoMap_History_Stale';

interface HistoryRow {
    id: string;
    headerId: string;
    createdAt: string;
    actor: string;
    mapped: number;
    created: number;
    skipped: number;
    /**
     * What the run did beyond its counts, one line each under its date: for drift fixes, the fixes; the categories of
     * the stages it created. In the row header, so it names the run wherever the row is read (Undo included), and the
     * table needs no column that a narrow modal has no room for.
     */
    details: { key: string; text: string }[];
    undone: boolean;
    undoneAt: string;
    undoneStatus: string;
    undoable: boolean;
    /** Why Undo is off for good ('' when the run can be undone): shown beside the button and read with it. */
    blockedReason: string;
    reasonId: string;
    describedBy: string;
    undoDisabled: boolean;
    highlighted: boolean;
    rowClass: string;
}

/**
 * The auto-map runs of one scope, newest first: when, who, what each run did, and whether it was undone. With
 * `can-undo`, each run still in effect has an Undo button: the admin confirms (lightning/confirm), the service
 * undoes the run in one transaction or refuses saying why, and `runundone` tells the parent to reload its state.
 * Loads itself, so the panel and the wizard's result step show the same history the same way.
 *
 * A run the service already knows cannot be undone (`undoBlockers`) keeps a disabled Undo with the reason beside it,
 * in names, never ids; a refused undo is explained the same way from the history read again. When a read fails, the
 * error offers Retry; runs already shown stay, marked as possibly out of date, with Undo off until a read works.
 */
export default class RunHistory extends LightningElement {
    /** Shows Undo buttons (the edit permission; the controller checks it again). */
    @api canUndo = false;
    /** A run to mark as "Latest run" (the one the wizard just applied). */
    @api highlightRunId = '';
    /** The field's values, to name a value by its label in a reason (optional: the API name otherwise). */
    @api values: ServiceValue[] | undefined;
    /** The family's mappings in other fields, to say where a stage is also mapped (optional). */
    @api otherMappings: OtherMapping[] | undefined;
    /** Field names by `Object.Field`, as the page shows them (optional: the API names otherwise). */
    @api fieldNames: Record<string, string> | undefined;

    labels = {
        caption,
        columnWhen,
        columnActor,
        columnMapped,
        columnCreated,
        columnSkipped,
        columnStatus,
        columnActions,
        empty,
        loading,
        loadError,
        undoError,
        statusApplied,
        latestRun,
        undoLabel,
        undoing,
        stale
    };

    runs: RunSummary[] | undefined;
    loadFailure: unknown;
    undoFailure: unknown;
    busy = false;
    /** The runs shown are from before a read that failed: Undo stays off until a read works. */
    isStale = false;

    private object = '';
    private field = '';
    private connected = false;
    private loadScheduled = false;
    private loadRequest = 0;
    /** Whose runs `runs` holds (`Object.Field`): another field's runs are never shown as stale ones. */
    private runsScope = '';
    private focusRunId: string | undefined;
    private focusFirstRun = false;

    /** The scope's object. */
    @api
    get objectApiName(): string {
        return this.object;
    }
    set objectApiName(value: string) {
        this.object = value;
        this.scheduleLoad();
    }

    /** The scope's field. */
    @api
    get fieldApiName(): string {
        return this.field;
    }
    set fieldApiName(value: string) {
        this.field = value;
        this.scheduleLoad();
    }

    override connectedCallback(): void {
        this.connected = true;
        this.scheduleLoad();
    }

    override disconnectedCallback(): void {
        this.connected = false;
    }

    override renderedCallback(): void {
        // Only once a read has worked: while Retry is still shown, it keeps the focus.
        if (this.focusFirstRun && this.runs !== undefined && this.loadFailure === undefined) {
            this.focusFirstRun = false;
            this.focusRunId = this.runs[0]?.id;
        }
        if (this.focusRunId === undefined) {
            return;
        }
        const runId = this.focusRunId;
        const header = Array.from(this.template?.querySelectorAll<HTMLElement>('th[data-run-id]') ?? []).find(
            (element) => element.dataset.runId === runId
        );
        if (header) {
            header.focus();
            this.focusRunId = undefined;
        }
    }

    /** Reloads the runs (after a run was applied or undone elsewhere). */
    @api
    refresh(): Promise<void> {
        return this.load();
    }

    /** Object and field arrive one after the other: load once, after both are set. */
    private scheduleLoad(): void {
        if (!this.connected || this.loadScheduled) {
            return;
        }
        this.loadScheduled = true;
        // load() reports its own failures in the panel; the catch only keeps the promise from floating.
        Promise.resolve()
            .then(() => {
                this.loadScheduled = false;
                return this.load();
            })
            .catch(() => undefined);
    }

    private async load(): Promise<void> {
        // Only the newest read counts: the runs of a field the admin has since left must not replace the new one's.
        const request = ++this.loadRequest;
        if (!this.object || !this.field) {
            this.runs = [];
            return;
        }
        const scope = `${this.object}.${this.field}`;
        if (scope !== this.runsScope) {
            this.runs = undefined;
            this.isStale = false;
            this.loadFailure = undefined;
        }
        // A failure of this field stays shown until the read answers: Retry keeps its place (and the focus).
        try {
            const runs = await fetchRunHistory({ objectApiName: this.object, fieldApiName: this.field });
            if (request === this.loadRequest) {
                this.runs = runs;
                this.runsScope = scope;
                this.isStale = false;
                this.loadFailure = undefined;
            }
        } catch (error) {
            if (request === this.loadRequest) {
                // Runs of this field already shown stay, marked stale; there is nothing to keep for a new field.
                this.isStale = this.runs !== undefined && this.runsScope === scope;
                if (!this.isStale) {
                    this.runs = undefined;
                }
                this.loadFailure = error;
            }
        }
    }

    /** Retry on a failed read: read again; once it works, focus goes to the newest run (Retry is gone then). */
    async handleRetryLoad(): Promise<void> {
        this.focusFirstRun = true;
        await this.load();
    }

    /** Retry on a failed undo reads the history again (never repeats the undo): the admin decides anew. */
    async handleRetryUndo(): Promise<void> {
        this.undoFailure = undefined;
        this.focusFirstRun = true;
        await this.load();
    }

    get isLoading(): boolean {
        return this.runs === undefined && this.loadFailure === undefined;
    }

    get isEmpty(): boolean {
        return this.runs !== undefined && this.runs.length === 0;
    }

    get hasRuns(): boolean {
        return this.runs !== undefined && this.runs.length > 0;
    }

    private get naming(): NamingContext {
        const labels = new Map((this.values ?? []).map((entry) => [entry.value, entry.label] as const));
        const names = this.fieldNames ?? {};
        return {
            valueLabel: (value) => labels.get(value) ?? value,
            otherMappings: this.otherMappings ?? [],
            fieldName: (object, field) => names[`${object}.${field}`] ?? `${object}.${field}`
        };
    }

    get rows(): HistoryRow[] {
        const naming = this.naming;
        return (this.runs ?? []).map((run) => {
            const counts = run.summary.counts;
            // Truthiness, not `!== null`: Apex may leave a null entry out of the map it returns.
            const undone = Boolean(run.undoneAt);
            const highlighted = run.id === this.highlightRunId;
            const blockedReason = undone ? '' : undoBlockedText(run, naming);
            const headerId = `run-${run.id}`;
            const reasonId = `undo-blocked-${run.id}`;
            const details = runDetails(run).map((text, index) => ({ key: String(index), text }));
            return {
                id: run.id,
                headerId,
                createdAt: run.createdAt,
                actor: run.actor.name,
                mapped: counts['map-existing'],
                created: counts['create-and-map'],
                skipped: countOf(counts, ...SKIP_KINDS),
                details,
                undone,
                undoneAt: run.undoneAt ?? '',
                undoneStatus: formatLabel(statusUndone, run.undoneBy?.name ?? ''),
                undoable: this.canUndo && !undone,
                blockedReason,
                reasonId,
                describedBy: blockedReason ? `${headerId} ${reasonId}` : headerId,
                undoDisabled: this.busy || this.isStale || blockedReason !== '',
                highlighted,
                rowClass: highlighted ? 'slds-hint-parent latest-run' : 'slds-hint-parent'
            };
        });
    }

    async handleUndo(event: Event): Promise<void> {
        const button = event.currentTarget;
        const runId = button instanceof HTMLElement ? button.dataset.runId : undefined;
        const run = this.runs?.find((candidate) => candidate.id === runId);
        if (!run) {
            return;
        }
        const words = undoWords(run);
        // A false positive: the Locker rule matches any .open(); this opens a Lightning dialog, not XHR or window.open.
        // eslint-disable-next-line @locker/locker/distorted-xml-http-request-window-open
        const confirmed = await LightningConfirm.open({
            label: words.title,
            message: words.confirm,
            theme: 'warning',
            variant: 'header'
        });
        if (!confirmed) {
            this.focusRunId = run.id;
            return;
        }
        this.busy = true;
        this.undoFailure = undefined;
        try {
            const result = await undoRun(run.id);
            Toast.show(
                {
                    label: undoneTitle,
                    message: words.done,
                    variant: 'success'
                },
                this
            );
            this.dispatchEvent(
                new CustomEvent('runundone', { detail: { runId: result.run.id, version: result.version } })
            );
            await this.load();
        } catch (error) {
            this.undoFailure = await this.explainRefusal(run.id, error);
        } finally {
            this.busy = false;
            this.focusRunId = run.id;
        }
    }

    /**
     * A refused undo, explained from the history read again: the run's blockers in names, never the service's
     * detail (which may hold ids). When the history knows no reason (the service is down), the error as it came.
     */
    private async explainRefusal(runId: string, error: unknown): Promise<unknown> {
        await this.load();
        const run = this.runs?.find((candidate) => candidate.id === runId);
        const sentences = run && !this.isStale ? undoBlockerSentences(run, this.naming) : [];
        return sentences.length > 0 ? sentences : error;
    }
}

/**
 * What Undo asks and then says: an auto-map deletes the stages it created and removes the mappings it made; a run of
 * drift fixes reverses each fix (and deletes the stages its new values got).
 */
function undoWords(run: RunSummary & RunFacts): { title: string; confirm: string; done: string } {
    const counts = run.summary.counts;
    const created = counts['create-and-map'];
    if (isDriftFix(run)) {
        const fixes = fixTotal(run);
        return {
            title: undoFixConfirmTitle,
            confirm: formatLabel(undoFixConfirmMessage, fixes, created),
            done: formatLabel(undoneFixMessage, fixes)
        };
    }
    const mappings = countOf(counts, 'map-existing', 'create-and-map');
    return {
        title: undoConfirmTitle,
        confirm: formatLabel(undoConfirmMessage, created, mappings),
        done: formatLabel(undoneMessage, created, mappings)
    };
}
