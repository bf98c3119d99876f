# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The one rule for state=absent with fields to set (plugins/module_utils/validation.py, check_state_absent).
    DOCUMENTATION = r'''
options: {}
notes:
  - With O(state=absent), the options that set fields of the object (those the description of O(state) lists) are
    refused before any request, in check mode too, and the failure names them; a deletion sets nothing, so such a
    task is a mistake (a task copied from a V(present) one, a forgotten O(state)). Remove them, or set
    O(state=present). The same rule holds in every module of the collection.
'''
