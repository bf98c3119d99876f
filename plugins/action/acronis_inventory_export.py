# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Runs the module in the task's worker process where that is the same as running it: see plugin_utils/direct.py.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.acronis.cyber_platform.plugins.plugin_utils.direct import ActionModule, preload  # noqa: F401 pylint: disable=unused-import

preload(__name__)
