"""Offering items, their prices and editions: GET/PUT /tenants/{id}/offering_items, GET /tenants/offering_items
(a subtree's items, batched), available_for_child, GET/PUT /tenants/{id}/offering_items/pricing, GET/PUT edition."""

import datetime
import re
import time

from flask import Blueprint, jsonify, request

from .. import catalog, errors
from ..auth import principal, visible_tenant, writable_tenant
from ..context import world
from ..errors import ApiError, bad_request
from ..helpers import as_int, decode_cursor, json_body, now_iso, page, query_bool, query_int
from .tenants import CREATABLE_KINDS, check_lock
from .usages import check_quota
from .views import offering_item_view

bp = Blueprint("offering_items", __name__, url_prefix="/api/2")

_INFRA_NAMES = {(item["application_id"], item["name"]) for item in catalog.CATALOG.values() if item["infra_id"]}


def _is_root(record):
    return record["parent_id"] == record["id"]


def enabled(record, key):
    """True when the tenant has this offering item switched on."""
    state = record["_items"].get(key)
    return state is not None and state["status"] == 1


def candidate_keys(state, record):
    """Items a tenant can have: those enabled in its parent (every item of the world's catalog for the real root)."""
    if _is_root(record):
        return list(state.catalog.items)
    parent = state.tenants[record["parent_id"]]
    keys = {key for key in parent["_items"] if enabled(parent, key)}
    keys.update(record["_items"])
    return [key for key in state.catalog.items if key in keys]


def _edition_matches(key, edition):
    item_edition = catalog.CATALOG[key]["edition"]
    return edition == "*" or item_edition is None or item_edition == edition


def _check_edition(edition):
    if edition != "*" and edition not in catalog.EDITIONS:
        raise bad_request("Unknown edition '%s'." % edition, context={"edition": edition})


@bp.route("/tenants/<tenant_id>/offering_items", methods=["GET"])
def list_offering_items(tenant_id):
    """A tenant's offering items of an edition (default standard, '*' for all), enabled or not."""
    state = world()
    edition = request.args.get("edition") or "standard"
    _check_edition(edition)
    status = request.args.get("status")
    item_type = request.args.get("type")
    usage_names = [u for u in request.args.get("usage_names", "").split(",") if u]
    infra_uuid = request.args.get("infra_uuid")
    with state.lock:
        record = visible_tenant(tenant_id)
        items = []
        for key in candidate_keys(state, record):
            if not _edition_matches(key, edition):
                continue
            view = offering_item_view(record, key)
            if status not in (None, "") and view["status"] != as_int(status, "status"):
                continue
            if item_type and view["type"] != item_type:
                continue
            if usage_names and view["usage_name"] not in usage_names:
                continue
            if infra_uuid and view.get("infra_id") != infra_uuid:
                continue
            items.append(view)
        return jsonify({"items": items, "timestamp": now_iso()})


# ------------------------------------------------------------------ a subtree's items (FetchTenantOfferingItemsBatch)

BATCH_LIMIT = 5000      # the specification's default page size
_BATCH_FILTERS = ("subtree_root_tenant_id", "usage_names", "editions", "offering_items", "updated_since",
                  "allow_deleted")


def _csv(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _since(value):
    """updated_since as a datetime (RFC 3339; 400 otherwise)."""
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise bad_request("updated_since must be an RFC 3339 timestamp.") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _levels(state, root_id):
    """[(depth, tenant record)] of a live subtree, level by level (the specification: sorted by tenant level)."""
    result, current, depth = [], [root_id], 0
    while current:
        result.extend((depth, state.tenants[tenant_id]) for tenant_id in current)
        current = [child for tenant_id in current for child in state.visible_children(tenant_id)]
        depth += 1
    return result


@bp.route("/tenants/offering_items", methods=["GET"])
def offering_items_batch():
    """The offering items of every tenant of a subtree, level by level, with cursor paging.

    Filters: usage_names, editions (an item without edition matches any), offering_items (names),
    updated_since (items changed after it). allow_deleted is accepted: the simulator never deletes an
    offering item (it switches it off), and deleted tenants have left the subtree, so it changes nothing.
    The specification requires subtree_root_tenant_id on every request, continuations included; the
    filters a cursor carries win over those sent with it.
    """
    state = world()
    args = request.args
    after_key = None
    if args.get("after"):
        cursor = decode_cursor(args["after"])
        filters, after_key = cursor.get("f", {}), cursor.get("k")
        limit = query_int("limit", cursor.get("l", BATCH_LIMIT), minimum=1)
    else:
        filters = {key: args[key] for key in _BATCH_FILTERS if args.get(key) not in (None, "")}
        limit = query_int("limit", BATCH_LIMIT, minimum=1)
        query_bool("allow_deleted")
    usage_names, editions, names = (_csv(filters.get(key)) for key in ("usage_names", "editions", "offering_items"))
    since = _since(filters["updated_since"]) if filters.get("updated_since") else None
    with state.lock:
        visible_tenant(filters.get("subtree_root_tenant_id", ""))
        rows = []
        for depth, record in _levels(state, filters["subtree_root_tenant_id"]):
            if since is not None and datetime.datetime.fromisoformat(record["updated_at"]) <= since:
                continue
            for index, key in enumerate(state.catalog.items):
                if key not in record["_items"]:
                    continue
                item = catalog.CATALOG[key]
                if usage_names and item["usage_name"] not in usage_names:
                    continue
                if editions and item["edition"] is not None and item["edition"] not in editions:
                    continue
                if names and item["name"] not in names:
                    continue
                view = offering_item_view(record, key)
                view["deleted_at"] = None
                rows.append(([depth, record["_seq"], index], view))
        chunk, paging = page(rows, lambda row: row[0], limit, filters, after_key)
        return jsonify({"items": [view for _key, view in chunk], "paging": paging, "timestamp": now_iso()})


# ------------------------------------------------------------------ prices (FetchTenantOfferingItemsPrices)

_PRICE = re.compile(r"^\d+(\.\d+)?$")


def _prices(record):
    """{item key: {"price", "version"}} (absent from records older than prices)."""
    return record.setdefault("_prices", {})


def _price_items(state, record):
    items = []
    for key in state.catalog.items:
        price = _prices(record).get(key)
        if price is None:
            continue
        item = catalog.CATALOG[key]
        view = {"application_id": item["application_id"], "name": item["name"], "price": price["price"],
                "version": price["version"]}
        if item["infra_id"]:
            view["infra_id"] = item["infra_id"]
        items.append(view)
    return items


@bp.route("/tenants/<tenant_id>/offering_items/pricing", methods=["GET"])
def get_offering_item_prices(tenant_id):
    """The prices set for the tenant's offering items, in catalog order (none until some are set)."""
    state = world()
    with state.lock:
        record = visible_tenant(tenant_id)
        return jsonify({"items": _price_items(state, record)})


@bp.route("/tenants/<tenant_id>/offering_items/pricing", methods=["PUT"])
def put_offering_item_prices(tenant_id):
    """Set prices of some offering items (a partial list; the others keep theirs); answers every price.

    An item is named as PUT offering_items names it (application_id, name, infra_id for infra items) and
    must be one the tenant can have (enabled in its parent); a price is a non-negative decimal string
    ("0.05"). Each price changed gets a new version (milliseconds, as the specification's example). The
    version sent is not compared: the operation documents no conflict.
    """
    body = json_body()
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        allowed = set(candidate_keys(state, record))
        changes = {}
        for item in body.get("items") or []:
            key = _item_key(state, item)
            if key not in allowed:
                raise bad_request("Offering item '%s' is not available to this tenant." % item.get("name"),
                                  code=errors.ERROR_OFFERING_ITEM_NOT_AVAILABLE, context={"name": item.get("name")})
            if not isinstance(item.get("price"), str) or not _PRICE.match(item["price"]):
                raise bad_request("The price of '%s' must be a non-negative decimal string such as \"0.05\"."
                                  % item.get("name"), context={"name": item.get("name")})
            changes[key] = item["price"]
        prices = _prices(record)
        for key, price in changes.items():
            old = prices.get(key)
            if old is None or old["price"] != price:
                version = max(int(time.time() * 1000), (old or {"version": 0})["version"] + 1)
                prices[key] = {"price": price, "version": version}
        return jsonify({"items": _price_items(state, record)})


@bp.route("/tenants/<tenant_id>/offering_items/available_for_child", methods=["GET"])
def available_for_child(tenant_id):
    """The items a child of this kind may get: those enabled here, of the edition."""
    state = world()
    edition = request.args.get("edition") or "standard"
    _check_edition(edition)
    kind = request.args.get("kind")
    if kind is not None and kind not in CREATABLE_KINDS:
        raise bad_request("Unknown tenant kind '%s'." % kind)
    with state.lock:
        record = visible_tenant(tenant_id)
        items = []
        for key in state.catalog.items:
            if enabled(record, key) and _edition_matches(key, edition):
                view = offering_item_view(record, key, status=1)
                view["quota"] = {"value": None, "overage": None, "version": 0}
                items.append(view)
        return jsonify({"items": items, "timestamp": now_iso()})


def _item_key(state, item):
    if not isinstance(item, dict):
        raise bad_request("Each offering item must be an object.")
    app, name, infra_id = item.get("application_id"), item.get("name"), item.get("infra_id")
    if (app, name) not in state.catalog.names:
        raise bad_request("Offering item '%s' does not exist." % name, code=errors.ERROR_OFFERING_ITEM_NOT_AVAILABLE,
                          context={"name": name, "application_id": app})
    if (app, name) in _INFRA_NAMES and not infra_id:
        raise bad_request("Offering item '%s' needs its infra_id." % name, context={"name": name})
    key = catalog.item_key(app, name, infra_id if (app, name) in _INFRA_NAMES else None)
    if key not in state.catalog.items:
        raise bad_request("Offering item '%s' does not exist for infra %s." % (name, infra_id),
                          code=errors.ERROR_OFFERING_ITEM_NOT_AVAILABLE, context={"name": name, "infra_id": infra_id})
    return key


def _quota(item, current, name):
    """The new quota of an item; its version must match the current one."""
    sent = item.get("quota")
    if sent is None:
        return current
    if not isinstance(sent, dict):
        raise bad_request("quota must be an object.")
    version = as_int(sent.get("version", 0), "quota.version")
    if version != current["version"]:
        raise ApiError(409, "The version is outdated.", code=errors.ERROR_VERSION_MISMATCH,
                       info="The quota of offering item '%s' has version %s." % (name, current["version"]),
                       context={"name": name})
    new = {"value": sent.get("value"), "overage": sent.get("overage")}
    for field in ("value", "overage"):
        if new[field] is not None:
            new[field] = as_int(new[field], "quota." + field)
            if new[field] < 0:
                raise bad_request("quota.%s must not be negative." % field)
    if new["value"] == current["value"] and new["overage"] == current["overage"]:
        return current
    return {"value": new["value"], "overage": new["overage"], "version": current["version"] + 1}


@bp.route("/tenants/<tenant_id>/offering_items", methods=["PUT"])
def put_offering_items(tenant_id):
    """Enable, disable or set quotas of some items (partial list); the tenant's version does not change."""
    body = json_body()
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        if record["id"] == principal().scope_root or _is_root(record):
            raise errors.forbidden("A tenant's own offering items are set by its parent.")
        if record["_hidden"] and record["owner_id"]:
            raise bad_request("Offering items cannot be set on a personal tenant.", code=errors.ERROR_BUSINESS_RULES)
        items = body.get("offering_items")
        if not isinstance(items, list):
            raise bad_request("Field 'offering_items' must be a list.")
        parent = state.tenants[record["parent_id"]]
        new_states = dict(record["_items"])
        touched = []
        for item in items:
            key = _item_key(state, item)
            name = catalog.CATALOG[key]["name"]
            status = as_int(item.get("status", 1), "status")
            if status not in (0, 1):
                raise bad_request("status must be 0 or 1.")
            old = new_states.get(key) or {"status": 0, "quota": None, "locked": False}
            if status == 1 and not enabled(parent, key):
                raise bad_request("Offering item '%s' is not enabled for the parent tenant." % name,
                                  code=errors.ERROR_OFFERING_ITEM_NOT_AVAILABLE, context={"name": name})
            current_quota = old.get("quota") or {"value": None, "overage": None, "version": 0}
            quota = _quota(item, current_quota, name) if status == 1 else None
            if quota is not None and quota is not current_quota:
                check_quota(state, record["id"], key, quota)
            new_states[key] = {"status": status, "quota": quota, "locked": old.get("locked", False)}
            touched.append(key)
        if record["kind"] == "customer":
            _one_storage_per_type(new_states)
        record["_items"] = new_states
        _after_items_change(state, record)
        return jsonify({"items": [offering_item_view(record, key) for key in dict.fromkeys(touched)],
                        "timestamp": now_iso()})


def _one_storage_per_type(states):
    seen = {}
    for key, item_state in states.items():
        item = catalog.CATALOG[key]
        if item["type"] != "infra" or item_state["status"] != 1:
            continue
        group = (item["application_id"], item["usage_name"])
        if seen.setdefault(group, item["infra_id"]) != item["infra_id"]:
            raise bad_request("A customer can use only one storage of each type ('%s')." % item["usage_name"],
                              code=errors.ERROR_BUSINESS_RULES, context={"usage_name": item["usage_name"]})


def _after_items_change(state, record):
    """Bind applications with enabled items; what the tenant loses, its subtree loses too."""
    for key in record["_items"]:
        if enabled(record, key):
            app = catalog.CATALOG[key]["application_id"]
            if app not in record["_apps"]:
                record["_apps"].append(app)
    for tenant_id in state.subtree(record["id"], include_hidden=True)[1:]:
        child = state.tenants[tenant_id]
        parent = state.tenants[child["parent_id"]]
        if child["_hidden"] and child["owner_id"]:
            child["_items"] = {k: dict(v) for k, v in parent["_items"].items()}
            continue
        for key, item_state in child["_items"].items():
            if item_state["status"] == 1 and not enabled(parent, key):
                child["_items"][key] = {"status": 0, "quota": None, "locked": item_state.get("locked", False)}


# ------------------------------------------------------------------ editions


def _edition_plan(state, record, target, application_id):
    """[(old key, new key or None, warning or None)] for switching a tenant's enabled items."""
    plan = []
    parent = None if _is_root(record) else state.tenants[record["parent_id"]]
    for key in list(record["_items"]):
        item = catalog.CATALOG[key]
        if not enabled(record, key) or item["application_id"] != application_id or item["edition"] in (None, target):
            continue
        new_key = catalog.item_key(application_id, catalog.EDITIONS[target] + item["usage_name"], item["infra_id"])
        warning = None
        if new_key not in state.catalog.items:
            warning = "Offering item '%s' has no equivalent in edition '%s' and will be disabled." % (
                item["name"], target)
            new_key = None
        elif parent is not None and not enabled(parent, new_key):
            warning = "Offering item '%s' of edition '%s' is not available from the parent and will not be " \
                      "enabled." % (catalog.CATALOG[new_key]["name"], target)
            new_key = None
        plan.append((key, new_key, warning))
    return plan


def _check_switch_args(target, application_id):
    if target not in catalog.EDITIONS:
        raise bad_request("Unknown edition '%s'." % target, context={"target_edition": target})
    if application_id != catalog.CYBER_PROTECTION:
        raise bad_request("Application %s has no editions." % application_id,
                          context={"application_id": application_id})


@bp.route("/tenants/<tenant_id>/edition", methods=["GET"])
def check_edition_switch(tenant_id):
    """Dry run of an edition switch: the warnings it would raise."""
    target = request.args.get("target_edition", "")
    application_id = request.args.get("application_id", "")
    _check_switch_args(target, application_id)
    state = world()
    with state.lock:
        record = visible_tenant(tenant_id)
        warnings = [warning for _old, _new, warning in _edition_plan(state, record, target, application_id) if warning]
        return jsonify({"warnings": warnings})


@bp.route("/tenants/<tenant_id>/edition", methods=["PUT"])
def switch_edition(tenant_id):
    """Move a tenant's enabled items (and its subtree's) to the target edition's equivalents."""
    body = json_body()
    target = body.get("target_edition", "")
    application_id = body.get("application_id", "")
    _check_switch_args(target, application_id)
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        if record["id"] == principal().scope_root:
            raise errors.forbidden("A tenant's own edition is set by its parent.")
        for current_id in state.subtree(tenant_id, include_hidden=True):
            current = state.tenants[current_id]
            for old_key, new_key, _warning in _edition_plan(state, current, target, application_id):
                old_state = current["_items"][old_key]
                current["_items"][old_key] = {"status": 0, "quota": None, "locked": old_state.get("locked", False)}
                if new_key is not None:
                    quota = dict(old_state.get("quota") or {"value": None, "overage": None, "version": 0})
                    current["_items"][new_key] = {"status": 1, "quota": quota, "locked": False}
        _after_items_change(state, record)
        items = [offering_item_view(record, key) for key in candidate_keys(state, record)
                 if _edition_matches(key, target) and catalog.CATALOG[key]["application_id"] == application_id]
        return jsonify({"items": items, "timestamp": now_iso()})
