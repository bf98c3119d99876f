"""/_sim/other_writer: another client writes just before a chosen request is handled."""

import requests

from .helpers import create_tenant, create_user, enable_items, error_code


def put_rules(simulator, *rules):
    reply = requests.put(simulator.base_url + "/_sim/other_writer", json={"rules": list(rules)}, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()


def described(simulator):
    return requests.get(simulator.base_url + "/_sim/other_writer", timeout=10).json()["rules"]


def test_login_taken_before_the_create(simulator, api):
    root = simulator.credentials["tenant_id"]
    acme = create_tenant(api, root, "Acme", kind="customer")
    other = create_tenant(api, root, "Other", kind="customer")
    put_rules(simulator, {"before": {"method": "POST", "path": "/api/2/users", "body": {"login": "raced"}},
                          "writes": [{"method": "POST", "path": "/api/2/users",
                                      "json": {"tenant_id": other["id"], "login": "raced",
                                               "contact": {"email": "raced@example.com"}}}]})
    create_user(api, acme["id"], "unrelated")           # another login: the rule does not fire
    assert described(simulator)[0]["fired"] == 0
    reply = api.post("/users", json={"tenant_id": acme["id"], "login": "raced",
                                     "contact": {"email": "raced@example.com"}})
    assert reply.status_code == 409 and "login" in reply.json()["error"]["message"]
    rule = described(simulator)[0]
    assert rule["fired"] == 1 and [r["status"] for r in rule["results"]] == [200]
    assert rule["results"][0]["body"]["tenant_id"] == other["id"]
    # The login is now the other tenant's user's.
    assert api.get("/users/check_login", params={"username": "raced"}).status_code == 409


def test_quota_set_before_the_put_outdates_its_version(simulator, api):
    root = simulator.credentials["tenant_id"]
    tenant = create_tenant(api, root, "Quotas", kind="customer")
    items = enable_items(api, root, tenant["id"], kind="customer", edition="per_workload",
                         keep=lambda item: item["name"] == "pw_workstations")
    item = items[0]
    entry = {"application_id": item["application_id"], "name": item["name"], "status": 1,
             "quota": {"value": 7, "overage": 0, "version": "$version"}}
    put_rules(simulator, {"before": {"method": "PUT", "path": "re:^/api/2/tenants/[^/]+/offering_items$"},
                          "writes": [{"method": "PUT", "path": "/api/2/tenants/%s/offering_items" % tenant["id"],
                                      "json": {"offering_items": [entry]}}]})
    mine = dict(entry, quota={"value": 5, "overage": 0, "version": item["quota"]["version"]})
    reply = api.put("/tenants/%s/offering_items" % tenant["id"], json={"offering_items": [mine]})
    assert reply.status_code == 409 and error_code(reply) == 1001
    rule = described(simulator)[0]
    assert [r["status"] for r in rule["results"]] == [200]
    now = api.get("/tenants/%s/offering_items" % tenant["id"], params={"edition": "*"}).json()["items"]
    assert [i["quota"]["value"] for i in now if i["name"] == "pw_workstations"] == [7]
    # The rule fired once: the same PUT on the fresh version goes through.
    mine["quota"]["version"] = [i for i in now if i["name"] == "pw_workstations"][0]["quota"]["version"]
    assert api.put("/tenants/%s/offering_items" % tenant["id"], json={"offering_items": [mine]}).status_code == 200


def test_tenant_version_filled_in(simulator, api):
    root = simulator.credentials["tenant_id"]
    tenant = create_tenant(api, root, "Versioned", kind="customer")
    put_rules(simulator, {"before": {"method": "PUT", "path": "/api/2/tenants/" + tenant["id"]},
                          "writes": [{"method": "PUT", "path": "/api/2/tenants/" + tenant["id"],
                                      "json": {"internal_tag": "other", "version": "$version"}}]})
    reply = api.put("/tenants/" + tenant["id"], json={"internal_tag": "mine", "version": tenant["version"]})
    assert reply.status_code == 409 and error_code(reply) == 1001
    assert api.get("/tenants/" + tenant["id"]).json()["internal_tag"] == "other"


def test_bad_rules_are_refused_and_cleared(simulator):
    for rule in ({"writes": [{"method": "PUT", "path": "/api/2/x"}]},
                 {"before": {"path": "/api/2/users"}, "writes": []},
                 {"before": {"path": "/api/2/users"}, "writes": [{"method": "PUT", "path": "/_sim/reset"}]}):
        reply = requests.put(simulator.base_url + "/_sim/other_writer", json={"rules": [rule]}, timeout=10)
        assert reply.status_code == 400, rule
    put_rules(simulator, {"before": {"path": "/api/2/users"}, "writes": [{"method": "POST", "path": "/api/2/users"}]})
    assert len(described(simulator)) == 1
    assert requests.delete(simulator.base_url + "/_sim/other_writer", timeout=10).status_code == 204
    assert described(simulator) == []
    put_rules(simulator, {"before": {"path": "/api/2/users"}, "writes": [{"method": "POST", "path": "/api/2/users"}]})
    assert requests.post(simulator.base_url + "/_sim/reset", timeout=10).ok
    assert described(simulator) == []


def _policy(user, role, tenant_id):
    return {"id": "00000000-0000-0000-0000-000000000000", "issuer_id": "00000000-0000-0000-0000-000000000000",
            "role_id": role, "tenant_id": tenant_id, "trustee_id": user["id"], "trustee_type": "user", "version": 0}


def roles(reply):
    return sorted(p["role_id"] for p in reply.json()["items"])


def test_a_role_added_to_the_roles_listed_now_before_a_later_read(simulator, api):
    """``$items`` keeps the roles the other client reads; ``params`` and ``skip`` pick the request it comes before."""
    root = simulator.credentials["tenant_id"]
    tenant = create_tenant(api, root, "Roles", kind="customer")
    user = create_user(api, tenant["id"], "roles-user")
    path = "/api/2/users/%s/access_policies" % user["id"]
    assert api.put("/users/%s/access_policies" % user["id"],
                   json={"items": [_policy(user, "company_admin", tenant["id"])]}).status_code == 200
    put_rules(simulator, {"before": {"method": "GET", "path": path, "params": {"marker": "2"}}, "skip": 1,
                          "writes": [{"method": "PUT", "path": path,
                                      "json": {"items": ["$items", _policy(user, "readonly_admin", tenant["id"])]}}]})
    assert roles(api.get("/users/%s/access_policies" % user["id"])) == ["company_admin"]     # no such parameter
    assert roles(api.get("/users/%s/access_policies" % user["id"], params={"marker": "2"})) == ["company_admin"]
    assert described(simulator)[0]["fired"] == 0                                             # skipped: the first
    assert roles(api.get("/users/%s/access_policies" % user["id"], params={"marker": "2"})) == [
        "company_admin", "readonly_admin"]
    rule = described(simulator)[0]
    assert rule["fired"] == 1 and [r["status"] for r in rule["results"]] == [200]
