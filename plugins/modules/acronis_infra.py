#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_infra
short_description: A partner-hosted storage (infrastructure component) in one of its locations
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Registers, changes or unregisters a storage that a tenant hosts itself, in a location it may use, so that its
    customers can be given backup, disaster recovery or files storage there.
  - A storage is found by its name among the storages the tenant owns, or by O(id) to rename it. An option left
    unset is left as it is.
  - The platform's storages and those of the tenant's ancestors are used, not changed, by the tenant.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
options:
  name:
    description:
      - Name of the storage. With O(id), the name it gets.
    type: str
    required: true
  id:
    description:
      - ID of the storage, to rename it to O(name) (or to unregister it by its id).
    type: str
  owner_tenant_id:
    description:
      - ID of the tenant that owns the storage.
      - Defaults to the tenant of the API client.
    type: str
  location:
    description:
      - The location of the storage, by name (case-insensitive) or ID, among the locations the owner may use. An
        unknown or ambiguous name fails, listing the locations, before any write.
      - Unset for a new storage, the service puts it in the owner's first location.
    type: str
  url:
    description:
      - Address of the storage (V(acronis+fes://storage.example.com:44445)). Required to register one.
    type: str
  capabilities:
    description:
      - What the storage serves. Required to register one.
    type: list
    elements: str
    choices: [backup, disaster_recovery, files_cloud, vcd]
  backend_type:
    description:
      - Storage backend type (V(acronis), V(azure), ...).
    type: str
  content_url:
    description:
      - Address at which users browse the storage's content.
    type: str
  content_mobile_url:
    description:
      - Address at which mobile users browse the storage's content.
    type: str
  state:
    description:
      - V(present) makes sure the storage is registered with these settings; V(absent) unregisters it.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: acronis.cyber_platform.acronis_location
  - module: acronis.cyber_platform.acronis_infra_info
'''

EXAMPLES = r'''
- name: The partner's own backup storage in its data center
  acronis.cyber_platform.acronis_infra:
    name: NYC Storage
    owner_tenant_id: "{{ partner_tenant_id }}"
    location: NYC Data Center
    url: acronis+fes://storage.nyc.example:44445
    capabilities: [backup]

- name: Unregister it
  acronis.cyber_platform.acronis_infra:
    name: NYC Storage
    owner_tenant_id: "{{ partner_tenant_id }}"
    state: absent
'''

RETURN = r'''
infra:
  description:
    - The storage after the task (in check mode, as it would be; one that would be registered has a placeholder id).
      Empty with O(state=absent).
  returned: always
  type: dict
  sample:
    id: 6f1b2d0e-4a8b-4f6c-9c1e-3d2a7b5e8f90
    name: NYC Storage
    location_id: 3b9c5d3a-6c2e-4b8a-8f5e-2d7f0e4f9a11
    owner_tenant_id: 4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad
    url: acronis+fes://storage.nyc.example:44445
    capabilities: [backup]
    backend_type: null
    platform_owned: false
    readonly: false
    version: 1
created:
  description: Whether the task registered the storage (or would, in check mode).
  returned: always
  type: bool
  sample: true
diff:
  description: Before and after of the fields that change; in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {url: acronis+fes://old.example:44445}
    after: {url: acronis+fes://storage.nyc.example:44445}
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils import locations as places
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    compare,
    is_placeholder_id,
    make_diff,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

SETTINGS = ("url", "capabilities", "backend_type", "content_url", "content_mobile_url")


# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "name": validation.INFRA_NAME,
    "id": validation.INFRA_ID,
    "owner_tenant_id": validation.TENANT_ID,
    "location": validation.LOCATION_NAME,
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the storage.
FIELDS_TO_SET = ("location",) + SETTINGS


def check_options(module):
    p = module.params
    if p["capabilities"] is not None and not p["capabilities"] and p["state"] == "present":
        raise AcronisFailure("Option capabilities: list at least one of %s." % ", ".join(places.CAPABILITIES))


def read_places(module, owner_id):
    """The locations the owner may use, with their storages ([] for an owner check mode would create)."""
    if is_placeholder_id(owner_id):
        return []
    with failing_to("read the locations and storages of tenant %s" % owner_id):
        return places.usable_locations(module.client, owner_id)


def find_infra(module, owner_id, locations):
    """The storage the options name, or None."""
    p = module.params
    storages = places.usable_storages(locations)
    if p["id"]:
        found = [infra for infra in storages if infra["id"] == p["id"]]
        if not found and not is_placeholder_id(p["id"]) and p["state"] == "present":
            raise AcronisFailure("Storage %s was not found among those tenant %s may use; check id, or leave it out "
                                 "to register '%s'." % (p["id"], owner_id, p["name"]))
        return found[0] if found else None
    return find_by_name(storages, owner_id, p["name"], refuse_ambiguous=True)


def find_by_name(storages, owner_id, name, refuse_ambiguous=False):
    named = [infra for infra in storages
             if infra.get("owner_tenant_id") == owner_id and (infra.get("name") or "").lower() == name.lower()]
    if len(named) > 1 and refuse_ambiguous:
        raise AcronisFailure("Tenant %s owns %d storages named '%s' (%s); give the id of the one you mean."
                             % (owner_id, len(named), name, ", ".join(infra["id"] for infra in named)))
    return named[0] if named else None


def desired_state(module, locations):
    """The storage's fields as the options ask (None: leave as it is); the location resolved by name."""
    p = module.params
    desired = dict((key, p[key]) for key in SETTINGS)
    desired["name"] = p["name"]
    if p["capabilities"] is not None:
        desired["capabilities"] = sorted(set(p["capabilities"]))
    desired["location_id"] = None
    if p["location"] and is_placeholder_id(p["location"]) and module.check_mode:
        desired["location_id"] = p["location"]          # a location the same check-mode run would create
    elif p["location"] and (locations or not module.check_mode):
        desired["location_id"] = places.resolve(locations, p["location"], "location", "location")["id"]
    return desired


def _shown(infra):
    shown = dict((key, infra.get(key)) for key in ("name", "location_id") + SETTINGS)
    shown["capabilities"] = sorted(infra.get("capabilities") or [])
    return shown


def check_changeable(infra):
    if infra.get("readonly") or infra.get("platform_owned"):
        raise AcronisFailure("Storage '%s' (%s) belongs to the platform or to an ancestor of the tenant; it can be "
                             "used, not changed." % (infra.get("name"), infra.get("id")))


def ensure_registered(module, owner_id, locations, current, desired):
    """(the storage, whether it was registered)."""
    if current is not None:
        return current, False
    p = module.params
    missing = [option for option in ("url", "capabilities") if not p[option]]
    if missing:
        raise AcronisFailure("Storage '%s' is not registered yet; set %s to register it."
                             % (p["name"], " and ".join(missing)))
    body = dict((key, value) for key, value in desired.items() if value is not None)
    body["owner_tenant_id"] = owner_id
    if module.check_mode:
        return dict(body, id=placeholder_id("infra", p["name"]), platform_owned=False, readonly=False, version=1,
                    backend_type=body.get("backend_type")), True
    with failing_to("register storage '%s'" % p["name"]):
        infra, _adopted = places.register_infra(
            module.client, body,
            lambda: find_by_name(places.usable_storages(places.usable_locations(module.client, owner_id)),
                                 owner_id, p["name"]))
    return infra, True


def ensure_settings(module, infra, desired, created):
    """(the storage, the changes made)."""
    if created:
        return infra, {}
    changes = compare(desired, _shown(infra))
    if not changes:
        return infra, {}
    check_changeable(infra)
    if module.check_mode:
        return dict(infra, **changes), changes
    with failing_to("change storage '%s'" % infra.get("name"), infra=infra):
        return places.update_infra(module.client, infra["id"], infra["version"], changes), changes


def ensure_unregistered(module, infra):
    if infra is None:
        return False
    check_changeable(infra)
    if not module.check_mode:
        with failing_to("unregister storage '%s'" % infra.get("name"), infra=infra):
            places.unregister_infra(module.client, infra["id"], infra["version"])
    return True


def run(module):
    check_options(module)
    owner_id = module.tenant_or_own(module.params["owner_tenant_id"])
    locations = read_places(module, owner_id)
    current = find_infra(module, owner_id, locations)

    if module.params["state"] == "absent":
        removed = ensure_unregistered(module, current)
        result = dict(changed=removed, infra={}, created=False)
        if module._diff:
            result["diff"] = make_diff(_shown(current), None) if removed else {"before": {}, "after": {}}
        return result

    desired = desired_state(module, locations)
    infra, created = ensure_registered(module, owner_id, locations, current, desired)
    infra, changes = ensure_settings(module, infra, desired, created)
    infra.pop("location_name", None)
    result = dict(changed=created or bool(changes), infra=infra, created=created)
    if module._diff:
        result["diff"] = (make_diff(None, _shown(infra)) if created
                          else make_diff(_shown(current), changes) if changes else {"before": {}, "after": {}})
    return result


def main():
    AcronisModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            id=dict(type="str"),
            owner_tenant_id=dict(type="str"),
            location=dict(type="str"),
            url=dict(type="str"),
            capabilities=dict(type="list", elements="str", choices=list(places.CAPABILITIES)),
            backend_type=dict(type="str"),
            content_url=dict(type="str"),
            content_mobile_url=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        option_kinds=OPTION_KINDS,
        fields_to_set=FIELDS_TO_SET,
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
