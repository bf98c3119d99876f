"""Tenants: creation, listing and paging, updates and their rules, deletion, pricing, MFA, tokens."""

import requests

from .helpers import create_tenant, create_user, error_code


def test_create_partner_and_customer(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Acme", contact={"email": "it@acme.example", "firstname": "A"})
    assert partner["version"] == 1 and partner["kind"] == "partner" and partner["parent_id"] == root
    assert partner["pricing_mode"] == "production" and partner["enabled"] is True
    assert partner["update_lock"] == {"enabled": False, "owner_id": None}
    assert partner["contact"]["email"] == "it@acme.example"
    customer = create_tenant(api, partner["id"], "Acme customer", kind="customer")
    assert customer["pricing_mode"] == "trial"
    assert api.get("/tenants/" + partner["id"]).json()["has_children"] is True


def test_create_rules(simulator, api):
    root = simulator.credentials["tenant_id"]
    create_tenant(api, root, "Twins")
    clash = api.post("/tenants", json={"name": "twins", "kind": "partner", "parent_id": root})
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == 1004
    assert clash.json()["error"]["message"] == "The tenant with this name already exists."
    assert "existed_group_id" in clash.json()["error"]["details"]["addition"][0]
    customer = create_tenant(api, root, "C", kind="customer")
    assert api.post("/tenants", json={"name": "P", "kind": "partner", "parent_id": customer["id"]}).status_code == 400
    assert api.post("/tenants", json={"name": "U", "kind": "unit", "parent_id": customer["id"]}).status_code == 201
    assert api.post("/tenants", json={"name": "R", "kind": "root", "parent_id": root}).status_code == 400
    assert api.post("/tenants", json={"name": "X", "kind": "partner"}).status_code == 400   # schema: parent_id
    unknown = api.post("/tenants", json={"name": "X", "kind": "partner",
                                         "parent_id": "00000000-0000-4000-8000-000000000000"})
    assert unknown.status_code == 404
    disabled = create_tenant(api, root, "Off", enabled=False)
    refused = api.post("/tenants", json={"name": "Y", "kind": "partner", "parent_id": disabled["id"]})
    assert refused.status_code == 400 and error_code(refused) == 1003


def test_get_unknown_and_malformed(api):
    assert api.get("/tenants/00000000-0000-4000-8000-000000000000").status_code == 404
    malformed = api.get("/tenants/not-a-uuid")
    assert malformed.status_code == 400 and "tenant_id" in malformed.json()["error"]["details"]["info"]


def test_list_requires_a_filter(api):
    response = api.get("/tenants")
    assert response.status_code == 400 and error_code(response) == "ParameterMalformed"


def test_list_by_parent_with_cursor_paging(simulator, api):
    root = simulator.credentials["tenant_id"]
    ids = [create_tenant(api, root, "Child %02d" % i)["id"] for i in range(7)]
    seen = []
    response = api.get("/tenants", params={"parent_id": root, "limit": 3}).json()
    seen += [t["id"] for t in response["items"]]
    while response["paging"]["cursors"].get("after"):
        response = api.get("/tenants", params={"after": response["paging"]["cursors"]["after"], "limit": 3}).json()
        seen += [t["id"] for t in response["items"]]
    assert seen == ids
    assert "after" not in response["paging"]["cursors"]
    assert api.get("/tenants", params={"after": "garbage!"}).status_code == 400


def test_list_by_uuids_subtree_and_lod(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "P")
    customer = create_tenant(api, partner["id"], "C", kind="customer")
    by_uuids = api.get("/tenants", params={"uuids": ",".join([partner["id"], customer["id"]])}).json()
    assert [t["id"] for t in by_uuids["items"]] == [partner["id"], customer["id"]]
    subtree = api.get("/tenants", params={"subtree_root_id": partner["id"], "lod": "basic"}).json()
    assert [t["id"] for t in subtree["items"]] == [partner["id"], customer["id"]]
    assert set(subtree["items"][0]) >= {"name", "kind", "enabled"} and "contact" not in subtree["items"][0]
    stamps = api.get("/tenants", params={"parent_id": partner["id"], "lod": "stamps"}).json()["items"][0]
    assert "name" not in stamps


def test_children_and_users(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "P")
    b = create_tenant(api, partner["id"], "b")
    a = create_tenant(api, partner["id"], "A")
    assert api.get("/tenants/%s/children" % partner["id"]).json()["items"] == [a["id"], b["id"]]
    user = create_user(api, a["id"], "child-user")
    assert api.get("/tenants/%s/users" % a["id"]).json()["items"] == [user["id"]]
    deep = api.get("/tenants/%s/users" % partner["id"], params={"include_grand_children": "true"}).json()
    assert deep["items"] == [user["id"]]


def test_update_version_rules_and_leniency(simulator, api):
    tenant = create_tenant(api, simulator.credentials["tenant_id"], "V")
    path = "/tenants/" + tenant["id"]
    missing = api.put(path, json={"name": "W"})
    assert missing.status_code == 400 and "version" in missing.text
    stale = api.put(path, json={"version": 7, "name": "W"})
    assert stale.status_code == 409 and error_code(stale) == 1001
    updated = api.put(path, json={"version": "1", "enabled": "false", "name": "W"})
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2 and updated.json()["enabled"] is False and updated.json()["name"] == "W"
    whole = api.get(path).json()     # send back the whole object, read-only fields included
    whole["internal_tag"] = "tagged"
    again = api.put(path, json=whole)
    assert again.status_code == 200, again.text
    assert again.json()["internal_tag"] == "tagged" and again.json()["version"] == 3
    unknown_field = api.put(path, json={"version": 3, "colour": "red"})
    assert unknown_field.status_code == 400 and "colour" in unknown_field.json()["error"]["details"]["info"]
    wrong_type = api.put(path, json={"version": 3, "name": 5})
    assert wrong_type.status_code == 400


def test_rename_conflict_and_kind_changes(simulator, api):
    root = simulator.credentials["tenant_id"]
    create_tenant(api, root, "Taken")
    tenant = create_tenant(api, root, "Free")
    path = "/tenants/" + tenant["id"]
    assert error_code(api.put(path, json={"version": 1, "name": "Taken"})) == 1004
    folder = api.put(path, json={"version": 1, "kind": "folder"})
    assert folder.status_code == 200 and folder.json()["kind"] == "folder"
    assert api.put(path, json={"version": 2, "kind": "customer"}).status_code == 400
    assert api.put(path, json={"version": 2, "kind": "partner"}).json()["kind"] == "partner"


def test_move(simulator, api):
    root = simulator.credentials["tenant_id"]
    first = create_tenant(api, root, "First")
    second = create_tenant(api, root, "Second")
    child = create_tenant(api, first["id"], "Child")
    moved = api.put("/tenants/" + child["id"], json={"version": 1, "parent_id": second["id"]})
    assert moved.status_code == 200 and moved.json()["parent_id"] == second["id"]
    assert api.get("/tenants/%s/children" % second["id"]).json()["items"] == [child["id"]]
    under_child = api.put("/tenants/" + second["id"], json={"version": 1, "parent_id": child["id"]})
    assert error_code(under_child) == 1007


def test_lock(simulator, api):
    tenant = create_tenant(api, simulator.credentials["tenant_id"], "Locked")
    path = "/tenants/" + tenant["id"]
    locked = api.put(path, json={"version": 1, "update_lock": {"enabled": True}}).json()
    assert locked["update_lock"] == {"enabled": True, "owner_id": simulator.credentials["tenant_id"]}
    # The lock owner's clients may still change it; a client of the tenant itself may not.
    secret = api.post("/clients", json={"type": "api_client", "tenant_id": tenant["id"],
                                        "token_endpoint_auth_method": "client_secret_basic"}).json()
    own = simulator.token(secret["client_id"], secret["client_secret"])
    refused = requests.put(simulator.api_url + path, json={"version": 2, "name": "Renamed"},
                           headers={"Authorization": "Bearer " + own}, timeout=10)
    assert refused.status_code == 403 and error_code(refused) == 1012
    assert api.put(path, json={"version": 2, "name": "Renamed"}).status_code == 200


def test_enhanced_security_is_one_way(simulator, api):
    tenant = create_tenant(api, simulator.credentials["tenant_id"], "Secure", kind="customer",
                           settings={"enhanced_security": True})
    path = "/tenants/" + tenant["id"]
    refused = api.put(path, json={"version": 1, "settings": {"enhanced_security": False}})
    assert refused.status_code == 400
    assert api.put(path, json={"version": 1, "settings": {"enhanced_security": True}}).status_code == 200


def test_delete_rules(simulator, api):
    root = simulator.credentials["tenant_id"]
    tenant = create_tenant(api, root, "Doomed")
    child = create_tenant(api, tenant["id"], "Doomed child", kind="customer")
    path = "/tenants/" + tenant["id"]
    enabled = api.delete(path, params={"version": 1})
    assert enabled.status_code == 400 and error_code(enabled) == 1006
    assert enabled.json()["error"]["message"] == "It is prohibited to delete a non-disabled tenant."
    assert api.delete(path).status_code == 400     # version is required
    api.put(path, json={"version": 1, "enabled": False})
    assert error_code(api.delete(path, params={"version": 1})) == 1001
    assert api.delete(path, params={"version": "2"}).status_code == 204
    assert api.get(path).status_code == 404
    assert api.get("/tenants/" + child["id"]).status_code == 404
    assert api.get(path, params={"allow_deleted": "true"}).json()["deleted_at"] is not None
    assert api.delete(path, params={"version": 3}).status_code == 404
    assert api.delete("/tenants/" + root, params={"version": 1}).status_code == 403


def test_pricing_trial_to_production_is_one_way(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Trial", kind="customer")
    path = "/tenants/%s/pricing" % customer["id"]
    pricing = api.get(path).json()
    assert pricing["mode"] == "trial" and pricing["production_start_date"] is not None
    assert pricing["version"] > 10 ** 12      # a millisecond timestamp
    assert api.put(path, json={"version": pricing["version"] - 1, "mode": "production"}).status_code == 409
    pricing["mode"] = "production"
    switched = api.put(path, json=pricing)        # the whole object, as the tutorial sends it
    assert switched.status_code == 200, switched.text
    assert switched.json()["mode"] == "production" and switched.json()["version"] > pricing["version"]
    back = api.put(path, json={"version": switched.json()["version"], "mode": "trial"})
    assert back.status_code == 400
    assert api.get("/tenants/" + customer["id"]).json()["pricing_mode"] == "production"
    assert api.get("/tenants/" + customer["id"]).json()["version"] == 1


def test_mfa_status(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "MFA", kind="customer")
    unit = create_tenant(api, customer["id"], "Unit", kind="unit")
    status = api.get("/tenants/%s/mfa/status" % customer["id"]).json()
    assert status["mfa_status"] == "disabled" and status["update_allowed"] is True
    assert api.put("/tenants/%s/mfa/status" % customer["id"], json={"enabled": "true"}).json()["mfa_status"] == "enabled"
    inherited = api.get("/tenants/%s/mfa/status" % unit["id"]).json()
    assert inherited["mfa_status"] == "enabled" and inherited["update_allowed"] is False
    assert api.put("/tenants/%s/mfa/status" % unit["id"], json={"enabled": False}).status_code == 400


def test_registration_tokens_on_a_personal_tenant(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Agents", kind="customer")
    user = create_user(api, customer["id"], "agent-owner")
    path = "/tenants/%s/registration_tokens" % user["personal_tenant_id"]
    token = api.post(path, json={"expires_in": 3600,
                                 "scopes": ["urn:acronis.com:tenant-id::backup_agent_admin"]})
    assert token.status_code == 200, token.text
    assert token.json()["tenant_uuid"] == user["personal_tenant_id"]
    assert api.get(path).json()["items"][0]["token"] == token.json()["token"]


def test_outside_subtree_is_403(simulator, api):
    parent = api.get("/tenants/" + simulator.credentials["tenant_id"]).json()["parent_id"]
    response = api.post("/tenants", json={"name": "Sneaky", "kind": "partner", "parent_id": parent})
    assert response.status_code == 403 and error_code(response) == 1002


def test_tenant_name_rules(simulator, api):
    """The collection's own rule (Acronis documents none): 1..255 characters, no control characters,
    no leading or trailing whitespace; on create and on rename."""
    root = simulator.credentials["tenant_id"]
    for name in ("x" * 256, "two\nlines", "tab\there", " lead", "trail ", "", "   "):
        refused = api.post("/tenants", json={"name": name, "kind": "partner", "parent_id": root})
        assert refused.status_code == 400, name
        assert "name" in refused.json()["error"]["message"]
    tenant = create_tenant(api, root, "x" * 255)
    renamed = api.put("/tenants/" + tenant["id"], json={"version": tenant["version"], "name": "bad\x7fname"})
    assert renamed.status_code == 400
    assert create_tenant(api, root, "Ünïcödé (EU) / Finance")["name"] == "Ünïcödé (EU) / Finance"
