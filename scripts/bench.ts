/**
 * `npm run bench`: prints the speed and memory figures of every part that has a bench. Figures only, no pass or
 * fail: targets are compared by people, in the issue notes, not by timed assertions.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/exec.ts';

const benches = [
    'scripts/bench/engine-bench.ts',
    'scripts/bench/service-bench.ts',
    'scripts/bench/preview-bench.ts',
    'scripts/bench/governor-bench.ts'
];

for (const bench of benches) {
    if (!existsSync(join(ROOT, bench))) {
        continue;
    }
    console.log(`\n=== ${bench}`);
    const module = (await import(join(ROOT, bench))) as { main?: () => Promise<void> };
    if (typeof module.main === 'function') {
        await module.main();
    }
}
