/**
 * The caps keep the largest scope state small enough for the Salesforce package's Apex (service/src/limits.ts):
 * built through the service at every cap with the worst text (scripts/lib/governor-worst-case.ts), the scope state -
 * which `getScopeState`, `setMapping`, `removeMapping` and `createStageAndMap` hand to the page as it is - stays
 * under 5,000,000 bytes, leaving room under the 6 MB callout answer and heap for the rest of the transaction.
 * A size, not a speed: deterministic. The figures of every answer are in `npm run bench` (governor-bench).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
    MAX_MAPPINGS_PER_FAMILY,
    MAX_MAPPINGS_PER_SCOPE,
    MAX_STAGES_PER_FAMILY,
    MAX_UNDO_BLOCKERS_LISTED
} from '../src/limits.ts';
import { TEXT_KINDS, actorName, fillFamily, expectOk, serviceCaller } from '../../scripts/lib/governor-worst-case.ts';
import { assertResponseMatchesSpec, openEnv } from './helpers.ts';
import type { ScopeBody, TestEnv } from './helpers.ts';

/** What a scope state may weigh at most, in UTF-8 bytes. */
const STATE_BUDGET_BYTES = 5_000_000;
/**
 * What the built state cannot show: a stage's record count may have 10 digits, not 1, and its display order 7 (the
 * most `PATCH /v1/stages` sets), not 3. Counted on top for each stage.
 */
const DIGITS_ALLOWANCE_PER_STAGE = 9 + 4;

describe('governor caps: the largest scope state', () => {
    let env: TestEnv;

    before(async () => {
        env = await openEnv('sqlite');
    });

    after(async () => {
        await env.close();
    });

    for (const kind of TEXT_KINDS) {
        test(`at every cap, with ${kind} text, a scope state stays under 5,000,000 bytes`, async () => {
            const team = await env.store.createTeam(`governor ${kind}`);
            const call = serviceCaller(env.url, team.apiKey, { id: '005000000000001AAA', name: actorName(kind) });
            const family = await fillFamily(call, kind);

            for (const scope of [family.creator, family.bystander]) {
                const path = `/v1/scopes/${scope.object}/${scope.field}`;
                const text = await expectOk(call, 'GET', path);
                const state = JSON.parse(text) as ScopeBody;
                assertResponseMatchesSpec('GET', path, 200, 'application/json', state);
                assert.equal(state.stages.length, MAX_STAGES_PER_FAMILY, 'the family is at its stage cap');
                assert.equal(
                    state.mappings.length + state.otherMappings.length,
                    MAX_MAPPINGS_PER_FAMILY,
                    'the family is at its mapping cap'
                );
                const bytes = Buffer.byteLength(text, 'utf8') + DIGITS_ALLOWANCE_PER_STAGE * state.stages.length;
                assert.ok(
                    bytes < STATE_BUDGET_BYTES,
                    `${scope.object}.${scope.field} (${kind}): ${bytes.toLocaleString('en-US')} bytes`
                );
            }

            const creator = JSON.parse(
                await expectOk(call, 'GET', `/v1/scopes/${family.creator.object}/${family.creator.field}`)
            ) as ScopeBody;
            assert.equal(creator.mappings.length, MAX_MAPPINGS_PER_SCOPE, 'the creating scope is at its cap');
            const { lastRun } = creator;
            assert.ok(lastRun);
            assert.equal(lastRun.id, family.runId);
            // Every created stage is mapped elsewhere, three mappings were made again by hand: 1,003 reasons, 3 listed.
            assert.equal(lastRun.undoBlockerCount, MAX_STAGES_PER_FAMILY + 3);
            assert.equal(lastRun.undoBlockers.length, MAX_UNDO_BLOCKERS_LISTED);
        });
    }
});
