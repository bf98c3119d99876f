"""Usages: GET /tenants/{tenant_id}/usages, GET /tenants/usages, PUT /tenants/usages (usage reporting) and
PUT/GET/DELETE /_sim/usage (admin).

Usage values live in ``world.ext["usage"]``: ``{tenant id: {item key: {"value": n, "absolute_value": n}}}``,
where the item key is ``catalog.item_key(application_id, name, infra_id)``. Tests seed them with
``PUT /_sim/usage``; what the world's agents meter (protected machines, backup bytes: api/runs.py) lives
in ``world.ext["metered_usage"]`` and is added to it. The usage the API shows for a tenant is the sum over
its subtree, personal tenants of its users included (a partner sees what its customers use, a customer what its users use).
"""

import datetime

from flask import Blueprint, jsonify, request

from .. import catalog
from ..auth import can_see, principal, visible_tenant
from ..context import world
from ..errors import ERROR_HARD_QUOTA_EXCEEDED, ApiError, bad_request, forbidden, not_found
from ..helpers import json_body

bp = Blueprint("usages", __name__)

EXT_KEY = "usage"


def _store(state):
    return state.ext.setdefault(EXT_KEY, {})


def range_start(at=None):
    """First day of the current month, the way the service prints it: 2017-06-01T00:00:00."""
    moment = at or datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-01T00:00:00")


def usage_tenants(state, tenant_id):
    """Ids whose own usage counts for tenant_id: its live subtree and the personal tenants of its users."""
    result = []
    for member in state.subtree(tenant_id):
        result.append(member)
        for user_id in state.users_by_tenant.get(member, []):
            personal = state.users[user_id].get("personal_tenant_id")
            if personal and state.tenant(personal) is not None:
                result.append(personal)
    return result


def usage_totals(state, tenant_id):
    """{item key: {"value", "absolute_value"}} summed over what counts for tenant_id."""
    stores = (_store(state), state.ext.get("metered_usage", {}))
    totals = {}
    for member in usage_tenants(state, tenant_id):
        for key, values in [pair for store in stores for pair in store.get(member, {}).items()]:
            total = totals.setdefault(key, {"value": 0, "absolute_value": 0})
            total["value"] += values["value"]
            total["absolute_value"] += values["absolute_value"]
    return totals


def usage_value(state, tenant_id, key):
    """The current usage of one offering item for a tenant (0 when nothing was seeded)."""
    return usage_totals(state, tenant_id).get(key, {"value": 0})["value"]


def check_quota(state, tenant_id, key, quota):
    """Raise 400/1022 when a hard quota (value + overage) would fall below the tenant's current usage.

    Offering-item handlers call this for every item whose quota a PUT changes.
    """
    if not quota or quota.get("value") is None:
        return
    hard = int(quota["value"]) + int(quota.get("overage") or 0)
    used = usage_value(state, tenant_id, key)
    if used > hard:
        item = catalog.CATALOG[key]
        raise ApiError(400, "Hard quota exceeded.", code=ERROR_HARD_QUOTA_EXCEEDED,
                       info="The quota %s (overage %s) of offering item '%s' is below the current usage %s."
                            % (quota["value"], quota.get("overage"), item["name"], used),
                       context={"id": tenant_id, "name": item["name"]}, usage=used)


def usage_items(state, tenant_id, usage_names=None, editions=None):
    """The usage objects of GET /tenants/{id}/usages: enabled offering items and every item with usage."""
    record = state.tenants[tenant_id]
    totals = usage_totals(state, tenant_id)
    keys = {key for key, item_state in record["_items"].items() if item_state.get("status") == 1}
    keys.update(key for key, values in totals.items() if values["value"] or values["absolute_value"])
    start = range_start()
    items = []
    for key in sorted(keys, key=lambda k: (catalog.CATALOG[k]["application_id"], catalog.CATALOG[k]["name"], k)):
        item = catalog.CATALOG[key]
        if usage_names and item["usage_name"] not in usage_names:
            continue
        if editions and (item["edition"] or "") not in editions:
            continue
        values = totals.get(key, {"value": 0, "absolute_value": 0})
        usage = {"application_id": item["application_id"], "name": item["name"], "edition": item["edition"],
                 "usage_name": item["usage_name"], "type": item["type"],
                 "measurement_unit": item["measurement_unit"], "tenant_uuid": tenant_id,
                 "tenant_id": record["_numeric_id"], "range_start": start,
                 "absolute_value": values["absolute_value"], "value": values["value"]}
        if item["infra_id"]:
            usage["infra_id"] = item["infra_id"]
        item_state = record["_items"].get(key)
        if item_state is not None and item_state.get("status") == 1:
            quota = item_state.get("quota") or {"value": None, "overage": None, "version": 0}
            usage["offering_item"] = {"status": 1, "quota": dict(quota)}
        elif item_state is not None:
            usage["offering_item"] = {"status": 0}
        items.append(usage)
    return items


def _csv_filter(name):
    raw = request.args.get(name)
    if not raw:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


@bp.route("/api/2/tenants/<tenant_id>/usages", methods=["GET"])
def tenant_usages(tenant_id):
    """The tenant's usage per offering item."""
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        items = usage_items(state, tenant_id, _csv_filter("usage_names"), _csv_filter("editions"))
    return jsonify({"items": items})


@bp.route("/api/2/tenants/usages", methods=["GET"])
def tenants_usages():
    """The usages of several tenants at once (?tenants=uuid,uuid)."""
    ids = [part.strip() for part in request.args.get("tenants", "").split(",") if part.strip()]
    if not ids:
        raise bad_request("Query parameter 'tenants' is required.")
    state = world()
    result = []
    with state.lock:
        for tenant_id in ids:
            visible_tenant(tenant_id)
        for tenant_id in ids:
            usages = usage_items(state, tenant_id, _csv_filter("usage_names"), _csv_filter("editions"))
            for usage in usages:
                usage.pop("tenant_uuid", None)
                usage.pop("tenant_id", None)
            result.append({"tenant": tenant_id, "usages": usages})
    return jsonify({"items": result})


# ------------------------------------------------------------------ usage reporting (UpdateTenantsUsages)


def _may_report(state):
    """The specification: the trustee is registered in a tenant of kind root, or is a CyberApp's client (origin_id)."""
    caller = principal()
    if caller.kind == "client":
        client = state.client(caller.id)
        if client is not None and client.get("origin_id"):
            return True
    home = state.tenant(caller.tenant_id)
    return home is not None and home["kind"] == "root"


def _report_one(state, item):
    """Apply one usage report; returns None or the ApiError that refused it."""
    if item.get("resource_id") and not item.get("tenant_id"):
        return bad_request("Per-resource usage reporting is not modelled by the simulator: it keeps usages per "
                           "tenant; report per tenant (tenant_id with offering_item or usage_type).")
    tenant_id = item.get("tenant_id")
    if not tenant_id:
        return bad_request("tenant_id is required for per-tenant reporting.")
    record = state.tenant(tenant_id)
    if record is None:
        return not_found("tenant", tenant_id)
    if not can_see(tenant_id):
        return forbidden("Access to tenant %s is denied." % tenant_id, context={"id": tenant_id})
    if item["usage_value"] < 0:
        return bad_request("usage_value must not be negative.")
    enabled = [key for key, item_state in record["_items"].items() if item_state.get("status") == 1]
    if item.get("offering_item"):
        keys = [key for key in enabled if catalog.CATALOG[key]["name"] == item["offering_item"]
                and (catalog.CATALOG[key]["infra_id"] or None) == (item.get("infra_id") or None)]
        wanted = "offering item '%s'%s" % (item["offering_item"],
                                           " on infra %s" % item["infra_id"] if item.get("infra_id") else "")
    elif item.get("usage_type"):
        keys = [key for key in enabled if catalog.CATALOG[key]["usage_name"] == item["usage_type"]
                and (not item.get("infra_id") or catalog.CATALOG[key]["infra_id"] == item["infra_id"])]
        wanted = "usage '%s'" % item["usage_type"]
    else:
        return bad_request("offering_item or usage_type is required.")
    if not keys:
        return bad_request("The tenant has no enabled %s to report usage for." % wanted, context={"id": tenant_id})
    if len(keys) > 1:
        return bad_request("The %s matches %d enabled offering items; name the offering item (and infra_id)."
                           % (wanted, len(keys)), context={"id": tenant_id})
    _store(state).setdefault(tenant_id, {})[keys[0]] = {"value": item["usage_value"],
                                                        "absolute_value": item["usage_value"]}
    return None


@bp.route("/api/2/tenants/usages", methods=["PUT"])
def report_usages():
    """Report usage values per tenant: 200 with one result per item, ``error`` set on those refused.

    Per tenant, by offering item (``offering_item`` and ``infra_id`` for infra items) or by usage
    (``usage_type``, when exactly one enabled item of the tenant has that usage): the value replaces the
    tenant's own usage of that item, as ``PUT /_sim/usage`` does. Per-resource reporting
    (``resource_id`` without ``tenant_id``) is answered with an error on that item: the simulator keeps
    usages per tenant (omissions.py lists it). Only a CyberApp's client (origin_id) or a trustee of the
    root tenant may report (403 otherwise), as the specification says.
    """
    body = json_body()
    state = world()
    with state.lock:
        if not _may_report(state):
            raise forbidden("Only a CyberApp's client (origin_id) or a trustee of the root tenant may report "
                            "usages.")
        results = []
        for item in body.get("items") or []:
            result = {key: item[key] for key in ("tenant_id", "resource_id", "usage_type", "offering_item",
                                                 "infra_id") if item.get(key) is not None}
            error = _report_one(state, item)
            if error is not None:
                result["error"] = error.body()
            results.append(result)
    return jsonify({"items": results})


# ------------------------------------------------------------------ admin


def _resolve_key(spec):
    """The catalog key of an admin usage entry: {"name", "application_id"?, "infra_id"?}."""
    name = spec.get("name") or spec.get("offering_item")
    if not isinstance(name, str) or not name:
        raise ValueError("each usage needs the offering item 'name'")
    application_id = spec.get("application_id") or catalog.CYBER_PROTECTION
    key = catalog.item_key(application_id, name, spec.get("infra_id"))
    if key not in world().catalog.items:
        raise ValueError("unknown offering item %s/%s (infra %s)" % (application_id, name, spec.get("infra_id")))
    return key


@bp.route("/_sim/usage", methods=["PUT"])
def admin_put_usage():
    """Seed usage: {"tenant_id", "usages": [{"name", "application_id"?, "infra_id"?, "value", "absolute_value"?}]}.

    Values replace what was seeded before for the same tenant and item; a value of 0 clears it.
    A single item may also be given inline: {"tenant_id", "name", "value", ...}.
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("a JSON object is required")
    entries = body.get("usages")
    if entries is None:
        entries = [body]
    state = world()
    with state.lock:
        tenant_id = body.get("tenant_id")
        if not isinstance(tenant_id, str) or state.tenant(tenant_id) is None:
            raise not_found("tenant", tenant_id)
        store = _store(state)
        try:
            parsed = []
            for entry in entries:
                key = _resolve_key(entry)
                value = int(entry["value"])
                absolute = int(entry.get("absolute_value", value))
                if value < 0 or absolute < 0:
                    raise ValueError("usage values are never negative")
                parsed.append((key, value, absolute))
        except (KeyError, TypeError, ValueError) as exc:
            raise bad_request("bad usage entry: %s" % exc) from exc
        for key, value, absolute in parsed:
            own = store.setdefault(tenant_id, {})
            if value == 0 and absolute == 0:
                own.pop(key, None)
            else:
                own[key] = {"value": value, "absolute_value": absolute}
        current = dict(store.get(tenant_id, {}))
    return jsonify({"tenant_id": tenant_id, "usages": current})


@bp.route("/_sim/usage", methods=["GET"])
def admin_get_usage():
    """The seeded usage: all tenants, or ?tenant_id= for one (its own values, not the subtree sum)."""
    state = world()
    with state.lock:
        store = _store(state)
        tenant_id = request.args.get("tenant_id")
        if tenant_id:
            return jsonify({"tenant_id": tenant_id, "usages": dict(store.get(tenant_id, {}))})
        return jsonify({"tenants": {tid: dict(values) for tid, values in store.items()}})


@bp.route("/_sim/usage", methods=["DELETE"])
def admin_delete_usage():
    """Forget every seeded usage (or ?tenant_id= for one tenant)."""
    state = world()
    with state.lock:
        store = _store(state)
        tenant_id = request.args.get("tenant_id")
        if tenant_id:
            store.pop(tenant_id, None)
        else:
            store.clear()
    return ("", 204)
