/**
 * Replaces `lightning/modal`, for which sfdx-lwc-jest ships no stub. `open()` is a jest.fn() each test programs
 * (`LightningModal.open.mockResolvedValue(...)`); a modal component under test can still be created with
 * `createElement` and its `close()` observed through the `close` event this mock dispatches.
 */
import { LightningElement, api } from 'lwc';

export default class LightningModal extends LightningElement {
    static open = jest.fn();

    @api label = '';
    @api size = 'medium';
    @api description = '';
    @api disableClose = false;

    close(result?: unknown): void {
        this.dispatchEvent(new CustomEvent('close', { detail: result }));
    }
}
