/**
 * `npm start -- --picklists FILE` (issue 11, "Try it on your own picklists"): the preview on an admin's own
 * picklists. One org is built from the file and read by both sides: the page's UI API (served at /preview/org.json)
 * and the Apex stand-in's `Schema` describe; the file's stages and mappings seed a team of its own in the embedded
 * stage service; a file the CLI refuses is refused before anything starts, with the CLI's message; the start banner
 * gives the service's key; and in Chromium the page opens on the file's first field.
 *
 * Run: npx tsx scripts/run-node-tests.ts preview/test/picklists   (after `npm run build`)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { planFromInputFile } from '../../cli/input-file.ts';
import { planAutoMap } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { DEFAULT_DEMO_API_KEY, createStore, silentLogger, startService } from '../../service/src/index.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import { ROOT, buildPreview } from '../build.ts';
import type { RecordedObjects } from '../demoOrg.ts';
import { ORG_JSON_PATH, startPreview } from '../server.ts';
import type { RunningPreview } from '../server.ts';
import { L } from './page-words.ts';
import { launchChromium, openPreview, screenshot } from './support.ts';

const FILE = join(ROOT, 'preview/test/fixtures/picklists.json');
const MASTER = '012000000000000AAA';
const INBOUND = '0125g000000InBdAAE';
const PARTNER = '0125g000000PaRtAAE';

interface ServedOrg {
    source: string;
    file?: string;
    objects: RecordedObjects;
    fileFields: Record<string, string[]>;
    focus?: { object: string; field: string };
}

interface ScopeState {
    version: number;
    stages: { id: string; name: string }[];
    mappings: { value: string; stageId: string }[];
}

async function servedOrg(preview: RunningPreview): Promise<ServedOrg> {
    const response = await fetch(new URL(ORG_JSON_PATH, preview.url));
    assert.equal(response.status, 200);
    return (await response.json()) as ServedOrg;
}

/** The active values the page's UI API returns for a field and record type: [value, label]. */
function picklist(org: ServedOrg, object: string, field: string, recordTypeId = MASTER): string[][] | undefined {
    return org.objects[object]?.picklistValuesByRecordType[recordTypeId]?.picklistFieldValues[field]?.values.map(
        (entry) => [entry.value, entry.label]
    );
}

async function callApex(preview: RunningPreview, method: string, params: unknown): Promise<Response> {
    return fetch(new URL(`/apex/StageAutoMapController/${method}`, preview.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Preview-Persona': 'admin' },
        body: JSON.stringify(params)
    });
}

async function scopeState(preview: RunningPreview, object: string, field: string): Promise<ScopeState> {
    const response = await callApex(preview, 'getScopeState', { objectApiName: object, fieldApiName: field });
    // The Apex hands the scope state over as the service's JSON text; the page parses it.
    const body = (await response.json()) as string | { message?: string };
    assert.equal(response.status, 200, typeof body === 'string' ? body : body.message);
    return JSON.parse(body as string) as ScopeState;
}

/** value → stage name, for the scope's mappings. */
function mapped(state: ScopeState): string[][] {
    const names = new Map(state.stages.map((stage) => [stage.id, stage.name]));
    return state.mappings.map((mapping) => [mapping.value, names.get(mapping.stageId) ?? '?']);
}

/** Runs a command from the repository root and collects its output and exit code. */
function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
        });
        child.stderr.on('data', (chunk: Buffer) => {
            output += chunk.toString();
        });
        child.on('exit', (code) => {
            resolve({ code, output });
        });
    });
}

async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
        probe.close(() => {
            resolve();
        });
    });
    return port;
}

describe('npm start -- --picklists FILE: one org from the file for the page and the Apex stand-in', () => {
    let dataDir: string;
    let preview: RunningPreview;
    const resources = new TestResources();

    before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'stage-automap-picklists-'));
        resources.defer('the data folder', () => {
            rmSync(dataDir, { recursive: true, force: true });
        });
        await buildPreview();
        preview = resources.add(
            'the preview',
            await startPreview({ port: 0, dataDir, build: false, picklists: FILE }),
            (started) => started.close()
        );
    });

    after(() => resources.closeAll());

    test('the served UI API data: the file’s fields as single-select picklists, active values only, labels as given', async () => {
        const org = await servedOrg(preview);
        assert.equal(org.source, 'file');
        assert.equal(org.file, 'picklists.json');
        assert.deepEqual(org.focus, { object: 'Lead', field: 'Lead_Stage__c' });
        assert.deepEqual(org.fileFields, { Lead: ['Lead_Stage__c', 'Status'], Contact: ['Contact_Status__c'] });
        const stage = org.objects.Lead?.objectInfo.fields.Lead_Stage__c;
        assert.deepEqual(
            [stage?.apiName, stage?.label, stage?.dataType, stage?.custom],
            ['Lead_Stage__c', 'Lead Stage', 'Picklist', true]
        );
        // Every record type of the object offers every active value, in the file's order.
        for (const recordTypeId of [MASTER, INBOUND, PARTNER]) {
            assert.deepEqual(picklist(org, 'Lead', 'Lead_Stage__c', recordTypeId), [
                ['LS_NEW', 'New'],
                ['LS_WORK', 'Working'],
                ['LS_KEEN', 'Interested']
            ]);
        }
        // A same-named demo field is replaced (in the demo org's spelling), its label kept; a blank label is the value.
        assert.deepEqual(picklist(org, 'Lead', 'Status', INBOUND), [
            ['Open - Not Contacted', 'Open'],
            ['Qualified', 'Qualified']
        ]);
        assert.equal(org.objects.Lead?.objectInfo.fields.Status?.label, 'Lead Status');
        assert.deepEqual(picklist(org, 'Contact', 'Contact_Status__c'), [
            ['Cold', 'Cold'],
            ['Keen', 'Interested'],
            ['Replied', 'Replied']
        ]);
        assert.equal(picklist(org, 'Contact', 'contact_status__c'), undefined, 'one spelling, the org’s');
        // The rest of the demo org is still there.
        assert.ok(picklist(org, 'Lead', 'LeadSource', INBOUND)?.length, 'Lead.LeadSource is the demo org’s');
        assert.ok(org.objects.Account?.objectInfo.fields.Type, 'Account is the demo org’s');
    });

    test('the page is told to read that org; without a file it is not, and the demo org is served', async () => {
        const page = await (await fetch(preview.url)).text();
        assert.match(page, new RegExp(`<meta name="stage-automap-org" content="${ORG_JSON_PATH}" />\\s*</head>`));
        const demo = await startPreview({ port: 0, dataDir: join(dataDir, 'demo'), build: false });
        try {
            assert.doesNotMatch(await (await fetch(demo.url)).text(), /stage-automap-org/);
            const org = await servedOrg(demo);
            assert.equal(org.source, 'demo');
            assert.equal(picklist(org, 'Lead', 'Lead_Stage__c'), undefined);
            assert.equal(demo.apiKey, DEFAULT_DEMO_API_KEY);
        } finally {
            await demo.close();
        }
    });

    test('the Apex stand-in describes the same org: a field only the file has is a picklist there, not in the demo', async () => {
        const state = await scopeState(preview, 'lead', 'lead_stage__c');
        assert.deepEqual(state.mappings, []);
        const demo = await startPreview({ port: 0, dataDir: join(dataDir, 'demo'), build: false });
        try {
            const response = await callApex(demo, 'getScopeState', {
                objectApiName: 'Lead',
                fieldApiName: 'Lead_Stage__c'
            });
            assert.equal(response.status, 500, 'the demo org has no Lead_Stage__c');
        } finally {
            await demo.close();
        }
    });

    test('the file’s stages and mappings are the service’s state; a scope without any starts empty', async () => {
        const contact = await scopeState(preview, 'Contact', 'Contact_Status__c');
        assert.deepEqual(contact.stages.map((stage) => stage.name).sort(), ['Interested', 'New']);
        assert.deepEqual(mapped(contact), [['Keen', 'Interested']]);
        const status = await scopeState(preview, 'Lead', 'Status');
        assert.deepEqual(status.mappings, []);
        // Only the file's stages: none of the demo team's.
        assert.equal(
            status.stages.some((stage) => stage.name === 'Cold'),
            false
        );
    });

    test('auto-map through the stand-in plans the page’s values as the CLI plans the file', async () => {
        const org = await servedOrg(preview);
        const cli = planFromInputFile(FILE).scenarios[1];
        assert.ok(cli);
        const values = (picklist(org, 'Contact', 'Contact_Status__c') ?? []).map(([value = '', label = '']) => ({
            value,
            label
        }));
        // The page plans in the browser with the engine, on the state the stand-in reads from the service.
        const state = await scopeState(preview, 'Contact', 'Contact_Status__c');
        const plan = planAutoMap({
            object: 'Contact',
            field: 'Contact_Status__c',
            values,
            stages: state.stages.map((stage) => ({ id: stage.id, name: stage.name })),
            mappings: state.mappings.map((mapping) => ({ value: mapping.value, stageId: mapping.stageId }))
        });
        const decisions = (outcomes: { value: string; outcome: string; stageName?: string }[]): string[][] =>
            outcomes.map((outcome) => [outcome.value, outcome.outcome, outcome.stageName ?? '']);
        assert.deepEqual(decisions(plan.outcomes), decisions(cli.plan.outcomes));
        assert.deepEqual(decisions(cli.plan.outcomes), [
            ['Cold', 'create-and-map', 'Cold'],
            ['Keen', 'already-mapped', 'Interested'],
            ['Replied', 'create-and-map', 'Replied']
        ]);
    });

    test('a data folder and a key of the file’s own: never the demo team’s data', async () => {
        const hash = preview.picklists?.hash ?? '';
        assert.match(hash, /^[0-9a-f]{12}$/);
        assert.equal(preview.dataDir, join(dataDir, `picklists-${hash}`));
        assert.equal(preview.apiKey, `sam_local_picklists_${hash}`);
        assert.equal(existsSync(join(dataDir, 'stage-service.sqlite')), false, 'no demo database beside it');
        const asDemo = await fetch(`${preview.serviceUrl}/v1/scopes/Lead/Status`, {
            headers: { Authorization: `Bearer ${DEFAULT_DEMO_API_KEY}` }
        });
        assert.equal(asDemo.status, 401, 'the demo key reaches nothing here');
        const asFile = await fetch(`${preview.serviceUrl}/v1/scopes/Contact/Contact_Status__c`, {
            headers: { Authorization: `Bearer ${preview.apiKey}` }
        });
        assert.equal(asFile.status, 200, 'the printed key calls the service by hand');
    });

    test('a second start on the file keeps what the admin did; --reset seeds the file again', async () => {
        const other = join(dataDir, 'restart');
        const first = await startPreview({ port: 0, dataDir: other, build: false, picklists: FILE });
        assert.equal(first.seeded, true);
        await callApex(first, 'removeMapping', {
            objectApiName: 'Contact',
            fieldApiName: 'Contact_Status__c',
            value: 'Keen'
        });
        await first.close();
        const second = await startPreview({ port: 0, dataDir: other, build: false, picklists: FILE });
        assert.equal(second.seeded, false);
        assert.deepEqual((await scopeState(second, 'Contact', 'Contact_Status__c')).mappings, []);
        await second.close();
        const reset = await startPreview({ port: 0, dataDir: other, build: false, picklists: FILE, reset: true });
        assert.equal(reset.seeded, true);
        assert.deepEqual(mapped(await scopeState(reset, 'Contact', 'Contact_Status__c')), [['Keen', 'Interested']]);
        await reset.close();
    });
});

describe(
    'npm start -- --picklists FILE: refused before anything starts, with the CLI’s message',
    { concurrency: 4 },
    () => {
        let dir: string;
        before(() => {
            dir = mkdtempSync(join(tmpdir(), 'stage-automap-picklists-bad-'));
        });
        after(() => {
            rmSync(dir, { recursive: true, force: true });
        });

        const write = (name: string, content: unknown): string => {
            const path = join(dir, name);
            writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
            return path;
        };
        const scenario = (more: Record<string, unknown>): Record<string, unknown> => ({
            object: 'Lead',
            field: 'Status',
            values: [{ value: 'Open' }],
            ...more
        });

        for (const [what, name, content] of [
            ['an empty file', 'empty.json', ''],
            ['a NUL in a value', 'nul.json', scenario({ values: [{ value: 'Op\u0000en' }] })],
            ['an unsupported object', 'object.json', scenario({ object: 'Opportunity' })],
            ['invalid JSON', 'broken.json', '{ "object": "Lead", }']
        ] as const) {
            test(`${what}: npm start prints exactly what automap plan --input prints, exits 2, starts nothing`, async () => {
                const path = write(name, content);
                const [start, cli] = await Promise.all([
                    run(['preview/main.ts', '--picklists', path, '--port', '0', '--no-open']),
                    run(['cli/main.ts', 'plan', '--input', path])
                ]);
                assert.equal(start.code, 2, start.output);
                assert.equal(cli.code, 2, cli.output);
                assert.equal(
                    start.output.replace(/^Stage AutoMap preview: /, ''),
                    cli.output.replace(/^automap: /, '')
                );
                assert.doesNotMatch(start.output, /building the page/, 'nothing started');
            });
        }

        test('a missing file is named with --picklists', async () => {
            const start = await run(['preview/main.ts', '--picklists', join(dir, 'nope.json'), '--no-open']);
            assert.equal(start.code, 2);
            assert.match(
                start.output,
                /^Stage AutoMap preview: cannot read --picklists ".*nope\.json": no such file\n$/
            );
        });

        const previewOnly: [string, unknown, RegExp][] = [
            [
                'a field name the setup page cannot use',
                scenario({ field: 'Lead Status' }),
                /: field: "Lead Status" is not a field API name \(a letter, then letters, digits or _\), which the setup page needs$/
            ],
            [
                'the same field twice',
                [scenario({}), scenario({ object: 'lead', field: 'STATUS' })],
                /: scenario\[1\]\.field: Lead\.Status is already scenario\[0\]; give each field once$/
            ],
            [
                'two stages of a family with one name',
                [
                    scenario({ stages: [{ id: 'a', name: 'Open' }] }),
                    scenario({ object: 'Contact', field: 'Contact_Status__c', stages: [{ id: 'b', name: ' open' }] })
                ],
                /: scenario\[1\]\.stages\[0\]\.name: the contact stages "Open" \(scenario\[0\]\.stages\[0\]\) and " open" have the same name; the stage service keeps one stage per name in a family$/
            ],
            [
                'a mapping to a stage the file does not list',
                scenario({ mappings: [{ value: 'Open', stageId: 'stg_x' }] }),
                /: mappings\[0\]\.stageId: stage "stg_x" is not among the file's contact stages; the preview creates the mapped stages from "stages"$/
            ]
        ];
        for (const [what, content, expected] of previewOnly) {
            test(`refuses ${what}`, async () => {
                const path = write(`${what.replace(/\W+/g, '-')}.json`, content);
                await assert.rejects(startPreview({ port: 0, dataDir: dir, build: false, picklists: path }), expected);
            });
        }
    }
);

describe('npm start -- --picklists FILE: the banner, --help and STAGE_SERVICE_URL', () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(join(tmpdir(), 'stage-automap-picklists-banner-'));
    });
    after(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    /** Starts preview/main.ts, waits for its banner, stops it with Ctrl-C; resolves to everything it printed. */
    async function banner(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
        const port = await freePort();
        const child = spawn(
            process.execPath,
            ['--import', 'tsx', 'preview/main.ts', '--port', String(port), '--no-open', ...args],
            { cwd: ROOT, env: { ...process.env, PREVIEW_DATA_DIR: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        const deadline = Date.now() + 60000;
        while (!output.includes('Ctrl-C stops') && Date.now() < deadline && child.exitCode === null) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        child.kill('SIGINT');
        assert.equal(await exited, 0, output);
        return output;
    }

    test('names each field and its inactive values, the data folder and the key to call the service with', async () => {
        const output = await banner(['--picklists', FILE], {});
        assert.match(output, /^ {2}picklists: .*picklists\.json /m);
        assert.match(
            output,
            /^ {4}Lead\.Lead_Stage__c: 3 values; 1 inactive value left out, as the UI API lists active values only: "LS_OLD"$/m
        );
        assert.match(output, /^ {4}Contact\.Contact_Status__c: 3 values, 1 mapping from the file$/m);
        assert.match(output, /^ {4}Lead\.Status: 2 values; 1 inactive value left out.*: "Recycled"$/m);
        const [, url = '', key = ''] =
            /^ {2}stage service: (http:\/\/127\.0\.0\.1:\d+) \(embedded, data in .*picklists-[0-9a-f]{12}, seeded from the file's stages and mappings; --reset starts afresh\)\n {2}service key: (sam_local_picklists_[0-9a-f]{12}) \(local only; /m.exec(
                output
            ) ?? [];
        assert.ok(url && key, output);
        assert.match(output, /^ {2}try: the Leads tab opens on Lead\.Lead_Stage__c: /m);
    });

    test('without a file: the demo team’s key', async () => {
        const output = await banner([], {});
        assert.match(output, new RegExp(`^ {2}service key: ${DEFAULT_DEMO_API_KEY} \\(local only; `, 'm'));
        assert.match(output, /^ {2}try: Lead > Lead Status > auto-map/m);
    });

    test('with STAGE_SERVICE_URL: the key is the admin’s own and the file’s state is not copied into their service', async () => {
        const store = await createStore({ kind: 'sqlite', file: join(dir, 'external.sqlite'), logger: silentLogger() });
        const { apiKey } = await store.createTeam('Their team');
        const service = await startService({ store, port: 0, host: '127.0.0.1', logger: silentLogger() });
        try {
            const output = await banner(['--picklists', FILE], {
                STAGE_SERVICE_URL: service.url,
                STAGE_SERVICE_API_KEY: apiKey
            });
            assert.match(
                output,
                /^ {2}service key: yours, from STAGE_SERVICE_API_KEY; the file's stages and mappings were not copied into it$/m
            );
            assert.doesNotMatch(output, new RegExp(apiKey), 'their key is not printed');
            const stages = await fetch(`${service.url}/v1/stages?family=contact`, {
                headers: { Authorization: `Bearer ${apiKey}` }
            });
            assert.deepEqual(((await stages.json()) as { stages: unknown[] }).stages, []);
        } finally {
            await service.close();
            await store.close();
        }
    });

    test('npm start -- --help documents --picklists', async () => {
        const help = await run(['preview/main.ts', '--help']);
        assert.equal(help.code, 0);
        assert.match(help.output, /^Usage: npm start -- \[--picklists FILE\] /);
        assert.match(help.output, /--picklists FILE {2}your own picklists instead of the demo org's/);
        assert.match(help.output, /automap -- export --org my-org --object Lead --field Status/);
    });
});

describe('npm start -- --picklists FILE in Chromium', () => {
    let dataDir: string;
    let preview: RunningPreview;
    let browser: Browser;
    const resources = new TestResources();

    before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'stage-automap-picklists-browser-'));
        resources.defer('the data folder', () => {
            rmSync(dataDir, { recursive: true, force: true });
        });
        preview = resources.add('the preview', await startPreview({ port: 0, dataDir, picklists: FILE }), (started) =>
            started.close()
        );
        browser = resources.add('Chromium', await launchChromium(), (started) => started.close());
    });

    after(() => resources.closeAll());

    test('opens on the file’s first field, shows its active values, and keeps the file’s labels in German', async () => {
        const { context, page, blocked, errors } = await openPreview(browser, preview);
        try {
            await page.getByRole('tab', { name: 'Leads', selected: true }).waitFor();
            const leadsPanel = page.getByRole('tabpanel', { name: 'Leads' });
            // The drift section lists the unmapped values too: the mapping table is the one under test.
            const leads = leadsPanel.getByRole('table', { name: L('AutoMap_Mappings_Caption') });
            await leads.getByRole('rowheader', { name: 'LS_WORK' }).waitFor();
            const field = leadsPanel.getByRole('combobox', { name: /Salesforce field/ });
            assert.match((await field.textContent()) ?? '', /Lead Stage/);
            assert.equal(
                await leads.getByRole('rowheader', { name: 'LS_OLD' }).count(),
                0,
                'inactive values are left out'
            );
            assert.match(
                await page.locator('[data-id="picklists-file"]').innerText(),
                /your picklists: picklists\.json/
            );
            await screenshot(page, '40-picklists-file-opens-on-its-field');

            await page.getByLabel('Demo org language').selectOption('de');
            await page.getByRole('tab', { name: 'Leads', selected: true }).waitFor();
            await page.getByRole('tab', { name: 'Contacts' }).click();
            const contacts = page
                .getByRole('tabpanel', { name: 'Contacts' })
                .getByRole('table', { name: L('AutoMap_Mappings_Caption') });
            await contacts.getByRole('rowheader', { name: 'Keen' }).waitFor();
            assert.equal(
                await contacts.getByRole('cell', { name: 'Kalt' }).count(),
                0,
                'the file’s label, untranslated'
            );
            assert.ok((await contacts.getByRole('cell', { name: 'Cold' }).count()) > 0);
            assert.deepEqual(blocked, [], 'no request left loopback');
            assert.deepEqual(errors, [], 'no page or console errors');
        } finally {
            await context.close();
        }
    });
});
