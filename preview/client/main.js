/**
 * The preview page: loads synthetic shadow first (as Lightning Experience does), then renders the package's setup
 * page component. Around it, outside the component, the preview's own controls: the persona (admin, read-only,
 * no permission) and the language of the demo org's labels; switching either re-creates the component, as a
 * reload in an org would. Platform toasts (`lightning/platformShowToastEvent`) are shown with `lightning/toast`,
 * which is what the Lightning Experience shell does for them.
 *
 * With `npm start -- --picklists FILE` the bar names the file, and the page opens on the file's first field: its
 * object's tab, then that field in the tab's field picker, as an admin would choose them.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import Toast from 'lightning/toast';
import PageComponent, { props, tagName } from '@preview/root';
import { currentOrg, whenOrgReady } from '@preview/org';
import {
    LANGUAGES,
    PERSONAS,
    currentLanguage,
    currentPersona,
    isPicklistChanged,
    isServiceDown,
    onSessionChange,
    setLanguage,
    setPersona,
    setPicklistChanged,
    setServiceDown
} from '@preview/session';

const root = document.getElementById('preview-root');
const controls = document.getElementById('preview-controls');

function mount() {
    root.replaceChildren();
    const element = createElement(tagName, { is: PageComponent });
    Object.assign(element, props);
    root.appendChild(element);
    whenOrgReady(() => {
        const focus = currentOrg().focus;
        if (focus) {
            openOn(element, focus).catch(() => undefined);
        }
    });
}

/** Polls `find` until it returns something (the page renders asynchronously), or gives up after 10 s. */
async function waitFor(find) {
    for (let waited = 0; waited < 10000; waited += 50) {
        const found = find();
        if (found) {
            return found;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
}

/**
 * Opens the page on a picklists file's field: selects the object's tab (the tabset's public activeTabValue), then
 * picks the field in that tab's field picker (its `fieldchange` event, what choosing it in the combobox sends). A
 * page that renders differently is left as it is.
 */
async function openOn(page, { object, field }) {
    const tabset = await waitFor(() => page.isConnected && page.shadowRoot?.querySelector('lightning-tabset'));
    if (!tabset || !page.isConnected) {
        return;
    }
    tabset.activeTabValue = object;
    const picker = await waitFor(() => {
        const panel = [...page.shadowRoot.querySelectorAll('c-stage-mapping-panel')].find(
            (candidate) => candidate.objectApiName === object
        );
        return panel?.shadowRoot?.querySelector('c-picklist-field-picker');
    });
    if (picker && page.isConnected && picker.value !== field) {
        picker.dispatchEvent(new CustomEvent('fieldchange', { detail: { fieldApiName: field } }));
    }
}

/** In the bar: which picklists file the page shows, when it is not the demo org. */
function renderSource() {
    whenOrgReady(() => {
        const org = currentOrg();
        if (org.source !== 'file') {
            return;
        }
        const badge = document.createElement('span');
        badge.className = 'preview-bar__badge';
        badge.dataset.id = 'picklists-file';
        badge.textContent = `your picklists: ${org.file}`;
        document.querySelector('.preview-bar__title')?.appendChild(badge);
    });
}

function select(id, labelText, options, current, onChange) {
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = labelText;
    const control = document.createElement('select');
    control.id = id;
    for (const [value, text] of Object.entries(options)) {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = text;
        option.selected = value === current;
        control.appendChild(option);
    }
    control.addEventListener('change', () => onChange(control.value));
    label.appendChild(control);
    return label;
}

/** A switch that takes the stage service away from the page's Apex calls (and brings it back), without a reload. */
function serviceSwitch() {
    const label = document.createElement('label');
    label.htmlFor = 'preview-service-down';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'preview-service-down';
    box.checked = isServiceDown();
    box.addEventListener('change', () => setServiceDown(box.checked));
    label.append(box, 'Stage service down');
    return label;
}

/**
 * A switch that changes the demo org's Lead Status the way admins do after a first auto-map (a value renamed, one
 * relabelled, one removed, one deactivated, one added), to see "Changes since mapping"; the page is re-created.
 */
function picklistSwitch() {
    const label = document.createElement('label');
    label.htmlFor = 'preview-picklist-changed';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'preview-picklist-changed';
    box.checked = isPicklistChanged();
    box.addEventListener('change', () => setPicklistChanged(box.checked));
    label.append(box, 'Lead Status changed since mapping');
    return label;
}

function renderControls() {
    const personaLabels = Object.fromEntries(Object.entries(PERSONAS).map(([key, persona]) => [key, persona.label]));
    controls.replaceChildren(
        select('preview-persona', 'Preview persona', personaLabels, currentPersona(), setPersona),
        select('preview-language', 'Demo org language', LANGUAGES, currentLanguage(), setLanguage),
        serviceSwitch(),
        picklistSwitch()
    );
}

/** Substitutes `{0}`… in a platform toast's message with the labels of its `messageData` links. */
function platformToastText(message, messageData) {
    if (!Array.isArray(messageData) || messageData.length === 0) {
        return message;
    }
    return String(message).replace(/\{(\d+)\}/g, (whole, index) => {
        const entry = messageData[Number(index)];
        if (entry === undefined) {
            return whole;
        }
        return typeof entry === 'string' ? entry : (entry.label ?? whole);
    });
}

// Capture phase on window: the first to see every toast event. Events from lightning/toast already carry their
// `toast` class and are left to its container; platform events are turned into a lightning/toast once and stopped,
// so nothing is shown twice and no event is re-dispatched in a loop.
window.addEventListener(
    'lightning__showtoast',
    (event) => {
        const detail = event.detail ?? {};
        if (detail.toast) {
            return;
        }
        event.stopPropagation();
        const title = detail.title ?? '';
        const message = platformToastText(detail.message ?? '', detail.messageData);
        Toast.show({
            label: title || message,
            message: title ? message : '',
            variant: detail.variant ?? 'info',
            mode: detail.mode === 'sticky' ? 'sticky' : 'dismissible'
        });
    },
    true
);

window.addEventListener('error', (event) => {
    const box = document.createElement('pre');
    box.className = 'preview-error';
    box.setAttribute('role', 'alert');
    box.textContent = `Preview error: ${event.message}`;
    document.body.appendChild(box);
});

onSessionChange(() => {
    renderControls();
    mount();
});
renderControls();
renderSource();
mount();
