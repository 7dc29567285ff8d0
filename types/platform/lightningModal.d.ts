/**
 * `lightning/modal` as this product uses it. `@salesforce/lightning-types` 0.8 declares the class without its static
 * `open()`/`show()`, which is how it is used; tsconfig `paths` points `lightning/modal` here, and a module file found
 * through `paths` takes precedence over the package's ambient declaration.
 */
import type { LightningElement } from 'lwc';

export type ModalSize = 'small' | 'medium' | 'large' | 'full';

/** What `open()` accepts: the modal's own settings plus any public property of the subclass. */
export interface ModalOpenConfig {
    /** Required: the dialog's accessible name. */
    label: string;
    size?: ModalSize;
    description?: string;
    disableClose?: boolean;
    [publicProperty: string]: unknown;
}

export default class LightningModal extends LightningElement {
    /** Resolves with the value passed to `close()`, or `undefined` when closed with Esc or the X button. */
    static open(config: ModalOpenConfig): Promise<unknown>;
    label: string;
    size: ModalSize;
    description: string;
    /** True blocks Esc, the X button and `close()` (use while a save is running). */
    disableClose: boolean;
    close(result?: unknown): void;
}
