/**
 * The stages a plan will create: the category each one gets and where they go in the family's list. Pure, so the
 * rules are tested without the modal.
 *
 * Categories: a stage starts with none, except one created for a Lead Status value that converts a lead (UI API
 * `attributes.converted`, "Lead Status Picklist Value Attributes"), which starts as succeeded; the admin's choice in
 * the preview wins over either. Choices are kept by value, so a new plan (a suggestion accepted, a conflict) keeps
 * them for the values it still creates stages for.
 *
 * Positions: the service puts created stages after the family's last stage, in the order of the values it was sent
 * (the picklist's order), so with N stages today they take positions N + 1 to N + count.
 */
import type { Plan } from 'c/autoMapEngine';
import type { StageCategoryName } from 'c/autoMapText';

/** A stage's category; null is none. */
export type Category = StageCategoryName | null;

/** The values of the plan that get a new stage, in picklist order. */
export function createdValues(plan: Plan | undefined): string[] {
    return (plan?.outcomes ?? []).filter((outcome) => outcome.outcome === 'create-and-map').map((o) => o.value);
}

/** The category a new stage starts with: succeeded for a value that converts a lead, none otherwise. */
export function defaultCategory(value: string, convertedValues: ReadonlySet<string>): Category {
    return convertedValues.has(value) ? 'succeeded' : null;
}

/** The category of every stage the plan creates, by value: the admin's choice, else the default. */
export function stageCategories(
    plan: Plan | undefined,
    convertedValues: ReadonlySet<string>,
    chosen: ReadonlyMap<string, Category>
): Record<string, Category> {
    // An explicit None (null) is a choice too: only a value never chosen gets the default.
    function categoryOf(value: string): Category {
        return chosen.has(value) ? (chosen.get(value) ?? null) : defaultCategory(value, convertedValues);
    }
    // fromEntries defines own properties: a value named "__proto__" is a key like any other, not the prototype.
    return Object.fromEntries(createdValues(plan).map((value) => [value, categoryOf(value)]));
}

/**
 * What an apply sends: the stages with a category only. The service takes a value it is not sent as none, and the
 * request stays small for a plan that creates up to 1,000 stages without categories.
 */
export function categoriesToApply(categories: Readonly<Record<string, Category>>): Record<string, Category> {
    return Object.fromEntries(Object.entries(categories).filter(([, category]) => category !== null));
}

/** Where the created stages go: positions `first` to `last` of the family's list, after its `existing` stages. */
export interface CreatedPositions {
    first: number;
    last: number;
    existing: number;
}

/** Undefined when the plan creates no stage. */
export function createdPositions(plan: Plan | undefined, existingStages: number): CreatedPositions | undefined {
    const count = createdValues(plan).length;
    return count === 0
        ? undefined
        : { first: existingStages + 1, last: existingStages + count, existing: existingStages };
}
