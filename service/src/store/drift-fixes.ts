/**
 * Drift fixes (issue 12): which findings of the engine's `driftReport` a request may fix, what a drift-fix run
 * records about each fix, and why its undo would be refused. The rules that decide a finding and its fix are the
 * engine's (force-app/main/default/lwc/autoMapEngine/drift.ts), never repeated here: this module only checks that
 * each fix asked for is one the report offers on the state the transaction holds, and words the undo's blockers.
 */
import { stageKey } from '../../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { DriftFinding, DriftReport } from '../../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { conflict } from '../problems.ts';
import type { ApiError } from '../problems.ts';
import type { Actor, AppliedFix, DriftFixRequest, Stage, StoredMapping, UndoBlocker } from '../types.ts';
import { quoted } from './text.ts';

/** A mapping as it was before a fix moved or removed it: what the fix's undo puts back. */
export interface MappingBefore {
    label: string | null;
    /** The language of `label` (null: none recorded; absent in fixes stored before languages were). */
    labelLanguage?: string | null;
    source: 'manual' | 'auto';
    runId: string | null;
    createdAt: string;
    createdBy: Actor;
}

/**
 * A fix as a drift-fix run stores it (runs.fixes_json): the answer's {@link AppliedFix} and what its undo needs (the
 * mapping before, the labels and their languages before and after).
 */
export interface StoredFix extends AppliedFix {
    /** probable-rename, value-removed: the mapping as it was. */
    before?: MappingBefore;
    /** probable-rename, label-changed: the label the fix recorded. */
    newLabel?: string;
    /** probable-rename, label-changed: the language the fix recorded with it (null: the request gave none). */
    newLabelLanguage?: string | null;
    /** label-changed: the mapping's label before (null: none was recorded). */
    oldLabel?: string | null;
    /** label-changed: that label's language (null: none recorded; absent in fixes stored before languages were). */
    oldLabelLanguage?: string | null;
}

/** The fix as the answers show it: without what only its undo needs. */
export function appliedFix(fix: StoredFix): AppliedFix {
    const shown: AppliedFix = { value: fix.value, kind: fix.kind };
    if (fix.stageId !== undefined) shown.stageId = fix.stageId;
    if (fix.fromValue !== undefined) shown.fromValue = fix.fromValue;
    if (fix.toValue !== undefined) shown.toValue = fix.toValue;
    if (fix.oldStageName !== undefined) shown.oldStageName = fix.oldStageName;
    if (fix.newStageName !== undefined) shown.newStageName = fix.newStageName;
    if (fix.outcome !== undefined) shown.outcome = fix.outcome;
    return shown;
}

function driftChanged(detail: string, value: string, version: number): ApiError {
    return conflict(
        'drift-changed',
        `${detail} Nothing was applied: read the scope's state again and report its drift anew.`,
        { version, value }
    );
}

/**
 * The findings the requested fixes are, in the order asked. Each must be a finding of the report, of the kind asked,
 * with a fix; else `409 drift-changed` naming the first that is not (the state or the picklist moved since the page
 * reported). A stage rename that takes a name another stage of the family has today is offered by the engine only
 * because that stage is renamed too: the rename is refused unless that one is asked for as well.
 */
export function requestedFindings(
    report: DriftReport,
    fixes: readonly DriftFixRequest[],
    stages: readonly { id: string; name: string }[],
    version: number
): DriftFinding[] {
    const findingOf = new Map(report.findings.map((finding) => [finding.value, finding] as const));
    const findings = fixes.map((fix) => {
        const finding = findingOf.get(fix.value);
        if (!finding) {
            throw driftChanged(`${quoted(fix.value)} no longer drifted (no finding is about it).`, fix.value, version);
        }
        if (finding.kind !== fix.kind) {
            throw driftChanged(
                `${quoted(fix.value)} is no longer ${fix.kind}: it is ${finding.kind} now.`,
                fix.value,
                version
            );
        }
        if (!finding.fix) {
            throw driftChanged(
                `${quoted(fix.value)} (${fix.kind}) has no fix any more: ${finding.reason}`,
                fix.value,
                version
            );
        }
        return finding;
    });
    const renames = findings.filter((finding) => finding.kind === 'label-changed');
    if (renames.length === 0) {
        return findings;
    }
    const renamed = new Set(renames.map((finding) => finding.stageId));
    // The stages that keep their names, by key (one pass over the family, not one per rename).
    const keeping = new Map<string, { id: string; name: string }>();
    for (const stage of stages) {
        if (!renamed.has(stage.id)) {
            keeping.set(stageKey(stage.name), stage);
        }
    }
    for (const finding of renames) {
        if (finding.newStageName === undefined) {
            continue;
        }
        const holder = keeping.get(stageKey(finding.newStageName));
        if (holder) {
            const other = report.findings.find((each) => each.kind === 'label-changed' && each.stageId === holder.id);
            throw driftChanged(
                `The fix of ${quoted(finding.value)} renames its stage to ${quoted(finding.newStageName)}, which stage ${quoted(holder.name)} has until it is renamed${other ? ` by the fix of ${quoted(other.value)}` : ''}: ask for both fixes together.`,
                finding.value,
                version
            );
        }
    }
    return findings;
}

/** What the undo of a drift-fix run is checked against: the scope's mappings and the family's stages now. */
export interface FixUndoContext {
    current: Map<string, StoredMapping>;
    stages: Map<string, Stage>;
}

/**
 * Why undoing a drift-fix run's fixes would be refused now (the stages and mappings its new-value part created are
 * checked as an auto-map's): each fix is reversed only when nothing later depends on what it did.
 * - probable-rename: the moved mapping must still be the one the fix made (at `toValue`, on its stage, made then),
 *   and `fromValue` must be free again;
 * - value-removed: the value must still be unmapped, its stage must exist and no other value of the scope may hold
 *   it (a mapping this undo removes does not count);
 * - label-changed: the stage must still exist with the name the fix gave it, and its old name must be free once the
 *   undo is done.
 */
export function fixUndoBlockers(
    run: { id: string; createdAt: string },
    fixes: readonly StoredFix[],
    createdMappings: readonly { value: string; stageId: string }[],
    createdStageIds: readonly string[],
    context: FixUndoContext
): UndoBlocker[] {
    const blockers: UndoBlocker[] = [];
    const stageName = (id: string): string => context.stages.get(id)?.name ?? id;
    // The mappings this undo removes (the new-value part's, as created) free their stages.
    const removedByUndo = new Set(
        createdMappings
            .filter((created) => {
                const mapping = context.current.get(created.value);
                return mapping?.runId === run.id && mapping.stageId === created.stageId;
            })
            .map((created) => created.value)
    );
    const holderOf = new Map<string, StoredMapping>();
    for (const mapping of context.current.values()) {
        if (!removedByUndo.has(mapping.value)) {
            holderOf.set(mapping.stageId, mapping);
        }
    }
    const namesAfterUndo = fixes.some((fix) => fix.kind === 'label-changed')
        ? keysAfterUndo(fixes, createdStageIds, context)
        : new Map<string, string[]>();
    const by = (mapping: StoredMapping): string =>
        `${quoted(stageName(mapping.stageId))} by ${mapping.createdBy.name} (${mapping.source})`;
    for (const fix of fixes) {
        const stageId = fix.stageId ?? '';
        if (fix.kind === 'probable-rename' && fix.fromValue !== undefined && fix.toValue !== undefined) {
            const moved = context.current.get(fix.toValue);
            if (!moved) {
                blockers.push({
                    kind: 'mapping-removed',
                    value: fix.toValue,
                    stageId,
                    ...(context.stages.has(stageId) ? { stageName: stageName(stageId) } : {}),
                    detail: `The mapping the fix moved from ${quoted(fix.fromValue)} to ${quoted(fix.toValue)} was removed since.`
                });
            } else if (moved.stageId !== stageId || moved.createdAt !== run.createdAt) {
                blockers.push({
                    kind: 'mapping-changed',
                    value: fix.toValue,
                    stageId: moved.stageId,
                    stageName: stageName(moved.stageId),
                    detail: `${quoted(fix.toValue)} is now mapped to ${by(moved)}, not by the fix that moved it from ${quoted(fix.fromValue)}.`
                });
            }
            const again = context.current.get(fix.fromValue);
            if (again) {
                blockers.push({
                    kind: 'mapping-changed',
                    value: fix.fromValue,
                    stageId: again.stageId,
                    stageName: stageName(again.stageId),
                    detail: `${quoted(fix.fromValue)}, which the fix moved to ${quoted(fix.toValue)}, is mapped again, to ${by(again)}.`
                });
            }
        } else if (fix.kind === 'value-removed') {
            const again = context.current.get(fix.value);
            const stage = context.stages.get(stageId);
            const holder = holderOf.get(stageId);
            if (again) {
                blockers.push({
                    kind: 'mapping-changed',
                    value: fix.value,
                    stageId: again.stageId,
                    stageName: stageName(again.stageId),
                    detail: `${quoted(fix.value)}, whose mapping the fix removed, is mapped again, to ${by(again)}.`
                });
            } else if (!stage) {
                blockers.push({
                    kind: 'stage-deleted',
                    value: fix.value,
                    stageId,
                    detail: `The stage ${quoted(fix.value)} was mapped to before the fix removed the mapping was deleted since.`
                });
            } else if (holder && holder.value !== fix.value) {
                blockers.push({
                    kind: 'stage-mapped-elsewhere',
                    value: fix.value,
                    stageId,
                    stageName: stage.name,
                    detail: `Stage ${quoted(stage.name)}, which ${quoted(fix.value)} was mapped to before the fix, is now mapped to ${quoted(holder.value)} by ${holder.createdBy.name}.`
                });
            }
        } else if (fix.kind === 'label-changed') {
            blockers.push(...renameBlockers(fix, namesAfterUndo, context));
        }
    }
    return blockers;
}

/**
 * The family's stage ids by the key of the name each has once the undo is done: the stages it renames back under
 * their old names, the stages it deletes (its new values') left out.
 */
function keysAfterUndo(
    fixes: readonly StoredFix[],
    createdStageIds: readonly string[],
    context: FixUndoContext
): Map<string, string[]> {
    const renamedBack = new Map<string, string>();
    for (const fix of fixes) {
        if (fix.kind === 'label-changed' && fix.stageId !== undefined) {
            renamedBack.set(fix.stageId, fix.oldStageName ?? '');
        }
    }
    const deleted = new Set(createdStageIds);
    const byKey = new Map<string, string[]>();
    for (const stage of context.stages.values()) {
        if (!deleted.has(stage.id)) {
            const key = stageKey(renamedBack.get(stage.id) ?? stage.name);
            byKey.set(key, [...(byKey.get(key) ?? []), stage.id]);
        }
    }
    return byKey;
}

/** Why a stage rename of a label-changed fix cannot be reversed now. */
function renameBlockers(
    fix: StoredFix,
    keysAfter: ReadonlyMap<string, readonly string[]>,
    context: FixUndoContext
): UndoBlocker[] {
    const stageId = fix.stageId ?? '';
    const stage = context.stages.get(stageId);
    const oldName = fix.oldStageName ?? '';
    if (!stage) {
        return [
            {
                kind: 'stage-deleted',
                value: fix.value,
                stageId,
                detail: `Stage ${quoted(fix.newStageName ?? '')}, which the fix renamed from ${quoted(oldName)}, was deleted since.`
            }
        ];
    }
    if (stage.name !== fix.newStageName) {
        return [
            {
                kind: 'mapping-changed',
                value: fix.value,
                stageId,
                stageName: stage.name,
                detail: `Stage ${quoted(stage.name)}, which the fix renamed from ${quoted(oldName)} to ${quoted(fix.newStageName ?? '')}, was renamed again since.`
            }
        ];
    }
    const otherId = (keysAfter.get(stageKey(oldName)) ?? []).find((id) => id !== stageId);
    const other = otherId === undefined ? undefined : context.stages.get(otherId);
    if (other) {
        return [
            {
                kind: 'mapping-changed',
                value: fix.value,
                stageId,
                stageName: stage.name,
                detail: `Stage ${quoted(stage.name)} cannot take its old name ${quoted(oldName)} back: stage ${quoted(other.name)} has that name now.`
            }
        ];
    }
    return [];
}
