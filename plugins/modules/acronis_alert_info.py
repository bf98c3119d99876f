#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_alert_info
short_description: Read the alerts of the Alert Manager, for a time window, with filters and a bound
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Returns the alerts of the API client's tenant and its subtree, newest first, from the Alert Manager API
    (C(/api/alert_manager/v1/alerts)), page by page.
  - A read is always bounded by O(limit). RV(truncated) says whether more alerts matched, RV(next_cursor) where to
    continue.
  - O(updated_within=7d) is the "alerts of the last week" of Acronis's examples (the service's C(updated_at) filter,
    sent in UNIX nanoseconds).
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
  - acronis.cyber_platform.paging
  - acronis.cyber_platform.paging.cursor
options:
  updated_within:
    description:
      - Only alerts raised or updated within this duration before now - a number and V(s), V(m), V(h), V(d) or V(w),
        for example V(7d).
      - Mutually exclusive with O(updated_after).
    type: str
  updated_after:
    description:
      - Only alerts raised or updated after this moment, an RFC 3339 date or date-time (V(2024-05-01),
        V(2024-05-01T08:00:00Z)); UTC when no zone is given.
    type: str
  updated_before:
    description:
      - Only alerts raised or updated before this moment (RFC 3339).
    type: str
  severity:
    description:
      - Only alerts of these severities.
      - Mutually exclusive with O(min_severity).
    type: list
    elements: str
    choices: [information, warning, error, critical]
  min_severity:
    description:
      - Only alerts of this severity or a higher one (V(information) < V(warning) < V(error) < V(critical)).
    type: str
    choices: [information, warning, error, critical]
  type:
    description:
      - Only alerts of these types, for example V(BackupFailed).
    type: list
    elements: str
  category:
    description:
      - Only alerts of these categories, for example V(Backup).
    type: list
    elements: str
  tenant_ids:
    description:
      - Only the alerts of these tenants (IDs).
    type: list
    elements: str
  dismissed:
    description:
      - V(exclude) returns the active alerts, V(include) adds the dismissed ones, V(only) returns only the dismissed ones.
    type: str
    choices: [exclude, include, only]
    default: exclude
seealso:
  - module: acronis.cyber_platform.acronis_task_info
  - module: acronis.cyber_platform.acronis_activity_info
'''

EXAMPLES = r'''
- name: Alerts of the last week
  acronis.cyber_platform.acronis_alert_info:
    updated_within: 7d
    limit: 1000
  register: last_week

- name: Errors and critical alerts of one customer, dismissed ones included
  acronis.cyber_platform.acronis_alert_info:
    tenant_ids: ["{{ customer_tenant_id }}"]
    min_severity: error
    dismissed: include
  register: serious
'''

RETURN = r'''
alerts:
  description:
    - The alerts, newest first, as the Alert Manager shows them (at most O(limit)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 887e19f7-59f5-44dc-9721-64b1c48b4117
      type: BackupFailed
      category: Backup
      severity: error
      tenant: {id: 1, uuid: 2a91a14d-ffd3-4ac1-9b4d-3990162c5acc, name: Acme}
      details: {resourceName: SRV-001, planName: Protection plan 1}
      createdAt: "2024-05-03T10:41:02.000000Z"
      updatedAt: "2024-05-03T10:41:02.000000Z"
truncated:
  description: Whether more alerts matched than O(limit) let the module return.
  returned: always
  type: bool
  sample: false
next_cursor:
  description: Where the listing stopped when RV(truncated) is true (pass it as O(after)); null when nothing follows.
  returned: always
  type: str
  sample: eyJrIjogWzE3MTQ3MjYwNjJdfQ
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import monitoring
from ansible_collections.acronis.cyber_platform.plugins.module_utils import paging

# The kinds of the options (validation's layer), checked before any request.
OPTION_KINDS = monitoring.ALERT_FILTER_KINDS
# The filters a continuation (after) carries in its cursor; dismissed counts when it is not its default.
ALERT_FILTERS = ("updated_within", "updated_after", "updated_before", "severity", "min_severity", "type", "category",
                 "tenant_ids")


def run(module):
    p = module.params
    paging.check_continuation(p, ALERT_FILTERS + (("dismissed",) if p["dismissed"] != "exclude" else ()))
    query = monitoring.alert_params(p)
    preview = module.preview_of_new(["tenant_ids"], "no alerts", alerts=[], truncated=False,
                                    next_cursor=None)
    if preview:
        return preview
    with failing_to("read the alerts of the Alert Manager"):
        alerts, cursor = monitoring.read_bounded(module.client, monitoring.ALERTS_PATH, query, p["limit"],
                                                 after=p["after"])
    return dict(changed=False, alerts=alerts, truncated=cursor is not None, next_cursor=cursor)


def main():
    severities = ["information", "warning", "error", "critical"]
    AcronisModule(
        argument_spec=dict(
            updated_within=dict(type="str"),
            updated_after=dict(type="str"),
            updated_before=dict(type="str"),
            severity=dict(type="list", elements="str", choices=severities),
            min_severity=dict(type="str", choices=severities),
            type=dict(type="list", elements="str"),
            category=dict(type="list", elements="str"),
            tenant_ids=dict(type="list", elements="str"),
            dismissed=dict(type="str", choices=["exclude", "include", "only"], default="exclude"),
            limit=dict(paging.LIMIT_SPEC),
            after=dict(paging.AFTER_SPEC),
        ),
        mutually_exclusive=[("updated_within", "updated_after"), ("severity", "min_severity")],
        option_kinds=OPTION_KINDS,
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
