#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_location
short_description: A partner's locations (where its storages are)
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Creates, renames or removes a location of a tenant - a place, such as a data center, that holds storages
    (see M(acronis.cyber_platform.acronis_infra_info)).
  - A location is found by its name among the locations the tenant owns, or by O(id) to rename it.
  - A location that still holds storages is not removed; the module says which storages it holds, before any write.
  - The platform's locations and those of the tenant's ancestors are used, not changed, by the tenant.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
options:
  name:
    description:
      - Name of the location. With O(id), the name it gets.
    type: str
    required: true
  id:
    description:
      - ID of the location, to rename it to O(name) (or to remove it by its id).
    type: str
  owner_tenant_id:
    description:
      - ID of the tenant that owns the location.
      - Defaults to the tenant of the API client.
    type: str
  state:
    description:
      - V(present) makes sure the location exists with this name; V(absent) removes it when it holds no storage.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: acronis.cyber_platform.acronis_location_info
  - module: acronis.cyber_platform.acronis_infra_info
'''

EXAMPLES = r'''
- name: A location for the partner's own data center
  acronis.cyber_platform.acronis_location:
    name: NYC Data Center
    owner_tenant_id: "{{ partner_tenant_id }}"

- name: Rename it
  acronis.cyber_platform.acronis_location:
    id: "{{ location.location.id }}"
    name: New York

- name: Remove it (it must hold no storage)
  acronis.cyber_platform.acronis_location:
    name: New York
    owner_tenant_id: "{{ partner_tenant_id }}"
    state: absent
'''

RETURN = r'''
location:
  description:
    - The location after the task (in check mode, as it would be; a location that would be created has a placeholder
      id). Empty with O(state=absent).
  returned: always
  type: dict
  sample:
    id: 3b9c5d3a-6c2e-4b8a-8f5e-2d7f0e4f9a11
    name: NYC Data Center
    owner_tenant_id: 4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad
    platform_owned: false
    readonly: false
    version: 1
created:
  description: Whether the task created the location (or would, in check mode).
  returned: always
  type: bool
  sample: true
diff:
  description: Before and after of the location's name; in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {}
    after: {name: NYC Data Center}
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils import locations as places
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    is_placeholder_id,
    make_diff,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import cap_list

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "name": validation.LOCATION_NAME,
    "id": validation.LOCATION_ID,
    "owner_tenant_id": validation.TENANT_ID,
}

# What a location shows in the diff.
DIFF_FIELDS = ("name", "owner_tenant_id")


def find_location(module, owner_id):
    """The location the options name, or None."""
    p = module.params
    if p["id"]:
        if is_placeholder_id(p["id"]):
            return None
        with failing_to("read location %s" % p["id"]):
            location = places.get_location(module.client, p["id"])
        if location is None and p["state"] == "present":
            raise AcronisFailure("Location %s was not found; check id, or leave it out to create '%s'."
                                 % (p["id"], p["name"]))
        return location
    return find_by_name(module.client, owner_id, p["name"], refuse_ambiguous=True)


def find_by_name(client, owner_id, name, refuse_ambiguous=False):
    """The location of ``owner_id`` named ``name`` (case-insensitive), or None."""
    if is_placeholder_id(owner_id):
        return None
    with failing_to("read the locations of tenant %s" % owner_id):
        owned = places.owned_by(places.get_locations(client, places.usable_location_ids(client, owner_id)), owner_id)
    named = [location for location in owned if location.get("name", "").lower() == name.lower()]
    if len(named) > 1 and refuse_ambiguous:
        raise AcronisFailure("Tenant %s owns %d locations named '%s' (%s); give the id of the one you mean."
                             % (owner_id, len(named), name, ", ".join(location["id"] for location in named)))
    return named[0] if named else None


def check_changeable(location):
    if location.get("readonly") or location.get("platform_owned"):
        raise AcronisFailure("Location '%s' (%s) belongs to the platform or to an ancestor of the tenant; it can be "
                             "used, not changed." % (location.get("name"), location.get("id")))


def ensure_created(module, owner_id, current):
    """(the location, whether it was created)."""
    if current is not None:
        return current, False
    name = module.params["name"]
    if module.check_mode:
        return dict(id=placeholder_id("location", name), name=name, owner_tenant_id=owner_id, platform_owned=False,
                    readonly=False, version=1), True
    with failing_to("create location '%s'" % name):
        location, _adopted = places.create_location(
            module.client, owner_id, name, lambda: find_by_name(module.client, owner_id, name))
    return location, True


def ensure_named(module, location):
    """(the location, whether it was renamed)."""
    name = module.params["name"]
    if location.get("name") == name:
        return location, False
    check_changeable(location)
    if module.check_mode:
        return dict(location, name=name), True
    with failing_to("rename location '%s' to '%s'" % (location.get("name"), name), location=location):
        return places.rename_location(module.client, location["id"], location["version"], name), True


def ensure_removed(module, location):
    """Whether the location was removed (it must hold no storage)."""
    if location is None:
        return False
    check_changeable(location)
    with failing_to("read the storages of location '%s'" % location.get("name")):
        held = places.get_infras(module.client, places.location_infra_ids(module.client, location["id"]))
    if held:
        raise AcronisFailure("Location '%s' still holds %d storage(s) - %s; move or unregister them first."
                             % (location.get("name"), len(held),
                                cap_list(["%s (%s)" % (infra.get("name"), infra.get("id")) for infra in held])),
                             location=location)
    if not module.check_mode:
        with failing_to("remove location '%s'" % location.get("name"), location=location):
            places.delete_location(module.client, location["id"], location["version"])
    return True


def _shown(location):
    return dict((key, location.get(key)) for key in DIFF_FIELDS) if location else None


def run(module):
    owner_id = module.tenant_or_own(module.params["owner_tenant_id"])
    current = find_location(module, owner_id)

    if module.params["state"] == "absent":
        removed = ensure_removed(module, current)
        result = dict(changed=removed, location={}, created=False)
        if module._diff:
            result["diff"] = make_diff(_shown(current), None) if removed else {"before": {}, "after": {}}
        return result

    location, created = ensure_created(module, owner_id, current)
    location, renamed = ensure_named(module, location)
    result = dict(changed=created or renamed, location=location, created=created)
    if module._diff:
        result["diff"] = (make_diff(None, _shown(location)) if created
                          else make_diff(_shown(current), {"name": location["name"]}) if renamed
                          else {"before": {}, "after": {}})
    return result


def main():
    AcronisModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            id=dict(type="str"),
            owner_tenant_id=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        option_kinds=OPTION_KINDS,
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
