"""How long an inventory of N customers (default 1,000) takes to load and plan.

Writes N customers, one inventory host each, in the shape of
playbooks/inventory/customers.yml (group vars for the shared defaults, host
vars per customer), then times, each --repeat times (the best is printed):

- `ansible-inventory --list` (load the inventory and every host's variables);
- `ansible-playbook playbooks/onboard_customers.yml --list-hosts` (load and
  match the play's hosts);
- `ansible-playbook playbooks/onboard_customers.yml --list-tasks` (load the
  play, its role and the role's included tasks).

Nothing talks to an API. Run from the repository root:

    .venv/bin/python benchmarks/inventory_scale.py
    .venv/bin/python benchmarks/inventory_scale.py -n 5000 --repeat 1

It prints figures; it is not a test.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onboarding import inventory, link_collection  # noqa: E402  (the same generated customers and collection link)


def timed(cmd, env, expect=None):
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    took = time.monotonic() - start
    if proc.returncode != 0 or (expect and expect not in proc.stdout):
        sys.stdout.write(proc.stdout[-3000:])
        raise SystemExit("%s failed (exit %d)" % (" ".join(cmd[:2]), proc.returncode))
    return took, proc.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=1000, help="number of customers (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the best is printed (default 3)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="acronis-inventory-")
    try:
        inventory_file = os.path.join(workdir, "customers.yml")
        with open(inventory_file, "w") as handle:
            json.dump(inventory(args.n), handle)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=link_collection(workdir), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_FORCE_COLOR="false")
        bindir = os.path.dirname(sys.executable)
        playbook = os.path.join(REPO, "playbooks", "onboard_customers.yml")
        commands = [
            ("ansible-inventory --list", [os.path.join(bindir, "ansible-inventory"), "-i", inventory_file, "--list"], None),
            ("ansible-playbook --list-hosts", [os.path.join(bindir, "ansible-playbook"), "-i", inventory_file, playbook,
                                               "--list-hosts"], "hosts (%d)" % args.n),
            ("ansible-playbook --list-tasks", [os.path.join(bindir, "ansible-playbook"), "-i", inventory_file, playbook,
                                               "--list-tasks"], "Tenant, with its settings"),
        ]
        print("%d customers, one inventory host each; best of %d" % (args.n, args.repeat))
        for label, cmd, expect in commands:
            best = min(timed(cmd, env, expect)[0] for attempt in range(args.repeat))
            print("%-32s %7.2f s" % (label, best))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
