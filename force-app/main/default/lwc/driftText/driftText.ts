/**
 * The sentences of the page's "Changes since mapping": what each drift kind is called, why a value drifted and what
 * its fix does, made from Custom Labels so an admin reads them in their language.
 *
 * Why the UI writes its own: the engine's `reason` is English, for the CLI, the service's history and logs. Here each
 * sentence is rebuilt from the finding's fields (value, labels, stage, rename target, candidates, planned outcome);
 * the rules that decide the kind and whether a fix exists stay in the engine (nothing here decides a finding).
 *
 * The UI API lists only the active values of a field, so on the page a deactivated value is simply gone:
 * `value-removed` reads "removed or deactivated". `value-deactivated` only comes with inactive values (the CLI).
 */
import { stageKey } from 'c/autoMapEngine';
import type { DriftFinding, DriftKind } from 'c/autoMapEngine';
import type { DriftFixRequest, FixableDriftKind } from 'c/stageAutoMapApi';
import { formatLabel, valueName } from 'c/autoMapText';
import kindProbableRename from '@salesforce/label/c.AutoMap_DriftKind_ProbableRename';
import kindValueRemoved from '@salesforce/label/c.AutoMap_DriftKind_ValueRemoved';
import kindValueDeactivated from '@salesforce/label/c.AutoMap_DriftKind_ValueDeactivated';
import kindLabelChanged from '@salesforce/label/c.AutoMap_DriftKind_LabelChanged';
import kindNewValue from '@salesforce/label/c.AutoMap_DriftKind_NewValue';
import reasonProbableRename from '@salesforce/label/c.AutoMap_DriftReason_ProbableRename';
import reasonValueRemoved from '@salesforce/label/c.AutoMap_DriftReason_ValueRemoved';
import reasonValueRemovedCandidates from '@salesforce/label/c.AutoMap_DriftReason_ValueRemovedCandidates';
import reasonValueRemovedShared from '@salesforce/label/c.AutoMap_DriftReason_ValueRemovedShared';
import reasonValueDeactivated from '@salesforce/label/c.AutoMap_DriftReason_ValueDeactivated';
import reasonLabelChangedRename from '@salesforce/label/c.AutoMap_DriftReason_LabelChangedRename';
import reasonLabelChangedBlocked from '@salesforce/label/c.AutoMap_DriftReason_LabelChangedBlocked';
import reasonLabelChangedBlockedBy from '@salesforce/label/c.AutoMap_DriftReason_LabelChangedBlockedBy';
import reasonLabelChangedOwnName from '@salesforce/label/c.AutoMap_DriftReason_LabelChangedOwnName';
import reasonLabelChangedStageMissing from '@salesforce/label/c.AutoMap_DriftReason_LabelChangedStageMissing';
import reasonNewMapExisting from '@salesforce/label/c.AutoMap_DriftReason_NewMapExisting';
import reasonNewCreate from '@salesforce/label/c.AutoMap_DriftReason_NewCreate';
import reasonNewStageTaken from '@salesforce/label/c.AutoMap_DriftReason_NewStageTaken';
import reasonNewAmbiguous from '@salesforce/label/c.AutoMap_DriftReason_NewAmbiguous';
import fixMoveMapping from '@salesforce/label/c.AutoMap_DriftFix_MoveMapping';
import fixRemoveMapping from '@salesforce/label/c.AutoMap_DriftFix_RemoveMapping';
import fixRenameStage from '@salesforce/label/c.AutoMap_DriftFix_RenameStage';
import fixMapExisting from '@salesforce/label/c.AutoMap_DriftFix_MapExisting';
import fixCreateAndMap from '@salesforce/label/c.AutoMap_DriftFix_CreateAndMap';
import notMapped from '@salesforce/label/c.AutoMap_Mappings_NotMapped';
import stageMissing from '@salesforce/label/c.AutoMap_Mappings_StageMissing';
// The separator label holds no space: the platform may trim a label's trailing whitespace, so the space is added here.
import listSeparator from '@salesforce/label/c.AutoMap_List_Separator';

/** One name per kind: a new kind in the engine fails the type check here until it has one. */
const KIND_LABELS: Readonly<Record<DriftKind, string>> = Object.freeze({
    'probable-rename': kindProbableRename,
    'value-removed': kindValueRemoved,
    'value-deactivated': kindValueDeactivated,
    'label-changed': kindLabelChanged,
    'new-value': kindNewValue
});

/** The kinds a fix exists for (`value-deactivated` is advice only); the service refuses any other. */
const FIXABLE: ReadonlySet<DriftKind> = new Set<FixableDriftKind>([
    'probable-rename',
    'value-removed',
    'label-changed',
    'new-value'
]);

/** The admin-facing name of a drift kind. */
export function driftKindLabel(kind: DriftKind): string {
    return KIND_LABELS[kind];
}

/** A finding whose fix the page may offer: the engine says a fix exists and the service knows the kind. */
export function isFixable(finding: DriftFinding): finding is DriftFinding & { kind: FixableDriftKind } {
    return finding.fix && FIXABLE.has(finding.kind);
}

/** What the page sends to apply the fixes of these findings (those without a fix are left out). */
export function fixRequestsOf(findings: readonly DriftFinding[]): DriftFixRequest[] {
    return findings.filter(isFixable).map((finding) => ({ value: finding.value, kind: finding.kind }));
}

/** A lookup from a value's API name to its label today (undefined when the field no longer has the value). */
export type LabelOf = (value: string) => string | undefined;

/**
 * The stage column of a finding: the stage the value is mapped to now. A new value has none yet (what auto-map
 * would do is said in the reason), and a mapping may hold a stage that was deleted since.
 */
export function findingStageText(finding: DriftFinding): string {
    if (finding.kind === 'new-value') {
        return notMapped;
    }
    return finding.stageName ?? stageMissing;
}

/** One reason builder per kind: a new kind in the engine fails the type check here until it has one. */
type ReasonOf = (finding: DriftFinding, labelOf: LabelOf, blocker?: string) => string;

const REASONS: Readonly<Record<DriftKind, ReasonOf>> = Object.freeze({
    'probable-rename': (finding, labelOf) => {
        const target = finding.renamedTo ?? '';
        return formatLabel(
            reasonProbableRename,
            valueName(finding.value, undefined),
            valueName(target, labelOf(target)),
            recordedLabelOf(finding)
        );
    },
    'value-removed': removedReason,
    'value-deactivated': (finding) => formatLabel(reasonValueDeactivated, valueName(finding.value, undefined)),
    'label-changed': labelChangedReason,
    'new-value': newValueReason
});

/** The label a mapping recorded (the engine gives the value itself for old data that recorded none). */
function recordedLabelOf(finding: DriftFinding): string {
    return finding.recordedLabel ?? finding.value;
}

function removedReason(finding: DriftFinding, labelOf: LabelOf): string {
    const candidates = finding.candidates ?? [];
    const value = valueName(finding.value, undefined);
    if (candidates.length === 0) {
        return formatLabel(reasonValueRemoved, value, recordedLabelOf(finding));
    }
    const names = candidates.map((candidate) => valueName(candidate, labelOf(candidate)));
    // One candidate and still no fix: another gone mapping was labelled the same, so either could have become it.
    return candidates.length === 1
        ? formatLabel(reasonValueRemovedShared, value, names[0] ?? '', recordedLabelOf(finding))
        : formatLabel(
              reasonValueRemovedCandidates,
              value,
              candidates.length,
              recordedLabelOf(finding),
              names.join(`${listSeparator} `)
          );
}

/**
 * The stage that stops a label-changed finding's rename, for its reason: a stage of the family that has the new name
 * today (names compared by `stageKey`, as the engine does), else the stage another finding would rename to it. The
 * engine decides that the rename is blocked; this only names by whom, since a finding carries no stage but its own.
 * `undefined` when the finding is not a blocked rename or no such stage is found (the reason then names none).
 */
export function blockingStageName(
    finding: DriftFinding,
    stages: readonly { id: string; name: string }[],
    findings: readonly DriftFinding[]
): string | undefined {
    if (finding.kind !== 'label-changed' || finding.fix || finding.newStageName === undefined) {
        return undefined;
    }
    const key = stageKey(finding.newStageName);
    const holder = stages.find((stage) => stage.id !== finding.stageId && stageKey(stage.name) === key);
    if (holder) {
        return holder.name;
    }
    const rival = findings.find(
        (other) =>
            other !== finding &&
            other.kind === 'label-changed' &&
            other.stageId !== finding.stageId &&
            other.newStageName !== undefined &&
            stageKey(other.newStageName) === key
    );
    return rival?.stageName;
}

/**
 * A relabelled value: the engine offers a rename only for a stage named after the old label (then `newStageName` is
 * set); without a fix despite that name, another stage has or would get it, named when the page knows which.
 */
function labelChangedReason(finding: DriftFinding, _labelOf: LabelOf, blocker?: string): string {
    const value = valueName(finding.value, undefined);
    const from = recordedLabelOf(finding);
    const to = finding.label ?? finding.value;
    if (finding.stageName === undefined) {
        return formatLabel(reasonLabelChangedStageMissing, value, from, to);
    }
    if (finding.newStageName === undefined) {
        return formatLabel(reasonLabelChangedOwnName, value, from, to, finding.stageName);
    }
    return finding.fix
        ? formatLabel(reasonLabelChangedRename, value, from, to, finding.stageName)
        : blocker === undefined
          ? formatLabel(reasonLabelChangedBlocked, value, from, to, finding.stageName, finding.newStageName)
          : formatLabel(reasonLabelChangedBlockedBy, value, from, to, finding.stageName, finding.newStageName, blocker);
}

/** A new value: what auto-map would do with it, as the engine planned it after the other fixes. */
function newValueReason(finding: DriftFinding): string {
    const value = valueName(finding.value, finding.label);
    const stage = finding.stageName ?? '';
    switch (finding.outcome) {
        case 'map-existing':
            return formatLabel(reasonNewMapExisting, value, stage);
        case 'create-and-map':
            return formatLabel(reasonNewCreate, value, stage);
        case 'skip-stage-taken':
            return formatLabel(reasonNewStageTaken, value, stage);
        default:
            // skip-ambiguous; the other outcomes never reach a new value (it is active and unmapped).
            return formatLabel(reasonNewAmbiguous, value);
    }
}

/**
 * Why the value drifted and what happens to it, in the admin's language, from the finding's fields; `blocker` names
 * the stage that stops a label-changed rename (`blockingStageName`).
 */
export function driftReason(finding: DriftFinding, labelOf: LabelOf, blocker?: string): string {
    return REASONS[finding.kind](finding, labelOf, blocker);
}

/** One sentence per fixable kind: a new fixable kind fails the type check here until it has one. */
const FIX_ACTIONS: Readonly<Record<FixableDriftKind, (finding: DriftFinding, labelOf: LabelOf) => string>> =
    Object.freeze({
        'probable-rename': (finding, labelOf) => {
            const target = finding.renamedTo ?? '';
            return formatLabel(fixMoveMapping, valueName(finding.value, undefined), valueName(target, labelOf(target)));
        },
        'value-removed': (finding) => formatLabel(fixRemoveMapping, valueName(finding.value, undefined)),
        'label-changed': (finding) =>
            formatLabel(
                fixRenameStage,
                finding.stageName ?? '',
                finding.newStageName ?? '',
                valueName(finding.value, undefined)
            ),
        'new-value': (finding) =>
            formatLabel(
                finding.outcome === 'map-existing' ? fixMapExisting : fixCreateAndMap,
                valueName(finding.value, finding.label),
                finding.stageName ?? ''
            )
    });

/**
 * What applying a finding's fix does, for the preview before Apply; '' for a finding without a fix. The stage of a
 * moved or removed mapping is not named: it stays as it is, and it may have been deleted since.
 */
export function fixAction(finding: DriftFinding, labelOf: LabelOf): string {
    if (!isFixable(finding)) {
        return '';
    }
    return FIX_ACTIONS[finding.kind](finding, labelOf);
}
