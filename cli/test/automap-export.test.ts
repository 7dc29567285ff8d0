/**
 * `automap export` (issue 11, "Try it on your own picklists"): one picklist field of an org written as a scenario
 * file, run as a child process against the fake of Salesforce and the real stage service (cli/test/org-fakes.ts).
 * The file must plan with `plan --input` exactly as `plan --org` plans the same field, and start the local preview
 * (`startPreview({ picklists })`), whose Apex stand-in and served UI API data then hold the org of the file.
 *
 * Run: npx tsx scripts/run-node-tests.ts automap-export   (builds the preview first when its inputs changed)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import {
    GLOBEX_TOKEN,
    INBOUND,
    MASTER,
    UI_API,
    assertOneCleanLine,
    automap,
    closedPortUrl,
    createStage,
    startOrgFakes
} from './org-fakes.ts';
import type { JsonOutcome, OrgFakes, Team } from './org-fakes.ts';

interface ExportedFile {
    id: string;
    object: string;
    field: string;
    values: { value: string; label: string }[];
    stages: { id: string; name: string }[];
    mappings?: { value: string; stageId: string }[];
}

interface PlanJson {
    outcomes: JsonOutcome[];
    suggestions: unknown[];
    summary: { total: number; counts: Record<string, number> };
}

const LEAD_STATUS_MASTER = [
    'Open - Not Contacted',
    'Working - Contacted',
    'Nurturing',
    'Qualified',
    'Partner Accepted',
    'Closed - Converted',
    'Closed - Not Converted'
];

/** The second org's Contact status picklist: API names that are not its labels. */
const GLOBEX_CONTACT_STATUS = [
    { value: 'CS_NEW', label: 'New' },
    { value: 'CS_COLD', label: 'Cold' },
    { value: 'CS_WORKING', label: 'Approaching' },
    { value: 'CS_REPLIED', label: 'Replied' },
    { value: 'CS_KEEN', label: 'Interested' },
    { value: 'CS_NO', label: 'Not Interested' },
    { value: 'CS_GONE', label: 'Changed Job' }
];

let fakes: OrgFakes;
let exportsDir: string;
const resources = new TestResources();

before(async () => {
    fakes = await startOrgFakes(resources, 'automap-export-');
    exportsDir = join(fakes.tempDir, 'exports');
    mkdirSync(exportsDir);
});

after(() => resources.closeAll());

/** The first org through the fake `sf` (alias acme), and the team's key when there is one. */
function acme(team?: Team): Record<string, string> {
    return { SF_CLI_BIN: fakes.sfBin, ...(team ? { STAGE_SERVICE_API_KEY: team.apiKey } : {}) };
}

/** The second org from SF_INSTANCE_URL and SF_ACCESS_TOKEN. */
function globex(team?: Team): Record<string, string> {
    return {
        SF_INSTANCE_URL: fakes.salesforce.url,
        SF_ACCESS_TOKEN: GLOBEX_TOKEN,
        ...(team ? { STAGE_SERVICE_API_KEY: team.apiKey } : {})
    };
}

function readExport(path: string): ExportedFile {
    return JSON.parse(readFileSync(path, 'utf8')) as ExportedFile;
}

/** What a plan decided, without the stage ids a preview's service gives its own copies of the stages. */
function decisions(plan: { outcomes: { value: string; outcome: string; stageName?: string }[] }): string[][] {
    return plan.outcomes.map((outcome) => [outcome.value, outcome.outcome, outcome.stageName ?? '']);
}

// One test at a time: the first one checks which requests reached the fake of Salesforce.
describe('automap export: a field of the org as a scenario file', () => {
    test('without --service: every value of the field (the master record type), labels, no stages, no mappings', async () => {
        const seenBefore = fakes.salesforce.seen.length;
        const run = await automap(['export', '--org', 'acme', '--object', 'lead', '--field', 'status'], acme());
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, '');
        const file = JSON.parse(run.stdout) as ExportedFile;
        assert.deepEqual(Object.keys(file), ['id', 'object', 'field', 'values', 'stages']);
        assert.equal(file.id, 'acme Lead.Status');
        assert.deepEqual([file.object, file.field], ['Lead', 'Status']);
        assert.deepEqual(
            file.values,
            LEAD_STATUS_MASTER.map((value) => ({ value, label: value }))
        );
        assert.deepEqual(file.stages, []);
        assert.deepEqual(
            fakes.salesforce.seen.slice(seenBefore).map((request) => `${request.method} ${request.path}`),
            [`GET ${UI_API}/object-info/Lead`, `GET ${UI_API}/object-info/Lead/picklist-values/${MASTER}/Status`]
        );
    });

    test('--record-type narrows to that record type’s values', async () => {
        const run = await automap(
            ['export', '--org', 'acme', '--object', 'Lead', '--field', 'Status', '--record-type', INBOUND],
            acme()
        );
        assert.equal(run.code, 0, run.stderr);
        const file = JSON.parse(run.stdout) as ExportedFile;
        assert.deepEqual(
            file.values.map((value) => value.value),
            LEAD_STATUS_MASTER.filter((value) => value !== 'Partner Accepted')
        );
    });

    test('labels are the org’s, in picklist order; the id names the instance without --org', async () => {
        const run = await automap(['export', '--object', 'Contact', '--field', 'contact_status__c'], globex());
        assert.equal(run.code, 0, run.stderr);
        const file = JSON.parse(run.stdout) as ExportedFile;
        assert.equal(file.id, `${new URL(fakes.salesforce.url).host} Contact.Contact_Status__c`);
        assert.deepEqual(file.values, GLOBEX_CONTACT_STATUS);
    });

    test('--service adds the scope’s stages and mappings; --output writes the file and says how to try it', async () => {
        const team = await fakes.newTeam('Export with state');
        const qualified = await createStage(team, 'Qualified');
        const nurture = await createStage(team, 'Nurture');
        await team.call('PUT', '/v1/scopes/Lead/Status/mappings', { value: 'Nurturing', stageId: nurture });
        const output = join(exportsDir, 'lead-status.json');
        const run = await automap(
            [
                'export',
                '--org',
                'acme',
                '--object',
                'Lead',
                '--field',
                'Status',
                '--service',
                fakes.service.url,
                '--output',
                output
            ],
            acme(team)
        );
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, '');
        assert.equal(
            run.stdout,
            `Wrote ${output}: Lead.Status "Lead Status", record type Master (${MASTER}), 7 values; 2 stages and 1 mapping from the stage service.\n` +
                `Try auto-map on it in the local preview: npm start -- --picklists ${output}\n`
        );
        const file = readExport(output);
        assert.deepEqual(
            file.stages.map((stage) => [stage.id, stage.name]),
            [
                [qualified, 'Qualified'],
                [nurture, 'Nurture']
            ]
        );
        assert.deepEqual(file.mappings, [{ value: 'Nurturing', stageId: nurture }]);
    });
});

describe('automap export, then plan --input: the same outcomes as plan --org for the same field', () => {
    const cases: [string, string[], (team: Team) => Record<string, string>, (team: Team) => Promise<void>][] = [
        [
            'Lead.Status (every value, stages and a mapping on the service)',
            ['--org', 'acme', '--object', 'Lead', '--field', 'Status'],
            acme,
            async (team) => {
                await createStage(team, 'working - contacted');
                await createStage(team, 'Partner Accepted');
                const taken = await createStage(team, 'Qualifed');
                await team.call('PUT', '/v1/scopes/Lead/Status/mappings', {
                    value: 'Open - Not Contacted',
                    stageId: taken
                });
            }
        ],
        [
            'Contact.Contact_Status__c (API names differ from labels)',
            ['--object', 'Contact', '--field', 'Contact_Status__c'],
            globex,
            async (team) => {
                await createStage(team, 'Cold');
                const replied = await createStage(team, 'Replied');
                await createStage(team, 'Interested');
                await team.call('PUT', '/v1/scopes/Contact/Contact_Status__c/mappings', {
                    value: 'CS_REPLIED',
                    stageId: replied
                });
            }
        ]
    ];
    for (const [what, scope, auth, arrange] of cases) {
        test(what, async () => {
            const team = await fakes.newTeam(`Same plan: ${what}`);
            await arrange(team);
            const output = join(exportsDir, `${scope.at(-3) ?? ''}-${scope.at(-1) ?? ''}.json`);
            const exported = await automap(
                ['export', ...scope, '--service', fakes.service.url, '--output', output],
                auth(team)
            );
            assert.equal(exported.code, 0, exported.stderr);
            const fromFile = await automap(['plan', '--input', output, '--format', 'json']);
            assert.equal(fromFile.code, 0, fromFile.stderr);
            const fromOrg = await automap(
                ['plan', ...scope, '--record-type', MASTER, '--service', fakes.service.url, '--format', 'json'],
                auth(team)
            );
            assert.equal(fromOrg.code, 0, fromOrg.stderr);
            const filePlan = JSON.parse(fromFile.stdout) as PlanJson;
            const orgPlan = JSON.parse(fromOrg.stdout) as PlanJson;
            assert.deepEqual(filePlan.outcomes, orgPlan.outcomes);
            assert.deepEqual(filePlan.suggestions, orgPlan.suggestions);
            assert.deepEqual(filePlan.summary, orgPlan.summary);
            // Not a trivial plan: something is created, something matched, something already mapped.
            const kinds = new Set(filePlan.outcomes.map((outcome) => outcome.outcome));
            for (const kind of ['create-and-map', 'map-existing', 'already-mapped']) {
                assert.ok(kinds.has(kind), `${what}: a ${kind} outcome in ${[...kinds].join(', ')}`);
            }
        });
    }
});

describe('automap export: usage errors (exit 2, nothing contacted) and failures (exit 1)', { concurrency: 4 }, () => {
    const lead = ['export', '--org', 'acme', '--object', 'Lead', '--field', 'Status'];
    const usage: [string, string[], Record<string, string>, RegExp][] = [
        [
            '--format',
            [...lead, '--format', 'json'],
            {},
            /^automap: export takes no --format: export writes JSON \(usage: automap export /
        ],
        [
            '--expected-version',
            [...lead, '--expected-version', '3'],
            {},
            /^automap: export takes no --expected-version: it is for apply \(usage: automap export /
        ],
        [
            '--service without STAGE_SERVICE_API_KEY',
            [...lead, '--service', 'http://127.0.0.1:9'],
            {},
            /^automap: STAGE_SERVICE_API_KEY is not set: export the stage service API key first \(usage: automap export /
        ],
        ['a missing --field', ['export', '--org', 'acme', '--object', 'Lead'], {}, /^automap: export needs --field /],
        [
            'an object the stage service does not map',
            ['export', '--org', 'acme', '--object', 'Opportunity', '--field', 'StageName'],
            {},
            /^automap: --object must be Contact, Lead or Account/
        ],
        ['no org', ['export', '--object', 'Lead', '--field', 'Status'], {}, /^automap: which org\? /],
        ['an extra argument', [...lead, 'now'], {}, /^automap: unexpected argument "now" \(usage: automap export /]
    ];
    for (const [what, args, env, expected] of usage) {
        test(`refuses ${what}`, async () => {
            const run = await automap(args, { ...acme(), ...env });
            assert.equal(run.code, 2, run.stderr);
            assert.equal(run.stdout, '');
            assertOneCleanLine(run, expected);
        });
    }

    test('refuses an --output in a folder that does not exist before contacting the org', async () => {
        const seenBefore = fakes.salesforce.seen.length;
        const output = join(exportsDir, 'no-such-folder', 'lead.json');
        const run = await automap([...lead, '--output', output], acme());
        assert.equal(run.code, 2, run.stderr);
        assertOneCleanLine(
            run,
            /^automap: --output ".*no-such-folder\/lead\.json": the folder .*no-such-folder does not exist$/
        );
        assert.equal(fakes.salesforce.seen.length, seenBefore, 'the org was not contacted');
    });

    test('refuses --output with plan: it is for export', async () => {
        const run = await automap(
            [
                'plan',
                '--org',
                'acme',
                '--object',
                'Lead',
                '--field',
                'Status',
                '--service',
                'http://127.0.0.1:9',
                '--output',
                'x.json'
            ],
            { ...acme(), STAGE_SERVICE_API_KEY: 'k' }
        );
        assert.equal(run.code, 2, run.stderr);
        assertOneCleanLine(run, /^automap: --output is for export; plan and apply print what they do/);
    });

    test('a field the org does not have: exit 1, the picklist fields it has', async () => {
        const run = await automap(['export', '--org', 'acme', '--object', 'Lead', '--field', 'Stage__c'], acme());
        assert.equal(run.code, 1, run.stderr);
        assert.equal(run.stdout, '');
        assertOneCleanLine(
            run,
            /^automap: Lead has no field "Stage__c" .*picklist fields of Lead: Industry, LeadSource, Rating, Status$/
        );
    });

    test('a stage service that cannot be reached: exit 1, nothing written', async () => {
        const url = await closedPortUrl();
        const output = join(exportsDir, 'unwritten.json');
        const run = await automap([...lead, '--service', url, '--output', output], {
            ...acme(),
            STAGE_SERVICE_API_KEY: 'k'
        });
        assert.equal(run.code, 1, run.stderr);
        assertOneCleanLine(
            run,
            /^automap: cannot reach the stage service at http:\/\/127\.0\.0\.1:\d+: connection refused/
        );
        assert.throws(() => readFileSync(output), /ENOENT/);
    });

    test('--help documents export', async () => {
        const run = await automap(['--help']);
        assert.equal(run.code, 0);
        assert.match(
            run.stdout,
            /automap export --org ALIAS --object OBJECT --field FIELD \[--record-type ID\] \[--output FILE\] \[--service URL\]/
        );
        assert.match(run.stdout, /npm start -- --picklists FILE/);
    });
});
