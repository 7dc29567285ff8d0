/**
 * `npm start -- --picklists FILE`: the local preview on an admin's own picklists instead of the demo org's.
 *
 * FILE is the CLI's scenario format (one scenario or an array; what `automap export` writes), read and checked by
 * the CLI's file mode (cli/input-file.ts, the engine's validation), so a file the CLI refuses is refused here with
 * the same message. From it comes ONE org that the page's UI API stub and the Apex stand-in's `Schema` describe both
 * read: the demo org's objects, where each scope of the file is a single-select picklist field of its object (a
 * same-named demo field is replaced), every value under every record type of the object (the master record type and
 * the default one included), labels as given, and inactive values left out, since the UI API lists active values
 * only. The file's stages and mappings seed a team of its own in the embedded stage service (see
 * {@link seedPicklistsTeam}); without them the scopes start empty.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { stageKey, familyOf } from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { Family, PlanInput } from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { CliInputError } from '../cli/errors.ts';
import { readScenarioFile } from '../cli/input-file.ts';
import type { Actor, Store } from '../service/src/index.ts';
import type { RecordedObject, RecordedObjects, UiFieldInfo, UiPicklistValues } from './demoOrg.ts';

export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';
/** What the Apex controller accepts as a field name (StageAutoMapController.FIELD_NAME). */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const SEED_ACTOR: Actor = { id: 'preview-picklists', name: 'Picklists file' };

/** One scope of the file, in the org's spelling. */
export interface PicklistsScope {
    object: string;
    field: string;
    family: Family;
    /** The field's label on the page: the demo field's it replaces, else one made from the API name. */
    fieldLabel: string;
    /** True when a demo field of the same name was replaced. */
    replacesDemoField: boolean;
    /** Active values, in the file's order: what the UI API returns. */
    values: { value: string; label: string }[];
    /** Values with `active: false`: left out of the UI API, named in the start banner. */
    inactive: string[];
    mappings: { value: string; stageId: string }[];
}

/** A file's stage, once per family and id. */
export interface PicklistsStage {
    family: Family;
    id: string;
    name: string;
}

/** A checked picklists file. */
export interface PicklistsFile {
    /** The path as given. */
    path: string;
    /** A hash of what the file holds (not of its formatting): names the stage service's data for it. */
    hash: string;
    scopes: PicklistsScope[];
    stages: PicklistsStage[];
}

/** What the page and the Apex stand-in read: the org's objects and, for a file, what the preview tells about it. */
export interface PreviewOrg {
    source: 'demo' | 'file';
    /** The file's name (file mode). */
    file?: string;
    objects: RecordedObjects;
    /** Per object, the fields the file defines: their labels are the file's, never translated. */
    fileFields: Record<string, string[]>;
    /** The tab and field the page opens on (file mode: the file's first scope). */
    focus?: { object: string; field: string };
    scopes: PicklistsScope[];
}

/**
 * Reads and checks a picklists file: the CLI's checks first (same messages), then what the preview needs to build
 * one org and one stage service from it.
 *
 * @param demo the demo org's objects, for the spelling of fields the file replaces
 * @throws CliInputError `<file>: <where>: <problem>`
 */
export function readPicklistsFile(path: string, demo: Readonly<RecordedObjects>): PicklistsFile {
    const file = readScenarioFile(path, '--picklists');
    const where = (index: number, member: string): string => (file.isArray ? `scenario[${index}].${member}` : member);
    const fail = (at: string, problem: string): CliInputError => new CliInputError(`${path}: ${at}: ${problem}`);
    const scopes: PicklistsScope[] = [];
    const stages: PicklistsStage[] = [];
    const scopeAt = new Map<string, number>();
    const stageById = new Map<string, { stage: PicklistsStage; at: string }>();
    const stageByKey = new Map<string, { stage: PicklistsStage; at: string }>();
    file.scenarios.forEach(({ input }, index) => {
        if (!FIELD_NAME.test(input.field)) {
            throw fail(
                where(index, 'field'),
                `${JSON.stringify(input.field)} is not a field API name (a letter, then letters, digits or _), which the setup page needs`
            );
        }
        const family = familyOf(input.object);
        if (family === undefined) {
            throw fail(where(index, 'object'), `${JSON.stringify(input.object)} is not supported`);
        }
        const demoField = findField(demo[input.object], input.field);
        const field = demoField?.apiName ?? input.field;
        const scopeKey = `${input.object}.${field.toLowerCase()}`;
        const earlier = scopeAt.get(scopeKey);
        if (earlier !== undefined) {
            throw fail(
                where(index, 'field'),
                `${input.object}.${field} is already scenario[${earlier}]; give each field once`
            );
        }
        scopeAt.set(scopeKey, index);
        input.stages.forEach((stage, stageIndex) => {
            const at = where(index, `stages[${stageIndex}]`);
            const sameId = stageById.get(`${family}\0${stage.id}`);
            if (sameId !== undefined) {
                if (sameId.stage.name !== stage.name) {
                    throw fail(
                        `${at}.name`,
                        `stage ${JSON.stringify(stage.id)} is named ${JSON.stringify(sameId.stage.name)} at ${sameId.at}; one stage has one name`
                    );
                }
                return;
            }
            const key = `${family}\0${stageKey(stage.name)}`;
            const sameName = stageByKey.get(key);
            if (sameName !== undefined) {
                throw fail(
                    `${at}.name`,
                    `the ${family} stages ${JSON.stringify(sameName.stage.name)} (${sameName.at}) and ${JSON.stringify(stage.name)} have the same name; the stage service keeps one stage per name in a family`
                );
            }
            const entry = { stage: { family, id: stage.id, name: stage.name }, at };
            stageById.set(`${family}\0${stage.id}`, entry);
            stageByKey.set(key, entry);
            stages.push(entry.stage);
        });
        scopes.push({
            object: input.object,
            field,
            family,
            fieldLabel: demoField?.label ?? labelFromApiName(field),
            replacesDemoField: demoField !== undefined,
            values: input.values
                .filter((value) => value.active !== false)
                .map((value) => ({ value: value.value, label: value.label ?? value.value })),
            inactive: input.values.filter((value) => value.active === false).map((value) => value.value),
            mappings: input.mappings
        });
    });
    // Mappings last: a stage may be listed by another scope of the same family.
    file.scenarios.forEach(({ input }, index) => {
        const family = familyOf(input.object) as Family;
        input.mappings.forEach((mapping, mappingIndex) => {
            if (!stageById.has(`${family}\0${mapping.stageId}`)) {
                throw fail(
                    where(index, `mappings[${mappingIndex}].stageId`),
                    `stage ${JSON.stringify(mapping.stageId)} is not among the file's ${family} stages; the preview creates the mapped stages from "stages"`
                );
            }
        });
    });
    return { path, hash: contentHash(file.scenarios.map((scenario) => scenario.input)), scopes, stages };
}

function contentHash(inputs: readonly PlanInput[]): string {
    return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12);
}

function findField(object: RecordedObject | undefined, field: string): UiFieldInfo | undefined {
    const wanted = field.toLowerCase();
    return Object.values(object?.objectInfo.fields ?? {}).find((info) => info.apiName.toLowerCase() === wanted);
}

/** `Lead_Stage__c` → "Lead Stage", `LeadStatus` → "Lead Status": what an admin would have typed as the label. */
export function labelFromApiName(apiName: string): string {
    return apiName
        .replace(/__c$/i, '')
        .replace(/_/g, ' ')
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/\s+/g, ' ')
        .trim();
}

/** The demo org as it is: the page reads it from the bundle, the Apex stand-in from the same files. */
export function demoPreviewOrg(demo: RecordedObjects): PreviewOrg {
    return { source: 'demo', objects: demo, fileFields: {}, scopes: [] };
}

/** The demo org's objects with the file's scopes in them; the demo objects are not changed. */
export function buildPreviewOrg(demo: Readonly<RecordedObjects>, file: PicklistsFile): PreviewOrg {
    const objects = JSON.parse(JSON.stringify(demo)) as RecordedObjects;
    const fileFields: Record<string, string[]> = {};
    for (const scope of file.scopes) {
        const object = objects[scope.object];
        if (object === undefined) {
            throw new Error(`The demo org has no ${scope.object}: preview/demo-org/${scope.object}.json is missing.`);
        }
        const fields = object.objectInfo.fields;
        const replaced = Object.keys(fields).find((name) => sameName(name, scope.field));
        const template = (replaced === undefined ? undefined : fields[replaced]) ?? picklistTemplate(object);
        object.objectInfo.fields = withMember(fields, scope.field, {
            ...template,
            apiName: scope.field,
            label: scope.fieldLabel,
            custom: /__c$/i.test(scope.field),
            dataType: 'Picklist'
        });
        // Every record type offers every value: the file knows no record types.
        const recordTypeIds = new Set([
            MASTER_RECORD_TYPE_ID,
            object.objectInfo.defaultRecordTypeId,
            ...Object.keys(object.objectInfo.recordTypeInfos)
        ]);
        for (const recordTypeId of recordTypeIds) {
            const byRecordType = (object.picklistValuesByRecordType[recordTypeId] ??= {
                eTag: `picklists-${file.hash}-${scope.object}-${recordTypeId}`.toLowerCase(),
                picklistFieldValues: {}
            });
            byRecordType.picklistFieldValues = withMember(
                byRecordType.picklistFieldValues,
                scope.field,
                picklistValues(file.hash, scope, recordTypeId)
            );
        }
        (fileFields[scope.object] ??= []).push(scope.field);
    }
    const [first] = file.scopes;
    return {
        source: 'file',
        file: basename(file.path),
        objects,
        fileFields,
        ...(first === undefined ? {} : { focus: { object: first.object, field: first.field } }),
        scopes: file.scopes
    };
}

/** Salesforce API names are case-insensitive. */
function sameName(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
}

/** `record` with `name` set to `value`: in the place of a same-named member (any case), else last. */
function withMember<T>(record: Record<string, T>, name: string, value: T): Record<string, T> {
    const entries = Object.entries(record);
    const at = entries.findIndex(([key]) => sameName(key, name));
    if (at < 0) {
        entries.push([name, value]);
    } else {
        entries[at] = [name, value];
    }
    return Object.fromEntries(entries);
}

/** Any picklist field of the object: the shape (UI API members) a new field of the file takes. */
function picklistTemplate(object: RecordedObject): UiFieldInfo {
    const picklist = Object.values(object.objectInfo.fields).find((field) => field.dataType === 'Picklist');
    if (picklist === undefined) {
        throw new Error(`The demo org's ${object.objectInfo.apiName} has no picklist field to model a new one on.`);
    }
    return { ...picklist };
}

function picklistValues(hash: string, scope: PicklistsScope, recordTypeId: string): UiPicklistValues {
    return {
        controllerValues: {},
        defaultValue: null,
        eTag: `picklists-${hash}-${scope.object}-${scope.field}-${recordTypeId}`.toLowerCase(),
        url: `/services/data/v66.0/ui-api/object-info/${scope.object}/picklist-values/${recordTypeId}/${scope.field}`,
        // attributes: the file does not say which Lead statuses convert; null is what other picklists carry.
        values: scope.values.map(({ value, label }) => ({ attributes: null, label, validFor: [], value }))
    };
}

/**
 * Creates the file's team in the embedded stage service (key `apiKey`), with the file's stages and mappings, unless
 * a team already has that key (a later start on the same data: what the admin did since is kept).
 */
export async function seedPicklistsTeam(
    store: Store,
    apiKey: string,
    file: PicklistsFile
): Promise<{ teamId: string; seeded: boolean }> {
    const existing = await store.authenticate(apiKey);
    if (existing !== null) {
        return { teamId: existing, seeded: false };
    }
    const { teamId } = await store.createTeam(`Picklists of ${basename(file.path)}`, { apiKey });
    const serviceIds = new Map<string, string>();
    for (const stage of file.stages) {
        const created = await store.createStage(teamId, SEED_ACTOR, { family: stage.family, name: stage.name });
        serviceIds.set(`${stage.family}\0${stage.id}`, created.id);
    }
    for (const scope of file.scopes) {
        for (const mapping of scope.mappings) {
            const stageId = serviceIds.get(`${scope.family}\0${mapping.stageId}`);
            if (stageId === undefined) {
                throw new Error(`The stage ${mapping.stageId} of ${scope.object}.${scope.field} was not created.`);
            }
            await store.setMapping(
                teamId,
                SEED_ACTOR,
                { object: scope.object as 'Contact' | 'Lead' | 'Account', field: scope.field, family: scope.family },
                { value: mapping.value, stageId }
            );
        }
    }
    return { teamId, seeded: true };
}
