#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_fleet_onboarding
short_description: Onboard many inventory hosts' tenants from one task (the fleet path)
version_added: 0.1.0
description:
  - Does, for every inventory host of O(hosts), what the P(acronis.cyber_platform.tenant_onboarding#role) role does
    for one. It reads the same variables (C(tenant_onboarding_*), from the same inventory), makes the same checks
    before any write, and takes the same steps (the tenant with its settings, MFA and pricing mode, its offering items
    and quotas, the brand of a partner or folder, the administrators with their roles and activation), each the same
    module with the same options.
  - The role stays the way for interactive use, C(--limit) of a few hosts and AWX slicing. This module is for large
    runs, where one worker process per host and task costs the controller more than the requests do.
  - Onboards O(concurrency) tenants at a time, within the data center's request budget (the
    O(max_requests_per_second) and O(max_concurrent_requests) options), parents before their children (a host whose
    C(tenant_onboarding_parent) is another host of O(hosts) waits for it).
  - A tenant that fails stops only itself (and the hosts under it); every other tenant is onboarded, and the task then
    fails, naming each failed host with its message. RV(tenants) has the result of every host.
  - Each host's data center is its C(acronis_base_url), C(acronis_client_id), C(acronis_client_secret) or
    C(acronis_credentials_file) variables, as in the shipped playbooks; unset, the task's connection options. The
    connection and API client of each data center are checked once, before its first tenant.
  - Check mode predicts each host's changes as the role does, also for a tenant under a parent that the same run
    would create. Diff mode returns the diff of every step that changes, each headed by its host and step.
  - Runs on the controller, in the task's worker, whatever the task's connection; C(playbooks/onboard_fleet.yml) is
    the ready playbook.
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
options:
  hosts:
    description:
      - The inventory hosts to onboard, one tenant each, with the variables of the
        P(acronis.cyber_platform.tenant_onboarding#role) role. In a play over those hosts with C(run_once), V({{
        ansible_play_hosts }}) takes the play's hosts and honours C(--limit).
      - A host's parent (C(tenant_onboarding_parent)) that is not among them is looked up by the name its inventory
        gives it, as the role does.
    type: list
    elements: str
    required: true
  kinds:
    description:
      - The kind of tenant of each host, by its group, as the shipped playbooks set it for theirs (a host in
        C(partners) is a partner). A host in none of these groups has its own C(tenant_onboarding_kind), else
        V(customer).
    type: dict
    default:
      partners: partner
      customers: customer
      units: unit
      folders: folder
  concurrency:
    description:
      - How many tenants are onboarded at a time, each by one thread of the task's worker.
      - The request budget (O(max_concurrent_requests), O(max_requests_per_second)) still bounds the requests in
        flight; raise both together for a large run.
    type: int
    default: 10
notes:
  - Every tenant's variables are checked against the role's argument specification and the role's own checks
    (names and logins never empty, logins the service takes, a password for each administrator activated by password,
    a brand only on a partner or folder) before that tenant's first request.
  - Warnings of the steps are returned with the host they concern.
  - The steps always run in the task's worker, in threads; C(ACRONIS_DIRECT_EXECUTION=false) and
    C(acronis_direct_execution) do not apply to this module (they choose how the other modules run).
seealso:
  - module: acronis.cyber_platform.acronis_tenant
  - module: acronis.cyber_platform.acronis_offering_items
  - module: acronis.cyber_platform.acronis_user
  - module: acronis.cyber_platform.acronis_branding
'''

EXAMPLES = r'''
# playbooks/onboard_fleet.yml: the play's hosts (and --limit) from one task, 20 tenants at a time.
- name: Onboard the fleet from one task
  hosts: partners:customers:units
  gather_facts: false
  tasks:
    - name: Onboard every tenant of the play, parents first
      acronis.cyber_platform.acronis_fleet_onboarding:
        hosts: "{{ ansible_play_hosts }}"
        concurrency: 20
        max_concurrent_requests: 20
        max_requests_per_second: 50
      run_once: true
      register: fleet

    - name: Show what was done
      ansible.builtin.debug:
        var: fleet.summary
      run_once: true
'''

RETURN = r'''
tenants:
  description: The outcome of each host, by inventory host name.
  returned: always
  type: dict
  sample:
    acme:
      name: Acme Corp
      kind: customer
      changed: true
      failed: false
      changed_steps: [tenant, offering_items, administrator acme-admin]
      tenant_id: 5f1f2a66-3b2c-4d8e-9a61-0c8b6f1f0b11
  contains:
    name:
      description: The tenant's name.
      type: str
    kind:
      description: The tenant's kind.
      type: str
    changed:
      description: Whether a step changed (in check mode, would change) something.
      type: bool
    failed:
      description: Whether the host's onboarding failed; C(msg) then says why.
      type: bool
    msg:
      description: Why the host's onboarding failed, naming the step, the option and the service's answer.
      type: str
      returned: when failed
    changed_steps:
      description:
        - The steps that changed something, in their order; C(tenant), C(offering_items), C(brand) and
          C(administrator <login>).
      type: list
      elements: str
    tenant_id:
      description: The tenant's ID (in check mode, for a tenant the run would create, a placeholder).
      type: str
      returned: when the tenant step ran
    warnings:
      description: The warnings of the host's steps.
      type: list
      elements: str
      returned: when there are some
failed_hosts:
  description: The hosts whose onboarding failed.
  returned: always
  type: list
  elements: str
  sample: [globex]
summary:
  description: What a person reads at the end; the counts, then one line per failed host.
  returned: always
  type: list
  elements: str
  sample:
    - "3 tenants: 2 changed, 0 unchanged, 1 failed"
    - "failed: globex: globex (tenant): ..."
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule

# The options besides the connection's; the action plugin validates the task's arguments against the same.
FLEET_OPTIONS = dict(
    hosts=dict(type="list", elements="str", required=True),
    kinds=dict(type="dict", default=dict(partners="partner", customers="customer", units="unit", folders="folder")),
    concurrency=dict(type="int", default=10),
)
# No option of a kind of its own to check here: the action plugin checks concurrency and that the hosts are the
# inventory's, and each host's variables are checked as the role checks them (plugin_utils/fleet.py).
OPTION_KINDS = {}


def main():
    # The work is done by the action plugin of the same name, on the controller; this runs only where the action
    # plugin is not found.
    module = AcronisModule(argument_spec=FLEET_OPTIONS, supports_check_mode=True)
    module.fail_json(msg="acronis_fleet_onboarding runs on the controller through its action plugin, which was not "
                         "found: run it as acronis.cyber_platform.acronis_fleet_onboarding from the collection.")


if __name__ == "__main__":
    main()
