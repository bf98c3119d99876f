"""What must hold when a run is cut short or its token runs out (the chaos stage of `make test`).

    resilience.py kill    a run of the onboarding playbook killed with SIGKILL halfway (once some customers
                          are created) converges on the next run: it succeeds, nothing is duplicated or
                          missing, and a third run changes nothing and sends no write.
    resilience.py token   tokens that expire during the run (the simulator issues them for 2 seconds, and the
                          client renews them only when they run out) are renewed without a failure.

Both use the simulator and the customers of benchmarks/chaos.py (10 customers). Exit 1 on a miss.
"""

import os
import signal
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "benchmarks"))
import chaos  # noqa: E402

N = 10


def converged(world, label, misses):
    """The run ``label`` succeeded and left everything in place; a further run changes nothing."""
    took, code, recap, _log = world.run(label)
    failed = world.failed_customers(recap)
    duplicates, missing, emails = world.audit()
    # Every administrator mailed, none more than twice: a run killed between a create and its e-mail (or before
    # the e-mail's answer was noted) leaves the e-mail owed, and this run sends it.
    mailing = ["%s mailed %d times" % (login, count) for login, count in sorted(emails.items())
               if not 1 <= count <= 2]
    print("%s: %.1f s, exit %d, failed customers %d, duplicates %d, missing %d, administrators never mailed or "
          "mailed more than twice %d" % (label, took, code, failed, len(duplicates), len(missing), len(mailing)))
    if code or failed or duplicates or missing or mailing:
        misses.append("%s: exit %d, failed %d, %s" % (label, code, failed, duplicates + missing + mailing))
    took, code, recap, log = world.run(label + "-again")
    writes = [i for i in log if i["write"]]
    changed = sum(r["changed"] for r in recap.values())
    print("%s-again: %.1f s, exit %d, changed %d, writes %d" % (label, took, code, changed, len(writes)))
    if code or changed or writes:
        misses.append("%s-again: exit %d, changed %d, writes %s"
                      % (label, code, changed, ["%s %s" % (w["method"], w["path"]) for w in writes[:5]]))


def killed_halfway(misses):
    # Five forks and a little latency, so that the run is still going, some customers done and some not begun.
    world = chaos.World(N, forks=5, latency=0.05)
    try:
        # The search index lags behind the writes: the next run, started at once, misses the tenants just made.
        world.admin.call("PUT", "/settings", {"search_lag": 3})
        proc = subprocess.Popen(world.command(), env=world.env, cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        writes = 0
        deadline = time.monotonic() + 120
        # A customer's onboarding is six writes: tenant, MFA, offering items, administrator, e-mail, role.
        while proc.poll() is None and time.monotonic() < deadline:
            log = world.admin.call("GET", "/requests")["items"]
            writes = sum(1 for i in log if i["write"] and 0 < i["status"] < 300)
            if writes >= 3 * N:
                break
            time.sleep(0.05)
        if proc.poll() is not None:
            misses.append("kill: the run ended (exit %s) before it could be killed halfway" % proc.returncode)
            return
        # The playbook and its forked workers: the session this script started for it.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        print("kill: SIGKILL after %d of the about %d writes of the run" % (writes, 6 * N))
        world.admin.take_log()
        converged(world, "after-kill", misses)
        if world.violations():
            misses.append("kill: simulator violations %s" % world.violations()[:3])
    finally:
        world.close()


def token_expiry(misses):
    world = chaos.World(N, forks=5, latency=0.1)
    try:
        world.admin.call("PUT", "/settings", {"token_ttl": 2})
        # Renew a token only when it has run out: requests meet tokens that expired on the way (401, renewed).
        world.env["ACRONIS_TOKEN_RENEW_MARGIN"] = "0"
        took, code, recap, log = world.run("short-tokens")
        issued = sum(1 for i in log if i["path"] == "/api/2/idp/token" and i["status"] == 200)
        refused = sum(1 for i in log if i["status"] == 401)
        failed = world.failed_customers(recap)
        duplicates, missing, _emails = world.audit()
        print("token: %.1f s, exit %d, failed customers %d, tokens issued %d, 401 answers %d, missing %d"
              % (took, code, failed, issued, refused, len(missing)))
        if code or failed or duplicates or missing:
            misses.append("token: exit %d, failed %d, %s" % (code, failed, duplicates + missing))
        if issued < 2:
            misses.append("token: only %d token issued; the run did not outlive a token" % issued)
    finally:
        world.close()


def main():
    scenarios = {"kill": killed_halfway, "token": token_expiry}
    names = sys.argv[1:] or sorted(scenarios)
    misses = []
    for name in names:
        scenarios[name](misses)
    for miss in misses:
        print("FAILED " + miss)
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
