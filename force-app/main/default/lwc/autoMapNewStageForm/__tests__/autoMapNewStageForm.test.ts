import { createElement } from 'lwc';
import AutoMapNewStageForm from 'c/autoMapNewStageForm';

// The refusal is checked with its English template, to see which stage it names.
jest.mock(
    '@salesforce/label/c.AutoMap_NewStage_NameTaken',
    () => ({ default: 'The stage "{0}" already has this name. Choose another name.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_NewStage_NameLabel', () => ({ default: 'Name of the new stage for {0}' }), {
    virtual: true
});

// The family's stages as the wizard read them with the scope state.
const STAGES = [
    { id: 'stg-interested', name: 'Interested' },
    { id: 'stg-open', name: 'Open - Not Contacted' }
];

type FormElement = HTMLElement & { focus(): void };
type InputElement = HTMLElement & { label: string; value: string; maxLength: number; disabled: boolean };

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createForm(props: Record<string, unknown> = {}): FormElement {
    const element = createElement('c-auto-map-new-stage-form', { is: AutoMapNewStageForm }) as FormElement;
    Object.assign(element, {
        value: 'Interested',
        valueText: '"Interested"',
        suggestedName: 'Interested',
        stages: STAGES,
        ...props
    });
    document.body.appendChild(element);
    return element;
}

function input(element: HTMLElement): InputElement | null {
    return element.shadowRoot?.querySelector<InputElement>('lightning-input') ?? null;
}

function typeName(element: HTMLElement, value: string): void {
    input(element)?.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function click(element: HTMLElement, id: string): void {
    element.shadowRoot?.querySelector<HTMLElement>(`lightning-button[data-id="${id}"]`)?.click();
}

function errorText(element: HTMLElement): string | undefined {
    return element.shadowRoot?.querySelector('[data-id="name-error"]')?.textContent;
}

describe('c-auto-map-new-stage-form', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('starts with the name auto-map would give, labelled with the value it is for, accessibly', async () => {
        const element = createForm();
        await flushPromises();

        expect(input(element)?.value).toBe('Interested');
        expect(input(element)?.label).toBe('Name of the new stage for "Interested"');
        expect(input(element)?.maxLength).toBe(255);
        expect(errorText(element)).toBeUndefined();
        await expect(element).toBeAccessible();
    });

    it('refuses a name an existing stage has (ignoring case and spacing) before asking, naming that stage', async () => {
        // Step 1: the prefilled name is the stage that is taken.
        const element = createForm();
        const create = jest.fn();
        element.addEventListener('create', create);
        await flushPromises();
        click(element, 'submit');
        await flushPromises();

        // Step 2: nothing is asked of the service; the refusal names the stage, as an alert.
        expect(create).not.toHaveBeenCalled();
        expect(errorText(element)).toBe('The stage "Interested" already has this name. Choose another name.');
        expect(element.shadowRoot?.querySelector('[data-id="name-error"]')?.getAttribute('role')).toBe('alert');
        await expect(element).toBeAccessible();

        // Step 3: another spelling of the same key is refused the same way, naming the stage as it is written.
        typeName(element, '  open -  NOT contacted ');
        await flushPromises();
        expect(errorText(element)).toBeUndefined();
        click(element, 'submit');
        await flushPromises();
        expect(errorText(element)).toBe('The stage "Open - Not Contacted" already has this name. Choose another name.');
        expect(create).not.toHaveBeenCalled();
    });

    it('asks for a name when the field is empty', async () => {
        const element = createForm();
        const create = jest.fn();
        element.addEventListener('create', create);
        typeName(element, '   ');
        click(element, 'submit');
        await flushPromises();

        expect(create).not.toHaveBeenCalled();
        expect(errorText(element)).toBe('c.AutoMap_NewStage_NameMissing');
    });

    it('asks the parent to create and map a free name, trimmed', async () => {
        const element = createForm();
        const create = jest.fn();
        element.addEventListener('create', create);
        typeName(element, ' Interested (Contacts) ');
        click(element, 'submit');
        await flushPromises();

        expect((create.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({
            value: 'Interested',
            stageName: 'Interested (Contacts)'
        });
    });

    it("shows the service's refusal the parent hands back, and disables itself while the call runs", async () => {
        const element = createForm({ busy: true });
        await flushPromises();
        expect(input(element)?.disabled).toBe(true);

        Object.assign(element, {
            busy: false,
            error: 'A stage named "Interested (Contacts)" already exists in this family: choose another name.'
        });
        await flushPromises();

        expect(input(element)?.disabled).toBe(false);
        expect(errorText(element)).toBe(
            'A stage named "Interested (Contacts)" already exists in this family: choose another name.'
        );
        await expect(element).toBeAccessible();
    });

    it('submits on Enter in the name field, and Escape closes only the form', () => {
        // Step 1: Enter in the field submits.
        const element = createForm();
        const create = jest.fn();
        const cancel = jest.fn();
        const keysOutside: string[] = [];
        const outside = (event: KeyboardEvent): void => {
            keysOutside.push(event.key);
        };
        element.addEventListener('create', create);
        element.addEventListener('cancel', cancel);
        document.body.addEventListener('keydown', outside);
        typeName(element, 'Keen');
        input(element)?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        expect(create).toHaveBeenCalledTimes(1);

        // Step 2: Escape asks to close the form and does not reach the modal (which would close on it).
        input(element)?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
        expect((cancel.mock.calls[0] as [CustomEvent<unknown>])[0].detail).toEqual({ value: 'Interested' });
        expect(keysOutside).toEqual(['Enter']);
        document.body.removeEventListener('keydown', outside);
    });
});
