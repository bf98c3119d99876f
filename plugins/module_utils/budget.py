# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The request budget of one data center, shared by every process on the controller.

A playbook run sends its requests from many processes at once: one worker per fork, a module process per task
on the module path, the inventory plugin, a second job started beside the first. Acronis publishes no rate
limit, so the collection keeps its own, per data center (keyed by its root URL), in files of the token cache's
directory (``<directory>/budget/``) that every one of those processes sees:

- **rate**: at most ``per_second`` requests start in any window of one second (a sliding log of the last
  starts, in one JSON file read and written under an exclusive ``flock``). A fraction spaces them out: 0.5 is
  one request every two seconds.
- **concurrency**: at most ``concurrent`` requests are in flight: each request holds one of ``concurrent``
  slot files with a non-blocking ``flock`` while it is sent. The kernel releases a slot when its process dies,
  so a killed fork never strands the budget (a count kept in a file would).
- **pause**: a 429 whose ``Retry-After`` asks to wait pauses every process's next start until then, not only
  the worker that met it.

The clock is the wall clock (``time.time``), the one clock every process shares. No library of the Python
ecosystem does this across processes without a server (pyrate-limiter needs Redis or SQLite and a newer Python
than the managed node may have), hence these few lines.

When the directory cannot be used (read-only, full, a file in the way) the budget falls back to this process's
memory: the rate then holds per process, and the pause too.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import errno
import fcntl
import hashlib
import json
import math
import os
import random
import time

# The defaults, for a production data center whose limits Acronis does not publish, shared with other partners:
# conservative on purpose. 10 in flight is what the documented --forks 10 sends at most, so it holds back only
# more forks or a second job. 20 requests per second: the onboarding of 20 customers with --forks 10 against the
# simulator at 50 ms latency averages 14 per second and peaks at 52 in one second (17 s instead of 13 s with
# the cap); 50 customers average 32 per second (31.7 s instead of 14.0 s), tests/utils/request_budget.py.
DEFAULT_MAX_REQUESTS_PER_SECOND = 20.0
DEFAULT_MAX_CONCURRENT_REQUESTS = 10

# Added to the window of the rate: a request reaches the data center a little after it starts here, and not
# always equally late (a busy machine, a new connection), so starts spaced exactly one second apart could arrive
# less than a second apart. 0.1 s keeps the data center's own count within the limit at a cost of a tenth of the
# rate at most.
GUARD = 0.1

# How often a request that waits for a free slot looks again, in seconds (jittered up to twice as much).
SLOT_POLL = 0.02
# A clock that went back further than this (seconds) makes the recorded starts meaningless: they are dropped.
CLOCK_SKEW = 5.0


def _ensure_directory(directory):
    try:
        os.makedirs(directory, 0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            raise


class RequestBudget:
    """The rate, concurrency and pause of one data center's requests; ``with budget.request():`` around a send.

    ``per_second`` and ``concurrent``: 0 or None is no limit. ``directory``: where the shared files live
    (None: this process's memory only).
    """

    def __init__(self, directory, root_url, per_second=None, concurrent=None, clock=None, sleep=None, rng=None):
        self.per_second = float(per_second or 0)
        self.concurrent = int(concurrent or 0)
        self._clock = clock or time.time
        self._sleep = sleep or time.sleep
        self._rng = rng or random.Random()
        # The sliding log: at most ``count`` starts in any ``window`` seconds (count / window: per_second, less the
        # guard).
        self.count = max(1, int(math.floor(self.per_second))) if self.per_second > 0 else 0
        self.window = self.count / self.per_second + GUARD if self.per_second > 0 else 0.0
        self._memory = {}       # the state when there is no usable directory
        self.directory = None
        if directory:
            key = hashlib.sha256((root_url or "").rstrip("/").encode("utf-8")).hexdigest()[:40]
            self.directory = os.path.join(directory, "budget")
            self.state_path = os.path.join(self.directory, key + ".json")
            self.slot_path = os.path.join(self.directory, key + ".slot-%d")
        self.waited = 0.0       # seconds this process waited for the budget (rate, slots, pauses)
        self._directory_made = False

    def _usable_directory(self):
        """Whether the shared files can be used: the directory is made once per process (None: memory only)."""
        if self.directory is not None and not self._directory_made:
            try:
                _ensure_directory(self.directory)
                self._directory_made = True
            except (IOError, OSError):
                self.directory = None
        return self.directory is not None

    # ---------------------------------------------------------------- state

    @contextlib.contextmanager
    def _state(self):
        """The shared state ({"starts": [...], "paused_until": t}) under the lock, written back on exit."""
        fd = None
        if self._usable_directory():
            try:
                fd = os.open(self.state_path, os.O_RDWR | os.O_CREAT, 0o600)
            except (IOError, OSError):
                self.directory = None
        if fd is None:
            yield self._memory
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with os.fdopen(os.dup(fd), "r+") as handle:
                try:
                    state = json.loads(handle.read() or "{}")
                except ValueError:
                    state = {}      # a torn write of a process killed halfway: start afresh
                if not isinstance(state, dict):
                    state = {}
                before = json.dumps(state, sort_keys=True)
                yield state
                after = json.dumps(state, sort_keys=True)
                if after != before:
                    try:
                        handle.seek(0)
                        handle.truncate()
                        handle.write(after)
                        handle.flush()
                    except (IOError, OSError):
                        self.directory = None   # a full disk: this process keeps its own budget from now on
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _recent_starts(self, state, now):
        starts = state.get("starts")
        if not isinstance(starts, list):
            return []
        return [t for t in starts if isinstance(t, (int, float)) and now - self.window < t <= now + CLOCK_SKEW]

    def _wait_before_start(self, state, now):
        """Seconds to wait before a request may start now (0: it may), from the pause and the rate."""
        paused_until = state.get("paused_until")
        if isinstance(paused_until, (int, float)) and now < paused_until <= now + 3600:
            return paused_until - now
        if not self.count:
            return 0.0
        starts = self._recent_starts(state, now)
        if len(starts) < self.count:
            return 0.0
        return max(sorted(starts)[-self.count] + self.window - now, 0.001)

    def _start(self):
        """Wait until the pause is over and the rate allows a start; record it."""
        while True:
            with self._state() as state:
                now = self._clock()
                wait = self._wait_before_start(state, now)
                if wait <= 0:
                    if self.count:
                        state["starts"] = sorted(self._recent_starts(state, now) + [now])[-self.count:]
                    return
            self.waited += wait
            self._sleep(wait)

    def pause(self, seconds):
        """The data center asked to wait ``seconds`` (Retry-After): no process starts a request before then."""
        if not seconds or seconds <= 0:
            return
        with self._state() as state:
            until = self._clock() + seconds
            current = state.get("paused_until")
            if not isinstance(current, (int, float)) or current < until:
                state["paused_until"] = until

    # ---------------------------------------------------------------- slots

    def _take_slot(self):
        """The file descriptor of a free slot, held with flock until released; None without a limit."""
        if not self.concurrent or self.directory is None:
            return None
        first = self._rng.randrange(self.concurrent)
        while True:
            for offset in range(self.concurrent):
                try:
                    fd = os.open(self.slot_path % ((first + offset) % self.concurrent), os.O_RDWR | os.O_CREAT,
                                 0o600)
                except (IOError, OSError):
                    return None
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except (IOError, OSError):
                    os.close(fd)
            pause = SLOT_POLL * (1 + self._rng.random())
            self.waited += pause
            self._sleep(pause)

    @staticmethod
    def _release_slot(fd):
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextlib.contextmanager
    def request(self):
        """Hold a slot and a start of the rate for one request (the slot first: a start is the real start)."""
        if not (self.count or self.concurrent or self.directory is not None):
            yield
            return
        self._usable_directory()
        slot = self._take_slot()
        try:
            self._start()
            yield
        finally:
            self._release_slot(slot)
