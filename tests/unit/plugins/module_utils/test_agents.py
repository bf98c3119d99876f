# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""module_utils/agents.py against a mocked HTTP layer: registration tokens (listing, reuse rules, creation,
revocation) and the Agent Manager's list, always bounded, continued with the cursor alone."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs, urlparse

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import agents
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisTransportError,
)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import (
    API,
    BASE_URL,
    api_calls,
)

TENANT = "4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad"
TOKENS_URL = API + "/tenants/%s/registration_tokens" % TENANT
AGENTS_URL = BASE_URL + "/api/agent_manager/v2/agents"
SCOPE = "urn:acronis.com:tenant-id::backup_agent_admin"
# 2024-04-02T18:00:00Z
T0 = 1712080800


def token(token_id, created, expires, scopes=(SCOPE,), value="27F9-5234-41C3"):
    return {"id": token_id, "token": value, "created_at": created, "expires_at": expires, "tenant_id": "11",
            "tenant_uuid": TENANT, "scopes": list(scopes)}


@pytest.fixture
def client(make_client, tokens):
    return make_client()


def query(request):
    return parse_qs(urlparse(request.url).query)


# ------------------------------------------------------------------ timestamps and reuse

@pytest.mark.parametrize("text, expected", [
    ("2024-04-02T18:00:00Z", T0),
    ("2024-04-02T18:00:00+00:00", T0),
    ("2024-04-02T18:00:00.379967+00:00", T0),
    ("2024-04-02T20:30:00+02:30", T0),
    ("2024-04-02T13:00:00-0500", T0),
    ("2024-04-02 18:00:00", T0),
    ("yesterday", None),
    (None, None),
])
def test_timestamp(text, expected):
    assert agents.timestamp(text) == expected


def test_a_token_with_the_same_scopes_and_enough_time_left_is_reusable():
    listed = token(1, "2024-04-02T18:00:00Z", "2024-04-02T19:00:00Z")
    assert agents.reusable(listed, [SCOPE], 3600, 1800, now=T0 + 1800)
    assert not agents.reusable(listed, [SCOPE], 3600, 1800, now=T0 + 1801)


def test_scopes_must_be_the_same_set():
    both = ["urn:acronis.com::policy_management:%s|%s:apply_revoke" % (TENANT, TENANT), SCOPE]
    listed = token(1, "2024-04-02T18:00:00Z", "2024-04-02T19:00:00Z", scopes=both)
    assert agents.reusable(listed, list(reversed(both)), 3600, 60, now=T0)
    assert not agents.reusable(listed, [SCOPE], 3600, 60, now=T0)
    assert not agents.reusable(token(2, "2024-04-02T18:00:00Z", "2024-04-02T19:00:00Z", scopes=()), [SCOPE], 3600, 60,
                               now=T0)


def test_a_token_created_for_longer_than_asked_is_not_reused():
    year_long = token(1, "2024-04-02T18:00:00Z", "2025-04-02T18:00:00Z")
    assert not agents.reusable(year_long, [SCOPE], 3600, 60, now=T0)
    assert agents.reusable(year_long, [SCOPE], 366 * 86400, 60, now=T0)


def test_a_token_with_unreadable_dates_is_not_reused():
    assert not agents.reusable(token(1, "soon", "later"), [SCOPE], 3600, 0, now=T0)


# ------------------------------------------------------------------ token calls

def test_list_tokens_oldest_first(client, http):
    http.get(TOKENS_URL, json={"items": [token(3, "2024-04-02T19:00:00Z", "2024-04-02T20:00:00Z"),
                                         token(2, "2024-04-02T18:00:00Z", "2024-04-02T19:00:00Z")]})
    assert [t["id"] for t in agents.list_tokens(client, TENANT)] == [2, 3]


def test_create_token_sends_expires_in_and_scopes(client, http):
    http.post(TOKENS_URL, json=token(5, "2024-04-02T18:00:00Z", "2024-04-02T19:00:00Z"))
    reply = agents.create_token(client, TENANT, 3600, (SCOPE,), known_ids=set())
    assert reply["token"] == "27F9-5234-41C3"
    assert api_calls(http)[-1].json() == {"expires_in": 3600, "scopes": [SCOPE]}


def test_delete_token_tolerates_a_token_already_gone(client, http):
    http.delete(API + "/registration_tokens/5", status_code=204)
    http.delete(API + "/registration_tokens/6", status_code=404,
                json={"error": {"code": 404, "message": "The registration token was not found."}})
    assert agents.delete_token(client, 5) is True
    assert agents.delete_token(client, 6) is False


def test_token_facts_leave_the_value_out():
    facts = agents.token_facts(token(5, "2024-04-02T18:00:00Z", "2024-04-02T19:00:00Z"))
    assert facts == {"id": 5, "tenant_id": "11", "tenant_uuid": TENANT, "created_at": "2024-04-02T18:00:00Z",
                     "expires_at": "2024-04-02T19:00:00Z", "scopes": [SCOPE]}


def test_resolve_user_by_id_and_by_login(client, http):
    user_id = "0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21"
    http.get(API + "/users/" + user_id, json={"id": user_id, "login": "jdoe", "personal_tenant_id": TENANT})
    http.get(API + "/tenants/%s/users" % TENANT, json={"items": [user_id]})
    http.get(API + "/users", json={"items": [{"id": user_id, "login": "JDoe", "personal_tenant_id": TENANT}]})
    assert agents.resolve_user(client, user_id, None)["login"] == "jdoe"
    assert agents.resolve_user(client, "jdoe", TENANT)["id"] == user_id
    assert agents.resolve_user(client, "jdoe", None) is None


# ------------------------------------------------------------------ agents

def test_agent_query_maps_the_filters():
    params = agents.agent_query(tenant_id=TENANT, hostname="web", hostname_match="starts_with", os_family="LINUX",
                                online=False, up_to_date=True, units=["backup", "atp"], order="desc")
    assert params == {"tenant_id": TENANT, "hostname": "hlike(web)", "os_family": "LINUX", "online": "false",
                      "up_to_date": "true", "unit": ["backup", "atp"], "order": "desc(hostname)"}
    assert agents.agent_query() == {}
    assert agents.agent_query(hostname="a.b", hostname_match="exact")["hostname"] == "a.b"


def page(ids, after=None):
    cursors = {"after": after} if after else {}
    return {"json": {"items": [{"id": i} for i in ids], "paging": {"cursors": cursors}}}


def test_list_agents_pages_until_the_limit_and_returns_where_it_stopped(client, http):
    http.get(AGENTS_URL, [page([1, 2], after="c1"), page([3, 4], after="c2"), page([5], after="c3")])
    found, cursor = agents.list_agents(client, {"os_family": "LINUX", "unit": ["backup", "atp"]}, 5, 2)
    assert [a["id"] for a in found] == [1, 2, 3, 4, 5]
    assert cursor == "c3"
    first, second, third = [query(r) for r in api_calls(http)]
    assert first == {"os_family": ["LINUX"], "unit": ["backup", "atp"], "limit": ["2"]}
    assert second == {"after": ["c1"], "limit": ["2"]}
    assert third == {"after": ["c2"], "limit": ["1"]}


def test_list_agents_stops_at_the_last_page(client, http):
    http.get(AGENTS_URL, [page([1, 2], after="c1"), page([3])])
    found, cursor = agents.list_agents(client, {}, 100, 2)
    assert [a["id"] for a in found] == [1, 2, 3] and cursor is None
    assert len(api_calls(http)) == 2


def test_list_agents_never_asks_for_an_unbounded_page(client, http):
    http.get(AGENTS_URL, [page([1])])
    agents.list_agents(client, {}, 1, 1000)
    assert query(api_calls(http)[0])["limit"] == ["1"]


def test_list_agents_continues_from_a_cursor_alone(client, http):
    http.get(AGENTS_URL, [page([7])])
    found, cursor = agents.list_agents(client, {"os_family": "LINUX"}, 10, 10, after="c9")
    assert [a["id"] for a in found] == [7] and cursor is None
    assert query(api_calls(http)[0]) == {"after": ["c9"], "limit": ["10"]}


def test_list_agents_refuses_a_cursor_that_comes_back(client, http):
    http.get(AGENTS_URL, [page([1], after="same"), page([2], after="same")])
    with pytest.raises(AcronisTransportError, match="twice"):
        agents.list_agents(client, {}, 10, 1)


def test_list_agents_raises_the_agent_managers_error(client, http):
    http.get(AGENTS_URL, status_code=403,
             json={"code": "ACCESS_DENIED", "domain": "AGENT_MANAGER", "debug": {"msg": "Access denied."}})
    with pytest.raises(AcronisAPIError) as raised:
        agents.list_agents(client, {"tenant_id": TENANT}, 10, 10)
    assert raised.value.code == "ACCESS_DENIED" and raised.value.message == "Access denied."
