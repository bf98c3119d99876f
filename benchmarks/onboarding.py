"""Cost of onboarding N customers, one inventory host each, on fresh simulators.

Each configuration gets a fresh Acronis API simulator (with --latency SECONDS
on every request when --latency is not zero), an inventory of N generated
customers in the shape of playbooks/inventory/customers.yml (one host per
customer), and an empty token cache. It runs playbooks/onboard_customers.yml
twice - the first run creates everything, the second changes nothing - and
the plain ansible.builtin.uri playbook benchmarks/uri_onboarding.yml (the
calls of Acronis's provisioning tutorial) once, since it is not idempotent.

Configurations, in one run:

- the in-process path (the default) and the module path
  (ACRONIS_DIRECT_EXECUTION=false), at --forks (default 10);
- the uri baseline at the same forks;
- the floor: benchmarks/ansible_floor.yml, as many tasks per host as the
  onboarding role runs, each doing nothing (what any path pays Ansible);
- the in-process path, and the floor, at forks 1, 5, 10 and 20 (--scaling-forks);
- with --cores 2.16,2.17,2.18,2.19: the in-process path, the module path and
  the floor at --forks on each of those ansible-core releases (the matrix
  environments of `make venv CORE=2.16`, .venv-2.16/; the main .venv for the
  release it has), in the same run; the uri baseline and the scaling rows
  run on the main .venv's release only.

After each run it reads the simulator's request log (GET /_sim/requests, then
DELETE) and prints: seconds, seconds per customer, requests per customer
(all the run's requests over N, so the few a run sends once - the token, the
API client and its tenant - count as a fraction),
writes, the server's share of the time (the sum of the requests' durations in
the log over the wall time), the ratio to the uri baseline and to the
module path, and the time over the floor's at the same forks. The uri ratio
and the floor multiple are measured within one run, so they compare across
machines where the seconds do not.

Each generated customer: a tenant with a contact, MFA on and a customer ID;
two offering items with quotas (workstations, hosted storage) in the
per-workload edition; one administrator with the company administrator role
who gets the activation e-mail.

Run from the repository root with the virtual environment of `make venv`:

    .venv/bin/python benchmarks/onboarding.py                    # N = 50
    .venv/bin/python benchmarks/onboarding.py -n 5 --latency 0.05
    .venv/bin/python benchmarks/onboarding.py --latency 0.05 --cores 2.16,2.17,2.18,2.19
    .venv/bin/python benchmarks/onboarding.py --latency 0.05 --scaling 500,1000,2000   # the scaling mode

The scaling mode (--scaling 500,1000,2000) runs, per N, the first and no-op
runs of both paths (--paths: the per-host path, playbooks/onboard_customers.yml
at --forks; the fleet path, playbooks/onboard_fleet.yml with --forks customers
at a time) and the floor, and prints for each the seconds, seconds per
customer, requests per customer, the controller's peak memory and the API's
own time (requests x latency / forks), then the growth of the seconds per
customer from the smallest N to the largest, and each run's seconds over the
API's own time.

It prints figures; it is not a test and never fails on a threshold (it does
fail when a run fails, or when the no-op run writes or reports a change).
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
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def inventory(n):
    """N customers as the hosts of an Ansible YAML inventory (JSON is YAML)."""
    hosts = {}
    for i in range(1, n + 1):
        hosts["bench-%04d" % i] = {
            "tenant_onboarding_name": "Bench Customer %04d" % i,
            "tenant_onboarding_customer_id": "BENCH-%04d" % i,
            "tenant_onboarding_contact": {"email": "it@customer%04d.example" % i},
            "tenant_onboarding_offering_items": [
                {"name": "pw_workstations", "quota": {"value": 10 + i % 50}},
                {"name": "pw_storage", "infra_id": HOSTED_STORAGE, "quota": {"value": 1099511627776}},
            ],
            "tenant_onboarding_administrators": [
                {"login": "bench-admin-%04d" % i, "email": "admin@customer%04d.example" % i,
                 "firstname": "Admin", "lastname": "Number %d" % i},
            ],
        }
    return {"customers": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                 "tenant_onboarding_mfa": True, "tenant_onboarding_edition": "per_workload"},
        "hosts": hosts}}


def link_collection(workdir):
    """A collections path in ``workdir`` whose acronis/cyber_platform is a link to this work tree; returns it."""
    link_dir = os.path.join(workdir, "collections", "ansible_collections", "acronis")
    os.makedirs(link_dir)
    os.symlink(REPO, os.path.join(link_dir, "cyber_platform"))
    return os.path.join(workdir, "collections")


def simulator_environment(workdir, sim):
    """The environment of an ansible command against ``sim``: this work tree's collection (linked into ``workdir``),
    the simulator's API client from the ACRONIS_* variables and an empty token cache in ``workdir``."""
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=link_collection(workdir), ANSIBLE_NOCOLOR="1",
                ANSIBLE_FORCE_COLOR="false", ACRONIS_BASE_URL=sim.creds["base_url"],
                ACRONIS_CLIENT_ID=sim.creds["client_id"], ACRONIS_CLIENT_SECRET=sim.creds["client_secret"],
                ACRONIS_TOKEN_CACHE_DIR=os.path.join(workdir, "tokens"))


class Simulator:
    """The simulator in a subprocess, on a free port."""

    def __init__(self, workdir, latency):
        self.creds_file = os.path.join(workdir, "simulator.json")
        # The file of an earlier simulator would point at its dead port; wait for this one's.
        if os.path.exists(self.creds_file):
            os.remove(self.creds_file)
        self.log = open(os.path.join(workdir, "simulator.log"), "w")
        cmd = [sys.executable, "-m", "tests.simulator", "--port", "0", "--quiet", "--credentials-out", self.creds_file]
        if latency:
            cmd += ["--latency", str(latency)]
        self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while not (os.path.exists(self.creds_file) and os.path.getsize(self.creds_file)):
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("the simulator did not start; see %s" % self.log.name)
            time.sleep(0.1)
        with open(self.creds_file) as handle:
            self.creds = json.load(handle)
        self.admin_url = re.sub(r"/api/2/?$", "", self.creds["base_url"]) + "/_sim/requests"

    def take_log(self):
        """(requests, writes, server seconds) since the last call; empties the log."""
        with urllib.request.urlopen(self.admin_url) as reply:
            items = json.load(reply)["items"]
        urllib.request.urlopen(urllib.request.Request(self.admin_url, method="DELETE")).close()
        server = sum(i.get("duration_ms") or 0 for i in items) / 1000.0
        return len(items), sum(1 for i in items if i["write"]), server

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def core_of(bin_dir):
    """The ansible-core release (major.minor) installed beside bin_dir's python."""
    version = subprocess.run([os.path.join(bin_dir, "python"), "-c", "import ansible.release; print(ansible.release.__version__)"],
                             stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
    return ".".join(version.split(".")[:2])


def bin_dir_of(core, main_core):
    """The bin directory of the environment that has ansible-core ``core`` (the main .venv, or .venv-CORE)."""
    if core == main_core:
        return os.path.dirname(sys.executable)
    bin_dir = os.path.join(REPO, ".venv-%s" % core, "bin")
    if not os.path.exists(os.path.join(bin_dir, "ansible-playbook")):
        raise SystemExit("no ansible-core %s environment in %s: run `make venv CORE=%s` first" % (core, bin_dir, core))
    return bin_dir


def run_playbook(env, inventory_file, playbook, forks, bin_dir, extra=()):
    """(seconds, changed tasks, the controller's peak memory in MiB) of one ansible-playbook run."""
    cmd = [os.path.join(bin_dir, "ansible-playbook"), "-i", inventory_file,
           playbook, "--forks", str(forks)] + list(extra)
    start = time.monotonic()
    with tempfile.TemporaryFile(mode="w+") as output:
        proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=output, stderr=subprocess.STDOUT, text=True)
        # wait4, not wait: its resource usage is this run's alone. ru_maxrss (KiB on Linux) is the largest
        # resident size of the run's processes, the controller's: a worker is a fork of it and never larger.
        _pid, status, usage = os.wait4(proc.pid, 0)
        took = time.monotonic() - start
        output.seek(0)
        stdout = output.read()
    returncode = os.waitstatus_to_exitcode(status)
    recap = RECAP.findall(stdout)
    if returncode != 0 or any(int(r[4]) or int(r[3]) for r in recap):
        sys.stdout.write(stdout[-4000:])
        raise SystemExit("%s failed (exit %d)" % (os.path.basename(playbook), returncode))
    return took, sum(int(r[2]) for r in recap), usage.ru_maxrss / 1024.0


def measure(label, n, forks, latency, workdir, direct=True, uri=False, floor=False, bin_dir=None, memory=None,
            fleet=False):
    """Rows (core, label, forks, run, seconds, requests, writes, server seconds) of one configuration.

    With a dict as ``memory``, each run's peak memory (MiB) is stored in it under the run's name. ``fleet``: the
    fleet path (playbooks/onboard_fleet.yml), ``forks`` customers at a time, instead of the per-host path.
    """
    bin_dir = bin_dir or os.path.dirname(sys.executable)
    core = core_of(bin_dir)
    inventory_file = os.path.join(workdir, "customers-%d.json" % n)
    with open(inventory_file, "w") as handle:
        json.dump(inventory(n), handle)
    sim = Simulator(workdir, latency)
    tokens = tempfile.mkdtemp(prefix="tokens-", dir=workdir)
    env = dict(os.environ)
    env.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, "collections"),
               ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="false",
               ACRONIS_BASE_URL=sim.creds["base_url"], ACRONIS_CLIENT_ID=sim.creds["client_id"],
               ACRONIS_CLIENT_SECRET=sim.creds["client_secret"], ACRONIS_TOKEN_CACHE_DIR=tokens)
    if not direct:
        env["ACRONIS_DIRECT_EXECUTION"] = "false"
    # What the collection costs, not what the request budget allows: no budget unless the caller sets one
    # (ACRONIS_MAX_REQUESTS_PER_SECOND=20 measures the default).
    env.setdefault("ACRONIS_MAX_REQUESTS_PER_SECOND", "0")
    env.setdefault("ACRONIS_MAX_CONCURRENT_REQUESTS", "0")
    rows = []
    try:
        sim.take_log()
        if uri:
            runs = [("first run", os.path.join(REPO, "benchmarks", "uri_onboarding.yml"))]
        elif floor:
            runs = [("no request", os.path.join(REPO, "benchmarks", "ansible_floor.yml"))]
        else:
            playbook = os.path.join(REPO, "playbooks", "onboard_fleet.yml" if fleet else "onboard_customers.yml")
            runs = [("first run", playbook), ("no-op run", playbook)]
        extra = ["-e", "acronis_fleet_concurrency=%d" % forks] if fleet else []
        for run, playbook in runs:
            took, changed, peak_mib = run_playbook(env, inventory_file, playbook, forks, bin_dir, extra)
            requests, writes, server = sim.take_log()
            if memory is not None:
                memory[run] = peak_mib
            rows.append((core, label, forks, run, took, requests, writes, server))
            if run == "no-op run" and (writes or changed):
                raise SystemExit("the no-op run reported changed=%d and sent %d writes" % (changed, writes))
    finally:
        sim.stop()
    return rows


def scaling(sizes, forks, latency, workdir, paths=("per-host", "fleet"), floor=True):
    """The scaling mode: per N, each path's first and no-op runs and Ansible's floor, side by side."""
    print("scaling: playbooks/onboard_customers.yml (per-host: one host per customer, forks %d), "
          "playbooks/onboard_fleet.yml (fleet: one task, %d customers at a time) and the floor, "
          "simulator latency %g s, ansible-core %s" % (forks, forks, latency, core_of(os.path.dirname(sys.executable))))
    print("%6s  %-13s %-10s %8s %7s %9s %9s %10s %9s" % (
        "N", "path", "run", "seconds", "s/cust", "req/cust", "peak MiB", "floor s", "API s"))
    per_customer = {}
    api_ratio = {}
    for n in sizes:
        memory = {}
        rows = []
        for path in paths:
            memory[path] = {}
            rows += measure(path, n, forks, latency, workdir, memory=memory[path], fleet=path == "fleet")
        memory["ansible floor"] = {}
        floor_rows = []
        if floor:
            floor_rows = measure("ansible floor", n, forks, latency, workdir, floor=True, memory=memory["ansible floor"])
        floor_seconds = floor_rows[0][4] if floor_rows else None
        for _core, label, _forks, run, took, requests, _writes, _server in rows + floor_rows:
            # The API's own time: every request waits the latency, `forks` of them at once (the fleet path's
            # concurrency is --forks too).
            api = requests * latency / forks
            peak = memory[label][run]
            print("%6d  %-13s %-10s %8.1f %7.3f %9.2f %9.0f %10s %9.1f" % (
                n, label, run, took, took / n, requests / float(n), peak or 0,
                "%.1f" % (floor_seconds or 0) if floor_seconds and label != "ansible floor" else "-", api))
            per_customer[(n, label, run)] = took / n
            if api:
                api_ratio[(n, label, run)] = took / api
    smallest, largest = sizes[0], sizes[-1]
    if largest != smallest:
        for label, run in [(path, run) for path in paths for run in ("first run", "no-op run")] + (
                [("ansible floor", "no request")] if floor else []):
            print("%s %s: seconds per customer at N=%d over N=%d: %.2fx" % (
                label, run, largest, smallest, per_customer[(largest, label, run)] / per_customer[(smallest, label, run)]))
    for path in paths:
        for run in ("first run", "no-op run"):
            ratios = ["N=%d %.2fx" % (n, api_ratio[(n, path, run)]) for n in sizes if (n, path, run) in api_ratio]
            print("%s %s: seconds over the API's own time: %s" % (path, run, ", ".join(ratios)))
    print("API s: the run's requests x the latency / forks, what the API alone would take at this concurrency; "
          "peak MiB: the largest resident size of the run's processes (the controller's).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=50, help="number of customers (default 50)")
    parser.add_argument("--forks", type=int, default=10, help="forks of the path and baseline comparison (default 10)")
    parser.add_argument("--scaling-forks", default="1,5,10,20", help="forks of the scaling rows (default 1,5,10,20; empty: none)")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds of simulator latency on every request (passed as --latency when not zero)")
    parser.add_argument("--cores", default="",
                        help="ansible-core releases to compare, e.g. 2.16,2.17,2.18,2.19 (default: the main .venv's only)")
    parser.add_argument("--scaling", default="",
                        help="the scaling mode: a list of N, e.g. 500,1000,2000 (each path's first and no-op "
                             "runs and the floor at each N, at --forks and --latency; nothing else runs)")
    parser.add_argument("--no-floor", action="store_true",
                        help="the scaling mode without the floor (it takes as long as the per-host path)")
    parser.add_argument("--paths", default="per-host,fleet",
                        help="the paths of the scaling mode: per-host, fleet or both (default per-host,fleet)")
    args = parser.parse_args()
    n = args.n
    main_core = core_of(os.path.dirname(sys.executable))
    other_cores = [c.strip() for c in args.cores.split(",") if c.strip() and c.strip() != main_core]
    other_bins = dict((core, bin_dir_of(core, main_core)) for core in other_cores)
    workdir = tempfile.mkdtemp(prefix="acronis-bench-")
    link_collection(workdir)
    if args.scaling:
        try:
            paths = [path.strip() for path in args.paths.split(",") if path.strip()]
            unknown = [path for path in paths if path not in ("per-host", "fleet")]
            if unknown or not paths:
                raise SystemExit("--paths takes per-host, fleet or both, not %s" % ",".join(unknown or ["nothing"]))
            scaling(sorted(int(size) for size in args.scaling.split(",") if size.strip()), args.forks, args.latency,
                    workdir, paths, floor=not args.no_floor)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    rows = []
    try:
        rows += measure("in-process", n, args.forks, args.latency, workdir)
        rows += measure("module path", n, args.forks, args.latency, workdir, direct=False)
        rows += measure("uri playbook", n, args.forks, args.latency, workdir, uri=True)
        rows += measure("ansible floor", n, args.forks, args.latency, workdir, floor=True)
        for forks in [int(f) for f in args.scaling_forks.split(",") if f.strip()]:
            if forks != args.forks:
                rows += measure("in-process", n, forks, args.latency, workdir)
                rows += measure("ansible floor", n, forks, args.latency, workdir, floor=True)
        for core in other_cores:
            rows += measure("in-process", n, args.forks, args.latency, workdir, bin_dir=other_bins[core])
            rows += measure("module path", n, args.forks, args.latency, workdir, direct=False, bin_dir=other_bins[core])
            rows += measure("ansible floor", n, args.forks, args.latency, workdir, floor=True, bin_dir=other_bins[core])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def seconds(core, label, forks, run):
        for row in rows:
            if row[:4] == (core, label, forks, run):
                return row[4]
        return None

    uri_first = seconds(main_core, "uri playbook", args.forks, "first run")
    print("%d customers, simulator latency %g s, ACRONIS_DIRECT_EXECUTION=false for the module path; "
          "ansible-core %s unless the core column says otherwise" % (n, args.latency, main_core))
    print("%-5s %-13s %5s  %-10s %8s %7s %9s %7s %8s %11s %11s %11s" % (
        "core", "path", "forks", "run", "seconds", "s/cust", "req/cust", "writes", "server", "uri/this", "module/this",
        "this/floor"))
    order = [main_core] + other_cores
    for core, label, forks, run, took, requests, writes, server in sorted(
            rows, key=lambda r: (order.index(r[0]), r[1] != "in-process", r[1], r[2], r[3])):
        vs_uri = "%.1fx" % (uri_first / took) if uri_first else "-"
        module = seconds(core, "module path", args.forks, run)
        vs_module = "%.1fx" % (module / took) if module and forks == args.forks else "-"
        floor = seconds(core, "ansible floor", forks, "no request")
        vs_floor = "%.1fx" % (took / floor) if floor and label != "ansible floor" else "-"
        print("%-5s %-13s %5d  %-10s %8.1f %7.2f %9.2f %7d %7.0f%% %11s %11s %11s" % (
            core, label, forks, run, took, took / n, requests / float(n), writes, 100.0 * server / took, vs_uri,
            vs_module, vs_floor))
    print("ansible floor: benchmarks/ansible_floor.yml, five tasks per host that send nothing.")
    print("uri/this: the uri playbook's first run over this row's time; module/this: the module path's time "
          "(same run, same core, forks %d) over this row's; server: the sum of the requests' durations in the simulator's "
          "log over the wall time; this/floor: this row's time over the floor's at the same forks." % args.forks)


if __name__ == "__main__":
    main()
