#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_agent_info
short_description: List the Acronis agents registered in a tenant's subtree, with filters and paging
version_added: 0.1.0
description:
  - Reads the agents registered with the Acronis Agent Manager (C(GET /api/agent_manager/v2/agents)), those of the
    API client's whole subtree, or of one tenant's subtree (a customer, say) with O(tenant_id), as Acronis's examples
    C(get_all_agents_info.py) and C(get_all_agents_info_for_customer.py) do.
  - Filters by host name, OS family, online state, software up to date, and installed units.
  - Always bounded. At most O(limit) agents are returned, read O(page_size) at a time. RV(truncated) says whether more
    agents matched; they can be read by passing RV(next_cursor) back as O(after).
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes.info_module
  - acronis.cyber_platform.paging
  - acronis.cyber_platform.paging.cursor
options:
  tenant_id:
    description:
      - ID of the tenant whose subtree is listed. Unset, the API client's whole subtree.
    type: str
    aliases: [tenant]
  hostname:
    description:
      - Host name to look for, compared as O(hostname_match) says.
    type: str
  hostname_match:
    description:
      - How O(hostname) is compared with the agents' host names.
    type: str
    choices: [exact, starts_with, contains, ends_with]
    default: exact
  os_family:
    description:
      - Only agents built for this OS family.
    type: str
    choices: [UNKNOWN, WINDOWS, LINUX, MACOSX, SOLARIS]
  online:
    description:
      - V(true) for responsive agents only, V(false) for unresponsive ones only.
    type: bool
  up_to_date:
    description:
      - V(true) for agents with current software only, V(false) for outdated ones only.
    type: bool
  units:
    description:
      - Only agents that have at least one of these units (components such as C(backup) or C(atp)).
    type: list
    elements: str
  order:
    description:
      - Sort by host name, ascending or descending (same host names by agent id). Unset, the service's order.
    type: str
    choices: [asc, desc]
  page_size:
    description:
      - How many agents to ask for per request, from 1 to 1000.
    type: int
    default: 100
seealso:
  - module: acronis.cyber_platform.acronis_registration_token
'''

EXAMPLES = r'''
- name: Every agent of the API client's subtree (at most 100)
  acronis.cyber_platform.acronis_agent_info:
  register: all_agents

- name: The Windows agents of one customer that are offline
  acronis.cyber_platform.acronis_agent_info:
    tenant_id: "{{ customer_tenant_id }}"
    os_family: WINDOWS
    online: false
  register: offline

- name: Agents whose host name starts with web-, 500 at most
  acronis.cyber_platform.acronis_agent_info:
    hostname: web-
    hostname_match: starts_with
    order: asc
    limit: 500
  register: web_agents

- name: The next agents, if there are more
  acronis.cyber_platform.acronis_agent_info:
    after: "{{ web_agents.next_cursor }}"
    limit: 500
  when: web_agents.truncated
'''

RETURN = r'''
agents:
  description: The agents, as the Agent Manager shows them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 8f27a66f-71ff-4b5c-b665-75ec0f42b849
      hostname: server1.acme.local
      name: server1.acme.local
      online: true
      enabled: true
      tenant:
        id: "64"
        name: ACME
      platform:
        family: WINDOWS
        arch: X64
        name: Windows 2019
        version_major: 10
        version_minor: 0
      core_version:
        current:
          release_id: 1.0.0
          build: "42"
      units:
        - name: backup
          version:
            current:
              release_id: 1.0.0
              build: "42"
      registration_date: "Tue, 04 Jun 2019 18:32:26 +0300"
truncated:
  description: Whether more agents matched than O(limit) let the module return.
  returned: always
  type: bool
  sample: false
next_cursor:
  description: Where the listing stopped when RV(truncated) is true (pass it as O(after)); null when nothing follows.
  returned: always
  type: str
  sample: aGVhbHRoY2hlY2s6C
count:
  description:
    - How many agents RV(agents) holds.
    - B(Deprecated), to be removed in version 1.0.0; use C(agents | length), and RV(truncated) to know whether
      more matched.
  returned: always
  type: int
  sample: 1
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils import agents
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import paging
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

MAX_PAGE_SIZE = 1000
# The kinds of the options (validation's layer), checked before any request. A hostname is a value: the
# module writes the service's match syntax from hostname_match.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "hostname": validation.FILTER_VALUE,
    "units": validation.FILTER_VALUE,
    "limit": paging.LIMIT_KIND,
    "page_size": validation.count(1, MAX_PAGE_SIZE),
}
FILTERS = ("tenant_id", "hostname", "os_family", "online", "up_to_date", "units", "order")


def run(module):
    p = module.params
    paging.check_continuation(p, FILTERS)
    preview = module.preview_of_new(["tenant_id"], "no agents", agents=[], truncated=False, next_cursor=None,
                                    count=0)
    if preview:
        return preview
    params = agents.agent_query(tenant_id=p["tenant_id"], hostname=p["hostname"], hostname_match=p["hostname_match"],
                                os_family=p["os_family"], online=p["online"], up_to_date=p["up_to_date"],
                                units=p["units"], order=p["order"])
    with failing_to("list agents%s" % (" of tenant %s" % p["tenant_id"] if p["tenant_id"] else "")):
        found, cursor = agents.list_agents(module.client, params, p["limit"], p["page_size"], after=p["after"])
    return dict(changed=False, agents=found, truncated=cursor is not None, next_cursor=cursor, count=len(found))


def main():
    AcronisModule(
        argument_spec=dict(
            tenant_id=dict(type="str", aliases=["tenant"]),
            hostname=dict(type="str"),
            hostname_match=dict(type="str", choices=["exact", "starts_with", "contains", "ends_with"],
                                default="exact"),
            os_family=dict(type="str", choices=list(agents.OS_FAMILIES)),
            online=dict(type="bool"),
            up_to_date=dict(type="bool"),
            units=dict(type="list", elements="str"),
            order=dict(type="str", choices=["asc", "desc"]),
            limit=dict(paging.LIMIT_SPEC),
            page_size=dict(type="int", default=100),
            after=dict(paging.AFTER_SPEC),
        ),
        option_kinds=OPTION_KINDS,
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
