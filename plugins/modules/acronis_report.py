#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_report
short_description: Download a one-time usage report, or keep a monthly report definition
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Works with the usage reports of the Acronis Cyber Platform in one of two lifecycles, chosen with O(schedule).
  - B(One-time report) (O(schedule=once), the default). The module creates a report, waits until the
    service has saved it, and downloads the file to O(dest). The file is the state the module manages -
    the report on the service is a means to it. So, once O(dest) exists, the module changes nothing
    and sends no request, unless O(force) is set. The report definition stays on the service, as one
    made in the management portal would.
  - B(Scheduled report) (O(schedule=monthly)). The module keeps a report definition, which the service
    runs every month. It is identified by its tenant, O(schedule) and O(kind) (one monthly report of each
    kind per tenant, as in the management portal), read from the tenant's list of reports. O(state=present)
    creates it, or updates O(level), O(recipients), O(hide_zero_usage), O(show_skus) and O(enabled) when
    they differ; O(state=absent) deletes it. Nothing is downloaded.
  - The two lifecycles share one module because they share every report parameter, and the API creates both
    with the same call; the options that belong to only one of them are refused with the other.
  - Both reports of the Acronis examples are covered - the usage report (for example O(kind=usage_current),
    O(level=accounts)) and the SKU report for direct partners (O(level=direct_partners), O(show_skus=true)).
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
  - ansible.builtin.files
options:
  tenant_id:
    description:
      - ID of the tenant the report is about.
    type: str
    required: true
  kind:
    description:
      - Kind of report.
      - V(usage_current) - the usage now; V(usage_summary) - the usage summed over O(period) (for a monthly
        report, over the last month); V(usage_daily) - day by day; V(usage_breakdown) - broken down by workload.
      - For a monthly report, this identifies the definition together with O(tenant_id).
    type: str
    required: true
    choices: [usage_current, usage_summary, usage_daily, usage_breakdown]
  schedule:
    description:
      - V(once) - a one-time report, created, waited for and downloaded to O(dest).
      - V(monthly) - a report definition kept on the service, which sends or saves a report every month.
    type: str
    choices: [once, monthly]
    default: once
  state:
    description:
      - V(present) - for a one-time report, O(dest) holds the report; for a monthly report, the definition
        exists with the given parameters.
      - V(absent) - the monthly report definition is deleted. Not valid with O(schedule=once).
    type: str
    choices: [present, absent]
    default: present
  level:
    description:
      - Level of detail, that is, which tenants have rows of their own in the report.
      - V(direct_partners) with O(show_skus=true) is the SKU report for direct partners.
      - When a report is created without it, V(accounts) is used. Unset on a monthly report that exists means
        leave it as it is.
    type: str
    choices: [itself, direct_partners, all_partners, all_customers, accounts]
  formats:
    description:
      - File formats of the report.
      - A one-time report takes exactly one, since it is downloaded to one file.
      - When a report is created without it, V(csv_v2_0) is used.
      - The API cannot change the formats of a monthly report that exists; the module fails rather than
        replace it. Delete it with O(state=absent) first to change them.
    type: list
    elements: str
    choices: [csv, html, json_v1, csv_v2_0, json_v2_0]
  period:
    description:
      - The dates the report covers, for a one-time report of kind V(usage_summary), V(usage_daily) or
        V(usage_breakdown). Not valid with O(schedule=monthly).
    type: dict
    suboptions:
      start:
        description: First day, as V(YYYY-MM-DD).
        type: str
        required: true
      end:
        description: Last day, as V(YYYY-MM-DD).
        type: str
        required: true
  hide_zero_usage:
    description:
      - Whether to leave out the metrics whose usage is zero.
      - Unset means the service's default when creating, and leave it as it is when updating.
    type: bool
  show_skus:
    description:
      - Whether to add the SKU columns to the report (the SKU report).
      - Unset means the service's default when creating, and leave it as it is when updating.
    type: bool
  result_action:
    description:
      - V(save) - the service keeps the generated file, to be downloaded.
      - V(send) - the service also e-mails it to O(recipients).
      - When a report is created without it, a one-time report uses V(save) and a monthly report V(send).
      - The API cannot change it on a monthly report that exists; the module fails rather than replace it.
    type: str
    choices: [save, send]
  recipients:
    description:
      - IDs of the users who receive the report by e-mail.
      - Compared without regard to order. Unset means none when creating, and leave them as they are when updating.
      - Required to create a report with O(result_action=send).
    type: list
    elements: str
  enabled:
    description:
      - Whether the monthly report runs. Only with O(schedule=monthly).
      - When a monthly report is created without it, it is enabled.
    type: bool
  dest:
    description:
      - File the one-time report is downloaded to. Required with O(schedule=once); not valid with O(schedule=monthly).
      - Its directory must exist and a file must be creatable in it (a probe file is created and removed), and an
        existing O(dest) must be writable; this is checked before any request, in check mode too (where a directory
        that does not exist yet only raises a warning, since an earlier task may create it).
      - The file is written to a temporary file in that directory, then renamed, so a reader never sees half a
        report, and a failed or timed-out report leaves no file behind.
      - If the service sends the file gzipped, it is decompressed.
    type: path
  force:
    description:
      - Create and download a new report even when O(dest) exists. The new file replaces the old one.
      - Only with O(schedule=once).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait for a one-time report to be saved, counted from its creation. The task fails when they
        run out, naming the report and its last status; the report stays on the service.
      - Not to be confused with O(timeout), which bounds each HTTP request.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between two reads of the report's status while waiting.
    type: float
    default: 5
attributes:
  safe_file_operations:
    description: O(dest) is written to a temporary file in its directory and renamed into place.
    support: full
notes:
  - For a long wait, run the task with C(async) and C(poll) (for example C(async) a little above O(wait_timeout));
    the module reads nothing from its input and needs no terminal.
  - In check mode nothing is created. A one-time report is predicted as a change exactly when O(dest) is missing
    or O(force) is set; the tenant is read to check that it exists.
  - Each run of a one-time report (the first, or one with O(force)) adds a report definition to the tenant.
    The module does not delete it, so that the file can be downloaded again from the service.
  - A create whose answer is lost (a dropped connection, HTTP 502, 503 or 504) is resolved by reading the
    tenant's reports - for a one-time report they are listed before the create, and the one that is new is taken
    as created; none found means it is created again, within O(backoff_retries).
seealso:
  - module: acronis.cyber_platform.acronis_usage_info
    description: The tenant's current usage, without a report.
'''

EXAMPLES = r'''
- name: Download the current usage of every account under the partner, once
  acronis.cyber_platform.acronis_report:
    tenant_id: "{{ partner_id }}"
    kind: usage_current
    level: accounts
    formats: [csv_v2_0]
    dest: /srv/billing/usage-{{ ansible_date_time.date }}.csv
    wait_timeout: 900
    poll_interval: 10
  async: 1000
  poll: 15

- name: SKU report for the direct partners, as JSON, fetched again even if the file exists
  acronis.cyber_platform.acronis_report:
    tenant_id: "{{ root_tenant_id }}"
    kind: usage_summary
    level: direct_partners
    show_skus: true
    formats: [json_v1]
    period:
      start: "2024-05-01"
      end: "2024-05-31"
    dest: /srv/billing/sku-2024-05.json
    force: true

- name: Keep a monthly summary e-mailed to the billing team
  acronis.cyber_platform.acronis_report:
    tenant_id: "{{ partner_id }}"
    schedule: monthly
    kind: usage_summary
    level: all_customers
    formats: [csv_v2_0]
    result_action: send
    recipients:
      - "{{ billing_user_id }}"
    hide_zero_usage: true

- name: Stop the monthly summary
  acronis.cyber_platform.acronis_report:
    tenant_id: "{{ partner_id }}"
    schedule: monthly
    kind: usage_summary
    state: absent
'''

RETURN = r'''
report:
  description:
    - The report definition as the API shows it after the task (in check mode, as it would be).
    - For a one-time report, the one created by this run; not returned when O(dest) exists and O(force) is not set.
    - For O(state=absent), the definition that was deleted, if any. When several matched, the first of them.
    - A report that check mode would create has a placeholder C(id) starting with C(00000000-0000-0000-c4ec-).
  returned: when a report was created, found or deleted
  type: dict
  sample:
    id: 20dffb36-d77b-45c6-b2fa-39276e98d5fc
    version: 1
    result_action: save
    recipients: []
    parameters:
      tenant_id: 2a91a14d-ffd3-4ac1-9b4d-3990162c5acc
      kind: usage_current
      level: accounts
      formats: [csv_v2_0]
    schedule:
      type: once
      enabled: true
    generation_date: "2024-06-01"
stored_report:
  description: The stored file that was downloaded, as the API lists it.
  returned: when a one-time report was downloaded
  type: dict
  sample:
    id: d6bc3e2e-2378-4099-bb33-6a2603aca94d
    report_format: csv_v2_0
    size: 1034
    status: saved
    created_at: "2024-06-01T02:07:53"
dest:
  description: Path of the downloaded file.
  returned: with O(schedule=once)
  type: str
  sample: /srv/billing/usage-2024-06-01.csv
size:
  description: Size in bytes of O(dest), after decompression.
  returned: with O(schedule=once), when O(dest) exists after the task
  type: int
  sample: 4096
checksum:
  description: SHA-1 checksum of O(dest).
  returned: with O(schedule=once), when O(dest) exists after the task
  type: str
  sample: 6c2c1d8b4b4f5e1a0bb1d7c6f3fbd4e2a1c5d9e0
state:
  description: V(file) once O(dest) exists (added by Ansible's file handling, with the file attributes below).
  returned: with O(schedule=once), when O(dest) exists after the task
  type: str
  sample: file
mode:
  description: Permissions of O(dest).
  returned: with O(schedule=once), when O(dest) exists after the task
  type: str
  sample: "0644"
owner:
  description: Owner of O(dest).
  returned: with O(schedule=once), when O(dest) exists after the task
  type: str
  sample: billing
group:
  description: Group of O(dest).
  returned: with O(schedule=once), when O(dest) exists after the task
  type: str
  sample: billing
uid:
  description: Numeric owner of O(dest).
  returned: with O(schedule=once), when O(dest) exists after the task
  type: int
  sample: 1000
gid:
  description: Numeric group of O(dest).
  returned: with O(schedule=once), when O(dest) exists after the task
  type: int
  sample: 1000
deleted:
  description: IDs of the monthly report definitions deleted (or that would be deleted in check mode).
  returned: with O(state=absent)
  type: list
  elements: str
  sample: [20dffb36-d77b-45c6-b2fa-39276e98d5fc]
'''

import datetime
import os
import tempfile

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    compare,
    is_placeholder_id,
    make_diff,
    merge,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisError,
    AcronisFailure,
    api_failure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import check_destination
from ansible_collections.acronis.cyber_platform.plugins.module_utils import reports, tenants

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "recipients": validation.USER_ID,
    "period.start": validation.DATE,
    "period.end": validation.DATE,
    "wait_timeout": validation.count(0, unit="seconds"),
    "poll_interval": validation.count(0, unit="seconds", exclusive=True),
}


DEFAULT_LEVEL = "accounts"
DEFAULT_FORMAT = "csv_v2_0"
ONCE_ONLY = ("dest", "period")
MONTHLY_ONLY = ("enabled",)


def check_options(module):
    """Refuse what cannot work before any request."""
    p = module.params
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
        if p["period"]:
            check_period(p["period"])
        warning = check_destination(p["dest"], "dest", module.check_mode, what="the report")
        if warning:
            module.warn(warning)
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
    """Refuse a period whose dates (real ones: validation.DATE, in OPTION_KINDS) are out of order or more than
    MAX_PERIOD_DAYS apart."""
    dates = dict((key, datetime.date(*[int(part) for part in period[key].split("-")])) for key in ("start", "end"))
    if dates["start"] > dates["end"]:
        raise AcronisFailure("Option period: period.start (%s) is after period.end (%s); swap them."
                             % (period["start"], period["end"]))
    days = (dates["end"] - dates["start"]).days
    if days >= MAX_PERIOD_DAYS:
        raise AcronisFailure("Option period spans %d days (%s to %s); the service reports on at most %d days at "
                             "once. Split it into several reports." % (days + 1, period["start"], period["end"],
                                                                       MAX_PERIOD_DAYS))


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
            return reports.wait_until_saved(module.client, report["id"], p["wait_timeout"], p["poll_interval"])
        except reports.ReportFailed as exc:
            raise AcronisFailure(failed % exc, report=report, stored=exc.stored, last_status=reports.STATUS_FAILED)
        except reports.ReportTimeout as exc:
            raise AcronisFailure(failed % exc, report=report, stored=exc.stored, last_status=exc.last_status)


def ensure_once_report(module):
    """schedule=once: the report downloaded to dest (no request at all when dest is there and force is off)."""
    client = module.client
    p = module.params
    dest = p["dest"]
    result = dict(changed=False, dest=dest)
    file_args = module.load_file_common_arguments(p, path=dest)

    # dest was checked before any request (check_options: validation.check_destination).
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
                tenant = tenants.get_tenant(client, p["tenant_id"])
            if tenant is None:
                raise AcronisFailure("tenant %s was not found" % p["tenant_id"])
        result["report"] = dict(body, id=placeholder_id("report", dest), version=1)
        result.update(before)
        return result

    with failing_to("create a one-time %s report for tenant %s" % (p["kind"], p["tenant_id"]), report=None):
        # The reports there before the create: a lost answer is resolved by the one that is new.
        known = set(reports.list_report_ids(client, p["tenant_id"]))
        report = reports.create_report(client, body, lambda: reports.find_new_report(client, p["tenant_id"], body, known))[0]
    result["report"] = report
    stored = wait_for_report(module, report)
    item = pick_stored(module, stored, body["parameters"]["formats"][0], report["id"])
    with failing_to("download stored report %s of report %s" % (item.get("id"), report["id"]), report=report):
        content = reports.download_stored(client, report["id"], item["id"])

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
            matches = reports.find_scheduled_reports(client, tenant_id, "monthly", p["kind"])

    if p["state"] == "absent":
        result["deleted"] = [report["id"] for report in matches]
        if matches:
            result.update(changed=True, report=matches[0])
            if module._diff:
                result["diff"] = make_diff(matches[0], None)
        if not module.check_mode:
            for report in matches:
                with failing_to("delete %s (%s)" % (what, report["id"]), **result):
                    reports.delete_report(client, report["id"], report["version"])
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
            return result
        with failing_to("create " + what):
            result["report"] = reports.create_report(
                client, body, lambda: reports.find_new_report(client, tenant_id, body, set()))[0]
        with failing_to("read the reports of tenant %s after creating its %s" % (tenant_id, what), **result):
            kept = reports.keep_one_scheduled_report(client, result["report"], tenant_id, what)
        if kept["id"] == result["report"]["id"]:
            return result
        # Another writer's report is kept and ours removed: the task's options go on through the update path.
        matches = [kept]

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
                result["report"] = reports.update_report(
                    client, report["id"], report_put_body(report, current, changes), version=report.get("version"),
                    rebase=lambda fresh: report_put_body(fresh, comparable_report(fresh), changes),
                    done=lambda fresh: not compare(changes, comparable_report(fresh)))
    return result


def run(module):
    check_options(module)
    if module.params["schedule"] == "once":
        return ensure_once_report(module)
    return ensure_monthly_report(module)


def argument_spec():
    return dict(
        tenant_id=dict(type="str", required=True),
        kind=dict(type="str", required=True, choices=["usage_current", "usage_summary", "usage_daily", "usage_breakdown"]),
        schedule=dict(type="str", default="once", choices=["once", "monthly"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        level=dict(type="str", choices=["itself", "direct_partners", "all_partners", "all_customers", "accounts"]),
        formats=dict(type="list", elements="str", choices=["csv", "html", "json_v1", "csv_v2_0", "json_v2_0"]),
        period=dict(type="dict", options=dict(start=dict(type="str", required=True), end=dict(type="str", required=True))),
        hide_zero_usage=dict(type="bool"),
        show_skus=dict(type="bool"),
        result_action=dict(type="str", choices=["save", "send"]),
        recipients=dict(type="list", elements="str"),
        enabled=dict(type="bool"),
        dest=dict(type="path"),
        force=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        poll_interval=dict(type="float", default=5),
    )


def main():
    AcronisModule(argument_spec=argument_spec(), option_kinds=OPTION_KINDS,
                  supports_check_mode=True, add_file_common_args=True).execute(run)


if __name__ == "__main__":
    main()
