"""The connected world (api/runs.py): agents are machines, plans run, runs leave tasks, activities and alerts,
protection statuses and usage follow, and a deleted customer takes all of it with it. Public API and /_sim only.
"""

import requests

from .helpers import create_tenant, enable_items
from .protection_helpers import ServiceSession, create_plan, scoped_token

RM = "/api/resource_management/v4"
PM = "/api/policy_management/v4"
AGENTS = "/api/agent_manager/v2/agents"
TASKS = "/api/task_manager/v2/tasks"
ACTIVITIES = "/api/task_manager/v2/activities"
ALERTS = "/api/alert_manager/v1/alerts"
GIB = 1024 ** 3
GOOGLE_DR_STORAGE = "ba2976d0-c13e-4661-ae60-b4593583fce2"     # a customer has one storage of each type


def _customer(simulator, api, name="World customer"):
    """A customer with the standard edition's items, and a session scoped to it."""
    partner_id = simulator.credentials["tenant_id"]
    customer = create_tenant(api, partner_id, name, kind="customer")
    enable_items(api, partner_id, customer["id"], kind="customer", edition="standard",
                 keep=lambda item: item.get("infra_id") != GOOGLE_DR_STORAGE)
    return customer, ServiceSession(simulator.base_url, scoped_token(simulator, customer["id"]))


def _token(api, tenant_id):
    response = api.post("/tenants/%s/registration_tokens" % tenant_id, json={"expires_in": 3600, "scopes": []})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _install(simulator, token, hostname, **fields):
    response = requests.post(simulator.base_url + "/_sim/agents/install",
                             json=dict(fields, token=token, hostname=hostname), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def _sim(simulator, method, path, **kwargs):
    response = requests.request(method, simulator.base_url + "/_sim" + path, timeout=10, **kwargs)
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.status_code != 204 else None


def _machines(session):
    response = session.get(RM + "/resources", params={"type": "resource.machine", "include_attributes": "true"})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _usage(api, tenant_id):
    items = api.get("/tenants/%s/usages" % tenant_id).json()["items"]
    return {item["usage_name"]: item["value"] for item in items if item["edition"] in ("standard", None)
            and item["usage_name"] in ("workstations", "servers", "storage")
            and (item["usage_name"] != "storage" or item["value"])}


def test_an_installed_agent_is_a_machine_in_both_services(simulator, api):
    customer, session = _customer(simulator, api)
    agent = _install(simulator, _token(api, customer["id"]), "web-01", os_family="LINUX")
    machines = _machines(session)
    assert len(machines) == 1
    machine = machines[0]
    assert machine["name"] == "web-01"
    assert machine["tenant_id"] == agent["tenant"]["id"]
    assert machine["attributes"]["agent_id"] == agent["id"]
    assert machine["attributes"]["hostname"] == agent["hostname"]
    assert machine["attributes"]["os"] == agent["platform"]["name"]
    assert machine["attributes"]["online"] is True and agent["online"] is True
    assert machine["attributes"]["units"] == [u["name"] for u in agent["units"]]
    # The predefined group "Machines with agents" holds it
    group = session.get(RM + "/resources/301d1574-849e-4714-859f-3a2ec12a218b").json()
    assert group["member_ids"] == [machine["id"]]


def test_offline_and_uninstall_show_in_both_services(simulator, api):
    customer, session = _customer(simulator, api)
    token = _token(api, customer["id"])
    agent = _install(simulator, token, "laptop-01")
    keeper = _install(simulator, token, "laptop-02")
    _sim(simulator, "PATCH", "/agents/" + agent["id"], json={"online": False})
    listed = api.get(simulator.base_url + AGENTS, params={"online": "false"}).json()["items"]
    assert [a["id"] for a in listed] == [agent["id"]]
    by_agent = {m["attributes"]["agent_id"]: m for m in _machines(session)}
    assert by_agent[agent["id"]]["attributes"]["online"] is False
    assert by_agent[keeper["id"]]["attributes"]["online"] is True
    offline_alerts = session.get(simulator.base_url + ALERTS, params={"type": "AgentOffline"}).json()["items"]
    assert [a["details"]["resourceId"] for a in offline_alerts] == [by_agent[agent["id"]]["id"]]
    _sim(simulator, "PATCH", "/agents/" + agent["id"], json={"online": True})
    assert session.get(simulator.base_url + ALERTS, params={"type": "AgentOffline"}).json()["items"] == []
    _sim(simulator, "DELETE", "/agents/" + agent["id"])
    assert [m["attributes"]["agent_id"] for m in _machines(session)] == [keeper["id"]]
    assert [a["id"] for a in api.get(simulator.base_url + AGENTS).json()["items"]] == [keeper["id"]]
    # Removing the machine unregisters its agent
    _sim(simulator, "DELETE", "/resources/" + _machines(session)[0]["id"])
    assert api.get(simulator.base_url + AGENTS).json()["items"] == []


def test_bad_agent_updates_are_refused(simulator):
    url = simulator.base_url + "/_sim/agents/"
    assert requests.patch(url + "00000000-0000-4000-8000-000000000000", json={"online": False},
                          timeout=10).status_code == 404
    assert requests.patch(url + "x", json={"online": "no"}, timeout=10).status_code == 400
    assert requests.post(simulator.base_url + "/_sim/agents/install",
                         json={"token": "X", "hostname": "h", "backup_bytes": -1}, timeout=10).status_code == 400


def test_the_whole_story_through_the_public_api(simulator, api):
    """A token, three agents, a plan applied and started with one machine failing; then tasks, activities, one
    alert, protection statuses and usage that match; the customer deleted and nothing of it left."""
    customer, session = _customer(simulator, api, "Story customer")
    token = _token(api, customer["id"])
    agents = [_install(simulator, token, "srv-%d" % n, os_family="LINUX", backup_bytes=2 * GIB) for n in (1, 2)]
    agents.append(_install(simulator, token, "desk-1", os_family="WINDOWS", os_name="Windows 11"))
    assert sorted(a["id"] for a in api.get(simulator.base_url + AGENTS,
                                           params={"tenant_id": customer["id"]}).json()["items"]) == \
        sorted(a["id"] for a in agents)
    machines = {m["name"]: m for m in _machines(session)}
    assert sorted(machines) == ["desk-1", "srv-1", "srv-2"]
    assert {m["attributes"]["agent_id"] for m in machines.values()} == {a["id"] for a in agents}
    assert _usage(api, customer["id"]) == {"workstations": 0, "servers": 0}

    plan_id = create_plan(session, name="Story plan")
    ids = [machines[name]["id"] for name in ("srv-1", "srv-2", "desk-1")]
    assert session.post(PM + "/applications", json={"policy_id": plan_id, "context": {"items": ids}}).status_code == 204
    assert _usage(api, customer["id"]) == {"workstations": 1, "servers": 2}
    failing = machines["srv-2"]["id"]
    _sim(simulator, "PUT", "/protection", json={"outcomes": {failing: "error"}})
    started = session.put(PM + "/applications/run", json={"state": "running", "policy_id": plan_id,
                                                          "context_ids": ids})
    assert started.status_code == 200, started.text

    tasks = session.get(simulator.base_url + TASKS, params={"policyId": plan_id}).json()["items"]
    assert len(tasks) == 3
    results = {t["resource"]["id"]: t["result"]["code"] for t in tasks}
    assert results == {ids[0]: "ok", ids[1]: "error", ids[2]: "ok"}
    assert {t["state"] for t in tasks} == {"completed"}
    assert {t["tenant"]["uuid"] for t in tasks} == {customer["id"]}
    assert {t["policy"]["name"] for t in tasks} == {"Story plan"}
    activities = session.get(simulator.base_url + ACTIVITIES, params={"policyId": plan_id}).json()["items"]
    assert sorted(a["taskId"] for a in activities) == sorted(t["id"] for t in tasks)
    assert {a["taskId"]: a["result"]["code"] for a in activities} == {t["id"]: t["result"]["code"] for t in tasks}
    alerts = session.get(simulator.base_url + ALERTS).json()["items"]
    assert len(alerts) == 1
    assert alerts[0]["type"] == "BackupFailed" and alerts[0]["severity"] == "error"
    assert alerts[0]["details"]["resourceId"] == failing and alerts[0]["details"]["planId"] == plan_id
    assert alerts[0]["tenant"]["uuid"] == customer["id"]

    statuses = {s["context"]["id"]: s for s in session.get(RM + "/resource_statuses").json()["items"]}
    assert {i: statuses[i]["aggregate"]["status"] for i in ids} == {ids[0]: "ok", ids[1]: "error", ids[2]: "ok"}
    assert statuses[ids[0]]["policies"][0]["last_success_run"]
    assert statuses[ids[1]]["policies"][0]["last_success_run"] is None
    assert statuses[ids[0]]["policies"][0]["next_run"]      # the plan's weekly schedule
    # Two good backups stored their bytes: srv-1 2 GiB, desk-1 the default 1 GiB
    assert _usage(api, customer["id"]) == {"workstations": 1, "servers": 2, "storage": 3 * GIB}

    # A later good backup of the failed machine resolves its alert
    session.put(PM + "/applications/run", json={"state": "running", "policy_id": plan_id, "context_ids": [failing]})
    assert session.get(simulator.base_url + ALERTS).json()["items"] == []
    assert len(session.get(simulator.base_url + ALERTS, params={"show_deleted": "true"}).json()["items"]) == 1

    version = api.get("/tenants/" + customer["id"]).json()["version"]
    api.put("/tenants/" + customer["id"], json={"enabled": False, "version": version})
    version = api.get("/tenants/" + customer["id"]).json()["version"]
    assert api.delete("/tenants/%s?version=%d" % (customer["id"], version)).status_code == 204
    partner = ServiceSession(simulator.base_url, simulator.token())
    assert partner.get(AGENTS).json()["items"] == []
    assert partner.get(TASKS).json()["items"] == []
    assert partner.get(ACTIVITIES).json()["items"] == []
    assert partner.get(ALERTS, params={"show_deleted": "true"}).json()["items"] == []
    leftovers = _sim(simulator, "GET", "/state")
    ext = leftovers.get("ext", leftovers)
    for key in ("agents", "resources", "policies", "applications", "runs"):
        assert not (ext.get(key) or {}), (key, ext.get(key))
    assert customer["id"] not in (ext.get("metered_usage") or {})


def test_a_task_goes_queued_running_completed_with_the_clock(simulator, api):
    customer, session = _customer(simulator, api)
    _install(simulator, _token(api, customer["id"]), "srv-1")
    machine = _machines(session)[0]
    plan_id = create_plan(session)
    session.post(PM + "/applications", json={"policy_id": plan_id, "context": {"items": [machine["id"]]}})
    _sim(simulator, "PUT", "/settings", json={"task_duration": 400})
    session.put(PM + "/applications/run", json={"state": "running", "policy_id": plan_id,
                                                "context_ids": [machine["id"]]})
    task = session.get(simulator.base_url + TASKS).json()["items"][0]
    assert task["state"] == "enqueued" and task["result"] is None
    _sim(simulator, "POST", "/clock", json={"advance": 200})
    task = session.get(simulator.base_url + TASKS).json()["items"][0]
    assert task["state"] == "started" and task["startedAt"] and task["completedAt"] is None
    status = session.get(RM + "/resource_statuses").json()["items"][0]
    assert status["aggregate"]["status"] == "running"
    _sim(simulator, "POST", "/clock", json={"advance": 200})
    task = session.get(simulator.base_url + TASKS).json()["items"][0]
    assert task["state"] == "completed" and task["result"] == {"code": "ok"}


def test_the_clock_starts_scheduled_backups(simulator, api):
    customer, session = _customer(simulator, api)
    _install(simulator, _token(api, customer["id"]), "srv-1")
    machine = _machines(session)[0]
    plan_id = create_plan(session)      # weekly, Monday to Friday at 23:00
    session.post(PM + "/applications", json={"policy_id": plan_id, "context": {"items": [machine["id"]]}})
    assert session.get(simulator.base_url + TASKS).json()["items"] == []
    advanced = _sim(simulator, "POST", "/clock", json={"advance": 7 * 86400})
    assert advanced["started"] == 1
    tasks = session.get(simulator.base_url + TASKS).json()["items"]
    assert len(tasks) == 1 and tasks[0]["result"] == {"code": "ok"} and tasks[0]["policy"]["id"] == plan_id
    assert tasks[0]["enqueuedAt"][11:16] == "23:00"
    bad = requests.post(simulator.base_url + "/_sim/clock", json={"advance": -1}, timeout=10)
    assert bad.status_code == 400


def test_no_made_up_monitoring_by_default(simulator):
    session = ServiceSession(simulator.base_url, simulator.token())
    for path in (TASKS, ACTIVITIES, ALERTS):
        assert session.get(path).json()["items"] == []
    _sim(simulator, "PUT", "/settings", json={"synthetic_monitoring": 30})
    assert len(session.get(TASKS, params={"limit": 1000}).json()["items"]) == 30
    assert len(session.get(ALERTS, params={"limit": 1000, "show_deleted": "true"}).json()["items"]) == 20
    refused = requests.put(simulator.base_url + "/_sim/settings", json={"synthetic_monitoring": -1}, timeout=10)
    assert refused.status_code == 400


def test_protection_outcomes_are_validated(simulator):
    url = simulator.base_url + "/_sim/protection"
    assert requests.put(url, json={"outcomes": {"00000000-0000-4000-8000-000000000000": "error"}},
                        timeout=10).status_code == 400
    assert requests.put(url, json={"outcomes": {"x": "boom"}}, timeout=10).status_code == 400
    assert requests.put(url, json={"outcomes": []}, timeout=10).status_code == 400
