/**
 * "Changes since mapping" in Chromium against the real stage service (embedded, fresh SQLite, the demo team): the
 * demo org's Lead Status is auto-mapped, then changed the way admins change picklists (the preview's
 * `?picklist=changed` switch: "Working - Contacted" renamed to Working_Contacted, "Nurturing" relabelled "Nurture",
 * "Interested" removed, "Meeting Booked" deactivated, "Qualified" added). The page must name each change, fix all of
 * them in one run after a preview, end in sync, and undo the fixes. Tests run in order and build on each other.
 *
 * Each step is checked on the page (role locators, names from the package's Custom Labels) and in the service's own
 * state. Screenshots: test-output/screenshots/d-NN-<step>.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { ServiceClient, launchChromium, openPreview, screenshot, startSuitePreview } from './support.ts';
import type { PreviewPage, PreviewSuite } from './support.ts';
import { TestResources } from '../../scripts/lib/test-resources.ts';
import { button, L, LEAD_STATUS_VALUES, openTab } from './page-words.ts';

/** The demo's Lead Status after the switch, as the page's UI API reads it (only active values). */
const CHANGED = {
    renamedFrom: 'Working - Contacted',
    renamedTo: 'Working_Contacted',
    relabelled: 'Nurturing',
    newLabel: 'Nurture',
    removed: 'Interested',
    deactivated: 'Meeting Booked',
    added: 'Qualified'
} as const;

function findingsTable(scope: Page | Locator): Locator {
    return scope.getByRole('table', { name: L('AutoMap_Drift_Caption') });
}

/** A row of a table by its row header (the value). */
function rowOf(table: Locator, header: string): Locator {
    return table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: header, exact: true }) });
}

describe('Changes since mapping: rename, relabel, remove, deactivate and add on the demo org', () => {
    let suite: PreviewSuite;
    let browser: Browser;
    let service: ServiceClient;
    let current: PreviewPage | undefined;

    const resources = new TestResources();

    before(async () => {
        suite = resources.add('the preview', await startSuitePreview(), (started) => started.close());
        service = new ServiceClient(suite.preview);
        browser = resources.add('Chromium', await launchChromium(), (started) => started.close());
        // The first run, as the wizard would apply it: every value with its label (recorded with each mapping).
        const response = await fetch(`${suite.preview.serviceUrl}/v1/scopes/Lead/Status/auto-map`, {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${suite.preview.apiKey}`,
                'X-Actor-Id': 'test-setup',
                'X-Actor-Name': 'Test setup',
                'Idempotency-Key': randomUUID(),
                'Content-Type': 'application/json'
            },
            body: JSON.stringify({
                values: LEAD_STATUS_VALUES.map((value) => ({ value, label: value, active: true }))
            })
        });
        assert.equal(response.status, 200, await response.text());
    });

    after(() => resources.closeAll());

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

    test('before the picklist changes, Lead Status is in sync', async () => {
        const p = await page();
        try {
            await openTab(p, 'Leads');
            await p.getByRole('tabpanel').getByText(L('AutoMap_Drift_InSyncBadge'), { exact: true }).waitFor();
            assert.equal(await findingsTable(p).count(), 0, 'no findings table');
        } finally {
            await finishPage();
        }
    });

    test('after the change, every change is named with its kind, and each has a safe fix', async () => {
        const p = await page({ picklist: 'changed' });
        try {
            await openTab(p, 'Leads');
            const table = findingsTable(p.getByRole('tabpanel'));
            await table.waitFor();
            const expected: [string, string][] = [
                [CHANGED.renamedFrom, L('AutoMap_DriftKind_ProbableRename')],
                [CHANGED.deactivated, L('AutoMap_DriftKind_ValueRemoved')],
                [CHANGED.removed, L('AutoMap_DriftKind_ValueRemoved')],
                [CHANGED.relabelled, L('AutoMap_DriftKind_LabelChanged')],
                [CHANGED.added, L('AutoMap_DriftKind_NewValue')]
            ];
            for (const [value, kind] of expected) {
                const row = rowOf(table, value);
                await row.getByText(kind, { exact: true }).waitFor();
                assert.equal(
                    await button(row, L('AutoMap_Drift_FixAssistive', value)).count(),
                    1,
                    `${value} has a Fix button`
                );
            }
            // The rename names the value the mapping moves to, the relabel the stage's new name.
            await rowOf(table, CHANGED.renamedFrom).getByText(CHANGED.renamedTo, { exact: false }).first().waitFor();
            await rowOf(table, CHANGED.relabelled).getByText(CHANGED.newLabel, { exact: false }).first().waitFor();
            assert.equal(
                await table.getByRole('row').count(),
                expected.length + 1,
                'one row per change, and the header'
            );
            await screenshot(p, 'd-01-changes-since-mapping');
        } finally {
            await finishPage();
        }
    });

    test('"Fix all safe changes" previews every fix, applies them in one run, and the field is in sync', async () => {
        const p = await page({ picklist: 'changed' });
        try {
            const before = await service.scope('Lead', 'Status');
            await openTab(p, 'Leads');
            const panel = p.getByRole('tabpanel');
            await findingsTable(panel).waitFor();
            await button(panel, L('AutoMap_Drift_FixAll')).click();
            const dialog = p.getByRole('dialog', { name: L('AutoMap_DriftFix_Header') });
            await dialog.waitFor();
            const fixes = dialog.getByRole('table', { name: L('AutoMap_DriftFix_Caption') });
            assert.equal(await fixes.getByRole('row').count(), 6, 'five fixes previewed, and the header');
            await screenshot(p, 'd-02-fix-all-preview', { fullPage: false });
            // Nothing changes before Apply.
            assert.equal((await service.scope('Lead', 'Status')).version, before.version);

            await button(dialog, L('AutoMap_DriftFix_Apply')).click();
            await dialog.waitFor({ state: 'hidden' });
            await panel.getByText(L('AutoMap_Drift_InSyncBadge'), { exact: true }).waitFor();
            await screenshot(p, 'd-03-fixed-in-sync');

            const after = await service.scope('Lead', 'Status');
            const values = after.mappings.map((mapping) => mapping.value).sort();
            assert.ok(values.includes(CHANGED.renamedTo), 'the mapping moved to the renamed value');
            for (const gone of [CHANGED.renamedFrom, CHANGED.removed, CHANGED.deactivated]) {
                assert.ok(!values.includes(gone), `${gone} is no longer mapped`);
            }
            assert.ok(values.includes(CHANGED.added), 'the new value is mapped');
            const moved = after.mappings.find((mapping) => mapping.value === CHANGED.renamedTo);
            const old = before.mappings.find((mapping) => mapping.value === CHANGED.renamedFrom);
            assert.equal(moved?.stageId, old?.stageId, 'the renamed value keeps its stage');
            const relabelled = after.mappings.find((mapping) => mapping.value === CHANGED.relabelled);
            assert.equal(
                after.stages.find((stage) => stage.id === relabelled?.stageId)?.name,
                CHANGED.newLabel,
                'the stage named after the old label takes the new one'
            );
            assert.ok(after.lastRun, 'the fixes are a run');
            assert.equal(after.lastRun.undoneAt, null);
            assert.notEqual(after.lastRun.id, before.lastRun?.id, 'the fixes are one new run');
        } finally {
            await finishPage();
        }
    });

    test('the fixes are undone from the history, and the changes show again', async () => {
        const p = await page({ picklist: 'changed' });
        try {
            const fixed = await service.scope('Lead', 'Status');
            await openTab(p, 'Leads');
            const panel = p.getByRole('tabpanel');
            await panel.getByText(L('AutoMap_Drift_InSyncBadge'), { exact: true }).waitFor();
            await button(panel, L('AutoMap_History_Undo')).first().click();
            const confirm = p.getByRole('alertdialog', { name: L('AutoMap_History_UndoFixConfirmTitle') });
            await confirm.waitFor();
            await button(confirm, 'OK').click();
            await p.getByText(L('AutoMap_History_UndoneTitle')).first().waitFor();
            await findingsTable(panel).waitFor();
            await screenshot(p, 'd-04-fixes-undone');

            const undone = await service.scope('Lead', 'Status');
            assert.equal(undone.lastRun?.id, fixed.lastRun?.id);
            assert.ok(undone.lastRun?.undoneAt, 'the fix run is marked undone');
            const values = undone.mappings.map((mapping) => mapping.value);
            for (const back of [CHANGED.renamedFrom, CHANGED.removed, CHANGED.deactivated]) {
                assert.ok(values.includes(back), `${back} is mapped again`);
            }
            assert.ok(!values.includes(CHANGED.renamedTo) && !values.includes(CHANGED.added));
            assert.ok(await service.stageNamed('contact', CHANGED.relabelled), 'the stage has its old name back');
        } finally {
            await finishPage();
        }
    });
    test('"Accept" keeps the stage and its name, records the new label, and the relabel is no longer reported', async () => {
        const p = await page({ picklist: 'changed' });
        try {
            await openTab(p, 'Leads');
            const panel = p.getByRole('tabpanel');
            const table = findingsTable(panel);
            await rowOf(table, CHANGED.relabelled).waitFor();
            const before = await service.scope('Lead', 'Status');
            const mapping = before.mappings.find((candidate) => candidate.value === CHANGED.relabelled);
            assert.ok(mapping, 'Nurturing is mapped again after the undo');

            await button(panel, L('AutoMap_Drift_AcceptLabelAssistive', CHANGED.relabelled)).click();
            await p.getByText(L('AutoMap_Drift_AcceptedToastTitle')).first().waitFor();
            await rowOf(table, CHANGED.added).waitFor();
            assert.equal(await rowOf(table, CHANGED.relabelled).count(), 0, 'the relabel is not reported any more');
            await screenshot(p, 'd-05-label-accepted');

            const after = await service.scope('Lead', 'Status');
            const kept = after.mappings.find((candidate) => candidate.value === CHANGED.relabelled);
            assert.equal(kept?.stageId, mapping.stageId, 'the same stage');
            assert.equal(kept.label, CHANGED.newLabel, 'the new label is recorded');
            assert.equal(kept.labelLanguage, 'en_US', "in the admin's language");
            assert.ok(await service.stageNamed('contact', CHANGED.relabelled), 'the stage keeps its name');
        } finally {
            await finishPage();
        }
    });
});
