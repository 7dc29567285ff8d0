/**
 * How the browser tests find what an admin sees: the package's Custom Labels as the components show them, the demo
 * org's Lead Status values, and the few Playwright locators every page test names things by (roles and accessible
 * names, never CSS classes, so a test reads as a screen-reader user would move through the page).
 */
import type { Locator, Page } from 'playwright-core';
import { ROOT } from '../build.ts';
import { readCustomLabels } from '../labels.ts';

const LABELS = readCustomLabels(ROOT);

/**
 * A Custom Label with `{n}` filled in as c/autoMapText's formatLabel does it: counts grouped the en-US way (1,000),
 * the preview's default language. Throws for a missing label: the tests name elements by the package's labels.
 */
export function L(name: string, ...args: (string | number)[]): string {
    const template = LABELS.get(name);
    if (template === undefined) {
        throw new Error(`Custom Label ${name} is missing: the tests name elements by the package's labels`);
    }
    return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
        const value = args[Number(index)];
        if (value === undefined) {
            return whole;
        }
        return typeof value === 'number' ? value.toLocaleString('en-US') : value;
    });
}

/**
 * Every value of the demo org's Lead Status (all record types, the wizard's default): "Partner Accepted" is offered
 * only by the Partner Referral record type.
 */
export const LEAD_STATUS_VALUES: readonly string[] = Object.freeze([
    'Open - Not Contacted',
    'Working - Contacted',
    'Nurturing',
    'Interested',
    'Meeting Booked',
    'Partner Accepted',
    'Closed - Converted',
    'Closed - Not Converted'
]);

export function dialogOf(page: Page): Locator {
    return page.getByRole('dialog', { name: L('AutoMap_Wizard_Header') });
}

export function button(scope: Page | Locator, name: string): Locator {
    return scope.getByRole('button', { name, exact: true });
}

export async function openTab(page: Page, tab: 'Contacts' | 'Leads' | 'Accounts'): Promise<void> {
    await page.getByRole('tab', { name: L(`AutoMap_Page_Tab${tab}`) }).click();
}

/** Chooses an option of a combobox with the mouse. */
export async function choose(scope: Page | Locator, comboboxName: string, option: string | RegExp): Promise<void> {
    await scope.getByRole('combobox', { name: comboboxName }).click();
    await scope.getByRole('option', { name: option }).click();
}

export async function isFocused(locator: Locator): Promise<boolean> {
    return locator.evaluate((element) => element.matches(':focus'));
}

/** A row of the wizard's preview table, by the value's row header. */
export function previewRow(dialog: Locator, fieldLabel: string, value: string): Locator {
    return dialog
        .getByRole('table', { name: L('AutoMap_Wizard_PreviewCaption', fieldLabel) })
        .getByRole('row')
        .filter({ has: dialog.page().getByRole('rowheader', { name: value, exact: true }) });
}
