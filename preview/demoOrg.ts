/**
 * The demo org the preview stands in for: its recorded UI API responses (preview/demo-org/*.json) serve the page's
 * wire adapters, and the same files answer the Apex stand-in's `Schema` describe (does the field exist, is it a
 * single-select picklist), so the page and the "server side" see one org.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_ORG_DIR = 'preview/demo-org';

/** `?scenario=large`: a Contact picklist with 1,000 values, for the bench and for trying a large field. */
export const LARGE_FIELD = 'Bench_Status__c';
export const LARGE_FIELD_LABEL = 'Bench Status (1,000 values)';
export const LARGE_FIELD_SIZE = 1000;
export const LARGE_FIELD_OBJECT = 'Contact';

interface RecordedObject {
    objectInfo: { apiName: string; fields: Record<string, { apiName: string; dataType: string }> };
}

export interface FieldDescribe {
    /** The field's API name in its canonical spelling. */
    name: string;
    dataType: string;
}

/** What `Schema.describeSObjects(...)` tells the Apex controller about the demo org's fields. */
export class DemoOrgSchema {
    private readonly fields = new Map<string, Map<string, FieldDescribe>>();

    constructor(root: string) {
        const dir = join(root, DEMO_ORG_DIR);
        for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
            const recorded = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedObject;
            const byName = new Map<string, FieldDescribe>();
            for (const field of Object.values(recorded.objectInfo.fields)) {
                byName.set(field.apiName.toLowerCase(), { name: field.apiName, dataType: field.dataType });
            }
            this.fields.set(recorded.objectInfo.apiName, byName);
        }
        this.fields
            .get(LARGE_FIELD_OBJECT)
            ?.set(LARGE_FIELD.toLowerCase(), { name: LARGE_FIELD, dataType: 'Picklist' });
    }

    /** The field, looked up case-insensitively like `fields.getMap().get(name)`; undefined when it doesn't exist. */
    describeField(objectApiName: string, fieldApiName: string): FieldDescribe | undefined {
        return this.fields.get(objectApiName)?.get(fieldApiName.toLowerCase());
    }
}
