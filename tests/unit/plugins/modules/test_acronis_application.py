# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_application: enable, disable, purge, check mode, diff, idempotence, bad input."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_application
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.modules.conftest import API, TENANT, api_calls, writes

PARENT = "5c1d5e8a-0000-4000-8000-0000000000aa"
CP = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
FC = "f9c1cd44-3b5c-4e7a-9a6f-5d3c2a1b0e87"
PLATFORM = "2b9a6d0e-8f1c-4c53-9d3e-7a4b5c6d7e8f"
CATALOG = [{"id": CP, "name": "Cyber Protection", "type": "backup"},
           {"id": FC, "name": "Cyber Files Cloud", "type": "files_cloud"},
           {"id": PLATFORM, "name": "Platform", "type": "platform"}]


def _binding(app, tenant=TENANT):
    return "%s/applications/%s/bindings/tenants/%s" % (API, app, tenant)


@pytest.fixture
def world(http):
    """The catalog, a tenant with the platform and Cyber Files Cloud, and its parent with everything."""
    http.get(API + "/applications", json={"items": CATALOG})
    http.get(API + "/tenants/%s/applications" % TENANT, json={"items": [PLATFORM, FC]})
    http.get(API + "/tenants/%s" % TENANT, json={"id": TENANT, "parent_id": PARENT})
    http.get(API + "/tenants/%s/applications" % PARENT, json={"items": [PLATFORM, CP, FC]})
    http.post(_binding(CP), status_code=204)
    http.delete(_binding(CP), status_code=204)
    http.delete(_binding(FC), status_code=204)
    return http


def test_enable_by_name_case_insensitive(run_module, world):
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["cyber protection", FC]}, diff=True)
    assert not out.failed and out.result["changed"]
    assert out.result["enabled"] == ["Cyber Protection"] and out.result["disabled"] == []
    assert sorted(a["name"] for a in out.result["applications"]) == ["Cyber Files Cloud", "Cyber Protection", "Platform"]
    assert out.result["diff"] == {"before": {"applications": ["Cyber Files Cloud", "Platform"]},
                                  "after": {"applications": ["Cyber Files Cloud", "Cyber Protection", "Platform"]}}
    assert [(r.method, r.url) for r in writes(world)] == [("POST", _binding(CP))]


def test_check_mode_predicts_and_writes_nothing(run_module, world):
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["Cyber Protection"]}, check_mode=True)
    assert out.result["changed"] and out.result["enabled"] == ["Cyber Protection"]
    assert writes(world) == []


def test_already_enabled_is_a_no_op(run_module, world):
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["Cyber Files Cloud"]})
    assert out.result["changed"] is False and out.result["enabled"] == []
    assert writes(world) == []


def test_purge_keeps_only_what_is_listed_and_the_platform(run_module, world):
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["Cyber Protection"], "purge": True})
    assert out.result["enabled"] == ["Cyber Protection"] and out.result["disabled"] == ["Cyber Files Cloud"]
    assert [(r.method, r.url) for r in writes(world)] == [("POST", _binding(CP)), ("DELETE", _binding(FC))]


def test_disable_all_applications_like_the_seed(run_module, world):
    out = run_module(acronis_application, {"tenant_id": TENANT, "state": "disabled", "purge": True})
    assert out.result["changed"] and out.result["disabled"] == ["Cyber Files Cloud"]
    assert [a["type"] for a in out.result["applications"]] == ["platform"]
    assert [(r.method, r.url) for r in writes(world)] == [("DELETE", _binding(FC))]


def test_disabling_what_is_not_enabled_is_a_no_op(run_module, world):
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["Cyber Protection"], "state": "disabled"})
    assert out.result["changed"] is False
    assert writes(world) == []


def test_check_mode_on_a_tenant_that_would_be_created(run_module, http):
    http.get(API + "/applications", json={"items": CATALOG})
    tenant = placeholder_id("tenant", "new customer")
    out = run_module(acronis_application, {"tenant_id": tenant, "applications": ["Cyber Protection"]}, check_mode=True)
    assert out.result["changed"] and out.result["enabled"] == ["Cyber Protection"]
    assert [r.path for r in api_calls(http)] == ["/api/2/applications"]


@pytest.mark.parametrize("args, text", [
    ({"applications": ["Cyber Coffee"]}, "Unknown application(s) 'Cyber Coffee'"),
    ({"applications": ["Platform"], "state": "disabled"}, "platform application cannot be disabled"),
    ({"applications": ["Cyber Protection"], "state": "disabled", "purge": True}, "leave applications empty"),
    ({}, "Set applications"),
])
def test_bad_input_writes_nothing(run_module, world, args, text):
    args = dict(args, tenant_id=TENANT)
    out = run_module(acronis_application, args)
    assert out.failed and text in out.result["msg"]
    assert writes(world) == []


def test_bad_tenant_ids(run_module, http):
    out = run_module(acronis_application, {"tenant_id": "acme", "applications": ["Cyber Protection"]})
    assert out.failed and "Option tenant_id must be a UUID (the id of a tenant)" in out.result["msg"]
    out = run_module(acronis_application, {"tenant_id": placeholder_id("tenant", "x"), "applications": ["Cyber Protection"]})
    assert out.failed and "placeholder" in out.result["msg"]
    assert api_calls(http) == []


def test_the_parent_must_have_the_application(run_module, http):
    http.get(API + "/applications", json={"items": CATALOG})
    http.get(API + "/tenants/%s/applications" % TENANT, json={"items": [PLATFORM]})
    http.get(API + "/tenants/%s" % TENANT, json={"id": TENANT, "parent_id": PARENT})
    http.get(API + "/tenants/%s/applications" % PARENT, json={"items": [PLATFORM, FC]})
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["Cyber Files Cloud", "Cyber Protection"]})
    assert out.failed and "parent tenant does not have Cyber Protection" in out.result["msg"]
    assert writes(http) == []


def test_a_parent_the_caller_cannot_read_is_left_to_the_service(run_module, http):
    http.get(API + "/applications", json={"items": CATALOG})
    http.get(API + "/tenants/%s/applications" % TENANT, json={"items": [PLATFORM]})
    http.get(API + "/tenants/%s" % TENANT, json={"id": TENANT, "parent_id": PARENT})
    http.get(API + "/tenants/%s/applications" % PARENT, status_code=403,
             json={"error": {"code": 1002, "message": "Access denied."}})
    http.post(_binding(CP), status_code=403, json={"error": {"code": 1013, "message": "Not available in the parent."}})
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["Cyber Protection"]})
    assert out.failed
    assert out.result["msg"].startswith("Failed to enable Cyber Protection for tenant %s: POST" % TENANT)
    assert "HTTP 403, error 1013" in out.result["msg"] and out.result["enabled"] == []


def test_unknown_tenant(run_module, http):
    http.get(API + "/applications", json={"items": CATALOG})
    http.get(API + "/tenants/%s/applications" % TENANT, status_code=404,
             json={"error": {"code": 1005, "message": "The tenant was not found."}})
    out = run_module(acronis_application, {"tenant_id": TENANT, "applications": ["Cyber Protection"]})
    assert out.failed and out.result["msg"].startswith("Failed to read the applications of tenant %s" % TENANT)
    assert writes(http) == []
