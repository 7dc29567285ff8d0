/**
 * The Stage_Service Named Credential lets no formula into headers or bodies that Apex sets, and the org scripts,
 * which rewrite its callout options whenever they set the URL, send the same options: otherwise a re-run of
 * `set_endpoint` would turn header formulas back on. Nothing the package needs depends on them: the Authorization
 * header is the External Credential's custom header (evaluated by the credential itself), and no Apex header or body
 * carries a `{!...}` formula. README "Development notes" cites the Salesforce docs this rests on.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../lib/exec.ts';

const DEFAULT = join(ROOT, 'force-app/main/default');

function xmlFlag(xml: string, name: string): string | undefined {
    return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

test('the Named Credential allows no formulas in headers or bodies and generates no Authorization header', () => {
    const xml = readFileSync(join(DEFAULT, 'namedCredentials/Stage_Service.namedCredential-meta.xml'), 'utf8');
    assert.equal(xmlFlag(xml, 'allowMergeFieldsInHeader'), 'false', 'Allow Formulas in HTTP Header must be off');
    assert.equal(xmlFlag(xml, 'allowMergeFieldsInBody'), 'false', 'Allow Formulas in HTTP Body must be off');
    assert.equal(xmlFlag(xml, 'generateAuthorizationHeader'), 'false', 'the External Credential sends Authorization');
});

test('the External Credential sends the key as a Bearer header built by its own formula', () => {
    const xml = readFileSync(join(DEFAULT, 'externalCredentials/Stage_Service.externalCredential-meta.xml'), 'utf8');
    const header =
        /<externalCredentialParameters>((?:(?!<\/externalCredentialParameters>)[\s\S])*?<parameterType>AuthHeader<\/parameterType>[\s\S]*?)<\/externalCredentialParameters>/.exec(
            xml
        )?.[1];
    assert.ok(header, 'an AuthHeader parameter exists');
    assert.equal(xmlFlag(header, 'parameterName'), 'Authorization');
    const formula = xmlFlag(header, 'parameterValue')?.replaceAll('&apos;', "'").replaceAll('&amp;', '&');
    assert.equal(formula, "{!'Bearer ' & $Credential.Stage_Service.ApiKey}");
});

test("scripts/org/lib.sh's set_endpoint sends the same callout options as the metadata", () => {
    const lib = readFileSync(join(ROOT, 'scripts/org/lib.sh'), 'utf8');
    const options = /calloutOptions:\s*\{([^}]*)\}/.exec(lib)?.[1];
    assert.ok(options, 'set_endpoint sends calloutOptions');
    assert.match(options, /allowMergeFieldsInHeader:\s*false/);
    assert.match(options, /allowMergeFieldsInBody:\s*false/);
    assert.match(options, /generateAuthorizationHeader:\s*false/);
});

test('no Apex puts a {!...} formula in a header or body, so the options can stay off', () => {
    const classes = join(DEFAULT, 'classes');
    const formulas = readdirSync(classes)
        .filter((name) => name.endsWith('.cls'))
        .flatMap((name) =>
            readFileSync(join(classes, name), 'utf8')
                .split('\n')
                .map((line, index) => ({ where: `${name}:${index + 1}`, line }))
        )
        // Only code: a comment may name the formula it keeps out.
        .filter(({ line }) => !/^\s*(\*|\/\/|\/\*)/.test(line) && /'[^']*\{!/.test(line))
        .map(({ where, line }) => `${where} ${line.trim()}`)
        // The test that proves a formula-shaped user name is encoded, not evaluated.
        .filter((entry) => !entry.startsWith('StageServiceClient_Tests.cls:'));
    assert.deepEqual(formulas, []);
});
