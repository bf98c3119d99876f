# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the acronis_inventory_export target (called by runme.sh).

    roundtrip_test.py world CONFIG ROOT_ID OUT.yml
                                                  write the inventory of the world the onboarding builds
    roundtrip_test.py reset-log CONFIG            empty the simulator's request log
    roundtrip_test.py writes CONFIG N             assert that the log holds exactly N writes (and say which)
    roundtrip_test.py api-requests CONFIG N       assert that the log holds exactly N requests besides token requests
    roundtrip_test.py exported EXPORT.yml WORLD.yml CONFIG
                                                  compare the export with the world the onboarding was given
    roundtrip_test.py change CONFIG ROOT_ID NAME  change the contact e-mail of one customer through the API
    roundtrip_test.py drift DRIFT.csv HOST        assert that HOST, and only HOST, drifted, in that e-mail
    roundtrip_test.py merged FILE PREFIX          assert what runme.sh's merge of partner B into a hand-written file gives
    roundtrip_test.py cleanup CONFIG ROOT_ID      disable and delete the world

CONFIG is the integration_config.yml that tests/utils/run_integration.sh writes.

The world, under the partner ROOT_ID that setup.yml creates: 2 partners (<prefix> Partner A, with a brand, and <prefix> Partner B), 15 customers under each, and
2 units under each of the first two customers of A: 30 customers, lean items (one or two, with quotas) and one
administrator each (a second, read-only one, on every fifth). Everything the checks expect comes from this
description, never from the module under test.
"""

import csv
import sys

import requests
import yaml

CUSTOMERS_PER_PARTNER = 15
HAND_MADE_EMAIL = "changed-by-hand@example.test"


def load_config(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def api_session(config):
    api = config["acronis_base_url"].rstrip("/")
    if not api.endswith("/api/2"):
        api += "/api/2"
    session = requests.Session()
    token = session.post(api + "/idp/token", data={"grant_type": "client_credentials"},
                         auth=(config["acronis_client_id"], config["acronis_client_secret"]), timeout=30)
    token.raise_for_status()
    session.headers["Authorization"] = "Bearer " + token.json()["access_token"]
    return api, session


def world(config_path, root_id, out):
    """The inventory the onboarding builds the world from, in the shipped format (playbooks/inventory/partner.yml)."""
    prefix = load_config(config_path)["resource_prefix"]
    slug = prefix.lower()
    partners, customers, units = {}, {}, {}
    for letter in "ab":
        partner = "%s-partner-%s" % (slug, letter)
        partners[partner] = {
            "tenant_onboarding_name": "%s Partner %s" % (prefix, letter.upper()),
            "tenant_onboarding_parent_id": root_id,
            "tenant_onboarding_customer_id": "P-%s" % letter.upper(),
            "tenant_onboarding_edition": "per_workload",
            "tenant_onboarding_all_offering_items": False,
            "tenant_onboarding_offering_items": [{"name": "pw_workstations", "quota": {"value": 1000}},
                                                 {"name": "pw_servers", "quota": {"value": 100}}],
            "tenant_onboarding_administrators": [{"login": "%s-admin-%s" % (slug, letter),
                                                  "email": "admin-%s@partner.example" % letter}],
        }
        if letter == "a":
            partners[partner]["tenant_onboarding_brand"] = {"company_name": "Partner A Cloud", "color": "2E7D32"}
        for number in range(1, CUSTOMERS_PER_PARTNER + 1):
            customer = "%s-customer-%s%02d" % (slug, letter, number)
            host = {
                "tenant_onboarding_name": "%s Customer %s%02d" % (prefix, letter.upper(), number),
                "tenant_onboarding_parent": partner,
                "tenant_onboarding_customer_id": "CRM-%s%02d" % (letter.upper(), number),
                "tenant_onboarding_contact": {"email": "it@%s.example" % customer},
                "tenant_onboarding_edition": "per_workload",
                "tenant_onboarding_offering_items": [{"name": "pw_workstations", "quota": {"value": number}}],
                "tenant_onboarding_administrators": [{"login": "%s-admin" % customer,
                                                      "email": "admin@%s.example" % customer,
                                                      "firstname": "Ada", "lastname": "Number %d" % number}],
            }
            if number % 3 == 0:
                host["tenant_onboarding_offering_items"].append({"name": "pw_servers", "quota": {"value": 2,
                                                                                                 "overage": 1}})
            if number % 5 == 0:
                host["tenant_onboarding_administrators"].append({"login": "%s-audit" % customer,
                                                                 "email": "audit@%s.example" % customer,
                                                                 "roles": ["readonly_admin"]})
            if number == 4:
                host["tenant_onboarding_mfa"] = False
                host["tenant_onboarding_management_mode"] = "self_service"
            if number == 6:
                host["tenant_onboarding_production"] = True
            customers[customer] = host
            if letter == "a" and number <= 2:
                for unit_number in (1, 2):
                    unit = "%s-unit-%d" % (customer, unit_number)
                    units[unit] = {
                        "tenant_onboarding_name": "%s Customer A%02d Unit %d" % (prefix, number, unit_number),
                        "tenant_onboarding_parent": customer,
                        "tenant_onboarding_administrators": [{"login": "%s-admin" % unit,
                                                              "email": "admin@%s.example" % unit,
                                                              "roles": ["unit_admin"]}],
                    }
    inventory = {"all": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "children": {"partners": {"hosts": partners}, "customers": {"hosts": customers}, "units": {"hosts": units}}}}
    with open(out, "w", encoding="utf-8") as handle:
        yaml.safe_dump(inventory, handle, sort_keys=True)


def sim_log(config):
    reply = requests.get(config["acronis_sim_url"] + "/_sim/requests", timeout=30)
    reply.raise_for_status()
    return reply.json()["items"]


def reset_log(config_path):
    requests.delete(load_config(config_path)["acronis_sim_url"] + "/_sim/requests", timeout=30).raise_for_status()


def writes(config_path, expected):
    found = [r for r in sim_log(load_config(config_path)) if r["write"]]
    if len(found) != int(expected):
        sys.exit("expected %s writes, the simulator logged %d: %s"
                 % (expected, len(found), ", ".join("%s %s" % (r["method"], r["path"]) for r in found[:20])))
    print("%d writes, as expected" % len(found))


def api_requests(config_path, expected):
    """Assert that the log holds exactly ``expected`` API requests besides token requests (and say which)."""
    found = [r for r in sim_log(load_config(config_path)) if r["path"] != "/api/2/idp/token"]
    if len(found) != int(expected):
        sys.exit("expected %s API requests, the simulator logged %d: %s"
                 % (expected, len(found), ", ".join("%s %s" % (r["method"], r["path"]) for r in found[:20])))
    print("%d API requests, as expected: %s" % (len(found), ", ".join("%s %s" % (r["method"], r["path"]) for r in found)))


def exported(export_path, world_path, config_path):
    """The export has every host of the world, in its group, named with the slug of its tenant's name, with the
    values the world was onboarded with, and no secret; and every host is in the group of the simulator's data
    center, which names its URL."""
    with open(export_path, encoding="utf-8") as handle:
        text = handle.read()
    export = yaml.safe_load(text)["all"]["children"]
    root = load_config(config_path)["acronis_base_url"].rstrip("/")
    root = root[:-len("/api/2")] if root.endswith("/api/2") else root
    centers = dict((name, group) for name, group in export.items() if name.startswith("data_center_"))
    with open(world_path, encoding="utf-8") as handle:
        wanted = yaml.safe_load(handle)["all"]["children"]
    problems = []
    for group, members in wanted.items():
        # The world's host names are the slugs of the names ("<prefix> Customer A01" is <prefix>-customer-a01).
        if sorted(export[group]["hosts"]) != sorted(members["hosts"]):
            problems.append("%s: hosts %s, expected %s" % (group, sorted(export[group]["hosts"]), sorted(members["hosts"])))
            continue
        for host, spec in members["hosts"].items():
            problems.extend("%s: %s" % (host, p) for p in host_problems(group, spec, export[group]["hosts"][host]))
    every_host = sorted(host for group in wanted.values() for host in group["hosts"])
    if [sorted(group["hosts"]) for group in centers.values()] != [every_host]:
        problems.append("data center groups %s, expected one with every host" % dict(
            (name, sorted(group.get("hosts") or {})) for name, group in centers.items()))
    elif [group["vars"].get("acronis_base_url") for group in centers.values()] != [root]:
        problems.append("the data center group's vars are %s, expected acronis_base_url %s"
                        % ([group.get("vars") for group in centers.values()], root))
    for word in ("password", "secret", "client_id"):
        if word in text:
            problems.append("the export holds the word %r" % word)
    if problems:
        sys.exit("the export differs from the world:\n  " + "\n  ".join(problems[:30]))
    print("the export describes the world: %d hosts, all in %s" % (sum(len(m["hosts"]) for m in wanted.values()),
                                                                   ", ".join(centers)))


def host_problems(group, spec, got):
    """How one exported host differs from its world's host, in every variable the world set."""
    problems = []
    for key, value in spec.items():
        if key == "tenant_onboarding_offering_items":
            value, mine = items_of(value), items_of(got.get(key, []))
        elif key == "tenant_onboarding_administrators":
            value, mine = admins_of(value, group), admins_of(got.get(key, []), group)
        elif key == "tenant_onboarding_brand":
            mine = dict((k, got.get(key, {}).get(k)) for k in value)
        else:
            mine = got.get(key)
        if mine != value:
            problems.append("%s is %r, expected %r" % (key, mine, value))
    return problems


def items_of(entries):
    return sorted((e["name"], e["quota"].get("value"), e["quota"].get("overage")) for e in entries)


def admins_of(entries, group):
    """(login, e-mail, roles) of administrator entries; unset roles are the default roles of the group's kind."""
    default = ["partner_admin"] if group == "partners" else ["company_admin"]
    return sorted((e["login"], e["email"], tuple(e.get("roles") or default)) for e in entries)


def change(config_path, root_id, name):
    """The hand-made change: a new contact e-mail for the customer named ``name``, through the API."""
    config = load_config(config_path)
    api, session = api_session(config)
    tenants = session.get(api + "/tenants", params={"subtree_root_id": root_id}, timeout=30)
    tenants.raise_for_status()
    tenant_id = [t["id"] for t in tenants.json()["items"] if t["name"] == name][0]
    tenant = session.get(api + "/tenants/" + tenant_id, timeout=30).json()
    reply = session.put(api + "/tenants/" + tenant_id, json={"version": tenant["version"],
                                                             "contact": {"email": HAND_MADE_EMAIL}}, timeout=30)
    reply.raise_for_status()
    print("changed the contact e-mail of %s" % name)


def drift(csv_path, host):
    with open(csv_path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    drifted = [r for r in rows if r["status"] != "in sync"]
    expected = [(host, "drift", "contact.email", HAND_MADE_EMAIL)]
    got = [(r["host"], r["status"], r["field"], r["before"]) for r in drifted]
    if got != expected or not rows:
        sys.exit("drift report rows %s, expected exactly %s" % (got, expected))
    print("the drift report names %s alone, with its contact e-mail (%d hosts in sync)" % (host, len(rows) - 1))


def merged(path, prefix):
    """Partner B's subtree merged into the hand-written file of runme.sh: its host b-one kept, and its variable."""
    with open(path, encoding="utf-8") as handle:
        groups = yaml.safe_load(handle)["all"]["children"]
    slug = prefix.lower()
    expected_customers = ["b-one"] + ["%s-customer-b%02d" % (slug, n) for n in range(2, CUSTOMERS_PER_PARTNER + 1)]
    problems = []
    if sorted(groups["customers"]["hosts"]) != sorted(expected_customers):
        problems.append("customers %s, expected %s" % (sorted(groups["customers"]["hosts"]), sorted(expected_customers)))
    if sorted(groups["partners"]["hosts"]) != ["%s-partner-b" % slug]:
        problems.append("partners %s, expected only partner B" % sorted(groups["partners"]["hosts"]))
    if groups["units"]["hosts"]:
        problems.append("units %s, expected none (partner B has none)" % sorted(groups["units"]["hosts"]))
    one = groups["customers"]["hosts"].get("b-one", {})
    wanted = {"my_own_variable": "kept", "tenant_onboarding_customer_id": "CRM-B01",
              "tenant_onboarding_name": "%s Customer B01" % prefix, "tenant_onboarding_parent": "%s-partner-b" % slug}
    for key, value in wanted.items():
        if one.get(key) != value:
            problems.append("b-one %s: %r, expected %r" % (key, one.get(key), value))
    if problems:
        sys.exit("the merged inventory:\n  " + "\n  ".join(problems))
    print("partner B merged: b-one kept its name and its own variable")


def cleanup(config_path, root_id):
    config = load_config(config_path)
    api, session = api_session(config)
    root = session.get(api + "/tenants/%s" % root_id, timeout=30)
    if root.status_code == 404:
        return
    root.raise_for_status()
    disabled = session.put(api + "/tenants/%s" % root_id, json={"version": root.json()["version"], "enabled": False},
                           timeout=30)
    disabled.raise_for_status()
    session.delete(api + "/tenants/%s" % root_id, params={"version": disabled.json()["version"]},
                   timeout=30).raise_for_status()
    print("cleanup: deleted %s and its subtree" % root_id)


def main(argv):
    command, args = argv[1], argv[2:]
    commands = {"world": world, "reset-log": reset_log, "writes": writes, "api-requests": api_requests, "exported": exported,
                "change": change, "drift": drift, "merged": merged, "cleanup": cleanup}
    commands[command](*args)


if __name__ == "__main__":
    main(sys.argv)
