# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Settings of every unit test of the collection."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest


def pytest_configure(config):
    # ansible-core 2.16 imports the crypt module (ansible.utils.encrypt), which Python 3.11 reports as deprecated
    # whenever a test imports an action plugin: a warning about ansible-core itself, which nobody here can act on.
    config.addinivalue_line("filterwarnings", "ignore:'crypt' is deprecated:DeprecationWarning")


@pytest.fixture(autouse=True)
def _private_cache_directory(monkeypatch, tmp_path_factory):
    """The default token cache directory, and the request budget's files in it, are the test's own.

    Without it, every client built from the connection options would share the request budget of the test's
    fake data center with every other test run on the machine (files under ~/.cache).
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
