"""Task manager and alert manager: generated records, time filters, cursor paging both ways, errors."""

import datetime

import pytest
import requests

from .helpers import create_tenant

# These tests page through volume: the synthetic tasks, activities and alerts (--synthetic-monitoring 300),
# as the simulator generated them before the world was connected (test_world.py covers the world's own).
pytestmark = pytest.mark.simulator(synthetic_monitoring=300)

TASKS = "/api/task_manager/v2/tasks"
ACTIVITIES = "/api/task_manager/v2/activities"
ALERTS = "/api/alert_manager/v1/alerts"


def _get(session, path, **params):
    return session.get(session.base + path, params=params, timeout=30)


def _week_ago():
    return datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=7)


def _all_pages(session, path, first_params, page_params=None):
    response = _get(session, path, **first_params)
    assert response.status_code == 200, response.text
    pages = [response.json()]
    while "after" in pages[-1]["paging"]["cursors"]:
        params = dict(page_params or {"limit": first_params.get("limit")})
        params["after"] = pages[-1]["paging"]["cursors"]["after"]
        response = _get(session, path, **params)
        assert response.status_code == 200, response.text
        pages.append(response.json())
    return pages


def test_tasks_completed_last_week_paged_like_the_examples(session):
    since = _week_ago().strftime("%Y-%m-%dT00:00:00Z")
    everything = _get(session, TASKS, completedAt="gt(%s)" % since, limit=1000).json()
    expected = [task["id"] for task in everything["items"]]
    assert 0 < len(expected) < 300 and everything["size"] == len(expected)
    assert "after" not in everything["paging"]["cursors"] and "before" not in everything["paging"]["cursors"]
    assert all(task["state"] == "completed" and task["completedAt"] >= since for task in everything["items"])
    assert {task["result"]["code"] for task in everything["items"]} <= {"ok", "warning", "error", "cancelled"}
    pages = _all_pages(session, TASKS, {"limit": 10, "lod": "short", "completedAt": "gt(%s)" % since},
                       page_params={"limit": 10, "lod": "short"})
    assert [task["id"] for page in pages for task in page["items"]] == expected
    assert all(len(page["items"]) == 10 for page in pages[:-1]) and "after" not in pages[-1]["paging"]["cursors"]
    assert set(pages[0]["items"][0]) == {"id", "uuid", "type", "state", "result", "enqueuedAt", "startedAt",
                                         "completedAt", "updatedAt"}
    assert "before" not in pages[0]["paging"]["cursors"] and "before" in pages[1]["paging"]["cursors"]


def test_order_and_value_filters(session):
    asc = _get(session, TASKS, order="asc(startedAt)", state="completed", resultCode="or(error,warning)",
               limit=1000).json()["items"]
    assert asc and all(task["result"]["code"] in ("error", "warning") for task in asc)
    assert [task["startedAt"] for task in asc] == sorted(task["startedAt"] for task in asc)
    running = _get(session, TASKS, state="started", limit=1000).json()["items"]
    assert all(task["completedAt"] is None and task["result"] is None for task in running)


def test_activities(session):
    since = _week_ago().strftime("%Y-%m-%dT00:00:00Z")
    pages = _all_pages(session, ACTIVITIES, {"limit": 25, "completedAt": "gt(%s)" % since})
    items = [item for page in pages for item in page["items"]]
    assert items and all(item["completedAt"] >= since and "taskId" in item for item in items)


def test_alerts_updated_last_week_both_units_and_before_cursor(session):
    week = _week_ago().replace(hour=0, minute=0, second=0, microsecond=0)
    nanoseconds = int(week.timestamp() * 1000000000)
    microseconds = int(week.timestamp() * 1000000)
    by_ns = _get(session, ALERTS, updated_at="gt(%d)" % nanoseconds, order="desc(created_at)", limit=1000).json()
    by_us = _get(session, ALERTS, updated_at="gt(%d)" % microseconds, order="desc(created_at)", limit=1000).json()
    assert by_ns["items"] and by_ns["items"] == by_us["items"]
    assert "size" not in by_ns
    assert {alert["severity"] for alert in by_ns["items"]} <= {"information", "warning", "error", "critical"}
    created = [alert["createdAt"] for alert in by_ns["items"]]
    assert created == sorted(created, reverse=True)
    # forward to the end (sending the filter again, as alerts_pagination.py does), then back to the start
    forward = _all_pages(session, ALERTS, {"limit": 10, "updated_at": "gt(%d)" % microseconds},
                         page_params={"limit": 10, "updated_at": "gt(%d)" % microseconds})
    page = forward[-1]
    seen = [alert["id"] for alert in page["items"]]
    while "before" in page["paging"]["cursors"]:
        response = _get(session, ALERTS, limit=10, before=page["paging"]["cursors"]["before"])
        assert response.status_code == 200, response.text
        page = response.json()
        seen = [alert["id"] for alert in page["items"]] + seen
    assert seen == [alert["id"] for page in forward for alert in page["items"]]


def test_records_are_deterministic_and_scoped(simulator, api, session):
    first = _get(session, ALERTS, limit=5).json()["items"]
    assert first == _get(session, ALERTS, limit=5).json()["items"]
    partner = create_tenant(api, simulator.credentials["tenant_id"], "Monitored partner")
    client = api.post("/clients", json={"type": "api_client", "tenant_id": partner["id"],
                                        "token_endpoint_auth_method": "client_secret_basic",
                                        "data": {"client_name": "mon"}}).json()
    headers = {"Authorization": "Bearer " + simulator.token(client["client_id"], client["client_secret"])}
    own = requests.get(simulator.base_url + TASKS, params={"limit": 1000}, headers=headers, timeout=30).json()
    assert own["items"] and {task["tenant"]["uuid"] for task in own["items"]} == {partner["id"]}
    everything = _get(session, TASKS, limit=1000).json()
    assert {task["tenant"]["uuid"] for task in everything["items"]} == {simulator.credentials["tenant_id"],
                                                                        partner["id"]}


@pytest.mark.parametrize("path, params", [
    (TASKS, {"completedAt": "gt(last week)"}),
    (TASKS, {"completedAt": "around(2024-01-01T00:00:00Z)"}),
    (TASKS, {"limit": "0"}),
    (TASKS, {"order": "desc(name)"}),
    (TASKS, {"after": "not-a-cursor"}),
    (ALERTS, {"after": "x", "before": "y"}),
])
def test_bad_queries_are_400_with_the_envelope(session, path, params):
    response = _get(session, path, **params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == 400 and error["domain"] in ("TaskManager", "AlertManager") and error["details"]["info"]


def test_cursor_of_another_list_is_refused(session):
    cursor = _get(session, TASKS, limit=1).json()["paging"]["cursors"]["after"]
    response = _get(session, ALERTS, limit=1, after=cursor)
    assert response.status_code == 400


def test_authentication(simulator):
    assert requests.get(simulator.base_url + TASKS, timeout=10).status_code == 401
    basic = requests.get(simulator.base_url + ALERTS, timeout=10,
                         auth=(simulator.credentials["client_id"], simulator.credentials["client_secret"]))
    assert basic.status_code == 401


# ------------------------------------------------------------------ documented filters and the strict contract

def test_the_documented_date_forms_agree(session):
    week = _week_ago().replace(microsecond=0)
    forms = [week.strftime("%Y-%m-%dT%H:%M:%SZ"),                  # RFC 3339
             week.strftime("%a, %d %b %Y %H:%M:%S GMT"),           # RFC 1123
             week.strftime("%A, %d-%b-%y %H:%M:%S GMT"),           # RFC 850
             week.strftime("%a %b %d %H:%M:%S %Y"),                # ANSI C
             str(int(week.timestamp())),                           # UnixTimestamp
             "%dns" % (int(week.timestamp()) * 1000000000)]        # UnixTimestampNano
    answers = [_get(session, TASKS, completedAt="gt(%s)" % form, limit=1000).json() for form in forms]
    ids = [task["id"] for task in answers[0]["items"]]
    assert ids and all([task["id"] for task in answer["items"]] == ids for answer in answers)


def test_task_filters_combine(session):
    items = _get(session, TASKS, type="or(restore,validation)", state="completed", resultCode="ok",
                 limit=1000).json()["items"]
    assert items and all(t["type"] in ("restore", "validation") and t["result"]["code"] == "ok" for t in items)
    one = _get(session, TASKS, id=str(items[0]["id"])).json()["items"]
    assert [t["id"] for t in one] == [items[0]["id"]]
    activities = _get(session, ACTIVITIES, type="backup", state="completed", limit=1000).json()["items"]
    assert activities and all(a["type"] == "backup" and a["state"] == "completed" for a in activities)
    of_task = _get(session, ACTIVITIES, taskId=str(items[0]["id"])).json()["items"]
    assert [a["taskId"] for a in of_task] == [items[0]["id"]]


def test_alert_severity_compares_and_ors(session):
    severe = _get(session, ALERTS, severity="gt(warning)", limit=1000).json()["items"]
    assert severe and {a["severity"] for a in severe} == {"error", "critical"}
    listed = _get(session, ALERTS, severity="or(information,critical)", limit=1000).json()["items"]
    assert listed and {a["severity"] for a in listed} == {"information", "critical"}
    plain = _get(session, ALERTS, severity="warning", limit=1000).json()["items"]
    assert plain and {a["severity"] for a in plain} == {"warning"}
    assert _get(session, ALERTS, severity="gt(serious)").status_code == 400


def test_alert_ids_skip_and_dismissed(session):
    live = _get(session, ALERTS, limit=1000).json()["items"]
    assert live and all(a["deletedAt"] is None for a in live)
    dismissed = _get(session, ALERTS, show_deleted_only="true", limit=1000).json()["items"]
    assert dismissed and all(a["deletedAt"] is not None for a in dismissed)
    everything = _get(session, ALERTS, show_deleted="true", limit=1000).json()["items"]
    assert len(everything) == len(live) + len(dismissed)
    first, second = live[0]["id"], live[1]["id"]
    picked = _get(session, ALERTS, id="or(%s,%s)" % (first.upper(), second)).json()["items"]
    assert sorted(a["id"] for a in picked) == sorted([first, second])
    skipped = _get(session, ALERTS, skip=first, limit=1000).json()["items"]
    assert len(skipped) == len(live) - 1 and first not in [a["id"] for a in skipped]


@pytest.mark.parametrize("path, params, domain", [
    (TASKS, {"colour": "red"}, "TaskManager"),
    (ACTIVITIES, {"limit": "ten"}, "TaskManager"),
    (ALERTS, {"show_deleted": "yes"}, "AlertManager"),
    (ALERTS, {"completedAt": "gt(2024-01-01T00:00:00Z)"}, "AlertManager"),
])
def test_the_contract_refuses_unknown_or_malformed_parameters(session, path, params, domain):
    response = _get(session, path, **params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["domain"] == domain and list(params)[0] in error["details"]["info"]
