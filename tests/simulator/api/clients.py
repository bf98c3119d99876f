"""API clients: POST/GET /clients, GET/PUT/DELETE /clients/{client_id}."""

from flask import Blueprint, jsonify, request

from ..auth import principal, require_write, visible_tenant
from ..context import world
from ..errors import bad_request, forbidden, not_found
from ..helpers import json_body
from .views import client_view

bp = Blueprint("clients", __name__, url_prefix="/api/2")


def _visible_client(state, client_id):
    record = state.client(client_id)
    if record is None:
        raise not_found("client", client_id)
    if state.tenant(record["tenant_id"]) is None:
        raise not_found("client", client_id)
    visible_tenant(record["tenant_id"])
    return record


@bp.route("/clients", methods=["POST"])
def create_client():
    """Create an API client; the secret is in this answer only."""
    body = json_body()
    state = world()
    with state.lock:
        require_write()
        if body.get("type") not in ("api_client", "managed_client"):
            raise bad_request("type must be api_client or managed_client.")
        visible_tenant(body.get("tenant_id", ""))
        record, secret = state.add_client(body["tenant_id"], body.get("data") or {}, principal().id,
                                          client_type=body["type"],
                                          auth_method=body.get("token_endpoint_auth_method", "client_secret_basic"),
                                          redirect_uris=body.get("redirect_uris"), origin_id=body.get("origin_id"))
        view = client_view(record)
        view.pop("last_access_at")
        view.pop("last_access_from_ip")
        view["client_secret"] = secret
        view["registration_access_token"] = state.secret(40)
    response = jsonify(view)
    response.status_code = 201
    return response


@bp.route("/clients", methods=["GET"])
def list_clients():
    """Clients of the caller's subtree, optionally by uuids."""
    state = world()
    wanted = [u for u in request.args.get("uuids", "").split(",") if u]
    caller = principal()
    with state.lock:
        items = []
        for record in sorted(state.clients.values(), key=lambda c: c["_seq"]):
            if record["_deleted"] or (wanted and record["client_id"] not in wanted):
                continue
            if caller.scope_root and state.tenant(record["tenant_id"]) is not None and \
                    state.in_subtree(record["tenant_id"], caller.scope_root):
                items.append(client_view(record))
    return jsonify({"items": items})


@bp.route("/clients/<client_id>", methods=["GET"])
def get_client(client_id):
    """One client (without its secret)."""
    state = world()
    with state.lock:
        return jsonify(client_view(_visible_client(state, client_id)))


@bp.route("/clients/<client_id>", methods=["PUT"])
def update_client(client_id):
    """Change data, status, redirect_uris or origin_id."""
    body = json_body()
    state = world()
    with state.lock:
        record = _visible_client(state, client_id)
        require_write()
        if "status" in body:
            if body["status"] not in ("enabled", "disabled"):
                raise bad_request("status must be enabled or disabled.")
            if body["status"] == "disabled" and client_id == principal().id:
                raise forbidden("An API client cannot disable itself.")
            record["status"] = body["status"]
        for key in ("data", "redirect_uris", "origin_id"):
            if key in body:
                record[key] = body[key]
        return jsonify(client_view(record))


@bp.route("/clients/<client_id>", methods=["DELETE"])
def delete_client(client_id):
    """Delete a client; its tokens stop working."""
    state = world()
    with state.lock:
        record = _visible_client(state, client_id)
        require_write()
        record["_deleted"] = True
    return "", 204
