/**
 * Salesforce Code Analyzer's PMD rules find nothing of severity 1 or 2 (or tagged Security) in the package's Apex, and
 * the gate is real: it flags a deliberately insecure class, and it fails (never passes) when the analyzer cannot run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AnalyzerUnavailableError, formatFinding, runApexPmd } from '../check-apex-pmd.ts';
import { ROOT } from '../lib/exec.ts';

// Java start-up and rule loading take a few seconds per run.
const TIMEOUT_MS = 120_000;

test(
    'the package Apex has no PMD finding of severity 1-2 and no Security finding',
    { timeout: TIMEOUT_MS },
    async () => {
        // An analyzer that cannot run throws here, which fails this test with the reason.
        const report = await runApexPmd([join(ROOT, 'force-app')]);
        assert.ok(report.files >= 6, `expected the package's Apex classes, analyzed ${report.files} files`);
        assert.ok(report.rules >= 50, `expected the full Apex rule set, ran ${report.rules} rules`);
        assert.deepEqual(report.blocking.map(formatFinding), [], 'blocking PMD findings');
    }
);

test(
    'a deliberately insecure class is flagged, so a clean result means something',
    { timeout: TIMEOUT_MS },
    async () => {
        const dir = mkdtempSync(join(tmpdir(), 'apex-pmd-fixture-'));
        try {
            // No sharing declaration, SOQL built from a parameter, no CRUD check: three things a security review rejects.
            writeFileSync(
                join(dir, 'InsecureSearch.cls'),
                [
                    'public class InsecureSearch {',
                    '    @AuraEnabled',
                    '    public static List<Account> find(String name) {',
                    "        return Database.query('SELECT Id FROM Account WHERE Name = \\'' + name + '\\'');",
                    '    }',
                    '}',
                    ''
                ].join('\n')
            );
            const report = await runApexPmd([dir]);
            const rules = new Set(report.blocking.map((finding) => finding.rule));
            assert.ok(
                rules.has('ApexSOQLInjection'),
                `SOQL injection not flagged: ${report.findings.map(formatFinding).join('; ')}`
            );
            assert.ok(rules.has('ApexSharingViolations'), 'a class without a sharing declaration is not flagged');
            const injection = report.blocking.find((finding) => finding.rule === 'ApexSOQLInjection');
            assert.ok(injection && injection.severity <= 2, 'SOQL injection is severity 1-2');
            assert.equal(injection.line, 4, 'the finding points at the offending line');
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
);

test('when the analyzer cannot run, the check fails saying why', { timeout: TIMEOUT_MS }, async () => {
    await assert.rejects(
        runApexPmd([join(ROOT, 'force-app')], { javaCommand: join(tmpdir(), 'no-such-java', 'java') }),
        (error: unknown) => {
            assert.ok(error instanceof AnalyzerUnavailableError, `unexpected error type: ${String(error)}`);
            assert.match(error.message, /java/i, 'the message names the missing Java');
            return true;
        }
    );
});
