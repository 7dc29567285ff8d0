/**
 * Suggestions: near matches for the admin to confirm, never applied automatically. For the values a plan creates a
 * stage for or skips, the free stages whose loose key (looseKeys.ts) is the same, or a small edit distance away,
 * scored by the kind of difference.
 */
import { addToIndex, compareText, stageKey } from './keys';
import { SMALL_INTEGER, newWalk, unaccent, walkLoose } from './looseKeys';
import type { LooseWalk } from './looseKeys';
import { LOOSE_FIELDS, addToFilter, mayHave, quickFilter } from './planIndex';
import type { PlanState, QuickFilter, ValueInfo } from './planIndex';
import type { OutcomeKind, PlannedOutcome, StageInput, Suggestion } from './types';

/** At most this many suggestions per value: the admin confirms them one by one. */
export const MAX_SUGGESTIONS_PER_VALUE = 3;

/** Below this loose-key length, one edit turns a word into another word ("Won"/"Wont"): no edit-distance match. */
const MIN_LENGTH_FOR_EDITS = 5;
/** From this loose-key length two edits are allowed; shorter keys allow one. */
const MIN_LENGTH_FOR_TWO_EDITS = 9;

/** Scores by kind of difference: the fewer kinds of change, the closer. */
const SCORE = Object.freeze({
    sameKey: 1,
    accents: 0.95,
    punctuation: 0.9,
    plural: 0.85,
    oneEdit: 0.75,
    twoEdits: 0.6
});

/**
 * Words that negate: "Not Contacted" must never be suggested for "Now Contacted", nor "Nicht kontaktiert" for
 * "Nichts kontaktiert". Whole words only, compared after accents are removed ("não" is "nao").
 */
const NEGATIONS: ReadonlySet<string> = new Set([
    'not',
    'no',
    'non',
    'never',
    'none',
    'nicht',
    'kein',
    'keine',
    'ohne',
    'nie',
    'pas',
    'sans',
    'jamais',
    'ne',
    'nao',
    'ni'
]);

const NOT_WORD_CHARACTERS = /[^\p{L}\p{N}\p{M}]+/u;

/** What planning one value remembers for the suggestions pass. */
export interface PlannedValue {
    outcome: PlannedOutcome;
    info: ValueInfo;
}

/** First character, number of words, length and digits of a loose form in one small integer, for a Map key. */
function shapeOf(first: number, words: number, length: number, digits: number): number {
    const packed = first * 4096 + Math.min(words, 15) * 256 + Math.min(length, 255);
    return (Math.imul(packed, 31) + digits) & SMALL_INTEGER;
}

/** The intermediate forms of a key, computed only for a pair that matched, to say why it matched. */
interface LooseForms {
    unaccented: string;
    /** Letters and digits only, before plurals are dropped. */
    compact: string;
    negations: string;
}

function looseForms(key: string): LooseForms {
    const unaccented = unaccent(key);
    const words = unaccented.split(NOT_WORD_CHARACTERS).filter((word) => word !== '');
    return {
        unaccented,
        compact: words.join(''),
        negations: words
            .filter((word) => NEGATIONS.has(word))
            .sort(compareText)
            .join(' ')
    };
}

/** One side of a value that can match a stage: its API name or its label. */
interface ValueSide {
    owner: number;
    /** The value's API name, which a suggestion carries. */
    value: string;
    what: 'value' | 'label';
    text: string;
    key: string;
    walk: LooseWalk;
    forms: LooseForms | undefined;
}

/** A free stage met by the suggestion pass; its loose string and forms are computed only when a value may match. */
interface FreeStage {
    stage: StageInput;
    key: string;
    walk: LooseWalk;
    loose: string | undefined;
    forms: LooseForms | undefined;
}

/**
 * The suggestion index, built over the few values that need suggestions, never over the stages.
 *
 * Why this shape (the bench plans 1,000 values against 10,000 stages within twice a JSON.parse of the input):
 * comparing every value with every stage by edit distance would cost values × stages (200 values wanting suggestions
 * against 9,200 free stages there: nearly two million pairs). Instead the free stages stream
 * past once; each reads its loose form (a hash and a few counters, no string) and looks itself up in two hash maps of
 * the value sides: by the hash of the loose form (same name apart from accents, punctuation, spaces, "-", "_" or a
 * plural: O(1)), and by its "shape" (first character, number of words, digits and length). Edit distance is only
 * computed between a stage and a value of the same shape whose lengths differ by at most the allowed edits, after
 * skipping their common prefix and suffix, so a comparison is a few character checks.
 *
 * The price, accepted: a typo in the first letter, in a digit, or one that changes the number of words is not
 * suggested. The same rules keep out the near matches that mean something else: no plain substring ever matches
 * ("Not Interested" or "Uninterested" for "Interested"), "Tier 1" is not a typo of "Tier 2", and a negation word
 * on one side only rules a pair out.
 */
interface SuggestionIndex {
    byHash: Map<number, ValueSide[]>;
    byShape: Map<number, ValueSide[]>;
    /**
     * The hashes and shapes in the maps: most stages are ruled out by one array read each. Measured with
     * {@link firsts}: 1.52× JSON.parse with the three filters, 1.95× with a Map look-up per stage instead.
     */
    hashes: QuickFilter;
    shapes: QuickFilter;
    /** The first characters of the value sides: a stage starting with another character cannot match. */
    firsts: QuickFilter;
}

/** Values that would create a stage or were skipped get suggestions; mapped ones need none. */
function wantsSuggestions(outcome: OutcomeKind): boolean {
    return outcome !== 'already-mapped' && outcome !== 'map-existing';
}

function sideOf(owner: number, info: ValueInfo, what: ValueSide['what']): ValueSide {
    const text = what === 'value' ? info.input.value : info.label;
    const key = what === 'value' ? info.valueKey : info.labelKey;
    return { owner, value: info.input.value, what, text, key, walk: walkLoose(key, newWalk(), true), forms: undefined };
}

function indexSides(planned: readonly PlannedValue[]): SuggestionIndex {
    const index: SuggestionIndex = {
        byHash: new Map(),
        byShape: new Map(),
        hashes: quickFilter(planned.length * 2),
        shapes: quickFilter(planned.length * 6),
        firsts: quickFilter(planned.length * 2)
    };
    planned.forEach(({ info }, owner) => {
        const sides = [sideOf(owner, info, 'value')];
        if (info.labelKey !== info.valueKey) {
            sides.push(sideOf(owner, info, 'label'));
        }
        for (const side of sides) {
            if (side.walk.length > 0) {
                addToFilter(index.firsts, side.walk.first);
                addToFilter(index.hashes, side.walk.hash);
                addToIndex(index.byHash, side.walk.hash, side);
                for (const length of editableLengths(side.walk.length)) {
                    const shape = shapeOf(side.walk.first, side.walk.words, length, side.walk.digits);
                    addToFilter(index.shapes, shape);
                    addToIndex(index.byShape, shape, side);
                }
            }
        }
    });
    return index;
}

export function suggestFor(state: PlanState, planned: readonly PlannedValue[]): Suggestion[] {
    const wanted = planned.filter((entry) => wantsSuggestions(entry.outcome.outcome));
    if (wanted.length === 0) {
        return [];
    }
    const index = indexSides(wanted);
    const found = wanted.map(() => new Map<StageInput, Suggestion>());
    const loose = state.loose ?? new Int32Array(0);
    for (let i = 0; i < state.stages.length; i += 1) {
        const stage = state.stages[i];
        const at = i * LOOSE_FIELDS;
        const length = loose[at + 1] ?? 0;
        const first = loose[at + 2] ?? -1;
        if (stage === undefined || state.held[i] === 1 || length === 0 || !mayHave(index.firsts, first)) {
            continue;
        }
        const hash = loose[at] ?? 0;
        const words = loose[at + 3] ?? 0;
        const digits = loose[at + 4] ?? 0;
        const shape = length >= MIN_LENGTH_FOR_EDITS ? shapeOf(first, words, length, digits) : -1;
        const sameLoose = mayHave(index.hashes, hash) ? index.byHash.get(hash) : undefined;
        const sameShape = shape >= 0 && mayHave(index.shapes, shape) ? index.byShape.get(shape) : undefined;
        if (sameLoose || sameShape) {
            const walk: LooseWalk = { clean: false, ascii: false, loose: '', hash, length, first, words, digits };
            const key = state.irregularKeys[i] ?? stageKey(stage.name);
            const free: FreeStage = { stage, key, walk, loose: undefined, forms: undefined };
            matchStage(state, free, sameLoose ?? [], sameShape ?? [], found);
        }
    }
    return found.flatMap(rank);
}

/** Best first; ties by stage name then id, so the result does not depend on the order of the stages. */
function rank(found: Map<StageInput, Suggestion>): Suggestion[] {
    return [...found.values()]
        .sort((a, b) => b.score - a.score || compareText(a.stageName, b.stageName) || compareText(a.stageId, b.stageId))
        .slice(0, MAX_SUGGESTIONS_PER_VALUE);
}

/**
 * The loose lengths a stage may have to be within the allowed edits of a value side of this length: one edit below
 * {@link MIN_LENGTH_FOR_TWO_EDITS} characters, two from there; none below {@link MIN_LENGTH_FOR_EDITS}.
 */
function editableLengths(length: number): number[] {
    const lengths: number[] = [];
    for (let other = length - 2; other <= length + 2; other += 1) {
        const shorter = Math.min(length, other);
        const bound = shorter >= MIN_LENGTH_FOR_TWO_EDITS ? 2 : 1;
        if (shorter >= MIN_LENGTH_FOR_EDITS && Math.abs(other - length) <= bound) {
            lengths.push(other);
        }
    }
    return lengths;
}

/**
 * Every value side one free stage is close to: the same loose form first, then a small edit distance. The caller
 * made the two hash look-ups (value sides are indexed under every length a stage may have to be close to them).
 */
function matchStage(
    state: PlanState,
    free: FreeStage,
    sameLoose: readonly ValueSide[],
    sameShape: readonly ValueSide[],
    found: Map<StageInput, Suggestion>[]
): void {
    for (const side of sameLoose) {
        if (side.walk.loose === looseOf(free)) {
            const [score, why] = side.key === free.key ? sameKey(state, side) : looseMatch(side, free);
            keep(found, side, free.stage, score, why);
        }
    }
    for (const side of sameShape) {
        matchEdits(found, side, free);
    }
}

function matchEdits(found: Map<StageInput, Suggestion>[], side: ValueSide, free: FreeStage): void {
    const bound = Math.min(side.walk.length, free.walk.length) >= MIN_LENGTH_FOR_TWO_EDITS ? 2 : 1;
    if (
        Math.abs(side.walk.length - free.walk.length) > bound ||
        side.walk.first !== free.walk.first ||
        side.walk.words !== free.walk.words ||
        side.walk.digits !== free.walk.digits
    ) {
        return;
    }
    const edits = boundedEditDistance(side.walk.loose, looseOf(free), bound);
    if (edits > 0 && edits <= bound && formsOf(side).negations === formsOf(free).negations) {
        const score = edits === 1 ? SCORE.oneEdit : SCORE.twoEdits;
        keep(
            found,
            side,
            free.stage,
            score,
            `is ${edits} letter${edits === 1 ? '' : 's'} away from the stage name (a likely typo)`
        );
    }
}

/** Keeps the best suggestion per value and stage (a stage can be close to both the API name and the label). */
function keep(
    found: Map<StageInput, Suggestion>[],
    side: ValueSide,
    stage: StageInput,
    score: number,
    why: string
): void {
    const best = found[side.owner];
    const known = best?.get(stage);
    if (best && (!known || score > known.score)) {
        best.set(stage, {
            value: side.value,
            stageId: stage.id,
            stageName: stage.name,
            score,
            why: `the ${side.what} "${side.text}" ${why}`
        });
    }
}

function looseOf(free: FreeStage): string {
    free.loose ??= walkLoose(free.key, newWalk(), true).loose;
    return free.loose;
}

function formsOf(holder: { key: string; forms: LooseForms | undefined }): LooseForms {
    holder.forms ??= looseForms(holder.key);
    return holder.forms;
}

function sameKey(state: PlanState, side: ValueSide): [number, string] {
    const sharing = state.byKey.get(side.key)?.length ?? 1;
    return [
        SCORE.sameKey,
        sharing > 1
            ? `has the same name as the stage, but ${sharing} stages share this name: confirm which one`
            : 'has the same name as the stage'
    ];
}

/** Which level of looseness makes the two names equal (the loosest one always does). */
function looseMatch(side: ValueSide, free: FreeStage): [number, string] {
    const mine = formsOf(side);
    const theirs = formsOf(free);
    if (mine.unaccented === theirs.unaccented) {
        return [SCORE.accents, 'and the stage name differ only in accents'];
    }
    if (mine.compact === theirs.compact) {
        return [SCORE.punctuation, 'and the stage name differ only in punctuation, spaces, "-" or "_"'];
    }
    return [SCORE.plural, 'and the stage name differ only in a plural "s" (and perhaps accents or punctuation)'];
}

/**
 * Optimal-string-alignment distance (Levenshtein plus swapping two neighbours) if it is at most `bound`, otherwise
 * bound + 1. The common prefix and suffix are skipped first (they do not change the distance), and the table stops
 * as soon as a row cannot get back under the bound, so near-identical names cost a few character checks.
 */
export function boundedEditDistance(a: string, b: string, bound: number): number {
    if (Math.abs(a.length - b.length) > bound) {
        return bound + 1;
    }
    let start = 0;
    while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) {
        start += 1;
    }
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
        endA -= 1;
        endB -= 1;
    }
    const distance = editDistance(a.slice(start, endA), b.slice(start, endB), bound);
    return distance > bound ? bound + 1 : distance;
}

/** The optimal-string-alignment table with three rolling rows and an early exit once a row exceeds `bound`. */
function editDistance(a: string, b: string, bound: number): number {
    if (a.length === 0 || b.length === 0) {
        return Math.max(a.length, b.length);
    }
    let beforePrevious: number[] = [];
    let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i += 1) {
        const current: number[] = [i];
        let rowMin = i;
        for (let j = 1; j <= b.length; j += 1) {
            const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
            let cell = Math.min((previous[j] ?? i) + 1, (current[j - 1] ?? i) + 1, (previous[j - 1] ?? i) + cost);
            if (
                i > 1 &&
                j > 1 &&
                a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
                a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
            ) {
                cell = Math.min(cell, (beforePrevious[j - 2] ?? i) + 1);
            }
            current.push(cell);
            rowMin = Math.min(rowMin, cell);
        }
        if (rowMin > bound) {
            return bound + 1;
        }
        beforePrevious = previous;
        previous = current;
    }
    return previous[b.length] ?? bound + 1;
}
