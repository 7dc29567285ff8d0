/**
 * The preview's Apex stand-in against the real stage service (embedded, SQLite, demo team): it must do what
 * StageAutoMapController does - the same permission checks, allow-list, validation, service paths and headers, and
 * the same error messages from the package's Custom Labels - or the preview would show behaviour no org has.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
    DEFAULT_DEMO_API_KEY,
    createStore,
    seedDemoTeam,
    silentLogger,
    startService
} from '../../service/src/index.ts';
import type { RunningService, SqlStore } from '../../service/src/index.ts';
import { APEX_METHODS, ApexStandIn, apexEncode, apexFill, headerSafe, isJsonObjectText } from '../apexStandIn.ts';
import type { ApexAnswer, ServiceCall } from '../apexStandIn.ts';
import { ROOT } from '../build.ts';
import { readCustomLabels } from '../labels.ts';
import { PERSONAS } from '../personas.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';

const LABELS = readCustomLabels(ROOT);

function label(name: string, ...args: (string | number)[]): string {
    const template = LABELS.get(name);
    assert.ok(template !== undefined, `label ${name} exists`);
    return args.length === 0 ? template : apexFill(template, args);
}

const LEAD_VALUES = [
    { value: 'Open - Not Contacted', label: 'Open - Not Contacted', active: true },
    { value: 'Interested', label: 'Interested', active: true },
    { value: 'Closed - Converted', label: 'Closed - Converted', active: true }
];

/** What a pass-through method returned: the service's JSON text, parsed here as the page parses it. */
function parsedBody(answer: ApexAnswer): unknown {
    assert.equal(typeof answer.body, 'string', 'the Apex hands the service answer over as JSON text');
    return JSON.parse(answer.body as string);
}

function messageOf(answer: ApexAnswer): string {
    const body = answer.body as { message?: unknown };
    return typeof body.message === 'string' ? body.message : '';
}

describe('Apex stand-in (preview/apexStandIn.ts) against the real stage service', () => {
    let dataDir: string;
    let store: SqlStore;
    let service: RunningService;
    let calls: ServiceCall[];
    let standIn: ApexStandIn;

    const resources = new TestResources();

    before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'stage-automap-standin-'));
        resources.defer('the data folder', () => {
            rmSync(dataDir, { recursive: true, force: true });
        });
        store = resources.add(
            'the store',
            await createStore({ kind: 'sqlite', file: join(dataDir, 'service.sqlite'), logger: silentLogger() }),
            (started) => started.close()
        );
        await seedDemoTeam(store, DEFAULT_DEMO_API_KEY);
        service = resources.add(
            'the service',
            await startService({ store, port: 0, host: '127.0.0.1', logger: silentLogger() }),
            (started) => started.close()
        );
        calls = [];
        standIn = new ApexStandIn({
            serviceUrl: service.url,
            apiKey: DEFAULT_DEMO_API_KEY,
            root: ROOT,
            onServiceCall: (call) => {
                calls.push(call);
            }
        });
    });

    after(() => resources.closeAll());

    function invoke(
        method: string,
        params: Record<string, unknown>,
        persona = 'admin',
        language?: string
    ): Promise<ApexAnswer> {
        return standIn.invoke('StageAutoMapController', method, params, persona, language);
    }

    test('the stand-in has every @AuraEnabled method of the controller and words errors with the same labels', () => {
        const classes = join(ROOT, 'force-app/main/default/classes');
        const controller = readFileSync(join(classes, 'StageAutoMapController.cls'), 'utf8');
        const methods = [...controller.matchAll(/@AuraEnabled\s+public\s+static\s+[\w<>, ]+?\s+(\w+)\s*\(/g)].map(
            (match) => `StageAutoMapController.${match[1] ?? ''}`
        );
        assert.ok(methods.length > 0);
        assert.deepEqual([...APEX_METHODS].sort(), methods.sort());
        const standIn = readFileSync(join(ROOT, 'preview/apexStandIn.ts'), 'utf8');
        const apex = ['StageAutoMapController.cls', 'StageServiceException.cls', 'StageServiceClient.cls']
            .map((file) => readFileSync(join(classes, file), 'utf8'))
            .join('\n');
        const apexLabels = new Set([...apex.matchAll(/System\.Label\.(\w+)/g)].map((match) => match[1] ?? ''));
        const missing = [...apexLabels].filter((name) => !standIn.includes(`'${name}'`));
        assert.deepEqual(missing, [], 'labels the Apex uses and the stand-in does not');
    });

    test('getAccess reports what each persona may do, like the custom permissions', async () => {
        assert.deepEqual((await invoke('getAccess', {}, 'admin')).body, { canEdit: true, canView: true });
        assert.deepEqual((await invoke('getAccess', {}, 'readonly')).body, { canEdit: false, canView: true });
        assert.deepEqual((await invoke('getAccess', {}, 'none')).body, { canEdit: false, canView: false });
        const anonymous = await standIn.invoke('StageAutoMapController', 'getAccess', {}, undefined);
        assert.deepEqual(anonymous.body, { canEdit: false, canView: false });
    });

    test('reads need the view permission, changes the edit permission, before any callout', async () => {
        calls.length = 0;
        const denied = await invoke('getScopeState', { objectApiName: 'Lead', fieldApiName: 'Status' }, 'none');
        assert.equal(denied.status, 500);
        assert.equal(messageOf(denied), label('StageService_NoViewPermission'));
        const readOnlyApply = await invoke(
            'applyAutoMap',
            {
                objectApiName: 'Lead',
                fieldApiName: 'Status',
                values: LEAD_VALUES,
                expectedVersion: 0,
                idempotencyKey: 'preview-test-key-readonly-1'
            },
            'readonly'
        );
        assert.equal(messageOf(readOnlyApply), label('StageService_NoEditPermission'));
        const readOnlyCreate = await invoke(
            'createStageAndMap',
            { objectApiName: 'Lead', fieldApiName: 'Status', value: 'Open', stageName: 'Open' },
            'readonly'
        );
        assert.equal(messageOf(readOnlyCreate), label('StageService_NoEditPermission'));
        assert.equal(calls.length, 0, 'no callout is made for a refused caller');
        const readOnlyRead = await invoke(
            'getScopeState',
            { objectApiName: 'Lead', fieldApiName: 'Status' },
            'readonly'
        );
        assert.equal(readOnlyRead.status, 200);
    });

    test('the object is allow-listed and the field described: canonical spelling, picklists only', async () => {
        calls.length = 0;
        const state = await invoke('getScopeState', { objectApiName: 'lead', fieldApiName: 'status' });
        assert.equal(state.status, 200);
        const call = calls[0];
        assert.ok(call);
        assert.equal(call.path, '/v1/scopes/Lead/Status', 'object and field sent in their canonical spelling');
        assert.equal(call.method, 'GET');

        const opportunity = await invoke('getScopeState', { objectApiName: 'Opportunity', fieldApiName: 'StageName' });
        assert.equal(messageOf(opportunity), label('StageService_ObjectNotSupported', 'Opportunity'));
        const missing = await invoke('getScopeState', { objectApiName: 'Lead', fieldApiName: 'Nope__c' });
        assert.equal(messageOf(missing), label('StageService_FieldNotFound', 'Lead', 'Nope__c'));
        const email = await invoke('getScopeState', { objectApiName: 'Lead', fieldApiName: 'Email' });
        assert.equal(messageOf(email), label('StageService_FieldNotPicklist', 'Lead', 'Email'));
        const multi = await invoke('getScopeState', { objectApiName: 'Lead', fieldApiName: 'Interests__c' });
        assert.equal(messageOf(multi), label('StageService_FieldNotPicklist', 'Lead', 'Interests__c'));
        const badName = await invoke('getScopeState', { objectApiName: 'Lead', fieldApiName: 'Status; DROP' });
        assert.equal(messageOf(badName), label('StageService_ArgumentInvalid', 'fieldApiName'));
        const blank = await invoke('getScopeState', { objectApiName: ' ', fieldApiName: 'Status' });
        assert.equal(messageOf(blank), label('StageService_ArgumentRequired', 'objectApiName'));
    });

    test("getMappedFields lists the canonical object's scopes for a viewer, refused like the Apex", async () => {
        calls.length = 0;
        const denied = await invoke('getMappedFields', { objectApiName: 'Lead' }, 'none');
        assert.equal(messageOf(denied), label('StageService_NoViewPermission'));
        const opportunity = await invoke('getMappedFields', { objectApiName: 'Opportunity' });
        assert.equal(messageOf(opportunity), label('StageService_ObjectNotSupported', 'Opportunity'));
        const blank = await invoke('getMappedFields', { objectApiName: '' });
        assert.equal(messageOf(blank), label('StageService_ArgumentRequired', 'objectApiName'));
        assert.equal(calls.length, 0, 'no callout is made for a refused call');

        const listed = await invoke('getMappedFields', { objectApiName: 'lead' }, 'readonly');
        assert.equal(listed.status, 200, messageOf(listed));
        assert.equal(calls[0]?.method, 'GET');
        assert.equal(
            calls[0].path,
            '/v1/scopes?object=Lead&include=mappings',
            'the object is sent in its canonical spelling, with the mappings asked for'
        );
        const body = parsedBody(listed) as {
            scopes: { object: string; field: string; mappingCount: number; mappings?: unknown[] }[];
        };
        assert.ok(Array.isArray(body.scopes));
        assert.ok(body.scopes.every((scope) => scope.object === 'Lead'));
        assert.ok(
            body.scopes.every((scope) => Array.isArray(scope.mappings) && scope.mappings.length === scope.mappingCount),
            'each scope lists its mappings'
        );
    });

    test('arguments are validated like the Apex: values, version, idempotency key, naming, types', async () => {
        calls.length = 0;
        const base = { objectApiName: 'Lead', fieldApiName: 'Status', idempotencyKey: 'preview-test-key-invalid-1' };
        const noValues = await invoke('applyAutoMap', { ...base, values: [], expectedVersion: 0 });
        assert.equal(messageOf(noValues), label('StageService_NoValues'));
        const tooMany = await invoke('applyAutoMap', {
            ...base,
            values: Array.from({ length: 1001 }, (_, index) => ({ value: `V${index}` })),
            expectedVersion: 0
        });
        assert.equal(messageOf(tooMany), label('StageService_TooManyValues', 1001, 1000));
        const duplicate = await invoke('applyAutoMap', {
            ...base,
            values: [{ value: 'A' }, { value: 'A' }],
            expectedVersion: 0
        });
        assert.equal(messageOf(duplicate), label('StageService_DuplicateValue', 'A'));
        const noVersion = await invoke('applyAutoMap', { ...base, values: LEAD_VALUES });
        assert.equal(messageOf(noVersion), label('StageService_VersionInvalid'));
        const longValue = await invoke('applyAutoMap', {
            ...base,
            values: [{ value: 'x'.repeat(256) }],
            expectedVersion: 0
        });
        assert.equal(messageOf(longValue), label('StageService_ArgumentTooLong', 'value', 255));
        const badNaming = await invoke('applyAutoMap', {
            ...base,
            values: LEAD_VALUES,
            expectedVersion: 0,
            newStageNames: 'value'
        });
        assert.equal(messageOf(badNaming), label('StageService_ArgumentInvalid', 'newStageNames'));
        const blankStageName = await invoke('createStageAndMap', {
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Open',
            stageName: ' '
        });
        assert.equal(messageOf(blankStageName), label('StageService_ArgumentRequired', 'stageName'));
        assert.equal(calls.length, 0, 'bad arguments never reach the service');
        const badKey = await invoke('applyAutoMap', {
            ...base,
            values: LEAD_VALUES,
            expectedVersion: 0,
            idempotencyKey: 'short'
        });
        assert.equal(messageOf(badKey), label('StageService_ArgumentInvalid', 'idempotencyKey'));
        const sameStage = await invoke('deleteStage', { stageId: 'stg_1', moveRecordsToStageId: 'stg_1' });
        assert.equal(messageOf(sameStage), label('StageService_MoveToSameStage'));
        const wrongType = await invoke('applyAutoMap', { ...base, values: LEAD_VALUES, expectedVersion: '3' });
        assert.equal(wrongType.status, 400);
        assert.match(messageOf(wrongType), /expectedVersion.*Integer/);
    });

    test('an apply carries the key, the actor and the values as StageServiceClient sends them', async () => {
        calls.length = 0;
        const state = parsedBody(await invoke('getScopeState', { objectApiName: 'Lead', fieldApiName: 'Status' })) as {
            version: number;
            otherMappings: unknown[];
        };
        assert.ok(Array.isArray(state.otherMappings), 'the scope state as the service sent it');
        const key = 'preview-test-key-0000000001';
        const applied = await invoke('applyAutoMap', {
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            values: [...LEAD_VALUES, { value: 'Unlabelled', label: '', active: null }],
            expectedVersion: state.version,
            idempotencyKey: key,
            newStageNames: 'apiName'
        });
        assert.equal(applied.status, 200, messageOf(applied));
        const answer = parsedBody(applied) as {
            status: string;
            plan: { outcomes: unknown[]; summary: { total: number } };
        };
        assert.equal(answer.status, 'applied');
        assert.deepEqual(answer.plan.outcomes, [], 'the counts only: the page holds the plan it previewed');
        assert.equal(answer.plan.summary.total, 4);
        const call = calls.at(-1);
        assert.equal(call?.method, 'POST');
        assert.equal(call.path, '/v1/scopes/Lead/Status/auto-map');
        assert.equal(call.headers.Authorization, `Bearer ${DEFAULT_DEMO_API_KEY}`);
        assert.equal(call.headers['Idempotency-Key'], key);
        assert.equal(call.headers['X-Actor-Id'], PERSONAS.admin.user.id);
        assert.equal(call.headers['X-Actor-Name'], PERSONAS.admin.user.name);
        assert.deepEqual(call.body?.values, [...LEAD_VALUES, { value: 'Unlabelled' }]);
        assert.equal(call.body.dryRun, false);
        assert.equal(call.body.expectedVersion, state.version);
        assert.equal(call.body.answer, 'summary');
        assert.equal(call.body.newStageNames, 'apiName');
        assert.equal(call.body.labelLanguage, 'en_US', "the labels' language: the running user's, read in Apex");
    });

    test('createStageAndMap creates the stage and maps the value, and names the stage that holds a name', async () => {
        calls.length = 0;
        const created = await invoke('createStageAndMap', {
            objectApiName: 'lead',
            fieldApiName: 'status',
            value: 'Partner Accepted',
            stageName: 'Accepted By Partner'
        });
        assert.equal(created.status, 200, messageOf(created));
        const state = parsedBody(created) as {
            stages: { id: string; name: string }[];
            mappings: { value: string; stageId: string }[];
        };
        const stage = state.stages.find((candidate) => candidate.name === 'Accepted By Partner');
        assert.ok(stage);
        assert.deepEqual(
            state.mappings.find((mapping) => mapping.value === 'Partner Accepted'),
            { value: 'Partner Accepted', stageId: stage.id, source: 'manual', runId: null }
        );
        assert.equal(calls[0]?.method, 'PUT');
        assert.equal(calls[0].path, '/v1/scopes/Lead/Status/mappings');
        assert.deepEqual(calls[0].body, { value: 'Partner Accepted', stageName: 'Accepted By Partner' });

        const taken = await invoke('createStageAndMap', {
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Recycled',
            stageName: 'accepted  by partner'
        });
        assert.equal(messageOf(taken), label('StageService_DuplicateStageNamed', 'Accepted By Partner'));
    });

    test('a 409 state-changed on apply comes back as a conflict with the current version, not as an error', async () => {
        const state = parsedBody(await invoke('getScopeState', { objectApiName: 'Account', fieldApiName: 'Type' })) as {
            version: number;
        };
        // Someone else changes the family's stages between the preview and the apply.
        const created = await invoke('renameStage', { stageId: 'stg_does_not_exist', name: 'X' });
        assert.match(messageOf(created), new RegExp(escapeRegExp(label('StageService_NotFound'))));
        const response = await fetch(`${service.url}/v1/stages`, {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${DEFAULT_DEMO_API_KEY}`,
                'Content-Type': 'application/json',
                'X-Actor-Id': 'someone',
                'X-Actor-Name': 'Someone else'
            },
            body: JSON.stringify({ family: 'account', name: 'Reseller' })
        });
        assert.equal(response.status, 201);
        const answer = await invoke('applyAutoMap', {
            objectApiName: 'Account',
            fieldApiName: 'Type',
            values: [{ value: 'Prospect', label: 'Prospect' }],
            expectedVersion: state.version,
            idempotencyKey: 'preview-test-key-0000000002'
        });
        assert.equal(answer.status, 200);
        const body = parsedBody(answer) as {
            status: string;
            version: number;
            plan: { outcomes: unknown[]; summary: object };
        };
        assert.equal(body.status, 'conflict');
        assert.ok(body.version > state.version);
        assert.deepEqual(body.plan.outcomes, [], 'the counts only: the page plans again on the state it reads');
        assert.ok(body.plan.summary);
    });

    test('categories, labels and drift fixes are validated like the Apex, before any callout', async () => {
        calls.length = 0;
        const base = {
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            values: LEAD_VALUES,
            expectedVersion: 0,
            idempotencyKey: 'preview-test-key-invalid-2'
        };
        const unknownValue = await invoke('applyAutoMap', { ...base, categories: { Cold: 'succeeded' } });
        assert.equal(messageOf(unknownValue), label('StageService_CategoryValueUnknown', 'Cold'));
        const badCategory = await invoke('applyAutoMap', { ...base, categories: { Interested: 'Succeeded' } });
        assert.equal(messageOf(badCategory), label('StageService_CategoryInvalid', 'Interested', 'Succeeded'));
        const categoriesType = await invoke('applyAutoMap', { ...base, categories: ['succeeded'] });
        assert.equal(categoriesType.status, 400);
        assert.match(messageOf(categoriesType), /categories.*Map<String,String>/);

        const fix = (value: string | null, kind: string | null): { value: string | null; kind: string | null } => ({
            value,
            kind
        });
        const cases: [unknown, string][] = [
            [null, label('StageService_NoDriftFixes')],
            [[], label('StageService_NoDriftFixes')],
            [
                Array.from({ length: 1001 }, (_, index) => fix(`V${index}`, 'new-value')),
                label('StageService_TooManyDriftFixes', 1001, 1000)
            ],
            [[null], label('StageService_ArgumentRequired', 'value')],
            [[fix(' ', 'new-value')], label('StageService_ArgumentRequired', 'value')],
            [[fix('Cold', null)], label('StageService_ArgumentRequired', 'kind')],
            [
                [fix('Cold', 'value-deactivated')],
                label('StageService_DriftFixKindInvalid', 'Cold', 'value-deactivated')
            ],
            [[fix('Cold', 'new-value'), fix('Cold', 'label-changed')], label('StageService_DuplicateDriftFix', 'Cold')]
        ];
        for (const [fixes, message] of cases) {
            const answer = await invoke('applyDriftFixes', { ...base, fixes });
            assert.equal(messageOf(answer), message);
        }
        const fixesType = await invoke('applyDriftFixes', { ...base, fixes: [{ value: 'Cold', kind: 3 }] });
        assert.equal(fixesType.status, 400);
        assert.match(messageOf(fixesType), /fixes.*List<StageAutoMapController.DriftFix>/);
        const viewer = await invoke('applyDriftFixes', { ...base, fixes: [fix('Cold', 'new-value')] }, 'readonly');
        assert.equal(messageOf(viewer), label('StageService_NoEditPermission'));
        const noVersion = await invoke('applyDriftFixes', {
            ...base,
            expectedVersion: null,
            fixes: [fix('Cold', 'new-value')]
        });
        assert.equal(messageOf(noVersion), label('StageService_VersionInvalid'));

        const longLabel = await invoke('setMapping', {
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Open',
            stageId: 'stg_1',
            label: 'x'.repeat(256)
        });
        assert.equal(messageOf(longLabel), label('StageService_ArgumentTooLong', 'label', 255));
        const controlLabel = await invoke('createStageAndMap', {
            objectApiName: 'Lead',
            fieldApiName: 'Status',
            value: 'Open',
            stageName: 'Open',
            label: 'Of\nfen'
        });
        assert.equal(messageOf(controlLabel), label('StageService_ArgumentInvalid', 'label'));
        assert.equal(calls.length, 0, 'bad arguments never reach the service');
    });

    test('a manual mapping records the label it is given, a blank one none', async () => {
        calls.length = 0;
        const created = await invoke('createStageAndMap', {
            objectApiName: 'Account',
            fieldApiName: 'Ownership',
            value: 'Private',
            stageName: 'Privately Owned',
            label: 'Privat'
        });
        assert.equal(created.status, 200, messageOf(created));
        assert.deepEqual(calls[0]?.body, {
            value: 'Private',
            stageName: 'Privately Owned',
            label: 'Privat',
            labelLanguage: 'en_US'
        });
        const state = parsedBody(created) as {
            mappings: { value: string; stageId: string; label?: string; labelLanguage?: string }[];
        };
        const mapping = state.mappings.find((candidate) => candidate.value === 'Private');
        assert.equal(mapping?.label, 'Privat', 'the label is stored with the mapping');
        assert.equal(mapping.labelLanguage, 'en_US', 'with its language');

        const again = await invoke('setMapping', {
            objectApiName: 'Account',
            fieldApiName: 'Ownership',
            value: 'Private',
            stageId: mapping.stageId,
            label: ' '
        });
        assert.equal(again.status, 200, messageOf(again));
        assert.deepEqual(calls[1]?.body, { value: 'Private', stageId: mapping.stageId }, 'a blank label is none');

        // As a German user, then as a user whose language is not a code the service takes.
        const relabel = {
            objectApiName: 'Account',
            fieldApiName: 'Ownership',
            value: 'Private',
            stageId: mapping.stageId,
            label: 'Privat'
        };
        for (const language of ['de', 'not a language']) {
            const answer = await invoke('setMapping', relabel, 'admin', language);
            assert.equal(answer.status, 200, messageOf(answer));
        }
        assert.equal(calls[2]?.body?.labelLanguage, 'de', "a German user's labels are recorded as German");
        assert.deepEqual(
            calls[3]?.body,
            { value: 'Private', stageId: mapping.stageId, label: 'Privat' },
            'a language the service would refuse is left out, never a refused write'
        );
    });

    test('drift fixes apply as one run; a moved version or a fix no longer offered is a conflict', async () => {
        const scope = { objectApiName: 'Account', fieldApiName: 'Rating' };
        const readState = async (): Promise<{
            version: number;
            stages: { id: string; name: string; category: string | null }[];
            mappings: { value: string; stageId: string; label?: string }[];
        }> => parsedBody(await invoke('getScopeState', scope)) as Awaited<ReturnType<typeof readState>>;

        // Step 1: a first auto-map creates three stages, one of them Succeeded.
        const before = await readState();
        const firstValues = [
            { value: 'Blazing', label: 'Blazing', active: true },
            { value: 'Tepid', label: 'Tepid', active: true },
            { value: 'Frozen', label: 'Frozen', active: true }
        ];
        const mapped = await invoke('applyAutoMap', {
            ...scope,
            values: firstValues,
            expectedVersion: before.version,
            idempotencyKey: 'preview-test-key-drift-000001',
            newStageNames: 'label',
            categories: { Blazing: 'succeeded', Tepid: '' }
        });
        assert.equal(mapped.status, 200, messageOf(mapped));
        assert.deepEqual(calls.at(-1)?.body?.categories, { Blazing: 'succeeded' }, 'a blank category is left out');
        const run = (parsedBody(mapped) as { run: { createdCategories?: Record<string, number> } }).run;
        assert.deepEqual(run.createdCategories, { in_progress: 0, succeeded: 1, failed: 0, none: 2 });
        const mappedState = await readState();
        const stageOf = (value: string): string | undefined =>
            mappedState.mappings.find((mapping) => mapping.value === value)?.stageId;

        // Step 2: the picklist moves: Blazing renamed (same label), Tepid relabelled, Frozen removed, Scorching added.
        const values = [
            { value: 'Blazing_2', label: 'Blazing', active: true },
            { value: 'Tepid', label: 'Lukewarm', active: true },
            { value: 'Scorching', label: 'Scorching', active: true }
        ];
        const fixes = [
            { value: 'Blazing', kind: 'probable-rename' },
            { value: 'Frozen', kind: 'value-removed' },
            { value: 'Tepid', kind: 'label-changed' },
            { value: 'Scorching', kind: 'new-value' }
        ];
        calls.length = 0;
        const fixed = await invoke('applyDriftFixes', {
            ...scope,
            values,
            fixes,
            expectedVersion: mappedState.version,
            idempotencyKey: 'preview-test-key-drift-000002',
            newStageNames: null
        });
        assert.equal(fixed.status, 200, messageOf(fixed));
        const call = calls[0];
        assert.equal(call?.method, 'POST');
        assert.equal(call.path, '/v1/scopes/Account/Rating/drift-fixes');
        assert.equal(call.headers['Idempotency-Key'], 'preview-test-key-drift-000002');
        assert.equal(call.headers['X-Actor-Id'], PERSONAS.admin.user.id);
        assert.deepEqual(call.body, {
            values,
            fixes,
            expectedVersion: mappedState.version,
            newStageNames: 'label',
            answer: 'summary',
            labelLanguage: 'en_US'
        });
        const answer = parsedBody(fixed) as {
            status: string;
            version: number;
            run: { kind?: string; fixCounts?: Record<string, number> };
            fixes?: unknown;
        };
        assert.equal(answer.status, 'applied');
        assert.equal(answer.run.kind, 'drift-fix');
        assert.deepEqual(answer.run.fixCounts, {
            'probable-rename': 1,
            'value-removed': 1,
            'label-changed': 1,
            'new-value': 1
        });
        assert.equal(answer.fixes, undefined, 'the summary answer: no per-fix list');

        // Step 3: the state shows every fix.
        const after = await readState();
        assert.equal(after.version, answer.version);
        const mappingOf = (value: string): { stageId: string; label?: string } | undefined =>
            after.mappings.find((mapping) => mapping.value === value);
        assert.equal(mappingOf('Blazing_2')?.stageId, stageOf('Blazing'), 'the mapping moved to the renamed value');
        assert.equal(mappingOf('Blazing'), undefined);
        assert.equal(mappingOf('Frozen'), undefined, 'the removed value is unmapped');
        assert.equal(mappingOf('Tepid')?.label, 'Lukewarm', 'the relabelled value records its label now');
        assert.equal(after.stages.find((stage) => stage.id === stageOf('Tepid'))?.name, 'Lukewarm');
        assert.equal(mappingOf('Scorching')?.label, 'Scorching', 'the new value is auto-mapped with its label');

        // Step 4: the same fixes at the old version: nothing applied, the current version comes back.
        const stale = await invoke('applyDriftFixes', {
            ...scope,
            values,
            fixes,
            expectedVersion: mappedState.version,
            idempotencyKey: 'preview-test-key-drift-000003'
        });
        const staleAnswer = parsedBody(stale) as { status: string; version: number; detail: string };
        assert.equal(staleAnswer.status, 'conflict');
        assert.equal(staleAnswer.version, after.version);
        assert.equal(typeof staleAnswer.detail, 'string');

        // Step 5: at the current version, a fix no longer offered: a conflict naming the value.
        const gone = await invoke('applyDriftFixes', {
            ...scope,
            values,
            fixes: [{ value: 'Frozen', kind: 'value-removed' }],
            expectedVersion: after.version,
            idempotencyKey: 'preview-test-key-drift-000004'
        });
        const goneAnswer = parsedBody(gone) as { status: string; version: number; detail: string };
        assert.equal(goneAnswer.status, 'conflict');
        assert.equal(goneAnswer.version, after.version);
        assert.match(goneAnswer.detail, /Frozen/);
        assert.equal((await readState()).version, after.version, 'nothing was applied');
    });

    test('service failures get the admin messages of StageServiceException', async () => {
        const undo = await invoke('undoRun', { runId: 'run_missing' });
        assert.ok(messageOf(undo).startsWith(label('StageService_NotFound')), messageOf(undo));
        assert.ok(messageOf(undo).includes(label('StageService_DetailSuffix', '').trim()));

        const wrongKey = new ApexStandIn({ serviceUrl: service.url, apiKey: 'not-the-key', root: ROOT });
        const unauthorized = await wrongKey.invoke(
            'StageAutoMapController',
            'getScopeState',
            { objectApiName: 'Lead', fieldApiName: 'Status' },
            'admin'
        );
        assert.equal(messageOf(unauthorized), label('StageService_Unauthorized'));

        // Something that is not the stage service answers at the Named Credential's URL.
        const stranger = createServer((_request, response) => {
            response.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
        });
        await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
        const strangerUrl = `http://127.0.0.1:${(stranger.address() as AddressInfo).port}`;
        const wrongUrl = new ApexStandIn({ serviceUrl: strangerUrl, apiKey: 'k', root: ROOT });
        const notTheService = await wrongUrl.invoke(
            'StageAutoMapController',
            'getScopeState',
            { objectApiName: 'Lead', fieldApiName: 'Status' },
            'admin'
        );
        assert.equal(messageOf(notTheService), label('StageService_EndpointNotFound'));
        await new Promise<void>((resolve) => {
            stranger.close(() => {
                resolve();
            });
        });

        const down = new ApexStandIn({ serviceUrl: strangerUrl, apiKey: 'k', root: ROOT });
        const unreachable = await down.invoke(
            'StageAutoMapController',
            'getScopeState',
            { objectApiName: 'Lead', fieldApiName: 'Status' },
            'admin'
        );
        assert.ok(messageOf(unreachable).startsWith(label('StageService_Unreachable')), messageOf(unreachable));
        const platformWords = label('StageService_CalloutDetailSuffix', '').trim();
        assert.ok(
            messageOf(unreachable).includes(platformWords),
            'a failed callout quotes the platform, not the service'
        );
    });

    test('encoding follows the Apex: URLEncoder with %20, header-safe names, labels filled literally', () => {
        assert.equal(apexEncode('Open - Not Contacted'), 'Open%20-%20Not%20Contacted');
        assert.equal(apexEncode("a/b?c&d=e'f*g~"), 'a%2Fb%3Fc%26d%3De%27f*g%7E');
        assert.equal(apexEncode('Intéressé'), 'Int%C3%A9ress%C3%A9');
        assert.equal(headerSafe('Rüdiger 100%'), 'R%C3%BCdiger 100%25');
        assert.equal(
            headerSafe('{!$Credential.Stage_Service.ApiKey}'),
            '%7B!$Credential.Stage_Service.ApiKey%7D',
            'braces are encoded, so no header formula reaches the Named Credential'
        );
        assert.equal(headerSafe('x'.repeat(2000)).length, 1024);
        assert.equal(apexFill('{0} and {1}, {0} again', ['a', 2]), 'a and 2, a again');
        assert.equal(apexFill("{0} isn't {1}", ['a', null]), "a isn't ", 'apostrophes stay; null shows empty');
        assert.equal(apexFill('{0} values', [5001]), '5001 values', 'no digit grouping');
        assert.equal(isJsonObjectText('\r\n {"a":1} \n'), true);
        assert.equal(isJsonObjectText('{'), false);
        assert.equal(isJsonObjectText('[{}]'), false);
        assert.equal(isJsonObjectText(''), false);
    });
});

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
