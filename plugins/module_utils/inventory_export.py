# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What exists, as the inventory that ``tenant_onboarding`` manages (``acronis_inventory_export``).

The subtree is read in a few paged requests (tenants with their offering items, then every user with their
access policies) and each partner, customer and unit becomes a host whose ``tenant_onboarding_*`` variables
say what the tenant is now, so that the onboarding of the exported inventory changes nothing. The inventory is
written as YAML in one stable form (keys sorted, lists sorted), so that an export of an unchanged world gives
the same file, and it can be merged into an existing inventory file without losing the variables the export
does not own.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import fnmatch
import re

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    yaml = None
    HAS_YAML = False

from ansible.module_utils.six.moves.urllib.parse import urlparse

from ansible_collections.acronis.cyber_platform.plugins.module_utils import branding, users
from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import API_PREFIX
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.host_names import unique_slugs
from ansible_collections.acronis.cyber_platform.plugins.module_utils.tenants import MFA_ON
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import cap_list

# The group of each kind of tenant that becomes a host: the plays of playbooks/onboard_partner.yml.
GROUP_OF_KIND = {"partner": "partners", "customer": "customers", "unit": "units"}
# A folder is no host (no play onboards folders): its children name it by tenant_onboarding_parent_id.

# The fields of tenant_onboarding_contact, and of an administrator's contact, that the role manages.
TENANT_CONTACT_FIELDS = ("email", "firstname", "lastname", "phone", "address1", "address2", "city", "state",
                         "zipcode", "country", "title", "website", "industry", "organization_size")
ADMIN_CONTACT_FIELDS = ("email", "firstname", "lastname", "phone")
# The brand fields of tenant_onboarding_brand that can be read back: never smtp_password (a secret), nor logo
# (a file on the controller).
BRAND_FIELDS = tuple(f for f in branding.FIELDS if f != branding.SMTP_PASSWORD)

# The host variables the export owns: on a merge, a host's owned variables are replaced by what the export
# found (removed when it found nothing), and every other variable of the host is kept as it is.
EXPORTED_VARS = (
    "tenant_onboarding_name", "tenant_onboarding_parent", "tenant_onboarding_parent_id",
    "tenant_onboarding_customer_id", "tenant_onboarding_internal_tag", "tenant_onboarding_language",
    "tenant_onboarding_contact", "tenant_onboarding_enabled", "tenant_onboarding_management_mode",
    "tenant_onboarding_mfa", "tenant_onboarding_enhanced_security", "tenant_onboarding_production",
    "tenant_onboarding_edition", "tenant_onboarding_all_offering_items", "tenant_onboarding_offering_items",
    "tenant_onboarding_brand", "tenant_onboarding_administrators",
)
# The data center of the export: a group data_center_<name> of every host the export found, as the tenants
# inventory plugin groups its hosts, whose variables are the ones the playbooks' module_defaults read for a host's
# connection (acronis_base_url, acronis_credentials_file) and its name. Never a client ID or secret: those stay in
# the credentials file, the environment or the group's hand-written (vaulted) variables, which a merge keeps.
DATA_CENTER_PREFIX = "data_center_"
# What an administrator's entry says about how to do the job rather than what exists: a merge keeps these of a
# hand-written entry of the same login.
ADMIN_CHOICES = ("activation", "purge_roles")

HEADER = ("# Written by acronis.cyber_platform.acronis_inventory_export: one host per partner, customer and unit,\n"
          "# with the tenant_onboarding variables that say what each tenant is. Run\n"
          "#   ansible-playbook -i THIS_FILE acronis.cyber_platform.onboard_partner --check --diff\n"
          "# to see what differs (nothing, right after the export).\n")


def _text(value):
    """A string the service returned, or None when it is unset or empty."""
    if value is None:
        return None
    value = str(value)
    return value if value.strip() else None


# ------------------------------------------------------------------ which tenants

def select(tenants, root_id, partner=None, name_patterns=None):
    """The tenants of the subtree that become hosts (or parents of hosts), parents before children.

    ``tenants`` is ``list_subtree``'s answer (with depths). ``partner`` (a name or an ID) keeps one partner of
    the subtree with its own subtree; ``name_patterns`` (shell patterns, compared without regard to case) keeps
    the tenants whose name, or an ancestor's name below the root, matches one, each with its subtree. The root
    is a host only when it is the partner asked for.
    """
    by_id = dict((t["id"], t) for t in tenants)
    top = root_id
    if partner:
        top = find_partner(tenants, root_id, partner)["id"]
    patterns = [p.casefold() for p in name_patterns or ()]

    def chain(tenant):
        """The tenant and its ancestors up to (and without) the root of the export."""
        while tenant is not None and tenant["id"] != root_id:
            yield tenant
            tenant = by_id.get(tenant.get("parent_id"))

    def wanted(tenant):
        ancestors = list(chain(tenant))
        if top != root_id and top not in [t["id"] for t in ancestors]:
            return False
        if tenant["id"] == root_id or tenant.get("deleted_at"):
            return False
        return not patterns or any(fnmatch.fnmatchcase((t.get("name") or "").casefold(), p)
                                   for t in ancestors for p in patterns)

    return [t for t in tenants if wanted(t)]


def find_partner(tenants, root_id, partner):
    """The partner of the subtree named (or with the ID) ``partner``; fails listing the partners otherwise."""
    partners = [t for t in tenants if t.get("kind") == "partner" and not t.get("deleted_at")]
    by_id = [t for t in partners if t["id"] == partner]
    if by_id:
        return by_id[0]
    named = [t for t in partners if (t.get("name") or "").casefold() == partner.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        raise AcronisFailure("Option partner: %d partners under %s are named %r (%s); give the ID of the one to "
                             "export." % (len(named), root_id, partner, cap_list(sorted(t["id"] for t in named))))
    raise AcronisFailure("Option partner: no partner named or with the ID %r under tenant %s. Its partners: %s."
                         % (partner, root_id, cap_list(sorted(t.get("name") or t["id"] for t in partners),
                                                       near=partner)))


def hosts_of(selected):
    """{tenant id: host name} for the tenants that become hosts (partners, customers, units): slugs of their
    names, made unique as the tenants inventory plugin makes them."""
    hosts = [t for t in selected if t.get("kind") in GROUP_OF_KIND]
    return unique_slugs(hosts)[0]


def keep_existing_names(names, tenants_by_id, existing, elsewhere=()):
    """``names`` with the host name an existing inventory gives a tenant, when it names that tenant alone.

    ``existing`` is {host name: its tenant name} (``tenant_onboarding_name``, else ``acronis_name``, else the host
    name). A host is matched by its tenant's name, compared without regard to case, when neither the export nor
    the inventory holds that name twice; a new host whose slug an existing host already has gets the start of its
    tenant's ID, as the inventory plugin names a slug that two tenants share. The hosts of ``elsewhere`` (those the
    inventory puts in another data center) are never matched, and their names stay theirs.
    """
    def counted(values):
        counts = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        return counts

    candidates = dict((host, name) for host, name in existing.items() if host not in elsewhere)
    exported = counted((tenants_by_id[tid].get("name") or "").casefold() for tid in names)
    written = counted(name.casefold() for name in candidates.values())
    host_by_name = dict((name.casefold(), host) for host, name in candidates.items())
    result = {}
    for tid, host in names.items():
        name = (tenants_by_id[tid].get("name") or "").casefold()
        if exported.get(name) == 1 and written.get(name) == 1:
            result[tid] = host_by_name[name]
    taken = set(result.values())
    for tid, host in names.items():
        if tid in result:
            continue
        if host in existing or host in taken:
            host = "%s-%s" % (host, tid[:8].lower())
        result[tid] = host
        taken.add(host)
    return result


# ------------------------------------------------------------------ the data center

def root_url(base_url):
    """A data center's URL without a trailing slash or /api/2, as the client and the inventory plugin keep it."""
    root = (base_url or "").rstrip("/")
    return root[:-len(API_PREFIX)] if root.endswith(API_PREFIX) else root


def default_data_center_name(base_url):
    """The name of a data center when none is given: its host name (and port), every run of characters other than
    letters and digits one ``_`` (https://eu2-cloud.acronis.com gives eu2_cloud_acronis_com)."""
    parsed = urlparse(root_url(base_url))
    where = (parsed.hostname or "") + (":%d" % parsed.port if parsed.port else "")
    return re.sub(r"[^a-z0-9]+", "_", where.lower()).strip("_")[:64] or "default"


def data_center(name, base_url, credentials_file=None):
    """{name, group, vars} of the data center an export reads: the group's variables say where its hosts live."""
    group_vars = {"acronis_data_center": name, "acronis_base_url": root_url(base_url)}
    if credentials_file:
        group_vars["acronis_credentials_file"] = credentials_file
    return {"name": name, "group": DATA_CENTER_PREFIX + name, "vars": group_vars}


def data_center_marks(inventory):
    """{host name: its data center marks} of a YAML inventory: ("name", x) for each group data_center_<x> that
    holds it (directly or as a child group) and each ``acronis_data_center`` in its variables or its groups', and
    ("url", root) for each ``acronis_base_url`` there."""
    marks = {}

    def of_vars(group_vars):
        found = set()
        if isinstance(group_vars, dict):
            if isinstance(group_vars.get("acronis_data_center"), str):
                found.add(("name", group_vars["acronis_data_center"]))
            if isinstance(group_vars.get("acronis_base_url"), str):
                found.add(("url", root_url(group_vars["acronis_base_url"])))
        return found

    def walk(name, group, inherited):
        if not isinstance(group, dict):
            return
        here = set(inherited) | of_vars(group.get("vars"))
        if name.startswith(DATA_CENTER_PREFIX):
            here.add(("name", name[len(DATA_CENTER_PREFIX):]))
        for host, host_vars in (group.get("hosts") or {}).items():
            marks.setdefault(host, set()).update(here | of_vars(host_vars))
        for child_name, child in (group.get("children") or {}).items():
            walk(child_name, child, here)

    for name, group in (inventory or {}).items():
        walk(name, group, set())
    return marks


def elsewhere(marks, center):
    """Whether a host with these marks is of another data center than ``center``: its URL says another one, or,
    without a URL, its name does. A host with no mark may be of any."""
    urls = set(value for kind, value in marks if kind == "url")
    if urls:
        return urls != set([center["vars"]["acronis_base_url"]])
    names = set(value for kind, value in marks if kind == "name")
    return bool(names) and names != set([center["name"]])


def hosts_elsewhere(inventory, center):
    """The hosts of an existing inventory that it puts in another data center than ``center``."""
    return set(host for host, marks in data_center_marks(inventory).items() if elsewhere(marks, center))


def check_data_center(inventory, center, dest):
    """Fail when the existing inventory gives this export's group another data center, or this data center
    another group: a merge would move hosts from one data center to the other."""
    groups = {}
    for name, group in (inventory or {}).items():
        _data_center_groups(name, group, groups)
    ours = center["vars"]["acronis_base_url"]
    for group, group_vars in sorted(groups.items()):
        url = group_vars.get("acronis_base_url")
        url = root_url(url) if isinstance(url, str) else None
        if group == center["group"] and url not in (None, ours):
            raise AcronisFailure("Option data_center: group %s of %s is data center %s, and this export reads %s. "
                                 "Give this data center another data_center name." % (group, dest, url, ours))
        if group != center["group"] and url == ours:
            raise AcronisFailure("Option data_center: %s already has data center %s as group %s. Set data_center=%s "
                                 "to merge into it." % (dest, ours, group, group[len(DATA_CENTER_PREFIX):]))


def _data_center_groups(name, group, found):
    """{data_center_<name>: its vars} over an inventory group and its children."""
    if not isinstance(group, dict):
        return
    if name.startswith(DATA_CENTER_PREFIX):
        found[name] = group.get("vars") if isinstance(group.get("vars"), dict) else {}
    for child_name, child in (group.get("children") or {}).items():
        _data_center_groups(child_name, child, found)


# ------------------------------------------------------------------ the variables of one tenant

def tenant_vars(tenant, parent_host, users_of_tenant, brand=None, notes=None):
    """The ``tenant_onboarding_*`` variables that say what ``tenant`` is now.

    ``parent_host`` is the parent's host name when the parent is a host of the export (else the parent's ID is
    written); ``users_of_tenant`` its users with their access policies; ``brand`` its own brand, if it has one.
    ``notes`` collects what the inventory cannot say (a role on another tenant, a user without an e-mail).
    """
    kind = tenant.get("kind")
    host = {"tenant_onboarding_name": tenant["name"]}
    if parent_host:
        host["tenant_onboarding_parent"] = parent_host
    else:
        host["tenant_onboarding_parent_id"] = tenant["parent_id"]
    for field in ("customer_id", "internal_tag", "language"):
        if _text(tenant.get(field)) is not None:
            host["tenant_onboarding_" + field] = tenant[field]
    contact = dict((k, (tenant.get("contact") or {})[k]) for k in TENANT_CONTACT_FIELDS
                   if _text((tenant.get("contact") or {}).get(k)) is not None)
    if contact:
        host["tenant_onboarding_contact"] = contact
    if tenant.get("enabled") is not None:
        host["tenant_onboarding_enabled"] = bool(tenant["enabled"])
    if tenant.get("ancestral_access") is not None:
        host["tenant_onboarding_management_mode"] = "managed" if tenant["ancestral_access"] else "self_service"
    if kind in ("partner", "customer") and tenant.get("mfa_status"):
        # Units and folders follow their ancestors' MFA: the role does not manage it for them.
        host["tenant_onboarding_mfa"] = tenant["mfa_status"] in MFA_ON
    enhanced = (tenant.get("settings") or {}).get("enhanced_security", tenant.get("enhanced_security"))
    if enhanced:
        # One-way; written only when the service reports it on (the role leaves it alone otherwise).
        host["tenant_onboarding_enhanced_security"] = True
    if tenant.get("pricing_mode") in ("trial", "production"):
        host["tenant_onboarding_production"] = tenant["pricing_mode"] == "production"
    edition, items = offering_items(tenant.get("offering_items") or [])
    host["tenant_onboarding_edition"] = edition
    if kind == "partner":
        # The role's default for a partner is every item its parent offers: the export names them instead.
        host["tenant_onboarding_all_offering_items"] = False
    if items:
        host["tenant_onboarding_offering_items"] = items
    if brand:
        fields = brand_fields(brand)
        if fields:
            host["tenant_onboarding_brand"] = fields
    admins = [a for a in (administrator(u, notes) for u in users_of_tenant) if a is not None]
    if admins:
        host["tenant_onboarding_administrators"] = sorted(admins, key=lambda a: a["login"].casefold())
    return host


def brand_fields(brand):
    """The options of acronis_branding that give ``brand`` (a brand as the service returns it): the fields set,
    its booleans as booleans (the service answers ``smtp_override`` as 0 or 1), ``smtp_port`` when one is set."""
    fields = {}
    for key in BRAND_FIELDS:
        value = brand.get(key)
        if value is None or value == "" or key == "smtp_port" and not value:
            continue
        fields[key] = bool(value) if key in branding.BOOLEAN_FIELDS + ("smtp_override",) else value
    return fields


def offering_items(items):
    """(edition, entries) for the enabled offering items of a tenant (``with_offering_items``' list).

    The edition is the one every enabled item belongs to, else ``*``. An entry names its item (and its
    infrastructure, and its application when another item of the tenant has the same name and infrastructure),
    with its quota: ``unlimited: true`` when it has no value, so that a quota set later shows as drift.
    """
    enabled = [i for i in items if int(i.get("status") or 0) == 1]
    editions = set(i.get("edition") for i in enabled if i.get("edition"))
    edition = editions.pop() if len(editions) == 1 else "*"
    seen = {}
    for item in items:
        key = (item.get("name"), item.get("infra_id") or "")
        seen[key] = seen.get(key, 0) + 1
    entries = []
    for item in enabled:
        entry = {"name": item["name"]}
        if item.get("infra_id"):
            entry["infra_id"] = item["infra_id"]
        if seen[(item.get("name"), item.get("infra_id") or "")] > 1:
            entry["application_id"] = item["application_id"]
        quota = item.get("quota") or {}
        entry["quota"] = {"unlimited": True} if quota.get("value") is None else {"value": int(quota["value"])}
        if quota.get("overage") is not None:
            entry["quota"]["overage"] = int(quota["overage"])
        entries.append(entry)
    entries.sort(key=lambda e: (e["name"], e.get("infra_id", ""), e.get("application_id", "")))
    return edition, entries


def administrator(user, notes=None):
    """A user as an entry of ``tenant_onboarding_administrators``, or None for a user the role cannot describe.

    ``activation`` says the state: V(email) for an activated user (nothing left to send), V(none) for one who
    has not activated the account (the onboarding of the export sends nothing; set V(email) or V(password) to
    activate them). Only the roles on the user's own tenant that the role knows are written; the others are noted.
    """
    notes = notes if notes is not None else []
    login = user.get("login")
    contact = user.get("contact") or {}
    if not _text(contact.get("email")):
        notes.append("user %s has no e-mail address, which an administrator entry needs: left out" % login)
        return None
    entry = {"login": login}
    for field in ADMIN_CONTACT_FIELDS:
        if _text(contact.get(field)) is not None:
            entry[field] = contact[field]
    if _text(user.get("language")) is not None:
        entry["language"] = user["language"]
    if user.get("enabled") is not None:
        entry["enabled"] = bool(user["enabled"])
    notifications = sorted(n for n in user.get("notifications") or () if n in users.NOTIFICATIONS)
    if notifications:
        entry["notifications"] = notifications
    roles = set()
    for policy in user.get("access_policies") or ():
        role, where = policy.get("role_id"), policy.get("tenant_id")
        if where not in (None, user.get("tenant_id")):
            notes.append("user %s has role %s on tenant %s, which an administrator entry cannot say: left out "
                         "(the onboarding leaves it as it is)" % (login, role, where))
        elif role not in users.ROLES:
            notes.append("user %s has role %s, which tenant_onboarding does not manage: left out" % (login, role))
        else:
            roles.add(role)
    entry["roles"] = sorted(roles)
    entry["activation"] = "email" if user.get("activated") else "none"
    return entry


def build(selected, hosts, users_by_tenant, brands, notes, center=None):
    """The inventory: ``all`` with the connection vars, a group per kind (partners, customers, units) and, with
    ``center`` (``data_center()``), the group of the data center with every host and the data center's vars."""
    groups = dict((group, {}) for group in GROUP_OF_KIND.values())
    for tenant in selected:
        if tenant["id"] not in hosts:
            continue
        host_vars = tenant_vars(tenant, hosts.get(tenant.get("parent_id")), users_by_tenant.get(tenant["id"], []),
                                brands.get(tenant["id"]), notes)
        groups[GROUP_OF_KIND[tenant["kind"]]][hosts[tenant["id"]]] = host_vars
    children = dict((group, {"hosts": members}) for group, members in groups.items())
    if center:
        members = dict((host, {}) for kind_hosts in groups.values() for host in kind_hosts)
        children[center["group"]] = {"vars": dict(center["vars"]), "hosts": members}
    return {"all": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "children": children,
    }}


# ------------------------------------------------------------------ merging into an existing inventory

def host_holders(group, found=None):
    """{host name: the ``hosts`` mapping that holds it} over a YAML inventory group and its children.

    The mapping that gives the host variables wins over one that only lists it (``host: {}``, as the group of a
    data center lists its hosts), whichever comes first.
    """
    found = {} if found is None else found
    listed = {}

    def walk(group):
        if not isinstance(group, dict):
            return
        for host, host_vars in (group.get("hosts") or {}).items():
            (found if host_vars else listed).setdefault(host, group["hosts"])
        for child in (group.get("children") or {}).values():
            walk(child)

    walk(group)
    for host, holder in listed.items():
        found.setdefault(host, holder)
    return found


def existing_tenant_names(inventory):
    """{host name: the tenant name the host onboards} of an existing YAML inventory."""
    names = {}
    for top in (inventory or {}).values():
        for host, holder in host_holders(top).items():
            host_vars = holder.get(host) or {}
            name = host_vars.get("tenant_onboarding_name") or host_vars.get("acronis_name") or host
            names[host] = str(name)
    return names


def merge(existing, exported, center=None):
    """``exported`` merged into ``existing`` (a YAML inventory), which is not changed.

    A host of the export found in the inventory (in any group) keeps its place and every variable the export
    does not own; its owned variables (EXPORTED_VARS) become the export's, and the entries of its
    administrators keep the hand-written ``activation`` and ``purge_roles`` of their login. A new host goes to
    its kind's group under ``all``. With ``center``, every host of the export is listed in the data center's
    group (made under ``all`` when the inventory has none), whose variables get the export's (its name, URL and,
    when the export read one, credentials file); its other variables (a client ID, a vaulted secret) are kept. Hosts, groups and group variables the export does
    not name are kept.
    """
    merged = copy.deepcopy(existing) if isinstance(existing, dict) else {}
    holders = {}
    for group in merged.values():
        host_holders(group, holders)
    top = _mapping(merged, "all")
    children = _mapping(top, "children")
    for group in GROUP_OF_KIND.values():
        if group not in merged:
            _mapping(_mapping(children, group), "hosts")
        for host, new_vars in exported["all"]["children"][group]["hosts"].items():
            holder = holders.get(host)
            if holder is None:
                holder = _mapping(merged[group] if group in merged else children[group], "hosts")
            old_vars = holder.get(host) or {}
            host_vars = dict((k, v) for k, v in old_vars.items() if k not in EXPORTED_VARS)
            host_vars.update(new_vars)
            if "tenant_onboarding_administrators" in new_vars:
                host_vars["tenant_onboarding_administrators"] = merged_admins(
                    old_vars.get("tenant_onboarding_administrators") or [], new_vars["tenant_onboarding_administrators"])
            holder[host] = host_vars
    if center:
        found = {}
        for name, group in merged.items():
            _find_group(name, group, center["group"], found)
        group = found.get(center["group"]) or _mapping(children, center["group"])
        _mapping(group, "vars").update(center["vars"])
        members = _mapping(group, "hosts")
        for host in exported["all"]["children"][center["group"]]["hosts"]:
            members.setdefault(host, {})
    top_vars = _mapping(top, "vars")
    for key, value in exported["all"]["vars"].items():
        top_vars.setdefault(key, value)
    return merged


def _find_group(name, group, wanted, found):
    """``found[wanted]``: the first group named ``wanted`` in an inventory group and its children."""
    if not isinstance(group, dict) or wanted in found:
        return
    if name == wanted:
        found[wanted] = group
        return
    for child_name, child in (group.get("children") or {}).items():
        _find_group(child_name, child, wanted, found)


def _mapping(parent, key):
    """``parent[key]``, made an empty mapping when it is missing or empty (``hosts:`` with nothing after it)."""
    if not parent.get(key):
        parent[key] = {}
    return parent[key]


def merged_admins(old, new):
    """The exported administrator entries, each with the ADMIN_CHOICES of the hand-written entry of its login."""
    choices = dict(((e.get("login") or "").casefold(), dict((k, e[k]) for k in ADMIN_CHOICES if k in e))
                   for e in old if isinstance(e, dict))
    return [dict(entry, **choices.get(entry["login"].casefold(), {})) for entry in new]


# ------------------------------------------------------------------ YAML, in one stable form

if HAS_YAML:
    class TaggedScalar(object):
        """A scalar with a local tag (``!vault``, ``!unsafe``) of a hand-written inventory, kept as written."""

        def __init__(self, tag, value, style):
            self.tag, self.value, self.style = tag, value, style

        def __eq__(self, other):
            return isinstance(other, TaggedScalar) and (self.tag, self.value) == (other.tag, other.value)

        def __ne__(self, other):
            return not self == other

        __hash__ = None

    class InventoryLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
        """SafeLoader that keeps the local tags of scalars instead of refusing them."""

    def _construct_tagged(loader, tag_suffix, node):
        if not isinstance(node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(None, None, "only a scalar may carry the tag !%s" % tag_suffix,
                                                    node.start_mark)
        return TaggedScalar("!" + tag_suffix, loader.construct_scalar(node), node.style)

    InventoryLoader.add_multi_constructor("!", _construct_tagged)

    class InventoryDumper(yaml.SafeDumper):  # pylint: disable=too-many-ancestors
        """SafeDumper that indents lists under their key and writes TaggedScalar back with its tag."""

        def increase_indent(self, flow=False, indentless=False):
            return super(InventoryDumper, self).increase_indent(flow, False)

        def ignore_aliases(self, data):
            return True

    def _represent_tagged(dumper, data):
        return dumper.represent_scalar(data.tag, data.value, style=data.style or None)

    InventoryDumper.add_representer(TaggedScalar, _represent_tagged)


def load(text):
    """A YAML inventory file's content, its ``!vault`` (and other tagged) values kept as written."""
    return yaml.load(text, Loader=InventoryLoader) or {}  # nosec - a SafeLoader


def dump(inventory):
    """The inventory as YAML: the header, then keys sorted and lists indented, the same text for the same data."""
    body = yaml.dump(inventory, Dumper=InventoryDumper, sort_keys=True, default_flow_style=False,
                     allow_unicode=True, width=1000, indent=2, explicit_start=True)
    return HEADER + body
