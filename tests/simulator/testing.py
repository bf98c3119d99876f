"""Start a simulator in-process for tests: ``with running_simulator() as sim: ...``."""

import contextlib

import requests

from .app import Settings
from .server import SimulatorServer


class SimulatorHandle:
    """What a test gets: base_url, credentials and the admin interface as methods."""

    def __init__(self, server):
        self.server = server
        self.base_url = server.base_url
        self.api_url = server.base_url + "/api/2"
        self.credentials = server.credentials()
        self.simulator = server.simulator

    @property
    def world(self):
        """The World (for white-box assertions; prefer the HTTP API)."""
        return self.simulator.world

    def requests(self):
        """The request log."""
        return self.simulator.requests()

    def writes(self):
        """The logged requests that were writes."""
        return [entry for entry in self.simulator.requests() if entry["write"]]

    def reset_log(self):
        """Empty the request log."""
        self.simulator.clear_log()

    def faults(self, rules, seed=None):
        """Switch fault injection on with these rules."""
        self.simulator.faults.configure(rules, seed=seed)

    def clear_faults(self):
        """Switch fault injection off."""
        self.simulator.faults.clear()

    def reset(self):
        """Restore the initial world."""
        response = requests.post(self.base_url + "/_sim/reset", timeout=10)
        response.raise_for_status()

    def violations(self):
        """Responses that broke the specification (simulator bugs)."""
        return list(self.simulator.violations)

    def token(self, client_id=None, client_secret=None):
        """A bearer token for the seed API client (or another client)."""
        response = requests.post(self.api_url + "/idp/token", data={"grant_type": "client_credentials"},
                                 auth=(client_id or self.credentials["client_id"],
                                       client_secret or self.credentials["client_secret"]), timeout=10)
        response.raise_for_status()
        return response.json()["access_token"]


@contextlib.contextmanager
def running_simulator(strict=True, seed=None, token_ttl=7200, search_lag=0.0, state_file=None, report_delay=2.0,
                      blueprints=None, latency=0.0, latency_jitter=0.0, catalog=None, task_duration=0.0,
                      synthetic_monitoring=0):
    """A simulator on a free port of 127.0.0.1, stopped on exit.

    ``catalog`` names the world's offering (``tests.simulator.catalog.CATALOGS``; default the
    developer sandbox's); ``latency`` and ``latency_jitter`` delay every request under /api/.

    Fails (AssertionError) on exit when a response broke the specification, so
    that a simulator bug fails the test that met it.
    """
    settings = Settings(seed=seed, strict=strict, token_ttl=token_ttl, search_lag=search_lag,
                        state_file=state_file, report_delay=report_delay, latency=latency,
                        latency_jitter=latency_jitter, catalog=catalog, task_duration=task_duration,
                        synthetic_monitoring=synthetic_monitoring)
    server = SimulatorServer(settings, port=0, blueprints=blueprints).start()
    handle = SimulatorHandle(server)
    try:
        yield handle
    finally:
        server.stop()
    if handle.simulator.violations:
        details = "\n".join("%s %s -> %s: %s" % (v["method"], v["path"], v["status"], "; ".join(v["violations"]))
                            for v in handle.simulator.violations)
        raise AssertionError("The simulator answered responses that break the API specification:\n" + details)
