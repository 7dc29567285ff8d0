/**
 * Housekeeping: what to tidy in a scope and its family (the article's "stay on top of housekeeping"): mappings that
 * point at a value or a stage that is gone, stages no mapping of the scope uses, stages that share a key.
 */
import { addToIndex, stageKey } from './keys';
import type { HousekeepingReport, PlanInput, StageInput } from './types';

/**
 * What to tidy, following the article's best practices: mappings that point at a value that is gone or inactive or
 * at a stage that is gone; stages no mapping of this scope uses; stages that share a key (they block auto-map).
 *
 * One entry per stale mapping, with the first reason that applies in the order value-missing, value-inactive,
 * stage-missing (the value side decides whether the mapping should exist at all). A stage held only by a stale
 * mapping is not "unused": the stale mapping is listed instead, so each fix appears once.
 */
export function housekeepingReport(input: PlanInput): HousekeepingReport {
    const valueByName = new Map(input.values.map((value) => [value.value, value] as const));
    const stageById = new Map<string, StageInput>();
    for (const stage of input.stages) {
        if (!stageById.has(stage.id)) {
            stageById.set(stage.id, stage);
        }
    }
    const staleMappings: HousekeepingReport['staleMappings'] = [];
    for (const mapping of input.mappings) {
        const value = valueByName.get(mapping.value);
        const stage = stageById.get(mapping.stageId);
        const reason = !value
            ? 'value-missing'
            : value.active === false
              ? 'value-inactive'
              : !stage
                ? 'stage-missing'
                : undefined;
        if (reason) {
            staleMappings.push({
                value: mapping.value,
                stageId: mapping.stageId,
                ...(stage ? { stageName: stage.name } : {}),
                reason
            });
        }
    }
    const mappedStageIds = new Set(input.mappings.map((mapping) => mapping.stageId));
    const unusedStages = input.stages.filter((stage) => !mappedStageIds.has(stage.id));
    return { staleMappings, unusedStages, duplicateStages: duplicateStagesOf(input.stages) };
}

/** Groups of stages with the same key, in the order their first stage appears. */
function duplicateStagesOf(stages: readonly StageInput[]): HousekeepingReport['duplicateStages'] {
    const byKey = new Map<string, StageInput[]>();
    for (const stage of stages) {
        addToIndex(byKey, stageKey(stage.name), stage);
    }
    return [...byKey.entries()].filter(([, group]) => group.length > 1).map(([key, group]) => ({ key, stages: group }));
}
