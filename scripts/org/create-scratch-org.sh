#!/usr/bin/env bash
# Creates a scratch org with Stage AutoMap deployed, permitted and connected to a stage service, then opens the page.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/org/create-scratch-org.sh --endpoint URL [options]

Creates a scratch org from config/project-scratch-def.json (needs a Dev Hub), builds and deploys force-app, assigns
the Stage AutoMap Admin, Read Only and Service Access permission sets to the org's user, points the Stage Service
Named Credential at URL, stores the API key on the Stage_Service_Key principal, and opens the Stage AutoMap tab.

  --endpoint URL     the stage service's base URL, without /v1 (required). Salesforce calls out from its own
                     servers: a service on localhost needs a public HTTPS tunnel or deployment.
  --api-key KEY      the stage service API key. Prefer the environment variable STAGE_SERVICE_API_KEY: a command-line
                     argument can show in process lists and shell history.
  --alias NAME       scratch org alias (default: stage-automap)
  --dev-hub NAME     Dev Hub alias or username (default: the CLI's target-dev-hub setting)
  --days N           scratch org lifetime in days, 1-30 (default: 7)
  --run-tests        run the package's Apex tests with code coverage after deploying
  --no-open          print the page's URL instead of opening a browser
  -h, --help         this text

Example:
  STAGE_SERVICE_API_KEY=sk_live_... scripts/org/create-scratch-org.sh --endpoint https://stage.example.com --dev-hub devhub
EOF
}

# shellcheck source=scripts/org/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

endpoint=""
alias_name="stage-automap"
dev_hub=""
days=7
run_tests=false
open_mode=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --endpoint) endpoint="${2:?--endpoint needs a URL}"; shift 2 ;;
        --api-key)
            echo "note: --api-key is visible to other processes; STAGE_SERVICE_API_KEY is safer." >&2
            export STAGE_SERVICE_API_KEY="${2:?--api-key needs a value}"; shift 2 ;;
        --alias) alias_name="${2:?--alias needs a name}"; shift 2 ;;
        --dev-hub) dev_hub="${2:?--dev-hub needs a name}"; shift 2 ;;
        --days) days="${2:?--days needs a number}"; shift 2 ;;
        --run-tests) run_tests=true; shift ;;
        --no-open) open_mode="--url-only"; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "Unknown argument: $1" ;;
    esac
done
[[ -n "$endpoint" ]] || { usage >&2; die "--endpoint is required."; }
[[ "$days" =~ ^[0-9]+$ && "$days" -ge 1 && "$days" -le 30 ]] || die "--days must be 1 to 30."
require_tools
endpoint="$(normalize_endpoint "$endpoint")"
require_api_key # fail before spending a scratch org

cd "$ROOT"
hub_args=()
[[ -n "$dev_hub" ]] && hub_args=(--target-dev-hub "$dev_hub")

step "Building the LWC bundles (TypeScript to JavaScript)"
npm run build

step "Creating scratch org '$alias_name' ($days days)"
sf org create scratch --definition-file config/project-scratch-def.json --alias "$alias_name" \
    --duration-days "$days" --set-default --wait 20 "${hub_args[@]}"

step "Deploying force-app"
sf project deploy start --source-dir force-app --target-org "$alias_name" --wait 30

step "Assigning the permission sets"
assign_permission_sets "$alias_name" Stage_AutoMap_Admin Stage_AutoMap_Read_Only Stage_AutoMap_Service_Access

step "Pointing the Stage Service Named Credential at $endpoint"
set_endpoint "$alias_name" "$endpoint"

step "Storing the API key on the $PRINCIPAL principal"
set_api_key "$alias_name"

if [[ "$run_tests" == true ]]; then
    step "Running the Apex tests with code coverage"
    sf apex run test --target-org "$alias_name" --test-level RunLocalTests --code-coverage \
        --result-format human --wait 30
fi

step "Opening the Stage AutoMap page"
open_setup_page "$alias_name" "$open_mode"
echo
echo "Done. Scratch org: $alias_name. Delete it with: npx sf org delete scratch --target-org $alias_name --no-prompt"
