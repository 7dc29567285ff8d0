/**
 * Reads one picklist scope through the UI API REST resources, the same data the wizard's `getObjectInfo` and
 * `getPicklistValues` wire adapters deliver:
 *
 *   GET /ui-api/object-info/{object}                                          → the field, its type, record types
 *   GET /ui-api/object-info/{object}/picklist-values/{recordTypeId}/{field}   → the active values, in order
 */
import type { PicklistValueInput } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { CommandFailure } from '../errors.ts';
import { SalesforceNotFound } from './salesforce.ts';
import type { SalesforceOrg } from './salesforce.ts';

/** The master record type: what an object without record types uses. */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

/** How many other picklist fields an error message names. */
const MAX_FIELDS_LISTED = 12;

export interface PicklistScope {
    /** The org's spelling of the object and the field. */
    object: string;
    field: string;
    fieldLabel: string;
    recordTypeId: string;
    recordTypeName?: string;
    /** In picklist order; the UI API lists the active values available to the record type. */
    values: PicklistValueInput[];
}

interface FieldInfo {
    apiName?: unknown;
    dataType?: unknown;
    label?: unknown;
}

interface RecordTypeInfo {
    name?: unknown;
    recordTypeId?: unknown;
    master?: unknown;
}

interface ObjectInfo {
    apiName?: unknown;
    fields?: Record<string, FieldInfo>;
    defaultRecordTypeId?: unknown;
    recordTypeInfos?: Record<string, RecordTypeInfo>;
}

/**
 * The scope's field (checked: it exists and is a single-select picklist), its record type and its values.
 *
 * @param recordTypeId `--record-type`, 15 or 18 characters; else the object's default record type
 * @throws CommandFailure naming what is missing or wrong
 */
export async function readPicklistScope(
    org: SalesforceOrg,
    object: string,
    field: string,
    recordTypeId?: string
): Promise<PicklistScope> {
    const info = await readObjectInfo(org, object);
    const fields = info.fields ?? {};
    const objectName = typeof info.apiName === 'string' ? info.apiName : object;
    const key = Object.keys(fields).find((name) => name.toLowerCase() === field.toLowerCase());
    const fieldInfo = key === undefined ? undefined : fields[key];
    if (key === undefined || !fieldInfo) {
        throw new CommandFailure(
            `${objectName} has no field "${field}" (or your user cannot see it); ${picklistFieldsText(objectName, fields)}`
        );
    }
    const fieldName = typeof fieldInfo.apiName === 'string' ? fieldInfo.apiName : key;
    const dataType = typeof fieldInfo.dataType === 'string' ? fieldInfo.dataType : 'unknown';
    if (dataType === 'MultiPicklist') {
        throw new CommandFailure(
            `${objectName}.${fieldName} is a multi-select picklist (MultiPicklist); Stage AutoMap maps single-select picklists only`
        );
    }
    if (dataType !== 'Picklist') {
        throw new CommandFailure(
            `${objectName}.${fieldName} is not a picklist (its type is ${dataType}); ${picklistFieldsText(objectName, fields)}`
        );
    }
    const recordType = chooseRecordType(objectName, info, recordTypeId);
    let picklist: unknown;
    try {
        picklist = await org.get<unknown>(
            `/ui-api/object-info/${objectName}/picklist-values/${recordType.id}/${fieldName}`,
            `the values of ${objectName}.${fieldName}`
        );
    } catch (error) {
        if (error instanceof SalesforceNotFound) {
            throw new CommandFailure(
                `the org has no picklist values for ${objectName}.${fieldName} with record type ${recordType.id} (404 NOT_FOUND from the UI API)`
            );
        }
        throw error;
    }
    return {
        object: objectName,
        field: fieldName,
        fieldLabel: typeof fieldInfo.label === 'string' ? fieldInfo.label : fieldName,
        recordTypeId: recordType.id,
        ...(recordType.name === undefined ? {} : { recordTypeName: recordType.name }),
        values: readValues(objectName, fieldName, picklist)
    };
}

async function readObjectInfo(org: SalesforceOrg, object: string): Promise<ObjectInfo> {
    let info: unknown;
    try {
        info = await org.get<unknown>(`/ui-api/object-info/${object}`, `the object info of ${object}`);
    } catch (error) {
        if (error instanceof SalesforceNotFound) {
            throw new CommandFailure(
                `the org has no object ${object}, or your user cannot see it (404 NOT_FOUND from the UI API)`
            );
        }
        throw error;
    }
    const fields = isRecord(info) ? info.fields : undefined;
    if (!isRecord(info) || !isRecord(fields)) {
        throw new CommandFailure(`the org's object info of ${object} has no fields: not a UI API answer`);
    }
    return info;
}

function picklistFieldsText(object: string, fields: Record<string, FieldInfo>): string {
    const names = Object.entries(fields)
        .filter(([, info]) => info.dataType === 'Picklist')
        .map(([name, info]) => (typeof info.apiName === 'string' ? info.apiName : name))
        .sort((a, b) => a.localeCompare(b));
    if (names.length === 0) {
        return `${object} has no picklist field you can see`;
    }
    const listed = names.slice(0, MAX_FIELDS_LISTED).join(', ');
    return `picklist fields of ${object}: ${listed}${names.length > MAX_FIELDS_LISTED ? ', …' : ''}`;
}

function chooseRecordType(object: string, info: ObjectInfo, wanted?: string): { id: string; name?: string } {
    const infos = info.recordTypeInfos ?? {};
    const nameOf = (id: string): string | undefined => {
        const name = infos[id]?.name;
        return typeof name === 'string' ? name : undefined;
    };
    const withName = (id: string): { id: string; name?: string } => {
        const name = nameOf(id);
        return name === undefined ? { id } : { id, name };
    };
    if (wanted === undefined) {
        const fallback =
            typeof info.defaultRecordTypeId === 'string' ? info.defaultRecordTypeId : MASTER_RECORD_TYPE_ID;
        return withName(fallback);
    }
    // Ids are case-sensitive; the 18-character form only adds a checksum to the 15-character one.
    const match = Object.keys(infos).find((id) => id === wanted || id.slice(0, 15) === wanted);
    if (match !== undefined) {
        return withName(match);
    }
    if (wanted.slice(0, 15) === MASTER_RECORD_TYPE_ID.slice(0, 15)) {
        return { id: MASTER_RECORD_TYPE_ID, name: 'Master' };
    }
    const known = Object.keys(infos)
        .map((id) => `${nameOf(id) ?? '?'} (${id})`)
        .join(', ');
    throw new CommandFailure(
        `${object} has no record type ${wanted} available to your user; ${known ? `its record types: ${known}` : 'it has no record types (leave --record-type out)'}`
    );
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readValues(object: string, field: string, picklist: unknown): PicklistValueInput[] {
    const values = isRecord(picklist) ? picklist.values : undefined;
    if (!Array.isArray(values)) {
        throw new CommandFailure(
            `the org's picklist values of ${object}.${field} have no values list: not a UI API answer`
        );
    }
    return values.map((entry, index) => {
        if (!isRecord(entry) || typeof entry.value !== 'string' || entry.value === '') {
            throw new CommandFailure(`the org's picklist values of ${object}.${field}: values[${index}] has no value`);
        }
        const label = typeof entry.label === 'string' && entry.label.trim() !== '' ? entry.label : entry.value;
        return { value: entry.value, label, active: true };
    });
}
