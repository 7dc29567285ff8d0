/**
 * The local preview's speed figure (issue 7): the first render of a 1,000-value auto-map preview in Chromium. The
 * demo org's `?scenario=large` adds Contact.Bench_Status__c with 1,000 values; each run opens a fresh page, opens
 * the wizard on that field, and times from the click on "Preview" (the scope's state read through the Apex
 * stand-in from the real stage service, the plan made by the engine in the browser) until the table's 1,000th row
 * is visible. The median of the runs is printed; figures only, no pass or fail.
 *
 * Standalone: `npx tsx scripts/bench/preview-bench.ts` (needs `npm run build` first, like the preview).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from '../../preview/build.ts';
import { LARGE_FIELD_LABEL, LARGE_FIELD_SIZE } from '../../preview/demoOrg.ts';
import { readCustomLabels } from '../../preview/labels.ts';
import { startPreview } from '../../preview/server.ts';
import { launchChromium } from '../../preview/test/support.ts';

const RUNS = 5;

function median(samples: readonly number[]): number {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function labelOf(labels: Map<string, string>, name: string): string {
    const value = labels.get(name);
    if (value === undefined) {
        throw new Error(`Custom Label ${name} is missing; the bench follows the wizard's labels.`);
    }
    return value;
}

interface Sample {
    /** Preview click to the 1,000th row. */
    totalMs: number;
    /** Of which the getScopeState round trip (page -> Apex stand-in -> stage service -> page). */
    apexMs: number;
}

/** One run: the milliseconds from the Preview click to the 1,000th row on screen, and the Apex share of them. */
async function measureOnce(page: Page, labels: Map<string, string>): Promise<Sample> {
    const button = (name: string): Locator => page.getByRole('button', { name: labelOf(labels, name), exact: true });
    // The Contacts tab opens first; its panel selects a status-like custom picklist (ours sorts first). Clicks wait
    // until their button is enabled.
    await button('AutoMap_Panel_GetStarted').click();
    await button('AutoMap_Button_Proceed').click();
    const dialog = page.getByRole('dialog');
    const fieldCombobox = dialog.getByRole('combobox', { name: labelOf(labels, 'AutoMap_FieldPicker_Label') });
    await fieldCombobox.waitFor();
    if (!(await fieldCombobox.inputValue().catch(() => '')).startsWith(LARGE_FIELD_LABEL)) {
        await fieldCombobox.click();
        await dialog.getByRole('option', { name: new RegExp(`^${escapeRegExp(LARGE_FIELD_LABEL)}`) }).click();
    }
    const preview = button('AutoMap_Button_Preview');
    // Preview is enabled once the field's values are loaded: the clock starts after that.
    await waitEnabled(preview);
    const lastRow = page.locator('c-auto-map-preview-table tbody tr').nth(LARGE_FIELD_SIZE - 1);
    const apexCall = page.waitForRequest((request) => request.url().endsWith('/StageAutoMapController/getScopeState'));
    const started = performance.now();
    await preview.click();
    // Visible in Playwright's sense (laid out with a size), also below the scroll region's fold.
    await lastRow.waitFor({ state: 'visible', timeout: 60000 });
    const totalMs = performance.now() - started;
    const timing = (await apexCall).timing();
    return { totalMs, apexMs: timing.responseEnd };
}

async function waitEnabled(locator: Locator, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await locator.waitFor();
    while (!(await locator.isEnabled())) {
        if (Date.now() > deadline) {
            throw new Error('The button stayed disabled.');
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function benchPreview(
    runs = RUNS
): Promise<{ medianMs: number; medianApexMs: number; samples: Sample[]; buildMs: number }> {
    const labels = readCustomLabels(ROOT);
    const dataDir = mkdtempSync(join(tmpdir(), 'stage-automap-preview-bench-'));
    const buildStarted = Date.now();
    const preview = await startPreview({ port: 0, dataDir, reset: true });
    const buildMs = Date.now() - buildStarted;
    const browser = await launchChromium();
    const samples: Sample[] = [];
    try {
        for (let run = 0; run < runs; run += 1) {
            const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
            await context.route('**/*', async (route) => {
                const host = new URL(route.request().url()).hostname;
                await (host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort());
            });
            const page = await context.newPage();
            await page.goto(`${preview.url}?scenario=large&persona=admin`);
            samples.push(await measureOnce(page, labels));
            await context.close();
        }
    } finally {
        await browser.close();
        await preview.close();
        rmSync(dataDir, { recursive: true, force: true });
    }
    return {
        medianMs: median(samples.map((sample) => sample.totalMs)),
        medianApexMs: median(samples.map((sample) => sample.apexMs)),
        samples,
        buildMs
    };
}

export async function main(): Promise<void> {
    const { medianMs, medianApexMs, samples, buildMs } = await benchPreview();
    console.log(
        `Preview: first render of a ${LARGE_FIELD_SIZE.toLocaleString('en-US')}-value auto-map preview in Chromium ` +
            `(click on Preview -> last row rendered; state via the Apex stand-in, plan by the engine in the page)`
    );
    console.log(`  median ${medianMs.toFixed(0)} ms over ${samples.length} runs`);
    console.log(`  runs   ${samples.map((sample) => sample.totalMs.toFixed(0)).join(', ')} ms`);
    console.log(`  of which the getScopeState round trip: median ${medianApexMs.toFixed(0)} ms`);
    console.log(`  (preview start incl. build or cache check: ${buildMs} ms)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
    await main();
}
