# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet path's plan (plugin_utils/fleet.py): the role's variables, checks and step options, the order of the
tenants, a failure kept to its tenant; and module.run_in_thread, which runs modules in threads side by side."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import threading

import pytest
import requests_mock
import yaml

from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import run_in_thread
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_tenant_info
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import fleet

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
PARENT = "5c1d5e8a-0000-4000-8000-000000000001"


def role_defaults():
    with open(os.path.join(ROOT, "roles", "tenant_onboarding", "defaults", "main.yml")) as stream:
        return yaml.safe_load(stream)


def test_the_defaults_are_the_roles():
    defaults = dict((name[len(fleet.PREFIX):], value) for name, value in role_defaults().items())
    templated = sorted(name for name, value in defaults.items() if isinstance(value, str) and "{{" in value)
    assert templated == sorted(fleet.TEMPLATED_DEFAULTS)
    assert dict((name, value) for name, value in defaults.items() if name not in templated) == fleet.STATIC_DEFAULTS


def test_templated_defaults_as_the_role_computes_them():
    customer = fleet.Tenant("acme", {})
    assert (customer.vars["name"], customer.vars["all_offering_items"], customer.vars["admin_roles"]) == (
        "acme", False, ["company_admin"])
    partner = fleet.Tenant("reseller", {"acronis_name": "Reseller Ltd", "tenant_onboarding_kind": "unit"},
                           kind="partner")
    assert (partner.vars["name"], partner.vars["kind"], partner.vars["all_offering_items"],
            partner.vars["admin_roles"]) == ("Reseller Ltd", "partner", True, ["partner_admin"])


def test_a_hosts_connection_variables_make_its_data_center():
    one = fleet.Tenant("a", {"acronis_base_url": "https://eu.example", "acronis_client_secret": "s"})
    two = fleet.Tenant("b", {"acronis_base_url": "https://us.example"})
    assert one.connection == {"base_url": "https://eu.example", "client_secret": "s"}
    assert one.data_center() != two.data_center()
    assert fleet.Tenant("c", {}).data_center() == ()


def full_customer():
    return fleet.Tenant("acme", {
        "tenant_onboarding_name": "Acme Corp",
        "tenant_onboarding_customer_id": "CRM-1",
        "tenant_onboarding_contact": {"email": "it@acme.example"},
        "tenant_onboarding_production": False,
        "tenant_onboarding_edition": "per_workload",
        "tenant_onboarding_offering_items": [{"name": "pw_servers", "quota": {"value": 10}}],
        "tenant_onboarding_administrators": [
            {"login": "acme-admin", "email": "ada@acme.example", "firstname": "Ada"},
            {"login": "acme-svc", "email": "svc@acme.example", "roles": ["backup_user"], "activation": "password",
             "language": "de", "purge_roles": True},
        ],
        "tenant_onboarding_passwords": {"acme-svc": "S3cret!pass"},
    })


def test_the_tenant_step_is_the_roles():
    assert fleet.tenant_options(full_customer().vars, PARENT) == {
        "name": "Acme Corp", "parent_id": PARENT, "kind": "customer", "customer_id": "CRM-1",
        "contact": {"email": "it@acme.example"}, "ancestral_access": True, "mfa_enabled": True,
        "pricing_mode": "trial"}
    unit = fleet.Tenant("dept", {"tenant_onboarding_management_mode": "self_service"}, kind="unit")
    assert fleet.tenant_options(unit.vars, None) == {
        "name": "dept", "kind": "unit", "ancestral_access": False}


def test_the_offering_items_step_is_the_roles():
    v = full_customer().vars
    tenant = {"id": PARENT, "kind": "customer"}
    assert fleet.offering_items_options(v, tenant, True, v["offering_items"]) == {
        "tenant": tenant, "tenant_created": True, "edition": "per_workload", "all_available": False,
        "items": [{"name": "pw_servers", "quota": {"value": 10}}], "purge": False}
    # The role skips the task for a customer without items, all_offering_items or purge.
    assert fleet.offering_items_options(fleet.Tenant("bare", {}).vars, tenant, True, []) is None


def test_the_administrators_step_is_the_roles():
    v = full_customer().vars
    first, second = v["administrators"]
    assert fleet.administrator_options(v, first, PARENT, True) == {
        "tenant_id": PARENT, "login": "acme-admin", "contact": {"email": "ada@acme.example", "firstname": "Ada"},
        "roles": [{"role_id": "company_admin", "tenant_id": None}], "purge_roles": False,
        "activation_email": "on_create", "update_password": "until_activated", "tenant_created": True}
    assert fleet.administrator_options(v, second, PARENT, False) == {
        "tenant_id": PARENT, "login": "acme-svc", "contact": {"email": "svc@acme.example"}, "language": "de",
        "roles": [{"role_id": "backup_user", "tenant_id": None}], "purge_roles": True,
        "activation_email": "never", "password": "S3cret!pass", "update_password": "until_activated",
        "tenant_created": False}


def test_the_brand_step_only_with_a_brand():
    assert fleet.brand_options(fleet.Tenant("p", {}, kind="partner").vars, PARENT) is None
    branded = fleet.Tenant("p", {"tenant_onboarding_brand": {"company_name": "P", "color": None}}, kind="partner")
    assert fleet.brand_options(branded.vars, PARENT) == {"company_name": "P", "tenant_id": PARENT}


@pytest.mark.parametrize("variables, expected", [
    ({"tenant_onboarding_name": "  "}, "Variable tenant_onboarding_name of h is empty, blank or null"),
    ({"tenant_onboarding_parent": ""}, "Variable tenant_onboarding_parent of h is empty"),
    ({"tenant_onboarding_administrators": [{"login": "a b", "email": "x@example.com"}]},
     "Administrator login 'a b' (3 characters) of h is not one the service takes"),
    ({"tenant_onboarding_administrators": [{"login": "ab1", "email": "x@example.com", "activation": "password"}]},
     "Administrator ab1 of h has activation 'password' but no entry in the passwords variable"),
    ({"tenant_onboarding_brand": {"company_name": "X"}},
     "h is a customer and has tenant_onboarding_brand set"),
    ({"tenant_onboarding_mfa": "perhaps"},
     "Variables of h do not match the role's argument specification: "),
    ({"tenant_onboarding_administrators": [{"email": "x@example.com"}]},
     "Variables of h do not match the role's argument specification: "),
])
def test_the_checks_before_any_request(variables, expected):
    assert fleet.variables_problem(fleet.Tenant("h", variables)).startswith(expected)


def test_good_variables_pass():
    assert fleet.variables_problem(full_customer()) is None


def make_run(tenants):
    return fleet.FleetRun(tenants, {}, {"_ansible_check_mode": False}, concurrency=3)


def test_parents_come_before_their_children():
    tenants = [fleet.Tenant("unit", {"tenant_onboarding_parent": "customer"}),
               fleet.Tenant("customer", {"tenant_onboarding_parent": "partner"}),
               fleet.Tenant("partner", {}),
               fleet.Tenant("other", {"tenant_onboarding_parent": "outside"}),
               fleet.Tenant("loop-a", {"tenant_onboarding_parent": "loop-b"}),
               fleet.Tenant("loop-b", {"tenant_onboarding_parent": "loop-a"})]
    wave_of = dict((tenant.host, index) for index, wave in enumerate(make_run(tenants).waves()) for tenant in wave)
    # A parent outside the run, or a loop of parents, puts no one in a later wave.
    assert wave_of == {"partner": 0, "customer": 1, "unit": 2, "other": 0, "loop-a": 1, "loop-b": 0} or \
        wave_of == {"partner": 0, "customer": 1, "unit": 2, "other": 0, "loop-a": 0, "loop-b": 1}


def test_a_failed_parent_fails_its_children_without_a_request(monkeypatch):
    sent = []

    def step(self, tenant, outcome, name, module, options):
        sent.append((tenant.host, name))
        if tenant.host == "partner" and name == "tenant":
            raise fleet.StepFailed("tenant: Failed: HTTP 400")
        return {"tenant": {"id": PARENT}, "created": False, "changed": False}

    monkeypatch.setattr(fleet.FleetRun, "step", step)
    tenants = [fleet.Tenant("partner", {}, kind="partner"),
               fleet.Tenant("child", {"tenant_onboarding_parent": "partner"}),
               fleet.Tenant("other", {})]
    outcomes = make_run(tenants).run()
    assert (outcomes["partner"].failed, outcomes["partner"].msg) == (True, "tenant: Failed: HTTP 400")
    assert outcomes["child"].failed
    assert outcomes["child"].msg == ("The parent of child, inventory host partner, failed earlier in this run; fix it, "
                                     "then run both again.")
    assert not outcomes["other"].failed
    assert [name for host, name in sent if host == "child"] == []
    assert fleet.summary_lines(outcomes, False) == [
        "3 tenants: 0 changed, 1 unchanged, 2 failed",
        "failed: partner: tenant: Failed: HTTP 400",
        "failed: child: The parent of child, inventory host partner, failed earlier in this run; fix it, then run "
        "both again."]


def test_a_data_center_is_checked_once_and_its_failure_is_every_tenants(monkeypatch):
    checks = []

    def step(self, tenant, outcome, name, module, options):
        if name.startswith("the check"):
            checks.append(tenant.connection.get("base_url"))
            if tenant.connection.get("base_url") == "https://bad.example":
                raise fleet.StepFailed("the check of the connection and API client: HTTP 401")
        return {"tenant": {"id": PARENT}, "created": False, "changed": name == "tenant"}

    monkeypatch.setattr(fleet.FleetRun, "step", step)
    tenants = [fleet.Tenant("a%d" % i, {"acronis_base_url": "https://bad.example"}) for i in range(3)]
    tenants += [fleet.Tenant("b%d" % i, {"acronis_base_url": "https://good.example"}) for i in range(3)]
    outcomes = make_run(tenants).run()
    assert sorted(checks) == ["https://bad.example", "https://good.example"]
    assert [outcomes["a%d" % i].msg for i in range(3)] == ["the check of the connection and API client: HTTP 401"] * 3
    assert [(outcomes["b%d" % i].failed, outcomes["b%d" % i].tenant) for i in range(3)] == [
        (False, {"id": PARENT})] * 3


API = "https://dc.example.test/api/2"


def test_modules_run_side_by_side_in_threads_each_with_its_own_arguments_and_result():
    tenant_ids = ["5c1d5e8a-0000-4000-8000-%012d" % i for i in range(8)]
    results = {}
    barrier = threading.Barrier(len(tenant_ids))

    def one(tenant_id):
        barrier.wait()
        results[tenant_id] = run_in_thread(acronis_tenant_info.main, {
            "base_url": "https://dc.example.test", "client_id": "cid", "client_secret": "the-secret",
            "token_cache": False, "backoff_retries": 0, "id": tenant_id, "_ansible_check_mode": True})

    with requests_mock.Mocker() as mocker:
        mocker.post(API + "/idp/token", json={"access_token": "tok", "expires_on": 4102444800})
        for tenant_id in tenant_ids:
            mocker.get(API + "/tenants/" + tenant_id, json={
                "id": tenant_id, "name": "T " + tenant_id[-2:], "kind": "customer", "version": 1, "parent_id": PARENT})
        threads = [threading.Thread(target=one, args=(tenant_id,)) for tenant_id in tenant_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == tenant_ids
    for tenant_id, result in results.items():
        assert not result.get("failed"), result
        assert [tenant["id"] for tenant in result["tenants"]] == [tenant_id]
        assert "the-secret" not in repr(result)


def test_a_module_failure_in_a_thread_is_its_result():
    result = run_in_thread(acronis_tenant_info.main, {"base_url": "https://dc.example.test", "client_id": "cid",
                                                      "client_secret": "the-secret", "id": "not-a-uuid"})
    assert result["failed"] is True
    assert "not-a-uuid" in result["msg"]
