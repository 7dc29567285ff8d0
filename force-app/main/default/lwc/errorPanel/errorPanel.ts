import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/errorUtils';
import defaultTitle from '@salesforce/label/c.AutoMap_Error_Title';
import unknownError from '@salesforce/label/c.AutoMap_Error_Unknown';

/**
 * Shows what went wrong, in the words of the layer that knows (the Apex controller writes messages for admins).
 * Announced to screen readers as an alert so a failure is never silent.
 */
export default class ErrorPanel extends LightningElement {
    /** The error or errors to show: anything `reduceErrors` understands. */
    @api errors: unknown;
    /** A heading that says what was being attempted, for example "Couldn't load the stages". */
    @api friendlyMessage = '';

    get heading(): string {
        return this.friendlyMessage || defaultTitle;
    }

    get messages(): string[] {
        const messages = reduceErrors(this.errors);
        return messages.length > 0 ? messages : [unknownError];
    }
}
