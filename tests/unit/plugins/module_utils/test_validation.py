# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared input checks: capped lists, names, logins, quotas, connection options, strings given as lists."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests

from ansible.module_utils import basic

from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import transport_reason
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import (
    cap_list,
    check_connection,
    check_login,
    check_name,
    check_quota,
    check_uuid,
    is_uuid,
)
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_report
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import BASE_URL

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    patch_module_args = None


# ------------------------------------------------------------------------- cap_list

def test_cap_list_lists_a_short_list_whole():
    assert cap_list(["a", "b", "c"]) == "a, b, c"


def test_cap_list_caps_a_long_list_with_the_count_of_the_rest():
    assert cap_list(["item%d" % i for i in range(20)], cap=3) == "item0, item1, item2 and 17 more"


def test_cap_list_at_exactly_the_cap_lists_everything():
    assert cap_list(["a", "b", "c"], cap=3) == "a, b, c"


def test_cap_list_of_nothing():
    assert cap_list([]) == "none"
    assert cap_list((), empty="no edition") == "no edition"


def test_cap_list_takes_a_generator_and_non_strings():
    assert cap_list((i for i in (1, 2)), cap=8) == "1, 2"


# ---------------------------------------------------------------------------- names

@pytest.mark.parametrize("value", ["Acme Corp", "a", "Ünïcödé GmbH", "x" * 255, "Acme (EU) / Finance"])
def test_good_names_pass(value):
    check_name(value)


def test_none_name_passes():
    check_name(None)


@pytest.mark.parametrize("value, words", [
    (["A", "B"], ["name", "one string", "list", "['A', 'B']"]),
    ("", ["name", "empty"]),
    ("x" * 256, ["256 characters", "255"]),
    ("two\nlines", ["control character"]),
    ("tab\there", ["control character"]),
    (" lead", ["whitespace"]),
    ("trail ", ["whitespace"]),
    (42, ["one string", "number"]),
])
def test_bad_names_are_refused_with_the_reason(value, words):
    with pytest.raises(AcronisFailure) as info:
        check_name(value, "name")
    for word in words:
        assert word in info.value.msg


# --------------------------------------------------------------------------- logins

@pytest.mark.parametrize("value", ["bob", "ada.lovelace@example.com", "a+b:c!d#e$f%g^h*i=j{k}l'm`n/o?p", "a_b-c"])
def test_good_logins_pass(value):
    check_login(value)


@pytest.mark.parametrize("value, words", [
    ("ab", ["'ab'", "at least 3"]),
    ("has space", ["'has space'", "may contain only"]),
    ("émile", ["may contain only"]),
    (["a", "b"], ["one string", "list"]),
])
def test_bad_logins_are_refused_with_the_reason(value, words):
    with pytest.raises(AcronisFailure) as info:
        check_login(value)
    for word in words:
        assert word in info.value.msg


# --------------------------------------------------------------------------- quotas

@pytest.mark.parametrize("value", [None, 0, 1, 1099511627776, 2 ** 63 - 1])
def test_quotas_in_range_pass(value):
    check_quota(value, "quota.value")


@pytest.mark.parametrize("value, words", [
    (-1, ["quota.value", "0 or more", "-1"]),
    (2 ** 63, ["quota.value", "9223372036854775808", "largest quota", "9223372036854775807"]),
    (True, ["whole number"]),
    (1.5, ["whole number"]),
])
def test_quotas_out_of_range_are_refused(value, words):
    with pytest.raises(AcronisFailure) as info:
        check_quota(value, "quota.value")
    for word in words:
        assert word in info.value.msg


# ---------------------------------------------------------------- connection options

GOOD = dict(base_url="https://eu2-cloud.acronis.com", timeout=30, backoff_retries=5, backoff_delay=1.0,
            backoff_max_delay=30.0, token_renew_margin=900)


def test_good_connection_options_pass():
    check_connection(GOOD)
    check_connection(dict(GOOD, base_url="http://127.0.0.1:8765/api/2", backoff_retries=0, backoff_delay=0))


@pytest.mark.parametrize("changes, words", [
    (dict(timeout=-1), ["timeout", "more than 0", "-1"]),
    (dict(timeout=0), ["timeout", "more than 0"]),
    (dict(backoff_retries=-1), ["backoff_retries", "0 or more"]),
    (dict(backoff_delay=-0.1), ["backoff_delay", "0 or more"]),
    (dict(backoff_max_delay=-1), ["backoff_max_delay"]),
    (dict(token_renew_margin=-1), ["token_renew_margin"]),
    (dict(base_url="ftp://example.com"), ["base_url", "http:// or https://", "ftp://example.com"]),
    (dict(base_url="eu2-cloud.acronis.com"), ["base_url", "http:// or https://"]),
    (dict(base_url="https://"), ["base_url"]),
    (dict(base_url="https://host name.example"), ["base_url"]),
])
def test_bad_connection_options_are_refused(changes, words):
    with pytest.raises(AcronisFailure) as info:
        check_connection(dict(GOOD, **changes))
    for word in words:
        assert word in info.value.msg


# ------------------------------------------------------------ transport_reason

@pytest.mark.parametrize("exc, words", [
    (requests.exceptions.ConnectionError(
        "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: /api/2/idp/token (Caused by "
        "NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new "
        "connection: [Errno 111] Connection refused'))"), ["refused", "base_url"]),
    (requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='nowhere.invalid', port=443): Max retries exceeded (Caused by NameResolutionError("
        "\"<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve 'nowhere.invalid' ([Errno -2] "
        "Name or service not known)\"))"), ["host name", "resolved"]),
    (requests.exceptions.ReadTimeout("HTTPSConnectionPool(host='x', port=443): Read timed out. (read timeout=2)"),
     ["timeout of 2 seconds"]),
    (requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), ["TLS"]),
    (requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead(0 bytes read)"), ["broke"]),
    (requests.exceptions.ConnectionError("something else entirely"), ["connection failed"]),
])
def test_transport_reason_never_shows_the_library_text(exc, words):
    text = transport_reason(exc, 2)
    for word in words:
        assert word in text
    for forbidden in ("Errno", "urllib3", "HTTPConnectionPool", "HTTPSConnectionPool", "object at", "Error("):
        assert forbidden not in text


# ------------------------------------------------------------ strings given as lists

class FailJson(Exception):
    def __init__(self, kwargs):
        super(FailJson, self).__init__(kwargs.get("msg"))
        self.kwargs = kwargs


@pytest.fixture
def build(monkeypatch):
    def fail_json(self, **kwargs):
        raise FailJson(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

    def make(args, spec):
        args = dict({"base_url": BASE_URL, "client_id": "cid", "client_secret": "secret", "token_cache": False}, **args)
        if patch_module_args is not None:
            with patch_module_args(args):
                return AcronisModule(argument_spec=spec, supports_check_mode=True)
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8"))
        return AcronisModule(argument_spec=spec, supports_check_mode=True)

    return make


def test_a_list_given_for_a_string_option_fails_before_run(build):
    module = build({"name": ["A", "B"]}, dict(name=dict(type="str")))
    assert module.params["name"] == "['A', 'B']"   # what ansible-core's str type made of it
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called"))
    msg = info.value.kwargs["msg"]
    assert "Option name must be one string, got a list (['A', 'B'])" in msg


def test_a_list_given_through_an_alias_names_the_alias(build):
    module = build({"tenant": ["x", "y"]}, dict(tenant_id=dict(type="str", aliases=["tenant"])))
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called"))
    assert "Option tenant must be one string" in info.value.kwargs["msg"]


def test_a_secret_given_as_a_list_is_not_shown(build):
    module = build({"password": ["hunter2-secret", "x"]}, dict(password=dict(type="str", no_log=True)))
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called"))
    assert "Option password must be one string, got a list;" in info.value.kwargs["msg"]
    assert "hunter2-secret" not in json.dumps(info.value.kwargs)


def test_a_negative_timeout_fails_before_run(build):
    module = build({"timeout": -1}, dict(name=dict(type="str")))
    with pytest.raises(FailJson) as info:
        module.execute(lambda m: pytest.fail("run must not be called"))
    assert "Option timeout must be more than 0 seconds" in info.value.kwargs["msg"]


def test_a_string_option_given_a_string_runs(build):
    module = build({"name": "Acme"}, dict(name=dict(type="str"), tags=dict(type="list", elements="str")))
    assert validation.raw_strings(module, "name", "tags") is None


def test_cap_list_puts_the_closest_values_first():
    names = ["fc_seats", "pg_adv_security", "pw_servers", "pw_workstations", "pg_storage"]
    assert cap_list(names, cap=1, near="pckpw_workstations") == "pw_workstations and 4 more"
    assert cap_list(names, cap=1, near="PW_SERVER") == "pw_servers and 4 more"


# ------------------------------------------------------------ report period and dest

@pytest.mark.parametrize("period, words", [
    ({"start": "2024-13-01", "end": "2024-12-31"}, ["period.start", "YYYY-MM-DD", "2024-13-01"]),
    ({"start": "2024-02-30", "end": "2024-03-31"}, ["period.start", "2024-02-30"]),
    ({"start": "2024-05-31", "end": "2024-05-01"}, ["period.start (2024-05-31) is after period.end (2024-05-01)"]),
    ({"start": "2023-01-01", "end": "2024-01-02"}, ["spans 367 days", "at most 366 days", "Split"]),
    ({"start": "24-1-1", "end": "2024-01-31"}, ["period.start", "YYYY-MM-DD"]),
])
def test_bad_report_periods_are_refused(period, words):
    with pytest.raises(AcronisFailure) as info:
        # The dates are option kinds (acronis_report.OPTION_KINDS); their order and span, check_period.
        problem = validation.kind_problem({"period": period}, None, acronis_report.OPTION_KINDS)
        if problem:
            raise AcronisFailure(problem)
        acronis_report.check_period(period)
    for word in words:
        assert word in info.value.msg


@pytest.mark.parametrize("period", [
    {"start": "2024-05-01", "end": "2024-05-01"},
    {"start": "2024-01-01", "end": "2024-12-31"},   # 366 days of a leap year: 365 days apart
    {"start": "2023-01-01", "end": "2023-12-31"},
    {"start": "2023-01-01", "end": "2024-01-01"},   # 366 days, the most the service takes
])
def test_good_report_periods_pass(period):
    acronis_report.check_period(period)


def test_a_dest_in_a_directory_that_cannot_be_written_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(validation.os, "access", lambda path, mode: False)
    with pytest.raises(AcronisFailure) as info:
        validation.check_destination(str(tmp_path / "report.csv"))
    assert "Option dest" in info.value.msg and str(tmp_path) in info.value.msg and "not writable" in info.value.msg


def test_a_dest_that_can_be_written_passes(tmp_path):
    validation.check_destination(str(tmp_path / "report.csv"))
    validation.check_destination(None)


# ------------------------------------------------------------ values that are not dictionaries

SHAPED = dict(
    contact=dict(type="dict", options=dict(email=dict(type="str"))),
    items=dict(type="list", elements="dict", options=dict(
        name=dict(type="str"), quota=dict(type="dict", options=dict(value=dict(type="int"))))),
    roles=dict(type="list", elements="dict", aliases=["role_list"]),
)


@pytest.mark.parametrize("raw, words", [
    ({"contact": "a@b.c"}, ["Option contact must be a dictionary", "'a@b.c'"]),
    ({"items": ["pw_servers"]}, ["Option items must be a list of dictionaries; element 1 is a str ('pw_servers')"]),
    ({"items": [{"name": "a"}, 3]}, ["Option items", "element 2 is a number"]),
    ({"items": [{"name": "a", "quota": "lots"}]}, ["Option items[0].quota must be a dictionary", "'lots'"]),
    ({"role_list": "company_admin"}, ["Option role_list must be a list of dictionaries"]),
])
def test_shape_problem_names_the_option(raw, words):
    problem = validation.shape_problem(SHAPED, raw)
    for word in words:
        assert word in problem


@pytest.mark.parametrize("raw", [
    {}, {"contact": {"email": "a@b.c"}}, {"contact": "email=a@b.c"}, {"contact": '{"email": "a"}'},
    {"items": [{"name": "a", "quota": {"value": 1}}]}, {"items": None},
])
def test_shape_problem_accepts_what_ansible_accepts(raw):
    assert validation.shape_problem(SHAPED, raw) is None


def test_a_string_for_a_dict_option_names_the_option(build):
    with pytest.raises(FailJson) as info:
        build({"contact": "a@b.c"}, dict(contact=dict(type="dict", options=dict(email=dict(type="str")))))
    assert info.value.kwargs["msg"] == "Option contact must be a dictionary (key: value pairs), got a str ('a@b.c')."


@pytest.mark.parametrize("value, expected", [
    ("6e6d758d-8e74-3ae3-ac84-50eb0dff12eb", True), ("6E6D758D-8E74-3AE3-AC84-50EB0DFF12EB", True),
    ("jdoe-acme", False), ("6e6d758d8e743ae3ac8450eb0dff12eb", False), (None, False), (["x"], False),
])
def test_is_uuid_tells_an_id_from_a_name(value, expected):
    assert is_uuid(value) is expected


def test_check_uuid_names_the_option_and_what_the_id_must_name():
    check_uuid(None, "tenant_id")
    with pytest.raises(AcronisFailure) as info:
        check_uuid("my-customer", "Protection plan 'Nightly': tenant_id", of="a customer tenant")
    assert info.value.msg == ("Protection plan 'Nightly': tenant_id must be a UUID (the id of a customer tenant) like "
                              "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb, got 'my-customer'")
    with pytest.raises(AcronisFailure) as info:
        check_uuid("00000000-0000-0000-c4ec-0123456789ab", "tenant_id", of="a customer tenant")
    assert "placeholder for a customer tenant that was not created" in info.value.msg
    check_uuid("00000000-0000-0000-c4ec-0123456789ab", "tenant_id", check_mode=True)


# =====================================================================================================
# Issue 24 (safety-24): login length, destination files checked before the first write.
# =====================================================================================================

from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation as issue24  # noqa: E402


def test_a_login_longer_than_the_limit_is_refused_without_echoing_it():
    issue24.check_login("a" * issue24.LOGIN_MAX)
    with pytest.raises(issue24.AcronisFailure) as info:
        issue24.check_login("a" * 10000)
    assert "10000 characters" in info.value.msg and "at most 255" in info.value.msg
    assert "a" * 300 not in info.value.msg


def test_a_writable_destination_passes_and_leaves_no_probe(tmp_path):
    assert issue24.check_destination(str(tmp_path / "out.json")) is None
    existing = tmp_path / "there.json"
    existing.write_text("{}")
    assert issue24.check_destination(str(existing)) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.json"]


@pytest.mark.parametrize("where, words", [
    ("/proc/creds.json", ["/proc", "not writable", "Nothing was created"]),
    ("/nonexistent-issue24/dir/creds.json", ["/nonexistent-issue24/dir", "does not exist"]),
])
def test_an_unwritable_destination_is_refused(where, words):
    with pytest.raises(issue24.AcronisFailure) as info:
        issue24.check_destination(where)
    for word in words:
        assert word in info.value.msg


def test_a_directory_or_a_file_as_directory_is_refused(tmp_path):
    with pytest.raises(issue24.AcronisFailure) as info:
        issue24.check_destination(str(tmp_path))
    assert "is a directory" in info.value.msg
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(issue24.AcronisFailure) as info:
        issue24.check_destination(str(blocker / "creds.json"))
    assert "not a directory" in info.value.msg or "does not exist" in info.value.msg


def test_check_mode_warns_for_a_directory_an_earlier_task_may_create(tmp_path):
    warning = issue24.check_destination(str(tmp_path / "later" / "creds.json"), check_mode=True)
    assert "does not exist yet" in warning
    with pytest.raises(issue24.AcronisFailure):
        issue24.check_destination("/proc/later/creds.json", check_mode=True)


def test_the_probe_is_what_refuses_when_permissions_say_yes(tmp_path, monkeypatch):
    """As root, os.access says yes to /proc; the probe file is what finds it cannot be written."""
    def denied(**kwargs):
        raise OSError(13, "denied")

    monkeypatch.setattr(issue24.tempfile, "mkstemp", denied)
    with pytest.raises(issue24.AcronisFailure) as info:
        issue24.check_destination(str(tmp_path / "out.json"))
    assert "not writable" in info.value.msg


# ------------------------------------------------------------------ option kinds (issue 28)

@pytest.mark.parametrize("value, words", [
    (u"Ac\u200bme", ["U+200B", "ZERO WIDTH SPACE", "position 3"]),
    (u"\u202eemcA", ["U+202E", "RIGHT-TO-LEFT OVERRIDE"]),
    (u"Acme\u2066", ["U+2066"]),
    (u"Ac\ufeffme", ["U+FEFF"]),
])
def test_names_with_invisible_or_bidirectional_characters_are_refused(value, words):
    with pytest.raises(AcronisFailure) as info:
        check_name(value, "name")
    for word in words + ["invisible or bidirectional"]:
        assert word in info.value.msg


def test_a_long_bad_name_is_echoed_once_and_cut():
    with pytest.raises(AcronisFailure) as info:
        check_name("x" * 250 + "\n", "name")
    assert len(info.value.msg) < 200 and info.value.msg.count("x" * 50) == 1 and "x" * 100 not in info.value.msg


@pytest.mark.parametrize("name, siblings, twin", [
    (u"\u0410cme", ["Acme", "Other"], "Acme"),              # Cyrillic A
    (u"Acme\u00a0Corp", ["Acme Corp"], "Acme Corp"),       # no-break space (NFKC)
    (u"\uff21cme", ["Acme"], "Acme"),                      # full-width A (NFKC)
    (u"Bet\u0430", ["Beta", "Gamma"], "Beta"),
])
def test_a_look_alike_of_a_sibling_name_warns_naming_both(name, siblings, twin):
    warning = validation.look_alike_warning(name, siblings, "tenant", " under parent P")
    assert warning and ascii(name) in warning and ascii(twin) in warning and "under parent P" in warning


@pytest.mark.parametrize("name, siblings", [
    ("Acme", ["Acme", "Other"]),      # the same name: found, not a look-alike
    ("ACME", ["acme"]),               # the service compares names case-insensitively
    ("Acme", ["Acme Corp", "Acne"]),
])
def test_distinct_or_identical_names_do_not_warn(name, siblings):
    assert validation.look_alike_warning(name, siblings) is None


@pytest.mark.parametrize("value", ["2024-05-01", "2024-05-01T08:00:00Z", "2024-05-01T08:00:00.123456+02:00",
                                   "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-05-01 08:00:00-23:59"])
def test_good_timestamps_pass(value):
    assert validation.TIMESTAMP.problem(value) is None


@pytest.mark.parametrize("value, words", [
    ("0001-01-01T00:00:00+01:00", ["before 1970-01-01"]),
    ("9999-12-31T23:59:59-01:00", ["beyond the end of year 9999"]),
    ("1969-12-31T23:59:59Z", ["before 1970-01-01"]),
    ("1970-01-01T00:30:00+01:00", ["before 1970-01-01"]),
    ("2024-05-01T08:00:00+99:99", ["+99:99", "out of range"]),
    ("2024-05-01T08:00:00+24:00", ["out of range"]),
    ("2024-02-30", ["not a real moment"]),
    ("2024-05-01+02:00", ["RFC 3339"]),
])
def test_bad_timestamps_are_refused_in_words(value, words):
    with pytest.raises(AcronisFailure) as info:
        validation.TIMESTAMP.check(value, "completed_after")
    for word in ["Option completed_after"] + words:
        assert word in info.value.msg


def test_timestamp_seconds():
    assert validation.TIMESTAMP.seconds("1970-01-02T01:00:00+01:00") == 86400
    assert validation.TIMESTAMP.seconds("2024-05-01") == 1714521600


@pytest.mark.parametrize("value, words", [
    ("99999w", ["before 1970-01-01"]),
    ("999999999999999999d", ["before 1970-01-01"]),
    ("0s", ["a duration such as 7d"]),
    ("7 days", ["a duration such as 7d"]),
])
def test_bad_durations_are_refused_in_words(value, words):
    with pytest.raises(AcronisFailure) as info:
        validation.DURATION.check(value, "completed_within")
    for word in ["Option completed_within"] + words:
        assert word in info.value.msg


@pytest.mark.parametrize("value", ["web-01", "db.example.com", "backup", "policy_apply"])
def test_plain_filter_values_pass(value):
    assert validation.FILTER_VALUE.problem(value) is None


@pytest.mark.parametrize("value", ["like(web)", "or(backup,restore)", "hlike(db", "a,b"])
def test_filter_syntax_in_a_value_is_refused(value):
    with pytest.raises(AcronisFailure) as info:
        validation.FILTER_VALUE.check(value, "hostname")
    assert "Option hostname" in info.value.msg and "filter syntax" in info.value.msg


@pytest.mark.parametrize("value", [
    "urn:acronis.com:tenant-id::backup_agent_admin",
    "urn:acronis.com:tenant-id:%s:backup_agent_admin" % validation.UUID_EXAMPLE,
    "urn:acronis.com::policy_management:%s|%s:apply_revoke" % (validation.UUID_EXAMPLE, validation.UUID_EXAMPLE),
])
def test_documented_scopes_pass(value):
    assert validation.SCOPE.problem(value) is None


@pytest.mark.parametrize("value, words", [
    ("urn:acronis.com:tenant-id:1234:backup_agent_admin", ["tenant id '1234' is not a UUID"]),
    ("urn:acronis.com::policy_management:%s|%s:apply_revoke" % ("-" * 36, "-" * 36), ["tenant id", "not a UUID"]),
    ("urn:acronis.com::policy_management:%s|x:apply_revoke" % validation.UUID_EXAMPLE, ["policy id 'x'"]),
    ("urn:acronis.com:tenant-id::root_admin", ["follows neither form"]),
])
def test_loose_scopes_are_refused(value, words):
    with pytest.raises(AcronisFailure) as info:
        validation.SCOPE.check(value, "scopes[1]")
    for word in ["Option scopes[1]"] + words:
        assert word in info.value.msg


def test_a_yaml_boolean_where_text_is_expected_is_refused_as_written():
    problem = validation.kind_problem({"name": "False"}, {"name": False}, {"name": validation.TENANT_NAME})
    assert "Option name must be a string as written" in problem and "boolean" in problem and '"False"' in problem
    assert validation.kind_problem({"name": "False"}, {"name": "False"}, {"name": validation.TENANT_NAME}) is None


def test_kinds_reach_suboptions_and_list_elements():
    kinds = {"items[].infra_id": validation.INFRA_ID, "tenant_ids": validation.TENANT_ID}
    params = {"items": [{"infra_id": validation.UUID_EXAMPLE}, {"infra_id": "x"}], "tenant_ids": None}
    assert validation.kind_problem(params, params, kinds).startswith("Option items[2].infra_id must be a UUID")
    params = {"items": [], "tenant_ids": [validation.UUID_EXAMPLE, "y"]}
    assert validation.kind_problem(params, params, kinds).startswith("Option tenant_ids[2] must be a UUID")


class _Absent:
    check_mode = False
    argument_spec = {"state": {}, "enabled": {"type": "bool"}, "purge": {"type": "bool", "default": False},
                     "contact": {"type": "dict"}}

    def __init__(self, **params):
        self.params = dict(dict(state="absent", enabled=None, purge=False, contact=None), **params)


def test_state_absent_with_fields_to_set_names_them():
    fields = ("enabled", "purge", "contact")
    validation.check_state_absent(_Absent(), fields)
    validation.check_state_absent(_Absent(state="present", enabled=False), fields)
    with pytest.raises(AcronisFailure) as info:
        validation.check_state_absent(_Absent(enabled=False, contact={"email": "a@b.c"}), fields)
    assert "Option state is absent" in info.value.msg and "enabled, contact are given" in info.value.msg
    with pytest.raises(AcronisFailure) as info:
        validation.check_state_absent(_Absent(purge=True), fields)
    assert "purge is given" in info.value.msg


@pytest.mark.parametrize("url, words", [
    ("https://eu2-cloud.acronis.com/login", ["has a path ('/login')"]),
    ("https://eu2-cloud.acronis.com/api/2/tenants", ["has a path"]),
    ("https://eu2-cloud.acronis.com/?tenant=1", ["query string"]),
    ("https://eu2-cloud.acronis.com#x", ["query string or a fragment"]),
])
def test_a_base_url_that_is_not_a_data_center_root_is_refused_in_words(url, words):
    with pytest.raises(AcronisFailure) as info:
        check_connection(dict(GOOD, base_url=url))
    for word in ["Option base_url", "root of your data center", "https://eu2-cloud.acronis.com"] + words:
        assert word in info.value.msg


@pytest.mark.parametrize("url", ["https://eu2-cloud.acronis.com/", "https://eu2-cloud.acronis.com/api/2",
                                 "https://eu2-cloud.acronis.com/api/2/", "http://127.0.0.1:8765"])
def test_data_center_roots_pass(url):
    check_connection(dict(GOOD, base_url=url))


PLUGIN_DEFINITIONS = {"plugin": {"type": "str"}, "kinds": {"type": "list"}, "include_disabled": {"type": "bool"},
                      "vars_prefix": {"type": "str"}, "page_size": {"type": "int"}}
PLUGIN_KINDS = {"vars_prefix": validation.VARIABLE_PREFIX, "page_size": validation.count(1)}


@pytest.mark.parametrize("config, words", [
    ({"kind": ["customer"]}, ["Option 'kind' is not an option of this plugin", "did you mean kinds?"]),
    ({"include_disabled": "maybe"}, ["Option include_disabled must be a boolean (true or false)", "'maybe'"]),
    ({"include_disabled": 1}, ["Option include_disabled must be a boolean (true or false)"]),
    ({"page_size": True}, ["Option page_size must be a whole number"]),
    ({"vars_prefix": "acronis-"}, ["Option vars_prefix", "invalid variable names"]),
    ({"page_size": 0}, ["Option page_size must be 1 or more"]),
])
def test_plugin_options_are_checked(config, words):
    problem = validation.plugin_options_problem(dict(config, plugin="x"), PLUGIN_DEFINITIONS, PLUGIN_KINDS)
    for word in words:
        assert word in problem


def test_good_plugin_options_pass():
    config = {"plugin": "x", "kinds": ["customer"], "include_disabled": True, "vars_prefix": "", "page_size": 5}
    assert validation.plugin_options_problem(config, PLUGIN_DEFINITIONS, PLUGIN_KINDS) is None


@pytest.mark.parametrize("name", ["eu2", "us-5", "one_DC", "x" * 64])
def test_data_center_names_of_letters_digits_underscores_and_dashes_pass(name):
    assert validation.DATA_CENTER_NAME.problem(name) is None


@pytest.mark.parametrize("name", ["", "x" * 65, "eu2.acronis", "eu 2"])
def test_other_data_center_names_are_refused_naming_the_group(name):
    with pytest.raises(AcronisFailure) as info:
        validation.DATA_CENTER_NAME.check(name, "data_center")
    assert "Option data_center must be 1 to 64 letters, digits, _ or - (it names the group data_center_<name>)" \
        in info.value.msg
