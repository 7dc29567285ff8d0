import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, WireResult } from 'lightning/uiObjectInfoApi';
import fieldLabel from '@salesforce/label/c.AutoMap_FieldPicker_Label';
import placeholder from '@salesforce/label/c.AutoMap_FieldPicker_Placeholder';
import unmappedSuffix from '@salesforce/label/c.AutoMap_FieldPicker_UnmappedSuffix';
import noPicklists from '@salesforce/label/c.AutoMap_FieldPicker_NoPicklists';

export interface FieldOption {
    label: string;
    value: string;
}

/**
 * Lets the admin choose which picklist field of an object to map. Reads the object's fields through the UI API
 * and lists only single-select picklists (the stage of a record is one value), unmapped fields first and marked,
 * because those are the ones an auto-map run will change.
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

    labels = { fieldLabel, placeholder, noPicklists };

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    objectInfo: WireResult<ObjectInfo> = {};

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
                label: mapped.has(field.apiName) ? field.label : `${field.label} ${unmappedSuffix}`,
                value: field.apiName
            }));
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
