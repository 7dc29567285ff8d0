/**
 * `lightning/uiObjectInfoApi` for the preview: real wire adapters (the connect / update / disconnect protocol the
 * LWC engine drives) that serve a demo org's recorded UI API responses from preview/demo-org/*.json. Like Lightning
 * Data Service they answer asynchronously, deliver `{ data, error }`, deliver frozen data, stay silent while the
 * config is incomplete, and answer errors in the UI API's shape (`body: [{ errorCode, message }]`).
 *
 * The labels follow the session's language (`?lang=de`): the translated labels in demo-org/translations replace
 * the English ones, values (API names) never change - the same as a user with another language in an org.
 * `?scenario=large` adds Contact.Bench_Status__c with 1,000 values (the bench's scenario). `?picklist=changed`
 * changes the demo org's Lead Status as admins do after a first auto-map (see `changeLeadStatus`).
 *
 * The org is `@preview/org`'s: the demo org, or with `npm start -- --picklists FILE` the org built from the file
 * (its fields keep the file's labels in every language).
 */
import { largeScenario, translations } from '@preview/demo-org';
import { currentOrg, orgFailure, whenOrgReady } from '@preview/org';
import { currentLanguage, currentScenario, isPicklistChanged, latencyMs } from '@preview/session';

const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

function clone(value) {
    return JSON.parse(JSON.stringify(value));
}

function deepFreeze(value) {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const member of Object.values(value)) {
            deepFreeze(member);
        }
    }
    return value;
}

function uiApiError(status, statusText, errorCode, message) {
    return { ok: false, status, statusText, headers: {}, body: [{ errorCode, message }] };
}

function apiNameOf(value, member) {
    if (typeof value === 'string') {
        return value;
    }
    if (value && typeof value === 'object' && typeof value[member] === 'string') {
        return value[member];
    }
    return undefined;
}

/** `Lead.Status`, `{ objectApiName, fieldApiName }` (a schema import) → ['Lead', 'Status']. */
function splitFieldApiName(fieldApiName) {
    if (fieldApiName && typeof fieldApiName === 'object') {
        return [fieldApiName.objectApiName, fieldApiName.fieldApiName];
    }
    if (typeof fieldApiName !== 'string') {
        return [undefined, undefined];
    }
    const dot = fieldApiName.indexOf('.');
    return dot < 0 ? [undefined, fieldApiName] : [fieldApiName.slice(0, dot), fieldApiName.slice(dot + 1)];
}

/** 1,000 values like a large real org's custom status picklist: mixed words, a few duplicates of stage names. */
function largePicklist() {
    const words = ['Prospect', 'Qualified', 'Nurturing', 'Meeting', 'Demo', 'Trial', 'Negotiation', 'Renewal'];
    const values = [];
    for (let i = 1; i <= largeScenario.size; i += 1) {
        const label = `${words[i % words.length]} ${String(i).padStart(4, '0')}`;
        values.push({ attributes: null, label, validFor: [], value: `BS_${String(i).padStart(4, '0')}` });
    }
    return {
        controllerValues: {},
        defaultValue: null,
        eTag: `bench-status-${largeScenario.size}`,
        url: `/services/data/v66.0/ui-api/object-info/${largeScenario.object}/picklist-values/${MASTER_RECORD_TYPE_ID}/${largeScenario.field}`,
        values
    };
}

/**
 * The demo org's Lead Status some weeks after a first auto-map, one change of each kind drift knows. Like the UI API,
 * the answer lists only active values, so the deactivated value is simply absent (the page says "removed or
 * deactivated"). Values keep their places; the added value comes before the closed ones, as an admin would put it.
 */
const LEAD_STATUS_CHANGES = {
    renamed: { from: 'Working - Contacted', to: 'Working_Contacted' },
    relabelled: { value: 'Nurturing', label: { en_US: 'Nurture', de: 'Pflege' } },
    removed: 'Interested',
    deactivated: 'Meeting Booked',
    added: { value: 'Qualified', label: { en_US: 'Qualified', de: 'Qualifiziert' }, before: 'Closed - Converted' }
};

function changeLeadStatus(object) {
    const changes = LEAD_STATUS_CHANGES;
    const language = currentLanguage();
    for (const byRecordType of Object.values(object.picklistValuesByRecordType)) {
        const picklist = byRecordType.picklistFieldValues.Status;
        if (!picklist) {
            continue;
        }
        const values = [];
        for (const entry of picklist.values) {
            if (entry.value === changes.removed || entry.value === changes.deactivated) {
                continue;
            }
            if (entry.value === changes.added.before) {
                values.push({
                    attributes: { ...entry.attributes, converted: false },
                    label: changes.added.label[language] ?? changes.added.label.en_US,
                    validFor: [],
                    value: changes.added.value
                });
            }
            if (entry.value === changes.renamed.from) {
                values.push({ ...entry, value: changes.renamed.to });
            } else if (entry.value === changes.relabelled.value) {
                values.push({ ...entry, label: changes.relabelled.label[language] ?? changes.relabelled.label.en_US });
            } else {
                values.push(entry);
            }
        }
        picklist.values = values;
        picklist.eTag = `${picklist.eTag ?? 'status'}-changed`;
        if (picklist.defaultValue?.value === changes.renamed.from) {
            picklist.defaultValue = { ...picklist.defaultValue, value: changes.renamed.to };
        }
    }
}

/** The org as this session sees it: scenario fields added, labels translated (but a picklists file's). */
function demoObject(objectApiName) {
    const org = currentOrg();
    const recorded = org.objects[objectApiName];
    if (!recorded) {
        return undefined;
    }
    const object = clone(recorded);
    if (objectApiName === largeScenario.object && currentScenario() === 'large') {
        object.objectInfo.fields[largeScenario.field] = {
            ...clone(object.objectInfo.fields.Contact_Status__c),
            apiName: largeScenario.field,
            label: largeScenario.label
        };
        for (const byRecordType of Object.values(object.picklistValuesByRecordType)) {
            byRecordType.picklistFieldValues[largeScenario.field] = largePicklist();
        }
    }
    const translation = translations[currentLanguage()]?.objects?.[objectApiName];
    if (translation) {
        const fromFile = new Set(org.fileFields?.[objectApiName] ?? []);
        const info = object.objectInfo;
        info.label = translation.label ?? info.label;
        info.labelPlural = translation.labelPlural ?? info.labelPlural;
        for (const [field, label] of Object.entries(translation.fields ?? {})) {
            if (info.fields[field] && !fromFile.has(field)) {
                info.fields[field].label = label;
            }
        }
        for (const recordType of Object.values(info.recordTypeInfos)) {
            recordType.name = translation.recordTypes?.[recordType.name] ?? recordType.name;
        }
        for (const byRecordType of Object.values(object.picklistValuesByRecordType)) {
            for (const [field, picklist] of Object.entries(byRecordType.picklistFieldValues)) {
                if (fromFile.has(field)) {
                    continue;
                }
                const labels = translation.picklists?.[field] ?? {};
                for (const entry of [...picklist.values, picklist.defaultValue].filter(Boolean)) {
                    entry.label = labels[entry.value] ?? entry.label;
                }
            }
        }
    }
    if (objectApiName === 'Lead' && org.source === 'demo' && isPicklistChanged()) {
        changeLeadStatus(object);
    }
    return object;
}

function objectInfoResult(config) {
    const objectApiName = apiNameOf(config.objectApiName, 'objectApiName');
    if (!objectApiName) {
        return undefined;
    }
    const object = demoObject(objectApiName);
    return object
        ? { data: object.objectInfo, error: undefined }
        : {
              data: undefined,
              error: uiApiError(
                  400,
                  'Bad Request',
                  'INVALID_TYPE',
                  `Object ${objectApiName} is not supported in UI API`
              )
          };
}

function picklistValuesByRecordTypeResult(config) {
    const objectApiName = apiNameOf(config.objectApiName, 'objectApiName');
    const recordTypeId = config.recordTypeId;
    if (!objectApiName || !recordTypeId) {
        return undefined;
    }
    const object = demoObject(objectApiName);
    const byRecordType = object?.picklistValuesByRecordType[recordTypeId];
    return byRecordType
        ? { data: byRecordType, error: undefined }
        : {
              data: undefined,
              error: uiApiError(404, 'Not Found', 'NOT_FOUND', 'The requested resource does not exist')
          };
}

function picklistValuesResult(config) {
    const [objectApiName, fieldApiName] = splitFieldApiName(config.fieldApiName);
    const recordTypeId = config.recordTypeId;
    if (!objectApiName || !fieldApiName || !recordTypeId) {
        return undefined;
    }
    const object = demoObject(objectApiName);
    const byRecordType = object?.picklistValuesByRecordType[recordTypeId];
    if (!byRecordType) {
        return {
            data: undefined,
            error: uiApiError(404, 'Not Found', 'NOT_FOUND', 'The requested resource does not exist')
        };
    }
    const picklist = byRecordType.picklistFieldValues[fieldApiName];
    return picklist
        ? { data: picklist, error: undefined }
        : {
              data: undefined,
              error: uiApiError(
                  400,
                  'Bad Request',
                  'INVALID_FIELD',
                  `Field ${fieldApiName} of ${objectApiName} is not a picklist field available in UI API`
              )
          };
}

function objectInfosResult(config) {
    const names = config.objectApiNames;
    if (!Array.isArray(names) || names.length === 0) {
        return undefined;
    }
    const results = names.map((name) => {
        const result = objectInfoResult({ objectApiName: name });
        return result?.data
            ? { result: result.data, statusCode: 200 }
            : { result: result?.error?.body ?? [], statusCode: result?.error?.status ?? 400 };
    });
    return { data: { results }, error: undefined };
}

/** Every answer while the org of a picklists file could not be read from the preview server. */
function orgUnavailable(failure) {
    return {
        data: undefined,
        error: uiApiError(
            503,
            'Service Unavailable',
            'PREVIEW_ORG_UNAVAILABLE',
            `The preview could not read the org of your picklists file (${failure}); is npm start still running?`
        )
    };
}

/** A wire adapter class per UI API resource; each instance serves one `@wire`. */
function demoAdapter(resolve) {
    return class DemoOrgAdapter {
        constructor(dataCallback) {
            this.dataCallback = dataCallback;
            this.connected = false;
            this.config = undefined;
            this.generation = 0;
        }

        connect() {
            this.connected = true;
            this.deliver();
        }

        update(config) {
            this.config = config;
            this.deliver();
        }

        disconnect() {
            this.connected = false;
            this.generation += 1;
        }

        deliver() {
            // The demo org answers at once (as before); an org served for a picklists file once it has loaded.
            whenOrgReady(() => {
                if (!this.connected || !this.config) {
                    return;
                }
                const failure = orgFailure();
                const result = failure ? orgUnavailable(failure) : resolve(this.config);
                if (result === undefined) {
                    return;
                }
                const generation = ++this.generation;
                const frozen = { data: deepFreeze(result.data), error: deepFreeze(result.error) };
                // Asynchronous like Lightning Data Service: never inside connect() or update().
                setTimeout(() => {
                    if (this.connected && generation === this.generation) {
                        this.dataCallback(frozen);
                    }
                }, latencyMs());
            });
        }
    };
}

export const getObjectInfo = demoAdapter(objectInfoResult);
export const getObjectInfos = demoAdapter(objectInfosResult);
export const getPicklistValues = demoAdapter(picklistValuesResult);
export const getPicklistValuesByRecordType = demoAdapter(picklistValuesByRecordTypeResult);
