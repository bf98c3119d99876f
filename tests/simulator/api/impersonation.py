"""User impersonation: POST /idp/ott, POST /idp/ott/login (IdP session cookie), GET /idp/logout.

Follows the guide "How to log in to service consoles on behalf of another user" and its page
"Logging in using a one-time token", and seed 000's users/ipmpersonate_user_call_me.py:

- ``POST /idp/ott`` ``{"purpose": "user_login", "login": ...}`` (or ``user_id`` / ``external_id``) issues a
  one-time token ``{"ott": <base64>}``. Only API clients may call it; the user must be in the caller's tenant
  or below it, and not in (or below) a tenant below the caller that keeps its ancestors out
  (``ancestral_access`` false, the simulator's stand-in for "support access disabled").
- ``POST /idp/ott/login`` ``{"ott": ...}`` consumes the token once and answers the user, with the IdP
  session cookie; with that cookie the session acts as the user (``GET /users/me``).
- ``GET /idp/logout`` ends the session of the cookie (if any) and answers the logout page.
"""

import base64

from flask import Blueprint, Response, jsonify, request

from ..auth import SESSION_COOKIE, principal, sessions
from ..context import world
from ..errors import ApiError, bad_request, forbidden, unauthorized
from ..helpers import json_body, now_iso
from .views import user_view

bp = Blueprint("impersonation", __name__, url_prefix="/api/2")

# The logout page, as the specification's example shows it.
LOGOUT_PAGE = ("<body onload=\"window.location.replace('/')\">\r\n<h5>Please wait...</h5>\r\n\r\n"
               "</body>\r\n")


def _tokens(state):
    """One-time tokens not used yet: {ott: {"user_id", "purpose", "issued_by", "created_at"}}."""
    return state.ext.setdefault("idp_otts", {})


def _target_user(state, body):
    """The user a token is asked for, by login, user_id or external_id (in that order)."""
    if body.get("login"):
        user = state.user_by_login(body["login"])
        wanted = ("login", body["login"])
    elif body.get("user_id"):
        user = state.user(body["user_id"])
        wanted = ("user_id", body["user_id"])
    elif body.get("external_id"):
        user = next((u for u in state.users.values() if not u.get("deleted_at")
                     and u.get("external_id") == body["external_id"]), None)
        wanted = ("external_id", body["external_id"])
    else:
        raise bad_request("One of login, user_id or external_id is required.")
    if user is None:
        raise ApiError(404, "The user was not found.", code=404, context={wanted[0]: wanted[1]})
    return user


def _check_support_access(state, caller, user):
    """403 unless the user is in the caller's subtree, with no tenant on the way that keeps its ancestors out."""
    if caller.scope_root is None or not state.in_subtree(user["tenant_id"], caller.scope_root):
        raise forbidden("Access to user %s is denied." % user["id"], context={"id": user["id"]})
    tenant_id = user["tenant_id"]
    while tenant_id != caller.scope_root:
        tenant = state.tenants[tenant_id]
        if tenant.get("ancestral_access") is False:
            raise forbidden("Tenant %s does not allow access from its parent's administrators, so its users "
                            "cannot be impersonated." % tenant_id, context={"tenant_id": tenant_id})
        tenant_id = tenant["parent_id"]


@bp.route("/idp/ott", methods=["POST"])
def request_ott():
    """A one-time token to log in on behalf of a user (API clients only)."""
    caller = principal()
    if caller.kind != "client":
        raise forbidden("Only API clients can request one-time tokens.")
    body = json_body()
    state = world()
    with state.lock:
        user = _target_user(state, body)
        _check_support_access(state, caller, user)
        if not user["enabled"]:
            raise bad_request("The user is disabled.", code=1018, context={"id": user["id"]})
        ott = base64.b64encode(b"OTT\x01" + state.secret(24).encode()).decode()
        _tokens(state)[ott] = {"user_id": user["id"], "purpose": body["purpose"], "issued_by": caller.id,
                               "created_at": now_iso()}
    return jsonify({"ott": ott})


@bp.route("/idp/ott/login", methods=["POST"])
def login_with_ott():
    """Consume a one-time token: the user, and the IdP session cookie."""
    body = json_body()
    state = world()
    with state.lock:
        token = _tokens(state).pop(body["ott"], None)
        if token is None or token["purpose"] != "user_login":
            raise unauthorized("The one-time token is not valid, or was already used.")
        user = state.user(token["user_id"])
        if user is None or not user["enabled"]:
            raise unauthorized("The user of the one-time token no longer exists or is disabled.")
        session_id = state.secret(32)
        sessions(state)[session_id] = {"user_id": user["id"], "created_at": now_iso()}
        response = jsonify(user_view(state, user))
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="Lax", path="/")
    return response


@bp.route("/idp/logout", methods=["GET"])
def logout():
    """End the session of the cookie, if there is one, and answer the logout page."""
    state = world()
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        with state.lock:
            sessions(state).pop(session_id, None)
    response = Response(LOGOUT_PAGE, status=200, mimetype="text/html")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
