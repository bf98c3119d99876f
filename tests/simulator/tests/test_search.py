"""GET /search and its configurable lag."""

import time

import requests

from .helpers import create_tenant, create_user


def test_search_tenants_and_users(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Findable Partner")
    user = create_user(api, partner["id"], "findable.user")
    found = api.get("/search", params={"tenant": root, "text": "findable"}).json()["items"]
    kinds = {(i["obj_type"], i["id"]) for i in found}
    assert ("tenant", partner["id"]) in kinds and ("user", user["id"]) in kinds
    tenant_hit = next(i for i in found if i["obj_type"] == "tenant")
    assert tenant_hit["kind"] == "partner" and tenant_hit["parent_id"] == root
    assert api.get("/search", params={"tenant": root, "text": "findable", "limit": 1}).json()["items"][:1]
    assert api.get("/search", params={"tenant": "00000000-0000-4000-8000-000000000000",
                                      "text": "x"}).status_code == 404
    assert api.get("/search", params={"tenant": root}).status_code == 400


def test_search_lags_behind_writes(simulator, api):
    root = simulator.credentials["tenant_id"]
    assert requests.put(simulator.base_url + "/_sim/settings", json={"search_lag": 0.5}, timeout=10).ok
    partner = create_tenant(api, root, "Laggard")
    assert api.get("/search", params={"tenant": root, "text": "laggard"}).json()["items"] == []
    time.sleep(0.6)
    assert [i["id"] for i in api.get("/search", params={"tenant": root, "text": "laggard"}).json()["items"]] == \
        [partner["id"]]
