/**
 * `lightning/platformShowToastEvent` as Lightning Experience defines it: a composed, bubbling
 * `lightning__showtoast` event whose detail is `{ title, message, messageData, variant, mode }`. Inside an org the
 * page shell shows the toast; in the preview, main.js does (without the `toast` member that `lightning/toast`
 * events carry, which is how the two are told apart).
 */
export class ShowToastEvent extends CustomEvent {
    constructor(toast) {
        super('lightning__showtoast', {
            composed: true,
            cancelable: true,
            bubbles: true,
            detail: {
                title: toast?.title ?? '',
                message: toast?.message ?? '',
                messageData: toast?.messageData ?? [],
                variant: toast?.variant ?? 'info',
                mode: toast?.mode ?? 'dismissible'
            }
        });
    }
}
