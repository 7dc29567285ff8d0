/**
 * The preview page: loads synthetic shadow first (as Lightning Experience does), then renders the package's setup
 * page component. Around it, outside the component, the preview's own controls: the persona (admin, read-only,
 * no permission) and the language of the demo org's labels; switching either re-creates the component, as a
 * reload in an org would. Platform toasts (`lightning/platformShowToastEvent`) are shown with `lightning/toast`,
 * which is what the Lightning Experience shell does for them.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import Toast from 'lightning/toast';
import PageComponent, { props, tagName } from '@preview/root';
import {
    LANGUAGES,
    PERSONAS,
    currentLanguage,
    currentPersona,
    onSessionChange,
    setLanguage,
    setPersona
} from '@preview/session';

const root = document.getElementById('preview-root');
const controls = document.getElementById('preview-controls');

function mount() {
    root.replaceChildren();
    const element = createElement(tagName, { is: PageComponent });
    Object.assign(element, props);
    root.appendChild(element);
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

function renderControls() {
    const personaLabels = Object.fromEntries(Object.entries(PERSONAS).map(([key, persona]) => [key, persona.label]));
    controls.replaceChildren(
        select('preview-persona', 'Preview persona', personaLabels, currentPersona(), setPersona),
        select('preview-language', 'Demo org language', LANGUAGES, currentLanguage(), setLanguage)
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
mount();
