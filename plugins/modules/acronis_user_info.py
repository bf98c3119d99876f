#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_user_info
short_description: Read Acronis users, by id, by login, or all users of a tenant page by page
version_added: 0.1.0
description:
  - Returns one user by O(id), one user by O(login) in O(tenant_id), or the users of O(tenant_id) a page at a time.
  - With O(with_access_policies=true) every user carries its roles (C(access_policies)) at no extra request;
    this is how roles are read (there is no separate access policy info module).
  - To find tenants and users by free text, use M(acronis.cyber_platform.acronis_search_info).
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
  - acronis.cyber_platform.paging
options:
  id:
    description: ID of one user.
    type: str
  login:
    description: Login of one user, looked up in O(tenant_id).
    type: str
  tenant_id:
    description:
      - Tenant whose users are listed, or in which O(login) is looked up.
    type: str
    aliases: [tenant]
  with_access_policies:
    description: Include each user's roles under C(access_policies).
    type: bool
    default: false
  limit:
    description:
      - When listing a tenant's users, the most to return (ordered by login), up to 10000; RV(truncated) says
        whether the tenant has more.
      - V(0) returns them all, and is the default, as the tenant offboarding relies on; this is the one info module
        whose list is not bounded by default.
    type: int
    default: 0
  offset:
    description:
      - When listing a tenant's users, how many to skip first. Use RV(next_offset) of the previous page.
      - The users' list is read whole and cut here, so its continuation is an offset rather than a cursor.
    type: int
    default: 0
notes:
  - Listing costs one request for the tenant's user ids and one per 100 users of the page;
    a user not found by O(id) or O(login) gives an empty RV(users), not an error.
seealso:
  - module: acronis.cyber_platform.acronis_user
  - module: acronis.cyber_platform.acronis_search_info
'''

EXAMPLES = r'''
- name: One user and their roles
  acronis.cyber_platform.acronis_user_info:
    login: jdoe-acme
    tenant_id: "{{ customer_tenant_id }}"
    with_access_policies: true
  register: found

- name: The users of a customer, 50 at a time
  acronis.cyber_platform.acronis_user_info:
    tenant_id: "{{ customer_tenant_id }}"
    limit: 50
    offset: "{{ item * 50 }}"
  loop: "{{ range(0, 4) | list }}"
  register: pages
'''

RETURN = r'''
users:
  description: The users found, as the API shows them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21
      version: 2
      tenant_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
      login: jdoe-acme
      contact:
        email: jdoe@acme.example
      activated: true
      enabled: true
      language: en
      notifications: [quota]
      personal_tenant_id: 8d2f0a57-6c1b-4f0a-b7de-3a1c9e2f4b60
      access_policies:
        - role_id: company_admin
          tenant_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
total:
  description: When listing a tenant, how many users it has; otherwise the number of users found.
  returned: always
  type: int
  sample: 137
truncated:
  description: When listing a tenant, whether it has more users after this page; RV(next_offset) is where they start.
  returned: always
  type: bool
  sample: true
next_offset:
  description: When listing a tenant, the O(offset) of the next page, or null after the last page.
  returned: always
  type: int
  sample: 50
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import paging
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants
from ansible_collections.acronis.cyber_platform.plugins.module_utils import users

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "id": validation.USER_ID,
    "tenant_id": validation.TENANT_ID,
    "login": validation.LOGIN,
    "limit": validation.count(0, paging.MAX_LIMIT),
    "offset": validation.count(0),
}


def run(module):
    p = module.params
    preview = module.preview_of_new(["id", "tenant_id"], "no users", users=[], total=0, truncated=False,
                                    next_offset=None)
    if preview:
        return preview
    client = module.client
    policies = p["with_access_policies"]
    next_offset = None
    with failing_to("read users"):
        if p["id"]:
            found = users.get_users(client, [p["id"]], with_access_policies=policies)
            total = len(found)
        elif p["login"]:
            user = users.find_in_tenant(client, p["tenant_id"], p["login"], with_access_policies=policies)
            found = [user] if user else []
            total = len(found)
        else:
            ids = sorted(tenants.list_tenant_user_ids(client, p["tenant_id"]))
            total = len(ids)
            end = p["offset"] + p["limit"] if p["limit"] else total
            found = users.get_users(client, ids[p["offset"]:end], with_access_policies=policies)
            found.sort(key=lambda u: (u.get("login") or "").casefold())
            next_offset = end if end < total else None
    return dict(changed=False, users=found, total=total, truncated=next_offset is not None, next_offset=next_offset)


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            id=dict(type="str"),
            login=dict(type="str"),
            tenant_id=dict(type="str", aliases=["tenant"]),
            with_access_policies=dict(type="bool", default=False),
            limit=dict(type="int", default=0),
            offset=dict(type="int", default=0),
        ),
        required_one_of=[("id", "tenant_id")],
        mutually_exclusive=[("id", "login"), ("id", "tenant_id")],
        required_by={"login": "tenant_id"},
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
