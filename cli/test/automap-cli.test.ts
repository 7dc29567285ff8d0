/**
 * The automap CLI contract (issue 3, "The CLI"), tested the way scripts use it: as a child process, on fixture files.
 * Run: npx tsx scripts/run-node-tests.ts automap-cli
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { jsonErrorOffset } from '../input-file.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = 'cli/test/fixtures/automap';

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs `automap ARGS` from the repository root, as `npm run --silent automap -- ARGS` does. */
function automap(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ['--import', 'tsx', 'cli/main.ts', ...args],
            { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
            (error, stdout, stderr) => {
                const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
                resolve({ code, stdout, stderr });
            }
        );
    });
}

function fixture(name: string): string {
    return join(FIXTURES, name);
}

interface CliOutcome {
    value: string;
    outcome: string;
    stageId?: string;
    stageName?: string;
    reason: string;
}

interface CliResult {
    id?: string | number;
    outcomes: CliOutcome[];
    suggestions: { value: string; stageId: string; stageName: string; score: number; why: string }[];
    summary: { total: number; counts: Record<string, number> };
}

/** One line on stderr, naming the problem, and no stack trace. */
function assertOneCleanLine(run: Run, expected: RegExp): void {
    assert.equal(run.stderr.endsWith('\n'), true, 'stderr ends with a new line');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
    assert.match(lines[0] ?? '', expected);
    assert.doesNotMatch(run.stderr, /\n\s+at |Error:|node:internal/, 'no stack trace');
}

describe('automap plan --input (json)', { concurrency: 4 }, () => {
    test('plans one scenario: only JSON on stdout, the id echoed, the contract fields', async () => {
        const run = await automap('plan', '--input', fixture('lead-status.json'), '--format', 'json');
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, '');
        const result = JSON.parse(run.stdout) as CliResult;
        assert.deepEqual(Object.keys(result), ['id', 'outcomes', 'suggestions', 'summary']);
        assert.equal(result.id, 'lead-status-en');
        assert.deepEqual(
            result.outcomes.map((outcome) => [outcome.value, outcome.outcome]),
            [
                ['Open - Not Contacted', 'map-existing'],
                ['Working - Contacted', 'map-existing'],
                ['Closed - Converted', 'create-and-map'],
                ['Closed - Not Converted', 'skip-stage-taken'],
                ['Nurturing', 'already-mapped'],
                ['Recycled', 'skip-inactive'],
                ['Qualifed', 'create-and-map']
            ]
        );
        assert.deepEqual(result.outcomes[1], {
            value: 'Working - Contacted',
            outcome: 'map-existing',
            stageId: 'stg_working',
            stageName: 'working - contacted',
            reason: 'Stage "working - contacted" matches the value "Working - Contacted"; the value will be mapped to it.'
        });
        assert.deepEqual(result.suggestions, [
            {
                value: 'Qualifed',
                stageId: 'stg_qualified',
                stageName: 'Qualified',
                score: 0.75,
                why: 'the value "Qualifed" is 1 letter away from the stage name (a likely typo)'
            }
        ]);
        assert.deepEqual(result.summary, {
            total: 7,
            counts: {
                'already-mapped': 1,
                'map-existing': 2,
                'create-and-map': 2,
                'skip-stage-taken': 1,
                'skip-ambiguous': 0,
                'skip-inactive': 1
            }
        });
    });

    test('prints stageId only for already-mapped and map-existing, stageName only for map-existing, create-and-map and skip-stage-taken', async () => {
        const run = await automap('plan', '--input', fixture('lead-status.json'));
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout) as CliResult;
        for (const outcome of result.outcomes) {
            const keys = Object.keys(outcome);
            assert.equal(
                keys.includes('stageId'),
                ['already-mapped', 'map-existing'].includes(outcome.outcome),
                `${outcome.outcome}: stageId`
            );
            assert.equal(
                keys.includes('stageName'),
                ['map-existing', 'create-and-map', 'skip-stage-taken'].includes(outcome.outcome),
                `${outcome.outcome}: stageName`
            );
            assert.deepEqual(
                keys.filter((key) => !['value', 'outcome', 'stageId', 'stageName', 'reason'].includes(key)),
                []
            );
        }
        const taken = result.outcomes.find((outcome) => outcome.outcome === 'skip-stage-taken');
        assert.deepEqual(taken, {
            value: 'Closed - Not Converted',
            outcome: 'skip-stage-taken',
            stageName: 'Lost',
            reason: 'Stage "Lost" matches the label "Lost" but is already mapped to the value "Unqualified"; a stage maps to one value per field, and no duplicate stage is created.'
        });
    });

    test('defaults to json and leaves out the id when the scenario has none', async () => {
        const run = await automap('plan', `--input=${fixture('no-id.json')}`);
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout) as CliResult;
        assert.deepEqual(Object.keys(result), ['outcomes', 'suggestions', 'summary']);
        assert.equal(result.outcomes[0]?.outcome, 'map-existing');
    });

    test('plans an array of scenarios in order, echoing string and number ids and omitting missing ones', async () => {
        const run = await automap('plan', '--input', fixture('scenarios.json'), '--format', 'json');
        assert.equal(run.code, 0, run.stderr);
        const results = JSON.parse(run.stdout) as CliResult[];
        assert.equal(results.length, 3);
        assert.equal(results[0]?.id, 'account-type-de');
        assert.equal(results[1]?.id, 7);
        assert.equal('id' in (results[2] ?? {}), false);
        assert.deepEqual(
            results.map((result) => result.outcomes.map((outcome) => outcome.outcome)),
            [
                ['map-existing', 'create-and-map', 'create-and-map', 'skip-ambiguous'],
                ['map-existing', 'create-and-map'],
                ['create-and-map', 'skip-stage-taken']
            ]
        );
        assert.equal(results[2]?.outcomes[1]?.stageName, 'Fermé – Converti');
    });

    test('prints [] for an empty array', async () => {
        const run = await automap('plan', '--input', fixture('empty-array.json'));
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), []);
    });
});

describe('automap plan --format table', { concurrency: 4 }, () => {
    test('prints an aligned table per scenario with value, outcome, stage and reason, and the summary', async () => {
        const run = await automap('plan', '--input', fixture('lead-status.json'), '--format', 'table');
        assert.equal(run.code, 0, run.stderr);
        const lines = run.stdout.split('\n');
        assert.equal(lines[0], 'Lead.Status → contact stages (scenario "lead-status-en")');
        const header = lines.find((line) => line.startsWith('VALUE'));
        assert.ok(header, run.stdout);
        assert.match(header, /^VALUE\s+OUTCOME\s+STAGE\s+REASON$/);
        const outcomeColumn = header.indexOf('OUTCOME');
        const stageColumn = header.indexOf('STAGE');
        const row = lines.find((line) => line.startsWith('Closed - Converted'));
        assert.ok(row);
        assert.equal(row.indexOf('create-and-map'), outcomeColumn);
        assert.equal(row.indexOf('+ Closed - Converted (new)'), stageColumn);
        assert.match(run.stdout, /Qualifed → Qualified \(stg_qualified, score 0\.75\)/);
        assert.match(
            run.stdout,
            /^Summary: 7 values: 1 already-mapped, 2 map-existing, 2 create-and-map, 1 skip-stage-taken, 0 skip-ambiguous, 1 skip-inactive$/m
        );
    });

    test('prints one block per scenario of an array, aligning Japanese wide characters', async () => {
        const run = await automap('plan', '--input', fixture('scenarios.json'), '--format', 'table');
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^Account\.Type → account stages \(scenario "account-type-de"\)$/m);
        assert.match(run.stdout, /^Contact\.Contact_Status__c → contact stages \(scenario 7\)$/m);
        assert.match(run.stdout, /^Lead\.Status → contact stages \(scenario 3\)$/m);
        assert.equal(run.stdout.match(/^Summary: /gm)?.length, 3);
        const lines = run.stdout.split('\n');
        const contacted = lines.find((line) => line.startsWith('Contacted '));
        const notContacted = lines.find((line) => line.startsWith('Not Contacted '));
        assert.ok(contacted && notContacted);
        // コンタクト済 is 6 characters but 12 columns wide: the reasons start in the same column.
        const width = (text: string): number => {
            let columns = 0;
            for (const character of text) {
                columns += /[\u3000-\u9fff]/.test(character) ? 2 : 1;
            }
            return columns;
        };
        assert.equal(
            width(contacted.slice(0, contacted.indexOf('Stage "'))),
            width(notContacted.slice(0, notContacted.indexOf('No stage')))
        );
    });
});

describe(
    'automap plan --input: what the file format leaves optional or forgives (docs/cli.md)',
    { concurrency: 4 },
    () => {
        test('mappings may be left out: the scope has none', async () => {
            const run = await automap('plan', '--input', fixture('no-mappings.json'));
            assert.equal(run.code, 0, run.stderr);
            const result = JSON.parse(run.stdout) as CliResult;
            assert.deepEqual(
                result.outcomes.map((outcome) => [outcome.value, outcome.outcome]),
                [
                    ['Open - Not Contacted', 'create-and-map'],
                    ['Qualified', 'map-existing']
                ]
            );
        });

        test('stages may be left out too: every value creates its stage (what `automap export` writes without --service)', async () => {
            const run = await automap('plan', '--input', fixture('values-only.json'));
            assert.equal(run.code, 0, run.stderr);
            const result = JSON.parse(run.stdout) as CliResult;
            assert.equal(result.id, 'acme Lead.Status');
            assert.deepEqual(
                result.outcomes.map((outcome) => [outcome.value, outcome.outcome, outcome.stageName]),
                [
                    ['Open - Not Contacted', 'create-and-map', 'Open'],
                    ['Qualified', 'create-and-map', 'Qualified']
                ]
            );
        });

        test('object names are case-insensitive, as in the org modes, and printed in their canonical spelling', async () => {
            const run = await automap('plan', '--input', fixture('lowercase-object.json'), '--format', 'table');
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stdout, /^Lead\.Status → contact stages \(scenario 1\)$/m);
            assert.match(run.stdout, /^Account\.Type → account stages \(scenario 2\)$/m);
            assert.match(run.stdout, /^Prospect\s+map-existing\s+Prospect/m);
        });

        test('a blank label defaults to the value, as a missing one does', async () => {
            const run = await automap('plan', '--input', fixture('blank-label.json'));
            assert.equal(run.code, 0, run.stderr);
            const result = JSON.parse(run.stdout) as CliResult;
            assert.deepEqual(
                result.outcomes.map((outcome) => [outcome.value, outcome.stageName]),
                [
                    ['Cold', 'Cold'],
                    ['Replied', 'Replied'],
                    ['Interested', 'Keen']
                ]
            );
        });

        test('a file of white space only is an empty file too', async () => {
            const dir = mkdtempSync(join(tmpdir(), 'automap-cli-'));
            try {
                const file = join(dir, 'blank.json');
                writeFileSync(file, '\uFEFF \n\t\n');
                const run = await automap('plan', '--input', file);
                assert.equal(run.code, 2, run.stderr);
                assert.equal(run.stdout, '');
                assertOneCleanLine(
                    run,
                    /blank\.json: empty file \(expected a JSON scenario or an array of scenarios\)$/
                );
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        test('a raw NUL byte inside a JSON string is refused with its line and column and named as such', async () => {
            const dir = mkdtempSync(join(tmpdir(), 'automap-cli-'));
            try {
                const file = join(dir, 'raw-nul.json');
                writeFileSync(file, '{\n  "object": "Lead",\n  "field": "Sta\u0000tus",\n  "values": []\n}\n');
                const run = await automap('plan', '--input', file);
                assert.equal(run.code, 2, run.stderr);
                assert.equal(run.stdout, '');
                assertOneCleanLine(
                    run,
                    /raw-nul\.json: invalid JSON at line 3, column 16: the control character U\+0000 inside a string; picklist values, labels, stage names and ids cannot hold control characters$/
                );
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    }
);

describe(
    'automap bad input: exit 2, one line naming the problem and where, nothing on stdout',
    { concurrency: 4 },
    () => {
        const cases: [string, string[], RegExp][] = [
            [
                'an unreadable file',
                ['plan', '--input', fixture('does-not-exist.json')],
                /^automap: cannot read --input ".*does-not-exist\.json": no such file$/
            ],
            [
                'a directory',
                ['plan', '--input', FIXTURES],
                /^automap: cannot read --input ".*automap": it is a directory, not a file$/
            ],
            [
                'an empty file, saying so rather than reporting a JSON syntax error',
                ['plan', '--input', fixture('empty-file.json')],
                /^automap: .*empty-file\.json: empty file \(expected a JSON scenario or an array of scenarios\)$/
            ],
            [
                'a NUL in a label, naming its path',
                ['plan', '--input', fixture('nul-in-label.json')],
                /^automap: .*nul-in-label\.json: values\[1\]\.label: must not contain control characters or bidirectional formatting characters \(U\+0000 at character 6\)$/
            ],
            [
                'a C1 control character in a stage name, naming its path in an array',
                ['plan', '--input', fixture('control-in-stage-name.json')],
                /^automap: .*control-in-stage-name\.json: scenario\[1\]\.stages\[0\]\.name: must not contain control characters or bidirectional formatting characters \(U\+0085 at character 5\)$/
            ],
            [
                // A .txt file: Prettier formats .json files and would repair this one.
                'invalid JSON',
                ['plan', '--input', fixture('invalid-json.txt')],
                /invalid-json\.txt: invalid JSON at line 4, column 34: Unexpected token '\]'$/
            ],
            [
                'a missing field',
                ['plan', '--input', fixture('missing-field.json')],
                /missing-field\.json: field: missing \(a text is required\)$/
            ],
            [
                'a duplicate value',
                ['plan', '--input', fixture('duplicate-value.json')],
                /duplicate-value\.json: scenario\[1\]\.values\[2\]\.value: duplicate value "Prospect" \(already at scenario\[1\]\.values\[0\]\)$/
            ],
            [
                'a value over 255 characters',
                ['plan', '--input', fixture('value-too-long.json')],
                /value-too-long\.json: values\[1\]\.value: longer than 255 characters \(256\)$/
            ],
            [
                'a wrong type',
                ['plan', '--input', fixture('wrong-types.json')],
                /wrong-types\.json: values\[0\]\.active: must be true or false, got the string "yes"$/
            ],
            [
                'values that are not an array',
                ['plan', '--input', fixture('values-not-array.json')],
                /values: must be an array, got the string "Open"$/
            ],
            [
                'an unknown property',
                ['plan', '--input', fixture('unknown-property.json')],
                /stages\[0\]\.color: unknown property \(allowed: id, name\)$/
            ],
            [
                'an unsupported object',
                ['plan', '--input', fixture('unsupported-object.json')],
                /object: "Opportunity" is not supported \(use Contact, Lead or Account\)$/
            ],
            [
                'an id that is neither string nor number',
                ['plan', '--input', fixture('bad-id.json')],
                /scenario\[0\]\.id: must be a string or a number$/
            ],
            [
                'a file that is not a scenario',
                ['plan', '--input', fixture('not-a-scenario.json')],
                /the input must be a scenario object with object, field, values, stages and mappings, got number 42$/
            ],
            [
                'mappings that break 1:1',
                ['plan', '--input', fixture('mapping-breaks-one-to-one.json')],
                /mappings\[1\]\.stageId: stage "stg_1" is already mapped at mappings\[0\]; a stage maps to at most one value per field$/
            ],
            [
                'no command',
                [],
                /^automap: missing command \(usage: automap plan --input FILE \[--format json\|table\]\)$/
            ],
            [
                'an unknown command',
                ['apply', '--input', fixture('no-id.json')],
                /^automap: unknown command "apply" \(usage: /
            ],
            ['a missing --input', ['plan'], /^automap: plan needs --input FILE \(usage: /],
            ['--input without a file', ['plan', '--input'], /^automap: option --input needs a value \(usage: /],
            [
                'an unknown option',
                ['plan', '--input', fixture('no-id.json'), '--org', 'my-org'],
                /^automap: unknown option "--org" \(usage: /
            ],
            [
                'an unknown short option',
                ['plan', '-i', fixture('no-id.json')],
                /^automap: unknown option "-i" \(usage: /
            ],
            [
                'a bad format',
                ['plan', '--input', fixture('no-id.json'), '--format', 'csv'],
                /^automap: --format must be json or table, not "csv" \(usage: /
            ],
            [
                'an option given twice',
                ['plan', '--input', fixture('no-id.json'), '--input', fixture('no-id.json')],
                /^automap: option --input is given twice/
            ],
            [
                'an extra argument',
                ['plan', '--input', fixture('no-id.json'), 'extra'],
                /^automap: unexpected argument "extra" \(usage: /
            ]
        ];
        for (const [what, args, expected] of cases) {
            test(`refuses ${what}`, async () => {
                const run = await automap(...args);
                assert.equal(run.code, 2, `exit code for ${what}: ${run.stderr}`);
                assert.equal(run.stdout, '');
                assertOneCleanLine(run, expected);
            });
        }

        test('refuses bad input in table format too, with nothing on stdout', async () => {
            const run = await automap('plan', '--input', fixture('duplicate-value.json'), '--format', 'table');
            assert.equal(run.code, 2);
            assert.equal(run.stdout, '');
            assertOneCleanLine(run, /duplicate value "Prospect"/);
        });

        test('prints the help on --help and exits 0', async () => {
            const run = await automap('--help');
            assert.equal(run.code, 0);
            assert.match(run.stdout, /automap plan --input FILE \[--format json\|table\]/);
        });
    }
);

describe('jsonErrorOffset', () => {
    test('finds no error in valid JSON and the offset of the first error otherwise', () => {
        assert.equal(jsonErrorOffset('{"a": [1, -2.5e3, true, null, "x\\u00e9"]}'), undefined);
        assert.equal(jsonErrorOffset('{"a": [1,]}'), 9);
        assert.equal(jsonErrorOffset(''), 0);
        assert.equal(jsonErrorOffset('{"a": 1} x'), 9);
        assert.equal(jsonErrorOffset('{"a": 01}'), 7);
        assert.equal(jsonErrorOffset('{"a" 1}'), 5);
    });
});
