/**
 * Keeps `compilerOptions.paths` in tsconfig.json in step with the LWC bundles (plus fixed platform overrides).
 *
 * TypeScript cannot map `c/*` to `<bundle>/<bundle>` with one wildcard (the bundle name appears twice), so each
 * bundle gets its own entry. `--check` fails instead of writing, so CI catches a bundle added without a sync.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const LWC_DIR = 'force-app/main/default/lwc';

/**
 * Platform modules whose declarations in @salesforce/lightning-types lack what we use (the static `open()` of
 * modals): a module file reached through `paths` wins over the package's ambient `declare module`.
 */
const PLATFORM_OVERRIDES: Record<string, string[]> = {
    'lightning/confirm': ['./types/platform/lightningConfirm.d.ts'],
    'lightning/modal': ['./types/platform/lightningModal.d.ts'],
    'lightning/toast': ['./types/platform/lightningToast.d.ts']
};

function bundlePaths(root: string = ROOT): Record<string, string[]> {
    const dir = join(root, LWC_DIR);
    const paths: Record<string, string[]> = { ...PLATFORM_OVERRIDES };
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.isDirectory() && existsSync(join(dir, entry.name, `${entry.name}.ts`))) {
            paths[`c/${entry.name}`] = [`./${LWC_DIR}/${entry.name}/${entry.name}.ts`];
        }
    }
    return paths;
}

function main(): void {
    const file = join(ROOT, 'tsconfig.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { compilerOptions: { paths?: Record<string, string[]> } };
    const wanted = bundlePaths();
    const same = JSON.stringify(config.compilerOptions.paths ?? {}) === JSON.stringify(wanted);
    if (process.argv.includes('--check')) {
        if (!same) {
            console.error('tsconfig.json paths are out of date with the LWC bundles: run `npm run build`.');
            process.exit(1);
        }
        return;
    }
    if (!same) {
        config.compilerOptions.paths = wanted;
        writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
        console.log(`tsconfig.json: ${Object.keys(wanted).length} bundle paths written`);
    }
}

main();
