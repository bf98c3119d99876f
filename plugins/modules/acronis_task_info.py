#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_task_info
short_description: Read the tasks of the Task Manager, for a time window, with filters and a bound
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Returns the tasks (backups, restores, replications, ...) of the API client's tenant and its subtree, newest
    first, from the Task Manager API (C(/api/task_manager/v2/tasks)), page by page.
  - A read is always bounded by O(limit). RV(truncated) says whether more tasks matched, RV(next_cursor) where to
    continue.
  - Time windows are sent as the service's filters, so only the matching tasks travel; for example
    O(completed_within=7d) is the "tasks completed during the last week" of Acronis's examples.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
  - acronis.cyber_platform.paging
  - acronis.cyber_platform.paging.cursor
options:
  completed_within:
    description:
      - Only tasks completed within this duration before now - a number and V(s), V(m), V(h), V(d) or V(w),
        for example V(7d) or V(12h).
      - Mutually exclusive with O(completed_after).
    type: str
  completed_after:
    description:
      - Only tasks completed after this moment, an RFC 3339 date or date-time (V(2024-05-01), V(2024-05-01T08:00:00Z)).
        A moment without a time zone is UTC.
    type: str
  completed_before:
    description:
      - Only tasks completed before this moment (RFC 3339, UTC when no zone is given).
    type: str
  started_within:
    description:
      - Only tasks started within this duration before now (same form as O(completed_within)).
      - Mutually exclusive with O(started_after).
    type: str
  started_after:
    description:
      - Only tasks started after this moment (RFC 3339).
    type: str
  started_before:
    description:
      - Only tasks started before this moment (RFC 3339).
    type: str
  state:
    description:
      - Only tasks in these states.
    type: list
    elements: str
    choices: [enqueued, assigned, started, paused, completed]
  type:
    description:
      - Only tasks of these types, for example V(backup).
    type: list
    elements: str
  result:
    description:
      - Only tasks that ended with these result codes.
    type: list
    elements: str
    choices: [ok, warning, error, cancelled, abandoned, timedout]
  tenant_ids:
    description:
      - Only the tasks of these tenants (IDs).
    type: list
    elements: str
  policy_ids:
    description:
      - Only the tasks of these protection plans or policies (IDs).
    type: list
    elements: str
  resource_ids:
    description:
      - Only the tasks of these resources (machines, IDs).
    type: list
    elements: str
  task_ids:
    description:
      - Only the tasks with these numeric IDs.
    type: list
    elements: int
notes:
  - The tasks are read with the API client's token; the service shows those of the client's tenant and of the
    tenants below it.
seealso:
  - module: acronis.cyber_platform.acronis_activity_info
  - module: acronis.cyber_platform.acronis_alert_info
'''

EXAMPLES = r'''
- name: Tasks completed during the last week
  acronis.cyber_platform.acronis_task_info:
    completed_within: 7d
    limit: 1000
  register: last_week

- name: Failed backups of one customer since the first of May
  acronis.cyber_platform.acronis_task_info:
    tenant_ids: ["{{ customer_tenant_id }}"]
    type: [backup]
    result: [error]
    completed_after: "2024-05-01"
  register: failed

- name: Say when the list is longer than what was read
  ansible.builtin.debug:
    msg: "{{ last_week.tasks | length }} tasks read, more matched: {{ last_week.truncated }}"
'''

RETURN = r'''
tasks:
  description:
    - The tasks, newest first, as the Task Manager shows them (at most O(limit)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 100001
      uuid: 3f0b5d8e-5a8e-4f0e-9d1c-6c8f1f6b2a10
      type: backup
      state: completed
      result: {code: ok}
      tenant: {id: 1, uuid: 2a91a14d-ffd3-4ac1-9b4d-3990162c5acc, name: Acme}
      enqueuedAt: "2024-05-03T10:00:00.000000Z"
      startedAt: "2024-05-03T10:00:12.000000Z"
      completedAt: "2024-05-03T10:41:02.000000Z"
truncated:
  description: Whether more tasks matched than O(limit) let the module return.
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
    query = monitoring.task_params(p, ("id", "task_ids"))
    preview = module.preview_of_new(monitoring.ID_FILTERS, "no tasks", tasks=[], truncated=False,
                                    next_cursor=None)
    if preview:
        return preview
    with failing_to("read the tasks of the Task Manager"):
        tasks, cursor = monitoring.read_bounded(module.client, monitoring.TASKS_PATH, query, p["limit"],
                                                after=p["after"])
    return dict(changed=False, tasks=tasks, truncated=cursor is not None, next_cursor=cursor)


def main():
    AcronisModule(argument_spec=monitoring.task_filter_spec(), mutually_exclusive=monitoring.TASK_FILTER_EXCLUSIVE,
                  option_kinds=OPTION_KINDS, supports_check_mode=True).execute(run)


if __name__ == "__main__":
    main()
