# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures shared by the unit tests of plugins/module_utils.

The HTTP layer is always mocked with requests-mock; time, sleeping and jitter
are injected into ``AcronisClient`` so that attempt counts and delays can be
asserted exactly, without ever waiting.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random

import pytest
import requests_mock

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient

BASE_URL = "https://dc.example.test"
TOKEN_URL = BASE_URL + "/api/2/idp/token"
API = BASE_URL + "/api/2"
NOW = 1700000000.0
TOKEN_TTL = 7200


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


class SleepRecorder:
    """Stands in for ``time.sleep``: records every delay, never waits."""

    def __init__(self):
        self.delays = []

    def __call__(self, seconds):
        self.delays.append(seconds)


class TokenService:
    """A mocked ``POST /api/2/idp/token`` that issues ``tok-1``, ``tok-2``, ... and counts them."""

    def __init__(self, mocker, clock, ttl=TOKEN_TTL):
        self.clock = clock
        self.ttl = ttl
        self.requests = []
        mocker.post(TOKEN_URL, json=self._reply)

    def _reply(self, request, context):
        self.requests.append(request)
        return {
            "access_token": "tok-%d" % len(self.requests),
            "token_type": "bearer",
            "expires_on": int(self.clock() + self.ttl),
            "id_token": "id",
        }

    @property
    def issued(self):
        return len(self.requests)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sleeps():
    return SleepRecorder()


@pytest.fixture
def http():
    """requests-mock with no real network: an unregistered URL raises NoMockAddress."""
    with requests_mock.Mocker() as mocker:
        yield mocker


@pytest.fixture
def tokens(http, clock):
    return TokenService(http, clock)


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / "tokens")


@pytest.fixture
def make_client(clock, sleeps):
    """Build an AcronisClient on the fake base URL with the fake clock, sleep and a seeded rng."""

    def factory(**kwargs):
        options = dict(
            client_id="cid",
            client_secret="secret",
            sleep=sleeps,
            clock=clock,
            rng=random.Random(20240501),
        )
        options.update(kwargs)
        base_url = options.pop("base_url", BASE_URL)
        return AcronisClient(base_url, **options)

    return factory


def api_calls(mocker):
    """The requests a mock received, token requests left out."""
    return [r for r in mocker.request_history if r.path != "/api/2/idp/token"]
