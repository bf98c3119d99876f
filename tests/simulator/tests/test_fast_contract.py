"""The fast verdicts of strict mode never pass what openapi-core refuses, and find the same operation."""

import copy
import json
import random
from urllib.parse import urljoin

import pytest
from jsonschema_path import SchemaPath
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core import OpenAPI
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .. import contract
from ..fast_contract import FastContract

UUID = "6e6d758d-8e74-4ae3-ac84-50eb0dff12eb"


def _urls():
    urls = []
    for template in contract.patched_spec()["paths"]:
        urls.append(template.replace("{", "").replace("}", ""))
        urls.append(template.format(**{name: UUID for name in _names(template)}) if "{" in template else template)
    return urls + ["/users/check_login", "/users/me", "/tenants/usages", "/tenants/applications", "/nowhere/x",
                   "/tenants/%s/extra" % UUID, "/tenants/", "/tenants/%s/../users" % UUID, "/tenants/./usages",
                   "/tenants/{tenant_id}", "/tenants/x/{y}/users", "/users/a;b", "/tenants/a%20b"]


def _names(template):
    return [part[1:-1] for part in template.split("/") if part.startswith("{")]


@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_finder_picks_what_openapi_core_picks(method):
    finder = APICallPathFinder(SchemaPath.from_dict(contract.patched_spec()))
    fast = contract.fast_contract()
    for url in _urls():
        operation, variables = fast.find(method, contract.API_PREFIX + url)
        try:   # openapi-core looks up urljoin(host, path) (BaseAPICallValidator._find_path)
            expected = finder.find(method, urljoin("http://simulator", contract.API_PREFIX + url))
        except Exception:  # pylint: disable=broad-except
            assert operation is None, url
            continue
        if operation is not None:
            assert operation is fast.operations[(method, expected.path_result.pattern)], url
            assert variables == expected.path_result.variables, url


def _mutations(value, rng):
    """Variants of a valid instance: fields dropped, retyped, nulled, added."""
    yield value
    if isinstance(value, dict):
        for key in list(value):
            dropped = dict(value)
            del dropped[key]
            yield dropped
            for replacement in (None, 7, "7", True, [], {}, 1.5, "not-a-uuid", "2020-13-45"):
                yield dict(value, **{key: replacement})
            for inner in _mutations(value[key], rng):
                if rng.random() < 0.3:
                    yield dict(value, **{key: inner})
        yield dict(value, unexpected_field=1)
    elif isinstance(value, list) and value:
        for inner in _mutations(value[0], rng):
            if rng.random() < 0.5:
                yield [inner] + value[1:]
        yield value + [None]


def test_fast_response_verdict_never_passes_what_openapi_core_refuses(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = api.post("/tenants", json={"name": "Fast P", "kind": "partner", "parent_id": root}).json()
    user = api.post("/users", json={"tenant_id": partner["id"], "login": "fast.user",
                                    "contact": {"email": "f@example.com"}}).json()
    samples = [("GET", "/tenants/" + partner["id"], api.get("/tenants/" + partner["id"]).json()),
               ("GET", "/tenants?parent_id=" + root, api.get("/tenants", params={"parent_id": root}).json()),
               ("GET", "/users/" + user["id"], api.get("/users/" + user["id"]).json()),
               ("GET", "/tenants/%s/offering_items" % partner["id"],
                api.get("/tenants/%s/offering_items" % partner["id"]).json())]
    rng = random.Random(5)
    fast = contract.fast_contract()
    checked = 0
    for method, path, body in samples:
        path, query = path.partition("?")[::2]
        for variant in _mutations(copy.deepcopy(body), rng):
            data = json.dumps(variant).encode()
            if fast.response_ok(method, contract.API_PREFIX + path, 200, data, "application/json"):
                args = ImmutableMultiDict([tuple(query.split("="))] if query else [])
                assert not contract._response_violations(  # pylint: disable=protected-access
                    method, contract.API_PREFIX + path, args, Headers(), b"", None, 200, {}, data,
                    "application/json"), (path, variant)
                checked += 1
    assert checked > 4


def test_fast_request_verdict_never_passes_what_openapi_core_refuses():
    fast = contract.fast_contract()
    body = {"name": "X", "kind": "partner", "parent_id": UUID, "contact": {"email": "a@b.c"}, "enabled": True}
    rng = random.Random(3)
    verdicts = []
    for variant in _mutations(body, rng):
        data = json.dumps(variant).encode()
        verdicts.append(fast.request_ok("POST", "/api/2/tenants", ImmutableMultiDict(), Headers(), data,
                                        "application/json"))
        if verdicts[-1]:
            assert not contract._request_violations(  # pylint: disable=protected-access
                "POST", "/api/2/tenants", ImmutableMultiDict(), Headers(), data, "application/json"), variant
    assert verdicts[0] and not all(verdicts)
    for query in ({"parent_id": UUID, "limit": "25"}, {"parent_id": UUID, "limit": "0"}, {"parent_id": "x"},
                  {"limit": "abc"}, {"limit": "+3"}, {"allow_deleted": "yes"}, {"allow_deleted": "maybe"},
                  {"lod": "basic"}, {"lod": "everything"}, {"parent_id": ""}, {"updated_since": "yesterday"}):
        args = ImmutableMultiDict(query)
        if fast.request_ok("GET", "/api/2/tenants", args, Headers(), b"", None):
            assert not contract._request_violations(  # pylint: disable=protected-access
                "GET", "/api/2/tenants", args, Headers(), b"", None), query


def test_fast_verdicts_cover_the_everyday_calls(simulator, api):
    """The speed-up is real: plain JSON calls are decided without openapi-core."""
    root = simulator.credentials["tenant_id"]
    fast = contract.fast_contract()
    body = {"name": "Fast", "kind": "partner", "parent_id": root}
    assert fast.request_ok("POST", "/api/2/tenants", ImmutableMultiDict(), Headers(), json.dumps(body).encode(),
                           "application/json")
    args = ImmutableMultiDict({"parent_id": root, "limit": "25", "lod": "basic", "allow_deleted": "false"})
    assert fast.request_ok("GET", "/api/2/tenants", args, Headers(), b"", None)
    for path, params in (("/tenants/" + root, {}), ("/tenants", {"parent_id": root}), ("/tenants/%s/children" % root, {}),
                         ("/tenants/%s/offering_items" % root, {}), ("/tenants/" + UUID, {})):
        response = api.get(path, params=params)
        assert fast.response_ok("GET", contract.API_PREFIX + path, response.status_code, response.content,
                                "application/json"), path
    assert fast.response_ok("DELETE", "/api/2/reports/" + UUID, 204, b"", None)
    # A plain token form is decided here; a repeated or empty field goes to openapi-core.
    assert fast.request_ok("POST", "/api/2/idp/token", ImmutableMultiDict(), Headers(),
                           b"grant_type=client_credentials", "application/x-www-form-urlencoded")
    for form in (b"grant_type=client_credentials&grant_type=password", b"grant_type=client_credentials&scope="):
        assert not fast.request_ok("POST", "/api/2/idp/token", ImmutableMultiDict(), Headers(), form,
                                   "application/x-www-form-urlencoded"), form
    # Unusual messages go to openapi-core: a repeated or empty value, a non-digit integer.
    for query in ([("parent_id", root), ("parent_id", root)], [("parent_id", "")], [("limit", "+3")]):
        assert not fast.request_ok("GET", "/api/2/tenants", ImmutableMultiDict(query), Headers(), b"", None), query


def test_fast_form_verdict_never_passes_what_openapi_core_refuses():
    fast = contract.fast_contract()
    forms = [b"grant_type=client_credentials", b"grant_type=client_credentials&client_id=a&client_secret=b",
             b"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=x.y.z&scope=urn%3Aa",
             b"grant_type=nonsense", b"grant_type=", b"client_id=a", b"", b"grant_type=password&username=u",
             b"grant_type=client_credentials&unexpected=1", b"grant_type=client_credentials&grant_type=password",
             b"grant_type", b"grant_type=client_credentials&&x", b"\xff\xfe", b"grant_type=client%5Fcredentials",
             b"grant_type=client+credentials", b"grant_type=client_credentials;client_id=a"]
    verdicts = []
    for path in ("/api/2/idp/token", "/api/2/idp/revoke_token", "/api/2/idp/introspect_token"):
        for headers in (Headers(), Headers({"Authorization": "Basic YTpi"}), Headers({"Authorization": "Digest x"}),
                        Headers([("Authorization", "Basic YTpi"), ("Authorization", "Basic Yzpk")])):
            for form in forms:
                verdicts.append(fast.request_ok("POST", path, ImmutableMultiDict(), headers, form,
                                                "application/x-www-form-urlencoded"))
                if verdicts[-1]:
                    assert not contract._request_violations(  # pylint: disable=protected-access
                        "POST", path, ImmutableMultiDict(), headers, form, "application/x-www-form-urlencoded"), \
                        (path, headers, form)
    assert any(verdicts) and not all(verdicts)
    assert fast.request_ok("POST", "/api/2/idp/token", ImmutableMultiDict(), Headers({"Authorization": "Basic YTpi"}),
                           b"grant_type=client_credentials", "application/x-www-form-urlencoded")
    assert not fast.request_ok("POST", "/api/2/idp/token", ImmutableMultiDict(), Headers({"Authorization": "Digest x"}),
                               b"grant_type=client_credentials", "application/x-www-form-urlencoded")


def test_kept_verdicts_judge_every_timestamp_and_every_change(simulator, api):
    """A response seen before passes again whatever its (valid) timestamp; a change anywhere is judged anew."""
    root = simulator.credentials["tenant_id"]
    fast = contract.fast_contract()
    path = contract.API_PREFIX + "/tenants/%s/offering_items" % root
    body = api.get("/tenants/%s/offering_items" % root).json()
    assert "timestamp" in body and body["items"]

    def verdict(instance):
        return fast.response_ok("GET", path, 200, json.dumps(instance).encode(), "application/json")

    def refused(instance):
        return contract._response_violations(  # pylint: disable=protected-access
            "GET", path, ImmutableMultiDict(), Headers(), b"", None, 200, {}, json.dumps(instance).encode(),
            "application/json")

    assert verdict(body)
    assert verdict(dict(body, timestamp="2031-01-02T03:04:05+00:00"))       # the same content, another time
    for stamp in ("yesterday", 7, None, "2031-13-45T00:00:00Z"):
        changed = dict(body, timestamp=stamp)
        assert verdict(changed) is (not refused(changed)), stamp
    items = copy.deepcopy(body["items"])
    items[0]["status"] = "enabled"
    assert not verdict(dict(body, items=items)) and refused(dict(body, items=items))
    assert not verdict(dict(body, unexpected_field=1)) or not refused(dict(body, unexpected_field=1))
    without = dict(body)
    del without["items"]
    assert verdict(without) is (not refused(without))


def test_inlined_references_keep_their_meaning():
    """References left to the registry (recursive, with siblings, under a property named enum) mean what they meant."""
    schemas = {
        "node": {"type": "object", "additionalProperties": False, "properties": {
            "child": {"$ref": "#/components/schemas/node"},
            "tag": {"$ref": "#/components/schemas/tag", "nullable": True},
            "enum": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/count"}}},
            "choice": {"enum": [{"$ref": "#/components/schemas/count"}, "a"]}}},
        "tag": {"type": "string", "maxLength": 3},
        "count": {"type": "integer", "minimum": 0}}
    ok = {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/node"}}}}
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "servers": [{"url": "http://simulator/p"}],
            "paths": {"/n": {"get": {"responses": {"200": ok}}}}, "components": {"schemas": schemas}}
    fast = FastContract(spec, "http://simulator", "/p")
    openapi = OpenAPI.from_dict(copy.deepcopy(spec))
    request = contract._Request("GET", "/p/n", {}, {}, b"", None)  # pylint: disable=protected-access
    outcomes = []
    for instance in ({}, {"child": {"child": {"tag": "abc"}}}, {"child": {"child": {"tag": "abcd"}}}, {"tag": None},
                     {"enum": {"n": 1}}, {"enum": {"n": -1}}, {"choice": "a"},
                     {"choice": {"$ref": "#/components/schemas/count"}}, {"choice": 1}, {"child": {"extra": 1}}):
        data = json.dumps(instance).encode()
        response = contract._Response(200, {}, data, "application/json")  # pylint: disable=protected-access
        expected = not list(openapi.response_validator.iter_errors(request, response))
        assert fast.response_ok("GET", "/p/n", 200, data, "application/json") is expected, instance
        outcomes.append(expected)
    assert outcomes == [True, True, False, False, True, False, True, True, False, False]
