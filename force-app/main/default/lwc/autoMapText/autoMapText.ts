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
import reasonMapExistingShared from '@salesforce/label/c.AutoMap_Reason_MapExistingShared';
import reasonOtherFieldValue from '@salesforce/label/c.AutoMap_Reason_OtherFieldValue';
import reasonCreateAndMap from '@salesforce/label/c.AutoMap_Reason_CreateAndMap';
import reasonSkipStageTaken from '@salesforce/label/c.AutoMap_Reason_SkipStageTaken';
import reasonSkipStagePlanned from '@salesforce/label/c.AutoMap_Reason_SkipStagePlanned';
import reasonSkipAmbiguous from '@salesforce/label/c.AutoMap_Reason_SkipAmbiguous';
import reasonSkipInactive from '@salesforce/label/c.AutoMap_Reason_SkipInactive';
import resultAlreadyMapped from '@salesforce/label/c.AutoMap_ResultTile_AlreadyMapped';
import resultMapExisting from '@salesforce/label/c.AutoMap_ResultTile_MapExisting';
import resultCreateAndMap from '@salesforce/label/c.AutoMap_ResultTile_CreateAndMap';
import resultSkipStageTaken from '@salesforce/label/c.AutoMap_ResultTile_SkipStageTaken';
import resultSkipAmbiguous from '@salesforce/label/c.AutoMap_ResultTile_SkipAmbiguous';
import valueNameOnly from '@salesforce/label/c.AutoMap_Value_Name';
import valueNameWithLabel from '@salesforce/label/c.AutoMap_Value_NameWithLabel';
import staleValueMissing from '@salesforce/label/c.AutoMap_Stale_ValueMissing';
import staleValueInactive from '@salesforce/label/c.AutoMap_Stale_ValueInactive';
import staleStageMissing from '@salesforce/label/c.AutoMap_Stale_StageMissing';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnLabel from '@salesforce/label/c.AutoMap_Column_Label';
import columnOutcome from '@salesforce/label/c.AutoMap_Column_Outcome';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnReason from '@salesforce/label/c.AutoMap_Column_Reason';
import categoryInProgress from '@salesforce/label/c.AutoMap_Category_InProgress';
import categorySucceeded from '@salesforce/label/c.AutoMap_Category_Succeeded';
import categoryFailed from '@salesforce/label/c.AutoMap_Category_Failed';
import categoryNone from '@salesforce/label/c.AutoMap_Category_None';
import namedCount from '@salesforce/label/c.AutoMap_List_NamedCount';
// The separator label holds no space: the platform may trim a label's trailing whitespace, so the space is added here.
import listSeparator from '@salesforce/label/c.AutoMap_List_Separator';
// The running user's locale, e.g. "en-US" or "de-DE" (https://developer.salesforce.com/docs/platform/lwc/guide/create-i18n).
import USER_LOCALE from '@salesforce/i18n/locale';

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

/**
 * A finished run's outcomes in the past tense: the result says what happened, the preview what will happen. An
 * inactive skip never happens in the wizard (see {@link WIZARD_OUTCOME_KINDS}); its present-tense name stands in.
 */
const RESULT_LABELS: Readonly<Record<OutcomeKind, string>> = Object.freeze({
    'already-mapped': resultAlreadyMapped,
    'map-existing': resultMapExisting,
    'create-and-map': resultCreateAndMap,
    'skip-stage-taken': resultSkipStageTaken,
    'skip-ambiguous': resultSkipAmbiguous,
    'skip-inactive': outcomeSkipInactive
});

/** The outcome kinds that change nothing, in the engine's order. */
export const SKIP_KINDS: readonly OutcomeKind[] = OUTCOME_KINDS.filter((kind) => isSkip(kind));

/**
 * The outcome kinds the wizard shows. Not `skip-inactive`: the wizard plans what the UI API returns, and the UI API
 * lists only the active values of a field ("Get Values for a Picklist Field",
 * https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_resources_picklist_values.htm), so that
 * count is always zero and a tile or filter for it would only puzzle.
 */
export const WIZARD_OUTCOME_KINDS: readonly OutcomeKind[] = OUTCOME_KINDS.filter((kind) => kind !== 'skip-inactive');

/** The user's locale as Intl takes it; Intl refuses a malformed tag, and then US English formats the numbers. */
function countFormat(): Intl.NumberFormat {
    try {
        return new Intl.NumberFormat(USER_LOCALE.replace(/_/g, '-'), { maximumFractionDigits: 0 });
    } catch {
        return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    }
}

const COUNT_FORMAT = countFormat();

/** A count as the user's locale writes it, grouped: 1,000 in en-US, 1.000 in de-DE. */
export function formatCount(count: number): string {
    return COUNT_FORMAT.format(count);
}

/**
 * Fills the `{0}`, `{1}`, ... placeholders of a Custom Label, as Apex's `String.format` does. A placeholder without
 * an argument is left as it is, so a translator's mistake shows instead of vanishing. Numbers are counts, written
 * with the user's grouping ({@link formatCount}), so every count on the page reads the same way.
 */
export function formatLabel(template: string, ...args: (string | number)[]): string {
    return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
        const arg = args[Number(index)];
        if (arg === undefined) {
            return placeholder;
        }
        return typeof arg === 'number' ? formatCount(arg) : arg;
    });
}

/**
 * A value as the admin can find it in Setup: its API name (which identifies it), with the label beside it when the
 * label differs (a translated or renamed label would not identify it alone).
 */
export function valueName(value: string, label: string | undefined): string {
    return label === undefined || label === '' || label === value
        ? formatLabel(valueNameOnly, value)
        : formatLabel(valueNameWithLabel, value, label);
}

/** The admin-facing name of an outcome kind. */
export function outcomeLabel(kind: OutcomeKind): string {
    return OUTCOME_LABELS[kind];
}

/** The admin-facing name of an outcome kind once the run is done, in the past tense. */
export function resultOutcomeLabel(kind: OutcomeKind): string {
    return RESULT_LABELS[kind];
}

/** True for the outcomes that map nothing and create nothing. */
export function isSkip(kind: OutcomeKind): boolean {
    return kind.startsWith('skip-');
}

/** A mapping of the same family in another field (c/stageAutoMapApi's `OtherMapping`). */
export interface OtherFieldMapping {
    object: string;
    field: string;
    value: string;
    stageId: string;
}

/** What a reason needs to know beyond its own outcome: the other values of the plan and the other fields. */
export interface ReasonContext {
    /** The label of a value of the plan; undefined for a value the plan does not list. */
    labelOf(value: string): string | undefined;
    /** True when this plan maps the value (to an existing stage or a new one). */
    plannedInRun(value: string): boolean;
    /** The other fields' mappings to a stage. */
    otherMappingsOf(stageId: string): readonly OtherFieldMapping[];
}

/** The context of the reasons of one plan: its outcomes and, when known, the family's mappings in other fields. */
export function reasonContext(
    outcomes: readonly PlannedOutcome[],
    otherMappings: readonly OtherFieldMapping[] = []
): ReasonContext {
    const byValue = new Map(outcomes.map((outcome) => [outcome.value, outcome] as const));
    const byStage = new Map<string, OtherFieldMapping[]>();
    for (const mapping of otherMappings) {
        byStage.set(mapping.stageId, [...(byStage.get(mapping.stageId) ?? []), mapping]);
    }
    return {
        labelOf: (value) => byValue.get(value)?.label,
        plannedInRun: (value) => {
            const kind = byValue.get(value)?.outcome;
            return kind === 'map-existing' || kind === 'create-and-map';
        },
        otherMappingsOf: (stageId) => byStage.get(stageId) ?? []
    };
}

/**
 * A stage held by a value this run plans is "planned for" it (as the CLI says); one held by an existing mapping is
 * "already mapped to" it. "Taken by" alone read as a contradiction when both values look alike.
 */
function stageTakenReason(outcome: PlannedOutcome, context: ReasonContext): string {
    const holder = outcome.heldBy ?? '';
    const template = context.plannedInRun(holder) ? reasonSkipStagePlanned : reasonSkipStageTaken;
    return formatLabel(template, stageNameOf(outcome), valueName(holder, context.labelOf(holder)));
}

/** "Not mapped yet" was wrong for a stage other fields map: say which, so the admin knows it is shared. */
function mapExistingReason(outcome: PlannedOutcome, context: ReasonContext): string {
    const others = outcome.stageId === undefined ? [] : context.otherMappingsOf(outcome.stageId);
    if (others.length === 0) {
        return formatLabel(reasonMapExisting, stageNameOf(outcome));
    }
    const places = others.map((other) =>
        formatLabel(reasonOtherFieldValue, valueName(other.value, undefined), `${other.object}.${other.field}`)
    );
    return formatLabel(reasonMapExistingShared, stageNameOf(outcome), places.join(`${listSeparator} `));
}

/** One reason builder per outcome kind: a new kind in the engine fails the type check here until it has one. */
const REASONS: Readonly<Record<OutcomeKind, (outcome: PlannedOutcome, context: ReasonContext) => string>> =
    Object.freeze({
        'already-mapped': (outcome) => {
            return outcome.stageName === undefined
                ? reasonAlreadyMappedStageMissing
                : formatLabel(reasonAlreadyMapped, outcome.stageName);
        },
        'map-existing': mapExistingReason,
        'create-and-map': (outcome) => formatLabel(reasonCreateAndMap, stageNameOf(outcome)),
        'skip-stage-taken': stageTakenReason,
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
 * Why a value gets its outcome, in the admin's language. `context` ({@link reasonContext}) knows the plan's other
 * values (to tell "planned for" from "already mapped to", and to name a value with its label) and the other fields'
 * mappings; without it, the outcome is read alone.
 */
export function outcomeReason(outcome: PlannedOutcome, context: ReasonContext = reasonContext([outcome])): string {
    return REASONS[outcome.outcome](outcome, context);
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
export function planToCsv(outcomes: readonly PlannedOutcome[], context = reasonContext(outcomes)): string {
    const rows = [
        [columnValue, columnLabel, columnOutcome, columnStage, columnReason],
        ...outcomes.map((outcome) => [
            outcome.value,
            outcome.label,
            outcomeLabel(outcome.outcome),
            outcome.stageName ?? outcome.stageId ?? '',
            outcomeReason(outcome, context)
        ])
    ];
    return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Stage categories
// ---------------------------------------------------------------------------------------------------------------

/** Where a stage sits in the sales process, as the service names it; null is no category ("None"). */
export type StageCategoryName = 'in_progress' | 'succeeded' | 'failed';

/** How many stages a run created per category (the service's `createdCategories`; `none` counts no category). */
export interface CategoryCounts {
    in_progress: number;
    succeeded: number;
    failed: number;
    none: number;
}

/** The categories in the order the admin chooses from, None last (it is the default, not a choice of meaning). */
const CATEGORY_ORDER: readonly (keyof CategoryCounts)[] = ['in_progress', 'succeeded', 'failed', 'none'];

const CATEGORY_LABELS: Readonly<Record<keyof CategoryCounts, string>> = Object.freeze({
    in_progress: categoryInProgress,
    succeeded: categorySucceeded,
    failed: categoryFailed,
    none: categoryNone
});

/**
 * A combobox option's value for "None": a combobox value is a string, and the service's none is null. Never a
 * category name, so it cannot be mistaken for one.
 */
export const NO_CATEGORY = 'none';

/** The admin-facing name of a stage category; None for null (or missing: Apex may leave a null member out). */
export function categoryLabel(category: StageCategoryName | null | undefined): string {
    return category ? CATEGORY_LABELS[category] : categoryNone;
}

/** The options of a category combobox: In progress, Succeeded, Failed, None ({@link NO_CATEGORY}). */
export function categoryOptions(): { label: string; value: string }[] {
    return CATEGORY_ORDER.map((key) => ({ label: CATEGORY_LABELS[key], value: key }));
}

/** The category a combobox value stands for: null for None and for a value no option has. */
export function categoryFromOption(value: string | undefined): StageCategoryName | null {
    return value === 'in_progress' || value === 'succeeded' || value === 'failed' ? value : null;
}

/** The combobox value of a category: {@link NO_CATEGORY} for null. */
export function categoryOption(category: StageCategoryName | null): string {
    return category ?? NO_CATEGORY;
}

/**
 * "In progress: 1, Succeeded: 2, None: 3": the categories with at least one stage, in the combobox's order; '' when
 * every count is zero (the run created no stage).
 */
export function categoryCountsText(counts: CategoryCounts): string {
    return CATEGORY_ORDER.filter((key) => counts[key] > 0)
        .map((key) => formatLabel(namedCount, CATEGORY_LABELS[key], counts[key]))
        .join(`${listSeparator} `);
}
