"""User impersonation: POST /idp/ott, POST /idp/ott/login with a session cookie, /users/me, GET /idp/logout."""

import base64

import requests

from .helpers import create_tenant, create_user, error_code

COOKIE = "acronis_simulator_session"


def _ott(api, **body):
    return api.post("/idp/ott", json=dict({"purpose": "user_login"}, **body))


def test_seed_000_impersonate_the_user_and_call_users_me(simulator, api):
    """The steps of users/ipmpersonate_user_call_me.py, in a requests.Session as the seed does them."""
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Impersonated Inc", kind="customer")
    user = create_user(api, customer["id"], "impersonated.user")
    response = _ott(api, login="impersonated.user")
    assert response.status_code == 200, response.text
    ott = response.json()["ott"]
    assert set(response.json()) == {"ott"}
    base64.b64decode(ott, validate=True)     # a base64-encoded token

    session = requests.Session()
    login = session.post(simulator.api_url + "/idp/ott/login", data=response.text,
                         headers={"Content-Type": "application/json",
                                  "Authorization": api.headers["Authorization"]}, timeout=10)
    assert login.status_code == 200, login.text
    assert login.json()["id"] == user["id"] and login.json()["login"] == "impersonated.user"
    assert COOKIE in session.cookies

    me = session.get(simulator.api_url + "/users/me", timeout=10)
    assert me.status_code == 200, me.text
    assert me.json()["id"] == user["id"]
    assert me.json()["tenant_id"] == customer["id"]

    logout = session.get(simulator.api_url + "/idp/logout", timeout=10)
    assert logout.status_code == 200
    assert logout.headers["Content-Type"].startswith("text/html")
    assert COOKIE not in session.cookies
    assert session.get(simulator.api_url + "/users/me", timeout=10).status_code == 401


def test_the_session_cookie_stays_valid_elsewhere_until_logout(simulator, api):
    """The cookie is the session: sent by another client it still works, and it no longer does after logout."""
    create_user(api, simulator.credentials["tenant_id"], "cookie.user")
    ott = _ott(api, login="cookie.user").json()["ott"]
    login = requests.post(simulator.api_url + "/idp/ott/login", json={"ott": ott}, timeout=10)
    assert login.status_code == 200
    cookie = login.cookies[COOKIE]
    me = requests.get(simulator.api_url + "/users/me", cookies={COOKIE: cookie}, timeout=10)
    assert me.status_code == 200 and me.json()["login"] == "cookie.user"
    assert requests.get(simulator.api_url + "/idp/logout", cookies={COOKIE: cookie}, timeout=10).status_code == 200
    again = requests.get(simulator.api_url + "/users/me", cookies={COOKIE: cookie}, timeout=10)
    assert again.status_code == 401
    assert requests.get(simulator.api_url + "/users/me", cookies={COOKIE: "forged"}, timeout=10).status_code == 401


def test_one_time_tokens_are_used_once(simulator, api):
    create_user(api, simulator.credentials["tenant_id"], "once.user")
    ott = _ott(api, login="once.user").json()["ott"]
    first = requests.post(simulator.api_url + "/idp/ott/login", json={"ott": ott}, timeout=10)
    assert first.status_code == 200
    second = requests.post(simulator.api_url + "/idp/ott/login", json={"ott": ott}, timeout=10)
    assert second.status_code == 401
    assert "already used" in second.json()["error"]["message"]
    unknown = requests.post(simulator.api_url + "/idp/ott/login", json={"ott": "T1RUAQ=="}, timeout=10)
    assert unknown.status_code == 401


def test_token_by_user_id_and_the_verify_purpose(simulator, api):
    user = create_user(api, simulator.credentials["tenant_id"], "by.id")
    by_id = _ott(api, user_id=user["id"])
    assert by_id.status_code == 200
    login = requests.post(simulator.api_url + "/idp/ott/login", json=by_id.json(), timeout=10)
    assert login.json()["id"] == user["id"]
    verify = api.post("/idp/ott", json={"purpose": "verify", "login": "by.id"})
    assert verify.status_code == 200
    assert requests.post(simulator.api_url + "/idp/ott/login", json=verify.json(), timeout=10).status_code == 401


def test_ott_request_errors(simulator, api):
    root = simulator.credentials["tenant_id"]
    create_user(api, root, "errors.user")
    assert error_code(_ott(api, login="nobody.here")) == 404
    assert _ott(api).status_code == 400                                 # none of login, user_id, external_id
    assert api.post("/idp/ott", json={"login": "errors.user"}).status_code == 400          # purpose is required
    assert _ott(api, login="errors.user", extra=1).status_code == 400   # additionalProperties: false
    assert api.post("/idp/ott", json={"purpose": "login", "login": "errors.user"}).status_code == 400
    no_auth = requests.post(simulator.api_url + "/idp/ott", json={"purpose": "user_login", "login": "errors.user"},
                            timeout=10)
    assert no_auth.status_code == 401
    assert requests.post(simulator.api_url + "/idp/ott/login", json={}, timeout=10).status_code == 400


def test_only_api_clients_may_impersonate(simulator, api):
    create_user(api, simulator.credentials["tenant_id"], "target.user")
    as_user = requests.post(simulator.api_url + "/idp/ott", json={"purpose": "user_login", "login": "target.user"},
                            auth=(simulator.credentials["login"], simulator.credentials["password"]), timeout=10)
    assert as_user.status_code == 403
    as_client = requests.post(simulator.api_url + "/idp/ott", json={"purpose": "user_login", "login": "target.user"},
                              auth=(simulator.credentials["client_id"], simulator.credentials["client_secret"]),
                              timeout=10)
    assert as_client.status_code == 200


def test_impersonation_stays_in_the_subtree_and_respects_self_service(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Impersonation Partner")
    managed = create_tenant(api, partner["id"], "Managed Customer", kind="customer")
    private = create_tenant(api, partner["id"], "Self-service Customer", kind="customer", ancestral_access=False)
    create_user(api, managed["id"], "managed.user")
    create_user(api, private["id"], "private.user")
    create_user(api, root, "root.level.user")
    assert _ott(api, login="managed.user").status_code == 200
    refused = _ott(api, login="private.user")
    assert refused.status_code == 403 and error_code(refused) == 1002
    # a client of the partner does not reach users above it
    client = api.post("/clients", json={"type": "api_client", "tenant_id": partner["id"],
                                        "token_endpoint_auth_method": "client_secret_basic",
                                        "data": {"client_name": "partner client"}}).json()
    token = requests.post(simulator.api_url + "/idp/token", data={"grant_type": "client_credentials"},
                          auth=(client["client_id"], client["client_secret"]), timeout=10).json()["access_token"]
    above = requests.post(simulator.api_url + "/idp/ott", json={"purpose": "user_login", "login": "root.level.user"},
                          headers={"Authorization": "Bearer " + token}, timeout=10)
    assert above.status_code == 403


def test_logout_without_a_session_and_the_request_log(simulator, api):
    assert requests.get(simulator.api_url + "/idp/logout", timeout=10).status_code == 200
    simulator.reset_log()
    create_user(api, simulator.credentials["tenant_id"], "logged.user")
    _ott(api, login="logged.user")
    writes = [(entry["method"], entry["path"]) for entry in simulator.writes()]
    assert ("POST", "/api/2/idp/ott") in writes
