"""Builders for the Resource and Policy Management tests: a customer, a scoped session, machines, a plan."""

import uuid

import requests

from .helpers import create_tenant

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


class ServiceSession(requests.Session):
    """A session on the data center root (/api/...) with one bearer token."""

    def __init__(self, base_url, token):
        super().__init__()
        self.base_url = base_url
        self.headers["Authorization"] = "Bearer " + token

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 10)
        return super().request(method, url, *args, **kwargs)


def scoped_token(simulator, tenant_id):
    """The seed client's token exchanged for one scoped to ``tenant_id``."""
    response = requests.post(simulator.api_url + "/idp/token", timeout=10, data={
        "grant_type": JWT_BEARER, "assertion": simulator.token(), "scope": "urn:acronis.com:tenant-id:" + tenant_id})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def customer_session(simulator, api, name="Protected customer"):
    """(customer, session with a customer-scoped token)."""
    customer = create_tenant(api, simulator.credentials["tenant_id"], name, kind="customer")
    return customer, ServiceSession(simulator.base_url, scoped_token(simulator, customer["id"]))


def register_machine(simulator, tenant_id, name, **fields):
    """POST /_sim/resources: a machine appears as when its agent registers."""
    response = requests.post(simulator.base_url + "/_sim/resources", json=dict(fields, tenant_id=tenant_id, name=name),
                             timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def plan_body(name="Daily backup", root_id=None, child_id=None, settings=None):
    """A plan as seed 000's base_plan.json builds it: a total protection policy and a machine backup policy."""
    root_id = root_id or str(uuid.uuid4())
    return {"subject": {"policy": [
        {"id": root_id, "type": "policy.protection.total", "name": name, "origin": "upstream", "enabled": True},
        {"id": child_id or str(uuid.uuid4()), "parent_ids": [root_id], "type": "policy.backup.machine",
         "origin": "upstream", "enabled": True, "settings_schema": "2.0",
         "settings": settings or {"compression": "normal", "format": "auto", "vault": {"type": "cloud"},
                                  "scheduling": {"enabled": True, "scheme": "always_incremental",
                                                 "backup_sets": [{"type": "auto", "schedule": {
                                                     "type": "weekly", "alarms": {"time": {
                                                         "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                                                         "repeat_at": [{"hour": 23, "minute": 0}]}}}}]}}},
    ]}}


def create_plan(session, **kwargs):
    """POST /policies and return the root id."""
    body = plan_body(**kwargs)
    response = session.post("/api/policy_management/v4/policies", json=body)
    assert response.status_code == 200, response.text
    return body["subject"]["policy"][0]["id"]
