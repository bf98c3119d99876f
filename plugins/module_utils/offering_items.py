# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Offering items and editions: the API operations and the rules shared by
``acronis_offering_items`` and ``acronis_offering_items_info``.

An offering item is identified by its application, its name and, for items
bound to an infrastructure (storage, disaster recovery), its infra id. Reads
always ask for every edition (``edition=*``) and filter here, so that one
request answers every question a task has (which editions exist, which item
is meant, what would be left after a purge).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisFailure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants

ALL_EDITIONS = "*"


def item_key(item):
    """Identity of an offering item: (application_id, name, infra_id or '')."""
    return (item.get("application_id"), item.get("name"), item.get("infra_id") or "")


def item_label(item):
    """How a person names an item in a message: name, with its infra for infra-bound items."""
    if item.get("infra_id"):
        return "%s (infra %s)" % (item.get("name"), item["infra_id"])
    return str(item.get("name"))


def in_edition(item, edition):
    """The API's own edition filter: items without an edition belong to every edition."""
    return edition in (None, ALL_EDITIONS) or item.get("edition") in (None, edition)


def tenant_items(client, tenant_id):
    """Every offering item of a tenant, enabled or not, in every edition."""
    return tenants.get_offering_items(client, tenant_id, edition=ALL_EDITIONS)


def available_for_child(client, parent_id, kind):
    """What a parent may give a child of this kind, in every edition."""
    body = client.get("/tenants/{tenant_id}/offering_items/available_for_child",
                      params={"kind": kind, "edition": ALL_EDITIONS}, tenant_id=parent_id) or {}
    return body.get("items") or []


def put_items(client, tenant_id, items, check_usage=False, asked=None):
    """One PUT with the items that change; returns the items the API reports.

    An outdated quota version (another writer set the quotas, or our own attempt whose answer was lost did)
    is resolved by reading the items again (``AcronisClient.settle``): when each already has the status and
    quota sent, nothing more is sent; otherwise the entries are sent again on the fresh versions, with the
    quota keys the task names (``asked``: {item_key: quota}) and the others as the fresh read has them.
    """
    def write(fresh):
        body = {"offering_items": items if fresh is None else rebased_entries(items, fresh, asked)}
        if check_usage:
            body["check_usage"] = True
        return (client.put("/tenants/{tenant_id}/offering_items", json=body, tenant_id=tenant_id) or {}).get("items") or []

    return client.settle("set the offering items %s of tenant %s" % (", ".join(item_label(i) for i in items), tenant_id),
                         write, lambda: tenant_items(client, tenant_id),
                         lambda fresh: items_already_set(fresh, rebased_entries(items, fresh, asked)) is not None)[0]


def rebased_entries(entries, fresh, asked=None):
    """The PUT entries again, on the items just read: their quota versions, and the quota keys the task
    does not name (``asked``; None: every key sent) as they are now."""
    by_key = dict((item_key(i), i) for i in fresh)
    again = []
    for entry in entries:
        entry = dict(entry)
        if entry.get("quota") is not None:
            have = (by_key.get(item_key(entry)) or {}).get("quota") or {}
            named = (asked or {}).get(item_key(entry)) if asked is not None else entry["quota"]
            quota = {"value": have.get("value"), "overage": have.get("overage")}
            quota.update(dict((k, v) for k, v in entry["quota"].items() if k in (named or {})))
            quota["version"] = int(have.get("version") or 0)
            entry["quota"] = quota
        again.append(entry)
    return again


def items_already_set(current, entries):
    """The current items of ``entries`` when each already has the status and quota it sends, else None."""
    by_key = dict((item_key(i), i) for i in current)
    found = []
    for entry in entries:
        have = by_key.get(item_key(entry))
        if have is None or int(have.get("status") or 0) != int(entry.get("status") or 0):
            return None
        quota = entry.get("quota")
        if quota is not None:
            have_quota = have.get("quota") or {}
            if any(have_quota.get(k) != quota.get(k) for k in ("value", "overage")):
                return None
        found.append(have)
    return found


def tenant_usages(client, tenant_id, usage_names):
    """Current usage values of a tenant, keyed like offering items."""
    params = {"usage_names": ",".join(sorted(set(usage_names)))} if usage_names else None
    body = client.get("/tenants/{tenant_id}/usages", params=params, tenant_id=tenant_id) or {}
    return body.get("items") or []


def check_edition_switch(client, tenant_id, target_edition, application_id):
    """The service's own dry run of an edition switch: its warnings, or an AcronisAPIError."""
    body = client.get("/tenants/{tenant_id}/edition",
                      params={"target_edition": target_edition, "application_id": application_id},
                      tenant_id=tenant_id) or {}
    return body.get("warnings") or []


def switch_edition(client, tenant_id, target_edition, application_id):
    """Switch the edition of one application; returns the items the API reports."""
    reply = client.put("/tenants/{tenant_id}/edition",
                       json={"target_edition": target_edition, "application_id": application_id},
                       tenant_id=tenant_id) or {}
    return reply.get("items") or []


def editions_of(items):
    """The sorted edition names that occur in a list of items."""
    return sorted(set(i["edition"] for i in items if i.get("edition")))


def one_storage_per_type(items, keep=None):
    """The seeds' rule for customers: one infrastructure per infra-bound usage.

    A customer may have each infra-bound usage (storage, disaster recovery) on
    one infrastructure only. For every (application, usage) offered on several
    infrastructures, the one in ``keep`` (what the task asks for, or what the
    tenant already uses) wins; otherwise the first one the parent lists.
    """
    keep = keep or {}
    chosen = {}
    for item in items:
        if item.get("infra_id"):
            group = usage_group(item)
            chosen.setdefault(group, keep.get(group, item["infra_id"]))
    return [i for i in items if not i.get("infra_id") or chosen[usage_group(i)] == i["infra_id"]]


def usage_group(item):
    """(application_id, usage_name): the "type" of an infra-bound item."""
    return (item.get("application_id"), item.get("usage_name"))


def find_items(candidates, spec, edition):
    """The items of ``candidates`` a task's item entry means.

    ``spec`` has ``name`` or ``usage_name`` (and ``infra_id``, ``application_id``).
    """
    found = []
    for item in candidates:
        if not in_edition(item, edition):
            continue
        if spec.get("name") is not None and item.get("name") != spec["name"]:
            continue
        if spec.get("usage_name") is not None and item.get("usage_name") != spec["usage_name"]:
            continue
        if spec.get("infra_id") is not None and (item.get("infra_id") or "") != spec["infra_id"]:
            continue
        if spec.get("application_id") is not None and item.get("application_id") != spec["application_id"]:
            continue
        found.append(item)
    return found


def state_of(item):
    """What the module manages of an item: status and quota value and overage."""
    if item is None:
        return {"status": 0}
    quota = item.get("quota") or {}
    state = {"status": int(item.get("status") or 0)}
    if state["status"] == 1:
        state["quota"] = {"value": quota.get("value"), "overage": quota.get("overage")}
    return state


def spec_label(spec):
    name = spec.get("name") or spec.get("usage_name")
    return "'%s'" % name + (" (infra %s)" % spec["infra_id"] if spec.get("infra_id") else "")


def wanted_quota(spec):
    """The quota keys a task entry sets: {'value': n|None, 'overage': n} (missing keys are left alone)."""
    quota = spec.get("quota") or {}
    wanted = {}
    if quota.get("unlimited"):
        wanted["value"] = None
    elif quota.get("value") is not None:
        wanted["value"] = quota["value"]
    if quota.get("overage") is not None:
        wanted["overage"] = quota["overage"]
    return wanted


def plan_changes(wanted, disable, current_by_key):
    """[(key, base item, new state, put entry)] for the items whose state differs."""
    plan = []
    for key, (item, quota) in wanted.items():
        have = current_by_key.get(key)
        before = state_of(have)
        have_quota = (have or {}).get("quota") or {}
        after = {"status": 1, "quota": {"value": have_quota.get("value"), "overage": have_quota.get("overage")}}
        after["quota"].update(quota)
        quota_changes = before["status"] == 1 and any(before["quota"].get(k) != v for k, v in quota.items())
        if before["status"] == 1 and not quota_changes:
            continue
        entry = {"application_id": item["application_id"], "name": item["name"], "status": 1}
        if item.get("infra_id"):
            entry["infra_id"] = item["infra_id"]
        if quota:
            entry["quota"] = dict(after["quota"], version=int(have_quota.get("version") or 0))
        plan.append((key, have or item, before, after, entry))
    for key in disable:
        have = current_by_key.get(key)
        if state_of(have)["status"] != 1:
            continue
        entry = {"application_id": have["application_id"], "name": have["name"], "status": 0}
        if have.get("infra_id"):
            entry["infra_id"] = have["infra_id"]
        plan.append((key, have, state_of(have), {"status": 0}, entry))
    return plan


def hard_limit(quota):
    """What the service enforces: quota value plus overage (None when unlimited)."""
    if quota.get("value") is None:
        return None
    return quota["value"] + (quota.get("overage") or 0)


def check_quotas(client, tenant_id, parent_id, plan):
    """Quotas above the parent's or below the tenant's usage fail here, before any write.

    Reads the parent's items only when the task sets a quota value, and the
    tenant's usages only when it lowers one. Returns True when a quota is lowered.
    """
    limited = [(key, base, before, after) for key, base, before, after, entry in plan
               if "quota" in entry and after["quota"]["value"] is not None]
    lowered = [(key, base, after) for key, base, before, after in limited
               if before["status"] != 1 or hard_limit(before["quota"]) is None
               or hard_limit(after["quota"]) < hard_limit(before["quota"])]
    set_value = [(key, base, after) for key, base, before, after, entry in plan
                 if "quota" in entry and after["status"] == 1]
    with failing_to("check the quotas of tenant %s against its parent and its usage" % tenant_id):
        if set_value and not is_placeholder_id(parent_id):
            try:
                parent_items = dict((item_key(i), i) for i in tenant_items(client, parent_id))
            except AcronisAPIError as exc:
                if exc.status != 403:
                    raise
                parent_items = {}   # the parent is above the API client: the service will judge
            for key, base, after in set_value:
                parent = parent_items.get(key)
                limit = ((parent or {}).get("quota") or {}).get("value")
                if limit is not None and (after["quota"]["value"] is None or after["quota"]["value"] > limit):
                    raise AcronisFailure("the quota of offering item %s (%s) is above the quota of the parent "
                                         "tenant %s (%s)" % (item_label(base), after["quota"]["value"]
                                                             if after["quota"]["value"] is not None
                                                             else "unlimited", parent_id, limit))
        if lowered and tenant_id is not None:
            usages = tenant_usages(client, tenant_id, [base.get("usage_name") for key, base, after in lowered])
            used = dict((item_key(u), u.get("value")) for u in usages)
            for key, base, after in lowered:
                value = used.get(key)
                if value is not None and float(value) > hard_limit(after["quota"]):
                    raise AcronisFailure("the quota of offering item %s (value %s, overage %s) is below the "
                                         "tenant's current usage (%s)" % (item_label(base), after["quota"]["value"],
                                                                          after["quota"]["overage"] or 0, value))
    return bool(lowered)


def apply_plan(current, plan, edition, reply_items):
    """The tenant's items in the edition after the task: the reply where there is one, the plan otherwise."""
    result = dict((item_key(i), dict(i)) for i in current)
    for key, base, before, after, entry in plan:
        item = dict(result.get(key) or base)
        item["status"] = after["status"]
        if after["status"] == 1:
            version = int(((item.get("quota") or {}).get("version")) or 0)
            item["quota"] = dict(after["quota"], version=version + (1 if "quota" in entry else 0))
        else:
            item.pop("quota", None)
        result[key] = item
    for item in reply_items:
        result[item_key(item)] = item
    return [i for i in result.values() if in_edition(i, edition)]
