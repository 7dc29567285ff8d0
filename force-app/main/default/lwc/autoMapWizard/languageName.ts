/**
 * The name of the user's language in that language ("English", "Deutsch"), from `@salesforce/i18n/lang` ("en-US",
 * "de"): the preview says which language the names of new stages come from. The region is left out: labels are
 * translated per language, and "American English" would suggest a difference that is not there.
 */
export function languageName(lang: string): string {
    const tag = lang.replace(/_/g, '-');
    try {
        const language = new Intl.Locale(tag).language;
        return new Intl.DisplayNames([tag], { type: 'language' }).of(language) ?? tag;
    } catch {
        // A tag Intl does not know: the tag itself still tells the admin which language it is.
        return tag;
    }
}
