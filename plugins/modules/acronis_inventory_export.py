#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_inventory_export
short_description: Write the partners, customers and units that exist as the inventory tenant_onboarding manages
version_added: 0.1.0
description:
  - Reads a subtree of the Acronis Cyber Platform and writes it to O(dest) as an Ansible inventory in the format of
    C(playbooks/inventory/partner.yml), for C(playbooks/onboard_partner.yml) and the
    C(acronis.cyber_platform.tenant_onboarding) role. This is how an existing
    fleet is adopted as code.
  - One host per partner, customer and unit, in the groups C(partners), C(customers) and C(units). A host's
    C(tenant_onboarding_*) variables say what its tenant is now, so that the onboarding of the exported inventory
    changes nothing and sends no write; its C(--check --diff) run is then a drift check (see
    C(playbooks/drift_report.yml)).
  - 'Written for each tenant: its name, its parent (C(tenant_onboarding_parent), the parent''s host, or
    C(tenant_onboarding_parent_id) when the parent is no host of the export: the root, a folder), customer ID, internal
    tag, language, contact, enabled, management mode, MFA (partners and customers), enhanced security (when the service
    reports it on), pricing mode (C(tenant_onboarding_production)), edition, enabled offering items with their quotas
    (C(unlimited: true) for an item without a quota), the brand of a partner that has its own (without its SMTP password
    and logo), and its users as administrators with their contact, language, enabled state, notifications and roles.'
  - 'An administrator''s C(activation) says its state: V(email) for an activated user (nothing is left to send), V(none)
    for a user who has not activated the account yet (the onboarding sends nothing); set V(email) or V(password) there to
    activate them. Roles on another tenant, and roles the role does not manage, are left out, with a warning.'
  - 'The data center: every host is also in the group C(data_center_<name>) (O(data_center)), as the
    C(acronis.cyber_platform.tenants) inventory plugin groups the hosts of its O(acronis.cyber_platform.tenants#inventory:data_centers),
    whose variables say where its hosts live, in the variables the collection''s playbooks map onto the connection
    (C(module_defaults)): C(acronis_data_center) (the name), C(acronis_base_url) (the data center''s URL) and, when the
    export read its connection from O(credentials_file), C(acronis_credentials_file) (its path). The onboarding of the
    exported inventory then goes to the data center each host came from.'
  - 'Several data centers in one inventory: run the export once per data center, each with its own connection, into
    the same O(dest) (O(merge=true)). Each run adds its data center''s group and hosts and keeps the others; a host
    that the file puts in another data center (a group C(data_center_<name>), or an C(acronis_base_url) or
    C(acronis_data_center) in its variables or its groups'') is never taken for a tenant of this one, and a tenant
    whose host name another data center''s host has gets the start of its ID.'
  - Secrets are never written; passwords (O(dest) never holds any) stay in Vault, in the variables a merge keeps. No
    client ID or secret either; give a data center's API client by O(credentials_file) (its path is written), or as
    C(acronis_client_id) and a vaulted C(acronis_client_secret) in the vars of its group C(data_center_<name>), which a
    merge keeps, or in the C(ACRONIS_*) environment variables when the inventory has one data center.
  - Host names are the tenants' names made host patterns by the rule of the C(acronis.cyber_platform.tenants) inventory
    plugin (its O(acronis.cyber_platform.tenants#inventory:hostname=slug)), so C(Contoso Ltd) is host C(contoso-ltd).
  - 'Requests: the subtree with every tenant''s offering items (one paged C(GET /tenants?subtree_root_id=) with
    C(with_offering_items)), every user of the subtree with their roles (one paged C(GET /users?subtree_root_tenant_id=)),
    and one request per partner that has its own brand: a few requests for a thousand customers.'
  - The YAML is written in one stable form (keys sorted, lists sorted, lists indented), so an export of an unchanged world
    writes the same file. Comments of a merged file are not kept.
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
options:
  root_tenant_id:
    description:
      - ID of the tenant whose subtree is exported; the tenant itself is not a host.
      - Defaults to the tenant of the API client.
    type: str
  partner:
    description:
      - Export only this partner of the subtree, by name (compared without regard to case) or ID, with its customers and
        units.
      - A name that no partner or several partners of the subtree have fails the task, listing them.
    type: str
  name_patterns:
    description:
      - Export only the tenants whose name, or the name of one of their ancestors below the root, matches one of these
        shell patterns (C(*), C(?), C([abc])), compared without regard to case; a customer that matches comes with its
        units.
    type: list
    elements: str
  dest:
    description:
      - Path of the inventory file to write. Unset, the inventory is only returned.
      - Its directory must exist.
    type: path
  merge:
    description:
      - When O(dest) exists, merge the export into it rather than replace it.
      - A host of the export already in the file (matched by its host name, or by its tenant's name,
        C(tenant_onboarding_name) or C(acronis_name), when the name is unique in both) keeps its host name, its group
        and every variable the export does not own (passwords, C(tenant_onboarding_purge_*), your own variables), and an
        administrator keeps the C(activation) and C(purge_roles) written for its login; its other
        C(tenant_onboarding_*) variables become what the export found. Hosts and groups the export does not find are
        kept. Vault-encrypted values are kept as written.
      - The group of the data center (O(data_center)) gets the hosts of the export and its C(acronis_data_center),
        C(acronis_base_url) and C(acronis_credentials_file) variables; its other variables are kept. A file whose group
        C(data_center_<name>) has another C(acronis_base_url), or which has this data center's URL in a group of another
        name, fails the task before any request, naming both.
      - V(false) replaces the file with the export.
    type: bool
    default: true
  data_center:
    description:
      - The name of the data center the export reads, for the group C(data_center_<name>) and the variable
        C(acronis_data_center), as in the O(acronis.cyber_platform.tenants#inventory:data_centers[].name) of the
        tenants inventory plugin.
      - 1 to 64 letters, digits, C(_) or C(-). Give the same name every time the same data center is exported into a
        file.
      - Defaults to the data center's host name (and port), each run of characters other than letters and digits made
        one C(_), so C(https://eu2-cloud.acronis.com) is C(eu2_cloud_acronis_com).
    type: str
notes:
  - Folders are not hosts (no play of C(onboard_partner.yml) onboards folders); the tenants under a folder name it by
    C(tenant_onboarding_parent_id).
  - A partner under a partner, or a unit under a unit, is in the same play as its parent; in a check run on a world
    where the parent does not exist yet, it cannot be previewed.
seealso:
  - module: acronis.cyber_platform.acronis_tenant_info
  - plugin: acronis.cyber_platform.tenants
    plugin_type: inventory
'''

EXAMPLES = r'''
- name: Write the fleet as an inventory (playbooks/export_inventory.yml runs this)
  acronis.cyber_platform.acronis_inventory_export:
    dest: inventory/fleet.yml

- name: One partner, merged into the inventory that already has hand-written variables
  acronis.cyber_platform.acronis_inventory_export:
    partner: Northwind Reseller
    dest: inventory/northwind.yml

- name: Two data centers in one inventory, one export each; every host says its data center
  acronis.cyber_platform.acronis_inventory_export:
    credentials_file: "~/.config/acronis/{{ item }}.json"
    data_center: "{{ item }}"
    dest: inventory/fleet.yml
  loop: [eu2, us5]

- name: The customers whose names start with "Contoso", with their units; only returned
  acronis.cyber_platform.acronis_inventory_export:
    name_patterns: ["contoso*"]
  register: export
'''

RETURN = r'''
inventory:
  description: The inventory as written to O(dest) (merged with what it held, when O(merge=true)).
  returned: always
  type: dict
  sample:
    all:
      vars:
        ansible_connection: local
        ansible_python_interpreter: "{{ ansible_playbook_python }}"
      children:
        partners:
          hosts:
            northwind-reseller:
              tenant_onboarding_name: Northwind Reseller
              tenant_onboarding_parent_id: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
              tenant_onboarding_all_offering_items: false
              tenant_onboarding_edition: per_workload
        customers:
          hosts:
            contoso-ltd:
              tenant_onboarding_name: Contoso Ltd
              tenant_onboarding_parent: northwind-reseller
              tenant_onboarding_mfa: true
              tenant_onboarding_production: false
              tenant_onboarding_offering_items:
                - name: pw_workstations
                  quota: {value: 25}
              tenant_onboarding_administrators:
                - login: contoso-admin
                  email: admin@contoso.example
                  roles: [company_admin]
                  activation: email
        units:
          hosts: {}
        data_center_eu2:
          vars:
            acronis_data_center: eu2
            acronis_base_url: https://eu2-cloud.acronis.com
            acronis_credentials_file: /home/ops/.config/acronis/eu2.json
          hosts:
            northwind-reseller: {}
            contoso-ltd: {}
hosts:
  description: The number of hosts the export found, by group.
  returned: always
  type: dict
  sample: {partners: 1, customers: 30, units: 6}
data_center:
  description: The data center the export read, and the group of the inventory that holds its hosts.
  returned: always
  type: dict
  contains:
    name:
      description: Its name (O(data_center), or the name made from its URL).
      type: str
      sample: eu2
    group:
      description: The group of its hosts.
      type: str
      sample: data_center_eu2
    base_url:
      description: Its URL, as written in C(acronis_base_url).
      type: str
      sample: https://eu2-cloud.acronis.com
root_tenant_id:
  description: The tenant below which the export names its hosts (a host whose parent it is names it by ID).
  returned: always
  type: str
  sample: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
dest:
  description: The path of the inventory file.
  returned: when O(dest) is set
  type: str
  sample: inventory/fleet.yml
'''

import os
import tempfile

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.acronis.cyber_platform.plugins.module_utils import branding, inventory_export, tenants, users
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import cap_list, check_destination, is_uuid

OPTION_KINDS = {
    "root_tenant_id": validation.TENANT_ID,
    "partner": validation.TENANT_NAME,
    "data_center": validation.DATA_CENTER_NAME,
}


def check_options(module):
    """Fail before any request when PyYAML is missing or O(dest) could not be written."""
    if not inventory_export.HAS_YAML:
        raise AcronisFailure(missing_required_lib("PyYAML"))
    warning = check_destination(module.params["dest"], "dest", module.check_mode, what="the inventory")
    if warning:
        module.warn(warning)


def read_subtree(module):
    """(the tenants to export, the root of the export, the tenant the reads started from)."""
    p = module.params
    root_id = module.tenant_or_own(p["root_tenant_id"])
    # A partner given by ID: its own subtree is all there is to read.
    start = p["partner"] if p["partner"] and is_uuid(p["partner"]) else root_id
    with failing_to("read the tenants under %s" % start):
        found = tenants.list_subtree(module.client, start, with_offering_items=True)
    if start != root_id:
        root_id = found[0]["parent_id"] if found else root_id
    return inventory_export.select(found, root_id, p["partner"], p["name_patterns"]), root_id, start


def read_users(module, start, hosts):
    """{tenant id: its users, with their roles}, for the tenants that are hosts."""
    by_tenant = {}
    with failing_to("read the users under %s" % start):
        for user in users.list_subtree_users(module.client, start, with_access_policies=True):
            if user.get("tenant_id") in hosts and not user.get("deleted_at"):
                by_tenant.setdefault(user["tenant_id"], []).append(user)
    return by_tenant


def read_brands(module, selected, hosts):
    """{tenant id: its own brand}, for the partners that are hosts and have one (one request each)."""
    brands = {}
    for tenant in selected:
        if tenant["id"] in hosts and tenant.get("kind") == "partner" and tenant.get("brand_enabled"):
            with failing_to("read the brand of partner %r" % tenant["name"]):
                brands[tenant["id"]] = branding.get_brand(module.client, tenant["id"]) or {}
    return brands


def read_dest(module):
    """(the text of O(dest), its inventory) when it exists and is merged into; ("", None) otherwise."""
    p = module.params
    if not p["dest"] or not os.path.exists(p["dest"]):
        return "", None
    with open(p["dest"], encoding="utf-8") as stream:
        text = stream.read()
    if not p["merge"]:
        return text, None
    try:
        return text, inventory_export.load(text)
    except inventory_export.yaml.YAMLError as exc:
        raise AcronisFailure("Option dest: %s is not a YAML inventory that can be merged into (%s). Fix it, or "
                             "set merge=false to replace it." % (p["dest"], str(exc).replace("\n", " ")))


def ensure_written(module, before, after):
    """Write O(dest) when its text changes (not in check mode); whether it changes."""
    dest = module.params["dest"]
    if not dest or before == after:
        return False
    if not module.check_mode:
        handle, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(dest)), prefix=".%s." % os.path.basename(dest))
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(after)
        module.atomic_move(tmp, os.path.abspath(dest))
    return True


def the_data_center(module):
    """The data center the export reads: its name, its group and the variables that say where its hosts live."""
    p = module.params
    root = module.client.root_url
    return inventory_export.data_center(p["data_center"] or inventory_export.default_data_center_name(root), root,
                                        p["credentials_file"])


def run(module):
    check_options(module)
    before, existing = read_dest(module)
    center = the_data_center(module)
    if existing is not None:
        inventory_export.check_data_center(existing, center, module.params["dest"])
    selected, root_id, start = read_subtree(module)
    hosts = inventory_export.hosts_of(selected)
    if existing is not None:
        by_id = dict((t["id"], t) for t in selected)
        hosts = inventory_export.keep_existing_names(hosts, by_id, inventory_export.existing_tenant_names(existing),
                                                     inventory_export.hosts_elsewhere(existing, center))
    notes = []
    exported = inventory_export.build(selected, hosts, read_users(module, start, hosts),
                                      read_brands(module, selected, hosts), notes, center)
    inventory = exported if existing is None else inventory_export.merge(existing, exported, center)
    after = inventory_export.dump(inventory)
    if notes:
        module.warn("The inventory leaves out what tenant_onboarding does not manage: %s." % cap_list(sorted(notes)))
    changed = ensure_written(module, before, after)
    result = dict(changed=changed, inventory=inventory, root_tenant_id=root_id,
                  data_center=dict(name=center["name"], group=center["group"], base_url=center["vars"]["acronis_base_url"]),
                  hosts=dict((group, len(exported["all"]["children"][group]["hosts"]))
                             for group in inventory_export.GROUP_OF_KIND.values()))
    if module.params["dest"]:
        result["dest"] = module.params["dest"]
    if module._diff and changed:
        result["diff"] = dict(before=before, after=after, before_header=module.params["dest"],
                              after_header=module.params["dest"])
    return result


def main():
    argument_spec = dict(
        root_tenant_id=dict(type="str"),
        partner=dict(type="str"),
        name_patterns=dict(type="list", elements="str"),
        dest=dict(type="path"),
        merge=dict(type="bool", default=True),
        data_center=dict(type="str"),
    )
    AcronisModule(argument_spec=argument_spec, option_kinds=OPTION_KINDS, supports_check_mode=True).execute(run)


if __name__ == "__main__":
    main()
