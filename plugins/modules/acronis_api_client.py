#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_api_client
short_description: Create and delete API clients of the Acronis Cyber Platform with an administrator's login
version_added: 0.1.0
description:
  - Creates an API client (a client ID and secret for the other modules) for a tenant, authenticating with an
    administrator's O(login) and O(password) (HTTP Basic), or deletes one.
  - The service shows a client's secret only once, when it creates the client. The module writes it, with the client
    ID, the tenant ID and the data center, to the credentials file O(dest), atomically and readable by its owner only,
    and returns it only when O(return_secret=true).
  - Idempotent. When O(dest) holds credentials that still work (the module proves it by getting a token with them)
    for the tenant, or when the tenant already has an API client named O(client_name), nothing changes.
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
options:
  login:
    description:
      - Login of an administrator of the tenant (or of one of its ancestors).
      - If not set, the value of the E(ACRONIS_LOGIN) environment variable is used.
    type: str
    required: true
  password:
    description:
      - Password of the administrator.
      - If not set, the value of the E(ACRONIS_PASSWORD) environment variable is used.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the API client exists; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  client_name:
    description:
      - Name of the API client, shown in the management console. Names the client to find or create.
      - Required with O(state=present).
      - With O(state=absent), every API client of the tenant with this name is deleted.
    type: str
  tenant_id:
    description:
      - ID of the tenant the API client belongs to. Defaults to the administrator's own tenant.
    type: str
  api_client_id:
    description:
      - With O(state=absent), the ID of the API client to delete.
      - Without it and without O(client_name), the client whose ID is in O(dest) is deleted.
    type: str
  dest:
    description:
      - Path of the credentials file. A new client's C(client_id), C(client_secret), C(tenant_id) and C(base_url)
        are written there as JSON (the keys of Acronis's C(api_client.json)), with mode C(0600), through a
        temporary file renamed into place.
      - With O(state=present), a file that holds working credentials for the tenant means there is nothing to do.
      - With O(state=absent), the file is removed when it holds the ID of a client the task deleted.
      - The directory must exist and a file must be creatable in it (a probe file is created and removed), and an
        existing O(dest) must be writable; this is checked before any request, in check mode too, so that a client
        is never created whose secret could not be saved.
      - In check mode a directory that does not exist yet only raises a warning, since an earlier task may create it.
    type: path
  return_secret:
    description:
      - Return the new client's secret under the C(client_secret) key of RV(api_client).
      - The secret is then in the registered result of the task, and in anything that prints or stores it;
        prefer O(dest).
    type: bool
    default: false
notes:
  - The connection options O(client_id) and O(client_secret) are not used by this module; it authenticates with
    O(login) and O(password) only. They may be set for the whole play with C(module_defaults).
  - When a client named O(client_name) exists but O(dest) does not hold its secret, the secret cannot be read back.
    The module then changes nothing and warns; delete the client (O(state=absent)) and run again to get a new one.
  - The secret is only in the answer to the create. When that answer is lost (a dropped connection, HTTP 502, 503
    or 504), a client of that name made meanwhile is of no use without it - the module deletes it and creates
    the client again, within O(backoff_retries), so that O(dest) and the result always hold a working secret.
seealso:
  - module: acronis.cyber_platform.acronis_tenant
'''

EXAMPLES = r'''
# Bootstrap: create the API client once with an administrator's login, then use it for everything else.
- name: Get an API client
  hosts: localhost
  gather_facts: false
  vars:
    acronis_base_url: https://eu2-cloud.acronis.com
    credentials_file: "{{ lookup('ansible.builtin.env', 'HOME') }}/.config/acronis/api_client.json"
  tasks:
    - name: Create the API client, or keep the one whose credentials are in the file
      acronis.cyber_platform.acronis_api_client:
        base_url: "{{ acronis_base_url }}"
        login: "{{ vault_acronis_login }}"
        password: "{{ vault_acronis_password }}"
        client_name: ansible-automation
        dest: "{{ credentials_file }}"

    - name: Load the credentials (the simulator's --credentials-out file has the same shape)
      ansible.builtin.set_fact:
        acronis_credentials: "{{ lookup('ansible.builtin.file', credentials_file) | from_json }}"
      no_log: true

- name: Use the API client
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/acronis.cyber_platform.acronis:
      base_url: "{{ acronis_credentials.base_url }}"
      client_id: "{{ acronis_credentials.client_id }}"
      client_secret: "{{ acronis_credentials.client_secret }}"
  tasks:
    - name: A customer under the API client's tenant
      acronis.cyber_platform.acronis_tenant:
        name: Acme Corp
        kind: customer

- name: Retire API clients
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Delete the client whose credentials are in the file, and the file
      acronis.cyber_platform.acronis_api_client:
        base_url: https://eu2-cloud.acronis.com
        login: "{{ vault_acronis_login }}"
        password: "{{ vault_acronis_password }}"
        dest: "{{ lookup('ansible.builtin.env', 'HOME') }}/.config/acronis/api_client.json"
        state: absent

    - name: Delete every client of a customer named old-integration
      acronis.cyber_platform.acronis_api_client:
        base_url: https://eu2-cloud.acronis.com
        login: "{{ vault_acronis_login }}"
        password: "{{ vault_acronis_password }}"
        tenant_id: 95303d96-628c-4265-9afa-07bee3fccf39
        client_name: old-integration
        state: absent
'''

RETURN = r'''
api_client:
  description:
    - The API client as the service shows it after the task (in check mode, as it would be; a client that would be
      created has a placeholder C(client_id)). Empty after O(state=absent).
    - C(client_secret) is there only when the task created the client and O(return_secret=true).
  returned: always
  type: dict
  sample:
    client_id: 4557d5f5-7881-54f4-83a5-212f19d355c1
    tenant_id: 0a305354-6efc-4b81-858d-2ae5dd1f08b1
    type: api_client
    token_endpoint_auth_method: client_secret_basic
    data:
      client_name: ansible-automation
    status: enabled
    client_secret_expires_at: 0
    created_at: "2024-04-19T11:50:00+00:00"
    created_by: 948efcf2-b740-4c40-bb2d-4e4a46adfd87
removed:
  description: IDs of the API clients the task deleted (or would delete, in check mode).
  returned: when O(state=absent)
  type: list
  elements: str
  sample: [4557d5f5-7881-54f4-83a5-212f19d355c1]
dest:
  description: Path of the credentials file, when O(dest) is set.
  returned: when O(dest) is set
  type: str
  sample: /home/ops/.config/acronis/api_client.json
diff:
  description: Before and after of the API client, with its secret masked; only in diff mode.
  returned: when diff mode is on and something changes
  type: dict
  sample:
    before: {}
    after:
      client_id: 4557d5f5-7881-54f4-83a5-212f19d355c1
      tenant_id: 0a305354-6efc-4b81-858d-2ae5dd1f08b1
      client_name: ansible-automation
      client_secret: "********"
'''

import os

from ansible.module_utils.basic import env_fallback

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError, AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import make_diff, placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import api_clients
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_destination

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "login": validation.LOGIN,
    "tenant_id": validation.TENANT_ID,
    "api_client_id": validation.API_CLIENT_ID,
    "client_name": validation.CLIENT_NAME,
}


SECRETS = ("client_secret", "registration_access_token")


def summary(api_client):
    """What the diff shows of a client."""
    return {"client_id": api_client.get("client_id"), "tenant_id": api_client.get("tenant_id"),
            "client_name": (api_client.get("data") or {}).get("client_name")}


def same_url(left, right):
    def norm(url):
        url = (url or "").rstrip("/")
        return url[:-len("/api/2")] if url.endswith("/api/2") else url
    return norm(left) == norm(right)


def working_client_in_dest(module, client, tenant_id):
    """The API client whose working credentials ``dest`` holds for this tenant and data center, or None."""
    p = module.params
    saved = api_clients.read_credentials(p["dest"]) if p["dest"] else None
    if not saved or not saved.get("client_id") or not saved.get("client_secret"):
        return None
    if saved.get("tenant_id") != tenant_id or not same_url(saved.get("base_url") or p["base_url"], p["base_url"]):
        return None
    works = api_clients.credentials_work(p["base_url"], saved["client_id"], saved["client_secret"],
                                         validate_certs=p["validate_certs"], timeout=p["timeout"])
    if not works:
        return None
    found = api_clients.get_api_client(client, saved["client_id"])
    return found if found is not None and found.get("tenant_id") == tenant_id else None


def check_dest_writable(module):
    """Fail before creating anything when the credentials could not be saved (validation.check_destination)."""
    warning = check_destination(module.params["dest"], "dest", module.check_mode, what="the credentials file")
    if warning:
        module.warn(warning)


def ensure_present(module, client, tenant_id):
    """(changed, api client, its secret or None): the client of this name, created when missing."""
    p = module.params
    dest_client = working_client_in_dest(module, client, tenant_id)
    if dest_client is not None:
        return False, dest_client, None
    existing = api_clients.find_api_clients(client, tenant_id, p["client_name"])
    if existing:
        if p["dest"]:
            module.warn("API client %r (%s) already exists for tenant %s, but %s does not hold its working "
                        "credentials, and its secret cannot be read back. Delete it (state=absent) and run "
                        "again to get a new one" % (p["client_name"], existing[0]["client_id"], tenant_id, p["dest"]))
        return False, existing[0], None
    check_dest_writable(module)
    if module.check_mode:
        predicted = {"client_id": placeholder_id("api_client", "%s/%s" % (tenant_id, p["client_name"])),
                     "tenant_id": tenant_id, "type": "api_client",
                     "token_endpoint_auth_method": "client_secret_basic", "data": {"client_name": p["client_name"]}}
        return True, predicted, None
    with failing_to("create API client %r for tenant %s" % (p["client_name"], tenant_id)):
        created = api_clients.create_api_client(client, tenant_id, p["client_name"])
    secret = created.get("client_secret")
    if p["dest"]:
        try:
            api_clients.write_credentials(p["dest"], {"client_id": created["client_id"], "client_secret": secret,
                                                      "tenant_id": created["tenant_id"], "base_url": p["base_url"]})
        except (IOError, OSError) as exc:
            raise AcronisFailure("API client %r (%s) was created but its credentials could not be written to %s: "
                                 "%s. Delete it with state=absent and run again"
                                 % (p["client_name"], created["client_id"], p["dest"], exc.strerror or exc))
    # The create's answer holds the secret but not every field a read shows (last_access_at, ...): read it again.
    # A failed read costs only those fields, never the client and its secret: the create's answer stands in.
    try:
        shown = api_clients.get_api_client(client, created["client_id"]) or created
    except AcronisError:
        shown = created
    shown = dict((k, v) for k, v in shown.items() if k not in SECRETS)
    return True, shown, secret


def ensure_absent(module, client, tenant_id):
    """The ids of the API clients deleted (or that would be, in check mode)."""
    p = module.params
    saved = api_clients.read_credentials(p["dest"]) if p["dest"] else None
    if p["api_client_id"] or not p["client_name"]:
        client_id = p["api_client_id"] or (saved or {}).get("client_id")
        if not client_id:
            return []
        module.check_uuid(client_id, "api_client_id" if p["api_client_id"] else "client_id in %s" % p["dest"])
        found = api_clients.get_api_client(client, client_id)
        victims = [found] if found is not None else []
    else:
        victims = api_clients.find_api_clients(client, tenant_id, p["client_name"])
    removed = [v["client_id"] for v in victims]
    if module.check_mode:
        return removed
    for victim in victims:
        api_clients.delete_api_client(client, victim["client_id"])
    if saved and saved.get("client_id") in removed:
        os.unlink(p["dest"])
    return removed


def run(module):
    p = module.params
    client = module.make_client(login=p["login"], password=p["password"], client_id=None, client_secret=None,
                                token_cache_dir=None)
    what = "API client %r" % (p["client_name"] or p["api_client_id"] or p["dest"])
    result = dict(changed=False)
    if p["dest"]:
        result["dest"] = p["dest"]
    with failing_to("%s %s for tenant %s as administrator %r"
                    % ("delete" if p["state"] == "absent" else "find or create", what,
                       p["tenant_id"] or "(the administrator's own)", p["login"])):
        by_id = p["state"] == "absent" and (p["api_client_id"] or not p["client_name"])
        tenant_id = p["tenant_id"] or (None if by_id else api_clients.own_tenant_id(client))
        if p["state"] == "absent":
            removed = ensure_absent(module, client, tenant_id)
            result.update(changed=bool(removed), api_client={}, removed=removed)
            if removed and module._diff:
                result["diff"] = {"before": {"client_ids": removed}, "after": {}}
            return result
        changed, api_client, secret = ensure_present(module, client, tenant_id)
    if secret is not None and p["return_secret"]:
        api_client = dict(api_client, client_secret=secret)
    result.update(changed=changed, api_client=api_client)
    if changed and module._diff:
        after = summary(api_client)
        after["client_secret"] = "new"
        result["diff"] = make_diff(None, after, secrets=SECRETS)
    return result


def main():
    argument_spec = dict(
        login=dict(type="str", required=True, fallback=(env_fallback, ["ACRONIS_LOGIN"])),
        password=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["ACRONIS_PASSWORD"])),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        client_name=dict(type="str"),
        tenant_id=dict(type="str"),
        api_client_id=dict(type="str"),
        dest=dict(type="path"),
        return_secret=dict(type="bool", default=False),
    )
    AcronisModule(argument_spec=argument_spec, option_kinds=OPTION_KINDS,
                  requires_client_credentials=False, supports_check_mode=True,
                  secret_returns=("api_client.client_secret",),
                  required_if=[("state", "present", ("client_name",)),
                               ("state", "absent", ("api_client_id", "client_name", "dest"), True)]).execute(run)


if __name__ == "__main__":
    main()
