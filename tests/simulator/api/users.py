"""Users: POST/GET /users, check_login, /users/me, GET/PUT/DELETE /users/{id}, password, activation, policies."""

import re

from flask import Blueprint, jsonify, request

from .. import catalog, errors
from ..auth import principal, require_write, visible_tenant, visible_user, writable_tenant
from ..context import world
from ..errors import ApiError, bad_request
from ..helpers import as_bool, check_version, decode_cursor, json_body, now_iso, page, query_bool, query_int
from .views import user_batch_view, user_me_view, user_view

bp = Blueprint("users", __name__, url_prefix="/api/2")

# Login rules (api-facts): at least 3 characters, ASCII letters, digits and .@_-+:!#$%^*={}'`/?
LOGIN_RE = re.compile(r"^[A-Za-z0-9.@_\-+:!#$%^*={}'`/?]{3,}$")
NULL_ID = "00000000-0000-0000-0000-000000000000"
_USER_FIELDS = ("language", "external_id", "idp_id", "disable_after")


def login_problem(login):
    """Why a login is not acceptable, or None."""
    if not isinstance(login, str) or len(login) < 3:
        return "A login must have at least 3 characters."
    if not LOGIN_RE.match(login):
        return "A login may contain only ASCII letters, digits and . @ _ - + : ! # $ % ^ * = { } ' ` / ?"
    return None


def login_taken(login):
    """409 for a login already used."""
    return ApiError(409, "The login is already taken.", context={"login": login})


def _notifications(value):
    if not isinstance(value, list):
        raise bad_request("notifications must be a list.")
    return value


@bp.route("/users", methods=["POST"])
def create_user():
    """Create a user: 200 (not 201), not activated until a password is set or activation completes."""
    body = json_body()
    state = world()
    with state.lock:
        tenant = writable_tenant(body.get("tenant_id", ""))
        if tenant["_hidden"]:
            raise bad_request("Users cannot be created in a personal tenant.", code=errors.ERROR_BUSINESS_RULES)
        login = body.get("login")
        problem = login_problem(login)
        if problem:
            raise bad_request(problem, context={"login": login})
        if state.user_by_login(login):
            raise login_taken(login)
        contact = body.get("contact")
        if not isinstance(contact, dict) or "email" not in contact:
            raise bad_request("contact.email is required.")
        fields = {"tenant_id": tenant["id"], "login": login, "contact": contact,
                  "business_types": body.get("business_types")}
        if "notifications" in body:
            fields["notifications"] = _notifications(body["notifications"])
        if "enabled" in body:
            fields["enabled"] = as_bool(body["enabled"], "enabled")
        for key in _USER_FIELDS + ("origin_id", "origin_external_id"):
            if body.get(key) is not None:
                fields[key] = body[key]
        record = state.add_user(fields)
        return jsonify(user_view(state, record))


@bp.route("/users/check_login", methods=["GET"])
def check_login():
    """204 when the login is free, 409 when taken, 406 when it breaks the login rules."""
    username = request.args.get("username")
    if not username:
        raise bad_request("Query parameter 'username' is required.")
    problem = login_problem(username)
    if problem:
        raise ApiError(406, problem, context={"login": username})
    state = world()
    with state.lock:
        if state.user_by_login(username):
            raise login_taken(username)
    return "", 204


@bp.route("/users/me", methods=["GET"])
def me():
    """The user behind the credentials (API clients are not users: 401)."""
    caller = principal()
    state = world()
    if caller.kind != "user":
        raise errors.unauthorized("The credentials are an API client's, not a user's.")
    with state.lock:
        return jsonify(user_me_view(state, state.users[caller.id]))


@bp.route("/users", methods=["GET"])
def list_users():
    """Users by uuids, tenant_id or subtree_root_tenant_id, with cursor paging."""
    state = world()
    args = request.args
    limit = query_int("limit", 2000, minimum=1)
    filters = {key: args[key] for key in ("uuids", "tenant_id", "subtree_root_tenant_id", "lod",
                                          "with_access_policies", "allow_deleted") if args.get(key)}
    after_key = None
    if args.get("after"):
        cursor = decode_cursor(args["after"])
        filters, after_key = cursor.get("f", {}), cursor.get("k")
        limit = query_int("limit", cursor.get("l", 2000), minimum=1)
    if not any(filters.get(k) for k in ("uuids", "tenant_id", "subtree_root_tenant_id")):
        raise bad_request("One of uuids, tenant_id, subtree_root_tenant_id or after is required.",
                          code="ParameterMalformed")
    lod = filters.get("lod", "full")
    with_policies = as_bool(filters.get("with_access_policies", False), "with_access_policies")
    with state.lock:
        records = _select_users(state, filters)
        chunk, paging = page(records, lambda r: r["_seq"], limit, filters, after_key)
        items = [user_batch_view(state, r, lod, with_policies) for r in chunk]
    return jsonify({"items": items, "timestamp": now_iso(), "paging": paging})


def _select_users(state, filters):
    allow_deleted = as_bool(filters.get("allow_deleted", False), "allow_deleted")
    if filters.get("uuids"):
        found = []
        for user_id in dict.fromkeys(filters["uuids"].split(",")):
            record = state.user(user_id, allow_deleted=allow_deleted)
            if record is not None and _sees_user(state, record):
                found.append(record)
        return sorted(found, key=lambda r: r["_seq"])
    root = filters.get("tenant_id") or filters["subtree_root_tenant_id"]
    visible_tenant(root)
    tenant_ids = [root] if filters.get("tenant_id") else state.subtree(root)
    ids = [u for t in tenant_ids for u in state.users_by_tenant.get(t, [])]
    return sorted((state.users[i] for i in ids), key=lambda r: r["_seq"])


def _sees_user(state, record):
    caller = principal()
    return caller.scope_root is not None and state.in_subtree(record["tenant_id"], caller.scope_root)


@bp.route("/users/<user_id>", methods=["GET"])
def get_user(user_id):
    """One user."""
    state = world()
    with state.lock:
        return jsonify(user_view(state, visible_user(user_id, allow_deleted=query_bool("allow_deleted"))))


@bp.route("/users/<user_id>", methods=["PUT"])
def update_user(user_id):
    """Update a user: version required; login rules apply to a new login."""
    body = json_body()
    state = world()
    with state.lock:
        record = visible_user(user_id)
        require_write()
        check_version("user", record, body.get("version"))
        changes = {}
        if "login" in body and body["login"] != record["login"]:
            problem = login_problem(body["login"])
            if problem:
                raise bad_request(problem, context={"login": body["login"]})
            other = state.user_by_login(body["login"])
            if other is not None and other["id"] != user_id:
                raise login_taken(body["login"])
            changes["login"] = body["login"]
        if "enabled" in body:
            changes["enabled"] = as_bool(body["enabled"], "enabled")
        if "notifications" in body:
            changes["notifications"] = list(_notifications(body["notifications"]))
        for key in _USER_FIELDS:
            if key in body:
                changes[key] = body[key]
        if "login" in changes:
            state.change_login(record, changes.pop("login"))
        if isinstance(body.get("contact"), dict):
            contact = dict(record["contact"])
            contact.update(body["contact"])
            contact["updated_at"] = now_iso()
            record["contact"] = contact
        record.update(changes)
        record["version"] += 1
        record["updated_at"] = now_iso()
        state.index_search(record)
        return jsonify(user_view(state, record))


@bp.route("/users/<user_id>", methods=["DELETE"])
def delete_user(user_id):
    """Delete a disabled user with ?version=."""
    state = world()
    with state.lock:
        record = visible_user(user_id)
        require_write()
        if user_id == principal().id:
            raise errors.forbidden("A user cannot delete itself.")
        check_version("user", record, request.args.get("version"))
        if record["enabled"]:
            raise ApiError(400, "It is prohibited to delete a non-disabled user.", context={"id": user_id})
        state.delete_user(record)
    return "", 204


@bp.route("/users/<user_id>/password", methods=["POST"])
def set_password(user_id):
    """Set a password: the user becomes activated."""
    body = json_body()
    state = world()
    with state.lock:
        record = visible_user(user_id)
        require_write()
        password = body.get("password")
        if not isinstance(password, str) or not password:
            raise bad_request("Field 'password' must be a non-empty string.")
        record["_password"] = password
        record["activated"] = True
        record["updated_at"] = now_iso()
    return "", 204


@bp.route("/users/<user_id>/send-activation-email", methods=["POST"])
def send_activation_email(user_id):
    """Record the activation e-mail (visible in /_sim/state)."""
    state = world()
    with state.lock:
        record = visible_user(user_id)
        require_write()
        state.activation_emails.append({"user_id": user_id, "email": record["contact"].get("email"),
                                        "sent_at": now_iso()})
    return "", 204


# ------------------------------------------------------------ access policies


def _policies_view(state, user_id):
    return {"items": [dict(p) for p in state.policies.get(user_id, [])], "timestamp": now_iso()}


@bp.route("/users/<user_id>/access_policies", methods=["GET"])
def get_policies(user_id):
    """The user's roles."""
    state = world()
    with state.lock:
        visible_user(user_id)
        return jsonify(_policies_view(state, user_id))


@bp.route("/users/<user_id>/access_policies", methods=["PUT"])
def put_policies(user_id):
    """Replace the user's roles; an existing policy sent back must carry its current version."""
    body = json_body()
    state = world()
    with state.lock:
        visible_user(user_id)
        require_write()
        items = body.get("items")
        if not isinstance(items, list):
            raise bad_request("Field 'items' must be a list.")
        current = {p["id"]: p for p in state.policies.get(user_id, [])}
        result = []
        for item in items:
            result.append(_policy_from_item(state, user_id, item, current))
        state.policies[user_id] = result
        return jsonify(_policies_view(state, user_id))


def _policy_from_item(state, user_id, item, current):
    if not isinstance(item, dict):
        raise bad_request("Each access policy must be an object.")
    role = item.get("role_id")
    if role not in catalog.USER_ROLES:
        raise bad_request("Unknown role_id %r." % role, context={"role_id": role})
    if item.get("trustee_id") != user_id or item.get("trustee_type", "user") != "user":
        raise bad_request("trustee_id must be the user of the path and trustee_type 'user'.")
    visible_tenant(item.get("tenant_id", ""))
    user_tenant = state.users[user_id]["tenant_id"]
    if not state.in_subtree(item["tenant_id"], user_tenant):
        # The platform grants roles only in the user's own tenant (and below it): the management portal
        # offers no other, and the API refuses a policy elsewhere.
        raise bad_request("A role can be granted only in the user's own tenant %s or below it, not in %s."
                          % (user_tenant, item["tenant_id"]), context={"tenant_id": item["tenant_id"]})
    existing = current.get(item.get("id"))
    if existing is not None:
        check_version("access policy", existing, item.get("version"))
        if existing["role_id"] == role and existing["tenant_id"] == item["tenant_id"]:
            return existing
        changed = dict(existing, role_id=role, tenant_id=item["tenant_id"], version=existing["version"] + 1,
                       updated_at=now_iso())
        return changed
    if item.get("id") not in (None, NULL_ID):
        raise errors.not_found("access policy", item.get("id"))
    issuer = principal().id
    return state.new_policy(user_id, item["tenant_id"], role, issuer_id=issuer)
