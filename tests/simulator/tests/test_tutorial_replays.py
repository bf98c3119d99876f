"""Replays of Acronis's tutorials against the simulator, with `requests`, as the documents show them.

- seed 004 "Provisioning a customer tenant"
- seed 001 "Enabling the backup service for a user in a customer tenant"
- seed 000 "Base Acronis Cyber Platform API operations with Python" (the examples walkthrough)

Each replay checks every status code and body shape the document shows. What the documents
take for granted (their "you must have ..." preconditions) is set up first with the seed client.
"""

import csv
import io
import json
import time

import pytest
import requests

from .helpers import create_tenant, create_user, enable_items

CYBER_PROTECTION = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
HOSTED_STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"
GOOGLE_STORAGE = "ba2976d0-c13e-4661-ae60-b4593583fce2"
AZURE_STORAGE = "05348371-d95e-4cab-af2a-8e2cadafc30d"
ZERO = "00000000-0000-0000-0000-000000000000"
TENANT_KEYS = {"ancestral_access", "brand_id", "brand_uuid", "contact", "customer_id", "customer_type",
               "default_idp_id", "enabled", "has_children", "id", "internal_tag", "kind", "language", "name",
               "owner_id", "parent_id", "update_lock", "version"}
USER_KEYS = {"activated", "business_types", "contact", "created_at", "enabled", "id", "idp_id", "language", "login",
             "notifications", "personal_tenant_id", "tenant_id", "terms_accepted", "version"}
ITEM_KEYS = {"application_id", "locked", "measurement_unit", "name", "quota", "status", "type"}


def _client_for(api, tenant_id, name):
    response = api.post("/clients", json={"type": "api_client", "tenant_id": tenant_id,
                                          "token_endpoint_auth_method": "client_secret_basic",
                                          "data": {"client_name": name}})
    assert response.status_code == 201, response.text
    return response.json()


def _partner_of_the_tutorials(simulator, api):
    """A partner with Cyber Protect, Workstations and Backup storage enabled, and an API client in it."""
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Tutorial Partner")
    enable_items(api, root, partner["id"], kind="partner",
                 keep=lambda i: i["name"] in ("workstations", "storage") and i.get("infra_id") in (None, HOSTED_STORAGE))
    client = _client_for(api, partner["id"], "Tutorial client")
    return partner, client


def _authenticate(simulator, client):
    """'Authenticate to the cloud platform via the Python shell': base_url, auth, tenant_id."""
    base_url = simulator.api_url
    response = requests.post(f"{base_url}/idp/token", headers={"Content-Type": "application/x-www-form-urlencoded"},
                             auth=(client["client_id"], client["client_secret"]),
                             data={"grant_type": "client_credentials"}, timeout=10)
    assert response.status_code == 200, response.text
    auth = {"Authorization": "Bearer " + response.json()["access_token"]}
    tenant_id = requests.get(f"{base_url}/clients/{client['client_id']}", headers=auth, timeout=10).json()["tenant_id"]
    return base_url, auth, tenant_id


def _enable_workstations_and_storage(base_url, auth, partner_id, customer_id):
    response = requests.get(f"{base_url}/tenants/{partner_id}/offering_items/available_for_child", headers=auth,
                            params={"kind": "customer"}, timeout=10)
    assert response.status_code == 200, response.text
    offering_items = response.json()["items"]
    assert offering_items and all(ITEM_KEYS <= set(item) for item in offering_items)
    storage = [item for item in offering_items if item["name"] == "storage"]
    assert storage and storage[0]["type"] == "infra" and storage[0]["infra_id"] == HOSTED_STORAGE
    assert storage[0]["measurement_unit"] == "bytes" and storage[0]["status"] == 1
    assert storage[0]["quota"] == {"overage": None, "value": None, "version": 0}
    workstations = [item for item in offering_items if item["name"] == "workstations"]
    assert workstations and workstations[0]["type"] == "count" and workstations[0]["measurement_unit"] == "quantity"
    item_names = {"workstations", "storage"}
    items_to_enable = [item for item in offering_items if item["name"] in item_names]
    items = json.dumps({"offering_items": items_to_enable}, indent=4)
    response = requests.put(f"{base_url}/tenants/{customer_id}/offering_items",
                            headers={"Content-Type": "application/json", **auth}, data=items, timeout=10)
    assert response.status_code == 200, response.text
    return response


def _create_account(base_url, auth, customer_id, user_login, email, firstname, lastname):
    response = requests.get(f"{base_url}/users/check_login", headers=auth, params={"username": user_login},
                            timeout=10)
    assert response.status_code == 204, response.text
    account = json.dumps({"tenant_id": customer_id, "login": user_login,
                          "contact": {"email": email, "firstname": firstname, "lastname": lastname}}, indent=4)
    response = requests.post(f"{base_url}/users", headers={"Content-Type": "application/json", **auth}, data=account,
                             timeout=10)
    assert response.status_code == 200, response.text
    user = response.json()
    assert USER_KEYS <= set(user)
    assert user["activated"] is False and user["enabled"] is True and user["terms_accepted"] is False
    assert user["business_types"] == [] and user["language"] == "en" and user["version"] == 1
    assert user["notifications"] == ["quota", "reports", "backup_daily_report"]
    assert user["login"] == user_login and user["tenant_id"] == customer_id and user["personal_tenant_id"]
    assert {"email", "firstname", "lastname"} <= set(user["contact"])
    taken = requests.get(f"{base_url}/users/check_login", headers=auth, params={"username": user_login}, timeout=10)
    assert taken.status_code == 409
    return user


def _assign_role(base_url, auth, customer_id, user_id, role_id):
    roles = json.dumps({"items": [{"tenant_id": customer_id, "trustee_id": user_id, "role_id": role_id, "id": ZERO,
                                   "issuer_id": ZERO, "trustee_type": "user", "version": 0}]}, indent=4)
    response = requests.put(f"{base_url}/users/{user_id}/access_policies",
                            headers={"Content-Type": "application/json", **auth}, data=roles, timeout=10)
    assert response.status_code == 200, response.text
    policies = response.json()["items"]
    assert [(p["role_id"], p["tenant_id"], p["trustee_id"], p["trustee_type"]) for p in policies] == [
        (role_id, customer_id, user_id, "user")]
    assert policies[0]["id"] != ZERO


def test_seed_004_provisioning_a_customer_tenant(simulator, api):
    _partner, client = _partner_of_the_tutorials(simulator, api)
    base_url, auth, tenant_id = _authenticate(simulator, client)
    partner_id = tenant_id
    customer = json.dumps({"name": "Customer, Inc", "kind": "customer", "parent_id": partner_id,
                           "customer_id": "customer-inc", "ancestral_access": True, "enhanced_security": True},
                          indent=4)
    response = requests.post(f"{base_url}/tenants", headers={"Content-Type": "application/json", **auth},
                             data=customer, timeout=10)
    assert response.status_code == 201, response.text
    created = response.json()
    assert TENANT_KEYS <= set(created)
    assert created["kind"] == "customer" and created["name"] == "Customer, Inc" and created["parent_id"] == partner_id
    assert created["enabled"] is True and created["has_children"] is False and created["language"] == "en"
    assert created["customer_type"] == "default" and created["ancestral_access"] is True
    assert created["update_lock"] == {"enabled": False, "owner_id": None} and created["version"] == 1
    assert created["owner_id"] is None
    new_customer_id = created["id"]
    assert simulator.world.tenants[new_customer_id]["_enhanced_security"] is True
    pricing = requests.get(f"{base_url}/tenants/{new_customer_id}/pricing", headers=auth, timeout=10).json()
    assert pricing["mode"] == "trial"

    mfa_status = json.dumps({"enabled": True}, indent=4)
    response = requests.put(f"{base_url}/tenants/{new_customer_id}/mfa/status",
                            headers={"Content-Type": "application/json", **auth}, data=mfa_status, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json() == {"mfa_status": "enabled", "users_with_totp_enabled_count": 0, "users_count": 0,
                               "update_allowed": True}

    _enable_workstations_and_storage(base_url, auth, partner_id, new_customer_id)
    user = _create_account(base_url, auth, new_customer_id, "JohnDoe", "john.doe@example.com", "John", "Doe")
    _assign_role(base_url, auth, new_customer_id, user["id"], "company_admin")
    response = requests.post(f"{base_url}/users/{user['id']}/send-activation-email",
                             headers={"Content-Type": "application/json", **auth}, timeout=10)
    assert response.status_code == 204, response.text
    assert response.content == b""


def test_seed_001_enabling_the_backup_service_for_a_user(simulator, api):
    _partner, client = _partner_of_the_tutorials(simulator, api)
    base_url, auth, tenant_id = _authenticate(simulator, client)
    partner_id = tenant_id
    customer = json.dumps({"name": "Customer, Inc", "kind": "customer", "parent_id": partner_id}, indent=4)
    response = requests.post(f"{base_url}/tenants", headers={"Content-Type": "application/json", **auth},
                             data=customer, timeout=10)
    assert response.status_code == 201, response.text
    assert TENANT_KEYS <= set(response.json()) and response.json()["version"] == 1
    customer_id = response.json()["id"]

    _enable_workstations_and_storage(base_url, auth, partner_id, customer_id)
    user = _create_account(base_url, auth, customer_id, "RichardDoe", "richard.doe@example.com", "Richard", "Doe")
    user_id = user["id"]
    _assign_role(base_url, auth, customer_id, user_id, "backup_user")
    # the role gives the user's personal tenant the customer's items and quotas
    personal = requests.get(f"{base_url}/tenants/{user['personal_tenant_id']}/offering_items", headers=auth,
                            timeout=10)
    assert personal.status_code == 200, personal.text
    enabled = {item["name"] for item in personal.json()["items"] if item["status"] == 1}
    assert {"workstations", "storage"} <= enabled

    password = json.dumps({"password": "newUserPassword312"}, indent=4)
    response = requests.post(f"{base_url}/users/{user_id}/password",
                             headers={"Content-Type": "application/json", **auth}, data=password, timeout=10)
    assert response.status_code == 204, response.text
    activated = requests.get(f"{base_url}/users/{user_id}", headers=auth, timeout=10).json()
    assert activated["activated"] is True
    me = requests.get(f"{base_url}/users/me", auth=("RichardDoe", "newUserPassword312"), timeout=10)
    assert me.status_code == 200 and me.json()["id"] == user_id


def _dev_cloud_account(simulator, api):
    """The examples' precondition: an administrator login of a partner on a data center like dev-cloud.

    The account's partner gets every item the data center offers (the simulator's catalog): on the
    default catalog, as on dev-cloud, storage and DR on the Acronis-hosted and the Google DR storage
    (the example's customer filter drops Google so that one storage remains).
    """
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Developer Sandbox Partner")
    for edition in ("standard", "pck_per_gigabyte"):
        enable_items(api, root, partner["id"], kind="partner", edition=edition)
    admin = create_user(api, partner["id"], "sandbox-admin")
    assert api.put(f"/users/{admin['id']}/access_policies", json={"items": [
        {"id": ZERO, "issuer_id": ZERO, "role_id": "partner_admin", "tenant_id": partner["id"],
         "trustee_id": admin["id"], "trustee_type": "user", "version": 0}]}).status_code == 200
    assert api.post(f"/users/{admin['id']}/password", json={"password": "Sandbox-Pass-1"}).status_code == 204
    return "sandbox-admin", "Sandbox-Pass-1"


def _poll_and_download(acronis_get, report_id):
    report_status = "non saved"
    deadline = time.monotonic() + 10
    while report_status != "saved":
        response = acronis_get(f"api/2/reports/{report_id}/stored")
        assert response.ok, response.text
        items = response.json()["items"]
        assert items and set(items[0]) >= {"id", "report_format", "created_at", "status"}
        report_status = items[0]["status"]
        assert report_status in ("in_progress", "saved") and time.monotonic() < deadline
        time.sleep(0.05)
    stored_report_id = response.json()["items"][0]["id"]
    response = acronis_get(f"api/2/reports/{report_id}/stored/{stored_report_id}")
    assert response.status_code == 200
    return response


class _Seed000:
    """The examples' Acronis class: an API client created with Basic, its token, and get/post/put."""

    def __init__(self, base_url, username, password):
        self.base_url = base_url
        header = {"User-Agent": "ACP 3.0/Acronis Cyber Platform Python Examples"}

        # authorization/create_api_client.py
        response = requests.get(f"{base_url}api/2/users/me", auth=(username, password), timeout=10)
        assert response.ok, response.text
        my_tenant_id = response.json()["tenant_id"]
        client = {"type": "api_client", "tenant_id": f"{my_tenant_id}",
                  "token_endpoint_auth_method": "client_secret_basic", "data": {"client_name": "Python.Client"}}
        response = requests.post(f"{base_url}api/2/clients", headers={**header, "Content-Type": "application/json"},
                                 auth=(username, password), data=json.dumps(client), timeout=10)
        assert response.status_code == 201, response.text
        api_client = response.json()
        assert {"client_id", "client_secret", "tenant_id", "type", "data", "token_endpoint_auth_method",
                "client_secret_expires_at"} <= set(api_client)
        assert api_client["tenant_id"] == my_tenant_id and api_client["data"] == {"client_name": "Python.Client"}

        # authorization/issue_access_token.py
        response = requests.post(f"{base_url}api/2/idp/token",
                                 headers={**header, "Content-Type": "application/x-www-form-urlencoded"},
                                 auth=(api_client["client_id"], api_client["client_secret"]),
                                 data={"grant_type": "client_credentials"}, timeout=10)
        assert response.ok, response.text
        token = response.json()
        assert token["token_type"] == "bearer" and token["access_token"] and token["id_token"]
        assert 7000 < token["expires_on"] - time.time() <= 7200
        self.bearer = {**header, "Content-Type": "application/json", "Authorization": "Bearer " + token["access_token"]}

        # Config(full=True): the tenant of the API client
        self.tenant_id = self.get(f"api/2/clients/{api_client['client_id']}").json()["tenant_id"]
        assert self.tenant_id == my_tenant_id

    def get(self, path):
        """acronis.get"""
        return requests.get(self.base_url + path, headers=self.bearer, timeout=10)

    def post(self, path, data=None):
        """acronis.post"""
        return requests.post(self.base_url + path, headers=self.bearer, data=data, timeout=10)

    def put(self, path, data):
        """acronis.put"""
        return requests.put(self.base_url + path, headers=self.bearer, data=data, timeout=10)

    def partner_and_customer(self, edition="pck_per_gigabyte"):
        """The partner and customer scripts, literally; returns (partner, customer, filtered items, the PUT)."""
        tenant_id = self.tenant_id
        # tenants/create_partner_tenant_and_assign_specific_edition.py
        response = self.post("api/2/tenants", json.dumps({"name": "Python Partner AB12CD v3.0",
                                                          "parent_id": f"{tenant_id}", "kind": "partner"}))
        assert response.status_code == 201, response.text
        new_partner = response.json()
        response = self.get(f"api/2/tenants/{tenant_id}/offering_items/available_for_child"
                            f"?kind=partner&edition={edition}")
        assert response.ok, response.text
        offering_items = json.loads('{"offering_items":[]}')
        offering_items["offering_items"] = response.json()["items"]
        response = self.put(f"api/2/tenants/{new_partner['id']}/offering_items", json.dumps(offering_items))
        assert response.status_code == 200, response.text

        # tenants/create_customer_tenant_and_assign_specific_edition.py, with the example's storage filter
        response = self.post("api/2/tenants", json.dumps({"name": "Python Customer EF34GH v3.0",
                                                          "parent_id": f"{new_partner['id']}", "kind": "customer"}))
        assert response.status_code == 201, response.text
        new_customer = response.json()
        response = self.get(f"api/2/tenants/{tenant_id}/offering_items/available_for_child"
                            f"?kind=customer&edition={edition}")
        assert response.ok, response.text
        offering_items_to_filter = response.json()["items"]
        filtered = [oi for oi in offering_items_to_filter
                    if (oi["type"] == "infra" and oi["infra_id"] != GOOGLE_STORAGE) or (oi["type"] != "infra")]
        filtered = [oi for oi in filtered
                    if (oi["type"] == "feature" and oi["usage_name"].startswith("dr_")
                        and oi["infra_id"] != GOOGLE_STORAGE)
                    or (oi["type"] != "feature") or not oi["usage_name"].startswith("dr_")]
        response = self.put(f"api/2/tenants/{new_customer['id']}/offering_items",
                            json.dumps({"offering_items": filtered}))
        return new_partner, new_customer, filtered, response


def test_seed_000_python_examples_walkthrough(simulator, api):
    requests.put(simulator.base_url + "/_sim/settings", json={"report_delay": 0.2}, timeout=10)
    username, password = _dev_cloud_account(simulator, api)
    base_url = simulator.base_url + "/"
    acronis = _Seed000(base_url, username, password)
    acronis_get, acronis_post, acronis_put, tenant_id = acronis.get, acronis.post, acronis.put, acronis.tenant_id

    # The partner and the customer, every item of the edition, minus the Google DR storage for the customer:
    # accepted on the default (developer sandbox) world.
    new_partner, new_customer, filtered, response = acronis.partner_and_customer()
    assert response.status_code == 200, response.text
    assert {oi["infra_id"] for oi in filtered if oi["type"] == "infra"} == {HOSTED_STORAGE}
    response = acronis_get(f"api/2/tenants/{new_customer['id']}/offering_items?edition=pck_per_gigabyte")
    enabled = [oi for oi in response.json()["items"] if oi["status"] == 1]
    assert sorted((oi["name"], oi.get("infra_id")) for oi in enabled) == sorted(
        (oi["name"], oi.get("infra_id")) for oi in filtered)
    # One storage of each type is left, and the DR features on the hosted storage alone.
    assert {(oi["name"], oi["infra_id"]) for oi in enabled if oi["type"] == "infra"} == {
        ("pckpg_storage", HOSTED_STORAGE), ("fc_storage", HOSTED_STORAGE)}
    assert {(oi["name"], oi["infra_id"]) for oi in enabled if oi["type"] == "feature" and "infra_id" in oi} == {
        ("pckpg_dr_cloud_servers", HOSTED_STORAGE)}

    # pricing to production (the whole GET object is sent back)
    response = acronis_get(f"api/2/tenants/{new_customer['id']}/pricing")
    assert response.ok and response.json()["mode"] == "trial"
    pricing = response.json()
    pricing["mode"] = "production"
    response = acronis_put(f"api/2/tenants/{new_customer['id']}/pricing", json.dumps(pricing))
    assert response.status_code == 200, response.text
    assert response.json()["mode"] == "production"

    # users/create_user_for_customer_activate_assign_backup_user_role.py
    login = "python-example-user"
    response = acronis_get(f"api/2/users/check_login?username={login}")
    assert response.ok and response.status_code == 204
    response = acronis_post("api/2/users", json.dumps({
        "tenant_id": f"{new_customer['id']}", "login": f"{login}",
        "contact": {"email": "user@example.com", "firstname": f"First {login}", "lastname": f"Last {login}"}}))
    assert response.status_code == 200, response.text
    new_user = response.json()
    response = acronis_post(f"api/2/users/{new_user['id']}/send-activation-email")
    assert response.status_code == 204, response.text
    user_role = {"items": [{"id": ZERO, "issuer_id": ZERO, "role_id": "backup_user",
                            "tenant_id": f"{new_customer['id']}", "trustee_id": f"{new_user['id']}",
                            "trustee_type": "user", "version": 0}]}
    response = acronis_put(f"api/2/users/{new_user['id']}/access_policies", json.dumps(user_role))
    assert response.status_code == 200, response.text

    # usage/get_tenant_usage.py
    requests.put(simulator.base_url + "/_sim/usage", json={"tenant_id": new_user["personal_tenant_id"], "usages": [
        {"name": "pckpg_storage", "infra_id": HOSTED_STORAGE, "value": 123456}]}, timeout=10)
    response = acronis_get(f"api/2/tenants/{tenant_id}/usages")
    assert response.ok, response.text
    storage = [u for u in response.json()["items"] if u["name"] == "pckpg_storage"
               and u.get("infra_id") == HOSTED_STORAGE]
    assert storage and storage[0]["value"] == 123456 and storage[0]["usage_name"] == "storage"

    # reports/create_report_retrieve.py
    report = {"parameters": {"kind": "usage_current", "tenant_id": f"{tenant_id}", "level": "accounts",
                             "formats": ["csv_v2_0"]},
              "schedule": {"type": "once"}, "result_action": "save"}
    response = acronis_post("api/2/reports", json.dumps(report))
    assert response.ok and response.status_code == 201, response.text
    download = _poll_and_download(acronis_get, response.json()["id"])
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert ("python-example-user", "pckpg_storage", "123456") in {
        (r["Tenant name"], r["Offering item"], r["Usage"]) for r in rows}

    # reports/create_sku_report_retrieve.py (flags as strings, period next to parameters)
    report = {"parameters": {"kind": "usage_summary", "tenant_id": f"{tenant_id}", "level": "direct_partners",
                             "formats": ["csv_v2_0"], "show_skus": "true", "hide_zero_usage": "false"},
              "period": {"start": "2021-10-01", "end": "2021-10-31"},
              "schedule": {"type": "once"}, "result_action": "save"}
    response = acronis_post("api/2/reports", json.dumps(report))
    assert response.ok and response.status_code == 201, response.text
    download = _poll_and_download(acronis_get, response.json()["id"])
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert rows and {r["Tenant ID"] for r in rows} == {new_partner["id"]} and all(r["SKU"] for r in rows)
    assert {r["Period start"] for r in rows} == {"2021-10-01"}
    partner_storage = [r for r in rows if r["Offering item"] == "pckpg_storage" and r["Storage ID"] == HOSTED_STORAGE]
    assert [r["Usage"] for r in partner_storage] == ["123456"]
    assert CYBER_PROTECTION in {r["Service ID"] for r in rows}


@pytest.mark.simulator(catalog="rich")
def test_seed_000_customer_flow_on_the_rich_catalog_is_refused(simulator, api):
    """On a data center with a third storage (--catalog rich), dropping the Google DR storage leaves two: 1027."""
    username, password = _dev_cloud_account(simulator, api)
    acronis = _Seed000(simulator.base_url + "/", username, password)
    _partner, new_customer, filtered, response = acronis.partner_and_customer()
    assert {oi["infra_id"] for oi in filtered if oi["type"] == "infra" and oi["application_id"] == CYBER_PROTECTION} \
        == {HOSTED_STORAGE, AZURE_STORAGE}
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == 1027
    assert "only one storage of each type" in response.json()["error"]["message"]
    response = acronis.get(f"api/2/tenants/{new_customer['id']}/offering_items?edition=pck_per_gigabyte")
    assert [oi for oi in response.json()["items"] if oi["status"] == 1] == []
