/**
 * The semantic Apex check catches what it exists for and says so by file and line: a local that hides a constant
 * (the defect that kept StageAutoMapController_Tests from compiling) and a call to a method that does not exist. It
 * passes a clean class and the real package, honours an allow-list entry only with a reason, refuses a stale entry,
 * and reports "skipped", never a pass, where no Java 21+ exists. Each case runs the real command against a minimal
 * sfdx project under fixtures/apex-semantic/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT } from '../lib/exec.ts';
import { stepState, summaryLine } from '../lib/step-outcome.ts';
import { SKIPPED_EXIT_CODE, SKIPPED_NOTE, findJava, javaMajorVersion, readAllowlist } from '../check-apex-semantic.ts';

const SCRIPT = join(ROOT, 'scripts/check-apex-semantic.ts');
const FIXTURES = join(ROOT, 'scripts/test/fixtures/apex-semantic');
// Java start-up and loading the platform's types take several seconds per run.
const TIMEOUT_MS = 120_000;
const java = findJava().java;
const needsJava = { timeout: TIMEOUT_MS, skip: java ? false : 'no Java 21+ on this machine' };

const scratch = mkdtempSync(join(tmpdir(), 'apex-semantic-test-'));
after(() => {
    rmSync(scratch, { recursive: true, force: true });
});

interface CheckRun {
    status: number;
    output: string;
}

/** Runs the check as `npm run check:apex-semantic` would, with extra arguments and environment. */
function check(args: string[], env: NodeJS.ProcessEnv = process.env): CheckRun {
    const result = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env,
        timeout: TIMEOUT_MS
    });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function fixture(name: string): string[] {
    return ['--project', join(FIXTURES, name), '--allowlist', join(scratch, 'none.json')];
}

function allowlist(name: string, entries: unknown[]): string {
    const path = join(scratch, `${name}.json`);
    writeFileSync(path, JSON.stringify({ entries }));
    return path;
}

describe('findings fail the check, named by file and line', () => {
    test('a local Map named like a String constant (case-insensitive names) is caught twice', needsJava, () => {
        const run = check(fixture('shadowed-constant'));
        assert.equal(run.status, 1, run.output);
        const file = 'force-app/main/default/classes/ShadowedConstant.cls';
        assert.match(run.output, new RegExp(`${file}:13:9 Warning: Local variable is hiding class field 'admin'`));
        assert.match(
            run.output,
            new RegExp(
                `${file}:14:\\d+ Missing: No matching method found for 'describe' .*System\\.Map<System\\.String, System\\.Boolean>`
            )
        );
        assert.match(run.output, /check failed: 2 blocking finding\(s\)/);
    });

    test('a call to a method that does not exist is caught', needsJava, () => {
        const run = check(fixture('missing-method'));
        assert.equal(run.status, 1, run.output);
        assert.match(
            run.output,
            /force-app\/main\/default\/classes\/MissingMethod\.cls:10:16 Missing: No matching method found for 'greeting'/
        );
    });

    test('a clean class passes', needsJava, () => {
        const run = check(fixture('clean'));
        assert.equal(run.status, 0, run.output);
        assert.match(run.output, /Apex semantic check: 1 Apex files, no blocking finding/);
    });

    test('the package passes with no finding of any kind, and no fixture is part of it', needsJava, () => {
        const run = check([]);
        assert.equal(run.status, 0, run.output);
        assert.match(run.output, /no blocking finding \(0 advisory, 0 allow-listed\)/);
        assert.doesNotMatch(run.output, /fixtures/);
    });
});

describe('the allow-list', () => {
    test('an entry with a reason lets a known false positive through and says why', needsJava, () => {
        const path = allowlist('reasoned', [
            {
                file: 'force-app/main/default/classes/MissingMethod.cls',
                message: "No matching method found for 'greeting'",
                reason: 'apex-ls knows the standard library only up to API 61'
            }
        ]);
        const run = check(['--project', join(FIXTURES, 'missing-method'), '--allowlist', path]);
        assert.equal(run.status, 0, run.output);
        assert.match(
            run.output,
            /Allowed \(apex-ls knows the standard library only up to API 61\): .*MissingMethod\.cls:10/
        );
    });

    test('an entry without a reason is refused before anything runs', () => {
        for (const reason of [undefined, '', '   ']) {
            const path = allowlist('unreasoned', [
                { file: 'force-app/main/default/classes/MissingMethod.cls', message: 'greeting', reason }
            ]);
            const run = check(['--project', join(FIXTURES, 'missing-method'), '--allowlist', path]);
            assert.equal(run.status, 1, run.output);
            assert.match(
                run.output,
                /allow-list entry 1 \(force-app\/main\/default\/classes\/MissingMethod\.cls\) has no reason/
            );
        }
    });

    test('a misspelt key or a broken regular expression is refused', () => {
        const { problems } = readAllowlist(
            allowlist('malformed', [
                { file: 'A.cls', message: 'x', reason: 'r', reasn: 'typo' },
                { file: 'A.cls', message: '(', reason: 'r' }
            ])
        );
        assert.deepEqual(problems, [
            'allow-list entry 1 has unknown keys: reasn (expected file, message, reason)',
            'allow-list entry 2 (A.cls) has an invalid regular expression: ('
        ]);
    });

    test('a stale entry, matching no finding, fails the check', needsJava, () => {
        const path = allowlist('stale', [
            { file: 'force-app/main/default/classes/CleanGreeting.cls', message: 'hiding', reason: 'was needed once' }
        ]);
        const run = check(['--project', join(FIXTURES, 'clean'), '--allowlist', path]);
        assert.equal(run.status, 1, run.output);
        assert.match(
            run.output,
            /stale allow-list entry: force-app\/main\/default\/classes\/CleanGreeting\.cls \/hiding\//
        );
    });

    test('the package allow-list is valid and every entry has a reason', () => {
        const { problems } = readAllowlist(join(ROOT, 'config/apex-semantic-allowlist.json'));
        assert.deepEqual(problems, []);
    });
});

describe('without Java 21+ the check is skipped, never passed', () => {
    test('no JAVA_HOME, no java on the PATH and an empty JVM folder: exit 77 and the skip note', () => {
        const empty = mkdtempSync(join(scratch, 'no-java-'));
        const run = check(fixture('shadowed-constant'), {
            ...process.env,
            JAVA_HOME: '',
            PATH: empty,
            APEX_SEMANTIC_JVM_DIR: empty
        });
        assert.equal(run.status, SKIPPED_EXIT_CODE, run.output);
        assert.ok(run.output.startsWith(`${SKIPPED_NOTE} (`), run.output);
        assert.doesNotMatch(run.output, /no blocking finding/);
    });

    test('an older Java is looked at and refused by its own -version, not by its folder name', (context) => {
        const java17 = '/usr/lib/jvm/java-17-openjdk-amd64';
        const lookup = findJava({
            JAVA_HOME: java17,
            PATH: '',
            APEX_SEMANTIC_JVM_DIR: mkdtempSync(join(scratch, 'jvm-'))
        });
        if (lookup.tried.length === 0) {
            context.skip(`no JDK at ${java17}`);
            return;
        }
        assert.equal(lookup.java, undefined);
        assert.deepEqual(
            lookup.tried.map((candidate) => [candidate.source, candidate.major]),
            [['JAVA_HOME', 17]]
        );
    });

    test('the JVM folder is searched after JAVA_HOME and the PATH, newest release first', needsJava, () => {
        const lookup = findJava({ PATH: '', APEX_SEMANTIC_JVM_DIR: '/usr/lib/jvm' });
        assert.ok((lookup.java?.major ?? 0) >= 21, JSON.stringify(lookup));
        assert.equal(lookup.java?.source, '/usr/lib/jvm');
    });

    test('a version string is read as its feature release', () => {
        assert.equal(javaMajorVersion('openjdk version "25.0.3" 2026-04-21 LTS'), 25);
        assert.equal(javaMajorVersion('openjdk version "17.0.15" 2025-04-15'), 17);
        assert.equal(javaMajorVersion('java version "1.8.0_381"'), 8);
        assert.equal(javaMajorVersion('openjdk version "21" 2023-09-19'), 21);
        assert.equal(javaMajorVersion('no java here'), null);
    });

    test('npm test shows the skip as SKIP in its table and after the counts on its last line', () => {
        assert.equal(stepState(SKIPPED_EXIT_CODE, SKIPPED_EXIT_CODE), 'SKIP');
        assert.equal(stepState(0, SKIPPED_EXIT_CODE), 'ok');
        assert.equal(stepState(1, SKIPPED_EXIT_CODE), 'FAIL');
        assert.equal(stepState(SKIPPED_EXIT_CODE), 'FAIL', 'a step that declares no skip status cannot skip');
        assert.equal(
            summaryLine(12, 0, [SKIPPED_NOTE]),
            'tests: 12 passed, 0 failed; apex-semantic: skipped, no Java 21+'
        );
        assert.equal(summaryLine(12, 0, []), 'tests: 12 passed, 0 failed');
    });
});

describe('the fixtures stay out of the package', () => {
    test('no package directory, convert-source or PMD target contains them', () => {
        const project = JSON.parse(readFileSync(join(ROOT, 'sfdx-project.json'), 'utf8')) as {
            packageDirectories: { path: string }[];
        };
        const fixtures = relative(ROOT, FIXTURES);
        for (const directory of project.packageDirectories) {
            assert.ok(
                !fixtures.startsWith(directory.path),
                `${fixtures} is inside package directory ${directory.path}: sf would package the seeded defects`
            );
        }
        // check-convert-source converts `force-app` and check-apex-pmd scans `force-app`; neither reaches scripts/.
        assert.ok(!fixtures.startsWith('force-app'));
    });
});
