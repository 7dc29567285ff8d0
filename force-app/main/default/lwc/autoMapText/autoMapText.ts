/**
 * Every sentence the setup page builds from data, made from Custom Labels so an admin reads it in their language:
 * outcome names, the reason for each planned outcome, housekeeping problems, and the CSV export of a plan.
 *
 * Why the UI writes its own reasons: the engine's `reason` is English, for the CLI, the service's history and logs.
 * Here a reason is rebuilt from the outcome kind and the stage and value it names; the rules themselves stay in the
 * engine (nothing here decides an outcome).
 */
import { OUTCOME_KINDS } from 'c/autoMapEngine';
import type { HousekeepingReport, OutcomeKind, PlannedOutcome } from 'c/autoMapEngine';
import outcomeAlreadyMapped from '@salesforce/label/c.AutoMap_Outcome_AlreadyMapped';
import outcomeMapExisting from '@salesforce/label/c.AutoMap_Outcome_MapExisting';
import outcomeCreateAndMap from '@salesforce/label/c.AutoMap_Outcome_CreateAndMap';
import outcomeSkipStageTaken from '@salesforce/label/c.AutoMap_Outcome_SkipStageTaken';
import outcomeSkipAmbiguous from '@salesforce/label/c.AutoMap_Outcome_SkipAmbiguous';
import outcomeSkipInactive from '@salesforce/label/c.AutoMap_Outcome_SkipInactive';
import reasonAlreadyMapped from '@salesforce/label/c.AutoMap_Reason_AlreadyMapped';
import reasonAlreadyMappedStageMissing from '@salesforce/label/c.AutoMap_Reason_AlreadyMappedStageMissing';
import reasonMapExisting from '@salesforce/label/c.AutoMap_Reason_MapExisting';
import reasonCreateAndMap from '@salesforce/label/c.AutoMap_Reason_CreateAndMap';
import reasonSkipStageTaken from '@salesforce/label/c.AutoMap_Reason_SkipStageTaken';
import reasonSkipAmbiguous from '@salesforce/label/c.AutoMap_Reason_SkipAmbiguous';
import reasonSkipInactive from '@salesforce/label/c.AutoMap_Reason_SkipInactive';
import staleValueMissing from '@salesforce/label/c.AutoMap_Stale_ValueMissing';
import staleValueInactive from '@salesforce/label/c.AutoMap_Stale_ValueInactive';
import staleStageMissing from '@salesforce/label/c.AutoMap_Stale_StageMissing';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnLabel from '@salesforce/label/c.AutoMap_Column_Label';
import columnOutcome from '@salesforce/label/c.AutoMap_Column_Outcome';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnReason from '@salesforce/label/c.AutoMap_Column_Reason';
// The separator label holds no space: the platform may trim a label's trailing whitespace, so the space is added here.
import listSeparator from '@salesforce/label/c.AutoMap_List_Separator';

export type StaleReason = HousekeepingReport['staleMappings'][number]['reason'];

const OUTCOME_LABELS: Readonly<Record<OutcomeKind, string>> = Object.freeze({
    'already-mapped': outcomeAlreadyMapped,
    'map-existing': outcomeMapExisting,
    'create-and-map': outcomeCreateAndMap,
    'skip-stage-taken': outcomeSkipStageTaken,
    'skip-ambiguous': outcomeSkipAmbiguous,
    'skip-inactive': outcomeSkipInactive
});

const STALE_LABELS: Readonly<Record<StaleReason, string>> = Object.freeze({
    'value-missing': staleValueMissing,
    'value-inactive': staleValueInactive,
    'stage-missing': staleStageMissing
});

/** The outcome kinds that change nothing, in the engine's order. */
export const SKIP_KINDS: readonly OutcomeKind[] = OUTCOME_KINDS.filter((kind) => isSkip(kind));

/**
 * Fills the `{0}`, `{1}`, ... placeholders of a Custom Label, as Apex's `String.format` does. A placeholder without
 * an argument is left as it is, so a translator's mistake shows instead of vanishing.
 */
export function formatLabel(template: string, ...args: (string | number)[]): string {
    return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
        const arg = args[Number(index)];
        return arg === undefined ? placeholder : String(arg);
    });
}

/** The admin-facing name of an outcome kind. */
export function outcomeLabel(kind: OutcomeKind): string {
    return OUTCOME_LABELS[kind];
}

/** True for the outcomes that map nothing and create nothing. */
export function isSkip(kind: OutcomeKind): boolean {
    return kind.startsWith('skip-');
}

/** One reason builder per outcome kind: a new kind in the engine fails the type check here until it has one. */
const REASONS: Readonly<Record<OutcomeKind, (outcome: PlannedOutcome, labelOf: (value: string) => string) => string>> =
    Object.freeze({
        'already-mapped': (outcome) => {
            return outcome.stageName === undefined
                ? reasonAlreadyMappedStageMissing
                : formatLabel(reasonAlreadyMapped, outcome.stageName);
        },
        'map-existing': (outcome) => formatLabel(reasonMapExisting, stageNameOf(outcome)),
        'create-and-map': (outcome) => formatLabel(reasonCreateAndMap, stageNameOf(outcome)),
        'skip-stage-taken': (outcome, labelOf) =>
            formatLabel(reasonSkipStageTaken, stageNameOf(outcome), labelOf(outcome.heldBy ?? '')),
        'skip-ambiguous': (outcome) => {
            const candidates = outcome.candidates ?? [];
            return formatLabel(
                reasonSkipAmbiguous,
                candidates.length,
                candidates.map((stage) => stage.name).join(`${listSeparator} `)
            );
        },
        'skip-inactive': () => reasonSkipInactive
    });

function stageNameOf(outcome: PlannedOutcome): string {
    return outcome.stageName ?? outcome.stageId ?? '';
}

/**
 * Why a value gets its outcome, in the admin's language. `labelOf` turns a value's API name into the label the
 * admin knows (for "taken by ..."); without it the API name is shown.
 */
export function outcomeReason(outcome: PlannedOutcome, labelOf: (value: string) => string = (value) => value): string {
    return REASONS[outcome.outcome](outcome, labelOf);
}

/** What is wrong with a stale mapping. */
export function staleReasonLabel(reason: StaleReason): string {
    return STALE_LABELS[reason];
}

/** A lookup from a value's API name to its label, for the values of a plan. */
export function labelLookup(outcomes: readonly PlannedOutcome[]): (value: string) => string {
    const labels = new Map(outcomes.map((outcome) => [outcome.value, outcome.label] as const));
    return (value) => labels.get(value) ?? value;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV export
// ---------------------------------------------------------------------------------------------------------------

/** Cells a spreadsheet would run as a formula (CSV injection): prefixed with an apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(text: string): string {
    const safe = FORMULA_START.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The plan as CSV (RFC 4180, CRLF line ends, a byte order mark so spreadsheets read accents and umlauts right):
 * value, label, outcome, stage and reason for every value, with the headers in the admin's language.
 */
export function planToCsv(outcomes: readonly PlannedOutcome[]): string {
    const labelOf = labelLookup(outcomes);
    const rows = [
        [columnValue, columnLabel, columnOutcome, columnStage, columnReason],
        ...outcomes.map((outcome) => [
            outcome.value,
            outcome.label,
            outcomeLabel(outcome.outcome),
            outcome.stageName ?? outcome.stageId ?? '',
            outcomeReason(outcome, labelOf)
        ])
    ];
    return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
