/**
 * The LWC bundles' references into the package (labels, custom permissions, Apex methods and the parameter names
 * each call passes) exist, and the check that says so names each kind of break: every negative case edits one
 * in-memory copy of the real package and expects the check to report it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPackageFiles } from '../check-apex-contract.ts';
import { apexMethods, checkLwcReferences } from '../check-lwc-references.ts';

const packageFiles = loadPackageFiles();
const API = 'stageAutoMapApi/stageAutoMapApi.ts';
const CONTROLLER = 'classes/StageAutoMapController.cls';

/** The check's errors after one replacement in the package file ending with `fileEnding`. */
function errorsAfter(fileEnding: string, from: string, to: string): string[] {
    const edited = new Map(packageFiles);
    const matches = [...edited.keys()].filter((path) => path.endsWith(fileEnding));
    assert.equal(matches.length, 1, `expected one package file ending with ${fileEnding}`);
    const path = matches[0] as string;
    const text = edited.get(path) as string;
    assert.ok(text.includes(from), `the fixture edit expects ${JSON.stringify(from)} in ${fileEnding}`);
    edited.set(path, text.replace(from, to));
    return checkLwcReferences(edited);
}

function assertReported(errors: string[], ...fragments: string[]): void {
    assert.ok(
        errors.some((error) => fragments.every((fragment) => error.includes(fragment))),
        `expected an error with ${fragments.map((fragment) => JSON.stringify(fragment)).join(' and ')}; got:\n  ${
            errors.join('\n  ') || '(none)'
        }`
    );
}

test('every label, custom permission and Apex method the bundles import exists, called with its parameters', () => {
    assert.deepEqual(checkLwcReferences(packageFiles), []);
});

test('the Apex is read with its parameter names as written, and the bundle sources are in the package files', () => {
    const undo = apexMethods(packageFiles).get('stageautomapcontroller.undorun')?.[0];
    assert.deepEqual(undo, {
        className: 'StageAutoMapController',
        name: 'undoRun',
        parameters: ['runId'],
        auraEnabled: true,
        isStatic: true
    });
    assert.ok([...packageFiles.keys()].some((path) => path.endsWith(API)));
    assert.ok(![...packageFiles.keys()].some((path) => path.includes('__tests__')));
});

test('a Custom Label a bundle imports but the package lacks is caught', () => {
    const errors = errorsAfter(
        'autoMapText/autoMapText.ts',
        "'@salesforce/label/c.AutoMap_Column_Value'",
        "'@salesforce/label/c.AutoMap_Column_Values'"
    );
    assertReported(errors, 'autoMapText.ts:', 'Custom Label AutoMap_Column_Values');
});

test('a custom permission a bundle imports but the package lacks is caught', () => {
    const errors = errorsAfter(
        'stageAutoMapSetup/stageAutoMapSetup.ts',
        "'@salesforce/customPermission/Stage_AutoMap_View'",
        "'@salesforce/customPermission/Stage_AutoMap_Viewer'"
    );
    assertReported(errors, 'custom permission Stage_AutoMap_Viewer');
});

test('an Apex method that does not exist, is not @AuraEnabled or is not static is caught', () => {
    assertReported(
        errorsAfter(
            API,
            "'@salesforce/apex/StageAutoMapController.undoRun'",
            "'@salesforce/apex/StageAutoMapController.undoRuns'"
        ),
        'no class of the package has the method StageAutoMapController.undoRuns'
    );
    assertReported(
        errorsAfter(
            CONTROLLER,
            '    @AuraEnabled\n    public static Map<String, Object> getRunHistory(',
            '    public static Map<String, Object> getRunHistory('
        ),
        'StageAutoMapController.getRunHistory is not a static @AuraEnabled method'
    );
    assertReported(
        errorsAfter(CONTROLLER, 'public static Map<String, Object> undoRun(', 'public Map<String, Object> undoRun('),
        'StageAutoMapController.undoRun is not a static @AuraEnabled method'
    );
});

test('a key that is no parameter, and the parameter it should have been, are caught', () => {
    const errors = errorsAfter(API, 'undoRunApex({ runId })', 'undoRunApex({ id: runId })');
    assertReported(errors, `${API}:`, 'passes id, which is not a parameter of StageAutoMapController.undoRun(runId)');
    assertReported(errors, 'passes no runId');
});

test('a parameter renamed in the Apex is caught at the call that still uses the old name', () => {
    const errors = errorsAfter(
        CONTROLLER,
        'public static Map<String, Object> undoRun(String runId)',
        'public static Map<String, Object> undoRun(String undoRunId)'
    );
    assertReported(errors, 'passes runId, which is not a parameter of StageAutoMapController.undoRun(undoRunId)');
});

test('a key spelt with other capitals is reported though Apex would accept it', () => {
    const errors = errorsAfter(
        API,
        'getMappedFieldsApex({ objectApiName })',
        'getMappedFieldsApex({ objectAPIName: objectApiName })'
    );
    assertReported(errors, 'passes objectAPIName; the parameter is spelt objectApiName');
    assert.ok(!errors.some((error) => error.includes('passes no objectApiName')), errors.join('\n'));
});

test('a parameter a call leaves out is caught: it would arrive as null', () => {
    const errors = errorsAfter(
        API,
        'deleteStageApex({ stageId, moveRecordsToStageId })',
        'deleteStageApex({ stageId })'
    );
    assertReported(errors, 'passes no moveRecordsToStageId to StageAutoMapController.deleteStage');
});

test('a call whose argument is not an object literal is reported, not skipped', () => {
    const errors = errorsAfter(API, 'undoRunApex({ runId })', 'undoRunApex(Object.assign({}, { runId }))');
    assertReported(errors, 'call of undoRun: its argument is not an object literal');
});

test('a @wire of an Apex method is checked against its parameters too', () => {
    const edited = new Map(packageFiles);
    edited.set(
        'force-app/main/default/lwc/wiredHistory/wiredHistory.ts',
        [
            "import { LightningElement, api, wire } from 'lwc';",
            "import getRunHistory from '@salesforce/apex/StageAutoMapController.getRunHistory';",
            'export default class WiredHistory extends LightningElement {',
            '    @api objectApiName = "";',
            "    @wire(getRunHistory, { objectApiName: '$objectApiName' })",
            '    history;',
            '}',
            ''
        ].join('\n')
    );
    assertReported(checkLwcReferences(edited), 'wiredHistory.ts:5 @wire of getRunHistory passes no fieldApiName');
});
