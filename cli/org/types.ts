/** The org modes' request, as the command line parser builds it (types only: no code runs from this module). */

/** Where the org's connection comes from. */
export type OrgAuthSource =
    | {
          /** `sf org display --target-org <alias> --json` (the Salesforce CLI's stored login). */
          kind: 'sf-alias';
          alias: string;
          /** The `sf` executable from `SF_CLI_BIN`; else the repository's node_modules/.bin/sf, else `sf`. */
          sfBin?: string;
      }
    | {
          /** `SF_INSTANCE_URL` and `SF_ACCESS_TOKEN`. */
          kind: 'env';
          instanceUrl: string;
          accessToken: string;
      };

export interface OrgRequest {
    /** `plan` and `apply` (cli/org/command.ts), `drift` (cli/org/drift.ts). */
    command: 'plan' | 'apply' | 'drift';
    source: {
        kind: 'org';
        auth: OrgAuthSource;
        /** Contact, Lead or Account (canonical spelling). */
        object: string;
        /** The field as typed; the org's spelling is used once the object info is read. */
        field: string;
        /** `--record-type`; else the master record type: every active value of the field. */
        recordTypeId?: string;
    };
    service: {
        /** Base URL without `/v1` and without a trailing slash. */
        url: string;
        apiKey: string;
    };
    format: 'json' | 'table';
    /** apply: reuse a key printed by an earlier attempt, so a retry applies at most once. */
    idempotencyKey?: string;
    /** apply: apply only if the service's state version is still this one. */
    expectedVersion?: number;
    /** Per HTTP request and per Salesforce CLI call. */
    timeoutMs: number;
}

/** `automap export`: one field's values (and, with a stage service, the scope's state) as a scenario file. */
export interface ExportRequest {
    command: 'export';
    source: OrgRequest['source'];
    /** The `--org` alias, else the host of `SF_INSTANCE_URL`: the start of the scenario's id. */
    orgName: string;
    /** `--service`: also write the scope's stages and mappings; without it, no stages and no mappings. */
    service?: OrgRequest['service'];
    /** `--output FILE`; else the file is printed on stdout. */
    output?: string;
    /** Per HTTP request and per Salesforce CLI call. */
    timeoutMs: number;
}
