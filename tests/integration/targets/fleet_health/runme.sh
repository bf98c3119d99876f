#!/usr/bin/env bash
# The fleet_health playbook over the customers of the tenants inventory, against the simulator's connected world:
#
#   1. setup.yml: a partner with 3 customers of 2 machines each, agents installed with registration tokens, a plan
#      applied and run, b-srv-2's backup failing (an open alert), c-srv-2 without a plan;
#   2. the playbook, with fleet_health_fail_on_breach=true: the job fails, naming the breaches, after writing the
#      report; check_report.py reads the CSV and parses the HTML: exactly the failing machine, the unprotected
#      one and the alert;
#   3. with thresholds that allow them, the same job passes;
#   4. cleanup.yml removes the fleet (also when a step fails).
set -euo pipefail

config=$(cd ../.. && pwd)/integration_config.yml
python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}
field() {
    "$python" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$config" "$1"
}
work=$(mktemp -d)
trap 'ansible-playbook cleanup.yml -e "@$config" >/dev/null || true; rm -rf "$work"' EXIT

export ACRONIS_BASE_URL ACRONIS_CLIENT_ID ACRONIS_CLIENT_SECRET
ACRONIS_BASE_URL=$(field acronis_base_url)
ACRONIS_CLIENT_ID=$(field acronis_client_id)
ACRONIS_CLIENT_SECRET=$(field acronis_client_secret)
prefix=$(field resource_prefix)

echo "== 1. the fleet"
ansible-playbook setup.yml -e "@$config" -e "fleet_out=$work/partner_id"
cat >"$work/fleet.acronis.yml" <<YAML
plugin: acronis.cyber_platform.tenants
root_tenant_id: $(cat "$work/partner_id")
kinds: [customer]
YAML

echo "== 2. the report; the breaches fail the job"
status=0
ansible-playbook -i "$work/fleet.acronis.yml" acronis.cyber_platform.fleet_health \
    -e "fleet_health_dest_dir=$work/report" -e fleet_health_fail_on_breach=true >"$work/run.log" 2>&1 || status=$?
cat "$work/run.log"
[[ $status == 2 ]] || { echo "the job with breached thresholds ended with $status, expected 2" >&2; exit 1; }
grep -q "1 machines whose last backup failed (threshold 0)" "$work/run.log" \
    || { echo "the job's failure does not name the failed backup" >&2; exit 1; }
"$python" check_report.py "$work/report" "$prefix" breached

echo "== 3. thresholds that allow the findings: the job passes"
rm -rf "$work/report"
ansible-playbook -i "$work/fleet.acronis.yml" acronis.cyber_platform.fleet_health \
    -e "fleet_health_dest_dir=$work/report" -e fleet_health_fail_on_breach=true \
    -e '{"fleet_health_thresholds": {"unprotected": 1, "failed": 1, "alerts_error": 1, "stale": 0}}'
"$python" check_report.py "$work/report" "$prefix" allowed
