/**
 * Loose keys: the looser form of a key that suggestions compare (accents, punctuation, spaces, "-", "_" and plural
 * "s" ignored), read in one pass over the characters. Two parts walk it: the planner's stage pass reads each free
 * stage's loose signature while it computes the stage's key (planIndex.ts), and the suggestion index reads the value
 * sides and the few stages that may match (suggestions.ts). Never used by the rules, only to suggest.
 */
import { NEEDS_NFKC, stageKey } from './keys';

/** Numbers used as hash-map keys are kept to 30 bits so V8 stores them as small integers. */
export const SMALL_INTEGER = 0x3fffffff;

const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;
const NON_ASCII_NOT_WORD = /[^\p{L}\p{N}\p{M}\p{ASCII}]/gu;

/** The key without accents: combining diacritics U+0300–U+036F; other marks (Japanese sound marks) stay. */
export function unaccent(key: string): string {
    return NEEDS_NFKC.test(key) ? key.normalize('NFD').replace(COMBINING_DIACRITICS, '').normalize('NFC') : key;
}

/** The end (exclusive) of the Latin range the walk reads through {@link latinTable}: Latin-1 to Latin Extended-B. */
const LATIN_END = 0x250;
/** In {@link latinTable}: not part of a word (a separator such as "×" or "¿"). */
const LATIN_SEPARATOR = 0;
/** In {@link latinTable}: a character the table cannot stand for; the text is read the slow way. */
const LATIN_SLOW = -1;

let latinTableMemo: number[] | undefined;

/**
 * For U+0080 to U+024F: the code of the character lower-cased and without its accents ("É" and "é" → "e", "ß"
 * stays), {@link LATIN_SEPARATOR} for a character that is not part of a word, or {@link LATIN_SLOW} for one NFKC
 * changes (such as "ª", "½" or the no-break space) or whose lower case is not one such character ("İ").
 * Built once, on the first plan with suggestions, from the same rules as {@link stageKey} and {@link unaccent}: a memo
 * of a pure function.
 *
 * Why: NFKC, NFD and NFC cost about a microsecond per name, and the names of German, French or Spanish orgs use these
 * characters only. With the table such a name is read directly, and walks exactly like its key: NFKC leaves it
 * unchanged and its lower case is one character per character. Measured on the engine bench (its names include
 * "Intéressé" and "Réunion"): 1.66× JSON.parse with the table, 2.97× without.
 */
export function latinTable(): number[] {
    if (!latinTableMemo) {
        latinTableMemo = [];
        for (let code = 0x80; code < LATIN_END; code += 1) {
            latinTableMemo.push(latinEntry(String.fromCharCode(code)));
        }
    }
    return latinTableMemo;
}

function latinEntry(character: string): number {
    const lower = character.toLowerCase();
    // The key of a character the table stands for is its lower case (not so for the soft hyphen, which folds away).
    const stable =
        stageKey(character) === lower &&
        character.normalize('NFKC') === character &&
        lower.length === 1 &&
        lower.charCodeAt(0) < LATIN_END &&
        lower.normalize('NFKC') === lower;
    if (!stable) {
        return LATIN_SLOW;
    }
    if (!WORD_CHARACTER.test(character)) {
        return LATIN_SEPARATOR;
    }
    const base = unaccent(lower);
    return base.length === 1 ? base.charCodeAt(0) : LATIN_SLOW;
}

/**
 * The loose form of a key, read in one pass over its characters: accents removed, only runs of letters, digits and
 * marks kept (the words), and a plural "s" dropped from every word longer than three characters that does not end in
 * "ss" (English, French, Spanish and German "-s" plurals; "Address" keeps its "ss", "Status" becomes "statu" on both
 * sides, which is harmless).
 *
 * Why a hash and counters rather than a string: every free stage is read, and for almost all of them the hash and
 * the counters are enough to know that nothing matches. The string is only built (`build`) for value sides and for
 * the few stages whose hash or shape matched. The loop keeps its state in local variables: it is the hottest code of
 * a plan with suggestions.
 *
 * `hash` is the loose string's hash, kept to 30 bits so that V8 keeps it a small integer; `digits` hashes the ASCII
 * digits in order ("Tier 1" and "Tier 2" differ there, so they are never taken for a typo).
 */
export interface LooseWalk {
    /** Whether trimming and collapsing white space would leave the text walked unchanged. */
    clean: boolean;
    /** Whether the text walked is all ASCII. */
    ascii: boolean;
    loose: string;
    hash: number;
    length: number;
    first: number;
    words: number;
    digits: number;
}

export function newWalk(): LooseWalk {
    return { clean: false, ascii: false, loose: '', hash: 0, length: 0, first: -1, words: 0, digits: 0 };
}

/**
 * Reads a key's loose form into `walk`. ASCII and Latin keys are read directly (fast path); a key with any other
 * character (Greek, Cyrillic, Japanese...) is first turned into {@link wordText} by native string functions. Both
 * modes (`build` or not) take the same path for the same text, so their hashes always agree.
 */
export function walkLoose(key: string, walk: LooseWalk, build: boolean): LooseWalk {
    if (!walkText(key, walk, build, latinTable())) {
        walkText(wordText(key), walk, build, undefined);
    }
    return walk;
}

/**
 * The key with accents removed and every non-ASCII character that is not part of a word (letter, digit, mark)
 * replaced by a space, so the walk can count any remaining non-ASCII character as part of a word.
 */
function wordText(key: string): string {
    return unaccent(key).replace(NON_ASCII_NOT_WORD, ' ');
}

/**
 * The walk itself. ASCII capitals are folded, and with a `table` the characters U+0080–U+024F are read through it
 * (lower-cased, accents removed), so a stage name walks exactly like its key; any other character gives up (returns
 * false). Without a table every non-ASCII character is part of a word (see {@link wordText}). On the way it notes
 * whether the text is ASCII and has clean white space, which tells whether the key is just the lower case.
 */
export function walkText(text: string, walk: LooseWalk, build: boolean, table: number[] | undefined): boolean {
    let loose = '';
    let hash = 0;
    let length = 0;
    let first = -1;
    let words = 0;
    let digits = 0;
    let wordLength = 0;
    let last = -1;
    // An "s" after three or more letters (not "ss") may be a plural: it counts only once the word goes on.
    let pendingS = false;
    let clean = text.length > 0;
    let ascii = true;
    let previous = 32;
    for (let i = 0; i < text.length; i += 1) {
        const raw = text.charCodeAt(i);
        let code = raw;
        if (raw < 128) {
            if (raw === 32 ? previous === 32 : raw >= 9 && raw <= 13) {
                clean = false;
            } else if (raw >= 65 && raw <= 90) {
                code = raw + 32;
            }
        } else {
            ascii = false;
            if (table) {
                code = raw < LATIN_END ? (table[raw - 128] ?? LATIN_SLOW) : LATIN_SLOW;
                if (code === LATIN_SLOW) {
                    return false;
                }
            }
        }
        previous = raw;
        if (code >= 128 || (code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
            if (wordLength === 0) {
                words += 1;
                if (first < 0) {
                    first = code;
                }
            }
            if (pendingS) {
                hash = (Math.imul(hash, 31) + 115) | 0;
                length += 1;
                if (build) {
                    loose += 's';
                }
                pendingS = false;
            }
            if (code === 115 && wordLength >= 3 && last !== 115) {
                pendingS = true;
            } else {
                hash = (Math.imul(hash, 31) + code) | 0;
                length += 1;
                if (code <= 57) {
                    digits = (Math.imul(digits, 31) + code) | 0;
                }
                if (build) {
                    loose += String.fromCharCode(code);
                }
            }
            wordLength += 1;
            last = code;
        } else if (wordLength > 0) {
            wordLength = 0;
            last = -1;
            pendingS = false;
        }
    }
    walk.clean = clean && previous !== 32;
    walk.ascii = ascii;
    walk.loose = loose;
    walk.hash = hash & SMALL_INTEGER;
    walk.length = length;
    walk.first = first;
    walk.words = words;
    walk.digits = digits;
    return true;
}

/**
 * The loosest form used for suggestions: the key without accents, punctuation, spaces, `-` and `_`, with a simple
 * plural "s" removed from each word ("Customers - Direct" and "customer_direct" both give "customerdirect").
 * Never used by the rules, only to suggest.
 */
export function looseKey(name: string): string {
    return walkLoose(stageKey(name), newWalk(), true).loose;
}
