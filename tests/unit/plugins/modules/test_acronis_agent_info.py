# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_agent_info's run(module) against a mocked HTTP layer: the query it sends, the bound, bad input."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs, urlparse

import pytest
import requests_mock

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_uuid
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_agent_info as module_under_test

BASE_URL = "https://dc.example.test"
AGENTS_URL = BASE_URL + "/api/agent_manager/v2/agents"
TENANT = "4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad"
DEFAULTS = {"tenant_id": None, "hostname": None, "hostname_match": "exact", "os_family": None, "online": None,
            "up_to_date": None, "units": None, "order": None, "limit": 100, "page_size": 100, "after": None}


class FakeModule:
    """What run(module) uses of AcronisModule: params, check_mode, client, warn and the placeholder rule."""

    preview_of_new = AcronisModule.preview_of_new

    def __init__(self, check_mode=False, **params):
        self.params = dict(DEFAULTS, **params)
        self.check_mode = check_mode
        self._diff = False
        self.warnings = []
        self.client = AcronisClient(BASE_URL, client_id="cid", client_secret="secret", backoff_retries=0)

    def check_uuid(self, value, what, of=None):
        check_uuid(value, what, self.check_mode, of=of)

    def warn(self, warning):
        self.warnings.append(warning)


@pytest.fixture
def http():
    with requests_mock.Mocker() as mocker:
        mocker.post(BASE_URL + "/api/2/idp/token", json={"access_token": "tok", "token_type": "bearer",
                                                         "expires_on": 4102444800, "id_token": "id"})
        yield mocker


def agent_requests(http):
    return [parse_qs(urlparse(r.url).query) for r in http.request_history if r.path.endswith("/agents")]


def test_filters_become_the_documented_query(http):
    http.get(AGENTS_URL, json={"items": [{"id": "a1", "hostname": "web-1"}], "paging": {"cursors": {}}})
    result = module_under_test.run(FakeModule(tenant_id=TENANT, hostname="web", hostname_match="contains",
                                              os_family="WINDOWS", online=True, units=["atp"], order="asc", limit=5))
    assert result == {"changed": False, "agents": [{"id": "a1", "hostname": "web-1"}], "truncated": False,
                      "next_cursor": None, "count": 1}
    assert agent_requests(http) == [{"tenant_id": [TENANT], "hostname": ["like(web)"], "os_family": ["WINDOWS"],
                                     "online": ["true"], "unit": ["atp"], "order": ["asc(hostname)"], "limit": ["5"]}]


def test_the_limit_stops_the_listing_and_gives_the_cursor(http):
    http.get(AGENTS_URL, [{"json": {"items": [{"id": "a1"}, {"id": "a2"}], "paging": {"cursors": {"after": "c1"}}}}])
    result = module_under_test.run(FakeModule(limit=2, page_size=50))
    assert result["truncated"] is True and result["next_cursor"] == "c1"
    # count is deprecated but still returned
    assert len(result["agents"]) == result["count"] == 2
    assert agent_requests(http) == [{"limit": ["2"]}]


def test_a_continuation_sends_the_cursor_alone(http):
    http.get(AGENTS_URL, json={"items": [{"id": "a3"}], "paging": {"cursors": {}}})
    result = module_under_test.run(FakeModule(after="c1", limit=2))
    assert result["agents"] == [{"id": "a3"}] and result["truncated"] is False and result["next_cursor"] is None
    assert agent_requests(http) == [{"after": ["c1"], "limit": ["2"]}]


def test_a_continuation_refuses_filters(http):
    with pytest.raises(AcronisFailure, match="Option after continues an earlier listing .* do not set hostname, "
                                             "online with it"):
        module_under_test.run(FakeModule(after="c1", hostname="web", online=False))
    assert http.request_history == []


def test_a_placeholder_tenant_has_no_agents_and_sends_nothing(http):
    module = FakeModule(tenant_id="00000000-0000-0000-c4ec-0123456789ab", check_mode=True)
    result = module_under_test.run(module)
    assert result == {"changed": False, "agents": [], "truncated": False, "next_cursor": None, "count": 0}
    assert http.request_history == []
    assert len(module.warnings) == 1 and module.warnings[0].startswith("Check mode preview: tenant_id ")


def test_a_placeholder_tenant_is_refused_outside_check_mode(http):
    with pytest.raises(AcronisFailure, match="placeholder .* run without --check"):
        module_under_test.run(FakeModule(tenant_id="00000000-0000-0000-c4ec-0123456789ab"))
    assert http.request_history == []


@pytest.mark.parametrize("params, words", [
    ({"limit": 0}, "limit"),
    ({"limit": 10001}, "limit"),
    ({"page_size": 1001}, "page_size"),
    ({"tenant_id": "acme"}, r"tenant_id must be a UUID \(the id of a tenant\) like"),
    ({"hostname": "like(web)"}, "hostname is 'like\\(web\\)', which holds the service's filter syntax"),
    ({"after": "c1", "os_family": "LINUX"}, "os_family"),
])
def test_bad_input_fails_before_any_request(http, params, words):
    fake = FakeModule(**params)
    with pytest.raises(AcronisFailure, match=words):
        validation.check_declared(fake, module_under_test.OPTION_KINDS)
        module_under_test.run(fake)
    assert http.request_history == []
