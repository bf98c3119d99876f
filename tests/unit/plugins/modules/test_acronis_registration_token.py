# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_registration_token's run(module) against a mocked HTTP layer: reuse, force, check mode, revocation,
and bad input failing before any request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

import pytest
import requests_mock

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_uuid
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_registration_token as module_under_test

BASE_URL = "https://dc.example.test"
API = BASE_URL + "/api/2"
TENANT = "4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad"
PERSONAL = "8d2f0a57-6c1b-4f0a-b7de-3a1c9e2f4b60"
USER = "0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21"
SCOPE = "urn:acronis.com:tenant-id::backup_agent_admin"
DEFAULTS = {"tenant_id": None, "user": None, "scopes": None, "expires_in": 3600, "min_validity": None, "force": False,
            "state": "present"}


def stamp(seconds_from_now):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def listed(token_id, age, lifetime, scopes=(), value="AAAA-BBBB-CCCC"):
    return {"id": token_id, "token": value, "created_at": stamp(-age), "expires_at": stamp(lifetime - age),
            "tenant_id": "11", "tenant_uuid": TENANT, "scopes": list(scopes)}


class FakeModule:
    """What run(module) uses of AcronisModule: params, check_mode, _diff and client."""

    def __init__(self, check_mode=False, diff=False, **params):
        self.params = dict(DEFAULTS, **params)
        self.check_mode = check_mode
        self._diff = diff
        self.client = AcronisClient(BASE_URL, client_id="cid", client_secret="secret", read_only=check_mode,
                                    backoff_retries=0)

    def check_uuid(self, value, what, of=None):
        check_uuid(value, what, self.check_mode, of=of)


@pytest.fixture
def http():
    with requests_mock.Mocker() as mocker:
        mocker.post(API + "/idp/token", json={"access_token": "tok", "token_type": "bearer",
                                              "expires_on": 4102444800, "id_token": "id"})
        yield mocker


def writes(http):
    return [r for r in http.request_history if r.method != "GET" and not r.path.endswith("/idp/token")]


def test_a_matching_token_is_reused_without_a_write(http):
    http.get(API + "/tenants/%s/registration_tokens" % TENANT,
             json={"items": [listed(1, 600, 3600, value="OLD1-OLD1-OLD1"), listed(2, 60, 3600, value="NEW2-NEW2-NEW2")]})
    result = module_under_test.run(FakeModule(tenant_id=TENANT))
    assert result["changed"] is False and result["reused"] is True
    assert result["token"] == "NEW2-NEW2-NEW2"
    assert result["registration_token"]["id"] == 2 and "token" not in result["registration_token"]
    assert writes(http) == []


def test_a_token_too_close_to_expiry_or_with_other_scopes_is_replaced(http):
    http.get(API + "/tenants/%s/registration_tokens" % TENANT,
             json={"items": [listed(1, 3000, 3600), listed(2, 60, 3600, scopes=[SCOPE])]})
    http.post(API + "/tenants/%s/registration_tokens" % TENANT,
              json=dict(listed(3, 0, 3600, value="FRSH-FRSH-FRSH"), scopes=[]))
    result = module_under_test.run(FakeModule(tenant_id=TENANT, diff=True))
    assert result["changed"] is True and result["reused"] is False
    assert result["token"] == "FRSH-FRSH-FRSH"
    assert writes(http)[0].json() == {"expires_in": 3600, "scopes": []}
    assert result["diff"] == {"before": {}, "after": {"tenant_id": TENANT, "expires_in": 3600, "scopes": []}}
    assert "FRSH-FRSH-FRSH" not in repr(result["diff"])


def test_force_creates_a_new_token_anyway(http):
    http.get(API + "/tenants/%s/registration_tokens" % TENANT, json={"items": [listed(1, 60, 3600)]})
    http.post(API + "/tenants/%s/registration_tokens" % TENANT, json=listed(2, 0, 3600, value="FRCD-FRCD-FRCD"))
    result = module_under_test.run(FakeModule(tenant_id=TENANT, force=True))
    assert result["changed"] is True and result["token"] == "FRCD-FRCD-FRCD"
    assert len(writes(http)) == 1


def test_check_mode_predicts_a_creation_with_a_placeholder_and_no_value(http):
    http.get(API + "/tenants/%s/registration_tokens" % TENANT, json={"items": []})
    result = module_under_test.run(FakeModule(check_mode=True, tenant_id=TENANT))
    assert result["changed"] is True and result["token"] is None
    assert result["registration_token"]["id"].startswith("00000000-0000-0000-c4ec-")
    assert writes(http) == []


def test_a_user_given_by_id_gets_a_token_on_the_personal_tenant_with_the_seed_scope(http):
    http.get(API + "/users/" + USER, json={"id": USER, "login": "jdoe", "personal_tenant_id": PERSONAL})
    http.get(API + "/tenants/%s/registration_tokens" % PERSONAL, json={"items": []})
    http.post(API + "/tenants/%s/registration_tokens" % PERSONAL,
              json=dict(listed(9, 0, 3600, scopes=[SCOPE]), tenant_uuid=PERSONAL))
    result = module_under_test.run(FakeModule(user=USER))
    assert result["registration_token"]["tenant_uuid"] == PERSONAL
    assert writes(http)[0].json() == {"expires_in": 3600, "scopes": [SCOPE]}


def test_a_user_without_a_personal_tenant_fails_before_any_write(http):
    http.get(API + "/users/" + USER, json={"id": USER, "login": "padmin", "personal_tenant_id": None})
    with pytest.raises(AcronisFailure, match="no personal tenant"):
        module_under_test.run(FakeModule(user=USER))
    assert writes(http) == []


def test_absent_revokes_the_tokens_with_the_given_scopes(http):
    http.get(API + "/tenants/%s/registration_tokens" % TENANT,
             json={"items": [listed(1, 60, 3600), listed(2, 60, 3600, scopes=[SCOPE])]})
    http.delete(API + "/registration_tokens/2", status_code=204)
    result = module_under_test.run(FakeModule(tenant_id=TENANT, scopes=[SCOPE], state="absent"))
    assert result["changed"] is True and result["removed"] == [2] and result["token"] is None
    assert [r.path for r in writes(http)] == ["/api/2/registration_tokens/2"]


def test_absent_in_check_mode_writes_nothing(http):
    http.get(API + "/tenants/%s/registration_tokens" % TENANT, json={"items": [listed(1, 60, 3600)]})
    result = module_under_test.run(FakeModule(check_mode=True, tenant_id=TENANT, state="absent"))
    assert result["changed"] is True and result["removed"] == [1]
    assert writes(http) == []


@pytest.mark.parametrize("params, words", [
    ({}, "Set tenant_id"),
    ({"tenant_id": "acme"}, r"tenant_id must be a UUID \(the id of a tenant\) like"),
    ({"user": "jdoe"}, "is a login"),
    ({"tenant_id": TENANT, "expires_in": 0}, "expires_in"),
    ({"tenant_id": TENANT, "expires_in": 366 * 86400}, "Option expires_in must be from 1 to 31536000 seconds"),
    ({"tenant_id": TENANT, "expires_in": 60, "min_validity": 60}, "min_validity"),
    ({"tenant_id": TENANT, "scopes": ["urn:acronis.com:tenant-id::root_admin"]}, "follows neither form"),
    ({"tenant_id": TENANT, "scopes": ["urn:acronis.com:tenant-id:not-a-tenant:backup_agent_admin"]}, "is not a UUID"),
    ({"tenant_id": "00000000-0000-0000-c4ec-0123456789ab"}, "placeholder"),
])
def test_bad_input_fails_before_any_request(http, params, words):
    fake = FakeModule(**params)
    with pytest.raises(AcronisFailure, match=words):
        validation.check_declared(fake, module_under_test.OPTION_KINDS)
        module_under_test.run(fake)
    assert http.request_history == []
