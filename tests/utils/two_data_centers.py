"""Two data centers in one run (the data-centers stage of `make test`): each customer in its own, one token each.

Two simulators stand for two data centers. One inventory holds the customers of both (the inventory of
benchmarks/onboarding.py, split in two groups), each group naming its data center: the first with
``acronis_credentials_file`` (its simulator's credentials file), the second with ``acronis_base_url``,
``acronis_client_id`` and ``acronis_client_secret``; no ACRONIS_* connection variable is set.
playbooks/onboard_customers.yml onboards them all in one run (forks 10, one token cache directory):

- exit 0 and no failed host; each simulator holds exactly the customers of its group, and each issued one token;
- a second run changes nothing and sends no write to either;
- the acronis.cyber_platform.tenants inventory, with ``data_centers`` naming both, lists every customer once,
  with its data center (``acronis_data_center``, ``acronis_base_url``) and in its group ``data_center_<name>``.

    .venv/bin/python tests/utils/two_data_centers.py            # 3 customers in each

Prints the figures; exit 1 when one is off.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "benchmarks"))
import chaos  # noqa: E402  (benchmarks/chaos.py: the playbook run and the simulator's admin interface)
import onboarding  # noqa: E402  (benchmarks/onboarding.py: the customers and the simulator)

DATA_CENTERS = ("one", "two")
TOKEN_PATH = "/api/2/idp/token"


def plain(value):
    """A value of ansible-inventory --list as written: untagged (ansible-core marks strings from plugins unsafe)."""
    return value.get("__ansible_unsafe") if isinstance(value, dict) and "__ansible_unsafe" in value else value


def customers_of(state):
    """The names of the customers under the simulator's partner."""
    return sorted(t["name"] for t in state["tenants"].values()
                  if t.get("parent_id") == state["partner_id"] and not t.get("deleted_at") and t["kind"] == "customer")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=3, help="customers in each data center (default 3)")
    parser.add_argument("--forks", type=int, default=10, help="forks (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="acronis-two-dc-")
    link_dir = os.path.join(workdir, "collections", "ansible_collections", "acronis")
    os.makedirs(link_dir)
    os.symlink(REPO, os.path.join(link_dir, "cyber_platform"))
    sims = {}
    bad = []
    try:
        for name in DATA_CENTERS:
            os.makedirs(os.path.join(workdir, name))
            sims[name] = onboarding.Simulator(os.path.join(workdir, name), 0)
        admins = dict((name, chaos.Admin(sim)) for name, sim in sims.items())
        customers = onboarding.inventory(2 * args.n)["customers"]
        hosts = sorted(customers["hosts"])
        groups = {}
        for number, name in enumerate(DATA_CENTERS):
            creds = sims[name].creds
            # The two ways a group names its data center: a credentials file, or the three variables.
            named_by = ({"acronis_credentials_file": sims[name].creds_file} if number == 0 else
                        {"acronis_base_url": creds["base_url"], "acronis_client_id": creds["client_id"],
                         "acronis_client_secret": creds["client_secret"]})
            groups["dc_" + name] = {
                "vars": named_by,
                "hosts": dict((h, customers["hosts"][h]) for h in hosts[number * args.n:(number + 1) * args.n]),
            }
        inventory_file = os.path.join(workdir, "customers.yml")
        with open(inventory_file, "w") as handle:
            json.dump({"customers": {"vars": customers["vars"], "children": groups}}, handle)
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith("ACRONIS_"))
        env.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, "collections"), ANSIBLE_STDOUT_CALLBACK="default",
                   ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="false",
                   ACRONIS_TOKEN_CACHE_DIR=os.path.join(workdir, "tokens"))
        for admin in admins.values():
            admin.take_log()

        took, code, recap = chaos.run_playbook(env, inventory_file, args.forks, os.path.join(workdir, "first.log"))
        failed = sum(1 for h in hosts if h not in recap or recap[h]["failed"] or recap[h]["unreachable"])
        print("one run over two data centers: %.1f s, exit %d, failed hosts %d" % (took, code, failed))
        if code or failed:
            bad.append("the first run failed")
        for name in DATA_CENTERS:
            log = admins[name].take_log()
            tokens = sum(1 for i in log if i["method"] == "POST" and i["path"] == TOKEN_PATH)
            held = customers_of(admins[name].call("GET", "/state"))
            wanted = sorted(h["tenant_onboarding_name"] for h in groups["dc_" + name]["hosts"].values())
            print("data center %s: %d API requests, tokens issued %d, customers %s"
                  % (name, len(log), tokens, ", ".join(held) or "none"))
            if held != wanted:
                bad.append("data center %s holds %s, not %s" % (name, held, wanted))
            if tokens != 1:
                bad.append("data center %s issued %d tokens, not 1" % (name, tokens))

        took, code, recap = chaos.run_playbook(env, inventory_file, args.forks, os.path.join(workdir, "second.log"))
        changed = sum(r["changed"] for r in recap.values())
        writes = dict((name, sum(1 for i in admins[name].take_log() if i["write"])) for name in DATA_CENTERS)
        print("second run: %.1f s, exit %d, changed %d, writes %s" % (took, code, changed, writes))
        if code or changed or any(writes.values()):
            bad.append("the second run changed something")

        source = os.path.join(workdir, "two.acronis.yml")
        with open(source, "w") as handle:
            json.dump({"plugin": "acronis.cyber_platform.tenants", "kinds": ["customer"],
                       "data_centers": [{"name": name, "credentials_file": sims[name].creds_file}
                                        for name in DATA_CENTERS]}, handle)
        listing = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "-i", source,
                                  "--list"], env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, check=False)
        if listing.returncode:
            bad.append("ansible-inventory failed: %s" % listing.stderr.strip()[-500:])
        else:
            found = json.loads(listing.stdout)
            hostvars = found["_meta"]["hostvars"]
            for name in DATA_CENTERS:
                root = re.sub(r"/api/2/?$", "", sims[name].creds["base_url"]).rstrip("/")
                members = found.get("data_center_" + name, {}).get("hosts", [])
                listed = sorted(plain(hostvars[h]["acronis_name"]) for h in members)
                wanted = sorted(h["tenant_onboarding_name"] for h in groups["dc_" + name]["hosts"].values())
                named = set((plain(hostvars[h].get("acronis_data_center")),
                             plain(hostvars[h].get("acronis_base_url")).rstrip("/")) for h in members)
                print("inventory, data center %s: %s" % (name, ", ".join(listed) or "no host"))
                if listed != wanted or named != {(name, root)}:
                    bad.append("the inventory's data center %s lists %s named %s" % (name, listed, named))
            if len(hostvars) != 2 * args.n:
                bad.append("the inventory has %d hosts, not %d" % (len(hostvars), 2 * args.n))
        for name in DATA_CENTERS:
            violations = (admins[name].call("GET", "/violations") or {}).get("items") or []
            if violations:
                bad.append("data center %s: %d simulator violations" % (name, len(violations)))
    finally:
        for sim in sims.values():
            sim.stop()
    for line in bad:
        print("FAILED: " + line)
    if args.keep or bad:
        print("work directory (first.log, second.log): %s" % workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
