/**
 * The preview server and `npm start`'s entry (preview/main.ts): the embedded stage service keeps its data between
 * runs unless reset, `STAGE_SERVICE_URL` points the Apex stand-in at another running service, the static server
 * stays inside preview/dist, and Ctrl-C stops everything.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createStore, seedDemoTeam, silentLogger, startService } from '../../service/src/index.ts';
import type { RunningService, SqlStore } from '../../service/src/index.ts';
import { ROOT, buildPreview } from '../build.ts';
import { startPreview } from '../server.ts';
import type { RunningPreview } from '../server.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';

async function callApex(
    preview: RunningPreview,
    method: string,
    params: unknown,
    persona = 'admin'
): Promise<Response> {
    return fetch(new URL(`/apex/StageAutoMapController/${method}`, preview.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Preview-Persona': persona },
        body: JSON.stringify(params)
    });
}

async function mappingsOf(preview: RunningPreview): Promise<{ value: string }[]> {
    const response = await callApex(preview, 'getScopeState', { objectApiName: 'Lead', fieldApiName: 'Status' });
    assert.equal(response.status, 200);
    // The Apex hands the scope state over as the service's JSON text.
    return (JSON.parse((await response.json()) as string) as { mappings: { value: string }[] }).mappings;
}

async function mapOpenToInterested(preview: RunningPreview): Promise<void> {
    const text = (await (
        await callApex(preview, 'getScopeState', { objectApiName: 'Lead', fieldApiName: 'Status' })
    ).json()) as string;
    const state = JSON.parse(text) as { stages: { id: string; name: string }[] };
    const interested = state.stages.find((stage) => stage.name === 'Interested');
    assert.ok(interested);
    const response = await callApex(preview, 'setMapping', {
        objectApiName: 'Lead',
        fieldApiName: 'Status',
        value: 'Open - Not Contacted',
        stageId: interested.id
    });
    assert.equal(response.status, 200, await response.clone().text());
}

function restoreEnv(name: 'STAGE_SERVICE_URL' | 'STAGE_SERVICE_API_KEY', value: string | undefined): void {
    if (value === undefined) {
        Reflect.deleteProperty(process.env, name);
    } else {
        process.env[name] = value;
    }
}

describe('preview server and npm start', () => {
    let dataDir: string;

    before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'stage-automap-preview-server-'));
        await buildPreview();
    });

    after(() => {
        rmSync(dataDir, { recursive: true, force: true });
    });

    test('a second run reuses the embedded service data; --reset starts from a fresh demo team', async () => {
        const first = await startPreview({ port: 0, dataDir, build: false });
        assert.ok(first.embeddedService);
        await mapOpenToInterested(first);
        await first.close();
        await assert.rejects(fetch(`${first.serviceUrl}/v1/health`), 'the embedded service stopped with the preview');

        const second = await startPreview({ port: 0, dataDir, build: false });
        assert.deepEqual(
            (await mappingsOf(second)).map((mapping) => mapping.value),
            ['Open - Not Contacted']
        );
        await second.close();

        const reset = await startPreview({ port: 0, dataDir, build: false, reset: true });
        assert.deepEqual(await mappingsOf(reset), []);
        await reset.close();
    });

    describe('with STAGE_SERVICE_URL naming another running service', () => {
        let store: SqlStore;
        let service: RunningService;
        let serviceDir: string;

        const resources = new TestResources();

        before(async () => {
            serviceDir = mkdtempSync(join(tmpdir(), 'stage-automap-external-'));
            resources.defer('the service folder', () => {
                rmSync(serviceDir, { recursive: true, force: true });
            });
            store = resources.add(
                'the store',
                await createStore({ kind: 'sqlite', file: join(serviceDir, 's.sqlite'), logger: silentLogger() }),
                (started) => started.close()
            );
            await seedDemoTeam(store, 'external-team-key');
            service = resources.add(
                'the service',
                await startService({ store, port: 0, host: '127.0.0.1', logger: silentLogger() }),
                (started) => started.close()
            );
        });

        after(() => resources.closeAll());

        test('the Apex stand-in calls that service with its key, and nothing is embedded', async () => {
            const previous = { url: process.env.STAGE_SERVICE_URL, key: process.env.STAGE_SERVICE_API_KEY };
            process.env.STAGE_SERVICE_URL = `${service.url}/`;
            process.env.STAGE_SERVICE_API_KEY = 'external-team-key';
            try {
                const preview = await startPreview({ port: 0, dataDir, build: false });
                assert.equal(preview.embeddedService, false);
                assert.equal(preview.serviceUrl, service.url);
                await mapOpenToInterested(preview);
                await preview.close();
                const response = await fetch(`${service.url}/v1/scopes/Lead/Status`, {
                    headers: { Authorization: 'Bearer external-team-key' }
                });
                const state = (await response.json()) as { mappings: { value: string }[] };
                assert.equal(state.mappings[0]?.value, 'Open - Not Contacted');
                // Who made it is stored with the mapping (a scope state does not list it).
                const made = await store.db.transaction('read', (tx) =>
                    tx.get<{ created_by_name: string }>('SELECT created_by_name FROM mappings WHERE value = ?', [
                        'Open - Not Contacted'
                    ])
                );
                assert.equal(made?.created_by_name, 'Ada Admin');

                delete process.env.STAGE_SERVICE_API_KEY;
                await assert.rejects(startPreview({ port: 0, dataDir, build: false }), /STAGE_SERVICE_API_KEY/);
            } finally {
                restoreEnv('STAGE_SERVICE_URL', previous.url);
                restoreEnv('STAGE_SERVICE_API_KEY', previous.key);
            }
        });
    });

    test('the page server serves only preview/dist and the Apex stand-in, and says when the port is taken', async () => {
        const preview = await startPreview({ port: 0, dataDir, build: false });
        try {
            const page = await fetch(preview.url);
            assert.equal(page.status, 200);
            assert.match(page.headers.get('content-type') ?? '', /text\/html/);
            assert.equal((await fetch(new URL('/%2e%2e/package.json', preview.url))).status, 404);
            assert.equal((await fetch(new URL('/nope.js', preview.url))).status, 404);
            assert.equal((await fetch(new URL('/apex/StageAutoMapController/getAccess', preview.url))).status, 405);
            assert.equal((await callApex(preview, 'dropEverything', {})).status, 404);
            const access = await callApex(preview, 'getAccess', {}, 'readonly');
            assert.deepEqual(await access.json(), { canEdit: false, canView: true });

            const port = Number(new URL(preview.url).port);
            await assert.rejects(
                startPreview({ port, dataDir: join(dataDir, 'other'), build: false }),
                /Port \d+ is in use/
            );
        } finally {
            await preview.close();
        }
    });

    test('npm start (preview/main.ts) prints the URL and a hint, and Ctrl-C stops it cleanly', async () => {
        // A free port for the child, found by binding port 0 once.
        const probe = createServer();
        await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
        const port = (probe.address() as AddressInfo).port;
        await new Promise<void>((resolve) => {
            probe.close(() => {
                resolve();
            });
        });

        const child = spawn(
            process.execPath,
            ['--import', 'tsx', 'preview/main.ts', '--port', String(port), '--no-open'],
            {
                cwd: ROOT,
                env: { ...process.env, PREVIEW_DATA_DIR: dataDir },
                stdio: ['ignore', 'pipe', 'pipe']
            }
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
        });
        child.stderr.on('data', (chunk: Buffer) => {
            output += chunk.toString();
        });
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        const deadline = Date.now() + 60000;
        while (!output.includes('Ctrl-C stops') && Date.now() < deadline && child.exitCode === null) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.match(output, new RegExp(`http://127\\.0\\.0\\.1:${port}/`), output);
        assert.match(output, /try: /);
        assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
        child.kill('SIGINT');
        assert.equal(await exited, 0, output);
        assert.match(output, /Stopped\./);
        await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'the page server is down');
    });
});
