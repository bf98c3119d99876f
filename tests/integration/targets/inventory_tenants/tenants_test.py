# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the inventory_tenants target (called by runme.sh).

    tenants_test.py seed CONFIG OUT.json     create the subtree (see below), describe it in OUT.json
    tenants_test.py reset-log CONFIG         empty the simulator's request log
    tenants_test.py requests CONFIG OUT.json save the request log
    tenants_test.py check SEED.json INVENTORY.json LOG.json PAGE_SIZE
                                             compare an `ansible-inventory --list` with the seed and the log
    tenants_test.py cleanup CONFIG SEED.json disable and delete the subtree

CONFIG is the integration_config.yml that tests/utils/run_integration.sh writes.

The subtree, under the API client's tenant: a partner <resource_prefix>-inventory
(the inventory's root) and under it 1,000 tenants: 2 partners, a folder in
each, 990 customers spread over the four of them, and 6 units in the first
customer. Every 10th customer is switched to production and every 25th is
created disabled. Three more customers have names that are not host patterns:
"Contoso Ltd" under partner 1, and "Northwind Traders" and "Northwind traders."
under partner 1 and partner 2, whose host names collide. Everything the check
expects comes from the seed's own records of what it created, never from the
plugin: the host names by the rule the plugin documents (expected_hosts).
"""

import json
import math
import re
import sys

import requests
import yaml

CUSTOMERS = 990
UNITS = 6


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


def seed(config_path, out):
    config = load_config(config_path)
    api, session = api_session(config)
    prefix = config["resource_prefix"]

    def create(name, kind, parent, enabled=True):
        reply = session.post(api + "/tenants", json={"name": name, "kind": kind, "parent_id": parent,
                                                     "enabled": enabled}, timeout=30)
        if reply.status_code != 201:
            raise SystemExit("POST /tenants %s: HTTP %d %s" % (name, reply.status_code, reply.text))
        return reply.json()

    root = create("%s-inventory" % prefix, "partner", config["acronis_tenant_id"])
    partners = [create("%s-partner-%d" % (prefix, n), "partner", root["id"]) for n in (1, 2)]
    folders = [create("%s-folder-%d" % (prefix, n), "folder", p["id"]) for n, p in zip((1, 2), partners)]
    made = partners + folders
    parents = partners + folders
    for n in range(CUSTOMERS):
        customer = create("%s-customer-%03d" % (prefix, n), "customer", parents[n % len(parents)]["id"],
                          enabled=(n % 25 != 24))
        if n % 10 == 9:
            pricing = session.get(api + "/tenants/%s/pricing" % customer["id"], timeout=30)
            pricing.raise_for_status()
            body = pricing.json()
            body["mode"] = "production"
            switched = session.put(api + "/tenants/%s/pricing" % customer["id"], json=body, timeout=30)
            if switched.status_code != 200:
                raise SystemExit("PUT pricing %s: HTTP %d %s" % (customer["name"], switched.status_code, switched.text))
            customer["pricing_mode"] = switched.json()["mode"]
        made.append(customer)
    first_customer = made[len(partners + folders)]
    made.extend(create("%s-unit-%d" % (prefix, n), "unit", first_customer["id"]) for n in range(UNITS))
    made.append(create("Contoso Ltd", "customer", partners[0]["id"]))
    made.extend(create(name, "customer", partner["id"])
                for name, partner in (("Northwind Traders", partners[0]), ("Northwind traders.", partners[1])))

    fields = ("id", "name", "kind", "parent_id", "pricing_mode", "enabled")
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"root": dict((k, root.get(k)) for k in fields),
                   "tenants": [dict((k, t.get(k)) for k in fields) for t in made]}, handle, indent=1)
    print("seed: %d tenants under %s (%s)" % (len(made), root["name"], root["id"]))


def sim_url(config):
    return config["acronis_sim_url"].rstrip("/")


def reset_log(config_path):
    requests.delete(sim_url(load_config(config_path)) + "/_sim/requests", timeout=30).raise_for_status()


def save_requests(config_path, out):
    reply = requests.get(sim_url(load_config(config_path)) + "/_sim/requests", timeout=30)
    reply.raise_for_status()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(reply.json()["items"], handle, indent=1)


def expected_hosts(tenants):
    """{tenant id: host name} by the rule of the plugin's hostname=slug, for the seed's names (ASCII only):
    lower case, every run of characters other than a-z and 0-9 one "-", none at either end; names that give the
    same slug get "-" and the first 8 characters of their id."""
    slugs = dict((t["id"], re.sub(r"[^a-z0-9]+", "-", t["name"].lower()).strip("-")) for t in tenants)
    counts = {}
    for value in slugs.values():
        counts[value] = counts.get(value, 0) + 1
    return dict((tid, value if counts[value] == 1 else "%s-%s" % (value, tid[:8])) for tid, value in slugs.items())


def group_name(raw):
    """Group names as Ansible makes them valid (letters, digits, underscores)."""
    return "".join(c if c.isalnum() or c == "_" else "_" for c in raw)


def plain(value):
    """ansible-inventory --list marks values that did not come from a trusted file
    (here: everything the API returned) as {"__ansible_unsafe": value}."""
    if isinstance(value, dict):
        if list(value) == ["__ansible_unsafe"]:
            return value["__ansible_unsafe"]
        return dict((k, plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def check(seed_path, inventory_path, log_path, page_size):
    with open(seed_path, encoding="utf-8") as handle:
        world = json.load(handle)
    with open(inventory_path, encoding="utf-8") as handle:
        inventory = plain(json.load(handle))
    with open(log_path, encoding="utf-8") as handle:
        log = json.load(handle)
    failures = []

    # Requests: one token, then one GET per page of the subtree (root included).
    in_subtree = len(world["tenants"]) + 1
    pages = int(math.ceil(in_subtree / float(page_size)))
    calls = ["%s %s" % (entry["method"], entry["path"]) for entry in log]
    expected = ["POST /api/2/idp/token"] + ["GET /api/2/tenants"] * pages
    if calls != expected:
        failures.append("requests: expected %d (a token and %d pages of %d), got %d: %s"
                        % (len(expected), pages, page_size, len(calls), calls[:20]))
    if log and "subtree_root_id=%s" % world["root"]["id"] not in log[min(1, len(log) - 1)]["query"]:
        failures.append("the first page did not ask for the subtree of the root: %s" % log[1]["query"])

    # Hosts: the enabled tenants of the subtree, root excluded, named by the slugs of their names.
    hostvars = inventory.get("_meta", {}).get("hostvars", {})
    enabled = [t for t in world["tenants"] if t["enabled"]]
    host_of = expected_hosts(enabled)
    wanted = dict((host_of[t["id"]], t) for t in enabled)
    if sorted(hostvars) != sorted(wanted):
        missing = sorted(set(wanted) - set(hostvars))
        extra = sorted(set(hostvars) - set(wanted))
        failures.append("hosts: %d missing (%s...), %d unexpected (%s...)" % (len(missing), missing[:5], len(extra), extra[:5]))
    names_by_id = dict((t["id"], t["name"]) for t in world["tenants"])
    names_by_id[world["root"]["id"]] = world["root"]["name"]
    for name, tenant in sorted(wanted.items()):
        got = hostvars.get(name)
        if got is None:
            continue
        for field in ("id", "kind", "parent_id", "pricing_mode", "enabled", "name"):
            if got.get("acronis_" + field) != tenant[field]:
                failures.append("%s: acronis_%s is %r, expected %r" % (name, field, got.get("acronis_" + field), tenant[field]))
        if got.get("acronis_parent_name") != names_by_id[tenant["parent_id"]]:
            failures.append("%s: acronis_parent_name is %r" % (name, got.get("acronis_parent_name")))
        if "client_secret" in json.dumps(got) or any(k.startswith("acronis_client") for k in got):
            failures.append("%s: host variables name the API client" % name)

    # Groups by kind, parent and pricing mode, as the seed made them.
    def members(group):
        return sorted((inventory.get(group) or {}).get("hosts") or [])

    expected_groups = {}
    for tenant in wanted.values():
        for group in ("kind_%s" % tenant["kind"], group_name("parent_%s" % names_by_id[tenant["parent_id"]]),
                      "pricing_mode_%s" % tenant["pricing_mode"]):
            expected_groups.setdefault(group, []).append(host_of[tenant["id"]])
    for group, hosts in sorted(expected_groups.items()):
        if members(group) != sorted(hosts):
            failures.append("group %s: %d hosts, expected %d" % (group, len(members(group)), len(hosts)))
    # keyed_groups, groups and compose of the inventory file.
    disabled = set(expected_hosts([t])[t["id"]] for t in world["tenants"] if not t["enabled"])
    if not disabled or disabled & set(hostvars):
        failures.append("the seed has %d disabled tenants, and none may be a host by default" % len(disabled))
    production_customers = sorted(host_of[t["id"]] for t in wanted.values() if t["kind"] == "customer" and t["pricing_mode"] == "production")
    if not production_customers or members("production_customers") != production_customers:
        failures.append("group production_customers: %d hosts, expected %d" % (len(members("production_customers")), len(production_customers)))
    parent_of = dict((t["id"], t["parent_id"]) for t in world["tenants"])

    def depth(tenant_id):
        return 0 if tenant_id == world["root"]["id"] else depth(parent_of[tenant_id]) + 1

    for level in (1, 2, 3):
        at_level = sorted(host_of[t["id"]] for t in wanted.values() if depth(t["id"]) == level)
        if not at_level or members("depth_%d" % level) != at_level:
            failures.append("keyed group depth_%d: %d hosts, expected %d" % (level, len(members("depth_%d" % level)), len(at_level)))
    for name in sorted(wanted)[:50]:
        label = "%s (%s)" % (wanted[name]["name"], wanted[name]["kind"])
        if name in hostvars and hostvars[name].get("tenant_label") != label:
            failures.append("%s: compose tenant_label is %r" % (name, hostvars[name].get("tenant_label")))

    if failures:
        print("\n".join(failures))
        raise SystemExit("check: %d failures" % len(failures))
    print("check: %d hosts, %d groups checked, %d requests (a token and %d pages)" % (len(hostvars), len(expected_groups) + 2, len(calls), pages))


def cleanup(config_path, seed_path):
    config = load_config(config_path)
    api, session = api_session(config)
    with open(seed_path, encoding="utf-8") as handle:
        root_id = json.load(handle)["root"]["id"]
    root = session.get(api + "/tenants/%s" % root_id, timeout=30)
    if root.status_code == 404:
        return
    root.raise_for_status()
    disabled = session.put(api + "/tenants/%s" % root_id, json={"version": root.json()["version"], "enabled": False}, timeout=30)
    disabled.raise_for_status()
    session.delete(api + "/tenants/%s" % root_id, params={"version": disabled.json()["version"]}, timeout=30).raise_for_status()
    print("cleanup: deleted %s and its subtree" % root_id)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "seed":
        seed(*args)
    elif command == "reset-log":
        reset_log(*args)
    elif command == "requests":
        save_requests(*args)
    elif command == "check":
        check(args[0], args[1], args[2], int(args[3]))
    elif command == "cleanup":
        cleanup(*args)
    else:
        raise SystemExit("unknown command %s" % command)


if __name__ == "__main__":
    main()
