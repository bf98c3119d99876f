# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the acronis_fleet_onboarding target (called by runme.sh).

    fleet_test.py world CONFIG ROOT_ID OUT.yml     write the inventory (the one both paths onboard)
    fleet_test.py snapshot CONFIG ROOT_ID OUT.json write the world under ROOT_ID, read from /_sim/state (the fields
                                                   compare() lists, ids and timestamps aside)
    fleet_test.py described SNAPSHOT.json PREFIX   assert that the world is the one world() describes, in a few fields
    fleet_test.py same SNAPSHOT.json OTHER.json [LOGIN]
                                                   assert that both worlds are the same (but for LOGIN's user, which
                                                   OTHER must lack)
    fleet_test.py clear CONFIG ROOT_ID [NAME]      delete the tenant NAME under ROOT_ID (default: every child of ROOT_ID)
    fleet_test.py reset-log CONFIG                 empty the simulator's request log
    fleet_test.py writes CONFIG N                  assert that the log holds exactly N writes (and say which)
    fleet_test.py results RESULT.json HOSTS CHANGED... [-- FAILED...]
                                                   assert the fleet task's result: HOSTS hosts, exactly these changed
                                                   (and these failed, named in the summary)
    fleet_test.py same-changes CHECK.json APPLY.json
                                                   assert that the check run's per-host changed is the apply's
    fleet_test.py take-login CONFIG ROOT_ID LOGIN  arm the other writer: before our create of LOGIN, another client
                                                   creates LOGIN in ROOT_ID
    fleet_test.py give-back-login CONFIG LOGIN     assert that the other writer took LOGIN, then delete its user
    fleet_test.py password                         print the password-activated administrator's password
    fleet_test.py cleanup CONFIG ROOT_ID           disable and delete the world (and forget the other writer)

CONFIG is the integration_config.yml that tests/utils/run_integration.sh writes. Everything a check expects comes
from the description in world() or from the simulator's state, never from the module under test.
"""

import json
import sys

import requests
import yaml

PASSWORD = "Fleet-Pa55word-7Q"  # the password-activated administrator's (tenant_onboarding_passwords)


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


# ------------------------------------------------------------------ the inventory

def world(config_path, root_id, out):
    """2 partners (A with a brand and chosen items, B with every item and a password-activated administrator),
    5 customers, 2 units: the inventory both paths onboard, in the shipped format (playbooks/inventory/partner.yml).

    customer-b2 (under B, no unit) is the one whose administrator's login another client takes; customer-a3
    (under A, no unit) is the one onboarded alone with --limit.
    """
    prefix = load_config(config_path)["resource_prefix"]
    slug = prefix.lower()
    partners = {
        slug + "-partner-a": {
            "tenant_onboarding_name": prefix + " Partner A",
            "tenant_onboarding_parent_id": root_id,
            "tenant_onboarding_customer_id": "P-A",
            "tenant_onboarding_edition": "per_workload",
            "tenant_onboarding_all_offering_items": False,
            "tenant_onboarding_offering_items": [{"name": "pw_workstations", "quota": {"value": 1000}},
                                                 {"name": "pw_servers", "quota": {"value": 100}}],
            "tenant_onboarding_brand": {"company_name": "Partner A Cloud", "color": "2E7D32"},
            "tenant_onboarding_administrators": [{"login": slug + "-admin-a", "email": "admin-a@partner.example"}],
        },
        slug + "-partner-b": {
            "tenant_onboarding_name": prefix + " Partner B",
            "tenant_onboarding_parent_id": root_id,
            "tenant_onboarding_language": "de",
            "tenant_onboarding_administrators": [{"login": slug + "-admin-b", "email": "admin-b@partner.example",
                                                  "activation": "password"}],
            "tenant_onboarding_passwords": {slug + "-admin-b": PASSWORD},
        },
    }

    def customer(letter, number, **more):
        host = slug + "-customer-%s%d" % (letter, number)
        spec = {
            "tenant_onboarding_name": "%s Customer %s%d" % (prefix, letter.upper(), number),
            "tenant_onboarding_parent": slug + "-partner-" + letter,
            "tenant_onboarding_customer_id": "CRM-%s%d" % (letter.upper(), number),
            "tenant_onboarding_contact": {"email": "it@%s.example" % host},
            "tenant_onboarding_edition": "per_workload",
            "tenant_onboarding_offering_items": [{"name": "pw_workstations", "quota": {"value": 10 + number}}],
            "tenant_onboarding_administrators": [{"login": host + "-admin", "email": "admin@%s.example" % host}],
        }
        spec.update(("tenant_onboarding_" + key, value) for key, value in more.items())
        return host, spec

    customers = dict([
        customer("a", 1, administrators=[
            {"login": slug + "-customer-a1-admin", "email": "admin@a1.example", "firstname": "Ada", "lastname": "One"},
            {"login": slug + "-customer-a1-audit", "email": "audit@a1.example", "roles": ["readonly_admin"]}]),
        customer("a", 2, mfa=False, management_mode="self_service", production=True,
                 administrators=[{"login": slug + "-customer-a2-admin", "email": "admin@a2.example",
                                  "activation": "none"}]),
        customer("a", 3, internal_tag="limit-me"),
        customer("b", 1, language="fr", offering_items=[{"name": "pw_workstations", "quota": {"value": 5}},
                                                        {"name": "pw_servers", "quota": {"value": 2, "overage": 1}}]),
        customer("b", 2),
    ])
    units = {
        slug + "-customer-a1-unit": {
            "tenant_onboarding_name": prefix + " Customer A1 Unit",
            "tenant_onboarding_parent": slug + "-customer-a1",
            "tenant_onboarding_administrators": [{"login": slug + "-unit-a1-admin", "email": "unit@a1.example",
                                                  "roles": ["unit_admin"]}],
        },
        slug + "-customer-b1-unit": {
            "tenant_onboarding_name": prefix + " Customer B1 Unit",
            "tenant_onboarding_parent": slug + "-customer-b1",
        },
    }
    inventory = {"all": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "children": {"partners": {"hosts": partners}, "customers": {"hosts": customers}, "units": {"hosts": units}}}}
    with open(out, "w", encoding="utf-8") as handle:
        yaml.safe_dump(inventory, handle, sort_keys=True)


# ------------------------------------------------------------------ the world, read from the simulator

def sim_state(config):
    reply = requests.get(config["acronis_sim_url"] + "/_sim/state", timeout=30)
    reply.raise_for_status()
    return reply.json()


def snapshot(config_path, root_id, out):
    """The world under ROOT_ID (ROOT_ID itself aside), each object keyed by its names rather than its id.

    Tenants by the path of names below the root: kind, enabled, customer_id, internal_tag, language, the contact's
    e-mail, first and last name, ancestral_access (the management mode), mfa_status, pricing_mode, enhanced
    security; their offering items (every item key with its status, quota value and overage); the brand of a
    tenant with its own (company name, color, enabled). Users by login: the tenant's path, the contact's e-mail,
    first and last name, language, enabled, activated, whether an activation e-mail was sent, the password they
    were given, and their roles (role, and the path of the role's tenant).
    """
    state = sim_state(load_config(config_path))
    tenants = state["tenants"]

    def alive(record):
        return record.get("deleted_at") is None

    paths = {}

    def path_of(tenant_id):
        if tenant_id in paths:
            return paths[tenant_id]
        record = tenants.get(tenant_id)
        if tenant_id == root_id:
            paths[tenant_id] = ""
        elif record is None or record["parent_id"] == tenant_id or not alive(record) or record.get("_hidden"):
            paths[tenant_id] = None     # outside the world (a hidden tenant is a user's own, which the API hides)
        else:
            parent = path_of(record["parent_id"])
            paths[tenant_id] = None if parent is None else (parent + "/" + record["name"]).lstrip("/")
        return paths[tenant_id]

    brands = state["ext"].get("brands") or {}
    world_tenants = {}
    for tenant_id, record in tenants.items():
        path = path_of(tenant_id)
        if not path:
            continue
        contact = record.get("contact") or {}
        brand = brands.get(tenant_id)
        world_tenants[path] = {
            "kind": record["kind"],
            "enabled": record["enabled"],
            "customer_id": record["customer_id"],
            "internal_tag": record["internal_tag"],
            "language": record["language"],
            "contact": [contact.get("email"), contact.get("firstname"), contact.get("lastname")],
            "ancestral_access": record["ancestral_access"],
            "mfa_status": record["mfa_status"],
            "pricing_mode": record["pricing_mode"],
            "enhanced_security": record.get("_enhanced_security"),
            "items": dict((key, [item["status"], item["quota"]["value"], item["quota"]["overage"]])
                          for key, item in sorted(record.get("_items", {}).items())),
            "brand": None if brand is None else [brand.get("company_name"), brand.get("color"),
                                                 record.get("brand_enabled")],
        }
    emailed = set(email["user_id"] for email in state["activation_emails"])
    users = {}
    for user_id, record in state["users"].items():
        path = path_of(record["tenant_id"])
        if not path or not alive(record):
            continue
        contact = record.get("contact") or {}
        roles = sorted([policy["role_id"], path_of(policy["tenant_id"])] for policy in state["policies"].get(user_id, [])
                       if policy.get("deleted_at") is None)
        users[record["login"]] = {
            "tenant": path,
            "contact": [contact.get("email"), contact.get("firstname"), contact.get("lastname")],
            "language": record["language"],
            "enabled": record["enabled"],
            "activated": record["activated"],
            "activation_email": user_id in emailed,
            "password": record.get("_password"),
            "roles": roles,
        }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"tenants": world_tenants, "users": users}, handle, indent=1, sort_keys=True)
    print("the world: %d tenants, %d users" % (len(world_tenants), len(users)))


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def same(first_path, second_path, missing_login=None):
    """Both worlds hold the same tenants and users, field by field (but for missing_login's user, which the second
    world must not have)."""
    first, second = load_json(first_path), load_json(second_path)
    problems = []
    if missing_login:
        if missing_login not in first["users"] or missing_login in second["users"]:
            problems.append("user %s: expected in the first world only" % missing_login)
        first["users"].pop(missing_login, None)
    for kind in ("tenants", "users"):
        if sorted(first[kind]) != sorted(second[kind]):
            problems.append("%s: %s, then %s" % (kind, sorted(first[kind]), sorted(second[kind])))
            continue
        for name, fields in first[kind].items():
            for field, value in fields.items():
                if second[kind][name].get(field) != value:
                    problems.append("%s %s: %s is %r, then %r" % (kind[:-1], name, field, value,
                                                                  second[kind][name].get(field)))
    if problems:
        sys.exit("the worlds differ:\n  " + "\n  ".join(problems[:30]))
    print("the same world: %d tenants, %d users%s" % (len(second["tenants"]), len(second["users"]),
                                                      " (but for %s)" % missing_login if missing_login else ""))


def described(snapshot_path, prefix):
    """A few fields of the world against world()'s description, so that two equally wrong worlds do not pass."""
    got = load_json(snapshot_path)
    tenants, users = got["tenants"], got["users"]
    slug = prefix.lower()
    pa, pb = prefix + " Partner A", prefix + " Partner B"
    a1, a2, b1 = pa + "/" + prefix + " Customer A1", pa + "/" + prefix + " Customer A2", pb + "/" + prefix + " Customer B1"
    workstations = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb|pw_workstations|"
    servers = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb|pw_servers|"
    expected = [
        ("tenants", sorted(tenants), sorted([pa, pb, a1, a2, pa + "/" + prefix + " Customer A3", b1,
                                             pb + "/" + prefix + " Customer B2", a1 + "/" + prefix + " Customer A1 Unit",
                                             b1 + "/" + prefix + " Customer B1 Unit"])),
        ("kinds", [tenants[pa]["kind"], tenants[a1]["kind"], tenants[a1 + "/" + prefix + " Customer A1 Unit"]["kind"]],
         ["partner", "customer", "unit"]),
        ("partner A's brand", tenants[pa]["brand"], ["Partner A Cloud", "2E7D32", True]),
        ("partner B's brand", tenants[pb]["brand"], None),
        ("partner A's workstations", tenants[pa]["items"].get(workstations), [1, 1000, None]),
        ("customer B1's servers", tenants[b1]["items"].get(servers), [1, 2, 1]),
        ("customer A2's settings", [tenants[a2][k] for k in ("mfa_status", "ancestral_access", "pricing_mode")],
         ["disabled", False, "production"]),
        ("customer A1's settings", [tenants[a1][k] for k in ("mfa_status", "ancestral_access", "customer_id")],
         ["enabled", True, "CRM-A1"]),
        ("customer B1's language", tenants[b1]["language"], "fr"),
        ("the audit user's roles", users[slug + "-customer-a1-audit"]["roles"], [["readonly_admin", a1]]),
        ("the unit admin's roles", users[slug + "-unit-a1-admin"]["roles"],
         [["unit_admin", a1 + "/" + prefix + " Customer A1 Unit"]]),
        ("partner B's admin", [users[slug + "-admin-b"][k] for k in ("activated", "password", "activation_email")],
         [True, PASSWORD, False]),
        ("partner A's admin", [users[slug + "-admin-a"][k] for k in ("activated", "activation_email", "roles")],
         [False, True, [["partner_admin", pa]]]),
        ("customer A2's admin", [users[slug + "-customer-a2-admin"][k] for k in ("activated", "activation_email")],
         [False, False]),
    ]
    problems = ["%s: %r, expected %r" % (what, value, wanted) for what, value, wanted in expected if value != wanted]
    if problems:
        sys.exit("the world is not the one described:\n  " + "\n  ".join(problems))
    print("the world is the one described (%d checks)" % len(expected))


# ------------------------------------------------------------------ changes to the world

def clear(config_path, root_id, name=None):
    """Delete every child tenant of ROOT_ID, or the one named NAME anywhere below it, with its subtree."""
    config = load_config(config_path)
    api, session = api_session(config)
    found = session.get(api + "/tenants", params={"subtree_root_id": root_id}, timeout=30)
    found.raise_for_status()
    doomed = [t["id"] for t in found.json()["items"]
              if t["id"] != root_id and (t["name"] == name if name else t["parent_id"] == root_id)]
    if name and len(doomed) != 1:
        sys.exit("expected one tenant named %s under the root, found %d" % (name, len(doomed)))
    for tenant_id in doomed:
        delete_tenant(api, session, tenant_id)
    print("deleted %d tenants and their subtrees" % len(doomed))


def delete_tenant(api, session, tenant_id):
    tenant = session.get(api + "/tenants/%s" % tenant_id, timeout=30)
    if tenant.status_code == 404:
        return
    tenant.raise_for_status()
    disabled = session.put(api + "/tenants/%s" % tenant_id, json={"version": tenant.json()["version"], "enabled": False},
                           timeout=30)
    disabled.raise_for_status()
    session.delete(api + "/tenants/%s" % tenant_id, params={"version": disabled.json()["version"]},
                   timeout=30).raise_for_status()


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


def take_login(config_path, root_id, login):
    """Before our POST /users of LOGIN, the seed API client creates LOGIN in ROOT_ID (logins are unique)."""
    config = load_config(config_path)
    rule = {"before": {"method": "POST", "path": "/api/2/users", "body": {"login": login}},
            "writes": [{"method": "POST", "path": "/api/2/users",
                        "json": {"tenant_id": root_id, "login": login, "contact": {"email": "other@writer.example"}}}]}
    requests.put(config["acronis_sim_url"] + "/_sim/other_writer", json={"rules": [rule]},
                 timeout=30).raise_for_status()
    print("armed: another client takes %s before our create" % login)


def give_back_login(config_path, login):
    config = load_config(config_path)
    rules = requests.get(config["acronis_sim_url"] + "/_sim/other_writer", timeout=30)
    rules.raise_for_status()
    results = [result for rule in rules.json()["rules"] for result in rule.get("results") or []]
    if [(r["method"], r["path"], r["status"] // 100) for r in results] != [("POST", "/api/2/users", 2)]:
        sys.exit("the other writer did not create %s: %s" % (login, rules.json()))
    requests.delete(config["acronis_sim_url"] + "/_sim/other_writer", timeout=30).raise_for_status()
    api, session = api_session(config)
    user = session.get(api + "/users/%s" % results[0]["body"]["id"], timeout=30)
    user.raise_for_status()
    disabled = session.put(api + "/users/%s" % user.json()["id"], json={"version": user.json()["version"],
                                                                        "enabled": False}, timeout=30)
    disabled.raise_for_status()
    session.delete(api + "/users/%s" % user.json()["id"], params={"version": disabled.json()["version"]},
                   timeout=30).raise_for_status()
    print("the other writer's %s deleted" % login)


# ------------------------------------------------------------------ the fleet task's results

def results(result_path, count, *hosts):
    """The fleet task's result (written by the fleet_result callback): ``count`` hosts, exactly the hosts before
    "--" changed and exactly those after it failed, every other host neither."""
    hosts = list(hosts)
    changed, failed = (hosts[:hosts.index("--")], hosts[hosts.index("--") + 1:]) if "--" in hosts else (hosts, [])
    result = load_json(result_path)
    tenants = result["tenants"]
    problems = [] if len(tenants) == int(count) else ["%d hosts, expected %s: %s" % (len(tenants), count, sorted(tenants))]
    got_changed = sorted(h for h, t in tenants.items() if t["changed"] and not t["failed"])
    got_failed = sorted(h for h, t in tenants.items() if t["failed"])
    if got_changed != sorted(changed):
        problems.append("changed hosts %s, expected %s" % (got_changed, sorted(changed)))
    if got_failed != sorted(failed) or sorted(result["failed_hosts"]) != sorted(failed):
        problems.append("failed hosts %s (failed_hosts %s), expected %s"
                        % (got_failed, result["failed_hosts"], sorted(failed)))
    if result["task_failed"] != bool(failed):
        problems.append("the task %s" % ("failed" if result["task_failed"] else "did not fail"))
    for host in failed:
        if not any(line.startswith("failed: %s: " % host) for line in result["summary"]):
            problems.append("the summary does not name %s: %s" % (host, result["summary"]))
    if problems:
        sys.exit("the fleet task's result:\n  " + "\n  ".join(problems))
    print("%d hosts: %d changed, %d failed, as expected; summary: %s"
          % (len(tenants), len(changed), len(failed), result["summary"][0]))


def same_changes(check_path, apply_path):
    check, applied = load_json(check_path)["tenants"], load_json(apply_path)["tenants"]
    predicted = dict((host, t["changed"]) for host, t in check.items())
    done = dict((host, t["changed"]) for host, t in applied.items())
    if predicted != done or not done:
        sys.exit("check mode predicted %s, the apply did %s" % (predicted, done))
    print("check mode predicted each of the %d hosts' changed" % len(done))


def cleanup(config_path, root_id):
    config = load_config(config_path)
    requests.delete(config["acronis_sim_url"] + "/_sim/other_writer", timeout=30).raise_for_status()
    api, session = api_session(config)
    delete_tenant(api, session, root_id)
    print("cleanup: deleted %s and its subtree" % root_id)


def password():
    print(PASSWORD)


def main(argv):
    command, args = argv[1], argv[2:]
    commands = {"world": world, "snapshot": snapshot, "described": described, "same": same, "clear": clear,
                "reset-log": reset_log, "writes": writes, "results": results, "same-changes": same_changes,
                "take-login": take_login, "give-back-login": give_back_login, "password": password,
                "cleanup": cleanup}
    commands[command](*args)


if __name__ == "__main__":
    main(sys.argv)
