"""API objects built from world records (the shapes of the specification and the tutorials)."""

import datetime

from .. import catalog
from ..helpers import now_iso

_TENANT_FIELDS = ("id", "version", "name", "customer_type", "parent_id", "kind", "contact", "enabled", "customer_id",
                  "brand_id", "brand_uuid", "brand_enabled", "internal_tag", "language", "owner_id",
                  "default_idp_id", "ancestral_access", "update_lock", "mfa_status", "pricing_mode",
                  "created_at", "updated_at", "deleted_at")


def tenant_view(world, record):
    """GET /tenants/{id}."""
    view = {key: record[key] for key in _TENANT_FIELDS}
    view["contact"] = dict(record["contact"])
    if not view["contact"].get("types"):
        # The service omits empty contact types here (tutorial's tenant object); a client sending
        # the object back must not trip contactPut's minItems.
        view["contact"].pop("types", None)
    view["update_lock"] = dict(record["update_lock"])
    view["contacts"] = []
    view["has_children"] = bool(world.visible_children(record["id"]))
    view["mfa_status"] = effective_mfa(world, record)
    view["production_start_date"] = production_start_date(record)
    view["brand_enabled"], view["brand_uuid"] = brand_of(world, record["id"])
    return view


def brand_of(world, tenant_id):
    """(has a brand of its own, the id of the brand in force): branding.py keeps brands in world.ext."""
    own = world.ext.get("brands", {})
    for owner in [tenant_id] + world.ancestors(tenant_id):
        if owner in own:
            return owner == tenant_id, own[owner]["id"]
    return False, catalog.BRAND_UUID


def tenant_batch_view(world, record, lod="full", with_offering_items=False):
    """An item of GET /tenants at a level of detail."""
    base = {"id": record["id"], "parent_id": record["parent_id"], "version": record["version"],
            "created_at": record["created_at"], "updated_at": record["updated_at"],
            "deleted_at": record["deleted_at"], "contacts": [], "offering_items": []}
    if with_offering_items:
        base["offering_items"] = [offering_item_view(record, key, edition_filter="*")
                                  for key in sorted(record["_items"])]
    if lod == "stamps":
        return base
    if lod == "basic":
        base.update({"name": record["name"], "kind": record["kind"], "enabled": record["enabled"]})
        return base
    full = tenant_view(world, record)
    full.update(base)
    full["contact"].setdefault("types", [])
    full["barrier"] = 0
    return full


def effective_mfa(world, record):
    """Units inherit the MFA status of the nearest non-unit ancestor."""
    current = record
    while current["kind"] == "unit" and current["parent_id"] != current["id"]:
        current = world.tenants[current["parent_id"]]
    return current["mfa_status"]


def production_start_date(record):
    """Production start (trial end for tenants still in trial)."""
    if record["pricing_mode"] == "trial":
        created = datetime.datetime.fromisoformat(record["created_at"])
        return now_iso(created + datetime.timedelta(days=30))
    return record["_production_start"]


def pricing_view(record):
    """GET /tenants/{id}/pricing."""
    return {"mode": record["pricing_mode"], "currency": record.get("_currency"),
            "version": record["_pricing_version"], "production_start_date": production_start_date(record)}


def offering_item_view(record, key, edition_filter=None, status=None):
    """One offering item of a tenant (disabled items carry no quota)."""
    item = catalog.CATALOG[key]
    state = record["_items"].get(key)
    enabled = state is not None and state["status"] == 1 if status is None else status == 1
    view = {"application_id": item["application_id"], "name": item["name"], "edition": item["edition"],
            "usage_name": item["usage_name"], "tenant_id": record["id"], "updated_at": record["updated_at"],
            "status": 1 if enabled else 0, "locked": bool(state and state.get("locked")), "type": item["type"],
            "measurement_unit": item["measurement_unit"]}
    if item["infra_id"]:
        view["infra_id"] = item["infra_id"]
    if enabled:
        quota = (state or {}).get("quota") or {"value": None, "overage": None, "version": 0}
        view["quota"] = dict(quota)
    del edition_filter
    return view


def user_view(world, record):
    """GET /users/{id}."""
    fields = ("id", "version", "tenant_id", "login", "activated", "enabled", "terms_accepted", "language",
              "idp_id", "business_types", "notifications", "mfa_status", "personal_tenant_id", "created_at",
              "updated_at", "deleted_at")
    view = {key: record[key] for key in fields}
    view["contact"] = {k: v for k, v in record["contact"].items() if k != "types" or v}
    view["business_types"] = list(record["business_types"])
    view["notifications"] = list(record["notifications"])
    for optional in ("external_id", "origin_id", "origin_external_id", "disable_after"):
        if record.get(optional) is not None:
            view[optional] = record[optional]
    tenant = world.tenants[record["tenant_id"]]
    view["tenant_kind"] = tenant["kind"]
    view["tenant_pricing_model"] = tenant["pricing_mode"]
    return view


def user_batch_view(world, record, lod="full", with_access_policies=False):
    """An item of GET /users at a level of detail."""
    base = {"id": record["id"], "version": record["version"], "tenant_id": record["tenant_id"],
            "created_at": record["created_at"], "updated_at": record["updated_at"],
            "deleted_at": record["deleted_at"],
            "access_policies": [dict(p) for p in world.policies.get(record["id"], [])] if with_access_policies
            else [],
            "origin_id": record.get("origin_id"), "origin_external_id": record.get("origin_external_id"),
            "disable_after": record.get("disable_after")}
    if lod == "stamps":
        return base
    base.update({"personal_tenant_id": record["personal_tenant_id"], "login": record["login"],
                 "enabled": record["enabled"]})
    if lod == "basic":
        return base
    full = user_view(world, record)
    full.update(base)
    return full


def user_me_view(world, record):
    """GET /users/me."""
    view = user_batch_view(world, record, with_access_policies=True)
    view["brand_id"] = catalog.BRAND_UUID
    return view


def client_view(record):
    """GET /clients/{id} (never the secret)."""
    view = {key: value for key, value in record.items() if not key.startswith("_")}
    return view
