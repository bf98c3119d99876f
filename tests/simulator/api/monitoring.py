"""Task manager (/api/task_manager/v2/tasks, /activities) and alert manager (/api/alert_manager/v1/alerts).

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
- Records are generated, deterministic for a --seed: a few hundred tasks, activities and alerts per
  partner and customer tenant, spread over the last 30 days; a caller sees those of its subtree.
"""

import datetime
import random
import re
import time
import uuid
import weakref

from flask import Blueprint, g, jsonify, request

from .. import service_contract as sc
from ..context import world
from ..errors import ApiError
from ..helpers import decode_cursor, encode_cursor

bp = Blueprint("monitoring", __name__)

TASKS_PER_TENANT = 300
ALERTS_PER_TENANT = 200
SPREAD_SECONDS = 30 * 86400
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
DISMISSED_SHARE = 0.08
SEVERITIES = ("information", "warning", "error", "critical")     # in rising order (lt/gt compare by it)

_CACHE = weakref.WeakKeyDictionary()     # world -> {tenant id: {"tasks": [...], "activities": [...], "alerts": [...]}}

_TASK_TYPES = ("backup", "backup", "backup", "restore", "replication", "validation", "cleanup")
_RESULTS = ("ok",) * 14 + ("warning",) * 3 + ("error",) * 2 + ("cancelled",)
_ALERT_TYPES = (("BackupFailed", "Backup", "error"), ("BackupDidNotStart", "Backup", "warning"),
                ("NoBackupForXDays", "Backup", "warning"), ("BackupSucceededWithWarnings", "Backup", "warning"),
                ("AgentOffline", "Monitoring", "critical"), ("StorageQuotaExceeded", "Quota", "error"),
                ("MalwareDetected", "Security", "critical"), ("LicenseExpiresSoon", "Licensing", "information"))


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


def _generate(state, tenant):
    rng = random.Random("%s|%s" % (state.seed, tenant["id"]))
    anchor = int(time.time())
    tenant_ref = {"id": tenant["_numeric_id"], "uuid": tenant["id"], "name": tenant["name"]}
    machines = [{"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": "machine",
                 "name": "%s-%03d" % (rng.choice(("WKS", "SRV", "VM")), n)} for n in range(1, 9)]
    plans = [{"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": "backup",
              "name": "Protection plan %d" % n} for n in range(1, 4)]
    tasks, activities, alerts = [], [], []
    for n in range(TASKS_PER_TENANT):
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
    for n in range(ALERTS_PER_TENANT):
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


def _records(state, scope_root, collection):
    cache = _CACHE.setdefault(state, {})
    result = []
    for tenant_id in state.subtree(scope_root):
        tenant = state.tenants[tenant_id]
        if tenant["kind"] not in ("partner", "customer"):
            continue
        if tenant_id not in cache:
            cache[tenant_id] = _generate(state, tenant)
        result.extend(cache[tenant_id][collection])
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
