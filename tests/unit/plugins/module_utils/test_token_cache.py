# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The on-disk token cache: permissions, atomic replacement, keys, renewal,
the cached client tenant, and forks that start at once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import multiprocessing
import os
import stat
import threading
import time

from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisAPIError
from ansible_collections.acronis.cyber_platform.plugins.module_utils.token_cache import TokenCache, default_cache_dir
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import (
    API,
    BASE_URL,
    NOW,
    TOKEN_URL,
)

CLIENT_TENANT = "11111111-2222-4333-8444-555555555555"
PROCESSES = 8


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def cache_of(cache_dir, secret="secret", base_url=BASE_URL, client_id="cid"):
    return TokenCache(cache_dir, base_url, client_id, secret)


# ------------------------------------------------------------------ files and modes

def test_cache_file_is_0600_in_a_0700_directory(http, tokens, make_client, cache_dir):
    old_umask = os.umask(0o022)
    try:
        make_client(token_cache_dir=cache_dir).access_token()
    finally:
        os.umask(old_umask)
    entry = cache_of(cache_dir)
    assert mode(cache_dir) == 0o700
    assert mode(entry.path) == 0o600
    assert mode(entry.lock_path) == 0o600
    with open(entry.path) as handle:
        assert json.load(handle)["token"] == {"access_token": "tok-1", "expires_on": int(NOW + 7200)}


def test_write_leaves_no_temporary_file(cache_dir):
    entry = cache_of(cache_dir)
    for number in range(5):
        entry.write({"token": {"access_token": "t%d" % number, "expires_on": NOW}})
    assert sorted(os.listdir(cache_dir)) == [os.path.basename(entry.path)]
    assert entry.read()["token"]["access_token"] == "t4"


def test_failed_write_keeps_the_old_entry_and_no_temporary_file(cache_dir):
    entry = cache_of(cache_dir)
    entry.write({"token": {"access_token": "good", "expires_on": NOW}})
    with pytest.raises(TypeError):
        entry.write({"token": object()})       # not serialisable: fails half way through
    assert entry.read() == {"token": {"access_token": "good", "expires_on": NOW}}
    assert os.listdir(cache_dir) == [os.path.basename(entry.path)]


def test_read_of_a_missing_or_foreign_file_is_none(cache_dir):
    entry = cache_of(cache_dir)
    assert entry.read() is None
    os.makedirs(cache_dir)
    with open(entry.path, "w") as handle:
        handle.write("[1, 2]")
    assert entry.read() is None
    entry.clear()
    assert not os.path.exists(entry.path)
    entry.clear()   # clearing twice is fine


def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == os.path.join(str(tmp_path), "acronis.cyber_platform", "tokens")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == os.path.join(str(tmp_path), "home", ".cache", "acronis.cyber_platform", "tokens")


# ------------------------------------------------------------------------------ keys

def test_key_depends_on_base_url_client_id_and_secret(cache_dir):
    paths = set([
        cache_of(cache_dir).path,
        cache_of(cache_dir, secret="other").path,
        cache_of(cache_dir, client_id="other").path,
        cache_of(cache_dir, base_url="https://other.example.test").path,
    ])
    assert len(paths) == 4
    assert cache_of(cache_dir).path == cache_of(cache_dir).path
    for path in paths:
        assert "secret" not in os.path.basename(path) and "cid" not in os.path.basename(path)


def test_base_url_with_api_prefix_shares_the_entry(http, tokens, make_client, cache_dir):
    make_client(token_cache_dir=cache_dir).access_token()
    make_client(token_cache_dir=cache_dir, base_url=BASE_URL + "/api/2/").access_token()
    assert tokens.issued == 1


def test_a_different_secret_never_reuses_the_token(http, tokens, make_client, cache_dir):
    make_client(token_cache_dir=cache_dir).access_token()
    assert make_client(token_cache_dir=cache_dir, client_secret="other").access_token() == "tok-2"
    assert tokens.issued == 2
    # each has its own entry, and the right secret still finds its own token
    assert cache_of(cache_dir).read()["token"]["access_token"] == "tok-1"
    assert cache_of(cache_dir, secret="other").read()["token"]["access_token"] == "tok-2"


def test_a_wrong_secret_fails_and_leaves_the_good_entry_alone(http, tokens, make_client, cache_dir):
    make_client(token_cache_dir=cache_dir).access_token()
    http.post(TOKEN_URL, status_code=401, json={"error": "invalid_client", "error_description": "Bad secret"})
    with pytest.raises(AcronisAPIError) as info:
        make_client(token_cache_dir=cache_dir, client_secret="wrong").access_token()
    assert info.value.status == 401
    assert cache_of(cache_dir).read()["token"]["access_token"] == "tok-1"
    assert cache_of(cache_dir, secret="wrong").read() is None


# ------------------------------------------------------------------------ reuse, renewal

def test_second_client_reuses_the_cached_token_without_any_request(http, tokens, make_client, cache_dir):
    make_client(token_cache_dir=cache_dir).access_token()
    calls = http.call_count
    assert make_client(token_cache_dir=cache_dir).access_token() == "tok-1"
    assert http.call_count == calls == 1


@pytest.mark.parametrize("left, renewed", [
    (3600, False),
    (901, False),
    (899, True),
    (0, True),
    (-3600, True),
])
def test_cached_token_near_expiry_is_renewed(http, tokens, make_client, cache_dir, left, renewed):
    cache_of(cache_dir).write({"token": {"access_token": "cached", "expires_on": NOW + left}})
    token = make_client(token_cache_dir=cache_dir).access_token()
    assert token == ("tok-1" if renewed else "cached")
    assert tokens.issued == (1 if renewed else 0)
    assert cache_of(cache_dir).read()["token"]["access_token"] == token


def test_cached_token_and_configurable_margin(http, tokens, make_client, cache_dir):
    cache_of(cache_dir).write({"token": {"access_token": "cached", "expires_on": NOW + 300}})
    assert make_client(token_cache_dir=cache_dir, token_renew_margin=120).access_token() == "cached"
    assert make_client(token_cache_dir=cache_dir, token_renew_margin=600).access_token() == "tok-1"


@pytest.mark.parametrize("content", ["", "{", "not json", '{"token": "x"}', '{"token": {"expires_on": 1}}',
                                     '{"token": {"access_token": "a", "expires_on": "soon"}}'])
def test_corrupt_cache_file_means_a_new_token(http, tokens, make_client, cache_dir, content):
    entry = cache_of(cache_dir)
    os.makedirs(cache_dir)
    with open(entry.path, "w") as handle:
        handle.write(content)
    assert make_client(token_cache_dir=cache_dir).access_token() == "tok-1"
    assert entry.read()["token"]["access_token"] == "tok-1"


def test_no_cache_dir_means_no_file(http, tokens, make_client, tmp_path):
    make_client(token_cache_dir=None).access_token()
    make_client(token_cache_dir=None).access_token()
    assert tokens.issued == 2
    assert os.listdir(str(tmp_path)) == []


# ------------------------------------------------------------------ client tenant id

def test_client_tenant_id_is_cached_beside_the_token(http, tokens, make_client, cache_dir):
    http.get(API + "/clients/cid", json={"client_id": "cid", "tenant_id": CLIENT_TENANT})
    first = make_client(token_cache_dir=cache_dir)
    assert first.client_tenant_id() == CLIENT_TENANT
    assert first.client_tenant_id() == CLIENT_TENANT
    assert [r.path for r in http.request_history] == ["/api/2/idp/token", "/api/2/clients/cid"]

    second = make_client(token_cache_dir=cache_dir)
    assert second.client_tenant_id() == CLIENT_TENANT
    assert http.call_count == 2              # no token, no GET /clients
    assert cache_of(cache_dir).read()["client_tenant_id"] == CLIENT_TENANT


def test_client_tenant_id_survives_token_renewal(http, tokens, make_client, cache_dir, clock):
    http.get(API + "/clients/cid", json={"tenant_id": CLIENT_TENANT})
    make_client(token_cache_dir=cache_dir).client_tenant_id()
    clock.advance(7200)
    later = make_client(token_cache_dir=cache_dir)
    assert later.client_tenant_id() == CLIENT_TENANT
    assert tokens.issued == 2
    assert len([r for r in http.request_history if r.path == "/api/2/clients/cid"]) == 1


def test_client_tenant_id_without_cache_asks_once(http, tokens, make_client):
    http.get(API + "/clients/cid", json={"tenant_id": CLIENT_TENANT})
    client = make_client()
    assert client.client_tenant_id() == CLIENT_TENANT
    assert client.client_tenant_id() == CLIENT_TENANT
    assert http.call_count == 2


# ------------------------------------------------------------------ parallel processes

class _ThreadingHTTPServer(ThreadingMixIn, HTTPServer):
    daemon_threads = True


class _TokenHandler(BaseHTTPRequestHandler):
    """POST /api/2/idp/token: counts issues, and takes its time so that racing forks overlap."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path != "/api/2/idp/token":
            self.send_error(404)
            return
        with self.server.lock:
            self.server.issued += 1
            number = self.server.issued
        time.sleep(0.3)
        body = json.dumps({"access_token": "process-token-%d" % number, "token_type": "bearer",
                           "expires_on": int(time.time()) + 7200}).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if not self.path.startswith("/api/2/clients/"):
            self.send_error(404)
            return
        with self.server.lock:
            self.server.client_reads += 1
        time.sleep(0.3)
        body = json.dumps({"id": "cid", "tenant_id": "tenant-of-the-client"}).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):   # keep pytest output clean
        pass


@pytest.fixture
def token_server():
    server = _ThreadingHTTPServer(("127.0.0.1", 0), _TokenHandler)
    server.lock = threading.Lock()
    server.issued = 0
    server.client_reads = 0
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _fork_context():
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method")
    return multiprocessing.get_context("fork")


def _ask(base_url, cache_dir, question, barrier, results):
    """In a forked process: one client asks ``question`` (a method name) once all the forks are ready."""
    try:
        client = AcronisClient(base_url, client_id="cid", client_secret="secret", token_cache_dir=cache_dir,
                               backoff_retries=0, timeout=10)
        barrier.wait(10)
        results.put(("ok", getattr(client, question)()))
    except Exception as exc:  # pylint: disable=broad-except
        results.put(("error", repr(exc)))


def _ask_in_forks(base_url, cache_dir, question):
    """PROCESSES forks that start together each ask ``question``: their answers and exit codes."""
    context = _fork_context()
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [context.Process(target=_ask, args=(base_url, cache_dir, question, barrier, results))
                 for dummy in range(PROCESSES)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=30) for dummy in range(PROCESSES)]
    for process in processes:
        process.join(10)
    return outcomes, [p.exitcode for p in processes]


@pytest.mark.parametrize("initial", ["empty", "near_expiry"])
def test_parallel_processes_share_one_token(token_server, cache_dir, initial):
    base_url = "http://127.0.0.1:%d" % token_server.server_address[1]
    if initial == "near_expiry":
        TokenCache(cache_dir, base_url, "cid", "secret").write(
            {"token": {"access_token": "old", "expires_on": int(time.time()) + 60}})
    outcomes, exitcodes = _ask_in_forks(base_url, cache_dir, "access_token")
    assert outcomes == [("ok", "process-token-1")] * PROCESSES
    assert token_server.issued == 1
    assert exitcodes == [0] * PROCESSES


def test_parallel_processes_read_the_client_s_tenant_once(token_server, cache_dir):
    """Forks that start together (one customer per inventory host) ask GET /clients/{id} once in all."""
    base_url = "http://127.0.0.1:%d" % token_server.server_address[1]
    outcomes, exitcodes = _ask_in_forks(base_url, cache_dir, "client_tenant_id")
    assert outcomes == [("ok", "tenant-of-the-client")] * PROCESSES
    assert token_server.client_reads == 1
    assert token_server.issued == 1
    assert exitcodes == [0] * PROCESSES


def _rewrite(cache_dir, rounds, started):
    entry = TokenCache(cache_dir, BASE_URL, "cid", "secret")
    started.set()
    for number in range(rounds):
        # a large entry, so that a non-atomic write would be caught half done
        entry.write({"token": {"access_token": "t%d" % number, "expires_on": NOW}, "padding": "x" * (64 * 1024 + number)})


def test_readers_never_see_a_half_written_file(cache_dir):
    context = _fork_context()
    entry = TokenCache(cache_dir, BASE_URL, "cid", "secret")
    entry.write({"token": {"access_token": "first", "expires_on": NOW}})
    started = context.Event()
    writer = context.Process(target=_rewrite, args=(cache_dir, 150, started))
    writer.start()
    started.wait(10)
    reads, bad = 0, []
    while writer.is_alive() or reads == 0:
        with open(entry.path) as handle:
            text = handle.read()
        reads += 1
        try:
            json.loads(text)
        except ValueError:
            bad.append(len(text))
    writer.join(30)
    assert writer.exitcode == 0
    assert bad == []
    assert reads > 10
    assert entry.read()["token"]["access_token"] == "t149"


# ------------------------------------------------------------------ unusable cache

def test_unusable_cache_dir_costs_a_token_not_the_task(http, tokens, make_client, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text(u"a file where the cache directory should be")
    http.get(API + "/clients/cid", json={"tenant_id": CLIENT_TENANT})
    client = make_client(token_cache_dir=str(blocker / "tokens"))
    assert client.access_token() == "tok-1"
    assert client.client_tenant_id() == CLIENT_TENANT
    assert client.access_token() == "tok-1"
    assert tokens.issued == 1


def test_cache_write_failure_keeps_the_issued_token(http, tokens, make_client, cache_dir, monkeypatch):
    def failing_write(self, entry):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(TokenCache, "write", failing_write)
    client = make_client(token_cache_dir=cache_dir)
    assert client.access_token() == "tok-1"
    assert client.access_token() == "tok-1"
    assert tokens.issued == 1
