/**
 * How `npm test` (scripts/test-all.ts) reads a finished step and writes its last line. Kept apart from the runner so
 * a test can prove that a skipped step shows as skipped, never as a pass or a failure.
 */

/** `ok`, `FAIL`, or `SKIP` when the step exited with the status it declared for "could not run here". */
export type StepState = 'ok' | 'FAIL' | 'SKIP';

export function stepState(status: number, skipCode?: number): StepState {
    if (skipCode !== undefined && status === skipCode) {
        return 'SKIP';
    }
    return status === 0 ? 'ok' : 'FAIL';
}

/**
 * The last line of `npm test`. CI and the docs read "tests: N passed, N failed" at its start, so a skipped step's
 * note follows that text and never replaces it: `tests: 12 passed, 0 failed; apex-semantic: skipped, no Java 21+`.
 */
export function summaryLine(passed: number, failed: number, skipNotes: readonly string[]): string {
    return `tests: ${passed} passed, ${failed} failed${skipNotes.map((note) => `; ${note}`).join('')}`;
}
