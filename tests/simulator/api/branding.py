"""Branding: /tenants/{id}/brand and /tenants/{id}/brand/logo.

Follows the published operations (openapi/account-management-v2.extract.openapi.json, listed in
spec_deviations.py) and the guide's "Branding" pages (enabling, fetching, updating, updating the logo,
disabling):

- Every write names the TENANT's current ``version`` (``?version=``, 409/1001 when stale) and adds 1 to
  it, as the guide says; POST, PUT and DELETE answer the tenant object (DELETE: 204, no body).
- ``POST`` enables custom branding: the tenant gets a brand of its own, a copy of the brand in force above
  it (the nearest branded ancestor's, else the platform's), with a new id. Customers and units cannot
  have one (400, as the operation says); enabling it twice is 409.
- ``PUT`` changes the fields sent (every property of ``brand`` and ``smtp_settings`` but ``id`` and
  ``backup_console_url``, which the service derives); only for a tenant with its own brand (400).
  ``logotype`` may only be set to null (no logo of its own); a logo is uploaded with POST .../logo.
- ``DELETE`` disables it: the tenant wears the brand in force above it again.
- ``GET ?effective=1`` is the brand in force for the tenant; ``GET`` without it is the tenant's own
  brand, 404 when it has none (the simulator's answer: the service documents none for that case).
  ``smtp_password`` reads as "" (hidden).
- ``GET .../logo`` is the PNG of the nearest brand that has a logo (the platform's built-in one at the
  top); ``POST .../logo`` takes a PNG body (anything else is 400) and gives the brand a new ``logotype``.

Brands live in ``world.ext["brands"]`` ({tenant_id: brand}, the logo's bytes in base64 under "_logo"), so
the world's dump stays JSON. Tenant views read it: ``brand_enabled`` is "has a brand of its own" and
``brand_uuid`` the id of the brand in force (views.py).
"""

import base64
import copy

from flask import Blueprint, Response, jsonify, request

from .. import catalog
from ..auth import visible_tenant, writable_tenant
from ..context import world
from ..errors import ApiError, bad_request
from ..helpers import check_version, json_body, now_iso, query_int
from .tenants import check_lock
from .views import tenant_view

bp = Blueprint("branding", __name__, url_prefix="/api/2")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The platform's logo: a 1x1 transparent PNG.
PLATFORM_LOGO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
PLATFORM_LOGOTYPE = "2f8ad2e2-28f2-11e7-aad1-5ffe2ad47151"
STRING_FIELDS = ("support_phone", "account_server_url", "support_url", "mobile_app_android_download_url",
                 "upsell_url", "terms_url", "home_url", "knowledgebase_url", "platform_terms_url", "user_guide_url",
                 "mobile_app_ios_download_url", "color", "company_name", "color_scheme", "service_name",
                 "reg_server_url", "router_url", "agent_gateway_url", "help_url", "privacy_policy_url",
                 "smtp_reply_address", "smtp_server", "smtp_user", "smtp_password", "smtp_encryption")
NON_NULL = ("color_scheme", "owns_custom_legal_docs", "white_labeled_agent", "smtp_override", "smtp_reply_address",
            "smtp_server", "smtp_port", "smtp_user", "smtp_password", "smtp_encryption")
BOOLEAN_FIELDS = ("owns_custom_legal_docs", "white_labeled_agent")
INTEGER_FIELDS = ("smtp_override", "smtp_port")
WRITABLE = STRING_FIELDS + BOOLEAN_FIELDS + INTEGER_FIELDS + ("logotype",)
READ_ONLY = ("id", "backup_console_url")
SMTP_ENCRYPTIONS = ("", "SSL", "TLS")

PLATFORM_BRAND = {
    "id": catalog.BRAND_UUID, "company_name": "Acronis", "service_name": "Cyber Protect Cloud",
    "color": "1F2C5B", "color_scheme": "default", "logotype": PLATFORM_LOGOTYPE,
    "account_server_url": None, "backup_console_url": "cloud.acronis.com/bc", "router_url": None,
    "reg_server_url": None, "agent_gateway_url": None, "home_url": "www.acronis.com",
    "support_url": "support.acronis.com", "support_phone": None, "knowledgebase_url": "kb.acronis.com/errorcode/",
    "help_url": None, "user_guide_url": None, "terms_url": None, "platform_terms_url": None,
    "privacy_policy_url": "https://www.acronis.com/company/privacy.html", "upsell_url": None,
    "mobile_app_android_download_url": None, "mobile_app_ios_download_url": None,
    "owns_custom_legal_docs": False, "white_labeled_agent": False,
    "smtp_override": 0, "smtp_reply_address": "", "smtp_server": "", "smtp_port": 0, "smtp_user": "",
    "smtp_password": "", "smtp_encryption": "",
}


def brands(state):
    """{tenant_id: brand} of the tenants with a brand of their own."""
    return state.ext.setdefault("brands", {})


def brand_in_force(state, tenant_id):
    """(the brand the tenant wears, the tenant that owns it or None for the platform's)."""
    own = brands(state)
    for owner in [tenant_id] + state.ancestors(tenant_id):
        if owner in own:
            return own[owner], owner
    return PLATFORM_BRAND, None


def _logo(state, tenant_id):
    """The PNG of the nearest brand that has a logo."""
    own = brands(state)
    for owner in [tenant_id] + state.ancestors(tenant_id):
        brand = own.get(owner)
        if brand is not None and brand.get("logotype") and brand.get("_logo"):
            return base64.b64decode(brand["_logo"])
    return PLATFORM_LOGO


def _view(brand):
    view = {key: value for key, value in brand.items() if not key.startswith("_")}
    view["smtp_password"] = ""
    return view


def _touch(state, record):
    record["version"] += 1
    record["updated_at"] = now_iso()
    state.index_search(record)


def _changeable(tenant_id):
    """The tenant, writable, unlocked, with the version sent as ?version=."""
    record = writable_tenant(tenant_id)
    check_lock(record)
    check_version("tenant", record, request.args.get("version"))
    return record


def _own_brand(state, record):
    brand = brands(state).get(record["id"])
    if brand is None:
        raise bad_request("Custom branding is not enabled for tenant %s; enable it first (POST .../brand)."
                          % record["id"], context={"id": record["id"]})
    return brand


def _check_value(key, value):
    if value is None:
        if key in NON_NULL:
            raise bad_request("Field '%s' cannot be null." % key, context={"field": key})
        return
    if key in BOOLEAN_FIELDS and not isinstance(value, bool):
        raise bad_request("Field '%s' must be a boolean." % key, context={"field": key})
    if key in INTEGER_FIELDS and (isinstance(value, bool) or not isinstance(value, int)):
        raise bad_request("Field '%s' must be an integer." % key, context={"field": key})
    if key in STRING_FIELDS and not isinstance(value, str):
        raise bad_request("Field '%s' must be a string." % key, context={"field": key})
    if key == "smtp_encryption" and value not in SMTP_ENCRYPTIONS:
        raise bad_request("Field 'smtp_encryption' must be one of '', 'SSL', 'TLS'.", context={"field": key})
    if key == "smtp_override" and value not in (0, 1):
        raise bad_request("Field 'smtp_override' must be 0 or 1.", context={"field": key})
    if key == "smtp_port" and not 0 <= value <= 65535:
        raise bad_request("Field 'smtp_port' must be between 0 and 65535.", context={"field": key})


def _brand_changes(brand, body):
    """The fields of a PUT body that change the brand (400 for what may not be set)."""
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    unknown = sorted(key for key in body if key not in WRITABLE and key not in READ_ONLY)
    if unknown:
        raise bad_request("Unknown branding field(s): %s." % ", ".join(unknown), context={"fields": unknown})
    changes = {}
    for key in WRITABLE:
        if key not in body:
            continue
        value = body[key]
        _check_value(key, value)
        if key == "logotype" and value is not None and value != brand.get("logotype"):
            raise bad_request("Field 'logotype' can only be set to null here; upload a logo with "
                              "POST /tenants/{tenant_id}/brand/logo.", context={"field": key})
        if key == "smtp_password" or value != brand.get(key):
            changes[key] = value
    return changes


@bp.route("/tenants/<tenant_id>/brand", methods=["GET"])
def get_brand(tenant_id):
    """The tenant's own brand, or with ?effective=1 the brand in force for it."""
    effective = query_int("effective", default=0)
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        if effective:
            return jsonify(_view(brand_in_force(state, tenant_id)[0]))
        brand = brands(state).get(tenant_id)
        if brand is None:
            raise ApiError(404, "Custom branding is not enabled for tenant %s." % tenant_id,
                           context={"id": tenant_id})
        return jsonify(_view(brand))


@bp.route("/tenants/<tenant_id>/brand", methods=["POST"])
def enable_brand(tenant_id):
    """Give a partner or folder a brand of its own, a copy of the brand in force above it."""
    state = world()
    with state.lock:
        record = _changeable(tenant_id)
        if record["kind"] in ("customer", "unit"):
            raise bad_request("Custom branding cannot be enabled for a %s tenant." % record["kind"],
                              context={"id": tenant_id, "kind": record["kind"]})
        if tenant_id in brands(state):
            raise ApiError(409, "Custom branding is already enabled for tenant %s." % tenant_id,
                           context={"id": tenant_id})
        inherited = brand_in_force(state, tenant_id)[0]
        brand = copy.deepcopy(inherited)
        brand["id"] = state.new_id()
        if inherited is PLATFORM_BRAND:
            brand["_logo"] = base64.b64encode(PLATFORM_LOGO).decode("ascii")
        brands(state)[tenant_id] = brand
        _touch(state, record)
        response = jsonify(tenant_view(state, record))
    response.status_code = 201
    return response


@bp.route("/tenants/<tenant_id>/brand", methods=["PUT"])
def update_brand(tenant_id):
    """Change the fields sent; the tenant's version grows when something changed."""
    body = json_body(required=False)
    state = world()
    with state.lock:
        record = _changeable(tenant_id)
        brand = _own_brand(state, record)
        changes = _brand_changes(brand, body)
        if changes:
            if "logotype" in changes:
                brand.pop("_logo", None)
            brand.update(changes)
            _touch(state, record)
        return jsonify(tenant_view(state, record))


@bp.route("/tenants/<tenant_id>/brand", methods=["DELETE"])
def disable_brand(tenant_id):
    """Drop the tenant's own brand: it wears the one in force above it again."""
    state = world()
    with state.lock:
        record = _changeable(tenant_id)
        _own_brand(state, record)
        del brands(state)[tenant_id]
        _touch(state, record)
    return "", 204


@bp.route("/tenants/<tenant_id>/brand/logo", methods=["GET"])
def get_logo(tenant_id):
    """The PNG logo the tenant wears."""
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        data = _logo(state, tenant_id)
    response = Response(data, status=200, mimetype="image/png")
    response.headers["Cache-Control"] = "max-age=86400, must-revalidate"
    response.headers["Content-Length"] = str(len(data))
    return response


@bp.route("/tenants/<tenant_id>/brand/logo", methods=["POST"])
def upload_logo(tenant_id):
    """A new logo (a PNG body) for the tenant's own brand."""
    data = request.get_data(cache=True)
    state = world()
    with state.lock:
        record = _changeable(tenant_id)
        brand = _own_brand(state, record)
        if request.mimetype != "image/png" or not data.startswith(PNG_SIGNATURE):
            raise bad_request("The logo must be a PNG image sent as image/png.", context={"id": tenant_id})
        brand["logotype"] = state.new_id()
        brand["_logo"] = base64.b64encode(data).decode("ascii")
        _touch(state, record)
        response = jsonify(tenant_view(state, record))
    response.status_code = 201
    return response
