"""Application Manager v2: the MDR service-user login of a CyberApp (seed 003), and its /_sim admin endpoints.

``GET /api/application_manager/v2/application/{vendor_app_code}/service_user:login?tenant_id=&purpose=login&external_id=``
answers 301 with the one-time-token (OTT) login URL in ``Location``, only for a CyberApp whose "Access to
Acronis EDR incidents" is read-only or read-write. The first login of an ``external_id`` in a tenant creates
its service user; every login issues a new one-time token.

CyberApps are registered through the admin interface (Acronis registers them when a vendor publishes one):

- ``PUT /_sim/cyberapps/{vendor_app_code}`` ``{"name"?, "edr_incidents_access": "none"|"read_only"|"read_write"}``
- ``GET /_sim/cyberapps`` (apps, service users, issued logins), ``DELETE /_sim/cyberapps/{vendor_app_code}``

Records live in ``world.ext["application_manager"]``.
"""

import datetime

from flask import Blueprint, Response, g, jsonify, request

from .. import service_contract as sc
from ..auth import visible_tenant
from ..context import world
from ..errors import ApiError, bad_request, not_found

bp = Blueprint("application_manager", __name__)

EXT_KEY = "application_manager"
ACCESS_LEVELS = ("none", "read_only", "read_write")
SOURCE = ("Seed 003 'Log in using service user account' (Acronis CyberApp guide, Application Manager API v2): "
          "GET /application/{vendor_app_code}/service_user:login with tenant_id, purpose=login and external_id; "
          "301 with the OTT redirect link in Location; only for CyberApps with 'Access to Acronis EDR incidents' "
          "set to 'Read-only' or 'Read and write'; another status code is an error (HTTP status response codes)")


class ApplicationManagerError(ApiError):
    """The error envelope, with the Application Manager's domain."""

    def body(self):
        body = super().body()
        body["error"]["domain"] = "ApplicationManager"
        return body


def _error(status, message, info=None, **details):
    return ApplicationManagerError(status, message, info=info, **details)


def _ext(state):
    return state.ext.setdefault(EXT_KEY, {"cyberapps": {}, "service_users": {}, "logins": []})


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


LOGIN_QUERY = {
    "type": "object", "additionalProperties": False, "required": ["tenant_id", "purpose", "external_id"],
    "properties": {"tenant_id": sc.QUERY_UUID, "purpose": {"type": "string", "enum": ["login"]},
                   "external_id": {"type": "string", "minLength": 1, "maxLength": 255}},
}


@bp.route("/api/application_manager/v2/application/<vendor_app_code>/service_user:login", methods=["GET"])
@sc.operation("application_manager", query=LOGIN_QUERY, responses=sc.with_errors({301: None}, 404),
              source=SOURCE, error=_error)
def service_user_login(vendor_app_code):
    """Log the CyberApp's service user in to a tenant: 301 to the one-time-token URL."""
    args = request.args
    tenant_id, purpose, external_id = args.get("tenant_id"), args.get("purpose"), args.get("external_id")
    if purpose != "login" or not tenant_id or not external_id:
        # strict mode refuses these before the view; the view refuses them too without it
        raise _error(400, "Bad Request", info="tenant_id, purpose=login and external_id are required.")
    state = world()
    with state.lock:
        ext = _ext(state)
        app = ext["cyberapps"].get(vendor_app_code)
        if app is None:
            raise _error(404, "Not Found", info="No CyberApp with the code '%s'." % vendor_app_code,
                         context={"vendor_app_code": vendor_app_code})
        if app["edr_incidents_access"] not in ("read_only", "read_write"):
            raise _error(403, "Forbidden", info="This endpoint is available only for CyberApps with 'Access to "
                                                "Acronis EDR incidents' set to 'Read-only' or 'Read and write'.",
                         context={"vendor_app_code": vendor_app_code})
        try:
            visible_tenant(tenant_id)
        except ApiError as exc:
            raise _error(exc.status, exc.message, info=exc.info, context=exc.context) from exc
        key = "%s|%s|%s" % (vendor_app_code, tenant_id, external_id)
        user = ext["service_users"].get(key)
        if user is None:
            user = {"id": state.new_id(), "vendor_app_code": vendor_app_code, "tenant_id": tenant_id,
                    "external_id": external_id, "created_at": _now()}
            ext["service_users"][key] = user
        ott = "%032x" % state.rng.getrandbits(128)     # deterministic under --seed
        ext["logins"].append({"service_user_id": user["id"], "vendor_app_code": vendor_app_code,
                              "tenant_id": tenant_id, "external_id": external_id, "ott": ott,
                              "issued_at": _now(), "client_id": g.principal.id})
    location = "%sui/ott-login?ott=%s" % (request.host_url, ott)
    return Response(b"", status=301, headers={"Location": location})


# ------------------------------------------------------------------ admin

@bp.route("/_sim/cyberapps/<vendor_app_code>", methods=["PUT"])
def put_cyberapp(vendor_app_code):
    """Register (or change) a CyberApp and its access to EDR incidents."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("Expected {\"edr_incidents_access\": \"none\"|\"read_only\"|\"read_write\", \"name\"?}.")
    access = body.get("edr_incidents_access", "none")
    if access not in ACCESS_LEVELS:
        raise bad_request("edr_incidents_access must be one of %s, not %r." % (", ".join(ACCESS_LEVELS), access))
    unknown = sorted(set(body) - {"name", "edr_incidents_access"})
    if unknown:
        raise bad_request("Unknown field(s): %s." % ", ".join(unknown))
    state = world()
    with state.lock:
        record = {"vendor_app_code": vendor_app_code, "name": body.get("name") or vendor_app_code,
                  "edr_incidents_access": access}
        _ext(state)["cyberapps"][vendor_app_code] = record
    return jsonify(record)


@bp.route("/_sim/cyberapps", methods=["GET"])
def get_cyberapps():
    """Every CyberApp, its service users and the logins issued (with their one-time tokens)."""
    state = world()
    with state.lock:
        ext = _ext(state)
        return jsonify({"items": list(ext["cyberapps"].values()), "service_users": list(ext["service_users"].values()),
                        "logins": list(ext["logins"])})


@bp.route("/_sim/cyberapps/<vendor_app_code>", methods=["DELETE"])
def delete_cyberapp(vendor_app_code):
    """Forget a CyberApp (its service users stay, as a record of what happened)."""
    state = world()
    with state.lock:
        if _ext(state)["cyberapps"].pop(vendor_app_code, None) is None:
            raise not_found("cyberapp", vendor_app_code)
    return "", 204
