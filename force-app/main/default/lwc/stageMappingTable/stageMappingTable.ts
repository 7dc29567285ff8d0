import { LightningElement, api } from 'lwc';
import Toast from 'lightning/toast';
import { stageKey } from 'c/autoMapEngine';
import { mapValue, stagesById, unmapValue } from 'c/stageAutoMapApi';
import type { ScopeState, ServiceValue, Stage } from 'c/stageAutoMapApi';
import { formatLabel } from 'c/autoMapText';
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
import saveError from '@salesforce/label/c.AutoMap_Mappings_SaveError';
import saving from '@salesforce/label/c.AutoMap_Mappings_Saving';

interface MappingRow {
    key: string;
    value: string;
    label: string;
    mapped: boolean;
    stage: string;
    records: string;
    source: string;
    removeAssistive: string;
    rowClass: string;
}

interface Option {
    label: string;
    value: string;
}

/**
 * The current mappings of one field: every value with its label, its stage and how many records are in that stage,
 * and (with edit access) a form to map an unmapped value to a free stage and a Remove button per mapping. The form
 * offers only unmapped values and stages no other value of this field holds, so 1:1 holds before the service checks
 * it again. After each change `statechange` carries the scope's new state to the panel.
 */
export default class StageMappingTable extends LightningElement {
    @api objectApiName = '';
    @api fieldApiName = '';
    /** The scope's state from the service. */
    @api state: ScopeState | undefined;
    /** The field's active values (UI API), in picklist order. */
    @api values: ServiceValue[] = [];
    /** Shows the map form and the Remove buttons. */
    @api canEdit = false;

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
        saveError,
        saving
    };

    selectedValue = '';
    selectedStageId = '';
    busy = false;
    saveFailure: unknown;
    private focusValue: string | undefined;

    override renderedCallback(): void {
        if (this.focusValue === undefined) {
            return;
        }
        const value = this.focusValue;
        const header = Array.from(this.template?.querySelectorAll<HTMLElement>('th[data-value]') ?? []).find(
            (element) => element.dataset.value === value
        );
        if (header) {
            header.focus();
            this.focusValue = undefined;
        }
    }

    get rows(): MappingRow[] {
        const stages = stagesById(this.state);
        const mappings = new Map((this.state?.mappings ?? []).map((mapping) => [mapping.value, mapping] as const));
        const known = new Set(this.values.map((entry) => entry.value));
        const rows = this.values.map((entry) => this.row(entry.value, entry.label, mappings.get(entry.value), stages));
        // Mappings whose value left the field stay visible (and removable) until someone tidies them up.
        for (const mapping of this.state?.mappings ?? []) {
            if (!known.has(mapping.value)) {
                rows.push(this.row(mapping.value, valueMissing, mapping, stages));
            }
        }
        return rows;
    }

    private row(
        value: string,
        label: string,
        mapping: { stageId: string; source: 'manual' | 'auto' } | undefined,
        stages: Map<string, Stage>
    ): MappingRow {
        const stage = mapping ? stages.get(mapping.stageId) : undefined;
        return {
            key: value,
            value,
            label,
            mapped: mapping !== undefined,
            stage: mapping ? (stage?.name ?? stageMissing) : notMapped,
            records: stage ? String(stage.recordCount) : '',
            source: mapping ? (mapping.source === 'auto' ? sourceAuto : sourceManual) : '',
            removeAssistive: formatLabel(removeAssistive, label === valueMissing ? value : label),
            rowClass: mapping ? 'slds-hint-parent' : 'slds-hint-parent unmapped-row'
        };
    }

    get hasRows(): boolean {
        return this.values.length > 0 || (this.state?.mappings.length ?? 0) > 0;
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

    get mapDisabled(): boolean {
        return this.busy || !this.selectedValue || !this.selectedStageId;
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
        if (!value || !stage) {
            return;
        }
        await this.save(
            value,
            () => mapValue(this.scope, value, stage.id),
            () => {
                this.selectedValue = '';
                this.selectedStageId = '';
                return formatLabel(mappedToast, this.labelOf(value), stage.name);
            }
        );
    }

    async handleRemove(event: Event): Promise<void> {
        const button = event.currentTarget;
        const value = button instanceof HTMLElement ? button.dataset.value : undefined;
        if (value === undefined) {
            return;
        }
        await this.save(
            value,
            () => unmapValue(this.scope, value),
            () => formatLabel(removedToast, this.labelOf(value))
        );
    }

    private get scope(): { objectApiName: string; fieldApiName: string } {
        return { objectApiName: this.objectApiName, fieldApiName: this.fieldApiName };
    }

    private labelOf(value: string): string {
        return this.values.find((entry) => entry.value === value)?.label ?? value;
    }

    /** One save: the call, the new state to the panel, a toast, and focus on the value's row. */
    private async save(value: string, call: () => Promise<ScopeState>, done: () => string): Promise<void> {
        this.busy = true;
        this.saveFailure = undefined;
        try {
            const state = await call();
            const message = done();
            this.dispatchEvent(new CustomEvent('statechange', { detail: { state } }));
            Toast.show({ label: message, variant: 'success' }, this);
            this.focusValue = value;
        } catch (error) {
            this.saveFailure = error;
        } finally {
            this.busy = false;
        }
    }
}
