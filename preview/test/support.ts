/**
 * What every browser test of the preview shares: Debian's Chromium (never a downloaded browser) with every
 * non-local request blocked and counted, a preview with a fresh stage service per suite, screenshots by step
 * under test-output/screenshots, and a small client of the stage service (the demo team's key) to set up and check
 * its state.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../build.ts';
import { startPreview } from '../server.ts';
import type { RunningPreview } from '../server.ts';
import type { ServiceCall } from '../apexStandIn.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS_DIR = join(ROOT, 'test-output/screenshots');

/**
 * Flags that keep Chromium off the network: no background services, every host name resolving nowhere except
 * loopback, and a dead proxy for anything that still tries. (Chromium bypasses the proxy for loopback by itself;
 * `--proxy-bypass-list=<-loopback>` would send localhost through the dead proxy too.)
 */
export const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    '--proxy-server=127.0.0.1:9'
];

export function launchChromium(): Promise<Browser> {
    if (!existsSync(CHROMIUM)) {
        throw new Error(
            `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); never a downloaded browser.`
        );
    }
    return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface PreviewPage {
    context: BrowserContext;
    page: Page;
    /** Requests to anything but loopback, aborted. A test asserts this stays empty. */
    blocked: string[];
    /** Uncaught errors and console errors of the page. */
    errors: string[];
}

/** A fresh browser context (own localStorage) on the preview, with the network fenced to loopback. */
export async function openPreview(
    browser: Browser,
    preview: RunningPreview,
    query: Record<string, string> = {}
): Promise<PreviewPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const blocked: string[] = [];
    const errors: string[] = [];
    await context.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
            await route.continue();
        } else {
            blocked.push(url.href);
            await route.abort('blockedbyclient');
        }
    });
    // Every step answers within a second or two here; a missing element should fail fast, not after 30 s.
    context.setDefaultTimeout(10000);
    const page = await context.newPage();
    page.on('pageerror', (error) => {
        errors.push(`pageerror: ${error.message}`);
    });
    page.on('console', (message) => {
        if (message.type() === 'error') {
            errors.push(`console: ${message.text()}`);
        }
    });
    const url = new URL(preview.url);
    for (const [key, value] of Object.entries(query)) {
        url.searchParams.set(key, value);
    }
    await page.goto(url.href);
    return { context, page, blocked, errors };
}

/**
 * Saves a screenshot named by the step, e.g. `05-first-auto-map-result.png`: the whole page, or only the viewport
 * while a modal is open (its backdrop covers the viewport only).
 */
export async function screenshot(page: Page, step: string, options: { fullPage?: boolean } = {}): Promise<string> {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const path = join(SCREENSHOTS_DIR, `${step}.png`);
    await page.screenshot({ path, fullPage: options.fullPage ?? true, animations: 'disabled' });
    return path;
}

export interface PreviewSuite {
    preview: RunningPreview;
    calls: ServiceCall[];
    dataDir: string;
    close(): Promise<void>;
}

/** A preview on a free port with its own, empty data directory (a freshly seeded demo team). */
export async function startSuitePreview(): Promise<PreviewSuite> {
    const dataDir = mkdtempSync(join(tmpdir(), 'stage-automap-preview-'));
    const calls: ServiceCall[] = [];
    const preview = await startPreview({
        port: 0,
        dataDir,
        reset: true,
        onServiceCall: (call) => {
            calls.push(call);
        }
    });
    return {
        preview,
        calls,
        dataDir,
        close: async () => {
            await preview.close();
            rmSync(dataDir, { recursive: true, force: true });
        }
    };
}

export interface ServiceStage {
    id: string;
    name: string;
    family: string;
    recordCount: number;
}

export interface ServiceScopeState {
    version: number;
    stages: ServiceStage[];
    mappings: {
        value: string;
        stageId: string;
        source: string;
        runId: string | null;
        label?: string;
        labelLanguage?: string;
    }[];
    lastRun: { id: string; undoneAt: string | null } | null;
}

/** The stage service, called directly with the demo team's key: to arrange a test and to check what it did. */
export class ServiceClient {
    private readonly baseUrl: string;
    private readonly apiKey: string;

    constructor(preview: RunningPreview) {
        this.baseUrl = preview.serviceUrl;
        this.apiKey = preview.apiKey;
    }

    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
        const response = await fetch(`${this.baseUrl}${path}`, {
            method,
            headers: {
                Authorization: `Bearer ${this.apiKey}`,
                'X-Actor-Id': 'test-setup',
                'X-Actor-Name': 'Test setup',
                ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) })
        });
        const text = await response.text();
        if (!response.ok) {
            throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
        }
        return JSON.parse(text) as T;
    }

    scope(object: string, field: string): Promise<ServiceScopeState> {
        return this.request<ServiceScopeState>('GET', `/v1/scopes/${object}/${field}`);
    }

    createStage(family: 'contact' | 'account', name: string): Promise<ServiceStage> {
        return this.request<ServiceStage>('POST', '/v1/stages', { family, name });
    }

    setMapping(object: string, field: string, value: string, stageId: string): Promise<ServiceScopeState> {
        return this.request<ServiceScopeState>('PUT', `/v1/scopes/${object}/${field}/mappings`, { value, stageId });
    }

    async stageNamed(family: 'contact' | 'account', name: string): Promise<ServiceStage | undefined> {
        const { stages } = await this.request<{ stages: ServiceStage[] }>('GET', `/v1/stages?family=${family}`);
        return stages.find((stage) => stage.name === name);
    }
}
