/**
 * The platform lint (scripts/check-platform-lint.ts) and the LWS usage check (scripts/check-lws-usage.ts) pass on
 * the package as built, and fail, naming file and rule, on small seeded bundles that do what the platform forbids.
 * Each seeded bundle lives in a temporary lwc folder written by the test.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { INLINE_DISABLE_ALLOWED, checkPlatform, lintEmittedJavaScript } from '../check-platform-lint.ts';
import { LWS_ALLOWED_MIME_TYPES, checkLwsUsage, formatFinding, mimeTypeProblem } from '../check-lws-usage.ts';

const folders: string[] = [];

after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A temporary lwc folder holding the given bundles (bundle name → file name → text). */
function lwcFolder(bundles: Record<string, Record<string, string>>): string {
    const root = mkdtempSync(join(tmpdir(), 'stage-automap-platform-lint-'));
    folders.push(root);
    const past = new Date(Date.now() - 60_000);
    for (const [bundle, files] of Object.entries(bundles)) {
        mkdirSync(join(root, bundle));
        for (const [name, text] of Object.entries(files)) {
            const path = join(root, bundle, name);
            writeFileSync(path, text);
            // A source older than its output, as after `npm run build`.
            if (name.endsWith('.ts')) utimesSync(path, past, past);
        }
    }
    return root;
}

/** A bundle whose emitted .js is `js` (with a .ts beside it, as the build leaves it). */
function emitted(name: string, js: string, html?: string): Record<string, Record<string, string>> {
    return {
        [name]: { [`${name}.ts`]: '// source\n', [`${name}.js`]: js, ...(html ? { [`${name}.html`]: html } : {}) }
    };
}

function assertFinding(findings: { file: string; line: number; message: string }[], ...fragments: string[]): void {
    const text = findings.map(formatFinding);
    assert.ok(
        text.some((finding) => fragments.every((fragment) => finding.includes(fragment))),
        `expected a finding with ${fragments.map((fragment) => JSON.stringify(fragment)).join(' and ')}; got:\n  ${
            text.join('\n  ') || '(none)'
        }`
    );
}

const COMPONENT = (body: string, imports = ''): string =>
    `import { LightningElement } from 'lwc';\n${imports}\nexport default class Seeded extends LightningElement {\n${body}\n}\n`;

describe('platform lint of the emitted JavaScript', () => {
    test('every bundle of the package passes, both the ESLint rules and the LWS usage check (after npm run build)', async () => {
        const { lint, usage } = await checkPlatform();
        assert.deepEqual(lint.findings.map(formatFinding), []);
        assert.deepEqual(usage.findings.map(formatFinding), []);
        assert.ok(lint.files >= 15, `linted ${lint.files} files`);
    });

    test('a bundle using what LWS and the platform forbid fails, naming file, line and rule', async () => {
        const folder = lwcFolder(
            emitted(
                'seededBad',
                COMPONENT(
                    [
                        '    renderedCallback() {',
                        '        const session = document.cookie;',
                        '        this.full = document.fullscreenElement || session;',
                        '        $A.get("e.force:refreshView").fire();',
                        '    }'
                    ].join('\n'),
                    "import { dispatchGlobalEvent } from 'aura';"
                )
            )
        );
        const { findings } = await lintEmittedJavaScript(folder);
        assertFinding(findings, 'seededBad.js:5', '@locker/locker/distorted-document-cookie');
        assertFinding(findings, 'seededBad.js:6', '@locker/locker/distorted-document-blocked-properties', 'prohibited');
        assertFinding(findings, 'seededBad.js:7', '@lwc/lwc-platform/no-aura');
        assertFinding(findings, 'seededBad.js:2', '@lwc/lwc-platform/no-interop-dispatch');
    });

    test('an inline disable passes only for an allowed rule, with its reason above, where it is needed', async () => {
        const open = '@locker/locker/distorted-xml-http-request-window-open';
        assert.ok(INLINE_DISABLE_ALLOWED[open]);
        const call = (comments: string[]): string =>
            COMPONENT(
                `    async handle() {\n${comments.map((line) => `        ${line}\n`).join('')}        await Modal.open({});\n    }`,
                "import Modal from 'c/modal';"
            );
        const reasoned = lwcFolder(
            emitted(
                'reasoned',
                call(['// A LightningModal, not XHR or window.open.', `// eslint-disable-next-line ${open}`])
            )
        );
        assert.deepEqual((await lintEmittedJavaScript(reasoned)).findings, []);

        // The same call without the disable is a finding; without the reason line the disable is.
        assertFinding((await lintEmittedJavaScript(lwcFolder(emitted('bare', call([]))))).findings, open);
        const unexplained = lwcFolder(emitted('unexplained', call(['', `// eslint-disable-next-line ${open}`])));
        assertFinding((await lintEmittedJavaScript(unexplained)).findings, 'unexplained.js:6', 'without its reason');

        // A rule that is not on the allowed list may not be disabled inline.
        const cookie = COMPONENT(
            '    get session() {\n        // Reason.\n        // eslint-disable-next-line @locker/locker/distorted-document-cookie\n        return document.cookie;\n    }'
        );
        assertFinding(
            (await lintEmittedJavaScript(lwcFolder(emitted('notAllowed', cookie)))).findings,
            '@lwc/lwc-platform/no-inline-disable',
            'distorted-document-cookie'
        );

        // A directive that could switch off every rule is refused: a block comment, or a disable naming no rule.
        const blanket = lwcFolder(
            emitted('blanket', `/* eslint-disable */\n${call(['// Reason.', '// eslint-disable-next-line'])}`)
        );
        const blanketFindings = (await lintEmittedJavaScript(blanket)).findings;
        assertFinding(blanketFindings, 'blanket.js:1', 'an ESLint directive other than');
        assertFinding(blanketFindings, 'blanket.js:7', 'an ESLint directive other than');

        // A disable with nothing to disable fails too, so none outlives its reason.
        const unused = COMPONENT(
            `    get value() {\n        // Reason.\n        // eslint-disable-next-line ${open}\n        return 1;\n    }`
        );
        assertFinding(
            (await lintEmittedJavaScript(lwcFolder(emitted('unused', unused)))).findings,
            'Unused eslint-disable'
        );
    });

    test('it refuses to lint a .ts without a .js, or with a .js older than the .ts', async () => {
        const missing = lwcFolder({ noOutput: { 'noOutput.ts': 'export {};\n' } });
        await assert.rejects(lintEmittedJavaScript(missing), /run npm run build first[\s\S]*noOutput\.ts has no \.js/);
        const stale = lwcFolder(emitted('staleOutput', 'export {};\n'));
        utimesSync(join(stale, 'staleOutput/staleOutput.ts'), new Date(), new Date());
        utimesSync(
            join(stale, 'staleOutput/staleOutput.js'),
            new Date(Date.now() - 120_000),
            new Date(Date.now() - 120_000)
        );
        await assert.rejects(lintEmittedJavaScript(stale), /staleOutput\.ts is newer than its \.js/);
    });
});

describe('LWS usage check: data: URLs in href/src', () => {
    test('a literal data: URL in a template href or src is caught', () => {
        const folder = lwcFolder(
            emitted(
                'literalLink',
                COMPONENT(''),
                '<template>\n    <a href="data:text/plain,hello" download="a.txt">Save</a>\n    <img src="data:image/png;base64,AAAA" alt="">\n</template>\n'
            )
        );
        const { findings } = checkLwsUsage(folder);
        assertFinding(findings, 'literalLink.html:2', '<a href="data:...">');
        assertFinding(findings, 'literalLink.html:3', '<img src="data:...">');
    });

    test('href bound to a getter that returns a data: URL is caught, and a blob: URL is not', () => {
        const component = COMPONENT(
            [
                "    csv = 'a,b';",
                '    get link() {',
                '        return `data:text/csv;charset=utf-8,${encodeURIComponent(this.csv)}`;',
                '    }',
                "    get safe() {\n        return URL.createObjectURL(new Blob([this.csv], { type: 'text/plain' }));\n    }"
            ].join('\n')
        );
        const folder = lwcFolder(
            emitted(
                'getterLink',
                component,
                '<template>\n    <a href={link}>A</a>\n    <a href={safe}>B</a>\n</template>\n'
            )
        );
        const { findings } = checkLwsUsage(folder);
        assertFinding(findings, 'getterLink.html:2', 'bound to link');
        assert.equal(findings.length, 1, findings.map(formatFinding).join('\n'));
    });

    test('the old CSV export is caught: a field set from another bundle function that builds a data: URI', () => {
        // The shape the wizard had before the fix: c/textUtil exports the data: URI builder, the component stores it.
        const folder = lwcFolder({
            ...emitted(
                'textUtil',
                'export function csvDataUri(csv) {\n    return `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;\n}\n'
            ),
            ...emitted(
                'exporter',
                COMPONENT(
                    "    csvHref = '';\n    usePlan(plan) {\n        this.csvHref = csvDataUri(plan.csv);\n    }",
                    "import { csvDataUri } from 'c/textUtil';"
                ),
                '<template>\n    <template lwc:if={ready}><p>Wait</p></template>\n    <template lwc:else>\n        <a href={csvHref} download="plan.csv">Export</a>\n    </template>\n</template>\n'
            )
        });
        assertFinding(checkLwsUsage(folder).findings, 'exporter.html:4', 'bound to csvHref');
    });

    test('href of a for:each row built with a data: URL is caught', () => {
        const component = COMPONENT(
            "    files = [];\n    get rows() {\n        return this.files.map((file) => ({ id: file.id, url: 'data:text/plain,' + file.text }));\n    }"
        );
        const html =
            '<template>\n    <template for:each={rows} for:item="row">\n        <a key={row.id} href={row.url}>{row.id}</a>\n    </template>\n</template>\n';
        assertFinding(
            checkLwsUsage(lwcFolder(emitted('rowLinks', component, html))).findings,
            'rowLinks.html:3',
            'bound to rows'
        );
    });

    test('a data: URL set in script, by property or by setAttribute, is caught', () => {
        const js = [
            "const PREFIX = 'data:text/plain,';",
            'export function save(text) {',
            "    const anchor = document.createElement('a');",
            '    anchor.href = PREFIX + encodeURIComponent(text);',
            "    anchor.setAttribute('href', `data:text/plain,${text}`);",
            "    const image = document.createElement('img');",
            "    image['src'] = 'data:image/png;base64,AAAA';",
            "    image.setAttribute('title', 'data: is fine in a title');",
            '}',
            ''
        ].join('\n');
        const { findings } = checkLwsUsage(lwcFolder(emitted('scriptLinks', js)));
        assertFinding(findings, 'scriptLinks.js:4', 'sets .href to a data: URL');
        assertFinding(findings, 'scriptLinks.js:5', "setAttribute('href'");
        assertFinding(findings, 'scriptLinks.js:7', 'sets .src to a data: URL');
        assert.equal(findings.length, 3, findings.map(formatFinding).join('\n'));
    });
});

describe('LWS usage check: Blob MIME types', () => {
    test('the allow-list is the documented one: text/plain and octet-stream yes, text/csv and parameters no', () => {
        assert.ok(LWS_ALLOWED_MIME_TYPES.includes('text/plain'));
        assert.ok(LWS_ALLOWED_MIME_TYPES.includes('application/octet-stream'));
        assert.equal(mimeTypeProblem('text/plain'), undefined);
        assert.equal(mimeTypeProblem('image/png'), undefined);
        assert.equal(mimeTypeProblem('font/woff2'), undefined);
        assert.match(mimeTypeProblem('text/csv') ?? '', /not on the LWS Blob MIME allow-list/);
        assert.match(mimeTypeProblem('text/plain;charset=utf-8') ?? '', /parameters/);
        assert.match(mimeTypeProblem('image/') ?? '', /not on the LWS/);
        assert.match(mimeTypeProblem('text/html') ?? '', /not on the LWS/);
    });

    test('a Blob or File of a type off the list, with parameters, untyped or unreadable, is caught', () => {
        const folder = lwcFolder({
            ...emitted('mimeTypes', "export const CSV_TYPE = 'text/csv';\nexport const TEXT_TYPE = 'text/plain';\n"),
            ...emitted(
                'blobs',
                [
                    "import { CSV_TYPE, TEXT_TYPE } from 'c/mimeTypes';",
                    'export function build(text, type) {',
                    "    new Blob([text], { type: 'text/csv' });",
                    "    new Blob([text], { type: 'text/plain;charset=utf-8' });",
                    '    new Blob([text]);',
                    '    new Blob([text], { type });',
                    '    new Blob([text], { type: CSV_TYPE });',
                    "    new File([text], 'page.html', { type: 'text/html' });",
                    '    new Blob([text], { type: TEXT_TYPE });',
                    "    new Blob([text], { type: 'application/octet-stream' });",
                    "    return new window.Blob([text], { type: 'image/png' });",
                    '}',
                    ''
                ].join('\n')
            )
        });
        const { findings } = checkLwsUsage(folder);
        assertFinding(findings, 'blobs.js:3', '"text/csv" is not on the LWS Blob MIME allow-list');
        assertFinding(findings, 'blobs.js:4', 'parameters');
        assertFinding(findings, 'blobs.js:5', 'without a MIME type');
        assertFinding(findings, 'blobs.js:6', 'cannot be checked');
        assertFinding(findings, 'blobs.js:7', '"text/csv"');
        assertFinding(findings, 'blobs.js:8', 'new File(...)', '"text/html"');
        assert.equal(findings.length, 6, findings.map(formatFinding).join('\n'));
    });
});
