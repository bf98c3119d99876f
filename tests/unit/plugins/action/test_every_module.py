# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every module of the API (acronis_*) has its one-line action plugin and is in the action group."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import os
import sys

import pytest
import yaml

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.direct import ActionModule

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                 if name.startswith("acronis_") and name.endswith(".py"))
# validate_role_variables is an action of the controller, with its own plugin, and in no group.


# Modules whose action plugin does the work itself, instead of running the module (the shared one's job).
OWN_ACTION_PLUGIN = {
    "acronis_fleet_onboarding": "runs the onboarding of many hosts, each step another module, in threads",
}


def test_there_are_modules():
    assert "acronis_tenant" in MODULES


@pytest.mark.parametrize("module", [name for name in MODULES if name not in OWN_ACTION_PLUGIN])
def test_each_module_has_the_shared_action_plugin(module):
    plugin = importlib.import_module("ansible_collections.acronis.cyber_platform.plugins.action." + module)
    assert plugin.ActionModule is ActionModule, "run tests/utils/add_action_plugins.sh"


def test_each_module_is_in_the_action_group():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as stream:
        group = yaml.safe_load(stream)["action_groups"]["acronis"]
    assert sorted(group) == MODULES


@pytest.mark.parametrize("module", MODULES)
def test_importing_the_action_plugin_imports_its_module_for_the_workers(module):
    # The strategy imports the action plugin in the controller before forking the workers, which inherit the module.
    name = "ansible_collections.acronis.cyber_platform.plugins.modules." + module
    sys.modules.pop(name, None)
    plugin = importlib.import_module("ansible_collections.acronis.cyber_platform.plugins.action." + module)
    importlib.reload(plugin)
    assert name in sys.modules
