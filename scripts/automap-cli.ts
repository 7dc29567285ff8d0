/**
 * The automap CLI: plans auto-maps with the one engine the wizard and the stage service use.
 *
 *   npm run --silent automap -- plan --input FILE [--format json|table]
 *
 * FILE holds one scenario or a JSON array of scenarios, each
 * `{ "id"?, "object", "field", "values": [{ "value", "label"?, "active"? }], "stages": [{ "id", "name" }],
 *    "mappings": [{ "value", "stageId" }] }`.
 * `--format json` (the default) prints only JSON on stdout: `{ "id"?, "outcomes", "suggestions", "summary" }` per
 * scenario, an array of those for an array, in the same order. `--format table` prints a readable table.
 *
 * Exit codes (a stable contract, scripts rely on them): 0 planned; 2 usage or input error (one line on stderr naming
 * the problem and where it is, nothing on stdout); 1 anything unexpected (one line, never a stack trace).
 *
 * Layout: argument parsing ({@link parseArgs}) knows nothing about where scenarios come from; each source is a mode
 * function ({@link planFromInputFile} today). Reading a scope from an org and applying through the service
 * (`--org`, `--object`, `--field`, `--service`) are further modes and options on the same skeleton.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
    OUTCOME_KINDS,
    planAutoMap,
    validatePlanInput
} from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type {
    OutcomeKind,
    Plan,
    PlanInput,
    PlanSummary,
    PlannedOutcome,
    Suggestion
} from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const USAGE = 'automap plan --input FILE [--format json|table]';

const HELP = `Plans which Salesforce picklist values map to which stages, and which stages to create.

Usage:
  ${USAGE}

Options:
  --input FILE     a JSON scenario, or an array of scenarios:
                   { "id"?, "object": "Lead|Contact|Account", "field", "values": [{ "value", "label"?, "active"? }],
                     "stages": [{ "id", "name" }], "mappings": [{ "value", "stageId" }] }
  --format FORMAT  json (default: only JSON on stdout) or table (readable)
  --help           this text

Exit codes: 0 planned, 2 usage or input error, 1 unexpected error.
`;

// ---------------------------------------------------------------------------------------------------------------
// Errors: what the admin did wrong (exit 2) versus what went wrong (exit 1)
// ---------------------------------------------------------------------------------------------------------------

/** A bad command line or a bad input file: the message says what to fix. Exit code 2. */
export class CliInputError extends Error {
    override name = 'CliInputError';
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------------------------

export type OutputFormat = 'json' | 'table';
const FORMATS: readonly OutputFormat[] = ['json', 'table'];

/** What the command line asks for. New modes add members (e.g. `{ command: 'apply'; org; object; field; service }`). */
export type CliRequest =
    { command: 'help' } | { command: 'plan'; source: { kind: 'input-file'; path: string }; format: OutputFormat };

/** The options each command accepts, and whether they take a value. New modes extend this table. */
const OPTIONS: Readonly<Record<string, { takesValue: boolean }>> = {
    '--input': { takesValue: true },
    '--format': { takesValue: true },
    '--help': { takesValue: false }
};

function usageError(problem: string): CliInputError {
    return new CliInputError(`${problem} (usage: ${USAGE})`);
}

/** Splits the command line into the command, `--name value` / `--name=value` options and nothing else. */
function readOptions(argv: readonly string[]): { positionals: string[]; options: Map<string, string | true> } {
    const positionals: string[] = [];
    const options = new Map<string, string | true>();
    for (let i = 0; i < argv.length; i += 1) {
        const argument = argv[i] ?? '';
        if (argument === '-h') {
            options.set('--help', true);
            continue;
        }
        if (!argument.startsWith('-') || argument === '-') {
            positionals.push(argument);
            continue;
        }
        if (!argument.startsWith('--')) {
            throw usageError(`unknown option "${argument}"`);
        }
        const equals = argument.indexOf('=');
        const name = equals < 0 ? argument : argument.slice(0, equals);
        const spec = OPTIONS[name];
        if (!spec) {
            throw usageError(`unknown option "${name}"`);
        }
        if (options.has(name)) {
            throw usageError(`option ${name} is given twice`);
        }
        if (!spec.takesValue) {
            if (equals >= 0) {
                throw usageError(`option ${name} takes no value`);
            }
            options.set(name, true);
            continue;
        }
        const value = equals >= 0 ? argument.slice(equals + 1) : argv[i + 1];
        if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) {
            throw usageError(`option ${name} needs a value`);
        }
        if (equals < 0) {
            i += 1;
        }
        options.set(name, value);
    }
    return { positionals, options };
}

/**
 * Reads the command line (without the node and script paths).
 *
 * @throws CliInputError for an unknown command or option, a missing value, or a missing `--input`.
 */
export function parseArgs(argv: readonly string[]): CliRequest {
    const { positionals, options } = readOptions(argv);
    if (options.has('--help')) {
        return { command: 'help' };
    }
    const [command, ...extra] = positionals;
    if (command === undefined) {
        throw usageError('missing command');
    }
    if (command !== 'plan') {
        throw usageError(`unknown command "${command}"`);
    }
    if (extra.length > 0) {
        throw usageError(`unexpected argument "${extra[0] ?? ''}"`);
    }
    const format = options.get('--format') ?? 'json';
    if (!FORMATS.includes(format as OutputFormat)) {
        throw usageError(`--format must be json or table, not "${String(format)}"`);
    }
    const input = options.get('--input');
    if (typeof input !== 'string') {
        throw usageError('plan needs --input FILE');
    }
    return { command: 'plan', source: { kind: 'input-file', path: input }, format: format as OutputFormat };
}

// ---------------------------------------------------------------------------------------------------------------
// The --input mode: scenarios from a JSON file
// ---------------------------------------------------------------------------------------------------------------

/** One scenario's plan as the CLI contract prints it. */
export interface ScenarioResult {
    id?: string | number;
    outcomes: CliOutcome[];
    suggestions: Suggestion[];
    summary: PlanSummary;
}

/** An outcome as the CLI contract prints it: exactly these fields, `stageId`/`stageName` only for their kinds. */
export interface CliOutcome {
    value: string;
    outcome: OutcomeKind;
    stageId?: string;
    stageName?: string;
    reason: string;
}

/** What a file held: one scenario or an array, and the plans, for printing. */
export interface PlannedFile {
    isArray: boolean;
    scenarios: { id?: string | number; input: PlanInput; plan: Plan }[];
}

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

// ---------------------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------------------

/** The contract's projection of an engine outcome (the engine carries more, for the wizard and the service). */
export function toCliOutcome(outcome: PlannedOutcome): CliOutcome {
    const withStageId = outcome.outcome === 'already-mapped' || outcome.outcome === 'map-existing';
    const withStageName =
        outcome.outcome === 'map-existing' ||
        outcome.outcome === 'create-and-map' ||
        outcome.outcome === 'skip-stage-taken';
    return {
        value: outcome.value,
        outcome: outcome.outcome,
        ...(withStageId && outcome.stageId !== undefined ? { stageId: outcome.stageId } : {}),
        ...(withStageName && outcome.stageName !== undefined ? { stageName: outcome.stageName } : {}),
        reason: outcome.reason
    };
}

export function toScenarioResult(scenario: PlannedFile['scenarios'][number]): ScenarioResult {
    return {
        ...(scenario.id === undefined ? {} : { id: scenario.id }),
        outcomes: scenario.plan.outcomes.map(toCliOutcome),
        suggestions: scenario.plan.suggestions,
        summary: scenario.plan.summary
    };
}

export function formatJson(file: PlannedFile): string {
    const results = file.scenarios.map(toScenarioResult);
    return `${JSON.stringify(file.isArray ? results : results[0], null, 2)}\n`;
}

/** "8 values: 1 already-mapped, 2 map-existing, ..." — every kind, in the documented order. */
export function summaryLine(summary: PlanSummary): string {
    const counts = OUTCOME_KINDS.map((kind) => `${summary.counts[kind]} ${kind}`).join(', ');
    return `${summary.total} value${summary.total === 1 ? '' : 's'}: ${counts}`;
}

const WIDE =
    /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const ZERO_WIDTH = /[\p{M}\u200b-\u200f\ufeff]/u;
const CONTROL = /\p{Cc}/gu;
const MAX_CELL_WIDTH = 40;

/** Columns a terminal gives a character: East Asian wide characters take two, combining marks none. */
function displayWidth(text: string): number {
    let width = 0;
    for (const character of text) {
        width += ZERO_WIDTH.test(character) ? 0 : WIDE.test(character) ? 2 : 1;
    }
    return width;
}

/** Control characters shown as spaces (a tab or new line in a name must not break the table), long cells cut. */
function cell(text: string, maxWidth = MAX_CELL_WIDTH): string {
    const clean = text.replace(CONTROL, ' ');
    if (displayWidth(clean) <= maxWidth) {
        return clean;
    }
    let cut = '';
    for (const character of clean) {
        if (displayWidth(cut + character) > maxWidth - 1) {
            break;
        }
        cut += character;
    }
    return `${cut}…`;
}

function pad(text: string, width: number): string {
    return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function stageCell(outcome: PlannedOutcome): string {
    if (outcome.outcome === 'create-and-map') {
        return `+ ${outcome.stageName ?? ''} (new)`;
    }
    if (outcome.outcome === 'skip-ambiguous') {
        return (outcome.candidates ?? []).map((stage) => stage.name).join(' | ');
    }
    return outcome.stageName ?? outcome.stageId ?? '';
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
    const widths = header.map((title, column) =>
        Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[column] ?? '')))
    );
    const line = (row: readonly string[]): string =>
        row
            .map((text, column) => (column === row.length - 1 ? text : pad(text, widths[column] ?? 0)))
            .join('  ')
            .trimEnd();
    const rule = header.map((title, column) =>
        '-'.repeat(column === header.length - 1 ? displayWidth(title) : (widths[column] ?? 0))
    );
    return [line(header), line(rule), ...rows.map(line)];
}

function scenarioTitle(scenario: PlannedFile['scenarios'][number], index: number, isArray: boolean): string {
    const { object, field, family } = scenario.plan;
    const name =
        scenario.id !== undefined
            ? ` (scenario ${JSON.stringify(scenario.id)})`
            : isArray
              ? ` (scenario ${index + 1})`
              : '';
    return `${object}.${field} → ${family} stages${name}`;
}

export function formatTable(file: PlannedFile): string {
    if (file.scenarios.length === 0) {
        return 'No scenarios.\n';
    }
    const blocks = file.scenarios.map((scenario, index) => {
        const rows = scenario.plan.outcomes.map((outcome) => [
            cell(outcome.value),
            outcome.outcome,
            cell(stageCell(outcome)),
            outcome.reason.replace(CONTROL, ' ')
        ]);
        const lines = [
            scenarioTitle(scenario, index, file.isArray),
            '',
            ...table(['VALUE', 'OUTCOME', 'STAGE', 'REASON'], rows)
        ];
        if (scenario.plan.suggestions.length > 0) {
            lines.push('', 'Suggestions (confirm by hand):');
            for (const suggestion of scenario.plan.suggestions) {
                lines.push(
                    `  ${cell(suggestion.value)} → ${cell(suggestion.stageName)} (${suggestion.stageId}, score ${suggestion.score}): ${suggestion.why.replace(CONTROL, ' ')}`
                );
            }
        }
        lines.push('', `Summary: ${summaryLine(scenario.plan.summary)}`);
        return lines.join('\n');
    });
    return `${blocks.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

/** Where the CLI writes; tests and other scripts can capture it. */
export interface CliIo {
    out: (text: string) => void;
    err: (text: string) => void;
}

const PROCESS_IO: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text)
};

/** Runs the CLI and returns its exit code. Never throws, never prints a stack trace. */
export function runCli(argv: readonly string[], io: CliIo = PROCESS_IO): number {
    try {
        const request = parseArgs(argv);
        if (request.command === 'help') {
            io.out(HELP);
            return EXIT_OK;
        }
        const planned = planFromInputFile(request.source.path);
        io.out(request.format === 'json' ? formatJson(planned) : formatTable(planned));
        return EXIT_OK;
    } catch (error) {
        if (error instanceof CliInputError) {
            io.err(`automap: ${oneLine(error.message)}\n`);
            return EXIT_USAGE;
        }
        const message = error instanceof Error ? error.message : String(error);
        io.err(`automap: unexpected error: ${oneLine(message)}\n`);
        return EXIT_FAILURE;
    }
}

function oneLine(text: string): string {
    return text.replace(/\s*\n\s*/g, ' ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    // `automap plan ... | head` closes the pipe early: that is the reader's choice, not an error to report.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') {
            process.exit(process.exitCode ?? EXIT_OK);
        }
        process.stderr.write(`automap: cannot write the output: ${error.message}\n`);
        process.exit(EXIT_FAILURE);
    });
    process.exitCode = runCli(process.argv.slice(2));
}
