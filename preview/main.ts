/**
 * `npm start`: builds the local preview when its inputs changed, starts the stage service (embedded SQLite, demo
 * team) and the page, prints the URL, the service's key and what to try, and stops everything on Ctrl-C.
 * `--picklists FILE` starts it on the picklists of FILE (what `automap export` writes) instead of the demo org's.
 *
 * Usage: tsx preview/main.ts [--picklists FILE] [--port N] [--reset] [--no-open]
 * Environment: PORT (page port), PREVIEW_DATA_DIR (default .data/preview), STAGE_SERVICE_URL + STAGE_SERVICE_API_KEY
 * (use a running stage service instead of the embedded one).
 * Exit codes: 0 stopped with Ctrl-C; 2 a picklists file the CLI refuses (nothing started); 1 anything else.
 */
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CliInputError } from '../cli/errors.ts';
import { ROOT } from './build.ts';
import { readDemoObjects } from './demoOrg.ts';
import { readPicklistsFile } from './picklists.ts';
import type { PicklistsFile } from './picklists.ts';
import { startPreview } from './server.ts';
import type { RunningPreview } from './server.ts';

const USAGE = 'Usage: npm start -- [--picklists FILE] [--port N] [--reset] [--no-open]';

const HELP = `${USAGE}

Starts the local preview: the Stage AutoMap setup page in a browser, an embedded stage service, no org needed.

  --picklists FILE  your own picklists instead of the demo org's: a JSON scenario, or an array of them, as
                    \`automap export\` writes (docs/cli.md):
                    { "id"?, "object": "Lead|Contact|Account", "field", "values": [{ "value", "label"?, "active"? }],
                      "stages"?: [{ "id", "name" }], "mappings"?: [{ "value", "stageId" }] }
                    Each becomes a picklist field of its object (values with "active": false left out, as the UI
                    API leaves them out); the page opens on the first. Its stages and mappings seed a stage service
                    team of the file's own (data in <data folder>/picklists-<hash>); without them, the scope starts
                    empty. E.g.: npm run --silent automap -- export --org my-org --object Lead --field Status \\
                                   --output lead-status.json && npm start -- --picklists lead-status.json
  --port N          the page's port (default PORT or 4317; 0 picks a free one)
  --reset           starts the embedded service afresh (the demo team, or the file's stages and mappings)
  --no-open         does not open a browser
  -h, --help        this text

Environment: PREVIEW_DATA_DIR (data folder, default .data/preview); STAGE_SERVICE_URL and STAGE_SERVICE_API_KEY
(call a running stage service instead of the embedded one; a picklists file's stages and mappings are then not copied).
`;

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

/** What the banner says about the picklists file: each field and its values, inactive ones named. */
function picklistsLines(file: PicklistsFile): string[] {
    const lines = [`  picklists: ${file.path} (instead of the demo org's fields of the same name)`];
    for (const scope of file.scopes) {
        const count = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
        const inactive =
            scope.inactive.length === 0
                ? ''
                : `; ${count(scope.inactive.length, 'inactive value')} left out, as the UI API lists active values only: ${scope.inactive
                      .slice(0, 5)
                      .map((value) => JSON.stringify(value))
                      .join(', ')}${scope.inactive.length > 5 ? ', ...' : ''}`;
        const state = scope.mappings.length > 0 ? `, ${count(scope.mappings.length, 'mapping')} from the file` : '';
        lines.push(`    ${scope.object}.${scope.field}: ${count(scope.values.length, 'value')}${state}${inactive}`);
    }
    return lines;
}

/** Where the service's data is and what key reaches it; with STAGE_SERVICE_URL the key is the admin's own. */
function serviceLines(preview: RunningPreview, reset: boolean): string[] {
    if (preview.dataDir === undefined) {
        return [
            `  stage service: ${preview.serviceUrl} (external, STAGE_SERVICE_URL)`,
            `  service key: yours, from STAGE_SERVICE_API_KEY${preview.picklists ? "; the file's stages and mappings were not copied into it" : ''}`
        ];
    }
    const inRepository = relative(ROOT, preview.dataDir);
    const folder = inRepository === '' ? '.' : inRepository.startsWith('..') ? preview.dataDir : inRepository;
    const fresh = preview.picklists
        ? preview.seeded
            ? "seeded from the file's stages and mappings"
            : 'kept from an earlier start on this file'
        : reset
          ? 'reset'
          : '';
    const scope = preview.org.focus ?? { object: 'Lead', field: 'Status' };
    return [
        `  stage service: ${preview.serviceUrl} (embedded, data in ${folder}${fresh ? `, ${fresh}` : ''}; --reset starts afresh)`,
        `  service key: ${preview.apiKey} (local only; e.g. curl -H "Authorization: Bearer ${preview.apiKey}" ${preview.serviceUrl}/v1/scopes/${scope.object}/${scope.field})`
    ];
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            picklists: { type: 'string' },
            port: { type: 'string' },
            reset: { type: 'boolean', default: false },
            'no-open': { type: 'boolean', default: false },
            help: { type: 'boolean', short: 'h', default: false }
        }
    });
    if (values.help) {
        console.log(HELP);
        return 0;
    }
    let port: number | undefined;
    if (values.port !== undefined) {
        port = Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
            throw new Error(`--port must be a port number (0 to 65535), got ${JSON.stringify(values.port)}.`);
        }
    }
    // Before anything starts: the CLI's checks, with its messages.
    const picklists =
        values.picklists === undefined ? undefined : readPicklistsFile(values.picklists, readDemoObjects(ROOT));
    const started = Date.now();
    console.log('Stage AutoMap preview: building the page (skipped when nothing changed) ...');
    const preview = await startPreview({
        ...(port === undefined ? {} : { port }),
        ...(picklists === undefined ? {} : { picklists }),
        reset: values.reset,
        log: (line) => {
            console.log(`  ${line}`);
        }
    });
    const focus = preview.org.focus;
    const tab = focus === undefined ? 'Leads' : `${focus.object}s`;
    console.log(
        [
            '',
            `Stage AutoMap preview: ${preview.url}   (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
            ...(preview.picklists ? picklistsLines(preview.picklists) : []),
            ...serviceLines(preview, values.reset),
            focus === undefined
                ? `  try: Lead > Lead Status > auto-map, then switch "Preview persona" to Read-only in the top bar.`
                : `  try: the ${tab} tab opens on ${focus.object}.${focus.field}: auto-map it, then map or rename by hand.`,
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
    return 0;
}

main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof CliInputError) {
        // A bad picklists file: nothing started; the CLI's message and exit code for bad input.
        console.error(`Stage AutoMap preview: ${message}`);
        process.exitCode = 2;
        return;
    }
    console.error(`Stage AutoMap preview failed: ${message}`);
    process.exitCode = 1;
});
