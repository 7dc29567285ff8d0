/**
 * Fuzz: fast-check generates bad bodies (random JSON, random bytes, valid bodies with one field broken), bad
 * headers (content types, actors, idempotency keys, keys) and bad paths and queries, for every endpoint of the
 * document. Whatever comes, the answer is never a 5xx, every error is problem+json, and every response matches
 * the document (the client validates each one).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadSpec } from '../src/spec.ts';
import { describeEachDatabase } from './helpers.ts';
import type { ApiClient, RequestOptions } from './helpers.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

interface Known {
    stageId: string;
    otherStageId: string;
    runId: string;
}

/** A valid body per operation: the starting point of the one-field mutations. */
function validBody(operationId: string, known: Known): Record<string, unknown> | undefined {
    switch (operationId) {
        case 'createStage':
            return { family: 'contact', name: 'Fuzz Stage', category: 'in_progress' };
        case 'updateStage':
            return { name: 'Fuzz Renamed', category: null, displayOrder: 3 };
        case 'upsertRecords':
            return { records: [{ recordId: 'fuzz-1', family: 'contact', stageId: known.stageId }] };
        case 'moveRecords':
            return { fromStageId: known.stageId, toStageId: known.otherStageId, recordIds: ['fuzz-1'] };
        case 'setMapping':
            return { value: 'Fuzz Value', stageId: known.stageId, expectedVersion: 1 };
        case 'autoMap':
            return {
                values: [{ value: 'Fuzz A', label: 'A', active: true }, { value: 'Fuzz B' }],
                expectedVersion: 0,
                dryRun: true
            };
        case 'applyDriftFixes':
            return {
                values: [{ value: 'Fuzz A', label: 'A', active: true }, { value: 'Fuzz B' }],
                fixes: [{ value: 'Fuzz A', kind: 'new-value' }],
                expectedVersion: 0,
                answer: 'summary'
            };
        default:
            return undefined;
    }
}

const printable = (max: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

/** Path parameter values: plausible, random Unicode, broken percent-encoding, path tricks. */
function pathValue(known: Known): fc.Arbitrary<string> {
    return fc.oneof(
        fc.constantFrom(known.stageId, known.runId, 'Lead', 'Contact', 'Account', 'Status', 'Rating__c'),
        fc.string({ maxLength: 30 }).map((text) => encodeURIComponent(text)),
        fc.string({ unit: 'binary', maxLength: 300 }).map((text) => encodeURIComponent(text)),
        fc.constantFrom(
            '%',
            '%zz',
            '%E0%A4%A',
            '%00',
            '%C0%AF',
            '%2F',
            '..%2F..',
            'a%20b',
            '%F0%9F%98%80',
            "'%3B%20DROP%20TABLE%20stages%3B--"
        )
    );
}

function queryString(): fc.Arbitrary<string> {
    return fc.oneof(
        fc.constant(''),
        fc
            .array(
                fc.tuple(
                    fc.oneof(
                        fc.constantFrom('family', 'limit', 'cursor', 'stageId', 'object', 'field', 'moveRecordsTo'),
                        printable(10)
                    ),
                    fc.oneof(
                        fc.constantFrom('contact', 'account', '0', '-1', '1e9', '10', 'Lead', 'Status', ''),
                        fc.string({ maxLength: 20 })
                    )
                ),
                { maxLength: 4 }
            )
            .map((pairs) =>
                pairs.length
                    ? `?${pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}`
                    : ''
            )
    );
}

/** One field of a valid body replaced, removed or joined by an unknown one. */
function mutatedBody(base: Record<string, unknown>): fc.Arbitrary<unknown> {
    const fields = Object.keys(base);
    return fc.oneof(
        fc
            .record({ field: fc.constantFrom(...fields), value: fc.jsonValue() })
            .map(({ field, value }) => ({ ...base, [field]: value })),
        fc
            .constantFrom(...fields)
            .map((field) => Object.fromEntries(Object.entries(base).filter(([name]) => name !== field))),
        fc
            .record({ field: printable(12), value: fc.jsonValue() })
            .map(({ field, value }) => ({ ...base, [field]: value })),
        fc
            .record({ text: fc.string({ unit: 'binary', maxLength: 300 }) })
            .map(
                ({ text }) => JSON.parse(JSON.stringify(base).replace(/"(Fuzz[^"]*)"/, JSON.stringify(text))) as unknown
            )
    );
}

function body(base: Record<string, unknown> | undefined): fc.Arbitrary<{ raw?: string | Uint8Array; body?: unknown }> {
    const options: fc.Arbitrary<{ raw?: string | Uint8Array; body?: unknown }>[] = [
        fc.jsonValue().map((value) => ({ body: value })),
        fc.json().map((text) => ({ raw: text })),
        fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ raw: bytes })),
        fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
        fc.constant({})
    ];
    if (base) {
        options.push(mutatedBody(base).map((value) => ({ body: value })));
        options.push(mutatedBody(base).map((value) => ({ body: value })));
    }
    return fc.oneof(...options);
}

function headers(): fc.Arbitrary<{
    contentType: string | null;
    extra: Record<string, string>;
    actor: boolean;
    auth: boolean | string;
}> {
    return fc.record({
        // Mostly well-formed envelopes, so that most requests reach the body checks and the store.
        contentType: fc.oneof(
            { arbitrary: fc.constant('application/json'), weight: 6 },
            {
                arbitrary: fc.constantFrom<string | null>(
                    'application/json; charset=utf-8',
                    null,
                    'text/plain',
                    'application/json; charset=latin1',
                    'multipart/form-data',
                    'APPLICATION/JSON'
                ),
                weight: 2
            },
            { arbitrary: printable(40), weight: 1 }
        ),
        extra: fc.record(
            {
                'X-Actor-Id': printable(40),
                'X-Actor-Name': fc.oneof(printable(40), fc.constantFrom('%', '%FF%FE', 'Jos%C3%A9', '%00', '%0D%0A')),
                'Idempotency-Key': fc.oneof(fc.uuid(), printable(300))
            },
            { requiredKeys: [] }
        ),
        actor: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
        auth: fc.oneof(
            { arbitrary: fc.constant(true), weight: 6 },
            { arbitrary: fc.constant(false), weight: 1 },
            { arbitrary: printable(60), weight: 1 }
        )
    });
}

async function fuzzOnce(api: ApiClient, known: Known, seed: number): Promise<Map<number, number>> {
    const statuses = new Map<number, number>();
    const operations = loadSpec().operations;
    await fc.assert(
        fc.asyncProperty(
            fc.constantFrom(...operations.map((operation) => operation.operationId)).chain((operationId) =>
                fc.record({
                    operationId: fc.constant(operationId),
                    params: fc.array(pathValue(known), { minLength: 3, maxLength: 3 }),
                    query: queryString(),
                    payload: body(validBody(operationId, known)),
                    headers: headers()
                })
            ),
            async ({ operationId, params, query, payload, headers: sent }) => {
                const operation = operations.find((candidate) => candidate.operationId === operationId);
                assert.ok(operation);
                let index = 0;
                const path = operation.path.replace(/\{[^}]+\}/g, () => params[index++] ?? 'x');
                const options: RequestOptions = {
                    ...payload,
                    contentType: sent.contentType,
                    headers: sent.extra,
                    actor: sent.actor,
                    auth: sent.auth === true ? true : sent.auth === false ? false : `Bearer ${sent.auth}`
                };
                if (operation.method === 'GET' || (payload.raw === undefined && payload.body === undefined)) {
                    delete options.raw;
                    delete options.body;
                }
                // The client asserts that the response matches the document (status, media type, schema).
                const response = await api.request(operation.method, `${path}${query}`, options);
                statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
                assert.ok(
                    response.status < 500,
                    `${operation.method} ${path}${query}: ${response.status} ${response.text.slice(0, 300)}`
                );
                if (response.status >= 400) {
                    assert.equal(response.headers.get('content-type'), 'application/problem+json');
                }
            }
        ),
        { numRuns: RUNS, seed, endOnFailure: true }
    );
    return statuses;
}

describeEachDatabase('fuzz', (env) => {
    test(`${RUNS} generated bad requests over every endpoint: never a 5xx, always problem+json`, async (t) => {
        const { api } = env();
        const stage = await api.createStage('contact', 'Fuzz Target');
        const other = await api.createStage('contact', 'Fuzz Other');
        const run = await api.autoMap('Lead', 'Status', { values: [{ value: 'Fuzz Run' }] });
        assert.equal(run.status, 200);
        const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
        const statuses = await fuzzOnce(
            api,
            { stageId: stage.id, otherStageId: other.id, runId: run.body.run?.id ?? 'run_x' },
            seed
        );
        t.diagnostic(
            `seed ${seed}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`
        );
        // Still healthy afterwards.
        assert.equal((await api.get('/v1/health', { auth: false })).status, 200);
    });
});
