import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import type { DriftFinding } from 'c/autoMapEngine';
import { applyDriftFixes, newIdempotencyKey } from 'c/stageAutoMapApi';
import type { RunSummary, Scope, ScopeState, ServiceValue } from 'c/stageAutoMapApi';
import { driftKindLabel, findingStageText, fixAction, fixRequestsOf, isFixable } from 'c/driftText';
import { formatLabel } from 'c/autoMapText';
import header from '@salesforce/label/c.AutoMap_DriftFix_Header';
import intro from '@salesforce/label/c.AutoMap_DriftFix_Intro';
import caption from '@salesforce/label/c.AutoMap_DriftFix_Caption';
import columnAction from '@salesforce/label/c.AutoMap_DriftFix_ColumnAction';
import applyLabel from '@salesforce/label/c.AutoMap_DriftFix_Apply';
import applying from '@salesforce/label/c.AutoMap_DriftFix_Applying';
import applyError from '@salesforce/label/c.AutoMap_DriftFix_ApplyError';
import columnValue from '@salesforce/label/c.AutoMap_Column_Value';
import columnStage from '@salesforce/label/c.AutoMap_Column_Stage';
import columnChange from '@salesforce/label/c.AutoMap_Drift_ColumnChange';
import cancel from '@salesforce/label/c.AutoMap_Button_Cancel';

/**
 * What the modal closes with: the fixes were applied (the run recorded, the scope's state read again), or refused
 * because the state moved since the preview (nothing applied; the state read again, for the page to report drift on
 * it). Cancel, Esc and the X close with `undefined`.
 */
export type DriftFixModalResult =
    | { status: 'applied'; run: RunSummary; state: ScopeState; fixCount: number }
    | { status: 'conflict'; state: ScopeState };

interface FixRow {
    key: string;
    value: string;
    change: string;
    stage: string;
    action: string;
}

/**
 * The preview of drift fixes, a LightningModal: one row per fix saying what it does (move a mapping, remove it,
 * rename a stage, auto-map a new value), then Apply or Cancel. Apply sends every fix in one call, with the state
 * version the findings were reported on and an idempotency key made once per preview, so a retry after a failure
 * never applies twice; the service applies them as one run, or refuses them all when the state moved.
 *
 * A failure stays in the modal (the error panel, Apply again); success and a refusal close it, and the page says
 * what happened (a toast once the modal is gone, so it covers nothing). While the call runs the modal cannot be
 * closed: closing it would hide whether anything was applied.
 */
export default class StageDriftFixModal extends LightningModal {
    /** The scope whose drift is fixed. */
    @api objectApiName = '';
    @api fieldApiName = '';
    /** Every active value of the field, as the findings were reported on (the service reports drift on them too). */
    @api values: ServiceValue[] = [];
    /** The state version the findings were reported on: the fixes apply only at that version. */
    @api version = 0;
    /** The findings to fix (those without a fix are not sent, nor listed). */
    @api findings: DriftFinding[] = [];

    labels = { header, caption, columnValue, columnChange, columnStage, columnAction, applyLabel, applying, cancel };
    readonly applyErrorHeading = applyError;

    busy = false;
    failure: unknown;
    /** One key per preview, kept across retries: the service then answers a retry with the first result. */
    private idempotencyKey: string | undefined;

    private get scope(): Scope {
        return { objectApiName: this.objectApiName, fieldApiName: this.fieldApiName };
    }

    private get fixable(): DriftFinding[] {
        return this.findings.filter(isFixable);
    }

    get introText(): string {
        return formatLabel(intro, this.fixable.length);
    }

    get rows(): FixRow[] {
        const labels = new Map(this.values.map((entry) => [entry.value, entry.label] as const));
        const labelOf = (value: string): string | undefined => labels.get(value);
        return this.fixable.map((finding) => ({
            key: `${finding.kind}:${finding.value}`,
            // The API name, as in the mappings table and the list of changes.
            value: finding.value,
            change: driftKindLabel(finding.kind),
            stage: findingStageText(finding),
            action: fixAction(finding, labelOf)
        }));
    }

    get applyDisabled(): boolean {
        return this.busy || this.fixable.length === 0;
    }

    handleCancel(): void {
        if (!this.busy) {
            this.close(undefined);
        }
    }

    async handleApply(): Promise<void> {
        if (this.applyDisabled) {
            return;
        }
        this.idempotencyKey ??= newIdempotencyKey();
        const fixes = fixRequestsOf(this.fixable);
        this.failure = undefined;
        this.busy = true;
        this.disableClose = true;
        let result: DriftFixModalResult | undefined;
        try {
            const answer = await applyDriftFixes(this.scope, this.values, fixes, this.version, this.idempotencyKey);
            result =
                answer.status === 'applied'
                    ? {
                          status: 'applied',
                          run: answer.run,
                          state: answer.state,
                          fixCount: fixCountOf(answer.run, fixes.length)
                      }
                    : { status: 'conflict', state: answer.state };
        } catch (error) {
            this.failure = error;
        } finally {
            this.busy = false;
            this.disableClose = false;
        }
        if (result) {
            this.close(result);
        }
    }
}

/** How many fixes the run applied, by the service's count (the fixes sent, for a run recorded without counts). */
function fixCountOf(run: RunSummary, sent: number): number {
    const counts = run.fixCounts;
    return counts ? Object.values(counts).reduce((sum, count) => sum + count, 0) : sent;
}
