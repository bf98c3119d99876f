# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Settings of every unit test of the collection."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def pytest_configure(config):
    # ansible-core 2.16 imports the crypt module (ansible.utils.encrypt), which Python 3.11 reports as deprecated
    # whenever a test imports an action plugin: a warning about ansible-core itself, which nobody here can act on.
    config.addinivalue_line("filterwarnings", "ignore:'crypt' is deprecated:DeprecationWarning")
