"""Task manager (/api/task_manager/v2/tasks, /activities) and alert manager (/api/alert_manager/v1/alerts).

These services are outside the Account Management specification; their behaviour follows Acronis's
example scripts (seed 000's monitoring scripts and api-facts.md):

- Filters: ``completedAt=gt(2024-05-01T00:00:00Z)`` style on the task manager, ``updated_at=gt(<unix
  time>)`` on the alert manager (the examples send nanoseconds and microseconds; seconds and
  milliseconds are accepted too: the unit is read from the magnitude). Operators: gt, gte/ge, lt,
  lte/le, eq; other fields take a value or ``or(a,b)``. ``order=asc(field)``/``desc(field)``.
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

from ..context import world
from ..errors import ApiError
from ..helpers import decode_cursor, encode_cursor

bp = Blueprint("monitoring", __name__)

TASKS_PER_TENANT = 300
ALERTS_PER_TENANT = 200
SPREAD_SECONDS = 30 * 86400
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

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
        alerts.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": alert_type,
                       "category": category, "severity": severity, "tenant": dict(tenant_ref),
                       "details": {"resourceId": resource["id"], "resourceName": resource["name"],
                                   "planName": rng.choice(plans)["name"]},
                       "createdAt": _iso(created), "receivedAt": _iso(created), "updatedAt": _iso(updated),
                       "_t": {"createdAt": created, "updatedAt": updated}, "_n": n})
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


def _seconds(text, error):
    """A moment as Unix seconds: RFC3339, or a number whose magnitude gives its unit (s, ms, us, ns)."""
    text = text.strip()
    if re.match(r"^\d+(\.\d+)?$", text):
        number = float(text)
        for limit, divisor in ((1e17, 1e9), (1e14, 1e6), (1e11, 1e3)):
            if number >= limit:
                return number / divisor
        return number
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise error("'%s' is neither an RFC 3339 date nor a Unix time." % text) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _parse_filters(pairs, time_fields, value_fields, error):
    """[(name, raw)] -> [(field, kind, op, value)]."""
    parsed = []
    for name, raw in pairs:
        if name in time_fields:
            match = _CALL.match(raw.strip())
            op, operand = (match.group(1), match.group(2)) if match else ("eq", raw)
            if op not in _OPS:
                raise error("Unknown operator '%s' in %s=%s." % (op, name, raw))
            parsed.append((time_fields[name], "time", op, _seconds(operand, error)))
        elif name in value_fields:
            match = _CALL.match(raw.strip())
            if match and match.group(1) == "or":
                values = [v.strip() for v in match.group(2).split(",")]
            elif match:
                raise error("Unknown operator '%s' in %s=%s." % (match.group(1), name, raw))
            else:
                values = [raw.strip()]
            parsed.append((value_fields[name], "value", "in", values))
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
        elif str(_field(record, field)) not in operand:
            return False
    return True


# ------------------------------------------------------------------ listing


class _Endpoint:
    """What differs between the three lists."""

    def __init__(self, name, domain, collection, time_fields, value_fields, default_order, short_fields, size):
        self.name = name
        self.domain = domain
        self.collection = collection
        self.time_fields = time_fields
        self.value_fields = value_fields
        self.default_order = default_order
        self.short_fields = short_fields
        self.with_size = size

    def error(self, message):
        """A 400 in this service's envelope."""
        return MonitoringError(self.domain, 400, "Bad Request", info=message, code=400)


_TASK_TIMES = {"enqueuedAt": "enqueuedAt", "startedAt": "startedAt", "completedAt": "completedAt",
               "updatedAt": "updatedAt"}
_TASK_VALUES = {"state": "state", "type": "type", "resultCode": "result.code", "result.code": "result.code",
                "tenantId": "tenant.uuid", "policyId": "policy.id", "resourceId": "resource.id"}
_SHORT = ("id", "uuid", "type", "state", "result", "enqueuedAt", "startedAt", "completedAt", "updatedAt")

TASKS = _Endpoint("tasks", "TaskManager", "tasks", _TASK_TIMES, _TASK_VALUES, ("desc", "enqueuedAt"), _SHORT, True)
ACTIVITIES = _Endpoint("activities", "TaskManager", "activities",
                       {"startedAt": "startedAt", "completedAt": "completedAt", "updatedAt": "updatedAt"},
                       dict(_TASK_VALUES, taskId="taskId"), ("desc", "startedAt"),
                       ("id", "taskId", "type", "state", "result", "startedAt", "completedAt", "updatedAt"), True)
ALERTS = _Endpoint("alerts", "AlertManager", "alerts",
                   {"updated_at": "updatedAt", "updatedAt": "updatedAt", "created_at": "createdAt",
                    "createdAt": "createdAt"},
                   {"severity": "severity", "type": "type", "category": "category", "tenant": "tenant.uuid"},
                   ("desc", "createdAt"), ("id", "type", "category", "severity", "createdAt", "updatedAt"), False)


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
        pairs = [(name, value) for name in args for value in args.getlist(name)
                 if name in endpoint.time_fields or name in endpoint.value_fields]
        order = _order(endpoint, args.get("order"))
        limit = _limit(endpoint, args.get("limit"), DEFAULT_LIMIT)
        lod = args.get("lod")
    filters = _parse_filters(pairs, endpoint.time_fields, endpoint.value_fields, endpoint.error)
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


@bp.route("/api/task_manager/v2/tasks", methods=["GET"])
def list_tasks():
    """Tasks of the caller's subtree."""
    return _list(TASKS)


@bp.route("/api/task_manager/v2/activities", methods=["GET"])
def list_activities():
    """Activities of the caller's subtree."""
    return _list(ACTIVITIES)


@bp.route("/api/alert_manager/v1/alerts", methods=["GET"])
def list_alerts():
    """Alerts of the caller's subtree."""
    return _list(ALERTS)
