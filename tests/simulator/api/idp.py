"""POST /idp/token: client credentials and the jwt-bearer exchange for a customer-scoped token."""

import re

from flask import Blueprint, jsonify, request

from ..auth import decode_token, issue_token, parse_basic
from ..context import world
from ..errors import OAuthError
from ..helpers import now_iso

bp = Blueprint("idp", __name__, url_prefix="/api/2")

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_SCOPE_RE = re.compile(r"^urn:acronis\.com:tenant-id:([0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12})$")


def _client_from_credentials(state):
    """The client named by HTTP Basic (or client_id/client_secret form fields)."""
    credentials = parse_basic(request.headers.get("Authorization", ""))
    if credentials is None and request.form.get("client_id"):
        credentials = (request.form.get("client_id"), request.form.get("client_secret", ""))
    if credentials is None:
        return None
    client = state.client(credentials[0])
    if client is None or client["_secret"] != credentials[1] or client["status"] != "enabled":
        raise OAuthError(401, "access_denied", "Invalid client credentials.")
    return client


@bp.route("/idp/token", methods=["POST"])
def token():
    """Issue an access token."""
    state = world()
    grant_type = request.form.get("grant_type")
    with state.lock:
        if grant_type == "client_credentials":
            client = _client_from_credentials(state)
            if client is None:
                raise OAuthError(401, "access_denied", "Client credentials are required (HTTP Basic).")
            body = issue_token(client, client["tenant_id"])
        elif grant_type == JWT_BEARER:
            body = _exchange(state)
            client = state.client(body.pop("_client_id"))
        elif not grant_type:
            raise OAuthError(400, "invalid_request", "grant_type is required.")
        else:
            raise OAuthError(400, "invalid_request", "Unsupported grant_type %s." % grant_type)
        client["last_access_at"] = now_iso()
        client["last_access_from_ip"] = request.remote_addr
    return jsonify(body)


def _exchange(state):
    """jwt-bearer: a token restricted to one tenant's subtree, expiring with the base token."""
    claims = decode_token(request.form.get("assertion", ""))
    if claims is None:
        raise OAuthError(401, "access_denied", "The assertion is not a valid, unexpired access token.")
    client = _client_from_credentials(state) or state.client(claims["client_id"])
    if client is None or client["status"] != "enabled" or client["client_id"] != claims["client_id"]:
        raise OAuthError(401, "access_denied", "The assertion was not issued to this client.")
    match = _SCOPE_RE.match(request.form.get("scope", ""))
    if match is None:
        raise OAuthError(400, "invalid_request", "scope must be urn:acronis.com:tenant-id:<tenant uuid>.")
    tenant_id = match.group(1)
    if state.tenant(tenant_id) is None:
        raise OAuthError(400, "invalid_request", "Unknown tenant %s." % tenant_id)
    if not state.in_subtree(tenant_id, claims.get("scope_tenant_id") or client["tenant_id"]):
        raise OAuthError(403, "access_denied", "The tenant is outside the token's subtree.")
    body = issue_token(client, tenant_id, expires_on=claims["exp"])
    body["_client_id"] = client["client_id"]
    return body
