# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The in-process harness: run_main on stand-in modules, and the decision of ActionModule."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import sys
import types

import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils import ansible_core, direct

SECRET = "s3cr3t-value-never-shown"


def _payload(**args):
    args.setdefault("_ansible_check_mode", False)
    return json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8")


@pytest.fixture
def stand_in(monkeypatch):
    """Register a module named acronis_stand_in whose main() is the given function."""
    def install(main):
        module = types.ModuleType("acronis_stand_in")
        module.main = main
        monkeypatch.setitem(sys.modules, "acronis_stand_in", module)
        return "acronis_stand_in"
    return install


def _spec_module():
    return AnsibleModule(argument_spec=dict(name=dict(type="str"), secret=dict(type="str", no_log=True),
                                            warn=dict(type="bool", default=False)),
                         supports_check_mode=True)


def _run(module_name, **args):
    stdout, rc = direct.run_main(module_name, _payload(**args))
    return json.loads(stdout), rc


def test_result_and_invocation_come_back_as_the_module_would_print_them(stand_in):
    def main():
        module = _spec_module()
        module.exit_json(changed=True, greeting="hello %s" % module.params["name"])
    result, rc = _run(stand_in(main), name="world")
    assert rc == 0
    assert result["changed"] is True
    assert result["greeting"] == "hello world"
    assert result["invocation"]["module_args"]["name"] == "world"


def test_no_log_values_are_masked_in_the_result_and_the_invocation(stand_in):
    def main():
        module = _spec_module()
        module.exit_json(changed=False, echoed="the secret is %s" % module.params["secret"])
    result, _rc = _run(stand_in(main), secret=SECRET)
    assert SECRET not in json.dumps(result)
    assert result["invocation"]["module_args"]["secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_warnings_of_one_run_do_not_reach_the_next(stand_in):
    def main():
        module = _spec_module()
        if module.params["warn"]:
            module.warn("first item warns")
        module.exit_json(changed=False)
    name = stand_in(main)
    first, _rc = _run(name, warn=True)
    second, _rc = _run(name, warn=False)
    assert len(first["warnings"]) == 1
    assert "first item warns" in json.dumps(first["warnings"])
    assert "warnings" not in second


def test_a_failure_has_the_shape_of_fail_json(stand_in):
    def main():
        module = _spec_module()
        module.fail_json(msg="Tenant 'A' does not exist; create it first", tenant={})
    result, rc = _run(stand_in(main))
    assert rc == 1
    assert result["failed"] is True
    assert result["msg"] == "Tenant 'A' does not exist; create it first"
    assert result["tenant"] == {}


def test_an_exception_that_escapes_the_module_is_one_line_and_never_reaches_the_worker(stand_in):
    def main():
        raise KeyError("application_id")
    result, rc = _run(stand_in(main))
    assert rc == 1
    assert result["failed"] is True
    assert "\n" not in result["msg"]
    assert "application_id" in result["msg"]
    assert "KeyError" not in result["msg"] and "Traceback" not in result["msg"]


def test_an_exit_without_a_result_is_a_failure(stand_in):
    def main():
        sys.exit(3)
    result, rc = _run(stand_in(main))
    assert rc == 1
    assert "without a result" in result["msg"]


def test_a_module_catching_exception_cannot_swallow_its_own_exit(stand_in):
    def main():
        module = _spec_module()
        try:
            module.exit_json(changed=True, first=True)
        except Exception:  # pylint: disable=broad-except
            module.exit_json(changed=False, second=True)
    result, _rc = _run(stand_in(main))
    assert result.get("first") is True and "second" not in result


def test_module_globals_are_restored(stand_in):
    from ansible.module_utils import basic
    hook_before = getattr(basic.AnsibleModule, "_record_module_result", None)
    stdout_before = sys.stdout

    def main():
        _spec_module().exit_json(changed=False)
    _run(stand_in(main))
    assert getattr(basic.AnsibleModule, "_record_module_result", None) is hook_before
    assert sys.stdout is stdout_before
    assert basic._ANSIBLE_ARGS is None


def test_the_arguments_reach_the_module_as_ansiballz_would_give_them(stand_in):
    def main():
        module = AnsibleModule(argument_spec=dict(items=dict(type="list", elements="dict"), name=dict(type="str")),
                               supports_check_mode=True)
        module.exit_json(changed=False, entries=module.params["items"], check=module.check_mode)
    payload = direct.encode_arguments({"items": [{"quota": 5, "unit": None}], "name": "Acme", "_ansible_check_mode": True})
    stdout, rc = direct.run_main(stand_in(main), payload)
    result = json.loads(stdout)
    assert rc == 0
    assert result["entries"] == [{"quota": 5, "unit": None}]
    assert result["check"] is True


def test_the_task_environment_is_applied_for_the_run_only(monkeypatch):
    monkeypatch.delenv("ACRONIS_BASE_URL", raising=False)
    with direct._task_environment({"ACRONIS_BASE_URL": "https://dc.example"}):
        assert direct.os.environ["ACRONIS_BASE_URL"] == "https://dc.example"
    assert "ACRONIS_BASE_URL" not in direct.os.environ


# ------------------------------------------------------------ the decision


class _Templar:
    @staticmethod
    def template(value):
        return value


def _action(transport="local", async_val=0, become=False, action="acronis.cyber_platform.acronis_tenant"):
    action_module = direct.ActionModule.__new__(direct.ActionModule)
    action_module._connection = types.SimpleNamespace(transport=transport, has_native_async=False)
    action_module._task = types.SimpleNamespace(async_val=async_val, action=action, resolved_action=action)
    action_module._play_context = types.SimpleNamespace(become=become)
    action_module._templar = _Templar()
    return action_module


def test_a_local_task_runs_in_the_worker(monkeypatch):
    monkeypatch.delenv("ACRONIS_DIRECT_EXECUTION", raising=False)
    assert _action()._why_not_direct({"ansible_python_interpreter": sys.executable}) is None
    assert _action()._why_not_direct({}) is None


@pytest.mark.parametrize("action_module, task_vars, reason", [
    (_action(transport="ssh"), {}, "connection is ssh"),
    (_action(async_val=60), {}, "async"),
    (_action(become=True), {}, "become"),
    (_action(), {"ansible_python_interpreter": "/opt/other/python3"}, "not the controller's"),
    (_action(), {"acronis_direct_execution": False}, "switched off"),
    (_action(), {"acronis_direct_execution": "no"}, "switched off"),
    (_action(action="community.general.other"), {}, "not a module of"),
])
def test_the_module_runs_the_normal_way_otherwise(monkeypatch, action_module, task_vars, reason):
    monkeypatch.delenv("ACRONIS_DIRECT_EXECUTION", raising=False)
    assert reason in action_module._why_not_direct(task_vars)


def test_a_core_without_the_internals_direct_execution_uses_runs_the_module_path(monkeypatch):
    # What a later ansible-core that moved one of them gets: the module path, the reason at -vvv.
    monkeypatch.delenv("ACRONIS_DIRECT_EXECUTION", raising=False)
    monkeypatch.setattr(direct, "DIRECT_UNAVAILABLE", "ansible-core 2.99.0 no longer has what direct execution uses")
    assert "no longer has what direct execution uses" in _action()._why_not_direct({})


@pytest.mark.parametrize("running, version", [((2, 20), "2.20.1"), ((2, 21), "2.21.5"), ((3, 0), "3.0.0")])
def test_a_release_newer_than_those_tested_runs_the_module_path(running, version):
    # 2.21 returns task results as objects and moved remove_internal_keys: nothing of the direct path is tried there.
    reason = direct.untested_release(running, version)
    assert reason == "direct execution is tested up to ansible-core 2.19, and this is %s" % version


@pytest.mark.parametrize("running", [(2, 16), (2, 18), (2, 19)])
def test_the_tested_releases_run_in_the_worker(running):
    assert direct.untested_release(running, "%d.%d.0" % running) is None


def test_an_ansible_core_older_than_the_range_gets_one_line(monkeypatch):
    monkeypatch.setattr(direct, "unsupported_message", lambda: ansible_core.unsupported_message("2.15.13"))
    result = _action().run(task_vars={})
    assert result["failed"] is True
    assert result["msg"].startswith("acronis.cyber_platform needs ansible-core 2.16 or later")
    assert "2.15.13" in result["msg"] and "\n" not in result["msg"]


@pytest.mark.parametrize("version, expected", [
    ("2.16.19", (2, 16)), ("2.18.0", (2, 18)), ("2.20.0rc1", (2, 20)), ("2.19.0.dev0", (2, 19)), ("devel", (0, 0)),
])
def test_version_tuple(version, expected):
    assert ansible_core.version_tuple(version) == expected


@pytest.mark.parametrize("version", ["2.16.0", "2.17.14", "2.19.14", "2.21.5"])
def test_supported_versions_get_no_message(version):
    assert ansible_core.unsupported_message(version) is None


def test_the_environment_switch_and_the_variable_that_overrides_it(monkeypatch):
    monkeypatch.setenv("ACRONIS_DIRECT_EXECUTION", "false")
    assert "switched off" in _action()._why_not_direct({})
    assert _action()._why_not_direct({"acronis_direct_execution": True}) is None


def test_stand_in_failure_is_an_acronis_failure_message(stand_in):
    """AcronisFailure raised under AcronisModule.execute arrives as the task's msg (the shape modules use)."""
    from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule

    def run(_module):
        raise AcronisFailure("quota must be 0 or more", offering_items=[])

    def main():
        AcronisModule(argument_spec=dict(), requires_client_credentials=False, supports_check_mode=True).execute(run)
    result, rc = _run(stand_in(main), base_url="https://dc.example")
    assert rc == 1
    assert result["msg"] == "quota must be 0 or more"
    assert result["offering_items"] == []


def test_preload_imports_the_module_and_fills_the_jinja_plugin_caches(monkeypatch):
    from ansible.plugins.loader import filter_loader, test_loader
    name = "ansible_collections.acronis.cyber_platform.plugins.modules.acronis_tenant_info"
    monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(direct, "_PRELOADED_ONCE", [])
    filter_loader._clear_caches()
    test_loader._clear_caches()
    direct.preload("ansible_collections.acronis.cyber_platform.plugins.action.acronis_tenant_info")
    assert name in sys.modules
    assert "ansible.builtin.to_json" in filter_loader._cached_non_collection_wrappers
    assert "ansible.builtin.version" in test_loader._cached_non_collection_wrappers


@pytest.mark.skipif(not direct.RESULT_HOOK, reason="ansible-core 2.19 and later build a lexer and profiles to preload")
def test_preload_builds_the_lexer_and_imports_the_serialisation_profile(monkeypatch):
    from ansible._internal._templating._jinja_bits import AnsibleEnvironment
    profiles = ["ansible.module_utils._internal._json._profiles._module_legacy_%s" % way for way in ("c2m", "m2c")]
    for name in profiles:
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(AnsibleEnvironment, "_lexer_cache", type(AnsibleEnvironment._lexer_cache)(50))
    monkeypatch.setattr(direct, "_PRELOADED_ONCE", [])
    direct.preload("ansible_collections.acronis.cyber_platform.plugins.action.acronis_tenant_info")
    assert len(AnsibleEnvironment._lexer_cache) == 1
    assert all(name in sys.modules for name in profiles)


def test_preload_of_an_action_without_a_module_does_nothing(monkeypatch):
    monkeypatch.setattr(direct, "_PRELOADED_ONCE", [])
    direct.preload("ansible_collections.acronis.cyber_platform.plugins.action.no_such_module")
    assert direct._PRELOADED_ONCE == []
