// StrykerJS 9 (10 needs Node 22) over the auto-map engine only: `npm run test:mutation`. Jest runs through the same
// jest.config.js as `npm run test:lwc` (sfdx-lwc-jest's preset), limited to the engine's tests. The property tests
// run 50 cases each with a fixed seed there (ENGINE_PROPERTY_RUNS, ENGINE_PROPERTY_SEED; CI keeps 1,000), so a run
// ends in minutes and two runs report the same survivors. Survivors that cannot change behaviour are listed, each
// with its reason, in stryker.equivalent.md.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENGINE = 'force-app/main/default/lwc/autoMapEngine';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    testRunner: 'jest',
    jest: {
        projectType: 'custom',
        configFile: 'jest.config.js',
        // The engine's tests render no component: without the LWC preset's and the accessibility matcher's setup
        // files each of the thousands of Jest runs starts about a third faster.
        config: { roots: [`<rootDir>/${ENGINE}`], setupFilesAfterEnv: [] },
        // Each mutant runs only the tests that reach it (Stryker's per-test coverage), not every test of the engine.
        enableFindRelatedTests: false
    },
    coverageAnalysis: 'perTest',
    mutate: [`${ENGINE}/*.ts`, `!${ENGINE}/autoMapEngine.ts`],
    // The sandbox holds only what the engine's tests need: Jest's configuration and the engine bundle's sources
    // (not the .js that `npm run build` writes beside them). node_modules is linked, not copied.
    ignorePatterns: [
        '/*',
        '!/package.json',
        '!/sfdx-project.json',
        '!/jest.config.js',
        '!/jest-sa11y-setup.js',
        '!/force-app',
        '/force-app/*',
        '!/force-app/main',
        '/force-app/main/*',
        '!/force-app/main/default',
        '/force-app/main/default/*',
        '!/force-app/main/default/lwc',
        '/force-app/main/default/lwc/*',
        `!/${ENGINE}`,
        `/${ENGINE}/*.js`
    ],
    // Outside the checkout, so no linter, formatter or test runner there ever meets a sandbox's copies.
    tempDirName: join(tmpdir(), `stryker-auto-map-engine-${process.pid}`),
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: 'test-output/mutation/mutation.html' },
    jsonReporter: { fileName: 'test-output/mutation/mutation.json' },
    thresholds: { high: 90, low: 80, break: null }
};
