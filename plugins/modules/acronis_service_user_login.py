#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_service_user_login
short_description: Get the one-time login link of a CyberApp's service user in a customer tenant (MDR)
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Lets a managed detection and response (MDR) team log in to Acronis Cyber Protect Cloud on behalf of an end
    customer, with a service user of its CyberApp, as the Application Manager API describes it
    (C(GET /api/application_manager/v2/application/{vendor_app_code}/service_user:login)).
  - Returns the one-time-token login link the service answers with (a redirect). Open it to start the session.
  - The service offers this only to CyberApps whose "Access to Acronis EDR incidents" is read-only or read and write.
  - B(The link is a credential.) Ansible hides the values of secret options, not what a module returns - run the
    task with C(no_log=true), keep RV(login_url) out of C(debug) output, logs and files others can read.
    The module never puts the link in a message, a warning or a diff.
  - The task reports C(changed=false) - it changes no configuration. Each run issues a new one-time link, and the
    first login of an O(external_id) in a tenant creates that service user on the service's side.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
attributes:
  check_mode:
    description: With C(--check), the module issues no link - it checks its options and returns RV(login_url) null.
    support: full
  diff_mode:
    description: The module changes no configuration, so it has no diff to show.
    support: none
  action_group:
    description: Set its options for a whole play with C(module_defaults) and C(group/acronis.cyber_platform.acronis).
    support: full
    membership:
      - acronis.cyber_platform.acronis
options:
  vendor_app_code:
    description:
      - The code of the CyberApp, for example V(vendor.app).
    type: str
    required: true
  tenant_id:
    description:
      - ID of the tenant where the analyst logs in on behalf of the end customer.
    type: str
    required: true
  external_id:
    description:
      - The ID the service user gets (or has), for example V(service_user_1).
    type: str
    required: true
'''

EXAMPLES = r'''
- name: Log the MDR analyst in to a customer
  acronis.cyber_platform.acronis_service_user_login:
    vendor_app_code: vendor.app
    tenant_id: "{{ customer_tenant_id }}"
    external_id: service_user_1
  register: mdr_login
  no_log: true

- name: Hand the link to the analyst's browser (never print it)
  ansible.builtin.copy:
    content: "{{ mdr_login.login_url }}"
    dest: "{{ lookup('env', 'HOME') }}/.mdr-login-link"
    mode: "0600"
  no_log: true
'''

RETURN = r'''
login_url:
  description:
    - The one-time-token login link (the C(Location) of the service's redirect). B(A secret) - see the description.
    - Null in check mode.
  returned: always
  type: str
  sample: https://eu2-cloud.acronis.com/...?ott=********
service_user:
  description: The service user the link logs in.
  returned: always
  type: dict
  contains:
    vendor_app_code:
      description: The CyberApp.
      type: str
      sample: vendor.app
    tenant_id:
      description: The tenant.
      type: str
      sample: 2a91a14d-ffd3-4ac1-9b4d-3990162c5acc
    external_id:
      description: The ID of the service user.
      type: str
      sample: service_user_1
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import applications as apps

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "external_id": validation.EXTERNAL_ID,
}


def run(module):
    p = module.params
    code, tenant_id, external_id = p["vendor_app_code"].strip(), p["tenant_id"], p["external_id"].strip()
    service_user = dict(vendor_app_code=code, tenant_id=tenant_id, external_id=external_id)
    if module.check_mode:
        return dict(changed=False, login_url=None, service_user=service_user)
    with failing_to("log the service user '%s' of CyberApp '%s' in to tenant %s" % (external_id, code, tenant_id)):
        url = apps.service_user_login_url(module.client, code, tenant_id, external_id)
    return dict(changed=False, login_url=url, service_user=service_user)


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS,
        argument_spec=dict(
            vendor_app_code=dict(type="str", required=True),
            tenant_id=dict(type="str", required=True),
            external_id=dict(type="str", required=True),
        ),
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
