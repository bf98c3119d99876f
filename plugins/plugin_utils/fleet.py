# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet path: the onboarding of many tenants from one task (acronis_fleet_onboarding).

The per-host path (the ``tenant_onboarding`` role, one inventory host per tenant) costs the controller a worker
process per host and task; this path does the same onboarding for every tenant from one task, in threads of one
worker, each step the same module the role runs, with the same arguments, called in-process
(``module.run_in_thread``). What each step is given follows ``roles/tenant_onboarding/tasks/main.yml`` line for
line; ``tests/integration/targets/acronis_fleet_onboarding`` checks that both paths end in the same world.

Plain data in, plain data out: ``Tenant`` holds one host's variables, ``onboard_fleet`` returns one
``TenantOutcome`` per host. The action plugin reads the inventory and writes the task's result.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import concurrent.futures
import importlib
import threading

from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import one_line, run_in_thread
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.role_specs import argument_errors, role_options

PREFIX = "tenant_onboarding_"
MODULES = "ansible_collections.acronis.cyber_platform.plugins.modules."
COLLECTION = "acronis.cyber_platform"

# The role's defaults (roles/tenant_onboarding/defaults/main.yml) that are values; the three that are templates
# (the name, all_offering_items and admin_roles) are computed in Tenant. A unit test compares both with the file.
STATIC_DEFAULTS = {
    "kind": "customer",
    "parent": None,
    "parent_id": None,
    "customer_id": None,
    "internal_tag": None,
    "language": None,
    "contact": None,
    "enabled": None,
    "management_mode": "managed",
    "mfa": True,
    "enhanced_security": None,
    "production": None,
    "edition": "*",
    "offering_items": [],
    "purge_offering_items": False,
    "brand": None,
    "administrators": [],
    "passwords": {},
    "admin_activation": "email",
    "purge_roles": False,
}
TEMPLATED_DEFAULTS = ("name", "all_offering_items", "admin_roles")
VARIABLES = tuple(STATIC_DEFAULTS) + TEMPLATED_DEFAULTS

# The connection of each host: the variables the shipped playbooks give module_defaults (several data centers).
CONNECTION_VARIABLES = {
    "acronis_base_url": "base_url",
    "acronis_client_id": "client_id",
    "acronis_client_secret": "client_secret",
    "acronis_credentials_file": "credentials_file",
}


class StepFailed(Exception):
    """A step of one tenant's onboarding failed: its message is the tenant's."""


class Tenant:
    """One inventory host to onboard: its ``tenant_onboarding_*`` variables (without the prefix), defaults applied.

    ``variables`` are the host's as the inventory gives them (only the role's and the connection's are read);
    ``kind``, when given, wins over the host's, as the shipped playbooks' play variables do.
    """

    def __init__(self, host, variables, kind=None):
        self.host = host
        given = dict((name[len(PREFIX):], value) for name, value in variables.items() if name.startswith(PREFIX))
        self.vars = dict(STATIC_DEFAULTS)
        self.vars.update((name, value) for name, value in given.items() if name in VARIABLES)
        if kind:
            self.vars["kind"] = kind
        self.vars.setdefault("name", variables.get("acronis_name", host))
        self.vars.setdefault("all_offering_items", self.vars["kind"] == "partner")
        self.vars.setdefault("admin_roles", ["partner_admin"] if self.vars["kind"] == "partner" else ["company_admin"])
        self.connection = dict((option, variables[name]) for name, option in CONNECTION_VARIABLES.items()
                               if variables.get(name) is not None)

    @property
    def parent(self):
        return self.vars["parent"]

    def data_center(self):
        """What tells this tenant's data center and API client apart from another's."""
        return tuple(sorted((key, str(value)) for key, value in self.connection.items()))


class TenantOutcome:
    """What the onboarding of one tenant did: ``changed``, ``failed`` with ``msg``, the steps that changed."""

    def __init__(self, tenant):
        self.host = tenant.host
        self.name = tenant.vars["name"]
        self.kind = tenant.vars["kind"]
        self.tenant = None          # the tenant as the tenant step returned it (a placeholder id in check mode)
        self.changed_steps = []
        self.failed = False
        self.msg = None
        self.warnings = []
        self.diffs = []

    @property
    def changed(self):
        return bool(self.changed_steps)

    def as_result(self):
        result = dict(name=self.name, kind=self.kind, changed=self.changed, failed=self.failed,
                      changed_steps=list(self.changed_steps))
        if self.tenant:
            result["tenant_id"] = self.tenant.get("id")
        if self.msg:
            result["msg"] = self.msg
        if self.warnings:
            result["warnings"] = list(self.warnings)
        return result


# ------------------------------------------------------------------ the checks before any request

def variables_problem(tenant):
    """Why this tenant's variables cannot be onboarded (the role's checks before any write, in its words), or None."""
    errors = argument_errors(role_options("tenant_onboarding"),
                             dict((PREFIX + name, value) for name, value in tenant.vars.items()))
    if errors:
        return "Variables of %s do not match the role's argument specification: %s" % (tenant.host, "; ".join(errors))
    # The variables as given, as the role's tasks read them (the validator's copy has every sub-option filled in).
    v = tenant.vars
    blank = [PREFIX + name for name in ("name", "edition") if _blank(v[name])]
    blank += [PREFIX + name for name in ("parent", "parent_id") if v[name] is not None and _blank(v[name])]
    if any(_blank(admin.get("login")) for admin in v["administrators"]):
        blank.append(PREFIX + "administrators[].login")
    if blank:
        return ("Variable %s of %s is empty, blank or null: a variable that names a tenant, an edition or a login is "
                "either left unset or set to a real name or id, never empty (a survey left blank, or a host variable "
                "that rendered to nothing?). Set it, or leave it unset for its default." % (blank[0], tenant.host))
    for admin in v["administrators"]:
        login = str(admin["login"])
        if validation.login_problem(login) or len(login) > validation.LOGIN_MAX:
            return ("Administrator login '%s%s' (%d characters) of %s is not one the service takes: a login has 3 to "
                    "255 characters, ASCII letters, digits and . @ _ - + : ! # $ %% ^ * = { } ' ` / ? only. Fix it in "
                    "tenant_onboarding_administrators; nothing was created."
                    % (login[:40], "..." if len(login) > 40 else "", len(login), tenant.host))
    without_password = [admin["login"] for admin in v["administrators"]
                        if _activation(admin, v) == "password" and admin["login"] not in v["passwords"]]
    if without_password:
        return ("Administrator %s of %s has activation 'password' but no entry in the passwords variable "
                "(tenant_onboarding_passwords); add one, or choose activation 'email' or 'none'."
                % (", ".join(without_password), v["name"]))
    if v["brand"] is not None and v["kind"] not in ("partner", "folder"):
        return ("%s is a %s and has tenant_onboarding_brand set; only partners and folders have a brand of their own "
                "(a %s wears its partner's): remove the variable." % (v["name"], v["kind"], v["kind"]))
    return None


def _blank(value):
    return value is None or not str(value).strip()


def _activation(admin, v):
    return admin.get("activation") or v["admin_activation"]


def _omit_none(**options):
    return dict((key, value) for key, value in options.items() if value is not None)


# ------------------------------------------------------------------ the steps, as the role's tasks give them

def tenant_options(v, parent_id):
    """The options of the role's "Tenant, with its settings, MFA and pricing mode" task."""
    return _omit_none(
        name=v["name"], parent_id=parent_id, kind=v["kind"], customer_id=v["customer_id"],
        internal_tag=v["internal_tag"], language=v["language"], contact=v["contact"], enabled=v["enabled"],
        ancestral_access=None if v["management_mode"] is None else v["management_mode"] == "managed",
        # Units and folders follow their ancestors' MFA: the service does not manage it for them.
        mfa_enabled=None if v["kind"] in ("unit", "folder") else v["mfa"],
        enhanced_security=v["enhanced_security"],
        pricing_mode=None if v["production"] is None else ("production" if v["production"] else "trial"))


def offering_items_options(v, tenant, created, items):
    """The options of the role's "Offering items and quotas" task, or None where the role skips it."""
    if not (v["all_offering_items"] or v["offering_items"] or v["purge_offering_items"]):
        return None
    return dict(tenant=tenant, tenant_created=created, edition=v["edition"], all_available=v["all_offering_items"],
                items=items, purge=v["purge_offering_items"])


def brand_options(v, tenant_id):
    """The options of the role's "Brand of a partner or folder that has one" task, or None where it is skipped."""
    if v["brand"] is None:
        return None
    return dict(_omit_none(**v["brand"]), tenant_id=tenant_id)


def administrator_options(v, admin, tenant_id, created):
    """The options of the role's "Administrators ..." task for one administrator."""
    activation = _activation(admin, v)
    contact = _omit_none(email=admin.get("email"), firstname=admin.get("firstname"),
                         lastname=admin.get("lastname"), phone=admin.get("phone"))
    roles = admin.get("roles")
    options = dict(
        tenant_id=tenant_id, login=admin["login"], contact=contact,
        language=admin.get("language") or v["language"],
        enabled=admin.get("enabled"), notifications=admin.get("notifications"),
        # [company_admin] becomes [{role_id: company_admin, tenant_id: null}]: null is the user's tenant.
        roles=[dict(role_id=role, tenant_id=None) for role in (roles if roles is not None else v["admin_roles"])],
        purge_roles=admin["purge_roles"] if admin.get("purge_roles") is not None else v["purge_roles"],
        activation_email="on_create" if activation == "email" else "never",
        password=v["passwords"][admin["login"]] if activation == "password" else None,
        update_password="until_activated", tenant_created=created)
    return _omit_none(**options)


# ------------------------------------------------------------------ running

class FleetRun:
    """The onboarding of a set of tenants: parents before their children, ``concurrency`` tenants at a time.

    ``module_options``: the connection options of the task (module_defaults, ACRONIS_*), which each tenant's own
    connection variables win over; ``internal``: ansible-core's ``_ansible_*`` arguments of the task (check mode,
    diff, verbosity).
    """

    def __init__(self, tenants, module_options, internal, concurrency=10):
        self.tenants = tenants
        self.by_host = dict((tenant.host, tenant) for tenant in tenants)
        self.module_options = dict((key, value) for key, value in module_options.items() if value is not None)
        self.internal = internal
        self.concurrency = max(1, int(concurrency))
        self.check_mode = bool(internal.get("_ansible_check_mode"))
        self.outcomes = {}
        self._data_centers = {}
        self._lock = threading.Lock()

    # --------------------------------------------------------------- the plan

    def waves(self):
        """The tenants in waves: each tenant's parent host, when it is one of this run's, in an earlier wave."""
        depth = {}

        def depth_of(tenant, seen=()):
            if tenant.host in depth:
                return depth[tenant.host]
            parent = self.by_host.get(tenant.parent) if tenant.parent else None
            if parent is None or parent.host in seen:
                depth[tenant.host] = 0
            else:
                depth[tenant.host] = depth_of(parent, seen + (tenant.host,)) + 1
            return depth[tenant.host]

        for tenant in self.tenants:
            depth_of(tenant)
        waves = [[] for _wave in range(max(depth.values()) + 1 if depth else 0)]
        for tenant in self.tenants:
            waves[depth[tenant.host]].append(tenant)
        return waves

    def run(self, inventory_vars=None):
        """Onboard every tenant; returns {host: TenantOutcome}. ``inventory_vars``: {host: variables} of hosts
        outside this run that a tenant names as its parent (--limit left them out)."""
        self.inventory_vars = inventory_vars or {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            for wave in self.waves():
                for tenant, outcome in zip(wave, pool.map(self.onboard, wave)):
                    self.outcomes[tenant.host] = outcome
        return self.outcomes

    # --------------------------------------------------------------- one tenant

    def onboard(self, tenant):
        """The role's tasks for one tenant, in its order; a failure stops this tenant only."""
        outcome = TenantOutcome(tenant)
        try:
            problem = variables_problem(tenant)
            if problem:
                raise StepFailed(problem)
            outcome.name = tenant.vars["name"]
            self.check_data_center(tenant)
            self.onboard_steps(tenant, outcome)
        except StepFailed as failure:
            outcome.failed = True
            outcome.msg = str(failure)
        except Exception as exc:  # pylint: disable=broad-except
            # A bug of the collection: this tenant fails with one line, the others go on.
            outcome.failed = True
            outcome.msg = ("The onboarding of %s stopped on an unexpected error (%s); this is a bug of the %s "
                           "collection, please report it with the output of -vvv"
                           % (tenant.host, one_line(exc), COLLECTION))
        return outcome

    def onboard_steps(self, tenant, outcome):
        v = tenant.vars
        parent_id = self.parent_id(tenant)
        items = v["offering_items"]
        if any(item.get("infra") is not None for item in items):
            # An item whose storage is named by name gets the storage's ID (the role's checks.yml).
            found = self.step(tenant, outcome, "storages", "acronis_infra_info",
                              dict(_omit_none(tenant_id=parent_id), resolve=items))
            items = found["resolved_entries"]
        result = self.step(tenant, outcome, "tenant", "acronis_tenant", tenant_options(v, parent_id))
        outcome.tenant = result["tenant"]
        created = bool(result.get("created"))
        options = offering_items_options(v, result["tenant"], created, items)
        if options is not None:
            self.step(tenant, outcome, "offering_items", "acronis_offering_items", options)
        options = brand_options(v, result["tenant"]["id"])
        if options is not None:
            self.step(tenant, outcome, "brand", "acronis_branding", options)
        for admin in v["administrators"]:
            self.step(tenant, outcome, "administrator %s" % admin["login"], "acronis_user",
                      administrator_options(v, admin, result["tenant"]["id"], created))

    def parent_id(self, tenant):
        """The parent's tenant id (a placeholder in check mode, as the role's), the given id, or None."""
        parent = tenant.parent
        if not parent:
            return tenant.vars["parent_id"]
        if parent in self.outcomes:
            done = self.outcomes[parent]
            if done.failed or not done.tenant:
                raise StepFailed("The parent of %s, inventory host %s, failed earlier in this run; fix it, then run "
                                 "both again." % (tenant.vars["name"], parent))
            return done.tenant["id"]
        if parent not in self.inventory_vars:
            raise StepFailed("The parent of %s, %s, is not an inventory host: name the host of the parent tenant."
                             % (tenant.vars["name"], parent))
        # Its host is not in this run (--limit): found by the name its inventory gives it, one level up at most.
        parent_vars = Tenant(parent, self.inventory_vars[parent]).vars
        grandparent = parent_vars["parent"]
        if grandparent and (grandparent not in self.outcomes or not self.outcomes[grandparent].tenant):
            raise StepFailed(_PARENT_NOT_FOUND % (tenant.vars["name"], parent, parent, tenant.host))
        found = self.step(tenant, None, "the parent's lookup", "acronis_tenant_info", _omit_none(
            name=parent_vars["name"],
            parent_id=self.outcomes[grandparent].tenant["id"] if grandparent else parent_vars["parent_id"]))
        if len(found.get("tenants") or []) != 1:
            raise StepFailed(_PARENT_NOT_FOUND % (tenant.vars["name"], parent, parent, tenant.host))
        return found["tenants"][0]["id"]

    def check_data_center(self, tenant):
        """Once per data center and API client: its connection and client work (the role's run-once check).

        Every tenant of a data center whose check failed fails with the check's message, without a request.
        """
        key = tenant.data_center()
        with self._lock:
            event = self._data_centers.get(key)
            first = event is None
            if first:
                event = self._data_centers[key] = {"done": threading.Event(), "problem": None}
        if first:
            try:
                self.step(tenant, None, "the check of the connection and API client", "acronis_tenant_info", {})
            except StepFailed as failure:
                event["problem"] = str(failure)
            finally:
                event["done"].set()
        event["done"].wait()
        if event["problem"]:
            raise StepFailed(event["problem"])

    def step(self, tenant, outcome, name, module, options):
        """Run one module for one tenant, as the role's task would; its result, or StepFailed with its message."""
        params = dict(self.module_options)
        params.update(tenant.connection)
        params.update(options)
        params.update(self.internal)
        params["_ansible_module_name"] = "%s.%s" % (COLLECTION, module)
        main = importlib.import_module(MODULES + module).main
        result = run_in_thread(main, params)
        if outcome is not None:
            outcome.warnings.extend(result.get("warnings") or [])
            if result.get("changed"):
                outcome.changed_steps.append(name)
            if result.get("diff") and self.internal.get("_ansible_diff"):
                outcome.diffs.extend(_labelled(result["diff"], "%s: %s" % (tenant.host, name)))
        if result.get("failed"):
            raise StepFailed("%s: %s" % (name, result.get("msg")))
        return result


_PARENT_NOT_FOUND = ("The parent of %s, inventory host %s, is not in this run, and its tenant does not exist yet or its "
                     "own parent is not in this run either: name the parents in --limit too (for example --limit "
                     "%s,%s).")


def _labelled(diff, label):
    """The module's diff (one or a list), each with a header naming the tenant and the step."""
    diffs = diff if isinstance(diff, list) else [diff]
    return [dict(one, before_header=one.get("before_header") or label, after_header=one.get("after_header") or label)
            for one in diffs]


def summary_lines(outcomes, check_mode):
    """What a person reads at the end: the counts, then one line per failed tenant."""
    values = list(outcomes.values())
    failed = [outcome for outcome in values if outcome.failed]
    changed = [outcome for outcome in values if outcome.changed and not outcome.failed]
    verb = "would change" if check_mode else "changed"
    lines = ["%d tenant%s: %d %s, %d unchanged, %d failed" % (
        len(values), "" if len(values) == 1 else "s", len(changed), verb, len(values) - len(changed) - len(failed),
        len(failed))]
    lines.extend("failed: %s: %s" % (outcome.host, outcome.msg) for outcome in failed)
    return lines
