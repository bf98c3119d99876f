"""Run the app on a threaded werkzeug server, with the credentials file and state persistence."""

import json
import logging
import os
import tempfile
import threading

from werkzeug.serving import ThreadedWSGIServer

from .app import create_app

LOG = logging.getLogger("acronis_simulator")


class _Server(ThreadedWSGIServer):
    """Werkzeug's threaded server (a thread per connection), with room for many waiting connections.

    With a latency set, every API request sleeps in its own thread; the listen backlog must hold
    the connections that arrive meanwhile (clients opening 20 or more at once).
    """

    request_queue_size = 512


class SimulatorServer:
    """A running simulator: start(), base_url, credentials(), stop()."""

    def __init__(self, settings, host="127.0.0.1", port=0, blueprints=None):
        self.app = create_app(settings, blueprints=blueprints)
        self.simulator = self.app.extensions["acronis_simulator"]
        self.settings = settings
        self.server = _Server(host, port, self.app)
        self.host = host
        self.port = self.server.server_port
        self.root_url = "http://%s:%d" % (host, self.port)
        self.base_url = self.root_url
        self._thread = None
        self._saver = None
        self._stopping = threading.Event()

    def credentials(self):
        """The api_client.json keys plus base_url, login and password of the root partner administrator."""
        world = self.simulator.world
        return {"base_url": self.base_url, "client_id": world.api_client["client_id"],
                "client_secret": world.api_client["client_secret"], "tenant_id": world.partner_id,
                "login": world.admin["login"], "password": world.admin["password"]}

    def write_credentials(self, path):
        """Write the credentials file: 0600 (it holds secrets), renamed into place when complete.

        Scripts wait for the file to appear; the rename means they never read half of it.
        """
        handle, temp_path = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".sim-credentials-")
        with os.fdopen(handle, "w") as stream:
            json.dump(self.credentials(), stream, indent=2)
            stream.write("\n")
        os.replace(temp_path, path)

    def start(self):
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="acronis-simulator", daemon=True)
        self._thread.start()
        if self.settings.state_file:
            self._saver = threading.Thread(target=self._save_loop, name="acronis-simulator-saver", daemon=True)
            self._saver.start()
        return self

    def serve_forever(self):
        """Serve in the calling thread (the CLI)."""
        if self.settings.state_file:
            self._saver = threading.Thread(target=self._save_loop, name="acronis-simulator-saver", daemon=True)
            self._saver.start()
        self.server.serve_forever()

    def _save_loop(self):
        while not self._stopping.wait(1.0):
            self.save_if_dirty()

    def save_if_dirty(self):
        """Persist the world when a write happened since the last save."""
        if self.settings.state_file and self.simulator.dirty:
            self.simulator.dirty = False
            self.simulator.world.save(self.settings.state_file)

    def stop(self):
        """Stop serving and save the world."""
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.settings.state_file:
            self.simulator.world.save(self.settings.state_file)
