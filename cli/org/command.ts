/**
 * `automap plan|apply --org ...`: reads a picklist from the org (UI API through jsforce), the scope's stages and
 * mappings from the stage service (cli/org/scope.ts), plans with the one engine, prints the plan; `apply` then runs
 * the auto-map on the service under an idempotency key, as the acting org user. `drift --org` is passed on to
 * cli/org/drift.ts.
 *
 * Loaded by cli/main.ts only for these modes (so `plan --input` never loads jsforce); it prints plans with
 * cli/output.ts, as the file mode does, so both modes print plans the same way.
 */
import { randomUUID } from 'node:crypto';
import { planAutoMap } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { Plan } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { CommandFailure, EXIT_CONFLICT, EXIT_OK } from '../errors.ts';
import { formatTable, toCliOutcome } from '../output.ts';
import type { CliIo } from '../output.ts';
import { runOrgDrift } from './drift.ts';
import { header, json, readScope, scopeJson, serviceClient } from './scope.ts';
import type { Scope } from './scope.ts';
import type { AutoMapAnswer } from './stage-service.ts';
import type { OrgRequest } from './types.ts';

/**
 * Runs `plan`, `apply` or `drift` against an org and a stage service; prints on `io.out`.
 *
 * @returns the exit code (0 done; drift: 0 in sync, 3 drift found)
 * @throws CommandFailure with one clear line (exit code 1; 3 for an apply refused because the state moved)
 */
export async function runOrgCommand(request: OrgRequest, io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
    if (request.command === 'drift') {
        return runOrgDrift(request, io, env);
    }
    const scope = await readScope(request, env);
    const plan = planAutoMap(scope.input);
    if (request.command === 'plan') {
        printPlan(request, scope, plan, io);
        return EXIT_OK;
    }
    return apply(request, scope, plan, io);
}

async function apply(request: OrgRequest, scope: Scope, plan: Plan, io: CliIo): Promise<number> {
    const expectedVersion = request.expectedVersion ?? scope.state.version;
    const { counts } = plan.summary;
    const changes = counts['map-existing'] + counts['create-and-map'];
    if (changes === 0 && request.idempotencyKey === undefined && expectedVersion === scope.state.version) {
        printNothingToApply(request, scope, plan, io);
        return EXIT_OK;
    }
    const actor = await scope.org.currentUser();
    const idempotencyKey = request.idempotencyKey ?? randomUUID();
    const retry = `to retry without applying twice, run apply again with --idempotency-key ${idempotencyKey} --expected-version ${expectedVersion}`;
    const answer = await serviceClient(request).applyAutoMap(
        scope.picklist.object,
        scope.picklist.field,
        { values: scope.input.values, expectedVersion, dryRun: false },
        { idempotencyKey, actor, retryHint: retry }
    );
    if (answer.kind === 'conflict') {
        printConflict(request, scope, answer, expectedVersion, io);
        throw new CommandFailure(
            `the ${scope.state.family} stages or the ${scope.picklist.object}.${scope.picklist.field} mappings changed on the stage service since version ${expectedVersion} (now ${answer.version}); nothing was applied. Review the fresh plan above and run apply again`,
            EXIT_CONFLICT
        );
    }
    printApplied(request, scope, answer, { idempotencyKey, expectedVersion }, io);
    return EXIT_OK;
}

// ---------------------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------------------

type Applied = Extract<AutoMapAnswer, { kind: 'applied' }>;
type Conflict = Extract<AutoMapAnswer, { kind: 'conflict' }>;

function planJson(plan: Plan): Record<string, unknown> {
    return { outcomes: plan.outcomes.map(toCliOutcome), suggestions: plan.suggestions, summary: plan.summary };
}

function planTable(scope: Scope, plan: Plan): string {
    return formatTable({ isArray: false, scenarios: [{ input: scope.input, plan }] });
}

function printPlan(request: OrgRequest, scope: Scope, plan: Plan, io: CliIo): void {
    const version = scope.state.version;
    if (request.format === 'json') {
        io.out(json({ command: 'plan', ...scopeJson(scope), version, ...planJson(plan) }));
        return;
    }
    const { counts } = plan.summary;
    const changes = counts['map-existing'] + counts['create-and-map'];
    const next =
        changes === 0
            ? 'Nothing to apply: every value is already mapped or skipped.'
            : `To apply exactly this plan, run apply with the same options and --expected-version ${version} (refused if the stages or mappings change first).`;
    io.out(`${header(request, scope, version)}\n${planTable(scope, plan)}\n${next}\n`);
}

function printNothingToApply(request: OrgRequest, scope: Scope, plan: Plan, io: CliIo): void {
    const version = scope.state.version;
    if (request.format === 'json') {
        io.out(json({ command: 'apply', status: 'nothing-to-apply', ...scopeJson(scope), version, ...planJson(plan) }));
        return;
    }
    io.out(
        `${header(request, scope, version)}\n${planTable(scope, plan)}\nNothing to apply: every value is already mapped or skipped, so no run was recorded (state version ${version}).\n`
    );
}

function printApplied(
    request: OrgRequest,
    scope: Scope,
    answer: Applied,
    sent: { idempotencyKey: string; expectedVersion: number },
    io: CliIo
): void {
    if (request.format === 'json') {
        io.out(
            json({
                command: 'apply',
                status: 'applied',
                replayed: answer.replayed,
                idempotencyKey: sent.idempotencyKey,
                expectedVersion: sent.expectedVersion,
                version: answer.version,
                runId: answer.run?.id ?? null,
                createdStages: answer.createdStages.map(({ id, name }) => ({ id, name })),
                ...scopeJson(scope),
                ...planJson(answer.plan)
            })
        );
        return;
    }
    const { counts } = answer.plan.summary;
    const created = answer.createdStages.map((stage) => JSON.stringify(stage.name)).join(', ');
    const result = answer.replayed
        ? `Replayed: the stage service had already applied this request under this Idempotency-Key${answer.run ? ` (run ${answer.run.id})` : ''}; nothing new was applied. State version ${answer.version}.`
        : `Applied${answer.run ? ` run ${answer.run.id}` : ''}: ${counts['map-existing']} value${counts['map-existing'] === 1 ? '' : 's'} mapped to existing stages, ${answer.createdStages.length} stage${answer.createdStages.length === 1 ? '' : 's'} created and mapped${created ? ` (${created})` : ''}; state version ${answer.version}.`;
    io.out(
        [
            header(request, scope, sent.expectedVersion),
            planTable(scope, answer.plan),
            result,
            `Idempotency-Key: ${sent.idempotencyKey} (a retry with --idempotency-key ${sent.idempotencyKey} --expected-version ${sent.expectedVersion} applies nothing twice)`,
            ''
        ].join('\n')
    );
}

function printConflict(request: OrgRequest, scope: Scope, answer: Conflict, expectedVersion: number, io: CliIo): void {
    if (request.format === 'json') {
        io.out(
            json({
                command: 'apply',
                status: 'conflict',
                expectedVersion,
                version: answer.version,
                ...scopeJson(scope),
                ...planJson(answer.plan)
            })
        );
        return;
    }
    io.out(
        [
            header(request, scope, answer.version),
            `Nothing was applied: the stage service's state moved from version ${expectedVersion} to ${answer.version}. The fresh plan:`,
            '',
            planTable(scope, answer.plan)
        ].join('\n')
    );
}
