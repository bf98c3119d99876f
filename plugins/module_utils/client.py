# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one HTTP client of the collection.

Everything that touches the network lives here: URLs, authentication, tokens
and their cache, retries, the error envelope, paging. Modules see parsed JSON
or an ``AcronisError``.

Retries are written here rather than delegated to urllib3's ``Retry`` because
they interact with two things urllib3 cannot know: a 401 renews the token
once before retrying, and a POST that creates must never be replayed blindly;
its caller must be told that the outcome is unknown.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import gzip
import hashlib
import os
import random
import time
import traceback

from urllib.parse import quote

try:
    import requests
    # The error of a connection that was never made (refused, no route): proof that a request never left.
    from urllib3.exceptions import NewConnectionError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.acronis.cyber_platform.plugins.module_utils.budget import RequestBudget
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisError,
    AcronisCheckModeWrite,
    AcronisOutcomeUnknown,
    AcronisTransportError,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.token_cache import TokenCache, default_cache_dir
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import not_a_data_center

# Keep in step with galaxy.yml (a unit test checks it).
COLLECTION_VERSION = "0.1.0"
USER_AGENT = "acronis.cyber_platform/%s (Ansible collection)" % COLLECTION_VERSION

API_PREFIX = "/api/2"
TOKEN_PATH = "/idp/token"
SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# What ``create`` says about an object it did not get from its own create's answer.
ADOPTED_LOST_ANSWER = "lost answer"        # ours: the create was carried out, its answer was lost
ADOPTED_OTHER_WRITER = "another writer"    # another writer created it first
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TENANT_SCOPE = "urn:acronis.com:tenant-id:%s"


class _Authorization(object):
    """A request's own Authorization header (None: no header), as a requests ``auth`` callable.

    Passed as ``auth`` on every request: requests puts a ``~/.netrc`` login on a request whose ``auth`` is
    unset, which would replace the bearer token (and add a login to the token exchange).
    """

    def __init__(self, value=None):
        self.value = value

    def __call__(self, request):
        if self.value is None:
            request.headers.pop("Authorization", None)
        else:
            request.headers["Authorization"] = self.value
        return request


def _retry_after_seconds(response):
    """Seconds the service asked us to wait, or None. Only the delta-seconds form is used by Acronis."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def transport_reason(exc, timeout=None):
    """What went wrong with a request that got no answer, in words: never the HTTP library's own text.

    That text ("HTTPConnectionPool(...): Max retries exceeded ... [Errno 111] ...") names classes and
    addresses of objects; the person running the task needs the cause and what to check.
    """
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return ("the TLS connection failed (the certificate could not be verified, or the server does not speak "
                "TLS); check base_url, or the CA bundle")
    if isinstance(exc, requests.exceptions.Timeout):
        return "no answer within the timeout of %s seconds; raise timeout or check the service" % timeout
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the connection broke while the answer was being read"
    lowered = text.lower()
    if any(word in lowered for word in ("name or service not known", "nodename nor servname", "getaddrinfo",
                                        "name resolution", "no address associated")):
        return "the host name could not be resolved; check base_url"
    if "refused" in lowered:
        return "the connection was refused (nothing listens at that address and port); check base_url"
    if "reset by peer" in lowered or "remotedisconnected" in lowered or "aborted" in lowered:
        return "the service closed the connection without an answer"
    if "unreachable" in lowered:
        return "the network is unreachable"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "the connection failed"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return "base_url is not a valid http:// or https:// URL"
    return "the request could not be sent"


def _never_left(exc):
    """True when a transport error proves the request never reached the server."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError)
    return False


def _not_the_token_endpoint(status, code, response):
    """What a reply to POST /idp/token shows that no data center answers, in words, or None.

    A data center answers the token request with JSON: a token, or an OAuth error (400/401). An HTML page is a web
    site (a portal, a proxy's page); a 404, 405 or 501 without the API's error code is a server without the
    token endpoint. A 5xx (other than 501) may be a passing failure of a real data center: left as it is.
    """
    content_type = (response.headers.get("Content-Type") or "").lower() if response is not None else ""
    text = (response.text or "").lstrip()[:20].lower() if response is not None else ""
    if status is not None and status >= 500 and status != 501:
        return None
    if "html" in content_type or text.startswith(("<!doctype", "<html", "<")):
        return "an HTML page (a web site, not the API)"
    if status in (404, 405, 501) and code in (None, status, str(status)):
        return "no token endpoint at that address"
    return None


def _decode(response):
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


# In-process execution runs every item of a loop in one worker process: the items share one HTTP session
# (keep-alive) and the token in memory through this registry. Keyed by process id as well, so a forked worker
# never uses a connection its parent opened.
_SHARED = {}


def shared_memory(root_url, client_id, client_secret, validate_certs):
    """The session and token memory this process keeps for one API client of one data center."""
    digest = hashlib.sha256(("%s\0%s" % (client_id, client_secret)).encode("utf-8")).hexdigest()
    key = (os.getpid(), root_url.rstrip("/"), digest, bool(validate_certs))
    return _SHARED.setdefault(key, {})


class AcronisClient:
    """A session with one Acronis data center, as one API client or one user."""

    def __init__(self, base_url, client_id=None, client_secret=None, login=None, password=None,
                 validate_certs=True, timeout=30, backoff_retries=8, backoff_delay=1.0,
                 backoff_max_delay=30.0, token_cache_dir=None, token_renew_margin=900,
                 read_only=False, user_agent=None, session=None, sleep=None, rng=None,
                 clock=None, memory=None, max_requests_per_second=None, max_concurrent_requests=None,
                 budget_dir=None, _scope_tenant_id=None, _parent=None):
        root = (base_url or "").rstrip("/")
        if root.endswith(API_PREFIX):
            root = root[:-len(API_PREFIX)]
        self.root_url = root
        self.client_id = client_id
        self._client_secret = client_secret
        self._basic = (login, password) if login is not None else None
        self.validate_certs = validate_certs
        self.timeout = timeout
        self.backoff_retries = backoff_retries
        self.backoff_delay = backoff_delay
        self.backoff_max_delay = backoff_max_delay
        self.token_renew_margin = token_renew_margin
        self.read_only = read_only
        self._sleep = sleep or time.sleep
        self._rng = rng or random.Random()
        self._clock = clock or time.time
        self._scope_tenant_id = _scope_tenant_id
        self._parent = _parent
        # ``memory`` (see shared_memory) outlives this client: the token and session of earlier loop items.
        self._memory = memory if memory is not None else {}
        self.stats = {"requests": 0, "writes": 0, "retries": 0, "tokens_issued": 0}
        # What this task's writes met from other writers, shared with the scoped clients it makes: the writes
        # carried out ("applied") and one sentence per change another writer made first ("other_writers").
        # (and, in "outcomes", what the task did about a change, where a note says more than the usual).
        self.concurrency = (_parent.concurrency if _parent is not None
                            else {"applied": 0, "other_writers": [], "outcomes": {}})
        if session is None:
            session = self._memory.get("session")
        if session is None:
            session = requests.Session()
            session.verify = validate_certs
            session.headers["User-Agent"] = user_agent or USER_AGENT
            self._memory["session"] = session
        self.session = session
        # The data center's request budget, shared with every process on this machine through ``budget_dir``
        # (module_utils/budget.py); a scoped client spends its parent's.
        if _parent is not None:
            self.budget = _parent.budget
        else:
            # (On the real clock, whatever ``clock`` and ``sleep`` say: other processes keep the same one.)
            self.budget = RequestBudget(budget_dir, self.root_url, max_requests_per_second, max_concurrent_requests)
        self._cache = None
        if token_cache_dir and client_id and client_secret and _scope_tenant_id is None:
            self._cache = TokenCache(token_cache_dir, self.root_url, client_id, client_secret)

    @property
    def _token(self):
        return self._memory.get("token")

    @_token.setter
    def _token(self, token):
        self._memory["token"] = token

    @property
    def _client_tenant_id(self):
        return self._memory.get("client_tenant_id")

    @_client_tenant_id.setter
    def _client_tenant_id(self, tenant_id):
        self._memory["client_tenant_id"] = tenant_id

    # ------------------------------------------------------------------ URLs

    @staticmethod
    def _expand(path, path_args):
        """The path template with its URL-quoted arguments filled in."""
        if path_args:
            path = path.format(**dict((k, quote(str(v), safe="")) for k, v in path_args.items()))
        return path

    def url(self, path, **path_args):
        """Absolute URL of an API path template; arguments are URL-quoted."""
        path = self._expand(path, path_args)
        if path.startswith("/api/"):
            return self.root_url + path
        return self.root_url + API_PREFIX + path

    # ---------------------------------------------------------------- tokens

    def _token_is_fresh(self, token):
        # A cache entry may hold anything (an older format, a hand edit): only a dict is a token.
        if not isinstance(token, dict) or not token.get("access_token"):
            return False
        try:
            expires_on = float(token.get("expires_on"))
        except (TypeError, ValueError):
            return False
        return expires_on - self._clock() > self.token_renew_margin

    @staticmethod
    def _is_stale(token, stale):
        return stale is not None and token["access_token"] == stale.get("access_token")

    def _issue_token(self):
        """POST /idp/token; returns the token reply (access_token, expires_on)."""
        if self._scope_tenant_id is not None:
            form = {
                "grant_type": JWT_BEARER_GRANT,
                "assertion": self._parent.access_token(),
                "scope": TENANT_SCOPE % self._scope_tenant_id,
            }
            auth = None
        else:
            form = {"grant_type": "client_credentials"}
            auth = (self.client_id, self._client_secret)
        try:
            response = self._send_once("POST", self.url(TOKEN_PATH), TOKEN_PATH, data=form, auth=auth,
                                       retry_safe=True, authenticate=False)
        except AcronisAPIError as exc:
            what = _not_the_token_endpoint(exc.status, exc.code, getattr(exc, "response", None))
            if what is None:
                raise
            raise AcronisError(not_a_data_center(self.root_url, exc.status, what)) from None
        body = _decode(response)
        if not isinstance(body, dict):
            raise AcronisError(not_a_data_center(self.root_url, response.status_code,
                                                 _not_the_token_endpoint(response.status_code, None, response)
                                                 or "a reply that is not the API's JSON")) from None
        if not body.get("access_token"):
            raise AcronisAPIError(response.status_code, "the token endpoint returned no access_token",
                                  method="POST", path=TOKEN_PATH)
        self.stats["tokens_issued"] += 1
        token = {"access_token": body["access_token"], "expires_on": body.get("expires_on")}
        if token["expires_on"] is None:
            token["expires_on"] = self._clock() + float(body.get("expires_in") or 0)
        return token

    def access_token(self, stale=None):
        """A token with more than the renewal margin left, from memory, the cache, or the service.

        ``stale`` is a token the service just refused: it is never returned again.
        """
        if self._token_is_fresh(self._token) and not self._is_stale(self._token, stale):
            return self._token["access_token"]
        if self._cache is not None:
            try:
                with self._cache.locked():
                    entry = self._cache.read() or {}
                    cached = entry.get("token")
                    if self._token_is_fresh(cached) and not self._is_stale(cached, stale):
                        self._token = cached
                    else:
                        self._token = self._issue_token()
                        entry["token"] = self._token
                        self._cache.write(entry)
                    if self._client_tenant_id is None:
                        self._client_tenant_id = entry.get("client_tenant_id")
                return self._token["access_token"]
            except (IOError, OSError):
                # (requests' own exceptions never get here: _send_once turns them into AcronisError.)
                # An unusable cache directory (read-only home, a file in the way, a full disk)
                # costs a token per task, never the task: carry on without the cache.
                self._cache = None
                if self._token_is_fresh(self._token) and not self._is_stale(self._token, stale):
                    return self._token["access_token"]
        self._token = self._issue_token()
        return self._token["access_token"]

    def client_tenant_id(self):
        """The tenant the API client belongs to (cached beside the token)."""
        if self._client_tenant_id is None:
            self.access_token()
        if self._client_tenant_id is None and self._cache is not None:
            try:
                # Forks that start together ask once: the first reads it, the others find it in the cache.
                with self._cache.locked(purpose=".client"):
                    self._client_tenant_id = (self._cache.read() or {}).get("client_tenant_id")
                    if self._client_tenant_id is None:
                        self._client_tenant_id = self._read_client_tenant_id()
                        with self._cache.locked():
                            entry = self._cache.read() or {}
                            entry["client_tenant_id"] = self._client_tenant_id
                            self._cache.write(entry)
            except (IOError, OSError):
                self._cache = None
        if self._client_tenant_id is None:
            self._client_tenant_id = self._read_client_tenant_id()
        return self._client_tenant_id

    def _read_client_tenant_id(self):
        return self.get("/clients/{client_id}", client_id=self.client_id)["tenant_id"]

    def scoped(self, tenant_id):
        """A client whose token is exchanged for one scoped to a customer tenant."""
        return AcronisClient(
            self.root_url, client_id=self.client_id, client_secret=self._client_secret,
            validate_certs=self.validate_certs, timeout=self.timeout, backoff_retries=self.backoff_retries,
            backoff_delay=self.backoff_delay, backoff_max_delay=self.backoff_max_delay,
            token_renew_margin=self.token_renew_margin, read_only=self.read_only,
            session=self.session, sleep=self._sleep, rng=self._rng, clock=self._clock,
            _scope_tenant_id=tenant_id, _parent=self,
        )

    # -------------------------------------------------------------- requests

    def _backoff(self, attempt):
        """Jittered exponential delay before retry number ``attempt`` (1-based)."""
        ceiling = min(self.backoff_max_delay, self.backoff_delay * (2 ** (attempt - 1)))
        return ceiling / 2.0 + self._rng.uniform(0, ceiling / 2.0)

    def _after(self, retry_after):
        """The delay for a reply with Retry-After: never sooner, and jittered after it.

        Forks throttled together are told the same Retry-After; the jitter (up to half of it, at least
        ``backoff_delay``, within ``backoff_max_delay``) spreads their retries apart.
        """
        spread = max(self.backoff_delay, retry_after / 2.0)
        return min(retry_after + self._rng.uniform(0, spread), max(retry_after, self.backoff_max_delay))

    def _send_once(self, method, url, path, params=None, json_body=None, data=None, auth=None,
                   retry_safe=True, authenticate=True, allow_redirects=True, headers=None):
        """Send one logical request, with retries, token renewal and error mapping."""
        renewed = False
        stale = None
        attempt = 0
        lost = False        # an earlier attempt may have been carried out: its answer never came
        while True:
            request_auth = auth or _Authorization()
            if authenticate:
                if self._basic is not None:
                    request_auth = self._basic
                else:
                    request_auth = _Authorization("Bearer " + self.access_token(stale=stale))
            self.stats["requests"] += 1
            if method not in SAFE_METHODS and path != TOKEN_PATH:
                self.stats["writes"] += 1
            try:
                # verify is passed on every request: requests lets REQUESTS_CA_BUNDLE or
                # CURL_CA_BUNDLE override a session-level verify=False (psf/requests#3829).
                with self.budget.request():
                    response = self.session.request(method, url, params=params, json=json_body, data=data,
                                                    headers=headers, auth=request_auth, timeout=self.timeout,
                                                    verify=self.validate_certs, allow_redirects=allow_redirects)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                # ChunkedEncodingError: the connection broke while the reply was being read.
                if not retry_safe and not _never_left(exc):
                    raise AcronisOutcomeUnknown(
                        "the connection failed after the request was sent (%s); "
                        "it may or may not have been carried out" % transport_reason(exc, self.timeout),
                        method=method, path=path)
                lost = lost or not _never_left(exc)
                attempt += 1
                if attempt > self.backoff_retries:
                    raise AcronisTransportError("could not reach %s after %d attempts: %s"
                                                % (self.root_url, attempt, transport_reason(exc, self.timeout)),
                                                method=method, path=path)
                self.stats["retries"] += 1
                self._sleep(self._backoff(attempt))
                continue
            except requests.exceptions.RequestException as exc:
                # Nothing a retry would mend (a base_url without https://, an invalid URL, ...).
                raise AcronisTransportError("could not send the request to %s: %s"
                                            % (self.root_url, transport_reason(exc, self.timeout)),
                                            method=method, path=path)

            status = response.status_code
            if status == 401 and authenticate and self._basic is None and not renewed:
                # The token may have been revoked or expired early: renew once, retry once.
                renewed = True
                stale = self._token
                continue
            if status in RETRY_STATUSES:
                if not retry_safe and status != 429:
                    # A gateway error says nothing about whether the write was done.
                    raise AcronisOutcomeUnknown(
                        "the service answered HTTP %d after the request was sent; "
                        "it may or may not have been carried out" % status,
                        method=method, path=path)
                lost = lost or status != 429
                attempt += 1
                if attempt <= self.backoff_retries:
                    retry_after = _retry_after_seconds(response)
                    if retry_after is not None and retry_after > self.backoff_max_delay:
                        raise AcronisTransportError(
                            "the service answered HTTP %d and asked to wait %g s before trying again "
                            "(Retry-After), longer than backoff_max_delay (%g s); try again later or raise "
                            "backoff_max_delay" % (status, retry_after, self.backoff_max_delay),
                            method=method, path=path)
                    self.stats["retries"] += 1
                    if status == 429 and retry_after:
                        # Too many requests from this machine, not from this worker: every process waits.
                        self.budget.pause(retry_after)
                    self._sleep(self._backoff(attempt) if retry_after is None else self._after(retry_after))
                    continue
            if status < 400 and method not in SAFE_METHODS and path != TOKEN_PATH:
                self.concurrency["applied"] += 1
            if status >= 400:
                error = AcronisAPIError.from_reply(status, _decode(response), response.text, method, path,
                                                   reason=response.reason)
                error.after_lost_attempt = lost
                error.response = response  # what the token request reads to tell a data center from a web server
                raise error
            return response

    def request(self, method, path, params=None, json=None, idempotent=None, allow_redirects=True, **path_args):
        """Send a request to an API path template and return the ``requests`` response.

        ``allow_redirects=False`` returns a 3xx answer as it is (its ``Location`` is the result, as for
        the service-user login of the Application Manager).
        """
        method = method.upper()
        # Errors name the path that was requested (/tenants/5c1d...), not its template.
        path = self._expand(path, path_args)
        if method not in SAFE_METHODS and self.read_only:
            raise AcronisCheckModeWrite("refusing to send a write request in check mode", method=method, path=path)
        if idempotent is None:
            idempotent = method != "POST"
        return self._send_once(method, self.url(path), path, params=params, json_body=json,
                               retry_safe=idempotent, allow_redirects=allow_redirects)

    def get(self, path, params=None, **path_args):
        return _decode(self.request("GET", path, params=params, **path_args))

    def get_or_none(self, path, params=None, **path_args):
        """GET that treats 404 as an ordinary answer: the object does not exist."""
        try:
            return self.get(path, params=params, **path_args)
        except AcronisAPIError as exc:
            if exc.not_found:
                return None
            raise

    def post(self, path, json=None, params=None, idempotent=False, **path_args):
        return _decode(self.request("POST", path, params=params, json=json, idempotent=idempotent, **path_args))

    def put(self, path, json=None, params=None, **path_args):
        return _decode(self.request("PUT", path, params=params, json=json, **path_args))

    def patch(self, path, json=None, params=None, **path_args):
        return _decode(self.request("PATCH", path, params=params, json=json, **path_args))

    def delete(self, path, params=None, missing_ok=False, what=None, **path_args):
        """DELETE; with ``missing_ok`` a 404 means it is already gone and returns False.

        A 404 to a retry whose first attempt lost its answer is our own delete, carried out: True. Callers
        delete what they have just read, so an object already gone was deleted by another writer: noted
        (``what``: the sentence of the warning).
        """
        try:
            self.request("DELETE", path, params=params, **path_args)
        except AcronisAPIError as exc:
            if exc.not_found and exc.after_lost_attempt:
                return True
            if missing_ok and exc.not_found:
                self.note_other_writer(what or "deleted %s" % self._expand(path, path_args))
                return False
            raise
        return True

    # ------------------------------------------------------- other writers

    def note_other_writer(self, what, outcome=None):
        """Record that another writer made the change ``what`` first (the module warns once per sentence);
        ``outcome`` says what the task did about it, when that is more than "read it again, not done twice"."""
        if what not in self.concurrency["other_writers"]:
            self.concurrency["other_writers"].append(what)
        if outcome:
            self.concurrency["outcomes"][what] = outcome

    def settle(self, what, write, reread, done, stale=None):
        """A write that another writer may have got to first, resolved by reading, like a lost answer.

        ``write(fresh)`` sends the write and returns its answer: ``fresh`` is None the first time, then the
        object as just read, whose version (and fields the task does not name) the write must build on.
        When the service refuses it because another writer was first (409: a version outdated, a name or a
        login taken, already applied), ``reread()`` reads the object again (None: it is gone) and
        ``done(fresh)`` says whether it already is what the task asks:

        - it is: the fresh object is returned, and another writer's change is noted (``what``), unless the
          refusal followed a lost answer of our own (then the change was ours);
        - it is not, and the refusal was an outdated version (409/1001), or one ``stale(error)`` says the write
          was built on a read no longer true (a part of the object another writer removed): the write is sent
          again on the fresh read, after a jittered backoff, at most ``backoff_retries`` times;
        - it is not, and the refusal was anything else (a name taken by another object), or the object is
          gone, or the retries ran out: the refusal is raised, for the caller to name the conflict.

        Returns ``(answer, settled)``: the write's answer, or the fresh object when it was already done.
        """
        fresh = None
        attempt = 0
        while True:
            try:
                return write(fresh), False
            except AcronisAPIError as exc:
                rebuild = exc.outdated or (stale is not None and stale(exc))
                if not (exc.conflict or rebuild):
                    raise
                fresh = reread()
                if fresh is not None and done(fresh):
                    if not exc.after_lost_attempt:
                        self.note_other_writer(what)
                    return fresh, True
                attempt += 1
                if fresh is None or not rebuild or attempt > self.backoff_retries:
                    raise
            self.stats["retries"] += 1
            self._sleep(self._backoff(attempt))

    def keep_one(self, what, ours, same, delete):
        """After creating an object whose name the API does not keep unique: ONE of the same identity is kept.

        Two writers creating the same object at the same moment (two jobs, the console) each get a 201, and
        the world then holds two objects that every later run refuses as ambiguous. ``same`` is the list, as
        the API gives it right after our create, of the objects that match the task's identity (the plan's
        name in the tenant, the report's schedule and kind); ``ours`` is the one this create made.

        The tie-break is the collection's, the same in every job that reads the list: the oldest by
        ``created_at`` (where the API gives it), then the first in the API's own order. When ours is kept,
        the other objects are left alone: each belongs to its writer, whose task removes it by this same rule
        (a console user's object is theirs to remove). When another is kept, ours is removed with
        ``delete(ours)`` (only ever ours: the other writer's object may already be applied, scheduled,
        used), and the kept one is returned for the task to compare and update like an object found.

        Returns the object kept (``ours`` itself when ours is kept); both cases are noted as another writer's.
        """
        if len(same) < 2:
            return ours
        ranked = sorted(enumerate(same), key=lambda pair: (pair[1].get("created_at") or "", pair[0]))
        kept = ranked[0][1]
        others = ", ".join(o["id"] for o in same if o["id"] != kept["id"] and o["id"] != ours["id"])
        if kept["id"] == ours["id"]:
            self.note_other_writer("another writer created the same %s at the same moment (%s); kept ours (%s), "
                                   "the older one, and left the other to its writer" % (what, others, ours["id"]))
            return ours
        if any(o["id"] == ours["id"] for o in same):
            delete(ours)
            self.note_other_writer("another writer created the same %s at the same moment; kept the older one "
                                   "(%s), removed ours (%s)" % (what, kept["id"], ours["id"]))
        else:
            self.note_other_writer("another writer created the same %s at the same moment and ours (%s) is "
                                   "already gone; kept the older one (%s)" % (what, ours["id"], kept["id"]))
        return kept

    def create(self, path, json, find, params=None, what=None, outcome=None, **path_args):
        """POST that creates one object; a lost answer is resolved by reading, never by guessing.

        ``find()`` looks the object up authoritatively (not through the search index, which lags) and
        returns it or None. When a create's outcome is unknown, an object found is adopted, and an object
        absent is created again, within the retry budget. A conflict answered to such a second attempt
        means the first one was carried out after all: the object is read and adopted.

        A conflict answered to a first attempt means another writer created it first (the same name, the same
        login): the object found is adopted and another writer's create noted; none found means the name is
        held by something this lookup cannot see (another tenant, another kind of object): the conflict is
        raised for the caller to name it.

        Returns ``(answer, adopted)``: the service's answer to the create and False, or the object found and
        why it was adopted (``ADOPTED_LOST_ANSWER``, ``ADOPTED_OTHER_WRITER``; both true).
        """
        unknown = 0
        while True:
            try:
                return self.post(path, json=json, params=params, **path_args), False
            except AcronisOutcomeUnknown:
                unknown += 1
            except AcronisAPIError as exc:
                if not exc.conflict:
                    raise
                found = find()
                if found is None:
                    raise
                if unknown or exc.after_lost_attempt:
                    return found, ADOPTED_LOST_ANSWER
                self.note_other_writer(what or "created %s" % self._expand(path, path_args), outcome)
                return found, ADOPTED_OTHER_WRITER
            found = find()
            if found is not None:
                return found, ADOPTED_LOST_ANSWER
            if unknown > self.backoff_retries:
                raise AcronisTransportError("the service did not confirm the create after %d attempts, and the "
                                            "object is absent; try again later" % unknown, method="POST",
                                            path=self._expand(path, path_args))
            self.stats["retries"] += 1
            self._sleep(self._backoff(unknown))

    def paginate(self, path, params=None, **path_args):
        """Iterate over the items of a cursor-paged list (``paging.cursors.after``).

        The cursor carries the filters, so later pages send only the cursor and
        the page size, as the service expects.
        """
        params = dict(params or {})
        page_params = params
        seen_cursors = set()
        while True:
            body = self.get(path, params=page_params, **path_args) or {}
            items = body.get("items") or []
            yield from items
            cursor = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            if not cursor or not items:
                return
            if cursor in seen_cursors:
                # A cursor that comes back would page forever; the service promises progress.
                raise AcronisTransportError("the service returned the paging cursor %r twice" % cursor,
                                            method="GET", path=self.url(path, **path_args)[len(self.root_url):])
            seen_cursors.add(cursor)
            page_params = dict((k, v) for k, v in params.items() if k in ("limit", "lod"))
            page_params["after"] = cursor

    def upload(self, path, data, content_type, params=None, idempotent=False, **path_args):
        """POST raw bytes (a file) as ``content_type``; the parsed answer. Refused in check mode like any write."""
        path = self._expand(path, path_args)
        if self.read_only:
            raise AcronisCheckModeWrite("refusing to send a write request in check mode", method="POST", path=path)
        return _decode(self._send_once("POST", self.url(path), path, params=params, data=data,
                                       headers={"Content-Type": content_type}, retry_safe=idempotent))

    def download(self, path, **path_args):
        """The raw bytes of a file the API serves, decompressed if it was gzipped."""
        content = self.request("GET", path, **path_args).content
        if content[:2] == b"\x1f\x8b":
            content = gzip.decompress(content)
        return content


def client_from_options(get_option, read_only=False, shared=False, **overrides):
    """The client the connection options describe: the one way modules and the inventory plugin build it.

    ``get_option(name)`` gives an option of the ``connection`` doc fragment: ``module.params.get`` for a module,
    a plugin's own ``get_option``. ``read_only``: every write raises ``AcronisCheckModeWrite`` (check mode, the
    inventory). ``shared``: the session and token live in this process's memory, shared with every client of
    the same API client (``shared_memory``; a module's worker runs many tasks). ``overrides`` replace the
    arguments given to ``AcronisClient`` (``login`` and ``password`` instead of the API client).
    """
    cache_dir = None
    if get_option("token_cache"):
        cache_dir = get_option("token_cache_dir") or default_cache_dir()
    options = dict(
        client_id=get_option("client_id"),
        client_secret=get_option("client_secret"),
        validate_certs=get_option("validate_certs"),
        timeout=get_option("timeout"),
        backoff_retries=get_option("backoff_retries"),
        backoff_delay=get_option("backoff_delay"),
        backoff_max_delay=get_option("backoff_max_delay"),
        token_cache_dir=cache_dir,
        token_renew_margin=get_option("token_renew_margin"),
        read_only=read_only,
        max_requests_per_second=get_option("max_requests_per_second"),
        max_concurrent_requests=get_option("max_concurrent_requests"),
        # The budget holds no secret: it is shared through the token cache's directory even with the cache off.
        budget_dir=get_option("token_cache_dir") or default_cache_dir(),
    )
    options.update(overrides)
    if shared and options.get("login") is None and options["client_id"] and options["client_secret"]:
        options["memory"] = shared_memory(get_option("base_url"), options["client_id"], options["client_secret"],
                                          options["validate_certs"])
    return AcronisClient(get_option("base_url"), **options)
