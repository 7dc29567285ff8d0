/**
 * `npm start`: builds the local preview when its inputs changed, starts the stage service (embedded SQLite, demo
 * team) and the page, prints the URL and what to try, and stops everything on Ctrl-C.
 *
 * Usage: tsx preview/main.ts [--port N] [--reset] [--no-open]
 * Environment: PORT (page port), PREVIEW_DATA_DIR (default .data/preview), STAGE_SERVICE_URL + STAGE_SERVICE_API_KEY
 * (use a running stage service instead of the embedded one).
 */
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './build.ts';
import { startPreview } from './server.ts';

function openBrowser(url: string): void {
    // Only where a desktop is likely; CI and containers have none, and a failure to open changes nothing.
    if (process.env.CI || (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)) {
        return;
    }
    const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    try {
        const child = spawn(command, [url], { stdio: 'ignore', detached: true });
        child.on('error', () => undefined);
        child.unref();
    } catch {
        // Not opened; the URL is printed anyway.
    }
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            port: { type: 'string' },
            reset: { type: 'boolean', default: false },
            'no-open': { type: 'boolean', default: false },
            help: { type: 'boolean', short: 'h', default: false }
        }
    });
    if (values.help) {
        console.log('Usage: npm start -- [--port N] [--reset] [--no-open]');
        return;
    }
    let port: number | undefined;
    if (values.port !== undefined) {
        port = Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
            throw new Error(`--port must be a port number (0 to 65535), got ${JSON.stringify(values.port)}.`);
        }
    }
    const started = Date.now();
    console.log('Stage AutoMap preview: building the page (skipped when nothing changed) ...');
    const preview = await startPreview({
        ...(port === undefined ? {} : { port }),
        reset: values.reset,
        log: (line) => {
            console.log(`  ${line}`);
        }
    });
    const where =
        preview.dataDir === undefined
            ? 'external (STAGE_SERVICE_URL)'
            : `embedded, data in ${relative(ROOT, preview.dataDir) || '.'}${values.reset ? ' (reset)' : ''}; --reset starts afresh`;
    console.log(
        [
            '',
            `Stage AutoMap preview: ${preview.url}   (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
            `  stage service: ${preview.serviceUrl} (${where})`,
            `  try: Lead > Lead Status > auto-map, then switch "Preview persona" to Read-only in the top bar.`,
            '  Ctrl-C stops.',
            ''
        ].join('\n')
    );
    if (!values['no-open']) {
        openBrowser(preview.url);
    }
    let stopping = false;
    const stop = (): void => {
        if (stopping) {
            return;
        }
        stopping = true;
        console.log('\nStopping the preview ...');
        preview.close().then(
            () => {
                console.log('Stopped.');
                process.exit(0);
            },
            (error: unknown) => {
                console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
                process.exit(1);
            }
        );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
    console.error(`Stage AutoMap preview failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
});
