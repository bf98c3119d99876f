#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_search_info
short_description: Search Acronis tenants and users by text
version_added: 0.1.0
description:
  - Finds tenants and users whose properties (name, login, e-mail, ...) contain a text, with the service's own search
    (C(GET /search)), as Acronis's C(search_for_tenant_or_user) example does.
  - This is a module of its own rather than an option of the info modules because one search returns tenants and
    users together, and because the search index is updated a little after every write, whereas the other info
    modules read the objects themselves. Use it to find things for people; do not use it to decide whether an
    object exists before creating it (the resource modules read the objects directly for that).
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
  - acronis.cyber_platform.paging
options:
  text:
    description: Text to search for.
    type: str
    required: true
  tenant_id:
    description: Search only in this tenant and below. Defaults to the tenant of the API client.
    type: str
    aliases: [tenant]
  object_type:
    description: Return only tenants, only users, or both.
    type: str
    choices: [any, tenant, user]
    default: any
  limit:
    description:
      - The most results to return, from 1 to 10000, counted before O(object_type) filters them; RV(truncated) says
        whether the search found more.
      - Its default is the search service's own, 10, rather than the 100 of the other info modules.
    type: int
    default: 10
seealso:
  - module: acronis.cyber_platform.acronis_user_info
'''

EXAMPLES = r'''
- name: Who or what is called "acme"?
  acronis.cyber_platform.acronis_search_info:
    text: acme
    limit: 50
  register: found

- name: Users only
  acronis.cyber_platform.acronis_search_info:
    text: jdoe
    object_type: user
'''

RETURN = r'''
results:
  description: What the search found, as the API shows it; C(obj_type) tells tenants from users.
  returned: always
  type: list
  elements: dict
  sample:
    - obj_type: tenant
      id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
      parent_id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
      path: [Simulated Partner, Acme]
      kind: customer
      name: Acme
    - obj_type: user
      id: 0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21
      parent_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
      path: [Simulated Partner, Acme]
      login: jdoe-acme
      first_name: Jane
      last_name: Doe
truncated:
  description: Whether the search found more than O(limit) results (before O(object_type) filters them).
  returned: always
  type: bool
  sample: false
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import paging
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import users

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "text": validation.SEARCH_TEXT,
    "limit": paging.LIMIT_KIND,
}


def run(module):
    p = module.params
    preview = module.preview_of_new(["tenant_id"], "nothing to find", results=[], truncated=False)
    if preview:
        return preview
    client = module.client
    with failing_to("search for %r" % p["text"]):
        tenant_id = p["tenant_id"] or client.client_tenant_id()
        # One result more than the limit says whether the search found more (the service has no cursor).
        results = users.search(client, p["text"], tenant_id=tenant_id, limit=p["limit"] + 1)
    truncated = len(results) > p["limit"]
    results = results[:p["limit"]]
    if p["object_type"] != "any":
        results = [r for r in results if r.get("obj_type") == p["object_type"]]
    return dict(changed=False, results=results, truncated=truncated)


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            text=dict(type="str", required=True),
            tenant_id=dict(type="str", aliases=["tenant"]),
            object_type=dict(type="str", choices=["any", "tenant", "user"], default="any"),
            limit=dict(type="int", default=10),
        ),
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
