#!/usr/bin/env bash
# `make lifecycle-demo`: the customers' life after onboarding, against the
# bundled Acronis API simulator, with the shipped playbooks and roles:
#
#   1. start the simulator on a free local port;
#   2. bootstrap an API client from the simulator's administrator login;
#   3. onboard the example customers of playbooks/inventory/customers.yml;
#   4. protect three of them (playbooks/protect_customers.yml with
#      playbooks/inventory/protect.yml): a registration token for each
#      customer's agents, written to a 0600 file and never printed, and the
#      plans, with no machine yet;
#   5. install two agents per customer with those token files, as the installer
#      would (the simulator's /_sim/agents/install); the next backup of one
#      machine, srv-globex-2, is set to fail (/_sim/protection);
#   6. protect them again: the plans go to the machines they choose (not to
#      kiosk-initech-1, which no plan chooses) and, where the inventory asks,
#      a first backup starts;
#   7. back up Globex's servers now and wait for the outcome of each machine
#      (acronis_protection_plan run: true, wait: true);
#   8. the fleet report (playbooks/fleet_health.yml over the customers of the
#      tenants inventory plugin): a CSV and an HTML page, and what they name;
#   9. stop the simulator (also when a step fails).
#
# After each run it prints how many requests, and how many writes, the
# simulator saw. Everything it writes goes to .demo-lifecycle/ (git-ignored).
# It expects `make venv` to have run (make lifecycle-demo does it).
#
# DEMO_LATENCY=SECONDS (default 0) delays every API request of the simulator
# by that much; DEMO_ANSIBLE_ARGS adds options to every ansible command (e.g.
# -vvv); DEMO_WORK=DIR works in DIR instead of .demo-lifecycle/.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
venv_bin=${VENV_BIN:-$repo/.venv/bin}
ansible_bin=${ANSIBLE_BIN:-$venv_bin}
work=${DEMO_WORK:-$repo/.demo-lifecycle}
latency=${DEMO_LATENCY:-0}
forks=${DEMO_FORKS:-5}
# How long each backup takes in the simulator's world, so that waiting for one is real.
backup_seconds=2
# shellcheck source=tests/utils/simulator.sh
. "$repo/tests/utils/simulator.sh"
trap simulator_stop EXIT
trap 'exit 130' INT TERM

# shellcheck source=demo/lib.sh
. "$repo/demo/lib.sh"

# --- the collection, where Ansible looks for it ------------------------------
rm -rf "$work"
mkdir -p "$work/collections/ansible_collections/acronis" "$work/tokens" "$work/agent-tokens" "$work/logs"
ln -s "$repo" "$work/collections/ansible_collections/acronis/cyber_platform"
export ANSIBLE_COLLECTIONS_PATH=$work/collections
export ANSIBLE_INVENTORY=$repo/playbooks/inventory/localhost.yml
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false
export ANSIBLE_DISPLAY_OK_HOSTS=false
export ANSIBLE_STDOUT_CALLBACK=default
export ACRONIS_TOKEN_CACHE_DIR=$work/tokens
# Whatever ACRONIS_* connection the shell has must not leak into the demo.
unset ACRONIS_BASE_URL ACRONIS_CLIENT_ID ACRONIS_CLIENT_SECRET ACRONIS_LOGIN ACRONIS_PASSWORD ACRONIS_CREDENTIALS_FILE

# --- 1. simulator --------------------------------------------------------------
step "1/9 Starting the Acronis API simulator on a free local port (latency ${latency} s a request)"
simulator_start "$work/simulator.json" "$work/simulator.log" "$venv_bin/python" -m tests.simulator --quiet \
    --latency "$latency"
simulator_started

# --- 2. API client -------------------------------------------------------------
step "2/9 Bootstrapping an API client from the administrator's login and password"
count_requests >/dev/null
ACRONIS_BASE_URL=$base_url ACRONIS_LOGIN=$(sim_field login) ACRONIS_PASSWORD=$(sim_field password) \
    playbook playbooks/bootstrap_api_client.yml -e "api_client_bootstrap_dest=$work/api_client.json"
report "the bootstrap"
creds=(-e "acronis_credentials_file=$work/api_client.json")

# --- 3. onboarding -------------------------------------------------------------
step "3/9 Onboarding the example customers (playbooks/inventory/customers.yml), $forks in parallel"
playbook playbooks/onboard_customers.yml -i playbooks/inventory/customers.yml --forks "$forks" "${creds[@]}"
report "the onboarding"

# --- 4. tokens and plans -------------------------------------------------------
# The example inventory writes the tokens beside itself; here they go to the work directory.
protect=(playbooks/protect_customers.yml -i playbooks/inventory/protect.yml --forks "$forks" "${creds[@]}"
    -e "customer_protection_token_file=$work/agent-tokens/{{ inventory_hostname }}.token")
step "4/9 Protecting Acme, Globex and Initech (playbooks/inventory/protect.yml): a registration token each, and the plans; no machine yet"
playbook "${protect[@]}" | tee "$work/logs/protect-1.log"
report "the first protection run"
for token_file in "$work/agent-tokens"/*.token; do
    if [[ $(stat -c %a "$token_file") != 600 ]] || ! [[ -s $token_file ]]; then
        echo "demo: FAILED: $token_file is empty or not mode 0600" >&2
        exit 1
    fi
done
stat -c '  %A %n' "$work/agent-tokens"/*.token

# --- 5. agents -----------------------------------------------------------------
step "5/9 Installing two agents per customer with its token file, as the installer does (/_sim/agents/install)"
"$venv_bin/python" - "$sim_url" "$work/agent-tokens" "$work/machines.json" "$backup_seconds" <<'PY'
import json, sys, urllib.request

sim, token_dir, machines_out, backup_seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
MACHINES = [  # (customer's inventory host, host name, OS family)
    ("acme", "srv-acme-1", "LINUX"), ("acme", "ws-acme-1", "WINDOWS"),
    ("globex", "srv-globex-1", "LINUX"), ("globex", "srv-globex-2", "LINUX"),
    ("initech", "srv-initech-1", "LINUX"), ("initech", "kiosk-initech-1", "WINDOWS"),
]
FAILING = "srv-globex-2"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(sim + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))


for customer, hostname, os_family in MACHINES:
    with open("%s/%s.token" % (token_dir, customer)) as handle:  # the token is read, never printed
        token = handle.read().strip()
    call("POST", "/_sim/agents/install", {"token": token, "hostname": hostname, "os_family": os_family})
    print("  %-8s %-16s %s agent registered" % (customer, hostname, os_family.capitalize()))
names = dict((r["id"], r["name"]) for r in call("GET", "/_sim/resources")["items"] if r.get("type") == "resource.machine")
with open(machines_out, "w") as handle:
    json.dump(names, handle)
failing_id = [i for i, name in names.items() if name == FAILING][0]
call("PUT", "/_sim/protection", {"run_seconds": backup_seconds, "outcome": "ok", "outcomes": {failing_id: "error"}})
print("Backups take %g s in the simulator; the next backup of %s fails." % (backup_seconds, FAILING))
PY
count_requests >/dev/null

# --- 6. plans applied ----------------------------------------------------------
step "6/9 Protecting them again: the plans go to the new machines, and a first backup starts where the inventory asks (not at Globex)"
playbook "${protect[@]}" | tee "$work/logs/protect-2.log"
report "the second protection run"
for token_file in "$work/agent-tokens"/*.token; do
    if grep -qF "$(cat "$token_file")" "$work"/logs/*.log; then
        echo "demo: FAILED: the token of $token_file was printed" >&2
        exit 1
    fi
done

# --- 7. run and wait -----------------------------------------------------------
# The customers as the tenants inventory plugin reads them from the API (no cache: the simulator is new each time).
cat >"$work/tenants.acronis.yml" <<YAML
plugin: acronis.cyber_platform.tenants
kinds: [customer]
data_centers:
  - name: simulator
    credentials_file: $work/api_client.json
YAML
step "7/9 Backing up Globex's servers now and waiting for each machine's outcome (acronis_protection_plan run: true, wait: true)"
ACRONIS_CREDENTIALS_FILE=$work/api_client.json "$ansible_bin/ansible" globex-corporation -i "$work/tenants.acronis.yml" \
    -m acronis.cyber_platform.acronis_protection_plan "${extra_args[@]}" \
    -a 'tenant_id={{ acronis_id }} name="Servers nightly" run=true wait=true wait_timeout=120 fail_on_backup_error=false' \
    >"$work/logs/run-and-wait.log"
"$venv_bin/python" - "$work/logs/run-and-wait.log" "$work/machines.json" <<'PY'
import json, sys

names = json.load(open(sys.argv[2]))
# The ad-hoc command's output: "HOST | CHANGED => {the task's result}".
text = open(sys.argv[1]).read()
start = text.find(" => ")
outcomes = json.JSONDecoder().raw_decode(text[start + 4:])[0].get("outcomes") or [] if start >= 0 else []
if len(outcomes) != 2:
    sys.exit("demo: FAILED: expected the outcomes of 2 backups of Globex, got %r" % (outcomes,))
for outcome in outcomes:
    print("  %-16s %s" % (names.get(outcome["resource_id"], outcome["resource_id"]), outcome["status"]))
PY
report "the backup and the wait"

# --- 8. fleet report -----------------------------------------------------------
step "8/9 The fleet report: playbooks/fleet_health.yml over the customers of the tenants inventory plugin"
playbook playbooks/fleet_health.yml -i "$work/tenants.acronis.yml" --forks "$forks" \
    -e "fleet_health_dest_dir=$work/report"
report "the fleet report"
"$venv_bin/python" - "$work/report/fleet_health.csv" <<'PY'
import csv, sys

rows = list(csv.DictReader(open(sys.argv[1], newline="")))
def total(key):
    return sum(int(row[key]) for row in rows)


print("%d customers, %d machines: %d whose last backup failed, %d without a plan, %d open error alerts"
      % (len(rows), total("machines"), total("failed"), total("unprotected"), total("alerts_error")))
for row in rows:
    found = ["%s: %s" % (what, row[key]) for key, what in (
        ("failed_machines", "last backup failed"), ("unprotected_machines", "no plan"),
        ("stale_machines", "no recent good backup"), ("open_alerts", "open alerts")) if row[key]]
    print("  %-20s %s machines  %s" % (row["customer"], row["machines"], "; ".join(found) or "healthy"))
# What this demo set up, and nothing else: the failed backup, the machine no plan chooses, the alert of the failure.
named = dict((key, "; ".join(row[key] for row in rows if row[key]))
             for key in ("failed_machines", "unprotected_machines", "stale_machines"))
expected = {"failed_machines": "srv-globex-2", "unprotected_machines": "kiosk-initech-1", "stale_machines": ""}
if named != expected or total("alerts_error") != 1 or total("alerts_critical") != 0:
    sys.exit("demo: FAILED: the report names %r and %d error alerts, expected %r and 1"
             % (named, total("alerts_error"), expected))
PY

step "9/9 Done"
cat <<EOF
The agents registered with tokens the playbook wrote to 0600 files and never
printed; the plans went to the machines they choose, one backup failed, and the
fleet report names it, with the machine no plan chooses and the open alert.
The CSV report: $work/report/fleet_health.csv
The HTML report (open it in a browser): $work/report/fleet_health.html
EOF
