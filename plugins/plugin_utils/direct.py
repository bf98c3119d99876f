# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugin every module of the collection shares: it runs the module inside the task's worker.

A module of this collection only talks HTTP to the Acronis service; where the task runs on the controller,
packaging it with AnsiballZ, starting a Python process and importing ansible and requests again costs far
more than the requests it sends. So, as ansible.netcommon does for its modules ("direct execution"), the
action plugin imports the module and calls its ``main()`` in the worker process, when:

- the connection is local (also with ``delegate_to: localhost``) and the task does not use ``become``;
- the task is not async;
- the Python interpreter of the host is the controller's own (unset, ``auto`` or the same executable);
- it is not switched off: ``ACRONIS_DIRECT_EXECUTION=false`` in the controller's environment, or the
  variable ``acronis_direct_execution: false`` for a host, a group, a play or a task.

Otherwise the module runs the normal way. Both ways share everything that makes the result: the module
arguments are built by ``_update_module_args`` (check mode, diff, no_log, verbosity, ``module_defaults`` are
already in the task's arguments), the module serialises its result as it would in a module process (on
ansible-core 2.19 and later through the hook ansible-core keeps for this use,
``AnsibleModule._record_module_result``; before 2.19 by printing it, which is read back), and the controller
decodes it with ``_parse_returned_data`` exactly as it decodes a module's output. The task's ``environment`` is applied
to ``os.environ`` for the length of the run (the ``ACRONIS_*`` fallbacks read it), and the module's warnings
and deprecations are cleared before and after each run, so that none leak into the next loop item.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import dataclasses
import importlib
import io
import json
import os
import sys
import traceback

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import filter_loader, test_loader
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import one_line
from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.ansible_core import (
    ANSIBLE_CORE_VERSION,
    COLLECTION,
    RUNNING,
    trust_as_template,
    unsupported_message,
)

# Direct execution calls into ansible-core where no public API reaches: how a module's arguments are handed to
# it and its result read back, and where its warnings are kept. Each release from 2.16 to 2.19 is tested
# (`make test` runs the example onboarding on each, both ways); on a later release, whose internals changed again
# (2.21 returns task results as objects), the modules run as module processes, and -vvv says why.
#
# - 2.16 to 2.18: the module prints its result and exits, as it would to AnsiballZ; the printed JSON is read back.
# - 2.19: arguments and results go through serialisation profiles, the result through the hook ansible-core
#   keeps for this use (AnsibleModule._record_module_result), and the module side's warnings are collected only
#   while ansible.module_utils._internal.is_controller is off. Where one of these is missing, the module path.
TESTED_UP_TO = (2, 19)


def untested_release(running, version):
    """Why direct execution steps aside on an ansible-core newer than those tested, or None."""
    if running > TESTED_UP_TO:
        return "direct execution is tested up to ansible-core %d.%d, and this is %s" % (TESTED_UP_TO + (version,))
    return None


# True where ansible-core has the 2.19 result hook and serialisation profiles (and so the internals below).
RESULT_HOOK = False
DIRECT_UNAVAILABLE = untested_release(RUNNING, ANSIBLE_CORE_VERSION)
module_internal = _traceback = Direction = get_module_encoder = Templar = AnsibleJSONEncoder = None
remove_internal_keys = None
if DIRECT_UNAVAILABLE is None and RUNNING >= (2, 19):
    try:
        from ansible.module_utils import _internal as module_internal
        from ansible.module_utils._internal import _traceback
        from ansible.module_utils.common.json import Direction, get_module_encoder
        from ansible.template import Templar
        RESULT_HOOK = hasattr(basic.AnsibleModule, "_record_module_result")
    except ImportError as exc:
        DIRECT_UNAVAILABLE = "ansible-core %s no longer has what direct execution uses (%s)" % (
            ANSIBLE_CORE_VERSION, one_line(exc))
elif DIRECT_UNAVAILABLE is None:
    from ansible.module_utils.common.json import AnsibleJSONEncoder  # noqa: F811 pylint: disable=function-redefined

if DIRECT_UNAVAILABLE is None:
    from ansible.vars.clean import remove_internal_keys  # noqa: F811 pylint: disable=function-redefined

try:
    from ansible._internal._errors._captured import AnsibleModuleCapturedError, CapturedErrorSummary
except ImportError:  # before 2.19 (and after) a module's failure has no "Module failed:" prefix to replace
    AnsibleModuleCapturedError = CapturedErrorSummary = None

display = Display()

SWITCH_ENV = "ACRONIS_DIRECT_EXECUTION"
SWITCH_VAR = "acronis_direct_execution"
# Modules of this collection are plain Python modules: the same profile AnsiballZ gives them (2.19 and later).
PROFILE = "legacy"


class _ModuleReturned(BaseException):
    """Raised by the patched result hook to leave ``main()`` where the module would exit.

    A BaseException, like the SystemExit it stands for, so that no ``except Exception`` of a module catches it.
    """


if AnsibleModuleCapturedError is not None:
    class AcronisTaskFailure(AnsibleModuleCapturedError):
        """A failure the module reported itself: presented as "Acronis: <message>" rather than "Module failed: <message>"."""

        _default_message = "Acronis"


def present_failure(result):
    """The module's own message as the task's error (ansible-core would put "Module failed:" before it)."""
    summary = result.get("exception")
    if CapturedErrorSummary is not None and isinstance(summary, CapturedErrorSummary) \
            and summary.error_type is AnsibleModuleCapturedError:
        result["exception"] = dataclasses.replace(summary, error_type=AcronisTaskFailure)
    return result


class ActionModule(ActionBase):
    """Runs the module of the same name in-process where that is the same as running it (module docstring)."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        unsupported = unsupported_message()
        if unsupported:
            return {"failed": True, "msg": unsupported}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        module_name = self._module_name()
        reason = self._why_not_direct(task_vars)
        if reason:
            display.vvv("%s: running as a module (%s)" % (module_name, reason), host=self._host_label(task_vars))
            wrap_async = self._task.async_val and not self._connection.has_native_async
            result = merge_hash(result, self._execute_module(module_name=module_name, task_vars=task_vars,
                                                             wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return present_failure(result)
        display.vvv("%s: running in the worker process (direct execution)" % module_name,
                    host=self._host_label(task_vars))
        return present_failure(merge_hash(result, self._run_direct(module_name, task_vars)))

    # ------------------------------------------------------------ deciding

    def _module_name(self):
        """The module's fully qualified name (the task may have used the short name through a collections list)."""
        name = getattr(self._task, "resolved_action", None) or self._task.action
        if "." not in name:
            name = "%s.%s" % (COLLECTION, name)
        return name

    def _host_label(self, task_vars):
        return task_vars.get("inventory_hostname")

    def _why_not_direct(self, task_vars):
        """None when the module can run in the worker, else the reason why not (shown at -vvv)."""
        switch = self._templar.template(task_vars.get(SWITCH_VAR, os.environ.get(SWITCH_ENV, True)))
        try:
            enabled = boolean(switch, strict=True)
        except TypeError:
            enabled = True
            display.warning("%s must be true or false, got %r: running in the worker process" % (SWITCH_VAR, switch))
        if not enabled:
            return "direct execution is switched off (%s / %s)" % (SWITCH_ENV, SWITCH_VAR)
        if DIRECT_UNAVAILABLE:
            return DIRECT_UNAVAILABLE
        if self._connection.transport not in ("local", "ansible.builtin.local"):
            return "the connection is %s, not local" % self._connection.transport
        if self._task.async_val:
            return "the task is async"
        if self._play_context.become:
            return "the task uses become"
        interpreter = self._templar.template(task_vars.get("ansible_python_interpreter"))
        if interpreter and not str(interpreter).startswith("auto") and not _same_python(interpreter):
            return "the interpreter %s is not the controller's %s" % (interpreter, sys.executable)
        if not self._module_file(self._module_name()):
            return "the module is not a module of %s" % COLLECTION
        return None

    @staticmethod
    def _module_file(module_name):
        namespace, collection, short = module_name.rsplit(".", 2) if module_name.count(".") >= 2 else ("", "", "")
        if "%s.%s" % (namespace, collection) != COLLECTION:
            return None
        return "ansible_collections.%s.%s.plugins.modules.%s" % (namespace, collection, short)

    # ------------------------------------------------------------- running

    def _run_direct(self, module_name, task_vars):
        module_args = dict(self._task.args)
        self._update_module_args(module_name, module_args, task_vars)
        environment = {}
        self._compute_environment_string(raw_environment_out=environment)
        with _task_environment(environment):
            stdout, rc = run_main(self._module_file(module_name), encode_arguments(module_args))
        returned = {"stdout": stdout, "stderr": "", "rc": rc}
        if RESULT_HOOK:
            data = self._parse_returned_data(returned, PROFILE)
        else:  # before 2.19, the result has no serialisation profile
            data = self._parse_returned_data(returned)
        data.pop("_ansible_suppress_tmpdir_delete", None)
        remove_internal_keys(data)
        return data


def encode_arguments(module_args):
    """The module's arguments as AnsiballZ would hand them to the module (``ANSIBLE_MODULE_ARGS``)."""
    if RESULT_HOOK:
        encoder = get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)
        return json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=encoder).encode("utf-8")
    # What ansible-core 2.16-2.18 write into the AnsiballZ payload (executor/module_common.py).
    return json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=AnsibleJSONEncoder, vault_to_text=True).encode("utf-8")


def preload(action_plugin_name):
    """Import, in the controller process, what every worker of the module's tasks would otherwise import again.

    Called by each action plugin of the collection when it is imported. The strategy imports a task's action
    plugin in the controller before it forks the task's workers (one per host), and a forked worker inherits
    what its parent imported: the module with its module_utils, and the Jinja filter and test plugins of
    ansible-core, which each worker would otherwise load before templating the task's arguments; Jinja's
    lexer and the serialisation profile, which the first template and the first result would build or
    import in each worker. A worker that imports the action plugin itself (another strategy) only does
    here what it would do anyway.
    """
    module_file = ActionModule._module_file("%s.%s" % (COLLECTION, action_plugin_name.rsplit(".", 1)[-1]))
    try:
        importlib.import_module(module_file)
    except ImportError:  # no module of that name: the worker will say so, as without the preload
        return
    if not _PRELOADED_ONCE:
        # Both loaders keep what they found until a plugin directory is added, which empties them again.
        for loader in (filter_loader, test_loader):
            for _plugin in loader.all():
                pass
        if RESULT_HOOK:
            # Jinja's lexer, which ansible-core 2.19 builds on the first template a process renders and keeps for
            # all templates (its own note: "pre-generate the default cached lexer before forking").
            Templar().template(trust_as_template("{{ 0 }}"))
            # The serialisation profile of both directions, which ansible-core imports on first use.
            for direction in (Direction.CONTROLLER_TO_MODULE, Direction.MODULE_TO_CONTROLLER):
                get_module_encoder(PROFILE, direction)
        _PRELOADED_ONCE.append(True)


# Not empty once the controller holds what every action plugin shares: the plugin caches, the lexer, the profile.
_PRELOADED_ONCE = []


def run_main(import_name, payload):
    """Call ``main()`` of the module ``import_name`` with the serialised arguments ``payload``.

    Returns ``(stdout, rc)`` as the module would have printed and exited: the JSON of its result, and
    0 or 1. An exception that escapes the module (a bug) becomes a failed result with one line, its
    traceback kept in ``exception`` (which Ansible shows at -vvv); it never reaches the worker.
    """
    with _module_globals(payload) as returned:
        try:
            importlib.import_module(import_name).main()
        except _ModuleReturned:
            pass
        except SystemExit as exc:
            if not returned():
                return _failure("the module exited (status %s) without a result" % exc.code), 1
        except Exception as exc:  # pylint: disable=broad-except
            if not returned():
                short_name = import_name.rsplit(".", 1)[-1]
                return _failure("%s stopped on an unexpected error (%s); this is a bug of the %s collection, please "
                                "report it with the output of -vvv" % (short_name, one_line(exc), COLLECTION),
                                traceback.format_exc()), 1
    result = returned()
    return result, (1 if json.loads(result).get("failed") else 0)


def _failure(msg, formatted_traceback=None):
    result = {"failed": True, "msg": msg}
    # As AnsibleModule.fail_json does: the traceback travels only when the controller shows tracebacks
    # (ansible-core 2.19 decides that itself; before it, Ansible shows one at -vvv).
    if formatted_traceback and (_traceback.is_traceback_enabled(_traceback.TracebackEvent.ERROR) if RESULT_HOOK
                                else display.verbosity >= 3):
        result["exception"] = formatted_traceback
    return json.dumps(result)


@contextlib.contextmanager
def _module_globals(payload):
    """ansible-core's module-side globals set for one run, and reset after it.

    Yields a function that returns the JSON result the module returned, or None while it has returned none.
    On 2.19 and later the result hook records it, and ``is_controller`` is off for the run so that the module's
    warnings and deprecations are collected into its result, as in a module process, instead of being displayed
    by the worker out of turn. Before 2.19 the module prints its result, as it would to AnsiballZ, and exits.
    """
    recorded = []
    printed = io.StringIO()

    def record(_module, result):
        recorded.append(json.dumps(result, cls=get_module_encoder(PROFILE, Direction.MODULE_TO_CONTROLLER)))
        raise _ModuleReturned()

    def returned():
        if RESULT_HOOK:
            return recorded[0] if recorded else None
        return printed.getvalue().strip() or None

    basic._ANSIBLE_ARGS = payload
    _clear_warnings()
    with contextlib.ExitStack() as restore:
        if RESULT_HOOK:
            saved_record = basic.AnsibleModule._record_module_result
            saved_is_controller = module_internal.is_controller
            module_internal.is_controller = False
            basic._ANSIBLE_PROFILE = PROFILE
            basic.AnsibleModule._record_module_result = record
            restore.callback(setattr, basic.AnsibleModule, "_record_module_result", saved_record)
            restore.callback(setattr, module_internal, "is_controller", saved_is_controller)
            restore.callback(setattr, basic, "_ANSIBLE_PROFILE", None)
        else:
            restore.enter_context(contextlib.redirect_stdout(printed))
        restore.callback(setattr, basic, "_ANSIBLE_ARGS", None)
        restore.callback(_clear_warnings)
        yield returned


def _clear_warnings():
    # The module side keeps warnings and deprecations in process-wide collections: one run's must not reach another's.
    module_warnings._global_warnings.clear()
    module_warnings._global_deprecations.clear()


@contextlib.contextmanager
def _task_environment(environment):
    """The task's ``environment`` in ``os.environ`` for the length of the run."""
    if not environment:
        yield
        return
    saved = dict(os.environ)
    os.environ.update(dict((str(k), str(v)) for k, v in environment.items()))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _same_python(interpreter):
    try:
        return os.path.realpath(str(interpreter)) == os.path.realpath(sys.executable)
    except (OSError, ValueError):
        return False
