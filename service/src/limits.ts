/**
 * The stage service's limits, in one place: what one request may carry and how much a team's data may hold.
 *
 * Why these figures: the Salesforce package reads the service's answers in synchronous Apex, where a callout answer
 * and the heap are each bounded at 6 MB (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_gov_limits.htm).
 * A scope state holds the family's stages, the scope's mappings (with their labels and the labels' languages) and the
 * family's mappings in other scopes, and the scope list with `include=mappings` every mapping of an object with its
 * label and language, so their sizes follow from these caps: at the caps, with every name, value and label at 255
 * characters of four UTF-8 bytes and every language at its longest (21 characters), each stays under 5,000,000 bytes
 * (service/test/governor-caps.test.ts builds both through the service and checks; scripts/bench/governor-bench.ts
 * prints every figure). A custom picklist field holds at most 1,000 active values (restricted: 1,000 active and
 * inactive together; Salesforce Help, "Picklist Limitations",
 * https://help.salesforce.com/HTViewHelpDoc?id=picklist_limitations.htm), hence 1,000 values per auto-map and 1,000
 * mappings per scope.
 *
 * The store refuses a change that would pass a cap with `409` `code: limit-reached` (see {@link LIMIT_NAMES}); the
 * request schema refuses more values per request with `422`.
 */

/** Names, values, labels and stage names: at most this many characters (code points). */
export const MAX_TEXT_LENGTH = 255;

/** Stages per team and family (`contact`, `account`). */
export const MAX_STAGES_PER_FAMILY = 1000;

/** Picklist values per auto-map request: the most active values a Salesforce custom picklist field holds. */
export const MAX_VALUES = 1000;

/** Mappings per scope (one object's picklist field): one per value of the field. */
export const MAX_MAPPINGS_PER_SCOPE = 1000;

/**
 * Mappings per team and family over all its scopes: what a scope state lists as the family's mappings, and what the
 * scope list with `include=mappings` lists with their labels. Lowered from 3,000 when mappings gained their recorded
 * labels (issue 12): at 3,000 the worst scope state was 5.7 MB and the worst scope list (one mapping per field, value
 * and label of 255 four-byte characters) 6.8 MB. With each label's language (21 characters at most), 2,000 gives
 * 4.59 MB and 4.61 MB; about 2,160 is the most that keeps that list under 5,000,000 bytes, so 2,000 leaves room for
 * the list's members to grow (service/test/governor-caps.test.ts prints both figures).
 */
export const MAX_MAPPINGS_PER_FAMILY = 2000;

/** Records per records request (`PUT /v1/records`, `POST /v1/records/move`). */
export const MAX_RECORDS_PER_REQUEST = 5000;

/**
 * How many undo blockers a run summary and an undo refusal list (the first ones; the count says how many there
 * are). A run of 1,000 values can have 1,000 reasons, each naming values and stages of 255 characters: listing them
 * all would make the scope state and the run history too large for Apex, and three are enough to tell an admin why.
 */
export const MAX_UNDO_BLOCKERS_LISTED = 3;

/** How many other fields' mappings an undo blocker's detail names before "and N more". */
export const MAX_NAMES_IN_DETAIL = 3;

/**
 * A `labelLanguage` at its longest: the language code pattern (service/openapi.yaml `LanguageCode`, the engine's
 * `LANGUAGE_CODE`) allows 3 letters and two parts of 8 after `_` or `-`, e.g. `zho_Hant1234_abcdefgh`; ASCII.
 */
export const MAX_LANGUAGE_LENGTH = 21;

/** `,"labelLanguage":"<21 bytes>"`: what a request's (or a listed mapping's) label language adds at its longest. */
export const LONGEST_LABEL_LANGUAGE_MEMBER_BYTES = 19 + MAX_LANGUAGE_LENGTH;

/** One picklist value at its longest, as JSON: `{"value":"<1,020 bytes>","label":"<1,020 bytes>","active":false}`. */
const LONGEST_VALUE_BYTES = 10 + 4 * MAX_TEXT_LENGTH + 11 + 4 * MAX_TEXT_LENGTH + 17;

/**
 * The largest legal auto-map request in UTF-8 bytes: {@link MAX_VALUES} values whose value and label are each
 * {@link MAX_TEXT_LENGTH} characters of four bytes (a character outside the Basic Multilingual Plane, sent as
 * UTF-8, not as `\u` escapes), `"active":false`, a category for each (the longest, `in_progress`), and every other
 * member at its longest:
 *
 *     {"values":[{"value":"<1,020 bytes>","label":"<1,020 bytes>","active":false}, ... 1,000 times],
 *      "expectedVersion":<16 digits>,"dryRun":false,"newStageNames":"apiName","answer":"summary",
 *      "categories":{"<1,020 bytes>":"in_progress", ... 1,000 times},"labelLanguage":"<21 bytes>"}
 *
 * = 1,000 × 2,078 + 999 commas + 108, + 16 + 1,000 × 1,036 + 999 commas + 40 = 3,116,162 bytes.
 * service/test/limits.test.ts builds this request and sends it.
 */
export const LARGEST_AUTO_MAP_REQUEST_BYTES =
    MAX_VALUES * LONGEST_VALUE_BYTES +
    (MAX_VALUES - 1) +
    108 +
    16 +
    MAX_VALUES * (1 + 4 * MAX_TEXT_LENGTH + 15) +
    (MAX_VALUES - 1) +
    LONGEST_LABEL_LANGUAGE_MEMBER_BYTES;

/**
 * The largest legal drift-fix request (`POST .../drift-fixes`) in UTF-8 bytes: the values as above, a fix for
 * {@link MAX_VALUES} values of four-byte characters with the longest kind (`probable-rename`), and every other
 * member at its longest:
 *
 *     {"values":[... 1,000 times],"fixes":[{"value":"<1,020 bytes>","kind":"probable-rename"}, ... 1,000 times],
 *      "expectedVersion":<16 digits>,"newStageNames":"apiName","answer":"summary","labelLanguage":"<21 bytes>"}
 *
 * = 1,000 × 2,078 + 999 + 1,000 × 1,057 + 999 + 104 + 40 = 3,137,142 bytes (service/test/limits.test.ts sends it).
 */
export const LARGEST_DRIFT_FIX_REQUEST_BYTES =
    MAX_VALUES * LONGEST_VALUE_BYTES +
    (MAX_VALUES - 1) +
    MAX_VALUES * (10 + 4 * MAX_TEXT_LENGTH + 27) +
    (MAX_VALUES - 1) +
    104 +
    LONGEST_LABEL_LANGUAGE_MEMBER_BYTES;

/**
 * Request bodies are refused above this many bytes (`413`): the largest legal request (a drift fix's), with room
 * to spare. It was 2,200,000 until auto-map took `categories` and drift fixes came (issue 12).
 */
export const MAX_BODY_BYTES = 3_300_000;

/** {@link MAX_BODY_BYTES} as people read it, for messages. */
export const MAX_BODY_TEXT = `${MAX_BODY_BYTES.toLocaleString('en-US')} bytes (3.3 MB)`;

/** The caps the store enforces, as the `limit` member of a `limit-reached` problem names them. */
export const LIMIT_NAMES = ['stages-per-family', 'mappings-per-scope', 'mappings-per-family'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Each cap's maximum, by name. */
export const LIMITS: Readonly<Record<LimitName, number>> = Object.freeze({
    'stages-per-family': MAX_STAGES_PER_FAMILY,
    'mappings-per-scope': MAX_MAPPINGS_PER_SCOPE,
    'mappings-per-family': MAX_MAPPINGS_PER_FAMILY
});
