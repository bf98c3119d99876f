# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tenants' names as inventory host names (host patterns): the one rule of the ``tenants`` inventory plugin
(its ``hostname: slug``) and of ``acronis_inventory_export``, so that both name a tenant's host alike."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import unicodedata

# Host names that Ansible gives another meaning in a host pattern or an inventory: never a tenant's slug alone.
RESERVED_HOST_NAMES = ("all", "ungrouped", "localhost")
# The slug of a name that has no letter or digit of a-z, 0-9.
EMPTY_SLUG = "tenant"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name):
    """A tenant's name as a host name (the rule of the ``hostname`` option): ``Contoso Ltd.`` -> ``contoso-ltd``.

    Case-folded, accents dropped (NFKD, then the combining marks), every run of other characters than a-z and 0-9
    made one ``-``, the ``-`` at either end dropped; "" when nothing is left.
    """
    decomposed = unicodedata.normalize("NFKD", (name or "").casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_SLUG.sub("-", plain).strip("-")


def unique_slugs(tenants):
    """{tenant id: host name} for ``tenants`` (each with ``id`` and ``name``), and the sorted names made unique.

    A slug that several tenants share, an empty one and a reserved one get ``-<first 8 characters of the id>``
    (the whole id in the unlikely case that does not make it unique), so the result does not depend on the order
    of ``tenants``.
    """
    raw = dict((t["id"], slug(t.get("name"))) for t in tenants)
    slugs = dict((tid, value or EMPTY_SLUG) for tid, value in raw.items())
    counts = {}
    for value in slugs.values():
        counts[value] = counts.get(value, 0) + 1

    def needs_id(tenant_id):
        value = slugs[tenant_id]
        return counts[value] > 1 or value in RESERVED_HOST_NAMES or not raw[tenant_id]

    names = dict((tid, "%s-%s" % (value, tid[:8].lower()) if needs_id(tid) else value) for tid, value in slugs.items())
    taken = {}
    for name in names.values():
        taken[name] = taken.get(name, 0) + 1
    for tid, name in names.items():
        # Two ids that begin alike, or a slug that is another's "<slug>-<id part>": the whole id then.
        if needs_id(tid) and taken[name] > 1:
            names[tid] = "%s-%s" % (slugs[tid], tid.lower())
    renamed = sorted(set(slugs[tid] for tid in slugs if needs_id(tid)))
    return names, renamed
