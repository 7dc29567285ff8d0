/**
 * `@salesforce/i18n/locale` in the preview: the locale that goes with the session's language (`?lang=de` writes
 * numbers as a German user's locale does, 1.000), as the platform hands the running user's locale to a component.
 *
 * Read when the page loads, as in an org (where the value is fixed for the page): after the preview's language
 * switch, which re-creates the component without a reload, it still names the language the page loaded with.
 */
import { currentLanguage } from '@preview/session';

const LOCALES = { en_US: 'en-US', de: 'de-DE' };

export default LOCALES[currentLanguage()] ?? 'en-US';
