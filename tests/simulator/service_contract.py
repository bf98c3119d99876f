"""Strict checks for the services outside the Account Management API.

Acronis publishes no OpenAPI file for the agent, resource, policy, application, task and alert services, so
each service module writes its own contract from Acronis's developer documentation: it decorates every view
with ``@operation(...)``, giving JSON schemas (draft 2020-12) of the query string, the body and each response
status, and the documentation each rule follows (``source``).

In strict mode the request pipeline (app.py) checks a request against its operation before the view runs
(a violation is answered 400 in the service's own error envelope) and every response after it (a violation
is a simulator bug: recorded, logged and answered 500), exactly as it does for /api/2 with the specification.

Query strings arrive as text: a query schema describes each parameter as a string (``pattern``, ``enum``),
and a parameter sent more than once is checked as a list of strings.
"""

from functools import lru_cache
import json

from jsonschema import Draft202012Validator

from .errors import ApiError


class ServiceOperation:
    """What one view of a service accepts and answers."""

    def __init__(self, service, query=None, body=None, responses=None, source="", error=None, public=False):
        self.service = service
        self.query = query
        self.body = body
        self.responses = responses or {}
        self.source = source
        self.error = error or ApiError
        self.public = public

    def request_violations(self, args, body, has_body):
        """Violations of the query string (a werkzeug MultiDict) and of the decoded JSON body."""
        violations = []
        if self.query is not None:
            values = {key: (items[0] if len(items) == 1 else items) for key, items in args.lists()}
            violations += ["query: " + text for text in _violations(self.query, values)]
        if self.body is None:
            if has_body:
                violations.append("body: this operation takes no body")
        elif not has_body:
            violations.append("body: a JSON body is required")
        else:
            violations += ["body: " + text for text in _violations(self.body, body)]
        return violations

    def response_violations(self, status, data, mimetype):
        """Violations of a response: an undeclared status, or a body that breaks its schema."""
        if status not in self.responses:
            return ["status %d is not a documented answer of this operation (documented: %s)"
                    % (status, ", ".join(str(code) for code in sorted(self.responses)))]
        schema = self.responses[status]
        if schema is None:
            return ["status %d answers no body, got %d bytes" % (status, len(data))] if data else []
        if mimetype != "application/json":
            return ["status %d answers JSON, got %r" % (status, mimetype)]
        try:
            decoded = json.loads(data)
        except ValueError as exc:
            return ["status %d: the body is not JSON: %s" % (status, exc)]
        return ["response %d: %s" % (status, text) for text in _violations(schema, decoded)]


def operation(service, query=None, body=None, responses=None, source="", error=None, public=False):
    """Decorate a view with its contract (see the module docstring).

    ``responses`` maps each documented status to the schema of its body, or None for no body.
    ``error(status, message, info=..., violations=...)`` builds the service's error answer (ApiError by default).
    ``public``: the operation needs no credentials (every other one is bearer-only).
    """
    contract = ServiceOperation(service, query=query, body=body, responses=responses, source=source, error=error,
                                public=public)

    def decorate(view):
        view.service_operation = contract
        return view
    return decorate


def lookup(app, endpoint):
    """The contract of the view that serves ``endpoint``, or None."""
    view = app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, "service_operation", None)


def _violations(schema, value):
    validator = _validator(json.dumps(schema, sort_keys=True))
    found = []
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path)
        found.append("%s%s" % (where + ": " if where else "", error.message))
    return found


@lru_cache(maxsize=None)
def _validator(schema_text):
    schema = json.loads(schema_text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# Schema pieces every service contract uses.
UUID = {"type": "string", "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"}
QUERY_UUID = UUID
QUERY_INT = {"type": "string", "pattern": "^[0-9]+$"}
QUERY_BOOL = {"type": "string", "enum": ["true", "false"]}
ERROR_BODY = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"],
                             "properties": {"code": {"type": ["integer", "string"]}, "message": {"type": "string"},
                                            "domain": {"type": "string"}, "details": {"type": "object"},
                                            "context": {"type": "object"}}}},
}


def with_errors(responses, *statuses):
    """``responses`` plus the error envelope for each of ``statuses`` (and 400, 401, 403 which every view may answer)."""
    merged = dict(responses)
    for status in (400, 401, 403) + statuses:
        merged.setdefault(status, ERROR_BODY)
    return merged
