/**
 * The Apex boundary: each @AuraEnabled method of `StageAutoMapController` the LWC bundles import, declared with its
 * exact parameters and the shape it resolves with. The shapes themselves live in `c/stageAutoMapApi` (the one module
 * that calls these methods), so a change to the contract is a change to one TypeScript file. Keep in step with
 * force-app/main/default/classes/StageAutoMapController.cls, service/openapi.yaml and docs/contracts.md.
 *
 * The methods whose answer can be large resolve with the service's JSON text (`string`), which `c/stageAutoMapApi`
 * parses: the Apex passes it through unparsed to stay within its heap (docs/contracts.md, "Governor limits").
 *
 * Every method rejects with an AuraHandledException whose `body.message` an admin can read (see `c/errorUtils`).
 */

declare module '@salesforce/apex/StageAutoMapController.getAccess' {
    import type { Access } from 'c/stageAutoMapApi';
    export default function getAccess(): Promise<Access>;
}

declare module '@salesforce/apex/StageAutoMapController.getScopeState' {
    import type { ScopeParams } from 'c/stageAutoMapApi';
    /** The `ScopeState` as JSON text. */
    export default function getScopeState(params: ScopeParams): Promise<string>;
}

declare module '@salesforce/apex/StageAutoMapController.applyAutoMap' {
    import type { ApplyParams } from 'c/stageAutoMapApi';
    /** An `ApplyAnswer` as JSON text: the applied run with the plan's counts, or a conflict. */
    export default function applyAutoMap(params: ApplyParams): Promise<string>;
}

declare module '@salesforce/apex/StageAutoMapController.applyDriftFixes' {
    import type { DriftFixParams } from 'c/stageAutoMapApi';
    /** A `DriftFixAnswer` as JSON text: the recorded drift-fix run, or a conflict. */
    export default function applyDriftFixes(params: DriftFixParams): Promise<string>;
}

declare module '@salesforce/apex/StageAutoMapController.setMapping' {
    import type { ScopeParams } from 'c/stageAutoMapApi';
    /** The `ScopeState` after the change, as JSON text. `label`: the value's label now (missing: none recorded). */
    export default function setMapping(
        params: ScopeParams & { value: string; stageId: string; label?: string }
    ): Promise<string>;
}

declare module '@salesforce/apex/StageAutoMapController.createStageAndMap' {
    import type { ScopeParams } from 'c/stageAutoMapApi';
    /** The `ScopeState` after the change, as JSON text. `label`: the value's label now (missing: none recorded). */
    export default function createStageAndMap(
        params: ScopeParams & { value: string; stageName: string; label?: string }
    ): Promise<string>;
}

declare module '@salesforce/apex/StageAutoMapController.removeMapping' {
    import type { ScopeParams } from 'c/stageAutoMapApi';
    /** The `ScopeState` after the change, as JSON text. */
    export default function removeMapping(params: ScopeParams & { value: string }): Promise<string>;
}

declare module '@salesforce/apex/StageAutoMapController.getRunHistory' {
    import type { RunHistory, ScopeParams } from 'c/stageAutoMapApi';
    export default function getRunHistory(params: ScopeParams): Promise<RunHistory>;
}

declare module '@salesforce/apex/StageAutoMapController.undoRun' {
    import type { UndoResult } from 'c/stageAutoMapApi';
    export default function undoRun(params: { runId: string }): Promise<UndoResult>;
}

declare module '@salesforce/apex/StageAutoMapController.renameStage' {
    import type { Stage } from 'c/stageAutoMapApi';
    export default function renameStage(params: { stageId: string; name: string }): Promise<Stage>;
}

declare module '@salesforce/apex/StageAutoMapController.deleteStage' {
    /** The `DeleteStageResponse` as JSON text (it lists every mapping removed, up to 2,000). */
    export default function deleteStage(params: {
        stageId: string;
        moveRecordsToStageId: string | null;
    }): Promise<string>;
}

declare module '@salesforce/apex/StageAutoMapController.getMappedFields' {
    /** The `ScopeList` (each scope with its mapped values and their labels) as JSON text. */
    export default function getMappedFields(params: { objectApiName: string }): Promise<string>;
}
