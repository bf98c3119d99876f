# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: drift
type: aggregate
short_description: Write what a check run would change, per host, as a CSV file and a Markdown summary
version_added: 0.1.0
description:
  - The C(--check --diff) run of the onboarding over an exported inventory (see
    M(acronis.cyber_platform.acronis_inventory_export)) is a drift check; this callback sums it up for a person. At the
    end of the playbook it writes, in O(report_dir), C(drift.csv) and C(drift.md).
  - C(drift.csv) has the columns C(host), C(tenant), C(status) (C(in sync), C(drift), C(failed), C(unreachable)),
    C(task), C(item) (a loop's item, such as an administrator), C(field), C(before) and C(after); one row per field that
    differs, and one row per host in sync or failed.
  - C(drift.md) gives the counts, then one line per host with drift (what differs, before and after) and one per host
    that failed.
  - What differs is read from each changed task's C(diff), whose secrets the collection's modules mask; a task whose
    result is censored (C(no_log)) is listed without values. Run with C(--diff) so that the modules give their diffs.
  - In check mode, C(before) is what exists and C(after) what the inventory says. A real run is reported the same way,
    as the changes it made.
  - It runs beside the output callback and prints one line at the end, where the report is; enable it with C(ANSIBLE_CALLBACKS_ENABLED) or
    C(callbacks_enabled) in C(ansible.cfg), for example in the project's C(ansible.cfg) for AWX.
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
requirements:
  - enable it in the configuration (C(callbacks_enabled)).
options:
  report_dir:
    description: Directory of C(drift.csv) and C(drift.md); made when it does not exist.
    type: path
    default: drift_report
    env:
      - name: ACRONIS_DRIFT_REPORT_DIR
    ini:
      - section: callback_acronis_drift
        key: report_dir
  title:
    description: Title of C(drift.md).
    type: str
    default: Drift report
    env:
      - name: ACRONIS_DRIFT_REPORT_TITLE
    ini:
      - section: callback_acronis_drift
        key: title
seealso:
  - module: acronis.cyber_platform.acronis_inventory_export
'''

EXAMPLES = r'''
# The drift check of an exported fleet, as a scheduled job:
#   ANSIBLE_CALLBACKS_ENABLED=acronis.cyber_platform.drift ACRONIS_DRIFT_REPORT_DIR=/srv/reports/drift \
#     ansible-playbook -i fleet.yml acronis.cyber_platform.drift_report
#
# Or in ansible.cfg (the project's, for AWX):
#   [defaults]
#   callbacks_enabled = acronis.cyber_platform.drift
#   [callback_acronis_drift]
#   report_dir = drift_report
'''

import datetime
import os
from collections.abc import Mapping

from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.callback import CallbackBase

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.drift import DriftLog


def result_parts(result):
    """(host name, task, result data) of a callback's task result, on every supported ansible-core."""
    data = getattr(result, "result", None)
    if isinstance(data, Mapping):  # 2.19 and later: the public CallbackTaskResult
        return result.host.get_name(), result.task, data
    return result._host.get_name(), result._task, result._result


def task_name(task):
    """The task's own name, without its role's (the report has a column per host, not per role)."""
    return to_native(task.name or task.action)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "acronis.cyber_platform.drift"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.log = DriftLog()

    def v2_runner_on_ok(self, result):
        host, task, data = result_parts(result)
        self.log.record(host, task_name(task), data, check_mode=task.check_mode)

    def v2_runner_on_skipped(self, result):
        host, task, data = result_parts(result)
        self.log.record(host, task_name(task), data, check_mode=task.check_mode)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        host, task, data = result_parts(result)
        if ignore_errors:
            self.log.record(host, task_name(task), data, check_mode=task.check_mode)
        else:
            self.log.failed(host, task_name(task), data)

    def v2_runner_on_unreachable(self, result):
        host, task, data = result_parts(result)
        self.log.failed(host, task_name(task), data, unreachable=True)

    def v2_playbook_on_stats(self, stats):
        report_dir = self.get_option("report_dir")
        try:
            if not os.path.isdir(report_dir):
                os.makedirs(report_dir)
            generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            for name, content in (("drift.csv", self.log.csv()),
                                  ("drift.md", self.log.markdown(self.get_option("title"), generated))):
                with open(os.path.join(report_dir, name), "w", encoding="utf-8") as stream:
                    stream.write(content)
        except (IOError, OSError) as exc:
            self._display.warning("acronis.cyber_platform.drift could not write its report to %s: %s"
                                  % (report_dir, to_native(exc)))
            return
        counts = self.log.counts()
        self._display.display("Drift report: %d hosts with drift, %d failed; %s"
                              % (counts["drift"], counts["failed"] + counts["unreachable"],
                                 os.path.join(report_dir, "drift.md")))
