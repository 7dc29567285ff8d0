/**
 * The Apex boundary: each @AuraEnabled method the LWC bundles import, declared with its exact parameters and the
 * shape it resolves with. Keep in step with force-app/main/default/classes/StageAutoMapController.cls and
 * docs/contracts.md.
 */
export {};
