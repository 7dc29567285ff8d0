/**
 * The one error contract of the UI: whatever failed (a UI API wire, an Apex call, a thrown Error, a fetch in the
 * local preview), `reduceErrors` turns it into the list of messages an admin reads. Apex errors carry the message
 * the controller wrote for an admin in `body.message`; UI API errors carry one or more `body` entries.
 */

interface MessageBody {
    message?: unknown;
    pageErrors?: { message?: unknown }[];
    fieldErrors?: Record<string, { message?: unknown }[]>;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null;
}

function messagesOfBody(body: unknown): string[] {
    if (Array.isArray(body)) {
        return body.flatMap((entry) => messagesOfBody(entry));
    }
    if (!isObject(body)) {
        return typeof body === 'string' && body ? [body] : [];
    }
    const typed = body as MessageBody;
    const messages: string[] = [];
    for (const pageError of typed.pageErrors ?? []) {
        if (typeof pageError.message === 'string') {
            messages.push(pageError.message);
        }
    }
    for (const errors of Object.values(typed.fieldErrors ?? {})) {
        for (const fieldError of errors) {
            if (typeof fieldError.message === 'string') {
                messages.push(fieldError.message);
            }
        }
    }
    if (typeof typed.message === 'string' && typed.message) {
        messages.push(typed.message);
    }
    return messages;
}

/** Every distinct, non-empty message carried by one error or a list of errors, in order. */
export function reduceErrors(errors: unknown): string[] {
    const list: unknown[] = Array.isArray(errors) ? errors : [errors];
    const messages = list.flatMap((error): string[] => {
        if (error === undefined || error === null) {
            return [];
        }
        if (typeof error === 'string') {
            return [error];
        }
        if (typeof error === 'number' || typeof error === 'boolean') {
            return [String(error)];
        }
        if (!isObject(error)) {
            return [];
        }
        const fromBody = messagesOfBody(error.body);
        if (fromBody.length > 0) {
            return fromBody;
        }
        if (typeof error.message === 'string' && error.message) {
            return [error.message];
        }
        if (typeof error.statusText === 'string' && error.statusText) {
            return [error.statusText];
        }
        return [];
    });
    return [...new Set(messages)];
}
