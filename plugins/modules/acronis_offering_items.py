#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_offering_items
short_description: Enable, disable and set quotas of the offering items of an Acronis tenant
version_added: 0.1.0
description:
  - Manages which offering items (services, workloads, storage) a tenant has, and their quotas.
  - Items are named by O(items[].name), or by O(items[].usage_name) and O(items[].infra_id) for items
    bound to an infrastructure. Every item to enable is checked against what the parent tenant makes
    available for a child of this kind before anything is written.
  - The module reads what the parent makes available and what the tenant has, then sends B(one) request
    that holds only the items that change, with the current quota versions.
  - It can also switch the edition of an application (O(target_edition)); check mode then asks the
    service's own switch check, so the preview is the service's answer.
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
  - acronis.cyber_platform.state_absent
options:
  tenant_id:
    description:
      - ID of the tenant whose offering items are managed. Required unless O(tenant) is set.
      - In check mode, a check-mode placeholder ID (returned by M(acronis.cyber_platform.acronis_tenant) for a
        tenant it would create) is accepted; O(parent_id) and O(kind) are then required, every requested item is
        predicted as a change and validated against the parent, and nothing is read about the placeholder.
    type: str
  tenant:
    description:
      - The tenant whose offering items are managed, as M(acronis.cyber_platform.acronis_tenant) returns it
        (its RV(acronis.cyber_platform.acronis_tenant#module:tenant) return value), instead of O(tenant_id).
      - The module takes the tenant's C(id), C(parent_id) and C(kind) from it and does not read the tenant.
        They must be set; C(id) may be a check-mode placeholder in check mode, as for O(tenant_id).
      - When O(tenant_id), O(parent_id) or O(kind) are set too, they must agree with it.
    type: dict
  tenant_created:
    description:
      - Set it to the RV(acronis.cyber_platform.acronis_tenant#module:created) return value of the task that
        made sure O(tenant) exists. V(true) says that task created the tenant in this run, so every item of the
        tenant is still disabled and nothing is used yet; the module then reads neither the tenant's items nor
        its usage.
      - Leave it V(false) (the default) when the tenant may have items already; the module then reads them.
    type: bool
    default: false
  parent_id:
    description:
      - ID of the tenant's parent, used only when O(tenant_id) is a check-mode placeholder.
      - For an existing tenant the module reads the parent from the tenant and ignores this option.
    type: str
  kind:
    description:
      - Kind of the tenant, used only when O(tenant_id) is a check-mode placeholder.
      - For an existing tenant the module reads the kind from the tenant and ignores this option.
    type: str
    choices: [partner, folder, customer, unit]
  edition:
    description:
      - Edition the task is about, for example V(per_workload), or V(*) for all editions.
      - Items are looked up in this edition (items that belong to no edition are in every edition), O(all_available)
        enables the items of this edition, and O(purge) only disables items of this edition.
      - An edition that neither the parent offers nor the tenant has is an error.
    type: str
    default: '*'
  items:
    description:
      - Offering items to enable (O(state=present)) or disable (O(state=absent)).
      - Each entry names one item by O(items[].name), or by O(items[].usage_name) (with O(items[].infra_id) for items
        bound to an infrastructure). An entry that matches several items (the same usage in several editions or on
        several infrastructures) is an error with O(state=present); with O(state=absent) every match is disabled.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the offering item, for example V(pw_workstations) or V(storage).
        type: str
      usage_name:
        description: Usage name of the item, for example V(storage); the same in every edition.
        type: str
      infra_id:
        description:
          - ID of the infrastructure of an infra-bound item (storage, disaster recovery).
          - Mutually exclusive with O(items[].infra).
        type: str
      infra:
        description:
          - The infrastructure of an infra-bound item by its name (V(Acronis Hosted Storage), case-insensitive) or ID,
            among the storages the parent tenant may use (M(acronis.cyber_platform.acronis_infra_info) lists them).
          - The storages are read once per task; an unknown name, or one that several storages share, is refused before
            any write, with the candidates listed.
          - Mutually exclusive with O(items[].infra_id).
        type: str
      location:
        description:
          - Narrows O(items[].infra) to the storages of this location, by name (case-insensitive) or ID, when several
            locations have a storage of that name.
        type: str
      application_id:
        description: ID of the application the item belongs to, when the name alone is ambiguous.
        type: str
      quota:
        description:
          - Quota of the item. Only the keys set here are changed; the current values are kept for the others.
          - A quota above the parent's, or below the tenant's current usage, is an error raised before any write.
        type: dict
        suboptions:
          value:
            description: Hard quota, in the item's measurement unit (bytes for storage, a count for workloads).
            type: int
          overage:
            description: How far above the quota usage may go, in the same unit.
            type: int
          unlimited:
            description: Set V(true) to remove the limit (the API's null quota value).
            type: bool
            default: false
  all_available:
    description:
      - Enable every item the parent makes available for a child of this kind, in O(edition), as Acronis's
        provisioning examples do.
      - For a customer, an item offered on several infrastructures (storage, disaster recovery) is enabled on one
        of them only, as the service requires - the one named in O(items), else the one the tenant already uses,
        else the first one the parent lists.
      - Entries of O(items) are then used for their quotas and infrastructure choice.
    type: bool
    default: false
  purge:
    description:
      - Disable every enabled item of O(edition) that is not requested by this task.
    type: bool
    default: false
  state:
    description:
      - V(present) enables the items (and sets their quotas); V(absent) disables them.
      - With V(absent), O(items[].quota), O(all_available) are refused (see the notes).
    type: str
    choices: [present, absent]
    default: present
  target_edition:
    description:
      - Switch the tenant's edition of one application to this edition, with the service's own
        C(/tenants/{id}/edition) operation, which moves the enabled items to their counterparts in the new edition.
      - Nothing changes when every enabled item of the application already belongs to this edition.
      - Cannot be combined with O(items), O(all_available) or O(purge).
    type: str
  target_application_id:
    description:
      - Application whose edition O(target_edition) switches.
      - Defaults to the one application of the tenant whose enabled items have an edition.
    type: str
notes:
  - Quotas are plain integers in the measurement unit the API uses for the item (C(measurement_unit) in RV(offering_items)).
  - A switched-off item has no quota; the API forgets it.
seealso:
  - module: acronis.cyber_platform.acronis_offering_items_info
  - module: acronis.cyber_platform.acronis_tenant
'''

EXAMPLES = r'''
- name: Give a new customer every item of the per-workload edition its partner offers
  acronis.cyber_platform.acronis_offering_items:
    tenant_id: "{{ customer.tenant.id }}"
    parent_id: "{{ partner_id }}"   # used only in check mode, when the customer would be created
    kind: customer                  # likewise
    edition: per_workload
    all_available: true

- name: Give a customer created by an earlier task its items, without reading what the run already knows
  acronis.cyber_platform.acronis_offering_items:
    tenant: "{{ customer.tenant }}"           # registered from acronis.cyber_platform.acronis_tenant
    tenant_created: "{{ customer.created }}"  # true: the tenant is new, every item is still disabled
    edition: per_workload
    items:
      - name: pw_workstations
        quota:
          value: 20

- name: Enable workstations with a quota of 20, and 1 TB of Acronis-hosted storage
  acronis.cyber_platform.acronis_offering_items:
    tenant_id: "{{ customer_tenant_id }}"
    items:
      - name: pw_workstations
        quota:
          value: 20
          overage: 2
      - usage_name: storage
        infra_id: 019097a6-114f-4418-bd54-e01ef049f209
        name: pw_storage
        quota:
          value: 1099511627776

- name: Make the listed items the exact set of the edition
  acronis.cyber_platform.acronis_offering_items:
    tenant_id: "{{ customer_tenant_id }}"
    edition: per_workload
    items:
      - name: pw_workstations
      - name: pw_servers
    purge: true

- name: Switch a customer from per-workload to per-gigabyte (preview with --check --diff)
  acronis.cyber_platform.acronis_offering_items:
    tenant_id: "{{ customer_tenant_id }}"
    target_edition: per_gigabyte
'''

RETURN = r'''
offering_items:
  description:
    - The offering items of the tenant in O(edition) after the task, as the API shows them (in check mode, as they would be).
  returned: always
  type: list
  elements: dict
  sample:
    - application_id: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
      name: pw_workstations
      edition: per_workload
      usage_name: workstations
      tenant_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
      status: 1
      type: count
      measurement_unit: quantity
      locked: false
      quota:
        value: 20
        overage: 2
        version: 1
changed_items:
  description: Labels of the items that changed (or would change), as C(name) or C(name (infra <id>)).
  returned: always
  type: list
  elements: str
  sample: ["pw_workstations", "pw_storage (infra 019097a6-114f-4418-bd54-e01ef049f209)"]
edition_switch:
  description: The edition switch, when O(target_edition) is set.
  returned: when O(target_edition) is set
  type: dict
  contains:
    application_id:
      description: Application whose edition is switched.
      type: str
      sample: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
    from:
      description: Editions of the application's enabled items before the switch.
      type: list
      elements: str
      sample: [per_workload]
    to:
      description: The target edition.
      type: str
      sample: per_gigabyte
    warnings:
      description: Warnings of the service's own switch check.
      type: list
      elements: str
      sample: []
  sample:
    application_id: 6e6d758d-8e74-3ae3-ac84-50eb0dff12eb
    from: [per_workload]
    to: per_gigabyte
    warnings: []
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import cap_list
from ansible_collections.acronis.cyber_platform.plugins.module_utils import locations
from ansible_collections.acronis.cyber_platform.plugins.module_utils import offering_items as oi
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "parent_id": validation.TENANT_ID,
    "target_application_id": validation.APPLICATION_ID,
    "items[].infra_id": validation.INFRA_ID,
    "items[].application_id": validation.APPLICATION_ID,
    "items[].quota.value": validation.QUOTA,
    "items[].quota.overage": validation.QUOTA,
    "tenant.id": validation.TENANT_ID,
    "tenant.parent_id": validation.TENANT_ID,
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the object.
FIELDS_TO_SET = ("items[].quota", "all_available")


def check_options(module):
    """Refuse, before any request, options that cannot work together."""
    p = module.params
    for spec in p["items"]:
        if spec["infra_id"] is not None and spec["infra"] is not None:
            raise AcronisFailure("item %s: set items[].infra (a storage by name) or items[].infra_id, not both"
                                 % oi.spec_label(spec))
        if spec["location"] is not None and spec["infra"] is None:
            raise AcronisFailure("item %s: items[].location narrows items[].infra; set infra to the storage's name"
                                 % oi.spec_label(spec))
        quota = spec.get("quota")
        if quota and quota["unlimited"] and quota["value"] is not None:
            raise AcronisFailure("item %s: set either quota.value or quota.unlimited, not both" % oi.spec_label(spec))
    if p["target_edition"] and (p["items"] or p["all_available"] or p["purge"]):
        raise AcronisFailure("target_edition switches an edition on its own; "
                             "run items, all_available and purge in another task")
    if p["tenant"] is not None:
        validate_tenant_hint(module)


def validate_tenant_hint(module):
    """The ``tenant`` option: a tenant object with its id, parent and kind, that agrees with the other options."""
    p = module.params
    tenant = p["tenant"]
    missing = [key for key in ("id", "parent_id", "kind") if not tenant.get(key)]
    if missing:
        raise AcronisFailure("option tenant must be a tenant as acronis_tenant returns it, with id, parent_id and "
                             "kind; it has no %s" % ", ".join(missing))
    if tenant["kind"] not in tenants.TENANT_KINDS:
        raise AcronisFailure("tenant.kind must be one of %s, got %r" % (", ".join(tenants.TENANT_KINDS), tenant["kind"]))
    for option, key in (("tenant_id", "id"), ("parent_id", "parent_id"), ("kind", "kind")):
        if p[option] is not None and p[option] != tenant[key]:
            raise AcronisFailure("option %s (%s) is not the %s of option tenant (%s); set one of them"
                                 % (option, p[option], key, tenant[key]))


def tenant_facts(module, tenant_id):
    """(parent_id, kind, current items) of the task's tenant: read, or known from the options.

    The items are not read for a placeholder (check mode) nor for a tenant the caller says was just
    created (``tenant_created``): those have every item disabled, which ``disabled_copies`` fills in.
    """
    p = module.params
    tenant = p["tenant"]
    placeholder = is_placeholder_id(tenant_id)
    if tenant is not None:
        parent_id, kind = tenant["parent_id"], tenant["kind"]
    elif placeholder:
        if not (p["parent_id"] and p["kind"]):
            raise AcronisFailure("tenant_id %s is a check-mode placeholder: set parent_id and kind so that the "
                                 "items can be checked against the parent" % tenant_id)
        parent_id, kind = p["parent_id"], p["kind"]
    else:
        found = tenants.get_tenant(module.client, tenant_id)
        if found is None:
            raise AcronisFailure("tenant %s does not exist" % tenant_id)
        parent_id, kind = found["parent_id"], found["kind"]
    current = []
    if not placeholder and not p["tenant_created"]:
        current = oi.tenant_items(module.client, tenant_id)
    return parent_id, kind, current


def resolve_storages(module, parent_id):
    """Give each item named with ``infra`` (a storage by name) its ``infra_id``: the storages the parent may use,
    read once for the whole task; an unknown or ambiguous name fails before any write, listing the candidates."""
    specs = [spec for spec in module.params["items"] if spec.get("infra") is not None]
    if not specs:
        return
    # A parent that an earlier check-mode task would create uses, at most, what the API client's tenant uses.
    where = parent_id if not is_placeholder_id(parent_id) else module.client.client_tenant_id()
    storages = locations.Places(module.client, where)
    for spec in specs:
        spec["infra_id"] = storages.storage_id(spec["infra"], "items[].infra", location=spec.get("location"))


def disabled_copies(available, tenant_id):
    """The items of a tenant created in this run: what its parent offers it, every one disabled."""
    items = []
    for item in available:
        copy = dict((k, v) for k, v in item.items() if k != "quota")
        copy.update(status=0, tenant_id=tenant_id)
        items.append(copy)
    return items


def settled(p, current, edition):
    """True when every item of the task is one of the tenant's items, already enabled as asked.

    Then what the parent offers need not be read: an enabled item is one the parent offers, and an
    entry that names exactly one of the tenant's items names exactly one of the parent's.
    """
    if p["state"] != "present" or p["all_available"] or not p["items"]:
        return False
    wanted = {}
    for spec in p["items"]:
        matches = oi.find_items(current, spec, edition)
        if len(matches) != 1 or int(matches[0].get("status") or 0) != 1:
            return False
        wanted[oi.item_key(matches[0])] = (matches[0], oi.wanted_quota(spec))
    return not oi.plan_changes(wanted, [], dict((oi.item_key(i), i) for i in current))


def ensure_edition(module, tenant_id, current):
    """``target_edition``: the service's own edition switch, checked first; the task's result."""
    p = module.params
    if is_placeholder_id(tenant_id):
        raise AcronisFailure("tenant_id %s is a check-mode placeholder: an edition switch needs an "
                             "existing tenant" % tenant_id)
    client = module.client
    target = p["target_edition"]
    app_id = p["target_application_id"]
    enabled = [i for i in current if int(i.get("status") or 0) == 1 and i.get("edition")]
    if app_id is None:
        apps = sorted(set(i["application_id"] for i in enabled))
        if len(apps) != 1:
            raise AcronisFailure("set target_application_id: tenant %s has %s application with an edition (%s)"
                                 % (tenant_id, "no" if not apps else "more than one", ", ".join(apps)))
        app_id = apps[0]
    editions = sorted(set(i["edition"] for i in enabled if i["application_id"] == app_id))
    switch = {"application_id": app_id, "from": editions, "to": target, "warnings": []}
    if editions == [target]:
        return dict(changed=False, offering_items=current, changed_items=[], edition_switch=switch)
    items = current
    with failing_to("switch tenant %s to edition '%s'" % (tenant_id, target)):
        switch["warnings"] = oi.check_edition_switch(client, tenant_id, target, app_id)
        if not module.check_mode:
            reply = oi.switch_edition(client, tenant_id, target, app_id)
            items = reply or oi.tenant_items(client, tenant_id)
    result = dict(changed=True, offering_items=items, changed_items=[], edition_switch=switch)
    if module._diff:
        result["diff"] = {"before": {"edition": editions}, "after": {"edition": [target]}}
    return result


def resolve_present(p, parent_id, available, current_by_key, kind, edition):
    """{key: (item, wanted quota)} for state=present, validated against what the parent offers."""
    wanted = {}
    explicit = {}
    for spec in p["items"]:
        matches = oi.find_items(available, spec, edition)
        if not matches:
            offered = sorted(set(oi.item_label(i) for i in available if oi.in_edition(i, edition)))
            raise AcronisFailure("offering item %s is not offered by the parent tenant %s to a %s in edition '%s'; "
                                 "available: %s" % (oi.spec_label(spec), parent_id, kind, edition,
                                                    cap_list(offered, near=spec.get("name") or spec.get("usage_name"))))
        if len(matches) > 1:
            raise AcronisFailure("offering item %s matches several items: %s; name it with name, infra_id, "
                                 "application_id or edition" % (oi.spec_label(spec),
                                                                cap_list(oi.item_label(i) for i in matches)))
        item = matches[0]
        wanted[oi.item_key(item)] = (item, oi.wanted_quota(spec))
        if item.get("infra_id"):
            explicit[oi.usage_group(item)] = item["infra_id"]
    if p["all_available"]:
        pool = [i for i in available if oi.in_edition(i, edition)]
        if kind == "customer":
            keep = dict((oi.usage_group(c), c["infra_id"]) for c in current_by_key.values()
                        if c.get("infra_id") and int(c.get("status") or 0) == 1)
            keep.update(explicit)
            pool = oi.one_storage_per_type(pool, keep)
        for item in pool:
            wanted.setdefault(oi.item_key(item), (item, {}))
    return wanted


def desired_items(module, available, current, kind, edition, parent_id):
    """(wanted, disable): {key: (item, quota)} to enable, and the keys to disable."""
    p = module.params
    current_by_key = dict((oi.item_key(i), i) for i in current)
    wanted, disable = {}, []
    if p["state"] == "present":
        wanted = resolve_present(p, parent_id, available, current_by_key, kind, edition)
    else:
        for spec in p["items"]:
            matches = oi.find_items(current, spec, edition)
            if not matches:
                module.warn("offering item %s is not among the items of tenant %s; nothing to disable"
                            % (oi.spec_label(spec), p["tenant_id"] or (p["tenant"] or {}).get("id")))
            disable.extend(oi.item_key(i) for i in matches)
    if p["purge"]:
        keep = set(wanted) if p["state"] == "present" else set()
        disable.extend(key for key, item in current_by_key.items()
                       if key not in keep and key not in disable and oi.in_edition(item, edition))
    return wanted, disable


def check_edition(edition, available, current, parent_id, tenant_id):
    """An edition that neither the parent offers nor the tenant has is an error."""
    if edition != oi.ALL_EDITIONS and (available or current):
        known = oi.editions_of(available + current)
        if edition not in known:
            raise AcronisFailure("edition '%s' is neither offered by the parent tenant %s nor used by tenant %s; "
                                 "known editions: %s" % (edition, parent_id, tenant_id, cap_list(known)))


def plan_result(module, current, plan, edition, reply):
    """The task's result for a plan of item changes."""
    labels = [oi.item_label(base) for key, base, before, after, entry in plan]
    result = dict(changed=bool(plan), offering_items=oi.apply_plan(current, plan, edition, reply), changed_items=labels)
    if module._diff:
        result["diff"] = {"before": dict((oi.item_label(base), b) for key, base, b, a, e in plan),
                          "after": dict((oi.item_label(base), a) for key, base, b, a, e in plan)}
    return result


def parent_offer(module, parent_id, kind, is_settled):
    """(offering_id, available): the tenant whose offer stands for the parent's, and what it offers a child
    of this kind ([] when the task does not need it)."""
    p = module.params
    # A parent that an earlier check-mode task would create offers, at most, what the API client's
    # own tenant has: the prediction assumes the parent gets those items too.
    offering_id = parent_id if not is_placeholder_id(parent_id) else module.client.client_tenant_id()
    available = []
    if p["state"] == "present" and not is_settled:
        available = oi.available_for_child(module.client, offering_id, kind)
        if offering_id != parent_id and kind == "unit":
            # A unit's parent is a customer (or a unit under one), which has one infrastructure per usage.
            available = oi.one_storage_per_type(available)
    return offering_id, available


def ensure_items(module, tenant_id, parent_id, current, plan, asked=None):
    """The task's result for ``plan``: its quotas checked, then the items that change set with one PUT."""
    p = module.params
    known_tenant = None if is_placeholder_id(tenant_id) or p["tenant_created"] else tenant_id
    lowering = oi.check_quotas(module.client, known_tenant, parent_id, plan)
    reply = []
    if plan and not module.check_mode:
        with failing_to("update the offering items of tenant %s (%s)"
                        % (tenant_id, ", ".join(oi.item_label(base) for key, base, b, a, e in plan))):
            reply = oi.put_items(module.client, tenant_id, [entry for key, base, before, after, entry in plan],
                                 check_usage=lowering, asked=asked)
    return plan_result(module, current, plan, p["edition"], reply)


def run(module):
    p = module.params
    check_options(module)
    tenant_id = p["tenant"]["id"] if p["tenant"] is not None else p["tenant_id"]
    edition = p["edition"]

    # Current state: the tenant's parent and kind, its items, and what the parent offers (when it matters).
    with failing_to("read the offering items of tenant %s" % tenant_id):
        parent_id, kind, current = tenant_facts(module, tenant_id)
        resolve_storages(module, parent_id)
        if p["target_edition"]:
            return ensure_edition(module, tenant_id, current)
        is_settled = settled(p, current, edition)
        offering_id, available = parent_offer(module, parent_id, kind, is_settled)
        if p["tenant_created"]:
            current = disabled_copies(available, tenant_id)
    if offering_id != parent_id:
        module.warn("parent_id %s is a check-mode placeholder too: the items are predicted from what tenant %s "
                    "offers, as if the parent had them all" % (parent_id, offering_id))
    check_edition(edition, available, current, parent_id, tenant_id)

    # Desired state, compared with the current one; then the act, quotas validated before it.
    wanted, disable = desired_items(module, current if is_settled else available, current, kind, edition, parent_id)
    plan = oi.plan_changes(wanted, disable, dict((oi.item_key(i), i) for i in current))
    # The quota keys the task names: another writer's values of the others are kept on a retry.
    asked = dict((key, quota) for key, (item, quota) in wanted.items())
    return ensure_items(module, tenant_id, parent_id, current, plan, asked)


def main():
    quota = dict(value=dict(type="int"), overage=dict(type="int"), unlimited=dict(type="bool", default=False))
    item = dict(name=dict(type="str"), usage_name=dict(type="str"), infra_id=dict(type="str"),
                infra=dict(type="str"), location=dict(type="str"),
                application_id=dict(type="str"), quota=dict(type="dict", options=quota))
    argument_spec = dict(
        tenant_id=dict(type="str"),
        tenant=dict(type="dict"),
        tenant_created=dict(type="bool", default=False),
        parent_id=dict(type="str"),
        kind=dict(type="str", choices=["partner", "folder", "customer", "unit"]),
        edition=dict(type="str", default=oi.ALL_EDITIONS),
        items=dict(type="list", elements="dict", default=[], options=item,
                   required_one_of=[("name", "usage_name")]),
        all_available=dict(type="bool", default=False),
        purge=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        target_edition=dict(type="str"),
        target_application_id=dict(type="str"),
    )
    AcronisModule(argument_spec=argument_spec, option_kinds=OPTION_KINDS, fields_to_set=FIELDS_TO_SET,
                  supports_check_mode=True,
                  required_one_of=[("tenant_id", "tenant")],
                  required_if=[("tenant_created", True, ("tenant",))]).execute(run)


if __name__ == "__main__":
    main()
