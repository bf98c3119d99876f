# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_service_user_login: the 301 of seed 003, never followed; the link kept out of messages."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_service_user_login
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.modules.conftest import BASE_URL, TENANT, api_calls

LOGIN = BASE_URL + "/api/application_manager/v2/application/vendor.app/service_user:login"
LINK = "https://dc.example.test/ui/ott-login?ott=s3cr3t-0tt"
ARGS = {"vendor_app_code": "vendor.app", "tenant_id": TENANT, "external_id": "service_user_1"}


def test_login_returns_the_location_without_following_it(run_module, http):
    http.get(LOGIN, status_code=301, headers={"Location": LINK})
    # following the redirect would hit this unregistered URL and raise NoMockAddress
    out = run_module(acronis_service_user_login, ARGS)
    assert not out.failed and out.result["changed"] is False
    assert out.result["login_url"] == LINK
    assert out.result["service_user"] == ARGS
    (call,) = api_calls(http)
    assert call.qs == {"tenant_id": [TENANT.lower()], "purpose": ["login"], "external_id": ["service_user_1"]}
    assert call.headers["Authorization"] == "Bearer tok"


def test_check_mode_issues_no_link(run_module, http):
    out = run_module(acronis_service_user_login, ARGS, check_mode=True)
    assert out.result == {"changed": False, "login_url": None, "service_user": ARGS}
    assert api_calls(http) == []


def test_a_cyberapp_without_edr_access_fails_with_the_services_answer(run_module, http):
    http.get(LOGIN, status_code=403, json={"error": {"code": 403, "message": "Forbidden", "domain": "ApplicationManager",
                                                     "details": {"info": "Only for CyberApps with EDR access"}}})
    out = run_module(acronis_service_user_login, ARGS)
    assert out.failed
    assert out.result["msg"].startswith("Failed to log the service user 'service_user_1' of CyberApp 'vendor.app' in to "
                                        "tenant %s: GET /api/application_manager/v2/application/vendor.app/"
                                        "service_user:login: HTTP 403" % TENANT)


def test_an_answer_without_a_link_fails_without_leaking(run_module, http):
    http.get(LOGIN, status_code=200, json={"url": LINK})
    out = run_module(acronis_service_user_login, ARGS)
    assert out.failed and "answered HTTP 200 without a login link" in out.result["msg"]
    assert "s3cr3t" not in json.dumps(out.result)


def test_bad_input_sends_nothing(run_module, http):
    out = run_module(acronis_service_user_login, dict(ARGS, tenant_id="acme"))
    assert out.failed and "Option tenant_id must be a UUID (the id of a tenant)" in out.result["msg"]
    out = run_module(acronis_service_user_login, dict(ARGS, external_id="  "))
    assert out.failed and "Option external_id is blank" in out.result["msg"]
    assert api_calls(http) == []
