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
options:
  tenant_id:
    description:
      - ID of the tenant whose offering items are managed.
      - In check mode, a check-mode placeholder ID (returned by M(acronis.cyber_platform.acronis_tenant) for a
        tenant it would create) is accepted; O(parent_id) and O(kind) are then required, every requested item is
        predicted as a change and validated against the parent, and nothing is read about the placeholder.
    type: str
    required: true
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
        description: ID of the infrastructure of an infra-bound item (storage, disaster recovery).
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

- name: Enable workstations with a quota of 20, and 1 TB of Acronis-hosted storage
  acronis.cyber_platform.acronis_offering_items:
    tenant_id: "{{ customer_id }}"
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
    tenant_id: "{{ customer_id }}"
    edition: per_workload
    items:
      - name: pw_workstations
      - name: pw_servers
    purge: true

- name: Switch a customer from per-workload to per-gigabyte (preview with --check --diff)
  acronis.cyber_platform.acronis_offering_items:
    tenant_id: "{{ customer_id }}"
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

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisAPIError, AcronisError
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import (
    AcronisModule,
    is_placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils import offering_items as oi
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants


def argument_spec():
    quota = dict(value=dict(type="int"), overage=dict(type="int"), unlimited=dict(type="bool", default=False))
    item = dict(name=dict(type="str"), usage_name=dict(type="str"), infra_id=dict(type="str"),
                application_id=dict(type="str"), quota=dict(type="dict", options=quota))
    return dict(
        tenant_id=dict(type="str", required=True),
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


def validate_options(module):
    p = module.params
    module.check_uuid(p["tenant_id"], "tenant_id")
    module.check_uuid(p["parent_id"], "parent_id")
    module.check_uuid(p["target_application_id"], "target_application_id")
    for spec in p["items"]:
        module.check_uuid(spec["infra_id"], "items[].infra_id")
        module.check_uuid(spec["application_id"], "items[].application_id")
        quota = spec.get("quota")
        if quota and p["state"] == "absent":
            module.fail_json(msg="items[].quota cannot be set with state=absent: a disabled item has no quota")
        if quota:
            for key in ("value", "overage"):
                if quota[key] is not None and quota[key] < 0:
                    module.fail_json(msg="the quota %s of item %s must be 0 or more, got %d"
                                     % (key, spec_label(spec), quota[key]))
            if quota["unlimited"] and quota["value"] is not None:
                module.fail_json(msg="item %s: set either quota.value or quota.unlimited, not both" % spec_label(spec))
    if p["all_available"] and p["state"] == "absent":
        module.fail_json(msg="all_available needs state=present")
    if p["target_edition"] and (p["items"] or p["all_available"] or p["purge"]):
        module.fail_json(msg="target_edition switches an edition on its own; "
                             "run items, all_available and purge in another task")


def spec_label(spec):
    name = spec.get("name") or spec.get("usage_name")
    return "'%s'" % name + (" (infra %s)" % spec["infra_id"] if spec.get("infra_id") else "")


def wanted_quota(spec):
    """The quota keys a task entry sets: {'value': n|None, 'overage': n} (missing keys are left alone)."""
    quota = spec.get("quota") or {}
    wanted = {}
    if quota.get("unlimited"):
        wanted["value"] = None
    elif quota.get("value") is not None:
        wanted["value"] = quota["value"]
    if quota.get("overage") is not None:
        wanted["overage"] = quota["overage"]
    return wanted


def resolve_present(module, available, current_by_key, kind, edition, parent_known):
    """{key: (item, wanted quota)} for state=present, validated against what the parent offers."""
    p = module.params
    wanted = {}
    explicit = {}
    for spec in p["items"]:
        if not parent_known:
            item = dict((k, spec[k]) for k in ("application_id", "name", "usage_name", "infra_id") if spec[k])
            wanted[oi.item_key(item)] = (item, wanted_quota(spec))
            continue
        matches = oi.find_items(available, spec, edition)
        if not matches:
            offered = sorted(set(oi.item_label(i) for i in available if oi.in_edition(i, edition)))
            module.fail_json(msg="offering item %s is not offered by the parent tenant %s to a %s in edition '%s'; "
                                 "available: %s" % (spec_label(spec), p["parent_id"], kind, edition,
                                                    ", ".join(offered) or "none"))
        if len(matches) > 1:
            module.fail_json(msg="offering item %s matches several items: %s; name it with name, infra_id, "
                                 "application_id or edition" % (spec_label(spec),
                                                                ", ".join(oi.item_label(i) for i in matches)))
        item = matches[0]
        wanted[oi.item_key(item)] = (item, wanted_quota(spec))
        if item.get("infra_id"):
            explicit[oi.usage_group(item)] = item["infra_id"]
    if p["all_available"] and parent_known:
        pool = [i for i in available if oi.in_edition(i, edition)]
        if kind == "customer":
            keep = dict((oi.usage_group(c), c["infra_id"]) for c in current_by_key.values()
                        if c.get("infra_id") and int(c.get("status") or 0) == 1)
            keep.update(explicit)
            pool = oi.one_storage_per_type(pool, keep)
        for item in pool:
            wanted.setdefault(oi.item_key(item), (item, {}))
    return wanted


def plan_changes(wanted, disable, current_by_key):
    """[(key, base item, new state, put entry)] for the items whose state differs."""
    plan = []
    for key, (item, quota) in wanted.items():
        have = current_by_key.get(key)
        before = oi.state_of(have)
        have_quota = (have or {}).get("quota") or {}
        after = {"status": 1, "quota": {"value": have_quota.get("value"), "overage": have_quota.get("overage")}}
        after["quota"].update(quota)
        quota_changes = before["status"] == 1 and any(before["quota"].get(k) != v for k, v in quota.items())
        if before["status"] == 1 and not quota_changes:
            continue
        entry = {"application_id": item["application_id"], "name": item["name"], "status": 1}
        if item.get("infra_id"):
            entry["infra_id"] = item["infra_id"]
        if quota:
            entry["quota"] = dict(after["quota"], version=int(have_quota.get("version") or 0))
        plan.append((key, have or item, before, after, entry))
    for key in disable:
        have = current_by_key.get(key)
        if oi.state_of(have)["status"] != 1:
            continue
        entry = {"application_id": have["application_id"], "name": have["name"], "status": 0}
        if have.get("infra_id"):
            entry["infra_id"] = have["infra_id"]
        plan.append((key, have, oi.state_of(have), {"status": 0}, entry))
    return plan


def hard_limit(quota):
    """What the service enforces: quota value plus overage (None when unlimited)."""
    if quota.get("value") is None:
        return None
    return quota["value"] + (quota.get("overage") or 0)


def check_quotas(module, client, tenant_id, parent_id, plan):
    """Quotas above the parent's or below the tenant's usage fail here, before any write.

    Reads the parent's items only when the task sets a quota value, and the
    tenant's usages only when it lowers one. Returns True when a quota is lowered.
    """
    limited = [(key, base, before, after) for key, base, before, after, entry in plan
               if "quota" in entry and after["quota"]["value"] is not None]
    lowered = [(key, base, after) for key, base, before, after in limited
               if before["status"] != 1 or hard_limit(before["quota"]) is None
               or hard_limit(after["quota"]) < hard_limit(before["quota"])]
    set_value = [(key, base, after) for key, base, before, after, entry in plan
                 if "quota" in entry and after["status"] == 1]
    try:
        if set_value and not is_placeholder_id(parent_id):
            try:
                parent_items = dict((oi.item_key(i), i) for i in oi.tenant_items(client, parent_id))
            except AcronisAPIError as exc:
                if exc.status != 403:
                    raise
                parent_items = {}   # the parent is above the API client: the service will judge
            for key, base, after in set_value:
                parent = parent_items.get(key)
                limit = ((parent or {}).get("quota") or {}).get("value")
                if limit is not None and (after["quota"]["value"] is None or after["quota"]["value"] > limit):
                    module.fail_json(msg="the quota of offering item %s (%s) is above the quota of the parent "
                                         "tenant %s (%s)" % (oi.item_label(base), after["quota"]["value"]
                                                             if after["quota"]["value"] is not None
                                                             else "unlimited", parent_id, limit))
        if lowered and tenant_id is not None:
            usages = oi.tenant_usages(client, tenant_id, [base.get("usage_name") for key, base, after in lowered])
            used = dict((oi.item_key(u), u.get("value")) for u in usages)
            for key, base, after in lowered:
                value = used.get(key)
                if value is not None and float(value) > hard_limit(after["quota"]):
                    module.fail_json(msg="the quota of offering item %s (value %s, overage %s) is below the "
                                         "tenant's current usage (%s)" % (oi.item_label(base), after["quota"]["value"],
                                                                          after["quota"]["overage"] or 0, value))
    except AcronisError as exc:
        module.fail_api(exc, "check the quotas of tenant %s against its parent and its usage" % tenant_id)
    return bool(lowered)


def apply_plan(current, plan, edition, reply_items):
    """The tenant's items in the edition after the task: the reply where there is one, the plan otherwise."""
    result = dict((oi.item_key(i), dict(i)) for i in current)
    for key, base, before, after, entry in plan:
        item = dict(result.get(key) or base)
        item["status"] = after["status"]
        if after["status"] == 1:
            version = int(((item.get("quota") or {}).get("version")) or 0)
            item["quota"] = dict(after["quota"], version=version + (1 if "quota" in entry else 0))
        else:
            item.pop("quota", None)
        result[key] = item
    for item in reply_items:
        result[oi.item_key(item)] = item
    return [i for i in result.values() if oi.in_edition(i, edition)]


def run_switch(module, client, tenant_id, current):
    p = module.params
    target = p["target_edition"]
    app_id = p["target_application_id"]
    enabled = [i for i in current if int(i.get("status") or 0) == 1 and i.get("edition")]
    if app_id is None:
        apps = sorted(set(i["application_id"] for i in enabled))
        if len(apps) != 1:
            module.fail_json(msg="set target_application_id: tenant %s has %s application with an edition (%s)"
                                 % (tenant_id, "no" if not apps else "more than one", ", ".join(apps)))
        app_id = apps[0]
    editions = sorted(set(i["edition"] for i in enabled if i["application_id"] == app_id))
    switch = {"application_id": app_id, "from": editions, "to": target, "warnings": []}
    if editions == [target]:
        module.exit_json(changed=False, offering_items=current, changed_items=[], edition_switch=switch)
    action = "switch tenant %s to edition '%s'" % (tenant_id, target)
    items = current
    try:
        switch["warnings"] = oi.check_edition_switch(client, tenant_id, target, app_id)
        if not module.check_mode:
            reply = oi.switch_edition(client, tenant_id, target, app_id)
            items = reply or oi.tenant_items(client, tenant_id)
    except AcronisError as exc:
        module.fail_api(exc, action)
    result = dict(changed=True, offering_items=items, changed_items=[], edition_switch=switch)
    if module._diff:
        result["diff"] = {"before": {"edition": editions}, "after": {"edition": [target]}}
    module.exit_json(**result)


def main():
    module = AcronisModule(argument_spec=argument_spec(), supports_check_mode=True)
    validate_options(module)
    p = module.params
    client = module.client
    tenant_id = p["tenant_id"]
    edition = p["edition"]

    # Current state: the tenant (its parent and kind) and its items.
    placeholder = is_placeholder_id(tenant_id)
    current = []
    try:
        if placeholder:
            if not (p["parent_id"] and p["kind"]):
                module.fail_json(msg="tenant_id %s is a check-mode placeholder: set parent_id and kind so that the "
                                     "items can be checked against the parent" % tenant_id)
            parent_id, kind = p["parent_id"], p["kind"]
        else:
            tenant = tenants.get_tenant(client, tenant_id)
            if tenant is None:
                module.fail_json(msg="tenant %s does not exist" % tenant_id)
            parent_id, kind = tenant["parent_id"], tenant["kind"]
            current = oi.tenant_items(client, tenant_id)
        p["parent_id"] = parent_id
        if p["target_edition"]:
            if placeholder:
                module.fail_json(msg="tenant_id %s is a check-mode placeholder: an edition switch needs an "
                                     "existing tenant" % tenant_id)
            run_switch(module, client, tenant_id, current)
        parent_known = not is_placeholder_id(parent_id)
        available = []
        if p["state"] == "present" and parent_known:
            available = oi.available_for_child(client, parent_id, kind)
    except AcronisError as exc:
        module.fail_api(exc, "read the offering items of tenant %s" % tenant_id)
    if placeholder and not parent_known:
        module.warn("parent_id %s is a check-mode placeholder too: the items cannot be checked against it"
                    % parent_id)

    if edition != oi.ALL_EDITIONS and (available or current):
        known = oi.editions_of(available + current)
        if edition not in known:
            module.fail_json(msg="edition '%s' is neither offered by the parent tenant %s nor used by tenant %s; "
                                 "known editions: %s" % (edition, parent_id, tenant_id, ", ".join(known) or "none"))

    # Desired state.
    current_by_key = dict((oi.item_key(i), i) for i in current)
    wanted, disable = {}, []
    if p["state"] == "present":
        wanted = resolve_present(module, available, current_by_key, kind, edition, parent_known)
    else:
        for spec in p["items"]:
            matches = oi.find_items(current, spec, edition)
            if not matches:
                module.warn("offering item %s is not among the items of tenant %s; nothing to disable"
                            % (spec_label(spec), tenant_id))
            disable.extend(oi.item_key(i) for i in matches)
    if p["purge"]:
        keep = set(wanted) if p["state"] == "present" else set()
        disable.extend(key for key, item in current_by_key.items()
                       if key not in keep and key not in disable and oi.in_edition(item, edition))

    # Compare, validate quotas, act.
    plan = plan_changes(wanted, disable, current_by_key)
    lowering = check_quotas(module, client, None if placeholder else tenant_id, parent_id, plan)
    reply = []
    if plan and not module.check_mode:
        try:
            reply = oi.put_items(client, tenant_id, [entry for key, base, before, after, entry in plan],
                                 check_usage=lowering)
        except AcronisError as exc:
            module.fail_api(exc, "update the offering items of tenant %s (%s)"
                            % (tenant_id, ", ".join(oi.item_label(base) for key, base, b, a, e in plan)))

    labels = [oi.item_label(base) for key, base, before, after, entry in plan]
    result = dict(changed=bool(plan), offering_items=apply_plan(current, plan, edition, reply), changed_items=labels)
    if module._diff:
        result["diff"] = {"before": dict((oi.item_label(base), b) for key, base, b, a, e in plan),
                          "after": dict((oi.item_label(base), a) for key, base, b, a, e in plan)}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
