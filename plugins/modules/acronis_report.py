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
      - Its directory must exist. The file is written to a temporary file in that directory, then renamed, so a
        reader never sees half a report, and a failed or timed-out report leaves no file behind.
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

from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import reports


def run(module):
    reports.validate_report_options(module)
    if module.params["schedule"] == "once":
        return reports.ensure_once_report(module)
    return reports.ensure_monthly_report(module)


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
    AcronisModule(argument_spec=argument_spec(), supports_check_mode=True, add_file_common_args=True).execute(run)


if __name__ == "__main__":
    main()
