# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The info modules' one paging shape (doc fragment ``acronis.cyber_platform.paging``).

Options ``limit`` (the most items to return) and, where the service pages by cursor, ``after`` (continue an earlier
listing); results ``truncated`` (more matched than ``limit``) and ``next_cursor`` (the value for ``after``, null when
nothing follows). ``read_bounded`` reads such a list from the services that page with ``limit`` and
``paging.cursors.after`` (Agent Manager, Task Manager, Alert Manager): the cursor carries the filters and the
order, and the services send it only while more items follow, so a cursor at the limit means "truncated".
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, AcronisTransportError
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

DEFAULT_LIMIT = 100
MAX_LIMIT = 10000

# The argument spec and option kinds of the fragment's options, for the modules that extend it.
LIMIT_SPEC = dict(type="int", default=DEFAULT_LIMIT)
AFTER_SPEC = dict(type="str", no_log=False)
LIMIT_KIND = validation.count(1, MAX_LIMIT)


def read_bounded(client, path, params, limit, page_size, after=None, service="the service"):
    """(records, cursor): at most ``limit`` records, ``page_size`` per request, and the cursor of what follows
    (None after the last record).

    From the start with ``params`` (the filters), or from ``after`` alone: a continuation sends only the cursor
    and the page size. Never asks for ``limit=0``, which the services read as "no limit".
    """
    records = []
    cursor = after
    while len(records) < limit:
        size = min(page_size, limit - len(records))
        query = {"after": cursor, "limit": size} if cursor else dict(params, limit=size)
        body = client.get(path, params=query) or {}
        items = body.get("items") or []
        records.extend(items[:limit - len(records)])
        following = ((body.get("paging") or {}).get("cursors") or {}).get("after")
        if not following or not items:
            return records, None
        if following == cursor:
            # A cursor that comes back would page forever; the service promises progress.
            raise AcronisTransportError("%s returned the paging cursor %r twice" % (service, following),
                                        method="GET", path=path)
        cursor = following
    return records, cursor


def check_continuation(params, filters):
    """Refuse ``after`` beside any of ``filters``: the cursor carries the first run's filters and order, and the
    service ignores those sent with it, so a task that sets them would not get what it says."""
    if not params.get("after"):
        return
    given = [name for name in filters if params.get(name) not in (None, [])]
    if given:
        raise AcronisFailure("Option after continues an earlier listing with its own filters and order; do not set %s "
                             "with it (set them on the first run)." % ", ".join(given))
