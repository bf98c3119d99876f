#!/usr/bin/env bash
# `make release-test`: the collection as a Galaxy user gets it.
#
#   1. build the artifact with `ansible-galaxy collection build`;
#   2. check what it holds: the plugins, roles, playbooks and metadata users
#      need, only files git tracks (galaxy.yml's manifest directives are an
#      allow-list), and no credentials, token, log or state file nor any secret
#      of the work tree (tests/utils/check_artifact.py) - also when a demo and
#      the other stages of `make test` have left theirs in .demo/ and build/;
#      then the same for an artifact built from a fresh clone;
#   3. install it from the tarball into an empty collections path
#      (`ansible-galaxy collection install --offline -p DIR`);
#   4. against a fresh simulator, from a directory outside the work tree and
#      with only that collections path: bootstrap an API client with the
#      installed FQCN playbook acronis.cyber_platform.bootstrap_api_client,
#      onboard the example customers with acronis.cyber_platform.onboard_customers
#      (its inventory and variables file from the installed collection), run it
#      again (changed=0, no write), and list them with the installed tenants
#      inventory plugin.
#
# Everything goes to build/release/ (git-ignored).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
venv_bin=${VENV_BIN:-$(dirname "$(command -v ansible-galaxy)")}
out=$repo/build/release
# shellcheck source=tests/utils/simulator.sh
. "$repo/tests/utils/simulator.sh"
trap simulator_stop EXIT
trap 'exit 130' INT TERM

fail() {
    echo "release-test: FAILED: $*" >&2
    exit 1
}

rm -rf "$out"
mkdir -p "$out/collections" "$out/run" "$out/tokens"

echo "== 1. ansible-galaxy collection build"
"$venv_bin/ansible-galaxy" collection build --output-path "$out" "$repo"
version=$("$venv_bin/python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' "$repo/galaxy.yml")
tarball=$out/acronis-cyber_platform-$version.tar.gz
[[ -f $tarball ]] || fail "no $tarball"

echo "== 2. what the artifact holds"
tar -tzf "$tarball" | sed 's#^\./##; s#/$##' | sort >"$out/contents.txt"
for wanted in MANIFEST.json FILES.json README.md meta/runtime.yml meta/execution-environment.yml requirements.txt bindep.txt \
    plugins/inventory/tenants.py plugins/modules/acronis_tenant.py plugins/module_utils/client.py \
    plugins/action/acronis_tenant.py plugins/doc_fragments/connection.py \
    roles/tenant_onboarding/meta/argument_specs.yml roles/tenant_onboarding/tasks/main.yml \
    playbooks/onboard_customers.yml playbooks/inventory/localhost.yml playbooks/inventory/acronis_tenants.yml \
    playbooks/inventory/customers.yml extensions/awx/credential_type_inputs.yml extensions/awx/credential_type_injectors.yml \
    extensions/ee/execution-environment.yml docs/awx.md changelogs/changelog.yaml; do
    grep -qxF "$wanted" "$out/contents.txt" || fail "the artifact lacks $wanted"
done
# Everything git tracks under plugins/, roles/ and playbooks/ is what a user runs: the manifest's allow-list
# must not leave any of it out (a filter's documentation file, a role's template).
if git -C "$repo" rev-parse --verify -q HEAD >/dev/null; then
    while IFS= read -r tracked; do
        grep -qxF "$tracked" "$out/contents.txt" || fail "the artifact lacks $tracked (galaxy.yml's manifest leaves it out)"
    done < <(git -C "$repo" ls-files plugins roles playbooks | grep -v '/__pycache__/')
fi
"$venv_bin/python" "$repo/tests/utils/check_artifact.py" "$tarball" "$repo" \
    || fail "the artifact built from the work tree holds files it must not (above)"
if git -C "$repo" rev-parse --verify -q HEAD >/dev/null; then
    git clone -q --no-local "$repo" "$out/clone"
    mkdir -p "$out/clone-build"
    "$venv_bin/ansible-galaxy" collection build --output-path "$out/clone-build" "$out/clone" >/dev/null
    "$venv_bin/python" "$repo/tests/utils/check_artifact.py" "$out/clone-build/$(basename "$tarball")" "$out/clone" \
        || fail "the artifact built from a fresh clone holds files it must not (above)"
fi
echo "release-test: $(wc -l <"$out/contents.txt") paths, none of them development files"

echo "== 3. ansible-galaxy collection install --offline into an empty collections path"
"$venv_bin/ansible-galaxy" collection install --offline -p "$out/collections" "$tarball"
installed=$out/collections/ansible_collections/acronis/cyber_platform
[[ -f $installed/MANIFEST.json ]] || fail "nothing installed at $installed"

echo "== 4. the onboarding from the installed collection, against a fresh simulator"
cd "$repo"
simulator_start "$out/simulator.json" "$out/simulator.log" "$venv_bin/python" -m tests.simulator --quiet
sim() {
    "$venv_bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$out/simulator.json" "$1"
}
base_url=$(sim base_url)
sim_url=${base_url%/api/2}
# Writes the simulator logged since the last call (and empty the log).
writes() {
    "$venv_bin/python" - "$sim_url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1] + "/_sim/requests"
print(sum(1 for item in json.load(urllib.request.urlopen(url))["items"] if item["write"]))
urllib.request.urlopen(urllib.request.Request(url, method="DELETE"))
PY
}

# A Galaxy user's shell: outside the work tree, only the installed collection.
cd "$out/run"
unset ACRONIS_BASE_URL ACRONIS_CLIENT_ID ACRONIS_CLIENT_SECRET ACRONIS_LOGIN ACRONIS_PASSWORD
export ANSIBLE_COLLECTIONS_PATH=$out/collections ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export ACRONIS_TOKEN_CACHE_DIR=$out/tokens ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_DISPLAY_OK_HOSTS=false
"$venv_bin/ansible-galaxy" collection list acronis.cyber_platform | tee "$out/list.txt"
grep -qxF "# $out/collections/ansible_collections" "$out/list.txt" || fail "ansible-galaxy does not list the installed collection"
"$venv_bin/ansible-doc" -t inventory acronis.cyber_platform.tenants >/dev/null || fail "ansible-doc cannot read the installed inventory plugin"

playbook() {
    "$venv_bin/ansible-playbook" -i "$installed/playbooks/inventory/localhost.yml" "$@"
}
ACRONIS_BASE_URL=$base_url ACRONIS_LOGIN=$(sim login) ACRONIS_PASSWORD=$(sim password) \
    playbook acronis.cyber_platform.bootstrap_api_client -e "api_client_bootstrap_dest=$out/api_client.json"
creds=(-e "acronis_credentials_file=$out/api_client.json")
writes >/dev/null
customers_inventory=$installed/playbooks/inventory/customers.yml
onboard() {
    "$venv_bin/ansible-playbook" -i "$customers_inventory" --forks 5 acronis.cyber_platform.onboard_customers "${creds[@]}"
}
onboard
[[ $(writes) -gt 0 ]] || fail "the onboarding wrote nothing"
onboard | tee "$out/second-run.log"
second_writes=$(writes)
# The customers' tenant names, as the roles name them (tenant_onboarding_name, else the host name).
"$venv_bin/ansible-inventory" -i "$customers_inventory" --list | "$venv_bin/python" -c '
import json, sys
inventory = json.load(sys.stdin)
hostvars = inventory["_meta"]["hostvars"]
for host in inventory["customers"]["hosts"]:
    print(hostvars[host].get("tenant_onboarding_name", host))' >"$out/customer-names.txt"
customers=$(wc -l <"$out/customer-names.txt")
unchanged=$(grep -Ec '^[^ ]+ +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$out/second-run.log" || true)
if [[ $unchanged != "$customers" || $second_writes != 0 ]]; then
    fail "the second run changed something or sent $second_writes writes ($unchanged of $customers customers unchanged)"
fi

# The installed inventory plugin sees the customers the installed roles made.
printf 'plugin: acronis.cyber_platform.tenants\nkinds: [customer]\n' >"$out/tenants.acronis.yml"
export ACRONIS_BASE_URL=$base_url ACRONIS_CLIENT_ID ACRONIS_CLIENT_SECRET
ACRONIS_CLIENT_ID=$("$venv_bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["client_id"])' "$out/api_client.json")
ACRONIS_CLIENT_SECRET=$("$venv_bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["client_secret"])' "$out/api_client.json")
"$venv_bin/ansible-inventory" -i "$out/tenants.acronis.yml" --graph kind_customer | tee "$out/graph.txt"
# Hosts are named with a slug of the tenant's name (valid as a host pattern); the name is acronis_name.
"$venv_bin/ansible-inventory" -i "$out/tenants.acronis.yml" --list | "$venv_bin/python" -c '
import json, sys
inventory = json.load(sys.stdin)
hostvars = inventory["_meta"]["hostvars"]
for host in inventory.get("kind_customer", {}).get("hosts", []):
    name = hostvars[host]["acronis_name"]
    # (ansible-inventory --list shows a value from an inventory plugin as {"__ansible_unsafe": value}.)
    print(name.get("__ansible_unsafe") if isinstance(name, dict) else name)' >"$out/listed-names.txt"
while IFS= read -r customer; do
    grep -qxF -- "$customer" "$out/listed-names.txt" || fail "the inventory plugin does not list $customer"
done <"$out/customer-names.txt"
# A day-2 playbook of the installed collection over those hosts.
ANSIBLE_DISPLAY_OK_HOSTS=true "$venv_bin/ansible-playbook" -i "$out/tenants.acronis.yml" acronis.cyber_platform.customer_usage \
    | tee "$out/usage.log"
[[ $(grep -Ec '^.+ +: ok=2 +changed=0 +unreachable=0 +failed=0' "$out/usage.log") == "$customers" ]] \
    || fail "customer_usage did not run once per customer ($customers)"
violations=$("$venv_bin/python" -c 'import json, sys, urllib.request; print(len(json.load(urllib.request.urlopen(sys.argv[1] + "/_sim/violations"))["items"]))' "$sim_url")
[[ $violations == 0 ]] || fail "the simulator answered $violations responses that break the API specification (see $sim_url/_sim/violations)"
echo "release-test: passed (artifact $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB)"
