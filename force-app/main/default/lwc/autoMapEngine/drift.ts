/**
 * Drift: how a scope's picklist moved since its values were mapped (issue 12, "The rules"). One pure function,
 * `driftReport`, gives one finding per value that drifted, with an English reason and, where it is safe, a fix:
 * 1. A mapping whose value is gone: `probable-rename` when exactly one active, unmapped value has a label with the
 *    key of the mapping's recorded label (and no other gone mapping takes that value as its only rename); otherwise
 *    `value-removed`, with those values as `candidates` when there are any.
 * 2. A mapped value now inactive: `value-deactivated` (advice only).
 * 3. A mapped value whose label key changed: `label-changed`; a stage named after the old label is renamed.
 * 4. An active, unmapped value no rule above claimed: `new-value`; auto-map decides its fix.
 *
 * Every fix is meant to be applied as it is offered, all of them together: applying them and reporting again gives
 * only findings without a fix. Two consequences shape the code below. A value a gone mapping might have become, but
 * cannot be given to it for sure, is left for the admin (it is not `new-value`: auto-mapping it would take away the
 * answer). And the fixes that need the state after the others are decided on that state: a stage rename is safe when
 * no other stage has its new name once the other renames are done, and auto-map plans the new values against the
 * stages and mappings the other fixes leave.
 */
import { compareText, familyOf, labelOf, sameLanguage, stageKey, stageNameFromLabel } from './keys';
import { buildPlanState } from './planIndex';
import type { StageEntry } from './planIndex';
import { planAutoMap } from './planRules';
import type {
    DriftFinding,
    DriftInput,
    DriftKind,
    DriftOptions,
    DriftReport,
    MappingInput,
    PicklistValueInput,
    PlannedOutcome,
    StageInput
} from './types';

/**
 * Findings sort by kind in the order of the rules (issue 12: "sorted by kind in the order above, then by value"), so
 * rule 1's two kinds do not mix: the probable renames come first (DRIFT_KINDS lists them in this order).
 */
const RANK: Readonly<Record<DriftKind, number>> = Object.freeze({
    'probable-rename': 1,
    'value-removed': 2,
    'value-deactivated': 3,
    'label-changed': 4,
    'new-value': 5
});

/** The scope as drift reads it, with the look-ups every rule needs. */
interface Scope {
    input: DriftInput;
    valueByName: Map<string, PicklistValueInput>;
    /** The scope's mappings, one per value and per stage (against the invariant, the first wins). */
    mappings: MappingInput[];
    mappedValues: Set<string>;
    /** The mapped values still in the picklist and active whose label key changed (rule 3's subjects). */
    relabelled: Relabel[];
    /** The name of every stage a mapping of the scope holds (a missing id: the stage is gone). */
    stageNameById: Map<string, string>;
    /** The active, unmapped values (rule 1's candidates, rule 4's subjects) with the keys auto-map may look up. */
    unmapped: Unmapped[];
    /**
     * The stages that have, today, one of the keys some rule looks up: a name a relabelled value's stage may be
     * renamed to, or a key auto-map may look up for an unmapped value.
     */
    holders: Map<string, StageEntry[]>;
}

/** An active value no mapping holds, with its label's key and every key auto-map may look up for it. */
interface Unmapped {
    value: PicklistValueInput;
    labelKey: string;
    keys: string[];
}

/** A mapped, active value whose label key is no longer the recorded label's key. */
interface Relabel {
    mapping: MappingInput;
    label: string;
    recorded: string;
    /** The name its stage would be renamed to, and that name's key. */
    name: string;
    key: string;
}

/** What rule 1 decided: its findings, and what its fixes and open questions change for rule 4. */
interface GoneMappings {
    findings: DriftFinding[];
    /** Gone value → the value it was renamed to (a fix moves the mapping). */
    renamedTo: Map<string, PicklistValueInput>;
    /** Gone values whose mapping a fix removes. */
    removed: Set<string>;
    /** Every value rule 1 claimed: rename targets, and candidates left for the admin. */
    claimed: Set<string>;
    /** The candidates left for the admin (not rename targets). */
    undecided: Set<string>;
}

/** A stage rename a label-changed finding may offer, and why it is not offered when it is not. */
interface StageRename {
    finding: DriftFinding;
    stage: StageInput;
    /** The key of the new name. */
    key: string;
    name: string;
    offered: boolean;
}

/**
 * Reports how the scope's picklist drifted from its mappings: the findings sorted by kind (probable-rename,
 * value-removed, value-deactivated, label-changed, new-value), then by value (ordinal). No findings: in sync.
 * Pure: the input is not modified.
 *
 * @throws Error when the object is not Contact, Lead or Account, or when a value appears twice (validate untrusted
 *   input with `validateDriftInput` first).
 */
export function driftReport(input: DriftInput, options: DriftOptions = {}): DriftReport {
    const scope = readScope(input, options);
    const gone = goneMappings(scope);
    const { findings: relabelled, renames } = relabelledValues(scope);
    settleRenames(renames, scope.holders);
    const findings = [
        ...gone.findings,
        ...deactivatedValues(scope),
        ...relabelled,
        ...renames.map((rename) => rename.finding),
        ...newValues(scope, gone, renames, options)
    ];
    findings.sort((a, b) => RANK[a.kind] - RANK[b.kind] || compareText(a.value, b.value));
    return { object: input.object, field: input.field, findings };
}

function readScope(input: DriftInput, options: DriftOptions): Scope {
    if (familyOf(input.object) === undefined) {
        throw new Error(`Auto-map does not support the object "${input.object}": use Contact, Lead or Account.`);
    }
    const valueByName = new Map<string, PicklistValueInput>();
    for (const value of input.values) {
        if (valueByName.has(value.value)) {
            throw new Error(`The picklist value "${value.value}" appears twice in ${input.object}.${input.field}.`);
        }
        valueByName.set(value.value, value);
    }
    const mappedValues = new Set<string>();
    const holderByStageId = new Map<string, string>();
    const mappings = input.mappings.filter((mapping) => {
        const first = !mappedValues.has(mapping.value) && !holderByStageId.has(mapping.stageId);
        mappedValues.add(mapping.value);
        if (first) {
            holderByStageId.set(mapping.stageId, mapping.value);
        }
        return first;
    });
    const relabelled = mappings.flatMap((mapping): Relabel[] => {
        const value = valueByName.get(mapping.value);
        if (!value || value.active === false || !sameLanguage(mapping.labelLanguage, options.language)) {
            return [];
        }
        const label = labelOf(value);
        const recorded = recordedLabelOf(mapping);
        if (stageKey(label) === stageKey(recorded)) {
            return [];
        }
        const name = stageNameFromLabel(label);
        return [{ mapping, label, recorded, name, key: stageKey(name) }];
    });
    const unmapped = input.values.flatMap((value): Unmapped[] => {
        if (value.active === false || mappedValues.has(value.value)) {
            return [];
        }
        const labelKey = stageKey(labelOf(value));
        // What auto-map looks up for the value: its API name's key, its label's, and its new stage name's either way.
        const keys = [
            stageKey(value.value),
            labelKey,
            stageKey(stageNameFromLabel(labelOf(value))),
            stageKey(stageNameFromLabel(value.value))
        ];
        return [{ value, labelKey, keys }];
    });
    const neededKeys = new Set(relabelled.map((each) => each.key));
    for (const { keys } of unmapped) {
        keys.forEach((key) => neededKeys.add(key));
    }
    // One pass over the stages, with the planner's index (a Map of every stage by id would cost more than the rest
    // of the report): the names of the stages the mappings hold, and the stages with a key some rule looks up.
    const state = buildPlanState(input.stages, holderByStageId, neededKeys, false);
    return {
        input,
        valueByName,
        mappings,
        mappedValues,
        relabelled,
        unmapped,
        stageNameById: state.nameById,
        holders: state.byKey
    };
}

/** The label a mapping recorded when it was made; old data recorded none, and then the value stands for it. */
function recordedLabelOf(mapping: MappingInput): string {
    return typeof mapping.label === 'string' && mapping.label.trim() !== '' ? mapping.label : mapping.value;
}

/**
 * Rule 1, for the mappings whose value is gone. The candidates of a gone mapping are the active, unmapped values
 * whose label has the key of the mapping's recorded label, so mappings with the same recorded key share their
 * candidates and no value is a candidate of two different keys: the rule is decided per key.
 */
function goneMappings(scope: Scope): GoneMappings {
    const result: GoneMappings = {
        findings: [],
        renamedTo: new Map(),
        removed: new Set(),
        claimed: new Set(),
        undecided: new Set()
    };
    const byKey = new Map<string, { mappings: MappingInput[]; candidates: PicklistValueInput[] }>();
    for (const mapping of scope.mappings) {
        if (!scope.valueByName.has(mapping.value)) {
            const key = stageKey(recordedLabelOf(mapping));
            const group = byKey.get(key);
            if (group) {
                group.mappings.push(mapping);
            } else {
                byKey.set(key, { mappings: [mapping], candidates: [] });
            }
        }
    }
    if (byKey.size === 0) {
        return result;
    }
    for (const { value, labelKey } of scope.unmapped) {
        byKey.get(labelKey)?.candidates.push(value);
    }
    for (const { mappings, candidates } of byKey.values()) {
        const names = candidates.map((candidate) => candidate.value).sort(compareText);
        const target = candidates.length === 1 && mappings.length === 1 ? candidates[0] : undefined;
        for (const name of names) {
            result.claimed.add(name);
            if (!target) {
                result.undecided.add(name);
            }
        }
        for (const mapping of mappings) {
            const stageName = scope.stageNameById.get(mapping.stageId);
            if (target) {
                result.renamedTo.set(mapping.value, target);
                result.findings.push(probableRename(mapping, stageName, target));
            } else if (names.length === 0) {
                result.removed.add(mapping.value);
                result.findings.push(valueRemoved(mapping, stageName));
            } else {
                const others = mappings.filter((other) => other !== mapping).map((other) => other.value);
                result.findings.push(valueRemovedUndecided(mapping, stageName, names, others));
            }
        }
    }
    return result;
}

function probableRename(
    mapping: MappingInput,
    stageName: string | undefined,
    target: PicklistValueInput
): DriftFinding {
    const recorded = recordedLabelOf(mapping);
    return {
        value: mapping.value,
        kind: 'probable-rename',
        ...stageOf(mapping.stageId, stageName),
        recordedLabel: recorded,
        renamedTo: target.value,
        fix: true,
        reason: `"${mapping.value}" is no longer in the picklist, and "${target.value}" is the one active, unmapped value labelled like it ("${recorded}"): it was probably renamed. Fix: move the mapping to "${target.value}"; ${describeStage(mapping.stageId, stageName)} stays.`
    };
}

function valueRemoved(mapping: MappingInput, stageName: string | undefined): DriftFinding {
    const recorded = recordedLabelOf(mapping);
    return {
        value: mapping.value,
        kind: 'value-removed',
        ...stageOf(mapping.stageId, stageName),
        recordedLabel: recorded,
        fix: true,
        reason: `"${mapping.value}" is no longer in the picklist, and no active, unmapped value is labelled like it ("${recorded}"). Fix: remove the mapping; ${describeStage(mapping.stageId, stageName)} and its records stay.`
    };
}

/** A gone value with several possible successors, or one it shares with other gone values: the admin decides. */
function valueRemovedUndecided(
    mapping: MappingInput,
    stageName: string | undefined,
    candidates: string[],
    others: string[]
): DriftFinding {
    const recorded = recordedLabelOf(mapping);
    const why =
        candidates.length > 1
            ? `${candidates.length} active, unmapped values are labelled like it ("${recorded}"): ${quoteAll(candidates)}`
            : `"${candidates[0] ?? ''}" is labelled like it ("${recorded}"), but so were ${quoteAll(others)}, also gone, so which one it replaced is unclear`;
    return {
        value: mapping.value,
        kind: 'value-removed',
        ...stageOf(mapping.stageId, stageName),
        recordedLabel: recorded,
        candidates,
        fix: false,
        reason: `"${mapping.value}" is no longer in the picklist; ${why}. No fix: move the mapping to the value it became, or remove it.`
    };
}

/** Rule 2, for the mapped values now inactive. */
function deactivatedValues(scope: Scope): DriftFinding[] {
    return scope.mappings.flatMap((mapping): DriftFinding[] => {
        const value = scope.valueByName.get(mapping.value);
        if (value?.active !== false) {
            return [];
        }
        const stageName = scope.stageNameById.get(mapping.stageId);
        return [
            {
                value: mapping.value,
                kind: 'value-deactivated',
                ...stageOf(mapping.stageId, stageName),
                label: labelOf(value),
                recordedLabel: recordedLabelOf(mapping),
                fix: false,
                reason: `"${mapping.value}" is inactive but still mapped to ${describeStage(mapping.stageId, stageName)}; old records may still use it, so the mapping stays (remove it by hand once no record does).`
            }
        ];
    });
}

/**
 * Rule 3, for the mapped, active values whose label key changed: a stage named after the old label may be renamed
 * (settled below, with the others); any other stage keeps its name.
 */
function relabelledValues(scope: Scope): { findings: DriftFinding[]; renames: StageRename[] } {
    const findings: DriftFinding[] = [];
    const renames: StageRename[] = [];
    for (const { mapping, label, recorded, name, key } of scope.relabelled) {
        const stageName = scope.stageNameById.get(mapping.stageId);
        const changed = `The label of "${mapping.value}" changed from "${recorded}" to "${label}"`;
        const finding: DriftFinding = {
            value: mapping.value,
            kind: 'label-changed',
            ...stageOf(mapping.stageId, stageName),
            label,
            recordedLabel: recorded,
            fix: false,
            reason: ''
        };
        if (stageName !== undefined && stageKey(stageName) === stageKey(recorded)) {
            finding.newStageName = name;
            finding.fix = true;
            finding.reason = `${changed}, and its stage "${stageName}" was named after the old label.`;
            renames.push({ finding, stage: { id: mapping.stageId, name: stageName }, key, name, offered: true });
        } else {
            finding.reason =
                stageName === undefined
                    ? `${changed}; its stage ${mapping.stageId} no longer exists (see the housekeeping report).`
                    : `${changed}; its stage "${stageName}" has a name of its own, so nothing needs to change.`;
            findings.push(finding);
        }
    }
    return { findings, renames };
}

/**
 * Decides which stage renames are safe to offer together: a rename is safe when no other stage has its new name's
 * key once the offered renames are done, and it does not wait on a rename that waits on it. A rename into a name
 * that another offered rename frees is offered: the reason says which goes first. Blocking a rename keeps its stage's
 * name, which may block others, so this repeats until nothing changes (each round blocks one more, or ends).
 */
function settleRenames(renames: StageRename[], holders: Map<string, StageEntry[]>): void {
    const renameOf = new Map(renames.map((rename) => [rename.stage.id, rename] as const));
    let blocked = true;
    while (blocked) {
        blocked = false;
        for (const rename of renames) {
            if (rename.offered && blockRename(rename, renames, holders.get(rename.key) ?? [], renameOf)) {
                blocked = true;
            }
        }
        if (!blocked) {
            blocked = blockCycle(renames, holders, renameOf);
        }
    }
    for (const rename of renames.filter((each) => each.offered)) {
        // Any other stage with the new name today is itself renamed away by an offered fix (or this would be blocked).
        const first = (holders.get(rename.key) ?? []).find((holder) => holder.id !== rename.stage.id);
        const after = first ? renameOf.get(first.id ?? '') : undefined;
        rename.finding.reason += after
            ? ` Fix: rename the stage to "${rename.name}", once stage "${after.stage.name}" is renamed to "${after.name}" (which frees the name).`
            : ` Fix: rename the stage to "${rename.name}".`;
    }
}

/** Blocks a rename when a stage keeps its new name's key, or another offered rename takes the same key. */
function blockRename(
    rename: StageRename,
    renames: readonly StageRename[],
    holdersToday: readonly { id: string | undefined; name: string }[],
    renameOf: Map<string, StageRename>
): boolean {
    const stays = holdersToday.find(
        (holder) => holder.id !== rename.stage.id && !renameOf.get(holder.id ?? '')?.offered
    );
    if (stays) {
        return block(rename, `stage "${stays.name}" already has that name (merge the two, or rename it first)`);
    }
    const rival = renames.find((other) => other !== rename && other.offered && other.key === rename.key);
    if (rival) {
        rival.offered = false;
        rival.finding.fix = false;
        rival.finding.reason += ` No fix: stage "${rename.stage.name}" would get the name "${rival.name}" too (for "${rename.finding.value}"); rename one of them by hand.`;
        return block(
            rename,
            `stage "${rival.stage.name}" would get that name too (for "${rival.finding.value}"); rename one of them by hand`
        );
    }
    return false;
}

/**
 * Blocks the renames of one cycle (A takes B's name while B takes A's): no order of renames gets there, since
 * every step would give two stages one name. Returns whether it found one.
 */
function blockCycle(
    renames: readonly StageRename[],
    holders: Map<string, { id: string | undefined }[]>,
    renameOf: Map<string, StageRename>
): boolean {
    // Among the offered renames, each new name is free once its holders today are renamed away: follow that.
    const next = (rename: StageRename): StageRename[] =>
        (holders.get(rename.key) ?? [])
            .map((holder) => renameOf.get(holder.id ?? ''))
            .filter((other): other is StageRename => other !== undefined && other !== rename && other.offered);
    const done = new Set<StageRename>();
    for (const start of renames) {
        const path: StageRename[] = [];
        const onPath = new Set<StageRename>();
        const visit = (rename: StageRename): StageRename[] | undefined => {
            if (onPath.has(rename)) {
                return path.slice(path.indexOf(rename));
            }
            if (done.has(rename) || !rename.offered) {
                return undefined;
            }
            path.push(rename);
            onPath.add(rename);
            for (const other of next(rename)) {
                const cycle = visit(other);
                if (cycle) {
                    return cycle;
                }
            }
            path.pop();
            onPath.delete(rename);
            done.add(rename);
            return undefined;
        };
        const cycle = visit(start);
        if (cycle) {
            for (const rename of cycle) {
                const waitsOn = next(rename)[0] ?? rename;
                block(
                    rename,
                    `stage "${waitsOn.stage.name}" has that name and is itself to be renamed to "${waitsOn.name}"; the renames wait on each other, so rename one of them by hand`
                );
            }
            return true;
        }
    }
    return false;
}

function block(rename: StageRename, why: string): true {
    rename.offered = false;
    rename.finding.fix = false;
    rename.finding.reason += ` No fix: ${why}.`;
    return true;
}

/**
 * Rule 4: the active, unmapped values rule 1 did not claim. Auto-map decides each one's fix, planned on the state the
 * other fixes leave (renamed stages, moved and removed mappings), without the values left for the admin, so that
 * applying every fix together is what the report says.
 */
function newValues(
    scope: Scope,
    gone: GoneMappings,
    renames: readonly StageRename[],
    options: DriftOptions
): DriftFinding[] {
    const fresh = scope.unmapped.filter(({ value }) => !gone.claimed.has(value.value));
    if (fresh.length === 0) {
        return [];
    }
    const plan = planAutoMap(
        {
            object: scope.input.object,
            field: scope.input.field,
            values: scope.input.values.filter((value) => !gone.undecided.has(value.value)),
            stages: stagesAfterRenames(scope, fresh, renames),
            mappings: scope.mappings.flatMap((mapping): MappingInput[] => {
                const target = gone.renamedTo.get(mapping.value);
                if (target) {
                    return [{ value: target.value, stageId: mapping.stageId, label: labelOf(target) }];
                }
                return gone.removed.has(mapping.value) ? [] : [mapping];
            })
        },
        { suggestions: false, ...(options.newStageNames ? { newStageNames: options.newStageNames } : {}) }
    );
    const outcomeOf = new Map(plan.outcomes.map((outcome) => [outcome.value, outcome] as const));
    return fresh.flatMap(({ value }) => {
        const outcome = outcomeOf.get(value.value);
        return outcome ? [newValue(value, outcome)] : [];
    });
}

/**
 * The only stages auto-map can meet when it plans the new values, after the offered renames: those that have today
 * a key it looks up for them, and the renamed ones (under their new names). A plan looks stages up by key only, so
 * it decides these values as it would against every stage of the family, without a second pass over them all.
 */
function stagesAfterRenames(scope: Scope, fresh: readonly Unmapped[], renames: readonly StageRename[]): StageInput[] {
    const newName = new Map(renames.filter((rename) => rename.offered).map((rename) => [rename.stage.id, rename.name]));
    const stages = new Map<string, StageInput>();
    for (const { keys } of fresh) {
        for (const key of keys) {
            for (const { id, name } of scope.holders.get(key) ?? []) {
                if (id !== undefined) {
                    stages.set(id, { id, name });
                }
            }
        }
    }
    // After the stages found by today's names, so that a renamed one ends up with its new name.
    for (const [id, name] of newName) {
        stages.set(id, { id, name });
    }
    return [...stages.values()];
}

function newValue(value: PicklistValueInput, outcome: PlannedOutcome): DriftFinding {
    const fix = outcome.outcome === 'map-existing' || outcome.outcome === 'create-and-map';
    return {
        value: value.value,
        kind: 'new-value',
        ...(outcome.stageId === undefined ? {} : { stageId: outcome.stageId }),
        ...(outcome.stageName === undefined ? {} : { stageName: outcome.stageName }),
        label: labelOf(value),
        outcome: outcome.outcome,
        fix,
        reason: `"${value.value}" is new: active and not mapped yet. ${fix ? 'Fix: auto-map it.' : 'No fix: auto-map skips it.'} ${outcome.reason}`
    };
}

function stageOf(stageId: string, stageName: string | undefined): { stageId: string; stageName?: string } {
    return stageName === undefined ? { stageId } : { stageId, stageName };
}

function describeStage(stageId: string, stageName: string | undefined): string {
    return stageName === undefined ? `stage ${stageId} (which no longer exists)` : `stage "${stageName}"`;
}

function quoteAll(values: readonly string[]): string {
    return values.map((value) => `"${value}"`).join(', ');
}
