/**
 * Governor limits, in figures (issue 10, section 5): every answer the Apex reads from the stage service and every
 * request it sends or receives, at the service's caps (service/src/limits.ts: 1,000 stages per family, 1,000 mappings
 * per scope, 2,000 per family, 1,000 values per auto-map) with the worst text, against the Salesforce limits.
 *
 * Worst text (scripts/lib/governor-worst-case.ts): names, values and labels of 255 code points, either CJK (3 UTF-8
 * bytes, 1 UTF-16 unit each: the most bytes per unit the Apex's 255-unit check lets through) or supplementary CJK
 * (4 bytes, 2 units: the most bytes and heap per code point the service's 255-code-point check lets through); field
 * names of 80 characters; actor names with the most bytes an `X-Actor-Name` header carries. Everything is built
 * through the real service over HTTP (in-process, SQLite in a temp folder).
 *
 * Limits, from Salesforce's docs:
 * - Apex heap 6 MB synchronous; Limits.getLimitHeapSize() reports 6,000,000, so MB = 10^6 here. Callout request or
 *   response 6 MB synchronous. https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_gov_limits.htm
 * - Apex heap counts a String's characters as UTF-16 units: a supplementary character counts 2 (salesforce.stackexchange,
 *   "How is heap size calculated?").
 * - Aura (and so LWC -> @AuraEnabled) request payload 4 MB ("the actions and their data serialized into JSON").
 *   https://developer.salesforce.com/docs/atlas.en-us.lightning.meta/lightning/controllers_server_actions_limits.htm
 *
 * Apex heap cannot be measured offline: the heap column is an estimate (see HEAP_ESTIMATE). The org step that
 * measures it is the smoke callout of scripts/org/verify-in-org.sh, which prints Limits.getHeapSize().
 *
 * `npx tsx scripts/bench/governor-bench.ts` (or `npm run bench`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    MAX_BODY_BYTES,
    MAX_MAPPINGS_PER_FAMILY,
    MAX_STAGES_PER_FAMILY,
    MAX_TEXT_LENGTH,
    MAX_VALUES,
    createStore,
    silentLogger,
    startService
} from '../../service/src/index.ts';
import {
    TEXT_KINDS,
    actorName,
    charCost,
    expectOk,
    fillFamily,
    longField,
    serviceCaller,
    text
} from '../lib/governor-worst-case.ts';
import type { Call, TextKind } from '../lib/governor-worst-case.ts';

const MB = 1_000_000;
const LIMITS = { heap: 6 * MB, callout: 6 * MB, aura: 4 * MB };
/** The worst scope state must stay under this (service/test/governor-caps.test.ts holds it there). */
const STATE_BUDGET_BYTES = 5_000_000;
/** How many runs the Apex reads in a run history (StageAutoMapController.RUN_HISTORY_LIMIT). */
const RUN_HISTORY_LIMIT = 50;

export const HEAP_ESTIMATE =
    'est. heap: a pass-through answer is one Apex String (1 per UTF-16 unit: the body as the controller returns ' +
    'it); a parsed answer adds the JSON.deserializeUntyped tree (every string again, keys included, and 8 per ' +
    'number, boolean, null, map and list); a request adds what Aura bound, the maps built from it and the ' +
    'JSON.serialize text. Estimates, not measurements.';

type Reading = 'pass-through' | 'parsed' | 'sent' | 'API only';

interface Row {
    kind: TextKind;
    name: string;
    reading: Reading;
    /** Which limit the bytes are held against. */
    limit: 'callout' | 'aura';
    bytes: number;
    units: number;
    heap: number;
    note?: string;
}

/** Counts the strings and values of a parsed JSON tree, for the heap estimate. */
function treeCost(value: unknown): number {
    if (typeof value === 'string') {
        return value.length;
    }
    if (Array.isArray(value)) {
        return 8 + value.reduce((sum: number, item) => sum + treeCost(item), 0);
    }
    if (value !== null && typeof value === 'object') {
        return Object.entries(value).reduce((sum, [key, item]) => sum + key.length + treeCost(item), 8);
    }
    return 8;
}

function row(kind: TextKind, name: string, reading: Reading, body: string, note?: string): Row {
    const units = body.length;
    return {
        kind,
        name,
        reading,
        limit: 'callout',
        bytes: Buffer.byteLength(body, 'utf8'),
        units,
        heap: reading === 'parsed' ? units + treeCost(JSON.parse(body)) : units,
        ...(note === undefined ? {} : { note })
    };
}

function figure(count: number): string {
    return count.toLocaleString('en-US');
}

function percent(part: number, whole: number): string {
    return `${((100 * part) / whole).toFixed(0)}%`;
}

function megabytes(bytes: number): string {
    return `${(bytes / MB).toFixed(2)} MB`;
}

export async function main(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'stage-automap-governor-'));
    const store = await createStore({ kind: 'sqlite', file: join(dir, 'governor.sqlite') });
    const service = await startService({ store, port: 0, logger: silentLogger() });
    try {
        const started = performance.now();
        const rows: Row[] = [];
        for (const kind of TEXT_KINDS) {
            const team = async (name: string): Promise<Call> =>
                serviceCaller(service.url, (await store.createTeam(`${name} ${kind}`)).apiKey, {
                    id: '005000000000001AAA',
                    name: actorName(kind)
                });
            rows.push(...(await familyAtTheCaps(await team('caps'), kind)));
            rows.push(...(await longHistory(await team('history'), kind)));
            rows.push(...(await sharedStage(await team('shared'), kind)));
            rows.push(...(await fullAnswers(await team('full'), kind)));
            rows.push(...requests(kind));
        }
        print(rows, (performance.now() - started) / 1000);
    } finally {
        await service.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
    }
}

/** A family at every cap: its scope states, a map and an unmap, an apply's and a conflict's summary, an undo refusal. */
async function familyAtTheCaps(call: Call, kind: TextKind): Promise<Row[]> {
    const family = await fillFamily(call, kind);
    const creatorPath = `/v1/scopes/${family.creator.object}/${family.creator.field}`;
    const rows = [
        row(
            kind,
            'getScopeState: the field that made the family (1,000 stages, 1,000 mappings, 1,000 elsewhere, last run)',
            'pass-through',
            await expectOk(call, 'GET', creatorPath),
            // Its own 1,000 mappings carry labels: since the family cap fell to 2,000 it outweighs the bystander.
            'the largest scope state'
        ),
        row(
            kind,
            `getScopeState: a field with ${figure(MAX_MAPPINGS_PER_FAMILY)} mappings elsewhere`,
            'pass-through',
            await expectOk(call, 'GET', `/v1/scopes/${family.bystander.object}/${family.bystander.field}`)
        )
    ];
    const state = JSON.parse(await expectOk(call, 'GET', creatorPath)) as {
        version: number;
        mappings: { value: string; stageId: string }[];
    };
    const [first] = state.mappings;
    if (first) {
        rows.push(
            row(
                kind,
                'removeMapping at the caps',
                'pass-through',
                await expectOk(call, 'DELETE', `${creatorPath}/mappings/${encodeURIComponent(first.value)}`)
            ),
            row(
                kind,
                'setMapping at the caps',
                'pass-through',
                await expectOk(call, 'PUT', `${creatorPath}/mappings`, { value: first.value, stageId: first.stageId }),
                'createStageAndMap answers the same scope state'
            )
        );
        const refused = await call('PUT', `${creatorPath}/mappings`, { value: 'One more', stageName: 'One more' });
        rows.push(
            row(kind, `createStageAndMap refused at the caps (${refused.status} limit-reached)`, 'parsed', refused.text)
        );
    }
    const current = (JSON.parse(await expectOk(call, 'GET', creatorPath)) as { version: number }).version;
    const values = family.values.map((value, index) => ({ value, label: family.labels[index], active: true }));
    const apply = (expectedVersion: number): Promise<{ status: number; text: string }> =>
        call('POST', `${creatorPath}/auto-map`, { values, expectedVersion, newStageNames: 'label', answer: 'summary' });
    const stale = await apply(current - 1);
    rows.push(row(kind, `applyAutoMap, state changed (${stale.status} state-changed, summary)`, 'parsed', stale.text));
    const applied = await apply(current);
    rows.push(
        row(kind, `applyAutoMap of 1,000 values, applied (${applied.status}, summary)`, 'pass-through', applied.text)
    );
    const undo = await call('POST', `/v1/runs/${family.runId}/undo`);
    rows.push(row(kind, `undoRun refused (${undo.status}, 3 of 1,003 reasons listed)`, 'parsed', undo.text));
    return rows;
}

/** 50 runs, each with three undo blockers naming values, stages and the actor: the largest run history. */
async function longHistory(call: Call, kind: TextKind): Promise<Row[]> {
    const scope = `/v1/scopes/Lead/${longField(5)}`;
    for (let run = 0; run < RUN_HISTORY_LIMIT; run += 1) {
        await expectOk(call, 'POST', `${scope}/auto-map`, {
            values: [0, 1, 2].map((index) => ({
                value: text(kind, 10_000_000 + run * 10 + index),
                label: text(kind, 20_000_000 + run * 10 + index)
            })),
            answer: 'summary'
        });
    }
    // Each mapping made again by hand: every run now has three `mapping-changed` reasons.
    const state = JSON.parse(await expectOk(call, 'GET', scope)) as { mappings: { value: string; stageId: string }[] };
    for (const mapping of state.mappings) {
        await expectOk(call, 'DELETE', `${scope}/mappings/${encodeURIComponent(mapping.value)}`);
        await expectOk(call, 'PUT', `${scope}/mappings`, { value: mapping.value, stageId: mapping.stageId });
    }
    const history = await expectOk(
        call,
        'GET',
        `/v1/runs?object=Lead&field=${longField(5)}&limit=${RUN_HISTORY_LIMIT}`
    );
    return [row(kind, 'getRunHistory (50 runs, 3 reasons listed each)', 'parsed', history)];
}

/** One stage mapped by as many fields as the family's cap allows (2,000): the largest scope list, rename and delete answers. */
async function sharedStage(call: Call, kind: TextKind): Promise<Row[]> {
    const name = text(kind, 40_000_000);
    const stage = JSON.parse(await expectOk(call, 'POST', '/v1/stages', { family: 'contact', name })) as { id: string };
    // An auto-map of one value named like the stage maps it: cheap, unlike a manual map, whose answer is the state.
    for (let field = 0; field < MAX_MAPPINGS_PER_FAMILY; field += 1) {
        await expectOk(call, 'POST', `/v1/scopes/Contact/${longField(100 + field)}/auto-map`, {
            values: [{ value: name, label: text(kind, 50_000_000 + field) }],
            answer: 'summary'
        });
    }
    // With every mapping's value and label: the page decides from them which fields drifted (issue 12).
    const scopes = await expectOk(call, 'GET', '/v1/scopes?object=Contact&include=mappings');
    const renamed = await expectOk(call, 'PATCH', `/v1/stages/${stage.id}`, { name: text(kind, 40_000_001) });
    const deleted = await expectOk(call, 'DELETE', `/v1/stages/${stage.id}`);
    return [
        row(
            kind,
            `getMappedFields (${figure(MAX_MAPPINGS_PER_FAMILY)} fields with a mapping, with values and labels)`,
            'pass-through',
            scopes
        ),
        row(kind, 'renameStage', 'parsed', renamed),
        row(kind, `deleteStage (${figure(MAX_MAPPINGS_PER_FAMILY)} mappings removed with it)`, 'pass-through', deleted)
    ];
}

/** What an API client gets for 1,000 values (the CLI): the full plan and the full apply answer; the Apex asks less. */
async function fullAnswers(call: Call, kind: TextKind): Promise<Row[]> {
    const values = Array.from({ length: MAX_VALUES }, (_, index) => ({
        value: text(kind, 60_000_000 + index),
        label: text(kind, 70_000_000 + index)
    }));
    const path = `/v1/scopes/Lead/${longField(7)}/auto-map`;
    const planned = await expectOk(call, 'POST', path, { values, dryRun: true });
    const applied = await expectOk(call, 'POST', path, { values });
    return [
        row(kind, 'full dry-run plan of 1,000 values (API clients; the Apex never asks)', 'API only', planned),
        row(
            kind,
            'full apply answer, 1,000 stages created (API clients; the Apex asks for the summary)',
            'API only',
            applied
        )
    ];
}

/**
 * What the page sends the Apex (Aura) and the Apex sends the service for an apply of 1,000 values. The Apex refuses
 * a value or label over 255 UTF-16 units, so 255 supplementary characters (510 units) never get past it: its worst
 * request is CJK. Aura posts the action form-encoded; its documented 4 MB is of the JSON.
 */
function requests(kind: TextKind): Row[] {
    const length = kind === 'cjk' ? MAX_TEXT_LENGTH : Math.floor(MAX_TEXT_LENGTH / charCost(kind).units);
    const values = Array.from({ length: MAX_VALUES }, (_, index) => ({
        value: text(kind, 80_000_000 + index, length),
        label: text(kind, 90_000_000 + index, length),
        active: true
    }));
    const aura = JSON.stringify({
        objectApiName: 'Lead',
        fieldApiName: longField(7),
        values,
        expectedVersion: 2_147_483_647,
        idempotencyKey: '3f0c2a8e-6b1d-4c7a-9e55-0a1b2c3d4e5f',
        newStageNames: 'label'
    });
    const callout = JSON.stringify({
        values,
        expectedVersion: 2_147_483_647,
        dryRun: false,
        newStageNames: 'label',
        answer: 'summary'
    });
    const textUnits = values.reduce((sum, entry) => sum + entry.value.length + entry.label.length, 0);
    const auraRow: Row = {
        kind,
        name: `applyAutoMap params, page to Apex (1,000 values + labels of ${length} characters)`,
        reading: 'sent',
        limit: 'aura',
        bytes: Buffer.byteLength(aura),
        units: aura.length,
        // Aura binds the values into PicklistValue objects: their strings, 8 per member and object.
        heap: textUnits + 8 * 4 * MAX_VALUES,
        note: `${megabytes(encodeURIComponent(aura).length)} once form-encoded, as Aura posts an action`
    };
    const calloutRow: Row = {
        kind,
        name: `auto-map request, Apex to service (the same values)`,
        reading: 'sent',
        limit: 'callout',
        bytes: Buffer.byteLength(callout),
        units: callout.length,
        // The bound values, the maps built from them (sharing the strings), and the JSON.serialize text.
        heap: textUnits + 8 * 4 * MAX_VALUES + 8 * 4 * MAX_VALUES + callout.length,
        note: `${percent(Buffer.byteLength(callout), MAX_BODY_BYTES)} of the service's ${figure(MAX_BODY_BYTES)}-byte body limit`
    };
    return [auraRow, calloutRow];
}

function print(rows: Row[], seconds: number): void {
    console.log(
        `Governor limits at the stage service's caps (${figure(MAX_STAGES_PER_FAMILY)} stages per family, ` +
            `${figure(MAX_MAPPINGS_PER_FAMILY)} mappings per family, ${figure(MAX_VALUES)} values per auto-map), ` +
            `texts of ${MAX_TEXT_LENGTH} characters; built through the service in ${seconds.toFixed(1)} s.`
    );
    console.log(
        'Limits: callout request and answer 6 MB, Apex heap 6 MB (synchronous), Aura request 4 MB; MB = 1,000,000 bytes.\n' +
            'cjk: 3 UTF-8 bytes and 1 heap unit per character; 4-byte: 4 bytes and 2 heap units (supplementary).\n'
    );
    const header = ['answer or request', 'text', 'Apex', 'bytes', '% limit', 'UTF-16 units', 'est. heap', '% heap'];
    const table = rows.map((item) => [
        item.name,
        item.kind === 'cjk' ? 'cjk' : '4-byte',
        item.reading,
        megabytes(item.bytes),
        `${percent(item.bytes, LIMITS[item.limit])} ${item.limit === 'aura' ? 'Aura' : 'callout'}`,
        figure(item.units),
        item.reading === 'API only' ? '-' : megabytes(item.heap),
        item.reading === 'API only' ? '-' : percent(item.heap, LIMITS.heap)
    ]);
    const widths = header.map((title, column) =>
        Math.max(title.length, ...table.map((cells) => (cells[column] ?? '').length))
    );
    const line = (cells: string[]): string =>
        cells
            .map((cell, column) =>
                column <= 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)
            )
            .join('  ');
    console.log(line(header));
    for (const cells of table) {
        console.log(line(cells));
    }
    console.log(`\n${HEAP_ESTIMATE}`);
    for (const item of rows.filter((candidate) => candidate.note && candidate.kind === 'supplementary')) {
        console.log(`${item.name}: ${item.note ?? ''}.`);
    }
    for (const item of rows.filter(
        (candidate) => candidate.note && candidate.kind === 'cjk' && candidate.reading === 'sent'
    )) {
        console.log(`${item.name} (cjk): ${item.note ?? ''}.`);
    }

    const states = rows.filter((item) => item.name.startsWith('getScopeState') || item.name.includes('Mapping at'));
    const largest = Math.max(...states.map((item) => item.bytes));
    console.log(
        `\nThe largest scope state is ${figure(largest)} bytes, ${percent(largest, STATE_BUDGET_BYTES)} of the ` +
            `5,000,000-byte budget service/test/governor-caps.test.ts holds it to.`
    );
    const apex = rows.filter((item) => item.reading !== 'API only');
    const over = apex.filter((item) => item.bytes > LIMITS[item.limit] || item.heap > LIMITS.heap);
    console.log(
        over.length === 0
            ? 'Every answer the Apex reads and every request it sends or receives fits the synchronous limits.'
            : `OVER A LIMIT (the contract or the Apex must change so it cannot happen):\n${over
                  .map(
                      (item) =>
                          `  ${item.name} (${item.kind}): ${megabytes(item.bytes)}, est. heap ${megabytes(item.heap)}`
                  )
                  .join('\n')}`
    );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    await main();
}
