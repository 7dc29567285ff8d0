/**
 * The automap CLI against an org (issue 7, "The CLI against a real org"): `plan|apply --org ... --service ...`,
 * run as a child process the way an admin runs it. Salesforce is a local HTTP fake of its UI API serving recorded
 * responses (cli/test/fixtures/ui-api/); the stage service is the real one, started in this process on a
 * temporary SQLite database; `sf` is a small fake script (SF_CLI_BIN) answering as the Salesforce CLI does.
 *
 * Run: npx tsx scripts/run-node-tests.ts automap-org-cli
 */
import { after, before, describe, test } from 'node:test';
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
import { TestResources } from '../../scripts/lib/test-resources.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'cli/test/fixtures/ui-api');

const GOOD_TOKEN = '00D5g000004FakeEAC!AQ0AQFakeAccessTokenForTheLocalFakeOfSalesforce';
const EXPIRED_TOKEN = '00D5g000004FakeEAC!AQ0AQExpiredSessionToken';
const INBOUND = '0125g000000InBdAAE';
const PARTNER = '0125g000000PaRtAAE';
const MASTER = '012000000000000AAA';
const USER = { id: '0055g00000AdaAdAAB', name: 'Zoë Ångström', username: 'zoe.angstrom@acme.example' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function fixture(name: string): string {
    return readFileSync(join(FIXTURES, name), 'utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// A local HTTP fake of Salesforce's UI API and userinfo endpoint, serving recorded responses
// ---------------------------------------------------------------------------------------------------------------

interface SeenRequest {
    method: string;
    path: string;
    authorization: string | undefined;
}

const UI_API = '/services/data/v66.0/ui-api';

/** Path → fixture file. Anything else is Salesforce's 404 NOT_FOUND, as for an unknown object or API version. */
const ROUTES: Readonly<Record<string, string>> = {
    [`${UI_API}/object-info/Lead`]: 'Lead-object-info.json',
    [`${UI_API}/object-info/Lead/picklist-values/${INBOUND}/Status`]: 'Lead-picklist-values-Inbound-Status.json',
    [`${UI_API}/object-info/Lead/picklist-values/${PARTNER}/Status`]:
        'Lead-picklist-values-PartnerReferral-Status.json',
    [`${UI_API}/object-info/Account`]: 'Account-object-info.json',
    [`${UI_API}/object-info/Account/picklist-values/${MASTER}/Type`]: 'Account-picklist-values-Master-Type.json',
    '/services/oauth2/userinfo': 'userinfo.json'
};

class FakeSalesforce {
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
        if (authorization !== `Bearer ${GOOD_TOKEN}`) {
            send(401, fixture('error-invalid-session-id.json'));
            return;
        }
        const file = request.method === 'GET' ? ROUTES[path] : undefined;
        send(file ? 200 : 404, fixture(file ?? 'error-not-found.json'));
    }
}

function listen(server: Server): Promise<string> {
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
            resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        });
    });
}

function close(server: Server | undefined): Promise<void> {
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
async function closedPortUrl(): Promise<string> {
    const server = createServer();
    const url = await listen(server);
    await close(server);
    return url;
}

// ---------------------------------------------------------------------------------------------------------------
// A fake `sf` (SF_CLI_BIN) answering `org display` and `org auth show-access-token` as Salesforce CLI 2.146.3 does
// ---------------------------------------------------------------------------------------------------------------

/** Writes an executable `sf` that logs each call (arguments and the quiet-mode variables) to `log`. */
function writeFakeSf(dir: string, instanceUrl: string, log: string): string {
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

interface Team {
    apiKey: string;
    call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
    stageNames(family?: string): Promise<string[]>;
    scope(object: string, field: string): Promise<ScopeBody>;
    runs(object: string, field: string): Promise<RunBody[]>;
}

interface ScopeBody {
    version: number;
    stages: { id: string; name: string }[];
    mappings: { value: string; stageId: string; source: string }[];
}

interface RunBody {
    id: string;
    actor: { id: string; name: string };
}

let service: RunningService;
let store: SqlStore;
let salesforce: FakeSalesforce;
let tempDir: string;
let sfBin: string;
let sfLog: string;

const resources = new TestResources();

before(async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'automap-org-cli-'));
    resources.defer('the temporary folder', () => {
        rmSync(tempDir, { recursive: true, force: true });
    });
    store = resources.add(
        'the store',
        await createStore({ kind: 'sqlite', file: join(tempDir, 'stage-service.sqlite'), logger: silentLogger() }),
        (started) => started.close()
    );
    service = resources.add(
        'the service',
        await startService({ store, port: 0, host: '127.0.0.1', logger: silentLogger() }),
        (started) => started.close()
    );
    salesforce = new FakeSalesforce();
    await salesforce.start();
    resources.defer('the fake of Salesforce', () => salesforce.stop());
    mkdirSync(join(tempDir, 'bin'));
    sfLog = join(tempDir, 'sf-calls.jsonl');
    sfBin = writeFakeSf(join(tempDir, 'bin'), salesforce.url, sfLog);
});

after(() => resources.closeAll());

async function newTeam(name: string): Promise<Team> {
    const { apiKey } = await store.createTeam(name);
    const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
        const response = await fetch(`${service.url}${path}`, {
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

async function createStage(team: Team, name: string, family = 'contact'): Promise<string> {
    return (await team.call<{ id: string }>('POST', '/v1/stages', { family, name })).id;
}

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------------------------------------------

interface Run {
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
function automap(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
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

/** The org from SF_INSTANCE_URL and SF_ACCESS_TOKEN, and the team's key. */
function envAuth(team: Team, token = GOOD_TOKEN): Record<string, string> {
    return { SF_INSTANCE_URL: salesforce.url, SF_ACCESS_TOKEN: token, STAGE_SERVICE_API_KEY: team.apiKey };
}

/** The org from the fake `sf`, and the team's key. */
function sfAuth(team: Team): Record<string, string> {
    return { SF_CLI_BIN: sfBin, STAGE_SERVICE_API_KEY: team.apiKey };
}

function leadStatus(command: 'plan' | 'apply', ...more: string[]): string[] {
    return [command, '--object', 'Lead', '--field', 'Status', '--service', service.url, ...more];
}

/** One line on stderr, naming the problem, and no stack trace. */
function assertOneCleanLine(run: Run, expected: RegExp): void {
    assert.equal(run.stderr.endsWith('\n'), true, `stderr ends with a new line: ${JSON.stringify(run.stderr)}`);
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
    assert.match(lines[0] ?? '', expected);
    assert.doesNotMatch(run.stderr, /\n\s+at |Error:|node:internal/, 'no stack trace');
}

interface JsonOutcome {
    value: string;
    outcome: string;
    stageId?: string;
    stageName?: string;
}

interface JsonResult {
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

function outcomes(result: JsonResult): [string, string][] {
    return result.outcomes.map((outcome) => [outcome.value, outcome.outcome]);
}

// ---------------------------------------------------------------------------------------------------------------
// Plan and apply: a fake of Salesforce's UI API, the real stage service
// ---------------------------------------------------------------------------------------------------------------

describe('automap plan|apply Lead.Status: fake of Salesforce (UI API), real stage service', () => {
    let team: Team;
    let firstApply: JsonResult;
    let versionBeforeApply: number;

    before(async () => {
        team = await newTeam('Acme');
        await createStage(team, 'working - contacted');
        await createStage(team, 'Qualified');
        const nurture = await createStage(team, 'Nurture');
        await team.call('PUT', '/v1/scopes/Lead/Status/mappings', { value: 'Nurturing', stageId: nurture });
    });

    test('plan prints the table from the org values and the service state, and changes nothing', async () => {
        const before = await team.scope('Lead', 'Status');
        const seenBefore = salesforce.seen.length;
        const run = await automap(leadStatus('plan'), envAuth(team));
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, '');
        const lines = run.stdout.split('\n');
        assert.match(run.stdout, /^Org: {11}http:\/\/127\.0\.0\.1:\d+$/m);
        assert.match(
            run.stdout,
            /^Field: {9}Lead\.Status "Lead Status", record type Inbound \(0125g000000InBdAAE\), 6 active values$/m
        );
        assert.match(
            run.stdout,
            new RegExp(`^Stage service: ${service.url}, contact stages, state version \\d+$`, 'm')
        );
        assert.ok(lines.includes('Lead.Status → contact stages'), run.stdout);
        const header = lines.find((line) => line.startsWith('VALUE'));
        assert.ok(header);
        const row = (value: string): string => lines.find((line) => line.startsWith(`${value} `)) ?? '';
        assert.equal(row('Working - Contacted').indexOf('map-existing'), header.indexOf('OUTCOME'));
        assert.match(row('Nurturing'), /already-mapped\s+Nurture/);
        assert.match(row('Qualified'), /map-existing\s+Qualified/);
        assert.match(row('Closed - Converted'), /create-and-map\s+\+ Closed - Converted \(new\)/);
        assert.match(
            run.stdout,
            /^Summary: 6 values: 1 already-mapped, 2 map-existing, 3 create-and-map, 0 skip-stage-taken, 0 skip-ambiguous, 0 skip-inactive$/m
        );
        assert.match(run.stdout, new RegExp(`--expected-version ${before.version} `));
        // The UI API resources at v66.0, with the access token, for the default record type.
        const seen = salesforce.seen.slice(seenBefore);
        assert.deepEqual(
            seen.map((request) => `${request.method} ${request.path}`),
            [`GET ${UI_API}/object-info/Lead`, `GET ${UI_API}/object-info/Lead/picklist-values/${INBOUND}/Status`]
        );
        for (const request of seen) {
            assert.equal(request.authorization, `Bearer ${GOOD_TOKEN}`);
        }
        assert.deepEqual(await team.scope('Lead', 'Status'), before, 'plan changes nothing');
        assert.deepEqual(await team.runs('Lead', 'Status'), []);
    });

    test('plan --format json prints only JSON: the scope, the version and the outcomes', async () => {
        const run = await automap(leadStatus('plan', '--format', 'json'), envAuth(team));
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout) as JsonResult;
        versionBeforeApply = result.version;
        assert.equal(result.version, (await team.scope('Lead', 'Status')).version);
        assert.deepEqual(
            { command: result.command, object: result.object, field: result.field, recordTypeId: result.recordTypeId },
            { command: 'plan', object: 'Lead', field: 'Status', recordTypeId: INBOUND }
        );
        assert.deepEqual(outcomes(result), [
            ['Open - Not Contacted', 'create-and-map'],
            ['Working - Contacted', 'map-existing'],
            ['Nurturing', 'already-mapped'],
            ['Qualified', 'map-existing'],
            ['Closed - Converted', 'create-and-map'],
            ['Closed - Not Converted', 'create-and-map']
        ]);
        assert.equal(result.outcomes[1]?.stageName, 'working - contacted');
    });

    test('apply runs the auto-map on the service as the org user, and the service state matches', async () => {
        const seenBefore = salesforce.seen.length;
        const run = await automap(leadStatus('apply', '--format', 'json'), envAuth(team));
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, '');
        firstApply = JSON.parse(run.stdout) as JsonResult;
        assert.equal(firstApply.status, 'applied');
        assert.equal(firstApply.replayed, false);
        assert.match(firstApply.idempotencyKey ?? '', UUID);
        assert.equal(firstApply.expectedVersion, versionBeforeApply);
        assert.ok(firstApply.version > versionBeforeApply);
        assert.deepEqual(firstApply.createdStages?.map((stage) => stage.name).sort(), [
            'Closed - Converted',
            'Closed - Not Converted',
            'Open - Not Contacted'
        ]);
        assert.deepEqual(firstApply.summary.counts, {
            'already-mapped': 1,
            'map-existing': 2,
            'create-and-map': 3,
            'skip-stage-taken': 0,
            'skip-ambiguous': 0,
            'skip-inactive': 0
        });
        // The service holds what the plan said.
        const scope = await team.scope('Lead', 'Status');
        assert.equal(scope.version, firstApply.version);
        const stageName = new Map(scope.stages.map((stage) => [stage.id, stage.name]));
        assert.deepEqual(
            scope.mappings.map((mapping) => [mapping.value, stageName.get(mapping.stageId), mapping.source]).sort(),
            [
                ['Closed - Converted', 'Closed - Converted', 'auto'],
                ['Closed - Not Converted', 'Closed - Not Converted', 'auto'],
                ['Nurturing', 'Nurture', 'manual'],
                ['Open - Not Contacted', 'Open - Not Contacted', 'auto'],
                ['Qualified', 'Qualified', 'auto'],
                ['Working - Contacted', 'working - contacted', 'auto']
            ]
        );
        // One run, recorded with the org user as the actor (the non-ASCII name percent-encoded on the way).
        const runs = await team.runs('Lead', 'Status');
        assert.equal(runs.length, 1);
        assert.equal(runs[0]?.id, firstApply.runId);
        assert.deepEqual(runs[0]?.actor, { id: USER.id, name: USER.name });
        assert.ok(
            salesforce.seen.slice(seenBefore).some((request) => request.path === '/services/oauth2/userinfo'),
            'the actor comes from the org user'
        );
    });

    test('apply again is a no-op: nothing to apply, no new stage, no new run', async () => {
        const stages = await team.stageNames();
        const run = await automap(leadStatus('apply'), envAuth(team));
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, '');
        assert.match(run.stdout, /^Nothing to apply: every value is already mapped or skipped/m);
        assert.match(run.stdout, /^Summary: 6 values: 6 already-mapped, 0 map-existing, 0 create-and-map/m);
        assert.deepEqual(await team.stageNames(), stages);
        assert.equal((await team.runs('Lead', 'Status')).length, 1);
    });

    test('a retry with the printed --idempotency-key and --expected-version is replayed, not applied twice', async () => {
        const stages = await team.stageNames();
        const key = firstApply.idempotencyKey ?? '';
        const run = await automap(
            leadStatus('apply', '--idempotency-key', key, '--expected-version', String(versionBeforeApply)),
            envAuth(team)
        );
        assert.equal(run.code, 0, run.stderr);
        assert.match(
            run.stdout,
            new RegExp(
                `^Replayed: the stage service had already applied this request under this Idempotency-Key \\(run ${firstApply.runId ?? ''}\\); nothing new was applied`,
                'm'
            )
        );
        assert.match(run.stdout, new RegExp(`^Idempotency-Key: ${key} `, 'm'));
        assert.deepEqual(await team.stageNames(), stages);
        assert.equal((await team.runs('Lead', 'Status')).length, 1);
    });

    test('the same key with another expected version is refused with a clear line', async () => {
        const key = firstApply.idempotencyKey ?? '';
        const run = await automap(
            leadStatus('apply', '--idempotency-key', key, '--expected-version', String(firstApply.version)),
            envAuth(team)
        );
        assert.equal(run.code, 1);
        assert.equal(run.stdout, '');
        assertOneCleanLine(
            run,
            new RegExp(`^automap: the stage service already used Idempotency-Key ${key} for a different request`)
        );
        assert.equal((await team.runs('Lead', 'Status')).length, 1);
    });
});

describe('automap apply when the state moved (409 state-changed): fake of Salesforce, real stage service', () => {
    test('prints the fresh plan, says nothing was applied, exits 3', async () => {
        const team = await newTeam('Conflicts');
        const planned = await automap(leadStatus('plan', '--format', 'json'), envAuth(team));
        assert.equal(planned.code, 0, planned.stderr);
        const { version } = JSON.parse(planned.stdout) as JsonResult;
        // Someone creates a stage after the admin reviewed the plan.
        await createStage(team, 'Qualified');
        const run = await automap(leadStatus('apply', '--expected-version', String(version)), envAuth(team));
        assert.equal(run.code, 3, run.stderr);
        assertOneCleanLine(
            run,
            new RegExp(
                `^automap: the contact stages or the Lead\\.Status mappings changed on the stage service since version ${version} \\(now ${version + 1}\\); nothing was applied\\. Review the fresh plan above and run apply again$`
            )
        );
        assert.match(
            run.stdout,
            new RegExp(
                `^Nothing was applied: the stage service's state moved from version ${version} to ${version + 1}\\. The fresh plan:$`,
                'm'
            )
        );
        assert.match(run.stdout, /^Qualified\s+map-existing\s+Qualified/m);
        const scope = await team.scope('Lead', 'Status');
        assert.deepEqual(scope.mappings, []);
        assert.deepEqual(await team.runs('Lead', 'Status'), []);
    });

    test('--format json prints the conflict and the fresh plan as JSON', async () => {
        const team = await newTeam('Conflicts JSON');
        const run = await automap(leadStatus('apply', '--expected-version', '7', '--format', 'json'), envAuth(team));
        assert.equal(run.code, 3, run.stderr);
        const result = JSON.parse(run.stdout) as JsonResult;
        assert.equal(result.status, 'conflict');
        assert.equal(result.expectedVersion, 7);
        assert.equal(result.version, 0);
        assert.equal(result.outcomes.length, 6);
        assertOneCleanLine(run, /since version 7 \(now 0\); nothing was applied/);
    });
});

describe('automap apply when the answer is lost: fake of Salesforce, real stage service', () => {
    test('the line says how to retry, and the retry with the printed key and version is replayed, not applied twice', async () => {
        const team = await newTeam('Lost answers');
        // In front of the real service: passes every request on, but never returns the answer to an apply.
        const proxy = createServer((request, response) => {
            void forward(request, response);
        });
        const forward = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
            const chunks: Buffer[] = [];
            for await (const chunk of request) {
                chunks.push(chunk as Buffer);
            }
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(request.headers)) {
                if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) {
                    headers[name] = value;
                }
            }
            const answer = await fetch(`${service.url}${request.url ?? ''}`, {
                method: request.method ?? 'GET',
                headers,
                ...(chunks.length === 0 ? {} : { body: new Uint8Array(Buffer.concat(chunks)) })
            });
            const text = await answer.text();
            if (request.method === 'POST') {
                return; // applied on the service; the answer is lost on the way back
            }
            response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? '' });
            response.end(text);
        };
        const proxyUrl = await listen(proxy);
        try {
            const run = await automap(
                ['apply', '--object', 'Lead', '--field', 'Status', '--service', proxyUrl, '--timeout', '2'],
                envAuth(team)
            );
            assert.equal(run.code, 1, run.stderr);
            assert.equal(run.stdout, '');
            assertOneCleanLine(
                run,
                /^automap: the stage service at http:\/\/127\.0\.0\.1:\d+ did not answer within 2 s \(applying the auto-map\); to retry without applying twice, run apply again with --idempotency-key [0-9a-f-]{36} --expected-version \d+$/
            );
            const [, key = '', version = ''] =
                /--idempotency-key (\S+) --expected-version (\d+)$/.exec(run.stderr.trim()) ?? [];
            assert.equal((await team.runs('Lead', 'Status')).length, 1, 'the apply did reach the service');
            const stages = await team.stageNames();
            const retry = await automap(
                leadStatus('apply', '--idempotency-key', key, '--expected-version', version),
                envAuth(team)
            );
            assert.equal(retry.code, 0, retry.stderr);
            assert.match(retry.stdout, /^Replayed: the stage service had already applied this request/m);
            assert.equal((await team.runs('Lead', 'Status')).length, 1);
            assert.deepEqual(await team.stageNames(), stages);
        } finally {
            await close(proxy);
        }
    });
});

describe('automap plan: record types and other objects (fake of Salesforce)', { concurrency: 3 }, () => {
    let team: Team;
    before(async () => {
        team = await newTeam('Record types');
    });

    test('--record-type reads that record type’s values (18 or 15 characters)', async () => {
        for (const id of [PARTNER, PARTNER.slice(0, 15)]) {
            const run = await automap(leadStatus('plan', '--record-type', id, '--format', 'json'), envAuth(team));
            assert.equal(run.code, 0, run.stderr);
            const result = JSON.parse(run.stdout) as JsonResult;
            assert.equal(result.recordTypeId, PARTNER);
            assert.deepEqual(
                result.outcomes.map((outcome) => outcome.value),
                ['Open - Not Contacted', 'Partner Accepted', 'Closed - Converted']
            );
        }
    });

    test('Account.Type: no record types, so the master record type; account stages', async () => {
        await createStage(team, 'Prospect', 'account');
        const run = await automap(
            ['plan', '--object', 'account', '--field', 'type', '--service', service.url],
            envAuth(team)
        );
        assert.equal(run.code, 0, run.stderr);
        assert.match(
            run.stdout,
            /^Field: {9}Account\.Type "Account Type", record type Master \(012000000000000AAA\), 7 active values$/m
        );
        assert.ok(run.stdout.includes('Account.Type → account stages'), run.stdout);
        assert.match(run.stdout, /^Prospect\s+map-existing\s+Prospect/m);
        assert.match(run.stdout, /^Channel Partner \/ Reseller\s+create-and-map/m);
    });
});

// ---------------------------------------------------------------------------------------------------------------
// The Salesforce CLI's stored login (fake sf)
// ---------------------------------------------------------------------------------------------------------------

interface SfCall {
    args: string[];
    env: Record<string, string | undefined>;
}

function sfCalls(): SfCall[] {
    try {
        return readFileSync(sfLog, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as SfCall);
    } catch {
        return [];
    }
}

describe('automap --org ALIAS: the Salesforce CLI login (fake sf), fake of Salesforce', { concurrency: 4 }, () => {
    let team: Team;
    before(async () => {
        team = await newTeam('Aliases');
    });

    test('reads the instance URL and token with `sf org display --json`, quietly', async () => {
        const run = await automap(leadStatus('plan', '--org', 'acme'), sfAuth(team));
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, new RegExp(`^Org: {11}${USER.username} at ${salesforce.url}$`, 'm'));
        assert.match(run.stdout, /^Summary: 6 values: /m);
        const call = sfCalls().find((entry) => entry.args.includes('acme'));
        assert.ok(call);
        assert.deepEqual(call.args, ['org', 'display', '--target-org', 'acme', '--json']);
        assert.deepEqual(call.env, {
            SF_DISABLE_TELEMETRY: 'true',
            SF_SKIP_NEW_VERSION_CHECK: 'true',
            SF_DISABLE_AUTOUPDATE: 'true',
            SF_AUTOUPDATE_DISABLE: 'true',
            SF_HIDE_RELEASE_NOTES: 'true',
            SF_USE_PROGRESS_BAR: 'false',
            SF_DISABLE_LOG_FILE: 'true'
        });
    });

    test('a redacted token (sf 2.146.3 hides it) is read with `sf org auth show-access-token --json`', async () => {
        const run = await automap(leadStatus('plan', '--org', 'acme-redacted', '--format', 'json'), sfAuth(team));
        assert.equal(run.code, 0, run.stderr);
        assert.equal((JSON.parse(run.stdout) as JsonResult).outcomes.length, 6);
        assert.deepEqual(
            sfCalls()
                .filter((entry) => entry.args.includes('acme-redacted'))
                .map((entry) => entry.args.join(' ')),
            [
                'org display --target-org acme-redacted --json',
                'org auth show-access-token --target-org acme-redacted --json'
            ]
        );
    });

    const failures: [string, string, RegExp][] = [
        [
            'an unknown alias',
            'nope',
            /^automap: unknown org "nope": the Salesforce CLI has no login for it \(log in with "sf org login web --alias nope", list logins with "sf org list"\)$/
        ],
        [
            'an unknown alias (the real multi-line answer of sf 2.146.3)',
            'gone',
            /^automap: unknown org "gone": the Salesforce CLI has no login for it /
        ],
        [
            'an expired session (401 INVALID_SESSION_ID from the UI API)',
            'acme-expired',
            /^automap: the Salesforce session for org "acme-expired" has expired or is invalid \(401 INVALID_SESSION_ID from http:\/\/127\.0\.0\.1:\d+\); log in again with "sf org login web --alias acme-expired"$/
        ],
        [
            'an org older than API 66.0',
            'acme-old',
            /^automap: the org at http:\/\/127\.0\.0\.1:\d+ offers API version 62\.0 at most; Stage AutoMap reads it at 66\.0$/
        ]
    ];
    for (const [what, alias, expected] of failures) {
        test(`refuses ${what}: exit 1, one line`, async () => {
            const run = await automap(leadStatus('plan', '--org', alias), sfAuth(team));
            assert.equal(run.code, 1, run.stderr);
            assert.equal(run.stdout, '');
            assertOneCleanLine(run, expected);
        });
    }

    test('says so when the sf executable is missing', async () => {
        const run = await automap(leadStatus('plan', '--org', 'acme'), {
            ...sfAuth(team),
            SF_CLI_BIN: join(tempDir, 'no-such-sf')
        });
        assert.equal(run.code, 1);
        assertOneCleanLine(run, /^automap: cannot run the Salesforce CLI: ".*no-such-sf" was not found /);
    });
});

// ---------------------------------------------------------------------------------------------------------------
// Failures: exit 1, one clear line, no stack trace
// ---------------------------------------------------------------------------------------------------------------

describe('automap org-mode failures against the fake of Salesforce: exit 1, one clear line', { concurrency: 4 }, () => {
    let team: Team;
    let hanging: Server;
    let hangingUrl: string;
    before(async () => {
        team = await newTeam('Failures');
        hanging = createServer(() => {
            // Accepts the request and never answers.
        });
        hangingUrl = await listen(hanging);
    });
    after(async () => {
        await close(hanging);
    });

    const field = (name: string, ...more: string[]): string[] => [
        'plan',
        '--object',
        'Lead',
        '--field',
        name,
        '--service',
        service.url,
        ...more
    ];

    test('an expired session (401 INVALID_SESSION_ID)', async () => {
        const run = await automap(leadStatus('plan'), envAuth(team, EXPIRED_TOKEN));
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: the Salesforce session for SF_INSTANCE_URL has expired or is invalid \(401 INVALID_SESSION_ID from http:\/\/127\.0\.0\.1:\d+\); set SF_ACCESS_TOKEN to a fresh access token/
        );
    });

    test('an object the org does not have (404 NOT_FOUND)', async () => {
        const run = await automap(
            ['plan', '--object', 'Contact', '--field', 'Status__c', '--service', service.url],
            envAuth(team)
        );
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: the org has no object Contact, or your user cannot see it \(404 NOT_FOUND from the UI API\)$/
        );
    });

    test('a field the object does not have', async () => {
        const run = await automap(field('Stage__c'), envAuth(team));
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: Lead has no field "Stage__c" \(or your user cannot see it\); picklist fields of Lead: Industry, LeadSource, Rating, Status$/
        );
    });

    test('a field that is not a picklist', async () => {
        const run = await automap(field('email'), envAuth(team));
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: Lead\.Email is not a picklist \(its type is Email\); picklist fields of Lead: Industry, LeadSource, Rating, Status$/
        );
    });

    test('a multi-select picklist', async () => {
        const run = await automap(field('Interests__c'), envAuth(team));
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: Lead\.Interests__c is a multi-select picklist \(MultiPicklist\); Stage AutoMap maps single-select picklists only$/
        );
    });

    test('a record type the object does not have', async () => {
        const run = await automap(field('Status', '--record-type', '0125g000000NoNeAAE'), envAuth(team));
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: Lead has no record type 0125g000000NoNeAAE available to your user; its record types: Inbound \(0125g000000InBdAAE\), Partner Referral \(0125g000000PaRtAAE\), Master \(012000000000000AAA\)$/
        );
    });

    test('an org that cannot be reached', async () => {
        const url = await closedPortUrl();
        const run = await automap(leadStatus('plan'), { ...envAuth(team), SF_INSTANCE_URL: url });
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: cannot reach the org at http:\/\/127\.0\.0\.1:\d+ \(SF_INSTANCE_URL\): connection refused$/
        );
    });

    test('a stage service that cannot be reached (connection refused)', async () => {
        const url = await closedPortUrl();
        const run = await automap(['plan', '--object', 'Lead', '--field', 'Status', '--service', url], envAuth(team));
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: cannot reach the stage service at http:\/\/127\.0\.0\.1:\d+: connection refused \(reading the scope; is it running, and is --service right\?\)$/
        );
    });

    test('a stage service that does not answer in time', async () => {
        const run = await automap(
            ['plan', '--object', 'Lead', '--field', 'Status', '--service', hangingUrl, '--timeout', '1'],
            envAuth(team)
        );
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: the stage service at http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s \(reading the scope\)$/
        );
    });

    test('a wrong stage service API key (401)', async () => {
        const run = await automap(leadStatus('plan'), { ...envAuth(team), STAGE_SERVICE_API_KEY: 'not-a-key' });
        assert.equal(run.code, 1);
        assertOneCleanLine(
            run,
            /^automap: the stage service at http:\/\/127\.0\.0\.1:\d+ refused the API key \(401 while reading Lead\.Status\): check STAGE_SERVICE_API_KEY$/
        );
    });

    test('a --service URL that is not the stage service', async () => {
        const run = await automap(
            ['plan', '--object', 'Lead', '--field', 'Status', '--service', salesforce.url],
            envAuth(team)
        );
        assert.equal(run.code, 1);
        assertOneCleanLine(run, /answered \d{3} .*check --service \(the service's base URL, without \/v1\)$/);
    });
});

// ---------------------------------------------------------------------------------------------------------------
// Usage: exit 2, one line, nothing on stdout, nothing contacted
// ---------------------------------------------------------------------------------------------------------------

describe('automap org-mode usage errors: exit 2, one line, nothing on stdout', { concurrency: 4 }, () => {
    const service = 'http://127.0.0.1:9';
    const key = { STAGE_SERVICE_API_KEY: 'k' };
    const org = { SF_INSTANCE_URL: 'https://acme.my.salesforce.com', SF_ACCESS_TOKEN: 't' };
    const lead = ['--object', 'Lead', '--field', 'Status', '--service', service];
    const cases: [string, string[], Record<string, string>, RegExp][] = [
        [
            'a missing STAGE_SERVICE_API_KEY',
            ['plan', ...lead],
            org,
            /^automap: STAGE_SERVICE_API_KEY is not set: export the stage service API key first \(usage: automap plan\|apply --org /
        ],
        [
            'an object the stage service does not map',
            ['plan', '--object', 'Opportunity', '--field', 'StageName', '--service', service],
            { ...org, ...key },
            /^automap: --object must be Contact, Lead or Account \(the objects the stage service maps\), not "Opportunity" \(usage: /
        ],
        [
            'a missing --field',
            ['apply', '--object', 'Lead', '--service', service],
            { ...org, ...key },
            /^automap: apply needs --field /
        ],
        [
            'apply without options',
            ['apply'],
            { ...org, ...key },
            /^automap: apply needs --object \(Contact, Lead or Account\) \(usage: /
        ],
        [
            'no org at all',
            ['plan', ...lead],
            key,
            /^automap: which org\? Pass --org ALIAS \(a Salesforce CLI alias or username\), or set SF_INSTANCE_URL and SF_ACCESS_TOKEN \(usage: /
        ],
        [
            'half of the org variables',
            ['plan', ...lead],
            { SF_INSTANCE_URL: org.SF_INSTANCE_URL, ...key },
            /^automap: SF_INSTANCE_URL is set but SF_ACCESS_TOKEN is not: set both, or pass --org ALIAS/
        ],
        [
            '--idempotency-key with plan',
            ['plan', ...lead, '--idempotency-key', 'abc'],
            { ...org, ...key },
            /^automap: --idempotency-key is for apply; plan changes nothing/
        ],
        [
            'a --service that is not an http URL',
            ['plan', '--object', 'Lead', '--field', 'Status', '--service', 'localhost:4318'],
            { ...org, ...key },
            /^automap: --service must be an http\(s\) URL such as http:\/\/localhost:4318, not "localhost:4318"/
        ],
        [
            'a missing --service',
            ['plan', '--object', 'Lead', '--field', 'Status'],
            { ...org, ...key },
            /^automap: missing --service URL /
        ],
        [
            'a bad record type id',
            ['plan', ...lead, '--record-type', 'Inbound'],
            { ...org, ...key },
            /^automap: --record-type must be a record type id \(012\.\.\., 15 or 18 characters\), not "Inbound"/
        ],
        [
            'a bad --expected-version',
            ['apply', ...lead, '--expected-version', '-1'],
            { ...org, ...key },
            /^automap: --expected-version must be a whole number 0 or more, not "-1"/
        ],
        [
            'a bad --timeout',
            ['plan', ...lead, '--timeout', '0'],
            { ...org, ...key },
            /^automap: --timeout must be a number 1 to 600, not "0"/
        ],
        [
            'an unknown command',
            ['sync', ...lead],
            { ...org, ...key },
            /^automap: unknown command "sync" \(usage: automap plan\|apply /
        ],
        [
            'a bad field name',
            ['plan', '--object', 'Lead', '--field', 'Status;drop', '--service', service],
            { ...org, ...key },
            /^automap: --field must be a field API name/
        ]
    ];
    for (const [what, args, env, expected] of cases) {
        test(`refuses ${what}`, async () => {
            const run = await automap(args, env);
            assert.equal(run.code, 2, `exit code for ${what}: ${run.stderr}`);
            assert.equal(run.stdout, '');
            assertOneCleanLine(run, expected);
        });
    }

    test('--help describes both modes', async () => {
        const run = await automap(['--help']);
        assert.equal(run.code, 0);
        assert.match(run.stdout, /automap plan --input FILE \[--format json\|table\]/);
        assert.match(run.stdout, /automap plan\|apply --org ALIAS --object OBJECT --field FIELD/);
        assert.match(run.stdout, /STAGE_SERVICE_API_KEY/);
    });
});
