# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""module_utils/protection.py against a mocked HTTP layer: paging and limits of resources, plans by name,
applications as a list of lists, settings built from options, and the failure of a partner-wide read."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs, urlparse

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import protection
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisCheckModeWrite,
    AcronisFailure,
)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import BASE_URL, api_calls

RESOURCES_URL = BASE_URL + "/api/resource_management/v4/resources"
POLICIES_URL = BASE_URL + "/api/policy_management/v4/policies"
APPLICATIONS_URL = BASE_URL + "/api/policy_management/v4/applications"
M1 = "5c350066-2ba6-4eeb-aa91-1213dd35f033"
M2 = "c70134c4-a244-4b22-99ad-e081301f7530"
PLAN = "5b15f6e1-88ec-4dce-b523-0e8394c0bc19"
CHILD = "33965f81-7293-45d4-9f13-dc4281d7bdfd"


@pytest.fixture
def client(make_client, tokens):
    return make_client()


def query(request):
    return dict((k, v[0]) for k, v in parse_qs(urlparse(request.url).query, keep_blank_values=True).items())


def machine(resource_id, name):
    return {"id": resource_id, "type": "resource.machine", "name": name, "user_defined_name": name}


def test_or_list_follows_the_documented_form():
    assert protection.or_list([M1]) == M1
    assert protection.or_list([M1, M2]) == "or(%s,%s)" % (M1, M2)


def test_resources_follow_the_after_cursor_with_the_limit_only(client, http):
    http.get(RESOURCES_URL, [
        {"json": {"items": [machine(M1, "a")], "paging": {"cursors": {"after": "c1"}}}},
        {"json": {"items": [machine(M2, "b")], "paging": {"cursors": {"before": "c0"}}}},
    ])
    found, truncated = protection.list_resources(client, types=[protection.MACHINE], include_attributes=True)
    assert [r["id"] for r in found] == [M1, M2]
    assert not truncated
    first, second = api_calls(http)
    assert query(first) == {"limit": "100", "type": "resource.machine", "include_attributes": "true"}
    assert query(second) == {"limit": "100", "after": "c1"}


def test_resources_stop_at_the_limit_and_say_so(client, http):
    http.get(RESOURCES_URL, json={"items": [machine(M1, "a"), machine(M2, "b")], "paging": {"cursors": {"after": "c"}}})
    found, truncated = protection.list_resources(client, limit=1)
    assert [r["id"] for r in found] == [M1]
    assert truncated
    assert len(api_calls(http)) == 1


def test_names_resolve_to_ids_and_problems_are_named(client, http):
    http.get(RESOURCES_URL, json={"items": [machine(M1, "SRV-01"), machine(M2, "dup"),
                                            machine("0e5c1a36-6f3c-4bd2-9a8e-2d7e8f3b9c11", "DUP")],
                                  "paging": {"cursors": {}}})
    ids, problems = protection.resolve_resources(client, ["srv-01", M2.upper(), "dup", "nowhere"])
    assert ids == [M1, M2]
    assert problems == ["'dup' names 2 resources; give its id instead", "no machine or group is named 'nowhere'"]


def test_plans_are_found_by_name_with_their_children(client, http):
    other = [{"id": M2, "type": protection.TOTAL, "name": "Other"}]
    wanted = [{"id": PLAN, "type": protection.TOTAL, "name": "Nightly", "enabled": True, "tenant_id": "17"},
              {"id": CHILD, "type": protection.BACKUP, "parent_ids": [PLAN], "enabled": True,
               "settings_schema": "2.0", "settings": {"compression": "max"}}]
    http.get(POLICIES_URL, json={"items": [{"policy": other}, {"policy": wanted}], "paging": {"cursors": {}}})
    plans, truncated = protection.list_plans(client, name="Nightly")
    assert plans == [wanted] and not truncated
    assert query(api_calls(http)[0]) == {"types": protection.TOTAL, "full_composite": "true",
                                         "include_settings": "true", "limit": "100"}
    view = protection.plan_view(wanted)
    assert view == {"id": PLAN, "name": "Nightly", "enabled": True, "tenant_id": "17",
                    "policies": [{"id": CHILD, "type": protection.BACKUP, "enabled": True, "settings_schema": "2.0",
                                  "settings": {"compression": "max"}}]}


def test_applications_are_read_from_the_list_of_lists(client, http):
    entry = {"policy": {"id": PLAN, "type": protection.TOTAL}, "context": {"id": M1, "type": "resource.machine"},
             "running": {"state": "running"}}
    child = {"policy": {"id": CHILD, "type": protection.BACKUP, "parent_ids": [PLAN]}, "context": {"id": M2}}
    http.get(APPLICATIONS_URL, json={"items": [[entry], [child]], "paging": {"cursors": {}}})
    assert protection.applications(client, PLAN) == {M1: entry}
    assert query(api_calls(http)[0]) == {"policy_id": PLAN, "policy_type": protection.TOTAL, "limit": "100"}


def test_revoke_sends_the_resources_as_an_or_list(client, http):
    http.delete(APPLICATIONS_URL, status_code=204)
    protection.revoke_plan(client, PLAN, [M1, M2])
    assert query(api_calls(http)[0]) == {"context_id": "or(%s,%s)" % (M1, M2), "policy_id": PLAN}


def test_settings_hold_only_what_the_options_set():
    settings = protection.backup_settings(
        {"compression": "high", "destination": "cloud",
         "schedule": {"weekdays": ["fri", "mon", "fri"], "at": ["23:30", "6:05"], "scheme": None, "enabled": None},
         "retention": {"daily": 14, "weekly": None, "monthly": 3, "after_backup": None}},
        {"alerts": {"enabled": True}, "vault": {"use_policy_credentials": False}})
    assert settings == {
        "compression": "high",
        "vault": {"type": "cloud", "use_policy_credentials": False},
        "scheduling": {"backup_sets": [{"type": "auto", "schedule": {
            "alarms": {"time": {"weekdays": ["mon", "fri"], "repeat_at": [{"hour": 23, "minute": 30},
                                                                          {"hour": 6, "minute": 5}]}},
            "conditions": {}, "prevent_sleep": True, "type": "weekly"}}]},
        "retention": {"rules": [{"backup_set": ["daily"], "max_age": {"type": "days", "count": 14}},
                                {"backup_set": ["monthly"], "max_age": {"type": "months", "count": 3}}]},
        "alerts": {"enabled": True},
    }
    assert protection.backup_settings(None, None) == {}


def test_times_alone_keep_the_current_weekdays():
    current = {"scheduling": {"backup_sets": [{"schedule": {"alarms": {"time": {
        "weekdays": ["sat"], "repeat_at": [{"hour": 1, "minute": 0}]}}}}]}}
    settings = protection.backup_settings({"schedule": {"at": ["02:00"]}}, None, current=current)
    alarm = settings["scheduling"]["backup_sets"][0]["schedule"]["alarms"]["time"]
    assert alarm == {"weekdays": ["sat"], "repeat_at": [{"hour": 2, "minute": 0}]}


def test_settings_changes_compare_dicts_key_by_key():
    current = {"compression": "high", "vault": {"type": "cloud", "use_policy_credentials": True}, "cbt": "x"}
    assert protection.settings_changes({"compression": "high", "vault": {"type": "cloud"}}, current) == {}
    assert protection.settings_changes({"vault": {"type": "local_folder"}, "format": "12"}, current) == {
        "vault": {"type": "local_folder"}, "format": "12"}


@pytest.mark.parametrize("backup, expected", [
    ({"schedule": {"weekdays": []}}, "backup.schedule.weekdays must name at least one day"),
    ({"schedule": {"at": []}}, "backup.schedule.at must give at least one time"),
])
def test_bad_backup_options_are_named(backup, expected):
    assert protection.backup_settings_problems(backup) == [expected]


def test_a_403_on_the_first_read_says_the_tenant_must_be_a_customer():
    exc = AcronisAPIError(403, "Forbidden", method="GET", path="/api/policy_management/v4/policies")
    with pytest.raises(AcronisFailure) as info:
        with protection.failing_to_read("read the plans"):
            raise exc
    failure = info.value
    assert "must be a customer" in failure.msg and "HTTP 403" in failure.msg
    with pytest.raises(AcronisFailure) as info:
        with protection.failing_to_read("read the plans"):
            raise AcronisAPIError(500, "Boom", method="GET", path="/x")
    other = info.value
    assert "must be a customer" not in other.msg and other.msg.startswith("Failed to read the plans")


def test_patch_policy_sends_one_policy_and_is_refused_in_check_mode(make_client, tokens, http):
    http.patch(POLICIES_URL + "/" + CHILD, status_code=204)
    protection.patch_policy(make_client(), CHILD, {"enabled": False})
    (request,) = api_calls(http)
    assert request.method == "PATCH" and request.json() == {"subject": {"policy": [{"enabled": False}]}}
    with pytest.raises(AcronisCheckModeWrite):
        protection.patch_policy(make_client(read_only=True), CHILD, {"enabled": True})
    assert len(api_calls(http)) == 1


def schedule_of(settings):
    return settings["scheduling"]["backup_sets"][0]["schedule"]


def test_each_schedule_type_maps_to_the_plan_json():
    # The expected JSON is written out by hand from the plan documentation's shape (base_plan.json's alarms.time).
    hourly = protection.backup_settings({"schedule": {"type": "hourly", "interval": 4, "weekdays": ["sat", "mon"],
                                                      "window": {"from": "08:00", "to": "18:30"}}}, None)
    assert schedule_of(hourly) == {"type": "hourly", "conditions": {}, "prevent_sleep": True, "alarms": {"time": {
        "weekdays": ["mon", "sat"], "repeat_every": {"type": "hours", "count": 4},
        "run_within": {"from": {"hour": 8, "minute": 0}, "to": {"hour": 18, "minute": 30}}}}}
    daily = protection.backup_settings({"schedule": {"type": "daily", "at": ["23:00"]}}, None)
    assert schedule_of(daily)["type"] == "daily"
    assert schedule_of(daily)["alarms"] == {"time": {
        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "repeat_at": [{"hour": 23, "minute": 0}]}}
    monthly = protection.backup_settings({"schedule": {"type": "monthly", "monthdays": [15, 1, 15],
                                                       "last_day_of_month": True, "at": ["02:30"],
                                                       "start_date": "2026-01-01", "end_date": "2026-12-31"}}, None)
    assert schedule_of(monthly)["alarms"] == {"time": {
        "months": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "monthdays": [1, 15], "include_last_day_of_month": True,
        "repeat_at": [{"hour": 2, "minute": 30}],
        "start_date": {"year": 2026, "month": 1, "day": 1}, "end_date": {"year": 2026, "month": 12, "day": 31}}}
    by_week = protection.backup_settings({"schedule": {"type": "monthly", "week_of_month": "last",
                                                       "weekdays": ["fri"], "months": [3, 6]}}, None)
    assert schedule_of(by_week)["alarms"] == {"time": {
        "months": [3, 6], "monthdays": [], "include_last_day_of_month": False, "week_of_month": "last",
        "weekdays": ["fri"], "repeat_at": [{"hour": 21, "minute": 0}]}}


def test_an_unchanged_type_keeps_what_the_task_does_not_give():
    current = {"scheduling": {"enabled": True, "backup_sets": [{"type": "auto", "schedule": {
        "type": "hourly", "prevent_sleep": False, "conditions": {"x": 1}, "alarms": {"time": {
            "weekdays": ["mon"], "repeat_every": {"type": "hours", "count": 2},
            "start_date": {"year": 2026, "month": 2, "day": 1}}}}}]}}
    settings = protection.backup_settings({"schedule": {"interval": 6, "type": "hourly"}}, None, current=current)
    assert schedule_of(settings) == {"type": "hourly", "prevent_sleep": False, "conditions": {"x": 1}, "alarms": {
        "time": {"weekdays": ["mon"], "repeat_every": {"type": "hours", "count": 6},
                 "start_date": {"year": 2026, "month": 2, "day": 1}}}}
    assert protection.schedule_problems({"type": "hourly"}, current) == []


@pytest.mark.parametrize("schedule, expected", [
    ({"monthdays": [1]}, "backup.schedule.monthdays needs backup.schedule.type (monthly)"),
    ({"type": "weekly", "interval": 2}, "backup.schedule.interval does not apply to a weekly schedule (it is for hourly)"),
    ({"type": "hourly", "at": ["01:00"]}, "backup.schedule.at does not apply to an hourly schedule"),
    ({"type": "monthly", "monthdays": [1], "week_of_month": "first", "weekdays": ["mon"]}, "not both"),
    ({"type": "monthly", "week_of_month": "first"}, "needs both backup.schedule.week_of_month and weekdays"),
    ({"type": "hourly", "interval": 1, "window": {"from": "18:00", "to": "08:00"}}, "must be earlier than"),
    ({"start_date": "2026-05-02", "end_date": "2026-05-01"}, "start_date (2026-05-02) is after end_date"),
    ({"type": "monthly", "monthdays": []}, "monthdays must name at least one day of the month"),
])
def test_schedule_options_that_do_not_go_together_are_named(schedule, expected):
    problems = protection.backup_settings_problems({"schedule": schedule})
    assert len(problems) == 1 and expected in problems[0]


def test_a_new_type_needs_what_it_cannot_do_without():
    defaults = protection.DEFAULT_BACKUP_SETTINGS
    assert protection.schedule_problems({"type": "hourly"}, defaults) == [
        "an hourly schedule needs backup.schedule.interval (hours between backups)"]
    assert "monthdays, last_day_of_month or week_of_month" in protection.schedule_problems({"type": "monthly"},
                                                                                           defaults)[0]
    assert protection.schedule_problems({"type": "daily"}, defaults) == []


def test_what_to_back_up_retention_and_encryption_map_to_the_plan_json():
    settings = protection.backup_settings({
        "items": {"type": "files", "paths": ["/home", "C:\\Data"], "exclusions": ["*.tmp"]},
        "retention": {"count": 10},
        "encryption": {"algorithm": "aes128", "password": "Pa55", "update_password": "on_create"}}, None)
    assert settings == {
        "backup_span": {"type": "files", "items": ["/home", "C:\\Data"]},
        "exclusions": {"enabled": True, "masks": ["*.tmp"]},
        "retention": {"rules": [{"max_count": 10}]},
        "encryption": {"enabled": True, "algorithm": "aes128", "password": "Pa55"},
    }
    whole = protection.backup_settings({"items": {"type": "entire_machine", "exclusions": []},
                                        "retention": {"days": 30}}, None)
    assert whole == {"backup_span": {"type": "entire_machine", "items": []},
                     "exclusions": {"enabled": False, "masks": []},
                     "retention": {"rules": [{"max_age": {"type": "days", "count": 30}}]}}


def test_the_password_is_sent_only_when_encryption_is_switched_on_unless_always():
    encrypted = {"encryption": {"enabled": True, "algorithm": "aes256", "password": "old"}}
    on_create = {"encryption": {"algorithm": "aes256", "password": "new", "update_password": "on_create"}}
    assert protection.backup_settings(on_create, None, current=encrypted)["encryption"] == {
        "enabled": True, "algorithm": "aes256"}
    assert protection.settings_changes(protection.backup_settings(on_create, None, current=encrypted), encrypted) == {}
    always = {"encryption": dict(on_create["encryption"], update_password="always")}
    assert protection.backup_settings(always, None, current=encrypted)["encryption"]["password"] == "new"


@pytest.mark.parametrize("backup, expected", [
    ({"items": {"type": "entire_machine", "paths": ["C:"]}}, "does not go with type entire_machine"),
    ({"items": {"type": "volumes"}}, "backup.items.type volumes needs backup.items.paths"),
    ({"items": {"type": "files", "paths": [" "]}}, "must not hold an empty path"),
    ({"retention": {"count": 3, "daily": 7}}, "keeps backups by one rule"),
])
def test_backup_items_and_retention_that_do_not_go_together_are_named(backup, expected):
    problems = protection.backup_settings_problems(backup)
    assert len(problems) == 1 and expected in problems[0]


def test_wait_for_runs_reads_until_every_run_ended_or_the_timeout(client, http):
    def entry(state, last, status="ok"):
        return [{"policy": {"id": PLAN}, "context": {"id": M1, "type": "resource.machine"},
                 "running": {"state": state}, "status": status, "last_run_at": last}]
    http.get(APPLICATIONS_URL, [
        {"json": {"items": [entry("running", "2026-01-01T00:00:00Z")], "paging": {"cursors": {}}}},
        {"json": {"items": [entry("idle", "2026-01-01T00:00:00Z")], "paging": {"cursors": {}}}},  # not yet ours
        {"json": {"items": [entry("idle", "2026-01-02T00:00:00Z", "error")], "paging": {"cursors": {}}}},
    ])
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds
    before = {M1: entry("idle", "2026-01-01T00:00:00Z")[0]}
    outcomes, running = protection.wait_for_runs(client, PLAN, before, 60, sleep=sleep, clock=lambda: now[0])
    assert running == [] and slept == [1.0, 2.0]
    assert outcomes == [{"resource_id": M1, "resource_type": "resource.machine", "status": "error",
                         "last_run_at": "2026-01-02T00:00:00Z"}]
    http.get(APPLICATIONS_URL, json={"items": [entry("running", None)], "paging": {"cursors": {}}})
    now[0], slept[:] = 0.0, []
    outcomes, running = protection.wait_for_runs(client, PLAN, {M1: None}, 5, sleep=sleep, clock=lambda: now[0])
    assert outcomes == [] and running == [M1] and sum(slept) == 5
