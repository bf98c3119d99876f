# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The rules of acronis_offering_items that decide what it need not read."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_uuid
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_offering_items as module_under_test

APP = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
PARENT = "5c1d5e8a-0000-4000-8000-000000000001"
CHILD = "5c1d5e8a-0000-4000-8000-000000000002"
HOSTED = "019097a6-114f-4418-bd54-e01ef049f209"
AZURE = "05348371-d95e-4cab-af2a-8e2cadafc30d"


def item(name, status=1, quota=None, infra_id=None, edition="per_workload", usage_name=None):
    entry = {"application_id": APP, "name": name, "edition": edition, "usage_name": usage_name or name,
             "status": status, "tenant_id": CHILD}
    if infra_id:
        entry["infra_id"] = infra_id
    if status == 1:
        entry["quota"] = dict({"value": None, "overage": None, "version": 0}, **(quota or {}))
    return entry


def params(**overrides):
    p = {"state": "present", "all_available": False, "purge": False, "items": []}
    p.update(overrides)
    return p


def spec(name=None, usage_name=None, infra_id=None, quota=None):
    return {"name": name, "usage_name": usage_name, "infra_id": infra_id, "application_id": None, "quota": quota}


def test_settled_when_every_item_is_enabled_as_asked():
    current = [item("pw_workstations", quota={"value": 10}), item("pw_servers", status=0)]
    p = params(items=[spec("pw_workstations", quota={"value": 10, "overage": None, "unlimited": False})])
    assert module_under_test.settled(p, current, "per_workload")


@pytest.mark.parametrize("current, entry", [
    ([item("pw_workstations", quota={"value": 10})],
     spec("pw_workstations", quota={"value": 11, "overage": None, "unlimited": False})),
    ([item("pw_workstations", status=0)], spec("pw_workstations")),
    ([], spec("pw_workstations")),
    ([item("pw_storage", infra_id=HOSTED, usage_name="storage"), item("pw_storage", infra_id=AZURE, usage_name="storage")],
     spec(usage_name="storage")),
])
def test_not_settled_when_something_would_change_or_is_ambiguous(current, entry):
    assert not module_under_test.settled(params(items=[entry]), current, "per_workload")


@pytest.mark.parametrize("p", [
    params(all_available=True, items=[spec("pw_workstations")]),
    params(state="absent", items=[spec("pw_workstations")]),
    params(items=[]),
])
def test_never_settled_for_what_needs_the_parent(p):
    assert not module_under_test.settled(p, [item("pw_workstations")], "per_workload")


def test_disabled_copies_are_the_parent_offer_disabled_without_quota():
    available = [dict(item("pw_workstations", quota={"value": None}), tenant_id=PARENT),
                 dict(item("pw_storage", infra_id=HOSTED, usage_name="storage"), tenant_id=PARENT)]
    copies = module_under_test.disabled_copies(available, CHILD)
    assert [c["name"] for c in copies] == ["pw_workstations", "pw_storage"]
    assert all(c["status"] == 0 and c["tenant_id"] == CHILD and "quota" not in c for c in copies)
    assert copies[1]["infra_id"] == HOSTED
    assert available[0]["tenant_id"] == PARENT and "quota" in available[0]


class FakeModule:
    check_mode = False

    def __init__(self, **p):
        self.params = dict({"tenant_id": None, "parent_id": None, "kind": None}, **p)

    def check_uuid(self, value, what):
        check_uuid(value, what, self.check_mode)


def test_tenant_hint_is_accepted_when_complete_and_consistent():
    tenant = {"id": CHILD, "parent_id": PARENT, "kind": "customer", "name": "Acme"}
    module_under_test.validate_tenant_hint(FakeModule(tenant=tenant, tenant_id=CHILD, kind="customer"))


@pytest.mark.parametrize("tenant, extra, words", [
    ({"id": CHILD, "kind": "customer"}, {}, ["has no parent_id"]),
    ({}, {}, ["has no id, parent_id, kind"]),
    ({"id": "nope", "parent_id": PARENT, "kind": "customer"}, {}, ["Option tenant.id must be a UUID (the id of a tenant)"]),
    ({"id": CHILD, "parent_id": PARENT, "kind": "shop"}, {}, ["tenant.kind must be one of"]),
    ({"id": CHILD, "parent_id": PARENT, "kind": "customer"}, {"tenant_id": PARENT},
     ["option tenant_id (%s) is not the id of option tenant (%s)" % (PARENT, CHILD)]),
    ({"id": CHILD, "parent_id": PARENT, "kind": "customer"}, {"kind": "partner"}, ["option kind (partner)"]),
])
def test_tenant_hint_is_refused_when_incomplete_or_contradicted(tenant, extra, words):
    with pytest.raises(AcronisFailure) as info:
        fake = FakeModule(tenant=tenant, **extra)
        validation.check_declared(fake, module_under_test.OPTION_KINDS)
        module_under_test.validate_tenant_hint(fake)
    for word in words:
        assert word in info.value.msg
