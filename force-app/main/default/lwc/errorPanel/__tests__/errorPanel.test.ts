import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

type ErrorPanelElement = HTMLElement & { errors: unknown; friendlyMessage: string; retryable: boolean };

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createPanel(
    props: Partial<Pick<ErrorPanelElement, 'errors' | 'friendlyMessage' | 'retryable'>>
): ErrorPanelElement {
    const element = createElement('c-error-panel', { is: ErrorPanel }) as ErrorPanelElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function retryButton(element: HTMLElement): HTMLButtonElement | null | undefined {
    return element.shadowRoot?.querySelector<HTMLButtonElement>('button[data-id="retry"]');
}

describe('c-error-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it("shows the heading and the controller's message as an alert, accessibly", async () => {
        // An AuraHandledException as Lightning Experience delivers it.
        const element = createPanel({
            errors: { status: 500, body: { message: "Salesforce couldn't reach the stage service." } },
            friendlyMessage: "Couldn't load the stages and mappings"
        });
        await flushPromises();

        const alert = element.shadowRoot?.querySelector('[role="alert"]');
        expect(alert?.querySelector('h2')?.textContent).toBe("Couldn't load the stages and mappings");
        expect(Array.from(alert?.querySelectorAll('p') ?? []).map((p) => p.textContent)).toEqual([
            "Salesforce couldn't reach the stage service."
        ]);
        await expect(element).toBeAccessible();
    });

    it('falls back to the generic heading and message when it knows nothing more', async () => {
        const element = createPanel({ errors: {} });
        await flushPromises();

        expect(element.shadowRoot?.querySelector('h2')?.textContent).toBe('c.AutoMap_Error_Title');
        expect(element.shadowRoot?.querySelector('p')?.textContent).toBe('c.AutoMap_Error_Unknown');
        await expect(element).toBeAccessible();
    });

    it('offers Retry when the parent can retry, and tells the parent when it is chosen', async () => {
        // Step 1: a panel whose parent reloads what failed.
        const element = createPanel({ errors: new Error('offline'), retryable: true });
        const handler = jest.fn();
        element.addEventListener('retry', handler);
        await flushPromises();

        // Step 2: the button is labelled, inside the alert, and a click sends one `retry` event.
        const button = retryButton(element);
        expect(button?.textContent.trim()).toBe('c.AutoMap_Error_Retry');
        expect(button?.closest('[role="alert"]')).not.toBeNull();
        button?.click();
        expect(handler).toHaveBeenCalledTimes(1);
        await expect(element).toBeAccessible();
    });

    it('offers no Retry when nothing would reload', async () => {
        const element = createPanel({ errors: new Error('offline') });
        await flushPromises();

        expect(retryButton(element)).toBeNull();
    });
});
