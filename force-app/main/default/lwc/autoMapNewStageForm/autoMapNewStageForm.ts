import { LightningElement, api } from 'lwc';
import { MAX_TEXT_LENGTH, stageKey } from 'c/autoMapEngine';
import type { StageInput } from 'c/autoMapEngine';
import { formatLabel } from 'c/autoMapText';
import nameLabel from '@salesforce/label/c.AutoMap_NewStage_NameLabel';
import nameMissing from '@salesforce/label/c.AutoMap_NewStage_NameMissing';
import nameTaken from '@salesforce/label/c.AutoMap_NewStage_NameTaken';
import submitLabel from '@salesforce/label/c.AutoMap_NewStage_Submit';
import cancelLabel from '@salesforce/label/c.AutoMap_Button_Cancel';

/** What the `create` event carries: the value to map and the name of the stage to create for it. */
export interface NewStageRequest {
    value: string;
    stageName: string;
}

/**
 * The way forward for a value auto-map skipped (its stage is taken, or several stages share its name): name a new
 * stage and map the value to it in one change. The name starts as the one auto-map would give and can be edited.
 *
 * A name whose key (the engine's `stageKey`: case, width and spacing ignored) an existing stage of the family has is
 * refused here, naming that stage, before anything is sent; the service refuses the same names (a stage created
 * meanwhile), and the parent hands its message back through `error`. The form changes nothing itself: `create`
 * asks the parent to call the service, `cancel` (also Escape) asks it to close the form.
 */
export default class AutoMapNewStageForm extends LightningElement {
    /** The value's API name. */
    @api value = '';
    /** How the admin knows the value, for the field's accessible name (its API name and label). */
    @api valueText = '';
    /** The family's stages as the parent last read them. */
    @api stages: StageInput[] = [];
    /** True while the parent's call runs. */
    @api busy = false;
    /** The service's refusal of the last name sent, shown as it is. */
    @api error = '';

    labels = { submitLabel, cancelLabel };
    maxLength = MAX_TEXT_LENGTH;
    name = '';
    localError = '';
    private initialName: string | undefined;

    /** The name to start with (what auto-map would name the stage); set once, the admin's edits win. */
    @api
    get suggestedName(): string {
        return this.initialName ?? '';
    }
    set suggestedName(name: string) {
        if (this.initialName === undefined) {
            this.initialName = name;
            this.name = name;
        }
    }

    get inputLabel(): string {
        return formatLabel(nameLabel, this.valueText || this.value);
    }

    /** The local refusal first: it is about the name on screen, the service's about the name sent. */
    get message(): string {
        return this.localError || this.error;
    }

    /** Moves the focus into the name field (the parent calls it when the form opens). */
    @api
    focus(): void {
        const input = this.refs?.name;
        if (input instanceof HTMLElement) {
            input.focus();
        }
    }

    handleNameChange(event: CustomEvent<{ value?: string }>): void {
        this.name = event.detail.value ?? '';
        this.localError = '';
    }

    handleKeydown(event: KeyboardEvent): void {
        if (event.key === 'Escape' || event.key === 'Esc') {
            // The modal closes on Escape from anywhere inside it; here Escape closes only this form.
            event.stopPropagation();
            event.preventDefault();
            this.handleCancel();
        } else if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.dataset.id === 'name') {
            event.preventDefault();
            this.handleSubmit();
        }
    }

    handleSubmit(): void {
        if (this.busy) {
            return;
        }
        const stageName = this.name.trim();
        const holder = stageName === '' ? undefined : this.stageWithKey(stageKey(stageName));
        if (stageName === '') {
            this.localError = nameMissing;
        } else if (holder) {
            this.localError = formatLabel(nameTaken, holder.name);
        } else {
            this.localError = '';
            this.dispatchEvent(
                new CustomEvent('create', { detail: { value: this.value, stageName } satisfies NewStageRequest })
            );
            return;
        }
        this.focus();
    }

    handleCancel(): void {
        this.dispatchEvent(new CustomEvent('cancel', { detail: { value: this.value } }));
    }

    private stageWithKey(key: string): StageInput | undefined {
        return this.stages.find((stage) => stageKey(stage.name) === key);
    }
}
