#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_application
short_description: Enable or disable services (applications) for a tenant
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Enables (binds) or disables (unbinds) applications such as Cyber Protection or Cyber Files Cloud for a tenant.
  - With O(purge=true), the tenant ends up with only the applications listed (O(state=enabled)) or with none
    (O(state=disabled)) - the "disable all applications for a customer" of Acronis's examples.
  - The platform application (type C(platform)) is what the tenant itself runs on; it is never disabled.
  - Disabling an application switches its offering items off in the tenant and the tenants below it.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
options:
  tenant_id:
    description:
      - ID of the tenant.
    type: str
    required: true
  applications:
    description:
      - The applications, each by name (V(Cyber Protection), case-insensitive) or by ID.
      - With O(state=disabled) and O(purge=true), leave it empty - every application but the platform is disabled.
    type: list
    elements: str
    default: []
  state:
    description:
      - V(enabled) binds the applications to the tenant; V(disabled) unbinds them.
    type: str
    choices: [enabled, disabled]
    default: enabled
  purge:
    description:
      - With O(state=enabled), also disable every application of the tenant that is not listed (but the platform).
      - With O(state=disabled), disable every application of the tenant but the platform.
    type: bool
    default: false
notes:
  - An application can be enabled only for a tenant whose parent has it; the module checks this before any change
    when it may read the parent, and the service refuses it otherwise.
'''

EXAMPLES = r'''
- name: Enable Cyber Protection for a customer
  acronis.cyber_platform.acronis_application:
    tenant_id: "{{ customer_tenant_id }}"
    applications: [Cyber Protection]

- name: Disable all applications for a customer
  acronis.cyber_platform.acronis_application:
    tenant_id: "{{ customer_tenant_id }}"
    state: disabled
    purge: true

- name: The customer has Cyber Protection and nothing else
  acronis.cyber_platform.acronis_application:
    tenant_id: "{{ customer_tenant_id }}"
    applications: [Cyber Protection]
    purge: true
'''

RETURN = r'''
applications:
  description: The applications enabled for the tenant after the task (in check mode, as they would be).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the application.
      type: str
      sample: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
    name:
      description: Name of the application.
      type: str
      sample: Cyber Protection
    type:
      description: Type of the application (V(backup), V(files_cloud), V(platform), ...).
      type: str
      sample: backup
enabled:
  description: Names of the applications the task enabled (or would enable).
  returned: always
  type: list
  elements: str
  sample: [Cyber Protection]
disabled:
  description: Names of the applications the task disabled (or would disable).
  returned: always
  type: list
  elements: str
  sample: [Cyber Files Cloud]
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisError,
    AcronisFailure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import applications as apps
from ansible_collections.acronis.cyber_platform.plugins.module_utils.tenants import get_tenant

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
}


def _names(app_list):
    return [app["name"] for app in app_list]


def _parent_application_ids(client, tenant_id):
    """Ids of the applications of the tenant's parent, or None when the caller may not read them."""
    tenant = get_tenant(client, tenant_id)
    if not tenant or not tenant.get("parent_id"):
        return None
    try:
        return apps.tenant_application_ids(client, tenant["parent_id"])
    except AcronisError as exc:
        if exc.status in (403, 404):
            return None
        raise


def check_options(module):
    """Refuse, before any request, what cannot work."""
    p = module.params
    if p["state"] == "disabled" and p["purge"] and p["applications"]:
        raise AcronisFailure("With state=disabled and purge=true every application but the platform is disabled; "
                             "leave applications empty.")
    if not p["applications"] and not p["purge"]:
        raise AcronisFailure("Set applications (names or IDs), or purge=true.")


def read_catalog(module):
    """(catalog, wanted, platform): the platform's applications, those the options name, the platform's own."""
    p = module.params
    with failing_to("read the applications of the platform"):
        catalog = apps.list_applications(module.client)
    wanted = apps.resolve(catalog, p["applications"])
    platform = [app for app in catalog if app.get("type") == apps.PLATFORM_TYPE]
    if p["state"] == "disabled" and any(app in platform for app in wanted):
        raise AcronisFailure("The platform application cannot be disabled for a tenant; remove %s from applications."
                             % ", ".join(repr(app["name"]) for app in wanted if app in platform))
    return catalog, wanted, platform


def application_changes(p, wanted, platform, current, current_ids):
    """(to enable, to disable): what state and purge ask, compared with the tenant's applications."""
    if p["state"] == "enabled":
        to_enable = [app for app in wanted if app["id"] not in current_ids]
        keep = set(app["id"] for app in wanted + platform)
        to_disable = [app for app in current if app["id"] not in keep] if p["purge"] else []
    else:
        to_enable = []
        targets = current if p["purge"] else wanted
        to_disable = [app for app in targets if app["id"] in current_ids and app not in platform]
    return to_enable, to_disable


def check_parent_has(client, tenant_id, to_enable):
    """Refuse, before any write, an application that the tenant's parent does not have."""
    with failing_to("read the applications of the parent of tenant %s" % tenant_id):
        parent_ids = _parent_application_ids(client, tenant_id)
    missing = [app for app in to_enable if parent_ids is not None and app["id"] not in parent_ids]
    if missing:
        raise AcronisFailure("Tenant %s: the parent tenant does not have %s, so it cannot be enabled here; "
                             "enable it for the parent first." % (tenant_id, ", ".join(_names(missing))))


def ensure_enabled(module, tenant_id, to_enable):
    """The names of the applications enabled (in check mode, that would be)."""
    if not module.check_mode:
        for app in to_enable:
            with failing_to("enable %s for tenant %s" % (app["name"], tenant_id),
                            enabled=_names(to_enable[:to_enable.index(app)]), disabled=[]):
                apps.enable(module.client, app["id"], tenant_id)
    return _names(to_enable)


def ensure_disabled(module, tenant_id, to_disable, enabled):
    """The names of the applications disabled (in check mode, that would be); ``enabled`` went before them."""
    if not module.check_mode:
        for app in to_disable:
            with failing_to("disable %s for tenant %s" % (app["name"], tenant_id),
                            enabled=enabled, disabled=_names(to_disable[:to_disable.index(app)])):
                apps.disable(module.client, app["id"], tenant_id)
    return _names(to_disable)


def run(module):
    p = module.params
    check_options(module)
    tenant_id = p["tenant_id"]
    new_tenant = is_placeholder_id(tenant_id) and module.check_mode
    catalog, wanted, platform = read_catalog(module)

    # Current state: the tenant's applications (a tenant that check mode would create has the platform's).
    by_id = dict((app["id"], app) for app in catalog)
    if new_tenant:
        current_ids = [a["id"] for a in platform]
    else:
        with failing_to("read the applications of tenant %s" % tenant_id):
            current_ids = apps.tenant_application_ids(module.client, tenant_id)
    current = [by_id.get(i, {"id": i, "name": i, "type": None}) for i in current_ids]

    # Desired state, compared with the current one; the parent must have what is to be enabled.
    to_enable, to_disable = application_changes(p, wanted, platform, current, current_ids)
    if to_enable and not new_tenant:
        check_parent_has(module.client, tenant_id, to_enable)

    # Act: enable, then disable, one application at a time.
    enabled = ensure_enabled(module, tenant_id, to_enable)
    disabled = ensure_disabled(module, tenant_id, to_disable, enabled)

    after_ids = [i for i in current_ids if i not in set(app["id"] for app in to_disable)]
    after_ids += [app["id"] for app in to_enable]
    after = [by_id.get(i, {"id": i, "name": i, "type": None}) for i in after_ids]
    result = dict(changed=bool(enabled or disabled), applications=after, enabled=enabled, disabled=disabled)
    if module._diff:
        result["diff"] = {"before": {"applications": sorted(_names(current))},
                          "after": {"applications": sorted(_names(after))}}
    return result


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            tenant_id=dict(type="str", required=True),
            applications=dict(type="list", elements="str", default=[]),
            state=dict(type="str", choices=["enabled", "disabled"], default="enabled"),
            purge=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
