import { LightningElement, api } from 'lwc';
import type { Suggestion } from 'c/autoMapEngine';
import { formatLabel } from 'c/autoMapText';
import pairText from '@salesforce/label/c.AutoMap_Suggestions_Pair';
import similarity from '@salesforce/label/c.AutoMap_Suggestions_Similarity';
import acceptLabel from '@salesforce/label/c.AutoMap_Suggestions_Accept';
import acceptAssistive from '@salesforce/label/c.AutoMap_Suggestions_AcceptAssistive';

interface SuggestionItem {
    key: string;
    value: string;
    stageId: string;
    text: string;
    similarity: string;
    assistiveText: string;
}

/**
 * The engine's near matches ("Changed Jobs" and the stage "Changed Job"), offered one by one. Nothing is mapped
 * until the admin accepts one: the `accept` event carries the value and the stage, and the wizard turns it into a
 * manual mapping and plans again.
 */
export default class AutoMapSuggestionList extends LightningElement {
    /** The plan's suggestions. */
    @api suggestions: Suggestion[] = [];
    /** Value API name to the label the admin knows. */
    @api valueLabels: Record<string, string> = {};
    /** Disables every accept button while a mapping is saved. */
    @api disabled = false;

    labels = { acceptLabel };

    get items(): SuggestionItem[] {
        return this.suggestions.map((suggestion) => {
            const valueLabel = this.valueLabels[suggestion.value] ?? suggestion.value;
            return {
                key: `${suggestion.value}\u0000${suggestion.stageId}`,
                value: suggestion.value,
                stageId: suggestion.stageId,
                text: formatLabel(pairText, valueLabel, suggestion.stageName),
                similarity: formatLabel(similarity, Math.round(suggestion.score * 100)),
                assistiveText: formatLabel(acceptAssistive, valueLabel, suggestion.stageName)
            };
        });
    }

    get hasItems(): boolean {
        return this.suggestions.length > 0;
    }

    handleAccept(event: Event): void {
        const button = event.currentTarget;
        if (!(button instanceof HTMLElement)) {
            return;
        }
        const { value, stageId } = button.dataset;
        if (value !== undefined && stageId !== undefined) {
            this.dispatchEvent(new CustomEvent('accept', { detail: { value, stageId } }));
        }
    }
}
