/**
 * Runs Salesforce Code Analyzer's PMD engine over the package's Apex, as a library (the `sf code-analyzer` plugin
 * cannot be installed from this registry, but its core and PMD engine can; they need Java 11+).
 *
 * Every PMD rule for Apex runs, the AppExchange security rules included. A finding blocks when its severity is 1
 * (Critical) or 2 (High), or when the rule is tagged Security whatever its default severity: a security reviewer reads
 * `without sharing` (PMD's ApexSharingViolations, severity 3 by default) as seriously as SOQL injection.
 * Lower-severity findings are printed as advice and do not block.
 *
 * When the analyzer cannot run (no Java, an engine error), this throws `AnalyzerUnavailableError`: a check that cannot
 * look must fail, never pass.
 *
 * Usage: tsx scripts/check-apex-pmd.ts [file-or-folder ...]   (default: force-app)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CodeAnalyzer, CodeAnalyzerConfig, EventType, LogLevel, SeverityLevel } from '@salesforce/code-analyzer-core';
import type { EngineLogEvent, LogEvent, Violation } from '@salesforce/code-analyzer-core';
import * as pmdEngine from '@salesforce/code-analyzer-pmd-engine';
import { ROOT } from './lib/exec.ts';

/** One finding, located and explained. */
export interface PmdFinding {
    file: string;
    line: number;
    column: number;
    rule: string;
    severity: number;
    tags: string[];
    message: string;
    blocking: boolean;
}

export interface PmdReport {
    /** Apex files the engine was pointed at. */
    files: number;
    /** Apex rules that ran. */
    rules: number;
    findings: PmdFinding[];
    blocking: PmdFinding[];
}

/** The analyzer could not run; the message says why and what to install or fix. */
export class AnalyzerUnavailableError extends Error {
    override name = 'AnalyzerUnavailableError';
}

/** Rules chosen: every PMD rule whose language is Apex (Recommended, AppExchange and the rest). */
const RULE_SELECTOR = 'pmd:Apex';

/** Rule names Code Analyzer uses for an engine that failed to start or crashed, instead of a finding. */
const ENGINE_FAILURE_RULES = new Set(['UninstantiableEngineError', 'UnexpectedEngineError']);

export function isBlocking(severity: number, tags: readonly string[]): boolean {
    return severity <= (SeverityLevel.High as number) || tags.includes('Security');
}

/** `path:line:column [sevN Rule] message`, the path relative to the repository. */
export function formatFinding(finding: PmdFinding): string {
    const path = finding.file.startsWith(ROOT) ? relative(ROOT, finding.file) : finding.file;
    return `${path}:${finding.line}:${finding.column} [sev${finding.severity} ${finding.rule}] ${finding.message}`;
}

function toFinding(violation: Violation): PmdFinding {
    const rule = violation.getRule();
    const location = violation.getPrimaryLocation();
    const severity = rule.getSeverityLevel() as number;
    const tags = rule.getTags();
    return {
        file: location.getFile() ?? '(no file)',
        line: location.getStartLine() ?? 0,
        column: location.getStartColumn() ?? 0,
        rule: rule.getName(),
        severity,
        tags,
        message: violation.getMessage().trim(),
        blocking: isBlocking(severity, tags)
    };
}

/**
 * Runs every Apex PMD rule over `targets` (files or folders).
 * @param javaCommand the Java executable; the engine's default (`java` on the PATH) when omitted
 */
export async function runApexPmd(targets: string[], options: { javaCommand?: string } = {}): Promise<PmdReport> {
    const missing = targets.filter((target) => !existsSync(target));
    if (missing.length > 0) {
        throw new AnalyzerUnavailableError(`Nothing to analyze at ${missing.join(', ')}.`);
    }
    // Code Analyzer writes logs and working folders; keep them out of the repository and remove them afterwards.
    const scratch = mkdtempSync(join(tmpdir(), 'apex-pmd-'));
    const engineErrors: string[] = [];
    try {
        const pmdOverrides: Record<string, unknown> = { rule_languages: ['apex'] };
        if (options.javaCommand !== undefined) {
            pmdOverrides['java_command'] = options.javaCommand;
        }
        const config = CodeAnalyzerConfig.fromObject(
            {
                log_folder: scratch,
                log_level: LogLevel.Error,
                root_working_folder: scratch,
                engines: { pmd: pmdOverrides, cpd: { disable_engine: true } },
                // Inline suppression markers must not hide a finding from this gate.
                suppressions: { disable_suppressions: true }
            },
            ROOT
        );
        const analyzer = new CodeAnalyzer(config);
        const collect = (event: LogEvent | EngineLogEvent): void => {
            if (event.logLevel === LogLevel.Error) {
                engineErrors.push(event.message);
            }
        };
        analyzer.onEvent(EventType.LogEvent, collect);
        analyzer.onEvent(EventType.EngineLogEvent, collect);

        await analyzer.addEnginePlugin(pmdEngine.createEnginePlugin());
        if (!analyzer.getEngineNames().includes('pmd')) {
            throw new AnalyzerUnavailableError(
                `The PMD engine did not start${engineErrors.length > 0 ? `: ${engineErrors.join('; ')}` : ''}. ` +
                    'It needs Java 11 or later on the PATH (java -version).'
            );
        }

        const workspace = await analyzer.createWorkspace(targets);
        const apexFiles = (await workspace.getTargetedFiles()).filter((file) => /\.(cls|trigger)$/i.test(file));
        const selection = await analyzer.selectRules([RULE_SELECTOR], { workspace });
        const ruleCount = selection.getCount();
        if (ruleCount === 0) {
            throw new AnalyzerUnavailableError(
                `No PMD rule matched "${RULE_SELECTOR}"${engineErrors.length > 0 ? `: ${engineErrors.join('; ')}` : ''}.`
            );
        }
        const results = await analyzer.run(selection, { workspace });
        const violations = results.getViolations();
        const engineFailures = violations.filter((violation) =>
            ENGINE_FAILURE_RULES.has(violation.getRule().getName())
        );
        if (engineFailures.length > 0) {
            throw new AnalyzerUnavailableError(
                `The PMD engine failed: ${engineFailures.map((violation) => violation.getMessage()).join('; ')}`
            );
        }
        const findings = violations.map(toFinding).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
        return { files: apexFiles.length, rules: ruleCount, findings, blocking: findings.filter((f) => f.blocking) };
    } catch (error) {
        if (error instanceof AnalyzerUnavailableError) {
            throw error;
        }
        const reason = error instanceof Error ? error.message : String(error);
        throw new AnalyzerUnavailableError(`Code Analyzer could not run: ${reason}`);
    } finally {
        rmSync(scratch, { recursive: true, force: true });
    }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    const targets = process.argv.slice(2);
    try {
        const report = await runApexPmd(targets.length > 0 ? targets : [join(ROOT, 'force-app')]);
        const advice = report.findings.filter((finding) => !finding.blocking);
        if (advice.length > 0) {
            console.log(`Advice (severity 3-5, not blocking):\n  ${advice.map(formatFinding).join('\n  ')}`);
        }
        if (report.blocking.length > 0) {
            console.error(`Blocking PMD findings:\n  ${report.blocking.map(formatFinding).join('\n  ')}`);
            process.exit(1);
        }
        console.log(`Apex PMD check: ${report.files} Apex files, ${report.rules} rules, no blocking finding`);
    } catch (error) {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(2);
    }
}
