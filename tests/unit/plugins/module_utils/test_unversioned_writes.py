# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writes the API does not version, against mocked HTTP (issue 31): a user's roles (a PUT of the whole set), a
tenant's MFA status and a protection plan's PATCH. Each is built on a read just before it, so that what another
writer set since the task's first read and the task does not name is kept, and a change another writer already
made is not sent again (noted as another writer's)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import protection, tenants, users
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import API, BASE_URL, api_calls

TENANT = "4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad"
USER = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
POLICIES_URL = BASE_URL + "/api/policy_management/v4/policies"
PLAN = "5b15f6e1-88ec-4dce-b523-0e8394c0bc19"
BACKUP = "0a8c0f7e-7d65-4c43-9a60-0ab6cbb3e2a1"
ROLES_URL = API + "/users/%s/access_policies" % USER
COMPANY_ADMIN = [{"role_id": "company_admin", "tenant_id": None}]


@pytest.fixture
def client(make_client, tokens):
    return make_client(backoff_retries=3)


def writes(http):
    return [r for r in api_calls(http) if r.method != "GET"]


def policy(pid, role, version=1):
    return {"id": pid, "version": version, "role_id": role, "tenant_id": TENANT, "trustee_id": USER,
            "trustee_type": "user", "issuer_id": TENANT}


def sent_roles(request):
    return sorted(p["role_id"] for p in request.json()["items"])


# ---------------------------------------------------------------- roles

def test_a_role_another_writer_gave_since_the_first_read_is_sent_back_and_kept(client, http):
    mine, theirs = policy("p1", "readonly_admin"), policy("p2", "protection_admin")
    http.get(ROLES_URL, json={"items": [mine, theirs]})
    http.put(ROLES_URL, json={"items": []})
    changed, _items, before, after = users.set_user_roles(client, USER, TENANT, [mine], COMPANY_ADMIN, False,
                                                          "present", "'jdoe'")
    assert changed is True
    assert [sent_roles(r) for r in writes(http)] == [["company_admin", "protection_admin", "readonly_admin"]]
    assert before == ["protection_admin@%s" % TENANT, "readonly_admin@%s" % TENANT]
    assert after == sorted(before + ["company_admin@%s" % TENANT])
    assert client.concurrency["other_writers"] == []


def test_purge_still_asks_for_the_exact_set_on_the_fresh_read(client, http):
    mine, theirs = policy("p1", "readonly_admin"), policy("p2", "protection_admin")
    http.get(ROLES_URL, json={"items": [mine, theirs]})
    http.put(ROLES_URL, json={"items": []})
    users.set_user_roles(client, USER, TENANT, [mine], COMPANY_ADMIN, True, "present", "'jdoe'")
    assert [sent_roles(r) for r in writes(http)] == [["company_admin"]]


def test_the_role_another_writer_already_gave_is_not_sent_again(client, http):
    mine, theirs = policy("p1", "readonly_admin"), policy("p2", "company_admin")
    http.get(ROLES_URL, json={"items": [mine, theirs]})
    changed, items, before, after = users.set_user_roles(client, USER, TENANT, [mine], COMPANY_ADMIN, False,
                                                         "present", "'jdoe'")
    assert (changed, items) == (False, [mine, theirs])
    assert before == after
    assert writes(http) == []
    assert client.concurrency["other_writers"] == ["set the roles of user 'jdoe' (+company_admin@%s)" % TENANT]


def test_a_policy_sent_back_that_another_writer_removed_is_planned_again(client, http):
    mine = policy("p1", "readonly_admin")
    http.get(ROLES_URL, [{"json": {"items": [mine]}}, {"json": {"items": []}}])
    http.put(ROLES_URL, [{"status_code": 404, "json": {"error": {"code": 404, "message": "Not Found"}}},
                         {"json": {"items": []}}])
    users.set_user_roles(client, USER, TENANT, [mine], COMPANY_ADMIN, False, "present", "'jdoe'")
    # The second PUT leaves out the role the other writer removed: the task does not name it.
    assert [sent_roles(r) for r in writes(http)] == [["company_admin", "readonly_admin"], ["company_admin"]]


def test_roles_of_a_user_just_created_are_not_read_again(client, http):
    http.put(ROLES_URL, json={"items": []})
    users.set_user_roles(client, USER, TENANT, [], COMPANY_ADMIN, False, "present", "'jdoe'", read_again=False)
    assert [r.method for r in api_calls(http)] == ["PUT"]


# ---------------------------------------------------------------- MFA

def test_mfa_another_writer_already_set_is_not_set_again(client, http):
    http.get(API + "/tenants/%s/mfa/status" % TENANT, json={"mfa_status": "enabled", "users_count": 0})
    status = tenants.set_mfa(client, TENANT, True)
    assert status["mfa_status"] == "enabled"
    assert writes(http) == []
    assert client.concurrency["other_writers"] == ["set two-factor authentication of tenant %s to enabled" % TENANT]


def test_mfa_is_set_when_the_read_just_before_shows_another_value(client, http):
    http.get(API + "/tenants/%s/mfa/status" % TENANT, json={"mfa_status": "disabled", "users_count": 0})
    http.put(API + "/tenants/%s/mfa/status" % TENANT, json={"mfa_status": "enabled", "users_count": 0})
    tenants.set_mfa(client, TENANT, True)
    assert [r.json() for r in writes(http)] == [{"enabled": True}]
    assert client.concurrency["other_writers"] == []


def test_mfa_of_a_tenant_this_task_created_is_set_without_a_read(client, http):
    http.put(API + "/tenants/%s/mfa/status" % TENANT, json={"mfa_status": "enabled", "users_count": 0})
    tenants.set_mfa(client, TENANT, True, read_first=False)
    assert [r.method for r in api_calls(http)] == ["PUT"]


# ---------------------------------------------------------------- protection plans

def plan_listing(enabled=True, backup_enabled=True, settings=None):
    root = {"id": PLAN, "type": protection.TOTAL, "name": "Daily", "enabled": enabled}
    backup = {"id": BACKUP, "type": protection.BACKUP, "enabled": backup_enabled, "parent_ids": [PLAN],
              "settings_schema": "2.0", "settings": settings or {}}
    return {"items": [{"policy": [root, backup]}]}


def test_a_setting_another_writer_changed_since_the_first_read_is_kept(client, http):
    fresh = {"scheduling": {"type": "weekly"}, "retention": {"rules": [{"max_count": 9}]}}
    http.get(POLICIES_URL, json=plan_listing(settings=fresh))
    http.patch(POLICIES_URL + "/" + BACKUP, status_code=204)
    sent = protection.update_policy(client, PLAN, BACKUP, "plan 'Daily'", settings={"scheduling": {"type": "daily"}})
    patched = [r.json() for r in writes(http)]
    assert patched == [{"subject": {"policy": [{"settings": {"scheduling": {"type": "daily"},
                                                             "retention": {"rules": [{"max_count": 9}]}}}]}}]
    assert sent == patched[0]["subject"]["policy"][0]
    assert client.concurrency["other_writers"] == []


def test_a_plan_field_another_writer_already_set_is_not_patched(client, http):
    http.get(POLICIES_URL, json=plan_listing(enabled=False))
    assert protection.update_policy(client, PLAN, PLAN, "plan 'Daily'", enabled=False) == {}
    assert writes(http) == []
    assert client.concurrency["other_writers"] == ["set enabled of plan 'Daily'"]


def test_only_the_fields_that_still_differ_are_patched(client, http):
    http.get(POLICIES_URL, json=plan_listing(backup_enabled=False, settings={"scheduling": {"type": "daily"}}))
    http.patch(POLICIES_URL + "/" + BACKUP, status_code=204)
    protection.update_policy(client, PLAN, BACKUP, "plan 'Daily'", enabled=False,
                             settings={"scheduling": {"type": "weekly"}})
    assert [r.json()["subject"]["policy"][0] for r in writes(http)] == [{"settings": {"scheduling": {"type": "weekly"}}}]
