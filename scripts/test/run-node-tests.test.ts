/**
 * The Node test runner never hangs: a `before` hook that fails partway closes what it started, an `after` hook that
 * throws does not keep the file alive, and a file that cannot finish is killed at its time limit and counted as a
 * failure. (On a machine without Chromium, `npm test` once waited for ever on exactly this.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../lib/exec.ts';
import { TestResources } from '../lib/test-resources.ts';
import { countsOf, runTestFile } from '../run-node-tests.ts';

const FIXTURES = join(ROOT, 'scripts/test/fixtures/node-runner');

describe('TestResources', () => {
    test('closes everything registered, newest first', async () => {
        const closed: string[] = [];
        const resources = new TestResources();
        resources.add('a server', 'server', (name) => closed.push(name));
        resources.defer('a folder', () => closed.push('folder'));
        resources.add('a browser', 'browser', async (name) => {
            await Promise.resolve();
            closed.push(name);
        });
        await resources.closeAll();
        assert.deepEqual(closed, ['browser', 'folder', 'server']);
    });

    test('runs every closer when some fail, then throws every failure, each naming what it closed', async () => {
        const closed: string[] = [];
        const resources = new TestResources();
        resources.add('the server', 'server', (name) => closed.push(name));
        resources.defer('the folder', () => {
            throw new Error('busy');
        });
        resources.add('Chromium', 'browser', () => Promise.reject(new Error('crashed')));
        await assert.rejects(resources.closeAll(), (error: unknown) => {
            assert.ok(error instanceof AggregateError);
            assert.equal(error.message, 'closing Chromium failed: crashed; closing the folder failed: busy');
            return true;
        });
        assert.deepEqual(closed, ['server'], 'the closer after two failures still ran');
    });

    test('a single failure is thrown as it is, and a second closeAll has nothing left to close', async () => {
        const resources = new TestResources();
        resources.defer('the store', () => {
            throw new Error('locked');
        });
        await assert.rejects(resources.closeAll(), /closing the store failed: locked/);
        await resources.closeAll();
    });
});

describe('scripts/run-node-tests.ts', () => {
    test('counts the passes and failures Node reports for a file', async () => {
        const result = await runTestFile(join(FIXTURES, 'passes.test.ts'), 60, { echo: false });
        assert.deepEqual(
            { passed: result.passed, failed: result.failed, timedOut: result.timedOut, exitCode: result.exitCode },
            { passed: 2, failed: 0, timedOut: false, exitCode: 0 }
        );
    });

    test('a before hook that fails partway fails the file, which still ends on its own', async () => {
        const result = await runTestFile(join(FIXTURES, 'before-fails.test.ts'), 60, { echo: false });
        assert.equal(result.timedOut, false);
        assert.ok(result.failed >= 1, 'the failed hook is counted');
        assert.notEqual(result.exitCode, 0);
    });

    test('an after hook that throws before closing its server does not keep the file alive', async () => {
        const result = await runTestFile(join(FIXTURES, 'after-throws.test.ts'), 60, { echo: false });
        assert.equal(result.timedOut, false, 'the file ended by itself (--test-force-exit)');
        assert.ok(result.failed >= 1);
    });

    test('a file that cannot finish is killed at its time limit and counted as failed', async () => {
        const result = await runTestFile(join(FIXTURES, 'hangs.test.ts'), 3, { echo: false });
        assert.equal(result.timedOut, true);
        assert.equal(result.failed, 1);
        assert.ok(result.seconds < 30, `killed at the limit, not later (${String(result.seconds)} s)`);
    });

    test('reads the totals of the spec reporter, cancelled tests counting as failures', () => {
        assert.deepEqual(countsOf('ℹ tests 5\nℹ pass 3\nℹ fail 1\nℹ cancelled 1\n'), { passed: 3, failed: 2 });
        assert.deepEqual(countsOf('no summary'), { passed: 0, failed: 0 });
        assert.deepEqual(
            countsOf('ℹ pass 9\nℹ fail 9\n...\nℹ pass 4\nℹ fail 0\n'),
            { passed: 4, failed: 0 },
            'the last'
        );
    });
});
