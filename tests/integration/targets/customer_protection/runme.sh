#!/usr/bin/env bash
# The customer_protection role (playbooks/protect_customers.yml) over 3 customers, against the simulator:
#
#   1. setup.yml: customers a, b and c, empty (no token, plan or machine);
#   2. on that empty world: --check --diff sends no write and predicts exactly the changes of the real run (a token
#      and its file, the plan with no machine yet), and a re-run sends no write and changes nothing;
#   3. agents.yml: two agents per customer installed with the token read from the file the role wrote; b-srv-2's
#      next backup fails;
#   4. the same again: --check --diff with no write predicts the real run (the plan applied to both machines of each
#      customer, a first backup), verify.yml finds the plans on the machines and b-srv-2's backup failed, and a
#      re-run sends no write and changes nothing (no second backup);
#   5. the plans narrowed: a's to a-srv-1 in the group "Machines with agents" (by name and group), b's to its Linux
#      machines (b-srv-1 is Windows), c's to c-srv-1 but without revoking: check predicts the real run, which revokes
#      the plan from a-srv-2 and b-srv-1 only, c-srv-2 keeping it (verify_revoke.yml reads each machine's plans),
#      and a re-run sends no write; a plan naming a group the customer lacks fails it before any write;
#   6. cleanup.yml removes the customers (also when a step fails).
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
sim=$(field acronis_sim_url)
prefix=$(field resource_prefix)
parent=$(field acronis_tenant_id)
mkdir "$work/tokens"

# Group vars shared by the customers; each host is one customer, named by its host vars.
cat >"$work/customers.yml" <<YAML
customers:
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    customer_protection_parent_id: "$parent"
    customer_protection_token_file: "$work/tokens/{{ inventory_hostname }}.token"
    customer_protection_run: true
    customer_protection_revoke_unmatched: true
    customer_protection_plans:
      - name: Nightly
        machines: ['{{ inventory_hostname }}-srv-[0-9]+']
        backup:
          schedule:
            weekdays: [mon, tue, wed, thu, fri]
            at: ["23:30"]
          retention:
            daily: 14
  hosts:
    a: {customer_protection_name: "$prefix-a"}
    b: {customer_protection_name: "$prefix-b"}
    c: {customer_protection_name: "$prefix-c"}
YAML

# Empties the simulator's request log; writes prints how many writes it logged since.
forget_requests() { "$python" -c 'import sys, urllib.request as u; u.urlopen(u.Request(sys.argv[1] + "/_sim/requests", method="DELETE"))' "$sim"; }
writes() {
    "$python" -c 'import json, sys, urllib.request as u
items = json.load(u.urlopen(sys.argv[1] + "/_sim/requests"))["items"]
print(sum(1 for item in items if item["write"]))' "$sim"
}
inventory=$work/customers.yml
protect() { ansible-playbook -i "$inventory" acronis.cyber_platform.protect_customers "$@"; }

# The check run, the real run and the re-run of one step ($1 names it).
three_runs() {
    forget_requests
    protect --check --diff >"$work/$1-check.log" 2>&1 || { cat "$work/$1-check.log"; exit 1; }
    cat "$work/$1-check.log"
    [[ $(writes) == 0 ]] || { echo "$1: the check run sent $(writes) writes" >&2; exit 1; }
    protect --diff >"$work/$1-real.log" 2>&1 || { cat "$work/$1-real.log"; exit 1; }
    cat "$work/$1-real.log"
    "$python" changes.py same "$work/$1-check.log" "$work/$1-real.log"
    forget_requests
    protect >"$work/$1-again.log" 2>&1 || { cat "$work/$1-again.log"; exit 1; }
    [[ $(writes) == 0 ]] || { echo "$1: the re-run sent $(writes) writes" >&2; exit 1; }
    "$python" changes.py none "$work/$1-again.log"
}

echo "== 1. three empty customers"
ansible-playbook setup.yml -e "@$config"

echo "== 2. a token and a plan per customer, no machine yet"
three_runs empty
for host in a b c; do
    file=$work/tokens/$host.token
    [[ $(stat -c %a "$file") == 600 && -s $file ]] || { echo "token file $file: not 0600 or empty" >&2; exit 1; }
    ! grep -qF "$(cat "$file")" "$work"/*.log || { echo "the token of $host was printed" >&2; exit 1; }
done

echo "== 3. agents installed with the tokens"
ansible-playbook agents.yml -e "@$config" -e "token_dir=$work/tokens"

echo "== 4. the plans applied to the machines, a first backup"
three_runs machines
grep -qE "changed: \[b\] => \(item=Nightly\)" "$work/machines-real.log"
ansible-playbook verify.yml -e "@$config"

echo "== 5. the plans narrowed by name, OS and group: revoked where asked, kept where not"
cat >"$work/narrowed.yml" <<YAML
customers:
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    customer_protection_parent_id: "$parent"
    customer_protection_token_file: "$work/tokens/{{ inventory_hostname }}.token"
    customer_protection_run: true
    customer_protection_revoke_unmatched: true
  hosts:
    a:
      customer_protection_name: "$prefix-a"
      customer_protection_plans: [{name: Nightly, machines: [a-srv-1], groups: [machines WITH agents]}]
    b:
      customer_protection_name: "$prefix-b"
      customer_protection_plans: [{name: Nightly, os: [linux]}]
    c:
      customer_protection_name: "$prefix-c"
      customer_protection_revoke_unmatched: false
      customer_protection_plans: [{name: Nightly, machines: [c-srv-1]}]
YAML
inventory=$work/narrowed.yml
three_runs narrowed
grep -qE "changed: \[a\] => \(item=Nightly\)" "$work/narrowed-real.log"
! grep -qE "changed: \[c\]" "$work/narrowed-real.log" || { echo "c changed without revoking" >&2; exit 1; }
ansible-playbook verify_revoke.yml -e "@$config"

echo "== 5b. a plan naming a group the customer does not have"
sed -e 's/groups: \[machines WITH agents\]/groups: [Machines with agnets]/' "$work/narrowed.yml" >"$work/mistyped.yml"
inventory=$work/mistyped.yml
forget_requests
if protect --limit a >"$work/mistyped.log" 2>&1; then cat "$work/mistyped.log"; echo "a missing group passed" >&2; exit 1; fi
grep -qF "has no group Machines with agnets" "$work/mistyped.log" || { cat "$work/mistyped.log"; exit 1; }
[[ $(writes) == 0 ]] || { echo "the failed run sent $(writes) writes" >&2; exit 1; }
