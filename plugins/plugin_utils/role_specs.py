# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The argument specifications of the collection's roles (``roles/<role>/meta/argument_specs.yml``), read once per
controller process: by ``validate_role_variables`` for one host, and by the fleet path for each host of its run."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

ROLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "roles")
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SPECS = {}


def role_options(role, entry_point="main"):
    """The ``options`` of ``entry_point`` in the collection's ``role``'s ``meta/argument_specs.yml``, or None."""
    key = (role, entry_point)
    if key not in _SPECS:
        path = os.path.join(ROLES_DIR, role, "meta", "argument_specs.yml")
        if os.path.sep in role or not os.path.isfile(path):
            return None
        with open(path) as stream:
            specs = (yaml.load(stream, Loader=SafeLoader) or {}).get("argument_specs") or {}
        for name, spec in specs.items():
            _SPECS[(role, name)] = (spec or {}).get("options") or {}
        _SPECS.setdefault(key, None)
    return _SPECS[key]


def argument_errors(options, variables):
    """ansible-core's messages for ``variables`` (a role's, by their full names) against ``options``, as its role
    validation (``ansible.builtin.validate_argument_spec``) gives them: [] when they match."""
    return ArgumentSpecValidator(options).validate(variables, validate_role_argument_spec=True).error_messages


def preload():
    """Read every role's specification in the controller, before the workers fork: they inherit it."""
    if os.path.isdir(ROLES_DIR):
        for role in sorted(os.listdir(ROLES_DIR)):
            role_options(role)
