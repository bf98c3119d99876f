# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AcronisClient against a mocked HTTP layer: URLs, tokens, 401 renewal,
retries and their delays, Retry-After, no replay of creates, paging,
scoped tokens, downloads, check mode, User-Agent and version."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import gzip
import os
import random
import socket
import threading

from urllib.parse import parse_qs, urlparse

import pytest
import requests
import yaml

from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.acronis.cyber_platform.plugins.module_utils import client as client_module
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisCheckModeWrite,
    AcronisError,
    AcronisOutcomeUnknown,
    AcronisTransportError,
)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import (
    API,
    BASE_URL,
    NOW,
    TOKEN_TTL,
    TOKEN_URL,
    api_calls,
)

TENANT = "5c1d5e8a-0000-4000-8000-000000000001"
GALAXY_YML = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "galaxy.yml")


class StubRng:
    """``uniform(a, b)`` always answers one end of the range."""

    def __init__(self, end):
        self.end = end
        self.calls = []

    def uniform(self, low, high):
        self.calls.append((low, high))
        return high if self.end == "high" else low


def refused():
    """What requests raises when nothing listens on the port: the request never left."""
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/api/2/tenants", reason=reason))


def reset_after_send():
    """What requests raises when the peer drops the connection after the request was written."""
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")))


def query(request):
    return dict((k, v[0] if len(v) == 1 else v) for k, v in parse_qs(urlparse(request.url).query).items())


# ------------------------------------------------------------------ version and headers

def test_collection_version_matches_galaxy_yml():
    with open(GALAXY_YML) as handle:
        galaxy = yaml.safe_load(handle)
    assert client_module.COLLECTION_VERSION == str(galaxy["version"])
    assert "acronis.cyber_platform/%s" % galaxy["version"] in client_module.USER_AGENT


def test_user_agent_and_timeout_are_sent(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT})
    client = make_client(timeout=12)
    client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert http.call_count == 2
    for request in http.request_history:
        assert request.headers["User-Agent"] == "acronis.cyber_platform/0.1.0 (Ansible collection)"
        assert request.timeout == 12


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_validate_certs_false_wins_over_a_ca_bundle_variable(http, tokens, make_client, monkeypatch, variable):
    # requests lets these variables override a session-level verify=False (psf/requests#3829)
    monkeypatch.setenv(variable, "/etc/ssl/certs/some-bundle.crt")
    http.get(API + "/tenants/" + TENANT, json={})
    client = make_client(validate_certs=False)
    client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    client.scoped(TENANT).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert http.call_count == 4     # base token, GET, scoped token, GET
    assert [r.verify for r in http.request_history] == [False] * 4


def test_validate_certs_true_verifies(http, tokens, make_client, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    http.get(API + "/tenants/" + TENANT, json={})
    make_client().get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert [r.verify for r in http.request_history] == [True, True]


def test_user_agent_can_be_overridden(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT, json={})
    make_client(user_agent="my-tool/2").get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert http.last_request.headers["User-Agent"] == "my-tool/2"


# ------------------------------------------------------------------------------ URLs

@pytest.mark.parametrize("base_url", [BASE_URL, BASE_URL + "/", BASE_URL + "/api/2", BASE_URL + "/api/2/"])
def test_url_accepts_base_url_with_or_without_api_prefix(make_client, base_url):
    client = make_client(base_url=base_url)
    assert client.url("/tenants") == "https://dc.example.test/api/2/tenants"
    assert client.url("/api/task_manager/v2/tasks") == "https://dc.example.test/api/task_manager/v2/tasks"


def test_url_quotes_path_arguments(make_client):
    client = make_client()
    assert client.url("/users/{user_id}/x", user_id="a/b c?") == "https://dc.example.test/api/2/users/a%2Fb%20c%3F/x"


# ---------------------------------------------------------------------------- tokens

def test_token_is_issued_with_client_credentials_and_used_as_bearer(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT, "name": "Acme"})
    client = make_client()
    assert client.get("/tenants/{tenant_id}", tenant_id=TENANT) == {"id": TENANT, "name": "Acme"}

    token_request = tokens.requests[0]
    assert parse_qs(token_request.text) == {"grant_type": ["client_credentials"]}
    assert token_request.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:secret").decode("ascii")
    assert api_calls(http)[0].headers["Authorization"] == "Bearer tok-1"


def test_a_netrc_entry_for_the_host_never_replaces_the_bearer_token(http, make_client, tmp_path, monkeypatch):
    """requests puts a ~/.netrc login on a request that has no auth of its own: never on ours."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine dc.example.test login someone password elsewhere\n")
    monkeypatch.setenv("NETRC", str(netrc))
    authorizations = []

    def token_reply(request, context):
        authorizations.append(request.headers.get("Authorization"))
        grant = parse_qs(request.text)["grant_type"][0]
        return {"access_token": "scoped-token" if "jwt-bearer" in grant else "base-token", "expires_on": NOW + TOKEN_TTL}

    http.post(TOKEN_URL, json=token_reply)
    http.get(API + "/tenants/" + TENANT, json={})
    client = make_client()
    client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    client.scoped(TENANT).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert authorizations == ["Basic " + base64.b64encode(b"cid:secret").decode("ascii"), None]
    assert [r.headers["Authorization"] for r in api_calls(http)] == ["Bearer base-token", "Bearer scoped-token"]


def test_token_is_reused_in_memory(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT, json={})
    client = make_client()
    for dummy in range(3):
        client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert tokens.issued == 1
    assert [r.headers["Authorization"] for r in api_calls(http)] == ["Bearer tok-1"] * 3


@pytest.mark.parametrize("elapsed, issued", [
    (TOKEN_TTL - 901, 1),   # 901 s left: more than 15 minutes, kept
    (TOKEN_TTL - 900, 2),   # exactly 15 minutes left: renewed
    (TOKEN_TTL - 60, 2),    # one minute left: renewed
    (TOKEN_TTL + 10, 2),    # expired: renewed
])
def test_token_with_less_than_15_minutes_left_is_renewed(http, tokens, make_client, clock, elapsed, issued):
    client = make_client()
    assert client.access_token() == "tok-1"
    clock.advance(elapsed)
    assert client.access_token() == "tok-%d" % issued
    assert tokens.issued == issued


def test_renewal_margin_is_configurable(http, tokens, make_client, clock):
    client = make_client(token_renew_margin=60)
    client.access_token()
    clock.advance(TOKEN_TTL - 120)
    assert client.access_token() == "tok-1"
    clock.advance(61)
    assert client.access_token() == "tok-2"


def test_expires_in_is_accepted_when_expires_on_is_missing(http, make_client, clock):
    http.post(TOKEN_URL, [{"json": {"access_token": "a", "expires_in": 3600}},
                          {"json": {"access_token": "b", "expires_in": 3600}}])
    client = make_client()
    assert client.access_token() == "a"
    clock.advance(3600 - 901)
    assert client.access_token() == "a"
    clock.advance(2)
    assert client.access_token() == "b"


def test_token_reply_without_access_token_is_an_error(http, make_client):
    http.post(TOKEN_URL, json={"token_type": "bearer"})
    with pytest.raises(AcronisAPIError) as info:
        make_client().access_token()
    assert info.value.path == "/idp/token"
    assert "no access_token" in str(info.value)


def test_wrong_secret_is_reported_with_the_oauth_error(http, make_client):
    http.post(TOKEN_URL, status_code=401, json={"error": "invalid_client", "error_description": "Client authentication failed"})
    http.get(API + "/tenants/" + TENANT, json={})
    with pytest.raises(AcronisAPIError) as info:
        make_client().get("/tenants/{tenant_id}", tenant_id=TENANT)
    exc = info.value
    assert (exc.status, exc.code, exc.message) == (401, "invalid_client", "Client authentication failed")
    assert (exc.method, exc.path) == ("POST", "/idp/token")
    # the token endpoint's own 401 is not "renew and retry": one token request, no API call
    assert http.call_count == 1


# ------------------------------------------------------------------------ 401 renewal

def test_401_renews_the_token_once_and_retries_once(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT, [{"status_code": 401, "json": {"error": {"code": 401, "message": "Unauthorized"}}},
                                          {"json": {"id": TENANT}}])
    client = make_client()
    assert client.get("/tenants/{tenant_id}", tenant_id=TENANT) == {"id": TENANT}
    assert tokens.issued == 2
    assert [r.headers["Authorization"] for r in api_calls(http)] == ["Bearer tok-1", "Bearer tok-2"]


def test_two_401_in_a_row_fail_after_two_calls_and_two_tokens(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=401, json={"error": {"code": 401, "message": "Unauthorized"}})
    with pytest.raises(AcronisAPIError) as info:
        make_client().get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert info.value.status == 401
    assert len(api_calls(http)) == 2
    assert tokens.issued == 2
    assert sleeps.delays == []


def test_401_renewal_replaces_the_cached_token(http, tokens, make_client, cache_dir):
    http.get(API + "/tenants/" + TENANT, [{"status_code": 401}, {"json": {}}, {"json": {}}])
    make_client(token_cache_dir=cache_dir).get("/tenants/{tenant_id}", tenant_id=TENANT)
    # a new client finds the renewed token, not the refused one
    other = make_client(token_cache_dir=cache_dir)
    other.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert tokens.issued == 2
    assert api_calls(http)[-1].headers["Authorization"] == "Bearer tok-2"


def test_401_with_basic_auth_is_not_retried(http, make_client):
    http.post(TOKEN_URL, json={"access_token": "never"})
    http.get(API + "/users/me", status_code=401, json={"error": {"code": 401, "message": "Unauthorized"}})
    client = make_client(client_id=None, client_secret=None, login="admin", password="pw")
    with pytest.raises(AcronisAPIError) as info:
        client.get("/users/me")
    assert info.value.status == 401
    assert http.call_count == 1
    assert http.last_request.headers["Authorization"] == "Basic " + base64.b64encode(b"admin:pw").decode("ascii")


# --------------------------------------------------------------- retries and delays

def test_get_503_is_retried_with_exponential_backoff_then_fails(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=503, text="busy")
    client = make_client(backoff_retries=5, backoff_delay=1.0, backoff_max_delay=30.0, rng=StubRng("high"))
    with pytest.raises(AcronisAPIError) as info:
        client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert info.value.status == 503
    assert len(api_calls(http)) == 6          # the first attempt and 5 retries
    assert sleeps.delays == [1.0, 2.0, 4.0, 8.0, 16.0]


def test_backoff_lower_bound_is_half_the_ceiling(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=502)
    rng = StubRng("low")
    client = make_client(backoff_retries=4, backoff_delay=2.0, backoff_max_delay=30.0, rng=rng)
    with pytest.raises(AcronisAPIError):
        client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert sleeps.delays == [1.0, 2.0, 4.0, 8.0]
    assert rng.calls == [(0, 1.0), (0, 2.0), (0, 4.0), (0, 8.0)]


def test_backoff_is_capped_by_backoff_max_delay(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=504)
    client = make_client(backoff_retries=5, backoff_delay=1.0, backoff_max_delay=5.0, rng=StubRng("high"))
    with pytest.raises(AcronisAPIError):
        client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert sleeps.delays == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_jittered_delays_stay_within_bounds(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=503)
    client = make_client(backoff_retries=8, backoff_delay=0.5, backoff_max_delay=20.0, rng=random.Random(7))
    with pytest.raises(AcronisAPIError):
        client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert len(sleeps.delays) == 8
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0]
    for delay, ceiling in zip(sleeps.delays, ceilings):
        assert ceiling / 2 <= delay <= ceiling
    assert len(set(sleeps.delays)) == 8       # jittered: no two alike


def test_retry_then_success_returns_the_answer(http, tokens, make_client, sleeps):
    http.put(API + "/tenants/" + TENANT, [{"status_code": 503}, {"status_code": 429}, {"json": {"version": 2}}])
    client = make_client(rng=StubRng("high"))
    assert client.put("/tenants/{tenant_id}", json={"name": "x"}, tenant_id=TENANT) == {"version": 2}
    assert len(api_calls(http)) == 3
    assert sleeps.delays == [1.0, 2.0]
    assert client.stats["retries"] == 2


def test_zero_retries_means_one_attempt(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=503)
    with pytest.raises(AcronisAPIError):
        make_client(backoff_retries=0).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert len(api_calls(http)) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("end, delay", [("low", 7.0), ("high", 10.5)])
def test_retry_after_is_honoured_then_jittered(http, tokens, make_client, sleeps, end, delay):
    # Never sooner than Retry-After; the jitter adds up to half of it (here 3.5 s, above backoff_delay 1 s).
    http.get(API + "/tenants/" + TENANT, [{"status_code": 429, "headers": {"Retry-After": "7"}}, {"json": {}}])
    make_client(rng=StubRng(end)).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert sleeps.delays == [delay]


def test_retry_after_jitter_spreads_forks_apart(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, [{"status_code": 429, "headers": {"Retry-After": "2"}}, {"json": {}}] * 20)
    for fork in range(20):
        make_client(rng=random.Random(fork)).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert len(sleeps.delays) == 20
    assert min(sleeps.delays) >= 2.0
    assert max(sleeps.delays) <= 3.0
    assert len(set(round(d, 3) for d in sleeps.delays)) >= 15


def test_retry_after_jitter_stays_within_the_cap(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, [{"status_code": 429, "headers": {"Retry-After": "25"}}, {"json": {}}])
    make_client(backoff_max_delay=30.0, rng=StubRng("high")).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert sleeps.delays == [30.0]


def test_retry_after_above_the_cap_fails_at_once_instead_of_retrying_sooner(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, [{"status_code": 503, "headers": {"Retry-After": "120"}}, {"json": {}}])
    with pytest.raises(AcronisTransportError) as info:
        make_client(backoff_max_delay=30.0).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert sleeps.delays == []
    assert len(api_calls(http)) == 1
    assert "wait 120 s" in str(info.value) and "backoff_max_delay" in str(info.value)


def test_unparsable_retry_after_falls_back_to_backoff(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, [{"status_code": 429, "headers": {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}},
                                          {"json": {}}])
    make_client(backoff_delay=3.0, rng=StubRng("high")).get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert sleeps.delays == [3.0]


@pytest.mark.parametrize("status", [400, 403, 409, 500])
def test_other_errors_are_not_retried(http, tokens, make_client, sleeps, status):
    http.put(API + "/tenants/" + TENANT, status_code=status, json={"error": {"code": status, "message": "no"}})
    with pytest.raises(AcronisAPIError) as info:
        make_client().put("/tenants/{tenant_id}", json={}, tenant_id=TENANT)
    assert info.value.status == status
    assert len(api_calls(http)) == 1
    assert sleeps.delays == []


def test_get_connection_errors_are_retried_then_reported(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, exc=reset_after_send())
    client = make_client(backoff_retries=3, rng=StubRng("high"))
    with pytest.raises(AcronisTransportError) as info:
        client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert len(api_calls(http)) == 4
    assert sleeps.delays == [1.0, 2.0, 4.0]
    assert "after 4 attempts" in str(info.value)
    assert isinstance(info.value, AcronisError)


def test_get_timeout_is_retried(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, [{"exc": requests.exceptions.ReadTimeout}, {"json": {"ok": 1}}])
    assert make_client().get("/tenants/{tenant_id}", tenant_id=TENANT) == {"ok": 1}
    assert len(api_calls(http)) == 2
    assert len(sleeps.delays) == 1


# ----------------------------------------------------------------- no replay of creates

@pytest.mark.parametrize("status", [502, 503, 504])
def test_create_with_gateway_error_is_not_replayed(http, tokens, make_client, sleeps, status):
    http.post(API + "/tenants", status_code=status, text="<html>gateway</html>")
    with pytest.raises(AcronisOutcomeUnknown) as info:
        make_client().post("/tenants", json={"name": "Acme"})
    assert len(api_calls(http)) == 1
    assert sleeps.delays == []
    assert (info.value.method, info.value.path) == ("POST", "/tenants")


def test_create_with_connection_reset_after_send_is_not_replayed(http, tokens, make_client, sleeps):
    http.post(API + "/tenants", exc=reset_after_send())
    with pytest.raises(AcronisOutcomeUnknown):
        make_client().post("/tenants", json={"name": "Acme"})
    assert len(api_calls(http)) == 1
    assert sleeps.delays == []


def test_create_with_read_timeout_is_not_replayed(http, tokens, make_client):
    http.post(API + "/tenants", exc=requests.exceptions.ReadTimeout)
    with pytest.raises(AcronisOutcomeUnknown):
        make_client().post("/tenants", json={"name": "Acme"})
    assert len(api_calls(http)) == 1


def test_create_that_never_left_is_retried(http, tokens, make_client, sleeps):
    http.post(API + "/tenants", [{"exc": refused()}, {"exc": requests.exceptions.ConnectTimeout},
                                 {"status_code": 201, "json": {"id": TENANT}}])
    assert make_client(rng=StubRng("high")).post("/tenants", json={"name": "Acme"}) == {"id": TENANT}
    assert len(api_calls(http)) == 3
    assert sleeps.delays == [1.0, 2.0]


def test_create_that_never_left_gives_up_within_the_retry_budget(http, tokens, make_client):
    http.post(API + "/tenants", exc=refused())
    with pytest.raises(AcronisTransportError):
        make_client(backoff_retries=2).post("/tenants", json={"name": "Acme"})
    assert len(api_calls(http)) == 3


def test_create_with_429_is_retried(http, tokens, make_client, sleeps):
    http.post(API + "/tenants", [{"status_code": 429, "headers": {"Retry-After": "2"}}, {"status_code": 201, "json": {"id": TENANT}}])
    assert make_client(rng=StubRng("low")).post("/tenants", json={"name": "Acme"}) == {"id": TENANT}
    assert len(api_calls(http)) == 2
    assert sleeps.delays == [2.0]


def test_create_with_401_is_renewed_and_sent_again(http, tokens, make_client):
    # a 401 proves the request was refused before it was carried out
    http.post(API + "/tenants", [{"status_code": 401}, {"status_code": 201, "json": {"id": TENANT}}])
    assert make_client().post("/tenants", json={"name": "Acme"}) == {"id": TENANT}
    assert len(api_calls(http)) == 2


def test_idempotent_post_is_retried(http, tokens, make_client, sleeps):
    http.post(API + "/search", [{"status_code": 503}, {"exc": reset_after_send()}, {"json": {"items": []}}])
    assert make_client().post("/search", json={}, idempotent=True) == {"items": []}
    assert len(api_calls(http)) == 3


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_put_and_delete_503_are_retried(http, tokens, make_client, method):
    http.register_uri(method, API + "/tenants/" + TENANT, status_code=503)
    client = make_client(backoff_retries=2)
    with pytest.raises(AcronisAPIError) as info:
        client.request(method, "/tenants/{tenant_id}", tenant_id=TENANT)
    assert info.value.status == 503
    assert len(api_calls(http)) == 3


def _one_shot_server(handler):
    """A socket on 127.0.0.1 that serves one connection with ``handler(conn)``; returns its port."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve():
        conn, dummy = server.accept()
        try:
            handler(conn)
        finally:
            conn.close()
            server.close()

    thread = threading.Thread(target=serve)
    thread.daemon = True
    thread.start()
    return server.getsockname()[1], thread


def test_real_connection_dropped_after_send_is_outcome_unknown(make_client):
    """Not a mock: a peer that reads the request and closes, to check how requests reports it."""
    received = []

    def handler(conn):
        received.append(conn.recv(65536))

    port, thread = _one_shot_server(handler)
    client = make_client(base_url="http://127.0.0.1:%d" % port, client_id=None, client_secret=None,
                         login="admin", password="pw", timeout=5)
    with pytest.raises(AcronisOutcomeUnknown):
        client.post("/tenants", json={"name": "Acme"})
    thread.join(5)
    assert received and received[0].startswith(b"POST /api/2/tenants ")


def test_real_connection_refused_is_retried(make_client, sleeps):
    """Not a mock: nothing listens on the port, so requests reports a refused connection."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    client = make_client(base_url="http://127.0.0.1:%d" % port, client_id=None, client_secret=None,
                         login="admin", password="pw", timeout=5, backoff_retries=2)
    with pytest.raises(AcronisTransportError):
        client.post("/tenants", json={"name": "Acme"})
    assert len(sleeps.delays) == 2


# --------------------------------------------------------------------- lookups, answers

def test_get_returns_none_for_204(http, tokens, make_client):
    http.get(API + "/users/check_login", status_code=204)
    assert make_client().get("/users/check_login", params={"username": "bob"}) is None
    assert query(http.last_request) == {"username": "bob"}


def test_get_or_none_treats_404_as_an_answer(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=404, json={"error": {"code": 1005, "message": "Tenant not found"}})
    assert make_client().get_or_none("/tenants/{tenant_id}", tenant_id=TENANT) is None
    assert len(api_calls(http)) == 1
    assert sleeps.delays == []


def test_get_or_none_raises_other_errors(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT, status_code=403, json={"error": {"code": 1002, "message": "Access denied"}})
    with pytest.raises(AcronisAPIError) as info:
        make_client().get_or_none("/tenants/{tenant_id}", tenant_id=TENANT)
    assert info.value.status == 403


def test_delete_missing_ok(http, tokens, make_client):
    http.delete(API + "/tenants/" + TENANT, [{"status_code": 204}, {"status_code": 404}, {"status_code": 404}])
    client = make_client()
    assert client.delete("/tenants/{tenant_id}", params={"version": 3}, tenant_id=TENANT) is True
    assert query(http.last_request) == {"version": "3"}
    assert client.delete("/tenants/{tenant_id}", missing_ok=True, tenant_id=TENANT) is False
    with pytest.raises(AcronisAPIError) as info:
        client.delete("/tenants/{tenant_id}", tenant_id=TENANT)
    assert info.value.not_found


def test_post_sends_json_and_counts_writes(http, tokens, make_client):
    http.post(API + "/tenants", status_code=201, json={"id": TENANT})
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT})
    client = make_client()
    client.post("/tenants", json={"name": "Acme", "kind": "customer"})
    client.get("/tenants/{tenant_id}", tenant_id=TENANT)
    assert api_calls(http)[0].json() == {"name": "Acme", "kind": "customer"}
    # the token request is a request but not a write
    assert client.stats["requests"] == 3
    assert client.stats["writes"] == 1


# ---------------------------------------------------------------------------- paging

def test_paginate_follows_the_after_cursor(http, tokens, make_client):
    http.get(API + "/tasks", [
        {"json": {"items": [1, 2], "paging": {"cursors": {"after": "c1", "before": "b0"}}}},
        {"json": {"items": [3, 4], "paging": {"cursors": {"after": "c2"}}}},
        {"json": {"items": [5], "paging": {"cursors": {}}}},
    ])
    client = make_client()
    items = list(client.paginate("/tasks", params={"limit": 2, "lod": "full", "state": "completed", "order": "asc"}))
    assert items == [1, 2, 3, 4, 5]
    calls = api_calls(http)
    assert len(calls) == 3
    assert query(calls[0]) == {"limit": "2", "lod": "full", "state": "completed", "order": "asc"}
    # the cursor carries the filters: later pages send only after, limit and lod
    assert query(calls[1]) == {"limit": "2", "lod": "full", "after": "c1"}
    assert query(calls[2]) == {"limit": "2", "lod": "full", "after": "c2"}


def test_paginate_stops_on_an_empty_page(http, tokens, make_client):
    http.get(API + "/tasks", [
        {"json": {"items": [1], "paging": {"cursors": {"after": "c1"}}}},
        {"json": {"items": [], "paging": {"cursors": {"after": "c2"}}}},
        {"json": {"items": [99]}},
    ])
    assert list(make_client().paginate("/tasks")) == [1]
    assert len(api_calls(http)) == 2


def test_paginate_refuses_a_cursor_that_repeats(http, tokens, make_client):
    http.get(API + "/tasks", [
        {"json": {"items": [1], "paging": {"cursors": {"after": "c1"}}}},
        {"json": {"items": [2], "paging": {"cursors": {"after": "c1"}}}},
        {"json": {"items": [3], "paging": {"cursors": {"after": "c1"}}}},
    ])
    pages = make_client().paginate("/tasks")
    assert [next(pages), next(pages)] == [1, 2]
    with pytest.raises(AcronisTransportError, match="cursor 'c1' twice"):
        next(pages)
    assert len(api_calls(http)) == 2


def test_paginate_single_page_without_paging(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT + "/children", json={"items": ["a", "b"]})
    assert list(make_client().paginate("/tenants/{tenant_id}/children", tenant_id=TENANT)) == ["a", "b"]
    assert len(api_calls(http)) == 1


# ----------------------------------------------------------------------------- scoped

def test_scoped_client_exchanges_the_token_for_a_tenant_scoped_one(http, make_client):
    forms = []

    def token_reply(request, context):
        form = parse_qs(request.text)
        forms.append((form, request.headers.get("Authorization")))
        if form["grant_type"] == ["client_credentials"]:
            return {"access_token": "base-token", "expires_on": NOW + TOKEN_TTL}
        return {"access_token": "scoped-token", "expires_on": NOW + TOKEN_TTL}

    http.post(TOKEN_URL, json=token_reply)
    http.get(API + "/tenants/" + TENANT + "/usages", json={"items": []})
    http.get(API + "/tenants/" + TENANT, json={})
    client = make_client()
    scoped = client.scoped(TENANT)
    scoped.get("/tenants/{tenant_id}/usages", tenant_id=TENANT)
    scoped.get("/tenants/{tenant_id}/usages", tenant_id=TENANT)
    client.get("/tenants/{tenant_id}", tenant_id=TENANT)

    assert len(forms) == 2
    assert forms[1][0] == {
        "grant_type": ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
        "assertion": ["base-token"],
        "scope": ["urn:acronis.com:tenant-id:" + TENANT],
    }
    assert [r.headers["Authorization"] for r in api_calls(http)] == [
        "Bearer scoped-token", "Bearer scoped-token", "Bearer base-token"]


def test_scoped_client_keeps_check_mode(http, tokens, make_client):
    scoped = make_client(read_only=True).scoped(TENANT)
    with pytest.raises(AcronisCheckModeWrite):
        scoped.put("/tenants/{tenant_id}", json={}, tenant_id=TENANT)
    assert http.call_count == 0


# --------------------------------------------------------------------------- download

def test_download_decompresses_gzip(http, tokens, make_client):
    csv = b"tenant,usage\nAcme,42\n"
    http.get(API + "/reports/r1/stored/s1", content=gzip.compress(csv))
    assert make_client().download("/reports/{report_id}/stored/{stored_id}", report_id="r1", stored_id="s1") == csv


def test_download_returns_plain_bytes_as_is(http, tokens, make_client):
    http.get(API + "/reports/r1/stored/s1", content=b"tenant,usage\n")
    assert make_client().download("/reports/{report_id}/stored/{stored_id}", report_id="r1", stored_id="s1") == b"tenant,usage\n"


# ------------------------------------------------------------------------- check mode

@pytest.mark.parametrize("call", [
    lambda c: c.post("/tenants", json={"name": "x"}),
    lambda c: c.post("/search", json={}, idempotent=True),
    lambda c: c.put("/tenants/{tenant_id}", json={}, tenant_id=TENANT),
    lambda c: c.delete("/tenants/{tenant_id}", tenant_id=TENANT),
    lambda c: c.delete("/tenants/{tenant_id}", missing_ok=True, tenant_id=TENANT),
    lambda c: c.request("patch", "/tenants/{tenant_id}", tenant_id=TENANT),
])
def test_read_only_client_sends_no_write(http, tokens, make_client, call):
    client = make_client(read_only=True)
    with pytest.raises(AcronisCheckModeWrite):
        call(client)
    assert http.call_count == 0
    assert client.stats["requests"] == 0


def test_read_only_client_still_reads(http, tokens, make_client):
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT})
    assert make_client(read_only=True).get("/tenants/{tenant_id}", tenant_id=TENANT) == {"id": TENANT}
    assert [r.method for r in http.request_history] == ["POST", "GET"]   # the token, then the read


# ------------------------------------------------------- no requests exception escapes

def test_body_cut_short_is_retried_for_a_read(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, [{"exc": requests.exceptions.ChunkedEncodingError("Connection broken")},
                                          {"json": {"id": TENANT}}])
    assert make_client().get("/tenants/{tenant_id}", tenant_id=TENANT) == {"id": TENANT}
    assert len(api_calls(http)) == 2
    assert len(sleeps.delays) == 1


def test_body_cut_short_on_a_create_is_outcome_unknown(http, tokens, make_client):
    http.post(API + "/tenants", exc=requests.exceptions.ChunkedEncodingError("Connection broken"))
    with pytest.raises(AcronisOutcomeUnknown):
        make_client().post("/tenants", json={"name": "Acme"})
    assert len(api_calls(http)) == 1


def test_base_url_without_scheme_is_an_acronis_error(make_client, sleeps):
    client = make_client(base_url="dc.example.test")
    with pytest.raises(AcronisError) as info:
        client.get("/tenants")
    assert not isinstance(info.value, requests.exceptions.RequestException)
    assert "dc.example.test" in str(info.value)
    assert sleeps.delays == []


def test_token_endpoint_503_is_retried(http, make_client, sleeps):
    http.post(TOKEN_URL, [{"status_code": 503}, {"json": {"access_token": "late", "expires_on": NOW + TOKEN_TTL}}])
    assert make_client(rng=StubRng("high")).access_token() == "late"
    assert http.call_count == 2
    assert sleeps.delays == [1.0]


def test_clients_with_one_memory_share_the_token_and_the_session(http, tokens, make_client):
    """The items of a loop run in one worker: the second item's client issues no token and reuses the session."""
    http.get(API + "/users/me", json={"id": "me"})
    memory = client_module.shared_memory(BASE_URL, "cid", "secret", True)
    memory.clear()
    first = make_client(memory=memory)
    first.get("/users/me")
    second = make_client(memory=memory)
    second.get("/users/me")
    assert tokens.issued == 1
    assert second.session is first.session


def test_shared_memory_is_per_client_data_center_and_process(monkeypatch):
    one = client_module.shared_memory(BASE_URL, "cid", "secret", True)
    assert client_module.shared_memory(BASE_URL + "/", "cid", "secret", True) is one
    assert client_module.shared_memory(BASE_URL, "cid", "other-secret", True) is not one
    assert client_module.shared_memory("https://other.example", "cid", "secret", True) is not one
    monkeypatch.setattr(client_module.os, "getpid", lambda: -1)
    assert client_module.shared_memory(BASE_URL, "cid", "secret", True) is not one


def test_clients_without_a_memory_issue_their_own_tokens(http, tokens, make_client):
    http.get(API + "/users/me", json={"id": "me"})
    make_client().get("/users/me")
    make_client().get("/users/me")
    assert tokens.issued == 2


# ------------------------------------------------- the client the connection options describe

CONNECTION = {"base_url": BASE_URL + "/api/2", "client_id": "cid", "client_secret": "secret", "validate_certs": False,
              "timeout": 12.5, "backoff_retries": 3, "backoff_delay": 0.5, "backoff_max_delay": 4.0,
              "token_cache": True, "token_cache_dir": None, "token_renew_margin": 60}


def test_client_from_options_takes_every_connection_option(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    client = client_module.client_from_options(CONNECTION.get)
    assert (client.root_url, client.client_id, client.validate_certs, client.timeout) == (BASE_URL, "cid", False, 12.5)
    assert (client.backoff_retries, client.backoff_delay, client.backoff_max_delay) == (3, 0.5, 4.0)
    assert client.token_renew_margin == 60 and not client.read_only
    assert client._cache.directory == str(tmp_path / "acronis.cyber_platform" / "tokens")


def test_client_from_options_without_token_cache_and_read_only():
    client = client_module.client_from_options(dict(CONNECTION, token_cache=False).get, read_only=True)
    assert client._cache is None and client.read_only


def test_client_from_options_shares_memory_only_when_asked(http, tokens, clock):
    http.get(API + "/users/me", json={"id": "me"})
    client_module.shared_memory(BASE_URL + "/api/2", "cid", "secret", False).clear()
    options = dict(CONNECTION, token_cache=False).get
    client_module.client_from_options(options, shared=True, clock=clock).get("/users/me")
    client_module.client_from_options(options, shared=True, clock=clock).get("/users/me")
    client_module.client_from_options(options, clock=clock).get("/users/me")
    assert tokens.issued == 2


def test_client_from_options_overrides_replace_the_api_client():
    client = client_module.client_from_options(CONNECTION.get, shared=True, login="admin", password="pw",
                                               client_id=None, client_secret=None)
    assert client.client_id is None and client.read_only is False


# ------------------------------------------------- lost answers resolved by reading

def test_create_whose_answer_was_lost_adopts_the_object_it_finds(http, tokens, make_client, sleeps):
    http.post(API + "/tenants", exc=reset_after_send())
    found = []
    answer, adopted = make_client().create("/tenants", {"name": "Acme"}, find=lambda: found.append(1) or {"id": TENANT})
    assert (answer, adopted) == ({"id": TENANT}, client_module.ADOPTED_LOST_ANSWER)
    assert len(found) == 1
    assert len([r for r in api_calls(http) if r.method == "POST"]) == 1


def test_create_whose_answer_was_lost_and_that_is_absent_is_sent_again(http, tokens, make_client, sleeps):
    http.post(API + "/tenants", [{"status_code": 502}, {"status_code": 201, "json": {"id": TENANT}}])
    answer, adopted = make_client().create("/tenants", {"name": "Acme"}, find=lambda: None)
    assert (answer, adopted) == ({"id": TENANT}, False)
    assert len(api_calls(http)) == 2
    assert len(sleeps.delays) == 1


def test_a_conflict_after_a_lost_create_is_the_first_create_carried_out(http, tokens, make_client, sleeps):
    http.post(API + "/tenants", [{"status_code": 503},
                                 {"status_code": 409, "json": {"error": {"code": 1004, "message": "name taken"}}}])
    lookups = iter([None, {"id": TENANT}])
    client = make_client()
    answer, adopted = client.create("/tenants", {"name": "Acme"}, find=lambda: next(lookups))
    assert (answer, adopted) == ({"id": TENANT}, client_module.ADOPTED_LOST_ANSWER)
    assert client.concurrency["other_writers"] == []      # our own create: no other writer to warn of


def test_a_conflict_on_a_first_create_adopts_what_another_writer_created(http, tokens, make_client):
    http.post(API + "/tenants", status_code=409, json={"error": {"code": 1004, "message": "name taken"}})
    client = make_client()
    answer, adopted = client.create("/tenants", {"name": "Acme"}, find=lambda: {"id": TENANT}, what="created Acme")
    assert (answer, adopted) == ({"id": TENANT}, client_module.ADOPTED_OTHER_WRITER)
    assert client.concurrency == {"applied": 0, "other_writers": ["created Acme"], "outcomes": {}}
    assert len(api_calls(http)) == 1


def test_a_conflict_on_a_first_create_that_finds_nothing_is_the_caller_s_to_name(http, tokens, make_client):
    http.post(API + "/tenants", status_code=409, json={"error": {"code": 1004, "message": "name taken"}})
    client = make_client()
    with pytest.raises(AcronisAPIError) as info:
        client.create("/tenants", {"name": "Acme"}, find=lambda: None)
    assert info.value.has_code(1004)
    assert client.concurrency["other_writers"] == []


OUTDATED_REPLY = {"status_code": 409, "json": {"error": {"code": 1001, "message": "The version is outdated."}}}


def test_settle_a_write_another_writer_already_made_reads_and_stops(http, tokens, make_client, sleeps):
    http.put(API + "/things/1", **OUTDATED_REPLY)
    client = make_client()
    answer, settled = client.settle("set the thing", lambda fresh: client.put("/things/1", json={"v": 2}),
                                    lambda: {"v": 2, "version": 9}, lambda fresh: fresh["v"] == 2)
    assert (answer, settled) == ({"v": 2, "version": 9}, True)
    assert client.concurrency == {"applied": 0, "other_writers": ["set the thing"], "outcomes": {}}
    assert sleeps.delays == []


def test_settle_applies_the_change_again_on_the_fresh_read_with_a_jittered_backoff(http, tokens, make_client, sleeps):
    http.put(API + "/things/1", [OUTDATED_REPLY, {"status_code": 200, "json": {"v": 2, "version": 10}}])
    client = make_client()
    sent = []

    def write(fresh):
        sent.append(None if fresh is None else fresh["version"])
        return client.put("/things/1", json={"v": 2})

    answer, settled = client.settle("set the thing", write, lambda: {"v": 3, "version": 9}, lambda fresh: fresh["v"] == 2)
    assert (answer, settled) == ({"v": 2, "version": 10}, False)
    assert sent == [None, 9]                    # the second attempt builds on the version just read
    assert len(sleeps.delays) == 1 and 0 < sleeps.delays[0] <= 1.0
    assert client.concurrency == {"applied": 1, "other_writers": [], "outcomes": {}}


def test_settle_is_bounded(http, tokens, make_client, sleeps):
    http.put(API + "/things/1", **OUTDATED_REPLY)
    client = make_client(backoff_retries=2)
    with pytest.raises(AcronisAPIError) as info:
        client.settle("set the thing", lambda fresh: client.put("/things/1", json={"v": 2}),
                      lambda: {"v": 3, "version": 9}, lambda fresh: False)
    assert info.value.has_code(1001)
    assert len(api_calls(http)) == 3 and len(sleeps.delays) == 2


def test_settle_raises_a_real_conflict_at_once(http, tokens, make_client, sleeps):
    http.put(API + "/things/1", status_code=409, json={"error": {"code": 1004, "message": "name taken"}})
    client = make_client()
    with pytest.raises(AcronisAPIError) as info:
        client.settle("rename the thing", lambda fresh: client.put("/things/1", json={"name": "x"}),
                      lambda: {"name": "y", "version": 9}, lambda fresh: fresh["name"] == "x")
    assert info.value.has_code(1004)
    assert len(api_calls(http)) == 1 and sleeps.delays == []


def test_a_delete_of_what_another_writer_deleted_is_noted(http, tokens, make_client):
    http.delete(API + "/things/1", status_code=404)
    client = make_client()
    assert client.delete("/things/1", missing_ok=True, what="deleted the thing") is False
    assert client.concurrency["other_writers"] == ["deleted the thing"]


def test_create_gives_up_after_the_retry_budget_of_unconfirmed_attempts(http, tokens, make_client, sleeps):
    http.post(API + "/tenants", status_code=503)
    with pytest.raises(AcronisTransportError) as info:
        make_client(backoff_retries=2).create("/tenants", {"name": "Acme"}, find=lambda: None)
    assert len(api_calls(http)) == 3
    assert "absent" in str(info.value)


def test_a_delete_whose_answer_was_lost_is_done_when_the_retry_finds_nothing(http, tokens, make_client, sleeps):
    http.delete(API + "/tenants/" + TENANT, [{"exc": reset_after_send()}, {"status_code": 404}])
    assert make_client().delete("/tenants/{tenant_id}", tenant_id=TENANT) is True


def test_a_404_to_a_first_delete_is_still_an_error_without_missing_ok(http, tokens, make_client):
    http.delete(API + "/tenants/" + TENANT, status_code=404)
    with pytest.raises(AcronisAPIError) as info:
        make_client().delete("/tenants/{tenant_id}", tenant_id=TENANT)
    assert info.value.not_found and not info.value.after_lost_attempt


def test_a_conflict_to_an_update_retried_after_a_lost_answer_says_so(http, tokens, make_client, sleeps):
    http.put(API + "/tenants/" + TENANT, [{"status_code": 502},
                                          {"status_code": 409, "json": {"error": {"code": 1001, "message": "version"}}}])
    with pytest.raises(AcronisAPIError) as info:
        make_client().put("/tenants/{tenant_id}", json={"version": 1}, tenant_id=TENANT)
    assert info.value.after_lost_attempt


def test_a_redirect_is_followed_unless_asked_not_to(http, tokens, make_client):
    target = BASE_URL + "/ui/ott-login?ott=abc"
    http.get(BASE_URL + "/api/application_manager/v2/application/app/service_user:login", status_code=301,
             headers={"Location": target})
    http.get(target, text="console")
    client = make_client()
    kept = client.request("GET", "/api/application_manager/v2/application/{code}/service_user:login",
                          allow_redirects=False, code="app")
    assert kept.status_code == 301 and kept.headers["Location"] == target
    followed = client.request("GET", "/api/application_manager/v2/application/{code}/service_user:login", code="app")
    assert followed.status_code == 200 and followed.text == "console"


# ------------------------------------------------- a base_url that is no data center (issue 28)

@pytest.mark.parametrize("reply, words", [
    (dict(status_code=200, text="<!DOCTYPE html><html><body>Welcome</body></html>",
          headers={"Content-Type": "text/html"}), ["HTTP 200", "an HTML page"]),
    (dict(status_code=404, text="<html><body>Not Found</body></html>", headers={"Content-Type": "text/html"}),
     ["HTTP 404", "an HTML page"]),
    (dict(status_code=404, text="Not Found", headers={"Content-Type": "text/plain"}),
     ["HTTP 404", "no token endpoint"]),
    (dict(status_code=501, text="Unsupported method ('POST')", headers={"Content-Type": "text/plain"}),
     ["HTTP 501", "no token endpoint"]),
])
def test_a_server_that_is_no_data_center_is_named_as_such(http, make_client, reply, words):
    http.post(TOKEN_URL, **reply)
    with pytest.raises(AcronisError) as info:
        make_client().access_token()
    text = str(info.value)
    for word in ["base_url 'https://dc.example.test' is not an Acronis data center",
                 "such as https://eu2-cloud.acronis.com"] + words:
        assert word in text
    # One sentence, not the page.
    assert "Welcome" not in text and "<html" not in text


def test_an_oauth_refusal_is_not_mistaken_for_a_web_server(http, make_client):
    http.post(TOKEN_URL, status_code=400, json={"error": "invalid_grant", "error_description": "Bad credentials"})
    with pytest.raises(AcronisAPIError) as info:
        make_client().access_token()
    assert "data center" not in str(info.value) and info.value.code == "invalid_grant"
