"""Application Manager v2: the MDR service-user login of seed 003 and the /_sim/cyberapps admin endpoints."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from .helpers import create_tenant

LOGIN = "/api/application_manager/v2/application/{code}/service_user:login"


def _register(simulator, code, access):
    response = requests.put(simulator.base_url + "/_sim/cyberapps/" + code,
                            json={"name": code.upper(), "edr_incidents_access": access}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _login(simulator, token, code, **params):
    return requests.get(simulator.base_url + LOGIN.format(code=code), params=params, allow_redirects=False,
                        headers={"Authorization": "Bearer " + token}, timeout=10)


@pytest.fixture
def customer(simulator, api):
    return create_tenant(api, simulator.credentials["tenant_id"], "MDR customer", kind="customer")


def test_login_like_seed_003_answers_301_with_the_one_time_token_url(simulator, customer):
    _register(simulator, "vendor.app", "read_only")
    params = {"tenant_id": customer["id"], "purpose": "login", "external_id": "service_user_1"}
    first = _login(simulator, simulator.token(), "vendor.app", **params)
    second = _login(simulator, simulator.token(), "vendor.app", **params)
    assert first.status_code == 301 and second.status_code == 301
    assert first.content == b""
    ott = parse_qs(urlparse(first.headers["Location"]).query)["ott"][0]
    assert first.headers["Location"].startswith(simulator.base_url + "/")
    admin = requests.get(simulator.base_url + "/_sim/cyberapps", timeout=10).json()
    # one service user for the external id, one one-time token per login
    assert [(u["tenant_id"], u["external_id"]) for u in admin["service_users"]] == [(customer["id"], "service_user_1")]
    assert [entry["ott"] for entry in admin["logins"]][0] == ott
    assert len({entry["ott"] for entry in admin["logins"]}) == 2
    assert admin["items"] == [{"vendor_app_code": "vendor.app", "name": "VENDOR.APP", "edr_incidents_access": "read_only"}]
    # a GET: the request log has the two logins, neither of them a write
    logins = [entry for entry in simulator.requests() if "application_manager" in entry["path"]]
    assert [(entry["status"], entry["write"]) for entry in logins] == [(301, False), (301, False)]


def test_read_write_access_is_accepted_too(simulator, customer):
    _register(simulator, "vendor.rw", "read_write")
    response = _login(simulator, simulator.token(), "vendor.rw", tenant_id=customer["id"], purpose="login",
                      external_id="analyst")
    assert response.status_code == 301


def test_a_cyberapp_without_edr_access_is_refused(simulator, customer):
    _register(simulator, "vendor.noedr", "none")
    response = _login(simulator, simulator.token(), "vendor.noedr", tenant_id=customer["id"], purpose="login",
                      external_id="analyst")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["domain"] == "ApplicationManager" and "EDR incidents" in error["details"]["info"]


def test_unknown_cyberapp_and_unknown_tenant_are_404(simulator, customer):
    _register(simulator, "vendor.app", "read_only")
    unknown_app = _login(simulator, simulator.token(), "vendor.other", tenant_id=customer["id"], purpose="login",
                         external_id="a")
    unknown_tenant = _login(simulator, simulator.token(), "vendor.app", tenant_id="6e6d758d-8e74-3ae3-ac84-50eb0dff12eb",
                            purpose="login", external_id="a")
    assert unknown_app.status_code == 404 and unknown_app.json()["error"]["domain"] == "ApplicationManager"
    assert unknown_tenant.status_code == 404


def test_a_tenant_outside_the_callers_subtree_is_403(simulator, api, customer):
    _register(simulator, "vendor.app", "read_only")
    partner = create_tenant(api, simulator.credentials["tenant_id"], "Other partner")
    client = api.post("/clients", json={"type": "api_client", "tenant_id": partner["id"],
                                        "token_endpoint_auth_method": "client_secret_basic",
                                        "data": {"client_name": "mdr"}}).json()
    token = simulator.token(client["client_id"], client["client_secret"])
    response = _login(simulator, token, "vendor.app", tenant_id=customer["id"], purpose="login", external_id="a")
    assert response.status_code == 403


@pytest.mark.parametrize("params, where", [
    ({"purpose": "login", "external_id": "a"}, "tenant_id"),
    ({"tenant_id": "not-a-uuid", "purpose": "login", "external_id": "a"}, "does not match"),
    ({"purpose": "logout", "external_id": "a"}, "login"),
    ({"purpose": "login"}, "external_id"),
    ({"purpose": "login", "external_id": "a", "colour": "red"}, "colour"),
])
def test_bad_queries_are_400_before_anything_happens(simulator, customer, params, where):
    _register(simulator, "vendor.app", "read_only")
    params = dict(params)
    if "tenant_id" not in params and where != "tenant_id":
        params["tenant_id"] = customer["id"]
    response = _login(simulator, simulator.token(), "vendor.app", **params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["domain"] == "ApplicationManager" and where in error["details"]["info"]
    assert requests.get(simulator.base_url + "/_sim/cyberapps", timeout=10).json()["logins"] == []


def test_bearer_only(simulator, customer):
    _register(simulator, "vendor.app", "read_only")
    url = simulator.base_url + LOGIN.format(code="vendor.app")
    params = {"tenant_id": customer["id"], "purpose": "login", "external_id": "a"}
    assert requests.get(url, params=params, allow_redirects=False, timeout=10).status_code == 401
    basic = requests.get(url, params=params, allow_redirects=False, timeout=10,
                         auth=(simulator.credentials["client_id"], simulator.credentials["client_secret"]))
    assert basic.status_code == 401


def test_admin_validation_and_delete(simulator):
    base = simulator.base_url + "/_sim/cyberapps/"
    assert requests.put(base + "x", json={"edr_incidents_access": "full"}, timeout=10).status_code == 400
    assert requests.put(base + "x", json={"colour": "red"}, timeout=10).status_code == 400
    assert requests.put(base + "x", data="nope", timeout=10).status_code == 400
    _register(simulator, "x", "read_write")
    assert requests.delete(base + "x", timeout=10).status_code == 204
    assert requests.delete(base + "x", timeout=10).status_code == 404
    assert requests.get(simulator.base_url + "/_sim/cyberapps", timeout=10).json()["items"] == []
