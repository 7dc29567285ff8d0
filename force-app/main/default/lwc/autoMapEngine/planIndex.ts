/**
 * The planner's index and its speed tricks. The rules (planRules.ts) look stages up by key; this module builds that
 * index in ONE pass over the stages, and indexes only the stages some value may match.
 *
 * Why (issue 3, "Speed": 1,000 values against 10,000 stages within twice a JSON.parse of the input): the keys values
 * look up are computed first (planRules.ts, `readPicklistValues`), then the stage pass computes each stage's key (and,
 * when suggestions are wanted, its loose signature) and keeps only the stages whose key is needed. A plan is
 * O(values + stages) with a small constant: clean ASCII names are never lower-cased unless a value may need them, and
 * signature tables rule out most stages before any hash-map look-up. Each trick below says what it saves, measured
 * on that bench (`npx tsx scripts/bench/engine-bench.ts`, 1,000 values, 10,000 stages) by planning without it.
 */
import { CLEAN_ASCII, addToIndex, stageKey } from './keys';
import { SMALL_INTEGER, latinTable, newWalk, walkLoose, walkText } from './looseKeys';
import type { LooseWalk } from './looseKeys';
import type { MappingInput, PicklistValueInput, StageInput } from './types';

/** Numbers per stage in the plan state's loose signatures: hash, length, first character, words, digits. */
export const LOOSE_FIELDS = 5;

/**
 * One stage as the rules see it: an existing stage some value could match, or a stage planned for creation earlier
 * in this run (no id yet). `heldBy` is the value that maps to it in this scope, existing or planned: a held stage is
 * "taken".
 */
export interface StageEntry {
    id: string | undefined;
    /** Position in the input's stages; -1 for a planned stage. */
    position: number;
    name: string;
    key: string;
    heldBy: string | undefined;
    heldByExistingMapping: boolean;
}

/** A value with the keys computed once, before the stages are read. */
export interface ValueInfo {
    input: PicklistValueInput;
    label: string;
    mapping: MappingInput | undefined;
    valueKey: string;
    labelKey: string;
    /** The name a stage created for the value would get (by the label or the API name), and its key. */
    newName: string;
    newNameKey: string;
}

/**
 * The planner's working state, built in one pass over the stages.
 *
 * Why `byKey` only holds the stages whose key some value looks up: a Map insert per stage would cost as much as the
 * rest of the plan, while a signature look-up (then, rarely, a Set look-up) is cheap. Measured: 1.71× JSON.parse
 * as it is, 4.04× with every stage indexed.
 */
export interface PlanState {
    byKey: Map<string, StageEntry[]>;
    nameById: Map<string, string>;
    /** 1 at the position of every input stage held after planning (by an existing or a planned mapping). */
    held: Uint8Array;
    stages: readonly StageInput[];
    /**
     * The key of every stage whose name is not clean ASCII; undefined for a clean ASCII name, whose key is its lower
     * case and whose loose form can be read from the name itself. Saves lower-casing ten thousand names.
     */
    irregularKeys: (string | undefined)[];
    /**
     * When suggestions are wanted: every stage's loose signature, {@link LOOSE_FIELDS} numbers per stage (hash,
     * length, first character, words, digits), read in the same pass that computes the keys.
     */
    loose: Int32Array | undefined;
}

/**
 * The one pass over the stages: marks the stages existing mappings hold (and remembers their names for
 * already-mapped), indexes by key the stages whose key some value needs, and reads the loose signatures of the free
 * stages when suggestions are wanted.
 */
export function buildPlanState(
    stages: readonly StageInput[],
    holderByStageId: Map<string, string>,
    neededKeys: Set<string>,
    withLoose: boolean
): PlanState {
    const byKey = new Map<string, StageEntry[]>();
    const nameById = new Map<string, string>();
    const irregularKeys: (string | undefined)[] = new Array<string | undefined>(stages.length);
    const held = new Uint8Array(stages.length);
    const loose = withLoose ? new Int32Array(stages.length * LOOSE_FIELDS) : undefined;
    const walk = newWalk();
    const maybeNeeded = signaturesOf(neededKeys, neededKeys.size);
    const maybeHeld = signaturesOf(holderByStageId.keys(), holderByStageId.size);
    for (let i = 0; i < stages.length; i += 1) {
        const stage = stages[i];
        if (stage === undefined) {
            continue;
        }
        const heldBy = mayHave(maybeHeld, textSignature(stage.id)) ? holderByStageId.get(stage.id) : undefined;
        if (heldBy !== undefined) {
            held[i] = 1;
            if (!nameById.has(stage.id)) {
                nameById.set(stage.id, stage.name);
            }
        }
        // A clean ASCII name's key is its lower case: computed only if a value may need it (see textSignature).
        // A held stage is never suggested: its loose form is not read.
        let key = loose && heldBy === undefined ? keyAndLoose(stage.name, walk, loose, i) : irregularKey(stage.name);
        irregularKeys[i] = key;
        if (mayHave(maybeNeeded, textSignature(key ?? stage.name))) {
            key ??= stage.name.toLowerCase();
            if (neededKeys.has(key)) {
                const entry: StageEntry = {
                    id: stage.id,
                    position: i,
                    name: stage.name,
                    key,
                    heldBy,
                    heldByExistingMapping: heldBy !== undefined
                };
                addToIndex(byKey, key, entry);
            }
        }
    }
    return { byKey, nameById, held, stages, irregularKeys, loose };
}

/** The key of a name that is not clean ASCII; undefined for a clean ASCII name (its key is its lower case). */
function irregularKey(name: string): string | undefined {
    return CLEAN_ASCII.test(name) ? undefined : stageKey(name);
}

/**
 * {@link irregularKey}, and the name's loose signature stored at `position`, in one pass over a name of ASCII and
 * Latin characters (the walk also tells whether the key is just the name's lower case). A name with any other
 * character is walked through its key, since NFKC may change such characters. Measured: 1.49× JSON.parse with the
 * one pass, 2.82× when each free stage's key is computed first and then walked.
 */
function keyAndLoose(name: string, walk: LooseWalk, loose: Int32Array, position: number): string | undefined {
    let key: string | undefined;
    if (walkText(name, walk, false, latinTable())) {
        key = !walk.clean ? stageKey(name) : walk.ascii ? undefined : name.toLowerCase();
    } else {
        key = stageKey(name);
        walkLoose(key, walk, false);
    }
    const at = position * LOOSE_FIELDS;
    loose[at] = walk.hash;
    loose[at + 1] = walk.length;
    loose[at + 2] = walk.first;
    loose[at + 3] = walk.words;
    loose[at + 4] = walk.digits;
    return key;
}

/**
 * A signature of a text from its length, first and last three characters, ASCII letters folded to lower case
 * (so a clean ASCII name has the signature of its key without lower-casing it: keys have no capitals). A table of
 * the signatures of the few texts looked up (the keys values need, the ids mappings hold) rules out most of ten
 * thousand stages with a few reads, before a Set or Map has to hash the whole string (ids and keys are too long for
 * V8 to have hashed them while parsing the JSON). Measured: 1.61× JSON.parse with the two tables, 2.18× when every
 * stage's id and key go straight to the Map and Set.
 */
function textSignature(text: string): number {
    const length = text.length;
    if (length === 0) {
        return 0;
    }
    let hash = Math.imul(length, 0x9e3779b1) ^ foldAscii(text.charCodeAt(0));
    for (let i = Math.max(1, length - 3); i < length; i += 1) {
        hash = Math.imul(hash ^ foldAscii(text.charCodeAt(i)), 0x01000193);
    }
    return (hash ^ (hash >>> 15)) & SMALL_INTEGER;
}

/** An ASCII capital's lower-case code; any other code unchanged. */
function foldAscii(code: number): number {
    return code >= 65 && code <= 90 ? code + 32 : code;
}

/** The signatures of some texts, for {@link textSignature} look-ups. */
function signaturesOf(texts: Iterable<string>, count: number): QuickFilter {
    const filter = quickFilter(count);
    for (const text of texts) {
        addToFilter(filter, textSignature(text));
    }
    return filter;
}

/**
 * A table that answers "maybe" or "certainly not" for a number (a signature, a hash): an array read instead of a
 * hash-map look-up, for the checks made once per stage. About sixteen slots per member, so nearly every "no" is
 * found; sized to the members so that small plans do not clear large tables.
 */
export interface QuickFilter {
    bits: Uint8Array;
    mask: number;
}

/** A megabyte at most, for plans of tens of thousands of values. */
const MAX_FILTER_SIZE = 1 << 20;

export function quickFilter(count: number): QuickFilter {
    let size = 1024;
    while (size < count * 16 && size < MAX_FILTER_SIZE) {
        size *= 2;
    }
    return { bits: new Uint8Array(size), mask: size - 1 };
}

export function addToFilter(filter: QuickFilter, member: number): void {
    filter.bits[member & filter.mask] = 1;
}

export function mayHave(filter: QuickFilter, member: number): boolean {
    return filter.bits[member & filter.mask] === 1;
}
