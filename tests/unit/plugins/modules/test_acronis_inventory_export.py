# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_inventory_export against a mocked API: the requests it sends, the inventory it writes (hand-written
expected variables), the subset options, merging into a hand-written file, check and diff mode."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from ansible_collections.acronis.cyber_platform.plugins.module_utils import inventory_export, validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_inventory_export as module_under_test

from .conftest import API, BASE_URL, api_calls, writes

ROOT = "00000000-aaaa-4000-8000-000000000000"
PARTNER = "11111111-aaaa-4000-8000-000000000001"
CONTOSO = "22222222-aaaa-4000-8000-000000000002"
CONTOSO_COMMA = "33333333-aaaa-4000-8000-000000000003"
FOLDER = "44444444-aaaa-4000-8000-000000000004"
FOLDED = "55555555-aaaa-4000-8000-000000000005"
UNIT = "66666666-aaaa-4000-8000-000000000006"
OTHER_PARTNER = "77777777-aaaa-4000-8000-000000000007"
STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"


def tenant(tid, name, kind, parent, **fields):
    base = {"id": tid, "name": name, "kind": kind, "parent_id": parent, "enabled": True, "ancestral_access": True,
            "mfa_status": "enabled", "pricing_mode": "trial", "language": "en", "customer_id": None,
            "internal_tag": None, "contact": {"email": None, "types": []}, "deleted_at": None,
            "brand_enabled": False, "offering_items": []}
    base.update(fields)
    return base


def item(name, status=1, value=None, overage=None, infra_id=None, edition="per_workload", app="app-backup"):
    entry = {"application_id": app, "name": name, "edition": edition, "status": status, "usage_name": name}
    if infra_id:
        entry["infra_id"] = infra_id
    if status:
        entry["quota"] = {"value": value, "overage": overage, "version": 1}
    return entry


def user(uid, tenant_id, login, email, roles=(), activated=True, **fields):
    base = {"id": uid, "tenant_id": tenant_id, "login": login, "activated": activated, "enabled": True,
            "language": "en", "notifications": ["quota", "reports", "not_a_known_one"],
            "contact": {"email": email, "firstname": "", "lastname": None}, "deleted_at": None,
            "access_policies": [{"role_id": role, "tenant_id": where or tenant_id} for role, where in roles]}
    base.update(fields)
    return base


TENANTS = [
    tenant(ROOT, "Root", "partner", ROOT),
    tenant(PARTNER, "Northwind Reseller", "partner", ROOT, pricing_mode="production", brand_enabled=True,
           customer_id="P-1", offering_items=[item("pw_workstations"), item("pw_servers", status=0)]),
    tenant(CONTOSO, "Contoso Ltd", "customer", PARTNER, customer_id="NW-0001", internal_tag="gold",
           ancestral_access=False, mfa_status="disabled",
           contact={"email": "it@contoso.example", "firstname": "Ada", "phone": "", "types": []},
           offering_items=[item("pw_workstations", value=25, overage=5), item("pw_storage", value=1024, infra_id=STORAGE),
                           item("pw_servers", status=0), item("pg_workstations", status=0, edition="per_gigabyte")]),
    tenant(CONTOSO_COMMA, "Contoso, Ltd.", "customer", PARTNER, enabled=False,
           offering_items=[item("pw_workstations"), item("pg_workstations", edition="per_gigabyte")]),
    tenant(FOLDER, "Archive", "folder", PARTNER),
    tenant(FOLDED, "Initech", "customer", FOLDER, settings={"enhanced_security": True}),
    tenant(UNIT, "Contoso Sales", "unit", CONTOSO, mfa_status="disabled"),
    tenant(OTHER_PARTNER, "Globex Partner", "partner", ROOT),
]
USERS = [
    user("u-1", CONTOSO, "contoso-admin", "admin@contoso.example", roles=[("company_admin", None)]),
    user("u-2", CONTOSO, "Audit", "audit@contoso.example", activated=False,
         roles=[("readonly_admin", None), ("company_admin", UNIT), ("mystery_admin", None)]),
    user("u-3", CONTOSO, "no-mail", "", roles=[("company_admin", None)]),
    user("u-4", PARTNER, "northwind-admin", "nancy@northwind.example", roles=[("partner_admin", None)]),
]
BRAND = {"company_name": "Northwind Cloud", "color": "2E7D32", "smtp_override": 0, "smtp_port": 0, "smtp_server": "",
         "smtp_password": "never-written", "white_labeled_agent": False, "logo": None}


def ancestry(tenant_id):
    """The tenant's ID and its ancestors' IDs."""
    by_id = dict((t["id"], t) for t in TENANTS)
    chain = [tenant_id]
    while by_id[chain[-1]]["parent_id"] != chain[-1]:
        chain.append(by_id[chain[-1]]["parent_id"])
    return chain


@pytest.fixture
def api(http):
    """The subtree of ROOT (one page each for tenants and users) and the partner's brand."""
    http.get(API + "/users/me", json={"tenant_id": ROOT})
    http.get(API + "/clients/cid", json={"tenant_id": ROOT})

    def tenants_page(request, context):
        query = parse_qs(urlparse(request.url).query)
        root = query["subtree_root_id"][0]
        return {"items": [t for t in TENANTS if root in ancestry(t["id"])], "paging": {"cursors": {}}}

    http.get(API + "/tenants", json=tenants_page)
    http.get(API + "/users", json={"items": USERS, "paging": {"cursors": {}}})
    http.get(API + "/tenants/%s/brand" % PARTNER, json=BRAND)
    return http


def written(path):
    with open(str(path), encoding="utf-8") as stream:
        return stream.read()


def test_the_export_reads_the_subtree_in_three_requests_and_writes_every_managed_variable(api, run_module, tmp_path,
                                                                                          monkeypatch):
    warnings = []
    monkeypatch.setattr(AcronisModule, "warn", lambda self, warning: warnings.append(warning))
    dest = tmp_path / "fleet.yml"
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest)})
    assert not out.failed, out.result
    assert out.result["changed"] is True
    queries = [(r.method, r.path, parse_qs(urlparse(r.url).query)) for r in api_calls(api)]
    assert queries == [
        ("GET", "/api/2/tenants", {"subtree_root_id": [ROOT], "lod": ["full"], "with_offering_items": ["true"]}),
        ("GET", "/api/2/users", {"subtree_root_tenant_id": [ROOT], "with_access_policies": ["true"]}),
        ("GET", "/api/2/tenants/%s/brand" % PARTNER, {}),
    ]
    assert writes(api) == []
    inventory = yaml.safe_load(written(dest))
    assert inventory == out.result["inventory"]
    groups = inventory["all"]["children"]
    assert sorted(groups["partners"]["hosts"]) == ["globex-partner", "northwind-reseller"]
    # Two customers whose names give one slug are told apart by the start of their IDs; the folder is no host.
    assert sorted(groups["customers"]["hosts"]) == ["contoso-ltd-22222222", "contoso-ltd-33333333", "initech"]
    assert sorted(groups["units"]["hosts"]) == ["contoso-sales"]
    assert groups["customers"]["hosts"]["contoso-ltd-22222222"] == {
        "tenant_onboarding_name": "Contoso Ltd",
        "tenant_onboarding_parent": "northwind-reseller",
        "tenant_onboarding_customer_id": "NW-0001",
        "tenant_onboarding_internal_tag": "gold",
        "tenant_onboarding_language": "en",
        "tenant_onboarding_contact": {"email": "it@contoso.example", "firstname": "Ada"},
        "tenant_onboarding_enabled": True,
        "tenant_onboarding_management_mode": "self_service",
        "tenant_onboarding_mfa": False,
        "tenant_onboarding_production": False,
        "tenant_onboarding_edition": "per_workload",
        "tenant_onboarding_offering_items": [
            {"name": "pw_storage", "infra_id": STORAGE, "quota": {"value": 1024}},
            {"name": "pw_workstations", "quota": {"value": 25, "overage": 5}},
        ],
        "tenant_onboarding_administrators": [
            {"login": "Audit", "email": "audit@contoso.example", "language": "en", "enabled": True,
             "notifications": ["quota", "reports"], "roles": ["readonly_admin"], "activation": "none"},
            {"login": "contoso-admin", "email": "admin@contoso.example", "language": "en", "enabled": True,
             "notifications": ["quota", "reports"], "roles": ["company_admin"], "activation": "email"},
        ],
    }
    partner = groups["partners"]["hosts"]["northwind-reseller"]
    assert partner["tenant_onboarding_parent_id"] == ROOT
    assert partner["tenant_onboarding_all_offering_items"] is False
    assert partner["tenant_onboarding_production"] is True
    assert partner["tenant_onboarding_brand"] == {"company_name": "Northwind Cloud", "color": "2E7D32",
                                                  "smtp_override": False, "white_labeled_agent": False}
    other = groups["customers"]["hosts"]["contoso-ltd-33333333"]
    assert other["tenant_onboarding_enabled"] is False
    assert other["tenant_onboarding_edition"] == "*"
    # Under a folder: the folder's ID; enhanced security, reported on, is written.
    assert groups["customers"]["hosts"]["initech"]["tenant_onboarding_parent_id"] == FOLDER
    assert groups["customers"]["hosts"]["initech"]["tenant_onboarding_enhanced_security"] is True
    unit = groups["units"]["hosts"]["contoso-sales"]
    assert unit["tenant_onboarding_parent"] == "contoso-ltd-22222222"
    assert "tenant_onboarding_mfa" not in unit
    assert out.result["hosts"] == {"partners": 2, "customers": 3, "units": 1}
    text = written(dest)
    assert "never-written" not in text and "smtp_password" not in text
    assert len(warnings) == 1
    warning = warnings[0]
    assert "no-mail has no e-mail address" in warning
    assert "Audit has role company_admin on tenant %s" % UNIT in warning
    assert "Audit has role mystery_admin" in warning


def test_a_second_export_of_the_same_world_writes_nothing_and_check_mode_predicts_it(api, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    assert run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest)}).result["changed"] is True
    first = written(dest)
    again = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest)}, check_mode=True, diff=True)
    assert again.result["changed"] is False and "diff" not in again.result
    assert run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest)}).result["changed"] is False
    assert written(dest) == first


def test_check_mode_writes_no_file_and_diff_mode_shows_the_text(api, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest)}, check_mode=True, diff=True)
    assert out.result["changed"] is True
    assert not dest.exists()
    assert out.result["diff"]["before"] == ""
    assert "contoso-sales:" in out.result["diff"]["after"]
    assert out.result["diff"]["after_header"] == str(dest)


@pytest.mark.parametrize("partner", ["northwind reseller", PARTNER])
def test_a_partner_by_name_or_id_exports_its_subtree_only(api, run_module, partner):
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "partner": partner})
    assert not out.failed, out.result
    groups = out.result["inventory"]["all"]["children"]
    assert sorted(groups["partners"]["hosts"]) == ["northwind-reseller"]
    assert sorted(groups["customers"]["hosts"]) == ["contoso-ltd-22222222", "contoso-ltd-33333333", "initech"]
    assert groups["partners"]["hosts"]["northwind-reseller"]["tenant_onboarding_parent_id"] == ROOT


def test_an_unknown_partner_fails_naming_the_partners(api, run_module):
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "partner": "Northwnd"})
    assert out.failed
    assert "no partner named or with the ID 'Northwnd'" in out.result["msg"]
    assert "Northwind Reseller" in out.result["msg"]


def test_name_patterns_keep_the_matching_tenants_with_their_units(api, run_module):
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "name_patterns": ["CONTOSO L*"]})
    groups = out.result["inventory"]["all"]["children"]
    assert groups["partners"]["hosts"] == {}
    assert sorted(groups["customers"]["hosts"]) == ["contoso-ltd"]
    # Its parent is no host of the export: named by ID.
    assert groups["customers"]["hosts"]["contoso-ltd"]["tenant_onboarding_parent_id"] == PARTNER
    assert groups["units"]["hosts"]["contoso-sales"]["tenant_onboarding_parent"] == "contoso-ltd"


HAND_WRITTEN = """\
# hand-written
all:
  children:
    customers:
      vars:
        tenant_onboarding_admin_activation: password
      hosts:
        contoso:
          tenant_onboarding_name: contoso ltd
          tenant_onboarding_customer_id: OLD
          tenant_onboarding_purge_offering_items: true
          tenant_onboarding_passwords:
            contoso-admin: !vault |
              $ANSIBLE_VAULT;1.1;AES256
              61626364
          tenant_onboarding_administrators:
            - login: CONTOSO-ADMIN
              email: old@contoso.example
              activation: password
              purge_roles: true
        gone:
          tenant_onboarding_name: Gone Corp
"""


def test_a_merge_keeps_hand_written_variables_hosts_and_vault_values(api, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    dest.write_text(HAND_WRITTEN, encoding="utf-8")
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest), "name_patterns": ["contoso*"]},
                     diff=True)
    assert not out.failed, out.result
    text = written(dest)
    assert "!vault |\n" in text and "61626364" in text
    inventory = inventory_export.load(text)
    customers = inventory["all"]["children"]["customers"]
    assert customers["vars"] == {"tenant_onboarding_admin_activation": "password"}
    contoso = customers["hosts"]["contoso"]
    assert contoso["tenant_onboarding_name"] == "Contoso Ltd"
    assert contoso["tenant_onboarding_customer_id"] == "NW-0001"
    assert contoso["tenant_onboarding_purge_offering_items"] is True
    assert contoso["tenant_onboarding_passwords"]["contoso-admin"].tag == "!vault"
    admin = [a for a in contoso["tenant_onboarding_administrators"] if a["login"] == "contoso-admin"][0]
    assert admin["email"] == "admin@contoso.example"
    assert admin["activation"] == "password" and admin["purge_roles"] is True
    assert customers["hosts"]["gone"] == {"tenant_onboarding_name": "Gone Corp"}
    # Every group of the export is there, with its hosts, even one the export found no host for.
    assert inventory["all"]["children"]["partners"] == {"hosts": {}}
    # The other Contoso is new: named as the export names it (its slug, shared with Contoso Ltd, with its ID's start).
    assert sorted(customers["hosts"]) == ["contoso", "contoso-ltd-33333333", "gone"]
    assert inventory["all"]["children"]["units"]["hosts"]["contoso-sales"]["tenant_onboarding_parent"] == "contoso"
    assert out.result["diff"]["before"] == HAND_WRITTEN
    # And once merged, the same export changes nothing.
    again = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest), "name_patterns": ["contoso*"]})
    assert again.result["changed"] is False


def test_merge_false_replaces_the_file(api, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    dest.write_text(HAND_WRITTEN, encoding="utf-8")
    run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest), "merge": False})
    assert "gone" not in yaml.safe_load(written(dest))["all"]["children"]["customers"]["hosts"]


def test_a_file_that_is_not_yaml_fails_before_any_request(api, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    dest.write_text("all: [unclosed\n", encoding="utf-8")
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest)})
    assert out.failed
    assert "is not a YAML inventory that can be merged into" in out.result["msg"]
    assert "merge=false" in out.result["msg"]


def test_the_yaml_is_the_same_text_whatever_the_order_of_the_data():
    one = {"all": {"vars": {"b": 1, "a": [3, {"y": 1, "x": 2}]}}}
    two = {"all": {"vars": {"a": [3, {"x": 2, "y": 1}], "b": 1}}}
    assert inventory_export.dump(one) == inventory_export.dump(two)
    assert inventory_export.dump(one).endswith("---\nall:\n  vars:\n    a:\n      - 3\n      - x: 2\n        y: 1\n    b: 1\n")


def test_offering_items_of_several_editions_give_every_edition_and_name_the_application_when_needed():
    items = [item("pw_workstations", app="a1"), item("pw_workstations", status=0, app="a2"),
             item("pg_storage", edition="per_gigabyte", value=0)]
    assert inventory_export.offering_items(items) == ("*", [
        {"name": "pg_storage", "quota": {"value": 0}},
        {"name": "pw_workstations", "application_id": "a1", "quota": {"unlimited": True}},
    ])


# ------------------------------------------------------------------ the data center of each host

TWO = "https://two.example.test"
TWO_ROOT = "88888888-aaaa-4000-8000-000000000008"
TWO_CONTOSO = "99999999-aaaa-4000-8000-000000000009"
TWO_UMBRELLA = "aaaaaaaa-aaaa-4000-8000-00000000000a"


@pytest.fixture
def two(api):
    """A second data center, at TWO: a customer named as one of the first's (Contoso Ltd), and Umbrella."""
    tenants = [tenant(TWO_ROOT, "Root Two", "partner", TWO_ROOT),
               tenant(TWO_CONTOSO, "Contoso Ltd", "customer", TWO_ROOT, customer_id="US-0001"),
               tenant(TWO_UMBRELLA, "Umbrella", "customer", TWO_ROOT)]
    api.post(TWO + "/api/2/idp/token",
             json={"access_token": "tok2", "token_type": "bearer", "expires_on": 4102444800, "id_token": "id"})
    api.get(TWO + "/api/2/tenants", json={"items": tenants, "paging": {"cursors": {}}})
    api.get(TWO + "/api/2/users", json={"items": [], "paging": {"cursors": {}}})
    return api


def test_every_host_is_in_the_group_of_its_data_center_with_the_connection_variables(api, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest)})
    assert not out.failed, out.result
    groups = yaml.safe_load(written(dest))["all"]["children"]
    # No name given: the data center's host name, made a group name.
    assert out.result["data_center"] == {"name": "dc_example_test", "group": "data_center_dc_example_test",
                                         "base_url": "https://dc.example.test"}
    center = groups["data_center_dc_example_test"]
    assert center["vars"] == {"acronis_data_center": "dc_example_test", "acronis_base_url": "https://dc.example.test"}
    assert sorted(center["hosts"]) == ["contoso-ltd-22222222", "contoso-ltd-33333333", "contoso-sales",
                                       "globex-partner", "initech", "northwind-reseller"]
    assert set(map(bool, center["hosts"].values())) == {False}


def test_a_credentials_file_is_written_as_its_path_and_never_its_secret(api, run_module, tmp_path):
    creds = tmp_path / "eu2.json"
    creds.write_text('{"base_url": "%s/api/2", "client_id": "cid", "client_secret": "s3cr3t-value"}' % API[:-len("/api/2")],
                     encoding="utf-8")
    dest = tmp_path / "fleet.yml"
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest), "data_center": "eu2",
                                         "credentials_file": str(creds), "base_url": None, "client_id": None,
                                         "client_secret": None})
    assert not out.failed, out.result
    text = written(dest)
    assert yaml.safe_load(text)["all"]["children"]["data_center_eu2"]["vars"] == {
        "acronis_data_center": "eu2", "acronis_base_url": "https://dc.example.test",
        "acronis_credentials_file": str(creds)}
    assert "s3cr3t-value" not in text and "client_id" not in text and "cid" not in text


def test_two_data_centers_merge_into_one_inventory_each_host_with_its_own(two, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    one = {"root_tenant_id": ROOT, "dest": str(dest), "data_center": "one", "name_patterns": ["CONTOSO L*"]}
    other = {"root_tenant_id": TWO_ROOT, "dest": str(dest), "data_center": "two", "base_url": TWO}
    assert run_module(module_under_test, one).result["changed"] is True
    # By hand: the API client of data center two, which the export never writes and a merge keeps.
    inventory = inventory_export.load(written(dest))
    inventory["all"]["children"]["data_center_two"] = {"vars": {"acronis_client_id": "by-hand"}}
    dest.write_text(inventory_export.dump(inventory), encoding="utf-8")
    out = run_module(module_under_test, other)
    assert not out.failed, out.result
    groups = yaml.safe_load(written(dest))["all"]["children"]
    # Contoso Ltd of data center two is not the host of data center one's Contoso Ltd (the same name): a host of its
    # own, whose slug data center one's host has, so with the start of its ID.
    assert sorted(groups["customers"]["hosts"]) == ["contoso-ltd", "contoso-ltd-99999999", "umbrella"]
    assert groups["customers"]["hosts"]["contoso-ltd"]["tenant_onboarding_customer_id"] == "NW-0001"
    assert groups["customers"]["hosts"]["contoso-ltd-99999999"]["tenant_onboarding_customer_id"] == "US-0001"
    assert sorted(groups["data_center_one"]["hosts"]) == ["contoso-ltd", "contoso-sales"]
    assert sorted(groups["data_center_two"]["hosts"]) == ["contoso-ltd-99999999", "umbrella"]
    assert groups["data_center_one"]["vars"] == {"acronis_data_center": "one", "acronis_base_url": BASE_URL}
    assert groups["data_center_two"]["vars"] == {"acronis_data_center": "two", "acronis_base_url": TWO,
                                                 "acronis_client_id": "by-hand"}
    # Exported again, each into the same file, in either order: nothing changes.
    assert run_module(module_under_test, one).result["changed"] is False
    assert run_module(module_under_test, other).result["changed"] is False


def test_a_host_of_a_hand_written_group_of_another_data_center_is_not_taken(two, run_module, tmp_path):
    dest = tmp_path / "fleet.yml"
    dest.write_text("all:\n  children:\n    eu:\n      vars:\n        acronis_base_url: %s/api/2\n"
                    "      hosts:\n        contoso:\n          tenant_onboarding_name: Contoso Ltd\n" % BASE_URL,
                    encoding="utf-8")
    out = run_module(module_under_test, {"root_tenant_id": TWO_ROOT, "dest": str(dest), "base_url": TWO})
    groups = yaml.safe_load(written(dest))["all"]["children"]
    assert groups["eu"]["hosts"] == {"contoso": {"tenant_onboarding_name": "Contoso Ltd"}}
    assert sorted(groups["customers"]["hosts"]) == ["contoso-ltd", "umbrella"]
    assert sorted(groups["data_center_two_example_test"]["hosts"]) == ["contoso-ltd", "umbrella"]
    assert out.result["hosts"] == {"partners": 0, "customers": 2, "units": 0}


@pytest.mark.parametrize("written_group, data_center, message", [
    ("data_center_one", "one", "group data_center_one of %s is data center https://two.example.test, and this "
                               "export reads https://dc.example.test. Give this data center another data_center name"),
    ("data_center_eu", "one", "%s already has data center https://dc.example.test as group data_center_eu. Set "
                              "data_center=eu to merge into it"),
])
def test_a_data_center_named_otherwise_in_the_file_fails_before_any_request(
        api, run_module, tmp_path, written_group, data_center, message):
    url = TWO if written_group == "data_center_one" else BASE_URL
    dest = tmp_path / "fleet.yml"
    dest.write_text("all:\n  children:\n    %s:\n      vars:\n        acronis_base_url: %s\n" % (written_group, url),
                    encoding="utf-8")
    out = run_module(module_under_test, {"root_tenant_id": ROOT, "dest": str(dest), "data_center": data_center})
    assert out.failed
    assert out.result["msg"] == "Option data_center: " + message % dest + "."
    assert api_calls(api) == []


@pytest.mark.parametrize("url, name", [
    ("https://eu2-cloud.acronis.com", "eu2_cloud_acronis_com"),
    ("https://EU2-cloud.acronis.com/api/2/", "eu2_cloud_acronis_com"),
    ("http://127.0.0.1:8765", "127_0_0_1_8765"),
])
def test_a_data_center_without_a_name_is_named_by_its_host_and_port(url, name):
    assert inventory_export.default_data_center_name(url) == name
    assert validation.DATA_CENTER_NAME.problem(name) is None
