#!/usr/bin/env bash
# The round trip: adopting an existing fleet as code (acronis_inventory_export, playbooks/export_inventory.yml,
# playbooks/drift_report.yml and the acronis.cyber_platform.drift callback) against the simulator:
#
#   1. the world: a root partner (setup.yml), then 2 partners, 30 customers and 4 units under it onboarded by
#      onboard_partner.yml from an inventory (roundtrip_test.py world);
#   2. the export: in check mode it writes no file and reports a change; for real it writes the inventory in
#      3 API requests (tenants with their items, users with their roles, the branded partner's brand), no write,
#      and describes the world it was onboarded from, every host in the group of the simulator's data center
#      (acronis_base_url); a second export changes nothing;
#   3. the onboarding of the exported inventory: changed=0 for every host and 0 writes in the simulator's log;
#   4. a hand-made change through the API (one customer's contact e-mail): the drift report (drift_report.yml
#      with the drift callback) names that customer alone, with the field, and sends no write;
#   5. a subset merged into a hand-written file: one partner's hosts, the hand-written host name and variable kept;
#   6. the world is deleted again (also when a step fails).
set -euo pipefail

config=$(cd ../.. && pwd)/integration_config.yml
python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}
helper() {
    "$python" roundtrip_test.py "$@"
}
field() {
    "$python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$config" "$1"
}
work=$(mktemp -d)
root_id=
trap 'if [[ -n $root_id ]]; then helper cleanup "$config" "$root_id" || true; fi; rm -rf "$work"' EXIT

export ACRONIS_BASE_URL ACRONIS_CLIENT_ID ACRONIS_CLIENT_SECRET ACRONIS_TOKEN_CACHE_DIR
ACRONIS_BASE_URL=$(field acronis_base_url)
ACRONIS_CLIENT_ID=$(field acronis_client_id)
ACRONIS_CLIENT_SECRET=$(field acronis_client_secret)
ACRONIS_TOKEN_CACHE_DIR=$work/tokens
prefix=$(field resource_prefix)
# Every host of a recap line with changed=0, failed=0 and unreachable=0, and at least one such line.
converged() {
    grep -qE '^[^ ].*: ok=' "$1" && ! grep -E '^[^ ].*: ok=' "$1" | grep -qE 'changed=[1-9]|failed=[1-9]|unreachable=[1-9]'
}

echo "== 1. the world: 2 partners, 30 customers and 4 units, onboarded from an inventory"
ansible-playbook setup.yml -e "@$config" -e "root_out=$work/root_id"
root_id=$(cat "$work/root_id")
helper world "$config" "$root_id" "$work/world.yml"
ansible-playbook -i "$work/world.yml" acronis.cyber_platform.onboard_partner --forks 10 >"$work/world.log" 2>&1 \
    || { cat "$work/world.log"; exit 1; }
echo "$(grep -cE '^[^ ].*: ok=' "$work/world.log") hosts onboarded"

echo "== 2. the export"
export_inventory() {
    # On the implicit localhost (no inventory), with the Python that runs Ansible.
    ansible-playbook acronis.cyber_platform.export_inventory -e "export_inventory_root_tenant_id=$root_id" "$@"
}
helper reset-log "$config"
export_inventory -e "export_inventory_dest=$work/fleet.yml" --check --diff >"$work/export-check.log"
grep -q 'changed=1' "$work/export-check.log" || { cat "$work/export-check.log"; echo "check mode did not report a change" >&2; exit 1; }
grep -q "^+  children:" "$work/export-check.log" || { echo "the check run showed no diff of the file" >&2; exit 1; }
[[ ! -e $work/fleet.yml ]] || { echo "check mode wrote $work/fleet.yml" >&2; exit 1; }
helper reset-log "$config"
export_inventory -e "export_inventory_dest=$work/fleet.yml" >"$work/export.log"
grep -q '2 partners, 30 customers and 4 units' "$work/export.log" || { cat "$work/export.log"; exit 1; }
helper api-requests "$config" 3
helper writes "$config" 0
helper exported "$work/fleet.yml" "$work/world.yml" "$config"
export_inventory -e "export_inventory_dest=$work/fleet.yml" >"$work/export-again.log"
grep -qE 'localhost +: ok=2 +changed=0' "$work/export-again.log" || { cat "$work/export-again.log"; echo "a second export changed the file" >&2; exit 1; }

echo "== 3. the onboarding of the exported inventory changes nothing"
helper reset-log "$config"
ansible-playbook -i "$work/fleet.yml" acronis.cyber_platform.onboard_partner --forks 10 >"$work/roundtrip.log" 2>&1 \
    || { cat "$work/roundtrip.log"; exit 1; }
converged "$work/roundtrip.log" || { cat "$work/roundtrip.log"; echo "the onboarding of the export changed something" >&2; exit 1; }
helper writes "$config" 0

echo "== 4. a hand-made change shows in the drift report, for that customer alone"
helper change "$config" "$root_id" "$prefix Customer B07"
helper reset-log "$config"
ANSIBLE_CALLBACKS_ENABLED=acronis.cyber_platform.drift ACRONIS_DRIFT_REPORT_DIR="$work/drift" \
    ansible-playbook -i "$work/fleet.yml" acronis.cyber_platform.drift_report --forks 10 >"$work/drift.log" 2>&1 \
    || { cat "$work/drift.log"; exit 1; }
helper writes "$config" 0
customer_b07=$(echo "$prefix-customer-b07" | tr '[:upper:]' '[:lower:]')
helper drift "$work/drift/drift.csv" "$customer_b07"
grep -q "36 hosts: 35 in sync, 1 with drift, 0 failed, 0 unreachable." "$work/drift/drift.md" \
    || { cat "$work/drift/drift.md"; exit 1; }
grep -q "^| $customer_b07 | $prefix Customer B07 | .*contact.email \`changed-by-hand@example.test\` -> \`it@$customer_b07.example\`" \
    "$work/drift/drift.md" || { cat "$work/drift/drift.md"; exit 1; }

echo "== 5. one partner, merged into a hand-written inventory"
cat >"$work/hand.yml" <<YAML
all:
  children:
    customers:
      hosts:
        b-one:
          tenant_onboarding_name: $prefix customer b01
          tenant_onboarding_customer_id: stale
          my_own_variable: kept
YAML
export_inventory -e "export_inventory_dest=$work/hand.yml" -e "export_inventory_partner='$prefix Partner B'" >"$work/merge.log"
helper merged "$work/hand.yml" "$prefix"
