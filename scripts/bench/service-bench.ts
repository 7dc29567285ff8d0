/**
 * The stage service's speed, on SQLite and on PostgreSQL (a real server from scripts/pg-test-server.ts):
 *
 * 1. One request applying a 1,000-value auto-map (1,000 stages created and mapped) to a fresh team, ~30 times:
 *    p50 and p99 (and the undo of that run). Target: under 100 ms p50 on SQLite.
 * 2. 32 concurrent clients doing dry runs of 100-value scopes for 10 s: throughput, p50, p99 and errors.
 *    Target: no errors.
 * 3. PostgreSQL only, fairness: team A reads its stages (GET /v1/stages) alone for a few seconds (the quiet
 *    baseline), then again while team B sends 30 concurrent 1,000-value applies (the most one request may carry) to
 *    one family. A's p99 during the burst is printed beside the baseline; B's answers are counted (applied, 409 once
 *    the family reaches its caps of 1,000 stages and 2,000 mappings, or 503 with Retry-After once a write waited too
 *    long in its team and family's line). Every one of them takes the family's lock, which is what the burst is for.
 *
 * The service runs as its own process (`service/src/main.ts`, as `npm run service` starts it) so that the load
 * generator does not share its event loop; latencies are measured by the client (request sent to body read).
 *
 * `npx tsx scripts/bench/service-bench.ts` (or `npm run bench`). Env: BENCH_APPLY_ITERATIONS (30),
 * BENCH_LOAD_SECONDS (10), BENCH_CLIENTS (32), BENCH_BURST_APPLIES (30), BENCH_BURST_VALUES (1000).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_VALUES } from '../../service/src/limits.ts';
import { createStore } from '../../service/src/store/index.ts';
import type { SqlStore } from '../../service/src/store/index.ts';
import { startTestPostgres } from '../pg-test-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APPLY_ITERATIONS = Number(process.env.BENCH_APPLY_ITERATIONS ?? 30);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const BURST_APPLIES = Number(process.env.BENCH_BURST_APPLIES ?? 30);
const BURST_VALUES = Number(process.env.BENCH_BURST_VALUES ?? MAX_VALUES);
const QUIET_SECONDS = 5;
const ACTOR = { 'X-Actor-Id': '005000000000001AAA', 'X-Actor-Name': 'Bench' };

export interface ServiceBenchRow {
    database: 'sqlite' | 'postgres';
    scenario: string;
    count: number;
    p50: number;
    p99: number;
    mean: number;
    throughput?: number;
    errors: number;
}

function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) {
        return Number.NaN;
    }
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[index] ?? Number.NaN;
}

function summarize(
    database: 'sqlite' | 'postgres',
    scenario: string,
    times: number[],
    errors: number,
    seconds?: number
): ServiceBenchRow {
    const sorted = [...times].sort((a, b) => a - b);
    return {
        database,
        scenario,
        count: times.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        mean: times.reduce((sum, time) => sum + time, 0) / Math.max(1, times.length),
        ...(seconds === undefined ? {} : { throughput: times.length / seconds }),
        errors
    };
}

/** Starts `service/src/main.ts` as a child process and resolves with its URL. */
function startServiceProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'service/src/main.ts'], {
            cwd: ROOT,
            env: { ...process.env, PORT: '0', NODE_ENV: 'production', STAGE_SERVICE_TEST_APPLY_DELAY_MS: '', ...env },
            stdio: ['ignore', 'pipe', 'inherit']
        });
        let pending = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
            pending += chunk;
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) {
                if (line.startsWith('{"') && line.includes('"msg":"listening"')) {
                    resolve({ url: (JSON.parse(line) as { url: string }).url, child });
                }
            }
        });
        child.once('exit', (code) => {
            reject(new Error(`The service exited (${String(code)}) before listening.`));
        });
    });
}

async function stopServiceProcess(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) {
        return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
}

async function post(
    url: string,
    apiKey: string,
    body: unknown,
    headers: Record<string, string> = {}
): Promise<{ status: number; ms: number; body: string }> {
    const started = performance.now();
    const response = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', ...ACTOR, ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
    });
    const text = await response.text();
    return { status: response.status, ms: performance.now() - started, body: text };
}

function picklist(count: number, prefix: string): { value: string; label: string }[] {
    return Array.from({ length: count }, (_, index) => ({
        value: `${prefix}_${index}`,
        label: `${prefix} Value ${index}`
    }));
}

async function benchApply(database: 'sqlite' | 'postgres', url: string, store: SqlStore): Promise<ServiceBenchRow[]> {
    const applyTimes: number[] = [];
    const undoTimes: number[] = [];
    let errors = 0;
    const warmup = 3;
    for (let iteration = 0; iteration < APPLY_ITERATIONS + warmup; iteration += 1) {
        // A fresh team each time: an empty family, so every iteration creates and maps exactly 1,000 stages.
        const team = await store.createTeam(`bench-${iteration}`);
        const applied = await post(
            `${url}/v1/scopes/Lead/Status/auto-map`,
            team.apiKey,
            { values: picklist(1000, 'Apply') },
            {
                'Idempotency-Key': `bench-${iteration}-${Date.now()}`
            }
        );
        const created =
            applied.status === 200
                ? (JSON.parse(applied.body) as { createdStages: unknown[]; run: { id: string } })
                : undefined;
        if (!created || created.createdStages.length !== 1000) {
            errors += 1;
            continue;
        }
        const undone = await post(`${url}/v1/runs/${created.run.id}/undo`, team.apiKey, undefined);
        if (undone.status !== 200) {
            errors += 1;
        }
        if (iteration >= warmup) {
            applyTimes.push(applied.ms);
            undoTimes.push(undone.ms);
        }
    }
    return [
        summarize(database, 'apply 1,000 values (1,000 stages created + mapped)', applyTimes, errors),
        summarize(database, 'undo that run (1,000 mappings + stages removed)', undoTimes, 0)
    ];
}

async function benchDryRuns(database: 'sqlite' | 'postgres', url: string, store: SqlStore): Promise<ServiceBenchRow> {
    const team = await store.createTeam('bench-load');
    // A family like a real one: 60 stages, some of which the 100-value scopes match.
    const seed = await post(
        `${url}/v1/scopes/Contact/Seed__c/auto-map`,
        team.apiKey,
        { values: picklist(60, 'Stage') },
        {
            'Idempotency-Key': `seed-${Date.now()}`
        }
    );
    if (seed.status !== 200) {
        throw new Error(`Seeding the load team failed: ${seed.status} ${seed.body}`);
    }
    const bodies = Array.from({ length: 8 }, (_, scope) => ({
        values: [...picklist(40, 'Stage'), ...picklist(60, `Scope${scope}`)],
        dryRun: true
    }));
    const times: number[] = [];
    let errors = 0;
    const deadline = performance.now() + LOAD_SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
            let request = 0;
            while (performance.now() < deadline) {
                const scope = (client + request) % bodies.length;
                request += 1;
                try {
                    const response = await post(
                        `${url}/v1/scopes/${scope % 2 === 0 ? 'Lead' : 'Contact'}/Load${scope}__c/auto-map`,
                        team.apiKey,
                        bodies[scope]
                    );
                    if (response.status === 200) {
                        times.push(response.ms);
                    } else {
                        errors += 1;
                    }
                } catch {
                    errors += 1;
                }
            }
        })
    );
    const seconds = (performance.now() - started) / 1000;
    return summarize(database, `${CLIENTS} clients, dry runs of 100 values, ${LOAD_SECONDS} s`, times, errors, seconds);
}

/** Team A reading its stages with two clients until `stop` says so: the latency of each read. */
async function readLoop(
    url: string,
    apiKey: string,
    stop: () => boolean
): Promise<{ times: number[]; errors: number }> {
    const times: number[] = [];
    let errors = 0;
    await Promise.all(
        Array.from({ length: 2 }, async () => {
            while (!stop()) {
                const started = performance.now();
                try {
                    const response = await fetch(`${url}/v1/stages?family=contact`, {
                        headers: { Authorization: `Bearer ${apiKey}` }
                    });
                    await response.arrayBuffer();
                    if (response.status === 200) {
                        times.push(performance.now() - started);
                    } else {
                        errors += 1;
                    }
                } catch {
                    errors += 1;
                }
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
        })
    );
    return { times, errors };
}

/** Team A's reads alone, then during team B's burst of big applies to one family. */
async function benchFairness(url: string, store: SqlStore): Promise<ServiceBenchRow[]> {
    const quiet = await store.createTeam('bench-quiet-a');
    const bursting = await store.createTeam('bench-burst-b');
    const seeded = await post(
        `${url}/v1/scopes/Contact/Quiet__c/auto-map`,
        quiet.apiKey,
        { values: picklist(12, 'Quiet') },
        { 'Idempotency-Key': `quiet-${Date.now()}` }
    );
    if (seeded.status !== 200) {
        throw new Error(`Seeding the quiet team failed: ${seeded.status} ${seeded.body}`);
    }
    const quietEnd = performance.now() + QUIET_SECONDS * 1000;
    const baseline = await readLoop(url, quiet.apiKey, () => performance.now() > quietEnd);

    const values = picklist(BURST_VALUES, 'Burst');
    let burstDone = false;
    const burstStarted = performance.now();
    const during = readLoop(url, quiet.apiKey, () => burstDone);
    const answers = await Promise.all(
        Array.from({ length: BURST_APPLIES }, (_, index) =>
            post(
                `${url}/v1/scopes/Lead/Burst${index}__c/auto-map`,
                bursting.apiKey,
                { values },
                { 'Idempotency-Key': `burst-${index}-${Date.now()}` }
            ).catch(() => ({ status: 0, ms: 0, body: '' }))
        )
    );
    burstDone = true;
    const duringBurst = await during;
    const seconds = (performance.now() - burstStarted) / 1000;
    const applied = answers.filter((answer) => answer.status === 200);
    const busy = answers.filter((answer) => answer.status === 503).length;
    const capped = answers.filter((answer) => answer.status === 409).length;
    const failed = answers.length - applied.length - busy - capped;
    return [
        summarize(
            'postgres',
            `team A reads its stages, alone (quiet baseline, ${QUIET_SECONDS} s)`,
            baseline.times,
            baseline.errors
        ),
        summarize(
            'postgres',
            `team A reads its stages during team B's burst (${seconds.toFixed(0)} s)`,
            duringBurst.times,
            duringBurst.errors
        ),
        summarize(
            'postgres',
            `team B: ${BURST_APPLIES} concurrent ${BURST_VALUES.toLocaleString('en-US')}-value applies, one family (${applied.length} applied, ${capped} refused at the family's caps, ${busy} answered 503 + Retry-After)`,
            applied.map((answer) => answer.ms),
            failed
        )
    ];
}

async function benchDatabase(database: 'sqlite' | 'postgres'): Promise<ServiceBenchRow[]> {
    let cleanup: () => Promise<void>;
    let env: Record<string, string>;
    let store: SqlStore;
    if (database === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'sam-bench-'));
        env = { DATA_DIR: dir, DATABASE_URL: '' };
        store = await createStore({ kind: 'sqlite', file: join(dir, 'stage-service.sqlite') });
        cleanup = () => {
            rmSync(dir, { recursive: true, force: true });
            return Promise.resolve();
        };
    } else {
        const server = await startTestPostgres();
        const db = await server.createDatabase();
        env = { DATABASE_URL: db.url };
        store = await createStore({ kind: 'postgres', url: db.url });
        cleanup = async () => {
            await db.drop();
            await server.stop();
        };
    }
    const { url, child } = await startServiceProcess(env);
    try {
        return [
            ...(await benchApply(database, url, store)),
            await benchDryRuns(database, url, store),
            ...(database === 'postgres' ? await benchFairness(url, store) : [])
        ];
    } finally {
        await stopServiceProcess(child);
        await store.close();
        await cleanup();
    }
}

/** Runs every scenario on both databases and returns the rows (also printed by {@link main}). */
export async function benchService(): Promise<ServiceBenchRow[]> {
    return [...(await benchDatabase('sqlite')), ...(await benchDatabase('postgres'))];
}

function formatTable(rows: readonly ServiceBenchRow[]): string {
    const header = ['database', 'scenario', 'n', 'p50 ms', 'p99 ms', 'mean ms', 'req/s', 'errors'];
    const body = rows.map((row) => [
        row.database,
        row.scenario,
        String(row.count),
        row.p50.toFixed(1),
        row.p99.toFixed(1),
        row.mean.toFixed(1),
        row.throughput === undefined ? '' : row.throughput.toFixed(0),
        String(row.errors)
    ]);
    const widths = header.map((title, column) =>
        Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length))
    );
    const line = (cells: string[]): string =>
        cells
            .map((cell, column) =>
                column >= 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)
            )
            .join('  ');
    return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

export async function main(): Promise<void> {
    const rows = await benchService();
    console.log(formatTable(rows));
    const sqliteApply = rows.find((row) => row.database === 'sqlite' && row.scenario.startsWith('apply'));
    const errors = rows.reduce((sum, row) => sum + row.errors, 0);
    console.log(
        `\nTargets: 1,000-value apply under 100 ms p50 on SQLite: ${sqliteApply ? `${sqliteApply.p50.toFixed(1)} ms` : 'n/a'}; no errors under load: ${errors} errors.`
    );
    const quiet = rows.find((row) => row.scenario.startsWith('team A reads its stages, alone'));
    const burst = rows.find((row) => row.scenario.startsWith("team A reads its stages during team B's burst"));
    if (quiet && burst) {
        console.log(
            `Fairness (PostgreSQL): team A's p99 read ${quiet.p99.toFixed(1)} ms alone, ${burst.p99.toFixed(1)} ms during team B's burst (p50 ${quiet.p50.toFixed(1)} -> ${burst.p50.toFixed(1)} ms).`
        );
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    await main();
}
