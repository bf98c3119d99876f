#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_offering_items_info
short_description: List the offering items of an Acronis tenant, and what it may give its children
version_added: 0.1.0
description:
  - Lists the offering items a tenant has (O(scope=tenant)), or those it makes available to a child of a given
    kind (O(scope=available_for_child)), in one edition or in all.
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
options:
  tenant_id:
    description: ID of the tenant.
    type: str
    required: true
  scope:
    description:
      - V(tenant) lists the tenant's own items.
      - V(available_for_child) lists what the tenant makes available to a child of kind O(kind).
    type: str
    choices: [tenant, available_for_child]
    default: tenant
  kind:
    description: Kind of the child, required with O(scope=available_for_child).
    type: str
    choices: [partner, folder, customer, unit]
  edition:
    description:
      - Only items of this edition (items that belong to no edition are always listed); V(*) for all editions.
    type: str
    default: '*'
  status:
    description:
      - V(enabled) lists only enabled items, V(disabled) only disabled ones, V(any) both.
    type: str
    choices: [any, enabled, disabled]
    default: any
seealso:
  - module: acronis.cyber_platform.acronis_offering_items
'''

EXAMPLES = r'''
- name: What does the customer have?
  acronis.cyber_platform.acronis_offering_items_info:
    tenant_id: "{{ customer_tenant_id }}"
    status: enabled
  register: have

- name: What may a partner give its customers in the per-workload edition?
  acronis.cyber_platform.acronis_offering_items_info:
    tenant_id: "{{ partner_id }}"
    scope: available_for_child
    kind: customer
    edition: per_workload
  register: offer

- name: Show the names
  ansible.builtin.debug:
    msg: "{{ offer.offering_items | map(attribute='name') | unique | list }}"
'''

RETURN = r'''
offering_items:
  description: The offering items, as the API shows them.
  returned: always
  type: list
  elements: dict
  sample:
    - application_id: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
      name: pw_storage
      edition: per_workload
      usage_name: storage
      tenant_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
      status: 1
      type: infra
      infra_id: 019097a6-114f-4418-bd54-e01ef049f209
      measurement_unit: bytes
      locked: false
      quota:
        value: null
        overage: null
        version: 0
editions:
  description: The editions that occur among the listed items, sorted.
  returned: always
  type: list
  elements: str
  sample: [per_gigabyte, per_workload]
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import cap_list
from ansible_collections.acronis.cyber_platform.plugins.module_utils import offering_items as oi

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
}


def run(module):
    p = module.params
    preview = module.preview_of_new(["tenant_id"], "no offering items until a task sets them",
                                    offering_items=[], editions=[])
    if preview:
        return preview
    with failing_to("list the offering items of tenant %s" % p["tenant_id"]):
        if p["scope"] == "tenant":
            items = oi.tenant_items(module.client, p["tenant_id"])
        else:
            items = oi.available_for_child(module.client, p["tenant_id"], p["kind"])
    known = oi.editions_of(items)
    if p["edition"] != oi.ALL_EDITIONS and p["edition"] not in known:
        where = "tenant %s" % p["tenant_id"] if p["scope"] == "tenant" else \
            "what tenant %s offers to a %s" % (p["tenant_id"], p["kind"])
        if not items:
            module.warn("Edition '%s': %s has no offering items at all, so none is returned." % (p["edition"], where))
        else:
            raise AcronisFailure("Option edition: no offering item of %s is in edition '%s'; known editions: %s. "
                                 "Set one of them, or edition '*' for all." % (where, p["edition"], cap_list(known)))
    wanted_status = {"enabled": 1, "disabled": 0}.get(p["status"])
    items = [i for i in items if oi.in_edition(i, p["edition"])
             and (wanted_status is None or int(i.get("status") or 0) == wanted_status)]
    return dict(changed=False, offering_items=items, editions=oi.editions_of(items))


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            tenant_id=dict(type="str", required=True),
            scope=dict(type="str", choices=["tenant", "available_for_child"], default="tenant"),
            kind=dict(type="str", choices=["partner", "folder", "customer", "unit"]),
            edition=dict(type="str", default=oi.ALL_EDITIONS),
            status=dict(type="str", choices=["any", "enabled", "disabled"], default="any"),
        ),
        required_if=[("scope", "available_for_child", ("kind",))],
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
