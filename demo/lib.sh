# shellcheck shell=bash
# The sourcing script sets work, venv_bin and ansible_bin (see below).
# shellcheck disable=SC2154
# What the demos (demo/run_demo.sh, demo/run_lifecycle_demo.sh) share. Source it after setting repo, work,
# venv_bin and ansible_bin; call simulator_started (after simulator_start) before the helpers that read the
# simulator:
#
#   step TEXT           a heading of the demo's output
#   sim_field NAME      a field of the simulator's credentials file ($work/simulator.json)
#   simulator_started   sets base_url and sim_url from that file, and says where the simulator is
#   count_requests      "REQUESTS WRITES" the simulator logged since the last call (the writes' method and path in
#                       $work/last-writes.txt); empties the log
#   report LABEL        prints what the simulator saw during a step; sets requests and writes
#   playbook ARGS...    ansible-playbook from $ansible_bin, with DEMO_ANSIBLE_ARGS added

step() {
    printf '\n\033[1m==> %s\033[0m\n' "$*"
}

sim_field() {
    "$venv_bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/simulator.json" "$1"
}

simulator_started() {
    base_url=$(sim_field base_url)
    sim_url=${base_url%/api/2}
    echo "Simulator at $base_url (its request log: $sim_url/_sim/requests)"
}

count_requests() {
    "$venv_bin/python" - "$sim_url" "$work/last-writes.txt" <<'PY'
import json, sys, urllib.request
url = sys.argv[1] + "/_sim/requests"
items = json.load(urllib.request.urlopen(url))["items"]
writes = [i for i in items if i["write"]]
print("%d %d" % (len(items), len(writes)))
with open(sys.argv[2], "w") as handle:
    handle.writelines("%s %s\n" % (i["method"], i["path"]) for i in writes)
urllib.request.urlopen(urllib.request.Request(url, method="DELETE"))
PY
}

report() {
    local counts
    counts=$(count_requests)
    requests=${counts% *}
    writes=${counts#* }
    echo "simulator log for $1: $requests HTTP requests, $writes writes"
}

read -r -a extra_args <<<"${DEMO_ANSIBLE_ARGS:-}"
playbook() {
    "$ansible_bin/ansible-playbook" "$@" "${extra_args[@]}"
}
