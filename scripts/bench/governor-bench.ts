/**
 * Governor limits, in figures (issue 10, section 5): the size of every answer the Apex reads from the stage service,
 * and of what it sends, at the service's maxima, against the Salesforce limits that bound them.
 *
 * The worst case is built through the real service (in-process, SQLite in a temp folder, as the service tests run it):
 * 5,000 values per auto-map (MAX_VALUES), 10,000 stages in the family, names, values and labels of 255 characters
 * (the Apex checks String.length(), UTF-16 units, so 255 CJK characters pass it: 3 bytes each in UTF-8), and actor
 * names of 113 CJK characters (the most UTF-8 bytes an X-Actor-Name carries: percent-encoded, 1,017 of the header's
 * 1,024 characters; the service keeps the name and repeats it in every mapping and run). An answer whose
 * request the service refuses (over its 1 MB body limit) is produced by the same store method the HTTP layer calls.
 *
 * Limits, from Salesforce's docs:
 * - Apex heap 6 MB synchronous, 12 MB asynchronous; Limits.getLimitHeapSize() reports 6,000,000, so MB = 10^6 here.
 *   https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_gov_limits.htm
 * - Callout request or response 6 MB synchronous, 12 MB asynchronous (same page, "Static Apex Limits"; Apex REST
 *   states the same bound: https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_rest_intro.htm).
 * - Aura (and so LWC -> @AuraEnabled) request payload 4 MB; no documented limit on the answer, which the Apex heap
 *   bounds anyway. https://developer.salesforce.com/docs/atlas.en-us.lightning.meta/lightning/controllers_server_actions_limits.htm
 *
 * Apex heap cannot be measured offline: the "est. heap" column is an estimate (see HEAP_ESTIMATE). The org step that
 * measures it is the smoke callout of scripts/org/verify-in-org.sh, which prints Limits.getHeapSize() after a real
 * getScopeState.
 *
 * `npx tsx scripts/bench/governor-bench.ts` (or `npm run bench`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_BODY_BYTES, MAX_VALUES, createStore, silentLogger, startService } from '../../service/src/index.ts';
import type { Actor, PicklistValueInput, Scope } from '../../service/src/index.ts';

const MB = 1_000_000;
const LIMITS = {
    heapSync: 6 * MB,
    calloutSync: 6 * MB,
    calloutAsync: 12 * MB,
    auraRequest: 4 * MB
};
const TEXT_MAX = 255;
/** CJK characters in the longest actor name by bytes: each is 9 characters percent-encoded, the header allows 1,024. */
const ACTOR_NAME_CHARS = 113;
const STAGES_MAX = 10_000;
/** Values per apply while building the state: small enough for the service's 1 MB body limit at 255 CJK chars. */
const CHUNK = 1000;

export const HEAP_ESTIMATE =
    'est. heap = the body as an Apex String (1 per UTF-16 unit, as Apex counts String heap) + every string of the ' +
    'parsed tree again (keys included) + 8 per parsed number, boolean, null, map and list: the peak inside ' +
    'StageServiceClient.readResponse, where body and JSON.deserializeUntyped result are both alive. An estimate, not ' +
    'a measurement.';

/** Deterministic pseudo-random generator (mulberry32), so every run builds the same strings. */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** `length` CJK ideographs (U+4E00-U+9FFF: one UTF-16 unit, three UTF-8 bytes each), unique per seed. */
function cjk(seed: number, length: number): string {
    const next = random(seed);
    return String.fromCharCode(...Array.from({ length }, () => 0x4e00 + Math.floor(next() * 0x5200)));
}

/** `length` ASCII letters, unique per seed. */
function ascii(seed: number, length: number): string {
    const next = random(seed);
    return String.fromCharCode(...Array.from({ length }, () => 0x61 + Math.floor(next() * 26)));
}

/** The same text with its character at `from_end` (counted from the end) replaced: one edit away. */
function oneEdit(text: string, fromEnd: number): string {
    const at = text.length - fromEnd;
    const code = text.charCodeAt(at);
    return text.slice(0, at) + String.fromCharCode(code === 0x9fff ? 0x4e00 : code + 1) + text.slice(at + 1);
}

interface Measure {
    name: string;
    via: string;
    bytes: number;
    chars: number;
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

function measure(name: string, via: string, body: string, note?: string): Measure {
    return {
        name,
        via,
        bytes: Buffer.byteLength(body, 'utf8'),
        chars: body.length,
        heap: body.length + treeCost(JSON.parse(body)),
        ...(note === undefined ? {} : { note })
    };
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
        await run(service.url, store);
    } finally {
        await service.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
    }
}

type Store = Awaited<ReturnType<typeof createStore>>;

async function run(url: string, store: Store): Promise<void> {
    const started = performance.now();
    const team = await store.createTeam('governor');
    const actor: Actor = { id: '005000000000001AAA', name: cjk(42, ACTOR_NAME_CHARS) };
    const headers = {
        Authorization: `Bearer ${team.apiKey}`,
        'Content-Type': 'application/json',
        'X-Actor-Id': actor.id,
        'X-Actor-Name': encodeURIComponent(actor.name)
    };
    let key = 0;
    async function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
        key += 1;
        const request = {
            method,
            headers: { ...headers, 'Idempotency-Key': `governor-bench-${String(key).padStart(8, '0')}` },
            ...(body === undefined ? {} : { body: JSON.stringify(body) })
        };
        let response: Response;
        try {
            response = await fetch(`${url}${path}`, request);
        } catch {
            // A kept-alive connection the server closed while a long store call held the event loop: once more, with
            // the same Idempotency-Key, so an apply is never applied twice.
            response = await fetch(`${url}${path}`, request);
        }
        return { status: response.status, text: await response.text() };
    }
    async function expectOk(method: string, path: string, body?: unknown): Promise<string> {
        const answer = await call(method, path, body);
        if (answer.status !== 200) {
            throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
        }
        return answer.text;
    }

    // The values of a scope, 255 CJK characters each; stage names follow from them (a created stage is named by its
    // label, which is the value when no label is sent). Lead.LeadSource is the scope the plans are made for: each of
    // its values is one edit away from a Lead.Status and a Contact.Status value, so the plan suggests both stages.
    const planned = Array.from({ length: MAX_VALUES }, (_, index) => cjk(1_000_000 + index, TEXT_MAX));
    const leadStatus = planned.map((text) => oneEdit(text, 1));
    const contactStatus = planned.map((text) => oneEdit(text, 2));
    const labels = Array.from({ length: MAX_VALUES }, (_, index) => cjk(2_000_000 + index, TEXT_MAX));

    // 1. The family's 10,000 stages and Lead.Status's 5,000 mappings, through the HTTP API in 1 MB-safe chunks.
    for (const [scope, values] of [
        ['Lead/Status', leadStatus],
        ['Contact/Status', contactStatus]
    ] as const) {
        for (let from = 0; from < values.length; from += CHUNK) {
            await expectOk('POST', `/v1/scopes/${scope}/auto-map`, {
                values: values.slice(from, from + CHUNK).map((value) => ({ value }))
            });
        }
    }
    // Run history: 50 runs for Lead.Status (the Apex reads at most 50), the rest single-value runs.
    for (let extra = 0; extra < 45; extra += 1) {
        await expectOk('POST', '/v1/scopes/Lead/Status/auto-map', { values: [{ value: leadStatus[extra] ?? '' }] });
    }
    const setupSeconds = (performance.now() - started) / 1000;

    const rows: Measure[] = [];
    const state = await expectOk('GET', '/v1/scopes/Lead/Status');
    const parsedState = JSON.parse(state) as Record<string, unknown> & { stages: unknown[]; mappings: unknown[] };
    rows.push(
        measure(
            `scope state (${parsedState.stages.length.toLocaleString('en-US')} stages, ${parsedState.mappings.length.toLocaleString('en-US')} mappings)`,
            'HTTP',
            state,
            'setMapping and removeMapping answer with the same scope state'
        )
    );
    // What each member of the scope state weighs (the contract may add members; every one is listed).
    const stateParts = Object.entries(parsedState).map(([name, value]) => ({
        name,
        bytes: Buffer.byteLength(JSON.stringify(value)),
        count: Array.isArray(value) ? value.length : undefined
    }));
    rows.push(
        measure('run history (limit 50)', 'HTTP', await expectOk('GET', '/v1/runs?object=Lead&field=Status&limit=50'))
    );
    rows.push(measure('scopes of Lead', 'HTTP', await expectOk('GET', '/v1/scopes?object=Lead')));

    // 2. The auto-map request at the contract's maxima, as the Apex serializes it, and what the service says to it.
    const maxValues: PicklistValueInput[] = planned.map((value, index) => ({
        value,
        label: labels[index] ?? '',
        active: true
    }));
    const requestBody = JSON.stringify({ values: maxValues, expectedVersion: 0, dryRun: true });
    const refused = await call('POST', '/v1/scopes/Lead/LeadSource/auto-map', JSON.parse(requestBody));
    // The same values as the LWC sends them to @AuraEnabled previewAutoMap (Aura posts them form-encoded).
    const auraParams = JSON.stringify({
        objectApiName: 'Lead',
        fieldApiName: 'LeadSource',
        values: maxValues,
        expectedVersion: 0
    });
    const auraEncoded = encodeURIComponent(auraParams).length;

    // 3. The plan, the conflict and the apply at the maxima: the store method the HTTP layer calls, because the
    // service refuses the request above (413). Then the largest dry run the service does accept over HTTP.
    const scope: Scope = { object: 'Lead', field: 'LeadSource', family: 'contact' };
    const plan = await store.autoMap(team.teamId, actor, scope, { values: maxValues, dryRun: true }, null);
    const planText = JSON.stringify(plan.body);
    const suggestions = plan.body.plan.suggestions.length;
    rows.push(
        measure(
            `plan, dry run (5,000 values + labels of 255, ${suggestions.toLocaleString('en-US')} suggestions)`,
            `store (HTTP ${refused.status})`,
            planText,
            'a 409 state-changed answer to an apply carries the same plan'
        )
    );
    // A large real picklist: 1,000 values with labels of 255, the same near matches (the service refuses it too:
    // over 1 MB).
    const thousand = maxValues.slice(0, 1000);
    const thousandStatus = (await call('POST', '/v1/scopes/Lead/Rating/auto-map', { values: thousand, dryRun: true }))
        .status;
    const ratingScope: Scope = { object: 'Lead', field: 'Rating', family: 'contact' };
    const thousandPlan = await store.autoMap(team.teamId, actor, ratingScope, { values: thousand, dryRun: true }, null);
    rows.push(
        measure(
            `plan, dry run (1,000 values + labels of 255, ${thousandPlan.body.plan.suggestions.length.toLocaleString('en-US')} suggestions)`,
            `store (HTTP ${thousandStatus})`,
            JSON.stringify(thousandPlan.body)
        )
    );
    const fitting = largestAcceptedValues();
    const acceptedPlan = await call('POST', '/v1/scopes/Lead/Industry/auto-map', {
        values: fitting.values,
        expectedVersion: 0,
        dryRun: true
    });
    if (acceptedPlan.status === 200) {
        rows.push(
            measure(
                `plan, dry run (5,000 values of ${fitting.length} ASCII, the largest 1 MB allows)`,
                'HTTP',
                acceptedPlan.text
            )
        );
    }
    const acceptedApply = await call('POST', '/v1/scopes/Lead/Industry/auto-map', { values: fitting.values });
    if (acceptedApply.status === 200) {
        rows.push(measure(`apply result (the same ${fitting.length}-char values)`, 'HTTP', acceptedApply.text));
    }
    const freshThousand = Array.from({ length: 1000 }, (_, index) => ({
        value: cjk(5_000_000 + index, TEXT_MAX),
        label: cjk(6_000_000 + index, TEXT_MAX),
        active: true
    }));
    const thousandApplied = await store.autoMap(team.teamId, actor, ratingScope, { values: freshThousand }, null);
    rows.push(
        measure(
            `apply result (1,000 values + labels of 255, ${thousandApplied.body.createdStages.length.toLocaleString('en-US')} stages created)`,
            `store (HTTP ${thousandStatus})`,
            JSON.stringify(thousandApplied.body)
        )
    );
    const applied = await store.autoMap(team.teamId, actor, scope, { values: maxValues }, null);
    rows.push(
        measure(
            `apply result (5,000 values + labels of 255, ${applied.body.createdStages.length.toLocaleString('en-US')} stages created)`,
            `store (HTTP ${refused.status})`,
            JSON.stringify(applied.body)
        )
    );

    print(rows, {
        setupSeconds,
        stateParts,
        request: { bytes: Buffer.byteLength(requestBody), status: refused.status },
        aura: { bytes: Buffer.byteLength(auraParams), encoded: auraEncoded },
        fitting
    });
}

/** 5,000 values of the longest ASCII text whose request still fits the service's body limit. */
function largestAcceptedValues(): { length: number; values: { value: string }[] } {
    let length = TEXT_MAX;
    const build = (size: number) =>
        Array.from({ length: MAX_VALUES }, (_, index) => ({ value: ascii(3_000_000 + index, size) }));
    let values = build(length);
    while (Buffer.byteLength(JSON.stringify({ values, expectedVersion: 0, dryRun: true })) > MAX_BODY_BYTES) {
        length -= 1;
        values = build(length);
    }
    return { length, values };
}

interface Context {
    setupSeconds: number;
    stateParts: { name: string; bytes: number; count: number | undefined }[];
    request: { bytes: number; status: number };
    aura: { bytes: number; encoded: number };
    fitting: { length: number };
}

function print(rows: Measure[], context: Context): void {
    console.log(
        `Governor limits at the service's maxima (${MAX_VALUES.toLocaleString('en-US')} values, ` +
            `${STAGES_MAX.toLocaleString('en-US')} stages, texts of ${TEXT_MAX} ` +
            `CJK chars = ${TEXT_MAX * 3} UTF-8 bytes, actor names of ${ACTOR_NAME_CHARS} CJK chars); built in ${context.setupSeconds.toFixed(1)} s`
    );
    console.log('Limits: callout answer 6 MB sync / 12 MB async; Apex heap 6 MB sync (MB = 1,000,000 bytes).\n');
    const header = ['answer the Apex reads', 'via', 'bytes', '% 6 MB', '% 12 MB', 'chars', 'est. heap', '% heap'];
    const table = rows.map((row) => [
        row.name,
        row.via,
        megabytes(row.bytes),
        percent(row.bytes, LIMITS.calloutSync),
        percent(row.bytes, LIMITS.calloutAsync),
        row.chars.toLocaleString('en-US'),
        megabytes(row.heap),
        percent(row.heap, LIMITS.heapSync)
    ]);
    const widths = header.map((title, column) =>
        Math.max(title.length, ...table.map((cells) => (cells[column] ?? '').length))
    );
    const line = (cells: string[]) =>
        cells
            .map((cell, column) =>
                column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)
            )
            .join('  ');
    console.log(line(header));
    for (const cells of table) {
        console.log(line(cells));
    }
    console.log(`\n${HEAP_ESTIMATE}`);
    for (const row of rows.filter((item) => item.note)) {
        console.log(`${row.name}: ${row.note ?? ''}.`);
    }

    const parts = context.stateParts
        .filter((part) => part.bytes >= 1000)
        .map(
            (part) =>
                `${part.name} ${megabytes(part.bytes)}` +
                (part.count
                    ? ` (${part.count.toLocaleString('en-US')} × ${(part.bytes / part.count).toFixed(0)} B)`
                    : '')
        );
    const stages = context.stateParts.find((part) => part.name === 'stages');
    console.log(
        `\nScope state parts: ${parts.join(', ')}; each mapping repeats the actor's name (${ACTOR_NAME_CHARS * 3} B).`
    );
    if (stages?.count) {
        console.log(
            `The service caps neither a family's stages nor a scope's mappings: a 6 MB answer holds at most ` +
                `${Math.floor(LIMITS.calloutSync / (stages.bytes / stages.count)).toLocaleString('en-US')} such stages, with nothing else.`
        );
    }

    console.log('\nWhat the Apex sends');
    console.log(
        `auto-map request, 5,000 values + labels of 255: ${megabytes(context.request.bytes)} = ` +
            `${percent(context.request.bytes, LIMITS.calloutSync)} of the 6 MB callout request limit, ` +
            `${percent(context.request.bytes, MAX_BODY_BYTES)} of the service's ${MAX_BODY_BYTES.toLocaleString('en-US')}-byte body limit ` +
            `(the service answers ${context.request.status}).`
    );
    console.log(
        `the same values from the LWC to @AuraEnabled previewAutoMap: ${megabytes(context.aura.bytes)} of JSON = ` +
            `${percent(context.aura.bytes, LIMITS.auraRequest)} of Aura's 4 MB request payload limit ` +
            `(${megabytes(context.aura.encoded)} once form-encoded, as Aura posts an action).`
    );
    console.log(
        `the largest request the service accepts with 5,000 values carries ${context.fitting.length} ASCII characters per value and no label.`
    );

    const over = rows.filter((row) => row.bytes > LIMITS.calloutSync || row.heap > LIMITS.heapSync);
    console.log(
        over.length === 0
            ? '\nEvery answer fits the synchronous limits.'
            : `\nOVER A LIMIT (the contract or the Apex must change so it cannot happen):\n${over
                  .map(
                      (row) =>
                          `  ${row.name}: ${megabytes(row.bytes)} (${percent(row.bytes, LIMITS.calloutSync)} of the 6 MB callout answer), est. heap ${megabytes(row.heap)} (${percent(row.heap, LIMITS.heapSync)} of 6 MB)`
                  )
                  .join('\n')}`
    );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    await main();
}
