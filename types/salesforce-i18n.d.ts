/**
 * Internationalization properties of the running user, injected by the platform
 * (https://developer.salesforce.com/docs/platform/lwc/guide/create-i18n). @salesforce/lightning-types 0.8 does not
 * declare them. In Jest, @lwc/jest-transformer answers `lang` with "en" and `locale` with "en-US" unless a test
 * mocks the module.
 */
declare module '@salesforce/i18n/lang' {
    /** The user's language, e.g. "en-US" or "de". */
    const lang: string;
    export default lang;
}

declare module '@salesforce/i18n/locale' {
    /** The user's locale, e.g. "en-US" or "de-DE": how numbers and dates are written. */
    const locale: string;
    export default locale;
}
