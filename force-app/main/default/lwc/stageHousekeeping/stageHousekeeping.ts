import { LightningElement, api } from 'lwc';
import Toast from 'lightning/toast';
import { housekeepingReport } from 'c/autoMapEngine';
import type { HousekeepingReport } from 'c/autoMapEngine';
import { deleteStage, stagesById, toPlanInput, unmapValue } from 'c/stageAutoMapApi';
import type { Scope, ScopeState, ServiceValue, Stage } from 'c/stageAutoMapApi';
import { formatLabel, staleReasonLabel } from 'c/autoMapText';
import { readRunMadeMappings, runFieldsText, usesOfStage, usesText, useText } from './stageUses';
import type { FieldNames, StageUse } from './stageUses';
import allClear from '@salesforce/label/c.AutoMap_Housekeeping_AllClear';
import staleHeading from '@salesforce/label/c.AutoMap_Housekeeping_StaleHeading';
import staleHelp from '@salesforce/label/c.AutoMap_Housekeeping_StaleHelp';
import staleHelpReadOnly from '@salesforce/label/c.AutoMap_Housekeeping_StaleHelpReadOnly';
import unusedHeading from '@salesforce/label/c.AutoMap_Housekeeping_UnusedHeading';
import unusedHelp from '@salesforce/label/c.AutoMap_Housekeeping_UnusedHelp';
import unusedHelpReadOnly from '@salesforce/label/c.AutoMap_Housekeeping_UnusedHelpReadOnly';
import duplicatesHeading from '@salesforce/label/c.AutoMap_Housekeeping_DuplicatesHeading';
import duplicatesHelp from '@salesforce/label/c.AutoMap_Housekeeping_DuplicatesHelp';
import duplicatesHelpReadOnly from '@salesforce/label/c.AutoMap_Housekeeping_DuplicatesHelpReadOnly';
import duplicateGroup from '@salesforce/label/c.AutoMap_Housekeeping_DuplicateGroup';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnRecords from '@salesforce/label/c.AutoMap_Column_Records';
import columnProblem from '@salesforce/label/c.AutoMap_Column_Problem';
import columnActions from '@salesforce/label/c.AutoMap_Column_Actions';
import columnMappedTo from '@salesforce/label/c.AutoMap_Housekeeping_ColumnMappedTo';
import mappedNowhere from '@salesforce/label/c.AutoMap_Housekeeping_MappedNowhere';
import breaksUndo from '@salesforce/label/c.AutoMap_Housekeeping_BreaksUndo';
import removeLabel from '@salesforce/label/c.AutoMap_Mappings_Remove';
import removeAssistive from '@salesforce/label/c.AutoMap_Mappings_RemoveAssistive';
import removedToast from '@salesforce/label/c.AutoMap_Mappings_RemovedToast';
import deleteLabel from '@salesforce/label/c.AutoMap_Housekeeping_Delete';
import deleteAssistive from '@salesforce/label/c.AutoMap_Housekeeping_DeleteAssistive';
import deleteHeading from '@salesforce/label/c.AutoMap_Housekeeping_DeleteHeading';
import moveTo from '@salesforce/label/c.AutoMap_Housekeeping_MoveTo';
import movePlaceholder from '@salesforce/label/c.AutoMap_Housekeeping_MovePlaceholder';
import moveTargetMapped from '@salesforce/label/c.AutoMap_Housekeeping_MoveTargetMapped';
import noRecords from '@salesforce/label/c.AutoMap_Housekeeping_NoRecords';
import noTarget from '@salesforce/label/c.AutoMap_Housekeeping_NoTarget';
import removesMappings from '@salesforce/label/c.AutoMap_Housekeeping_RemovesMappings';
import removesNoMapping from '@salesforce/label/c.AutoMap_Housekeeping_RemovesNoMapping';
import deleteIsFinal from '@salesforce/label/c.AutoMap_Housekeeping_DeleteIsFinal';
import deleteConfirmButton from '@salesforce/label/c.AutoMap_Housekeeping_DeleteConfirmButton';
import cancel from '@salesforce/label/c.AutoMap_Button_Cancel';
import deletedToast from '@salesforce/label/c.AutoMap_Housekeeping_DeletedToast';
import deletedMovedToast from '@salesforce/label/c.AutoMap_Housekeeping_DeletedMovedToast';
import actionError from '@salesforce/label/c.AutoMap_Housekeeping_ActionError';
import working from '@salesforce/label/c.AutoMap_Housekeeping_Working';

/**
 * Reports by state object: getters run during render, where assigning a component field is not allowed, and a
 * new state from the service is a new object, so a stale entry is never read.
 */
const reportCache = new WeakMap<ScopeState, { values: ServiceValue[]; report: HousekeepingReport }>();

interface StaleRow {
    key: string;
    value: string;
    stage: string;
    problem: string;
    removeAssistive: string;
}

interface StageRow {
    key: string;
    id: string;
    name: string;
    records: number;
    /** Where the stage is mapped, e.g. `"Reached" in Contact Status`, or that no field maps it. */
    mappedTo: string;
    /** That deleting it stops the undo of a run ('' when it does not). */
    breaksUndo: string;
    deleteAssistive: string;
}

interface DuplicateGroup {
    key: string;
    heading: string;
    stages: StageRow[];
}

/** Which list a Delete came from: focus returns to that list's heading once the row is gone. */
type ListId = 'unused' | 'duplicates';

/**
 * The article's "stay on top of housekeeping" for one field, from the engine's `housekeepingReport`: mappings whose
 * value or stage is gone or inactive (remove them), stages no value of this field uses, and stages that share a name
 * (the cause of "Skipped: duplicate stages").
 *
 * Nothing is lost silently: every listed stage says where else it is mapped (field and value) and whether deleting
 * it stops the undo of an auto-map run. A stage is deleted from one inline confirmation that names every mapping the
 * delete removes and, when it has records, where they go (mapped stages first); the service moves the records and
 * deletes the stage in one transaction. `statechange` asks the panel to reload (with the new state when the call
 * returned one). With `stale`, the rows are from before a failed refresh and offer no action.
 */
export default class StageHousekeeping extends LightningElement {
    @api objectApiName = '';
    @api fieldApiName = '';
    /** Every active value of the field (master record type). */
    @api values: ServiceValue[] = [];
    /** Shows the Remove and Delete actions. */
    @api canEdit = false;
    /** The rows are from before a failed refresh: actions stay off until a refresh works. */
    @api stale = false;
    /** Field names as the page shows them, by `Object.Field` (the API names where none is given). */
    @api fieldNames: FieldNames = {};

    labels = {
        allClear,
        staleHeading,
        unusedHeading,
        duplicatesHeading,
        columnValue,
        columnStage,
        columnRecords,
        columnProblem,
        columnActions,
        columnMappedTo,
        removeLabel,
        deleteLabel,
        movePlaceholder,
        noRecords,
        noTarget,
        removesMappings,
        removesNoMapping,
        deleteIsFinal,
        deleteConfirmButton,
        cancel,
        actionError,
        working
    };

    /** The stage whose delete confirmation is open. */
    deletingStageId: string | undefined;
    moveTargetId = '';
    busy = false;
    actionFailure: unknown;
    /** What the last action did, shown above the lists (and announced). */
    statusMessage = '';
    /** Mappings of other fields that a run made (see `readRunMadeMappings`), for the state shown. */
    runMade: ReadonlySet<string> = new Set();
    private scopeState: ScopeState | undefined;
    private runMadeRequest = 0;
    private connected = false;
    private deletingFrom: ListId = 'unused';
    /** Where focus goes after the next render: the first of these that exists. */
    private focusSelectors: string[] = [];

    /** The scope's state from the service. */
    @api
    get state(): ScopeState | undefined {
        return this.scopeState;
    }
    set state(value: ScopeState | undefined) {
        this.scopeState = value;
        this.scheduleRunMadeRead();
    }

    override connectedCallback(): void {
        this.connected = true;
        this.scheduleRunMadeRead();
    }

    override disconnectedCallback(): void {
        this.connected = false;
    }

    override renderedCallback(): void {
        for (const selector of this.focusSelectors) {
            const target = this.template?.querySelector<HTMLElement>(selector);
            if (target) {
                target.focus();
                this.focusSelectors = [];
                return;
            }
        }
    }

    get helpTexts(): { stale: string; unused: string; duplicates: string } {
        return this.canEdit
            ? { stale: staleHelp, unused: unusedHelp, duplicates: duplicatesHelp }
            : { stale: staleHelpReadOnly, unused: unusedHelpReadOnly, duplicates: duplicatesHelpReadOnly };
    }

    private get scope(): Scope {
        return { objectApiName: this.objectApiName, fieldApiName: this.fieldApiName };
    }

    /** The engine's report, computed once per state and values (the getters below read it many times a render). */
    get report(): HousekeepingReport | undefined {
        const state = this.state;
        if (!state) {
            return undefined;
        }
        const cached = reportCache.get(state);
        if (cached && cached.values === this.values) {
            return cached.report;
        }
        const report = housekeepingReport(toPlanInput(this.scope, this.values, state));
        reportCache.set(state, { values: this.values, report });
        return report;
    }

    /**
     * Object, field, state and permission arrive one after the other: read once they are all set. Only an admin
     * who can delete needs to know which run a delete would stop; a read-only view reads nothing more.
     */
    private scheduleRunMadeRead(): void {
        const request = ++this.runMadeRequest;
        Promise.resolve()
            .then(async () => {
                const state = this.state;
                if (!this.connected || !this.canEdit || !state || request !== this.runMadeRequest) {
                    return;
                }
                const listed = new Set([
                    ...(this.report?.unusedStages ?? []).map((stage) => stage.id),
                    ...(this.report?.duplicateStages ?? []).flatMap((group) => group.stages.map((stage) => stage.id))
                ]);
                const made = await readRunMadeMappings(state, listed);
                if (request === this.runMadeRequest) {
                    this.runMade = made;
                }
            })
            .catch(() => undefined);
    }

    private usesOf(stageId: string): StageUse[] {
        return this.state ? usesOfStage(stageId, this.scope, this.state, this.values, this.runMade) : [];
    }

    /** `stages` is `stagesById(state)`, built once per list rather than once per row. */
    private stageRow(stages: Map<string, Stage>, id: string, fallbackName: string): StageRow {
        const stage = stages.get(id);
        const name = stage?.name ?? fallbackName;
        const uses = this.usesOf(id);
        const runFields = runFieldsText(uses, this.fieldNames);
        return {
            key: id,
            id,
            name,
            records: stage?.recordCount ?? 0,
            mappedTo: uses.length > 0 ? usesText(uses, this.fieldNames) : mappedNowhere,
            breaksUndo: runFields ? formatLabel(breaksUndo, runFields) : '',
            deleteAssistive: formatLabel(deleteAssistive, name)
        };
    }

    get staleRows(): StaleRow[] {
        const labels = new Map(this.values.map((entry) => [entry.value, entry.label] as const));
        return (this.report?.staleMappings ?? []).map((stale) => ({
            key: stale.value,
            value: stale.value,
            stage: stale.stageName ?? stale.stageId,
            problem: staleReasonLabel(stale.reason),
            removeAssistive: formatLabel(removeAssistive, labels.get(stale.value) ?? stale.value)
        }));
    }

    get unusedRows(): StageRow[] {
        const stages = stagesById(this.state);
        return (this.report?.unusedStages ?? []).map((stage) => this.stageRow(stages, stage.id, stage.name));
    }

    get duplicateGroups(): DuplicateGroup[] {
        const stages = stagesById(this.state);
        return (this.report?.duplicateStages ?? []).map((group) => ({
            key: group.key,
            heading: formatLabel(duplicateGroup, group.stages[0]?.name ?? group.key, group.stages.length),
            stages: group.stages.map((stage) => this.stageRow(stages, stage.id, stage.name))
        }));
    }

    get hasStale(): boolean {
        return this.staleRows.length > 0;
    }

    get hasUnused(): boolean {
        return this.unusedRows.length > 0;
    }

    get hasDuplicates(): boolean {
        return this.duplicateGroups.length > 0;
    }

    get isAllClear(): boolean {
        return this.state !== undefined && !this.hasStale && !this.hasUnused && !this.hasDuplicates;
    }

    /** Buttons are off while a call runs and on rows from before a failed refresh. */
    get actionsDisabled(): boolean {
        return this.busy || this.stale;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Delete a stage, moving its records: one inline confirmation
    // -----------------------------------------------------------------------------------------------------------

    get deletingStage(): Stage | undefined {
        return this.deletingStageId === undefined ? undefined : stagesById(this.state).get(this.deletingStageId);
    }

    get deleteHeadingText(): string {
        return formatLabel(deleteHeading, this.deletingStage?.name ?? '');
    }

    get moveToLabel(): string {
        return formatLabel(moveTo, this.deletingStage?.recordCount ?? 0);
    }

    get deletingHasRecords(): boolean {
        return (this.deletingStage?.recordCount ?? 0) > 0;
    }

    /** Every mapping the delete removes, in this field and in the others. */
    get removedMappings(): { key: string; text: string }[] {
        const id = this.deletingStageId;
        return id === undefined
            ? []
            : this.usesOf(id).map((use) => ({
                  key: `${use.object}.${use.field}.${use.value}`,
                  text: useText(use, this.fieldNames)
              }));
    }

    get hasRemovedMappings(): boolean {
        return this.removedMappings.length > 0;
    }

    get deleteBreaksUndo(): string {
        const id = this.deletingStageId;
        const runFields = id === undefined ? '' : runFieldsText(this.usesOf(id), this.fieldNames);
        return runFields ? formatLabel(breaksUndo, runFields) : '';
    }

    /**
     * Every other stage of the family can take the records. Mapped stages come first and are marked: records moved
     * there keep syncing. Mapped means held by an active value of this field, or by any value of another field.
     */
    get moveTargetOptions(): { label: string; value: string }[] {
        const deleting = this.deletingStageId;
        const active = new Set(this.values.map((entry) => entry.value));
        const mapped = new Set([
            ...(this.state?.mappings ?? [])
                .filter((mapping) => active.has(mapping.value))
                .map((mapping) => mapping.stageId),
            ...(this.state?.otherMappings ?? []).map((mapping) => mapping.stageId)
        ]);
        const byOrder = (a: Stage, b: Stage): number => a.displayOrder - b.displayOrder || a.name.localeCompare(b.name);
        const others = (this.state?.stages ?? []).filter((stage) => stage.id !== deleting).sort(byOrder);
        return [
            ...others
                .filter((stage) => mapped.has(stage.id))
                .map((stage) => ({ label: formatLabel(moveTargetMapped, stage.name), value: stage.id })),
            ...others.filter((stage) => !mapped.has(stage.id)).map((stage) => ({ label: stage.name, value: stage.id }))
        ];
    }

    get hasMoveTargets(): boolean {
        return this.moveTargetOptions.length > 0;
    }

    get deleteDisabled(): boolean {
        return this.actionsDisabled || (this.deletingHasRecords && !this.moveTargetId);
    }

    handleStartDelete(event: Event): void {
        const button = event.currentTarget;
        const stageId = button instanceof HTMLElement ? button.dataset.stageId : undefined;
        if (stageId === undefined) {
            return;
        }
        this.deletingStageId = stageId;
        this.deletingFrom =
            button instanceof HTMLElement && button.dataset.list === 'duplicates' ? 'duplicates' : 'unused';
        this.moveTargetId = '';
        this.actionFailure = undefined;
        this.statusMessage = '';
        this.focusSelectors = ['[data-id="delete-heading"]'];
    }

    handleMoveTargetChange(event: CustomEvent<{ value: string }>): void {
        this.moveTargetId = event.detail.value;
    }

    /** Escape closes the confirmation, like Cancel (the combobox closes its own list first and keeps the key). */
    handleDeleteKeydown(event: KeyboardEvent): void {
        if (event.key === 'Escape' && !this.busy) {
            event.stopPropagation();
            this.handleCancelDelete();
        }
    }

    handleCancelDelete(): void {
        const stageId = this.deletingStageId;
        this.deletingStageId = undefined;
        this.moveTargetId = '';
        this.focusSelectors =
            stageId === undefined ? [] : [`button[data-stage-id="${stageId}"][data-list="${this.deletingFrom}"]`];
    }

    async handleConfirmDelete(): Promise<void> {
        const stage = this.deletingStage;
        if (!stage || this.deleteDisabled) {
            return;
        }
        const target = this.deletingHasRecords ? stagesById(this.state).get(this.moveTargetId) : undefined;
        this.busy = true;
        this.actionFailure = undefined;
        try {
            const result = await deleteStage(stage.id, target?.id ?? null);
            this.statusMessage = target
                ? formatLabel(deletedMovedToast, result.deleted.name, result.movedRecords, target.name)
                : formatLabel(deletedToast, result.deleted.name);
            Toast.show({ label: this.statusMessage, variant: 'success' }, this);
            this.deletingStageId = undefined;
            this.moveTargetId = '';
            // The row is gone: focus goes to its list's heading, or to the status line when the list is gone too.
            this.focusSelectors = [`[data-id="${this.deletingFrom}-heading"]`, '[data-id="status"]'];
            this.dispatchEvent(new CustomEvent('statechange', { detail: {} }));
        } catch (error) {
            this.actionFailure = error;
        } finally {
            this.busy = false;
        }
    }

    /** Retry after a failed action asks the panel to read the state again; it never repeats the action itself. */
    handleRetry(): void {
        this.actionFailure = undefined;
        this.dispatchEvent(new CustomEvent('statechange', { detail: {} }));
    }

    // -----------------------------------------------------------------------------------------------------------
    // Remove a stale mapping
    // -----------------------------------------------------------------------------------------------------------

    async handleRemoveStale(event: Event): Promise<void> {
        const button = event.currentTarget;
        const value = button instanceof HTMLElement ? button.dataset.value : undefined;
        if (value === undefined || this.actionsDisabled) {
            return;
        }
        this.busy = true;
        this.actionFailure = undefined;
        try {
            const state = await unmapValue(this.scope, value);
            const label = this.values.find((entry) => entry.value === value)?.label ?? value;
            this.statusMessage = formatLabel(removedToast, label);
            Toast.show({ label: this.statusMessage, variant: 'success' }, this);
            this.focusSelectors = ['[data-id="stale-heading"]', '[data-id="status"]'];
            this.dispatchEvent(new CustomEvent('statechange', { detail: { state } }));
        } catch (error) {
            this.actionFailure = error;
        } finally {
            this.busy = false;
        }
    }
}
