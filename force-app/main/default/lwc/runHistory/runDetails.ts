/**
 * What a run did beyond its counts, in the admin's words: the categories of the stages it created, and for a run of
 * drift fixes ("Fixed 4 changes since mapping") how many of each fix. Pure, so it is tested without the table.
 *
 * Older runs (and a service that does not send them yet) have no `kind`, `createdCategories` or `fixCounts`: such a
 * run is an auto-map, and a missing breakdown is simply not shown.
 */
import { categoryCountsText, formatLabel } from 'c/autoMapText';
import type { CategoryCounts } from 'c/autoMapText';
import createdCategories from '@salesforce/label/c.AutoMap_History_CreatedCategories';
import driftFixed from '@salesforce/label/c.AutoMap_History_DriftFixed';
import fixRenamed from '@salesforce/label/c.AutoMap_History_FixRenamed';
import fixRemoved from '@salesforce/label/c.AutoMap_History_FixRemoved';
import fixRelabelled from '@salesforce/label/c.AutoMap_History_FixRelabelled';
import fixNewValue from '@salesforce/label/c.AutoMap_History_FixNewValue';
import namedCount from '@salesforce/label/c.AutoMap_List_NamedCount';
import listSeparator from '@salesforce/label/c.AutoMap_List_Separator';

/** The drift fixes a run applied, by kind (the service's `fixCounts`; all four keys, zeros included). */
export interface FixCounts {
    'probable-rename': number;
    'value-removed': number;
    'label-changed': number;
    'new-value': number;
}

/** The parts of a run summary this module reads (c/stageAutoMapApi's `RunSummary` has them, all optional). */
export interface RunFacts {
    kind?: 'auto-map' | 'drift-fix';
    createdCategories?: CategoryCounts;
    fixCounts?: FixCounts;
}

/** What each fix did, in the order the drift report lists the kinds. */
const FIX_LABELS: readonly [keyof FixCounts, string][] = [
    ['probable-rename', fixRenamed],
    ['value-removed', fixRemoved],
    ['label-changed', fixRelabelled],
    ['new-value', fixNewValue]
];

/** True for a run of drift fixes; a run without a kind is an auto-map (recorded before runs had kinds). */
export function isDriftFix(run: RunFacts): boolean {
    return run.kind === 'drift-fix';
}

/** How many fixes a drift-fix run applied in all (0 when the service sent no counts). */
export function fixTotal(run: RunFacts): number {
    const counts = run.fixCounts;
    return counts ? FIX_LABELS.reduce((sum, [kind]) => sum + counts[kind], 0) : 0;
}

/** The lines that describe a run in the history's Details column, or none. */
export function runDetails(run: RunFacts): string[] {
    const lines: string[] = [];
    if (isDriftFix(run)) {
        lines.push(formatLabel(driftFixed, fixTotal(run)));
        const counts = run.fixCounts;
        const kinds = counts
            ? FIX_LABELS.filter(([kind]) => counts[kind] > 0).map(([kind, label]) =>
                  formatLabel(namedCount, label, counts[kind])
              )
            : [];
        if (kinds.length > 0) {
            lines.push(kinds.join(`${listSeparator} `));
        }
    }
    const categories = run.createdCategories ? categoryCountsText(run.createdCategories) : '';
    if (categories) {
        lines.push(formatLabel(createdCategories, categories));
    }
    return lines;
}
