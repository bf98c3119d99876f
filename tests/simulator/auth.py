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


def issue_token(client, scope_root, expires_on=None):
    """A signed access token (and id token) for a client; returns the token response body."""
    settings = sim().settings
    now = int(time.time())
    if expires_on is None:
        expires_on = now + int(settings.token_ttl)
    state = world()
    claims = {"iss": ISSUER, "sub": client["client_id"], "client_id": client["client_id"],
              "tenant_id": client["tenant_id"], "scope_tenant_id": scope_root, "iat": now, "exp": expires_on,
              "jti": state.new_id(), "scope": "urn:acronis.com:tenant-id:%s" % scope_root}
    access = jwt.encode(dict(claims, typ="access"), state.signing_key, algorithm=ALGORITHM)
    id_token = jwt.encode(dict(claims, typ="id"), state.signing_key, algorithm=ALGORITHM)
    return {"access_token": access, "token_type": "bearer", "expires_on": expires_on,
            "expires_in": max(0, expires_on - now), "id_token": id_token}


def decode_token(token):
    """The claims of a valid access token, or None."""
    try:
        claims = jwt.decode(token, world().signing_key, algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["exp", "sub", "iat"]})
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access" or claims.get("jti") in world().revoked_tokens:
        return None
    return claims


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
        try:
            jwt.decode(token, state.signing_key, algorithms=[ALGORITHM], options={"verify_exp": False})
        except jwt.PyJWTError as exc:
            raise unauthorized("The access token is not valid.") from exc
        raise unauthorized("The access token has expired.")
    client = state.client(claims["client_id"])
    if client is None or client["status"] != "enabled":
        raise unauthorized("The API client of this token is disabled or deleted.")
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
