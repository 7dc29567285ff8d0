#!/usr/bin/env bash
# Proves in real Salesforce orgs what the offline checks cannot: deploy, Apex tests and coverage, permission sets, a
# callout through the Named Credential, package version creation and install. Prints a report; deletes its orgs.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/org/verify-in-org.sh --dev-hub ALIAS [options]

Runs, in order, and stops at the first failure:
  1. npm run build, then the offline checks (Apex parse, Apex semantic check, PMD, Apex contract, compiled LWC,
     platform and LWS lint, LWC references, convert source)
  2. a scratch org from config/project-scratch-def.json, and a deploy of force-app
  3. every local Apex test with code coverage; fails when a test fails or any non-test class is under 90%
  4. the Admin, Read Only and Service Access permission sets, assigned to the org's user
  5. with --endpoint: points the Named Credential at the URL, stores STAGE_SERVICE_API_KEY on the principal and
     reads Lead.Status through StageAutoMapController.getScopeState (anonymous Apex), printing the heap it used
  6. a package version of "Stage AutoMap" with --code-coverage (the package's tests run again in Salesforce)
  7. a second scratch org, and scripts/org/package-install.sh of that version into it
Then prints a report (each step passed, FAILED, skipped or not run; the package version id) and deletes both
scratch orgs, also after a failure or Ctrl-C, unless --keep.

  --dev-hub ALIAS       Dev Hub alias or username (required)
  --endpoint URL        a stage service Salesforce can reach (HTTPS, without /v1), for the smoke callout; needs the
                        service's API key in STAGE_SERVICE_API_KEY. Without it the smoke callout is skipped.
  --keep                keep both scratch orgs (the report says how to delete them)
  --create-package      create the unlocked package in the Dev Hub when it has none (writes packageAliases into
                        sfdx-project.json: commit that change)
  --days N              scratch org lifetime, 1-30 days (default: 1)
  --min-coverage N      lowest Apex coverage accepted per class, 0-100 (default: 90)
  --alias-prefix NAME   scratch org aliases are NAME-a and NAME-b (default: stage-automap-verify-<time>)
  --log-dir DIR         where each command's full output goes (default: a new temporary folder)
  -h, --help            this text

Exit status: 0 every step passed or was skipped, 1 a step failed, 2 wrong usage.
It takes 20-60 minutes, mostly package version creation. STAGE_AUTOMAP_VERIFY_SKIP_LOCAL=1 skips step 1 (for
trying the script's own flow with a stand-in Salesforce CLI; see scripts/test/verify-in-org.test.ts).

Example:
  STAGE_SERVICE_API_KEY=sk_live_... scripts/org/verify-in-org.sh --dev-hub devhub --endpoint https://stage.example.com
EOF
}

# shellcheck source=scripts/org/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage_error() {
    usage >&2
    echo "error: $*" >&2
    exit 2
}

dev_hub=""
endpoint=""
keep=false
create_package=false
days=1
min_coverage=90
alias_prefix="stage-automap-verify-$(date +%Y%m%d%H%M%S)"
log_dir=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dev-hub) dev_hub="${2:-}"; [[ -n "$dev_hub" ]] || usage_error "--dev-hub needs an alias"; shift 2 ;;
        --endpoint) endpoint="${2:-}"; [[ -n "$endpoint" ]] || usage_error "--endpoint needs a URL"; shift 2 ;;
        --keep) keep=true; shift ;;
        --create-package) create_package=true; shift ;;
        --days) days="${2:-}"; shift 2 || usage_error "--days needs a number" ;;
        --min-coverage) min_coverage="${2:-}"; shift 2 || usage_error "--min-coverage needs a number" ;;
        --alias-prefix) alias_prefix="${2:-}"; shift 2 || usage_error "--alias-prefix needs a name" ;;
        --log-dir) log_dir="${2:-}"; shift 2 || usage_error "--log-dir needs a folder" ;;
        -h | --help) usage; exit 0 ;;
        *) usage_error "Unknown argument: $1" ;;
    esac
done
[[ -n "$dev_hub" ]] || usage_error "--dev-hub is required."
[[ "$days" =~ ^[0-9]+$ && "$days" -ge 1 && "$days" -le 30 ]] || usage_error "--days must be 1 to 30."
[[ "$min_coverage" =~ ^[0-9]+$ && "$min_coverage" -le 100 ]] || usage_error "--min-coverage must be 0 to 100."
[[ "$alias_prefix" =~ ^[A-Za-z0-9_.-]+$ ]] || usage_error "--alias-prefix may hold letters, digits, '.', '_' and '-'."
if [[ -n "$endpoint" ]]; then
    endpoint="$(normalize_endpoint "$endpoint")" || exit 2
    [[ -n "${STAGE_SERVICE_API_KEY:-}" ]] || usage_error "--endpoint needs the service's API key in STAGE_SERVICE_API_KEY."
    (require_api_key) || exit 2
fi
require_tools
cd "$ROOT"
if [[ -z "$log_dir" ]]; then
    log_dir="$(mktemp -d "${TMPDIR:-/tmp}/stage-automap-verify.XXXXXX")"
else
    mkdir -p "$log_dir"
fi

# ---------------------------------------------------------------------------------------------------------------
# The report: one row per step, in the order they run.
# ---------------------------------------------------------------------------------------------------------------
readonly STEPS=(build offline org deploy tests permsets smoke version org2 install cleanup)
declare -A LABEL=(
    [build]="Build (npm run build)"
    [offline]="Offline checks"
    [org]="Scratch org"
    [deploy]="Deploy force-app"
    [tests]="Apex tests, >= $min_coverage% per class"
    [permsets]="Permission sets"
    [smoke]="Smoke callout"
    [version]="Package version (--code-coverage)"
    [org2]="Second scratch org"
    [install]="Install the version"
    [cleanup]="Delete the scratch orgs"
)
declare -A RESULT=()
declare -A DETAIL=()
failed_step=""
version_id=""
org_a="$alias_prefix-a"
org_b="$alias_prefix-b"
created_orgs=()

# A report row is one line: details lose their line breaks.
one_line() {
    local text="${1//$'\n'/ }"
    printf '%s' "${text//  / }"
}

passed() {
    RESULT[$1]="passed"
    DETAIL[$1]="$(one_line "${2:-}")"
    echo "    passed${2:+: $2}"
}

skipped() {
    RESULT[$1]="skipped"
    DETAIL[$1]="$(one_line "${2:-}")"
    echo "    skipped${2:+: $2}"
}

# Records the failure and ends the run (the EXIT trap cleans up and prints the report).
failed() {
    RESULT[$1]="FAILED"
    DETAIL[$1]="$(one_line "$2")"
    failed_step="$1"
    echo "    FAILED: $2" >&2
    exit 1
}

begin() {
    step "${LABEL[$1]}"
}

print_report() {
    echo
    echo "==> Report: Stage AutoMap in a real org (Dev Hub $dev_hub)"
    local key
    for key in "${STEPS[@]}"; do
        printf '  %-36s %-8s %s\n' "${LABEL[$key]}" "${RESULT[$key]:-not run}" "${DETAIL[$key]:-}"
    done
    echo
    echo "Package version: ${version_id:-none created}"
    if [[ -n "$version_id" ]]; then
        echo "Install link:    https://login.salesforce.com/packaging/installPackage.apexp?p0=$version_id"
    fi
    echo "Full CLI output: $log_dir"
    if [[ -n "$failed_step" ]]; then
        echo "VERIFY FAILED at \"${LABEL[$failed_step]}\": ${DETAIL[$failed_step]}"
    else
        echo "VERIFY PASSED"
    fi
}

# Deletes the scratch orgs this run created (unless --keep), then prints the report. Runs on every exit.
finish() {
    local status=$?
    trap - EXIT
    set +e
    if [[ ${#created_orgs[@]} -eq 0 ]]; then
        skipped cleanup "no scratch org was created" >/dev/null
    elif [[ "$keep" == true ]]; then
        local deletes=()
        for org in "${created_orgs[@]}"; do deletes+=("npx sf org delete scratch --target-org $org --no-prompt"); done
        skipped cleanup "--keep: kept ${created_orgs[*]}; delete with: $(IFS=';'; echo "${deletes[*]}")" >/dev/null
    else
        step "${LABEL[cleanup]}"
        local left=()
        for org in "${created_orgs[@]}"; do
            sf org delete scratch --target-org "$org" --no-prompt --json >"$log_dir/delete-$org.json" 2>&1 ||
                left+=("$org")
        done
        if [[ ${#left[@]} -eq 0 ]]; then
            passed cleanup "deleted ${created_orgs[*]}"
        else
            RESULT[cleanup]="FAILED"
            DETAIL[cleanup]="could not delete ${left[*]}: npx sf org delete scratch --target-org ${left[0]} --no-prompt"
            [[ -n "$failed_step" ]] || failed_step=cleanup
            [[ $status -ne 0 ]] || status=1
        fi
    fi
    print_report
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The message of a failed CLI command's --json output, or the first lines of what it printed.
cli_error() {
    local file="$1" message
    message="$(json_field "$file" message)"
    [[ -n "$message" ]] || message="$(head -c 400 "$file" | tr '\n' ' ')"
    printf '%s' "${message:-no output}"
}

# ---------------------------------------------------------------------------------------------------------------
# 1. Build and offline checks
# ---------------------------------------------------------------------------------------------------------------
if [[ "${STAGE_AUTOMAP_VERIFY_SKIP_LOCAL:-}" == 1 ]]; then
    skipped build "STAGE_AUTOMAP_VERIFY_SKIP_LOCAL=1"
    skipped offline "STAGE_AUTOMAP_VERIFY_SKIP_LOCAL=1"
else
    begin build
    npm run build 2>&1 | tee "$log_dir/build.log" || failed build "npm run build failed (see above)"
    passed build "LWC TypeScript compiled to JavaScript"

    begin offline
    checks_run=()
    for check in check-apex-parse check-apex-semantic check-apex-pmd check-apex-contract check-compiled-lwc \
        check-platform-lint check-lwc-references check-convert-source; do
        [[ -f "scripts/$check.ts" ]] || continue
        echo "--- $check"
        check_status=0
        "$ROOT/node_modules/.bin/tsx" "scripts/$check.ts" 2>&1 | tee "$log_dir/$check.log" || check_status=$?
        case "$check_status" in
            0) checks_run+=("${check#check-}") ;;
            77) checks_run+=("${check#check-} (skipped, see above)") ;; # 77: the check could not run here, and says why
            *) failed offline "$check failed (see above)" ;;
        esac
    done
    checks_text="$(printf '%s, ' "${checks_run[@]}")"
    passed offline "${checks_text%, }"
fi

# ---------------------------------------------------------------------------------------------------------------
# 2. Scratch org and deploy
# ---------------------------------------------------------------------------------------------------------------
# Creates a scratch org; registers it for deletion as soon as the Dev Hub says it exists.
create_scratch_org() {
    local key="$1" alias_name="$2" file="$log_dir/create-$2.json"
    begin "$key"
    if ! sf org create scratch --definition-file config/project-scratch-def.json --alias "$alias_name" \
        --duration-days "$days" --wait 20 --target-dev-hub "$dev_hub" --json >"$file" 2>&1; then
        [[ -z "$(json_field "$file" result.username)" ]] || created_orgs+=("$alias_name")
        failed "$key" "$(cli_error "$file")"
    fi
    created_orgs+=("$alias_name")
    passed "$key" "$alias_name ($(json_field "$file" result.username))"
}

create_scratch_org org "$org_a"

begin deploy
deploy_file="$log_dir/deploy.json"
if ! sf project deploy start --source-dir force-app --target-org "$org_a" --wait 30 --json >"$deploy_file" 2>&1; then
    # The components the org refused, with their problem (an Apex compile error names file and line).
    problems="$(node -e '
        const fs = require("fs");
        let out; try { out = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { process.exit(0); }
        const r = out.result ?? {};
        const failures = [].concat(r.details?.componentFailures ?? []);
        const lines = failures.length > 0
            ? failures.map((f) => f.componentType + " " + f.fullName + (f.lineNumber ? ":" + f.lineNumber : "") + ": " + f.problem)
            : (r.files ?? []).filter((f) => f.state === "Failed").map((f) => f.type + " " + f.fullName + ": " + f.error);
        process.stdout.write(lines.slice(0, 5).join("; "));
    ' "$deploy_file" 2>/dev/null || true)"
    failed deploy "${problems:-$(cli_error "$deploy_file")}"
fi
deployed="$(json_field "$deploy_file" result.numberComponentsDeployed)"
passed deploy "${deployed:+$deployed components}"

# ---------------------------------------------------------------------------------------------------------------
# 3. Apex tests and coverage per class
# ---------------------------------------------------------------------------------------------------------------
begin tests
tests_file="$log_dir/apex-tests.json"
# Every class that is not a test must appear in the coverage: one no test touches is missing from it, i.e. 0%.
classes=()
while IFS= read -r -d '' file; do
    grep -qiE '^[[:space:]]*@istest' "$file" || classes+=("$(basename "$file" .cls)")
done < <(find force-app -name '*.cls' -print0 | sort -z)
# Exit status 100 means failing tests; the JSON says which, so it is read either way.
sf apex run test --target-org "$org_a" --test-level RunLocalTests --code-coverage --result-format json \
    --wait 30 >"$tests_file" 2>"$log_dir/apex-tests.err" || true
mapfile -t verdict < <(node -e '
    const fs = require("fs");
    const [file, min, names] = process.argv.slice(1);
    let out;
    try { out = JSON.parse(fs.readFileSync(file, "utf8")); } catch {
        console.log("FAIL"); console.log("the CLI printed no test result (see apex-tests.err in the log folder)"); process.exit(0);
    }
    const r = out.result ?? {};
    if (!r.summary) { console.log("FAIL"); console.log(out.message ?? "no test summary"); process.exit(0); }
    const problems = (r.tests ?? []).filter((t) => t.Outcome !== "Pass")
        .map((t) => (t.FullName ?? t.MethodName) + ": " + (t.Message ?? t.Outcome));
    const coverage = new Map((r.coverage?.coverage ?? []).map((c) => [c.name, c]));
    const rows = [];
    for (const name of names.split(",").filter(Boolean)) {
        const c = coverage.get(name);
        const percent = c ? (c.totalLines > 0 ? Math.floor((100 * c.totalCovered) / c.totalLines) : 100) : 0;
        rows.push([name, percent]);
        if (percent < Number(min)) problems.push(name + " " + percent + "% covered" + (c ? " (" + c.totalCovered + "/" + c.totalLines + " lines)" : " (no test reaches it)") + ", under " + min + "%");
    }
    rows.sort((a, b) => a[1] - b[1]);
    const lowest = rows[0] ? "; lowest coverage " + rows[0][0] + " " + rows[0][1] + "%" : "";
    const ok = problems.length === 0 && r.summary.outcome === "Passed";
    console.log(ok ? "PASS" : "FAIL");
    console.log(r.summary.testsRan + " tests, " + r.summary.passing + " passed, " + r.summary.failing + " failed" + lowest);
    for (const p of problems) console.log(p);
' "$tests_file" "$min_coverage" "$(IFS=,; echo "${classes[*]}")")
for line in "${verdict[@]:2}"; do echo "    $line"; done
if [[ "${verdict[0]:-FAIL}" != PASS ]]; then
    problems_text="$(printf '%s; ' "${verdict[@]:2:3}")"
    [[ ${#verdict[@]} -le 5 ]] || problems_text+="and $((${#verdict[@]} - 5)) more; "
    failed tests "${verdict[1]:-no result}${problems_text:+: ${problems_text%; }}"
fi
passed tests "${verdict[1]}"

# ---------------------------------------------------------------------------------------------------------------
# 4. Permission sets
# ---------------------------------------------------------------------------------------------------------------
begin permsets
permsets=(Stage_AutoMap_Admin Stage_AutoMap_Read_Only Stage_AutoMap_Service_Access)
assign_permission_sets "$org_a" "${permsets[@]}" >"$log_dir/permsets.log" 2>&1 ||
    failed permsets "$(head -c 400 "$log_dir/permsets.log" | tr '\n' ' ')"
passed permsets "${permsets[*]}"

# ---------------------------------------------------------------------------------------------------------------
# 5. Smoke callout through the Named Credential
# ---------------------------------------------------------------------------------------------------------------
if [[ -z "$endpoint" ]]; then
    skipped smoke "no --endpoint given"
else
    begin smoke
    (set_endpoint "$org_a" "$endpoint") || failed smoke "could not set the Named Credential URL (above)"
    (set_api_key "$org_a") || failed smoke "could not store the API key on $PRINCIPAL (above)"
    smoke_apex="$log_dir/smoke.apex"
    cat >"$smoke_apex" <<'APEX'
// One read through the controller, as the page makes it; prints what came back and the heap it took. The heap is
// read before this script parses the text for its counts: the controller hands the text over unparsed.
String body = StageAutoMapController.getScopeState('Lead', 'Status');
Integer heapBytes = Limits.getHeapSize();
Map<String, Object> state = (Map<String, Object>) JSON.deserializeUntyped(body);
List<Object> stages = (List<Object>) state.get('stages');
List<Object> mappings = (List<Object>) state.get('mappings');
System.debug(
    LoggingLevel.ERROR,
    'STAGE_AUTOMAP_SMOKE ' +
    JSON.serialize(
        new Map<String, Object>{
            'family' => state.get('family'),
            'version' => state.get('version'),
            'stages' => stages == null ? -1 : stages.size(),
            'mappings' => mappings == null ? -1 : mappings.size(),
            'heapBytes' => heapBytes,
            'bodyChars' => body.length(),
            'heapLimitBytes' => Limits.getLimitHeapSize(),
            'callouts' => Limits.getCallouts()
        }
    )
);
APEX
    smoke_file="$log_dir/smoke.json"
    sf apex run --target-org "$org_a" --file "$smoke_apex" --json >"$smoke_file" 2>&1 || true
    smoke="$(node -e '
        const fs = require("fs");
        let out; try { out = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("FAIL|the CLI printed no JSON"); process.exit(0); }
        const r = out.result ?? out.data ?? {};
        if (out.status !== 0 || r.success !== true) {
            console.log("FAIL|" + (r.exceptionMessage || r.compileProblem || out.message || "anonymous Apex failed"));
            process.exit(0);
        }
        const found = /STAGE_AUTOMAP_SMOKE (\{.*\})/.exec(r.logs ?? "");
        if (!found) { console.log("FAIL|the debug log has no STAGE_AUTOMAP_SMOKE line"); process.exit(0); }
        const s = JSON.parse(found[1]);
        if (s.family !== "contact") { console.log("FAIL|Lead.Status came back with family " + s.family + ", not contact"); process.exit(0); }
        console.log("PASS|Lead.Status read: family contact, version " + s.version + ", " + s.stages + " stages, " +
            s.mappings + " mappings; heap " + s.heapBytes + " of " + s.heapLimitBytes + " bytes");
    ' "$smoke_file")"
    [[ "$smoke" == PASS\|* ]] || failed smoke "${smoke#*|}"
    passed smoke "${smoke#*|}"
fi

# ---------------------------------------------------------------------------------------------------------------
# 6. Package version with code coverage
# ---------------------------------------------------------------------------------------------------------------
begin version
list_file="$log_dir/package-list.json"
sf package list --target-dev-hub "$dev_hub" --json >"$list_file" 2>&1 ||
    failed version "could not list the Dev Hub's packages: $(cli_error "$list_file")"
# The Dev Hub's package id, and the id sfdx-project.json names (version create finds the package through it).
read -r package_id alias_id < <(node -e '
    const fs = require("fs");
    const read = (file) => { try { return JSON.parse(fs.readFileSync(file, "utf8")); } catch { return {}; } };
    const found = [].concat(read(process.argv[1]).result ?? []).find((p) => p.Name === process.argv[2]);
    console.log((found?.Id ?? "-") + " " + (read("sfdx-project.json").packageAliases?.[process.argv[2]] ?? "-"));
' "$list_file" "$PACKAGE_NAME" 2>/dev/null || echo "- -")
[[ "$package_id" != - ]] || package_id=""
if [[ -z "$package_id" ]]; then
    if [[ "$create_package" != true ]]; then
        failed version "the Dev Hub has no package \"$PACKAGE_NAME\": run scripts/org/package-create.sh --dev-hub $dev_hub once (it writes packageAliases into sfdx-project.json; commit that), or re-run with --create-package"
    fi
    echo "Creating the unlocked package \"$PACKAGE_NAME\" in $dev_hub"
    sf package create --name "$PACKAGE_NAME" --package-type Unlocked --path force-app --no-namespace \
        --target-dev-hub "$dev_hub" --json >"$log_dir/package-create.json" 2>&1 ||
        failed version "could not create the package: $(cli_error "$log_dir/package-create.json")"
    echo "Created; sfdx-project.json now names it under packageAliases: commit that change."
elif [[ "$alias_id" != "$package_id" ]]; then
    failed version "sfdx-project.json does not name the Dev Hub's package: add \"packageAliases\": { \"$PACKAGE_NAME\": \"$package_id\" }"
fi
version_file="$log_dir/package-version.json"
echo "Creating a version (the package's Apex tests run in Salesforce; 10-30 minutes)"
sf package version create --package "$PACKAGE_NAME" --installation-key-bypass --code-coverage --wait 60 \
    --target-dev-hub "$dev_hub" --json >"$version_file" 2>&1 || true
version_id="$(json_field "$version_file" result.SubscriberPackageVersionId)"
if [[ -z "$version_id" ]]; then
    if principal_access_refused "$version_file"; then
        print_principal_access_fallback
        failed version "the Dev Hub refused Stage_AutoMap_Service_Access, the permission set granting the credential principal (forcedotcom/cli#2735): move it out of the package and follow docs/install-into-an-org.md, \"If the Service Access permission set is not in the package\""
    fi
    status="$(json_field "$version_file" result.Status)"
    if [[ -n "$status" && "$status" != Error ]]; then
        failed version "not finished within 60 minutes (status $status): sf package version create report --package-create-request-id $(json_field "$version_file" result.Id) --target-dev-hub $dev_hub"
    fi
    errors="$(json_field "$version_file" result.Error)"
    failed version "$(cli_error "$version_file")${errors:+ $errors}"
fi
passed version "$version_id"

# ---------------------------------------------------------------------------------------------------------------
# 7. Install into a second scratch org
# ---------------------------------------------------------------------------------------------------------------
create_scratch_org org2 "$org_b"

begin install
install_args=(--package "$version_id" --target-org "$org_b")
[[ -z "$endpoint" ]] || install_args+=(--endpoint "$endpoint")
"$ROOT/scripts/org/package-install.sh" "${install_args[@]}" 2>&1 | tee "$log_dir/install.log" ||
    failed install "scripts/org/package-install.sh ${install_args[*]} failed: $(grep -m1 -iE 'error' "$log_dir/install.log" || echo 'see above')"
passed install "$version_id installed into $org_b; permission sets assigned"
