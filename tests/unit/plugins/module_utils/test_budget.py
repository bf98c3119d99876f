# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The request budget of a data center: its rate, its concurrency and Retry-After pauses, on a fake clock, and
shared by processes through its directory."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json
import multiprocessing
import os
import time

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import budget as budget_module
from ansible_collections.acronis.cyber_platform.plugins.module_utils.budget import RequestBudget
from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import client_from_options
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import API, BASE_URL, NOW

GUARD = budget_module.GUARD


class Time:
    """A clock that moves only when the code under test sleeps; records the starts it allows."""

    def __init__(self, now=NOW):
        self.now = now
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def starts_of(budget, fake, n):
    """The clock readings at which ``n`` requests, sent one after another, started."""
    starts = []
    for _request in range(n):
        with budget.request():
            starts.append(fake.now)
    return starts


def most_within(starts, seconds):
    """The most starts that fit in any window of ``seconds`` (half-open: a start exactly ``seconds`` later is out)."""
    ordered = sorted(starts)
    return max(sum(1 for t in ordered[i:] if t < first + seconds) for i, first in enumerate(ordered))


@pytest.fixture
def fake():
    return Time()


def make(directory, fake, per_second=None, concurrent=None, root_url=BASE_URL):
    return RequestBudget(directory, root_url, per_second, concurrent, clock=fake.clock, sleep=fake.sleep)


# ------------------------------------------------------------------------------ rate

def test_five_per_second_start_at_once_then_wait_for_the_window(tmp_path, fake):
    starts = starts_of(make(str(tmp_path), fake, per_second=5), fake, 12)
    assert starts[:5] == [NOW] * 5
    # The sixth waits until the first is a window (one second and the guard) old, and so on.
    assert starts[5] == pytest.approx(NOW + 1 + GUARD)
    assert starts[10] == pytest.approx(NOW + 2 * (1 + GUARD))
    assert most_within(starts, 1.0) == 5


def test_the_rate_is_shared_by_every_budget_of_the_directory(tmp_path, fake):
    """Two workers (two budgets on one directory) of one data center share five starts a second."""
    first, second = make(str(tmp_path), fake, per_second=5), make(str(tmp_path), fake, per_second=5)
    starts = starts_of(first, fake, 3) + starts_of(second, fake, 3)
    assert starts[:5] == [NOW] * 5
    assert starts[5] == pytest.approx(NOW + 1 + GUARD)


def test_each_data_center_has_its_own_budget(tmp_path, fake):
    one = make(str(tmp_path), fake, per_second=2, root_url="https://eu2-cloud.acronis.com")
    other = make(str(tmp_path), fake, per_second=2, root_url="https://us5-cloud.acronis.com")
    assert starts_of(one, fake, 2) + starts_of(other, fake, 2) == [NOW] * 4


def test_a_fraction_spaces_the_requests(tmp_path, fake):
    starts = starts_of(make(str(tmp_path), fake, per_second=0.5), fake, 3)
    assert starts == [NOW, pytest.approx(NOW + 2 + GUARD), pytest.approx(NOW + 2 * (2 + GUARD))]


def test_no_limit_never_waits(tmp_path, fake):
    assert starts_of(make(str(tmp_path), fake), fake, 50) == [NOW] * 50
    assert fake.slept == []


def test_a_torn_state_file_starts_afresh(tmp_path, fake):
    budget = make(str(tmp_path), fake, per_second=1)
    starts_of(budget, fake, 1)
    with open(budget.state_path, "w") as handle:
        handle.write('{"starts": [17')
    assert starts_of(budget, fake, 1) == [NOW]


def test_without_a_usable_directory_the_process_keeps_its_own_budget(tmp_path, fake):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    budget = make(str(blocker), fake, per_second=2, concurrent=1)
    starts = starts_of(budget, fake, 3)
    assert starts[:2] == [NOW, NOW]
    assert starts[2] == pytest.approx(NOW + 1 + GUARD)


# ------------------------------------------------------------------------------ Retry-After

def test_a_pause_holds_every_budget_of_the_data_center(tmp_path, fake):
    one, other = make(str(tmp_path), fake), make(str(tmp_path), fake)
    one.pause(7)
    assert starts_of(other, fake, 1) == [NOW + 7]


def test_a_shorter_pause_does_not_cut_a_longer_one(tmp_path, fake):
    budget = make(str(tmp_path), fake)
    budget.pause(7)
    budget.pause(2)
    assert starts_of(budget, fake, 1) == [NOW + 7]


def test_a_pause_of_another_data_center_does_not_hold_this_one(tmp_path, fake):
    make(str(tmp_path), fake, root_url="https://us5-cloud.acronis.com").pause(30)
    assert starts_of(make(str(tmp_path), fake), fake, 1) == [NOW]


def test_a_429_with_retry_after_pauses_the_data_center_for_other_clients(tmp_path, http, tokens):
    """The client that meets the 429 records the pause in the shared state, where every process reads it."""
    http.get(API + "/users/me", [{"status_code": 429, "headers": {"Retry-After": "9"}}, {"json": {}}])
    options = {"base_url": BASE_URL, "client_id": "cid", "client_secret": "secret", "validate_certs": True,
               "timeout": 5, "backoff_retries": 2, "backoff_delay": 1, "backoff_max_delay": 30, "token_cache": False,
               "token_cache_dir": str(tmp_path), "token_renew_margin": 60, "max_requests_per_second": 0,
               "max_concurrent_requests": 0}
    before = time.time()
    client = client_from_options(options.get, sleep=lambda seconds: None)
    client.get("/users/me")
    after = time.time()
    with open(client.budget.state_path) as handle:
        paused_until = json.load(handle)["paused_until"]
    assert before + 9 <= paused_until <= after + 9


# ------------------------------------------------------------------------------ concurrency

def test_a_request_waits_for_a_free_slot(tmp_path, fake):
    holding = contextlib.ExitStack()
    holding.enter_context(make(str(tmp_path), fake, concurrent=1).request())

    def sleep(seconds):
        fake.slept.append(seconds)
        holding.close()     # the other request ends while this one waits

    waiter = RequestBudget(str(tmp_path), BASE_URL, concurrent=1, clock=fake.clock, sleep=sleep)
    with waiter.request():
        pass
    assert len(fake.slept) == 1


class Waiting(Exception):
    pass


def _try_the_only_slot(directory, result):
    """In another process: "free" when the budget's one slot is free, "taken" when it would have to wait."""
    def sleep(seconds):
        raise Waiting()

    try:
        with RequestBudget(directory, BASE_URL, concurrent=1, sleep=sleep).request():
            result.put("free")
    except Waiting:
        result.put("taken")


def test_a_slot_is_held_across_processes_until_released(tmp_path):
    result = multiprocessing.Queue()
    with RequestBudget(str(tmp_path), BASE_URL, concurrent=1).request():
        process = multiprocessing.Process(target=_try_the_only_slot, args=(str(tmp_path), result))
        process.start()
        process.join(30)
        assert result.get(timeout=5) == "taken"
    process = multiprocessing.Process(target=_try_the_only_slot, args=(str(tmp_path), result))
    process.start()
    process.join(30)
    assert result.get(timeout=5) == "free"


# ------------------------------------------------------------------------------ processes

def _send(directory, per_second, concurrent, n, starts, in_flight, most):
    budget = RequestBudget(directory, BASE_URL, per_second, concurrent)
    for _request in range(n):
        with budget.request():
            starts.put(time.time())
            with in_flight.get_lock():
                in_flight.value += 1
                most.value = max(most.value, in_flight.value)
            time.sleep(0.01)
            with in_flight.get_lock():
                in_flight.value -= 1


def test_processes_share_the_rate_and_the_slots(tmp_path):
    """Eight processes of four requests each: never more than 10 starts within a second, nor 3 at once."""
    starts = multiprocessing.Queue()
    in_flight, most = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    processes = [multiprocessing.Process(target=_send, args=(str(tmp_path), 10, 3, 4, starts, in_flight, most))
                 for _process in range(8)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    seen = [starts.get(timeout=5) for _start in range(32)]
    assert most_within(seen, 1.0) <= 10
    assert 1 <= most.value <= 3
    assert all(process.exitcode == 0 for process in processes)
    assert os.path.isdir(os.path.join(str(tmp_path), "budget"))
