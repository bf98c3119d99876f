# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Task Manager (tasks, activities) and Alert Manager (alerts): time windows, filters, bounded paged reads.

The services filter with ``field=op(value)`` (``completedAt=gt(2024-05-01T00:00:00Z)``, ``updated_at=gt(<ns>)``)
and ``field=or(a,b)``, and page with ``limit`` and ``paging.cursors.after``; the cursor carries the filters.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import time

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import without_placeholders
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils import paging
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

TASKS_PATH = "/api/task_manager/v2/tasks"
ACTIVITIES_PATH = "/api/task_manager/v2/activities"
ALERTS_PATH = "/api/alert_manager/v1/alerts"

DEFAULT_LIMIT = paging.DEFAULT_LIMIT
MAX_LIMIT = paging.MAX_LIMIT
PAGE_SIZE = 500          # items per request; a read never asks for more than it may return

SEVERITIES = ("information", "warning", "error", "critical")
_EPOCH = datetime.datetime(1970, 1, 1)


def task_filter_spec():
    """The argument spec of acronis_task_info and acronis_activity_info: the same Task Manager filters."""
    window = dict(type="str")
    return dict(
        completed_within=window, completed_after=window, completed_before=window,
        started_within=window, started_after=window, started_before=window,
        state=dict(type="list", elements="str", choices=["enqueued", "assigned", "started", "paused", "completed"]),
        type=dict(type="list", elements="str"),
        result=dict(type="list", elements="str", choices=["ok", "warning", "error", "cancelled", "abandoned", "timedout"]),
        tenant_ids=dict(type="list", elements="str"),
        policy_ids=dict(type="list", elements="str"),
        resource_ids=dict(type="list", elements="str"),
        task_ids=dict(type="list", elements="int"),
        limit=dict(paging.LIMIT_SPEC),
        after=dict(paging.AFTER_SPEC),
    )


# The filters of the Task Manager modules, which a continuation (after) carries in its cursor.
TASK_FILTERS = ("completed_within", "completed_after", "completed_before", "started_within", "started_after",
                "started_before", "state", "type", "result", "tenant_ids", "policy_ids", "resource_ids", "task_ids")

# The options that filter by object ids (check-mode placeholders: AcronisModule.preview_of_new).
ID_FILTERS = ("tenant_ids", "policy_ids", "resource_ids")

# A window is given one way: within a duration, or after a moment.
TASK_FILTER_EXCLUSIVE = [("completed_within", "completed_after"), ("started_within", "started_after")]

# The kinds of the Task Manager filters (validation's option kinds), checked before any request.
TASK_FILTER_KINDS = {
    "completed_within": validation.DURATION, "started_within": validation.DURATION,
    "completed_after": validation.TIMESTAMP, "completed_before": validation.TIMESTAMP,
    "started_after": validation.TIMESTAMP, "started_before": validation.TIMESTAMP,
    "type": validation.FILTER_VALUE,
    "tenant_ids": validation.TENANT_ID, "policy_ids": validation.POLICY_ID, "resource_ids": validation.RESOURCE_ID,
    "limit": paging.LIMIT_KIND,
}
# The kinds of the Alert Manager filters.
ALERT_FILTER_KINDS = {
    "updated_within": validation.DURATION, "updated_after": validation.TIMESTAMP,
    "updated_before": validation.TIMESTAMP,
    "type": validation.FILTER_VALUE, "category": validation.FILTER_VALUE,
    "tenant_ids": validation.TENANT_ID,
    "limit": paging.LIMIT_KIND,
}


def window_seconds(text, option):
    """``7d`` -> 604800: a duration of seconds (s), minutes (m), hours (h), days (d) or weeks (w)."""
    validation.DURATION.check(text, option)
    return validation.DURATION.seconds(text)


def parse_moment(text, option):
    """An RFC 3339 date or date-time (``2024-05-01``, ``2024-05-01T08:00:00Z``) as Unix seconds (UTC when no zone)."""
    validation.TIMESTAMP.check(text, option)
    return validation.TIMESTAMP.seconds(text)


def rfc3339(seconds):
    """Unix seconds -> ``2024-05-01T08:00:00Z`` (what the seeds' scripts send to the Task Manager)."""
    return (_EPOCH + datetime.timedelta(seconds=int(seconds))).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_window(params, prefix, now=None):
    """``(after, before)`` in Unix seconds, or None, from the options <prefix>_within, _after and _before."""
    within, after, before = (params.get(prefix + "_within"), params.get(prefix + "_after"),
                             params.get(prefix + "_before"))
    if within is not None and after is not None:
        raise AcronisFailure("Options %s_within and %s_after both set the start of the window; set only one."
                             % (prefix, prefix))
    now = time.time() if now is None else now
    start = None
    if within is not None:
        start = now - window_seconds(within, prefix + "_within")
    elif after is not None:
        start = parse_moment(after, prefix + "_after")
    end = parse_moment(before, prefix + "_before") if before is not None else None
    if start is not None and end is not None and start >= end:
        raise AcronisFailure("The window of %s is empty: its start (%s) is not before %s_before (%s)."
                             % (prefix, rfc3339(start), prefix, rfc3339(end)))
    return start, end


def one_of(values):
    """A filter value: ``a`` or ``or(a,b)``; None for no filter."""
    if not values:
        return None
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else "or(%s)" % ",".join(values)


def add_window(params, field, window, encode):
    """``field=gt(start)`` and ``field=lt(end)`` (repeated parameter when both)."""
    start, end = window
    conditions = []
    if start is not None:
        conditions.append("gt(%s)" % encode(start))
    if end is not None:
        conditions.append("lt(%s)" % encode(end))
    if conditions:
        params[field] = conditions[0] if len(conditions) == 1 else conditions


def nanoseconds(seconds):
    """Unix seconds -> the Alert Manager's UNIX nanoseconds."""
    return "%d" % (int(round(seconds * 1000000)) * 1000)


def read_bounded(client, path, params, limit, after=None):
    """(records, cursor): at most ``limit`` records of a paged list, from the start or from ``after`` (the cursor of
    an earlier read), and the cursor of what follows, None when nothing does (``paging.read_bounded``)."""
    query = dict((k, v) for k, v in params.items() if v is not None)
    return paging.read_bounded(client, path, query, limit, PAGE_SIZE, after=after, service="the service at %s" % path)


def task_params(params, id_option, now=None):
    """The Task Manager query of acronis_task_info / acronis_activity_info."""
    query = {}
    add_window(query, "completedAt", time_window(params, "completed", now), rfc3339)
    add_window(query, "startedAt", time_window(params, "started", now), rfc3339)
    query["state"] = one_of(params.get("state"))
    query["type"] = one_of(params.get("type"))
    query["resultCode"] = one_of(params.get("result"))
    # A placeholder names an object that a check-mode run would create: none of the records is about it. (A filter
    # of placeholders only is no filter here: the modules answer it with a preview and send no query.)
    query["tenantId"] = one_of(without_placeholders(params.get("tenant_ids")))
    query["policyId"] = one_of(without_placeholders(params.get("policy_ids")))
    query["resourceId"] = one_of(without_placeholders(params.get("resource_ids")))
    if id_option:
        query[id_option[0]] = one_of([str(v) for v in params.get(id_option[1]) or []])
    return query


def alert_params(params, now=None):
    """The Alert Manager query of acronis_alert_info."""
    if params.get("severity") and params.get("min_severity"):
        raise AcronisFailure("Options severity and min_severity both filter the severity; set only one.")
    query = {}
    add_window(query, "updated_at", time_window(params, "updated", now), nanoseconds)
    query["type"] = one_of(params.get("type"))
    query["category"] = one_of(params.get("category"))
    query["tenant"] = one_of(without_placeholders(params.get("tenant_ids")))
    query["severity"] = one_of(params.get("severity"))
    if params.get("min_severity"):
        query["severity"] = "ge(%s)" % params["min_severity"]
    dismissed = params.get("dismissed") or "exclude"
    if dismissed == "include":
        query["show_deleted"] = "true"
    elif dismissed == "only":
        query["show_deleted_only"] = "true"
    return query
