/**
 * What an `@salesforce/apex/<Class>.<method>` import does in the preview: POST the parameters to the local Apex
 * stand-in (`preview/apexStandIn.ts`) and settle like the platform does. A rejected call carries
 * `{ body: { message }, status, statusText, ok: false }`, the shape of an AuraHandledException in Lightning
 * Experience, so `reduceErrors` reads it unchanged.
 */
import { currentLanguage, currentPersona, isServiceDown, latencyMs } from '@preview/session';

function delay(ms) {
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function auraError(status, statusText, message) {
    return {
        ok: false,
        status,
        statusText,
        headers: {},
        body: {
            message,
            exceptionType: 'System.AuraHandledException',
            isUserDefinedException: false,
            stackTrace: ''
        }
    };
}

export async function callApex(className, methodName, params) {
    let response;
    try {
        response = await fetch(`/apex/${encodeURIComponent(className)}/${encodeURIComponent(methodName)}`, {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'X-Preview-Persona': currentPersona(),
                // The running user's language, as `UserInfo.getLanguage()` gives it to the Apex.
                'X-Preview-Language': currentLanguage(),
                ...(isServiceDown() ? { 'X-Preview-Service': 'down' } : {})
            },
            body: JSON.stringify(params ?? {})
        });
    } catch (error) {
        throw auraError(
            0,
            'Network error',
            `The local preview server does not answer (${error instanceof Error ? error.message : String(error)}). ` +
                'Is `npm start` still running?'
        );
    }
    await delay(latencyMs());
    const text = await response.text();
    let body;
    try {
        body = text ? JSON.parse(text) : null;
    } catch {
        body = { message: text };
    }
    if (!response.ok) {
        const message =
            body && typeof body.message === 'string' && body.message
                ? body.message
                : `The Apex stand-in failed with HTTP ${response.status}.`;
        throw auraError(response.status, response.statusText, message);
    }
    return body;
}
