/**
 * Where a stage is mapped: by values of this field and of the family's other fields, and which of those mappings an
 * auto-map run made. Deleting a stage removes every mapping to it, in every field; removing a mapping a run made
 * means that run can no longer be undone (the service then reports `mapping-removed` or `stage-deleted`), so the
 * housekeeping lists say so before the admin deletes.
 */
import { formatLabel } from 'c/autoMapText';
import { fetchScopeState } from 'c/stageAutoMapApi';
import type { Scope, ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import otherMapping from '@salesforce/label/c.AutoMap_Field_OtherMapping';
import listSeparator from '@salesforce/label/c.AutoMap_List_Separator';

/** One mapping to a stage. */
export interface StageUse {
    object: string;
    field: string;
    /** The value's label in this field; its API name in another field (the page does not read their labels). */
    value: string;
    /** A run made it: deleting the stage stops that run's undo. Unknown (false) until the other field is read. */
    byRun: boolean;
}

/** Field names as the page shows them, by `Object.Field`; the API names where the page knows no label. */
export type FieldNames = Readonly<Record<string, string>>;

export function fieldNameOf(names: FieldNames, object: string, field: string): string {
    return names[`${object}.${field}`] ?? `${object}.${field}`;
}

/** The key of a mapping of another field in the set of run-made mappings. */
function mappingKey(object: string, field: string, value: string): string {
    return JSON.stringify([object, field, value]);
}

/** Every mapping to the stage: this field's first (the values still in it), then the other fields' in their order. */
export function usesOfStage(
    stageId: string,
    scope: Scope,
    state: ScopeState,
    values: readonly ServiceValue[],
    runMade: ReadonlySet<string>
): StageUse[] {
    const labels = new Map(values.map((entry) => [entry.value, entry.label] as const));
    const here = state.mappings
        .filter((mapping) => mapping.stageId === stageId)
        .map((mapping) => ({
            object: scope.objectApiName,
            field: scope.fieldApiName,
            value: labels.get(mapping.value) ?? mapping.value,
            byRun: mapping.runId !== null
        }));
    // This object's other fields first (the admin is on its tab), then the other objects', as the service lists them.
    const elsewhere = state.otherMappings
        .filter((mapping) => mapping.stageId === stageId)
        .sort((a, b) => Number(a.object !== scope.objectApiName) - Number(b.object !== scope.objectApiName))
        .map((mapping) => ({
            object: mapping.object,
            field: mapping.field,
            value: mapping.value,
            byRun: runMade.has(mappingKey(mapping.object, mapping.field, mapping.value))
        }));
    return [...here, ...elsewhere];
}

/** `"Reached" in Contact Status`. */
export function useText(use: StageUse, names: FieldNames): string {
    return formatLabel(otherMapping, fieldNameOf(names, use.object, use.field), use.value);
}

export function usesText(uses: readonly StageUse[], names: FieldNames): string {
    return uses.map((use) => useText(use, names)).join(`${listSeparator} `);
}

/** The fields whose auto-map run made a mapping the delete would remove, once each, as the page names them. */
export function runFieldsText(uses: readonly StageUse[], names: FieldNames): string {
    const fields = new Set(uses.filter((use) => use.byRun).map((use) => fieldNameOf(names, use.object, use.field)));
    return [...fields].join(`${listSeparator} `);
}

/**
 * Which mappings of other fields a run made, for the other fields that map any of `stageIds`: one read of each such
 * field's state (its mappings carry `runId`; the family's `otherMappings` do not). A field that cannot be read
 * counts as made by hand: the lists then only miss the warning, and the confirmation still names the mapping.
 */
export async function readRunMadeMappings(state: ScopeState, stageIds: ReadonlySet<string>): Promise<Set<string>> {
    const scopes = new Map<string, Scope>();
    for (const mapping of state.otherMappings) {
        if (stageIds.has(mapping.stageId)) {
            scopes.set(mappingKey(mapping.object, mapping.field, ''), {
                objectApiName: mapping.object,
                fieldApiName: mapping.field
            });
        }
    }
    const made = new Set<string>();
    await Promise.all(
        [...scopes.values()].map(async (scope) => {
            const other = await fetchScopeState(scope).catch(() => undefined);
            for (const mapping of other?.mappings ?? []) {
                if (mapping.runId !== null) {
                    made.add(mappingKey(scope.objectApiName, scope.fieldApiName, mapping.value));
                }
            }
        })
    );
    return made;
}
