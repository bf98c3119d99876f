"""Agents: registration tokens (Account Management), the Agent Manager v2 agent list, and a simulated install.

Registration tokens (``/api/2``, checked against the specification like the rest of /api/2):

- ``POST /tenants/{tenant_id}/registration_tokens`` ``{"expires_in": seconds, "scopes": [...]}`` answers 200 with
  ``{id, token, created_at, expires_at, tenant_id, tenant_uuid, scopes}`` (registrationTokenPostV2 and
  registrationToken). ``expires_in`` is 1 second to one year ("Should be less than or equal to one year"). Each
  scope follows one of the two documented patterns (registrationTokenPostV2.scopes):
  ``urn:acronis.com:tenant-id:{personal_tenant_id}:backup_agent_admin`` (the personal tenant may be left empty,
  as seed 000's get_agent_installation_token.py does on a user's personal tenant: the token's own tenant) and
  ``urn:acronis.com::policy_management:{tenant_id}|{policy_id}:apply_revoke``; anything else is 400.
- ``GET /tenants/{tenant_id}/registration_tokens``: the tenant's tokens that have not expired, with their values
  (registrationTokensList).
- ``DELETE /registration_tokens/{token_id}`` (DeleteRegistrationToken): 204, 404 for an unknown, deleted or
  expired token, 403 outside the caller's subtree. The documented path parameter says UUID, but a token's id is
  the integer of registrationToken.id (spec_deviations.py).

Agent Manager v2 (``GET /api/agent_manager/v2/agents``), outside /api/2: its contract below is written from
Acronis's Agent Manager API reference (https://developer.acronis.com/doc/agents/v2/reference/openapi.json, operation
FetchAgents) and guide (https://developer.acronis.com/doc/agents/v2/guide/agents/fetching-agents):

- the agents of the caller's subtree, or of the subtree of ``tenant_id`` (the reference's example is a numeric
  tenant id, "62", which seed 000's get_all_agents_info_for_customer.py obtains from /api/1/groups; the
  tenant's UUID is accepted too);
- filters ``hostname`` (a full name, or ``hlike(..)`` starts with, ``like(..)`` contains, ``tlike(..)`` ends
  with; compared without regard to case, as host names are), ``os_family`` (case-insensitive), ``online``,
  ``up_to_date``, ``unit`` (repeatable: agents with at least one of them); ``order=asc(hostname)`` or
  ``desc(hostname)`` (same host names by agent id; without ``order``, by agent id);
- paging: ``limit`` (absent or 0: no limit), then ``after`` / ``before`` from ``paging.cursors``, which are
  "mutually exclusive with all other but limit query parameters"; ``after`` is absent on the last page and
  ``before`` on the first;
- errors in the service's envelope ``{"code", "domain", "debug": {"msg"}}``: 400 ``BAD_REQUEST`` (malformed
  request), 403 ``ACCESS_DENIED`` (a tenant outside the caller's subtree, or unknown: the operation documents no
  404). A missing or expired token is refused by the shared authentication (auth.py) before the view.

Agents appear by a simulated install, ``POST /_sim/agents/install`` (admin interface, no auth), which does what
an agent installer does with ``--registration by-token --reg-token <token>`` (seed's agent_installation.ps1):
the token must exist and not have expired (403 ``registration_token_invalid`` / ``registration_token_expired``),
its tenant must still be live and enabled, and its scopes must resolve (403 ``registration_token_scope``): a
``backup_agent_admin`` scope names a personal tenant inside the token's tenant (or is empty on a personal
tenant's own token), a ``policy_management`` scope names the token's tenant or one of its ancestors. A token
serves any number of installs until it expires. The agent belongs to the token's tenant.
Records live in ``world.ext["agents"]`` (``{agent id: record}``).

Agents are machines (the Agent Manager guide: an agent registers the machine it runs on; Resource Management
lists it as a ``resource.machine`` with the agent's id): the install also creates the machine resource in the
same tenant, named by the host name, with the attributes ``hostname``, ``agent_id``, ``os`` (the platform's
name), ``os_family``, ``online``, ``units`` and ``backup_bytes`` (the install's ``backup_bytes``, default 1 GiB:
what each backup adds to the tenant's storage usage, runs.py). ``PATCH /_sim/agents/{agent_id}``
``{"online": false}`` takes the agent offline in both services (and raises an ``AgentOffline`` alert, resolved
when it is back online); ``DELETE /_sim/agents/{agent_id}`` uninstalls it: the agent and its machine go, with
what was applied to the machine. Deleting the machine with ``DELETE /_sim/resources/{id}`` unregisters the agent.
"""

import base64
import datetime
import email.utils
import re

from flask import Blueprint, jsonify, request

from .. import service_contract as sc
from ..auth import principal, visible_tenant, writable_tenant
from ..context import world
from ..errors import ApiError, bad_request, not_found
from ..helpers import as_int, decode_cursor, encode_cursor, is_uuid, json_body, now_iso
from . import runs
from .resources import MACHINE, add_resource, remove_resource

bp = Blueprint("agents", __name__)

MAX_EXPIRES_IN = 365 * 86400
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_AGENT_SCOPE = re.compile(r"^urn:acronis\.com:tenant-id:(?P<tenant>[0-9a-f-]*):backup_agent_admin$")
_POLICY_SCOPE = re.compile(r"^urn:acronis\.com::policy_management:(?P<tenant>[0-9a-f-]{36})\|(?P<policy>[0-9a-f-]{36})"
                           r":apply_revoke$")
OS_FAMILIES = ("UNKNOWN", "WINDOWS", "LINUX", "MACOSX", "SOLARIS")
ARCHES = ("X86", "X64", "ARM", "ARM64")
_OS_NAMES = {"WINDOWS": ("Windows Server 2022", 10, 0), "LINUX": ("Ubuntu 22.04 LTS", 5, 15),
             "MACOSX": ("macOS 14 Sonoma", 14, 0), "SOLARIS": ("Oracle Solaris 11.4", 11, 4), "UNKNOWN": ("Unknown", 0, 0)}
CORE_RELEASE, CORE_BUILD, LATEST_BUILD = "24.3.37659", "37659", "38013"
INSTALLER = {"major": 15, "minor": 0, "build_number": 37659}
INSTALLER_LATEST = {"major": 15, "minor": 0, "build_number": 38013}

AGENTS_REFERENCE = "https://developer.acronis.com/doc/agents/v2/reference/openapi.json (FetchAgents)"


# ============================================================ registration tokens (/api/2)


def _live_tokens(state, tenant_id, moment=None):
    moment = moment or now_iso()
    return [t for t in state.registration_tokens.get(tenant_id, []) if t["expires_at"] > moment]


def _check_scope(scope):
    if not isinstance(scope, str) or not (_AGENT_SCOPE.match(scope) or _POLICY_SCOPE.match(scope)):
        raise bad_request("Scope %r follows none of the documented patterns "
                          "urn:acronis.com:tenant-id:{personal_tenant_id}:backup_agent_admin and "
                          "urn:acronis.com::policy_management:{tenant_id}|{policy_id}:apply_revoke." % (scope,))
    match = _AGENT_SCOPE.match(scope)
    if match and match.group("tenant") and not is_uuid(match.group("tenant")):
        raise bad_request("Scope %r: the personal tenant id must be a tenant UUID or empty." % scope)


@bp.route("/api/2/tenants/<tenant_id>/registration_tokens", methods=["GET"])
def list_registration_tokens(tenant_id):
    """Live agent registration tokens of a tenant, with their values."""
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        return jsonify({"items": _live_tokens(state, tenant_id)})


@bp.route("/api/2/tenants/<tenant_id>/registration_tokens", methods=["POST"])
def create_registration_token(tenant_id):
    """An agent registration token XXXX-XXXX-XXXX that expires after expires_in seconds."""
    body = json_body()
    state = world()
    with state.lock:
        record = writable_tenant(tenant_id)
        if body.get("expires_in") is None:
            raise bad_request("Field 'expires_in' is required.")
        expires_in = as_int(body["expires_in"], "expires_in")
        if not 0 < expires_in <= MAX_EXPIRES_IN:
            raise bad_request("expires_in must be a number of seconds from 1 to %d (one year)." % MAX_EXPIRES_IN)
        scopes = body.get("scopes")
        if not isinstance(scopes, list):
            raise bad_request("scopes must be a list of strings.")
        for scope in scopes:
            _check_scope(scope)
        token = "-".join("".join(state.rng.choice(_ALPHABET) for _char in range(4)) for _group in range(3))
        created = datetime.datetime.now(datetime.timezone.utc)
        item = {"id": state.next_seq(), "token": token, "created_at": now_iso(created),
                "expires_at": now_iso(created + datetime.timedelta(seconds=expires_in)),
                "tenant_id": str(record["_numeric_id"]), "tenant_uuid": tenant_id, "scopes": list(scopes)}
        state.registration_tokens.setdefault(tenant_id, []).append(item)
        return jsonify(item)


@bp.route("/api/2/registration_tokens/<token_id>", methods=["DELETE"])
def delete_registration_token(token_id):
    """Revoke a token: 204; 404 when unknown, deleted or expired."""
    state = world()
    with state.lock:
        moment = now_iso()
        for tenant_id, tokens in state.registration_tokens.items():
            for item in tokens:
                if str(item["id"]) == token_id and item["expires_at"] > moment:
                    if state.tenant(tenant_id) is None:
                        break
                    writable_tenant(tenant_id)
                    tokens.remove(item)
                    return "", 204
        raise not_found("registration token", token_id)


# ============================================================ Agent Manager v2


class AgentManagerError(ApiError):
    """The Agent Manager's error object: {"code": "BAD_REQUEST", "domain": "AGENT_MANAGER", "debug": {"msg"}}."""

    CODES = {400: "BAD_REQUEST", 403: "ACCESS_DENIED", 404: "NOT_FOUND", 415: "BAD_REQUEST"}

    def __init__(self, status, message, info=None, violations=None, code=None):
        super().__init__(status, message, info=info)
        self.agent_code = code or self.CODES.get(status, "BAD_REQUEST")
        self.violations = violations

    def body(self):
        return {"code": self.agent_code, "domain": "AGENT_MANAGER", "debug": {"msg": self.info}}


def _agent_error(code_enum):
    return {"type": "object", "required": ["code", "domain", "debug"], "additionalProperties": False,
            "properties": {"code": {"enum": code_enum}, "domain": {"enum": ["AGENT_MANAGER"]},
                           "debug": {"type": "object", "required": ["msg"], "properties": {"msg": {"type": "string"}}}}}


_VERSION = {"type": "object", "required": ["build", "release_id"], "additionalProperties": False,
            "properties": {"build": {"type": "string"}, "release_id": {"type": "string"},
                           "release_name": {"type": "string"}}}
_VERSIONS = {"type": "object", "required": ["current"], "additionalProperties": False,
             "properties": {"current": _VERSION, "latest": _VERSION}}
_INSTALLER_VERSION = {"type": "object", "required": ["major", "minor", "build_number"], "additionalProperties": False,
                      "properties": {"major": {"type": "integer", "minimum": 0}, "minor": {"type": "integer", "minimum": 0},
                                     "build_number": {"type": "integer", "minimum": 0}}}
AGENT = {
    "type": "object", "additionalProperties": False,
    "required": ["online", "enabled", "installer_version", "meta", "units", "name", "tenant", "platform",
                 "registration_date", "core_version", "id", "timezone", "auto_update", "hostname", "registration_id"],
    "properties": {
        "id": sc.UUID, "hostname": {"type": "string"}, "name": {"type": "string"}, "online": {"type": "boolean"},
        "enabled": {"type": "boolean"}, "auto_update": {"type": "boolean"}, "meta": {"type": "object"},
        "comment": {"type": "string"}, "distribution_type": {"type": "string"},
        "registration_date": {"type": "string",
                              "pattern": r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"},
        "registration_id": {"type": "string"},
        "timezone": {"type": "string", "pattern": r"^UTC|(?:\+|-)(?:[0-1][0-9]|2[0-3])[0-5][0-9]$"},
        "tenant": {"type": "object", "required": ["id", "name"], "additionalProperties": False,
                   "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
        "platform": {"type": "object", "required": ["name", "version_minor", "family", "arch", "version_major"],
                     "additionalProperties": False,
                     "properties": {"name": {"type": "string"}, "family": {"enum": list(OS_FAMILIES)},
                                    "arch": {"enum": list(ARCHES)}, "version_major": {"type": "integer"},
                                    "version_minor": {"type": "integer"}}},
        "core_version": _VERSIONS,
        "installer_version": {"type": "object", "required": ["current"], "additionalProperties": False,
                              "properties": {"current": _INSTALLER_VERSION, "latest": _INSTALLER_VERSION}},
        "units": {"type": "array", "items": {"type": "object", "required": ["name", "version"],
                                             "additionalProperties": False,
                                             "properties": {"name": {"type": "string"}, "version": _VERSIONS}}},
    },
}
_CURSOR = {"type": "string", "minLength": 1}
AGENTS_QUERY = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "after": _CURSOR, "before": _CURSOR, "limit": sc.QUERY_INT,
        "hostname": {"type": "string", "minLength": 1},
        "online": sc.QUERY_BOOL, "up_to_date": sc.QUERY_BOOL,
        "os_family": {"type": "string", "pattern": "^(?i:%s)$" % "|".join(OS_FAMILIES)},
        "order": {"type": "string", "pattern": r"^(asc|desc)\(hostname\)$"},
        "tenant_id": {"type": "string", "pattern": r"^([0-9]+|[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})$"},
        "unit": {"anyOf": [{"type": "string", "minLength": 1},
                           {"type": "array", "items": {"type": "string", "minLength": 1}}]},
    },
}
AGENT_COLLECTION = {
    "type": "object", "required": ["items", "paging"], "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": AGENT},
        "paging": {"type": "object", "required": ["cursors"], "additionalProperties": False,
                   "properties": {"cursors": {"type": "object", "additionalProperties": False,
                                              "properties": {"after": _CURSOR, "before": _CURSOR}}}},
    },
}
_HOSTNAME_MASK = re.compile(r"^(hlike|like|tlike)\((.*)\)$")
_FILTERS = ("hostname", "os_family", "online", "up_to_date", "unit", "tenant_id", "order")


def _agents(state):
    return state.ext.setdefault("agents", {})


def _tenant_by_reference(state, reference):
    """A live tenant by UUID or by its numeric id (the Agent Manager's tenant ids), or None."""
    if reference.isdigit():
        number = int(reference)
        return next((t for t in state.tenants.values() if t["_numeric_id"] == number and t["deleted_at"] is None), None)
    return state.tenant(reference.lower())


def _hostname_test(raw):
    match = _HOSTNAME_MASK.match(raw)
    function, text = (match.group(1), match.group(2)) if match else ("eq", raw)
    text = text.casefold()
    tests = {"hlike": lambda name: name.startswith(text), "like": lambda name: text in name,
             "tlike": lambda name: name.endswith(text), "eq": lambda name: name == text}
    return lambda agent: tests[function](agent["hostname"].casefold())


def _up_to_date(agent):
    return "latest" not in agent["core_version"] and all("latest" not in unit["version"] for unit in agent["units"])


def _matches(agent, filters):
    if "hostname" in filters and not _hostname_test(filters["hostname"])(agent):
        return False
    if "os_family" in filters and agent["platform"]["family"] != filters["os_family"].upper():
        return False
    if "online" in filters and agent["online"] != (filters["online"] == "true"):
        return False
    if "up_to_date" in filters and _up_to_date(agent) != (filters["up_to_date"] == "true"):
        return False
    if "unit" in filters and not {u["name"] for u in agent["units"]} & set(filters["unit"]):
        return False
    return True


def _agent_view(record):
    return {key: value for key, value in record.items() if not key.startswith("_")}


def _sort_key(record, by_hostname):
    return [record["hostname"].casefold(), record["id"]] if by_hostname else [record["id"]]


def _cursor(filters, order, key):
    return encode_cursor({"s": "agents", "f": filters, "o": order, "k": key})


def _read_cursor(raw):
    try:
        payload = decode_cursor(raw)
    except ApiError as exc:
        raise AgentManagerError(400, "Bad Request", info="The paging cursor is malformed.") from exc
    if payload.get("s") != "agents" or not isinstance(payload.get("k"), list) or not isinstance(payload.get("f"), dict):
        raise AgentManagerError(400, "Bad Request", info="The paging cursor was not issued by this list.")
    return payload


@bp.route("/api/agent_manager/v2/agents", methods=["GET"])
@sc.operation("agent_manager", query=AGENTS_QUERY,
              responses={200: AGENT_COLLECTION,
                         400: _agent_error(["BAD_REQUEST", "BAD_UNATTENDED_AGENT_UPDATE_SETTINGS", "UNMARSHALLING_ERROR"]),
                         403: _agent_error(["ACCESS_DENIED"])},
              source=AGENTS_REFERENCE, error=AgentManagerError)
def list_agents():
    """Registered agents of the caller's subtree or of tenant_id's subtree, filtered, ordered and paged."""
    args = request.args
    after, before = args.get("after"), args.get("before")
    limit = int(args.get("limit") or 0)
    if after or before:
        others = sorted(set(args) - {"after", "before", "limit"})
        if after and before or others:
            raise AgentManagerError(400, "Bad Request", info="A paging cursor (after or before) is mutually exclusive "
                                                             "with all other parameters but limit; got %s."
                                                             % ", ".join(sorted(set(args) - {"limit"})))
        payload = _read_cursor(after or before)
        filters, order = payload["f"], payload["o"]
    else:
        filters = {name: (args.getlist(name) if name == "unit" else args.get(name)) for name in _FILTERS if name in args}
        order = filters.pop("order", None)
    state = world()
    with state.lock:
        scope_root = principal().scope_root
        root = scope_root
        if filters.get("tenant_id"):
            tenant = _tenant_by_reference(state, filters["tenant_id"])
            if tenant is None or scope_root is None or not state.in_subtree(tenant["id"], scope_root):
                raise AgentManagerError(403, "Forbidden", info="Access to tenant %s is denied." % filters["tenant_id"])
            root = tenant["id"]
        if root is None:
            raise AgentManagerError(403, "Forbidden", info="The caller sees no tenant.")
        records = [a for a in _agents(state).values()
                   if state.tenant(a["_tenant_uuid"]) is not None and state.in_subtree(a["_tenant_uuid"], root)
                   and _matches(a, filters)]
    by_hostname = order is not None
    descending = order is not None and order.startswith("desc")
    records.sort(key=lambda r: _sort_key(r, by_hostname), reverse=descending)
    keys = [_sort_key(r, by_hostname) for r in records]

    def beyond(key, mark):
        return key < mark if descending else key > mark

    if after:
        start = next((i for i, key in enumerate(keys) if beyond(key, payload["k"])), len(keys))
        end = start + limit if limit else len(keys)
    elif before:
        end = _first_not_before(keys, payload["k"], descending)
        start = max(0, end - limit) if limit else 0
    else:
        start, end = 0, (limit or len(keys))
    chunk = records[start:end]
    cursors = {}
    if chunk and start + len(chunk) < len(records):
        cursors["after"] = _cursor(filters, order, keys[start + len(chunk) - 1])
    if chunk and start > 0:
        cursors["before"] = _cursor(filters, order, keys[start])
    return jsonify({"items": [_agent_view(r) for r in chunk], "paging": {"cursors": cursors}})


def _first_not_before(keys, mark, descending):
    """Index of the first key at or beyond ``mark`` in list order (the page before ends there)."""
    for index, key in enumerate(keys):
        if (key <= mark) if descending else (key >= mark):
            return index
    return len(keys)


# ============================================================ simulated install (/_sim)


def _refused(code, message):
    return ApiError(403, message, code=code)


def _find_token(state, value):
    for tenant_id, tokens in state.registration_tokens.items():
        for item in tokens:
            if item["token"] == value:
                return tenant_id, item
    return None, None


def _check_scopes(state, tenant, item):
    """403 registration_token_scope when a scope of the token does not resolve for its tenant."""
    for scope in item["scopes"]:
        agent = _AGENT_SCOPE.match(scope)
        if agent:
            personal_id = agent.group("tenant") or tenant["id"]
            personal = state.tenant(personal_id)
            if personal is None or not (personal["_hidden"] and personal["owner_id"]) \
                    or not state.in_subtree(personal_id, tenant["id"]):
                raise _refused("registration_token_scope",
                               "Scope %s binds the agent to no personal tenant of a user inside tenant %s."
                               % (scope, tenant["id"]))
            continue
        policy = _POLICY_SCOPE.match(scope)
        owner = policy.group("tenant") if policy else None
        if owner is None or state.tenant(owner) is None or not state.in_subtree(tenant["id"], owner):
            raise _refused("registration_token_scope",
                           "Scope %s names a tenant that does not own tenant %s." % (scope, tenant["id"]))


def _install_fields(body):
    token = body.get("token")
    hostname = body.get("hostname")
    if not isinstance(token, str) or not token:
        raise bad_request("Field 'token' (the registration token, XXXX-XXXX-XXXX) is required.")
    if not isinstance(hostname, str) or not hostname.strip():
        raise bad_request("Field 'hostname' must be a non-empty string.")
    family = str(body.get("os_family", "WINDOWS")).upper()
    if family not in OS_FAMILIES:
        raise bad_request("Field 'os_family' must be one of %s." % ", ".join(OS_FAMILIES))
    arch = str(body.get("arch", "X64")).upper()
    if arch not in ARCHES:
        raise bad_request("Field 'arch' must be one of %s." % ", ".join(ARCHES))
    units = body.get("units", ["backup"])
    if not isinstance(units, list) or not all(isinstance(u, str) and u for u in units):
        raise bad_request("Field 'units' must be a list of unit names.")
    for flag in ("online", "up_to_date"):
        if not isinstance(body.get(flag, True), bool):
            raise bad_request("Field '%s' must be a boolean." % flag)
    backup_bytes = body.get("backup_bytes", runs.DEFAULT_BACKUP_BYTES)
    if isinstance(backup_bytes, bool) or not isinstance(backup_bytes, int) or backup_bytes < 0:
        raise bad_request("Field 'backup_bytes' must be a whole number of bytes, 0 or more.")
    unknown = set(body) - {"token", "hostname", "os_family", "arch", "os_name", "units", "online", "up_to_date", "name",
                           "backup_bytes"}
    if unknown:
        raise bad_request("Unknown fields: %s" % ", ".join(sorted(unknown)))
    return token, hostname.strip(), family, arch, units


@bp.route("/_sim/agents/install", methods=["POST"])
def install_agent():
    """Register an agent with a registration token, as the installer does: 201 with the agent."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object {\"token\", \"hostname\", ...}.")
    token, hostname, family, arch, units = _install_fields(body)
    state = world()
    with state.lock:
        tenant_id, item = _find_token(state, token)
        if item is None:
            raise _refused("registration_token_invalid", "The registration token is not valid (unknown or revoked).")
        if item["expires_at"] <= now_iso():
            raise _refused("registration_token_expired", "The registration token expired at %s." % item["expires_at"])
        tenant = state.tenant(tenant_id)
        if tenant is None or not tenant["enabled"]:
            raise _refused("registration_token_invalid", "The tenant of the registration token is deleted or disabled.")
        _check_scopes(state, tenant, item)
        up_to_date = body.get("up_to_date", True)
        current = {"build": CORE_BUILD, "release_id": CORE_RELEASE}
        latest = {"build": LATEST_BUILD, "release_id": CORE_RELEASE}
        version = {"current": current} if up_to_date else {"current": current, "latest": latest}
        os_name, major, minor = _OS_NAMES[family]
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        agent_id = state.new_id()
        record = {
            "id": agent_id, "hostname": hostname, "name": body.get("name") or hostname,
            "online": body.get("online", True), "enabled": True, "auto_update": False, "meta": {},
            "registration_date": email.utils.format_datetime(now),
            "registration_id": base64.urlsafe_b64encode(state.secret(20).encode()).decode()[:27],
            "timezone": "+0000", "tenant": {"id": str(tenant["_numeric_id"]), "name": tenant["name"]},
            "platform": {"name": str(body.get("os_name") or os_name), "family": family, "arch": arch,
                         "version_major": major, "version_minor": minor},
            "core_version": dict(version),
            "installer_version": {"current": dict(INSTALLER)} if up_to_date
            else {"current": dict(INSTALLER), "latest": dict(INSTALLER_LATEST)},
            "units": [{"name": name, "version": dict(version)} for name in units],
            "_tenant_uuid": tenant["id"], "_token_id": item["id"], "_scopes": list(item["scopes"]),
            "_seq": state.next_seq(),
        }
        machine = add_resource(state, tenant["id"], hostname, MACHINE, attributes={
            "hostname": hostname, "agent_id": agent_id, "os": record["platform"]["name"], "os_family": family,
            "online": record["online"], "units": list(units),
            "backup_bytes": body.get("backup_bytes", runs.DEFAULT_BACKUP_BYTES)}, _agent_id=agent_id)
        record["_machine_id"] = machine["id"]
        _agents(state)[agent_id] = record
        return jsonify(_agent_view(record)), 201


def forget_agent(state, agent_id):
    """Uninstall: the agent and its machine (with its applications and runs) go. False when unknown."""
    record = _agents(state).pop(agent_id, None)
    if record is None:
        return False
    if record.get("_machine_id"):
        remove_resource(state, record["_machine_id"])
    return True


@bp.route("/_sim/agents/<agent_id>", methods=["DELETE"])
def uninstall_agent(agent_id):
    """Uninstall an agent: it and its machine go: 204, 404 when unknown."""
    state = world()
    with state.lock:
        if not forget_agent(state, agent_id):
            raise not_found("agent", agent_id)
    return "", 204


@bp.route("/_sim/agents/<agent_id>", methods=["PATCH"])
def update_agent(agent_id):
    """``{"online": bool}``: the agent goes offline or comes back, in Agent Manager and Resource Management."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"online"} or not isinstance(body["online"], bool):
        raise bad_request("Send {\"online\": true|false}.")
    state = world()
    with state.lock:
        record = _agents(state).get(agent_id)
        if record is None:
            raise not_found("agent", agent_id)
        was = record["online"]
        record["online"] = body["online"]
        machine = state.ext.get("resources", {}).get(record.get("_machine_id") or "")
        if machine is not None:
            machine["attributes"]["online"] = body["online"]
            machine["updated_at"] = now_iso()
            context = {"resourceId": machine["id"]}
            if was and not body["online"]:
                runs.raise_alert(state, machine["tenant_id"], "AgentOffline",
                                 {"resourceId": machine["id"], "resourceName": machine["name"]}, context)
            elif body["online"] and not was:
                runs.resolve_alerts(state, machine["tenant_id"], "AgentOffline", context)
        return jsonify(_agent_view(record))
