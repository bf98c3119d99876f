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
#   4. host names are host patterns: "Contoso Ltd" is host contoso-ltd for
#      ansible-inventory --host and --limit (the offboarding role, previewed on
#      it, finds the tenant by its acronis_name), and the two customers whose
#      names give one slug are told apart by the start of their ids;
#   5. the subtree is deleted again (also when a step fails).
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

echo "== 1. ansible-inventory --list over 1,004 tenants, $page_size a page"
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

echo "== 4. host names are host patterns: ansible-inventory --host and --limit with a slug"
# The seed's own ids (not the plugin's) name the hosts of the two customers whose names give one slug.
seed_id() {
    "$python" -c 'import json, sys; print([t["id"] for t in json.load(open(sys.argv[1]))["tenants"] if t["name"] == sys.argv[2]][0])' "$work/seed.json" "$1"
}
contoso=$(seed_id "Contoso Ltd")
northwind_1=$(seed_id "Northwind Traders")
northwind_2=$(seed_id "Northwind traders.")
host_var() {  # host_var HOST VARIABLE: the variable of the host, from ansible-inventory --host
    ansible-inventory -i "$work/tenants.acronis.yml" --host "$1" \
        | "$python" -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]; print(v.get("__ansible_unsafe", v) if isinstance(v, dict) else v)' "$2"
}
[[ $(host_var contoso-ltd acronis_name) == "Contoso Ltd" ]] || { echo "host contoso-ltd is not tenant Contoso Ltd" >&2; exit 1; }
[[ $(host_var contoso-ltd acronis_id) == "$contoso" ]] || { echo "host contoso-ltd has not the id of Contoso Ltd" >&2; exit 1; }
[[ $(host_var "northwind-traders-${northwind_1:0:8}" acronis_id) == "$northwind_1" ]] \
    || { echo "host northwind-traders-${northwind_1:0:8} is not tenant Northwind Traders" >&2; exit 1; }
[[ $(host_var "northwind-traders-${northwind_2:0:8}" acronis_name) == "Northwind traders." ]] \
    || { echo "host northwind-traders-${northwind_2:0:8} is not tenant 'Northwind traders.'" >&2; exit 1; }
if ansible-inventory -i "$work/tenants.acronis.yml" --host northwind-traders >/dev/null 2>&1; then
    echo "two tenants whose names give one slug must not share host northwind-traders" >&2
    exit 1
fi
echo "ansible-inventory --host: contoso-ltd, northwind-traders-${northwind_1:0:8}, northwind-traders-${northwind_2:0:8}"
ansible-playbook -i "$work/tenants.acronis.yml" host_pattern.yml --check --limit contoso-ltd \
    -e expected_host=contoso-ltd -e "expected_name='Contoso Ltd'"

violations=$("$python" -c 'import json, sys, urllib.request; print(len(json.load(urllib.request.urlopen(sys.argv[1] + "/_sim/violations"))["items"]))' "$(field acronis_sim_url)")
if [[ $violations != 0 ]]; then
    echo "the simulator answered $violations responses that break the API specification" >&2
    exit 1
fi
