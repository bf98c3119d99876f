# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""validate_role_variables checks a host's variables as ansible-core's role validation does, with a small task."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import types

import pytest
import yaml

from ansible.errors import AnsibleError
from ansible.plugins.action.validate_argument_spec import ActionModule as CoreValidation

from ansible_collections.acronis.cyber_platform.plugins.action import validate_role_variables
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import role_specs

SPEC_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                         "roles", "tenant_onboarding", "meta", "argument_specs.yml")

GOOD = {
    "inventory_hostname": "acme",
    "tenant_onboarding_name": "Acme",
    "tenant_onboarding_kind": "customer",
    "tenant_onboarding_administrators": [{"login": "acme-admin", "email": "it@acme.example"}],
    "not_a_role_variable": object(),
}


class _Templar:
    @staticmethod
    def template(value):
        return value


def _run(plugin_class, args, task_vars):
    action = plugin_class.__new__(plugin_class)
    action._task = types.SimpleNamespace(args=args, async_val=0, check_mode=False, action="validate_role_variables")
    action._connection = types.SimpleNamespace(_shell=types.SimpleNamespace(tmpdir="/unused"))
    action._templar = _Templar()
    return action.run(task_vars=task_vars)


def _with(**changes):
    task_vars = dict(GOOD)
    task_vars.update(changes)
    return task_vars


def test_the_specification_is_the_roles_file_read_when_the_plugin_is_imported():
    with open(SPEC_FILE) as stream:
        options = yaml.safe_load(stream)["argument_specs"]["main"]["options"]
    assert role_specs._SPECS[("tenant_onboarding", "main")] == options


def test_good_variables_pass_with_a_result_of_one_line():
    result = _run(validate_role_variables.ActionModule, {"role": "tenant_onboarding"}, GOOD)
    assert not result.get("failed")
    assert result["changed"] is False
    assert sorted(result) == ["changed", "msg"]
    assert len(json.dumps(result)) < 200


@pytest.mark.parametrize("changes, variable", [
    ({"tenant_onboarding_kind": "company"}, "tenant_onboarding_kind"),
    ({"tenant_onboarding_mfa": "maybe"}, "tenant_onboarding_mfa"),
    ({"tenant_onboarding_administrators": [{"login": "acme-admin"}]}, "tenant_onboarding_administrators"),
    ({"tenant_onboarding_offering_items": "pw_workstations"}, "tenant_onboarding_offering_items"),
])
def test_a_bad_variable_fails_naming_the_variable_and_the_host(changes, variable):
    result = _run(validate_role_variables.ActionModule, {"role": "tenant_onboarding"}, _with(**changes))
    assert result["failed"] is True
    assert variable in result["msg"]
    assert "of acme for the role acronis.cyber_platform.tenant_onboarding" in result["msg"]
    assert any(variable in error for error in result["argument_errors"])


@pytest.mark.parametrize("changes", [
    {"tenant_onboarding_kind": "company"},
    {"tenant_onboarding_mfa": "maybe", "tenant_onboarding_edition": ["a", "b"]},
    {"tenant_onboarding_administrators": [{"email": "x@example.com", "roles": "company_admin"}]},
    {},
])
def test_the_errors_are_those_of_ansible_cores_role_validation(changes):
    with open(SPEC_FILE) as stream:
        options = yaml.safe_load(stream)["argument_specs"]["main"]["options"]
    core = _run(CoreValidation, {"argument_spec": options, "validate_args_context": {}}, _with(**changes))
    ours = _run(validate_role_variables.ActionModule, {"role": "tenant_onboarding"}, _with(**changes))
    assert ours.get("argument_errors", []) == core.get("argument_errors", [])
    assert ours.get("failed", False) == core.get("failed", False)


@pytest.mark.parametrize("args", [
    {"role": "no_such_role"},
    {"role": "tenant_onboarding", "entry_point": "no_such_entry_point"},
    {"role": "../roles/tenant_onboarding"},
    {},
])
def test_a_role_it_does_not_know_is_an_error(args):
    with pytest.raises(AnsibleError):
        _run(validate_role_variables.ActionModule, args, GOOD)
