/**
 * The stage service's HTTP API as the CLI uses it (service/openapi.yaml): the scope's state, and an auto-map
 * apply with an idempotency key and the acting user. Problems (RFC 9457) and network failures become one clear
 * line each; a `409 state-changed` is an answer, not an error, since it carries the fresh plan.
 */
import type { Plan } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { CommandFailure, describeNetworkError, networkErrorCode, oneLineMessage } from '../errors.ts';
import type { OrgUser } from './salesforce.ts';

/** The service's bound on `X-Actor-Name`. */
const MAX_ACTOR_NAME_LENGTH = 1024;

export interface ServiceStage {
    id: string;
    name: string;
}

export interface ScopeState {
    object: string;
    field: string;
    family: string;
    version: number;
    stages: ServiceStage[];
    /** `label`: the value's label when the mapping was made, once the service records it (drift compares it). */
    mappings: { value: string; stageId: string; label?: string; labelLanguage?: string }[];
}

export interface AutoMapRequestBody {
    values: { value: string; label?: string; active?: boolean }[];
    expectedVersion: number;
    dryRun: false;
}

export interface RunSummary {
    id: string;
    summary: Plan['summary'];
}

export type AutoMapAnswer =
    | {
          kind: 'applied';
          /** True when the service returned the stored result of an earlier request with the same key. */
          replayed: boolean;
          version: number;
          plan: Plan;
          run: RunSummary | null;
          createdStages: ServiceStage[];
      }
    | { kind: 'conflict'; version: number; plan: Plan; detail: string };

interface Answer {
    status: number;
    headers: Headers;
    body: unknown;
    text: string;
}

/** `StageServiceClient.headerSafe` of the Apex: printable ASCII kept (but `%`), the rest percent-encoded as UTF-8. */
export function headerSafe(name: string): string {
    let result = '';
    for (const character of name) {
        const codePoint = character.codePointAt(0) ?? 0;
        const printableAscii = codePoint >= 32 && codePoint <= 126 && codePoint !== 37;
        // A lone surrogate has no UTF-8 form: the replacement character stands in for it.
        const piece = printableAscii
            ? character
            : encodeURIComponent(codePoint >= 0xd800 && codePoint <= 0xdfff ? '\ufffd' : character);
        if (result.length + piece.length > MAX_ACTOR_NAME_LENGTH) {
            break;
        }
        result += piece;
    }
    return result;
}

export class StageServiceClient {
    readonly baseUrl: string;
    private readonly apiKey: string;
    private readonly timeoutMs: number;

    constructor(options: { baseUrl: string; apiKey: string; timeoutMs: number }) {
        this.baseUrl = options.baseUrl;
        this.apiKey = options.apiKey;
        this.timeoutMs = options.timeoutMs;
    }

    /** `GET /v1/scopes/{object}/{field}`: the family's stages, the scope's mappings, the state version. */
    async getScope(object: string, field: string): Promise<ScopeState> {
        const answer = await this.send('GET', scopePath(object, field), 'reading the scope');
        if (answer.status !== 200) {
            throw this.problem(answer, `reading ${object}.${field}`);
        }
        return readScope(answer.body, this.baseUrl);
    }

    /**
     * `POST /v1/scopes/{object}/{field}/auto-map` applying (dryRun false) under an idempotency key.
     *
     * @param retryHint appended to failures after which the apply may or may not have happened
     */
    async applyAutoMap(
        object: string,
        field: string,
        body: AutoMapRequestBody,
        options: { idempotencyKey: string; actor: OrgUser; retryHint: string }
    ): Promise<AutoMapAnswer> {
        const headers = {
            'Content-Type': 'application/json',
            'Idempotency-Key': options.idempotencyKey,
            'X-Actor-Id': options.actor.id,
            'X-Actor-Name': headerSafe(options.actor.name)
        };
        const answer = await this.send(
            'POST',
            `${scopePath(object, field)}/auto-map`,
            'applying the auto-map',
            { headers, body: JSON.stringify(body) },
            options.retryHint
        );
        const problem = asRecord(answer.body);
        if (answer.status === 409 && problem?.code === 'state-changed' && isPlan(problem.plan)) {
            return {
                kind: 'conflict',
                version: typeof problem.version === 'number' ? problem.version : -1,
                plan: problem.plan,
                detail: typeof problem.detail === 'string' ? problem.detail : ''
            };
        }
        if (answer.status === 422 && problem?.code === 'idempotency-key-reused') {
            throw new CommandFailure(
                `the stage service already used Idempotency-Key ${options.idempotencyKey} for a different request (other values or another --expected-version); nothing was applied. To retry that apply, pass the --expected-version printed with the key; for a new apply, leave --idempotency-key out`
            );
        }
        if (answer.status !== 200) {
            throw this.problem(answer, `applying the auto-map of ${object}.${field}`);
        }
        const result = asRecord(answer.body);
        if (!result || result.status !== 'applied' || !isPlan(result.plan) || typeof result.version !== 'number') {
            throw new CommandFailure(
                `the stage service's answer to the auto-map is not an applied run (${oneLineMessage(answer.text).slice(0, 200)})`
            );
        }
        const run = asRecord(result.run);
        return {
            kind: 'applied',
            replayed: answer.headers.get('idempotent-replayed') === 'true',
            version: result.version,
            plan: result.plan,
            run:
                run && typeof run.id === 'string'
                    ? { id: run.id, summary: (run.summary ?? result.plan.summary) as Plan['summary'] }
                    : null,
            createdStages: Array.isArray(result.createdStages) ? result.createdStages.filter(isStage) : []
        };
    }

    private async send(
        method: string,
        path: string,
        doing: string,
        init: { headers?: Record<string, string>; body?: string } = {},
        retryHint = ''
    ): Promise<Answer> {
        const url = `${this.baseUrl}${path}`;
        let response: Response;
        let text: string;
        try {
            response = await fetch(url, {
                method,
                headers: { Accept: 'application/json', Authorization: `Bearer ${this.apiKey}`, ...init.headers },
                ...(init.body === undefined ? {} : { body: init.body }),
                signal: AbortSignal.timeout(this.timeoutMs)
            });
            text = await response.text();
        } catch (error) {
            const name = error instanceof Error ? error.name : '';
            const hint = retryHint ? `; ${retryHint}` : '';
            if (name === 'TimeoutError' || name === 'AbortError') {
                throw new CommandFailure(
                    `the stage service at ${this.baseUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s (${doing})${hint}`
                );
            }
            const code = networkErrorCode(error);
            throw new CommandFailure(
                `cannot reach the stage service at ${this.baseUrl}: ${code ? describeNetworkError(code) : oneLineMessage(error)} (${doing}; is it running, and is --service right?)${hint}`
            );
        }
        let body: unknown = undefined;
        const contentType = response.headers.get('content-type') ?? '';
        if (/json/i.test(contentType) && text !== '') {
            try {
                body = JSON.parse(text);
            } catch {
                body = undefined;
            }
        }
        if (body === undefined && text !== '') {
            throw new CommandFailure(
                `${this.baseUrl} answered ${response.status} with ${contentType.split(';')[0] || 'no content type'}, not the stage service's JSON (${doing}): check --service (the service's base URL, without /v1)`
            );
        }
        return { status: response.status, headers: response.headers, body, text };
    }

    private problem(answer: Answer, doing: string): CommandFailure {
        const problem = asRecord(answer.body);
        const code = typeof problem?.code === 'string' ? problem.code : '';
        const detail = typeof problem?.detail === 'string' ? oneLineMessage(problem.detail) : '';
        if (!problem) {
            return new CommandFailure(
                `${this.baseUrl} answered ${answer.status} without a problem document while ${doing}: check --service (the service's base URL, without /v1)`
            );
        }
        if (answer.status === 401) {
            return new CommandFailure(
                `the stage service at ${this.baseUrl} refused the API key (401 while ${doing}): check STAGE_SERVICE_API_KEY`
            );
        }
        if (answer.status === 503) {
            const retryAfter = answer.headers.get('retry-after');
            return new CommandFailure(
                `the stage service is busy (503${code ? ` ${code}` : ''} while ${doing})${detail ? `: ${detail}` : ''}; nothing was applied, retry${retryAfter ? ` in ${retryAfter} s` : ' later'}`
            );
        }
        return new CommandFailure(
            `the stage service refused ${doing} (${answer.status}${code ? ` ${code}` : ''})${detail ? `: ${detail}` : ''}`
        );
    }
}

function scopePath(object: string, field: string): string {
    return `/v1/scopes/${encodeURIComponent(object)}/${encodeURIComponent(field)}`;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

function isStage(value: unknown): value is ServiceStage {
    const stage = asRecord(value);
    return typeof stage?.id === 'string' && typeof stage.name === 'string';
}

function isPlan(value: unknown): value is Plan {
    const plan = asRecord(value);
    return Array.isArray(plan?.outcomes) && asRecord(plan.summary) !== undefined && Array.isArray(plan.suggestions);
}

function readScope(body: unknown, baseUrl: string): ScopeState {
    const scope = asRecord(body);
    const stages: unknown = scope?.stages;
    const mappings: unknown = scope?.mappings;
    if (
        !scope ||
        typeof scope.version !== 'number' ||
        !Array.isArray(stages) ||
        !Array.isArray(mappings) ||
        !stages.every(isStage)
    ) {
        throw new CommandFailure(
            `the scope state from ${baseUrl} is not what service/openapi.yaml describes: check --service`
        );
    }
    return {
        object: String(scope.object),
        field: String(scope.field),
        family: String(scope.family),
        version: scope.version,
        stages: stages.map((stage) => ({ id: stage.id, name: stage.name })),
        mappings: mappings.flatMap((mapping) => {
            const entry = asRecord(mapping);
            if (typeof entry?.value !== 'string' || typeof entry.stageId !== 'string') {
                return [];
            }
            // Mappings made before the service recorded labels have none (or null): the value then stands for it.
            const label = typeof entry.label === 'string' && entry.label.trim() !== '' ? entry.label : undefined;
            const labelLanguage = typeof entry.labelLanguage === 'string' ? entry.labelLanguage : undefined;
            return [
                {
                    value: entry.value,
                    stageId: entry.stageId,
                    ...(label === undefined ? {} : { label }),
                    ...(labelLanguage === undefined ? {} : { labelLanguage })
                }
            ];
        })
    };
}
