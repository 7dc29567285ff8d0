/**
 * Replaces sfdx-lwc-jest's `lightning/confirm` stub, whose `open()` throws: here it is a jest.fn() each test
 * programs with the admin's answer (`LightningConfirm.open.mockResolvedValue(true)`).
 */
import { LightningElement, api } from 'lwc';

export default class LightningConfirm extends LightningElement {
    static open = jest.fn();

    @api label = '';
    @api message = '';
    @api theme = '';
    @api variant = '';
}
