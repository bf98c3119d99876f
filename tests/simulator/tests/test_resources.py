"""Resource Management v4 (api/resources.py): resources, groups, attributes, resource_statuses, paging, scope."""

import requests

from .protection_helpers import ServiceSession, create_plan, customer_session, register_machine

RM = "/api/resource_management/v4"
MACHINES_WITH_AGENTS = "301d1574-849e-4714-859f-3a2ec12a218b"


def test_a_partner_wide_token_is_refused(simulator, api):
    partner = ServiceSession(simulator.base_url, simulator.token())
    response = partner.get(RM + "/resources")
    assert response.status_code == 403
    assert "customer" in response.json()["error"]["details"]["info"]
    assert response.json()["error"]["domain"] == "ResourceManagement"


def test_no_token_is_401(simulator):
    assert requests.get(simulator.base_url + RM + "/resources", timeout=10).status_code == 401


def test_registered_machines_are_listed_by_type_with_attributes(simulator, api):
    customer, session = customer_session(simulator, api)
    other, _other_session = customer_session(simulator, api, name="Someone else")
    register_machine(simulator, customer["id"], "SRV-01", attributes={"os": "Ubuntu 22.04"})
    register_machine(simulator, other["id"], "SRV-99")
    plain = session.get(RM + "/resources", params={"type": "resource.machine"}).json()
    assert [r["name"] for r in plain["items"]] == ["SRV-01"]
    assert "attributes" not in plain["items"][0]
    # The resource APIs print the tenant's numeric id, and filter by either form.
    assert plain["items"][0]["tenant_id"].isdigit()
    by_uuid = session.get(RM + "/resources", params={"tenant_id": customer["id"], "type": "resource.machine"}).json()
    by_number = session.get(RM + "/resources", params={"tenant_id": plain["items"][0]["tenant_id"],
                                                       "type": "resource.machine"}).json()
    assert [r["name"] for r in by_uuid["items"]] == [r["name"] for r in by_number["items"]] == ["SRV-01"]
    detailed = session.get(RM + "/resources", params={"type": "resource.machine", "include_attributes": "true"}).json()
    assert detailed["items"][0]["attributes"]["os"] == "Ubuntu 22.04"
    assert detailed["items"][0]["attributes"]["agent_id"]
    one = session.get(RM + "/resources/" + plain["items"][0]["id"])
    assert one.status_code == 200 and one.json()["name"] == "SRV-01"
    attributes = session.get(RM + "/resources/%s/attributes" % plain["items"][0]["id"])
    assert attributes.status_code == 200 and attributes.json()["os"] == "Ubuntu 22.04"


def test_every_customer_sees_the_machines_with_agents_group(simulator, api):
    customer, session = customer_session(simulator, api)
    machine = register_machine(simulator, customer["id"], "WKS-01")
    groups = session.get(RM + "/resources", params={"type": "resource.group.computers"}).json()["items"]
    assert [g["id"] for g in groups] == [MACHINES_WITH_AGENTS]
    assert groups[0]["member_ids"] == [machine["id"]]


def test_unknown_resource_and_bad_query_are_refused(simulator, api):
    _customer, session = customer_session(simulator, api)
    missing = session.get(RM + "/resources/6e6d758d-8e74-3ae3-ac84-50eb0dff12eb")
    assert missing.status_code == 404
    assert session.get(RM + "/resources", params={"colour": "red"}).status_code == 400
    assert session.get(RM + "/resources", params={"limit": "many"}).status_code == 400
    assert session.get(RM + "/resources", params={"limit": "0"}).status_code == 400


def test_dynamic_group_selects_machines_by_condition(simulator, api):
    customer, session = customer_session(simulator, api)
    test_machine = register_machine(simulator, customer["id"], "test-web")
    register_machine(simulator, customer["id"], "prod-db")
    body = {"type": "resource.group.computers", "parent_group_ids": [MACHINES_WITH_AGENTS],
            "group_condition": "test*", "allowed_member_types": ["resource.machine"],
            "name": "My Dynamic Group", "user_defined_name": "My Dynamic Group"}
    created = session.post(RM + "/resources", json=body)
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["member_ids"] == [test_machine["id"]]
    assert session.post(RM + "/resources", json=body).status_code == 409
    sub = dict(body, name="Sub", parent_group_ids=[group["id"]])
    refused = session.post(RM + "/resources", json=sub)
    assert refused.status_code == 400 and "dynamic" in refused.json()["error"]["details"]["info"]
    assert session.post(RM + "/resources", json=dict(body, type="resource.machine")).status_code == 400
    assert session.delete(RM + "/resources/" + group["id"]).status_code == 204
    assert session.get(RM + "/resources/" + group["id"]).status_code == 404
    assert session.delete(RM + "/resources/" + MACHINES_WITH_AGENTS).status_code == 400
    assert session.delete(RM + "/resources/" + test_machine["id"]).status_code == 400


def test_condition_on_a_field(simulator, api):
    customer, session = customer_session(simulator, api)
    linux = register_machine(simulator, customer["id"], "a", attributes={"os": "Linux"})
    register_machine(simulator, customer["id"], "b", attributes={"os": "Windows"})
    group = session.post(RM + "/resources", json={"type": "resource.group.computers", "name": "Linux",
                                                  "group_condition": "os = 'Linux'"}).json()
    assert group["member_ids"] == [linux["id"]]


def test_paging_follows_the_after_and_before_cursors(simulator, api):
    customer, session = customer_session(simulator, api)
    for number in range(5):
        register_machine(simulator, customer["id"], "M-%d" % number)
    first = session.get(RM + "/resources", params={"type": "resource.machine", "limit": "2"}).json()
    assert [r["name"] for r in first["items"]] == ["M-0", "M-1"]
    assert "before" not in first["paging"]["cursors"]
    second = session.get(RM + "/resources", params={"limit": "2", "after": first["paging"]["cursors"]["after"]}).json()
    assert [r["name"] for r in second["items"]] == ["M-2", "M-3"]
    third = session.get(RM + "/resources", params={"limit": "2", "after": second["paging"]["cursors"]["after"]}).json()
    assert [r["name"] for r in third["items"]] == ["M-4"]
    assert "after" not in third["paging"]["cursors"]
    back = session.get(RM + "/resources", params={"limit": "2", "before": third["paging"]["cursors"]["before"]}).json()
    assert [r["name"] for r in back["items"]] == ["M-2", "M-3"]
    assert session.get(RM + "/resources", params={"after": "garbage!"}).status_code == 400
    both = session.get(RM + "/resources", params={"after": first["paging"]["cursors"]["after"], "before": "x"})
    assert both.status_code == 400


def test_resource_statuses_follow_the_applied_plans(simulator, api):
    customer, session = customer_session(simulator, api)
    machine = register_machine(simulator, customer["id"], "SRV-01")
    register_machine(simulator, customer["id"], "SRV-02")
    before = session.get(RM + "/resource_statuses").json()["items"]
    assert [i["aggregate"]["status"] for i in before] == ["not_protected", "not_protected"]
    plan = create_plan(session, name="Nightly")
    applied = session.post("/api/policy_management/v4/applications",
                           json={"policy_id": plan, "context": {"items": [machine["id"]]}})
    assert applied.status_code == 204
    after = session.get(RM + "/resource_statuses", params={"context_id": machine["id"], "include_attributes": "true"}).json()["items"]
    assert after[0]["aggregate"] == {"status": "ok", "names": "Nightly"}
    assert [p["type"] for p in after[0]["policies"]] == ["policy.backup.machine"]    # disabled modules left out
    assert after[0]["policies"][0]["last_success_run"] is None
    assert after[0]["context"]["name"] == "SRV-01" and after[0]["attributes"]["hostname"] == "SRV-01"
    unprotected = session.get(RM + "/resource_statuses", params={"status": "not_protected"}).json()["items"]
    assert [i["context"]["name"] for i in unprotected] == ["SRV-02"]


def test_admin_interface_validates_and_removes(simulator, api):
    customer, session = customer_session(simulator, api)
    url = simulator.base_url + "/_sim/resources"
    assert requests.post(url, json={"tenant_id": customer["id"]}, timeout=10).status_code == 400
    assert requests.post(url, json={"tenant_id": customer["id"], "name": "x", "cpu": 4}, timeout=10).status_code == 400
    partner = requests.post(url, json={"tenant_id": simulator.credentials["tenant_id"], "name": "x"}, timeout=10)
    assert partner.status_code == 400
    unknown = requests.post(url, json={"tenant_id": "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb", "name": "x"}, timeout=10)
    assert unknown.status_code == 404
    machine = register_machine(simulator, customer["id"], "gone")
    assert requests.delete(url + "/" + machine["id"], timeout=10).status_code == 204
    assert requests.delete(url + "/" + machine["id"], timeout=10).status_code == 404
    assert session.get(RM + "/resources", params={"type": "resource.machine"}).json()["items"] == []
