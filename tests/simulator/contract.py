"""The official contract: the subset specification, patched by spec_deviations, and strict validation."""

import copy
import json
import os
import re
from functools import lru_cache

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.validators import V30RequestBodyValidator, V30RequestParametersValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from . import spec_deviations
from .fast_contract import FastContract

SPEC_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi",
                         "account-management-v2.subset.openapi.json")
# Operations of the full published specification that the subset omits (spec_deviations "missing_operation").
EXTRACT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi",
                            "account-management-v2.extract.openapi.json")
# The token and revocation endpoints answer OAuth-style errors ({"error", "error_description"}), every one
# listed; the introspection endpoint answers the official envelope (errorScheme), as its operation says.
OAUTH_PATHS = ("/idp/token", "/idp/revoke_token")
API_PREFIX = "/api/2"
_VALIDATION_HOST = "http://simulator"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_ERROR_SCHEMA = {"$ref": "#/components/schemas/errorScheme"}
# When true, every message the fast verdict passes is validated by openapi-core as well, and a
# disagreement is a violation (the simulator's own tests switch this on: see conftest.py).
CROSS_CHECK = os.environ.get("ACRONIS_SIMULATOR_CROSS_CHECK", "") not in ("", "0")


class ContractViolation(Exception):
    """A request or response that breaks the specification."""

    def __init__(self, summary, violations):
        super().__init__(summary + ": " + "; ".join(violations))
        self.summary = summary
        self.violations = violations


def rule_to_template(rule):
    """Flask rule '/api/2/tenants/<tenant_id>' -> spec path '/tenants/{tenant_id}' (None outside /api/2)."""
    if not rule.startswith(API_PREFIX + "/"):
        return None
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule[len(API_PREFIX):])


@lru_cache(maxsize=1)
def raw_spec():
    """The verbatim subset specification."""
    with open(SPEC_FILE, encoding="utf-8") as stream:
        return json.load(stream)


@lru_cache(maxsize=1)
def extract_spec():
    """The verbatim extract of the full published specification (operations the subset omits)."""
    with open(EXTRACT_FILE, encoding="utf-8") as stream:
        return json.load(stream)


@lru_cache(maxsize=1)
def documented_spec():
    """The subset with the operations it omits, as the full published specification documents them."""
    spec = copy.deepcopy(raw_spec())
    extract = extract_spec()
    for deviation in spec_deviations.for_kind("missing_operation"):
        for method, path in deviation["operations"]:
            item = spec["paths"].setdefault(path, {})
            item[method.lower()] = copy.deepcopy(extract["paths"][path][method.lower()])
    for name, schema in extract["components"]["schemas"].items():
        spec["components"]["schemas"].setdefault(name, copy.deepcopy(schema))
    return spec


def is_oauth(template):
    """True for the token endpoints, whose errors are OAuth-style."""
    return template in OAUTH_PATHS


@lru_cache(maxsize=1)
def patched_spec():
    """The documented specification with every deviation applied (the files stay verbatim)."""
    spec = copy.deepcopy(documented_spec())
    spec["servers"] = [{"url": _VALIDATION_HOST + API_PREFIX}]
    if spec_deviations.for_operation("nullable_all_of", "*", "*"):
        _nullable_all_of(spec)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            _drop_empty_content(operation)
            _apply_generic_statuses(path, operation)
            _apply_deviations(method.upper(), path, operation)
    return spec


def _nullable_all_of(node):
    """Make the allOf members of a nullable schema nullable too (inlined: $ref siblings are ignored)."""
    if isinstance(node, dict):
        if node.get("nullable") is True and isinstance(node.get("allOf"), list):
            members = []
            for member in node["allOf"]:
                member = copy.deepcopy(_resolve(member))
                member["nullable"] = True
                if "enum" in member and None not in member["enum"]:
                    member["enum"] = list(member["enum"]) + [None]
                members.append(member)
            node["allOf"] = members
        for value in node.values():
            _nullable_all_of(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_all_of(value)


def _drop_empty_content(operation):
    """``"content": {}`` means "no body"; openapi-core would demand one, so say it its way."""
    for response in operation["responses"].values():
        if response.get("content") == {}:
            del response["content"]


def _apply_generic_statuses(path, operation):
    responses = operation["responses"]
    if is_oauth(path):
        return  # the token endpoints answer OAuth-style errors, all listed.
    for status in spec_deviations.GENERIC_ERROR_STATUSES:
        responses.setdefault(str(status), _error_response())


def _error_response():
    return {"description": "error (spec_deviations)", "content": {"application/json": {"schema": _ERROR_SCHEMA}}}


def _apply_deviations(method, path, operation):
    for deviation in spec_deviations.for_operation("extra_status", method, path):
        for status in deviation["statuses"]:
            operation["responses"].setdefault(str(status), _error_response())
    for deviation in spec_deviations.for_operation("no_body", method, path):
        operation["responses"][str(deviation["status"])].pop("content", None)
    for deviation in spec_deviations.for_operation("success_status", method, path):
        operation["responses"][str(deviation["to"])] = operation["responses"].pop(str(deviation["from"]))
    body_content = operation.get("requestBody", {}).get("content", {})
    for deviation in spec_deviations.for_operation("request_schema", method, path):
        body_content["application/json"]["schema"] = copy.deepcopy(deviation["schema"])
    for deviation in spec_deviations.for_operation("request_property", method, path):
        schema = _resolve(body_content["application/json"]["schema"])
        schema = copy.deepcopy(schema)
        schema["properties"][deviation["property"]] = copy.deepcopy(deviation["schema"])
        body_content["application/json"]["schema"] = schema
    for deviation in spec_deviations.for_operation("form_property_schema", method, path):
        form = body_content["application/x-www-form-urlencoded"]["schema"]
        form["properties"][deviation["property"]] = copy.deepcopy(deviation["schema"])
    for deviation in spec_deviations.for_operation("parameter_schema", method, path):
        for parameter in operation.get("parameters", []):
            if parameter.get("name") == deviation["name"] and parameter.get("in") == deviation["in"]:
                parameter["schema"] = copy.deepcopy(deviation["schema"])
    for deviation in spec_deviations.for_operation("response_enum", method, path):
        for status, response in operation["responses"].items():
            content = response.get("content", {}).get("application/json")
            if status.startswith("2") and content is not None:
                content["schema"] = _extend_enum(content["schema"], deviation["pointer"], deviation["values"])


def _extend_enum(schema, pointer, values):
    """A copy of schema whose enum at pointer ('a/b/[]/c': property names, [] for array items) allows values."""
    root = copy.deepcopy(_resolve(schema))
    node = root
    for part in pointer.split("/"):
        container, field = (node, "items") if part == "[]" else (node["properties"], part)
        container[field] = copy.deepcopy(_resolve(container[field]))
        node = container[field]
    node["enum"] = list(node["enum"]) + [value for value in values if value not in node["enum"]]
    return root


def _resolve(schema):
    """Follow a local $ref in the documented spec."""
    while isinstance(schema, dict) and "$ref" in schema:
        node = documented_spec()
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


@lru_cache(maxsize=1)
def operations():
    """{(METHOD, template): operation} of the patched spec."""
    index = {}
    for path, item in patched_spec()["paths"].items():
        for method, operation in item.items():
            if method in _METHODS:
                index[(method.upper(), path)] = operation
    return index


def operation(method, template):
    """The operation for a method and spec path template, or None."""
    return operations().get((method.upper(), template))


def allows_basic_auth(op):
    """True when the operation's security lists basicAuth."""
    return any("basicAuth" in requirement for requirement in op.get("security", []))


def requires_auth(op):
    """False for operations whose security includes the empty requirement (the token endpoints)."""
    return all(requirement for requirement in op.get("security", [{}]))


# ------------------------------------------------------------------ normalising


def _schema_walk(value, schema, transform, response_schema=None):
    """Apply transform(value, schema, response_schema) recursively along a JSON schema."""
    schema = _resolve(schema) if schema else {}
    response_schema = _resolve(response_schema) if response_schema else None
    for sub in schema.get("allOf", []):
        value = _schema_walk(value, sub, transform, response_schema)
    value = transform(value, schema, response_schema)
    if isinstance(value, dict) and "properties" in schema:
        response_props = (response_schema or {}).get("properties", {})
        for key in list(value):
            if key in schema["properties"]:
                value[key] = _schema_walk(value[key], schema["properties"][key], transform, response_props.get(key))
    elif isinstance(value, list) and "items" in schema:
        response_items = (response_schema or {}).get("items")
        value = [_schema_walk(item, schema["items"], transform, response_items) for item in value]
    return value


def _coerce_scalar(value, schema, _response_schema):
    """'3' -> 3 and 'false' -> False where the schema wants an integer or a boolean."""
    wanted = schema.get("type")
    if isinstance(value, str):
        text = value.strip()
        if wanted == "integer" and re.match(r"^-?\d+$", text):
            return int(text)
        if wanted == "number" and re.match(r"^-?\d+(\.\d+)?$", text):
            return float(text)
        if wanted == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
    return value


def _strip_read_only(value, schema, response_schema):
    """Drop properties the request schema lacks but the response schema has (objects sent back whole)."""
    if isinstance(value, dict) and response_schema and schema.get("additionalProperties") is False:
        known = schema.get("properties", {})
        readable = dict(response_schema.get("properties", {}))
        for sub in response_schema.get("allOf", []):
            readable.update(_resolve(sub).get("properties", {}))
        for key in list(value):
            if key not in known and key in readable:
                del value[key]
    return value


def normalise_body(method, template, body):
    """Apply the request-side deviations (leniency, read-only fields) to a parsed JSON body."""
    op = operation(method, template)
    if op is None or not isinstance(body, (dict, list)):
        return body
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return body
    body = copy.deepcopy(body)
    if spec_deviations.for_operation("read_only_fields", method, template):
        ok = next((r for s, r in sorted(op["responses"].items()) if s.startswith("2")), {})
        response_schema = ok.get("content", {}).get("application/json", {}).get("schema")
        body = _schema_walk(body, schema, _strip_read_only, response_schema)
    if spec_deviations.for_operation("lenient_scalars", method, template):
        body = _schema_walk(body, schema, _coerce_scalar)
    return body


# ------------------------------------------------------------------ validation


class _Request:
    """The request protocol openapi-core expects, over a (possibly normalised) body."""

    def __init__(self, method, path, query, headers, body, content_type):
        self.host_url = _VALIDATION_HOST
        self.path = path
        self.method = method.lower()
        self.body = body
        self.content_type = content_type or "application/octet-stream"
        self.parameters = RequestParameters(query=ImmutableMultiDict(query), header=Headers(headers), cookie={})


class _Response:
    def __init__(self, status, headers, data, content_type):
        self.status_code = status
        self.headers = Headers(headers)
        self.data = data
        self.content_type = content_type or "application/octet-stream"


@lru_cache(maxsize=1)
def _openapi():
    return OpenAPI.from_dict(patched_spec())


def _describe(error):
    """Short readable lines for an openapi-core error and its schema errors."""
    lines = []
    cause = error.__cause__ or error
    schema_errors = getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None)
    label = type(error).__name__
    name = getattr(error, "name", None)
    if name:
        label += " '%s'" % name
    if schema_errors:
        for schema_error in schema_errors:
            where = "/".join(str(p) for p in schema_error.absolute_path) or "(root)"
            lines.append("%s at %s: %s" % (label, where, schema_error.message))
    else:
        text = "%s: %s" % (label, error)
        if error.__cause__ is not None and str(error.__cause__) not in text:
            text += ": %s" % error.__cause__
        lines.append(text)
    return lines


@lru_cache(maxsize=1)
def fast_contract():
    """The fast verdicts of the patched specification: library validators built once per operation (fast_contract.py)."""
    return FastContract(patched_spec(), _VALIDATION_HOST, API_PREFIX)


def validate_request(method, path, query, headers, body, content_type, parsed=None):
    """Raise ContractViolation when the request breaks the (patched) specification.

    ``parsed`` is the body already parsed from ``body`` (spares parsing it again).
    """
    if fast_contract().request_ok(method, path, query, headers, body, content_type, parsed):
        if CROSS_CHECK:
            _cross_check(_request_violations(method, path, query, headers, body, content_type), "request")
        return
    violations = _request_violations(method, path, query, headers, body, content_type)
    if violations:
        raise ContractViolation("The request does not match the API specification", violations)


def _request_violations(method, path, query, headers, body, content_type):
    request = _Request(method, path, query, headers, body, content_type)
    violations = []
    for validator in _request_validators():
        for error in validator.iter_errors(request):
            violations.extend(_describe(error))
    return violations


def _cross_check(violations, what):
    if violations:
        raise ContractViolation("The fast %s verdict passed what openapi-core refuses" % what, violations)


@lru_cache(maxsize=1)
def _request_validators():
    """Parameters and body only: authentication is the simulator's own business (auth.py)."""
    spec = _openapi().spec
    return (V30RequestParametersValidator(spec), V30RequestBodyValidator(spec))


def validate_response(method, path, query, headers, body, content_type, status, response_headers, data,
                      response_content_type):
    """Raise ContractViolation when the response breaks the (patched) specification."""
    if fast_contract().response_ok(method, path, status, data, response_content_type):
        if CROSS_CHECK:
            _cross_check(_response_violations(method, path, query, headers, body, content_type, status,
                                              response_headers, data, response_content_type), "response")
        return
    violations = _response_violations(method, path, query, headers, body, content_type, status, response_headers,
                                      data, response_content_type)
    if violations:
        raise ContractViolation("The simulator's response does not match the API specification", violations)


def _response_violations(method, path, query, headers, body, content_type, status, response_headers, data,
                         response_content_type):
    request = _Request(method, path, query, headers, body, content_type)
    response = _Response(status, response_headers, data, response_content_type)
    violations = []
    for error in _openapi().response_validator.iter_errors(request, response):
        violations.extend(_describe(error))
    return violations
