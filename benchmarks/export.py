"""Cost of exporting N customers (default 1,000) as an inventory, at a simulator latency.

A fresh simulator is seeded without latency: a partner with pw_workstations and pw_servers, and N customers under it
(the tenants API), each with pw_workstations enabled with a quota and a company administrator with the role; every
10th customer also has a read-only administrator. Then every request under /api/ gets ``--latency`` seconds (default
0.05) and playbooks/export_inventory.yml exports the partner's subtree to a file, with an empty token cache. It prints
the wall time of the playbook (ansible-playbook's start included), seconds per customer, the requests the export sent
(from the simulator's log) over N with the time the simulator spent answering them, and the hosts of the file it
wrote.

Run from the repository root with the virtual environment of `make venv`:

    .venv/bin/python benchmarks/export.py                        # 1,000 customers, 0.05 s
    .venv/bin/python benchmarks/export.py -n 200 --latency 0.05

It prints figures; it is not a test (it fails only when the run fails).
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onboarding import Simulator, simulator_environment  # noqa: E402  (the same simulator and environment)
from fleet_report import call  # noqa: E402  (the same small HTTP helper)

NIL_UUID = "00000000-0000-0000-0000-000000000000"


def seed(sim, n):
    """The partner's ID, after making N customers with an item, a quota and administrators under it."""
    sim_url = sim.creds["base_url"].rstrip("/")
    base = sim_url + "/api/2"
    token = call(base + "/idp/token", "POST", form={"grant_type": "client_credentials"},
                 basic=(sim.creds["client_id"], sim.creds["client_secret"]))["access_token"]

    def api(path, method="GET", body=None):
        return call(base + path, method, body, token=token)

    partner = api("/tenants", "POST", {"name": "export", "parent_id": sim.creds["tenant_id"], "kind": "partner"})
    offered = api("/tenants/%s/offering_items/available_for_child?kind=partner&edition=per_workload"
                  % sim.creds["tenant_id"])["items"]
    wanted = [i for i in offered if i["name"] in ("pw_workstations", "pw_servers")]
    api("/tenants/%s/offering_items" % partner["id"], "PUT",
        {"offering_items": [{"application_id": i["application_id"], "name": i["name"], "status": 1} for i in wanted]})
    workstations = [i for i in wanted if i["name"] == "pw_workstations"][0]
    for index in range(n):
        customer = api("/tenants", "POST", {"name": "Customer %04d" % index, "parent_id": partner["id"],
                                            "kind": "customer", "contact": {"email": "it@c%04d.example" % index}})
        api("/tenants/%s/offering_items" % customer["id"], "PUT", {"offering_items": [{
            "application_id": workstations["application_id"], "name": "pw_workstations", "status": 1,
            "quota": {"value": 10 + index % 50, "overage": 0, "version": 0}}]})
        admins = [("c%04d-admin" % index, "company_admin")]
        if index % 10 == 0:
            admins.append(("c%04d-audit" % index, "readonly_admin"))
        for login, role in admins:
            user = api("/users", "POST", {"tenant_id": customer["id"], "login": login,
                                          "contact": {"email": "%s@c%04d.example" % (login, index)}})
            api("/users/%s/access_policies" % user["id"], "PUT", {"items": [{
                "id": NIL_UUID, "issuer_id": NIL_UUID, "role_id": role, "tenant_id": customer["id"],
                "trustee_id": user["id"], "trustee_type": "user", "version": 0}]})
    return sim_url, partner["id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=1000, help="number of customers (default 1000)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds of latency on every request (default 0.05)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="acronis-export-")
    sim = Simulator(workdir, 0)
    try:
        sim_url, partner_id = seed(sim, args.n)
        call(sim_url + "/_sim/settings", "PUT", {"latency": args.latency})
        dest = os.path.join(workdir, "fleet.yml")
        env = simulator_environment(workdir, sim)
        sim.take_log()
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               os.path.join(REPO, "playbooks", "export_inventory.yml"),
               "-e", "export_inventory_root_tenant_id=%s" % partner_id, "-e", "export_inventory_dest=%s" % dest]
        start = time.monotonic()
        proc = subprocess.run(cmd, env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              check=False)
        took = time.monotonic() - start
        if proc.returncode != 0:
            sys.stdout.write(proc.stdout[-4000:])
            raise SystemExit("export_inventory.yml failed (exit %d)" % proc.returncode)
        items = call(sim.admin_url)["items"]
        by_kind = collections.Counter("%s %s" % (i["method"], i["path"].split("?")[0]) for i in items)
        with open(dest) as handle:
            groups = yaml.safe_load(handle)["all"]["children"]
        customers = len(groups["customers"]["hosts"])
        admins = sum(len(h.get("tenant_onboarding_administrators", [])) for h in groups["customers"]["hosts"].values())
        if customers != args.n:
            raise SystemExit("the export holds %d customers, expected %d" % (customers, args.n))
        print("export: %d customers (%d administrators), latency %g s" % (args.n, admins, args.latency))
        print("  %.1f s, %.4f s per customer; file %d bytes" % (took, took / args.n, os.path.getsize(dest)))
        server = sum(i.get("duration_ms") or 0 for i in items) / 1000.0
        print("  requests: %d in all, %.4f per customer; the simulator spent %.1f s answering them (latency included)"
              % (len(items), len(items) / float(args.n), server))
        print("  by kind: %s" % ", ".join("%s %d" % pair for pair in sorted(by_kind.items())))
    finally:
        sim.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
