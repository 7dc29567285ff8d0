/** Stages (list, create, rename, recategorise, reorder, delete with and without moving records) and records. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, snapshot } from './helpers.ts';
import type { ScopeBody, StageBody } from './helpers.ts';

interface ProblemBody {
    code: string;
    detail: string;
    existingStage?: { id: string; name: string };
    recordCount?: number;
}

describeEachDatabase('stages and records', (env) => {
    test("create appends to the family, trims the name, and bumps only that family's version", async () => {
        const { api } = env();
        const before = await api.scope('Lead', 'Status');
        const accountBefore = await api.scope('Account', 'Type');
        const first = await api.createStage('contact', '  Cold   Lead ', 'in_progress');
        const second = await api.createStage('contact', 'Replied');
        assert.equal(first.name, 'Cold Lead');
        assert.equal(first.category, 'in_progress');
        assert.equal(first.recordCount, 0);
        assert.equal(second.displayOrder, first.displayOrder + 1);
        assert.ok(Date.parse(first.createdAt) > 0);
        const after = await api.scope('Lead', 'Status');
        assert.equal(after.version, before.version + 2);
        assert.equal((await api.scope('Account', 'Type')).version, accountBefore.version);
        assert.deepEqual(
            after.stages.map((stage) => stage.name),
            ['Cold Lead', 'Replied']
        );
    });

    test('a name whose key exists in the family is a 409 naming the existing stage; other family is fine', async () => {
        const { api, store } = env();
        const interested = await api.createStage('contact', 'Interested');
        const before = await snapshot(store, api.teamId);
        for (const name of ['interested ', 'INTERESTED', '  Interested', 'Ｉｎｔｅｒｅｓｔｅｄ', 'interested\t']) {
            const response = await api.post<ProblemBody>('/v1/stages', { family: 'contact', name });
            if (name.includes('\t')) {
                // A tab is a control character: refused by the schema before any lookup.
                assert.equal(response.status, 422, name);
                continue;
            }
            assert.equal(response.status, 409, JSON.stringify(name));
            assert.equal(response.body.code, 'duplicate-stage');
            assert.deepEqual(response.body.existingStage, { id: interested.id, name: 'Interested' });
            assert.match(response.body.detail, /already exists/);
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
        const account = await api.createStage('account', 'Interested');
        assert.equal(account.family, 'account');
    });

    test("rename, recategorise and reorder; a rename onto another stage's key is a 409; a case change is fine", async () => {
        const { api } = env();
        const a = await api.createStage('account', 'Prospect');
        const b = await api.createStage('account', 'Customer');
        const clash = await api.patch<ProblemBody>(`/v1/stages/${b.id}`, { name: 'prospect' });
        assert.equal(clash.status, 409);
        assert.equal(clash.body.existingStage?.id, a.id);
        const version = (await api.scope('Account', 'Type')).version;
        const renamed = await api.patch<StageBody>(`/v1/stages/${a.id}`, {
            name: 'PROSPECT',
            category: 'in_progress',
            displayOrder: 99
        });
        assert.equal(renamed.status, 200);
        assert.deepEqual(
            [renamed.body.name, renamed.body.category, renamed.body.displayOrder],
            ['PROSPECT', 'in_progress', 99]
        );
        assert.equal((await api.scope('Account', 'Type')).version, version + 1);
        // No change: same answer, no version bump.
        const same = await api.patch<StageBody>(`/v1/stages/${a.id}`, { name: 'PROSPECT' });
        assert.equal(same.status, 200);
        assert.equal((await api.scope('Account', 'Type')).version, version + 1);
        const cleared = await api.patch<StageBody>(`/v1/stages/${a.id}`, { category: null });
        assert.equal(cleared.body.category, null);
        const stages = await api.stages('account');
        assert.equal(stages[stages.length - 1]?.id, a.id, 'ordered by displayOrder');
        assert.equal((await api.patch(`/v1/stages/stg_missing`, { name: 'X' })).status, 404);
        assert.equal((await api.patch(`/v1/stages/${a.id}`, {})).status, 422);
    });

    test('delete is refused while records are in the stage, and changes nothing', async () => {
        const { api, store } = env();
        const full = await api.createStage('contact', 'Full Stage');
        const records = Array.from({ length: 3 }, (_, index) => ({
            recordId: `full-${index}`,
            family: 'contact',
            stageId: full.id
        }));
        assert.equal((await api.put('/v1/records', { records })).status, 200);
        assert.equal(
            (await api.put('/v1/scopes/Contact/Status/mappings', { value: 'Full', stageId: full.id })).status,
            200
        );
        const before = await snapshot(store, api.teamId);
        const refused = await api.delete<ProblemBody>(`/v1/stages/${full.id}`);
        assert.equal(refused.status, 409);
        assert.equal(refused.body.code, 'stage-has-records');
        assert.equal(refused.body.recordCount, 3);
        assert.match(refused.body.detail, /3 records/);
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('delete with moveRecordsTo moves the records, removes every mapping to it, and deletes it in one go', async () => {
        const { api } = env();
        const old = await api.createStage('contact', 'Old Stage');
        const target = await api.createStage('contact', 'New Stage');
        await api.put('/v1/records', {
            records: [
                { recordId: 'm-1', family: 'contact', stageId: old.id },
                { recordId: 'm-2', family: 'contact', stageId: old.id },
                { recordId: 'm-3', family: 'contact', stageId: target.id }
            ]
        });
        assert.equal((await api.put('/v1/scopes/Lead/Status/mappings', { value: 'Old', stageId: old.id })).status, 200);
        assert.equal(
            (await api.put('/v1/scopes/Contact/Status/mappings', { value: 'Old One', stageId: old.id })).status,
            200
        );
        const version = (await api.scope('Lead', 'Status')).version;

        assert.equal((await api.delete(`/v1/stages/${old.id}?moveRecordsTo=${old.id}`)).status, 422);
        assert.equal((await api.delete(`/v1/stages/${old.id}?moveRecordsTo=stg_nowhere`)).status, 404);
        const accountStage = await api.createStage('account', 'Account Side');
        const crossFamily = await api.delete<ProblemBody>(`/v1/stages/${old.id}?moveRecordsTo=${accountStage.id}`);
        assert.equal(crossFamily.status, 422);
        assert.equal(crossFamily.body.code, 'family-mismatch');

        const deleted = await api.delete<{ deleted: StageBody; movedRecords: number; removedMappings: unknown[] }>(
            `/v1/stages/${old.id}?moveRecordsTo=${target.id}`
        );
        assert.equal(deleted.status, 200, deleted.text);
        assert.equal(deleted.body.deleted.id, old.id);
        assert.equal(deleted.body.movedRecords, 2);
        assert.deepEqual(deleted.body.removedMappings, [
            { object: 'Contact', field: 'Status', value: 'Old One' },
            { object: 'Lead', field: 'Status', value: 'Old' }
        ]);
        const state = await api.scope('Lead', 'Status');
        assert.equal(state.version, version + 1);
        assert.ok(!state.stages.some((stage) => stage.id === old.id));
        assert.ok(!state.mappings.some((mapping) => mapping.value === 'Old'));
        assert.equal(state.stages.find((stage) => stage.id === target.id)?.recordCount, 3);
        assert.equal((await api.delete(`/v1/stages/${old.id}`)).status, 404);
        // An empty stage deletes without moveRecordsTo.
        assert.equal((await api.delete(`/v1/stages/${accountStage.id}`)).status, 200);
    });

    test('records: upsert, list with stage filter and cursor pages, bulk move (all or listed)', async () => {
        const { api } = env();
        const from = await api.createStage('account', 'Source');
        const to = await api.createStage('account', 'Destination');
        const records = Array.from({ length: 25 }, (_, index) => ({
            recordId: `acc-${String(index).padStart(3, '0')}`,
            family: 'account',
            stageId: from.id
        }));
        const put = await api.put<{ upserted: number }>('/v1/records', { records });
        assert.deepEqual(put.body, { upserted: 25 });
        // Upsert moves an existing record.
        await api.put('/v1/records', { records: [{ recordId: 'acc-000', family: 'account', stageId: to.id }] });
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
            const page: { status: number; body: { records: { recordId: string }[]; nextCursor: string | null } } =
                await api.get(
                    `/v1/records?stageId=${from.id}&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
                );
            assert.equal(page.status, 200);
            seen.push(...page.body.records.map((record) => record.recordId));
            cursor = page.body.nextCursor;
        } while (cursor);
        assert.equal(seen.length, 24);
        assert.deepEqual(seen, [...seen].sort());
        assert.ok(!seen.includes('acc-000'));
        assert.equal((await api.get('/v1/records?cursor=not-a-cursor')).status, 422);
        assert.equal((await api.get('/v1/records?limit=0')).status, 422);
        assert.equal((await api.get('/v1/records?limit=abc')).status, 422);

        const listed = await api.post<{ moved: number }>('/v1/records/move', {
            fromStageId: from.id,
            toStageId: to.id,
            recordIds: ['acc-001', 'acc-002', 'acc-000', 'not-there']
        });
        assert.deepEqual(listed.body, { moved: 2 });
        const all = await api.post<{ moved: number }>('/v1/records/move', { fromStageId: from.id, toStageId: to.id });
        assert.deepEqual(all.body, { moved: 22 });
        const counts = Object.fromEntries(
            (await api.stages('account')).map((stage) => [stage.name, stage.recordCount])
        );
        assert.equal(counts.Source, 0);
        assert.equal(counts.Destination, 25);
    });

    test('records: family mismatch, unknown stage, duplicate record, same-stage move are 4xx and change nothing', async () => {
        const { api, store } = env();
        const contact = await api.createStage('contact', 'Contact Only');
        const account = await api.createStage('account', 'Account Only');
        const before = await snapshot(store, api.teamId);
        const mismatch = await api.put<ProblemBody>('/v1/records', {
            records: [
                { recordId: 'ok-1', family: 'contact', stageId: contact.id },
                { recordId: 'bad-1', family: 'contact', stageId: account.id }
            ]
        });
        assert.equal(mismatch.status, 422);
        assert.equal(mismatch.body.code, 'family-mismatch');
        assert.match(mismatch.body.detail, /body\.records\[1\]/);
        const unknown = await api.put('/v1/records', {
            records: [{ recordId: 'x', family: 'contact', stageId: 'stg_nope' }]
        });
        assert.equal(unknown.status, 404);
        const duplicate = await api.put<ProblemBody>('/v1/records', {
            records: [
                { recordId: 'd', family: 'contact', stageId: contact.id },
                { recordId: 'd', family: 'contact', stageId: contact.id }
            ]
        });
        assert.equal(duplicate.status, 422);
        assert.equal(duplicate.body.code, 'duplicate-record');
        assert.equal(
            (await api.post('/v1/records/move', { fromStageId: contact.id, toStageId: contact.id })).status,
            422
        );
        assert.equal(
            (await api.post('/v1/records/move', { fromStageId: contact.id, toStageId: account.id })).status,
            422
        );
        assert.equal(
            (await api.post('/v1/records/move', { fromStageId: 'stg_nope', toStageId: account.id })).status,
            404
        );
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('list stages of one family or all; unknown family is a 422', async () => {
        const { api } = env();
        const all = await api.get<{ stages: StageBody[] }>('/v1/stages');
        const families = new Set(all.body.stages.map((stage) => stage.family));
        assert.deepEqual([...families].sort(), ['account', 'contact']);
        const bad = await api.get<ProblemBody>('/v1/stages?family=opportunity');
        assert.equal(bad.status, 422);
        assert.match(bad.body.detail, /query\.family/);
        assert.equal((await api.get('/v1/stages?famly=contact')).status, 422);
        const state: ScopeBody = await api.scope('Contact', 'Status');
        assert.ok(state.stages.every((stage) => stage.family === 'contact'));
        const orders = state.stages.map((stage) => stage.displayOrder);
        assert.deepEqual(
            orders,
            [...orders].sort((x, y) => x - y)
        );
    });
});
