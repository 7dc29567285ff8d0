/**
 * Who can be "logged in" to the preview. The Apex stand-in checks the custom permissions of the persona the page
 * sends (as `FeatureManagement.checkPermission` would) and names its user as the actor of every write; the page gets
 * the same table through the generated `@preview/personas` module.
 */
export const EDIT_PERMISSION = 'Stage_AutoMap_Edit_Integration_Settings';
export const VIEW_PERMISSION = 'Stage_AutoMap_View';

export interface Persona {
    label: string;
    user: { id: string; name: string };
    permissions: readonly string[];
}

export type PersonaName = 'admin' | 'readonly' | 'none';

export const PERSONAS: Readonly<Record<PersonaName, Persona>> = {
    admin: {
        label: 'Admin (Edit + View)',
        user: { id: '0055g00000AdMiNAAV', name: 'Ada Admin' },
        permissions: [EDIT_PERMISSION, VIEW_PERMISSION]
    },
    readonly: {
        label: 'Read-only (View)',
        user: { id: '0055g00000ReAdOAAV', name: 'Rüdiger Reader' },
        permissions: [VIEW_PERMISSION]
    },
    none: {
        label: 'No permission',
        user: { id: '0055g00000NoPeRAAV', name: 'Nora Nobody' },
        permissions: []
    }
};

export const DEFAULT_PERSONA: PersonaName = 'admin';

export function personaNamed(name: string | undefined): Persona | undefined {
    return name === 'admin' || name === 'readonly' || name === 'none' ? PERSONAS[name] : undefined;
}
