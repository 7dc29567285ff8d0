// Jest for the LWC bundles: sfdx-lwc-jest's preset (LWC compiler, stubs of lightning/* and @salesforce/*), with
// our shared mocks, the accessibility matcher, and coverage that ignores the .js that `npm run build` emits.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

export default {
    ...jestConfig,
    roots: ['<rootDir>/force-app'],
    moduleNameMapper: {
        // Each mock starts with a pointer to the stock stub it replaces.
        '^lightning/modal$': '<rootDir>/force-app/test/jest-mocks/lightning/modal',
        '^lightning/confirm$': '<rootDir>/force-app/test/jest-mocks/lightning/confirm',
        '^lightning/toast$': '<rootDir>/force-app/test/jest-mocks/lightning/toast'
    },
    setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/jest-sa11y-setup.js'],
    testPathIgnorePatterns: ['<rootDir>/node_modules/', '<rootDir>/force-app/test/'],
    // sfdx-lwc-jest imports the .ts when .ts and .js sit side by side; only the sources count for coverage.
    collectCoverageFrom: ['force-app/main/default/lwc/**/*.ts', '!force-app/**/__tests__/**'],
    coverageDirectory: 'coverage/lwc',
    testTimeout: 20000
};
