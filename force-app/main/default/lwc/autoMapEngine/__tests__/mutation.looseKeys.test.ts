/**
 * The loose form suggestions compare (looseKeys.ts), at the edges the mutation run found untested: the Latin table
 * that reads accented names without normalizing them, the white space that decides whether a stage's key is just its
 * lower case, word and digit boundaries, the plural "s", and the hash that finds names equal apart from punctuation.
 * Each test names the behaviour it pins down; the mutants that cannot change behaviour are listed in
 * stryker.equivalent.md instead.
 */
import { looseKey, planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';

/** A Lead.Status plan of one value against one stage, with suggestions (the default). */
function planOne(value: string, stageName: string): Plan {
    return planAutoMap({
        object: 'Lead',
        field: 'Status',
        values: [{ value }],
        stages: [{ id: 'stg_1', name: stageName }],
        mappings: []
    });
}

/** "score why" of every suggestion of a plan, short enough to compare whole. */
function suggestionsOf(plan: Plan): string[] {
    return plan.suggestions.map(({ score, why }) => `${score} ${why}`);
}

describe('loose keys: Latin letters read through the table walk like their keys', () => {
    it('keeps "ß" as "ß" (it has no accent to drop), as the slow path does', () => {
        // The table is indexed from U+0080: an entry out of place would read "ß" as its neighbour "þ".
        expect(looseKey('Straße')).toBe('straße');
    });

    it('drops Latin-1 punctuation such as "×" and "¿" like ASCII punctuation', () => {
        // "×" and "¿" are in the table as separators, not letters: they end a word and leave nothing behind.
        expect(looseKey('Größe × Farbe')).toBe('großefarbe');
        expect(looseKey('¿Interesado?')).toBe('interesado');
    });

    it('drops accents but keeps every letter of a French or German name', () => {
        // A table that took every character for a separator would lose "ô" and "é" instead of unaccenting them.
        expect(looseKey('Clôturés')).toBe('cloture');
        expect(looseKey('Öffnen')).toBe('offnen');
    });

    it('treats a C1 control character (U+0080, left by a mis-decoded paste) as a separator, not a letter', () => {
        // U+0080 is the first character of the table, right after ASCII: it must be read there, not as ASCII.
        expect(looseKey('Open\u0080Now')).toBe('opennow');
    });
});

describe('loose keys: a stage name the table cannot stand for is keyed the slow way', () => {
    // The planner reads a clean Latin name's key as its lower case. A soft hyphen (folded away by the key) or a
    // no-break space (a space to the key) is not its own lower case: such a name must still get its real key,
    // or the stage would not match the value it equals.
    it.each([
        ['Kontaktaufnahme', 'Kontakt\u00adaufnahme'],
        ['Closed Won', 'Closed\u00a0Won']
    ])('maps the value "%s" to the existing stage %j', (value, stageName) => {
        expect(planOne(value, stageName).outcomes).toEqual([
            expect.objectContaining({ value, outcome: 'map-existing', stageId: 'stg_1', stageName })
        ]);
    });
});

describe('loose keys: a stage name whose white space the key cleans is keyed the slow way', () => {
    // Only a name without leading, trailing, doubled or non-space white space has its lower case as its key.
    // " Open" has no other space to give it away: its leading space alone must make the name unclean.
    it.each([
        ['Open', ' Open'],
        ['Open Now', 'Open Now '],
        ['Open Now', 'Open  Now'],
        ['Open Now', 'Open\tNow'],
        ['Open Now', 'Open\nNow'],
        ['Open Now', 'Open\rNow']
    ])('maps the value "%s" to the existing stage %j', (value, stageName) => {
        expect(planOne(value, stageName).outcomes).toEqual([
            expect.objectContaining({ value, outcome: 'map-existing', stageId: 'stg_1', stageName })
        ]);
    });
});

describe('loose keys: non-ASCII punctuation beside letters the table does not cover', () => {
    it('drops a dash or "×" between Greek or Cyrillic words like any punctuation', () => {
        expect(looseKey('Πελάτης – Άμεσος')).toBe('πελατηςαμεσος');
        expect(looseKey('Клиент—Партнёр')).toBe('клиентпартнер');
        expect(looseKey('α×β')).toBe('αβ');
    });

    it('counts the words on either side of an em dash, so a one-letter typo in Russian is still suggested', () => {
        // Typos are only suggested between names of as many words: the dash must separate two words, not glue
        // "Продажи" and "Москва" into one.
        expect(suggestionsOf(planOne('Продажи—Москва', 'Продажи Москвы'))).toEqual([
            '0.75 the value "Продажи—Москва" is 1 letter away from the stage name (a likely typo)'
        ]);
    });
});

describe('loose keys: words and digits', () => {
    it('drops ASCII punctuation after "z" ("{", "|", "}", "~") like any other', () => {
        expect(looseKey('Closed|Won')).toBe('closedwon');
        expect(looseKey('Closed~Won')).toBe('closedwon');
        expect(looseKey('Closed {Won}')).toBe('closedwon');
    });

    it('keeps the digits "0" and "9"', () => {
        expect(looseKey('Tier 10')).toBe('tier10');
        expect(looseKey('Tier 9')).toBe('tier9');
    });

    it('never suggests "Level 1" for "Level 19": an added "9" is another number, not a typo', () => {
        expect(suggestionsOf(planOne('Level 19', 'Level 1'))).toEqual([]);
    });
});

describe('loose keys: the plural "s"', () => {
    it('drops a final "s" from a word of four letters or more, not from a shorter one', () => {
        expect(looseKey('Lots')).toBe('lot');
        expect(looseKey('Bus')).toBe('bus');
        expect(looseKey('Gas')).toBe('gas');
    });

    it('suggests "Strase" for "Straße": an "s" inside a word counts in the length like any letter', () => {
        // "strase" holds an "s" that might have been a plural until the word went on; it still counts as a letter.
        expect(suggestionsOf(planOne('Straße', 'Strase'))).toEqual([
            '0.75 the value "Straße" is 1 letter away from the stage name (a likely typo)'
        ]);
    });
});

describe('loose keys: names equal apart from punctuation find each other', () => {
    it('suggests the stage "Pre-Sales" for the value "Presales"', () => {
        // "presale" is reached two ways: an "s" inside the word "presales", an "s" starting the word "sales".
        // Both must hash alike, and the stage's first character is that of its first word.
        expect(suggestionsOf(planOne('Presales', 'Pre-Sales'))).toEqual([
            '0.9 the value "Presales" and the stage name differ only in punctuation, spaces, "-" or "_"'
        ]);
    });
});
