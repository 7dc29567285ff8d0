/**
 * `npm run build`: compiles every LWC bundle's TypeScript to the JavaScript the platform runs, in place, then
 * proves the output with the LWC compiler. Steps: sync tsconfig paths with the bundles, delete .js files whose
 * .ts is gone (so a removed source cannot linger in a deploy), tsc with tsconfig.build.json, compiled-output check.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bin, run } from './lib/exec.ts';
import { LWC_DIR, checkAllBundles } from './check-compiled-lwc.ts';

function removeOrphanedJs(dir: string): number {
    let removed = 0;
    for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            if (name !== '__tests__') {
                removed += removeOrphanedJs(path);
            }
        } else if (name.endsWith('.js') && !existsSync(path.replace(/\.js$/, '.ts'))) {
            rmSync(path);
            removed += 1;
        }
    }
    return removed;
}

const started = Date.now();
if (
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/sync-tsconfig-paths.ts')], { inherit: true })
        .status !== 0
) {
    process.exit(1);
}
const orphans = removeOrphanedJs(LWC_DIR);
if (orphans > 0) {
    console.log(`Removed ${orphans} generated .js file(s) whose .ts source no longer exists`);
}
const tsc = run(bin('tsc'), ['-p', 'tsconfig.build.json'], { inherit: true });
if (tsc.status !== 0) {
    console.error('Build failed: tsc reported errors (nothing was emitted, noEmitOnError is on).');
    process.exit(tsc.status);
}
const { bundles, problems } = checkAllBundles();
if (problems.length > 0) {
    console.error(`Build failed: the LWC compiler rejects the emitted JavaScript:\n  ${problems.join('\n  ')}`);
    process.exit(1);
}
console.log(`Built ${bundles} LWC bundles in ${Date.now() - started} ms; the LWC compiler accepts every one.`);
