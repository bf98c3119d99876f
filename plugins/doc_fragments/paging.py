# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The one paging shape of the info modules that list (plugins/module_utils/paging.py): a bound, whether it cut
    # the list, and, where the service pages by cursor, where to continue.
    DOCUMENTATION = r'''
options:
  limit:
    description:
      - The most items to return, from 1 to 10000. Every read is bounded by it; RV(truncated) says whether more
        items matched.
    type: int
    default: 100
notes:
  - "Paging, the same in every info module that lists: O(limit) bounds what one task returns and reads, and the result
    says RV(truncated=true) when more items matched. To get the rest, raise O(limit) or narrow the filters; the
    modules whose service pages by cursor (agents, tasks, activities, alerts) also return a cursor to continue from."
'''

    # For the modules whose service pages by cursor (Agent Manager, Task Manager, Alert Manager).
    CURSOR = r'''
options:
  after:
    description:
      - Continue a listing where an earlier run stopped - its RV(next_cursor), returned when RV(truncated) is true.
      - The cursor carries the filters and the order of the first run, so do not set them with it; O(limit)
        applies to this run.
    type: str
notes:
  - "Paging by cursor: RV(next_cursor) is where the listing stopped when RV(truncated) is true, null otherwise; pass it
    as O(after) to read the next O(limit) items. The cursor carries the filters of the first run."
'''
