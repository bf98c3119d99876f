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
    # Unusual messages go to openapi-core: a form body, a repeated or empty value, a non-digit integer.
    assert not fast.request_ok("POST", "/api/2/idp/token", ImmutableMultiDict(), Headers(), b"grant_type=x",
                               "application/x-www-form-urlencoded")
    for query in ([("parent_id", root), ("parent_id", root)], [("parent_id", "")], [("limit", "+3")]):
        assert not fast.request_ok("GET", "/api/2/tenants", ImmutableMultiDict(query), Headers(), b"", None), query


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
