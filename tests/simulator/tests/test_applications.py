"""Applications (services) and their bindings: seed 000's "disable all applications for a customer"."""

import pytest

from .helpers import create_tenant, enable_items

CYBER_PROTECTION = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
HOSTED_STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"


def _one_storage(item):
    return item["type"] != "infra" or item["infra_id"] == HOSTED_STORAGE


def _apps(api):
    return {app["type"]: app["id"] for app in api.get("/applications").json()["items"]}


@pytest.fixture
def customer(simulator, api):
    root = simulator.credentials["tenant_id"]
    tenant = create_tenant(api, root, "Apps customer", kind="customer")
    enable_items(api, root, tenant["id"], kind="customer", keep=_one_storage)
    return tenant


def test_exactly_one_platform_application(api):
    types = [app["type"] for app in api.get("/applications").json()["items"]]
    assert types.count("platform") == 1


def test_disable_all_applications_like_the_seed(simulator, api, customer):
    platform = _apps(api)["platform"]
    enabled = api.get("/tenants/%s/applications" % customer["id"]).json()["items"]
    assert platform in enabled and CYBER_PROTECTION in enabled
    for application_id in enabled:
        if application_id != platform:
            response = api.delete("/applications/%s/bindings/tenants/%s" % (application_id, customer["id"]))
            assert response.status_code == 204, response.text
    assert api.get("/tenants/%s/applications" % customer["id"]).json()["items"] == [platform]
    # its offering items are switched off with it
    items = api.get("/tenants/%s/offering_items" % customer["id"]).json()["items"]
    assert items and all(item["status"] == 0 for item in items if item["application_id"] == CYBER_PROTECTION)


def test_enable_again_and_bind_twice(api, customer):
    api.delete("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, customer["id"]))
    assert api.post("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, customer["id"])).status_code == 204
    assert api.post("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, customer["id"])).status_code == 204
    assert api.get("/tenants/%s/applications" % customer["id"]).json()["items"].count(CYBER_PROTECTION) == 1


def test_the_platform_application_is_never_unbound(api, customer):
    platform = _apps(api)["platform"]
    response = api.delete("/applications/%s/bindings/tenants/%s" % (platform, customer["id"]))
    assert response.status_code == 403
    assert platform in api.get("/tenants/%s/applications" % customer["id"]).json()["items"]


def test_unbinding_what_is_not_bound_and_unknown_ids(api, customer):
    api.delete("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, customer["id"]))
    again = api.delete("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, customer["id"]))
    unknown_app = api.post("/applications/%s/bindings/tenants/%s" % ("aaaaaaaa-8e74-4ae3-ac84-50eb0dff12eb", customer["id"]))
    unknown_tenant = api.post("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, "aaaaaaaa-8e74-4ae3-ac84-50eb0dff12eb"))
    assert again.status_code == 404 and unknown_app.status_code == 404 and unknown_tenant.status_code == 404


def test_binding_needs_the_parent_to_have_it(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Apps partner")
    enable_items(api, root, partner["id"])
    child = create_tenant(api, partner["id"], "Apps child", kind="customer")
    api.delete("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, partner["id"]))
    response = api.post("/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, child["id"]))
    assert response.status_code == 403


def test_batch_of_tenants(simulator, api, customer):
    root = simulator.credentials["tenant_id"]
    body = api.get("/tenants/applications", params={"tenants": "%s,%s" % (root, customer["id"])}).json()
    assert [item["tenant"] for item in body["items"]] == [root, customer["id"]]
    assert all(CYBER_PROTECTION in item["applications"] for item in body["items"])
    assert api.get("/tenants/applications").status_code == 400
    assert api.get("/tenants/applications", params={"tenants": "nope"}).status_code == 400
    outside = api.get("/tenants/applications", params={"tenants": "aaaaaaaa-8e74-4ae3-ac84-50eb0dff12eb"})
    assert outside.status_code == 403
