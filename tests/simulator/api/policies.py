"""Policy Management API v4 (/api/policy_management/v4): protection plans, applications, runs, statuses.

Sources (Acronis developer documentation, "Resource and Policy Management API v4", guide and reference; seed
000's plans/*.py scripts and base_plan.json):

- A protection plan is a ``policy.protection.total`` policy (``id``, ``type``, ``origin``, ``enabled``, ``name``)
  with child policies (``policy.backup.machine``, ``policy.security.*``...) naming it in ``parent_ids``, each
  with ``settings_schema`` and ``settings`` ("Total protection policy", "Machine backup policy",
  "Creating a protection plan": ``POST /policy_management/v4/policies`` with ``{"subject": {"policy": [...]}}``).
- ``GET /policy_management/v4/policies``: filters ``tenant_id``, ``types`` (the seed's apply_plan.py sends
  ``type``), ``enabled``, ``policy_id``, ``parent_ids`` (empty: root policies only), ``applicable_to_context_id``
  (mutually exclusive with ``include_applied_context``), ``include_settings``, ``full_composite``; each item is
  ``{"policy": [...]}`` (apply_plan.py reads ``items[0]["policy"][0]``, and its ``parent_ids``).
- "Updating a policy or protection plan": ``PATCH /policy_management/v4/policies/{policy_id}`` with
  ``{"subject": {"policy": [{...fields}]}}`` answers 204. "Deleting a protection plan": ``DELETE`` answers 204.
- "Applying a protection plan to resources": ``POST /policy_management/v4/applications``
  ``{"policy_id", "context": {"items": [resource ids]}}``.
- "Revoking protection plans from resources": ``DELETE /policy_management/v4/applications?policy_id=&context_id=``
  (several contexts as ``or(a,b)``) answers 204.
- revoke_plan.py / start_plan_execution.py: ``GET /policy_management/v4/applications?context_id=&policy_type=``
  answers a list of lists (``items[0][0]["policy"]``, with ``parent_ids`` for a child policy).
- "Start execution of a policy": ``PUT /policy_management/v4/applications/run``
  ``{"state": "running", "policy_id", "context_ids": [...]}`` (start_plan_execution.py prints the JSON answer).
- "Fetching policy execution statuses of resources": ``GET /policy_management/v4/policy_statuses`` answers
  ``{"items": [{"context": {...}, "policies": [{"names", "next_run_time", "running": {"state"}, "status",
  "type"}]}], "paging": {...}}``.
- Pagination as resources.py; every call needs a customer-scoped token (403 otherwise).
- Acronis's MCP playbook (@acronis-platform/mcp, "Create a Protection Plan"): policies carry the tenant's numeric id
  as ``tenant_id`` (a UUID there is refused); one create call holds the root and the modules to enable, and "the
  server expands the composite, filling in the remaining default modules disabled"; a machine backup without
  ``settings_schema`` or a ``scheduling`` block is refused (``PolicySettingsNotSet``);
  ``policy.security.backups_scanning`` needs an enabled machine backup; the answer's ``result[]`` names the
  ``...@policy.protection.total`` id.

- Backup schedules (``settings.scheduling.backup_sets[].schedule``): base_plan.json's weekly form (``type``,
  ``alarms.time.weekdays``, ``alarms.time.repeat_at`` of ``{hour, minute}``, ``conditions``, ``prevent_sleep``);
  the kinds the console and the User Guide's "Schedule" section offer (hourly every N hours within a time range,
  daily, weekly, monthly on days of the month, the last day, or a weekday of one week, a date range). The
  names of the fields beyond base_plan.json are the ones of the Acronis-based Cyber Protect policy schema that
  Acronis's partners publish (``repeat_every``, ``monthdays``, ``include_last_day_of_month``, ``months``);
  ``run_within`` (``from``/``to``), ``week_of_month``, ``start_date``/``end_date`` (``{year, month, day}``) are
  *guesses* (no published example). ``schedule_problem`` below is the rule; a schedule that breaks it is refused
  400 ``PolicySettingsInvalid`` naming the field (*guess*: the code; the guide documents no schedule error).
- What a plan backs up, its exclusions and its encryption (the console's "What to back up", "Items to back up",
  "Exclusions", "Encryption"; no published JSON example): *guesses* ``backup_span`` ``{type: entire_machine |
  disks | volumes | files, items: [...]}``, ``exclusions`` ``{enabled, masks}``, ``encryption`` ``{enabled,
  algorithm: aes128 | aes192 | aes256, password}`` (a password is required to switch encryption on);
  ``settings_problem`` refuses other shapes the same way. Retention rules are ``max_age`` ``{type, count}`` or
  ``max_count`` (the Acronis-based schema's rule: exactly one of them), optionally with ``backup_set``.

Simulator choices where the guide shows no answer: create answers 200 with ``{"result": ["<id>@<type>", ...]}``
for every policy of the plan (the default modules it added included);
apply answers 204; run answers 200 ``{"items": [{"policy_id", "context_id", "state"}]}``; a run lasts
``run_seconds`` (``PUT /_sim/protection``, default 0: it ends at the next read) and ends with ``outcome``
(default ``ok``). Applying a plan that is already applied changes nothing; revoking what is not applied is 404;
running a plan on a resource it is not applied to is 409.
"""

from flask import Blueprint, jsonify, request

from .. import service_contract as sc
from ..context import world
from ..errors import bad_request
from ..helpers import now_iso
from . import runs
from .resources import (GROUP, ID_LIST, NUMERIC_TENANT, PAGING, PAGING_QUERY, TENANT_LIST, CONTEXT, ServiceError,
                        context_view, customer_scope, filters_of, members, numeric_tenant_id, one_of, paged,
                        resource_or_404, tenant_matches, visible_resources)

bp = Blueprint("policies", __name__)
PREFIX = "/api/policy_management/v4"
SOURCE = "developer.acronis.com/doc/resource-policy-management/v4/guide/plans-and-policies; seed 000 plans/*.py"
TOTAL = "policy.protection.total"
BACKUP = "policy.backup.machine"
BACKUPS_SCANNING = "policy.security.backups_scanning"
# Modules the service adds, disabled, to a plan created without them.
DEFAULT_MODULES = ("policy.security.antimalware_protection", "policy.security.vulnerability_assessment",
                   "policy.security.patch_management")
OUTCOMES = ("ok", "warning", "error")


class PolicyError(ServiceError):
    """Errors of the Policy Management service."""

    domain = "PolicyManagement"


def _error(status, message, info=None, violations=None, code=None):
    return PolicyError(status, message, code=code or status, info=info,
                       **({"violations": violations} if violations else {}))


def _policies(state):
    return state.ext.setdefault("policies", {})


def _applications(state):
    return state.ext.setdefault("applications", {})


def _settings(state):
    return runs.protection_settings(state)


# ------------------------------------------------------------------ contracts

POLICY_TYPE = {"type": "string", "pattern": r"^policy\.[a-z0-9_]+(\.[a-z0-9_]+)*$"}
POLICY_IN = {
    "type": "object", "required": ["id", "type"], "additionalProperties": False,
    "properties": {
        "id": sc.UUID, "type": POLICY_TYPE, "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "origin": {"enum": ["upstream", "downstream"]}, "enabled": {"type": "boolean"},
        "parent_ids": {"type": "array", "items": sc.UUID, "maxItems": 1},
        "settings_schema": {"type": "string"}, "settings": {"type": "object"}, "tenant_id": {"type": "string"},
        "favorite": {"type": "boolean"},
        "template_source_id": {"type": "string"}, "plan_hash": {"type": "string"}, "source_type": {"type": "string"},
        "days_without_backup_alert": {"type": ["integer", "null"]}, "ls_features": {"type": "string"},
    },
}
CREATE_BODY = {
    "type": "object", "required": ["subject"], "additionalProperties": False,
    "properties": {"subject": {
        "type": "object", "required": ["policy"], "additionalProperties": False,
        "properties": {"policy": {"type": "array", "minItems": 1, "items": POLICY_IN},
                       "ignore_policy_and_tenant_ids": {"type": "boolean"}, "override_tenant_id": {"type": "boolean"},
                       "disable_applications_on_conflict": {"type": "boolean"}}}},
}
PATCH_POLICY = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {"id": sc.UUID, "name": {"type": "string", "minLength": 1, "maxLength": 255},
                   "enabled": {"type": "boolean"}, "settings_schema": {"type": "string"}, "settings": {"type": "object"},
                   "favorite": {"type": "boolean"}},
}
PATCH_BODY = {
    "type": "object", "required": ["subject"], "additionalProperties": False,
    "properties": {"subject": {"type": "object", "required": ["policy"], "additionalProperties": False,
                               "properties": {"policy": {"type": "array", "minItems": 1, "items": PATCH_POLICY}}}},
}
POLICY_OUT = {
    "type": "object", "required": ["id", "type", "origin", "enabled", "tenant_id", "created_at", "updated_at"],
    "additionalProperties": False,
    "properties": dict(POLICY_IN["properties"], tenant_id=NUMERIC_TENANT, created_at={"type": "string"},
                       updated_at={"type": "string"},
                       applied_context={"type": "array", "items": CONTEXT}),
}
CREATE_ANSWER = {"type": "object", "required": ["result"], "additionalProperties": False,
                 "properties": {"result": {"type": "array", "minItems": 1, "items": {
                     "type": "string", "pattern": "^[0-9a-fA-F-]{36}@policy\\.[a-z0-9_.]+$"}}}}
POLICY_ITEM = {"type": "object", "required": ["policy"], "additionalProperties": False,
               "properties": {"policy": {"type": "array", "minItems": 1, "items": POLICY_OUT}}}
APPLICATION = {
    "type": "object", "required": ["policy", "context", "enabled", "status", "running"], "additionalProperties": False,
    "properties": {
        "policy": {"type": "object", "required": ["id", "type"], "additionalProperties": False,
                   "properties": {"id": sc.UUID, "type": POLICY_TYPE, "name": {"type": "string"},
                                  "parent_ids": {"type": "array", "items": sc.UUID}}},
        "context": {"type": "object", "required": ["id", "type"], "additionalProperties": False,
                    "properties": {"id": sc.UUID, "type": {"type": "string"}}},
        "enabled": {"type": "boolean"}, "status": {"enum": list(OUTCOMES)},
        "running": {"type": "object", "required": ["state"],
                    "properties": {"state": {"enum": ["idle", "running"]}, "started_at": {"type": "string"}}},
        "last_run_at": {"type": ["string", "null"]}, "created_at": {"type": "string"},
    },
}
POLICY_STATUS = {
    "type": "object", "required": ["context", "policies"], "additionalProperties": False,
    "properties": {"context": CONTEXT, "policies": {"type": "array", "items": {
        "type": "object", "required": ["id", "names", "next_run_time", "running", "status", "type"],
        "additionalProperties": False,
        "properties": {"id": sc.UUID, "names": {"type": "array", "items": {"type": "string"}},
                       "next_run_time": {"type": ["string", "null"]}, "status": {"enum": list(OUTCOMES)},
                       "running": {"type": "object", "required": ["state"],
                                   "properties": {"state": {"enum": ["idle", "running"]}}},
                       "type": POLICY_TYPE, "parent_ids": {"type": "array", "items": sc.UUID},
                       "last_run_at": {"type": ["string", "null"]}}}}},
}


def _list_of(item):
    return {"type": "object", "required": ["items", "paging"], "additionalProperties": False,
            "properties": {"items": {"type": "array", "items": item}, "paging": PAGING}}


# ------------------------------------------------------------------ views and runs


def _view(record, include_settings=True):
    body = {key: value for key, value in record.items() if not key.startswith("_")}
    body["tenant_id"] = numeric_tenant_id(world(), record["tenant_id"])
    if not include_settings:
        body.pop("settings", None)
    return body


def _plan_records(state, root):
    """The root policy followed by its children, in creation order."""
    children = [p for p in _policies(state).values() if root["id"] in p.get("parent_ids", [])]
    return [root] + sorted(children, key=lambda p: p["_seq"])


def _root_of(state, record):
    parents = record.get("parent_ids") or []
    return _policies(state).get(parents[0]) if parents else record


def _machines_in(state, customer, context):
    """The machines a context stands for: itself, or the members of a group."""
    if context["type"] != GROUP:
        return [context]
    wanted = set(members(state, customer, context))
    return [r for r in visible_resources(state, customer) if r["id"] in wanted]


def _context_run(state, customer, plan_id, context):
    """The run of a plan on a machine, or over a group's machines (running if one runs, the worst status)."""
    if context["type"] != GROUP:
        return runs.run_of(state, plan_id, context["id"])
    machine_runs = [runs.run_of(state, plan_id, m["id"]) for m in _machines_in(state, customer, context)]
    if not machine_runs:
        return {"state": "idle", "status": "ok", "last_run_at": None, "last_success_at": None}
    stamps = [r["last_run_at"] for r in machine_runs if r["last_run_at"]]
    return {"state": "running" if any(r["state"] == "running" for r in machine_runs) else "idle",
            "status": max((r["status"] for r in machine_runs), key=OUTCOMES.index),
            "last_run_at": max(stamps) if stamps else None}


def _applications_for(state, customer, context):
    """Applications that cover a machine: on it directly, or on a group that holds it."""
    found = []
    for application in _applications(state).values():
        if application["context_id"] == context["id"]:
            found.append(application)
        elif context["type"] != GROUP:
            group = next((r for r in visible_resources(state, customer) if r["id"] == application["context_id"]), None)
            if group is not None and group["type"] == GROUP and context["id"] in members(state, customer, group):
                found.append(application)
    return found


def _owner_customer(state, record):
    """The customer (or the nearest visible tenant) a resource belongs to, for group membership."""
    tenant = state.tenants[record["tenant_id"]]
    while tenant["_hidden"] and tenant["parent_id"] != tenant["id"]:
        tenant = state.tenants[tenant["parent_id"]]
    return tenant


def covering_plans(state, machine):
    """The plans (root records) applied to a machine, directly or through a group (runs.py counts usage)."""
    customer = _owner_customer(state, machine)
    plans = [_policies(state).get(a["policy_id"]) for a in _applications_for(state, customer, machine)]
    return [plan for plan in plans if plan is not None]


def scheduled_work(state):
    """(plan, its children, machine) for every machine a plan covers: the clock starts their scheduled runs."""
    work, seen = [], set()
    for application in list(_applications(state).values()):
        plan = _policies(state).get(application["policy_id"])
        context = state.ext.get("resources", {}).get(application["context_id"])
        if plan is None or context is None:
            continue
        customer = _owner_customer(state, context)
        for machine in _machines_in(state, customer, context):
            if (plan["id"], machine["id"]) not in seen:
                seen.add((plan["id"], machine["id"]))
                work.append((plan, _plan_records(state, plan)[1:], machine))
    return work


def forget_plans_of(state, tenant_ids):
    """Deleting tenants: their plans, the plans' applications and runs."""
    doomed = {p["id"] for p in _policies(state).values() if p["tenant_id"] in tenant_ids}
    for policy_id in doomed:
        _policies(state).pop(policy_id, None)
    for key in [k for k, a in _applications(state).items() if a["policy_id"] in doomed]:
        _applications(state).pop(key)
    for key in [k for k in runs.runs(state) if k.split("|")[0] in doomed]:
        runs.runs(state).pop(key)


def protection_of(state, customer, machine):
    """(policies, aggregate status, plan names) of a machine, for resource_statuses (resources.py)."""
    policies, statuses, names = [], [], []
    for application in _applications_for(state, customer, machine):
        root = _policies(state).get(application["policy_id"])
        if root is None:
            continue
        run = runs.run_of(state, root["id"], machine["id"])
        children = _plan_records(state, root)[1:]
        upcoming = runs.next_run(state, children)
        names.append(root.get("name", ""))
        statuses.append("running" if run["state"] == "running" else run["status"])
        for policy in children:
            if policy["enabled"]:
                policies.append({"id": policy["id"], "type": policy["type"], "parent_ids": [root["id"]],
                                 "names": [root.get("name", "")], "status": run["status"],
                                 "last_run": run["last_run_at"], "last_success_run": run.get("last_success_at"),
                                 "next_run": upcoming})
    if not names:
        return policies, "not_protected", ""
    if "running" in statuses:
        return policies, "running", ", ".join(names)
    return policies, max(statuses, key=OUTCOMES.index), ", ".join(names)


SCHEDULE_TYPES = ("hourly", "daily", "weekly", "monthly")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKS_OF_MONTH = ("first", "second", "third", "fourth", "last")
# The fields of alarms.time each kind of schedule takes (beside start_date and end_date).
ALARM_FIELDS = {
    "hourly": {"weekdays", "repeat_every", "run_within"},
    "daily": {"weekdays", "repeat_at"},
    "weekly": {"weekdays", "repeat_at"},
    "monthly": {"months", "monthdays", "include_last_day_of_month", "week_of_month", "weekdays", "repeat_at"},
}


def _is_int(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _time_problem(value, where):
    if not isinstance(value, dict) or set(value) - {"hour", "minute"} or not _is_int(value.get("hour"), 0, 23) \
            or not _is_int(value.get("minute", 0), 0, 59):
        return "%s must be {hour: 0-23, minute: 0-59}, not %r" % (where, value)
    return None


def _date_problem(value, where):
    import datetime  # pylint: disable=import-outside-toplevel
    if not isinstance(value, dict) or set(value) != {"year", "month", "day"} \
            or not all(_is_int(value[k], 1, 9999) for k in value):
        return "%s must be {year, month, day}, not %r" % (where, value)
    try:
        datetime.date(value["year"], value["month"], value["day"])
    except ValueError:
        return "%s is not a real date: %r" % (where, value)
    return None


def schedule_problem(schedule, where="schedule"):
    """What is wrong with one backup set's schedule (None when the service takes it)."""
    if not isinstance(schedule, dict):
        return "%s must be an object" % where
    kind = schedule.get("type")
    if kind not in SCHEDULE_TYPES:
        return "%s.type must be one of %s, not %r" % (where, ", ".join(SCHEDULE_TYPES), kind)
    alarm = (schedule.get("alarms") or {}).get("time")
    if not isinstance(alarm, dict):
        return "%s.alarms.time must be an object" % where
    where += ".alarms.time"
    unknown = sorted(set(alarm) - ALARM_FIELDS[kind] - {"start_date", "end_date", "rand_max_delay"})
    if unknown:
        return "%s.%s is not a field of a %s schedule" % (where, unknown[0], kind)
    weekdays = alarm.get("weekdays")
    if weekdays is not None and (not isinstance(weekdays, list) or not weekdays
                                 or any(d not in WEEKDAYS for d in weekdays) or len(set(weekdays)) != len(weekdays)):
        return "%s.weekdays must list distinct days of %s, not %r" % (where, ", ".join(WEEKDAYS), weekdays)
    if kind == "weekly" and not weekdays:
        return "%s.weekdays is required for a weekly schedule" % where
    if kind in ("daily", "weekly", "monthly"):
        repeat_at = alarm.get("repeat_at")
        if not isinstance(repeat_at, list) or not repeat_at:
            return "%s.repeat_at (the times of the day) is required for a %s schedule" % (where, kind)
        for n, moment in enumerate(repeat_at):
            problem = _time_problem(moment, "%s.repeat_at[%d]" % (where, n))
            if problem:
                return problem
    if kind == "hourly":
        every = alarm.get("repeat_every")
        if not isinstance(every, dict) or every.get("type") not in ("minutes", "hours") \
                or not _is_int(every.get("count"), 1, 24 if every.get("type") == "hours" else 1440):
            return "%s.repeat_every must be {type: hours (count 1-24) or minutes (count 1-1440)}, not %r" % (
                where, every)
        window = alarm.get("run_within")
        if window is not None:
            if not isinstance(window, dict) or set(window) != {"from", "to"}:
                return "%s.run_within must be {from, to}, not %r" % (where, window)
            for end in ("from", "to"):
                problem = _time_problem(window[end], "%s.run_within.%s" % (where, end))
                if problem:
                    return problem
            if (window["from"]["hour"], window["from"].get("minute", 0)) >= \
                    (window["to"]["hour"], window["to"].get("minute", 0)):
                return "%s.run_within.from must be earlier than to" % where
    if kind == "monthly":
        months = alarm.get("months")
        if not isinstance(months, list) or not months or any(not _is_int(m, 1, 12) for m in months):
            return "%s.months must list months 1-12, not %r" % (where, months)
        monthdays = alarm.get("monthdays", [])
        if not isinstance(monthdays, list) or any(not _is_int(d, 1, 31) for d in monthdays):
            return "%s.monthdays must list days 1-31, not %r" % (where, monthdays)
        last = alarm.get("include_last_day_of_month", False)
        if not isinstance(last, bool):
            return "%s.include_last_day_of_month must be a boolean" % where
        week = alarm.get("week_of_month")
        if week is not None:
            if week not in WEEKS_OF_MONTH:
                return "%s.week_of_month must be one of %s, not %r" % (where, ", ".join(WEEKS_OF_MONTH), week)
            if not weekdays or monthdays or last:
                return "%s: a monthly schedule on a week of the month takes weekdays, and no monthdays" % where
        elif weekdays is not None:
            return "%s.weekdays needs week_of_month in a monthly schedule" % where
        elif not monthdays and not last:
            return "%s: a monthly schedule needs monthdays, include_last_day_of_month or week_of_month" % where
    for key in ("start_date", "end_date"):
        if key in alarm:
            problem = _date_problem(alarm[key], "%s.%s" % (where, key))
            if problem:
                return problem
    if "start_date" in alarm and "end_date" in alarm:
        if tuple(alarm["start_date"][k] for k in ("year", "month", "day")) > \
                tuple(alarm["end_date"][k] for k in ("year", "month", "day")):
            return "%s.start_date is after end_date" % where
    return None


BACKUP_SPANS = ("entire_machine", "disks", "volumes", "files")
ENCRYPTION_ALGORITHMS = ("aes128", "aes192", "aes256")


def settings_problem(settings):
    """What is wrong with a machine backup policy's backup_span, exclusions, encryption or retention, or None."""
    span = settings.get("backup_span")
    if span is not None:
        if not isinstance(span, dict) or span.get("type") not in BACKUP_SPANS:
            return "backup_span.type must be one of %s, not %r" % (", ".join(BACKUP_SPANS), span)
        items = span.get("items", [])
        if not isinstance(items, list) or any(not isinstance(i, str) or not i.strip() for i in items):
            return "backup_span.items must list paths, not %r" % (items,)
        if span["type"] != "entire_machine" and not items:
            return "backup_span.items must name the %s to back up" % span["type"]
        if span["type"] == "entire_machine" and items:
            return "backup_span.items must be empty for entire_machine"
    exclusions = settings.get("exclusions")
    if exclusions is not None and (not isinstance(exclusions, dict) or not isinstance(exclusions.get("masks", []), list)
                                   or not isinstance(exclusions.get("enabled", False), bool)):
        return "exclusions must be {enabled, masks: [...]}, not %r" % (exclusions,)
    encryption = settings.get("encryption")
    if encryption is not None:
        if not isinstance(encryption, dict):
            return "encryption must be an object"
        if encryption.get("enabled"):
            if encryption.get("algorithm", "aes256") not in ENCRYPTION_ALGORITHMS:
                return "encryption.algorithm must be one of %s" % ", ".join(ENCRYPTION_ALGORITHMS)
            if not isinstance(encryption.get("password"), str) or not encryption.get("password"):
                return "encryption.password is required to encrypt backups"
    for n, rule in enumerate((settings.get("retention") or {}).get("rules") or []):
        if not isinstance(rule, dict) or ("max_age" in rule) == ("max_count" in rule):
            return "retention.rules[%d] needs exactly one of max_age and max_count" % n
        if "max_count" in rule and not _is_int(rule["max_count"], 1, 2 ** 31 - 1):
            return "retention.rules[%d].max_count must be a whole number from 1" % n
        age = rule.get("max_age")
        if "max_age" in rule and (not isinstance(age, dict) or age.get("type") not in ("days", "weeks", "months")
                                  or not _is_int(age.get("count"), 1, 2 ** 31 - 1)):
            return "retention.rules[%d].max_age must be {type: days | weeks | months, count}" % n
    return None


def _backup_settings_problem(settings, policy_id):
    """The refusal of a machine backup policy's settings the service would not take, or None."""
    problem = settings_problem(settings)
    if problem:
        return _error(400, "Bad Request", code="PolicySettingsInvalid", info="Policy %s: %s." % (policy_id, problem))
    sets = settings.get("scheduling", {}).get("backup_sets", [])
    if not isinstance(sets, list):
        return _error(400, "Bad Request", code="PolicySettingsInvalid",
                      info="Policy %s: settings.scheduling.backup_sets must be a list." % policy_id)
    for n, backup_set in enumerate(sets):
        if isinstance(backup_set, dict) and "schedule" not in backup_set:
            continue
        problem = schedule_problem((backup_set or {}).get("schedule"),
                                   "settings.scheduling.backup_sets[%d].schedule" % n)
        if problem:
            return _error(400, "Bad Request", code="PolicySettingsInvalid", info="Policy %s: %s." % (policy_id, problem))
    return None


def _customer_policy(state, customer, policy_id):
    record = _policies(state).get(policy_id)
    if record is None or not state.in_subtree(record["tenant_id"], customer["id"]):
        raise _error(404, "Not Found", info="Policy %s was not found." % policy_id)
    return record


# ------------------------------------------------------------------ policies


@bp.route(PREFIX + "/policies", methods=["POST"])
@sc.operation("policy_management", body=CREATE_BODY, responses=sc.with_errors({200: CREATE_ANSWER}, 409),
              error=_error, source=SOURCE + " (Creating a protection plan; create_a_backup_plan.py, base_plan.json)")
def create_policy():
    """A protection plan: one policy.protection.total and its children."""
    state = world()
    policies = request.get_json()["subject"]["policy"]
    with state.lock:
        customer = customer_scope(PolicyError)
        roots = [p for p in policies if not p.get("parent_ids")]
        if len(roots) != 1 or roots[0]["type"] != TOTAL:
            raise _error(400, "Bad Request", info="A protection plan has exactly one root policy, of type %s; the "
                                                  "other policies name it in parent_ids." % TOTAL)
        root = roots[0]
        if not root.get("name"):
            raise _error(400, "Bad Request", info="The %s policy needs a name." % TOTAL)
        ids = [p["id"] for p in policies]
        if len(set(ids)) != len(ids):
            raise _error(400, "Bad Request", info="Policy ids must be unique.")
        for child in policies:
            if child is root:
                continue
            if child["type"] == TOTAL or child["parent_ids"] != [root["id"]]:
                raise _error(400, "Bad Request", info="Policy %s must name the plan %s in parent_ids." % (
                    child["id"], root["id"]))
            if "settings" not in child or "settings_schema" not in child:
                raise _error(400, "Bad Request", info="Policy %s (%s) needs settings_schema and settings." % (
                    child["id"], child["type"]))
        types = [p["type"] for p in policies]
        if len(set(types)) != len(types):
            raise _error(400, "Bad Request", info="A plan holds at most one policy of each type.")
        numeric = numeric_tenant_id(state, customer["id"])
        for policy in policies:
            if "tenant_id" in policy and policy["tenant_id"] != numeric:
                raise _error(400, "Bad Request", code="TenantNotFound",
                             info="tenant_id %r is not the numeric id (%s) of the customer this token is scoped to."
                                  % (policy["tenant_id"], numeric))
            if policy["type"] == BACKUP and not isinstance(policy.get("settings", {}).get("scheduling"), dict):
                raise _error(400, "Bad Request", code="PolicySettingsNotSet",
                             info="The %s policy %s needs settings_schema and a scheduling block in its settings."
                                  % (BACKUP, policy["id"]))
            if policy["type"] == BACKUP:
                refusal = _backup_settings_problem(policy["settings"], policy["id"])
                if refusal is not None:
                    raise refusal
        backup_enabled = any(p["type"] == BACKUP and p.get("enabled", True) for p in policies)
        if any(p["type"] == BACKUPS_SCANNING and p.get("enabled", True) for p in policies) and not backup_enabled:
            raise _error(400, "Bad Request", code="PolicyDependencyNotMet",
                         info="%s needs an enabled %s policy in the same plan." % (BACKUPS_SCANNING, BACKUP))
        for policy_id in ids:
            if policy_id in _policies(state):
                raise _error(409, "Conflict", info="Policy %s already exists." % policy_id)
        stamp = now_iso()
        defaults = [{"id": state.new_id(), "type": module, "parent_ids": [root["id"]], "origin": "upstream",
                     "enabled": False, "settings_schema": "2.0", "settings": {}}
                    for module in DEFAULT_MODULES if module not in types]
        result = []
        for policy in [root] + [p for p in policies if p is not root] + defaults:
            record = {key: value for key, value in policy.items() if key != "tenant_id"}
            record.setdefault("origin", "upstream")
            record.setdefault("enabled", True)
            record.update(tenant_id=customer["id"], created_at=stamp, updated_at=stamp, _seq=_next_seq(state))
            _policies(state)[record["id"]] = record
            result.append("%s@%s" % (record["id"], record["type"]))
    return jsonify({"result": result})


def _next_seq(state):
    counter = state.ext.setdefault("policies_seq", {"n": 0})
    counter["n"] += 1
    return counter["n"]


LIST_QUERY = {
    "type": "object", "additionalProperties": False,
    "properties": dict(PAGING_QUERY, tenant_id=TENANT_LIST, types={"type": "string"}, type={"type": "string"},
                       enabled=sc.QUERY_BOOL, policy_id=ID_LIST, parent_ids={"type": "string"},
                       applicable_to_context_id=ID_LIST, include_applied_context=sc.QUERY_BOOL,
                       include_settings=sc.QUERY_BOOL, full_composite=sc.QUERY_BOOL),
}
_LIST_FILTERS = ("tenant_id", "types", "type", "enabled", "policy_id", "parent_ids", "applicable_to_context_id",
                 "include_applied_context", "include_settings", "full_composite")


@bp.route(PREFIX + "/policies", methods=["GET"])
@sc.operation("policy_management", query=LIST_QUERY, responses=sc.with_errors({200: _list_of(POLICY_ITEM)}, 404),
              error=_error, source=SOURCE + " (Fetching a list of policies and protection plans; reference)")
def list_policies():
    """Policies of the customer, one item each; a root's item holds its children with full_composite."""
    state = world()
    with state.lock:
        customer = customer_scope(PolicyError)
        filters = filters_of(_LIST_FILTERS)
        flag = {name: filters.get(name, ["false"])[-1] == "true"
                for name in ("include_applied_context", "include_settings", "full_composite")}
        if flag["include_applied_context"] and "applicable_to_context_id" in filters:
            raise _error(400, "Bad Request",
                         info="applicable_to_context_id and include_applied_context are mutually exclusive.")
        for context_id in one_of(filters.get("applicable_to_context_id", [])):
            resource_or_404(state, customer, context_id, PolicyError)
        records = sorted((p for p in _policies(state).values() if state.in_subtree(p["tenant_id"], customer["id"])),
                         key=lambda p: p["_seq"])
        types = one_of(filters.get("types", []) + filters.get("type", []))
        if types:
            records = [p for p in records if p["type"] in types]
        if "policy_id" in filters:
            records = [p for p in records if p["id"] in one_of(filters["policy_id"])]
        if "tenant_id" in filters:
            records = [p for p in records if tenant_matches(state, p["tenant_id"], one_of(filters["tenant_id"]))]
        if "enabled" in filters:
            records = [p for p in records if p["enabled"] == (filters["enabled"][-1] == "true")]
        if "parent_ids" in filters:
            parents = one_of(filters["parent_ids"])
            records = [p for p in records if (set(p.get("parent_ids", [])) & set(parents)
                                              if parents else not p.get("parent_ids"))]
        chunk, paging = paged(records, PolicyError, "policies", filters, key=lambda p: p["_seq"])
        items = []
        for record in chunk:
            group = _plan_records(state, record) if flag["full_composite"] and record["type"] == TOTAL else [record]
            views = [_view(p, flag["include_settings"]) for p in group]
            if flag["include_applied_context"]:
                root = _root_of(state, record)
                contexts = [a["context_id"] for a in _applications(state).values() if a["policy_id"] == root["id"]]
                views[0]["applied_context"] = [context_view(resource_or_404(state, customer, c, PolicyError))
                                               for c in contexts]
            items.append({"policy": views})
    return jsonify({"items": items, "paging": paging})


@bp.route(PREFIX + "/policies/<policy_id>", methods=["GET"])
@sc.operation("policy_management",
              query={"type": "object", "additionalProperties": False,
                     "properties": {"include_settings": sc.QUERY_BOOL, "full_composite": sc.QUERY_BOOL}},
              responses=sc.with_errors({200: POLICY_ITEM}, 404), error=_error, source=SOURCE + " (reference)")
def get_policy(policy_id):
    """One policy (with its children when full_composite=true)."""
    state = world()
    with state.lock:
        customer = customer_scope(PolicyError)
        record = _customer_policy(state, customer, policy_id)
        full = request.args.get("full_composite") == "true" and record["type"] == TOTAL
        settings = request.args.get("include_settings") == "true"
        group = _plan_records(state, record) if full else [record]
        body = {"policy": [_view(p, settings) for p in group]}
    return jsonify(body)


@bp.route(PREFIX + "/policies/<policy_id>", methods=["PATCH"])
@sc.operation("policy_management", body=PATCH_BODY, responses=sc.with_errors({204: None}, 404), error=_error,
              source=SOURCE + " (Updating a policy or protection plan: 204)")
def patch_policy(policy_id):
    """Change fields of the policy (an element without id) or of its children (elements with their id)."""
    state = world()
    changes = request.get_json()["subject"]["policy"]
    with state.lock:
        customer = customer_scope(PolicyError)
        record = _customer_policy(state, customer, policy_id)
        family = {p["id"]: p for p in _plan_records(state, record)} if record["type"] == TOTAL else {record["id"]: record}
        targets = []
        for change in changes:
            target = family.get(change.get("id", policy_id))
            if target is None:
                raise _error(404, "Not Found", info="Policy %s is not part of %s." % (change["id"], policy_id))
            if "settings" in change and target["type"] == TOTAL:
                raise _error(400, "Bad Request", info="The %s policy has no settings." % TOTAL)
            if target["type"] == BACKUP and "settings" in change and not isinstance(
                    change["settings"].get("scheduling"), dict):
                raise _error(400, "Bad Request", code="PolicySettingsNotSet",
                             info="The %s policy %s needs a scheduling block in its settings." % (BACKUP, target["id"]))
            if target["type"] == BACKUP and "settings" in change:
                refusal = _backup_settings_problem(change["settings"], target["id"])
                if refusal is not None:
                    raise refusal
            if "name" in change and target["type"] != TOTAL:
                raise _error(400, "Bad Request", info="Only the %s policy has a name." % TOTAL)
            targets.append((target, change))
        stamp = now_iso()
        for target, change in targets:
            target.update({key: value for key, value in change.items() if key != "id"})
            target["updated_at"] = stamp
    return "", 204


@bp.route(PREFIX + "/policies/<policy_id>", methods=["DELETE"])
@sc.operation("policy_management", responses=sc.with_errors({204: None}, 404), error=_error,
              source=SOURCE + " (Deleting a protection plan: 204)")
def delete_policy(policy_id):
    """Delete a plan with its children and applications (or one child policy)."""
    state = world()
    with state.lock:
        customer = customer_scope(PolicyError)
        record = _customer_policy(state, customer, policy_id)
        doomed = _plan_records(state, record) if record["type"] == TOTAL else [record]
        for policy in doomed:
            _policies(state).pop(policy["id"], None)
        if record["type"] == TOTAL:
            for key in [k for k, a in _applications(state).items() if a["policy_id"] == policy_id]:
                _applications(state).pop(key)
            for key in [k for k in runs.runs(state) if k.startswith(policy_id + "|")]:
                runs.runs(state).pop(key)
            runs.recount_all(state)
    return "", 204


# ------------------------------------------------------------------ applications

APPLY_BODY = {
    "type": "object", "required": ["policy_id", "context"], "additionalProperties": False,
    "properties": {"policy_id": sc.UUID,
                   "context": {"type": "object", "required": ["items"], "additionalProperties": False,
                               "properties": {"items": {"type": "array", "minItems": 1, "maxItems": 100,
                                                        "items": sc.UUID}}}},
}


@bp.route(PREFIX + "/applications", methods=["POST"])
@sc.operation("policy_management", body=APPLY_BODY, responses=sc.with_errors({204: None}, 404), error=_error,
              source=SOURCE + " (Applying a protection plan to resources; apply_plan.py)")
def apply_policy():
    """Apply a plan to machines or groups."""
    state = world()
    body = request.get_json()
    with state.lock:
        customer = customer_scope(PolicyError)
        root = _customer_policy(state, customer, body["policy_id"])
        if root["type"] != TOTAL:
            raise _error(400, "Bad Request", info="Apply the protection plan (%s), not one of its policies; %s is "
                                                  "a %s." % (TOTAL, root["id"], root["type"]))
        contexts = [resource_or_404(state, customer, cid, PolicyError) for cid in body["context"]["items"]]
        stamp = now_iso()
        for context in contexts:
            key = "%s|%s" % (root["id"], context["id"])
            _applications(state).setdefault(key, {
                "policy_id": root["id"], "context_id": context["id"], "enabled": True, "created_at": stamp})
        runs.recount_all(state)
    return "", 204


@bp.route(PREFIX + "/applications", methods=["DELETE"])
@sc.operation("policy_management",
              query={"type": "object", "required": ["context_id"], "additionalProperties": False,
                     "properties": {"context_id": ID_LIST, "policy_id": ID_LIST}},
              responses=sc.with_errors({204: None}, 404), error=_error,
              source=SOURCE + " (Revoking protection plans from resources: 204; revoke_plan.py)")
def revoke_policy():
    """Revoke plans (one, or all) from resources."""
    state = world()
    with state.lock:
        customer = customer_scope(PolicyError)
        contexts = one_of(request.args.getlist("context_id"))
        plans = one_of(request.args.getlist("policy_id"))
        keys = [k for k, a in _applications(state).items()
                if a["context_id"] in contexts and (not plans or a["policy_id"] in plans)
                and state.in_subtree(_policies(state)[a["policy_id"]]["tenant_id"], customer["id"])]
        if not keys:
            raise _error(404, "Not Found", info="No protection plan %s is applied to %s." % (
                " or ".join(plans) or "at all", " or ".join(contexts)))
        for key in keys:
            _applications(state).pop(key)
        runs.recount_all(state)
    return "", 204


APPLICATIONS_QUERY = {
    "type": "object", "additionalProperties": False,
    "properties": dict(PAGING_QUERY, context_id=ID_LIST, policy_id=ID_LIST, policy_type={"type": "string"}),
}


def _entries(state, customer, application, context, policy_ids, policy_types):
    """One application entry per policy of the applied plan that matches the filters."""
    root = _policies(state)[application["policy_id"]]
    run = _context_run(state, customer, root["id"], context)
    entries = []
    for policy in _plan_records(state, root):
        if policy_types and policy["type"] not in policy_types:
            continue
        if policy_ids and policy["id"] not in policy_ids and root["id"] not in policy_ids:
            continue
        summary = {"id": policy["id"], "type": policy["type"]}
        if policy.get("name"):
            summary["name"] = policy["name"]
        if policy.get("parent_ids"):
            summary["parent_ids"] = list(policy["parent_ids"])
        entries.append({"policy": summary, "context": {"id": application["context_id"], "type": ""},
                        "enabled": application["enabled"] and policy["enabled"], "status": run["status"],
                        "running": {"state": run["state"]}, "last_run_at": run["last_run_at"],
                        "created_at": application["created_at"]})
    return entries


@bp.route(PREFIX + "/applications", methods=["GET"])
@sc.operation("policy_management", query=APPLICATIONS_QUERY,
              responses=sc.with_errors({200: _list_of({"type": "array", "items": APPLICATION})}), error=_error,
              source=SOURCE + " (Track the execution; revoke_plan.py and start_plan_execution.py read items[0][0])")
def list_applications():
    """What is applied, grouped by resource: a list of lists."""
    state = world()
    with state.lock:
        customer = customer_scope(PolicyError)
        filters = filters_of(("context_id", "policy_id", "policy_type"))
        if "context_id" not in filters and "policy_id" not in filters:
            raise _error(400, "Bad Request", info="Filter by context_id or policy_id.")
        contexts = one_of(filters.get("context_id", []))
        policy_ids = one_of(filters.get("policy_id", []))
        policy_types = one_of(filters.get("policy_type", []))
        groups = []
        for resource in visible_resources(state, customer):
            if contexts and resource["id"] not in contexts:
                continue
            entries = []
            for application in _applications(state).values():
                if application["context_id"] == resource["id"]:
                    entries.extend(_entries(state, customer, application, resource, policy_ids, policy_types))
            for entry in entries:
                entry["context"]["type"] = resource["type"]
            if entries:
                groups.append((resource["_seq"], entries))
        chunk, paging = paged(groups, PolicyError, "applications", filters, key=lambda group: group[0])
    return jsonify({"items": [entries for _seq, entries in chunk], "paging": paging})


RUN_BODY = {
    "type": "object", "required": ["state", "policy_id", "context_ids"], "additionalProperties": False,
    "properties": {"state": {"enum": ["running", "stopped"]}, "policy_id": sc.UUID,
                   "context_ids": {"type": "array", "minItems": 1, "maxItems": 100, "items": sc.UUID}},
}
RUN_ANSWER = {
    "type": "object", "required": ["items"], "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": {
        "type": "object", "required": ["policy_id", "context_id", "state"], "additionalProperties": False,
        "properties": {"policy_id": sc.UUID, "context_id": sc.UUID, "state": {"enum": ["running", "idle"]},
                       "started_at": {"type": "string"}}}}},
}


@bp.route(PREFIX + "/applications/run", methods=["PUT"])
@sc.operation("policy_management", body=RUN_BODY, responses=sc.with_errors({200: RUN_ANSWER}, 404, 409),
              error=_error, source=SOURCE + " (Start execution of a policy; start_plan_execution.py)")
def run_policy():
    """Start (or stop) the plan on resources it is applied to."""
    state = world()
    body = request.get_json()
    with state.lock:
        customer = customer_scope(PolicyError)
        record = _customer_policy(state, customer, body["policy_id"])
        root = _root_of(state, record)
        answer = []
        for context_id in body["context_ids"]:
            context = resource_or_404(state, customer, context_id, PolicyError)
            applied = [a for a in _applications_for(state, customer, context) if a["policy_id"] == root["id"]]
            if not applied:
                raise _error(409, "Conflict", info="The protection plan %s is not applied to %s." % (
                    root["id"], context_id))
        for context_id in body["context_ids"]:
            context = resource_or_404(state, customer, context_id, PolicyError)
            for machine in _machines_in(state, customer, context):
                if body["state"] == "running":
                    runs.start_backup(state, root, machine)
                else:
                    runs.stop_backup(state, root["id"], machine["id"])
            answer.append({"policy_id": root["id"], "context_id": context_id,
                           "state": "running" if body["state"] == "running" else "idle"})
    return jsonify({"items": answer})


@bp.route(PREFIX + "/policy_statuses", methods=["GET"])
@sc.operation("policy_management",
              query={"type": "object", "additionalProperties": False,
                     "properties": dict(PAGING_QUERY, context_id=ID_LIST, policy_id=ID_LIST)},
              responses=sc.with_errors({200: _list_of(POLICY_STATUS)}), error=_error,
              source=SOURCE + " (Fetching policy execution statuses of resources)")
def policy_statuses():
    """Per machine, the execution status of each policy applied to it."""
    state = world()
    with state.lock:
        customer = customer_scope(PolicyError)
        filters = filters_of(("context_id", "policy_id"))
        contexts = one_of(filters.get("context_id", []))
        plan_ids = one_of(filters.get("policy_id", []))
        items = []
        for resource in visible_resources(state, customer):
            if resource["type"] == GROUP or (contexts and resource["id"] not in contexts):
                continue
            policies = []
            for application in _applications_for(state, customer, resource):
                root = _policies(state)[application["policy_id"]]
                if plan_ids and root["id"] not in plan_ids:
                    continue
                run = runs.run_of(state, root["id"], resource["id"])
                children = _plan_records(state, root)[1:]
                upcoming = runs.next_run(state, children)
                for policy in children:
                    policies.append({"id": policy["id"], "names": [root.get("name", "")], "next_run_time": upcoming,
                                     "running": {"state": run["state"]}, "status": run["status"],
                                     "type": policy["type"], "parent_ids": [root["id"]],
                                     "last_run_at": run["last_run_at"]})
            if policies:
                items.append({"context": context_view(resource), "policies": policies, "_seq": resource["_seq"]})
        chunk, paging = paged(items, PolicyError, "policy_statuses", filters, key=lambda item: item["_seq"])
    return jsonify({"items": [{k: v for k, v in item.items() if k != "_seq"} for item in chunk], "paging": paging})


# ------------------------------------------------------------------ admin


@bp.route("/_sim/protection", methods=["GET"])
def sim_protection():
    """Admin: how runs end and how long they last, and every run of a plan on a machine."""
    state = world()
    with state.lock:
        settings = _settings(state)
        body = {"run_seconds": runs.run_seconds(state), "outcome": settings["outcome"],
                "outcomes": dict(settings["outcomes"])}
        body["runs"] = [dict({k: v for k, v in run.items() if not k.startswith("_")},
                             policy_id=key.split("|")[0], context_id=key.split("|")[1])
                        for key, run in sorted(runs.runs(state).items())]
    return jsonify(body)


@bp.route("/_sim/protection", methods=["PUT"])
def sim_set_protection():
    """Admin: ``{"run_seconds": s, "outcome": "ok"|"warning"|"error", "outcomes": {"<machine id>": result}}``.

    ``run_seconds`` and ``outcome`` hold for the runs started from now on; an entry of ``outcomes`` decides the
    next backup of that machine only (the next backup of machine X fails), and ``null`` removes it.
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body or set(body) - {"run_seconds", "outcome", "outcomes"}:
        raise bad_request("Send an object with run_seconds, outcome and/or outcomes.")
    if "run_seconds" in body and (isinstance(body["run_seconds"], bool) or
                                  not isinstance(body["run_seconds"], (int, float)) or body["run_seconds"] < 0):
        raise bad_request("run_seconds must be a number of seconds, 0 or more.")
    if "outcome" in body and body["outcome"] not in OUTCOMES:
        raise bad_request("outcome must be one of %s." % ", ".join(OUTCOMES))
    outcomes = body.get("outcomes", {})
    if not isinstance(outcomes, dict) or any(v is not None and v not in OUTCOMES for v in outcomes.values()):
        raise bad_request("outcomes maps machine ids to one of %s (or null)." % ", ".join(OUTCOMES))
    state = world()
    with state.lock:
        machines = state.ext.get("resources", {})
        unknown = [m for m in outcomes if m not in machines or machines[m]["type"] == GROUP]
        if unknown:
            raise bad_request("outcomes names no machine: %s." % ", ".join(sorted(unknown)))
        settings = _settings(state)
        settings.update({k: v for k, v in body.items() if k != "outcomes"})
        for machine_id, outcome in outcomes.items():
            if outcome is None:
                settings["outcomes"].pop(machine_id, None)
            else:
                settings["outcomes"][machine_id] = outcome
        answer = {"run_seconds": runs.run_seconds(state), "outcome": settings["outcome"],
                  "outcomes": dict(settings["outcomes"])}
    return jsonify(answer)
