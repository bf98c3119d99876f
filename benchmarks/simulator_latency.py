"""The simulator's network latency: one GET, and concurrent GETs that must not wait for each other.

Not a test: it prints figures. It starts ``python -m tests.simulator --port 0 --latency L`` in a
child process (strict, the default world), gets a token, then times

1. single GETs of the root partner (``GET /api/2/tenants/{id}``), one after another, on a
   keep-alive session: each should take about the latency (target with 0.05: 50 ms +-10);
2. N concurrent GETs (default 20), each from its own thread and connection, released together:
   together they should take about one latency, not N (target with 0.05 and 20: under 0.35 s).

It also prints the simulator's own view of the single GETs (``duration_ms`` of its request log:
the delay plus its handling, without the client's side) and the most requests it had in flight at
once (``GET /_sim/stats``), then stops the child it started.

Run from the repository root:
``python benchmarks/simulator_latency.py [--latency 0.05] [--concurrency 20] [--no-strict]``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(workdir, latency, jitter, strict=True):
    """The simulator child; returns (process, credentials) once its credentials file is there."""
    creds_file = os.path.join(workdir, "simulator.json")
    log = open(os.path.join(workdir, "simulator.log"), "w", encoding="utf-8")  # pylint: disable=consider-using-with
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "tests.simulator", "--port", "0", "--quiet", "--credentials-out", creds_file,
         "--latency", str(latency), "--latency-jitter", str(jitter)] + ([] if strict else ["--no-strict"]), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 60
    while not (os.path.exists(creds_file) and os.path.getsize(creds_file)):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise SystemExit("the simulator did not start; see %s" % os.path.join(workdir, "simulator.log"))
        time.sleep(0.1)
    with open(creds_file, encoding="utf-8") as stream:
        return process, json.load(stream)


def stop(process):
    """SIGTERM the child we started, SIGKILL it if it does not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def single(url, headers, repeat):
    """Seconds of each of repeat GETs, one after another on one keep-alive session (after one warm-up)."""
    times = []
    with requests.Session() as session:
        session.headers.update(headers)
        session.get(url, timeout=30).raise_for_status()
        for _round in range(repeat):
            started = time.perf_counter()
            session.get(url, timeout=30).raise_for_status()
            times.append(time.perf_counter() - started)
    return times


def concurrent(url, headers, count):
    """Seconds from the release of count threads (each with its own open connection) to the last answer."""
    sessions = []
    for _round in range(count):
        session = requests.Session()
        session.headers.update(headers)
        session.get(url, timeout=30).raise_for_status()      # open the connection beforehand
        sessions.append(session)
    barrier = threading.Barrier(count + 1)
    statuses = []

    def one(session):
        barrier.wait()
        statuses.append(session.get(url, timeout=60).status_code)

    threads = [threading.Thread(target=one, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for session in sessions:
        session.close()
    if statuses != [200] * count:
        raise SystemExit("concurrent GETs answered %s" % sorted(set(statuses)))
    return elapsed


def main():
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--latency", type=float, default=0.05, metavar="SECONDS", help="simulator latency (default 0.05)")
    parser.add_argument("--jitter", type=float, default=0.0, metavar="SECONDS", help="simulator latency jitter (default 0)")
    parser.add_argument("--repeat", type=int, default=10, help="single GETs to time (default 10)")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent GETs (default 20)")
    parser.add_argument("--no-strict", action="store_true", help="run the simulator without strict validation")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="sim-latency-")
    process, creds = start(workdir, args.latency, args.jitter, not args.no_strict)
    try:
        api = creds["base_url"] + "/api/2"
        token = requests.post(api + "/idp/token", data={"grant_type": "client_credentials"}, timeout=30,
                              auth=(creds["client_id"], creds["client_secret"])).json()["access_token"]
        headers = {"Authorization": "Bearer " + token}
        url = api + "/tenants/" + creds["tenant_id"]
        requests.delete(creds["base_url"] + "/_sim/requests", timeout=10)
        times = single(url, headers, args.repeat)
        logged = [entry["duration_ms"] for entry in
                  requests.get(creds["base_url"] + "/_sim/requests", timeout=10).json()["items"]][1:]   # no warm-up
        requests.delete(creds["base_url"] + "/_sim/requests", timeout=10)
        together = concurrent(url, headers, args.concurrency)
        stats = requests.get(creds["base_url"] + "/_sim/stats", timeout=10).json()
    finally:
        stop(process)
        for name in ("simulator.json", "simulator.log"):
            if os.path.exists(os.path.join(workdir, name)):
                os.remove(os.path.join(workdir, name))
        os.rmdir(workdir)
    print("simulator latency %.3f s (jitter %.3f s), strict=%s, default world; load average %.2f"
          % (args.latency, args.jitter, not args.no_strict, os.getloadavg()[0]))
    print("one GET: median %.1f ms, min %.1f ms, max %.1f ms over %d GETs (in the simulator: median %.1f ms)"
          % (statistics.median(times) * 1000, min(times) * 1000, max(times) * 1000, len(times),
             statistics.median(logged)))
    print("%d concurrent GETs: %.3f s for all of them; at most %d in flight at once in the simulator"
          % (args.concurrency, together, stats["max_in_flight"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
