"""The /api/1 paths Acronis's own code still calls (api/legacy.py): the data-center lookup and groups."""

import requests

from .helpers import create_tenant, create_user
from .test_idp_grants import _user_with_password


def test_the_data_center_of_a_known_login_is_the_simulator(simulator, api):
    creds = simulator.credentials
    response = requests.get(simulator.base_url + "/api/1/accounts", params={"login": creds["login"].upper()},
                            timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["server_url"] == simulator.base_url and body["login"] == creds["login"]
    assert isinstance(body["id"], int) and body["id"] > 0


def test_an_unknown_login_gets_the_default_data_center_and_id_0(simulator):
    response = requests.get(simulator.base_url + "/api/1/accounts", params={"login": "testttt1"}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"server_url": simulator.base_url, "id": 0, "login": "testttt1"}


def test_the_lookup_needs_a_login_and_no_credentials(simulator):
    assert requests.get(simulator.base_url + "/api/1/accounts", timeout=10).status_code == 400
    assert requests.get(simulator.base_url + "/api/1/accounts", params={"login": ""}, timeout=10).status_code == 400
    other = requests.get(simulator.base_url + "/api/1/accounts", params={"login": "x", "dc": "eu2"}, timeout=10)
    assert other.status_code == 400 and other.json()["error"]["code"] == 400
    # No credentials are needed, and none are refused.
    simulator.reset_log()
    requests.get(simulator.base_url + "/api/1/accounts", params={"login": "x"}, timeout=10,
                 headers={"Authorization": "Bearer not-a-token"})
    assert [entry["status"] for entry in simulator.requests()] == [200]


def test_the_samples_client_login(simulator, api):
    """Acronis's samples' Client: router lookup, password grant with scope offline_access, /users/me."""
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Samples customer", kind="customer")
    _user_with_password(api, customer["id"], "samples-admin", password="Sampl3s!")
    router = requests.get(simulator.base_url + "/api/1/accounts", params={"login": "samples-admin"}, timeout=10)
    base_url = router.json()["server_url"]
    token = requests.post(base_url + "/api/2/idp/token", headers={"Content-Type": "application/x-www-form-urlencoded"},
                          data={"grant_type": "password", "scope": "offline_access", "username": "samples-admin",
                                "password": "Sampl3s!"}, timeout=10)
    assert token.status_code == 200, token.text
    headers = {"Authorization": "Bearer " + token.json()["access_token"]}
    me = requests.get(base_url + "/api/2/users/me", headers=headers, timeout=10)
    assert me.status_code == 200 and me.json()["tenant_id"] == customer["id"]


def test_a_group_by_uuid_and_by_integer_id(simulator, api):
    customer = create_tenant(api, simulator.credentials["tenant_id"], "Legacy group", kind="customer")
    response = requests.get(simulator.base_url + "/api/1/groups/" + customer["id"], timeout=10,
                            headers=api.headers)
    assert response.status_code == 200, response.text
    group = response.json()
    assert group == {"id": group["id"], "name": "Legacy group", "version": customer["version"]}
    # The integer id is the one the other services show, e.g. a registration token's tenant_id.
    personal = create_user(api, customer["id"], "legacy-user")["personal_tenant_id"]
    token = api.post("/tenants/%s/registration_tokens" % personal, json={
        "expires_in": 60, "scopes": ["urn:acronis.com:tenant-id::backup_agent_admin"]})
    assert token.status_code == 200, token.text
    personal_group = requests.get(simulator.base_url + "/api/1/groups/" + personal, headers=api.headers, timeout=10)
    assert personal_group.json()["id"] == int(token.json()["tenant_id"])
    by_number = requests.get(simulator.base_url + "/api/1/groups/%d" % group["id"], headers=api.headers, timeout=10)
    assert by_number.json() == group
    agents = requests.get(simulator.base_url + "/api/agent_manager/v2/agents", params={"tenant_id": group["id"]},
                          headers=api.headers, timeout=10)
    assert agents.status_code == 200


def test_group_refusals(simulator, api):
    root = simulator.credentials["tenant_id"]
    headers = api.headers
    unknown = requests.get(simulator.base_url + "/api/1/groups/00000000-0000-4000-8000-000000000000",
                           headers=headers, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == 1005
    assert requests.get(simulator.base_url + "/api/1/groups/999999", headers=headers, timeout=10).status_code == 404
    above = api.get("/tenants/" + root).json()["parent_id"]
    outside = requests.get(simulator.base_url + "/api/1/groups/" + above, headers=headers, timeout=10)
    assert outside.status_code == 403 and outside.json()["error"]["code"] == 1002
    assert requests.get(simulator.base_url + "/api/1/groups/" + root, timeout=10).status_code == 401
    with_query = requests.get(simulator.base_url + "/api/1/groups/" + root, params={"x": "1"}, headers=headers,
                              timeout=10)
    assert with_query.status_code == 400
