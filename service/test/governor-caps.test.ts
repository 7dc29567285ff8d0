/**
 * The caps keep the largest answers the Salesforce package's Apex reads small enough for it (service/src/limits.ts):
 * built through the service at every cap with the worst text (255 characters of three or four UTF-8 bytes, field
 * names of 80), each stays under 5,000,000 bytes, leaving room under the 6 MB callout answer and heap for the rest of
 * the transaction:
 * - the scope state (`getScopeState`, `setMapping`, `removeMapping` and `createStageAndMap` hand it to the page as it
 *   is): the family's 1,000 stages, a scope's 1,000 mappings with their recorded labels and the labels' languages
 *   (the longest code the pattern allows, 21 characters), the family's other mappings;
 * - the scope list with `include=mappings` (`getMappedFields`): every mapping of the object with its label and
 *   language, worst when each one is a field of its own (each then also carries its field's summary and last run
 *   time).
 * A size, not a speed: deterministic. The test prints the figures; `npm run bench` (governor-bench) prints more.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
    MAX_MAPPINGS_PER_FAMILY,
    MAX_MAPPINGS_PER_SCOPE,
    MAX_STAGES_PER_FAMILY,
    MAX_UNDO_BLOCKERS_LISTED,
    MAX_VALUES
} from '../src/limits.ts';
import {
    TEXT_KINDS,
    actorName,
    expectOk,
    longField,
    serviceCaller,
    text
} from '../../scripts/lib/governor-worst-case.ts';
import type { Call, TextKind } from '../../scripts/lib/governor-worst-case.ts';
import { LONGEST_LANGUAGE, assertResponseMatchesSpec, openEnv } from './helpers.ts';
import type { ScopeBody, TestEnv } from './helpers.ts';

/** What an answer the Apex reads may weigh at most, in UTF-8 bytes. */
const BUDGET_BYTES = 5_000_000;
/**
 * What the built state cannot show: a stage's record count may have 10 digits, not 1, and its display order 7 (the
 * most `PATCH /v1/stages` sets), not 3. Counted on top for each stage.
 */
const DIGITS_ALLOWANCE_PER_STAGE = 9 + 4;
/** The same for a scope of the list: its mapping count may have 4 digits, not 1. */
const DIGITS_ALLOWANCE_PER_SCOPE = 3;

interface ScopeListBody {
    scopes: {
        field: string;
        mappingCount: number;
        lastRunAt: string | null;
        mappings?: { label?: string; labelLanguage?: string }[];
    }[];
}

/**
 * Fills the caller's `contact` family to every cap: 1,000 stages named by labels of 255 characters (each with the
 * longest category), 1,000 mappings with labels in the creating scope, the rest of the family's mappings in other
 * scopes (values of 255 characters), and three of the run's mappings made again by hand (with labels) so its undo
 * blockers name values, stages and the actor. Every label is recorded with the longest language code.
 */
async function fillFamily(call: Call, kind: TextKind): Promise<{ creator: string; bystander: string; runId: string }> {
    const values = Array.from({ length: MAX_VALUES }, (_, index) => text(kind, 1_000_000 + index));
    const labels = Array.from({ length: MAX_VALUES }, (_, index) => text(kind, 2_000_000 + index));
    assert.equal(new Set([...values, ...labels]).size, 2 * MAX_VALUES, 'the values and labels are all distinct');
    const creator = `/v1/scopes/Contact/${longField(1)}`;
    const applied = JSON.parse(
        await expectOk(call, 'POST', `${creator}/auto-map`, {
            values: values.map((value, index) => ({ value, label: labels[index] })),
            labelLanguage: LONGEST_LANGUAGE
        })
    ) as { run: { id: string }; createdStages: { id: string }[] };
    assert.equal(applied.createdStages.length, MAX_STAGES_PER_FAMILY);
    for (const stage of applied.createdStages) {
        await expectOk(call, 'PATCH', `/v1/stages/${stage.id}`, { category: 'in_progress' });
    }
    // The other scopes map the same stages: their values are the stage names (API-name matches).
    let rest = MAX_MAPPINGS_PER_FAMILY - MAX_MAPPINGS_PER_SCOPE;
    for (let scope = 0; rest > 0; scope += 1) {
        const count = Math.min(rest, MAX_VALUES);
        await expectOk(call, 'POST', `/v1/scopes/Contact/${longField(2 + scope)}/auto-map`, {
            values: labels.slice(0, count).map((label, index) => ({
                value: label,
                label: text(kind, 3_000_000 + scope * 10_000 + index)
            })),
            answer: 'summary',
            labelLanguage: LONGEST_LANGUAGE
        });
        rest -= count;
    }
    const state = JSON.parse(await expectOk(call, 'GET', creator)) as ScopeBody;
    for (const mapping of state.mappings.slice(0, 3)) {
        await expectOk(call, 'DELETE', `${creator}/mappings/${encodeURIComponent(mapping.value)}`);
        await expectOk(call, 'PUT', `${creator}/mappings`, {
            value: mapping.value,
            stageId: mapping.stageId,
            label: mapping.label,
            labelLanguage: LONGEST_LANGUAGE
        });
    }
    return { creator, bystander: `/v1/scopes/Lead/${longField(9)}`, runId: applied.run.id };
}

function figure(count: number): string {
    return count.toLocaleString('en-US');
}

describe('governor caps: the largest answers the Apex reads', () => {
    let env: TestEnv;

    before(async () => {
        env = await openEnv('sqlite');
    });

    after(async () => {
        await env.close();
    });

    for (const kind of TEXT_KINDS) {
        test(`at every cap, with ${kind} text, a scope state stays under 5,000,000 bytes`, async (t) => {
            const team = await env.store.createTeam(`governor ${kind}`);
            const call = serviceCaller(env.url, team.apiKey, { id: '005000000000001AAA', name: actorName(kind) });
            const family = await fillFamily(call, kind);

            for (const path of [family.creator, family.bystander]) {
                const body = await expectOk(call, 'GET', path);
                const state = JSON.parse(body) as ScopeBody;
                assertResponseMatchesSpec('GET', path, 200, 'application/json', state);
                assert.equal(state.stages.length, MAX_STAGES_PER_FAMILY, 'the family is at its stage cap');
                assert.equal(
                    state.mappings.length + state.otherMappings.length,
                    MAX_MAPPINGS_PER_FAMILY,
                    'the family is at its mapping cap'
                );
                const bytes = Buffer.byteLength(body, 'utf8') + DIGITS_ALLOWANCE_PER_STAGE * state.stages.length;
                t.diagnostic(`${path.slice(0, 30)}... (${kind}): ${figure(bytes)} bytes`);
                assert.ok(bytes < BUDGET_BYTES, `${path} (${kind}): ${figure(bytes)} bytes`);
            }

            const creator = JSON.parse(await expectOk(call, 'GET', family.creator)) as ScopeBody;
            assert.equal(creator.mappings.length, MAX_MAPPINGS_PER_SCOPE, 'the creating scope is at its cap');
            assert.ok(
                creator.mappings.every(
                    (mapping) =>
                        Array.from(mapping.label ?? '').length === 255 && mapping.labelLanguage === LONGEST_LANGUAGE
                ),
                'every mapping lists its label of 255 characters and its language of 21'
            );
            const { lastRun } = creator;
            assert.ok(lastRun);
            assert.equal(lastRun.id, family.runId);
            // Every created stage is mapped elsewhere (some of them), three mappings were made again by hand.
            const mappedElsewhere = Math.min(MAX_STAGES_PER_FAMILY, MAX_MAPPINGS_PER_FAMILY - MAX_MAPPINGS_PER_SCOPE);
            assert.equal(lastRun.undoBlockerCount, mappedElsewhere + 3);
            assert.equal(lastRun.undoBlockers.length, MAX_UNDO_BLOCKERS_LISTED);
        });

        test(`at the family's mapping cap, one mapping per field, with ${kind} text, the scope list with mappings stays under 5,000,000 bytes`, async (t) => {
            const team = await env.store.createTeam(`governor list ${kind}`);
            const call = serviceCaller(env.url, team.apiKey, { id: '005000000000001AAA', name: actorName(kind) });
            const name = text(kind, 40_000_000);
            await expectOk(call, 'POST', '/v1/stages', { family: 'contact', name });
            // An auto-map of one value named like the stage maps it, records the label and gives the field a last run.
            for (let field = 0; field < MAX_MAPPINGS_PER_FAMILY; field += 1) {
                await expectOk(call, 'POST', `/v1/scopes/Contact/${longField(100 + field)}/auto-map`, {
                    values: [{ value: name, label: text(kind, 50_000_000 + field) }],
                    answer: 'summary',
                    labelLanguage: LONGEST_LANGUAGE
                });
            }
            const path = '/v1/scopes?object=Contact&include=mappings';
            const body = await expectOk(call, 'GET', path);
            const list = JSON.parse(body) as ScopeListBody;
            assertResponseMatchesSpec('GET', path, 200, 'application/json', list);
            assert.equal(list.scopes.length, MAX_MAPPINGS_PER_FAMILY);
            assert.ok(
                list.scopes.every(
                    (scope) =>
                        scope.lastRunAt !== null &&
                        scope.mappings?.[0]?.label &&
                        scope.mappings[0].labelLanguage === LONGEST_LANGUAGE
                )
            );
            const bytes = Buffer.byteLength(body, 'utf8') + DIGITS_ALLOWANCE_PER_SCOPE * list.scopes.length;
            t.diagnostic(`scope list with mappings (${kind}): ${figure(bytes)} bytes`);
            assert.ok(bytes < BUDGET_BYTES, `scope list (${kind}): ${figure(bytes)} bytes`);
            // Without include, the list stays small.
            const plain = await expectOk(call, 'GET', '/v1/scopes?object=Contact');
            assert.ok(Buffer.byteLength(plain, 'utf8') < BUDGET_BYTES / 5);
        });
    }
});
