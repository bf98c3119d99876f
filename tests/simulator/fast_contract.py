"""A fast verdict on requests and responses, with openapi-core staying the authority.

openapi-core re-reads the specification through lazy ``$ref``-resolving accessors and builds its
validators on every call: 10-50 ms a request. Here every operation gets, once, validators of the
classes openapi-core itself builds (openapi-schema-validator's ``OAS30WriteValidator`` for
parameters and request bodies, ``OAS30ReadValidator`` for responses, with their format checkers)
over a ``referencing`` registry holding the spec; a verdict is then ``is_valid(instance)``.

The verdict is one-sided: ``True`` only when openapi-core certainly agrees (the operation its path
finder picks, parameters cast as it casts them, the same schemas and validator classes). Anything
unusual answers ``False`` and goes to openapi-core, which decides and words the violations: non-JSON
bodies other than plain string forms, response headers, cookie parameters, header parameters other
than strings, parameter styles and types other than string/integer/boolean, repeated or empty
values, paths ``urljoin`` rewrites or with a ``{``. ``contract.CROSS_CHECK`` (on in the simulator's
own tests) re-validates every fast pass with openapi-core.

A form body (``application/x-www-form-urlencoded``: the token endpoint) is decided here when each
field occurs once, is not empty and is a property of type string: openapi-core then reads it as
the same object of strings (``parse_qsl``, no casting) and validates it with the same class.

Responses that carry a ``timestamp`` of their own (lists of tenants, offering items, users, access
policies) are otherwise the same bytes again and again: the parent's items, read once per customer.
Their verdict is kept: the timestamp is validated against its own property schema, and the rest,
with the timestamp replaced by one that passed, is validated once per distinct content. That is the
same verdict where the object's schema constrains the timestamp only through its property
(``_PER_PROPERTY``).
"""

import hashlib
import json
import re
import threading
from collections import OrderedDict, namedtuple
from urllib.parse import parse_qsl, urljoin

from openapi_core.templating.paths.parsers import PathParser
from openapi_core.util import BOOLEAN_FALSE_VALUES, BOOLEAN_TRUE_VALUES
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

_URN = "urn:acronis-simulator:spec"
_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_EMPTY = "no content"
_UNCAST = object()
# openapi-core casts a parameter by its schema type: strings stay, integers go through int() (which
# also takes "+3", " 3", "3_0": those are left to it), booleans by its own word lists.
_BOOLEANS = dict([(word, True) for word in BOOLEAN_TRUE_VALUES] + [(word, False) for word in BOOLEAN_FALSE_VALUES])
_CASTS = {"string": lambda raw: raw,
          "integer": lambda raw: int(raw) if re.fullmatch("-?[0-9]+", raw) else _UNCAST,
          "boolean": lambda raw: _BOOLEANS.get(raw.lower(), _UNCAST)}

# parameters: [(name, "path", "query" or "header", cast, is_valid, missing_ok)], None: left to openapi-core;
# body: is_valid of a JSON body, None: left to openapi-core, False: the operation takes none;
# form: (is_valid, names of its string properties) of a form body, or None: left to openapi-core;
# responses: {status: is_valid of JSON data, _EMPTY (no content), or None: left to openapi-core}.
_Operation = namedtuple("_Operation", "parameters body form responses")

# The keywords an object schema may have for its properties to be judged one by one: none of them
# relates one property's value to another's (required and min/maxProperties look at names only).
_PER_PROPERTY = frozenset(("type", "properties", "required", "additionalProperties", "minProperties",
                           "maxProperties", "nullable", "description", "title", "example", "deprecated",
                           "readOnly", "writeOnly", "externalDocs", "xml"))
_VOLATILE = "timestamp"
_KEPT_VERDICTS = 512


class _KeptVerdict:
    """is_valid of a response schema whose ``timestamp`` property is judged apart (module docstring)."""

    def __init__(self, whole, stamp):
        self.whole, self.stamp = whole, stamp
        self.standin = None
        self.passed = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, instance):
        if not isinstance(instance, dict) or _VOLATILE not in instance:
            return self.whole(instance)
        if not self.stamp(instance[_VOLATILE]):
            return False
        with self.lock:
            if self.standin is None:
                self.standin = instance[_VOLATILE]
            rest = dict(instance, **{_VOLATILE: self.standin})
        key = hashlib.sha256(json.dumps(rest, separators=(",", ":")).encode()).digest()
        with self.lock:
            if key in self.passed:
                self.passed.move_to_end(key)
                return True
        if not self.whole(rest):
            return False
        with self.lock:
            self.passed[key] = True
            if len(self.passed) > _KEPT_VERDICTS:
                self.passed.popitem(last=False)
        return True


def _part(text):
    """A JSON pointer segment."""
    return text.replace("~", "~0").replace("/", "~1")


def _registry(spec):
    return Registry().with_resource(_URN, Resource.from_contents(spec, default_specification=DRAFT4))


def _inline_refs(spec):
    """A copy of spec where each local ``$ref`` standing alone is replaced by (a shared copy of) its target.

    jsonschema follows a ``$ref`` on every validation through referencing's pointer lookup, which
    costs more than the checks (a page of 25 tenants: 9 ms with the references, 5.5 without). Pointers
    keep their meaning, so a ``$ref`` left in place (with siblings, inside its own target, or under
    ``enum``/``default``: data, not walked; a ``default`` response too, only slower) still resolves
    through the registry to the same schema.
    """
    resolver = _registry(spec).resolver(base_uri=_URN)
    inlined = {}

    def walk(node, open_refs):
        if isinstance(node, list):
            return [walk(item, open_refs) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/") and ref not in open_refs:
            if ref not in inlined:
                inlined[ref] = walk(resolver.lookup(ref).contents, open_refs | {ref})
            return inlined[ref]
        return {key: value if key in ("enum", "default") else walk(value, open_refs) for key, value in node.items()}
    return walk(spec, frozenset())


class FastContract:
    """The validators of every operation of the patched spec; ``request_ok`` / ``response_ok`` give the verdicts."""

    def __init__(self, spec, host, prefix):
        self.host, self.prefix = host, prefix
        self.registry = _registry(_inline_refs(spec))
        self.resolver = self.registry.resolver(base_uri=_URN)
        # The lookup in find() is openapi-core's when the spec's only server is host + prefix.
        self.enabled = spec.get("servers") == [{"url": host + prefix}] and not any(
            isinstance(node, dict) and "servers" in node
            for item in spec["paths"].values() for node in [item] + list(item.values()))
        # openapi-core's path finder tries the spec's paths fewest variables first (a stable sort: spec
        # order otherwise) and takes the first that matches the path after the server and has the method.
        paths = sorted(spec["paths"], key=lambda path: len(set(re.findall(r"\{([^}]*)\}", path))))
        self.routes = [(PathParser(path), path) for path in paths]
        self.operations = {(method, path): self._operation(path, method)
                           for path, item in spec["paths"].items() for method in _METHODS if method in item}

    def _at(self, pointer):
        """(node, pointer) at a JSON pointer of the spec, following $refs ((None, None) for one elsewhere)."""
        node = self.resolver.lookup(_URN + "#" + pointer).contents
        while isinstance(node, dict) and "$ref" in node:
            if not str(node["$ref"]).startswith("#/"):
                return None, None
            pointer = node["$ref"][1:]
            node = self.resolver.lookup(_URN + "#" + pointer).contents
        return node, pointer

    def _validator(self, cls, pointer):
        """``is_valid`` of the library's validator for the schema at pointer, with the format checker openapi-core gives it."""
        return cls({"$ref": _URN + "#" + pointer}, registry=self.registry, format_checker=cls.FORMAT_CHECKER).is_valid

    def _operation(self, path, method):
        item_pointer = "/paths/" + _part(path)
        pointer = item_pointer + "/" + method
        operation, item = self._at(pointer)[0], self._at(item_pointer)[0]
        listed = (["%s/parameters/%d" % (pointer, i) for i in range(len(operation.get("parameters", [])))]
                  + ["%s/parameters/%d" % (item_pointer, i) for i in range(len(item.get("parameters", [])))])
        request_body = self._at(pointer + "/requestBody") if "requestBody" in operation else None
        body = request_body is not None and self._media(*request_body, OAS30WriteValidator)
        form = self._form(*request_body) if request_body is not None else None
        responses = {}
        for status in operation["responses"]:
            response, response_pointer = self._at(pointer + "/responses/" + _part(status))
            if response is None or "headers" in response:
                responses[status] = None        # openapi-core validates the headers too
            elif "content" not in response:
                responses[status] = _EMPTY      # openapi-core looks at neither data nor content type
            else:
                responses[status] = self._media(response, response_pointer, OAS30ReadValidator)
        return _Operation(self._parameters(listed), body, form, responses)

    def _media(self, node, pointer, cls):
        """is_valid of the JSON media type of a request body or response (None: no JSON, or a $ref elsewhere)."""
        media = (node or {}).get("content", {}).get(_JSON)
        if media is None:
            return None
        if "schema" not in media:
            return lambda _instance: True   # any JSON
        schema_pointer = pointer + "/content/" + _part(_JSON) + "/schema"
        whole = self._validator(cls, schema_pointer)
        schema, schema_pointer = self._at(schema_pointer)
        if (cls is OAS30ReadValidator and isinstance(schema, dict) and schema.get("type") == "object"
                and _VOLATILE in (schema.get("properties") or {}) and set(schema) <= _PER_PROPERTY):
            return _KeptVerdict(whole, self._validator(cls, schema_pointer + "/properties/" + _VOLATILE))
        return whole

    def _form(self, node, pointer):
        """(is_valid, names of its string properties) of a form request body, or None (module docstring)."""
        media = (node or {}).get("content", {}).get(_FORM)
        if media is None or "schema" not in media or "encoding" in media:
            return None
        schema, schema_pointer = self._at(pointer + "/content/" + _part(_FORM) + "/schema")
        if not isinstance(schema, dict) or schema.get("type") != "object":
            return None
        names = frozenset(name for name, definition in (schema.get("properties") or {}).items()
                          if isinstance(definition, dict) and definition.get("type") == "string"
                          and "$ref" not in definition)
        return self._validator(OAS30WriteValidator, schema_pointer), names

    def _parameters(self, listed):
        """The parameters as openapi-core reads them (an operation's own before the path item's), or None."""
        parameters, seen = [], set()
        for pointer in listed:
            definition, pointer = self._at(pointer)
            if definition is None:
                return None
            if (definition["name"], definition["in"]) in seen:
                continue
            seen.add((definition["name"], definition["in"]))
            schema = self._at(pointer + "/schema")[0] if "schema" in definition else None
            if (definition["in"] not in ("path", "query", "header") or not isinstance(schema, dict)
                    or schema.get("type") not in _CASTS or (definition["in"] == "header" and schema["type"] != "string")
                    or {"style", "explode", "allowEmptyValue", "content"} & set(definition)):
                return None
            is_valid = self._validator(OAS30WriteValidator, pointer + "/schema")
            # Absent: openapi-core refuses a required one and validates the default of an optional one.
            missing_ok = not definition.get("required", False) and ("default" not in schema or is_valid(schema["default"]))
            parameters.append((definition["name"], definition["in"], _CASTS[schema["type"]], is_valid, missing_ok))
        return parameters

    def find(self, method, path):
        """(operation, path variables) of the spec path openapi-core's path finder picks, or (None, None)."""
        if (not self.enabled or not path.startswith(self.prefix + "/") or "{" in path
                or urljoin(self.host, path) != self.host + path):    # openapi-core looks at urljoin(host, path)
            return None, None
        rest = path[len(self.prefix):]
        for parser, template in self.routes:
            match = parser.parse(rest)
            if match is not None and (method.lower(), template) in self.operations:
                return self.operations[(method.lower(), template)], match.named
        return None, None

    def request_ok(self, method, path, query, headers, body, content_type, parsed=None):
        """True only when the request certainly passes openapi-core's parameter and body validation."""
        operation, variables = self.find(method, path)
        if operation is None or operation.parameters is None:
            return False
        for name, location, cast, is_valid, missing_ok in operation.parameters:
            if location == "header":
                values = headers.getlist(name)
            else:
                values = query.getlist(name) if location == "query" else [variables[name]] if name in variables else []
            if not values and missing_ok:
                continue
            value = cast(values[0]) if len(values) == 1 and values[0] != "" else _UNCAST
            if value is _UNCAST or not is_valid(value):
                return False
        if operation.body is False:
            return True     # openapi-core ignores a body the operation does not take
        if content_type == _FORM and operation.form is not None and body:
            return self._form_ok(operation.form, body)
        if operation.body is None or not body or content_type != _JSON:
            return False
        if parsed is None:
            try:
                parsed = json.loads(body)
            except ValueError:
                return False
        return operation.body(parsed)

    @staticmethod
    def _form_ok(form, body):
        is_valid, names = form
        try:
            fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            return False
        given = [name for name, _value in fields]
        if len(set(given)) != len(given) or not set(given) <= names or any(value == "" for _name, value in fields):
            return False
        return is_valid(dict(fields))

    def response_ok(self, method, path, status, data, content_type):
        """True only when the response certainly passes openapi-core's response validation."""
        operation = self.find(method, path)[0]
        if operation is None:
            return False
        status = str(status)
        # openapi-core's response finder: the exact status, then its range, then default.
        key = next((key for key in (status, status[0] + "XX", "default") if key in operation.responses), None)
        check = operation.responses.get(key)
        if check is _EMPTY:
            return True
        if check is None or not data or content_type != _JSON:
            return False
        try:
            instance = json.loads(data)
        except ValueError:
            return False
        return check(instance)
