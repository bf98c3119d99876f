"""Cost of the fleet health report over N customers with 3 machines each (default 1,000), at a simulator latency.

A fresh simulator is seeded without latency: a partner, N customers under it (the tenants API) and 3 machines per
customer (``POST /_sim/resources``); then every request under /api/ gets ``--latency`` seconds (default 0.05) and
playbooks/fleet_health.yml runs over the customers of an acronis.cyber_platform.tenants inventory rooted at the
partner, at ``--forks``, with an empty token cache. It prints the wall time, seconds per customer and the requests
the run sent (from the simulator's log): all of them over N, and those of the role alone (every request except the
inventory's tenant pages and the tokens) over N.

Run from the repository root with the virtual environment of `make venv`:

    .venv/bin/python benchmarks/fleet_report.py                      # 1,000 customers, 0.05 s
    .venv/bin/python benchmarks/fleet_report.py -n 50 --latency 0.05 --forks 10

It prints figures; it is not a test (it fails only when the run fails).
"""

import argparse
import base64
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onboarding import Simulator, simulator_environment  # noqa: E402  (the same simulator and environment)


def call(url, method="GET", body=None, token=None, form=None, basic=None):
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = "Bearer " + token
    if basic:
        headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % basic).encode()).decode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method)) as reply:
        text = reply.read()
    return json.loads(text) if text else None


def seed(sim, n):
    """The partner's ID, after making N customers with 3 machines each under it."""
    sim_url = sim.creds["base_url"].rstrip("/")
    base = sim_url + "/api/2"
    token = call(base + "/idp/token", "POST", form={"grant_type": "client_credentials"},
                 basic=(sim.creds["client_id"], sim.creds["client_secret"]))["access_token"]
    partner = call(base + "/tenants", "POST", {"name": "fleet", "parent_id": sim.creds["tenant_id"], "kind": "partner"},
                   token=token)
    for index in range(n):
        customer = call(base + "/tenants", "POST", {"name": "customer-%04d" % index, "parent_id": partner["id"],
                                                    "kind": "customer"}, token=token)
        for machine in range(3):
            call(sim_url + "/_sim/resources", "POST", {"tenant_id": customer["id"], "name": "srv-%04d-%d" % (index, machine)})
    return sim_url, partner["id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=1000, help="number of customers (default 1000)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds of latency on every request (default 0.05)")
    parser.add_argument("--forks", type=int, default=10, help="ansible-playbook --forks (default 10)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="acronis-fleet-")
    sim = Simulator(workdir, 0)
    try:
        sim_url, partner_id = seed(sim, args.n)
        call(sim_url + "/_sim/settings", "PUT", {"latency": args.latency})
        inventory_file = os.path.join(workdir, "fleet.acronis.yml")
        with open(inventory_file, "w") as handle:
            handle.write("plugin: acronis.cyber_platform.tenants\nroot_tenant_id: %s\nkinds: [customer]\n" % partner_id)
        env = simulator_environment(workdir, sim)
        urllib.request.urlopen(urllib.request.Request(sim.admin_url, method="DELETE")).close()
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory_file,
               os.path.join(REPO, "playbooks", "fleet_health.yml"), "--forks", str(args.forks),
               "-e", "fleet_health_dest_dir=%s" % os.path.join(workdir, "report")]
        start = time.monotonic()
        proc = subprocess.run(cmd, env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              check=False)
        took = time.monotonic() - start
        if proc.returncode != 0:
            sys.stdout.write(proc.stdout[-4000:])
            raise SystemExit("fleet_health.yml failed (exit %d)" % proc.returncode)
        items = call(sim.admin_url)["items"]
        by_kind = collections.Counter()
        for item in items:
            path = item["path"]
            kind = ("token" if path.endswith("/idp/token") else "inventory" if path.rstrip("/").endswith("/api/2/tenants")
                    else path.split("?")[0].rsplit("/", 1)[-1] if "/usages" not in path else "usages")
            by_kind[kind] += 1
        role = sum(count for kind, count in by_kind.items() if kind not in ("token", "inventory"))
        with open(os.path.join(workdir, "report", "fleet_health.csv")) as handle:
            rows = sum(1 for _line in handle) - 1
        print("fleet report: %d customers x 3 machines, latency %g s, forks %d" % (args.n, args.latency, args.forks))
        print("  %.1f s, %.3f s per customer; %d report rows" % (took, took / args.n, rows))
        print("  requests: %d in all, %.2f per customer; the role's alone %.2f per customer" % (
            len(items), len(items) / float(args.n), role / float(args.n)))
        print("  by kind: %s" % ", ".join("%s %d" % pair for pair in sorted(by_kind.items())))
    finally:
        sim.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
