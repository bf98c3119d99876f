# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 28: the bad-input cases generated from the declarations of every module.

For every option a module declares in its OPTION_KINDS, every bad value its kind lists (and, for a kind of text,
a YAML boolean) is sent through the module's main(), in check mode and for real: the task fails, the message names
the option, and no HTTP request leaves (not even for a token). For every option of a module's FIELDS_TO_SET, the
option given with state=absent is refused the same way. A new option is covered as soon as it is declared.

The number of cases: ``pytest --collect-only -q tests/unit/plugins/modules/test_option_kinds.py | tail -1``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import glob
import importlib
import os

import pytest
import requests_mock
import yaml

from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

MODULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
MODULE_NAMES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(MODULES_DIR, "acronis_*.py")))
UUID = validation.UUID_EXAMPLE

# Arguments that let each module reach its declared checks: its required options, one of each required_one_of,
# the suboptions an element needs. What a case sets replaces these, and CONFLICTS leaves out what it cannot go with.
BASE = {
    "acronis_access_policy": {"user_id": UUID, "tenant_id": UUID},
    "acronis_branding": {"tenant_id": UUID},
    "acronis_infra": {"name": "NYC Storage"},
    "acronis_location": {"name": "New York"},
    "acronis_api_client": {"login": "admin", "password": "pw", "client_name": "automation"},
    "acronis_application": {"tenant_id": UUID},
    "acronis_offering_items": {"tenant_id": UUID},
    "acronis_offering_items_info": {"tenant_id": UUID},
    "acronis_protection_plan": {"tenant_id": UUID, "name": "Nightly"},
    "acronis_protection_plan_info": {"tenant_id": UUID},
    "acronis_registration_token": {"tenant_id": UUID},
    "acronis_report": {"tenant_id": UUID, "kind": "usage_current"},
    "acronis_resource_info": {"tenant_id": UUID},
    "acronis_search_info": {"text": "acme"},
    "acronis_service_user_login": {"vendor_app_code": "app", "tenant_id": UUID, "external_id": "ext-1"},
    "acronis_tenant": {"name": "Acme"},
    "acronis_usage_info": {"tenant_id": UUID},
    "acronis_user": {"login": "jdoe", "tenant_id": UUID},
    "acronis_user_info": {"tenant_id": UUID},
}
CONFLICTS = {
    ("acronis_user_info", "id"): ("tenant_id",),
    ("acronis_access_policy", "login"): ("user_id",),
    ("acronis_access_policy", "user.id"): ("user_id",),
    ("acronis_access_policy", "user.tenant_id"): ("user_id", "tenant_id"),
    ("acronis_tenant_info", "name"): (),
}
# What an element or a dictionary needs besides the suboption a case sets.
ELEMENT_BASE = {
    "items": {"name": "Servers"},
    "roles": {"role_id": "company_admin"},
    "period": {"start": "2024-05-01", "end": "2024-05-31"},
    "user": {"id": UUID, "tenant_id": UUID},
    "tenant": {"id": UUID, "parent_id": UUID, "kind": "customer"},
}


def load(name):
    """The module and its options, with those of the collection's doc fragments it extends (paging's limit...)."""
    module = importlib.import_module("ansible_collections.acronis.cyber_platform.plugins.modules." + name)
    doc = yaml.safe_load(module.DOCUMENTATION)
    options = {}
    for fragment in doc.get("extends_documentation_fragment") or []:
        parts = fragment.split(".")
        if parts[:2] != ["acronis", "cyber_platform"]:
            continue
        source = importlib.import_module("ansible_collections.acronis.cyber_platform.plugins.doc_fragments." + parts[2])
        text = getattr(source.ModuleDocFragment, parts[3].upper() if len(parts) > 3 else "DOCUMENTATION")
        options.update(yaml.safe_load(text).get("options") or {})
    options.update(doc["options"])
    return module, options


def is_list(options, top):
    return (options.get(top) or {}).get("type") == "list"


def place(args, options, path, value):
    """``args`` with ``value`` at the option ``path`` (``items[].infra_id``), and the label the failure must name."""
    parts = path.replace("[]", ".[]").split(".")
    top = parts[0]
    if len(parts) == 1:
        if is_list(options, top):
            args[top] = [value]
            return args, "%s[1]" % top
        args[top] = value
        return args, top
    element = copy.deepcopy(ELEMENT_BASE.get(top, {}))
    label = top
    if parts[1] == "[]":
        inner, label = parts[2:], "%s[1]" % top
    else:
        inner = parts[1:]
    target = element
    documented = options[top]
    for key in inner[:-1]:
        target = target.setdefault(key, {})
        documented = (documented.get("suboptions") or {}).get(key) or {}
    leaf = (documented.get("suboptions") or {}).get(inner[-1]) or {}
    target[inner[-1]] = [value] if leaf.get("type") == "list" else value
    label += "." + ".".join(inner) + ("[1]" if leaf.get("type") == "list" else "")
    args[top] = [element] if parts[1] == "[]" else element
    return args, label


def kind_cases():
    cases = []
    for name in MODULE_NAMES:
        module, options = load(name)
        for path, kind in sorted(getattr(module, "OPTION_KINDS", {}).items()):
            bad = list(kind.bad_values())
            if kind.text:
                bad.append(("a YAML boolean", True))
            for label, value in bad:
                for check_mode in (False, True):
                    cases.append(pytest.param(name, path, value, check_mode,
                                              id="%s-%s-%s-%s" % (name, path, label, "check" if check_mode else "run")))
    return cases


def test_every_module_declares_its_option_kinds():
    missing = [name for name in MODULE_NAMES if not isinstance(getattr(load(name)[0], "OPTION_KINDS", None), dict)]
    assert missing == []


def test_every_declared_path_is_an_option_of_its_module():
    for name in MODULE_NAMES:
        module, options = load(name)
        for path in getattr(module, "OPTION_KINDS", {}):
            parts = path.replace("[]", "").split(".")
            assert parts[0] in options, "%s declares %s, which it does not document" % (name, path)
            assert isinstance(module.OPTION_KINDS[path], validation.OptionKind)


@pytest.mark.parametrize("name, path, value, check_mode", kind_cases())
def test_a_bad_value_is_refused_naming_the_option_with_no_request(run_module, name, path, value, check_mode):
    module, options = load(name)
    args = dict((key, copy.deepcopy(item)) for key, item in BASE.get(name, {}).items()
                if key not in CONFLICTS.get((name, path), ()))
    args, label = place(args, options, path, value)
    with requests_mock.Mocker() as mocker:
        out = run_module(module, args, check_mode=check_mode)
    assert mocker.request_history == []
    assert out.failed, out.result
    # (The identifier rule of issue 33, which runs first, names an element of a list as "has an element (number 1)".)
    named = ["Option %s " % label, "Option %s has an element (number 1)" % label.split("[")[0]]
    assert any(words in out.result["msg"] for words in named), out.result["msg"]
    assert len(out.result["msg"]) < 600


def field_value(option):
    """A value for a field option, other than its default."""
    kind = option.get("type", "str")
    if option.get("choices"):
        choices = [c for c in option["choices"] if c != option.get("default")]
        return [choices[0]] if kind == "list" else choices[0]
    if kind == "bool":
        return not option.get("default", False)
    if kind == "int":
        return (option.get("default") or 0) + 60
    if kind == "dict":
        suboptions = option.get("suboptions") or {}
        key = sorted(suboptions)[0] if suboptions else "key"
        return {key: field_value(suboptions[key]) if suboptions else "value"}
    if kind == "list":
        if option.get("elements") == "dict":
            return [{"role_id": "company_admin"}]
        return ["value"]
    return "value"


def absent_cases():
    cases = []
    for name in MODULE_NAMES:
        module, options = load(name)
        for path in getattr(module, "FIELDS_TO_SET", ()):
            for check_mode in (False, True):
                cases.append(pytest.param(name, path, check_mode,
                                          id="%s-%s-%s" % (name, path, "check" if check_mode else "run")))
    return cases


@pytest.mark.parametrize("name, path, check_mode", absent_cases())
def test_state_absent_refuses_a_field_to_set_with_no_request(run_module, name, path, check_mode):
    module, options = load(name)
    args = copy.deepcopy(BASE.get(name, {}))
    args["state"] = "absent"
    if path == "items[].quota":
        args["items"] = [{"name": "Servers", "quota": {"value": 10}}]
        label = "items[1].quota"
    else:
        # A good value of the option's declared kind (a colour, a port), so that only state=absent is wrong.
        kind = getattr(module, "OPTION_KINDS", {}).get(path)
        args[path] = kind.example() if kind else field_value(options[path])
        label = path
    with requests_mock.Mocker() as mocker:
        out = run_module(module, args, check_mode=check_mode)
    assert mocker.request_history == []
    assert out.failed, out.result
    assert "Option state is absent" in out.result["msg"] and label in out.result["msg"], out.result["msg"]


def test_every_module_with_state_absent_declares_its_fields_or_sets_none():
    """A module whose state has 'absent' either declares FIELDS_TO_SET, or is listed here with its reason."""
    reasons = {
        # Deletes by name or id: every other option says which client to delete or how to log in.
        "acronis_api_client": "no option sets a field of an API client",
        # state=absent deletes a monthly report; the module refuses a one-time report's options itself.
        "acronis_report": "its options choose which monthly report (kind, level, formats), none sets a field",
        # state=absent removes an empty location: its name, id and owner choose which one.
        "acronis_location": "no option sets a field of a location other than its name, which chooses it",
    }
    for name in MODULE_NAMES:
        module, options = load(name)
        if "absent" in ((options.get("state") or {}).get("choices") or []):
            assert getattr(module, "FIELDS_TO_SET", None) or name in reasons, name
