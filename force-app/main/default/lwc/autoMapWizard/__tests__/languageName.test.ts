import { languageName } from '../languageName';

describe('languageName', () => {
    it('names the language of @salesforce/i18n/lang in that language, without the region', () => {
        expect(languageName('en-US')).toBe('English');
        expect(languageName('de')).toBe('Deutsch');
        // Salesforce writes some locales with an underscore.
        expect(languageName('fr_CA')).toBe('français');
    });

    it('shows a tag Intl does not know as it is', () => {
        expect(languageName('not a language')).toBe('not a language');
    });
});
