/**
 * What the CLI prints: the contract's JSON projection of a plan and the readable table, shared by the file mode
 * and the org modes.
 */
import { OUTCOME_KINDS } from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type {
    OutcomeKind,
    Plan,
    PlanInput,
    PlanSummary,
    PlannedOutcome,
    Suggestion
} from '../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';

/** How the CLI prints: only JSON on stdout, or a readable table. */
export type OutputFormat = 'json' | 'table';

/** One scenario's plan as the CLI contract prints it. */
export interface ScenarioResult {
    id?: string | number;
    outcomes: CliOutcome[];
    suggestions: Suggestion[];
    summary: PlanSummary;
}

/** An outcome as the CLI contract prints it: exactly these fields, `stageId`/`stageName` only for their kinds. */
export interface CliOutcome {
    value: string;
    outcome: OutcomeKind;
    stageId?: string;
    stageName?: string;
    reason: string;
}

/** What a file held: one scenario or an array, and the plans, for printing. */
export interface PlannedFile {
    isArray: boolean;
    scenarios: { id?: string | number; input: PlanInput; plan: Plan }[];
}

/** The contract's projection of an engine outcome (the engine carries more, for the wizard and the service). */
export function toCliOutcome(outcome: PlannedOutcome): CliOutcome {
    const withStageId = outcome.outcome === 'already-mapped' || outcome.outcome === 'map-existing';
    const withStageName =
        outcome.outcome === 'map-existing' ||
        outcome.outcome === 'create-and-map' ||
        outcome.outcome === 'skip-stage-taken';
    return {
        value: outcome.value,
        outcome: outcome.outcome,
        ...(withStageId && outcome.stageId !== undefined ? { stageId: outcome.stageId } : {}),
        ...(withStageName && outcome.stageName !== undefined ? { stageName: outcome.stageName } : {}),
        reason: outcome.reason
    };
}

export function toScenarioResult(scenario: PlannedFile['scenarios'][number]): ScenarioResult {
    return {
        ...(scenario.id === undefined ? {} : { id: scenario.id }),
        outcomes: scenario.plan.outcomes.map(toCliOutcome),
        suggestions: scenario.plan.suggestions,
        summary: scenario.plan.summary
    };
}

export function formatJson(file: PlannedFile): string {
    const results = file.scenarios.map(toScenarioResult);
    return `${JSON.stringify(file.isArray ? results : results[0], null, 2)}\n`;
}

/** "8 values: 1 already-mapped, 2 map-existing, ..." — every kind, in the documented order. */
export function summaryLine(summary: PlanSummary): string {
    const counts = OUTCOME_KINDS.map((kind) => `${summary.counts[kind]} ${kind}`).join(', ');
    return `${summary.total} value${summary.total === 1 ? '' : 's'}: ${counts}`;
}

const WIDE =
    /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const ZERO_WIDTH = /[\p{M}\u200b-\u200f\ufeff]/u;
const CONTROL = /\p{Cc}/gu;
const MAX_CELL_WIDTH = 40;

/** Columns a terminal gives a character: East Asian wide characters take two, combining marks none. */
function displayWidth(text: string): number {
    let width = 0;
    for (const character of text) {
        width += ZERO_WIDTH.test(character) ? 0 : WIDE.test(character) ? 2 : 1;
    }
    return width;
}

/** Control characters shown as spaces (a tab or new line in a name must not break the table), long cells cut. */
export function cell(text: string, maxWidth = MAX_CELL_WIDTH): string {
    const clean = text.replace(CONTROL, ' ');
    if (displayWidth(clean) <= maxWidth) {
        return clean;
    }
    let cut = '';
    for (const character of clean) {
        if (displayWidth(cut + character) > maxWidth - 1) {
            break;
        }
        cut += character;
    }
    return `${cut}…`;
}

function pad(text: string, width: number): string {
    return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function stageCell(outcome: PlannedOutcome): string {
    if (outcome.outcome === 'create-and-map') {
        return `+ ${outcome.stageName ?? ''} (new)`;
    }
    if (outcome.outcome === 'skip-ambiguous') {
        return (outcome.candidates ?? []).map((stage) => stage.name).join(' | ');
    }
    return outcome.stageName ?? outcome.stageId ?? '';
}

/** Control characters shown as spaces, for text that is not cut (a reason, the last column). */
export function plainText(text: string): string {
    return text.replace(CONTROL, ' ');
}

/** Columns padded to their widest cell, a rule under the header; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
    const widths = header.map((title, column) =>
        Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[column] ?? '')))
    );
    const line = (row: readonly string[]): string =>
        row
            .map((text, column) => (column === row.length - 1 ? text : pad(text, widths[column] ?? 0)))
            .join('  ')
            .trimEnd();
    const rule = header.map((title, column) =>
        '-'.repeat(column === header.length - 1 ? displayWidth(title) : (widths[column] ?? 0))
    );
    return [line(header), line(rule), ...rows.map(line)];
}

function scenarioTitle(scenario: PlannedFile['scenarios'][number], index: number, isArray: boolean): string {
    const { object, field, family } = scenario.plan;
    const name =
        scenario.id !== undefined
            ? ` (scenario ${JSON.stringify(scenario.id)})`
            : isArray
              ? ` (scenario ${index + 1})`
              : '';
    return `${object}.${field} → ${family} stages${name}`;
}

export function formatTable(file: PlannedFile): string {
    if (file.scenarios.length === 0) {
        return 'No scenarios.\n';
    }
    const blocks = file.scenarios.map((scenario, index) => {
        const rows = scenario.plan.outcomes.map((outcome) => [
            cell(outcome.value),
            outcome.outcome,
            cell(stageCell(outcome)),
            outcome.reason.replace(CONTROL, ' ')
        ]);
        const lines = [
            scenarioTitle(scenario, index, file.isArray),
            '',
            ...table(['VALUE', 'OUTCOME', 'STAGE', 'REASON'], rows)
        ];
        if (scenario.plan.suggestions.length > 0) {
            lines.push('', 'Suggestions (confirm by hand):');
            for (const suggestion of scenario.plan.suggestions) {
                lines.push(
                    `  ${cell(suggestion.value)} → ${cell(suggestion.stageName)} (${suggestion.stageId}, score ${suggestion.score}): ${suggestion.why.replace(CONTROL, ' ')}`
                );
            }
        }
        lines.push('', `Summary: ${summaryLine(scenario.plan.summary)}`);
        return lines.join('\n');
    });
    return `${blocks.join('\n\n')}\n`;
}

/** Where the CLI writes; tests and other scripts can capture it. */
export interface CliIo {
    out: (text: string) => void;
    err: (text: string) => void;
}
