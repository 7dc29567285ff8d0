/** Small helpers the scripts share: where the repository is, and running a command with its output shown. */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Salesforce CLI settings that keep it quiet and offline-safe (no telemetry, update checks or log files). */
export const SF_ENV: Record<string, string> = {
    SF_DISABLE_TELEMETRY: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_USE_PROGRESS_BAR: 'false',
    SF_DISABLE_LOG_FILE: 'true'
};

export interface RunResult {
    status: number;
    stdout: string;
    stderr: string;
}

/** Runs a command to completion and returns its output; `inherit` shows it live instead. */
export function run(
    command: string,
    args: string[],
    options: SpawnSyncOptions & { inherit?: boolean } = {}
): RunResult {
    const result = spawnSync(command, args, {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: options.inherit ? 'inherit' : 'pipe',
        maxBuffer: 64 * 1024 * 1024,
        ...options
    });
    if (result.error) {
        throw result.error;
    }
    return {
        status: result.status ?? 1,
        stdout: typeof result.stdout === 'string' ? result.stdout : '',
        stderr: typeof result.stderr === 'string' ? result.stderr : ''
    };
}

/** Path of an executable installed in node_modules/.bin. */
export function bin(name: string): string {
    return `${ROOT}node_modules/.bin/${name}`;
}
