# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The filters of the customer_protection role; the logic is plugin_utils/customer_protection.py.

Their documentation is in customer_protection_machines.yml and customer_protection_unknown_groups.yml beside this file.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import customer_protection


def customer_protection_machines(resources, plan):
    """The IDs of the machines a plan is for."""
    try:
        return customer_protection.chosen_machines(resources, plan)
    except customer_protection.CustomerProtectionError as exc:
        raise AnsibleFilterError("customer_protection_machines: %s" % exc)


def customer_protection_unknown_groups(resources, plans):
    """The groups the plans name that the customer does not have."""
    try:
        return customer_protection.unknown_groups(resources, plans)
    except customer_protection.CustomerProtectionError as exc:
        raise AnsibleFilterError("customer_protection_unknown_groups: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {
            "customer_protection_machines": customer_protection_machines,
            "customer_protection_unknown_groups": customer_protection_unknown_groups,
        }
