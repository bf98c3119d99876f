# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Users, their access policies (roles) and search: the API operations shared by
``acronis_user``, ``acronis_user_info``, ``acronis_access_policy`` and
``acronis_search_info``.

A user is addressed by login. Logins are unique across the whole platform, but
the API has no "get user by login": ``GET /users/check_login`` says whether a
login is taken, and the user is then found among the users of the tenant it
should be in (``GET /tenants/{id}/users`` for ids, ``GET /users?uuids=`` for
details, 100 at a time, stopping at the first batch that holds it).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisAPIError
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants

# The role enum of the API specification (components.schemas.userRole).
ROLES = (
    "root_admin", "partner_admin", "company_admin", "unit_admin", "readonly_admin", "protection_admin",
    "protection_ro_admin", "restore_operator", "backup_user", "sync_share_admin", "sync_share_user",
    "sync_share_guest", "pds_operator", "pds_support", "notary_admin", "notary_user", "hci_admin",
    "omnivoice_admin", "omnivoice_user", "greathorn_admin", "greathorn_user", "greathorn_analyst",
    "greathorn_client_manager",
)

# The notification enum of the API specification (components.schemas.userNotifications).
NOTIFICATIONS = (
    "maintenance", "quota", "reports", "backup_error", "backup_warning", "backup_info", "backup_daily_report",
    "backup_critical", "device_control_warning", "certificate_management_error", "certificate_management_warning",
    "certificate_management_info",
)

# Contact fields of a user the modules manage (userPost.contact / contactPut).
CONTACT_FIELDS = ("email", "firstname", "lastname", "phone", "title", "address1", "address2", "city", "state",
                  "zipcode", "country")

# Logins: at least 3 characters, ASCII letters and digits and . @ _ - + : ! # $ % ^ * = { } ' ` / ?
LOGIN_RE = re.compile(r"^[A-Za-z0-9.@_\-+:!#$%^*={}'`/?]{3,}$")
# An e-mail address: something, one @, something with a dot, no spaces.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

NIL_UUID = "00000000-0000-0000-0000-000000000000"
BATCH = 100


# ------------------------------------------------------------------- users

def login_is_free(client, login):
    """True when no user has this login (204), False when it is taken (409)."""
    try:
        client.get("/users/check_login", params={"username": login})
    except AcronisAPIError as exc:
        if exc.conflict:
            return False
        raise
    return True


def get_user(client, user_id):
    """The user, or None when the service answers 404."""
    return client.get_or_none("/users/{user_id}", user_id=user_id)


def get_users(client, user_ids, with_access_policies=False):
    """The users with these ids, in their order (``GET /users?uuids=``, 100 per request)."""
    found = []
    ids = list(user_ids)
    for start in range(0, len(ids), BATCH):
        params = {"uuids": ",".join(ids[start:start + BATCH])}
        if with_access_policies:
            params["with_access_policies"] = "true"
        body = client.get("/users", params=params) or {}
        found.extend(body.get("items") or [])
    order = dict((uid, n) for n, uid in enumerate(ids))
    return sorted(found, key=lambda u: order.get(u.get("id"), len(order)))


def find_in_tenant(client, tenant_id, login, with_access_policies=False):
    """The user of ``tenant_id`` with this login (case-insensitive), or None.

    One request for the tenant's user ids, then one per 100 users until found.
    """
    wanted = login.casefold()
    ids = tenants.list_tenant_user_ids(client, tenant_id)
    for start in range(0, len(ids), BATCH):
        for user in get_users(client, ids[start:start + BATCH], with_access_policies=with_access_policies):
            if (user.get("login") or "").casefold() == wanted:
                return user
    return None


def locate(client, login, tenant_id):
    """Where a login stands: ("free", None), ("here", user) or ("elsewhere", None)."""
    if login_is_free(client, login):
        return "free", None
    user = find_in_tenant(client, tenant_id, login)
    if user is None:
        return "elsewhere", None
    return "here", user


def create_user(client, body):
    return client.post("/users", json=body)


def update_user(client, user_id, version, changes):
    body = dict(changes)
    body["version"] = version
    return client.put("/users/{user_id}", json=body, user_id=user_id)


def send_activation_email(client, user_id):
    client.post("/users/{user_id}/send-activation-email", idempotent=True, user_id=user_id)


def set_password(client, user_id, password):
    client.post("/users/{user_id}/password", json={"password": password}, idempotent=True, user_id=user_id)


def delete_user(client, user_id, version):
    client.delete("/users/{user_id}", params={"version": version}, user_id=user_id)


# --------------------------------------------------------- access policies

def get_access_policies(client, user_id):
    body = client.get("/users/{user_id}/access_policies", user_id=user_id) or {}
    return list(body.get("items") or [])


def put_access_policies(client, user_id, items):
    body = client.put("/users/{user_id}/access_policies", json={"items": items}, user_id=user_id) or {}
    return list(body.get("items") or [])


def policy_key(policy):
    """What a role assignment is: (role_id, tenant_id)."""
    return (policy.get("role_id"), policy.get("tenant_id"))


def policy_for_put(policy):
    """An existing policy as the PUT carries it: its id and version, so the service keeps it."""
    keep = ("id", "version", "issuer_id", "role_id", "tenant_id", "trustee_id", "trustee_type")
    return dict((k, policy[k]) for k in keep if k in policy)


def new_policy(user_id, role_id, tenant_id):
    """A policy to add, as Acronis's own examples send it."""
    return {"id": NIL_UUID, "issuer_id": NIL_UUID, "role_id": role_id, "tenant_id": tenant_id,
            "trustee_id": user_id, "trustee_type": "user", "version": 0}


# ------------------------------------------------------------------ search

def search(client, text, tenant_id=None, limit=None):
    """``GET /search``: tenants and users whose properties contain ``text``."""
    params = {"text": text}
    if tenant_id:
        params["tenant"] = tenant_id
    if limit:
        params["limit"] = limit
    body = client.get("/search", params=params) or {}
    return list(body.get("items") or [])
