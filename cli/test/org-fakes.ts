/**
 * The org modes' test doubles, shared by automap-org-cli.test.ts (plan and apply) and automap-export.test.ts
 * (export, and the local preview started from an exported file): a local HTTP fake of Salesforce's UI API serving
 * recorded responses (cli/test/fixtures/ui-api/) for two orgs, a small fake `sf` (SF_CLI_BIN) answering as the
 * Salesforce CLI does, the real stage service started in the test process on a temporary SQLite database, and the
 * CLI run as a child process the way an admin runs it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore, silentLogger, startService } from '../../service/src/index.ts';
import type { RunningService, SqlStore } from '../../service/src/index.ts';
import type { TestResources } from '../../scripts/lib/test-resources.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'cli/test/fixtures/ui-api');

export const GOOD_TOKEN = '00D5g000004FakeEAC!AQ0AQFakeAccessTokenForTheLocalFakeOfSalesforce';
/** A second org of the fake: Contact with a custom status picklist whose API names differ from its labels. */
export const GLOBEX_TOKEN = '00D5g000009GlbxEAC!AQ0AQSecondOrgTokenForTheLocalFakeOfSalesforce';
export const EXPIRED_TOKEN = '00D5g000004FakeEAC!AQ0AQExpiredSessionToken';
export const INBOUND = '0125g000000InBdAAE';
export const PARTNER = '0125g000000PaRtAAE';
export const MASTER = '012000000000000AAA';
export const USER = { id: '0055g00000AdaAdAAB', name: 'Zoë Ångström', username: 'zoe.angstrom@acme.example' };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function fixture(name: string): string {
    return readFileSync(join(FIXTURES, name), 'utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// A local HTTP fake of Salesforce's UI API and userinfo endpoint, serving recorded responses
// ---------------------------------------------------------------------------------------------------------------

export interface SeenRequest {
    method: string;
    path: string;
    authorization: string | undefined;
}

export const UI_API = '/services/data/v66.0/ui-api';

/** Path → fixture file. Anything else is Salesforce's 404 NOT_FOUND, as for an unknown object or API version. */
const ROUTES: Readonly<Record<string, string>> = {
    [`${UI_API}/object-info/Lead`]: 'Lead-object-info.json',
    [`${UI_API}/object-info/Lead/picklist-values/${INBOUND}/Status`]: 'Lead-picklist-values-Inbound-Status.json',
    [`${UI_API}/object-info/Lead/picklist-values/${PARTNER}/Status`]:
        'Lead-picklist-values-PartnerReferral-Status.json',
    // The master record type: every active value of the field (what `export` reads by default).
    [`${UI_API}/object-info/Lead/picklist-values/${MASTER}/Status`]: 'Lead-picklist-values-Master-Status.json',
    [`${UI_API}/object-info/Account`]: 'Account-object-info.json',
    [`${UI_API}/object-info/Account/picklist-values/${MASTER}/Type`]: 'Account-picklist-values-Master-Type.json',
    '/services/oauth2/userinfo': 'userinfo.json'
};

/** The second org's paths (GLOBEX_TOKEN): no Lead or Account, a Contact without record types. */
const GLOBEX_ROUTES: Readonly<Record<string, string>> = {
    [`${UI_API}/object-info/Contact`]: 'Contact-object-info.json',
    [`${UI_API}/object-info/Contact/picklist-values/${MASTER}/Contact_Status__c`]:
        'Contact-picklist-values-Master-Contact_Status__c.json',
    '/services/oauth2/userinfo': 'userinfo.json'
};

/** Each org's routes by its access token. */
const ORGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    [`Bearer ${GOOD_TOKEN}`]: ROUTES,
    [`Bearer ${GLOBEX_TOKEN}`]: GLOBEX_ROUTES
};

export class FakeSalesforce {
    readonly seen: SeenRequest[] = [];
    private server: Server | undefined;
    url = '';

    async start(): Promise<void> {
        this.server = createServer((request, response) => {
            this.answer(request, response);
        });
        this.url = await listen(this.server);
    }

    async stop(): Promise<void> {
        await close(this.server);
    }

    private answer(request: IncomingMessage, response: ServerResponse): void {
        const path = (request.url ?? '').split('?')[0] ?? '';
        const authorization = request.headers.authorization;
        this.seen.push({ method: request.method ?? '', path, authorization });
        const send = (status: number, body: string): void => {
            response.writeHead(status, {
                'Content-Type': 'application/json;charset=UTF-8',
                ...(status === 401 ? { 'WWW-Authenticate': 'Token' } : {})
            });
            response.end(body);
        };
        const routes = ORGS[authorization ?? ''];
        if (routes === undefined) {
            send(401, fixture('error-invalid-session-id.json'));
            return;
        }
        const file = request.method === 'GET' ? routes[path] : undefined;
        send(file ? 200 : 404, fixture(file ?? 'error-not-found.json'));
    }
}

export function listen(server: Server): Promise<string> {
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
            resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        });
    });
}

export function close(server: Server | undefined): Promise<void> {
    return new Promise((resolve) => {
        if (!server) {
            resolve();
            return;
        }
        server.closeAllConnections();
        server.close(() => {
            resolve();
        });
    });
}

/** A port nothing listens on (a server is started there, then stopped). */
export async function closedPortUrl(): Promise<string> {
    const server = createServer();
    const url = await listen(server);
    await close(server);
    return url;
}

// ---------------------------------------------------------------------------------------------------------------
// A fake `sf` (SF_CLI_BIN) answering `org display` and `org auth show-access-token` as Salesforce CLI 2.146.3 does
// ---------------------------------------------------------------------------------------------------------------

/** Writes an executable `sf` that logs each call (arguments and the quiet-mode variables) to `log`. */
export function writeFakeSf(dir: string, instanceUrl: string, log: string): string {
    const display = (alias: string, accessToken: string, apiVersion = '66.0'): unknown => ({
        status: 0,
        result: {
            id: '00D5g000004FakeEAC',
            apiVersion,
            accessToken,
            instanceUrl,
            username: USER.username,
            clientId: 'PlatformCLI',
            connectedStatus: 'Connected',
            alias
        },
        warnings: [
            "Secrets are now hidden from 'sf org display' command output. Use the 'sf org auth' commands instead."
        ]
    });
    const answers: Record<string, { code: number; out: unknown }> = {
        'org display|acme': { code: 0, out: display('acme', GOOD_TOKEN) },
        'org display|acme-redacted': {
            code: 0,
            out: display('acme-redacted', "[REDACTED] Use 'sf org auth show-access-token' to view")
        },
        'org auth show-access-token|acme-redacted': {
            code: 0,
            out: { status: 0, result: { accessToken: GOOD_TOKEN }, warnings: [] }
        },
        'org display|acme-expired': { code: 0, out: display('acme-expired', EXPIRED_TOKEN) },
        'org display|acme-old': { code: 0, out: display('acme-old', GOOD_TOKEN, '62.0') },
        'org display|globex': { code: 0, out: display('globex', GLOBEX_TOKEN) },
        // The real answer of sf 2.146.3 for an alias it has no login for (stdout, exit code 2).
        'org display|gone': { code: 2, out: JSON.parse(fixture('sf-cli-named-org-not-found.json')) }
    };
    const script = `#!${process.execPath}
const fs = require('node:fs');
const answers = ${JSON.stringify(answers)};
const args = process.argv.slice(2);
const quiet = ['SF_DISABLE_TELEMETRY', 'SF_SKIP_NEW_VERSION_CHECK', 'SF_DISABLE_AUTOUPDATE', 'SF_AUTOUPDATE_DISABLE',
    'SF_HIDE_RELEASE_NOTES', 'SF_USE_PROGRESS_BAR', 'SF_DISABLE_LOG_FILE'];
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, env: Object.fromEntries(quiet.map((name) => [name, process.env[name]])) }) + '\\n');
const at = args.indexOf('--target-org');
const alias = args[at + 1];
const answer = answers[args.slice(0, at).join(' ') + '|' + alias] ||
    { code: 1, out: { status: 1, name: 'NamedOrgNotFoundError', message: 'No authorization information found for ' + alias + '.' } };
process.stdout.write(JSON.stringify(answer.out, null, 2) + '\\n');
process.exitCode = answer.code;
`;
    const bin = join(dir, 'sf');
    writeFileSync(bin, script);
    chmodSync(bin, 0o755);
    return bin;
}

// ---------------------------------------------------------------------------------------------------------------
// The real stage service, in process
// ---------------------------------------------------------------------------------------------------------------

export interface Team {
    apiKey: string;
    call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
    stageNames(family?: string): Promise<string[]>;
    scope(object: string, field: string): Promise<ScopeBody>;
    runs(object: string, field: string): Promise<RunBody[]>;
}

export interface ScopeBody {
    version: number;
    stages: { id: string; name: string }[];
    mappings: { value: string; stageId: string; source: string }[];
}

export interface RunBody {
    id: string;
    actor: { id: string; name: string };
}

/** Everything the org-mode tests run against, started once per test file. */
export interface OrgFakes {
    service: RunningService;
    store: SqlStore;
    salesforce: FakeSalesforce;
    tempDir: string;
    sfBin: string;
    sfLog: string;
    /** A new team of the stage service, with its own key. */
    newTeam(name: string): Promise<Team>;
}

/** Starts the fakes and the real service, each registered with `resources` as it starts (closed in `after`). */
export async function startOrgFakes(resources: TestResources, prefix: string): Promise<OrgFakes> {
    const tempDir = mkdtempSync(join(tmpdir(), prefix));
    resources.defer('the temporary folder', () => {
        rmSync(tempDir, { recursive: true, force: true });
    });
    const store = resources.add(
        'the store',
        await createStore({ kind: 'sqlite', file: join(tempDir, 'stage-service.sqlite'), logger: silentLogger() }),
        (started) => started.close()
    );
    const service = resources.add(
        'the service',
        await startService({ store, port: 0, host: '127.0.0.1', logger: silentLogger() }),
        (started) => started.close()
    );
    const salesforce = new FakeSalesforce();
    await salesforce.start();
    resources.defer('the fake of Salesforce', () => salesforce.stop());
    mkdirSync(join(tempDir, 'bin'));
    const sfLog = join(tempDir, 'sf-calls.jsonl');
    const sfBin = writeFakeSf(join(tempDir, 'bin'), salesforce.url, sfLog);
    return {
        service,
        store,
        salesforce,
        tempDir,
        sfBin,
        sfLog,
        newTeam: (name) => newTeamOn(store, service.url, name)
    };
}

async function newTeamOn(store: SqlStore, serviceUrl: string, name: string): Promise<Team> {
    const { apiKey } = await store.createTeam(name);
    const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
        const response = await fetch(`${serviceUrl}${path}`, {
            method,
            headers: {
                Authorization: `Bearer ${apiKey}`,
                'X-Actor-Id': '005000000000001AAA',
                'X-Actor-Name': 'Test Admin',
                ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) })
        });
        const text = await response.text();
        assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
        return JSON.parse(text) as T;
    };
    return {
        apiKey,
        call,
        stageNames: async (family = 'contact') =>
            (await call<{ stages: { name: string }[] }>('GET', `/v1/stages?family=${family}`)).stages.map(
                (stage) => stage.name
            ),
        scope: (object, field) => call<ScopeBody>('GET', `/v1/scopes/${object}/${field}`),
        runs: async (object, field) =>
            (await call<{ runs: RunBody[] }>('GET', `/v1/runs?object=${object}&field=${field}`)).runs
    };
}

export async function createStage(team: Team, name: string, family = 'contact'): Promise<string> {
    return (await team.call<{ id: string }>('POST', '/v1/stages', { family, name })).id;
}

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------------------------------------------

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** Variables of the caller's environment that would change what the CLI does. */
const CLEARED = [
    'STAGE_SERVICE_API_KEY',
    'STAGE_SERVICE_URL',
    'SF_INSTANCE_URL',
    'SF_ACCESS_TOKEN',
    'SF_CLI_BIN',
    'SF_TEMP_SHOW_SECRETS'
];

/** Runs `automap ARGS` from the repository root, as `npm run --silent automap -- ARGS` does. */
export function automap(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
    const cleared: Record<string, string | undefined> = Object.fromEntries(CLEARED.map((name) => [name, undefined]));
    const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...cleared, ...env };
    const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
        Object.entries(merged).filter(([, value]) => value !== undefined)
    );
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ['--import', 'tsx', 'cli/main.ts', ...args],
            { cwd: ROOT, encoding: 'utf8', env: childEnv, timeout: 60_000 },
            (error, stdout, stderr) => {
                const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
                resolve({ code, stdout, stderr });
            }
        );
    });
}

/** One line on stderr, naming the problem, and no stack trace. */
export function assertOneCleanLine(run: Run, expected: RegExp): void {
    assert.equal(run.stderr.endsWith('\n'), true, `stderr ends with a new line: ${JSON.stringify(run.stderr)}`);
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
    assert.match(lines[0] ?? '', expected);
    assert.doesNotMatch(run.stderr, /\n\s+at |Error:|node:internal/, 'no stack trace');
}

export interface JsonOutcome {
    value: string;
    outcome: string;
    stageId?: string;
    stageName?: string;
}

export interface JsonResult {
    command: string;
    status?: string;
    replayed?: boolean;
    idempotencyKey?: string;
    expectedVersion?: number;
    object: string;
    field: string;
    recordTypeId: string;
    version: number;
    runId?: string | null;
    createdStages?: { id: string; name: string }[];
    outcomes: JsonOutcome[];
    summary: { total: number; counts: Record<string, number> };
}

export function outcomes(result: JsonResult): [string, string][] {
    return result.outcomes.map((outcome) => [outcome.value, outcome.outcome]);
}
