# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""module_utils/reports.py against a mocked HTTP layer: the bounded wait for a
report (saved, failed, never finishing), finding monthly definitions, deleting
with the version, and batched usage reads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs, urlparse

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import reports
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import API, api_calls

REPORT = "20dffb36-d77b-45c6-b2fa-39276e98d5fc"
STORED = "d6bc3e2e-2378-4099-bb33-6a2603aca94d"
TENANT = "2a91a14d-ffd3-4ac1-9b4d-3990162c5acc"
STORED_URL = API + "/reports/%s/stored" % REPORT


class WaitClock:
    """A monotonic clock that moves only when the code under test sleeps."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def stored(status, report_format="csv"):
    return {"id": STORED, "report_format": report_format, "created_at": "2024-06-01T02:07:53", "status": status}


@pytest.fixture
def wait_clock():
    return WaitClock()


@pytest.fixture
def client(make_client, tokens):
    return make_client()


def wait(client, wait_clock, timeout=10, poll_interval=3):
    return reports.wait_until_saved(client, REPORT, timeout, poll_interval, sleep=wait_clock.sleep, clock=wait_clock)


def test_wait_returns_the_stored_files_once_saved(client, http, wait_clock):
    http.get(STORED_URL, [{"json": {"items": [stored("in_progress")]}},
                          {"json": {"items": [stored("in_progress")]}},
                          {"json": {"items": [stored("saved")]}}])
    result = wait(client, wait_clock)
    assert result == [stored("saved")]
    assert wait_clock.sleeps == [3, 3]
    assert len(api_calls(http)) == 3


def test_wait_stops_at_the_first_failed_file(client, http, wait_clock):
    http.get(STORED_URL, [{"json": {"items": [stored("saved", "csv"), stored("failed", "html")]}}])
    with pytest.raises(reports.ReportFailed) as info:
        wait(client, wait_clock)
    assert info.value.report_id == REPORT
    assert REPORT in str(info.value) and "status failed" in str(info.value)
    assert wait_clock.sleeps == []
    assert len(api_calls(http)) == 1


def test_wait_gives_up_at_the_deadline_without_sleeping_past_it(client, http, wait_clock):
    http.get(STORED_URL, json={"items": [stored("in_progress")]})
    with pytest.raises(reports.ReportTimeout) as info:
        wait(client, wait_clock, timeout=10, poll_interval=3)
    # Polls at 0, 3, 6, 9 and 10 seconds: the last sleep is cut to what is left.
    assert wait_clock.sleeps == [3, 3, 3, 1]
    assert len(api_calls(http)) == 5
    assert info.value.last_status == "in_progress"
    message = str(info.value)
    assert REPORT in message
    assert "within 10 seconds" in message
    assert "last status was in_progress" in message


def test_wait_with_no_stored_file_yet_says_so(client, http, wait_clock):
    http.get(STORED_URL, json={"items": []})
    with pytest.raises(reports.ReportTimeout) as info:
        wait(client, wait_clock, timeout=2, poll_interval=5)
    assert wait_clock.sleeps == [2]
    assert "no stored file yet" in str(info.value)


def test_wait_timeout_zero_polls_once(client, http, wait_clock):
    http.get(STORED_URL, json={"items": [stored("in_progress")]})
    with pytest.raises(reports.ReportTimeout):
        wait(client, wait_clock, timeout=0)
    assert wait_clock.sleeps == []
    assert len(api_calls(http)) == 1


def test_a_file_saved_at_once_needs_one_poll(client, http, wait_clock):
    http.get(STORED_URL, json={"items": [stored("saved")]})
    assert wait(client, wait_clock, timeout=0) == [stored("saved")]


def definition(report_id, schedule_type, kind, tenant_id=TENANT):
    return {"id": report_id, "version": 3, "result_action": "send", "recipients": [],
            "parameters": {"tenant_id": tenant_id, "kind": kind, "level": "accounts", "formats": ["csv"]},
            "schedule": {"type": schedule_type, "enabled": True}, "generation_date": "2024-07-01"}


def test_find_scheduled_reports_matches_schedule_and_kind_and_skips_deleted(client, http):
    ids = ["%08d-0000-4000-8000-000000000000" % n for n in range(1, 6)]
    http.get(API + "/tenants/%s/reports" % TENANT, json={"items": ids})
    http.get(API + "/reports/" + ids[0], json=definition(ids[0], "once", "usage_summary"))
    http.get(API + "/reports/" + ids[1], json=definition(ids[1], "monthly", "usage_daily"))
    http.get(API + "/reports/" + ids[2], json=definition(ids[2], "monthly", "usage_summary"))
    http.get(API + "/reports/" + ids[3], status_code=404, json={"error": {"code": 404, "message": "Not Found"}})
    http.get(API + "/reports/" + ids[4], json=definition(ids[4], "monthly", "usage_summary",
                                                         tenant_id="99999999-0000-4000-8000-000000000000"))
    found = reports.find_scheduled_reports(client, TENANT, "monthly", "usage_summary")
    assert [r["id"] for r in found] == [ids[2]]


def test_delete_report_sends_the_version_and_tolerates_a_missing_report(client, http):
    http.delete(API + "/reports/" + REPORT, [{"status_code": 204}, {"status_code": 404, "json": {"error": {"code": 404}}}])
    assert reports.delete_report(client, REPORT, 7) is True
    assert reports.delete_report(client, REPORT, 7) is False
    assert parse_qs(urlparse(api_calls(http)[0].url).query) == {"version": ["7"]}


def test_usages_of_many_tenants_are_read_100_per_request(client, http):
    tenant_ids = ["%08d-0000-4000-8000-000000000000" % n for n in range(250)]

    def reply(request, context):
        asked = parse_qs(urlparse(request.url).query)["tenants"][0].split(",")
        return {"items": [{"tenant": t, "usages": [{"name": "storage", "value": 1}]} for t in asked]}

    http.get(API + "/tenants/usages", json=reply)
    result = reports.get_usages_batch(client, tenant_ids, usage_names=["storage"], editions=["standard", "advanced"])
    calls = api_calls(http)
    assert [len(parse_qs(urlparse(c.url).query)["tenants"][0].split(",")) for c in calls] == [100, 100, 50]
    assert all(parse_qs(urlparse(c.url).query)["usage_names"] == ["storage"] for c in calls)
    assert all(parse_qs(urlparse(c.url).query)["editions"] == ["standard,advanced"] for c in calls)
    assert sorted(result) == sorted(tenant_ids)


def test_tenant_usages_sends_the_filters_only_when_given(client, http):
    http.get(API + "/tenants/%s/usages" % TENANT, json={"items": [{"name": "storage", "value": 5}]})
    assert reports.get_tenant_usages(client, TENANT) == [{"name": "storage", "value": 5}]
    assert urlparse(api_calls(http)[0].url).query == ""
    reports.get_tenant_usages(client, TENANT, usage_names=["storage", "vms"])
    assert parse_qs(urlparse(api_calls(http)[1].url).query) == {"usage_names": ["storage,vms"]}
