"""Tokens, HTTP Basic, scoped tokens and subtree access."""

import time

import jwt
import requests
from flask import Blueprint, jsonify

from ..testing import running_simulator
from .helpers import create_tenant, error_code


def test_client_credentials_token(simulator):
    creds = simulator.credentials
    response = requests.post(simulator.api_url + "/idp/token", data={"grant_type": "client_credentials"},
                             auth=(creds["client_id"], creds["client_secret"]), timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert 7100 < body["expires_on"] - time.time() <= 7200
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["tenant_id"] == creds["tenant_id"] and claims["client_id"] == creds["client_id"]


def test_token_errors(simulator):
    url = simulator.api_url + "/idp/token"
    creds = simulator.credentials
    bad = requests.post(url, data={"grant_type": "client_credentials"}, auth=(creds["client_id"], "wrong"), timeout=10)
    assert bad.status_code == 401 and bad.json()["error"] == "access_denied"
    missing = requests.post(url, data={}, auth=(creds["client_id"], creds["client_secret"]), timeout=10)
    assert missing.status_code == 400
    no_login = requests.post(url, data={"grant_type": "password"}, timeout=10)
    assert no_login.status_code == 400 and no_login.json()["error"] == "invalid_request"
    assert "username and password" in no_login.json()["error_description"]


def test_missing_forged_and_expired_tokens(simulator, api):
    tenant = "/tenants/" + simulator.credentials["tenant_id"]
    assert requests.get(simulator.api_url + tenant, timeout=10).status_code == 401
    forged = jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, "not-the-simulator-key-but-long-enough-for-hs256", algorithm="HS256")
    response = requests.get(simulator.api_url + tenant, headers={"Authorization": "Bearer " + forged}, timeout=10)
    assert response.status_code == 401 and error_code(response) == 401
    requests.put(simulator.base_url + "/_sim/settings", json={"token_ttl": -5}, timeout=10)
    expired = simulator.token()
    response = requests.get(simulator.api_url + tenant, headers={"Authorization": "Bearer " + expired}, timeout=10)
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]
    assert api.get(tenant).status_code == 200   # the earlier token still lives


def test_token_ttl_option():
    with running_simulator(token_ttl=60) as sim:
        creds = sim.credentials
        body = requests.post(sim.api_url + "/idp/token", data={"grant_type": "client_credentials"},
                             auth=(creds["client_id"], creds["client_secret"]), timeout=10).json()
        assert body["expires_on"] - time.time() <= 60


def test_basic_auth_with_admin_login_and_users_me(simulator):
    creds = simulator.credentials
    response = requests.get(simulator.api_url + "/users/me", auth=(creds["login"], creds["password"]), timeout=10)
    assert response.status_code == 200
    me = response.json()
    assert me["tenant_id"] == creds["tenant_id"] and me["login"] == creds["login"]
    assert me["access_policies"][0]["role_id"] == "partner_admin"
    wrong = requests.get(simulator.api_url + "/users/me", auth=(creds["login"], "nope"), timeout=10)
    assert wrong.status_code == 401


def test_users_me_with_a_client_token_is_401(api):
    assert api.get("/users/me").status_code == 401


def test_scoped_token_sees_only_its_subtree(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Scoped partner")
    customer = create_tenant(api, partner["id"], "Scoped customer", kind="customer")
    sibling = create_tenant(api, root, "Sibling")
    token = api.headers["Authorization"][7:]
    response = requests.post(simulator.api_url + "/idp/token", timeout=10, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": token,
        "scope": "urn:acronis.com:tenant-id:" + customer["id"]},
        auth=(simulator.credentials["client_id"], simulator.credentials["client_secret"]))
    assert response.status_code == 200, response.text
    scoped = response.json()
    base_exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert scoped["expires_on"] == base_exp
    headers = {"Authorization": "Bearer " + scoped["access_token"]}
    assert requests.get(simulator.api_url + "/tenants/" + customer["id"], headers=headers, timeout=10).status_code == 200
    outside = requests.get(simulator.api_url + "/tenants/" + sibling["id"], headers=headers, timeout=10)
    assert outside.status_code == 403 and error_code(outside) == 1002
    unknown = requests.get(simulator.api_url + "/tenants/00000000-0000-4000-8000-000000000000", headers=headers,
                           timeout=10)
    assert unknown.status_code == 404
    bad_scope = requests.post(simulator.api_url + "/idp/token", timeout=10, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": token, "scope": "tenant"})
    assert bad_scope.status_code == 400


def test_real_root_is_outside_the_partner_subtree(simulator, api):
    parent = api.get("/tenants/" + simulator.credentials["tenant_id"]).json()["parent_id"]
    assert api.get("/tenants/" + parent).status_code == 403


def _bearer_only_blueprint():
    blueprint = Blueprint("bearer_only_probe", __name__, url_prefix="/api/2")

    @blueprint.route("/tenants/<tenant_id>/reports", methods=["GET"])
    def probe(tenant_id):
        return jsonify({"items": [tenant_id]})

    return blueprint


def test_basic_auth_only_where_the_spec_allows_it():
    # GET /tenants/{id}/reports lists only oauth2 in the specification.
    with running_simulator(blueprints=[_bearer_only_blueprint()]) as sim:
        creds = sim.credentials
        url = sim.api_url + "/tenants/%s/reports" % creds["tenant_id"]
        assert requests.get(url, auth=(creds["login"], creds["password"]), timeout=10).status_code == 401
        ok = requests.get(url, headers={"Authorization": "Bearer " + sim.token()}, timeout=10)
        assert ok.status_code == 200
        basic_ok = requests.get(sim.api_url + "/tenants/" + creds["tenant_id"],
                                auth=(creds["client_id"], creds["client_secret"]), timeout=10)
        assert basic_ok.status_code == 200
