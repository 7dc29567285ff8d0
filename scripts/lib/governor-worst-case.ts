/**
 * The largest data a team may hold under the stage service's caps (service/src/limits.ts), built through the real
 * service's HTTP API: what the governor bench measures (scripts/bench/governor-bench.ts) and what
 * service/test/governor-caps.test.ts holds under 5,000,000 bytes.
 *
 * Worst-case text: every value, label and stage name has 255 code points, either CJK ideographs (one UTF-16 unit,
 * three UTF-8 bytes each: the most bytes per unit Apex's `String.length()` lets through) or ideographs outside the
 * Basic Multilingual Plane (two UTF-16 units, four UTF-8 bytes each: the most bytes and the most Apex heap per code
 * point, which the service counts). Field API names have 80 characters (the most Salesforce allows), actor names
 * the most UTF-8 bytes an `X-Actor-Name` header of 1,024 characters carries percent-encoded, and every stage the
 * longest category.
 */
import {
    MAX_MAPPINGS_PER_FAMILY,
    MAX_STAGES_PER_FAMILY,
    MAX_TEXT_LENGTH,
    MAX_VALUES
} from '../../service/src/limits.ts';

/** 3-byte CJK (U+4E00-U+9FFF) or 4-byte supplementary CJK (U+20000-U+2A6DF: NFKC and case leave both alone). */
export type TextKind = 'cjk' | 'supplementary';
export const TEXT_KINDS: readonly TextKind[] = ['cjk', 'supplementary'];

const RANGES: Record<TextKind, { first: number; size: number; utf8: number; units: number }> = {
    cjk: { first: 0x4e00, size: 0x5200, utf8: 3, units: 1 },
    supplementary: { first: 0x20000, size: 0xa6e0, utf8: 4, units: 2 }
};

/** UTF-8 bytes and UTF-16 units (Apex heap units) of one character of the kind. */
export function charCost(kind: TextKind): { utf8: number; units: number } {
    const { utf8, units } = RANGES[kind];
    return { utf8, units };
}

/** Deterministic pseudo-random generator (mulberry32), so every run builds the same strings. */
export function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** `length` code points of the kind, unique per seed (with overwhelming likelihood; callers check). */
export function text(kind: TextKind, seed: number, length = MAX_TEXT_LENGTH): string {
    const next = random(seed);
    const { first, size } = RANGES[kind];
    return String.fromCodePoint(...Array.from({ length }, () => first + Math.floor(next() * size)));
}

/**
 * The actor name with the most UTF-8 bytes an `X-Actor-Name` header carries: each character is percent-encoded
 * (`%E4%B8%80`: 9 header characters for 3 bytes, 12 for 4) and the header holds 1,024 characters.
 */
export function actorName(kind: TextKind): string {
    return text(kind, 42, Math.floor(1024 / (3 * RANGES[kind].utf8)));
}

/** A custom field API name of 80 characters (the longest Salesforce allows), distinct per index. */
export function longField(index: number): string {
    const suffix = `${index}__c`;
    return `F${'x'.repeat(80 - 1 - suffix.length)}${suffix}`;
}

/** One call to the service; the bench and the test give their own (both `fetch` the real service). */
export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; text: string }>;

/** A caller with the team's key, the actor's headers and a new idempotency key per request. */
export function serviceCaller(url: string, apiKey: string, actor: { id: string; name: string }): Call {
    let key = 0;
    return async (method, path, body) => {
        key += 1;
        const request = {
            method,
            headers: {
                Authorization: `Bearer ${apiKey}`,
                'Content-Type': 'application/json',
                'X-Actor-Id': actor.id,
                'X-Actor-Name': encodeURIComponent(actor.name),
                'Idempotency-Key': `governor-${String(key).padStart(8, '0')}`
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) })
        };
        let response: Response;
        try {
            response = await fetch(`${url}${path}`, request);
        } catch {
            // A kept-alive connection the server closed while a long request held its event loop: once more, with
            // the same Idempotency-Key, so an apply is never applied twice.
            response = await fetch(`${url}${path}`, request);
        }
        return { status: response.status, text: await response.text() };
    };
}

/** Calls and insists on a 2xx; the answer's text. */
export async function expectOk(call: Call, method: string, path: string, body?: unknown): Promise<string> {
    const answer = await call(method, path, body);
    if (answer.status < 200 || answer.status > 299) {
        throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    return answer.text;
}

export interface WorstCaseFamily {
    /** The scope whose run created the family's 1,000 stages: its own 1,000 mappings, the rest of the cap elsewhere, a last run. */
    creator: { object: string; field: string };
    /** A scope with no mapping of its own: the family's 2,000 mappings (its cap) are all elsewhere. */
    bystander: { object: string; field: string };
    /** The values of the creator scope and the labels its stages were named by. */
    values: string[];
    labels: string[];
    runId: string;
}

/**
 * Fills the `contact` family of the caller's team to every cap: 1,000 stages (named by labels of 255 characters, each
 * with the longest category), 1,000 mappings in one scope and 1,000 in each further scope up to the family's cap
 * (2,000: one more), every mapping with its label of 255 characters,
 * with three of the creating run's mappings replaced by hand so its undo blockers name values, stages and the actor.
 */
export async function fillFamily(call: Call, kind: TextKind): Promise<WorstCaseFamily> {
    const values = Array.from({ length: MAX_VALUES }, (_, index) => text(kind, 1_000_000 + index));
    const labels = Array.from({ length: MAX_VALUES }, (_, index) => text(kind, 2_000_000 + index));
    if (new Set([...values, ...labels]).size !== 2 * MAX_VALUES) {
        throw new Error('the generated values and labels are not all distinct');
    }
    const creator = { object: 'Contact', field: longField(1) };
    const applied = JSON.parse(
        await expectOk(call, 'POST', `/v1/scopes/${creator.object}/${creator.field}/auto-map`, {
            values: values.map((value, index) => ({ value, label: labels[index] }))
        })
    ) as { run: { id: string }; createdStages: { id: string }[] };
    if (applied.createdStages.length !== MAX_STAGES_PER_FAMILY) {
        throw new Error(`expected ${MAX_STAGES_PER_FAMILY} stages, the run created ${applied.createdStages.length}`);
    }
    for (const stage of applied.createdStages) {
        await expectOk(call, 'PATCH', `/v1/stages/${stage.id}`, { category: 'in_progress' });
    }
    // Further scopes map the same stages: their values are the stage names (API-name matches), with labels of 255.
    const others = MAX_MAPPINGS_PER_FAMILY / MAX_VALUES - 1;
    for (let scope = 0; scope < others; scope += 1) {
        await expectOk(call, 'POST', `/v1/scopes/Contact/${longField(2 + scope)}/auto-map`, {
            values: labels.map((label, index) => ({
                value: label,
                label: text(kind, 3_000_000 + scope * 10_000 + index)
            }))
        });
    }
    // Three of the run's mappings made again by hand: `mapping-changed` blockers, which name the actor too.
    const state = JSON.parse(await expectOk(call, 'GET', `/v1/scopes/${creator.object}/${creator.field}`)) as {
        mappings: { value: string; stageId: string }[];
    };
    for (const mapping of state.mappings.slice(0, 3)) {
        const path = `/v1/scopes/${creator.object}/${creator.field}/mappings`;
        await expectOk(call, 'DELETE', `${path}/${encodeURIComponent(mapping.value)}`);
        await expectOk(call, 'PUT', path, { value: mapping.value, stageId: mapping.stageId });
    }
    return { creator, bystander: { object: 'Lead', field: longField(9) }, values, labels, runId: applied.run.id };
}
