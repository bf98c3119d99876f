# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a module's main() in-process against requests-mock: the result (or failure) and the requests it sent."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests_mock

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    patch_module_args = None

BASE_URL = "https://dc.example.test"
API = BASE_URL + "/api/2"
TENANT = "5c1d5e8a-0000-4000-8000-000000000001"


class ModuleExit(Exception):
    """exit_json or fail_json, with the result."""

    def __init__(self, failed, result):
        super(ModuleExit, self).__init__(result.get("msg"))
        self.failed = failed
        self.result = result


def _exit_json(self, **kwargs):
    raise ModuleExit(False, kwargs)


def _fail_json(self, **kwargs):
    raise ModuleExit(True, kwargs)


@pytest.fixture
def http():
    """requests-mock with the token endpoint; any other unregistered URL raises."""
    with requests_mock.Mocker() as mocker:
        mocker.post(API + "/idp/token", json={"access_token": "tok", "token_type": "bearer",
                                              "expires_on": 4102444800, "id_token": "id"})
        yield mocker


def api_calls(mocker):
    """The requests sent, token requests left out."""
    return [r for r in mocker.request_history if r.path != "/api/2/idp/token"]


def writes(mocker):
    return [r for r in api_calls(mocker) if r.method not in ("GET", "HEAD", "OPTIONS")]


@pytest.fixture
def run_module(monkeypatch):
    """run_module(module, args, check_mode=False, diff=False) -> ModuleExit (failed, result)."""
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    for name in ("ACRONIS_BASE_URL", "ACRONIS_CLIENT_ID", "ACRONIS_CLIENT_SECRET", "ACRONIS_TOKEN_CACHE"):
        monkeypatch.delenv(name, raising=False)

    def run(module, args, check_mode=False, diff=False):
        full = dict(base_url=BASE_URL, client_id="cid", client_secret="secret", token_cache=False,
                    backoff_retries=0)
        full.update(args)
        full["_ansible_check_mode"] = check_mode
        full["_ansible_diff"] = diff
        with pytest.raises(ModuleExit) as info:
            if patch_module_args is not None:
                with patch_module_args(full):
                    module.main()
            else:
                monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": full}).encode("utf-8"))
                module.main()
        return info.value

    return run
