import { LightningElement } from 'lwc';
import canEditIntegrationSettings from '@salesforce/customPermission/Stage_AutoMap_Edit_Integration_Settings';
import canViewStageAutoMap from '@salesforce/customPermission/Stage_AutoMap_View';
import title from '@salesforce/label/c.AutoMap_Page_Title';
import subtitle from '@salesforce/label/c.AutoMap_Page_Subtitle';
import tabContacts from '@salesforce/label/c.AutoMap_Page_TabContacts';
import tabLeads from '@salesforce/label/c.AutoMap_Page_TabLeads';
import tabAccounts from '@salesforce/label/c.AutoMap_Page_TabAccounts';
import noAccessTitle from '@salesforce/label/c.AutoMap_Access_NoAccessTitle';
import noAccessMessage from '@salesforce/label/c.AutoMap_Access_NoAccessMessage';
import noAccessWhom from '@salesforce/label/c.AutoMap_Access_NoAccessWhom';
import readOnlyTitle from '@salesforce/label/c.AutoMap_Access_ReadOnlyTitle';
import readOnlyMessage from '@salesforce/label/c.AutoMap_Access_ReadOnlyMessage';

/**
 * The Stage AutoMap setup page: a card with a tab per object (Contacts, Leads, Accounts), each an object panel.
 *
 * Access follows the custom permissions. "Edit Integration Settings" may change everything; "View" sees mappings
 * and history without any action; without either, the page says who can map stages and whom to ask, and shows
 * nothing else. These checks only shape the page: the Apex controller checks the same permissions on every call.
 */
export default class StageAutoMapSetup extends LightningElement {
    labels = {
        title,
        subtitle,
        tabContacts,
        tabLeads,
        tabAccounts,
        noAccessTitle,
        noAccessMessage,
        noAccessWhom,
        readOnlyTitle,
        readOnlyMessage
    };

    get canEdit(): boolean {
        return canEditIntegrationSettings === true;
    }

    /** Editing implies viewing. */
    get canView(): boolean {
        return this.canEdit || canViewStageAutoMap === true;
    }

    get isReadOnly(): boolean {
        return this.canView && !this.canEdit;
    }
}
