/**
 * The rules: for every value of a scope (a Salesforce object's picklist field, such as `Lead.Status`), whether it is
 * already mapped, is mapped to an existing stage, gets a new stage, or is skipped, and why (docs/contracts.md, "The
 * rules of precedence"; issue 11, section 1).
 *
 * Plain data in and out: the service plans again at apply time on the state it holds, so planning depends on nothing
 * but its input. Nothing here reads a clock, a random source or the locale. How stages are found fast is
 * planIndex.ts; near matches are suggestions.ts.
 */
import { OUTCOME_KINDS } from './types';
import type {
    MappingInput,
    NewStageNames,
    OutcomeKind,
    Plan,
    PlanInput,
    PlanOptions,
    PlanSummary,
    PlannedOutcome,
    StageInput
} from './types';
import { addToIndex, compareText, familyOf, labelOf, stageKey, stageNameFromLabel } from './keys';
import { buildPlanState } from './planIndex';
import type { PlanState, StageEntry, ValueInfo } from './planIndex';
import { suggestFor } from './suggestions';
import type { PlannedValue } from './suggestions';

/** Why a candidate was found: the value's API name, its label, or (rarely) the name a new stage would get. */
type MatchedBy = 'value' | 'label' | 'name';

/**
 * Plans one scope: the decision for every value, in picklist order, with near-match suggestions and a summary.
 * Pure: the input is not modified.
 *
 * @throws Error when the object is not Contact, Lead or Account, or when a value appears twice (validate untrusted
 *   input with {@link validatePlanInput} first; these are programming errors, not admin input errors).
 */
export function planAutoMap(input: PlanInput, options: PlanOptions = {}): Plan {
    const family = familyOf(input.object);
    if (family === undefined) {
        throw new Error(`Auto-map does not support the object "${input.object}": use Contact, Lead or Account.`);
    }
    const mappingByValue = new Map<string, MappingInput>();
    const holderByStageId = new Map<string, string>();
    for (const mapping of input.mappings) {
        // Against the invariant two mappings may name one value or one stage: the first wins, planning stays safe.
        if (!mappingByValue.has(mapping.value)) {
            mappingByValue.set(mapping.value, mapping);
        }
        if (!holderByStageId.has(mapping.stageId)) {
            holderByStageId.set(mapping.stageId, mapping.value);
        }
    }
    const { infos, neededKeys } = readPicklistValues(input, mappingByValue, options.newStageNames ?? 'label');
    // Only values left unmapped can get suggestions; without any, the stages' loose forms are not read.
    const suggest = options.suggestions !== false && infos.some((info) => info.mapping === undefined);
    const state = buildPlanState(input.stages, holderByStageId, neededKeys, suggest);
    const outcomes = planValues(state, infos);
    const planned = infos.map((info, index): PlannedValue => ({ outcome: outcomes[index] as PlannedOutcome, info }));
    return {
        object: input.object,
        field: input.field,
        family,
        outcomes,
        suggestions: suggest ? suggestFor(state, planned) : [],
        summary: summarize(outcomes)
    };
}

/**
 * Computes every key a value can look up (its API name's, its label's, and the key of the stage it would create)
 * before the stages are read, so the stage pass indexes only what is needed.
 */
function readPicklistValues(
    input: PlanInput,
    mappingByValue: Map<string, MappingInput>,
    newStageNames: NewStageNames
): { infos: ValueInfo[]; neededKeys: Set<string> } {
    const neededKeys = new Set<string>();
    const seen = new Set<string>();
    const infos = input.values.map((value): ValueInfo => {
        if (seen.has(value.value)) {
            throw new Error(`The picklist value "${value.value}" appears twice in ${input.object}.${input.field}.`);
        }
        seen.add(value.value);
        const label = labelOf(value);
        const mapping = mappingByValue.get(value.value);
        if (mapping) {
            return { input: value, label, mapping, valueKey: '', labelKey: '', newName: '', newNameKey: '' };
        }
        const valueKey = stageKey(value.value);
        const labelKey = label === value.value ? valueKey : stageKey(label);
        const source = newStageNames === 'apiName' ? value.value : label;
        const newName = stageNameFromLabel(source);
        const newNameKey = newName !== source ? stageKey(newName) : source === label ? labelKey : valueKey;
        neededKeys.add(valueKey).add(labelKey).add(newNameKey);
        return { input: value, label, mapping, valueKey, labelKey, newName, newNameKey };
    });
    return { infos, neededKeys };
}

/**
 * The rules of precedence, in the order the contract gives them. Mapped and inactive values are decided first; the
 * rest go through three passes, each in picklist order:
 * 1. API names: an existing stage whose key is the key of the value's API name.
 * 2. Labels, for the values pass 1 left: an existing stage whose key is the key of the label.
 * 3. Creations, for the values left: a stage named by the label, unless a stage created earlier in this pass (or,
 *    for odd white space, an existing stage) has its key.
 *
 * Why passes and not one walk: an API name is the value's stable identity, a label is only how it reads (and may be
 * translated), so a value whose API name is exactly a stage's name must win that stage over a value that merely
 * reads like it, wherever the two sit in the picklist. The returned outcomes are in picklist order.
 */
function planValues(state: PlanState, infos: readonly ValueInfo[]): PlannedOutcome[] {
    const outcomes = new Array<PlannedOutcome | undefined>(infos.length);
    const byApiName: number[] = [];
    infos.forEach((info, index) => {
        if (info.mapping) {
            outcomes[index] = alreadyMapped(
                info.input.value,
                info.label,
                info.mapping,
                state.nameById.get(info.mapping.stageId)
            );
        } else if (info.input.active === false) {
            outcomes[index] = inactive(info.input.value, info.label);
        } else {
            byApiName.push(index);
        }
    });
    const byLabel = matchPass(state, infos, byApiName, outcomes, 'value');
    const toCreate = matchPass(state, infos, byLabel, outcomes, 'label');
    for (const index of toCreate) {
        outcomes[index] = createAndMap(state, infos[index] as ValueInfo);
    }
    return outcomes as PlannedOutcome[];
}

/**
 * One matching pass over the given values (picklist order): a value whose key (of its API name or of its label)
 * some existing stage has is decided now; the indexes of the others are returned for the next pass. Only existing
 * stages are in the index during these passes: creations come last.
 */
function matchPass(
    state: PlanState,
    infos: readonly ValueInfo[],
    indexes: readonly number[],
    outcomes: (PlannedOutcome | undefined)[],
    matchedBy: 'value' | 'label'
): number[] {
    const left: number[] = [];
    for (const index of indexes) {
        const info = infos[index] as ValueInfo;
        const candidates = state.byKey.get(matchedBy === 'value' ? info.valueKey : info.labelKey);
        if (candidates) {
            outcomes[index] = decide(state, info.input.value, info.label, candidates, matchedBy);
        } else {
            left.push(index);
        }
    }
    return left;
}

function inactive(value: string, label: string): PlannedOutcome {
    return {
        value,
        label,
        outcome: 'skip-inactive',
        reason: `"${value}" is inactive and not mapped; inactive values are never auto-mapped (map it by hand if old records still use it).`
    };
}

/** The "never changed" rule: an existing mapping is reported as it is, even when its stage has gone. */
function alreadyMapped(
    value: string,
    label: string,
    mapping: MappingInput,
    stageName: string | undefined
): PlannedOutcome {
    if (stageName === undefined) {
        return {
            value,
            label,
            outcome: 'already-mapped',
            stageId: mapping.stageId,
            reason: `"${value}" is already mapped to stage ${mapping.stageId}, which no longer exists; auto-map never changes an existing mapping (see the housekeeping report).`
        };
    }
    return {
        value,
        label,
        outcome: 'already-mapped',
        stageId: mapping.stageId,
        stageName,
        reason: `"${value}" is already mapped to stage "${stageName}"; auto-map never changes an existing mapping.`
    };
}

/** One or more candidates: ambiguous, taken, or free to map. Nothing is ever created when a candidate exists. */
function decide(
    state: PlanState,
    value: string,
    label: string,
    candidates: StageEntry[],
    matchedBy: MatchedBy
): PlannedOutcome {
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (!only) {
        return ambiguous(value, label, candidates, matchedBy);
    }
    if (only.heldBy !== undefined) {
        return stageTaken(value, label, only, matchedBy);
    }
    only.heldBy = value;
    if (only.position >= 0) {
        state.held[only.position] = 1;
    }
    return {
        value,
        label,
        outcome: 'map-existing',
        stageId: only.id,
        stageName: only.name,
        reason: `Stage "${only.name}" matches ${describeMatch(value, label, matchedBy)}; the value will be mapped to it.`
    };
}

/** "Matches" means the same key: the same name ignoring case, width (NFKC) and white space. */
function describeMatch(value: string, label: string, matchedBy: MatchedBy): string {
    if (matchedBy === 'value') {
        return `the value "${value}"`;
    }
    return matchedBy === 'label' ? `the label "${label}"` : `the stage that would be created for "${label}"`;
}

/**
 * Duplicate stages: choosing one would be a guess, and creating another would add a third duplicate, so the value is
 * skipped and the duplicates are listed (sorted by id, so the plan does not depend on the order of the stages).
 * Only existing stages can be duplicates: a stage is only planned for a key no stage has.
 */
function ambiguous(value: string, label: string, candidates: StageEntry[], matchedBy: MatchedBy): PlannedOutcome {
    const stages = candidates
        .map((entry): StageInput => ({ id: entry.id ?? '', name: entry.name }))
        .sort((a, b) => compareText(a.id, b.id));
    const names = stages.map((stage) => `"${stage.name}" (${stage.id})`).join(', ');
    return {
        value,
        label,
        outcome: 'skip-ambiguous',
        candidates: stages,
        reason: `${stages.length} stages match ${describeMatch(value, label, matchedBy)}: ${names}; nothing is mapped or created until the duplicates are merged.`
    };
}

/**
 * The article's rule: when the matching stage is mapped to another value, do not map it and do not create a
 * duplicate of it either. The reason names the stage and the value that holds it.
 */
function stageTaken(value: string, label: string, entry: StageEntry, matchedBy: MatchedBy): PlannedOutcome {
    const holder = entry.heldBy ?? '';
    const how = entry.heldByExistingMapping
        ? `is already mapped to the value "${holder}"`
        : entry.id === undefined
          ? `is planned for creation for the value "${holder}" earlier in this run`
          : `is planned for the value "${holder}" earlier in this run`;
    return {
        value,
        label,
        outcome: 'skip-stage-taken',
        ...(entry.id === undefined ? {} : { stageId: entry.id }),
        stageName: entry.name,
        heldBy: holder,
        reason: `Stage "${entry.name}" matches ${describeMatch(value, label, matchedBy)} but ${how}; a stage maps to one value per field, and no duplicate stage is created.`
    };
}

/**
 * Pass 3, for a value no existing stage matched: plan a new stage named by the label (or the API name) and register
 * it, so a later value of this pass whose new stage would have the same key finds it (taken) instead of planning a
 * duplicate.
 *
 * The look-up by the new name's key finds mostly stages created earlier in this pass: under the key of the label or
 * the API name, passes 1 and 2 found no existing stage. But the key of a trimmed name is not always the key of the
 * untrimmed text (a zero-width no-break space, which JavaScript counts as white space, changes how a Greek final
 * sigma lower-cases once it becomes a plain space), and the invariant "no created stage duplicates a key" must hold
 * for every input, so an existing stage found under the new name's key is treated as a candidate too.
 */
function createAndMap(state: PlanState, info: ValueInfo): PlannedOutcome {
    const { label, newName: name, newNameKey: nameKey } = info;
    const value = info.input.value;
    const byName = state.byKey.get(nameKey);
    if (byName) {
        const matchedBy: MatchedBy = nameKey === info.labelKey ? 'label' : nameKey === info.valueKey ? 'value' : 'name';
        return decide(state, value, label, byName, matchedBy);
    }
    const entry: StageEntry = {
        id: undefined,
        position: -1,
        name,
        key: nameKey,
        heldBy: value,
        heldByExistingMapping: false
    };
    addToIndex(state.byKey, nameKey, entry);
    return {
        value,
        label,
        outcome: 'create-and-map',
        stageName: name,
        reason:
            label === value
                ? `No stage matches "${value}"; a stage "${name}" will be created and mapped to it.`
                : `No stage matches the value "${value}" or its label "${label}"; a stage "${name}" will be created and mapped to it.`
    };
}

/** Counts per outcome, every kind present so a UI can render a fixed list. */
export function summarize(outcomes: readonly PlannedOutcome[]): PlanSummary {
    const counts = Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, 0])) as Record<OutcomeKind, number>;
    for (const outcome of outcomes) {
        counts[outcome.outcome] += 1;
    }
    return { total: outcomes.length, counts };
}

/**
 * The state after applying a plan: the input's stages and mappings, plus a stage for every create-and-map (ids from
 * `newStageId(name, index)`, index counting created stages from 0) and a mapping for every map-existing and
 * create-and-map. Existing mappings are kept as they are; skips change nothing.
 */
export function applyPlanToState(
    input: PlanInput,
    plan: Plan,
    newStageId: (name: string, index: number) => string
): { stages: StageInput[]; mappings: MappingInput[] } {
    const stages = input.stages.map((stage) => ({ ...stage }));
    const mappings = input.mappings.map((mapping) => ({ ...mapping }));
    let created = 0;
    for (const outcome of plan.outcomes) {
        if (outcome.outcome === 'map-existing' && outcome.stageId !== undefined) {
            mappings.push({ value: outcome.value, stageId: outcome.stageId });
        } else if (outcome.outcome === 'create-and-map' && outcome.stageName !== undefined) {
            const id = newStageId(outcome.stageName, created);
            created += 1;
            stages.push({ id, name: outcome.stageName });
            mappings.push({ value: outcome.value, stageId: id });
        }
    }
    return { stages, mappings };
}
