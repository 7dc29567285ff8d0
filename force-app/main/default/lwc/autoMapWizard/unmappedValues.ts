/**
 * Which values of a field a run left unmapped, and why: what the result names so that "Mapping complete" is never
 * said while a value is unmapped. Pure, so it is tested without the modal.
 *
 * A value is mapped after the run when it was mapped before (an existing mapping is never changed) or the run mapped
 * it (to an existing stage or a new one). Every other value of the field is unmapped: skipped by the plan (its
 * outcome says why), or never planned because the admin narrowed the run to a record type that does not offer it.
 */
import { isSkip } from 'c/autoMapText';
import type { Plan, PlannedOutcome } from 'c/autoMapEngine';

/** A value the field offers (API name and label), in picklist order. */
export interface FieldValue {
    value: string;
    label: string;
}

export type UnmappedValue =
    | { value: string; label: string; why: 'skipped'; outcome: PlannedOutcome }
    | { value: string; label: string; why: 'not-in-record-type' };

/**
 * The values still unmapped after the run of `plan`, in the field's order: `fieldValues` is every value of the field
 * (all record types), `mappedBefore` the values the scope mapped when the plan was made. Values of the plan the field
 * list lacks (it could not be read) follow, so a skip is never hidden.
 */
export function unmappedAfterRun(
    fieldValues: readonly FieldValue[],
    plan: Plan,
    mappedBefore: ReadonlySet<string>
): UnmappedValue[] {
    const planned = new Map(plan.outcomes.map((outcome) => [outcome.value, outcome] as const));
    const listed = new Set(fieldValues.map((entry) => entry.value));
    const unmapped: UnmappedValue[] = [];
    for (const { value, label } of fieldValues) {
        const outcome = planned.get(value);
        if (outcome) {
            if (isSkip(outcome.outcome)) {
                unmapped.push({ value, label: outcome.label, why: 'skipped', outcome });
            }
        } else if (!mappedBefore.has(value)) {
            unmapped.push({ value, label, why: 'not-in-record-type' });
        }
    }
    for (const outcome of plan.outcomes) {
        if (!listed.has(outcome.value) && isSkip(outcome.outcome)) {
            unmapped.push({ value: outcome.value, label: outcome.label, why: 'skipped', outcome });
        }
    }
    return unmapped;
}
