/**
 * The auto-map engine: the ONE implementation of the rules that decide, for every value of a Salesforce picklist
 * (a scope such as `Lead.Status`), whether it is already mapped, is mapped to an existing stage, gets a new stage,
 * or is skipped, and why.
 *
 * Why pure modules that import nothing outside this bundle: the same source runs in three places that must never
 * disagree. The wizard imports it as the LWC service module `c/autoMapEngine` (for the preview), the stage service
 * imports this .ts file by path (for the apply, inside one transaction), and so do the local preview and the CLI. A
 * second copy of these rules would drift; an import from outside would tie the engine to one of those runtimes.
 *
 * This entry module only re-exports the public API. Other components may import only a bundle's main file, so the
 * supplemental modules are re-exported here ("Share JavaScript Code",
 * https://developer.salesforce.com/docs/platform/lwc/guide/js-share-code). The modules, by concept:
 * - types.ts        the contract types (docs/contracts.md mirrors them)
 * - keys.ts         stageKey, stageNameFromLabel, the families, the text limit
 * - planRules.ts    planAutoMap and its passes: the rules of precedence, in one sitting
 * - planIndex.ts    the planner's index: the one pass over the stages and its speed tricks
 * - looseKeys.ts    the loose form suggestions compare, read in one pass (shared by the index and suggestions)
 * - suggestions.ts  near matches: scores, negations, edit distance, the suggestion index
 * - housekeeping.ts what to tidy in a scope
 * - validation.ts   untrusted input checked, one message naming the path
 * - drift.ts        how a scope's picklist moved since its values were mapped, and the safe fixes
 *
 * Imports inside the bundle are extensionless relative paths (`./keys`): the LWC compiler, Jest (sfdx-lwc-jest),
 * tsc (moduleResolution Bundler) and tsx all resolve them, and no module imports one that imports it back.
 */
export { DRIFT_KINDS, OUTCOME_KINDS } from './types';
export type {
    DriftFinding,
    DriftInput,
    DriftKind,
    DriftOptions,
    DriftReport,
    DriftValidationResult,
    Family,
    HousekeepingReport,
    MappingInput,
    NewStageNames,
    OutcomeKind,
    PicklistValueInput,
    Plan,
    PlanInput,
    PlanOptions,
    PlanSummary,
    PlannedOutcome,
    StageInput,
    Suggestion,
    ValidationOptions,
    ValidationResult
} from './types';
export { FAMILY_BY_OBJECT, MAX_TEXT_LENGTH, familyOf, stageKey, stageNameFromLabel } from './keys';
export { applyPlanToState, planAutoMap, summarize } from './planRules';
export { looseKey } from './looseKeys';
export { MAX_SUGGESTIONS_PER_VALUE, boundedEditDistance } from './suggestions';
export { housekeepingReport } from './housekeeping';
export { validateDriftInput, validatePlanInput, validateText } from './validation';
export { driftReport } from './drift';
