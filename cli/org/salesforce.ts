/**
 * The org connection: jsforce 3.10.16 (pinned; later versions crash on import under Node 20) at the package's API
 * version, with Salesforce's and the network's errors turned into one clear line each. Paths starting with
 * `/ui-api` or `/chatter` get jsforce's `/services/data/vXX.X` prefix; `/services/...` paths are used as they are.
 */
import { Connection } from 'jsforce';
import { CommandFailure, describeNetworkError, networkErrorCode, oneLineMessage } from '../errors.ts';
import type { OrgAuth } from './sf-auth.ts';

/** The package's API version (sourceApiVersion); jsforce would default to 50.0. */
export const API_VERSION = '66.0';

/**
 * jsforce retries 5 times with exponential backoff (about 16 s) by default, also when the host refuses or does not
 * resolve: a CLI should say so at once. Resets and busy answers (429, 5xx) still get two quick retries.
 */
const RETRY = {
    maxRetries: 2,
    minTimeout: 500,
    timeoutFactor: 2,
    errorCodes: ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ETIMEDOUT'],
    statusCodes: [429, 500, 502, 503, 504]
};

/** A 404 `NOT_FOUND`: the caller knows what was missing and says so. */
export class SalesforceNotFound extends Error {
    override name = 'SalesforceNotFound';
}

/** The acting user, for the stage service's `X-Actor-Id` and `X-Actor-Name`. */
export interface OrgUser {
    id: string;
    name: string;
    /** The user's language (`en_US`), as OAuth userinfo gives it: the language the UI API's labels are in. */
    language?: string;
}

interface SalesforceError {
    errorCode?: unknown;
    name?: unknown;
    message?: unknown;
}

export class SalesforceOrg {
    readonly auth: OrgAuth;
    readonly timeoutMs: number;
    private readonly connection: Connection;

    constructor(auth: OrgAuth, timeoutMs: number) {
        this.auth = auth;
        this.timeoutMs = timeoutMs;
        this.connection = new Connection({
            instanceUrl: auth.instanceUrl,
            accessToken: auth.accessToken,
            version: API_VERSION
        });
    }

    /**
     * GETs a REST resource.
     *
     * @param what words for the resource in messages, e.g. `the object info of Lead`
     * @throws SalesforceNotFound on 404 NOT_FOUND; CommandFailure for everything else
     */
    async get<T>(path: string, what: string): Promise<T> {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                reject(
                    new CommandFailure(
                        `the org at ${this.auth.instanceUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s (reading ${what})`
                    )
                );
            }, this.timeoutMs);
        });
        try {
            return await Promise.race([this.connection.request<T>(path, { retry: RETRY }), timeout]);
        } catch (error) {
            throw this.translate(error, what);
        } finally {
            clearTimeout(timer);
        }
    }

    /** The user the token belongs to: OAuth userinfo, else Chatter's `users/me`. */
    async currentUser(): Promise<OrgUser> {
        let firstProblem: unknown;
        try {
            const info = await this.get<Record<string, unknown>>('/services/oauth2/userinfo', 'your user (userinfo)');
            const user = readUser(info.user_id, info.name);
            if (user) {
                return typeof info.language === 'string' && info.language !== ''
                    ? { ...user, language: info.language }
                    : user;
            }
        } catch (error) {
            if (
                error instanceof CommandFailure &&
                /session has expired|cannot reach|did not answer/.test(error.message)
            ) {
                throw error;
            }
            firstProblem = error;
        }
        try {
            const me = await this.get<Record<string, unknown>>('/chatter/users/me', 'your user (chatter/users/me)');
            const user = readUser(me.id, me.name);
            if (user) {
                return user;
            }
        } catch (error) {
            firstProblem ??= error;
        }
        throw new CommandFailure(
            `cannot tell which Salesforce user you are, which apply records as the actor${firstProblem ? `: ${oneLineMessage(firstProblem)}` : ''}`
        );
    }

    private translate(error: unknown, what: string): Error {
        if (error instanceof CommandFailure) {
            return error;
        }
        const network = networkErrorCode(error);
        if (network) {
            return new CommandFailure(
                `cannot reach the org at ${this.auth.instanceUrl} (${this.auth.origin}): ${describeNetworkError(network)}`
            );
        }
        const { errorCode, name, message } = (
            typeof error === 'object' && error !== null ? error : {}
        ) as SalesforceError;
        const code = typeof errorCode === 'string' ? errorCode : typeof name === 'string' ? name : '';
        const said = typeof message === 'string' ? oneLineMessage(message) : oneLineMessage(error);
        if (code === 'INVALID_SESSION_ID' || code === 'INVALID_AUTH_HEADER' || code === 'ERROR_HTTP_401') {
            return new CommandFailure(
                `the Salesforce session for ${this.auth.origin} has expired or is invalid (401 ${code} from ${this.auth.instanceUrl}); ${this.auth.reloginHint}`
            );
        }
        if (code === 'NOT_FOUND' || code === 'ERROR_HTTP_404') {
            return new SalesforceNotFound(said);
        }
        if (/^ERROR_HTTP_\d+$/.test(code) && /html/i.test(said)) {
            return new CommandFailure(
                `the org at ${this.auth.instanceUrl} answered ${code.replace('ERROR_HTTP_', 'HTTP ')} with a web page instead of the REST API while reading ${what}: check the instance URL`
            );
        }
        return new CommandFailure(
            `Salesforce refused to give ${what}: ${said.slice(0, 300)}${code && !said.includes(code) ? ` (${code})` : ''}`
        );
    }
}

function readUser(id: unknown, name: unknown): OrgUser | undefined {
    if (typeof id === 'string' && id !== '' && typeof name === 'string' && name.trim() !== '') {
        return { id, name: name.trim() };
    }
    return undefined;
}
