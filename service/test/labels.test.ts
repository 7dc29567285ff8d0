/**
 * Mappings carry the label their value had when they were made (issue 12: drift tells a relabel from a rename by it):
 * an auto-map records each value's label (its API name when it has none), a manual map the `label` it is given, the
 * scope state lists it (and omits it when none was recorded), the scope list lists it with `include=mappings`, and
 * data from before migration 003 reads as mappings without labels and runs of kind `auto-map`. The label's language
 * (`labelLanguage`: the UI API gives labels in the reader's language) is recorded with it from the request, checked
 * as the engine checks it, returned where the label is, and part of the Idempotency-Key's request hash.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { validatePlanInput } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { loadMigrations } from '../src/store/migrations.ts';
import { ApiClient, DB_KINDS, LONGEST_LANGUAGE, describeEachDatabase, freshDatabase, snapshot } from './helpers.ts';
import type { Database as TestDatabase, RunSummaryBody, ScopeBody } from './helpers.ts';
import { startService } from '../src/server.ts';
import { silentLogger } from '../src/logger.ts';

interface ScopeListBody {
    scopes: {
        object: string;
        field: string;
        family: string;
        mappingCount: number;
        lastRunAt: string | null;
        mappings?: { value: string; label?: string; labelLanguage?: string }[];
    }[];
}

interface ProblemBody {
    code: string;
    detail: string;
    errors?: { field: string; message: string }[];
}

function labelsOf(state: ScopeBody): [string, string | undefined][] {
    return state.mappings.map((mapping) => [mapping.value, mapping.label]);
}

/** Each mapping as `[value, label, labelLanguage]`, the language `undefined` when none is listed. */
function languagesOf(state: ScopeBody): [string, string | undefined, string | undefined][] {
    return state.mappings.map((mapping) => [mapping.value, mapping.label, mapping.labelLanguage]);
}

/**
 * Language codes as the engine's validation (`LANGUAGE_CODE`) decides them: Apex's `en_US`, the LWC's `en-US`, two or
 * three letters and up to two parts of 2 to 8 letters or digits; anything else is refused.
 */
const GOOD_LANGUAGES = ['de', 'en_US', 'en-US', 'zh_CN', 'pt_BR', 'es_MX', 'EN_us', 'sr_Latn_RS', LONGEST_LANGUAGE];
const BAD_LANGUAGES = [
    '',
    'd',
    'deutsch',
    'en_',
    'en__US',
    '_US',
    'en US',
    'en_U',
    'en_US_POSIX_x1',
    'en_US_POSIX_abc',
    'en_abcdefghi',
    'de\n',
    'dé',
    `${LONGEST_LANGUAGE}x`
];

describeEachDatabase('mapping labels', (env) => {
    test('an auto-map records each mapped value label, or its API name when it has none', async () => {
        const api = await env().newTeam('Auto');
        await api.createStage('contact', 'Working');
        const response = await api.autoMap('Lead', 'Status', {
            values: [
                { value: 'Working', label: 'Working - Contacted' },
                { value: 'Open', label: 'Open - Not Contacted' },
                { value: 'Closed' },
                { value: 'Blank', label: null },
                { value: 'Old', label: 'Old one', active: false }
            ]
        });
        assert.equal(response.status, 200, response.text);
        const state = await api.scope('Lead', 'Status');
        assert.deepEqual(labelsOf(state), [
            ['Blank', 'Blank'],
            ['Closed', 'Closed'],
            ['Open', 'Open - Not Contacted'],
            ['Working', 'Working - Contacted']
        ]);
        // An auto-map never changes an existing mapping, its label included.
        const again = await api.autoMap('Lead', 'Status', { values: [{ value: 'Open', label: 'Open now' }] });
        assert.equal(again.status, 200, again.text);
        assert.deepEqual(labelsOf(await api.scope('Lead', 'Status'))[2], ['Open', 'Open - Not Contacted']);
    });

    test('a manual map records the label it is given; none given, none listed; the same stage again records a new label', async () => {
        const api = await env().newTeam('Manual');
        const hot = await api.createStage('contact', 'Hot');
        const path = '/v1/scopes/Lead/Rating/mappings';
        const mapped = await api.put<ScopeBody>(path, { value: 'Hot', stageId: hot.id, label: 'Very hot' });
        assert.equal(mapped.status, 200, mapped.text);
        assert.deepEqual(labelsOf(mapped.body), [['Hot', 'Very hot']]);
        const created = await api.put<ScopeBody>(path, { value: 'Cold', stageName: 'Cold', label: 'Ice cold' });
        assert.equal(created.status, 200, created.text);
        assert.deepEqual(labelsOf(created.body), [
            ['Cold', 'Ice cold'],
            ['Hot', 'Very hot']
        ]);
        const plain = await api.put<ScopeBody>(path, { value: 'Warm', stageName: 'Warm' });
        assert.equal(plain.status, 200, plain.text);
        const warm = plain.body.mappings.find((mapping) => mapping.value === 'Warm');
        assert.ok(warm && !('label' in warm), 'no label recorded, none listed');

        // The stage it already has, with a new label: the label is recorded and the version moves.
        const version = plain.body.version;
        const relabelled = await api.put<ScopeBody>(path, { value: 'Hot', stageId: hot.id, label: 'Scorching' });
        assert.equal(relabelled.status, 200, relabelled.text);
        assert.equal(relabelled.body.version, version + 1);
        assert.deepEqual(labelsOf(relabelled.body)[1], ['Hot', 'Scorching']);
        // The same label again, or none: nothing changes.
        for (const body of [
            { value: 'Hot', stageId: hot.id, label: 'Scorching' },
            { value: 'Hot', stageId: hot.id }
        ]) {
            const same = await api.put<ScopeBody>(path, body);
            assert.equal(same.status, 200, same.text);
            assert.equal(same.body.version, version + 1);
            assert.deepEqual(labelsOf(same.body)[1], ['Hot', 'Scorching']);
        }
        // Moving a value to another stage records the label given with the move (none: none).
        const moved = await api.put<ScopeBody>(path, { value: 'Hot', stageName: 'Hotter' });
        assert.equal(moved.status, 200, moved.text);
        assert.deepEqual(labelsOf(moved.body)[1], ['Hot', undefined]);
    });

    test('a label is checked like a value: blank, control characters, too long or not a string are 422; nothing changes', async () => {
        const { store } = env();
        const api = await env().newTeam('Bad labels');
        const stage = await api.createStage('contact', 'Any');
        const before = await snapshot(store, api.teamId);
        const cases: [unknown, string, string][] = [
            ['   ', 'invalid-values', 'body.label'],
            ['\u200b', 'invalid-values', 'body.label'],
            ['', 'invalid-body', 'body.label'],
            ['a\u0007b', 'invalid-body', 'body.label'],
            ['x'.repeat(256), 'invalid-body', 'body.label'],
            [7, 'invalid-body', 'body.label'],
            [null, 'invalid-body', 'body.label']
        ];
        for (const [label, code, field] of cases) {
            const response = await api.put<ProblemBody>('/v1/scopes/Lead/Rating/mappings', {
                value: 'Hot',
                stageId: stage.id,
                label
            });
            assert.equal(response.status, 422, `${JSON.stringify(label)}: ${response.text}`);
            assert.equal(response.body.code, code, JSON.stringify(label));
            assert.ok(
                response.body.errors?.some((error) => error.field === field),
                response.text
            );
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('the scope list lists each scope mappings with their labels only with include=mappings', async () => {
        const api = await env().newTeam('List');
        const open = await api.autoMap('Lead', 'Status', {
            values: [{ value: 'Open', label: 'Open - Not Contacted' }, { value: 'Closed' }]
        });
        assert.equal(open.status, 200, open.text);
        const hot = await api.createStage('contact', 'Hot');
        assert.equal((await api.put('/v1/scopes/Lead/Rating/mappings', { value: 'Hot', stageId: hot.id })).status, 200);
        // A scope with a run but no mapping left lists no mappings.
        const undone = await api.autoMap('Lead', 'Source__c', { values: [{ value: 'Web' }] });
        assert.equal((await api.post(`/v1/runs/${undone.body.run?.id ?? ''}/undo`)).status, 200);

        const listed = await api.get<ScopeListBody>('/v1/scopes?object=Lead&include=mappings');
        assert.equal(listed.status, 200, listed.text);
        assert.deepEqual(
            listed.body.scopes.map((scope) => [scope.field, scope.mappingCount, scope.mappings]),
            [
                ['Rating', 1, [{ value: 'Hot' }]],
                ['Source__c', 0, []],
                [
                    'Status',
                    2,
                    [
                        { value: 'Closed', label: 'Closed' },
                        { value: 'Open', label: 'Open - Not Contacted' }
                    ]
                ]
            ]
        );
        const plain = await api.get<ScopeListBody>('/v1/scopes?object=Lead');
        assert.ok(
            plain.body.scopes.every((scope) => !('mappings' in scope)),
            'no mappings without include'
        );
        // Another object's mappings are not listed; another team sees nothing.
        assert.deepEqual((await api.get<ScopeListBody>('/v1/scopes?object=Contact&include=mappings')).body.scopes, []);
        const other = await env().newTeam('Other');
        assert.deepEqual((await other.get<ScopeListBody>('/v1/scopes?object=Lead&include=mappings')).body.scopes, []);
        // Anything but `mappings` is refused like any query value.
        for (const include of ['labels', 'Mappings', '']) {
            const refused = await api.get<ProblemBody>(`/v1/scopes?object=Lead&include=${include}`);
            assert.equal(refused.status, 422, include);
            assert.equal(refused.body.code, 'invalid-query');
            assert.ok(
                refused.body.errors?.some((error) => error.field === 'query.include'),
                refused.text
            );
        }
    });

    test('an auto-map records its labelLanguage with every mapping it makes; the scope state and list return it', async () => {
        const api = await env().newTeam('Languages');
        await api.createStage('contact', 'Working');
        const applied = await api.autoMap('Lead', 'Status', {
            values: [
                { value: 'Working', label: 'Working - Contacted' },
                { value: 'Open', label: 'Open - Not Contacted' },
                { value: 'Closed' }
            ],
            labelLanguage: 'en_US'
        });
        assert.equal(applied.status, 200, applied.text);
        // Mapped to an existing stage, with a stage created, and a value without a label (its API name stands).
        assert.deepEqual(languagesOf(await api.scope('Lead', 'Status')), [
            ['Closed', 'Closed', 'en_US'],
            ['Open', 'Open - Not Contacted', 'en_US'],
            ['Working', 'Working - Contacted', 'en_US']
        ]);
        // None given: none recorded, none listed.
        const plain = await api.autoMap('Lead', 'Rating', { values: [{ value: 'Hot', label: 'Hot' }] });
        assert.equal(plain.status, 200, plain.text);
        const rating = await api.scope('Lead', 'Rating');
        assert.ok(
            rating.mappings.length === 1 && rating.mappings.every((mapping) => !('labelLanguage' in mapping)),
            JSON.stringify(rating.mappings)
        );
        // An auto-map in another language never changes an existing mapping, its language included; a dry run
        // records nothing.
        for (const dryRun of [true, false]) {
            const again = await api.autoMap('Lead', 'Status', {
                values: [{ value: 'Open', label: 'Offen' }],
                labelLanguage: 'de',
                dryRun
            });
            assert.equal(again.status, 200, again.text);
        }
        assert.deepEqual(languagesOf(await api.scope('Lead', 'Status'))[1], ['Open', 'Open - Not Contacted', 'en_US']);

        const listed = await api.get<ScopeListBody>('/v1/scopes?object=Lead&include=mappings');
        assert.equal(listed.status, 200, listed.text);
        assert.deepEqual(
            listed.body.scopes.map((scope) => [scope.field, scope.mappings]),
            [
                ['Rating', [{ value: 'Hot', label: 'Hot' }]],
                [
                    'Status',
                    [
                        { value: 'Closed', label: 'Closed', labelLanguage: 'en_US' },
                        { value: 'Open', label: 'Open - Not Contacted', labelLanguage: 'en_US' },
                        { value: 'Working', label: 'Working - Contacted', labelLanguage: 'en_US' }
                    ]
                ]
            ]
        );
    });

    test('a manual map records its labelLanguage with its label, as given; without a label, no language', async () => {
        const api = await env().newTeam('Manual languages');
        const hot = await api.createStage('contact', 'Hot');
        const path = '/v1/scopes/Lead/Rating/mappings';
        const put = async (body: Record<string, unknown>): Promise<ScopeBody> => {
            const response = await api.put<ScopeBody>(path, body);
            assert.equal(response.status, 200, response.text);
            return response.body;
        };
        const mapped = await put({ value: 'Hot', stageId: hot.id, label: 'Heiß', labelLanguage: 'de' });
        assert.deepEqual(languagesOf(mapped), [['Hot', 'Heiß', 'de']]);
        // A language without a label names nothing: none is recorded.
        const created = await put({ value: 'Cold', stageName: 'Cold', labelLanguage: 'de' });
        assert.deepEqual(languagesOf(created)[0], ['Cold', undefined, undefined]);
        assert.ok(!('labelLanguage' in (created.mappings[0] ?? {})), 'none listed');

        // The stage it already has: the same label in another language is recorded (the version moves), ...
        const version = created.version;
        const english = await put({ value: 'Hot', stageId: hot.id, label: 'Heiß', labelLanguage: 'en-US' });
        assert.equal(english.version, version + 1);
        assert.deepEqual(languagesOf(english)[1], ['Hot', 'Heiß', 'en-US']);
        // ... the same label and language again, or a language without a label, change nothing; ...
        for (const body of [
            { value: 'Hot', stageId: hot.id, label: 'Heiß', labelLanguage: 'en-US' },
            { value: 'Hot', stageId: hot.id, labelLanguage: 'de' }
        ]) {
            const same = await put(body);
            assert.equal(same.version, version + 1, JSON.stringify(body));
            assert.deepEqual(languagesOf(same)[1], ['Hot', 'Heiß', 'en-US']);
        }
        // ... and a label without a language records a label of no known language.
        const unknown = await put({ value: 'Hot', stageId: hot.id, label: 'Heiß' });
        assert.equal(unknown.version, version + 2);
        assert.deepEqual(languagesOf(unknown)[1], ['Hot', 'Heiß', undefined]);
        // Moving a value to another stage records the label and language given with the move.
        const moved = await put({ value: 'Hot', stageName: 'Hotter', label: 'Hot', labelLanguage: LONGEST_LANGUAGE });
        assert.deepEqual(languagesOf(moved)[1], ['Hot', 'Hot', LONGEST_LANGUAGE]);
    });

    test('a labelLanguage that is not a language code is 422 invalid-body on every write that takes one', async () => {
        const { store } = env();
        const api = await env().newTeam('Bad languages');
        const stage = await api.createStage('contact', 'Any');
        const state = await api.scope('Lead', 'Status');
        const before = await snapshot(store, api.teamId);
        const writes: [string, string, (labelLanguage: unknown) => Record<string, unknown>][] = [
            [
                'PUT',
                '/v1/scopes/Lead/Status/mappings',
                (labelLanguage) => ({ value: 'Any', stageId: stage.id, label: 'Any', labelLanguage })
            ],
            [
                'POST',
                '/v1/scopes/Lead/Status/auto-map',
                (labelLanguage) => ({ values: [{ value: 'Any' }], labelLanguage })
            ],
            [
                'POST',
                '/v1/scopes/Lead/Status/auto-map',
                (labelLanguage) => ({ values: [{ value: 'Any' }], dryRun: true, labelLanguage })
            ],
            [
                'POST',
                '/v1/scopes/Lead/Status/drift-fixes',
                (labelLanguage) => ({
                    values: [{ value: 'Any' }],
                    fixes: [{ value: 'Any', kind: 'new-value' }],
                    expectedVersion: state.version,
                    labelLanguage
                })
            ]
        ];
        for (const [method, path, body] of writes) {
            for (const labelLanguage of [...BAD_LANGUAGES, 7, null, ['de']]) {
                const options = {
                    headers: { 'Idempotency-Key': `bad-language-${Math.random().toString(36).slice(2)}` }
                };
                const response =
                    method === 'PUT'
                        ? await api.put<ProblemBody>(path, body(labelLanguage))
                        : await api.post<ProblemBody>(path, body(labelLanguage), options);
                const what = `${method} ${path} ${JSON.stringify(labelLanguage)}`;
                assert.equal(response.status, 422, `${what}: ${response.text}`);
                assert.equal(response.body.code, 'invalid-body', what);
                const error = response.body.errors?.find((each) => each.field === 'body.labelLanguage');
                assert.ok(error, `${what}: ${response.text}`);
                if (typeof labelLanguage === 'string') {
                    assert.equal(error.message, 'must be a language code such as en_US or de', what);
                }
            }
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('the service takes exactly the language codes the engine takes', async () => {
        const api = await env().newTeam('Same rule');
        for (const labelLanguage of [...GOOD_LANGUAGES, ...BAD_LANGUAGES]) {
            const engine = validatePlanInput({
                object: 'Lead',
                field: 'Status',
                values: [],
                stages: [],
                mappings: [{ value: 'Open', stageId: 'stg_1', label: 'Open', labelLanguage }]
            });
            const service = await api.autoMap('Lead', 'Status', {
                values: [{ value: 'Open' }],
                dryRun: true,
                labelLanguage
            });
            assert.equal(service.status === 200, engine.ok, `${JSON.stringify(labelLanguage)}: ${service.text}`);
            assert.equal(engine.ok, GOOD_LANGUAGES.includes(labelLanguage), JSON.stringify(labelLanguage));
        }
    });

    test('labelLanguage is part of the request an Idempotency-Key stands for', async () => {
        const api = await env().newTeam('Idempotent languages');
        const body = { values: [{ value: 'Open', label: 'Open' }], labelLanguage: 'en_US' };
        const first = await api.autoMap('Lead', 'Status', body, 'language-key');
        assert.equal(first.status, 200, first.text);
        const other = await api.autoMap('Lead', 'Status', { ...body, labelLanguage: 'de' }, 'language-key');
        assert.equal(other.status, 422, other.text);
        assert.equal((other.body as unknown as ProblemBody).code, 'idempotency-key-reused');
        const without = await api.autoMap('Lead', 'Status', { values: body.values }, 'language-key');
        assert.equal(without.status, 422, without.text);
        const replayed = await api.autoMap('Lead', 'Status', body, 'language-key');
        assert.equal(replayed.status, 200, replayed.text);
        assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(languagesOf(await api.scope('Lead', 'Status')), [['Open', 'Open', 'en_US']]);
    });
});

/** Runs the migrations before 003 on a fresh database and fills it as a service of schema 2 would have. */
async function databaseAtSchema2(database: TestDatabase): Promise<void> {
    const kind = database.kind;
    const statements = [
        "INSERT INTO teams (id, name, created_at) VALUES ('team_old', 'Old', '2025-01-01T00:00:00.000Z')",
        `INSERT INTO api_keys (key_hash, team_id, created_at, id) VALUES ('${'a'.repeat(64)}', 'team_old', '2025-01-01T00:00:00.000Z', 'key_old')`,
        "INSERT INTO family_versions (team_id, family, version) VALUES ('team_old', 'contact', 3), ('team_old', 'account', 0)",
        `INSERT INTO stages (id, team_id, family, name, key, display_order, category, created_at, created_by_id, created_by_name)
         VALUES ('stg_old', 'team_old', 'contact', 'Open', 'open', 0, NULL, '2025-01-01T00:00:00.000Z', '005', 'Ada')`,
        `INSERT INTO runs (id, team_id, object, field, family, actor_id, actor_name, created_at, summary_json, outcomes_json,
             created_stage_ids_json, created_mappings_json)
         VALUES ('run_old', 'team_old', 'Lead', 'Status', 'contact', '005', 'Ada', '2025-01-01T00:00:00.000Z',
             '{"total":1,"counts":{"already-mapped":0,"map-existing":0,"create-and-map":1,"skip-stage-taken":0,"skip-ambiguous":0,"skip-inactive":0}}',
             '[]', '["stg_old"]', '[{"value":"Open","stageId":"stg_old"}]')`,
        `INSERT INTO mappings (team_id, object, field, family, value, stage_id, source, run_id, created_at, created_by_id, created_by_name)
         VALUES ('team_old', 'Lead', 'Status', 'contact', 'Open', 'stg_old', 'auto', 'run_old', '2025-01-01T00:00:00.000Z', '005', 'Ada')`
    ];
    const before003 = loadMigrations(kind).filter((migration) => migration.version < 3);
    if (kind === 'sqlite') {
        const db = new Database(database.location);
        db.exec(
            'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'
        );
        for (const migration of before003) {
            db.exec(migration.sql);
            db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(migration.version, migration.name, 'then');
        }
        for (const statement of statements) {
            db.exec(statement);
        }
        db.close();
        return;
    }
    const client = new pg.Client({ connectionString: database.location });
    await client.connect();
    try {
        await client.query(
            'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)'
        );
        for (const migration of before003) {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations VALUES ($1, $2, now())', [
                migration.version,
                migration.name
            ]);
        }
        for (const statement of statements) {
            await client.query(statement);
        }
    } finally {
        await client.end();
    }
}

/** Runs one statement on the database directly (not through the store). */
async function rawExec(database: TestDatabase, sql: string): Promise<void> {
    if (database.kind === 'sqlite') {
        const db = new Database(database.location);
        try {
            db.exec(sql);
        } finally {
            db.close();
        }
        return;
    }
    const client = new pg.Client({ connectionString: database.location });
    await client.connect();
    try {
        await client.query(sql);
    } finally {
        await client.end();
    }
}

for (const kind of DB_KINDS) {
    describe(`data from before migration 003 [${kind}]`, () => {
        let database: TestDatabase;

        before(async () => {
            database = await freshDatabase(kind);
            await databaseAtSchema2(database);
        });

        after(async () => {
            await database.remove();
        });

        test('reads as mappings without labels (nor their languages) and auto-map runs; drift-era writes work on it', async () => {
            // The files this test replays are the ones the service applies.
            assert.ok(readFileSync(new URL(`../migrations/${kind}/003_labels_and_drift_fixes.sql`, import.meta.url)));
            const store = await database.open({ logger: silentLogger() });
            const service = await startService({ store, port: 0, logger: silentLogger() });
            try {
                const key = await store.createTeam('probe');
                // The old team's key hash is not one anybody holds: read the old team through the store itself.
                const state = await store.getScopeState('team_old', {
                    object: 'Lead',
                    field: 'Status',
                    family: 'contact'
                });
                assert.deepEqual(state.mappings, [
                    { value: 'Open', stageId: 'stg_old', source: 'auto', runId: 'run_old' }
                ]);
                assert.equal(state.version, 3);
                const lastRun = state.lastRun as unknown as RunSummaryBody & Record<string, unknown>;
                assert.equal(lastRun.id, 'run_old');
                assert.equal(lastRun.undoBlockerCount, 0);
                const list = await store.listScopes('team_old', 'Lead', { mappings: true });
                assert.deepEqual(list[0]?.mappings, [{ value: 'Open' }]);
                // A manual map with a label on the migrated schema: the column is there.
                const api = new ApiClient(service.url, key);
                const stage = await api.createStage('contact', 'New');
                const mapped = await api.put<ScopeBody>('/v1/scopes/Lead/Status/mappings', {
                    value: 'New',
                    stageId: stage.id,
                    label: 'Brand new',
                    labelLanguage: 'en_US'
                });
                assert.equal(mapped.status, 200, mapped.text);
                assert.deepEqual(languagesOf(mapped.body), [['New', 'Brand new', 'en_US']]);
                // The old run undoes as before.
                const undone = await store.undoRun('team_old', { id: '005', name: 'Ada' }, 'run_old');
                assert.ok(undone.run.undoneAt);
            } finally {
                await service.close();
                await store.close();
            }
            // The schema itself holds a language only with a label, and of a language code's length.
            await rawExec(
                database,
                `INSERT INTO stages (id, team_id, family, name, key, display_order, category, created_at, created_by_id, created_by_name)
                 VALUES ('stg_raw', 'team_old', 'contact', 'Raw', 'raw', 1, NULL, '2025-01-01T00:00:00.000Z', '005', 'Ada')`
            );
            const insert = (label: string | null, language: string): string =>
                `INSERT INTO mappings (team_id, object, field, family, value, stage_id, source, run_id, created_at, created_by_id, created_by_name, label, label_language)
                 VALUES ('team_old', 'Lead', 'Rating', 'contact', 'Hot', 'stg_raw', 'manual', NULL, '2025-01-01T00:00:00.000Z', '005', 'Ada', ${label === null ? 'NULL' : `'${label}'`}, '${language}')`;
            for (const [label, language] of [
                [null, 'de'],
                ['Hot', 'd'],
                ['Hot', 'x'.repeat(22)]
            ] as const) {
                await assert.rejects(rawExec(database, insert(label, language)), /check/i, `${label} ${language}`);
            }
            await rawExec(database, insert('Hot', LONGEST_LANGUAGE));
        });
    });
}
