/**
 * Proves that what `npm run build` emits is what the platform accepts: every LWC bundle written in TypeScript has
 * its compiled .js beside the .ts, the .js keeps the LWC decorators exactly as written (tsc rewrites them into
 * `__esDecorate`/`__decorate` helpers under any other decorator setting, which the LWC compiler rejects with
 * LWC1104), and the LWC compiler itself accepts every .js and .html of the bundle. Two compilers run: the one the
 * Jest engine uses (8.x) and the newest (9.x), so neither the tests nor a newer platform release surprise us.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './lib/exec.ts';

interface LwcCompiler {
    version: string;
    transformSync(source: string, filename: string, options: { name: string; namespace: string }): { code: string };
}

const require = createRequire(import.meta.url);
const COMPILERS: LwcCompiler[] = [require('@lwc/compiler') as LwcCompiler, require('lwc/compiler') as LwcCompiler];

export const LWC_DIR = join(ROOT, 'force-app/main/default/lwc');

const DECORATOR_HELPERS = /__esDecorate|__decorate\b|__runInitializers|__metadata\(/;

/** Problems found in one bundle's emitted JavaScript, with the compiler that found each. */
export function checkEmittedSource(bundle: string, tsSource: string, jsSource: string): string[] {
    const problems: string[] = [];
    if (DECORATOR_HELPERS.test(jsSource)) {
        problems.push(
            `${bundle}.js: tsc rewrote decorators into helpers; check target ESNext and experimentalDecorators false`
        );
    }
    for (const decorator of ['@api', '@wire', '@track']) {
        const inTs = tsSource.split(decorator).length - 1;
        const inJs = jsSource.split(decorator).length - 1;
        if (inTs !== inJs) {
            problems.push(`${bundle}.js: ${decorator} appears ${inJs} times, ${inTs} in the .ts source`);
        }
    }
    for (const compiler of COMPILERS) {
        try {
            compiler.transformSync(jsSource, `${bundle}.js`, { name: bundle, namespace: 'c' });
        } catch (error) {
            problems.push(`${bundle}.js: LWC compiler ${compiler.version}: ${(error as Error).message}`);
        }
    }
    return problems;
}

/** Problems found in one bundle folder: emitted JS and templates. */
export function checkBundle(dir: string): string[] {
    const bundle = basename(dir);
    const tsFile = join(dir, `${bundle}.ts`);
    if (!existsSync(tsFile)) {
        return [];
    }
    const problems: string[] = [];
    const tsSources = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
    for (const tsName of tsSources) {
        const tsPath = join(dir, tsName);
        const jsPath = tsPath.replace(/\.ts$/, '.js');
        if (!existsSync(jsPath)) {
            problems.push(`${bundle}/${tsName}: no compiled .js beside it; run npm run build`);
            continue;
        }
        if (statSync(jsPath).mtimeMs + 1000 < statSync(tsPath).mtimeMs) {
            problems.push(`${bundle}/${tsName}: the .js is older than the .ts; run npm run build`);
        }
        const moduleName = tsName === `${bundle}.ts` ? bundle : tsName.replace(/\.ts$/, '');
        problems.push(
            ...checkEmittedSource(moduleName, readFileSync(tsPath, 'utf8'), readFileSync(jsPath, 'utf8')).map(
                (problem) => `${bundle}/${problem}`
            )
        );
    }
    for (const html of readdirSync(dir).filter((file) => file.endsWith('.html'))) {
        for (const compiler of COMPILERS) {
            try {
                compiler.transformSync(readFileSync(join(dir, html), 'utf8'), html, { name: bundle, namespace: 'c' });
            } catch (error) {
                problems.push(`${bundle}/${html}: LWC compiler ${compiler.version}: ${(error as Error).message}`);
            }
        }
    }
    return problems;
}

export function checkAllBundles(lwcDir: string = LWC_DIR): { bundles: number; problems: string[] } {
    const dirs = readdirSync(lwcDir)
        .map((name) => join(lwcDir, name))
        .filter((path) => statSync(path).isDirectory());
    const problems = dirs.flatMap((dir) => checkBundle(dir));
    return { bundles: dirs.length, problems };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    const { bundles, problems } = checkAllBundles();
    if (problems.length > 0) {
        console.error(`LWC compiled-output check failed:\n  ${problems.join('\n  ')}`);
        process.exit(1);
    }
    console.log(
        `LWC compiled-output check: ${bundles} bundles accepted by LWC compilers ${COMPILERS.map((c) => c.version).join(' and ')}`
    );
}
