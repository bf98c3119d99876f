"""A fast verdict on requests and responses, with openapi-core staying the authority.

openapi-core re-reads the specification through lazy ``$ref``-resolving accessors and
builds its validators on every call: 10-50 ms a request. This module compiles, once, every
operation of the patched specification into plain Python checks (parameters, JSON bodies,
JSON responses) that answer one question: *is this certainly valid?*

The verdict is one-sided by construction. ``True`` means the message passes exactly the
checks openapi-core would run: the same parameter lookup and casting (a subset of the values
it accepts), and the same OAS 3.0 read/write schema semantics (``type`` with ``nullable``,
``format`` through the same format checker, ``required`` with its readOnly/writeOnly rules,
``oneOf`` counting...; keywords it does not implement natively are checked by the very
validator class openapi-core uses). Anything else (``False``: invalid, unusual, or merely
not handled here: form bodies, non-JSON media types, repeated or empty query values,
ambiguous paths) sends the message to openapi-core, which decides and words the violations.
So the fast path can only spare work; it can never accept what openapi-core refuses.
``contract.CROSS_CHECK`` (on in the simulator's own tests) re-validates every fast pass with
openapi-core and reports any disagreement as a violation.
"""

import json

from openapi_core.templating.paths.parsers import PathParser
from openapi_core.templating.datatypes import TemplateResult
from openapi_core.util import BOOLEAN_FALSE_VALUES, BOOLEAN_TRUE_VALUES, forcebool
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

_URN = "urn:acronis-simulator:spec"
_JSON = "application/json"
# Keywords without sub-schemas whose check does not depend on other keywords of the node
# (minimum/maximum take their exclusive flag along). Checked by the library's own validator.
_LEAF_KEYWORDS = ("multipleOf", "maximum", "minimum", "pattern", "uniqueItems", "maxProperties",
                  "minProperties")
_LEAF_COMPANIONS = {"maximum": "exclusiveMaximum", "minimum": "exclusiveMinimum"}
_NATIVE_KEYWORDS = ("$ref", "type", "nullable", "format", "enum", "minLength", "maxLength", "minItems",
                    "maxItems", "properties", "additionalProperties", "required", "items", "allOf", "anyOf",
                    "oneOf", "not", "readOnly", "writeOnly", "exclusiveMaximum", "exclusiveMinimum")
_INTEGER_CHARS = frozenset("0123456789")


def _pointer_part(text):
    return str(text).replace("~", "~0").replace("/", "~1")


def _always(_instance):
    return True


class SchemaChecks:
    """Compiles schema nodes of the spec into ``check(instance) -> bool`` for one validator class."""

    def __init__(self, spec, validator_cls, registry):
        self.spec = spec
        self.cls = validator_cls
        self.registry = registry
        self.reading = validator_cls is OAS30ReadValidator
        self.format_checker = validator_cls.FORMAT_CHECKER
        self._compiled = {}

    def resolve(self, pointer):
        """The node at a JSON pointer ('/components/schemas/x') of the spec."""
        node = self.spec
        for part in pointer.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def check(self, pointer):
        """The compiled check of the schema at pointer (compiled once, recursion-safe)."""
        compiled = self._compiled.get(pointer)
        if compiled is None:
            cell = []
            self._compiled[pointer] = lambda instance: cell[0](instance)  # pylint: disable=unnecessary-lambda
            cell.append(self._compile(self.resolve(pointer), pointer))
            compiled = self._compiled[pointer] = cell[0]
        return compiled

    def _library(self, pointer):
        """The library's validator for the node at pointer (refs resolved in the spec)."""
        validator = self.cls({"$ref": _URN + "#" + pointer}, registry=self.registry,
                             format_checker=self.format_checker)
        return validator.is_valid

    def _compile(self, node, pointer):
        if not isinstance(node, dict):
            return self._library(pointer)
        if self._needs_library(node):
            return self._library(pointer)
        checks = []
        if "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return self._library(pointer)
            checks.append(self.check(ref[1:]))
        if "type" in node:
            checks.append(self._type(node))
        if "format" in node:
            checks.append(self._format(node["format"]))
        checks.extend(self._scalar_checks(node))
        checks.extend(self._object_checks(node, pointer))
        if "items" in node:
            checks.append(self._items(self.check(pointer + "/items")))
        checks.extend(self._combinators(node, pointer))
        flag = "writeOnly" if self.reading else "readOnly"
        if node.get(flag):
            checks.append(lambda instance: False)
        return _all(checks)

    def _needs_library(self, node):
        """Shapes this compiler does not reproduce: the library's validator checks the whole node."""
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in node and ("discriminator" in node or not isinstance(node[keyword], list)):
                return True
        if "type" in node and not isinstance(node["type"], str):
            return True
        if "items" in node and not isinstance(node["items"], dict):
            return True
        if "patternProperties" in node and "additionalProperties" in node:
            return True
        if "enum" in node and not isinstance(node["enum"], list):
            return True
        return any(keyword in self.cls.VALIDATORS and keyword not in _NATIVE_KEYWORDS + _LEAF_KEYWORDS
                   and self.cls.VALIDATORS[keyword].__name__ != "not_implemented" for keyword in node)

    def _type(self, node):
        wanted = node["type"]
        nullable = node.get("nullable") is True
        binary = wanted == "string" and node.get("format") == "binary"
        is_type = self.cls.TYPE_CHECKER.is_type
        exact = {"string": str, "boolean": bool, "array": list, "object": dict}.get(wanted)

        def check(instance):
            if instance is None:
                return nullable
            kind = type(instance)
            if exact is not None and kind in (str, bool, list, dict, int, float):
                return kind is exact
            if binary and isinstance(instance, bytes):
                return True
            return is_type(instance, wanted)
        return check

    def _format(self, name):
        conforms = self.format_checker.conforms

        def check(instance):
            return instance is None or conforms(instance, name)
        return check

    def _scalar_checks(self, node):
        checks = []
        if "enum" in node:
            checks.append(self._enum(node["enum"]))
        for keyword, kind, compare in (("minLength", str, lambda size, bound: size >= bound),
                                       ("maxLength", str, lambda size, bound: size <= bound),
                                       ("minItems", list, lambda size, bound: size >= bound),
                                       ("maxItems", list, lambda size, bound: size <= bound)):
            if keyword in node:
                checks.append(self._size(kind, node[keyword], compare))
        leaf = {}
        for keyword in _LEAF_KEYWORDS:
            if keyword in node:
                leaf[keyword] = node[keyword]
                companion = _LEAF_COMPANIONS.get(keyword)
                if companion in node:
                    leaf[companion] = node[companion]
        if leaf:
            checks.append(self.cls(leaf, format_checker=self.format_checker).is_valid)
        return checks

    def _enum(self, values):
        strings = frozenset(value for value in values if isinstance(value, str))
        library = self.cls({"enum": values}).is_valid

        def check(instance):
            if type(instance) is str:
                return instance in strings
            return library(instance)
        return check

    @staticmethod
    def _size(kind, bound, compare):
        def check(instance):
            return not isinstance(instance, kind) or compare(len(instance), bound)
        return check

    def _object_checks(self, node, pointer):
        checks = []
        properties = node.get("properties")
        if isinstance(properties, dict) and properties:
            compiled = {name: self.check(pointer + "/properties/" + _pointer_part(name)) for name in properties}
            checks.append(_properties(compiled))
        if "additionalProperties" in node:
            checks.append(self._additional(node, pointer))
        if "required" in node:
            checks.append(self._required(node))
        return checks

    def _additional(self, node, pointer):
        allowed = node["additionalProperties"]
        known = frozenset(node.get("properties") or {})
        if allowed is True:
            return _always
        if allowed is False:
            def closed(instance):
                return not isinstance(instance, dict) or all(key in known for key in instance)
            return closed
        if isinstance(allowed, dict):
            extra = self.check(pointer + "/additionalProperties")

            def open_with_schema(instance):
                if not isinstance(instance, dict):
                    return True
                return all(extra(value) for key, value in instance.items() if key not in known)
            return open_with_schema
        return self._library(pointer)

    def _required(self, node):
        """OAS 3.0 read/write ``required``: readOnly (writing) / writeOnly (reading) properties may be absent."""
        properties = node.get("properties") or {}
        flag = "writeOnly" if self.reading else "readOnly"
        needed = []
        for name in node["required"]:
            schema = properties.get(name)
            if schema and schema.get(flag, False):
                continue
            needed.append(name)

        def check(instance):
            return not isinstance(instance, dict) or all(name in instance for name in needed)
        return check

    def _items(self, item_check):
        def check(instance):
            return not isinstance(instance, list) or all(item_check(item) for item in instance)
        return check

    def _combinators(self, node, pointer):
        checks = []
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in node:
                members = [self.check("%s/%s/%d" % (pointer, keyword, index)) for index in range(len(node[keyword]))]
                checks.append({"allOf": _all, "anyOf": _any, "oneOf": _one}[keyword](members))
        if "not" in node:
            negated = self.check(pointer + "/not")
            checks.append(lambda instance: not negated(instance))
        return checks


def _all(checks):
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    return lambda instance: all(check(instance) for check in checks)


def _any(checks):
    return lambda instance: any(check(instance) for check in checks)


def _one(checks):
    def check(instance):
        valid = 0
        for member in checks:
            if member(instance):
                valid += 1
                if valid > 1:
                    return False
        return valid == 1
    return check


def _properties(compiled):
    def check(instance):
        if not isinstance(instance, dict):
            return True
        for name, value in instance.items():
            member = compiled.get(name)
            if member is not None and not member(value):
                return False
        return True
    return check


class _Parameter:
    """One parameter of an operation, ready for the fast verdict."""

    def __init__(self, definition, checks, pointer):
        self.name = definition["name"]
        self.location = definition["in"]
        self.required = bool(definition.get("required", False))
        self.usable = ("content" not in definition and "style" not in definition and "explode" not in definition
                       and "allowEmptyValue" not in definition and self.location in ("path", "query", "header")
                       and "schema" in definition)
        self.check = None
        self.kind = None
        self.missing_ok = not self.required
        if not self.usable:
            return
        schema_pointer = pointer + "/schema"
        schema = definition["schema"]
        while isinstance(schema, dict) and "$ref" in schema:
            schema_pointer = schema["$ref"][1:]
            schema = checks.resolve(schema_pointer)
        self.kind = schema.get("type")
        self.usable = self.kind in ("string", "integer", "boolean")
        self.check = checks.check(schema_pointer)
        if "default" in schema and not self.required:
            self.missing_ok = self.check(schema["default"])

    def cast(self, raw):
        """(True, value) as openapi-core casts it, or (False, None) when it is left to openapi-core."""
        if self.kind == "string":
            return True, raw
        if self.kind == "integer":
            digits = raw[1:] if raw.startswith("-") else raw
            if digits and all(char in _INTEGER_CHARS for char in digits):
                return True, int(raw)
            return False, None
        if raw.lower() in BOOLEAN_TRUE_VALUES + BOOLEAN_FALSE_VALUES:
            return True, forcebool(raw)
        return False, None


class _Operation:
    """The compiled checks of one operation."""

    def __init__(self, spec_path, method, operation, write_checks, read_checks):
        pointer = "/paths/%s/%s" % (_pointer_part(spec_path), method)
        self.parameters = []
        self.usable = True
        seen = set()
        definitions = [(pointer + "/parameters/%d" % i, p) for i, p in enumerate(operation.get("parameters", []))]
        path_item = write_checks.spec["paths"][spec_path]
        definitions += [("/paths/%s/parameters/%d" % (_pointer_part(spec_path), i), p)
                        for i, p in enumerate(path_item.get("parameters", []))]
        for param_pointer, definition in definitions:
            while "$ref" in definition:
                param_pointer = definition["$ref"][1:]
                definition = write_checks.resolve(param_pointer)
            if (definition["name"], definition["in"]) in seen:
                continue
            seen.add((definition["name"], definition["in"]))
            parameter = _Parameter(definition, write_checks, param_pointer)
            self.usable = self.usable and parameter.usable
            self.parameters.append(parameter)
        self.has_body = "requestBody" in operation
        self.body = None            # the check of a JSON body; None: not JSON, left to openapi-core
        if self.has_body:
            body_pointer = pointer + "/requestBody"
            content = operation["requestBody"].get("content", {})
            media = content.get(_JSON)
            check = None
            if media is not None:
                check = write_checks.check(body_pointer + "/content/application~1json/schema") \
                    if "schema" in media else _always
            self.body = check
        self.responses = {}
        for status, response in operation.get("responses", {}).items():
            response_pointer = "%s/responses/%s" % (pointer, _pointer_part(status))
            while "$ref" in response:
                response_pointer = response["$ref"][1:]
                response = write_checks.resolve(response_pointer)
            self.responses[status] = self._response(response, response_pointer, read_checks)

    @staticmethod
    def _response(response, pointer, read_checks):
        """'empty' (no content), a check of JSON data, or None (left to openapi-core)."""
        if "headers" in response:
            return None
        if "content" not in response:
            return "empty"
        media = response["content"].get(_JSON)
        if media is None:
            return None
        if "schema" not in media:
            return _always
        return read_checks.check(pointer + "/content/application~1json/schema")


class FastContract:
    """Every operation of the patched spec, compiled; ``request_ok`` / ``response_ok`` give the verdicts."""

    def __init__(self, spec, host, prefix):
        registry = Registry().with_resource(_URN, Resource.from_contents(spec, default_specification=DRAFT4))
        write_checks = SchemaChecks(spec, OAS30WriteValidator, registry)
        read_checks = SchemaChecks(spec, OAS30ReadValidator, registry)
        self.host = host
        self.server_url = (spec.get("servers") or [{}])[0].get("url", "").rstrip("/")
        self.enabled = (len(spec.get("servers") or []) == 1 and self.server_url == host + prefix
                        and "{" not in self.server_url)
        self.routes = []
        self.operations = {}
        for spec_path, item in spec["paths"].items():
            if "servers" in item or any(isinstance(op, dict) and "servers" in op for op in item.values()):
                self.enabled = False
            self.routes.append((spec_path, PathParser(spec_path, post_expression="$")))
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
                    self.operations[(method, spec_path)] = _Operation(spec_path, method, operation, write_checks,
                                                                      read_checks)

    def find(self, method, path):
        """(operation, path variables) of the spec path openapi-core's path finder picks for this request.

        The same order as its finder: paths the URL simply ends with, in spec order, then template
        matches (its own parser), fewer variables first; the first with the method whose server
        prefix is the spec's server.
        """
        if not self.enabled:
            return None, None
        url = self.host + path
        simple, templates = [], []
        for spec_path, parser in self.routes:
            if url.endswith(spec_path):
                simple.append((spec_path, {}))
            else:
                result = parser.search(url)
                if result is not None:
                    templates.append((spec_path, result.named))
        templates.sort(key=lambda hit: len(hit[1]))
        method = method.lower()
        for spec_path, variables in simple + templates:
            operation = self.operations.get((method, spec_path))
            if operation is None:
                continue
            resolved = TemplateResult(spec_path, variables).resolved
            if url.rsplit(resolved, 1)[0] == self.server_url:
                return operation, variables
        return None, None

    def request_ok(self, method, path, query, headers, body, content_type, parsed=None):
        """True only when the request certainly passes openapi-core's parameter and body validation."""
        operation, variables = self.find(method, path)
        if operation is None or not operation.usable:
            return False
        for parameter in operation.parameters:
            if parameter.location == "path":
                values = [variables[parameter.name]] if parameter.name in variables else []
            elif parameter.location == "query":
                values = query.getlist(parameter.name)
            else:
                values = headers.getlist(parameter.name)
            if not values:
                if not parameter.missing_ok:
                    return False
                continue
            if len(values) > 1 or (values[0] == "" and parameter.location == "query"):
                return False
            castable, value = parameter.cast(values[0])
            if not castable or not parameter.check(value):
                return False
        if not operation.has_body:
            return True
        if operation.body is None or not body or content_type != _JSON:
            return False
        if parsed is None:
            try:
                parsed = json.loads(body)
            except ValueError:
                return False
        return operation.body(parsed)

    def response_ok(self, method, path, status, data, content_type):
        """True only when the response certainly passes openapi-core's response validation."""
        operation, _ = self.find(method, path)
        if operation is None:
            return False
        responses = operation.responses
        status = str(status)
        for key in (status, status[0] + "XX", "default"):
            if key in responses:
                check = responses[key]
                break
        else:
            return False
        if check == "empty":
            return True
        if check is None or not data or content_type != _JSON:
            return False
        try:
            instance = json.loads(data)
        except ValueError:
            return False
        return check(instance)
