"""The app factory and the request pipeline (faults, authentication, strict validation, the request log)."""

import collections
import json
import logging
import random
import secrets
import threading
import time

from flask import Flask, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from . import contract, other_writer, service_contract
from .auth import authenticate
from .context import EXTENSION
from .errors import ApiError, OAuthError
from .faults import FaultInjector, reset_connection
from .other_writer import OtherWriters
from .catalog import DEFAULT_CATALOG
from .state import World

LOG = logging.getLogger("acronis_simulator")
_READ_METHODS = ("GET", "HEAD", "OPTIONS")
# POSTs that change nothing: issuing a token and introspecting one are not writes in the request log.
_NOT_WRITES = (contract.API_PREFIX + "/idp/token", contract.API_PREFIX + "/idp/introspect_token")


class Settings:  # pylint: disable=too-many-instance-attributes
    """Options of a running simulator (CLI flags; some can change at run time through /_sim/settings).

    ``latency`` (seconds) delays every request under ``/api/`` before it is handled, as the network
    to a data center would; ``latency_jitter`` (seconds) varies it by a uniform draw in
    ``[-latency_jitter, +latency_jitter]``, never below 0. ``catalog`` names the world's offering
    (``catalog.CATALOGS``; fixed for the life of the simulator). ``task_duration`` (seconds) is how long a
    backup task that a plan starts takes (api/runs.py); ``synthetic_monitoring`` is the number of generated
    tasks per tenant beside the world's (0: none; api/monitoring.py).
    """

    def __init__(self, seed=None, strict=True, token_ttl=7200, search_lag=0.0, state_file=None,
                 report_delay=2.0, latency=0.0, latency_jitter=0.0, catalog=None, task_duration=0.0,
                 synthetic_monitoring=0):
        self.seed = seed
        self.strict = strict
        self.token_ttl = token_ttl
        self.search_lag = search_lag
        self.state_file = state_file
        self.report_delay = report_delay
        self.latency = latency
        self.latency_jitter = latency_jitter
        self.catalog = catalog or DEFAULT_CATALOG
        self.task_duration = task_duration
        self.synthetic_monitoring = synthetic_monitoring

    def as_dict(self):
        """The settings as JSON."""
        return dict(vars(self))


class Latency:
    """The network delay of API requests, and how many API requests are in flight.

    Thread-safe: the draw and the counters are under their own lock, never the world's, and the
    sleep happens under no lock at all.
    """

    def __init__(self, settings):
        self.settings = settings
        self.lock = threading.Lock()
        # Its own generator, so that drawing delays never shifts the world's ids and secrets.
        self.rng = random.Random(settings.seed if settings.seed is not None else secrets.randbits(64))
        self.in_flight = 0
        self.max_in_flight = 0
        self.delayed = 0
        # Arrival times (time.monotonic) of the API requests of the last second, and the most there were in any
        # window of one second: what a client's request budget must keep under its rate.
        self.arrivals = collections.deque()
        self.max_per_second = 0

    def draw(self):
        """The delay of one request, in seconds: latency plus a uniform draw in [-jitter, +jitter], at least 0."""
        base, jitter = float(self.settings.latency or 0.0), float(self.settings.latency_jitter or 0.0)
        if jitter > 0:
            with self.lock:
                base += self.rng.uniform(-jitter, jitter)
        return max(0.0, base)

    def enter(self):
        """An API request starts; returns how many are in flight now, itself included."""
        now = time.monotonic()
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            # The window (now - 1 s, now]: the requests that arrived less than a second before this one, and it.
            while self.arrivals and self.arrivals[0] <= now - 1.0:
                self.arrivals.popleft()
            self.arrivals.append(now)
            self.max_per_second = max(self.max_per_second, len(self.arrivals))
            return self.in_flight

    def leave(self):
        """An API request is over."""
        with self.lock:
            self.in_flight -= 1

    def count_delayed(self):
        """One more request was delayed."""
        with self.lock:
            self.delayed += 1

    def stats(self):
        """{"in_flight", "max_in_flight", "delayed", "max_per_second"}."""
        with self.lock:
            return {"in_flight": self.in_flight, "max_in_flight": self.max_in_flight, "delayed": self.delayed,
                    "max_per_second": self.max_per_second}

    def clear(self):
        """Forget the highest counts and the number of delayed requests (those in flight stay counted)."""
        with self.lock:
            self.max_in_flight = self.in_flight
            self.delayed = 0
            self.arrivals.clear()
            self.max_per_second = 0


class Simulator:  # pylint: disable=too-many-instance-attributes
    """Everything a running simulator holds: the world, its settings, the request log, faults, violations."""

    def __init__(self, settings):
        self.settings = settings
        self.world = World(seed=settings.seed, catalog_name=settings.catalog)
        self.world.search_lag = settings.search_lag
        self.faults = FaultInjector()
        self.other_writers = OtherWriters()
        self.latency = Latency(settings)
        self.log_lock = threading.Lock()
        self.request_log = []
        self.violations = []        # responses that broke the specification (simulator bugs)
        self.dirty = False

    def log(self, entry):
        """Append a request log entry."""
        with self.log_lock:
            self.request_log.append(entry)

    def requests(self):
        """A copy of the request log."""
        with self.log_lock:
            return list(self.request_log)

    def clear_log(self):
        """Empty the request log (and the in-flight statistics that go with it)."""
        with self.log_lock:
            self.request_log = []
        self.latency.clear()


def create_app(settings=None, blueprints=None):
    """Build the Flask app: the API blueprints, /_sim admin, and the pipeline around every request."""
    from .api import BLUEPRINTS  # pylint: disable=import-outside-toplevel
    settings = settings or Settings()
    app = Flask("acronis_simulator")
    app.json.sort_keys = False
    app.url_map.strict_slashes = False
    simulator = Simulator(settings)
    if settings.state_file:
        _load_state(simulator, settings.state_file)
    app.extensions[EXTENSION] = simulator
    for blueprint in list(BLUEPRINTS) + list(blueprints or []):
        app.register_blueprint(blueprint)
    app.before_request(_before)
    app.after_request(_after)
    app.teardown_request(_teardown)
    app.register_error_handler(ApiError, lambda exc: exc.response())
    app.register_error_handler(OAuthError, lambda exc: exc.response())
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _internal_error)
    return app


def _load_state(simulator, path):
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
    except FileNotFoundError:
        return
    simulator.world.load(data)
    simulator.settings.search_lag = simulator.world.search_lag
    simulator.settings.catalog = simulator.world.catalog.name


def _http_error(exc):
    """Routing errors (unknown path, wrong method) in the official envelope."""
    error = ApiError(exc.code or 500, exc.name, info=exc.description)
    return error.response()


def _internal_error(exc):
    LOG.exception("unhandled simulator error: %s", exc)
    return ApiError(500, "Internal simulator error", code=1000, info="%s: %s" % (type(exc).__name__, exc)).response()


def _simulator():
    from .context import sim  # pylint: disable=import-outside-toplevel
    return sim()


def _is_api(path):
    return path.startswith("/api/")


def _template():
    """The spec path template of the matched route, or None."""
    if request.url_rule is None:
        return None
    return contract.rule_to_template(request.url_rule.rule)


def _before():
    g.started = time.monotonic()
    if not _is_api(request.path):
        return None
    simulator = _simulator()
    _delay(simulator)
    rule = simulator.faults.pick(request.method, request.path)
    g.fault = rule.fault if rule else None
    if rule is not None:
        early = _apply_fault_before(rule)
        if early is not None:
            return early
    if request.url_rule is None:
        return None     # routing answers 404/405
    template = _template()
    operation = contract.operation(request.method, template) if template else None
    g.operation = operation
    if template is None:
        service_op = service_contract.lookup(current_app, request.endpoint)
        if service_op is None or not service_op.public:
            authenticate(basic_allowed=False)
    elif operation is None or contract.requires_auth(operation):
        authenticate(basic_allowed=operation is not None and contract.allows_basic_auth(operation))
    if template is not None:
        _normalise_and_validate(simulator, template, operation)
    else:
        _validate_service_request(simulator)
    _other_writer_first(simulator)
    return None


def _other_writer_first(simulator):
    """Another client's writes that a /_sim/other_writer rule puts just before this request is handled."""
    body = g.get("json_body")
    if body is None and request.mimetype == "application/json":
        body = request.get_json(silent=True)
    rule = simulator.other_writers.take(request.method, request.path, body, request.args.to_dict())
    if rule is not None:
        other_writer.perform(current_app._get_current_object(), rule,  # pylint: disable=protected-access
                             simulator.world.api_client)


def _delay(simulator):
    """The network latency: first in the pipeline, before any handler, holding no lock."""
    g.in_flight = simulator.latency.enter()
    delay = simulator.latency.draw()
    g.latency = delay
    if delay > 0:
        simulator.latency.count_delayed()
        time.sleep(delay)


def _teardown(_exc):
    if g.get("in_flight") is not None:
        g.in_flight = None
        _simulator().latency.leave()


def _apply_fault_before(rule):
    if rule.fault == "drop":
        reset_connection(request.environ)
        g.dropped = True
        return ApiError(502, "Connection dropped by fault injection").response()
    if rule.fault == "slow":
        time.sleep(rule.delay)
        return None
    if rule.fault == "lost_response":
        g.lost_as = rule.lost_as
        return None
    status = int(rule.fault)
    messages = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                503: "Service Unavailable"}
    response = ApiError(status, messages[status], info="Injected fault").response()
    if status == 429:
        response.headers["Retry-After"] = str(rule.retry_after)
    g.injected = True
    return response


def _normalise_and_validate(simulator, template, operation):
    """Apply the request-side deviations, then (strict mode) validate against the spec."""
    raw = request.get_data(cache=True)
    body_bytes = raw
    normalised = None
    if request.mimetype == "application/json" and raw:
        try:
            parsed = json.loads(raw)
        except ValueError as exc:
            raise ApiError(400, "Bad Request", info="The body is not valid JSON: %s" % exc) from exc
        normalised = contract.normalise_body(request.method, template, parsed)
        if isinstance(normalised, dict):
            g.json_body = normalised
        body_bytes = json.dumps(normalised).encode()
    if not simulator.settings.strict or operation is None:
        return
    try:
        contract.validate_request(request.method, request.path, request.args, request.headers, body_bytes,
                                  request.content_type, parsed=normalised)
    except contract.ContractViolation as exc:
        if contract.is_oauth(template):
            raise OAuthError(400, "invalid_request", "; ".join(exc.violations)) from exc
        raise ApiError(400, "Bad Request", info=exc.violations[0], violations=exc.violations) from exc


def _validate_service_request(simulator):
    """Strict mode, outside /api/2: the request against the contract its service declares (service_contract.py)."""
    service_op = service_contract.lookup(current_app, request.endpoint)
    g.service_operation = service_op
    if service_op is None or not simulator.settings.strict:
        return
    raw = request.get_data(cache=True)
    body = None
    if raw:
        if request.mimetype != "application/json":
            raise service_op.error(415, "Unsupported Media Type", info="The body must be JSON")
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise service_op.error(400, "Bad Request", info="The body is not valid JSON: %s" % exc) from exc
        if isinstance(body, dict):
            g.json_body = body
    violations = service_op.request_violations(request.args, body, bool(raw))
    if violations:
        raise service_op.error(400, "Bad Request", info=violations[0], violations=violations)


def _after(response):
    if not _is_api(request.path):
        return response
    simulator = _simulator()
    if simulator.settings.strict and not g.get("injected") and not g.get("dropped"):
        response = _check_response(simulator, response)
    lost_as = g.get("lost_as")
    status = response.status_code
    if lost_as is not None:
        if lost_as == "reset":
            reset_connection(request.environ)
            status = 0
        else:
            response = ApiError(502, "Bad Gateway", info="Injected fault: the response was lost").response()
            status = 502
    if g.get("dropped"):
        status = 0
    body = response.get_data() if not response.direct_passthrough else b""
    write = request.method not in _READ_METHODS and request.path not in _NOT_WRITES
    simulator.log({"method": request.method, "path": request.path, "query": request.query_string.decode(),
                   "status": status, "bytes": len(body),
                   "duration_ms": round((time.monotonic() - g.started) * 1000, 3), "write": write,
                   "fault": g.get("fault"), "latency_ms": round(g.get("latency", 0.0) * 1000, 3),
                   "in_flight": g.get("in_flight")})
    if write and status < 400:
        simulator.dirty = True
    return response


def _check_response(simulator, response):
    """Strict mode: a response that breaks the spec is a simulator bug: 500, logged, recorded."""
    if request.url_rule is None or getattr(current_app.view_functions.get(request.endpoint), "omitted_reason", None):
        return response     # unrouted (404/405), or left out on purpose (501, omissions.py)
    service_op = g.get("service_operation")
    if g.get("operation") is None and service_op is None:
        return response
    data = response.get_data()
    try:
        if service_op is not None:
            violations = service_op.response_violations(response.status_code, data, response.mimetype)
            if violations:
                raise contract.ContractViolation("response", violations)
        else:
            contract.validate_response(request.method, request.path, request.args, request.headers,
                                       request.get_data(cache=True), request.content_type, response.status_code,
                                       response.headers, data, response.content_type)
    except contract.ContractViolation as exc:
        record = {"method": request.method, "path": request.path, "status": response.status_code,
                  "violations": exc.violations, "body": data.decode("utf-8", "replace")[:2000]}
        simulator.violations.append(record)
        LOG.error("SIMULATOR BUG: %s %s answered %s that breaks the specification: %s", request.method,
                  request.path, response.status_code, "; ".join(exc.violations))
        bug = jsonify({"error": {"code": 500, "message": "Simulator bug: the response breaks the API specification",
                                 "details": {"info": exc.violations[0], "violations": exc.violations,
                                             "original_status": response.status_code},
                                 "context": {}, "domain": "AcronisSimulator"}})
        bug.status_code = 500
        return bug
    return response
