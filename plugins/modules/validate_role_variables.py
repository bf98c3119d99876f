#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: validate_role_variables
short_description: Check a host's variables against the argument specification of a role of this collection
version_added: 0.1.0
description:
  - Checks the current host's variables that a role of acronis.cyber_platform documents in its
    C(meta/argument_specs.yml) against that specification, as ansible-core's implicit role argument validation
    (M(ansible.builtin.validate_argument_spec)) does, with the same messages, which name the variable.
  - For a play over many hosts that imports the role with C(rolespec_validate=false), as
    C(playbooks/onboard_customers.yml) does. The implicit validation carries the whole specification in every
    host's task result, which the controller keeps until the task's last host is done, and its memory grows with
    the number of hosts (about 0.3 MiB per host for C(tenant_onboarding)). This task's arguments are a role name,
    and the specification is read once per controller process.
  - Only the variables the specification names and the host has are checked, as by the implicit validation;
    run it before the role, in the same play, so that the play's variables are checked too.
  - Runs on the controller; sends no request.
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
options:
  role:
    description:
      - The role of acronis.cyber_platform whose specification to check against, without the collection's name,
        for example V(tenant_onboarding).
    type: str
    required: true
  entry_point:
    description:
      - The entry point of the role's specification.
    type: str
    default: main
attributes:
  check_mode:
    description: The check sends nothing and runs the same with or without C(--check).
    support: full
  diff_mode:
    description: The check changes nothing, so it has no diff to show.
    support: N/A
  action:
    description: An action plugin only; it runs on the controller.
    support: full
seealso:
  - module: ansible.builtin.validate_argument_spec
  - module: ansible.builtin.import_role
'''

EXAMPLES = r'''
- name: Onboard the customers of the inventory
  hosts: customers
  gather_facts: false
  tasks:
    - name: Check the customer's variables against the onboarding role's argument specification
      acronis.cyber_platform.validate_role_variables:
        role: tenant_onboarding
      tags: [always]

    - name: Onboard the customer
      ansible.builtin.import_role:
        name: acronis.cyber_platform.tenant_onboarding
        # Checked by the task above.
        rolespec_validate: false
'''

RETURN = r'''
argument_errors:
  description: What does not match the specification, one message per variable, when the check fails.
  returned: failure
  type: list
  elements: str
  sample: ["value of tenant_onboarding_kind must be one of: partner, folder, customer, unit, got: company"]
'''
