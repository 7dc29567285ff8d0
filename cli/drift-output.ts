/**
 * What `drift` prints, from a file or an org: the contract's JSON projection of the findings (issue 12) and the
 * readable table.
 */
import { DRIFT_KINDS, familyOf } from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type {
    DriftFinding,
    DriftKind,
    DriftReport,
    PlanInput
} from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { cell, plainText, table } from './output.ts';

/** A finding as the CLI contract prints it: exactly these fields, in this order, the optional ones when they apply. */
export interface CliFinding {
    value: string;
    kind: DriftKind;
    stageId?: string;
    stageName?: string;
    renamedTo?: string;
    candidates?: string[];
    newStageName?: string;
    fix: boolean;
    reason: string;
}

/** One scenario's drift as the CLI contract prints it. */
export interface DriftResult {
    id?: string | number;
    object: string;
    field: string;
    findings: CliFinding[];
}

/** What a file held: one scenario or an array, and the reports, for printing. */
export interface DriftFile {
    isArray: boolean;
    scenarios: { id?: string | number; input: PlanInput; report: DriftReport }[];
}

/**
 * The contract's projection of an engine finding. The engine carries more for the page (today's and the recorded
 * label, what auto-map would do with a new value); the reason says those in words.
 */
export function toCliFinding(finding: DriftFinding): CliFinding {
    return {
        value: finding.value,
        kind: finding.kind,
        ...(finding.stageId === undefined ? {} : { stageId: finding.stageId }),
        ...(finding.stageName === undefined ? {} : { stageName: finding.stageName }),
        ...(finding.renamedTo === undefined ? {} : { renamedTo: finding.renamedTo }),
        ...(finding.candidates === undefined ? {} : { candidates: finding.candidates }),
        ...(finding.newStageName === undefined ? {} : { newStageName: finding.newStageName }),
        fix: finding.fix,
        reason: finding.reason
    };
}

/** True when some scenario is out of sync with its picklist (the exit code says so). */
export function hasDrift(file: DriftFile): boolean {
    return file.scenarios.some((scenario) => scenario.report.findings.length > 0);
}

export function formatDriftJson(file: DriftFile): string {
    const results = file.scenarios.map((scenario): DriftResult => ({
        ...(scenario.id === undefined ? {} : { id: scenario.id }),
        object: scenario.report.object,
        field: scenario.report.field,
        findings: scenario.report.findings.map(toCliFinding)
    }));
    return `${JSON.stringify(file.isArray ? results : results[0], null, 2)}\n`;
}

export function formatDriftTable(file: DriftFile): string {
    if (file.scenarios.length === 0) {
        return 'No scenarios.\n';
    }
    const blocks = file.scenarios.map((scenario, index) => {
        const name =
            scenario.id !== undefined
                ? ` (scenario ${JSON.stringify(scenario.id)})`
                : file.isArray
                  ? ` (scenario ${index + 1})`
                  : '';
        return `${driftTitle(scenario.report)}${name}\n\n${driftBlock(scenario.report)}`;
    });
    return `${blocks.join('\n\n')}\n`;
}

/** `Lead.Status → contact stages`, as a plan's table is titled. */
export function driftTitle(report: DriftReport): string {
    const family = familyOf(report.object);
    return `${report.object}.${report.field}${family === undefined ? '' : ` → ${family} stages`}`;
}

/** The findings' table and the summary line, or the one line that says the scope is in sync. */
export function driftBlock(report: DriftReport): string {
    if (report.findings.length === 0) {
        return 'In sync: every mapping matches the picklist, and every active value is mapped.';
    }
    const rows = report.findings.map((finding) => [
        cell(finding.value),
        finding.kind,
        cell(finding.stageName ?? finding.stageId ?? ''),
        cell(fixCell(finding)),
        plainText(finding.reason)
    ]);
    return [...table(['VALUE', 'KIND', 'STAGE', 'FIX', 'REASON'], rows), '', `Drift: ${driftSummary(report)}`].join(
        '\n'
    );
}

/** "5 findings, 3 with a fix: 1 probable-rename, 2 value-removed, ..." (the kinds found, in the rules' order). */
export function driftSummary(report: DriftReport): string {
    const { findings } = report;
    const fixes = findings.filter((finding) => finding.fix).length;
    const counts = DRIFT_KINDS.flatMap((kind) => {
        const count = findings.filter((finding) => finding.kind === kind).length;
        return count === 0 ? [] : [`${count} ${kind}`];
    });
    return `${findings.length} finding${findings.length === 1 ? '' : 's'}, ${fixes} with a fix: ${counts.join(', ')}`;
}

/** The fix in a few words, or why there is none (the reason has the whole story). */
function fixCell(finding: DriftFinding): string {
    if (!finding.fix) {
        return finding.candidates ? `no: ${finding.candidates.length} candidates` : 'no';
    }
    switch (finding.kind) {
        case 'probable-rename':
            return `move to ${finding.renamedTo ?? ''}`;
        case 'value-removed':
            return 'remove the mapping';
        case 'label-changed':
            return `rename stage to ${finding.newStageName ?? ''}`;
        case 'new-value':
            return finding.stageId === undefined ? `auto-map: + ${finding.stageName ?? ''} (new)` : 'auto-map';
        default:
            return 'yes';
    }
}
