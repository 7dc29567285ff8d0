import { LightningElement, api } from 'lwc';
import { OUTCOME_KINDS, stageNameFromLabel } from 'c/autoMapEngine';
import type { NewStageNames, OutcomeKind, PlannedOutcome, StageInput } from 'c/autoMapEngine';
import {
    categoryFromOption,
    categoryOption,
    categoryOptions,
    formatLabel,
    isSkip,
    outcomeLabel,
    outcomeReason,
    reasonContext,
    valueName
} from 'c/autoMapText';
import type { OtherFieldMapping, StageCategoryName } from 'c/autoMapText';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnLabel from '@salesforce/label/c.AutoMap_Column_Label';
import columnOutcome from '@salesforce/label/c.AutoMap_Column_Outcome';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnReason from '@salesforce/label/c.AutoMap_Column_Reason';
import columnCategory from '@salesforce/label/c.AutoMap_Column_Category';
import categoryAssistive from '@salesforce/label/c.AutoMap_Preview_CategoryAssistive';
import filterLabel from '@salesforce/label/c.AutoMap_Preview_FilterLabel';
import filterAll from '@salesforce/label/c.AutoMap_Preview_FilterAll';
import filterSkipped from '@salesforce/label/c.AutoMap_Preview_FilterSkipped';
import filterOutcome from '@salesforce/label/c.AutoMap_Preview_FilterOutcome';
import showingCount from '@salesforce/label/c.AutoMap_Preview_ShowingCount';
import noMatch from '@salesforce/label/c.AutoMap_Preview_NoMatch';
import converted from '@salesforce/label/c.AutoMap_Preview_Converted';
import scrollRegion from '@salesforce/label/c.AutoMap_Preview_ScrollRegion';
import newStageOpen from '@salesforce/label/c.AutoMap_NewStage_Open';
import newStageOpenAssistive from '@salesforce/label/c.AutoMap_NewStage_OpenAssistive';

/** All values, only the skipped ones, or one outcome kind. */
type Filter = 'all' | 'skipped' | OutcomeKind;

/** The service refused to create a stage for a value; its message is shown in that value's form. */
export interface CreateFailure {
    value: string;
    message: string;
}

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
    /** A skipped value can get a stage of its own: "Create a stage and map". */
    canCreate: boolean;
    createAssistive: string;
    /** The inline form is open under this row. */
    editing: boolean;
    /** `aria-expanded` of the row's button: the form it opens is shown. */
    expanded: string;
    editorKey: string;
    valueText: string;
    suggestedName: string;
    /** The value gets a new stage: the admin chooses its category here (with `canChooseCategories`). */
    createsStage: boolean;
    /** The category combobox's value and its name for screen readers ("Category of the new stage ..."). */
    category: string;
    categoryLabel: string;
}

/** The admin chose a category for the stage a value will get. */
export interface CategoryChange {
    value: string;
    category: StageCategoryName | null;
}

/** Where the focus goes after the next render: the form that opened, the button that opened it, or the row. */
interface FocusTarget {
    kind: 'form' | 'button' | 'row';
    value: string;
}

/**
 * The plan as a table: every value with its outcome, the stage and the reason, skips highlighted (by colour and by
 * the words "Skipped: ..."), filterable by outcome. Plain SLDS markup rather than lightning-datatable: rows are
 * computed once per plan and rendered without per-cell components, so 1,000 values render fast, and screen readers
 * get a real table with a caption and row headers.
 *
 * A skipped row offers "Create a stage and map" (when `canCreateStages`): an inline form under the row names the new
 * stage, and the `createstage` event asks the wizard to create it. When the wizard's new plan no longer skips the
 * value, the form closes and the focus moves to the row, which shows the new mapping.
 *
 * Names (value, label, stage) stay on one line, truncated, with the full text in `title` for the mouse; the text
 * itself is whole in the DOM, so screen readers read all of it. Reasons are clamped to five lines the same way.
 */
export default class AutoMapPreviewTable extends LightningElement {
    /** Names the table for screen readers, e.g. "Preview of Lead Status". */
    @api caption = '';
    /** The family's stages: a new stage's name is refused when one of these has its key. */
    @api stages: StageInput[] = [];
    /** Offer "Create a stage and map" on skipped rows. */
    @api canCreateStages = false;
    /** Disables the row actions while the wizard waits for the service. */
    @api busy = false;
    /** How auto-map names new stages now: the form starts with the same kind of name. */
    @api newStageNames: NewStageNames = 'label';
    /** The service's refusal of the last stage asked for, shown in that value's form. */
    @api createFailure: CreateFailure | undefined;
    /** Offer a category for each stage the plan creates (a combobox on its row); `categories` holds the choices. */
    @api canChooseCategories = false;
    /**
     * The category of each stage to be created, by value (null: none). The owner decides the defaults and keeps the
     * choices: `categorychange` says what the admin picked, and the owner sets this again.
     */
    @api categories: Record<string, StageCategoryName | null> = {};

    labels = {
        columnValue,
        columnLabel,
        columnOutcome,
        columnStage,
        columnReason,
        filterLabel,
        noMatch,
        converted,
        newStageOpen,
        columnCategory
    };

    /** The same four options on every row: built once. */
    readonly categoryChoices = categoryOptions();

    filter: Filter = 'all';
    rows: PreviewRow[] = [];
    /** The value whose form is open. */
    editingValue: string | undefined;
    private plannedOutcomes: PlannedOutcome[] = [];
    private convertedSet: ReadonlySet<string> = new Set();
    private otherFieldMappings: OtherFieldMapping[] = [];
    private focusTarget: FocusTarget | undefined;

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
        this.closeResolvedForm();
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

    /** The family's mappings in other fields: a reason says when a stage is shared with them. */
    @api
    get otherMappings(): OtherFieldMapping[] {
        return this.otherFieldMappings;
    }
    set otherMappings(mappings: OtherFieldMapping[] | undefined) {
        this.otherFieldMappings = mappings ?? [];
        this.rows = this.buildRows();
    }

    override renderedCallback(): void {
        const target = this.focusTarget;
        if (!target) {
            return;
        }
        this.focusTarget = undefined;
        const selector = { form: 'c-auto-map-new-stage-form', button: 'button[data-create]', row: 'th[data-row]' }[
            target.kind
        ];
        const element = Array.from(this.template?.querySelectorAll<HTMLElement>(selector) ?? []).find(
            (candidate) => candidate.dataset.value === target.value
        );
        element?.focus();
    }

    private buildRows(): PreviewRow[] {
        const context = reasonContext(this.plannedOutcomes, this.otherFieldMappings);
        return this.plannedOutcomes.map((outcome) => {
            const skipped = isSkip(outcome.outcome);
            const text = valueName(outcome.value, outcome.label);
            return {
                key: outcome.value,
                value: outcome.value,
                label: outcome.label,
                outcome: outcome.outcome,
                outcomeLabel: outcomeLabel(outcome.outcome),
                stage: outcome.stageName ?? outcome.stageId ?? '',
                reason: outcomeReason(outcome, context),
                skipped,
                converted: this.convertedSet.has(outcome.value),
                rowClass: skipped ? 'slds-hint-parent skipped-row' : 'slds-hint-parent',
                canCreate: skipped && outcome.outcome !== 'skip-inactive',
                createAssistive: formatLabel(newStageOpenAssistive, text),
                editing: false,
                expanded: 'false',
                editorKey: `${outcome.value}\u0000form`,
                valueText: text,
                suggestedName: '',
                createsStage: outcome.outcome === 'create-and-map',
                category: '',
                categoryLabel: formatLabel(categoryAssistive, outcome.stageName ?? text)
            };
        });
    }

    /** After a new plan: a form whose value is no longer skipped did its job; the row now shows the mapping. */
    private closeResolvedForm(): void {
        const value = this.editingValue;
        if (value === undefined) {
            return;
        }
        const row = this.rows.find((candidate) => candidate.value === value);
        if (!row?.skipped) {
            this.editingValue = undefined;
            this.focusTarget = { kind: 'row', value };
        }
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
        const rows =
            filter === 'all'
                ? this.rows
                : this.rows.filter((row) => (filter === 'skipped' ? row.skipped : row.outcome === filter));
        const editing = this.editingValue;
        const canCreate = this.canCreateStages;
        const chooses = this.showCategoryColumn;
        if (editing === undefined && canCreate && !chooses) {
            return rows;
        }
        const categories = this.categories;
        return rows.map((row) => ({
            ...row,
            canCreate: canCreate && row.canCreate,
            editing: canCreate && row.value === editing,
            expanded: String(canCreate && row.value === editing),
            suggestedName: row.value === editing ? this.suggestedNameOf(row) : '',
            createsStage: chooses && row.createsStage,
            category: chooses && row.createsStage ? categoryOption(categories[row.value] ?? null) : ''
        }));
    }

    /** The category column is there while the admin can choose and the plan creates at least one stage. */
    get showCategoryColumn(): boolean {
        return this.canChooseCategories && this.rows.some((row) => row.createsStage);
    }

    /** With the category column, the other columns give it room (see the CSS). */
    get tableClass(): string {
        const base = 'slds-table slds-table_bordered slds-table_fixed-layout';
        return this.showCategoryColumn ? `${base} with-categories` : base;
    }

    /** The inline form's cell spans the whole row, the category column included when it is shown. */
    get columnCount(): number {
        return this.showCategoryColumn ? 6 : 5;
    }

    /** The name auto-map would give the stage, in the naming the admin chose. */
    private suggestedNameOf(row: PreviewRow): string {
        return stageNameFromLabel(this.newStageNames === 'apiName' ? row.value : row.label || row.value);
    }

    get createError(): string {
        return this.createFailure?.value === this.editingValue ? (this.createFailure?.message ?? '') : '';
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

    handleOpenForm(event: Event): void {
        const value = event.currentTarget instanceof HTMLElement ? event.currentTarget.dataset.value : undefined;
        if (value === undefined) {
            return;
        }
        this.editingValue = value;
        this.focusTarget = { kind: 'form', value };
    }

    handleCancelForm(event: CustomEvent<{ value: string }>): void {
        this.editingValue = undefined;
        this.focusTarget = { kind: 'button', value: event.detail.value };
    }

    handleCategoryChange(event: CustomEvent<{ value: string }>): void {
        const target = event.currentTarget;
        const value = target instanceof HTMLElement ? target.dataset.value : undefined;
        if (value === undefined) {
            return;
        }
        const detail: CategoryChange = { value, category: categoryFromOption(event.detail.value) };
        this.dispatchEvent(new CustomEvent('categorychange', { detail }));
    }

    handleCreate(event: CustomEvent<{ value: string; stageName: string }>): void {
        this.dispatchEvent(new CustomEvent('createstage', { detail: { ...event.detail } }));
    }
}
