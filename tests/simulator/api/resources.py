"""Resource Management API v4 (/api/resource_management/v4): resources, groups and their protection status.

Sources (Acronis developer documentation, "Resource and Policy Management API v4"; seed 000's scripts):

- Guide, "Managing resources": ``GET /resource_management/v4/resources`` (all resources, by ``type``,
  ``include_attributes``), ``GET /resource_management/v4/resources/{resource_id}``,
  ``GET /resource_management/v4/resource_statuses`` (protection status).
- Guide, "Pagination": ``limit``; the answer carries ``paging.cursors.after`` while a next page exists and
  ``paging.cursors.before`` once past the first; a continuation sends ``after`` (or ``before``) with ``limit``.
- Guide, "Authentication" and seed 000 (issue_customer_scoped_token_for_bc.py): plans and resources are
  "expected to be executed in a customer context": every call here needs a token scoped to a customer tenant
  (``scope=urn:acronis.com:tenant-id:<customer uuid>``); a partner-wide token is refused with 403.
- Seed 000, resources/create_dynamic_group.py: a group is a resource of type ``resource.group.computers`` with
  ``parent_group_ids``, ``allowed_member_types``, ``name``, ``user_defined_name`` and, for a dynamic group,
  ``group_condition`` (members chosen by a search condition; "test*" matches machine names; a sub-group cannot
  be added to a dynamic group). ``301d1574-849e-4714-859f-3a2ec12a218b`` is the predefined static group
  "Machines with agents". The script sends the body with GET (a bug of the script); the simulator creates
  groups with ``POST /resources`` and deletes them with ``DELETE /resources/{resource_id}``.

- Acronis's MCP playbook (the @acronis-platform/mcp package's "Acronis API Playbook", provider-authored): the
  resource, policy and agent APIs carry the tenant's numeric id as a string (``"10584816"``), filters take either
  form; ``resource_statuses`` gives ``aggregate.status`` per resource (``ok``, ``not_protected``, ``idle``,
  ``running``, ``failed``/``error``) and, per policy, ``type``, ``last_success_run``, ``next_run``;
  ``GET /resources/{id}/attributes`` answers the attributes alone.

Machines are not created through the API: an agent registers them. Installing an agent with a registration
token (``POST /_sim/agents/install``, agents.py) creates its machine here, in the agent's tenant, with the
attributes ``hostname``, ``agent_id``, ``os``, ``os_family``, ``online``, ``units`` and ``backup_bytes``; taking
the agent offline or uninstalling it shows here too (runs.py holds the rules of the connected world). A machine
without an agent can still be added by the admin interface: ``POST /_sim/resources`` ``{"tenant_id", "name",
"type"?, "attributes"?}`` (201, the resource), ``GET /_sim/resources``, ``DELETE /_sim/resources/{id}`` (which
unregisters the machine's agent too).

The protection status of a resource comes from the plans applied to it (policies.py): ``not_protected`` with
no plan, ``ok`` once applied, the outcome of its last run otherwise (``PUT /_sim/protection`` sets how runs end).
"""

import fnmatch
import re

from flask import Blueprint, g, jsonify, request

from .. import service_contract as sc
from ..context import world
from ..errors import ApiError, bad_request, not_found
from ..helpers import decode_cursor, encode_cursor, now_iso

bp = Blueprint("resources", __name__)
PREFIX = "/api/resource_management/v4"
SOURCE = "developer.acronis.com/doc/resource-policy-management/v4/guide/resources; seed 000 resources/*.py"

MACHINE = "resource.machine"
GROUP = "resource.group.computers"
TYPES = (MACHINE, "resource.virtual_machine", GROUP)
MACHINES_WITH_AGENTS = "301d1574-849e-4714-859f-3a2ec12a218b"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ServiceError(ApiError):
    """The official error envelope with the domain of the answering service."""

    domain = "ResourceManagement"

    def body(self):
        body = super().body()
        body["error"]["domain"] = self.domain
        return body


def _ext(state):
    return state.ext.setdefault("resources", {})


# ------------------------------------------------------------------ access


def customer_scope(error=ServiceError):
    """The customer tenant the caller's token is scoped to; 403 for any other token."""
    state = world()
    root = g.principal.scope_root
    tenant = state.tenant(root) if root else None
    if tenant is None or tenant["kind"] != "customer":
        raise error(403, "Forbidden", code=403,
                    info="This operation is executed in a customer context: exchange the token for one scoped to "
                         "the customer (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer, scope "
                         "urn:acronis.com:tenant-id:<customer uuid>).")
    return tenant


def visible_resources(state, customer):
    """Resource records of the customer's subtree (the virtual "Machines with agents" group first)."""
    records = [r for r in _ext(state).values() if state.in_subtree(r["tenant_id"], customer["id"])]
    return [machines_with_agents(customer)] + sorted(records, key=lambda r: r["_seq"])


def machines_with_agents(customer):
    """The predefined static group every customer sees."""
    return {"id": MACHINES_WITH_AGENTS, "type": GROUP, "name": "Machines with agents",
            "user_defined_name": "Machines with agents", "tenant_id": customer["id"], "parent_group_ids": [],
            "allowed_member_types": [MACHINE], "created_at": customer["created_at"],
            "updated_at": customer["created_at"], "_seq": 0, "_predefined": True}


def resource_or_404(state, customer, resource_id, error=ServiceError):
    """A resource the caller sees, or 404."""
    for record in visible_resources(state, customer):
        if record["id"] == resource_id:
            return record
    raise error(404, "Not Found", code=404, info="Resource %s was not found." % resource_id,
                context={"id": resource_id})


def _condition_matches(condition, machine):
    """A dynamic group's condition: ``name`` glob ("test*"), or ``field = 'value'`` / ``field LIKE 'glob'``."""
    match = re.match(r"^\s*(\w+)\s*(=|!=|LIKE)\s*'([^']*)'\s*$", condition, re.IGNORECASE)
    if match:
        field, op, value = match.group(1), match.group(2).upper(), match.group(3)
        have = str(machine.get(field, machine.get("attributes", {}).get(field, "")))
        if op == "LIKE":
            return fnmatch.fnmatchcase(have.lower(), value.replace("%", "*").lower())
        return (have == value) == (op == "=")
    return fnmatch.fnmatchcase(machine["name"].lower(), condition.strip().lower())


def members(state, customer, group):
    """Ids of the machines in a group (static: by parent_group_ids; dynamic: by condition)."""
    machines = [r for r in visible_resources(state, customer) if r["type"] != GROUP]
    if group.get("_predefined"):
        return [m["id"] for m in machines if m.get("attributes", {}).get("agent_id")]
    if group.get("group_condition"):
        return [m["id"] for m in machines if _condition_matches(group["group_condition"], m)]
    return [m["id"] for m in machines if group["id"] in m.get("parent_group_ids", [])]


# ------------------------------------------------------------------ views


def numeric_tenant_id(state, tenant_id):
    """The tenant's numeric id as the resource and policy APIs print it ("10584816")."""
    tenant = state.tenants.get(tenant_id)
    return str(tenant["_numeric_id"]) if tenant else tenant_id


def tenant_matches(state, tenant_id, wanted):
    """True when a tenant (UUID) is one of ``wanted`` (UUIDs or numeric ids)."""
    return tenant_id in wanted or numeric_tenant_id(state, tenant_id) in wanted


def view(record, include_attributes=False):
    """The API object of a resource record."""
    body = {key: value for key, value in record.items() if not key.startswith("_") and key != "attributes"}
    body["tenant_id"] = numeric_tenant_id(world(), record["tenant_id"])
    if include_attributes:
        body["attributes"] = dict(record.get("attributes", {}))
    return body


def context_view(record):
    """A resource as it appears in ``context`` of statuses and applications."""
    attributes = record.get("attributes", {})
    state = world()
    tenant = state.tenants.get(record["tenant_id"]) or {}
    return {"id": record["id"], "type": record["type"], "name": record["name"],
            "user_defined_name": record.get("user_defined_name", record["name"]),
            "tenant_id": numeric_tenant_id(state, record["tenant_id"]), "tenant_name": tenant.get("name", ""),
            "agent_id": attributes.get("agent_id"), "agent_name": attributes.get("hostname")}


# ------------------------------------------------------------------ paging


def paged(items, error, name, filters, key=lambda item: item["id"]):
    """One page of ``items`` (in a stable order) by ``limit`` / ``after`` / ``before``, as the guide describes."""
    args = request.args
    after, before = args.get("after"), args.get("before")
    if after and before:
        raise error(400, "Bad Request", code=400, info="Send either after or before, not both.")
    limit = int(args.get("limit") or DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        raise error(400, "Bad Request", code=400, info="limit must be from 1 to %d." % MAX_LIMIT)
    keys = [key(item) for item in items]
    start, end = 0, limit
    cursor = after or before
    if cursor:
        try:
            payload = decode_cursor(cursor)
        except ApiError as exc:
            raise error(400, "Bad Request", code=400, info="The paging cursor is malformed.") from exc
        if payload.get("s") != name or payload.get("f") != filters:
            raise error(400, "Bad Request", code=400,
                        info="The paging cursor was issued by another list or with other filters.")
        position = payload.get("k")
        if after:
            start = next((i for i, k in enumerate(keys) if k > position), len(keys))
            end = start + limit
        else:
            end = next((i for i, k in enumerate(keys) if k >= position), len(keys))
            start = max(0, end - limit)
    chunk = items[start:end]
    cursors = {}
    if chunk and end < len(items):
        cursors["after"] = encode_cursor({"s": name, "f": filters, "k": keys[start + len(chunk) - 1]})
    if chunk and start > 0:
        cursors["before"] = encode_cursor({"s": name, "f": filters, "k": keys[start]})
    return chunk, {"cursors": cursors}


def filters_of(names):
    """The filters of this request: those sent, or those the cursor carries."""
    args = request.args
    cursor = args.get("after") or args.get("before")
    if cursor:
        try:
            return decode_cursor(cursor).get("f") or {}
        except ApiError:
            return {}
    return {name: args.getlist(name) for name in names if args.getlist(name)}


def one_of(raw_values):
    """Values of a filter sent as ``a``, ``a,b``, ``or(a,b)`` or repeated."""
    values = []
    for raw in raw_values:
        raw = raw.strip()
        if raw.startswith("or(") and raw.endswith(")"):
            raw = raw[3:-1]
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


# ------------------------------------------------------------------ contracts

ID_LIST = {"type": "string", "pattern": r"^(or\()?[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*\)?$"}
TENANT_LIST = {"type": "string", "pattern": r"^(or\()?([0-9]+|[0-9a-fA-F-]{36})(,([0-9]+|[0-9a-fA-F-]{36}))*\)?$"}
NUMERIC_TENANT = {"type": "string", "pattern": "^[0-9]+$"}
PAGING_QUERY = {"limit": sc.QUERY_INT, "after": {"type": "string", "minLength": 1},
                "before": {"type": "string", "minLength": 1}}
PAGING = {"type": "object", "required": ["cursors"],
          "properties": {"cursors": {"type": "object", "additionalProperties": False,
                                     "properties": {"after": {"type": "string"}, "before": {"type": "string"}}}}}
RESOURCE = {
    "type": "object", "required": ["id", "type", "name", "tenant_id", "parent_group_ids", "created_at", "updated_at"],
    "additionalProperties": False,
    "properties": {
        "id": sc.UUID, "type": {"enum": list(TYPES)}, "name": {"type": "string"},
        "user_defined_name": {"type": "string"}, "tenant_id": NUMERIC_TENANT,
        "parent_group_ids": {"type": "array", "items": sc.UUID},
        "allowed_member_types": {"type": "array", "items": {"type": "string"}},
        "group_condition": {"type": "string"}, "member_ids": {"type": "array", "items": sc.UUID},
        "created_at": {"type": "string"}, "updated_at": {"type": "string"},
        "attributes": {"type": "object"},
    },
}
CONTEXT = {"type": "object", "required": ["id", "type", "name", "tenant_id"],
           "properties": {"id": sc.UUID, "type": {"type": "string"}, "name": {"type": "string"},
                          "user_defined_name": {"type": "string"}, "tenant_id": NUMERIC_TENANT,
                          "tenant_name": {"type": "string"}, "agent_id": {"type": ["string", "null"]}, "agent_name": {"type": ["string", "null"]}}}
STATUS = {"enum": ["ok", "warning", "error", "critical", "not_protected", "running", "idle"]}
RESOURCE_STATUS = {
    "type": "object", "required": ["context", "aggregate", "policies"], "additionalProperties": False,
    "properties": {
        "context": CONTEXT,
        "aggregate": {"type": "object", "required": ["status", "names"], "additionalProperties": False,
                      "properties": {"status": STATUS, "names": {"type": "string"}}},
        "policies": {"type": "array", "items": {
            "type": "object", "required": ["id", "type", "status", "parent_ids"], "additionalProperties": False,
            "properties": {"id": sc.UUID, "type": {"type": "string"}, "parent_ids": {"type": "array", "items": sc.UUID},
                           "names": {"type": "array", "items": {"type": "string"}}, "status": STATUS,
                           "last_run": {"type": ["string", "null"]}, "last_success_run": {"type": ["string", "null"]},
                           "next_run": {"type": ["string", "null"]}}}},
        "attributes": {"type": "object"},
    },
}


def _list_schema(item):
    return {"type": "object", "required": ["items", "paging"], "additionalProperties": False,
            "properties": {"items": {"type": "array", "items": item}, "paging": PAGING}}


def _error(status, message, info=None, violations=None):
    return ServiceError(status, message, code=status, info=info, **({"violations": violations} if violations else {}))


# ------------------------------------------------------------------ endpoints


@bp.route(PREFIX + "/resources", methods=["GET"])
@sc.operation("resource_management",
              query={"type": "object", "additionalProperties": False,
                     "properties": dict(PAGING_QUERY, type={"type": "string", "minLength": 1},
                                        id=ID_LIST, name={"type": "string", "minLength": 1}, tenant_id=TENANT_LIST,
                                        parent_group_ids=ID_LIST, include_attributes=sc.QUERY_BOOL)},
              responses=sc.with_errors({200: _list_schema(RESOURCE)}), error=_error,
              source=SOURCE + " (Fetching a list of all resources; by type; include_attributes)")
def list_resources():
    """Resources of the customer, filtered by type, id, name, parent group; paged."""
    state = world()
    with state.lock:
        customer = customer_scope()
        filters = filters_of(("type", "id", "name", "tenant_id", "parent_group_ids", "include_attributes"))
        include_attributes = filters.get("include_attributes", ["false"])[-1] == "true"
        records = visible_resources(state, customer)
        if "type" in filters:
            types = one_of(filters["type"])
            records = [r for r in records if r["type"] in types]
        if "id" in filters:
            ids = one_of(filters["id"])
            records = [r for r in records if r["id"] in ids]
        if "name" in filters:
            names = [n.lower() for n in filters["name"]]
            records = [r for r in records if r["name"].lower() in names]
        if "tenant_id" in filters:
            tenants = one_of(filters["tenant_id"])
            records = [r for r in records if tenant_matches(state, r["tenant_id"], tenants)]
        if "parent_group_ids" in filters:
            parents = one_of(filters["parent_group_ids"])
            records = [r for r in records if set(r.get("parent_group_ids", [])) & set(parents)]
        records.sort(key=lambda r: r["_seq"])
        chunk, paging = paged(records, ServiceError, "resources", filters, key=lambda r: r["_seq"])
        items = [_with_members(state, customer, r, include_attributes) for r in chunk]
    return jsonify({"items": items, "paging": paging})


def _with_members(state, customer, record, include_attributes):
    body = view(record, include_attributes)
    if record["type"] == GROUP:
        body["member_ids"] = members(state, customer, record)
    return body


@bp.route(PREFIX + "/resources/<resource_id>", methods=["GET"])
@sc.operation("resource_management",
              query={"type": "object", "additionalProperties": False, "properties": {"include_attributes": sc.QUERY_BOOL}},
              responses=sc.with_errors({200: RESOURCE}, 404), error=_error,
              source=SOURCE + " (Fetching detailed information about the resource)")
def get_resource(resource_id):
    """One resource."""
    state = world()
    with state.lock:
        customer = customer_scope()
        record = resource_or_404(state, customer, resource_id)
        body = _with_members(state, customer, record, request.args.get("include_attributes") == "true")
    return jsonify(body)


@bp.route(PREFIX + "/resources/<resource_id>/attributes", methods=["GET"])
@sc.operation("resource_management", responses=sc.with_errors({200: {"type": "object"}}, 404), error=_error,
              source=SOURCE + " (MCP playbook: GET /resources/{id}/attributes)")
def get_attributes(resource_id):
    """The attributes of one resource."""
    state = world()
    with state.lock:
        customer = customer_scope()
        record = resource_or_404(state, customer, resource_id)
        body = dict(record.get("attributes", {}))
    return jsonify(body)


GROUP_BODY = {
    "type": "object", "required": ["type", "name"], "additionalProperties": False,
    "properties": {"type": {"const": GROUP}, "name": {"type": "string", "minLength": 1, "maxLength": 255},
                   "user_defined_name": {"type": "string"}, "parent_group_ids": {"type": "array", "items": sc.UUID},
                   "allowed_member_types": {"type": "array", "items": {"enum": [MACHINE, "resource.virtual_machine"]}},
                   "group_condition": {"type": "string", "minLength": 1}},
}


@bp.route(PREFIX + "/resources", methods=["POST"])
@sc.operation("resource_management", body=GROUP_BODY, responses=sc.with_errors({201: RESOURCE}, 404, 409),
              error=_error, source=SOURCE + " (create_dynamic_group.py: the group body)")
def create_group():
    """A static or dynamic group of the customer."""
    state = world()
    body = request.get_json()
    with state.lock:
        customer = customer_scope()
        for parent_id in body.get("parent_group_ids", []):
            parent = resource_or_404(state, customer, parent_id)
            if parent["type"] != GROUP:
                raise _error(400, "Bad Request", info="Parent %s is not a group." % parent_id)
            if parent.get("group_condition"):
                raise _error(400, "Bad Request", info="A sub-group cannot be added to the dynamic group %s." % parent_id)
        for record in visible_resources(state, customer):
            if record["type"] == GROUP and record["name"].lower() == body["name"].lower():
                raise _error(409, "Conflict", info="A group named %r already exists." % body["name"])
        record = add_resource(state, customer["id"], body["name"], GROUP,
                              parent_group_ids=body.get("parent_group_ids", []),
                              allowed_member_types=body.get("allowed_member_types", [MACHINE]),
                              user_defined_name=body.get("user_defined_name", body["name"]),
                              group_condition=body.get("group_condition"))
        answer = _with_members(state, customer, record, False)
    return jsonify(answer), 201


@bp.route(PREFIX + "/resources/<resource_id>", methods=["DELETE"])
@sc.operation("resource_management", responses=sc.with_errors({204: None}, 404), error=_error,
              source=SOURCE + " (groups are resources; machines leave with their agent)")
def delete_group(resource_id):
    """Delete a group (machines are removed by unregistering their agent, not here)."""
    state = world()
    with state.lock:
        customer = customer_scope()
        record = resource_or_404(state, customer, resource_id)
        if record["type"] != GROUP or record.get("_predefined"):
            raise _error(400, "Bad Request", info="Only groups created through the API can be deleted.")
        remove_resource(state, resource_id)
    return "", 204


@bp.route(PREFIX + "/resource_statuses", methods=["GET"])
@sc.operation("resource_management",
              query={"type": "object", "additionalProperties": False,
                     "properties": dict(PAGING_QUERY, context_id=ID_LIST, type={"type": "string", "minLength": 1},
                                        tenant_id=TENANT_LIST, include_attributes=sc.QUERY_BOOL,
                                        status={"type": "string", "minLength": 1})},
              responses=sc.with_errors({200: _list_schema(RESOURCE_STATUS)}), error=_error,
              source=SOURCE + " (Fetch the protection status of resources; get_all_resources_protection_statuses.py;"
                              " MCP playbook: aggregate.status, policies[].last_success_run)")
def resource_statuses():
    """The protection status of each machine of the customer."""
    from .policies import protection_of  # pylint: disable=import-outside-toplevel
    state = world()
    with state.lock:
        customer = customer_scope()
        filters = filters_of(("context_id", "type", "tenant_id", "status", "include_attributes"))
        include_attributes = filters.get("include_attributes", ["false"])[-1] == "true"
        records = [r for r in visible_resources(state, customer) if r["type"] != GROUP]
        if "context_id" in filters:
            ids = one_of(filters["context_id"])
            records = [r for r in records if r["id"] in ids]
        if "type" in filters:
            types = one_of(filters["type"])
            records = [r for r in records if r["type"] in types]
        if "tenant_id" in filters:
            tenants = one_of(filters["tenant_id"])
            records = [r for r in records if tenant_matches(state, r["tenant_id"], tenants)]
        items = []
        for record in records:
            policies, status, names = protection_of(state, customer, record)
            item = {"context": context_view(record), "aggregate": {"status": status, "names": names},
                    "policies": policies}
            if include_attributes:
                item["attributes"] = dict(record.get("attributes", {}))
            items.append(item)
        if "status" in filters:
            wanted = one_of(filters["status"])
            items = [item for item in items if item["aggregate"]["status"] in wanted]
        chunk, paging = paged(items, ServiceError, "resource_statuses", filters,
                              key=lambda item: item["context"]["id"])
    return jsonify({"items": chunk, "paging": paging})


# ------------------------------------------------------------------ world


def add_resource(state, tenant_id, name, resource_type, attributes=None, **fields):
    """Store a resource record."""
    stamp = now_iso()
    record = {"id": state.new_id(), "type": resource_type, "name": name,
              "user_defined_name": fields.pop("user_defined_name", None) or name, "tenant_id": tenant_id,
              "parent_group_ids": fields.pop("parent_group_ids", None) or [], "created_at": stamp,
              "updated_at": stamp, "_seq": _next_seq(state)}
    record.update({key: value for key, value in fields.items() if value is not None})
    if resource_type != GROUP:
        record["attributes"] = dict(attributes or {})
    _ext(state)[record["id"]] = record
    return record


def _next_seq(state):
    counters = state.ext.setdefault("resources_seq", {"n": 0})
    counters["n"] += 1
    return counters["n"]


def remove_resource(state, resource_id):
    """Forget a resource, whatever was applied to it, its runs and (a machine) its agent: both services agree."""
    from . import runs  # pylint: disable=import-outside-toplevel
    record = _ext(state).pop(resource_id, None)
    for record in _ext(state).values():
        if resource_id in record.get("parent_group_ids", []):
            record["parent_group_ids"].remove(resource_id)
    for application_key in [k for k, a in state.ext.get("applications", {}).items() if a["context_id"] == resource_id]:
        state.ext["applications"].pop(application_key)
    if record is not None and record["type"] != GROUP:
        runs.forget_machine(state, resource_id)
        agents = state.ext.get("agents", {})
        for agent_id in [a for a, agent in agents.items() if agent.get("_machine_id") == resource_id]:
            agents.pop(agent_id)
        runs.recount_workloads(state, record["tenant_id"])


SIM_MACHINE = {"tenant_id", "name", "type", "attributes", "parent_group_ids"}


@bp.route("/_sim/resources", methods=["POST"])
def sim_register_machine():
    """Admin: a machine appears for a customer, as when an agent registers it."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("A JSON object is required.")
    unknown = set(body) - SIM_MACHINE
    if unknown:
        raise bad_request("Unknown fields: %s." % ", ".join(sorted(unknown)))
    if not isinstance(body.get("name"), str) or not body["name"]:
        raise bad_request("name is required.")
    resource_type = body.get("type", MACHINE)
    if resource_type not in (MACHINE, "resource.virtual_machine"):
        raise bad_request("type must be resource.machine or resource.virtual_machine.")
    attributes = body.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise bad_request("attributes must be an object.")
    state = world()
    with state.lock:
        tenant = state.tenant(body.get("tenant_id") or "")
        if tenant is None:
            raise not_found("tenant", body.get("tenant_id"))
        if tenant["kind"] != "customer":
            raise bad_request("Machines belong to customer tenants; %s is a %s." % (tenant["id"], tenant["kind"]))
        attributes.setdefault("hostname", body["name"])
        attributes.setdefault("agent_id", state.new_id())
        attributes.setdefault("os", "Windows Server 2022")
        record = add_resource(state, tenant["id"], body["name"], resource_type, attributes=attributes,
                              parent_group_ids=list(body.get("parent_group_ids") or []))
        answer = view(record, include_attributes=True)
    return jsonify(answer), 201


@bp.route("/_sim/resources", methods=["GET"])
def sim_list_resources():
    """Admin: every resource record."""
    state = world()
    with state.lock:
        items = [view(r, include_attributes=True) for r in sorted(_ext(state).values(), key=lambda r: r["_seq"])]
    return jsonify({"items": items})


@bp.route("/_sim/resources/<resource_id>", methods=["DELETE"])
def sim_remove_resource(resource_id):
    """Admin: a machine disappears (its agent was removed)."""
    state = world()
    with state.lock:
        if resource_id not in _ext(state):
            raise ApiError(404, "The resource was not found.", context={"id": resource_id})
        remove_resource(state, resource_id)
    return "", 204
