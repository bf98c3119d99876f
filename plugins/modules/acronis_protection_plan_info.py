#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_protection_plan_info
short_description: Read the protection plans of an Acronis customer, with their policies and resources
version_added: 0.1.0
description:
  - Returns the protection plans (C(policy.protection.total) policies) of a customer tenant, each with its child
    policies and their settings, and the resources it is applied to.
  - Works with a token scoped to the customer, as Acronis requires for plans and resources.
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
  - acronis.cyber_platform.paging
options:
  tenant_id:
    description: ID of the customer tenant.
    type: str
    required: true
  name:
    description:
      - Only the plans with this name, compared without regard to case (as acronis_protection_plan compares it).
    type: str
  id:
    description: Only the plan with this ID.
    type: str
seealso:
  - module: acronis.cyber_platform.acronis_protection_plan
  - module: acronis.cyber_platform.acronis_resource_info
'''

EXAMPLES = r'''
- name: Every plan of a customer
  acronis.cyber_platform.acronis_protection_plan_info:
    tenant_id: "{{ customer_tenant_id }}"
  register: plans

- name: One plan, by name
  acronis.cyber_platform.acronis_protection_plan_info:
    tenant_id: "{{ customer_tenant_id }}"
    name: Servers nightly
  register: nightly
'''

RETURN = r'''
plans:
  description: The plans found, in creation order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the plan.
      type: str
    name:
      description: Name of the plan.
      type: str
    enabled:
      description: Whether the plan is enabled.
      type: bool
    tenant_id:
      description: The customer, as the policy API shows it (its numeric ID).
      type: str
    policies:
      description: The child policies (C(id), C(type), C(enabled), C(settings_schema), C(settings)).
      type: list
      elements: dict
    resources:
      description: IDs of the resources the plan is applied to.
      type: list
      elements: str
  sample:
    - id: 5b15f6e1-88ec-4dce-b523-0e8394c0bc19
      name: Servers nightly
      enabled: true
      tenant_id: "10584816"
      policies:
        - id: 0e5c1a36-6f3c-4bd2-9a8e-2d7e8f3b9c11
          type: policy.backup.machine
          enabled: true
          settings_schema: "2.0"
          settings:
            compression: high
      resources: [5c350066-2ba6-4eeb-aa91-1213dd35f033]
truncated:
  description: True when the customer has more plans than O(limit).
  returned: always
  type: bool
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils import protection
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import paging
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.CUSTOMER_ID,
    "id": validation.PLAN_ID,
    "limit": paging.LIMIT_KIND,
}


def run(module):
    p = module.params
    preview = module.preview_of_new(["tenant_id", "id"], "no protection plans", plans=[], truncated=False)
    if preview:
        return preview
    client = module.client.scoped(p["tenant_id"])
    with protection.failing_to_read("read the protection plans of tenant %s" % p["tenant_id"]):
        found, truncated = protection.list_plans(client, name=p["name"], plan_id=p["id"], with_applied=True,
                                                 limit=p["limit"])
    return dict(changed=False, plans=[protection.plan_with_resources(policies) for policies in found],
                truncated=truncated)


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            tenant_id=dict(type="str", required=True),
            name=dict(type="str"),
            id=dict(type="str"),
            limit=dict(paging.LIMIT_SPEC),
        ),
        mutually_exclusive=[("name", "id")],
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
