#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_access_policy
short_description: Grant and revoke the roles of an Acronis user
version_added: 0.1.0
description:
  - Manages the access policies (roles) of one user, found by O(user_id) or by O(login) and O(tenant_id).
  - A role is a O(roles[].role_id) held in a O(roles[].tenant_id); the tenant defaults to the user's own.
  - Role ids are checked against the role list of the API specification before any request.
  - The module reads the user's policies and, only when the set changes, sends B(one) request with the whole
    resulting list, existing policies carrying their ids and versions.
  - The roles of users are read with M(acronis.cyber_platform.acronis_user_info) and its
    O(acronis.cyber_platform.acronis_user_info#module:with_access_policies) option; there is no separate info module.
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
options:
  user_id:
    description:
      - ID of the user.
      - In check mode, a check-mode placeholder ID of a user that an earlier task would create is accepted;
        every listed role is then predicted as added.
      - One of O(user_id) and O(login) is required.
    type: str
  login:
    description:
      - Login of the user, looked up in O(tenant_id).
    type: str
  tenant_id:
    description:
      - Tenant of the user, required with O(login).
    type: str
    aliases: [tenant]
  roles:
    description:
      - Roles to grant (O(state=present)) or revoke (O(state=absent)).
    type: list
    elements: dict
    default: []
    suboptions:
      role_id:
        description: The role.
        type: str
        required: true
        choices: [root_admin, partner_admin, company_admin, unit_admin, readonly_admin, protection_admin,
                  protection_ro_admin, restore_operator, backup_user, sync_share_admin, sync_share_user,
                  sync_share_guest, pds_operator, pds_support, notary_admin, notary_user, hci_admin,
                  omnivoice_admin, omnivoice_user, greathorn_admin, greathorn_user, greathorn_analyst,
                  greathorn_client_manager]
      tenant_id:
        description: Tenant the role applies to; defaults to the user's tenant.
        type: str
  state:
    description:
      - V(present) grants the roles, V(absent) revokes them.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), revoke every role of the user that is not listed, so that O(roles) is the exact set.
        O(roles=[]) with O(purge=true) revokes every role.
    type: bool
    default: false
seealso:
  - module: acronis.cyber_platform.acronis_user
  - module: acronis.cyber_platform.acronis_user_info
'''

EXAMPLES = r'''
- name: Make the new administrator a company administrator of their customer
  acronis.cyber_platform.acronis_access_policy:
    user_id: "{{ admin.user.id }}"
    roles:
      - role_id: company_admin

- name: A backup user with exactly one role, in their personal tenant
  acronis.cyber_platform.acronis_access_policy:
    login: jdoe-acme
    tenant_id: "{{ customer_id }}"
    roles:
      - role_id: backup_user
        tenant_id: "{{ jdoe.user.personal_tenant_id }}"
    purge: true

- name: Take the read-only administrator role away
  acronis.cyber_platform.acronis_access_policy:
    user_id: "{{ user_id }}"
    roles:
      - role_id: readonly_admin
    state: absent
'''

RETURN = r'''
access_policies:
  description: The user's access policies after the task, as the API shows them (in check mode, as they would be).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 5a1f3e2d-0c4b-4f6a-9e8d-7c6b5a4f3e2d
      version: 1
      role_id: company_admin
      tenant_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
      trustee_id: 0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21
      trustee_type: user
      issuer_id: 3c2b1a09-8f7e-4d6c-a5b4-c3d2e1f0a9b8
      created_at: "2024-05-02T10:11:12Z"
      updated_at: "2024-05-02T10:11:12Z"
      deleted_at: null
user_id:
  description: ID of the user whose roles were managed.
  returned: always
  type: str
  sample: 0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import (
    AcronisModule,
    is_placeholder_id,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils import users


def argument_spec():
    role = dict(role_id=dict(type="str", required=True, choices=list(users.ROLES)), tenant_id=dict(type="str"))
    return dict(
        user_id=dict(type="str"),
        login=dict(type="str"),
        tenant_id=dict(type="str", aliases=["tenant"]),
        roles=dict(type="list", elements="dict", default=[], options=role),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        purge=dict(type="bool", default=False),
    )


def find_user(module, client):
    """The user (None for one that would be created in check mode) and its id."""
    p = module.params
    if p["user_id"]:
        if is_placeholder_id(p["user_id"]):
            return None, p["user_id"]
        user = users.get_user(client, p["user_id"])
        if user is None:
            module.fail_json(msg="user %s does not exist" % p["user_id"])
        return user, user["id"]
    if is_placeholder_id(p["tenant_id"]):
        if not users.login_is_free(client, p["login"]):
            module.fail_json(msg="login '%s' is already taken by a user of another tenant than %s"
                                 % (p["login"], p["tenant_id"]))
        return None, placeholder_id("user", p["login"].casefold())
    where, user = users.locate(client, p["login"], p["tenant_id"])
    if where == "here":
        return user, user["id"]
    if where == "free":
        module.fail_json(msg="user '%s' does not exist in tenant %s" % (p["login"], p["tenant_id"]))
    module.fail_json(msg="login '%s' belongs to a user of another tenant than %s" % (p["login"], p["tenant_id"]))


def label(key):
    return "%s@%s" % key


def main():
    module = AcronisModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_one_of=[("user_id", "login")], mutually_exclusive=[("user_id", "login")],
                           required_by={"login": "tenant_id"})
    p = module.params
    module.check_uuid(p["user_id"], "user_id")
    module.check_uuid(p["tenant_id"], "tenant_id")
    for role in p["roles"]:
        module.check_uuid(role["tenant_id"], "roles[].tenant_id")
    if p["purge"] and p["state"] == "absent":
        module.fail_json(msg="purge needs state=present")
    client = module.client
    who = p["user_id"] or "'%s'" % p["login"]

    # Current state.
    try:
        user, user_id = find_user(module, client)
        current = users.get_access_policies(client, user_id) if user is not None else []
    except AcronisError as exc:
        module.fail_api(exc, "read the roles of user %s" % who)
    home = (user or {}).get("tenant_id") or p["tenant_id"]
    if home is None and any(r["tenant_id"] is None for r in p["roles"]):
        module.fail_json(msg="user %s would be created by an earlier task: set roles[].tenant_id" % who)

    # Desired state.
    listed = []
    for role in p["roles"]:
        key = (role["role_id"], role["tenant_id"] or home)
        if key not in listed:
            listed.append(key)
    current_keys = [users.policy_key(c) for c in current]
    if p["state"] == "present":
        keep = [c for c in current if users.policy_key(c) in listed or not p["purge"]]
        added = [k for k in listed if k not in current_keys]
    else:
        keep = [c for c in current if users.policy_key(c) not in listed]
        added = []
    removed = [users.policy_key(c) for c in current if c not in keep]

    # Act.
    changed = bool(added or removed)
    result_items = keep + [users.new_policy(user_id, role_id, tenant_id) for role_id, tenant_id in added]
    if changed and not module.check_mode:
        body = [users.policy_for_put(c) for c in keep]
        body += [users.new_policy(user_id, role_id, tenant_id) for role_id, tenant_id in added]
        try:
            result_items = users.put_access_policies(client, user_id, body)
        except AcronisError as exc:
            module.fail_api(exc, "set the roles of user %s (%s)" % (
                who, ", ".join(["+" + label(k) for k in added] + ["-" + label(k) for k in removed])))

    result = dict(changed=changed, access_policies=result_items, user_id=user_id)
    if module._diff:
        result["diff"] = {"before": {"roles": sorted(label(k) for k in current_keys)},
                          "after": {"roles": sorted([label(users.policy_key(c)) for c in keep]
                                                    + [label(k) for k in added])}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
