/**
 * Manual mappings (map, replace, unmap) with the 1:1 rule, and the database constraints that enforce the rules on
 * their own: a direct INSERT that breaks 1:1, duplicates a stage key or crosses families fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tx } from '../src/store/db.ts';
import { ACTOR, describeEachDatabase, mappingActors, snapshot } from './helpers.ts';
import type { ScopeBody } from './helpers.ts';

interface ProblemBody {
    code: string;
    detail: string;
    heldBy?: string;
    version?: number;
}

describeEachDatabase('mappings', (env) => {
    test("map by hand, replace the value's own mapping, unmap; each bumps the version once", async () => {
        const { api, store } = env();
        const cold = await api.createStage('contact', 'Cold');
        const warm = await api.createStage('contact', 'Warm');
        const start = (await api.scope('Lead', 'Status')).version;
        const mapped = await api.put<ScopeBody>('/v1/scopes/Lead/Status/mappings', { value: 'Open', stageId: cold.id });
        assert.equal(mapped.status, 200);
        assert.equal(mapped.body.version, start + 1);
        // A scope state lists what a page needs; who made the mapping is stored, not listed.
        assert.deepEqual(mapped.body.mappings, [{ value: 'Open', stageId: cold.id, source: 'manual', runId: null }]);
        assert.deepEqual(await mappingActors(store, api.teamId, 'Lead', 'Status'), { Open: ACTOR });
        // Same mapping again: nothing changes.
        const again = await api.put<ScopeBody>('/v1/scopes/Lead/Status/mappings', { value: 'Open', stageId: cold.id });
        assert.equal(again.body.version, start + 1);
        // Replacing the value's own mapping.
        const replaced = await api.put<ScopeBody>('/v1/scopes/Lead/Status/mappings', {
            value: 'Open',
            stageId: warm.id,
            expectedVersion: start + 1
        });
        assert.equal(replaced.status, 200);
        assert.deepEqual(
            replaced.body.mappings.map((mapping) => mapping.stageId),
            [warm.id]
        );
        // Unmap.
        const removed = await api.delete<ScopeBody>('/v1/scopes/Lead/Status/mappings/Open');
        assert.equal(removed.status, 200);
        assert.deepEqual(removed.body.mappings, []);
        assert.equal(removed.body.version, start + 3);
        const missing = await api.delete<ProblemBody>('/v1/scopes/Lead/Status/mappings/Open');
        assert.equal(missing.status, 404);
        assert.equal(missing.body.code, 'mapping-not-found');
    });

    test('a stage held by another value is a 409 stage-taken naming the holder; another scope may map it', async () => {
        const { api, store } = env();
        const stage = await api.createStage('contact', 'Taken');
        await api.put('/v1/scopes/Contact/Rating__c/mappings', { value: 'Hot', stageId: stage.id });
        const before = await snapshot(store, api.teamId);
        const taken = await api.put<ProblemBody>('/v1/scopes/Contact/Rating__c/mappings', {
            value: 'Warm',
            stageId: stage.id
        });
        assert.equal(taken.status, 409);
        assert.equal(taken.body.code, 'stage-taken');
        assert.equal(taken.body.heldBy, 'Hot');
        assert.match(taken.body.detail, /"Hot"/);
        assert.deepEqual(await snapshot(store, api.teamId), before);
        // Lead.Rating__c is another scope of the same family: fine.
        const other = await api.put<ScopeBody>('/v1/scopes/Lead/Rating__c/mappings', {
            value: 'Warm',
            stageId: stage.id
        });
        assert.equal(other.status, 200);
    });

    test('unknown stage 404, other family 422, stale expectedVersion 409; none changes anything', async () => {
        const { api, store } = env();
        const account = await api.createStage('account', 'An Account Stage');
        const contact = await api.createStage('contact', 'A Contact Stage');
        const before = await snapshot(store, api.teamId);
        const unknown = await api.put<ProblemBody>('/v1/scopes/Lead/Status/mappings', {
            value: 'V',
            stageId: 'stg_unknown'
        });
        assert.equal(unknown.status, 404);
        assert.equal(unknown.body.code, 'stage-not-found');
        const family = await api.put<ProblemBody>('/v1/scopes/Lead/Status/mappings', {
            value: 'V',
            stageId: account.id
        });
        assert.equal(family.status, 422);
        assert.equal(family.body.code, 'family-mismatch');
        const version = (await api.scope('Lead', 'Status')).version;
        const stale = await api.put<ProblemBody>('/v1/scopes/Lead/Status/mappings', {
            value: 'V',
            stageId: contact.id,
            expectedVersion: version - 1
        });
        assert.equal(stale.status, 409);
        assert.equal(stale.body.code, 'state-changed');
        assert.equal(stale.body.version, version);
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('stageName creates the stage and maps the value in one change; the version moves once', async () => {
        const { api } = env();
        const cold = await api.createStage('contact', 'Lukewarm');
        await api.put('/v1/scopes/Lead/NewStage__c/mappings', { value: 'Working', stageId: cold.id });
        const start = (await api.scope('Lead', 'NewStage__c')).version;
        const created = await api.put<ScopeBody>('/v1/scopes/Lead/NewStage__c/mappings', {
            value: 'Working',
            stageName: '  Working   Hard ',
            expectedVersion: start
        });
        assert.equal(created.status, 200, created.text);
        assert.equal(created.body.version, start + 1);
        const stage = created.body.stages.find((candidate) => candidate.name === 'Working Hard');
        assert.ok(stage, 'the stage is created, its name trimmed and collapsed');
        assert.equal(
            stage.displayOrder,
            Math.max(...created.body.stages.map((candidate) => candidate.displayOrder)),
            'at the end of the family'
        );
        assert.deepEqual(
            created.body.mappings.map((mapping) => [mapping.value, mapping.stageId, mapping.source]),
            [['Working', stage.id, 'manual']],
            "the value's own mapping is replaced"
        );
    });

    test('stageName whose key a stage has is a 409 duplicate-stage naming it; nothing is created or mapped', async () => {
        const { api, store } = env();
        const open = await api.createStage('contact', 'Reopened');
        const before = await snapshot(store, api.teamId);
        const refused = await api.put<ProblemBody & { existingStage?: { id: string; name: string } }>(
            '/v1/scopes/Lead/NewStage__c/mappings',
            { value: 'New', stageName: ' REOPENED ' }
        );
        assert.equal(refused.status, 409);
        assert.equal(refused.body.code, 'duplicate-stage');
        assert.deepEqual(refused.body.existingStage, { id: open.id, name: 'Reopened' });
        assert.match(refused.body.detail, /"Reopened"/);
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('exactly one of stageId and stageName; a blank stageName is refused', async () => {
        const { api, store } = env();
        const open = await api.createStage('contact', 'Either Or');
        const before = await snapshot(store, api.teamId);
        for (const body of [
            { value: 'New' },
            { value: 'New', stageId: open.id, stageName: 'Other' },
            { value: 'New', stageName: '' },
            { value: 'New', stageName: '   ' }
        ]) {
            const refused = await api.put<ProblemBody>('/v1/scopes/Lead/NewStage__c/mappings', body);
            assert.equal(refused.status, 422, JSON.stringify(body));
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test("the scope state lists the family's mappings in other scopes, never another family's", async () => {
        const { api } = env();
        const interested = await api.createStage('contact', 'Other Scope Stage');
        const customer = await api.createStage('account', 'Other Scope Customer');
        await api.put('/v1/scopes/Contact/Others_A__c/mappings', { value: 'Keen', stageId: interested.id });
        await api.put('/v1/scopes/Lead/Others_B__c/mappings', { value: 'Hot', stageId: interested.id });
        await api.put('/v1/scopes/Account/Others_C__c/mappings', { value: 'Customer', stageId: customer.id });
        await api.put('/v1/scopes/Lead/Others_D__c/mappings', { value: 'Interested', stageId: interested.id });
        const state = await api.scope('Lead', 'Others_D__c');
        // Other tests of this suite map contact stages too: look at this test's stage, and at the whole list's shape.
        assert.deepEqual(
            state.otherMappings.filter((mapping) => mapping.stageId === interested.id),
            [
                { object: 'Contact', field: 'Others_A__c', value: 'Keen', stageId: interested.id },
                { object: 'Lead', field: 'Others_B__c', value: 'Hot', stageId: interested.id }
            ]
        );
        assert.ok(
            state.otherMappings.every((mapping) => mapping.object !== 'Account'),
            'no account mapping'
        );
        assert.ok(
            state.otherMappings.every((mapping) => !(mapping.object === 'Lead' && mapping.field === 'Others_D__c')),
            'not the scope itself'
        );
        const sorted = [...state.otherMappings].sort((a, b) =>
            `${a.object}.${a.field}.${a.value}` < `${b.object}.${b.field}.${b.value}` ? -1 : 1
        );
        assert.deepEqual(state.otherMappings, sorted, 'by object, field and value');
        const accounts = (await api.scope('Account', 'Others_E__c')).otherMappings;
        assert.deepEqual(
            accounts.filter((mapping) => mapping.stageId === customer.id),
            [{ object: 'Account', field: 'Others_C__c', value: 'Customer', stageId: customer.id }]
        );
        assert.ok(
            accounts.every((mapping) => mapping.object === 'Account'),
            'only account mappings'
        );
    });

    test('values with slashes, percent signs, spaces and accents travel URL-encoded', async () => {
        const { api } = env();
        const stage = await api.createStage('account', 'Odd Values');
        const stage2 = await api.createStage('account', 'Odd Values 2');
        const odd = 'Closed/Won 100% – Ünïcode ✓';
        const mapped = await api.put<ScopeBody>('/v1/scopes/Account/Type/mappings', { value: odd, stageId: stage.id });
        assert.equal(mapped.status, 200);
        assert.equal(mapped.body.mappings[0]?.value, odd);
        await api.put('/v1/scopes/Account/Type/mappings', { value: 'plain', stageId: stage2.id });
        const removed = await api.delete<ScopeBody>(`/v1/scopes/Account/Type/mappings/${encodeURIComponent(odd)}`);
        assert.equal(removed.status, 200, removed.text);
        assert.deepEqual(
            removed.body.mappings.map((mapping) => mapping.value),
            ['plain']
        );
        assert.equal((await api.delete('/v1/scopes/Account/Type/mappings/%E0%A4%A')).status, 400);
    });

    test('unsupported objects and invalid field names are 404 with a clear detail', async () => {
        const { api } = env();
        const object = await api.get<ProblemBody>('/v1/scopes/Opportunity/StageName');
        assert.equal(object.status, 404);
        assert.equal(object.body.code, 'unsupported-object');
        assert.match(object.body.detail, /Contact, Lead and Account/);
        const lower = await api.get<ProblemBody>('/v1/scopes/lead/Status');
        assert.equal(lower.status, 404);
        const field = await api.get<ProblemBody>('/v1/scopes/Lead/1Status');
        assert.equal(field.status, 404);
        assert.equal(field.body.code, 'invalid-path-parameter');
        assert.match(field.body.detail, /field API name/);
        assert.equal((await api.get(`/v1/scopes/Lead/${'A'.repeat(81)}`)).status, 404);
        assert.equal((await api.get('/v1/scopes/Lead/Custom_Field__c')).status, 200);
    });

    test('the database itself refuses a second mapping of a value, a second value of a stage, a duplicate key, a cross-family row', async () => {
        const { api, store } = env();
        const one = await api.createStage('contact', 'Constraint One');
        const two = await api.createStage('contact', 'Constraint Two');
        const accountStage = await api.createStage('account', 'Constraint Account');
        await api.put('/v1/scopes/Lead/Constraint__c/mappings', { value: 'A', stageId: one.id });
        const now = new Date().toISOString();
        const insertMapping = (
            tx: Tx,
            object: string,
            family: string,
            value: string,
            stageId: string
        ): Promise<number> =>
            tx.run(
                `INSERT INTO mappings (team_id, object, field, family, value, stage_id, source, run_id, created_at, created_by_id, created_by_name)
                 VALUES (?, ?, 'Constraint__c', ?, ?, ?, 'manual', NULL, ?, 'x', 'x')`,
                [api.teamId, object, family, value, stageId, now]
            );
        const attempts: [string, (tx: Tx) => Promise<unknown>][] = [
            ['same value twice in a scope', (tx) => insertMapping(tx, 'Lead', 'contact', 'A', two.id)],
            ['same stage twice in a scope', (tx) => insertMapping(tx, 'Lead', 'contact', 'B', one.id)],
            [
                'a contact scope mapped to an account stage',
                (tx) => insertMapping(tx, 'Lead', 'contact', 'C', accountStage.id)
            ],
            [
                'a Lead row claiming the account family',
                (tx) => insertMapping(tx, 'Lead', 'account', 'D', accountStage.id)
            ],
            ['a mapping to a missing stage', (tx) => insertMapping(tx, 'Lead', 'contact', 'E', 'stg_missing')],
            [
                'a duplicate stage key in a family',
                (tx) =>
                    tx.run(
                        `INSERT INTO stages (id, team_id, family, name, key, display_order, category, created_at, created_by_id, created_by_name)
                         VALUES ('stg_dup', ?, 'contact', 'CONSTRAINT ONE', 'constraint one', 50, NULL, ?, 'x', 'x')`,
                        [api.teamId, now]
                    )
            ],
            [
                'a record in a stage of the other family',
                (tx) =>
                    tx.run(
                        `INSERT INTO records (team_id, family, record_id, stage_id, updated_at) VALUES (?, 'contact', 'r', ?, ?)`,
                        [api.teamId, accountStage.id, now]
                    )
            ],
            [
                'an auto mapping without its run',
                (tx) =>
                    tx.run(
                        `INSERT INTO mappings (team_id, object, field, family, value, stage_id, source, run_id, created_at, created_by_id, created_by_name)
                         VALUES (?, 'Lead', 'Constraint__c', 'contact', 'F', ?, 'auto', NULL, ?, 'x', 'x')`,
                        [api.teamId, two.id, now]
                    )
            ]
        ];
        const before = await snapshot(store, api.teamId);
        for (const [what, attempt] of attempts) {
            await assert.rejects(
                store.db.transaction('write', attempt),
                (error: Error & { code?: string }) => {
                    assert.ok(
                        error.code?.startsWith('SQLITE_CONSTRAINT') ||
                            ['23505', '23503', '23514'].includes(error.code ?? ''),
                        `${what}: ${error.code ?? ''} ${error.message}`
                    );
                    return true;
                },
                what
            );
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });
});
