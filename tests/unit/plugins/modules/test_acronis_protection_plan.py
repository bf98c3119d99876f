# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_protection_plan's run(module) against a mocked HTTP layer: the customer-scoped token, create,
no-op, update, apply/revoke/run, check mode and bad input, counting the writes each sends."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import random
from urllib.parse import parse_qs

import pytest
import requests_mock

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_uuid
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_protection_plan as module_under_test

BASE_URL = "https://dc.example.test"
TOKEN_URL = BASE_URL + "/api/2/idp/token"
POLICIES_URL = BASE_URL + "/api/policy_management/v4/policies"
APPLICATIONS_URL = BASE_URL + "/api/policy_management/v4/applications"
RESOURCES_URL = BASE_URL + "/api/resource_management/v4/resources"
RUN_URL = BASE_URL + "/api/policy_management/v4/applications/run"
CUSTOMER = "2a91a14d-ffd3-4ac1-9b4d-3990162c5acc"
PLAN = "5b15f6e1-88ec-4dce-b523-0e8394c0bc19"
CHILD = "33965f81-7293-45d4-9f13-dc4281d7bdfd"
M1 = "5c350066-2ba6-4eeb-aa91-1213dd35f033"
M2 = "c70134c4-a244-4b22-99ad-e081301f7530"

OPTIONS = dict(tenant_id=CUSTOMER, name="Nightly", id=None, state="present", enabled=None, backup=None, settings=None,
               resources=None, purge_resources=False, run=False, wait=False, wait_timeout=3600,
               fail_on_backup_error=True)


class FakeModule:
    """What run(module) uses of an AcronisModule: params, check_mode and a client."""

    def __init__(self, check_mode=False, **params):
        self.params = dict(OPTIONS, **params)
        self.check_mode = check_mode
        self.client = AcronisClient(BASE_URL, client_id="cid", client_secret="secret", read_only=check_mode,
                                    sleep=lambda s: None, rng=random.Random(1), clock=lambda: 1700000000.0)

        self.warnings = []

    def check_uuid(self, value, what, of=None):
        check_uuid(value, what, self.check_mode, of=of)

    def warn(self, warning):
        self.warnings.append(warning)


@pytest.fixture
def http():
    with requests_mock.Mocker() as mocker:
        mocker.post(TOKEN_URL, json={"access_token": "tok", "expires_on": 1700007200})
        yield mocker


def plan(settings=None, enabled=True, name="Nightly"):
    return [{"id": PLAN, "type": "policy.protection.total", "name": name, "enabled": enabled, "tenant_id": "17"},
            {"id": CHILD, "type": "policy.backup.machine", "parent_ids": [PLAN], "enabled": True,
             "settings_schema": "2.0", "settings": settings or {"compression": "normal", "scheduling": {}}},
            {"id": M2, "type": "policy.security.patch_management", "parent_ids": [PLAN], "enabled": False,
             "settings_schema": "2.0", "settings": {}}]


def serve_plans(http, *plans):
    http.get(POLICIES_URL, json={"items": [{"policy": p} for p in plans], "paging": {"cursors": {}}})


def serve_plans_written(http, before, after):
    """The plans ``before`` until the first write, then what ``after(posted)`` gives: the service's read of them.

    ``posted`` is the first write's policies (a create's, with the ids the module chose), or None.
    """
    def answer(request, context):
        written = [r for r in http.request_history if r.method != "GET" and r.url != TOKEN_URL]
        if not written:
            plans = before
        else:
            body = written[0].json() if written[0].body else {}
            plans = after((body.get("subject") or {}).get("policy"))
        return {"items": [{"policy": p} for p in plans], "paging": {"cursors": {}}}
    http.get(POLICIES_URL, json=answer)


def serve_applications(http, running=None, contexts=()):
    items = [[{"policy": {"id": PLAN, "type": "policy.protection.total"}, "context": {"id": c},
               "running": {"state": "running" if c in (running or ()) else "idle"}}] for c in contexts]
    http.get(APPLICATIONS_URL, json={"items": items, "paging": {"cursors": {}}})


def writes(http):
    return [r for r in http.request_history if r.method != "GET" and r.url != TOKEN_URL]


def test_reads_with_a_token_scoped_to_the_customer(http):
    serve_plans(http)
    module_under_test.run(FakeModule(check_mode=True))
    exchange = [r for r in http.request_history if r.url == TOKEN_URL][-1]
    form = parse_qs(exchange.text)
    assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    assert form["scope"] == ["urn:acronis.com:tenant-id:" + CUSTOMER]


def test_check_mode_predicts_a_new_plan_and_writes_nothing(http):
    serve_plans(http)
    result = module_under_test.run(FakeModule(check_mode=True, backup={"compression": "max"}))
    assert result["changed"]
    assert result["plan"]["id"].startswith("00000000-0000-0000-c4ec-")
    assert result["plan"]["policies"][0]["settings"]["compression"] == "max"
    assert result["diff"]["before"] == {}
    assert writes(http) == []


def as_the_service_reads_it(posted):
    """A new plan as a read shows it: the tenant filled in, and the default policies the service adds."""
    root = dict(posted[0], tenant_id="17")
    added = {"id": M1, "type": "policy.security.antimalware", "parent_ids": [root["id"]], "enabled": True,
             "settings_schema": "2.0", "settings": {}}
    return [[root] + posted[1:] + [added]]


def test_create_sends_the_plan_as_the_documented_composite(http):
    serve_plans_written(http, [], as_the_service_reads_it)
    http.post(POLICIES_URL, json={"result": []})
    result = module_under_test.run(FakeModule(backup={"compression": "max", "schedule": {"at": ["22:15"]}}))
    (post,) = writes(http)
    root, child = post.json()["subject"]["policy"]
    assert root["type"] == "policy.protection.total" and root["name"] == "Nightly" and root["enabled"] is True
    assert child["type"] == "policy.backup.machine" and child["parent_ids"] == [root["id"]]
    assert child["settings_schema"] == "2.0"
    assert child["settings"]["compression"] == "max"
    assert child["settings"]["format"] == "auto"        # from the documented defaults
    alarm = child["settings"]["scheduling"]["backup_sets"][0]["schedule"]["alarms"]["time"]
    assert alarm["repeat_at"] == [{"hour": 22, "minute": 15}]
    assert result["changed"] and result["plan"]["id"] == root["id"]
    # The result is the plan as read after the create, not as sent: its tenant and the service's own policies.
    assert result["plan"]["tenant_id"] == "17"
    assert [p["type"] for p in result["plan"]["policies"]] == ["policy.backup.machine", "policy.security.antimalware"]


def test_the_same_settings_again_send_no_write(http):
    serve_plans(http, plan({"compression": "max", "format": "auto"}))
    serve_applications(http, contexts=[M1])
    result = module_under_test.run(FakeModule(backup={"compression": "max"}, resources=[M1]))
    assert not result["changed"]
    assert result["plan"]["resources"] == [M1]
    assert writes(http) == []


def test_an_update_patches_each_policy_on_its_own_path(http):
    serve_plans(http, plan({"compression": "normal", "cbt": "enable_and_use"}))
    serve_applications(http)
    http.patch(POLICIES_URL + "/" + PLAN, status_code=204)
    http.patch(POLICIES_URL + "/" + CHILD, status_code=204)
    result = module_under_test.run(FakeModule(backup={"compression": "high"}, enabled=False))
    root_patch, child_patch = writes(http)
    assert root_patch.url == POLICIES_URL + "/" + PLAN
    assert root_patch.json() == {"subject": {"policy": [{"enabled": False}]}}
    assert child_patch.url == POLICIES_URL + "/" + CHILD
    assert child_patch.json() == {"subject": {"policy": [{"settings": {"compression": "high", "cbt": "enable_and_use"}}]}}
    assert result["diff"]["before"]["backup"]["settings"]["compression"] == "normal"
    assert result["diff"]["after"]["backup"]["settings"]["compression"] == "high"


def test_resources_are_applied_revoked_and_run_where_idle(http):
    serve_plans(http, plan())
    serve_applications(http, running=[M1], contexts=[M1])
    http.get(RESOURCES_URL, json={"items": [{"id": M2, "type": "resource.machine", "name": "SRV-02"}],
                                  "paging": {"cursors": {}}})
    http.post(APPLICATIONS_URL, status_code=204)
    http.put(RUN_URL, json={"items": []})
    result = module_under_test.run(FakeModule(resources=["SRV-02", M1], run=True))
    post, put = writes(http)
    assert post.json() == {"policy_id": PLAN, "context": {"items": [M2]}}
    assert put.json() == {"state": "running", "policy_id": PLAN, "context_ids": [M2]}   # M1 runs already
    assert result["applied"] == [M2] and result["revoked"] == [] and result["started"] == [M2]


def test_purge_revokes_what_is_not_listed(http):
    after = copy.deepcopy(plan())
    after[0]["applied_context"] = [{"id": M2}]
    serve_plans_written(http, [plan()], lambda posted: [after])
    serve_applications(http, contexts=[M1, M2])
    http.delete(APPLICATIONS_URL, status_code=204)
    result = module_under_test.run(FakeModule(resources=[M2], purge_resources=True))
    (delete,) = writes(http)
    assert parse_qs(delete.url.split("?", 1)[1]) == {"context_id": [M1], "policy_id": [PLAN]}
    assert result["revoked"] == [M1] and result["plan"]["resources"] == [M2]


def test_delete_removes_the_plan_and_a_missing_plan_is_no_change(http):
    serve_plans(http, plan())
    serve_applications(http, contexts=[M1])
    http.delete(POLICIES_URL + "/" + PLAN, status_code=204)
    result = module_under_test.run(FakeModule(state="absent"))
    assert result["changed"] and result["diff"]["after"] == {}
    assert [w.method for w in writes(http)] == ["DELETE"]
    assert result["revoked"] == [M1]        # the plan's applications go with it
    serve_plans(http)
    assert not module_under_test.run(FakeModule(state="absent"))["changed"]


def test_two_plans_with_the_name_are_an_error_listing_their_ids(http):
    other = copy.deepcopy(plan(name="NIGHTLY"))
    other[0]["id"] = M1
    serve_plans(http, plan(), other)
    with pytest.raises(AcronisFailure) as failure:
        module_under_test.run(FakeModule())
    # Names are compared without regard to case: "NIGHTLY" is the same name; both ids are named, and the option.
    assert "2 protection plans named 'Nightly'" in failure.value.msg
    assert PLAN in failure.value.msg and M1 in failure.value.msg
    assert "give the one to manage as id" in failure.value.msg
    assert writes(http) == []


def test_id_chooses_one_of_two_plans_with_the_same_name(http):
    http.get(POLICIES_URL, json={"items": [{"policy": plan({"compression": "max", "scheduling": {}})}],
                                 "paging": {"cursors": {}}})
    serve_applications(http)
    result = module_under_test.run(FakeModule(id=PLAN.upper(), backup={"compression": "max"}))
    assert not result["changed"] and result["plan"]["id"] == PLAN
    plan_reads = [r for r in http.request_history if r.url.startswith(POLICIES_URL)]
    assert plan_reads[0].qs["policy_id"] == [PLAN]       # read by id, not by name
    assert writes(http) == []


def test_a_name_in_other_case_finds_the_plan_and_renames_it(http):
    serve_plans_written(http, [plan(name="nightly")], lambda posted: [plan()])
    serve_applications(http)
    http.patch(POLICIES_URL + "/" + PLAN, status_code=204)
    result = module_under_test.run(FakeModule())
    assert result["changed"]
    assert [w.json() for w in writes(http)] == [{"subject": {"policy": [{"name": "Nightly"}]}}]
    assert result["diff"]["before"]["name"] == "nightly" and result["diff"]["after"]["name"] == "Nightly"


def test_an_unknown_id_fails_and_absent_is_no_change(http):
    serve_plans(http)
    with pytest.raises(AcronisFailure) as failure:
        module_under_test.run(FakeModule(id=M1))
    assert "no protection plan with id %s" % M1 in failure.value.msg
    assert not module_under_test.run(FakeModule(id=M1, state="absent"))["changed"]
    assert writes(http) == []


@pytest.mark.parametrize("params, words", [
    (dict(backup={"schedule": {"at": ["7pm"]}}), "Option backup.schedule.at[1] is '7pm', not a time of day"),
    (dict(backup={"retention": {"daily": 0}}), "Option backup.retention.daily must be 1 or more"),
    (dict(tenant_id="customer-1"), "Option tenant_id must be a UUID (the id of a customer tenant)"),
    (dict(purge_resources=True), "purge_resources needs resources"),
    (dict(name=" "), "Option name must not be empty"),
])
def test_bad_input_fails_before_any_request(http, params, words):
    fake = FakeModule(**params)
    with pytest.raises(AcronisFailure) as failure:
        validation.check_declared(fake, module_under_test.OPTION_KINDS)
        module_under_test.run(fake)
    assert words in failure.value.msg
    assert http.request_history == []


def test_an_unknown_resource_fails_before_any_write(http):
    serve_plans(http)
    http.get(RESOURCES_URL, json={"items": [], "paging": {"cursors": {}}})
    with pytest.raises(AcronisFailure) as failure:
        module_under_test.run(FakeModule(resources=["SRV-09"]))
    assert "no machine or group is named 'SRV-09'" in failure.value.msg
    assert writes(http) == []


def test_an_encryption_password_does_not_make_every_run_changed(http):
    # The plan as the service shows it once encrypted; the password given differs, and on_create never compares it.
    serve_plans(http, plan({"compression": "normal", "scheduling": {},
                            "encryption": {"enabled": True, "algorithm": "aes256", "password": "first"}}))
    serve_applications(http)
    http.patch(POLICIES_URL + "/" + CHILD, status_code=204)
    encryption = {"algorithm": "aes256", "password": "second", "update_password": "on_create"}
    assert not module_under_test.run(FakeModule(backup={"encryption": encryption}))["changed"]
    assert writes(http) == []
    result = module_under_test.run(FakeModule(backup={"encryption": dict(encryption, update_password="always")},
                                              _ansible_diff=True))
    assert result["changed"]
    assert writes(http)[0].json()["subject"]["policy"][0]["settings"]["encryption"]["password"] == "second"
    assert "second" not in str(result["diff"]) and "first" not in str(result["diff"])


def serve_runs(http, status):
    """The plan applied to M1 and M2, idle; after the run request, both idle again with a new last run."""
    def answer(request, context):
        ran = any(r.method == "PUT" for r in http.request_history)
        items = [[{"policy": {"id": PLAN, "type": "policy.protection.total"},
                   "context": {"id": m, "type": "resource.machine"}, "running": {"state": "idle"},
                   "status": status[m] if ran else "ok",
                   "last_run_at": "2026-05-01T21:00:00Z" if ran else None}] for m in (M1, M2)]
        return {"items": items, "paging": {"cursors": {}}}
    http.get(APPLICATIONS_URL, json=answer)
    http.put(RUN_URL, json={"items": []})


def test_wait_returns_each_outcome_and_fails_on_a_failed_backup(http):
    serve_plans(http, plan())
    serve_runs(http, {M1: "ok", M2: "error"})
    with pytest.raises(AcronisFailure) as failure:
        module_under_test.run(FakeModule(run=True, wait=True))
    assert "failed on %s" % M2 in failure.value.msg and "fail_on_backup_error=false" in failure.value.msg
    assert failure.value.result["outcomes"] == [
        {"resource_id": M1, "resource_type": "resource.machine", "status": "ok", "last_run_at": "2026-05-01T21:00:00Z"},
        {"resource_id": M2, "resource_type": "resource.machine", "status": "error",
         "last_run_at": "2026-05-01T21:00:00Z"}]


def test_wait_with_fail_on_backup_error_false_returns_the_outcomes_and_warns(http):
    serve_plans(http, plan())
    serve_runs(http, {M1: "warning", M2: "error"})
    fake = FakeModule(run=True, wait=True, fail_on_backup_error=False)
    result = module_under_test.run(fake)
    assert result["changed"] and result["started"] == [M1, M2]
    assert [(o["resource_id"], o["status"]) for o in result["outcomes"]] == [(M1, "warning"), (M2, "error")]
    assert len(fake.warnings) == 2 and M2 in fake.warnings[1]


def test_wait_needs_run(http):
    with pytest.raises(AcronisFailure) as failure:
        module_under_test.run(FakeModule(wait=True))
    assert "needs run=true" in failure.value.msg
    assert http.request_history == []
