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
import { planAutoMap } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { startPreview } from '../../preview/server.ts';
import type { RunningPreview } from '../../preview/server.ts';
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

/**
 * What a plan decided, without the stage ids a preview's service gives its own copies of the stages, and with the
 * stage's name only where the CLI's output has one.
 */
function decisions(plan: { outcomes: { value: string; outcome: string; stageName?: string }[] }): string[][] {
    const named = new Set(['map-existing', 'create-and-map', 'skip-stage-taken']);
    return plan.outcomes.map((outcome) => [
        outcome.value,
        outcome.outcome,
        named.has(outcome.outcome) ? (outcome.stageName ?? '') : ''
    ]);
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

describe('automap export, then npm start -- --picklists FILE: the preview on the exported field', () => {
    let preview: RunningPreview | undefined;
    after(async () => {
        await preview?.close();
    });

    test('the served UI API data and the Apex stand-in hold the exported values and the service’s state', async () => {
        const team = await fakes.newTeam('Export to the preview');
        await createStage(team, 'Cold');
        const interested = await createStage(team, 'Interested');
        await team.call('PUT', '/v1/scopes/Contact/Contact_Status__c/mappings', {
            value: 'CS_KEEN',
            stageId: interested
        });
        const output = join(exportsDir, 'globex-contact-status.json');
        const exported = await automap(
            [
                'export',
                '--object',
                'Contact',
                '--field',
                'Contact_Status__c',
                '--service',
                fakes.service.url,
                '--output',
                output
            ],
            globex(team)
        );
        assert.equal(exported.code, 0, exported.stderr);
        const planned = await automap(['plan', '--input', output, '--format', 'json']);
        assert.equal(planned.code, 0, planned.stderr);

        preview = await startPreview({ port: 0, dataDir: join(fakes.tempDir, 'preview'), picklists: output });
        // The page's UI API: the exported values and labels, in order, for the master and default record type.
        const org = (await (await fetch(new URL('/preview/org.json', preview.url))).json()) as {
            focus: { object: string; field: string };
            objects: Record<
                string,
                {
                    objectInfo: { defaultRecordTypeId: string; fields: Record<string, { dataType: string }> };
                    picklistValuesByRecordType: Record<
                        string,
                        { picklistFieldValues: Record<string, { values: { value: string; label: string }[] }> }
                    >;
                }
            >;
        };
        assert.deepEqual(org.focus, { object: 'Contact', field: 'Contact_Status__c' });
        const contact = org.objects.Contact;
        assert.equal(contact?.objectInfo.fields.Contact_Status__c?.dataType, 'Picklist');
        const values = contact.picklistValuesByRecordType[MASTER]?.picklistFieldValues.Contact_Status__c?.values;
        assert.deepEqual(
            values?.map(({ value, label }) => ({ value, label })),
            GLOBEX_CONTACT_STATUS
        );
        // The Apex stand-in: the field exists there too, and the service holds the exported stages and mapping.
        const apex = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
            const response = await fetch(new URL(`/apex/StageAutoMapController/${method}`, preview?.url), {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-Preview-Persona': 'admin' },
                body: JSON.stringify({ objectApiName: 'Contact', fieldApiName: 'Contact_Status__c', ...params })
            });
            const body: unknown = await response.json();
            assert.equal(response.status, 200, JSON.stringify(body));
            return body;
        };
        // The Apex hands the scope state over as the service's JSON text; the page parses it.
        const state = JSON.parse((await apex('getScopeState', {})) as string) as {
            version: number;
            stages: { id: string; name: string }[];
            mappings: { value: string; stageId: string }[];
        };
        const stageName = new Map(state.stages.map((stage) => [stage.id, stage.name]));
        assert.deepEqual(state.stages.map((stage) => stage.name).sort(), ['Cold', 'Interested']);
        assert.deepEqual(
            state.mappings.map((mapping) => [mapping.value, stageName.get(mapping.stageId)]),
            [['CS_KEEN', 'Interested']]
        );
        // The page's plan (the engine in the browser, on the state the stand-in read) decides as plan --input decided
        // for the file.
        const previewed = planAutoMap({
            object: 'Contact',
            field: 'Contact_Status__c',
            values,
            stages: state.stages,
            mappings: state.mappings
        });
        assert.deepEqual(decisions(previewed), decisions(JSON.parse(planned.stdout) as PlanJson));
        assert.ok(preview.apiKey.startsWith('sam_local_picklists_'), 'a key of the file’s own');
    });
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
