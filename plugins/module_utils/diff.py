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
import re

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


# ---------------------------------------------------------------- secrets
#
# The one rule of the collection for what is a secret, used by every module (AcronisModule masks
# its result, failure and diff with it, and registers the secret values it finds in its options as
# no_log values, so that ansible-core masks them everywhere, the invocation at -vvv included):
#
#   A key names a secret when its LAST word is password, passwd, passphrase, pwd, secret, token or
#   key (or their plural). Words are split at "_", "-", ".", spaces and camelCase humps, case ignored:
#   ``password``, ``client_secret``, ``access_token``, ``registration_access_token``, ``encryptionKey``,
#   ``api_key``, ``vault.credentials.password``, ``encryption.password`` are secrets; ``token_renew_margin``,
#   ``token_ttl``, ``key_id``, ``tokens_issued``, ``password_policy`` are not (their last word
#   says what they are).
#   Booleans and nulls under such a key are never masked (``return_secret: true`` holds no secret),
#   and neither is a dictionary, or a list of dictionaries: that is an object named for what it is
#   (``registration_token``: its id, scopes and expiry), whose own keys the rule then walks. Anything
#   else is masked: strings, numbers (a PIN), and lists of them.
#
# Every module's argument spec follows the same rule: an option so named is ``no_log=True`` unless it
# is a boolean or takes one of fixed ``choices`` (``update_password: always``), which cannot hold a
# secret (tests/unit/plugins/module_utils/test_secrets.py walks every module).

SECRET_WORDS = frozenset(["password", "passwd", "passphrase", "pwd", "secret", "token", "key"])
_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def key_words(key):
    """The words of a key, lower case: ``encryptionKey`` -> ['encryption', 'key']."""
    return [word.lower() for word in _WORD_RE.findall(str(key))]


def is_secret_key(key):
    """Whether a value under ``key`` is a secret (the rule above)."""
    words = key_words(key)
    if not words:
        return False
    last = words[-1]
    return last in SECRET_WORDS or (last.endswith("s") and last[:-1] in SECRET_WORDS)


def _holds_secret(key, value, secrets):
    if value is None or isinstance(value, (bool, dict)):
        return False
    if isinstance(value, (list, tuple)) and value and all(isinstance(item, dict) for item in value):
        return False
    return key in secrets or is_secret_key(key)


def mask_secrets(value, secrets=(), keep=()):
    """A copy of ``value`` where every key that names a secret holds a mask.

    A secret is what the rule above says, and any key named in ``secrets``. ``keep`` lists the dotted
    paths (``api_client.client_secret``) of secrets the task was asked to return, left as they are.
    """
    return _mask(value, secrets, keep, "")


def _mask(value, secrets, keep, path):
    if isinstance(value, dict):
        masked = {}
        for key, item in value.items():
            where = "%s.%s" % (path, key) if path else str(key)
            if where not in keep and _holds_secret(key, item, secrets):
                masked[key] = MASK
            else:
                masked[key] = _mask(item, secrets, keep, where)
        return masked
    if isinstance(value, (list, tuple)):
        return [_mask(item, secrets, keep, path) for item in value]
    return value


def secret_values(value, secrets=()):
    """Every string (or number) held under a key that names a secret, at any depth of ``value``."""
    found = []

    def leaves(item):
        if isinstance(item, dict):
            for nested in item.values():
                leaves(nested)
        elif isinstance(item, (list, tuple)):
            for nested in item:
                leaves(nested)
        elif item is not None and not isinstance(item, bool):
            text = str(item)
            if text:
                found.append(text)

    def walk(item):
        if isinstance(item, dict):
            for key, nested in item.items():
                if _holds_secret(key, nested, secrets):
                    leaves(nested)
                else:
                    walk(nested)
        elif isinstance(item, (list, tuple)):
            for nested in item:
                walk(nested)

    walk(value)
    return found


def make_diff(current, changes, secrets=()):
    """Ansible's ``diff``: before and after of the changed fields only, secrets masked (the rule above,
    and the keys named in ``secrets``).

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


def placeholder_options(params, options):
    """``[(option, id)]``: each of ``options`` that names only objects a check-mode run would create.

    An option names them when it holds a placeholder id, or a list that holds nothing else (a filter such
    as ``tenant_ids``: the objects of new tenants are none of the records it would match).
    """
    found = []
    for option in options:
        value = params.get(option)
        values = value if isinstance(value, list) else [value]
        if values and all(is_placeholder_id(v) for v in values):
            found.append((option, values[0]))
    return found


def without_placeholders(values):
    """``values`` (a list of ids, or None) without the placeholder ids: a filter of records matches none of those."""
    if values is None:
        return None
    return [v for v in values if not is_placeholder_id(v)]
