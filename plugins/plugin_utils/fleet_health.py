# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet health report: what the ``fleet_health`` role makes of each customer, and of the whole fleet.

Two steps, one per filter of ``plugins/filter/fleet_health.py``:

- ``summarise_customer``: a customer's machines (``acronis_resource_info``), open alerts (``acronis_alert_info``)
  and usage (``acronis_usage_info``) become one row: the machines without a plan, those whose last backup failed,
  those whose last successful backup is older than the limit (or that never had one), the open alerts by
  severity, the usage against quota.
- ``fleet_report``: the rows of every customer become the report: totals, the thresholds they breach, and the
  same table as CSV and as a self-contained HTML page (a summary, then a table sorted by a click on a header).

Plain data in, plain data out: no request, no Ansible object, so that both are unit-tested directly.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import datetime
import io
import re
from html import escape

SEVERITIES = ("critical", "error", "warning", "information")
FAILED_STATUSES = ("error", "failed", "critical")
NOT_PROTECTED = "not_protected"

# What each threshold counts, in the words of a breach: "<count> <what> (threshold <n>)".
THRESHOLDS = (
    ("unreadable", "customers that could not be read"),
    ("unprotected", "machines without a protection plan"),
    ("failed", "machines whose last backup failed"),
    ("stale", "machines without a successful backup within the age limit"),
    ("alerts_critical", "open critical alerts"),
    ("alerts_error", "open error alerts"),
    ("alerts_warning", "open warning alerts"),
    ("alerts_information", "open information alerts"),
    ("over_quota", "usage entries over their quota"),
)

# The columns of the CSV and of the HTML table, in order: (key, header).
COLUMNS = (
    ("customer", "customer"),
    ("customer_id", "customer_id"),
    ("machines", "machines"),
    ("unprotected", "unprotected"),
    ("failed", "failed"),
    ("stale", "stale"),
    ("alerts_critical", "alerts_critical"),
    ("alerts_error", "alerts_error"),
    ("alerts_warning", "alerts_warning"),
    ("alerts_information", "alerts_information"),
    ("over_quota", "over_quota"),
    ("unprotected_machines", "unprotected_machines"),
    ("failed_machines", "failed_machines"),
    ("stale_machines", "stale_machines"),
    ("open_alerts", "open_alerts"),
    ("quota_usage", "quota_usage"),
    ("notes", "notes"),
)
COUNT_COLUMNS = ("machines", "unprotected", "failed", "stale", "alerts_critical", "alerts_error", "alerts_warning",
                 "alerts_information", "over_quota")
LIST_SEPARATOR = "; "


class FleetHealthError(ValueError):
    """Input the report cannot be made from; the message says which and why."""


def parse_time(value):
    """A timezone-aware datetime for an RFC 3339 time (``...Z``, ``+00:00``, with or without fractions), or None."""
    if not value:
        return None
    text = str(value).strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$", text)
    if not match:
        raise FleetHealthError("'%s' is not an RFC 3339 date-time." % text)
    moment = datetime.datetime.strptime(match.group(1) + "T" + match.group(2), "%Y-%m-%dT%H:%M:%S")
    zone = match.group(4) or "Z"
    if zone == "Z":
        offset = datetime.timedelta(0)
    else:
        digits = zone[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if zone[0] == "-":
            offset = -offset
    return moment.replace(tzinfo=datetime.timezone(offset))


def _now(now):
    if now is None:
        return datetime.datetime.now(datetime.timezone.utc)
    if isinstance(now, datetime.datetime):
        return now if now.tzinfo else now.replace(tzinfo=datetime.timezone.utc)
    return parse_time(now)


def _name(resource):
    return resource.get("user_defined_name") or resource.get("name") or resource.get("id") or "?"


def last_success(protection):
    """The latest ``last_success_run`` of a machine's policies, as a datetime, or None when it never succeeded."""
    moments = [parse_time(policy.get("last_success_run")) for policy in (protection or {}).get("policies") or []]
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def _amount(value, unit):
    if value is None:
        return "unlimited"
    if unit == "bytes":
        for size, suffix in ((1024 ** 4, "TiB"), (1024 ** 3, "GiB"), (1024 ** 2, "MiB")):
            if abs(value) >= size:
                return "%.1f %s" % (float(value) / size, suffix)
        return "%d B" % value
    return "%s" % value


def summarise_customer(machines, alerts=None, usages=None, name=None, tenant_id=None, max_backup_age_hours=26,
                       failed_statuses=FAILED_STATUSES, now=None, machines_truncated=False, alerts_truncated=False):
    """One customer's row of the report (a dict of the keys of ``COLUMNS``, lists where the CSV joins them).

    ``machines``: the resources of ``acronis_resource_info`` with their ``protection``; ``alerts``: the open
    alerts of ``acronis_alert_info``; ``usages``: the entries of ``acronis_usage_info``. A machine with a plan
    counts once: failed when its protection status is one of ``failed_statuses``, else stale when its last
    successful backup is older than ``max_backup_age_hours`` before ``now`` or it has none.
    """
    if max_backup_age_hours is None or float(max_backup_age_hours) <= 0:
        raise FleetHealthError("max_backup_age_hours must be a number of hours above 0, got %r." % max_backup_age_hours)
    limit = _now(now) - datetime.timedelta(hours=float(max_backup_age_hours))
    unprotected, failed, stale = [], [], []
    for machine in machines or []:
        protection = machine.get("protection") or {}
        status = protection.get("status") or NOT_PROTECTED
        if status == NOT_PROTECTED:
            unprotected.append(_name(machine))
        elif status in failed_statuses:
            failed.append(_name(machine))
        else:
            succeeded = last_success(protection)
            if succeeded is None or succeeded < limit:
                stale.append(_name(machine))
    by_severity = dict((severity, 0) for severity in SEVERITIES)
    open_alerts = []
    for alert in alerts or []:
        severity = alert.get("severity") if alert.get("severity") in SEVERITIES else "information"
        by_severity[severity] += 1
        details = alert.get("details") or {}
        subject = details.get("resourceName") or details.get("planName")
        open_alerts.append("%s %s%s" % (severity, alert.get("type") or "alert", " (%s)" % subject if subject else ""))
    quota_usage, over_quota = [], []
    for usage in usages or []:
        quota = (usage.get("quota") or {}).get("value")
        if quota is None:
            continue
        value = usage.get("value") or 0
        unit = usage.get("measurement_unit")
        line = "%s %s of %s" % (usage.get("usage_name") or usage.get("name"), _amount(value, unit), _amount(quota, unit))
        if value > quota:
            over_quota.append(line)
        elif value:
            quota_usage.append(line)
    notes = []
    if machines_truncated:
        notes.append("more machines than were read")
    if alerts_truncated:
        notes.append("more open alerts than were read")
    row = dict(customer=name or tenant_id or "?", customer_id=tenant_id or "", machines=len(machines or []),
               unprotected=len(unprotected), failed=len(failed), stale=len(stale), over_quota=len(over_quota),
               unprotected_machines=sorted(unprotected, key=str.lower), failed_machines=sorted(failed, key=str.lower),
               stale_machines=sorted(stale, key=str.lower), open_alerts=sorted(open_alerts),
               quota_usage=over_quota + quota_usage, notes=notes, readable=True)
    for severity in SEVERITIES:
        row["alerts_" + severity] = by_severity[severity]
    return row


def unreadable_customer(name=None, tenant_id=None, error=None):
    """The row of a customer whose reads failed: it counts under ``unreadable`` and says why in ``notes``."""
    row = dict((key, 0) for key in COUNT_COLUMNS)
    row.update(customer=name or tenant_id or "?", customer_id=tenant_id or "", unprotected_machines=[],
               failed_machines=[], stale_machines=[], open_alerts=[], quota_usage=[],
               notes=["not read: %s" % (error or "the reads failed")], readable=False)
    return row


def _cell(value):
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join("%s" % item for item in value)
    return "%s" % value


def to_csv(rows):
    """The rows as CSV text (RFC 4180 quoting, a header line, lists joined with '; ')."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header for _key, header in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row.get(key, "")) for key, _header in COLUMNS])
    return out.getvalue()


_SORT_SCRIPT = """
document.querySelectorAll('table.fleet th').forEach(function (th, column) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    th.closest('tr').querySelectorAll('th').forEach(function (other) { other.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var numeric = th.classList.contains('num');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column].textContent, y = b.cells[column].textContent;
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, {sensitivity: 'base'});
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""

_STYLE = """
body { font-family: sans-serif; margin: 1.5em; }
table.fleet { border-collapse: collapse; }
table.fleet th, table.fleet td { border: 1px solid #bbb; padding: 0.25em 0.5em; vertical-align: top; }
table.fleet th { background: #eee; cursor: pointer; user-select: none; }
table.fleet th[aria-sort=ascending]::after { content: ' \\25B2'; }
table.fleet th[aria-sort=descending]::after { content: ' \\25BC'; }
td.num { text-align: right; }
tr.attention td { background: #fff3f0; }
ul.breaches li { color: #a00; }
"""


def to_html(rows, summary, breaches, title, generated_at):
    """A self-contained HTML page: the summary, the breached thresholds, then the sortable table."""
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             "<title>%s</title>" % escape(title), "<style>%s</style>" % _STYLE, "</head>", "<body>",
             "<h1>%s</h1>" % escape(title), "<p>Generated %s.</p>" % escape(generated_at),
             '<h2>Summary</h2>', '<table class="summary">']
    for key, value in summary.items():
        lines.append('<tr><th scope="row">%s</th><td class="num" data-key="%s">%s</td></tr>'
                     % (escape(key.replace("_", " ")), escape(key), escape("%s" % value)))
    lines.append("</table>")
    if breaches:
        lines.append('<h2>Thresholds breached</h2><ul class="breaches">')
        lines.extend("<li>%s</li>" % escape(breach) for breach in breaches)
        lines.append("</ul>")
    else:
        lines.append('<p class="breaches">No threshold breached.</p>')
    lines.append('<h2>Customers</h2><p>Click a column header to sort.</p>')
    lines.append('<table class="fleet"><thead><tr>')
    lines.extend('<th scope="col"%s>%s</th>' % (' class="num"' if key in COUNT_COLUMNS else "", escape(header))
                 for key, header in COLUMNS)
    lines.append("</tr></thead><tbody>")
    for row in rows:
        attention = any(row.get(key) for key in COUNT_COLUMNS if key != "machines") or not row.get("readable", True)
        cells = "".join('<td%s>%s</td>' % (' class="num"' if key in COUNT_COLUMNS else "", escape(_cell(row.get(key, ""))))
                        for key, _header in COLUMNS)
        lines.append('<tr%s>%s</tr>' % (' class="attention"' if attention else "", cells))
    lines.extend(["</tbody></table>", "<script>%s</script>" % _SORT_SCRIPT, "</body>", "</html>", ""])
    return "\n".join(lines)


def fleet_report(customers, thresholds=None, title="Fleet health", generated_at=None):
    """The report of the fleet from the customers' rows: ``rows``, ``summary``, ``breaches``, ``csv``, ``html``.

    ``thresholds`` maps the keys of ``THRESHOLDS`` to the largest fleet total that is still healthy; a key that
    is missing or null is not checked. A breach is a sentence: "2 machines whose last backup failed (threshold 0)".
    """
    thresholds = thresholds or {}
    unknown = sorted(set(thresholds) - set(key for key, _what in THRESHOLDS))
    if unknown:
        raise FleetHealthError("unknown thresholds %s; the thresholds are %s." % (
            ", ".join(unknown), ", ".join(key for key, _what in THRESHOLDS)))
    rows = sorted(customers or [], key=lambda row: ("%s" % row.get("customer", "")).lower())
    summary = {"customers": len(rows), "unreadable": len([row for row in rows if not row.get("readable", True)])}
    for key in COUNT_COLUMNS:
        summary[key] = sum(int(row.get(key) or 0) for row in rows)
    breaches = []
    for key, what in THRESHOLDS:
        limit = thresholds.get(key)
        if limit is not None and summary[key] > int(limit):
            breaches.append("%d %s (threshold %d)" % (summary[key], what, int(limit)))
    if generated_at is None:
        generated_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return dict(rows=rows, summary=summary, breaches=breaches, csv=to_csv(rows),
                html=to_html(rows, summary, breaches, title, generated_at))
