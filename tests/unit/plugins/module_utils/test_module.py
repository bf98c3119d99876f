# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AcronisModule and the comparison, diff and placeholder helpers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from ansible.module_utils import basic

from ansible_collections.acronis.cyber_platform.plugins.module_utils import module as module_utils
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisCheckModeWrite,
    AcronisError,
    AcronisFailure,
    api_failure,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    compare,
    is_placeholder_id,
    make_diff,
    merge,
    placeholder_id,
    placeholder_options,
    values_equal,
    without_placeholders,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import UUID_RE
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import API, BASE_URL

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    patch_module_args = None

TENANT = "5c1d5e8a-0000-4000-8000-000000000001"


# ----------------------------------------------------------------- values_equal, compare

@pytest.mark.parametrize("wanted, current", [
    (3, "3"), ("3", 3), (3, 3.0), (1.5, "1.5"),
    (False, "false"), ("false", False), (True, "True"), (True, "true"),
    ("acme", "acme"), (None, None), ([1, 2], [1, 2]),
])
def test_values_equal(wanted, current):
    assert values_equal(wanted, current)


@pytest.mark.parametrize("wanted, current", [
    (3, "4"), ("3", 4), (3, "three"), (False, "true"), (True, "false"), (True, None), (3, None),
    ("acme", "Acme"), ([1, 2], [2, 1]), ("false", "False"),
])
def test_values_differ(wanted, current):
    assert not values_equal(wanted, current)


def test_compare_returns_only_what_differs():
    current = {"name": "Acme", "enabled": "true", "version": "3", "language": "en",
               "contact": {"email": "a@example.com", "phone": "1"}}
    desired = {"name": "Acme", "enabled": True, "version": 3, "language": "de",
               "contact": {"email": "b@example.com", "phone": None}, "internal_tag": None}
    assert compare(desired, current) == {"language": "de", "contact": {"email": "b@example.com"}}


def test_compare_none_means_leave_it():
    assert compare({"name": None, "contact": {"email": None}}, {"name": "Acme"}) == {}


def test_compare_against_nothing():
    assert compare({"name": "Acme", "contact": {"email": "a@x"}}, None) == {"name": "Acme", "contact": {"email": "a@x"}}


def test_compare_nested_dict_against_a_missing_key():
    assert compare({"contact": {"email": "a@x", "phone": None}}, {"name": "Acme"}) == {"contact": {"email": "a@x"}}


def test_compare_lists_as_lists():
    assert compare({"roles": ["a", "b"]}, {"roles": ["b", "a"]}) == {"roles": ["a", "b"]}
    assert compare({"roles": ["a", "b"]}, {"roles": ["a", "b"]}) == {}


# ----------------------------------------------------------------------------- merge

def test_merge_lays_changes_over_current_without_touching_it():
    current = {"name": "Acme", "contact": {"email": "a@x", "phone": "1"}, "tags": [1]}
    merged = merge(current, {"contact": {"email": "b@x"}, "tags": [2], "language": "de"})
    assert merged == {"name": "Acme", "contact": {"email": "b@x", "phone": "1"}, "tags": [2], "language": "de"}
    assert current == {"name": "Acme", "contact": {"email": "a@x", "phone": "1"}, "tags": [1]}
    merged["contact"]["phone"] = "2"
    assert current["contact"]["phone"] == "1"


def test_merge_into_nothing():
    assert merge(None, {"a": {"b": 1}}) == {"a": {"b": 1}}


# ------------------------------------------------------------------------- make_diff

def test_diff_shows_only_the_changed_fields():
    current = {"id": TENANT, "name": "Acme", "language": "en", "contact": {"email": "a@x", "phone": "1"}}
    diff = make_diff(current, {"language": "de", "contact": {"email": "b@x"}})
    assert diff == {
        "before": {"language": "en", "contact": {"email": "a@x"}},
        "after": {"language": "de", "contact": {"email": "b@x"}},
    }


def test_diff_masks_secrets():
    current = {"login": "bob", "password": "old-secret", "contact": {"email": "a@x"}}
    diff = make_diff(current, {"password": "new-secret", "contact": {"email": "b@x"}}, secrets=("password",))
    assert diff == {
        "before": {"password": "********", "contact": {"email": "a@x"}},
        "after": {"password": "********", "contact": {"email": "b@x"}},
    }
    assert "secret" not in json.dumps(diff)


def test_diff_of_a_creation_and_of_a_deletion():
    created = make_diff(None, {"login": "bob", "password": "pw", "nested": {"client_secret": "s"}},
                        secrets=("password", "client_secret"))
    assert created == {"before": {}, "after": {"login": "bob", "password": "********", "nested": {"client_secret": "********"}}}
    deleted = make_diff({"login": "bob", "password": "pw", "items": [{"password": "x"}]}, None, secrets=("password",))
    assert deleted == {"before": {"login": "bob", "password": "********", "items": [{"password": "********"}]}, "after": {}}


def test_diff_does_not_mask_an_absent_secret():
    assert make_diff({"password": None}, {"password": "pw"}, secrets=("password",)) == {
        "before": {"password": None}, "after": {"password": "********"}}


# ---------------------------------------------------------------------- placeholders

def test_placeholder_id_is_a_uuid_the_service_never_issues():
    value = placeholder_id("tenant", "Acme")
    assert value.startswith("00000000-0000-0000-c4ec-")
    assert UUID_RE.match(value)
    assert len(value) == 36
    assert is_placeholder_id(value)


def test_placeholder_id_is_stable_and_distinct():
    assert placeholder_id("tenant", "Acme") == placeholder_id("tenant", "Acme")
    assert placeholder_id("tenant", "Acme") != placeholder_id("tenant", "Acme 2")
    assert placeholder_id("tenant", "Acme") != placeholder_id("user", "Acme")


@pytest.mark.parametrize("value", [TENANT, None, 42, "", "00000000-0000-0000-0000-000000000000"])
def test_is_placeholder_id_rejects_real_values(value):
    assert not is_placeholder_id(value)


def test_placeholder_options_are_those_that_name_only_placeholders():
    new = placeholder_id("tenant", "Acme")
    params = {"tenant_id": new, "id": TENANT, "tenant_ids": [new, placeholder_id("tenant", "Beta")],
              "policy_ids": [new, TENANT], "resource_ids": [], "user_id": None}
    options = ["tenant_id", "id", "tenant_ids", "policy_ids", "resource_ids", "user_id", "not_an_option"]
    assert placeholder_options(params, options) == [("tenant_id", new), ("tenant_ids", new)]


def test_without_placeholders_keeps_the_real_ids_in_order():
    other = "5c1d5e8a-0000-4000-8000-000000000002"
    assert without_placeholders([TENANT, placeholder_id("tenant", "Acme"), other]) == [TENANT, other]
    assert without_placeholders([placeholder_id("tenant", "Acme")]) == []
    assert without_placeholders(None) is None


# ----------------------------------------------------------------------- AcronisModule

class FailJson(Exception):
    def __init__(self, kwargs):
        super(FailJson, self).__init__(kwargs.get("msg"))
        self.kwargs = kwargs


def _fail_json(self, **kwargs):
    raise FailJson(kwargs)


@pytest.fixture
def module_args(monkeypatch):
    """Run AcronisModule in-process: module args injected, fail_json raising FailJson."""
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    for name in ("ACRONIS_BASE_URL", "ACRONIS_CLIENT_ID", "ACRONIS_CLIENT_SECRET", "ACRONIS_TOKEN_CACHE",
                 "ACRONIS_TOKEN_CACHE_DIR", "ACRONIS_BACKOFF_RETRIES", "ACRONIS_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)

    def build(args, **kwargs):
        if patch_module_args is not None:
            with patch_module_args(args):
                return AcronisModule(argument_spec=dict(name=dict(type="str")), supports_check_mode=True, **kwargs)
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8"))
        return AcronisModule(argument_spec=dict(name=dict(type="str")), supports_check_mode=True, **kwargs)

    return build


def test_module_without_client_credentials_fails_clearly(module_args):
    module = module_args({"base_url": BASE_URL})
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called without credentials"))
    msg = info.value.kwargs["msg"]
    assert "client_id and client_secret are required" in msg
    assert "ACRONIS_CLIENT_ID" in msg and "ACRONIS_CLIENT_SECRET" in msg


def _credentials_file(tmp_path, content):
    path = tmp_path / "api_client.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_the_credentials_file_fills_only_what_is_unset_and_its_secret_is_masked(module_args, tmp_path):
    path = _credentials_file(tmp_path, {"base_url": "https://dc.example", "client_id": "file-id",
                                        "client_secret": "file-secret"})
    module = module_args({"credentials_file": path, "client_id": "task-id"})
    module.check_preconditions()
    assert module.params["base_url"] == "https://dc.example"
    assert module.params["client_id"] == "task-id"
    assert module.params["client_secret"] == "file-secret"
    assert "file-secret" in module.no_log_values


def test_the_credentials_file_comes_from_the_environment(module_args, tmp_path, monkeypatch):
    path = _credentials_file(tmp_path, {"base_url": "https://dc.example", "client_id": "i", "client_secret": "s"})
    monkeypatch.setenv("ACRONIS_CREDENTIALS_FILE", path)
    module = module_args({})
    module.check_preconditions()
    assert module.params["base_url"] == "https://dc.example"


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read"),
    ("{not json", "is not JSON"),
    ("[1, 2]", "must hold a JSON object"),
    ({"base_url": "https://dc.example", "client_id": 5, "client_secret": "s"}, "client_id of"),
])
def test_a_bad_credentials_file_fails_naming_the_option(module_args, tmp_path, content, expected):
    path = str(tmp_path / "missing.json") if content is None else _credentials_file(tmp_path, content)
    module = module_args({"credentials_file": path})
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called"))
    msg = info.value.kwargs["msg"]
    assert msg.startswith("Option credentials_file: ") and expected in msg
    assert "Traceback" not in msg and "Errno" not in msg


def test_no_base_url_anywhere_fails_saying_where_to_set_it(module_args):
    module = module_args({"client_id": "i", "client_secret": "s"})
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called"))
    msg = info.value.kwargs["msg"]
    assert "base_url is required" in msg and "ACRONIS_BASE_URL" in msg and "credentials_file" in msg


def test_module_with_only_a_client_id_fails(module_args):
    module = module_args({"base_url": BASE_URL, "client_id": "cid"})
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: {"changed": False})
    assert "client_secret" in info.value.kwargs["msg"]


def test_module_for_login_and_password_does_not_need_client_credentials(module_args):
    module = module_args({"base_url": BASE_URL}, requires_client_credentials=False)
    assert module.params["client_id"] is None


def test_module_without_requests_says_what_to_install(module_args, monkeypatch):
    monkeypatch.setattr(module_utils, "HAS_REQUESTS", False)
    monkeypatch.setattr(module_utils, "REQUESTS_IMPORT_ERROR", "Traceback: No module named 'requests'")
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s"})
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called without requests"))
    assert "Python library (requests)" in info.value.kwargs["msg"]
    assert info.value.kwargs["exception"] == "Traceback: No module named 'requests'"


def test_module_reads_connection_options_from_the_environment(module_args, monkeypatch, tmp_path, http):
    monkeypatch.setenv("ACRONIS_BASE_URL", BASE_URL)
    monkeypatch.setenv("ACRONIS_CLIENT_ID", "env-id")
    monkeypatch.setenv("ACRONIS_CLIENT_SECRET", "env-secret")
    monkeypatch.setenv("ACRONIS_BACKOFF_RETRIES", "2")
    monkeypatch.setenv("ACRONIS_TOKEN_CACHE_DIR", str(tmp_path / "cache"))
    module = module_args({})
    client = module.client
    assert (client.client_id, client.backoff_retries) == ("env-id", 2)
    assert client.root_url == BASE_URL
    assert module.client is client
    http.post(API + "/idp/token", json={"access_token": "t", "expires_on": 4102444800})
    client.access_token()
    assert http.last_request.headers["Authorization"] == "Basic ZW52LWlkOmVudi1zZWNyZXQ="   # env-id:env-secret
    assert len([name for name in os.listdir(str(tmp_path / "cache")) if name.endswith(".json")]) == 1


def test_module_client_has_no_cache_when_disabled(module_args, http, tmp_path):
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s", "token_cache": False,
                          "token_cache_dir": str(tmp_path / "cache")})
    http.post(API + "/idp/token", json={"access_token": "t", "expires_on": 4102444800})
    module.client.access_token()
    # No token is kept; the directory holds the data center's request budget alone (no secret in it).
    assert os.listdir(str(tmp_path / "cache")) == ["budget"]


def test_check_mode_client_is_read_only_and_sends_nothing(module_args, http, tmp_path):
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s",
                          "token_cache_dir": str(tmp_path), "_ansible_check_mode": True})
    assert module.check_mode
    client = module.client
    assert client.read_only
    with pytest.raises(AcronisCheckModeWrite):
        client.post("/tenants", json={"name": "Acme"})
    with pytest.raises(AcronisCheckModeWrite):
        client.put("/tenants/{tenant_id}", json={}, tenant_id=TENANT)
    with pytest.raises(AcronisCheckModeWrite):
        client.delete("/tenants/{tenant_id}", missing_ok=True, tenant_id=TENANT)
    assert http.call_count == 0


def test_normal_mode_client_is_not_read_only(module_args):
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s", "token_cache": False})
    assert not module.client.read_only


def test_api_failure_gives_one_message_and_the_error():
    exc = AcronisAPIError(409, "The version is outdated.", method="PUT", path="/tenants/" + TENANT, code=1001)
    failure = api_failure(exc, "update tenant 'Acme'", tenant={"name": "Acme"})
    assert isinstance(failure, AcronisFailure)
    assert failure.msg == "Failed to update tenant 'Acme': PUT /tenants/%s: HTTP 409, error 1001: The version is outdated." % TENANT
    assert failure.result["error"]["status"] == 409 and failure.result["error"]["code"] == 1001
    assert failure.result["tenant"] == {"name": "Acme"}


def test_check_uuid_raises(module_args):
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s"})
    module.check_uuid(TENANT, "parent_id")
    module.check_uuid(None, "parent_id")
    with pytest.raises(AcronisFailure) as info:
        module.check_uuid("not-a-uuid", "parent_id")
    assert "parent_id must be a UUID" in info.value.msg
    with pytest.raises(AcronisFailure) as info:
        module.check_uuid(placeholder_id("tenant", "Acme"), "parent_id")
    assert "placeholder" in info.value.msg and "run without --check" in info.value.msg


def test_check_uuid_accepts_a_placeholder_in_check_mode(module_args):
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s", "_ansible_check_mode": True})
    module.check_uuid(placeholder_id("tenant", "Acme"), "parent_id")


def test_preview_of_new_returns_what_a_new_object_has_and_says_it_is_a_preview(module_args):
    new = placeholder_id("tenant", "Acme")
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s", "name": new,
                          "_ansible_check_mode": True})
    warnings = []
    module.warn = warnings.append
    preview = module.preview_of_new(["name"], "no usage", usages=[])
    assert preview == {"changed": False, "usages": []}
    assert len(warnings) == 1
    assert warnings[0].startswith("Check mode preview: name %s is the placeholder" % new)
    assert warnings[0].endswith("what a new one has: no usage.")
    assert module._client is None  # no client was built: nothing was sent


def test_preview_of_new_is_none_for_real_ids(module_args):
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s", "name": TENANT,
                          "_ansible_check_mode": True})
    module.warn = lambda warning: pytest.fail("no warning expected, got %r" % warning)
    assert module.preview_of_new(["name"], "no usage", usages=[]) is None


def test_preview_of_new_refuses_a_placeholder_outside_check_mode(module_args):
    module = module_args({"base_url": BASE_URL, "client_id": "cid", "client_secret": "s",
                          "name": placeholder_id("tenant", "Acme")})
    with pytest.raises(AcronisFailure) as info:
        module.preview_of_new(["name"], "no usage", usages=[])
    assert "name 00000000-0000-0000-c4ec-" in info.value.msg and "run without --check" in info.value.msg


def test_module_has_no_fail_api():
    """Helpers raise api_failure; nothing calls fail_json but execute."""
    assert not hasattr(AcronisModule, "fail_api")


# ------------------------------------------------------------------ AcronisModule.execute

SECRET = "n0t-for-your-eyes-42"


@pytest.fixture
def execute(monkeypatch, capsys):
    """Run ``AcronisModule.execute(run)`` in-process; returns the result as Ansible would receive it.

    Nothing is patched between ``execute`` and the output: the real ``fail_json`` and ``exit_json``
    run (masking the no_log values), and the result is taken where AnsibleModule emits it (the result
    hook of ansible-core 2.19 and later, the printed JSON before).
    """
    for name in ("ACRONIS_BASE_URL", "ACRONIS_CLIENT_ID", "ACRONIS_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)

    def go(run, args=None, spec=None):
        args = dict({"base_url": BASE_URL, "client_id": "cid", "client_secret": SECRET, "token_cache": False},
                    **(args or {}))
        spec = spec or dict(name=dict(type="str"), password=dict(type="str", no_log=True))
        emitted = []
        if hasattr(AcronisModule, "_record_module_result"):
            monkeypatch.setattr(AcronisModule, "_record_module_result", lambda self, result: emitted.append(result))
        if patch_module_args is not None:
            with patch_module_args(args):
                module = AcronisModule(argument_spec=spec, supports_check_mode=True)
        else:
            monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8"))
            module = AcronisModule(argument_spec=spec, supports_check_mode=True)
        capsys.readouterr()
        with pytest.raises(SystemExit) as info:
            module.execute(run)
        if not hasattr(AcronisModule, "_record_module_result"):
            emitted.append(json.loads(capsys.readouterr().out))
        assert len(emitted) == 1
        result = emitted[0]
        assert (info.value.code == 1) == bool(result.get("failed"))
        return result

    return go


def tracebacks(monkeypatch, shown):
    """The module arguments, and ansible-core's setting, under which the controller shows tracebacks (-vvv) or not."""
    if module_utils.TRACEBACK_FILTERED:  # ansible-core 2.19 and later decide it from their own configuration
        from ansible.module_utils._internal import _traceback
        monkeypatch.setattr(_traceback, "_is_traceback_enabled", lambda event: shown)
    return {"_ansible_verbosity": 3 if shown else 0}


def test_execute_returns_the_result_of_run(execute):
    result = execute(lambda module: dict(changed=True, tenant={"id": TENANT, "name": module.params["name"]}),
                     {"name": "Acme"})
    assert not result.get("failed")
    assert result["changed"] is True
    assert result["tenant"] == {"id": TENANT, "name": "Acme"}


def test_execute_turns_an_acronis_failure_into_a_failure_with_the_partial_result(execute):
    def run(module):
        raise AcronisFailure("Tenant 'Acme': quota of pw_workstations must be 0 or more; set a positive value",
                             changed=True, tenant={"id": TENANT})

    result = execute(run)
    assert result["failed"] is True
    assert result["msg"] == "Tenant 'Acme': quota of pw_workstations must be 0 or more; set a positive value"
    assert result["changed"] is True
    assert result["tenant"] == {"id": TENANT}
    assert "exception" not in result


def test_execute_turns_an_api_error_into_a_failure_naming_the_api_code_and_text(execute):
    def run(module):
        raise AcronisAPIError(409, "The version is outdated.", method="PUT", path="/tenants/" + TENANT, code=1001)

    result = execute(run)
    assert result["failed"] is True
    assert "HTTP 409" in result["msg"] and "1001" in result["msg"] and "The version is outdated." in result["msg"]
    assert "AcronisAPIError" not in result["msg"] and "Traceback" not in result["msg"]
    assert result["error"]["status"] == 409 and result["error"]["code"] == 1001
    assert result["error"]["method"] == "PUT"


def test_execute_turns_a_raised_api_failure_into_its_message(execute):
    def run(module):
        exc = AcronisAPIError(404, "Tenant not found.", method="GET", path="/tenants/" + TENANT, code=1005)
        raise api_failure(exc, "read tenant 'Acme'", tenant={})

    result = execute(run)
    assert result["msg"] == "Failed to read tenant 'Acme': GET /tenants/%s: HTTP 404, error 1005: Tenant not found." % TENANT
    assert result["error"]["code"] == 1005
    assert result["tenant"] == {}


def test_execute_turns_a_transport_error_into_a_failure(execute):
    def run(module):
        raise AcronisError("Connection to dc.example.test timed out after 5 attempts")

    result = execute(run)
    assert result["failed"] is True
    assert "timed out after 5 attempts" in result["msg"]
    assert "AcronisError" not in result["msg"]


def test_execute_turns_an_unexpected_exception_into_one_line_and_keeps_the_traceback_for_vvv(execute, monkeypatch):
    shown = tracebacks(monkeypatch, True)

    def run(module):
        return {}["items"]

    result = execute(run, shown)
    assert result["failed"] is True
    msg = result["msg"]
    assert "\n" not in msg
    assert "KeyError" not in msg and "Traceback" not in msg
    assert "'items'" in msg and "bug of the acronis.cyber_platform collection" in msg
    assert "Traceback" in result["exception"] and "KeyError" in result["exception"]
    assert 'return {}["items"]' in result["exception"]


def test_execute_keeps_the_traceback_out_of_the_result_below_vvv(execute, monkeypatch):
    hidden = tracebacks(monkeypatch, False)

    def run(module):
        raise ValueError("line one\nline two")

    result = execute(run, hidden)
    assert result["failed"] is True
    assert "line one line two" in result["msg"] and "ValueError" not in result["msg"]
    assert "exception" not in result


def test_execute_names_an_exception_without_text_without_its_class(execute):
    def run(module):
        raise RuntimeError()

    result = execute(run)
    assert "RuntimeError" not in result["msg"]
    assert "no detail given" in result["msg"]


def test_execute_fails_cleanly_when_run_returns_no_result(execute):
    result = execute(lambda module: None)
    assert result["failed"] is True
    assert "run() returned NoneType instead of the result of the task" in result["msg"]
    assert "TypeError" not in result["msg"]


@pytest.mark.parametrize("how", ["failure", "api_error", "unexpected", "success"])
def test_execute_never_shows_a_secret(execute, monkeypatch, how):
    shown = tracebacks(monkeypatch, True)

    def run(module):
        pw = module.params["password"]
        secret = module.params["client_secret"]
        if how == "failure":
            raise AcronisFailure("could not set password %s with %s" % (pw, secret), user={"password": pw})
        if how == "api_error":
            raise AcronisAPIError(400, "Bad password %s." % pw, method="POST", path="/users/x/password")
        if how == "unexpected":
            raise ValueError("password was %s, secret %s" % (pw, secret))
        return dict(changed=True, echo=[pw, secret])

    result = execute(run, dict(shown, password="hunter2-" + SECRET))
    text = json.dumps(result)
    assert SECRET not in text
    assert "hunter2" not in text
    assert bool(result.get("failed")) == (how != "success")


def test_no_log_values_are_masked_longest_first_on_every_ansible_core():
    # ansible-core before 2.19 masks in set order: "hunter2-s3cr3t" with "s3cr3t" also secret left "hunter2-" showing.
    values = module_utils.LongestFirst(["s3cr3t", "hunter2-s3cr3t", "pw"])
    assert list(values) == ["hunter2-s3cr3t", "s3cr3t", "pw"]
    assert "pw" in values
