/**
 * Names, values, labels and actor names follow the engine's one rule for text, so the wizard, the service and the
 * CLI agree: control characters (C0, DEL, C1 with NEL) and bidi embeddings, overrides and isolates are refused;
 * invisible characters fold in the key, so "Cold\u200b" is the stage "Cold" and a name of only "\u200b" is blank;
 * a blank manual-map value is refused like a blank auto-map value. The document's pattern and the engine's
 * validation refuse exactly the same characters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateText } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { loadSpecDocument } from '../src/spec.ts';
import { describeEachDatabase, snapshot } from './helpers.ts';

interface Problem {
    status: number;
    code: string;
    detail: string;
    errors?: { field: string; message: string }[];
}

test("the document's text pattern refuses exactly the characters the engine's validation refuses", () => {
    const schemas = loadSpecDocument().components.schemas as Record<string, { pattern?: string }>;
    const source = schemas.Text?.pattern ?? '';
    assert.ok(source.length > 0);
    const pattern = new RegExp(source, 'u');
    const disagreements: string[] = [];
    for (let code = 0; code <= 0xffff; code += 1) {
        const text = `a${String.fromCharCode(code)}b`;
        if (pattern.test(text) !== validateText(text, 'text').ok) {
            disagreements.push(code.toString(16));
        }
    }
    assert.deepEqual(disagreements, []);
    assert.equal(pattern.test('a😀b'), true);
    assert.equal(validateText('a😀b', 'text').ok, true);
});

describeEachDatabase('text rules', (env) => {
    test('C1 controls (NEL included) and bidi formatting characters are refused in names, values, labels and actors', async () => {
        const { api, store } = env();
        const stage = await api.createStage('contact', 'Existing');
        const before = await snapshot(store, api.teamId);
        const key = { 'Idempotency-Key': `c1-${Math.random()}` };
        for (const character of ['\u0080', '\u0085', '\u009f', '\u202e', '\u2066']) {
            const cases: [string, string, unknown, Record<string, string>?][] = [
                ['POST', '/v1/stages', { family: 'contact', name: `Bad${character}Name` }],
                ['PATCH', `/v1/stages/${stage.id}`, { name: `Bad${character}Name` }],
                ['POST', '/v1/scopes/Lead/Status/auto-map', { values: [{ value: `V${character}` }] }, key],
                ['POST', '/v1/scopes/Lead/Status/auto-map', { values: [{ value: 'V', label: `L${character}` }] }, key],
                ['PUT', '/v1/scopes/Lead/Status/mappings', { value: `V${character}`, stageId: stage.id }]
            ];
            for (const [method, path, body, headers] of cases) {
                const response = await api.request<Problem>(method, path, { body, headers: headers ?? {} });
                assert.equal(response.status, 422, `${method} ${path} U+${character.charCodeAt(0).toString(16)}`);
                assert.match(response.body.detail, /control characters or bidirectional formatting characters/);
            }
            const actor = await api.request<Problem>('POST', '/v1/stages', {
                body: { family: 'contact', name: 'Actor Test' },
                actor: false,
                headers: {
                    'X-Actor-Id': '005',
                    'X-Actor-Name': `Eve${encodeURIComponent(character)}`
                }
            });
            assert.equal(actor.status, 400, actor.text);
            assert.equal(actor.body.code, 'invalid-actor');
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });

    test('invisible characters fold: "Cold\\u200b" is the stage "Cold", and a name of only them is blank', async () => {
        const { api, store } = env();
        const cold = await api.createStage('account', 'Cold');
        const before = await snapshot(store, api.teamId);
        for (const name of ['Cold\u200b', 'Co\u00adld', '\u200eCold', 'Cold\u2060', 'Cold\u3164']) {
            const response = await api.post<Problem & { existingStage: { id: string } }>('/v1/stages', {
                family: 'account',
                name
            });
            assert.equal(response.status, 409, `${JSON.stringify(name)}: ${response.text}`);
            assert.equal(response.body.code, 'duplicate-stage');
            assert.equal(response.body.existingStage.id, cold.id);
        }
        for (const name of ['\u200b', '\u200b\u200d\u2060', '\u3164', '\u2800', '\u00ad \u034f']) {
            const response = await api.post<Problem>('/v1/stages', { family: 'account', name });
            assert.equal(response.status, 422, `${JSON.stringify(name)}: ${response.text}`);
            assert.equal(response.body.code, 'invalid-name');
        }
        const blankValue = await api.autoMap('Account', 'Type', { values: [{ value: '\u200b' }] });
        assert.equal(blankValue.status, 422);
        assert.deepEqual(await snapshot(store, api.teamId), before);
        const planned = await api.autoMap('Account', 'Type', { values: [{ value: 'Cold\u200b' }], dryRun: true });
        assert.equal(planned.status, 200, planned.text);
        assert.deepEqual(
            planned.body.plan.outcomes.map((outcome) => [outcome.outcome, outcome.stageId]),
            [['map-existing', cold.id]]
        );
    });

    test('a blank manual-map value ("   ", or only invisible characters) is refused like a blank auto-map value', async () => {
        const { api, store } = env();
        const stage = await api.createStage('contact', 'Manual Target');
        const before = await snapshot(store, api.teamId);
        for (const value of ['   ', '\u3000', '\u200b', '\u2800 \u00ad']) {
            const manual = await api.put<Problem>('/v1/scopes/Lead/Status/mappings', { value, stageId: stage.id });
            assert.equal(manual.status, 422, `${JSON.stringify(value)}: ${manual.text}`);
            assert.equal(manual.body.code, 'invalid-values');
            assert.equal(manual.body.detail, 'body.value: must not be empty or blank');
            assert.deepEqual(manual.body.errors, [{ field: 'body.value', message: 'must not be empty or blank' }]);
            const auto = await api.autoMap('Lead', 'Status', { values: [{ value }] });
            assert.equal(auto.status, 422);
            assert.equal((auto.body as unknown as Problem).code, 'invalid-values');
        }
        assert.deepEqual(await snapshot(store, api.teamId), before);
    });
});
