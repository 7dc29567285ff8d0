import { createElement } from 'lwc';
import StageAutoMapSetup from 'c/stageAutoMapSetup';

// A user without either Stage AutoMap custom permission.
jest.mock('@salesforce/customPermission/Stage_AutoMap_Edit_Integration_Settings', () => ({ default: undefined }), {
    virtual: true
});
jest.mock('@salesforce/customPermission/Stage_AutoMap_View', () => ({ default: undefined }), { virtual: true });
// The messages with their placeholders, and the permission sets' names, as an admin reads them.
jest.mock('@salesforce/label/c.AutoMap_Access_PermissionSetAdmin', () => ({ default: 'Stage AutoMap Admin' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Access_PermissionSetReadOnly', () => ({ default: 'Stage AutoMap Read Only' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_Access_PermissionSetServiceAccess',
    () => ({ default: 'Stage AutoMap Service Access' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_Access_NoAccessMessage',
    () => ({ default: 'Map stages with "{0}" (or view with "{1}"), each with "{2}".' }),
    { virtual: true }
);

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
        // Every permission set the user needs is named: Admin or Read Only, and Service Access.
        expect(Array.from(message?.querySelectorAll('p') ?? []).map((p) => p.textContent)).toEqual([
            'Map stages with "Stage AutoMap Admin" (or view with "Stage AutoMap Read Only"), each with "Stage AutoMap Service Access".',
            'c.AutoMap_Access_NoAccessWhom'
        ]);
        expect(element.shadowRoot?.querySelector('lightning-tabset')).toBeNull();
        expect(element.shadowRoot?.querySelector('c-stage-mapping-panel')).toBeNull();
        expect(element.shadowRoot?.querySelector('lightning-button')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
