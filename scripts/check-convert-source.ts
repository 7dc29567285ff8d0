/**
 * Converts the package directory to Metadata API format with the Salesforce CLI (source-deploy-retrieve resolves
 * every file against the metadata registry, the best offline check of the package's shape) and asserts:
 * - the manifest lists exactly the components the source tree says we ship (nothing missing, nothing extra),
 *   including the ones every release must carry;
 * - no TypeScript source, test, tsconfig or other development file made it into the converted output.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, SF_ENV, bin, run } from './lib/exec.ts';

export type Manifest = Map<string, Set<string>>;

/** Components every build of the package must contain, whatever else is added. */
export const REQUIRED: Record<string, string[]> = {
    ApexClass: [
        'StageAutoMapController',
        'StageAutoMapController_Tests',
        'StageServiceCalloutMock',
        'StageServiceClient',
        'StageServiceClient_Tests',
        'StageServiceException'
    ],
    LightningComponentBundle: [
        'autoMapEngine',
        'autoMapPreviewTable',
        'autoMapWizard',
        'errorPanel',
        'errorUtils',
        'picklistFieldPicker',
        'runHistory',
        'stageAutoMapApi',
        'stageAutoMapSetup',
        'stageHousekeeping',
        'stageMappingPanel',
        'stageMappingTable'
    ],
    CustomPermission: ['Stage_AutoMap_Edit_Integration_Settings', 'Stage_AutoMap_View'],
    PermissionSet: ['Stage_AutoMap_Admin', 'Stage_AutoMap_Read_Only', 'Stage_AutoMap_Service_Access'],
    ExternalCredential: ['Stage_Service'],
    NamedCredential: ['Stage_Service'],
    FlexiPage: ['Stage_AutoMap_Setup'],
    CustomTab: ['Stage_AutoMap_Setup'],
    CustomApplication: ['Stage_AutoMap'],
    CustomLabels: ['CustomLabels']
};

const FORBIDDEN = [/\.ts$/, /__tests__/, /tsconfig.*\.json$/, /\.test\.js$/, /jsconfig\.json$/, /\.eslintrc/];

function parseManifest(xml: string): Manifest {
    const manifest: Manifest = new Map();
    for (const block of xml.match(/<types>[\s\S]*?<\/types>/g) ?? []) {
        const name = /<name>([^<]+)<\/name>/.exec(block)?.[1];
        if (!name) {
            continue;
        }
        const members = [...block.matchAll(/<members>([^<]+)<\/members>/g)].map((match) => match[1] ?? '');
        manifest.set(name, new Set(members));
    }
    return manifest;
}

function listFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

function filesIn(dir: string, suffix: string): string[] {
    return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(suffix)) : [];
}

/** What the source tree says the package ships, by metadata type. */
export function expectedComponents(packageDir: string): Manifest {
    const base = join(packageDir, 'main/default');
    const expected: Manifest = new Map();
    const add = (type: string, names: string[]): void => {
        if (names.length > 0) {
            expected.set(type, new Set([...(expected.get(type) ?? []), ...names]));
        }
    };
    const lwcDir = join(base, 'lwc');
    add(
        'LightningComponentBundle',
        existsSync(lwcDir) ? readdirSync(lwcDir).filter((name) => statSync(join(lwcDir, name)).isDirectory()) : []
    );
    const bySuffix: [string, string, string][] = [
        ['ApexClass', 'classes', '.cls'],
        ['ApexTrigger', 'triggers', '.trigger'],
        ['CustomPermission', 'customPermissions', '.customPermission-meta.xml'],
        ['PermissionSet', 'permissionsets', '.permissionset-meta.xml'],
        ['FlexiPage', 'flexipages', '.flexipage-meta.xml'],
        ['CustomTab', 'tabs', '.tab-meta.xml'],
        ['CustomApplication', 'applications', '.app-meta.xml'],
        ['NamedCredential', 'namedCredentials', '.namedCredential-meta.xml'],
        ['ExternalCredential', 'externalCredentials', '.externalCredential-meta.xml']
    ];
    for (const [type, folder, suffix] of bySuffix) {
        add(
            type,
            filesIn(join(base, folder), suffix).map((name) => name.slice(0, -suffix.length))
        );
    }
    const labelFiles = filesIn(join(base, 'labels'), '.labels-meta.xml');
    if (labelFiles.length > 0) {
        add('CustomLabels', ['CustomLabels']);
        add(
            'CustomLabel',
            labelFiles.flatMap((file) =>
                [...readFileSync(join(base, 'labels', file), 'utf8').matchAll(/<fullName>([^<]+)<\/fullName>/g)].map(
                    (match) => match[1] ?? ''
                )
            )
        );
    }
    return expected;
}

/** Differences between the converted manifest and what we expect, plus forbidden files in the output. */
export function compareConversion(
    expected: Manifest,
    actual: Manifest,
    outputFiles: string[],
    required: Record<string, string[]> = REQUIRED
): string[] {
    const problems: string[] = [];
    for (const [type, names] of Object.entries(required)) {
        for (const name of names) {
            if (!expected.get(type)?.has(name)) {
                problems.push(`required ${type} ${name} is not in the source tree`);
            }
        }
    }
    for (const type of new Set([...expected.keys(), ...actual.keys()])) {
        const want = expected.get(type) ?? new Set<string>();
        const got = actual.get(type) ?? new Set<string>();
        for (const name of want) {
            if (!got.has(name)) {
                problems.push(`manifest lacks ${type} ${name}`);
            }
        }
        for (const name of got) {
            if (!want.has(name)) {
                problems.push(`manifest has unexpected ${type} ${name}`);
            }
        }
    }
    for (const file of outputFiles) {
        if (FORBIDDEN.some((pattern) => pattern.test(file))) {
            problems.push(`development file in the converted output: ${file}`);
        }
    }
    return problems;
}

/** Runs `sf project convert source` for a project folder and checks the result. */
export function checkConvertSource(
    projectDir: string = ROOT,
    required: Record<string, string[]> = REQUIRED,
    packageDir = 'force-app'
): { problems: string[]; components: number } {
    // Outside any project (the CLI filters what it writes through the .forceignore of a project that encloses the
    // output folder, which would hide a leak) and not a dot-folder (then it silently writes only package.xml).
    const outputDir = join(mkdtempSync(join(tmpdir(), 'stage-automap-convert-')), 'mdapi');
    try {
        const result = run(
            bin('sf'),
            ['project', 'convert', 'source', '--source-dir', packageDir, '--output-dir', outputDir, '--json'],
            {
                cwd: projectDir,
                env: { ...process.env, ...SF_ENV }
            }
        );
        if (result.status !== 0 || !existsSync(join(outputDir, 'package.xml'))) {
            return {
                problems: [
                    `sf project convert source failed (exit ${result.status}): ${result.stdout}${result.stderr}`
                ],
                components: 0
            };
        }
        const actual = parseManifest(readFileSync(join(outputDir, 'package.xml'), 'utf8'));
        const files = listFiles(outputDir).map((file) => relative(outputDir, file));
        const expected = expectedComponents(join(projectDir, packageDir));
        const components = [...actual.values()].reduce((sum, names) => sum + names.size, 0);
        return { problems: compareConversion(expected, actual, files, required), components };
    } finally {
        rmSync(join(outputDir, '..'), { recursive: true, force: true });
    }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    const { problems, components } = checkConvertSource();
    if (problems.length > 0) {
        console.error(`Convert-source check failed:\n  ${problems.join('\n  ')}`);
        process.exit(1);
    }
    console.log(
        `Convert-source check: ${components} components in the manifest, exactly as expected, no development files`
    );
}
