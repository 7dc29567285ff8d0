/**
 * `@salesforce/i18n/lang` in the preview: the language of the session (`?lang=de`), as the platform hands the running
 * user's language to a component ("en-US", "de").
 *
 * Read when the page loads, as in an org (where the value is fixed for the page): after the preview's language
 * switch, which re-creates the component without a reload, it still names the language the page loaded with.
 */
import { currentLanguage } from '@preview/session';

const TAGS = { en_US: 'en-US', de: 'de' };

export default TAGS[currentLanguage()] ?? 'en-US';
