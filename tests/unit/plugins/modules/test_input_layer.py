# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 28, through a module's main(): the credentials file named, look-alike names warned, check mode refusing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.modules import (
    acronis_service_user_login,
    acronis_tenant,
    acronis_tenant_info,
)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.modules.conftest import API, BASE_URL, TENANT

PARENT = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"


def test_a_refused_secret_from_the_credentials_file_names_the_file(run_module, http, tmp_path):
    path = tmp_path / "credentials.json"
    path.write_text(json.dumps({"base_url": BASE_URL, "client_id": "cid", "client_secret": "old-secret"}))
    http.post(API + "/idp/token", status_code=401,
              json={"error": "invalid_client", "error_description": "Client authentication failed"})
    out = run_module(acronis_tenant_info, {"base_url": None, "client_id": None, "client_secret": None,
                                           "credentials_file": str(path), "id": TENANT})
    assert out.failed
    assert "client authentication failed" in out.result["msg"].lower()
    assert "client_id and client_secret came from credentials_file %s" % path in out.result["msg"]
    assert "old-secret" not in out.result["msg"]


def test_a_refused_secret_given_as_an_option_names_no_file(run_module, http):
    http.post(API + "/idp/token", status_code=401,
              json={"error": "invalid_client", "error_description": "Client authentication failed"})
    out = run_module(acronis_tenant_info, {"id": TENANT})
    assert out.failed and "credentials_file" not in out.result["msg"]


def test_a_base_url_with_a_path_fails_before_any_request(run_module, http):
    out = run_module(acronis_tenant_info, {"base_url": BASE_URL + "/ui/#/login", "id": TENANT})
    assert out.failed and "Option base_url" in out.result["msg"] and "root of your data center" in out.result["msg"]
    assert http.request_history == []


def test_a_long_external_id_is_refused_in_check_mode_as_in_the_real_run(run_module, http):
    for check_mode in (True, False):
        out = run_module(acronis_service_user_login, {"vendor_app_code": "app", "tenant_id": TENANT,
                                                      "external_id": "e" * 3000}, check_mode=check_mode)
        assert out.failed and "Option external_id has 3000 characters" in out.result["msg"]
        assert len(out.result["msg"]) < 300
    assert http.request_history == []


def serve_children(http, names):
    children = [{"id": "%08d-0000-4000-8000-000000000000" % index, "name": name, "parent_id": PARENT,
                 "kind": "customer", "enabled": True}
                for index, name in enumerate(names)]
    http.get(re.compile(re.escape(API + "/search")), json={"items": []})
    http.get(re.compile(re.escape(API + "/tenants?")), json={"items": children, "paging": {"cursors": {}}})


@pytest.fixture
def warnings(monkeypatch):
    """The warnings the module gives (run_module's exit_json leaves them out of the result)."""
    given = []
    monkeypatch.setattr(AcronisModule, "warn", lambda self, warning, *args, **kwargs: given.append(warning))
    return given


def test_a_look_alike_of_a_sibling_warns_naming_both(run_module, http, warnings):
    serve_children(http, ["Acme", "Globex"])
    out = run_module(acronis_tenant, {"name": u"\u0410cme", "parent_id": PARENT, "kind": "customer"},
                     check_mode=True)
    assert not out.failed and out.result["changed"]
    assert len(warnings) == 1 and "looks the same" in warnings[0]
    assert "'\\u0410cme'" in warnings[0] and "'Acme'" in warnings[0] and PARENT in warnings[0]


def test_a_distinct_name_does_not_warn(run_module, http, warnings):
    serve_children(http, ["Acme", "Globex"])
    out = run_module(acronis_tenant, {"name": u"Init\u00e9ch", "parent_id": PARENT, "kind": "customer"},
                     check_mode=True)
    assert not out.failed and out.result["changed"] and warnings == []


def test_an_ascii_name_costs_no_listing_of_the_siblings(run_module, http, warnings):
    serve_children(http, [u"\u0410cme"])
    out = run_module(acronis_tenant, {"name": "Initech", "parent_id": PARENT, "kind": "customer"}, check_mode=True)
    listings = [r for r in http.request_history if r.path == "/api/2/tenants" and "lod=basic" in r.url]
    before = len(listings)
    assert not out.failed and warnings == []
    out = run_module(acronis_tenant, {"name": u"Init\u0435ch", "parent_id": PARENT, "kind": "customer"},
                     check_mode=True)
    after = len([r for r in http.request_history if r.path == "/api/2/tenants" and "lod=basic" in r.url])
    # The same task with a name beyond ASCII lists the siblings once more than with an ASCII name.
    assert after - before == before + 1


def test_a_yaml_boolean_as_a_tenant_name_is_refused(run_module, http):
    out = run_module(acronis_tenant, {"name": False, "parent_id": PARENT, "kind": "customer"})
    assert out.failed and "Option name must be a string as written" in out.result["msg"]
    assert http.request_history == []
