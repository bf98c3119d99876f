"""The request budget (the budget stage of `make test`): 20 forks never send more than the limit in any second.

The onboarding of a few customers (the inventory of benchmarks/onboarding.py) with --forks 20 and
ACRONIS_MAX_REQUESTS_PER_SECOND=5 against one simulator: the simulator's own count of the most API requests that
arrived within one second (GET /_sim/stats, max_per_second) must be at most 5, and the run must converge: exit 0
with no failed host, then a second run that changes nothing and sends no write.

    .venv/bin/python tests/utils/request_budget.py              # 10 customers, forks 20, 5 requests per second

Prints the figures (requests, seconds, the most in one second and in flight); exit 1 when a figure is off.
"""

import argparse
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "benchmarks"))
import chaos  # noqa: E402  (benchmarks/chaos.py: the simulator, the customers and the playbook run)


def run(world, label):
    """(seconds, exit code, recap, request log, /_sim/stats) of one run; the log and the counts are emptied after."""
    took, code, recap = chaos.run_playbook(world.env, world.inventory_file, world.forks,
                                           os.path.join(world.workdir, label + ".log"))
    stats = world.admin.call("GET", "/stats")
    return took, code, recap, world.admin.take_log(), stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=10, help="customers (default 10)")
    parser.add_argument("--forks", type=int, default=20, help="forks (default 20)")
    parser.add_argument("--rate", type=float, default=5, help="ACRONIS_MAX_REQUESTS_PER_SECOND (default 5)")
    parser.add_argument("--concurrent", type=int, default=None,
                        help="ACRONIS_MAX_CONCURRENT_REQUESTS (default: the collection's)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="the simulator's delay of every API request (default 0)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (the runs' output)")
    args = parser.parse_args()

    world = chaos.World(args.n, args.forks, args.latency)
    world.env["ACRONIS_MAX_REQUESTS_PER_SECOND"] = str(args.rate)
    if args.concurrent is not None:
        world.env["ACRONIS_MAX_CONCURRENT_REQUESTS"] = str(args.concurrent)
    try:
        world.admin.call("DELETE", "/requests")
        took, code, recap, log, stats = run(world, "first")
        failed = world.failed_customers(recap)
        again_took, again_code, again_recap, again_log, again_stats = run(world, "second")
        again_changed = sum(r["changed"] for r in again_recap.values())
        again_writes = [i for i in again_log if i["write"]]
        duplicates, missing, _emails = world.audit()
        violations = world.violations()
    except BaseException:
        world.close()
        raise

    print("customers %d, forks %d, max_requests_per_second %g, latency %g s"
          % (args.n, args.forks, args.rate, args.latency))
    print("first run: %.1f s, exit %d, failed hosts %d, API requests %d, the most in one second %d, in flight %d"
          % (took, code, failed, len(log), stats["max_per_second"], stats["max_in_flight"]))
    print("second run: %.1f s, exit %d, changed %d, writes %d, the most in one second %d"
          % (again_took, again_code, again_changed, len(again_writes), again_stats["max_per_second"]))
    print("duplicates %d, missing objects %d, simulator violations %d"
          % (len(duplicates), len(missing), len(violations)))
    bad = (code or failed or again_code or again_changed or again_writes or duplicates or missing or violations
           or (args.rate and max(stats["max_per_second"], again_stats["max_per_second"]) > args.rate))
    kept = world.close(keep=args.keep or bool(bad))
    if kept:
        print("work directory (first.log, second.log): %s" % kept)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
