/**
 * The preview's stand-in for the Apex controller (force-app/main/default/classes/StageAutoMapController.cls with
 * StageServiceClient.cls and StageServiceException.cls): the same methods, each doing what the Apex does, in the
 * same order. Permission check (the persona the page sends stands in for `FeatureManagement.checkPermission`),
 * object allow-list and field describe (the demo org's object info stands in for `Schema`), argument validation,
 * then one call to the stage service with the same path, query, headers (`Authorization: Bearer`, `X-Actor-Id`,
 * `X-Actor-Name`, `Idempotency-Key`), body and timeout, and the same error mapping, worded with the same Custom
 * Labels. A 409 `state-changed` on apply becomes `{ status: 'conflict', version, plan, detail }`; a 409
 * `state-changed` or `drift-changed` on drift fixes becomes `{ status: 'conflict', version, detail }`. The methods whose
 * answer can be large return the service's JSON text unparsed (a string), as the Apex does to stay within its heap.
 *
 * Keep it in step with the Apex: when the controller changes, change this file the same way.
 */
import { DemoOrgSchema } from './demoOrg.ts';
import type { RecordedObjects } from './demoOrg.ts';
import { readCustomLabels } from './labels.ts';
import { EDIT_PERMISSION, VIEW_PERMISSION, personaNamed } from './personas.ts';
import type { Persona } from './personas.ts';

const CONTROLLER = 'StageAutoMapController';

/** Every `@AuraEnabled` method of the controller; the build refuses an Apex import the stand-in lacks. */
export const APEX_METHODS: readonly string[] = [
    'getAccess',
    'getMappedFields',
    'getScopeState',
    'applyAutoMap',
    'applyDriftFixes',
    'setMapping',
    'createStageAndMap',
    'removeMapping',
    'getRunHistory',
    'undoRun',
    'renameStage',
    'deleteStage'
].map((method) => `${CONTROLLER}.${method}`);

// StageAutoMapController's constants.
const ALLOWED_OBJECTS: Readonly<Record<string, string>> = { contact: 'Contact', lead: 'Lead', account: 'Account' };
const MAX_TEXT_LENGTH = 255;
const MAX_VALUES = 1000;
const RUN_HISTORY_LIMIT = 50;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const SERVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,255}$/;
/** `LANGUAGE_CODE`: a language code as the service takes it (`en_US`, `de`, `zh_CN`). */
const LANGUAGE_CODE = /^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,2}$/;
const CONTROL_CHARACTER = /[\x00-\x1F\x7F]/;
const STAGE_CATEGORIES: ReadonlySet<string> = new Set(['in_progress', 'succeeded', 'failed']);
const FIXABLE_DRIFT_KINDS: ReadonlySet<string> = new Set([
    'probable-rename',
    'value-removed',
    'label-changed',
    'new-value'
]);

// StageServiceClient's constants.
const PATH_SCOPES = '/v1/scopes';
const PATH_SCOPE = '/v1/scopes/{object}/{field}';
const PATH_SCOPE_MAPPINGS = '/v1/scopes/{object}/{field}/mappings';
const PATH_SCOPE_MAPPING = '/v1/scopes/{object}/{field}/mappings/{value}';
const PATH_SCOPE_AUTO_MAP = '/v1/scopes/{object}/{field}/auto-map';
const PATH_SCOPE_DRIFT_FIXES = '/v1/scopes/{object}/{field}/drift-fixes';
const INCLUDE_MAPPINGS = 'mappings';
const PATH_RUNS = '/v1/runs';
const PATH_RUN_UNDO = '/v1/runs/{runId}/undo';
const PATH_STAGE = '/v1/stages/{stageId}';
const READ_TIMEOUT_MS = 20000;
const WRITE_TIMEOUT_MS = 30000;
const AUTO_MAP_TIMEOUT_MS = 60000;
const MAX_ACTOR_NAME_LENGTH = 1024;
const ANSWER_SUMMARY = 'summary';
const NEW_STAGE_NAMES_LABEL = 'label';
const NEW_STAGE_NAMES_API_NAME = 'apiName';
const MAX_DETAIL_LENGTH = 500;

type Json = Record<string, unknown>;

/** What the page receives: the method's return value (200), or an AuraHandledException's message (500). */
export interface ApexAnswer {
    status: number;
    body: unknown;
}

/** One request the stand-in sent to the stage service, as the tests see it. */
export interface ServiceCall {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Json;
}

export interface ApexStandInOptions {
    /** The stage service's base URL (what the Named Credential's URL holds), without /v1. */
    serviceUrl: string;
    /** The API key the External Credential holds. */
    apiKey: string;
    /** The repository root (labels, demo org). */
    root: string;
    /** The org whose fields `Schema` describes (a picklists file's); default the recorded demo org. */
    objects?: Readonly<RecordedObjects>;
    /** Sees every service call (tests). */
    onServiceCall?: (call: ServiceCall) => void;
}

/** `AuraHandledException`: its message reaches the page. */
class AuraHandledError extends Error {}

/** An argument whose JSON type does not fit the Apex parameter: Aura refuses it before the method runs. */
class ParameterTypeError extends Error {}

type ErrorKind =
    | 'UNAUTHORIZED'
    | 'FORBIDDEN'
    | 'NOT_FOUND'
    | 'ENDPOINT_NOT_FOUND'
    | 'CONFLICT'
    | 'PAYLOAD_TOO_LARGE'
    | 'INVALID_REQUEST'
    | 'RATE_LIMITED'
    | 'SERVER_ERROR'
    | 'TIMEOUT'
    | 'UNREACHABLE'
    | 'NO_CREDENTIAL_ACCESS'
    | 'MALFORMED_RESPONSE'
    | 'UNEXPECTED_STATUS';

/** StageServiceException: a failed call to the stage service and the admin's message for it. */
class StageServiceError extends Error {
    readonly kind: ErrorKind;
    readonly statusCode: number | null;
    readonly problem: Json;
    readonly detail: string | null;
    readonly retryAfter: string | null;

    constructor(
        kind: ErrorKind,
        statusCode: number | null,
        problem: Json,
        detail: string | null,
        retryAfter: string | null
    ) {
        super(`${kind}${statusCode === null ? '' : ` (HTTP ${statusCode})`}`);
        this.kind = kind;
        this.statusCode = statusCode;
        this.problem = problem;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    problemCode(): string | null {
        const code = this.problem.code;
        return typeof code === 'string' ? code : null;
    }

    isStateChanged(): boolean {
        return this.kind === 'CONFLICT' && this.problemCode() === 'state-changed';
    }

    /** `isDriftChanged`: the version moved, or a requested drift fix is no longer offered. */
    isDriftChanged(): boolean {
        return this.isStateChanged() || (this.kind === 'CONFLICT' && this.problemCode() === 'drift-changed');
    }

    /** `existingStageName`: the stage a `duplicate-stage` 409 names, or null. */
    existingStageName(): string | null {
        const existing = this.problem.existingStage;
        const name =
            typeof existing === 'object' && existing !== null && !Array.isArray(existing)
                ? (existing as Json).name
                : null;
        return typeof name === 'string' && name.trim() !== '' ? name : null;
    }
}

function kindOfStatus(statusCode: number, hasProblem: boolean): ErrorKind {
    if (statusCode >= 500) {
        return 'SERVER_ERROR';
    }
    switch (statusCode) {
        case 400:
        case 415:
        case 422:
            return 'INVALID_REQUEST';
        case 401:
            return 'UNAUTHORIZED';
        case 403:
            return 'FORBIDDEN';
        case 404:
            return hasProblem ? 'NOT_FOUND' : 'ENDPOINT_NOT_FOUND';
        case 409:
            return 'CONFLICT';
        case 413:
            return 'PAYLOAD_TOO_LARGE';
        case 429:
            return 'RATE_LIMITED';
        default:
            return 'UNEXPECTED_STATUS';
    }
}

/**
 * `StageServiceException.fill`: each `{n}` replaced literally by `String.valueOf` of its argument (null shows as an
 * empty string). The Apex avoids `String.format`, whose MessageFormat rules drop apostrophes and group digits.
 */
export function apexFill(template: string, args: readonly (string | number | null)[]): string {
    let result = template;
    args.forEach((argument, index) => {
        result = result.split(`{${index}}`).join(argument === null ? '' : String(argument));
    });
    return result;
}

/** `EncodingUtil.urlEncode(value, 'UTF-8').replace('+', '%20')`: Java's URLEncoder, with spaces as %20. */
export function apexEncode(value: string): string {
    let result = '';
    for (const byte of Buffer.from(value, 'utf8')) {
        const character = String.fromCharCode(byte);
        if (/[A-Za-z0-9.*_-]/.test(character)) {
            result += character;
        } else if (byte === 0x20) {
            result += '%20';
        } else {
            result += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        }
    }
    return result;
}

/**
 * `StageServiceClient.ENCODED_ASCII`: printable ASCII still percent-encoded, `%` so decoding is unambiguous and `{`, `}`
 * so no `{!...}` header formula reaches a Named Credential that allows formulas in headers.
 */
const ENCODED_ASCII = new Set(['%', '{', '}']);

/** `StageServiceClient.headerSafe`: printable ASCII kept (but `%`, `{`, `}`), the rest percent-encoded, cut at 1,024. */
export function headerSafe(name: string): string {
    let result = '';
    for (const character of name) {
        const codePoint = character.codePointAt(0) ?? 0;
        const keptAsIs = codePoint >= 32 && codePoint <= 126 && !ENCODED_ASCII.has(character);
        const piece = keptAsIs ? character : apexEncode(character);
        if (result.length + piece.length > MAX_ACTOR_NAME_LENGTH) {
            break;
        }
        result += piece;
    }
    return result;
}

function isBlank(value: string | null): value is null {
    return value === null || value.trim() === '';
}

/** An HTTP answer as the client reads it. */
interface ServiceAnswer {
    status: number;
    text: string;
    retryAfter: string | null;
}

/** `StageServiceClient.failureOf`: the exception for an error status, with the (small) problem document parsed. */
function failureOf(response: ServiceAnswer): StageServiceError {
    const problem = parseObject(response.text);
    const detail = problem?.detail;
    return new StageServiceError(
        kindOfStatus(response.status, problem !== null),
        response.status,
        problem ?? {},
        typeof detail === 'string' ? detail : null,
        response.retryAfter
    );
}

/** `StageServiceClient.isJsonObjectText`: first and last characters other than JSON white space are `{` and `}`. */
export function isJsonObjectText(body: string): boolean {
    const trimmed = body.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');
    return trimmed.length >= 2 && trimmed.startsWith('{') && trimmed.endsWith('}');
}

function parseObject(body: string): Json | null {
    if (body.trim() === '') {
        return null;
    }
    try {
        const parsed: unknown = JSON.parse(body);
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : null;
    } catch {
        return null;
    }
}

interface PicklistValueParam {
    value: string | null;
    label: string | null;
    active: boolean | null;
}

interface DriftFixParam {
    value: string | null;
    kind: string | null;
}

/** Reads the JSON arguments as Aura binds them to the Apex parameters; a wrong type never reaches the method. */
class Params {
    private readonly params: Json;

    constructor(params: Json) {
        this.params = params;
    }

    private raw(name: string): unknown {
        return this.params[name] ?? null;
    }

    string(name: string): string | null {
        const value = this.raw(name);
        if (value === null || typeof value === 'string') {
            return value;
        }
        throw new ParameterTypeError(`Value provided is invalid for action parameter '${name}' of type 'String'`);
    }

    integer(name: string): number | null {
        const value = this.raw(name);
        if (value === null) {
            return null;
        }
        if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2147483647) {
            return value;
        }
        throw new ParameterTypeError(`Value provided is invalid for action parameter '${name}' of type 'Integer'`);
    }

    /** `Map<String, String>`: a JSON object whose members are strings or null. */
    stringMap(name: string): Map<string, string | null> | null {
        const value = this.raw(name);
        if (value === null) {
            return null;
        }
        const invalid = new ParameterTypeError(
            `Value provided is invalid for action parameter '${name}' of type 'Map<String,String>'`
        );
        if (typeof value !== 'object' || Array.isArray(value)) {
            throw invalid;
        }
        const result = new Map<string, string | null>();
        for (const [key, entry] of Object.entries(value as Json)) {
            if (entry !== null && typeof entry !== 'string') {
                throw invalid;
            }
            result.set(key, entry);
        }
        return result;
    }

    /** `List<StageAutoMapController.DriftFix>`. */
    driftFixes(name: string): (DriftFixParam | null)[] | null {
        const value = this.raw(name);
        if (value === null) {
            return null;
        }
        const invalid = new ParameterTypeError(
            `Value provided is invalid for action parameter '${name}' of type 'List<StageAutoMapController.DriftFix>'`
        );
        if (!Array.isArray(value)) {
            throw invalid;
        }
        return value.map((entry: unknown): DriftFixParam | null => {
            if (entry === null) {
                return null;
            }
            if (typeof entry !== 'object' || Array.isArray(entry)) {
                throw invalid;
            }
            const fields = entry as Json;
            const text = (member: string): string | null => {
                const item = fields[member] ?? null;
                if (item === null || typeof item === 'string') {
                    return item;
                }
                throw invalid;
            };
            return { value: text('value'), kind: text('kind') };
        });
    }

    picklistValues(name: string): (PicklistValueParam | null)[] | null {
        const value = this.raw(name);
        if (value === null) {
            return null;
        }
        const invalid = new ParameterTypeError(
            `Value provided is invalid for action parameter '${name}' of type 'List<StageAutoMapController.PicklistValue>'`
        );
        if (!Array.isArray(value)) {
            throw invalid;
        }
        return value.map((entry: unknown): PicklistValueParam | null => {
            if (entry === null) {
                return null;
            }
            if (typeof entry !== 'object' || Array.isArray(entry)) {
                throw invalid;
            }
            const fields = entry as Json;
            const text = (member: string): string | null => {
                const item = fields[member] ?? null;
                if (item === null || typeof item === 'string') {
                    return item;
                }
                throw invalid;
            };
            const active = fields.active ?? null;
            if (active !== null && typeof active !== 'boolean') {
                throw invalid;
            }
            return { value: text('value'), label: text('label'), active };
        });
    }
}

interface Scope {
    objectApiName: string;
    fieldApiName: string;
}

interface RequestSpec {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    pathTemplate: string;
    pathParams?: Record<string, string>;
    query?: [string, string | number | null][];
    headers?: Record<string, string | null>;
    asActor?: boolean;
    body?: Record<string, unknown>;
    timeoutMs: number;
}

export class ApexStandIn {
    private readonly options: ApexStandInOptions;
    private readonly labels: Map<string, string>;
    private readonly schema: DemoOrgSchema;

    constructor(options: ApexStandInOptions) {
        this.options = options;
        this.labels = readCustomLabels(options.root);
        this.schema = new DemoOrgSchema(options.objects ?? options.root);
    }

    /**
     * Runs `<className>.<methodName>(params)` as the given persona, whose language (`UserInfo.getLanguage()`) is
     * `language`.
     */
    async invoke(
        className: string,
        methodName: string,
        params: unknown,
        personaName: string | undefined,
        language: string = 'en_US'
    ): Promise<ApexAnswer> {
        const persona = personaNamed(personaName) ?? { label: '', user: { id: '', name: '' }, permissions: [] };
        if (className !== CONTROLLER || !APEX_METHODS.includes(`${className}.${methodName}`)) {
            return { status: 404, body: { message: `No such Apex method: ${className}.${methodName}` } };
        }
        if (typeof params !== 'object' || params === null || Array.isArray(params)) {
            return { status: 400, body: { message: 'Apex parameters must be a JSON object.' } };
        }
        const call = new ControllerCall(this, persona, new Params(params as Json), language);
        try {
            return { status: 200, body: await call.run(methodName) };
        } catch (error) {
            if (error instanceof ParameterTypeError) {
                return { status: 400, body: { message: error.message } };
            }
            return { status: 500, body: { message: this.toAuraMessage(error) } };
        }
    }

    label(name: string, ...args: (string | number | null)[]): string {
        const template = this.labels.get(name);
        if (template === undefined) {
            throw new Error(`Custom Label ${name} is missing from force-app/main/default/labels`);
        }
        return args.length === 0 ? template : apexFill(template, args);
    }

    /** `toAuraException`: ours as they are, the service's with its admin message, anything else generic. */
    private toAuraMessage(error: unknown): string {
        if (error instanceof AuraHandledError) {
            return error.message;
        }
        if (error instanceof StageServiceError) {
            return this.adminMessage(error);
        }
        return this.label('StageService_Unexpected', error instanceof Error ? error.constructor.name : 'Exception');
    }

    /** `StageServiceException.adminMessage()`. */
    adminMessage(error: StageServiceError): string {
        let message = this.baseMessage(error);
        const namedDuplicate =
            error.kind === 'CONFLICT' &&
            error.problemCode() === 'duplicate-stage' &&
            error.existingStageName() !== null;
        const showsDetail =
            error.kind !== 'UNAUTHORIZED' &&
            error.kind !== 'SERVER_ERROR' &&
            error.kind !== 'TIMEOUT' &&
            error.kind !== 'MALFORMED_RESPONSE' &&
            error.kind !== 'ENDPOINT_NOT_FOUND' &&
            !namedDuplicate;
        if (showsDetail && error.detail !== null && error.detail.trim() !== '') {
            const trimmed = error.detail.trim().replace(/\s+/g, ' ');
            const short =
                trimmed.length <= MAX_DETAIL_LENGTH ? trimmed : `${trimmed.slice(0, MAX_DETAIL_LENGTH - 1)}...`;
            // Without a status the words are the platform's (a failed callout), not the service's.
            const suffix = error.statusCode === null ? 'StageService_CalloutDetailSuffix' : 'StageService_DetailSuffix';
            message += ` ${this.label(suffix, short)}`;
        }
        if (error.kind === 'RATE_LIMITED' && error.retryAfter !== null && /^\d+$/.test(error.retryAfter)) {
            message += ` ${this.label('StageService_RetryAfterSuffix', error.retryAfter)}`;
        }
        return message;
    }

    private baseMessage(error: StageServiceError): string {
        switch (error.kind) {
            case 'UNAUTHORIZED':
                return this.label('StageService_Unauthorized');
            case 'FORBIDDEN':
                return this.label('StageService_Forbidden');
            case 'NOT_FOUND':
                return this.label('StageService_NotFound');
            case 'ENDPOINT_NOT_FOUND':
                return this.label('StageService_EndpointNotFound');
            case 'CONFLICT':
                return this.conflictMessage(error);
            case 'PAYLOAD_TOO_LARGE':
                return this.label('StageService_PayloadTooLarge');
            case 'INVALID_REQUEST':
                return this.label('StageService_InvalidRequest');
            case 'RATE_LIMITED':
                return this.label('StageService_RateLimited');
            case 'SERVER_ERROR':
                return this.label('StageService_ServerError', error.statusCode);
            case 'TIMEOUT':
                return this.label('StageService_Timeout');
            case 'UNREACHABLE':
                return this.label('StageService_Unreachable');
            case 'NO_CREDENTIAL_ACCESS':
                return this.label('StageService_NoCredentialAccess');
            case 'MALFORMED_RESPONSE':
                return this.label('StageService_MalformedResponse');
            case 'UNEXPECTED_STATUS':
                return this.label('StageService_UnexpectedStatus', error.statusCode);
        }
    }

    private conflictMessage(error: StageServiceError): string {
        switch (error.problemCode()) {
            case 'state-changed':
                return this.label('StageService_StateChanged');
            case 'stage-taken':
                return this.label('StageService_StageTaken');
            case 'undo-refused':
                return this.label('StageService_UndoRefused');
            case 'duplicate-stage': {
                const existing = error.existingStageName();
                return existing === null
                    ? this.label('StageService_DuplicateStageName')
                    : this.label('StageService_DuplicateStageNamed', existing);
            }
            case 'limit-reached':
                return this.label('StageService_LimitReached');
            case 'stage-has-records': {
                const recordCount = error.problem.recordCount;
                const count = typeof recordCount === 'number' || typeof recordCount === 'string' ? recordCount : '?';
                return this.label('StageService_StageHasRecords', count);
            }
            default:
                return this.label('StageService_Conflict');
        }
    }

    describeField(objectApiName: string, fieldApiName: string): { name: string; dataType: string } | undefined {
        return this.schema.describeField(objectApiName, fieldApiName);
    }

    /** `StageServiceClient.ServiceRequest.send`: one callout, its answer parsed (`readResponse`). */
    async send(spec: RequestSpec, user: Persona['user']): Promise<Json> {
        const response = await this.exchange(spec, user);
        if (response.status < 200 || response.status >= 300) {
            throw failureOf(response);
        }
        if (response.text.trim() === '') {
            return {};
        }
        const parsed = parseObject(response.text);
        if (parsed === null) {
            throw new StageServiceError('MALFORMED_RESPONSE', response.status, {}, null, null);
        }
        return parsed;
    }

    /** `StageServiceClient.ServiceRequest.sendForBody`: one callout, its answer's text unparsed (`readBody`). */
    async sendForBody(spec: RequestSpec, user: Persona['user']): Promise<string> {
        const response = await this.exchange(spec, user);
        if (response.status < 200 || response.status >= 300) {
            throw failureOf(response);
        }
        if (!isJsonObjectText(response.text)) {
            throw new StageServiceError('MALFORMED_RESPONSE', response.status, {}, null, null);
        }
        return response.text;
    }

    /** `StageServiceClient.ServiceRequest.exchange`: one callout through the "Named Credential". */
    private async exchange(spec: RequestSpec, user: Persona['user']): Promise<ServiceAnswer> {
        let path = spec.pathTemplate;
        for (const [name, value] of Object.entries(spec.pathParams ?? {})) {
            path = path.replace(`{${name}}`, apexEncode(value));
        }
        const query = (spec.query ?? [])
            .filter((entry): entry is [string, string | number] => entry[1] !== null)
            .map(([name, value]) => `${apexEncode(name)}=${apexEncode(String(value))}`);
        if (query.length > 0) {
            path += `?${query.join('&')}`;
        }
        const headers: Record<string, string> = {
            Accept: 'application/json, application/problem+json',
            // Added by the Stage_Service External Credential's custom header in an org.
            Authorization: `Bearer ${this.options.apiKey}`
        };
        for (const [name, value] of Object.entries(spec.headers ?? {})) {
            if (!isBlank(value)) {
                headers[name] = value;
            }
        }
        if (spec.asActor === true) {
            if (user.id.trim() !== '') {
                headers['X-Actor-Id'] = user.id;
            }
            const name = headerSafe(user.name);
            if (name.trim() !== '') {
                headers['X-Actor-Name'] = name;
            }
        }
        let body: string | undefined;
        if (spec.body !== undefined) {
            headers['Content-Type'] = 'application/json; charset=utf-8';
            body = JSON.stringify(spec.body);
        }
        this.options.onServiceCall?.({
            method: spec.method,
            path,
            headers,
            ...(spec.body === undefined ? {} : { body: spec.body })
        });
        let response: Response;
        try {
            response = await fetch(`${this.options.serviceUrl.replace(/\/+$/, '')}${path}`, {
                method: spec.method,
                headers,
                ...(body === undefined ? {} : { body }),
                signal: AbortSignal.timeout(spec.timeoutMs)
            });
        } catch (failure) {
            const message = failure instanceof Error ? failure.message : String(failure);
            const timedOut = failure instanceof Error && failure.name === 'TimeoutError';
            throw new StageServiceError(timedOut ? 'TIMEOUT' : 'UNREACHABLE', null, {}, message, null);
        }
        return {
            status: response.status,
            text: await response.text(),
            retryAfter: response.headers.get('Retry-After')
        };
    }

    auraError(message: string): AuraHandledError {
        return new AuraHandledError(message);
    }
}

/**
 * `conflictOf`: the conflict answer of an apply the service refused because the state moved since the page read it;
 * a conflict without the current version is rethrown (it reaches the page as the 409's admin message).
 */
function conflictOf(failure: StageServiceError): Json {
    const version = failure.problem.version;
    if (!Number.isInteger(version)) {
        throw failure;
    }
    return { status: 'conflict', version, detail: failure.detail };
}

/** One invocation of a controller method, as the persona. The method bodies follow the Apex line by line. */
class ControllerCall {
    private readonly standIn: ApexStandIn;
    private readonly persona: Persona;
    private readonly params: Params;
    private readonly language: string;

    constructor(standIn: ApexStandIn, persona: Persona, params: Params, language: string) {
        this.standIn = standIn;
        this.persona = persona;
        this.params = params;
        this.language = language;
    }

    /** `labelLanguage`: the running user's language when it is a language code the service takes, else none. */
    private labelLanguage(): { labelLanguage?: string } {
        return LANGUAGE_CODE.test(this.language) ? { labelLanguage: this.language } : {};
    }

    run(methodName: string): Promise<unknown> {
        switch (methodName) {
            case 'getAccess':
                return Promise.resolve(this.getAccess());
            case 'getMappedFields':
                return this.getMappedFields();
            case 'getScopeState':
                return this.getScopeState();
            case 'applyAutoMap':
                return this.applyAutoMap();
            case 'applyDriftFixes':
                return this.applyDriftFixes();
            case 'setMapping':
                return this.setMapping();
            case 'createStageAndMap':
                return this.createStageAndMap();
            case 'removeMapping':
                return this.removeMapping();
            case 'getRunHistory':
                return this.getRunHistory();
            case 'undoRun':
                return this.undoRun();
            case 'renameStage':
                return this.renameStage();
            case 'deleteStage':
                return this.deleteStage();
            default:
                return Promise.reject(new Error(`Unknown method ${methodName}`));
        }
    }

    private checkPermission(name: string): boolean {
        return this.persona.permissions.includes(name);
    }

    private getAccess(): { canEdit: boolean; canView: boolean } {
        const canEdit = this.checkPermission(EDIT_PERMISSION);
        return { canEdit, canView: canEdit || this.checkPermission(VIEW_PERMISSION) };
    }

    private send(spec: RequestSpec): Promise<Json> {
        return this.standIn.send(spec, this.persona.user);
    }

    private sendForBody(spec: RequestSpec): Promise<string> {
        return this.standIn.sendForBody(spec, this.persona.user);
    }

    private async getMappedFields(): Promise<string> {
        const objectApiName = this.params.string('objectApiName');
        this.requireView();
        return this.sendForBody({
            method: 'GET',
            pathTemplate: PATH_SCOPES,
            query: [
                ['object', this.resolveObject(objectApiName)],
                ['include', INCLUDE_MAPPINGS]
            ],
            timeoutMs: READ_TIMEOUT_MS
        });
    }

    private async getScopeState(): Promise<string> {
        const objectApiName = this.params.string('objectApiName');
        const fieldApiName = this.params.string('fieldApiName');
        this.requireView();
        const scope = this.resolveScope(objectApiName, fieldApiName);
        return this.sendForBody({
            method: 'GET',
            pathTemplate: PATH_SCOPE,
            pathParams: { object: scope.objectApiName, field: scope.fieldApiName },
            timeoutMs: READ_TIMEOUT_MS
        });
    }

    private async applyAutoMap(): Promise<string> {
        const objectApiName = this.params.string('objectApiName');
        const fieldApiName = this.params.string('fieldApiName');
        const values = this.params.picklistValues('values');
        const expectedVersion = this.params.integer('expectedVersion');
        const idempotencyKey = this.params.string('idempotencyKey');
        const newStageNames = this.params.string('newStageNames');
        const categories = this.params.stringMap('categories');
        this.requireEdit();
        const scope = this.resolveScope(objectApiName, fieldApiName);
        const items = this.toServiceValues(values);
        const version = this.requireVersion(expectedVersion);
        const key = this.requireMatch('idempotencyKey', idempotencyKey, IDEMPOTENCY_KEY);
        const naming = this.stageNaming(newStageNames);
        const stageCategories = this.toServiceCategories(categories, items);
        try {
            return await this.sendForBody({
                method: 'POST',
                pathTemplate: PATH_SCOPE_AUTO_MAP,
                pathParams: { object: scope.objectApiName, field: scope.fieldApiName },
                headers: { 'Idempotency-Key': key },
                asActor: true,
                body: {
                    values: items,
                    expectedVersion: version,
                    dryRun: false,
                    newStageNames: naming,
                    ...(Object.keys(stageCategories).length === 0 ? {} : { categories: stageCategories }),
                    answer: ANSWER_SUMMARY,
                    ...this.labelLanguage()
                },
                timeoutMs: AUTO_MAP_TIMEOUT_MS
            });
        } catch (failure) {
            // The fresh plan's counts let the wizard show what changed; without them the admin previews again.
            const plan = failure instanceof StageServiceError ? failure.problem.plan : undefined;
            const planIsObject = typeof plan === 'object' && plan !== null && !Array.isArray(plan);
            if (!(failure instanceof StageServiceError) || !failure.isStateChanged() || !planIsObject) {
                throw failure;
            }
            return JSON.stringify({ ...conflictOf(failure), plan });
        }
    }

    private async applyDriftFixes(): Promise<string> {
        const objectApiName = this.params.string('objectApiName');
        const fieldApiName = this.params.string('fieldApiName');
        const values = this.params.picklistValues('values');
        const fixes = this.params.driftFixes('fixes');
        const expectedVersion = this.params.integer('expectedVersion');
        const idempotencyKey = this.params.string('idempotencyKey');
        const newStageNames = this.params.string('newStageNames');
        this.requireEdit();
        const scope = this.resolveScope(objectApiName, fieldApiName);
        const items = this.toServiceValues(values);
        const serviceFixes = this.toServiceFixes(fixes);
        const version = this.requireVersion(expectedVersion);
        const key = this.requireMatch('idempotencyKey', idempotencyKey, IDEMPOTENCY_KEY);
        const naming = this.stageNaming(newStageNames);
        try {
            return await this.sendForBody({
                method: 'POST',
                pathTemplate: PATH_SCOPE_DRIFT_FIXES,
                pathParams: { object: scope.objectApiName, field: scope.fieldApiName },
                headers: { 'Idempotency-Key': key },
                asActor: true,
                body: {
                    values: items,
                    fixes: serviceFixes,
                    expectedVersion: version,
                    newStageNames: naming,
                    answer: ANSWER_SUMMARY,
                    ...this.labelLanguage()
                },
                timeoutMs: AUTO_MAP_TIMEOUT_MS
            });
        } catch (failure) {
            // The page reads the state again and reports drift on it: the version and the reason are enough.
            if (!(failure instanceof StageServiceError) || !failure.isDriftChanged()) {
                throw failure;
            }
            return JSON.stringify(conflictOf(failure));
        }
    }

    private async setMapping(): Promise<string> {
        const objectApiName = this.params.string('objectApiName');
        const fieldApiName = this.params.string('fieldApiName');
        const value = this.params.string('value');
        const stageId = this.params.string('stageId');
        const label = this.params.string('label');
        this.requireEdit();
        const scope = this.resolveScope(objectApiName, fieldApiName);
        const text = this.requireText('value', value);
        const stage = this.requireMatch('stageId', stageId, SERVICE_ID);
        const recordedLabel = this.optionalText('label', label);
        return this.sendForBody({
            method: 'PUT',
            pathTemplate: PATH_SCOPE_MAPPINGS,
            pathParams: { object: scope.objectApiName, field: scope.fieldApiName },
            asActor: true,
            body: {
                value: text,
                stageId: stage,
                ...(recordedLabel === null ? {} : { label: recordedLabel, ...this.labelLanguage() })
            },
            timeoutMs: WRITE_TIMEOUT_MS
        });
    }

    private async createStageAndMap(): Promise<string> {
        const objectApiName = this.params.string('objectApiName');
        const fieldApiName = this.params.string('fieldApiName');
        const value = this.params.string('value');
        const stageName = this.params.string('stageName');
        const label = this.params.string('label');
        this.requireEdit();
        const scope = this.resolveScope(objectApiName, fieldApiName);
        const text = this.requireText('value', value);
        const name = this.requireText('stageName', stageName);
        const recordedLabel = this.optionalText('label', label);
        return this.sendForBody({
            method: 'PUT',
            pathTemplate: PATH_SCOPE_MAPPINGS,
            pathParams: { object: scope.objectApiName, field: scope.fieldApiName },
            asActor: true,
            body: {
                value: text,
                stageName: name,
                ...(recordedLabel === null ? {} : { label: recordedLabel, ...this.labelLanguage() })
            },
            timeoutMs: WRITE_TIMEOUT_MS
        });
    }

    private async removeMapping(): Promise<string> {
        const objectApiName = this.params.string('objectApiName');
        const fieldApiName = this.params.string('fieldApiName');
        const value = this.params.string('value');
        this.requireEdit();
        const scope = this.resolveScope(objectApiName, fieldApiName);
        const text = this.requireText('value', value);
        if (text === '.' || text === '..') {
            throw this.standIn.auraError(this.standIn.label('StageService_ValueNotInPath', text));
        }
        return this.sendForBody({
            method: 'DELETE',
            pathTemplate: PATH_SCOPE_MAPPING,
            pathParams: { object: scope.objectApiName, field: scope.fieldApiName, value: text },
            asActor: true,
            timeoutMs: WRITE_TIMEOUT_MS
        });
    }

    private async getRunHistory(): Promise<Json> {
        const objectApiName = this.params.string('objectApiName');
        const fieldApiName = this.params.string('fieldApiName');
        this.requireView();
        const scope = this.resolveScope(objectApiName, fieldApiName);
        return this.send({
            method: 'GET',
            pathTemplate: PATH_RUNS,
            query: [
                ['object', scope.objectApiName],
                ['field', scope.fieldApiName],
                ['limit', RUN_HISTORY_LIMIT]
            ],
            timeoutMs: READ_TIMEOUT_MS
        });
    }

    private async undoRun(): Promise<Json> {
        const runId = this.params.string('runId');
        this.requireEdit();
        const run = this.requireMatch('runId', runId, SERVICE_ID);
        return this.send({
            method: 'POST',
            pathTemplate: PATH_RUN_UNDO,
            pathParams: { runId: run },
            asActor: true,
            timeoutMs: WRITE_TIMEOUT_MS
        });
    }

    private async renameStage(): Promise<Json> {
        const stageId = this.params.string('stageId');
        const name = this.params.string('name');
        this.requireEdit();
        const stage = this.requireMatch('stageId', stageId, SERVICE_ID);
        const text = this.requireText('name', name);
        return this.send({
            method: 'PATCH',
            pathTemplate: PATH_STAGE,
            pathParams: { stageId: stage },
            asActor: true,
            body: { name: text },
            timeoutMs: WRITE_TIMEOUT_MS
        });
    }

    private async deleteStage(): Promise<string> {
        const stageId = this.params.string('stageId');
        const moveRecordsToStageId = this.params.string('moveRecordsToStageId');
        this.requireEdit();
        const stage = this.requireMatch('stageId', stageId, SERVICE_ID);
        const moveTo = isBlank(moveRecordsToStageId) ? null : moveRecordsToStageId;
        if (moveTo !== null) {
            this.requireMatch('moveRecordsToStageId', moveTo, SERVICE_ID);
            if (moveTo === stage) {
                throw this.standIn.auraError(this.standIn.label('StageService_MoveToSameStage'));
            }
        }
        return this.sendForBody({
            method: 'DELETE',
            pathTemplate: PATH_STAGE,
            pathParams: { stageId: stage },
            query: [['moveRecordsTo', moveTo]],
            asActor: true,
            timeoutMs: WRITE_TIMEOUT_MS
        });
    }

    // Permission, scope and argument checks: StageAutoMapController's private methods.

    private requireEdit(): void {
        if (!this.checkPermission(EDIT_PERMISSION)) {
            throw this.standIn.auraError(this.standIn.label('StageService_NoEditPermission'));
        }
    }

    private requireView(): void {
        if (!this.checkPermission(EDIT_PERMISSION) && !this.checkPermission(VIEW_PERMISSION)) {
            throw this.standIn.auraError(this.standIn.label('StageService_NoViewPermission'));
        }
    }

    private resolveObject(objectApiName: string | null): string {
        const object = this.requirePresent('objectApiName', objectApiName);
        const objectName = ALLOWED_OBJECTS[object.trim().toLowerCase()];
        if (objectName === undefined) {
            throw this.standIn.auraError(this.standIn.label('StageService_ObjectNotSupported', object.slice(0, 80)));
        }
        return objectName;
    }

    private resolveScope(objectApiName: string | null, fieldApiName: string | null): Scope {
        const objectName = this.resolveObject(objectApiName);
        const field = this.requireMatch('fieldApiName', fieldApiName, FIELD_NAME);
        const describe = this.standIn.describeField(objectName, field);
        if (describe === undefined) {
            throw this.standIn.auraError(this.standIn.label('StageService_FieldNotFound', objectName, field));
        }
        if (describe.dataType !== 'Picklist') {
            throw this.standIn.auraError(
                this.standIn.label('StageService_FieldNotPicklist', objectName, describe.name)
            );
        }
        return { objectApiName: objectName, fieldApiName: describe.name };
    }

    private toServiceValues(values: (PicklistValueParam | null)[] | null): Json[] {
        if (values === null || values.length === 0) {
            throw this.standIn.auraError(this.standIn.label('StageService_NoValues'));
        }
        if (values.length > MAX_VALUES) {
            throw this.standIn.auraError(this.standIn.label('StageService_TooManyValues', values.length, MAX_VALUES));
        }
        const seen = new Set<string>();
        return values.map((entry) => {
            if (entry === null) {
                throw this.requiredError('value');
            }
            const value = this.requireText('value', entry.value);
            if (!isBlank(entry.label)) {
                this.requireText('label', entry.label);
            }
            if (seen.has(value)) {
                throw this.standIn.auraError(this.standIn.label('StageService_DuplicateValue', value));
            }
            seen.add(value);
            // StageServiceClient.picklistValue: a blank label and a null active are left out.
            const item: Json = { value };
            if (!isBlank(entry.label)) {
                item.label = entry.label;
            }
            if (entry.active !== null) {
                item.active = entry.active;
            }
            return item;
        });
    }

    /**
     * `toServiceCategories`: each key a value sent, each category one of the three (spelled exactly) or blank (none,
     * left out).
     */
    private toServiceCategories(categories: Map<string, string | null> | null, items: readonly Json[]): Json {
        const result: Json = {};
        if (categories === null || categories.size === 0) {
            return result;
        }
        const names = new Set(items.map((item) => item.value));
        for (const [value, category] of categories) {
            if (!names.has(value)) {
                throw this.standIn.auraError(
                    this.standIn.label('StageService_CategoryValueUnknown', value.slice(0, MAX_TEXT_LENGTH))
                );
            }
            if (isBlank(category)) {
                continue;
            }
            if (!STAGE_CATEGORIES.has(category)) {
                throw this.standIn.auraError(
                    this.standIn.label('StageService_CategoryInvalid', value, category.slice(0, 80))
                );
            }
            result[value] = category;
        }
        return result;
    }

    /** `toServiceFixes`: 1 to 1,000, each value once, each a kind with a fix. */
    private toServiceFixes(fixes: (DriftFixParam | null)[] | null): Json[] {
        if (fixes === null || fixes.length === 0) {
            throw this.standIn.auraError(this.standIn.label('StageService_NoDriftFixes'));
        }
        if (fixes.length > MAX_VALUES) {
            throw this.standIn.auraError(
                this.standIn.label('StageService_TooManyDriftFixes', fixes.length, MAX_VALUES)
            );
        }
        const seen = new Set<string>();
        return fixes.map((fix) => {
            if (fix === null) {
                throw this.requiredError('value');
            }
            const value = this.requireText('value', fix.value);
            const kind = this.requirePresent('kind', fix.kind);
            if (!FIXABLE_DRIFT_KINDS.has(kind)) {
                throw this.standIn.auraError(
                    this.standIn.label('StageService_DriftFixKindInvalid', value, kind.slice(0, 80))
                );
            }
            if (seen.has(value)) {
                throw this.standIn.auraError(this.standIn.label('StageService_DuplicateDriftFix', value));
            }
            seen.add(value);
            // StageServiceClient.driftFix.
            return { value, kind };
        });
    }

    /** `stageNaming`: blank is label; anything but `label` and `apiName` is refused. */
    private stageNaming(newStageNames: string | null): string {
        if (isBlank(newStageNames)) {
            return NEW_STAGE_NAMES_LABEL;
        }
        if (newStageNames !== NEW_STAGE_NAMES_LABEL && newStageNames !== NEW_STAGE_NAMES_API_NAME) {
            throw this.invalidError('newStageNames');
        }
        return newStageNames;
    }

    private requireVersion(expectedVersion: number | null): number {
        if (expectedVersion === null || expectedVersion < 0) {
            throw this.standIn.auraError(this.standIn.label('StageService_VersionInvalid'));
        }
        return expectedVersion;
    }

    private requireText(argument: string, value: string | null): string {
        const text = this.requirePresent(argument, value);
        if (text.length > MAX_TEXT_LENGTH) {
            throw this.standIn.auraError(this.standIn.label('StageService_ArgumentTooLong', argument, MAX_TEXT_LENGTH));
        }
        if (CONTROL_CHARACTER.test(text)) {
            throw this.invalidError(argument);
        }
        return text;
    }

    /** `optionalText`: blank is none (null); otherwise `requireText`. */
    private optionalText(argument: string, value: string | null): string | null {
        return isBlank(value) ? null : this.requireText(argument, value);
    }

    private requireMatch(argument: string, value: string | null, format: RegExp): string {
        const text = this.requirePresent(argument, value);
        if (!format.test(text)) {
            throw this.invalidError(argument);
        }
        return text;
    }

    private requirePresent(argument: string, value: string | null): string {
        if (isBlank(value)) {
            throw this.requiredError(argument);
        }
        return value;
    }

    private requiredError(argument: string): AuraHandledError {
        return this.standIn.auraError(this.standIn.label('StageService_ArgumentRequired', argument));
    }

    private invalidError(argument: string): AuraHandledError {
        return this.standIn.auraError(this.standIn.label('StageService_ArgumentInvalid', argument));
    }
}
