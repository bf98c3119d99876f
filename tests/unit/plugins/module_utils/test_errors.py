# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Error parsing: the Acronis envelope, the OAuth error of /idp/token, and
bodies that are not JSON; what str() and to_dict() give a person; failing_to,
which turns an error into the task's failure."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisCheckModeWrite,
    AcronisError,
    AcronisFailure,
    AcronisOutcomeUnknown,
    AcronisTransportError,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import API, TOKEN_URL

TENANT = "5c1d5e8a-0000-4000-8000-000000000001"

ENVELOPE = {
    "error": {
        "code": 1006,
        "message": "It is prohibited to delete a non-disabled tenant.",
        "details": {"info": "Disable the tenant first.", "addition": [{"id": TENANT}]},
        "context": {"id": TENANT},
        "domain": "PlatformAccountServer",
    }
}

HTML_502 = """<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def test_envelope_is_parsed():
    exc = AcronisAPIError.from_reply(400, ENVELOPE, "ignored", "DELETE", "/tenants/" + TENANT, reason="Bad Request")
    assert exc.status == 400
    assert exc.code == 1006
    assert exc.message == "It is prohibited to delete a non-disabled tenant."
    assert exc.domain == "PlatformAccountServer"
    assert exc.details == {"info": "Disable the tenant first.", "addition": [{"id": TENANT}]}
    assert exc.context == {"id": TENANT}
    assert (exc.method, exc.path) == ("DELETE", "/tenants/" + TENANT)
    assert str(exc) == ("DELETE /tenants/%s: HTTP 400, error 1006: It is prohibited to delete a non-disabled tenant. "
                        "(Disable the tenant first.)" % TENANT)


def test_envelope_code_equal_to_status_is_not_repeated():
    body = {"error": {"code": 400, "message": "Bad Request", "details": {"info": "Bad Request"},
                      "domain": "PlatformAccountServer", "context": {}}}
    exc = AcronisAPIError.from_reply(400, body, "", "GET", "/tenants", reason="Bad Request")
    assert str(exc) == "GET /tenants: HTTP 400: Bad Request"


def test_envelope_with_string_details_and_no_message():
    body = {"error": {"code": "ParameterMalformed", "details": "one of uuids, parent_id is required"}}
    exc = AcronisAPIError.from_reply(400, body, "", "GET", "/tenants", reason="Bad Request")
    assert exc.code == "ParameterMalformed"
    assert exc.message == "Bad Request"
    assert exc.details == {"info": "one of uuids, parent_id is required"}
    assert str(exc) == "GET /tenants: HTTP 400, error ParameterMalformed: Bad Request (one of uuids, parent_id is required)"


def test_oauth_error_of_the_token_endpoint():
    body = {"error": "invalid_client", "error_description": "Client authentication failed"}
    exc = AcronisAPIError.from_reply(401, body, "", "POST", "/idp/token", reason="Unauthorized")
    assert (exc.status, exc.code, exc.message) == (401, "invalid_client", "Client authentication failed")
    assert str(exc) == "POST /idp/token: HTTP 401, error invalid_client: Client authentication failed"


def test_oauth_error_without_description():
    exc = AcronisAPIError.from_reply(400, {"error": "invalid_grant"}, "", "POST", "/idp/token")
    assert exc.message == "invalid_grant"
    assert exc.code == "invalid_grant"


def test_html_body_gives_one_line_with_a_short_snippet():
    exc = AcronisAPIError.from_reply(502, None, HTML_502, "GET", "/tenants/" + TENANT, reason="Bad Gateway")
    text = str(exc)
    assert "\n" not in text
    assert text.startswith("GET /tenants/%s: HTTP 502: Bad Gateway (response body: <html> <head><title>502 Bad Gateway" % TENANT)
    assert exc.code is None
    assert exc.details == {}


def test_long_body_is_cut():
    exc = AcronisAPIError.from_reply(500, None, "x" * 5000, "GET", "/tenants", reason="Internal Server Error")
    assert len(exc.message) < 300
    assert exc.message.endswith("...)")


def test_empty_body_uses_the_reason():
    exc = AcronisAPIError.from_reply(503, None, "", "PUT", "/tenants/x", reason="Service Unavailable")
    assert str(exc) == "PUT /tenants/x: HTTP 503: Service Unavailable"


def test_agent_manager_error_object():
    body = {"code": "ACCESS_DENIED", "domain": "AGENT_MANAGER", "debug": {"msg": "Access to tenant 62 is denied."}}
    exc = AcronisAPIError.from_reply(403, body, "", "GET", "/api/agent_manager/v2/agents", reason="Forbidden")
    assert (exc.status, exc.code, exc.domain) == (403, "ACCESS_DENIED", "AGENT_MANAGER")
    assert str(exc) == "GET /api/agent_manager/v2/agents: HTTP 403, error ACCESS_DENIED: Access to tenant 62 is denied."


def test_json_body_that_is_not_an_envelope_is_shown_as_text():
    exc = AcronisAPIError.from_reply(400, {"message": "nope"}, '{"message": "nope"}', "GET", "/x", reason="Bad Request")
    assert exc.message == 'Bad Request (response body: {"message": "nope"})'


def test_to_dict_keys():
    exc = AcronisAPIError.from_reply(409, {"error": {"code": 1001, "message": "The version is outdated."}}, "",
                                     "PUT", "/tenants/" + TENANT)
    assert exc.to_dict() == {
        "type": "AcronisAPIError",
        "status": 409,
        "code": 1001,
        "message": "The version is outdated.",
        "domain": None,
        "details": {},
        "context": {},
        "method": "PUT",
        "path": "/tenants/" + TENANT,
    }
    assert exc.conflict and not exc.not_found


@pytest.mark.parametrize("cls", [AcronisTransportError, AcronisOutcomeUnknown, AcronisCheckModeWrite])
def test_other_errors_are_acronis_errors_with_a_readable_str(cls):
    exc = cls("it went wrong", method="POST", path="/tenants")
    assert isinstance(exc, AcronisError)
    assert str(exc) == "POST /tenants: it went wrong"
    assert exc.to_dict() == {"type": cls.__name__, "message": "it went wrong", "method": "POST", "path": "/tenants"}


def test_has_code_matches_the_api_code_as_number_or_string():
    exc = AcronisAPIError(409, "The version is outdated.", code=1001)
    assert exc.has_code(1001) and exc.has_code("1001")
    assert not exc.has_code(1004)
    assert AcronisAPIError(400, "Bad", code="1004").has_code(1004)


@pytest.mark.parametrize("cls", [AcronisError, AcronisTransportError, AcronisOutcomeUnknown, AcronisCheckModeWrite])
def test_errors_without_an_api_answer_are_neither_missing_nor_conflicts(cls):
    exc = cls("no answer")
    assert exc.status is None and exc.code is None
    assert not exc.not_found and not exc.conflict and not exc.has_code(1001)


def test_error_without_method_is_just_the_message():
    assert str(AcronisError("plain")) == "plain"
    assert str(AcronisAPIError(404, "Not Found")) == "HTTP 404: Not Found"


# ------------------------------------------------------- the same, through the client

def test_client_raises_one_exception_from_the_envelope(http, tokens, make_client):
    body = {"error": {"code": 1001, "message": "The version is outdated.", "domain": "PlatformAccountServer"}}
    http.put(API + "/tenants/" + TENANT, status_code=409, json=body)
    with pytest.raises(AcronisAPIError) as info:
        make_client().put("/tenants/{tenant_id}", json={"version": 1}, tenant_id=TENANT)
    exc = info.value
    # the path is the one that was requested, not the template
    assert str(exc) == "PUT /tenants/%s: HTTP 409, error 1001: The version is outdated." % TENANT
    assert (exc.status, exc.code, exc.domain, exc.method, exc.path) == (409, 1001, "PlatformAccountServer", "PUT",
                                                                        "/tenants/" + TENANT)


def test_client_reports_an_html_gateway_page(http, tokens, make_client, sleeps):
    http.get(API + "/tenants/" + TENANT, status_code=502, text=HTML_502, headers={"Content-Type": "text/html"})
    with pytest.raises(AcronisAPIError) as info:
        make_client(backoff_retries=1).get("/tenants/{tenant_id}", tenant_id=TENANT)
    text = str(info.value)
    assert info.value.status == 502
    assert "\n" not in text
    assert text.startswith("GET /tenants/%s: HTTP 502: Bad Gateway (response body: <html>" % TENANT)


def test_client_reports_the_oauth_error_of_a_wrong_secret(http, make_client):
    http.post(TOKEN_URL, status_code=400, json={"error": "invalid_grant", "error_description": "Bad credentials"})
    with pytest.raises(AcronisAPIError) as info:
        make_client().access_token()
    assert str(info.value) == "POST /idp/token: HTTP 400, error invalid_grant: Bad credentials"


def test_check_mode_error_names_the_requested_path(http, tokens, make_client):
    with pytest.raises(AcronisCheckModeWrite) as info:
        make_client(read_only=True).delete("/tenants/{tenant_id}", tenant_id=TENANT)
    assert str(info.value).startswith("DELETE /tenants/%s: " % TENANT)


def test_missing_reason_phrase_falls_back_to_the_standard_one():
    exc = AcronisAPIError.from_reply(504, None, "", "GET", "/tenants", reason="")
    assert str(exc) == "GET /tenants: HTTP 504: Gateway Timeout"
    exc = AcronisAPIError.from_reply(404, {"error": {"code": 1005}}, "", "GET", "/tenants/x", reason=None)
    assert exc.message == "Not Found"


def test_failing_to_says_what_was_tried_and_carries_the_result():
    exc = AcronisAPIError(409, "The version is outdated.", method="PUT", path="/tenants/" + TENANT, code=1001)
    with pytest.raises(AcronisFailure) as info:
        with failing_to("update tenant 'Acme'", changed=True, tenant={"name": "Acme"}):
            raise exc
    assert info.value.msg == "Failed to update tenant 'Acme': %s" % exc
    assert info.value.result == {"changed": True, "tenant": {"name": "Acme"}, "error": exc.to_dict()}
    assert info.value.__context__ is exc


def test_failing_to_lets_a_failure_and_other_errors_through():
    failure = AcronisFailure("tenant 'Acme' has child tenants")
    with pytest.raises(AcronisFailure) as info:
        with failing_to("delete tenant 'Acme'"):
            raise failure
    assert info.value is failure
    with pytest.raises(KeyError):
        with failing_to("delete tenant 'Acme'"):
            raise KeyError("id")


def test_failing_to_returns_what_the_block_returns():
    def read():
        with failing_to("read tenant 'Acme'"):
            return {"name": "Acme"}
    assert read() == {"name": "Acme"}
