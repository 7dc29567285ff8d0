import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, RecordTypeInfo, WireResult } from 'lightning/uiObjectInfoApi';
import fieldLabel from '@salesforce/label/c.AutoMap_RecordType_Label';
import help from '@salesforce/label/c.AutoMap_RecordType_Help';
import defaultSuffix from '@salesforce/label/c.AutoMap_RecordType_DefaultSuffix';

export interface RecordTypeOption {
    label: string;
    value: string;
}

/**
 * Lets the admin choose the record type whose picklist values an auto-map uses (a record type can offer a subset of
 * a field's values). Renders only when the object has more than one record type the admin can use; the default
 * record type is marked. `value` comes from the parent, which preselects the default record type.
 */
export default class RecordTypePicker extends LightningElement {
    /** API name of the object whose record types are listed. */
    @api objectApiName = '';
    /** Id of the selected record type. */
    @api value = '';
    /** Disables the combobox while the wizard is busy. */
    @api disabled = false;

    labels = { fieldLabel, help };

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    objectInfo: WireResult<ObjectInfo> = {};

    /** Available record types; the master one only when it is the only one (objects without record types). */
    get options(): RecordTypeOption[] {
        const info = this.objectInfo.data;
        if (!info) {
            return [];
        }
        const available = Object.values(info.recordTypeInfos).filter((recordType) => recordType.available);
        const usable: RecordTypeInfo[] = available.some((recordType) => !recordType.master)
            ? available.filter((recordType) => !recordType.master)
            : available;
        return usable
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((recordType) => ({
                label:
                    recordType.recordTypeId === info.defaultRecordTypeId
                        ? `${recordType.name} ${defaultSuffix}`
                        : recordType.name,
                value: recordType.recordTypeId
            }));
    }

    get hasChoice(): boolean {
        return this.options.length > 1;
    }

    handleChange(event: CustomEvent<{ value: string }>): void {
        this.dispatchEvent(new CustomEvent('recordtypechange', { detail: { recordTypeId: event.detail.value } }));
    }
}
