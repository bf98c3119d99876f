#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_location_info
short_description: The locations a tenant may use, and the storages each holds
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Lists the locations a tenant may use - its own, then its ancestors' (nearest first), the platform's last - each
    with the storages it holds.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
options:
  tenant_id:
    description:
      - ID of the tenant.
      - Defaults to the tenant of the API client.
    type: str
  name:
    description:
      - Only the locations with this name (case-insensitive).
    type: str
  owned:
    description:
      - V(true) lists only the locations the tenant owns (those it may change); V(false) every location it may use.
    type: bool
    default: false
seealso:
  - module: acronis.cyber_platform.acronis_location
  - module: acronis.cyber_platform.acronis_infra_info
'''

EXAMPLES = r'''
- name: Where may the partner's customers keep their backups?
  acronis.cyber_platform.acronis_location_info:
    tenant_id: "{{ partner_tenant_id }}"
  register: places

- name: The names of the storages of each location
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.infras | map(attribute='name') | join(', ') }}"
  loop: "{{ places.locations }}"
  loop_control:
    label: "{{ item.name }}"
'''

RETURN = r'''
locations:
  description:
    - The locations, as the service shows them, each with C(infras), the storages it holds (see
      M(acronis.cyber_platform.acronis_infra_info) for their fields).
    - In check mode, empty for a tenant that the same run would create (a placeholder id).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 8f0c3c62-2d6e-5b8b-9a43-6d5a0d8ef8a2
      name: Acronis Cloud
      owner_tenant_id: 0ac3a3e0-8ba8-4f62-a4c0-8e1f1c9e7b3d
      platform_owned: true
      readonly: true
      version: 1
      infras:
        - id: 019097a6-114f-4418-bd54-e01ef049f209
          name: Acronis Hosted Storage
          capabilities: [backup, disaster_recovery, files_cloud]
          backend_type: acronis
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils import locations as places
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation


# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "name": validation.LOCATION_NAME,
}


def run(module):
    p = module.params
    tenant_id = module.tenant_or_own(p["tenant_id"])
    if is_placeholder_id(tenant_id):
        return dict(changed=False, locations=[])
    with failing_to("read the locations of tenant %s" % tenant_id):
        found = places.usable_locations(module.client, tenant_id)
    if p["owned"]:
        found = places.owned_by(found, tenant_id)
    if p["name"] is not None:
        found = [location for location in found if (location.get("name") or "").lower() == p["name"].lower()]
    return dict(changed=False, locations=found)


def main():
    AcronisModule(
        argument_spec=dict(
            tenant_id=dict(type="str"),
            name=dict(type="str"),
            owned=dict(type="bool", default=False),
        ),
        option_kinds=OPTION_KINDS,
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
