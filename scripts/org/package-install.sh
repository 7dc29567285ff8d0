#!/usr/bin/env bash
# Installs a Stage AutoMap package version into an org and, when asked, configures it for the CLI's user.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/org/package-install.sh --package 04t... --target-org ORG [options]

Installs (or upgrades to) the package version (admins only) and waits for it. Then, for the org's CLI user: assigns
the Stage AutoMap Admin and Service Access permission sets (unless --no-assign), points the Named Credential at
--endpoint when given, and stores the API key from STAGE_SERVICE_API_KEY when it is set. Whatever is not done here is
printed as the remaining Setup steps (docs/install-into-an-org.md has them all).

Upgrades: installing a version over an earlier one puts the packaged placeholder URL back into the Named Credential.
The script reads the org's URL before installing and, without --endpoint, restores it afterwards. The API key on the
principal survives an upgrade and is left alone.

  --package ID         the package version id (04t...) or its alias from sfdx-project.json (required)
  --target-org ORG     alias or username of the org to install into (required)
  --endpoint URL       the stage service's base URL, without /v1 (wins over the URL the org had)
  --installation-key KEY   the version's installation key, if it has one
  --no-assign          do not assign permission sets to the CLI user
  --open               open the Stage AutoMap tab afterwards
  -h, --help           this text
EOF
}

# shellcheck source=scripts/org/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

package=""
org=""
endpoint=""
key_args=()
assign=true
open_page=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --package) package="${2:?--package needs an id}"; shift 2 ;;
        --target-org) org="${2:?--target-org needs a name}"; shift 2 ;;
        --endpoint) endpoint="${2:?--endpoint needs a URL}"; shift 2 ;;
        --installation-key) key_args=(--installation-key "${2:?--installation-key needs a value}"); shift 2 ;;
        --no-assign) assign=false; shift ;;
        --open) open_page=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "Unknown argument: $1" ;;
    esac
done
[[ -n "$package" && -n "$org" ]] || { usage >&2; die "--package and --target-org are required."; }
require_tools
[[ -z "$endpoint" ]] || endpoint="$(normalize_endpoint "$endpoint")"
cd "$ROOT"

# An upgrade overwrites the packaged Named Credential, URL included: note the org's URL first.
step "Reading the Stage Service Named Credential's URL before installing"
previous_url=""
read_status=0
previous_url="$(read_endpoint "$org")" || read_status=$?
case "$read_status" in
    0) echo "The org's URL: ${previous_url:-(none)}" ;;
    2) echo "No Stage Service Named Credential yet: a first install." ;;
    *) echo "warning: could not read the Named Credential (above); if this is an upgrade, check its URL afterwards." >&2 ;;
esac
[[ "$previous_url" == "$PLACEHOLDER_URL" ]] && previous_url=""

step "Installing $package into $org (admins only)"
sf package install --package "$package" --target-org "$org" --security-type AdminsOnly --wait 30 \
    --publish-wait 10 --no-prompt "${key_args[@]}"

remaining=()
if [[ "$assign" == true ]]; then
    step "Assigning Stage AutoMap Admin and Service Access to the CLI user"
    assign_permission_sets "$org" Stage_AutoMap_Admin Stage_AutoMap_Service_Access
else
    remaining+=("Assign Stage AutoMap Admin (or Read Only) and Stage AutoMap Service Access to each user.")
fi

if [[ -n "$endpoint" ]]; then
    step "Pointing the Stage Service Named Credential at $endpoint"
    [[ -z "$previous_url" || "$previous_url" == "$endpoint" ]] || echo "(it was $previous_url; --endpoint wins)"
    set_endpoint "$org" "$endpoint"
elif [[ -n "$previous_url" ]]; then
    step "Keeping the org's Named Credential URL ($previous_url)"
    current_url="$(read_endpoint "$org")" || current_url=""
    if [[ "$current_url" == "$previous_url" ]]; then
        echo "The upgrade left it unchanged."
    else
        echo "The upgrade reset it to ${current_url:-an unreadable value}; restoring $previous_url."
        set_endpoint "$org" "$previous_url"
    fi
else
    remaining+=("Setup > Named Credentials > Stage Service > Edit: set URL to the stage service's base URL.")
fi

if [[ -n "${STAGE_SERVICE_API_KEY:-}" ]]; then
    step "Storing the API key on the $PRINCIPAL principal"
    set_api_key "$org"
elif [[ $read_status -eq 0 ]]; then
    echo "The API key on the $PRINCIPAL principal survives an upgrade: left as it was."
else
    remaining+=("Setup > Named Credentials > External Credentials > Stage Service > Principals > $PRINCIPAL > Edit: enter ApiKey.")
fi

if [[ "$open_page" == true ]]; then
    open_setup_page "$org"
fi

echo
if [[ ${#remaining[@]} -eq 0 ]]; then
    echo "Installed and configured. Open the Stage AutoMap app or tab."
else
    echo "Installed. Still to do (docs/install-into-an-org.md):"
    for item in "${remaining[@]}"; do echo "  - $item"; done
fi
