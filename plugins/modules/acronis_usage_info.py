#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_usage_info
short_description: Read the current service usage of a tenant, or of its whole subtree
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Returns the current usage of a tenant, one entry per offering item or usage metric, with its quota.
  - With O(subtree=true), returns the usage of the tenant and of every tenant below it.
  - B(These figures are not billing data.) The service recomputes them roughly every thirty minutes, so they
    may lag behind what happened in the last half hour, and Acronis asks that they not be used for billing.
    For billing, use a usage report (M(acronis.cyber_platform.acronis_report)).
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
options:
  tenant_id:
    description:
      - ID of the tenant whose usage is read.
    type: str
    required: true
  subtree:
    description:
      - Whether to read, as well, the usage of every tenant below O(tenant_id) (partners, folders,
        customers, units).
      - The tenants are listed with one paged request, and their usage is read 100 tenants per request.
    type: bool
    default: false
  usage_names:
    description:
      - Return only the entries with these usage names (for example V(storage), V(workstations)).
      - The service filters them. Unset means all.
    type: list
    elements: str
  editions:
    description:
      - Return only the entries of these editions (for example V(standard), V(pck_per_gigabyte)).
      - The service filters them. Unset means all.
    type: list
    elements: str
notes:
  - An entry without an offering item (a usage the tenant has no quota for) has RV(usages[].quota) null.
seealso:
  - module: acronis.cyber_platform.acronis_report
    description: Usage reports, summed over a period, which are what billing should use.
'''

EXAMPLES = r'''
- name: Current storage usage of a customer
  acronis.cyber_platform.acronis_usage_info:
    tenant_id: "{{ customer_tenant_id }}"
    usage_names: [storage]
  register: usage

- name: Usage of a partner and everything below it
  acronis.cyber_platform.acronis_usage_info:
    tenant_id: "{{ partner_id }}"
    subtree: true
  register: usage_of_partner

- name: Show the tenants that use more than their quota
  ansible.builtin.debug:
    msg: "{{ item.tenant_name }}: {{ item.name }} {{ item.value }} / {{ item.quota.value }}"
  loop: "{{ usage_of_partner.usages | selectattr('quota') | selectattr('quota.value', 'ne', none) | list }}"
  when: item.value > item.quota.value
'''

RETURN = r'''
usages:
  description:
    - The usage entries, as the API shows them, with RV(usages[].tenant_uuid) always set and RV(usages[].quota)
      lifted from the offering item.
    - With O(subtree=true), the entries of O(tenant_id) come first, then those of the tenants below it, parents before children.
  returned: always
  type: list
  elements: dict
  contains:
    tenant_uuid:
      description: ID of the tenant the entry belongs to.
      type: str
      sample: 2a91a14d-ffd3-4ac1-9b4d-3990162c5acc
    tenant_name:
      description: Name of the tenant the entry belongs to.
      type: str
      returned: with O(subtree=true)
      sample: Acme Corp
    application_id:
      description: ID of the service (application) the usage belongs to.
      type: str
      sample: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
    name:
      description: Name of the offering item.
      type: str
      sample: pw_workstations
    edition:
      description: Edition of the offering item; null for the items that belong to no edition.
      type: str
      sample: per_workload
    usage_name:
      description: Name of the usage metric, shared by the offering items of all editions that count the same thing.
      type: str
      sample: workstations
    type:
      description: V(count), V(feature) or V(infra).
      type: str
      sample: count
    measurement_unit:
      description: V(quantity), V(bytes), V(seconds) or V(n/a).
      type: str
      sample: quantity
    infra_id:
      description: ID of the storage or other infrastructure, for V(infra) items.
      type: str
      returned: for infra items
      sample: df476eec-c470-40b0-9b10-37223b7f4a2b
    value:
      description: The usage now, in RV(usages[].measurement_unit).
      type: int
      sample: 12
    absolute_value:
      description: The usage as an absolute counter, as the service sends it beside RV(usages[].value).
      type: int
      returned: when the service sends it
      sample: 12
    range_start:
      description: Start of the current counting range.
      type: str
      sample: "2024-06-01T00:00:00"
    quota:
      description:
        - The quota of the offering item - C(value) (the soft limit), C(overage) (what may be used above it)
          and C(version). A null C(value) means no limit.
        - Null when the entry has no offering item or the item has no quota.
      type: dict
      sample: {value: 50, overage: 5, version: 1}
    offering_item:
      description: The offering item as the API shows it beside the usage - C(status) (1 enabled, 0 disabled) and its C(quota).
      type: dict
      returned: when the service sends it
      sample: {status: 1, quota: {value: 50, overage: 5, version: 1}}
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import reports
from ansible_collections.acronis.cyber_platform.plugins.module_utils.tenants import list_subtree

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "usage_names": validation.FILTER_VALUE,
    "editions": validation.FILTER_VALUE,
}


def run(module):
    p = module.params
    preview = module.preview_of_new(["tenant_id"], "no usage", usages=[])
    if preview:
        return preview
    client = module.client
    usages = []
    with failing_to("read the usage of tenant %s%s" % (p["tenant_id"], " and its subtree" if p["subtree"] else "")):
        if not p["subtree"]:
            for usage in reports.get_tenant_usages(client, p["tenant_id"], p["usage_names"], p["editions"]):
                usages.append(reports.usage_entry(usage, p["tenant_id"]))
        else:
            tenants = list_subtree(client, p["tenant_id"], lod="basic")
            if not tenants:
                raise AcronisFailure("tenant %s was not found" % p["tenant_id"])
            by_tenant = reports.get_usages_batch(client, [t["id"] for t in tenants], p["usage_names"], p["editions"])
            for tenant in tenants:
                for usage in by_tenant.get(tenant["id"], []):
                    usages.append(reports.usage_entry(usage, tenant["id"], tenant.get("name")))
    return dict(changed=False, usages=usages)


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            tenant_id=dict(type="str", required=True),
            subtree=dict(type="bool", default=False),
            usage_names=dict(type="list", elements="str"),
            editions=dict(type="list", elements="str"),
        ),
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
