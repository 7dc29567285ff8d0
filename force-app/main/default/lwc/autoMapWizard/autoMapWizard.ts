import { api, wire } from 'lwc';
import LightningModal from 'lightning/modal';
import Toast from 'lightning/toast';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, PicklistValues, WireResult } from 'lightning/uiObjectInfoApi';
import { OUTCOME_KINDS, planAutoMap } from 'c/autoMapEngine';
import type { OutcomeKind, Plan, PlannedOutcome, Suggestion } from 'c/autoMapEngine';
import {
    applyAutoMap,
    countOf,
    fetchScopeState,
    mapValue,
    newIdempotencyKey,
    toPlanInput,
    toServiceValues
} from 'c/stageAutoMapApi';
import type { AppliedResult, Scope, ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import { SKIP_KINDS, formatLabel, isSkip, labelLookup, outcomeLabel, outcomeReason, planToCsv } from 'c/autoMapText';
import { planChanges } from './planChanges';
import { downloadTextFile } from './downloadFile';
import headerLabel from '@salesforce/label/c.AutoMap_Wizard_Header';
import stepIntro from '@salesforce/label/c.AutoMap_Wizard_StepIntro';
import stepField from '@salesforce/label/c.AutoMap_Wizard_StepField';
import stepPreview from '@salesforce/label/c.AutoMap_Wizard_StepPreview';
import stepDone from '@salesforce/label/c.AutoMap_Wizard_StepDone';
import introHeading from '@salesforce/label/c.AutoMap_Wizard_IntroHeading';
import introLead from '@salesforce/label/c.AutoMap_Wizard_IntroLead';
import introMatch from '@salesforce/label/c.AutoMap_Wizard_IntroMatch';
import introCreate from '@salesforce/label/c.AutoMap_Wizard_IntroCreate';
import introNeverOverwrite from '@salesforce/label/c.AutoMap_Wizard_IntroNeverOverwrite';
import introSkipTaken from '@salesforce/label/c.AutoMap_Wizard_IntroSkipTaken';
import introPreviewUndo from '@salesforce/label/c.AutoMap_Wizard_IntroPreviewUndo';
import fieldHeading from '@salesforce/label/c.AutoMap_Wizard_FieldHeading';
import fieldHelp from '@salesforce/label/c.AutoMap_Wizard_FieldHelp';
import valuesLoading from '@salesforce/label/c.AutoMap_Wizard_ValuesLoading';
import valuesFound from '@salesforce/label/c.AutoMap_Wizard_ValuesFound';
import valuesNone from '@salesforce/label/c.AutoMap_Wizard_ValuesNone';
import valuesError from '@salesforce/label/c.AutoMap_Wizard_ValuesError';
import previewHeading from '@salesforce/label/c.AutoMap_Wizard_PreviewHeading';
import previewHelp from '@salesforce/label/c.AutoMap_Wizard_PreviewHelp';
import previewCaption from '@salesforce/label/c.AutoMap_Wizard_PreviewCaption';
import previewReady from '@salesforce/label/c.AutoMap_Wizard_PreviewReady';
import previewError from '@salesforce/label/c.AutoMap_Wizard_PreviewError';
import summaryLabel from '@salesforce/label/c.AutoMap_Wizard_SummaryLabel';
import nothingToApply from '@salesforce/label/c.AutoMap_Wizard_NothingToApply';
import exportCsv from '@salesforce/label/c.AutoMap_Wizard_ExportCsv';
import exportFileName from '@salesforce/label/c.AutoMap_Wizard_ExportFileName';
import suggestionsHeading from '@salesforce/label/c.AutoMap_Suggestions_Heading';
import suggestionsHelp from '@salesforce/label/c.AutoMap_Suggestions_Help';
import suggestionAccepted from '@salesforce/label/c.AutoMap_Wizard_SuggestionAccepted';
import suggestionError from '@salesforce/label/c.AutoMap_Wizard_SuggestionError';
import conflictHeading from '@salesforce/label/c.AutoMap_Wizard_ConflictHeading';
import conflictHelp from '@salesforce/label/c.AutoMap_Wizard_ConflictHelp';
import conflictChange from '@salesforce/label/c.AutoMap_Wizard_ConflictChange';
import conflictNotPlanned from '@salesforce/label/c.AutoMap_Wizard_ConflictNotPlanned';
import conflictSamePlan from '@salesforce/label/c.AutoMap_Wizard_ConflictSamePlan';
import applyingHeading from '@salesforce/label/c.AutoMap_Wizard_ApplyingHeading';
import applyingHelp from '@salesforce/label/c.AutoMap_Wizard_ApplyingHelp';
import applyError from '@salesforce/label/c.AutoMap_Wizard_ApplyError';
import resultHeading from '@salesforce/label/c.AutoMap_Wizard_ResultHeading';
import resultSummary from '@salesforce/label/c.AutoMap_Wizard_ResultSummary';
import createdHeading from '@salesforce/label/c.AutoMap_Wizard_CreatedHeading';
import skippedHeading from '@salesforce/label/c.AutoMap_Wizard_SkippedHeading';
import skippedItem from '@salesforce/label/c.AutoMap_Wizard_SkippedItem';
import historyHeading from '@salesforce/label/c.AutoMap_Wizard_HistoryHeading';
import undoneNotice from '@salesforce/label/c.AutoMap_Wizard_UndoneNotice';
import buttonCancel from '@salesforce/label/c.AutoMap_Button_Cancel';
import buttonProceed from '@salesforce/label/c.AutoMap_Button_Proceed';
import buttonBack from '@salesforce/label/c.AutoMap_Button_Back';
import buttonPreview from '@salesforce/label/c.AutoMap_Button_Preview';
import buttonCreateAndMap from '@salesforce/label/c.AutoMap_Button_CreateAndMap';
import buttonMapAnother from '@salesforce/label/c.AutoMap_Button_MapAnother';
import buttonDone from '@salesforce/label/c.AutoMap_Button_Done';

type Step = 'intro' | 'field' | 'preview' | 'applying' | 'result';

/** What `AutoMapWizard.open()` resolves with; `undefined` when the admin closed the modal with Esc or X. */
export interface WizardResult {
    /** True when anything changed in the service (a run, an accepted suggestion, an undo): reload. */
    changed: boolean;
}

interface SummaryItem {
    kind: OutcomeKind;
    label: string;
    count: number;
    boxClass: string;
}

interface ChangeItem {
    key: string;
    text: string;
    reason: string;
}

interface ConflictNotice {
    detail: string;
    changes: ChangeItem[];
}

/**
 * The auto-map wizard, a LightningModal in the article's order: what auto-map does (Proceed or Cancel), the field
 * and record type whose values count, the preview (the engine's plan against the service's current state, with
 * suggestions to accept one by one and a CSV export), Create and Map (one call with the previewed version and an
 * idempotency key), and the result with the run's history and undo.
 *
 * Nothing is lost on failure: an error shows the server's message where the admin is and keeps every choice; a
 * retry reuses the idempotency key, so a run that did reach the service is never applied twice. A conflict (the
 * state moved since the preview) shows the fresh plan and what changed in it.
 *
 * Focus moves to the heading of each new step, and a polite live region announces what happened.
 */
export default class AutoMapWizard extends LightningModal {
    /** The object whose field is mapped: Contact, Lead or Account. */
    @api objectApiName = '';
    /** The field to preselect (the field shown on the tab). */
    @api fieldApiName = '';
    /** Fields of the object known to have mappings (listed after the unmapped ones). */
    @api mappedFields: string[] = [];

    labels = {
        headerLabel,
        stepIntro,
        stepField,
        stepPreview,
        stepDone,
        introHeading,
        introLead,
        introMatch,
        introCreate,
        introNeverOverwrite,
        introSkipTaken,
        introPreviewUndo,
        fieldHeading,
        fieldHelp,
        valuesLoading,
        valuesNone,
        valuesError,
        previewHelp,
        previewError,
        summaryLabel,
        nothingToApply,
        exportCsv,
        suggestionsHeading,
        suggestionsHelp,
        suggestionError,
        conflictHeading,
        conflictHelp,
        applyingHeading,
        applyingHelp,
        applyError,
        resultHeading,
        createdHeading,
        skippedHeading,
        historyHeading,
        undoneNotice,
        buttonCancel,
        buttonProceed,
        buttonBack,
        buttonPreview,
        buttonCreateAndMap,
        buttonMapAnother,
        buttonDone
    };

    step: Step = 'intro';
    selectedField = '';
    selectedRecordTypeId = '';
    /** The chosen field's values for the chosen record type; undefined while they load. */
    values: ServiceValue[] | undefined;
    convertedValues: string[] = [];
    valuesFailure: unknown;

    scopeState: ScopeState | undefined;
    plan: Plan | undefined;
    /** The state version the plan was made against: what an apply must name. */
    version: number | undefined;
    /**
     * The values the plan was made from. An apply sends these, not `values`: the UI API can deliver a fresh list
     * while the preview is open, and the service must plan on exactly what the admin reviewed.
     */
    plannedValues: ServiceValue[] | undefined;
    /** One key per run, kept across retries; a new plan means a new run and a new key. */
    idempotencyKey: string | undefined;
    conflict: ConflictNotice | undefined;
    result: AppliedResult | undefined;
    undone = false;

    busy = false;
    /** Where the last failure happened, so the error shows next to what failed. */
    failure: unknown;
    failureHeading = '';
    announcement = '';
    /** Fields mapped in this session, added to `mappedFields` for the field picker. */
    sessionMappedFields: string[] = [];
    private changed = false;
    private focusRef: string | undefined;

    override connectedCallback(): void {
        this.selectedField = this.fieldApiName;
    }

    override renderedCallback(): void {
        if (this.focusRef === undefined) {
            return;
        }
        const target = this.refs?.[this.focusRef];
        if (target instanceof HTMLElement) {
            target.focus();
            this.focusRef = undefined;
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // UI API: the object (labels, default record type) and the field's values for the record type
    // -----------------------------------------------------------------------------------------------------------

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    objectInfo: WireResult<ObjectInfo> = {};

    /** The record type the admin chose, else the object's default (the master one when it has none). */
    get recordTypeId(): string | undefined {
        return this.selectedRecordTypeId || this.objectInfo.data?.defaultRecordTypeId;
    }

    /** `Object.Field`, as getPicklistValues takes it; undefined (no request) until a field is chosen. */
    get qualifiedFieldApiName(): string | undefined {
        return this.selectedField ? `${this.objectApiName}.${this.selectedField}` : undefined;
    }

    @wire(getPicklistValues, { recordTypeId: '$recordTypeId', fieldApiName: '$qualifiedFieldApiName' })
    wiredValues({ data, error }: WireResult<PicklistValues>): void {
        if (data) {
            this.values = toServiceValues(data.values);
            this.convertedValues = data.values
                .filter((entry) => entry.attributes?.converted === true)
                .map((entry) => entry.value);
            this.valuesFailure = undefined;
        } else if (error !== undefined) {
            this.values = undefined;
            this.valuesFailure = error;
        }
    }

    get knownMappedFields(): string[] {
        return [...new Set([...this.mappedFields, ...this.sessionMappedFields])];
    }

    private get scope(): Scope {
        return { objectApiName: this.objectApiName, fieldApiName: this.selectedField };
    }

    get fieldLabel(): string {
        return this.objectInfo.data?.fields[this.selectedField]?.label ?? this.selectedField;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Steps
    // -----------------------------------------------------------------------------------------------------------

    get isIntro(): boolean {
        return this.step === 'intro';
    }

    get isField(): boolean {
        return this.step === 'field';
    }

    get isPreview(): boolean {
        return this.step === 'preview';
    }

    get isApplying(): boolean {
        return this.step === 'applying';
    }

    get isResult(): boolean {
        return this.step === 'result';
    }

    /** The progress indicator's step: applying is still part of the preview step. */
    get progressStep(): string {
        return this.step === 'applying' ? 'preview' : this.step;
    }

    private goTo(step: Step, focusRef: string): void {
        this.step = step;
        this.focusRef = focusRef;
    }

    private announce(text: string): void {
        this.announcement = text;
    }

    handleCancel(): void {
        this.close({ changed: this.changed } satisfies WizardResult);
    }

    handleProceed(): void {
        this.goTo('field', 'fieldHeading');
    }

    handleBackToIntro(): void {
        this.failure = undefined;
        this.goTo('intro', 'introHeading');
    }

    handleBackToField(): void {
        this.failure = undefined;
        this.conflict = undefined;
        this.goTo('field', 'fieldHeading');
    }

    // -----------------------------------------------------------------------------------------------------------
    // Step: choose the field and record type
    // -----------------------------------------------------------------------------------------------------------

    handleFieldChange(event: CustomEvent<{ fieldApiName: string }>): void {
        if (event.detail.fieldApiName === this.selectedField) {
            return;
        }
        this.selectedField = event.detail.fieldApiName;
        this.resetValues();
    }

    handleRecordTypeChange(event: CustomEvent<{ recordTypeId: string }>): void {
        if (event.detail.recordTypeId === this.recordTypeId) {
            return;
        }
        this.selectedRecordTypeId = event.detail.recordTypeId;
        this.resetValues();
    }

    private resetValues(): void {
        this.values = undefined;
        this.convertedValues = [];
        this.valuesFailure = undefined;
        this.failure = undefined;
        this.plan = undefined;
        this.scopeState = undefined;
    }

    /** Loading until the values or an error arrive; an object info error is shown by the field picker. */
    get valuesLoading(): boolean {
        return (
            this.selectedField !== '' &&
            this.values === undefined &&
            this.valuesFailure === undefined &&
            this.objectInfo.error === undefined
        );
    }

    get valuesCountText(): string {
        return formatLabel(valuesFound, this.values?.length ?? 0);
    }

    get hasValues(): boolean {
        return (this.values?.length ?? 0) > 0;
    }

    get noValues(): boolean {
        return this.values !== undefined && this.values.length === 0;
    }

    get previewDisabled(): boolean {
        return this.busy || !this.hasValues;
    }

    /** Reads the scope's state (one callout) and plans with the engine: nothing changes yet. */
    async handlePreview(): Promise<void> {
        const values = this.values;
        if (!values || !this.hasValues) {
            return;
        }
        this.busy = true;
        this.failure = undefined;
        this.conflict = undefined;
        try {
            const state = await fetchScopeState(this.scope);
            this.usePlan(state, planAutoMap(toPlanInput(this.scope, values, state)), state.version, values);
            this.goTo('preview', 'previewHeading');
            this.announce(this.previewReadyText);
        } catch (error) {
            this.showFailure(error, previewError);
        } finally {
            this.busy = false;
        }
    }

    /** A new plan is a new run: it gets a new idempotency key when it is applied. */
    private usePlan(state: ScopeState | undefined, plan: Plan, version: number, values: ServiceValue[]): void {
        this.scopeState = state;
        this.plan = plan;
        this.version = version;
        this.plannedValues = values;
        this.idempotencyKey = undefined;
    }

    private showFailure(error: unknown, heading: string): void {
        this.failure = error;
        this.failureHeading = heading;
        this.announce(heading);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Step: preview
    // -----------------------------------------------------------------------------------------------------------

    get previewHeadingText(): string {
        return formatLabel(previewHeading, this.fieldLabel);
    }

    get previewCaptionText(): string {
        return formatLabel(previewCaption, this.fieldLabel);
    }

    private get previewReadyText(): string {
        const counts = this.plan?.summary.counts;
        if (!counts) {
            return '';
        }
        return formatLabel(
            previewReady,
            this.plan?.summary.total ?? 0,
            counts['map-existing'],
            counts['create-and-map'],
            countOf(counts, ...SKIP_KINDS)
        );
    }

    get outcomes(): PlannedOutcome[] {
        return this.plan?.outcomes ?? [];
    }

    get suggestions(): Suggestion[] {
        return this.plan?.suggestions ?? [];
    }

    get hasSuggestions(): boolean {
        return this.suggestions.length > 0;
    }

    get valueLabels(): Record<string, string> {
        return Object.fromEntries(this.outcomes.map((outcome) => [outcome.value, outcome.label]));
    }

    get summaryItems(): SummaryItem[] {
        const counts = this.result?.run.summary.counts ?? this.plan?.summary.counts;
        if (!counts) {
            return [];
        }
        return OUTCOME_KINDS.map((kind) => ({
            kind,
            label: outcomeLabel(kind),
            count: counts[kind],
            boxClass:
                isSkip(kind) && counts[kind] > 0
                    ? 'slds-box slds-box_x-small slds-text-align_center summary-skip'
                    : 'slds-box slds-box_x-small slds-text-align_center'
        }));
    }

    /** True when applying would create and map nothing. */
    get nothingToApplyInPlan(): boolean {
        const counts = this.plan?.summary.counts;
        return counts !== undefined && countOf(counts, 'map-existing', 'create-and-map') === 0;
    }

    get applyDisabled(): boolean {
        return this.busy || this.nothingToApplyInPlan;
    }

    private get csvFileName(): string {
        return formatLabel(exportFileName, this.objectApiName, this.selectedField);
    }

    /** Saves the plan on screen as CSV; built on the click, as a Blob, so nothing is held for a link to point at. */
    handleExportCsv(): void {
        downloadTextFile(planToCsv(this.outcomes), this.csvFileName);
    }

    /** Accepting a suggestion is a manual mapping, then a new plan on the state the service returned. */
    async handleAcceptSuggestion(event: CustomEvent<{ value: string; stageId: string }>): Promise<void> {
        const { value, stageId } = event.detail;
        const suggestion = this.suggestions.find(
            (candidate) => candidate.value === value && candidate.stageId === stageId
        );
        const values = this.plannedValues;
        if (!suggestion || !values) {
            return;
        }
        this.busy = true;
        this.failure = undefined;
        try {
            const state = await mapValue(this.scope, value, stageId);
            this.changed = true;
            this.usePlan(state, planAutoMap(toPlanInput(this.scope, values, state)), state.version, values);
            const message = formatLabel(suggestionAccepted, this.valueLabels[value] ?? value, suggestion.stageName);
            this.announce(message);
            Toast.show({ label: message, variant: 'success' }, this);
            this.focusRef = this.hasSuggestions ? 'suggestionsHeading' : 'previewHeading';
        } catch (error) {
            this.showFailure(error, suggestionError);
        } finally {
            this.busy = false;
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Create and Map
    // -----------------------------------------------------------------------------------------------------------

    async handleApply(): Promise<void> {
        const plan = this.plan;
        const version = this.version;
        const values = this.plannedValues;
        if (!plan || version === undefined || !values || this.applyDisabled) {
            return;
        }
        // Once per run: a retry after a failure sends the same key, so the service applies it at most once.
        this.idempotencyKey ??= newIdempotencyKey();
        this.failure = undefined;
        this.busy = true;
        this.disableClose = true;
        this.goTo('applying', 'applyingHeading');
        this.announce(applyingHeading);
        try {
            const response = await applyAutoMap(this.scope, values, version, this.idempotencyKey, plan);
            if (response.status === 'conflict') {
                this.showConflict(plan, response.plan, response.version, response.detail);
            } else {
                this.showResult(response);
            }
        } catch (error) {
            this.showFailure(error, applyError);
            this.goTo('preview', 'previewHeading');
        } finally {
            this.busy = false;
            this.disableClose = false;
        }
    }

    /** Nothing was applied: show the fresh plan, what changed in it, and let the admin apply again. */
    private showConflict(previewed: Plan, fresh: Plan, version: number, detail: string): void {
        const labelOf = labelLookup(fresh.outcomes);
        const changes = planChanges(previewed, fresh).map((change) => ({
            key: change.value,
            text: formatLabel(
                conflictChange,
                change.label,
                change.before ? outcomeLabel(change.before) : conflictNotPlanned,
                change.after ? outcomeLabel(change.after) : conflictNotPlanned
            ),
            reason: change.outcome ? outcomeReason(change.outcome, labelOf) : ''
        }));
        // The service planned the fresh plan on the values this apply sent: they stay the values of the plan.
        this.usePlan(this.scopeState, fresh, version, this.plannedValues ?? []);
        this.conflict = { detail, changes };
        this.goTo('preview', 'conflictHeading');
        this.announce(conflictHeading);
    }

    get conflictSummary(): string {
        return this.conflict && this.conflict.changes.length === 0 ? conflictSamePlan : '';
    }

    private showResult(response: AppliedResult): void {
        this.result = response;
        this.changed = true;
        this.sessionMappedFields = [...this.sessionMappedFields, this.selectedField];
        this.undone = false;
        this.conflict = undefined;
        this.goTo('result', 'resultHeading');
        const summary = this.resultSummaryText;
        this.announce(`${resultHeading}. ${summary}`);
        Toast.show({ label: resultHeading, message: summary, variant: 'success' }, this);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Step: result
    // -----------------------------------------------------------------------------------------------------------

    get resultSummaryText(): string {
        const counts = this.result?.run.summary.counts;
        if (!counts) {
            return '';
        }
        return formatLabel(
            resultSummary,
            counts['map-existing'],
            counts['create-and-map'],
            countOf(counts, ...SKIP_KINDS),
            counts['already-mapped']
        );
    }

    get createdStageNames(): { key: string; name: string }[] {
        return (this.result?.createdStages ?? []).map((stage) => ({ key: stage.id, name: stage.name }));
    }

    get hasCreatedStages(): boolean {
        return this.createdStageNames.length > 0;
    }

    get skippedItems(): { key: string; text: string }[] {
        const outcomes = this.result?.plan.outcomes ?? [];
        const labelOf = labelLookup(outcomes);
        return outcomes
            .filter((outcome) => isSkip(outcome.outcome))
            .map((outcome) => ({
                key: outcome.value,
                text: formatLabel(skippedItem, outcome.label, outcomeReason(outcome, labelOf))
            }));
    }

    get hasSkippedItems(): boolean {
        return this.skippedItems.length > 0;
    }

    get resultRunId(): string {
        return this.result?.run.id ?? '';
    }

    handleRunUndone(event: CustomEvent<{ runId: string }>): void {
        this.changed = true;
        if (event.detail.runId === this.resultRunId) {
            this.undone = true;
            this.announce(undoneNotice);
        }
    }

    /** Back to the field step for another field (the article's "repeat for additional mappings"). */
    handleMapAnother(): void {
        this.result = undefined;
        this.plan = undefined;
        this.scopeState = undefined;
        this.conflict = undefined;
        this.failure = undefined;
        this.undone = false;
        this.goTo('field', 'fieldHeading');
    }

    handleDone(): void {
        this.close({ changed: this.changed } satisfies WizardResult);
    }
}
