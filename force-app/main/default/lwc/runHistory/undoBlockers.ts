/**
 * Why a run cannot be undone, in the admin's words: one Custom Label per blocker kind, filled with the names of
 * values and stages. The service's `detail` is English and falls back to a stage's id when the stage is gone, so it
 * is never shown: ids mean nothing to an admin.
 *
 * A run of drift fixes meets the same kinds for other reasons: the stage it renamed, or the mapping it moved or
 * removed, changed since. Its sentences say "changed since this run" where an auto-map's say "this run created".
 */
import { formatLabel } from 'c/autoMapText';
import type { OtherMapping, RunSummary, UndoBlocker } from 'c/stageAutoMapApi';
import undoBlocked from '@salesforce/label/c.AutoMap_History_UndoBlocked';
import alreadyUndone from '@salesforce/label/c.AutoMap_History_BlockerAlreadyUndone';
import mappingRemoved from '@salesforce/label/c.AutoMap_History_BlockerMappingRemoved';
import mappingChanged from '@salesforce/label/c.AutoMap_History_BlockerMappingChanged';
import mappingChangedNoStage from '@salesforce/label/c.AutoMap_History_BlockerMappingChangedNoStage';
import stageDeleted from '@salesforce/label/c.AutoMap_History_BlockerStageDeleted';
import stageDeletedNoValue from '@salesforce/label/c.AutoMap_History_BlockerStageDeletedNoValue';
import recordsInStage from '@salesforce/label/c.AutoMap_History_BlockerRecordsInStage';
import stageMappedElsewhere from '@salesforce/label/c.AutoMap_History_BlockerStageMappedElsewhere';
import stageMappedElsewhereUnknown from '@salesforce/label/c.AutoMap_History_BlockerStageMappedElsewhereUnknown';
import fixMappingChanged from '@salesforce/label/c.AutoMap_History_FixBlockerMappingChanged';
import fixMappingChangedNoStage from '@salesforce/label/c.AutoMap_History_FixBlockerMappingChangedNoStage';
import fixStageDeleted from '@salesforce/label/c.AutoMap_History_FixBlockerStageDeleted';
import fixStageDeletedNoValue from '@salesforce/label/c.AutoMap_History_FixBlockerStageDeletedNoValue';
import fixStageMappedElsewhere from '@salesforce/label/c.AutoMap_History_FixBlockerStageMappedElsewhere';
import fixStageMappedElsewhereUnknown from '@salesforce/label/c.AutoMap_History_FixBlockerStageMappedElsewhereUnknown';
import blockerMore from '@salesforce/label/c.AutoMap_History_BlockerMore';
import otherMapping from '@salesforce/label/c.AutoMap_Field_OtherMapping';
import listSeparator from '@salesforce/label/c.AutoMap_List_Separator';
import { isDriftFix } from './runDetails';
import type { RunFacts } from './runDetails';

/** What the page knows to name things: value labels, the family's mappings in other fields, field names. */
export interface NamingContext {
    valueLabel(value: string): string;
    otherMappings: readonly OtherMapping[];
    fieldName(object: string, field: string): string;
}

/** The stage's name when the service knew it; the service puts the id in its place when the stage is gone. */
function stageNameOf(blocker: UndoBlocker): string | undefined {
    const name = blocker.stageName;
    return name && name !== blocker.stageId ? name : undefined;
}

/** `"Meeting" in Contact Status, "Met" in Lead Status`: where else a stage is mapped, or '' when not known. */
function elsewhere(stageId: string | undefined, context: NamingContext): string {
    return context.otherMappings
        .filter((mapping) => mapping.stageId === stageId)
        .map((mapping) => formatLabel(otherMapping, context.fieldName(mapping.object, mapping.field), mapping.value))
        .join(`${listSeparator} `);
}

/** One sentence builder per blocker kind: a new kind in the contract fails the type check here until it has one. */
const SENTENCES: Readonly<
    Record<UndoBlocker['kind'], (blocker: UndoBlocker, value: string, context: NamingContext) => string>
> = Object.freeze({
    'already-undone': () => alreadyUndone,
    'mapping-removed': (_blocker, value) => formatLabel(mappingRemoved, value),
    'mapping-changed': (blocker, value) => {
        const stage = stageNameOf(blocker);
        return stage === undefined
            ? formatLabel(mappingChangedNoStage, value)
            : formatLabel(mappingChanged, value, stage);
    },
    'stage-deleted': (blocker, value) => {
        return blocker.value === undefined ? stageDeletedNoValue : formatLabel(stageDeleted, value);
    },
    'records-in-stage': (blocker) => formatLabel(recordsInStage, stageNameOf(blocker) ?? ''),
    'stage-mapped-elsewhere': (blocker, _value, context) => {
        const where = elsewhere(blocker.stageId, context);
        const stage = stageNameOf(blocker) ?? '';
        return where
            ? formatLabel(stageMappedElsewhere, stage, where)
            : formatLabel(stageMappedElsewhereUnknown, stage);
    }
});

/**
 * The kinds a drift-fix run words differently: its stages were renamed, its mappings moved or removed, and only the
 * stages of its new values were created by it. The other kinds read the same for both runs.
 */
const FIX_SENTENCES: Readonly<
    Partial<Record<UndoBlocker['kind'], (blocker: UndoBlocker, value: string, context: NamingContext) => string>>
> = Object.freeze({
    'mapping-changed': (blocker: UndoBlocker, value: string) => {
        const stage = stageNameOf(blocker);
        return stage === undefined
            ? formatLabel(fixMappingChangedNoStage, value)
            : formatLabel(fixMappingChanged, value, stage);
    },
    'stage-deleted': (blocker: UndoBlocker, value: string) => {
        return blocker.value === undefined ? fixStageDeletedNoValue : formatLabel(fixStageDeleted, value);
    },
    'stage-mapped-elsewhere': (blocker: UndoBlocker, _value: string, context: NamingContext) => {
        const where = elsewhere(blocker.stageId, context);
        const stage = stageNameOf(blocker) ?? '';
        return where
            ? formatLabel(fixStageMappedElsewhere, stage, where)
            : formatLabel(fixStageMappedElsewhereUnknown, stage);
    }
});

function sentence(blocker: UndoBlocker, context: NamingContext, driftFix: boolean): string {
    const value = blocker.value === undefined ? '' : context.valueLabel(blocker.value);
    const build = (driftFix ? FIX_SENTENCES[blocker.kind] : undefined) ?? SENTENCES[blocker.kind];
    return build(blocker, value, context);
}

/** Each reason as a sentence, plus how many the service did not list. Empty when the run can be undone. */
export function undoBlockerSentences(run: RunSummary & RunFacts, context: NamingContext): string[] {
    const blockers = run.undoBlockers;
    const driftFix = isDriftFix(run);
    const sentences = blockers.map((blocker) => sentence(blocker, context, driftFix));
    const unlisted = run.undoBlockerCount - blockers.length;
    if (unlisted > 0) {
        sentences.push(formatLabel(blockerMore, unlisted));
    }
    return sentences;
}

/** "Can't be undone: ..." for the line beside a disabled Undo button; '' when the run can be undone. */
export function undoBlockedText(run: RunSummary & RunFacts, context: NamingContext): string {
    const sentences = undoBlockerSentences(run, context);
    return sentences.length === 0 ? '' : formatLabel(undoBlocked, sentences.join(' '));
}
