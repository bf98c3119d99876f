"""Another writer: a second client that writes just before a chosen request is handled.

Two jobs that touch the same objects meet each other's writes by luck; a test needs them on purpose. A rule
names a request (``before``: method, path as a glob or ``re:`` pattern like the fault rules, and optionally
``body``: fields the request's JSON body must hold, ``params``: query parameters it must carry) and the writes
another client sends, through the API, just before that request is handled (``writes``: method, path, ``json``,
``params``). With ``skip``: N, the first N requests the rule matches go through untouched: the rule fires before
a later one (a task's second read of the same path, after its first). The other client is
the seed API client (the root partner's) unless the rule says ``as``: {client_id, client_secret}; with
``scope``: a customer tenant id, its token is exchanged for one scoped to that customer (jwt-bearer), as the
Resource and Policy Management APIs require.

A write whose ``json`` or ``params`` holds the string ``"$version"`` gets the object's current version there,
read just before it is sent (``GET`` on the write's own path): a top-level ``version``, the ``version``
query parameter, or the ``quota.version`` of an offering-item entry (matched by application, name and infra).
A ``"$items"`` entry of a list stands for the items the write's path lists now (``GET``): ``{"items": ["$items",
{new policy}]}`` adds a user's role to the roles another reader saw, as a client that reads, then writes does.

A rule fires ``times`` times (default 1). ``GET /_sim/other_writer`` shows each rule with how often it fired
and the status and body of every write it sent, so that a test can check the other writer's write succeeded.
"""

import copy
import fnmatch
import re
import threading

VERSION = "$version"
ITEMS = "$items"


class OtherWriterRule:
    """One rule: which request, and what the other client writes before it is handled."""

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a rule must be an object")
        before = spec.get("before")
        if not isinstance(before, dict) or not before.get("path"):
            raise ValueError("a rule needs 'before': {\"method\", \"path\", \"body\"?}")
        self.method = str(before.get("method", "*")).upper()
        self.path = str(before["path"])
        self.regex = re.compile(self.path[3:]) if self.path.startswith("re:") else None
        self.body = before.get("body") or {}
        if not isinstance(self.body, dict):
            raise ValueError("'before.body' must be an object")
        self.params = before.get("params") or {}
        if not isinstance(self.params, dict):
            raise ValueError("'before.params' must be an object")
        self.skip = int(spec.get("skip", 0))
        self.seen = 0
        writes = spec.get("writes")
        if not isinstance(writes, list) or not writes:
            raise ValueError("a rule needs 'writes': [{\"method\", \"path\", \"json\"?, \"params\"?}, ...]")
        for write in writes:
            if not isinstance(write, dict) or not write.get("method") or not str(write.get("path", "")).startswith("/api/"):
                raise ValueError("each write needs a method and a path under /api/")
        self.writes = writes
        self.client = spec.get("as")
        self.scope = spec.get("scope")
        self.times = int(spec.get("times", 1))
        self.spec = copy.deepcopy(spec)
        self.fired = 0
        self.results = []

    def matches(self, method, path, body, params=None):
        """True when the rule covers this request."""
        if self.method not in ("*", method.upper()):
            return False
        if self.regex is not None:
            if not self.regex.search(path):
                return False
        elif not fnmatch.fnmatchcase(path, self.path):
            return False
        body = body if isinstance(body, dict) else {}
        params = params or {}
        return (all(body.get(key) == value for key, value in self.body.items())
                and all(params.get(key) == str(value) for key, value in self.params.items()))

    def describe(self):
        return dict(self.spec, fired=self.fired, results=list(self.results))


class OtherWriters:
    """The active rules; ``take`` picks the rule that fires for a request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def add(self, rules):
        """Add rules (all validated first, so a bad one adds none); returns the description."""
        parsed = [OtherWriterRule(rule) for rule in rules]
        with self.lock:
            self.rules.extend(parsed)

    def clear(self):
        with self.lock:
            self.rules = []

    def describe(self):
        with self.lock:
            return {"rules": [rule.describe() for rule in self.rules]}

    def take(self, method, path, body, params=None):
        """The rule that fires for this request (counted as fired), or None; a rule still skipping counts it."""
        with self.lock:
            for rule in self.rules:
                if rule.fired < rule.times and rule.matches(method, path, body, params):
                    rule.seen += 1
                    if rule.seen <= rule.skip:
                        continue
                    rule.fired += 1
                    return rule
        return None


def perform(app, rule, credentials):
    """Send the rule's writes as another client, each in an application context of its own (so that the
    request being handled keeps its own), and record their answers in the rule."""
    credentials = rule.client or credentials
    with app.app_context():
        client = app.test_client()
        reply = client.post("/api/2/idp/token", data={"grant_type": "client_credentials"},
                            auth=(credentials["client_id"], credentials["client_secret"]))
        token = (reply.get_json(silent=True) or {}).get("access_token")
        if rule.scope:
            reply = client.post("/api/2/idp/token", data={
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": token,
                "scope": "urn:acronis.com:tenant-id:%s" % rule.scope})
            token = (reply.get_json(silent=True) or {}).get("access_token")
        headers = {"Authorization": "Bearer %s" % token}
        for write in rule.writes:
            body = copy.deepcopy(write.get("json"))
            params = dict(write.get("params") or {})
            if _wants_version(body) or params.get("version") == VERSION or _wants_items(body):
                current = _current(client, headers, write["path"])
                body = _with_items(_with_versions(body, current), current)
                if params.get("version") == VERSION:
                    params["version"] = (current or {}).get("version")
            answer = client.open(write["path"], method=write["method"].upper(), json=body, query_string=params,
                                 headers=headers)
            rule.results.append({"method": write["method"].upper(), "path": write["path"],
                                 "status": answer.status_code, "body": answer.get_json(silent=True)})


def _wants_version(value):
    if isinstance(value, dict):
        return any(_wants_version(v) for v in value.values())
    if isinstance(value, list):
        return any(_wants_version(v) for v in value)
    return value == VERSION


def _wants_items(value):
    return isinstance(value, dict) and any(isinstance(v, list) and ITEMS in v for v in value.values())


def _with_items(body, current):
    """``body`` with each "$items" entry of a list replaced by the items listed now."""
    if not isinstance(body, dict):
        return body
    listed = [i for i in (current or {}).get("items") or [] if isinstance(i, dict)]
    for key, value in body.items():
        if isinstance(value, list) and ITEMS in value:
            expanded = []
            for entry in value:
                expanded.extend(copy.deepcopy(listed) if entry == ITEMS else [entry])
            body[key] = expanded
    return body


def _current(client, headers, path):
    """The object at ``path`` as the other client reads it now (every edition, for offering items)."""
    params = {"edition": "*"} if path.rstrip("/").endswith("/offering_items") else {}
    reply = client.get(path, query_string=params, headers=headers)
    return reply.get_json(silent=True) if reply.status_code == 200 else None


def _with_versions(body, current):
    """``body`` with each "$version" replaced by the current version it stands for."""
    current = current or {}
    if not isinstance(body, dict):
        return body
    if body.get("version") == VERSION:
        body["version"] = current.get("version")
    items = dict(((i.get("application_id"), i.get("name"), i.get("infra_id") or ""), i)
                 for i in current.get("items") or [] if isinstance(i, dict))
    for entry in body.get("offering_items") or []:
        quota = entry.get("quota") if isinstance(entry, dict) else None
        if isinstance(quota, dict) and quota.get("version") == VERSION:
            have = items.get((entry.get("application_id"), entry.get("name"), entry.get("infra_id") or "")) or {}
            quota["version"] = int((have.get("quota") or {}).get("version") or 0)
    return body
