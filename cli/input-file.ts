/**
 * The `--input FILE` mode: scenarios from a JSON file, checked with the engine's own validation (so the CLI and the
 * stage service refuse the same things) and planned, or reported for drift. The file format forgives a little more
 * than the engine's input: `stages` and `mappings` may be left out (none), the object's name may be in any case, and
 * a blank label (of a value, or recorded with a mapping) is the value, as a missing one is; control characters are
 * refused with the path that holds one. The preview's `npm start -- --picklists FILE` reads its files here too
 * ({@link readScenarioFile}).
 */
import { readFileSync } from 'node:fs';
import {
    FAMILY_BY_OBJECT,
    driftReport,
    planAutoMap,
    stageKey,
    validateDriftInput,
    validatePlanInput
} from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type {
    PlanInput,
    ValidationOptions,
    ValidationResult
} from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { DriftFile } from './drift-output.ts';
import { CliInputError } from './errors.ts';
import type { PlannedFile } from './output.ts';

/** The engine's check of one scenario: the plan's, or drift's (the same scope, where recorded labels matter). */
type ScenarioCheck = (input: unknown, options: ValidationOptions) => ValidationResult;

/** One scenario of a file: the CLI's optional `id` and the engine's checked input. */
export interface FileScenario {
    id?: string | number;
    input: PlanInput;
}

/** What a file held: one scenario or an array of them, each checked. */
export interface ScenarioFile {
    isArray: boolean;
    scenarios: FileScenario[];
}

/**
 * The `--input FILE` mode: reads, validates (with the engine's own validation, so the CLI and the service refuse
 * the same things) and plans every scenario.
 *
 * @throws CliInputError naming the file and the problem's path, e.g. `scenario[2].values[5].value: duplicate value`.
 */
export function planFromInputFile(path: string): PlannedFile {
    const file = readScenarioFile(path);
    return {
        isArray: file.isArray,
        scenarios: file.scenarios.map((scenario) => ({ ...scenario, plan: planAutoMap(scenario.input) }))
    };
}

/**
 * `drift --input FILE`: reads and validates (with the engine's `validateDriftInput`) the same scenario files as
 * `plan`, and reports how each scope's picklist drifted from its mappings.
 *
 * @throws CliInputError naming the file and the problem's path
 */
export function driftFromInputFile(path: string): DriftFile {
    const file = readScenarioFile(path, '--input', validateDriftInput);
    return {
        isArray: file.isArray,
        scenarios: file.scenarios.map((scenario) => ({ ...scenario, report: driftReport(scenario.input) }))
    };
}

/**
 * Reads and checks a scenario file without planning it.
 *
 * @param option the command-line option that named the file, for the "cannot read" message (`--input`, `--picklists`)
 * @param check the engine's validation to run on each scenario (the plan's by default)
 * @throws CliInputError naming the file and the problem's path
 */
export function readScenarioFile(
    path: string,
    option = '--input',
    check: ScenarioCheck = validatePlanInput
): ScenarioFile {
    const parsed = readJsonFile(path, option);
    const isArray = Array.isArray(parsed);
    const items: unknown[] = isArray ? parsed : [parsed];
    const scenarios = items.map((item, index) => checkScenario(item, isArray ? `scenario[${index}]` : '', path, check));
    return { isArray, scenarios };
}

function readJsonFile(path: string, option: string): unknown {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch (error) {
        throw new CliInputError(`cannot read ${option} "${path}": ${describeFileError(error)}`);
    }
    // Editors on Windows may start a UTF-8 file with a byte order mark; JSON.parse refuses it.
    const source = text.replace(/^\uFEFF/, '');
    if (source.trim() === '') {
        throw new CliInputError(`${path}: empty file (expected a JSON scenario or an array of scenarios)`);
    }
    try {
        return JSON.parse(source);
    } catch (error) {
        throw new CliInputError(`${path}: invalid JSON${describeJsonError(error, source)}`);
    }
}

function describeFileError(error: unknown): string {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    switch (code) {
        case 'ENOENT':
            return 'no such file';
        case 'EISDIR':
            return 'it is a directory, not a file';
        case 'EACCES':
        case 'EPERM':
            return 'permission denied';
        default:
            return error instanceof Error ? error.message : String(error);
    }
}

/**
 * V8's reason with where it happened as a line and column (what an editor shows). Node 20 does not always say
 * where, so the place is found by {@link jsonErrorOffset}.
 */
function describeJsonError(error: unknown, text: string): string {
    const message = error instanceof Error ? error.message : String(error);
    let reason = message.replace(/, .*is not valid JSON$/s, '').replace(/\s*in JSON at position \d+.*$/s, '');
    const offset = jsonErrorOffset(text);
    if (offset === undefined) {
        return `: ${reason}`;
    }
    const character = text.charAt(offset);
    // V8 says "Bad control character in string literal": name the character, and why it could not stand anyway.
    if (CONTROL_CHARACTER.test(character)) {
        const where = /control character/i.test(reason) ? ' inside a string' : '';
        reason = `the control character ${codePointName(character)}${where}; ${NO_CONTROL_CHARACTERS}`;
    }
    const before = text.slice(0, offset).split('\n');
    const column = (before[before.length - 1] ?? '').length + 1;
    return ` at line ${before.length}, column ${column}: ${reason}`;
}

/**
 * The offset of the first JSON syntax error in `text`, or undefined when it is valid JSON. A strict recursive
 * reader of RFC 8259 that only locates errors; JSON.parse still does the parsing.
 */
export function jsonErrorOffset(text: string): number | undefined {
    let at = 0;
    const fail = (): never => {
        throw new RangeError(String(at));
    };
    const space = (): void => {
        while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) {
            at += 1;
        }
    };
    const expect = (token: string): void => {
        if (!text.startsWith(token, at)) {
            fail();
        }
        at += token.length;
    };
    const string = (): void => {
        expect('"');
        for (;;) {
            const character = text.charAt(at);
            if (character === '' || character < ' ') {
                fail();
            }
            at += 1;
            if (character === '"') {
                return;
            }
            if (character === '\\') {
                if (/^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(at, at + 5))) {
                    at += text.charAt(at) === 'u' ? 5 : 1;
                } else {
                    fail();
                }
            }
        }
    };
    const value = (): void => {
        space();
        const character = text.charAt(at);
        if (character === '{') {
            at += 1;
            space();
            if (text.charAt(at) === '}') {
                at += 1;
                return;
            }
            for (;;) {
                space();
                string();
                space();
                expect(':');
                value();
                space();
                if (text.charAt(at) === '}') {
                    at += 1;
                    return;
                }
                expect(',');
            }
        }
        if (character === '[') {
            at += 1;
            space();
            if (text.charAt(at) === ']') {
                at += 1;
                return;
            }
            for (;;) {
                value();
                space();
                if (text.charAt(at) === ']') {
                    at += 1;
                    return;
                }
                expect(',');
            }
        }
        if (character === '"') {
            string();
            return;
        }
        const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
            text.slice(at, at + 400)
        );
        if (!literal) {
            fail();
        }
        at += literal?.[0].length ?? 0;
    };
    try {
        value();
        space();
        if (at < text.length) {
            fail();
        }
        return undefined;
    } catch (error) {
        if (error instanceof RangeError && /^\d+$/.test(error.message)) {
            return Number(error.message);
        }
        throw error;
    }
}

/** Control characters (C0, DEL and C1): Salesforce, the Apex controller and the stage service refuse them in names. */
const CONTROL_CHARACTER = /\p{Cc}/u;
const NO_CONTROL_CHARACTERS = 'picklist values, labels, stage names and ids cannot hold control characters';

/** `U+0000`. */
function codePointName(character: string): string {
    return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Checks one scenario of a file: separates the CLI's optional `id`, forgives what the file format allows (see the
 * module comment), validates the rest with the engine (which refuses control characters) and checks the id.
 *
 * @param path where the scenario is in the file (`scenario[2]`, or '' for a file of one scenario)
 * @param file the file's name, which every message starts with
 * @param check the engine's validation (the plan's by default)
 * @throws CliInputError `<file>: <path>: <problem>`
 */
export function checkScenario(
    item: unknown,
    path: string,
    file: string,
    check: ScenarioCheck = validatePlanInput
): FileScenario {
    let id: string | number | undefined;
    let rest: unknown = item;
    if (typeof item === 'object' && item !== null && !Array.isArray(item) && 'id' in item) {
        const { id: rawId, ...others } = item as Record<string, unknown>;
        if (typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
            throw new CliInputError(`${file}: ${at(path, 'id')}: must be a string or a number`);
        }
        id = rawId;
        rest = others;
    }
    const result = check(forgive(rest), { path });
    if (!result.ok) {
        throw new CliInputError(`${file}: ${result.error}`);
    }
    // The engine refused control and bidi formatting characters in everything it checks; the id is the CLI's own.
    const control = typeof id === 'string' ? CONTROL_CHARACTER.exec(id) : null;
    if (control) {
        throw new CliInputError(
            `${file}: ${at(path, 'id')}: contains the control character ${codePointName(control[0])}; ${NO_CONTROL_CHARACTERS}`
        );
    }
    return { ...(id === undefined ? {} : { id }), input: result.value };
}

function at(path: string, name: string): string {
    return path ? `${path}.${name}` : name;
}

/** Canonical object names by lower case: `lead` → `Lead`, as the org modes read `--object`. */
const OBJECT_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map(
    Object.keys(FAMILY_BY_OBJECT).map((name) => [name.toLowerCase(), name])
);

/**
 * What the file format allows beyond the engine's input, made into the engine's input: missing `stages` and
 * `mappings` are empty, the object's name is canonical whatever its case, and a blank label, of a value or recorded
 * with a mapping, is left out (the engine then uses the value, as for a missing label). Anything else is passed on as
 * it is for the engine to judge.
 */
function forgive(scenario: unknown): unknown {
    if (typeof scenario !== 'object' || scenario === null || Array.isArray(scenario)) {
        return scenario;
    }
    const record: Record<string, unknown> = { ...(scenario as Record<string, unknown>) };
    if (typeof record.object === 'string') {
        record.object = OBJECT_BY_LOWER_CASE.get(record.object.toLowerCase()) ?? record.object;
    }
    record.stages ??= [];
    record.mappings ??= [];
    for (const list of ['values', 'mappings'] as const) {
        const items: unknown = record[list];
        if (Array.isArray(items)) {
            record[list] = items.map(withoutBlankLabel);
        }
    }
    return record;
}

function withoutBlankLabel(item: unknown): unknown {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        return item;
    }
    const { label, ...others } = item as Record<string, unknown>;
    return typeof label === 'string' && stageKey(label) === '' ? others : item;
}
