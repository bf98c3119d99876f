"""Two onboarding jobs at once (the two-jobs stage of `make test`): another writer is not a failure.

Two copies of playbooks/onboard_customers.yml over the same 20 customers (the inventory of
benchmarks/onboarding.py) start at the same moment against one simulator with latency, as two AWX jobs on
two execution nodes would: each with its own token cache (they share no disk), forks 10. Whatever one job
finds already done by the other is a success. Then a third run must change nothing and send no write.

    .venv/bin/python tests/utils/two_jobs.py              # 20 customers, forks 10, latency 0.05 s

Prints the figures; exit 1 when a job failed (rc or failed hosts), an object is duplicated or missing, an
administrator was never mailed or mailed twice, or the third run changed anything or wrote.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "benchmarks"))
import chaos  # noqa: E402  (benchmarks/chaos.py: the simulator, the customers and the audit of the world)

# The warning of a task that found its change made by the other job (module_utils/module.py), by kind.
OTHER_WRITER = re.compile(r"Another writer got there first while this task ran \((created tenant|created user|"
                          r"set the offering items|set the roles|updated tenant|updated user|set the pricing mode|"
                          r"[a-z]+)")


def met(output):
    """{what the other job had done first: how many times} from a job's warnings."""
    return collections.Counter(match.group(1) for match in OTHER_WRITER.finditer(" ".join(output.split())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=20, help="customers (default 20)")
    parser.add_argument("--forks", type=int, default=10, help="forks of each job (default 10)")
    parser.add_argument("--latency", type=float, default=0.05, metavar="SECONDS",
                        help="the simulator's delay of every API request (default 0.05)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (the jobs' output)")
    args = parser.parse_args()

    world = chaos.World(args.n, args.forks, args.latency)
    try:
        jobs = []
        started = time.monotonic()
        for job in ("job1", "job2"):
            env = dict(world.env, ACRONIS_TOKEN_CACHE_DIR=os.path.join(world.workdir, "tokens-" + job))
            log = open(os.path.join(world.workdir, job + ".log"), "w")  # pylint: disable=consider-using-with
            jobs.append((job, log, subprocess.Popen(world.command(), env=env, cwd=REPO, stdout=log,
                                                    stderr=subprocess.STDOUT)))
        figures = []
        for job, log, proc in jobs:
            code = proc.wait()
            log.close()
            with open(log.name) as handle:
                output = handle.read()
            recap = chaos.parse_recap(output)
            figures.append((job, code, world.failed_customers(recap), sum(r["changed"] for r in recap.values()),
                            met(output)))
        took = time.monotonic() - started
        writes = [i for i in world.admin.take_log() if i["write"] and 0 < i["status"] < 300]
        duplicates, missing, emails = world.audit()
        # Every administrator mailed exactly once: the other job adopts a user, it does not mail it again.
        repeated = ["%s x%d" % (login, count) for login, count in sorted(emails.items()) if count > 1]
        never_mailed = sorted(login for login, count in emails.items() if count == 0)
        third_took, third_code, third_recap, third_log = world.run("third")
        third_writes = [i for i in third_log if i["write"]]
        third_changed = sum(r["changed"] for r in third_recap.values())
        violations = world.violations()
    except BaseException:
        world.close()
        raise

    print("customers %d, two jobs at once, forks %d each, latency %g s, a token cache each"
          % (args.n, args.forks, args.latency))
    for job, code, failed, changed, conflicts in figures:
        print("%s: exit %d, failed hosts %d, changed %d; found done by the other job: %s"
              % (job, code, failed, changed, ", ".join("%s x%d" % item for item in sorted(conflicts.items()))
                 or "nothing"))
    print("both jobs: %.1f s, writes carried out %d" % (took, len(writes)))
    print("duplicates %d, missing objects %d, administrators never mailed %d, mailed more than once %d, "
          "simulator violations %d" % (len(duplicates), len(missing), len(never_mailed), len(repeated), len(violations)))
    for line in duplicates + missing + ["never mailed: %s" % r for r in never_mailed] + \
            ["activation e-mail to %s" % r for r in repeated]:
        print("  " + line)
    print("third run: %.1f s, exit %d, changed %d, writes %d" % (third_took, third_code, third_changed,
                                                                 len(third_writes)))
    for item in third_writes[:10]:
        print("  third-run write: %s %s %s" % (item["method"], item["path"], item.get("query") or ""))
    bad = (any(code or failed for _job, code, failed, _changed, _met in figures) or duplicates or missing or repeated or never_mailed
           or violations or third_code or third_changed or third_writes)
    kept = world.close(keep=args.keep or bool(bad))
    if kept:
        print("work directory (job1.log, job2.log, third.log): %s" % kept)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
