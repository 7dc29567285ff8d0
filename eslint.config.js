// ESLint 9 flat config, grouped by kind of file. Zero warnings are allowed (`npm run lint` passes
// --max-warnings 0), so every rule here is either on as an error or deliberately off with a reason.
import { createRequire } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);
const lwcConfig = require('@salesforce/eslint-config-lwc');
const lockerPlugin = require('@locker/eslint-plugin-locker');

const LWC_TS = ['force-app/**/lwc/**/*.ts', 'force-app/test/**/*.ts'];
const NODE_TS = ['service/**/*.ts', 'cli/**/*.ts', 'scripts/**/*.ts', 'preview/**/*.ts'];

export default tseslint.config(
    // Generated, vendored or output files: never linted.
    {
        ignores: [
            'node_modules/**',
            'coverage/**',
            'test-output/**',
            'preview/dist/**',
            '.data/**',
            '.sf/**',
            '.sfdx/**',
            // The .js beside each .ts is tsc's output; the .ts is what we lint.
            'force-app/**/lwc/**/*.js'
        ]
    },

    // LWC sources and their Jest tests: Salesforce's recommended LWC rules (the TypeScript variant) ...
    ...lwcConfig.configs.recommendedTs.map((config) => ({ ...config, files: LWC_TS })),

    // ... then typescript-eslint's type-checked rules over every TypeScript file. Its parser replaces the Babel
    // parser of the LWC configs so one AST, with types, serves both rule sets.
    ...tseslint.configs.strictTypeChecked.map((config) => ({ ...config, files: [...LWC_TS, ...NODE_TS] })),
    {
        files: [...LWC_TS, ...NODE_TS],
        languageOptions: {
            parser: tseslint.parser,
            parserOptions: {
                project: ['./tsconfig.json', './tsconfig.node.json'],
                tsconfigRootDir: import.meta.dirname
            }
        },
        rules: {
            '@typescript-eslint/no-explicit-any': 'error',
            '@typescript-eslint/ban-ts-comment': 'error',
            '@typescript-eslint/consistent-type-imports': 'error',
            '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
            // Import resolution is tsc's job (paths per bundle, platform modules declared in types/).
            'import/no-unresolved': 'off',
            'import/named': 'off',
            'import/namespace': 'off',
            'import/default': 'off',
            'import/no-named-as-default-member': 'off'
        }
    },
    {
        files: LWC_TS,
        languageOptions: { globals: { ...globals.browser } }
    },
    {
        // Lightning Web Security's rules on the component sources too, as scripts/check-platform-lint.ts runs them on
        // the emitted .js: a justified inline disable in a .ts is then known, and used, in both places.
        files: LWC_TS,
        ignores: ['force-app/**/__tests__/**', 'force-app/test/**'],
        plugins: { '@locker/locker': lockerPlugin },
        rules: Object.fromEntries(
            Object.entries(lockerPlugin.rules)
                .filter(([, rule]) => rule.meta?.docs?.recommended)
                .map(([name]) => [`@locker/locker/${name}`, 'error'])
        )
    },
    {
        // Jest tests and shared mocks: Jest globals; the platform stubs are untyped, so tests reach into them.
        files: ['force-app/**/__tests__/**/*.ts', 'force-app/test/**/*.ts'],
        languageOptions: { globals: { ...globals.jest } },
        rules: {
            '@typescript-eslint/unbound-method': 'off',
            '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
            // flushPromises() waits a macrotask on purpose; the rule guards component code, not tests.
            '@lwc/lwc/no-async-operation': 'off'
        }
    },

    // Node side: the stage service, scripts, the preview server.
    {
        files: NODE_TS,
        languageOptions: { globals: { ...globals.node } },
        rules: {
            // node:test's test()/describe() return promises the runner itself awaits.
            '@typescript-eslint/no-floating-promises': [
                'error',
                {
                    allowForKnownSafeCalls: [
                        { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }
                    ]
                }
            ]
        }
    },
    {
        // Plain JavaScript configuration and helper files at the root and in scripts/.
        files: ['*.js', '*.mjs', 'scripts/**/*.mjs'],
        languageOptions: { globals: { ...globals.node }, sourceType: 'module' }
    }
);
