# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The drift report (plugin_utils/drift.py): the fields that differ, the CSV rows and the Markdown summary."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import io

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.drift import DriftLog, differences

TENANT_DIFF = {"before": {"contact": {"email": "new@acme.example"}, "enabled": False},
               "after": {"contact": {"email": "it@acme.example"}, "enabled": True}}


def rows(log):
    return list(csv.DictReader(io.StringIO(log.csv())))


def test_differences_are_the_leaves_that_differ_by_dotted_path():
    assert differences(TENANT_DIFF) == [("contact.email", "new@acme.example", "it@acme.example"),
                                        ("enabled", False, True)]
    assert differences([{"before": {"a": {"b": 1, "c": 2}}, "after": {"a": {"b": 1, "c": 3, "d": 4}}}]) == [
        ("a.c", 2, 3), ("a.d", "(absent)", 4)]
    assert differences({"before": "x: 1\n", "after": "x: 2\n", "after_header": "f.yml"}) == [
        ("f.yml", "x: 1\n", "x: 2\n")]


def test_one_row_per_field_that_differs_and_one_per_host_in_sync_or_failed():
    log = DriftLog()
    log.record("acme", "Tenant", {"changed": True, "diff": TENANT_DIFF, "tenant": {"name": "Acme Corp"}},
               check_mode=True)
    log.record("acme", "Administrators", {"changed": False, "results": [
        {"changed": True, "_ansible_item_label": "acme-admin: company_admin",
         "diff": {"before": {"enabled": True}, "after": {"enabled": False}}},
        {"changed": False, "_ansible_item_label": "other"}]}, check_mode=True)
    log.record("globex", "Tenant", {"changed": False, "tenant": {"name": "Globex"}}, check_mode=True)
    log.record("initech", "Tenant", {"changed": True, "censored": "the output has been hidden"}, check_mode=True)
    log.failed("umbrella", "Tenant", {"msg": "Acronis: HTTP 403"})
    assert rows(log) == [
        {"host": "acme", "tenant": "Acme Corp", "status": "drift", "task": "Tenant", "item": "",
         "field": "contact.email", "before": "new@acme.example", "after": "it@acme.example"},
        {"host": "acme", "tenant": "Acme Corp", "status": "drift", "task": "Tenant", "item": "",
         "field": "enabled", "before": "false", "after": "true"},
        {"host": "acme", "tenant": "Acme Corp", "status": "drift", "task": "Administrators",
         "item": "acme-admin: company_admin", "field": "enabled", "before": "true", "after": "false"},
        {"host": "globex", "tenant": "Globex", "status": "in sync", "task": "", "item": "", "field": "",
         "before": "", "after": ""},
        {"host": "initech", "tenant": "", "status": "drift", "task": "Tenant", "item": "", "field": "",
         "before": "", "after": "censored (no_log)"},
        {"host": "umbrella", "tenant": "", "status": "failed", "task": "", "item": "", "field": "",
         "before": "", "after": "Tenant: Acronis: HTTP 403"},
    ]
    assert log.counts() == {"in sync": 1, "drift": 2, "failed": 1, "unreachable": 0}


def test_the_markdown_summary_names_each_host_with_drift_once():
    log = DriftLog()
    log.record("acme", "Tenant", {"changed": True, "diff": TENANT_DIFF, "tenant": {"name": "Acme | Co"}},
               check_mode=True)
    log.record("globex", "Tenant", {"changed": False}, check_mode=True)
    text = log.markdown("Fleet drift", "2026-01-01 00:00 UTC")
    assert text.startswith("# Fleet drift\n\nGenerated 2026-01-01 00:00 UTC, in check mode: nothing was changed")
    assert "2 hosts: 1 in sync, 1 with drift, 0 failed, 0 unreachable." in text
    table = [line for line in text.splitlines() if line.startswith("| acme")]
    assert table == ["| acme | Acme \\| Co | Tenant: contact.email `new@acme.example` -> `it@acme.example`; "
                     "Tenant: enabled `false` -> `true` |"]
    assert "| globex" not in text
    assert "## Failed" not in text


def test_a_real_run_is_reported_as_the_changes_it_made():
    log = DriftLog()
    log.record("acme", "Tenant", {"changed": True, "diff": TENANT_DIFF}, check_mode=True)
    log.record("acme", "Users", {"changed": False}, check_mode=False)
    assert "a real run: the changes below were made" in log.markdown()
