# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_fleet_onboarding: the onboarding of many inventory hosts from one task (plugins/plugin_utils/fleet.py).

It reads each host's variables from the inventory, onboards the tenants in threads of this worker, and returns
one result per host. It always runs on the controller, whatever the task's connection.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible.plugins.action import ActionBase

from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import connection_argument_spec
from ansible_collections.acronis.cyber_platform.plugins.modules.acronis_fleet_onboarding import FLEET_OPTIONS
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import fleet
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.ansible_core import unsupported_message
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.direct import encode_arguments

MODULE = "acronis.cyber_platform.acronis_fleet_onboarding"
# How many failed hosts the task's message names (every one is in the result's tenants and summary).
FAILURES_IN_MESSAGE = 10


def argument_spec():
    spec = connection_argument_spec()
    spec.update(FLEET_OPTIONS)
    return spec


def plain(values):
    """Inventory values as a module would receive them: JSON values, vaulted values decrypted, templates trusted."""
    return json.loads(encode_arguments(values))["ANSIBLE_MODULE_ARGS"]


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        unsupported = unsupported_message()
        if unsupported:
            return {"failed": True, "msg": unsupported}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        validation, options = self.validate_argument_spec(argument_spec=argument_spec())
        del validation
        if options["concurrency"] < 1:
            return dict(result, failed=True, msg="Option concurrency must be 1 or more, got %d." % options["concurrency"])
        hostvars = task_vars["hostvars"]
        unknown = [host for host in options["hosts"] if host not in hostvars]
        if unknown:
            return dict(result, failed=True, msg="Option hosts names %s, which %s not in the inventory: give the names "
                        "of inventory hosts (for example \"{{ ansible_play_hosts }}\")." % (
                            ", ".join(unknown[:5]), "is" if len(unknown) == 1 else "are"))

        tenants = [fleet.Tenant(host, self._host_variables(hostvars[host]), self._kind(hostvars[host], options))
                   for host in options["hosts"]]
        in_run = set(options["hosts"])
        parents_outside = set(tenant.parent for tenant in tenants
                              if tenant.parent and tenant.parent not in in_run and tenant.parent in hostvars)
        run = fleet.FleetRun(tenants, self._connection_options(options), self._internal_arguments(task_vars),
                             concurrency=options["concurrency"])
        outcomes = run.run(dict((host, self._host_variables(hostvars[host])) for host in parents_outside))
        return dict(result, **self._result(outcomes, run.check_mode))

    # ------------------------------------------------------------ reading

    @staticmethod
    def _host_variables(host_vars):
        """The variables of one host that the onboarding reads, templated, as plain values."""
        names = list(fleet.VARIABLES) + ["acronis_name"] + list(fleet.CONNECTION_VARIABLES)
        wanted = dict((name, fleet.PREFIX + name if name in fleet.VARIABLES else name) for name in names)
        values = dict((key, host_vars[key]) for key in wanted.values() if key in host_vars)
        values["group_names"] = host_vars.get("group_names") or []
        return plain(values)

    @staticmethod
    def _kind(host_vars, options):
        """The kind of the host's first group that ``kinds`` names, or None (its own tenant_onboarding_kind)."""
        groups = host_vars.get("group_names") or []
        for group, kind in options["kinds"].items():
            if group in groups:
                return kind
        return None

    def _connection_options(self, options):
        return dict((name, options[name]) for name in connection_argument_spec() if options.get(name) is not None)

    def _internal_arguments(self, task_vars):
        """ansible-core's ``_ansible_*`` arguments of this task (check mode, diff, verbosity ...), as a module gets."""
        arguments = {}
        self._update_module_args(MODULE, arguments, task_vars)
        return plain(dict((key, value) for key, value in arguments.items() if key.startswith("_ansible_")))

    # ------------------------------------------------------------ the result

    def _result(self, outcomes, check_mode):
        failed = [outcome for outcome in outcomes.values() if outcome.failed]
        summary = fleet.summary_lines(outcomes, check_mode)
        result = dict(
            changed=any(outcome.changed for outcome in outcomes.values()),
            tenants=dict((host, outcome.as_result()) for host, outcome in outcomes.items()),
            failed_hosts=[outcome.host for outcome in failed],
            summary=summary,
        )
        diffs = [diff for outcome in outcomes.values() for diff in outcome.diffs]
        if diffs:
            result["diff"] = diffs
        warnings = ["%s: %s" % (outcome.host, warning) for outcome in outcomes.values() for warning in outcome.warnings]
        if warnings:
            result["warnings"] = warnings
        if failed:
            more = len(failed) - FAILURES_IN_MESSAGE
            result["failed"] = True
            result["msg"] = "%s. %s%s" % (summary[0], " ".join("%s: %s" % (outcome.host, outcome.msg)
                                                               for outcome in failed[:FAILURES_IN_MESSAGE]),
                                          " (and %d more: see failed_hosts)" % more if more > 0 else "")
        else:
            result["msg"] = summary[0]
        return result
