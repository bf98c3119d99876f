"""Sustained throughput and memory of the Acronis API simulator with 10,000 tenants and 10,000 users.

Not a test: it prints figures. What it does:

1. starts the simulator (strict by default) in a child process (this script with ``--serve-child``)
   on a free port of 127.0.0.1; the child builds its world directly through ``World`` for setup
   speed (100 partners x 99 customers = 10,000 tenants under the root partner, one user per
   tenant = 10,000 users; customer users get their personal tenants, as on the service), then
   serves it like ``python -m tests.simulator --port 0`` without a state file;
3. drives a realistic mix over HTTP from a few client threads for a bounded time or number of
   requests: GET tenant, GET a page of children, search, check_login, PUT tenant (with its version);
4. prints requests per second (overall and per operation, with latencies), errors, and the
   simulator's resident memory (VmRSS/VmHWM from /proc) before and after the load;
5. stops the child it started (SIGTERM, then SIGKILL after a grace period) and removes its files.

Run from the repository root: ``python benchmarks/simulator_throughput.py [--seconds 20] [--threads 4]
[--latency 0.05]`` (``--latency``: the simulator's delay of every API request, default 0).
"""

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.simulator.app import Settings  # noqa: E402  pylint: disable=wrong-import-position
from tests.simulator.server import SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position
from tests.simulator.state import World  # noqa: E402  pylint: disable=wrong-import-position

PARTNERS = 100
CUSTOMERS_PER_PARTNER = 99
MIX = (("get_tenant", 30), ("children_page", 20), ("search", 10), ("check_login", 25), ("put_tenant", 15))
OPERATIONS = tuple(name for name, _weight in MIX)


def build_world(seed):
    """The initial world plus 10,000 tenants and 10,000 users, built directly (setup speed)."""
    world = World(seed=seed)
    partners, customers, logins = [], [], []
    for p in range(PARTNERS):
        partner = world.add_tenant({"name": "Bench Partner %03d" % p, "kind": "partner", "parent_id": world.partner_id})
        partners.append(partner["id"])
        user = world.add_user({"tenant_id": partner["id"], "login": "bench-admin-%03d" % p,
                               "contact": {"email": "admin%03d@bench.example" % p}})
        logins.append(user["login"])
        for c in range(CUSTOMERS_PER_PARTNER):
            customer = world.add_tenant({"name": "Bench Customer %03d-%02d" % (p, c), "kind": "customer",
                                         "parent_id": partner["id"]})
            customers.append(customer["id"])
            user = world.add_user({"tenant_id": customer["id"], "login": "bench-user-%03d-%02d" % (p, c),
                                   "contact": {"email": "user%03d%02d@bench.example" % (p, c),
                                               "firstname": "Bench", "lastname": "User %03d %02d" % (p, c)}})
            logins.append(user["login"])
    world.searchable()
    return world, partners, customers, logins


def rss_kib(pid):
    """(VmRSS, VmHWM) of a process in KiB, from /proc."""
    values = {}
    with open("/proc/%d/status" % pid, encoding="ascii") as stream:
        for line in stream:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def serve_child(workdir, seed, strict, latency=0.0):
    """The child: build the world, serve it on a free port of 127.0.0.1 until SIGTERM."""
    started = time.monotonic()
    world, partners, customers, logins = build_world(seed)
    server = SimulatorServer(Settings(seed=seed, strict=strict, latency=latency), host="127.0.0.1", port=0)
    server.simulator.world = world
    with open(os.path.join(workdir, "data.json"), "w", encoding="utf-8") as stream:
        json.dump({"partners": partners, "customers": customers, "logins": logins,
                   "tenants": len([t for t in world.tenants.values() if not t["_hidden"]]),
                   "users": len(world.users), "build_seconds": time.monotonic() - started}, stream)
    server.write_credentials(os.path.join(workdir, "credentials.json"))

    def _stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server.server_close()
    return 0


def start_simulator(workdir, seed, strict, latency=0.0):
    """The child process; returns (process, credentials, data) once it answers."""
    command = [sys.executable, os.path.abspath(__file__), "--serve-child", workdir, "--seed", str(seed),
               "--latency", str(latency)]
    if not strict:
        command.append("--no-strict")
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                               stderr=subprocess.DEVNULL)
    credentials_file = os.path.join(workdir, "credentials.json")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the simulator exited with status %s" % process.returncode)
        if os.path.exists(credentials_file) and os.path.getsize(credentials_file) > 0:
            with open(credentials_file, encoding="utf-8") as stream:
                credentials = json.load(stream)
            with open(os.path.join(workdir, "data.json"), encoding="utf-8") as stream:
                data = json.load(stream)
            try:
                requests.get(credentials["base_url"] + "/_sim/settings", timeout=5)
                return process, credentials, data
            except requests.ConnectionError:
                pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError("the simulator did not start within 180 s")


def stop(process):
    """SIGTERM the child we started, SIGKILL it if it does not go."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Worker(threading.Thread):
    """One client: a keep-alive session issuing the mix until the shared budget is spent."""

    def __init__(self, index, api_url, token, data, budget, stats):
        super().__init__(name="bench-%d" % index, daemon=True)
        self.rng = random.Random(index)
        self.api_url = api_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + token
        self.data = data
        self.budget = budget
        self.stats = stats
        self.own = data["customers"][index::data["threads"]]     # PUT only these: no cross-thread 409s
        self.versions = {}

    def run(self):
        ops = [name for name, weight in MIX for _copy in range(weight)]
        while self.budget.take():
            op = self.rng.choice(ops)
            started = time.perf_counter()
            ok = getattr(self, op)()
            self.stats.record(op, time.perf_counter() - started, ok)
        self.session.close()

    def _get(self, path, **params):
        return self.session.get(self.api_url + path, params=params, timeout=60)

    def get_tenant(self):
        """GET /tenants/{id}."""
        return self._get("/tenants/" + self.rng.choice(self.data["customers"])).status_code == 200

    def children_page(self):
        """GET /tenants?parent_id=..&limit=25 (a page of a partner's children)."""
        response = self._get("/tenants", parent_id=self.rng.choice(self.data["partners"]), limit=25, lod="basic")
        return response.status_code == 200 and len(response.json()["items"]) == 25

    def search(self):
        """GET /search?tenant=<root partner>&text=..."""
        text = "customer %03d-%02d" % (self.rng.randrange(PARTNERS), self.rng.randrange(CUSTOMERS_PER_PARTNER))
        response = self._get("/search", tenant=self.data["root"], text=text, limit=10)
        return response.status_code == 200

    def check_login(self):
        """GET /users/check_login (taken: 409, free: 204)."""
        if self.rng.random() < 0.5:
            response = self._get("/users/check_login", username=self.rng.choice(self.data["logins"]))
            return response.status_code == 409
        response = self._get("/users/check_login", username="free-login-%d" % self.rng.randrange(10 ** 9))
        return response.status_code == 204

    def put_tenant(self):
        """PUT /tenants/{id} with the version (read first when unknown)."""
        tenant_id = self.rng.choice(self.own)
        if tenant_id not in self.versions:
            response = self._get("/tenants/" + tenant_id)
            if response.status_code != 200:
                return False
            self.versions[tenant_id] = response.json()["version"]
        response = self.session.put(self.api_url + "/tenants/" + tenant_id, timeout=60,
                                    json={"version": self.versions[tenant_id],
                                          "internal_tag": "bench-%d" % self.rng.randrange(10 ** 6)})
        if response.status_code == 200:
            self.versions[tenant_id] = response.json()["version"]
            return True
        self.versions.pop(tenant_id, None)
        return False


class Budget:
    """A bounded number of requests and a deadline, shared by the workers."""

    def __init__(self, requests_max, seconds):
        self.lock = threading.Lock()
        self.left = requests_max
        self.deadline = time.monotonic() + seconds

    def take(self):
        """True while requests and time remain."""
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


class Stats:
    """Latencies and failures per operation."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = {name: [] for name in OPERATIONS}
        self.failures = {name: 0 for name in OPERATIONS}

    def record(self, op, seconds, ok):
        """One request."""
        with self.lock:
            self.samples[op].append(seconds)
            if not ok:
                self.failures[op] += 1


def percentile(values, fraction):
    """The value below which a fraction of the sorted values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(args):
    """Build, start, load, measure, stop; return the figures."""
    workdir = tempfile.mkdtemp(prefix="sim-bench-")
    process, credentials, data = start_simulator(workdir, args.seed, not args.no_strict, args.latency)
    try:
        print("simulator pid %d at %s (strict=%s, latency=%g s); world: %d visible tenants, %d users (built in %.1f s)"
              % (process.pid, credentials["base_url"], not args.no_strict, args.latency, data["tenants"], data["users"],
                 data["build_seconds"]))
        rss_idle = rss_kib(process.pid)
        api_url = credentials["base_url"] + "/api/2"
        token = requests.post(api_url + "/idp/token", data={"grant_type": "client_credentials"}, timeout=30,
                              auth=(credentials["client_id"], credentials["client_secret"])).json()["access_token"]
        data.update(root=credentials["tenant_id"], threads=args.threads)
        stats = Stats()
        budget = Budget(args.requests, args.seconds)
        workers = [Worker(i, api_url, token, data, budget, stats) for i in range(args.threads)]
        load_started = time.monotonic()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.monotonic() - load_started
        rss_loaded = rss_kib(process.pid)
    finally:
        stop(process)
        for name in ("credentials.json", "data.json"):
            if os.path.exists(os.path.join(workdir, name)):
                os.remove(os.path.join(workdir, name))
        os.rmdir(workdir)
    total = sum(len(v) for v in stats.samples.values())
    print("load: %d requests in %.1f s from %d threads = %.0f req/s sustained; failures: %d"
          % (total, elapsed, args.threads, total / elapsed, sum(stats.failures.values())))
    print("%-14s %8s %8s %9s %9s %9s" % ("operation", "count", "req/s", "p50 ms", "p95 ms", "failures"))
    for name in OPERATIONS:
        values = stats.samples[name]
        if not values:
            continue
        print("%-14s %8d %8.0f %9.1f %9.1f %9d" % (name, len(values), len(values) / elapsed,
                                                   statistics.median(values) * 1000,
                                                   percentile(values, 0.95) * 1000, stats.failures[name]))
    print("simulator RSS: %.1f MiB after loading the world, %.1f MiB after the load (peak %.1f MiB)"
          % (rss_idle[0] / 1024.0, rss_loaded[0] / 1024.0, rss_loaded[1] / 1024.0))
    return 0


def main():
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration bound (default 20)")
    parser.add_argument("--requests", type=int, default=20000, help="request count bound (default 20000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--seed", type=int, default=7, help="world seed (default 7)")
    parser.add_argument("--no-strict", action="store_true", help="run the simulator without strict validation")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="the simulator's delay of every API request (default 0)")
    parser.add_argument("--serve-child", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_child:
        return serve_child(args.serve_child, args.seed, not args.no_strict, args.latency)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
