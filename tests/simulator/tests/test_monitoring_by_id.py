"""Task Manager and Alert Manager by id: one task, alerts created, read and dismissed, alert types."""

import pytest
import requests

from .helpers import create_tenant, create_user

# These tests page through volume: the synthetic tasks, activities and alerts (--synthetic-monitoring 300),
# as the simulator generated them before the world was connected (test_world.py covers the world's own).
pytestmark = pytest.mark.simulator(synthetic_monitoring=300)

TASKS = "/api/task_manager/v2/tasks"
ALERTS = "/api/alert_manager/v1/alerts"
TYPES = "/api/alert_manager/v1/types"
TASK_FIELDS = {"id", "uuid", "type", "queue", "state", "result", "tenant", "resource", "policy", "enqueuedAt",
               "startedAt", "completedAt", "updatedAt"}


def _call(session, method, path, **kwargs):
    return session.request(method, session.base + path, timeout=30, **kwargs)


def _create(session, **body):
    response = _call(session, "POST", ALERTS, json=body)
    assert response.status_code == 200, response.text
    return response.json()["id"]


def test_a_task_by_integer_id_and_by_uuid(session):
    listed = _call(session, "GET", TASKS, params={"limit": 1}).json()["items"][0]
    by_id = _call(session, "GET", "%s/%s" % (TASKS, listed["id"]))
    assert by_id.status_code == 200, by_id.text
    assert by_id.json() == listed and TASK_FIELDS <= set(by_id.json())
    assert _call(session, "GET", "%s/%s" % (TASKS, listed["uuid"].upper())).json()["id"] == listed["id"]
    short = _call(session, "GET", "%s/%s" % (TASKS, listed["id"]), params={"lod": "short"}).json()
    assert "tenant" not in short and short["id"] == listed["id"]


def test_task_refusals(simulator, session, api):
    missing = _call(session, "GET", TASKS + "/1")
    assert missing.status_code == 404 and missing.json()["error"]["domain"] == "TaskManager"
    assert _call(session, "GET", TASKS + "/not-an-id").status_code == 400
    assert _call(session, "GET", TASKS + "/1", params={"lod": "huge"}).status_code == 400
    # A task of another partner's subtree is not found.
    root = simulator.credentials["tenant_id"]
    other = create_tenant(api, root, "Other partner")
    mine = create_tenant(api, root, "My partner")
    client = api.post("/clients", json={"type": "api_client", "tenant_id": mine["id"],
                                        "token_endpoint_auth_method": "client_secret_basic"}).json()
    token = requests.post(simulator.api_url + "/idp/token", data={"grant_type": "client_credentials"},
                          auth=(client["client_id"], client["client_secret"]), timeout=10).json()["access_token"]
    others = _call(session, "GET", TASKS, params={"tenantId": other["id"], "limit": 1}).json()["items"][0]
    outside = requests.get(simulator.base_url + "%s/%s" % (TASKS, others["id"]),
                           headers={"Authorization": "Bearer " + token}, timeout=10)
    assert outside.status_code == 404
    assert requests.get(simulator.base_url + TASKS + "/1", timeout=10).status_code == 401


def test_create_read_and_dismiss_an_alert(simulator, session):
    alert_id = _create(session, type="NoBackupForXDays", details={"daysPassed": 32, "planName": "Nightly"},
                       context={"resourceId": "E10FC321-7900-63B3-3797-8969AB0756B1"})
    read = _call(session, "GET", "%s/%s" % (ALERTS, alert_id))
    assert read.status_code == 200, read.text
    alert = read.json()
    # The type's severity and category when the payload has none; the caller's tenant.
    assert alert["type"] == "NoBackupForXDays" and alert["severity"] == "warning" and alert["category"] == "Backup"
    assert alert["tenant"]["uuid"] == simulator.credentials["tenant_id"] and alert["deletedAt"] is None
    assert alert["details"]["daysPassed"] == 32 and alert["context"]["resourceId"].startswith("E10FC321")
    listed = _call(session, "GET", ALERTS, params={"id": alert_id}).json()["items"]
    assert [item["id"] for item in listed] == [alert_id]
    simulator.reset_log()
    dismissed = _call(session, "DELETE", "%s/%s" % (ALERTS, alert_id))
    assert dismissed.status_code == 204 and dismissed.content == b""
    assert simulator.writes()
    after = _call(session, "GET", "%s/%s" % (ALERTS, alert_id)).json()
    assert after["deletedAt"] is not None
    assert _call(session, "GET", ALERTS, params={"id": alert_id}).json()["items"] == []
    assert [i["id"] for i in _call(session, "GET", ALERTS, params={"id": alert_id, "show_deleted": "true"}).json()[
        "items"]] == [alert_id]
    again = _call(session, "DELETE", "%s/%s" % (ALERTS, alert_id))
    assert again.status_code == 404 and again.json()["error"]["domain"] == "AlertManager"


def test_the_samples_alert_test(session):
    """Acronis's samples' test_alert_manager: create DrStorageHardQuotaExceeds, read it, delete it (204)."""
    alert_id = _create(session, type="DrStorageHardQuotaExceeds", resourceId="r-1", planId="p-1")
    assert _call(session, "GET", "%s/%s" % (ALERTS, alert_id)).json()["id"] == alert_id
    assert _call(session, "DELETE", "%s/%s" % (ALERTS, alert_id)).status_code == 204


def test_dismissing_a_generated_alert(session):
    alert = _call(session, "GET", ALERTS, params={"limit": 1}).json()["items"][0]
    assert _call(session, "DELETE", "%s/%s" % (ALERTS, alert["id"].upper())).status_code == 204
    read = _call(session, "GET", "%s/%s" % (ALERTS, alert["id"])).json()
    assert read["deletedAt"] is not None and read["updatedAt"] == read["deletedAt"]
    assert _call(session, "GET", ALERTS, params={"id": alert["id"]}).json()["items"] == []


def test_an_alert_with_its_own_id_tenant_severity_and_time(simulator, session, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Alerted customer", kind="customer")
    alert_id = _create(session, type="BackupFailed", id="1BE7BE26-C68F-0863-2F55-DACC93A799F9", severity="critical",
                       category="Custom", tenantID=customer["id"], createdAt="2019-09-05T16:24:35.000Z",
                       _source="DC4A6F3B-479B-4D42-B7DD-132C56E9C76B", _sourceTimeStamp=344168)
    assert alert_id == "1be7be26-c68f-0863-2f55-dacc93a799f9"
    alert = _call(session, "GET", "%s/%s" % (ALERTS, alert_id)).json()
    assert alert["severity"] == "critical" and alert["category"] == "Custom"
    assert alert["tenant"]["uuid"] == customer["id"] and alert["createdAt"].startswith("2019-09-05T16:24:35")
    taken = _call(session, "POST", ALERTS, json={"type": "BackupFailed", "id": alert_id})
    assert taken.status_code == 400
    by_number = _create(session, type="BackupFailed", tenantID=str(alert["tenant"]["id"]))
    assert _call(session, "GET", "%s/%s" % (ALERTS, by_number)).json()["tenant"]["uuid"] == customer["id"]


def test_an_alert_of_a_users_personal_tenant(simulator, session, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Personal alerts", kind="customer")
    personal = create_user(api, customer["id"], "alerted-user")["personal_tenant_id"]
    alert_id = _create(session, type="AgentOffline", tenantID=personal)
    assert _call(session, "GET", "%s/%s" % (ALERTS, alert_id)).json()["tenant"]["uuid"] == personal
    listed = _call(session, "GET", ALERTS, params={"tenant": personal}).json()["items"]
    assert [item["id"] for item in listed] == [alert_id]


@pytest.mark.parametrize("body,status", [
    ({}, 400),                                                          # type is required
    ({"type": ""}, 400),
    ({"type": "NoSuchAlertType"}, 400),                                 # incompatible with the type definitions
    ({"type": "BackupFailed", "severity": "fatal"}, 400),
    ({"type": "BackupFailed", "id": "not-a-uuid"}, 400),
    ({"type": "BackupFailed", "createdAt": "yesterday"}, 400),
    ({"type": "BackupFailed", "details": "text"}, 400),
    ({"type": "BackupFailed", "context": {"planId": 1}}, 400),           # context values are strings
    ({"type": "BackupFailed", "tenantID": "00000000-0000-4000-8000-000000000000"}, 400),
])
def test_alert_payloads_are_validated(session, body, status):
    response = _call(session, "POST", ALERTS, json=body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["domain"] == "AlertManager"


def test_alerts_outside_the_subtree_and_read_only_callers(simulator, session, api):
    root = simulator.credentials["tenant_id"]
    above = api.get("/tenants/" + root).json()["parent_id"]
    outside = _call(session, "POST", ALERTS, json={"type": "BackupFailed", "tenantID": above})
    assert outside.status_code == 403
    reader = create_user(api, root, "alert-reader")
    api.post("/users/%s/password" % reader["id"], json={"password": "Read0nly!"})
    api.put("/users/%s/access_policies" % reader["id"], json={"items": [{
        "id": "00000000-0000-0000-0000-000000000000", "issuer_id": "00000000-0000-0000-0000-000000000000",
        "role_id": "readonly_admin", "tenant_id": root, "trustee_id": reader["id"], "trustee_type": "user",
        "version": 0}]})
    token = requests.post(simulator.api_url + "/idp/token", timeout=10, data={
        "grant_type": "password", "username": "alert-reader", "password": "Read0nly!"}).json()["access_token"]
    headers = {"Authorization": "Bearer " + token}
    assert requests.get(simulator.base_url + ALERTS, headers=headers, params={"limit": 1}, timeout=10).status_code == 200
    refused = requests.post(simulator.base_url + ALERTS, headers=headers, json={"type": "BackupFailed"}, timeout=10)
    assert refused.status_code == 403
    assert _call(session, "GET", ALERTS + "/00000000-0000-4000-8000-000000000000").status_code == 404


def test_alert_types(session):
    response = _call(session, "GET", TYPES)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    ids = [item["id"] for item in items]
    assert {"NoBackupForXDays", "BackupFailed", "DrStorageHardQuotaExceeds"} <= set(ids)
    for item in items:
        assert set(item) == {"id", "severity", "enabled", "contextKeys", "searchableDetails"}
    one = _call(session, "GET", "%s/%s" % (TYPES, ids[0]))
    assert one.status_code == 200 and one.json() == items[0]
    missing = _call(session, "GET", TYPES + "/NoSuchType")
    assert missing.status_code == 404 and missing.json()["error"]["domain"] == "AlertManager"
    assert _call(session, "GET", TYPES, params={"limit": 1}).status_code == 400


@pytest.mark.parametrize("method,path", [("DELETE", ALERTS), ("POST", TYPES)])
def test_left_out_alert_operations_say_so(session, method, path):
    response = _call(session, method, path, json={})
    assert response.status_code == 501
    error = response.json()["error"]
    assert error["domain"] == "AcronisSimulator" and "leaves this operation out" in error["details"]["info"]
