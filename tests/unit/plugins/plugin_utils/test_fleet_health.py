# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet health report: a customer's row from the info modules' results, the fleet's report, its CSV and HTML."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import io
from html.parser import HTMLParser

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.acronis.cyber_platform.plugins.filter.fleet_health import FilterModule
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import fleet_health

NOW = "2026-12-06T12:00:00Z"
PLAN_ID = "5b15f6e1-88ec-4dce-b523-0e8394c0bc19"


def machine(name, status, last_success=None):
    plans = [] if status == "not_protected" else [{"id": PLAN_ID, "name": "Nightly"}]
    protection = {"status": status, "plans": plans, "policies": []}
    if status != "not_protected":
        protection["policies"] = [{"type": "policy.backup.machine", "last_success_run": last_success}]
    return {"id": "id-" + name, "type": "resource.machine", "name": name, "protection": protection}


MACHINES = [
    machine("srv-ok", "ok", "2026-12-06T02:00:00.000000Z"),
    machine("srv-failed", "error", "2026-12-05T02:00:00Z"),
    machine("srv-old", "ok", "2026-12-04T02:00:00+00:00"),
    machine("srv-never", "ok"),
    machine("srv-bare", "not_protected"),
    machine("srv-warning", "warning", "2026-12-06T11:00:00+01:00"),
]
ALERTS = [
    {"type": "BackupFailed", "severity": "error", "details": {"resourceName": "srv-failed", "planName": "Nightly"}},
    {"type": "QuotaExceeded", "severity": "warning", "details": {}},
    {"type": "Odd", "severity": "unheard-of"},
]
USAGES = [
    {"usage_name": "storage", "measurement_unit": "bytes", "value": 3 * 1024 ** 3, "quota": {"value": 2 * 1024 ** 3}},
    {"usage_name": "workstations", "measurement_unit": "quantity", "value": 3, "quota": {"value": 10}},
    {"usage_name": "servers", "measurement_unit": "quantity", "value": 0, "quota": {"value": 10}},
    {"usage_name": "mobiles", "measurement_unit": "quantity", "value": 7, "quota": None},
]


def row(**kwargs):
    return fleet_health.summarise_customer(MACHINES, alerts=ALERTS, usages=USAGES, name="Acme", tenant_id="t-1",
                                           now=NOW, **kwargs)


def test_a_customer_row_sorts_each_machine_into_one_finding():
    found = row()
    assert found["machines"] == 6
    assert found["unprotected_machines"] == ["srv-bare"]
    assert found["failed_machines"] == ["srv-failed"]
    # 34 hours old, and never: stale; 11:00+01:00 is 10:00Z, fresh; a failed machine is not stale as well.
    assert found["stale_machines"] == ["srv-never", "srv-old"]
    assert (found["unprotected"], found["failed"], found["stale"]) == (1, 1, 2)


def test_the_age_limit_and_the_failed_statuses_are_options():
    found = row(max_backup_age_hours=72, failed_statuses=("error", "warning"))
    assert found["stale_machines"] == ["srv-never"]
    assert found["failed_machines"] == ["srv-failed", "srv-warning"]


def test_alerts_by_severity_and_usage_against_quota():
    found = row()
    assert (found["alerts_critical"], found["alerts_error"], found["alerts_warning"], found["alerts_information"]) \
        == (0, 1, 1, 1)
    assert found["open_alerts"] == ["error BackupFailed (srv-failed)", "information Odd", "warning QuotaExceeded"]
    assert found["over_quota"] == 1
    assert found["quota_usage"] == ["storage 3.0 GiB of 2.0 GiB", "workstations 3 of 10"]


def test_truncated_reads_are_noted():
    assert row(machines_truncated=True, alerts_truncated=True)["notes"] == [
        "more machines than were read", "more open alerts than were read"]


@pytest.mark.parametrize("hours", [0, -1, None])
def test_a_bad_age_limit_is_refused(hours):
    with pytest.raises(fleet_health.FleetHealthError, match="max_backup_age_hours"):
        row(max_backup_age_hours=hours)


def test_a_bad_time_is_refused():
    with pytest.raises(fleet_health.FleetHealthError, match="not an RFC 3339"):
        fleet_health.summarise_customer([machine("x", "ok", "yesterday")], now=NOW)


def report():
    rows = [row(), fleet_health.summarise_customer([machine("a", "ok", NOW)], name="beta", tenant_id="t-2", now=NOW),
            fleet_health.unreadable_customer(name="Zeta", tenant_id="t-3", error="Tenant t-3 was not found (404).")]
    return fleet_health.fleet_report(rows, thresholds={"failed": 0, "stale": 5, "unreadable": 0, "alerts_error": None},
                                     title="Fleet <health>", generated_at=NOW)


def test_the_report_totals_and_breaches():
    made = report()
    assert [r["customer"] for r in made["rows"]] == ["Acme", "beta", "Zeta"]
    assert made["summary"]["customers"] == 3
    assert made["summary"]["unreadable"] == 1
    assert made["summary"]["machines"] == 7
    assert made["summary"]["failed"] == 1
    assert made["breaches"] == ["1 customers that could not be read (threshold 0)",
                                "1 machines whose last backup failed (threshold 0)"]


def test_an_unknown_threshold_is_refused():
    with pytest.raises(fleet_health.FleetHealthError, match="unknown thresholds failures"):
        fleet_health.fleet_report([], thresholds={"failures": 0})


def test_the_csv_has_a_row_per_customer_with_lists_joined():
    rows = list(csv.DictReader(io.StringIO(report()["csv"])))
    assert [r["customer"] for r in rows] == ["Acme", "beta", "Zeta"]
    assert rows[0]["stale_machines"] == "srv-never; srv-old"
    assert rows[0]["failed"] == "1"
    assert rows[2]["notes"] == "not read: Tenant t-3 was not found (404)."


class Cells(HTMLParser):
    """The text of every cell of table.fleet, by row, and the page's script and breaches."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.rows, self.breaches, self.scripts, self.title = [], [], 0, None
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._in = attrs.get("class")
        elif tag == "tr" and self._in == "fleet":
            self.rows.append([])
        elif tag == "script":
            self.scripts += 1
        elif tag in ("td", "th", "li", "title"):
            self._cell = tag
        self._text = ""

    def handle_data(self, data):
        self._text = getattr(self, "_text", "") + data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._in == "fleet":
            self.rows[-1].append(self._text)
        elif tag == "li":
            self.breaches.append(self._text)
        elif tag == "title":
            self.title = self._text
        elif tag == "table":
            self._in = None


def test_the_html_page_is_self_contained_escaped_and_sortable():
    page = report()["html"]
    parsed = Cells()
    parsed.feed(page)
    assert parsed.title == "Fleet <health>"
    assert "<health>" not in page.split("<script>", maxsplit=1)[0]
    assert parsed.rows[0][0] == "customer"
    assert [cells[0] for cells in parsed.rows[1:]] == ["Acme", "beta", "Zeta"]
    assert parsed.scripts == 1 and "src=" not in page and "href=" not in page
    assert parsed.breaches == report()["breaches"]


def test_the_filters_wrap_the_helpers_and_their_errors():
    filters = FilterModule().filters()
    unreadable = filters["fleet_health_customer"]([], name="Zeta", error="boom")
    assert unreadable["notes"] == ["not read: boom"] and unreadable["readable"] is False
    with pytest.raises(AnsibleFilterError, match="fleet_health_report: unknown thresholds"):
        filters["fleet_health_report"]([], thresholds={"nope": 1})
    with pytest.raises(AnsibleFilterError, match="customer Acme: max_backup_age_hours"):
        filters["fleet_health_customer"](MACHINES, name="Acme", max_backup_age_hours=0)
