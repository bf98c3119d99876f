# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The drift report of the ``acronis.cyber_platform.drift`` callback: what a run would change (or changed), per host.

The callback hands each task result here (``DriftLog.record``); at the end of the playbook ``DriftLog.report``
gives the CSV (one row per field that differs, and one per host in sync or failed) and the Markdown summary (the
counts, then one line per host that drifted or failed). Plain data in, text out: no Ansible object, so that it is
unit-tested directly.

What differs comes from the task's ``diff`` (``before`` and ``after``, which the collection's modules give with
secrets already masked): the leaves of the two that differ, by dotted path (``contact.email``,
``pw_workstations.quota.value``). A result whose values Ansible censored (``no_log``) says only that the task
changes something.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import io

CSV_COLUMNS = ("host", "tenant", "status", "task", "item", "field", "before", "after")
IN_SYNC, DRIFT, FAILED, UNREACHABLE = "in sync", "drift", "failed", "unreachable"
# Longest value written in the Markdown summary; the CSV has every value whole.
SHORT = 60
ABSENT = "(absent)"


def leaves(value, prefix=""):
    """{dotted path: leaf value} of nested dicts; a list is a leaf (a list of names reads well whole)."""
    if isinstance(value, dict):
        found = {}
        for key in sorted(value, key=str):
            found.update(leaves(value[key], "%s.%s" % (prefix, key) if prefix else str(key)))
        if not value and prefix:
            found[prefix] = {}
        return found
    return {prefix: value}


def differences(diff):
    """[(field, before, after)] of a task's ``diff`` (a dict, or a list of dicts) whose leaves differ."""
    found = []
    for one in diff if isinstance(diff, list) else [diff]:
        if not isinstance(one, dict):
            continue
        before, after = one.get("before"), one.get("after")
        if not isinstance(before, dict) or not isinstance(after, dict):
            if before != after and (before is not None or after is not None):
                found.append((one.get("after_header") or one.get("before_header") or "", before, after))
            continue
        old, new = leaves(before), leaves(after)
        for field in sorted(set(old) | set(new)):
            if old.get(field, ABSENT) != new.get(field, ABSENT):
                found.append((field, old.get(field, ABSENT), new.get(field, ABSENT)))
    return found


def text(value):
    """A value as one line of text: strings as they are, the rest as Python shows them; None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


class DriftLog(object):
    """The tasks a run changed (or would change), per host, and the hosts that failed."""

    def __init__(self):
        self.hosts = {}      # host -> {"tenant": name, "changes": [(task, item, field, before, after)], "error": ...}
        self.check_mode = None

    def _host(self, host):
        return self.hosts.setdefault(host, {"tenant": "", "changes": [], "status": IN_SYNC, "error": ""})

    def record(self, host, task, result, check_mode=False):
        """Note one task's result for ``host`` (a loop's result holds its items' results under ``results``)."""
        entry = self._host(host)
        self.check_mode = bool(check_mode) if self.check_mode is None else self.check_mode and bool(check_mode)
        tenant = result.get("tenant")
        if isinstance(tenant, dict) and tenant.get("name") and not entry["tenant"]:
            entry["tenant"] = tenant["name"]
        items = result.get("results") if isinstance(result.get("results"), list) else [result]
        for one in items:
            if not isinstance(one, dict) or not one.get("changed"):
                continue
            item = text(one.get("_ansible_item_label", one.get("item"))) if one is not result else ""
            found = differences(one.get("diff")) if one.get("diff") and "censored" not in one else []
            if not found:
                found = [("", "", "censored (no_log)" if "censored" in one else "changes (no diff given)")]
            for field, before, after in found:
                entry["changes"].append((task, item, field, before, after))
            entry["status"] = DRIFT if entry["status"] == IN_SYNC else entry["status"]

    def failed(self, host, task, result, unreachable=False):
        """Note that ``host`` failed (or was unreachable) at ``task``."""
        entry = self._host(host)
        entry["status"] = UNREACHABLE if unreachable else FAILED
        message = result.get("msg") if "censored" not in result else "censored (no_log)"
        entry["error"] = "%s: %s" % (task, text(message) or "failed")

    def counts(self):
        counts = dict((status, 0) for status in (IN_SYNC, DRIFT, FAILED, UNREACHABLE))
        for entry in self.hosts.values():
            counts[entry["status"]] += 1
        return counts

    def csv(self):
        """The CSV: a header, one row per field that differs (hosts sorted), one row per host in sync or failed."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for host in sorted(self.hosts):
            entry = self.hosts[host]
            if entry["status"] in (FAILED, UNREACHABLE):
                writer.writerow([host, entry["tenant"], entry["status"], "", "", "", "", entry["error"]])
            if not entry["changes"] and entry["status"] == IN_SYNC:
                writer.writerow([host, entry["tenant"], IN_SYNC, "", "", "", "", ""])
            for task, item, field, before, after in entry["changes"]:
                writer.writerow([host, entry["tenant"], DRIFT, task, item, field, text(before), text(after)])
        return out.getvalue()

    def markdown(self, title="Drift report", generated_at=""):
        """A short Markdown summary: the counts, then one line per host that drifted, then the failures."""
        counts = self.counts()
        mode = ("check mode: nothing was changed; *before* is what exists, *after* what the inventory says"
                if self.check_mode else "a real run: the changes below were made")
        lines = ["# %s" % title, "", "%s%s." % ("Generated %s, in " % generated_at if generated_at else "In ", mode), ""]
        lines += ["%d hosts: %d in sync, %d with drift, %d failed, %d unreachable."
                  % (len(self.hosts), counts[IN_SYNC], counts[DRIFT], counts[FAILED], counts[UNREACHABLE]), ""]
        drifted = [h for h in sorted(self.hosts) if self.hosts[h]["changes"]]
        if drifted:
            lines += ["## What differs", "", "| host | tenant | what differs |", "| --- | --- | --- |"]
            for host in drifted:
                entry = self.hosts[host]
                lines.append("| %s | %s | %s |" % (_cell(host), _cell(entry["tenant"]),
                                                   "; ".join(_change(c) for c in entry["changes"])))
            lines.append("")
        broken = [h for h in sorted(self.hosts) if self.hosts[h]["status"] in (FAILED, UNREACHABLE)]
        if broken:
            lines += ["## Failed", "", "| host | tenant | error |", "| --- | --- | --- |"]
            for host in broken:
                entry = self.hosts[host]
                lines.append("| %s | %s | %s |" % (_cell(host), _cell(entry["tenant"]), _cell(entry["error"])))
            lines.append("")
        return "\n".join(lines)


def _short(value):
    value = text(value)
    return value if len(value) <= SHORT else value[:SHORT - 3] + "..."


def _cell(value):
    """A value made safe for a Markdown table cell (no line breaks, no column separator)."""
    return text(value).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _change(change):
    task, item, field, before, after = change
    where = " ".join(part for part in (task + ":", item, field) if part)
    if not field and not before:
        return _cell("%s %s" % (where, after))
    return _cell("%s `%s` -> `%s`" % (where, _short(before), _short(after)))
