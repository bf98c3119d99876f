"""Task manager (/api/task_manager/v2/tasks, /tasks/{id}, /activities) and alert manager
(/api/alert_manager/v1/alerts, /alerts/{id}, /types, /types/{id}).

These services are outside the Account Management specification; their behaviour follows Acronis's
developer documentation (the sources named in each view's contract, ``service_contract.operation``) and its
example scripts (seed 000's monitoring scripts and api-facts.md):

- Filters: ``completedAt=gt(2024-05-01T00:00:00Z)`` style on the task manager, ``updated_at=gt(<unix
  time>)`` on the alert manager (the examples send nanoseconds and microseconds; seconds and
  milliseconds are accepted too: the unit is read from the magnitude; ``<n>ns`` is nanoseconds, and RFC 3339,
  RFC 1123, RFC 850 and ANSI C dates are read as the Task Manager guide lists them). Operators: gt, gte/ge,
  lt, lte/le, eq; other fields take a value or ``or(a,b)``; alert severities also compare (lt, gt, ...:
  information < warning < error < critical). ``order=asc(field)``/``desc(field)``.
- Alerts: ``id`` and ``skip`` (ids, case-insensitive), dismissed alerts hidden unless ``show_deleted`` or
  ``show_deleted_only`` is true.
- Paging: ``{"items": [...], "paging": {"cursors": {"after": "..", "before": ".."}}}``. A continuation
  sends ``limit`` (+ ``lod``) and ``after`` or ``before`` only; the cursor carries the filters and
  order (filters sent again are ignored). ``after`` is absent on the last page, ``before`` on the first.
- Records come from the world (runs.py): the backups that plans ran leave their tasks, activities and alerts,
  in the tenant of the machine; a caller sees those of its subtree. Nothing else exists by default.
- Synthetic volume, for paging tests, only on request: ``--synthetic-monitoring N`` (or ``PUT /_sim/settings
  {"synthetic_monitoring": N}``) adds N generated tasks (each with its activity) and 2N/3 alerts to every
  partner and customer tenant, deterministic for a --seed, spread over the last 30 days, about made-up machines
  and plans (N = 300 gives the volume the simulator always had before the world was connected).
- One task by its integer id (or its UUID); an unknown task, or one outside the caller's subtree, is 404.
- Alerts are also created (``POST /alerts``: ``type`` is required and must be a registered alert type,
  as the Alert Manager reference's 400 "incompatible with the alert type definition" says; severity and
  category default to the type's), read and dismissed by id (``DELETE /alerts/{id}``: 204, the alert keeps
  its record with ``deletedAt``, as dismissed alerts do in the list; dismissing it again is 404). Created
  alerts and dismissals live in ``world.ext["alert_manager"]``. ``GET /types`` lists the registered alert
  types (``{"items": [{id, severity, enabled, contextKeys, searchableDetails}]}``), ``GET /types/{id}`` one.
"""

import datetime
import random
import re
import time
import uuid
import weakref

from flask import Blueprint, g, jsonify, request

from .. import service_contract as sc
from ..auth import can_see
from ..context import sim, world
from ..errors import ApiError
from ..helpers import decode_cursor, encode_cursor, is_uuid
from .runs import WORLD_N, clock

bp = Blueprint("monitoring", __name__)

SPREAD_SECONDS = 30 * 86400
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
DISMISSED_SHARE = 0.08
# In rising order (lt/gt compare by it); "ok" is the lowest severity a created alert may have (the Alert
# Manager reference's enum: ok, information, warning, error, critical); generated alerts never have it.
SEVERITIES = ("ok", "information", "warning", "error", "critical")

_CACHE = weakref.WeakKeyDictionary()     # world -> {tenant id: {"tasks": [...], "activities": [...], "alerts": [...]}}

_TASK_TYPES = ("backup", "backup", "backup", "restore", "replication", "validation", "cleanup")
_RESULTS = ("ok",) * 14 + ("warning",) * 3 + ("error",) * 2 + ("cancelled",)
_ALERT_TYPES = (("BackupFailed", "Backup", "error"), ("BackupDidNotStart", "Backup", "warning"),
                ("NoBackupForXDays", "Backup", "warning"), ("BackupSucceededWithWarnings", "Backup", "warning"),
                ("AgentOffline", "Monitoring", "critical"), ("StorageQuotaExceeded", "Quota", "error"),
                ("MalwareDetected", "Security", "critical"), ("LicenseExpiresSoon", "Licensing", "information"))
# The alert types the Alert Manager knows (GET /types): those generated alerts use, and the type Acronis's
# samples create in their tests (DrStorageHardQuotaExceeds). Generated alerts draw from _ALERT_TYPES only, so
# a seed's data does not change with this list.
_REGISTERED_TYPES = _ALERT_TYPES + (("DrStorageHardQuotaExceeds", "Quota", "error"),)
_CONTEXT_KEYS = {"Backup": ["resourceId", "planId"], "Monitoring": ["resourceId"], "Quota": ["tenantId"],
                 "Security": ["resourceId"], "Licensing": ["tenantId"]}
_SEARCHABLE = {"Backup": ["resourceName", "planName"], "Monitoring": ["resourceName"], "Quota": [],
               "Security": ["resourceName"], "Licensing": []}
ALERT_TYPES = {name: {"id": name, "severity": severity, "enabled": True, "contextKeys": _CONTEXT_KEYS[category],
                      "searchableDetails": _SEARCHABLE[category], "_category": category}
               for name, category, severity in _REGISTERED_TYPES}


class MonitoringError(ApiError):
    """The error envelope, with the domain of the service that answers."""

    def __init__(self, domain, status, message, **kwargs):
        super().__init__(status, message, **kwargs)
        self.domain = domain

    def body(self):
        body = super().body()
        body["error"]["domain"] = self.domain
        return body


# ------------------------------------------------------------------ data


def _iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def synthetic_volume():
    """Generated tasks per tenant (``--synthetic-monitoring``; 0: none)."""
    return int(getattr(sim().settings, "synthetic_monitoring", 0) or 0)


def _generate(state, tenant, tasks_per_tenant):
    rng = random.Random("%s|%s" % (state.seed, tenant["id"]))
    anchor = int(time.time())
    tenant_ref = {"id": tenant["_numeric_id"], "uuid": tenant["id"], "name": tenant["name"]}
    machines = [{"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": "machine",
                 "name": "%s-%03d" % (rng.choice(("WKS", "SRV", "VM")), n)} for n in range(1, 9)]
    plans = [{"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": "backup",
              "name": "Protection plan %d" % n} for n in range(1, 4)]
    tasks, activities, alerts = [], [], []
    for n in range(tasks_per_tenant):
        enqueued = anchor - rng.randint(60, SPREAD_SECONDS)
        started = enqueued + rng.randint(0, 120)
        running = enqueued > anchor - 3600 and rng.random() < 0.3
        completed = None if running else min(anchor, started + rng.randint(30, 5400))
        task_type = rng.choice(_TASK_TYPES)
        code = None if running else rng.choice(_RESULTS)
        task_id = tenant["_numeric_id"] * 100000 + n + 1
        task = {"id": task_id, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": task_type,
                "queue": "%s_queue" % task_type, "state": "started" if running else "completed",
                "result": None if running else {"code": code}, "tenant": dict(tenant_ref),
                "resource": dict(rng.choice(machines)), "policy": dict(rng.choice(plans)),
                "enqueuedAt": _iso(enqueued), "startedAt": _iso(started),
                "completedAt": _iso(completed) if completed else None,
                "updatedAt": _iso(completed or started),
                "_t": {"enqueuedAt": enqueued, "startedAt": started, "completedAt": completed,
                       "updatedAt": completed or started},
                "_n": n}
        tasks.append(task)
        activities.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "taskId": task_id,
                           "parentActivityId": None, "type": task_type, "title": "%s of %s" % (
                               task_type.capitalize(), task["resource"]["name"]),
                           "state": task["state"], "result": task["result"], "tenant": dict(tenant_ref),
                           "resource": dict(task["resource"]), "policy": dict(task["policy"]),
                           "startedAt": task["startedAt"], "completedAt": task["completedAt"],
                           "updatedAt": task["updatedAt"], "_t": dict(task["_t"]), "_n": n})
    for n in range(tasks_per_tenant * 2 // 3):
        created = anchor - rng.randint(60, SPREAD_SECONDS)
        updated = min(anchor, created + rng.choice((0, 0, 0, 600, 7200, 86400)))
        alert_type, category, severity = rng.choice(_ALERT_TYPES)
        resource = rng.choice(machines)
        alert_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        plan_name = rng.choice(plans)["name"]
        # A few alerts were dismissed (the documentation's show_deleted): their update is the dismissal.
        deleted = min(anchor, updated + rng.randint(60, 86400)) if rng.random() < DISMISSED_SHARE else None
        alerts.append({"id": alert_id, "type": alert_type,
                       "category": category, "severity": severity, "tenant": dict(tenant_ref),
                       "details": {"resourceId": resource["id"], "resourceName": resource["name"],
                                   "planName": plan_name},
                       "createdAt": _iso(created), "receivedAt": _iso(created),
                       "updatedAt": _iso(deleted or updated), "deletedAt": _iso(deleted) if deleted else None,
                       "_t": {"createdAt": created, "updatedAt": deleted or updated, "deletedAt": deleted},
                       "_n": n})
    return {"tasks": tasks, "activities": activities, "alerts": alerts}


def alert_store(state):
    """Alerts created through the API ({tenant id: [alert]}) and dismissals of generated ones ({id: Unix time})."""
    return state.ext.setdefault("alert_manager", {"created": {}, "dismissed": {}})


def _dismissed_copy(record, moment):
    copy = dict(record, updatedAt=_iso(moment), deletedAt=_iso(moment))
    copy["_t"] = dict(record["_t"], updatedAt=moment, deletedAt=moment)
    return copy


def _records(state, scope_root, collection):
    from .runs import store  # pylint: disable=import-outside-toplevel
    cache = _CACHE.setdefault(state, {})
    volume = synthetic_volume()
    alerts = alert_store(state) if collection == "alerts" else None
    world_records = store(state)[collection] if alerts is None else alerts["created"]
    result = []
    # Users' personal tenants hold agents and machines too: they are walked for the world's records.
    for tenant_id in state.subtree(scope_root, include_hidden=True):
        tenant = state.tenants[tenant_id]
        result.extend(world_records.get(tenant_id, []))
        hidden_below = tenant["_hidden"] and tenant_id != scope_root
        if not volume or tenant["kind"] not in ("partner", "customer") or hidden_below:
            continue
        if (tenant_id, volume) not in cache:
            cache[(tenant_id, volume)] = _generate(state, tenant, volume)
        records = cache[(tenant_id, volume)][collection]
        if alerts is not None and alerts["dismissed"]:
            dismissed = alerts["dismissed"]
            records = [_dismissed_copy(r, dismissed[r["id"]]) if r["id"] in dismissed else r for r in records]
        result.extend(records)
    return result


# ------------------------------------------------------------------ query language

_OPS = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "ge": lambda a, b: a >= b,
        "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b, "le": lambda a, b: a <= b,
        "eq": lambda a, b: a == b}
_CALL = re.compile(r"^(\w+)\((.*)\)$")


_DATE_FORMATS = (
    "%a, %d %b %Y %H:%M:%S %Z",        # RFC 1123
    "%a, %d %b %Y %H:%M:%S %z",        # RFC 1123 with a numeric zone
    "%A, %d-%b-%y %H:%M:%S %Z",        # RFC 850
    "%a %b %d %H:%M:%S %Y",            # ANSI C asctime
)


def _seconds(text, error):
    """A moment as Unix seconds.

    The Task Manager guide lists RFC 3339, RFC 1123, RFC 850, ANSI, UnixTimestamp (integer) and
    UnixTimestampNano (integer + "ns"); the alert examples send nanoseconds and microseconds without a
    suffix, so a bare number's unit is read from its magnitude (s, ms, us, ns).
    """
    text = text.strip()
    if re.match(r"^\d+ns$", text):
        return int(text[:-2]) / 1e9
    if re.match(r"^\d+(\.\d+)?$", text):
        number = float(text)
        for limit, divisor in ((1e17, 1e9), (1e14, 1e6), (1e11, 1e3)):
            if number >= limit:
                return number / divisor
        return number
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
        for layout in _DATE_FORMATS:
            try:
                moment = datetime.datetime.strptime(" ".join(text.split()), layout)
                break
            except ValueError:
                continue
        if moment is None:
            raise error("'%s' is not a date in RFC 3339, RFC 1123, RFC 850 or ANSI form, nor a Unix time." % text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _values(name, raw, error):
    """A value or or(a,b,...) -> [values]."""
    match = _CALL.match(raw.strip())
    if match and match.group(1) == "or":
        return [v.strip() for v in match.group(2).split(",")]
    if match and match.group(1) == "eq":
        return [match.group(2).strip()]
    if match:
        raise error("Unknown operator '%s' in %s=%s." % (match.group(1), name, raw))
    return [raw.strip()]


def _parse_filters(pairs, endpoint):
    """[(name, raw)] -> [(field, kind, op, value)]."""
    error = endpoint.error
    parsed = []
    for name, raw in pairs:
        if name in endpoint.time_fields:
            match = _CALL.match(raw.strip())
            op, operand = (match.group(1), match.group(2)) if match else ("eq", raw)
            if op not in _OPS:
                raise error("Unknown operator '%s' in %s=%s." % (op, name, raw))
            parsed.append((endpoint.time_fields[name], "time", op, _seconds(operand, error)))
        elif name in endpoint.ranked_fields:
            ranks = endpoint.ranked_fields[name]
            match = _CALL.match(raw.strip())
            op, operand = (match.group(1), match.group(2).strip()) if match else ("eq", raw.strip())
            if op == "or":
                values = [v.strip() for v in operand.split(",")]
                unknown = [v for v in values if v not in ranks]
                if unknown:
                    raise error("Unknown %s '%s'; use one of %s." % (name, unknown[0], ", ".join(ranks)))
                parsed.append((name, "value", "in", values))
                continue
            if op not in _OPS:
                raise error("Unknown operator '%s' in %s=%s." % (op, name, raw))
            if operand not in ranks:
                raise error("Unknown %s '%s'; use one of %s." % (name, operand, ", ".join(ranks)))
            parsed.append((name, "rank", op, ranks.index(operand)))
        elif name in endpoint.id_fields:
            values = [v.lower() for value in _values(name, raw, error) for v in value.split(",") if v]
            parsed.append((endpoint.id_fields[name][0], "id", endpoint.id_fields[name][1], values))
        elif name in endpoint.value_fields:
            parsed.append((endpoint.value_fields[name], "value", "in", _values(name, raw, error)))
    return parsed


def _field(record, path):
    value = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _matches(record, filters):
    for field, kind, op, operand in filters:
        if kind == "time":
            moment = record["_t"].get(field)
            if moment is None or not _OPS[op](moment, operand):
                return False
        elif kind == "rank":
            if not _OPS[op](SEVERITIES.index(record[field]), operand):
                return False
        elif kind == "dismissed":
            if (record["_t"].get(field) is not None) != operand:
                return False
        elif kind == "id":
            inside = str(record.get(field)).lower() in operand
            if inside != (op == "in"):
                return False
        elif str(_field(record, field)) not in operand:
            return False
    return True


# ------------------------------------------------------------------ listing


class _Endpoint:
    """What differs between the three lists."""

    def __init__(self, name, domain, collection, time_fields, value_fields, default_order, short_fields, size,
                 ranked_fields=None, id_fields=None, flags=()):
        self.name = name
        self.domain = domain
        self.collection = collection
        self.time_fields = time_fields
        self.value_fields = value_fields
        self.ranked_fields = ranked_fields or {}
        self.id_fields = id_fields or {}
        self.flags = flags
        self.default_order = default_order
        self.short_fields = short_fields
        self.with_size = size

    def filter_names(self):
        """Every query parameter that filters this list."""
        return set(self.time_fields) | set(self.value_fields) | set(self.ranked_fields) | set(self.id_fields)

    def error(self, message):
        """A 400 in this service's envelope."""
        return MonitoringError(self.domain, 400, "Bad Request", info=message, code=400)


_TASK_TIMES = {"enqueuedAt": "enqueuedAt", "startedAt": "startedAt", "completedAt": "completedAt",
               "updatedAt": "updatedAt"}
_TASK_VALUES = {"state": "state", "type": "type", "queue": "queue", "resultCode": "result.code",
                "result.code": "result.code", "tenantId": "tenant.uuid", "policyId": "policy.id",
                "resourceId": "resource.id", "uuid": "uuid"}
_SHORT = ("id", "uuid", "type", "state", "result", "enqueuedAt", "startedAt", "completedAt", "updatedAt")

TASKS = _Endpoint("tasks", "TaskManager", "tasks", _TASK_TIMES, dict(_TASK_VALUES, id="id"), ("desc", "enqueuedAt"),
                  _SHORT, True)
ACTIVITIES = _Endpoint("activities", "TaskManager", "activities",
                       {"startedAt": "startedAt", "completedAt": "completedAt", "updatedAt": "updatedAt"},
                       dict(_TASK_VALUES, taskId="taskId", id="id"), ("desc", "startedAt"),
                       ("id", "taskId", "type", "state", "result", "startedAt", "completedAt", "updatedAt"), True)
ALERTS = _Endpoint("alerts", "AlertManager", "alerts",
                   {"updated_at": "updatedAt", "updatedAt": "updatedAt", "created_at": "createdAt",
                    "createdAt": "createdAt"},
                   {"type": "type", "category": "category", "tenant": "tenant.uuid"},
                   ("desc", "createdAt"), ("id", "type", "category", "severity", "createdAt", "updatedAt"), False,
                   ranked_fields={"severity": SEVERITIES},
                   id_fields={"id": ("id", "in"), "skip": ("id", "out")},
                   flags=("show_deleted", "show_deleted_only"))


def _limit(endpoint, raw, default):
    if raw in (None, ""):
        return default
    if not re.match(r"^\d+$", raw.strip()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise endpoint.error("limit must be an integer from 1 to %d." % MAX_LIMIT)
    return int(raw)


def _order(endpoint, raw):
    if raw in (None, ""):
        return list(endpoint.default_order)
    match = _CALL.match(raw.strip())
    if not match or match.group(1) not in ("asc", "desc") or match.group(2) not in endpoint.time_fields:
        raise endpoint.error("order must be asc(<field>) or desc(<field>) of a time field, not '%s'." % raw)
    return [match.group(1), endpoint.time_fields[match.group(2)]]


def _view(record, lod, endpoint):
    if lod == "short":
        return {key: record.get(key) for key in endpoint.short_fields}
    return {key: value for key, value in record.items() if not key.startswith("_")}


def _list(endpoint):
    args = request.args
    after, before = args.get("after"), args.get("before")
    if after and before:
        raise endpoint.error("Send either after or before, not both.")
    cursor = after or before
    if cursor:
        try:
            payload = decode_cursor(cursor)
        except ApiError as exc:
            raise endpoint.error("The cursor is malformed.") from exc
        if payload.get("s") != endpoint.name or not isinstance(payload.get("k"), list):
            raise endpoint.error("The cursor was not issued by this list.")
        pairs, order = [tuple(p) for p in payload["f"]], payload["o"]
        limit = _limit(endpoint, args.get("limit"), payload["l"])
        lod = args.get("lod") or payload.get("lod")
    else:
        names = endpoint.filter_names() | set(endpoint.flags)
        pairs = [(name, value) for name in args for value in args.getlist(name) if name in names]
        order = _order(endpoint, args.get("order"))
        limit = _limit(endpoint, args.get("limit"), DEFAULT_LIMIT)
        lod = args.get("lod")
    flags = {name: value.strip().lower() == "true" for name, value in pairs if name in endpoint.flags}
    filters = _parse_filters([p for p in pairs if p[0] not in endpoint.flags], endpoint)
    if endpoint.flags and flags.get("show_deleted_only"):
        filters.append(("deletedAt", "dismissed", "is", True))
    elif endpoint.flags and not flags.get("show_deleted"):
        filters.append(("deletedAt", "dismissed", "is", False))
    sign = -1 if order[0] == "desc" else 1
    state = world()
    with state.lock:
        scope_root = g.principal.scope_root
        if scope_root is None or state.tenant(scope_root) is None:
            raise MonitoringError(endpoint.domain, 403, "Forbidden", info="The caller sees no tenant.", code=403)
        records = [r for r in _records(state, scope_root, endpoint.collection) if _matches(r, filters)]

    def key(record):
        return [sign * (record["_t"].get(order[1]) or 0), sign * record["tenant"]["id"], sign * record["_n"]]

    records.sort(key=key)
    keys = [key(r) for r in records]
    if after:
        start = next((i for i, k in enumerate(keys) if k > payload["k"]), len(keys))
        end = start + limit
    elif before:
        end = next((i for i, k in enumerate(keys) if k >= payload["k"]), len(keys))
        start = max(0, end - limit)
    else:
        start, end = 0, limit
    chunk = records[start:end]
    base = {"s": endpoint.name, "f": [list(p) for p in pairs], "o": order, "l": limit, "lod": lod}
    cursors = {}
    if chunk and start + len(chunk) < len(records):
        cursors["after"] = encode_cursor(dict(base, k=key(chunk[-1])))
    if chunk and start > 0:
        cursors["before"] = encode_cursor(dict(base, k=key(chunk[0])))
    body = {"items": [_view(r, lod, endpoint) for r in chunk], "paging": {"cursors": cursors}}
    if endpoint.with_size:
        body["size"] = len(chunk)
    return jsonify(body)


# ------------------------------------------------------------------ contracts

TASKS_GUIDE = ("Acronis Task Manager API v2: guide 'Fetching a list of tasks started after the specified date' "
               "(https://developer.acronis.com/doc/tasks/v2/guide/tasks/fetching-tasks-startedAt: filters such as "
               "startedAt=gt(<date>), dates in RFC3339, RFC1123, RFC850, ANSI, UnixTimestamp, UnixTimestampNano), "
               "'Fetching a list of all activities' (https://developer.acronis.com/doc/apis/api-library/tasks/"
               "activities/fetching-activities.html) and the reference "
               "(https://developer.acronis.com/doc/tasks/v2/reference/openapi.json: lod, limit, after); task "
               "states and result codes as the reference lists them; seed 000's monitoring scripts "
               "(completedAt=gt(...), paging.cursors, size)")
ALERTS_GUIDE = ("Acronis Alert Manager API v1: 'Fetching alerts' (https://developer.acronis.com/doc/connector/"
                "managing-alerts/fetching-alerts/index.html: id, type, category, tenant, skip, severity with eq/or/"
                "lt/gt/le/ge, show_deleted, show_deleted_only, updated_at in UNIX nanoseconds); seed 000's "
                "get_alerts.py and alerts_pagination.py (microseconds, order, limit, after)")


def _task_manager_error(status, message, info=None, **details):
    return MonitoringError("TaskManager", status, message, code=status, info=info, **details)


def _alert_manager_error(status, message, info=None, **details):
    return MonitoringError("AlertManager", status, message, code=status, info=info, **details)


_TEXT = {"type": "string"}
_TEXTS = {"oneOf": [_TEXT, {"type": "array", "items": _TEXT}]}      # a filter may be sent more than once
_TIME = {"type": ["string", "null"]}
_REF = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                             "type": {"type": "string"}}}
_TENANT = {"type": "object", "required": ["id", "uuid"],
           "properties": {"id": {"type": "integer"}, "uuid": sc.UUID, "name": {"type": "string"}}}
_RESULT = {"oneOf": [{"type": "null"}, {
    "type": "object", "required": ["code"],
    "properties": {"code": {"enum": ["ok", "error", "warning", "cancelled", "abandoned", "timedout"]}}}]}
_STATE = {"enum": ["enqueued", "assigned", "started", "paused", "completed"]}
_PAGING = {"type": "object", "required": ["cursors"], "additionalProperties": False,
           "properties": {"cursors": {"type": "object", "additionalProperties": False,
                                      "properties": {"after": {"type": "string"}, "before": {"type": "string"}}}}}


def _paging_query(endpoint, extra=None):
    properties = {name: _TEXTS for name in endpoint.filter_names()}
    properties.update({"limit": sc.QUERY_INT, "after": _TEXT, "before": _TEXT, "order": _TEXT, "lod": _TEXT})
    properties.update(extra or {})
    return {"type": "object", "additionalProperties": False, "properties": properties}


def _list_body(item, with_size):
    body = {"type": "object", "required": ["items", "paging"], "additionalProperties": False,
            "properties": {"items": {"type": "array", "items": item}, "paging": _PAGING}}
    if with_size:
        body["required"].append("size")
        body["properties"]["size"] = {"type": "integer", "minimum": 0}
    return body


_TASK = {"type": "object", "required": ["id", "type", "state"],
         "properties": {"id": {"type": "integer"}, "uuid": sc.UUID, "type": _TEXT, "queue": _TEXT, "state": _STATE,
                        "result": _RESULT, "tenant": _TENANT, "resource": _REF, "policy": _REF,
                        "enqueuedAt": _TIME, "startedAt": _TIME, "completedAt": _TIME, "updatedAt": _TIME}}
_ACTIVITY = {"type": "object", "required": ["id", "taskId", "type", "state"],
             "properties": {"id": sc.UUID, "taskId": {"type": "integer"}, "parentActivityId": {"type": ["string", "null"]},
                            "type": _TEXT, "title": _TEXT, "state": _STATE, "result": _RESULT, "tenant": _TENANT,
                            "resource": _REF, "policy": _REF, "startedAt": _TIME, "completedAt": _TIME,
                            "updatedAt": _TIME}}
_ALERT = {"type": "object", "required": ["id", "type", "category", "severity"],
          "properties": {"id": sc.UUID, "type": _TEXT, "category": _TEXT, "severity": {"enum": list(SEVERITIES)},
                         "tenant": _TENANT, "details": {"type": "object"}, "createdAt": _TIME,
                         "receivedAt": _TIME, "updatedAt": _TIME, "deletedAt": _TIME}}


@bp.route("/api/task_manager/v2/tasks", methods=["GET"])
@sc.operation("task_manager", query=_paging_query(TASKS), responses=sc.with_errors({200: _list_body(_TASK, True)}),
              source=TASKS_GUIDE, error=_task_manager_error)
def list_tasks():
    """Tasks of the caller's subtree."""
    return _list(TASKS)


@bp.route("/api/task_manager/v2/activities", methods=["GET"])
@sc.operation("task_manager", query=_paging_query(ACTIVITIES),
              responses=sc.with_errors({200: _list_body(_ACTIVITY, True)}), source=TASKS_GUIDE,
              error=_task_manager_error)
def list_activities():
    """Activities of the caller's subtree."""
    return _list(ACTIVITIES)


@bp.route("/api/alert_manager/v1/alerts", methods=["GET"])
@sc.operation("alert_manager",
              query=_paging_query(ALERTS, {"show_deleted": sc.QUERY_BOOL, "show_deleted_only": sc.QUERY_BOOL}),
              responses=sc.with_errors({200: _list_body(_ALERT, False)}), source=ALERTS_GUIDE,
              error=_alert_manager_error)
def list_alerts():
    """Alerts of the caller's subtree."""
    return _list(ALERTS)


# ------------------------------------------------------------------ one task, one alert, alert types

TASK_GUIDE = ("Acronis Task Manager API v2 reference (https://developer.acronis.com/doc/tasks/v2/reference: "
              "GET /tasks/{task-id}, lod); Acronis's samples, TaskManager/how_to_get_task.py and "
              "Tests/test_task_manager.py (GET /tasks/{id} of an id read from GET /tasks)")
ALERT_REFERENCE = ("Acronis Alert Manager API v1 reference (https://developer.acronis.com/doc/alerts/v1/reference: "
                   "POST /alerts 'Creates and activates an alert', 200 'ID of the created alert', 400 'Alert is "
                   "invalid, e.g. incompatible with the alert type definition'; the payload's type, category, "
                   "severity ok|information|warning|error|critical, id, createdAt, details, context, tenantID, "
                   "_source, _sourceTimeStamp), the guide 'Reporting alerts' (the answer {\"id\"}); Acronis's "
                   "samples, AlertManager/*.py and Tests/test_alert_manager.py (create with type "
                   "DrStorageHardQuotaExceeds, GET and DELETE /alerts/{id}, 204; GET /types, GET /types/{id})")

_TASK_ID = {"type": "string", "pattern": r"^([0-9]+|[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})$"}
_NO_QUERY = {"type": "object", "additionalProperties": False, "properties": {}}
_ALERT_BODY = {
    "type": "object", "required": ["type"],
    "properties": {
        "type": {"type": "string", "minLength": 1}, "category": {"type": "string", "minLength": 1},
        "severity": {"enum": list(SEVERITIES)}, "id": sc.UUID,
        "createdAt": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"},
        "details": {"type": "object"}, "context": {"type": "object", "additionalProperties": {"type": "string"}},
        "tenantID": {"type": "string", "minLength": 1}, "_source": {"type": "string"},
        "_sourceTimeStamp": {"type": "integer"},
    },
}
_CREATED = {"type": "object", "required": ["id"], "additionalProperties": False, "properties": {"id": sc.UUID}}
_TYPE = {"type": "object", "required": ["id", "severity", "enabled", "contextKeys", "searchableDetails"],
         "additionalProperties": False,
         "properties": {"id": _TEXT, "severity": {"enum": list(SEVERITIES)}, "enabled": {"type": "boolean"},
                        "contextKeys": {"type": "array", "items": _TEXT},
                        "searchableDetails": {"type": "array", "items": _TEXT}}}


def _scope_root(domain):
    scope_root = g.principal.scope_root
    if scope_root is None or world().tenant(scope_root) is None:
        raise MonitoringError(domain, 403, "Forbidden", info="The caller sees no tenant.", code=403)
    return scope_root


def _require_write(domain):
    if not g.principal.can_write:
        raise MonitoringError(domain, 403, "Forbidden", info="The caller has read-only access.", code=403)


@bp.route("/api/task_manager/v2/tasks/<task_id>", methods=["GET"])
@sc.operation("task_manager",
              query={"type": "object", "additionalProperties": False,
                     "properties": {"lod": {"enum": ["tiny", "short", "long", "full", "debug"]}}},
              responses=sc.with_errors({200: _TASK}, 404), source=TASK_GUIDE, error=_task_manager_error)
def get_task(task_id):
    """One task of the caller's subtree, by its integer id or its UUID."""
    if not re.match(_TASK_ID["pattern"], task_id):
        raise _task_manager_error(400, "Bad Request", info="A task id is an integer or a UUID, not '%s'." % task_id)
    wanted = task_id.lower()
    state = world()
    with state.lock:
        scope_root = _scope_root("TaskManager")
        field = "uuid" if "-" in wanted else "id"
        found = next((r for r in _records(state, scope_root, "tasks") if str(r[field]).lower() == wanted), None)
    if found is None:
        raise _task_manager_error(404, "Not Found", info="Task %s was not found." % task_id)
    lod = "short" if request.args.get("lod") in ("tiny", "short") else None
    return jsonify(_view(found, lod, TASKS))


def _alert_tenant(state, body):
    """The tenant record of a new alert: tenantID (UUID or integer id, in the caller's subtree) or the caller's."""
    reference = body.get("tenantID")
    if reference is None:
        return state.tenants[_scope_root("AlertManager")]
    if reference.isdigit():
        record = next((t for t in state.tenants.values()
                       if t["_numeric_id"] == int(reference) and t["deleted_at"] is None), None)
    else:
        record = state.tenant(reference.lower()) if is_uuid(reference.lower()) else None
    if record is None:
        raise _alert_manager_error(400, "Bad Request", info="Alert is invalid: unknown tenantID %s." % reference)
    if not can_see(record["id"]):
        raise _alert_manager_error(403, "Forbidden", info="The tenant %s is outside the caller's subtree." % reference)
    return record


@bp.route("/api/alert_manager/v1/alerts", methods=["POST"])
@sc.operation("alert_manager", query=_NO_QUERY, body=_ALERT_BODY, responses=sc.with_errors({200: _CREATED}),
              source=ALERT_REFERENCE, error=_alert_manager_error)
def create_alert():
    """Create and activate an alert of a registered type: 200 {"id"}."""
    body = request.get_json()
    alert_type = ALERT_TYPES.get(body["type"])
    if alert_type is None:
        raise _alert_manager_error(400, "Bad Request", info="Alert is invalid: '%s' is not a registered alert type "
                                   "(GET /api/alert_manager/v1/types lists them)." % body["type"])
    state = world()
    with state.lock:
        _scope_root("AlertManager")
        _require_write("AlertManager")
        tenant = _alert_tenant(state, body)
        alert_id = (body.get("id") or state.new_id()).lower()
        if body.get("id") and _id_taken(state, alert_id):
            raise _alert_manager_error(400, "Bad Request", info="Alert is invalid: an alert with id %s exists."
                                       % alert_id)
        now = clock(state)
        created = _seconds(body["createdAt"], lambda message: _alert_manager_error(400, "Bad Request", info=message)) \
            if body.get("createdAt") else now
        own = alert_store(state)["created"].setdefault(tenant["id"], [])
        record = {"id": alert_id, "type": body["type"], "category": body.get("category", alert_type["_category"]),
                  "severity": body.get("severity", alert_type["severity"]),
                  "tenant": {"id": tenant["_numeric_id"], "uuid": tenant["id"], "name": tenant["name"]},
                  "details": dict(body.get("details") or {}), "createdAt": _iso(created), "receivedAt": _iso(now),
                  "updatedAt": _iso(now), "deletedAt": None,
                  "_t": {"createdAt": created, "updatedAt": now, "deletedAt": None},
                  "_n": WORLD_N + len(own)}
        if "context" in body:
            record["context"] = dict(body["context"])
        own.append(record)
    return jsonify({"id": alert_id})


def _id_taken(state, alert_id):
    """True when a created alert, or a generated one the caller can see, has this id."""
    created = (r for alerts in alert_store(state)["created"].values() for r in alerts)
    if any(r["id"].lower() == alert_id for r in created):
        return True
    return any(r["id"].lower() == alert_id for r in _records(state, _scope_root("AlertManager"), "alerts"))


def _find_alert(state, alert_id):
    """The alert of the caller's subtree with this id (dismissed ones too), or 404."""
    wanted = alert_id.lower()
    scope_root = _scope_root("AlertManager")
    found = next((r for r in _records(state, scope_root, "alerts") if r["id"].lower() == wanted), None)
    if found is None:
        raise _alert_manager_error(404, "Not Found", info="Alert %s was not found." % alert_id)
    return found


@bp.route("/api/alert_manager/v1/alerts/<alert_id>", methods=["GET"])
@sc.operation("alert_manager", query=_NO_QUERY, responses=sc.with_errors({200: _ALERT}, 404),
              source=ALERT_REFERENCE, error=_alert_manager_error)
def get_alert(alert_id):
    """One alert, dismissed or not (a dismissed alert carries deletedAt)."""
    state = world()
    with state.lock:
        return jsonify(_view(_find_alert(state, alert_id), None, ALERTS))


@bp.route("/api/alert_manager/v1/alerts/<alert_id>", methods=["DELETE"])
@sc.operation("alert_manager", query=_NO_QUERY, responses=sc.with_errors({204: None}, 404),
              source=ALERT_REFERENCE, error=_alert_manager_error)
def dismiss_alert(alert_id):
    """Dismiss an active alert: 204; it is listed with show_deleted from then on. Unknown or dismissed: 404."""
    state = world()
    with state.lock:
        record = _find_alert(state, alert_id)
        _require_write("AlertManager")
        if record["deletedAt"] is not None:
            raise _alert_manager_error(404, "Not Found", info="Alert %s was already dismissed." % alert_id)
        now = clock(state)
        store = alert_store(state)
        own = store["created"].get(record["tenant"]["uuid"], [])
        if any(r is record for r in own):
            record.update(updatedAt=_iso(now), deletedAt=_iso(now))
            record["_t"].update(updatedAt=now, deletedAt=now)
        else:
            store["dismissed"][record["id"]] = now
    return "", 204


@bp.route("/api/alert_manager/v1/types", methods=["GET"])
@sc.operation("alert_manager", query=_NO_QUERY,
              responses=sc.with_errors({200: {"type": "object", "required": ["items"], "additionalProperties": False,
                                              "properties": {"items": {"type": "array", "items": _TYPE}}}}),
              source=ALERT_REFERENCE, error=_alert_manager_error)
def list_alert_types():
    """The registered alert types."""
    _scope_root("AlertManager")
    return jsonify({"items": [_type_view(item) for item in ALERT_TYPES.values()]})


@bp.route("/api/alert_manager/v1/types/<type_id>", methods=["GET"])
@sc.operation("alert_manager", query=_NO_QUERY, responses=sc.with_errors({200: _TYPE}, 404),
              source=ALERT_REFERENCE, error=_alert_manager_error)
def get_alert_type(type_id):
    """One registered alert type, by its id (the type's name)."""
    _scope_root("AlertManager")
    item = ALERT_TYPES.get(type_id)
    if item is None:
        raise _alert_manager_error(404, "Not Found", info="Alert type %s was not found." % type_id)
    return jsonify(_type_view(item))


def _type_view(item):
    return {key: (list(value) if isinstance(value, list) else value) for key, value in item.items()
            if not key.startswith("_")}
