# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The filters of the fleet health report (the ``fleet_health`` role); the logic is plugin_utils/fleet_health.py.

Their documentation is in fleet_health_customer.yml and fleet_health_report.yml beside this file.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import fleet_health


def fleet_health_customer(machines, alerts=None, usages=None, name=None, tenant_id=None, max_backup_age_hours=26,
                          failed_statuses=None, now=None, machines_truncated=False, alerts_truncated=False,
                          error=None):
    """One customer's row of the fleet health report."""
    try:
        if error:
            return fleet_health.unreadable_customer(name=name, tenant_id=tenant_id, error=error)
        return fleet_health.summarise_customer(
            machines, alerts=alerts, usages=usages, name=name, tenant_id=tenant_id,
            max_backup_age_hours=max_backup_age_hours,
            failed_statuses=tuple(failed_statuses) if failed_statuses else fleet_health.FAILED_STATUSES,
            now=now, machines_truncated=machines_truncated, alerts_truncated=alerts_truncated)
    except fleet_health.FleetHealthError as exc:
        raise AnsibleFilterError("fleet_health_customer: customer %s: %s" % (name or tenant_id, exc))


def fleet_health_report(customers, thresholds=None, title="Fleet health", generated_at=None):
    """The fleet health report (rows, summary, breaches, csv, html) from the customers' rows."""
    try:
        return fleet_health.fleet_report(customers, thresholds=thresholds, title=title, generated_at=generated_at)
    except fleet_health.FleetHealthError as exc:
        raise AnsibleFilterError("fleet_health_report: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {
            "fleet_health_customer": fleet_health_customer,
            "fleet_health_report": fleet_health_report,
        }
