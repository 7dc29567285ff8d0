/**
 * Builds the local preview: the package's real LWC bundles (the JavaScript `npm run build` emits beside each
 * `.ts`), Salesforce's base components (`lightning-base-components`) and SLDS, bundled with rollup and the LWC
 * plugin into `preview/dist`. Only modules that exist solely inside Salesforce are replaced (see
 * platformModules.ts). A build is skipped when nothing it reads changed since the last one (a hash of the inputs).
 *
 * Standalone: `npx tsx preview/build.ts [--force] [--dev]`.
 */
import { createHash } from 'node:crypto';
import {
    copyFileSync,
    existsSync,
    mkdirSync,
    readFileSync,
    readdirSync,
    rmSync,
    statSync,
    writeFileSync
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { rollup } from 'rollup';
import type { Plugin, RollupBuild, RollupLog } from 'rollup';
import { LWC_DIR, salesforcePlatform, scanBundles } from './platformModules.ts';
import type { PlatformUsage } from './platformModules.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUT_DIR = join(ROOT, 'preview/dist');
const HASH_FILE = '.build-hash';

export interface BuildOptions {
    /** Where the page goes; default preview/dist. */
    outDir?: string;
    /** Build even when the inputs hash matches the last build. */
    force?: boolean;
    /** Keep the LWC engine's development checks (slower, clearer errors); default production. */
    dev?: boolean;
    /** Progress lines; default silent. */
    log?: (line: string) => void;
}

export interface BuildResult {
    ms: number;
    /** True when the previous build was reused. */
    cached: boolean;
    outDir: string;
    hash: string;
}

/** Files whose content decides the output: force-app bundles, labels, permissions, the preview's client side. */
function inputFiles(): string[] {
    const files: string[] = [];
    const walk = (dir: string, keep: (path: string) => boolean): void => {
        if (!existsSync(dir)) {
            return;
        }
        for (const name of readdirSync(dir).sort()) {
            const path = join(dir, name);
            if (statSync(path).isDirectory()) {
                if (name !== '__tests__' && name !== 'dist' && name !== 'test' && name !== 'node_modules') {
                    walk(path, keep);
                }
            } else if (keep(path)) {
                files.push(path);
            }
        }
    };
    walk(join(ROOT, LWC_DIR), (path) => /\.(js|html|css)$/.test(path));
    walk(join(ROOT, 'force-app/main/default/labels'), () => true);
    walk(join(ROOT, 'force-app/main/default/customPermissions'), () => true);
    for (const dir of ['client', 'stubs', 'demo-org']) {
        walk(join(ROOT, 'preview', dir), () => true);
    }
    for (const file of ['build.ts', 'platformModules.ts', 'labels.ts', 'apexStandIn.ts', 'personas.ts', 'demoOrg.ts']) {
        files.push(join(ROOT, 'preview', file));
    }
    return files;
}

function packageVersion(name: string): string {
    const file = join(ROOT, 'node_modules', name, 'package.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
    return json.version;
}

export function inputsHash(dev = false): string {
    const hash = createHash('sha256');
    hash.update(`dev=${dev}\n`);
    for (const name of ['lwc', '@lwc/rollup-plugin', 'lightning-base-components', '@salesforce-ux/design-system']) {
        hash.update(`${name}@${packageVersion(name)}\n`);
    }
    for (const file of inputFiles()) {
        hash.update(`${relative(ROOT, file)}\n`);
        hash.update(readFileSync(file));
    }
    return hash.digest('hex');
}

/** `import.meta.env.SSR` → false (base components branch on it) and `process.env.NODE_ENV` → the mode. */
function browserGlobals(dev: boolean): Plugin {
    const mode = JSON.stringify(dev ? 'development' : 'production');
    return {
        name: 'stage-automap-preview-globals',
        transform(code) {
            if (!code.includes('import.meta.env') && !code.includes('process.env.NODE_ENV')) {
                return null;
            }
            return {
                code: code
                    .replace(/\bimport\.meta\.env\.SSR\b/g, 'false')
                    .replace(/\bprocess\.env\.NODE_ENV\b/g, mode)
                    .replace(/\bimport\.meta\.env\b/g, '({ SSR: false })'),
                map: null
            };
        }
    };
}

function copyStatic(outDir: string): void {
    const slds = join(ROOT, 'node_modules/@salesforce-ux/design-system');
    const css = join(outDir, 'assets/styles');
    mkdirSync(css, { recursive: true });
    copyFileSync(
        join(slds, 'assets/styles/salesforce-lightning-design-system.min.css'),
        join(css, 'salesforce-lightning-design-system.min.css')
    );
    // The stylesheet refers to a few images (avatars, banners) relative to itself.
    const copyDir = (from: string, to: string): void => {
        mkdirSync(to, { recursive: true });
        for (const name of readdirSync(from)) {
            const source = join(from, name);
            if (statSync(source).isDirectory()) {
                copyDir(source, join(to, name));
            } else {
                copyFileSync(source, join(to, name));
            }
        }
    };
    copyDir(join(slds, 'assets/images'), join(outDir, 'assets/images'));
    for (const name of ['index.html', 'preview.css']) {
        copyFileSync(join(ROOT, 'preview/client', name), join(outDir, name));
    }
}

export async function buildPreview(options: BuildOptions = {}): Promise<BuildResult> {
    const started = Date.now();
    const outDir = options.outDir ?? DEFAULT_OUT_DIR;
    const dev = options.dev ?? false;
    const log = options.log ?? ((): void => undefined);
    const bundles = scanBundles(ROOT);
    const hash = inputsHash(dev);
    const hashFile = join(outDir, HASH_FILE);
    if (!options.force && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
        return { ms: Date.now() - started, cached: true, outDir, hash };
    }

    const usage: PlatformUsage = { apex: new Set(), labels: new Set(), permissions: new Set() };
    const warnings: string[] = [];
    let bundle: RollupBuild;
    try {
        bundle = await rollup({
            input: join(ROOT, 'preview/client/main.js'),
            plugins: [
                salesforcePlatform(ROOT, usage, bundles.stale),
                lwc({
                    rootDir: join(ROOT, 'preview/client'),
                    modules: [...bundles.records, { npm: 'lightning-base-components' }],
                    enableDynamicComponents: true,
                    enableSyntheticElementInternals: true
                }),
                browserGlobals(dev)
            ],
            onwarn(warning: RollupLog) {
                if (warning.code === 'UNRESOLVED_IMPORT') {
                    throw new Error(`Unresolved import: ${warning.message}`);
                }
                // Module-level `this`, circular imports and the base components' own template warnings are theirs.
                if (
                    warning.code !== 'THIS_IS_UNDEFINED' &&
                    warning.code !== 'CIRCULAR_DEPENDENCY' &&
                    !(warning.id ?? '').includes('node_modules')
                ) {
                    warnings.push(warning.message);
                }
            }
        });
    } catch (error) {
        // Rollup's error carries every file it watched; the message says what is wrong.
        throw new Error(error instanceof Error ? error.message : String(error));
    }
    rmSync(outDir, { recursive: true, force: true });
    await bundle.write({
        dir: outDir,
        format: 'es',
        entryFileNames: 'main.js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        sourcemap: false
    });
    await bundle.close();
    copyStatic(outDir);
    writeFileSync(hashFile, hash);
    for (const warning of warnings) {
        log(`warning: ${warning}`);
    }
    log(
        `Preview built in ${Date.now() - started} ms into ${relative(ROOT, outDir)}: ${usage.apex.size} Apex ` +
            `method(s), ${usage.labels.size} label(s), ${usage.permissions.size} custom permission(s) stood in.`
    );
    return { ms: Date.now() - started, cached: false, outDir, hash };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const args = process.argv.slice(2);
    try {
        const result = await buildPreview({
            force: args.includes('--force'),
            dev: args.includes('--dev'),
            log: (line) => {
                console.log(line);
            }
        });
        if (result.cached) {
            console.log(`Preview is up to date (${relative(ROOT, result.outDir)}); --force rebuilds it.`);
        }
    } catch (error) {
        console.error(`Preview build failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
    }
}
