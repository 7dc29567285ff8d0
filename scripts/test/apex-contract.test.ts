/**
 * The Apex client and the stage service's OpenAPI document agree, and the check that says so can tell when they do
 * not: each negative case below breaks one name in an in-memory copy of the real Apex and expects the check to name it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
    checkApexContract,
    checkPackageReferences,
    extractApexContract,
    loadContractInputs,
    loadPackageFiles
} from '../check-apex-contract.ts';
import type { ApexSource } from '../check-apex-contract.ts';

const { document, sources } = loadContractInputs();
const CLIENT = 'StageServiceClient.cls';

/** The real sources with one replacement made in one file; fails when the text to replace is not there. */
function withEdit(fileEnding: string, from: string, to: string): ApexSource[] {
    let edited = false;
    const result = sources.map((source) => {
        if (!source.path.endsWith(fileEnding)) return source;
        assert.ok(source.text.includes(from), `the fixture edit expects ${JSON.stringify(from)} in ${fileEnding}`);
        edited = true;
        return { ...source, text: source.text.replace(from, to) };
    });
    assert.ok(edited, `no Apex file ends with ${fileEnding}`);
    return result;
}

/** The errors of the check on edited sources; at least one must contain every `expected` fragment. */
function assertCaught(edited: ApexSource[], ...expected: string[]): void {
    const { errors } = checkApexContract(document, edited);
    for (const fragment of expected) {
        assert.ok(
            errors.some((error) => error.includes(fragment)),
            `expected an error containing ${JSON.stringify(fragment)}; got:\n  ${errors.join('\n  ') || '(none)'}`
        );
    }
}

test('the real Apex client and service/openapi.yaml agree on every path, method, parameter, header and field', () => {
    const { errors } = checkApexContract(document, sources);
    assert.deepEqual(errors, [], `contract mismatches:\n  ${errors.join('\n  ')}`);
});

test('the check sees every operation the controller needs, so agreement is not vacuous', () => {
    const use = extractApexContract(sources);
    const operations = use.requests.map((request) => `${request.method} ${request.path}`).sort();
    assert.deepEqual(operations, [
        'DELETE /v1/scopes/{object}/{field}/mappings/{value}',
        'DELETE /v1/stages/{stageId}',
        'GET /v1/runs',
        'GET /v1/scopes',
        'GET /v1/scopes/{object}/{field}',
        'PATCH /v1/stages/{stageId}',
        'POST /v1/runs/{runId}/undo',
        'POST /v1/scopes/{object}/{field}/auto-map',
        'POST /v1/scopes/{object}/{field}/drift-fixes',
        'PUT /v1/scopes/{object}/{field}/mappings',
        'PUT /v1/scopes/{object}/{field}/mappings'
    ]);
    // Every write names the actor (expanded from asActor()); reads do not.
    for (const request of use.requests) {
        const headers = request.headers.map((header) => header.name);
        if (request.method === 'GET') {
            assert.ok(!headers.includes('X-Actor-Id'), `${request.method} ${request.path} is a read`);
        } else {
            assert.ok(
                headers.includes('X-Actor-Id') && headers.includes('X-Actor-Name'),
                `${request.method} ${request.path}`
            );
        }
    }
    assert.deepEqual(
        use.schemaObjects.map((object) => [object.schema, object.keys.map((key) => key.name)]),
        [
            ['DriftFix', ['value', 'kind']],
            ['PicklistValue', ['value', 'label', 'active']]
        ]
    );
    assert.ok(use.problemCodes.length >= 5, 'the problem codes the Apex branches on are checked');
    assert.ok(use.timeouts.length >= 3, 'the timeouts are checked');
});

test('a misspelt path is caught', () => {
    assertCaught(
        withEdit(CLIENT, "'/v1/runs/{runId}/undo'", "'/v1/run/{runId}/undo'"),
        'POST /v1/run/{runId}/undo: the path is not in the OpenAPI document'
    );
});

test('a wrong HTTP method is caught', () => {
    assertCaught(
        withEdit(
            CLIENT,
            "new ServiceRequest('PUT', PATH_SCOPE_MAPPINGS)",
            "new ServiceRequest('POST', PATH_SCOPE_MAPPINGS)"
        ),
        'has no POST operation (it has PUT)'
    );
});

test('a misspelt body field is caught, and so is the required field it should have been', () => {
    assertCaught(
        withEdit(CLIENT, ".bodyField('stageId', stageId)", ".bodyField('stageID', stageId)"),
        "bodyField('stageID') is not a property",
        'sends none of stageId or stageName'
    );
});

test('a misspelt path parameter is caught', () => {
    assertCaught(
        withEdit(CLIENT, ".pathParam('runId', runId)", ".pathParam('runID', runId)"),
        "pathParam('runID') is not a placeholder",
        'path parameter {runId} is never filled'
    );
});

test('a misspelt query parameter is caught', () => {
    assertCaught(
        withEdit(
            CLIENT,
            ".queryParam('moveRecordsTo', moveRecordsToStageId)",
            ".queryParam('moveTo', moveRecordsToStageId)"
        ),
        "queryParam('moveTo') is not a query parameter of DELETE /v1/stages/{stageId}"
    );
});

test('a misspelt header constant is caught on every write, through asActor()', () => {
    assertCaught(
        withEdit(CLIENT, "HEADER_ACTOR_NAME = 'X-Actor-Name'", "HEADER_ACTOR_NAME = 'X-Actor-User'"),
        "header('X-Actor-User') is not a header parameter of PUT /v1/scopes/{object}/{field}/mappings",
        'required header parameter X-Actor-Name is not sent'
    );
});

test('a misspelt key of a picklist value object is caught', () => {
    assertCaught(
        withEdit(CLIENT, "item.put('label', label)", "item.put('lable', label)"),
        "key 'lable' is not a property of PicklistValue"
    );
});

test('a problem member the service never sends is caught', () => {
    assertCaught(
        withEdit('StageAutoMapController.cls', "failure.problemField('plan')", "failure.problemField('plans')"),
        "problemField('plans') is in no problem response"
    );
});

test('a problem code the service never sends is caught', () => {
    assertCaught(
        withEdit(
            'StageServiceException.cls',
            "CODE_DUPLICATE_STAGE = 'duplicate-stage'",
            "CODE_DUPLICATE_STAGE = 'stage-name-taken'"
        ),
        "CODE_DUPLICATE_STAGE = 'stage-name-taken' is not a problem code"
    );
});

test('a name the check cannot read is reported rather than skipped', () => {
    assertCaught(
        withEdit(CLIENT, ".bodyField('name', name)", '.bodyField(fieldName, name)'),
        'neither a string literal nor a static final String constant'
    );
});

test('a timeout beyond the platform limit is caught', () => {
    assertCaught(
        withEdit(CLIENT, 'AUTO_MAP_TIMEOUT_MS = 60000', 'AUTO_MAP_TIMEOUT_MS = 180000'),
        'AUTO_MAP_TIMEOUT_MS = 180000 ms is outside'
    );
});

// ---------------------------------------------------------------------------------------------------------------------
// References an org would otherwise be the first to reject

const packageFiles = loadPackageFiles();

/** The reference errors after one replacement in the package file ending with `fileEnding`. */
function referenceErrorsAfter(fileEnding: string, from: string, to: string): string[] {
    const edited = new Map(packageFiles);
    const matches = [...edited.keys()].filter((path) => path.endsWith(fileEnding));
    assert.equal(matches.length, 1, `expected one package file ending with ${fileEnding}`);
    const path = matches[0] as string;
    const text = edited.get(path) as string;
    assert.ok(text.includes(from), `the fixture edit expects ${JSON.stringify(from)} in ${fileEnding}`);
    edited.set(path, text.replace(from, to));
    return checkPackageReferences(edited);
}

test('every label, custom permission, tab, page, app and credential the package references exists', () => {
    assert.deepEqual(checkPackageReferences(packageFiles), []);
});

test('an undefined custom label read by the Apex is caught (an org would refuse to compile it)', () => {
    const errors = referenceErrorsAfter(
        'StageServiceException.cls',
        'System.Label.StageService_Forbidden',
        'System.Label.StageService_Forbiden'
    );
    assert.ok(
        errors.some((error) => error.includes('System.Label.StageService_Forbiden is not defined')),
        errors.join('\n')
    );
});

test('a custom permission the Apex checks but the package lacks is caught', () => {
    const errors = referenceErrorsAfter('StageAutoMapController.cls', "'Stage_AutoMap_View'", "'Stage_AutoMap_Viewer'");
    assert.ok(errors.some((error) => error.includes('custom permission Stage_AutoMap_Viewer is not in the package')));
});

test('a permission set granting a missing tab or an unknown principal is caught', () => {
    const tab = referenceErrorsAfter(
        'Stage_AutoMap_Admin.permissionset-meta.xml',
        '<tab>Stage_AutoMap_Setup</tab>',
        '<tab>Stage_AutoMap_Setp</tab>'
    );
    assert.ok(
        tab.some((error) => error.includes('tab Stage_AutoMap_Setp does not exist')),
        tab.join('\n')
    );
    const principal = referenceErrorsAfter(
        'Stage_AutoMap_Service_Access.permissionset-meta.xml',
        'Stage_Service-Stage_Service_Key',
        'Stage_Service-Stage_Service_Principal'
    );
    assert.ok(
        principal.some((error) => error.includes('is not a named principal')),
        principal.join('\n')
    );
});

test('a Lightning page naming a missing component, and a callout to a missing Named Credential, are caught', () => {
    const page = referenceErrorsAfter(
        'Stage_AutoMap_Setup.flexipage-meta.xml',
        'c:stageAutoMapSetup',
        'c:stageAutoMapSetupPage'
    );
    assert.ok(
        page.some((error) => error.includes('c:stageAutoMapSetupPage is not an LWC bundle')),
        page.join('\n')
    );
    const callout = referenceErrorsAfter('StageServiceClient.cls', "'callout:Stage_Service'", "'callout:StageService'");
    assert.ok(
        callout.some((error) => error.includes('callout:StageService names no Named Credential')),
        callout.join('\n')
    );
});

test('a tab showing a component not exposed for lightning__Tab, or a page component not exposed at all, is caught', () => {
    const tab = referenceErrorsAfter(
        'Stage_AutoMap_Setup.tab-meta.xml',
        '<flexiPage>Stage_AutoMap_Setup</flexiPage>',
        '<lwcComponent>stageMappingPanel</lwcComponent>'
    );
    assert.ok(
        tab.some((error) => error.includes('component stageMappingPanel is not exposed for lightning__Tab')),
        tab.join('\n')
    );
    assert.ok(
        tab.some((error) => error.includes('component stageMappingPanel is not isExposed')),
        tab.join('\n')
    );
    // The setup page itself may stand on a tab: it has the target.
    assert.deepEqual(
        referenceErrorsAfter(
            'Stage_AutoMap_Setup.tab-meta.xml',
            '<flexiPage>Stage_AutoMap_Setup</flexiPage>',
            '<lwcComponent>stageAutoMapSetup</lwcComponent>'
        ),
        []
    );
    const hidden = referenceErrorsAfter(
        'stageAutoMapSetup.js-meta.xml',
        '<isExposed>true</isExposed>',
        '<isExposed>false</isExposed>'
    );
    assert.ok(
        hidden.some((error) => error.includes('flexipage-meta.xml: component c:stageAutoMapSetup is not isExposed')),
        hidden.join('\n')
    );
});

test('a label value that starts or ends with whitespace is caught (the platform may trim it)', () => {
    const trailing = referenceErrorsAfter('CustomLabels.labels-meta.xml', '<value>,</value>', '<value>, </value>');
    assert.ok(
        trailing.some((error) => error.includes('label AutoMap_List_Separator starts or ends with whitespace')),
        trailing.join('\n')
    );
    const leading = referenceErrorsAfter(
        'CustomLabels.labels-meta.xml',
        '<value>Saving</value>',
        '<value> Saving</value>'
    );
    assert.ok(
        leading.some((error) => error.includes('label AutoMap_Housekeeping_Working starts or ends with whitespace')),
        leading.join('\n')
    );
});

test('a label over the platform limits is caught: a value over 1,000 characters, a short description over 80', () => {
    const description =
        'Changes since mapping: reason; {0} value, {1} old label, {2} new label, {3} its stage, a bit more';
    const longDescription = referenceErrorsAfter(
        'CustomLabels.labels-meta.xml',
        '<shortDescription>Separator between list items in a sentence; code adds the space after it</shortDescription>',
        `<shortDescription\n        >${description}</shortDescription\n    >`
    );
    assert.ok(
        longDescription.some((error) =>
            error.includes(
                `label AutoMap_List_Separator's shortDescription is ${description.length} characters, over 80`
            )
        ),
        longDescription.join('\n')
    );
    const longValue = referenceErrorsAfter(
        'CustomLabels.labels-meta.xml',
        '<value>Saving</value>',
        `<value>${'&quot;'.repeat(1001)}</value>`
    );
    assert.ok(
        longValue.some((error) => error.includes('label AutoMap_Housekeeping_Working is 1001 characters, over 1000')),
        longValue.join('\n')
    );
    const atTheLimits = referenceErrorsAfter(
        'CustomLabels.labels-meta.xml',
        '<value>Saving</value>',
        `<value>${'&amp;'.repeat(1000)}</value>`
    );
    assert.deepEqual(
        atTheLimits.filter((error) => error.includes('characters, over')),
        [],
        '1,000 characters (entities count as one) are allowed'
    );
});
