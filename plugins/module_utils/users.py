# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Users, their access policies (roles) and search: the API operations shared by
``acronis_user``, ``acronis_user_info``, ``acronis_access_policy``, ``acronis_search_info``
and ``acronis_registration_token``, and the ``roles`` option of the first two.

A user is addressed by login. Logins are unique across the whole platform, but
the API has no "get user by login": ``GET /users/check_login`` says whether a
login is taken, and the user is then found among the users of the tenant it
should be in (``GET /tenants/{id}/users`` for ids, ``GET /users?uuids=`` for
details, 100 at a time, stopping at the first batch that holds it).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisError,
    AcronisFailure,
    AcronisOutcomeUnknown,
    api_failure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import compare, is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants

# The role enum of the API specification (components.schemas.userRole).
ROLES = (
    "root_admin", "partner_admin", "company_admin", "unit_admin", "readonly_admin", "protection_admin",
    "protection_ro_admin", "restore_operator", "backup_user", "sync_share_admin", "sync_share_user",
    "sync_share_guest", "pds_operator", "pds_support", "notary_admin", "notary_user", "hci_admin",
    "omnivoice_admin", "omnivoice_user", "greathorn_admin", "greathorn_user", "greathorn_analyst",
    "greathorn_client_manager",
)


def role_options():
    """The suboptions of a ``roles`` option: a role, in a tenant (None: the user's own)."""
    return dict(role_id=dict(type="str", required=True, choices=list(ROLES)), tenant_id=dict(type="str"))


# The notification enum of the API specification (components.schemas.userNotifications).
NOTIFICATIONS = (
    "maintenance", "quota", "reports", "backup_error", "backup_warning", "backup_info", "backup_daily_report",
    "backup_critical", "device_control_warning", "certificate_management_error", "certificate_management_warning",
    "certificate_management_info",
)

# Contact fields of a user the modules manage (userPost.contact / contactPut).
CONTACT_FIELDS = ("email", "firstname", "lastname", "phone", "title", "address1", "address2", "city", "state",
                  "zipcode", "country")

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


# A user listed by ``GET /users?uuids=`` (how users are found, and what acronis_user_info returns) always
# carries these, null when unset; ``GET /users/{id}`` and the answers of POST and PUT leave them out when unset.
LISTED_FIELDS = ("origin_id", "origin_external_id", "disable_after")


def as_listed(user):
    """A user as ``GET /users?uuids=`` lists it (without its roles, which it lists only on request)."""
    if user is None:
        return None
    listed = dict((k, v) for k, v in user.items() if k != "access_policies")
    for key in LISTED_FIELDS:
        listed.setdefault(key, None)
    return listed


def get_user(client, user_id):
    """The user (as_listed), or None when the service answers 404."""
    return as_listed(client.get_or_none("/users/{user_id}", user_id=user_id))


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


def list_subtree_users(client, root_id, with_access_policies=False):
    """Every user of the tenants of a subtree (``GET /users?subtree_root_tenant_id=``, cursor-paged)."""
    params = {"subtree_root_tenant_id": root_id}
    if with_access_policies:
        params["with_access_policies"] = "true"
    return client.paginate("/users", params=params)


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
    """``POST /users``: ``(user, adopted)``.

    A lost answer is resolved by reading the users of the tenant (authoritative, unlike the search):
    the user of that login found there is adopted; absent, it is created again, within the retry budget.
    A login taken to a first attempt is resolved the same way: the user another writer created in this
    tenant is adopted (``adopted`` is then ``ADOPTED_OTHER_WRITER``); none there means the login belongs to
    a user of another tenant, and the conflict is raised.
    """
    user, adopted = client.create("/users", body, lambda: find_in_tenant(client, body["tenant_id"], body["login"]),
                                  what="created user '%s' in tenant %s" % (body["login"], body["tenant_id"]))
    return as_listed(user), adopted


def login_owner(client, login):
    """Where a login taken elsewhere lives, in words ("tenant 'Acme' (id)"), or None when the search cannot tell.

    The search index may lag behind the other writer's create; it is asked once, to name the owner in a failure.
    """
    try:
        items = search(client, login, tenant_id=client.client_tenant_id(), limit=50)
    except AcronisError:
        return None
    for item in items:
        if item.get("obj_type") == "user" and (item.get("login") or "").casefold() == login.casefold():
            path = item.get("path") or []
            if path and item.get("parent_id"):
                return "tenant '%s' (%s)" % (path[-1], item["parent_id"])
            return "tenant %s" % item["parent_id"] if item.get("parent_id") else None
    return None


def update_user(client, user_id, version, changes, rebase=None):
    """``PUT /users/{id}`` with the user's ``version``; the updated user.

    An outdated version (another writer, or the retry of a PUT whose answer was lost) is resolved by reading
    the user again (``AcronisClient.settle``): when it already holds ``changes`` the update is done (no second
    write); otherwise the changes are sent again on the fresh version, as ``rebase(fresh)`` gives them.
    """
    def write(fresh):
        body = dict(changes if fresh is None or rebase is None else rebase(fresh))
        body["version"] = version if fresh is None else fresh["version"]
        return client.put("/users/{user_id}", json=body, user_id=user_id)

    updated = client.settle("updated user %s (%s)" % (user_id, ", ".join(sorted(changes))), write,
                            lambda: get_user(client, user_id),
                            lambda fresh: not compare(_sorted_lists(changes), _sorted_lists(fresh)))[0]
    return as_listed(updated)


def _sorted_lists(obj):
    return dict((k, sorted(v) if isinstance(v, list) else v) for k, v in obj.items())


def send_activation_email(client, user_id):
    """``POST /users/{id}/send-activation-email``: True when the service confirmed it, None when its answer was lost.

    Never replayed after a lost answer (a 502 or a broken connection once the request was sent): the
    e-mail may have gone out, and a second one is worse than none. A 429 (refused before it was handled)
    and a connection that never reached the service are retried as usual.
    """
    try:
        client.post("/users/{user_id}/send-activation-email", idempotent=False, user_id=user_id)
    except AcronisOutcomeUnknown:
        return None
    return True


def set_password(client, user_id, password):
    client.post("/users/{user_id}/password", json={"password": password}, idempotent=True, user_id=user_id)


def delete_user(client, user_id, version):
    client.delete("/users/{user_id}", params={"version": version}, user_id=user_id)


# --------------------------------------------------------- access policies

def get_access_policies(client, user_id):
    body = client.get("/users/{user_id}/access_policies", user_id=user_id) or {}
    return list(body.get("items") or [])


def put_access_policies(client, user_id, items):
    """``PUT /users/{id}/access_policies`` with the whole set; the user's policies after it."""
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


def policy_label(key):
    return "%s@%s" % key


def policy_plan(roles, purge, state, current, home):
    """(keep, added, removed): the current policies kept, the (role, tenant) pairs to add, those that go."""
    listed = []
    for role in roles:
        key = (role["role_id"], role["tenant_id"] or home)
        if key not in listed:
            listed.append(key)
    current_keys = [policy_key(c) for c in current]
    if state == "present":
        keep = [c for c in current if policy_key(c) in listed or not purge]
        added = [k for k in listed if k not in current_keys]
    else:
        keep = [c for c in current if policy_key(c) not in listed]
        added = []
    removed = [policy_key(c) for c in current if c not in keep]
    return keep, added, removed


def check_role_tenants(client, added, home, who):
    """Refuse, before the write, a role granted outside the user's own tenant ``home`` and its subtree.

    The service grants roles only in the user's tenant and below it. A tenant that a check-mode task
    would create (a placeholder) cannot be read: it is left to the real run.
    """
    if home is None or is_placeholder_id(home):
        return
    for role_id, tenant_id in added:
        if tenant_id == home or is_placeholder_id(tenant_id):
            continue
        seen = tenant_id
        below = False
        for _depth in range(64):
            try:
                tenant = tenants.get_tenant(client, seen)
            except AcronisError as exc:
                if exc.status == 403:
                    break   # above what the API client can see: not below the user's tenant
                raise api_failure(exc, "check the tenant %s of role %s for user %s" % (tenant_id, role_id, who))
            if tenant is None:
                if seen == tenant_id:
                    raise AcronisFailure("Option roles[].tenant_id: tenant %s of role %s does not exist; set an "
                                         "existing tenant (the user's own tenant %s or one below it)."
                                         % (tenant_id, role_id, home))
                break
            if tenant.get("parent_id") == home:
                below = True
                break
            seen = tenant.get("parent_id")
            if not seen:
                break
        if not below:
            raise AcronisFailure("Option roles[].tenant_id: role %s for user %s cannot be granted in tenant %s, "
                                 "which is not the user's own tenant %s nor below it; the service grants roles "
                                 "only there. Set roles[].tenant_id to that tenant or one of its children."
                                 % (role_id, who, tenant_id, home))


def set_user_roles(client, user_id, home, current, roles, purge, state, who, check_mode=False, read_again=True,
                   **failure_result):
    """Make the roles of user ``user_id`` (of tenant ``home``) what ``roles`` asks, with one PUT of the whole set.

    The roles of acronis_user and acronis_access_policy. ``roles`` are the ``roles`` option's entries, ``state``
    says whether they are granted or revoked, ``purge`` whether the others go. ``current`` are the user's access
    policies now: [] for a user created in this run, or one that would be. Nothing is written in check mode.
    Returns (changed, the policies after, the role labels before, the role labels after). ``failure_result``
    goes into the failure of the PUT (changed=True after a create, for example).

    The PUT replaces the whole set and the API keeps no version of the set (only of each policy sent back), so
    a role another writer gave since ``current`` was read would be lost without a sound. With ``read_again``
    (a user whose roles were read, not one this run created), when there is something to change the roles are
    read again just before the PUT and the change planned on that read: a role the task does not name that
    another writer gave is sent back and kept (unless ``purge`` asks for the exact set), and when the other
    writer already made the task's change nothing is sent (changed false, noted as another writer's). A policy
    sent back that another writer changed (409, version outdated) or removed (404) since is resolved by
    reading again (``AcronisClient.settle``).
    """
    keep, added, removed = policy_plan(roles, purge, state, current, home)
    check_role_tenants(client, added, home, who)
    changed = bool(added or removed)
    what = "set the roles of user %s (%s)" % (who, ", ".join(["+" + policy_label(k) for k in added]
                                                             + ["-" + policy_label(k) for k in removed]))
    if changed and not check_mode and read_again:
        with failing_to("read the roles of user %s again before changing them" % who, **failure_result):
            current = get_access_policies(client, user_id)
        keep, added, removed = policy_plan(roles, purge, state, current, home)
        if not (added or removed):
            client.note_other_writer(what)
            changed = False
    items = keep + [new_policy(user_id, role_id, tenant_id) for role_id, tenant_id in added]
    if changed and not check_mode:
        def write(fresh):
            # Planned again on the policies just read: their versions, and the roles another writer gave.
            plan = (keep, added) if fresh is None else policy_plan(roles, purge, state, fresh, home)[:2]
            sent = [policy_for_put(c) for c in plan[0]] + [new_policy(user_id, role_id, tenant_id)
                                                           for role_id, tenant_id in plan[1]]
            return put_access_policies(client, user_id, sent)

        def done(fresh):
            _keep, again_added, again_removed = policy_plan(roles, purge, state, fresh, home)
            return not again_added and not again_removed

        with failing_to(what, **failure_result):
            # A 404 names a policy sent back that another writer removed (a user gone fails the read again).
            items = client.settle(what, write, lambda: get_access_policies(client, user_id), done,
                                  stale=lambda exc: exc.not_found)[0]
    before = sorted(policy_label(policy_key(c)) for c in current)
    after = sorted([policy_label(policy_key(c)) for c in keep] + [policy_label(k) for k in added])
    return changed, items, before, after


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
