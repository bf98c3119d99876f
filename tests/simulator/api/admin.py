"""The admin interface outside /api: request log, state, reset, faults, settings, stats, contract violations.

Nothing under /_sim is delayed by the latency setting, logged or validated.
"""

from flask import Blueprint, jsonify, request

from ..context import sim
from ..errors import bad_request

bp = Blueprint("sim_admin", __name__, url_prefix="/_sim")


@bp.route("/requests", methods=["GET"])
def get_requests():
    """The request log: method, path, query, status, bytes, duration_ms, write (and fault)."""
    return jsonify({"items": sim().requests()})


@bp.route("/requests", methods=["DELETE"])
def clear_requests():
    """Empty the request log (and reset the statistics of /_sim/stats)."""
    sim().clear_log()
    return "", 204


@bp.route("/state", methods=["GET"])
def get_state():
    """The whole world."""
    return jsonify(sim().world.dump())


@bp.route("/reset", methods=["POST"])
def reset():
    """Restore the initial world (the request log, faults and violations are emptied too)."""
    simulator = sim()
    simulator.world.reset()
    simulator.clear_log()
    simulator.faults.clear()
    simulator.other_writers.clear()
    simulator.violations.clear()
    simulator.dirty = True
    return jsonify({"status": "reset"})


@bp.route("/faults", methods=["GET"])
def get_faults():
    """The active fault rules and how often each fired."""
    return jsonify(sim().faults.describe())


@bp.route("/faults", methods=["PUT"])
def put_faults():
    """Switch fault injection on: {"seed": 1, "rules": [{"method", "path", "fault", "rate", "times", ...}]}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
        raise bad_request("Expected {\"seed\": N, \"rules\": [...]}.")
    try:
        sim().faults.configure(body["rules"], seed=body.get("seed"))
    except (TypeError, ValueError) as exc:
        raise bad_request("Bad fault rule: %s" % exc) from exc
    return jsonify(sim().faults.describe())


@bp.route("/faults", methods=["DELETE"])
def delete_faults():
    """Switch fault injection off."""
    sim().faults.clear()
    return "", 204


@bp.route("/other_writer", methods=["GET"])
def get_other_writer():
    """The other-writer rules, how often each fired, and the answers to the writes it sent."""
    return jsonify(sim().other_writers.describe())


@bp.route("/other_writer", methods=["PUT"])
def put_other_writer():
    """Add rules: {"rules": [{"before": {"method", "path", "body"?}, "writes": [...], "times"?, "as"?}]}.

    Before the next request that a rule's ``before`` matches is handled, another client sends the rule's
    writes through the API (tests/simulator/other_writer.py).
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
        raise bad_request("Expected {\"rules\": [{\"before\": {...}, \"writes\": [...]}]}.")
    try:
        sim().other_writers.add(body["rules"])
    except (TypeError, ValueError) as exc:
        raise bad_request("Bad other-writer rule: %s" % exc) from exc
    return jsonify(sim().other_writers.describe())


@bp.route("/other_writer", methods=["DELETE"])
def delete_other_writer():
    """Forget every other-writer rule."""
    sim().other_writers.clear()
    return "", 204


@bp.route("/settings", methods=["GET"])
def get_settings():
    """The running options."""
    return jsonify(sim().settings.as_dict())


_SECONDS = ("latency", "latency_jitter", "task_duration")
MAX_SYNTHETIC = 100000


@bp.route("/settings", methods=["PUT"])
def put_settings():
    """Change search_lag, token_ttl, strict, report_delay, latency, latency_jitter, task_duration or
    synthetic_monitoring at run time."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object.")
    simulator = sim()
    if "catalog" in body:
        raise bad_request("The catalog is chosen when the simulator starts (--catalog); it cannot change at run time.")
    unknown = set(body) - {"search_lag", "token_ttl", "strict", "report_delay", "synthetic_monitoring"} - set(_SECONDS)
    if unknown:
        raise bad_request("Unknown settings: %s" % ", ".join(sorted(unknown)))
    seconds = {}
    for name in _SECONDS:
        if name in body:
            value = body[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 3600:
                raise bad_request("Bad setting: %s must be a number of seconds from 0 to 3600, not %r." % (name, value))
            seconds[name] = float(value)
    synthetic = body.get("synthetic_monitoring", 0)
    if isinstance(synthetic, bool) or not isinstance(synthetic, int) or not 0 <= synthetic <= MAX_SYNTHETIC:
        raise bad_request("Bad setting: synthetic_monitoring must be a whole number from 0 to %d, not %r."
                          % (MAX_SYNTHETIC, synthetic))
    try:
        if "search_lag" in body:
            simulator.settings.search_lag = float(body["search_lag"])
            simulator.world.search_lag = simulator.settings.search_lag
        if "token_ttl" in body:
            simulator.settings.token_ttl = int(body["token_ttl"])
        if "report_delay" in body:
            simulator.settings.report_delay = float(body["report_delay"])
    except (TypeError, ValueError) as exc:
        raise bad_request("Bad setting: %s" % exc) from exc
    for name, value in seconds.items():
        setattr(simulator.settings, name, value)
    if "task_duration" in body:
        # The simulator's duration holds again: a run_seconds set through /_sim/protection is dropped.
        with simulator.world.lock:
            simulator.world.ext.get("protection", {}).pop("run_seconds", None)
    if "synthetic_monitoring" in body:
        simulator.settings.synthetic_monitoring = synthetic
    if "strict" in body:
        simulator.settings.strict = bool(body["strict"])
    return jsonify(simulator.settings.as_dict())


@bp.route("/stats", methods=["GET"])
def get_stats():
    """API requests in flight now, the most in flight at once and how many were delayed (since the log was emptied)."""
    return jsonify(sim().latency.stats())


@bp.route("/violations", methods=["GET"])
def get_violations():
    """Responses that broke the specification (simulator bugs)."""
    return jsonify({"items": list(sim().violations)})
