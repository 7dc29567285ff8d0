/**
 * `npm run check:platform-lint`: lints what the platform runs, the JavaScript `npm run build` emits into every LWC
 * bundle, with the rules Salesforce publishes for it, and then checks what those rules cannot see.
 *
 * 1. ESLint, programmatically and with its own flat config (the repository's eslint.config.js lints the TypeScript
 *    sources): `@lwc/eslint-plugin-lwc-platform`'s `recommended` config and every recommended rule of
 *    `@locker/eslint-plugin-locker` (Lightning Web Security; the package ships rules, no config), all as errors,
 *    parsed by `@babel/eslint-parser` with the decorators plugin as the LWC configs parse components. Zero findings
 *    pass. An inline disable is allowed only in the .ts source, only as `// eslint-disable-next-line` for a rule named
 *    in INLINE_DISABLE_ALLOWED, with its reason on the line above; an unused disable fails.
 * 2. scripts/check-lws-usage.ts: no `data:` URL in any `href`/`src`, Blob MIME types from the LWS allow-list.
 *
 * It refuses to run on stale output: every .ts needs a .js beside it that is at least as new (run `npm run build`).
 *
 * Usage: tsx scripts/check-platform-lint.ts [lwc-folder]
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import { ROOT } from './lib/exec.ts';
import { checkLwsUsage, displayPath, formatFinding } from './check-lws-usage.ts';
import type { Finding } from './check-lws-usage.ts';

const require = createRequire(import.meta.url);
const platformPlugin = require('@lwc/eslint-plugin-lwc-platform') as ESLint.Plugin & {
    configs: { recommended: Linter.Config[] };
};
const lockerPlugin = require('@locker/eslint-plugin-locker') as ESLint.Plugin;
const babelParser = require('@babel/eslint-parser') as Linter.Parser;

export const LWC_DIR = join(ROOT, 'force-app/main/default/lwc');

/**
 * Rules an inline disable may name, each for one kind of proven false positive. Both Locker rules match by member
 * name alone, whatever the object is.
 */
export const INLINE_DISABLE_ALLOWED: Readonly<Record<string, string>> = {
    // Matches every `*.open`: LightningModal.open() and LightningConfirm.open() open a Lightning dialog, not
    // XMLHttpRequest.prototype.open or window.open, which the rule is about.
    '@locker/locker/distorted-xml-http-request-window-open': 'a LightningModal/LightningConfirm .open() call',
    // Reports every URL.createObjectURL: LWS only refuses Blobs of MIME types off its allow-list, which
    // scripts/check-lws-usage.ts proves for every Blob the bundles create.
    '@locker/locker/distorted-url-create-object-url': 'a Blob whose MIME type the LWS usage check proves allowed'
};

/** Every rule the Locker plugin marks recommended, as an error. */
function lockerRules(): Linter.RulesRecord {
    const rules: Linter.RulesRecord = {};
    for (const [name, rule] of Object.entries(lockerPlugin.rules ?? {})) {
        if (rule.meta?.docs?.recommended) {
            rules[`@locker/locker/${name}`] = 'error';
        }
    }
    return rules;
}

/** The flat config the emitted JavaScript is linted with. */
export function platformLintConfig(): Linter.Config[] {
    const recommended = platformPlugin.configs.recommended.flatMap((config) => Object.entries(config.rules ?? {}));
    return [
        {
            files: ['**/*.js'],
            linterOptions: { reportUnusedDisableDirectives: 'error' },
            languageOptions: {
                parser: babelParser,
                parserOptions: {
                    requireConfigFile: false,
                    babelOptions: {
                        babelrc: false,
                        configFile: false,
                        parserOpts: { plugins: [['decorators', { decoratorsBeforeExport: false }]] }
                    }
                }
            },
            plugins: { '@lwc/lwc-platform': platformPlugin, '@locker/locker': lockerPlugin },
            rules: {
                ...Object.fromEntries(recommended),
                // Validates wire adapters for offline use in the Salesforce mobile app: it needs the platform's list
                // of offline adapters as options and throws without it. These bundles target desktop Lightning pages
                // (lightning__AppPage, lightning__Tab), not mobile offline.
                '@lwc/lwc-platform/valid-offline-wire': 'off',
                // Inline disables only for the rules above; the emitted comment comes from the .ts source.
                '@lwc/lwc-platform/no-inline-disable': [
                    'error',
                    {
                        whitelist: Object.fromEntries(
                            Object.keys(INLINE_DISABLE_ALLOWED).map((rule) => [rule, ['**/*.js']])
                        )
                    }
                ],
                ...lockerRules()
            }
        }
    ];
}

/** The .js of every bundle (tests excluded), and why the set cannot be trusted (a .ts without a fresh .js). */
export function emittedSources(lwcDir: string = LWC_DIR): { files: string[]; stale: string[] } {
    const files: string[] = [];
    const stale: string[] = [];
    for (const bundle of readdirSync(lwcDir).sort()) {
        const dir = join(lwcDir, bundle);
        if (!statSync(dir).isDirectory()) continue;
        for (const name of readdirSync(dir).sort()) {
            const path = join(dir, name);
            if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
                const js = path.replace(/\.ts$/, '.js');
                if (!existsSync(js)) {
                    stale.push(`${displayPath(path)} has no .js beside it`);
                } else if (statSync(js).mtimeMs < statSync(path).mtimeMs) {
                    stale.push(`${displayPath(path)} is newer than its .js`);
                }
            }
            if (name.endsWith('.js')) files.push(path);
        }
    }
    return { files, stale };
}

const DIRECTIVE = /\/[/*]\s*eslint(?:-disable|-enable|\s|$)/;
const ALLOWED_DIRECTIVE = /^\s*\/\/ eslint-disable-next-line ([^\s,]+(?:\s*,\s*[^\s,]+)*)\s*$/;

/**
 * ESLint directives in the emitted code: only `// eslint-disable-next-line <rule>` on a line of its own, naming rules
 * of INLINE_DISABLE_ALLOWED, with its reason on the comment line above. (The platform's no-inline-disable rule sees
 * line comments that name rules; a block comment or a directive naming no rule would switch off everything.)
 */
function directiveProblems(file: string, source: string): Finding[] {
    const findings: Finding[] = [];
    const lines = source.split('\n');
    lines.forEach((line, index) => {
        if (!DIRECTIVE.test(line)) return;
        const report = (message: string): void => {
            findings.push({ file: displayPath(file), line: index + 1, message });
        };
        const rules = ALLOWED_DIRECTIVE.exec(line)?.[1]?.split(/\s*,\s*/);
        if (!rules) {
            report('an ESLint directive other than "// eslint-disable-next-line <rule>" on its own line');
        } else if (rules.some((rule) => !(rule in INLINE_DISABLE_ALLOWED))) {
            report(
                `an inline disable of ${rules.join(', ')}; only ${Object.keys(INLINE_DISABLE_ALLOWED).join(', ')} may be`
            );
        } else if (!/^\s*\/\/\s*\S/.test(lines[index - 1] ?? '')) {
            report('an inline eslint-disable without its reason on the comment line above');
        }
    });
    return findings;
}

export interface PlatformLintReport {
    files: number;
    findings: Finding[];
}

/** ESLint with the platform's rules over the emitted JavaScript of every bundle. */
export async function lintEmittedJavaScript(lwcDir: string = LWC_DIR): Promise<PlatformLintReport> {
    const { files, stale } = emittedSources(lwcDir);
    if (stale.length > 0) {
        throw new Error(
            `The emitted JavaScript is missing or stale; run npm run build first:\n  ${stale.join('\n  ')}`
        );
    }
    const eslint = new ESLint({
        cwd: lwcDir,
        overrideConfigFile: true,
        overrideConfig: platformLintConfig(),
        ignore: false
    });
    const results = await eslint.lintFiles(files);
    const findings: Finding[] = results.flatMap((result) =>
        result.messages.map((message) => ({
            file: displayPath(result.filePath),
            line: message.line,
            message: `${message.ruleId ?? 'eslint'}: ${message.message}`
        }))
    );
    for (const file of files) findings.push(...directiveProblems(file, readFileSync(file, 'utf8')));
    return { files: files.length, findings };
}

/** Both checks: the platform's ESLint rules, then what they miss. */
export async function checkPlatform(
    lwcDir: string = LWC_DIR
): Promise<{ lint: PlatformLintReport; usage: PlatformLintReport }> {
    const lint = await lintEmittedJavaScript(lwcDir);
    const usage = checkLwsUsage(lwcDir);
    return { lint, usage };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    try {
        const { lint, usage } = await checkPlatform(process.argv[2]);
        const findings = [...lint.findings, ...usage.findings];
        if (findings.length > 0) {
            console.error(
                `Platform lint failed, ${findings.length} finding(s):\n  ${findings.map(formatFinding).join('\n  ')}`
            );
            process.exit(1);
        }
        console.log(
            `Platform lint: ${lint.files} emitted .js files pass @lwc/eslint-plugin-lwc-platform (recommended) and ` +
                `@locker/eslint-plugin-locker; ${usage.files} .js and .html files have no data: URL in href/src and ` +
                'only allow-listed Blob MIME types'
        );
    } catch (error) {
        console.error((error as Error).message);
        process.exit(1);
    }
}
