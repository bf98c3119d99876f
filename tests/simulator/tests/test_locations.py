"""Locations and storages: /tenants/{id}/locations, /locations, /locations/{id}/infra, /infra."""

import pytest
import requests

from .helpers import create_tenant, error_code

HOSTED = "019097a6-114f-4418-bd54-e01ef049f209"
GOOGLE = "ba2976d0-c13e-4661-ae60-b4593583fce2"
AZURE = "05348371-d95e-4cab-af2a-8e2cadafc30d"


def _platform_location(api, tenant_id):
    ids = api.get("/tenants/%s/locations" % tenant_id).json()["locations"]
    assert len(ids) == 1
    return ids[0]


def test_the_platform_location_holds_the_catalog_storages(simulator, api):
    root = simulator.credentials["tenant_id"]
    response = api.get("/tenants/%s/locations" % root)
    assert response.status_code == 200
    location_id = _platform_location(api, root)
    location = api.get("/locations/" + location_id).json()
    assert location["platform_owned"] is True and location["readonly"] is True
    assert location["name"] == "Acronis Cloud" and location["version"] == 1
    assert location["owner_tenant_id"] != root            # the platform's root, above the root partner
    batch = api.get("/locations", params={"uuids": location_id}).json()["items"]
    assert batch == [location]
    infra_ids = api.get("/locations/%s/infra" % location_id).json()["infras"]
    assert sorted(infra_ids) == sorted([HOSTED, GOOGLE])         # the sandbox's storages
    infras = api.get("/infra", params={"uuids": ",".join([GOOGLE, HOSTED])}).json()["items"]
    assert [infra["id"] for infra in infras] == [GOOGLE, HOSTED]          # the order asked
    google, hosted = infras
    assert google["name"] == "Google Cloud Storage" and google["backend_type"] == "google"
    assert google["capabilities"] == ["backup", "disaster_recovery"]
    assert hosted["capabilities"] == ["backup", "disaster_recovery", "files_cloud"]
    assert all(infra["location_id"] == location_id and infra["readonly"] for infra in infras)
    assert api.get("/infra/" + AZURE).status_code == 404


@pytest.mark.simulator(catalog="rich")
def test_a_richer_catalog_has_its_storages_in_the_platform_location(simulator, api):
    root = simulator.credentials["tenant_id"]
    location_id = _platform_location(api, root)
    infra_ids = api.get("/locations/%s/infra" % location_id).json()["infras"]
    assert sorted(infra_ids) == sorted([HOSTED, GOOGLE, AZURE])
    assert api.get("/infra/" + AZURE).json()["capabilities"] == ["backup"]


def test_offering_items_and_storages_name_the_same_infrastructures(simulator, api):
    root = simulator.credentials["tenant_id"]
    items = api.get("/tenants/%s/offering_items" % root, params={"edition": "*"}).json()["items"]
    item_infras = {item["infra_id"] for item in items if item.get("infra_id")}
    location_id = _platform_location(api, root)
    assert item_infras == set(api.get("/locations/%s/infra" % location_id).json()["infras"])


def test_create_rename_and_delete_a_location(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Location Partner")
    created = api.post("/locations", json={"owner_tenant_id": partner["id"], "name": "NYC Data Center"})
    assert created.status_code == 201, created.text
    location = created.json()
    assert location["platform_owned"] is False and location["readonly"] is False and location["version"] == 1
    assert location["owner_tenant_id"] == partner["id"]
    listed = api.get("/tenants/%s/locations" % partner["id"]).json()["locations"]
    assert listed[0] == location["id"] and len(listed) == 2           # its own first, then the platform's
    path = "/locations/" + location["id"]
    assert error_code(api.put(path, json={"name": "Boston", "version": 7})) == 1001
    renamed = api.put(path, json={"name": "Boston", "version": 1})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Boston" and renamed.json()["version"] == 2
    same = api.put(path, json={"name": "Boston", "version": 2})
    assert same.json()["version"] == 2                                  # nothing changed, no new version
    assert api.put(path, json={"name": "Boston"}).status_code == 400    # version is required
    assert api.delete(path).status_code == 400                          # ?version= is required
    assert error_code(api.delete(path, params={"version": 1})) == 1001
    assert api.delete(path, params={"version": 2}).status_code == 204
    assert api.get(path).status_code == 404
    assert api.delete(path, params={"version": 2}).status_code == 404


def test_location_errors(simulator, api):
    root = simulator.credentials["tenant_id"]
    platform = _platform_location(api, root)
    assert api.put("/locations/" + platform, json={"name": "Mine", "version": 1}).status_code == 403
    assert api.delete("/locations/" + platform, params={"version": 1}).status_code == 403
    assert api.post("/locations", json={"name": "No owner"}).status_code == 400
    assert api.post("/locations", json={"owner_tenant_id": root, "name": "X", "extra": 1}).status_code == 400
    unknown = "6b1c0a52-1d3e-4c8e-9a57-0c1d2e3f4a5b"
    assert api.post("/locations", json={"owner_tenant_id": unknown, "name": "X"}).status_code == 404
    assert api.get("/locations/" + unknown).status_code == 404
    assert api.get("/locations", params={"uuids": platform + "," + unknown}).status_code == 404
    assert api.get("/locations", params={"uuids": "not-a-uuid"}).status_code == 400
    assert api.get("/locations").status_code == 400                     # uuids is required
    assert requests.get(simulator.api_url + "/locations/" + platform, timeout=10).status_code == 401


def test_register_update_and_unregister_a_storage(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Storage Partner")
    location = api.post("/locations", json={"owner_tenant_id": partner["id"], "name": "Partner DC"}).json()
    body = {"owner_tenant_id": partner["id"], "location_id": location["id"], "name": "Amazon S3 Files Cloud",
            "url": "amazon+s3://s3.amazonaws.com/my-bucket-name", "capabilities": ["files_cloud"]}
    created = api.post("/infra", json=body)
    assert created.status_code == 201, created.text
    infra = created.json()
    assert infra["platform_owned"] is False and infra["readonly"] is False and infra["version"] == 1
    assert infra["backend_type"] is None and infra["capabilities"] == ["files_cloud"]
    assert "content_url" not in infra
    assert api.get("/locations/%s/infra" % location["id"]).json()["infras"] == [infra["id"]]
    path = "/infra/" + infra["id"]
    assert error_code(api.put(path, json={"name": "S3", "version": 3})) == 1001
    updated = api.put(path, json={"version": 1, "name": "S3", "capabilities": ["files_cloud", "backup"],
                                  "content_url": "https://browse.example.com/"})
    assert updated.status_code == 200
    assert updated.json()["version"] == 2 and updated.json()["name"] == "S3"
    assert updated.json()["url"] == body["url"]                         # not sent: kept
    assert updated.json()["content_url"] == "https://browse.example.com/"
    # a location that still holds a storage is not deleted
    kept = api.delete("/locations/" + location["id"], params={"version": 1})
    assert kept.status_code == 409
    assert api.delete(path, params={"version": 1}).status_code == 409
    assert api.delete(path, params={"version": 2}).status_code == 204
    assert api.get(path).status_code == 404
    assert api.delete("/locations/" + location["id"], params={"version": 1}).status_code == 204


def test_storage_defaults_and_errors(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Default Storage Partner")
    other = create_tenant(api, root, "Other Partner")
    foreign = api.post("/locations", json={"owner_tenant_id": other["id"], "name": "Other DC"}).json()
    body = {"owner_tenant_id": partner["id"], "name": "Backup storage", "url": "acronis+fes://storage.example.com:44445",
            "capabilities": ["backup"], "backend_type": "acronis"}
    placed = api.post("/infra", json=body).json()
    assert placed["location_id"] == _platform_location(api, partner["id"])   # no location of its own
    assert placed["backend_type"] == "acronis"
    assert api.post("/infra", json=dict(body, location_id=foreign["id"])).status_code == 403
    assert api.post("/infra", json=dict(body, url="not a url")).status_code == 400
    assert api.post("/infra", json=dict(body, capabilities=["tape"])).status_code == 400
    assert api.post("/infra", json={"owner_tenant_id": partner["id"], "name": "x"}).status_code == 400
    assert api.put("/infra/" + GOOGLE, json={"version": 1, "name": "Mine"}).status_code == 403
    assert api.delete("/infra/" + GOOGLE, params={"version": 1}).status_code == 403
    assert api.get("/infra", params={"uuids": "6b1c0a52-1d3e-4c8e-9a57-0c1d2e3f4a5b"}).status_code == 404


def test_a_partner_client_sees_its_own_and_the_platform_s_but_not_a_sibling_s(simulator, api):
    root = simulator.credentials["tenant_id"]
    platform = _platform_location(api, root)
    partner = create_tenant(api, root, "Seeing Partner")
    sibling = create_tenant(api, root, "Sibling Partner")
    own = api.post("/locations", json={"owner_tenant_id": partner["id"], "name": "Own DC"}).json()
    theirs = api.post("/locations", json={"owner_tenant_id": sibling["id"], "name": "Their DC"}).json()
    above = api.post("/locations", json={"owner_tenant_id": root, "name": "Root partner DC"}).json()
    client = api.post("/clients", json={"type": "api_client", "tenant_id": partner["id"],
                                        "token_endpoint_auth_method": "client_secret_basic",
                                        "data": {"client_name": "location client"}}).json()
    token = requests.post(simulator.api_url + "/idp/token", data={"grant_type": "client_credentials"},
                          auth=(client["client_id"], client["client_secret"]), timeout=10).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + token
    url = simulator.api_url
    listed = session.get(url + "/tenants/%s/locations" % partner["id"], timeout=10).json()["locations"]
    assert listed == [own["id"], above["id"], platform]          # its own, then its ancestors', nearest first
    assert session.get(url + "/locations/" + own["id"], timeout=10).json()["readonly"] is False
    ancestor_owned = session.get(url + "/locations/" + above["id"], timeout=10).json()
    assert ancestor_owned["readonly"] is True
    assert session.put(url + "/locations/" + above["id"], json={"name": "x", "version": 1},
                       timeout=10).status_code == 403
    assert session.get(url + "/locations/" + theirs["id"], timeout=10).status_code == 403
    assert session.get(url + "/tenants/%s/locations" % sibling["id"], timeout=10).status_code == 403
