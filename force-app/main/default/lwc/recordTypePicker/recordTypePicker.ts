import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, WireResult } from 'lightning/uiObjectInfoApi';
import { MASTER_RECORD_TYPE_ID } from 'c/stageAutoMapApi';
import fieldLabel from '@salesforce/label/c.AutoMap_RecordType_Label';
import help from '@salesforce/label/c.AutoMap_RecordType_Help';
import allRecordTypes from '@salesforce/label/c.AutoMap_RecordType_All';
import defaultSuffix from '@salesforce/label/c.AutoMap_RecordType_DefaultSuffix';

export interface RecordTypeOption {
    label: string;
    value: string;
}

/**
 * Lets the admin narrow an auto-map to the values one record type offers. The first choice, and the wizard's
 * default, is "All record types": the master record type, whose picklist values are every active value of the field
 * (a record type offers a subset), so no value is left out by default. Then the object's available record types, the
 * default one marked. Renders only when the object has record types of its own: without them there is nothing to
 * narrow to.
 */
export default class RecordTypePicker extends LightningElement {
    /** API name of the object whose record types are listed. */
    @api objectApiName = '';
    /** Id of the selected record type: the master record type id for "All record types". */
    @api value = MASTER_RECORD_TYPE_ID;
    /** Disables the combobox while the wizard is busy. */
    @api disabled = false;

    labels = { fieldLabel, help };

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    objectInfo: WireResult<ObjectInfo> = {};

    /** "All record types", then the available record types other than the master one, alphabetically. */
    get options(): RecordTypeOption[] {
        const info = this.objectInfo.data;
        if (!info) {
            return [];
        }
        const recordTypes = Object.values(info.recordTypeInfos)
            .filter((recordType) => recordType.available && !recordType.master)
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((recordType) => ({
                label:
                    recordType.recordTypeId === info.defaultRecordTypeId
                        ? `${recordType.name} ${defaultSuffix}`
                        : recordType.name,
                value: recordType.recordTypeId
            }));
        return [{ label: allRecordTypes, value: MASTER_RECORD_TYPE_ID }, ...recordTypes];
    }

    get hasChoice(): boolean {
        return this.options.length > 1;
    }

    handleChange(event: CustomEvent<{ value: string }>): void {
        this.dispatchEvent(new CustomEvent('recordtypechange', { detail: { recordTypeId: event.detail.value } }));
    }
}
