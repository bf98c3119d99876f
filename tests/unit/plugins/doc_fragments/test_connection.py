# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection fragment's two variants document the options the modules' argument spec declares: same
names, types, defaults and ACRONIS_* variables."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import yaml

from ansible_collections.acronis.cyber_platform.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import connection_argument_spec

SPEC = connection_argument_spec()
MODULES = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
PLUGINS = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]


def test_the_modules_variant_documents_every_option_of_the_argument_spec():
    assert sorted(MODULES) == sorted(SPEC)


def test_the_plugins_variant_has_every_option_but_the_credentials_file():
    assert sorted(PLUGINS) == sorted(name for name in SPEC if name != "credentials_file")


@pytest.mark.parametrize("variant", [MODULES, PLUGINS], ids=["modules", "plugins"])
def test_types_and_defaults_are_those_of_the_argument_spec(variant):
    for name, option in variant.items():
        assert option["type"] == SPEC[name]["type"], name
        assert option.get("default") == SPEC[name].get("default"), name


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_a_plugin_reads_the_variable_a_module_falls_back_to(name):
    assert PLUGINS[name]["env"] == [{"name": SPEC[name]["fallback"][1][0]}]
    assert "E(%s)" % SPEC[name]["fallback"][1][0] in MODULES[name]["description"][-1]
