# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""On-disk cache of access tokens, shared by every task and every fork.

A playbook run starts hundreds of module processes, often several at once.
Each would otherwise issue its own token. One file per (data center, client,
secret) holds the current token; an exclusive lock around "read, renew if
needed, write" makes the forks that start together issue exactly one token,
and an atomic rename means no reader ever sees a half-written file.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import tempfile


def write_atomically(directory, path, entry, prefix):
    """Replace the JSON file ``path`` (in ``directory``) with ``entry`` atomically, readable by its owner only."""
    fd, temp_path = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(entry, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_path, 0o600)
        os.rename(temp_path, path)
    except Exception:
        try:
            os.unlink(temp_path)
        except OSError:
            pass
        raise


def default_cache_dir():
    """Where tokens are kept when the user does not say."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "acronis.cyber_platform", "tokens")


class TokenCache:
    """One cache entry: the token of one API client at one data center.

    The secret is part of the key, so a wrong secret never finds the token
    that the right one earned.
    """

    def __init__(self, directory, base_url, client_id, client_secret):
        self.directory = directory
        key = hashlib.sha256("\n".join((base_url, client_id, client_secret)).encode("utf-8")).hexdigest()
        self.path = os.path.join(directory, key[:40] + ".json")
        self.lock_path = self.path + ".lock"

    def _ensure_directory(self):
        try:
            os.makedirs(self.directory, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise

    @contextlib.contextmanager
    def locked(self, purpose=""):
        """Hold the entry's lock: one process renews while the others wait.

        ``purpose`` names a lock of its own beside it, for a read that itself needs the token (and so the
        token's lock, which flock would not grant twice to one process).
        """
        self._ensure_directory()
        fd = os.open(self.lock_path + purpose, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield self
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def read(self):
        """The cached entry as a dict, or None when there is none or it is unreadable."""
        try:
            with open(self.path, "r") as handle:
                entry = json.load(handle)
        except (IOError, OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) else None

    def write(self, entry):
        """Replace the entry atomically; the file is readable by its owner only."""
        self._ensure_directory()
        write_atomically(self.directory, self.path, entry, prefix=".token-")

    def clear(self):
        try:
            os.unlink(self.path)
        except OSError:
            pass


class OwedActivationEmails:
    """The activation e-mails the collection still owes, one small file per user, in the token cache directory.

    The API says whether a user is activated, never whether an activation e-mail went out, so a run that
    created a user and could not confirm its e-mail (a lost answer, or a run stopped before the e-mail) leaves
    an entry here, and the next run that finds the user still not activated sends it. An entry counts the
    requests already made for the user; ``acronis_user`` makes at most ``MAX_REQUESTS`` in all, so that nobody
    gets more than two e-mails. Files live under ``<token cache directory>/activation-emails/``, keyed by the
    data center and the user's id, 0600 in a 0700 directory, replaced atomically.
    """

    MAX_REQUESTS = 2

    def __init__(self, cache_dir, base_url):
        self.directory = os.path.join(cache_dir, "activation-emails")
        self.base_url = base_url

    def _path(self, user_id):
        key = hashlib.sha256("\n".join((self.base_url, user_id)).encode("utf-8")).hexdigest()
        return os.path.join(self.directory, key[:40] + ".json")

    def requests_made(self, user_id):
        """How many e-mail requests an owed e-mail has had (0: none yet), or None when none is owed."""
        try:
            with open(self._path(user_id), "r") as handle:
                entry = json.load(handle)
        except (IOError, OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("user_id") != user_id:
            return None
        requests = entry.get("requests")
        return requests if isinstance(requests, int) and requests >= 0 else 0

    def owe(self, user_id, login, requests):
        """Remember that ``user_id`` is owed its e-mail, after ``requests`` requests without a confirmation."""
        try:
            os.makedirs(self.directory, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
        write_atomically(self.directory, self._path(user_id),
                         {"user_id": user_id, "login": login, "requests": requests}, prefix=".owed-")

    def settle(self, user_id):
        """Forget the owed e-mail of ``user_id`` (confirmed, or no longer to be sent)."""
        try:
            os.unlink(self._path(user_id))
        except OSError:
            pass
