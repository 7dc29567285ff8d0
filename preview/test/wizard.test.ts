/**
 * The setup page and the auto-map wizard in Chromium, against the real stage service (embedded, fresh SQLite, the
 * demo team): every step an admin takes, checked on the page (role locators, accessible names from the package's
 * Custom Labels) and in the service's own state (its HTTP API with the demo key). Tests run in order and build on
 * each other's data, like an admin's session: first run, re-run, a taken stage, a conflict, undo, a manual map,
 * housekeeping, then the read-only and no-permission views, the keyboard and the German demo org.
 *
 * Screenshots of every step: test-output/screenshots/<step>.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { PERSONAS } from '../personas.ts';
import { ServiceClient, launchChromium, openPreview, screenshot, startSuitePreview } from './support.ts';
import type { PreviewPage, PreviewSuite } from './support.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import { button, choose, dialogOf, isFocused, L, LEAD_STATUS_VALUES, openTab, previewRow } from './page-words.ts';

/** The wizard from the tab's auto-map button up to the preview of the field the tab shows. */
async function openWizardAtPreview(page: Page, startLabel: string, fieldLabel: string, step: string): Promise<Locator> {
    await button(page, startLabel).click();
    const dialog = dialogOf(page);
    await dialog.getByRole('heading', { name: L('AutoMap_Wizard_IntroHeading') }).waitFor();
    await button(dialog, L('AutoMap_Button_Proceed')).click();
    await dialog.getByRole('heading', { name: L('AutoMap_Wizard_FieldHeading') }).waitFor();
    await button(dialog, L('AutoMap_Button_Preview')).click();
    await dialog.getByRole('heading', { name: L('AutoMap_Wizard_PreviewHeading', fieldLabel) }).waitFor();
    await screenshot(page, step, { fullPage: false });
    return dialog;
}

/** The count shown in the summary box of one outcome kind. */
async function summaryCount(dialog: Locator, outcomeLabel: string): Promise<number> {
    const box = dialog
        .getByRole('list', { name: L('AutoMap_Wizard_SummaryLabel') })
        .getByRole('listitem')
        .filter({ hasText: outcomeLabel });
    const text = await box.innerText();
    return Number(/\d+/.exec(text)?.[0] ?? Number.NaN);
}

/** Presses Tab until the element has the focus, as a keyboard user would. */
async function tabTo(page: Page, locator: Locator, maxPresses = 60): Promise<void> {
    await locator.waitFor();
    for (let press = 0; press < maxPresses; press += 1) {
        if (await isFocused(locator)) {
            return;
        }
        await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${locator.toString()}`);
}

/** Opens a combobox with Enter and moves with the arrow keys to the option, then Enter. */
async function chooseWithKeyboard(page: Page, combobox: Locator, option: string | RegExp): Promise<void> {
    await tabTo(page, combobox);
    await page.keyboard.press('Enter');
    const target = page.getByRole('option', { name: option });
    const targetId = await target.getAttribute('id');
    for (let press = 0; press < 60; press += 1) {
        const active = await combobox.getAttribute('aria-activedescendant');
        if (active === targetId) {
            await page.keyboard.press('Enter');
            return;
        }
        await page.keyboard.press('ArrowDown');
        // Wait for the highlight to move before reading it again: on a loaded machine a stale read would press
        // ArrowDown once more and pass the option by. At the end of the list it stays, and the loop ends.
        for (let poll = 0; poll < 40; poll += 1) {
            if ((await combobox.getAttribute('aria-activedescendant')) !== active) {
                break;
            }
            await page.waitForTimeout(50);
        }
    }
    throw new Error(`The arrow keys never reached the option ${String(option)}`);
}

describe('setup page and auto-map wizard against the real stage service', () => {
    let suite: PreviewSuite;
    let browser: Browser;
    let service: ServiceClient;
    let current: PreviewPage | undefined;

    const resources = new TestResources();

    before(async () => {
        suite = resources.add('the preview', await startSuitePreview(), (started) => started.close());
        service = new ServiceClient(suite.preview);
        browser = resources.add('Chromium', await launchChromium(), (started) => started.close());
    });

    after(() => resources.closeAll());

    /** A fresh page per test; afterwards, nothing may have left loopback and the page may not have failed. */
    async function page(query: Record<string, string> = {}): Promise<Page> {
        current = await openPreview(browser, suite.preview, query);
        return current.page;
    }

    async function finishPage(): Promise<void> {
        if (!current) {
            return;
        }
        const { blocked, errors, context } = current;
        current = undefined;
        await context.close();
        assert.deepEqual(blocked, [], 'no request left loopback');
        assert.deepEqual(errors, [], 'no page errors');
    }

    test('first auto-map of Lead Status: created and mapped stages shown, counts right, service state matches', async () => {
        const p = await page();
        try {
            await openTab(p, 'Leads');
            await button(p, L('AutoMap_Panel_GetStarted')).waitFor();
            await screenshot(p, '01-leads-tab-before-auto-map');

            await button(p, L('AutoMap_Panel_GetStarted')).click();
            const dialog = dialogOf(p);
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_IntroHeading') }).waitFor();
            await screenshot(p, '02-wizard-intro', { fullPage: false });

            await button(dialog, L('AutoMap_Button_Proceed')).click();
            await dialog.getByText(L('AutoMap_Wizard_ValuesFound', LEAD_STATUS_VALUES.length)).waitFor();
            const field = dialog.getByRole('combobox', { name: L('AutoMap_FieldPicker_Label') });
            assert.match(await field.innerText(), /^Lead Status/);
            await screenshot(p, '03-wizard-field-and-record-type', { fullPage: false });

            await button(dialog, L('AutoMap_Button_Preview')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_PreviewHeading', 'Lead Status') }).waitFor();
            assert.equal(await summaryCount(dialog, L('AutoMap_Outcome_MapExisting')), 1);
            assert.equal(await summaryCount(dialog, L('AutoMap_Outcome_CreateAndMap')), 7);
            assert.match(
                await previewRow(dialog, 'Lead Status', 'Interested').innerText(),
                new RegExp(L('AutoMap_Outcome_MapExisting'))
            );
            assert.match(
                await previewRow(dialog, 'Lead Status', 'Nurturing').innerText(),
                new RegExp(L('AutoMap_Outcome_CreateAndMap'))
            );
            const before = await service.scope('Lead', 'Status');
            assert.equal(before.mappings.length, 0, 'the preview changed nothing');
            await screenshot(p, '04-wizard-preview', { fullPage: false });

            // Export CSV: a download from a Blob URL (LWS blocks data: links), named by its label, UTF-8 with a BOM.
            const [download] = await Promise.all([
                p.waitForEvent('download'),
                button(dialog, L('AutoMap_Wizard_ExportCsv')).click()
            ]);
            assert.match(download.url(), /^blob:/);
            assert.equal(download.suggestedFilename(), L('AutoMap_Wizard_ExportFileName', 'Lead', 'Status'));
            const csv = readFileSync(await download.path());
            assert.deepEqual(
                [...csv.subarray(0, 3)],
                [0xef, 0xbb, 0xbf],
                'the file starts with a UTF-8 byte order mark'
            );
            const rows = csv.subarray(3).toString('utf8').split('\r\n');
            assert.equal(
                rows[0],
                ['Value', 'Label', 'Outcome', 'Stage', 'Reason']
                    .map((column) => L(`AutoMap_Column_${column}`))
                    .join(',')
            );
            assert.equal(rows.length, LEAD_STATUS_VALUES.length + 2, 'a header, a row per value, a final line end');
            assert.ok(
                rows.some((row) => row.startsWith(`Interested,Interested,${L('AutoMap_Outcome_MapExisting')},`)),
                rows.join('\n')
            );

            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading') }).waitFor();
            await dialog.getByText(L('AutoMap_Wizard_ResultSummary', 1, 7, 0, 0), { exact: true }).waitFor();
            const created = dialog.getByRole('list').filter({ hasText: 'Meeting Booked' });
            for (const name of LEAD_STATUS_VALUES.filter((value) => value !== 'Interested')) {
                await created.getByText(name, { exact: true }).waitFor();
            }
            await screenshot(p, '05-wizard-result', { fullPage: false });

            const after = await service.scope('Lead', 'Status');
            assert.deepEqual(after.mappings.map((mapping) => mapping.value).sort(), [...LEAD_STATUS_VALUES].sort());
            assert.ok(after.mappings.every((mapping) => mapping.source === 'auto'));
            const interested = after.stages.find((stage) => stage.name === 'Interested');
            assert.equal(
                after.mappings.find((mapping) => mapping.value === 'Interested')?.stageId,
                interested?.id,
                'Interested is mapped to the stage that already existed'
            );
            assert.equal(after.stages.filter((stage) => stage.name === 'Interested').length, 1);
            for (const value of LEAD_STATUS_VALUES) {
                const mapping = after.mappings.find((candidate) => candidate.value === value);
                assert.equal(after.stages.find((stage) => stage.id === mapping?.stageId)?.name, value);
            }
            assert.ok(after.version > before.version);

            await button(dialog, L('AutoMap_Button_Done')).click();
            await dialog.waitFor({ state: 'hidden' });
            await p.getByText(L('AutoMap_Mappings_MappedCount', 8, 8)).waitFor();
            await button(p, L('AutoMap_Panel_CreateAndAutoMap')).waitFor();
            await screenshot(p, '06-leads-tab-after-first-run');

            // The tab's field picker now lists Lead Status after the unmapped fields, and unmarked.
            await p.getByRole('combobox', { name: L('AutoMap_FieldPicker_Label') }).click();
            const unmapped = L('AutoMap_FieldPicker_UnmappedSuffix');
            const listbox = p.getByRole('listbox').filter({ has: p.getByRole('option', { name: /Lead Status/ }) });
            const options = await listbox.getByRole('option').allInnerTexts();
            const marked = options.map((option) => option.includes(unmapped));
            const status = options.findIndex((option) => option.includes('Lead Status'));
            assert.ok(status >= 0 && !marked[status], `Lead Status is listed unmarked: ${options.join(' | ')}`);
            assert.ok(marked.some(Boolean), 'the other fields are marked unmapped');
            assert.equal(
                marked.lastIndexOf(true),
                marked.filter(Boolean).length - 1,
                `unmapped fields come first: ${options.join(' | ')}`
            );

            // On another field of Lead, which never ran, Lead Status stays mapped and the button keeps its name.
            await listbox.getByRole('option', { name: /^Rating/ }).click();
            const picker = p.getByRole('combobox', { name: L('AutoMap_FieldPicker_Label') });
            assert.match(await picker.innerText(), /^Rating/);
            await p.getByText(L('AutoMap_Mappings_MappedCount', 0, 3)).waitFor();
            await button(p, L('AutoMap_Panel_CreateAndAutoMap')).waitFor();
            await picker.click();
            const again = await listbox.getByRole('option').allInnerTexts();
            assert.ok(
                again.some((option) => option.includes('Lead Status') && !option.includes(unmapped)),
                again.join(' | ')
            );
            await p.keyboard.press('Escape');
        } finally {
            await finishPage();
        }
    });

    test('a re-run changes nothing: every value already mapped, Create and Map disabled', async () => {
        const p = await page();
        try {
            const before = await service.scope('Lead', 'Status');
            await openTab(p, 'Leads');
            const dialog = await openWizardAtPreview(
                p,
                L('AutoMap_Panel_CreateAndAutoMap'),
                'Lead Status',
                '07-rerun-preview-nothing-to-do'
            );
            assert.equal(await summaryCount(dialog, L('AutoMap_Outcome_AlreadyMapped')), 8);
            await dialog.getByText(L('AutoMap_Wizard_NothingToApply')).waitFor();
            assert.ok(await button(dialog, L('AutoMap_Button_CreateAndMap')).isDisabled());
            await button(dialog, L('AutoMap_Button_Cancel')).click();
            await dialog.waitFor({ state: 'hidden' });
            const after = await service.scope('Lead', 'Status');
            assert.equal(after.version, before.version, 'the state version did not move');
            assert.deepEqual(after.mappings, before.mappings);
            assert.equal(after.lastRun?.id, before.lastRun?.id, 'no run was recorded');
        } finally {
            await finishPage();
        }
    });

    test('a value whose stage is taken is skipped with the reason, and no duplicate stage is created', async () => {
        // Arranged in the service: in Contact Status, "Replied" already holds the stage "Interested".
        const interested = await service.stageNamed('contact', 'Interested');
        assert.ok(interested);
        await service.setMapping('Contact', 'Contact_Status__c', 'Replied', interested.id);

        const p = await page();
        try {
            await openTab(p, 'Contacts');
            const dialog = await openWizardAtPreview(
                p,
                L('AutoMap_Panel_GetStarted'),
                'Contact Status',
                '08-stage-taken-preview'
            );
            const reason = L('AutoMap_Reason_SkipStageTaken', 'Interested', L('AutoMap_Value_Name', 'Replied'));
            const row = previewRow(dialog, 'Contact Status', 'Interested');
            assert.match(await row.innerText(), new RegExp(L('AutoMap_Outcome_SkipStageTaken')));
            await row.getByText(reason).waitFor();
            assert.equal(await summaryCount(dialog, L('AutoMap_Outcome_SkipStageTaken')), 1);

            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            // One value stays unmapped: the result says so, and why, instead of "Mapping complete".
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeadingUnmapped', 1) }).waitFor();
            const unmapped = dialog.locator('[data-id="unmapped"] > li').filter({ hasText: '"Interested"' });
            await unmapped.getByText(reason).waitFor();
            await screenshot(p, '09-stage-taken-result', { fullPage: false });
            await button(dialog, L('AutoMap_Button_Done')).click();

            const state = await service.scope('Contact', 'Contact_Status__c');
            assert.equal(
                state.mappings.find((mapping) => mapping.value === 'Interested'),
                undefined
            );
            assert.equal(state.mappings.find((mapping) => mapping.value === 'Replied')?.stageId, interested.id);
            assert.equal(state.mappings.length, 8, 'the other seven values and the manual one');
            assert.equal(state.stages.filter((stage) => stage.name === 'Interested').length, 1);
        } finally {
            await finishPage();
        }
    });

    test('a concurrent change between preview and apply shows the fresh plan; applying it again works', async () => {
        const p = await page();
        try {
            await openTab(p, 'Accounts');
            const dialog = await openWizardAtPreview(
                p,
                L('AutoMap_Panel_GetStarted'),
                'Account Type',
                '10-conflict-preview'
            );
            assert.match(
                await previewRow(dialog, 'Account Type', 'Technology Partner').innerText(),
                new RegExp(L('AutoMap_Outcome_CreateAndMap'))
            );
            // Someone else creates the stage while the admin looks at the preview.
            const concurrent = await service.createStage('account', 'Technology Partner');

            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ConflictHeading') }).waitFor();
            await dialog
                .getByText(
                    L(
                        'AutoMap_Wizard_ConflictChange',
                        L('AutoMap_Value_Name', 'Technology Partner'),
                        L('AutoMap_Outcome_CreateAndMap'),
                        L('AutoMap_Outcome_MapExisting')
                    )
                )
                .waitFor();
            assert.match(
                await previewRow(dialog, 'Account Type', 'Technology Partner').innerText(),
                new RegExp(L('AutoMap_Outcome_MapExisting'))
            );
            const untouched = await service.scope('Account', 'Type');
            assert.equal(untouched.mappings.length, 0, 'nothing was applied on the conflict');
            assert.equal(untouched.lastRun, null);
            await screenshot(p, '11-conflict-fresh-plan', { fullPage: false });

            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading') }).waitFor();
            await dialog.getByText(L('AutoMap_Wizard_ResultSummary', 2, 5, 0, 0), { exact: true }).waitFor();
            await screenshot(p, '12-conflict-applied', { fullPage: false });
            await button(dialog, L('AutoMap_Button_Done')).click();

            const state = await service.scope('Account', 'Type');
            assert.equal(
                state.mappings.find((mapping) => mapping.value === 'Technology Partner')?.stageId,
                concurrent.id
            );
            assert.equal(state.stages.filter((stage) => stage.name === 'Technology Partner').length, 1);
        } finally {
            await finishPage();
        }
    });

    test("undo removes the run's mappings and stages, after a confirmation", async () => {
        const p = await page();
        try {
            const before = await service.scope('Account', 'Type');
            assert.ok(before.lastRun && before.lastRun.undoneAt === null);
            await openTab(p, 'Accounts');
            await button(p, L('AutoMap_History_Undo')).click();
            const confirm = p.getByRole('alertdialog', { name: L('AutoMap_History_UndoConfirmTitle') });
            await confirm.waitFor();
            await screenshot(p, '13-undo-confirm', { fullPage: false });
            await button(confirm, 'OK').click();
            await p.getByText(L('AutoMap_History_UndoneTitle')).first().waitFor();
            await p.getByText(L('AutoMap_History_StatusUndone', PERSONAS.admin.user.name)).waitFor();
            await screenshot(p, '14-undone');

            const after = await service.scope('Account', 'Type');
            assert.ok(after.lastRun?.undoneAt, 'the run is marked undone');
            assert.equal(after.mappings.length, 0, 'its mappings are removed');
            assert.equal(await service.stageNamed('account', 'Customer - Direct'), undefined, 'its stages are deleted');
            assert.ok(await service.stageNamed('account', 'Technology Partner'), 'a stage it did not create stays');
            assert.ok(await service.stageNamed('account', 'Prospect'), 'a stage that existed before stays');
        } finally {
            await finishPage();
        }
    });

    test('manual map: a value mapped by hand to a free stage', async () => {
        const p = await page();
        try {
            await openTab(p, 'Accounts');
            await choose(p, L('AutoMap_Mappings_ValueField'), /^Prospect/);
            await choose(p, L('AutoMap_Mappings_StageField'), 'Prospect');
            await button(p, L('AutoMap_Mappings_MapButton')).click();
            await p
                .getByText(L('AutoMap_Mappings_MappedToast', 'Prospect', 'Prospect'))
                .first()
                .waitFor();
            await p.getByText(L('AutoMap_Mappings_MappedCount', 1, 7)).waitFor();
            await screenshot(p, '15-manual-map');

            const state = await service.scope('Account', 'Type');
            const prospect = await service.stageNamed('account', 'Prospect');
            const mapping = state.mappings.find((candidate) => candidate.value === 'Prospect');
            assert.ok(mapping && prospect);
            assert.equal(mapping.stageId, prospect.id);
            assert.equal(mapping.source, 'manual');
            const put = suite.calls.findLast((call) => call.method === 'PUT' && call.path.endsWith('/mappings'));
            assert.equal(put?.headers['X-Actor-Name'], PERSONAS.admin.user.name, "the actor is the persona's user");
        } finally {
            await finishPage();
        }
    });

    test('housekeeping: delete an unused stage, moving its records to another stage', async () => {
        const cold = await service.stageNamed('contact', 'Cold');
        const approaching = await service.stageNamed('contact', 'Approaching');
        assert.ok(cold && approaching);
        const p = await page();
        try {
            await openTab(p, 'Leads');
            await button(p, L('AutoMap_Housekeeping_DeleteAssistive', 'Cold')).click();
            await p.getByRole('heading', { name: L('AutoMap_Housekeeping_DeleteHeading', 'Cold') }).waitFor();
            await choose(p, L('AutoMap_Housekeeping_MoveTo', cold.recordCount), /^Approaching/);
            await screenshot(p, '16-housekeeping-delete-with-move');
            // One confirmation: the inline panel's Delete button deletes (no second dialog).
            await button(p, L('AutoMap_Housekeeping_DeleteConfirmButton')).click();
            await p
                .getByText(L('AutoMap_Housekeeping_DeletedMovedToast', 'Cold', cold.recordCount, 'Approaching'))
                .first()
                .waitFor();
            await screenshot(p, '17-housekeeping-deleted');

            assert.equal(await service.stageNamed('contact', 'Cold'), undefined, 'the stage is gone');
            const moved = await service.stageNamed('contact', 'Approaching');
            assert.equal(moved?.recordCount, approaching.recordCount + cold.recordCount, 'its records moved');
            const contactScope = await service.scope('Contact', 'Contact_Status__c');
            assert.equal(
                contactScope.mappings.find((mapping) => mapping.value === 'Cold'),
                undefined,
                'mappings to the deleted stage are removed in every field'
            );
        } finally {
            await finishPage();
        }
    });

    test('read-only persona: mappings and history visible, no action offered', async () => {
        const p = await page({ persona: 'readonly' });
        try {
            await p.getByRole('heading', { name: L('AutoMap_Access_ReadOnlyTitle') }).waitFor();
            await openTab(p, 'Leads');
            await p.getByText(L('AutoMap_Mappings_MappedCount', 8, 8)).waitFor();
            await p.getByRole('heading', { name: L('AutoMap_Panel_HistoryHeading') }).waitFor();
            await p.getByRole('cell', { name: PERSONAS.admin.user.name }).first().waitFor();
            await screenshot(p, '18-read-only-view');
            for (const name of [
                L('AutoMap_Panel_GetStarted'),
                L('AutoMap_Panel_CreateAndAutoMap'),
                L('AutoMap_Mappings_MapButton'),
                L('AutoMap_History_Undo')
            ]) {
                assert.equal(await button(p, name).count(), 0, `no "${name}" button`);
            }
            assert.equal(await p.getByRole('button', { name: /^Delete the stage/ }).count(), 0);
            assert.equal(await p.getByRole('button', { name: /^Remove the mapping/ }).count(), 0);
        } finally {
            await finishPage();
        }
    });

    test('no permission: the page says whom to ask and shows nothing else', async () => {
        const p = await page({ persona: 'none' });
        try {
            await p.getByRole('heading', { name: L('AutoMap_Access_NoAccessTitle') }).waitFor();
            await p.getByText(L('AutoMap_Access_NoAccessWhom')).waitFor();
            assert.equal(await p.getByRole('tab').count(), 0, 'no tabs');
            assert.equal(await p.getByRole('table').count(), 0, 'no mappings');
            await screenshot(p, '19-no-permission');
        } finally {
            await finishPage();
        }
    });

    test('keyboard only: the wizard completes for another record type without the mouse', async () => {
        // The first run mapped every value; "Partner Accepted" is unmapped again so the narrowed run has work.
        await service.request('DELETE', '/v1/scopes/Lead/Status/mappings/Partner%20Accepted');
        const p = await page();
        try {
            const contactsTab = p.getByRole('tab', { name: L('AutoMap_Page_TabContacts') });
            await tabTo(p, contactsTab);
            await p.keyboard.press('ArrowRight');
            await p.getByRole('tab', { name: L('AutoMap_Page_TabLeads'), selected: true }).waitFor();

            const start = button(p, L('AutoMap_Panel_CreateAndAutoMap'));
            await tabTo(p, start);
            await p.keyboard.press('Enter');
            const dialog = dialogOf(p);
            const proceed = button(dialog, L('AutoMap_Button_Proceed'));
            await tabTo(p, proceed);
            await p.keyboard.press('Enter');
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_FieldHeading') }).waitFor();
            const recordType = dialog.getByRole('combobox', { name: L('AutoMap_RecordType_Label') });
            await chooseWithKeyboard(p, recordType, /^Partner Referral/);
            await dialog.getByText(L('AutoMap_Wizard_ValuesFoundNarrowed', 5, 8, 'Partner Referral')).waitFor();
            await tabTo(p, button(dialog, L('AutoMap_Button_Preview')));
            await p.keyboard.press('Enter');
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_PreviewHeading', 'Lead Status') }).waitFor();
            await screenshot(p, '20-keyboard-preview', { fullPage: false });
            assert.equal(await summaryCount(dialog, L('AutoMap_Outcome_MapExisting')), 1);
            await tabTo(p, button(dialog, L('AutoMap_Button_CreateAndMap')));
            await p.keyboard.press('Enter');
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading') }).waitFor();
            assert.ok(
                await isFocused(dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading') })),
                'focus moves to the result heading'
            );
            await tabTo(p, button(dialog, L('AutoMap_Button_Done')));
            await screenshot(p, '21-keyboard-result', { fullPage: false });
            await p.keyboard.press('Enter');
            await dialog.waitFor({ state: 'hidden' });

            const state = await service.scope('Lead', 'Status');
            const partnerAccepted = state.mappings.find((mapping) => mapping.value === 'Partner Accepted');
            assert.ok(partnerAccepted, 'Partner Accepted is mapped');
            assert.equal(state.stages.find((stage) => stage.id === partnerAccepted.stageId)?.name, 'Partner Accepted');
        } finally {
            await finishPage();
        }
    });

    test('labels follow the demo org language while mappings stay keyed by API name', async () => {
        const p = await page({ lang: 'de' });
        try {
            await openTab(p, 'Leads');
            const field = p.getByRole('combobox', { name: L('AutoMap_FieldPicker_Label') });
            await field.waitFor();
            assert.match(await field.innerText(), /^Lead-Status/);
            const mappings = p.getByRole('table', { name: L('AutoMap_Mappings_Caption') });
            await mappings.getByRole('cell', { name: 'Offen - Nicht kontaktiert', exact: true }).waitFor();
            await mappings.getByRole('rowheader', { name: 'Open - Not Contacted', exact: true }).waitFor();

            // The values were mapped by an English admin: their recorded English labels are not compared with the
            // German ones the page reads, so no mapped value shows as changed.
            const drift = p.getByRole('table', { name: L('AutoMap_Drift_Caption') });
            await p.getByText(L('AutoMap_Drift_InSyncBadge'), { exact: true }).or(drift).first().waitFor();
            const state = await service.scope('Lead', 'Status');
            assert.ok(state.mappings.length > 0, 'Lead Status was mapped by the tests before');
            for (const mapping of state.mappings) {
                assert.equal(
                    await drift.getByRole('rowheader', { name: mapping.value, exact: true }).count(),
                    0,
                    `${mapping.value} is not reported as changed`
                );
            }
            await screenshot(p, '22-german-demo-org');
        } finally {
            await finishPage();
        }
    });
});
