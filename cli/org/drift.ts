/**
 * `automap drift --org ...`: how a scope's picklist in the org drifted from the mappings the stage service holds.
 * It reads the scope as `plan --org` does (cli/org/scope.ts: the field's values through the UI API, every record
 * type unless `--record-type` narrows; the stages and mappings, with the label each mapping recorded when the service
 * has one), reports with the engine's `driftReport` and changes nothing. The fixes are the page's to apply.
 */
import { driftReport, validateDriftInput } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import type { DriftReport } from '../../force-app/main/default/lwc/autoMapEngine/autoMapEngine.ts';
import { driftBlock, driftTitle, toCliFinding } from '../drift-output.ts';
import { EXIT_DRIFT, EXIT_OK } from '../errors.ts';
import type { CliIo } from '../output.ts';
import { header, json, readScope, scopeJson } from './scope.ts';
import type { Scope } from './scope.ts';
import type { OrgRequest } from './types.ts';

/**
 * Reports the drift of one scope of an org; prints on `io.out`.
 *
 * @returns 0 when the scope is in sync, 3 when drift was found
 * @throws CommandFailure with one clear line (exit code 1) when the org or the service cannot be read
 */
export async function runOrgDrift(request: OrgRequest, io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
    const scope = await readScope(request, env, validateDriftInput, 'report the drift of');
    const report = driftReport(scope.input, { ...(await readerLanguage(scope)) });
    io.out(request.format === 'json' ? driftJson(scope, report) : driftText(request, scope, report));
    return report.findings.length > 0 ? EXIT_DRIFT : EXIT_OK;
}

/**
 * The language the UI API gave the labels in (the CLI user's, from OAuth userinfo), so that a label another admin
 * recorded in another language is not reported as changed. Unknown (userinfo without it, or unreadable): every
 * recorded label is compared, as the rules say.
 */
async function readerLanguage(scope: Scope): Promise<{ language?: string }> {
    try {
        const { language } = await scope.org.currentUser();
        return language === undefined ? {} : { language };
    } catch {
        return {};
    }
}

function driftJson(scope: Scope, report: DriftReport): string {
    return json({
        command: 'drift',
        ...scopeJson(scope),
        version: scope.state.version,
        findings: report.findings.map(toCliFinding)
    });
}

function driftText(request: OrgRequest, scope: Scope, report: DriftReport): string {
    const lines = [header(request, scope, scope.state.version), driftTitle(report), '', driftBlock(report)];
    if (report.findings.some((finding) => finding.kind === 'value-removed')) {
        // https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_resources_picklist_values.htm
        lines.push(
            '',
            'Note: the UI API lists active values only, so a mapped value that was deactivated rather than deleted is reported as removed here; check the field in Setup before removing its mapping.'
        );
    }
    if (report.findings.length > 0) {
        lines.push(
            '',
            'Apply the fixes on the Stage AutoMap page ("Changes since mapping"); this command changes nothing.'
        );
    }
    return `${lines.join('\n')}\n`;
}
