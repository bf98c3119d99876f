# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: tenants
short_description: The tenants of an Acronis Cyber Platform subtree as inventory hosts
version_added: 0.1.0
description:
  - Reads the tenants (partners, folders, customers, units) of a subtree of the Acronis Cyber Platform
    with the Account Management API and makes each one an inventory host, for day-2 playbooks over
    existing customers (usage reports, offboarding, drift correction).
  - The whole subtree comes from cursor-paged C(GET /api/2/tenants?subtree_root_id=) requests, so the
    number of requests grows with the number of pages (O(page_size) tenants each), not with the number of tenants.
  - Each host is named after its tenant's name, as a slug that Ansible takes as a host pattern (see O(hostname));
    tenant C(Contoso Ltd) is host C(contoso-ltd), for C(--limit contoso-ltd) and C(ansible-inventory --host contoso-ltd).
  - Each tenant's fields, as the API returns them, become host variables named with O(vars_prefix)
    (by default C(acronis_id), C(acronis_name), C(acronis_kind), C(acronis_parent_id), C(acronis_pricing_mode), ...),
    plus C(acronis_parent_name) and C(acronis_depth). C(acronis_name) is the tenant's name as the service shows it,
    C(acronis_id) its ID, whatever the host is named. Tenant objects hold no secrets; the API client's
    credentials are never stored in host variables or in the inventory cache.
  - Hosts are grouped by kind (C(kind_customer)), by parent (C(parent_<parent name>)) and by pricing mode
    (C(pricing_mode_production), C(pricing_mode_trial)); see O(group_by). O(keyed_groups), O(groups) and
    O(compose) add more.
  - Hosts get C(ansible_connection=local) and the controller's Python (C(ansible_python_interpreter)
    set to C({{ ansible_playbook_python }})), since the collection's modules talk to the API from the
    controller; O(compose) can override both.
  - With O(data_centers), one source reads several data centers, each with its own connection and token; each
    host then names its data center (C(acronis_data_center), C(acronis_base_url)) and is in its group
    C(data_center_<name>).
  - The configuration file must be named C(*.acronis.yml), C(*.acronis.yaml), C(*acronis_tenants.yml) or
    C(*acronis_tenants.yaml).
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - acronis.cyber_platform.connection.plugins
options:
  plugin:
    description: The name of this plugin; makes the file an inventory source of this plugin.
    type: str
    required: true
    choices:
      - acronis.cyber_platform.tenants
  root_tenant_id:
    description:
      - ID of the tenant whose subtree becomes the inventory.
      - Defaults to the tenant of the API client (one more request, cached with the token).
      - An empty or blank value is refused before any request; leave the option out (or null) for the default.
    type: str
    env:
      - name: ACRONIS_INVENTORY_ROOT_TENANT_ID
  include_root:
    description:
      - Whether the root tenant itself is a host.
    type: bool
    default: false
  kinds:
    description:
      - Only tenants of these kinds become hosts.
      - Their ancestors are still read, to name the parent groups.
    type: list
    elements: str
    choices: [partner, folder, customer, unit]
    default: [partner, folder, customer, unit]
  include_disabled:
    description:
      - Whether disabled tenants become hosts too (for example to offboard them).
    type: bool
    default: false
  name_patterns:
    description:
      - Only tenants whose name matches one of these shell-style patterns (C(fnmatch), case-insensitive)
        become hosts, for example V(Acme*).
      - An empty list matches every name.
    type: list
    elements: str
    default: []
  exclude_name_patterns:
    description:
      - Tenants whose name matches one of these shell-style patterns (case-insensitive) are left out.
    type: list
    elements: str
    default: []
  hostname:
    description:
      - What names the host of a tenant.
      - V(slug) is the tenant's name made a valid host pattern, by this rule. The name is case-folded and its
        accented letters written without their accents (C(Müller & Söhne GmbH) gives C(muller-sohne-gmbh),
        C(Straße) gives C(strasse)); every run of characters other than C(a-z) and C(0-9) (spaces, punctuation,
        letters that have no such form) becomes one C(-), and a C(-) at either end is dropped. A slug is therefore
        made of C(a-z), C(0-9) and C(-) only, never of the characters that mean something in a host pattern
        (C(:), C(,), C(!), C(&), C(*), C(~), C([), C(]), spaces), and never contains C(_), which every group the
        plugin makes does.
      - Slugs are unique. Tenants whose names give the same slug (C(Contoso Ltd) and C(Contoso, Ltd.), or two
        customers of one name under different partners) are each named C(<slug>-<first 8 characters of the ID>), and
        so is a tenant whose slug would be empty (a name without such letters or digits gives
        C(tenant-<first 8 characters of the ID>)) or would be C(all), C(ungrouped) or C(localhost), which mean
        something else to Ansible; a warning lists them. The
        same tenants always get the same names, whatever order the API lists them in.
      - V(name) is the tenant's name as it is, as before this choice existed; names are unique among siblings
        only, so tenants that share a name are named C(<name>_<id>) instead, with a warning. A name with spaces
        or C(:), C(,), C([) ... cannot be given to C(--limit) or C(ansible-inventory --host).
      - V(id) is the tenant's ID, always unique.
      - Whatever names the host, the host variables C(acronis_name) and C(acronis_id) (with O(vars_prefix)) hold
        the tenant's name and ID; the roles C(acronis.cyber_platform.tenant_onboarding) and
        C(acronis.cyber_platform.tenant_offboarding) take the tenant's name from C(acronis_name).
    type: str
    choices: [slug, name, id]
    default: slug
  vars_prefix:
    description:
      - Prefix of the host variables that hold the tenant's fields.
      - An empty prefix gives the API's own names (C(id), C(name), C(kind), ...), which may clash with
        variables of plays and roles.
    type: str
    default: acronis_
  group_by:
    description:
      - Which groups the plugin adds by itself, besides O(keyed_groups) and O(groups).
      - V(kind) makes C(kind_partner), C(kind_folder), C(kind_customer), C(kind_unit).
      - V(parent) makes C(parent_<name of the parent tenant>); tenants whose parents share a name share the group.
      - V(pricing_mode) makes C(pricing_mode_trial) and C(pricing_mode_production).
    type: list
    elements: str
    choices: [kind, parent, pricing_mode]
    default: [kind, parent, pricing_mode]
  page_size:
    description:
      - How many tenants one request asks for.
    type: int
    default: 1000
  data_centers:
    description:
      - Several data centers in one inventory. Each entry is one data center, read with its own connection (and so
        its own token, token cache entry and request budget); the tenants of every entry become hosts, and the
        connection options and O(root_tenant_id) of the source itself are then not used to read.
      - Each host of an entry gets the host variables C(acronis_data_center) (the entry's O(data_centers[].name)) and
        C(acronis_base_url) (its data center's root URL), and C(acronis_credentials_file) when the entry names one;
        the playbooks of the collection pass these to every task (C(module_defaults)), so each host is onboarded in
        its own data center. Hosts are also grouped by data center, in C(data_center_<name>); give such a group
        its C(acronis_client_id) and C(acronis_client_secret) (in Ansible Vault) when the entry has no
        credentials file. Credentials are never host variables, nor in the inventory cache.
      - Host names are unique across the data centers (see O(hostname)); a customer of one name in two data
        centers is two hosts, each named with the start of its ID.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The data center's name, for the variable C(acronis_data_center) and the group C(data_center_<name>).
        type: str
        required: true
      base_url:
        description:
          - The data center's URL, as O(base_url).
          - Or from O(data_centers[].credentials_file).
        type: str
      client_id:
        description:
          - The API client of this data center, as O(client_id).
          - Or from O(data_centers[].credentials_file).
        type: str
      client_secret:
        description:
          - Its secret, as O(client_secret); keep it out of the file in clear text (Ansible Vault), or use
            O(data_centers[].credentials_file).
        type: str
      credentials_file:
        description:
          - A JSON file with the C(base_url), C(client_id) and C(client_secret) of this data center's API client,
            as M(acronis.cyber_platform.acronis_api_client) writes it; fills what the entry leaves unset.
        type: path
      root_tenant_id:
        description:
          - The tenant whose subtree is read in this data center; by default the tenant of its API client.
        type: str
notes:
  - The plugin needs read access to the subtree only; an API client of a partner tenant is enough.
  - With O(cache=true) the tenant list (not the credentials) is kept by the inventory cache plugin for
    O(cache_timeout) seconds, and a run reads nothing from the API; C(ansible-inventory --flush-cache)
    or the C(meta) task C(refresh_inventory) reads it again.
seealso:
  - module: acronis.cyber_platform.acronis_tenant_info
  - name: Acronis Account Management API, tenants
    description: The API the plugin reads.
    link: https://developer.acronis.com/doc/account-management/v2/guide/index
'''

EXAMPLES = r'''
# The smallest source, acronis_tenants.yml: every enabled customer under the API
# client's tenant; the connection comes from ACRONIS_BASE_URL, ACRONIS_CLIENT_ID
# and ACRONIS_CLIENT_SECRET.
#
#   plugin: acronis.cyber_platform.tenants
#   kinds: [customer]

# The customers of one partner, cached for an hour, with extra groups.
plugin: acronis.cyber_platform.tenants
root_tenant_id: 2f6a4c31-4bd0-4a4e-9d1b-6d3a1a1c6f0e
kinds: [customer]
include_disabled: true
exclude_name_patterns: ["*test*"]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/acronis.cyber_platform/inventory
cache_timeout: 3600
keyed_groups:
  - key: acronis_language
    prefix: language
  - key: acronis_mfa_status
    prefix: mfa
groups:
  disabled: not acronis_enabled
  in_trial: acronis_pricing_mode == 'trial'
compose:
  customer_crm_id: acronis_customer_id

# Day-2 use: a usage report per production customer (playbooks/usage_report.yml
# style), run with: ansible-playbook -i acronis_tenants.yml day2.yml
#
# - name: Usage of every production customer
#   hosts: pricing_mode_production
#   gather_facts: false
#   tasks:
#     - name: Read the usage of the customer
#       acronis.cyber_platform.acronis_usage_info:
#         tenant_id: "{{ acronis_id }}"
#       register: usage
#
# One customer: its host is named with a slug of its name, so customer
# "Contoso Ltd" is host contoso-ltd:
#   ansible-inventory -i acronis_tenants.yml --host contoso-ltd
#   ansible-playbook -i acronis_tenants.yml day2.yml --limit contoso-ltd
# (hostname: name keeps the names as they are, hostname: id uses the IDs).

# Two data centers in one inventory, each with the credentials file that
# playbooks/bootstrap_api_client.yml wrote for it; every host names its data
# center (acronis_data_center, acronis_base_url, acronis_credentials_file), and
# playbooks/onboard_customers.yml sends each host's tasks to its own:
#
#   plugin: acronis.cyber_platform.tenants
#   kinds: [customer]
#   data_centers:
#     - name: eu2
#       credentials_file: ~/.config/acronis/eu2.json
#     - name: us5
#       credentials_file: ~/.config/acronis/us5.json
#
# Offboarding: limit a run of playbooks/offboard_customers.yml to the hosts of
# the group "disabled" above (the role takes each customer's name from
# acronis_name); drift correction: run the onboarding role's
# settings over kind_customer and let --check --diff show what drifted.
'''

import fnmatch
import json
import os

from ansible import constants as C
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import (
    HAS_REQUESTS,
    client_from_options,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError, AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.host_names import unique_slugs
from ansible_collections.acronis.cyber_platform.plugins.module_utils.tenants import list_subtree
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import (
    check_connection,
    empty_identifier_problem,
)
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.ansible_core import (
    trust_as_template,
    unsupported_message,
)

CONFIG_SUFFIXES = ("acronis.yml", "acronis.yaml", "acronis_tenants.yml", "acronis_tenants.yaml")
# The kinds of the options (validation's layer), checked with the source file's keys and types before any request.
OPTION_KINDS = {
    "root_tenant_id": validation.TENANT_ID,
    "vars_prefix": validation.VARIABLE_PREFIX,
    "page_size": validation.count(1),
}
# The connection options of the source that an entry of data_centers shares (its own: base_url and the API client).
CONNECTION_OPTION_NAMES = ("base_url", "client_id", "client_secret", "validate_certs", "timeout", "backoff_retries",
                           "backoff_delay", "backoff_max_delay", "token_cache", "token_cache_dir", "token_renew_margin",
                           "max_requests_per_second", "max_concurrent_requests")
# The keys of an entry of data_centers, and the rule of its name (a group's name: data_center_<name>).
DATA_CENTER_KEYS = ("name", "base_url", "client_id", "client_secret", "credentials_file", "root_tenant_id")
DATA_CENTER_NAME_RE = validation.DATA_CENTER_NAME.pattern
# Fields of the API's tenant object that say nothing about the tenant itself.
SKIPPED_FIELDS = ("contacts", "barrier", "offering_items")

# The choices of group_by: each gives the group of a tenant (whose parent tenant is ``parent``, or None), or None.
GROUP_BY = {
    "kind": lambda tenant, parent: "kind_%s" % tenant["kind"] if tenant.get("kind") else None,
    "parent": lambda tenant, parent: "parent_%s" % parent["name"] if parent and parent.get("name") else None,
    "pricing_mode": lambda tenant, parent: (
        "pricing_mode_%s" % tenant["pricing_mode"] if tenant.get("pricing_mode") else None),
}


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "acronis.cyber_platform.tenants"

    def verify_file(self, path):
        if not super(InventoryModule, self).verify_file(path):
            return False
        if path.endswith(CONFIG_SUFFIXES):
            return True
        self.display.vvv("Skipping %s: an acronis.cyber_platform.tenants source is named *%s" % (path, " or *".join(CONFIG_SUFFIXES)))
        return False

    # ---------------------------------------------------------------- reading

    def _client(self, get_option=None, where=""):
        """The read-only client of one connection: the source's options, or one entry of data_centers."""
        if not HAS_REQUESTS:
            raise AnsibleError(missing_required_lib("requests"))
        get_option = get_option or self.get_option
        base_url = get_option("base_url")
        client_id = get_option("client_id")
        client_secret = get_option("client_secret")
        missing = [name for name, value in (("base_url", base_url), ("client_id", client_id),
                                            ("client_secret", client_secret)) if not value]
        if missing and where:
            raise AnsibleParserError("The acronis.cyber_platform.tenants inventory needs %s for %s: set %s in the entry, "
                                     "or give it a credentials_file." % (", ".join(missing), where, " and ".join(missing)))
        if missing:
            raise AnsibleParserError(
                "The acronis.cyber_platform.tenants inventory needs %s: set %s in the inventory file, or %s in the environment."
                % (", ".join(missing), " and ".join(missing), " and ".join("ACRONIS_" + name.upper() for name in missing)))
        options = dict((name, get_option(name)) for name in (
            "base_url", "timeout", "backoff_retries", "backoff_delay", "backoff_max_delay", "token_renew_margin"))
        try:
            check_connection(options)
        except AcronisFailure as failure:
            raise AnsibleParserError("The acronis.cyber_platform.tenants inventory%s: %s"
                                     % (" (%s)" % where if where else "", failure.msg))
        return client_from_options(get_option, read_only=True)

    def _fetch(self):
        """The tenants of the subtree as the API returns them, each with its ``depth`` (the root: 0), and the root's id.

        With data_centers: ``{"data_centers": [...]}``, one such subtree per data center, with its name, root URL and
        credentials file (never its credentials).
        """
        entries = self.get_option("data_centers")
        if not entries:
            return self._fetch_subtree(self._client(), self.get_option("root_tenant_id"))
        read = []
        for entry in entries:
            connection = self._data_center_connection(entry)
            where = "data center %s" % entry["name"]
            subtree = self._fetch_subtree(self._client(connection.get, where), entry.get("root_tenant_id"), where)
            subtree.update(name=entry["name"], base_url=connection["base_url"],
                           credentials_file=os.path.expanduser(entry["credentials_file"])
                           if entry.get("credentials_file") else None)
            read.append(subtree)
        return {"data_centers": read}

    def _fetch_subtree(self, client, root_id, where=""):
        page_size = self.get_option("page_size")
        try:
            if not root_id:
                root_id = client.client_tenant_id()
            tenants = list_subtree(client, root_id, page_size=page_size)
        except AcronisError as exc:
            raise AnsibleParserError("Could not read the tenants under %s%s: %s"
                                     % (root_id or "the API client's tenant", " in %s" % where if where else "",
                                        to_native(exc)))
        return {"root_id": root_id, "tenants": tenants}

    def _data_center_connection(self, entry):
        """The connection options of one entry of data_centers: its own values, then its credentials file, then the
        source's other connection options (timeout, retries, token cache, budget)."""
        connection = dict((name, self.get_option(name)) for name in CONNECTION_OPTION_NAMES)
        connection.update(base_url=None, client_id=None, client_secret=None)
        path = entry.get("credentials_file")
        if path:
            path = os.path.expanduser(path)
            try:
                with open(path) as stream:
                    credentials = json.load(stream)
            except (IOError, OSError, ValueError) as exc:
                raise AnsibleParserError("The acronis.cyber_platform.tenants inventory: data center %s: cannot read "
                                         "its credentials_file %s (%s)." % (entry["name"], path, to_native(exc)))
            if not isinstance(credentials, dict):
                raise AnsibleParserError("The acronis.cyber_platform.tenants inventory: data center %s: %s must hold "
                                         "a JSON object with base_url, client_id and client_secret."
                                         % (entry["name"], path))
            for key in ("base_url", "client_id", "client_secret"):
                if isinstance(credentials.get(key), str):
                    connection[key] = credentials[key]
        for key in ("base_url", "client_id", "client_secret"):
            if entry.get(key):
                connection[key] = to_native(entry[key])     # (a vaulted secret: its text)
        return connection

    # -------------------------------------------------------------- building

    def _selected(self, tenant, root_id):
        if tenant.get("id") == root_id:
            return self.get_option("include_root")
        if tenant.get("kind") not in self.get_option("kinds"):
            return False
        if not self.get_option("include_disabled") and tenant.get("enabled") is False:
            return False
        name = (tenant.get("name") or "").casefold()
        patterns = self.get_option("name_patterns")
        if patterns and not any(fnmatch.fnmatchcase(name, p.casefold()) for p in patterns):
            return False
        if any(fnmatch.fnmatchcase(name, p.casefold()) for p in self.get_option("exclude_name_patterns")):
            return False
        return True

    def _host_names(self, tenants):
        if self.get_option("hostname") == "id":
            return dict((t["id"], t["id"]) for t in tenants)
        if self.get_option("hostname") == "slug":
            names, renamed = unique_slugs(tenants)
            if renamed:
                self.display.warning("Tenants whose names give the same host name, or one that Ansible reserves, are "
                                     "named <name>-<first 8 characters of their ID> in the inventory: %s"
                                     % ", ".join(renamed))
            return names
        counts = {}
        for tenant in tenants:
            counts[tenant.get("name")] = counts.get(tenant.get("name"), 0) + 1
        names = {}
        shared = sorted(name for name, count in counts.items() if count > 1)
        if shared:
            self.display.warning("Tenants that share a name are named <name>_<id> in the inventory: %s" % ", ".join(shared))
        for tenant in tenants:
            name = tenant.get("name") or tenant["id"]
            names[tenant["id"]] = "%s_%s" % (name, tenant["id"]) if counts[tenant.get("name")] > 1 else name
        return names

    def _populate(self, data):
        subtrees = data["data_centers"] if "data_centers" in data else [dict(data, name=None)]
        by_id = {}
        selected = []
        for subtree in subtrees:
            by_id.update((t["id"], t) for t in subtree["tenants"])
            selected.extend((t, subtree) for t in subtree["tenants"] if self._selected(t, subtree["root_id"]))
        # One naming over every data center: a name in two of them gives two hosts, each with its ID's start.
        names = self._host_names([tenant for tenant, _subtree in selected])
        prefix = self.get_option("vars_prefix")
        group_by = self.get_option("group_by")
        strict = self.get_option("strict")

        for tenant, subtree in selected:
            host = self.inventory.add_host(names[tenant["id"]])
            parent = by_id.get(tenant.get("parent_id"))
            host_vars = dict((prefix + key, value) for key, value in tenant.items()
                             if key not in SKIPPED_FIELDS and key != "depth")
            host_vars[prefix + "parent_name"] = parent.get("name") if parent else None
            host_vars[prefix + "depth"] = tenant["depth"]
            if subtree["name"] is not None:
                # The host's data center, under the names the playbooks' module_defaults read (never a secret).
                host_vars["acronis_data_center"] = subtree["name"]
                host_vars["acronis_base_url"] = subtree["base_url"]
                if subtree.get("credentials_file"):
                    host_vars["acronis_credentials_file"] = subtree["credentials_file"]
            host_vars["ansible_connection"] = "local"
            # Like playbooks/inventory/localhost.yml: the Python that runs Ansible has requests.
            host_vars["ansible_python_interpreter"] = trust_as_template("{{ ansible_playbook_python }}")
            for key, value in host_vars.items():
                self.inventory.set_variable(host, key, value)

            for choice, group_of in GROUP_BY.items():
                group = group_of(tenant, parent) if choice in group_by else None
                if group:
                    self._add_to_group(host, group)
            if subtree["name"] is not None:
                self._add_to_group(host, "data_center_%s" % subtree["name"])

            all_vars = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option("compose"), all_vars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), host_vars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), host_vars, host, strict=strict)

    def _add_to_group(self, host, raw_name):
        group = self.inventory.add_group(self._sanitize_group_name(raw_name))
        self.inventory.add_child(group, host)

    # ------------------------------------------------------------------ entry

    def _check_options(self, path, config):
        """Fail the source with one line for an unknown option, a value of the wrong type or kind (issue 28)."""
        definitions = {}
        for name in (self._load_name, getattr(self, "ansible_name", None)):
            if name and not definitions:
                definitions = C.config.get_configuration_definitions("inventory", name) or {}
        if not definitions:
            return
        values = dict((name, self.get_option(name)) for name in OPTION_KINDS)
        problem = validation.plugin_options_problem(dict(config or {}), definitions, OPTION_KINDS, values=values)
        if problem:
            raise AnsibleParserError("The acronis.cyber_platform.tenants inventory source %s: %s" % (path, problem))

    def _check_data_centers(self):
        """Each entry of data_centers: a name of its own, known keys, a well-formed base_url."""
        seen = set()
        for number, entry in enumerate(self.get_option("data_centers") or (), 1):
            if not isinstance(entry, dict):
                raise AnsibleParserError("The acronis.cyber_platform.tenants inventory: data_centers entry %d must be "
                                         "a mapping with name and the data center's connection." % number)
            name = entry.get("name")
            unknown = sorted(set(entry) - set(DATA_CENTER_KEYS))
            problem = None
            if unknown:
                problem = "%s is not an option of an entry; they are %s" % (unknown[0], ", ".join(DATA_CENTER_KEYS))
            elif not isinstance(name, str) or not DATA_CENTER_NAME_RE.match(name):
                problem = "name must be letters, digits, _ or - (it names the group data_center_<name>)"
            elif name in seen:
                problem = "name %s is given twice" % name
            elif entry.get("root_tenant_id") is not None and empty_identifier_problem(entry["root_tenant_id"]):
                problem = "root_tenant_id %s: it names no tenant" % empty_identifier_problem(entry["root_tenant_id"])
            elif entry.get("base_url") is not None and validation.base_url_problem(entry["base_url"]):
                problem = validation.base_url_problem(entry["base_url"])
            if problem:
                raise AnsibleParserError("The acronis.cyber_platform.tenants inventory: data_centers entry %d: %s."
                                         % (number, problem.rstrip(".")))
            seen.add(name)

    def parse(self, inventory, loader, path, cache=True):
        unsupported = unsupported_message()
        if unsupported:
            raise AnsibleParserError(unsupported)
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        config = self._read_config_data(path)
        # An empty root_tenant_id names no tenant: refused, before the cache and any request (issue 33).
        root_id = self.get_option("root_tenant_id")
        if root_id is not None and empty_identifier_problem(root_id):
            raise AnsibleParserError("root_tenant_id %s: it names no tenant, and would widen the inventory to the whole "
                                     "subtree of the API client. Set it to a tenant ID like "
                                     "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb, or remove it (and unset "
                                     "ACRONIS_INVENTORY_ROOT_TENANT_ID) for the tenant of the API client."
                                     % empty_identifier_problem(root_id))
        self._check_options(path, config)
        self._check_data_centers()

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        data = None
        if use_cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                update_cache = True
            root_id = self.get_option("root_tenant_id")
            wanted = [entry["name"] for entry in self.get_option("data_centers") or ()]
            if data is not None and wanted != [subtree["name"] for subtree in data.get("data_centers") or ()]:
                # Cached before data_centers was set, unset or changed.
                data = None
                update_cache = True
            if data is not None and not self.get_option("data_centers") and root_id and data.get("root_id") != root_id:
                # The file now names another subtree than the one cached.
                data = None
                update_cache = True
            if data is not None and any("depth" not in tenant for subtree in data.get("data_centers") or [data]
                                        for tenant in subtree.get("tenants") or ()):
                # Cached by an earlier version of the plugin, which kept no depths.
                data = None
                update_cache = True
        if data is None:
            data = self._fetch()
        if update_cache:
            self._cache[cache_key] = data
        self._populate(data)
