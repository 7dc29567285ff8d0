/**
 * The auto-map wizard as issue 11 left it, in Chromium against the real stage service (embedded, fresh SQLite, the
 * demo team): every value of a field planned by default ("Partner Accepted", offered only by the Partner Referral
 * record type, is mapped), a run narrowed to a record type naming what it leaves out, "Create a stage and map" on a
 * skipped value (a name refused by the page, one refused by the service, one that works), the language new stage
 * names come from and API names instead, a long result collapsed, the conflict note, and the preview at 800 px with
 * names of 255 characters. Checked on the page (role locators, names from the package's Custom Labels) and in the
 * service's own state.
 *
 * Screenshots: test-output/screenshots/w-NN-<state>.png.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startPreview } from '../server.ts';
import type { RunningPreview } from '../server.ts';
import { ServiceClient, launchChromium, openPreview, screenshot, startSuitePreview } from './support.ts';
import type { PreviewPage, PreviewSuite } from './support.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import { button, choose, dialogOf, L, LEAD_STATUS_VALUES, openTab, previewRow } from './page-words.ts';

/** A value as the wizard names it: its API name, the label beside it when different. */
function valueName(value: string, label = value): string {
    return label === value ? L('AutoMap_Value_Name', value) : L('AutoMap_Value_NameWithLabel', value, label);
}

/** The tab's auto-map button: "Get Started" before the object's first run, "Create and Auto-Map" after it. */
function autoMapButton(page: Page): Locator {
    const names = [L('AutoMap_Panel_GetStarted'), L('AutoMap_Panel_CreateAndAutoMap')];
    const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return page.getByRole('button', { name: new RegExp(`^(${escaped.join('|')})$`) });
}

/** The wizard from the tab's auto-map button to its field step. */
async function openFieldStep(page: Page): Promise<Locator> {
    await autoMapButton(page).click();
    const dialog = dialogOf(page);
    await button(dialog, L('AutoMap_Button_Proceed')).click();
    await dialog.getByRole('heading', { name: L('AutoMap_Wizard_FieldHeading') }).waitFor();
    return dialog;
}

async function preview(dialog: Locator, fieldLabel: string): Promise<void> {
    await button(dialog, L('AutoMap_Button_Preview')).click();
    await dialog.getByRole('heading', { name: L('AutoMap_Wizard_PreviewHeading', fieldLabel) }).waitFor();
}

/** The summary tile of one outcome (its name exactly, "Mapped" is in "Created and mapped" too): its count. */
async function tileCount(dialog: Locator, tileLabel: string): Promise<string> {
    const tile = dialog
        .getByRole('list', { name: L('AutoMap_Wizard_SummaryLabel') })
        .getByRole('listitem')
        .filter({ has: dialog.page().getByText(tileLabel, { exact: true }) });
    return (await tile.locator('p').first().innerText()).trim();
}

/** The result's list of values still unmapped; one item per value. */
function unmappedItem(dialog: Locator, name: string): Locator {
    return dialog.locator('[data-id="unmapped"] > li').filter({ hasText: name });
}

describe('auto-map wizard after issue 11, against the real stage service', () => {
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

    async function page(query: Record<string, string> = {}, on: RunningPreview = suite.preview): Promise<Page> {
        current = await openPreview(browser, on, query);
        return current.page;
    }

    /**
     * Closes the page; nothing may have left loopback, and the page may not have failed. `refusals` calls were
     * refused on purpose: the browser logs each refused Apex call (a 500, as the platform answers an
     * AuraHandledException) as a failed resource, and nothing else may appear.
     */
    async function finishPage(refusals = 0): Promise<void> {
        if (!current) {
            return;
        }
        const { blocked, errors, context } = current;
        current = undefined;
        await context.close();
        assert.deepEqual(blocked, [], 'no request left loopback');
        const refused =
            'console: Failed to load resource: the server responded with a status of 500 (Internal Server Error)';
        assert.deepEqual(
            errors,
            Array.from({ length: refusals }, () => refused),
            'no page errors'
        );
    }

    test('every value by default: "Partner Accepted" of the Partner Referral record type is planned and mapped', async () => {
        const p = await page();
        try {
            // Step 1: the field step plans "All record types": the field's eight values, not the default's seven.
            await openTab(p, 'Leads');
            const dialog = await openFieldStep(p);
            const recordType = dialog.getByRole('combobox', { name: L('AutoMap_RecordType_Label') });
            assert.equal((await recordType.innerText()).trim(), L('AutoMap_RecordType_All'));
            await dialog
                .getByText(L('AutoMap_Wizard_ValuesFound', LEAD_STATUS_VALUES.length), { exact: true })
                .waitFor();
            // The steps show their names and are no tab stops.
            const steps = dialog.getByRole('list', { name: L('AutoMap_Wizard_StepsLabel') });
            for (const step of ['Intro', 'Field', 'Preview', 'Done']) {
                await steps.getByText(L(`AutoMap_Wizard_Step${step}`), { exact: true }).waitFor();
            }
            assert.equal(await steps.locator('button, [tabindex]').count(), 0, 'no step is a tab stop');
            await screenshot(p, 'w-01-field-step-all-record-types', { fullPage: false });

            // Step 2: the preview plans "Partner Accepted" too, and says where new stage names come from.
            await preview(dialog, 'Lead Status');
            assert.match(
                await previewRow(dialog, 'Lead Status', 'Partner Accepted').innerText(),
                new RegExp(L('AutoMap_Outcome_CreateAndMap'))
            );
            await dialog.getByText(L('AutoMap_Wizard_NamingLabels', 'English'), { exact: true }).waitFor();
            await dialog
                .getByText(`${L('AutoMap_Wizard_PreviewNothingChanged')} ${L('AutoMap_Wizard_PreviewHelp')}`)
                .waitFor();
            assert.equal(await dialog.getByText(L('AutoMap_Outcome_SkipInactive')).count(), 0, 'no inactive tile');
            await screenshot(p, 'w-02-preview-all-record-types', { fullPage: false });

            // Step 3: Create and Map: complete, in the past tense, and no toast over the modal's title.
            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading'), exact: true }).waitFor();
            assert.equal(await tileCount(dialog, L('AutoMap_ResultTile_CreateAndMap')), '7');
            assert.equal(await tileCount(dialog, L('AutoMap_ResultTile_MapExisting')), '1');
            await dialog.locator('[data-id="created"]').getByText('Partner Accepted', { exact: true }).waitFor();
            assert.equal(await p.locator('.slds-notify_toast').count(), 0, 'no toast covers the modal');
            await screenshot(p, 'w-03-result-partner-accepted-mapped', { fullPage: false });

            const state = await service.scope('Lead', 'Status');
            assert.deepEqual(state.mappings.map((mapping) => mapping.value).sort(), [...LEAD_STATUS_VALUES].sort());
            const partnerAccepted = state.mappings.find((mapping) => mapping.value === 'Partner Accepted');
            assert.equal(state.stages.find((stage) => stage.id === partnerAccepted?.stageId)?.name, 'Partner Accepted');
            await button(dialog, L('AutoMap_Button_Done')).click();
            await dialog.waitFor({ state: 'hidden' });
        } finally {
            await finishPage();
        }
    });

    test('narrowed to a record type: only its values are planned, and the result names the others', async () => {
        const p = await page();
        try {
            // Step 1: Lead Source, narrowed to Partner Referral: two of the field's five values.
            await openTab(p, 'Leads');
            await choose(p, L('AutoMap_FieldPicker_Label'), /^Lead Source/);
            const dialog = await openFieldStep(p);
            await choose(dialog, L('AutoMap_RecordType_Label'), /^Partner Referral/);
            await dialog
                .getByText(L('AutoMap_Wizard_ValuesFoundNarrowed', 2, 5, 'Partner Referral'), { exact: true })
                .waitFor();
            await screenshot(p, 'w-04-field-step-narrowed', { fullPage: false });

            // Step 2: the run maps those two; the result never says complete and names the three left out.
            await preview(dialog, 'Lead Source');
            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeadingUnmapped', 3) }).waitFor();
            assert.equal(
                await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading'), exact: true }).count(),
                0
            );
            for (const value of ['Web', 'Phone Inquiry', 'Purchased List']) {
                const item = unmappedItem(dialog, valueName(value));
                await item.getByText(L('AutoMap_Wizard_NotInRecordType', 'Partner Referral')).waitFor();
            }
            await screenshot(p, 'w-05-result-narrowed-names-the-rest', { fullPage: false });

            const state = await service.scope('Lead', 'LeadSource');
            assert.deepEqual(state.mappings.map((mapping) => mapping.value).sort(), ['Other', 'Partner Referral']);
            await button(dialog, L('AutoMap_Button_Done')).click();
        } finally {
            await finishPage();
        }
    });

    test('a skipped value: Create a stage and map, refused names, then the new mapping and a fresh apply', async () => {
        // Arranged in the service: in Contact Status, "Replied" holds the stage "Interested" and "Cold" holds
        // "Unresponsive", so the values "Interested" and "Unresponsive" are skipped.
        const interested = await service.stageNamed('contact', 'Interested');
        const unresponsive = await service.stageNamed('contact', 'Unresponsive');
        assert.ok(interested && unresponsive);
        await service.setMapping('Contact', 'Contact_Status__c', 'Replied', interested.id);
        await service.setMapping('Contact', 'Contact_Status__c', 'Cold', unresponsive.id);

        const p = await page();
        try {
            // Step 1: the preview says the stage is already mapped to "Replied", and offers a way forward.
            await openTab(p, 'Contacts');
            const dialog = await openFieldStep(p);
            await preview(dialog, 'Contact Status');
            const row = previewRow(dialog, 'Contact Status', 'Interested');
            await row.getByText(L('AutoMap_Reason_SkipStageTaken', 'Interested', valueName('Replied'))).waitFor();

            // Step 2: the form starts with "Interested", which a stage has: refused before anything is sent.
            await button(dialog, L('AutoMap_NewStage_OpenAssistive', valueName('Interested'))).click();
            const name = dialog.getByRole('textbox', {
                name: L('AutoMap_NewStage_NameLabel', valueName('Interested'))
            });
            assert.equal(await name.inputValue(), 'Interested');
            const callsBefore = suite.calls.length;
            await button(dialog, L('AutoMap_NewStage_Submit')).click();
            await dialog.getByRole('alert').getByText(L('AutoMap_NewStage_NameTaken', 'Interested')).waitFor();
            assert.equal(suite.calls.length, callsBefore, 'nothing was sent to the service');
            await screenshot(p, 'w-06-preview-create-stage-name-refused', { fullPage: false });

            // Step 3: a free name: the stage is created and mapped; the row shows the mapping.
            await name.fill('Interested (Contacts)');
            await button(dialog, L('AutoMap_NewStage_Submit')).click();
            await dialog
                .getByRole('status')
                .getByText(L('AutoMap_Wizard_StageCreated', valueName('Interested'), 'Interested (Contacts)'))
                .waitFor();
            assert.match(await row.innerText(), new RegExp(L('AutoMap_Outcome_AlreadyMapped')));
            assert.match(await row.innerText(), /Interested \(Contacts\)/);
            await screenshot(p, 'w-07-preview-create-stage-mapped', { fullPage: false });
            const afterCreate = await service.scope('Contact', 'Contact_Status__c');

            // Step 4: Create and Map names the version after the new stage: no conflict, straight to the result.
            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeadingUnmapped', 1) }).waitFor();
            const apply = suite.calls.findLast((call) => call.method === 'POST' && call.path.endsWith('/auto-map'));
            const body = apply?.body as { expectedVersion?: number } | undefined;
            assert.equal(body?.expectedVersion, afterCreate.version, 'the apply names the version after the change');

            // Step 5: on the result, "Unresponsive" is still unmapped; someone creates the name the admin is typing.
            const item = unmappedItem(dialog, valueName('Unresponsive'));
            await item.getByText(L('AutoMap_Reason_SkipStageTaken', 'Unresponsive', valueName('Cold'))).waitFor();
            await button(item, L('AutoMap_NewStage_OpenAssistive', valueName('Unresponsive'))).click();
            await service.createStage('contact', 'Unresponsive (Contacts)');
            const resultName = item.getByRole('textbox');
            await resultName.fill('Unresponsive (Contacts)');
            await button(item, L('AutoMap_NewStage_Submit')).click();
            const refusal = item.getByRole('alert');
            await refusal.waitFor();
            assert.match(await refusal.innerText(), /Unresponsive \(Contacts\)/, 'the service names the stage');
            await screenshot(p, 'w-08-result-create-stage-service-refusal', { fullPage: false });

            // Step 6: another name works: the value is mapped now, and the run's result is complete.
            await resultName.fill('Unresponsive (Contact Status)');
            await button(item, L('AutoMap_NewStage_Submit')).click();
            await item.getByText(L('AutoMap_Wizard_NowMapped', 'Unresponsive (Contact Status)')).waitFor();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading'), exact: true }).waitFor();
            await screenshot(p, 'w-09-result-create-stage-mapped', { fullPage: false });

            const state = await service.scope('Contact', 'Contact_Status__c');
            const mappedTo = (value: string): string | undefined => {
                const mapping = state.mappings.find((candidate) => candidate.value === value);
                return state.stages.find((stage) => stage.id === mapping?.stageId)?.name;
            };
            assert.equal(mappedTo('Interested'), 'Interested (Contacts)');
            assert.equal(mappedTo('Unresponsive'), 'Unresponsive (Contact Status)');
            assert.equal(mappedTo('Replied'), 'Interested', 'the existing mapping is unchanged');
            await button(dialog, L('AutoMap_Button_Done')).click();
        } finally {
            // The service refused one name on purpose (step 5).
            await finishPage(1);
        }
    });

    test("new stage names: the admin's language by default, API names on request", async () => {
        const p = await page({ lang: 'de' });
        try {
            // Step 1: a German admin on Lead Rating ("Heiß", "Warm", "Kalt"): the note names the language.
            await openTab(p, 'Leads');
            await choose(p, L('AutoMap_FieldPicker_Label'), /^Bewertung/);
            const dialog = await openFieldStep(p);
            await preview(dialog, 'Bewertung');
            await dialog.getByText(L('AutoMap_Wizard_NamingLabels', 'Deutsch'), { exact: true }).waitFor();
            assert.match(await previewRow(dialog, 'Bewertung', 'Hot').innerText(), /Heiß/);
            await screenshot(p, 'w-10-preview-naming-language', { fullPage: false });

            // Step 2: "Name new stages by API name instead": the plan names the stage "Hot".
            // (SLDS draws its own box over the native checkbox: the admin clicks the label.)
            await dialog.getByText(L('AutoMap_Wizard_NamingByApiName'), { exact: true }).click();
            assert.ok(await dialog.getByRole('checkbox', { name: L('AutoMap_Wizard_NamingByApiName') }).isChecked());
            await dialog
                .locator('[data-id="naming-text"]')
                .getByText(L('AutoMap_Wizard_NamingApiNames'), { exact: true })
                .waitFor();
            const hot = previewRow(dialog, 'Bewertung', 'Hot');
            await hot.getByText('Hot', { exact: true }).nth(1).waitFor();
            assert.doesNotMatch(await hot.innerText(), /Heiß\n.*Heiß/s);
            await screenshot(p, 'w-11-preview-naming-api-names', { fullPage: false });

            // Step 3: the service names them the same way.
            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.locator('[data-id="created"]').getByText('Hot', { exact: true }).waitFor();
            assert.ok(await service.stageNamed('contact', 'Hot'), 'the stage is named by the API name');
            assert.equal(await service.stageNamed('contact', 'Heiß'), undefined);
            await button(dialog, L('AutoMap_Button_Done')).click();
        } finally {
            await finishPage();
        }
    });

    test('a long result list shows its first ten, with "Show all"', async () => {
        const p = await page();
        try {
            // Lead Industry: twenty values; "Other" maps to the stage the Lead Source run made, the rest get new ones.
            await openTab(p, 'Leads');
            await choose(p, L('AutoMap_FieldPicker_Label'), /^Industry/);
            const dialog = await openFieldStep(p);
            await preview(dialog, 'Industry');
            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading'), exact: true }).waitFor();
            const created = dialog.locator('[data-id="created"] > li');
            assert.equal(await created.count(), 10);
            const total = Number(await tileCount(dialog, L('AutoMap_ResultTile_CreateAndMap')));
            assert.ok(total > 10, `${total} stages created`);
            const showAll = button(dialog, L('AutoMap_Wizard_ShowAll', total));
            await showAll.scrollIntoViewIfNeeded();
            await screenshot(p, 'w-12-result-long-list-collapsed', { fullPage: false });

            await showAll.click();
            assert.equal(await created.count(), total);
            assert.ok(
                await created
                    .nth(10)
                    .locator('[data-focus]')
                    .evaluate((element) => element.matches(':focus')),
                'the focus moves to the first item that was hidden'
            );
            await screenshot(p, 'w-13-result-long-list-all', { fullPage: false });
            await button(dialog, L('AutoMap_Button_Done')).click();
        } finally {
            await finishPage();
        }
    });

    test('a conflict says once what changed, without version numbers', async () => {
        const p = await page();
        try {
            await openTab(p, 'Accounts');
            const dialog = await openFieldStep(p);
            await preview(dialog, 'Account Type');
            // Someone else creates the stage while the admin looks at the preview.
            await service.createStage('account', 'Technology Partner');

            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            const banner = dialog.locator('[data-id="conflict"]');
            await banner.getByRole('heading', { name: L('AutoMap_Wizard_ConflictHeading') }).waitFor();
            const text = await banner.innerText();
            assert.equal(text.split(L('AutoMap_Wizard_ConflictHeading')).length, 2, 'the heading is said once');
            assert.doesNotMatch(text, /version/i);
            await banner
                .getByText(
                    L(
                        'AutoMap_Wizard_ConflictChange',
                        valueName('Technology Partner'),
                        L('AutoMap_Outcome_CreateAndMap'),
                        L('AutoMap_Outcome_MapExisting')
                    )
                )
                .waitFor();
            await screenshot(p, 'w-14-conflict-note', { fullPage: false });

            await button(dialog, L('AutoMap_Button_CreateAndMap')).click();
            await dialog.getByRole('heading', { name: L('AutoMap_Wizard_ResultHeading'), exact: true }).waitFor();
            await button(dialog, L('AutoMap_Button_Done')).click();
        } finally {
            await finishPage();
        }
    });

    test('at 800 px: 255-character names stay on one line with the full text on hover; headers and words whole', async () => {
        // Step 1: a preview on a picklists file with names at the platform's limit and a skipped value.
        const dir = mkdtempSync(join(tmpdir(), 'stage-automap-w800-'));
        resources.defer('the 800 px folder', () => {
            rmSync(dir, { recursive: true, force: true });
        });
        const longLabel =
            `Waiting for the partner to confirm the referral ${'and the budget of the next quarter '.repeat(7)}`
                .slice(0, 254)
                .trimEnd()
                .padEnd(255, '.');
        const longValue = `Partner_Confirmation_${'Pending_'.repeat(30)}`.slice(0, 255);
        const file = join(dir, 'picklists.json');
        writeFileSync(
            file,
            JSON.stringify({
                object: 'Lead',
                field: 'Status',
                values: [
                    { value: 'Open', label: 'Open' },
                    { value: 'Opened', label: 'Open' },
                    { value: longValue, label: longLabel },
                    { value: 'Working', label: 'Working' }
                ],
                stages: [{ id: 'stg_open', name: 'Open' }],
                mappings: [{ value: 'Open', stageId: 'stg_open' }]
            })
        );
        const wide = resources.add(
            'the 800 px preview',
            await startPreview({ port: 0, dataDir: join(dir, 'data'), reset: true, picklists: file }),
            (started) => started.close()
        );
        const p = await page({}, wide);
        try {
            await p.setViewportSize({ width: 800, height: 900 });
            await openTab(p, 'Leads');
            const dialog = await openFieldStep(p);
            await preview(dialog, 'Lead Status');

            // Step 2: the long value's cells are one line each, truncated, the whole name in the title.
            const row = previewRow(dialog, 'Lead Status', longValue);
            // The table's own truncated names (the value, the label, the stage), not those inside a base component
            // of the row (the category combobox truncates its own text).
            const cells = row.locator('.slds-truncate[title]');
            assert.equal(await cells.count(), 3);
            for (let index = 0; index < 3; index += 1) {
                const cell = cells.nth(index);
                const title = await cell.getAttribute('title');
                assert.ok(title === longValue || title === longLabel, `cell ${index} has the full name on hover`);
                const lines = await cell.evaluate((element) => element.getClientRects().length);
                const { scrollWidth, clientWidth, height } = await cell.evaluate((element) => ({
                    scrollWidth: element.scrollWidth,
                    clientWidth: element.clientWidth,
                    height: element.getBoundingClientRect().height
                }));
                assert.equal(lines, 1);
                assert.ok(scrollWidth > clientWidth, 'the name is cut with an ellipsis');
                assert.ok(height < 30, `one line high, not ${height} px`);
            }
            // Step 3: the headers, the tiles and the step names break no word.
            const whole = dialog.locator('thead th > div, .summary-box p, .step-name');
            for (const element of await whole.all()) {
                const broken = await element.evaluate(
                    (node) =>
                        node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).textOverflow !== 'ellipsis'
                );
                assert.equal(broken, false, `${await element.innerText()} fits`);
            }
            for (const header of await dialog.locator('thead th > div').all()) {
                const overflows = await header.evaluate((node) => node.scrollWidth > node.clientWidth);
                assert.equal(overflows, false, `the header "${await header.innerText()}" is whole`);
            }
            // The skipped value offers its way forward here too.
            await button(dialog, L('AutoMap_NewStage_OpenAssistive', valueName('Opened', 'Open'))).waitFor();
            await row.scrollIntoViewIfNeeded();
            await p.mouse.move(0, 0);
            await screenshot(p, 'w-15-preview-800px-long-names', { fullPage: false });
        } finally {
            await finishPage();
        }
    });
});
