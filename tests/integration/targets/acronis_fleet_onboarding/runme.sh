#!/usr/bin/env bash
# The fleet path (acronis_fleet_onboarding, playbooks/onboard_fleet.yml) against the per-host path
# (playbooks/onboard_partner.yml), from one inventory (fleet_test.py world: 2 partners, one with a brand and one
# with a password-activated administrator, 5 customers, 2 units, administrators with roles, items with quotas)
# under a root partner this target makes (setup.yml) and deletes at the end, also when a step fails:
#
#   1. the per-host path onboards the inventory; the world read from the simulator is the one described;
#      then the world is deleted (the root stays, so the inventory is the same file for both paths);
#   2. the fleet path on the empty world: --check --diff sends no write, shows diffs headed by host names and
#      no password or client secret; the apply changes what the check predicted, host by host, and ends in the
#      per-host path's world (fleet_test.py same: the fields it lists, ids and timestamps aside); a second
#      apply changes no host and sends no write;
#   3. on the empty world again, another client takes customer B2's administrator login just before our create:
#      the task fails, B2 alone is in failed_hosts and in the summary, every other tenant is onboarded;
#   4. the login given back and customer A3 deleted, --limit A3,B2 (their partners not in the run, found by
#      name) is predicted by --check and onboards both; a full run then changes nothing, sends no write, and the
#      world is the per-host path's again.
set -euo pipefail

config=$(cd ../.. && pwd)/integration_config.yml
python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}
helper() {
    "$python" fleet_test.py "$@"
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
slug=$(echo "$prefix" | tr '[:upper:]' '[:lower:]')
hosts=("$slug-partner-a" "$slug-partner-b" "$slug-customer-a1" "$slug-customer-a1-unit" "$slug-customer-a2"
       "$slug-customer-a3" "$slug-customer-b1" "$slug-customer-b1-unit" "$slug-customer-b2")
# The fleet task's result goes to $FLEET_RESULT (callback_plugins/fleet_result.py).
export ANSIBLE_CALLBACK_PLUGINS=$PWD/callback_plugins ANSIBLE_CALLBACKS_ENABLED=fleet_result
# fleet RESULT LOG [ansible-playbook options]: the fleet path on the inventory; its status is the playbook's.
fleet() {
    local result=$1 log=$2
    shift 2
    FLEET_RESULT=$work/$result ansible-playbook -i "$work/inventory.yml" acronis.cyber_platform.onboard_fleet "$@" \
        >"$work/$log" 2>&1
}
fails() {
    cat "$work/$1"
    echo "$2" >&2
    exit 1
}

echo "== 1. the per-host path"
ansible-playbook setup.yml -e "@$config" -e "root_out=$work/root_id" >"$work/setup.log" || fails setup.log "setup failed"
root_id=$(cat "$work/root_id")
helper world "$config" "$root_id" "$work/inventory.yml"
ansible-playbook -i "$work/inventory.yml" acronis.cyber_platform.onboard_partner --forks 10 >"$work/per-host.log" 2>&1 \
    || fails per-host.log "the per-host path failed"
helper snapshot "$config" "$root_id" "$work/per-host.json"
helper described "$work/per-host.json" "$prefix"
helper clear "$config" "$root_id"

echo "== 2. the fleet path: check mode, apply, no-op"
helper reset-log "$config"
fleet check.json check.log --check --diff || fails check.log "the fleet path's check run failed"
helper writes "$config" 0
for host in "${hosts[@]}"; do
    if ! grep -qxF -- "--- before: $host: tenant" "$work/check.log" || ! grep -qxF -- "+++ after: $host: tenant" "$work/check.log"; then
        fails check.log "no diff of $host's tenant headed by its host name"
    fi
done
! grep -E '^(---|\+\+\+) ' "$work/check.log" | grep -vqE "^(--- before|\+\+\+ after): $slug-(partner|customer)-[a-z0-9-]+: " \
    || fails check.log "a diff not headed by a host name"
! grep -qF -e "$(helper password)" -e "$ACRONIS_CLIENT_SECRET" "$work/check.log" \
    || fails check.log "the check run showed a password or the client secret"
helper results "$work/check.json" 9 "${hosts[@]}"
fleet apply.json apply.log || fails apply.log "the fleet path's apply failed"
helper same-changes "$work/check.json" "$work/apply.json"
helper snapshot "$config" "$root_id" "$work/fleet.json"
helper same "$work/per-host.json" "$work/fleet.json"
helper reset-log "$config"
fleet again.json again.log || fails again.log "the fleet path's second apply failed"
helper results "$work/again.json" 9
helper writes "$config" 0

echo "== 3. a customer whose administrator's login another client takes"
helper clear "$config" "$root_id"
helper take-login "$config" "$root_id" "$slug-customer-b2-admin"
! fleet taken.json taken.log || fails taken.log "the task did not fail"
helper results "$work/taken.json" 9 "${hosts[@]:0:8}" -- "$slug-customer-b2"
grep -qF "failed: $slug-customer-b2: administrator $slug-customer-b2-admin: login '$slug-customer-b2-admin' is already taken" \
    "$work/taken.log" || fails taken.log "the summary shown does not name customer B2 and its login"
helper snapshot "$config" "$root_id" "$work/taken-world.json"
helper same "$work/per-host.json" "$work/taken-world.json" "$slug-customer-b2-admin"

echo "== 4. fixed, and --limit two customers whose partners are not in the run"
helper give-back-login "$config" "$slug-customer-b2-admin"
helper clear "$config" "$root_id" "$prefix Customer A3"
helper reset-log "$config"
fleet limit-check.json limit-check.log --check --limit "$slug-customer-a3,$slug-customer-b2" \
    || fails limit-check.log "the check run with --limit failed"
helper writes "$config" 0
fleet limit.json limit.log --limit "$slug-customer-a3,$slug-customer-b2" || fails limit.log "the run with --limit failed"
helper results "$work/limit.json" 2 "$slug-customer-a3" "$slug-customer-b2"
helper same-changes "$work/limit-check.json" "$work/limit.json"
helper reset-log "$config"
fleet final.json final.log || fails final.log "the full run after the fix failed"
helper results "$work/final.json" 9
helper writes "$config" 0
helper snapshot "$config" "$root_id" "$work/final-world.json"
helper same "$work/per-host.json" "$work/final-world.json"
