import { LightningElement, api } from 'lwc';
import Toast from 'lightning/toast';
import type { DriftFinding, DriftReport } from 'c/autoMapEngine';
import { driftOf, mapValue } from 'c/stageAutoMapApi';
import { reduceErrors } from 'c/errorUtils';
import type { Scope, ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import StageDriftFixModal from 'c/stageDriftFixModal';
import type { DriftFixModalResult } from 'c/stageDriftFixModal';
import { blockingStageName, driftKindLabel, driftReason, findingStageText, isFixable } from 'c/driftText';
import { formatLabel } from 'c/autoMapText';
import inSyncBadge from '@salesforce/label/c.AutoMap_Drift_InSyncBadge';
import inSync from '@salesforce/label/c.AutoMap_Drift_InSync';
import summary from '@salesforce/label/c.AutoMap_Drift_Summary';
import help from '@salesforce/label/c.AutoMap_Drift_Help';
import helpReadOnly from '@salesforce/label/c.AutoMap_Drift_HelpReadOnly';
import caption from '@salesforce/label/c.AutoMap_Drift_Caption';
import columnChange from '@salesforce/label/c.AutoMap_Drift_ColumnChange';
import fixLabel from '@salesforce/label/c.AutoMap_Drift_Fix';
import fixAssistive from '@salesforce/label/c.AutoMap_Drift_FixAssistive';
import fixAll from '@salesforce/label/c.AutoMap_Drift_FixAll';
import acceptLabel from '@salesforce/label/c.AutoMap_Drift_AcceptLabel';
import acceptAssistive from '@salesforce/label/c.AutoMap_Drift_AcceptLabelAssistive';
import acceptedToastTitle from '@salesforce/label/c.AutoMap_Drift_AcceptedToastTitle';
import acceptedToastMessage from '@salesforce/label/c.AutoMap_Drift_AcceptedToastMessage';
import acceptFailedToastTitle from '@salesforce/label/c.AutoMap_Drift_AcceptFailedToastTitle';
import fixedToastTitle from '@salesforce/label/c.AutoMap_Drift_FixedToastTitle';
import fixedToastMessage from '@salesforce/label/c.AutoMap_Drift_FixedToastMessage';
import conflictToastTitle from '@salesforce/label/c.AutoMap_Drift_ConflictToastTitle';
import conflictToastMessage from '@salesforce/label/c.AutoMap_Drift_ConflictToastMessage';
import modalHeader from '@salesforce/label/c.AutoMap_DriftFix_Header';
import modalDescription from '@salesforce/label/c.AutoMap_DriftFix_Description';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnReason from '@salesforce/label/c.AutoMap_Column_Reason';
import columnActions from '@salesforce/label/c.AutoMap_Column_Actions';

/**
 * Reports by state object: getters run during render, where assigning a component field is not allowed, and a new
 * state from the service is a new object, so a stale entry is never read.
 */
const reportCache = new WeakMap<ScopeState, { values: ServiceValue[]; report: DriftReport }>();

interface FindingRow {
    key: string;
    /** The value's API name. */
    value: string;
    change: string;
    stage: string;
    reason: string;
    canFix: boolean;
    fixAssistive: string;
    /** Accept (a new label): record the new label and keep the stage as it is (a relabel whose stage still exists). */
    canAccept: boolean;
    acceptAssistive: string;
}

/**
 * "Changes since mapping" for one field: how its picklist moved since its values were mapped, from the engine's
 * `driftReport` on the scope's state and the field's active values (no callout of its own). In sync: a badge and one
 * line. Otherwise one row per finding (the value, the kind of change, its stage, why, in the admin's language) and,
 * for a user who may edit, Fix on each finding that has a safe fix and Fix All Safe Changes.
 *
 * Both preview in `c/stageDriftFixModal`, which applies the fixes as one run. Applied: a success toast; refused
 * because the state moved: a warning toast. Either way `statechange` hands the panel the state read again, so the
 * page reloads as after an auto-map and this list is reported again on the fresh state. With `stale` the rows are
 * from before a failed refresh and offer no action.
 */
export default class StageDriftPanel extends LightningElement {
    @api objectApiName = '';
    @api fieldApiName = '';
    /** The scope's state from the service (mappings with the labels they recorded). */
    @api state: ScopeState | undefined;
    /** Every active value of the field (master record type). */
    @api values: ServiceValue[] = [];
    /** Shows Fix and Fix All Safe Changes (the controller checks the permission again). */
    @api canEdit = false;
    /** The rows are from before a failed refresh: the actions stay off until a refresh works. */
    @api stale = false;

    labels = {
        inSyncBadge,
        inSync,
        caption,
        columnValue,
        columnChange,
        columnStage,
        columnReason,
        columnActions,
        fixLabel,
        fixAll,
        acceptLabel
    };

    /** The modal is open: the buttons wait for it. */
    busy = false;
    /** Where focus goes after the next render: the first of these that finds an element. */
    private focusTargets: (() => HTMLElement | undefined)[] = [];

    override renderedCallback(): void {
        for (const find of this.focusTargets) {
            const target = find();
            if (target) {
                target.focus();
                this.focusTargets = [];
                return;
            }
        }
    }

    /** The first element of this panel that matches, or undefined. */
    private element(selector: string): HTMLElement | undefined {
        return this.template?.querySelector<HTMLElement>(selector) ?? undefined;
    }

    /** A finding's Fix or Accept button (values are compared as data, never put into a selector). */
    private actionButton(action: 'fix' | 'accept', value: string): HTMLElement | undefined {
        const buttons = this.template?.querySelectorAll<HTMLElement>(`button[data-action="${action}"]`) ?? [];
        return Array.from(buttons).find((button) => button.dataset.value === value);
    }

    private get scope(): Scope {
        return { objectApiName: this.objectApiName, fieldApiName: this.fieldApiName };
    }

    /** The engine's report, computed once per state and values (the getters below read it many times a render). */
    get report(): DriftReport | undefined {
        const state = this.state;
        if (!state) {
            return undefined;
        }
        const cached = reportCache.get(state);
        if (cached && cached.values === this.values) {
            return cached.report;
        }
        const report = driftOf(this.scope, this.values, state);
        reportCache.set(state, { values: this.values, report });
        return report;
    }

    private get findings(): DriftFinding[] {
        return this.report?.findings ?? [];
    }

    private get fixable(): DriftFinding[] {
        return this.findings.filter(isFixable);
    }

    get isInSync(): boolean {
        return this.report !== undefined && this.findings.length === 0;
    }

    get hasFindings(): boolean {
        return this.findings.length > 0;
    }

    get summaryText(): string {
        return formatLabel(summary, this.findings.length, this.fixable.length);
    }

    get helpText(): string {
        return this.canEdit ? help : helpReadOnly;
    }

    /** Fix All Safe Changes: for a user who may edit, when at least one finding has a fix. */
    get showFixAll(): boolean {
        return this.canEdit && this.fixable.length > 0;
    }

    get actionsDisabled(): boolean {
        return this.busy || this.stale;
    }

    get rows(): FindingRow[] {
        const labels = new Map(this.values.map((entry) => [entry.value, entry.label] as const));
        const labelOf = (value: string): string | undefined => labels.get(value);
        const stages = this.state?.stages ?? [];
        // The value column holds the API name, as the mappings table does; the reason says what its labels were.
        return this.findings.map((finding) => ({
            key: `${finding.kind}:${finding.value}`,
            value: finding.value,
            change: driftKindLabel(finding.kind),
            stage: findingStageText(finding),
            reason: driftReason(finding, labelOf, blockingStageName(finding, stages, this.findings)),
            canFix: this.canEdit && isFixable(finding),
            fixAssistive: formatLabel(fixAssistive, finding.value),
            canAccept: this.canEdit && isAcceptable(finding),
            acceptAssistive: formatLabel(acceptAssistive, finding.value)
        }));
    }

    /**
     * Accept (a new label): the admin keeps the stage (and its name) and the value's new label becomes the one drift
     * compares with, so the finding goes. Without it a relabel whose stage was not named after the label (no fix) would keep
     * the field out of sync for good. One manual change through `setMapping` with the same stage, which the service
     * records as the mapping's label in the running user's language; the stage, its records and the mapping stay.
     */
    async handleAccept(event: Event): Promise<void> {
        const value = event.currentTarget instanceof HTMLElement ? event.currentTarget.dataset.value : undefined;
        const finding = this.findings.find((candidate) => candidate.value === value && isAcceptable(candidate));
        if (!finding?.stageId || this.actionsDisabled) {
            return;
        }
        const label = finding.label ?? finding.value;
        this.busy = true;
        let state: ScopeState;
        try {
            state = await mapValue(this.scope, finding.value, finding.stageId, label);
        } catch (error) {
            Toast.show(
                { label: acceptFailedToastTitle, message: reduceErrors(error).join(' '), variant: 'error' },
                this
            );
            this.focusTargets = [() => this.actionButton('accept', finding.value)];
            return;
        } finally {
            this.busy = false;
        }
        Toast.show(
            {
                label: acceptedToastTitle,
                message: formatLabel(acceptedToastMessage, finding.value, finding.stageName ?? '', label),
                variant: 'success'
            },
            this
        );
        this.focusTargets = [() => this.element('[data-id="summary"]'), () => this.element('[data-id="in-sync"]')];
        this.dispatchEvent(new CustomEvent('statechange', { detail: { state } }));
    }

    async handleFix(event: Event): Promise<void> {
        const value = event.currentTarget instanceof HTMLElement ? event.currentTarget.dataset.value : undefined;
        const finding = this.fixable.find((candidate) => candidate.value === value);
        if (finding) {
            await this.preview([finding], () => this.actionButton('fix', finding.value));
        }
    }

    async handleFixAll(): Promise<void> {
        await this.preview(this.fixable, () => this.element('[data-id="fix-all"]'));
    }

    /**
     * Opens the preview of these fixes with the values and the version they were reported on. Closed without
     * applying: focus returns to the button that opened it. Otherwise the page gets the state read again.
     */
    private async preview(findings: DriftFinding[], opener: () => HTMLElement | undefined): Promise<void> {
        const state = this.state;
        if (!state || findings.length === 0 || this.actionsDisabled) {
            return;
        }
        this.busy = true;
        let result: unknown;
        try {
            // A false positive: the Locker rule matches any .open(); this opens a Lightning modal, not XHR or a window.
            // eslint-disable-next-line @locker/locker/distorted-xml-http-request-window-open
            result = await StageDriftFixModal.open({
                label: modalHeader,
                description: modalDescription,
                size: 'medium',
                objectApiName: this.objectApiName,
                fieldApiName: this.fieldApiName,
                values: this.values,
                version: state.version,
                findings
            });
        } finally {
            this.busy = false;
        }
        if (!isModalResult(result)) {
            this.focusTargets = [opener];
            return;
        }
        if (result.status === 'applied') {
            Toast.show(
                {
                    label: formatLabel(fixedToastTitle, result.fixCount),
                    message: fixedToastMessage,
                    variant: 'success'
                },
                this
            );
        } else {
            Toast.show({ label: conflictToastTitle, message: conflictToastMessage, variant: 'warning' }, this);
        }
        // The list is reported again on the new state: focus goes to what it says now.
        this.focusTargets = [() => this.element('[data-id="summary"]'), () => this.element('[data-id="in-sync"]')];
        this.dispatchEvent(new CustomEvent('statechange', { detail: { state: result.state } }));
    }
}

/** A relabel whose stage still exists: its new label can be accepted, keeping the stage as it is. */
function isAcceptable(finding: DriftFinding): boolean {
    return finding.kind === 'label-changed' && finding.stageId !== undefined && finding.stageName !== undefined;
}

/** What the modal closed with: a result, or `undefined` when it was cancelled or closed with Esc or the X. */
function isModalResult(result: unknown): result is DriftFixModalResult {
    return (
        typeof result === 'object' &&
        result !== null &&
        'status' in result &&
        (result.status === 'applied' || result.status === 'conflict') &&
        'state' in result
    );
}
