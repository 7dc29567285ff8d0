/**
 * The automap CLI: plans auto-maps with the one engine the wizard and the stage service use, and reports how a
 * scope's picklist drifted from its mappings.
 *
 *   npm run --silent automap -- plan|drift --input FILE [--format json|table]
 *   npm run --silent automap -- plan|apply|drift --org ALIAS --object OBJECT --field FIELD [--record-type ID]
 *                                                --service URL [--format table|json]
 *   npm run --silent automap -- export --org ALIAS --object OBJECT --field FIELD [--record-type ID]
 *                                      [--output FILE] [--service URL]
 *
 * FILE holds one scenario or a JSON array of scenarios, each
 * `{ "id"?, "object", "field", "values": [{ "value", "label"?, "active"? }], "stages"?: [{ "id", "name" }],
 *    "mappings"?: [{ "value", "stageId" }] }` (`export` writes one from an org).
 * `--format json` (the default) prints only JSON on stdout: `{ "id"?, "outcomes", "suggestions", "summary" }` per
 * scenario, an array of those for an array, in the same order. `--format table` prints a readable table.
 *
 * Exit codes (a stable contract, scripts rely on them): 0 planned; 2 usage or input error (one line on stderr naming
 * the problem and where it is, nothing on stdout); 1 anything unexpected (one line, never a stack trace).
 *
 * `drift` reads the same files (a mapping may carry the `label` its value had when it was mapped) and prints
 * `{ "id"?, "object", "field", "findings" }` per scenario; it exits 0 when every scenario is in sync and 3 when it
 * found drift, so a scheduled job can alert (cli/drift-output.ts).
 *
 * The org modes read the picklist from an org (the Salesforce CLI's login for `--org`, or `SF_INSTANCE_URL` and
 * `SF_ACCESS_TOKEN`) and the scope's stages and mappings from the stage service (`--service`, key in
 * `STAGE_SERVICE_API_KEY`); `apply` then runs the auto-map on the service. Exit codes: 0 done; 2 usage (the
 * command line or the environment variables); 1 a failure talking to the org, the Salesforce CLI or the service
 * (one line saying what and what to do); 3 apply refused because the service's state moved (the fresh plan is
 * printed). See docs/cli.md.
 *
 * Layout: argument parsing ({@link parseArgs}) knows nothing about where scenarios come from; each source is a mode
 * function: {@link planFromInputFile} (cli/input-file.ts), and cli/org/command.ts (loaded only for the org modes,
 * so the `--input` mode never loads jsforce). What is printed is cli/output.ts; errors and exit codes cli/errors.ts.
 */
import { pathToFileURL } from 'node:url';
import { formatDriftJson, formatDriftTable, hasDrift } from './drift-output.ts';
import { CliInputError, CommandFailure, EXIT_DRIFT, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.ts';
import { driftFromInputFile, planFromInputFile } from './input-file.ts';
import { formatJson, formatTable } from './output.ts';
import type { CliIo, OutputFormat } from './output.ts';
import type { ExportRequest, OrgRequest } from './org/types.ts';

export const USAGE = 'automap plan --input FILE [--format json|table]';

/** The org modes' per-request timeout unless `--timeout` says otherwise. */
const DEFAULT_TIMEOUT_SECONDS = 60;

/** The org modes' usage. */
export const ORG_USAGE =
    'automap plan|apply --org ALIAS --object OBJECT --field FIELD [--record-type ID] --service URL [--format table|json]';

/** `export`'s usage. */
export const EXPORT_USAGE =
    'automap export --org ALIAS --object OBJECT --field FIELD [--record-type ID] [--output FILE] [--service URL]';

/** Both modes, for errors that could belong to either. */
const ANY_USAGE = `${USAGE}, or ${ORG_USAGE}`;

/** `drift`'s usage, from a file and from an org. */
export const DRIFT_USAGE = 'automap drift --input FILE [--format json|table]';
export const DRIFT_ORG_USAGE =
    'automap drift --org ALIAS --object OBJECT --field FIELD [--record-type ID] --service URL [--format table|json]';
const DRIFT_ANY_USAGE = `${DRIFT_USAGE}, or ${DRIFT_ORG_USAGE}`;

const HELP = `Plans which Salesforce picklist values map to which stages, and which stages to create.

Usage:
  ${USAGE}
  automap plan|apply --org ALIAS --object OBJECT --field FIELD [--record-type ID] --service URL
                     [--format table|json] [--idempotency-key KEY] [--expected-version N] [--timeout SECONDS]
  ${EXPORT_USAGE}
  ${DRIFT_USAGE}
  automap drift --org ALIAS --object OBJECT --field FIELD [--record-type ID] --service URL [--format table|json]

From a file:
  --input FILE     a JSON scenario, or an array of scenarios:
                   { "id"?, "object": "Lead|Contact|Account", "field", "values": [{ "value", "label"?, "active"? }],
                     "stages"?: [{ "id", "name" }], "mappings"?: [{ "value", "stageId", "label"? }] }
                   (object in any case; a missing or blank label is the value; no stages or mappings: none)
  --format FORMAT  json (default: only JSON on stdout) or table (readable)

From an org and a stage service (plan: read and plan, change nothing; apply: run the auto-map on the service):
  --org ALIAS            the Salesforce CLI's alias or username for the org; without it, SF_INSTANCE_URL and
                         SF_ACCESS_TOKEN are used
  --object OBJECT        Contact, Lead or Account
  --field FIELD          the picklist field's API name, e.g. Status
  --record-type ID       only the values of this record type (default: every value of the field, through the
                         master record type)
  --service URL          the stage service's base URL (default: STAGE_SERVICE_URL)
  --format FORMAT        table (default) or json
  --idempotency-key KEY  apply: the key printed by an earlier attempt, to retry it without applying twice
  --expected-version N   apply: apply only if the service's state version is still N (printed by plan)
  --timeout SECONDS      per request (default ${DEFAULT_TIMEOUT_SECONDS})
  Environment: STAGE_SERVICE_API_KEY (required), SF_CLI_BIN (the sf executable), SF_INSTANCE_URL, SF_ACCESS_TOKEN.

Export a field's values as a file for --input or the local preview (npm start -- --picklists FILE):
  --org, --object, --field, --timeout   as above
  --record-type ID       narrow to that record type's values (default: every value of the field, the master
                         record type's)
  --output FILE          write the file there (default: print it on stdout)
  --service URL          also write the scope's stages and mappings from the stage service (STAGE_SERVICE_API_KEY);
                         without it, "stages": [] and no mappings

Drift: how the picklist moved since its values were mapped (renamed, removed, deactivated, relabelled and new
values), one finding per value with a reason and whether a safe fix exists. From a file (a mapping's "label" is the
label its value had when it was mapped; without it, the value stands for it) or from an org and a stage service,
with the options above (--format: json by default from a file, table from an org).

  --help                 this text

Exit codes: 0 done (drift: in sync), 2 usage or input error, 1 unexpected error or a failure talking to the org or
the service, 3 apply refused because the service's state changed (the fresh plan is printed), or drift found (the
findings are printed). See docs/cli.md.
`;

// ---------------------------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------------------------

const FORMATS: readonly OutputFormat[] = ['json', 'table'];

/** What the command line asks for: help, a plan or drift from a file, or a plan, apply or drift against an org. */
export type CliRequest =
    | { command: 'help' }
    | { command: 'plan' | 'drift'; source: { kind: 'input-file'; path: string }; format: OutputFormat }
    | OrgRequest
    | ExportRequest;

type OptionTable = Readonly<Record<string, { takesValue: boolean }>>;

/** The options of the `--input` mode, and whether they take a value. */
const OPTIONS: OptionTable = {
    '--input': { takesValue: true },
    '--format': { takesValue: true },
    '--help': { takesValue: false }
};

/** The options only the org modes know. */
const ORG_OPTIONS: OptionTable = {
    '--org': { takesValue: true },
    '--object': { takesValue: true },
    '--field': { takesValue: true },
    '--record-type': { takesValue: true },
    '--service': { takesValue: true },
    '--idempotency-key': { takesValue: true },
    '--expected-version': { takesValue: true },
    '--timeout': { takesValue: true },
    '--output': { takesValue: true }
};

const ALL_OPTIONS: OptionTable = { ...OPTIONS, ...ORG_OPTIONS };

function usageError(problem: string, usage = USAGE): CliInputError {
    return new CliInputError(`${problem} (usage: ${usage})`);
}

/** Splits the command line into the command, `--name value` / `--name=value` options and nothing else. */
function readOptions(
    argv: readonly string[],
    table: OptionTable = OPTIONS,
    usage = USAGE
): { positionals: string[]; options: Map<string, string | true> } {
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
            throw usageError(`unknown option "${argument}"`, usage);
        }
        const equals = argument.indexOf('=');
        const name = equals < 0 ? argument : argument.slice(0, equals);
        const spec = table[name];
        if (!spec) {
            throw usageError(`unknown option "${name}"`, usage);
        }
        if (options.has(name)) {
            throw usageError(`option ${name} is given twice`, usage);
        }
        if (!spec.takesValue) {
            if (equals >= 0) {
                throw usageError(`option ${name} takes no value`, usage);
            }
            options.set(name, true);
            continue;
        }
        const value = equals >= 0 ? argument.slice(equals + 1) : argv[i + 1];
        if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) {
            throw usageError(`option ${name} needs a value`, usage);
        }
        if (equals < 0) {
            i += 1;
        }
        options.set(name, value);
    }
    return { positionals, options };
}

/**
 * Reads the command line (without the node and script paths). With `--input` the command line is read exactly as
 * the `--input` mode always read it (the org options are unknown there); otherwise the org options are known too.
 *
 * @param env the environment the org modes read (`STAGE_SERVICE_API_KEY`, `SF_INSTANCE_URL`, ...)
 * @throws CliInputError for an unknown command or option, a missing value, a missing `--input`, or an org mode
 *   without what it needs.
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliRequest {
    const inputMode = argv.some((argument) => argument === '--input' || argument.startsWith('--input='));
    // The command comes first; its usage is the one an error names.
    const drift = argv[0] === 'drift';
    const { positionals, options } = inputMode
        ? readOptions(argv, OPTIONS, drift ? DRIFT_USAGE : USAGE)
        : readOptions(argv, ALL_OPTIONS, argv.length === 0 ? USAGE : drift ? DRIFT_ANY_USAGE : ANY_USAGE);
    if (options.has('--help')) {
        return { command: 'help' };
    }
    if (!inputMode && positionals[0] === 'export') {
        return parseExportArgs(positionals, options, env);
    }
    const orgOption = [...options.keys()].some((name) => name in ORG_OPTIONS);
    if (!inputMode && (orgOption || positionals[0] === 'apply')) {
        return parseOrgArgs(positionals, options, env);
    }
    const [command, ...extra] = positionals;
    if (command === undefined) {
        throw usageError('missing command', options.size === 0 ? USAGE : ANY_USAGE);
    }
    if (command !== 'plan' && command !== 'drift') {
        throw usageError(`unknown command "${command}"`);
    }
    const usage = command === 'drift' ? DRIFT_USAGE : USAGE;
    if (extra.length > 0) {
        throw usageError(`unexpected argument "${extra[0] ?? ''}"`, usage);
    }
    const format = options.get('--format') ?? 'json';
    if (!FORMATS.includes(format as OutputFormat)) {
        throw usageError(`--format must be json or table, not "${String(format)}"`, usage);
    }
    const input = options.get('--input');
    if (typeof input !== 'string') {
        throw usageError(
            command === 'drift'
                ? 'drift needs --input FILE, or --object, --field and --service to read an org'
                : 'plan needs --input FILE',
            command === 'drift' ? DRIFT_ANY_USAGE : ANY_USAGE
        );
    }
    return { command, source: { kind: 'input-file', path: input }, format: format as OutputFormat };
}

// ---------------------------------------------------------------------------------------------------------------
// The org modes' command line and environment
// ---------------------------------------------------------------------------------------------------------------

/** The objects the stage service maps, by lower-case name (the Apex controller's allow-list). */
const ORG_OBJECTS: Readonly<Record<string, string>> = { contact: 'Contact', lead: 'Lead', account: 'Account' };
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const RECORD_TYPE_ID = /^012[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
/** The service's Idempotency-Key pattern: 1 to 255 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

function orgUsageError(problem: string): CliInputError {
    return usageError(problem, ORG_USAGE);
}

function driftOrgUsageError(problem: string): CliInputError {
    return usageError(problem, DRIFT_ORG_USAGE);
}

function parseOrgArgs(
    positionals: readonly string[],
    options: ReadonlyMap<string, string | true>,
    env: NodeJS.ProcessEnv
): OrgRequest {
    const [command, ...extra] = positionals;
    if (command === undefined) {
        throw orgUsageError('missing command (plan or apply)');
    }
    if (command !== 'plan' && command !== 'apply' && command !== 'drift') {
        throw orgUsageError(`unknown command "${command}"`);
    }
    const fail = command === 'drift' ? driftOrgUsageError : orgUsageError;
    if (extra.length > 0) {
        throw fail(`unexpected argument "${extra[0] ?? ''}"`);
    }
    const value = (name: string): string | undefined => {
        const option = options.get(name);
        return typeof option === 'string' ? option : undefined;
    };
    const format = value('--format') ?? 'table';
    if (!FORMATS.includes(format as OutputFormat)) {
        throw fail(`--format must be table or json, not "${format}"`);
    }
    if (options.has('--output')) {
        throw fail(
            command === 'drift'
                ? '--output is for export; drift prints what it finds'
                : '--output is for export; plan and apply print what they do'
        );
    }
    const { object, field, recordTypeId } = readScopeOptions(command, value, fail);
    for (const name of ['--idempotency-key', '--expected-version']) {
        if (command !== 'apply' && options.has(name)) {
            throw fail(`${name} is for apply; ${command} changes nothing`);
        }
    }
    const idempotencyKey = value('--idempotency-key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw orgUsageError('--idempotency-key must be 1 to 255 visible ASCII characters (the key an apply printed)');
    }
    const expectedVersion = readNumber(value('--expected-version'), '--expected-version', { integer: true, min: 0 });
    const timeout = readTimeout(value('--timeout'), fail);
    return {
        command,
        source: {
            kind: 'org',
            auth: readOrgAuth(value('--org'), env, fail),
            object,
            field,
            ...(recordTypeId === undefined ? {} : { recordTypeId })
        },
        service: readService(value('--service'), env, fail),
        format: format as OutputFormat,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
        timeoutMs: timeout
    };
}

type OptionValue = (name: string) => string | undefined;
type UsageError = (problem: string) => CliInputError;

/** `--object`, `--field` and `--record-type`, as plan, apply and export read them. */
function readScopeOptions(
    command: string,
    value: OptionValue,
    fail: UsageError
): { object: string; field: string; recordTypeId?: string } {
    const objectOption = value('--object');
    if (objectOption === undefined) {
        throw fail(`${command} needs --object (Contact, Lead or Account)`);
    }
    const object = ORG_OBJECTS[objectOption.toLowerCase()];
    if (object === undefined) {
        throw fail(
            `--object must be Contact, Lead or Account (the objects the stage service maps), not "${objectOption}"`
        );
    }
    const field = value('--field');
    if (field === undefined) {
        throw fail(`${command} needs --field (the picklist field's API name, e.g. Status)`);
    }
    if (!FIELD_NAME.test(field)) {
        throw fail(`--field must be a field API name (letters, digits and _), not "${field}"`);
    }
    const recordTypeId = value('--record-type');
    if (recordTypeId !== undefined && !RECORD_TYPE_ID.test(recordTypeId)) {
        throw fail(`--record-type must be a record type id (012..., 15 or 18 characters), not "${recordTypeId}"`);
    }
    return { object, field, ...(recordTypeId === undefined ? {} : { recordTypeId }) };
}

/** `--timeout SECONDS` in milliseconds. */
function readTimeout(text: string | undefined, fail: UsageError): number {
    const seconds = readNumber(text, '--timeout', { min: 1, max: 600 }, fail) ?? DEFAULT_TIMEOUT_SECONDS;
    return Math.round(seconds * 1000);
}

function exportUsageError(problem: string): CliInputError {
    return usageError(problem, EXPORT_USAGE);
}

/** `export`: the org options, `--output`, and `--service` only when given (never STAGE_SERVICE_URL's). */
function parseExportArgs(
    positionals: readonly string[],
    options: ReadonlyMap<string, string | true>,
    env: NodeJS.ProcessEnv
): ExportRequest {
    const extra = positionals.slice(1);
    if (extra.length > 0) {
        throw exportUsageError(`unexpected argument "${extra[0] ?? ''}"`);
    }
    for (const [name, why] of [
        ['--format', 'export writes JSON'],
        ['--idempotency-key', 'it is for apply'],
        ['--expected-version', 'it is for apply']
    ] as const) {
        if (options.has(name)) {
            throw exportUsageError(`export takes no ${name}: ${why}`);
        }
    }
    const value: OptionValue = (name) => {
        const option = options.get(name);
        return typeof option === 'string' ? option : undefined;
    };
    const scope = readScopeOptions('export', value, exportUsageError);
    const alias = value('--org');
    const auth = readOrgAuth(alias, env, exportUsageError);
    const serviceOption = value('--service');
    const output = value('--output');
    return {
        command: 'export',
        source: { kind: 'org', auth, ...scope },
        orgName: auth.kind === 'env' ? new URL(auth.instanceUrl).host : auth.alias,
        ...(serviceOption === undefined ? {} : { service: readService(serviceOption, env, exportUsageError) }),
        ...(output === undefined ? {} : { output }),
        timeoutMs: readTimeout(value('--timeout'), exportUsageError)
    };
}

function readNumber(
    text: string | undefined,
    name: string,
    bounds: { integer?: boolean; min: number; max?: number },
    fail: UsageError = orgUsageError
): number | undefined {
    if (text === undefined) {
        return undefined;
    }
    const number = Number(text);
    const wrong =
        text.trim() === '' ||
        !Number.isFinite(number) ||
        (bounds.integer === true && !Number.isInteger(number)) ||
        number < bounds.min ||
        (bounds.max !== undefined && number > bounds.max);
    if (wrong) {
        const range = bounds.max === undefined ? `${bounds.min} or more` : `${bounds.min} to ${bounds.max}`;
        throw fail(`${name} must be ${bounds.integer ? 'a whole number' : 'a number'} ${range}, not "${text}"`);
    }
    return number;
}

function readOrgAuth(
    alias: string | undefined,
    env: NodeJS.ProcessEnv,
    fail: UsageError = orgUsageError
): OrgRequest['source']['auth'] {
    if (alias !== undefined) {
        const sfBin = env.SF_CLI_BIN?.trim();
        return { kind: 'sf-alias', alias, ...(sfBin ? { sfBin } : {}) };
    }
    const instanceUrl = env.SF_INSTANCE_URL?.trim() ?? '';
    const accessToken = env.SF_ACCESS_TOKEN?.trim() ?? '';
    if (instanceUrl === '' && accessToken === '') {
        throw fail(
            'which org? Pass --org ALIAS (a Salesforce CLI alias or username), or set SF_INSTANCE_URL and SF_ACCESS_TOKEN'
        );
    }
    if (accessToken === '') {
        throw fail('SF_INSTANCE_URL is set but SF_ACCESS_TOKEN is not: set both, or pass --org ALIAS');
    }
    if (instanceUrl === '') {
        throw fail('SF_ACCESS_TOKEN is set but SF_INSTANCE_URL is not: set both, or pass --org ALIAS');
    }
    const url = readHttpUrl(instanceUrl);
    if (url === undefined) {
        throw fail(
            `SF_INSTANCE_URL must be an http(s) URL such as https://example.my.salesforce.com, not "${instanceUrl}"`
        );
    }
    return { kind: 'env', instanceUrl: url, accessToken };
}

function readService(
    option: string | undefined,
    env: NodeJS.ProcessEnv,
    fail: UsageError = orgUsageError
): OrgRequest['service'] {
    const given = option ?? (env.STAGE_SERVICE_URL?.trim() || undefined);
    if (given === undefined) {
        throw fail('missing --service URL (the stage service, e.g. http://localhost:4318; or set STAGE_SERVICE_URL)');
    }
    const url = readHttpUrl(given);
    if (url === undefined) {
        throw fail(`--service must be an http(s) URL such as http://localhost:4318, not "${given}"`);
    }
    const apiKey = env.STAGE_SERVICE_API_KEY?.trim() ?? '';
    if (apiKey === '') {
        throw fail('STAGE_SERVICE_API_KEY is not set: export the stage service API key first');
    }
    // The service's paths start with /v1; a base URL given with it works too.
    return { url: url.replace(/\/v1$/, ''), apiKey };
}

/** An http(s) URL without query, fragment or trailing slash, or undefined. */
function readHttpUrl(text: string): string | undefined {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return undefined;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
        return undefined;
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

const PROCESS_IO: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text)
};

/** Runs the CLI and resolves to its exit code. Never rejects, never prints a stack trace. */
export async function runCli(
    argv: readonly string[],
    io: CliIo = PROCESS_IO,
    env: NodeJS.ProcessEnv = process.env
): Promise<number> {
    try {
        const request = parseArgs(argv, env);
        if (request.command === 'help') {
            io.out(HELP);
            return EXIT_OK;
        }
        if (request.command === 'export') {
            // Loaded only here, as the org modes are: the --input mode never pays for jsforce.
            const { runExport } = await import('./org/export.ts');
            return await runExport(request, io, env);
        }
        if (request.source.kind === 'org') {
            // Loaded only here: the --input mode never pays for jsforce.
            const { runOrgCommand } = await import('./org/command.ts');
            return await runOrgCommand(request as OrgRequest, io, env);
        }
        if (request.command === 'drift') {
            const reported = driftFromInputFile(request.source.path);
            io.out(request.format === 'json' ? formatDriftJson(reported) : formatDriftTable(reported));
            return hasDrift(reported) ? EXIT_DRIFT : EXIT_OK;
        }
        const planned = planFromInputFile(request.source.path);
        io.out(request.format === 'json' ? formatJson(planned) : formatTable(planned));
        return EXIT_OK;
    } catch (error) {
        if (error instanceof CliInputError) {
            io.err(`automap: ${oneLine(error.message)}\n`);
            return EXIT_USAGE;
        }
        if (error instanceof CommandFailure) {
            io.err(`automap: ${oneLine(error.message)}\n`);
            return error.exitCode;
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
    void runCli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
        // A request still open after a timeout must not keep the process alive: exit once the output is written.
        process.stdout.write('', () => {
            process.stderr.write('', () => process.exit(code));
        });
    });
}
