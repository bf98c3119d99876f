"""Offering items, editions and applications."""

import json

import pytest
import requests

from ..testing import running_simulator
from .helpers import create_tenant, create_user, enable_items, error_code

CP = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
ACRONIS_STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"
GOOGLE_STORAGE = "ba2976d0-c13e-4661-ae60-b4593583fce2"
AZURE_STORAGE = "05348371-d95e-4cab-af2a-8e2cadafc30d"


def _root_items(api, root):
    return api.get("/tenants/%s/offering_items" % root, params={"edition": "*"}).json()["items"]


def test_catalog_of_the_root_partner(simulator, api):
    """The default world is the developer sandbox's: storage and DR on the hosted and the Google DR storage."""
    root = simulator.credentials["tenant_id"]
    items = _root_items(api, root)
    editions = {i["edition"] for i in items}
    assert {"standard", "per_workload", "per_gigabyte", "pck_per_workload", "pck_per_gigabyte"} <= editions
    assert {i["type"] for i in items} == {"count", "infra", "feature"}
    storages = {i["infra_id"] for i in items if i["type"] == "infra" and i["application_id"] == CP}
    assert storages == {ACRONIS_STORAGE, GOOGLE_STORAGE}
    dr_items = [i for i in items if i["usage_name"].startswith("dr_")]
    assert {(i["usage_name"], i["infra_id"]) for i in dr_items if i["edition"] == "standard"} == {
        ("dr_cloud_servers", ACRONIS_STORAGE), ("dr_cloud_servers", GOOGLE_STORAGE),
        ("dr_compute_points", ACRONIS_STORAGE), ("dr_compute_points", GOOGLE_STORAGE)}
    assert {i["type"] for i in dr_items if i["usage_name"] == "dr_cloud_servers"} == {"feature"}
    assert requests.get(simulator.base_url + "/_sim/settings", timeout=10).json()["catalog"] == "sandbox"
    standard = api.get("/tenants/%s/offering_items" % root).json()["items"]
    assert {i["edition"] for i in standard} <= {"standard", None}
    assert all(i["status"] == 1 and "quota" in i for i in standard)


def test_available_for_child_and_partial_put(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Items partner")
    available = api.get("/tenants/%s/offering_items/available_for_child" % root,
                        params={"kind": "partner", "edition": "per_workload"}).json()["items"]
    assert all(i["status"] == 1 and i["quota"] == {"value": None, "overage": None, "version": 0} for i in available)
    infra = [i for i in available if i["type"] == "infra"]
    assert infra and all("infra_id" in i for i in infra)
    enable_items(api, root, partner["id"], edition="per_workload")
    mine = api.get("/tenants/%s/offering_items" % partner["id"], params={"edition": "per_workload"}).json()["items"]
    assert all(i["status"] == 1 for i in mine)
    assert api.get("/tenants/" + partner["id"]).json()["version"] == 1   # PUT offering_items keeps the version
    # Partial list: switch one item off, set a quota on another.
    seats = next(i for i in mine if i["name"] == "pw_workstations")
    servers = next(i for i in mine if i["name"] == "pw_servers")
    body = {"offering_items": [{"application_id": CP, "name": "pw_workstations", "status": 0},
                               {"application_id": CP, "name": "pw_servers", "status": 1,
                                "quota": {"value": "10", "overage": 0, "version": servers["quota"]["version"]}}]}
    changed = api.put("/tenants/%s/offering_items" % partner["id"], json=body).json()["items"]
    assert changed[0]["status"] == 0 and "quota" not in changed[0]
    assert changed[1]["quota"] == {"value": 10, "overage": 0, "version": 1}
    stale = api.put("/tenants/%s/offering_items" % partner["id"], json=body)
    assert stale.status_code == 409 and error_code(stale) == 1001
    assert seats["status"] == 1
    # A child cannot get what its parent does not have (1021).
    customer = create_tenant(api, partner["id"], "Items customer", kind="customer")
    refused = api.put("/tenants/%s/offering_items" % customer["id"], json={"offering_items": [
        {"application_id": CP, "name": "pw_workstations", "status": 1}]})
    assert refused.status_code == 400 and error_code(refused) == 1021
    unknown = api.put("/tenants/%s/offering_items" % customer["id"], json={"offering_items": [
        {"application_id": CP, "name": "no_such_item", "status": 1}]})
    assert unknown.status_code == 400
    no_infra = api.put("/tenants/%s/offering_items" % customer["id"], json={"offering_items": [
        {"application_id": CP, "name": "pw_storage", "status": 1}]})
    assert no_infra.status_code == 400 and "infra_id" in no_infra.text


def test_customer_gets_one_storage_per_type(simulator, api):
    root = simulator.credentials["tenant_id"]
    customer = create_tenant(api, root, "One storage", kind="customer")
    two = api.put("/tenants/%s/offering_items" % customer["id"], json={"offering_items": [
        {"application_id": CP, "name": "storage", "infra_id": ACRONIS_STORAGE, "status": 1},
        {"application_id": CP, "name": "storage", "infra_id": GOOGLE_STORAGE, "status": 1}]})
    assert two.status_code == 400
    enable_items(api, root, customer["id"], kind="customer",
                 keep=lambda i: i["type"] != "infra" or i["infra_id"] == ACRONIS_STORAGE)
    assert CP in api.get("/tenants/%s/applications" % customer["id"]).json()["items"]


def test_disabling_in_a_parent_disables_the_subtree(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Cascade")
    enable_items(api, root, partner["id"])
    customer = create_tenant(api, partner["id"], "Cascade customer", kind="customer")
    enable_items(api, partner["id"], customer["id"], kind="customer",
                 keep=lambda i: i["name"] == "workstations")
    api.put("/tenants/%s/offering_items" % partner["id"], json={"offering_items": [
        {"application_id": CP, "name": "workstations", "status": 0}]})
    items = api.get("/tenants/%s/offering_items" % customer["id"], params={"usage_names": "workstations"}).json()
    assert [i["status"] for i in items["items"]] == [0]


def test_edition_switch(simulator, api):
    root = simulator.credentials["tenant_id"]
    customer = create_tenant(api, root, "Switcher", kind="customer")
    enable_items(api, root, customer["id"], kind="customer", edition="per_workload",
                 keep=lambda i: i["type"] != "infra" or i["infra_id"] == ACRONIS_STORAGE)
    path = "/tenants/%s/edition" % customer["id"]
    check = api.get(path, params={"target_edition": "per_gigabyte", "application_id": CP})
    assert check.status_code == 200
    assert any("web_hosting_servers" in w for w in check.json()["warnings"])
    assert api.get(path, params={"target_edition": "nope", "application_id": CP}).status_code == 400
    switched = api.put(path, json={"target_edition": "per_gigabyte", "application_id": CP})
    assert switched.status_code == 200, switched.text
    enabled = [i["name"] for i in switched.json()["items"] if i["status"] == 1]
    assert "pg_workstations" in enabled and "pg_storage" in enabled
    old = api.get("/tenants/%s/offering_items" % customer["id"], params={"edition": "per_workload"}).json()
    assert all(i["status"] == 0 for i in old["items"] if i["application_id"] == CP)


def test_personal_tenant_items_cannot_be_set(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Personal", kind="customer")
    user = create_user(api, customer["id"], "personal.owner")
    response = api.put("/tenants/%s/offering_items" % user["personal_tenant_id"], json={"offering_items": []})
    assert response.status_code == 400


def test_applications_and_bindings(simulator, api):
    apps = api.get("/applications").json()["items"]
    assert CP in [a["id"] for a in apps]
    assert api.get("/applications/" + CP).json()["type"] == "backup"
    assert api.get("/applications/00000000-0000-4000-8000-000000000000").status_code == 404
    partner = create_tenant(api, simulator.credentials["tenant_id"], "Bound")
    path = "/applications/%s/bindings/tenants/%s" % (CP, partner["id"])
    assert api.post(path).status_code == 204
    platform = next(a["id"] for a in apps if a["type"] == "platform")
    assert api.get("/tenants/%s/applications" % partner["id"]).json()["items"] == [platform, CP]
    assert api.delete(path).status_code == 204
    assert api.get("/tenants/%s/applications" % partner["id"]).json()["items"] == [platform]
    assert api.delete(path).status_code == 404


def test_azure_storage_does_not_exist_in_the_default_world(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "No Azure here")
    refused = api.put("/tenants/%s/offering_items" % partner["id"], json={"offering_items": [
        {"application_id": CP, "name": "storage", "infra_id": AZURE_STORAGE, "status": 1}]})
    assert refused.status_code == 400 and error_code(refused) == 1021
    assert AZURE_STORAGE in refused.text


def test_rich_catalog_has_three_storages():
    with running_simulator(seed=5, catalog="rich") as sim:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + sim.token()
        items = session.get(sim.api_url + "/tenants/%s/offering_items" % sim.credentials["tenant_id"],
                            params={"edition": "*"}, timeout=10).json()["items"]
        storages = {i["infra_id"] for i in items if i["type"] == "infra" and i["application_id"] == CP}
        assert storages == {ACRONIS_STORAGE, GOOGLE_STORAGE, AZURE_STORAGE}
        dr_infras = {i["infra_id"] for i in items if i["usage_name"].startswith("dr_")}
        assert dr_infras == {ACRONIS_STORAGE, GOOGLE_STORAGE}
        assert requests.get(sim.base_url + "/_sim/settings", timeout=10).json()["catalog"] == "rich"
        # A reset keeps the catalog.
        sim.reset()
        items = session.get(sim.api_url + "/tenants/%s/offering_items" % sim.credentials["tenant_id"],
                            params={"edition": "standard", "type": "infra"}, timeout=10).json()["items"]
        assert AZURE_STORAGE in {i.get("infra_id") for i in items}
        session.close()


def test_the_state_file_keeps_the_catalog(tmp_path):
    path = tmp_path / "state.json"
    with running_simulator(seed=6, catalog="rich", state_file=str(path)):
        pass
    assert json.loads(path.read_text())["catalog"] == "rich"
    # Started again without --catalog, the world from the file is still the rich one.
    with running_simulator(seed=6, state_file=str(path)) as sim:
        assert requests.get(sim.base_url + "/_sim/settings", timeout=10).json()["catalog"] == "rich"
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + sim.token()
        items = session.get(sim.api_url + "/tenants/%s/offering_items" % sim.credentials["tenant_id"],
                            params={"type": "infra"}, timeout=10).json()["items"]
        assert AZURE_STORAGE in {i.get("infra_id") for i in items}
        session.close()


def test_unknown_catalog_is_refused():
    with pytest.raises(ValueError, match="unknown catalog 'gold'"):
        with running_simulator(catalog="gold"):
            pass


def test_the_catalog_cannot_change_at_run_time(simulator):
    response = requests.put(simulator.base_url + "/_sim/settings", json={"catalog": "rich"}, timeout=10)
    assert response.status_code == 400 and "--catalog" in response.json()["error"]["message"]
    assert requests.get(simulator.base_url + "/_sim/settings", timeout=10).json()["catalog"] == "sandbox"


# ------------------------------------------------------------------ a subtree's items, batched


def _batch(api, **params):
    response = api.get("/tenants/offering_items", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_batch_of_a_subtree_level_by_level(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Batch partner")
    enable_items(api, root, partner["id"], keep=lambda i: i["name"] in ("workstations", "storage"))
    customer = create_tenant(api, partner["id"], "Batch customer", kind="customer")
    enable_items(api, partner["id"], customer["id"], kind="customer",
                 keep=lambda i: i["name"] == "workstations")
    body = _batch(api, subtree_root_tenant_id=partner["id"])
    assert "timestamp" in body
    tenants = [item["tenant_id"] for item in body["items"]]
    assert tenants == sorted(tenants, key=[partner["id"], customer["id"]].index)   # the partner's level first
    assert {(i["tenant_id"], i["name"]) for i in body["items"]} >= {(partner["id"], "workstations"),
                                                                    (partner["id"], "storage"),
                                                                    (customer["id"], "workstations")}
    assert all(i["deleted_at"] is None for i in body["items"])
    only = _batch(api, subtree_root_tenant_id=partner["id"], offering_items="storage")
    assert {i["name"] for i in only["items"]} == {"storage"}
    by_usage = _batch(api, subtree_root_tenant_id=partner["id"], usage_names="workstations", editions="standard")
    assert {(i["tenant_id"], i["usage_name"]) for i in by_usage["items"]} == {(partner["id"], "workstations"),
                                                                              (customer["id"], "workstations")}
    later = _batch(api, subtree_root_tenant_id=partner["id"], updated_since="2999-01-01T00:00:00Z")
    assert later["items"] == []


def test_batch_pages_with_a_cursor(simulator, api):
    root = simulator.credentials["tenant_id"]
    everything = _batch(api, subtree_root_tenant_id=root)["items"]
    assert len(everything) > 3
    first = _batch(api, subtree_root_tenant_id=root, limit=2)
    assert len(first["items"]) == 2 and first["paging"]["cursors"]["after"]
    seen = list(first["items"])
    after = first["paging"]["cursors"]["after"]
    while after:
        # The specification requires subtree_root_tenant_id on every page; the cursor's filters win.
        page = _batch(api, subtree_root_tenant_id=root, after=after)
        seen += page["items"]
        after = page["paging"]["cursors"].get("after")
    assert seen == everything


def test_batch_refusals(simulator, api):
    root = simulator.credentials["tenant_id"]
    assert api.get("/tenants/offering_items").status_code == 400
    unknown = api.get("/tenants/offering_items", params={"subtree_root_tenant_id": "00000000-0000-4000-8000-000000000000"})
    assert unknown.status_code == 404
    above = api.get("/tenants/" + root).json()["parent_id"]
    assert api.get("/tenants/offering_items", params={"subtree_root_tenant_id": above}).status_code == 403
    assert api.get("/tenants/offering_items", params={"subtree_root_tenant_id": root, "limit": 0}).status_code == 400


# ------------------------------------------------------------------ prices


def test_prices_of_offering_items(simulator, api):
    root = simulator.credentials["tenant_id"]
    customer = create_tenant(api, root, "Priced customer", kind="customer")
    url = "/tenants/%s/offering_items/pricing" % customer["id"]
    assert api.get(url).json() == {"items": []}
    body = {"items": [{"application_id": CP, "name": "workstations", "price": "12.50"},
                      {"application_id": CP, "name": "storage", "infra_id": ACRONIS_STORAGE, "price": "0.05"}]}
    response = api.put(url, json=body)
    assert response.status_code == 200, response.text
    prices = {(i["name"], i.get("infra_id")): i for i in response.json()["items"]}
    assert prices[("workstations", None)]["price"] == "12.50"
    assert prices[("storage", ACRONIS_STORAGE)]["price"] == "0.05"
    version = prices[("workstations", None)]["version"]
    assert version > 0
    # A partial list changes only what it names; a changed price gets a newer version.
    again = api.put(url, json={"items": [{"application_id": CP, "name": "workstations", "price": "13",
                                          "version": version}]}).json()["items"]
    assert {i["name"]: i["price"] for i in again} == {"workstations": "13", "storage": "0.05"}
    assert [i["version"] for i in again if i["name"] == "workstations"][0] > version
    assert api.get(url).json()["items"] == again


def test_price_refusals(simulator, api):
    root = simulator.credentials["tenant_id"]
    customer = create_tenant(api, root, "Badly priced", kind="customer")
    url = "/tenants/%s/offering_items/pricing" % customer["id"]
    negative = api.put(url, json={"items": [{"application_id": CP, "name": "workstations", "price": "-1"}]})
    assert negative.status_code == 400
    unknown = api.put(url, json={"items": [{"application_id": CP, "name": "no_such_item", "price": "1"}]})
    assert unknown.status_code == 400 and error_code(unknown) == 1021
    no_infra = api.put(url, json={"items": [{"application_id": CP, "name": "storage", "price": "1"}]})
    assert no_infra.status_code == 400
    number = api.put(url, json={"items": [{"application_id": CP, "name": "workstations", "price": 1}]})
    assert number.status_code == 400
    assert api.get("/tenants/00000000-0000-4000-8000-000000000000/offering_items/pricing").status_code == 404
    child = create_tenant(api, root, "Child partner without items")
    grandchild = create_tenant(api, child["id"], "Grandchild", kind="customer")
    unavailable = api.put("/tenants/%s/offering_items/pricing" % grandchild["id"],
                          json={"items": [{"application_id": CP, "name": "workstations", "price": "1"}]})
    assert unavailable.status_code == 400 and error_code(unavailable) == 1021
