#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_resource_info
short_description: Read the resources (machines, groups) of an Acronis customer with their protection status
version_added: 0.1.0
description:
  - Returns the resources of a customer tenant (machines registered by their agents, and groups), with the
    protection status of each machine (C(resource_statuses)) unless O(with_status=false).
  - Reads at most O(limit) resources; RV(truncated) says when more matched.
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
  type:
    description: Only resources of these kinds.
    type: list
    elements: str
    choices: [machine, virtual_machine, group]
  name:
    description: Only resources with one of these names (system or user-defined name, any case).
    type: list
    elements: str
  id:
    description: Only resources with these IDs.
    type: list
    elements: str
  protection_status:
    description:
      - Only machines whose protection status (C(aggregate.status)) is one of these.
    type: list
    elements: str
    choices: [ok, warning, error, failed, critical, not_protected, running, idle]
  include_attributes:
    description: Include each resource's C(attributes) (operating system, agent, host name).
    type: bool
    default: false
  with_status:
    description: Add the protection status of each machine under C(protection).
    type: bool
    default: true
seealso:
  - module: acronis.cyber_platform.acronis_protection_plan
  - module: acronis.cyber_platform.acronis_protection_plan_info
'''

EXAMPLES = r'''
- name: The customer's machines and whether they are protected
  acronis.cyber_platform.acronis_resource_info:
    tenant_id: "{{ customer_tenant_id }}"
    type: [machine]
  register: machines

- name: The machines no plan protects
  acronis.cyber_platform.acronis_resource_info:
    tenant_id: "{{ customer_tenant_id }}"
    protection_status: [not_protected]
  register: unprotected
'''

RETURN = r'''
resources:
  description: The resources found, as the API shows them, with C(protection) added to machines.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the resource.
      type: str
    type:
      description: C(resource.machine), C(resource.virtual_machine) or C(resource.group.computers).
      type: str
    name:
      description: Name of the resource.
      type: str
    protection:
      description:
        - The machine's protection status, from C(resource_statuses); C(null) for groups or with
          O(with_status=false).
      type: dict
      contains:
        status:
          description: The aggregate status (C(ok), C(warning), C(error), C(not_protected), C(running), ...).
          type: str
        plans:
          description:
            - The protection plans applied to the machine, each once, in the order of their policies (C(id) and
              C(name) of the plan), as the policies of its status name them; V([]) for a machine without a plan.
            - This was a comma-joined string of the plan names before; a list is unambiguous for names that hold a
              comma.
          type: list
          elements: dict
          contains:
            id:
              description: ID of the plan.
              type: str
            name:
              description: Name of the plan.
              type: str
        policies:
          description: The plans' policies on the machine (C(id), C(type), C(parent_ids), C(status),
            C(last_run), C(last_success_run), C(next_run)).
          type: list
          elements: dict
  sample:
    - id: 5c350066-2ba6-4eeb-aa91-1213dd35f033
      type: resource.machine
      name: SRV-01
      tenant_id: "10584816"
      protection:
        status: ok
        plans:
          - id: 5b15f6e1-88ec-4dce-b523-0e8394c0bc19
            name: Servers nightly
        policies:
          - type: policy.backup.machine
            last_success_run: "2024-06-01T21:03:00Z"
truncated:
  description: True when more resources matched than O(limit).
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
    "id": validation.RESOURCE_ID,
    "limit": paging.LIMIT_KIND,
}


def _protection(status):
    if status is None:
        return None
    aggregate = status.get("aggregate") or {}
    policies = status.get("policies") or []
    return {"status": aggregate.get("status"), "plans": plans_of(policies), "policies": status.get("policies")}


def plans_of(policies):
    """The plans (id, name) the policies of a machine's status belong to, each once, in their order.

    A plan's policies carry its id in ``parent_ids`` and its name in ``names``; the status's ``aggregate.names``
    joins the names with commas, which a name may hold too, so it is not split.
    """
    plans, seen = [], set()
    for policy in policies:
        plan_id = (policy.get("parent_ids") or [None])[0]
        if plan_id is None or plan_id in seen:
            continue
        seen.add(plan_id)
        names = policy.get("names") or [None]
        plans.append({"id": plan_id, "name": names[0]})
    return plans


def read_resources(client, p):
    """(resources, truncated, statuses by resource id or None) as the options filter them."""
    types = [protection.RESOURCE_TYPES[t] for t in p["type"] or []]
    ids = [i.lower() for i in p["id"] or []] or None
    truncated = False
    statuses = None
    if p["protection_status"]:
        statuses = dict((rid, item) for rid, item in protection.resource_statuses(client, ids).items()
                        if (item.get("aggregate") or {}).get("status") in p["protection_status"])
        found = []
        for batch in protection.chunks(sorted(statuses)):
            page, _more = protection.list_resources(client, types=types, names=p["name"], ids=batch,
                                                    include_attributes=p["include_attributes"], limit=len(batch))
            found.extend(page)
            if len(found) > p["limit"]:
                break
        truncated = len(found) > p["limit"]
        found = found[:p["limit"]]
    elif ids is None or ids:
        found, truncated = protection.list_resources(client, types=types, names=p["name"], ids=ids,
                                                     include_attributes=p["include_attributes"], limit=p["limit"])
    else:
        found = []
    if p["with_status"] and statuses is None:
        machines = [r["id"] for r in found if r.get("type") != protection.GROUP]
        statuses = protection.resource_statuses(client, machines) if machines else {}
    return found, truncated, statuses


def run(module):
    p = module.params
    preview = module.preview_of_new(["tenant_id", "id"], "no machines", resources=[], truncated=False)
    if preview:
        return preview
    with protection.failing_to_read("read the resources of tenant %s" % p["tenant_id"]):
        found, truncated, statuses = read_resources(module.client.scoped(p["tenant_id"]), p)
    for resource in found:
        resource["protection"] = _protection((statuses or {}).get(resource["id"])) if p["with_status"] else None
    return dict(changed=False, resources=found, truncated=truncated)


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            tenant_id=dict(type="str", required=True),
            type=dict(type="list", elements="str", choices=["machine", "virtual_machine", "group"]),
            name=dict(type="list", elements="str"),
            id=dict(type="list", elements="str"),
            protection_status=dict(type="list", elements="str",
                                   choices=["ok", "warning", "error", "failed", "critical", "not_protected", "running",
                                            "idle"]),
            include_attributes=dict(type="bool", default=False),
            with_status=dict(type="bool", default=True),
            limit=dict(paging.LIMIT_SPEC),
        ),
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
