#!/usr/bin/env python
"""Read the fleet health report (CSV, and the HTML page parsed) and check that it names exactly what the fleet of
setup.yml holds: failed backup b-srv-2, unprotected c-srv-2, one open alert on customer b; nothing else.

    check_report.py REPORT_DIR RESOURCE_PREFIX breached|allowed

breached: the default thresholds (0 of each) were used, so the page lists three breaches; allowed: none.
"""

from __future__ import absolute_import, division, print_function

import csv
import os
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    """The summary (data-key -> text), the breaches (li texts) and the rows of table.fleet, from the page."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.summary, self.breaches, self.header, self.rows, self.scripts = {}, [], [], [], []
        self.table = None
        self.cell = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs.get("class")
        elif tag == "tr" and self.table == "fleet":
            self.rows.append([])
        elif tag in ("td", "th", "li", "script"):
            self.cell = attrs
            self.text = ""

    def handle_data(self, data):
        self.text += data

    def handle_endtag(self, tag):
        if tag == "td" and self.table == "summary":
            self.summary[self.cell["data-key"]] = self.text
        elif tag in ("td", "th") and self.table == "fleet":
            self.rows[-1].append(self.text)
        elif tag == "li":
            self.breaches.append(self.text)
        elif tag == "script":
            self.scripts.append(self.text)
        elif tag == "table":
            self.table = None


def expect(what, found, wanted):
    if found != wanted:
        sys.exit("fleet report: %s is %r, expected %r" % (what, found, wanted))


def main(report_dir, prefix, thresholds):
    names = dict((prefix + "-" + short, short) for short in "abc")
    with open(os.path.join(report_dir, "fleet_health.csv")) as stream:
        rows = list(csv.DictReader(stream))
    expect("the CSV's customers", [row["customer"] for row in rows], sorted(names))
    by_customer = dict((names[row["customer"]], row) for row in rows)
    expect("the CSV's failed machines", dict((c, r["failed_machines"]) for c, r in by_customer.items()),
           {"a": "", "b": "b-srv-2", "c": ""})
    expect("the CSV's unprotected machines", dict((c, r["unprotected_machines"]) for c, r in by_customer.items()),
           {"a": "", "b": "", "c": "c-srv-2"})
    expect("the CSV's stale machines", [r["stale_machines"] for r in rows], ["", "", ""])
    expect("the CSV's open alerts", dict((c, r["open_alerts"]) for c, r in by_customer.items()),
           {"a": "", "b": "error BackupFailed (b-srv-2)", "c": ""})
    expect("the CSV's machine counts", [r["machines"] for r in rows], ["2", "2", "2"])

    page = Page()
    with open(os.path.join(report_dir, "fleet_health.html")) as stream:
        page.feed(stream.read())
    header, body = page.rows[0], page.rows[1:]
    table = [dict(zip(header, cells)) for cells in body]
    expect("the HTML table's header", header, list(rows[0].keys()))
    expect("the HTML table", table, rows)
    keys = ("customers", "machines", "unprotected", "failed", "stale", "alerts_error", "unreadable")
    expect("the HTML summary", dict((k, page.summary[k]) for k in keys),
           {"customers": "3", "machines": "6", "unprotected": "1", "failed": "1", "stale": "0", "alerts_error": "1",
            "unreadable": "0"})
    breaches = ["1 machines without a protection plan (threshold 0)", "1 machines whose last backup failed (threshold 0)",
                "1 open error alerts (threshold 0)"]
    expect("the HTML breaches", page.breaches, breaches if thresholds == "breached" else [])
    expect("the sorting scripts", len(page.scripts), 1)
    print("fleet report: CSV and HTML name b-srv-2 (failed), c-srv-2 (unprotected), the BackupFailed alert of b")


if __name__ == "__main__":
    main(*sys.argv[1:4])
