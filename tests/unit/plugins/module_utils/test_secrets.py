# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one secret rule (diff.is_secret_key) and where it applies: every module's argument spec, the
nested settings, the diff, the result and the failure of AcronisModule, and its no_log values."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import json
import os

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as common_warnings

from ansible_collections.acronis.cyber_platform.plugins.module_utils import module as module_utils
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    MASK,
    is_secret_key,
    make_diff,
    mask_secrets,
    secret_values,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    patch_module_args = None

MODULES_DIR = os.path.join(os.path.dirname(module_utils.__file__), os.pardir, "modules")
MODULES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.startswith("acronis_") and name.endswith(".py"))

VAULT_PASSWORD = "Vault-Pa55-4417"
ENCRYPTION_PASSWORD = "Encr-Pa55-9921"
PLAN_SETTINGS = {
    "vault": {"type": "network_share", "path": "\\\\nas\\backups",
              "credentials": {"user": "backup", "password": VAULT_PASSWORD}},
    "encryption": {"algorithm": "aes256", "password": ENCRYPTION_PASSWORD},
    "alerts": {"enabled": True},
}


# ----------------------------------------------------------------- the rule

@pytest.mark.parametrize("key", [
    "password", "client_secret", "access_token", "registration_access_token", "encryptionKey", "api_key",
    "passphrase", "Password", "ENCRYPTION_PASSWORD", "private-key", "tokens", "keys", "passwd", "secret",
])
def test_secret_keys(key):
    assert is_secret_key(key)


@pytest.mark.parametrize("key", [
    "token_renew_margin", "token_ttl", "token_cache", "token_cache_dir", "key_id", "tokens_issued",
    "password_policy", "client_secret_expires_at", "token_endpoint_auth_method", "monkey", "keyboard",
    "user", "credentials", "login", "name", "",
])
def test_plain_keys(key):
    assert not is_secret_key(key)


def test_an_object_named_for_a_secret_is_walked_not_masked_whole():
    # acronis_registration_token returns its token object as registration_token: its id and expiry stay readable.
    masked = mask_secrets({"registration_token": {"id": "t-1", "expires_in": 3600, "token": "ABCD-EFGH"},
                           "api_keys": [{"id": "k-1", "key": "k3y"}], "tokens": ["one", "two"]})
    assert masked["registration_token"] == {"id": "t-1", "expires_in": 3600, "token": MASK}
    assert masked["api_keys"] == [{"id": "k-1", "key": MASK}]
    assert masked["tokens"] == MASK


def test_mask_secrets_masks_the_nested_plan_settings_and_keeps_what_was_asked_for():
    masked = mask_secrets({"plan": {"policies": [{"settings": PLAN_SETTINGS}]},
                           "api_client": {"client_secret": "s3cr3t", "client_secret_expires_at": 0},
                           "return_secret": True, "token": None},
                          keep=("api_client.client_secret",))
    settings = masked["plan"]["policies"][0]["settings"]
    assert settings["vault"]["credentials"] == {"user": "backup", "password": MASK}
    assert settings["encryption"] == {"algorithm": "aes256", "password": MASK}
    assert masked["api_client"] == {"client_secret": "s3cr3t", "client_secret_expires_at": 0}
    assert masked["return_secret"] is True and masked["token"] is None
    assert PLAN_SETTINGS["vault"]["credentials"]["password"] == VAULT_PASSWORD, "the input is left as it is"


def test_make_diff_masks_by_the_rule_without_being_told():
    diff = make_diff({"settings": {"encryption": {"password": "old-one"}}},
                     {"settings": {"encryption": {"password": ENCRYPTION_PASSWORD}}})
    text = json.dumps(diff)
    assert ENCRYPTION_PASSWORD not in text and "old-one" not in text
    assert diff["after"]["settings"]["encryption"]["password"] == MASK
    created = json.dumps(make_diff(None, {"settings": PLAN_SETTINGS}))
    assert VAULT_PASSWORD not in created and ENCRYPTION_PASSWORD not in created


def test_secret_values_finds_every_nested_secret():
    found = secret_values({"settings": PLAN_SETTINGS, "keys": ["k-1", {"a": "k-2"}], "token_ttl": 5,
                           "return_secret": True})
    assert sorted(found) == sorted([VAULT_PASSWORD, ENCRYPTION_PASSWORD, "k-1", "k-2"])


# ----------------------------------------------------------------- every module's argument spec

class _Spec(Exception):
    def __init__(self, argument_spec, kwargs):
        super(_Spec, self).__init__("argument spec")
        self.argument_spec = argument_spec
        self.kwargs = kwargs


def _argument_spec(name, monkeypatch):
    """The full argument spec (connection options included) that module ``name`` gives AcronisModule."""
    module = importlib.import_module("ansible_collections.acronis.cyber_platform.plugins.modules." + name)

    def capture(argument_spec, **kwargs):
        spec = module_utils.connection_argument_spec()
        spec.update(argument_spec)
        raise _Spec(spec, kwargs)

    monkeypatch.setattr(module, "AcronisModule", capture)
    with pytest.raises(_Spec) as info:
        module.main()
    return info.value.argument_spec, info.value.kwargs


def _secret_named_options(spec, where=""):
    """(dotted name, option) of every option, at any depth, whose name (or an alias) names a secret."""
    for name, option in spec.items():
        label = where + name
        if any(is_secret_key(n) for n in [name] + list(option.get("aliases") or [])):
            yield label, option
        yield from _secret_named_options(option.get("options") or {}, label + ".")


def test_the_walk_sees_every_module():
    assert len(MODULES) == 28


@pytest.mark.parametrize("name", MODULES)
def test_every_secret_named_option_is_no_log(name, monkeypatch):
    spec, _kwargs = _argument_spec(name, monkeypatch)
    assert spec["client_secret"]["no_log"] is True
    for label, option in _secret_named_options(spec):
        if option.get("type") == "bool" or option.get("choices"):
            # A flag or one of fixed words cannot hold a secret (return_secret, update_password).
            assert not option.get("no_log"), "%s of %s: a flag or choice needs no no_log" % (label, name)
            continue
        if label in ("token_renew_margin",):
            continue
        assert option.get("no_log") is True, "%s of %s names a secret but is not no_log" % (label, name)


def test_the_walk_can_fail(monkeypatch):
    """A secret-named option without no_log is found (the walk is not vacuous)."""
    found = dict(_secret_named_options({"settings": {"type": "dict", "options": {
        "encryption_password": {"type": "str"}}}}))
    assert list(found) == ["settings.encryption_password"]
    assert not found["settings.encryption_password"].get("no_log")


@pytest.mark.parametrize("name, kept", [
    ("acronis_api_client", ("api_client.client_secret",)),
    ("acronis_registration_token", ("token",)),
])
def test_modules_that_exist_to_return_a_secret_say_which(name, kept, monkeypatch):
    _spec, kwargs = _argument_spec(name, monkeypatch)
    assert kwargs.get("secret_returns") == kept


# ----------------------------------------------------------------- AcronisModule: no_log values, result, failure

class Exited(Exception):
    def __init__(self, kwargs):
        super(Exited, self).__init__(kwargs.get("msg"))
        self.kwargs = kwargs


@pytest.fixture
def plan_module(monkeypatch):
    """An AcronisModule with acronis_protection_plan's free-form settings, and the given options."""
    for variable in ("ACRONIS_BASE_URL", "ACRONIS_CLIENT_ID", "ACRONIS_CLIENT_SECRET", "ACRONIS_CREDENTIALS_FILE"):
        monkeypatch.delenv(variable, raising=False)

    def build(args):
        choice = dict(type="str", choices=["always", "on_create"], no_log=False)
        spec = dict(settings=dict(type="dict"), update_password=choice)
        args = dict(args, base_url="https://dc.example.test", client_id="cid", client_secret="Client-Secret-77")
        if patch_module_args is not None:
            with patch_module_args(args):
                return AcronisModule(argument_spec=spec, supports_check_mode=True)
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8"))
        return AcronisModule(argument_spec=spec, supports_check_mode=True)

    return build


def test_nested_secrets_of_the_options_become_no_log_values(plan_module):
    module = plan_module({"settings": PLAN_SETTINGS, "update_password": "always"})
    assert VAULT_PASSWORD in module.no_log_values
    assert ENCRYPTION_PASSWORD in module.no_log_values
    assert "Client-Secret-77" in module.no_log_values
    assert "always" not in module.no_log_values, "an option of fixed choices holds no secret"
    assert "backup" not in module.no_log_values and "aes256" not in module.no_log_values


def _printed(kwargs):
    return json.dumps(kwargs, default=str)


def test_result_failure_and_warnings_never_show_a_nested_secret(plan_module, monkeypatch):
    """Through the real exit_json/fail_json of ansible-core: the key rule and the no_log values together."""
    module = plan_module({"settings": PLAN_SETTINGS})
    printed = []
    # The warnings are ansible-core's global state: this test's warning must not reach the next test.
    monkeypatch.setattr(common_warnings, "_global_warnings", type(common_warnings._global_warnings)())

    def leave(code=0):
        raise Exited({})

    monkeypatch.setattr("sys.exit", leave)
    # What ansible-core prints (before 2.19) or records (2.19 and later) after its own no_log masking.
    monkeypatch.setattr("builtins.print", lambda text="", **kw: printed.append(text))
    monkeypatch.setattr(basic.AnsibleModule, "_record_module_result",
                        lambda self, result: printed.append(json.dumps(result, default=str)), raising=False)
    module.warn("the vault password %s does not open the share" % VAULT_PASSWORD)
    with pytest.raises(Exited):
        module.exit_json(changed=True, plan={"policies": [{"settings": PLAN_SETTINGS}]},
                         note="encrypted with %s" % ENCRYPTION_PASSWORD)
    with pytest.raises(Exited):
        module.fail_json(msg="Failed with %s" % VAULT_PASSWORD, plan={"settings": PLAN_SETTINGS})
    assert len(printed) == 2
    for text in printed:
        assert VAULT_PASSWORD not in text and ENCRYPTION_PASSWORD not in text
        assert "Client-Secret-77" not in text
    result = json.loads(printed[0])
    assert result["plan"]["policies"][0]["settings"]["vault"]["credentials"]["user"] == "backup"
