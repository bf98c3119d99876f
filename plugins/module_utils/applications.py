# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Applications (services) of tenants, and the MDR service-user login of the Application Manager."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure

PLATFORM_TYPE = "platform"
SERVICE_USER_LOGIN_PATH = "/api/application_manager/v2/application/{vendor_app_code}/service_user:login"
_REDIRECTS = (301, 302, 303, 307, 308)


def list_applications(client):
    """Every application of the platform (``GET /applications``)."""
    return (client.get("/applications") or {}).get("items") or []


def tenant_application_ids(client, tenant_id):
    """Ids of the applications enabled for a tenant (``GET /tenants/{id}/applications``)."""
    return list((client.get("/tenants/{tenant_id}/applications", tenant_id=tenant_id) or {}).get("items") or [])


def resolve(applications, wanted):
    """Applications named by id or by name (case-insensitive), in the order asked; unknown names fail."""
    by_id = dict((app["id"], app) for app in applications)
    by_name = dict((app["name"].lower(), app) for app in applications)
    found, unknown = [], []
    for name in wanted:
        app = by_id.get(name) or by_name.get(str(name).lower())
        if app is None:
            unknown.append(name)
        elif app not in found:
            found.append(app)
    if unknown:
        raise AcronisFailure("Unknown application(s) %s; the platform has: %s."
                             % (", ".join(repr(u) for u in unknown),
                                ", ".join("%s (%s)" % (app["name"], app["id"]) for app in applications)))
    return found


def enable(client, application_id, tenant_id):
    """Bind an application to a tenant (binding twice is harmless, so the POST may be retried)."""
    client.post("/applications/{application_id}/bindings/tenants/{tenant_id}", idempotent=True,
                application_id=application_id, tenant_id=tenant_id)


def disable(client, application_id, tenant_id):
    """Unbind an application from a tenant; already unbound is fine."""
    client.delete("/applications/{application_id}/bindings/tenants/{tenant_id}", missing_ok=True,
                  what="disabled application %s for tenant %s" % (application_id, tenant_id),
                  application_id=application_id, tenant_id=tenant_id)


def service_user_login_url(client, vendor_app_code, tenant_id, external_id):
    """The one-time-token login URL of a CyberApp's service user (seed 003): the ``Location`` of the 301."""
    response = client.request("GET", SERVICE_USER_LOGIN_PATH, allow_redirects=False,
                              params={"tenant_id": tenant_id, "purpose": "login", "external_id": external_id},
                              vendor_app_code=vendor_app_code)
    location = response.headers.get("Location")
    if response.status_code not in _REDIRECTS or not location:
        raise AcronisFailure("The Application Manager answered HTTP %d without a login link for CyberApp '%s' in "
                             "tenant %s; it answers 301 with the link in Location."
                             % (response.status_code, vendor_app_code, tenant_id))
    return location
