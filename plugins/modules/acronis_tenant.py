#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_tenant
short_description: Create, configure, lock and delete tenants of the Acronis Cyber Platform
version_added: 0.1.0
description:
  - Makes sure a partner, folder, customer or unit tenant exists with the properties you name, or that it is gone.
  - A tenant is named by O(id), or by O(name) under a parent tenant (O(parent_id)).
  - Every property option left unset means "leave it as it is"; only the properties you set are compared and changed.
  - Updates send the tenant's current version; when the service answers that the version is outdated,
    the module reads the tenant again and retries once.
  - "Looking a tenant up by name costs the same whatever the number of its siblings: the module asks the service's
    search index, then reads the candidate to confirm it. Because the index can lag behind recent writes, the module
    never concludes from the search alone that a tenant does not exist: a create that the service refuses because the
    name exists (error 1004), or whose outcome was lost, is resolved by reading the parent's children, never by
    creating a second tenant. A lost create whose tenant is not there is sent again, within O(backoff_retries)."
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
  - acronis.cyber_platform.state_absent
options:
  state:
    description:
      - V(present) creates the tenant when it does not exist and applies the properties you set.
      - V(absent) disables the tenant, then deletes it with its current version.
        A tenant with children is refused unless O(remove_subtree=true).
      - With V(absent), O(enabled), O(customer_id), O(internal_tag), O(language), O(contact), O(ancestral_access),
        O(enhanced_security), O(mfa_enabled), O(pricing_mode) are refused (see the notes).
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - ID of the tenant. The tenant must exist.
      - With O(id), O(name) is the name the tenant must have (the module renames it when it differs).
      - In check mode, a check-mode placeholder ID returned by an earlier task means the tenant would have been
        created by that task; the module then reports the whole desired state as a change without reading anything.
    type: str
  name:
    description:
      - Name of the tenant under its parent. Names are unique among siblings, whatever their kind, and compared
        without regard to case.
      - Required unless O(id) is set.
    type: str
  parent_id:
    description:
      - ID of the parent tenant, used with O(name).
      - Defaults to the tenant the API client belongs to.
      - A check-mode placeholder ID (a parent that an earlier task would create) means this tenant would be created too.
      - Moving a tenant to another parent is not supported; with O(id), O(parent_id) must be the tenant's current parent.
    type: str
  kind:
    description:
      - Kind of the tenant. Required to create one.
      - An existing tenant can only change between V(partner) and V(folder); any other change of kind fails
        before anything is changed.
    type: str
    choices: [partner, folder, customer, unit]
  enabled:
    description:
      - Whether the tenant is enabled. A disabled tenant's users cannot log in.
    type: bool
  customer_id:
    description:
      - ID of the tenant in your own systems, used in reports.
    type: str
  internal_tag:
    description:
      - A free-form tag, visible to the tenant's ancestors only.
    type: str
  language:
    description:
      - Preferred language of the tenant, for example V(en), V(de) or V(pt_BR).
    type: str
  contact:
    description:
      - Contact information of the tenant. Only the fields you set are compared and changed.
    type: dict
    suboptions:
      email:
        description: Email address.
        type: str
      firstname:
        description: First name of the contact person.
        type: str
      lastname:
        description: Last name of the contact person.
        type: str
      phone:
        description: Phone number.
        type: str
      address1:
        description: First line of the postal address.
        type: str
      address2:
        description: Second line of the postal address.
        type: str
      city:
        description: City.
        type: str
      state:
        description: State or region.
        type: str
      zipcode:
        description: Postal code.
        type: str
      country:
        description: Country.
        type: str
      title:
        description: Title of the contact person.
        type: str
      website:
        description: Web site.
        type: str
      industry:
        description: Industry.
        type: str
      organization_size:
        description: Size of the organization, for example V(50-100).
        type: str
  ancestral_access:
    description:
      - Whether the tenant's indirect ancestors can access it.
    type: bool
  enhanced_security:
    description:
      - Enhanced security (PCI DSS mode) of the tenant. It is one-way; once on, it cannot be switched off.
      - The service takes it when the tenant is created. For an existing tenant it is compared and changed only when
        the service reports the tenant's setting; otherwise the module leaves it as it is and says so in a warning.
      - Asking for V(false) on a tenant whose enhanced security is on fails before anything is changed.
    type: bool
  mfa_enabled:
    description:
      - Whether two-factor authentication is required in the tenant (C(PUT /tenants/{id}/mfa/status)).
      - The service does not manage it for folders and units (they follow their ancestors); setting it on one fails
        before anything is changed.
    type: bool
  pricing_mode:
    description:
      - Pricing mode of the tenant. Customers are created in V(trial).
      - V(trial) to V(production) is one-way; asking for V(trial) on a tenant in production fails before anything is
        changed.
    type: str
    choices: [trial, production]
  update_lock:
    description:
      - Whether the tenant is locked against updates by anyone but users of the tenant that owns the lock
        (your API client's tenant when this module locks it).
      - V(false) unlocks the tenant first, before any other change of the same task, so a task can unlock a tenant
        and change it. V(true) locks it last, after the other changes.
      - Changing (or deleting) a tenant locked by another tenant fails before any request that writes, because the
        service would refuse it with its error 1012.
    type: bool
  remove_subtree:
    description:
      - With O(state=absent), delete the tenant's children and all their descendants too, deepest first.
      - Without it, deleting a tenant that has children fails before anything is changed.
    type: bool
    default: false
  allow_client_tenant:
    description:
      - Let O(state=absent) or O(enabled=false) act on the tenant of the API client itself, or on a tenant that is not
        below it (an ancestor). Without it, such a task fails before any write, because it would lock out the API
        client and every tenant below it.
      - With it, the task warns that it does so, in check mode too.
    type: bool
    default: false
notes:
  - In check mode, a tenant that would be created is returned with an C(id) that is a check-mode placeholder
    (it starts with C(00000000-0000-0000-c4ec-)), so that later tasks of a C(--check) run that use it
    (users, offering items, child tenants) can predict their own changes.
seealso:
  - module: acronis.cyber_platform.acronis_tenant_info
  - module: acronis.cyber_platform.acronis_api_client
'''

EXAMPLES = r'''
- name: Manage the tenants of a partner
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/acronis.cyber_platform.acronis:
      base_url: "{{ acronis_base_url }}"
      client_id: "{{ acronis_client_id }}"
      client_secret: "{{ acronis_client_secret }}"
  tasks:
    - name: A customer under the API client's own tenant
      acronis.cyber_platform.acronis_tenant:
        name: Acme Corp
        kind: customer
        customer_id: CRM-0042
        language: en
        contact:
          email: it@acme.example
          firstname: Ada
          lastname: Lovelace
      register: acme

    - name: A unit under it (works in --check too, with the placeholder id of a customer not created yet)
      acronis.cyber_platform.acronis_tenant:
        name: Acme Finance
        parent_id: "{{ acme.tenant.id }}"
        kind: unit

    - name: Move the customer to production and require two-factor authentication
      acronis.cyber_platform.acronis_tenant:
        id: "{{ acme.tenant.id }}"
        pricing_mode: production
        mfa_enabled: true

    - name: Lock it against changes from the management console
      acronis.cyber_platform.acronis_tenant:
        id: "{{ acme.tenant.id }}"
        update_lock: true

    - name: Unlock it and disable it in the same task
      acronis.cyber_platform.acronis_tenant:
        id: "{{ acme.tenant.id }}"
        update_lock: false
        enabled: false

    - name: Retire the customer and everything under it
      acronis.cyber_platform.acronis_tenant:
        name: Acme Corp
        state: absent
        remove_subtree: true
'''

RETURN = r'''
tenant:
  description:
    - The tenant as the service shows it after the task; in check mode, as it would be.
    - In check mode, a tenant that would be created has a placeholder C(id) and no C(version).
    - Empty when the tenant does not exist after the task (O(state=absent)).
  returned: always
  type: dict
  sample:
    id: 95303d96-628c-4265-9afa-07bee3fccf39
    version: 3
    name: Acme Corp
    kind: customer
    parent_id: ede9f834-70b3-476c-83d9-736f9f8c7dae
    enabled: true
    customer_id: CRM-0042
    customer_type: default
    internal_tag: null
    language: en
    contact:
      email: it@acme.example
      firstname: Ada
      lastname: Lovelace
    ancestral_access: true
    has_children: false
    update_lock:
      enabled: false
      owner_id: null
    mfa_status: enabled
    pricing_mode: production
    production_start_date: "2024-05-19T00:00:00"
    created_at: "2024-04-19T11:50:00+00:00"
    updated_at: "2024-04-19T11:52:00+00:00"
    deleted_at: null
created:
  description:
    - Whether the task created the tenant (in check mode, would create it). V(false) for a tenant that existed,
      also when a create that the service refused because the name exists found it.
    - Give it, with RV(tenant), to the tasks that manage the tenant's offering items and users
      (O(acronis.cyber_platform.acronis_offering_items#module:tenant_created),
      O(acronis.cyber_platform.acronis_user#module:tenant_created)), so that they do not read what a new tenant has.
  returned: always
  type: bool
  sample: true
removed:
  description: IDs of the tenants the task deleted (or would delete, in check mode), deepest first.
  returned: when O(state=absent)
  type: list
  elements: str
  sample: [9a1c0d6e-4b8f-4f57-9d8e-2f0f6c3c1a11, 95303d96-628c-4265-9afa-07bee3fccf39]
diff:
  description: Before and after of the fields that change (or would change); only in diff mode.
  returned: when diff mode is on and something changes
  type: dict
  sample:
    before:
      pricing_mode: trial
      mfa_status: disabled
    after:
      pricing_mode: production
      mfa_status: enabled
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    compare,
    is_placeholder_id,
    make_diff,
    merge,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisError,
    AcronisFailure,
    api_failure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import ADOPTED_OTHER_WRITER
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import (
    look_alike_warning,
    may_look_alike,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "id": validation.TENANT_ID,
    "parent_id": validation.TENANT_ID,
    "name": validation.TENANT_NAME,
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the object.
# (update_lock is not one: update_lock=false unlocks a tenant this task deletes.)
FIELDS_TO_SET = ("enabled", "customer_id", "internal_tag", "language", "contact", "ancestral_access",
                 "enhanced_security", "mfa_enabled", "pricing_mode")

CONTACT_OPTIONS = ("email", "firstname", "lastname", "phone", "address1", "address2", "city", "state", "zipcode",
                   "country", "title", "website", "industry", "organization_size")


# Options of acronis_tenant compared field by field with the tenant object.
PLAIN_FIELDS = ("kind", "enabled", "customer_id", "internal_tag", "language", "ancestral_access")


class TenantTask:
    """One run of the module: what the user asked for, what exists, and what to do about it."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.client = module.client
        self.label = "tenant %r" % (self.params["name"] or self.params["id"])
        self.posted = False   # True once this task's POST /tenants was answered
        self.asked_contact = None   # the contact fields the task names, when it changes the contact

    # ------------------------------------------------------------ desired state

    def desired_fields(self, addressed_by_id):
        """The tenant fields the task names (None = leave as it is)."""
        p = self.params
        fields = dict((key, p[key]) for key in PLAIN_FIELDS)
        if addressed_by_id:
            fields["name"] = p["name"]
        if p["contact"] is not None:
            fields["contact"] = dict((k, v) for k, v in p["contact"].items() if v is not None)
        if p["update_lock"] is not None:
            fields["update_lock"] = {"enabled": p["update_lock"]}
        return fields

    def desired_extras(self):
        """Properties that live outside the tenant object's PUT (pricing, MFA, enhanced security)."""
        p = self.params
        extras = {}
        if p["pricing_mode"] is not None:
            extras["pricing_mode"] = p["pricing_mode"]
        if p["mfa_enabled"] is not None:
            extras["mfa_status"] = "enabled" if p["mfa_enabled"] else "disabled"
        return extras

    # ----------------------------------------------------------------- lookup

    def parent_id(self):
        if self.params["parent_id"]:
            return self.params["parent_id"]
        with failing_to("authenticate as API client %s and read its tenant" % self.params["client_id"]):
            return self.client.client_tenant_id()

    def lookup(self, parent_id, authoritative):
        """The existing tenant, or None."""
        p = self.params
        if p["id"]:
            with failing_to("read %s" % self.label):
                tenant = tenants.get_tenant(self.client, p["id"])
            if tenant is None and p["state"] == "present":
                raise AcronisFailure("Tenant %s does not exist (or is not visible to this API client); "
                                     "to create a tenant, give its name and parent_id instead of id" % p["id"])
            if tenant is not None and p["parent_id"] and tenant["parent_id"] != p["parent_id"]:
                raise AcronisFailure("Tenant %s is under parent %s, not %s; moving tenants is not supported"
                                     % (p["id"], tenant["parent_id"], p["parent_id"]))
            return tenant
        with failing_to("look up %s under parent %s" % (self.label, parent_id)):
            return tenants.find_child_or_fail(self.client, parent_id, p["name"], self.label, authoritative=authoritative)

    # ------------------------------------------------------------- validation

    def validate_changes(self, tenant, changes, extras):
        """Refuse, before any write, what the service would refuse or could not undo."""
        name = tenant.get("name")
        if "kind" in changes:
            have, want = tenant.get("kind"), changes["kind"]
            if not (have in tenants.CHANGEABLE_KINDS and want in tenants.CHANGEABLE_KINDS):
                if self.params["id"]:
                    where = "is a %s" % have
                    advice = ""
                else:
                    where = "already exists under parent %s as a %s" % (tenant.get("parent_id"), have)
                    advice = ". Choose another name, or delete that tenant first"
                raise AcronisFailure(
                    "Tenant %r (%s) %s; a tenant's kind can change only between partner and folder, so it "
                    "cannot become a %s%s" % (name, tenant["id"], where, want, advice))
        if extras.get("pricing_mode") == "trial" and tenant.get("pricing_mode") != "trial":
            raise AcronisFailure(
                "Tenant %r (%s) is in %s pricing mode; the switch from trial to production is one-way, so it "
                "cannot go back to trial. Nothing was changed" % (name, tenant["id"], tenant.get("pricing_mode")))
        if "mfa_status" in extras and merge(tenant, changes).get("kind") in ("folder", "unit"):
            raise AcronisFailure(
                "Tenant %r (%s) is a %s; two-factor authentication is managed on its partner or customer, "
                "not on folders and units" % (name, tenant["id"], merge(tenant, changes).get("kind")))

    def check_lock(self, tenant):
        """Refuse, before any write, to change a tenant locked by another tenant (the service says 1012)."""
        lock = tenant.get("update_lock") or {}
        if not lock.get("enabled"):
            return
        with failing_to("find the tenant of the API client"):
            own = self.client.client_tenant_id()
        if lock.get("owner_id") in (None, own):
            return
        raise AcronisFailure(
            "Tenant %r (%s) is locked for updates by tenant %s: the service refuses to change it "
            "(error %s, tenant locked) for anyone but users of that tenant, and only they can unlock it "
            "(update_lock: false). Nothing was changed"
            % (tenant.get("name"), tenant["id"], lock.get("owner_id"), tenants.ERROR_TENANT_LOCKED))

    def enhanced_security_change(self, tenant):
        """{'enhanced_security': True} when it must be switched on; fails on a request to switch it off."""
        wanted = self.params["enhanced_security"]
        if wanted is None:
            return {}
        current = (tenant.get("settings") or {}).get("enhanced_security", tenant.get("enhanced_security"))
        if current is None:
            self.module.warn("The service does not report whether enhanced security is on for existing tenant %r, "
                             "so enhanced_security was left as it is; it is applied when a tenant is created"
                             % tenant.get("name"))
            return {}
        if current and not wanted:
            raise AcronisFailure(
                "Tenant %r (%s) has enhanced security on; it is one-way and cannot be switched off"
                % (tenant.get("name"), tenant["id"]))
        if wanted and not current:
            return {"enhanced_security": True}
        return {}

    # -------------------------------------------------------------- compare

    def plan(self, tenant, addressed_by_id, just_created=False):
        """(field changes, extra changes) to bring an existing tenant to the desired state."""
        changes = compare(self.desired_fields(addressed_by_id), tenant)
        extras = {}
        wanted = self.desired_extras()
        if "pricing_mode" in wanted and wanted["pricing_mode"] != tenant.get("pricing_mode"):
            extras["pricing_mode"] = wanted["pricing_mode"]
        if "mfa_status" in wanted and (wanted["mfa_status"] == "enabled") != tenants.mfa_enabled(tenant):
            extras["mfa_status"] = wanted["mfa_status"]
        self.validate_changes(tenant, changes, extras)
        es = {} if just_created else self.enhanced_security_change(tenant)
        if es:
            changes["settings"] = es
        if changes or extras:
            self.check_lock(tenant)
        return changes, extras

    # ------------------------------------------------------------------- act

    def put(self, tenant, body):
        """PUT the fields of ``body``; an outdated version is resolved by reading (``tenants.update_tenant``).

        An outdated version is what another writer's change, or the retry of a PUT whose answer was lost,
        gets: the tenant read again that already holds ``body`` needs nothing sent; otherwise ``body`` is sent
        again on it, with the contact fields the task does not name as the other writer left them.
        """
        asked_contact = self.asked_contact

        def rebase(fresh):
            again = dict(body)
            if "contact" in body and asked_contact is not None:
                contact = merge(fresh.get("contact") or {}, asked_contact)
                again["contact"] = dict((k, v) for k, v in contact.items()
                                        if k in tenants.CONTACT_FIELDS and v is not None)
            return again

        with failing_to("update %s" % self.label):
            return tenants.update_tenant(self.client, tenant["id"], tenant["version"], body, rebase=rebase)

    def apply(self, tenant, changes, extras):
        """Send the changes: unlock first, then fields, pricing, MFA, and lock last. ``tenant`` is not modified."""
        tenant = dict(tenant)
        lock = changes.pop("update_lock", None)
        if lock is not None and not lock["enabled"]:
            tenant = self.put(tenant, {"update_lock": lock})
            lock = None
        if lock is not None and not extras:
            changes["update_lock"] = lock
            lock = None
        if "contact" in changes:
            # Send the whole contact, so that a service that replaces it keeps the fields left unset.
            self.asked_contact = changes["contact"]
            contact = merge(tenant.get("contact") or {}, changes["contact"])
            changes["contact"] = dict((k, v) for k, v in contact.items()
                                      if k in tenants.CONTACT_FIELDS and v is not None)
        if changes:
            tenant = self.put(tenant, changes)
        # The failure returns the tenant as far as it got: the block fills it in as each write succeeds.
        with failing_to("update %s" % self.label, tenant=tenant):
            if "pricing_mode" in extras:
                pricing = tenants.set_pricing_mode(self.client, tenant["id"], extras["pricing_mode"])
                tenant["pricing_mode"] = pricing.get("mode", extras["pricing_mode"])
                if "production_start_date" in pricing:
                    tenant["production_start_date"] = pricing["production_start_date"]
            if "mfa_status" in extras:
                # A tenant this task's POST created has the status it was created with: no read first.
                status = tenants.set_mfa(self.client, tenant["id"], extras["mfa_status"] == "enabled",
                                         read_first=not self.posted)
                tenant["mfa_status"] = status.get("mfa_status", extras["mfa_status"])
        if lock is not None:
            tenant = merge(self.put(tenant, {"update_lock": lock}),
                           dict((k, tenant[k]) for k in ("pricing_mode", "mfa_status", "production_start_date")
                                if k in tenant))
        return tenant

    def create(self, parent_id):
        """POST the tenant; a name conflict or a lost answer is resolved by reading, never by posting again."""
        p = self.params
        body = {"name": p["name"], "kind": p["kind"], "parent_id": parent_id}
        for key in ("enabled", "customer_id", "internal_tag", "language", "ancestral_access"):
            if p[key] is not None:
                body[key] = p[key]
        if p["contact"] is not None:
            body["contact"] = dict((k, v) for k, v in p["contact"].items() if v is not None)
        if p["enhanced_security"] is not None:
            body["settings"] = {"enhanced_security": p["enhanced_security"]}
        try:
            tenant, adopted = tenants.create_tenant(self.client, body, parent_id=parent_id, name=p["name"])
            # An adopted tenant is ours (its POST lost its answer), but it is not told to later tasks as new:
            # a name conflict to a second attempt could also be an earlier run's tenant the search index missed.
            self.posted = not adopted
            # A tenant another writer created first is compared with the task like any tenant found.
            return tenant, adopted != ADOPTED_OTHER_WRITER
        except AcronisError as exc:
            if not exc.has_code(tenants.ERROR_TENANT_NAME_CONFLICT):
                raise api_failure(exc, "create %s under parent %s" % (self.label, parent_id))
            error = exc
        # The name is taken and no child of that name can be read (not even after a few tries).
        with failing_to("look up %s after a name conflict" % self.label):
            tenant = tenants.resolve_created_tenant(self.client, parent_id, p["name"])
        if tenant is None:
            raise AcronisFailure(
                "Cannot create %s under parent %s: the service says the name is taken (%s), but no tenant "
                "of that name is visible under that parent to this API client. The name belongs to a tenant "
                "this module cannot see or manage; choose another name" % (self.label, parent_id, error),
                error=error.to_dict())
        return tenant, False

    def delete(self, tenant):
        """Disable, then delete with the current version, the tenant (and its subtree, deepest first)."""
        if self.params["remove_subtree"]:
            with failing_to("list the subtree of %s" % self.label):
                victims = tenants.list_subtree(self.client, tenant["id"])
            victims.sort(key=lambda t: -t["depth"])
        else:
            victims = [tenant]
        for victim in victims:
            self.check_lock(victim)
        removed = [t["id"] for t in victims]
        if self.module.check_mode:
            return removed
        for victim in victims:
            self.delete_one(victim)
        return removed

    def delete_one(self, victim):
        label = "tenant %r (%s)" % (victim.get("name"), victim["id"])
        with failing_to("delete %s" % label):
            try:
                current = victim
                if current.get("update_lock", {}).get("enabled") and self.params["update_lock"] is False:
                    current = tenants.update_tenant(self.client, current["id"], current["version"],
                                                    {"update_lock": {"enabled": False}})
                if current.get("enabled"):
                    current = tenants.update_tenant(self.client, current["id"], current["version"], {"enabled": False})
                tenants.delete_tenant(self.client, current["id"], current["version"])
            except AcronisError as exc:
                if exc.not_found:
                    self.client.note_other_writer("deleted %s" % label)
                    return
                if getattr(exc, "status", None) != 409:
                    raise
                fresh = tenants.get_tenant(self.client, current["id"])
                if fresh is None:
                    self.client.note_other_writer("deleted %s" % label)
                    return
                tenants.delete_tenant(self.client, fresh["id"], fresh["version"])

    # ------------------------------------------------------------ the outcomes

    def result(self, changed, tenant, diff, **extra):
        """The task's result; ``diff`` only in diff mode."""
        result = dict(changed=changed, tenant=tenant, **extra)
        if self.module._diff:
            result["diff"] = diff
        return result

    def predict_under_placeholder(self):
        """Check mode, for a tenant (or a parent) that an earlier check-mode task would have created."""
        p = self.params
        if p["state"] == "absent":
            return dict(changed=False, tenant={}, removed=[], created=False)
        if p["kind"] is None and not p["id"]:
            raise AcronisFailure("kind is required to create %s" % self.label)
        tenant = predicted_new_tenant(p, p["parent_id"])
        if p["id"]:
            tenant["id"] = p["id"]
        return self.result(True, tenant, make_diff(None, tenant), created=not p["id"])

    def ensure_absent(self, current):
        """Delete the tenant (and its subtree with remove_subtree) when it exists."""
        if current is None:
            return dict(changed=False, tenant={}, removed=[], created=False)
        if current.get("has_children") and not self.params["remove_subtree"]:
            raise AcronisFailure("Tenant %r (%s) has child tenants; set remove_subtree=true to delete it with its "
                                 "whole subtree" % (current["name"], current["id"]))
        removed = self.delete(current)
        before = dict((k, current.get(k)) for k in ("id", "name", "kind", "parent_id"))
        return self.result(True, {}, make_diff(before, None), removed=removed, created=False)

    def ensure_created(self, parent_id):
        """Create the tenant under ``parent_id`` (predict it in check mode), then apply what POST cannot set."""
        p = self.params
        if p["kind"] is None:
            raise AcronisFailure("kind is required to create %s under parent %s" % (self.label, parent_id))
        self.warn_look_alikes(parent_id)
        if self.module.check_mode:
            tenant = predicted_new_tenant(p, parent_id)
            return self.result(True, tenant, make_diff(None, tenant), created=True)
        current, created = self.create(parent_id)
        changes, extras = self.plan(current, addressed_by_id=False, just_created=created)
        tenant = self.apply(current, dict(changes), extras) if (changes or extras) else current
        if created:
            diff = make_diff(None, merge(predicted_new_tenant(p, parent_id), {"id": tenant["id"]}))
        else:
            diff = make_diff(current, merge(changes, extras))
        # ``created`` tells later tasks that the tenant is new (no items, no users): only when the service said so.
        return self.result(created or bool(changes or extras), tenant, diff, created=self.posted)

    def warn_look_alikes(self, parent_id):
        """Warn when the new tenant's name looks like a sibling's (validation.look_alike_warning): both would
        show as the same host in the inventory.

        Only a name that could be a look-alike (validation.may_look_alike: a character beyond ASCII) costs the
        listing of the siblings; an ASCII name is caught when its look-alike is created.
        """
        if not may_look_alike(self.params["name"]):
            return
        with failing_to("list the tenants under parent %s" % parent_id):
            siblings = [child.get("name") for child in tenants.list_children(self.client, parent_id, lod="basic")]
        warning = look_alike_warning(self.params["name"], siblings, "tenant", " under parent %s" % parent_id)
        if warning:
            self.module.warn(warning)

    def ensure_updated(self, current):
        """Bring an existing tenant to the desired state."""
        changes, extras = self.plan(current, addressed_by_id=bool(self.params["id"]))
        if not changes and not extras:
            return dict(changed=False, tenant=current, created=False)
        all_changes = merge(changes, extras)
        # The diff is taken before apply(), which updates the tenant it is given in place.
        diff = make_diff(current, all_changes)
        if self.module.check_mode:
            tenant = merge(current, all_changes)
        else:
            tenant = self.apply(current, dict(changes), extras)
        return self.result(True, tenant, diff, created=False)


def predicted_new_tenant(params, parent_id):
    """The tenant a check-mode run would create, with a placeholder id."""
    tenant = {
        "id": placeholder_id("tenant", "%s/%s" % (parent_id, params["name"])),
        "name": params["name"], "kind": params["kind"], "parent_id": parent_id,
        "enabled": True if params["enabled"] is None else params["enabled"],
    }
    for key in ("customer_id", "internal_tag", "language", "ancestral_access"):
        if params[key] is not None:
            tenant[key] = params[key]
    if params["contact"] is not None:
        tenant["contact"] = dict((k, v) for k, v in params["contact"].items() if v is not None)
    if params["update_lock"] is not None:
        tenant["update_lock"] = {"enabled": params["update_lock"]}
    if params["pricing_mode"] is not None:
        tenant["pricing_mode"] = params["pricing_mode"]
    if params["mfa_enabled"] is not None:
        tenant["mfa_status"] = "enabled" if params["mfa_enabled"] else "disabled"
    return tenant


def ensure_not_above(module, current):
    """Refuse to delete or disable the API client's own tenant or one outside its subtree (an ancestor).

    Only O(allow_client_tenant) lets it, and then with a warning in every mode, --check included.
    """
    p = module.params
    if current is None or not (p["state"] == "absent" or (p["enabled"] is False and current.get("enabled", True))):
        return
    client = module.client
    with failing_to("check that tenant %r (%s) is below the tenant of the API client"
                    % (current.get("name"), current["id"])):
        own = client.client_tenant_id()
        below = tenants.is_strictly_below(client, current, own)
    if below:
        return
    what = "delete" if p["state"] == "absent" else "disable"
    where = "the tenant of the API client itself" if current["id"] == own else \
        "not below the tenant of the API client (%s): its own tenant or an ancestor" % own
    if not p["allow_client_tenant"]:
        raise AcronisFailure("Refusing to %s tenant %r (%s): it is %s, and doing so would lock out this API client and "
                             "every tenant below it. Nothing was changed. Check id/name; set allow_client_tenant=true "
                             "only if this is really meant." % (what, current.get("name"), current["id"], where))
    module.warn("allow_client_tenant=true: this task %s %s tenant %r (%s), which is %s."
                % ("would" if module.check_mode else "does", what, current.get("name"), current["id"], where))


def run(module):
    p = module.params
    task = TenantTask(module)
    if module.check_mode and (is_placeholder_id(p["id"]) or is_placeholder_id(p["parent_id"])):
        return task.predict_under_placeholder()

    parent_id = None if p["id"] else task.parent_id()
    current = task.lookup(parent_id, authoritative=module.check_mode or p["state"] == "absent")
    ensure_not_above(module, current)
    if p["state"] == "absent":
        return task.ensure_absent(current)
    if current is None:
        return task.ensure_created(parent_id)
    return task.ensure_updated(current)


def main():
    contact_spec = dict((key, dict(type="str")) for key in CONTACT_OPTIONS)
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        id=dict(type="str"),
        name=dict(type="str"),
        parent_id=dict(type="str"),
        kind=dict(type="str", choices=list(tenants.TENANT_KINDS)),
        enabled=dict(type="bool"),
        customer_id=dict(type="str"),
        internal_tag=dict(type="str"),
        language=dict(type="str"),
        contact=dict(type="dict", options=contact_spec),
        ancestral_access=dict(type="bool"),
        enhanced_security=dict(type="bool"),
        mfa_enabled=dict(type="bool"),
        pricing_mode=dict(type="str", choices=["trial", "production"]),
        update_lock=dict(type="bool"),
        remove_subtree=dict(type="bool", default=False),
        allow_client_tenant=dict(type="bool", default=False),
    )
    AcronisModule(argument_spec=argument_spec, option_kinds=OPTION_KINDS, fields_to_set=FIELDS_TO_SET,
                  supports_check_mode=True,
                  required_one_of=[("id", "name")]).execute(run)


if __name__ == "__main__":
    main()
