# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Usage reports and usage figures: the API operations ``acronis_report`` and ``acronis_usage_info`` share.

A report is a definition (``POST /reports``) whose runs produce stored files
(``GET /reports/{id}/stored``), one per format, each ``in_progress``, then
``saved`` or ``failed``. A one-time report runs once, right away; a monthly one
is kept and runs every month.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import os
import re
import tempfile
import time

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisError,
    AcronisFailure,
    api_failure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    compare,
    is_placeholder_id,
    make_diff,
    merge,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.tenants import get_tenant

STATUS_SAVED = "saved"
STATUS_FAILED = "failed"
STATUS_IN_PROGRESS = "in_progress"

# Tenants per GET /tenants/usages request; keeps the query string of a batch short.
USAGE_BATCH = 100


class ReportFailed(AcronisError):
    """The service gave up generating a stored report."""

    def __init__(self, message, report_id, stored=None):
        super(ReportFailed, self).__init__(message)
        self.report_id = report_id
        self.stored = stored or []


class ReportTimeout(AcronisError):
    """The report was not saved within the time allowed."""

    def __init__(self, message, report_id, last_status, stored=None):
        super(ReportTimeout, self).__init__(message)
        self.report_id = report_id
        self.last_status = last_status
        self.stored = stored or []


# --------------------------------------------------------------- definitions

def create_report(client, body, find):
    """``POST /reports``: ``(definition, adopted)``, the definition with ``id`` and ``version``.

    ``find()`` reads the tenant's reports (authoritatively) for the one this create would have made: when
    the answer is lost, one found is adopted, and none found means the report is created again.
    """
    return client.create("/reports", body, find)


def find_new_report(client, tenant_id, body, known_ids):
    """The report of ``tenant_id`` not among ``known_ids`` whose schedule type and kind are those of ``body``."""
    schedule_type = (body.get("schedule") or {}).get("type")
    kind = (body.get("parameters") or {}).get("kind")
    for report_id in list_report_ids(client, tenant_id):
        if report_id in known_ids:
            continue
        report = get_report(client, report_id)
        if report is not None and (report.get("schedule") or {}).get("type") == schedule_type \
                and (report.get("parameters") or {}).get("kind") == kind:
            return report
    return None


def get_report(client, report_id):
    """The report definition, or None when it does not exist (any more)."""
    return client.get_or_none("/reports/{report_id}", report_id=report_id)


def list_report_ids(client, tenant_id):
    """The ids of the reports of a tenant (``GET /tenants/{id}/reports``)."""
    body = client.get("/tenants/{tenant_id}/reports", tenant_id=tenant_id) or {}
    return list(body.get("items") or [])


def find_scheduled_reports(client, tenant_id, schedule_type, kind):
    """The scheduled reports of a tenant with this schedule type and report kind.

    The list endpoint gives ids only, so each definition is read; one deleted
    meanwhile is skipped.
    """
    found = []
    for report_id in list_report_ids(client, tenant_id):
        report = get_report(client, report_id)
        if report is None:
            continue
        parameters = report.get("parameters") or {}
        schedule = report.get("schedule") or {}
        if (schedule.get("type") == schedule_type and parameters.get("kind") == kind
                and parameters.get("tenant_id", tenant_id) == tenant_id):
            found.append(report)
    return found


def update_report(client, report_id, body):
    """``PUT /reports/{id}`` (scheduled reports only): the definition after the change."""
    return client.put("/reports/{report_id}", json=body, report_id=report_id)


def delete_report(client, report_id, version):
    """``DELETE /reports/{id}?version=``; False when it was already gone."""
    return client.delete("/reports/{report_id}", params={"version": version}, missing_ok=True,
                         report_id=report_id)


# ------------------------------------------------------------ stored reports

def list_stored(client, report_id):
    """The stored files of a report (``GET /reports/{id}/stored``)."""
    body = client.get("/reports/{report_id}/stored", report_id=report_id) or {}
    return list(body.get("items") or [])


def summarize_status(stored):
    """One status for a set of stored files: failed if any failed, saved if all are, else in_progress."""
    statuses = [item.get("status") for item in stored]
    if STATUS_FAILED in statuses:
        return STATUS_FAILED
    if statuses and all(status == STATUS_SAVED for status in statuses):
        return STATUS_SAVED
    return STATUS_IN_PROGRESS


def wait_until_saved(client, report_id, timeout, poll_interval, sleep=time.sleep, clock=time.monotonic):
    """Poll the stored files of a report until all are saved; return them.

    Raises ``ReportFailed`` as soon as one has failed, and ``ReportTimeout``
    when they are not all saved ``timeout`` seconds after the call. The first
    poll is immediate; no sleep goes past the deadline.
    """
    deadline = clock() + timeout
    polls = 0
    while True:
        stored = list_stored(client, report_id)
        polls += 1
        status = summarize_status(stored)
        if status == STATUS_SAVED:
            return stored
        if status == STATUS_FAILED:
            failed = [item.get("id") for item in stored if item.get("status") == STATUS_FAILED]
            raise ReportFailed(
                "the service could not generate report %s (stored report %s: status failed)"
                % (report_id, ", ".join(str(i) for i in failed)), report_id, stored)
        remaining = deadline - clock()
        if remaining <= 0:
            raise ReportTimeout(
                "report %s was not saved within %s seconds (%d polls); its last status was %s. "
                "It is still on the service: raise wait_timeout, or download it later from "
                "GET /reports/%s/stored" % (report_id, timeout, polls, status if stored else "no stored file yet",
                                            report_id),
                report_id, status, stored)
        sleep(min(poll_interval, remaining))


def download_stored(client, report_id, stored_report_id):
    """The content of a stored report, decompressed if the service gzipped it."""
    return client.download("/reports/{report_id}/stored/{stored_report_id}",
                           report_id=report_id, stored_report_id=stored_report_id)


# -------------------------------------------------------------------- usages

def _usage_filters(usage_names=None, editions=None):
    params = {}
    if usage_names:
        params["usage_names"] = ",".join(usage_names)
    if editions:
        params["editions"] = ",".join(editions)
    return params


def get_tenant_usages(client, tenant_id, usage_names=None, editions=None):
    """The current usage entries of one tenant (``GET /tenants/{id}/usages``)."""
    body = client.get("/tenants/{tenant_id}/usages", params=_usage_filters(usage_names, editions) or None,
                      tenant_id=tenant_id) or {}
    return list(body.get("items") or [])


def get_usages_batch(client, tenant_ids, usage_names=None, editions=None):
    """Usage entries of many tenants (``GET /tenants/usages?tenants=``): a dict tenant id -> entries."""
    result = {}
    ids = list(tenant_ids)
    for start in range(0, len(ids), USAGE_BATCH):
        params = _usage_filters(usage_names, editions)
        params["tenants"] = ",".join(ids[start:start + USAGE_BATCH])
        body = client.get("/tenants/usages", params=params) or {}
        for item in body.get("items") or []:
            result.setdefault(item.get("tenant"), []).extend(item.get("usages") or [])
    return result


def usage_entry(usage, tenant_id, tenant_name=None):
    """One usage entry with the tenant and the quota where a playbook's filters expect them."""
    result = dict(usage)
    result["tenant_uuid"] = usage.get("tenant_uuid") or tenant_id
    result["quota"] = ((usage.get("offering_item") or {}).get("quota")) or None
    if tenant_name is not None:
        result["tenant_name"] = tenant_name
    return result


# ------------------------------------------------------------ the acronis_report task

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEFAULT_LEVEL = "accounts"
DEFAULT_FORMAT = "csv_v2_0"
ONCE_ONLY = ("dest", "period")
MONTHLY_ONLY = ("enabled",)


def validate_report_options(module):
    """Refuse what cannot work before any request."""
    p = module.params
    module.check_uuid(p["tenant_id"], "tenant_id")
    for user_id in p["recipients"] or []:
        module.check_uuid(user_id, "each of recipients")
    if p["schedule"] == "once":
        wrong = [name for name in MONTHLY_ONLY if p[name] is not None]
        if p["state"] == "absent":
            raise AcronisFailure("state=absent applies to monthly reports only: a one-time report is a file, "
                                 "remove %s with ansible.builtin.file" % (p["dest"] or "it"))
        if wrong:
            raise AcronisFailure("%s applies to monthly reports only (schedule=monthly)" % ", ".join(wrong))
        if not p["dest"]:
            raise AcronisFailure("dest is required with schedule=once: it is the file the report is downloaded to")
        if p["formats"] is not None and len(p["formats"]) != 1:
            raise AcronisFailure("a one-time report is downloaded to one file, so formats takes exactly one "
                                 "format, got %d" % len(p["formats"]))
        if p["wait_timeout"] < 0:
            raise AcronisFailure("wait_timeout must be 0 or more seconds, got %d" % p["wait_timeout"])
        if p["poll_interval"] <= 0:
            raise AcronisFailure("poll_interval must be more than 0 seconds, got %s" % p["poll_interval"])
        if p["period"]:
            check_period(p["period"])
        check_dest_writable(p["dest"])
    else:
        wrong = [name for name in ONCE_ONLY if p[name] is not None]
        if p["force"]:
            wrong.append("force")
        if wrong:
            raise AcronisFailure("%s applies to one-time reports only (schedule=once); a monthly report is a "
                                 "definition kept on the service, not a download" % ", ".join(wrong))


# The longest period the service reports on, in days (the simulator's reports.py MAX_PERIOD_DAYS).
MAX_PERIOD_DAYS = 366


def check_period(period):
    """Refuse a period that is not two real dates, in order, less than MAX_PERIOD_DAYS apart."""
    dates = {}
    for key in ("start", "end"):
        value = period[key]
        try:
            if not DATE_RE.match(value):
                raise ValueError(value)
            dates[key] = datetime.date(*[int(part) for part in value.split("-")])
        except ValueError:
            raise AcronisFailure("Option period.%s must be a date as YYYY-MM-DD, got %r; set a real date such as "
                                 "2024-05-31." % (key, value))
    if dates["start"] > dates["end"]:
        raise AcronisFailure("Option period: period.start (%s) is after period.end (%s); swap them."
                             % (period["start"], period["end"]))
    days = (dates["end"] - dates["start"]).days
    if days >= MAX_PERIOD_DAYS:
        raise AcronisFailure("Option period spans %d days (%s to %s); the service reports on at most %d days at "
                             "once. Split it into several reports." % (days + 1, period["start"], period["end"],
                                                                       MAX_PERIOD_DAYS))


def check_dest_writable(dest):
    """Refuse a dest the report could not be written to, before the report is created."""
    if not dest:
        return
    directory = os.path.dirname(os.path.abspath(dest))
    if os.path.isdir(directory) and not os.access(directory, os.W_OK | os.X_OK):
        raise AcronisFailure("Option dest: the directory %s is not writable by this user, so the report could not "
                             "be saved; choose another dest or fix its permissions." % directory)
    if os.path.exists(dest) and not os.path.isdir(dest) and not os.access(dest, os.W_OK):
        raise AcronisFailure("Option dest: the file %s is not writable by this user; choose another dest or fix "
                             "its permissions." % dest)


def check_recipients_exist(module, recipients):
    """Each recipient must be a user the API client can see: the service refuses the report otherwise."""
    for user_id in recipients or []:
        if is_placeholder_id(user_id):
            continue
        try:
            user = module.client.get_or_none("/users/{user_id}", user_id=user_id)
        except AcronisError as exc:
            if exc.status != 403:
                raise api_failure(exc, "check recipient %s" % user_id)
            user = None
        if user is None:
            raise AcronisFailure("Option recipients: %s is not a user the API client can see; set the IDs of "
                                 "existing users (acronis_user_info lists them)." % user_id)


def create_body(params):
    """The POST /reports body of a new report, defaults filled in."""
    once = params["schedule"] == "once"
    parameters = {
        "tenant_id": params["tenant_id"],
        "kind": params["kind"],
        "level": params["level"] or DEFAULT_LEVEL,
        "formats": params["formats"] or [DEFAULT_FORMAT],
    }
    for key in ("hide_zero_usage", "show_skus"):
        if params[key] is not None:
            parameters[key] = params[key]
    if params["period"]:
        parameters["period"] = {"start": params["period"]["start"], "end": params["period"]["end"]}
    schedule = {"type": params["schedule"]}
    if not once:
        schedule["enabled"] = True if params["enabled"] is None else params["enabled"]
    return {
        "parameters": parameters,
        "schedule": schedule,
        "result_action": params["result_action"] or ("save" if once else "send"),
        "recipients": sorted(params["recipients"] or []),
    }


def check_send_recipients(module, body):
    if body["result_action"] == "send" and not body["recipients"]:
        raise AcronisFailure("result_action=send needs at least one of recipients (user IDs) to send the report to")
    check_recipients_exist(module, body["recipients"])


# --------------------------------------------------------------- one-time report

def file_facts(module, path):
    if not os.path.isfile(path):
        return {}
    return {"size": os.path.getsize(path), "checksum": module.sha1(path)}


def write_atomically(module, dest, content):
    """Write ``content`` to a temporary file beside ``dest``, then rename it over ``dest``."""
    directory = os.path.dirname(os.path.abspath(dest))
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(dest), suffix=".part")
    module.add_cleanup_file(tmp)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
    except (IOError, OSError) as exc:
        raise AcronisFailure("Failed to write the report to %s: %s" % (tmp, to_native(exc)))
    module.atomic_move(tmp, dest)


def pick_stored(module, stored, wanted_format, report_id):
    if len(stored) == 1:
        return stored[0]
    matching = [item for item in stored if item.get("report_format") == wanted_format]
    if len(matching) == 1:
        return matching[0]
    raise AcronisFailure("report %s has %d stored files and none or several in format %s; cannot choose one to "
                         "download" % (report_id, len(stored), wanted_format), stored=stored)


def wait_for_report(module, report):
    """The stored files of a one-time report once all are saved; one that failed or is late fails the task."""
    p = module.params
    failed = "Failed to get the one-time %s report of tenant %s: %%s" % (p["kind"], p["tenant_id"])
    with failing_to("wait for report %s of tenant %s" % (report["id"], p["tenant_id"]), report=report):
        try:
            return wait_until_saved(module.client, report["id"], p["wait_timeout"], p["poll_interval"])
        except ReportFailed as exc:
            raise AcronisFailure(failed % exc, report=report, stored=exc.stored, last_status=STATUS_FAILED)
        except ReportTimeout as exc:
            raise AcronisFailure(failed % exc, report=report, stored=exc.stored, last_status=exc.last_status)


def ensure_once_report(module):
    """schedule=once: the report downloaded to dest (no request at all when dest is there and force is off)."""
    client = module.client
    p = module.params
    dest = p["dest"]
    result = dict(changed=False, dest=dest)
    file_args = module.load_file_common_arguments(p, path=dest)

    if os.path.isdir(dest):
        raise AcronisFailure("dest %s is a directory; give the path of the file to download the report to" % dest)
    directory = os.path.dirname(os.path.abspath(dest))
    if not os.path.isdir(directory):
        raise AcronisFailure("the directory of dest, %s, does not exist; create it first" % directory)

    before = file_facts(module, dest)
    if before and not p["force"]:
        # The file is the state: it is there, so no request at all.
        result["changed"] = module.set_fs_attributes_if_different(file_args, False)
        result.update(before)
        return result

    body = create_body(p)
    check_send_recipients(module, body)
    result["changed"] = True
    if module._diff:
        result["diff"] = {
            "before": dict(dict(path=dest, state="file" if before else "absent"), **before),
            "after": {"path": dest, "state": "file", "report": body["parameters"]},
        }

    if module.check_mode:
        if not is_placeholder_id(p["tenant_id"]):
            with failing_to("read tenant %s" % p["tenant_id"]):
                tenant = get_tenant(client, p["tenant_id"])
            if tenant is None:
                raise AcronisFailure("tenant %s was not found" % p["tenant_id"])
        result["report"] = dict(body, id=placeholder_id("report", dest), version=1)
        result.update(before)
        return result

    with failing_to("create a one-time %s report for tenant %s" % (p["kind"], p["tenant_id"]), report=None):
        # The reports there before the create: a lost answer is resolved by the one that is new.
        known = set(list_report_ids(client, p["tenant_id"]))
        report = create_report(client, body, lambda: find_new_report(client, p["tenant_id"], body, known))[0]
    result["report"] = report
    stored = wait_for_report(module, report)
    item = pick_stored(module, stored, body["parameters"]["formats"][0], report["id"])
    with failing_to("download stored report %s of report %s" % (item.get("id"), report["id"]), report=report):
        content = download_stored(client, report["id"], item["id"])

    write_atomically(module, dest, content)
    module.set_fs_attributes_if_different(file_args, True)
    result["stored_report"] = item
    result.update(file_facts(module, dest))
    if "diff" in result:
        result["diff"]["after"]["size"] = result["size"]
    return result


# -------------------------------------------------------------- monthly report

def comparable_report(report):
    """The updatable part of a definition, recipients sorted."""
    parameters = report.get("parameters") or {}
    return {
        "parameters": dict((k, parameters.get(k)) for k in ("level", "hide_zero_usage", "show_skus")),
        "recipients": sorted(report.get("recipients") or []),
        "schedule": {"enabled": (report.get("schedule") or {}).get("enabled")},
    }


def desired_report(params):
    return {
        "parameters": {"level": params["level"], "hide_zero_usage": params["hide_zero_usage"],
                       "show_skus": params["show_skus"]},
        "recipients": sorted(params["recipients"]) if params["recipients"] is not None else None,
        "schedule": {"enabled": params["enabled"]},
    }


def report_put_body(report, current, changes):
    """PUT /reports/{id}: every updatable field, as it will be (the API may replace what is left out)."""
    after = merge(current, changes)
    parameters = dict((k, v) for k, v in after["parameters"].items() if v is not None)
    parameters["kind"] = report["parameters"]["kind"]
    body = {"parameters": parameters, "recipients": after["recipients"]}
    if after["schedule"]["enabled"] is not None:
        body["schedule"] = {"enabled": after["schedule"]["enabled"]}
    return body


def refuse_immutable(module, report):
    p = module.params
    parameters = report.get("parameters") or {}
    if p["formats"] is not None and sorted(p["formats"]) != sorted(parameters.get("formats") or []):
        raise AcronisFailure("the formats of monthly report %s are %s; the API cannot change them. Delete it "
                             "(state=absent), then create it with formats %s"
                             % (report["id"], parameters.get("formats"), p["formats"]), report=report)
    if p["result_action"] is not None and p["result_action"] != report.get("result_action"):
        raise AcronisFailure("the result_action of monthly report %s is %s; the API cannot change it. Delete it "
                             "(state=absent), then create it with result_action %s"
                             % (report["id"], report.get("result_action"), p["result_action"]), report=report)


def ensure_monthly_report(module):
    """schedule=monthly: the one definition of this kind for the tenant, as the task describes it."""
    client = module.client
    p = module.params
    tenant_id = p["tenant_id"]
    what = "monthly %s report of tenant %s" % (p["kind"], tenant_id)
    result = dict(changed=False)

    matches = []
    if not is_placeholder_id(tenant_id):
        with failing_to("read the reports of tenant %s" % tenant_id):
            matches = find_scheduled_reports(client, tenant_id, "monthly", p["kind"])

    if p["state"] == "absent":
        result["deleted"] = [report["id"] for report in matches]
        if matches:
            result.update(changed=True, report=matches[0])
            if module._diff:
                result["diff"] = make_diff(matches[0], None)
        if not module.check_mode:
            for report in matches:
                with failing_to("delete %s (%s)" % (what, report["id"]), **result):
                    delete_report(client, report["id"], report["version"])
        return result

    if len(matches) > 1:
        raise AcronisFailure("tenant %s has %d monthly %s reports (%s); the module manages one. Delete them with "
                             "state=absent, then create one"
                             % (tenant_id, len(matches), p["kind"], ", ".join(r["id"] for r in matches)))

    if not matches:
        body = create_body(p)
        check_send_recipients(module, body)
        result["changed"] = True
        if module._diff:
            result["diff"] = make_diff(None, body)
        if module.check_mode:
            result["report"] = dict(body, id=placeholder_id("report", "%s:monthly:%s" % (tenant_id, p["kind"])), version=1)
        else:
            with failing_to("create " + what):
                result["report"] = create_report(
                    client, body, lambda: find_new_report(client, tenant_id, body, set()))[0]
        return result

    report = matches[0]
    refuse_immutable(module, report)
    current = comparable_report(report)
    changes = compare(desired_report(p), current)
    result["report"] = report
    if changes:
        result["changed"] = True
        if module._diff:
            result["diff"] = make_diff(current, changes)
        if module.check_mode:
            result["report"] = merge(report, changes)
        else:
            with failing_to("update %s (%s)" % (what, report["id"])):
                result["report"] = update_report(client, report["id"], report_put_body(report, current, changes))
    return result
