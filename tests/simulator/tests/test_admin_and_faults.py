"""The /_sim admin interface, fault injection, strict validation, the CLI and --state."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests
from flask import jsonify

from ..testing import running_simulator
from .helpers import create_tenant

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_request_log(simulator, api):
    root = simulator.credentials["tenant_id"]
    simulator.reset_log()
    api.get("/tenants/" + root)
    create_tenant(api, root, "Logged")
    log = requests.get(simulator.base_url + "/_sim/requests", timeout=10).json()["items"]
    assert [(e["method"], e["path"], e["status"], e["write"]) for e in log] == [
        ("GET", "/api/2/tenants/" + root, 200, False), ("POST", "/api/2/tenants", 201, True)]
    assert set(log[0]) >= {"method", "path", "query", "status", "bytes", "duration_ms", "write"}
    assert log[0]["bytes"] > 0
    simulator.token()
    assert simulator.requests()[-1]["write"] is False       # POST /idp/token is not a write
    assert len(simulator.writes()) == 1
    assert requests.delete(simulator.base_url + "/_sim/requests", timeout=10).status_code == 204
    assert simulator.requests() == []


def test_state_dump_and_reset(simulator, api):
    tenant = create_tenant(api, simulator.credentials["tenant_id"], "Ephemeral")
    state = requests.get(simulator.base_url + "/_sim/state", timeout=10).json()
    assert tenant["id"] in state["tenants"]
    assert requests.post(simulator.base_url + "/_sim/reset", timeout=10).ok
    assert api.get("/tenants/" + tenant["id"]).status_code == 404
    assert api.get("/tenants/" + simulator.credentials["tenant_id"]).status_code == 200


@pytest.mark.parametrize("fault,status", [("429", 429), ("500", 500), ("502", 502), ("503", 503)])
def test_status_faults(simulator, api, fault, status):
    root = simulator.credentials["tenant_id"]
    rules = {"seed": 1, "rules": [{"method": "GET", "path": "/api/2/tenants/*", "fault": fault, "times": 1}]}
    assert requests.put(simulator.base_url + "/_sim/faults", json=rules, timeout=10).ok
    first = api.get("/tenants/" + root)
    assert first.status_code == status and "error" in first.json()
    if status == 429:
        assert first.headers["Retry-After"] == "1"
    assert api.get("/tenants/" + root).status_code == 200     # times: 1
    assert requests.delete(simulator.base_url + "/_sim/faults", timeout=10).status_code == 204


def test_rate_is_deterministic_from_the_seed(simulator, api):
    root = simulator.credentials["tenant_id"]

    def run():
        simulator.faults([{"method": "*", "path": "re:^/api/2/tenants/", "fault": "503", "rate": 0.5}], seed=7)
        return [api.get("/tenants/" + root).status_code for _attempt in range(12)]

    first, second = run(), run()
    assert first == second and 503 in first and 200 in first
    simulator.clear_faults()


def test_slow_drop_and_lost_response(simulator, api):
    root = simulator.credentials["tenant_id"]
    simulator.faults([{"method": "GET", "path": "/api/2/tenants/*", "fault": "slow", "delay": 0.3, "times": 1}])
    started = time.monotonic()
    assert api.get("/tenants/" + root).status_code == 200
    assert time.monotonic() - started >= 0.3
    simulator.faults([{"method": "POST", "path": "/api/2/tenants", "fault": "drop", "times": 1}])
    with pytest.raises(requests.ConnectionError):
        api.post("/tenants", json={"name": "Dropped", "kind": "partner", "parent_id": root})
    assert "Dropped" not in _child_names(api, root)
    simulator.faults([{"method": "POST", "path": "/api/2/tenants", "fault": "lost_response", "times": 1}])
    lost = api.post("/tenants", json={"name": "Lost 502", "kind": "partner", "parent_id": root})
    assert lost.status_code == 502
    assert "Lost 502" in _child_names(api, root)               # the write was committed
    simulator.faults([{"method": "POST", "path": "/api/2/tenants", "fault": "lost_response", "as": "reset"}])
    with pytest.raises(requests.ConnectionError):
        api.post("/tenants", json={"name": "Lost reset", "kind": "partner", "parent_id": root})
    simulator.clear_faults()
    assert "Lost reset" in _child_names(api, root)
    assert requests.put(simulator.base_url + "/_sim/faults", json={"rules": [{"fault": "boom"}]},
                        timeout=10).status_code == 400


def _child_names(api, root):
    return [t["name"] for t in api.get("/tenants", params={"parent_id": root}).json()["items"]]


def test_strict_request_violation_names_it(simulator, api):
    response = api.post("/tenants", json={"name": "X", "kind": "emperor", "parent_id": simulator.credentials[
        "tenant_id"]})
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["details"]["info"]


def _broken():
    return jsonify({"items": "not a list"})      # breaks offeringItemList


def test_response_violation_is_a_loud_500():
    with pytest.raises(AssertionError, match="break the API specification"):
        with running_simulator() as sim:
            # Every operation of the specification is served: break one view in place.
            sim.server.app.view_functions["offering_items.offering_items_batch"] = _broken
            response = requests.get(sim.api_url + "/tenants/offering_items",
                                    params={"subtree_root_tenant_id": sim.credentials["tenant_id"]},
                                    headers={"Authorization": "Bearer " + sim.token()}, timeout=10)
            assert response.status_code == 500
            assert "Simulator bug" in response.json()["error"]["message"]
            assert requests.get(sim.base_url + "/_sim/violations", timeout=10).json()["items"]


def test_no_strict_mode_skips_validation():
    with running_simulator(strict=False) as sim:
        response = requests.post(sim.api_url + "/tenants", headers={"Authorization": "Bearer " + sim.token()},
                                 json={"name": "Lenient", "kind": "partner", "parent_id": sim.credentials["tenant_id"],
                                       "unknown_field": 1}, timeout=10)
        assert response.status_code == 201


def test_state_file_keeps_the_world(tmp_path):
    path = str(tmp_path / "world.sim-state.json")
    with running_simulator(seed=5, state_file=path) as sim:
        token = sim.token()
        tenant = requests.post(sim.api_url + "/tenants", headers={"Authorization": "Bearer " + token},
                               json={"name": "Persistent", "kind": "partner",
                                     "parent_id": sim.credentials["tenant_id"]}, timeout=10).json()
        credentials = sim.credentials
    with running_simulator(seed=5, state_file=path) as sim:
        assert sim.credentials["client_secret"] == credentials["client_secret"]
        response = requests.get(sim.api_url + "/tenants/" + tenant["id"],
                                headers={"Authorization": "Bearer " + token}, timeout=10)
        assert response.status_code == 200 and response.json()["name"] == "Persistent"


def test_seed_makes_ids_deterministic():
    with running_simulator(seed=42) as first:
        ids = first.credentials
    with running_simulator(seed=42) as second:
        assert second.credentials["client_id"] == ids["client_id"]
        assert second.credentials["tenant_id"] == ids["tenant_id"]


def test_cli_port_zero_and_credentials_file(tmp_path):
    credentials_file = tmp_path / "sim-credentials.json"
    process = subprocess.Popen([sys.executable, "-m", "tests.simulator", "--port", "0", "--quiet",
                                "--credentials-out", str(credentials_file), "--seed", "3"],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line
        credentials = json.loads(credentials_file.read_text())
        assert set(credentials) == {"base_url", "client_id", "client_secret", "tenant_id", "login", "password"}
        token = requests.post(credentials["base_url"] + "/api/2/idp/token", data={"grant_type": "client_credentials"},
                              auth=(credentials["client_id"], credentials["client_secret"]), timeout=10)
        assert token.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
