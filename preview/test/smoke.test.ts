/**
 * The local preview's pipeline end to end: the page builds from force-app's compiled bundles, the server serves it,
 * the setup page renders in Chromium with SLDS and synthetic shadow, platform toasts show, the preview's own
 * controls switch persona (custom permissions) and language by re-creating the component, and nothing reaches past
 * loopback.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_OUT_DIR, ROOT } from '../build.ts';
import { readCustomLabels } from '../labels.ts';
import { launchChromium, openPreview, screenshot, startSuitePreview } from './support.ts';
import type { PreviewSuite } from './support.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';

const LABELS = readCustomLabels(ROOT);
const NO_ACCESS_TITLE = LABELS.get('AutoMap_Access_NoAccessTitle') ?? 'AutoMap_Access_NoAccessTitle';
const READ_ONLY_TITLE = LABELS.get('AutoMap_Access_ReadOnlyTitle') ?? 'AutoMap_Access_ReadOnlyTitle';

describe('local preview: build, serve, render', () => {
    let suite: PreviewSuite;
    let browser: Browser;

    const resources = new TestResources();

    before(async () => {
        suite = resources.add('the preview', await startSuitePreview(), (started) => started.close());
        browser = resources.add('Chromium', await launchChromium(), (started) => started.close());
    });

    after(() => resources.closeAll());

    test('the build holds the page, the bundle, code-split icons and the SLDS stylesheet', () => {
        for (const file of ['index.html', 'main.js', 'assets/styles/salesforce-lightning-design-system.min.css']) {
            assert.ok(existsSync(join(DEFAULT_OUT_DIR, file)), `${file} is built`);
        }
        const main = readFileSync(join(DEFAULT_OUT_DIR, 'main.js'), 'utf8');
        assert.ok(!main.includes('import.meta.env'), 'import.meta.env is replaced at build time');
        assert.ok(!/\bprocess\.env\b/.test(main), 'process.env is replaced at build time');
    });

    test('the page renders the component in Chromium with nothing but loopback requests', async () => {
        const { context, page, blocked, errors } = await openPreview(browser, suite.preview);
        try {
            const root = page.locator('#preview-root > *').first();
            await root.waitFor();
            await page
                .getByRole('combobox', { name: /Salesforce field/ })
                .first()
                .waitFor();
            await screenshot(page, '00-preview-page');
            assert.deepEqual(blocked, [], 'no request left loopback');
            assert.deepEqual(errors, [], 'no page or console errors');
        } finally {
            await context.close();
        }
    });

    test('a platform toast event (lightning/platformShowToastEvent) is shown once, by lightning/toast', async () => {
        const { context, page, blocked, errors } = await openPreview(browser, suite.preview);
        try {
            await page.locator('#preview-root > *').first().waitFor();
            await page.evaluate(() => {
                const host = document.querySelector('#preview-root > *');
                host?.dispatchEvent(
                    new CustomEvent('lightning__showtoast', {
                        bubbles: true,
                        composed: true,
                        cancelable: true,
                        detail: {
                            title: 'Saved',
                            message: 'Platform toast for {0}',
                            messageData: ['Lead'],
                            variant: 'success'
                        }
                    })
                );
            });
            await page.getByText('Platform toast for Lead').waitFor();
            assert.equal(await page.getByText('Platform toast for Lead').count(), 1, 'shown exactly once');
            await screenshot(page, '00-platform-toast', { fullPage: false });
            assert.deepEqual(blocked, []);
            assert.deepEqual(errors, []);
        } finally {
            await context.close();
        }
    });

    test('the persona switch re-creates the component, the language switch reloads the page; both are remembered', async () => {
        const { context, page, blocked, errors } = await openPreview(browser, suite.preview);
        try {
            await page
                .getByRole('combobox', { name: /Salesforce field/ })
                .first()
                .waitFor();
            const first = await page.locator('#preview-root > *').first().elementHandle();
            await page.getByRole('combobox', { name: 'Preview persona' }).selectOption('readonly');
            await page.waitForFunction((previous) => document.querySelector('#preview-root > *') !== previous, first);
            assert.match(page.url(), /persona=readonly/);
            await page.getByRole('combobox', { name: 'Preview persona' }).selectOption('none');
            await page.getByRole('heading', { name: NO_ACCESS_TITLE }).waitFor();
            await page.getByRole('combobox', { name: 'Preview persona' }).selectOption('readonly');
            await page.getByRole('heading', { name: READ_ONLY_TITLE }).waitFor();
            // A language switch reloads, as in an org: the page's `@salesforce/i18n/lang` is fixed for its life.
            const reloaded = page.waitForEvent('load');
            await page.getByRole('combobox', { name: 'Demo org language' }).selectOption('de');
            await reloaded;
            assert.match(page.url(), /lang=de/);
            await page.getByRole('heading', { name: READ_ONLY_TITLE }).waitFor();
            assert.equal(await page.getByRole('combobox', { name: 'Preview persona' }).inputValue(), 'readonly');
            assert.equal(await page.getByRole('combobox', { name: 'Demo org language' }).inputValue(), 'de');
            assert.deepEqual(blocked, []);
            assert.deepEqual(errors, []);
        } finally {
            await context.close();
        }
    });
});
