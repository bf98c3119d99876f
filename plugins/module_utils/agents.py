# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Agent installation: registration tokens (Account Management) and the Agent Manager's agent list.

Shared by ``acronis_registration_token`` and ``acronis_agent_info``.

A registration token is created for a tenant (``POST /tenants/{id}/registration_tokens``), most often for a
user's personal tenant as Acronis's examples do; ``GET`` on the same path lists the tokens that have not
expired, with their values, which is what lets a module reuse a matching token instead of minting a new
secret on every run. ``DELETE /registration_tokens/{id}`` revokes one.

The Agent Manager (``/api/agent_manager/v2/agents``) lists registered agents of the caller's subtree or of
``tenant_id``'s subtree, with filters and cursor paging (``limit``, then ``after`` alone).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import re
import time

from ansible_collections.acronis.cyber_platform.plugins.module_utils import users
from ansible_collections.acronis.cyber_platform.plugins.module_utils import paging
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import is_uuid

AGENTS_PATH = "/api/agent_manager/v2/agents"
TOKENS_PATH = "/tenants/{tenant_id}/registration_tokens"
MAX_EXPIRES_IN = 365 * 86400
# The scope of Acronis's example (seed 000, get_agent_installation_token.py): on a personal tenant, the agent
# is bound to that tenant's user.
PERSONAL_SCOPE = "urn:acronis.com:tenant-id::backup_agent_admin"
# Scopes are checked by validation.SCOPE, the option kind of acronis_registration_token's scopes.
OS_FAMILIES = ("UNKNOWN", "WINDOWS", "LINUX", "MACOSX", "SOLARIS")
HOSTNAME_MATCH = {"exact": "%s", "starts_with": "hlike(%s)", "contains": "like(%s)", "ends_with": "tlike(%s)"}
_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


# ------------------------------------------------------------ registration tokens

def timestamp(text):
    """Unix seconds of an API timestamp (2024-05-01T10:00:00Z, ...+00:00, with or without fraction), or None."""
    match = _STAMP.match(text or "")
    if not match:
        return None
    parts = [int(match.group(i)) for i in range(1, 7)]
    seconds = calendar.timegm((parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], 0, 0, 0))
    zone = match.group(7)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return seconds


def list_tokens(client, tenant_id):
    """The tenant's registration tokens that have not expired (values included), oldest first."""
    body = client.get(TOKENS_PATH, tenant_id=tenant_id) or {}
    return sorted(body.get("items") or [], key=lambda t: (timestamp(t.get("created_at")) or 0, t.get("id") or 0))


def create_token(client, tenant_id, expires_in, scopes, known_ids=None):
    """A new token (``POST``); its reply holds the value.

    A lost answer is resolved by listing the tenant's tokens (the list holds their values): a token that was
    not there before the create (``known_ids``, listed first when not given) with these scopes is adopted;
    none means the token is created again, within the retry budget.
    """
    if known_ids is None:
        known_ids = set(t.get("id") for t in list_tokens(client, tenant_id))

    def find():
        for token in reversed(list_tokens(client, tenant_id)):
            if token.get("id") not in known_ids and same_scopes(token, scopes):
                return token
        return None

    return client.create(TOKENS_PATH, {"expires_in": expires_in, "scopes": list(scopes)}, find, tenant_id=tenant_id)[0]


def delete_token(client, token_id):
    """Revoke a token; False when it was already gone (or expired)."""
    return client.delete("/registration_tokens/{token_id}", missing_ok=True,
                         what="revoked registration token %s" % token_id, token_id=token_id)


def same_scopes(token, scopes):
    """True when the token carries exactly these scopes (in any order)."""
    return sorted(token.get("scopes") or []) == sorted(scopes)


def reusable(token, scopes, expires_in, min_validity, now=None):
    """True when a listed token can stand for the one asked for.

    Same scopes; still valid for at least ``min_validity`` seconds; and created for no longer than
    ``expires_in`` (a reused secret never lives longer than the task asked).
    """
    now = time.time() if now is None else now
    created, expires = timestamp(token.get("created_at")), timestamp(token.get("expires_at"))
    if created is None or expires is None or not same_scopes(token, scopes):
        return False
    return expires - now >= min_validity and expires - created <= expires_in


def token_facts(token):
    """A token as the API shows it when read (``GET /tenants/{id}/registration_tokens``), without its value."""
    return dict((k, list(v) if isinstance(v, list) else v) for k, v in token.items() if k != "token")


def resolve_user(client, user, tenant_id):
    """The user named by id, or by login inside ``tenant_id``; None when not found."""
    if is_uuid(user):
        return users.get_user(client, user)
    if tenant_id is None:
        return None
    return users.find_in_tenant(client, tenant_id, user)


# --------------------------------------------------------------------- agents

def agent_query(tenant_id=None, hostname=None, hostname_match="exact", os_family=None, online=None,
                up_to_date=None, units=None, order=None):
    """The query string of a first page, from the module's filters (None: not filtered)."""
    params = {}
    if tenant_id:
        params["tenant_id"] = tenant_id
    if hostname:
        params["hostname"] = HOSTNAME_MATCH[hostname_match] % hostname
    if os_family:
        params["os_family"] = os_family
    for name, value in (("online", online), ("up_to_date", up_to_date)):
        if value is not None:
            params[name] = "true" if value else "false"
    if units:
        params["unit"] = list(units)
    if order:
        params["order"] = "%s(hostname)" % order
    return params


def list_agents(client, params, limit, page_size, after=None):
    """At most ``limit`` agents, ``page_size`` per request; returns (agents, cursor of what follows or None).

    A continuation sends only ``after`` and ``limit``: the cursor carries the filters and the order.
    """
    return paging.read_bounded(client, AGENTS_PATH, params, limit, page_size, after=after,
                               service="the Agent Manager")
