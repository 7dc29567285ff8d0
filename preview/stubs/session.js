/**
 * The preview's stand-in for who is logged in and in which language: the persona decides the custom permissions
 * (`@salesforce/customPermission/*`), the user id (`@salesforce/user/Id`) and the persona header the Apex stand-in
 * checks; the language decides which labels the UI API stub returns. Both come from the URL
 * (`?persona=admin|readonly|none`, `?lang=en_US|de`), then localStorage, then the defaults (admin, en_US).
 */
import { PERSONAS } from '@preview/personas';

export { PERSONAS };

export const LANGUAGES = { en_US: 'English', de: 'Deutsch' };

const listeners = new Set();

function fromUrlOrStorage(key, allowed, fallback) {
    try {
        const fromUrl = new URL(window.location.href).searchParams.get(key);
        if (fromUrl && Object.hasOwn(allowed, fromUrl)) {
            return fromUrl;
        }
        const stored = window.localStorage.getItem(`stageAutoMapPreview.${key}`);
        if (stored && Object.hasOwn(allowed, stored)) {
            return stored;
        }
    } catch {
        // No window (or storage blocked): the defaults.
    }
    return fallback;
}

const state = {
    persona: fromUrlOrStorage('persona', PERSONAS, 'admin'),
    lang: fromUrlOrStorage('lang', LANGUAGES, 'en_US')
};

function remember(key, value) {
    try {
        window.localStorage.setItem(`stageAutoMapPreview.${key}`, value);
        const url = new URL(window.location.href);
        url.searchParams.set(key, value);
        window.history.replaceState(null, '', url);
    } catch {
        // Not remembered; the switch still applies to this page.
    }
}

export function currentPersona() {
    return state.persona;
}

export function currentLanguage() {
    return state.lang;
}

export function currentUser() {
    return PERSONAS[state.persona].user;
}

/** Mirrors `FeatureManagement.checkPermission`: true when granted, undefined otherwise (as the platform imports). */
export function isGranted(permissionName) {
    return PERSONAS[state.persona].permissions.includes(permissionName) ? true : undefined;
}

export function onSessionChange(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

function changed() {
    for (const listener of listeners) {
        listener(state);
    }
}

export function setPersona(persona) {
    if (!Object.hasOwn(PERSONAS, persona)) {
        throw new Error(`Unknown persona ${persona}`);
    }
    state.persona = persona;
    remember('persona', persona);
    changed();
}

/**
 * Switching the language reloads the page, as changing one's language does in an org: `@salesforce/i18n/lang` is
 * fixed for a page's life, and the page compares the UI API's labels with those recorded in that language. Without a
 * reload the labels would be German while the page still believed it read English ones, and every mapped label
 * would show as changed.
 */
export function setLanguage(lang) {
    if (!Object.hasOwn(LANGUAGES, lang)) {
        throw new Error(`Unknown language ${lang}`);
    }
    state.lang = lang;
    remember('lang', lang);
    try {
        window.location.reload();
    } catch {
        // No window: re-create the page instead.
        changed();
    }
}

/** `?scenario=large` adds a picklist with 1,000 values (the bench's scenario) to the demo org. */
export function currentScenario() {
    try {
        return new URL(window.location.href).searchParams.get('scenario') ?? '';
    } catch {
        return '';
    }
}

/**
 * `?service=down` (or the bar's "Stage service down" switch): every Apex call of the page finds the stage service
 * unreachable, as when its URL is wrong or it is stopped, so the error panels, Retry and stale rows can be seen.
 * Switching does not re-create the page: what it shows stays, as it would in an org when the service goes away.
 */
export function isServiceDown() {
    try {
        return new URL(window.location.href).searchParams.get('service') === 'down';
    } catch {
        return false;
    }
}

export function setServiceDown(down) {
    try {
        const url = new URL(window.location.href);
        if (down) {
            url.searchParams.set('service', 'down');
        } else {
            url.searchParams.delete('service');
        }
        window.history.replaceState(null, '', url);
    } catch {
        // No window: nothing to switch.
    }
}

/**
 * `?picklist=changed` (or the bar's "Lead Status changed" switch): the demo org's Lead Status as an admin might leave
 * it some weeks after a first auto-map (preview/stubs/uiObjectInfoApi.js, `changeLeadStatus`), so the page's
 * "Changes since mapping" can be seen. Switching re-creates the page, as a reload after the change would in an org.
 */
export function isPicklistChanged() {
    try {
        return new URL(window.location.href).searchParams.get('picklist') === 'changed';
    } catch {
        return false;
    }
}

export function setPicklistChanged(changedNow) {
    try {
        const url = new URL(window.location.href);
        if (changedNow) {
            url.searchParams.set('picklist', 'changed');
        } else {
            url.searchParams.delete('picklist');
        }
        window.history.replaceState(null, '', url);
    } catch {
        // No window: nothing to switch.
    }
    changed();
}

/** `?latency=<ms>` delays every UI API and Apex answer, to see the spinners. */
export function latencyMs() {
    try {
        const value = Number(new URL(window.location.href).searchParams.get('latency') ?? '0');
        return Number.isFinite(value) && value > 0 ? Math.min(value, 10000) : 0;
    } catch {
        return 0;
    }
}
