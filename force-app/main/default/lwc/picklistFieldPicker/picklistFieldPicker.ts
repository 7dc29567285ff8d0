import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo, getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, PicklistValuesByRecordType, WireResult } from 'lightning/uiObjectInfoApi';
import { MASTER_RECORD_TYPE_ID, inSync, toServiceValues } from 'c/stageAutoMapApi';
import type { ScopeSummary } from 'c/stageAutoMapApi';
import fieldLabel from '@salesforce/label/c.AutoMap_FieldPicker_Label';
import placeholder from '@salesforce/label/c.AutoMap_FieldPicker_Placeholder';
import unmappedSuffix from '@salesforce/label/c.AutoMap_FieldPicker_UnmappedSuffix';
import noPicklists from '@salesforce/label/c.AutoMap_FieldPicker_NoPicklists';
import inSyncSuffix from '@salesforce/label/c.AutoMap_FieldPicker_InSyncSuffix';
import driftSuffix from '@salesforce/label/c.AutoMap_FieldPicker_DriftSuffix';

export interface FieldOption {
    label: string;
    value: string;
}

/**
 * Lets the admin choose which picklist field of an object to map. Reads the object's fields through the UI API
 * and lists only single-select picklists (the stage of a record is one value), unmapped fields first and marked,
 * because those are the ones an auto-map run will change.
 *
 * Given the object's mapped scopes (`scopes`, with their mapped values and recorded labels), each mapped field is
 * marked "in sync" or "changes since mapping": the engine's drift rules on the field's active values, read for every
 * field at once through the UI API (master record type; no callout). A mapped field whose values are unknown (not
 * in the answer, or the read failed) keeps its plain label: the mark is extra, never a reason to block the choice.
 */
export default class PicklistFieldPicker extends LightningElement {
    /** API name of the object whose picklist fields are listed (Contact, Lead or Account). */
    @api objectApiName = '';
    /** API name of the selected field. */
    @api value = '';
    /** Fields of this object that already have at least one mapping; listed after the unmapped ones. */
    @api mappedFields: string[] = [];
    /** Disables the combobox while the wizard is busy. */
    @api disabled = false;
    /**
     * The object's scopes with their mapped values and recorded labels (`fetchMappedFields`): given, mapped fields
     * are marked in sync or not. Without them (the wizard) nothing more is read.
     */
    @api scopes: ScopeSummary[] = [];

    labels = { fieldLabel, placeholder, noPicklists };

    masterRecordTypeId = MASTER_RECORD_TYPE_ID;

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    objectInfo: WireResult<ObjectInfo> = {};

    /** Every picklist's active values, read only when some scope lists its mappings to compare them with. */
    @wire(getPicklistValuesByRecordType, { objectApiName: '$syncObjectApiName', recordTypeId: '$masterRecordTypeId' })
    picklistValues: WireResult<PicklistValuesByRecordType> = {};

    /** The object, once there is a field to mark (an undefined parameter keeps the wire from asking). */
    get syncObjectApiName(): string | undefined {
        return this.scopes.some((scope) => scope.mappings !== undefined) ? this.objectApiName : undefined;
    }

    get loaded(): boolean {
        return this.objectInfo.data !== undefined;
    }

    get options(): FieldOption[] {
        const info = this.objectInfo.data;
        if (!info) {
            return [];
        }
        const mapped = new Set(this.mappedFields);
        return Object.values(info.fields)
            .filter((field) => field.dataType === 'Picklist')
            .sort((a, b) => {
                const byMapped = Number(mapped.has(a.apiName)) - Number(mapped.has(b.apiName));
                return byMapped !== 0 ? byMapped : a.label.localeCompare(b.label);
            })
            .map((field) => ({
                label: mapped.has(field.apiName)
                    ? this.markedLabel(field.apiName, field.label)
                    : `${field.label} ${unmappedSuffix}`,
                value: field.apiName
            }));
    }

    /** A mapped field's label with its sync mark, when its values and its mappings are both known. */
    private markedLabel(fieldApiName: string, label: string): string {
        const summary = this.scopes.find((scope) => scope.field === fieldApiName && scope.mappings !== undefined);
        const picklist = this.picklistValues.data?.picklistFieldValues[fieldApiName];
        if (!summary || !picklist) {
            return label;
        }
        return `${label} ${inSync(toServiceValues(picklist.values), summary) ? inSyncSuffix : driftSuffix}`;
    }

    get hasOptions(): boolean {
        return this.options.length > 0;
    }

    get error(): unknown {
        return this.objectInfo.error;
    }

    handleChange(event: CustomEvent<{ value: string }>): void {
        this.dispatchEvent(new CustomEvent('fieldchange', { detail: { fieldApiName: event.detail.value } }));
    }
}
