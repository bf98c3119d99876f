"""The official error envelope and the errors the simulator raises."""

from flask import jsonify

DOMAIN = "PlatformAccountServer"

# Error codes documented by Acronis (developer.acronis.com error-codes page), named as that page names them;
# plugins/module_utils uses the same names for the codes it handles.
ERROR_INTERNAL = 1000
ERROR_VERSION_MISMATCH = 1001
ERROR_ACCESS_DENIED = 1002
ERROR_PARENT_DISABLED = 1003
ERROR_TENANT_NAME_CONFLICT = 1004
ERROR_TENANT_NOT_FOUND = 1005
ERROR_DELETE_NOT_DISABLED = 1006
ERROR_MOVE_UNDER_CHILD = 1007
ERROR_MOVE_WITHIN_CUSTOMER = 1008
ERROR_TENANT_LOCKED = 1012
ERROR_MOVE_UNDER_DISABLED = 1013
ERROR_USER_DISABLED = 1018
ERROR_OFFERING_ITEM_NOT_AVAILABLE = 1021
ERROR_HARD_QUOTA_EXCEEDED = 1022
ERROR_OFFERING_ITEM_DEPENDENCY = 1023
ERROR_BUSINESS_RULES = 1027


class ApiError(Exception):
    """An error answered with the official envelope.

    ``code`` defaults to the HTTP status, as the service does for HTTP-level errors.
    """

    def __init__(self, status, message, code=None, info=None, context=None, addition=None, **extra_details):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = status if code is None else code
        self.info = message if info is None else info
        self.context = context or {}
        self.addition = addition
        self.extra_details = extra_details

    def body(self):
        """The JSON body of the answer."""
        details = {"info": self.info}
        if self.addition is not None:
            details["addition"] = self.addition
        details.update(self.extra_details)
        return {"error": {"code": self.code, "message": self.message, "details": details,
                          "context": self.context, "domain": DOMAIN}}

    def response(self):
        """A Flask response carrying the envelope."""
        resp = jsonify(self.body())
        resp.status_code = self.status
        return resp


class OAuthError(Exception):
    """An error of the token endpoint, answered OAuth-style: {"error", "error_description"}."""

    def __init__(self, status, error, description):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def response(self):
        """A Flask response carrying the OAuth error."""
        resp = jsonify({"error": self.error, "error_description": self.description})
        resp.status_code = self.status
        return resp


def bad_request(message, **kwargs):
    """400 with code 400 unless given."""
    return ApiError(400, message, **kwargs)


def unauthorized(message="Unauthorized"):
    """401: missing, forged or expired credentials."""
    return ApiError(401, message)


def forbidden(message="Access denied.", code=ERROR_ACCESS_DENIED, **kwargs):
    """403: the caller may not touch this object."""
    return ApiError(403, message, code=code, **kwargs)


def not_found(kind, object_id):
    """404 for an unknown (or deleted) object."""
    code = ERROR_TENANT_NOT_FOUND if kind == "tenant" else 404
    return ApiError(404, "The %s was not found." % kind, code=code, context={"id": object_id})


def version_conflict(kind, object_id, current):
    """409/1001: the version sent is not the current one."""
    return ApiError(409, "The version is outdated.", code=ERROR_VERSION_MISMATCH,
                    info="The %s %s has version %s; reload it and retry." % (kind, object_id, current),
                    context={"id": object_id})
