# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection's exceptions: what the API client raises, and the failure of a task.

Every failure of the HTTP layer (an error reply, a dropped connection, a write
refused in check mode) arrives as an ``AcronisError``, carrying what a person
needs to understand it. A module's helpers turn one into an ``AcronisFailure``
that names what they tried, with ``failing_to``; ``AcronisModule.execute``
turns that into the task's failure.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
from http.client import responses as HTTP_REASONS


# The service's code for a write that carries an outdated version: another writer (or our own attempt whose
# answer was lost) changed the object since it was read.
ERROR_VERSION_MISMATCH = 1001


class AcronisError(Exception):
    """Any failure reported by the client.

    ``status`` and ``code`` are None unless the API answered; the questions
    callers ask (``not_found``, ``conflict``, ``has_code``) are therefore safe
    on every subclass.
    """

    status = None
    code = None
    # True when an earlier attempt of the same request lost its answer (it may have been carried out).
    after_lost_attempt = False

    def __init__(self, message, method=None, path=None):
        super(AcronisError, self).__init__(message)
        self.message = message
        self.method = method
        self.path = path

    @property
    def not_found(self):
        return self.status == 404

    @property
    def conflict(self):
        return self.status == 409

    @property
    def outdated(self):
        """True when the write carried an outdated version (409/1001): read again and build on the fresh object."""
        return self.conflict and self.has_code(ERROR_VERSION_MISMATCH)

    def has_code(self, code):
        """True when the API answered with its own error ``code`` (a number or a string)."""
        return self.code is not None and str(self.code) == str(code)

    def __str__(self):
        if self.method and self.path:
            return "%s %s: %s" % (self.method, self.path, self.message)
        return self.message

    def to_dict(self):
        """What a module returns as ``error`` beside its ``msg``."""
        return {
            "type": type(self).__name__,
            "message": self.message,
            "method": self.method,
            "path": self.path,
        }


class AcronisTransportError(AcronisError):
    """The service could not be reached, or kept failing, within the retry budget."""


class AcronisOutcomeUnknown(AcronisError):
    """A write that must not be replayed may or may not have been carried out.

    The request left this process but no answer came back (or a gateway error
    did). The caller looks the object up before deciding what to do next.
    """


class AcronisCheckModeWrite(AcronisError):
    """A write was attempted through a read-only (check mode) client.

    This is a bug in the calling module, never a user error: the client refuses
    to send the request so that check mode can never change anything.
    """


class AcronisAPIError(AcronisError):
    """The API answered with an error status.

    ``code``, ``message``, ``domain``, ``details`` and ``context`` come from the
    service's error envelope ``{"error": {...}}`` (or from the OAuth error
    object of the token endpoint, or the Agent Manager's ``{"code", "domain",
    "debug": {"msg"}}``); ``status`` is the HTTP status.
    """

    def __init__(self, status, message, method=None, path=None, code=None,
                 domain=None, details=None, context=None):
        super(AcronisAPIError, self).__init__(message, method=method, path=path)
        self.status = status
        self.code = code
        self.domain = domain
        self.details = details or {}
        self.context = context or {}

    def __str__(self):
        text = "HTTP %s" % self.status
        if self.code is not None and str(self.code) != str(self.status):
            text += ", error %s" % self.code
        text += ": %s" % self.message
        info = self.details.get("info") if isinstance(self.details, dict) else None
        if info and info != self.message:
            text += " (%s)" % info
        if self.method and self.path:
            return "%s %s: %s" % (self.method, self.path, text)
        return text

    def to_dict(self):
        result = super(AcronisAPIError, self).to_dict()
        result.update({
            "status": self.status,
            "code": self.code,
            "domain": self.domain,
            "details": self.details,
            "context": self.context,
        })
        return result

    @classmethod
    def from_reply(cls, status, body, text, method, path, reason=None):
        """Build the exception from a decoded reply body (or its raw text)."""
        # The reason phrase is optional on the wire; fall back to the standard one.
        reason = reason or HTTP_REASONS.get(status)
        if isinstance(body, dict):
            error = body.get("error")
            if isinstance(error, dict):
                details = error.get("details")
                return cls(
                    status,
                    error.get("message") or reason or "error",
                    method=method, path=path,
                    code=error.get("code"),
                    domain=error.get("domain"),
                    details=details if isinstance(details, dict) else {"info": details} if details else {},
                    context=error.get("context") if isinstance(error.get("context"), dict) else {},
                )
            if isinstance(error, str):
                # The token endpoint answers OAuth style: {"error": ..., "error_description": ...}
                return cls(status, body.get("error_description") or error,
                           method=method, path=path, code=error)
            debug = body.get("debug")
            if isinstance(debug, dict) and isinstance(body.get("code"), str) and debug.get("msg"):
                # The Agent Manager's REST error object: {"code": "BAD_REQUEST", "domain": ..., "debug": {"msg": ...}}
                return cls(status, str(debug["msg"]), method=method, path=path, code=body["code"],
                           domain=body.get("domain"))
        # One line, whatever the body: an HTML error page spans many.
        snippet = " ".join((text or "").split())
        if len(snippet) > 200:
            snippet = snippet[:200] + "..."
        message = reason or "error"
        if snippet:
            message = "%s (response body: %s)" % (message, snippet)
        return cls(status, message, method=method, path=path)


# ------------------------------------------------------------ the task's failure

class AcronisFailure(Exception):
    """The one exception a module's helpers raise to fail the task.

    ``msg`` is the sentence a person reads; ``result`` holds what the task
    returns beside it (the partial result, the API's ``error``).
    ``AcronisModule.execute`` turns it into the failure.
    """

    def __init__(self, msg, **result):
        super(AcronisFailure, self).__init__(msg)
        self.msg = msg
        self.result = result


def api_failure(exc, action, **result):
    """The failure for an ``AcronisError``: what we tried, and what the API said."""
    return AcronisFailure("Failed to %s: %s" % (action, exc), error=exc.to_dict(), **result)


@contextlib.contextmanager
def failing_to(action, **result):
    """Turn an ``AcronisError`` raised in the block into ``api_failure(exc, action, **result)``.

    ``action`` says what the block tries ("update tenant 'Acme'"); ``result`` is what the task returns
    beside the failure (what it did before). Both are taken when the block starts: a step that changes
    them opens a block of its own. An ``AcronisFailure`` raised in the block passes unchanged.
    """
    try:
        yield
    except AcronisError as exc:
        raise api_failure(exc, action, **result)
