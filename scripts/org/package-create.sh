#!/usr/bin/env bash
# Creates the unlocked package "Stage AutoMap" in a Dev Hub (once per Dev Hub).
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/org/package-create.sh [--dev-hub NAME]

Creates the unlocked package "Stage AutoMap" (no namespace) for the force-app package directory. Run it once per
Dev Hub. The CLI writes the new package id (0Ho...) into sfdx-project.json under packageAliases: commit that change,
then create versions with scripts/org/package-version.sh.

  --dev-hub NAME     Dev Hub alias or username (default: the CLI's target-dev-hub setting)
  -h, --help         this text
EOF
}

# shellcheck source=scripts/org/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dev_hub=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dev-hub) dev_hub="${2:?--dev-hub needs a name}"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "Unknown argument: $1" ;;
    esac
done
require_tools
cd "$ROOT"
hub_args=()
[[ -n "$dev_hub" ]] && hub_args=(--target-dev-hub "$dev_hub")

step "Looking for an existing package named '$PACKAGE_NAME'"
existing="$(sf package list --json "${hub_args[@]}" | node -e '
    let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
        const found = (JSON.parse(text).result ?? []).find((p) => p.Name === process.argv[1]);
        process.stdout.write(found ? found.Id : "");
    });' "$PACKAGE_NAME")"
if [[ -n "$existing" ]]; then
    echo "The Dev Hub already has '$PACKAGE_NAME' ($existing). Make sure sfdx-project.json's packageAliases names it."
    exit 0
fi

step "Creating the unlocked package '$PACKAGE_NAME'"
sf package create --name "$PACKAGE_NAME" --package-type Unlocked --path force-app --no-namespace \
    --description "Auto-map Contact, Lead and Account status picklists to sales-engagement stages, one to one." \
    "${hub_args[@]}"
echo
echo "Created. sfdx-project.json now names the package under packageAliases: commit it."
