# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A tenant's brand: ``/tenants/{id}/brand`` and ``/tenants/{id}/brand/logo``.

Every write names the TENANT's current version (``?version=``) and answers the tenant with the next one,
so a run chains the versions of its writes. A write refused for an outdated version (409: another writer
changed the tenant or its brand, or our own attempt whose answer was lost) is resolved by reading again
(``AcronisClient.settle``): it is a success when nothing is left to do, and is otherwise sent again with the
tenant's fresh version.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.acronis.cyber_platform.plugins.module_utils.tenants import get_tenant

BRAND_PATH = "/tenants/{tenant_id}/brand"
LOGO_PATH = "/tenants/{tenant_id}/brand/logo"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# The fields of a brand a client sets (the published ``brand`` and ``smtp_settings`` schemas but ``id``,
# ``logotype``, which the logo upload sets, and ``backup_console_url``, which the service derives).
STRING_FIELDS = ("company_name", "service_name", "color", "color_scheme", "home_url", "support_url",
                 "support_phone", "knowledgebase_url", "help_url", "user_guide_url", "upsell_url", "terms_url",
                 "platform_terms_url", "privacy_policy_url", "account_server_url", "router_url", "reg_server_url",
                 "agent_gateway_url", "mobile_app_android_download_url", "mobile_app_ios_download_url")
BOOLEAN_FIELDS = ("owns_custom_legal_docs", "white_labeled_agent")
SMTP_FIELDS = ("smtp_override", "smtp_server", "smtp_port", "smtp_user", "smtp_encryption", "smtp_reply_address")
SMTP_PASSWORD = "smtp_password"
FIELDS = STRING_FIELDS + BOOLEAN_FIELDS + SMTP_FIELDS


def get_brand(client, tenant_id, effective=False):
    """The tenant's own brand (None when it has none), or with ``effective`` the brand it wears."""
    if effective:
        return client.get(BRAND_PATH, params={"effective": 1}, tenant_id=tenant_id)
    return client.get_or_none(BRAND_PATH, tenant_id=tenant_id)


def get_logo(client, tenant_id):
    """The bytes of the logo the tenant wears."""
    return client.download(LOGO_PATH, tenant_id=tenant_id)


def is_png(data):
    """Whether ``data`` is a PNG image (its signature), the one format the service takes."""
    return data[:len(PNG_SIGNATURE)] == PNG_SIGNATURE


def enable(client, tenant_id, version):
    """Give the tenant a brand of its own (a copy of the one it wears); the tenant, with its next version."""

    def find():
        tenant = get_tenant(client, tenant_id)
        return tenant if tenant and tenant.get("brand_enabled") else None

    tenant, _adopted = client.create(BRAND_PATH, None, find, params={"version": version}, tenant_id=tenant_id)
    return tenant


def _read_again(client, tenant_id, brand=False):
    """For ``AcronisClient.settle``: the tenant (for its version) and, with ``brand``, the brand's fields."""
    tenant = get_tenant(client, tenant_id)
    if tenant is None:
        return None
    return dict(get_brand(client, tenant_id) or {} if brand else {}, tenant=tenant)


def _version_of(fresh, version):
    """The tenant's version a write names: the task's, or the one read again after a refusal."""
    return version if fresh is None else fresh["tenant"]["version"]


def update(client, tenant_id, version, changes):
    """Change the brand's fields in ``changes``; the tenant, with its next version."""
    def write(fresh):
        return client.put(BRAND_PATH, json=changes, params={"version": _version_of(fresh, version)},
                          tenant_id=tenant_id)

    def done(fresh):
        # The SMTP password cannot be read back: the other fields say whether the change was made.
        return all(fresh.get(key) == value for key, value in changes.items() if key != SMTP_PASSWORD)

    answer, settled = client.settle("updated the brand of tenant %s (%s)" % (tenant_id, ", ".join(sorted(changes))),
                                    write, lambda: _read_again(client, tenant_id, brand=True), done)
    return answer["tenant"] if settled else answer


def upload_logo(client, tenant_id, version, data):
    """Make ``data`` (a PNG) the brand's logo; the tenant, with its next version."""
    def write(fresh):
        return client.upload(LOGO_PATH, data, "image/png", params={"version": _version_of(fresh, version)},
                             idempotent=True, tenant_id=tenant_id)

    answer, settled = client.settle("uploaded the logo of tenant %s" % tenant_id, write,
                                    lambda: _read_again(client, tenant_id),
                                    lambda _fresh: get_logo(client, tenant_id) == data)
    return answer["tenant"] if settled else answer


def disable(client, tenant_id, version):
    """Drop the tenant's own brand: it wears its parent's again."""
    def write(fresh):
        return client.delete(BRAND_PATH, params={"version": _version_of(fresh, version)}, tenant_id=tenant_id)

    client.settle("removed the brand of tenant %s" % tenant_id, write, lambda: _read_again(client, tenant_id),
                  lambda fresh: not fresh["tenant"].get("brand_enabled"))
