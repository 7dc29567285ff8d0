/**
 * The automap CLI against an org (issue 7, "The CLI against a real org"): `plan|apply --org ... --service ...`,
 * run as a child process the way an admin runs it. Salesforce is a local HTTP fake of its UI API serving recorded
 * responses (cli/test/fixtures/ui-api/); the stage service is the real one, started in this process on a
 * temporary SQLite database; `sf` is a small fake script (SF_CLI_BIN) answering as the Salesforce CLI does (all in
 * cli/test/org-fakes.ts, shared with automap-export.test.ts).
 *
 * Run: npx tsx scripts/run-node-tests.ts automap-org-cli
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { RunningService } from '../../service/src/index.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import {
    EXPIRED_TOKEN,
    GOOD_TOKEN,
    MASTER,
    PARTNER,
    UI_API,
    USER,
    UUID,
    assertOneCleanLine,
    automap,
    close,
    closedPortUrl,
    createStage,
    listen,
    outcomes,
    startOrgFakes
} from './org-fakes.ts';
import type { FakeSalesforce, JsonResult, OrgFakes, Team } from './org-fakes.ts';

let service: RunningService;
let salesforce: FakeSalesforce;
let tempDir: string;
let sfBin: string;
let sfLog: string;
let fakes: OrgFakes;

const resources = new TestResources();

before(async () => {
    fakes = await startOrgFakes(resources, 'automap-org-cli-');
    ({ service, salesforce, tempDir, sfBin, sfLog } = fakes);
});

after(() => resources.closeAll());

function newTeam(name: string): Promise<Team> {
    return fakes.newTeam(name);
}

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------------------------------------------

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
            /^Field: {9}Lead\.Status "Lead Status", record type Master \(012000000000000AAA\), 7 active values$/m
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
        // Only the Partner Referral record type offers it: every value of the field is planned by default.
        assert.match(row('Partner Accepted'), /create-and-map\s+\+ Partner Accepted \(new\)/);
        assert.match(
            run.stdout,
            /^Summary: 7 values: 1 already-mapped, 2 map-existing, 4 create-and-map, 0 skip-stage-taken, 0 skip-ambiguous, 0 skip-inactive$/m
        );
        assert.match(run.stdout, new RegExp(`--expected-version ${before.version} `));
        // The UI API resources at v66.0, with the access token, for the master record type (every value).
        const seen = salesforce.seen.slice(seenBefore);
        assert.deepEqual(
            seen.map((request) => `${request.method} ${request.path}`),
            [`GET ${UI_API}/object-info/Lead`, `GET ${UI_API}/object-info/Lead/picklist-values/${MASTER}/Status`]
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
            { command: 'plan', object: 'Lead', field: 'Status', recordTypeId: MASTER }
        );
        assert.deepEqual(outcomes(result), [
            ['Open - Not Contacted', 'create-and-map'],
            ['Working - Contacted', 'map-existing'],
            ['Nurturing', 'already-mapped'],
            ['Qualified', 'map-existing'],
            ['Partner Accepted', 'create-and-map'],
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
            'Open - Not Contacted',
            'Partner Accepted'
        ]);
        assert.deepEqual(firstApply.summary.counts, {
            'already-mapped': 1,
            'map-existing': 2,
            'create-and-map': 4,
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
                ['Partner Accepted', 'Partner Accepted', 'auto'],
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
        assert.match(run.stdout, /^Summary: 7 values: 7 already-mapped, 0 map-existing, 0 create-and-map/m);
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
        assert.equal(result.outcomes.length, 7);
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
        assert.match(run.stdout, /^Summary: 7 values: /m);
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
        assert.equal((JSON.parse(run.stdout) as JsonResult).outcomes.length, 7);
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
