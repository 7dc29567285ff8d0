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
import permissionSetAdmin from '@salesforce/label/c.AutoMap_Access_PermissionSetAdmin';
import permissionSetReadOnly from '@salesforce/label/c.AutoMap_Access_PermissionSetReadOnly';
import permissionSetServiceAccess from '@salesforce/label/c.AutoMap_Access_PermissionSetServiceAccess';
import { formatLabel } from 'c/autoMapText';

/** The permission sets a message may name: {0} Admin, {1} Read Only, {2} Service Access (each user needs it too). */
const PERMISSION_SETS = [permissionSetAdmin, permissionSetReadOnly, permissionSetServiceAccess] as const;

/**
 * The Stage AutoMap setup page: a card with a tab per object (Contacts, Leads, Accounts), each an object panel.
 *
 * Access follows the custom permissions. "Edit Integration Settings" may change everything; "View" sees mappings
 * and history without any action; without either, the page says who can map stages and whom to ask, and shows
 * nothing else. These checks only shape the page: the Apex controller checks the same permissions on every call.
 *
 * The messages name every permission set the user needs: Admin (or Read Only) to use the page, and Service Access,
 * without which Salesforce may not call the stage service (docs/install-into-an-org.md).
 */
export default class StageAutoMapSetup extends LightningElement {
    labels = {
        title,
        subtitle,
        tabContacts,
        tabLeads,
        tabAccounts,
        noAccessTitle,
        noAccessMessage: formatLabel(noAccessMessage, ...PERMISSION_SETS),
        noAccessWhom,
        readOnlyTitle,
        readOnlyMessage: formatLabel(readOnlyMessage, ...PERMISSION_SETS)
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
