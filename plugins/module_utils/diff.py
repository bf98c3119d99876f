# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Desired against current state: the comparison, Ansible's diff with secrets masked, and the
placeholder ids a check-mode run gives the objects it would create."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import hashlib

MASK = "********"
PLACEHOLDER_PREFIX = "00000000-0000-0000-c4ec-"


# ---------------------------------------------------------------- comparing

def _as_bool(value):
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _as_number(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def values_equal(wanted, current):
    """Equality that forgives what the API does with types ("3" for 3, "false" for False)."""
    if isinstance(wanted, bool) or isinstance(current, bool):
        return _as_bool(wanted) == _as_bool(current)
    if isinstance(wanted, (int, float)) or isinstance(current, (int, float)):
        return _as_number(wanted) == _as_number(current)
    return wanted == current


def compare(desired, current):
    """The part of ``desired`` that differs from ``current``.

    ``None`` in ``desired`` means "leave it as it is". Nested dicts are compared
    key by key with the same rule; lists are compared as they are (sort them
    first where order means nothing).
    """
    current = current or {}
    changes = {}
    for key, wanted in desired.items():
        if wanted is None:
            continue
        have = current.get(key)
        if isinstance(wanted, dict) and isinstance(have, dict):
            nested = compare(wanted, have)
            if nested:
                changes[key] = nested
        elif isinstance(wanted, dict):
            nested = compare(wanted, {})
            if nested:
                changes[key] = nested
        elif not values_equal(wanted, have):
            changes[key] = wanted
    return changes


def merge(current, changes):
    """``current`` with ``changes`` laid over it, nested dicts merged key by key."""
    result = copy.deepcopy(current or {})
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _pick(source, shape):
    """The values of ``source`` at the keys of ``shape``, recursively."""
    source = source or {}
    picked = {}
    for key, value in shape.items():
        if isinstance(value, dict) and value and isinstance(source.get(key), dict):
            picked[key] = _pick(source[key], value)
        else:
            picked[key] = copy.deepcopy(source.get(key))
    return picked


def mask_secrets(value, secrets):
    """A copy of ``value`` where every key named in ``secrets`` holds a mask."""
    if isinstance(value, dict):
        return dict((k, MASK if k in secrets and v is not None else mask_secrets(v, secrets)) for k, v in value.items())
    if isinstance(value, list):
        return [mask_secrets(v, secrets) for v in value]
    return value


def make_diff(current, changes, secrets=()):
    """Ansible's ``diff``: before and after of the changed fields only, secrets masked.

    ``current`` is None for an object that does not exist yet (before is empty),
    and ``changes`` is None for one that is going away (after is empty).
    """
    if current is None:
        return {"before": {}, "after": mask_secrets(changes or {}, secrets)}
    if changes is None:
        return {"before": mask_secrets(current, secrets), "after": {}}
    return {
        "before": mask_secrets(_pick(current, changes), secrets),
        "after": mask_secrets(_pick(merge(current, changes), changes), secrets),
    }


# ------------------------------------------------------ check-mode placeholders

def placeholder_id(kind, name):
    """The id a check-mode run gives an object it would create (see docs/developing.md)."""
    digest = hashlib.sha1(("%s:%s" % (kind, name)).encode("utf-8")).hexdigest()
    return PLACEHOLDER_PREFIX + digest[:12]


def is_placeholder_id(value):
    return isinstance(value, str) and value.startswith(PLACEHOLDER_PREFIX)
