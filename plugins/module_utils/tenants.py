# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Named tenant operations, shared by the tenant modules, the user and offering-item
modules and the onboarding roles.

Every function takes an ``AcronisClient`` first and returns parsed API objects.
"Not found" is an ordinary answer (``None``), never an exception; every other
failure is an ``AcronisError`` for the caller to turn into a failure (``failing_to``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime
import time

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import compare
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError, AcronisFailure


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
ERROR_TENANT_NAME_CONFLICT = 1004
ERROR_VERSION_MISMATCH = 1001     # errors.ERROR_VERSION_MISMATCH
ERROR_TENANT_LOCKED = 1012

SEARCH_LIMIT = 100
USERS_BATCH = 100


# ------------------------------------------------------------------- reading

def get_tenant(client, tenant_id):
    """The tenant with this id, or None when the service answers 404 (unknown or deleted)."""
    return client.get_or_none("/tenants/{tenant_id}", tenant_id=tenant_id)


def is_strictly_below(client, tenant, root_id):
    """Whether ``tenant`` (as read) lies strictly below the tenant ``root_id``: its parent chain reaches ``root_id``.

    The chain is read up one parent at a time and stops at ``root_id``; a parent that cannot be read (404, 403:
    outside what this API client sees) ends it, and the tenant is then not below ``root_id``.
    """
    seen = set()
    current = tenant
    while current is not None:
        parent_id = current.get("parent_id")
        if not parent_id or parent_id in seen or current.get("id") == root_id:
            return False
        if parent_id == root_id:
            return True
        seen.add(parent_id)
        try:
            current = get_tenant(client, parent_id)
        except AcronisError as exc:
            if getattr(exc, "status", None) in (401, 403):
                return False
            raise
    return False


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


def list_subtree(client, root_id, depth=None, include_root=True, lod="full", page_size=None,
                 with_offering_items=False):
    """The tenants of a subtree, parents before children, each with a ``depth`` key added.

    ``depth`` 1 means the children of ``root_id``; None means the whole subtree.
    One cursor-paged ``GET /tenants?subtree_root_id=`` serves any depth, ``page_size`` tenants a page
    (the service's default if None); ``with_offering_items`` puts every tenant's offering items (enabled or
    not, every edition) in its ``offering_items`` in the same requests.
    """
    levels = {root_id: 0}
    result = []
    pending = []
    params = {"subtree_root_id": root_id, "lod": lod}
    if page_size:
        params["limit"] = page_size
    if with_offering_items:
        params["with_offering_items"] = "true"
    for tenant in client.paginate("/tenants", params=params):
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
    # The task looked for the tenant through the search index, which shows a new tenant only after a while: a
    # tenant another writer created moments ago is met only as a name taken by the create, and then read.
    return client.create("/tenants", body, lambda: find_child_tenant(client, parent_id, name, authoritative=True),
                         what="created tenant '%s' under %s moments before this task's own create, too recently "
                              "for the search to show it" % (name, parent_id),
                         outcome="this task took that tenant instead of creating a second one")


def update_tenant(client, tenant_id, version, changes, rebase=None):
    """``PUT /tenants/{id}`` with the tenant's current ``version``; the updated tenant.

    An outdated version (another writer, or our own attempt whose answer was lost) is resolved by reading the
    tenant again (``AcronisClient.settle``): when it already holds ``changes``, nothing is sent; otherwise the
    changes are sent again with the fresh version, as ``rebase(fresh)`` gives them (default: ``changes``), so
    that a field the task does not name keeps what the other writer set.
    """
    def write(fresh):
        body = dict(changes if fresh is None or rebase is None else rebase(fresh))
        body["version"] = version if fresh is None else fresh["version"]
        return client.put("/tenants/{tenant_id}", json=body, tenant_id=tenant_id)

    return client.settle("updated tenant %s (%s)" % (tenant_id, ", ".join(sorted(changes))), write,
                         lambda: get_tenant(client, tenant_id), lambda fresh: not compare(changes, fresh))[0]


def set_pricing_mode(client, tenant_id, mode, pricing=None):
    """Switch a tenant's pricing mode (reads the pricing for its version unless given); the new pricing.

    An outdated version is resolved by reading the pricing again (``AcronisClient.settle``).
    """
    if pricing is None:
        pricing = get_pricing(client, tenant_id)

    def write(fresh):
        version = (fresh or pricing)["version"]
        return client.put("/tenants/{tenant_id}/pricing", json={"mode": mode, "version": version},
                          tenant_id=tenant_id)

    return client.settle("set the pricing mode of tenant %s to %s" % (tenant_id, mode), write,
                         lambda: get_pricing(client, tenant_id), lambda fresh: fresh.get("mode") == mode)[0]


def set_mfa(client, tenant_id, enabled, read_first=True):
    """``PUT /tenants/{id}/mfa/status``; the new MFA status object.

    The status has no version (the last writer wins) and the PUT's answer cannot tell who set it: with
    ``read_first`` (a tenant this task did not just create) it is read just before the write, and when another
    writer has already set it as asked, nothing is sent and that is noted as another writer's change.
    """
    status = get_mfa_status(client, tenant_id) if read_first else None
    if isinstance(status, dict) and (status.get("mfa_status") in MFA_ON) == bool(enabled):
        client.note_other_writer("set two-factor authentication of tenant %s to %s"
                                 % (tenant_id, "enabled" if enabled else "disabled"))
        return status
    return client.put("/tenants/{tenant_id}/mfa/status", json={"enabled": bool(enabled)}, tenant_id=tenant_id)


def delete_tenant(client, tenant_id, version):
    """``DELETE /tenants/{id}?version=``; False when it was already gone."""
    return client.delete("/tenants/{tenant_id}", params={"version": version}, missing_ok=True,
                         what="deleted tenant %s" % tenant_id, tenant_id=tenant_id)
