# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 33: every identifier option of every module refuses '', '  ' and null with 0 requests, naming the option.

The walk finds the options from each module's DOCUMENTATION (suboptions included) with a pattern of its own,
wider than validation's rule, so that an identifier-like option the rule misses fails here unless it is one of
validation.NOT_IDENTIFIERS.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import importlib
import os
import re

import pytest
import requests_mock
import yaml

from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

from ansible_collections.acronis.cyber_platform.tests.unit.plugins.modules.conftest import BASE_URL

MODULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
MODULE_NAMES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(MODULES_DIR, "acronis_*.py")))

# Identifier-like names, as a reviewer would spot them: wider than validation's rule on purpose.
IDENTIFIER_LIKE = re.compile(r"(^|_)(id|ids|uuid|name|names|login|user|users|tenant|tenants|host|hostname|scope|scopes"
                             r"|unit|units|edition|code|text)$")
UUID = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
BAD_VALUES = [("empty", ""), ("blank", "  "), ("null", None)]


def documented_options(name):
    module = importlib.import_module("ansible_collections.acronis.cyber_platform.plugins.modules." + name)
    return module, yaml.safe_load(module.DOCUMENTATION)["options"]


def dummy(option):
    """A value of the option's type that ansible-core's own checks accept."""
    if option.get("choices"):
        return option["choices"][0] if option.get("type") != "list" else [option["choices"][0]]
    kind = option.get("type", "str")
    if kind == "bool":
        return False
    if kind in ("int", "float"):
        return 1
    if kind == "list":
        if option.get("elements") == "dict":
            return [required_args(option.get("suboptions") or {})]
        return [UUID]
    if kind == "dict":
        return required_args(option.get("suboptions") or {})
    return UUID


def required_args(options):
    return dict((key, dummy(option)) for key, option in options.items() if option.get("required"))


def identifier_cases():
    """(module name, option path, args with the path set to a marker) for every identifier-like option."""
    cases = []
    for name in MODULE_NAMES:
        module, options = documented_options(name)

        def walk(options, path, build):
            for key, option in options.items():
                here = path + (key,)
                kind = option.get("type", "str")
                # An option with choices (scope, role_id) picks a word, not an object: ansible-core refuses any
                # other value itself.
                if IDENTIFIER_LIKE.search(key) and kind in ("str", "list", "dict") and not option.get("choices") \
                        and option.get("elements", "str") in ("str", "dict"):
                    cases.append((name, here, kind, build))
                if option.get("suboptions") and kind == "dict":
                    walk(option["suboptions"], here, _nested(build, key, options, dict_like=True))
                elif option.get("suboptions") and kind == "list":
                    walk(option["suboptions"], here, _nested(build, key, options, dict_like=False))

        walk(options, (), lambda inner: inner)
    return cases


def _nested(build, key, options, dict_like):
    """A builder that puts a suboption's args inside ``key`` of the enclosing args."""
    def nested(inner):
        element = dict(required_args(options[key].get("suboptions") or {}), **inner)
        return build({key: element if dict_like else [element]})
    return nested


CASES = identifier_cases()


def test_the_walk_finds_the_options_of_the_issue():
    found = set((name, ".".join(path)) for name, path, _kind, _build in CASES)
    for expected in [("acronis_tenant_info", "name"), ("acronis_registration_token", "user"),
                     ("acronis_agent_info", "tenant_id"), ("acronis_tenant", "id"), ("acronis_user", "login"),
                     ("acronis_user", "roles.tenant_id"), ("acronis_offering_items", "items.usage_name")]:
        assert expected in found


def test_every_identifier_like_option_is_covered_by_the_rule_or_a_documented_exception():
    missed = sorted(set(".".join(path) for _name, path, _kind, _build in CASES
                        if not validation.is_identifier_option(path[-1])))
    assert missed == sorted(validation.NOT_IDENTIFIERS)


RULE_CASES = [case for case in CASES if validation.is_identifier_option(case[1][-1])]


@pytest.mark.parametrize("label,value", BAD_VALUES, ids=[label for label, _v in BAD_VALUES])
@pytest.mark.parametrize("name,path,kind,build", RULE_CASES, ids=["%s:%s" % (c[0], ".".join(c[1])) for c in RULE_CASES])
def test_an_identifier_given_empty_blank_or_null_is_refused_with_no_request(
        run_module, name, path, kind, build, label, value):
    if value is None and len(path) > 1:
        pytest.skip("a suboption given null counts as unset (test_a_null_suboption_counts_as_unset)")
    module, options = documented_options(name)
    args = required_args(options)
    given = value if kind != "list" else [value]
    if kind == "dict" and value is not None:
        given = {}
    args.update(build({path[-1]: given}))
    with requests_mock.Mocker() as mocker:  # any request at all raises, token requests included
        outcome = run_module(module, args)
        assert mocker.request_history == []
    assert outcome.failed, outcome.result
    msg = outcome.result["msg"]
    assert path[-1] in msg, msg
    assert "empty" in msg or "blank" in msg or "null" in msg, msg


@pytest.mark.parametrize("value", [[], ["", "x"]])
def test_an_identifier_list_that_is_empty_or_has_an_empty_element_is_refused(run_module, value):
    module, _options = documented_options("acronis_alert_info")
    with requests_mock.Mocker() as mocker:
        outcome = run_module(module, {"tenant_ids": value})
        assert mocker.request_history == []
    assert outcome.failed and "tenant_ids" in outcome.result["msg"]


def test_an_unset_identifier_keeps_its_meaning(run_module):
    """tenant_info without name or id reads the API client's own tenant: unset is not refused."""
    module, _options = documented_options("acronis_tenant_info")
    api = BASE_URL + "/api/2"
    with requests_mock.Mocker() as mocker:
        token = {"access_token": "tok", "token_type": "bearer", "expires_on": 4102444800, "id_token": "id"}
        mocker.post(api + "/idp/token", json=token)
        mocker.get(api + "/clients/cid", json={"tenant_id": UUID})
        mocker.get(api + "/tenants/" + UUID, json={"id": UUID, "name": "Own", "kind": "partner"})
        outcome = run_module(module, {})
    assert not outcome.failed, outcome.result
    assert outcome.result["tenants"][0]["id"] == UUID


def test_customer_id_keeps_accepting_an_empty_value():
    assert not validation.is_identifier_option("customer_id")
    assert validation.identifier_problem({"customer_id": {"type": "str"}}, {"customer_id": ""}) is None


def test_a_null_suboption_counts_as_unset():
    """roles[].tenant_id: null is the user's own tenant, as documented; '' and blank are still refused."""
    spec = {"roles": {"type": "list", "elements": "dict", "options": {"tenant_id": {"type": "str"}}}}
    assert validation.identifier_problem(spec, {"roles": [{"tenant_id": None}]}) is None
    assert "roles[1].tenant_id is empty" in validation.identifier_problem(spec, {"roles": [{"tenant_id": ""}]})
    assert "Option tenant_id is null" in validation.identifier_problem({"tenant_id": {"type": "str"}},
                                                                       {"tenant_id": None})
