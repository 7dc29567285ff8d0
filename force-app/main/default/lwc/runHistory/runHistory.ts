import { LightningElement, api } from 'lwc';
import LightningConfirm from 'lightning/confirm';
import Toast from 'lightning/toast';
import { countOf, fetchRunHistory, undoRun } from 'c/stageAutoMapApi';
import type { RunSummary } from 'c/stageAutoMapApi';
import { SKIP_KINDS, formatLabel } from 'c/autoMapText';
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
import undoing from '@salesforce/label/c.AutoMap_History_Undoing';

interface HistoryRow {
    id: string;
    headerId: string;
    createdAt: string;
    actor: string;
    mapped: number;
    created: number;
    skipped: number;
    undone: boolean;
    undoneAt: string;
    undoneStatus: string;
    undoable: boolean;
    highlighted: boolean;
    rowClass: string;
}

/**
 * The auto-map runs of one scope, newest first: when, who, what each run did, and whether it was undone. With
 * `can-undo`, each run still in effect has an Undo button: the admin confirms (lightning/confirm), the service
 * undoes the run in one transaction or refuses saying why, and `runundone` tells the parent to reload its state.
 * Loads itself, so the panel and the wizard's result step show the same history the same way.
 */
export default class RunHistory extends LightningElement {
    /** Shows Undo buttons (the edit permission; the controller checks it again). */
    @api canUndo = false;
    /** A run to mark as "Latest run" (the one the wizard just applied). */
    @api highlightRunId = '';

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
        undoing
    };

    runs: RunSummary[] | undefined;
    loadFailure: unknown;
    undoFailure: unknown;
    busy = false;

    private object = '';
    private field = '';
    private connected = false;
    private loadScheduled = false;
    private loadRequest = 0;
    private focusRunId: string | undefined;

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
        this.loadFailure = undefined;
        try {
            const runs = await fetchRunHistory({ objectApiName: this.object, fieldApiName: this.field });
            if (request === this.loadRequest) {
                this.runs = runs;
            }
        } catch (error) {
            if (request === this.loadRequest) {
                this.runs = undefined;
                this.loadFailure = error;
            }
        }
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

    get rows(): HistoryRow[] {
        return (this.runs ?? []).map((run) => {
            const counts = run.summary.counts;
            // Truthiness, not `!== null`: Apex may leave a null entry out of the map it returns.
            const undone = Boolean(run.undoneAt);
            const highlighted = run.id === this.highlightRunId;
            return {
                id: run.id,
                headerId: `run-${run.id}`,
                createdAt: run.createdAt,
                actor: run.actor.name,
                mapped: counts['map-existing'],
                created: counts['create-and-map'],
                skipped: countOf(counts, ...SKIP_KINDS),
                undone,
                undoneAt: run.undoneAt ?? '',
                undoneStatus: formatLabel(statusUndone, run.undoneBy?.name ?? ''),
                undoable: this.canUndo && !undone,
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
        const counts = run.summary.counts;
        // A false positive: the Locker rule matches any .open(); this opens a Lightning dialog, not XHR or window.open.
        // eslint-disable-next-line @locker/locker/distorted-xml-http-request-window-open
        const confirmed = await LightningConfirm.open({
            label: undoConfirmTitle,
            message: formatLabel(
                undoConfirmMessage,
                counts['create-and-map'],
                countOf(counts, 'map-existing', 'create-and-map')
            ),
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
                    message: formatLabel(
                        undoneMessage,
                        counts['create-and-map'],
                        countOf(counts, 'map-existing', 'create-and-map')
                    ),
                    variant: 'success'
                },
                this
            );
            this.dispatchEvent(
                new CustomEvent('runundone', { detail: { runId: result.run.id, version: result.version } })
            );
            await this.load();
        } catch (error) {
            this.undoFailure = error;
        } finally {
            this.busy = false;
            this.focusRunId = run.id;
        }
    }
}
