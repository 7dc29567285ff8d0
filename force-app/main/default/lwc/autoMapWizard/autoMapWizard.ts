import { api, wire } from 'lwc';
import LightningModal from 'lightning/modal';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, PicklistValues, WireResult } from 'lightning/uiObjectInfoApi';
import { planAutoMap, stageNameFromLabel } from 'c/autoMapEngine';
import type { NewStageNames, OutcomeKind, Plan, PlannedOutcome, StageInput, Suggestion } from 'c/autoMapEngine';
import {
    MASTER_RECORD_TYPE_ID,
    applyAutoMap,
    countOf,
    fetchScopeState,
    mapValue,
    mapValueToNewStage,
    newIdempotencyKey,
    toPlanInput,
    toServiceValues
} from 'c/stageAutoMapApi';
import type { AppliedResult, OtherMapping, Scope, ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import {
    SKIP_KINDS,
    WIZARD_OUTCOME_KINDS,
    categoryCountsText,
    categoryLabel,
    formatCount,
    formatLabel,
    isSkip,
    outcomeLabel,
    outcomeReason,
    planToCsv,
    reasonContext,
    resultOutcomeLabel,
    valueName
} from 'c/autoMapText';
import { reduceErrors } from 'c/errorUtils';
import { planChanges } from './planChanges';
import { categoriesToApply, createdPositions, stageCategories } from './createdStages';
import type { Category } from './createdStages';
import { downloadTextFile } from './downloadFile';
import { unmappedAfterRun } from './unmappedValues';
import type { FieldValue } from './unmappedValues';
import { languageName } from './languageName';
// The running user's language ("en-US", "de"): the labels the UI API returns, so new stage names, are in it
// (https://developer.salesforce.com/docs/platform/lwc/guide/create-i18n).
import USER_LANGUAGE from '@salesforce/i18n/lang';
import headerLabel from '@salesforce/label/c.AutoMap_Wizard_Header';
import stepsLabel from '@salesforce/label/c.AutoMap_Wizard_StepsLabel';
import stepCompleted from '@salesforce/label/c.AutoMap_Wizard_StepCompleted';
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
import valuesFoundNarrowed from '@salesforce/label/c.AutoMap_Wizard_ValuesFoundNarrowed';
import valuesNone from '@salesforce/label/c.AutoMap_Wizard_ValuesNone';
import valuesError from '@salesforce/label/c.AutoMap_Wizard_ValuesError';
import previewHeading from '@salesforce/label/c.AutoMap_Wizard_PreviewHeading';
import previewHelp from '@salesforce/label/c.AutoMap_Wizard_PreviewHelp';
import previewHelpSuggestions from '@salesforce/label/c.AutoMap_Wizard_PreviewHelpSuggestions';
import previewNothingChanged from '@salesforce/label/c.AutoMap_Wizard_PreviewNothingChanged';
import previewCaption from '@salesforce/label/c.AutoMap_Wizard_PreviewCaption';
import previewReady from '@salesforce/label/c.AutoMap_Wizard_PreviewReady';
import previewError from '@salesforce/label/c.AutoMap_Wizard_PreviewError';
import summaryLabel from '@salesforce/label/c.AutoMap_Wizard_SummaryLabel';
import nothingToApply from '@salesforce/label/c.AutoMap_Wizard_NothingToApply';
import namingLabels from '@salesforce/label/c.AutoMap_Wizard_NamingLabels';
import namingApiNames from '@salesforce/label/c.AutoMap_Wizard_NamingApiNames';
import namingByApiName from '@salesforce/label/c.AutoMap_Wizard_NamingByApiName';
import exportCsv from '@salesforce/label/c.AutoMap_Wizard_ExportCsv';
import exportFileName from '@salesforce/label/c.AutoMap_Wizard_ExportFileName';
import suggestionsHeading from '@salesforce/label/c.AutoMap_Suggestions_Heading';
import suggestionsHelp from '@salesforce/label/c.AutoMap_Suggestions_Help';
import suggestionAccepted from '@salesforce/label/c.AutoMap_Wizard_SuggestionAccepted';
import suggestionError from '@salesforce/label/c.AutoMap_Wizard_SuggestionError';
import stageCreated from '@salesforce/label/c.AutoMap_Wizard_StageCreated';
import conflictHeading from '@salesforce/label/c.AutoMap_Wizard_ConflictHeading';
import conflictHelp from '@salesforce/label/c.AutoMap_Wizard_ConflictHelp';
import conflictChange from '@salesforce/label/c.AutoMap_Wizard_ConflictChange';
import conflictNotPlanned from '@salesforce/label/c.AutoMap_Wizard_ConflictNotPlanned';
import conflictSamePlan from '@salesforce/label/c.AutoMap_Wizard_ConflictSamePlan';
import applyingHeading from '@salesforce/label/c.AutoMap_Wizard_ApplyingHeading';
import applyingHelp from '@salesforce/label/c.AutoMap_Wizard_ApplyingHelp';
import applyError from '@salesforce/label/c.AutoMap_Wizard_ApplyError';
import resultHeading from '@salesforce/label/c.AutoMap_Wizard_ResultHeading';
import resultHeadingUnmapped from '@salesforce/label/c.AutoMap_Wizard_ResultHeadingUnmapped';
import resultSummary from '@salesforce/label/c.AutoMap_Wizard_ResultSummary';
import createdHeading from '@salesforce/label/c.AutoMap_Wizard_CreatedHeading';
import createdCategory from '@salesforce/label/c.AutoMap_Wizard_CreatedCategory';
import listSeparator from '@salesforce/label/c.AutoMap_List_Separator';
import createdCategories from '@salesforce/label/c.AutoMap_Wizard_CreatedCategories';
import createdPosition from '@salesforce/label/c.AutoMap_Wizard_CreatedPosition';
import createdPositionFirst from '@salesforce/label/c.AutoMap_Wizard_CreatedPositionFirst';
import createdPositionsLabel from '@salesforce/label/c.AutoMap_Wizard_CreatedPositions';
import createdPositionsFirst from '@salesforce/label/c.AutoMap_Wizard_CreatedPositionsFirst';
import categoryHelp from '@salesforce/label/c.AutoMap_Wizard_CategoryHelp';
import unmappedHeading from '@salesforce/label/c.AutoMap_Wizard_UnmappedHeading';
import notInRecordType from '@salesforce/label/c.AutoMap_Wizard_NotInRecordType';
import nowMapped from '@salesforce/label/c.AutoMap_Wizard_NowMapped';
import showAll from '@salesforce/label/c.AutoMap_Wizard_ShowAll';
import historyHeading from '@salesforce/label/c.AutoMap_Wizard_HistoryHeading';
import undoneNotice from '@salesforce/label/c.AutoMap_Wizard_UndoneNotice';
import newStageOpen from '@salesforce/label/c.AutoMap_NewStage_Open';
import newStageOpenAssistive from '@salesforce/label/c.AutoMap_NewStage_OpenAssistive';
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
    /** True when anything changed in the service (a run, an accepted suggestion, a new stage, an undo): reload. */
    changed: boolean;
}

/** Long lists of the result show this many items until the admin asks for all. */
export const COLLAPSED_LIST_SIZE = 10;

const STEPS: readonly { value: Exclude<Step, 'applying'>; label: string }[] = [
    { value: 'intro', label: stepIntro },
    { value: 'field', label: stepField },
    { value: 'preview', label: stepPreview },
    { value: 'result', label: stepDone }
];

interface StepItem {
    value: string;
    label: string;
    marker: string;
    done: boolean;
    ariaCurrent: string | undefined;
    itemClass: string;
}

interface SummaryItem {
    kind: OutcomeKind;
    label: string;
    count: string;
    boxClass: string;
}

interface ChangeItem {
    key: string;
    text: string;
    reason: string;
}

/** A value the run left unmapped, as the result lists it; `resolved` once the admin gave it a stage of its own. */
interface UnmappedItem {
    key: string;
    value: string;
    name: string;
    reason: string;
    canCreate: boolean;
    createAssistive: string;
    expanded: string;
    editing: boolean;
    suggestedName: string;
    resolved: string;
    /** `data-focus` keys: the line that says it is mapped now, the button, the form. */
    focusResolved: string;
    focusOpen: string;
    focusForm: string;
}

/** What the result was computed from: fixed when the run is applied, whatever the admin does afterwards. */
interface ResultBasis {
    fieldValues: FieldValue[];
    mappedBefore: ReadonlySet<string>;
    recordTypeName: string;
}

/** The service refused a new stage for a value: its message goes to that value's form. */
interface CreateFailure {
    value: string;
    message: string;
}

/**
 * The auto-map wizard, a LightningModal in the article's order: what auto-map does (Proceed or Cancel), the field
 * and, if the admin narrows it, the record type whose values count (by default every value of the field: "All record
 * types"), the preview (the engine's plan against the service's current state, with suggestions to accept one by
 * one, a stage of its own for a skipped value, the language new stage names come from, the category of each stage to
 * be created and where the new stages go, and a CSV export), Create and Map (one call with the previewed version, the
 * categories and an idempotency key), and the result: what the run did, the stages it created with their categories,
 * every value still unmapped and why, and the run's history with undo.
 *
 * Nothing is lost on failure: an error shows the server's message where the admin is and keeps every choice; a
 * retry reuses the idempotency key, so a run that did reach the service is never applied twice. A conflict (the
 * state moved since the preview) shows the fresh plan and what changed in it. Every change made inside the wizard
 * (a suggestion accepted, a stage created for a skipped value) returns the scope's new state, and the wizard plans
 * again on it: an apply always names the version the admin last saw.
 *
 * Success is said inside the modal (the result, a status line), never by a toast: a toast would cover the modal's
 * title. Focus moves to the heading of each new step, and a polite live region announces what happened.
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
        stepsLabel,
        stepCompleted,
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
        stepPreview,
        previewError,
        summaryLabel,
        nothingToApply,
        namingByApiName,
        categoryHelp,
        listSeparator,
        exportCsv,
        suggestionsHeading,
        suggestionsHelp,
        suggestionError,
        conflictHeading,
        conflictHelp,
        conflictSamePlan,
        applyingHeading,
        applyingHelp,
        applyError,
        createdHeading,
        unmappedHeading,
        historyHeading,
        undoneNotice,
        newStageOpen,
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
    /** The record type whose values are planned: the master record type ("All record types") unless narrowed. */
    selectedRecordTypeId = MASTER_RECORD_TYPE_ID;
    /** The master record type, always read: its values are every active value of the field. */
    masterRecordTypeId = MASTER_RECORD_TYPE_ID;
    /** The chosen field's values for the chosen record type; undefined while they load. */
    values: ServiceValue[] | undefined;
    /** Every value of the chosen field (the master record type's); undefined while they load. */
    fieldValues: ServiceValue[] | undefined;
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
    /** Every value of the field when the plan was made: the result names those the run leaves unmapped. */
    plannedFieldValues: ServiceValue[] | undefined;
    /** Where new stages take their names from; passed to the engine and to the service alike. */
    newStageNames: NewStageNames = 'label';
    /**
     * The categories the admin chose for new stages, by value (null: None). Kept across new plans of the same field;
     * a value never chosen gets its default ({@link stageCategories}).
     */
    chosenCategories: ReadonlyMap<string, Category> = new Map();
    /** One key per run, kept across retries; a new plan means a new run and a new key. */
    idempotencyKey: string | undefined;
    conflict: ChangeItem[] | undefined;
    result: AppliedResult | undefined;
    resultBasis: ResultBasis | undefined;
    undone = false;

    /** Values given a stage of their own on the result step: value → the new stage's name. */
    resolvedValues: Record<string, string> = {};
    /** The value whose "Create a stage and map" form is open on the result step. */
    resultEditingValue: string | undefined;
    createFailure: CreateFailure | undefined;
    /** A success said inside the modal (a status line), since a toast would cover its title. */
    notice = '';
    showAllCreated = false;
    showAllUnmapped = false;

    busy = false;
    /** Where the last failure happened, so the error shows next to what failed. */
    failure: unknown;
    failureHeading = '';
    announcement = '';
    /** Fields mapped in this session, added to `mappedFields` for the field picker. */
    sessionMappedFields: string[] = [];
    /** Something changed in the service from inside the wizard: the page must reload, the preview says so. */
    changed = false;
    private focusRef: string | undefined;
    /** An element of the template to focus after the next render (`[data-focus="..."]`), when no ref fits. */
    private focusSelector: string | undefined;

    override connectedCallback(): void {
        this.selectedField = this.fieldApiName;
    }

    override renderedCallback(): void {
        const selector = this.focusSelector;
        if (selector !== undefined) {
            this.focusSelector = undefined;
            const element = Array.from(this.template?.querySelectorAll<HTMLElement>('[data-focus]') ?? []).find(
                (candidate) => candidate.dataset.focus === selector
            );
            if (element) {
                element.focus();
                return;
            }
        }
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
    // UI API: the object (labels, record types) and the field's values, for the chosen record type and for all
    // -----------------------------------------------------------------------------------------------------------

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    objectInfo: WireResult<ObjectInfo> = {};

    /** The record type whose values are planned; the master one plans every value of the field. */
    get recordTypeId(): string {
        return this.selectedRecordTypeId;
    }

    /** True when the admin narrowed the run to one record type. */
    get narrowed(): boolean {
        return this.selectedRecordTypeId !== MASTER_RECORD_TYPE_ID;
    }

    private get recordTypeName(): string {
        return this.objectInfo.data?.recordTypeInfos[this.selectedRecordTypeId]?.name ?? this.selectedRecordTypeId;
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

    /**
     * Every value of the field, to compare a narrowed run with: the master record type's values are the field's
     * whole active list. Not narrowed, this is the same request as {@link wiredValues}, which the UI API answers once.
     */
    @wire(getPicklistValues, { recordTypeId: '$masterRecordTypeId', fieldApiName: '$qualifiedFieldApiName' })
    wiredFieldValues({ data }: WireResult<PicklistValues>): void {
        if (data) {
            this.fieldValues = toServiceValues(data.values);
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

    /**
     * The steps with their names, as a list, not as buttons: the base progress indicator made each step a tab stop
     * with an unlabelled dot, and nothing happens on them. Applying is still part of the preview step.
     */
    get steps(): StepItem[] {
        const current = this.step === 'applying' ? 'preview' : this.step;
        const currentIndex = STEPS.findIndex((step) => step.value === current);
        return STEPS.map((step, index) => {
            const done = index < currentIndex;
            const isCurrent = index === currentIndex;
            return {
                value: step.value,
                label: step.label,
                marker: done ? '\u2713' : String(index + 1),
                done,
                ariaCurrent: isCurrent ? 'step' : undefined,
                itemClass: `wizard-step${done ? ' wizard-step_done' : ''}${isCurrent ? ' wizard-step_current' : ''}`
            };
        });
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
        this.notice = '';
        this.createFailure = undefined;
        this.goTo('field', 'fieldHeading');
    }

    // -----------------------------------------------------------------------------------------------------------
    // Step: choose the field and, to narrow the run, a record type
    // -----------------------------------------------------------------------------------------------------------

    handleFieldChange(event: CustomEvent<{ fieldApiName: string }>): void {
        if (event.detail.fieldApiName === this.selectedField) {
            return;
        }
        this.selectedField = event.detail.fieldApiName;
        this.fieldValues = undefined;
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
        this.chosenCategories = new Map();
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
        const count = this.values?.length ?? 0;
        if (this.narrowed && this.fieldValues) {
            return formatLabel(valuesFoundNarrowed, count, this.fieldValues.length, this.recordTypeName);
        }
        return formatLabel(valuesFound, count);
    }

    get hasValues(): boolean {
        return (this.values?.length ?? 0) > 0;
    }

    get noValues(): boolean {
        return this.values !== undefined && this.values.length === 0;
    }

    /** Narrowed, the field's whole list is needed too: the result names the values the record type leaves out. */
    get previewDisabled(): boolean {
        return this.busy || !this.hasValues || (this.narrowed && this.fieldValues === undefined);
    }

    /** Reads the scope's state (one callout) and plans with the engine: nothing changes yet. */
    async handlePreview(): Promise<void> {
        const values = this.values;
        if (!values || this.previewDisabled) {
            return;
        }
        this.busy = true;
        this.failure = undefined;
        this.conflict = undefined;
        this.notice = '';
        try {
            const state = await fetchScopeState(this.scope);
            this.plannedFieldValues = this.narrowed ? (this.fieldValues ?? values) : values;
            this.planOn(state, values);
            this.goTo('preview', 'previewHeading');
            this.announce(this.previewReadyText);
        } catch (error) {
            this.showFailure(error, previewError);
        } finally {
            this.busy = false;
        }
    }

    /** Plans `values` on `state` in the naming the admin chose. A new plan is a new run: it gets a new key. */
    private planOn(state: ScopeState, values: ServiceValue[]): void {
        this.scopeState = state;
        this.plan = planAutoMap(toPlanInput(this.scope, values, state), { newStageNames: this.newStageNames });
        this.version = state.version;
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

    /**
     * The hint mentions suggestions only when there are some to accept, and says nothing has changed only while that
     * is true (an accepted suggestion or a new stage did change the service).
     */
    get previewHelpText(): string {
        const help = this.hasSuggestions ? previewHelpSuggestions : previewHelp;
        return this.changed ? help : `${previewNothingChanged} ${help}`;
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

    /** The family's stages as last read: a new stage's name is refused when one of them has its key. */
    get stages(): StageInput[] {
        return (this.scopeState?.stages ?? []).map((stage) => ({ id: stage.id, name: stage.name }));
    }

    get otherMappings(): OtherMapping[] {
        return this.scopeState?.otherMappings ?? [];
    }

    /** One tile per outcome the wizard can meet, with its count: the plan's, or the run's in the past tense. */
    get summaryItems(): SummaryItem[] {
        const counts = this.result?.run.summary.counts ?? this.plan?.summary.counts;
        if (!counts) {
            return [];
        }
        const name = this.result ? resultOutcomeLabel : outcomeLabel;
        return WIZARD_OUTCOME_KINDS.map((kind) => ({
            kind,
            label: name(kind),
            count: formatCount(counts[kind]),
            boxClass:
                isSkip(kind) && counts[kind] > 0
                    ? 'slds-box slds-box_x-small slds-text-align_center summary-box summary-skip'
                    : 'slds-box slds-box_x-small slds-text-align_center summary-box'
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

    /** Where new stage names come from: shown while the plan creates stages, or the admin chose API names. */
    get showNaming(): boolean {
        return this.namedByApiName || this.createsStages;
    }

    get namedByApiName(): boolean {
        return this.newStageNames === 'apiName';
    }

    get namingText(): string {
        return this.namedByApiName ? namingApiNames : formatLabel(namingLabels, languageName(USER_LANGUAGE));
    }

    /** The category of every stage the plan creates, by value: what the table shows and the apply sends. */
    get categories(): Record<string, Category> {
        return stageCategories(this.plan, new Set(this.convertedValues), this.chosenCategories);
    }

    /** True while the plan creates stages: the preview then says where they go and asks for their categories. */
    get createsStages(): boolean {
        return (this.plan?.summary.counts['create-and-map'] ?? 0) > 0;
    }

    /** "New stages go to positions 11 to 16, after the 10 existing stages, in picklist order." */
    get createdPositionText(): string {
        const positions = createdPositions(this.plan, this.scopeState?.stages.length ?? 0);
        if (!positions) {
            return '';
        }
        const { first, last, existing } = positions;
        if (first === last) {
            return existing === 0 ? createdPositionFirst : formatLabel(createdPosition, first, existing);
        }
        return existing === 0
            ? formatLabel(createdPositionsFirst, last)
            : formatLabel(createdPositionsLabel, first, last, existing);
    }

    /**
     * The admin chose a category in the table. The request an apply sends changes with it, so the run gets a new
     * idempotency key: the service would refuse the old key with another request.
     */
    handleCategoryChange(event: CustomEvent<{ value: string; category: Category }>): void {
        const { value, category } = event.detail;
        const chosen = new Map(this.chosenCategories);
        chosen.set(value, category);
        this.chosenCategories = chosen;
        this.idempotencyKey = undefined;
    }

    /**
     * Labels are in the admin's language, so are the stages named after them; API names are the same for everyone.
     * The state is read again: the plan shown must be made on the state an apply will name.
     */
    async handleNamingChange(event: CustomEvent<{ checked?: boolean }>): Promise<void> {
        const values = this.plannedValues;
        if (!values) {
            return;
        }
        this.newStageNames = event.detail.checked === true ? 'apiName' : 'label';
        this.busy = true;
        this.failure = undefined;
        try {
            this.planOn(await fetchScopeState(this.scope), values);
            this.announce(this.namingText);
        } catch (error) {
            this.showFailure(error, previewError);
        } finally {
            this.busy = false;
        }
    }

    private get csvFileName(): string {
        return formatLabel(exportFileName, this.objectApiName, this.selectedField);
    }

    /** Saves the plan on screen as CSV; built on the click, as a Blob, so nothing is held for a link to point at. */
    handleExportCsv(): void {
        downloadTextFile(planToCsv(this.outcomes, reasonContext(this.outcomes, this.otherMappings)), this.csvFileName);
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
        this.notice = '';
        try {
            const state = await mapValue(this.scope, value, stageId, this.currentLabel(value));
            this.changed = true;
            const message = formatLabel(suggestionAccepted, this.valueLabels[value] ?? value, suggestion.stageName);
            this.planOn(state, values);
            this.notice = message;
            this.announce(message);
            this.focusRef = this.hasSuggestions ? 'suggestionsHeading' : 'previewHeading';
        } catch (error) {
            this.showFailure(error, suggestionError);
        } finally {
            this.busy = false;
        }
    }

    /**
     * "Create a stage and map" on a skipped row of the preview: one call creates the stage and maps the value; the
     * wizard plans again on the state it returns, so the row shows the new mapping and an apply names that version.
     */
    async handleCreateStage(event: CustomEvent<{ value: string; stageName: string }>): Promise<void> {
        const values = this.plannedValues;
        if (!values) {
            return;
        }
        const { value, stageName } = event.detail;
        const state = await this.createStage(value, stageName);
        if (state) {
            this.planOn(state, values);
            const message = formatLabel(stageCreated, this.valueText(value), stageName);
            this.notice = message;
            this.announce(message);
        }
    }

    /** The call behind both "Create a stage and map" forms; its refusal goes back to the form that asked. */
    private async createStage(value: string, stageName: string): Promise<ScopeState | undefined> {
        this.busy = true;
        this.failure = undefined;
        this.createFailure = undefined;
        this.notice = '';
        try {
            const state = await mapValueToNewStage(this.scope, value, stageName, this.currentLabel(value));
            this.changed = true;
            return state;
        } catch (error) {
            const message = reduceErrors(error).join(' ');
            this.createFailure = { value, message };
            this.announce(message);
            return undefined;
        } finally {
            this.busy = false;
        }
    }

    /**
     * The value's label as the admin sees it now: the service records it with the mapping, so drift can later tell a
     * relabelled value. Undefined for a value the wizard has no label for (the service then records none).
     */
    private currentLabel(value: string): string | undefined {
        return this.valueLabels[value] ?? this.fieldValueLabel(value);
    }

    private valueText(value: string): string {
        return valueName(value, this.valueLabels[value] ?? this.fieldValueLabel(value));
    }

    private fieldValueLabel(value: string): string | undefined {
        return (this.plannedFieldValues ?? []).find((entry) => entry.value === value)?.label;
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
        this.notice = '';
        this.busy = true;
        this.disableClose = true;
        this.goTo('applying', 'applyingHeading');
        this.announce(applyingHeading);
        try {
            const response = await applyAutoMap(
                this.scope,
                values,
                version,
                this.idempotencyKey,
                plan,
                this.newStageNames,
                categoriesToApply(this.categories)
            );
            if (response.status === 'conflict') {
                await this.showConflict(plan, values);
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

    /**
     * Nothing was applied: read the state again (so the stages, the other fields' mappings and the version shown are
     * all current), plan on it, and say once what changed in the plan. The service's own message is not shown: it
     * names state versions, which mean nothing to an admin.
     */
    private async showConflict(previewed: Plan, values: ServiceValue[]): Promise<void> {
        this.planOn(await fetchScopeState(this.scope), values);
        const fresh = this.plan ?? previewed;
        const context = reasonContext(fresh.outcomes, this.otherMappings);
        this.conflict = planChanges(previewed, fresh).map((change) => ({
            key: change.value,
            text: formatLabel(
                conflictChange,
                valueName(change.value, change.label),
                change.before ? outcomeLabel(change.before) : conflictNotPlanned,
                change.after ? outcomeLabel(change.after) : conflictNotPlanned
            ),
            reason: change.outcome ? outcomeReason(change.outcome, context) : ''
        }));
        this.goTo('preview', 'conflictHeading');
        this.announce(conflictHeading);
    }

    get conflictSamePlan(): boolean {
        return this.conflict !== undefined && this.conflict.length === 0;
    }

    private showResult(response: AppliedResult): void {
        this.result = response;
        this.resultBasis = {
            fieldValues: this.plannedFieldValues ?? this.plannedValues ?? [],
            mappedBefore: new Set((this.scopeState?.mappings ?? []).map((mapping) => mapping.value)),
            recordTypeName: this.narrowed ? this.recordTypeName : ''
        };
        this.resolvedValues = {};
        this.resultEditingValue = undefined;
        this.showAllCreated = false;
        this.showAllUnmapped = false;
        this.changed = true;
        this.sessionMappedFields = [...this.sessionMappedFields, this.selectedField];
        this.undone = false;
        this.conflict = undefined;
        this.goTo('result', 'resultHeading');
        this.announce(`${this.resultHeadingText}. ${this.resultSummaryText}`);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Step: result
    // -----------------------------------------------------------------------------------------------------------

    /** "Mapping complete" only when every value of the field is mapped; otherwise how many are not. */
    get resultHeadingText(): string {
        const unmapped = this.unmappedItems.filter((item) => item.resolved === '').length;
        return unmapped === 0 ? resultHeading : formatLabel(resultHeadingUnmapped, unmapped);
    }

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

    /** The stages the run created with the category the service gave each (read back, not what was asked). */
    private get createdStages(): { key: string; name: string; category: string }[] {
        return (this.result?.createdStages ?? []).map((stage) => ({
            key: stage.id,
            name: stage.name,
            category: formatLabel(createdCategory, categoryLabel(stage.category))
        }));
    }

    get hasCreatedStages(): boolean {
        return this.createdStages.length > 0;
    }

    /** "By category: Succeeded: 1, None: 4", from the run's counts; '' when the service sent none. */
    get createdCategoriesText(): string {
        const counts = this.result?.run.createdCategories;
        const text = counts ? categoryCountsText(counts) : '';
        return text ? formatLabel(createdCategories, text) : '';
    }

    get visibleCreatedStages(): { key: string; name: string; category: string; focus: string }[] {
        const all = this.createdStages;
        const shown = this.showAllCreated ? all : all.slice(0, COLLAPSED_LIST_SIZE);
        return shown.map((stage, index) => ({ ...stage, focus: `created-${index}` }));
    }

    get createdCollapsed(): boolean {
        return !this.showAllCreated && this.createdStages.length > COLLAPSED_LIST_SIZE;
    }

    get showAllCreatedText(): string {
        return formatLabel(showAll, this.createdStages.length);
    }

    handleShowAllCreated(): void {
        this.showAllCreated = true;
        // The first item that was hidden: the keyboard user continues where the list was cut.
        this.focusSelector = `created-${COLLAPSED_LIST_SIZE}`;
    }

    /** Every value of the field the run left unmapped, with why, and the way forward where there is one. */
    get unmappedItems(): UnmappedItem[] {
        const result = this.result;
        const basis = this.resultBasis;
        if (!result || !basis) {
            return [];
        }
        const context = reasonContext(result.plan.outcomes, this.otherMappings);
        return unmappedAfterRun(basis.fieldValues, result.plan, basis.mappedBefore).map((entry) => {
            const name = valueName(entry.value, entry.label);
            const resolved = this.resolvedValues[entry.value];
            const editing = this.resultEditingValue === entry.value;
            const canCreate = entry.why === 'skipped' && resolved === undefined && !this.undone;
            return {
                key: entry.value,
                value: entry.value,
                name,
                reason:
                    entry.why === 'skipped'
                        ? outcomeReason(entry.outcome, context)
                        : formatLabel(notInRecordType, basis.recordTypeName),
                canCreate,
                createAssistive: formatLabel(newStageOpenAssistive, name),
                expanded: String(editing),
                editing: canCreate && editing,
                suggestedName: editing ? this.suggestedNameFor(entry.value, entry.label) : '',
                resolved: resolved === undefined ? '' : formatLabel(nowMapped, resolved),
                focusResolved: `item:${entry.value}`,
                focusOpen: `open:${entry.value}`,
                focusForm: `form:${entry.value}`
            };
        });
    }

    private suggestedNameFor(value: string, label: string): string {
        return stageNameFromLabel(this.newStageNames === 'apiName' ? value : label || value);
    }

    get hasUnmappedItems(): boolean {
        return this.unmappedItems.length > 0;
    }

    get visibleUnmappedItems(): (UnmappedItem & { focus: string })[] {
        const all = this.unmappedItems;
        const shown = this.showAllUnmapped ? all : all.slice(0, COLLAPSED_LIST_SIZE);
        return shown.map((item, index) => ({ ...item, focus: `unmapped-${index}` }));
    }

    get unmappedCollapsed(): boolean {
        return !this.showAllUnmapped && this.unmappedItems.length > COLLAPSED_LIST_SIZE;
    }

    get showAllUnmappedText(): string {
        return formatLabel(showAll, this.unmappedItems.length);
    }

    handleShowAllUnmapped(): void {
        this.showAllUnmapped = true;
        this.focusSelector = `unmapped-${COLLAPSED_LIST_SIZE}`;
    }

    get resultCreateError(): string {
        return this.createFailure?.value === this.resultEditingValue ? (this.createFailure?.message ?? '') : '';
    }

    handleOpenResultForm(event: Event): void {
        const value = event.currentTarget instanceof HTMLElement ? event.currentTarget.dataset.value : undefined;
        if (value === undefined) {
            return;
        }
        this.resultEditingValue = value;
        this.createFailure = undefined;
        this.focusSelector = `form:${value}`;
    }

    handleCancelResultForm(event: CustomEvent<{ value: string }>): void {
        this.resultEditingValue = undefined;
        this.createFailure = undefined;
        this.focusSelector = `open:${event.detail.value}`;
    }

    /**
     * "Create a stage and map" on a value the run skipped. The run stays as it was; the value is marked mapped, and
     * the wizard plans again on the new state, so anything applied later names the new version.
     */
    async handleResultCreateStage(event: CustomEvent<{ value: string; stageName: string }>): Promise<void> {
        const { value, stageName } = event.detail;
        const state = await this.createStage(value, stageName);
        if (!state) {
            return;
        }
        this.planOn(state, this.plannedValues ?? []);
        this.resolvedValues = { ...this.resolvedValues, [value]: stageName };
        this.resultEditingValue = undefined;
        const message = formatLabel(stageCreated, this.valueText(value), stageName);
        this.notice = message;
        this.announce(message);
        this.focusSelector = `item:${value}`;
    }

    get resultRunId(): string {
        return this.result?.run.id ?? '';
    }

    handleRunUndone(event: CustomEvent<{ runId: string }>): void {
        this.changed = true;
        if (event.detail.runId === this.resultRunId) {
            this.undone = true;
            this.resultEditingValue = undefined;
            this.announce(undoneNotice);
        }
    }

    /** Back to the field step for another field (the article's "repeat for additional mappings"). */
    handleMapAnother(): void {
        this.result = undefined;
        this.chosenCategories = new Map();
        this.resultBasis = undefined;
        this.plan = undefined;
        this.scopeState = undefined;
        this.conflict = undefined;
        this.failure = undefined;
        this.notice = '';
        this.createFailure = undefined;
        this.undone = false;
        this.goTo('field', 'fieldHeading');
    }

    handleDone(): void {
        this.close({ changed: this.changed } satisfies WizardResult);
    }
}
