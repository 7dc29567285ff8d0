/**
 * The checks a stage name passes on the page before the service is called: no stage of the family may share its
 * key (`stageKey`: case, width and spacing do not count), the rule the service enforces. Refusing here names the
 * stage that has the name, and for a new stage whether this field already maps it; the service's own refusal is
 * still shown when the page's state was out of date.
 */
import { stageKey } from 'c/autoMapEngine';
import { formatLabel } from 'c/autoMapText';
import type { ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import nameRequired from '@salesforce/label/c.AutoMap_Mappings_NameRequired';
import nameTaken from '@salesforce/label/c.AutoMap_Mappings_NameTaken';
import nameTakenHere from '@salesforce/label/c.AutoMap_Mappings_NameTakenHere';
import renameTaken from '@salesforce/label/c.AutoMap_Mappings_RenameTaken';

/** Why the name of a stage to create for a value is refused, or '' when it may be sent. */
export function newStageNameProblem(name: string, state: ScopeState, values: readonly ServiceValue[]): string {
    const key = stageKey(name);
    if (key === '') {
        return nameRequired;
    }
    const existing = state.stages.find((stage) => stageKey(stage.name) === key);
    if (!existing) {
        return '';
    }
    const holder = state.mappings.find((mapping) => mapping.stageId === existing.id);
    if (holder) {
        const label = values.find((entry) => entry.value === holder.value)?.label ?? holder.value;
        return formatLabel(nameTakenHere, existing.name, label);
    }
    return formatLabel(nameTaken, existing.name);
}

/** Why a stage's new name is refused, or '' when it may be sent (its own name in another case is fine). */
export function renameProblem(stageId: string, name: string, state: ScopeState): string {
    const key = stageKey(name);
    if (key === '') {
        return nameRequired;
    }
    const other = state.stages.find((stage) => stage.id !== stageId && stageKey(stage.name) === key);
    return other ? formatLabel(renameTaken, other.name) : '';
}
