import { createElement } from 'lwc';
import StageAutoMapSetup from 'c/stageAutoMapSetup';

// A read-only user: "View" is granted, "Edit Integration Settings" is not.
jest.mock('@salesforce/customPermission/Stage_AutoMap_Edit_Integration_Settings', () => ({ default: undefined }), {
    virtual: true
});
jest.mock('@salesforce/customPermission/Stage_AutoMap_View', () => ({ default: true }), { virtual: true });
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
    '@salesforce/label/c.AutoMap_Access_ReadOnlyMessage',
    () => ({ default: 'To map stages, ask for "{0}", together with "{2}".' }),
    { virtual: true }
);
// Each tab's panel reads which fields of its object are mapped.
jest.mock(
    '@salesforce/apex/StageAutoMapController.getMappedFields',
    () => ({ default: jest.fn(() => Promise.resolve(JSON.stringify({ scopes: [] }))) }),
    { virtual: true }
);

type PanelElement = HTMLElement & { objectApiName: string; canEdit: boolean };

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('c-stage-auto-map-setup for a read-only user', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows every tab without editing and says whom to ask for more, accessibly', async () => {
        const element = createElement('c-stage-auto-map-setup', { is: StageAutoMapSetup });
        document.body.appendChild(element);
        await flushPromises();

        // Step 1: the notice says what the user can do and whom to ask.
        const notice = element.shadowRoot?.querySelector('[data-id="read-only"]');
        expect(notice?.querySelector('h2')?.textContent).toBe('c.AutoMap_Access_ReadOnlyTitle');
        // The permission sets to ask for, both of them.
        expect(notice?.querySelector('p')?.textContent).toBe(
            'To map stages, ask for "Stage AutoMap Admin", together with "Stage AutoMap Service Access".'
        );

        // Step 2: mappings and history stay visible (the panels), with no action.
        const panels = Array.from(element.shadowRoot?.querySelectorAll<PanelElement>('c-stage-mapping-panel') ?? []);
        expect(panels.map((panel) => [panel.objectApiName, panel.canEdit])).toEqual([
            ['Contact', false],
            ['Lead', false],
            ['Account', false]
        ]);
        await expect(element).toBeAccessible();
    });
});
