# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""acronis_user's activation e-mail with activation_email=on_create, against a mocked HTTP layer: an e-mail whose
answer was lost is owed (noted next to the token cache) and sent once more by the next run that finds the user
not activated; never more than two requests per user; nothing owed to an activated user."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import random
import stat

import pytest
import requests_mock

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
from ansible_collections.acronis.cyber_platform.plugins.module_utils.token_cache import OwedActivationEmails
from ansible_collections.acronis.cyber_platform.plugins.modules import acronis_user as module_under_test

BASE_URL = "https://dc.example.test"
TOKEN_URL = BASE_URL + "/api/2/idp/token"
USER = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
EMAIL_URL = BASE_URL + "/api/2/users/%s/send-activation-email" % USER
LOST = {"status_code": 502, "json": {"error": {"code": 502, "message": "Bad Gateway"}}}
SENT = {"status_code": 204}


class FakeModule:
    """What the activation steps use of an AcronisModule: params, check_mode, client and warn."""

    def __init__(self, cache_dir, check_mode=False, **params):
        self.params = dict(login="jdoe-acme", activation_email="on_create", password=None, update_password="on_create",
                           token_cache=True, token_cache_dir=cache_dir)
        self.params.update(params)
        self.check_mode = check_mode
        self.warnings = []
        self.client = AcronisClient(BASE_URL, client_id="cid", client_secret="secret", read_only=check_mode,
                                    backoff_retries=2, sleep=lambda s: None, rng=random.Random(1),
                                    clock=lambda: 1700000000.0)

    def warn(self, message):
        self.warnings.append(message)


def user(activated=False):
    return {"id": USER, "login": "jdoe-acme", "activated": activated}


def one_run(cache_dir, created, activated=False, **params):
    """(sent, owed after, warnings) of the activation steps of one task run, as run() calls them."""
    module = FakeModule(cache_dir, **params)
    owed = module_under_test.owed_emails(module)
    module_under_test.ensure_email_owed(module, user(activated), created, owed)
    _user, sent, still_owed, _set = module_under_test.ensure_activated(module, user(activated), created, owed)
    return sent, still_owed, module.warnings


def emails(http):
    return [r for r in http.request_history if r.url == EMAIL_URL]


@pytest.fixture
def http():
    with requests_mock.Mocker() as mocker:
        mocker.post(TOKEN_URL, json={"access_token": "tok", "expires_on": 1700007200})
        yield mocker


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / "tokens")


def test_a_confirmed_email_is_sent_once_and_owes_nothing(http, cache_dir):
    http.post(EMAIL_URL, **SENT)
    assert one_run(cache_dir, created=True) == (True, False, [])
    assert one_run(cache_dir, created=False) == (False, False, [])
    assert len(emails(http)) == 1


def test_a_lost_answer_is_sent_again_by_the_next_run_only(http, cache_dir):
    http.post(EMAIL_URL, [LOST, SENT])
    sent, owed, warnings = one_run(cache_dir, created=True)
    assert (sent, owed) == (True, True)
    assert "next run sends it once more" in warnings[0]
    assert len(emails(http)) == 1                       # not replayed in the same run
    assert one_run(cache_dir, created=False) == (True, False, [])
    assert one_run(cache_dir, created=False) == (False, False, [])
    assert len(emails(http)) == 2


def test_never_more_than_two_requests_even_when_both_answers_are_lost(http, cache_dir):
    http.post(EMAIL_URL, **LOST)
    one_run(cache_dir, created=True)
    sent, owed, warnings = one_run(cache_dir, created=False)
    assert (sent, owed) == (True, False)
    assert "never gets more than two" in warnings[0]
    assert one_run(cache_dir, created=False)[0] is False
    assert len(emails(http)) == 2


def test_a_run_stopped_before_the_email_leaves_it_owed(http, cache_dir):
    module = FakeModule(cache_dir)
    module_under_test.ensure_email_owed(module, user(), True, module_under_test.owed_emails(module))
    # ... the task failed here (its roles, say): the next run, which does not create the user, sends the e-mail.
    http.post(EMAIL_URL, **SENT)
    assert one_run(cache_dir, created=False) == (True, False, [])
    assert len(emails(http)) == 1


def test_an_activated_user_is_owed_nothing(http, cache_dir):
    http.post(EMAIL_URL, **LOST)
    one_run(cache_dir, created=True)
    assert one_run(cache_dir, created=False, activated=True) == (False, False, [])
    assert one_run(cache_dir, created=False) == (False, False, [])
    assert len(emails(http)) == 1


def test_check_mode_predicts_an_owed_email_and_keeps_it_owed(http, cache_dir):
    http.post(EMAIL_URL, **LOST)
    one_run(cache_dir, created=True)
    module = FakeModule(cache_dir, check_mode=True)
    owed = module_under_test.owed_emails(module)
    _user, sent, _owed, _set = module_under_test.ensure_activated(module, user(), False, owed)
    assert sent is True
    assert owed.requests_made(USER) == 1
    assert len(emails(http)) == 1


def test_without_the_token_cache_a_lost_answer_is_only_warned_about(http, cache_dir):
    http.post(EMAIL_URL, **LOST)
    sent, owed, warnings = one_run(cache_dir, created=True, token_cache=False)
    assert (sent, owed) == (True, False)
    assert "until_activated" in warnings[0]
    assert not os.path.exists(cache_dir)
    assert one_run(cache_dir, created=False, token_cache=False)[0] is False


def test_owed_emails_are_private_files_keyed_by_data_center_and_user(cache_dir):
    here = OwedActivationEmails(cache_dir, BASE_URL)
    there = OwedActivationEmails(cache_dir, "https://other.example.test")
    here.owe(USER, "jdoe-acme", 1)
    assert here.requests_made(USER) == 1 and there.requests_made(USER) is None
    (name,) = os.listdir(here.directory)
    assert stat.S_IMODE(os.stat(here.directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(here.directory, name)).st_mode) == 0o600
    here.settle(USER)
    here.settle(USER)
    assert here.requests_made(USER) is None and os.listdir(here.directory) == []
