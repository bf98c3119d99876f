"""The connected world: backups that plans start, the tasks, activities and alerts they leave, the protection
status and usage they change, the world's clock, and what a removed tenant takes with it.

Every service reads the same records: an agent's machine is a Resource Management resource (agents.py), a plan
run on it creates Task Manager tasks and activities (monitoring.py lists them beside the synthetic ones, which
are off unless ``--synthetic-monitoring N``), a failed backup raises an Alert Manager alert, and the customer's
usage (usages.py) counts its protected machines and the bytes their backups stored.

Sources and rules (each marked *guess* where Acronis's documents are silent; the choice is documented here):

- Policy Management v4 guide, "Start execution of a policy" (``PUT /applications/run``), and seed 000's
  start_plan_execution.py: a run starts the plan on the machines it is applied to. Here it creates one Task
  Manager task per machine (a plan applied to a group: one per member machine).
- Task Manager v2 reference (task ``state`` enqueued, assigned, started, paused, completed; ``result.code`` ok,
  warning, error, cancelled...): a task is ``enqueued`` for the first quarter of its duration, ``started`` until
  it ends, then ``completed`` with its result (*guess*: the split of the duration). The duration is
  ``run_seconds`` of ``PUT /_sim/protection`` or, unset, ``--task-duration`` / ``PUT /_sim/settings
  {"task_duration"}`` (default 0: the task has ended by the next request).
- Task Manager guide, "Fetching a list of all activities": a task leaves activities (``taskId``); here one per
  task, with the task's state and result (*guess*: one activity, no sub-activities).
- The result of a backup: ``PUT /_sim/protection {"outcomes": {"<machine id>": "error"}}`` decides the next
  backup of that machine (used once), else ``outcome`` (default ok). A machine whose agent is offline fails
  (*guess*: the real task waits for the agent, then times out; here it ends with error at once).
- Stopping a run (``"state": "stopped"``) completes its task with ``cancelled`` and the plan status ``warning``
  (as the simulator did before tasks existed).
- Alert Manager v1 guide "Fetching alerts" and the alert types (BackupFailed, Backup category, contextKeys
  resourceId and planId): a backup that ends with error raises a ``BackupFailed`` alert in the machine's tenant
  with ``details`` resourceId, resourceName, planId, planName and ``context`` resourceId, planId; a later
  successful backup of the same machine by the same plan resolves it (the alert is dismissed: ``deletedAt``
  set, shown with ``show_deleted``), as the service resolves backup alerts. An agent going offline raises
  ``AgentOffline`` (Monitoring), resolved when it is online again.
- Resource Management ``resource_statuses`` (MCP playbook: ``last_success_run``, ``next_run``): the machine's
  protection status follows its last backup (policies.py reads the per-machine run record kept here).
- Usage (``GET /tenants/{id}/usages``, Account Management): *guess* of the rule, as the service meters what
  agents report: a machine with an agent (installed through ``/_sim/agents/install``) counts as a protected
  workstation or server (``servers`` when its OS name says "Server" or its family is LINUX or SOLARIS, else
  ``workstations``) while at least one plan is applied to it; each backup that ends ok or warning adds the
  machine's ``backup_bytes`` (default 1 GiB, set at install) to ``storage``. The counted offering item is
  the tenant's enabled item of that usage (first by key; a personal tenant's is its owner's); a tenant
  without one is not metered. The world's metered usage is kept apart (``world.ext["metered_usage"]``) and
  added to what ``PUT /_sim/usage`` seeded (other workloads).
- The clock: ``POST /_sim/clock {"advance": seconds}`` moves the world's time forward. A plan's backup
  schedule (``settings.scheduling.backup_sets[].schedule``, the forms policies.schedule_problem takes: ``hourly``
  every ``repeat_every`` within ``run_within``, ``daily`` and ``weekly`` on ``alarms.time.weekdays``, ``monthly``
  on ``monthdays``, the last day or a weekday of ``week_of_month`` in ``months``; at ``repeat_at`` hours and
  minutes; between ``start_date`` and ``end_date``; UTC) that fell due in between starts one backup
  per machine, enqueued at the last due moment (*guess*: missed runs are not queued one by one). The
  protection status's ``next_run`` is the next due moment.
- Removal (Account Management "Deleting a tenant": the subtree goes with it; the other services' documents
  say nothing): *rule* deleting a tenant unregisters its agents, removes their machines and groups, its
  plans, their applications and runs, its registration tokens, tasks, activities, alerts and usage.
  Disabling a tenant keeps everything; its tokens install no agent (agents.py).
"""

import datetime
import time

from flask import Blueprint, jsonify, request

from .. import catalog
from ..context import sim, world
from ..errors import bad_request

bp = Blueprint("runs", __name__)

GIB = 1024 ** 3
DEFAULT_BACKUP_BYTES = GIB
RESULTS = ("ok", "warning", "error")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FIRST_WORLD_TASK_ID = 10 ** 9          # above any synthetic task id (numeric tenant id * 100000 + n)
WORLD_N = 10 ** 6                       # sort tie-breaks of world records come after synthetic ones


# ------------------------------------------------------------------ clock and stores


def clock(state):
    """The world's time (Unix seconds): real time moved forward by ``POST /_sim/clock``."""
    return time.time() + state.ext.get("clock", {}).get("offset", 0.0)


def iso(seconds):
    """A moment the way the Task and Alert Managers print it."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def store(state):
    """World tasks and activities per tenant, the task counter and the ids of the tasks not yet completed."""
    return state.ext.setdefault("task_manager", {"tasks": {}, "activities": {}, "next_id": _FIRST_WORLD_TASK_ID,
                                                 "pending": []})


def runs(state):
    """The last run of each plan on each machine: ``{"<plan id>|<machine id>": run}``."""
    return state.ext.setdefault("runs", {})


def run_of(state, plan_id, context_id):
    """The run record of a plan on a machine (idle and ok until it first runs)."""
    return runs(state).setdefault("%s|%s" % (plan_id, context_id), {
        "state": "idle", "status": "ok", "last_run_at": None, "last_success_at": None, "task_id": None})


def protection_settings(state):
    """How runs end (``outcome``, ``outcomes`` per machine) and how long they last (``run_seconds``, None: the
    simulator's ``task_duration``)."""
    settings = state.ext.setdefault("protection", {})
    settings.setdefault("run_seconds", None)
    settings.setdefault("outcome", "ok")
    settings.setdefault("outcomes", {})
    return settings


def run_seconds(state):
    """The duration of the tasks started now."""
    value = protection_settings(state)["run_seconds"]
    return float(value if value is not None else getattr(sim().settings, "task_duration", 0.0) or 0.0)


def _tenant_ref(tenant):
    return {"id": tenant["_numeric_id"], "uuid": tenant["id"], "name": tenant["name"]}


# ------------------------------------------------------------------ starting and settling backups


def start_backup(state, plan, machine, moment=None, outcome=None):
    """One backup task of ``plan`` on ``machine`` (and its activity), enqueued at ``moment``: its run record."""
    run = run_of(state, plan["id"], machine["id"])
    if run["state"] == "running":
        return run
    tasks = store(state)
    now = clock(state) if moment is None else moment
    settings = protection_settings(state)
    if outcome is None:
        outcome = settings["outcomes"].pop(machine["id"], None) or settings["outcome"]
    if not machine.get("attributes", {}).get("online", True):
        outcome = "error"
    duration = run_seconds(state)
    tenant = state.tenants[machine["tenant_id"]]
    task_id = tasks["next_id"]
    tasks["next_id"] += 1
    times = {"enqueuedAt": now, "startedAt": now + duration / 4.0, "completedAt": None, "updatedAt": now}
    own = tasks["tasks"].setdefault(tenant["id"], [])
    task = {"id": task_id, "uuid": state.new_id(), "type": "backup", "queue": "backup_queue", "state": "enqueued",
            "result": None, "tenant": _tenant_ref(tenant),
            "resource": {"id": machine["id"], "type": "machine", "name": machine["name"]},
            "policy": {"id": plan["id"], "type": "backup", "name": plan.get("name", "")},
            "enqueuedAt": iso(now), "startedAt": None, "completedAt": None, "updatedAt": iso(now),
            "_t": dict(times, startedAt=None), "_n": WORLD_N + len(own),
            "_finish_at": now + duration, "_start_at": times["startedAt"], "_outcome": outcome}
    own.append(task)
    activities = tasks["activities"].setdefault(tenant["id"], [])
    activities.append({"id": state.new_id(), "taskId": task_id, "parentActivityId": None, "type": "backup",
                       "title": "Backing up %s" % machine["name"], "state": "enqueued", "result": None,
                       "tenant": _tenant_ref(tenant), "resource": dict(task["resource"]),
                       "policy": dict(task["policy"]), "startedAt": None, "completedAt": None,
                       "updatedAt": iso(now), "_t": {"startedAt": None, "completedAt": None, "updatedAt": now},
                       "_n": WORLD_N + len(activities)})
    tasks["pending"].append(task_id)
    run.update(state="running", task_id=task_id, started_at=iso(now))
    return run


def stop_backup(state, plan_id, context_id):
    """Stop a running backup: its task completes as cancelled, the plan's status on the machine is warning."""
    run = run_of(state, plan_id, context_id)
    if run["state"] != "running":
        return
    task = _task(state, run["task_id"])
    if task is not None:
        _complete(state, task, clock(state), "cancelled")


def _task(state, task_id):
    for own in store(state)["tasks"].values():
        for task in own:
            if task["id"] == task_id:
                return task
    return None


def _activity_of(state, task):
    for activity in store(state)["activities"].get(task["tenant"]["uuid"], []):
        if activity["taskId"] == task["id"]:
            return activity
    return None


def settle(state):
    """Bring the tasks not yet completed to the world's time: started, then completed with their results."""
    tasks = store(state)
    if not tasks["pending"]:
        return
    now = clock(state)
    for task_id in list(tasks["pending"]):
        task = _task(state, task_id)
        if task is None:
            tasks["pending"].remove(task_id)
            continue
        if now >= task["_start_at"] and task["state"] == "enqueued":
            _set_state(state, task, "started", task["_start_at"])
        if now >= task["_finish_at"]:
            _complete(state, task, task["_finish_at"], task["_outcome"])


def _set_state(state, task, task_state, moment):
    task.update(state=task_state, updatedAt=iso(moment))
    task["_t"]["updatedAt"] = moment
    if task_state == "started":
        task["startedAt"] = iso(moment)
        task["_t"]["startedAt"] = moment
    activity = _activity_of(state, task)
    if activity is not None:
        activity.update(state=task_state, startedAt=task["startedAt"], updatedAt=task["updatedAt"])
        activity["_t"].update(startedAt=task["_t"]["startedAt"], updatedAt=moment)


def _complete(state, task, moment, code):
    """The task ends: its activity, the run record, alerts and usage follow."""
    if task["state"] == "enqueued":
        _set_state(state, task, "started", min(task["_start_at"], moment))
    task.update(state="completed", result={"code": code}, completedAt=iso(moment), updatedAt=iso(moment))
    task["_t"].update(completedAt=moment, updatedAt=moment)
    activity = _activity_of(state, task)
    if activity is not None:
        activity.update(state="completed", result={"code": code}, completedAt=iso(moment), updatedAt=iso(moment))
        activity["_t"].update(completedAt=moment, updatedAt=moment)
    pending = store(state)["pending"]
    if task["id"] in pending:
        pending.remove(task["id"])
    plan_id, machine_id = task["policy"]["id"], task["resource"]["id"]
    run = run_of(state, plan_id, machine_id)
    status = "warning" if code == "cancelled" else code
    run.update(state="idle", status=status, last_run_at=iso(moment))
    if status != "error":
        run["last_success_at"] = run["last_run_at"]
    tenant_id = task["tenant"]["uuid"]
    details = {"resourceId": machine_id, "resourceName": task["resource"]["name"], "planId": plan_id,
               "planName": task["policy"]["name"]}
    if code == "error":
        raise_alert(state, tenant_id, "BackupFailed", details, {"resourceId": machine_id, "planId": plan_id},
                    moment)
    elif code in ("ok", "warning"):
        resolve_alerts(state, tenant_id, "BackupFailed", {"resourceId": machine_id, "planId": plan_id}, moment)
        machine = _machine(state, machine_id)
        if machine is not None and machine.get("_agent_id"):
            add_usage(state, machine["tenant_id"], "storage",
                      machine.get("attributes", {}).get("backup_bytes", DEFAULT_BACKUP_BYTES))


# ------------------------------------------------------------------ alerts


def raise_alert(state, tenant_id, alert_type, details, context, moment=None):
    """An active alert of a registered type in the tenant (once: an active one with the same context stays)."""
    from .monitoring import ALERT_TYPES, alert_store  # pylint: disable=import-outside-toplevel
    moment = clock(state) if moment is None else moment
    own = alert_store(state)["created"].setdefault(tenant_id, [])
    if any(a["type"] == alert_type and a.get("context") == context and a["deletedAt"] is None for a in own):
        return
    kind = ALERT_TYPES[alert_type]
    tenant = state.tenants[tenant_id]
    own.append({"id": state.new_id(), "type": alert_type, "category": kind["_category"],
                "severity": kind["severity"], "tenant": _tenant_ref(tenant), "details": dict(details),
                "context": dict(context), "createdAt": iso(moment), "receivedAt": iso(moment),
                "updatedAt": iso(moment), "deletedAt": None,
                "_t": {"createdAt": moment, "updatedAt": moment, "deletedAt": None}, "_n": WORLD_N + len(own)})


def resolve_alerts(state, tenant_id, alert_type, context, moment=None):
    """Dismiss the active alerts of that type and context (the service resolves them)."""
    from .monitoring import alert_store  # pylint: disable=import-outside-toplevel
    moment = clock(state) if moment is None else moment
    for alert in alert_store(state)["created"].get(tenant_id, []):
        if alert["type"] == alert_type and alert.get("context") == context and alert["deletedAt"] is None:
            alert.update(updatedAt=iso(moment), deletedAt=iso(moment))
            alert["_t"].update(updatedAt=moment, deletedAt=moment)


# ------------------------------------------------------------------ usage


def _usage_key(state, tenant_id, usage_name):
    """The tenant's enabled offering item of that usage (metering walks up from a personal tenant)."""
    record = state.tenants.get(tenant_id)
    while record is not None:
        keys = sorted(key for key, item in record.get("_items", {}).items()
                      if item.get("status") == 1 and catalog.CATALOG.get(key, {}).get("usage_name") == usage_name)
        if keys:
            return keys[0]
        if not record.get("_hidden"):
            return None
        record = state.tenants.get(record["parent_id"])
    return None


def _usage_cell(state, tenant_id, usage_name):
    key = _usage_key(state, tenant_id, usage_name)
    if key is None:
        return None
    return state.ext.setdefault("metered_usage", {}).setdefault(tenant_id, {}).setdefault(
        key, {"value": 0, "absolute_value": 0})


def add_usage(state, tenant_id, usage_name, amount):
    """Add to a tenant's usage of one kind."""
    cell = _usage_cell(state, tenant_id, usage_name)
    if cell is not None:
        cell["value"] += amount
        cell["absolute_value"] += amount


def workload_kind(machine):
    """``servers`` or ``workstations``, by the machine's OS."""
    attributes = machine.get("attributes", {})
    if "server" in str(attributes.get("os", "")).lower() or attributes.get("os_family") in ("LINUX", "SOLARIS"):
        return "servers"
    return "workstations"


def recount_workloads(state, tenant_id):
    """Set the tenant's workstations and servers usage to its machines that have a plan applied."""
    from .policies import covering_plans  # pylint: disable=import-outside-toplevel
    counts = {"servers": 0, "workstations": 0}
    for machine in _machines_of(state, tenant_id):
        if machine.get("_agent_id") and covering_plans(state, machine):
            counts[workload_kind(machine)] += 1
    for usage_name, count in counts.items():
        cell = _usage_cell(state, tenant_id, usage_name)
        if cell is not None:
            cell["value"] = cell["absolute_value"] = count


def recount_all(state):
    """Recount the workloads of every tenant that has machines."""
    for tenant_id in sorted({m["tenant_id"] for m in _machine_records(state)}):
        recount_workloads(state, tenant_id)


def _machine_records(state):
    from .resources import GROUP  # pylint: disable=import-outside-toplevel
    return [r for r in state.ext.get("resources", {}).values() if r["type"] != GROUP]


def _machines_of(state, tenant_id):
    return [m for m in _machine_records(state) if m["tenant_id"] == tenant_id]


def _machine(state, machine_id):
    record = state.ext.get("resources", {}).get(machine_id)
    return record


# ------------------------------------------------------------------ schedules


def _schedule(plan_children):
    """The plan's enabled backup schedule (its first backup set's, as policies.schedule_problem takes it), or None."""
    for policy in plan_children:
        if policy["type"] != "policy.backup.machine" or not policy.get("enabled", True):
            continue
        scheduling = (policy.get("settings") or {}).get("scheduling") or {}
        if not scheduling.get("enabled", True):
            return None
        for backup_set in scheduling.get("backup_sets") or []:
            schedule = (backup_set or {}).get("schedule") or {}
            alarm = (schedule.get("alarms") or {}).get("time") or {}
            kind = schedule.get("type")
            times = [(int(t.get("hour", 0)), int(t.get("minute", 0))) for t in alarm.get("repeat_at") or []
                     if isinstance(t, dict)]
            every = alarm.get("repeat_every") or {}
            if kind == "hourly" and every.get("count"):
                window = alarm.get("run_within") or {}
                first = window.get("from") or {"hour": 0, "minute": 0}
                last = window.get("to") or {"hour": 23, "minute": 59}
                step = int(every["count"]) * (60 if every.get("type", "hours") == "hours" else 1)
                start, stop = first["hour"] * 60 + first.get("minute", 0), last["hour"] * 60 + last.get("minute", 0)
                times = [(m // 60, m % 60) for m in range(start, stop + 1, step)]
            if not times or kind not in ("hourly", "daily", "weekly", "monthly"):
                continue
            weekdays = alarm.get("weekdays")
            return {"kind": kind, "times": times,
                    "weekdays": [d for d in weekdays if d in _WEEKDAYS] if weekdays is not None else None,
                    "months": alarm.get("months") or list(range(1, 13)), "monthdays": alarm.get("monthdays") or [],
                    "last_day": bool(alarm.get("include_last_day_of_month")),
                    "week_of_month": alarm.get("week_of_month"),
                    "start": _day(alarm.get("start_date")), "end": _day(alarm.get("end_date"))}
    return None


def _day(date):
    return datetime.date(date["year"], date["month"], date["day"]) if isinstance(date, dict) else None


_WEEKS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def _runs_on(schedule, day):
    """Whether the schedule runs on this day (a date)."""
    if (schedule["start"] and day < schedule["start"]) or (schedule["end"] and day > schedule["end"]):
        return False
    weekday = _WEEKDAYS[day.weekday()]
    if schedule["kind"] != "monthly":
        return schedule["weekdays"] is None or weekday in schedule["weekdays"]
    if day.month not in schedule["months"]:
        return False
    last_of_month = (day + datetime.timedelta(days=1)).month != day.month
    if schedule["week_of_month"]:
        if weekday not in (schedule["weekdays"] or []):
            return False
        if schedule["week_of_month"] == "last":
            return (day + datetime.timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 == _WEEKS[schedule["week_of_month"]]
    return day.day in schedule["monthdays"] or (schedule["last_day"] and last_of_month)


def due_moments(schedule, after, until):
    """The schedule's moments in (after, until], in order (UTC)."""
    moments = []
    start = datetime.datetime.fromtimestamp(after, datetime.timezone.utc)
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    end = datetime.datetime.fromtimestamp(until, datetime.timezone.utc)
    while day <= end:
        if _runs_on(schedule, day.date()):
            for hour, minute in sorted(schedule["times"]):
                moment = day.replace(hour=hour, minute=minute).timestamp()
                if after < moment <= until:
                    moments.append(moment)
        day += datetime.timedelta(days=1)
    return moments


def next_run(state, plan_children):
    """The next moment the plan's schedule is due (ISO), or None."""
    schedule = _schedule(plan_children)
    if schedule is None or (schedule["weekdays"] is not None and not schedule["weekdays"]
                            and not schedule["monthdays"] and not schedule["last_day"]):
        return None
    now = clock(state)
    for week in range(53):      # a week at a time: a monthly schedule in some months may be most of a year away
        moments = due_moments(schedule, now + week * 7 * 86400, now + (week + 1) * 7 * 86400)
        if moments:
            return iso(moments[0])
    return None


def advance(state, seconds):
    """Move the clock and start the scheduled backups that fell due: how many started."""
    from .policies import scheduled_work  # pylint: disable=import-outside-toplevel
    settle(state)
    before = clock(state)
    state.ext.setdefault("clock", {"offset": 0.0})
    state.ext["clock"]["offset"] = state.ext["clock"].get("offset", 0.0) + seconds
    after = clock(state)
    started = 0
    for plan, children, machine in scheduled_work(state):
        schedule = _schedule(children)
        if schedule is None:
            continue
        moments = due_moments(schedule, before, after)
        if moments and run_of(state, plan["id"], machine["id"])["state"] != "running":
            start_backup(state, plan, machine, moment=moments[-1])
            started += 1
    settle(state)
    return started


# ------------------------------------------------------------------ removal


def forget_tenants(state, tenant_ids):
    """What deleting these tenants takes with them (see the module's rules)."""
    from .agents import forget_agent  # pylint: disable=import-outside-toplevel
    from .monitoring import alert_store  # pylint: disable=import-outside-toplevel
    from .policies import forget_plans_of  # pylint: disable=import-outside-toplevel
    from .resources import remove_resource  # pylint: disable=import-outside-toplevel
    doomed = set(tenant_ids)
    for agent_id, agent in list(state.ext.get("agents", {}).items()):
        if agent["_tenant_uuid"] in doomed:
            forget_agent(state, agent_id)
    for resource_id, record in list(state.ext.get("resources", {}).items()):
        if record["tenant_id"] in doomed:
            remove_resource(state, resource_id)
    forget_plans_of(state, doomed)
    tasks = store(state)
    for tenant_id in doomed:
        for task in tasks["tasks"].pop(tenant_id, []):
            if task["id"] in tasks["pending"]:
                tasks["pending"].remove(task["id"])
        tasks["activities"].pop(tenant_id, None)
        alert_store(state)["created"].pop(tenant_id, None)
        state.registration_tokens.pop(tenant_id, None)
        state.ext.get("usage", {}).pop(tenant_id, None)
        state.ext.get("metered_usage", {}).pop(tenant_id, None)


def forget_machine(state, machine_id):
    """A machine left: its runs go (its tasks, activities and alerts stay, as history does)."""
    for key in [k for k in runs(state) if k.endswith("|" + machine_id)]:
        run = runs(state).pop(key)
        if run["state"] == "running":
            task = _task(state, run["task_id"])
            if task is not None:
                _complete(state, task, clock(state), "cancelled")
                runs(state).pop(key, None)


# ------------------------------------------------------------------ admin


@bp.before_app_request
def _settle_before_each_request():
    """Every request sees the world at its time: the tasks due by now have completed."""
    state = world()
    if state.ext.get("task_manager", {}).get("pending"):
        with state.lock:
            settle(state)


@bp.route("/_sim/clock", methods=["GET"])
def sim_clock():
    """Admin: the world's time and how far it is ahead of the real one."""
    state = world()
    with state.lock:
        return jsonify({"now": iso(clock(state)), "offset": state.ext.get("clock", {}).get("offset", 0.0)})


@bp.route("/_sim/clock", methods=["POST"])
def sim_advance_clock():
    """Admin: ``{"advance": seconds}`` moves the world's time forward; scheduled backups that fell due start."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"advance"}:
        raise bad_request("Send {\"advance\": seconds}.")
    seconds = body["advance"]
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 366 * 86400:
        raise bad_request("advance must be a number of seconds from 0 to one year, not %r." % (seconds,))
    state = world()
    with state.lock:
        started = advance(state, float(seconds))
        answer = {"now": iso(clock(state)), "offset": state.ext["clock"]["offset"], "started": started}
    return jsonify(answer)
