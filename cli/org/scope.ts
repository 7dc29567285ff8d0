/**
 * One scope as the org modes read it: the picklist from the org (UI API), the stages and mappings from the stage
 * service, checked with the engine's validation; and the lines every org mode prints about where it read them.
 * Shared by `plan`/`apply` (cli/org/command.ts), `drift` (cli/org/drift.ts) and `export` (cli/org/export.ts).
 */
import { validatePlanInput } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { PlanInput, ValidationResult } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { CommandFailure } from '../errors.ts';
import { API_VERSION, SalesforceOrg } from './salesforce.ts';
import { resolveOrgAuth } from './sf-auth.ts';
import { StageServiceClient } from './stage-service.ts';
import type { ScopeState } from './stage-service.ts';
import type { OrgRequest } from './types.ts';
import { MASTER_RECORD_TYPE_ID, readPicklistScope } from './ui-api.ts';
import type { PicklistScope } from './ui-api.ts';

/** What was read before planning or reporting: the org's side and the service's side of one scope. */
export interface Scope {
    org: SalesforceOrg;
    picklist: PicklistScope;
    state: ScopeState;
    input: PlanInput;
}

/**
 * The org's connection (the Salesforce CLI's login, or the environment's token), refused when the org is older
 * than the package's API version.
 */
export async function connectOrg(
    source: OrgRequest['source'],
    env: NodeJS.ProcessEnv,
    timeoutMs: number
): Promise<SalesforceOrg> {
    const auth = await resolveOrgAuth(source.auth, { env, timeoutMs });
    if (auth.apiVersion !== undefined && Number(auth.apiVersion) < Number(API_VERSION)) {
        throw new CommandFailure(
            `the org at ${auth.instanceUrl} offers API version ${auth.apiVersion} at most; Stage AutoMap reads it at ${API_VERSION}`
        );
    }
    return new SalesforceOrg(auth, timeoutMs);
}

/**
 * Reads the scope from the org and the service and checks it as the engine will read it.
 *
 * @param check the engine's validation (the plan's, or drift's)
 * @param doing what the scope is read for, for the message when the check fails (`plan`, `report the drift of`)
 * @throws CommandFailure naming what the org or the service holds that the engine cannot read
 */
export async function readScope(
    request: OrgRequest,
    env: NodeJS.ProcessEnv,
    check: (input: unknown) => ValidationResult = validatePlanInput,
    doing = 'plan'
): Promise<Scope> {
    const { source } = request;
    const org = await connectOrg(source, env, request.timeoutMs);
    // Every value of the field unless --record-type narrows, as the wizard does: a value only one record type offers
    // still needs a stage.
    const picklist = await readPicklistScope(
        org,
        source.object,
        source.field,
        source.recordTypeId ?? MASTER_RECORD_TYPE_ID
    );
    const service = serviceClient(request);
    const state = await service.getScope(picklist.object, picklist.field);
    const checked = check({
        object: picklist.object,
        field: picklist.field,
        values: picklist.values,
        stages: state.stages,
        mappings: state.mappings
    });
    if (!checked.ok) {
        throw new CommandFailure(
            `cannot ${doing} ${picklist.object}.${picklist.field} from what the org and the stage service hold: ${checked.error}`
        );
    }
    return { org, picklist, state, input: checked.value };
}

export function serviceClient(request: OrgRequest): StageServiceClient {
    return new StageServiceClient({
        baseUrl: request.service.url,
        apiKey: request.service.apiKey,
        timeoutMs: request.timeoutMs
    });
}

export function scopeJson(scope: Scope): Record<string, unknown> {
    return {
        object: scope.picklist.object,
        field: scope.picklist.field,
        recordTypeId: scope.picklist.recordTypeId
    };
}

export function json(value: unknown): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

/** Where the scope came from: the org, the field and record type, the service and its state version. */
export function header(request: OrgRequest, scope: Scope, version: number): string {
    const { picklist, org } = scope;
    const who = org.auth.username ? `${org.auth.username} at ${org.auth.instanceUrl}` : org.auth.instanceUrl;
    const recordType = picklist.recordTypeName
        ? `${picklist.recordTypeName} (${picklist.recordTypeId})`
        : picklist.recordTypeId;
    return [
        `Org:           ${who}`,
        `Field:         ${picklist.object}.${picklist.field} "${picklist.fieldLabel}", record type ${recordType}, ${picklist.values.length} active value${picklist.values.length === 1 ? '' : 's'}`,
        `Stage service: ${request.service.url}, ${scope.state.family} stages, state version ${version}`,
        ''
    ].join('\n');
}
