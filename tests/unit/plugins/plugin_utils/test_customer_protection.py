# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The machines a plan of the customer_protection role is for: by name pattern, OS family and group."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.acronis.cyber_platform.plugins.filter.customer_protection import FilterModule
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import customer_protection

FILTERS = FilterModule().filters()


def machine(name, os_family=None):
    resource = {"id": "id-" + name, "type": "resource.machine", "name": name}
    if os_family:
        resource["attributes"] = {"os_family": os_family}
    return resource


def group(name, members, user_defined_name=None):
    return {"id": "g-" + name.lower(), "type": "resource.group.computers", "name": name,
            "user_defined_name": user_defined_name or name, "member_ids": ["id-" + m for m in members]}


RESOURCES = [
    group("Machines with agents", ["srv-1", "SRV-2", "db-1", "win-1"]),
    group("Servers", ["srv-1", "SRV-2"], user_defined_name="Production servers"),
    machine("srv-1", "LINUX"), machine("SRV-2", "WINDOWS"), machine("db-1", "LINUX"), machine("win-1", "WINDOWS"),
    machine("old-srv-1", "LINUX"), machine("no-attributes"),
]


@pytest.mark.parametrize("plan, expected", [
    ({}, ["srv-1", "SRV-2", "db-1", "win-1", "old-srv-1", "no-attributes"]),
    ({"machines": ["srv-.*"]}, ["srv-1", "SRV-2"]),
    ({"machines": ["srv-1", "db-[0-9]+"]}, ["srv-1", "db-1"]),
    ({"os": ["linux"]}, ["srv-1", "db-1", "old-srv-1"]),
    ({"os": ["WINDOWS", "macosx"]}, ["SRV-2", "win-1"]),
    ({"groups": ["servers"]}, ["srv-1", "SRV-2"]),
    ({"groups": ["Production servers"]}, ["srv-1", "SRV-2"]),
    ({"groups": ["G-SERVERS"]}, ["srv-1", "SRV-2"]),
    ({"groups": ["Servers"], "os": ["linux"]}, ["srv-1"]),
    ({"groups": ["Machines with agents"], "machines": [".*-1"]}, ["srv-1", "db-1", "win-1"]),
    ({"os": ["SOLARIS"]}, []),
])
def test_a_machine_is_chosen_when_it_matches_every_criterion_given(plan, expected):
    assert FILTERS["customer_protection_machines"](RESOURCES, plan) == ["id-" + name for name in expected]


def test_groups_are_never_chosen_and_nothing_gives_nothing():
    assert customer_protection.chosen_machines([group("Servers", ["srv-1"])], {}) == []
    assert customer_protection.chosen_machines(None, {"machines": ["x"]}) == []


@pytest.mark.parametrize("plan, words", [
    ({"name": "Nightly", "machines": ["srv-("]}, "plan 'Nightly': machines \\['srv-\\('\\] is not a regular expression"),
    ({"name": "Nightly", "os": "linux"}, "plan 'Nightly': os must be a list, got 'linux'"),
])
def test_a_plan_that_cannot_be_read_fails_naming_it(plan, words):
    with pytest.raises(AnsibleFilterError, match="customer_protection_machines: " + words):
        FILTERS["customer_protection_machines"](RESOURCES, plan)


def test_unknown_groups_are_named_once_in_the_plans_order():
    plans = [{"name": "a", "groups": ["Servers", "Databses"]}, {"name": "b"},
             {"name": "c", "groups": ["production SERVERS", "Databses", "Laptops", "g-servers"]}]
    assert FILTERS["customer_protection_unknown_groups"](RESOURCES, plans) == ["Databses", "Laptops"]


def test_no_group_named_none_unknown():
    assert customer_protection.unknown_groups(RESOURCES, [{"name": "a"}]) == []
    assert customer_protection.unknown_groups([], [{"name": "a", "groups": ["Servers"]}]) == ["Servers"]
