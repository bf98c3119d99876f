#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_protection_plan
short_description: Create, update, apply, run and delete an Acronis protection plan of a customer
version_added: 0.1.0
description:
  - Manages one protection plan of a customer tenant, found by its O(name) or its O(id). A plan is a
    C(policy.protection.total) policy holding a machine backup policy (C(policy.backup.machine)); the service adds
    its other protection modules, disabled.
  - The backup settings come from O(backup) (a documented subset) and O(settings) (any other setting, as the API
    names it). Only what the task sets is compared and changed; everything else is left as it is.
  - Applies the plan to machines or groups (O(resources)), revokes it from the ones not listed when
    O(purge_resources=true), and starts the plan (O(run=true)).
  - Works with a token scoped to the customer (exchanged from the API client's token), as Acronis requires for
    every operation on plans and resources.
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
  - acronis.cyber_platform.state_absent
options:
  tenant_id:
    description: ID of the customer tenant that owns the plan.
    type: str
    required: true
  name:
    description:
      - Name of the plan; it identifies the plan within the customer when O(id) is not given.
      - Names are compared without regard to case, as tenant and machine names are (V(Nightly) finds a plan named
        V(nightly), and the task then renames it V(Nightly)). The API does not keep plan names unique; when the
        customer has several plans of the name, the task fails listing their IDs, and O(id) chooses one.
      - With O(id), the name the plan must have (the module renames it when it differs).
      - Required unless O(id) is given, and to create a plan.
    type: str
  id:
    description:
      - ID of the plan (its C(policy.protection.total) policy). The plan must exist, unless O(state=absent).
      - Chooses one of several plans with the same name. Without O(name) the plan keeps its name.
    type: str
  state:
    description:
      - V(present) creates or updates the plan; V(absent) deletes it (it is revoked from every resource with it).
      - With V(absent), O(enabled), O(backup), O(settings), O(resources), O(purge_resources), O(run), O(wait) are
        refused
        (see the notes).
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description: Whether the plan is enabled. A new plan is enabled unless this is V(false).
    type: bool
  backup:
    description:
      - Settings of the plan's machine backup policy (what Acronis's "Machine backup policy" documents).
      - A new plan starts from the documented example settings (the whole machine to the cloud storage, weekdays
        at 21:00, always incremental, 7 daily / 4 weekly / 6 monthly backups kept) with these laid over them.
    type: dict
    suboptions:
      enabled:
        description: Whether the backup policy of the plan is enabled.
        type: bool
      compression:
        description: Compression level of the archive.
        type: str
        choices: [normal, high, max]
      format:
        description: Format of the backup archive.
        type: str
        choices: ['11', '12', auto]
      destination:
        description:
          - Where the backups are stored (C(vault.type)). Locations other than V(cloud) usually need more settings
            (a path, credentials); give them in O(settings).
        type: str
        choices: [cloud, local_folder, network_share, ftp, sftp, cd, tape, storage_node, asz, removable, nfs_share,
                  esx, astorage2, script]
      archive_name:
        description: Name of the archive; may use C([Machine Name]), C([Plan ID]), C([Plan Name]), C([Unique ID]).
        type: str
      schedule:
        description:
          - When backups run (the plan's C(scheduling.backup_sets[0].schedule)). Times are the machine's local time.
          - The options that are not given keep their value while O(backup.schedule.type) stays; when the type
            changes (or for a new plan) they take the type's default (every day of the week, every month, the plan's
            current time of day or the documented 21:00).
          - Each type takes only its own options; any other is refused before anything is changed.
        type: dict
        suboptions:
          enabled:
            description: Whether the schedule is enabled.
            type: bool
          type:
            description:
              - V(hourly) every O(backup.schedule.interval) hours (optionally only within O(backup.schedule.window));
                V(daily) at O(backup.schedule.at); V(weekly) on O(backup.schedule.weekdays) at
                O(backup.schedule.at); V(monthly) on O(backup.schedule.monthdays) (or the last day of the month),
                or on O(backup.schedule.weekdays) of one O(backup.schedule.week_of_month), at O(backup.schedule.at).
              - Unset keeps the plan's type (V(weekly) for a new plan).
            type: str
            choices: [hourly, daily, weekly, monthly]
          weekdays:
            description:
              - Days of the week the backup runs on. A weekly schedule needs at least one; for an hourly or daily
                schedule they narrow the days (every day by default); for a monthly one they go with
                O(backup.schedule.week_of_month).
            type: list
            elements: str
            choices: [mon, tue, wed, thu, fri, sat, sun]
          at:
            description: Times of the day, as V(HH:MM) (24 hours), the backup starts at (daily, weekly, monthly).
            type: list
            elements: str
          interval:
            description: Hours between two backups of an V(hourly) schedule (1 to 24). Required to make a schedule hourly.
            type: int
          window:
            description:
              - An V(hourly) schedule runs only between these times of the day (both V(HH:MM), O(backup.schedule.window.from)
                earlier than O(backup.schedule.window.to)).
            type: dict
            suboptions:
              from:
                description: Start of the window, V(HH:MM). Required with O(backup.schedule.window).
                type: str
              to:
                description: End of the window, V(HH:MM). Required with O(backup.schedule.window).
                type: str
          monthdays:
            description: Days of the month (1 to 31) a V(monthly) schedule runs on; a month without the day is skipped.
            type: list
            elements: int
          last_day_of_month:
            description: A V(monthly) schedule also runs on the last day of each month.
            type: bool
          week_of_month:
            description:
              - A V(monthly) schedule runs on O(backup.schedule.weekdays) of this week of the month (V(first) Monday,
                V(last) Friday), instead of on days of the month.
            type: str
            choices: [first, second, third, fourth, last]
          months:
            description: Months (1 to 12) a V(monthly) schedule runs in; every month by default.
            type: list
            elements: int
          start_date:
            description: The schedule starts on this day (V(YYYY-MM-DD)); no backup is scheduled before it.
            type: str
          end_date:
            description: The schedule ends after this day (V(YYYY-MM-DD)); not before O(backup.schedule.start_date).
            type: str
          scheme:
            description: Backup scheme.
            type: str
            choices: [simple, always_full, always_incremental, weekly_incremental, weekly_full_daily_incremental,
                      custom, cdp]
      items:
        description:
          - What the plan backs up (C(backup_span)), and what it leaves out (C(exclusions)).
        type: dict
        suboptions:
          type:
            description:
              - V(entire_machine) backs up the whole machine; V(disks), V(volumes) or V(files) (files and folders)
                back up the O(backup.items.paths).
              - Unset leaves what the plan backs up as it is (a new plan backs up the entire machine).
            type: str
            choices: [entire_machine, disks, volumes, files]
          paths:
            description:
              - The disks (V(disk 1)), volumes (V(C:), V(/dev/sda1)) or files and folders (V(C:\\Data), V(/home)) to
                back up. Required with V(disks), V(volumes) and V(files); refused with V(entire_machine).
            type: list
            elements: str
          exclusions:
            description:
              - Files and folders, by path or mask (V(*.tmp), V(C:\\Data\\Cache)), that are not backed up.
                V([]) removes every exclusion; unset leaves them as they are.
            type: list
            elements: str
      encryption:
        description:
          - Encrypts the backups with a password (C(encryption)). Unset leaves the plan's encryption as it is; this
            module does not turn encryption off (use O(settings) for that).
        type: dict
        suboptions:
          algorithm:
            description: The encryption algorithm.
            type: str
            choices: [aes128, aes192, aes256]
            default: aes256
          password:
            description:
              - The encryption password. It is never shown (masked in the diff and the result).
              - When it is sent depends on O(backup.encryption.update_password).
            type: str
            required: true
          update_password:
            description:
              - V(on_create) sends the password when encryption is switched on (a new plan, or a plan that was not
                encrypted) and never compares it afterwards, so a second run reports no change, even if the
                password given differs from the one the plan was encrypted with.
              - V(always) sends the password on every run; such a task reports C(changed) every run.
            type: str
            choices: [always, on_create]
            default: on_create
      retention:
        description:
          - How long backups are kept. The rules of the plan become the ones given here.
          - One rule at a time - O(backup.retention.count), O(backup.retention.days), or the per-set
            O(backup.retention.daily), O(backup.retention.weekly), O(backup.retention.monthly).
        type: dict
        suboptions:
          count:
            description: Keep this many backups (the newest), whatever their age (C(max_count)).
            type: int
          days:
            description: Keep backups this many days, whatever their set (C(max_age)).
            type: int
          daily:
            description: Days to keep daily backups.
            type: int
          weekly:
            description: Weeks to keep weekly backups.
            type: int
          monthly:
            description: Months to keep monthly backups.
            type: int
          after_backup:
            description: Apply the retention rules after each backup.
            type: bool
  settings:
    description:
      - Any other machine backup settings, as the API names them (for example C(vss), C(cbt), C(alerts)), laid over
        O(backup). Dicts are merged key by key; a list replaces the plan's list.
      - Every setting whose name ends in password, passphrase, secret, token or key (for example
        C(vault.credentials.password) and C(encryption.password)) is a secret - it is masked in the diff, in the
        result (RV(plan)) and in every message and output of the task, at any verbosity.
    type: dict
  resources:
    description:
      - Machines or groups (by ID, or by name) the plan is applied to. The plan is applied to those it is not yet
        applied to. Unset leaves the plan's resources as they are.
    type: list
    elements: str
  purge_resources:
    description:
      - With O(resources), also revoke the plan from the resources not listed (V([]) revokes it from all).
    type: bool
    default: false
  run:
    description:
      - Start the plan now on every resource it is applied to where it is not already running. Reports C(changed)
        when it started a run.
    type: bool
    default: false
  wait:
    description:
      - With O(run=true), wait until the runs the task started have ended, and return how each ended
        (RV(outcomes)). Runs the task did not start (the plan was already running there) are not waited for.
      - The task fails when a backup ended with C(error), unless O(fail_on_backup_error=false); a C(warning) is
        reported as a warning.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true) (1 to 86400). When they pass before every run has ended, the task fails
        naming the resources still running (their backups go on).
    type: int
    default: 3600
  fail_on_backup_error:
    description:
      - With O(wait=true), whether a backup that ended with C(error) fails the task. V(false) returns the outcomes
        and a warning instead, for a play that reports on the failures itself.
    type: bool
    default: true
notes:
  - Plans are matched by name without regard to case, or by O(id); two plans of the customer with the same name are
    an error that lists their IDs, unless O(id) chooses one.
  - A plan without a machine backup policy (made elsewhere) can be applied, run and deleted, but O(backup) and
    O(settings) cannot add one; the task fails before any change.
  - In check mode a plan that would be created gets a placeholder ID (C(00000000-0000-0000-c4ec-...)).
  - >-
    The weekly schedule, the destination, compression and retention per backup set are written as Acronis's published
    plan example writes them. For the hourly, daily and monthly schedules, the time window, the start and end dates,
    O(backup.items), O(backup.retention.count), O(backup.retention.days) and O(backup.encryption), Acronis publishes no
    JSON example: the fields this module writes follow the published schemas of Acronis-based services, and are
    checked here only against the collection's simulator. Try such a plan on a test customer first, and compare it in
    the console; O(settings) sets any field as the service names it.
seealso:
  - module: acronis.cyber_platform.acronis_protection_plan_info
  - module: acronis.cyber_platform.acronis_resource_info
'''

EXAMPLES = r'''
- name: A nightly backup plan for the customer's servers
  acronis.cyber_platform.acronis_protection_plan:
    tenant_id: "{{ customer_tenant_id }}"
    name: Servers nightly
    backup:
      compression: high
      schedule:
        weekdays: [mon, tue, wed, thu, fri, sat, sun]
        at: ["23:30"]
      retention:
        daily: 14
        weekly: 8
        monthly: 12
    settings:
      alerts:
        enabled: true
        max_days_without_backup: 2
    resources: [SRV-01, SRV-02]

- name: Exactly these machines, and back them up now
  acronis.cyber_platform.acronis_protection_plan:
    tenant_id: "{{ customer_tenant_id }}"
    name: Servers nightly
    resources: [SRV-01]
    purge_resources: true
    run: true

- name: Back up the servers now, wait for the backups, and keep going when one failed
  acronis.cyber_platform.acronis_protection_plan:
    tenant_id: "{{ customer_tenant_id }}"
    name: Servers nightly
    backup:
      schedule:
        type: daily
        at: ["23:00"]
    run: true
    wait: true
    wait_timeout: 7200
    fail_on_backup_error: false
  register: nightly

- name: Name the machines whose backup failed
  ansible.builtin.debug:
    msg: "{{ nightly.outcomes | selectattr('status', 'equalto', 'error') | map(attribute='resource_id') | list }}"

- name: Delete the plan
  acronis.cyber_platform.acronis_protection_plan:
    tenant_id: "{{ customer_tenant_id }}"
    name: Servers nightly
    state: absent
'''

RETURN = r'''
plan:
  description:
    - The plan after the task (before it, for a deleted plan); null when it does not exist.
    - After a write, the plan as the service shows it when read again (as
      M(acronis.cyber_platform.acronis_protection_plan_info) returns it) - the policies the service adds to a new plan
      and its tenant included. This costs one read per task that changed the plan.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the plan (its C(policy.protection.total) policy).
      type: str
    name:
      description: Name of the plan.
      type: str
    enabled:
      description: Whether the plan is enabled.
      type: bool
    tenant_id:
      description: The customer, as the policy API shows it (its numeric ID); null for a plan check mode predicts.
      type: str
    policies:
      description: The plan's policies (C(id), C(type), C(enabled), C(settings_schema), C(settings)).
      type: list
      elements: dict
    resources:
      description: IDs of the resources the plan is applied to.
      type: list
      elements: str
  sample:
    id: 5b15f6e1-88ec-4dce-b523-0e8394c0bc19
    name: Servers nightly
    enabled: true
    policies:
      - id: 0e5c1a36-6f3c-4bd2-9a8e-2d7e8f3b9c11
        type: policy.backup.machine
        enabled: true
        settings_schema: "2.0"
        settings:
          compression: high
    resources: [5c350066-2ba6-4eeb-aa91-1213dd35f033]
applied:
  description: IDs of the resources the plan was (or in check mode would be) applied to.
  returned: always
  type: list
  elements: str
revoked:
  description:
    - IDs of the resources the plan was (or would be) revoked from.
    - For O(state=absent), every resource the deleted plan was applied to (its applications go with it).
  returned: always
  type: list
  elements: str
started:
  description: IDs of the resources a run was (or would be) started on.
  returned: always
  type: list
  elements: str
outcomes:
  description:
    - With O(wait=true), how each run the task started ended, in the order of RV(started); empty in check mode
      (nothing was started) and without O(wait).
  returned: always
  type: list
  elements: dict
  contains:
    resource_id:
      description: ID of the machine or group the run was started on.
      type: str
    resource_type:
      description: Its type (C(resource.machine), C(resource.group.computers), ...).
      type: str
    status:
      description: How the backup ended - C(ok), C(warning) or C(error) (for a group, the worst of its machines).
      type: str
    last_run_at:
      description: When the run ended, as the service gives it.
      type: str
  sample:
    - resource_id: 5c350066-2ba6-4eeb-aa91-1213dd35f033
      resource_type: resource.machine
      status: ok
      last_run_at: "2026-05-01T21:14:03.000000Z"
'''

import copy

from ansible_collections.acronis.cyber_platform.plugins.module_utils import protection
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    is_placeholder_id,
    make_diff,
    mask_secrets,
    merge,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import is_uuid

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.CUSTOMER_ID,
    "name": validation.PLAN_NAME,
    "id": validation.PLAN_ID,
    "wait_timeout": validation.count(1, 86400, "seconds"),
    "backup.schedule.at": validation.TIME_OF_DAY,
    "backup.schedule.interval": validation.count(1, 24, "(hours)"),
    "backup.schedule.window.from": validation.TIME_OF_DAY,
    "backup.schedule.window.to": validation.TIME_OF_DAY,
    "backup.schedule.monthdays": validation.count(1, 31, "(a day of the month)"),
    "backup.schedule.months": validation.count(1, 12, "(a month)"),
    "backup.schedule.start_date": validation.DATE,
    "backup.schedule.end_date": validation.DATE,
    "backup.retention.count": validation.count(1),
    "backup.retention.days": validation.count(1),
    "backup.retention.daily": validation.count(1),
    "backup.retention.weekly": validation.count(1),
    "backup.retention.monthly": validation.count(1),
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the object.
FIELDS_TO_SET = ("enabled", "backup", "settings", "resources", "purge_resources", "run", "wait")


def comparable(plan, resources):
    """What the diff shows of a plan."""
    if plan is None:
        return None
    backup = next((p for p in plan["policies"] if p["type"] == protection.BACKUP), None)
    view = {"name": plan["name"], "enabled": plan["enabled"], "resources": sorted(resources)}
    if backup is not None:
        view["backup"] = {"enabled": backup.get("enabled"), "settings": backup.get("settings") or {}}
    return view


def check_options(module):
    p = module.params
    where = "Protection plan %s" % (repr(p["name"]) if p["id"] is None else p["id"])
    problems = protection.backup_settings_problems(p["backup"] or {})
    if p["id"] is None and p["name"] is None:
        problems.append("give name, or id")
    if p["wait"] and not p["run"]:
        problems.append("wait=true waits for the runs the task starts, so it needs run=true")
    if p["purge_resources"] and p["resources"] is None:
        problems.append("purge_resources needs resources (the list to keep; [] revokes the plan from all)")
    if problems:
        raise AcronisFailure("%s: %s." % (where, "; ".join(problems)))


def sentence(text):
    return text[0].upper() + text[1:]


def read_plan(client, p, where):
    """(plan, {resource id: application}): the plan of this id, or of this name (compared without regard to case),
    None when there is none, and where it is applied.

    ``client`` is None for a tenant that an earlier check-mode task would create: it has no plans; nor has a
    check-mode placeholder ``id`` (a plan an earlier check-mode task would create).
    """
    if client is None or is_placeholder_id(p["id"]):
        return None, {}
    with protection.failing_to_read("read the plans of tenant %s" % p["tenant_id"]):
        if p["id"]:
            plans, _truncated = protection.list_plans(client, plan_id=p["id"].lower())
        else:
            plans, _truncated = protection.list_plans(client, name=p["name"])
    if len(plans) > 1:
        raise AcronisFailure("Tenant %s has %d protection plans named %r (names compared without regard to case): "
                             "%s; give the one to manage as id, or rename or delete the others." % (
                                 p["tenant_id"], len(plans), p["name"],
                                 ", ".join("%s (%r)" % (pl[0]["id"], pl[0].get("name")) for pl in plans)))
    if not plans and p["id"] and p["state"] == "present":
        raise AcronisFailure("Tenant %s has no protection plan with id %s; give the id of an existing plan, or only "
                             "name to create one." % (p["tenant_id"], p["id"]))
    if not plans:
        return None, {}
    current = protection.plan_view(plans[0])
    with failing_to("read the resources of %s" % where):
        return current, protection.applications(client, current["id"])


def wanted_resources(client, references, applied, where):
    """The ids of the resources the plan is to be applied to (None: as it is), each checked to exist."""
    if references is None:
        return None
    if client is None:
        return [r if is_uuid(r) else placeholder_id("resource", r) for r in references]
    with failing_to("look up the resources of %s" % where):
        wanted_ids, problems = protection.resolve_resources(client, references)
        missing = protection.missing_resources(client, [i for i in wanted_ids if i not in applied])
    problems += ["no resource has the id %s" % i for i in missing]
    if problems:
        raise AcronisFailure("%s: option resources: %s; nothing was changed." % (sentence(where), "; ".join(problems)))
    return wanted_ids


def check_backup_policy(current, wanted_settings, backup_option, where):
    """Refuse backup options for an existing plan that has no machine backup policy to change."""
    if current is None or any(pol["type"] == protection.BACKUP for pol in current["policies"]):
        return
    if wanted_settings or (backup_option or {}).get("enabled") is not None:
        raise AcronisFailure("%s has no machine backup policy, so options backup and settings cannot change it; "
                             "delete the plan and let this module create it." % sentence(where))


def resource_changes(p, wanted_ids, applied, where):
    """(to apply, to revoke, the resources after): what resources and purge_resources ask of the plan."""
    to_apply = [i for i in (wanted_ids or []) if i not in applied]
    to_revoke = sorted(i for i in applied if p["purge_resources"] and i not in (wanted_ids or []))
    resources = sorted(set(applied) - set(to_revoke) | set(to_apply))
    if p["run"] and not resources:
        raise AcronisFailure("%s: run=true but the plan is applied to no resource; give resources to apply it to."
                             % sentence(where))
    return to_apply, to_revoke, resources


def ensure_absent(module, client, current, applied, where):
    """The task's result for state=absent: the plan deleted (its applications go with it) when there is one."""
    result = dict(changed=False, plan=None, applied=[], revoked=[], started=[], outcomes=[])
    if current is None:
        return result
    before = comparable(current, applied)
    current["resources"] = sorted(applied)
    result.update(changed=True, plan=current, revoked=sorted(applied), diff=make_diff(before, None))
    if not module.check_mode:
        with failing_to("delete %s" % where, **result):
            protection.delete_plan(client, current["id"])
    return result


def ensure_created(module, client, wanted_settings, where, result):
    """The new plan, with one machine backup policy: the default settings with the options laid over them."""
    p = module.params
    settings = merge(protection.DEFAULT_BACKUP_SETTINGS, wanted_settings or {})
    enabled = p["enabled"] is not False
    backup_enabled = (p["backup"] or {}).get("enabled") is not False
    child = {"type": protection.BACKUP, "enabled": backup_enabled, "settings_schema": "2.0", "settings": settings}
    if module.check_mode:
        plan_id = p["id"] or placeholder_id("protection_plan", "%s/%s" % (p["tenant_id"], p["name"]))
        return {"id": plan_id, "name": p["name"], "enabled": enabled, "tenant_id": None,
                "policies": [dict(child, id=placeholder_id("policy", "%s/%s" % (plan_id, protection.BACKUP)))]}
    with failing_to("create %s" % where, **result):
        policies = protection.create_plan(client, p["name"], enabled, [child])
    return protection.plan_view(policies)


def ensure_one_plan(module, client, plan, where, result):
    """(plan, {resource id: application}) of another writer's plan of the same name, created at the same
    moment, that the tie-break keeps (ours then deleted: ``protection.keep_one_plan``); (None, {}) when ours
    is the one kept."""
    if module.check_mode:
        return None, {}
    with failing_to("read the plans of tenant %s after creating %s" % (module.params["tenant_id"], where),
                    **dict(result, plan=plan)):
        kept = protection.keep_one_plan(client, plan, where)
        if kept is plan:
            return None, {}
        return kept, protection.applications(client, kept["id"])


def ensure_name(module, client, plan, where, result):
    """Whether the plan was (or would be) renamed to the task's ``name`` (found by id, or by a name in other case)."""
    wanted = module.params["name"]
    if wanted is None or wanted == plan["name"]:
        return False
    if not module.check_mode:
        with failing_to("rename %s" % where, **dict(result, changed=True)):
            protection.patch_policy(client, plan["id"], {"name": wanted})
    plan["name"] = wanted
    return True


def check_schedule(module, current, where):
    """Refuse, before any write, a schedule that changes its type without what the new type needs."""
    if current is None:
        settings = protection.DEFAULT_BACKUP_SETTINGS
    else:
        backup = next((pol for pol in current["policies"] if pol["type"] == protection.BACKUP), None)
        settings = (backup or {}).get("settings") or {}
    problems = protection.schedule_problems(((module.params["backup"] or {}).get("schedule")), settings)
    if problems:
        raise AcronisFailure("%s: %s; nothing was changed." % (sentence(where), "; ".join(problems)))


def ensure_enabled(module, client, plan, where, result):
    """Whether the plan was (or would be) enabled or disabled as the option ``enabled`` asks."""
    wanted = module.params["enabled"]
    if wanted is None or wanted == plan["enabled"]:
        return False
    if not module.check_mode:
        with failing_to("update %s" % where, **dict(result, changed=True)):
            protection.update_policy(client, plan["id"], plan["id"], where, enabled=wanted)
    plan["enabled"] = wanted
    return True


def ensure_backup_settings(module, client, plan, where, result):
    """Whether the plan's machine backup policy was (or would be) switched or set as the options ask."""
    p = module.params
    backup = next((pol for pol in plan["policies"] if pol["type"] == protection.BACKUP), None)
    if backup is None:
        return False
    change = {}
    wanted_enabled = (p["backup"] or {}).get("enabled")
    if wanted_enabled is not None and wanted_enabled != backup.get("enabled"):
        change["enabled"] = wanted_enabled
    wanted = protection.backup_settings(p["backup"], p["settings"], current=backup.get("settings"))
    delta = protection.settings_changes(wanted, backup.get("settings") or {})
    encryption = (p["backup"] or {}).get("encryption") or {}
    if encryption.get("update_password") == "always":
        # The service cannot say whether a password differs: "always" sends it, and the task reports the change.
        delta["encryption"] = wanted["encryption"]
    if delta:
        change["settings"] = merge(backup.get("settings") or {}, delta)
    if not change:
        return False
    if not module.check_mode:
        with failing_to("update %s" % where, **dict(result, changed=True)):
            protection.update_policy(client, plan["id"], backup["id"], where, enabled=change.get("enabled"),
                                     settings=delta)
    backup.update(change)
    return True


def ensure_resources(module, client, plan, to_apply, to_revoke, where, result):
    """Whether the plan was (or would be) applied to or revoked from resources."""
    if not (to_apply or to_revoke):
        return False
    if not module.check_mode:
        with failing_to("apply or revoke %s" % where, **dict(result, changed=True)):
            if to_apply:
                protection.apply_plan(client, plan["id"], to_apply)
            if to_revoke:
                protection.revoke_plan(client, plan["id"], to_revoke)
    return True


def ensure_run(module, client, plan, resources, applied, where, result):
    """The resources a run of the plan was (or would be) started on: those where it is not running already."""
    if not module.params["run"]:
        return []
    idle = [i for i in resources if (applied.get(i) or {}).get("running", {}).get("state") != "running"]
    if idle and not module.check_mode:
        with failing_to("start %s" % where, **dict(result, changed=True, started=idle)):
            protection.run_plan(client, plan["id"], idle)
    return idle


def ensure_waited(module, client, plan, started, applied, where, result):
    """With wait=true, the outcomes of the runs the task started (fails on a timeout, and on an error unless told
    otherwise); [] without wait and in check mode, where nothing was started."""
    p = module.params
    if not p["wait"] or not started or module.check_mode:
        return []
    with failing_to("wait for the runs of %s" % where, **result):
        outcomes, running = protection.wait_for_runs(client, plan["id"], dict((r, applied.get(r)) for r in started),
                                                     p["wait_timeout"])
    result["outcomes"] = outcomes
    if running:
        raise AcronisFailure("%s: the runs started on %s had not ended after wait_timeout=%s seconds (they go on); "
                             "raise wait_timeout, or read their outcome later with acronis_resource_info."
                             % (sentence(where), ", ".join(running), p["wait_timeout"]), **result)
    failed = [o["resource_id"] for o in outcomes if o["status"] == "error"]
    warned = [o["resource_id"] for o in outcomes if o["status"] == "warning"]
    if warned:
        module.warn("The backup of %s ended with a warning on %s." % (where, ", ".join(warned)))
    if failed:
        message = "The backup of %s failed on %s." % (where, ", ".join(failed))
        if p["fail_on_backup_error"]:
            raise AcronisFailure("%s See the machines' alerts (acronis_alert_info); fail_on_backup_error=false "
                                 "returns the outcomes without failing." % message, **result)
        module.warn(message)
    return outcomes


def plan_after(module, client, plan, where, result):
    """The plan as a read shows it after a write (the service adds policies and the tenant to a new plan)."""
    if module.check_mode or not result["changed"]:
        return plan
    with failing_to("read %s after changing it" % where, **result):
        fresh = protection.read_plan(client, plan["id"])
    if fresh is None:
        raise AcronisFailure("%s was changed, but a read then did not find it; it may have been deleted meanwhile."
                             % sentence(where), **result)
    return fresh


def run(module):
    p = module.params
    check_options(module)
    where = "protection plan %s of tenant %s" % (repr(p["name"]) if p["id"] is None else p["id"], p["tenant_id"])
    client = None if is_placeholder_id(p["tenant_id"]) else module.client.scoped(p["tenant_id"])

    # Current state: the plan of this name and the resources it is applied to.
    current, applied = read_plan(client, p, where)
    if p["state"] == "absent":
        return ensure_absent(module, client, current, applied, where)

    # Desired state, checked before any write.
    if current is None and p["name"] is None:
        raise AcronisFailure("%s would be created, which needs its name; give name." % sentence(where))
    check_schedule(module, current, where)
    wanted_settings = protection.backup_settings(p["backup"], p["settings"])
    wanted_ids = wanted_resources(client, p["resources"], applied, where)
    check_backup_policy(current, wanted_settings, p["backup"], where)
    to_apply, to_revoke, resources = resource_changes(p, wanted_ids, applied, where)

    # Act, one aspect at a time: each step says what it changed; a failure returns what was done before it.
    result = dict(changed=False, plan=None, applied=[], revoked=[], started=[], outcomes=[])
    if current is None:
        result["changed"] = True
        plan = ensure_created(module, client, wanted_settings, where, result)
        current, applied = ensure_one_plan(module, client, plan, where, result)
        if current is not None:
            # Another writer's plan of the same name is kept and ours removed: the task's options go on
            # through the compare/update path, as for a plan found.
            check_backup_policy(current, wanted_settings, p["backup"], where)
            to_apply, to_revoke, resources = resource_changes(p, wanted_ids, applied, where)
    if current is not None:
        plan = copy.deepcopy(current)
        result["changed"] |= ensure_name(module, client, plan, where, result)
        result["changed"] |= ensure_enabled(module, client, plan, where, result)
        result["changed"] |= ensure_backup_settings(module, client, plan, where, result)
    plan["resources"] = resources
    result.update(plan=plan, applied=to_apply, revoked=to_revoke)
    result["changed"] |= ensure_resources(module, client, plan, to_apply, to_revoke, where, result)
    result["started"] = ensure_run(module, client, plan, resources, applied, where, result)
    result["changed"] |= bool(result["started"])
    result["outcomes"] = ensure_waited(module, client, plan, result["started"], applied, where, result)
    result["plan"] = plan_after(module, client, plan, where, result)
    if result["changed"]:
        before, after = comparable(current, applied), comparable(plan, resources)
        result["diff"] = make_diff(None, after) if before is None else mask_secrets({"before": before, "after": after})
    return result


def main():
    AcronisModule(
        option_kinds=OPTION_KINDS, fields_to_set=FIELDS_TO_SET,
        argument_spec=dict(
            tenant_id=dict(type="str", required=True),
            name=dict(type="str"),
            id=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            enabled=dict(type="bool"),
            backup=dict(type="dict", options=dict(
                enabled=dict(type="bool"),
                compression=dict(type="str", choices=list(protection.COMPRESSIONS)),
                format=dict(type="str", choices=list(protection.FORMATS)),
                destination=dict(type="str", choices=list(protection.VAULT_TYPES)),
                archive_name=dict(type="str"),
                schedule=dict(type="dict", options=dict(
                    enabled=dict(type="bool"),
                    type=dict(type="str", choices=list(protection.SCHEDULE_TYPES)),
                    weekdays=dict(type="list", elements="str", choices=list(protection.WEEKDAYS)),
                    at=dict(type="list", elements="str"),
                    interval=dict(type="int"),
                    window=dict(type="dict", options={"from": dict(type="str"), "to": dict(type="str")}),
                    monthdays=dict(type="list", elements="int"),
                    last_day_of_month=dict(type="bool"),
                    week_of_month=dict(type="str", choices=list(protection.WEEKS_OF_MONTH)),
                    months=dict(type="list", elements="int"),
                    start_date=dict(type="str"),
                    end_date=dict(type="str"),
                    scheme=dict(type="str", choices=list(protection.SCHEMES)),
                )),
                items=dict(type="dict", options=dict(
                    type=dict(type="str", choices=list(protection.BACKUP_SPANS)),
                    paths=dict(type="list", elements="str"),
                    exclusions=dict(type="list", elements="str"),
                )),
                encryption=dict(type="dict", options=dict(
                    algorithm=dict(type="str", choices=list(protection.ENCRYPTION_ALGORITHMS), default="aes256"),
                    password=dict(type="str", required=True, no_log=True),
                    update_password=dict(type="str", choices=["always", "on_create"], default="on_create",
                                         no_log=False),
                )),
                retention=dict(type="dict", options=dict(
                    count=dict(type="int"),
                    days=dict(type="int"),
                    daily=dict(type="int"),
                    weekly=dict(type="int"),
                    monthly=dict(type="int"),
                    after_backup=dict(type="bool"),
                )),
            )),
            settings=dict(type="dict"),
            resources=dict(type="list", elements="str"),
            purge_resources=dict(type="bool", default=False),
            run=dict(type="bool", default=False),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=3600),
            fail_on_backup_error=dict(type="bool", default=True),
        ),
        required_one_of=[("name", "id")],
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
