#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_activity_info
short_description: Read the activities of the Task Manager, for a time window, with filters and a bound
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Returns the activities (the steps of the tasks - a backup of one machine, ...) of the API client's tenant and
    its subtree, newest first, from the Task Manager API (C(/api/task_manager/v2/activities)), page by page.
  - A read is always bounded by O(limit). RV(truncated) says whether more activities matched, RV(next_cursor) where to
    continue.
  - Time windows are sent as the service's filters, so only the matching activities travel; for example
    O(completed_within=7d) is the "activities completed during the last week" of Acronis's examples.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
  - acronis.cyber_platform.paging
  - acronis.cyber_platform.paging.cursor
options:
  completed_within:
    description:
      - Only activities completed within this duration before now - a number and V(s), V(m), V(h), V(d) or V(w),
        for example V(7d) or V(12h).
      - Mutually exclusive with O(completed_after).
    type: str
  completed_after:
    description:
      - Only activities completed after this moment, an RFC 3339 date or date-time (V(2024-05-01), V(2024-05-01T08:00:00Z)).
        A moment without a time zone is UTC.
    type: str
  completed_before:
    description:
      - Only activities completed before this moment (RFC 3339, UTC when no zone is given).
    type: str
  started_within:
    description:
      - Only activities started within this duration before now (same form as O(completed_within)).
      - Mutually exclusive with O(started_after).
    type: str
  started_after:
    description:
      - Only activities started after this moment (RFC 3339).
    type: str
  started_before:
    description:
      - Only activities started before this moment (RFC 3339).
    type: str
  state:
    description:
      - Only activities in these states.
    type: list
    elements: str
    choices: [enqueued, assigned, started, paused, completed]
  type:
    description:
      - Only activities of these types, for example V(backup).
    type: list
    elements: str
  result:
    description:
      - Only activities that ended with these result codes.
    type: list
    elements: str
    choices: [ok, warning, error, cancelled, abandoned, timedout]
  tenant_ids:
    description:
      - Only the activities of these tenants (IDs).
    type: list
    elements: str
  policy_ids:
    description:
      - Only the activities of these protection plans or policies (IDs).
    type: list
    elements: str
  resource_ids:
    description:
      - Only the activities of these resources (machines, IDs).
    type: list
    elements: str
  task_ids:
    description:
      - Only the activities of the tasks with these numeric IDs.
    type: list
    elements: int
notes:
  - The activities are read with the API client's token; the service shows those of the client's tenant and of the
    tenants below it.
seealso:
  - module: acronis.cyber_platform.acronis_task_info
  - module: acronis.cyber_platform.acronis_alert_info
'''

EXAMPLES = r'''
- name: Activities completed during the last week
  acronis.cyber_platform.acronis_activity_info:
    completed_within: 7d
    limit: 1000
  register: last_week

- name: The activities of one task
  acronis.cyber_platform.acronis_activity_info:
    task_ids: [100001]
  register: steps
'''

RETURN = r'''
activities:
  description:
    - The activities, newest first, as the Task Manager shows them (at most O(limit)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 8a9e2c3f-6c1f-4d6e-9a55-1f0a7e2b3c4d
      taskId: 100001
      type: backup
      title: Backup of SRV-001
      state: completed
      result: {code: ok}
      startedAt: "2024-05-03T10:00:12.000000Z"
      completedAt: "2024-05-03T10:41:02.000000Z"
truncated:
  description: Whether more activities matched than O(limit) let the module return.
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
OPTION_KINDS = monitoring.TASK_FILTER_KINDS


def run(module):
    p = module.params
    paging.check_continuation(p, monitoring.TASK_FILTERS)
    query = monitoring.task_params(p, ("taskId", "task_ids"))
    preview = module.preview_of_new(monitoring.ID_FILTERS, "no activities", activities=[], truncated=False,
                                    next_cursor=None)
    if preview:
        return preview
    with failing_to("read the activities of the Task Manager"):
        activities, cursor = monitoring.read_bounded(module.client, monitoring.ACTIVITIES_PATH, query, p["limit"],
                                                     after=p["after"])
    return dict(changed=False, activities=activities, truncated=cursor is not None, next_cursor=cursor)


def main():
    AcronisModule(argument_spec=monitoring.task_filter_spec(), mutually_exclusive=monitoring.TASK_FILTER_EXCLUSIVE,
                  option_kinds=OPTION_KINDS, supports_check_mode=True).execute(run)


if __name__ == "__main__":
    main()
