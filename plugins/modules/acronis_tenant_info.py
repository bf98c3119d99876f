#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_tenant_info
short_description: Read tenants of the Acronis Cyber Platform, their children or their subtree
version_added: 0.1.0
description:
  - Reads one tenant by O(id), or by O(name) under a parent; without either, the tenant the API client belongs to.
  - With O(scope=children) or O(scope=subtree), reads the tenant's children or its subtree down to O(depth),
    following the service's paging.
  - Can add to each tenant its users, its pricing (with the end of its trial), its MFA status and its offering items.
  - Never changes anything.
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
options:
  id:
    description:
      - ID of the tenant to read.
    type: str
  name:
    description:
      - Name of the tenant to read, under O(parent_id). Compared without regard to case.
    type: str
  parent_id:
    description:
      - ID of the parent of the tenant named O(name). Defaults to the tenant the API client belongs to.
    type: str
  scope:
    description:
      - V(self) returns the tenant itself.
      - V(children) returns its direct children (not the tenant itself).
      - V(subtree) returns the tenant and its descendants down to O(depth), parents before children.
    type: str
    choices: [self, children, subtree]
    default: self
  depth:
    description:
      - With O(scope=subtree), how many levels below the tenant to read; V(1) means its children. Unset means all.
    type: int
  include:
    description:
      - What to add to each returned tenant, each under its own key.
      - V(users) adds C(users), the users of the tenant.
      - V(pricing) adds C(pricing), the pricing settings with C(trial_end_date).
      - V(mfa) adds C(mfa), the tenant's MFA status and how many users have set it up.
      - V(offering_items) adds C(offering_items), the tenant's offering items of every edition.
      - Each costs one or more requests per tenant.
    type: list
    elements: str
    choices: [users, pricing, mfa, offering_items]
    default: []
notes:
  - A tenant that does not exist is not an error; O(id) or O(name) that match nothing return an empty O(scope=self)
    list. A parent that does not exist is an error.
  - In check mode, a check-mode placeholder ID (an object an earlier task would have created) returns an empty list.
seealso:
  - module: acronis.cyber_platform.acronis_tenant
'''

EXAMPLES = r'''
- name: Read tenants
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/acronis.cyber_platform.acronis:
      base_url: "{{ acronis_base_url }}"
      client_id: "{{ acronis_client_id }}"
      client_secret: "{{ acronis_client_secret }}"
  tasks:
    - name: The API client's own tenant
      acronis.cyber_platform.acronis_tenant_info:
      register: own

    - name: A customer by name, with its pricing and the end of its trial
      acronis.cyber_platform.acronis_tenant_info:
        name: Acme Corp
        include: [pricing]
      register: acme

    - name: Show when the trial ends
      ansible.builtin.debug:
        msg: "Trial of Acme Corp ends on {{ acme.tenants[0].pricing.trial_end_date }}"
      when: acme.tenants | length > 0 and acme.tenants[0].pricing.mode == 'trial'

    - name: Every customer two levels down, with its users and MFA status
      acronis.cyber_platform.acronis_tenant_info:
        id: "{{ own.tenants[0].id }}"
        scope: subtree
        depth: 2
        include: [users, mfa]
      register: tree

    - name: Names of the customers
      ansible.builtin.debug:
        msg: "{{ tree.tenants | selectattr('kind', 'equalto', 'customer') | map(attribute='name') | list }}"
'''

RETURN = r'''
tenants:
  description:
    - The tenants read, as the service shows them, in the order of O(scope).
    - With O(scope=subtree), each has a C(depth) key, 0 for the tenant named by O(id) or O(name).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 95303d96-628c-4265-9afa-07bee3fccf39
      version: 2
      name: Acme Corp
      kind: customer
      parent_id: ede9f834-70b3-476c-83d9-736f9f8c7dae
      enabled: true
      customer_id: CRM-0042
      language: en
      contact:
        email: it@acme.example
      update_lock:
        enabled: false
        owner_id: null
      mfa_status: disabled
      pricing_mode: trial
      has_children: false
      depth: 1
      users:
        - id: 2f8ad2e2-28f2-11e7-aad1-5ffe2ad47151
          login: ada
          tenant_id: 95303d96-628c-4265-9afa-07bee3fccf39
          enabled: true
      pricing:
        mode: trial
        currency: null
        version: 1497533157730
        production_start_date: "2017-07-31T23:59:59"
        trial_end_date: "2017-07-31T23:59:59"
      mfa:
        mfa_status: disabled
        users_count: 1
        users_with_totp_enabled_count: 0
        update_allowed: true
      offering_items:
        - application_id: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
          name: workstations
          edition: standard
          status: 1
          type: count
          quota:
            value: null
            overage: null
            version: 0
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "id": validation.TENANT_ID,
    "parent_id": validation.TENANT_ID,
    "name": validation.TENANT_NAME,
    "depth": validation.count(0),
}


def run(module):
    p = module.params
    if p["depth"] is not None and p["scope"] != "subtree":
        raise AcronisFailure("Option depth is used only with scope=subtree; set scope=subtree or remove depth.")
    preview = module.preview_of_new(["id", "parent_id"], "nothing to list before it exists", tenants=[])
    if preview:
        return preview

    client = module.client
    what = "tenant %r" % (p["name"] or p["id"]) if (p["name"] or p["id"]) else "the tenant of API client %s" % p["client_id"]
    with failing_to("read %s" % what):
        if p["name"]:
            parent_id = p["parent_id"] or client.client_tenant_id()
            tenant = tenants.find_child_or_fail(client, parent_id, p["name"], what, authoritative=True)
        else:
            tenant = tenants.get_tenant(client, p["id"] or client.client_tenant_id())
        if tenant is None:
            return dict(changed=False, tenants=[])
        if p["scope"] == "self":
            found = [tenant]
        elif p["scope"] == "children":
            found = list(tenants.list_children(client, tenant["id"]))
        else:
            found = tenants.list_subtree(client, tenant["id"], depth=p["depth"])
        result = [tenants.with_includes(client, t, p["include"]) for t in found]
    return dict(changed=False, tenants=result)


def main():
    argument_spec = dict(
        id=dict(type="str"),
        name=dict(type="str"),
        parent_id=dict(type="str"),
        scope=dict(type="str", choices=["self", "children", "subtree"], default="self"),
        depth=dict(type="int"),
        include=dict(type="list", elements="str", choices=["users", "pricing", "mfa", "offering_items"],
                     default=[]),
    )
    AcronisModule(argument_spec=argument_spec, option_kinds=OPTION_KINDS,
                  supports_check_mode=True,
                  mutually_exclusive=[("id", "name"), ("id", "parent_id")]).execute(run)


if __name__ == "__main__":
    main()
