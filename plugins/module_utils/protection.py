# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Resources and protection plans: the Resource Management and Policy Management APIs (v4).

Every function takes an ``AcronisClient`` whose token is scoped to one customer
(``client.scoped(tenant_id)``): Acronis runs "all operations with plans and
resources" in a customer context. Functions return parsed API objects or plain
lists; "not found" is an ordinary answer, every other failure an ``AcronisError``.

A plan is shown to users as ``{"id", "name", "enabled", "policies": [...]}``:
the ``policy.protection.total`` root and, under ``policies``, its child
policies (``id``, ``type``, ``enabled``, ``settings_schema``, ``settings``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import copy
import time
import uuid

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import merge
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError, AcronisFailure, api_failure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import is_uuid

RESOURCES = "/api/resource_management/v4/resources"
RESOURCE_STATUSES = "/api/resource_management/v4/resource_statuses"
POLICIES = "/api/policy_management/v4/policies"
POLICY = "/api/policy_management/v4/policies/{policy_id}"
APPLICATIONS = "/api/policy_management/v4/applications"
RUN = "/api/policy_management/v4/applications/run"

TOTAL = "policy.protection.total"
BACKUP = "policy.backup.machine"
MACHINE = "resource.machine"
GROUP = "resource.group.computers"
RESOURCE_TYPES = {"machine": MACHINE, "virtual_machine": "resource.virtual_machine", "group": GROUP}

PAGE_SIZE = 100
MAX_IDS_PER_REQUEST = 100   # the reference's limit for id lists (context items, filters)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The kinds of a backup schedule (``scheduling.backup_sets[].schedule.type``) and, for a monthly schedule on a
# weekday, which of the month's weeks (the console's "first ... last Monday").
SCHEDULE_TYPES = ("hourly", "daily", "weekly", "monthly")
WEEKS_OF_MONTH = ("first", "second", "third", "fourth", "last")
# What a plan backs up (``settings.backup_span.type``): the whole machine, or the listed disks, volumes, or files
# and folders (``backup_span.items``).
BACKUP_SPANS = ("entire_machine", "disks", "volumes", "files")
ENCRYPTION_ALGORITHMS = ("aes128", "aes192", "aes256")
# The schedule options that belong to one kind only; what the others refuse.
SCHEDULE_FIELDS = {
    "hourly": ("weekdays", "interval", "window"),
    "daily": ("weekdays", "at"),
    "weekly": ("weekdays", "at"),
    "monthly": ("at", "monthdays", "last_day_of_month", "week_of_month", "weekdays", "months"),
}
COMPRESSIONS = ("normal", "high", "max")
FORMATS = ("11", "12", "auto")
SCHEMES = ("simple", "always_full", "always_incremental", "weekly_incremental", "weekly_full_daily_incremental",
           "custom", "cdp")
VAULT_TYPES = ("cloud", "local_folder", "network_share", "ftp", "sftp", "cd", "tape", "storage_node", "asz",
               "removable", "nfs_share", "esx", "astorage2", "script")

# The machine backup settings of Acronis's "Machine backup policy" example and seed 000's base_plan.json,
# used for a new plan before the task's options are laid over them. (splitting is left out: the example's
# value overflows the int32 the service expects.)
DEFAULT_BACKUP_SETTINGS = {
    "compression": "normal",
    "format": "auto",
    "multi_volume_snapshotting_enabled": True,
    "preserve_file_security_settings": True,
    "reattempts": {"enabled": True, "interval": {"type": "seconds", "count": 30}, "max_attempts": 30},
    "silent_mode_enabled": True,
    "vm_snapshot_reattempts": {"enabled": True, "interval": {"type": "minutes", "count": 5}, "max_attempts": 3},
    "vss": {"enabled": True, "provider": "target_system_defined"},
    "archive": {"name": "[Machine Name]-[Plan ID]-[Unique ID]A"},
    "performance_window": {"enabled": False},
    "retention": {"rules": [
        {"backup_set": ["daily"], "max_age": {"type": "days", "count": 7}},
        {"backup_set": ["weekly"], "max_age": {"type": "weeks", "count": 4}},
        {"backup_set": ["monthly"], "max_age": {"type": "months", "count": 6}},
    ], "after_backup": True},
    "vault": {"type": "cloud", "use_policy_credentials": True},
    "alerts": {"enabled": False, "max_days_without_backup": 5},
    "scheduling": {
        "backup_sets": [{"type": "auto", "schedule": {
            "alarms": {"time": {"weekdays": ["mon", "tue", "wed", "thu", "fri"],
                                "repeat_at": [{"hour": 21, "minute": 0}]}},
            "conditions": {}, "prevent_sleep": True, "type": "weekly"}}],
        "enabled": True,
        "rand_max_delay": {"type": "minutes", "count": 30},
        "scheme": "always_incremental",
        "weekly_backup_day": "mon",
    },
    "cbt": "enable_and_use",
    "fast_backup_enabled": True,
    "quiesce_snapshotting_enabled": True,
}


@contextlib.contextmanager
def failing_to_read(action):
    """``failing_to`` for the first read of a task, where a 403 means the tenant is not a customer the client manages."""
    try:
        yield
    except AcronisError as exc:
        if exc.status == 403:
            raise AcronisFailure("Failed to %s: HTTP 403; plans and resources live in customer tenants, so tenant_id "
                                 "must be a customer that the API client manages (%s)." % (action, exc),
                                 error=exc.to_dict())
        raise api_failure(exc, action)


def or_list(values):
    """A filter value for one or more ids: ``a`` or ``or(a,b)``, as the API documents it."""
    values = list(values)
    return values[0] if len(values) == 1 else "or(%s)" % ",".join(values)


def chunks(values, size=MAX_IDS_PER_REQUEST):
    values = list(values)
    return [values[i:i + size] for i in range(0, len(values), size)]


# ---------------------------------------------------------------- resources

def list_resources(client, types=None, names=None, ids=None, include_attributes=False, limit=PAGE_SIZE):
    """(resources, truncated): up to ``limit`` resources of the customer, by type, name, id."""
    params = {"limit": min(limit, PAGE_SIZE * 10)}
    if types:
        params["type"] = or_list(types)
    if ids:
        params["id"] = or_list(ids)
    if include_attributes:
        params["include_attributes"] = "true"
    found = []
    name_set = set(n.lower() for n in names) if names else None
    for resource in client.paginate(RESOURCES, params=params):
        if name_set is not None and resource.get("name", "").lower() not in name_set \
                and (resource.get("user_defined_name") or "").lower() not in name_set:
            continue
        if len(found) == limit:
            return found, True
        found.append(resource)
    return found, False


def resource_statuses(client, context_ids=None):
    """{resource id: status item} for the given resources (all of the customer's when None)."""
    statuses = {}
    batches = chunks(context_ids) if context_ids else [None]
    for batch in batches:
        params = {"limit": PAGE_SIZE}
        if batch:
            params["context_id"] = or_list(batch)
        for item in client.paginate(RESOURCE_STATUSES, params=params):
            statuses[item["context"]["id"]] = item
    return statuses


def resolve_resources(client, references):
    """(ids, problems): resource ids for ``references`` (ids, or machine and group names)."""
    ids, problems = [], []
    names = [r for r in references if not is_uuid(r)]
    by_name = {}
    if names:
        found, _truncated = list_resources(client, types=[MACHINE, "resource.virtual_machine", GROUP], names=names,
                                           limit=10000)
        for resource in found:
            for key in (resource.get("name"), resource.get("user_defined_name")):
                if key:
                    by_name.setdefault(key.lower(), set()).add(resource["id"])
    for reference in references:
        if is_uuid(reference):
            ids.append(reference.lower())
            continue
        matches = by_name.get(reference.lower(), set())
        if len(matches) == 1:
            ids.append(next(iter(matches)))
        elif matches:
            problems.append("%r names %d resources; give its id instead" % (reference, len(matches)))
        else:
            problems.append("no machine or group is named %r" % reference)
    unique = []
    for resource_id in ids:
        if resource_id not in unique:
            unique.append(resource_id)
    return unique, problems


def missing_resources(client, ids):
    """The ids of ``ids`` that are not resources of the customer."""
    known = set()
    for batch in chunks(ids):
        found, _truncated = list_resources(client, ids=batch, limit=len(batch))
        known.update(r["id"] for r in found)
    return [i for i in ids if i not in known]


# ---------------------------------------------------------------- plans

def plan_view(policies):
    """The user's view of a plan from its policies (root first, as ``full_composite`` answers them)."""
    root = policies[0]
    return {
        "id": root["id"],
        "name": root.get("name"),
        "enabled": root.get("enabled"),
        "tenant_id": root.get("tenant_id"),
        "policies": [dict((k, copy.deepcopy(p.get(k))) for k in ("id", "type", "enabled", "settings_schema", "settings")
                          if k in p) for p in policies[1:]],
    }


def plan_with_resources(policies):
    """The user's view of a plan read with its applied context: plan_view and the resources it is applied to."""
    plan = plan_view(policies)
    plan["resources"] = sorted(c["id"] for c in policies[0].get("applied_context") or [])
    return plan


def read_plan(client, plan_id):
    """The plan of this id as plan_with_resources shows it (what acronis_protection_plan_info returns), or None."""
    plans, _truncated = list_plans(client, plan_id=plan_id, with_applied=True, limit=1)
    return plan_with_resources(plans[0]) if plans else None


def same_plan_name(name, other):
    """Whether two plan names are the same name: compared without regard to case, as tenants and machines are."""
    return (name or "").casefold() == (other or "").casefold()


def list_plans(client, name=None, plan_id=None, with_applied=False, limit=None):
    """(plans as lists of policies, truncated): the customer's plans, with children and settings.

    ``name`` matches without regard to case (``same_plan_name``): the API does not keep plan names unique, so
    "Nightly" and "nightly" are one name here, and two such plans are an ambiguity the caller names.
    """
    params = {"types": TOTAL, "full_composite": "true", "include_settings": "true", "limit": PAGE_SIZE}
    if plan_id:
        params["policy_id"] = plan_id
    if with_applied:
        params["include_applied_context"] = "true"
    plans = []
    for item in client.paginate(POLICIES, params=params):
        policies = item.get("policy") or []
        if not policies or policies[0].get("type") != TOTAL:
            continue
        if name is not None and not same_plan_name(policies[0].get("name"), name):
            continue
        if limit is not None and len(plans) == limit:
            return plans, True
        plans.append(policies)
    return plans, False


def create_plan(client, name, enabled, children):
    """POST a new plan; returns its policies as sent (root first), with fresh ids."""
    root_id = str(uuid.uuid4())
    policies = [{"id": root_id, "type": TOTAL, "name": name, "origin": "upstream", "enabled": enabled}]
    for child in children:
        policy = {"id": str(uuid.uuid4()), "parent_ids": [root_id], "origin": "upstream"}
        policy.update(child)
        policies.append(policy)
    client.post(POLICIES, json={"subject": {"policy": policies}})
    return policies


def keep_one_plan(client, plan, where):
    """The plan to go on with after creating ``plan`` (its view): itself, or the plan of the same name another
    writer created at the same moment and the collection's tie-break keeps (``AcronisClient.keep_one``: the
    oldest by ``created_at``, ours deleted). Plans' names are not unique in the API, so both creates succeed.
    """
    plans, _truncated = list_plans(client, name=plan["name"])
    same = [dict(plan_view(policies), created_at=policies[0].get("created_at")) for policies in plans]
    kept = client.keep_one(where, plan, same, lambda ours: delete_plan(client, ours["id"]))
    if kept is plan:
        return plan
    kept.pop("created_at", None)
    return kept


def patch_policy(client, policy_id, fields):
    """PATCH one policy (the plan's root or one of its children) with the fields that change, as the guide does."""
    client.patch(POLICY, json={"subject": {"policy": [fields]}}, policy_id=policy_id)


def update_policy(client, plan_id, policy_id, where, enabled=None, settings=None):
    """PATCH what the task changes of one policy of plan ``plan_id`` (its root when ``policy_id`` is the plan's id):
    ``enabled``, and ``settings``, the part of the settings the task changes. Returns the fields sent ({}: none).

    Plans carry no version (the last writer wins) and a PATCH replaces each field it names, ``settings`` as a
    whole. So the plan is read again just before the write and the PATCH is built on that read: ``settings``
    laid over the settings found then (a setting another writer changed since the task's first read, and that
    the task does not name, is kept), and only the fields that still differ are sent. When the read shows every
    field already as the task asks, nothing is sent, and that is noted as another writer's change.
    """
    plans, _truncated = list_plans(client, plan_id=plan_id, limit=1)
    policy = next((pol for pol in (plans[0] if plans else []) if pol.get("id") == policy_id), None)
    if policy is None:
        # Gone since the first read: the PATCH's own answer (404) says so.
        policy = {}
    change = {}
    if enabled is not None and policy.get("enabled") != enabled:
        change["enabled"] = enabled
    delta = settings_changes(settings or {}, policy.get("settings") or {})
    if delta:
        change["settings"] = merge(policy.get("settings") or {}, delta)
    if not change:
        asked = (["enabled"] if enabled is not None else []) + ["settings." + key for key in sorted(settings or {})]
        client.note_other_writer("set %s of %s" % (", ".join(asked), where))
        return change
    patch_policy(client, policy_id, change)
    return change


def delete_plan(client, plan_id):
    """DELETE a plan (its applications go with it); False when it was already gone."""
    return client.delete(POLICY, missing_ok=True, what="deleted protection plan %s" % plan_id, policy_id=plan_id)


# ---------------------------------------------------------------- applications and runs

def applications(client, plan_id):
    """{context id: application entry of the plan's root} for every resource the plan is applied to."""
    found = {}
    params = {"policy_id": plan_id, "policy_type": TOTAL, "limit": PAGE_SIZE}
    for group in client.paginate(APPLICATIONS, params=params):
        for entry in group or []:
            if entry.get("policy", {}).get("id") == plan_id:
                found[entry["context"]["id"]] = entry
    return found


def apply_plan(client, plan_id, context_ids):
    for batch in chunks(context_ids):
        client.post(APPLICATIONS, json={"policy_id": plan_id, "context": {"items": batch}}, idempotent=True)


def revoke_plan(client, plan_id, context_ids):
    """Revoke the plan from these resources; one already revoked (404) was revoked by another writer."""
    for batch in chunks(context_ids):
        client.delete(APPLICATIONS, params={"context_id": or_list(batch), "policy_id": plan_id}, missing_ok=True,
                      what="revoked protection plan %s from %s" % (plan_id, ", ".join(batch)))


def run_plan(client, plan_id, context_ids):
    """Start the plan on these resources; returns the service's answer items."""
    started = []
    for batch in chunks(context_ids):
        body = client.put(RUN, json={"state": "running", "policy_id": plan_id, "context_ids": batch}) or {}
        started.extend(body.get("items") or [])
    return started


def wait_for_runs(client, plan_id, before, timeout, sleep=time.sleep, clock=time.monotonic):
    """(outcomes, still running): how the runs of the plan started on the resources of ``before`` ended.

    ``before`` maps each resource the run was started on to its application entry read before the start (None
    when there was none). A run has ended when its resource is idle again with a ``last_run_at`` other than
    before the start; its outcome is the application's ``status`` (``ok``, ``warning``, ``error``). Reads the
    applications at once, then after 1, 2, 4 ... seconds (at most 15 between reads) until every run has ended or
    ``timeout`` seconds have passed. ``outcomes`` lists, in the order of ``before``, ``{resource_id,
    resource_type, status, last_run_at}`` of the runs that ended.
    """
    deadline = clock() + timeout
    delay = 1.0
    ended = {}
    while True:
        current = applications(client, plan_id)
        for resource_id, entry in before.items():
            now = current.get(resource_id)
            if resource_id in ended or now is None:
                continue
            previous_run = (entry or {}).get("last_run_at")
            if (now.get("running") or {}).get("state") != "running" and now.get("last_run_at") \
                    and now.get("last_run_at") != previous_run:
                ended[resource_id] = {"resource_id": resource_id, "resource_type": now["context"].get("type"),
                                      "status": now.get("status"), "last_run_at": now.get("last_run_at")}
        running = [r for r in before if r not in ended]
        left = deadline - clock()
        if not running or left <= 0:
            return [ended[r] for r in before if r in ended], running
        sleep(min(delay, left))
        delay = min(delay * 2, 15.0)


# ---------------------------------------------------------------- backup settings from options

SCHEDULE_OPTIONS = ("weekdays", "at", "interval", "window", "monthdays", "last_day_of_month", "week_of_month",
                    "months")


def _given(schedule, key):
    return schedule.get(key) is not None


def backup_settings_problems(backup):
    """What is wrong in the ``backup`` option on its own, before anything is read (a list of sentences).

    (Each value's own rule is an option kind declared in acronis_protection_plan's OPTION_KINDS: the times, the
    dates, the counts. What is checked here is how the schedule's options go together.)
    """
    problems = []
    problems.extend(_items_problems(backup.get("items") or {}))
    retention = backup.get("retention") or {}
    by_rule = [key for key in ("count", "days") if retention.get(key) is not None]
    by_set = [key for key in ("daily", "weekly", "monthly") if retention.get(key) is not None]
    if len(by_rule) > 1 or (by_rule and by_set):
        problems.append("backup.retention keeps backups by one rule: count, days, or daily/weekly/monthly (got %s)"
                        % ", ".join(by_rule + by_set))
    schedule = backup.get("schedule") or {}
    kind = schedule.get("type")
    for key, what in (("weekdays", "name at least one day"), ("at", "give at least one time"),
                      ("monthdays", "name at least one day of the month"), ("months", "name at least one month")):
        if schedule.get(key) is not None and not schedule.get(key):
            problems.append("backup.schedule.%s must %s" % (key, what))
    if kind is None:
        needing = [key for key in SCHEDULE_OPTIONS if key not in ("weekdays", "at") and _given(schedule, key)]
        if needing:
            problems.append("backup.schedule.%s needs backup.schedule.type (%s)" % (
                needing[0], ", ".join(t for t in SCHEDULE_TYPES if needing[0] in SCHEDULE_FIELDS[t])))
    else:
        foreign = [key for key in SCHEDULE_OPTIONS if _given(schedule, key) and key not in SCHEDULE_FIELDS[kind]]
        if foreign:
            problems.append("backup.schedule.%s does not apply to a%s %s schedule (it is for %s)" % (
                foreign[0], "n" if kind == "hourly" else "", kind,
                ", ".join(t for t in SCHEDULE_TYPES if foreign[0] in SCHEDULE_FIELDS[t])))
    if kind == "monthly":
        if _given(schedule, "week_of_month") and (_given(schedule, "monthdays")
                                                  or schedule.get("last_day_of_month")):
            problems.append("a monthly schedule runs on days of the month (backup.schedule.monthdays, "
                            "last_day_of_month) or on weekdays of one week (week_of_month), not both")
        if _given(schedule, "week_of_month") != _given(schedule, "weekdays"):
            problems.append("a monthly schedule on weekdays needs both backup.schedule.week_of_month and weekdays")
    window = schedule.get("window") or {}
    if window and (window.get("from") is None or window.get("to") is None):
        problems.append("backup.schedule.window needs both from and to")
    elif window and _minutes(window["from"]) >= _minutes(window["to"]):
        problems.append("backup.schedule.window.from (%s) must be earlier than window.to (%s)" % (
            window["from"], window["to"]))
    if _given(schedule, "start_date") and _given(schedule, "end_date") \
            and _date_key(_date(schedule["start_date"])) > _date_key(_date(schedule["end_date"])):
        problems.append("backup.schedule.start_date (%s) is after end_date (%s)" % (
            schedule["start_date"], schedule["end_date"]))
    return problems


def _items_problems(items):
    problems = []
    if not items:
        return problems
    if items.get("type") == "entire_machine" and items.get("paths"):
        problems.append("backup.items.paths does not go with type entire_machine (the whole machine is backed up)")
    elif items.get("type") in ("disks", "volumes", "files") and not items.get("paths"):
        problems.append("backup.items.type %s needs backup.items.paths (which %s)" % (
            items["type"], "files and folders" if items["type"] == "files" else items["type"]))
    if any(not str(path).strip() for path in (items.get("paths") or []) + (items.get("exclusions") or [])):
        problems.append("backup.items.paths and exclusions must not hold an empty path")
    return problems


def schedule_type(settings):
    """The kind of the plan's backup schedule (``weekly`` when it has none the module knows)."""
    kind = _current_schedule(settings).get("type")
    return kind if kind in SCHEDULE_TYPES else "weekly"


def schedule_problems(schedule, current):
    """What is wrong in ``schedule`` against the plan's settings ``current`` (the defaults for a new plan): a
    schedule that changes its kind (or a new plan's that is not weekly) gives what that kind cannot do without."""
    schedule = schedule or {}
    kind = schedule.get("type")
    if kind is None or kind == schedule_type(current):
        return []
    if kind == "hourly" and not _given(schedule, "interval"):
        return ["an hourly schedule needs backup.schedule.interval (hours between backups)"]
    if kind == "monthly" and not (_given(schedule, "monthdays") or schedule.get("last_day_of_month")
                                  or _given(schedule, "week_of_month")):
        return ["a monthly schedule needs backup.schedule.monthdays, last_day_of_month or week_of_month"]
    return []


def _minutes(text):
    hour, minute = text.split(":")
    return int(hour) * 60 + int(minute)


def _time(text):
    return {"hour": int(text.split(":")[0]), "minute": int(text.split(":")[1])}


def _date(text):
    """A YYYY-MM-DD option as the schedule stores a date."""
    year, month, day = (int(part) for part in str(text).strip().split("-"))
    return {"year": year, "month": month, "day": day}


def _date_key(date):
    return (date["year"], date["month"], date["day"])


def _repeat_at(times):
    return [_time(t) for t in times]


def _current_schedule(settings):
    try:
        return settings["scheduling"]["backup_sets"][0]["schedule"] or {}
    except (KeyError, IndexError, TypeError):
        return {}


def _current_alarm(settings):
    return (_current_schedule(settings).get("alarms") or {}).get("time") or {}


def _weekdays(days):
    order = dict((day, n) for n, day in enumerate(WEEKDAYS))
    return sorted(set(days), key=order.get)


# The parts of ``alarms.time`` each kind of schedule holds, beside the dates every kind may have.
ALARM_KEYS = {
    "hourly": ("weekdays", "repeat_every", "run_within"),
    "daily": ("weekdays", "repeat_at"),
    "weekly": ("weekdays", "repeat_at"),
    "monthly": ("months", "monthdays", "include_last_day_of_month", "week_of_month", "weekdays", "repeat_at"),
}


def schedule_alarm(schedule, current):
    """The schedule (``scheduling.backup_sets[0].schedule``) the ``schedule`` option asks for, in full, over the
    plan's settings ``current``: what the option leaves unset is kept when the kind stays, else the kind's default
    (every day; the time of the current or default schedule; every month)."""
    have = _current_schedule(current)
    have_alarm = _current_alarm(current)
    kind = schedule.get("type") or schedule_type(current)
    same_kind = kind == schedule_type(current)
    default_alarm = _current_alarm(DEFAULT_BACKUP_SETTINGS)
    given = {}
    if _given(schedule, "weekdays"):
        given["weekdays"] = _weekdays(schedule["weekdays"])
    if _given(schedule, "at"):
        given["repeat_at"] = _repeat_at(schedule["at"])
    if _given(schedule, "interval"):
        given["repeat_every"] = {"type": "hours", "count": schedule["interval"]}
    if _given(schedule, "window"):
        given["run_within"] = {"from": _time(schedule["window"]["from"]), "to": _time(schedule["window"]["to"])}
    if _given(schedule, "months"):
        given["months"] = sorted(set(schedule["months"]))
    if _given(schedule, "monthdays") or _given(schedule, "week_of_month"):
        # Days of the month and weekdays of one week replace each other.
        given["monthdays"] = sorted(set(schedule.get("monthdays") or []))
    if _given(schedule, "last_day_of_month"):
        given["include_last_day_of_month"] = schedule["last_day_of_month"]
    if _given(schedule, "week_of_month"):
        given["week_of_month"] = schedule["week_of_month"]
    elif kind == "monthly" and (_given(schedule, "monthdays") or _given(schedule, "last_day_of_month")):
        given["week_of_month"] = None
    defaults = {
        "weekdays": list(WEEKDAYS) if kind != "weekly" else default_alarm["weekdays"],
        "repeat_at": have_alarm.get("repeat_at") or default_alarm["repeat_at"],
        "months": list(range(1, 13)),
        "monthdays": [],
        "include_last_day_of_month": False,
    }
    if kind == "monthly" and given.get("week_of_month") is None and "weekdays" not in given \
            and not (same_kind and have_alarm.get("week_of_month")):
        defaults.pop("weekdays")      # a monthly schedule on days of the month has no weekdays
    alarm = {}
    for key in ALARM_KEYS[kind]:
        if key in given:
            value = given[key]
        elif same_kind and key in have_alarm:
            value = have_alarm[key]
        else:
            value = defaults.get(key)
        if value is not None:
            alarm[key] = value
    if kind == "monthly" and alarm.get("week_of_month"):
        alarm["monthdays"] = []
        alarm["include_last_day_of_month"] = False
    elif kind == "monthly":
        alarm.pop("weekdays", None)
    for key in ("start_date", "end_date"):
        if _given(schedule, key):
            alarm[key] = _date(schedule[key])
        elif key in have_alarm:
            alarm[key] = have_alarm[key]
    result = dict((k, v) for k, v in have.items() if k not in ("alarms", "type")) if have else {}
    result.setdefault("conditions", {})
    result.setdefault("prevent_sleep", True)
    result.update(type=kind, alarms={"time": alarm})
    return result


def backup_settings(backup, raw, current=None):
    """The settings the task asks for (only what it sets), from the ``backup`` options and raw ``settings``.

    ``current`` (the plan's settings; the documented defaults for a new plan) fills the parts of a schedule the
    task does not give, so that unset stays as it is.
    """
    backup = backup or {}
    current = current if current is not None else DEFAULT_BACKUP_SETTINGS
    wanted = {}
    if backup.get("compression") is not None:
        wanted["compression"] = backup["compression"]
    if backup.get("format") is not None:
        wanted["format"] = backup["format"]
    if backup.get("destination") is not None:
        wanted["vault"] = {"type": backup["destination"]}
    if backup.get("archive_name") is not None:
        wanted["archive"] = {"name": backup["archive_name"]}
    schedule = backup.get("schedule") or {}
    scheduling = {}
    if schedule.get("enabled") is not None:
        scheduling["enabled"] = schedule["enabled"]
    if schedule.get("scheme") is not None:
        scheduling["scheme"] = schedule["scheme"]
    if any(_given(schedule, key) for key in SCHEDULE_OPTIONS + ("type", "start_date", "end_date")):
        sets = (current.get("scheduling") or {}).get("backup_sets") or [{"type": "auto"}]
        first = dict((k, v) for k, v in sets[0].items() if k != "schedule")
        first.setdefault("type", "auto")
        first["schedule"] = schedule_alarm(schedule, current)
        scheduling["backup_sets"] = [first] + list(sets[1:])
    if scheduling:
        wanted["scheduling"] = scheduling
    items = backup.get("items") or {}
    if items.get("type") is not None:
        wanted["backup_span"] = {"type": items["type"], "items": list(items.get("paths") or [])}
    if items.get("exclusions") is not None:
        wanted["exclusions"] = {"enabled": bool(items["exclusions"]), "masks": list(items["exclusions"])}
    encryption = backup.get("encryption")
    if encryption:
        wanted["encryption"] = {"enabled": True, "algorithm": encryption.get("algorithm") or "aes256"}
        if not (current.get("encryption") or {}).get("enabled") or encryption.get("update_password") == "always":
            # The password is sent when encryption is switched on, or on every run when the task says so; it is
            # never compared otherwise (see the module's encryption.update_password).
            wanted["encryption"]["password"] = encryption["password"]
    retention = backup.get("retention") or {}
    if retention.get("count") is not None:
        wanted["retention"] = {"rules": [{"max_count": retention["count"]}]}
    if retention.get("days") is not None:
        wanted["retention"] = {"rules": [{"max_age": {"type": "days", "count": retention["days"]}}]}
    if any(retention.get(key) is not None for key in ("daily", "weekly", "monthly")):
        units = (("daily", "days"), ("weekly", "weeks"), ("monthly", "months"))
        wanted["retention"] = {"rules": [{"backup_set": [key], "max_age": {"type": unit, "count": retention[key]}}
                                         for key, unit in units if retention.get(key) is not None]}
    if retention.get("after_backup") is not None:
        wanted.setdefault("retention", {})["after_backup"] = retention["after_backup"]
    return merge(wanted, raw or {})


def settings_changes(wanted, current):
    """The part of ``wanted`` that differs from ``current`` (dicts key by key, anything else as a whole)."""
    changes = {}
    current = current or {}
    for key, value in wanted.items():
        have = current.get(key)
        if isinstance(value, dict) and isinstance(have, dict):
            nested = settings_changes(value, have)
            if nested:
                changes[key] = nested
        elif value != have:
            changes[key] = copy.deepcopy(value)
    return changes
