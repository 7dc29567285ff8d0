/**
 * `automap drift` (issue 12, "Everywhere the rules show up", the CLI): how a scope's picklist drifted from its
 * mappings, from a scenario file and from an org, run as a child process the way a scheduled job runs it. Exit 0 in
 * sync, 3 when drift is found, 2 for usage and input errors, 1 when the org or the service cannot be read. The org
 * side is the fake of Salesforce's UI API and the real stage service of cli/test/org-fakes.ts.
 *
 * Run: npx tsx scripts/run-node-tests.ts automap-drift
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import {
    GLOBEX_TOKEN,
    GOOD_TOKEN,
    MASTER,
    PARTNER,
    UI_API,
    assertOneCleanLine,
    automap,
    close,
    closedPortUrl,
    createStage,
    listen,
    startOrgFakes
} from './org-fakes.ts';
import type { OrgFakes, Run, Team } from './org-fakes.ts';

const FIXTURES = 'cli/test/fixtures/drift';

function fixture(name: string): string {
    return join(FIXTURES, name);
}

/** The contract's fields of a finding, in the contract's order. */
const FINDING_FIELDS = [
    'value',
    'kind',
    'stageId',
    'stageName',
    'renamedTo',
    'candidates',
    'newStageName',
    'fix',
    'reason'
];

interface CliFinding {
    value: string;
    kind: string;
    stageId?: string;
    stageName?: string;
    renamedTo?: string;
    candidates?: string[];
    newStageName?: string;
    fix: boolean;
    reason: string;
}

interface DriftResult {
    id?: string | number;
    object: string;
    field: string;
    findings: CliFinding[];
}

interface OrgDriftResult extends DriftResult {
    command: string;
    recordTypeId: string;
    version: number;
}

/** Each finding without its reason (checked on its own), and checks the fields are the contract's, in order. */
function withoutReasons(findings: readonly CliFinding[]): Omit<CliFinding, 'reason'>[] {
    return findings.map(({ reason, ...rest }) => {
        const keys = Object.keys({ ...rest, reason });
        assert.deepEqual(
            keys,
            FINDING_FIELDS.filter((field) => keys.includes(field)),
            `the contract's fields, in order: ${keys.join(', ')}`
        );
        assert.ok(reason.includes(`"${rest.value}"`), `the reason names the value: ${reason}`);
        return rest;
    });
}

/** The usage error contract: exit 2, one line on stderr, nothing on stdout. */
function assertUsageError(run: Run, expected: RegExp): void {
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '', 'nothing on stdout');
    assertOneCleanLine(run, expected);
}

// ---------------------------------------------------------------------------------------------------------------
// From a file
// ---------------------------------------------------------------------------------------------------------------

/** The findings of every-kind.json: every kind, and the branches with and without a fix, in the rules' order. */
const EVERY_KIND: Omit<CliFinding, 'reason'>[] = [
    {
        value: 'Working - Contacted',
        kind: 'probable-rename',
        stageId: 'stg_working',
        stageName: 'Working - Contacted',
        renamedTo: 'Working',
        fix: true
    },
    { value: 'Closed - Lost', kind: 'value-removed', stageId: 'stg_lost', stageName: 'Lost', fix: true },
    {
        value: 'Unqualified',
        kind: 'value-removed',
        stageId: 'stg_unqualified',
        stageName: 'Unqualified',
        candidates: ['Unqualified - Bad Fit', 'Unqualified - No Budget'],
        fix: false
    },
    { value: 'Nurturing', kind: 'value-deactivated', stageId: 'stg_nurture', stageName: 'Nurture', fix: false },
    {
        value: 'Open - Not Contacted',
        kind: 'label-changed',
        stageId: 'stg_open',
        stageName: 'Open - Not Contacted',
        newStageName: 'Open',
        fix: true
    },
    { value: 'Qualified', kind: 'label-changed', stageId: 'stg_sql', stageName: 'SQL', fix: false },
    { value: 'Converted', kind: 'new-value', stageId: 'stg_converted', stageName: 'Converted', fix: true },
    { value: 'Partner Accepted', kind: 'new-value', stageName: 'Partner Accepted', fix: true }
];

describe('automap drift --input', { concurrency: 4 }, () => {
    let tempDir: string;

    before(() => {
        tempDir = mkdtempSync(join(tmpdir(), 'automap-drift-'));
    });

    after(() => {
        rmSync(tempDir, { recursive: true, force: true });
    });

    test('every finding kind from a file: only JSON on stdout, the contract fields, exit 3', async () => {
        const run = await automap(['drift', '--input', fixture('every-kind.json')]);
        assert.equal(run.code, 3, run.stderr);
        assert.equal(run.stderr, '', 'drift found is an answer, not an error');
        const result = JSON.parse(run.stdout) as DriftResult;
        assert.deepEqual(Object.keys(result), ['id', 'object', 'field', 'findings']);
        assert.deepEqual([result.id, result.object, result.field], ['lead-status-after-a-year', 'Lead', 'Status']);
        assert.deepEqual(withoutReasons(result.findings), EVERY_KIND);
        const reason = (value: string): string => result.findings.find((each) => each.value === value)?.reason ?? '';
        assert.match(reason('Working - Contacted'), /probably renamed\. Fix: move the mapping to "Working"/);
        assert.match(reason('Unqualified'), /No fix: move the mapping to the value it became, or remove it\.$/);
        assert.match(reason('Nurturing'), /old records may still use it/);
        assert.match(reason('Qualified'), /stage "SQL" has a name of its own/);
        // The inactive, unmapped Recycled is not drift; Closed - Converted did not move.
        assert.deepEqual(
            result.findings.filter((each) => ['Recycled', 'Closed - Converted'].includes(each.value)),
            []
        );
    });

    test('--format json is the default and the same as asking for it', async () => {
        const asked = await automap(['drift', '--input', fixture('every-kind.json'), '--format', 'json']);
        const defaulted = await automap(['drift', '--input', fixture('every-kind.json')]);
        assert.equal(asked.code, 3, asked.stderr);
        assert.equal(asked.stdout, defaulted.stdout);
    });

    test('--format table: a title, one aligned row per finding, the fix in words, a summary; exit 3', async () => {
        const run = await automap(['drift', '--input', fixture('every-kind.json'), '--format', 'table']);
        assert.equal(run.code, 3, run.stderr);
        assert.equal(run.stderr, '');
        const lines = run.stdout.split('\n');
        assert.equal(lines[0], 'Lead.Status → contact stages (scenario "lead-status-after-a-year")');
        const header = lines.find((line) => line.startsWith('VALUE'));
        assert.ok(header, run.stdout);
        assert.match(header, /^VALUE\s+KIND\s+STAGE\s+FIX\s+REASON$/);
        const row = (value: string): string => lines.find((line) => line.startsWith(`${value} `)) ?? '';
        for (const finding of EVERY_KIND) {
            assert.equal(row(finding.value).indexOf(finding.kind), header.indexOf('KIND'), finding.value);
        }
        assert.equal(row('Qualified').indexOf('SQL'), header.indexOf('STAGE'));
        assert.equal(row('Working - Contacted').indexOf('move to Working'), header.indexOf('FIX'));
        assert.match(row('Closed - Lost'), /remove the mapping\s+"Closed - Lost" is no longer in the picklist/);
        assert.match(row('Unqualified'), /no: 2 candidates/);
        assert.match(row('Open - Not Contacted'), /rename stage to Open\s+The label of/);
        assert.match(row('Nurturing'), /value-deactivated\s+Nurture\s+no\s+"Nurturing" is inactive/);
        assert.match(row('Converted'), /new-value\s+Converted\s+auto-map\s+"Converted" is new/);
        assert.match(row('Partner Accepted'), /auto-map: \+ Partner Accepted \(new\)/);
        assert.ok(
            lines.includes(
                'Drift: 8 findings, 5 with a fix: 1 probable-rename, 2 value-removed, 1 value-deactivated, 2 label-changed, 2 new-value'
            ),
            run.stdout
        );
    });

    test('in sync: no findings, exit 0, in json and in table', async () => {
        // Old mappings without a label and blank labels stand for the value; an inactive unmapped value is no drift.
        const json = await automap(['drift', '--input', fixture('in-sync.json')]);
        assert.equal(json.code, 0, json.stderr);
        assert.equal(json.stderr, '');
        assert.deepEqual(JSON.parse(json.stdout), { object: 'Lead', field: 'Status', findings: [] });
        const table = await automap(['drift', '--input', fixture('in-sync.json'), '--format', 'table']);
        assert.equal(table.code, 0, table.stderr);
        assert.equal(
            table.stdout,
            'Lead.Status → contact stages\n\nIn sync: every mapping matches the picklist, and every active value is mapped.\n'
        );
    });

    test('an array gives an array in the same order, ids echoed; exit 3 when any scenario drifted', async () => {
        const run = await automap(['drift', '--input', fixture('scenarios.json')]);
        assert.equal(run.code, 3, run.stderr);
        const results = JSON.parse(run.stdout) as DriftResult[];
        assert.deepEqual(
            results.map((result) => [result.id, result.object, result.field, result.findings.length]),
            [
                ['account-type', 'Account', 'Type', 0],
                [undefined, 'Contact', 'Contact_Status__c', 2],
                [3, 'Lead', 'Status', 1]
            ]
        );
        assert.deepEqual(Object.keys(results[1] ?? {}), ['object', 'field', 'findings'], 'no id when none is given');
        assert.deepEqual(withoutReasons(results[1]?.findings ?? []), [
            {
                value: 'NEW',
                kind: 'probable-rename',
                stageId: 'con_new',
                stageName: 'New',
                renamedTo: 'CS_NEW',
                fix: true
            },
            { value: 'CS_COLD', kind: 'new-value', stageName: 'Cold', fix: true }
        ]);
        const table = await automap(['drift', '--input', fixture('scenarios.json'), '--format', 'table']);
        assert.equal(table.code, 3, table.stderr);
        assert.match(table.stdout, /^Account\.Type → account stages \(scenario "account-type"\)\n\nIn sync: /);
        assert.match(table.stdout, /^Contact\.Contact_Status__c → contact stages \(scenario 2\)$/m);
        assert.match(table.stdout, /^Lead\.Status → contact stages \(scenario 3\)$/m);
    });

    test('an array whose scenarios are all in sync exits 0; an empty array too', async () => {
        const scenarios = JSON.parse(readFileSync(fixture('scenarios.json'), 'utf8')) as unknown[];
        const inSync = join(tempDir, 'in-sync-array.json');
        writeFileSync(inSync, JSON.stringify([scenarios[0]]));
        const run = await automap(['drift', '--input', inSync]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), [
            { id: 'account-type', object: 'Account', field: 'Type', findings: [] }
        ]);
        const empty = await automap(['drift', '--input', 'cli/test/fixtures/automap/empty-array.json']);
        assert.equal(empty.code, 0, empty.stderr);
        assert.equal(empty.stdout, '[]\n');
    });

    test('a recorded label with a control character is refused, by drift and by plan (exit 2, one line)', async () => {
        for (const command of ['drift', 'plan']) {
            const run = await automap([command, '--input', fixture('control-in-recorded-label.json')]);
            assertUsageError(
                run,
                /^automap: cli\/test\/fixtures\/drift\/control-in-recorded-label\.json: mappings\[0\]\.label: must not contain control characters or bidirectional formatting characters \(U\+0000 at character 5\)$/
            );
        }
    });

    test('bad input: a clear line naming the problem, exit 2, nothing on stdout', async () => {
        const cases: [string[], RegExp][] = [
            [
                ['drift', '--input', fixture('recorded-label-not-text.json')],
                /^automap: cli\/test\/fixtures\/drift\/recorded-label-not-text\.json: mappings\[0\]\.label: must be a string, got number 7$/
            ],
            [
                ['drift', '--input', 'cli/test/fixtures/automap/invalid-json.txt'],
                /^automap: cli\/test\/fixtures\/automap\/invalid-json\.txt: invalid JSON at line \d+, column \d+: /
            ],
            [
                ['drift', '--input', 'cli/test/fixtures/automap/duplicate-value.json'],
                /: scenario\[1\]\.values\[2\]\.value: duplicate value "Prospect" \(already at scenario\[1\]\.values\[0\]\)$/
            ],
            [
                ['drift', '--input', 'cli/test/fixtures/automap/unsupported-object.json'],
                /: object: "Opportunity" is not supported \(use Contact, Lead or Account\)$/
            ],
            [
                ['drift', '--input', join(tempDir, 'missing.json')],
                /^automap: cannot read --input ".*missing\.json": no such file$/
            ],
            [
                ['drift', '--input', fixture('in-sync.json'), '--format', 'xml'],
                /^automap: --format must be json or table, not "xml" \(usage: automap drift --input FILE \[--format json\|table\]\)$/
            ],
            [
                ['drift', '--input', fixture('in-sync.json'), '--expected-version', '3'],
                /^automap: unknown option "--expected-version" \(usage: automap drift --input FILE/
            ],
            [
                ['drift', 'now', '--input', fixture('in-sync.json')],
                /^automap: unexpected argument "now" \(usage: automap drift --input FILE/
            ],
            [
                ['drift'],
                /^automap: drift needs --input FILE, or --object, --field and --service to read an org \(usage: automap drift --input FILE \[--format json\|table\], or automap drift --org ALIAS /
            ]
        ];
        const runs = await Promise.all(cases.map(([args]) => automap(args)));
        runs.forEach((run, index) => {
            assertUsageError(run, cases[index]?.[1] ?? /^$/);
        });
    });

    test('--help lists drift and its exit code', async () => {
        const run = await automap(['--help']);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^ {2}automap drift --input FILE \[--format json\|table\]$/m);
        assert.match(run.stdout, /^ {2}automap drift --org ALIAS --object OBJECT --field FIELD /m);
        assert.match(run.stdout, /or drift found \(the\s+findings are printed\)/);
    });
});

// ---------------------------------------------------------------------------------------------------------------
// From an org: the fake of Salesforce's UI API, the real stage service
// ---------------------------------------------------------------------------------------------------------------

describe('automap drift --org: fake of Salesforce (UI API), real stage service', () => {
    const resources = new TestResources();
    let fakes: OrgFakes;

    before(async () => {
        fakes = await startOrgFakes(resources, 'automap-drift-org-');
    });

    after(() => resources.closeAll());

    /** The org from SF_INSTANCE_URL and SF_ACCESS_TOKEN, and the team's key. */
    function envAuth(team: Team, token = GOOD_TOKEN): Record<string, string> {
        return { SF_INSTANCE_URL: fakes.salesforce.url, SF_ACCESS_TOKEN: token, STAGE_SERVICE_API_KEY: team.apiKey };
    }

    function scopeArgs(command: string, object: string, field: string, ...more: string[]): string[] {
        return [command, '--object', object, '--field', field, '--service', fakes.service.url, ...more];
    }

    describe('Lead.Status, mapped by apply', () => {
        let team: Team;

        before(async () => {
            team = await fakes.newTeam('Acme drift');
            const apply = await automap(scopeArgs('apply', 'Lead', 'Status', '--format', 'json'), envAuth(team));
            assert.equal(apply.code, 0, apply.stderr);
        });

        test('right after apply the scope is in sync: exit 0, json and table', async () => {
            const seenBefore = fakes.salesforce.seen.length;
            const run = await automap(scopeArgs('drift', 'Lead', 'Status', '--format', 'json'), envAuth(team));
            assert.equal(run.code, 0, run.stderr);
            assert.equal(run.stderr, '');
            const result = JSON.parse(run.stdout) as OrgDriftResult;
            const state = await team.scope('Lead', 'Status');
            assert.deepEqual(result, {
                command: 'drift',
                object: 'Lead',
                field: 'Status',
                recordTypeId: MASTER,
                version: state.version,
                findings: []
            });
            // Every value of the field by default: the master record type, as plan --org reads it; then the user's
            // language (userinfo), which the labels are in.
            assert.deepEqual(
                fakes.salesforce.seen.slice(seenBefore).map((request) => `${request.method} ${request.path}`),
                [
                    `GET ${UI_API}/object-info/Lead`,
                    `GET ${UI_API}/object-info/Lead/picklist-values/${MASTER}/Status`,
                    'GET /services/oauth2/userinfo'
                ]
            );
            const table = await automap(scopeArgs('drift', 'Lead', 'Status'), envAuth(team));
            assert.equal(table.code, 0, table.stderr);
            assert.match(table.stdout, /^Org: {11}http:\/\/127\.0\.0\.1:\d+$/m);
            assert.match(
                table.stdout,
                /^Field: {9}Lead\.Status "Lead Status", record type Master \(012000000000000AAA\), 7 active values$/m
            );
            assert.match(
                table.stdout,
                new RegExp(`^Stage service: ${fakes.service.url}, contact stages, state version ${state.version}$`, 'm')
            );
            assert.match(
                table.stdout,
                /\nLead\.Status → contact stages\n\nIn sync: every mapping matches the picklist, and every active value is mapped\.\n$/
            );
        });

        test('--record-type narrows to its values: the mapped values it does not offer read as removed', async () => {
            const seenBefore = fakes.salesforce.seen.length;
            const run = await automap(
                scopeArgs('drift', 'Lead', 'Status', '--record-type', PARTNER, '--format', 'json'),
                envAuth(team)
            );
            assert.equal(run.code, 3, run.stderr);
            const result = JSON.parse(run.stdout) as OrgDriftResult;
            assert.equal(result.recordTypeId, PARTNER);
            assert.deepEqual(
                result.findings.map((finding) => [finding.value, finding.kind, finding.fix]),
                [
                    ['Closed - Not Converted', 'value-removed', true],
                    ['Nurturing', 'value-removed', true],
                    ['Qualified', 'value-removed', true],
                    ['Working - Contacted', 'value-removed', true]
                ]
            );
            assert.ok(
                fakes.salesforce.seen
                    .slice(seenBefore)
                    .some((request) => request.path === `${UI_API}/object-info/Lead/picklist-values/${PARTNER}/Status`)
            );
        });
    });

    describe('Contact.Contact_Status__c of a second org, mapped by hand before a rename and a removal', () => {
        let team: Team;

        before(async () => {
            team = await fakes.newTeam('Globex drift');
            const mapped: [string, string][] = [
                ['New', 'NEW'], // the value since renamed CS_NEW, still labelled "New"
                ['Lost', 'CS_LOST'], // removed from the picklist
                ['Cold', 'CS_COLD'] // still there; the service recorded no label, so its API name stands for it
            ];
            for (const [name, value] of mapped) {
                const stageId = await createStage(team, name);
                await team.call('PUT', '/v1/scopes/Contact/Contact_Status__c/mappings', { value, stageId });
            }
        });

        test('drift found: exit 3, the findings as JSON, and nothing changed on the service', async () => {
            const before = await team.scope('Contact', 'Contact_Status__c');
            const run = await automap(
                [...scopeArgs('drift', 'contact', 'contact_status__c', '--format', 'json'), '--org', 'globex'],
                { SF_CLI_BIN: fakes.sfBin, STAGE_SERVICE_API_KEY: team.apiKey }
            );
            assert.equal(run.code, 3, run.stderr);
            assert.equal(run.stderr, '');
            const result = JSON.parse(run.stdout) as OrgDriftResult;
            assert.deepEqual(
                [result.command, result.object, result.field, result.recordTypeId, result.version],
                ['drift', 'Contact', 'Contact_Status__c', MASTER, before.version]
            );
            const stageId = (name: string): string => before.stages.find((stage) => stage.name === name)?.id ?? '';
            assert.deepEqual(withoutReasons(result.findings), [
                {
                    value: 'NEW',
                    kind: 'probable-rename',
                    stageId: stageId('New'),
                    stageName: 'New',
                    renamedTo: 'CS_NEW',
                    fix: true
                },
                { value: 'CS_LOST', kind: 'value-removed', stageId: stageId('Lost'), stageName: 'Lost', fix: true },
                { value: 'CS_COLD', kind: 'label-changed', stageId: stageId('Cold'), stageName: 'Cold', fix: false },
                { value: 'CS_GONE', kind: 'new-value', stageName: 'Changed Job', fix: true },
                { value: 'CS_KEEN', kind: 'new-value', stageName: 'Interested', fix: true },
                { value: 'CS_NO', kind: 'new-value', stageName: 'Not Interested', fix: true },
                { value: 'CS_REPLIED', kind: 'new-value', stageName: 'Replied', fix: true },
                { value: 'CS_WORKING', kind: 'new-value', stageName: 'Approaching', fix: true }
            ]);
            assert.deepEqual(await team.scope('Contact', 'Contact_Status__c'), before, 'drift changes nothing');
            assert.deepEqual(await team.runs('Contact', 'Contact_Status__c'), []);
        });

        test('drift found, as a table: the header, the findings, the UI API note and where to fix; exit 3', async () => {
            const run = await automap(scopeArgs('drift', 'Contact', 'Contact_Status__c'), envAuth(team, GLOBEX_TOKEN));
            assert.equal(run.code, 3, run.stderr);
            assert.equal(run.stderr, '');
            const lines = run.stdout.split('\n');
            assert.match(run.stdout, /^Field: {9}Contact\.Contact_Status__c "Contact Status", record type /m);
            assert.ok(lines.includes('Contact.Contact_Status__c → contact stages'), run.stdout);
            assert.match(run.stdout, /^NEW\s+probable-rename\s+New\s+move to CS_NEW\s+"NEW" is no longer/m);
            assert.match(run.stdout, /^CS_LOST\s+value-removed\s+Lost\s+remove the mapping\s+/m);
            assert.ok(
                lines.includes(
                    'Drift: 8 findings, 7 with a fix: 1 probable-rename, 1 value-removed, 1 label-changed, 5 new-value'
                ),
                run.stdout
            );
            assert.match(run.stdout, /^Note: the UI API lists active values only, /m);
            assert.match(
                run.stdout,
                /Apply the fixes on the Stage AutoMap page \("Changes since mapping"\); this command changes nothing\.\n$/
            );
        });
    });

    test('the label a mapping recorded on the service is what drift compares with', async () => {
        const team = await fakes.newTeam('Acme recorded labels');
        const open = await createStage(team, 'Open');
        await team.call('PUT', '/v1/scopes/Lead/Status/mappings', { value: 'Open - Not Contacted', stageId: open });
        // The service answers through a proxy that adds the label each mapping recorded (the mapping was made when
        // the value was labelled "Open"), as the service's scope state carries it once it records labels.
        const proxy = createServer((request, response) => {
            void forward(request, response);
        });
        const forward = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
            const answer = await fetch(`${fakes.service.url}${request.url ?? ''}`, {
                headers: { authorization: request.headers.authorization ?? '', accept: 'application/json' }
            });
            const body = (await answer.json()) as {
                mappings?: { value: string; label?: string; labelLanguage?: string }[];
            };
            const german = germanNext;
            for (const mapping of body.mappings ?? []) {
                if (mapping.value === 'Open - Not Contacted') {
                    mapping.label = german ? 'Offen' : 'Open';
                    if (german) {
                        mapping.labelLanguage = 'de';
                    }
                }
            }
            response.writeHead(answer.status, { 'Content-Type': 'application/json' });
            response.end(JSON.stringify(body));
        };
        // Set for the third run: the label was recorded by a German admin.
        let germanNext = false;
        const proxyUrl = await listen(proxy);
        try {
            const finding = async (service: string): Promise<CliFinding | undefined> => {
                const run = await automap(
                    ['drift', '--object', 'Lead', '--field', 'Status', '--service', service, '--format', 'json'],
                    envAuth(team)
                );
                assert.equal(run.code, 3, run.stderr);
                const result = JSON.parse(run.stdout) as OrgDriftResult;
                return result.findings.find((each) => each.value === 'Open - Not Contacted');
            };
            // Without a recorded label the value stands for it: the label has not changed from the value.
            assert.equal(await finding(fakes.service.url), undefined);
            const relabelled = await finding(proxyUrl);
            assert.deepEqual(relabelled && withoutReasons([relabelled]), [
                {
                    value: 'Open - Not Contacted',
                    kind: 'label-changed',
                    stageId: open,
                    stageName: 'Open',
                    newStageName: 'Open - Not Contacted',
                    fix: true
                }
            ]);
            assert.match(relabelled?.reason ?? '', /changed from "Open" to "Open - Not Contacted"/);
            // Recorded as "Offen" in German; the CLI's user reads English (userinfo's language en_US): the two
            // labels are not compared, so nothing changed.
            germanNext = true;
            assert.equal(await finding(proxyUrl), undefined);
        } finally {
            await close(proxy);
        }
    });

    test('usage errors are found before the org is contacted: exit 2, one line', async () => {
        const team = await fakes.newTeam('Acme drift usage');
        const seenBefore = fakes.salesforce.seen.length;
        const cases: [string[], Record<string, string>, RegExp][] = [
            [
                scopeArgs('drift', 'Lead', 'Status', '--expected-version', '3'),
                envAuth(team),
                /^automap: --expected-version is for apply; drift changes nothing \(usage: automap drift --org ALIAS /
            ],
            [
                scopeArgs('drift', 'Lead', 'Status', '--idempotency-key', 'k'),
                envAuth(team),
                /^automap: --idempotency-key is for apply; drift changes nothing /
            ],
            [
                scopeArgs('drift', 'Lead', 'Status', '--output', 'x.json'),
                envAuth(team),
                /^automap: --output is for export; drift prints what it finds /
            ],
            [
                scopeArgs('drift', 'Opportunity', 'StageName'),
                envAuth(team),
                /^automap: --object must be Contact, Lead or Account .*, not "Opportunity" \(usage: automap drift --org /
            ],
            [
                scopeArgs('drift', 'Lead', 'Status'),
                { SF_INSTANCE_URL: fakes.salesforce.url, SF_ACCESS_TOKEN: GOOD_TOKEN },
                /^automap: STAGE_SERVICE_API_KEY is not set: export the stage service API key first /
            ],
            [['drift', '--object', 'Lead', '--field', 'Status'], envAuth(team), /^automap: missing --service URL /]
        ];
        for (const [args, env, expected] of cases) {
            assertUsageError(await automap(args, env), expected);
        }
        assert.equal(fakes.salesforce.seen.length, seenBefore, 'the org was not contacted');
    });

    test('a stage service that cannot be reached: exit 1, one line, nothing on stdout', async () => {
        const team = await fakes.newTeam('Acme drift down');
        const down = await closedPortUrl();
        const run = await automap(['drift', '--object', 'Lead', '--field', 'Status', '--service', down], envAuth(team));
        assert.equal(run.code, 1, run.stderr);
        assert.equal(run.stdout, '');
        assertOneCleanLine(
            run,
            /^automap: cannot reach the stage service at http:\/\/127\.0\.0\.1:\d+: connection refused /
        );
    });
});
