"""Shared helpers for handlers: lenient scalars, timestamps, version checks, cursor paging."""

import base64
import binascii
import datetime
import json
import re

from flask import g, request

from .errors import bad_request, version_conflict

UUID_RE = re.compile(r"^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


def now_iso(at=None):
    """UTC timestamp the way the service prints it: 2020-09-01T13:49:42.379967+00:00."""
    moment = at if at is not None else datetime.datetime.now(datetime.timezone.utc)
    return moment.isoformat()


def is_uuid(value):
    """True for a lower-case UUID string."""
    return isinstance(value, str) and bool(UUID_RE.match(value))


def as_int(value, field):
    """An integer, also from a string such as "3" (real clients send those)."""
    if isinstance(value, bool):
        raise bad_request("Field '%s' must be an integer." % field)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.match(r"^-?\d+$", value.strip()):
        return int(value.strip())
    raise bad_request("Field '%s' must be an integer." % field)


def as_bool(value, field):
    """A boolean, also from "true"/"false" strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise bad_request("Field '%s' must be a boolean." % field)


def query_bool(name, default=False):
    """A boolean query parameter."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    return as_bool(raw, name)


def query_int(name, default=None, minimum=None):
    """An integer query parameter."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = as_int(raw, name)
    if minimum is not None and value < minimum:
        raise bad_request("Query parameter '%s' must be at least %s." % (name, minimum))
    return value


def json_body(required=True):
    """The request's JSON object (already normalised by strict validation when it ran)."""
    if "json_body" in g:
        return g.json_body
    data = request.get_data(cache=True)
    if not data:
        if required:
            raise bad_request("A JSON body is required.")
        return {}
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise bad_request("The body is not valid JSON: %s" % exc) from exc
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    return body


def check_version(kind, obj, sent, field="version"):
    """Version required on PUT and DELETE; a stale one is 409/1001."""
    if sent is None or sent == "":
        raise bad_request("Field '%s' is required." % field, context={"id": obj["id"]})
    if as_int(sent, field) != obj["version"]:
        raise version_conflict(kind, obj["id"], obj["version"])


def encode_cursor(payload):
    """An opaque cursor that carries the filters and the position."""
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """The payload of a cursor, 400 when it was not issued by us."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise bad_request("The 'after' cursor is malformed.", code="ParameterMalformed") from exc
    if not isinstance(payload, dict):
        raise bad_request("The 'after' cursor is malformed.", code="ParameterMalformed")
    return payload


def page(items, key, limit, filters, after_key=None):
    """One page of ``items`` (already in cursor order) after ``after_key``.

    Returns (page_items, paging) where paging carries ``cursors.after`` only
    when more items follow, as the service does on its last page.
    """
    start = 0
    if after_key is not None:
        start = len(items)
        for index, item in enumerate(items):
            if key(item) > after_key:
                start = index
                break
    chunk = items[start:start + limit]
    paging = {"cursors": {}}
    if start + limit < len(items) and chunk:
        paging["cursors"]["after"] = encode_cursor({"f": filters, "k": key(chunk[-1]), "l": limit})
    return chunk, paging
