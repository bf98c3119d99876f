"""Usage reports: creation, versions, stored reports (delay, failure, hang), downloads, access."""

import csv
import gzip
import io
import json
import time

import pytest
import requests

from .helpers import create_tenant, create_user, enable_items, error_code

STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"


def _report_body(tenant_id, **overrides):
    body = {"parameters": {"kind": "usage_current", "tenant_id": tenant_id, "level": "itself", "formats": ["csv"]},
            "schedule": {"type": "once"}, "result_action": "save"}
    body.update(overrides)
    return body


def _fast(simulator, delay=0.0):
    response = requests.put(simulator.base_url + "/_sim/settings", json={"report_delay": delay}, timeout=10)
    assert response.status_code == 200, response.text


def _wait_stored(api, report_id, want, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        response = api.get("/reports/%s/stored" % report_id)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        if items and all(item["status"] == want for item in items):
            return items
        assert time.monotonic() < deadline, items
        time.sleep(0.05)


def _root(simulator):
    return simulator.credentials["tenant_id"]


def _customer_tree(api, simulator):
    partner = create_tenant(api, _root(simulator), "Reports Partner")
    enable_items(api, _root(simulator), partner["id"], kind="partner")
    customer = create_tenant(api, partner["id"], "Reports Customer", kind="customer")
    enable_items(api, partner["id"], customer["id"], kind="customer",
                 keep=lambda i: i["name"] in ("workstations", "storage") and i.get("infra_id") in (None, STORAGE))
    user = create_user(api, customer["id"], "reports-user")
    return partner, customer, user


def _seed_usage(simulator, tenant_id, usages):
    response = requests.put(simulator.base_url + "/_sim/usage", json={"tenant_id": tenant_id, "usages": usages},
                            timeout=10)
    assert response.status_code == 200, response.text


def test_create_get_and_stored_lifecycle(simulator, api):
    _fast(simulator, 0.3)
    response = api.post("/reports", json=_report_body(_root(simulator), recipients=[]))
    assert response.status_code == 201, response.text
    report = response.json()
    assert set(report) == {"id", "version", "result_action", "recipients", "parameters", "schedule", "generation_date"}
    assert report["version"] == 1 and report["schedule"] == {"type": "once", "enabled": True}
    assert set(report["parameters"]["period"]) == {"start", "end"}
    got = api.get("/reports/" + report["id"])
    assert got.status_code == 200 and got.json() == report
    first = api.get("/reports/%s/stored" % report["id"]).json()["items"]
    assert [item["status"] for item in first] == ["in_progress"]
    assert first[0]["report_format"] == "csv" and "size" not in first[0]
    saved = _wait_stored(api, report["id"], "saved")
    assert saved[0]["id"] == first[0]["id"] and saved[0]["size"] > 0
    listed = api.get("/tenants/%s/reports" % _root(simulator))
    assert listed.status_code == 200 and listed.json() == {"items": [report["id"]]}


def test_download_is_gzip_coded_and_matches_usage(simulator, api):
    _fast(simulator)
    partner, customer, user = _customer_tree(api, simulator)
    _seed_usage(simulator, customer["id"], [{"name": "workstations", "value": 3}])
    _seed_usage(simulator, user["personal_tenant_id"], [{"name": "storage", "infra_id": STORAGE, "value": 1024}])
    body = _report_body(partner["id"])
    body["parameters"].update(level="all_customers", formats=["csv_v2_0", "json_v1"], hide_zero_usage=True)
    report = api.post("/reports", json=body).json()
    stored = {item["report_format"]: item for item in _wait_stored(api, report["id"], "saved")}
    url = "/reports/%s/stored/%s" % (report["id"], stored["csv_v2_0"]["id"])
    raw = api.get(url, stream=True)
    assert raw.status_code == 200
    assert raw.headers["Content-Type"] == "application/octet-stream"
    assert raw.headers["Content-Encoding"] == "gzip"
    wire = raw.raw.read(decode_content=False)
    assert len(wire) == stored["csv_v2_0"]["size"]
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(wire).decode())))
    assert {(r["Tenant name"], r["Offering item"], r["Usage"]) for r in rows} == {
        ("Reports Customer", "workstations", "3"), ("Reports Customer", "storage", "1024")}
    plain = api.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.text.startswith("Tenant name,")
    document = json.loads(api.get("/reports/%s/stored/%s" % (report["id"], stored["json_v1"]["id"])).text)
    assert {(i["tenant_id"], i["usage"]) for i in document["items"]} == {(customer["id"], 3), (customer["id"], 1024)}


def test_levels_and_skus(simulator, api):
    _fast(simulator)
    partner, _customer, user = _customer_tree(api, simulator)
    _seed_usage(simulator, user["personal_tenant_id"], [{"name": "workstations", "value": 2}])

    def rows(level, **extra):
        body = _report_body(_root(simulator))
        body["parameters"].update(level=level, formats=["csv_v2_0"], hide_zero_usage=True, **extra)
        report = api.post("/reports", json=body)
        assert report.status_code == 201, report.text
        item = _wait_stored(api, report.json()["id"], "saved")[0]
        text = api.get("/reports/%s/stored/%s" % (report.json()["id"], item["id"])).text
        return list(csv.DictReader(io.StringIO(text)))

    assert [(r["Tenant ID"], r["Usage"]) for r in rows("direct_partners")] == [(partner["id"], "2")]
    assert [(r["Tenant ID"], r["Usage"]) for r in rows("itself")] == [(_root(simulator), "2")]
    accounts = rows("accounts", show_skus=True)
    assert [(r["Tenant name"], r["Usage"]) for r in accounts] == [("Reports Customer", "2"), ("reports-user", "2")]
    assert all(r["SKU"].startswith("SIM-") for r in accounts)


def test_daily_report_has_a_row_per_day_and_top_level_period(simulator, api):
    _fast(simulator)
    _customer_tree(api, simulator)
    body = {"parameters": {"kind": "usage_daily", "tenant_id": _root(simulator), "level": "itself",
                           "formats": ["csv"], "show_skus": "true", "hide_zero_usage": "false"},
            "period": {"start": "2021-10-01", "end": "2021-10-03"}, "schedule": {"type": "once"},
            "result_action": "save"}
    response = api.post("/reports", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["parameters"]["period"] == {"start": "2021-10-01", "end": "2021-10-03"}
    assert response.json()["parameters"]["show_skus"] is True
    item = _wait_stored(api, response.json()["id"], "saved")[0]
    rows = list(csv.DictReader(io.StringIO(api.get("/reports/%s/stored/%s" % (response.json()["id"],
                                                                              item["id"])).text)))
    assert sorted({r["Date"] for r in rows}) == ["2021-10-01", "2021-10-02", "2021-10-03"]


@pytest.mark.parametrize("body_change, status", [
    ({"result_action": "send", "recipients": []}, 400),
    ({"schedule": {"type": "weekly"}}, 400),
    ({"parameters": {"kind": "usage_current", "level": "itself"}}, 400),
    ({"parameters": {"kind": "usage_current", "level": "everything", "tenant_id": None}}, 400),
    ({"unknown": 1}, 400),
])
def test_create_rejects_bad_bodies(simulator, api, body_change, status):
    body = _report_body(_root(simulator))
    body.update(body_change)
    if body["parameters"].get("tenant_id", "") is None:
        body["parameters"]["tenant_id"] = _root(simulator)
    response = api.post("/reports", json=body)
    assert response.status_code == status, response.text
    assert set(response.json()["error"]) >= {"code", "message", "details", "domain"}


def test_create_checks_period_and_recipients(simulator, api):
    body = _report_body(_root(simulator))
    body["parameters"]["period"] = {"start": "2024-02-10", "end": "2024-02-01"}
    assert api.post("/reports", json=body).status_code == 400
    body = _report_body(_root(simulator), result_action="send", recipients=["0" * 8 + "-0000-4000-8000-" + "0" * 12])
    assert api.post("/reports", json=body).status_code == 400
    admin = simulator.credentials.get("login")
    me = requests.get(simulator.api_url + "/users/me", auth=(admin, simulator.credentials["password"]), timeout=10)
    body = _report_body(_root(simulator), result_action="send", recipients=[me.json()["id"]])
    assert api.post("/reports", json=body).status_code == 201


def test_access_rules(simulator, api):
    other = create_tenant(api, _root(simulator), "Sibling partner")
    body = _report_body(_root(simulator))
    basic = requests.post(simulator.api_url + "/reports", json=body, timeout=10,
                          auth=(simulator.credentials["client_id"], simulator.credentials["client_secret"]))
    assert basic.status_code == 401
    assert requests.post(simulator.api_url + "/reports", json=body, timeout=10).status_code == 401
    unknown = "6f1c1c1c-0000-4000-8000-000000000001"
    assert api.get("/reports/" + unknown).status_code == 404
    assert api.get("/reports/%s/stored" % unknown).status_code == 404
    missing_tenant = _report_body(unknown)
    response = api.post("/reports", json=missing_tenant)
    assert response.status_code == 404 and error_code(response) == 1005
    # a client of the sibling partner cannot see the root partner's reports
    report = api.post("/reports", json=body).json()
    client = api.post("/clients", json={"type": "api_client", "tenant_id": other["id"],
                                        "token_endpoint_auth_method": "client_secret_basic",
                                        "data": {"client_name": "sibling"}}).json()
    token = simulator.token(client["client_id"], client["client_secret"])
    headers = {"Authorization": "Bearer " + token}
    denied = requests.get(simulator.api_url + "/reports/" + report["id"], headers=headers, timeout=10)
    assert denied.status_code == 403 and error_code(denied) == 1002
    denied = requests.post(simulator.api_url + "/reports", json=body, headers=headers, timeout=10)
    assert denied.status_code == 403


def test_update_only_scheduled_reports(simulator, api):
    once = api.post("/reports", json=_report_body(_root(simulator))).json()
    response = api.put("/reports/" + once["id"], json={"schedule": {"enabled": False}})
    assert response.status_code == 400
    monthly = api.post("/reports", json=_report_body(_root(simulator), schedule={"type": "monthly"})).json()
    assert api.get("/reports/%s/stored" % monthly["id"]).json() == {"items": []}
    change = {"schedule": {"enabled": False}, "parameters": {"level": "all_customers", "show_skus": True}}
    response = api.put("/reports/" + monthly["id"], json=change)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["version"] == 2 and updated["schedule"] == {"type": "monthly", "enabled": False}
    assert updated["parameters"]["level"] == "all_customers" and updated["parameters"]["show_skus"] is True
    stale = api.put("/reports/%s?version=1" % monthly["id"], json={"schedule": {"enabled": True}})
    assert stale.status_code == 409 and error_code(stale) == 1001
    assert api.put("/reports/" + monthly["id"], json={"version": 2}).status_code == 400
    run = requests.post(simulator.base_url + "/_sim/reports/%s/run" % monthly["id"], timeout=10)
    assert run.status_code == 200 and len(run.json()["stored"]) == 1
    assert api.get("/tenants/%s/reports" % _root(simulator)).json()["items"] == [once["id"], monthly["id"]]


def test_delete_needs_current_version(simulator, api):
    report = api.post("/reports", json=_report_body(_root(simulator))).json()
    missing = api.delete("/reports/" + report["id"])
    assert missing.status_code == 400
    stale = api.delete("/reports/%s?version=7" % report["id"])
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == 1001 and stale.json()["error"]["domain"] == "PlatformAccountServer"
    assert api.delete("/reports/%s?version=1" % report["id"]).status_code == 204
    assert api.get("/reports/" + report["id"]).status_code == 404
    assert api.delete("/reports/%s?version=1" % report["id"]).status_code == 404


def test_failure_and_hang_are_chosen_through_the_admin_interface(simulator, api):
    _fast(simulator, 0.0)
    control = requests.put(simulator.base_url + "/_sim/reports", json={"outcome": "fail", "times": 1}, timeout=10)
    assert control.status_code == 200
    failing = api.post("/reports", json=_report_body(_root(simulator))).json()
    normal = api.post("/reports", json=_report_body(_root(simulator))).json()
    failed = _wait_stored(api, failing["id"], "failed")
    assert _wait_stored(api, normal["id"], "saved")
    download = api.get("/reports/%s/stored/%s" % (failing["id"], failed[0]["id"]))
    assert download.status_code == 404 and download.json()["error"]["context"]["status"] == "failed"
    requests.put(simulator.base_url + "/_sim/reports", json={"outcome": "hang"}, timeout=10)
    hanging = api.post("/reports", json=_report_body(_root(simulator))).json()
    time.sleep(0.2)
    assert [i["status"] for i in api.get("/reports/%s/stored" % hanging["id"]).json()["items"]] == ["in_progress"]
    assert requests.delete(simulator.base_url + "/_sim/reports", timeout=10).status_code == 204
    # an existing report is released (or failed) through /_sim/reports/{id}
    released = requests.put(simulator.base_url + "/_sim/reports/" + hanging["id"], json={"outcome": "normal"},
                            timeout=10)
    assert released.status_code == 200
    assert _wait_stored(api, hanging["id"], "saved")
    bad = requests.put(simulator.base_url + "/_sim/reports", json={"outcome": "explode"}, timeout=10)
    assert bad.status_code == 400


def test_report_delay_setting(simulator, api):
    _fast(simulator, 0.4)
    report = api.post("/reports", json=_report_body(_root(simulator))).json()
    time.sleep(0.1)
    assert api.get("/reports/%s/stored" % report["id"]).json()["items"][0]["status"] == "in_progress"
    _wait_stored(api, report["id"], "saved", timeout=3)
    per_report = requests.put(simulator.base_url + "/_sim/reports", json={"delay": 30}, timeout=10)
    assert per_report.json()["delay"] == 30.0
    slow = api.post("/reports", json=_report_body(_root(simulator))).json()
    time.sleep(0.5)
    assert api.get("/reports/%s/stored" % slow["id"]).json()["items"][0]["status"] == "in_progress"
