// Installs the project's dependencies when they are missing or out of date, so that `npm start` and `npm test`
// work on a fresh clone with no other step. Plain JavaScript: it runs before anything is installed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const lockFile = join(root, 'package-lock.json');
const stampFile = join(root, 'node_modules', '.stage-automap-installed');

const wanted = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
const installed = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';

if (installed !== wanted) {
    console.log('Installing dependencies (npm ci): the lock file changed or node_modules is missing...');
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
        console.error('npm ci failed: see the output above. Node 20.18+ and access to the npm registry are needed.');
        process.exit(result.status ?? 1);
    }
    writeFileSync(stampFile, `${wanted}\n`);
}
