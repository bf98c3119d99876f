# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_task_info, acronis_activity_info, acronis_alert_info and module_utils/monitoring.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import monitoring
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.modules import (
    acronis_activity_info, acronis_alert_info, acronis_task_info)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.modules.conftest import (
    BASE_URL, TENANT, api_calls)

TASKS = BASE_URL + "/api/task_manager/v2/tasks"
ACTIVITIES = BASE_URL + "/api/task_manager/v2/activities"
ALERTS = BASE_URL + "/api/alert_manager/v1/alerts"


def _page(items, after=None):
    cursors = {"after": after} if after else {}
    return {"items": items, "paging": {"cursors": cursors}, "size": len(items)}


# ------------------------------------------------------------------ helpers

@pytest.mark.parametrize("text, seconds", [("7d", 604800), ("12h", 43200), ("30m", 1800), ("2w", 1209600),
                                           ("90s", 90), (" 1 d ", 86400)])
def test_window_seconds(text, seconds):
    assert monitoring.window_seconds(text, "x") == seconds


@pytest.mark.parametrize("text", ["0d", "7", "7y", "last week", "-1d", ""])
def test_window_seconds_refuses(text):
    with pytest.raises(AcronisFailure, match="x must be a duration"):
        monitoring.window_seconds(text, "x")


@pytest.mark.parametrize("text, seconds", [
    ("2024-05-01", 1714521600), ("2024-05-01T08:00:00Z", 1714550400), ("2024-05-01T10:00:00+02:00", 1714550400),
    ("2024-05-01T08:00:00", 1714550400), ("2024-05-01T08:00:00.5Z", 1714550400.5),
    ("2024-05-01 08:00:00-0100", 1714554000),
])
def test_parse_moment(text, seconds):
    assert monitoring.parse_moment(text, "x") == seconds


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01", "01/05/2024", "2024-05-01T08:00:00 CEST"])
def test_parse_moment_refuses(text):
    with pytest.raises(AcronisFailure, match="x"):
        monitoring.parse_moment(text, "x")


def test_rfc3339_and_nanoseconds():
    assert monitoring.rfc3339(1714550400.7) == "2024-05-01T08:00:00Z"
    assert monitoring.nanoseconds(1714550400.5) == "1714550400500000000"


def test_time_window_from_within_and_before():
    start, end = monitoring.time_window({"completed_within": "1d", "completed_before": "2024-05-02"},
                                        "completed", now=1714608000)
    assert (start, end) == (1714521600, 1714608000 - 0)


def test_time_window_refuses_an_empty_window_and_two_starts():
    with pytest.raises(AcronisFailure, match="is empty"):
        monitoring.time_window({"completed_after": "2024-05-02", "completed_before": "2024-05-01"}, "completed")
    with pytest.raises(AcronisFailure, match="set only one"):
        monitoring.time_window({"completed_after": "2024-05-02", "completed_within": "1d"}, "completed")


# ------------------------------------------------------------------ acronis_task_info

def test_last_week_is_sent_as_the_seeds_filter_and_paged(run_module, http):
    http.get(TASKS, [{"json": _page([{"id": 1}, {"id": 2}], after="c1")}, {"json": _page([{"id": 3}])}])
    before = time.time()
    out = run_module(acronis_task_info, {"completed_within": "7d", "state": ["completed"], "result": ["error", "warning"],
                                         "tenant_ids": [TENANT]})
    assert not out.failed and out.result["changed"] is False
    assert [t["id"] for t in out.result["tasks"]] == [1, 2, 3] and out.result["truncated"] is False
    assert out.result["next_cursor"] is None
    first, second = api_calls(http)
    assert first.qs["state"] == ["completed"] and first.qs["resultcode"] == ["or(error,warning)"]
    assert first.qs["tenantid"] == [TENANT.lower()] and first.qs["limit"] == ["100"]
    since = first.qs["completedat"][0]
    assert since.startswith("gt(") and since.endswith("z)")
    sent = monitoring.parse_moment(since[3:-1].upper(), "x")
    assert before - 7 * 86400 - 1 <= sent <= time.time() - 7 * 86400
    # the continuation sends the cursor and what is left of the limit only (the cursor carries the filters)
    assert second.qs == {"after": ["c1"], "limit": ["98"]}


def test_limit_bounds_the_read_and_says_it_was_truncated(run_module, http):
    http.get(TASKS, json=_page([{"id": n} for n in range(3)], after="more"))
    out = run_module(acronis_task_info, {"limit": 3, "completed_after": "2024-05-01", "completed_before": "2024-05-08"})
    assert [t["id"] for t in out.result["tasks"]] == [0, 1, 2] and out.result["truncated"] is True
    assert out.result["next_cursor"] == "more"
    (call,) = api_calls(http)
    assert call.qs["limit"] == ["3"]
    assert call.qs["completedat"] == ["gt(2024-05-01t00:00:00z)", "lt(2024-05-08t00:00:00z)"]


def test_after_continues_with_the_cursor_alone(run_module, http):
    http.get(TASKS, json=_page([{"id": 3}]))
    out = run_module(acronis_task_info, {"after": "more", "limit": 3})
    assert [t["id"] for t in out.result["tasks"]] == [3]
    assert out.result["truncated"] is False and out.result["next_cursor"] is None
    (call,) = api_calls(http)
    assert call.qs == {"after": ["more"], "limit": ["3"]}


@pytest.mark.parametrize("module, args, names", [
    (acronis_task_info, {"after": "c", "completed_within": "7d", "state": ["completed"]}, "completed_within, state"),
    (acronis_activity_info, {"after": "c", "task_ids": [5]}, "task_ids"),
    (acronis_alert_info, {"after": "c", "dismissed": "only"}, "dismissed"),
    (acronis_alert_info, {"after": "c", "min_severity": "error"}, "min_severity"),
])
def test_after_refuses_the_filters_its_cursor_carries(run_module, http, module, args, names):
    out = run_module(module, args)
    assert out.failed and "do not set %s with it" % names in out.result["msg"]
    assert api_calls(http) == []


@pytest.mark.parametrize("args, text", [
    ({"limit": 0}, "limit must be from 1 to 10000"),
    ({"limit": 10001}, "limit must be from 1 to 10000"),
    ({"completed_within": "a week"}, "completed_within must be a duration"),
    ({"started_after": "May 1st"}, "started_after must be an RFC 3339"),
    ({"tenant_ids": ["acme"]}, "Option tenant_ids[1] must be a UUID (the id of a tenant) like"),
    ({"completed_within": "7d", "completed_after": "2024-05-01"}, "mutually exclusive"),
])
def test_bad_input_fails_before_any_request(run_module, http, args, text):
    out = run_module(acronis_task_info, args)
    assert out.failed and text in out.result["msg"]
    assert api_calls(http) == []


def test_an_api_error_is_one_sentence(run_module, http):
    http.get(TASKS, status_code=403, json={"error": {"code": 403, "message": "Forbidden", "domain": "TaskManager"}})
    out = run_module(acronis_task_info, {})
    assert out.failed
    assert out.result["msg"].startswith("Failed to read the tasks of the Task Manager: GET /api/task_manager/v2/tasks: HTTP 403")
    assert out.result["error"]["status"] == 403


def test_check_mode_reads_the_same(run_module, http):
    http.get(TASKS, json=_page([{"id": 7}]))
    out = run_module(acronis_task_info, {}, check_mode=True)
    assert out.result["tasks"] == [{"id": 7}]


# ------------------------------------------------------------------ acronis_activity_info

def test_activities_of_tasks_started_in_a_window(run_module, http):
    http.get(ACTIVITIES, json=_page([{"id": "a", "taskId": 5}]))
    out = run_module(acronis_activity_info, {"task_ids": [5, 6], "started_within": "12h", "type": ["backup"]})
    assert out.result["activities"] == [{"id": "a", "taskId": 5}] and not out.result["truncated"]
    (call,) = api_calls(http)
    assert call.qs["taskid"] == ["or(5,6)"] and call.qs["type"] == ["backup"] and call.qs["startedat"][0].startswith("gt(")
    assert "completedat" not in call.qs


# ------------------------------------------------------------------ acronis_alert_info

def test_alerts_of_the_last_week_in_nanoseconds(run_module, http):
    http.get(ALERTS, json={"items": [{"id": "x"}], "paging": {"cursors": {}}})
    now = time.time()
    out = run_module(acronis_alert_info, {"updated_within": "7d", "min_severity": "error", "category": ["Backup"]})
    assert out.result["alerts"] == [{"id": "x"}]
    (call,) = api_calls(http)
    value = call.qs["updated_at"][0]
    assert value.startswith("gt(") and value.endswith(")")
    nanos = int(value[3:-1])
    assert abs(nanos / 1e9 - (now - 7 * 86400)) < 60
    assert call.qs["severity"] == ["ge(error)"] and call.qs["category"] == ["backup"]
    assert "show_deleted" not in call.qs and "show_deleted_only" not in call.qs


@pytest.mark.parametrize("dismissed, key", [("include", "show_deleted"), ("only", "show_deleted_only")])
def test_dismissed_alerts(run_module, http, dismissed, key):
    http.get(ALERTS, json={"items": [], "paging": {"cursors": {}}})
    out = run_module(acronis_alert_info, {"dismissed": dismissed, "severity": ["warning", "critical"]})
    assert out.result["alerts"] == [] and out.result["truncated"] is False
    (call,) = api_calls(http)
    assert call.qs[key] == ["true"] and call.qs["severity"] == ["or(warning,critical)"]


def test_alert_bad_input(run_module, http):
    out = run_module(acronis_alert_info, {"updated_after": "2024-05-02", "updated_before": "2024-05-01"})
    assert out.failed and "is empty" in out.result["msg"]
    out = run_module(acronis_alert_info, {"severity": ["error"], "min_severity": "warning"})
    assert out.failed and "mutually exclusive" in out.result["msg"]
    assert api_calls(http) == []


# ------------------------------------------------------------------ check-mode placeholders

NEW_TENANT = "00000000-0000-0000-c4ec-0123456789ab"


@pytest.mark.parametrize("module, args, key", [
    (acronis_task_info, {"tenant_ids": [NEW_TENANT]}, "tasks"),
    (acronis_task_info, {"tenant_ids": [TENANT], "policy_ids": [NEW_TENANT]}, "tasks"),
    (acronis_activity_info, {"resource_ids": [NEW_TENANT]}, "activities"),
    (acronis_alert_info, {"tenant_ids": [NEW_TENANT, "00000000-0000-0000-c4ec-00000000000b"]}, "alerts"),
])
def test_placeholders_only_are_a_preview_without_any_request(run_module, http, module, args, key):
    out = run_module(module, args, check_mode=True)
    assert not out.failed and out.result[key] == [] and out.result["truncated"] is False
    assert http.request_history == []


def test_a_placeholder_beside_real_tenants_is_left_out_of_the_filter(run_module, http):
    http.get(ALERTS, json={"items": [{"id": "x"}], "paging": {"cursors": {}}})
    out = run_module(acronis_alert_info, {"tenant_ids": [NEW_TENANT, TENANT]}, check_mode=True)
    assert out.result["alerts"] == [{"id": "x"}]
    (call,) = api_calls(http)
    assert call.qs["tenant"] == [TENANT.lower()]


def test_a_placeholder_is_refused_outside_check_mode(run_module, http):
    out = run_module(acronis_task_info, {"tenant_ids": [NEW_TENANT]})
    assert out.failed and "placeholder" in out.result["msg"] and "run without --check" in out.result["msg"]
    assert http.request_history == []
