/**
 * The setup page's panel in Chromium against the real stage service (embedded, fresh SQLite, the demo team), for
 * what issue 11 asks of it: no silent losses (stages other fields map are marked; a delete names every mapping it
 * removes and the run whose undo it stops), no dead ends (create a stage and map, rename, Undo disabled with its
 * reason, Retry on every error, stale rows without actions while the service is down), and the words and looks
 * (permission messages, 800 px, 255-character names). Tests run in order and build on each other's data.
 *
 * Each step is checked on the page (role locators, names from the package's Custom Labels) and in the service's
 * own state (its HTTP API with the demo key). Screenshots: test-output/screenshots/p-NN-<step>.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { ServiceClient, launchChromium, openPreview, screenshot, startSuitePreview } from './support.ts';
import type { PreviewPage, PreviewSuite, ServiceStage } from './support.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import { button, isFocused, L, LEAD_STATUS_VALUES, openTab } from './page-words.ts';

/** How the Contacts tab names Lead Status: its label, with its object's. */
const LEAD_STATUS_FROM_CONTACTS = L('AutoMap_Field_OtherObject', 'Lead Status', 'Lead');

/** The tab panel shown (the tabset keeps the other tabs' panels in the DOM, hidden). */
function shownPanel(page: Page): Locator {
    return page.getByRole('tabpanel');
}

/** A table's row by its row header (a value's API name, or a stage's name). */
function rowOf(table: Locator, header: string): Locator {
    return table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: header, exact: true }) });
}

function mappingsTable(scope: Page | Locator): Locator {
    return scope.getByRole('table', { name: L('AutoMap_Mappings_Caption') });
}

function unusedTable(scope: Page | Locator): Locator {
    return scope.getByRole('table', { name: L('AutoMap_Housekeeping_UnusedHeading') });
}

function historyTable(scope: Page | Locator): Locator {
    return scope.getByRole('table', { name: L('AutoMap_History_Caption') });
}

/** The text an element's aria-describedby points at (ids live in its synthetic shadow root). */
async function describedBy(locator: Locator): Promise<string> {
    return locator.evaluate((element) => {
        const root = element.getRootNode() as ParentNode;
        return (element.getAttribute('aria-describedby') ?? '')
            .split(/\s+/)
            .filter(Boolean)
            .map((id) => root.querySelector(`[id="${id}"]`)?.textContent.trim() ?? '')
            .join(' ');
    });
}

describe('setup page panel: no silent losses, no dead ends, words and looks', () => {
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

    /** Failed requests of the page (what a "Failed to load resource" console error is about). */
    let failedRequests: string[] = [];

    async function page(query: Record<string, string> = {}): Promise<Page> {
        current = await openPreview(browser, suite.preview, query);
        failedRequests = [];
        current.page.on('response', (response) => {
            if (response.status() >= 400) {
                failedRequests.push(
                    `${String(response.status())} ${response.url()} ${response.request().postData() ?? ''}`
                );
            }
        });
        return current.page;
    }

    /** Closes the page; nothing may have left loopback, and no page error but the ones a test expects. */
    async function finishPage(expectedErrors?: RegExp): Promise<void> {
        if (!current) {
            return;
        }
        const { blocked, errors, context } = current;
        current = undefined;
        await context.close();
        assert.deepEqual(blocked, [], 'no request left loopback');
        assert.deepEqual(
            errors.filter((error) => !expectedErrors?.test(error)),
            [],
            `no page errors (failed requests: ${failedRequests.join('; ')})`
        );
    }

    /** An auto-map applied straight through the service (the wizard has its own tests), as "Test setup". */
    async function applyAutoMap(object: string, field: string, values: readonly string[]): Promise<void> {
        const response = await fetch(`${suite.preview.serviceUrl}/v1/scopes/${object}/${field}/auto-map`, {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${suite.preview.apiKey}`,
                'X-Actor-Id': 'test-setup',
                'X-Actor-Name': 'Test setup',
                'Idempotency-Key': randomUUID(),
                'Content-Type': 'application/json'
            },
            body: JSON.stringify({ values: values.map((value) => ({ value, label: value, active: true })) })
        });
        assert.equal(response.status, 200, await response.text());
    }

    async function stage(family: 'contact' | 'account', name: string): Promise<ServiceStage> {
        const found = await service.stageNamed(family, name);
        assert.ok(found, `the stage ${name} exists`);
        return found;
    }

    test('a stage another field maps is marked with the field and the value, and with the undo a delete stops', async () => {
        // Arranged: an auto-map of Lead Status creates seven stages and maps "Interested" to the demo's stage.
        await applyAutoMap('Lead', 'Status', LEAD_STATUS_VALUES);
        const nurturing = await stage('contact', 'Nurturing');
        // ... and Contact's Lead Source maps "Web" to "Nurturing" by hand.
        await service.setMapping('Contact', 'LeadSource', 'Web', nurturing.id);

        const p = await page();
        try {
            await openTab(p, 'Contacts');
            const unused = unusedTable(shownPanel(p));
            const row = rowOf(unused, 'Nurturing');
            await row
                .getByText(L('AutoMap_Field_OtherMapping', LEAD_STATUS_FROM_CONTACTS, 'Nurturing'), { exact: false })
                .waitFor();
            const mappedTo = await row.locator('[data-id="mapped-to"]').innerText();
            assert.equal(
                mappedTo,
                // This object's fields first, then the other object's.
                [
                    L('AutoMap_Field_OtherMapping', 'Lead Source', 'Web'),
                    L('AutoMap_Field_OtherMapping', LEAD_STATUS_FROM_CONTACTS, 'Nurturing')
                ].join(`${L('AutoMap_List_Separator')} `)
            );
            // The run of Lead Status made the first mapping: deleting the stage stops its undo.
            await row.getByText(L('AutoMap_Housekeeping_BreaksUndo', LEAD_STATUS_FROM_CONTACTS)).waitFor();
            // A stage no field maps says so.
            await rowOf(unused, 'Changed Job').getByText(L('AutoMap_Housekeeping_MappedNowhere')).waitFor();
            await row.scrollIntoViewIfNeeded();
            await screenshot(p, 'p-01-stage-mapped-by-other-fields');
        } finally {
            await finishPage();
        }
    });

    test('a delete asks once, naming every mapping it removes and the run whose undo it stops', async () => {
        const p = await page();
        try {
            await openTab(p, 'Contacts');
            const panel = shownPanel(p);
            const unused = unusedTable(panel);

            // Step 1: the move-to list of a stage with records: mapped stages first, marked.
            await button(
                rowOf(unused, 'Changed Job'),
                L('AutoMap_Housekeeping_DeleteAssistive', 'Changed Job')
            ).click();
            const changedJob = panel.getByRole('region', {
                name: L('AutoMap_Housekeeping_DeleteHeading', 'Changed Job')
            });
            await changedJob.waitFor();
            await changedJob.getByRole('combobox').click();
            const options = await p.getByRole('listbox').getByRole('option').allInnerTexts();
            const mapped = options.map((option) =>
                option.includes(L('AutoMap_Housekeeping_MoveTargetMapped', '').trim())
            );
            assert.ok(mapped[0], `a mapped stage comes first: ${options.join(' | ')}`);
            assert.equal(
                mapped.lastIndexOf(true),
                mapped.filter(Boolean).length - 1,
                `mapped first: ${options.join(' | ')}`
            );
            assert.ok(
                options.some((option) => option.startsWith('Interested')) &&
                    mapped[options.findIndex((option) => option.startsWith('Interested'))],
                'Interested (mapped by Lead Status) is marked'
            );
            await screenshot(p, 'p-02-move-to-list-mapped-first', { fullPage: false });
            // Escape closes the list, a second Escape the confirmation; focus returns to its Delete button.
            await p.keyboard.press('Escape');
            await p.keyboard.press('Escape');
            await changedJob.waitFor({ state: 'hidden' });
            assert.ok(
                await isFocused(
                    button(rowOf(unused, 'Changed Job'), L('AutoMap_Housekeeping_DeleteAssistive', 'Changed Job'))
                ),
                'focus is back on the Delete button'
            );

            // Step 2: the confirmation for "Nurturing" names both mappings and the undo it stops.
            await button(rowOf(unused, 'Nurturing'), L('AutoMap_Housekeeping_DeleteAssistive', 'Nurturing')).click();
            const confirmation = panel.getByRole('region', {
                name: L('AutoMap_Housekeeping_DeleteHeading', 'Nurturing')
            });
            await confirmation.waitFor();
            const removed = await confirmation.getByRole('listitem').allInnerTexts();
            assert.deepEqual(removed, [
                L('AutoMap_Field_OtherMapping', 'Lead Source', 'Web'),
                L('AutoMap_Field_OtherMapping', LEAD_STATUS_FROM_CONTACTS, 'Nurturing')
            ]);
            await confirmation.getByText(L('AutoMap_Housekeeping_BreaksUndo', LEAD_STATUS_FROM_CONTACTS)).waitFor();
            await screenshot(p, 'p-03-delete-confirmation-names-every-mapping');

            // Step 3: one button, Delete: no second dialog.
            await button(confirmation, L('AutoMap_Housekeeping_DeleteConfirmButton')).click();
            await p.getByText(L('AutoMap_Housekeeping_DeletedToast', 'Nurturing')).first().waitFor();
            assert.equal(await p.getByRole('alertdialog').count(), 0, 'no second confirmation');
            await rowOf(unused, 'Nurturing').waitFor({ state: 'detached' });
            assert.ok(
                await isFocused(panel.getByRole('heading', { name: L('AutoMap_Housekeeping_UnusedHeading') })),
                'focus moves to the list heading once the row is gone'
            );

            assert.equal(await service.stageNamed('contact', 'Nurturing'), undefined, 'the stage is gone');
            const lead = await service.scope('Lead', 'Status');
            assert.equal(
                lead.mappings.find((mapping) => mapping.value === 'Nurturing'),
                undefined
            );
            const leadSource = await service.scope('Contact', 'LeadSource');
            assert.equal(
                leadSource.mappings.find((mapping) => mapping.value === 'Web'),
                undefined
            );
        } finally {
            await finishPage();
        }
    });

    test('a run the history knows cannot be undone has its Undo disabled, with the reason beside it', async () => {
        const p = await page();
        try {
            await openTab(p, 'Leads');
            const history = historyTable(shownPanel(p));
            const undo = button(history, L('AutoMap_History_Undo'));
            await undo.waitFor();
            assert.ok(await undo.isDisabled(), 'Undo is disabled');
            const reason = L(
                'AutoMap_History_UndoBlocked',
                [
                    L('AutoMap_History_BlockerMappingRemoved', 'Nurturing'),
                    L('AutoMap_History_BlockerStageDeleted', 'Nurturing')
                ].join(' ')
            );
            const shown = history.locator('[data-id="undo-blocked"]');
            await shown.waitFor();
            assert.equal((await shown.innerText()).trim(), reason);
            assert.match(await describedBy(undo), new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
            assert.doesNotMatch(reason, /[0-9a-f]{8}-[0-9a-f]{4}/, 'no id in the reason');
            await history.scrollIntoViewIfNeeded();
            await screenshot(p, 'p-04-undo-disabled-with-reason');
        } finally {
            await finishPage();
        }
    });

    test('create a stage and map from the table, for a value auto-map skips; a taken name is refused first', async () => {
        // Arranged: in Contact Status, "Replied" holds the stage "Interested", so auto-map skips "Interested".
        const interested = await stage('contact', 'Interested');
        await service.setMapping('Contact', 'Contact_Status__c', 'Replied', interested.id);
        const p = await page();
        try {
            await openTab(p, 'Contacts');
            const table = mappingsTable(shownPanel(p));
            const row = rowOf(table, 'Interested');
            await button(row, L('AutoMap_Mappings_CreateAndMapAssistive', 'Interested')).click();
            const name = shownPanel(p).getByRole('textbox', { name: L('AutoMap_Mappings_NewStageName') });
            await name.waitFor();
            assert.equal(await name.inputValue(), 'Interested', 'prefilled with the name auto-map would give');
            assert.ok(await isFocused(name), 'focus is in the name');

            // Step 1: the prefilled name is taken: refused before any call, naming the stage and its value.
            const before = suite.calls.length;
            await button(shownPanel(p), L('AutoMap_Mappings_CreateSubmit')).click();
            await shownPanel(p)
                .getByText(L('AutoMap_Mappings_NameTakenHere', 'Interested', 'Replied'))
                .waitFor();
            assert.equal(suite.calls.length, before, 'the service was not called');
            await screenshot(p, 'p-05-create-and-map-name-refused');

            // Step 2: another name: one call creates the stage and maps the value.
            await name.fill('Interested (Contacts)');
            await p.keyboard.press('Enter');
            await p
                .getByText(L('AutoMap_Mappings_CreatedToast', 'Interested (Contacts)', 'Interested'))
                .first()
                .waitFor();
            await row.getByText('Interested (Contacts)', { exact: true }).waitFor();
            assert.ok(
                await isFocused(button(row, L('AutoMap_Mappings_RenameAssistive', 'Interested (Contacts)'))),
                "focus moves to the row's next action"
            );
            await screenshot(p, 'p-06-created-and-mapped');

            const created = await stage('contact', 'Interested (Contacts)');
            const state = await service.scope('Contact', 'Contact_Status__c');
            const mapping = state.mappings.find((candidate) => candidate.value === 'Interested');
            assert.ok(mapping, 'Interested is mapped');
            assert.equal(mapping.stageId, created.id);
            assert.equal(mapping.source, 'manual');
        } finally {
            await finishPage();
        }
    });

    test('rename a stage on the page; a name another stage has is refused with the reason', async () => {
        const p = await page();
        try {
            await openTab(p, 'Leads');
            const table = mappingsTable(shownPanel(p));
            await button(
                rowOf(table, 'Meeting Booked'),
                L('AutoMap_Mappings_RenameAssistive', 'Meeting Booked')
            ).click();
            const name = shownPanel(p).getByRole('textbox', { name: L('AutoMap_Mappings_RenameField') });
            await name.waitFor();

            // Step 1: the name of another stage, in another case, is refused.
            await name.fill('closed - converted');
            await button(shownPanel(p), L('AutoMap_Mappings_RenameSubmit')).click();
            await shownPanel(p).getByText(L('AutoMap_Mappings_RenameTaken', 'Closed - Converted')).waitFor();
            await screenshot(p, 'p-07-rename-refused');

            // Step 2: Escape closes the panel; focus returns to the Rename button.
            await p.keyboard.press('Escape');
            await name.waitFor({ state: 'detached' });
            const rename = button(
                rowOf(table, 'Meeting Booked'),
                L('AutoMap_Mappings_RenameAssistive', 'Meeting Booked')
            );
            assert.ok(await isFocused(rename), 'focus is back on Rename');

            // Step 3: a free name is saved.
            await rename.click();
            await name.fill('Meeting Scheduled');
            await button(shownPanel(p), L('AutoMap_Mappings_RenameSubmit')).click();
            await p
                .getByText(L('AutoMap_Mappings_RenamedToast', 'Meeting Booked', 'Meeting Scheduled'))
                .first()
                .waitFor();
            await rowOf(table, 'Meeting Booked').getByText('Meeting Scheduled', { exact: true }).waitFor();
            await screenshot(p, 'p-08-renamed');
            assert.ok(await service.stageNamed('contact', 'Meeting Scheduled'));
            assert.equal(await service.stageNamed('contact', 'Meeting Booked'), undefined);
        } finally {
            await finishPage();
        }
    });

    test('service down: every error panel offers Retry, stale rows offer no action until a refresh works', async () => {
        const p = await page();
        try {
            await openTab(p, 'Leads');
            const panel = shownPanel(p);
            const table = mappingsTable(panel);
            const remove = button(rowOf(table, 'Interested'), L('AutoMap_Mappings_RemoveAssistive', 'Interested'));
            await remove.waitFor();

            // Step 1: the service goes away; a Remove fails with the reason and a Retry.
            await p.getByLabel('Stage service down').check();
            await remove.click();
            const saveError = panel.getByRole('alert').filter({ hasText: L('AutoMap_Mappings_SaveError') });
            await saveError.getByText(L('StageService_Unreachable')).waitFor();
            await button(saveError, L('AutoMap_Error_Retry')).waitFor();
            await screenshot(p, 'p-09-error-with-retry');

            // Step 2: Retry reads the page again, which fails too: the rows stay, without actions, and say so.
            await button(saveError, L('AutoMap_Error_Retry')).click();
            await panel.getByText(L('AutoMap_Panel_StaleNotice')).waitFor();
            await panel.getByText(L('AutoMap_History_Stale')).waitFor();
            const loadError = panel.getByRole('alert').filter({ hasText: L('AutoMap_Panel_LoadError') });
            await button(loadError, L('AutoMap_Error_Retry')).waitFor();
            for (const action of await table.getByRole('button').all()) {
                assert.ok(await action.isDisabled(), `${await action.getAttribute('aria-label')} is disabled`);
            }
            for (const action of await unusedTable(panel).getByRole('button').all()) {
                assert.ok(await action.isDisabled(), `${await action.getAttribute('aria-label')} is disabled`);
            }
            assert.ok(await button(panel, L('AutoMap_Panel_CreateAndAutoMap')).isDisabled(), 'no auto-map either');
            assert.equal(
                (await service.scope('Lead', 'Status')).mappings.some((m) => m.value === 'Interested'),
                true
            );
            await screenshot(p, 'p-10-stale-rows-without-actions');

            // Step 3: the service is back; Retry restores the actions.
            await p.getByLabel('Stage service down').uncheck();
            await button(loadError, L('AutoMap_Error_Retry')).click();
            await panel.getByText(L('AutoMap_Panel_StaleNotice')).waitFor({ state: 'detached' });
            assert.ok(await remove.isEnabled(), 'Remove is back');
            assert.ok(
                await isFocused(panel.getByRole('heading', { name: L('AutoMap_Panel_MappingsHeading') })),
                'focus moves to the mappings once they load'
            );
            await screenshot(p, 'p-11-after-retry');
        } finally {
            // The page logged the failed Apex calls while the service was down.
            await finishPage(/Failed to load resource/);
        }
    });

    test('service down from the start: the page and the history each offer Retry, and load once it is back', async () => {
        const p = await page({ service: 'down' });
        try {
            await openTab(p, 'Leads');
            const panel = shownPanel(p);
            const loadError = panel.getByRole('alert').filter({ hasText: L('AutoMap_Panel_LoadError') });
            const historyError = panel.getByRole('alert').filter({ hasText: L('AutoMap_History_LoadError') });
            await button(loadError, L('AutoMap_Error_Retry')).waitFor();
            await button(historyError, L('AutoMap_Error_Retry')).waitFor();
            await screenshot(p, 'p-12-service-down-on-load');

            await p.getByLabel('Stage service down').uncheck();
            await button(loadError, L('AutoMap_Error_Retry')).click();
            await mappingsTable(panel).waitFor();
            assert.equal(await historyError.count(), 0, 'the history loaded with the page');
        } finally {
            await finishPage(/Failed to load resource/);
        }
    });

    test('read-only persona: the message names both permission sets to ask for, and no advice it cannot act on', async () => {
        const p = await page({ persona: 'readonly' });
        try {
            const message = L(
                'AutoMap_Access_ReadOnlyMessage',
                L('AutoMap_Access_PermissionSetAdmin'),
                L('AutoMap_Access_PermissionSetReadOnly'),
                L('AutoMap_Access_PermissionSetServiceAccess')
            );
            await p.getByText(message).waitFor();
            assert.match(message, /Stage AutoMap Admin/);
            assert.match(message, /Stage AutoMap Service Access/);
            await openTab(p, 'Contacts');
            const panel = shownPanel(p);
            await unusedTable(panel).waitFor();
            await panel.getByText(L('AutoMap_Housekeeping_UnusedHelpReadOnly')).waitFor();
            assert.equal(await panel.getByText(L('AutoMap_Housekeeping_UnusedHelp')).count(), 0);
            assert.equal(await panel.getByRole('button').count(), 0, 'no action at all');
            await screenshot(p, 'p-13-read-only');
        } finally {
            await finishPage();
        }
    });

    test('no permission: the message names every permission set the user needs', async () => {
        const p = await page({ persona: 'none' });
        try {
            const message = L(
                'AutoMap_Access_NoAccessMessage',
                L('AutoMap_Access_PermissionSetAdmin'),
                L('AutoMap_Access_PermissionSetReadOnly'),
                L('AutoMap_Access_PermissionSetServiceAccess')
            );
            await p.getByText(message).waitFor();
            for (const name of ['Stage AutoMap Admin', 'Stage AutoMap Read Only', 'Stage AutoMap Service Access']) {
                assert.ok(message.includes(name), `names ${name}`);
            }
            await screenshot(p, 'p-14-no-permission');
        } finally {
            await finishPage();
        }
    });

    test('at 800 px, headers and words do not break, and a 255-character name is cut with its full text kept', async () => {
        // Arranged: an Account stage with a 255-character name, mapped to "Other".
        const longName = `Customer success programme ${'x'.repeat(255 - 'Customer success programme '.length)}`;
        assert.equal(longName.length, 255);
        const long = await service.createStage('account', longName);
        await service.setMapping('Account', 'Type', 'Other', long.id);

        const p = await page();
        try {
            await p.setViewportSize({ width: 800, height: 900 });
            for (const tab of ['Leads', 'Contacts', 'Accounts'] as const) {
                await openTab(p, tab);
                const panel = shownPanel(p);
                await mappingsTable(panel).waitFor();
                await historyTable(panel)
                    .or(panel.getByText(L('AutoMap_History_Empty')))
                    .first()
                    .waitFor();
                // No header cell is narrower than its longest word: words wrap whole or not at all.
                const broken = await panel
                    .locator('thead th, thead th :not(.slds-assistive-text)')
                    .evaluateAll((cells) =>
                        cells
                            .filter((cell) => cell.getBoundingClientRect().width > 0)
                            .filter((cell) => !cell.querySelector('.slds-assistive-text'))
                            .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
                            .map((cell) => cell.textContent.trim())
                    );
                assert.deepEqual(broken, [], `${tab}: headers that overflow their cell`);
                // Nothing is wider than the window: no table pushes the page sideways.
                const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
                assert.ok(overflow <= 0, `${tab}: the page is ${String(overflow)} px wider than the window`);
                await screenshot(
                    p,
                    `p-${tab === 'Leads' ? '15' : tab === 'Contacts' ? '16' : '17'}-800px-${tab.toLowerCase()}`
                );
            }

            // The long name: one line, cut, with the full text in its title and in the DOM for screen readers.
            const cell = mappingsTable(shownPanel(p)).locator('.slds-truncate', {
                hasText: 'Customer success programme'
            });
            assert.equal(await cell.getAttribute('title'), longName);
            assert.equal(await cell.textContent(), longName);
            const box = await cell.boundingBox();
            assert.ok(box && box.height < 30, `one line high: ${String(box?.height)}`);
        } finally {
            await finishPage();
        }
    });
});
