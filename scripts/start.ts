/**
 * `npm start`: runs the product locally. For now it builds the package's JavaScript (done by the npm script
 * before this runs) and says what was built and how to deploy it; the local preview replaces this (issue 7).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/exec.ts';

const bundles = readdirSync(join(ROOT, 'force-app/main/default/lwc'));
console.log(`Stage AutoMap: built ${bundles.length} LWC bundles (${bundles.join(', ')}).`);
console.log('Deploy to a scratch org with the commands in README.md ("Install into an org").');
