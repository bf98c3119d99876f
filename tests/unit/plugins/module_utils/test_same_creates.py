# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Two writers create the same object at the same moment and the API keeps both (plans by name, a tenant's monthly
report by kind): ``AcronisClient.keep_one`` and its use by protection.py and reports.py, against mocked HTTP.
The task keeps the oldest (created_at, then the API's order), deletes only its own creation, and says so."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs, urlparse

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import protection, reports
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import API, BASE_URL, api_calls

POLICIES_URL = BASE_URL + "/api/policy_management/v4/policies"
OURS = "5b15f6e1-88ec-4dce-b523-0e8394c0bc19"
THEIRS = "0a8c0f7e-7d65-4c43-9a60-0ab6cbb3e2a1"
OTHER = "ffd1e1f6-8c37-4d5e-9a0c-6a2d5c36f9b2"
TENANT = "2a91a14d-ffd3-4ac1-9b4d-3990162c5acc"


@pytest.fixture
def client(make_client, tokens):
    return make_client()


def deletes(http):
    return [r for r in api_calls(http) if r.method == "DELETE"]


# ------------------------------------------------------------------ the rule

def test_one_object_is_kept_as_it_is(client):
    ours = {"id": OURS}
    assert client.keep_one("plan 'p'", ours, [{"id": OURS}], lambda o: pytest.fail("nothing to delete")) is ours
    assert client.concurrency["other_writers"] == []


def test_the_oldest_is_kept_and_ours_deleted_when_it_is_the_younger(client):
    removed = []
    same = [{"id": OURS, "created_at": "2026-12-06T11:00:00.200000+00:00"},
            {"id": THEIRS, "created_at": "2026-12-06T11:00:00.100000+00:00"}]
    kept = client.keep_one("plan 'p'", {"id": OURS}, same, removed.append)
    assert kept["id"] == THEIRS
    assert removed == [{"id": OURS}]
    assert client.concurrency["other_writers"] == [
        "another writer created the same plan 'p' at the same moment; kept the older one (%s), removed ours (%s)"
        % (THEIRS, OURS)]


def test_ours_is_kept_when_it_is_the_oldest_and_the_other_is_never_deleted(client):
    same = [{"id": THEIRS, "created_at": "2026-12-06T11:00:01+00:00"},
            {"id": OURS, "created_at": "2026-12-06T11:00:00+00:00"}]
    ours = {"id": OURS}
    assert client.keep_one("plan 'p'", ours, same, lambda o: pytest.fail("another's object deleted")) is ours
    assert client.concurrency["other_writers"] == [
        "another writer created the same plan 'p' at the same moment (%s); kept ours (%s), the older one, and left "
        "the other to its writer" % (THEIRS, OURS)]


def test_without_created_at_the_first_in_the_api_s_order_is_kept(client):
    removed = []
    kept = client.keep_one("report", {"id": OURS}, [{"id": OTHER}, {"id": OURS}, {"id": THEIRS}], removed.append)
    assert kept == {"id": OTHER}
    assert removed == [{"id": OURS}]


def test_equal_created_at_falls_back_to_the_api_s_order(client):
    removed = []
    stamp = "2026-12-06T11:00:00+00:00"
    kept = client.keep_one("plan", {"id": OURS}, [{"id": THEIRS, "created_at": stamp},
                                                  {"id": OURS, "created_at": stamp}], removed.append)
    assert kept["id"] == THEIRS and removed == [{"id": OURS}]


def test_ours_already_gone_is_not_deleted_again(client):
    kept = client.keep_one("plan", {"id": OURS}, [{"id": THEIRS}, {"id": OTHER}], lambda o: pytest.fail("deleted"))
    assert kept == {"id": THEIRS}
    assert "ours (%s) is already gone" % OURS in client.concurrency["other_writers"][0]


# ------------------------------------------------------------------ protection plans

def policies(plan_id, name, created_at, enabled=True):
    return {"policy": [{"id": plan_id, "type": protection.TOTAL, "name": name, "enabled": enabled,
                        "tenant_id": "42", "created_at": created_at}]}


def test_a_plan_created_twice_keeps_the_older_and_deletes_ours(client, http):
    http.get(POLICIES_URL, json={"items": [
        policies(OURS, "p", "2026-12-06T11:00:00.5+00:00"),
        policies(THEIRS, "p", "2026-12-06T11:00:00.4+00:00", enabled=False),
        policies(OTHER, "another name", "2026-12-06T10:00:00+00:00"),
    ]})
    http.delete(POLICIES_URL + "/" + OURS, status_code=204)
    ours = {"id": OURS, "name": "p", "enabled": True, "tenant_id": None, "policies": []}
    kept = protection.keep_one_plan(client, ours, "protection plan 'p'")
    assert kept == {"id": THEIRS, "name": "p", "enabled": False, "tenant_id": "42", "policies": []}
    assert [r.path for r in deletes(http)] == ["/api/policy_management/v4/policies/" + OURS]


def test_a_plan_created_alone_is_ours_with_no_delete(client, http):
    http.get(POLICIES_URL, json={"items": [policies(OURS, "p", "2026-12-06T11:00:00+00:00")]})
    ours = {"id": OURS, "name": "p", "enabled": True, "tenant_id": None, "policies": []}
    assert protection.keep_one_plan(client, ours, "protection plan 'p'") is ours
    assert deletes(http) == [] and len(api_calls(http)) == 1


# ------------------------------------------------------------------ monthly reports

def report(report_id, kind="usage_current", schedule_type="monthly", version=1):
    return {"id": report_id, "version": version, "parameters": {"tenant_id": TENANT, "kind": kind},
            "schedule": {"type": schedule_type, "enabled": True}}


def test_a_monthly_report_created_twice_keeps_the_first_listed_and_deletes_ours_at_its_version(client, http):
    http.get(API + "/tenants/%s/reports" % TENANT, json={"items": [OTHER, THEIRS, OURS]})
    http.get(API + "/reports/" + OTHER, json=report(OTHER, kind="usage_daily"))
    http.get(API + "/reports/" + THEIRS, json=report(THEIRS))
    http.get(API + "/reports/" + OURS, json=report(OURS))
    http.delete(API + "/reports/" + OURS, status_code=204)
    kept = reports.keep_one_scheduled_report(client, report(OURS), TENANT, "monthly usage_current report")
    assert kept["id"] == THEIRS
    (delete,) = deletes(http)
    assert delete.path == "/api/2/reports/" + OURS
    assert parse_qs(urlparse(delete.url).query) == {"version": ["1"]}
