"""Two data centers in one run (the data-centers stage of `make test`): each customer in its own, one token each.

Two simulators stand for two data centers. One inventory holds the customers of both (the inventory of
benchmarks/onboarding.py, split in two groups), each group naming its data center: the first with
``acronis_credentials_file`` (its simulator's credentials file), the second with ``acronis_base_url``,
``acronis_client_id`` and ``acronis_client_secret``; no ACRONIS_* connection variable is set. One token cache
directory serves every step, as on one controller:

1. playbooks/onboard_customers.yml onboards them all in one run (forks 10): exit 0 and no failed host; each
   simulator holds exactly the customers of its group;
2. a second run changes nothing and sends no write to either;
3. the acronis.cyber_platform.tenants inventory, with ``data_centers`` naming both (one by its credentials file, the
   other by its URL and API client), lists every customer once, with its data center (``acronis_data_center``,
   ``acronis_base_url``) and in its group ``data_center_<name>``;
4. playbooks/export_inventory.yml, once per data center (each with its credentials file), writes both into one
   inventory: every customer once, in the group ``data_center_<name>`` of its own data center, whose variables are
   its URL and credentials file; no secret in the file;
5. playbooks/onboard_partner.yml on the exported inventory: exit 0, changed=0, 0 writes on both simulators;
6. a hand-made change of one customer of data center two (its contact e-mail, through that simulator's API with a
   session of its own, as the acronis_inventory_export target makes it);
7. playbooks/drift_report.yml on the exported inventory, with the acronis.cyber_platform.drift callback: drift.csv
   names exactly that customer, with that field, and no write reaches either simulator;
8. the tokens: each simulator issued exactly one token (``POST /api/2/idp/token`` in its request log) over steps 1
   to 7, the hand change's own session left out (its token is counted apart);
9. playbooks/fleet_health.yml over the tenants inventory (data center two's API client in its group's variables,
   group_vars/data_center_two.yml): every customer read in its own data center, none unreadable;
10. the onboarding with data center two's API client secret wrong: the role's connection check fails the hosts of
    data center two, each with the one message of that check, after one token request to data center two and no
    other request there; the hosts of data center one go on (no failure, no change);
11. the same run limited to data center two (a play of one data center): the check stops every host of the play
    with one message, once, as the run-once check always did (the recap counts the failure on the first host; no
    host reaches the next task), after one token request.

    .venv/bin/python tests/utils/two_data_centers.py            # 3 customers in each

Prints the figures; exit 1 when one is off.
"""

import argparse
import base64
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "benchmarks"))
import chaos  # noqa: E402  (benchmarks/chaos.py: the playbook run and the simulator's admin interface)
import onboarding  # noqa: E402  (benchmarks/onboarding.py: the customers and the simulator)

DATA_CENTERS = ("one", "two")
TOKEN_PATH = "/api/2/idp/token"
HAND_MADE_EMAIL = "changed-by-hand@example.test"
WRONG_SECRET = "a-secret-that-was-rotated"


def plain(value):
    """A value of ansible-inventory --list as written: untagged (ansible-core marks strings from plugins unsafe)."""
    return value.get("__ansible_unsafe") if isinstance(value, dict) and "__ansible_unsafe" in value else value


def root_of(base_url):
    return re.sub(r"/api/2/?$", "", base_url).rstrip("/")


def customers_of(state):
    """The names of the customers under the simulator's partner."""
    return sorted(t["name"] for t in state["tenants"].values()
                  if t.get("parent_id") == state["partner_id"] and not t.get("deleted_at") and t["kind"] == "customer")


def playbook(env, args, log_file):
    """(seconds, exit code, recap, output) of one ansible-playbook run; its output also goes to ``log_file``."""
    start = time.monotonic()
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook")] + args, env=env,
                          cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    with open(log_file, "w") as handle:
        handle.write(proc.stdout)
    return time.monotonic() - start, proc.returncode, chaos.parse_recap(proc.stdout), proc.stdout


def change_contact_email(creds, name):
    """The hand-made change: a new contact e-mail for the customer ``name``, through the API as a person's script
    would send it (its own token)."""
    api = root_of(creds["base_url"]) + "/api/2"

    def call(method, path, body=None, form=None, auth=None):
        data = json.dumps(body).encode() if body is not None else urllib.parse.urlencode(form).encode() if form else None
        headers = {"Content-Type": "application/json" if body is not None else "application/x-www-form-urlencoded"}
        headers["Authorization"] = auth
        request = urllib.request.Request(api + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request) as reply:
            return json.loads(reply.read() or b"null")

    basic = base64.b64encode(("%s:%s" % (creds["client_id"], creds["client_secret"])).encode()).decode()
    token = call("POST", "/idp/token", form={"grant_type": "client_credentials"}, auth="Basic " + basic)
    bearer = "Bearer " + token["access_token"]
    tenant = [t for t in call("GET", "/tenants?" + urllib.parse.urlencode({"subtree_root_id": creds["tenant_id"]}),
                              auth=bearer)["items"] if t["name"] == name][0]
    call("PUT", "/tenants/" + tenant["id"], body={"version": tenant["version"], "contact": {"email": HAND_MADE_EMAIL}},
         auth=bearer)


class Stage:
    """The two simulators, the work directory, the environment of every run and the figures found wrong."""

    def __init__(self, n, forks):
        self.n = n
        self.forks = forks
        self.workdir = tempfile.mkdtemp(prefix="acronis-two-dc-")
        self.sims = {}
        self.bad = []
        # POST /api/2/idp/token per data center over steps 1 to 7 (the hand change's own session apart).
        self.tokens = dict((name, 0) for name in DATA_CENTERS)
        for name in DATA_CENTERS:
            os.makedirs(os.path.join(self.workdir, name))
            self.sims[name] = onboarding.Simulator(os.path.join(self.workdir, name), 0)
        self.admins = dict((name, chaos.Admin(sim)) for name, sim in self.sims.items())
        self.env = dict((k, v) for k, v in os.environ.items() if not k.startswith("ACRONIS_"))
        self.env.update(ANSIBLE_COLLECTIONS_PATH=onboarding.link_collection(self.workdir),
                        ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="false",
                        ACRONIS_TOKEN_CACHE_DIR=os.path.join(self.workdir, "tokens"))
        self.groups = {}
        self.inventory_file = None
        self.fleet = os.path.join(self.workdir, "fleet.yml")

    def file(self, name):
        return os.path.join(self.workdir, name)

    def wanted(self, name):
        """The names of the customers of data center ``name``."""
        return sorted(h["tenant_onboarding_name"] for h in self.groups["dc_" + name]["hosts"].values())

    def take_logs(self, step, counted=True):
        """{data center: its request log since the last call}; with ``counted``, its tokens go to the total."""
        logs = dict((name, admin.take_log()) for name, admin in self.admins.items())
        tokens = dict((name, sum(1 for i in log if i["method"] == "POST" and i["path"] == TOKEN_PATH))
                      for name, log in logs.items())
        if counted:
            for name in DATA_CENTERS:
                self.tokens[name] += tokens[name]
        print("  %s: requests %s, writes %s, tokens %s" % (
            step, dict((name, len(log)) for name, log in logs.items()),
            dict((name, sum(1 for i in log if i["write"])) for name, log in logs.items()), tokens))
        return logs

    def expect(self, condition, problem):
        if not condition:
            self.bad.append(problem)

    # ------------------------------------------------------------------ 1-3: onboarding and the tenants inventory

    def write_inventory(self):
        customers = onboarding.inventory(2 * self.n)["customers"]
        hosts = sorted(customers["hosts"])
        for number, name in enumerate(DATA_CENTERS):
            creds = self.sims[name].creds
            # The two ways a group names its data center: a credentials file, or the three variables.
            named_by = ({"acronis_credentials_file": self.sims[name].creds_file} if number == 0 else
                        {"acronis_base_url": creds["base_url"], "acronis_client_id": creds["client_id"],
                         "acronis_client_secret": creds["client_secret"]})
            self.groups["dc_" + name] = {
                "vars": named_by,
                "hosts": dict((h, customers["hosts"][h]) for h in hosts[number * self.n:(number + 1) * self.n]),
            }
        self.inventory_file = self.file("customers.yml")
        with open(self.inventory_file, "w") as handle:
            json.dump({"customers": {"vars": customers["vars"], "children": self.groups}}, handle)

    def onboard_twice(self):
        hosts = [h for group in self.groups.values() for h in group["hosts"]]
        took, code, recap = chaos.run_playbook(self.env, self.inventory_file, self.forks, self.file("first.log"))
        failed = sum(1 for h in hosts if h not in recap or recap[h]["failed"] or recap[h]["unreachable"])
        print("1. one onboarding over two data centers: %.1f s, exit %d, failed hosts %d" % (took, code, failed))
        self.expect(not code and not failed, "the first run failed")
        self.take_logs("onboarding")
        for name in DATA_CENTERS:
            held = customers_of(self.admins[name].call("GET", "/state"))
            print("   data center %s holds %s" % (name, ", ".join(held) or "no customer"))
            self.expect(held == self.wanted(name), "data center %s holds %s, not %s" % (name, held, self.wanted(name)))

        took, code, recap = chaos.run_playbook(self.env, self.inventory_file, self.forks, self.file("second.log"))
        changed = sum(r["changed"] for r in recap.values())
        print("2. second run: %.1f s, exit %d, changed %d" % (took, code, changed))
        writes = self.take_logs("second run")
        self.expect(not code and not changed and not any(i["write"] for log in writes.values() for i in log),
                    "the second run changed something")

    def write_tenants_source(self):
        """The tenants inventory of both: one by its credentials file, the other by its URL and API client, whose
        hosts get the client from their group's variables (group_vars/data_center_two.yml), as a person gives it."""
        two = self.sims["two"].creds
        source = self.file("two.acronis.yml")
        with open(source, "w") as handle:
            json.dump({"plugin": "acronis.cyber_platform.tenants", "kinds": ["customer"], "data_centers": [
                {"name": "one", "credentials_file": self.sims["one"].creds_file},
                {"name": "two", "base_url": two["base_url"], "client_id": two["client_id"],
                 "client_secret": two["client_secret"]}]}, handle)
        os.makedirs(self.file("group_vars"))
        with open(self.file("group_vars/data_center_two.yml"), "w") as handle:
            json.dump({"acronis_client_id": two["client_id"], "acronis_client_secret": two["client_secret"]}, handle)
        return source

    def list_tenants(self, source):
        listing = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "-i", source,
                                  "--list"], env=self.env, cwd=self.workdir, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, check=False)
        if listing.returncode:
            self.bad.append("ansible-inventory failed: %s" % listing.stderr.strip()[-500:])
            return
        found = json.loads(listing.stdout)
        hostvars = found["_meta"]["hostvars"]
        for name in DATA_CENTERS:
            members = found.get("data_center_" + name, {}).get("hosts", [])
            listed = sorted(plain(hostvars[h]["acronis_name"]) for h in members)
            named = set((plain(hostvars[h].get("acronis_data_center")),
                         plain(hostvars[h].get("acronis_base_url")).rstrip("/")) for h in members)
            print("3. tenants inventory, data center %s: %s" % (name, ", ".join(listed) or "no host"))
            self.expect(listed == self.wanted(name) and named == {(name, root_of(self.sims[name].creds["base_url"]))},
                        "the inventory's data center %s lists %s named %s" % (name, listed, named))
        self.expect(len(hostvars) == 2 * self.n, "the inventory has %d hosts, not %d" % (len(hostvars), 2 * self.n))
        self.take_logs("tenants inventory")

    # ------------------------------------------------------------------ 4-8: export, round trip, drift, tokens

    def export_both(self):
        for name in DATA_CENTERS:
            took, code, _recap, _out = playbook(self.env, [
                "-i", os.path.join(REPO, "playbooks", "inventory", "localhost.yml"),
                os.path.join(REPO, "playbooks", "export_inventory.yml"), "-e", "export_inventory_dest=" + self.fleet,
                "-e", "acronis_credentials_file=" + self.sims[name].creds_file,
                "-e", "export_inventory_data_center=" + name], self.file("export-%s.log" % name))
            print("4. export of data center %s into %s: %.1f s, exit %d" % (name, self.fleet, took, code))
            self.expect(not code, "the export of data center %s failed" % name)
        self.take_logs("exports")
        with open(self.fleet) as handle:
            text = handle.read()
        groups = yaml.safe_load(text)["all"]["children"]
        customers = groups["customers"]["hosts"]
        placed = []
        for name in DATA_CENTERS:
            sim = self.sims[name]
            center = groups.get("data_center_" + name) or {}
            names = sorted(customers[h]["tenant_onboarding_name"] for h in center.get("hosts") or {})
            placed.extend(center.get("hosts") or {})
            print("   exported data center %s: %s" % (name, ", ".join(names) or "no host"))
            self.expect(names == self.wanted(name), "the export's data center %s holds %s" % (name, names))
            wanted_vars = {"acronis_data_center": name, "acronis_base_url": root_of(sim.creds["base_url"]),
                           "acronis_credentials_file": sim.creds_file}
            self.expect(center.get("vars") == wanted_vars,
                        "the export's data center %s has vars %s, not %s" % (name, center.get("vars"), wanted_vars))
            self.expect(sim.creds["client_secret"] not in text, "the export holds data center %s's secret" % name)
        self.expect(sorted(placed) == sorted(customers) and not groups["partners"]["hosts"] and
                    not groups["units"]["hosts"], "the export's hosts %s are not each in one data center: %s"
                    % (sorted(customers), sorted(placed)))

    def onboard_the_export(self):
        took, code, recap, _out = playbook(self.env, ["-i", self.fleet,
                                                      os.path.join(REPO, "playbooks", "onboard_partner.yml"),
                                                      "--forks", str(self.forks)], self.file("roundtrip.log"))
        changed = sum(r["changed"] for r in recap.values())
        failed = sum(r["failed"] + r["unreachable"] for r in recap.values())
        print("5. onboarding of the exported inventory: %.1f s, exit %d, hosts %d, changed %d, failed %d"
              % (took, code, len(recap), changed, failed))
        logs = self.take_logs("onboarding of the export")
        writes = dict((name, [i["method"] + " " + i["path"] for i in log if i["write"]]) for name, log in logs.items())
        self.expect(not code and not changed and not failed and len(recap) == 2 * self.n and not any(writes.values()),
                    "the onboarding of the export changed something: exit %d, changed %d, writes %s"
                    % (code, changed, writes))

    def change_by_hand(self):
        name = self.wanted("two")[0]
        change_contact_email(self.sims["two"].creds, name)
        logs = self.take_logs("hand change (its own session, not counted)", counted=False)
        print("6. changed the contact e-mail of %s in data center two by hand" % name)
        self.expect([i["method"] for i in logs["two"] if i["write"]] == ["PUT"] and not logs["one"],
                    "the hand change sent %s" % [(i["method"], i["path"]) for i in logs["two"]])
        return name

    def drift(self, changed_name):
        env = dict(self.env, ANSIBLE_CALLBACKS_ENABLED="acronis.cyber_platform.drift",
                   ACRONIS_DRIFT_REPORT_DIR=self.file("drift"))
        took, code, _recap, _out = playbook(env, ["-i", self.fleet,
                                                  os.path.join(REPO, "playbooks", "drift_report.yml"),
                                                  "--forks", str(self.forks)], self.file("drift.log"))
        logs = self.take_logs("drift report")
        with open(self.fleet) as handle:
            host = [h for h, v in yaml.safe_load(handle)["all"]["children"]["customers"]["hosts"].items()
                    if v["tenant_onboarding_name"] == changed_name][0]
        with open(self.file("drift/drift.csv")) as handle:
            rows = list(csv.DictReader(handle))
        drifted = [(r["host"], r["field"], r["before"]) for r in rows if r["status"] != "in sync"]
        print("7. drift report: %.1f s, exit %d, %d hosts, drifted %s" % (took, code, len(rows), drifted))
        self.expect(not code and drifted == [(host, "contact.email", HAND_MADE_EMAIL)] and len(rows) == 2 * self.n,
                    "the drift report names %s, not %s alone" % (drifted, host))
        self.expect(not any(i["write"] for log in logs.values() for i in log), "the drift report sent a write")

    def check_tokens(self):
        print("8. tokens issued over steps 1-7 (one token cache): %s" % self.tokens)
        for name in DATA_CENTERS:
            self.expect(self.tokens[name] == 1, "data center %s issued %d tokens, not 1" % (name, self.tokens[name]))

    # ------------------------------------------------------------------ 9-10: fleet health, a wrong API client

    def fleet_health(self, source):
        took, code, recap, _out = playbook(self.env, [
            "-i", source, os.path.join(REPO, "playbooks", "fleet_health.yml"), "--forks", str(self.forks),
            "-e", "fleet_health_dest_dir=" + self.file("health")], self.file("health.log"))
        self.take_logs("fleet health", counted=False)
        with open(self.file("health/fleet_health.csv")) as handle:
            rows = list(csv.DictReader(handle))
        unread = [r["customer"] for r in rows if r["notes"].startswith("not read")]
        print("9. fleet health over the tenants inventory: %.1f s, exit %d, %d customers, unreadable %s"
              % (took, code, len(rows), unread or "none"))
        self.expect(not code and len(rows) == 2 * self.n and not unread and len(recap) == 2 * self.n,
                    "the fleet health report read %d customers, unreadable %s" % (len(rows), unread))

    def wrong_client(self):
        groups = json.loads(json.dumps(self.groups))
        groups["dc_two"]["vars"]["acronis_client_secret"] = WRONG_SECRET
        wrong = self.file("wrong-client.yml")
        with open(self.inventory_file) as handle:
            inventory = json.load(handle)
        inventory["customers"]["children"] = groups
        with open(wrong, "w") as handle:
            json.dump(inventory, handle)
        onboard = os.path.join(REPO, "playbooks", "onboard_customers.yml")
        took, code, recap, out = playbook(self.env, ["-i", wrong, onboard, "--forks", str(self.forks)],
                                          self.file("wrong-client.log"))
        logs = self.take_logs("wrong API client", counted=False)
        failed = dict((name, sorted(h for h in self.groups["dc_" + name]["hosts"] if recap.get(h, {}).get("failed")))
                      for name in DATA_CENTERS)
        changed = sum(r["changed"] for r in recap.values())
        first_two = sorted(self.groups["dc_two"]["hosts"])[0]
        message = ("The connection check of data center %s (with the variables of host %s) failed, so its hosts stop "
                   "before any write:" % (self.sims["two"].creds["base_url"], first_two))
        stopped = sorted(re.findall(r"^fatal: \[(\S+)\]: FAILED! => .*%s" % re.escape(message), out, re.M))
        two = [(i["method"], i["path"], i["status"]) for i in logs["two"]]
        print("10. data center two's API client wrong: %.1f s, exit %d, failed hosts %s, changed %d, stopped by the "
              "check %s, data center two's requests %s" % (took, code, failed, changed, stopped, two))
        self.expect(code and not failed["one"] and failed["two"] == sorted(self.groups["dc_two"]["hosts"]),
                    "with a wrong client in data center two, the failed hosts are %s" % failed)
        self.expect(stopped == failed["two"], "the hosts of data center two stopped with %s, not the check's message"
                    % stopped)
        self.expect(two == [("POST", TOKEN_PATH, 401)], "data center two saw %s, not one refused token request" % two)
        self.expect(not changed and not any(i["write"] for log in logs.values() for i in log),
                    "the run with a wrong client changed something")

        took, code, recap, out = playbook(self.env, ["-i", wrong, "--limit", "dc_two", onboard, "--forks", str(self.forks)],
                                          self.file("wrong-client-one.log"))
        logs = self.take_logs("wrong API client, one data center", counted=False)
        failed = sorted(h for h, r in recap.items() if r["failed"])
        fatal = re.findall(r"^fatal: \[(\S+)\]: FAILED! => .*%s" % re.escape(message), out, re.M)
        went_on = "TASK [acronis.cyber_platform.tenant_onboarding : Tenant, with its settings" in out
        two = [(i["method"], i["path"], i["status"]) for i in logs["two"]]
        print("11. the same, data center two alone: %.1f s, exit %d, failed in the recap %s, the check's message on %s, "
              "a host went on: %s, requests %s" % (took, code, failed, fatal, went_on, two))
        self.expect(code and failed == [first_two] and fatal == [first_two] and not went_on and
                    sorted(recap) == sorted(self.groups["dc_two"]["hosts"]),
                    "with data center two alone, failed %s, the message on %s, a host went on: %s"
                    % (failed, fatal, went_on))
        self.expect(two == [("POST", TOKEN_PATH, 401)] and not logs["one"],
                    "data center two alone: requests %s, and %d to data center one" % (two, len(logs["one"])))

    def stop(self, keep):
        for name in DATA_CENTERS:
            violations = (self.admins[name].call("GET", "/violations") or {}).get("items") or []
            self.expect(not violations, "data center %s: %d simulator violations" % (name, len(violations)))
        for sim in self.sims.values():
            sim.stop()
        for line in self.bad:
            print("FAILED: " + line)
        if keep or self.bad:
            print("work directory (the runs' logs): %s" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=3, help="customers in each data center (default 3)")
    parser.add_argument("--forks", type=int, default=10, help="forks (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    stage = Stage(args.n, args.forks)
    try:
        stage.write_inventory()
        stage.take_logs("start", counted=False)
        stage.onboard_twice()
        source = stage.write_tenants_source()
        stage.list_tenants(source)
        stage.export_both()
        stage.onboard_the_export()
        changed_name = stage.change_by_hand()
        stage.drift(changed_name)
        stage.check_tokens()
        stage.fleet_health(source)
        stage.wrong_client()
    finally:
        stage.stop(args.keep)
    sys.exit(1 if stage.bad else 0)


if __name__ == "__main__":
    main()
