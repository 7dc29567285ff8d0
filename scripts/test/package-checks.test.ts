/**
 * The offline package checks must catch what they exist for. Each check runs once on the real package (it must
 * pass) and once on a deliberately broken input (it must fail, saying where).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import ts from 'typescript';
import { ROOT } from '../lib/exec.ts';
import { checkAllBundles, checkEmittedSource } from '../check-compiled-lwc.ts';
import { checkApexParse, parseApex } from '../check-apex-parse.ts';
import { checkConvertSource, compareConversion } from '../check-convert-source.ts';

const PICKER = join(ROOT, 'force-app/main/default/lwc/picklistFieldPicker/picklistFieldPicker.ts');

/** Compiler options exactly as `npm run build` uses them, with `overrides` applied. */
function buildOptions(overrides: ts.CompilerOptions = {}): ts.CompilerOptions {
    const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), (path) => ts.sys.readFile(path));
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
    return { ...parsed.options, ...overrides };
}

function compile(source: string, options: ts.CompilerOptions): string {
    return ts.transpileModule(source, { compilerOptions: options, fileName: 'picklistFieldPicker.ts' }).outputText;
}

describe('compiled-output check', () => {
    const source = readFileSync(PICKER, 'utf8');

    test('the build settings keep @api and @wire as written and the LWC compiler accepts the output', () => {
        const js = compile(source, buildOptions());
        assert.match(js, /@api\s+objectApiName/);
        assert.match(js, /@wire\(getObjectInfo/);
        assert.deepEqual(checkEmittedSource('picklistFieldPicker', source, js), []);
    });

    test('experimentalDecorators: true is caught (tsc emits __decorate helpers)', () => {
        const js = compile(source, buildOptions({ experimentalDecorators: true }));
        const problems = checkEmittedSource('picklistFieldPicker', source, js);
        assert.ok(
            problems.some((problem) => problem.includes('helpers')),
            problems.join('\n')
        );
        assert.ok(
            problems.some((problem) => problem.includes('LWC compiler')),
            problems.join('\n')
        );
    });

    test('a target below ESNext is caught (tsc lowers standard decorators into __esDecorate)', () => {
        const js = compile(source, buildOptions({ target: ts.ScriptTarget.ES2022 }));
        const problems = checkEmittedSource('picklistFieldPicker', source, js);
        assert.ok(problems.length > 0, 'ES2022 output must be rejected');
    });

    test('every bundle in force-app passes after npm run build', () => {
        const { bundles, problems } = checkAllBundles();
        assert.ok(bundles >= 3);
        assert.deepEqual(problems, []);
    });
});

describe('Apex parse check', () => {
    test('every Apex file in force-app parses', () => {
        assert.deepEqual(checkApexParse(join(ROOT, 'force-app')).errors, []);
    });

    test('a syntax error is reported with its line and column', () => {
        const errors = parseApex(
            'public with sharing class Broken {\n    public void run() {\n        Integer x = ;\n    }\n}\n',
            'class'
        );
        assert.ok(errors.length > 0);
        assert.equal(errors[0]?.line, 3);
    });

    test('a broken file in a folder is named with file and line', () => {
        const dir = mkdtempSync(join(tmpdir(), 'stage-automap-apex-'));
        try {
            writeFileSync(join(dir, 'Broken.cls'), 'public class Broken {\n  void m() { if (true { } }\n}\n');
            writeFileSync(join(dir, 'Fine.cls'), 'public with sharing class Fine {}\n');
            const { files, errors } = checkApexParse(dir);
            assert.equal(files, 2);
            assert.ok(errors.length > 0);
            assert.match(errors[0] ?? '', /Broken\.cls:2:\d+ /);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('convert-source check', () => {
    test('force-app converts to exactly the components we ship, with no development file', () => {
        const { problems, components } = checkConvertSource();
        assert.deepEqual(problems, []);
        assert.ok(components > 0);
    });

    test('a stray .ts that .forceignore does not exclude is caught', () => {
        const project = mkdtempSync(join(tmpdir(), 'stage-automap-convert-'));
        try {
            const bundle = join(project, 'force-app/main/default/lwc/errorUtils');
            mkdirSync(bundle, { recursive: true });
            cpSync(join(ROOT, 'sfdx-project.json'), join(project, 'sfdx-project.json'));
            for (const file of ['errorUtils.js-meta.xml', 'errorUtils.js', 'errorUtils.ts']) {
                cpSync(join(ROOT, 'force-app/main/default/lwc/errorUtils', file), join(bundle, file));
            }
            // Without the **/*.ts entry, the TypeScript source rides along into the bundle.
            writeFileSync(join(project, '.forceignore'), '**/__tests__/**\n');
            const withStray = checkConvertSource(project, {}).problems;
            assert.ok(
                withStray.some((problem) => problem.includes('development file') && problem.includes('errorUtils.ts')),
                withStray.join('\n')
            );
            cpSync(join(ROOT, '.forceignore'), join(project, '.forceignore'));
            const clean = checkConvertSource(project, {}).problems.filter((problem) =>
                problem.includes('development file')
            );
            assert.deepEqual(clean, []);
        } finally {
            rmSync(project, { recursive: true, force: true });
        }
    });

    test('a shipped component missing from the manifest, or an extra one, is reported by name', () => {
        const expected = new Map([['ApexClass', new Set(['StageAutoMapController', 'StageServiceClient'])]]);
        const actual = new Map([['ApexClass', new Set(['StageAutoMapController', 'Stray'])]]);
        const problems = compareConversion(expected, actual, ['package.xml'], {
            ApexClass: ['StageAutoMapController']
        });
        assert.deepEqual(problems, [
            'manifest lacks ApexClass StageServiceClient',
            'manifest has unexpected ApexClass Stray'
        ]);
    });

    test('a required component absent from the source tree is reported', () => {
        const problems = compareConversion(new Map(), new Map(), [], { FlexiPage: ['Stage_AutoMap_Setup'] });
        assert.deepEqual(problems, ['required FlexiPage Stage_AutoMap_Setup is not in the source tree']);
    });
});
