/**
 * The auto-map engine: the ONE implementation of the rules that decide, for every value of a Salesforce picklist
 * (a scope such as `Lead.Status`), whether it is already mapped, is mapped to an existing stage, gets a new stage,
 * or is skipped, and why.
 *
 * Why a pure module with no imports: the same source runs in three places that must never disagree. The wizard
 * imports it as the LWC service module `c/autoMapEngine` (for the preview), the stage service imports this .ts file
 * by path (for the apply, inside one transaction), and so do the local preview and the CLI. A second copy of these
 * rules would drift; an import would tie the module to one of those runtimes.
 *
 * Why plain data in and out: the service plans again at apply time on the state it holds, so planning must depend on
 * nothing but its input. Every function here is deterministic; nothing reads a clock, a random source or the locale
 * (`toLowerCase`, not `toLocaleLowerCase`, so a Turkish browser and a UTC server compute the same keys).
 *
 * Speed (issue 3, "Speed": 1,000 values against 10,000 stages within twice a JSON.parse of the input): the keys
 * values look up are computed first, then one pass over the stages computes each stage's key (and, when suggestions
 * are wanted, its loose signature) and indexes only the stages some value may match; one pass over the values plans
 * them. A plan is O(values + stages) with a small constant: clean ASCII names are never lower-cased unless a value
 * may need them, and signature tables rule out most stages before any hash-map look-up. Suggestions, the only
 * fuzzy part, never compare every value with every stage: see {@link SuggestionIndex}.
 */

// ---------------------------------------------------------------------------------------------------------------
// Types: the contract others code against (docs/contracts.md mirrors them; this file wins).
// ---------------------------------------------------------------------------------------------------------------

/** The kind of stage a Salesforce object maps to: Contact and Lead values map to contact stages, Account to account. */
export type Family = 'contact' | 'account';

/** What the plan does with one value. Skips never create or change anything. */
export type OutcomeKind =
    'already-mapped' | 'map-existing' | 'create-and-map' | 'skip-stage-taken' | 'skip-ambiguous' | 'skip-inactive';

/** Every outcome, in the order the summary and the UI list them. */
export const OUTCOME_KINDS: readonly OutcomeKind[] = Object.freeze([
    'already-mapped',
    'map-existing',
    'create-and-map',
    'skip-stage-taken',
    'skip-ambiguous',
    'skip-inactive'
] as const);

/** One picklist value as the UI API gives it. `active` defaults to true; a missing label means the value. */
export interface PicklistValueInput {
    value: string;
    label?: string;
    active?: boolean;
}

/** A stage of the family the scope's object maps to. */
export interface StageInput {
    id: string;
    name: string;
}

/** An existing mapping of the scope: the picklist value (API name) and the stage it maps to. */
export interface MappingInput {
    value: string;
    stageId: string;
}

/** Everything a plan needs: one scope, its values in picklist order, the family's stages, the scope's mappings. */
export interface PlanInput {
    object: string;
    field: string;
    values: PicklistValueInput[];
    stages: StageInput[];
    mappings: MappingInput[];
}

/** The decision for one value, with the English reason shown by the CLI, the service's history and the logs. */
export interface PlannedOutcome {
    value: string;
    label: string;
    outcome: OutcomeKind;
    /** already-mapped, map-existing; for skip-stage-taken the id of the held stage (absent when it is planned). */
    stageId?: string;
    /** map-existing, create-and-map, skip-stage-taken; for already-mapped the stage's name when it still exists. */
    stageName?: string;
    /** skip-stage-taken: the value that holds the stage (an existing mapping or a value planned earlier). */
    heldBy?: string;
    /** skip-ambiguous: the stages that share the key, sorted by id. */
    candidates?: StageInput[];
    reason: string;
}

/** A near match for the admin to confirm; never applied automatically. */
export interface Suggestion {
    value: string;
    stageId: string;
    stageName: string;
    /** In (0, 1]; higher is closer. 1 means the same key (only possible for skipped values). */
    score: number;
    why: string;
}

/** How many values got each outcome; every kind is present, zero included. */
export interface PlanSummary {
    total: number;
    counts: Record<OutcomeKind, number>;
}

/** The engine's decision for every value of a scope, in picklist order. */
export interface Plan {
    object: string;
    field: string;
    family: Family;
    outcomes: PlannedOutcome[];
    suggestions: Suggestion[];
    summary: PlanSummary;
}

/** Where a created stage takes its name from: the value's label (the default) or its API name. */
export type NewStageNames = 'label' | 'apiName';

/** How to plan. */
export interface PlanOptions {
    /** `false` skips the only fuzzy (and most costly) part, for callers that only apply. */
    suggestions?: boolean;
    /**
     * Names of created stages: `label` (default) reads like the picklist in the running admin's language;
     * `apiName` gives every org the same, untranslated names. Matching is the same either way.
     */
    newStageNames?: NewStageNames;
}

/** What to tidy in a scope and its family (the article's "stay on top of housekeeping"). */
export interface HousekeepingReport {
    staleMappings: {
        value: string;
        stageId: string;
        stageName?: string;
        reason: 'value-missing' | 'value-inactive' | 'stage-missing';
    }[];
    /** Stages of the family that no mapping of THIS scope targets (other scopes may still use them). */
    unusedStages: StageInput[];
    /** Groups of two or more stages with the same key: the cause of skip-ambiguous. */
    duplicateStages: { key: string; stages: StageInput[] }[];
}

/** Either the checked input (a clean copy) or one message naming the problem and where it is. */
export type ValidationResult = { ok: true; value: PlanInput } | { ok: false; error: string; path: string };

/** Options of {@link validatePlanInput}. */
export interface ValidationOptions {
    /** Prefix for every path, e.g. `scenario[2]` gives `scenario[2].values[5].value`. */
    path?: string;
    /** Refuse more values than this (the service bounds its work per request). */
    maxValues?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and names
// ---------------------------------------------------------------------------------------------------------------

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
const CLEAN_ASCII = /^[!-~]+(?: [!-~]+)*$/;
/** Anything outside printable ASCII and ASCII white space: only such text can change under NFKC. */
const NEEDS_NFKC = /[^\t-\r -~]/;

/** Numbers per stage in the plan state's loose signatures: hash, length, first character, words, digits. */
const LOOSE_FIELDS = 5;

/** Numbers used as hash-map keys are kept to 30 bits so V8 stores them as small integers. */
const SMALL_INTEGER = 0x3fffffff;

/**
 * The normalized form of a name used for matching: Unicode NFKC, then `toLowerCase()`, then trimmed, with every run
 * of white space collapsed to one space (the exact definition).
 *
 * Why NFKC: full-width "Ｏｐｅｎ" and half-width "ｵｰﾌﾟﾝ" typed by Japanese users are the same words as "Open" and
 * "オープン". Why not accents or punctuation: "Résilié" and "Resilie" may be different stages on purpose; those near
 * matches become suggestions for the admin, never automatic mappings.
 *
 * This runs once per stage (ten thousand times in the bench), so it takes shortcuts that give the same result:
 * no `normalize` for ASCII, and no trim or replace unless the white space needs it.
 */
export function stageKey(name: string): string {
    if (CLEAN_ASCII.test(name)) {
        return name.toLowerCase();
    }
    const lower = (NEEDS_NFKC.test(name) ? name.normalize('NFKC') : name).toLowerCase();
    return hasIrregularWhiteSpace(lower) ? lower.trim().replace(WHITE_SPACE_RUN, ' ') : lower;
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
function labelOf(value: PicklistValueInput): string {
    return typeof value.label === 'string' && value.label.trim() !== '' ? value.label : value.value;
}

/** Ordinal comparison: locale-independent, so every runtime sorts the same way. */
function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function addToIndex<K, T>(index: Map<K, T[]>, key: K, item: T): void {
    const bucket = index.get(key);
    if (bucket) {
        bucket.push(item);
    } else {
        index.set(key, [item]);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------------------------

/**
 * One stage as the rules see it: an existing stage some value could match, or a stage planned for creation earlier
 * in this run (no id yet). `heldBy` is the value that maps to it in this scope, existing or planned: a held stage is
 * "taken".
 */
interface StageEntry {
    id: string | undefined;
    /** Position in the input's stages; -1 for a planned stage. */
    position: number;
    name: string;
    key: string;
    heldBy: string | undefined;
    heldByExistingMapping: boolean;
}

/** A value with the keys computed once, before the stages are read. */
interface ValueInfo {
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
 * rest of the plan, while a signature look-up (then, rarely, a Set look-up) is cheap.
 */
interface PlanState {
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

/** Why a candidate was found: the value's API name, its label, or (rarely) the name a new stage would get. */
type MatchedBy = 'value' | 'label' | 'name';

/** What planning one value remembers for the suggestions pass. */
interface PlannedValue {
    outcome: PlannedOutcome;
    info: ValueInfo;
}

/**
 * Plans one scope: the decision for every value, in picklist order, with near-match suggestions and a summary.
 * Pure: the input is not modified.
 *
 * @throws Error when the object is not Contact, Lead or Account, or when a value appears twice (validate untrusted
 *   input with {@link validatePlanInput} first; these are programming errors, not admin input errors).
 */
export function planAutoMap(input: PlanInput, options: PlanOptions = {}): Plan {
    const family = familyOf(input.object);
    if (family === undefined) {
        throw new Error(`Auto-map does not support the object "${input.object}": use Contact, Lead or Account.`);
    }
    const mappingByValue = new Map<string, MappingInput>();
    const holderByStageId = new Map<string, string>();
    for (const mapping of input.mappings) {
        // Against the invariant two mappings may name one value or one stage: the first wins, planning stays safe.
        if (!mappingByValue.has(mapping.value)) {
            mappingByValue.set(mapping.value, mapping);
        }
        if (!holderByStageId.has(mapping.stageId)) {
            holderByStageId.set(mapping.stageId, mapping.value);
        }
    }
    const { infos, neededKeys } = readPicklistValues(input, mappingByValue, options.newStageNames ?? 'label');
    // Only values left unmapped can get suggestions; without any, the stages' loose forms are not read.
    const suggest = options.suggestions !== false && infos.some((info) => info.mapping === undefined);
    const state = buildPlanState(input.stages, holderByStageId, neededKeys, suggest);
    const outcomes = planValues(state, infos);
    const planned = infos.map((info, index): PlannedValue => ({ outcome: outcomes[index] as PlannedOutcome, info }));
    return {
        object: input.object,
        field: input.field,
        family,
        outcomes,
        suggestions: suggest ? suggestFor(state, planned) : [],
        summary: summarize(outcomes)
    };
}

/**
 * Computes every key a value can look up (its API name's, its label's, and the key of the stage it would create)
 * before the stages are read, so the stage pass indexes only what is needed.
 */
function readPicklistValues(
    input: PlanInput,
    mappingByValue: Map<string, MappingInput>,
    newStageNames: NewStageNames
): { infos: ValueInfo[]; neededKeys: Set<string> } {
    const neededKeys = new Set<string>();
    const seen = new Set<string>();
    const infos = input.values.map((value): ValueInfo => {
        if (seen.has(value.value)) {
            throw new Error(`The picklist value "${value.value}" appears twice in ${input.object}.${input.field}.`);
        }
        seen.add(value.value);
        const label = labelOf(value);
        const mapping = mappingByValue.get(value.value);
        if (mapping) {
            return { input: value, label, mapping, valueKey: '', labelKey: '', newName: '', newNameKey: '' };
        }
        const valueKey = stageKey(value.value);
        const labelKey = label === value.value ? valueKey : stageKey(label);
        const source = newStageNames === 'apiName' ? value.value : label;
        const newName = stageNameFromLabel(source);
        const newNameKey = newName !== source ? stageKey(newName) : source === label ? labelKey : valueKey;
        neededKeys.add(valueKey).add(labelKey).add(newNameKey);
        return { input: value, label, mapping, valueKey, labelKey, newName, newNameKey };
    });
    return { infos, neededKeys };
}

function buildPlanState(
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
 * character is walked through its key, since NFKC may change such characters.
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
 * V8 to have hashed them while parsing the JSON).
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
interface QuickFilter {
    bits: Uint8Array;
    mask: number;
}

/** A megabyte at most, for plans of tens of thousands of values. */
const MAX_FILTER_SIZE = 1 << 20;

function quickFilter(count: number): QuickFilter {
    let size = 1024;
    while (size < count * 16 && size < MAX_FILTER_SIZE) {
        size *= 2;
    }
    return { bits: new Uint8Array(size), mask: size - 1 };
}

function addToFilter(filter: QuickFilter, member: number): void {
    filter.bits[member & filter.mask] = 1;
}

function mayHave(filter: QuickFilter, member: number): boolean {
    return filter.bits[member & filter.mask] === 1;
}

/**
 * The rules of precedence, in the order the contract gives them. Mapped and inactive values are decided first; the
 * rest go through three passes, each in picklist order:
 * 1. API names: an existing stage whose key is the key of the value's API name.
 * 2. Labels, for the values pass 1 left: an existing stage whose key is the key of the label.
 * 3. Creations, for the values left: a stage named by the label, unless a stage created earlier in this pass (or,
 *    for odd white space, an existing stage) has its key.
 *
 * Why passes and not one walk: an API name is the value's stable identity, a label is only how it reads (and may be
 * translated), so a value whose API name is exactly a stage's name must win that stage over a value that merely
 * reads like it, wherever the two sit in the picklist. The returned outcomes are in picklist order.
 */
function planValues(state: PlanState, infos: readonly ValueInfo[]): PlannedOutcome[] {
    const outcomes = new Array<PlannedOutcome | undefined>(infos.length);
    const byApiName: number[] = [];
    infos.forEach((info, index) => {
        if (info.mapping) {
            outcomes[index] = alreadyMapped(
                info.input.value,
                info.label,
                info.mapping,
                state.nameById.get(info.mapping.stageId)
            );
        } else if (info.input.active === false) {
            outcomes[index] = inactive(info.input.value, info.label);
        } else {
            byApiName.push(index);
        }
    });
    const byLabel = matchPass(state, infos, byApiName, outcomes, 'value');
    const toCreate = matchPass(state, infos, byLabel, outcomes, 'label');
    for (const index of toCreate) {
        outcomes[index] = createAndMap(state, infos[index] as ValueInfo);
    }
    return outcomes as PlannedOutcome[];
}

/**
 * One matching pass over the given values (picklist order): a value whose key (of its API name or of its label)
 * some existing stage has is decided now; the indexes of the others are returned for the next pass. Only existing
 * stages are in the index during these passes: creations come last.
 */
function matchPass(
    state: PlanState,
    infos: readonly ValueInfo[],
    indexes: readonly number[],
    outcomes: (PlannedOutcome | undefined)[],
    matchedBy: 'value' | 'label'
): number[] {
    const left: number[] = [];
    for (const index of indexes) {
        const info = infos[index] as ValueInfo;
        const candidates = state.byKey.get(matchedBy === 'value' ? info.valueKey : info.labelKey);
        if (candidates) {
            outcomes[index] = decide(state, info.input.value, info.label, candidates, matchedBy);
        } else {
            left.push(index);
        }
    }
    return left;
}

function inactive(value: string, label: string): PlannedOutcome {
    return {
        value,
        label,
        outcome: 'skip-inactive',
        reason: `"${value}" is inactive and not mapped; inactive values are never auto-mapped (map it by hand if old records still use it).`
    };
}

/** The "never changed" rule: an existing mapping is reported as it is, even when its stage has gone. */
function alreadyMapped(
    value: string,
    label: string,
    mapping: MappingInput,
    stageName: string | undefined
): PlannedOutcome {
    if (stageName === undefined) {
        return {
            value,
            label,
            outcome: 'already-mapped',
            stageId: mapping.stageId,
            reason: `"${value}" is already mapped to stage ${mapping.stageId}, which no longer exists; auto-map never changes an existing mapping (see the housekeeping report).`
        };
    }
    return {
        value,
        label,
        outcome: 'already-mapped',
        stageId: mapping.stageId,
        stageName,
        reason: `"${value}" is already mapped to stage "${stageName}"; auto-map never changes an existing mapping.`
    };
}

/** One or more candidates: ambiguous, taken, or free to map. Nothing is ever created when a candidate exists. */
function decide(
    state: PlanState,
    value: string,
    label: string,
    candidates: StageEntry[],
    matchedBy: MatchedBy
): PlannedOutcome {
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (!only) {
        return ambiguous(value, label, candidates, matchedBy);
    }
    if (only.heldBy !== undefined) {
        return stageTaken(value, label, only, matchedBy);
    }
    only.heldBy = value;
    if (only.position >= 0) {
        state.held[only.position] = 1;
    }
    return {
        value,
        label,
        outcome: 'map-existing',
        stageId: only.id,
        stageName: only.name,
        reason: `Stage "${only.name}" matches ${describeMatch(value, label, matchedBy)}; the value will be mapped to it.`
    };
}

/** "Matches" means the same key: the same name ignoring case, width (NFKC) and white space. */
function describeMatch(value: string, label: string, matchedBy: MatchedBy): string {
    if (matchedBy === 'value') {
        return `the value "${value}"`;
    }
    return matchedBy === 'label' ? `the label "${label}"` : `the stage that would be created for "${label}"`;
}

/**
 * Duplicate stages: choosing one would be a guess, and creating another would add a third duplicate, so the value is
 * skipped and the duplicates are listed (sorted by id, so the plan does not depend on the order of the stages).
 * Only existing stages can be duplicates: a stage is only planned for a key no stage has.
 */
function ambiguous(value: string, label: string, candidates: StageEntry[], matchedBy: MatchedBy): PlannedOutcome {
    const stages = candidates
        .map((entry): StageInput => ({ id: entry.id ?? '', name: entry.name }))
        .sort((a, b) => compareText(a.id, b.id));
    const names = stages.map((stage) => `"${stage.name}" (${stage.id})`).join(', ');
    return {
        value,
        label,
        outcome: 'skip-ambiguous',
        candidates: stages,
        reason: `${stages.length} stages match ${describeMatch(value, label, matchedBy)}: ${names}; nothing is mapped or created until the duplicates are merged.`
    };
}

/**
 * The article's rule: when the matching stage is mapped to another value, do not map it and do not create a
 * duplicate of it either. The reason names the stage and the value that holds it.
 */
function stageTaken(value: string, label: string, entry: StageEntry, matchedBy: MatchedBy): PlannedOutcome {
    const holder = entry.heldBy ?? '';
    const how = entry.heldByExistingMapping
        ? `is already mapped to the value "${holder}"`
        : entry.id === undefined
          ? `is planned for creation for the value "${holder}" earlier in this run`
          : `is planned for the value "${holder}" earlier in this run`;
    return {
        value,
        label,
        outcome: 'skip-stage-taken',
        ...(entry.id === undefined ? {} : { stageId: entry.id }),
        stageName: entry.name,
        heldBy: holder,
        reason: `Stage "${entry.name}" matches ${describeMatch(value, label, matchedBy)} but ${how}; a stage maps to one value per field, and no duplicate stage is created.`
    };
}

/**
 * Pass 3, for a value no existing stage matched: plan a new stage named by the label (or the API name) and register
 * it, so a later value of this pass whose new stage would have the same key finds it (taken) instead of planning a
 * duplicate.
 *
 * The look-up by the new name's key finds mostly stages created earlier in this pass: under the key of the label or
 * the API name, passes 1 and 2 found no existing stage. But the key of a trimmed name is not always the key of the
 * untrimmed text (a zero-width no-break space, which JavaScript counts as white space, changes how a Greek final
 * sigma lower-cases once it becomes a plain space), and the invariant "no created stage duplicates a key" must hold
 * for every input, so an existing stage found under the new name's key is treated as a candidate too.
 */
function createAndMap(state: PlanState, info: ValueInfo): PlannedOutcome {
    const { label, newName: name, newNameKey: nameKey } = info;
    const value = info.input.value;
    const byName = state.byKey.get(nameKey);
    if (byName) {
        const matchedBy: MatchedBy = nameKey === info.labelKey ? 'label' : nameKey === info.valueKey ? 'value' : 'name';
        return decide(state, value, label, byName, matchedBy);
    }
    const entry: StageEntry = {
        id: undefined,
        position: -1,
        name,
        key: nameKey,
        heldBy: value,
        heldByExistingMapping: false
    };
    addToIndex(state.byKey, nameKey, entry);
    return {
        value,
        label,
        outcome: 'create-and-map',
        stageName: name,
        reason:
            label === value
                ? `No stage matches "${value}"; a stage "${name}" will be created and mapped to it.`
                : `No stage matches the value "${value}" or its label "${label}"; a stage "${name}" will be created and mapped to it.`
    };
}

/** Counts per outcome, every kind present so a UI can render a fixed list. */
export function summarize(outcomes: readonly PlannedOutcome[]): PlanSummary {
    const counts = Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, 0])) as Record<OutcomeKind, number>;
    for (const outcome of outcomes) {
        counts[outcome.outcome] += 1;
    }
    return { total: outcomes.length, counts };
}

// ---------------------------------------------------------------------------------------------------------------
// Suggestions: near matches for the admin to confirm
// ---------------------------------------------------------------------------------------------------------------

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

const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;
const NON_ASCII_NOT_WORD = /[^\p{L}\p{N}\p{M}\p{ASCII}]/gu;
const NOT_WORD_CHARACTERS = /[^\p{L}\p{N}\p{M}]+/u;

/** The key without accents: combining diacritics U+0300–U+036F; other marks (Japanese sound marks) stay. */
function unaccent(key: string): string {
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
 * unchanged and its lower case is one character per character.
 */
function latinTable(): number[] {
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
    const stable =
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
interface LooseWalk {
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

function newWalk(): LooseWalk {
    return { clean: false, ascii: false, loose: '', hash: 0, length: 0, first: -1, words: 0, digits: 0 };
}

/**
 * Reads a key's loose form into `walk`. ASCII and Latin keys are read directly (fast path); a key with any other
 * character (Greek, Cyrillic, Japanese...) is first turned into {@link wordText} by native string functions. Both
 * modes (`build` or not) take the same path for the same text, so their hashes always agree.
 */
function walkLoose(key: string, walk: LooseWalk, build: boolean): LooseWalk {
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
function walkText(text: string, walk: LooseWalk, build: boolean, table: number[] | undefined): boolean {
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
 * comparing every value with every stage by edit distance would cost values × stages. Instead the free stages stream
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
    /** The hashes and shapes in the maps: most stages are ruled out by one array read each. */
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

function suggestFor(state: PlanState, planned: readonly PlannedValue[]): Suggestion[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Housekeeping
// ---------------------------------------------------------------------------------------------------------------

/**
 * What to tidy, following the article's best practices: mappings that point at a value that is gone or inactive or
 * at a stage that is gone; stages no mapping of this scope uses; stages that share a key (they block auto-map).
 *
 * One entry per stale mapping, with the first reason that applies in the order value-missing, value-inactive,
 * stage-missing (the value side decides whether the mapping should exist at all). A stage held only by a stale
 * mapping is not "unused": the stale mapping is listed instead, so each fix appears once.
 */
export function housekeepingReport(input: PlanInput): HousekeepingReport {
    const valueByName = new Map(input.values.map((value) => [value.value, value] as const));
    const stageById = new Map<string, StageInput>();
    for (const stage of input.stages) {
        if (!stageById.has(stage.id)) {
            stageById.set(stage.id, stage);
        }
    }
    const staleMappings: HousekeepingReport['staleMappings'] = [];
    for (const mapping of input.mappings) {
        const value = valueByName.get(mapping.value);
        const stage = stageById.get(mapping.stageId);
        const reason = !value
            ? 'value-missing'
            : value.active === false
              ? 'value-inactive'
              : !stage
                ? 'stage-missing'
                : undefined;
        if (reason) {
            staleMappings.push({
                value: mapping.value,
                stageId: mapping.stageId,
                ...(stage ? { stageName: stage.name } : {}),
                reason
            });
        }
    }
    const mappedStageIds = new Set(input.mappings.map((mapping) => mapping.stageId));
    const unusedStages = input.stages.filter((stage) => !mappedStageIds.has(stage.id));
    return { staleMappings, unusedStages, duplicateStages: duplicateStagesOf(input.stages) };
}

/** Groups of stages with the same key, in the order their first stage appears. */
function duplicateStagesOf(stages: readonly StageInput[]): HousekeepingReport['duplicateStages'] {
    const byKey = new Map<string, StageInput[]>();
    for (const stage of stages) {
        addToIndex(byKey, stageKey(stage.name), stage);
    }
    return [...byKey.entries()].filter(([, group]) => group.length > 1).map(([key, group]) => ({ key, stages: group }));
}

// ---------------------------------------------------------------------------------------------------------------
// Applying (a pure description, for tests and for the service's own checks)
// ---------------------------------------------------------------------------------------------------------------

/**
 * The state after applying a plan: the input's stages and mappings, plus a stage for every create-and-map (ids from
 * `newStageId(name, index)`, index counting created stages from 0) and a mapping for every map-existing and
 * create-and-map. Existing mappings are kept as they are; skips change nothing.
 */
export function applyPlanToState(
    input: PlanInput,
    plan: Plan,
    newStageId: (name: string, index: number) => string
): { stages: StageInput[]; mappings: MappingInput[] } {
    const stages = input.stages.map((stage) => ({ ...stage }));
    const mappings = input.mappings.map((mapping) => ({ ...mapping }));
    let created = 0;
    for (const outcome of plan.outcomes) {
        if (outcome.outcome === 'map-existing' && outcome.stageId !== undefined) {
            mappings.push({ value: outcome.value, stageId: outcome.stageId });
        } else if (outcome.outcome === 'create-and-map' && outcome.stageName !== undefined) {
            const id = newStageId(outcome.stageName, created);
            created += 1;
            stages.push({ id, name: outcome.stageName });
            mappings.push({ value: outcome.value, stageId: id });
        }
    }
    return { stages, mappings };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation: one message naming the problem and its path, shared by the CLI and the service
// ---------------------------------------------------------------------------------------------------------------

/** Thrown inside validation only, caught by {@link validatePlanInput}; carries the path of the problem. */
class InvalidInput extends Error {
    readonly path: string;

    constructor(path: string, problem: string) {
        super(path ? `${path}: ${problem}` : `the input ${problem}`);
        this.path = path;
    }
}

const PLAN_INPUT_FIELDS = ['object', 'field', 'values', 'stages', 'mappings'] as const;
const VALUE_FIELDS = ['value', 'label', 'active'] as const;
const STAGE_FIELDS = ['id', 'name'] as const;
const MAPPING_FIELDS = ['value', 'stageId'] as const;

/**
 * Checks untrusted input (a CLI file, a request body) before planning, and returns a clean copy. Rejects: a
 * non-object, unknown or missing properties, wrong types, an object other than Contact/Lead/Account, a blank field,
 * blank or over-long (255 characters) values, labels, stage ids and names, a value listed twice (same API name), a
 * stage id listed twice, a mapping for a value or of a stage listed twice (mappings are 1:1 in a scope), and more
 * than `maxValues` values. `null` is accepted for the optional `label` and `active` and means absent, as Apex
 * serializes unset fields.
 *
 * The first problem found wins: one clear message is easier to act on than a list.
 */
export function validatePlanInput(input: unknown, options: ValidationOptions = {}): ValidationResult {
    try {
        return { ok: true, value: readPlanInput(input, options.path ?? '', options.maxValues) };
    } catch (error) {
        if (error instanceof InvalidInput) {
            return { ok: false, error: error.message, path: error.path };
        }
        throw error;
    }
}

function readPlanInput(input: unknown, path: string, maxValues: number | undefined): PlanInput {
    const record = readRecord(
        input,
        path,
        PLAN_INPUT_FIELDS,
        'a scenario object with object, field, values, stages and mappings'
    );
    const object = readText(record, 'object', path);
    if (familyOf(object) === undefined) {
        throw new InvalidInput(
            join(path, 'object'),
            `${quote(object)} is not supported (use Contact, Lead or Account)`
        );
    }
    const field = readText(record, 'field', path);
    const values = readArray(record, 'values', path);
    if (maxValues !== undefined && values.length > maxValues) {
        throw new InvalidInput(join(path, 'values'), `too many values (${values.length}, at most ${maxValues})`);
    }
    return {
        object,
        field,
        values: readValues(values, join(path, 'values')),
        stages: readStages(readArray(record, 'stages', path), join(path, 'stages')),
        mappings: readMappings(readArray(record, 'mappings', path), join(path, 'mappings'))
    };
}

function readValues(items: unknown[], path: string): PicklistValueInput[] {
    const firstIndex = new Map<string, number>();
    return items.map((item, index) => {
        const itemPath = `${path}[${index}]`;
        const record = readRecord(item, itemPath, VALUE_FIELDS, 'an object with value, label and active');
        const value = readText(record, 'value', itemPath);
        const seenAt = firstIndex.get(value);
        if (seenAt !== undefined) {
            throw new InvalidInput(
                `${itemPath}.value`,
                `duplicate value ${quote(value)} (already at ${path}[${seenAt}])`
            );
        }
        firstIndex.set(value, index);
        const result: PicklistValueInput = { value };
        if (record.label !== undefined && record.label !== null) {
            result.label = readText(record, 'label', itemPath);
        }
        if (record.active !== undefined && record.active !== null) {
            if (typeof record.active !== 'boolean') {
                throw new InvalidInput(
                    `${itemPath}.active`,
                    `must be true or false, got ${describeType(record.active)}`
                );
            }
            result.active = record.active;
        }
        return result;
    });
}

function readStages(items: unknown[], path: string): StageInput[] {
    const firstIndex = new Map<string, number>();
    return items.map((item, index) => {
        const itemPath = `${path}[${index}]`;
        const record = readRecord(item, itemPath, STAGE_FIELDS, 'an object with id and name');
        const id = readText(record, 'id', itemPath);
        const seenAt = firstIndex.get(id);
        if (seenAt !== undefined) {
            throw new InvalidInput(`${itemPath}.id`, `duplicate stage id ${quote(id)} (already at ${path}[${seenAt}])`);
        }
        firstIndex.set(id, index);
        return { id, name: readText(record, 'name', itemPath) };
    });
}

function readMappings(items: unknown[], path: string): MappingInput[] {
    const byValue = new Map<string, number>();
    const byStage = new Map<string, number>();
    return items.map((item, index) => {
        const itemPath = `${path}[${index}]`;
        const record = readRecord(item, itemPath, MAPPING_FIELDS, 'an object with value and stageId');
        const value = readText(record, 'value', itemPath);
        const stageId = readText(record, 'stageId', itemPath);
        const valueAt = byValue.get(value);
        if (valueAt !== undefined) {
            throw new InvalidInput(
                `${itemPath}.value`,
                `duplicate mapping for value ${quote(value)} (already at ${path}[${valueAt}]); a value maps to at most one stage`
            );
        }
        const stageAt = byStage.get(stageId);
        if (stageAt !== undefined) {
            throw new InvalidInput(
                `${itemPath}.stageId`,
                `stage ${quote(stageId)} is already mapped at ${path}[${stageAt}]; a stage maps to at most one value per field`
            );
        }
        byValue.set(value, index);
        byStage.set(stageId, index);
        return { value, stageId };
    });
}

/** An object with only the allowed properties (unknown ones are typos the admin should hear about). */
function readRecord(
    input: unknown,
    path: string,
    allowed: readonly string[],
    expected: string
): Record<string, unknown> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new InvalidInput(path, `must be ${expected}, got ${describeType(input)}`);
    }
    const record = input as Record<string, unknown>;
    for (const name of Object.keys(record)) {
        if (!allowed.includes(name)) {
            throw new InvalidInput(join(path, name), `unknown property (allowed: ${allowed.join(', ')})`);
        }
    }
    return record;
}

function readArray(record: Record<string, unknown>, name: string, path: string): unknown[] {
    const value = record[name];
    if (value === undefined) {
        throw new InvalidInput(join(path, name), 'missing (an array is required)');
    }
    if (!Array.isArray(value)) {
        throw new InvalidInput(join(path, name), `must be an array, got ${describeType(value)}`);
    }
    return value;
}

/** A required, non-blank string of at most {@link MAX_TEXT_LENGTH} characters. */
function readText(record: Record<string, unknown>, name: string, path: string): string {
    const value = record[name];
    const at = join(path, name);
    if (value === undefined) {
        throw new InvalidInput(at, 'missing (a text is required)');
    }
    if (typeof value !== 'string') {
        throw new InvalidInput(at, `must be a string, got ${describeType(value)}`);
    }
    if (stageKey(value) === '') {
        throw new InvalidInput(at, 'must not be empty or blank');
    }
    const length = codePointCount(value);
    if (length > MAX_TEXT_LENGTH) {
        throw new InvalidInput(at, `longer than ${MAX_TEXT_LENGTH} characters (${length})`);
    }
    return value;
}

function join(path: string, name: string): string {
    return path ? `${path}.${name}` : name;
}

/** Characters as PostgreSQL and Salesforce count them: code points, so an emoji is one, not two UTF-16 units. */
function codePointCount(text: string): number {
    let count = 0;
    for (let i = 0; i < text.length; i += 1) {
        const code = text.charCodeAt(i);
        const next = text.charCodeAt(i + 1);
        if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            i += 1; // a surrogate pair is one character
        }
        count += 1;
    }
    return count;
}

/** A short JSON-style rendering of a bad value for a message. */
function describeType(value: unknown): string {
    if (value === null) {
        return 'null';
    }
    if (Array.isArray(value)) {
        return 'an array';
    }
    if (typeof value === 'string') {
        return `the string ${quote(value)}`;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
        return `${typeof value} ${String(value)}`;
    }
    return typeof value === 'object' ? 'an object' : typeof value;
}

/** A text quoted as JSON, cut to about sixty characters so one message stays one readable line. */
function quote(text: string): string {
    const limit = 57;
    if (codePointCount(text) <= limit + 3) {
        return JSON.stringify(text);
    }
    let cut = '';
    let count = 0;
    for (const character of text) {
        if (count === limit) {
            break;
        }
        cut += character;
        count += 1;
    }
    return JSON.stringify(`${cut}...`);
}
