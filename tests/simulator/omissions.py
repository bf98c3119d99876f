"""Operations the simulator leaves out on purpose: the ONE list, each with its reason.

An operation a contract declares (or a service publishes) that the simulator does not model is listed
here rather than left unrouted: it answers 501 with the reason in the official envelope (domain
``AcronisSimulator``), never a bare 404 or 405, so that a client sees at once that the simulator, not
its request, is the limit. ``tests/test_contract_walk.py`` calls each one and expects that answer;
``routes.py`` shows them in the README's table as "left out".

Each entry: ``method``, ``path`` (the full path, Flask variables as ``{name}``), ``reason``, ``source``
(where the operation is published).

``PARTIAL`` lists the parts of served operations the simulator leaves out, with how each answers, so that
this file is the one place that says what the simulator does not do.
"""

import re

from flask import Blueprint

from .errors import ApiError

OMITTED = [
    {"method": "DELETE", "path": "/api/alert_manager/v1/alerts",
     "reason": "dismissing alerts in bulk by filters is not modelled; dismiss one alert with "
               "DELETE /api/alert_manager/v1/alerts/{alert_id}",
     "source": "Acronis connector guide 'Dismissing alerts' (DELETE /api/alert_manager/v1/alerts with the "
               "filters of 'Fetching alerts')"},
    {"method": "POST", "path": "/api/alert_manager/v1/types",
     "reason": "registering alert types is not modelled: the simulator's alert types are fixed "
               "(GET /api/alert_manager/v1/types lists them)",
     "source": "Alert Manager API v1, POST /types (contextKeys, enabled, searchableDetails, severity, supportedOS), "
               "as integrations of the Acronis API list it"},
]

PARTIAL = [
    {"operation": "POST /api/2/idp/token", "left_out": "grant types authorization_code and "
     "urn:ietf:params:oauth:grant-type:device_code (they need the /idp/authorize browser flow and the device "
     "authorization flow, which the simulator does not serve)",
     "answer": "400 invalid_request naming the grant"},
    {"operation": "POST /api/2/idp/token", "left_out": "TOTP (two-factor) logins: the simulator keeps no TOTP "
     "secrets", "answer": "401 totp_setup_required for a password login of a user whose tenant has MFA on"},
    {"operation": "PUT /api/2/tenants/usages", "left_out": "per-resource usage reporting (resource_id without "
     "tenant_id): the simulator keeps usages per tenant",
     "answer": "200, that item carrying a 400 error; the other items are applied"},
]


class LeftOut(ApiError):
    """501 in the official envelope, from the simulator itself."""

    def body(self):
        body = super().body()
        body["error"]["domain"] = "AcronisSimulator"
        return body


def reason(method, path):
    """The reason an operation is left out, or None when it is served."""
    for entry in OMITTED:
        if entry["method"] == method.upper() and entry["path"] == path:
            return entry["reason"]
    return None


def _view(entry):
    def left_out(**_path):
        raise LeftOut(501, "Not Implemented", info="The simulator leaves this operation out: %s" % entry["reason"])
    left_out.omitted_reason = entry["reason"]
    left_out.__name__ = "left_out_%s_%s" % (entry["method"].lower(), re.sub(r"\W+", "_", entry["path"]).strip("_"))
    return left_out


bp = Blueprint("omissions", __name__)
for _entry in OMITTED:
    bp.add_url_rule(re.sub(r"\{(\w+)\}", r"<\1>", _entry["path"]), view_func=_view(_entry),
                    methods=[_entry["method"]])
