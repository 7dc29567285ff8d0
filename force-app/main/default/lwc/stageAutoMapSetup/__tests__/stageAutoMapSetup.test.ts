import { createElement } from 'lwc';
import StageAutoMapSetup from 'c/stageAutoMapSetup';
import getMappedFields from '@salesforce/apex/StageAutoMapController.getMappedFields';

// An admin: the "Edit Integration Settings" custom permission (which implies viewing) is granted.
// sfdx-lwc-jest turns a custom permission import into its name, a truthy string, unless it is mocked.
jest.mock('@salesforce/customPermission/Stage_AutoMap_Edit_Integration_Settings', () => ({ default: true }), {
    virtual: true
});
jest.mock('@salesforce/customPermission/Stage_AutoMap_View', () => ({ default: undefined }), { virtual: true });
// Each tab's panel reads which fields of its object are mapped.
jest.mock(
    '@salesforce/apex/StageAutoMapController.getMappedFields',
    () => ({ default: jest.fn(() => Promise.resolve(JSON.stringify({ scopes: [] }))) }),
    { virtual: true }
);

type PanelElement = HTMLElement & { objectApiName: string; canEdit: boolean };
type TabElement = HTMLElement & { label: string; value: string };

async function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function createPage(): HTMLElement {
    const element = createElement('c-stage-auto-map-setup', { is: StageAutoMapSetup });
    document.body.appendChild(element);
    return element;
}

describe('c-stage-auto-map-setup for an admin', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows a card with a tab per object, Contacts, Leads and Accounts, accessibly', async () => {
        const element = createPage();
        await flushPromises();

        // Step 1: the card title and the tabs, in the article's order.
        const card = element.shadowRoot?.querySelector<HTMLElement & { title: string }>('lightning-card');
        expect(card?.title).toBe('c.AutoMap_Page_Title');
        const tabs = Array.from(element.shadowRoot?.querySelectorAll<TabElement>('lightning-tab') ?? []);
        expect(tabs.map((tab) => [tab.label, tab.value])).toEqual([
            ['c.AutoMap_Page_TabContacts', 'Contact'],
            ['c.AutoMap_Page_TabLeads', 'Lead'],
            ['c.AutoMap_Page_TabAccounts', 'Account']
        ]);

        // Step 2: each tab holds the panel of its object, with editing allowed.
        const panels = Array.from(element.shadowRoot?.querySelectorAll<PanelElement>('c-stage-mapping-panel') ?? []);
        expect(panels.map((panel) => [panel.objectApiName, panel.canEdit])).toEqual([
            ['Contact', true],
            ['Lead', true],
            ['Account', true]
        ]);
        expect(jest.mocked(getMappedFields).mock.calls).toEqual([
            [{ objectApiName: 'Contact' }],
            [{ objectApiName: 'Lead' }],
            [{ objectApiName: 'Account' }]
        ]);
        expect(element.shadowRoot?.querySelector('[data-id="read-only"]')).toBeNull();
        expect(element.shadowRoot?.querySelector('[data-id="no-access"]')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
