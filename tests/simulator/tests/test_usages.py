"""Usages: GET /tenants/{id}/usages, GET /tenants/usages, /_sim/usage, and quotas below usage."""

import requests

from .helpers import create_tenant, create_user, enable_items, error_code

STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"
USAGE_FIELDS = {"application_id", "name", "edition", "usage_name", "type", "measurement_unit", "range_start",
                "absolute_value", "value", "tenant_uuid", "tenant_id"}


def _seed(simulator, tenant_id, usages):
    return requests.put(simulator.base_url + "/_sim/usage", json={"tenant_id": tenant_id, "usages": usages},
                        timeout=10)


def _customer(api, simulator):
    root = simulator.credentials["tenant_id"]
    customer = create_tenant(api, root, "Usage Customer", kind="customer")
    enable_items(api, root, customer["id"], kind="customer",
                 keep=lambda i: i["name"] in ("workstations", "storage", "servers")
                 and i.get("infra_id") in (None, STORAGE))
    return customer


def _by_name(items):
    return {(item["name"], item.get("infra_id")): item for item in items}


def test_usages_of_enabled_items_and_seeded_values(simulator, api):
    customer = _customer(api, simulator)
    user = create_user(api, customer["id"], "usage-user")
    assert _seed(simulator, customer["id"], [{"name": "workstations", "value": 4}]).status_code == 200
    assert _seed(simulator, user["personal_tenant_id"],
                 [{"name": "storage", "infra_id": STORAGE, "value": 5000, "absolute_value": 7000}]).status_code == 200
    response = api.get("/tenants/%s/usages" % customer["id"])
    assert response.status_code == 200, response.text
    items = _by_name(response.json()["items"])
    assert set(items) == {("workstations", None), ("storage", STORAGE), ("servers", None)}
    for item in items.values():
        assert USAGE_FIELDS <= set(item) and item["range_start"].endswith("-01T00:00:00")
        assert item["offering_item"]["status"] == 1 and set(item["offering_item"]["quota"]) == {
            "value", "overage", "version"}
    assert items[("workstations", None)]["value"] == 4
    assert items[("storage", STORAGE)]["value"] == 5000 and items[("storage", STORAGE)]["absolute_value"] == 7000
    assert items[("storage", STORAGE)]["infra_id"] == STORAGE and "infra_id" not in items[("servers", None)]
    # the parent sees the sum of its subtree
    root_items = _by_name(api.get("/tenants/%s/usages" % simulator.credentials["tenant_id"]).json()["items"])
    assert root_items[("workstations", None)]["value"] == 4
    filtered = api.get("/tenants/%s/usages" % customer["id"], params={"usage_names": "storage"}).json()["items"]
    assert [item["name"] for item in filtered] == ["storage"]
    assert api.get("/tenants/%s/usages" % customer["id"], params={"editions": "pck_per_workload"}).json() == {
        "items": []}


def test_usage_of_a_disabled_item_shows_status_0(simulator, api):
    customer = _customer(api, simulator)
    assert _seed(simulator, customer["id"], [{"name": "vms", "value": 2}]).status_code == 200
    items = _by_name(api.get("/tenants/%s/usages" % customer["id"]).json()["items"])
    assert items[("vms", None)]["value"] == 2
    assert items[("vms", None)].get("offering_item", {"status": 0})["status"] == 0


def test_batch_usages(simulator, api):
    customer = _customer(api, simulator)
    _seed(simulator, customer["id"], [{"name": "servers", "value": 1}])
    response = api.get("/tenants/usages", params={"tenants": customer["id"], "usage_names": "servers"})
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["tenant"] == customer["id"]
    assert [u["value"] for u in response.json()["items"][0]["usages"]] == [1]
    assert api.get("/tenants/usages", params={"tenants": "nope"}).status_code == 400


def test_usage_access(simulator, api):
    customer = _customer(api, simulator)
    unknown = "6f1c1c1c-0000-4000-8000-000000000002"
    response = api.get("/tenants/%s/usages" % unknown)
    assert response.status_code == 404 and error_code(response) == 1005
    assert requests.get(simulator.api_url + "/tenants/%s/usages" % customer["id"], timeout=10).status_code == 401
    basic = requests.get(simulator.api_url + "/tenants/%s/usages" % customer["id"], timeout=10,
                         auth=(simulator.credentials["client_id"], simulator.credentials["client_secret"]))
    assert basic.status_code == 200     # the specification allows Basic here
    sibling = create_tenant(api, simulator.credentials["tenant_id"], "Other partner")
    client = api.post("/clients", json={"type": "api_client", "tenant_id": sibling["id"],
                                        "token_endpoint_auth_method": "client_secret_basic",
                                        "data": {"client_name": "other"}}).json()
    headers = {"Authorization": "Bearer " + simulator.token(client["client_id"], client["client_secret"])}
    denied = requests.get(simulator.api_url + "/tenants/%s/usages" % customer["id"], headers=headers, timeout=10)
    assert denied.status_code == 403 and error_code(denied) == 1002


def test_quota_below_usage_is_refused(simulator, api):
    customer = _customer(api, simulator)
    _seed(simulator, customer["id"], [{"name": "workstations", "value": 10}])
    items = api.get("/tenants/%s/offering_items" % customer["id"]).json()["items"]
    workstations = next(item for item in items if item["name"] == "workstations")
    too_low = dict(workstations, quota={"value": 5, "overage": 2, "version": workstations["quota"]["version"]})
    response = api.put("/tenants/%s/offering_items" % customer["id"], json={"offering_items": [too_low]})
    assert response.status_code == 400, response.text
    assert error_code(response) == 1022 and response.json()["error"]["details"]["usage"] == 10
    enough = dict(workstations, quota={"value": 8, "overage": 2, "version": workstations["quota"]["version"]})
    response = api.put("/tenants/%s/offering_items" % customer["id"], json={"offering_items": [enough]})
    assert response.status_code == 200, response.text


def test_admin_usage_errors_and_reads(simulator):
    base = simulator.base_url + "/_sim/usage"
    root = simulator.credentials["tenant_id"]
    assert requests.put(base, json={"tenant_id": "nope", "name": "vms", "value": 1}, timeout=10).status_code == 404
    assert requests.put(base, json={"tenant_id": root, "name": "no-such-item", "value": 1},
                        timeout=10).status_code == 400
    assert requests.put(base, json={"tenant_id": root, "name": "vms", "value": -1}, timeout=10).status_code == 400
    assert requests.put(base, json={"tenant_id": root, "name": "vms", "value": 3}, timeout=10).status_code == 200
    assert requests.get(base, params={"tenant_id": root}, timeout=10).json()["usages"]
    assert requests.delete(base, timeout=10).status_code == 204
    assert requests.get(base, timeout=10).json() == {"tenants": {}}


# ------------------------------------------------------------------ PUT /tenants/usages (usage reporting)


def _cyber_app_session(simulator, api):
    """A session with the token of a CyberApp's API client (a client with an origin_id)."""
    client = api.post("/clients", json={"type": "api_client", "tenant_id": simulator.credentials["tenant_id"],
                                        "token_endpoint_auth_method": "client_secret_basic",
                                        "origin_id": "72403667-8e45-4dd9-bcbc-3e6047b98b3d"}).json()
    token = requests.post(simulator.api_url + "/idp/token", data={"grant_type": "client_credentials"},
                          auth=(client["client_id"], client["client_secret"]), timeout=10).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + token
    return session


def test_a_cyber_app_reports_usage_per_tenant(simulator, api):
    customer = _customer(api, simulator)
    session = _cyber_app_session(simulator, api)
    response = session.put(simulator.api_url + "/tenants/usages", timeout=10, json={"items": [
        {"tenant_id": customer["id"], "offering_item": "workstations", "usage_value": 4},
        {"tenant_id": customer["id"], "offering_item": "storage", "infra_id": STORAGE, "usage_value": 1024},
        {"tenant_id": customer["id"], "usage_type": "servers", "usage_value": 2}]})
    assert response.status_code == 200, response.text
    assert all("error" not in item for item in response.json()["items"])
    assert response.json()["items"][0] == {"tenant_id": customer["id"], "offering_item": "workstations"}
    usages = _by_name(api.get("/tenants/%s/usages" % customer["id"]).json()["items"])
    assert usages[("workstations", None)]["value"] == 4
    assert usages[("storage", STORAGE)]["value"] == 1024
    assert usages[("servers", None)]["value"] == 2


def test_usage_reports_refused_item_by_item(simulator, api):
    customer = _customer(api, simulator)
    session = _cyber_app_session(simulator, api)
    response = session.put(simulator.api_url + "/tenants/usages", timeout=10, json={"items": [
        {"tenant_id": customer["id"], "offering_item": "workstations", "usage_value": 1},
        {"tenant_id": "00000000-0000-4000-8000-000000000000", "offering_item": "workstations", "usage_value": 1},
        {"resource_id": "res-1", "usage_type": "storage", "usage_value": 1},
        {"tenant_id": customer["id"], "offering_item": "mobiles", "usage_value": 1},
        {"tenant_id": customer["id"], "offering_item": "workstations", "usage_value": -1}]})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert "error" not in items[0]
    assert items[1]["error"]["error"]["code"] == 1005
    assert "Per-resource usage reporting is not modelled" in items[2]["error"]["error"]["message"]
    assert items[3]["error"]["error"]["code"] == 400 and items[4]["error"]["error"]["code"] == 400


def test_only_cyber_apps_and_root_trustees_report_usage(simulator, api):
    customer = _customer(api, simulator)
    response = api.put("/tenants/usages", json={"items": [
        {"tenant_id": customer["id"], "offering_item": "workstations", "usage_value": 1}]})
    assert response.status_code == 403
