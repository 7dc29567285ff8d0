/**
 * The only place where the preview differs from an org: modules that exist solely inside Salesforce are replaced
 * at build time, ahead of the LWC rollup plugin. Everything else (the package's bundles, `lightning/*` base
 * components, `lwc`) is resolved by the LWC plugin exactly as it ships.
 *
 * | import                                   | becomes                                                            |
 * | ---------------------------------------- | ------------------------------------------------------------------ |
 * | `lightning/uiObjectInfoApi`              | `preview/stubs/uiObjectInfoApi.js`: wire adapters over the org of  |
 * |                                          | `preview/stubs/org.js` (demo-org/, or a `--picklists` file's)      |
 * | `lightning/platformShowToastEvent`       | `preview/stubs/platformShowToastEvent.js` (the platform's event)   |
 * | `@salesforce/apex/<Class>.<method>`      | a `fetch` to the Apex stand-in (`preview/apexStandIn.ts`)          |
 * | `@salesforce/customPermission/<Name>`    | the switchable persona's grant (`preview/stubs/session.js`)        |
 * | `@salesforce/label/c.<Name>`             | the value in force-app/main/default/labels (build fails if absent) |
 * | `@salesforce/user/Id`, `user/isGuest`    | the persona's user                                                 |
 * | `@salesforce/i18n/lang`, `i18n/locale`   | the session's language (`?lang=de`): `preview/stubs/i18n*.js`      |
 * | `@salesforce/schema/<Object>[.<Field>]`  | `{ objectApiName, fieldApiName }` as the platform resolves them    |
 *
 * Any other `@salesforce/*` or `lightning/*` import that lightning-base-components does not provide fails the
 * build with the module's name, so a new platform dependency of the wizard is noticed rather than mocked silently.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'rollup';
import { readCustomLabels } from './labels.ts';
import { APEX_METHODS } from './apexStandIn.ts';
import { PERSONAS } from './personas.ts';
import {
    DEMO_ORG_DIR,
    LARGE_FIELD,
    LARGE_FIELD_LABEL,
    LARGE_FIELD_OBJECT,
    LARGE_FIELD_SIZE,
    readDemoObjects
} from './demoOrg.ts';

export const LWC_DIR = 'force-app/main/default/lwc';
const CUSTOM_PERMISSIONS_DIR = 'force-app/main/default/customPermissions';

/** The page component the preview renders, and the fallback used while the page bundle does not exist yet. */
export const PAGE_BUNDLE = 'stageAutoMapSetup';
export const FALLBACK_BUNDLE = 'picklistFieldPicker';

const STUBS: Record<string, string> = {
    'lightning/uiObjectInfoApi': 'preview/stubs/uiObjectInfoApi.js',
    'lightning/platformShowToastEvent': 'preview/stubs/platformShowToastEvent.js',
    '@preview/session': 'preview/stubs/session.js',
    '@preview/org': 'preview/stubs/org.js',
    '@preview/apexClient': 'preview/stubs/apexClient.js',
    '@salesforce/i18n/lang': 'preview/stubs/i18nLang.js',
    '@salesforce/i18n/locale': 'preview/stubs/i18nLocale.js'
};

const VIRTUAL = '\0sf:';

/** `tag-name` of an LWC bundle in the `c` namespace: `stageAutoMapSetup` → `c-stage-auto-map-setup`. */
export function tagOf(bundle: string): string {
    return `c-${bundle.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export function customPermissionNames(root: string): string[] {
    const dir = join(root, CUSTOM_PERMISSIONS_DIR);
    return existsSync(dir)
        ? readdirSync(dir)
              .filter((name) => name.endsWith('.customPermission-meta.xml'))
              .map((name) => name.replace('.customPermission-meta.xml', ''))
              .sort()
        : [];
}

/** The demo org's recorded UI API responses, one JSON file per object plus `translations/<lang>.json`. */
export function demoOrgModule(root: string): string {
    const dir = join(root, DEMO_ORG_DIR);
    const objects = readDemoObjects(root);
    const translations: Record<string, unknown> = {};
    const translationsDir = join(dir, 'translations');
    for (const file of existsSync(translationsDir) ? readdirSync(translationsDir) : []) {
        if (file.endsWith('.json')) {
            translations[file.replace(/\.json$/, '')] = JSON.parse(
                readFileSync(join(translationsDir, file), 'utf8')
            ) as unknown;
        }
    }
    const large = { field: LARGE_FIELD, label: LARGE_FIELD_LABEL, size: LARGE_FIELD_SIZE, object: LARGE_FIELD_OBJECT };
    return [
        `export const objects = ${JSON.stringify(objects)};`,
        `export const translations = ${JSON.stringify(translations)};`,
        `export const largeScenario = ${JSON.stringify(large)};`,
        ''
    ].join('\n');
}

/** `@salesforce/schema/Lead.Status` → `{ objectApiName: 'Lead', fieldApiName: 'Status' }`, like the platform. */
function schemaModule(path: string): string {
    const [objectApiName, ...fieldPath] = path.split('.');
    const value = fieldPath.length === 0 ? { objectApiName } : { objectApiName, fieldApiName: fieldPath.join('.') };
    return `export default ${JSON.stringify(value)};\n`;
}

function apexModule(target: string): string {
    const [className = '', methodName = ''] = target.split('.');
    return [
        "import { callApex } from '@preview/apexClient';",
        `export default function ${methodName}(params) {`,
        `    return callApex(${JSON.stringify(className)}, ${JSON.stringify(methodName)}, params);`,
        '}',
        ''
    ].join('\n');
}

function permissionModule(name: string): string {
    // A live binding: switching the persona re-evaluates the grant, and a re-created component reads the new value.
    return [
        "import { isGranted, onSessionChange } from '@preview/session';",
        `let granted = isGranted(${JSON.stringify(name)});`,
        `onSessionChange(() => { granted = isGranted(${JSON.stringify(name)}); });`,
        'export { granted as default };',
        ''
    ].join('\n');
}

function userModule(member: string): string {
    const read = member === 'isGuest' ? 'false' : 'currentUser().id';
    return [
        "import { currentUser, onSessionChange } from '@preview/session';",
        `let value = ${read};`,
        `onSessionChange(() => { value = ${read}; });`,
        'export { value as default };',
        ''
    ].join('\n');
}

/** The component main.js renders: the setup page, or the field picker while the page is still being written. */
function rootModule(root: string): string {
    const hasPage = existsSync(join(root, LWC_DIR, PAGE_BUNDLE, `${PAGE_BUNDLE}.js`));
    const bundle = hasPage ? PAGE_BUNDLE : FALLBACK_BUNDLE;
    const props = hasPage ? {} : { objectApiName: 'Lead' };
    return [
        `export { default } from 'c/${bundle}';`,
        `export const tagName = ${JSON.stringify(tagOf(bundle))};`,
        `export const props = ${JSON.stringify(props)};`,
        ''
    ].join('\n');
}

/** Where the build found each stand-in, for the build's summary line and the tests. */
export interface PlatformUsage {
    apex: Set<string>;
    labels: Set<string>;
    permissions: Set<string>;
}

/** The importing file, relative to the repository and without the LWC plugin's `?specifier=` query. */
function importerName(importer: string | undefined, root = process.cwd()): string {
    if (importer === undefined) {
        return 'the entry';
    }
    const path = importer.replace(/\?.*$/, '');
    return path.startsWith(root) ? path.slice(root.length).replace(/^\/+/, '') : path;
}

export function salesforcePlatform(root: string, usage: PlatformUsage, stale: ReadonlyMap<string, string>): Plugin {
    const labels = readCustomLabels(root);
    const permissions = new Set(customPermissionNames(root));
    const apexMethods = new Set(APEX_METHODS);

    return {
        name: 'stage-automap-preview-platform',
        async resolveId(source, importer) {
            const stub = STUBS[source];
            if (stub !== undefined) {
                return join(root, stub);
            }
            if (source.startsWith('c/')) {
                const why = stale.get(source.slice(2));
                if (why !== undefined) {
                    this.error(
                        `${importerName(importer)} imports ${source}, but ${why}: the preview runs the JavaScript that ` +
                            '`npm run build` emits beside each TypeScript source. Run `npm run build` first.'
                    );
                }
                return null;
            }
            if (source === '@preview/demo-org' || source === '@preview/root' || source === '@preview/personas') {
                return `${VIRTUAL}${source}`;
            }
            if (source.startsWith('@salesforce/apex/')) {
                const target = source.slice('@salesforce/apex/'.length);
                const [className, methodName, extra] = target.split('.');
                if (!className || !methodName || extra !== undefined) {
                    this.error(
                        `${importerName(importer)} imports "${source}": expected @salesforce/apex/<Class>.<method>`
                    );
                }
                if (!apexMethods.has(`${className}.${methodName}`)) {
                    this.error(
                        `${importerName(importer)} imports the Apex method ${className}.${methodName}, which the preview's Apex ` +
                            `stand-in does not implement: add it to preview/apexStandIn.ts (mirroring the Apex class).`
                    );
                }
                usage.apex.add(target);
                return `${VIRTUAL}apex:${target}`;
            }
            if (source.startsWith('@salesforce/label/c.')) {
                const name = source.slice('@salesforce/label/c.'.length);
                if (!labels.has(name)) {
                    this.error(
                        `Custom Label "${name}" (imported by ${importerName(importer)}) is missing from ` +
                            `force-app/main/default/labels: add it there, the package needs it too.`
                    );
                }
                usage.labels.add(name);
                return `${VIRTUAL}label:${name}`;
            }
            if (source.startsWith('@salesforce/customPermission/')) {
                const name = source.slice('@salesforce/customPermission/'.length);
                if (!permissions.has(name)) {
                    this.error(
                        `Custom permission "${name}" (imported by ${importerName(importer)}) is not defined in ` +
                            `force-app/main/default/customPermissions.`
                    );
                }
                usage.permissions.add(name);
                return `${VIRTUAL}perm:${name}`;
            }
            if (source === '@salesforce/user/Id' || source === '@salesforce/user/isGuest') {
                return `${VIRTUAL}user:${source.slice('@salesforce/user/'.length)}`;
            }
            if (source.startsWith('@salesforce/schema/')) {
                return `${VIRTUAL}schema:${source.slice('@salesforce/schema/'.length)}`;
            }
            if (source.startsWith('@salesforce/') || source.startsWith('lightning/')) {
                // lightning-base-components provides most `lightning/*` modules and its own `@salesforce/*` scoped
                // imports (i18n, its labels, gates); anything else has no stand-in and must not pass silently.
                const resolved = await this.resolve(source, importer, { skipSelf: true });
                if (resolved === null || resolved.external === true) {
                    this.error(
                        `${importerName(importer)} imports "${source}", which exists only inside Salesforce and has no ` +
                            `stand-in in the preview: add one in preview/platformModules.ts.`
                    );
                }
                return resolved;
            }
            return null;
        },
        load(id) {
            if (!id.startsWith(VIRTUAL)) {
                return null;
            }
            const rest = id.slice(VIRTUAL.length);
            if (rest === '@preview/demo-org') {
                return demoOrgModule(root);
            }
            if (rest === '@preview/root') {
                return rootModule(root);
            }
            if (rest === '@preview/personas') {
                return `export const PERSONAS = ${JSON.stringify(PERSONAS)};\n`;
            }
            const colon = rest.indexOf(':');
            const kind = rest.slice(0, colon);
            const name = rest.slice(colon + 1);
            switch (kind) {
                case 'apex':
                    return apexModule(name);
                case 'label':
                    return `export default ${JSON.stringify(labels.get(name) ?? '')};\n`;
                case 'perm':
                    return permissionModule(name);
                case 'user':
                    return userModule(name);
                case 'schema':
                    return schemaModule(name);
                default:
                    return null;
            }
        }
    };
}

/** The bundles of force-app: each one's compiled JavaScript, or why it cannot be used yet. */
export interface BundleScan {
    /** Module records for the LWC plugin: `c/<bundle>` → the `.js` that `npm run build` emitted. */
    records: { name: string; path: string }[];
    /** Bundles whose `.js` is missing or older than their `.ts`, with the reason. */
    stale: Map<string, string>;
}

/**
 * Resolves each bundle of force-app as `c/<bundle>` to the JavaScript that `npm run build` emitted beside its
 * TypeScript: the code the package ships, not a second compilation of the sources. A bundle whose JavaScript is
 * missing or older than its TypeScript fails the build when (and only when) something imports it.
 */
export function scanBundles(root: string): BundleScan {
    const dir = join(root, LWC_DIR);
    const records: { name: string; path: string }[] = [];
    const stale = new Map<string, string>();
    for (const bundle of readdirSync(dir).sort()) {
        const js = join(dir, bundle, `${bundle}.js`);
        const ts = join(dir, bundle, `${bundle}.ts`);
        if (!existsSync(js)) {
            if (existsSync(ts)) {
                stale.set(bundle, `${bundle}.js does not exist`);
            }
            continue;
        }
        if (existsSync(ts) && statSync(ts).mtimeMs > statSync(js).mtimeMs) {
            stale.set(bundle, `${bundle}.ts is newer than ${bundle}.js`);
        }
        records.push({ name: `c/${bundle}`, path: js });
    }
    return { records, stale };
}
