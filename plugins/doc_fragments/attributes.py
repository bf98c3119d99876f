# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # Modules that change things: full check mode and diff mode.
    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    description: With C(--check), the module sends no write request and reports exactly whether it would change something.
    support: full
  diff_mode:
    description: With C(--diff), the module shows the fields it changes (or would change), before and after, with secrets masked.
    support: full
  action_group:
    description: Set its options for a whole play with C(module_defaults) and C(group/acronis.cyber_platform.acronis).
    support: full
    membership:
      - acronis.cyber_platform.acronis
'''

    # Modules that only read.
    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    description:
      - The module only reads, so it runs the same with or without C(--check).
      - One exception, in C(--check) only. An ID that an earlier task of the same check-mode run returned for an
        object it would create (a check-mode placeholder, C(00000000-0000-0000-c4ec-...)) names nothing the service
        knows yet. Given one, the module sends no request about it and returns what a new object has (no usage,
        no machines, no plans, no tasks, no alerts, no users, no agents...), with a warning that the result is a
        preview. Outside check mode, a placeholder ID is refused.
    support: full
  diff_mode:
    description: The module changes nothing, so it has no diff to show.
    support: N/A
  action_group:
    description: Set its options for a whole play with C(module_defaults) and C(group/acronis.cyber_platform.acronis).
    support: full
    membership:
      - acronis.cyber_platform.acronis
'''
