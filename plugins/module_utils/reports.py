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

import time

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError

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


def keep_one_scheduled_report(client, report, tenant_id, what):
    """The report to go on with after creating the scheduled ``report``: itself, or the one of the same
    schedule type and kind another writer created for the tenant at the same moment, which the collection's
    tie-break keeps (``AcronisClient.keep_one``; reports have no ``created_at``: the first in the tenant's list
    is kept, ours deleted). The API does not keep a tenant's scheduled reports of one kind unique.
    """
    same = find_scheduled_reports(client, tenant_id, report["schedule"]["type"], report["parameters"]["kind"])
    return client.keep_one(what, report, same, lambda ours: delete_report(client, ours["id"], ours.get("version")))


def update_report(client, report_id, body, version=None, rebase=None, done=None):
    """``PUT /reports/{id}`` (scheduled reports only): the definition after the change.

    With the ``version`` it was read at (``?version=``), another writer's change in between is an outdated
    version, resolved by reading the report again (``AcronisClient.settle``): ``done(fresh)`` says whether it
    already is as asked; if not, ``rebase(fresh)`` is sent, on the fresh version.
    """
    def write(fresh):
        sent = body if fresh is None else rebase(fresh)
        at = version if fresh is None else fresh.get("version")
        params = {"version": at} if at is not None else None
        return client.put("/reports/{report_id}", json=sent, params=params, report_id=report_id)

    if version is None or rebase is None or done is None:
        return write(None)
    return client.settle("updated report %s" % report_id, write, lambda: get_report(client, report_id), done)[0]


def delete_report(client, report_id, version):
    """``DELETE /reports/{id}?version=``; False when it was already gone.

    An outdated version (another writer changed the report since it was read) is resolved by reading it
    again: gone, the delete is done; there, it is deleted at its fresh version.
    """
    gone = {"gone": True}

    def write(fresh):
        at = version if fresh is None else fresh["version"]
        return client.delete("/reports/{report_id}", params={"version": at}, missing_ok=True,
                             what="deleted report %s" % report_id, report_id=report_id)

    answer, settled = client.settle("deleted report %s" % report_id, write,
                                    lambda: get_report(client, report_id) or gone, lambda fresh: fresh is gone)
    return False if settled else answer


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
