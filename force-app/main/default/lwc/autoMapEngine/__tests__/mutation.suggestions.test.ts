/**
 * Suggestions (suggestions.ts): behaviours the mutation run left untested. Each test names the rule it pins down;
 * the survivors that cannot change what the engine returns are listed, with their reasons, in stryker.equivalent.md.
 * Several names below are odd on purpose: they are the inputs on which a speed shortcut (a hash, a packed "shape")
 * and the exact rule could part, and the exact rule must win.
 */
import { boundedEditDistance, planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';

/** Plans Lead.Status with these API names (no labels) against stages stg_0, stg_1... named in this order. */
function plan(values: string[], stageNames: string[]): Plan {
    return planAutoMap({
        object: 'Lead',
        field: 'Status',
        values: values.map((value) => ({ value })),
        stages: stageNames.map((name, i) => ({ id: `stg_${i}`, name })),
        mappings: []
    });
}

/** The suggestions as "value -> stage name score", the parts a reader checks. */
function suggested(result: Plan): string[] {
    return result.suggestions.map(({ value, stageName, score }) => `${value} -> ${stageName} ${score}`);
}

describe('boundedEditDistance: the distance up to the bound, else bound + 1', () => {
    it('counts a letter changed after a common prefix (the prefix skip stops at the first difference)', () => {
        expect(boundedEditDistance('nurturing', 'nurtering', 1)).toBe(1);
        expect(boundedEditDistance('a', 'b', 0)).toBe(1);
    });

    it('counts a doubled last letter as one edit (the suffix skip never reaches into the skipped prefix)', () => {
        // The whole shorter name is a prefix of the longer one: the suffix skip must stop there, or the extra "g"
        // would be matched against the prefix's last letter and vanish.
        expect(boundedEditDistance('nurturingg', 'nurturing', 1)).toBe(1);
        expect(boundedEditDistance('aa', 'a', 1)).toBe(1);
    });

    it('answers bound + 1, not the full distance, when the distance exceeds the bound', () => {
        // No row of the table exceeds the bound before the last cell does, so only the final cap applies.
        expect(boundedEditDistance('ab', 'bca', 1)).toBe(2);
    });

    it.each([
        ['ab', 'ba', 1, 1],
        ['ab', 'bc', 1, 2],
        ['ab', 'ca', 1, 2],
        ['aa', 'bb', 1, 2]
    ])(
        'counts a swap of two neighbours as one edit, and nothing else as a swap (%s, %s, bound %d): %d',
        (a, b, bound, expected) => {
            expect(boundedEditDistance(a, b, bound)).toBe(expected);
        }
    );
});

describe('suggestions: why two names match', () => {
    it('says "punctuation" for names that differ only in where the words break ("Follow Up" and "FollowUp")', () => {
        // Without accents the two still differ (the space); their letters and digits alone are the same.
        expect(plan(['Follow Up'], ['FollowUp']).suggestions).toEqual([
            {
                value: 'Follow Up',
                stageId: 'stg_0',
                stageName: 'FollowUp',
                score: 0.9,
                why: 'the value "Follow Up" and the stage name differ only in punctuation, spaces, "-" or "_"'
            }
        ]);
    });

    it("keeps the better of two matches of one stage: the label's same name over the API name's plural", () => {
        // Two stages share the label's name, so the value is skipped as ambiguous and both are suggested. The API
        // name "Customers_Direct" reaches each stage first (a plural away); the label's exact name must replace it.
        const result = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: [{ value: 'Customers_Direct', label: 'Customer Direct' }],
            stages: [
                { id: 'stg_a', name: 'Customer Direct' },
                { id: 'stg_b', name: 'Customer Direct' }
            ],
            mappings: []
        });
        expect(result.outcomes.map((outcome) => outcome.outcome)).toEqual(['skip-ambiguous']);
        const why =
            'the label "Customer Direct" has the same name as the stage, but 2 stages share this name: confirm which one';
        expect(result.suggestions.map(({ stageId, score, why: reason }) => [stageId, score, reason])).toEqual([
            ['stg_a', 1, why],
            ['stg_b', 1, why]
        ]);
    });

    it('does not take two names whose loose forms only hash alike for the same name', () => {
        // "maþ" and "mbß" have the same 30-bit hash (97·31 + 254 = 98·31 + 223): the hash only finds candidates,
        // the loose strings decide.
        expect(plan(['Maþ'], ['Mbß']).suggestions).toEqual([]);
    });
});

describe('suggestions: typos', () => {
    it('suggests a typo in a name with a digit when the digits are the same', () => {
        expect(suggested(plan(['Tier 1 Customer'], ['Tier 1 Custmer']))).toEqual([
            'Tier 1 Customer -> Tier 1 Custmer 0.75'
        ]);
    });

    it('does not suggest "Tier 10 Customeer" for "Tier 20 Customer": another tier, whatever the letters', () => {
        // Two edits apart, within the bound of a 14-letter name; the stage's shape (first letter, words, length,
        // digits) is the same number as the value's shape at length 14, since "20" hashes 31 more than "10" and
        // the stage is one longer. Only the digits check tells them apart.
        expect(plan(['Tier 20 Customer'], ['Tier 10 Customeer']).suggestions).toEqual([]);
    });

    it('does not suggest a 16-word stage for a 15-word value one letter shorter: a typo keeps the words', () => {
        // The shape counts at most 15 words, so the two share a shape; the word count itself must rule the pair out.
        const fifteen = 'a b c d e f g h i j k l m n o';
        expect(plan([fifteen], [`${fifteen} p`]).suggestions).toEqual([]);
    });

    it('suggests a typo whose negation words are the same, in another order ("Non No" for "No Non")', () => {
        // The negations are compared as a set: "nonon" and "nonno" are one swap apart and both say "no" and "non".
        expect(suggested(plan(['No Non Contacted'], ['Non No Contacted']))).toEqual([
            'No Non Contacted -> Non No Contacted 0.75'
        ]);
    });

    it('suggests a typo for a stage whose shape number is 0 (a valid shape, not "no shape")', () => {
        // First character U+956A, two words, 17 letters and digits, digits "3002660": shapeOf gives exactly 0.
        // Only a stage shorter than five letters has no shape (-1).
        const stage = '\u956aabcdefghi 3002660';
        const value = '\u956aabcdefghx 3002660';
        expect(suggested(plan([value], [stage]))).toEqual([`${value} -> ${stage} 0.75`]);
    });
});
