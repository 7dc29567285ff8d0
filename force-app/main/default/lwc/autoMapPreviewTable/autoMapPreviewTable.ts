import { LightningElement, api } from 'lwc';
import { OUTCOME_KINDS } from 'c/autoMapEngine';
import type { OutcomeKind, PlannedOutcome } from 'c/autoMapEngine';
import { formatLabel, isSkip, labelLookup, outcomeLabel, outcomeReason } from 'c/autoMapText';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnLabel from '@salesforce/label/c.AutoMap_Column_Label';
import columnOutcome from '@salesforce/label/c.AutoMap_Column_Outcome';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnReason from '@salesforce/label/c.AutoMap_Column_Reason';
import filterLabel from '@salesforce/label/c.AutoMap_Preview_FilterLabel';
import filterAll from '@salesforce/label/c.AutoMap_Preview_FilterAll';
import filterSkipped from '@salesforce/label/c.AutoMap_Preview_FilterSkipped';
import filterOutcome from '@salesforce/label/c.AutoMap_Preview_FilterOutcome';
import showingCount from '@salesforce/label/c.AutoMap_Preview_ShowingCount';
import noMatch from '@salesforce/label/c.AutoMap_Preview_NoMatch';
import converted from '@salesforce/label/c.AutoMap_Preview_Converted';
import scrollRegion from '@salesforce/label/c.AutoMap_Preview_ScrollRegion';

/** All values, only the skipped ones, or one outcome kind. */
type Filter = 'all' | 'skipped' | OutcomeKind;

interface PreviewRow {
    key: string;
    value: string;
    label: string;
    outcome: OutcomeKind;
    outcomeLabel: string;
    stage: string;
    reason: string;
    skipped: boolean;
    converted: boolean;
    rowClass: string;
}

/**
 * The plan as a table: every value with its outcome, the stage and the reason, skips highlighted (by colour and by
 * the words "Skipped: ..."), filterable by outcome. Plain SLDS markup rather than lightning-datatable: rows are
 * computed once per plan and rendered without per-cell components, so 1,000 values render fast, and screen readers
 * get a real table with a caption and row headers.
 */
export default class AutoMapPreviewTable extends LightningElement {
    /** Names the table for screen readers, e.g. "Preview of Lead Status". */
    @api caption = '';

    labels = { columnValue, columnLabel, columnOutcome, columnStage, columnReason, filterLabel, noMatch, converted };

    filter: Filter = 'all';
    rows: PreviewRow[] = [];
    private plannedOutcomes: PlannedOutcome[] = [];
    private convertedSet: ReadonlySet<string> = new Set();

    /** The plan's outcomes, in picklist order. */
    @api
    get outcomes(): PlannedOutcome[] {
        return this.plannedOutcomes;
    }
    set outcomes(outcomes: PlannedOutcome[] | undefined) {
        this.plannedOutcomes = outcomes ?? [];
        this.rows = this.buildRows();
        if (this.filter !== 'all' && !this.filterOptions.some((option) => option.value === this.filter)) {
            this.filter = 'all';
        }
    }

    /** Values that convert a Lead (UI API `attributes.converted`), marked in the label column. */
    @api
    get convertedValues(): string[] {
        return [...this.convertedSet];
    }
    set convertedValues(values: string[] | undefined) {
        this.convertedSet = new Set(values ?? []);
        this.rows = this.buildRows();
    }

    private buildRows(): PreviewRow[] {
        const labelOf = labelLookup(this.plannedOutcomes);
        return this.plannedOutcomes.map((outcome) => {
            const skipped = isSkip(outcome.outcome);
            return {
                key: outcome.value,
                value: outcome.value,
                label: outcome.label,
                outcome: outcome.outcome,
                outcomeLabel: outcomeLabel(outcome.outcome),
                stage: outcome.stageName ?? outcome.stageId ?? '',
                reason: outcomeReason(outcome, labelOf),
                skipped,
                converted: this.convertedSet.has(outcome.value),
                rowClass: skipped ? 'slds-hint-parent skipped-row' : 'slds-hint-parent'
            };
        });
    }

    get filterOptions(): { label: string; value: Filter }[] {
        const counts = new Map<OutcomeKind, number>();
        for (const row of this.rows) {
            counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
        }
        const skipped = this.rows.filter((row) => row.skipped).length;
        const options: { label: string; value: Filter }[] = [
            { label: formatLabel(filterAll, this.rows.length), value: 'all' }
        ];
        if (skipped > 0) {
            options.push({ label: formatLabel(filterSkipped, skipped), value: 'skipped' });
        }
        for (const kind of OUTCOME_KINDS) {
            const count = counts.get(kind) ?? 0;
            if (count > 0) {
                options.push({ label: formatLabel(filterOutcome, outcomeLabel(kind), count), value: kind });
            }
        }
        return options;
    }

    get visibleRows(): PreviewRow[] {
        const filter = this.filter;
        if (filter === 'all') {
            return this.rows;
        }
        return this.rows.filter((row) => (filter === 'skipped' ? row.skipped : row.outcome === filter));
    }

    get noVisibleRows(): boolean {
        return this.visibleRows.length === 0;
    }

    get showingText(): string {
        return formatLabel(showingCount, this.visibleRows.length, this.rows.length);
    }

    get scrollRegionLabel(): string {
        return formatLabel(scrollRegion, this.caption);
    }

    handleFilterChange(event: CustomEvent<{ value: string }>): void {
        const chosen = this.filterOptions.find((option) => option.value === event.detail.value);
        this.filter = chosen ? chosen.value : 'all';
    }
}
