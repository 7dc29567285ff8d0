/**
 * The local preview's server: the built page (preview/dist) on localhost, the Apex stand-in at
 * `POST /apex/<Class>/<method>`, and the stage service it calls, started in-process with its embedded SQLite
 * default and the demo team, unless `STAGE_SERVICE_URL` (with `STAGE_SERVICE_API_KEY`) names a running service.
 *
 * With a picklists file (`npm start -- --picklists FILE`, preview/picklists.ts) the org is built from the file and
 * served at `GET /preview/org.json`; the page is told to read it from there (a meta element added to index.html,
 * so the build stays the same for every file), and the Apex stand-in describes the same objects. The embedded
 * service then keeps the file's own team in a data folder of its own, seeded with the file's stages and mappings.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { DEFAULT_DEMO_API_KEY, createStore, seedDemoTeam, silentLogger, startService } from '../service/src/index.ts';
import type { SqlStore } from '../service/src/index.ts';
import { ApexStandIn } from './apexStandIn.ts';
import type { ServiceCall } from './apexStandIn.ts';
import { DEFAULT_OUT_DIR, ROOT, buildPreview } from './build.ts';
import { readDemoObjects } from './demoOrg.ts';
import { buildPreviewOrg, demoPreviewOrg, readPicklistsFile, seedPicklistsTeam } from './picklists.ts';
import type { PicklistsFile, PreviewOrg } from './picklists.ts';

export const DEFAULT_PORT = 4317;
export const DEFAULT_DATA_DIR = join(ROOT, '.data/preview');
const SQLITE_FILE = 'stage-service.sqlite';
/** Where the page reads the org of a picklists file, and the element in index.html that says so. */
export const ORG_JSON_PATH = '/preview/org.json';
const ORG_META = `<meta name="stage-automap-org" content="${ORG_JSON_PATH}" />`;
/**
 * Where the Apex stand-in sends the calls of a page whose "Stage service down" switch is on: loopback port 9, where
 * nothing listens, so each callout fails at once as an unreachable service does (`StageService_Unreachable`).
 */
const UNREACHABLE_SERVICE_URL = 'http://127.0.0.1:9';
/** Aura refuses action payloads over about 4 MB; 1,000 values are about 100 KB. */
const MAX_APEX_BODY_BYTES = 4 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.gif': 'image/gif',
    '.woff2': 'font/woff2'
};

export interface PreviewOptions {
    /** Port of the page; default PORT or 4317; 0 picks a free one. */
    port?: number;
    /** A running stage service to use instead of the embedded one; default STAGE_SERVICE_URL. */
    serviceUrl?: string;
    /** Its API key; default STAGE_SERVICE_API_KEY, or the demo team's key for the embedded service. */
    apiKey?: string;
    /** Where the embedded service keeps its SQLite file; default PREVIEW_DATA_DIR or .data/preview. */
    dataDir?: string;
    /** Delete the embedded service's data first (a fresh demo team, or a fresh team seeded from the file). */
    reset?: boolean;
    /**
     * A picklists file (the CLI's scenario format), or one already read: the org is built from it, and the embedded
     * service keeps its team in `<dataDir>/picklists-<hash of the file's content>` under the key
     * `sam_local_picklists_<hash>` (unless `apiKey` says otherwise). Checked before anything starts.
     */
    picklists?: string | PicklistsFile;
    /** Build the page first when its inputs changed (default true). */
    build?: boolean;
    /** The built page; default preview/dist. */
    distDir?: string;
    /** Sees every call the Apex stand-in makes to the stage service (tests). */
    onServiceCall?: (call: ServiceCall) => void;
    /** Progress lines; default silent. */
    log?: (line: string) => void;
}

export interface RunningPreview {
    /** The page, e.g. http://127.0.0.1:4317/ */
    url: string;
    /** The stage service the Apex stand-in calls (embedded or external). */
    serviceUrl: string;
    /** The key the stand-in uses (the "Named Credential's"). */
    apiKey: string;
    /** True when the stage service runs in this process. */
    embeddedService: boolean;
    /** The embedded service's data directory (undefined for an external service). */
    dataDir: string | undefined;
    /** True when this start seeded the embedded service's team; false when it reused an earlier start's data. */
    seeded: boolean | undefined;
    /** The org the page and the Apex stand-in see (the demo org, or the one built from the picklists file). */
    org: PreviewOrg;
    /** The picklists file, when the preview runs on one. */
    picklists: PicklistsFile | undefined;
    /** Stops the page server and, when embedded, the stage service and its database. */
    close(): Promise<void>;
}

function envPort(): number | undefined {
    const value = process.env.PORT;
    if (value === undefined || value === '') {
        return undefined;
    }
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`PORT must be a port number (0 to 65535), got ${JSON.stringify(value)}.`);
    }
    return port;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store'
    });
    response.end(text);
}

function readBody(request: IncomingMessage): Promise<string | null> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let tooLarge = false;
        request.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_APEX_BODY_BYTES) {
                tooLarge = true;
            } else {
                chunks.push(chunk);
            }
        });
        request.on('end', () => {
            resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8'));
        });
        request.on('error', reject);
    });
}

/** index.html telling the UI API stub (preview/stubs/org.js) to read the org of a picklists file from the server. */
function withOrgMeta(html: Buffer): Buffer {
    return Buffer.from(html.toString('utf8').replace('</head>', `    ${ORG_META}\n    </head>`), 'utf8');
}

function serveStatic(
    distDir: string,
    pathname: string,
    response: ServerResponse,
    transform?: (body: Buffer) => Buffer
): void {
    let relativePath: string;
    try {
        relativePath = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
        response.writeHead(400).end();
        return;
    }
    const file = normalize(join(distDir, relativePath));
    if (!file.startsWith(distDir + sep) || !existsSync(file)) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
    }
    let body: Buffer;
    try {
        body = readFileSync(file);
        body = transform ? transform(body) : body;
    } catch {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
    }
    response.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        // Chunks carry a content hash; the rest is small and must follow rebuilds.
        'Cache-Control': file.includes(`${sep}chunks${sep}`) ? 'max-age=31536000, immutable' : 'no-cache'
    });
    response.end(body);
}

function removeDatabase(dataDir: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
        rmSync(join(dataDir, `${SQLITE_FILE}${suffix}`), { force: true });
    }
}

/**
 * Starts the embedded stage service on a free loopback port, its SQLite file under `dataDir`, after `seed` has
 * created its team (or found it there from an earlier start).
 */
async function startEmbeddedService(
    dataDir: string,
    reset: boolean,
    seed: (store: SqlStore) => Promise<{ seeded: boolean }>,
    discardOnFailure = false
): Promise<{ url: string; seeded: boolean; close: () => Promise<void> }> {
    if (reset) {
        removeDatabase(dataDir);
    }
    mkdirSync(dataDir, { recursive: true });
    const store = await createStore({ kind: 'sqlite', file: join(dataDir, SQLITE_FILE), logger: silentLogger() });
    try {
        const { seeded } = await seed(store);
        const service = await startService({ store, port: 0, host: '127.0.0.1', logger: silentLogger() });
        return {
            url: service.url,
            seeded,
            close: async () => {
                await service.close();
                await store.close();
            }
        };
    } catch (error) {
        await store.close();
        if (discardOnFailure) {
            // A team seeded halfway must not pass for the file's state at the next start.
            removeDatabase(dataDir);
        }
        throw error;
    }
}

export async function startPreview(options: PreviewOptions = {}): Promise<RunningPreview> {
    const log = options.log ?? ((): void => undefined);
    const demo = readDemoObjects(ROOT);
    // Before anything starts: a file the CLI refuses is refused here, with the CLI's message.
    const picklists =
        typeof options.picklists === 'string' ? readPicklistsFile(options.picklists, demo) : options.picklists;
    const org = picklists === undefined ? demoPreviewOrg(demo) : buildPreviewOrg(demo, picklists);
    const distDir = normalize(options.distDir ?? DEFAULT_OUT_DIR);
    if (options.build ?? true) {
        await buildPreview({ outDir: distDir, log });
    }
    if (!existsSync(join(distDir, 'index.html'))) {
        throw new Error(`${distDir} holds no built preview; run \`npx tsx preview/build.ts\`.`);
    }

    const externalUrl = options.serviceUrl ?? (process.env.STAGE_SERVICE_URL || undefined);
    let serviceUrl: string;
    let apiKey: string;
    let closeService = (): Promise<void> => Promise.resolve();
    let dataDir: string | undefined;
    let seeded: boolean | undefined;
    if (externalUrl !== undefined) {
        const key = options.apiKey ?? (process.env.STAGE_SERVICE_API_KEY || undefined);
        if (key === undefined) {
            throw new Error(
                `STAGE_SERVICE_URL names ${externalUrl}; set STAGE_SERVICE_API_KEY to its team's API key too.`
            );
        }
        serviceUrl = externalUrl.replace(/\/+$/, '');
        apiKey = key;
    } else {
        const baseDir = options.dataDir ?? (process.env.PREVIEW_DATA_DIR || DEFAULT_DATA_DIR);
        const reset = options.reset ?? false;
        let service: Awaited<ReturnType<typeof startEmbeddedService>>;
        if (picklists === undefined) {
            apiKey = options.apiKey ?? DEFAULT_DEMO_API_KEY;
            dataDir = baseDir;
            const key = apiKey;
            service = await startEmbeddedService(dataDir, reset, (store) => seedDemoTeam(store, key));
        } else {
            // A team and a database of the file's own: never the demo team's data, never another file's.
            apiKey = options.apiKey ?? `sam_local_picklists_${picklists.hash}`;
            dataDir = join(baseDir, `picklists-${picklists.hash}`);
            const key = apiKey;
            service = await startEmbeddedService(
                dataDir,
                reset,
                (store) => seedPicklistsTeam(store, key, picklists),
                true
            );
        }
        serviceUrl = service.url;
        seeded = service.seeded;
        closeService = service.close;
    }

    const standIn = new ApexStandIn({
        serviceUrl,
        apiKey,
        root: ROOT,
        objects: org.objects,
        ...(options.onServiceCall ? { onServiceCall: options.onServiceCall } : {})
    });

    // The same controller with a service that cannot be reached: the page's "Stage service down" switch.
    const standInWithoutService = new ApexStandIn({
        serviceUrl: UNREACHABLE_SERVICE_URL,
        apiKey,
        root: ROOT,
        objects: org.objects
    });

    async function handleApex(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
        const [, , className = '', methodName = ''] = pathname.split('/').map((part) => decodeURIComponent(part));
        const text = await readBody(request);
        if (text === null) {
            sendJson(response, 413, { message: 'The request is too large for an Apex action (about 4 MB).' });
            return;
        }
        let params: unknown;
        try {
            params = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
            sendJson(response, 400, { message: 'The Apex action parameters are not valid JSON.' });
            return;
        }
        const persona = request.headers['x-preview-persona'];
        const controller = request.headers['x-preview-service'] === 'down' ? standInWithoutService : standIn;
        const language = request.headers['x-preview-language'];
        const answer = await controller.invoke(
            className,
            methodName,
            params,
            typeof persona === 'string' ? persona : undefined,
            typeof language === 'string' ? language : undefined
        );
        sendJson(response, answer.status, answer.body);
    }

    const server = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        const method = request.method ?? 'GET';
        if (url.pathname.startsWith('/apex/')) {
            if (method !== 'POST') {
                response.writeHead(405, { Allow: 'POST' }).end();
                return;
            }
            handleApex(request, response, url.pathname).catch((error: unknown) => {
                log(`Apex stand-in failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
                if (!response.headersSent) {
                    sendJson(response, 500, { message: 'The preview server failed; see its console.' });
                }
            });
            return;
        }
        if (method !== 'GET' && method !== 'HEAD') {
            response.writeHead(405, { Allow: 'GET, HEAD' }).end();
            return;
        }
        if (url.pathname === ORG_JSON_PATH) {
            sendJson(response, 200, org);
            return;
        }
        const isPage = url.pathname === '/' || url.pathname === '/index.html';
        serveStatic(distDir, url.pathname, response, isPage && picklists !== undefined ? withOrgMeta : undefined);
    });

    const port = options.port ?? envPort() ?? DEFAULT_PORT;
    try {
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, '127.0.0.1', () => {
                server.off('error', reject);
                resolve();
            });
        });
    } catch (error) {
        await closeService();
        const code = (error as { code?: unknown }).code;
        throw new Error(
            code === 'EADDRINUSE'
                ? `Port ${port} is in use (another \`npm start\`?). Stop it, or choose another port with --port or PORT.`
                : `The preview cannot listen on port ${port}: ${error instanceof Error ? error.message : String(error)}`
        );
    }
    const address = server.address() as AddressInfo;
    let closed = false;
    return {
        url: `http://127.0.0.1:${address.port}/`,
        serviceUrl,
        apiKey,
        embeddedService: externalUrl === undefined,
        dataDir,
        seeded,
        org,
        picklists,
        close: async () => {
            if (closed) {
                return;
            }
            closed = true;
            await new Promise<void>((resolve) => {
                server.close(() => {
                    resolve();
                });
                server.closeAllConnections();
            });
            await closeService();
        }
    };
}
