"""Usage reports: POST /reports, GET/PUT/DELETE /reports/{id}, stored reports and their files,
GET /tenants/{id}/reports, and the /_sim/reports admin endpoints.

Records live in ``world.ext["reports"]`` (``{report id: record}``). A one-time report gets one
stored report per requested format when it is created; each is ``in_progress`` until its
``_ready_at`` moment (creation + the report delay), then ``saved`` (its file is generated from
the usage of that moment) or ``failed``; a report whose outcome is ``hang`` never finishes.
Scheduled (monthly) reports get stored reports only when ``POST /_sim/reports/{id}/run`` asks.
"""

import csv
import datetime
import gzip
import hashlib
import io
import json
import time

from flask import Blueprint, Response, jsonify, request

from .. import catalog
from ..auth import can_see, principal, require_write, visible_tenant
from ..context import sim, world
from ..errors import ApiError, bad_request, forbidden, not_found, version_conflict
from ..helpers import as_int, json_body, now_iso
from .usages import usage_totals

bp = Blueprint("reports", __name__)

EXT_KEY = "reports"
CONTROL_KEY = "report_control"
OUTCOMES = ("normal", "fail", "hang")
MAX_PERIOD_DAYS = 366
_EXTENSIONS = {"csv": "csv", "csv_v2_0": "csv", "json_v1": "json", "json_v2_0": "json", "html": "html"}


def _reports(state):
    return state.ext.setdefault(EXT_KEY, {})


def _control(state):
    return state.ext.setdefault(CONTROL_KEY, {"outcome": "normal", "delay": None, "times": None})


# --------------------------------------------------------------- the record


def _today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def _parse_date(value, field):
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError) as exc:
        raise bad_request("Field '%s' must be a date YYYY-MM-DD." % field) from exc


def _period(body, parameters):
    """parameters.period, else the top-level period the SKU example sends, else the current month so far."""
    period = parameters.get("period") or body.get("period")
    if period is None:
        today = _today()
        return {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    if not isinstance(period, dict):
        raise bad_request("Field 'period' must be an object with start and end.")
    start = _parse_date(period.get("start"), "period.start")
    end = _parse_date(period.get("end"), "period.end")
    if start > end:
        raise bad_request("The report period starts after it ends.", context={"start": str(start), "end": str(end)})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise bad_request("The report period is longer than %s days." % MAX_PERIOD_DAYS)
    return {"start": start.isoformat(), "end": end.isoformat()}


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _check_recipients(state, recipients, result_action):
    if result_action == "send" and not recipients:
        raise bad_request("A report sent by e-mail needs at least one recipient.", context={"recipients": []})
    for user_id in recipients:
        user = state.user(user_id)
        if user is None or not can_see(user["tenant_id"]):
            raise bad_request("Recipient %s is not a user the caller can see." % user_id,
                              context={"id": user_id})


def _flag(value, field):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    raise bad_request("Field '%s' must be a boolean." % field)


def report_view(record):
    """The report object of the specification."""
    view = {"id": record["id"], "version": record["version"], "result_action": record["result_action"],
            "recipients": list(record["recipients"]), "parameters": json.loads(json.dumps(record["parameters"])),
            "schedule": dict(record["schedule"]), "generation_date": record["generation_date"]}
    return view


def _visible_report(state, report_id):
    record = _reports(state).get(report_id)
    if record is None or state.tenant(record["parameters"]["tenant_id"]) is None:
        raise not_found("report", report_id)
    if not can_see(record["parameters"]["tenant_id"]):
        raise forbidden("Access to report %s is denied." % report_id, context={"id": report_id})
    return record


def _new_stored(state, record, delay, outcome):
    created = time.time()
    for report_format in record["parameters"]["formats"]:
        record["stored"].append({"id": state.new_id(), "report_format": report_format,
                                 "created_at": now_iso(), "status": "in_progress",
                                 "_ready_at": created + delay, "_outcome": outcome, "_content": None, "size": None})


def _take_control(state):
    """The outcome and delay of the next report (admin: PUT /_sim/reports)."""
    control = _control(state)
    outcome, delay = control["outcome"], control["delay"]
    if control["times"] is not None:
        control["times"] -= 1
        if control["times"] <= 0:
            control.update({"outcome": "normal", "delay": None, "times": None})
    if delay is None:
        delay = float(sim().settings.report_delay)
    return outcome, delay


def _refresh(state, record):
    """Move stored reports whose time has come to saved (with their file) or failed."""
    moment = time.time()
    for stored in record["stored"]:
        if stored["status"] != "in_progress" or stored["_outcome"] == "hang" or moment < stored["_ready_at"]:
            continue
        if stored["_outcome"] == "fail":
            stored["status"] = "failed"
            continue
        content = render(state, record, stored["report_format"])
        stored["_content"] = content
        stored["size"] = len(_compress(content))
        stored["status"] = "saved"


def _stored_view(stored):
    view = {"id": stored["id"], "report_format": stored["report_format"], "created_at": stored["created_at"],
            "status": stored["status"]}
    if stored["size"] is not None:
        view["size"] = stored["size"]
    return view


def _compress(text):
    return gzip.compress(text.encode("utf-8"), mtime=0)


# --------------------------------------------------------------- rendering


def _targets(state, tenant_id, level):
    """The tenant records whose usage makes the rows of a report at a level."""
    root = state.tenants[tenant_id]
    if level == "itself":
        return [root]
    members = [state.tenants[tid] for tid in state.subtree(tenant_id)[1:]]
    if level == "direct_partners":
        return [state.tenants[tid] for tid in state.visible_children(tenant_id)
                if state.tenants[tid]["kind"] == "partner"]
    if level == "all_partners":
        return [member for member in members if member["kind"] == "partner"]
    if level == "all_customers":
        return [member for member in members if member["kind"] == "customer"]
    accounts = []   # "accounts": every customer and, under it, each user's personal tenant
    for member in [root] + members:
        if member["kind"] != "customer":
            continue
        accounts.append(member)
        for user_id in state.users_by_tenant.get(member["id"], []):
            personal = state.tenant(state.users[user_id].get("personal_tenant_id") or "")
            if personal is not None:
                accounts.append(personal)
    return accounts


def sku(item):
    """A stable, made-up SKU for an offering item (the simulator's own, not Acronis's catalogue)."""
    digest = hashlib.sha1(("%s|%s" % (item["application_id"], item["name"])).encode()).hexdigest()[:6].upper()
    return "SIM-%s-%s" % (item["usage_name"][:4].upper(), digest)


def report_rows(state, record):
    """The rows of a report: one per target tenant and offering item (and day, for usage_daily)."""
    parameters = record["parameters"]
    hide_zero = bool(parameters.get("hide_zero_usage"))
    rows = []
    for target in _targets(state, parameters["tenant_id"], parameters["level"]):
        totals = usage_totals(state, target["id"])
        keys = {key for key, item_state in target["_items"].items() if item_state.get("status") == 1}
        keys.update(key for key, values in totals.items() if values["value"])
        name = target["name"]
        if target["_hidden"] and target.get("owner_id") in state.users:
            name = state.users[target["owner_id"]]["login"]
        for key in sorted(keys):
            item = catalog.CATALOG[key]
            value = totals.get(key, {"value": 0})["value"]
            if hide_zero and not value:
                continue
            item_state = target["_items"].get(key) or {}
            quota = (item_state.get("quota") or {}).get("value") if item_state.get("status") == 1 else None
            row = {"tenant_name": name, "tenant_id": target["id"], "tenant_kind": target["kind"],
                   "parent_id": target["parent_id"], "customer_id": target.get("customer_id"),
                   "application_id": item["application_id"], "edition": item["edition"], "offering_item": item["name"],
                   "usage_name": item["usage_name"], "infra_id": item["infra_id"],
                   "measurement_unit": item["measurement_unit"], "quota": quota, "usage": value}
            if parameters.get("show_skus"):
                row["sku"] = sku(item)
            rows.append(row)
    if parameters["kind"] == "usage_daily":
        start = datetime.date.fromisoformat(parameters["period"]["start"])
        end = datetime.date.fromisoformat(parameters["period"]["end"])
        days = [(start + datetime.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
        rows = [dict(row, date=day) for day in days for row in rows]
    return rows


_CSV_COLUMNS = [("tenant_name", "Tenant name"), ("tenant_id", "Tenant ID"), ("tenant_kind", "Tenant kind"),
                ("parent_id", "Parent tenant ID"), ("application_id", "Service ID"), ("edition", "Edition"),
                ("offering_item", "Offering item"), ("usage_name", "Metric"), ("infra_id", "Storage ID"),
                ("measurement_unit", "Measurement unit"), ("quota", "Quota"), ("usage", "Usage")]


def _columns(record, report_format):
    columns = list(_CSV_COLUMNS)
    if report_format.endswith("v2_0"):
        columns.insert(4, ("customer_id", "Customer ID"))
        columns += [("period_start", "Period start"), ("period_end", "Period end")]
    if record["parameters"]["kind"] == "usage_daily":
        columns.insert(0, ("date", "Date"))
    if record["parameters"].get("show_skus"):
        columns.append(("sku", "SKU"))
    return columns


def render(state, record, report_format):
    """The file of a stored report, as text."""
    rows = report_rows(state, record)
    period = record["parameters"]["period"]
    for row in rows:
        row["period_start"], row["period_end"] = period["start"], period["end"]
    columns = _columns(record, report_format)
    if report_format in ("csv", "csv_v2_0"):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([title for _key, title in columns])
        for row in rows:
            writer.writerow(["" if row.get(key) is None else row.get(key) for key, _title in columns])
        return out.getvalue()
    if report_format in ("json_v1", "json_v2_0"):
        document = {"report_id": record["id"], "kind": record["parameters"]["kind"],
                    "level": record["parameters"]["level"], "tenant_id": record["parameters"]["tenant_id"],
                    "period": dict(period), "generated_at": now_iso(),
                    "items": [{key: row.get(key) for key, _title in columns} for row in rows]}
        if report_format == "json_v2_0":
            document["format_version"] = "2.0"
        return json.dumps(document, indent=1)
    cells = "".join("<th>%s</th>" % title for _key, title in columns)
    body = "".join(
        "<tr>%s</tr>" % "".join("<td>%s</td>" % ("" if row.get(key) is None else row.get(key)) for key, _title in columns)
        for row in rows)
    return ("<html><head><meta charset=\"utf-8\"><title>Usage report</title></head><body>"
            "<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table></body></html>" % (cells, body))


# --------------------------------------------------------------- endpoints


@bp.route("/api/2/reports", methods=["POST"])
def create_report():
    """Create a report: 201 with the report object; one-time reports start generating at once."""
    body = json_body()
    state = world()
    with state.lock:
        require_write()
        parameters = dict(body.get("parameters") or {})
        tenant_id = parameters.get("tenant_id")
        visible_tenant(tenant_id)
        for field in ("kind", "level"):
            if not parameters.get(field):
                raise bad_request("Field 'parameters.%s' is required." % field)
        parameters["formats"] = list(parameters.get("formats") or ["csv"])
        parameters["period"] = _period(body, parameters)
        for flag in ("hide_zero_usage", "show_skus"):
            if flag in parameters:
                parameters[flag] = _flag(parameters[flag], "parameters." + flag)
        schedule = dict(body.get("schedule") or {})
        if schedule.get("type") not in ("once", "monthly"):
            raise bad_request("Field 'schedule.type' must be once or monthly.")
        schedule["enabled"] = _flag(schedule.get("enabled"), "schedule.enabled")
        if schedule["enabled"] is None:
            schedule["enabled"] = True
        recipients = list(body.get("recipients") or [])
        _check_recipients(state, recipients, body.get("result_action"))
        today = _today()
        generation = body.get("generation_date")
        if generation is None:
            generation = (today if schedule["type"] == "once" else _next_month(today)).isoformat()
        else:
            _parse_date(generation, "generation_date")
        record = {"id": state.new_id(), "version": 1, "result_action": body.get("result_action"),
                  "recipients": recipients, "parameters": parameters, "schedule": schedule,
                  "generation_date": generation, "created_at": now_iso(), "created_by": principal().id,
                  "_seq": state.next_seq(), "stored": []}
        outcome, delay = _take_control(state)
        record["_outcome"], record["_delay"] = outcome, delay
        if schedule["type"] == "once":
            _new_stored(state, record, delay, outcome)
        _reports(state)[record["id"]] = record
        view = report_view(record)
    resp = jsonify(view)
    resp.status_code = 201
    return resp


@bp.route("/api/2/reports/<report_id>", methods=["GET"])
def get_report(report_id):
    """The report configuration."""
    state = world()
    with state.lock:
        return jsonify(report_view(_visible_report(state, report_id)))


@bp.route("/api/2/reports/<report_id>", methods=["PUT"])
def update_report(report_id):
    """Change a scheduled report (recipients, level, kind, flags, enabled); one-time reports are refused."""
    body = json_body()
    state = world()
    with state.lock:
        record = _visible_report(state, report_id)
        require_write()
        sent = request.args.get("version")
        if sent not in (None, "") and as_int(sent, "version") != record["version"]:
            raise version_conflict("report", report_id, record["version"])
        if record["schedule"]["type"] != "monthly":
            raise bad_request("Only scheduled reports can be updated.", context={"id": report_id})
        if "recipients" in body:
            recipients = list(body["recipients"] or [])
            _check_recipients(state, recipients, record["result_action"])
            record["recipients"] = recipients
        for field, value in (body.get("parameters") or {}).items():
            if field in ("hide_zero_usage", "show_skus"):
                value = _flag(value, "parameters." + field)
            record["parameters"][field] = value
        if "schedule" in body:
            enabled = _flag((body["schedule"] or {}).get("enabled"), "schedule.enabled")
            if enabled is None:
                raise bad_request("Field 'schedule.enabled' is required.")
            record["schedule"]["enabled"] = enabled
        record["version"] += 1
        return jsonify(report_view(record))


@bp.route("/api/2/reports/<report_id>", methods=["DELETE"])
def delete_report(report_id):
    """Delete a report and its stored reports (?version= required, stale: 409/1001)."""
    state = world()
    with state.lock:
        record = _visible_report(state, report_id)
        require_write()
        sent = request.args.get("version")
        if sent in (None, ""):
            raise bad_request("Query parameter 'version' is required.", context={"id": report_id})
        if as_int(sent, "version") != record["version"]:
            raise version_conflict("report", report_id, record["version"])
        del _reports(state)[report_id]
    return ("", 204)


@bp.route("/api/2/reports/<report_id>/stored", methods=["GET"])
def list_stored(report_id):
    """The stored reports of a report, with their generation status."""
    state = world()
    with state.lock:
        record = _visible_report(state, report_id)
        _refresh(state, record)
        return jsonify({"items": [_stored_view(stored) for stored in record["stored"]]})


@bp.route("/api/2/reports/<report_id>/stored/<stored_report_id>", methods=["GET"])
def download_stored(report_id, stored_report_id):
    """The file of a saved stored report: application/octet-stream, gzip content coding when accepted."""
    state = world()
    with state.lock:
        record = _visible_report(state, report_id)
        _refresh(state, record)
        stored = next((s for s in record["stored"] if s["id"] == stored_report_id), None)
        if stored is None:
            raise not_found("stored report", stored_report_id)
        if stored["status"] != "saved":
            raise ApiError(404, "The stored report has no file.", code=404,
                           info="Stored report %s is %s." % (stored_report_id, stored["status"]),
                           context={"id": stored_report_id, "status": stored["status"]})
        content = stored["_content"]
        report_format = stored["report_format"]
    filename = "%s.%s" % (stored_report_id, _EXTENSIONS[report_format])
    accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    data = _compress(content) if accepts_gzip else content.encode("utf-8")
    resp = Response(data, mimetype="application/octet-stream")
    resp.headers["Content-Disposition"] = 'attachment; filename="%s"' % filename
    if accepts_gzip:
        resp.headers["Content-Encoding"] = "gzip"
    return resp


@bp.route("/api/2/tenants/<tenant_id>/reports", methods=["GET"])
def tenant_reports(tenant_id):
    """The ids of the reports defined for a tenant (scheduled ones included), in creation order."""
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        ids = [r["id"] for r in sorted(_reports(state).values(), key=lambda r: r["_seq"])
               if r["parameters"]["tenant_id"] == tenant_id]
    return jsonify({"items": ids})


# --------------------------------------------------------------- admin


def _parse_control(body):
    outcome = body.get("outcome", "normal")
    if outcome not in OUTCOMES:
        raise ValueError("outcome must be one of %s" % ", ".join(OUTCOMES))
    delay = body.get("delay")
    if delay is not None:
        delay = float(delay)
        if delay < 0:
            raise ValueError("delay must not be negative")
    times = body.get("times")
    if times is not None:
        times = int(times)
        if times < 1:
            raise ValueError("times must be at least 1")
    return outcome, delay, times


@bp.route("/_sim/reports", methods=["PUT"])
def admin_next_reports():
    """How the next reports end: {"outcome": "normal"|"fail"|"hang", "delay": s?, "times": n?}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("a JSON object is required")
    try:
        outcome, delay, times = _parse_control(body)
    except (TypeError, ValueError) as exc:
        raise bad_request(str(exc)) from exc
    state = world()
    with state.lock:
        control = _control(state)
        control.update({"outcome": outcome, "delay": delay, "times": times})
        return jsonify(dict(control))


@bp.route("/_sim/reports", methods=["DELETE"])
def admin_reset_reports_control():
    """Back to normal: reports are saved after the report delay."""
    state = world()
    with state.lock:
        _control(state).update({"outcome": "normal", "delay": None, "times": None})
    return ("", 204)


@bp.route("/_sim/reports", methods=["GET"])
def admin_list_reports():
    """Every report with its stored reports and simulator-side outcome."""
    state = world()
    with state.lock:
        items = []
        for record in sorted(_reports(state).values(), key=lambda r: r["_seq"]):
            _refresh(state, record)
            view = report_view(record)
            view["outcome"] = record["_outcome"]
            view["stored"] = [dict(_stored_view(s), outcome=s["_outcome"]) for s in record["stored"]]
            items.append(view)
        return jsonify({"items": items, "next": dict(_control(state))})


@bp.route("/_sim/reports/<report_id>", methods=["PUT"])
def admin_control_report(report_id):
    """Change how one report's in-progress stored reports end: {"outcome", "delay"?}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("a JSON object is required")
    try:
        outcome, delay, _times = _parse_control(body)
    except (TypeError, ValueError) as exc:
        raise bad_request(str(exc)) from exc
    state = world()
    with state.lock:
        record = _reports(state).get(report_id)
        if record is None:
            raise not_found("report", report_id)
        record["_outcome"] = outcome
        if delay is not None:
            record["_delay"] = delay
        for stored in record["stored"]:
            if stored["status"] == "in_progress":
                stored["_outcome"] = outcome
                if delay is not None:
                    stored["_ready_at"] = time.time() + delay
        _refresh(state, record)
        return jsonify({"id": report_id, "outcome": outcome,
                        "stored": [_stored_view(s) for s in record["stored"]]})


@bp.route("/_sim/reports/<report_id>/run", methods=["POST"])
def admin_run_report(report_id):
    """Generate the report now (a scheduled report's monthly run): new stored reports, one per format."""
    state = world()
    with state.lock:
        record = _reports(state).get(report_id)
        if record is None:
            raise not_found("report", report_id)
        _new_stored(state, record, record["_delay"], record["_outcome"])
        return jsonify({"id": report_id, "stored": [_stored_view(s) for s in record["stored"]]})
