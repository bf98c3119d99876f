"""Network latency: --latency / --latency-jitter, PUT /_sim/settings, and requests that do not wait for each other.

Time is asserted only as a lower bound (a delay is a functional property); that requests do not
serialise is shown by how many were in flight at once, counted by the server, not by a stopwatch.
"""

import threading
import time

import pytest
import requests

from ..__main__ import parse_args, settings_from_args


def _settings(simulator, **values):
    response = requests.put(simulator.base_url + "/_sim/settings", json=values, timeout=10)
    return response


def _stats(simulator):
    return requests.get(simulator.base_url + "/_sim/stats", timeout=10).json()


def _log_of(simulator, path):
    return [entry for entry in simulator.requests() if entry["path"] == path]


def test_command_line_options():
    settings = settings_from_args(parse_args(["--latency", "0.05", "--latency-jitter", "0.01"]))
    assert (settings.latency, settings.latency_jitter) == (0.05, 0.01)
    defaults = settings_from_args(parse_args([]))
    assert (defaults.latency, defaults.latency_jitter) == (0.0, 0.0)
    for bad in (["--latency", "-1"], ["--latency", "soon"], ["--latency-jitter", "-0.1"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


@pytest.mark.simulator(latency=0.05)
def test_a_get_takes_at_least_the_latency(simulator, api):
    root = simulator.credentials["tenant_id"]
    simulator.reset_log()
    started = time.monotonic()
    response = api.get("/tenants/" + root)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed >= 0.05
    [entry] = _log_of(simulator, "/api/2/tenants/" + root)
    assert entry["latency_ms"] == 50.0
    assert entry["duration_ms"] >= 50.0


def test_settings_at_run_time(simulator, api):
    assert requests.get(simulator.base_url + "/_sim/settings", timeout=10).json()["latency"] == 0.0
    response = _settings(simulator, latency=0.2, latency_jitter=0.05)
    assert response.status_code == 200
    assert (response.json()["latency"], response.json()["latency_jitter"]) == (0.2, 0.05)
    readback = requests.get(simulator.base_url + "/_sim/settings", timeout=10).json()
    assert (readback["latency"], readback["latency_jitter"]) == (0.2, 0.05)
    simulator.reset_log()
    root = simulator.credentials["tenant_id"]
    for _round in range(3):
        assert api.get("/tenants/" + root).status_code == 200
    entries = _log_of(simulator, "/api/2/tenants/" + root)
    assert len(entries) == 3 and all(150.0 <= entry["latency_ms"] <= 250.0 for entry in entries)
    assert all(entry["duration_ms"] >= entry["latency_ms"] for entry in entries)
    # Back to no delay.
    assert _settings(simulator, latency=0, latency_jitter=0).status_code == 200
    simulator.reset_log()
    api.get("/tenants/" + simulator.credentials["tenant_id"])
    assert [entry["latency_ms"] for entry in simulator.requests()] == [0.0]


@pytest.mark.parametrize("body", [{"latency": -0.1}, {"latency": "slow"}, {"latency": True},
                                  {"latency_jitter": -1}, {"latency": 4000}])
def test_bad_latency_settings_are_refused(simulator, body):
    response = _settings(simulator, **body)
    assert response.status_code == 400
    assert list(body)[0] in response.json()["error"]["message"]
    readback = requests.get(simulator.base_url + "/_sim/settings", timeout=10).json()
    assert (readback["latency"], readback["latency_jitter"]) == (0.0, 0.0)


def test_a_refused_setting_changes_nothing(simulator):
    response = _settings(simulator, latency=0.3, latency_jitter="x")
    assert response.status_code == 400
    assert requests.get(simulator.base_url + "/_sim/settings", timeout=10).json()["latency"] == 0.0


@pytest.mark.simulator(latency=0.01, latency_jitter=0.03, seed=99)
def test_jitter_is_uniform_around_the_latency_and_never_below_zero(simulator, api):
    simulator.reset_log()
    for _round in range(30):
        api.get("/tenants/" + simulator.credentials["tenant_id"])
    delays = [entry["latency_ms"] for entry in simulator.requests()]
    assert len(delays) == 30
    assert all(0.0 <= delay <= 40.0 for delay in delays)
    assert any(delay > 10.0 for delay in delays) and any(0.0 < delay < 10.0 for delay in delays)
    # A draw below -latency is no delay, never a negative one.
    assert 0.0 in delays


@pytest.mark.simulator(latency=0.05)
def test_every_api_service_is_delayed_and_the_admin_interface_is_not(simulator, api):
    before = _stats(simulator)["delayed"]
    for _round in range(5):
        assert requests.get(simulator.base_url + "/_sim/settings", timeout=10).status_code == 200
        assert requests.get(simulator.base_url + "/_sim/requests", timeout=10).status_code == 200
    assert _stats(simulator)["delayed"] == before           # /_sim: never delayed
    simulator.reset_log()
    token = "Bearer " + simulator.token()
    tasks = requests.get(simulator.base_url + "/api/task_manager/v2/tasks", headers={"Authorization": token},
                         timeout=10)
    assert tasks.status_code == 200
    unknown = requests.get(simulator.base_url + "/api/some_service/v1/things", headers={"Authorization": token},
                           timeout=10)
    assert unknown.status_code == 404
    delays = {entry["path"]: entry["latency_ms"] for entry in simulator.requests()}
    assert delays == {"/api/2/idp/token": 50.0, "/api/task_manager/v2/tasks": 50.0,
                      "/api/some_service/v1/things": 50.0}
    assert _stats(simulator)["delayed"] == 3


@pytest.mark.simulator(latency=0.05)
def test_faults_still_apply_after_the_delay(simulator, api):
    simulator.faults([{"method": "GET", "path": "/api/2/tenants/*", "fault": "503", "rate": 1.0, "times": 1}], seed=1)
    simulator.reset_log()
    response = api.get("/tenants/" + simulator.credentials["tenant_id"])
    assert response.status_code == 503
    [entry] = simulator.requests()
    assert entry["fault"] == "503" and entry["latency_ms"] == 50.0


def test_the_server_is_threaded_with_room_for_waiting_connections(simulator):
    server = simulator.server.server
    assert server.multithread
    assert server.request_queue_size >= 64


@pytest.mark.simulator(latency=1.0)
def test_delayed_requests_are_in_flight_together_and_hold_no_lock(simulator, api):
    """20 concurrent GETs with a 1 s latency: at least 10 are in the server at once, and meanwhile
    the world's lock is free and the admin interface answers."""
    url = simulator.api_url + "/tenants/" + simulator.credentials["tenant_id"]
    token = "Bearer " + simulator.token()
    simulator.reset_log()
    statuses = []
    barrier = threading.Barrier(20)

    def one_get():
        with requests.Session() as session:
            barrier.wait()
            statuses.append(session.get(url, headers={"Authorization": token}, timeout=60).status_code)

    threads = [threading.Thread(target=one_get) for _round in range(20)]
    for thread in threads:
        thread.start()
    seen = {"in_flight": 0}
    lock_free_while_sleeping = None
    for _round in range(2000):
        seen = _stats(simulator)
        if seen["in_flight"] >= 10:
            # They are asleep in the pipeline: the world's lock must be free for another thread.
            lock_free_while_sleeping = simulator.world.lock.acquire(blocking=False)
            if lock_free_while_sleeping:
                simulator.world.lock.release()
            break
        time.sleep(0.005)
    for thread in threads:
        thread.join()
    assert seen["in_flight"] >= 10, seen         # answered by /_sim while they were still sleeping
    assert lock_free_while_sleeping is True
    assert statuses == [200] * 20
    entries = _log_of(simulator, "/api/2/tenants/" + simulator.credentials["tenant_id"])
    assert len(entries) == 20
    assert max(entry["in_flight"] for entry in entries) >= 10
    assert all(entry["duration_ms"] >= 1000.0 for entry in entries)
    stats = _stats(simulator)
    assert stats["max_in_flight"] >= 10 and stats["in_flight"] == 0


def test_stats_are_reset_with_the_log(simulator, api):
    api.get("/tenants/" + simulator.credentials["tenant_id"])
    assert _stats(simulator)["max_in_flight"] >= 1
    assert requests.delete(simulator.base_url + "/_sim/requests", timeout=10).status_code == 204
    assert _stats(simulator) == {"in_flight": 0, "max_in_flight": 0, "delayed": 0, "max_per_second": 0}


def test_max_per_second_counts_the_arrivals_within_one_second(monkeypatch):
    """Arrivals at 0, 0.2, ... 0.8 s are five within one second; one exactly a second after the first is not a
    sixth, as a client that starts five per second sends it."""
    from .. import app as app_module  # pylint: disable=import-outside-toplevel
    now = {"t": 100.0}
    monkeypatch.setattr(app_module.time, "monotonic", lambda: now["t"])
    latency = app_module.Latency(app_module.Settings())
    for at in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.9, 1.95, 1.99):
        now["t"] = 100.0 + at
        latency.enter()
        latency.leave()
    # (1.0, 1.2, 1.9, 1.95, 1.99) and (0.2 ... 1.2) are the fullest windows: five each.
    assert latency.stats()["max_per_second"] == 5
    now["t"] = 102.0
    latency.enter()                 # 1.2, 1.9, 1.95, 1.99 and 2.0: still five
    assert latency.stats()["max_per_second"] == 5
    now["t"] = 102.1
    latency.enter()                 # 1.2 ... 2.1: six
    assert latency.stats()["max_per_second"] == 6
    latency.clear()
    assert latency.stats()["max_per_second"] == 0


def test_unknown_setting_still_refused(simulator):
    response = _settings(simulator, latency_ms=5)
    assert response.status_code == 400 and "latency_ms" in response.json()["error"]["message"]
