/**
 * Keys and names: the normalized form of a name that matching compares (`stageKey`), the name a created stage gets
 * (`stageNameFromLabel`), the objects auto-map supports and their families, and the text limits.
 *
 * Nothing here reads the locale (`toLowerCase`, not `toLocaleLowerCase`), so a Turkish browser and a UTC server
 * compute the same keys.
 */
import type { Family, PicklistValueInput } from './types';

/** The longest value, label, stage name or id accepted, in characters (code points, as PostgreSQL counts them). */
export const MAX_TEXT_LENGTH = 255;

/** The objects an auto-map supports and the family of stages each maps to. */
export const FAMILY_BY_OBJECT: Readonly<Record<string, Family>> = Object.freeze({
    Contact: 'contact',
    Lead: 'contact',
    Account: 'account'
});

const WHITE_SPACE_RUN = /\s+/g;

/**
 * Printable ASCII words separated by single spaces: NFKC never changes ASCII and trimming would change nothing, so
 * the key is just the lower case. A regular expression is the fastest test V8 offers for this.
 */
export const CLEAN_ASCII = /^[!-~]+(?: [!-~]+)*$/;
/** Anything outside printable ASCII and ASCII white space: only such text can change under NFKC. */
export const NEEDS_NFKC = /[^\t-\r -~]/;

/**
 * The normalized form of a name used for matching: invisible characters removed (see {@link INVISIBLE}) and the
 * Braille blank read as a space, then Unicode NFKC, then `toLowerCase()`, then trimmed, with every run of white space
 * collapsed to one space.
 *
 * Why NFKC: full-width "Ｏｐｅｎ" and half-width "ｵｰﾌﾟﾝ" typed by Japanese users are the same words as "Open" and
 * "オープン". Why not accents or punctuation: "Résilié" and "Resilie" may be different stages on purpose; those near
 * matches become suggestions for the admin, never automatic mappings.
 *
 * Why invisible characters fold rather than refuse: they arrive by copy and paste in real picklists (a zero-width
 * space after "Cold", a soft hyphen in a long German word, a joiner in Persian or Indic text, a variation selector
 * after an emoji) and refusing one would refuse the whole scope. Folding makes "Cold\u200b" the same stage as "Cold",
 * and a name of nothing but invisible characters blank (refused). They go first, so NFKC sees the text as shown
 * (NFKC never makes new ones). Only the bidi embeddings, overrides and isolates, which reorder what is shown around
 * them, are refused outright by the validation (`validateText`).
 *
 * This runs once per stage (ten thousand times in the bench), so it takes shortcuts that give the same result:
 * no `normalize` for ASCII, and no trim or replace unless the white space needs it. Measured on the engine bench
 * (1,000 values against 10,000 stages, ratio to JSON.parse of the input): 1.48× with the clean-ASCII shortcut,
 * 1.88× without it; 1.42× with the white-space check, 1.76× when every key is trimmed and collapsed.
 */
export function stageKey(name: string): string {
    if (CLEAN_ASCII.test(name)) {
        return name.toLowerCase();
    }
    const lower = (NEEDS_NFKC.test(name) ? visibleText(name).normalize('NFKC') : name).toLowerCase();
    return hasIrregularWhiteSpace(lower) ? lower.trim().replace(WHITE_SPACE_RUN, ' ') : lower;
}

/**
 * Characters that show nothing: Unicode's default-ignorable code points. Among them the zero-width space, joiners
 * and non-joiner, the word joiner, the byte order mark, the soft hyphen, the combining grapheme joiner, the bidi marks
 * (LRM, RLM, ALM) and controls, the Hangul fillers, the Mongolian vowel separator, variation selectors and tags.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** The Braille pattern blank shows as a space and is no letter: it counts as white space. */
const BRAILLE_BLANK = /\u2800/g;
const INVISIBLE_OR_BLANK = /[\p{Default_Ignorable_Code_Point}\u2800]/u;

/** The text without its invisible characters, the Braille blank as a space. */
function visibleText(text: string): string {
    return INVISIBLE_OR_BLANK.test(text) ? text.replace(INVISIBLE, '').replace(BRAILLE_BLANK, ' ') : text;
}

/**
 * The name of a stage created for a label: trimmed, white space collapsed, otherwise exactly as the admin wrote it
 * (case, accents and width are kept: the stage should read like the Salesforce label).
 */
export function stageNameFromLabel(label: string): string {
    return hasIrregularWhiteSpace(label) ? label.trim().replace(WHITE_SPACE_RUN, ' ') : label;
}

/**
 * True when trimming and collapsing white space would change the text: white space at either end, two in a row, or
 * any white space other than a plain space. Skipping the regex when it would change nothing is what keeps keys cheap.
 */
function hasIrregularWhiteSpace(text: string): boolean {
    const last = text.length - 1;
    for (let i = 0; i <= last; i += 1) {
        const code = text.charCodeAt(i);
        if (code === 32) {
            if (i === 0 || i === last || text.charCodeAt(i - 1) === 32) {
                return true;
            }
        } else if ((code >= 9 && code <= 13) || (code >= 128 && isOtherWhiteSpace(code))) {
            return true;
        }
    }
    return false;
}

/**
 * The white space of JavaScript's `\s` and `trim()` beyond ASCII: no-break space, the Unicode space separators
 * (category Zs), the line and paragraph separators, and the zero-width no-break space (byte order mark).
 */
function isOtherWhiteSpace(code: number): boolean {
    return (
        code === 0xa0 ||
        code === 0x1680 ||
        (code >= 0x2000 && code <= 0x200a) ||
        code === 0x2028 ||
        code === 0x2029 ||
        code === 0x202f ||
        code === 0x205f ||
        code === 0x3000 ||
        code === 0xfeff
    );
}

/** The family of stages an object's values map to, or undefined when auto-map does not support the object. */
export function familyOf(objectApiName: string): Family | undefined {
    return Object.prototype.hasOwnProperty.call(FAMILY_BY_OBJECT, objectApiName)
        ? FAMILY_BY_OBJECT[objectApiName]
        : undefined;
}

/** The label a value is shown and created with: its label, or its API name when the label is missing or blank. */
export function labelOf(value: PicklistValueInput): string {
    return typeof value.label === 'string' && value.label.trim() !== '' ? value.label : value.value;
}

/**
 * Whether a label recorded in language `recorded` can be compared with labels read in `reader`: true when either is
 * unknown, or both name the same language (Apex's `en_US` and the LWC's `en-US` are one language, case aside).
 */
export function sameLanguage(recorded: string | undefined, reader: string | undefined): boolean {
    if (recorded === undefined || reader === undefined) {
        return true;
    }
    const normal = (language: string): string => language.trim().replace(/-/g, '_').toLowerCase();
    return normal(recorded) === normal(reader);
}

/** Ordinal comparison: locale-independent, so every runtime sorts the same way. */
export function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds an item to the list kept under its key (every index of the engine groups things by a key). */
export function addToIndex<K, T>(index: Map<K, T[]>, key: K, item: T): void {
    const bucket = index.get(key);
    if (bucket) {
        bucket.push(item);
    } else {
        index.set(key, [item]);
    }
}
