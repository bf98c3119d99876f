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

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisError,
    AcronisFailure,
    AcronisOutcomeUnknown,
    api_failure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    MASK,
    compare,
    is_placeholder_id,
    make_diff,
    merge,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_login

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


def check_role_tenants_are_uuids(module, roles):
    """Refuse, before any request, a ``roles[].tenant_id`` that is not a UUID."""
    for role in roles or []:
        module.check_uuid(role["tenant_id"], "roles[].tenant_id")


# The notification enum of the API specification (components.schemas.userNotifications).
NOTIFICATIONS = (
    "maintenance", "quota", "reports", "backup_error", "backup_warning", "backup_info", "backup_daily_report",
    "backup_critical", "device_control_warning", "certificate_management_error", "certificate_management_warning",
    "certificate_management_info",
)

# Contact fields of a user the modules manage (userPost.contact / contactPut).
CONTACT_FIELDS = ("email", "firstname", "lastname", "phone", "title", "address1", "address2", "city", "state",
                  "zipcode", "country")

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
    """``POST /users``: ``(user, adopted)``.

    A lost answer is resolved by reading the users of the tenant (authoritative, unlike the search):
    the user of that login found there is adopted; absent, it is created again, within the retry budget.
    """
    return client.create("/users", body, lambda: find_in_tenant(client, body["tenant_id"], body["login"]))


def update_user(client, user_id, version, changes):
    """``PUT /users/{id}`` with the user's ``version``; the updated user.

    The retry of a PUT whose answer was lost carries the version its first attempt outdated: on that
    conflict the user is read again, and when it already holds ``changes`` the update is done (no second write).
    """
    body = dict(changes)
    body["version"] = version
    try:
        return client.put("/users/{user_id}", json=body, user_id=user_id)
    except AcronisAPIError as exc:
        if not (exc.conflict and exc.after_lost_attempt):
            raise
        fresh = get_user(client, user_id)
        if fresh is None or compare(_sorted_lists(changes), _sorted_lists(fresh)):
            raise
        return fresh


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
    """``PUT /users/{id}/access_policies`` with the whole set; the user's policies after it.

    A conflict to the retry of a PUT whose answer was lost (the versions it sends were outdated by its
    own first attempt) is read again: when the user holds exactly the roles sent, it is done.
    """
    try:
        body = client.put("/users/{user_id}/access_policies", json={"items": items}, user_id=user_id) or {}
    except AcronisAPIError as exc:
        if not (exc.conflict and exc.after_lost_attempt):
            raise
        fresh = get_access_policies(client, user_id)
        if sorted(policy_key(p) for p in fresh) != sorted(set(policy_key(i) for i in items)):
            raise
        return fresh
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


# ----------------------------------------------------------- the acronis_user task

def validate_user_options(module):
    """Refuse, before any request, what cannot work."""
    p = module.params
    check_login(p["login"])
    module.check_uuid(p["tenant_id"], "tenant_id")
    email = (p["contact"] or {}).get("email")
    if email is not None and not EMAIL_RE.match(email):
        raise AcronisFailure("contact.email %r of user '%s' is not a valid e-mail address" % (email, p["login"]))
    check_role_tenants_are_uuids(module, p["roles"])
    if p["purge_roles"] and p["roles"] is None:
        raise AcronisFailure("purge_roles needs roles: set the roles user '%s' keeps" % p["login"])
    if p["roles"] is not None and p["state"] == "absent":
        raise AcronisFailure("roles needs state=present: a user who is deleted loses their roles with them")
    if p["password"] is not None and p["activation_email"] != "never":
        raise AcronisFailure("activate user '%s' either with a password or with the activation e-mail, not both"
                             % p["login"])


def locate_for_task(module):
    """The user of the task's tenant with the task's login, or None; fails when another tenant has the login.

    The tenant's users are read first, so that an existing user costs no login check. The login check
    (``GET /users/check_login``) is left out for a tenant the caller says was just created
    (``tenant_created``) outside check mode: it has no users, and the create itself answers whether the
    login is free.
    """
    p = module.params
    client = module.client
    login = p["login"]
    with failing_to("look up user '%s'" % login):
        if is_placeholder_id(p["tenant_id"]) or p["tenant_created"]:
            user = None
        else:
            # A task that names roles reads them with the user, in the same request.
            user = find_in_tenant(client, p["tenant_id"], login, with_access_policies=p.get("roles") is not None)
        if user is not None:
            return user
        if p["tenant_created"] and not module.check_mode and p["state"] == "present":
            return None
        free = login_is_free(client, login)
    if not free:
        if p["state"] == "absent":
            module.warn("login '%s' belongs to a user of another tenant than %s; that user was left alone"
                        % (login, p["tenant_id"]))
            return None
        raise login_elsewhere(login, p["tenant_id"])
    return None


def login_elsewhere(login, tenant_id, **result):
    return AcronisFailure("login '%s' is already taken by a user of another tenant than %s; "
                          "logins are unique across the platform" % (login, tenant_id), **result)


def desired_user(params, user):
    """What the task asks for, in the API's shape; None means 'leave it as it is'."""
    notifications = params["notifications"]
    if notifications is not None:
        base = [] if params["purge_notifications"] else list((user or {}).get("notifications") or [])
        notifications = sorted(set(base) | set(notifications))
    contact = dict((k, v) for k, v in (params["contact"] or {}).items() if v is not None)
    return {"contact": contact or None, "enabled": params["enabled"], "language": params["language"],
            "notifications": notifications}


def comparable_user(user):
    """The managed part of a user, with lists in a stable order."""
    return {"contact": dict(user.get("contact") or {}), "enabled": user.get("enabled"),
            "language": user.get("language"), "notifications": sorted(user.get("notifications") or [])}


def user_put_body(user, changes):
    """The PUT body: the changed fields; a changed contact is sent whole, as the service replaces it."""
    body = dict((k, v) for k, v in changes.items() if k != "contact")
    if "contact" in changes:
        contact = merge(user.get("contact") or {}, changes["contact"])
        body["contact"] = dict((k, v) for k, v in contact.items()
                               if k in tenants.CONTACT_FIELDS and v != [])
    return body


def create_for_task(module, desired):
    """Create the user (or predict it in check mode); returns the user.

    The tenant is read first (it must exist and be enabled), except for a tenant the caller says was
    just created (``tenant_created``).
    """
    p = module.params
    client = module.client
    if not (desired["contact"] or {}).get("email"):
        raise AcronisFailure("contact.email is required to create user '%s'" % p["login"])
    body = {"tenant_id": p["tenant_id"], "login": p["login"]}
    body.update(dict((k, v) for k, v in desired.items() if v is not None))
    if not is_placeholder_id(p["tenant_id"]) and not p["tenant_created"]:
        with failing_to("read tenant %s of user '%s'" % (p["tenant_id"], p["login"])):
            tenant = tenants.get_tenant(client, p["tenant_id"])
        if tenant is None:
            raise AcronisFailure("cannot create user '%s': tenant %s does not exist" % (p["login"], p["tenant_id"]))
        if not tenant.get("enabled", True):
            raise AcronisFailure("cannot create user '%s': tenant '%s' (%s) is disabled"
                                 % (p["login"], tenant.get("name"), p["tenant_id"]))
    if module.check_mode:
        predicted = dict(body, id=placeholder_id("user", p["login"].casefold()), activated=False,
                         personal_tenant_id=None)
        predicted.setdefault("enabled", True)
        return predicted
    try:
        return create_user(client, body)[0]
    except AcronisError as exc:
        if exc.conflict and p["tenant_created"]:
            raise login_elsewhere(p["login"], p["tenant_id"], error=exc.to_dict())
        raise api_failure(exc, "create user '%s' in tenant %s" % (p["login"], p["tenant_id"]))


def activate(module, user, created):
    """Send the activation e-mail or set the password when the options ask for it; returns (sent, set)."""
    p = module.params
    send = (p["activation_email"] == "on_create" and created
            or p["activation_email"] == "until_activated") and not user.get("activated")
    set_pw = p["password"] is not None and (created or p["update_password"] == "always"
                                            or p["update_password"] == "until_activated" and not user.get("activated"))
    if module.check_mode or not (send or set_pw):
        return send, set_pw
    with failing_to("activate user '%s'" % p["login"], changed=True, user=user):
        if send and send_activation_email(module.client, user["id"]) is None:
            module.warn("The answer to the activation e-mail request for user '%s' was lost: the e-mail may or may "
                        "not have been sent. It is not requested again, so that the user never gets two; if it "
                        "does not arrive, send it again (activation_email: until_activated)" % p["login"])
        if set_pw:
            set_password(module.client, user["id"], p["password"])
    return send, set_pw


def remove_for_task(module, user):
    """Disable, then delete, the user when it exists; the task's result."""
    result = dict(changed=False, user={}, activation_email_sent=False, password_set=False, created=False)
    if user is None:
        return result
    if not module.check_mode:
        with failing_to("delete user '%s'" % module.params["login"]):
            version = user["version"]
            if user.get("enabled"):
                version = update_user(module.client, user["id"], version, {"enabled": False})["version"]
            delete_user(module.client, user["id"], version)
    result["changed"] = True
    if module._diff:
        result["diff"] = make_diff(comparable_user(user), None)
    return result


def roles_for_task(module, user, created, current, failure_result):
    """The roles of the acronis_user task (see converge_roles), or None when the task names none.

    ``current`` are the user's access policies as locate_for_task read them with the user (None: not read).
    ``failure_result`` goes into a failure: what the task did before it (a user created, for example).
    """
    p = module.params
    if p["roles"] is None:
        return None
    who = "'%s'" % p["login"]
    if created:
        current = []
    elif current is None:
        with failing_to("read the roles of user %s" % who, **failure_result):
            current = get_access_policies(module.client, user["id"])
    return converge_roles(module, user["id"], user.get("tenant_id") or p["tenant_id"], current, p["roles"],
                          p["purge_roles"], "present", who, **failure_result)


def user_result(module, user, before, changes, created, sent, set_pw, roles=None):
    """The task's result for a user that exists (or would) after the task; ``roles`` as roles_for_task gives them."""
    roles_changed = bool(roles and roles[0])
    result = dict(changed=bool(created or changes or sent or set_pw or roles_changed), user=user, created=created,
                  activation_email_sent=sent, password_set=set_pw)
    if roles is not None:
        result["access_policies"] = roles[1]
    if module._diff:
        after_changes = dict(changes)
        if set_pw:
            after_changes["password"] = MASK
        if sent:
            after_changes["activation_email"] = "sent"
        result["diff"] = make_diff(before, after_changes, secrets=("password",))
        if roles_changed:
            if before is not None:
                result["diff"]["before"]["roles"] = roles[2]
            result["diff"]["after"]["roles"] = roles[3]
    return result


# -------------------------------------------------- the acronis_access_policy task

def validate_policy_options(module):
    """Refuse, before any request, what cannot work."""
    p = module.params
    check_login(p["login"])
    module.check_uuid(p["user_id"], "user_id")
    module.check_uuid(p["tenant_id"], "tenant_id")
    check_role_tenants_are_uuids(module, p["roles"])
    if p["purge"] and p["state"] == "absent":
        raise AcronisFailure("purge needs state=present")
    user = p["user"]
    if user is not None:
        missing = [key for key in ("id", "tenant_id") if not user.get(key)]
        if missing:
            raise AcronisFailure("option user must be a user as acronis_user returns it, with id and tenant_id; "
                                 "it has no %s" % ", ".join(missing))
        module.check_uuid(user["id"], "user.id")
        module.check_uuid(user["tenant_id"], "user.tenant_id")
        if p["tenant_id"] is not None and p["tenant_id"] != user["tenant_id"]:
            raise AcronisFailure("option tenant_id (%s) is not the tenant_id of option user (%s); set one of them"
                                 % (p["tenant_id"], user["tenant_id"]))


def policy_user(module):
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
        user = get_user(client, p["user_id"])
        if user is None:
            if p["state"] == "absent":
                return None, p["user_id"]
            raise AcronisFailure("user %s does not exist; check user_id, or create the user first" % p["user_id"])
        return user, user["id"]
    if is_placeholder_id(p["tenant_id"]):
        if not login_is_free(client, p["login"]):
            raise AcronisFailure("login '%s' is already taken by a user of another tenant than %s"
                                 % (p["login"], p["tenant_id"]))
        return None, placeholder_id("user", p["login"].casefold())
    where, user = locate(client, p["login"], p["tenant_id"])
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


def policy_label(key):
    return "%s@%s" % key


def policy_plan(p, current, home):
    """(keep, added, removed): the current policies kept, the (role, tenant) pairs to add, those that go."""
    listed = []
    for role in p["roles"]:
        key = (role["role_id"], role["tenant_id"] or home)
        if key not in listed:
            listed.append(key)
    current_keys = [policy_key(c) for c in current]
    if p["state"] == "present":
        keep = [c for c in current if policy_key(c) in listed or not p["purge"]]
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


def converge_roles(module, user_id, home, current, roles, purge, state, who, **failure_result):
    """Make the roles of user ``user_id`` (of tenant ``home``) what ``roles`` asks, with one PUT of the whole set.

    ``current`` are the user's access policies now: [] for a user created in this run, or one that would be.
    Returns (changed, the policies after, the role labels before, the role labels after). ``failure_result``
    goes into the failure of the PUT (changed=True after a create, for example).
    """
    keep, added, removed = policy_plan(dict(roles=roles, purge=purge, state=state), current, home)
    check_role_tenants(module.client, added, home, who)
    changed = bool(added or removed)
    items = keep + [new_policy(user_id, role_id, tenant_id) for role_id, tenant_id in added]
    if changed and not module.check_mode:
        what = ", ".join(["+" + policy_label(k) for k in added] + ["-" + policy_label(k) for k in removed])
        with failing_to("set the roles of user %s (%s)" % (who, what), **failure_result):
            items = put_access_policies(module.client, user_id, [policy_for_put(c) for c in keep] + items[len(keep):])
    before = sorted(policy_label(policy_key(c)) for c in current)
    after = sorted([policy_label(policy_key(c)) for c in keep] + [policy_label(k) for k in added])
    return changed, items, before, after
