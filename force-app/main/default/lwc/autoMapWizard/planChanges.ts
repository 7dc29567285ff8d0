/**
 * What changed between the plan an admin previewed and the fresh plan the service answered with on a conflict:
 * the values whose outcome or stage is no longer what the admin saw. Pure, so the wizard can say "this changed"
 * without asking the service again.
 */
import type { OutcomeKind, Plan, PlannedOutcome } from 'c/autoMapEngine';

export interface PlanChange {
    value: string;
    label: string;
    /** The outcome the admin previewed; undefined when the value was not in that plan. */
    before: OutcomeKind | undefined;
    /** The outcome now; undefined when the value is no longer planned. */
    after: OutcomeKind | undefined;
    /** The fresh outcome, for its reason. */
    outcome: PlannedOutcome | undefined;
}

function stageOf(outcome: PlannedOutcome): string {
    return outcome.stageId ?? outcome.stageName ?? '';
}

/** The values of `after` (then those only in `before`) whose outcome kind or stage differs, in picklist order. */
export function planChanges(before: Plan, after: Plan): PlanChange[] {
    const previous = new Map(before.outcomes.map((outcome) => [outcome.value, outcome] as const));
    const changes: PlanChange[] = [];
    for (const outcome of after.outcomes) {
        const old = previous.get(outcome.value);
        previous.delete(outcome.value);
        if (!old || old.outcome !== outcome.outcome || stageOf(old) !== stageOf(outcome)) {
            changes.push({
                value: outcome.value,
                label: outcome.label,
                before: old?.outcome,
                after: outcome.outcome,
                outcome
            });
        }
    }
    for (const old of previous.values()) {
        changes.push({ value: old.value, label: old.label, before: old.outcome, after: undefined, outcome: undefined });
    }
    return changes;
}
