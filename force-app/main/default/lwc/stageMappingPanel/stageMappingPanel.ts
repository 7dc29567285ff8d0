import { LightningElement, api, wire } from 'lwc';
import { getObjectInfo, getObjectInfos, getPicklistValues } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, PicklistValues, WireResult } from 'lightning/uiObjectInfoApi';
import { familyOf } from 'c/autoMapEngine';
import AutoMapWizard from 'c/autoMapWizard';
import {
    MASTER_RECORD_TYPE_ID,
    fetchMappedFields,
    fetchScopeState,
    hasAutoMapRun,
    mappedFieldNames,
    toServiceValues
} from 'c/stageAutoMapApi';
import type { OtherMapping, ScopeMappingLabel, ScopeState, ScopeSummary, ServiceValue } from 'c/stageAutoMapApi';
import { formatLabel } from 'c/autoMapText';
import chooseField from '@salesforce/label/c.AutoMap_Panel_ChooseField';
import autoMapHeading from '@salesforce/label/c.AutoMap_Panel_AutoMapHeading';
import autoMapHelp from '@salesforce/label/c.AutoMap_Panel_AutoMapHelp';
import getStarted from '@salesforce/label/c.AutoMap_Panel_GetStarted';
import createAndAutoMap from '@salesforce/label/c.AutoMap_Panel_CreateAndAutoMap';
import lastRun from '@salesforce/label/c.AutoMap_Panel_LastRun';
import mappingsHeading from '@salesforce/label/c.AutoMap_Panel_MappingsHeading';
import driftHeading from '@salesforce/label/c.AutoMap_Panel_DriftHeading';
import housekeepingHeading from '@salesforce/label/c.AutoMap_Panel_HousekeepingHeading';
import historyHeading from '@salesforce/label/c.AutoMap_Panel_HistoryHeading';
import loading from '@salesforce/label/c.AutoMap_Panel_Loading';
import loadError from '@salesforce/label/c.AutoMap_Panel_LoadError';
import mappedFieldsError from '@salesforce/label/c.AutoMap_Panel_MappedFieldsError';
import valuesError from '@salesforce/label/c.AutoMap_Wizard_ValuesError';
import wizardLabel from '@salesforce/label/c.AutoMap_Wizard_Header';
import wizardDescription from '@salesforce/label/c.AutoMap_Wizard_Description';
import unsupportedObject from '@salesforce/label/c.AutoMap_Panel_UnsupportedObject';
import staleNotice from '@salesforce/label/c.AutoMap_Panel_StaleNotice';
import otherObjectField from '@salesforce/label/c.AutoMap_Field_OtherObject';

/** The field a tab opens with when the object has it: the standard status-like picklist. */
const DEFAULT_FIELD_BY_OBJECT: Readonly<Record<string, string>> = Object.freeze({ Lead: 'Status', Account: 'Type' });
/** Otherwise the first custom picklist whose API name says it holds a status or stage (e.g. Contact_Status__c). */
const STATUS_LIKE_FIELD = /(status|stage)/i;

/**
 * One object's tab on the setup page: the field being mapped (with the picklist field picker, unmapped fields first
 * and marked, mapped fields marked in sync or not), its current mappings with manual map and remove, the changes
 * since mapping (drift) with their fixes, the auto-map entry point ("Get Started", or "Create & Auto-Map Stages"
 * once a run exists for any field of the object), housekeeping and the history of runs.
 * Reads the field's values through the UI API (master record type: every active value), the scope's state and the
 * object's mapped fields through Apex; children report changes with `statechange` and the panel keeps the one copy
 * of the state, reading the mapped fields again after every change.
 *
 * Every failure offers Retry, which reads again what failed. When a refresh fails after the state was shown, the
 * rows stay, marked as possibly out of date, and offer no action (children get `stale`) until a read works.
 * Other fields named on the page (stages they map) are named by their labels: this object's from its object info,
 * other objects' (Lead and Contact share stages) from theirs, with the object's name.
 */
export default class StageMappingPanel extends LightningElement {
    /** Contact, Lead or Account. */
    @api objectApiName = '';
    /** Shows the auto-map button and the editing actions (the controller checks the permission again). */
    @api canEdit = false;

    labels = {
        chooseField,
        autoMapHeading,
        autoMapHelp,
        lastRun,
        mappingsHeading,
        driftHeading,
        housekeepingHeading,
        historyHeading,
        loading,
        loadError,
        mappedFieldsError,
        valuesError,
        unsupportedObject,
        staleNotice
    };

    fieldApiName = '';
    state: ScopeState | undefined;
    stateFailure: unknown;
    values: ServiceValue[] | undefined;
    valuesFailure: unknown;
    objectInfoFailure: unknown;
    objectInfoLoaded = false;
    /** This object's info (field labels), once loaded. */
    objectInfo: ObjectInfo | undefined;
    /** Other objects whose fields map stages of the family (undefined when none: nothing is read). */
    otherObjectNames: string[] | undefined;
    otherObjectInfos: ObjectInfo[] = [];
    /** The state shown is from before a read that failed: children offer no action until a read works. */
    stale = false;
    /** The values are being asked for again (a Retry): the wire's field is unset for one turn. */
    private valuesRetrying = false;
    private focusMappingsHeading = false;
    /** The object's fields with a mapping or a run (every field, not only the one shown). */
    scopes: ScopeSummary[] = [];
    scopesFailure: unknown;
    private scopesRequest = 0;
    private fieldChosenByAdmin = false;
    private focusAutoMapButton = false;

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    wiredObjectInfo({ data, error }: WireResult<ObjectInfo>): void {
        this.objectInfoFailure = error;
        this.objectInfoLoaded = data !== undefined;
        this.objectInfo = data;
        if (data && !this.fieldChosenByAdmin && !this.fieldApiName) {
            const field = defaultFieldOf(data);
            if (field) {
                this.selectField(field);
            }
        }
    }

    /** Field labels of the other objects named by the state (one read for all of them). */
    @wire(getObjectInfos, { objectApiNames: '$otherObjectNames' })
    wiredOtherObjectInfos({ data }: WireResult<{ results: { result: ObjectInfo; statusCode: number }[] }>): void {
        // An object that cannot be read (or a failed read) leaves its fields named by their API names.
        this.otherObjectInfos = (data?.results ?? [])
            .filter((entry) => entry.statusCode === 200)
            .map((entry) => entry.result);
    }

    /** Every active value of the field: mappings and housekeeping concern the field, not one record type. */
    get qualifiedFieldApiName(): string | undefined {
        return this.fieldApiName && !this.valuesRetrying ? `${this.objectApiName}.${this.fieldApiName}` : undefined;
    }

    masterRecordTypeId = MASTER_RECORD_TYPE_ID;

    @wire(getPicklistValues, { recordTypeId: '$masterRecordTypeId', fieldApiName: '$qualifiedFieldApiName' })
    wiredValues({ data, error }: WireResult<PicklistValues>): void {
        if (data) {
            this.values = toServiceValues(data.values);
            this.valuesFailure = undefined;
        } else if (error !== undefined) {
            this.values = undefined;
            this.valuesFailure = error;
        }
    }

    override connectedCallback(): void {
        if (this.isSupported) {
            // loadScopes() shows its own failures; the catch only keeps the promise from floating.
            this.loadScopes().catch(() => undefined);
        }
    }

    override renderedCallback(): void {
        // Once the read worked: while the failure is shown, its Retry keeps the focus.
        if (this.focusMappingsHeading && this.stateFailure === undefined) {
            const heading = this.template?.querySelector<HTMLElement>('[data-id="mappings-heading"]');
            if (heading) {
                heading.focus();
                this.focusMappingsHeading = false;
            }
        }
        if (this.focusAutoMapButton) {
            const button = this.refs?.autoMapButton;
            if (button instanceof HTMLElement) {
                button.focus();
                this.focusAutoMapButton = false;
            }
        }
    }

    get isSupported(): boolean {
        return familyOf(this.objectApiName) !== undefined;
    }

    get hasField(): boolean {
        return this.fieldApiName !== '';
    }

    /** Once the object's fields are known (the field picker shows an object info error itself). */
    get showChooseField(): boolean {
        return !this.hasField && this.objectInfoLoaded && this.objectInfoFailure === undefined;
    }

    get isLoading(): boolean {
        return (
            this.hasField &&
            ((this.state === undefined && this.stateFailure === undefined) ||
                (this.values === undefined && this.valuesFailure === undefined))
        );
    }

    get isReady(): boolean {
        return this.state !== undefined && this.values !== undefined;
    }

    /** Fields with at least one mapping: the object's list, and the field shown as its state says right now. */
    get mappedFields(): string[] {
        const fields = mappedFieldNames(this.scopes).filter(
            (field) => field !== this.fieldApiName || this.state === undefined
        );
        if (this.state && this.state.mappings.length > 0) {
            fields.push(this.fieldApiName);
        }
        return [...new Set(fields)];
    }

    /** "Create & Auto-Map Stages" once an auto-map has run for any field of the object, else "Get Started". */
    get autoMapButtonLabel(): string {
        return hasAutoMapRun(this.scopes) || this.state?.lastRun ? createAndAutoMap : getStarted;
    }

    /** The mapped fields could not load and nothing else failed: say so (the page still works without them). */
    get showScopesFailure(): boolean {
        return this.scopesFailure !== undefined && this.stateFailure === undefined;
    }

    get lastRunDate(): string {
        return this.state?.lastRun?.createdAt ?? '';
    }

    get lastRunText(): string {
        return formatLabel(lastRun, this.state?.lastRun?.actor.name ?? '');
    }

    get autoMapDisabled(): boolean {
        return !this.isReady || this.stale;
    }

    /**
     * Fields as the page names them, by `Object.Field`: this field and every field that maps a stage of the family.
     * A field of this object by its label; of another object by its label and the object's; else left out (the
     * children then show the API name).
     */
    get fieldNames(): Record<string, string> {
        const infos = new Map([
            ...this.otherObjectInfos.map((info) => [info.apiName, info] as const),
            ...(this.objectInfo ? [[this.objectInfo.apiName, this.objectInfo] as const] : [])
        ]);
        const names: Record<string, string> = {};
        const fields = [{ object: this.objectApiName, field: this.fieldApiName }, ...(this.state?.otherMappings ?? [])];
        for (const { object, field } of fields) {
            const info = infos.get(object);
            const label = info?.fields[field]?.label;
            if (info && label) {
                names[`${object}.${field}`] =
                    object === this.objectApiName ? label : formatLabel(otherObjectField, label, info.label);
            }
        }
        return names;
    }

    /**
     * The object's scopes for the field picker's in-sync marks: the field shown with the mappings of its state (the
     * ones the changes since mapping are reported on), the others as the service listed them.
     */
    get fieldSummaries(): ScopeSummary[] {
        const state = this.state;
        if (!state) {
            return this.scopes;
        }
        // A mapping without a recorded label leaves it out, as the service lists it.
        const mappings = state.mappings.map((mapping): ScopeMappingLabel => {
            return mapping.label === undefined
                ? { value: mapping.value }
                : { value: mapping.value, label: mapping.label };
        });
        const shown: ScopeSummary = {
            object: state.object,
            field: state.field,
            family: state.family,
            mappingCount: mappings.length,
            mappings
        };
        return [...this.scopes.filter((scope) => scope.field !== state.field), shown];
    }

    get otherMappings(): OtherMapping[] {
        return this.state?.otherMappings ?? [];
    }

    /** The shown state: the other objects whose field labels are needed are read when they change. */
    private showState(state: ScopeState): void {
        this.state = state;
        this.stale = false;
        const others = [...new Set(state.otherMappings.map((mapping) => mapping.object))]
            .filter((object) => object !== this.objectApiName)
            .sort();
        if (others.join() !== (this.otherObjectNames ?? []).join()) {
            this.otherObjectNames = others.length > 0 ? others : undefined;
        }
    }

    handleFieldChange(event: CustomEvent<{ fieldApiName: string }>): void {
        this.fieldChosenByAdmin = true;
        this.selectField(event.detail.fieldApiName);
    }

    private selectField(fieldApiName: string): void {
        if (fieldApiName === this.fieldApiName) {
            return;
        }
        this.fieldApiName = fieldApiName;
        this.state = undefined;
        this.stale = false;
        this.stateFailure = undefined;
        this.values = undefined;
        this.valuesFailure = undefined;
        // loadState() shows its own failures; the catch only keeps the promise from floating.
        this.loadState().catch(() => undefined);
    }

    /**
     * Reads the scope's state. A failure stays shown until a read works (so Retry keeps its place); a state already
     * shown for this field stays too, marked stale.
     */
    private async loadState(): Promise<void> {
        const field = this.fieldApiName;
        try {
            const state = await fetchScopeState({ objectApiName: this.objectApiName, fieldApiName: field });
            // A slow answer for a field the admin has since left must not overwrite the new field's state.
            if (field === this.fieldApiName) {
                this.stateFailure = undefined;
                this.showState(state);
            }
        } catch (error) {
            if (field === this.fieldApiName) {
                this.stale = this.state !== undefined;
                this.stateFailure = error;
            }
        }
    }

    /** Retry after a failed read of the state: read everything again; focus goes to the mappings once shown. */
    async handleRetryState(): Promise<void> {
        this.focusMappingsHeading = true;
        await this.refresh();
        if (this.stateFailure !== undefined) {
            // Still failing: Retry (shown again) keeps the focus.
            this.focusMappingsHeading = false;
        }
    }

    async handleRetryScopes(): Promise<void> {
        await this.loadScopes();
    }

    /**
     * Retry after the UI API failed to give the values: unset the wire's field for one turn, so it asks again with
     * the same parameters once they are back.
     */
    async handleRetryValues(): Promise<void> {
        this.valuesFailure = undefined;
        this.valuesRetrying = true;
        // The wire recomputes its parameters in a microtask queued by the change above; set them back after it.
        await Promise.resolve();
        this.valuesRetrying = false;
    }

    /** The object's fields with a mapping or a run; on failure the panel falls back to the field it shows. */
    private async loadScopes(): Promise<void> {
        // Only the newest read counts: an older answer arriving late must not undo a newer one.
        const request = ++this.scopesRequest;
        try {
            const scopes = await fetchMappedFields(this.objectApiName);
            if (request === this.scopesRequest) {
                this.scopes = scopes;
                this.scopesFailure = undefined;
            }
        } catch (error) {
            if (request === this.scopesRequest) {
                this.scopesFailure = error;
            }
        }
    }

    /** Opens the wizard; whatever happened in it, the state and history are read again afterwards. */
    async handleAutoMap(): Promise<void> {
        // A false positive: the Locker rule matches any .open(); this opens the wizard modal, not XHR or window.open.
        // eslint-disable-next-line @locker/locker/distorted-xml-http-request-window-open
        await AutoMapWizard.open({
            label: wizardLabel,
            description: wizardDescription,
            size: 'large',
            objectApiName: this.objectApiName,
            fieldApiName: this.fieldApiName,
            mappedFields: this.mappedFields
        });
        await this.refresh();
        this.focusAutoMapButton = true;
    }

    /**
     * A child changed the scope: use the state it got back, or read it again; the mapped fields may have changed,
     * and the history too (drift fixes are a run, so the page reloads as after an auto-map).
     * A state for a field the admin has since left (a save that answered after the field changed) is not used, as in
     * {@link loadState}: the field shown is read again instead.
     */
    async handleStateChange(event: CustomEvent<{ state?: ScopeState }>): Promise<void> {
        const state = event.detail.state;
        if (state && state.object === this.objectApiName && state.field === this.fieldApiName) {
            this.stateFailure = undefined;
            this.showState(state);
            await Promise.all([this.loadScopes(), this.refreshHistory()]);
        } else {
            await Promise.all([this.loadState(), this.loadScopes(), this.refreshHistory()]);
        }
    }

    async handleRunUndone(): Promise<void> {
        await Promise.all([this.loadState(), this.loadScopes()]);
    }

    private async refresh(): Promise<void> {
        await Promise.all([this.loadState(), this.loadScopes(), this.refreshHistory()]);
    }

    private async refreshHistory(): Promise<void> {
        const history = this.refs?.history;
        if (isRefreshable(history)) {
            await history.refresh();
        }
    }
}

/** The run history element's public `refresh()` (an @api method the Element type does not know). */
function isRefreshable(element: unknown): element is { refresh(): Promise<void> } {
    return (
        typeof element === 'object' && element !== null && 'refresh' in element && typeof element.refresh === 'function'
    );
}

/** The field a tab opens with, or '' when the admin must choose. */
function defaultFieldOf(info: ObjectInfo): string {
    const isPicklist = (name: string): boolean => info.fields[name]?.dataType === 'Picklist';
    const preferred = DEFAULT_FIELD_BY_OBJECT[info.apiName];
    if (preferred !== undefined && isPicklist(preferred)) {
        return preferred;
    }
    const statusLike = Object.values(info.fields)
        .filter((field) => field.dataType === 'Picklist' && field.custom && STATUS_LIKE_FIELD.test(field.apiName))
        .sort((a, b) => a.apiName.localeCompare(b.apiName));
    return statusLike[0]?.apiName ?? '';
}
