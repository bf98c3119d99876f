# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks the current host's variables against a role's ``meta/argument_specs.yml``, with a small task.

What ansible-core's implicit role validation does (``ansible.builtin.validate_argument_spec``, the same validator
and the same messages), without its cost on a large inventory: that task carries the whole argument
specification as its arguments, and every host's result carries the task's arguments back to the controller,
which keeps all the results of a task until its last host is done. The onboarding's 19 KB specification so
costs the controller about 0.3 MiB per host at its peak, which it keeps, and every later fork copies. Here
the task's arguments are a role name; the specification is read from the collection's role once per
controller process, before the workers fork, and the result is a line.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.role_specs import argument_errors, preload, role_options


class ActionModule(ActionBase):
    """The check of the ``validate_role_variables`` module's documentation (plugins/modules)."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("role", "entry_point"))
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        role = self._task.args.get("role")
        entry_point = self._task.args.get("entry_point", "main")
        if not isinstance(role, str) or not isinstance(entry_point, str):
            raise AnsibleError("validate_role_variables needs role, the name of a role of acronis.cyber_platform, "
                               "and takes entry_point, the entry point of its argument specification (default main)")
        options = role_options(role, entry_point)
        if options is None:
            raise AnsibleError("acronis.cyber_platform has no role %s with an entry point %s in meta/argument_specs.yml"
                               % (role, entry_point))
        # As validate_argument_spec: the variables the specification names, templated, and nothing else.
        provided = self._templar.template(dict((name, task_vars[name]) for name in options if name in task_vars))
        errors = argument_errors(options, provided)
        result["changed"] = False
        if errors:
            result["failed"] = True
            result["argument_errors"] = errors
            result["msg"] = ("The variables of %s for the role acronis.cyber_platform.%s do not match its argument "
                             "specification (meta/argument_specs.yml): %s."
                             % (task_vars.get("inventory_hostname", "this host"), role, "; ".join(errors)))
        else:
            result["msg"] = "The variables match the argument specification of acronis.cyber_platform.%s" % role
        return result


preload()
