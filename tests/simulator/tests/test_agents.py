"""Registration tokens, the Agent Manager's agent list and the simulated install (api/agents.py), strict mode on."""

import requests

from ..testing import running_simulator
from .helpers import create_tenant, create_user, error_code

SEED_SCOPE = "urn:acronis.com:tenant-id::backup_agent_admin"
POLICY = "10858a46-db9b-4725-aa60-fff6252841fd"
YEAR = 365 * 86400


def _agents_url(simulator):
    return simulator.base_url + "/api/agent_manager/v2/agents"


def _install(simulator, token, hostname, **fields):
    return requests.post(simulator.base_url + "/_sim/agents/install", json=dict(fields, token=token, hostname=hostname),
                         timeout=10)


def _token(api, tenant_id, scopes=(SEED_SCOPE,), expires_in=3600):
    response = api.post("/tenants/%s/registration_tokens" % tenant_id,
                        json={"expires_in": expires_in, "scopes": list(scopes)})
    assert response.status_code == 200, response.text
    return response.json()


def _customer_with_user(api, simulator, name):
    customer = create_tenant(api, simulator.credentials["tenant_id"], name, kind="customer")
    user = create_user(api, customer["id"], name.lower() + "-owner")
    return customer, user


def _expire(simulator, token_id):
    for tokens in simulator.world.registration_tokens.values():
        for item in tokens:
            if item["id"] == token_id:
                item["expires_at"] = "2000-01-01T00:00:00+00:00"


# ------------------------------------------------------------------ registration tokens


def test_a_token_for_a_personal_tenant_as_seed_000_creates_it(simulator, api):
    customer, user = _customer_with_user(api, simulator, "Tokens")
    token = _token(api, user["personal_tenant_id"])
    assert token["tenant_uuid"] == user["personal_tenant_id"]
    assert token["scopes"] == [SEED_SCOPE]
    assert token["tenant_id"].isdigit()
    assert len(token["token"]) == 14 and token["token"].count("-") == 2
    listed = api.get("/tenants/%s/registration_tokens" % user["personal_tenant_id"]).json()["items"]
    assert listed == [token]
    assert api.get("/tenants/%s/registration_tokens" % customer["id"]).json()["items"] == []


def test_expires_in_is_one_second_to_one_year(simulator, api):
    customer, _user = _customer_with_user(api, simulator, "Expiry")
    path = "/tenants/%s/registration_tokens" % customer["id"]
    assert api.post(path, json={"expires_in": YEAR, "scopes": []}).status_code == 200
    for bad in (0, -5, YEAR + 1):
        response = api.post(path, json={"expires_in": bad, "scopes": []})
        assert response.status_code == 400, bad
        assert "one year" in response.json()["error"]["message"]
    assert api.post(path, json={"expires_in": "soon", "scopes": []}).status_code == 400
    assert api.post(path, json={"scopes": []}).status_code == 400
    assert api.post(path, json={"expires_in": 60, "scopes": [], "colour": "red"}).status_code == 400
    assert len(api.get(path).json()["items"]) == 1


def test_scopes_follow_the_documented_patterns(simulator, api):
    customer, user = _customer_with_user(api, simulator, "Scopes")
    path = "/tenants/%s/registration_tokens" % customer["id"]
    good = ["urn:acronis.com:tenant-id:%s:backup_agent_admin" % user["personal_tenant_id"],
            "urn:acronis.com::policy_management:%s|%s:apply_revoke" % (customer["id"], POLICY)]
    assert api.post(path, json={"expires_in": 60, "scopes": good}).json()["scopes"] == good
    for bad in ("urn:acronis.com:tenant-id::root_admin", "backup_agent_admin",
                "urn:acronis.com:tenant-id:not-a-uuid:backup_agent_admin",
                "urn:acronis.com::policy_management:%s:apply_revoke" % customer["id"]):
        response = api.post(path, json={"expires_in": 60, "scopes": [bad]})
        assert response.status_code == 400, bad
    assert api.post(path, json={"expires_in": 60, "scopes": "urn"}).status_code == 400


def test_expired_tokens_are_not_listed(simulator, api):
    customer, _user = _customer_with_user(api, simulator, "Expired")
    path = "/tenants/%s/registration_tokens" % customer["id"]
    old = _token(api, customer["id"], scopes=())
    fresh = _token(api, customer["id"], scopes=())
    _expire(simulator, old["id"])
    assert [t["id"] for t in api.get(path).json()["items"]] == [fresh["id"]]


def test_delete_a_token(simulator, api):
    customer, _user = _customer_with_user(api, simulator, "Revoke")
    token = _token(api, customer["id"], scopes=())
    assert api.delete("/registration_tokens/%d" % token["id"]).status_code == 204
    assert api.get("/tenants/%s/registration_tokens" % customer["id"]).json()["items"] == []
    again = api.delete("/registration_tokens/%d" % token["id"])
    assert again.status_code == 404 and again.json()["error"]["message"]
    assert api.delete("/registration_tokens/not-a-number").status_code == 400
    expired = _token(api, customer["id"], scopes=())
    _expire(simulator, expired["id"])
    assert api.delete("/registration_tokens/%d" % expired["id"]).status_code == 404


def test_tokens_outside_the_subtree_are_refused(simulator, api):
    root = simulator.world.root_id
    assert api.get("/tenants/%s/registration_tokens" % root).status_code == 403
    assert api.post("/tenants/%s/registration_tokens" % root, json={"expires_in": 60, "scopes": []}).status_code == 403
    with simulator.world.lock:
        simulator.world.registration_tokens[root] = [
            {"id": 999999, "token": "AAAA-BBBB-CCCC", "created_at": "2024-01-01T00:00:00+00:00",
             "expires_at": "2999-01-01T00:00:00+00:00", "tenant_id": "1", "tenant_uuid": root, "scopes": []}]
    response = api.delete("/registration_tokens/999999")
    assert response.status_code == 403 and error_code(response) == 1002
    assert api.get("/tenants/00000000-0000-4000-8000-000000000000/registration_tokens").status_code == 404


# ------------------------------------------------------------------ install and list


def _world_with_agents(simulator, api):
    """Two customers; three agents in the first (one with a personal token), two in the second."""
    first, user = _customer_with_user(api, simulator, "Acme")
    second = create_tenant(api, simulator.credentials["tenant_id"], "Globex", kind="customer")
    personal = _token(api, user["personal_tenant_id"])["token"]
    company = _token(api, first["id"], scopes=())["token"]
    other = _token(api, second["id"], scopes=())["token"]
    agents = {}
    for token, hostname, fields in ((personal, "web-01.acme.local", {"os_family": "LINUX"}),
                                    (company, "WEB-02.acme.local", {"os_family": "WINDOWS", "online": False}),
                                    (company, "db-01.acme.local", {"os_family": "LINUX", "up_to_date": False,
                                                                   "units": ["backup", "atp"]}),
                                    (other, "web-01.globex.local", {"os_family": "MACOSX"}),
                                    (other, "files.globex.local", {"os_family": "WINDOWS", "units": ["atp"]})):
        response = _install(simulator, token, hostname, **fields)
        assert response.status_code == 201, response.text
        agents[hostname] = response.json()
    return first, second, user, agents


def _hostnames(response):
    assert response.status_code == 200, response.text
    return [agent["hostname"] for agent in response.json()["items"]]


def test_installed_agents_are_listed_for_the_callers_subtree(simulator, api):
    first, _second, user, agents = _world_with_agents(simulator, api)
    response = api.get(_agents_url(simulator))
    assert sorted(_hostnames(response)) == sorted(agents)
    assert response.json()["paging"] == {"cursors": {}}
    web = agents["web-01.acme.local"]
    assert web["platform"]["family"] == "LINUX" and web["online"] is True and web["enabled"] is True
    personal = api.get("/tenants/%s" % user["personal_tenant_id"]).json()
    assert web["tenant"]["name"] == personal["name"]
    company = agents["db-01.acme.local"]
    assert company["tenant"]["name"] == first["name"]
    assert company["core_version"]["latest"]["build"] != company["core_version"]["current"]["build"]
    assert [unit["name"] for unit in company["units"]] == ["backup", "atp"]
    ids = [agent["id"] for agent in response.json()["items"]]
    assert ids == sorted(ids)


def test_tenant_id_narrows_to_one_customer_by_uuid_or_numeric_id(simulator, api):
    first, second, _user, agents = _world_with_agents(simulator, api)
    by_uuid = _hostnames(api.get(_agents_url(simulator), params={"tenant_id": first["id"]}))
    assert sorted(by_uuid) == ["WEB-02.acme.local", "db-01.acme.local", "web-01.acme.local"]
    numeric = agents["files.globex.local"]["tenant"]["id"]
    by_number = _hostnames(api.get(_agents_url(simulator), params={"tenant_id": numeric}))
    assert sorted(by_number) == ["files.globex.local", "web-01.globex.local"]
    assert _hostnames(api.get(_agents_url(simulator), params={"tenant_id": second["id"].upper()})) != []


def test_filters(simulator, api):
    _world_with_agents(simulator, api)
    url = _agents_url(simulator)

    def names(**params):
        return sorted(_hostnames(api.get(url, params=params)))

    assert names(hostname="web-02.ACME.local") == ["WEB-02.acme.local"]
    assert names(hostname="hlike(web)") == ["WEB-02.acme.local", "web-01.acme.local", "web-01.globex.local"]
    assert names(hostname="like(globex)") == ["files.globex.local", "web-01.globex.local"]
    assert names(hostname="tlike(.acme.local)") == ["WEB-02.acme.local", "db-01.acme.local", "web-01.acme.local"]
    assert names(os_family="linux") == ["db-01.acme.local", "web-01.acme.local"]
    assert names(online="false") == ["WEB-02.acme.local"]
    assert names(up_to_date="false") == ["db-01.acme.local"]
    assert names(unit="atp") == ["db-01.acme.local", "files.globex.local"]
    assert len(names(unit=["atp", "backup"])) == 5
    assert names(os_family="WINDOWS", online="true") == ["files.globex.local"]


def test_order_by_hostname(simulator, api):
    _world_with_agents(simulator, api)
    ascending = _hostnames(api.get(_agents_url(simulator), params={"order": "asc(hostname)"}))
    assert ascending == sorted(ascending, key=str.casefold)
    descending = _hostnames(api.get(_agents_url(simulator), params={"order": "desc(hostname)"}))
    assert descending == list(reversed(ascending))


def test_paging_with_after_and_before(simulator, api):
    _world_with_agents(simulator, api)
    url = _agents_url(simulator)
    everything = _hostnames(api.get(url, params={"order": "asc(hostname)"}))
    first = api.get(url, params={"order": "asc(hostname)", "limit": 2}).json()
    assert [a["hostname"] for a in first["items"]] == everything[:2]
    assert "before" not in first["paging"]["cursors"]
    second = api.get(url, params={"after": first["paging"]["cursors"]["after"], "limit": 2}).json()
    assert [a["hostname"] for a in second["items"]] == everything[2:4]
    last = api.get(url, params={"after": second["paging"]["cursors"]["after"], "limit": 2}).json()
    assert [a["hostname"] for a in last["items"]] == everything[4:]
    assert "after" not in last["paging"]["cursors"]
    back = api.get(url, params={"before": last["paging"]["cursors"]["before"], "limit": 2}).json()
    assert [a["hostname"] for a in back["items"]] == everything[2:4]
    assert _hostnames(api.get(url, params={"limit": 0})) != [] and len(_hostnames(api.get(url, params={"limit": 0}))) == 5


def test_paging_keeps_the_filters_of_the_first_request(simulator, api):
    _world_with_agents(simulator, api)
    url = _agents_url(simulator)
    first = api.get(url, params={"os_family": "LINUX", "limit": 1}).json()
    rest = api.get(url, params={"after": first["paging"]["cursors"]["after"]}).json()
    families = {a["platform"]["family"] for a in first["items"] + rest["items"]}
    assert families == {"LINUX"} and len(first["items"] + rest["items"]) == 2


def _agent_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["domain"] == "AGENT_MANAGER" and body["debug"]["msg"]
    return body


def test_errors_in_the_agent_managers_envelope(simulator, api):
    first, _second, _user, _agents = _world_with_agents(simulator, api)
    url = _agents_url(simulator)
    cursor = api.get(url, params={"limit": 1}).json()["paging"]["cursors"]["after"]
    _agent_error(api.get(url, params={"colour": "red"}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"os_family": "BEOS"}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"limit": "-1"}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"order": "asc(name)"}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"tenant_id": "acme"}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"after": cursor, "os_family": "LINUX"}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"after": cursor, "before": cursor}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"after": "bm90IGEgY3Vyc29y"}), 400, "BAD_REQUEST")
    _agent_error(api.get(url, params={"tenant_id": simulator.world.root_id}), 403, "ACCESS_DENIED")
    _agent_error(api.get(url, params={"tenant_id": "00000000-0000-4000-8000-000000000000"}), 403, "ACCESS_DENIED")
    assert requests.get(url, timeout=10).status_code == 401
    assert api.get(url, params={"tenant_id": first["id"]}).status_code == 200


def test_a_customer_scoped_token_sees_its_customer_only(simulator, api):
    first, _second, _user, _agents = _world_with_agents(simulator, api)
    exchanged = requests.post(simulator.api_url + "/idp/token", timeout=10, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": api.headers["Authorization"][7:], "scope": "urn:acronis.com:tenant-id:%s" % first["id"]})
    assert exchanged.status_code == 200, exchanged.text
    headers = {"Authorization": "Bearer " + exchanged.json()["access_token"]}
    response = requests.get(_agents_url(simulator), headers=headers, timeout=10)
    assert len(_hostnames(response)) == 3
    assert {a["tenant"]["name"] for a in response.json()["items"]} <= {first["name"], "acme-owner"}


def test_a_token_registers_several_agents_until_it_expires_or_is_revoked(simulator, api):
    customer, _user = _customer_with_user(api, simulator, "Reuse")
    token = _token(api, customer["id"], scopes=())
    assert _install(simulator, token["token"], "one").status_code == 201
    assert _install(simulator, token["token"], "two").status_code == 201
    _expire(simulator, token["id"])
    expired = _install(simulator, token["token"], "three")
    assert expired.status_code == 403 and expired.json()["error"]["code"] == "registration_token_expired"
    revoked = _token(api, customer["id"], scopes=())
    assert api.delete("/registration_tokens/%d" % revoked["id"]).status_code == 204
    gone = _install(simulator, revoked["token"], "four")
    assert gone.status_code == 403 and gone.json()["error"]["code"] == "registration_token_invalid"
    assert sorted(_hostnames(api.get(_agents_url(simulator), params={"tenant_id": customer["id"]}))) == ["one", "two"]


def test_install_refuses_a_token_whose_scope_does_not_resolve(simulator, api):
    customer, user = _customer_with_user(api, simulator, "Scoped")
    other, stranger = _customer_with_user(api, simulator, "Elsewhere")
    cases = [
        # the seed's empty personal tenant, on a token that is not a personal tenant's
        (customer["id"], [SEED_SCOPE]),
        # a personal tenant of a user of another customer
        (customer["id"], ["urn:acronis.com:tenant-id:%s:backup_agent_admin" % stranger["personal_tenant_id"]]),
        # a tenant that is not a personal tenant
        (customer["id"], ["urn:acronis.com:tenant-id:%s:backup_agent_admin" % customer["id"]]),
        # a plan of a tenant that does not own the token's tenant
        (customer["id"], ["urn:acronis.com::policy_management:%s|%s:apply_revoke" % (other["id"], POLICY)]),
    ]
    for tenant_id, scopes in cases:
        response = _install(simulator, _token(api, tenant_id, scopes=scopes)["token"], "host")
        assert response.status_code == 403, scopes
        assert response.json()["error"]["code"] == "registration_token_scope"
    accepted = [
        (customer["id"], ["urn:acronis.com:tenant-id:%s:backup_agent_admin" % user["personal_tenant_id"]]),
        (user["personal_tenant_id"], [SEED_SCOPE]),
        (customer["id"], ["urn:acronis.com::policy_management:%s|%s:apply_revoke" % (customer["id"], POLICY)]),
        (customer["id"], ["urn:acronis.com::policy_management:%s|%s:apply_revoke"
                          % (simulator.credentials["tenant_id"], POLICY)]),
    ]
    for tenant_id, scopes in accepted:
        assert _install(simulator, _token(api, tenant_id, scopes=scopes)["token"], "host").status_code == 201, scopes
    assert len(_hostnames(api.get(_agents_url(simulator), params={"tenant_id": customer["id"]}))) == 4


def test_install_refuses_unknown_tokens_disabled_tenants_and_bad_bodies(simulator, api):
    customer, _user = _customer_with_user(api, simulator, "Refusals")
    token = _token(api, customer["id"], scopes=())["token"]
    unknown = _install(simulator, "ZZZZ-ZZZZ-ZZZZ", "host")
    assert unknown.status_code == 403 and unknown.json()["error"]["code"] == "registration_token_invalid"
    for fields in ({"os_family": "BEOS"}, {"arch": "MIPS"}, {"units": "backup"}, {"online": "yes"}, {"colour": 1}):
        assert _install(simulator, token, "host", **fields).status_code == 400, fields
    assert _install(simulator, token, "  ").status_code == 400
    assert requests.post(simulator.base_url + "/_sim/agents/install", data="x", timeout=10).status_code == 400
    version = api.get("/tenants/%s" % customer["id"]).json()["version"]
    assert api.put("/tenants/%s" % customer["id"], json={"version": version, "enabled": False}).status_code == 200
    disabled = _install(simulator, token, "host")
    assert disabled.status_code == 403 and disabled.json()["error"]["code"] == "registration_token_invalid"


def test_uninstall_removes_an_agent(simulator, api):
    customer, _user = _customer_with_user(api, simulator, "Uninstall")
    agent = _install(simulator, _token(api, customer["id"], scopes=())["token"], "gone").json()
    assert requests.delete(simulator.base_url + "/_sim/agents/" + agent["id"], timeout=10).status_code == 204
    assert requests.delete(simulator.base_url + "/_sim/agents/" + agent["id"], timeout=10).status_code == 404
    assert _hostnames(api.get(_agents_url(simulator), params={"tenant_id": customer["id"]})) == []


def test_without_strict_mode_the_service_rules_still_hold():
    with running_simulator(strict=False, seed=7) as sim:
        headers = {"Authorization": "Bearer " + sim.token()}
        path = sim.api_url + "/tenants/%s/registration_tokens" % sim.credentials["tenant_id"]
        lenient = requests.post(path, json={"expires_in": "60", "scopes": []}, headers=headers, timeout=10)
        assert lenient.status_code == 200 and lenient.json()["expires_at"] > lenient.json()["created_at"]
        for body in ({"scopes": []}, {"expires_in": "soon", "scopes": []}, {"expires_in": 60, "scopes": "x"},
                     {"expires_in": 60, "scopes": [7]}):
            assert requests.post(path, json=body, headers=headers, timeout=10).status_code == 400, body
