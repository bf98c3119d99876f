#!/usr/bin/env bash
# `make demo`: onboard the example customers of playbooks/inventory/customers.yml
# (one inventory host per customer) against the bundled Acronis API simulator, the way you would against a real
# data center:
#
#   1. start the simulator on a free local port;
#   2. bootstrap an API client from the simulator's administrator login;
#   3. preview the onboarding with --check --diff (nothing exists yet);
#   4. apply it, the customers in parallel (one line per customer in the recap);
#   5. run it again: nothing changes for any customer;
#   6. read back what now exists, with the info modules;
#   7. stop the simulator (also when a step fails).
#
# After each run it reads the simulator's request log and prints how many
# requests, and how many writes, the run sent. Everything it writes goes to
# .demo/ (git-ignored). It expects `make venv` to have run (make demo does it).
#
# DEMO_LATENCY=SECONDS (default 0) delays every API request of the simulator
# by that much, as the network to a real data center would (e.g. 0.05);
# DEMO_CUSTOMERS=FILE onboards other customers; DEMO_ANSIBLE_ARGS adds options
# to every ansible-playbook command (e.g. -vvv); DEMO_WORK=DIR works in DIR
# instead of .demo/.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
venv_bin=${VENV_BIN:-$repo/.venv/bin}
# ANSIBLE_BIN=DIR runs the ansible commands from another installation (the ansible-core matrix of `make test`);
# the simulator and the helper scripts keep running from VENV_BIN.
ansible_bin=${ANSIBLE_BIN:-$venv_bin}
work=${DEMO_WORK:-$repo/.demo}
customers=${DEMO_CUSTOMERS:-playbooks/inventory/customers.yml}
latency=${DEMO_LATENCY:-0}
forks=${DEMO_FORKS:-5}
# shellcheck source=tests/utils/simulator.sh
. "$repo/tests/utils/simulator.sh"
trap simulator_stop EXIT
trap 'exit 130' INT TERM

# shellcheck source=demo/lib.sh
. "$repo/demo/lib.sh"

# --- the collection, where Ansible looks for it ------------------------------
# A link named ansible_collections/acronis/cyber_platform to this work tree, so
# the playbooks use the roles and modules as they are here.
rm -rf "$work"
mkdir -p "$work/collections/ansible_collections/acronis" "$work/tokens"
ln -s "$repo" "$work/collections/ansible_collections/acronis/cyber_platform"
export ANSIBLE_COLLECTIONS_PATH=$work/collections
# The bootstrap and the summary run on localhost; the onboarding on the
# customers' inventory (-i below).
export ANSIBLE_INVENTORY=$repo/playbooks/inventory/localhost.yml
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false
export ANSIBLE_STDOUT_CALLBACK=default
export ACRONIS_TOKEN_CACHE_DIR=$work/tokens
# Whatever ACRONIS_* connection the shell has must not leak into the demo.
unset ACRONIS_BASE_URL ACRONIS_CLIENT_ID ACRONIS_CLIENT_SECRET ACRONIS_LOGIN ACRONIS_PASSWORD

# --- 1. simulator --------------------------------------------------------------
step "1/7 Starting the Acronis API simulator on a free local port (latency ${latency} s a request)"
simulator_start "$work/simulator.json" "$work/simulator.log" "$venv_bin/python" -m tests.simulator --quiet \
    --latency "$latency"
simulator_started

# --- 2. API client -------------------------------------------------------------
step "2/7 Bootstrapping an API client from the administrator's login and password"
count_requests >/dev/null
ACRONIS_BASE_URL=$base_url ACRONIS_LOGIN=$(sim_field login) ACRONIS_PASSWORD=$(sim_field password) \
    playbook playbooks/bootstrap_api_client.yml -e "api_client_bootstrap_dest=$work/api_client.json"
report "the bootstrap"
creds=(-e "acronis_credentials_file=$work/api_client.json")

# --- 3. preview ----------------------------------------------------------------
onboard=(playbooks/onboard_customers.yml -i "$customers" --forks "$forks" "${creds[@]}")
hosts=$("$ansible_bin/ansible-inventory" -i "$customers" --list \
    | "$venv_bin/python" -c 'import json, sys; print(len(json.load(sys.stdin)["customers"]["hosts"]))')
step "3/7 Previewing the onboarding of $hosts customers (one inventory host each): --check --diff (nothing exists yet)"
playbook "${onboard[@]}" --check --diff
report "the --check run"
if [[ $writes != 0 ]]; then
    echo "demo: FAILED: the --check run sent $writes writes:" >&2
    cat "$work/last-writes.txt" >&2
    exit 1
fi

# --- 4. apply ------------------------------------------------------------------
step "4/7 Onboarding them for real, $forks in parallel (only the changed items are shown; the recap has a line per customer)"
ANSIBLE_DISPLAY_OK_HOSTS=false playbook "${onboard[@]}"
report "the first run"

# --- 5. again ------------------------------------------------------------------
step "5/7 Running the same playbook again: it must change nothing, for any customer"
ANSIBLE_DISPLAY_OK_HOSTS=false playbook "${onboard[@]}" | tee "$work/second-run.log"
report "the second run"
# One recap line per customer, each with changed=0 and failed=0.
unchanged=$(grep -Ec '^[^ ]+ +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$work/second-run.log" || true)
if [[ $unchanged != "$hosts" ]] || [[ $writes != 0 ]]; then
    echo "demo: FAILED: the second run changed something or sent writes ($unchanged of $hosts customers unchanged):" >&2
    cat "$work/last-writes.txt" >&2
    exit 1
fi

# --- 6. summary ----------------------------------------------------------------
step "6/7 What exists now, read back with the info modules"
ANSIBLE_DISPLAY_OK_HOSTS=true playbook playbooks/show_tenants.yml "${creds[@]}" \
    | "$venv_bin/python" -c '
import sys
# Print the summary lines alone, not the whole play output.
show = False
for line in sys.stdin:
    if "\"msg\": [" in line:
        show = True
        continue
    if show and line.strip() in ("]", "}"):
        show = False
    if show:
        print("  " + line.strip().rstrip(",").strip("\""))
'

step "7/7 Done"
cat <<EOF
The check run sent no write, the first run created everything, and the second
run reported changed=0 with no write. To run the same playbook against a real
data center, see "Pointing the onboarding playbook at a real data center" in
README.md. The simulator is stopped now; .demo/ holds its log and the API
client's credentials file.
EOF
