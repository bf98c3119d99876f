#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: acronis_branding
short_description: The brand (white label) of an Acronis partner or folder tenant
version_added: 0.1.0
author:
  - acronis.cyber_platform contributors (@acronis-cyber-platform)
description:
  - Gives a partner or folder tenant a brand of its own - company and service name, colours, the support, legal and
    download links its users see, its own SMTP server for the e-mails they get, and a logo - or, with
    O(state=absent), takes it away so that the tenant wears its parent's brand again.
  - Enabling the brand copies the brand the tenant wears (its parent's); the options set are then applied on top.
    An option left unset is left as it is.
  - The logo is read from a PNG file and compared by content with the logo the tenant wears; it is uploaded only when
    it differs.
  - Customers and units cannot have a brand of their own; they wear their partner's.
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
options:
  tenant_id:
    description:
      - ID of the partner or folder tenant.
    type: str
    required: true
  state:
    description:
      - V(present) gives the tenant a brand of its own with the options set; V(absent) removes it (the tenant wears
        its parent's brand again).
    type: str
    choices: [present, absent]
    default: present
  company_name:
    description: Company name shown to the tenant's users.
    type: str
  service_name:
    description: Name of the service shown to the tenant's users.
    type: str
  color:
    description: Brand colour, six hexadecimal digits of RGB (V(FF6600)).
    type: str
  color_scheme:
    description: Colour scheme identifier (V(default)).
    type: str
  logo:
    description:
      - Path of a PNG file on the controller to use as the logo.
      - Compared by content with the logo the tenant wears; uploaded only when it differs.
    type: path
  home_url:
    description: Company web site.
    type: str
  support_url:
    description: Support page.
    type: str
  support_phone:
    description: Support phone number.
    type: str
  knowledgebase_url:
    description: Knowledge base.
    type: str
  help_url:
    description: Online help.
    type: str
  user_guide_url:
    description: User guide.
    type: str
  upsell_url:
    description: The partner's Buy page.
    type: str
  terms_url:
    description: The company's terms and conditions.
    type: str
  platform_terms_url:
    description: Terms and conditions of the platform.
    type: str
  privacy_policy_url:
    description: Privacy policy.
    type: str
  owns_custom_legal_docs:
    description: Whether the brand has legal documents of its own (O(terms_url), O(platform_terms_url), O(privacy_policy_url)).
    type: bool
  white_labeled_agent:
    description: Whether the agents show the brand instead of Acronis's.
    type: bool
  account_server_url:
    description: Account server address.
    type: str
  router_url:
    description: Management console address.
    type: str
  reg_server_url:
    description: Registration server address.
    type: str
  agent_gateway_url:
    description: Agent gateway address.
    type: str
  mobile_app_android_download_url:
    description: Download link of the Android mobile app.
    type: str
  mobile_app_ios_download_url:
    description: Download link of the iOS mobile app.
    type: str
  smtp_override:
    description: Whether e-mails to the tenant's users go through the SMTP server below instead of the platform's.
    type: bool
  smtp_server:
    description: SMTP server address.
    type: str
  smtp_port:
    description: SMTP server port, 1 to 65535.
    type: int
  smtp_user:
    description: SMTP user.
    type: str
  smtp_password:
    description:
      - SMTP user's password. The service never shows it, so it cannot be compared; when it is sent is decided by
        O(update_smtp_password).
    type: str
  update_smtp_password:
    description:
      - V(on_create) sends O(smtp_password) only when this task gives the tenant its brand, so re-runs never send it
        again; V(always) sends it on every run (the task then always reports a change).
    type: str
    choices: [always, on_create]
    default: on_create
  smtp_encryption:
    description: SMTP encryption; V('') for none.
    type: str
    choices: ['', SSL, TLS]
  smtp_reply_address:
    description: Reply-to address of the e-mails.
    type: str
notes:
  - Every change of the brand adds 1 to the tenant's version, as a change of the tenant does.
seealso:
  - module: acronis.cyber_platform.acronis_tenant
'''

EXAMPLES = r'''
- name: Give a reseller its own brand
  acronis.cyber_platform.acronis_branding:
    tenant_id: "{{ partner_tenant_id }}"
    company_name: Acme Cloud
    service_name: Acme Backup
    color: FF6600
    logo: files/acme-logo.png
    support_url: https://support.acme.example
    home_url: https://acme.example

- name: Send the reseller's e-mails through its own SMTP server
  acronis.cyber_platform.acronis_branding:
    tenant_id: "{{ partner_tenant_id }}"
    smtp_override: true
    smtp_server: smtp.acme.example
    smtp_port: 465
    smtp_encryption: TLS
    smtp_user: mailer
    smtp_password: "{{ vault_acme_smtp_password }}"
    smtp_reply_address: noreply@acme.example

- name: The reseller wears its parent's brand again
  acronis.cyber_platform.acronis_branding:
    tenant_id: "{{ partner_tenant_id }}"
    state: absent
'''

RETURN = r'''
brand:
  description:
    - The tenant's own brand after the task (in check mode, as it would be), the SMTP password left out; null when
      the tenant has none.
  returned: always
  type: dict
  sample:
    id: 2f8ad2e2-28f2-11e7-aad1-5ffe2ad47151
    company_name: Acme Cloud
    color: FF6600
    logotype: 7d1c4c1e-0f3e-4a43-9d59-0b7b6a1e2c11
    support_url: https://support.acme.example
brand_enabled:
  description: Whether the tenant has a brand of its own after the task.
  returned: always
  type: bool
  sample: true
logo_uploaded:
  description: Whether the task uploaded the logo (or would, in check mode).
  returned: always
  type: bool
  sample: false
diff:
  description: Before and after of the fields that change (the logo as the SHA-256 of its content); in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {brand_enabled: false, color: 1F2C5B}
    after: {brand_enabled: true, color: FF6600}
'''

import hashlib

from ansible_collections.acronis.cyber_platform.plugins.module_utils import branding
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import compare, is_placeholder_id, make_diff
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils.tenants import get_tenant
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

BRANDABLE_KINDS = ("partner", "folder")

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "tenant_id": validation.TENANT_ID,
    "company_name": validation.BRAND_NAME,
    "service_name": validation.BRAND_NAME,
    "color": validation.COLOR,
    "smtp_port": validation.PORT,
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the brand.
FIELDS_TO_SET = branding.FIELDS + ("logo", branding.SMTP_PASSWORD)


def check_options(module):
    """Refuse, before any request, what cannot work; the logo's bytes (or None)."""
    p = module.params
    if p["state"] == "absent":
        return None
    return read_logo(p["logo"])


def read_logo(path):
    """The bytes of the PNG file ``path`` (None when unset)."""
    if path is None:
        return None
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except (IOError, OSError) as exc:
        raise AcronisFailure("Option logo: cannot read %s (%s)." % (path, exc.strerror or exc))
    if not branding.is_png(data):
        raise AcronisFailure("Option logo: %s is not a PNG image; the service takes PNG logos only." % path)
    return data


def desired_fields(p):
    """The brand's fields as the options ask (None: leave as it is)."""
    desired = dict((key, p[key]) for key in branding.STRING_FIELDS + branding.BOOLEAN_FIELDS)
    desired.update((key, p[key]) for key in ("smtp_server", "smtp_port", "smtp_user", "smtp_encryption",
                                             "smtp_reply_address"))
    desired["smtp_override"] = None if p["smtp_override"] is None else int(p["smtp_override"])
    return desired


def read_tenant(module):
    """The tenant as read (None for a tenant that check mode would create)."""
    tenant_id = module.params["tenant_id"]
    if is_placeholder_id(tenant_id):
        return None
    with failing_to("read tenant %s" % tenant_id):
        tenant = get_tenant(module.client, tenant_id)
    if tenant is None:
        raise AcronisFailure("Tenant %s was not found; check tenant_id." % tenant_id)
    if tenant.get("kind") not in BRANDABLE_KINDS and module.params["state"] == "present":
        raise AcronisFailure("Tenant '%s' is a %s; only partners and folders have a brand of their own (a %s wears "
                             "its partner's)." % (tenant.get("name"), tenant.get("kind"), tenant.get("kind")))
    return tenant


def read_brand(module, tenant):
    """(own brand or None, the brand that enabling would start from)."""
    if tenant is None or (tenant.get("kind") not in BRANDABLE_KINDS and not tenant.get("brand_enabled")):
        return None, {}         # a customer or unit has no brand of its own: nothing to remove
    with failing_to("read the brand of tenant '%s'" % tenant["name"]):
        if tenant.get("brand_enabled"):
            own = branding.get_brand(module.client, tenant["id"])
            if own is not None:
                return own, own
        return None, branding.get_brand(module.client, tenant["id"], effective=True) or {}


def logo_change(module, tenant, logo):
    """(before, after) SHA-256 of the logo when it is to be uploaded, else None."""
    if logo is None:
        return None
    wanted = hashlib.sha256(logo).hexdigest()
    if tenant is None:
        return None, wanted
    with failing_to("read the logo of tenant '%s'" % tenant["name"]):
        current = hashlib.sha256(branding.get_logo(module.client, tenant["id"])).hexdigest()
    return None if current == wanted else (current, wanted)


def ensure_enabled(module, tenant, own):
    """Give the tenant a brand of its own; (whether it did, the tenant's version after)."""
    if own is not None:
        return False, tenant["version"]
    if module.check_mode or tenant is None:
        return True, None
    with failing_to("enable the brand of tenant '%s'" % tenant["name"]):
        tenant = branding.enable(module.client, tenant["id"], tenant["version"])
    return True, tenant["version"]


def ensure_fields(module, tenant, version, changes):
    """Apply the changed fields; the tenant's version after."""
    if not changes or module.check_mode:
        return version
    with failing_to("update the brand of tenant '%s'" % tenant["name"], brand_enabled=True):
        tenant = branding.update(module.client, tenant["id"], version, changes)
    return tenant["version"]


def ensure_logo(module, tenant, version, logo, change):
    """Upload the logo when it differs; whether it did."""
    if change is None:
        return False
    if not module.check_mode:
        with failing_to("upload the logo of tenant '%s'" % tenant["name"], brand_enabled=True):
            branding.upload_logo(module.client, tenant["id"], version, logo)
    return True


def ensure_disabled(module, tenant, own):
    """Take the tenant's own brand away; whether it did."""
    if own is None:
        return False
    if not module.check_mode:
        with failing_to("remove the brand of tenant '%s'" % tenant["name"], brand_enabled=True):
            branding.disable(module.client, tenant["id"], tenant["version"])
    return True


def present(module, tenant, own, base, logo):
    p = module.params
    enabling = own is None
    changes = compare(desired_fields(p), base)
    if p["smtp_password"] is not None and (enabling or p["update_smtp_password"] == "always"):
        changes[branding.SMTP_PASSWORD] = p["smtp_password"]
    logo_diff = logo_change(module, tenant, logo)

    enabled, version = ensure_enabled(module, tenant, own)
    version = ensure_fields(module, tenant, version, changes)
    uploaded = ensure_logo(module, tenant, version, logo, logo_diff)

    changed = bool(enabled or changes or uploaded)
    after = dict((key, value) for key, value in base.items() if key != branding.SMTP_PASSWORD)
    after.update((key, value) for key, value in changes.items() if key != branding.SMTP_PASSWORD)
    if enabled and module.check_mode:
        after.pop("id", None)               # the brand would be a new one, with an id of its own
    if changed and not module.check_mode:
        with failing_to("read the brand of tenant '%s'" % tenant["name"]):
            after = dict(branding.get_brand(module.client, tenant["id"]) or {})
        after.pop(branding.SMTP_PASSWORD, None)
    result = dict(changed=changed, brand=after, brand_enabled=True, logo_uploaded=uploaded)
    if module._diff:
        before = dict(base, brand_enabled=own is not None)
        wanted = dict(changes, brand_enabled=True) if enabled else dict(changes)
        if logo_diff:
            before["logo_sha256"] = logo_diff[0]
            wanted["logo_sha256"] = logo_diff[1]
        result["diff"] = make_diff(before, wanted, secrets=(branding.SMTP_PASSWORD,))
    return result


def absent(module, tenant, own):
    removed = ensure_disabled(module, tenant, own)
    result = dict(changed=removed, brand=None, brand_enabled=False, logo_uploaded=False)
    if module._diff:
        result["diff"] = make_diff(dict(own or {}, brand_enabled=own is not None), {"brand_enabled": False} if removed
                                   else {}, secrets=(branding.SMTP_PASSWORD,))
    return result


def run(module):
    logo = check_options(module)
    tenant = read_tenant(module)
    own, base = read_brand(module, tenant)
    if module.params["state"] == "absent":
        return absent(module, tenant, own)
    return present(module, tenant, own, base, logo)


def main():
    fields = dict((key, dict(type="str")) for key in branding.STRING_FIELDS)
    fields.update((key, dict(type="bool")) for key in branding.BOOLEAN_FIELDS)
    AcronisModule(
        argument_spec=dict(
            tenant_id=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            logo=dict(type="path"),
            smtp_override=dict(type="bool"),
            smtp_server=dict(type="str"),
            smtp_port=dict(type="int"),
            smtp_user=dict(type="str"),
            smtp_password=dict(type="str", no_log=True),
            update_smtp_password=dict(type="str", choices=["always", "on_create"], default="on_create", no_log=False),
            smtp_encryption=dict(type="str", choices=["", "SSL", "TLS"]),
            smtp_reply_address=dict(type="str"),
            **fields
        ),
        option_kinds=OPTION_KINDS,
        fields_to_set=FIELDS_TO_SET,
        supports_check_mode=True,
    ).execute(run)


if __name__ == "__main__":
    main()
