"""Cost of onboarding N customers with playbooks/onboard_customers.yml.

For each N (default 10 and 100) the script starts a fresh Acronis API
simulator, writes N generated customers to a variables file, and runs the
onboarding playbook twice - the first run creates everything, the second
changes nothing - optionally preceded by a --check run on the empty world.
After each run it reads the simulator's request log (GET /_sim/requests, then
DELETE to empty it) and prints, per onboarded customer: HTTP requests, writes
and wall-clock seconds of ansible-playbook.

Each generated customer looks like the demo's: a tenant with a contact, MFA
on and a customer ID; two offering items with quotas (workstations, hosted
storage) in the per-workload edition; one administrator with the company
administrator role who gets the activation e-mail.

Run from the repository root with the virtual environment of `make venv`:

    .venv/bin/python benchmarks/onboarding.py            # N = 10 and 100
    .venv/bin/python benchmarks/onboarding.py -n 10 --check-run
    .venv/bin/python benchmarks/onboarding.py -n 10 --latency 0.05   # 50 ms a request, like a data center

It prints figures; it is not a test and never fails on a threshold (it does
fail when a run fails, when the check run writes, or when the second run
writes or reports a change).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOSTED_STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"


def customers(n):
    """N customers in the format of playbooks/vars/customers.yml."""
    out = []
    for i in range(1, n + 1):
        out.append({
            "name": "Bench Customer %04d" % i,
            "customer_id": "BENCH-%04d" % i,
            "contact": {"email": "it@customer%04d.example" % i},
            "mfa": True,
            "edition": "per_workload",
            "offering_items": [
                {"name": "pw_workstations", "quota": {"value": 10 + i % 50}},
                {"name": "pw_storage", "infra_id": HOSTED_STORAGE, "quota": {"value": 1099511627776}},
            ],
            "administrators": [
                {"login": "bench-admin-%04d" % i, "email": "admin@customer%04d.example" % i,
                 "firstname": "Admin", "lastname": "Number %d" % i},
            ],
        })
    return {"customers": out}


class Simulator:
    """The simulator in a subprocess, on a free port."""

    def __init__(self, workdir, latency=0.0):
        self.creds_file = os.path.join(workdir, "simulator.json")
        # The file of an earlier simulator would point at its dead port; wait for this one's.
        if os.path.exists(self.creds_file):
            os.remove(self.creds_file)
        self.log = open(os.path.join(workdir, "simulator.log"), "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.simulator", "--port", "0", "--quiet", "--credentials-out", self.creds_file,
             "--latency", str(latency)],
            cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while not (os.path.exists(self.creds_file) and os.path.getsize(self.creds_file)):
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("the simulator did not start; see %s" % self.log.name)
            time.sleep(0.1)
        with open(self.creds_file) as handle:
            self.creds = json.load(handle)
        self.admin_url = re.sub(r"/api/2/?$", "", self.creds["base_url"]) + "/_sim/requests"

    def take_log(self):
        """(requests, writes) since the last call; empties the log."""
        with urllib.request.urlopen(self.admin_url) as reply:
            items = json.load(reply)["items"]
        urllib.request.urlopen(urllib.request.Request(self.admin_url, method="DELETE")).close()
        return len(items), sum(1 for i in items if i["write"])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run_playbook(env, data_file, check):
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
           "-i", os.path.join(REPO, "playbooks", "inventory", "localhost.yml"),
           os.path.join(REPO, "playbooks", "onboard_customers.yml"), "-e", "@" + data_file]
    if check:
        cmd += ["--check", "--diff"]
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    took = time.monotonic() - start
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout[-4000:])
        raise SystemExit("ansible-playbook failed (exit %d)" % proc.returncode)
    recap = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)", proc.stdout)
    return took, int(recap.group(2)) if recap else -1


def measure(n, check_run, workdir, latency=0.0):
    data_file = os.path.join(workdir, "customers-%d.json" % n)
    with open(data_file, "w") as handle:
        json.dump(customers(n), handle)
    sim = Simulator(workdir, latency)
    env = dict(os.environ)
    env.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, "collections"),
               ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_NOCOLOR="1",
               ACRONIS_BASE_URL=sim.creds["base_url"], ACRONIS_CLIENT_ID=sim.creds["client_id"],
               ACRONIS_CLIENT_SECRET=sim.creds["client_secret"],
               ACRONIS_TOKEN_CACHE_DIR=os.path.join(workdir, "tokens-%d" % n))
    rows = []
    try:
        sim.take_log()
        runs = ([("check (empty world)", True)] if check_run else []) + [("first run", False), ("no-op run", False)]
        for label, check in runs:
            took, changed = run_playbook(env, data_file, check)
            requests, writes = sim.take_log()
            rows.append((n, label, requests, writes, took, changed))
            if check and writes:
                raise SystemExit("the check run sent %d writes" % writes)
            if label == "no-op run" and (writes or changed):
                raise SystemExit("the no-op run reported changed=%d and sent %d writes" % (changed, writes))
    finally:
        sim.stop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, action="append", help="number of customers (repeatable; default 10 and 100)")
    parser.add_argument("--check-run", action="store_true", help="also time a --check --diff run on the empty world")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="the simulator's delay of every API request (default 0)")
    args = parser.parse_args()
    sizes = args.n or [10, 100]
    workdir = tempfile.mkdtemp(prefix="acronis-bench-")
    link_dir = os.path.join(workdir, "collections", "ansible_collections", "acronis")
    os.makedirs(link_dir)
    os.symlink(REPO, os.path.join(link_dir, "cyber_platform"))
    rows = []
    try:
        for n in sizes:
            rows.extend(measure(n, args.check_run, workdir, args.latency))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("simulator latency: %g s a request" % args.latency)
    print("%5s  %-20s %9s %8s %9s  %12s %10s %8s" % ("N", "run", "requests", "writes", "seconds",
                                                     "requests/cust", "writes/cust", "s/cust"))
    for n, label, requests, writes, took, changed in rows:
        print("%5d  %-20s %9d %8d %9.1f  %12.1f %10.2f %8.2f   changed=%d"
              % (n, label, requests, writes, took, requests / n, writes / n, took / n, changed))


if __name__ == "__main__":
    main()
