"""Tenants: POST/GET /tenants, GET/PUT/DELETE /tenants/{id}, children, users, pricing, MFA.

Agent registration tokens (/tenants/{id}/registration_tokens) are served by agents.py."""

import re
import time

from flask import Blueprint, jsonify, request

from .. import errors
from ..auth import principal, visible_tenant, writable_tenant
from ..context import world
from ..errors import ApiError, bad_request
from ..helpers import (as_bool, as_int, check_version, decode_cursor, is_uuid, json_body, now_iso, page,
                       query_bool, query_int)
from .views import pricing_view, tenant_batch_view, tenant_view
from . import runs

bp = Blueprint("tenants", __name__, url_prefix="/api/2")

CREATABLE_KINDS = ("partner", "folder", "customer", "unit")
CHILD_KINDS = {
    "root": ("partner", "folder", "customer"),
    "partner": ("partner", "folder", "customer"),
    "folder": ("partner", "folder", "customer"),
    "customer": ("unit",),
    "unit": ("unit",),
}
_SIMPLE_FIELDS = ("customer_type", "customer_id", "internal_tag", "language", "default_idp_id")
MAX_UUIDS = 100


def name_conflict(state, parent_id, name):
    """409/1004 with the body the Postman tutorial shows."""
    existing = state.tenants[state.child_by_name(parent_id, name)]
    return ApiError(409, "The tenant with this name already exists.", code=errors.ERROR_TENANT_NAME_CONFLICT,
                    addition=[{"existed_group_id": existing["_numeric_id"]}],
                    context={"existed_group_id": existing["_numeric_id"]})


def check_lock(record):
    """Locked tenants refuse changes from anyone but the lock owner's tenant (1012)."""
    lock = record["update_lock"]
    if lock["enabled"] and principal().tenant_id != lock["owner_id"]:
        raise errors.forbidden("The tenant is locked for updates.", code=errors.ERROR_TENANT_LOCKED,
                               context={"id": record["id"]})


def _check_kind_under(parent, kind):
    if kind not in CHILD_KINDS.get(parent["kind"], ()):
        raise bad_request("A tenant of kind '%s' cannot be created under a '%s'." % (kind, parent["kind"]),
                          code=errors.ERROR_BUSINESS_RULES)


# Acronis documents no limit for tenant names; the simulator enforces the collection's own rule
# (plugins/module_utils/validation.py name_problem): 1 to 255 characters, no control characters, no
# leading or trailing whitespace.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _name(value):
    if not isinstance(value, str) or not value.strip():
        raise bad_request("Field 'name' must be a non-empty string.")
    if len(value) > 255:
        raise bad_request("Field 'name' must have at most 255 characters.")
    if _CONTROL.search(value) or value != value.strip():
        raise bad_request("Field 'name' must not contain control characters nor start or end with whitespace.")
    return value


@bp.route("/tenants", methods=["POST"])
def create_tenant():
    """Create a tenant: 201. Customers start in trial, partners in production."""
    body = json_body()
    state = world()
    with state.lock:
        kind = body.get("kind")
        if kind not in CREATABLE_KINDS:
            raise bad_request("Field 'kind' must be one of %s." % ", ".join(CREATABLE_KINDS))
        name = _name(body.get("name"))
        parent_id = body.get("parent_id")
        if not is_uuid(parent_id):
            raise bad_request("Field 'parent_id' must be a tenant id.")
        parent = writable_tenant(parent_id)
        if parent["_hidden"] and parent["owner_id"]:
            raise bad_request("Tenants cannot be created under a personal tenant.", code=errors.ERROR_BUSINESS_RULES)
        if not parent["enabled"]:
            raise bad_request("The parent tenant is disabled.", code=errors.ERROR_PARENT_DISABLED,
                              context={"id": parent_id})
        _check_kind_under(parent, kind)
        if state.child_by_name(parent_id, name):
            raise name_conflict(state, parent_id, name)
        fields = {"name": name, "kind": kind, "parent_id": parent_id}
        for key in _SIMPLE_FIELDS + ("contact",):
            if body.get(key) is not None:
                fields[key] = body[key]
        if "enabled" in body:
            fields["enabled"] = as_bool(body["enabled"], "enabled")
        if "ancestral_access" in body:
            fields["ancestral_access"] = as_bool(body["ancestral_access"], "ancestral_access")
        settings = body.get("settings") or {}
        if "enhanced_security" in settings:
            fields["enhanced_security"] = as_bool(settings["enhanced_security"], "settings.enhanced_security")
        elif "enhanced_security" in body:
            fields["enhanced_security"] = as_bool(body["enhanced_security"], "enhanced_security")
        record = state.add_tenant(fields)
        if kind == "unit":
            record["pricing_mode"] = parent["pricing_mode"]
        lock = body.get("update_lock") or {}
        if lock.get("enabled") is not None and as_bool(lock["enabled"], "update_lock.enabled"):
            record["update_lock"] = {"enabled": True, "owner_id": principal().tenant_id}
        response = jsonify(tenant_view(state, record))
    response.status_code = 201
    return response


@bp.route("/tenants", methods=["GET"])
def list_tenants():
    """Tenants by uuids, parent_id or subtree_root_id, with cursor paging; 400 without a filter."""
    state = world()
    args = request.args
    limit = query_int("limit", 5000, minimum=1)
    filters = {key: args[key] for key in ("uuids", "parent_id", "subtree_root_id", "updated_since")
               if args.get(key)}
    for key in ("allow_deleted", "lod", "with_offering_items"):
        if args.get(key):
            filters[key] = args[key]
    after_key = None
    if args.get("after"):
        cursor = decode_cursor(args["after"])
        filters, after_key = cursor.get("f", {}), cursor.get("k")
        limit = query_int("limit", cursor.get("l", 5000), minimum=1)
    if not any(filters.get(key) for key in ("uuids", "parent_id", "subtree_root_id")):
        raise bad_request("One of uuids, parent_id, subtree_root_id or after is required.",
                          code="ParameterMalformed")
    lod = filters.get("lod", "full")
    if lod not in ("stamps", "basic", "full"):
        raise bad_request("lod must be stamps, basic or full.")
    allow_deleted = as_bool(filters.get("allow_deleted", False), "allow_deleted")
    with_items = as_bool(filters.get("with_offering_items", False), "with_offering_items")
    with state.lock:
        records = _select_tenants(state, filters, allow_deleted)
        if filters.get("updated_since"):
            records = [r for r in records if r["updated_at"] >= filters["updated_since"]]
        chunk, paging = page(records, lambda r: r["_seq"], limit, filters, after_key)
        items = [tenant_batch_view(state, r, lod, with_items) for r in chunk]
    return jsonify({"items": items, "timestamp": now_iso(), "paging": paging})


def _select_tenants(state, filters, allow_deleted):
    if filters.get("uuids"):
        wanted = filters["uuids"].split(",")
        if len(wanted) > MAX_UUIDS:
            raise bad_request("At most %d uuids per request." % MAX_UUIDS, code="ParameterMalformed")
        found = []
        for tenant_id in dict.fromkeys(wanted):
            record = state.tenant(tenant_id, allow_deleted=allow_deleted)
            if record is not None and not record["_hidden"] and _sees(state, tenant_id):
                found.append(record)
        return sorted(found, key=lambda r: r["_seq"])
    if filters.get("parent_id"):
        visible_tenant(filters["parent_id"])
        ids = state.visible_children(filters["parent_id"])
        records = [state.tenants[i] for i in ids]
        if allow_deleted:
            records += [t for t in state.tenants.values() if t["parent_id"] == filters["parent_id"]
                        and t["deleted_at"] is not None and not t["_hidden"] and t["id"] != t["parent_id"]]
        return sorted(records, key=lambda r: r["_seq"])
    visible_tenant(filters["subtree_root_id"])
    return sorted((state.tenants[i] for i in state.subtree(filters["subtree_root_id"])), key=lambda r: r["_seq"])


def _sees(state, tenant_id):
    caller = principal()
    return caller.scope_root is not None and state.in_subtree(tenant_id, caller.scope_root)


@bp.route("/tenants/<tenant_id>", methods=["GET"])
def get_tenant(tenant_id):
    """One tenant."""
    state = world()
    with state.lock:
        record = visible_tenant(tenant_id, allow_deleted=query_bool("allow_deleted"))
        return jsonify(tenant_view(state, record))


@bp.route("/tenants/<tenant_id>", methods=["PUT"])
def update_tenant(tenant_id):
    """Update a tenant: version required (409/1001 when stale), every change bumps it."""
    body = json_body()
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        check_version("tenant", record, body.get("version"))
        changes = _tenant_changes(state, record, body)
        _apply_tenant_changes(state, record, changes)
        record["version"] += 1
        record["updated_at"] = now_iso()
        state.index_search(record)
        return jsonify(tenant_view(state, record))


def _tenant_changes(state, record, body):
    """Validate every requested change before applying any."""
    changes = {}
    if "name" in body and body["name"] != record["name"]:
        name = _name(body["name"])
        other = state.child_by_name(record["parent_id"], name)
        if other and other != record["id"]:
            raise name_conflict(state, record["parent_id"], name)
        changes["name"] = name
    if "kind" in body and body["kind"] != record["kind"]:
        if {body["kind"], record["kind"]} != {"partner", "folder"}:
            raise bad_request("The kind can change only between partner and folder.", code=errors.ERROR_BUSINESS_RULES,
                              context={"id": record["id"]})
        changes["kind"] = body["kind"]
    if "parent_id" in body and body["parent_id"] != record["parent_id"]:
        changes["parent_id"] = _check_move(state, record, body["parent_id"], changes.get("name", record["name"]),
                                           changes.get("kind", record["kind"]))
    if "enabled" in body:
        changes["enabled"] = as_bool(body["enabled"], "enabled")
    if "ancestral_access" in body:
        changes["ancestral_access"] = as_bool(body["ancestral_access"], "ancestral_access")
    for key in _SIMPLE_FIELDS:
        if key in body:
            changes[key] = body[key]
    if isinstance(body.get("contact"), dict):
        changes["contact"] = body["contact"]
    lock = body.get("update_lock")
    if isinstance(lock, dict) and "enabled" in lock:
        changes["update_lock"] = as_bool(lock["enabled"], "update_lock.enabled")
    settings = body.get("settings")
    if isinstance(settings, dict) and "enhanced_security" in settings:
        wanted = as_bool(settings["enhanced_security"], "settings.enhanced_security")
        if record["_enhanced_security"] and not wanted:
            raise bad_request("Enhanced security cannot be turned off.", code=errors.ERROR_BUSINESS_RULES,
                              context={"id": record["id"]})
        changes["enhanced_security"] = wanted
    return changes


def _check_move(state, record, new_parent_id, name, kind):
    if record["id"] == principal().scope_root:
        raise errors.forbidden("The caller's own tenant cannot be moved.")
    new_parent = writable_tenant(new_parent_id)
    if state.in_subtree(new_parent_id, record["id"]):
        raise bad_request("A tenant cannot be moved under itself or its children.", code=errors.ERROR_MOVE_UNDER_CHILD)
    if record["kind"] == "unit" or new_parent["kind"] in ("customer", "unit"):
        raise bad_request("Tenants cannot be moved within a customer.", code=errors.ERROR_MOVE_WITHIN_CUSTOMER)
    if not new_parent["enabled"]:
        raise bad_request("A tenant cannot be moved under a disabled tenant.", code=errors.ERROR_MOVE_UNDER_DISABLED)
    _check_kind_under(new_parent, kind)
    if state.child_by_name(new_parent_id, name):
        raise name_conflict(state, new_parent_id, name)
    return new_parent_id


def _apply_tenant_changes(state, record, changes):
    stamp = now_iso()
    if "parent_id" in changes:
        state.move_tenant(record, changes.pop("parent_id"))
    if "name" in changes:
        state.rename_tenant(record, changes.pop("name"))
    if "contact" in changes:
        contact = dict(record["contact"])
        contact.update(changes.pop("contact"))
        contact["updated_at"] = stamp
        record["contact"] = contact
    if "update_lock" in changes:
        enabled = changes.pop("update_lock")
        record["update_lock"] = {"enabled": enabled, "owner_id": principal().tenant_id if enabled else None}
    if "enhanced_security" in changes:
        record["_enhanced_security"] = changes.pop("enhanced_security")
    record.update(changes)


@bp.route("/tenants/<tenant_id>", methods=["DELETE"])
def delete_tenant(tenant_id):
    """Delete a disabled tenant (1006 otherwise) with ?version=; its subtree goes with it."""
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        if record["id"] == principal().scope_root or record["id"] == principal().tenant_id:
            raise errors.forbidden("The caller's own tenant cannot be deleted.")
        check_lock(record)
        check_version("tenant", record, request.args.get("version"))
        if record["enabled"]:
            raise ApiError(400, "It is prohibited to delete a non-disabled tenant.",
                           code=errors.ERROR_DELETE_NOT_DISABLED, addition=[{"id": tenant_id}], context={"id": tenant_id})
        doomed = state.subtree(record["id"], include_hidden=True)
        state.delete_tenant(record)
        # Its agents, machines, plans, tokens, tasks, activities, alerts and usage go too (api/runs.py).
        runs.forget_tenants(state, doomed)
    return "", 204


@bp.route("/tenants/<tenant_id>/children", methods=["GET"])
def list_children(tenant_id):
    """Ids of the direct children, ordered by name (the default order) or by creation."""
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        records = [state.tenants[i] for i in state.visible_children(tenant_id)]
        if query_bool("allow_deleted"):
            records += [t for t in state.tenants.values() if t["parent_id"] == tenant_id and not t["_hidden"]
                        and t["deleted_at"] is not None and t["id"] != tenant_id]
        if request.args.get("order", "name") == "name":
            records.sort(key=lambda r: (r["name"].lower(), r["_seq"]))
        return jsonify({"items": [r["id"] for r in records]})


@bp.route("/tenants/<tenant_id>/users", methods=["GET"])
def list_tenant_users(tenant_id):
    """Ids of the users of a tenant (and its subtree with include_grand_children)."""
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        tenant_ids = state.subtree(tenant_id) if query_bool("include_grand_children") else [tenant_id]
        ids = []
        for current in tenant_ids:
            ids.extend(state.users_by_tenant.get(current, []))
        if request.args.get("order", "name") == "name":
            ids.sort(key=lambda i: state.users[i]["login"].lower())
        return jsonify({"items": ids})


# -------------------------------------------------------------------- pricing


@bp.route("/tenants/<tenant_id>/pricing", methods=["GET"])
def get_pricing(tenant_id):
    """Pricing mode; version is a millisecond timestamp."""
    state = world()
    with state.lock:
        return jsonify(pricing_view(visible_tenant(tenant_id)))


@bp.route("/tenants/<tenant_id>/pricing", methods=["PUT"])
def update_pricing(tenant_id):
    """Switch pricing mode; trial to production is one-way."""
    body = json_body()
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        if body.get("version") is None:
            raise bad_request("Field 'version' is required.")
        if as_int(body["version"], "version") != record["_pricing_version"]:
            raise errors.version_conflict("pricing", tenant_id, record["_pricing_version"])
        mode = body.get("mode", record["pricing_mode"])
        current = record["pricing_mode"]
        if mode not in ("trial", "production", "suspended"):
            raise bad_request("mode must be trial, production or suspended.")
        if mode == "trial" and current != "trial":
            raise bad_request("Switching from production back to trial is not allowed.",
                              code=errors.ERROR_BUSINESS_RULES, context={"id": tenant_id})
        changed = mode != current or ("currency" in body and body["currency"] != record.get("_currency"))
        if mode != current:
            record["pricing_mode"] = mode
            if mode == "production" and current == "trial":
                record["_production_start"] = now_iso()
        if "currency" in body:
            record["_currency"] = body["currency"]
        if changed:
            record["_pricing_version"] = max(int(time.time() * 1000), record["_pricing_version"] + 1)
        return jsonify(pricing_view(record))


# ------------------------------------------------------------------------ MFA


def _mfa_view(state, record):
    from .views import effective_mfa  # pylint: disable=import-outside-toplevel
    users = [u for t in state.subtree(record["id"]) for u in state.users_by_tenant.get(t, [])]
    return {"mfa_status": effective_mfa(state, record), "users_count": len(users),
            "users_with_totp_enabled_count": 0, "update_allowed": record["kind"] != "unit"}


@bp.route("/tenants/<tenant_id>/mfa/status", methods=["GET"])
def get_mfa(tenant_id):
    """MFA status; units inherit it and cannot change it."""
    state = world()
    with state.lock:
        return jsonify(_mfa_view(state, visible_tenant(tenant_id)))


@bp.route("/tenants/<tenant_id>/mfa/status", methods=["PUT"])
def update_mfa(tenant_id):
    """Switch MFA on or off (not for units, which inherit it)."""
    body = json_body()
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        if "enabled" not in body:
            raise bad_request("Field 'enabled' is required.")
        enabled = as_bool(body["enabled"], "enabled")
        if record["kind"] == "unit":
            raise bad_request("Units inherit the MFA status of their customer.", code=errors.ERROR_BUSINESS_RULES)
        record["mfa_status"] = "enabled" if enabled else "disabled"
        return jsonify(_mfa_view(state, record))
