"""/idp/token grant types, token introspection and revocation (api/idp.py)."""

import hashlib
import time

import jwt
import pytest
import requests

from ..testing import running_simulator
from .helpers import create_tenant, create_user

TM = "/api/task_manager/v2/tasks"


def _token(sim, **form):
    return requests.post(sim.api_url + "/idp/token", data=form, timeout=10)


def _password_token(sim, login=None, password=None, **form):
    creds = sim.credentials
    return _token(sim, grant_type="password", username=login or creds["login"],
                  password=password or creds["password"], **form)


def _bearer(token):
    return {"Authorization": "Bearer " + token}


def _introspect(sim, token, caller_token=None):
    return requests.post(sim.api_url + "/idp/introspect_token", data={"token": token},
                         headers=_bearer(caller_token or sim.token()), timeout=10)


def _revoke(sim, token, auth=None, **form):
    return requests.post(sim.api_url + "/idp/revoke_token", data=dict(form, token=token), auth=auth, timeout=10)


def _user_with_password(api, tenant_id, login, password="S3cret-pass", role="company_admin"):
    user = create_user(api, tenant_id, login)
    assert api.post("/users/%s/password" % user["id"], json={"password": password}).status_code == 204
    if role:
        response = api.put("/users/%s/access_policies" % user["id"], json={"items": [{
            "id": "00000000-0000-0000-0000-000000000000", "issuer_id": "00000000-0000-0000-0000-000000000000",
            "role_id": role, "tenant_id": tenant_id, "trustee_id": user["id"], "trustee_type": "user",
            "version": 0}]})
        assert response.status_code == 200, response.text
    return user


def test_password_grant_is_the_user_with_its_tenant_and_roles(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Password customer", kind="customer")
    user = _user_with_password(api, customer["id"], "pw-user")
    response = _password_token(simulator, "pw-user", "S3cret-pass")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and "refresh_token" not in body and body["id_token"]
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == user["id"] and claims["tenant_id"] == customer["id"] and claims["client_id"] is None
    assert claims["roles"] == [{"role": "company_admin", "tenant_id": customer["id"]}]
    me = requests.get(simulator.api_url + "/users/me", headers=_bearer(body["access_token"]), timeout=10)
    assert me.status_code == 200 and me.json()["id"] == user["id"] and me.json()["tenant_id"] == customer["id"]
    # The user sees its own tenant, not the partner above it.
    headers = _bearer(body["access_token"])
    assert requests.get(simulator.api_url + "/tenants/" + customer["id"], headers=headers, timeout=10).status_code == 200
    above = requests.get(simulator.api_url + "/tenants/" + simulator.credentials["tenant_id"], headers=headers,
                         timeout=10)
    assert above.status_code == 403


def test_password_grant_with_client_authentication_and_md5(simulator):
    creds = simulator.credentials
    with_client = _password_token(simulator, auth=None, client_id=creds["client_id"],
                                  client_secret=creds["client_secret"])
    assert with_client.status_code == 200
    assert jwt.decode(with_client.json()["access_token"], options={"verify_signature": False})["client_id"] == \
        creds["client_id"]
    digest = hashlib.md5(creds["password"].encode()).hexdigest()  # nosec - the md5_password grant
    md5 = _token(simulator, grant_type="md5_password", username=creds["login"], password=digest.upper())
    assert md5.status_code == 200
    plain_as_md5 = _token(simulator, grant_type="md5_password", username=creds["login"], password=creds["password"])
    assert plain_as_md5.status_code == 401


def test_password_grant_refusals(simulator, api):
    wrong = _password_token(simulator, password="wrong")
    assert wrong.status_code == 401 and wrong.json()["error"] == "access_denied"
    unknown = _password_token(simulator, login="nobody-here")
    assert unknown.status_code == 401 and unknown.json()["error"] == "access_denied"
    no_password = _token(simulator, grant_type="password", username="x")
    assert no_password.status_code == 400 and no_password.json()["error"] == "invalid_request"
    root = simulator.credentials["tenant_id"]
    customer = create_tenant(api, root, "Disabled users", kind="customer")
    user = _user_with_password(api, customer["id"], "pw-disabled")
    assert api.put("/users/" + user["id"], json={"enabled": False, "version": user["version"]}).status_code == 200
    disabled = _password_token(simulator, "pw-disabled", "S3cret-pass")
    assert disabled.status_code == 401 and disabled.json()["error"] == "access_denied"
    never_activated = create_user(api, customer["id"], "pw-inactive")
    assert _password_token(simulator, never_activated["login"], "anything").status_code == 401


def test_mfa_tenants_refuse_password_logins(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "MFA customer", kind="customer")
    _user_with_password(api, customer["id"], "pw-mfa")
    assert api.put("/tenants/%s/mfa/status" % customer["id"], json={"enabled": True}).status_code == 200
    response = _password_token(simulator, "pw-mfa", "S3cret-pass")
    assert response.status_code == 401 and response.json()["error"] == "totp_setup_required"


@pytest.mark.parametrize("grant", ["authorization_code", "urn:ietf:params:oauth:grant-type:device_code"])
def test_grants_that_need_other_flows_name_themselves(simulator, grant):
    response = _token(simulator, grant_type=grant)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
    assert grant in response.json()["error_description"] and "not modelled" in response.json()["error_description"]


def test_refresh_tokens_with_offline_access_rotate(simulator):
    first = _password_token(simulator, scope="offline_access").json()
    refreshed = _token(simulator, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    me = requests.get(simulator.api_url + "/users/me", headers=_bearer(second["access_token"]), timeout=10)
    assert me.status_code == 200 and me.json()["login"] == simulator.credentials["login"]
    again = _token(simulator, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.status_code == 401
    # The access token of the first grant still lives: only the used refresh token stopped.
    assert requests.get(simulator.api_url + "/users/me", headers=_bearer(first["access_token"]),
                        timeout=10).status_code == 200
    assert _token(simulator, grant_type="refresh_token").status_code == 400
    access_as_refresh = _token(simulator, grant_type="refresh_token", refresh_token=first["access_token"])
    assert access_as_refresh.status_code == 401


def test_a_user_token_can_be_scoped_to_a_tenant_in_its_reach(simulator, api):
    root = simulator.credentials["tenant_id"]
    customer = create_tenant(api, root, "Scoped by a user", kind="customer")
    user_token = _password_token(simulator).json()["access_token"]
    scoped = _token(simulator, grant_type="urn:ietf:params:oauth:grant-type:jwt-bearer", assertion=user_token,
                    scope="urn:acronis.com:tenant-id:" + customer["id"])
    assert scoped.status_code == 200, scoped.text
    headers = _bearer(scoped.json()["access_token"])
    assert requests.get(simulator.api_url + "/tenants/" + customer["id"], headers=headers, timeout=10).status_code == 200
    assert requests.get(simulator.api_url + "/tenants/" + root, headers=headers, timeout=10).status_code == 403


def test_introspection(simulator, api):
    user_token = _password_token(simulator).json()["access_token"]
    active = _introspect(simulator, user_token)
    assert active.status_code == 200, active.text
    body = active.json()
    assert body["active"] is True and body["token_type"] == "access_token" and body["sub_type"] == "user"
    assert body["owner_tuid"] == simulator.credentials["tenant_id"] and body["exp"] > time.time()
    assert {"tuid": simulator.credentials["tenant_id"], "rn": "account-server", "role": "partner_admin"}.items() <= \
        body["scope"][0].items()
    client_token = simulator.token()
    as_client = _introspect(simulator, client_token).json()
    assert as_client["active"] is True and as_client["client_id"] == simulator.credentials["client_id"]
    assert as_client["sub_type"] == "api_client"
    assert _introspect(simulator, "not-a-token").json() == {"active": False}
    forged = jwt.encode({"sub": "x", "iat": 1, "exp": int(time.time()) + 60, "typ": "access", "iss": "acronis-simulator"},
                        "not-the-simulator-key-but-long-enough-for-hs256", algorithm="HS256")
    assert _introspect(simulator, forged).json() == {"active": False}
    # Only API clients introspect (the token_introspector role); users are refused.
    refused = _introspect(simulator, client_token, caller_token=user_token)
    assert refused.status_code == 403 and refused.json()["error"]["domain"] == "PlatformAccountServer"
    missing = requests.post(simulator.api_url + "/idp/introspect_token", data={}, headers=_bearer(client_token),
                            timeout=10)
    assert missing.status_code == 400 and "error" in missing.json()
    assert requests.post(simulator.api_url + "/idp/introspect_token", data={"token": client_token},
                         timeout=10).status_code == 401
    # Introspecting is no write.
    simulator.reset_log()
    _introspect(simulator, client_token)
    assert not simulator.writes()


def test_expired_tokens_are_inactive():
    with running_simulator(seed=3, token_ttl=-5) as sim:
        expired = sim.token()
        requests.put(sim.base_url + "/_sim/settings", json={"token_ttl": 600}, timeout=10)
        assert _introspect(sim, expired).json() == {"active": False}


def test_a_revoked_token_is_refused_everywhere(simulator):
    user_token = _password_token(simulator, scope="offline_access").json()
    access, refresh = user_token["access_token"], user_token["refresh_token"]
    assert requests.get(simulator.base_url + TM, headers=_bearer(access), params={"limit": 1},
                        timeout=10).status_code == 200
    revoked = _revoke(simulator, access)
    assert revoked.status_code == 200 and revoked.content == b""
    for url in (simulator.api_url + "/users/me", simulator.base_url + TM,
                simulator.api_url + "/tenants/" + simulator.credentials["tenant_id"]):
        response = requests.get(url, headers=_bearer(access), timeout=10)
        assert response.status_code == 401, url
    assert "revoked" in requests.get(simulator.api_url + "/users/me", headers=_bearer(access),
                                     timeout=10).json()["error"]["message"]
    assert _introspect(simulator, access).json() == {"active": False}
    # The refresh token issued with it went too.
    assert _token(simulator, grant_type="refresh_token", refresh_token=refresh).status_code == 401
    assert _introspect(simulator, refresh).json() == {"active": False}
    # Revoking again, or a token that never was, is no error (RFC 7009).
    assert _revoke(simulator, access).status_code == 200
    assert _revoke(simulator, "garbage").status_code == 200


def test_revoking_a_clients_token_needs_that_client(simulator, api):
    creds = simulator.credentials
    token = simulator.token()
    anonymous = _revoke(simulator, token)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    wrong_secret = _revoke(simulator, token, auth=(creds["client_id"], "wrong"))
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    other = api.post("/clients", json={"type": "api_client", "tenant_id": creds["tenant_id"],
                                       "token_endpoint_auth_method": "client_secret_basic"}).json()
    not_its_own = _revoke(simulator, token, auth=(other["client_id"], other["client_secret"]))
    assert not_its_own.status_code == 400 and not_its_own.json()["error"] == "invalid_request"
    bad_hint = _revoke(simulator, token, auth=(creds["client_id"], creds["client_secret"]), token_type_hint="nope")
    assert bad_hint.status_code == 400 and bad_hint.json()["error"] == "invalid_request"
    assert requests.get(simulator.api_url + "/clients", headers=_bearer(token), timeout=10).status_code == 200
    ok = _revoke(simulator, token, client_id=creds["client_id"], client_secret=creds["client_secret"],
                 token_type_hint="access_token")
    assert ok.status_code == 200
    assert requests.get(simulator.api_url + "/clients", headers=_bearer(token), timeout=10).status_code == 401
    # Other tokens of the same client live on.
    assert requests.get(simulator.api_url + "/clients", headers=_bearer(simulator.token()),
                        timeout=10).status_code == 200


def test_revocations_survive_a_restart_with_a_state_file(tmp_path):
    path = str(tmp_path / "world.json")
    with running_simulator(seed=8, state_file=path) as sim:
        token = _password_token(sim).json()["access_token"]
        assert _revoke(sim, token).status_code == 200
    with running_simulator(seed=8, state_file=path) as sim:
        assert requests.get(sim.api_url + "/users/me", headers=_bearer(token), timeout=10).status_code == 401
