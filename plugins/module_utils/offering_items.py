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


def put_items(client, tenant_id, items, check_usage=False):
    """One PUT with the items that change; returns the items the API reports."""
    body = {"offering_items": items}
    if check_usage:
        body["check_usage"] = True
    reply = client.put("/tenants/{tenant_id}/offering_items", json=body, tenant_id=tenant_id) or {}
    return reply.get("items") or []


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
