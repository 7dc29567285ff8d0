/**
 * The demo org the preview stands in for: its recorded UI API responses (preview/demo-org/*.json) serve the page's
 * wire adapters, and the same files answer the Apex stand-in's `Schema` describe (does the field exist, is it a
 * single-select picklist), so the page and the "server side" see one org. With `npm start -- --picklists FILE` the
 * org is built from these objects and the file (preview/picklists.ts), and both sides read that one instead.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_ORG_DIR = 'preview/demo-org';

/** `?scenario=large`: a Contact picklist with 1,000 values, for the bench and for trying a large field. */
export const LARGE_FIELD = 'Bench_Status__c';
export const LARGE_FIELD_LABEL = 'Bench Status (1,000 values)';
export const LARGE_FIELD_SIZE = 1000;
export const LARGE_FIELD_OBJECT = 'Contact';

/** A field of a UI API object info, as far as the preview reads it; the rest of the recorded answer is kept. */
export interface UiFieldInfo {
    apiName: string;
    dataType: string;
    label: string;
    custom?: boolean;
    [member: string]: unknown;
}

/** A record type of a UI API object info. */
export interface UiRecordTypeInfo {
    available: boolean;
    defaultRecordTypeMapping: boolean;
    master: boolean;
    name: string;
    recordTypeId: string;
}

/** One value of a UI API Picklist Values answer. */
export interface UiPicklistValue {
    attributes: unknown;
    label: string;
    validFor: unknown[];
    value: string;
}

/** A UI API Picklist Values answer. */
export interface UiPicklistValues {
    controllerValues: Record<string, number>;
    defaultValue: UiPicklistValue | null;
    eTag?: string;
    url: string;
    values: UiPicklistValue[];
}

/** One object of the org in UI API response shape: its object info and its picklists per record type. */
export interface RecordedObject {
    objectInfo: {
        apiName: string;
        defaultRecordTypeId: string;
        fields: Record<string, UiFieldInfo>;
        recordTypeInfos: Record<string, UiRecordTypeInfo>;
        [member: string]: unknown;
    };
    picklistValuesByRecordType: Record<
        string,
        { eTag?: string; picklistFieldValues: Record<string, UiPicklistValues>; [member: string]: unknown }
    >;
}

/** The objects of an org by API name. */
export type RecordedObjects = Record<string, RecordedObject>;

/** The recorded demo org (preview/demo-org/<Object>.json), by object API name. */
export function readDemoObjects(root: string): RecordedObjects {
    const dir = join(root, DEMO_ORG_DIR);
    const objects: RecordedObjects = {};
    for (const file of readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort()) {
        objects[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedObject;
    }
    return objects;
}

export interface FieldDescribe {
    /** The field's API name in its canonical spelling. */
    name: string;
    dataType: string;
}

/**
 * What `Schema.describeSObjects(...)` tells the Apex controller about the org's fields: the demo org's, or the
 * objects of an org built from a picklists file (preview/picklists.ts), the same objects the page's UI API reads.
 */
export class DemoOrgSchema {
    private readonly fields = new Map<string, Map<string, FieldDescribe>>();

    /** @param source the repository root (the recorded demo org), or the org's objects */
    constructor(source: string | Readonly<RecordedObjects>) {
        const objects = typeof source === 'string' ? readDemoObjects(source) : source;
        for (const recorded of Object.values(objects)) {
            const byName = new Map<string, FieldDescribe>();
            for (const field of Object.values(recorded.objectInfo.fields)) {
                byName.set(field.apiName.toLowerCase(), { name: field.apiName, dataType: field.dataType });
            }
            this.fields.set(recorded.objectInfo.apiName, byName);
        }
        const large = this.fields.get(LARGE_FIELD_OBJECT);
        if (large !== undefined && !large.has(LARGE_FIELD.toLowerCase())) {
            large.set(LARGE_FIELD.toLowerCase(), { name: LARGE_FIELD, dataType: 'Picklist' });
        }
    }

    /** The field, looked up case-insensitively like `fields.getMap().get(name)`; undefined when it doesn't exist. */
    describeField(objectApiName: string, fieldApiName: string): FieldDescribe | undefined {
        return this.fields.get(objectApiName)?.get(fieldApiName.toLowerCase());
    }
}
