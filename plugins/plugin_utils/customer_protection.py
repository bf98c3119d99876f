# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which machines of a customer a plan of the ``customer_protection`` role is for (its filters, plugins/filter).

A plan names its machines by name patterns (regular expressions matching a whole name, without regard to case), by
operating system family and by group; a machine is chosen when it matches every criterion the plan gives. The input
is what ``acronis_resource_info`` returns with ``type: [machine, group]`` and ``include_attributes: true``: the
machines with their ``attributes.os_family``, and the groups (static or dynamic) with their ``member_ids``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

MACHINE = "resource.machine"
GROUP = "resource.group.computers"


class CustomerProtectionError(ValueError):
    """A plan that cannot be read (a bad pattern, a list that is not one)."""


def _names(plan, key):
    value = plan.get(key)
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise CustomerProtectionError("plan %r: %s must be a list, got %r" % (plan.get("name"), key, value))
    return [str(item) for item in value]


def _group_keys(group):
    return set(str(group.get(key) or "").lower() for key in ("id", "name", "user_defined_name")) - {""}


def chosen_machines(resources, plan):
    """The IDs of the machines of ``resources`` that ``plan`` is for, in the order of ``resources``."""
    patterns = _names(plan, "machines") or [".*"]
    try:
        pattern = re.compile("(?:%s)\\Z" % "|".join(patterns), re.IGNORECASE)
    except re.error as exc:
        raise CustomerProtectionError("plan %r: machines %r is not a regular expression: %s"
                                      % (plan.get("name"), patterns, exc))
    families = set(name.upper() for name in _names(plan, "os"))
    wanted_groups = set(name.lower() for name in _names(plan, "groups"))
    members = set()
    for group in resources or []:
        if group.get("type") == GROUP and _group_keys(group) & wanted_groups:
            members.update(member.lower() for member in group.get("member_ids") or [])
    chosen = []
    for machine in resources or []:
        if machine.get("type") != MACHINE or not pattern.match(machine.get("name") or ""):
            continue
        family = str((machine.get("attributes") or {}).get("os_family") or "").upper()
        if families and family not in families:
            continue
        if wanted_groups and str(machine.get("id") or "").lower() not in members:
            continue
        chosen.append(machine["id"])
    return chosen


def unknown_groups(resources, plans):
    """The groups ``plans`` name (a name, user-defined name or ID, without regard to case) that ``resources``
    does not hold, each once, in the plans' order."""
    known = set()
    for group in resources or []:
        if group.get("type") == GROUP:
            known.update(_group_keys(group))
    unknown = []
    for plan in plans or []:
        for name in _names(plan, "groups"):
            if name.lower() not in known and name not in unknown:
                unknown.append(name)
    return unknown
