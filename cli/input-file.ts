/**
 * The `--input FILE` mode: scenarios from a JSON file, checked with the engine's own validation (so the CLI and the
 * stage service refuse the same things) and planned.
 */
import { readFileSync } from 'node:fs';
import { planAutoMap, validatePlanInput } from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { PlanInput } from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { CliInputError } from './errors.ts';
import type { PlannedFile } from './output.ts';

/**
 * The `--input FILE` mode: reads, validates (with the engine's own validation, so the CLI and the service refuse
 * the same things) and plans every scenario.
 *
 * @throws CliInputError naming the file and the problem's path, e.g. `scenario[2].values[5].value: duplicate value`.
 */
export function planFromInputFile(path: string): PlannedFile {
    const parsed = readJsonFile(path);
    const isArray = Array.isArray(parsed);
    const items: unknown[] = isArray ? parsed : [parsed];
    const scenarios = items.map((item, index) => {
        const { id, input } = readScenario(item, isArray ? `scenario[${index}]` : '', path);
        return { ...(id === undefined ? {} : { id }), input, plan: planAutoMap(input) };
    });
    return { isArray, scenarios };
}

function readJsonFile(path: string): unknown {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch (error) {
        throw new CliInputError(`cannot read --input "${path}": ${describeFileError(error)}`);
    }
    // Editors on Windows may start a UTF-8 file with a byte order mark; JSON.parse refuses it.
    const source = text.replace(/^\uFEFF/, '');
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
    const reason = message.replace(/, .*is not valid JSON$/s, '').replace(/\s*in JSON at position \d+.*$/s, '');
    const offset = jsonErrorOffset(text);
    if (offset === undefined) {
        return `: ${reason}`;
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

/** Separates the CLI's optional `id` from the engine's scenario, then validates the rest. */
function readScenario(item: unknown, path: string, file: string): { id?: string | number; input: PlanInput } {
    let id: string | number | undefined;
    let rest: unknown = item;
    if (typeof item === 'object' && item !== null && !Array.isArray(item) && 'id' in item) {
        const { id: rawId, ...others } = item as Record<string, unknown>;
        if (typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
            throw new CliInputError(`${file}: ${path ? `${path}.id` : 'id'}: must be a string or a number`);
        }
        id = rawId;
        rest = others;
    }
    const result = validatePlanInput(rest, { path });
    if (!result.ok) {
        throw new CliInputError(`${file}: ${result.error}`);
    }
    return { ...(id === undefined ? {} : { id }), input: result.value };
}
