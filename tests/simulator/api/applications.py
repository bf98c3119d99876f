"""Applications (services): GET /applications[/{id}], GET /tenants/{id}/applications, GET /tenants/applications,
and the bindings that enable (POST) and disable (DELETE) a service for a tenant.

Seed 000's "disable all applications for a customer" reads the customer's applications and deletes every
binding but the platform's. The platform application (type ``platform``) is what the tenant itself is: the
simulator refuses to unbind it (403), so that a client that forgets to skip it sees its mistake.
"""

from flask import Blueprint, jsonify, request

from .. import catalog, errors
from ..auth import visible_tenant, writable_tenant
from ..context import world
from .tenants import check_lock

bp = Blueprint("applications", __name__, url_prefix="/api/2")
_APPS = {app["id"]: app for app in catalog.APPLICATIONS}


def _application(application_id):
    app = _APPS.get(application_id)
    if app is None:
        raise errors.not_found("application", application_id)
    return app


@bp.route("/applications", methods=["GET"])
def list_applications():
    """Every application of the platform."""
    return jsonify({"items": [dict(app) for app in catalog.APPLICATIONS]})


@bp.route("/applications/<application_id>", methods=["GET"])
def get_application(application_id):
    """One application."""
    return jsonify(dict(_application(application_id)))


@bp.route("/tenants/<tenant_id>/applications", methods=["GET"])
def tenant_applications(tenant_id):
    """Ids of the applications bound to a tenant."""
    state = world()
    with state.lock:
        return jsonify({"items": list(visible_tenant(tenant_id)["_apps"])})


@bp.route("/tenants/applications", methods=["GET"])
def tenants_applications():
    """Ids of the applications bound to each of a batch of tenants (?tenants=a,b)."""
    state = world()
    with state.lock:
        ids = [t for t in request.args.get("tenants", "").split(",") if t]
        if not ids:
            raise errors.bad_request("tenants must list at least one tenant id.")
        items = []
        for tenant_id in ids:
            try:
                record = visible_tenant(tenant_id)
            except errors.ApiError as exc:
                # The specification documents 403 for this call, not 404.
                raise errors.forbidden("Access to tenant %s is denied." % tenant_id, context={"id": tenant_id}) from exc
            items.append({"tenant": tenant_id, "applications": list(record["_apps"])})
    return jsonify({"items": items})


@bp.route("/applications/<application_id>/bindings/tenants/<tenant_id>", methods=["POST"])
def bind(application_id, tenant_id):
    """Bind an application to a tenant (its parent must have it)."""
    _application(application_id)
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        parent = state.tenants[record["parent_id"]]
        if application_id not in parent["_apps"]:
            raise errors.forbidden("The application is not available in the parent tenant.",
                                   code=errors.ERROR_OFFERING_ITEM_NOT_AVAILABLE, context={"id": application_id})
        if application_id not in record["_apps"]:
            record["_apps"].append(application_id)
    return "", 204


@bp.route("/applications/<application_id>/bindings/tenants/<tenant_id>", methods=["DELETE"])
def unbind(application_id, tenant_id):
    """Unbind an application: its items are switched off in the tenant and its subtree."""
    if _application(application_id)["type"] == "platform":
        raise errors.forbidden("The platform application cannot be disabled for a tenant.",
                               context={"id": application_id})
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        check_lock(record)
        if application_id not in record["_apps"]:
            raise errors.not_found("application binding", application_id)
        for current_id in state.subtree(tenant_id, include_hidden=True):
            current = state.tenants[current_id]
            if application_id in current["_apps"]:
                current["_apps"].remove(application_id)
            for key, item_state in current["_items"].items():
                if catalog.CATALOG[key]["application_id"] == application_id and item_state["status"] == 1:
                    current["_items"][key] = {"status": 0, "quota": None, "locked": item_state.get("locked", False)}
    return "", 204
