"""Users: creation, login rules, updates, deletion, activation, access policies, GET /users."""

import requests

from .helpers import create_tenant, create_user, error_code


def test_create_user_shape(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Users Inc", kind="customer")
    response = api.post("/users", json={"tenant_id": customer["id"], "login": "RichardDoe",
                                        "contact": {"email": "richard.doe@example.com", "firstname": "Richard"}})
    assert response.status_code == 200     # not 201
    user = response.json()
    assert user["activated"] is False and user["enabled"] is True and user["version"] == 1
    assert user["notifications"] == ["quota", "reports", "backup_daily_report"]
    assert user["personal_tenant_id"] and user["tenant_id"] == customer["id"]
    personal = api.get("/tenants/" + user["personal_tenant_id"]).json()
    assert personal["owner_id"] == user["id"]
    assert user["personal_tenant_id"] not in api.get("/tenants/%s/children" % customer["id"]).json()["items"]
    partner_user = create_user(api, simulator.credentials["tenant_id"], "partner-user")
    assert partner_user["personal_tenant_id"] is None


def test_check_login_and_login_rules(simulator, api):
    create_user(api, simulator.credentials["tenant_id"], "taken.login")
    assert api.get("/users/check_login", params={"username": "free.login"}).status_code == 204
    assert api.get("/users/check_login", params={"username": "TAKEN.login"}).status_code == 409
    assert api.get("/users/check_login", params={"username": "ab"}).status_code == 406
    assert api.get("/users/check_login", params={"username": "bad login"}).status_code == 406
    root = simulator.credentials["tenant_id"]
    duplicate = api.post("/users", json={"tenant_id": root, "login": "taken.login", "contact": {"email": "a@b.c"}})
    assert duplicate.status_code == 409
    for login in ("ab", "with space", "ünïcode"):
        bad = api.post("/users", json={"tenant_id": root, "login": login, "contact": {"email": "a@b.c"}})
        assert bad.status_code == 400, login
    assert api.post("/users", json={"tenant_id": root, "login": "ok+tag@x.y", "contact": {"email": "a@b.c"}}) \
        .status_code == 200
    no_email = api.post("/users", json={"tenant_id": root, "login": "no-email", "contact": {}})
    assert no_email.status_code == 400


def test_update_and_delete_rules(simulator, api):
    user = create_user(api, simulator.credentials["tenant_id"], "updatable")
    path = "/users/" + user["id"]
    assert error_code(api.put(path, json={"version": 5, "language": "de"})) == 1001
    updated = api.put(path, json={"version": "1", "language": "de", "contact": {"firstname": "Up"}})
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert updated.json()["contact"]["firstname"] == "Up"
    whole = api.get(path).json()
    whole["notifications"] = ["quota"]
    assert api.put(path, json=whole).json()["notifications"] == ["quota"]
    enabled = api.delete(path, params={"version": 3})
    assert enabled.status_code == 400
    disabled = api.put(path, json={"version": 3, "enabled": "false"}).json()
    assert disabled["enabled"] is False
    assert api.delete(path, params={"version": 3}).status_code == 409
    assert api.delete(path, params={"version": 4}).status_code == 204
    assert api.get(path).status_code == 404
    assert api.get("/users/check_login", params={"username": "updatable"}).status_code == 204


def test_password_activation_and_basic_auth(simulator, api):
    user = create_user(api, simulator.credentials["tenant_id"], "activate.me")
    assert api.post("/users/%s/send-activation-email" % user["id"]).status_code == 204
    assert api.post("/users/%s/password" % user["id"], json={"password": "S3cret-pass"}).status_code == 204
    assert api.get("/users/" + user["id"]).json()["activated"] is True
    me = requests.get(simulator.api_url + "/users/me", auth=("activate.me", "S3cret-pass"), timeout=10)
    assert me.status_code == 200
    # Without an admin role the user sees no tenant.
    assert requests.get(simulator.api_url + "/tenants/" + simulator.credentials["tenant_id"],
                        auth=("activate.me", "S3cret-pass"), timeout=10).status_code == 403
    assert api.post("/users/%s/password" % user["id"], json={}).status_code == 400


def test_access_policies(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Roles", kind="customer")
    user = create_user(api, customer["id"], "roles.user")
    path = "/users/%s/access_policies" % user["id"]
    assert api.get(path).json()["items"] == []
    body = {"items": [{"id": "00000000-0000-0000-0000-000000000000",
                       "issuer_id": "00000000-0000-0000-0000-000000000000", "role_id": "backup_user",
                       "tenant_id": customer["id"], "trustee_id": user["id"], "trustee_type": "user", "version": 0}]}
    response = api.put(path, json=body)
    assert response.status_code == 200, response.text
    policy = response.json()["items"][0]
    assert policy["role_id"] == "backup_user" and policy["version"] == 1
    assert api.get(path).json()["items"] == response.json()["items"]
    policy["role_id"] = "company_admin"
    policy["version"] = 0
    assert api.put(path, json={"items": [policy]}).status_code == 409
    policy["version"] = 1
    assert api.put(path, json={"items": [policy]}).json()["items"][0]["role_id"] == "company_admin"
    body["items"][0]["role_id"] = "emperor"
    assert api.put(path, json=body).status_code == 400
    assert api.put(path, json={"items": []}).json()["items"] == []


def test_list_users_with_paging(simulator, api):
    root = simulator.credentials["tenant_id"]
    tenant = create_tenant(api, root, "Many users")
    ids = [create_user(api, tenant["id"], "user-%d" % i)["id"] for i in range(5)]
    assert api.get("/users").status_code == 400
    first = api.get("/users", params={"tenant_id": tenant["id"], "limit": 2}).json()
    seen = [u["id"] for u in first["items"]]
    cursor = first["paging"]["cursors"]["after"]
    while cursor:
        nxt = api.get("/users", params={"after": cursor}).json()
        seen += [u["id"] for u in nxt["items"]]
        cursor = nxt["paging"]["cursors"].get("after")
    assert seen == ids
    by_uuids = api.get("/users", params={"uuids": ",".join(ids[:2])}).json()["items"]
    assert [u["id"] for u in by_uuids] == ids[:2]
    assert len(api.get("/users", params={"subtree_root_tenant_id": root}).json()["items"]) == 6


def test_a_role_outside_the_user_s_own_tenant_is_refused(simulator, api):
    root = simulator.credentials["tenant_id"]
    home = create_tenant(api, root, "Home", kind="customer")
    other = create_tenant(api, root, "Elsewhere", kind="customer")
    user = create_user(api, home["id"], "home.user")
    path = "/users/%s/access_policies" % user["id"]

    def policy(tenant_id):
        return {"items": [{"id": "00000000-0000-0000-0000-000000000000",
                           "issuer_id": "00000000-0000-0000-0000-000000000000", "role_id": "company_admin",
                           "tenant_id": tenant_id, "trustee_id": user["id"], "trustee_type": "user", "version": 0}]}
    refused = api.put(path, json=policy(other["id"]))
    assert refused.status_code == 400
    assert "own tenant" in refused.json()["error"]["details"]["info"]
    assert api.get(path).json()["items"] == []
    assert api.put(path, json=policy(home["id"])).status_code == 200
