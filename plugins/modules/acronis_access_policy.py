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
  - acronis.cyber_platform.concurrent_writers
  - acronis.cyber_platform.state_absent
options:
  user_id:
    description:
      - ID of the user.
      - In check mode, a check-mode placeholder ID of a user that an earlier task would create is accepted;
        every listed role is then predicted as added.
      - One of O(user_id), O(login) and O(user) is required.
    type: str
  user:
    description:
      - The user, as M(acronis.cyber_platform.acronis_user) returns it (its RV(acronis.cyber_platform.acronis_user#module:user)
        return value), instead of O(user_id) or O(login). The module takes the user's C(id) and C(tenant_id) from it
        and does not read the user again.
      - In check mode, its C(id) may be a check-mode placeholder, as for O(user_id).
    type: dict
  user_created:
    description:
      - Set it to the RV(acronis.cyber_platform.acronis_user#module:created) return value of the task that made sure
        O(user) exists. V(true) says that task created the user in this run, so the user has no roles yet; the module
        then does not read them, and sends only the roles to grant.
      - Leave it V(false) (the default) when the user may have roles already.
    type: bool
    default: false
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
      - With V(absent), O(purge) is refused (see the notes).
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

- name: The same, without reading what the run already knows about the user
  acronis.cyber_platform.acronis_access_policy:
    user: "{{ admin.user }}"              # registered from acronis.cyber_platform.acronis_user
    user_created: "{{ admin.created }}"   # true: the user is new and has no roles yet
    roles:
      - role_id: company_admin

- name: A backup user with exactly one role, in their personal tenant
  acronis.cyber_platform.acronis_access_policy:
    login: jdoe-acme
    tenant_id: "{{ customer_tenant_id }}"
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

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id, placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import users

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "user_id": validation.USER_ID,
    "login": validation.LOGIN,
    "tenant_id": validation.TENANT_ID,
    "user.id": validation.USER_ID,
    "user.tenant_id": validation.TENANT_ID,
    "roles[].tenant_id": validation.TENANT_ID,
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the object.
FIELDS_TO_SET = ("purge",)


def check_options(module):
    """Refuse, before any request, what cannot work."""
    p = module.params
    user = p["user"]
    if user is not None:
        missing = [key for key in ("id", "tenant_id") if not user.get(key)]
        if missing:
            raise AcronisFailure("option user must be a user as acronis_user returns it, with id and tenant_id; "
                                 "it has no %s" % ", ".join(missing))
        if p["tenant_id"] is not None and p["tenant_id"] != user["tenant_id"]:
            raise AcronisFailure("option tenant_id (%s) is not the tenant_id of option user (%s); set one of them"
                                 % (p["tenant_id"], user["tenant_id"]))


def find_user(module):
    """(user, user_id) of the task: the user is None for one that would be created in check mode.

    A ``user`` given as an option is not read again.
    """
    p = module.params
    client = module.client
    if p["user"] is not None:
        user = p["user"]
        return (None if is_placeholder_id(user["id"]) else user), user["id"]
    if p["user_id"]:
        if is_placeholder_id(p["user_id"]):
            return None, p["user_id"]
        user = users.get_user(client, p["user_id"])
        if user is None:
            if p["state"] == "absent":
                return None, p["user_id"]
            raise AcronisFailure("user %s does not exist; check user_id, or create the user first" % p["user_id"])
        return user, user["id"]
    if is_placeholder_id(p["tenant_id"]):
        if not users.login_is_free(client, p["login"]):
            raise AcronisFailure("login '%s' is already taken by a user of another tenant than %s"
                                 % (p["login"], p["tenant_id"]))
        return None, placeholder_id("user", p["login"].casefold())
    where, user = users.locate(client, p["login"], p["tenant_id"])
    if where == "here":
        return user, user["id"]
    if where == "free":
        if p["state"] == "absent":
            return None, None
        raise AcronisFailure("user '%s' does not exist in tenant %s; check login and tenant_id, or create the "
                             "user first" % (p["login"], p["tenant_id"]))
    if p["state"] == "absent":
        module.warn("login '%s' belongs to a user of another tenant than %s; that user's roles were left alone"
                    % (p["login"], p["tenant_id"]))
        return None, None
    raise AcronisFailure("login '%s' belongs to a user of another tenant than %s; set the tenant_id of that user"
                         % (p["login"], p["tenant_id"]))


def run(module):
    p = module.params
    check_options(module)
    client = module.client
    who = p["user_id"] or (p["user"] or {}).get("id") or "'%s'" % p["login"]

    # Current state: the user and its roles (none for a user created in this run, or one that would be).
    with failing_to("read the roles of user %s" % who):
        user, user_id = find_user(module)
        current = users.get_access_policies(client, user_id) if user is not None and not p["user_created"] else []
    home = (user or p["user"] or {}).get("tenant_id") or p["tenant_id"]
    if home is None and p["state"] == "present" and any(r["tenant_id"] is None for r in p["roles"]):
        if not (module.check_mode and is_placeholder_id(user_id)):
            raise AcronisFailure("user %s would be created by an earlier task: set roles[].tenant_id" % who)
        module.warn("Check mode preview: user %s would be created by an earlier task, in a tenant this task is not "
                    "told (set user, or tenant_id): its roles without roles[].tenant_id are predicted in that "
                    "tenant, shown as tenant_id null." % who)

    # Desired state, compared with the current one; act: one PUT with the whole set.
    changed, items, before, after = users.set_user_roles(client, user_id, home, current, p["roles"], p["purge"],
                                                         p["state"], who, check_mode=module.check_mode,
                                                         read_again=not p["user_created"])
    result = dict(changed=changed, access_policies=items, user_id=user_id)
    if module._diff:
        result["diff"] = {"before": {"roles": before}, "after": {"roles": after}}
    return result


def main():
    argument_spec = dict(
        user_id=dict(type="str"),
        login=dict(type="str"),
        user=dict(type="dict"),
        user_created=dict(type="bool", default=False),
        tenant_id=dict(type="str", aliases=["tenant"]),
        roles=dict(type="list", elements="dict", default=[], options=users.role_options()),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        purge=dict(type="bool", default=False),
    )
    AcronisModule(argument_spec=argument_spec, option_kinds=OPTION_KINDS, fields_to_set=FIELDS_TO_SET,
                  supports_check_mode=True,
                  required_one_of=[("user_id", "login", "user")],
                  mutually_exclusive=[("user_id", "login", "user")],
                  required_by={"login": "tenant_id"},
                  required_if=[("user_created", True, ("user",))]).execute(run)


if __name__ == "__main__":
    main()
