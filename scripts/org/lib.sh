# shellcheck shell=bash
# Shared helpers for the scripts in scripts/org/. Sourced, never run on its own.
#
# Secrets: the stage service API key is read from the environment variable STAGE_SERVICE_API_KEY and handed to the
# Salesforce CLI on standard input, so it never appears in a process list, a CLI log or an Apex debug log. (Setting it
# with anonymous Apex would echo it into the org's debug logs, which is why the Connect REST API is used instead.)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly ROOT
readonly API_VERSION="66.0"
# shellcheck disable=SC2034 # read by the scripts that source this file
readonly PACKAGE_NAME="Stage AutoMap"
readonly EXTERNAL_CREDENTIAL="Stage_Service"
readonly NAMED_CREDENTIAL="Stage_Service"
readonly PRINCIPAL="Stage_Service_Key"
readonly TAB="Stage_AutoMap_Setup"
# The URL the package ships in its Named Credential; a package upgrade puts it back (docs/install-into-an-org.md).
# shellcheck disable=SC2034 # read by the scripts that source this file
readonly PLACEHOLDER_URL="https://stage-service.invalid"

# Keep the CLI quiet and offline-safe: no telemetry, update checks, background updates or log files.
export SF_DISABLE_TELEMETRY=true SF_SKIP_NEW_VERSION_CHECK=true SF_DISABLE_AUTOUPDATE=true SF_AUTOUPDATE_DISABLE=true
export SF_HIDE_RELEASE_NOTES=true SF_USE_PROGRESS_BAR=false SF_DISABLE_LOG_FILE=true

die() {
    echo "error: $*" >&2
    exit 1
}

step() {
    echo
    echo "==> $*"
}

# The project's pinned Salesforce CLI (@salesforce/cli in package.json), not whatever is on the PATH.
# STAGE_AUTOMAP_SF replaces it (a stand-in that records its calls, for trying these scripts without an org).
SF_BIN="${STAGE_AUTOMAP_SF:-$ROOT/node_modules/.bin/sf}"
readonly SF_BIN
sf() {
    "$SF_BIN" "$@"
}

require_tools() {
    command -v node >/dev/null || die "Node.js is required (see package.json engines)."
    [[ -x "$SF_BIN" ]] || die "The Salesforce CLI is not installed here: run 'npm ci' in $ROOT first."
}

# Prints the stage service base URL without a trailing slash or /v1 (the Apex adds /v1/...); dies when it is not one.
normalize_endpoint() {
    local url="${1%/}"
    if [[ "$url" == */v1 ]]; then
        echo "note: dropping the trailing /v1 from $url; the package adds /v1/... itself." >&2
        url="${url%/v1}"
    fi
    [[ "$url" =~ ^https?://[^/[:space:]]+(/[^[:space:]]*)?$ ]] || die "Not an http(s) URL: $1"
    if [[ "$url" == http://* ]]; then
        echo "warning: $url is not HTTPS; the API key would travel in clear text. Use an HTTPS endpoint." >&2
    fi
    if [[ "$url" =~ ^https?://(localhost|127\.|0\.0\.0\.0) ]]; then
        echo "warning: Salesforce calls out from its own servers and cannot reach $url; expose the service on a" >&2
        echo "         public HTTPS address (a tunnel, or a deployed service) and pass that instead." >&2
    fi
    printf '%s' "$url"
}

# Reads STAGE_SERVICE_API_KEY; dies when it is missing or has characters a Bearer token cannot carry.
require_api_key() {
    [[ -n "${STAGE_SERVICE_API_KEY:-}" ]] || die "Set STAGE_SERVICE_API_KEY to the stage service's API key (or pass --api-key)."
    [[ "$STAGE_SERVICE_API_KEY" =~ ^[[:graph:]]+$ ]] || die "STAGE_SERVICE_API_KEY must be printable ASCII without spaces."
}

# Runs `sf api request rest` with a JSON body from standard input; prints only the error's code and message on failure.
# Usage: rest_json ORG METHOD PATH  (body on stdin)
rest_json() {
    local org="$1" method="$2" path="$3" output
    if output="$(sf api request rest "/services/data/v$API_VERSION/$path" --method "$method" --body - \
        --header 'Content-Type: application/json' --target-org "$org" 2>&1)"; then
        return 0
    fi
    # Connect REST errors are [{ errorCode, message }]; show those, never the request.
    printf '%s' "$output" | print_rest_errors
    return 1
}

# Prints Connect REST errors ([{ errorCode, message }]) from standard input to standard error, indented; text that is
# not such JSON is shown in its first five lines.
print_rest_errors() {
    node -e '
        let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
            try { for (const e of [].concat(JSON.parse(text))) console.error("  " + (e.errorCode ?? "ERROR") + ": " + (e.message ?? JSON.stringify(e))); }
            catch { console.error(text.split("\n").slice(0, 5).map((l) => "  " + l).join("\n")); }
        });' >&2
}

# Prints one field of a JSON file (a dotted path such as result.SubscriberPackageVersionId, array indexes as numbers),
# or nothing when the file is not JSON or the field is missing or null. Never fails.
json_field() {
    node -e '
        const fs = require("fs");
        let value;
        try { value = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { process.exit(0); }
        for (const key of process.argv[2].split(".")) value = value == null ? undefined : value[key];
        if (value != null) process.stdout.write(typeof value === "object" ? JSON.stringify(value) : String(value));
    ' "$1" "$2" 2>/dev/null || true
}

# Points the Stage_Service Named Credential at URL, through the Connect REST API (works for source-deployed and
# installed metadata alike).
set_endpoint() {
    local org="$1" url="$2"
    STAGE_URL="$url" node -e '
        process.stdout.write(JSON.stringify({
            masterLabel: "Stage Service",
            type: "SecuredEndpoint",
            calloutUrl: process.env.STAGE_URL,
            externalCredentials: [{ developerName: process.argv[1] }],
            calloutOptions: { allowMergeFieldsInBody: false, allowMergeFieldsInHeader: false, generateAuthorizationHeader: false }
        }));' "$EXTERNAL_CREDENTIAL" |
        rest_json "$org" PUT "named-credentials/named-credential-setup/$NAMED_CREDENTIAL" ||
        die "Could not set the Named Credential URL. Set it by hand: Setup > Named Credentials > Stage Service > Edit > URL."
}

# Prints the Stage_Service Named Credential's URL in ORG (Connect REST, GET named-credential-setup). Returns 2 when the
# org has no such credential (the package is not installed yet), 1 when it could not be read (errors on stderr).
read_endpoint() {
    local org="$1" output errors status=0
    errors="$(mktemp)"
    output="$(sf api request rest "/services/data/v$API_VERSION/named-credentials/named-credential-setup/$NAMED_CREDENTIAL" \
        --method GET --target-org "$org" 2>"$errors")" || status=$?
    if [[ $status -eq 0 ]]; then
        rm -f "$errors"
        printf '%s' "$output" | node -e '
            let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
                try { process.stdout.write(String(JSON.parse(text).calloutUrl ?? "")); } catch { process.exit(1); }
            });'
        return
    fi
    if [[ "$output" == *NOT_FOUND* ]]; then
        rm -f "$errors"
        return 2
    fi
    { printf '%s' "$output"; cat "$errors"; } | print_rest_errors
    rm -f "$errors"
    return 1
}

# Stores STAGE_SERVICE_API_KEY as the ApiKey parameter of the Stage_Service_Key principal (encrypted by Salesforce).
# POST creates it; when it exists already (a re-run), PUT replaces it.
set_api_key() {
    local org="$1"
    require_api_key
    api_key_body() {
        node -e '
            process.stdout.write(JSON.stringify({
                externalCredential: process.argv[1],
                authenticationProtocol: "Custom",
                principalType: "NamedPrincipal",
                principalName: process.argv[2],
                credentials: { ApiKey: { value: process.env.STAGE_SERVICE_API_KEY, encrypted: true } }
            }));' "$EXTERNAL_CREDENTIAL" "$PRINCIPAL"
    }
    if api_key_body | rest_json "$org" POST "named-credentials/credential" 2>/dev/null; then
        return 0
    fi
    api_key_body | rest_json "$org" PUT "named-credentials/credential" ||
        die "Could not store the API key. Enter it by hand: Setup > Named Credentials > External Credentials > Stage Service > Principals > $PRINCIPAL > Edit > ApiKey."
}

# Assigns permission sets to the org's default (CLI) user.
assign_permission_sets() {
    local org="$1"
    shift
    local args=()
    for name in "$@"; do args+=(--name "$name"); done
    sf org assign permset "${args[@]}" --target-org "$org"
}

# Opens the setup page (the tab) in a browser, or prints its URL with --url-only.
open_setup_page() {
    local org="$1" mode="${2:-}"
    if [[ "$mode" == "--url-only" ]]; then
        sf org open --target-org "$org" --path "lightning/n/$TAB" --url-only
    else
        sf org open --target-org "$org" --path "lightning/n/$TAB"
    fi
}

# True when a package version creation's output (FILE) shows the Dev Hub refusing the permission set that grants the
# external credential principal: "Stage_AutoMap_Service_Access: invalid cross reference id" (forcedotcom/cli issues
# 2735 and 1781).
principal_access_refused() {
    grep -q 'Stage_AutoMap_Service_Access' "$1" && grep -qi 'cross reference' "$1"
}

# Says what the principal-access refusal means and how to release without that permission set.
print_principal_access_fallback() {
    cat >&2 <<'EOF'

The Dev Hub refused the permission set that grants the external credential principal (a known packaging problem,
forcedotcom/cli issues 1781 and 2735). Move force-app/main/default/permissionsets/Stage_AutoMap_Service_Access.*
out of the package directory (e.g. into an unpackaged folder listed under "unpackagedMetadata" in sfdx-project.json)
and follow "If the Service Access permission set is not in the package" in docs/install-into-an-org.md.
EOF
}
