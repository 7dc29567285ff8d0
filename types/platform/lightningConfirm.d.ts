/**
 * `lightning/confirm` as this product uses it. `@salesforce/lightning-types` 0.8 declares the class without its static
 * `open()`/`show()`, which is how it is used; tsconfig `paths` points `lightning/confirm` here, and a module file found
 * through `paths` takes precedence over the package's ambient declaration.
 */
import type { LightningElement } from 'lwc';

export interface ConfirmConfig {
    message: string;
    label: string;
    variant?: 'header' | 'headerless';
    theme?: 'default' | 'shade' | 'inverse' | 'alt-inverse' | 'success' | 'info' | 'warning' | 'error' | 'offline';
}

export default class LightningConfirm extends LightningElement {
    /** Resolves true when the user confirms, false when they cancel or press Esc. */
    static open(config: ConfirmConfig): Promise<boolean>;
}
