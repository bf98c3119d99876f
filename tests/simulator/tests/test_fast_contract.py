"""The fast verdicts of strict mode never pass what openapi-core refuses, and find the same operation."""

import copy
import json
import random

import pytest
from jsonschema_path import SchemaPath
from openapi_core.templating.paths.finders import APICallPathFinder
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .. import contract

UUID = "6e6d758d-8e74-4ae3-ac84-50eb0dff12eb"


def _urls():
    urls = []
    for template in contract.patched_spec()["paths"]:
        urls.append(template.replace("{", "").replace("}", ""))
        urls.append(template.format(**{name: UUID for name in _names(template)}) if "{" in template else template)
    return urls + ["/users/check_login", "/users/me", "/tenants/usages", "/tenants/applications", "/nowhere/x",
                   "/tenants/%s/extra" % UUID, "/tenants/"]


def _names(template):
    return [part[1:-1] for part in template.split("/") if part.startswith("{")]


@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_finder_picks_what_openapi_core_picks(method):
    finder = APICallPathFinder(SchemaPath.from_dict(contract.patched_spec()))
    fast = contract.fast_contract()
    for url in _urls():
        operation, variables = fast.find(method, contract.API_PREFIX + url)
        try:
            expected = finder.find(method, "http://simulator" + contract.API_PREFIX + url)
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
        path, _, query = path.partition("?")
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
