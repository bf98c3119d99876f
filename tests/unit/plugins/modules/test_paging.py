# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The info modules' one paging shape: every module that lists documents limit through the paging fragment and
returns truncated; the search and the users of a tenant say when they were cut."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import yaml

from ansible_collections.acronis.cyber_platform.plugins.modules import (
    acronis_activity_info, acronis_agent_info, acronis_alert_info, acronis_protection_plan_info,
    acronis_resource_info, acronis_search_info, acronis_task_info, acronis_user_info)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.modules.conftest import API, TENANT, api_calls

LISTING = [acronis_activity_info, acronis_agent_info, acronis_alert_info, acronis_protection_plan_info,
           acronis_resource_info, acronis_search_info, acronis_task_info, acronis_user_info]
CURSOR = [acronis_activity_info, acronis_agent_info, acronis_alert_info, acronis_task_info]


@pytest.mark.parametrize("module", LISTING, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_listing_module_has_the_shape(module):
    doc = yaml.safe_load(module.DOCUMENTATION)
    returned = yaml.safe_load(module.RETURN)
    assert "acronis.cyber_platform.paging" in doc["extends_documentation_fragment"]
    assert returned["truncated"]["type"] == "bool" and returned["truncated"]["returned"] == "always"
    if module in CURSOR:
        assert "acronis.cyber_platform.paging.cursor" in doc["extends_documentation_fragment"]
        assert returned["next_cursor"]["type"] == "str"


def test_search_asks_one_more_and_says_it_was_truncated(run_module, http):
    http.get(API + "/search", json={"items": [{"obj_type": "tenant", "id": str(n)} for n in range(3)]})
    out = run_module(acronis_search_info, {"text": "acme", "tenant_id": TENANT, "limit": 2})
    assert [r["id"] for r in out.result["results"]] == ["0", "1"] and out.result["truncated"] is True
    (call,) = api_calls(http)
    assert call.qs["limit"] == ["3"]


def test_search_that_found_no_more_is_not_truncated(run_module, http):
    http.get(API + "/search", json={"items": [{"obj_type": "user", "id": "u"}]})
    out = run_module(acronis_search_info, {"text": "jdoe", "tenant_id": TENANT, "limit": 1})
    assert out.result["results"] == [{"obj_type": "user", "id": "u"}] and out.result["truncated"] is False


@pytest.mark.parametrize("limit, offset, returned, truncated, next_offset", [
    (2, 0, ["a", "b"], True, 2),
    (2, 2, ["c"], False, None),
    (0, 0, ["a", "b", "c"], False, None),
])
def test_users_of_a_tenant_say_when_more_follow(run_module, http, limit, offset, returned, truncated, next_offset):
    http.get(API + "/tenants/%s/users" % TENANT, json={"items": ["1", "2", "3"]})
    logins = {"1": "a", "2": "b", "3": "c"}
    http.get(API + "/users", json=lambda request, context: {"items": [
        {"id": i, "login": logins[i]} for i in request.qs["uuids"][0].split(",")]})
    out = run_module(acronis_user_info, {"tenant_id": TENANT, "limit": limit, "offset": offset})
    assert [u["login"] for u in out.result["users"]] == returned
    assert out.result["truncated"] is truncated and out.result["next_offset"] == next_offset
