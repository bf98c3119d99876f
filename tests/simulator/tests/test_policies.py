"""Policy Management v4 (api/policies.py): plans, PATCH/DELETE, applications, run, policy_statuses, scope."""

import time
import uuid

import requests

from .protection_helpers import ServiceSession, create_plan, customer_session, plan_body, register_machine

PM = "/api/policy_management/v4"


def _plans(session, **params):
    response = session.get(PM + "/policies", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_partner_wide_token_is_refused(simulator, api):
    partner = ServiceSession(simulator.base_url, simulator.token())
    response = partner.get(PM + "/policies")
    assert response.status_code == 403
    assert response.json()["error"]["domain"] == "PolicyManagement"


def test_create_as_the_seed_template_and_list(simulator, api):
    _customer, session = customer_session(simulator, api)
    body = plan_body(name="Daily backup")
    created = session.post(PM + "/policies", json=body)
    assert created.status_code == 200, created.text
    root_id, child_id = [p["id"] for p in body["subject"]["policy"]]
    result = created.json()["result"]
    assert result[:2] == [root_id + "@policy.protection.total", child_id + "@policy.backup.machine"]
    # The service adds the default modules it was not sent, disabled.
    assert sorted(r.split("@")[1] for r in result[2:]) == [
        "policy.security.antimalware_protection", "policy.security.patch_management",
        "policy.security.vulnerability_assessment"]
    everything = _plans(session)
    assert [i["policy"][0]["id"] for i in everything["items"]][:2] == [root_id, child_id]
    assert len(everything["items"]) == 5
    assert "settings" not in everything["items"][1]["policy"][0]
    assert everything["items"][0]["policy"][0]["tenant_id"].isdigit()
    totals = _plans(session, type="policy.protection.total", full_composite="true", include_settings="true")
    assert len(totals["items"]) == 1
    plan = totals["items"][0]["policy"]
    assert plan[0]["name"] == "Daily backup" and plan[1]["parent_ids"] == [root_id]
    assert plan[1]["settings"]["vault"] == {"type": "cloud"}
    assert [p["enabled"] for p in plan] == [True, True, False, False, False]
    assert [i["policy"][0]["id"] for i in _plans(session, types="policy.backup.machine")["items"]] == [child_id]
    assert [i["policy"][0]["id"] for i in _plans(session, parent_ids="")["items"]] == [root_id]
    assert [i["policy"][0]["id"] for i in _plans(session, parent_ids=root_id)["items"]][0] == child_id
    one = session.get(PM + "/policies/" + root_id, params={"full_composite": "true"})
    assert one.status_code == 200 and len(one.json()["policy"]) == 5
    assert session.post(PM + "/policies", json=body).status_code == 409


def test_seed_base_plan_flags_are_accepted(simulator, api):
    _customer, session = customer_session(simulator, api)
    body = plan_body()
    body["subject"].update(ignore_policy_and_tenant_ids=True, override_tenant_id=True,
                           disable_applications_on_conflict=True)
    body["subject"]["policy"][0].update(template_source_id="", plan_hash="", source_type="",
                                        days_without_backup_alert=None, ls_features="")
    assert session.post(PM + "/policies", json=body).status_code == 200


def test_malformed_plans_are_refused(simulator, api):
    customer, session = customer_session(simulator, api)
    no_root = plan_body()
    no_root["subject"]["policy"] = no_root["subject"]["policy"][1:]
    orphan = plan_body()
    orphan["subject"]["policy"][1]["parent_ids"] = [str(uuid.uuid4())]
    no_settings = plan_body()
    del no_settings["subject"]["policy"][1]["settings"]
    nameless = plan_body()
    del nameless["subject"]["policy"][0]["name"]
    bad_id = plan_body()
    bad_id["subject"]["policy"][0]["id"] = "plan-1"
    no_schedule = plan_body(settings={"compression": "normal"})
    uuid_tenant = plan_body()
    uuid_tenant["subject"]["policy"][0]["tenant_id"] = customer["id"]
    scanning_alone = plan_body()
    scanning_alone["subject"]["policy"][1].update(type="policy.security.backups_scanning")
    for body in (no_root, orphan, no_settings, nameless, bad_id, {"policy": []}, no_schedule, uuid_tenant,
                 scanning_alone):
        response = session.post(PM + "/policies", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"]["details"]["info"]
    assert _plans(session)["items"] == []
    codes = [session.post(PM + "/policies", json=body).json()["error"]["code"]
             for body in (no_schedule, uuid_tenant, scanning_alone)]
    assert codes == ["PolicySettingsNotSet", "TenantNotFound", "PolicyDependencyNotMet"]


def test_patch_changes_the_plan_and_its_children(simulator, api):
    _customer, session = customer_session(simulator, api)
    body = plan_body(name="Old")
    root_id, child_id = [p["id"] for p in body["subject"]["policy"]]
    session.post(PM + "/policies", json=body)
    renamed = session.patch(PM + "/policies/" + root_id, json={"subject": {"policy": [
        {"name": "New"}, {"id": child_id, "settings": {"compression": "max", "scheduling": {"enabled": False}},
                          "enabled": False}]}})
    assert renamed.status_code == 204, renamed.text
    plan = session.get(PM + "/policies/" + root_id, params={"full_composite": "true", "include_settings": "true"}).json()
    assert plan["policy"][0]["name"] == "New"
    assert plan["policy"][1]["settings"] == {"compression": "max", "scheduling": {"enabled": False}}
    assert plan["policy"][1]["enabled"] is False
    unscheduled = session.patch(PM + "/policies/" + root_id, json={"subject": {"policy": [
        {"id": child_id, "settings": {"compression": "max"}}]}})
    assert unscheduled.status_code == 400 and unscheduled.json()["error"]["code"] == "PolicySettingsNotSet"
    stranger = session.patch(PM + "/policies/" + root_id, json={"subject": {"policy": [{"id": str(uuid.uuid4()), "enabled": True}]}})
    assert stranger.status_code == 404
    no_settings = session.patch(PM + "/policies/" + root_id, json={"subject": {"policy": [{"settings": {}}]}})
    assert no_settings.status_code == 400
    unknown_field = session.patch(PM + "/policies/" + root_id, json={"subject": {"policy": [{"colour": "red"}]}})
    assert unknown_field.status_code == 400
    missing = session.patch(PM + "/policies/" + str(uuid.uuid4()), json={"subject": {"policy": [{"enabled": True}]}})
    assert missing.status_code == 404


def test_delete_removes_the_plan_children_and_applications(simulator, api):
    customer, session = customer_session(simulator, api)
    machine = register_machine(simulator, customer["id"], "SRV-01")
    plan = create_plan(session)
    session.post(PM + "/applications", json={"policy_id": plan, "context": {"items": [machine["id"]]}})
    assert session.delete(PM + "/policies/" + plan).status_code == 204
    assert _plans(session)["items"] == []
    assert session.get(PM + "/applications", params={"context_id": machine["id"]}).json()["items"] == []
    assert session.delete(PM + "/policies/" + plan).status_code == 404


def test_another_customer_does_not_see_the_plan(simulator, api):
    _customer, session = customer_session(simulator, api)
    _other, other_session = customer_session(simulator, api, name="Other")
    plan = create_plan(session)
    assert _plans(other_session)["items"] == []
    assert other_session.get(PM + "/policies/" + plan).status_code == 404
    assert other_session.delete(PM + "/policies/" + plan).status_code == 404


def test_apply_list_and_revoke_as_the_seed_scripts_do(simulator, api):
    customer, session = customer_session(simulator, api)
    machine = register_machine(simulator, customer["id"], "SRV-01")
    body = plan_body()
    root_id, child_id = [p["id"] for p in body["subject"]["policy"]]
    session.post(PM + "/policies", json=body)
    applicable = _plans(session, applicable_to_context_id=machine["id"], type="policy.protection.total")
    assert applicable["items"][0]["policy"][0]["id"] == root_id
    apply = {"policy_id": root_id, "context": {"items": [machine["id"]]}}
    assert session.post(PM + "/applications", json=apply).status_code == 204
    assert session.post(PM + "/applications", json=apply).status_code == 204      # already applied: no change
    totals = session.get(PM + "/applications", params={"context_id": machine["id"], "policy_type": "policy.protection.total"}).json()
    assert len(totals["items"]) == 1 and len(totals["items"][0]) == 1
    assert totals["items"][0][0]["policy"]["id"] == root_id and "parent_ids" not in totals["items"][0][0]["policy"]
    backups = session.get(PM + "/applications", params={"context_id": machine["id"], "policy_type": "policy.backup.machine"}).json()
    assert backups["items"][0][0]["policy"] == {"id": child_id, "type": "policy.backup.machine",
                                                "parent_ids": [root_id]}
    by_plan = session.get(PM + "/applications", params={"policy_id": root_id, "policy_type": "policy.protection.total"}).json()
    assert [group[0]["context"]["id"] for group in by_plan["items"]] == [machine["id"]]
    applied = _plans(session, type="policy.protection.total", include_applied_context="true")
    assert [c["id"] for c in applied["items"][0]["policy"][0]["applied_context"]] == [machine["id"]]
    revoke = session.delete(PM + "/applications", params={"context_id": machine["id"], "policy_id": root_id})
    assert revoke.status_code == 204
    assert session.delete(PM + "/applications", params={"context_id": machine["id"], "policy_id": root_id}).status_code == 404
    assert session.get(PM + "/applications", params={"context_id": machine["id"]}).json()["items"] == []


def test_apply_refuses_children_unknown_plans_and_resources(simulator, api):
    customer, session = customer_session(simulator, api)
    machine = register_machine(simulator, customer["id"], "SRV-01")
    body = plan_body()
    root_id, child_id = [p["id"] for p in body["subject"]["policy"]]
    session.post(PM + "/policies", json=body)
    child = session.post(PM + "/applications", json={"policy_id": child_id, "context": {"items": [machine["id"]]}})
    assert child.status_code == 400
    nowhere = session.post(PM + "/applications", json={"policy_id": root_id, "context": {"items": [str(uuid.uuid4())]}})
    assert nowhere.status_code == 404
    unknown = session.post(PM + "/applications", json={"policy_id": str(uuid.uuid4()), "context": {"items": [machine["id"]]}})
    assert unknown.status_code == 404
    assert session.post(PM + "/applications", json={"policy_id": root_id, "context": {"items": []}}).status_code == 400
    assert session.get(PM + "/applications").status_code == 400
    assert session.delete(PM + "/applications").status_code == 400
    mutually = session.get(PM + "/policies", params={"applicable_to_context_id": machine["id"],
                                                     "include_applied_context": "true"})
    assert mutually.status_code == 400


def test_run_starts_finishes_and_shows_in_policy_statuses(simulator, api):
    customer, session = customer_session(simulator, api)
    machine = register_machine(simulator, customer["id"], "SRV-01")
    idle = register_machine(simulator, customer["id"], "SRV-02")
    body = plan_body(name="Nightly")
    root_id, child_id = [p["id"] for p in body["subject"]["policy"]]
    session.post(PM + "/policies", json=body)
    session.post(PM + "/applications", json={"policy_id": root_id, "context": {"items": [machine["id"]]}})
    settings = requests.put(simulator.base_url + "/_sim/protection", json={"run_seconds": 30, "outcome": "warning"},
                            timeout=10)
    assert settings.status_code == 200
    started = session.put(PM + "/applications/run", json={"state": "running", "policy_id": child_id,
                                                          "context_ids": [machine["id"]]})
    assert started.status_code == 200, started.text
    assert started.json()["items"] == [{"policy_id": root_id, "context_id": machine["id"], "state": "running"}]
    statuses = session.get(PM + "/policy_statuses").json()["items"]
    assert len(statuses) == 1 and statuses[0]["context"]["id"] == machine["id"]
    assert statuses[0]["policies"][0]["running"] == {"state": "running"}
    assert statuses[0]["policies"][0]["type"] == "policy.backup.machine"
    assert statuses[0]["policies"][0]["names"] == ["Nightly"]
    not_applied = session.put(PM + "/applications/run", json={"state": "running", "policy_id": root_id,
                                                              "context_ids": [idle["id"]]})
    assert not_applied.status_code == 409
    stopped = session.put(PM + "/applications/run", json={"state": "stopped", "policy_id": root_id,
                                                          "context_ids": [machine["id"]]})
    assert stopped.status_code == 200
    assert session.get(PM + "/policy_statuses").json()["items"][0]["policies"][0]["running"] == {"state": "idle"}
    requests.put(simulator.base_url + "/_sim/protection", json={"run_seconds": 0.2, "outcome": "error"}, timeout=10)
    session.put(PM + "/applications/run", json={"state": "running", "policy_id": root_id, "context_ids": [machine["id"]]})
    time.sleep(0.3)
    finished = session.get(PM + "/policy_statuses", params={"context_id": machine["id"]}).json()["items"][0]
    assert finished["policies"][0]["running"] == {"state": "idle"} and finished["policies"][0]["status"] == "error"
    assert finished["policies"][0]["last_run_at"]
    bad_state = session.put(PM + "/applications/run", json={"state": "paused", "policy_id": root_id,
                                                            "context_ids": [machine["id"]]})
    assert bad_state.status_code == 400


def test_a_plan_applied_to_a_group_covers_its_machines(simulator, api):
    customer, session = customer_session(simulator, api)
    machine = register_machine(simulator, customer["id"], "test-1")
    group = session.post("/api/resource_management/v4/resources", json={
        "type": "resource.group.computers", "name": "Tests", "group_condition": "test*"}).json()
    plan = create_plan(session)
    session.post(PM + "/applications", json={"policy_id": plan, "context": {"items": [group["id"]]}})
    run = session.put(PM + "/applications/run", json={"state": "running", "policy_id": plan,
                                                      "context_ids": [machine["id"]]})
    assert run.status_code == 200
    statuses = session.get("/api/resource_management/v4/resource_statuses").json()["items"]
    # run_seconds is 0 by default: the run has ended by the next read
    assert statuses[0]["aggregate"]["status"] == "ok"
    assert statuses[0]["policies"][0]["parent_ids"] == [plan]
    assert statuses[0]["policies"][0]["last_success_run"]


def test_paging_of_policies(simulator, api):
    _customer, session = customer_session(simulator, api)
    ids = [create_plan(session, name="Plan %d" % n) for n in range(3)]
    first = _plans(session, types="policy.protection.total", limit="2")
    assert [i["policy"][0]["id"] for i in first["items"]] == ids[:2]
    rest = _plans(session, limit="2", after=first["paging"]["cursors"]["after"])
    assert [i["policy"][0]["id"] for i in rest["items"]] == ids[2:]
    assert "after" not in rest["paging"]["cursors"] and "before" in rest["paging"]["cursors"]


def test_admin_protection_settings_are_validated(simulator):
    url = simulator.base_url + "/_sim/protection"
    assert requests.put(url, json={"outcome": "boom"}, timeout=10).status_code == 400
    assert requests.put(url, json={"run_seconds": -1}, timeout=10).status_code == 400
    assert requests.put(url, json={"speed": 1}, timeout=10).status_code == 400
    assert requests.get(url, timeout=10).json()["outcome"] == "ok"


def _seed_base_plan():
    """Seed 000's plans/base_plan.json (the examples' template), ids filled in as create_a_backup_plan.py does."""
    root_id, backup_id = str(uuid.uuid4()), str(uuid.uuid4())
    settings = {
        "compression": "normal", "format": "auto", "multi_volume_snapshotting_enabled": True,
        "preserve_file_security_settings": True,
        "reattempts": {"enabled": True, "interval": {"type": "seconds", "count": 30}, "max_attempts": 30},
        "silent_mode_enabled": True, "splitting": {"size": 9223372036854775807},
        "vm_snapshot_reattempts": {"enabled": True, "interval": {"type": "minutes", "count": 5}, "max_attempts": 3},
        "vss": {"enabled": True, "provider": "target_system_defined"},
        "archive": {"name": "[Machine Name]-[Plan ID]-[Unique ID]A"}, "performance_window": {"enabled": False},
        "retention": {"rules": [{"backup_set": ["daily"], "max_age": {"type": "days", "count": 7}}],
                      "after_backup": True},
        "vault": {"type": "cloud", "use_policy_credentials": True},
        "alerts": {"enabled": False, "max_days_without_backup": 5},
        "scheduling": {"backup_sets": [{"type": "auto", "schedule": {
            "alarms": {"time": {"weekdays": ["mon", "tue", "wed", "thu", "fri"],
                                "rand_max_delay": {"type": "minutes", "count": 30},
                                "repeat_at": [{"hour": 15, "minute": 45}]}},
            "conditions": {}, "prevent_sleep": True, "type": "weekly"}}],
            "enabled": True, "rand_max_delay": {"type": "minutes", "count": 30}, "scheme": "always_incremental",
            "task_failure": {"enabled": False, "interval": {"type": "hours", "count": 1}, "max_attempts": 1},
            "weekly_backup_day": "mon"},
        "windows_event_log": {"enabled": False, "level": "errors_and_warnings"}, "cbt": "enable_and_use",
        "fast_backup_enabled": True, "quiesce_snapshotting_enabled": True,
    }
    return {"subject": {
        "ignore_policy_and_tenant_ids": True, "override_tenant_id": True, "disable_applications_on_conflict": True,
        "policy": [
            {"id": root_id, "type": "policy.protection.total", "name": "Demo Plan", "origin": "upstream",
             "enabled": True, "template_source_id": "", "plan_hash": "", "source_type": "",
             "days_without_backup_alert": None, "ls_features": ""},
            {"id": backup_id, "parent_ids": [root_id], "type": "policy.backup.machine", "origin": "upstream",
             "enabled": True, "settings_schema": "2.0", "settings": settings, "template_source_id": "",
             "source_type": "machines", "days_without_backup_alert": None, "ls_features": ""},
        ]}}


def test_seed_000_plan_scripts_replay(simulator, api):
    """create_a_backup_plan.py, get_all_plans_info.py, apply_plan.py, start_plan_execution.py, revoke_plan.py."""
    customer, session = customer_session(simulator, api)
    register_machine(simulator, customer["id"], "DESKTOP-JRPTA4A")
    assert session.post(PM + "/policies", json=_seed_base_plan()).status_code == 200
    assert session.get(PM + "/policies").status_code == 200
    # apply_plan.py
    resources = session.get("/api/resource_management/v4/resources?type=resource.machine").json()
    first_machine_id = resources["items"][0]["id"]
    found = session.get(PM + "/policies?applicable_to_context_id=%s&type=policy.protection.total" % first_machine_id)
    first = found.json()["items"][0]["policy"][0]
    first_applicable_policy = first["parent_ids"][0] if "parent_ids" in first else first["id"]
    applied = session.post(PM + "/applications", json={"policy_id": first_applicable_policy,
                                                       "context": {"items": [first_machine_id]}})
    assert applied.ok
    # start_plan_execution.py
    backups = session.get(PM + "/applications?context_id=%s&policy_type=policy.backup.machine" % first_machine_id).json()
    entry = backups["items"][0][0]["policy"]
    plan_id = entry["parent_ids"][0] if "parent_ids" in entry else entry["id"]
    assert plan_id == first_applicable_policy
    started = session.put(PM + "/applications/run", json={"state": "running", "policy_id": plan_id,
                                                          "context_ids": [first_machine_id]})
    assert started.ok and started.json()["items"][0]["state"] == "running"
    # revoke_plan.py
    totals = session.get(PM + "/applications?context_id=%s&policy_type=policy.protection.total" % first_machine_id).json()
    entry = totals["items"][0][0]["policy"]
    revoke_id = entry["parent_ids"][0] if "parent_ids" in entry else entry["id"]
    revoked = session.delete(PM + "/applications?context_id=%s&policy_id=%s" % (first_machine_id, revoke_id))
    assert revoked.status_code == 204
    # get_all_resources_protection_statuses.py
    statuses = session.get("/api/resource_management/v4/resource_statuses").json()
    assert statuses["items"][0]["aggregate"]["status"] == "not_protected"


def _schedule_settings(schedule):
    return {"compression": "normal", "scheduling": {"enabled": True, "backup_sets": [
        {"type": "auto", "schedule": dict({"conditions": {}, "prevent_sleep": True}, **schedule)}]}}


GOOD_SCHEDULES = [
    {"type": "hourly", "alarms": {"time": {"weekdays": ["mon"], "repeat_every": {"type": "hours", "count": 4},
                                           "run_within": {"from": {"hour": 8, "minute": 0},
                                                          "to": {"hour": 18, "minute": 0}}}}},
    {"type": "daily", "alarms": {"time": {"weekdays": ["mon", "tue"], "repeat_at": [{"hour": 23, "minute": 0}],
                                          "start_date": {"year": 2026, "month": 1, "day": 1},
                                          "end_date": {"year": 2026, "month": 12, "day": 31}}}},
    {"type": "monthly", "alarms": {"time": {"months": [1, 7], "monthdays": [1, 15], "include_last_day_of_month": True,
                                            "repeat_at": [{"hour": 2, "minute": 30}]}}},
    {"type": "monthly", "alarms": {"time": {"months": [3], "monthdays": [], "include_last_day_of_month": False,
                                            "week_of_month": "last", "weekdays": ["fri"],
                                            "repeat_at": [{"hour": 2, "minute": 30}]}}},
]
BAD_SCHEDULES = [
    ({"type": "yearly", "alarms": {"time": {}}}, "type must be one of"),
    ({"type": "hourly", "alarms": {"time": {"repeat_every": {"type": "days", "count": 1}}}}, "repeat_every"),
    ({"type": "hourly", "alarms": {"time": {"repeat_every": {"type": "hours", "count": 1},
                                            "run_within": {"from": {"hour": 18}, "to": {"hour": 8}}}}},
     "run_within.from must be earlier"),
    ({"type": "daily", "alarms": {"time": {"repeat_at": [{"hour": 24, "minute": 0}]}}}, "repeat_at[0]"),
    ({"type": "weekly", "alarms": {"time": {"repeat_at": [{"hour": 1, "minute": 0}]}}}, "weekdays is required"),
    ({"type": "weekly", "alarms": {"time": {"weekdays": ["mon"], "repeat_at": [{"hour": 1, "minute": 0}],
                                            "monthdays": [1]}}}, "monthdays is not a field of a weekly"),
    ({"type": "monthly", "alarms": {"time": {"months": [1], "repeat_at": [{"hour": 1, "minute": 0}]}}},
     "needs monthdays"),
    ({"type": "monthly", "alarms": {"time": {"months": [13], "monthdays": [1],
                                             "repeat_at": [{"hour": 1, "minute": 0}]}}}, "months must list"),
    ({"type": "daily", "alarms": {"time": {"repeat_at": [{"hour": 1, "minute": 0}],
                                           "start_date": {"year": 2026, "month": 2, "day": 30}}}}, "not a real date"),
    ({"type": "daily", "alarms": {"time": {"repeat_at": [{"hour": 1, "minute": 0}],
                                           "start_date": {"year": 2026, "month": 2, "day": 2},
                                           "end_date": {"year": 2026, "month": 2, "day": 1}}}}, "after end_date"),
]


def test_every_kind_of_schedule_is_stored_as_sent(simulator, api):
    _customer, session = customer_session(simulator, api)
    for schedule in GOOD_SCHEDULES:
        plan_id = create_plan(session, name="Plan %s" % schedule["type"], settings=_schedule_settings(schedule))
        stored = session.get(PM + "/policies/" + plan_id,
                             params={"full_composite": "true", "include_settings": "true"}).json()["policy"][1]
        assert stored["settings"]["scheduling"]["backup_sets"][0]["schedule"] == dict(
            {"conditions": {}, "prevent_sleep": True}, **schedule)


def test_malformed_schedules_are_refused_on_create_and_patch(simulator, api):
    _customer, session = customer_session(simulator, api)
    child_id = str(uuid.uuid4())
    plan_id = create_plan(session, child_id=child_id)
    for schedule, words in BAD_SCHEDULES:
        created = session.post(PM + "/policies", json=plan_body(settings=_schedule_settings(schedule)))
        patched = session.patch(PM + "/policies/" + plan_id, json={"subject": {"policy": [
            {"id": child_id, "settings": _schedule_settings(schedule)}]}})
        for response in (created, patched):
            assert response.status_code == 400, schedule
            error = response.json()["error"]
            assert error["code"] == "PolicySettingsInvalid" and error["domain"] == "PolicyManagement"
            assert words in error["details"]["info"], error
    assert len(_plans(session, types="policy.protection.total")["items"]) == 1   # only the first plan exists


def _moments(schedule, start, days):
    """The due moments of a stored schedule over ``days`` days from ``start`` (YYYY-MM-DD, UTC), as HH:MM dates."""
    import datetime  # pylint: disable=import-outside-toplevel
    from ..api import runs  # pylint: disable=import-outside-toplevel
    children = [{"type": "policy.backup.machine", "enabled": True, "settings": _schedule_settings(schedule)}]
    begin = datetime.datetime.strptime(start, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp()
    return [datetime.datetime.fromtimestamp(m, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
            for m in runs.due_moments(runs._schedule(children), begin, begin + days * 86400)]


def test_the_clock_starts_each_kind_of_schedule_when_due():
    hourly, daily, by_days, by_week = GOOD_SCHEDULES
    # 2026-01-05 is a Monday: every 4 hours from 08:00 to 18:00.
    assert _moments(hourly, "2026-01-05", 2) == ["2026-01-05 08:00", "2026-01-05 12:00", "2026-01-05 16:00"]
    assert _moments(daily, "2025-12-29", 9) == ["2026-01-05 23:00", "2026-01-06 23:00"]   # from start_date
    assert _moments(by_days, "2026-01-01", 31) == ["2026-01-01 02:30", "2026-01-15 02:30", "2026-01-31 02:30"]
    assert _moments(by_days, "2026-02-01", 28) == []                                       # months 1 and 7 only
    assert _moments(by_week, "2026-03-01", 31) == ["2026-03-27 02:30"]                     # the last Friday of March
