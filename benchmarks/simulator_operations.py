"""Per-operation cost of the Acronis API simulator, in process and single-threaded.

Not a test: it prints figures. Builds the world of ``simulator_throughput.py`` (10,000 tenants,
10,000 users), then times each operation of its mix through Flask's test client (no sockets,
no threads: steadier than the threaded benchmark on a busy machine), strict and not strict.

Run from the repository root: ``python benchmarks/simulator_operations.py [--repeat 50] [--no-strict]``.
"""

import argparse
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from simulator_throughput import CUSTOMERS_PER_PARTNER, PARTNERS, build_world  # noqa: E402  pylint: disable=wrong-import-position,import-error
from tests.simulator.app import Settings, create_app  # noqa: E402  pylint: disable=wrong-import-position


def operations(client, api, data, rng):
    """The operations of the mix, each a callable returning the response."""

    def get_tenant():
        return client.get(api + "/tenants/" + rng.choice(data["customers"]))

    def children_page():
        return client.get(api + "/tenants", query_string={"parent_id": rng.choice(data["partners"]),
                                                          "limit": 25, "lod": "basic"})

    def search():
        text = "customer %03d-%02d" % (rng.randrange(PARTNERS), rng.randrange(CUSTOMERS_PER_PARTNER))
        return client.get(api + "/search", query_string={"tenant": data["root"], "text": text, "limit": 10})

    def check_login():
        return client.get(api + "/users/check_login", query_string={"username": rng.choice(data["logins"])})

    def children_ids():
        return client.get(api + "/tenants/%s/children" % rng.choice(data["partners"]))

    def users_of_tenant():
        return client.get(api + "/users", query_string={"tenant_id": rng.choice(data["customers"])})

    def put_tenant():
        tenant_id = rng.choice(data["customers"])
        version = client.get(api + "/tenants/" + tenant_id).get_json()["version"]
        return client.put(api + "/tenants/" + tenant_id, json={"version": version, "internal_tag": "x"})

    return {"get_tenant": get_tenant, "children_page": children_page, "search": search,
            "check_login": check_login, "children_ids": children_ids, "users_of_tenant": users_of_tenant,
            "put_tenant (GET+PUT)": put_tenant}


def main():
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=50, help="calls per operation (default 50)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-strict", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    world, partners, customers, logins = build_world(args.seed)
    app = create_app(Settings(seed=args.seed, strict=not args.no_strict))
    simulator = app.extensions["acronis_simulator"]
    simulator.world = world
    print("world built in %.1f s (strict=%s)" % (time.perf_counter() - started, not args.no_strict))
    client = app.test_client()
    token = client.post("/api/2/idp/token", data={"grant_type": "client_credentials"},
                        auth=(world.api_client["client_id"], world.api_client["client_secret"])).get_json()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + token["access_token"]
    data = {"partners": partners, "customers": customers, "logins": logins, "root": world.partner_id}
    rng = random.Random(1)
    print("%-22s %9s %9s %9s" % ("operation", "mean ms", "p50 ms", "max ms"))
    for name, call in operations(client, "/api/2", data, rng).items():
        call()      # warm up
        samples = []
        for _repeat in range(args.repeat):
            before = time.perf_counter()
            response = call()
            samples.append(time.perf_counter() - before)
            if response.status_code >= 500 or response.status_code == 400:
                raise RuntimeError("%s answered %s: %s" % (name, response.status_code, response.get_data()[:500]))
        print("%-22s %9.2f %9.2f %9.2f" % (name, statistics.mean(samples) * 1000,
                                           statistics.median(samples) * 1000, max(samples) * 1000))
    simulator.request_log.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
