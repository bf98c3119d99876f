"""Onboarding under faults: a seeded fault plan over every API path, then a fault-free re-run.

The script starts a fresh Acronis API simulator, puts a fault plan on every
path under /api/ (a share ``--rate`` of the requests, spread evenly over 429
with Retry-After, 502, 503 and a dropped connection, and, for creates and
updates (POST and PUT), a lost response: handled and committed, then a 502),
plus a lost answer on the first request of each create and update path (TARGETED),
and runs playbooks/onboard_customers.yml on N generated customers (the
inventory of benchmarks/onboarding.py: one host per customer), with --forks. It then switches the faults off, runs the
playbook again, and reads the world (GET /_sim/state) to count:

- faults fired (GET /_sim/faults) and retries: requests sent again after a
  faulted one (the same method, path and query seen again in the request log);
- failed customers: hosts of the PLAY RECAP with failed>0 or unreachable>0 in
  the faulted run (a customer missing from the recap counts as failed);
- duplicates: tenants of the same name under the partner, users of the same login;
- missing objects: per customer, its tenant, its offering items with their
  quotas, its administrators and their company_admin role;
- activation e-mails (the simulator records each one, with its user): administrators never mailed and
  administrators mailed more than twice (both must be 0: acronis_user sends an e-mail whose answer was lost
  once more in the next run, never more than two in all), and those mailed twice;
- the fault-free re-run's changed count and writes: 0, apart from the activation e-mails the faulted run
  left owed (one write and at most one change each).

Run from the repository root with the virtual environment of `make venv`:

    .venv/bin/python benchmarks/chaos.py                       # 50 customers, 20 %, seed 1
    .venv/bin/python benchmarks/chaos.py -n 10 --check         # what CI runs: exits 1 on any miss

It prints figures; with --check it also fails (exit 1) when a customer failed,
an object is duplicated or missing, an administrator was never mailed or mailed
more than twice, or the re-run wrote anything but an owed activation e-mail
(or changed more than those).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onboarding  # noqa: E402  (benchmarks/onboarding.py: the inventory and the simulator)

REPO = onboarding.REPO
READ_KINDS = ("429", "502", "503", "drop")
WRITE_KINDS = READ_KINDS + ("lost_response",)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ROLE = "company_admin"


# Each create and update path of the onboarding loses its first answer (handled and committed, then a 502),
# and the first tenant create is dropped before it is handled, whatever the draws: every way of resolving a
# lost answer is taken in every run.
TARGETED = [
    ("POST", "re:^/api/2/tenants$", "drop"),
    ("POST", "re:^/api/2/tenants$", "lost_response"),
    ("POST", "re:^/api/2/users$", "lost_response"),
    ("PUT", "re:^/api/2/tenants/[^/]+$", "lost_response"),
    ("PUT", "re:^/api/2/tenants/[^/]+/offering_items$", "lost_response"),
    ("PUT", "re:^/api/2/tenants/[^/]+/mfa/status$", "lost_response"),
    ("PUT", "re:^/api/2/users/[^/]+/access_policies$", "lost_response"),
    ("POST", "re:^/api/2/users/[^/]+/send-activation-email$", "lost_response"),
    ("POST", "re:^/api/2/idp/token$", "lost_response"),
]


def fault_plan(rate, retry_after=1, targeted=True):
    """Rules that fault a share ``rate`` of every API request, the kinds in equal parts.

    The simulator tries the rules in order, each with its own draw; rule i of k gets the rate that makes
    its share of all requests rate/k. With ``targeted``, the TARGETED rules come first, once each.
    """
    rules = [{"method": m, "path": path, "fault": kind, "rate": 1.0, "times": 1}
             for m, path, kind in TARGETED] if targeted else []
    for method in METHODS:
        kinds = WRITE_KINDS if method in ("POST", "PUT") else READ_KINDS
        share = rate / len(kinds)
        for i, kind in enumerate(kinds):
            rule = {"method": method, "path": "re:^/api/", "fault": kind, "rate": min(1.0, share / (1 - i * share))}
            if kind == "429":
                rule["retry_after"] = retry_after
            rules.append(rule)
    return rules


class Admin:
    """The simulator's admin interface."""

    def __init__(self, sim):
        self.root = re.sub(r"/api/2/?$", "", sim.creds["base_url"]) + "/_sim"

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.root + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        with urllib.request.urlopen(request) as reply:
            raw = reply.read()
        return json.loads(raw) if raw else None

    def take_log(self):
        items = self.call("GET", "/requests")["items"]
        self.call("DELETE", "/requests")
        return items


def playbook_command(inventory_file, forks):
    """The onboarding run: ansible-playbook on the customers of ``inventory_file``."""
    return [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory_file,
            os.path.join(REPO, "playbooks", "onboard_customers.yml"), "--forks", str(forks)]


def parse_recap(output):
    """{host: {changed, unreachable, failed}} from the PLAY RECAP."""
    recap = {}
    for match in re.finditer(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)",
                             output, re.M):
        recap[match.group(1)] = {"changed": int(match.group(3)), "unreachable": int(match.group(4)),
                                 "failed": int(match.group(5))}
    return recap


def run_playbook(env, inventory_file, forks, log_file):
    """(seconds, exit code, recap) of one onboarding run; its output goes to ``log_file``."""
    start = time.monotonic()
    proc = subprocess.run(playbook_command(inventory_file, forks), env=env, cwd=REPO, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    took = time.monotonic() - start
    with open(log_file, "w") as handle:
        handle.write(proc.stdout)
    return took, proc.returncode, parse_recap(proc.stdout)


class World:
    """A fresh simulator, the generated customers and the environment of ansible-playbook, in a work directory."""

    def __init__(self, n, forks=20, latency=0.0):
        self.workdir = tempfile.mkdtemp(prefix="acronis-chaos-")
        link_dir = os.path.join(self.workdir, "collections", "ansible_collections", "acronis")
        os.makedirs(link_dir)
        os.symlink(REPO, os.path.join(link_dir, "cyber_platform"))
        self.n = n
        self.forks = forks
        self.inventory = onboarding.inventory(n)
        self.inventory_file = os.path.join(self.workdir, "customers.yml")
        with open(self.inventory_file, "w") as handle:
            json.dump(self.inventory, handle)
        self.sim = onboarding.Simulator(self.workdir, latency)
        self.admin = Admin(self.sim)
        self.env = dict(os.environ)
        self.env.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(self.workdir, "collections"),
                        ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="false",
                        ACRONIS_BASE_URL=self.sim.creds["base_url"], ACRONIS_CLIENT_ID=self.sim.creds["client_id"],
                        ACRONIS_CLIENT_SECRET=self.sim.creds["client_secret"],
                        ACRONIS_TOKEN_CACHE_DIR=os.path.join(self.workdir, "tokens"))
        self.admin.take_log()

    def command(self):
        return playbook_command(self.inventory_file, self.forks)

    def run(self, label):
        """(seconds, exit code, recap, request log) of one run; the log is emptied after it."""
        took, code, recap = run_playbook(self.env, self.inventory_file, self.forks,
                                         os.path.join(self.workdir, label + ".log"))
        return took, code, recap, self.admin.take_log()

    def failed_customers(self, recap):
        """Customers whose host failed, or is missing from the recap."""
        hosts = self.inventory["customers"]["hosts"]
        return sum(1 for h in hosts if h not in recap or recap[h]["failed"] or recap[h]["unreachable"])

    def audit(self):
        return audit(self.admin.call("GET", "/state"), self.inventory)

    def violations(self):
        return (self.admin.call("GET", "/violations") or {}).get("items") or []

    def close(self, keep=False):
        self.sim.stop()
        if keep:
            return self.workdir
        shutil.rmtree(self.workdir, ignore_errors=True)
        return None


def retries_in(log):
    """Requests sent again after a faulted one: the same method, path and query seen later in the log."""
    pending = collections.Counter()
    retried = 0
    for item in log:
        key = (item["method"], item["path"], item.get("query") or "")
        if pending[key]:
            pending[key] -= 1
            retried += 1
        if item.get("fault"):
            pending[key] += 1
    return retried


def audit(state, inventory):
    """(duplicates, missing, e-mails): lists of what is wrong in the world, and {login: e-mails received}
    for every administrator of the inventory."""
    partner = state["partner_id"]
    tenants = [t for t in state["tenants"].values() if not t.get("deleted_at")]
    users = [u for u in state["users"].values() if not u.get("deleted_at")]
    names = collections.Counter(t["name"].casefold() for t in tenants if t.get("parent_id") == partner)
    logins = collections.Counter(u["login"].casefold() for u in users)
    duplicates = ["tenant %r x%d" % (n, c) for n, c in sorted(names.items()) if c > 1]
    duplicates += ["user %r x%d" % (n, c) for n, c in sorted(logins.items()) if c > 1]
    missing = []
    sent = collections.Counter(e["user_id"] for e in state.get("activation_emails") or [])
    emails = {}
    for customer in inventory["customers"]["hosts"].values():
        name = customer["tenant_onboarding_name"]
        tenant = next((t for t in tenants if t.get("parent_id") == partner and t["name"] == name), None)
        if tenant is None or tenant.get("kind") != "customer":
            missing.append("tenant %r" % name)
            continue
        items = tenant.get("_items") or {}
        for wanted in customer["tenant_onboarding_offering_items"]:
            found = [v for k, v in items.items() if _item_matches(k, wanted) and v.get("status") == 1]
            if not found or (found[0].get("quota") or {}).get("value") != wanted["quota"]["value"]:
                missing.append("offering item %s of %r" % (wanted["name"], name))
        for admin in customer["tenant_onboarding_administrators"]:
            user = next((u for u in users if u["login"] == admin["login"] and u.get("tenant_id") == tenant["id"]), None)
            if user is None:
                missing.append("user %r" % admin["login"])
                continue
            emails[admin["login"]] = sent[user["id"]]
            roles = [p for p in state["policies"].get(user["id"]) or []
                     if p.get("role_id") == ROLE and p.get("tenant_id") == tenant["id"]]
            if not roles:
                missing.append("role %s of user %r" % (ROLE, admin["login"]))
    return duplicates, missing, emails


def is_activation_email(item):
    """True for an activation e-mail request of the request log."""
    return item["method"] == "POST" and item["path"].endswith("/send-activation-email")


def _item_matches(key, wanted):
    """True when a tenant's offering-item key (application|name|infra) is the item asked for."""
    _app, name, infra = key.split("|")
    return name == wanted["name"] and (wanted.get("infra_id") or "") == infra


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=50, help="customers (default 50)")
    parser.add_argument("--rate", type=float, default=0.2, help="share of the requests faulted (default 0.2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the fault plan and of the simulator (default 1)")
    parser.add_argument("--forks", type=int, default=20, help="ansible-playbook forks (default 20)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="the simulator's delay of every API request (default 0)")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After of the 429s, seconds (default 1)")
    parser.add_argument("--check", action="store_true", help="exit 1 unless everything converged (for CI)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (playbook output, logs)")
    args = parser.parse_args()

    world = World(args.n, args.forks, args.latency)
    try:
        world.admin.call("PUT", "/faults", {"seed": args.seed, "rules": fault_plan(args.rate, args.retry_after)})
        took, code, recap, log = world.run("faulted")
        fired_rules = world.admin.call("GET", "/faults")["rules"]
        fired = sum(r["fired"] for r in fired_rules)
        targeted = ["%s %s %s" % (r["method"], r["path"][3:], r["fault"]) for r in fired_rules
                    if r.get("times") == 1 and r["fired"]]
        world.admin.call("DELETE", "/faults")
        retries = retries_in(log)
        failed = world.failed_customers(recap)
        rerun_took, rerun_code, rerun_recap, rerun_log = world.run("rerun")
        rerun_emails = [i for i in rerun_log if i["write"] and is_activation_email(i)]
        rerun_writes = [i for i in rerun_log if i["write"] and not is_activation_email(i)]
        rerun_changed = sum(r["changed"] for r in rerun_recap.values())
        duplicates, missing, emails = world.audit()
        never_mailed = sorted(login for login, count in emails.items() if count == 0)
        over_mailed = ["%s x%d" % (login, count) for login, count in sorted(emails.items()) if count > 2]
        mailed_twice = sum(1 for count in emails.values() if count == 2)
        violations = world.violations()
    except BaseException:
        world.close()
        raise

    print("customers %d, fault rate %g, seed %d, forks %d, latency %g s" % (args.n, args.rate, args.seed,
                                                                            args.forks, args.latency))
    print("faulted run:   %6.1f s  requests %d  faults fired %d  retries %d  failed customers %d (exit %d)"
          % (took, len(log), fired, retries, failed, code))
    print("lost on purpose (first request of the path): %s" % (", ".join(targeted) or "none"))
    print("re-run:        %6.1f s  requests %d  writes %d  owed activation e-mails sent %d  changed %d (exit %d)"
          % (rerun_took, len(rerun_log), len(rerun_writes), len(rerun_emails), rerun_changed, rerun_code))
    print("duplicates %d, missing objects %d, simulator violations %d"
          % (len(duplicates), len(missing), len(violations)))
    print("administrators %d: never mailed %d, mailed more than twice %d (mailed twice %d)"
          % (len(emails), len(never_mailed), len(over_mailed), mailed_twice))
    for line in (duplicates + missing + ["administrator never mailed: %s" % login for login in never_mailed]
                 + ["administrator mailed more than twice: %s" % line for line in over_mailed]):
        print("  " + line)
    for item in rerun_writes[:10]:
        print("  re-run write: %s %s %s" % (item["method"], item["path"], item.get("query") or ""))
    bad = (failed or duplicates or missing or never_mailed or over_mailed or rerun_writes
           or rerun_changed > len(rerun_emails) or rerun_code or code or violations)
    kept = world.close(keep=args.keep or bool(bad and args.check))
    if kept:
        print("work directory (playbook output in faulted.log, rerun.log): %s" % kept)
    if args.check and bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
