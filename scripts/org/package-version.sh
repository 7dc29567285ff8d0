#!/usr/bin/env bash
# Builds and creates a version of the unlocked package, with code coverage; optionally promotes it.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/org/package-version.sh [--dev-hub NAME] [--installation-key KEY] [--promote]

Compiles the LWC bundles (npm run build), runs the offline Apex checks (parse, semantic, PMD, contract), then creates a new
version of "Stage AutoMap" from force-app with code coverage computed (the package's Apex tests run in Salesforce;
sfdx-project.json's apexTestAccess grants them the Stage_AutoMap_Admin permission set). Prints the version's
04t id and install URL.

  --dev-hub NAME           Dev Hub alias or username (default: the CLI's target-dev-hub setting)
  --installation-key KEY   protect the version with a key (default: no key, --installation-key-bypass)
  --promote                promote the version to released (needs 75% Apex coverage; cannot be undone)
  -h, --help               this text
EOF
}

# shellcheck source=scripts/org/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dev_hub=""
key_args=(--installation-key-bypass)
promote=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dev-hub) dev_hub="${2:?--dev-hub needs a name}"; shift 2 ;;
        --installation-key) key_args=(--installation-key "${2:?--installation-key needs a value}"); shift 2 ;;
        --promote) promote=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "Unknown argument: $1" ;;
    esac
done
require_tools
cd "$ROOT"
hub_args=()
[[ -n "$dev_hub" ]] && hub_args=(--target-dev-hub "$dev_hub")

step "Building the LWC bundles"
npm run build

step "Offline Apex checks"
npx tsx scripts/check-apex-parse.ts
npx tsx scripts/check-apex-semantic.ts || [[ $? -eq 77 ]] # 77: skipped (no Java 21+); the check says so itself
npx tsx scripts/check-apex-pmd.ts
npx tsx scripts/check-apex-contract.ts

step "Creating a package version (this runs the Apex tests in Salesforce; it can take 10-30 minutes)"
result_file="$(mktemp)"
trap 'rm -f "$result_file"' EXIT
status=0
sf package version create --package "$PACKAGE_NAME" "${key_args[@]}" --code-coverage --wait 60 --json \
    "${hub_args[@]}" >"$result_file" || status=$?

version_id="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    process.stdout.write(r.result?.SubscriberPackageVersionId ?? "");' "$result_file" 2>/dev/null || true)"
if [[ $status -ne 0 || -z "$version_id" ]]; then
    node -e '
        const text = require("fs").readFileSync(process.argv[1], "utf8");
        try { const r = JSON.parse(text); console.error(r.message ?? r.result?.Error?.join("\n") ?? text); }
        catch { console.error(text); }' "$result_file" >&2
    if principal_access_refused "$result_file"; then
        print_principal_access_fallback
    fi
    die "Package version creation failed."
fi

echo "Package version: $version_id"
if [[ "$promote" == true ]]; then
    step "Promoting $version_id"
    sf package version promote --package "$version_id" --no-prompt "${hub_args[@]}"
fi
echo
echo "Install with:  scripts/org/package-install.sh --package $version_id --target-org <org>"
echo "or open:       https://login.salesforce.com/packaging/installPackage.apexp?p0=$version_id"
echo "(sandboxes:    https://test.salesforce.com/packaging/installPackage.apexp?p0=$version_id)"
