/**
 * `automap export --org ... --object O --field F [--record-type ID] [--output FILE] [--service URL]`: writes one
 * picklist field of a real org as a scenario file, the format `plan --input` plans and the local preview starts
 * from (`npm start -- --picklists FILE`), so an admin can try auto-map on their own values before installing.
 *
 * The values are read as `plan --org` reads them (cli/org/ui-api.ts), but for the master record type unless
 * `--record-type` narrows: the UI API answers the master record type with the field's values that no record type
 * filters, which is every active value (see docs/cli.md, "Export a field"). With `--service` the file also holds
 * the scope's stages and mappings, as `plan --org` would plan against; without it, `"stages": []` and no mappings.
 * The file is checked with the file mode's own checks before it is written.
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkScenario } from '../input-file.ts';
import { CliInputError, CommandFailure, EXIT_OK, oneLineMessage } from '../errors.ts';
import type { CliIo } from '../output.ts';
import { connectOrg } from './scope.ts';
import { StageServiceClient } from './stage-service.ts';
import type { ExportRequest } from './types.ts';
import { MASTER_RECORD_TYPE_ID, readPicklistScope } from './ui-api.ts';

/** The file `export` writes: the CLI's scenario format, every member in the order docs/cli.md shows. */
export interface ExportedScenario {
    id: string;
    object: string;
    field: string;
    values: { value: string; label: string }[];
    stages: { id: string; name: string }[];
    mappings?: { value: string; stageId: string }[];
}

/**
 * Runs `export`; prints the file on `io.out`, or writes it to `--output` and prints what it wrote.
 *
 * @returns the exit code (0 written)
 * @throws CliInputError (exit 2) for an `--output` that cannot be written, found before the org is contacted;
 *   CommandFailure (exit 1) for a failure talking to the org or the service, or writing the file
 */
export async function runExport(request: ExportRequest, io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
    if (request.output !== undefined) {
        checkOutputPath(request.output);
    }
    const { source } = request;
    const org = await connectOrg(source, env, request.timeoutMs);
    const picklist = await readPicklistScope(
        org,
        source.object,
        source.field,
        source.recordTypeId ?? MASTER_RECORD_TYPE_ID
    );
    const scenario: ExportedScenario = {
        id: `${request.orgName} ${picklist.object}.${picklist.field}`,
        object: picklist.object,
        field: picklist.field,
        values: picklist.values.map(({ value, label }) => ({ value, label: label ?? value })),
        stages: []
    };
    if (request.service !== undefined) {
        const client = new StageServiceClient({
            baseUrl: request.service.url,
            apiKey: request.service.apiKey,
            timeoutMs: request.timeoutMs
        });
        const state = await client.getScope(picklist.object, picklist.field);
        scenario.stages = state.stages;
        scenario.mappings = state.mappings;
    }
    try {
        checkScenario(scenario, '', `${picklist.object}.${picklist.field}`);
    } catch (error) {
        if (error instanceof CliInputError) {
            throw new CommandFailure(
                `cannot export what the org${request.service ? ' and the stage service' : ''} hold as a scenario file: ${error.message}`
            );
        }
        throw error;
    }
    const text = `${JSON.stringify(scenario, null, 2)}\n`;
    if (request.output === undefined) {
        io.out(text);
        return EXIT_OK;
    }
    try {
        writeFileSync(request.output, text);
    } catch (error) {
        throw new CommandFailure(`cannot write --output "${request.output}": ${oneLineMessage(error)}`);
    }
    const recordType = picklist.recordTypeName
        ? `${picklist.recordTypeName} (${picklist.recordTypeId})`
        : picklist.recordTypeId;
    const count = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
    const state =
        scenario.mappings === undefined
            ? 'no stages or mappings (--service adds them)'
            : `${count(scenario.stages.length, 'stage')} and ${count(scenario.mappings.length, 'mapping')} from the stage service`;
    io.out(
        [
            `Wrote ${request.output}: ${picklist.object}.${picklist.field} "${picklist.fieldLabel}", record type ${recordType}, ${count(scenario.values.length, 'value')}; ${state}.`,
            `Try auto-map on it in the local preview: npm start -- --picklists ${request.output}`,
            ''
        ].join('\n')
    );
    return EXIT_OK;
}

/** Refuses, before anything is read, an `--output` that is a folder or lies in a folder that does not exist. */
function checkOutputPath(output: string): void {
    const isDirectory = (path: string): boolean | undefined => {
        try {
            return statSync(path).isDirectory();
        } catch {
            return undefined;
        }
    };
    if (isDirectory(output) === true) {
        throw new CliInputError(`--output "${output}" is a folder; name a file, e.g. ${output}/lead-status.json`);
    }
    const folder = dirname(resolve(output));
    if (isDirectory(folder) !== true) {
        throw new CliInputError(`--output "${output}": the folder ${folder} does not exist`);
    }
}
