"""Tokens, HTTP Basic, the caller (principal) and subtree access checks."""

import base64
import binascii
import time

import jwt
from flask import g, request

from . import catalog
from .context import sim, world
from .errors import ApiError, forbidden, not_found, unauthorized

ISSUER = "acronis-simulator"
ALGORITHM = "HS256"
# The IdP session cookie that POST /idp/ott/login sets (the name is the simulator's own; clients keep
# whatever cookie the login sets, as a browser or requests.Session does).
SESSION_COOKIE = "acronis_simulator_session"


class Principal:
    """Who is calling: an API client or a user, and which subtree it may see."""

    def __init__(self, kind, principal_id, tenant_id, scope_root, can_write, via):
        self.kind = kind                # "client" or "user"
        self.id = principal_id
        self.tenant_id = tenant_id      # home tenant
        self.scope_root = scope_root    # root of the visible subtree, None: nothing
        self.can_write = can_write
        self.via = via                  # "bearer", "basic" or "session"

    def __repr__(self):
        return "Principal(%s %s, scope %s)" % (self.kind, self.id, self.scope_root)


# --------------------------------------------------------------------- tokens

# A refresh token (issued with scope offline_access) lives this long: the simulator's choice, the
# specification gives no lifetime.
REFRESH_TTL = 30 * 86400


def issue_token(client, scope_root, expires_on=None, user=None, refresh=False):
    """A signed access token and id token (and a refresh token when asked); returns the token response body.

    A client's token (client credentials, jwt-bearer) acts in ``scope_root``. A user's token (password
    grant) has ``sub`` the user, the user's tenant and roles, and ``client_id`` the client that
    authenticated the request, or None when none did (the password grant does not need one).
    Tokens issued together share ``gid``: revoking one revokes the others.
    """
    settings = sim().settings
    now = int(time.time())
    if expires_on is None:
        expires_on = now + int(settings.token_ttl)
    state = world()
    grant_id = state.new_id()
    claims = {"iss": ISSUER, "iat": now, "exp": expires_on, "jti": grant_id, "gid": grant_id,
              "client_id": client["client_id"] if client else None}
    if user is not None:
        claims.update({"sub": user["id"], "user_id": user["id"], "tenant_id": user["tenant_id"],
                       "scope_tenant_id": scope_root,
                       "roles": [{"role": policy["role_id"], "tenant_id": policy["tenant_id"]}
                                 for policy in state.policies.get(user["id"], [])]})
    else:
        claims.update({"sub": client["client_id"], "tenant_id": client["tenant_id"], "scope_tenant_id": scope_root})
    if claims["scope_tenant_id"]:
        claims["scope"] = "urn:acronis.com:tenant-id:%s" % claims["scope_tenant_id"]
    access = jwt.encode(dict(claims, typ="access"), state.signing_key, algorithm=ALGORITHM)
    id_token = jwt.encode(dict(claims, typ="id"), state.signing_key, algorithm=ALGORITHM)
    body = {"access_token": access, "token_type": "bearer", "expires_on": expires_on,
            "expires_in": max(0, expires_on - now), "id_token": id_token}
    if refresh:
        body["refresh_token"] = jwt.encode(dict(claims, typ="refresh", jti=state.new_id(), exp=now + REFRESH_TTL),
                                           state.signing_key, algorithm=ALGORITHM)
    return body


def read_token(token, verify_exp=True):
    """The claims of a token the simulator signed (any type), or None; revocation is not checked."""
    try:
        return jwt.decode(token, world().signing_key, algorithms=[ALGORITHM], issuer=ISSUER,
                          options={"require": ["exp", "sub", "iat"], "verify_exp": verify_exp})
    except jwt.PyJWTError:
        return None


def is_revoked(claims):
    """True when the token, or the grant it was issued with, was revoked."""
    revoked = world().revoked_tokens
    return claims.get("jti") in revoked or claims.get("gid") in revoked


def revoke(claims, whole_grant=True):
    """Revoke a token: its whole grant (the access, id and refresh tokens issued together), or only itself."""
    revoked = world().revoked_tokens
    now = int(time.time())
    for key in [key for key, until in revoked.items() if until < now]:
        del revoked[key]        # past this time the tokens are refused as expired anyway
    if whole_grant and claims.get("gid"):
        revoked[claims["gid"]] = max(int(claims["exp"]), int(claims["iat"]) + REFRESH_TTL)
    else:
        revoked[claims["jti"]] = int(claims["exp"])


def decode_token(token, kind="access"):
    """The claims of a valid (signed, unexpired, not revoked) token of this kind, or None."""
    claims = read_token(token)
    if claims is None or claims.get("typ") != kind or is_revoked(claims):
        return None
    return claims


def token_subject(state, claims):
    """(client record or None, user record or None) of a token; raises 401 when they no longer may act."""
    client = None
    if claims.get("client_id"):
        client = state.client(claims["client_id"])
        if client is None or client["status"] != "enabled":
            raise unauthorized("The API client of this token is disabled or deleted.")
    if claims.get("user_id"):
        user = state.user(claims["user_id"])
        if user is None:
            raise unauthorized("The user of this token no longer exists.")
        if not user["enabled"]:
            raise ApiError(401, "The user is disabled.", code=1018)
        return client, user
    if client is None:
        raise unauthorized("The access token is not valid.")
    return client, None


def parse_basic(header):
    """(login, password) from an HTTP Basic header, or None."""
    if not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if ":" not in decoded:
        return None
    login, _colon, password = decoded.partition(":")
    return login, password


# -------------------------------------------------------------- authentication


def authenticate(basic_allowed=True):
    """Set g.principal from the Authorization header or raise 401."""
    header = request.headers.get("Authorization", "")
    state = world()
    if header.startswith("Bearer "):
        g.principal = _from_bearer(state, header[7:].strip())
    elif header.startswith("Basic "):
        if not basic_allowed:
            raise unauthorized("This operation does not accept HTTP Basic authentication; use a bearer token.")
        g.principal = _from_basic(state, header)
    elif not header and request.cookies.get(SESSION_COOKIE):
        g.principal = _from_session(state, request.cookies[SESSION_COOKIE])
    else:
        raise unauthorized("Authorization is required.")
    return g.principal


def _from_bearer(state, token):
    claims = decode_token(token)
    if claims is None:
        unchecked = read_token(token, verify_exp=False)
        if unchecked is None or unchecked.get("typ") != "access":
            raise unauthorized("The access token is not valid.")
        if is_revoked(unchecked):
            raise unauthorized("The access token was revoked.")
        raise unauthorized("The access token has expired.")
    client, user = token_subject(state, claims)
    if user is not None:
        caller = user_principal(state, user, "bearer")
        scoped = claims.get("scope_tenant_id")
        if scoped:
            if state.tenant(scoped) is None:
                raise unauthorized("The tenant of this token no longer exists.")
            if caller.scope_root is None or not state.in_subtree(scoped, caller.scope_root):
                raise unauthorized("The token's tenant is no longer in the user's reach.")
            caller.scope_root = scoped
        return caller
    scope_root = claims.get("scope_tenant_id") or client["tenant_id"]
    if state.tenant(scope_root) is None:
        raise unauthorized("The tenant of this token no longer exists.")
    return Principal("client", client["client_id"], client["tenant_id"], scope_root, True, "bearer")


def _from_basic(state, header):
    credentials = parse_basic(header)
    if credentials is None:
        raise unauthorized("Malformed HTTP Basic credentials.")
    login, password = credentials
    client = state.client(login)
    if client is not None:
        if client["_secret"] != password or client["status"] != "enabled":
            raise unauthorized("Invalid credentials.")
        return Principal("client", client["client_id"], client["tenant_id"], client["tenant_id"], True, "basic")
    user = state.user_by_login(login)
    if user is None or user["_password"] is None or user["_password"] != password:
        raise unauthorized("Invalid credentials.")
    if not user["enabled"]:
        raise ApiError(401, "The user is disabled.", code=1018)
    return user_principal(state, user, "basic")


def sessions(state):
    """The IdP sessions opened by one-time-token logins: {session id: {"user_id", "created_at"}}."""
    return state.ext.setdefault("idp_sessions", {})


def _from_session(state, session_id):
    """The user of an IdP session (the cookie of POST /idp/ott/login), acting as that user."""
    session = sessions(state).get(session_id)
    user = state.user(session["user_id"]) if session else None
    if user is None:
        raise unauthorized("The session is not valid or has ended; log in again.")
    if not user["enabled"]:
        raise ApiError(401, "The user is disabled.", code=1018)
    return user_principal(state, user, "session")


def user_principal(state, user, via):
    """A user's principal: its admin roles decide what it sees and whether it may write."""
    scope_root, can_write = None, False
    for policy in state.policies.get(user["id"], []):
        if policy["role_id"] in catalog.READ_ROLES and state.tenant(policy["tenant_id"]) is not None:
            scope_root = scope_root or policy["tenant_id"]
            can_write = can_write or policy["role_id"] in catalog.ADMIN_ROLES
    return Principal("user", user["id"], user["tenant_id"], scope_root, can_write, via)


# ---------------------------------------------------------------------- access


def principal():
    """The authenticated caller of this request."""
    return g.principal


def can_see(tenant_id):
    """True when the caller's subtree holds this tenant."""
    caller = g.principal
    return caller.scope_root is not None and world().in_subtree(tenant_id, caller.scope_root)


def visible_tenant(tenant_id, allow_deleted=False):
    """The tenant record: 404 when unknown, 403 when outside the caller's subtree."""
    record = world().tenant(tenant_id, allow_deleted=allow_deleted)
    if record is None:
        raise not_found("tenant", tenant_id)
    if not can_see(tenant_id):
        raise forbidden("Access to tenant %s is denied." % tenant_id, context={"id": tenant_id})
    return record


def writable_tenant(tenant_id):
    """A visible tenant the caller may change (admin role, not read-only)."""
    record = visible_tenant(tenant_id)
    require_write()
    return record


def require_write():
    """403 for read-only callers."""
    if not g.principal.can_write:
        raise forbidden("The caller has read-only access.")


def visible_user(user_id, allow_deleted=False):
    """The user record: 404 when unknown, 403 when its tenant is outside the caller's subtree."""
    record = world().user(user_id, allow_deleted=allow_deleted)
    if record is None:
        raise not_found("user", user_id)
    if not can_see(record["tenant_id"]):
        raise forbidden("Access to user %s is denied." % user_id, context={"id": user_id})
    return record
