/**
 * `lightning/toast` as this product uses it. `@salesforce/lightning-types` 0.8 declares the class without its static
 * `open()`/`show()`, which is how it is used; tsconfig `paths` points `lightning/toast` here, and a module file found
 * through `paths` takes precedence over the package's ambient declaration.
 */
import type { LightningElement } from 'lwc';

export interface ToastConfig {
    label: string;
    message?: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'sticky';
}

export default class Toast extends LightningElement {
    /** Shows a page-level toast; `source` is the component showing it (`this`). */
    static show(config: ToastConfig, source: HTMLElement | LightningElement): void;
}
