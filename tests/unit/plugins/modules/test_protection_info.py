# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_resource_info and acronis_protection_plan_info: run(module) against a mocked HTTP layer."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random
from urllib.parse import parse_qs, urlparse

import pytest
import requests_mock

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_uuid
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_protection_plan_info as plan_info
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_resource_info as resource_info

BASE_URL = "https://dc.example.test"
RESOURCES_URL = BASE_URL + "/api/resource_management/v4/resources"
STATUSES_URL = BASE_URL + "/api/resource_management/v4/resource_statuses"
POLICIES_URL = BASE_URL + "/api/policy_management/v4/policies"
CUSTOMER = "2a91a14d-ffd3-4ac1-9b4d-3990162c5acc"
M1 = "5c350066-2ba6-4eeb-aa91-1213dd35f033"
M2 = "c70134c4-a244-4b22-99ad-e081301f7530"
GROUP = "301d1574-849e-4714-859f-3a2ec12a218b"
PLAN = "5b15f6e1-88ec-4dce-b523-0e8394c0bc19"


class FakeModule:
    preview_of_new = AcronisModule.preview_of_new

    def __init__(self, defaults, check_mode=False, **params):
        self.params = dict(defaults, **params)
        self.check_mode = check_mode
        self.warnings = []
        self.client = AcronisClient(BASE_URL, client_id="cid", client_secret="secret", sleep=lambda s: None,
                                    rng=random.Random(1), clock=lambda: 1700000000.0)

    def check_uuid(self, value, what, of=None):
        check_uuid(value, what, self.check_mode, of=of)

    def warn(self, warning):
        self.warnings.append(warning)


RESOURCE_OPTIONS = dict(tenant_id=CUSTOMER, type=None, name=None, id=None, protection_status=None,
                        include_attributes=False, with_status=True, limit=100)
PLAN_OPTIONS = dict(tenant_id=CUSTOMER, name=None, id=None, limit=100)


@pytest.fixture
def http():
    with requests_mock.Mocker() as mocker:
        mocker.post(BASE_URL + "/api/2/idp/token", json={"access_token": "tok", "expires_on": 1700007200})
        yield mocker


def status(resource_id, value):
    return {"context": {"id": resource_id}, "aggregate": {"status": value, "names": "Nightly"},
            "policies": [{"type": "policy.backup.machine", "last_success_run": None}]}


def test_a_machines_plans_are_a_list_of_ids_and_names_each_once(http):
    http.get(RESOURCES_URL, json={"items": [{"id": M1, "type": "resource.machine", "name": "a"}],
                                  "paging": {"cursors": {}}})
    first, second = "0e5c1a36-6f3c-4bd2-9a8e-2d7e8f3b9c11", "5b15f6e1-88ec-4dce-b523-0e8394c0bc19"
    policies = [{"id": "p1", "type": "policy.backup.machine", "parent_ids": [first], "names": ["Nightly"]},
                {"id": "p2", "type": "policy.security.antivirus", "parent_ids": [first], "names": ["Nightly"]},
                {"id": "p3", "type": "policy.backup.machine", "parent_ids": [second], "names": ["Weekly, offsite"]}]
    http.get(STATUSES_URL, json={"items": [{"context": {"id": M1}, "policies": policies,
                                            "aggregate": {"status": "ok", "names": "Nightly, Weekly, offsite"}}],
                                 "paging": {"cursors": {}}})
    result = resource_info.run(FakeModule(RESOURCE_OPTIONS))
    assert result["resources"][0]["protection"]["plans"] == [{"id": first, "name": "Nightly"},
                                                             {"id": second, "name": "Weekly, offsite"}]


def test_machines_get_their_status_and_groups_none(http):
    http.get(RESOURCES_URL, json={"items": [{"id": GROUP, "type": "resource.group.computers", "name": "g"},
                                            {"id": M1, "type": "resource.machine", "name": "a"}],
                                  "paging": {"cursors": {}}})
    http.get(STATUSES_URL, json={"items": [status(M1, "ok")], "paging": {"cursors": {}}})
    result = resource_info.run(FakeModule(RESOURCE_OPTIONS))
    expected = {"status": "ok", "plans": [], "policies": [{"type": "policy.backup.machine", "last_success_run": None}]}
    assert [r["protection"] for r in result["resources"]] == [None, expected]
    statuses_request = [r for r in http.request_history if r.url.startswith(STATUSES_URL)][0]
    assert parse_qs(urlparse(statuses_request.url).query)["context_id"] == [M1]


def test_a_status_filter_reads_the_statuses_first(http):
    http.get(STATUSES_URL, json={"items": [status(M1, "ok"), status(M2, "not_protected")], "paging": {"cursors": {}}})
    http.get(RESOURCES_URL, json={"items": [{"id": M2, "type": "resource.machine", "name": "b"}],
                                  "paging": {"cursors": {}}})
    result = resource_info.run(FakeModule(RESOURCE_OPTIONS, protection_status=["not_protected"]))
    assert [r["id"] for r in result["resources"]] == [M2]
    assert result["resources"][0]["protection"]["status"] == "not_protected"
    resources_request = [r for r in http.request_history if r.url.startswith(RESOURCES_URL)][0]
    assert parse_qs(urlparse(resources_request.url).query)["id"] == [M2]


@pytest.mark.parametrize("params, words", [
    (dict(limit=0), "Option limit must be from 1 to 1000"),
    (dict(id=["SRV-01"]), "Option id[1] must be a UUID (the id of a resource) like 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb, got 'SRV-01'"),
])
def test_resource_info_refuses_bad_input_before_any_request(http, params, words):
    fake = FakeModule(RESOURCE_OPTIONS, **params)
    with pytest.raises(AcronisFailure) as failure:
        validation.check_declared(fake, resource_info.OPTION_KINDS)
        resource_info.run(fake)
    assert words in failure.value.msg
    assert http.request_history == []


def test_plans_carry_their_applied_resources(http):
    root = {"id": PLAN, "type": "policy.protection.total", "name": "Nightly", "enabled": True, "tenant_id": "17",
            "applied_context": [{"id": M2}, {"id": M1}]}
    http.get(POLICIES_URL, json={"items": [{"policy": [root]}], "paging": {"cursors": {"after": "next"}}})
    result = plan_info.run(FakeModule(PLAN_OPTIONS, limit=1))
    assert result["plans"] == [{"id": PLAN, "name": "Nightly", "enabled": True, "tenant_id": "17", "policies": [],
                                "resources": sorted([M1, M2])}]
    assert result["truncated"]
    first, second = [r for r in http.request_history if r.url.startswith(POLICIES_URL)]
    query = parse_qs(urlparse(first.url).query)
    assert query["include_applied_context"] == ["true"] and query["types"] == ["policy.protection.total"]
    # one plan more than the limit is read from the next page, to say the list was truncated
    assert parse_qs(urlparse(second.url).query) == {"limit": ["100"], "after": ["next"]}


NEW_CUSTOMER = "00000000-0000-0000-c4ec-0123456789ab"


@pytest.mark.parametrize("module_under_test, options, expected", [
    (resource_info, RESOURCE_OPTIONS, {"resources": [], "truncated": False}),
    (plan_info, PLAN_OPTIONS, {"plans": [], "truncated": False}),
])
def test_a_placeholder_tenant_is_a_preview_without_any_request(http, module_under_test, options, expected):
    """No scoped token for a tenant that does not exist yet: the service would refuse it (issue 24)."""
    module = FakeModule(options, check_mode=True, tenant_id=NEW_CUSTOMER)
    assert module_under_test.run(module) == dict(expected, changed=False)
    assert http.request_history == []
    assert len(module.warnings) == 1 and "Check mode preview: tenant_id %s" % NEW_CUSTOMER in module.warnings[0]
