#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_registration_token
short_description: Agent installation (registration) tokens of an Acronis tenant or of a user's personal tenant
version_added: 0.1.0
description:
  - Makes sure a registration token exists that an Acronis agent installer can register machines with
    (C(--registration by-token --reg-token <token>)), and returns its value as RV(token); or revokes tokens.
  - The token is for the tenant O(tenant_id), or, with O(user), for that user's personal tenant, as Acronis's
    example C(get_agent_installation_token.py) does, so that the machines are bound to the user.
  - Idempotent. A token of the tenant that has not expired is reused when it has the same O(scopes), is still valid
    for at least O(min_validity) seconds, and was created for no longer than O(expires_in); otherwise, or with
    O(force=true), a new token is created. A token serves any number of machines until it expires.
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
  - acronis.cyber_platform.state_absent
options:
  tenant_id:
    description:
      - ID of the tenant the token is for.
      - With O(user) given as a login, the tenant the user belongs to, where the login is looked up.
    type: str
    aliases: [tenant]
  user:
    description:
      - Login or ID of a user of a customer or unit; the token is created for the user's personal tenant.
      - A login is looked up in O(tenant_id), which is then required.
      - Partner users have no personal tenant; create their tokens for a tenant instead.
    type: str
  scopes:
    description:
      - Access scopes applied to the machines registered with the token, each one of the patterns Acronis documents
        C(urn:acronis.com:tenant-id:{personal_tenant_id}:backup_agent_admin) (binds the machine to the user of that
        personal tenant; left empty, the personal tenant the token is for) and
        C(urn:acronis.com::policy_management:{tenant_id}|{policy_id}:apply_revoke) (applies that protection plan).
      - Defaults to C([urn:acronis.com:tenant-id::backup_agent_admin]) with O(user), as in Acronis's example, and to
        no scope with O(tenant_id) alone.
      - With O(state=absent), only the tokens with exactly these scopes are revoked; unset, every token of the tenant.
    type: list
    elements: str
  expires_in:
    description:
      - Lifetime of a new token, in seconds, from 1 to 31536000 (one year, the service's limit).
    type: int
    default: 3600
  min_validity:
    description:
      - How many seconds an existing token must still be valid for to be reused. Less than O(expires_in).
      - Defaults to half of O(expires_in).
    type: int
  force:
    description:
      - Create a new token even when one could be reused (the old ones stay valid until they expire or are revoked).
    type: bool
    default: false
  state:
    description:
      - V(present) makes sure a matching token exists and returns it; V(absent) revokes the tenant's tokens
        (see O(scopes)).
      - With V(absent), O(expires_in), O(min_validity), O(force) are refused (see the notes).
    type: str
    choices: [present, absent]
    default: present
notes:
  - The token value is a secret. It is returned as RV(token) because that is what the module is for, and Ansible does
    not hide return values; set C(no_log=true) on this task, and on every task that uses the token, to keep it out
    of logs and callbacks. The value is never part of the diff.
  - In check mode a token that would be created has no value yet (RV(token) is null) and a placeholder id.
seealso:
  - module: acronis.cyber_platform.acronis_agent_info
  - module: acronis.cyber_platform.acronis_user
'''

EXAMPLES = r'''
- name: A token that binds the machines to a user, as Acronis's example does
  acronis.cyber_platform.acronis_registration_token:
    tenant_id: "{{ customer_tenant_id }}"
    user: jdoe-acme
  register: registration
  no_log: true

- name: Install the agent with it (Windows)
  ansible.windows.win_command: >-
    Cyber_Protection_Agent_for_Windows_x64.exe --quiet --registration by-token
    --reg-token {{ registration.token }} --reg-address {{ acronis_base_url }}
  no_log: true

- name: A day-long token for a customer that also applies a protection plan
  acronis.cyber_platform.acronis_registration_token:
    tenant_id: "{{ customer_tenant_id }}"
    expires_in: 86400
    scopes:
      - "urn:acronis.com::policy_management:{{ customer_tenant_id }}|{{ plan_id }}:apply_revoke"
  register: customer_token
  no_log: true

- name: Revoke every token of the customer
  acronis.cyber_platform.acronis_registration_token:
    tenant_id: "{{ customer_tenant_id }}"
    state: absent
'''

RETURN = r'''
token:
  description:
    - The token value (C(XXXX-XXXX-XXXX)) to give the agent installer. A secret; see the notes.
    - Null with O(state=absent), and in check mode for a token that would be created.
  returned: always
  type: str
  sample: 27F9-5234-41C3
registration_token:
  description:
    - The token reused or created as the API shows it when read, without its value. Empty with O(state=absent).
    - C(tenant_uuid) is the tenant the token is for (the user's personal tenant with O(user)); C(tenant_id) is that
      tenant's numeric id, as the API gives it (null in check mode for a token that would be created).
    - C(id) is the service's integer id; in check mode, a token that would be created has a placeholder id.
  returned: always
  type: dict
  sample:
    id: 2
    tenant_id: "1051"
    tenant_uuid: 4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad
    created_at: "2024-04-02T18:46:45+00:00"
    expires_at: "2024-04-02T19:46:45+00:00"
    scopes: ["urn:acronis.com:tenant-id::backup_agent_admin"]
reused:
  description: True when an existing token was returned instead of a new one.
  returned: when O(state=present)
  type: bool
  sample: true
removed:
  description: IDs of the tokens revoked (or that would be, in check mode).
  returned: when O(state=absent)
  type: list
  elements: int
  sample: [2, 3]
diff:
  description: Before and after of the token (never its value); only in diff mode.
  returned: when diff mode is on and something changes
  type: dict
  sample:
    before: {}
    after:
      tenant_id: 4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad
      expires_in: 3600
      scopes: ["urn:acronis.com:tenant-id::backup_agent_admin"]
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils import agents
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id, placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import is_uuid

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "scopes": validation.SCOPE,
    "expires_in": validation.count(1, agents.MAX_EXPIRES_IN, "seconds (one year)"),
    "min_validity": validation.count(0, unit="seconds"),
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the object.
FIELDS_TO_SET = ("expires_in", "min_validity", "force")


def check_options(module):
    p = module.params
    if not p["tenant_id"] and not p["user"]:
        raise AcronisFailure("Set tenant_id (the tenant the token is for) or user (whose personal tenant it is for).")
    if p["user"] and not is_uuid(p["user"]) and not p["tenant_id"]:
        raise AcronisFailure("User '%s' is a login: set tenant_id to the tenant the user belongs to, or give the "
                             "user's ID." % p["user"])
    min_validity = p["expires_in"] // 2 if p["min_validity"] is None else p["min_validity"]
    if not 0 <= min_validity < p["expires_in"]:
        raise AcronisFailure("min_validity must be 0 or more and less than expires_in (%d), got %d; a fresh token "
                             "could never be reused." % (p["expires_in"], min_validity))
    return min_validity


def token_tenant(module):
    """The tenant the token is for (a user's personal tenant), or None when check mode cannot know it yet."""
    p = module.params
    if not p["user"]:
        return p["tenant_id"]
    if is_placeholder_id(p["user"]) or is_placeholder_id(p["tenant_id"]):
        return None
    with failing_to("read user %s" % p["user"]):
        user = agents.resolve_user(module.client, p["user"], p["tenant_id"])
    if user is None:
        where = " in tenant %s" % p["tenant_id"] if p["tenant_id"] and not is_uuid(p["user"]) else ""
        raise AcronisFailure("User '%s' was not found%s; check user and tenant_id." % (p["user"], where))
    if not user.get("personal_tenant_id"):
        raise AcronisFailure("User '%s' has no personal tenant (only users of customers and units have one); create "
                             "the token for a tenant with tenant_id instead." % p["user"])
    return user["personal_tenant_id"]


def ensure_absent(module, tenant_id, current):
    """The task's result for state=absent: the tokens of these scopes (all without scopes) revoked."""
    p = module.params
    doomed = [t for t in current if p["scopes"] is None or agents.same_scopes(t, p["scopes"])]
    if not module.check_mode:
        for token in doomed:
            with failing_to("revoke registration token %s of tenant %s" % (token["id"], tenant_id),
                            removed=[t["id"] for t in doomed[:doomed.index(token)]]):
                agents.delete_token(module.client, token["id"])
    result = dict(changed=bool(doomed), token=None, registration_token={}, removed=[t["id"] for t in doomed])
    if doomed and module._diff:
        result["diff"] = {"before": {"tokens": [agents.token_facts(t) for t in doomed]},
                          "after": {"tokens": []}}
    return result


def reusable_token(module, current, scopes, min_validity):
    """The token of ``current`` that lasts longest among those the task may reuse, or None."""
    p = module.params
    matching = [] if p["force"] else [t for t in current if agents.reusable(t, scopes, p["expires_in"], min_validity)]
    if not matching:
        return None
    return max(matching, key=lambda t: agents.timestamp(t["expires_at"]))


def ensure_created(module, tenant_id, current, scopes):
    """(facts, value): the new token (in check mode, a prediction with a placeholder id and no value)."""
    p = module.params
    if module.check_mode:
        key = "%s:%s" % (tenant_id or p["user"], ",".join(sorted(scopes)))
        return {"id": placeholder_id("registration_token", key), "tenant_id": None, "tenant_uuid": tenant_id,
                "created_at": None, "expires_at": None, "scopes": list(scopes)}, None
    with failing_to("create a registration token for tenant %s" % tenant_id):
        reply = agents.create_token(module.client, tenant_id, p["expires_in"], scopes,
                                    known_ids=set(t.get("id") for t in current))
    return agents.token_facts(reply), reply.get("token")


def run(module):
    p = module.params
    min_validity = check_options(module)
    scopes = p["scopes"] if p["scopes"] is not None else ([agents.PERSONAL_SCOPE] if p["user"] else [])

    # Current state: the tenant the token is for, and its tokens that have not expired.
    tenant_id = token_tenant(module)
    current = []
    if tenant_id is not None and not is_placeholder_id(tenant_id):
        with failing_to("read the registration tokens of tenant %s" % tenant_id):
            current = agents.list_tokens(module.client, tenant_id)
    if p["state"] == "absent":
        return ensure_absent(module, tenant_id, current)

    # Desired state: a token that lasts long enough; one is reused, or a new one created.
    best = reusable_token(module, current, scopes, min_validity)
    if best is not None:
        return dict(changed=False, reused=True, token=best["token"],
                    registration_token=agents.token_facts(best))
    created, token = ensure_created(module, tenant_id, current, scopes)
    result = dict(changed=True, reused=False, token=token, registration_token=created)
    if module._diff:
        result["diff"] = {"before": {}, "after": {"tenant_id": tenant_id, "expires_in": p["expires_in"],
                                                  "scopes": list(scopes)}}
    return result


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS, fields_to_set=FIELDS_TO_SET,
        secret_returns=("token",),
        argument_spec=dict(
            tenant_id=dict(type="str", aliases=["tenant"]),
            user=dict(type="str"),
            scopes=dict(type="list", elements="str"),
            expires_in=dict(type="int", default=3600),
            min_validity=dict(type="int"),
            force=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
