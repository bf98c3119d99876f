# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Named tenant operations, shared by the tenant modules, the user and offering-item
modules and the onboarding roles.

Every function takes an ``AcronisClient`` first and returns parsed API objects.
"Not found" is an ordinary answer (``None``), never an exception; every other
failure is an ``AcronisError`` for the caller to turn into ``api_failure``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime
import time

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisError,
    AcronisFailure,
    api_failure,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    compare,
    make_diff,
    merge,
    placeholder_id,
)


TENANT_KINDS = ("partner", "folder", "customer", "unit")

# Kind changes the service accepts on an existing tenant (both directions).
CHANGEABLE_KINDS = frozenset(("partner", "folder"))

# Fields of a contact the service accepts in a request (contactPut).
CONTACT_FIELDS = ("email", "firstname", "lastname", "phone", "address1", "address2", "city", "state",
                  "zipcode", "country", "title", "website", "industry", "organization_size", "aan",
                  "language", "fax", "types")

# MFA statuses that mean "two-factor authentication is required in this tenant".
MFA_ON = frozenset(("enabled", "setup_required"))

# A name conflict among siblings (POST /tenants, PUT /tenants/{id}).
ERROR_NAME_EXISTS = 1004
ERROR_VERSION_OUTDATED = 1001
ERROR_TENANT_LOCKED = 1012

SEARCH_LIMIT = 100
USERS_BATCH = 100


# ------------------------------------------------------------------- reading

def get_tenant(client, tenant_id):
    """The tenant with this id, or None when the service answers 404 (unknown or deleted)."""
    return client.get_or_none("/tenants/{tenant_id}", tenant_id=tenant_id)


def get_tenants(client, tenant_ids):
    """The tenants with these ids (``GET /tenants?uuids=``, 100 per request); unknown ids are skipped."""
    found = []
    ids = list(tenant_ids)
    for start in range(0, len(ids), USERS_BATCH):
        batch = ids[start:start + USERS_BATCH]
        body = client.get("/tenants", params={"uuids": ",".join(batch)}) or {}
        found.extend(body.get("items") or [])
    return found


def search_child_tenant(client, parent_id, name):
    """The live child of ``parent_id`` named ``name`` as found by ``GET /search``, confirmed by a read.

    Costs one search plus one read per candidate, whatever the number of
    siblings. The search index can lag behind writes, so None here means only
    "not found by search": use ``find_child_tenant(..., authoritative=True)``
    before concluding that the tenant does not exist.

    A 404 from the search means the parent does not exist (or is not visible):
    the ``AcronisAPIError`` is raised for the caller to report.
    """
    wanted = name.casefold()
    body = client.get("/search", params={"tenant": parent_id, "text": name, "limit": SEARCH_LIMIT}) or {}
    for item in body.get("items") or []:
        if item.get("obj_type") != "tenant" or item.get("parent_id") != parent_id:
            continue
        if (item.get("name") or "").casefold() != wanted or item.get("deleted_at"):
            continue
        tenant = get_tenant(client, item["id"])
        if _is_child_named(tenant, parent_id, wanted):
            return tenant
    return None


def scan_child_tenant(client, parent_id, name):
    """The live child of ``parent_id`` named ``name``, read from the list of children itself.

    Authoritative, but its cost grows with the number of children (one page of
    up to 5,000 tenants at the ``basic`` level of detail per request); the
    match is then read in full.
    """
    wanted = name.casefold()
    for item in client.paginate("/tenants", params={"parent_id": parent_id, "lod": "basic"}):
        if _is_child_named(item, parent_id, wanted):
            return get_tenant(client, item["id"])
    return None


def find_child_tenant(client, parent_id, name, authoritative=False):
    """The live child tenant of ``parent_id`` whose name is ``name`` (case-insensitive), or None.

    The search index is asked first (constant cost). When it finds nothing and
    ``authoritative`` is true, the parent's children are listed to be sure,
    because the index can lag behind recent writes. Callers that are about to
    create the tenant anyway can leave ``authoritative`` false: the service
    refuses a duplicate name (1004) and ``resolve_created_tenant`` then finds it.
    """
    tenant = search_child_tenant(client, parent_id, name)
    if tenant is None and authoritative:
        tenant = scan_child_tenant(client, parent_id, name)
    return tenant


def find_child_or_fail(client, parent_id, name, what, authoritative=False):
    """``find_child_tenant``, with a parent that does not exist (404) as an ``AcronisFailure`` naming it."""
    try:
        return find_child_tenant(client, parent_id, name, authoritative=authoritative)
    except AcronisError as exc:
        if exc.not_found:
            raise AcronisFailure("Parent tenant %s of %s does not exist (or is not visible to this API client): %s"
                                 % (parent_id, what, exc), error=exc.to_dict())
        raise


def resolve_created_tenant(client, parent_id, name, attempts=3, delay=1.0, sleep=None):
    """After a create that failed with 1004 or whose outcome is unknown: the tenant, or None.

    Looks the tenant up authoritatively, a few times with a short delay, and
    never creates anything.
    """
    sleep = sleep or time.sleep
    for attempt in range(attempts):
        tenant = find_child_tenant(client, parent_id, name, authoritative=True)
        if tenant is not None:
            return tenant
        if attempt + 1 < attempts:
            sleep(delay)
    return None


def _is_child_named(tenant, parent_id, wanted):
    return (tenant is not None and tenant.get("parent_id") == parent_id and not tenant.get("deleted_at")
            and (tenant.get("name") or "").casefold() == wanted)


def list_children(client, parent_id, lod="full"):
    """Iterate over the live children of a tenant (``GET /tenants?parent_id=``, cursor-paged)."""
    return client.paginate("/tenants", params={"parent_id": parent_id, "lod": lod})


def list_subtree(client, root_id, depth=None, include_root=True, lod="full"):
    """The tenants of a subtree, parents before children, each with a ``depth`` key added.

    ``depth`` 1 means the children of ``root_id``; None means the whole subtree.
    One cursor-paged ``GET /tenants?subtree_root_id=`` serves any depth.
    """
    levels = {root_id: 0}
    result = []
    pending = []
    for tenant in client.paginate("/tenants", params={"subtree_root_id": root_id, "lod": lod}):
        pending.append(tenant)
    # The service sorts by level; do not rely on it more than needed.
    progress = True
    while pending and progress:
        progress = False
        rest = []
        for tenant in pending:
            if tenant["id"] == root_id:
                level = 0
            elif tenant.get("parent_id") in levels:
                level = levels[tenant["parent_id"]] + 1
            else:
                rest.append(tenant)
                continue
            levels[tenant["id"]] = level
            progress = True
            if (depth is None or level <= depth) and (include_root or level > 0):
                entry = dict(tenant)
                entry["depth"] = level
                result.append(entry)
        pending = rest
    result.sort(key=lambda t: t["depth"])
    return result


def list_tenant_user_ids(client, tenant_id):
    """Ids of the users of a tenant (``GET /tenants/{id}/users``)."""
    body = client.get("/tenants/{tenant_id}/users", tenant_id=tenant_id) or {}
    return list(body.get("items") or [])


def list_tenant_users(client, tenant_id):
    """The users of a tenant as objects (their ids, then ``GET /users?uuids=`` by 100)."""
    ids = list_tenant_user_ids(client, tenant_id)
    users = []
    for start in range(0, len(ids), USERS_BATCH):
        batch = ids[start:start + USERS_BATCH]
        body = client.get("/users", params={"uuids": ",".join(batch)}) or {}
        users.extend(body.get("items") or [])
    return users


def get_pricing(client, tenant_id):
    """The pricing settings of a tenant (mode, currency, version, production_start_date)."""
    return client.get("/tenants/{tenant_id}/pricing", tenant_id=tenant_id)


def trial_end_date(pricing):
    """When the trial of a tenant ends, as an ISO 8601 string, or None when it is not in trial.

    As Acronis's examples compute it: the ``production_start_date`` of the
    pricing; for a service that does not report it, the legacy rule: the last
    moment of the month after the one in which the pricing was created
    (``version`` is its creation time in milliseconds), or of that month itself
    when it was created on the first day.
    """
    if not pricing or pricing.get("mode") != "trial":
        return None
    if pricing.get("production_start_date"):
        return pricing["production_start_date"]
    try:
        created = datetime.datetime.fromtimestamp(int(pricing.get("version")) / 1000.0, tz=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None
    year, month = created.year, created.month
    if created.day > 1:
        month += 1
        if month > 12:
            year, month = year + 1, 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.datetime(year, month, last_day, 23, 59, 59, 999999).isoformat()


def get_mfa_status(client, tenant_id):
    """The MFA status of a tenant (mfa_status, users_count, users_with_totp_enabled_count, update_allowed)."""
    return client.get("/tenants/{tenant_id}/mfa/status", tenant_id=tenant_id)


def mfa_enabled(tenant):
    """True when the tenant object's ``mfa_status`` means two-factor authentication is on."""
    return (tenant or {}).get("mfa_status") in MFA_ON


def get_offering_items(client, tenant_id, edition="*"):
    """The offering items of a tenant, of one edition or of all (``*``)."""
    params = {"edition": edition} if edition else None
    body = client.get("/tenants/{tenant_id}/offering_items", params=params, tenant_id=tenant_id) or {}
    return list(body.get("items") or [])


def with_includes(client, tenant, include):
    """A copy of the tenant with the extras of ``include`` (users, pricing, mfa, offering_items) under their keys."""
    tenant = dict(tenant)
    if "users" in include:
        tenant["users"] = list_tenant_users(client, tenant["id"])
    if "pricing" in include:
        pricing = dict(get_pricing(client, tenant["id"]) or {})
        pricing["trial_end_date"] = trial_end_date(pricing)
        tenant["pricing"] = pricing
    if "mfa" in include:
        tenant["mfa"] = get_mfa_status(client, tenant["id"])
    if "offering_items" in include:
        tenant["offering_items"] = get_offering_items(client, tenant["id"])
    return tenant


# ------------------------------------------------------------------- writing

def create_tenant(client, body, parent_id=None, name=None):
    """``POST /tenants``: ``(tenant, adopted)``.

    A lost answer is resolved by an authoritative lookup of the child of that name (``AcronisClient.create``):
    found, it is adopted; absent, it is created again, within the retry budget.
    """
    parent_id = parent_id or body["parent_id"]
    name = name or body["name"]
    return client.create("/tenants", body, lambda: find_child_tenant(client, parent_id, name, authoritative=True))


def update_tenant(client, tenant_id, version, changes):
    """``PUT /tenants/{id}`` with the tenant's current ``version``; the updated tenant."""
    body = dict(changes)
    body["version"] = version
    return client.put("/tenants/{tenant_id}", json=body, tenant_id=tenant_id)


def set_pricing_mode(client, tenant_id, mode, pricing=None):
    """Switch a tenant's pricing mode (reads the pricing for its version unless given); the new pricing."""
    if pricing is None:
        pricing = get_pricing(client, tenant_id)
    try:
        return client.put("/tenants/{tenant_id}/pricing", json={"mode": mode, "version": pricing["version"]},
                          tenant_id=tenant_id)
    except AcronisError as exc:
        # A retry after a lost answer carries the version our first attempt outdated: read and compare.
        if not (exc.conflict and exc.after_lost_attempt):
            raise
        fresh = get_pricing(client, tenant_id) or {}
        if fresh.get("mode") != mode:
            raise
        return fresh


def set_mfa(client, tenant_id, enabled):
    """``PUT /tenants/{id}/mfa/status``; the new MFA status object."""
    return client.put("/tenants/{tenant_id}/mfa/status", json={"enabled": bool(enabled)}, tenant_id=tenant_id)


def delete_tenant(client, tenant_id, version):
    """``DELETE /tenants/{id}?version=``; False when it was already gone."""
    return client.delete("/tenants/{tenant_id}", params={"version": version}, missing_ok=True, tenant_id=tenant_id)


# ------------------------------------------------------- the acronis_tenant task

# Options of acronis_tenant compared field by field with the tenant object.
PLAIN_FIELDS = ("kind", "enabled", "customer_id", "internal_tag", "language", "ancestral_access")


class TenantTask:
    """One run of the module: what the user asked for, what exists, and what to do about it."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.client = module.client
        self.label = "tenant %r" % (self.params["name"] or self.params["id"])
        self.posted = False   # True once this task's POST /tenants was answered

    # ------------------------------------------------------------ desired state

    def desired_fields(self, addressed_by_id):
        """The tenant fields the task names (None = leave as it is)."""
        p = self.params
        fields = dict((key, p[key]) for key in PLAIN_FIELDS)
        if addressed_by_id:
            fields["name"] = p["name"]
        if p["contact"] is not None:
            fields["contact"] = dict((k, v) for k, v in p["contact"].items() if v is not None)
        if p["update_lock"] is not None:
            fields["update_lock"] = {"enabled": p["update_lock"]}
        return fields

    def desired_extras(self):
        """Properties that live outside the tenant object's PUT (pricing, MFA, enhanced security)."""
        p = self.params
        extras = {}
        if p["pricing_mode"] is not None:
            extras["pricing_mode"] = p["pricing_mode"]
        if p["mfa_enabled"] is not None:
            extras["mfa_status"] = "enabled" if p["mfa_enabled"] else "disabled"
        return extras

    # ----------------------------------------------------------------- lookup

    def parent_id(self):
        if self.params["parent_id"]:
            return self.params["parent_id"]
        try:
            return self.client.client_tenant_id()
        except AcronisError as exc:
            raise api_failure(exc, "authenticate as API client %s and read its tenant" % self.params["client_id"])

    def lookup(self, parent_id, authoritative):
        """The existing tenant, or None."""
        p = self.params
        if p["id"]:
            try:
                tenant = get_tenant(self.client, p["id"])
            except AcronisError as exc:
                raise api_failure(exc, "read %s" % self.label)
            if tenant is None and p["state"] == "present":
                raise AcronisFailure("Tenant %s does not exist (or is not visible to this API client); "
                                     "to create a tenant, give its name and parent_id instead of id" % p["id"])
            if tenant is not None and p["parent_id"] and tenant["parent_id"] != p["parent_id"]:
                raise AcronisFailure("Tenant %s is under parent %s, not %s; moving tenants is not supported"
                                     % (p["id"], tenant["parent_id"], p["parent_id"]))
            return tenant
        try:
            return find_child_or_fail(self.client, parent_id, p["name"], self.label, authoritative=authoritative)
        except AcronisError as exc:
            raise api_failure(exc, "look up %s under parent %s" % (self.label, parent_id))

    # ------------------------------------------------------------- validation

    def validate_changes(self, tenant, changes, extras):
        """Refuse, before any write, what the service would refuse or could not undo."""
        name = tenant.get("name")
        if "kind" in changes:
            have, want = tenant.get("kind"), changes["kind"]
            if not (have in CHANGEABLE_KINDS and want in CHANGEABLE_KINDS):
                if self.params["id"]:
                    where = "is a %s" % have
                    advice = ""
                else:
                    where = "already exists under parent %s as a %s" % (tenant.get("parent_id"), have)
                    advice = ". Choose another name, or delete that tenant first"
                raise AcronisFailure(
                    "Tenant %r (%s) %s; a tenant's kind can change only between partner and folder, so it "
                    "cannot become a %s%s" % (name, tenant["id"], where, want, advice))
        if extras.get("pricing_mode") == "trial" and tenant.get("pricing_mode") != "trial":
            raise AcronisFailure(
                "Tenant %r (%s) is in %s pricing mode; the switch from trial to production is one-way, so it "
                "cannot go back to trial. Nothing was changed" % (name, tenant["id"], tenant.get("pricing_mode")))
        if "mfa_status" in extras and merge(tenant, changes).get("kind") in ("folder", "unit"):
            raise AcronisFailure(
                "Tenant %r (%s) is a %s; two-factor authentication is managed on its partner or customer, "
                "not on folders and units" % (name, tenant["id"], merge(tenant, changes).get("kind")))

    def check_lock(self, tenant):
        """Refuse, before any write, to change a tenant locked by another tenant (the service says 1012)."""
        lock = tenant.get("update_lock") or {}
        if not lock.get("enabled"):
            return
        try:
            own = self.client.client_tenant_id()
        except AcronisError as exc:
            raise api_failure(exc, "find the tenant of the API client")
        if lock.get("owner_id") in (None, own):
            return
        raise AcronisFailure(
            "Tenant %r (%s) is locked for updates by tenant %s: the service refuses to change it "
            "(error %s, tenant locked) for anyone but users of that tenant, and only they can unlock it "
            "(update_lock: false). Nothing was changed"
            % (tenant.get("name"), tenant["id"], lock.get("owner_id"), ERROR_TENANT_LOCKED))

    def enhanced_security_change(self, tenant):
        """{'enhanced_security': True} when it must be switched on; fails on a request to switch it off."""
        wanted = self.params["enhanced_security"]
        if wanted is None:
            return {}
        current = (tenant.get("settings") or {}).get("enhanced_security", tenant.get("enhanced_security"))
        if current is None:
            self.module.warn("The service does not report whether enhanced security is on for existing tenant %r, "
                             "so enhanced_security was left as it is; it is applied when a tenant is created"
                             % tenant.get("name"))
            return {}
        if current and not wanted:
            raise AcronisFailure(
                "Tenant %r (%s) has enhanced security on; it is one-way and cannot be switched off"
                % (tenant.get("name"), tenant["id"]))
        if wanted and not current:
            return {"enhanced_security": True}
        return {}

    # -------------------------------------------------------------- compare

    def plan(self, tenant, addressed_by_id, just_created=False):
        """(field changes, extra changes) to bring an existing tenant to the desired state."""
        changes = compare(self.desired_fields(addressed_by_id), tenant)
        extras = {}
        wanted = self.desired_extras()
        if "pricing_mode" in wanted and wanted["pricing_mode"] != tenant.get("pricing_mode"):
            extras["pricing_mode"] = wanted["pricing_mode"]
        if "mfa_status" in wanted and (wanted["mfa_status"] == "enabled") != mfa_enabled(tenant):
            extras["mfa_status"] = wanted["mfa_status"]
        self.validate_changes(tenant, changes, extras)
        es = {} if just_created else self.enhanced_security_change(tenant)
        if es:
            changes["settings"] = es
        if changes or extras:
            self.check_lock(tenant)
        return changes, extras

    # ------------------------------------------------------------------- act

    def put(self, tenant, body):
        """PUT the fields of ``body``; on an outdated version, read again and retry once.

        An outdated version is also what the retry of a PUT whose answer was lost gets when the first
        attempt was carried out: the tenant read again then already holds ``body``, and nothing is sent.
        """
        try:
            return update_tenant(self.client, tenant["id"], tenant["version"], body)
        except AcronisError as exc:
            if not (exc.has_code(ERROR_VERSION_OUTDATED) or exc.conflict):
                raise api_failure(exc, "update %s" % self.label)
        try:
            fresh = get_tenant(self.client, tenant["id"])
            if fresh is None:
                raise AcronisFailure("Tenant %s disappeared while it was being updated" % tenant["id"])
            body = compare(body, fresh)
            if not body:
                return fresh
            return update_tenant(self.client, fresh["id"], fresh["version"], body)
        except AcronisError as exc:
            raise api_failure(exc, "update %s (after reading it again on a version conflict)" % self.label)

    def apply(self, tenant, changes, extras):
        """Send the changes: unlock first, then fields, pricing, MFA, and lock last. ``tenant`` is not modified."""
        tenant = dict(tenant)
        lock = changes.pop("update_lock", None)
        if lock is not None and not lock["enabled"]:
            tenant = self.put(tenant, {"update_lock": lock})
            lock = None
        if lock is not None and not extras:
            changes["update_lock"] = lock
            lock = None
        if "contact" in changes:
            # Send the whole contact, so that a service that replaces it keeps the fields left unset.
            contact = merge(tenant.get("contact") or {}, changes["contact"])
            changes["contact"] = dict((k, v) for k, v in contact.items()
                                      if k in CONTACT_FIELDS and v is not None)
        if changes:
            tenant = self.put(tenant, changes)
        try:
            if "pricing_mode" in extras:
                pricing = set_pricing_mode(self.client, tenant["id"], extras["pricing_mode"])
                tenant["pricing_mode"] = pricing.get("mode", extras["pricing_mode"])
                if "production_start_date" in pricing:
                    tenant["production_start_date"] = pricing["production_start_date"]
            if "mfa_status" in extras:
                status = set_mfa(self.client, tenant["id"], extras["mfa_status"] == "enabled")
                tenant["mfa_status"] = status.get("mfa_status", extras["mfa_status"])
        except AcronisError as exc:
            raise api_failure(exc, "update %s" % self.label, tenant=tenant)
        if lock is not None:
            tenant = merge(self.put(tenant, {"update_lock": lock}),
                           dict((k, tenant[k]) for k in ("pricing_mode", "mfa_status", "production_start_date")
                                if k in tenant))
        return tenant

    def create(self, parent_id):
        """POST the tenant; a name conflict or a lost answer is resolved by reading, never by posting again."""
        p = self.params
        body = {"name": p["name"], "kind": p["kind"], "parent_id": parent_id}
        for key in ("enabled", "customer_id", "internal_tag", "language", "ancestral_access"):
            if p[key] is not None:
                body[key] = p[key]
        if p["contact"] is not None:
            body["contact"] = dict((k, v) for k, v in p["contact"].items() if v is not None)
        if p["enhanced_security"] is not None:
            body["settings"] = {"enhanced_security": p["enhanced_security"]}
        try:
            tenant, adopted = create_tenant(self.client, body, parent_id=parent_id, name=p["name"])
            # An adopted tenant is ours (its POST lost its answer), but it is not told to later tasks as new:
            # a name conflict to a second attempt could also be an earlier run's tenant the search index missed.
            self.posted = not adopted
            return tenant, True
        except AcronisError as exc:
            if not exc.has_code(ERROR_NAME_EXISTS):
                raise api_failure(exc, "create %s under parent %s" % (self.label, parent_id))
            error = exc
        # The name is taken: the search index had not caught up with an earlier run (or someone else's create).
        try:
            tenant = resolve_created_tenant(self.client, parent_id, p["name"])
        except AcronisError as exc:
            raise api_failure(exc, "look up %s after a name conflict" % self.label)
        if tenant is None:
            raise AcronisFailure(
                "Cannot create %s under parent %s: the service says the name is taken (%s), but no tenant "
                "of that name is visible under that parent to this API client. The name belongs to a tenant "
                "this module cannot see or manage; choose another name" % (self.label, parent_id, error),
                error=error.to_dict())
        return tenant, False

    def delete(self, tenant):
        """Disable, then delete with the current version, the tenant (and its subtree, deepest first)."""
        if self.params["remove_subtree"]:
            try:
                victims = list_subtree(self.client, tenant["id"])
            except AcronisError as exc:
                raise api_failure(exc, "list the subtree of %s" % self.label)
            victims.sort(key=lambda t: -t["depth"])
        else:
            victims = [tenant]
        for victim in victims:
            self.check_lock(victim)
        removed = [t["id"] for t in victims]
        if self.module.check_mode:
            return removed
        for victim in victims:
            self.delete_one(victim)
        return removed

    def delete_one(self, victim):
        label = "tenant %r (%s)" % (victim.get("name"), victim["id"])
        try:
            current = victim
            if current.get("update_lock", {}).get("enabled") and self.params["update_lock"] is False:
                current = self.put(current, {"update_lock": {"enabled": False}})
            if current.get("enabled"):
                current = self.put(current, {"enabled": False})
            try:
                delete_tenant(self.client, current["id"], current["version"])
            except AcronisError as exc:
                if getattr(exc, "status", None) != 409:
                    raise
                fresh = get_tenant(self.client, current["id"])
                if fresh is not None:
                    delete_tenant(self.client, fresh["id"], fresh["version"])
        except AcronisError as exc:
            raise api_failure(exc, "delete %s" % label)

    # ------------------------------------------------------------ the outcomes

    def result(self, changed, tenant, diff, **extra):
        """The task's result; ``diff`` only in diff mode."""
        result = dict(changed=changed, tenant=tenant, **extra)
        if self.module._diff:
            result["diff"] = diff
        return result

    def predict_under_placeholder(self):
        """Check mode, for a tenant (or a parent) that an earlier check-mode task would have created."""
        p = self.params
        if p["state"] == "absent":
            return dict(changed=False, tenant={}, removed=[], created=False)
        if p["kind"] is None and not p["id"]:
            raise AcronisFailure("kind is required to create %s" % self.label)
        tenant = predicted_new_tenant(p, p["parent_id"])
        if p["id"]:
            tenant["id"] = p["id"]
        return self.result(True, tenant, make_diff(None, tenant), created=not p["id"])

    def ensure_absent(self, current):
        """Delete the tenant (and its subtree with remove_subtree) when it exists."""
        if current is None:
            return dict(changed=False, tenant={}, removed=[], created=False)
        if current.get("has_children") and not self.params["remove_subtree"]:
            raise AcronisFailure("Tenant %r (%s) has child tenants; set remove_subtree=true to delete it with its "
                                 "whole subtree" % (current["name"], current["id"]))
        removed = self.delete(current)
        before = dict((k, current.get(k)) for k in ("id", "name", "kind", "parent_id"))
        return self.result(True, {}, make_diff(before, None), removed=removed, created=False)

    def ensure_created(self, parent_id):
        """Create the tenant under ``parent_id`` (predict it in check mode), then apply what POST cannot set."""
        p = self.params
        if p["kind"] is None:
            raise AcronisFailure("kind is required to create %s under parent %s" % (self.label, parent_id))
        if self.module.check_mode:
            tenant = predicted_new_tenant(p, parent_id)
            return self.result(True, tenant, make_diff(None, tenant), created=True)
        current, created = self.create(parent_id)
        changes, extras = self.plan(current, addressed_by_id=False, just_created=created)
        tenant = self.apply(current, dict(changes), extras) if (changes or extras) else current
        if created:
            diff = make_diff(None, merge(predicted_new_tenant(p, parent_id), {"id": tenant["id"]}))
        else:
            diff = make_diff(current, merge(changes, extras))
        # ``created`` tells later tasks that the tenant is new (no items, no users): only when the service said so.
        return self.result(created or bool(changes or extras), tenant, diff, created=self.posted)

    def ensure_updated(self, current):
        """Bring an existing tenant to the desired state."""
        changes, extras = self.plan(current, addressed_by_id=bool(self.params["id"]))
        if not changes and not extras:
            return dict(changed=False, tenant=current, created=False)
        all_changes = merge(changes, extras)
        # The diff is taken before apply(), which updates the tenant it is given in place.
        diff = make_diff(current, all_changes)
        if self.module.check_mode:
            tenant = merge(current, all_changes)
        else:
            tenant = self.apply(current, dict(changes), extras)
        return self.result(True, tenant, diff, created=False)


def predicted_new_tenant(params, parent_id):
    """The tenant a check-mode run would create, with a placeholder id."""
    tenant = {
        "id": placeholder_id("tenant", "%s/%s" % (parent_id, params["name"])),
        "name": params["name"], "kind": params["kind"], "parent_id": parent_id,
        "enabled": True if params["enabled"] is None else params["enabled"],
    }
    for key in ("customer_id", "internal_tag", "language", "ancestral_access"):
        if params[key] is not None:
            tenant[key] = params[key]
    if params["contact"] is not None:
        tenant["contact"] = dict((k, v) for k, v in params["contact"].items() if v is not None)
    if params["update_lock"] is not None:
        tenant["update_lock"] = {"enabled": params["update_lock"]}
    if params["pricing_mode"] is not None:
        tenant["pricing_mode"] = params["pricing_mode"]
    if params["mfa_enabled"] is not None:
        tenant["mfa_status"] = "enabled" if params["mfa_enabled"] else "disabled"
    return tenant
