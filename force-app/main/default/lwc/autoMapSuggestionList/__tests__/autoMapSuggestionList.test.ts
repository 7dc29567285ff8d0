import { createElement } from 'lwc';
import AutoMapSuggestionList from 'c/autoMapSuggestionList';
import type { Suggestion } from 'c/autoMapEngine';

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

// The engine's suggestions for the Lead Status fixture: two stages share the name "Bad Data", and "Changed Jobs" is
// a plural of the stage "Changed Job".
const SUGGESTIONS: Suggestion[] = [
    { value: 'Bad Data', stageId: 'stg-bad-data', stageName: 'Bad Data', score: 1, why: 'same name, 2 stages' },
    { value: 'Bad Data', stageId: 'stg-bad-data-2', stageName: 'bad  data', score: 1, why: 'same name, 2 stages' },
    { value: 'Changed Jobs', stageId: 'stg-changed-job', stageName: 'Changed Job', score: 0.85, why: 'plural' }
];

function createList(props: Record<string, unknown>): HTMLElement {
    const element = createElement('c-auto-map-suggestion-list', { is: AutoMapSuggestionList });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function buttons(element: HTMLElement): HTMLButtonElement[] {
    return Array.from(element.shadowRoot?.querySelectorAll('button') ?? []);
}

describe('c-auto-map-suggestion-list', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('offers each suggestion with its own named Accept button, accessibly', async () => {
        const element = createList({ suggestions: SUGGESTIONS, valueLabels: { 'Changed Jobs': 'Stelle gewechselt' } });
        await flushPromises();

        expect(buttons(element)).toHaveLength(3);
        expect(buttons(element).map((button) => button.dataset.stageId)).toEqual([
            'stg-bad-data',
            'stg-bad-data-2',
            'stg-changed-job'
        ]);
        expect(buttons(element)[0]?.getAttribute('aria-label')).toBe('c.AutoMap_Suggestions_AcceptAssistive');
        expect(buttons(element)[0]?.textContent.trim()).toBe('c.AutoMap_Suggestions_Accept');
        await expect(element).toBeAccessible();
    });

    it('tells the wizard which value and stage the admin accepted', async () => {
        const element = createList({ suggestions: SUGGESTIONS });
        await flushPromises();
        const handler = jest.fn();
        element.addEventListener('accept', handler);

        buttons(element)[2]?.click();

        expect(handler).toHaveBeenCalledTimes(1);
        expect((handler.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({
            value: 'Changed Jobs',
            stageId: 'stg-changed-job'
        });
    });

    it('disables every Accept button while a mapping is saved', async () => {
        const element = createList({ suggestions: SUGGESTIONS, disabled: true });
        await flushPromises();

        expect(buttons(element).every((button) => button.disabled)).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('renders nothing without suggestions', async () => {
        const element = createList({ suggestions: [] });
        await flushPromises();

        expect(element.shadowRoot?.querySelector('ul')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
