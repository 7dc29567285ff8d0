/**
 * Replaces sfdx-lwc-jest's `lightning/toast` stub, whose static `show()` does nothing: here it is a jest.fn() so
 * tests assert which toast an admin would see (`expect(Toast.show).toHaveBeenCalledWith({ ... }, element)`).
 */
import { LightningElement, api } from 'lwc';

export default class Toast extends LightningElement {
    static show = jest.fn();

    @api label = '';
    @api message = '';
    @api variant = '';
    @api mode = '';
}
