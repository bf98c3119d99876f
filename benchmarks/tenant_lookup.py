"""How many HTTP requests acronis_tenant's name lookup costs as a parent gets more children.

Starts an in-process simulator, creates N siblings under one partner, then
counts the requests (and bytes) of looking one tenant up by name through
``plugins/module_utils/tenants.py``: the search path the module uses for a
re-run (tenant exists) and a create (tenant absent), and the authoritative
scan it falls back to when the search finds nothing and it must be sure
(check mode, state=absent).

Run from the repository root:  python benchmarks/tenant_lookup.py [N ...]
Prints figures; never part of the pass/fail suite.
"""

import logging
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def _collection_path():
    """Make ansible_collections.acronis.cyber_platform importable from this work tree."""
    base = tempfile.mkdtemp(prefix="acronis-bench-")
    target = os.path.join(base, "ansible_collections", "acronis")
    os.makedirs(target)
    os.symlink(ROOT, os.path.join(target, "cyber_platform"))
    sys.path.insert(0, base)


def main(sizes):
    _collection_path()
    from tests.simulator.testing import running_simulator  # noqa: E402
    from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
    from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants

    # One access-log line per request would bury the figures.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with running_simulator() as sim:
        creds = sim.credentials
        client = AcronisClient(sim.base_url, client_id=creds["client_id"], client_secret=creds["client_secret"])
        top = tenants.create_tenant(client, {"name": "bench-parent", "kind": "partner",
                                             "parent_id": creds["tenant_id"]})
        made = 0
        print("%8s  %-34s %8s %10s" % ("siblings", "lookup", "requests", "bytes"))
        for size in sizes:
            while made < size:
                tenants.create_tenant(client, {"name": "bench-sibling-%05d" % made, "kind": "customer",
                                               "parent_id": top["id"]})
                made += 1
            wanted = "bench-sibling-%05d" % (size // 2)
            cases = [
                ("search, tenant exists", lambda: tenants.find_child_tenant(client, top["id"], wanted)),
                ("search, tenant absent", lambda: tenants.find_child_tenant(client, top["id"], "bench-nobody")),
                ("authoritative, tenant absent",
                 lambda: tenants.find_child_tenant(client, top["id"], "bench-nobody", authoritative=True)),
            ]
            for label, lookup in cases:
                client.access_token()
                sim.reset_log()
                lookup()
                log = sim.requests()
                calls = [r for r in log if not r["path"].endswith("/idp/token")]
                print("%8d  %-34s %8d %10d" % (size, label, len(calls), sum(r.get("bytes") or 0 for r in calls)))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 1000])
