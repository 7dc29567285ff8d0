import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/errorUtils';
import defaultTitle from '@salesforce/label/c.AutoMap_Error_Title';
import unknownError from '@salesforce/label/c.AutoMap_Error_Unknown';
import retryLabel from '@salesforce/label/c.AutoMap_Error_Retry';

/**
 * Shows what went wrong, in the words of the layer that knows (the Apex controller writes messages for admins).
 * Announced to screen readers as an alert so a failure is never silent.
 *
 * With `retryable`, the alert carries a Retry button that sends `retry`: the parent reloads what failed (a
 * service that was down may be back). It is opt-in because a button that reloads nothing would be a dead end.
 */
export default class ErrorPanel extends LightningElement {
    /** The error or errors to show: anything `reduceErrors` understands. */
    @api errors: unknown;
    /** A heading that says what was being attempted, for example "Couldn't load the stages". */
    @api friendlyMessage = '';
    /** Shows Retry; the parent listens for `retry` and reloads what failed. */
    @api retryable = false;

    labels = { retry: retryLabel };

    get heading(): string {
        return this.friendlyMessage || defaultTitle;
    }

    get messages(): string[] {
        const messages = reduceErrors(this.errors);
        return messages.length > 0 ? messages : [unknownError];
    }

    handleRetry(): void {
        this.dispatchEvent(new CustomEvent('retry'));
    }
}
