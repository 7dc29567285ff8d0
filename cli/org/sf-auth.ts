/**
 * An org's instance URL and access token, from the Salesforce CLI's stored login for an alias
 * (`sf org display --target-org <alias> --json`) or from `SF_INSTANCE_URL` and `SF_ACCESS_TOKEN`.
 *
 * Salesforce CLI 2.146.3 (pinned here) redacts the access token in `sf org display` unless
 * `SF_TEMP_SHOW_SECRETS=true` is set, a workaround its authors say will be removed; when the token comes back
 * redacted anyway, it is read with `sf org auth show-access-token --json`, the command that replaces it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT, SF_ENV } from '../../scripts/lib/exec.ts';
import { CommandFailure, oneLineMessage } from '../errors.ts';
import type { OrgAuthSource } from './types.ts';

/** What a connection needs, and what the messages say about where it came from. */
export interface OrgAuth {
    instanceUrl: string;
    accessToken: string;
    /** The org's newest API version, when the Salesforce CLI said it. */
    apiVersion?: string;
    username?: string;
    /** How to get a fresh session when this one has expired, for the error message. */
    reloginHint: string;
    /** "org alias "x"" or "SF_INSTANCE_URL", for messages. */
    origin: string;
}

/** The `sf` the CLI runs when `SF_CLI_BIN` is not set: the repository's pinned one, else the one on the PATH. */
export function defaultSfBin(): string {
    const local = `${ROOT}node_modules/.bin/sf`;
    return existsSync(local) ? local : 'sf';
}

/** The connection of an auth source: runs the Salesforce CLI for an alias. */
export async function resolveOrgAuth(
    source: OrgAuthSource,
    options: { env: NodeJS.ProcessEnv; timeoutMs: number }
): Promise<OrgAuth> {
    if (source.kind === 'env') {
        return {
            instanceUrl: source.instanceUrl,
            accessToken: source.accessToken,
            reloginHint:
                'set SF_ACCESS_TOKEN to a fresh access token (for example from "sf org auth show-access-token")',
            origin: 'SF_INSTANCE_URL'
        };
    }
    return authFromSfAlias(source.alias, source.sfBin ?? defaultSfBin(), options);
}

interface SfJson {
    status?: unknown;
    name?: unknown;
    message?: unknown;
    result?: unknown;
}

interface SfRun {
    json: SfJson | undefined;
    exitCode: number;
    stderr: string;
}

const REDACTED = /^\[REDACTED\]|\s/;

async function authFromSfAlias(
    alias: string,
    sfBin: string,
    options: { env: NodeJS.ProcessEnv; timeoutMs: number }
): Promise<OrgAuth> {
    const display = await runSf(sfBin, ['org', 'display', '--target-org', alias, '--json'], alias, options);
    const result = okResult(display, alias, 'org display');
    const instanceUrl = text(result.instanceUrl);
    if (!instanceUrl || !/^https?:\/\//i.test(instanceUrl)) {
        throw new CommandFailure(
            `the Salesforce CLI's login for "${alias}" has no instance URL; log in again with "sf org login web --alias ${alias}"`
        );
    }
    let accessToken = text(result.accessToken);
    if (!accessToken || REDACTED.test(accessToken)) {
        const shown = await runSf(
            sfBin,
            ['org', 'auth', 'show-access-token', '--target-org', alias, '--json'],
            alias,
            options
        );
        accessToken = text(okResult(shown, alias, 'org auth show-access-token').accessToken);
    }
    if (!accessToken || REDACTED.test(accessToken)) {
        throw new CommandFailure(
            `the Salesforce CLI gave no access token for "${alias}"; log in again with "sf org login web --alias ${alias}"`
        );
    }
    const apiVersion = text(result.apiVersion);
    const username = text(result.username);
    return {
        instanceUrl: instanceUrl.replace(/\/+$/, ''),
        accessToken,
        ...(apiVersion ? { apiVersion } : {}),
        ...(username ? { username } : {}),
        reloginHint: `log in again with "sf org login web --alias ${alias}"`,
        origin: `org "${alias}"`
    };
}

function text(value: unknown): string | undefined {
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The `result` of a successful `--json` run, or the Salesforce CLI's own error turned into one clear line. */
function okResult(run: SfRun, alias: string, command: string): Record<string, unknown> {
    const { json } = run;
    const result = json?.result;
    if (json && json.status === 0 && typeof result === 'object' && result !== null) {
        return result as Record<string, unknown>;
    }
    const name = typeof json?.name === 'string' ? json.name : '';
    const message = typeof json?.message === 'string' ? cleanSfMessage(json.message) : '';
    if (
        /^(?:NamedOrgNotFound|NoAuthInfoFound|AuthInfoNotFound)/i.test(name) ||
        /No (?:authorization information|auth info) found/i.test(message)
    ) {
        throw new CommandFailure(
            `unknown org "${alias}": the Salesforce CLI has no login for it (log in with "sf org login web --alias ${alias}", list logins with "sf org list")`
        );
    }
    if (!json) {
        const said = oneLineMessage(run.stderr).slice(0, 300);
        throw new CommandFailure(
            `"sf ${command}" for "${alias}" failed (exit code ${run.exitCode}) without a JSON answer${said ? `: ${said}` : ''}`
        );
    }
    throw new CommandFailure(
        `the Salesforce CLI could not give the login for "${alias}": ${message || 'no reason given'}${name ? ` (${name})` : ''}`
    );
}

/** "Parsing --target-org \n\tNo authorization information found for x.\nSee more help with --help" → the reason. */
function cleanSfMessage(message: string): string {
    return oneLineMessage(
        message
            .replace(/^Parsing --[\w-]+\s*/i, '')
            .replace(/\s*See more help with --help\s*$/i, '')
            .replace(/\s+/g, ' ')
    );
}

/** Runs `sf ARGS` quietly (no telemetry, update checks, log files or colours) and reads its JSON answer. */
function runSf(
    sfBin: string,
    args: string[],
    alias: string,
    options: { env: NodeJS.ProcessEnv; timeoutMs: number }
): Promise<SfRun> {
    const env = { ...options.env, ...SF_ENV, SF_TEMP_SHOW_SECRETS: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };
    return new Promise((resolve, reject) => {
        execFile(
            sfBin,
            args,
            { env, encoding: 'utf8', timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
            (error, stdout, stderr) => {
                const spawnCode = error && typeof error.code === 'string' ? error.code : undefined;
                if (spawnCode === 'ENOENT') {
                    reject(
                        new CommandFailure(
                            `cannot run the Salesforce CLI: "${sfBin}" was not found (run "npm ci", install @salesforce/cli, or set SF_CLI_BIN)`
                        )
                    );
                    return;
                }
                if (spawnCode === 'EACCES') {
                    reject(new CommandFailure(`cannot run the Salesforce CLI: "${sfBin}" is not executable`));
                    return;
                }
                if (error?.killed) {
                    reject(
                        new CommandFailure(
                            `the Salesforce CLI did not answer within ${Math.round(options.timeoutMs / 1000)} s ("sf ${args.slice(0, 2).join(' ')} --target-org ${alias}")`
                        )
                    );
                    return;
                }
                const exitCode = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
                resolve({ json: parseSfJson(stdout), exitCode, stderr });
            }
        );
    });
}

/** The JSON object `--json` prints; tolerates anything printed around it (older CLIs warn on stdout). */
function parseSfJson(stdout: string): SfJson | undefined {
    const attempts = [stdout, stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1)];
    for (const attempt of attempts) {
        try {
            const parsed: unknown = JSON.parse(attempt);
            if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
                return parsed;
            }
        } catch {
            // try the next reading
        }
    }
    return undefined;
}
