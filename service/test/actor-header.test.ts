/**
 * The actor header is text, never a formula. The Apex percent-encodes `{` and `}` in `X-Actor-Name` so that a user
 * named `{!$Credential.Stage_Service.ApiKey}` cannot make Salesforce evaluate a credential formula into the header;
 * the service must decode the escapes back to that exact text, store it, and show it in run history as written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, mappingActors } from './helpers.ts';
import type { AutoMapResponseBody, RunSummaryBody, ScopeBody } from './helpers.ts';

const FORMULA_NAME = '{!$Credential.Stage_Service.ApiKey}';
/** What `StageServiceClient.headerSafe(FORMULA_NAME)` sends. */
const ENCODED_NAME = '%7B!$Credential.Stage_Service.ApiKey%7D';

describeEachDatabase('actor header', (env) => {
    test('a name shaped like a credential formula is decoded to that literal text, stored and shown', async () => {
        const { api, store } = env();
        const actor = { 'X-Actor-Id': '005000000000042AAA', 'X-Actor-Name': ENCODED_NAME };
        const applied = await api.post<AutoMapResponseBody>(
            '/v1/scopes/Lead/Formula__c/auto-map',
            { values: [{ value: 'Formula Value' }] },
            { actor: false, headers: { ...actor, 'Idempotency-Key': 'formula-actor-key' } }
        );
        assert.equal(applied.status, 200, applied.text);
        const runId = applied.body.run?.id ?? '';
        assert.equal(applied.body.run?.actor.name, FORMULA_NAME);

        // Stored as the literal text: not the escapes, not anything a formula would have produced.
        const row = await store.db.transaction('read', (tx) =>
            tx.get<{ actor_name: string }>('SELECT actor_name FROM runs WHERE team_id = ? AND id = ?', [
                api.teamId,
                runId
            ])
        );
        assert.equal(row?.actor_name, FORMULA_NAME);

        // Shown as that text to every reader of the history and the run itself, and stored with the mapping it made.
        const history = await api.get<{ runs: RunSummaryBody[] }>('/v1/runs?object=Lead&field=Formula__c');
        assert.deepEqual(
            history.body.runs.map((run) => run.actor),
            [{ id: '005000000000042AAA', name: FORMULA_NAME }]
        );
        const run = await api.get<RunSummaryBody>(`/v1/runs/${runId}`);
        assert.equal(run.body.actor.name, FORMULA_NAME);
        const scope = await api.get<ScopeBody>('/v1/scopes/Lead/Formula__c');
        assert.deepEqual(
            scope.body.mappings.map((mapping) => mapping.runId),
            [runId]
        );
        assert.deepEqual(await mappingActors(store, api.teamId, 'Lead', 'Formula__c'), {
            'Formula Value': { id: '005000000000042AAA', name: FORMULA_NAME }
        });
    });
});
