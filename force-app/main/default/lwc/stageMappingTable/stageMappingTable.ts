import { LightningElement, api } from 'lwc';
import Toast from 'lightning/toast';
import { stageKey, stageNameFromLabel } from 'c/autoMapEngine';
import { mapValue, mapValueToNewStage, renameStage, stagesById, unmapValue } from 'c/stageAutoMapApi';
import type { Scope, ScopeState, ServiceValue, Stage } from 'c/stageAutoMapApi';
import { formatLabel } from 'c/autoMapText';
import { newStageNameProblem, renameProblem } from './stageNames';
import caption from '@salesforce/label/c.AutoMap_Mappings_Caption';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnLabel from '@salesforce/label/c.AutoMap_Column_Label';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnRecords from '@salesforce/label/c.AutoMap_Column_Records';
import columnSource from '@salesforce/label/c.AutoMap_Column_Source';
import columnActions from '@salesforce/label/c.AutoMap_Column_Actions';
import notMapped from '@salesforce/label/c.AutoMap_Mappings_NotMapped';
import stageMissing from '@salesforce/label/c.AutoMap_Mappings_StageMissing';
import valueMissing from '@salesforce/label/c.AutoMap_Mappings_ValueMissing';
import sourceAuto from '@salesforce/label/c.AutoMap_Mappings_SourceAuto';
import sourceManual from '@salesforce/label/c.AutoMap_Mappings_SourceManual';
import mappedCount from '@salesforce/label/c.AutoMap_Mappings_MappedCount';
import noValues from '@salesforce/label/c.AutoMap_Mappings_NoValues';
import removeLabel from '@salesforce/label/c.AutoMap_Mappings_Remove';
import removeAssistive from '@salesforce/label/c.AutoMap_Mappings_RemoveAssistive';
import removedToast from '@salesforce/label/c.AutoMap_Mappings_RemovedToast';
import mapHeading from '@salesforce/label/c.AutoMap_Mappings_MapHeading';
import mapHelp from '@salesforce/label/c.AutoMap_Mappings_MapHelp';
import valueField from '@salesforce/label/c.AutoMap_Mappings_ValueField';
import valuePlaceholder from '@salesforce/label/c.AutoMap_Mappings_ValuePlaceholder';
import stageField from '@salesforce/label/c.AutoMap_Mappings_StageField';
import stagePlaceholder from '@salesforce/label/c.AutoMap_Mappings_StagePlaceholder';
import stageOption from '@salesforce/label/c.AutoMap_Mappings_StageOption';
import mapButton from '@salesforce/label/c.AutoMap_Mappings_MapButton';
import mappedToast from '@salesforce/label/c.AutoMap_Mappings_MappedToast';
import allValuesMapped from '@salesforce/label/c.AutoMap_Mappings_AllValuesMapped';
import noFreeStages from '@salesforce/label/c.AutoMap_Mappings_NoFreeStages';
import noStages from '@salesforce/label/c.AutoMap_Mappings_NoStages';
import saveError from '@salesforce/label/c.AutoMap_Mappings_SaveError';
import saving from '@salesforce/label/c.AutoMap_Mappings_Saving';
import createAndMap from '@salesforce/label/c.AutoMap_Mappings_CreateAndMap';
import createAndMapAssistive from '@salesforce/label/c.AutoMap_Mappings_CreateAndMapAssistive';
import createHeading from '@salesforce/label/c.AutoMap_Mappings_CreateHeading';
import newStageName from '@salesforce/label/c.AutoMap_Mappings_NewStageName';
import createSubmit from '@salesforce/label/c.AutoMap_Mappings_CreateSubmit';
import createdToast from '@salesforce/label/c.AutoMap_Mappings_CreatedToast';
import createError from '@salesforce/label/c.AutoMap_Mappings_CreateError';
import renameLabel from '@salesforce/label/c.AutoMap_Mappings_Rename';
import renameAssistive from '@salesforce/label/c.AutoMap_Mappings_RenameAssistive';
import renameHeading from '@salesforce/label/c.AutoMap_Mappings_RenameHeading';
import renameField from '@salesforce/label/c.AutoMap_Mappings_RenameField';
import renameSubmit from '@salesforce/label/c.AutoMap_Mappings_RenameSubmit';
import renamedToast from '@salesforce/label/c.AutoMap_Mappings_RenamedToast';
import renameError from '@salesforce/label/c.AutoMap_Mappings_RenameError';
import cancel from '@salesforce/label/c.AutoMap_Button_Cancel';

/** The longest stage name the service takes (MAX_TEXT_LENGTH of the engine). */
const MAX_STAGE_NAME_LENGTH = 255;

interface MappingRow {
    key: string;
    value: string;
    label: string;
    mapped: boolean;
    stageId: string;
    stage: string;
    /** Records in the stage; undefined when the row has no stage. */
    records: number | undefined;
    source: string;
    /** A value of the field without a mapping: it can get a stage of its own. */
    canCreate: boolean;
    /** A mapping whose stage exists: its stage can be renamed. */
    canRename: boolean;
    removeAssistive: string;
    createAssistive: string;
    renameAssistive: string;
    rowClass: string;
    /** The inline panel (create or rename) is open under this row. */
    editing: boolean;
    editKey: string;
}

interface Option {
    label: string;
    value: string;
}

type EditMode = 'create' | 'rename';

/**
 * The current mappings of one field: every value with its label, its stage and how many records are in that stage.
 * With edit access: a form to map an unmapped value to a free stage, and per row the way forward: "Create a stage
 * and map" for a value without a mapping (one auto-map skipped included), "Rename stage" and "Remove" for a mapping.
 * Create and rename open an inline panel under the row with an editable name; a name whose key a stage of the
 * family has is refused before the service is called, naming that stage. Escape or Cancel closes the panel.
 *
 * The map form offers only unmapped values and stages no other value of this field holds, so 1:1 holds before the
 * service checks it again. After each change `statechange` carries the scope's new state to the panel (or asks it
 * to read the state again). With `stale`, the rows are from before a failed refresh and offer no action.
 */
export default class StageMappingTable extends LightningElement {
    @api objectApiName = '';
    @api fieldApiName = '';
    /** The scope's state from the service. */
    @api state: ScopeState | undefined;
    /** The field's active values (UI API), in picklist order. */
    @api values: ServiceValue[] = [];
    /** Shows the map form and the row actions. */
    @api canEdit = false;
    /** The rows are from before a failed refresh: actions stay off until a refresh works. */
    @api stale = false;

    labels = {
        caption,
        columnValue,
        columnLabel,
        columnStage,
        columnRecords,
        columnSource,
        columnActions,
        noValues,
        removeLabel,
        mapHeading,
        mapHelp,
        valueField,
        valuePlaceholder,
        stageField,
        stagePlaceholder,
        mapButton,
        allValuesMapped,
        noFreeStages,
        noStages,
        saveError,
        saving,
        createAndMap,
        renameLabel,
        cancel
    };

    selectedValue = '';
    selectedStageId = '';
    busy = false;
    saveFailure: unknown;
    /** The row whose inline panel is open, and what it does. */
    editValue: string | undefined;
    editMode: EditMode = 'create';
    editName = '';
    nameError = '';
    editFailure: unknown;
    /** Where focus goes after the next render: the first of these that exists. */
    private focusSelectors: string[] = [];

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

    get rows(): MappingRow[] {
        const stages = stagesById(this.state);
        const mappings = new Map((this.state?.mappings ?? []).map((mapping) => [mapping.value, mapping] as const));
        const known = new Set(this.values.map((entry) => entry.value));
        const rows = this.values.map((entry) =>
            this.row(entry.value, entry.label, true, mappings.get(entry.value), stages)
        );
        // Mappings whose value left the field stay visible (and removable) until someone tidies them up.
        for (const mapping of this.state?.mappings ?? []) {
            if (!known.has(mapping.value)) {
                rows.push(this.row(mapping.value, valueMissing, false, mapping, stages));
            }
        }
        return rows;
    }

    private row(
        value: string,
        label: string,
        inField: boolean,
        mapping: { stageId: string; source: 'manual' | 'auto' } | undefined,
        stages: Map<string, Stage>
    ): MappingRow {
        const stage = mapping ? stages.get(mapping.stageId) : undefined;
        const named = inField ? label : value;
        return {
            key: value,
            value,
            label,
            mapped: mapping !== undefined,
            stageId: stage?.id ?? '',
            stage: mapping ? (stage?.name ?? stageMissing) : notMapped,
            records: stage?.recordCount,
            source: mapping ? (mapping.source === 'auto' ? sourceAuto : sourceManual) : '',
            canCreate: mapping === undefined && inField,
            canRename: stage !== undefined,
            removeAssistive: formatLabel(removeAssistive, named),
            createAssistive: formatLabel(createAndMapAssistive, named),
            renameAssistive: formatLabel(renameAssistive, stage?.name ?? ''),
            rowClass: mapping ? 'slds-hint-parent' : 'slds-hint-parent unmapped-row',
            editing: value === this.editValue,
            editKey: `${value}\u0000edit`
        };
    }

    get hasRows(): boolean {
        return this.values.length > 0 || (this.state?.mappings.length ?? 0) > 0;
    }

    /** How many columns the inline panel spans. */
    get columnCount(): number {
        return this.canEdit ? 6 : 5;
    }

    get mappedSummary(): string {
        const known = new Set(this.values.map((entry) => entry.value));
        const mapped = (this.state?.mappings ?? []).filter((mapping) => known.has(mapping.value)).length;
        return formatLabel(mappedCount, mapped, this.values.length);
    }

    get valueOptions(): Option[] {
        const mapped = new Set((this.state?.mappings ?? []).map((mapping) => mapping.value));
        return this.values
            .filter((entry) => !mapped.has(entry.value))
            .map((entry) => ({
                label: entry.label === entry.value ? entry.label : `${entry.label} (${entry.value})`,
                value: entry.value
            }));
    }

    /** Stages no value of this field holds; names that share a key get their record count to tell them apart. */
    get stageOptions(): Option[] {
        const held = new Set((this.state?.mappings ?? []).map((mapping) => mapping.stageId));
        const free = (this.state?.stages ?? []).filter((stage) => !held.has(stage.id));
        const keyCounts = new Map<string, number>();
        for (const stage of this.state?.stages ?? []) {
            const key = stageKey(stage.name);
            keyCounts.set(key, (keyCounts.get(key) ?? 0) + 1);
        }
        return free
            .sort((a, b) => a.displayOrder - b.displayOrder || a.name.localeCompare(b.name))
            .map((stage) => ({
                label:
                    (keyCounts.get(stageKey(stage.name)) ?? 0) > 1
                        ? formatLabel(stageOption, stage.name, stage.recordCount)
                        : stage.name,
                value: stage.id
            }));
    }

    get hasValueOptions(): boolean {
        return this.valueOptions.length > 0;
    }

    get hasStageOptions(): boolean {
        return this.stageOptions.length > 0;
    }

    get canMap(): boolean {
        return this.hasValueOptions && this.hasStageOptions;
    }

    /** Unmapped values but no stage at all: "every stage is mapped" would not be true. */
    get hasNoStages(): boolean {
        return (this.state?.stages.length ?? 0) === 0;
    }

    /** Buttons are off while a call runs and on rows from before a failed refresh. */
    get actionsDisabled(): boolean {
        return this.busy || this.stale;
    }

    get mapDisabled(): boolean {
        return this.actionsDisabled || !this.selectedValue || !this.selectedStageId;
    }

    handleValueChange(event: CustomEvent<{ value: string }>): void {
        this.selectedValue = event.detail.value;
    }

    handleStageChange(event: CustomEvent<{ value: string }>): void {
        this.selectedStageId = event.detail.value;
    }

    async handleMap(): Promise<void> {
        const value = this.selectedValue;
        const stage = stagesById(this.state).get(this.selectedStageId);
        if (!value || !stage || this.actionsDisabled) {
            return;
        }
        await this.save(
            // The value's label now is recorded with the mapping: drift tells a later relabel from it.
            () => mapValue(this.scope, value, stage.id, this.labelOf(value)),
            () => {
                this.selectedValue = '';
                this.selectedStageId = '';
                return formatLabel(mappedToast, this.labelOf(value), stage.name);
            },
            [`th[data-value="${value}"]`]
        );
    }

    async handleRemove(event: Event): Promise<void> {
        const value = valueOf(event);
        if (value === undefined || this.actionsDisabled) {
            return;
        }
        // The row's next action is "Create a stage and map"; a row whose value left the field is gone.
        await this.save(
            () => unmapValue(this.scope, value),
            () => formatLabel(removedToast, this.labelOf(value)),
            [`button[data-action="create"][data-value="${value}"]`, '[data-id="summary"]']
        );
    }

    // -----------------------------------------------------------------------------------------------------------
    // The inline panel: create a stage and map, rename a stage
    // -----------------------------------------------------------------------------------------------------------

    get editHeading(): string {
        const row = this.editRow;
        if (!row) {
            return '';
        }
        return this.editMode === 'create'
            ? formatLabel(createHeading, row.label)
            : formatLabel(renameHeading, row.stage);
    }

    get editFieldLabel(): string {
        return this.editMode === 'create' ? newStageName : renameField;
    }

    get editSubmitLabel(): string {
        return this.editMode === 'create' ? createSubmit : renameSubmit;
    }

    get editErrorHeading(): string {
        return this.editMode === 'create' ? createError : renameError;
    }

    get maxNameLength(): number {
        return MAX_STAGE_NAME_LENGTH;
    }

    private get editRow(): MappingRow | undefined {
        return this.rows.find((row) => row.value === this.editValue);
    }

    handleStartCreate(event: Event): void {
        const value = valueOf(event);
        if (value === undefined) {
            return;
        }
        this.openEdit(value, 'create', stageNameFromLabel(this.labelOf(value)));
    }

    handleStartRename(event: Event): void {
        const value = valueOf(event);
        const row = this.rows.find((candidate) => candidate.value === value);
        if (value === undefined || !row?.canRename) {
            return;
        }
        this.openEdit(value, 'rename', row.stage);
    }

    private openEdit(value: string, mode: EditMode, name: string): void {
        this.editValue = value;
        this.editMode = mode;
        this.editName = name;
        this.nameError = '';
        this.editFailure = undefined;
        this.focusSelectors = ['[data-id="stage-name"]'];
    }

    handleNameChange(event: CustomEvent<{ value: string }>): void {
        this.editName = event.detail.value;
        this.nameError = '';
    }

    /** Enter submits, Escape closes (as Cancel): the panel is a small form of its own. */
    handleEditKeydown(event: KeyboardEvent): void {
        if (event.key === 'Escape' && !this.busy) {
            event.stopPropagation();
            this.handleCancelEdit();
        } else if (
            event.key === 'Enter' &&
            event.target instanceof HTMLElement &&
            event.target.dataset.id === 'stage-name'
        ) {
            event.preventDefault();
            this.handleSubmitEdit().catch(() => undefined);
        }
    }

    handleCancelEdit(): void {
        const value = this.editValue;
        const mode = this.editMode;
        this.closeEdit();
        if (value !== undefined) {
            this.focusSelectors = [`button[data-action="${mode}"][data-value="${value}"]`];
        }
    }

    private closeEdit(): void {
        this.editValue = undefined;
        this.editName = '';
        this.nameError = '';
        this.editFailure = undefined;
    }

    async handleSubmitEdit(): Promise<void> {
        const value = this.editValue;
        const state = this.state;
        if (value === undefined || !state || this.actionsDisabled) {
            return;
        }
        const name = stageNameFromLabel(this.editName);
        if (this.editMode === 'create') {
            this.nameError = newStageNameProblem(name, state, this.values);
            if (!this.nameError) {
                await this.createAndMap(value, name);
            }
            return;
        }
        const row = this.editRow;
        if (!row) {
            return;
        }
        this.nameError = renameProblem(row.stageId, name, state);
        if (this.nameError) {
            return;
        }
        if (name === row.stage) {
            // Nothing to change: close as Cancel would.
            this.handleCancelEdit();
            return;
        }
        await this.rename(value, row.stageId, row.stage, name);
    }

    private async createAndMap(value: string, name: string): Promise<void> {
        await this.edit(
            async () => {
                const state = await mapValueToNewStage(this.scope, value, name, this.labelOf(value));
                return { state };
            },
            formatLabel(createdToast, name, this.labelOf(value)),
            // The row is mapped now: its next action is Rename stage.
            [`button[data-action="rename"][data-value="${value}"]`, `th[data-value="${value}"]`]
        );
    }

    private async rename(value: string, stageId: string, oldName: string, name: string): Promise<void> {
        await this.edit(
            async () => {
                await renameStage(stageId, name);
                // The rename answers with the stage only: the panel reads the scope's state again.
                return {};
            },
            formatLabel(renamedToast, oldName, name),
            [`button[data-action="rename"][data-value="${value}"]`, `th[data-value="${value}"]`]
        );
    }

    /** One change from the inline panel: the call, the panel closed, the new state to the page, a toast, focus. */
    private async edit(call: () => Promise<{ state?: ScopeState }>, message: string, focus: string[]): Promise<void> {
        this.busy = true;
        this.editFailure = undefined;
        try {
            const detail = await call();
            this.closeEdit();
            this.dispatchEvent(new CustomEvent('statechange', { detail }));
            Toast.show({ label: message, variant: 'success' }, this);
            this.focusSelectors = focus;
        } catch (error) {
            this.editFailure = error;
        } finally {
            this.busy = false;
        }
    }

    /** Retry after a failed change asks the panel to read the state again; it never repeats the change itself. */
    handleRetry(): void {
        this.saveFailure = undefined;
        this.editFailure = undefined;
        this.dispatchEvent(new CustomEvent('statechange', { detail: {} }));
    }

    private get scope(): Scope {
        return { objectApiName: this.objectApiName, fieldApiName: this.fieldApiName };
    }

    private labelOf(value: string): string {
        return this.values.find((entry) => entry.value === value)?.label ?? value;
    }

    /** One save of the map form or a Remove: the call, the new state to the panel, a toast, focus. */
    private async save(call: () => Promise<ScopeState>, done: () => string, focus: string[]): Promise<void> {
        this.busy = true;
        this.saveFailure = undefined;
        try {
            const state = await call();
            const message = done();
            this.dispatchEvent(new CustomEvent('statechange', { detail: { state } }));
            Toast.show({ label: message, variant: 'success' }, this);
            this.focusSelectors = focus;
        } catch (error) {
            this.saveFailure = error;
        } finally {
            this.busy = false;
        }
    }
}

/** The value a row's button acts on (its `data-value`). */
function valueOf(event: Event): string | undefined {
    const button = event.currentTarget;
    return button instanceof HTMLElement ? button.dataset.value : undefined;
}
