#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_tenant
short_description: Create, configure, lock and delete tenants of the Acronis Cyber Platform
version_added: 0.1.0
description:
  - Makes sure a partner, folder, customer or unit tenant exists with the properties you name, or that it is gone.
  - A tenant is named by O(id), or by O(name) under a parent tenant (O(parent_id)).
  - Every property option left unset means "leave it as it is"; only the properties you set are compared and changed.
  - Updates send the tenant's current version; when the service answers that the version is outdated,
    the module reads the tenant again and retries once.
  - "Looking a tenant up by name costs the same whatever the number of its siblings: the module asks the service's
    search index, then reads the candidate to confirm it. Because the index can lag behind recent writes, the module
    never concludes from the search alone that a tenant does not exist: a create that the service refuses because the
    name exists (error 1004), or whose outcome was lost, is resolved by reading the parent's children, never by
    creating a second tenant. A lost create whose tenant is not there is sent again, within O(backoff_retries)."
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
options:
  state:
    description:
      - V(present) creates the tenant when it does not exist and applies the properties you set.
      - V(absent) disables the tenant, then deletes it with its current version.
        A tenant with children is refused unless O(remove_subtree=true).
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - ID of the tenant. The tenant must exist.
      - With O(id), O(name) is the name the tenant must have (the module renames it when it differs).
      - In check mode, a check-mode placeholder ID returned by an earlier task means the tenant would have been
        created by that task; the module then reports the whole desired state as a change without reading anything.
    type: str
  name:
    description:
      - Name of the tenant under its parent. Names are unique among siblings, whatever their kind, and compared
        without regard to case.
      - Required unless O(id) is set.
    type: str
  parent_id:
    description:
      - ID of the parent tenant, used with O(name).
      - Defaults to the tenant the API client belongs to.
      - A check-mode placeholder ID (a parent that an earlier task would create) means this tenant would be created too.
      - Moving a tenant to another parent is not supported; with O(id), O(parent_id) must be the tenant's current parent.
    type: str
  kind:
    description:
      - Kind of the tenant. Required to create one.
      - An existing tenant can only change between V(partner) and V(folder); any other change of kind fails
        before anything is changed.
    type: str
    choices: [partner, folder, customer, unit]
  enabled:
    description:
      - Whether the tenant is enabled. A disabled tenant's users cannot log in.
    type: bool
  customer_id:
    description:
      - ID of the tenant in your own systems, used in reports.
    type: str
  internal_tag:
    description:
      - A free-form tag, visible to the tenant's ancestors only.
    type: str
  language:
    description:
      - Preferred language of the tenant, for example V(en), V(de) or V(pt_BR).
    type: str
  contact:
    description:
      - Contact information of the tenant. Only the fields you set are compared and changed.
    type: dict
    suboptions:
      email:
        description: Email address.
        type: str
      firstname:
        description: First name of the contact person.
        type: str
      lastname:
        description: Last name of the contact person.
        type: str
      phone:
        description: Phone number.
        type: str
      address1:
        description: First line of the postal address.
        type: str
      address2:
        description: Second line of the postal address.
        type: str
      city:
        description: City.
        type: str
      state:
        description: State or region.
        type: str
      zipcode:
        description: Postal code.
        type: str
      country:
        description: Country.
        type: str
      title:
        description: Title of the contact person.
        type: str
      website:
        description: Web site.
        type: str
      industry:
        description: Industry.
        type: str
      organization_size:
        description: Size of the organization, for example V(50-100).
        type: str
  ancestral_access:
    description:
      - Whether the tenant's indirect ancestors can access it.
    type: bool
  enhanced_security:
    description:
      - Enhanced security (PCI DSS mode) of the tenant. It is one-way; once on, it cannot be switched off.
      - The service takes it when the tenant is created. For an existing tenant it is compared and changed only when
        the service reports the tenant's setting; otherwise the module leaves it as it is and says so in a warning.
      - Asking for V(false) on a tenant whose enhanced security is on fails before anything is changed.
    type: bool
  mfa_enabled:
    description:
      - Whether two-factor authentication is required in the tenant (C(PUT /tenants/{id}/mfa/status)).
      - The service does not manage it for folders and units (they follow their ancestors); setting it on one fails
        before anything is changed.
    type: bool
  pricing_mode:
    description:
      - Pricing mode of the tenant. Customers are created in V(trial).
      - V(trial) to V(production) is one-way; asking for V(trial) on a tenant in production fails before anything is
        changed.
    type: str
    choices: [trial, production]
  update_lock:
    description:
      - Whether the tenant is locked against updates by anyone but users of the tenant that owns the lock
        (your API client's tenant when this module locks it).
      - V(false) unlocks the tenant first, before any other change of the same task, so a task can unlock a tenant
        and change it. V(true) locks it last, after the other changes.
      - Changing (or deleting) a tenant locked by another tenant fails before any request that writes, because the
        service would refuse it with its error 1012.
    type: bool
  remove_subtree:
    description:
      - With O(state=absent), delete the tenant's children and all their descendants too, deepest first.
      - Without it, deleting a tenant that has children fails before anything is changed.
    type: bool
    default: false
notes:
  - In check mode, a tenant that would be created is returned with an C(id) that is a check-mode placeholder
    (it starts with C(00000000-0000-0000-c4ec-)), so that later tasks of a C(--check) run that use it
    (users, offering items, child tenants) can predict their own changes.
seealso:
  - module: acronis.cyber_platform.acronis_tenant_info
  - module: acronis.cyber_platform.acronis_api_client
'''

EXAMPLES = r'''
- name: Manage the tenants of a partner
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/acronis.cyber_platform.acronis:
      base_url: "{{ acronis_base_url }}"
      client_id: "{{ acronis_client_id }}"
      client_secret: "{{ acronis_client_secret }}"
  tasks:
    - name: A customer under the API client's own tenant
      acronis.cyber_platform.acronis_tenant:
        name: Acme Corp
        kind: customer
        customer_id: CRM-0042
        language: en
        contact:
          email: it@acme.example
          firstname: Ada
          lastname: Lovelace
      register: acme

    - name: A unit under it (works in --check too, with the placeholder id of a customer not created yet)
      acronis.cyber_platform.acronis_tenant:
        name: Acme Finance
        parent_id: "{{ acme.tenant.id }}"
        kind: unit

    - name: Move the customer to production and require two-factor authentication
      acronis.cyber_platform.acronis_tenant:
        id: "{{ acme.tenant.id }}"
        pricing_mode: production
        mfa_enabled: true

    - name: Lock it against changes from the management console
      acronis.cyber_platform.acronis_tenant:
        id: "{{ acme.tenant.id }}"
        update_lock: true

    - name: Unlock it and disable it in the same task
      acronis.cyber_platform.acronis_tenant:
        id: "{{ acme.tenant.id }}"
        update_lock: false
        enabled: false

    - name: Retire the customer and everything under it
      acronis.cyber_platform.acronis_tenant:
        name: Acme Corp
        state: absent
        remove_subtree: true
'''

RETURN = r'''
tenant:
  description:
    - The tenant as the service shows it after the task; in check mode, as it would be.
    - In check mode, a tenant that would be created has a placeholder C(id) and no C(version).
    - Empty when the tenant does not exist after the task (O(state=absent)).
  returned: always
  type: dict
  sample:
    id: 95303d96-628c-4265-9afa-07bee3fccf39
    version: 3
    name: Acme Corp
    kind: customer
    parent_id: ede9f834-70b3-476c-83d9-736f9f8c7dae
    enabled: true
    customer_id: CRM-0042
    customer_type: default
    internal_tag: null
    language: en
    contact:
      email: it@acme.example
      firstname: Ada
      lastname: Lovelace
    ancestral_access: true
    has_children: false
    update_lock:
      enabled: false
      owner_id: null
    mfa_status: enabled
    pricing_mode: production
    production_start_date: "2024-05-19T00:00:00"
    created_at: "2024-04-19T11:50:00+00:00"
    updated_at: "2024-04-19T11:52:00+00:00"
    deleted_at: null
created:
  description:
    - Whether the task created the tenant (in check mode, would create it). V(false) for a tenant that existed,
      also when a create that the service refused because the name exists found it.
    - Give it, with RV(tenant), to the tasks that manage the tenant's offering items and users
      (O(acronis.cyber_platform.acronis_offering_items#module:tenant_created),
      O(acronis.cyber_platform.acronis_user#module:tenant_created)), so that they do not read what a new tenant has.
  returned: always
  type: bool
  sample: true
removed:
  description: IDs of the tenants the task deleted (or would delete, in check mode), deepest first.
  returned: when O(state=absent)
  type: list
  elements: str
  sample: [9a1c0d6e-4b8f-4f57-9d8e-2f0f6c3c1a11, 95303d96-628c-4265-9afa-07bee3fccf39]
diff:
  description: Before and after of the fields that change (or would change); only in diff mode.
  returned: when diff mode is on and something changes
  type: dict
  sample:
    before:
      pricing_mode: trial
      mfa_status: disabled
    after:
      pricing_mode: production
      mfa_status: enabled
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_name

CONTACT_OPTIONS = ("email", "firstname", "lastname", "phone", "address1", "address2", "city", "state", "zipcode",
                   "country", "title", "website", "industry", "organization_size")


def run(module):
    p = module.params
    module.check_uuid(p["id"], "id")
    module.check_uuid(p["parent_id"], "parent_id")
    if p["state"] == "present":
        check_name(p["name"], "name")
    task = tenants.TenantTask(module)
    if module.check_mode and (is_placeholder_id(p["id"]) or is_placeholder_id(p["parent_id"])):
        return task.predict_under_placeholder()

    parent_id = None if p["id"] else task.parent_id()
    current = task.lookup(parent_id, authoritative=module.check_mode or p["state"] == "absent")
    if p["state"] == "absent":
        return task.ensure_absent(current)
    if current is None:
        return task.ensure_created(parent_id)
    return task.ensure_updated(current)


def main():
    contact_spec = dict((key, dict(type="str")) for key in CONTACT_OPTIONS)
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        id=dict(type="str"),
        name=dict(type="str"),
        parent_id=dict(type="str"),
        kind=dict(type="str", choices=list(tenants.TENANT_KINDS)),
        enabled=dict(type="bool"),
        customer_id=dict(type="str"),
        internal_tag=dict(type="str"),
        language=dict(type="str"),
        contact=dict(type="dict", options=contact_spec),
        ancestral_access=dict(type="bool"),
        enhanced_security=dict(type="bool"),
        mfa_enabled=dict(type="bool"),
        pricing_mode=dict(type="str", choices=["trial", "production"]),
        update_lock=dict(type="bool"),
        remove_subtree=dict(type="bool", default=False),
    )
    AcronisModule(argument_spec=argument_spec, supports_check_mode=True,
                  required_one_of=[("id", "name")]).execute(run)


if __name__ == "__main__":
    main()
