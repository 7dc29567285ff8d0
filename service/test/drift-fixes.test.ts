/**
 * `POST /v1/scopes/{object}/{field}/drift-fixes` (issue 12): the fixes the engine's `driftReport` offers, applied
 * as ONE recorded run of kind `drift-fix`, versioned and idempotent as an auto-map, and undone (every fix reversed)
 * through the runs' undo with its blockers. The fixes asked for come from the engine, as the page computes them, in
 * the reader's language (`labelLanguage`): a label recorded in another language is not compared, on the page nor
 * in the service.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driftReport } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { DriftFinding, PicklistValueInput } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { describeEachDatabase, snapshot } from './helpers.ts';
import type { ApiClient, ApiResponse, RunSummaryBody, ScopeBody, UndoBlockerBody } from './helpers.ts';

type FixKind = 'probable-rename' | 'value-removed' | 'label-changed' | 'new-value';

interface AppliedFixBody {
    value: string;
    kind: FixKind;
    stageId?: string;
    fromValue?: string;
    toValue?: string;
    oldStageName?: string;
    newStageName?: string;
    outcome?: string;
}

interface DriftFixesBody {
    status: 'applied';
    version: number;
    run: RunSummaryBody;
    fixes?: AppliedFixBody[];
}

interface ProblemBody {
    code: string;
    detail: string;
    version?: number;
    value?: string;
    errors?: { field: string; message: string }[];
    blockers?: UndoBlockerBody[];
    blockerCount?: number;
}

interface RunBody extends RunSummaryBody {
    outcomes: { value: string; outcome: string }[];
    createdStageIds: string[];
    createdMappings: { value: string; stageId: string }[];
    fixes?: AppliedFixBody[];
}

/** The picklist when it was first mapped: each value's stage is named after its label. */
const FIRST: PicklistValueInput[] = [
    { value: 'Open', label: 'Open' },
    { value: 'Working', label: 'Working' },
    { value: 'Closed', label: 'Closed' },
    { value: 'Nurture', label: 'Nurture' },
    { value: 'Dead', label: 'Dead' }
];

/**
 * The picklist since: `Open` renamed (API name; label kept), `Working` relabelled, `Closed` removed, `Nurture`
 * deactivated, `Qualified` added (a stage is created for it) and `Recycled` added (an unmapped stage has its name).
 */
const DRIFTED: PicklistValueInput[] = [
    { value: 'Open_New', label: 'Open' },
    { value: 'Working', label: 'In Progress' },
    { value: 'Nurture', label: 'Nurture', active: false },
    { value: 'Dead', label: 'Dead' },
    { value: 'Qualified', label: 'Qualified' },
    { value: 'Recycled', label: 'Recycled' }
];

/**
 * {@link DRIFTED} as a German admin reads it through the UI API: the same values, their labels in German (`Open` and
 * `Recycled` read the same in both languages).
 */
const DRIFTED_DE: PicklistValueInput[] = [
    { value: 'Open_New', label: 'Open' },
    { value: 'Working', label: 'In Bearbeitung' },
    { value: 'Nurture', label: 'Pflegen', active: false },
    { value: 'Dead', label: 'Tot' },
    { value: 'Qualified', label: 'Qualifiziert' },
    { value: 'Recycled', label: 'Recycled' }
];

const ALL_FIXES: { value: string; kind: FixKind }[] = [
    { value: 'Open', kind: 'probable-rename' },
    { value: 'Closed', kind: 'value-removed' },
    { value: 'Working', kind: 'label-changed' },
    { value: 'Qualified', kind: 'new-value' },
    { value: 'Recycled', kind: 'new-value' }
];

let keys = 0;
function newKey(): string {
    keys += 1;
    return `drift-${process.pid}-${keys}`;
}

/**
 * A team whose Lead.Status was auto-mapped from {@link FIRST} (its labels read in `labelLanguage`, when given), with
 * an unmapped stage `Recycled`.
 */
async function seeded(api: ApiClient, field = 'Status', labelLanguage?: string): Promise<ScopeBody> {
    await api.createStage('contact', 'Recycled');
    const applied = await api.autoMap('Lead', field, {
        values: FIRST,
        ...(labelLanguage === undefined ? {} : { labelLanguage })
    });
    assert.equal(applied.status, 200, applied.text);
    return api.scope('Lead', field);
}

/**
 * What the page does: the engine's report on the scope state and the picklist's values, read in `language` (the
 * reader's; undefined: unknown, every label compared).
 */
function reportOf(state: ScopeBody, values: PicklistValueInput[], language?: string): DriftFinding[] {
    return driftReport(
        {
            object: state.object,
            field: state.field,
            values,
            stages: state.stages.map((stage) => ({ id: stage.id, name: stage.name })),
            mappings: state.mappings.map((mapping) => ({
                value: mapping.value,
                stageId: mapping.stageId,
                ...(mapping.label === undefined ? {} : { label: mapping.label }),
                ...(mapping.labelLanguage === undefined ? {} : { labelLanguage: mapping.labelLanguage })
            }))
        },
        language === undefined ? {} : { language }
    ).findings;
}

/** Each mapping as `[value, label, labelLanguage]` (undefined when none is listed). */
function languagesOf(state: ScopeBody): [string, string | undefined, string | undefined][] {
    return state.mappings.map((mapping) => [mapping.value, mapping.label, mapping.labelLanguage]);
}

function fixesRequest(
    api: ApiClient,
    field: string,
    body: Record<string, unknown> | undefined,
    key: string | null = newKey()
): Promise<ApiResponse<DriftFixesBody>> {
    return api.post<DriftFixesBody>(`/v1/scopes/Lead/${field}/drift-fixes`, body, {
        headers: key === null ? {} : { 'Idempotency-Key': key }
    });
}

async function applyFixes(
    api: ApiClient,
    fixes: { value: string; kind: FixKind }[],
    options: {
        field?: string;
        values?: PicklistValueInput[];
        key?: string;
        answer?: string;
        labelLanguage?: string;
    } = {}
): Promise<DriftFixesBody> {
    const field = options.field ?? 'Status';
    const { version } = await api.scope('Lead', field);
    const response = await fixesRequest(
        api,
        field,
        {
            values: options.values ?? DRIFTED,
            fixes,
            expectedVersion: version,
            ...(options.answer === undefined ? {} : { answer: options.answer }),
            ...(options.labelLanguage === undefined ? {} : { labelLanguage: options.labelLanguage })
        },
        options.key ?? newKey()
    );
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.status, 'applied');
    return response.body;
}

/** A scope's mappings as `value → stage name (label, source)`, to compare states. */
function mappingsOf(state: ScopeBody): string[] {
    const name = new Map(state.stages.map((stage) => [stage.id, stage.name]));
    return state.mappings.map(
        (mapping) =>
            `${mapping.value} → ${name.get(mapping.stageId) ?? mapping.stageId} (${mapping.label ?? '-'}, ${mapping.source}${mapping.runId === null ? '' : ` ${mapping.runId}`})`
    );
}

function kindsOf(blockers: readonly UndoBlockerBody[] | undefined): string[] {
    return (blockers ?? []).map((blocker) => `${blocker.kind}:${blocker.value ?? blocker.stageName ?? ''}`);
}

async function undo(api: ApiClient, runId: string): Promise<ApiResponse<ProblemBody & { version: number }>> {
    return api.post<ProblemBody & { version: number }>(`/v1/runs/${runId}/undo`);
}

describeEachDatabase('drift fixes', (env) => {
    test('the report the page makes offers a fix of every kind on the drifted picklist', async () => {
        const api = await env().newTeam('Report');
        const state = await seeded(api);
        const findings = reportOf(state, DRIFTED);
        assert.deepEqual(
            findings.map((finding) => [finding.value, finding.kind, finding.fix]),
            [
                ['Open', 'probable-rename', true],
                ['Closed', 'value-removed', true],
                ['Nurture', 'value-deactivated', false],
                ['Working', 'label-changed', true],
                ['Qualified', 'new-value', true],
                ['Recycled', 'new-value', true]
            ]
        );
    });

    test('probable-rename: the mapping moves to the new value, same stage, with its label now', async () => {
        const api = await env().newTeam('Rename');
        const before = await seeded(api);
        const open = before.mappings.find((mapping) => mapping.value === 'Open');
        assert.ok(open);
        const body = await applyFixes(api, [{ value: 'Open', kind: 'probable-rename' }]);
        assert.deepEqual(body.fixes, [
            { value: 'Open', kind: 'probable-rename', stageId: open.stageId, fromValue: 'Open', toValue: 'Open_New' }
        ]);
        assert.equal(body.version, before.version + 1);
        assert.equal(body.run.kind, 'drift-fix');
        assert.deepEqual(body.run.fixCounts, {
            'probable-rename': 1,
            'value-removed': 0,
            'label-changed': 0,
            'new-value': 0
        });
        assert.equal(body.run.summary.total, 0);
        assert.deepEqual(body.run.createdCategories, { in_progress: 0, succeeded: 0, failed: 0, none: 0 });
        const after = await api.scope('Lead', 'Status');
        const moved = after.mappings.find((mapping) => mapping.value === 'Open_New');
        // The mapping keeps its stage, source and run; it records the label its new value has.
        assert.deepEqual(moved, { ...open, value: 'Open_New', label: 'Open' });
        assert.ok(!after.mappings.some((mapping) => mapping.value === 'Open'));
        assert.equal(after.lastRun?.id, body.run.id);
        assert.ok(!reportOf(after, DRIFTED).some((finding) => finding.value === 'Open'), 'no longer drifted');
    });

    test('value-removed: the mapping goes; the stage and its records stay', async () => {
        const api = await env().newTeam('Removed');
        const before = await seeded(api);
        const closed = before.mappings.find((mapping) => mapping.value === 'Closed');
        assert.ok(closed);
        assert.equal(
            (
                await api.put('/v1/records', {
                    records: [{ recordId: 'r1', family: 'contact', stageId: closed.stageId }]
                })
            ).status,
            200
        );
        const body = await applyFixes(api, [{ value: 'Closed', kind: 'value-removed' }]);
        assert.deepEqual(body.fixes, [{ value: 'Closed', kind: 'value-removed', stageId: closed.stageId }]);
        const after = await api.scope('Lead', 'Status');
        assert.ok(!after.mappings.some((mapping) => mapping.value === 'Closed'));
        const stage = after.stages.find((each) => each.id === closed.stageId);
        assert.equal(stage?.recordCount, 1, 'the stage and its record stay');
    });

    test('label-changed: the stage named after the old label takes the new one; the mapping records it', async () => {
        const api = await env().newTeam('Relabel');
        const before = await seeded(api);
        const working = before.mappings.find((mapping) => mapping.value === 'Working');
        assert.ok(working);
        const body = await applyFixes(api, [{ value: 'Working', kind: 'label-changed' }]);
        assert.deepEqual(body.fixes, [
            {
                value: 'Working',
                kind: 'label-changed',
                stageId: working.stageId,
                oldStageName: 'Working',
                newStageName: 'In Progress'
            }
        ]);
        const after = await api.scope('Lead', 'Status');
        assert.equal(after.stages.find((stage) => stage.id === working.stageId)?.name, 'In Progress');
        assert.deepEqual(
            after.mappings.find((mapping) => mapping.value === 'Working'),
            { ...working, label: 'In Progress' }
        );
        // The family's key moved with the name: the old name is free, the new one taken.
        assert.equal((await api.post('/v1/stages', { family: 'contact', name: 'working' })).status, 201);
        assert.equal((await api.post('/v1/stages', { family: 'contact', name: 'in progress' })).status, 409);
    });

    test('new-value: the values are auto-mapped as an auto-map would, labels recorded, created stages last', async () => {
        const api = await env().newTeam('New values');
        const before = await seeded(api);
        const recycled = before.stages.find((stage) => stage.name === 'Recycled');
        const last = Math.max(...before.stages.map((stage) => stage.displayOrder));
        const body = await applyFixes(api, [
            { value: 'Recycled', kind: 'new-value' },
            { value: 'Qualified', kind: 'new-value' }
        ]);
        const after = await api.scope('Lead', 'Status');
        const qualified = after.stages.find((stage) => stage.name === 'Qualified');
        assert.ok(qualified && recycled);
        assert.equal(qualified.displayOrder, last + 1);
        assert.equal(qualified.category, null);
        assert.deepEqual(body.fixes, [
            { value: 'Recycled', kind: 'new-value', stageId: recycled.id, outcome: 'map-existing' },
            { value: 'Qualified', kind: 'new-value', stageId: qualified.id, outcome: 'create-and-map' }
        ]);
        assert.deepEqual(body.run.summary.counts, {
            'already-mapped': 0,
            'map-existing': 1,
            'create-and-map': 1,
            'skip-stage-taken': 0,
            'skip-ambiguous': 0,
            'skip-inactive': 0
        });
        assert.deepEqual(body.run.createdCategories, { in_progress: 0, succeeded: 0, failed: 0, none: 1 });
        for (const value of ['Qualified', 'Recycled']) {
            assert.deepEqual(
                after.mappings.find((mapping) => mapping.value === value),
                {
                    value,
                    stageId: value === 'Qualified' ? qualified.id : recycled.id,
                    source: 'auto',
                    runId: body.run.id,
                    label: value
                }
            );
        }
        // The run lists its outcomes (picklist order) and what it created, and its fixes.
        const run = await api.get<RunBody>(`/v1/runs/${body.run.id}`);
        assert.deepEqual(
            run.body.outcomes.map((outcome) => [outcome.value, outcome.outcome]),
            [
                ['Qualified', 'create-and-map'],
                ['Recycled', 'map-existing']
            ]
        );
        assert.deepEqual(run.body.createdStageIds, [qualified.id]);
        assert.deepEqual(run.body.fixes, body.fixes);
    });

    test('fix all: one run applies every fix, one version step; the report then offers no fix', async () => {
        const api = await env().newTeam('All');
        const before = await seeded(api);
        const body = await applyFixes(api, ALL_FIXES);
        assert.equal(body.version, before.version + 1);
        assert.deepEqual(body.run.fixCounts, {
            'probable-rename': 1,
            'value-removed': 1,
            'label-changed': 1,
            'new-value': 2
        });
        assert.deepEqual(
            body.fixes?.map((fix) => [fix.value, fix.kind]),
            ALL_FIXES.map((fix) => [fix.value, fix.kind])
        );
        const history = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Status');
        assert.deepEqual(
            history.body.runs.map((run) => run.kind),
            ['drift-fix', 'auto-map']
        );
        const after = await api.scope('Lead', 'Status');
        const left = reportOf(after, DRIFTED);
        assert.deepEqual(
            left.map((finding) => [finding.value, finding.kind, finding.fix]),
            [['Nurture', 'value-deactivated', false]]
        );
        // The page's in-sync mark reads the labels from the scope list.
        const list = await api.get<{ scopes: { field: string; mappings?: { value: string; label?: string }[] }[] }>(
            '/v1/scopes?object=Lead&include=mappings'
        );
        assert.deepEqual(list.body.scopes[0]?.mappings, [
            { value: 'Dead', label: 'Dead' },
            { value: 'Nurture', label: 'Nurture' },
            { value: 'Open_New', label: 'Open' },
            { value: 'Qualified', label: 'Qualified' },
            { value: 'Recycled', label: 'Recycled' },
            { value: 'Working', label: 'In Progress' }
        ]);
    });

    test('a German request over English-recorded labels: no label-changed is offered, fix all applies, in German', async () => {
        const { store } = env();
        const api = await env().newTeam('German');
        const state = await seeded(api, 'Status', 'en_US');
        // Read without a language, every German label would read as a relabel of the English one.
        assert.deepEqual(
            reportOf(state, DRIFTED_DE)
                .filter((finding) => finding.kind === 'label-changed')
                .map((finding) => finding.value),
            ['Dead', 'Working']
        );
        // The German page reports in German: the English labels are not compared (Open's rename is still found:
        // its label reads the same in both).
        const findings = reportOf(state, DRIFTED_DE, 'de');
        assert.deepEqual(
            findings.map((finding) => [finding.value, finding.kind, finding.fix]),
            [
                ['Open', 'probable-rename', true],
                ['Closed', 'value-removed', true],
                ['Nurture', 'value-deactivated', false],
                ['Qualified', 'new-value', true],
                ['Recycled', 'new-value', true]
            ]
        );
        // The service decides as the page: in German, a relabel of an English label is no fix it offers.
        const before = await snapshot(store, api.teamId);
        const relabel = await fixesRequest(api, 'Status', {
            values: DRIFTED_DE,
            fixes: [{ value: 'Working', kind: 'label-changed' }],
            expectedVersion: state.version,
            labelLanguage: 'de'
        });
        assert.equal(relabel.status, 409, relabel.text);
        const problem = relabel.body as unknown as ProblemBody;
        assert.deepEqual([problem.code, problem.value], ['drift-changed', 'Working']);
        assert.deepEqual(await snapshot(store, api.teamId), before);

        // Every fix the German page offers applies: no drift-changed.
        const offered = findings.filter((finding) => finding.fix).map(({ value, kind }) => ({ value, kind }));
        const key = newKey();
        const body = await applyFixes(api, offered as { value: string; kind: FixKind }[], {
            values: DRIFTED_DE,
            labelLanguage: 'de',
            key
        });
        assert.deepEqual(body.run.fixCounts, {
            'probable-rename': 1,
            'value-removed': 1,
            'label-changed': 0,
            'new-value': 2
        });
        const after = await api.scope('Lead', 'Status');
        // What the fixes recorded is German; what they left is English, stage names included.
        assert.deepEqual(languagesOf(after), [
            ['Dead', 'Dead', 'en_US'],
            ['Nurture', 'Nurture', 'en_US'],
            ['Open_New', 'Open', 'de'],
            ['Qualified', 'Qualifiziert', 'de'],
            ['Recycled', 'Recycled', 'de'],
            ['Working', 'Working', 'en_US']
        ]);
        assert.ok(after.stages.some((stage) => stage.name === 'Working'));
        // In sync for the German reader. The English one still sees the English relabel of Working (which no German
        // reader can see), and not the German labels the fixes recorded.
        const left = (values: PicklistValueInput[], language: string): string[] =>
            reportOf(after, values, language).map((finding) => `${finding.value}:${finding.kind}`);
        assert.deepEqual(left(DRIFTED_DE, 'de'), ['Nurture:value-deactivated']);
        assert.deepEqual(left(DRIFTED, 'en_US'), ['Nurture:value-deactivated', 'Working:label-changed']);
        // The language is part of the request the key stands for.
        const other = await fixesRequest(
            api,
            'Status',
            { values: DRIFTED_DE, fixes: offered, expectedVersion: state.version, labelLanguage: 'en_US' },
            key
        );
        assert.equal(other.status, 422, other.text);
        assert.equal((other.body as unknown as ProblemBody).code, 'idempotency-key-reused');
    });

    test('every label a fix records carries the request language; undo restores each label and its language', async () => {
        const api = await env().newTeam('Languages undone');
        const before = await seeded(api, 'Status', 'en_US');
        assert.ok(before.mappings.every((mapping) => mapping.labelLanguage === 'en_US'));
        // The LWC spells the language `en-US`: the same language as Apex's `en_US`, so the labels are compared.
        const body = await applyFixes(api, ALL_FIXES, { labelLanguage: 'en-US' });
        assert.equal(body.run.fixCounts['label-changed'], 1);
        const fixed = await api.scope('Lead', 'Status');
        assert.deepEqual(languagesOf(fixed), [
            ['Dead', 'Dead', 'en_US'],
            ['Nurture', 'Nurture', 'en_US'],
            ['Open_New', 'Open', 'en-US'],
            ['Qualified', 'Qualified', 'en-US'],
            ['Recycled', 'Recycled', 'en-US'],
            ['Working', 'In Progress', 'en-US']
        ]);
        const list = await api.get<{ scopes: { mappings?: { value: string; labelLanguage?: string }[] }[] }>(
            '/v1/scopes?object=Lead&include=mappings'
        );
        assert.deepEqual(
            list.body.scopes[0]?.mappings?.map((mapping) => mapping.labelLanguage),
            ['en_US', 'en_US', 'en-US', 'en-US', 'en-US', 'en-US']
        );
        const undone = await undo(api, body.run.id);
        assert.equal(undone.status, 200, undone.text);
        assert.deepEqual((await api.scope('Lead', 'Status')).mappings, before.mappings, 'labels and languages');

        // A label recorded without a language gets none back.
        const other = await env().newTeam('Languages undone, none before');
        const plain = await seeded(other);
        const relabel = await applyFixes(other, [{ value: 'Working', kind: 'label-changed' }], {
            labelLanguage: 'en_US'
        });
        const relabelled = await other.scope('Lead', 'Status');
        assert.deepEqual(
            languagesOf(relabelled).find(([value]) => value === 'Working'),
            ['Working', 'In Progress', 'en_US']
        );
        assert.equal((await undo(other, relabel.run.id)).status, 200);
        assert.deepEqual((await other.scope('Lead', 'Status')).mappings, plain.mappings);
    });

    test('answer: summary leaves the fixes out; the run is the same', async () => {
        const api = await env().newTeam('Summary');
        await seeded(api);
        const body = await applyFixes(api, ALL_FIXES, { answer: 'summary' });
        assert.ok(!('fixes' in body));
        assert.equal(body.run.fixCounts['new-value'], 2);
        const run = await api.get<RunBody>(`/v1/runs/${body.run.id}`);
        assert.equal(run.body.fixes?.length, 5);
    });

    test('a stale expectedVersion is 409 state-changed with the version; nothing changes, the key stays free', async () => {
        const { store } = env();
        const api = await env().newTeam('Stale');
        const state = await seeded(api);
        const before = await snapshot(store, api.teamId);
        const key = newKey();
        const body = { values: DRIFTED, fixes: ALL_FIXES, expectedVersion: state.version - 1 };
        const stale = await fixesRequest(api, 'Status', body, key);
        assert.equal(stale.status, 409, stale.text);
        const problem = stale.body as unknown as ProblemBody;
        assert.equal(problem.code, 'state-changed');
        assert.equal(problem.version, state.version);
        assert.deepEqual(await snapshot(store, api.teamId), before);
        // Not stored: the same key with the right version applies.
        const applied = await fixesRequest(api, 'Status', { ...body, expectedVersion: state.version }, key);
        assert.equal(applied.status, 200, applied.text);
    });

    test('a fix the report no longer offers is 409 drift-changed naming the value; nothing is applied', async () => {
        const { store } = env();
        const api = await env().newTeam('Drift changed');
        const state = await seeded(api);
        const before = await snapshot(store, api.teamId);
        const cases: [{ value: string; kind: FixKind }[], PicklistValueInput[], string, RegExp][] = [
            // A value without a finding (in sync), a finding of another kind, one without a fix.
            [[...ALL_FIXES.slice(0, 2), { value: 'Dead', kind: 'new-value' }], DRIFTED, 'Dead', /no longer drifted/],
            [[{ value: 'Open', kind: 'value-removed' }], DRIFTED, 'Open', /probable-rename now/],
            [[{ value: 'Nurture', kind: 'value-removed' }], DRIFTED, 'Nurture', /value-deactivated now/],
            // The picklist moved again since the page reported: Open_New is gone too, so Open's rename target is.
            [
                [{ value: 'Open', kind: 'probable-rename' }],
                DRIFTED.filter((value) => value.value !== 'Open_New'),
                'Open',
                /value-removed now/
            ],
            // Two values labelled like the gone one: no fix.
            [
                [{ value: 'Open', kind: 'probable-rename' }],
                [...DRIFTED, { value: 'Open_Too', label: 'Open' }],
                'Open',
                /is value-removed now/
            ]
        ];
        for (const [fixes, values, value, detail] of cases) {
            const response = await fixesRequest(api, 'Status', { values, fixes, expectedVersion: state.version });
            assert.equal(response.status, 409, response.text);
            const problem = response.body as unknown as ProblemBody;
            assert.equal(problem.code, 'drift-changed', response.text);
            assert.equal(problem.value, value);
            assert.equal(problem.version, state.version);
            assert.match(problem.detail, detail);
            assert.match(problem.detail, new RegExp(`"${value}"`));
            assert.match(problem.detail, /Nothing was applied/);
        }
        const withoutFix = reportOf(state, [...DRIFTED, { value: 'Open_Too', label: 'Open' }]).find(
            (finding) => finding.value === 'Open'
        );
        assert.equal(withoutFix?.fix, false, 'the engine offers no fix there either');
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('stage renames into each other names apply together; one alone is drift-changed', async () => {
        const { store } = env();
        const api = await env().newTeam('Rename chain');
        const first = [
            { value: 'a', label: 'Alpha' },
            { value: 'b', label: 'Beta' }
        ];
        assert.equal((await api.autoMap('Lead', 'Chain', { values: first })).status, 200);
        // a's label becomes b's old one, b's a new one: stage Alpha → Beta once stage Beta → Gamma.
        const relabelled = [
            { value: 'a', label: 'Beta' },
            { value: 'b', label: 'Gamma' }
        ];
        const state = await api.scope('Lead', 'Chain');
        assert.deepEqual(
            reportOf(state, relabelled).map((finding) => [finding.value, finding.newStageName, finding.fix]),
            [
                ['a', 'Beta', true],
                ['b', 'Gamma', true]
            ]
        );
        const before = await snapshot(store, api.teamId);
        const alone = await fixesRequest(api, 'Chain', {
            values: relabelled,
            fixes: [{ value: 'a', kind: 'label-changed' }],
            expectedVersion: state.version
        });
        assert.equal(alone.status, 409, alone.text);
        const problem = alone.body as unknown as ProblemBody;
        assert.equal(problem.code, 'drift-changed');
        assert.equal(problem.value, 'a');
        assert.match(problem.detail, /stage "Beta" has until it is renamed by the fix of "b"/);
        assert.deepEqual(await snapshot(store, api.teamId), before);
        const both = await applyFixes(
            api,
            [
                { value: 'a', kind: 'label-changed' },
                { value: 'b', kind: 'label-changed' }
            ],
            { field: 'Chain', values: relabelled }
        );
        const after = await api.scope('Lead', 'Chain');
        assert.deepEqual(
            mappingsOf(after).filter((line) => line.startsWith('a ') || line.startsWith('b ')),
            [`a → Beta (Beta, auto ${state.lastRun?.id ?? ''})`, `b → Gamma (Gamma, auto ${state.lastRun?.id ?? ''})`]
        );
        // And back: the undo swaps the names again.
        const undone = await undo(api, both.run.id);
        assert.equal(undone.status, 200, undone.text);
        assert.deepEqual(mappingsOf(await api.scope('Lead', 'Chain')), mappingsOf(state));
    });

    test('a new value whose fix needed another fix not asked for stays a skip', async () => {
        const api = await env().newTeam('Skip');
        // "Gone" maps stage "Later"; the new value "Later" would take it once the gone mapping is removed.
        const stage = await api.createStage('contact', 'Later');
        assert.equal(
            (await api.put('/v1/scopes/Lead/Skip/mappings', { value: 'Gone', stageId: stage.id, label: 'Gone' }))
                .status,
            200
        );
        const values = [{ value: 'Later', label: 'Later' }];
        const state = await api.scope('Lead', 'Skip');
        assert.deepEqual(
            reportOf(state, values).map((finding) => [finding.value, finding.kind, finding.outcome]),
            [
                ['Gone', 'value-removed', undefined],
                ['Later', 'new-value', 'map-existing']
            ]
        );
        const body = await applyFixes(api, [{ value: 'Later', kind: 'new-value' }], { field: 'Skip', values });
        assert.deepEqual(body.fixes, [
            { value: 'Later', kind: 'new-value', stageId: stage.id, outcome: 'skip-stage-taken' }
        ]);
        assert.equal(body.version, state.version, 'nothing changed, the version stays');
        assert.deepEqual(mappingsOf(await api.scope('Lead', 'Skip')), mappingsOf(state));
    });

    test('the same key and request replays the answer; another request or an auto-map key is refused', async () => {
        const { store } = env();
        const api = await env().newTeam('Idempotent');
        const state = await seeded(api);
        const key = newKey();
        const body = { values: DRIFTED, fixes: ALL_FIXES, expectedVersion: state.version };
        const first = await fixesRequest(api, 'Status', body, key);
        assert.equal(first.status, 200, first.text);
        const before = await snapshot(store, api.teamId);
        // The version moved, but a replay is the stored answer: nothing is checked or applied again.
        const replay = await fixesRequest(api, 'Status', body, key);
        assert.equal(replay.status, 200, replay.text);
        assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
        assert.deepEqual(replay.body, first.body);
        assert.deepEqual(await snapshot(store, api.teamId), before);
        for (const other of [
            { ...body, answer: 'summary' },
            { ...body, fixes: ALL_FIXES.slice(1) },
            { ...body, newStageNames: 'apiName' }
        ]) {
            const refused = await fixesRequest(api, 'Status', other, key);
            assert.equal(refused.status, 422, refused.text);
            assert.equal((refused.body as unknown as ProblemBody).code, 'idempotency-key-reused');
        }
        // The same key on another scope, or as an auto-map's, is another request.
        const elsewhere = await fixesRequest(api, 'Rating', body, key);
        assert.equal((elsewhere.body as unknown as ProblemBody).code, 'idempotency-key-reused');
        const autoMapKey = newKey();
        assert.equal((await api.autoMap('Lead', 'Other', { values: DRIFTED }, autoMapKey)).status, 200);
        const reused = await fixesRequest(api, 'Other', { ...body, expectedVersion: 0 }, autoMapKey);
        assert.equal(reused.status, 422, reused.text);
        assert.equal((reused.body as unknown as ProblemBody).code, 'idempotency-key-reused');
        assert.equal((await snapshot(store, api.teamId)).runs, (before.runs ?? 0) + 1);
    });

    test('bad input is refused before anything is read or changed', async () => {
        const { store } = env();
        const api = await env().newTeam('Bad input');
        const state = await seeded(api);
        const before = await snapshot(store, api.teamId);
        const good = { values: DRIFTED, fixes: ALL_FIXES, expectedVersion: state.version };
        const cases: [Record<string, unknown> | undefined, number, string, string | undefined][] = [
            [{ ...good, fixes: [] }, 422, 'invalid-body', 'body.fixes'],
            [{ ...good, values: [] }, 422, 'invalid-body', 'body.values'],
            [{ values: DRIFTED, fixes: ALL_FIXES }, 422, 'invalid-body', 'body.expectedVersion'],
            [{ ...good, expectedVersion: -1 }, 422, 'invalid-body', 'body.expectedVersion'],
            [
                { ...good, fixes: [{ value: 'Nurture', kind: 'value-deactivated' }] },
                422,
                'invalid-body',
                'body.fixes[0].kind'
            ],
            [{ ...good, fixes: [{ value: 'Open' }] }, 422, 'invalid-body', 'body.fixes[0].kind'],
            [{ ...good, fixes: [{ value: '', kind: 'new-value' }] }, 422, 'invalid-body', 'body.fixes[0].value'],
            [
                { ...good, fixes: [{ value: 'Open', kind: 'probable-rename', extra: 1 }] },
                422,
                'invalid-body',
                'body.fixes[0].extra'
            ],
            [
                { ...good, fixes: [ALL_FIXES[0], { value: 'Open', kind: 'value-removed' }] },
                422,
                'invalid-fixes',
                'body.fixes[1].value'
            ],
            [{ ...good, values: [...DRIFTED, { value: 'Dead' }] }, 422, 'invalid-values', 'body.values[6].value'],
            [{ ...good, values: [{ value: '   ' }] }, 422, 'invalid-values', 'body.values[0].value'],
            [{ ...good, newStageNames: 'key' }, 422, 'invalid-body', 'body.newStageNames'],
            [{ ...good, dryRun: true }, 422, 'invalid-body', 'body.dryRun'],
            [undefined, 400, 'body-required', undefined]
        ];
        for (const [body, status, code, field] of cases) {
            const response = await fixesRequest(api, 'Status', body);
            const problem = response.body as unknown as ProblemBody;
            assert.equal(
                response.status,
                status,
                `${body === undefined ? 'no body' : JSON.stringify(body).slice(0, 200)}: ${response.text}`
            );
            assert.equal(problem.code, code, response.text);
            if (field !== undefined) {
                assert.ok(
                    problem.errors?.some((error) => error.field === field),
                    `${field}: ${response.text}`
                );
            }
        }
        const noKey = await fixesRequest(api, 'Status', good, null);
        assert.equal(noKey.status, 400, noKey.text);
        assert.equal((noKey.body as unknown as ProblemBody).code, 'idempotency-key-required');
        const noActor = await api.post('/v1/scopes/Lead/Status/drift-fixes', good, {
            actor: false,
            headers: { 'Idempotency-Key': newKey() }
        });
        assert.equal(noActor.status, 400, noActor.text);
        const badObject = await api.post('/v1/scopes/Opportunity/Status/drift-fixes', good, {
            headers: { 'Idempotency-Key': newKey() }
        });
        assert.equal(badObject.status, 404, badObject.text);
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('undo of a fix-all run reverses every fix: mappings, labels, stage names as they were', async () => {
        const api = await env().newTeam('Undo all');
        const before = await seeded(api);
        const body = await applyFixes(api, ALL_FIXES);
        const undone = await undo(api, body.run.id);
        assert.equal(undone.status, 200, undone.text);
        assert.equal(undone.body.version, body.version + 1);
        const after = await api.scope('Lead', 'Status');
        assert.deepEqual(mappingsOf(after), mappingsOf(before));
        assert.deepEqual(
            after.stages.map((stage) => [stage.id, stage.name, stage.displayOrder]),
            before.stages.map((stage) => [stage.id, stage.name, stage.displayOrder])
        );
        assert.deepEqual(after.mappings, before.mappings, 'source, run and label as they were');
        // The report is what it was before the fixes; the run says it was undone, and cannot be again.
        assert.deepEqual(reportOf(after, DRIFTED), reportOf(before, DRIFTED));
        assert.ok(after.lastRun);
        assert.equal(after.lastRun.id, body.run.id);
        assert.deepEqual(kindsOf(after.lastRun.undoBlockers), ['already-undone:']);
        const again = await undo(api, body.run.id);
        assert.equal(again.status, 409);
        // Who made the restored mappings and when is as it was, too (blockers of the first run name them).
        const firstRun = await api.get<RunSummaryBody>(`/v1/runs/${before.lastRun?.id ?? ''}`);
        assert.equal(firstRun.body.undoBlockerCount, 0, 'the first run can be undone again');
    });

    for (const fix of ALL_FIXES.slice(0, 4)) {
        test(`undo of a ${fix.kind} fix alone reverses it`, async () => {
            const api = await env().newTeam(`Undo ${fix.kind}`);
            const before = await seeded(api);
            const body = await applyFixes(api, [fix]);
            assert.notDeepEqual(mappingsOf(await api.scope('Lead', 'Status')), mappingsOf(before));
            const undone = await undo(api, body.run.id);
            assert.equal(undone.status, 200, undone.text);
            const after = await api.scope('Lead', 'Status');
            assert.deepEqual(after.mappings, before.mappings);
            assert.deepEqual(
                after.stages.map((stage) => stage.name),
                before.stages.map((stage) => stage.name)
            );
        });
    }

    test('undo blockers of a probable-rename: the moved mapping removed, changed, or the old value mapped again', async () => {
        const api = await env().newTeam('Rename blockers');
        const state = await seeded(api);
        const stageOf = (value: string): string =>
            state.mappings.find((mapping) => mapping.value === value)?.stageId ?? '';
        const path = '/v1/scopes/Lead/Status/mappings';
        // Removed since.
        let body = await applyFixes(api, [{ value: 'Open', kind: 'probable-rename' }]);
        assert.equal((await api.delete(`${path}/Open_New`)).status, 200);
        let refused = await undo(api, body.run.id);
        assert.equal(refused.status, 409, refused.text);
        assert.deepEqual(kindsOf(refused.body.blockers), ['mapping-removed:Open_New']);
        // Made again by hand, on the same stage: not the fix's mapping any more.
        assert.equal((await api.put(path, { value: 'Open_New', stageId: stageOf('Open') })).status, 200);
        refused = await undo(api, body.run.id);
        assert.deepEqual(kindsOf(refused.body.blockers), ['mapping-changed:Open_New']);
        assert.match(refused.body.detail, /Ada Admin \(manual\)/);
        // A fresh rename fix, then the old value mapped again.
        const api2 = await env().newTeam('Rename blockers 2');
        await seeded(api2);
        body = await applyFixes(api2, [{ value: 'Open', kind: 'probable-rename' }]);
        const spare = await api2.createStage('contact', 'Spare');
        assert.equal((await api2.put(path, { value: 'Open', stageId: spare.id })).status, 200);
        refused = await undo(api2, body.run.id);
        assert.deepEqual(kindsOf(refused.body.blockers), ['mapping-changed:Open']);
        // The run summary says the same before anyone tries.
        const listed = await api2.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Status&limit=1');
        assert.deepEqual(kindsOf(listed.body.runs[0]?.undoBlockers), ['mapping-changed:Open']);
        // Unmapped again: the undo goes through.
        assert.equal((await api2.delete(`${path}/Open`)).status, 200);
        assert.equal((await undo(api2, body.run.id)).status, 200);
    });

    test('undo blockers of a value-removed: the value mapped again, its stage held by another value, or deleted', async () => {
        const path = '/v1/scopes/Lead/Status/mappings';
        const fix = [{ value: 'Closed', kind: 'value-removed' as const }];
        // Mapped again.
        const a = await env().newTeam('Removed blockers a');
        await seeded(a);
        let body = await applyFixes(a, fix);
        const spare = await a.createStage('contact', 'Spare');
        assert.equal((await a.put(path, { value: 'Closed', stageId: spare.id })).status, 200);
        assert.deepEqual(kindsOf((await undo(a, body.run.id)).body.blockers), ['mapping-changed:Closed']);
        // Its stage now held by another value of the scope.
        const b = await env().newTeam('Removed blockers b');
        const state = await seeded(b);
        const closedStage = state.mappings.find((mapping) => mapping.value === 'Closed')?.stageId ?? '';
        body = await applyFixes(b, fix);
        assert.equal((await b.put(path, { value: 'Done', stageId: closedStage })).status, 200);
        const held = await undo(b, body.run.id);
        assert.deepEqual(kindsOf(held.body.blockers), ['stage-mapped-elsewhere:Closed']);
        assert.match(held.body.detail, /now mapped to "Done"/);
        // Its stage deleted.
        const c = await env().newTeam('Removed blockers c');
        const stateC = await seeded(c);
        body = await applyFixes(c, fix);
        const stageC = stateC.mappings.find((mapping) => mapping.value === 'Closed')?.stageId ?? '';
        assert.equal((await c.delete(`/v1/stages/${stageC}`)).status, 200);
        assert.deepEqual(kindsOf((await undo(c, body.run.id)).body.blockers), ['stage-deleted:Closed']);
    });

    test('undo blockers of a label-changed: the stage renamed again, deleted, or its old name taken', async () => {
        const fix = [{ value: 'Working', kind: 'label-changed' as const }];
        const stageOf = (state: ScopeBody): string =>
            state.mappings.find((mapping) => mapping.value === 'Working')?.stageId ?? '';
        const a = await env().newTeam('Relabel blockers a');
        const stateA = await seeded(a);
        let body = await applyFixes(a, fix);
        assert.equal((await a.patch(`/v1/stages/${stageOf(stateA)}`, { name: 'Doing' })).status, 200);
        const renamed = await undo(a, body.run.id);
        assert.deepEqual(kindsOf(renamed.body.blockers), ['mapping-changed:Working']);
        assert.match(renamed.body.detail, /Stage "Doing".*renamed again/);

        const b = await env().newTeam('Relabel blockers b');
        const stateB = await seeded(b);
        body = await applyFixes(b, fix);
        assert.equal((await b.delete(`/v1/stages/${stageOf(stateB)}`)).status, 200);
        assert.deepEqual(kindsOf((await undo(b, body.run.id)).body.blockers), ['stage-deleted:Working']);

        const c = await env().newTeam('Relabel blockers c');
        await seeded(c);
        body = await applyFixes(c, fix);
        const taker = await c.createStage('contact', 'working');
        const taken = await undo(c, body.run.id);
        assert.deepEqual(kindsOf(taken.body.blockers), ['mapping-changed:Working']);
        assert.match(taken.body.detail, /cannot take its old name "Working" back: stage "working" has that name now/);
        // Once that stage is gone, the undo renames it back.
        assert.equal((await c.delete(`/v1/stages/${taker.id}`)).status, 200);
        assert.equal((await undo(c, body.run.id)).status, 200);
    });

    test('undo blockers of the new-value part are an auto-map run undo blockers', async () => {
        const api = await env().newTeam('New value blockers');
        await seeded(api);
        const body = await applyFixes(api, ALL_FIXES);
        const qualified = body.fixes?.find((fix) => fix.value === 'Qualified')?.stageId ?? '';
        assert.equal(
            (await api.put('/v1/records', { records: [{ recordId: 'q1', family: 'contact', stageId: qualified }] }))
                .status,
            200
        );
        assert.equal((await api.delete('/v1/scopes/Lead/Status/mappings/Recycled')).status, 200);
        const refused = await undo(api, body.run.id);
        assert.equal(refused.status, 409, refused.text);
        assert.deepEqual(kindsOf(refused.body.blockers).sort(), [
            'mapping-removed:Recycled',
            'records-in-stage:Qualified'
        ]);
        assert.equal(refused.body.blockerCount, 2);
    });

    test('1,000 fixes in one run (500 renames, 500 relabels), and their undo', async () => {
        const api = await env().newTeam('Thousand');
        const first = Array.from({ length: 1000 }, (_, index) => ({ value: `V${index}`, label: `Label ${index}` }));
        assert.equal((await api.autoMap('Lead', 'Big', { values: first, answer: 'summary' })).status, 200);
        const drifted = first.map((value, index) =>
            index % 2 === 0
                ? { value: `N${index}`, label: value.label }
                : { value: value.value, label: `New label ${index}` }
        );
        const before = await api.scope('Lead', 'Big');
        const fixes = reportOf(before, drifted)
            .filter((finding) => finding.fix)
            .map((finding) => ({ value: finding.value, kind: finding.kind as FixKind }));
        assert.equal(fixes.length, 1000);
        const body = await applyFixes(api, fixes, { field: 'Big', values: drifted, answer: 'summary' });
        assert.deepEqual(body.run.fixCounts, {
            'probable-rename': 500,
            'value-removed': 0,
            'label-changed': 500,
            'new-value': 0
        });
        const after = await api.scope('Lead', 'Big');
        assert.deepEqual(reportOf(after, drifted), [], 'in sync');
        assert.equal(after.lastRun?.undoBlockerCount, 0);
        assert.equal((await undo(api, body.run.id)).status, 200);
        const undone = await api.scope('Lead', 'Big');
        assert.deepEqual(undone.mappings, before.mappings);
        assert.deepEqual(
            undone.stages.map((stage) => stage.name),
            before.stages.map((stage) => stage.name)
        );
    });

    test("another team never sees nor undoes a team's drift-fix run; its own fixes see its own state", async () => {
        const { store } = env();
        const a = await env().newTeam('Team A drift');
        const b = await env().newTeam('Team B drift');
        await seeded(a);
        const body = await applyFixes(a, ALL_FIXES);
        const beforeB = await snapshot(store, b.teamId);
        assert.equal((await b.get(`/v1/runs/${body.run.id}`)).status, 404);
        assert.equal((await undo(b, body.run.id)).status, 404);
        // B asks for A's fixes at A's version: B has no such mappings, so nothing is fixable (or the version moved).
        const response = await fixesRequest(b, 'Status', {
            values: DRIFTED,
            fixes: ALL_FIXES,
            expectedVersion: (await b.scope('Lead', 'Status')).version
        });
        assert.equal(response.status, 409, response.text);
        assert.equal((response.body as unknown as ProblemBody).code, 'drift-changed');
        assert.deepEqual(await snapshot(store, b.teamId), beforeB);
        assert.deepEqual((await b.get<{ runs: RunSummaryBody[] }>('/v1/runs')).body.runs, []);
    });
});
