"""The contracts of services outside /api/2 (service_contract.py), enforced by the request pipeline."""

import requests
from flask import Blueprint, jsonify, request

from .. import service_contract as sc
from ..testing import running_simulator

bp = Blueprint("contract_probe", __name__)

ITEM = {"type": "object", "required": ["id"], "additionalProperties": False, "properties": {"id": sc.UUID}}


@bp.route("/api/probe/v1/things", methods=["POST"])
@sc.operation("probe", query={"type": "object", "additionalProperties": False, "properties": {"mode": {"enum": ["ok", "bad"]}}},
              body={"type": "object", "required": ["id"], "properties": {"id": sc.UUID}},
              responses=sc.with_errors({201: ITEM}), source="test")
def create_thing():
    """Answers what it was sent, or a body that breaks the contract when mode=bad."""
    body = request.get_json()
    if request.args.get("mode") == "bad":
        return jsonify({"id": body["id"], "extra": True}), 201
    return jsonify({"id": body["id"]}), 201


THING = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"


def _post(sim, token, **kwargs):
    return requests.post(sim.base_url + "/api/probe/v1/things", headers={"Authorization": "Bearer " + token},
                         timeout=10, **kwargs)


def test_a_valid_request_is_served():
    with running_simulator(seed=1, blueprints=[bp]) as sim:
        response = _post(sim, sim.token(), json={"id": THING})
        assert response.status_code == 201
        assert response.json() == {"id": THING}


def test_a_request_that_breaks_the_contract_is_refused_before_the_view():
    with running_simulator(seed=1, blueprints=[bp]) as sim:
        token = sim.token()
        bad_body = _post(sim, token, json={"id": "not-a-uuid"})
        unknown_param = _post(sim, token, json={"id": THING}, params={"colour": "red"})
        no_body = _post(sim, token)
        assert bad_body.status_code == 400
        assert "does not match" in bad_body.json()["error"]["details"]["info"]
        assert unknown_param.status_code == 400
        assert "colour" in unknown_param.json()["error"]["details"]["info"]
        assert no_body.status_code == 400
        assert sim.writes() and all(entry["status"] == 400 for entry in sim.writes())


def test_a_response_that_breaks_the_contract_is_a_recorded_simulator_bug():
    with running_simulator(seed=1, blueprints=[bp]) as sim:
        response = _post(sim, sim.token(), json={"id": THING}, params={"mode": "bad"})
        assert response.status_code == 500
        assert response.json()["error"]["message"].startswith("Simulator bug")
        violations = sim.violations()
        sim.simulator.violations.clear()    # expected here: do not fail the test on exit
    assert len(violations) == 1
    assert "extra" in violations[0]["violations"][0]


def test_strict_off_skips_the_contract():
    with running_simulator(seed=1, strict=False, blueprints=[bp]) as sim:
        assert _post(sim, sim.token(), json={"id": "not-a-uuid"}).status_code == 201


def test_authentication_still_comes_first():
    with running_simulator(seed=1, blueprints=[bp]) as sim:
        response = requests.post(sim.base_url + "/api/probe/v1/things", json={"id": THING}, timeout=10)
        assert response.status_code == 401
