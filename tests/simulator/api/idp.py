"""The token endpoints: POST /idp/token (every grant type the specification lists), /idp/introspect_token and
/idp/revoke_token.

Grant types of ``RequestTokens`` (the published enum):

- ``client_credentials``: an API client's token (HTTP Basic, or client_id/client_secret in the form).
- ``password`` (RFC 6749 section 4.3) and ``md5_password`` (the same, the password sent as its MD5 hex
  digest): a user's token, ``username`` and ``password`` required. It carries the user's id, tenant and
  roles; ``/users/me`` and everything else act as that user (its access policies decide what it sees).
  Client authentication is optional: a client that authenticates owns the token; without one the token
  belongs to no client (Acronis's samples log in so). A user whose tenant has MFA on is refused with
  ``totp_setup_required``: the simulator keeps no TOTP secrets (its rule).
- ``refresh_token``: a refresh token is issued with ``scope`` containing ``offline_access`` (password,
  md5_password and refresh_token grants; OpenID Connect Core section 11); a refresh gives a new access
  token and a new refresh token, and the used refresh token stops working (rotation, the simulator's rule).
- ``urn:ietf:params:oauth:grant-type:jwt-bearer``: a token scoped to one tenant of the assertion's subtree,
  expiring with the assertion (client and user assertions).
- ``authorization_code`` and ``urn:ietf:params:oauth:grant-type:device_code`` need the browser and device
  flows (``/idp/authorize``, the device authorization endpoint), which the simulator does not serve: 400
  ``invalid_request`` naming the grant.

Errors are OAuth-style (``tokenError``: ``invalid_request`` 400, ``access_denied`` 401, ``totp_*`` 401).
"""

import hashlib
import re

from flask import Blueprint, jsonify, request

from ..auth import (decode_token, is_revoked, issue_token, parse_basic, principal, read_token, revoke,
                    token_subject, user_principal)
from ..context import world
from ..errors import ApiError, OAuthError, forbidden
from ..helpers import now_iso
from .views import effective_mfa

bp = Blueprint("idp", __name__, url_prefix="/api/2")

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
NOT_MODELLED = {
    "authorization_code": "it needs the browser flow of /idp/authorize, which the simulator does not serve",
    DEVICE_CODE: "it needs the device authorization flow, which the simulator does not serve",
}
_SCOPE_RE = re.compile(r"^urn:acronis\.com:tenant-id:([0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12})$")


def _credentials():
    """(client_id, client_secret or None) from HTTP Basic or the form, or None when none were sent."""
    credentials = parse_basic(request.headers.get("Authorization", ""))
    if credentials is None and request.form.get("client_id"):
        credentials = (request.form.get("client_id"), request.form.get("client_secret"))
    return credentials


def _client_from_credentials(state):
    """The client named by HTTP Basic (or client_id/client_secret form fields), None when none is named."""
    credentials = _credentials()
    if credentials is None:
        return None
    client = state.client(credentials[0])
    if client is None or client["_secret"] != (credentials[1] or "") or client["status"] != "enabled":
        raise OAuthError(401, "access_denied", "Invalid client credentials.")
    return client


def _offline(scope):
    return "offline_access" in (scope or "").split()


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
        elif grant_type in ("password", "md5_password"):
            client = _client_from_credentials(state)
            body = _password(state, client, md5=grant_type == "md5_password")
        elif grant_type == "refresh_token":
            body, client = _refresh(state)
        elif grant_type == JWT_BEARER:
            body, client = _exchange(state)
        elif not grant_type:
            raise OAuthError(400, "invalid_request", "grant_type is required.")
        elif grant_type in NOT_MODELLED:
            raise OAuthError(400, "invalid_request", "grant_type %s is not modelled by the simulator: %s."
                             % (grant_type, NOT_MODELLED[grant_type]))
        else:
            raise OAuthError(400, "invalid_request", "Unsupported grant_type %s." % grant_type)
        if client is not None:
            client["last_access_at"] = now_iso()
            client["last_access_from_ip"] = request.remote_addr
    return jsonify(body)


def _password(state, client, md5):
    """password / md5_password: the user's login and password."""
    login, password = request.form.get("username"), request.form.get("password")
    if not login or password is None or password == "":
        raise OAuthError(400, "invalid_request", "username and password are required for the %s grant."
                         % ("md5_password" if md5 else "password"))
    user = state.user_by_login(login)
    stored = user["_password"] if user is not None else None
    if stored is not None and md5:
        stored = hashlib.md5(stored.encode("utf-8")).hexdigest()  # nosec - the grant's own definition
        password = password.lower()
    if user is None or stored is None or stored != password:
        raise OAuthError(401, "access_denied", "Invalid login or password.")
    if not user["enabled"]:
        raise OAuthError(401, "access_denied", "The user is disabled.")
    if effective_mfa(state, state.tenants[user["tenant_id"]]) == "enabled":
        raise OAuthError(401, "totp_setup_required",
                         "The user's tenant requires two-factor authentication; the simulator keeps no TOTP "
                         "secrets, so a password login of such a user cannot complete.")
    return issue_token(client, None, user=user, refresh=_offline(request.form.get("scope")))


def _refresh(state):
    """refresh_token: a new access and refresh token for the same subject; the used refresh token is revoked."""
    sent = request.form.get("refresh_token")
    if not sent:
        raise OAuthError(400, "invalid_request", "refresh_token is required for the refresh_token grant.")
    claims = decode_token(sent, kind="refresh")
    if claims is None:
        raise OAuthError(401, "access_denied", "The refresh token is not valid, expired or revoked.")
    requester = _client_from_credentials(state)
    if requester is not None and requester["client_id"] != claims.get("client_id"):
        raise OAuthError(401, "access_denied", "The refresh token was not issued to this client.")
    try:
        client, user = token_subject(state, claims)
    except ApiError as exc:
        raise OAuthError(401, "access_denied", exc.message) from exc
    revoke(claims, whole_grant=False)
    if user is not None:
        return issue_token(client, claims.get("scope_tenant_id"), user=user, refresh=True), client
    return issue_token(client, claims.get("scope_tenant_id") or client["tenant_id"], refresh=True), client


def _exchange(state):
    """jwt-bearer: a token restricted to one tenant's subtree, expiring with the base token."""
    claims = decode_token(request.form.get("assertion", ""))
    if claims is None:
        raise OAuthError(401, "access_denied", "The assertion is not a valid, unexpired access token.")
    requester = _client_from_credentials(state)
    try:
        client, user = token_subject(state, claims)
    except ApiError as exc:
        raise OAuthError(401, "access_denied", exc.message) from exc
    if requester is not None and (client is None or requester["client_id"] != client["client_id"]):
        raise OAuthError(401, "access_denied", "The assertion was not issued to this client.")
    match = _SCOPE_RE.match(request.form.get("scope", ""))
    if match is None:
        raise OAuthError(400, "invalid_request", "scope must be urn:acronis.com:tenant-id:<tenant uuid>.")
    tenant_id = match.group(1)
    if state.tenant(tenant_id) is None:
        raise OAuthError(400, "invalid_request", "Unknown tenant %s." % tenant_id)
    reach = claims.get("scope_tenant_id") or (
        user_principal(state, user, "bearer").scope_root if user is not None else client["tenant_id"])
    if reach is None or not state.in_subtree(tenant_id, reach):
        raise OAuthError(403, "access_denied", "The tenant is outside the token's subtree.")
    return issue_token(client, tenant_id, expires_on=claims["exp"], user=user), client


# ------------------------------------------------------------------ introspection and revocation


def _scope_of(state, user):
    """The access policies of a user as the introspection's scope items (account-server roles)."""
    items = []
    for policy in state.policies.get(user["id"], []):
        tenant = state.tenant(policy["tenant_id"])
        if tenant is not None:
            items.append({"tid": str(tenant["_numeric_id"]), "tuid": tenant["id"], "rn": "account-server",
                          "role": policy["role_id"]})
    return items


@bp.route("/idp/introspect_token", methods=["POST"])
def introspect_token():
    """RFC 7662: what a token is, or {"active": false} for a token that is not valid (forged, expired, revoked).

    The caller must be an API client (the simulator's stand-in for the token_introspector role the
    operation's security names): a user's credentials are 403.
    """
    state = world()
    if principal().kind != "client":
        raise forbidden("Only API clients may introspect tokens (token_introspector).")
    with state.lock:
        claims = read_token(request.form.get("token", ""))
        if claims is None or claims.get("typ") not in ("access", "refresh") or is_revoked(claims):
            return jsonify({"active": False})
        try:
            client, user = token_subject(state, claims)
        except ApiError:
            return jsonify({"active": False})
        body = {"active": True, "token_type": "%s_token" % claims["typ"], "exp": claims["exp"],
                "aud": request.host, "jti": claims["jti"], "iss": claims["iss"], "sub": claims["sub"],
                "sub_type": "user" if user is not None else "api_client",
                "owner_tuid": user["tenant_id"] if user is not None else client["tenant_id"],
                "scope": _scope_of(state, user) if user is not None else []}
        if client is not None:
            body["client_id"] = client["client_id"]
    return jsonify(body)


@bp.route("/idp/revoke_token", methods=["POST"])
def revoke_token():
    """RFC 7009: revoke an access or refresh token and the tokens issued with it; 200 with no body.

    A confidential client authenticates (HTTP Basic or client_id/client_secret in the form: wrong ones
    are 401 invalid_client) and may revoke only its own tokens (400 invalid_request); a public client
    (token_endpoint_auth_method none) sends its client_id alone. A token issued to no client (a password
    login without client authentication) is revoked with the token alone. An unknown, forged or expired
    token is answered 200, as RFC 7009 says (there is nothing left to revoke).
    """
    state = world()
    with state.lock:
        requester = _revoker(state)
        claims = read_token(request.form.get("token", ""), verify_exp=False)
        if claims is None or claims.get("typ") not in ("access", "refresh", "id"):
            return "", 200
        owner = claims.get("client_id")
        if requester is None and owner is not None:
            raise OAuthError(401, "invalid_client", "Client authentication is required to revoke a token "
                                                    "issued to a client.")
        if requester is not None and requester["client_id"] != owner:
            raise OAuthError(400, "invalid_request", "The token was not issued to this client.")
        revoke(claims)
    return "", 200


def _revoker(state):
    """The client revoking (authenticated, or public by its client_id alone), or None when none is named."""
    credentials = _credentials()
    if credentials is None:
        return None
    client = state.client(credentials[0])
    if client is None or client["status"] != "enabled":
        raise OAuthError(401, "invalid_client", "Unknown or disabled client.")
    if credentials[1] is None and client["token_endpoint_auth_method"] != "none":
        raise OAuthError(401, "invalid_client", "A confidential client must authenticate (HTTP Basic or "
                                                "client_secret).")
    if credentials[1] is not None and client["_secret"] != credentials[1]:
        raise OAuthError(401, "invalid_client", "Invalid client credentials.")
    return client
