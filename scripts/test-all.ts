/**
 * `npm test`: everything CI runs, in the order that fails fastest, with a summary at the end. Each step streams
 * its own output; the last line counts the tests of every runner together ("tests: N passed, N failed"), followed
 * by a note for each step that could not run here and was skipped ("; apex-semantic: skipped, no Java 21+").
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bin } from './lib/exec.ts';
import { stepState, summaryLine } from './lib/step-outcome.ts';
import { SKIPPED_EXIT_CODE, SKIPPED_NOTE } from './check-apex-semantic.ts';

interface Step {
    name: string;
    command: string;
    args: string[];
    /** Reads passed/failed test counts from the step's output, for runners that have tests. */
    count?: (output: string) => { passed: number; failed: number };
    /** A step that cannot run on every machine exits with `code` to say it skipped; `note` goes on the last line. */
    skip?: { code: number; note: string };
}

const TSX = ['--import', 'tsx'];
const JEST_RESULTS = join(ROOT, 'test-output/jest-results.json');

function countJest(): { passed: number; failed: number } {
    if (!existsSync(JEST_RESULTS)) {
        return { passed: 0, failed: 1 };
    }
    const results = JSON.parse(readFileSync(JEST_RESULTS, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
    };
    return { passed: results.numPassedTests, failed: results.numFailedTests };
}

/** scripts/run-node-tests.ts ends with `node tests: N passed, N failed, ...` summed over every file. */
function countNodeTests(output: string): { passed: number; failed: number } {
    const totals = /^node tests: (\d+) passed, (\d+) failed/m.exec(output);
    return totals ? { passed: Number(totals[1]), failed: Number(totals[2]) } : { passed: 0, failed: 1 };
}

const steps: Step[] = [
    { name: 'format', command: bin('prettier'), args: ['--check', '--log-level', 'warn', '.'] },
    { name: 'lint', command: bin('eslint'), args: ['--max-warnings', '0', '.'] },
    { name: 'build', command: process.execPath, args: [...TSX, 'scripts/build.ts'] },
    { name: 'platform-lint', command: process.execPath, args: [...TSX, 'scripts/check-platform-lint.ts'] },
    {
        name: 'apex-semantic',
        command: process.execPath,
        args: [...TSX, 'scripts/check-apex-semantic.ts'],
        skip: { code: SKIPPED_EXIT_CODE, note: SKIPPED_NOTE }
    },
    { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
    {
        name: 'jest (LWC)',
        command: bin('sfdx-lwc-jest'),
        args: ['--', '--ci', '--coverage', '--json', `--outputFile=${JEST_RESULTS}`],
        count: countJest
    },
    {
        name: 'node tests',
        command: process.execPath,
        args: [...TSX, 'scripts/run-node-tests.ts'],
        count: countNodeTests
    }
];

function runStep(step: Step): Promise<{ status: number; output: string; ms: number }> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(step.command, step.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            process.stdout.write(chunk);
        });
        child.stderr.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            process.stderr.write(chunk);
        });
        child.on('close', (code) => {
            resolve({ status: code ?? 1, output, ms: Date.now() - started });
        });
    });
}

mkdirSync(join(ROOT, 'test-output'), { recursive: true });
const rows: string[] = [];
let passed = 0;
let failed = 0;
let failedSteps = 0;
const skipNotes: string[] = [];
for (const step of steps) {
    console.log(`\n=== ${step.name}: ${[step.command.replace(ROOT, ''), ...step.args].join(' ')}`);
    const result = await runStep(step);
    const counts = step.count?.(result.output);
    if (counts) {
        passed += counts.passed;
        failed += counts.failed;
    }
    const state = stepState(result.status, step.skip?.code);
    if (state === 'SKIP' && step.skip) {
        skipNotes.push(step.skip.note);
    } else if (state === 'FAIL') {
        failedSteps += 1;
    }
    const countText = counts ? `${counts.passed} passed, ${counts.failed} failed` : '';
    rows.push(
        `${state.padEnd(4)}  ${step.name.padEnd(13)} ${(result.ms / 1000).toFixed(1).padStart(6)} s  ${countText}`
    );
}

console.log(`\n=== summary\n${rows.join('\n')}`);
if (failedSteps > 0) {
    console.log(`${failedSteps} step(s) failed.`);
}
console.log(summaryLine(passed, failed, skipNotes));
process.exit(failedSteps > 0 ? 1 : 0);
