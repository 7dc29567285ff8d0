/**
 * scripts/org/verify-in-org.sh and scripts/org/package-install.sh, run as an admin runs them, against a stand-in for
 * the Salesforce CLI (scripts/test/fixtures/fake-sf/sf: answers in the pinned CLI's JSON shapes, records every call,
 * fails on request). Proves the order of the steps, the report, the cleanup of both scratch orgs, every failure's
 * message, that an upgrade keeps the org's Named Credential URL, and that every org script is shellcheck clean.
 * What it cannot prove (that Salesforce answers this way) is what the script itself proves in a real org.
 *
 * Run: npm run test:node -- verify-in-org
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/exec.ts';

const FAKE_SF = join(ROOT, 'scripts/test/fixtures/fake-sf/sf');
const PACKAGE_ID = '0Ho000000000001AAA';
const VERSION_ID = '04t000000000001AAA';
const API_KEY = 'sk_test_verify_0123456789';
const ENDPOINT = 'https://stage.example.com';
const PLACEHOLDER = 'https://stage-service.invalid';

/** The labels of the report's rows, in the order the steps run. */
const STEPS = [
    'Build (npm run build)',
    'Offline checks',
    'Scratch org',
    'Deploy force-app',
    'Apex tests, >= 90% per class',
    'Permission sets',
    'Smoke callout',
    'Package version (--code-coverage)',
    'Second scratch org',
    'Install the version',
    'Delete the scratch orgs'
] as const;
type Step = (typeof STEPS)[number];

interface Call {
    args: string[];
    /** What the command read from standard input (`--body -`), newlines as spaces. */
    stdin: string;
}

interface Run {
    status: number;
    output: string;
    calls: Call[];
    /** The Named Credential URL the fake org holds after the run, per org. */
    urls: Map<string, string>;
}

let work = '';
let project = '';

/**
 * A copy of what the scripts read: scripts/org, the scratch definition, the Apex classes (for the list of classes
 * that need coverage) and sfdx-project.json naming the fake Dev Hub's package, so no test writes to the repository.
 */
before(() => {
    work = mkdtempSync(join(tmpdir(), 'stage-automap-verify-test-'));
    project = join(work, 'project');
    cpSync(join(ROOT, 'scripts/org'), join(project, 'scripts/org'), { recursive: true });
    cpSync(join(ROOT, 'config'), join(project, 'config'), { recursive: true });
    mkdirSync(join(project, 'force-app/main/default'), { recursive: true });
    cpSync(join(ROOT, 'force-app/main/default/classes'), join(project, 'force-app/main/default/classes'), {
        recursive: true
    });
    const sfdxProject = JSON.parse(readFileSync(join(ROOT, 'sfdx-project.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
        join(project, 'sfdx-project.json'),
        JSON.stringify({ ...sfdxProject, packageAliases: { 'Stage AutoMap': PACKAGE_ID } }, null, 2)
    );
});

after(() => {
    rmSync(work, { recursive: true, force: true });
});

/** The non-test Apex classes of the package, as the script finds them (the fake reports coverage for these). */
function packageClasses(): string {
    const folder = join(ROOT, 'force-app/main/default/classes');
    return readdirSync(folder)
        .filter((name) => name.endsWith('.cls'))
        .filter((name) => !/^\s*@istest/im.test(readFileSync(join(folder, name), 'utf8')))
        .map((name) => name.replace(/\.cls$/, ''))
        .join(',');
}

let runs = 0;

/** Runs a script of the project copy with the fake CLI; `urls` seeds the orgs' Named Credential URLs. */
function runScript(
    script: string,
    args: string[],
    options: { fail?: string; apiKey?: string; urls?: Record<string, string> } = {}
): Promise<Run> {
    runs += 1;
    const dir = join(work, `run-${runs}`);
    const state = join(dir, 'state');
    mkdirSync(state, { recursive: true });
    const log = join(dir, 'calls.log');
    writeFileSync(log, '');
    for (const [org, url] of Object.entries(options.urls ?? {})) {
        writeFileSync(join(state, `${org}.url`), url);
    }
    const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: dir,
        STAGE_AUTOMAP_SF: FAKE_SF,
        STAGE_AUTOMAP_VERIFY_SKIP_LOCAL: '1',
        FAKE_SF_LOG: log,
        FAKE_SF_STATE: state,
        FAKE_SF_CLASSES: packageClasses(),
        FAKE_SF_PACKAGE_ID: PACKAGE_ID,
        ...(options.fail ? { FAKE_SF_FAIL: options.fail } : {}),
        ...(options.apiKey ? { STAGE_SERVICE_API_KEY: options.apiKey } : {})
    };
    return new Promise((resolve, reject) => {
        const child = spawn('bash', [join(project, script), ...args], { cwd: project, env });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
            const calls = readFileSync(log, 'utf8')
                .split('\n')
                .filter((line) => line !== '')
                .map((line): Call => {
                    const [args = '', stdin = ''] = line.split('\x1e');
                    return { args: args.split('\x1f'), stdin };
                });
            const urls = new Map(
                readdirSync(state)
                    .filter((name) => name.endsWith('.url'))
                    .map((name) => [name.replace(/\.url$/, ''), readFileSync(join(state, name), 'utf8')])
            );
            resolve({ status: code ?? 1, output, calls, urls });
        });
    });
}

function verify(prefix: string, extra: string[] = [], options: { fail?: string; apiKey?: string } = {}): Promise<Run> {
    return runScript('scripts/org/verify-in-org.sh', ['--dev-hub', 'hub', '--alias-prefix', prefix, ...extra], options);
}

function flag(call: Call | undefined, name: string): string | undefined {
    const index = call?.args.indexOf(name) ?? -1;
    return index === -1 ? undefined : call?.args[index + 1];
}

/** A call in a few words: the command, the REST method and resource, and the org or Dev Hub it went to. */
function describeCall(call: Call): string {
    const words = call.args.slice(0, 3);
    if (words.join(' ') === 'api request rest') {
        words.push(flag(call, '--method') ?? 'GET', (call.args[3] ?? '').split('/').slice(-2).join('/'));
    } else if (words[0] === 'apex' && words[1] === 'run' && words[2] !== 'test') {
        words.splice(2);
    }
    const target = flag(call, '--target-org') ?? flag(call, '--alias') ?? flag(call, '--target-dev-hub') ?? '';
    return `${words.join(' ')} @${target}`;
}

/** The report's row for a step: its result and detail. */
function row(run: Run, step: Step): { result: string; detail: string } {
    const report = run.output.slice(run.output.lastIndexOf('==> Report'));
    const line = report.split('\n').find((text) => text.startsWith(`  ${step} `));
    assert.ok(line, `the report has a row for "${step}":\n${report}`);
    const rest = line.slice(2 + step.length).trim();
    const result = rest.startsWith('not run') ? 'not run' : (rest.split(/\s+/)[0] ?? '');
    return { result, detail: rest.slice(result.length).trim() };
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function deletedOrgs(run: Run): string[] {
    return run.calls
        .filter((call) => call.args.slice(0, 3).join(' ') === 'org delete scratch')
        .map((call) => flag(call, '--target-org') ?? '');
}

describe('verify-in-org.sh', { concurrency: true }, () => {
    test('runs every step in order against both orgs, reports each with the version id, and deletes both orgs', async () => {
        const run = await verify('ok', ['--endpoint', ENDPOINT], { apiKey: API_KEY });
        assert.equal(run.status, 0, run.output);
        assert.deepEqual(run.calls.map(describeCall), [
            'org create scratch @ok-a',
            'project deploy start @ok-a',
            'apex run test @ok-a',
            'org assign permset @ok-a',
            'api request rest PUT named-credential-setup/Stage_Service @ok-a',
            'api request rest POST named-credentials/credential @ok-a',
            'apex run @ok-a',
            'package list --target-dev-hub @hub',
            'package version create @hub',
            'org create scratch @ok-b',
            'api request rest GET named-credential-setup/Stage_Service @ok-b',
            'package install --package @ok-b',
            'org assign permset @ok-b',
            'api request rest PUT named-credential-setup/Stage_Service @ok-b',
            'api request rest POST named-credentials/credential @ok-b',
            'org delete scratch @ok-a',
            'org delete scratch @ok-b'
        ]);
        for (const step of STEPS) {
            const expected = step === 'Build (npm run build)' || step === 'Offline checks' ? 'skipped' : 'passed';
            assert.equal(row(run, step).result, expected, `${step}:\n${run.output}`);
        }
        assert.match(
            row(run, 'Apex tests, >= 90% per class').detail,
            /^61 tests, 61 passed, 0 failed; lowest coverage \w+ 95%$/
        );
        assert.match(
            row(run, 'Smoke callout').detail,
            /Lead\.Status read: family contact.*heap 48211 of 6000000 bytes/
        );
        assert.equal(row(run, 'Package version (--code-coverage)').detail, VERSION_ID);
        assert.match(run.output, new RegExp(`^Package version: ${VERSION_ID}$`, 'm'));
        assert.match(run.output, /^VERIFY PASSED$/m);
        // The version is created with coverage, tests run with coverage, and the install goes to the second org.
        const version = run.calls.find((call) => call.args.slice(0, 3).join(' ') === 'package version create');
        assert.ok(version?.args.includes('--code-coverage'), 'package version create --code-coverage');
        assert.equal(flag(version, '--package'), 'Stage AutoMap');
        const tests = run.calls.find((call) => call.args.slice(0, 3).join(' ') === 'apex run test');
        assert.ok(tests?.args.includes('--code-coverage'), 'apex run test --code-coverage');
        assert.equal(flag(tests, '--result-format'), 'json');
        assert.equal(flag(tests, '--test-level'), 'RunLocalTests');
        // The smoke callout points the credential at the endpoint; the key travels only on standard input.
        assert.equal(run.urls.get('ok-a'), undefined, 'ok-a deleted');
        const puts = run.calls.filter((call) => call.args.includes('PUT') && call.stdin.includes(ENDPOINT));
        assert.equal(puts.length, 2, 'both orgs get the endpoint');
        for (const call of run.calls) {
            assert.ok(
                !call.args.join(' ').includes(API_KEY),
                `the API key is never an argument: ${call.args.join(' ')}`
            );
        }
        assert.equal(run.calls.filter((call) => call.stdin.includes(API_KEY)).length, 2);
    });

    test('without --endpoint it skips the smoke callout; --create-package makes the missing package; --keep keeps both orgs', async () => {
        const run = await verify('kept', ['--keep', '--create-package'], { fail: 'package-missing' });
        assert.equal(run.status, 0, run.output);
        assert.deepEqual(row(run, 'Smoke callout'), { result: 'skipped', detail: 'no --endpoint given' });
        assert.equal(
            run.calls.filter((call) => describeCall(call).startsWith('api request rest PUT')).length,
            0,
            'no credential is touched without --endpoint'
        );
        // The Dev Hub had no package: it is created, then the version.
        const commands = run.calls.map(describeCall);
        const created = commands.indexOf('package create --name @hub');
        assert.ok(created > 0 && commands[created + 1] === 'package version create @hub', commands.join('\n'));
        assert.match(run.output, /sfdx-project\.json now names it under packageAliases: commit that change/);
        // --keep: no deletion, and the report says how to delete.
        assert.deepEqual(deletedOrgs(run), []);
        const cleanup = row(run, 'Delete the scratch orgs');
        assert.equal(cleanup.result, 'skipped');
        assert.match(
            cleanup.detail,
            /--keep: kept kept-a kept-b; delete with: npx sf org delete scratch --target-org kept-a --no-prompt;/
        );
        assert.match(cleanup.detail, /--target-org kept-b --no-prompt$/);
        // Without an endpoint, the install leaves the URL to the admin and says so.
        assert.match(run.output, /Still to do[^]*set URL to the stage service's base URL/);
        assert.match(run.output, /^VERIFY PASSED$/m);
    });

    /** Each failure: the step that fails, its message, and which orgs exist by then (and are deleted). */
    const failures: { fail: string; step: Step; message: RegExp; deleted: string[]; endpoint?: boolean }[] = [
        { fail: 'org-create', step: 'Scratch org', message: /limit of active scratch orgs/, deleted: [] },
        {
            fail: 'deploy',
            step: 'Deploy force-app',
            message:
                /ApexClass StageAutoMapController_Tests:157: Method does not exist or incorrect signature: void userNamed\(Map<String,Object>\)/,
            deleted: ['a']
        },
        {
            fail: 'apex-test',
            step: 'Apex tests, >= 90% per class',
            message:
                /62 tests, 61 passed, 1 failed.*: StageAutoMapController_Tests\.viewerCannotApply: System\.AssertException: Assertion Failed: a viewer must not apply/,
            deleted: ['a']
        },
        {
            fail: 'coverage',
            step: 'Apex tests, >= 90% per class',
            message:
                /StageServiceClient 85% covered \(170\/200 lines\), under 90%; StageServiceException 0% covered \(no test reaches it\), under 90%/,
            deleted: ['a']
        },
        {
            fail: 'permset',
            step: 'Permission sets',
            message: /Permission set "Stage_AutoMap_Service_Access" not found in target org/,
            deleted: ['a']
        },
        {
            fail: 'credential',
            step: 'Smoke callout',
            message: /could not set the Named Credential URL/,
            deleted: ['a'],
            endpoint: true
        },
        {
            fail: 'smoke',
            step: 'Smoke callout',
            message: /System\.AuraHandledException: Salesforce couldn't reach the stage service/,
            deleted: ['a'],
            endpoint: true
        },
        {
            fail: 'package-missing',
            step: 'Package version (--code-coverage)',
            message:
                /the Dev Hub has no package "Stage AutoMap": run scripts\/org\/package-create\.sh --dev-hub hub once.*or re-run with --create-package/,
            deleted: ['a']
        },
        {
            fail: 'version',
            step: 'Package version (--code-coverage)',
            message: /Apex Test Failure: Class\.StageServiceClient_Tests\.timesOut/,
            deleted: ['a']
        },
        {
            fail: 'version-2735',
            step: 'Package version (--code-coverage)',
            message:
                /the Dev Hub refused Stage_AutoMap_Service_Access.*\(forcedotcom\/cli#2735\): move it out of the package and follow docs\/install-into-an-org\.md/,
            deleted: ['a']
        },
        {
            fail: 'version-timeout',
            step: 'Package version (--code-coverage)',
            message:
                /not finished within 60 minutes \(status Verifying\): sf package version create report --package-create-request-id 08c000000000001AAA/,
            deleted: ['a']
        },
        {
            fail: 'org2-create',
            step: 'Second scratch org',
            message: /limit of active scratch orgs/,
            deleted: ['a']
        },
        {
            fail: 'install',
            step: 'Install the version',
            message:
                /scripts\/org\/package-install\.sh --package 04t000000000001AAA --target-org \S+-b failed: Error \(1\): Installation failed/,
            deleted: ['a', 'b']
        }
    ];

    for (const { fail, step, message, deleted, endpoint } of failures) {
        test(`a failure at "${step}" (${fail}) stops there, says why, and deletes the orgs made so far`, async () => {
            const prefix = `f-${fail}`;
            const run = await verify(prefix, endpoint ? ['--endpoint', ENDPOINT] : [], {
                fail,
                ...(endpoint ? { apiKey: API_KEY } : {})
            });
            assert.equal(run.status, 1, run.output);
            const failed = row(run, step);
            assert.equal(failed.result, 'FAILED', run.output);
            assert.match(failed.detail, message);
            assert.match(run.output, new RegExp(`^VERIFY FAILED at "${escapeRegExp(step)}": `, 'm'));
            for (const later of STEPS.slice(STEPS.indexOf(step) + 1, -1)) {
                assert.equal(row(run, later).result, 'not run', `${later} after a failure at ${step}`);
            }
            // Cleanup runs after the failure, and nothing else does.
            const expected = deleted.map((suffix) => `${prefix}-${suffix}`);
            assert.deepEqual(deletedOrgs(run), expected);
            const lastStepCall = run.calls.findLastIndex((call) => !describeCall(call).startsWith('org delete'));
            assert.ok(
                run.calls.slice(lastStepCall + 1).every((call) => describeCall(call).startsWith('org delete')),
                'only deletions follow the failing command'
            );
            assert.equal(row(run, 'Delete the scratch orgs').result, expected.length > 0 ? 'passed' : 'skipped');
            if (fail === 'version-2735') {
                assert.match(run.output, /forcedotcom\/cli issues 1781 and 2735/);
                assert.match(run.output, /"unpackagedMetadata" in sfdx-project\.json/);
                assert.match(run.output, /If the Service Access permission set is not in the package/);
            }
            if (fail === 'credential') {
                assert.match(run.output, /INVALID_INPUT: You don't have permission to edit named credentials/);
            }
        });
    }

    test('a scratch org that cannot be deleted fails the run and names the command that deletes it', async () => {
        const run = await verify('nodelete', [], { fail: 'org-delete' });
        assert.equal(run.status, 1, run.output);
        const cleanup = row(run, 'Delete the scratch orgs');
        assert.equal(cleanup.result, 'FAILED');
        assert.match(
            cleanup.detail,
            /could not delete nodelete-a nodelete-b: npx sf org delete scratch --target-org nodelete-a/
        );
        assert.equal(row(run, 'Install the version').result, 'passed');
        assert.match(run.output, /^VERIFY FAILED at "Delete the scratch orgs"/m);
    });

    const usage: { args: string[]; apiKey?: string; status: number; message: RegExp }[] = [
        { args: ['--help'], status: 0, message: /^Usage: scripts\/org\/verify-in-org\.sh --dev-hub ALIAS/m },
        { args: [], status: 2, message: /error: --dev-hub is required/ },
        { args: ['--dev-hub', 'hub', '--nonsense'], status: 2, message: /error: Unknown argument: --nonsense/ },
        { args: ['--dev-hub', 'hub', '--days', '31'], status: 2, message: /error: --days must be 1 to 30/ },
        { args: ['--dev-hub', 'hub', '--min-coverage', 'all'], status: 2, message: /--min-coverage must be 0 to 100/ },
        {
            args: ['--dev-hub', 'hub', '--endpoint', ENDPOINT],
            status: 2,
            message: /--endpoint needs the service's API key in STAGE_SERVICE_API_KEY/
        },
        {
            args: ['--dev-hub', 'hub', '--endpoint', 'ftp://stage.example.com'],
            apiKey: API_KEY,
            status: 2,
            message: /Not an http\(s\) URL: ftp:\/\/stage\.example\.com/
        }
    ];
    for (const { args, apiKey, status, message } of usage) {
        test(`"${args.join(' ')}" exits ${status} before touching an org`, async () => {
            const run = await runScript('scripts/org/verify-in-org.sh', args, apiKey ? { apiKey } : {});
            assert.equal(run.status, status, run.output);
            assert.match(run.output, message);
            assert.deepEqual(run.calls, []);
        });
    }
});

describe('package-install.sh keeps the org URL across an upgrade', { concurrency: true }, () => {
    const install = (org: string, extra: string[], urls: Record<string, string> = {}): Promise<Run> =>
        runScript('scripts/org/package-install.sh', ['--package', VERSION_ID, '--target-org', org, ...extra], { urls });

    test('an upgrade reads the URL first and restores it after the install reset it', async () => {
        const run = await install('upgraded', ['--no-assign'], { upgraded: ENDPOINT });
        assert.equal(run.status, 0, run.output);
        assert.deepEqual(run.calls.map(describeCall), [
            'api request rest GET named-credential-setup/Stage_Service @upgraded',
            'package install --package @upgraded',
            'api request rest GET named-credential-setup/Stage_Service @upgraded',
            'api request rest PUT named-credential-setup/Stage_Service @upgraded'
        ]);
        assert.match(run.output, new RegExp(`The upgrade reset it to ${PLACEHOLDER}; restoring ${ENDPOINT}\\.`));
        assert.equal(run.urls.get('upgraded'), ENDPOINT);
        assert.match(run.output, /The API key on the Stage_Service_Key principal survives an upgrade/);
        assert.doesNotMatch(run.output, /set URL to the stage service's base URL/);
        assert.doesNotMatch(run.output, /enter ApiKey/);
    });

    test('a first install has no URL to keep and leaves the URL as the remaining step', async () => {
        const run = await install('fresh', ['--no-assign']);
        assert.equal(run.status, 0, run.output);
        assert.deepEqual(run.calls.map(describeCall), [
            'api request rest GET named-credential-setup/Stage_Service @fresh',
            'package install --package @fresh'
        ]);
        assert.match(run.output, /No Stage Service Named Credential yet: a first install/);
        assert.match(run.output, /Still to do[^]*set URL to the stage service's base URL[^]*enter ApiKey/);
        assert.equal(run.urls.get('fresh'), PLACEHOLDER);
    });

    test('an org still on the placeholder is treated like a first install', async () => {
        const run = await install('unset', ['--no-assign'], { unset: PLACEHOLDER });
        assert.equal(run.status, 0, run.output);
        assert.equal(run.calls.filter((call) => call.args.includes('PUT')).length, 0);
        assert.match(run.output, /set URL to the stage service's base URL/);
    });

    test('--endpoint wins over the URL the org had', async () => {
        const run = await install('moved', ['--no-assign', '--endpoint', 'https://new.example.com/v1'], {
            moved: 'https://old.example.com'
        });
        assert.equal(run.status, 0, run.output);
        assert.match(run.output, /\(it was https:\/\/old\.example\.com; --endpoint wins\)/);
        assert.equal(run.urls.get('moved'), 'https://new.example.com');
        const puts = run.calls.filter((call) => call.args.includes('PUT'));
        assert.equal(puts.length, 1);
        assert.match(puts[0]?.stdin ?? '', /"calloutUrl":"https:\/\/new\.example\.com"/);
    });
});

describe('shellcheck', () => {
    const shellcheck = (args: string[], cwd = ROOT) => spawnSync('shellcheck', args, { cwd, encoding: 'utf8' });

    function requireShellcheck(): void {
        const probe = shellcheck(['--version']);
        if (probe.error) {
            assert.fail(
                'shellcheck is not installed, so the org scripts cannot be checked: apt-get install shellcheck ' +
                    '(Debian package; .ci/run installs it)'
            );
        }
    }

    test('every script in scripts/org (and the fake CLI) has no finding at any severity', () => {
        requireShellcheck();
        const scripts = readdirSync(join(ROOT, 'scripts/org'))
            .filter((name) => name.endsWith('.sh'))
            .map((name) => `scripts/org/${name}`);
        assert.ok(scripts.includes('scripts/org/verify-in-org.sh'));
        const result = shellcheck(['-x', '--severity=style', ...scripts, 'scripts/test/fixtures/fake-sf/sf']);
        assert.equal(result.status, 0, `shellcheck findings:\n${result.stdout}${result.stderr}`);
    });

    test('the check can fail: an unquoted variable is a finding', () => {
        requireShellcheck();
        const dir = mkdtempSync(join(tmpdir(), 'stage-automap-shellcheck-'));
        try {
            const file = join(dir, 'bad.sh');
            writeFileSync(file, '#!/usr/bin/env bash\nrm -rf $1/tmp\n');
            const result = shellcheck(['--severity=style', file], dir);
            assert.notEqual(result.status, 0);
            assert.match(result.stdout, /SC2086/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
