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
        fd, temp_path = tempfile.mkstemp(dir=self.directory, prefix=".token-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(entry, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_path, 0o600)
            os.rename(temp_path, self.path)
        except Exception:
            try:
                os.unlink(temp_path)
            except OSError:
                pass
            raise

    def clear(self):
        try:
            os.unlink(self.path)
        except OSError:
            pass
