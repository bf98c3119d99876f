# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One action plugin file serves every module, each module's action is routed to it, and every module is in the action group."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import os

import pytest
import yaml

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.direct import ActionModule

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                 if name.endswith(".py") and not name.startswith("_"))
THE_ACTION_PLUGIN = "acronis_tenant"


def _runtime():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as stream:
        return yaml.safe_load(stream)


def test_there_are_modules():
    assert "acronis_tenant" in MODULES


def test_plugins_action_holds_one_file():
    files = sorted(name for name in os.listdir(os.path.join(ROOT, "plugins", "action")) if name.endswith(".py"))
    assert files == [THE_ACTION_PLUGIN + ".py"]
    assert not os.path.islink(os.path.join(ROOT, "plugins", "action", files[0]))


def test_the_action_plugin_is_the_shared_one():
    plugin = importlib.import_module("ansible_collections.acronis.cyber_platform.plugins.action." + THE_ACTION_PLUGIN)
    assert plugin.ActionModule is ActionModule


@pytest.mark.parametrize("module", [m for m in MODULES if m != THE_ACTION_PLUGIN])
def test_each_other_module_has_its_action_routed_to_the_one_plugin(module):
    routing = _runtime().get("plugin_routing", {}).get("action", {})
    assert routing.get(module) == {"redirect": "acronis.cyber_platform." + THE_ACTION_PLUGIN}, (
        "add to meta/runtime.yml, under plugin_routing.action: %s: {redirect: acronis.cyber_platform.%s}"
        % (module, THE_ACTION_PLUGIN))


def test_the_routing_names_no_module_that_does_not_exist():
    routing = _runtime().get("plugin_routing", {}).get("action", {})
    assert sorted(set(routing) - set(MODULES)) == []


def test_each_module_is_in_the_action_group():
    assert sorted(_runtime()["action_groups"]["acronis"]) == MODULES
