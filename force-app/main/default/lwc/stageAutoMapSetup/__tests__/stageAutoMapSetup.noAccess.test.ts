import { createElement } from 'lwc';
import StageAutoMapSetup from 'c/stageAutoMapSetup';

// A user without either Stage AutoMap custom permission.
jest.mock('@salesforce/customPermission/Stage_AutoMap_Edit_Integration_Settings', () => ({ default: undefined }), {
    virtual: true
});
jest.mock('@salesforce/customPermission/Stage_AutoMap_View', () => ({ default: undefined }), { virtual: true });

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('c-stage-auto-map-setup without permission', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('explains who can map stages and whom to ask, and offers nothing else, accessibly', async () => {
        const element = createElement('c-stage-auto-map-setup', { is: StageAutoMapSetup });
        document.body.appendChild(element);
        await flushPromises();

        const message = element.shadowRoot?.querySelector('[data-id="no-access"]');
        expect(message?.querySelector('h2')?.textContent).toBe('c.AutoMap_Access_NoAccessTitle');
        expect(Array.from(message?.querySelectorAll('p') ?? []).map((p) => p.textContent)).toEqual([
            'c.AutoMap_Access_NoAccessMessage',
            'c.AutoMap_Access_NoAccessWhom'
        ]);
        expect(element.shadowRoot?.querySelector('lightning-tabset')).toBeNull();
        expect(element.shadowRoot?.querySelector('c-stage-mapping-panel')).toBeNull();
        expect(element.shadowRoot?.querySelector('lightning-button')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
