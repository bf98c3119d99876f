#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_infra_info
short_description: The storages (infrastructure components) a tenant may use, by location, capability and backend
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Lists the storages of the locations a tenant may use, each with the name of its location, so that a storage can
    be named by name where the API wants its id (offering items' C(infra_id), a protection plan's destination).
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
options:
  tenant_id:
    description:
      - ID of the tenant.
      - Defaults to the tenant of the API client.
    type: str
  location:
    description:
      - Only the storages of this location, by name (case-insensitive) or ID. An unknown or ambiguous name fails,
        listing the locations.
    type: str
  name:
    description:
      - Only the storages with this name (case-insensitive).
    type: str
  capability:
    description:
      - Only the storages that serve this (V(backup), V(disaster_recovery), V(files_cloud), ...).
    type: str
  backend_type:
    description:
      - Only the storages of this backend (V(acronis), V(google), V(azure), ...).
    type: str
  resolve:
    description:
      - Storages named by name, each entry's C(infra) (a name, case-insensitive, or an ID) optionally in its
        C(location) (a name or an ID), that must each name exactly one storage the tenant may use; the task fails,
        listing the candidates, for a name that is unknown or that several storages share. Their IDs are returned as
        RV(resolved), and RV(infras) is then empty (the task only checks the names).
      - Other keys of an entry are ignored, and an entry without C(infra) is only passed on to RV(resolved_entries),
        so that offering item entries (M(acronis.cyber_platform.acronis_offering_items)
        O(acronis.cyber_platform.acronis_offering_items#module:items)) can be given as they are; the tenant_onboarding
        role checks the storages of its offering items this way before any write, and gives the offering items task
        RV(resolved_entries), so that the storages are not read twice.
      - In check mode, for a tenant that the same run would create (a placeholder id), the names are checked against
        the storages of the API client's tenant.
    type: list
    elements: dict
seealso:
  - module: acronis.cyber_platform.acronis_location_info
  - module: acronis.cyber_platform.acronis_offering_items
'''

EXAMPLES = r'''
- name: The storages the partner may use for disaster recovery
  acronis.cyber_platform.acronis_infra_info:
    tenant_id: "{{ partner_tenant_id }}"
    capability: disaster_recovery
  register: dr

- name: The id of the hosted storage
  acronis.cyber_platform.acronis_infra_info:
    name: Acronis Hosted Storage
  register: hosted
  # hosted.infras[0].id
'''

RETURN = r'''
resolved:
  description: The IDs of the storages O(resolve) names, in its order.
  returned: always
  type: list
  elements: str
  sample: [019097a6-114f-4418-bd54-e01ef049f209]
resolved_entries:
  description:
    - The entries of O(resolve) in their order, each that names a storage with its C(infra) and C(location) replaced
      by C(infra_id), the storage's ID; the other entries as they are.
    - Given offering item entries, the entries are what O(acronis.cyber_platform.acronis_offering_items#module:items)
      takes.
  returned: always
  type: list
  elements: dict
  sample: [{name: pw_storage, infra_id: 019097a6-114f-4418-bd54-e01ef049f209, quota: {value: 1099511627776}}]
infras:
  description:
    - The storages, as the service shows them, with C(location_name), the name of their location.
    - In check mode, empty for a tenant that the same run would create (a placeholder id); empty with O(resolve).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 019097a6-114f-4418-bd54-e01ef049f209
      name: Acronis Hosted Storage
      location_id: 8f0c3c62-2d6e-5b8b-9a43-6d5a0d8ef8a2
      location_name: Acronis Cloud
      owner_tenant_id: 0ac3a3e0-8ba8-4f62-a4c0-8e1f1c9e7b3d
      capabilities: [backup, disaster_recovery, files_cloud]
      backend_type: acronis
      platform_owned: true
      readonly: true
      url: acronis+fes://019097a6.storage.example:44445
      version: 1
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils import locations as places
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation


# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "location": validation.LOCATION_NAME,
    "name": validation.INFRA_NAME,
}


def matches(infra, p, location):
    if location is not None and infra.get("location_id") != location["id"]:
        return False
    if p["name"] is not None and (infra.get("name") or "").lower() != p["name"].lower():
        return False
    if p["capability"] is not None and p["capability"] not in (infra.get("capabilities") or []):
        return False
    return p["backend_type"] is None or infra.get("backend_type") == p["backend_type"]


def check_resolve(entries):
    """The entries of ``resolve`` that name a storage: each with a string ``infra`` (and ``location``, when given)."""
    for entry in entries or []:
        if "infra" not in entry and "location" not in entry:
            continue
        for key in ("infra", "location"):
            value = entry.get(key)
            if (key == "infra" or value is not None) and not (isinstance(value, str) and value.strip()):
                raise AcronisFailure("Option resolve[].%s must be a storage's %s or ID, got %r; every entry needs an "
                                     "infra." % (key, "name" if key == "infra" else "location's name", value))
    return entries or []


def run(module):
    p = module.params
    tenant_id = module.tenant_or_own(p["tenant_id"])
    placeholder = is_placeholder_id(tenant_id)
    if placeholder and p["resolve"]:
        # A tenant the same check-mode run would create uses, at most, what the API client's tenant uses.
        found = places.Places(module.client, module.tenant_or_own(None))
    else:
        found = places.Places(module.client, tenant_id)
    resolved = []
    resolved_entries = []
    for entry in check_resolve(p["resolve"]):
        if "infra" not in entry and "location" not in entry:
            resolved_entries.append(entry)
            continue
        # An offering item entry (the onboarding role's) is named for what it is.
        item = entry.get("name") or entry.get("usage_name")
        where = "infra of offering item '%s'" % item if item else "resolve[].infra"
        resolved.append(found.storage_id(entry["infra"], where, location=entry.get("location"),
                                         location_option=where.replace("infra", "location", 1)))
        resolved_entries.append(dict(((key, value) for key, value in entry.items() if key not in ("infra", "location")),
                                     infra_id=resolved[-1]))
    if placeholder or p["resolve"]:
        return dict(changed=False, infras=[], resolved=resolved, resolved_entries=resolved_entries)
    location = places.resolve(found.locations, p["location"], "location", "location") if p["location"] else None
    return dict(changed=False, infras=[infra for infra in found.storages if matches(infra, p, location)],
                resolved=resolved, resolved_entries=resolved_entries)


def main():
    AcronisModule(
        argument_spec=dict(
            tenant_id=dict(type="str"),
            location=dict(type="str"),
            name=dict(type="str"),
            capability=dict(type="str"),
            backend_type=dict(type="str"),
            resolve=dict(type="list", elements="dict"),
        ),
        option_kinds=OPTION_KINDS,
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
