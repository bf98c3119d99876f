# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Lost answers against a mocked HTTP layer: every create resolves an unknown outcome by an authoritative
lookup (adopt or create again), an update whose retry meets the version its own first attempt outdated is
re-read and compared, an activation e-mail is never requested twice, and throttling slows a run down without
failing it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import (
    agents,
    api_clients,
    offering_items,
    reports,
    tenants,
    users,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import ADOPTED_LOST_ANSWER, ADOPTED_OTHER_WRITER
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisAPIError, AcronisTransportError
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_tenant
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import (
    API,
    NOW,
    TOKEN_URL,
    api_calls,
)

PARENT = "9b3f6d2e-0c1a-4c8e-9d7f-1a2b3c4d5e6f"
TENANT = "4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad"
USER = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
BAD_GATEWAY = {"status_code": 502, "json": {"error": {"code": 502, "message": "Bad Gateway"}}}
OUTDATED = {"status_code": 409, "json": {"error": {"code": 1001, "message": "The version is outdated."}}}


@pytest.fixture
def client(make_client, tokens):
    return make_client(backoff_retries=3)


def writes(http):
    return [(r.method, r.path) for r in api_calls(http) if r.method != "GET"]


def tenant(version=1, **fields):
    body = {"id": TENANT, "name": "Acme", "kind": "customer", "parent_id": PARENT, "version": version,
            "enabled": True}
    body.update(fields)
    return body


# ---------------------------------------------------------------- tenants

def mock_tenant_lookup(http, children):
    """The search finds nothing (it lags); the list of children is the truth."""
    http.get(API + "/search", json={"items": []})
    http.get(API + "/tenants", json={"items": children, "paging": {"cursors": {}}})
    http.get(API + "/tenants/" + TENANT, json=tenant())


def test_tenant_create_lost_and_absent_is_created_again(client, http):
    mock_tenant_lookup(http, [])
    http.post(API + "/tenants", [dict(BAD_GATEWAY), {"json": tenant()}])
    created, adopted = tenants.create_tenant(client, {"name": "Acme", "kind": "customer", "parent_id": PARENT})
    assert (created["id"], adopted) == (TENANT, False)
    assert writes(http) == [("POST", "/api/2/tenants")] * 2
    # The absence was proved by the list of the parent's children, not by the search alone.
    assert any(r.path == "/api/2/tenants" and r.method == "GET" for r in http.request_history)


def test_tenant_create_lost_but_committed_is_adopted(client, http):
    mock_tenant_lookup(http, [{"id": TENANT, "name": "ACME", "parent_id": PARENT}])
    http.post(API + "/tenants", **BAD_GATEWAY)
    created, adopted = tenants.create_tenant(client, {"name": "Acme", "kind": "customer", "parent_id": PARENT})
    assert (created["id"], adopted) == (TENANT, ADOPTED_LOST_ANSWER)
    assert writes(http) == [("POST", "/api/2/tenants")]


def test_tenant_create_that_never_gets_an_answer_fails_within_the_budget(client, http):
    mock_tenant_lookup(http, [])
    http.post(API + "/tenants", **BAD_GATEWAY)
    with pytest.raises(AcronisTransportError) as info:
        tenants.create_tenant(client, {"name": "Acme", "kind": "customer", "parent_id": PARENT})
    assert "run the task again" not in str(info.value).lower()
    assert len(writes(http)) == 4    # the first attempt and backoff_retries=3 more


class FakeModule:
    def __init__(self, client):
        self.client = client
        self.params = {"name": "Acme", "id": None}
        self.check_mode = False
        self._diff = False


def test_tenant_update_committed_before_its_answer_was_lost_is_not_sent_again(client, http):
    http.put(API + "/tenants/" + TENANT, [dict(BAD_GATEWAY), dict(OUTDATED)])
    http.get(API + "/tenants/" + TENANT, json=tenant(version=2, enabled=False))
    task = acronis_tenant.TenantTask(FakeModule(client))
    result = task.put(tenant(version=1), {"enabled": False})
    assert result["version"] == 2 and result["enabled"] is False
    assert writes(http) == [("PUT", "/api/2/tenants/" + TENANT)] * 2


def test_pricing_switch_committed_before_its_answer_was_lost_is_success(client, http):
    http.put(API + "/tenants/%s/pricing" % TENANT, [dict(BAD_GATEWAY), dict(OUTDATED)])
    http.get(API + "/tenants/%s/pricing" % TENANT, json={"mode": "production", "version": 8})
    pricing = tenants.set_pricing_mode(client, TENANT, "production", pricing={"mode": "trial", "version": 7})
    assert pricing == {"mode": "production", "version": 8}


def test_pricing_another_writer_switched_first_is_read_and_not_sent_again(client, http):
    http.put(API + "/tenants/%s/pricing" % TENANT, **OUTDATED)
    http.get(API + "/tenants/%s/pricing" % TENANT, json={"mode": "production", "version": 8})
    assert tenants.set_pricing_mode(client, TENANT, "production", pricing={"mode": "trial", "version": 7}) == \
        {"mode": "production", "version": 8}
    assert writes(http) == [("PUT", "/api/2/tenants/%s/pricing" % TENANT)]
    assert client.concurrency["other_writers"] == ["set the pricing mode of tenant %s to production" % TENANT]


def test_pricing_outdated_by_another_change_is_sent_again_on_the_fresh_version(client, http):
    http.put(API + "/tenants/%s/pricing" % TENANT, [dict(OUTDATED), {"json": {"mode": "production", "version": 9}}])
    http.get(API + "/tenants/%s/pricing" % TENANT, json={"mode": "trial", "version": 8})
    assert tenants.set_pricing_mode(client, TENANT, "production", pricing={"mode": "trial", "version": 7})["version"] == 9
    assert [r.json()["version"] for r in http.request_history if r.method == "PUT"] == [7, 8]


# ------------------------------------------------------------------ users

def user(**fields):
    body = {"id": USER, "login": "jdoe", "tenant_id": TENANT, "version": 1, "enabled": True, "activated": False,
            "contact": {"email": "j@example.test"}, "notifications": ["quota"]}
    body.update(fields)
    return body


def test_user_create_lost_but_committed_is_adopted(client, http):
    http.post(API + "/users", **BAD_GATEWAY)
    http.get(API + "/tenants/%s/users" % TENANT, json={"items": [USER]})
    http.get(API + "/users", json={"items": [user(login="JDoe")]})
    created, adopted = users.create_user(client, {"tenant_id": TENANT, "login": "jdoe"})
    assert (created["id"], adopted) == (USER, ADOPTED_LOST_ANSWER)
    assert writes(http) == [("POST", "/api/2/users")]


def test_user_create_lost_and_absent_is_created_again(client, http):
    http.post(API + "/users", [dict(BAD_GATEWAY), {"json": user()}])
    http.get(API + "/tenants/%s/users" % TENANT, json={"items": []})
    created, adopted = users.create_user(client, {"tenant_id": TENANT, "login": "jdoe"})
    assert (created["id"], adopted) == (USER, False)
    assert writes(http) == [("POST", "/api/2/users")] * 2


def test_activation_email_is_not_requested_again_after_a_lost_answer(client, http):
    http.post(API + "/users/%s/send-activation-email" % USER, **BAD_GATEWAY)
    assert users.send_activation_email(client, USER) is None
    assert len(writes(http)) == 1


def test_activation_email_refused_by_throttling_is_sent_once(client, http):
    http.post(API + "/users/%s/send-activation-email" % USER,
              [{"status_code": 429, "headers": {"Retry-After": "1"}}, {"status_code": 204}])
    assert users.send_activation_email(client, USER) is True
    assert len(writes(http)) == 2


def test_user_update_committed_before_its_answer_was_lost_is_success(client, http):
    http.put(API + "/users/" + USER, [dict(BAD_GATEWAY), dict(OUTDATED)])
    http.get(API + "/users/" + USER, json=user(version=2, enabled=False, notifications=["reports", "quota"]))
    updated = users.update_user(client, USER, 1, {"enabled": False, "notifications": ["quota", "reports"]})
    assert updated["version"] == 2
    assert len(writes(http)) == 2


def test_user_update_conflict_with_other_content_is_an_error(client, http):
    http.put(API + "/users/" + USER, [dict(BAD_GATEWAY), dict(OUTDATED)])
    http.get(API + "/users/" + USER, json=user(version=2, enabled=True))
    with pytest.raises(AcronisAPIError):
        users.update_user(client, USER, 1, {"enabled": False})


def test_roles_put_committed_before_its_answer_was_lost_is_success(client, http):
    url = API + "/users/%s/access_policies" % USER
    http.put(url, [dict(BAD_GATEWAY), dict(OUTDATED)])
    held = [{"id": "p1", "version": 1, "role_id": "company_admin", "tenant_id": TENANT, "trustee_id": USER}]
    http.get(url, json={"items": held})
    changed, result, _before, _after = users.set_user_roles(
        client, USER, TENANT, [], [{"role_id": "company_admin", "tenant_id": None}], False, "present", "'jdoe'",
        read_again=False)
    assert (changed, result) == (True, held)
    assert len(writes(http)) == 2
    assert client.concurrency["other_writers"] == []       # our own first attempt, not another writer


def test_roles_another_writer_already_gave_are_read_and_not_sent_again(client, http):
    url = API + "/users/%s/access_policies" % USER
    http.put(url, **OUTDATED)
    mine = {"id": "p1", "version": 1, "role_id": "readonly_admin", "tenant_id": TENANT, "trustee_id": USER}
    held = [dict(mine, version=2), {"id": "p2", "version": 1, "role_id": "company_admin", "tenant_id": TENANT,
                                    "trustee_id": USER}]
    http.get(url, json={"items": held})
    changed, result, _before, _after = users.set_user_roles(
        client, USER, TENANT, [mine], [{"role_id": "company_admin", "tenant_id": None}], False, "present", "'jdoe'",
        read_again=False)
    assert result == held
    assert len(writes(http)) == 1
    assert client.concurrency["other_writers"] == ["set the roles of user 'jdoe' (+company_admin@%s)" % TENANT]


def test_roles_outdated_by_another_writer_are_planned_again_on_the_fresh_read(client, http):
    url = API + "/users/%s/access_policies" % USER
    other = {"id": "p9", "version": 1, "role_id": "protection_admin", "tenant_id": TENANT, "trustee_id": USER}
    http.put(url, [dict(OUTDATED), {"json": {"items": [other]}}])
    mine = {"id": "p1", "version": 1, "role_id": "readonly_admin", "tenant_id": TENANT, "trustee_id": USER}
    http.get(url, json={"items": [dict(mine, version=2), other]})
    users.set_user_roles(client, USER, TENANT, [mine], [{"role_id": "company_admin", "tenant_id": None}], False,
                         "present", "'jdoe'", read_again=False)
    sent = [sorted((p["role_id"], p["version"]) for p in r.json()["items"]) for r in http.request_history
            if r.method == "PUT"]
    # The second PUT keeps the role another writer gave and carries the fresh version of the one it keeps.
    assert sent == [[("company_admin", 0), ("readonly_admin", 1)],
                    [("company_admin", 0), ("protection_admin", 1), ("readonly_admin", 2)]]


# -------------------------------------------------- reports, API clients, tokens

def test_report_create_lost_but_committed_adopts_the_new_report(client, http):
    http.post(API + "/reports", **BAD_GATEWAY)
    http.get(API + "/tenants/%s/reports" % TENANT, json={"items": ["old", "new"]})
    http.get(API + "/reports/new", json={"id": "new", "version": 1, "schedule": {"type": "once"},
                                         "parameters": {"kind": "usage_current"}})
    body = {"schedule": {"type": "once"}, "parameters": {"kind": "usage_current", "tenant_id": TENANT}}
    report, adopted = reports.create_report(client, body, lambda: reports.find_new_report(client, TENANT, body, {"old"}))
    assert (report["id"], adopted) == ("new", ADOPTED_LOST_ANSWER)
    assert writes(http) == [("POST", "/api/2/reports")]


def test_api_client_whose_secret_was_lost_is_replaced(client, http):
    orphan = {"client_id": "orphan", "tenant_id": TENANT, "type": "api_client", "data": {"client_name": "ci"}}
    http.post(API + "/clients", [dict(BAD_GATEWAY),
                                 {"json": {"client_id": "fresh", "client_secret": "s3cret", "tenant_id": TENANT}}])
    http.get(API + "/clients", json={"items": [orphan]})
    http.delete(API + "/clients/orphan", status_code=204)
    created = api_clients.create_api_client(client, TENANT, "ci")
    assert (created["client_id"], created["client_secret"]) == ("fresh", "s3cret")
    assert writes(http) == [("POST", "/api/2/clients"), ("DELETE", "/api/2/clients/orphan"),
                            ("POST", "/api/2/clients")]


def test_registration_token_lost_but_committed_is_adopted_with_its_value(client, http):
    url = API + "/tenants/%s/registration_tokens" % TENANT
    scope = "urn:acronis.com:tenant-id::backup_agent_admin"
    http.post(url, **BAD_GATEWAY)
    http.get(url, json={"items": [
        {"id": 1, "token": "OLD", "created_at": "2024-04-02T17:00:00Z", "expires_at": "2024-04-02T19:00:00Z",
         "scopes": [scope]},
        {"id": 2, "token": "NEW", "created_at": "2024-04-02T18:00:00Z", "expires_at": "2024-04-02T19:00:00Z",
         "scopes": [scope]}]})
    created = agents.create_token(client, TENANT, 3600, [scope], known_ids={1})
    assert (created["id"], created["token"]) == (2, "NEW")
    assert len(writes(http)) == 1


# ------------------------------------------------------------- throttling

def test_token_request_throttled_is_retried_after_retry_after(http, make_client, sleeps):
    http.post(TOKEN_URL, [{"status_code": 429, "headers": {"Retry-After": "2"}},
                          {"json": {"access_token": "tok", "expires_on": NOW + 7200}}])
    http.get(API + "/tenants/" + TENANT, json=tenant())
    assert make_client().get("/tenants/{tenant_id}", tenant_id=TENANT)["id"] == TENANT
    assert len(sleeps.delays) == 1 and sleeps.delays[0] >= 2


def test_a_storm_of_429_from_20_forks_slows_them_down_and_they_all_finish(http, tokens, make_client, sleeps):
    """Each fork is throttled six times in a row (Retry-After: 1), then served: the default budget suffices."""
    answers = [{"status_code": 429, "headers": {"Retry-After": "1"}}] * 6 + [{"json": tenant()}]
    for fork in range(20):
        http.get(API + "/tenants/fork-%d" % fork, list(answers))
    firsts = []
    for fork in range(20):
        before = len(sleeps.delays)
        client = make_client(rng=random.Random(fork))     # the default backoff_retries
        assert client.get("/tenants/{tenant_id}", tenant_id="fork-%d" % fork)["id"] == TENANT
        delays = sleeps.delays[before:]
        assert len(delays) == 6 and min(delays) >= 1.0
        firsts.append(delays[0])
    # The jitter spreads the forks' retries apart instead of sending them back together.
    assert len(set(round(d, 3) for d in firsts)) > 10


# --------------------------------------------------------- offering items

APP = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"


def test_items_put_committed_before_its_answer_was_lost_is_success(client, http):
    url = API + "/tenants/%s/offering_items" % TENANT
    http.put(url, [dict(BAD_GATEWAY), dict(OUTDATED)])
    held = {"application_id": APP, "name": "pw_workstations", "status": 1, "edition": "per_workload",
            "quota": {"value": 10, "overage": None, "version": 1}}
    http.get(url, json={"items": [held]})
    entry = {"application_id": APP, "name": "pw_workstations", "status": 1,
             "quota": {"value": 10, "overage": None, "version": 0}}
    assert offering_items.put_items(client, TENANT, [entry]) == [held]
    assert len(writes(http)) == 2


def test_items_put_outdated_by_another_quota_is_sent_again_keeping_what_the_task_does_not_name(client, http):
    url = API + "/tenants/%s/offering_items" % TENANT
    done = {"application_id": APP, "name": "pw_workstations", "status": 1,
            "quota": {"value": 10, "overage": 5, "version": 2}}
    http.put(url, [dict(OUTDATED), {"json": {"items": [done]}}])
    http.get(url, json={"items": [{"application_id": APP, "name": "pw_workstations", "status": 1,
                                   "quota": {"value": 20, "overage": 5, "version": 1}}]})
    entry = {"application_id": APP, "name": "pw_workstations", "status": 1,
             "quota": {"value": 10, "overage": None, "version": 0}}
    key = offering_items.item_key(entry)
    assert offering_items.put_items(client, TENANT, [entry], asked={key: {"value": 10}}) == [done]
    sent = [r.json()["offering_items"][0]["quota"] for r in http.request_history if r.method == "PUT"]
    assert sent == [{"value": 10, "overage": None, "version": 0}, {"value": 10, "overage": 5, "version": 1}]
    assert client.concurrency["other_writers"] == []


def test_items_another_writer_already_set_are_not_sent_again(client, http):
    url = API + "/tenants/%s/offering_items" % TENANT
    held = {"application_id": APP, "name": "pw_workstations", "status": 1,
            "quota": {"value": 10, "overage": 3, "version": 1}}
    http.put(url, **OUTDATED)
    http.get(url, json={"items": [held]})
    entry = {"application_id": APP, "name": "pw_workstations", "status": 1,
             "quota": {"value": 10, "overage": None, "version": 0}}
    key = offering_items.item_key(entry)
    assert offering_items.put_items(client, TENANT, [entry], asked={key: {"value": 10}}) == [held]
    assert len(writes(http)) == 1
    assert len(client.concurrency["other_writers"]) == 1


def test_a_login_another_writer_created_in_the_tenant_is_adopted(client, http):
    http.post(API + "/users", status_code=409, json={"error": {"code": 409, "message": "The login is already taken."}})
    http.get(API + "/tenants/%s/users" % TENANT, json={"items": [USER]})
    http.get(API + "/users", json={"items": [user()]})
    created, adopted = users.create_user(client, {"tenant_id": TENANT, "login": "jdoe"})
    assert (created["id"], adopted) == (USER, ADOPTED_OTHER_WRITER)
    assert client.concurrency["other_writers"] == ["created user 'jdoe' in tenant %s" % TENANT]


def test_a_login_of_a_user_of_another_tenant_is_a_real_conflict(client, http):
    http.post(API + "/users", status_code=409, json={"error": {"code": 409, "message": "The login is already taken."}})
    http.get(API + "/tenants/%s/users" % TENANT, json={"items": []})
    with pytest.raises(AcronisAPIError) as info:
        users.create_user(client, {"tenant_id": TENANT, "login": "jdoe"})
    assert info.value.conflict
    assert client.concurrency["other_writers"] == []
