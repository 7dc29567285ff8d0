/**
 * Validation: checks untrusted input (a CLI file, a request body) before the engine reads it, and answers with one
 * message naming the problem and its path. Shared by the CLI and the stage service.
 */
import { MAX_TEXT_LENGTH, familyOf, stageKey } from './keys';
import type {
    DriftValidationResult,
    MappingInput,
    PicklistValueInput,
    PlanInput,
    StageInput,
    ValidationOptions,
    ValidationResult
} from './types';

/** Thrown inside validation only, caught by {@link validateScope}; carries the path of the problem. */
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
const MAPPING_FIELDS = ['value', 'stageId', 'label', 'labelLanguage'] as const;

/**
 * Checks untrusted input (a CLI file, a request body) before planning, and returns a clean copy. Rejects: a
 * non-object, unknown or missing properties, wrong types, an object other than Contact/Lead/Account, a blank field,
 * blank or over-long (255 characters) values, labels, stage ids and names, a value listed twice (same API name), a
 * stage id listed twice, a mapping for a value or of a stage listed twice (mappings are 1:1 in a scope), and more
 * than `maxValues` values. `null` is accepted for the optional labels (of values and of mappings) and `active` and
 * means absent, as Apex serializes unset fields.
 *
 * The first problem found wins: one clear message is easier to act on than a list.
 */
export function validatePlanInput(input: unknown, options: ValidationOptions = {}): ValidationResult {
    return validateScope(input, options);
}

/**
 * Checks untrusted input before {@link driftReport}: the same scope as a plan reads (the CLI's drift command reads
 * the same scenario files as its plan command), where a mapping's recorded `label` matters, so it is checked like
 * a value's label (a non-blank text of at most 255 characters, or absent).
 */
export function validateDriftInput(input: unknown, options: ValidationOptions = {}): DriftValidationResult {
    return validateScope(input, options);
}

function validateScope(input: unknown, options: ValidationOptions): ValidationResult {
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
        const record = readRecord(
            item,
            itemPath,
            MAPPING_FIELDS,
            'an object with value, stageId, label and labelLanguage'
        );
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
        const mapping: MappingInput =
            record.label === undefined || record.label === null
                ? { value, stageId }
                : { value, stageId, label: readText(record, 'label', itemPath) };
        if (record.labelLanguage !== undefined && record.labelLanguage !== null) {
            mapping.labelLanguage = readLanguage(record.labelLanguage, join(itemPath, 'labelLanguage'));
        }
        return mapping;
    });
}

/** A Salesforce language code as Apex (`en_US`, `zh_CN`, `de`) or the LWC (`en-US`) spells it. */
const LANGUAGE_CODE = /^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,2}$/;

function readLanguage(value: unknown, at: string): string {
    if (typeof value !== 'string' || !LANGUAGE_CODE.test(value)) {
        throw new InvalidInput(at, 'must be a language code such as en_US or de');
    }
    return value;
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
    return checkText(value, at);
}

/**
 * Characters no name, value, label or id may hold: the C0 controls (NUL, tab, newlines...), DEL, the C1 controls
 * U+0080-U+009F (NEL included), the bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069 (they
 * reorder the text shown around them, so a name could read as another in the history or a terminal), and a lone
 * surrogate (not a character at all).
 */
// `\p{Cc}` is exactly C0, DEL and C1. With the `u` flag a pair is one code point above U+FFFF, so the surrogate range
// matches only a lone (or reversed) surrogate. No control character is written in the pattern itself, which keeps
// it clear of `no-control-regex` without a disable comment (the platform lint forbids inline disables).
const REFUSED_CHARACTER = /[\p{Cc}\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/u;

/** {@link validateText}'s rules, throwing {@link InvalidInput}. */
function checkText(value: unknown, at: string): string {
    if (typeof value !== 'string') {
        throw new InvalidInput(at, `must be a string, got ${describeType(value)}`);
    }
    const refused = REFUSED_CHARACTER.exec(value);
    if (refused) {
        const code = refused[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        throw new InvalidInput(
            at,
            `must not contain control characters or bidirectional formatting characters (U+${code} at character ${codePointCount(value.slice(0, refused.index)) + 1})`
        );
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

/**
 * Checks one untrusted name, value or label as {@link validatePlanInput} checks each of its texts: a string, no
 * control or bidi formatting character, not blank once invisible characters are folded (`stageKey`), at most
 * {@link MAX_TEXT_LENGTH} characters. `path` names it in the message (`body.value: must not be empty or blank`).
 */
export function validateText(
    value: unknown,
    path: string
): { ok: true; value: string } | { ok: false; error: string; path: string } {
    try {
        return { ok: true, value: checkText(value, path) };
    } catch (error) {
        if (error instanceof InvalidInput) {
            return { ok: false, error: error.message, path: error.path };
        }
        throw error;
    }
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
