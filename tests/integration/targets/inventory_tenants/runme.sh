#!/usr/bin/env bash
# The acronis.cyber_platform.tenants inventory plugin against the simulator,
# with a subtree of 1,000 tenants (tenants_test.py seeds it through the API):
#
#   1. ansible-inventory --list: every enabled tenant is a host with its fields,
#      grouped by kind, parent and pricing mode, plus the file's keyed_groups,
#      groups and compose; the simulator saw one token request and one request
#      per page (11 pages of 100), not one per tenant;
#   2. the inventory cache: a second run reads nothing from the API;
#   3. a day-2 playbook over an inventory group runs the modules with the
#      host variables;
#   4. the subtree is deleted again (also when a step fails).
#
# It reads the connection from tests/integration/integration_config.yml, which
# tests/utils/run_integration.sh writes (run it with make integration).
set -euo pipefail

config=$(cd ../.. && pwd)/integration_config.yml
if [[ ! -f $config ]]; then
    echo "runme.sh: no $config (run it with: make integration TARGET=inventory_tenants)" >&2
    exit 1
fi
python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}
helper() {
    "$python" tenants_test.py "$@"
}
work=$(mktemp -d)
trap 'helper cleanup "$config" "$work/seed.json" || true; rm -rf "$work"' EXIT

field() {
    "$python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$config" "$1"
}
export ACRONIS_BASE_URL ACRONIS_CLIENT_ID ACRONIS_CLIENT_SECRET
ACRONIS_BASE_URL=$(field acronis_base_url)
ACRONIS_CLIENT_ID=$(field acronis_client_id)
ACRONIS_CLIENT_SECRET=$(field acronis_client_secret)
# No token cache: each run issues its token, so the request count is exact.
export ACRONIS_TOKEN_CACHE=false

helper seed "$config" "$work/seed.json"
root_id=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["root"]["id"])' "$work/seed.json")
page_size=100

inventory() {  # inventory FILE CACHE: write an inventory source for the seeded subtree
    cat >"$1" <<YAML
plugin: acronis.cyber_platform.tenants
root_tenant_id: $root_id
page_size: $page_size
cache: $2
cache_plugin: ansible.builtin.jsonfile
cache_connection: $work/cache
keyed_groups:
  - key: acronis_depth | string
    prefix: depth
groups:
  production_customers: acronis_kind == 'customer' and acronis_pricing_mode == 'production'
compose:
  tenant_label: acronis_name ~ ' (' ~ acronis_kind ~ ')'
YAML
}

echo "== 1. ansible-inventory --list over 1,001 tenants, $page_size a page"
inventory "$work/tenants.acronis.yml" false
helper reset-log "$config"
ansible-inventory -i "$work/tenants.acronis.yml" --list >"$work/inventory.json"
helper requests "$config" "$work/log.json"
helper check "$work/seed.json" "$work/inventory.json" "$work/log.json" "$page_size"

echo "== 2. the inventory cache: the second run sends no request"
inventory "$work/cached.acronis.yml" true
ansible-inventory -i "$work/cached.acronis.yml" --list >"$work/cached-1.json"
helper reset-log "$config"
ansible-inventory -i "$work/cached.acronis.yml" --list >"$work/cached-2.json"
helper requests "$config" "$work/log-cached.json"
"$python" - "$work/log-cached.json" "$work/cached-1.json" "$work/cached-2.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
assert log == [], "a cached inventory sent %d requests: %s" % (len(log), log[:5])
first, second = (json.load(open(p)) for p in sys.argv[2:4])
assert first == second and len(first["_meta"]["hostvars"]) > 900, "the cached inventory differs from the one it cached"
print("cache: second run sent no request, same %d hosts" % len(second["_meta"]["hostvars"]))
PY

echo "== 3. a day-2 playbook over a group of the inventory"
# Production customers of folder 2, the first 200 of them (8 hosts): groups of
# the plugin intersected, and a name pattern.
folder_group="parent_$(field resource_prefix | tr -c 'A-Za-z0-9_\n' _)_folder_2"
limit="production_customers:&$folder_group:&~.*-customer-[01][0-9][0-9]$"
expected=$("$python" - "$work/inventory.json" "$folder_group" <<'PY'
import json, re, sys
inventory = json.load(open(sys.argv[1]))
hosts = set(inventory["production_customers"]["hosts"]) & set(inventory[sys.argv[2]]["hosts"])
print(len([h for h in hosts if re.match(r".*-customer-[01][0-9][0-9]$", h)]))
PY
)
ansible-playbook -i "$work/tenants.acronis.yml" day2.yml --limit "$limit" -e "expected_hosts=$expected"

violations=$("$python" -c 'import json, sys, urllib.request; print(len(json.load(urllib.request.urlopen(sys.argv[1] + "/_sim/violations"))["items"]))' "$(field acronis_sim_url)")
if [[ $violations != 0 ]]; then
    echo "the simulator answered $violations responses that break the API specification" >&2
    exit 1
fi
