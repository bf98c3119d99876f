#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: acronis_user
short_description: Create, update, activate and delete Acronis users
version_added: 0.1.0
description:
  - Manages one user account of an Acronis tenant, identified by its O(login).
  - Logins are unique across the platform. A login already taken by a user of another tenant is an error,
    never a takeover.
  - Every property option left unset is left as it is.
  - A new user is not activated. Activate them by sending the activation e-mail (O(activation_email)), or by setting
    a password (O(password)).
  - Roles are managed by M(acronis.cyber_platform.acronis_access_policy).
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
options:
  login:
    description:
      - "Login of the user, at least 3 characters among ASCII letters, digits and C(. @ _ - + : ! # $ % ^ * = { } ' ` / ?)."
      - Compared without regard to case, as the service does.
    type: str
    required: true
  tenant_id:
    description:
      - ID of the tenant the user belongs to. The user is looked for in this tenant only.
      - In check mode, a check-mode placeholder ID of a tenant that an earlier task would create is accepted;
        the user is then predicted as created (the login is still checked to be free) and gets a placeholder ID.
    type: str
    required: true
    aliases: [tenant]
  state:
    description:
      - V(present) creates or updates the user.
      - V(absent) disables the user, then deletes them.
    type: str
    choices: [present, absent]
    default: present
  contact:
    description:
      - Contact details of the user. Only the keys set here are managed.
      - O(contact.email) is required to create a user.
    type: dict
    suboptions:
      email:
        description: E-mail address; the activation e-mail and notifications go there.
        type: str
      firstname:
        description: First name.
        type: str
      lastname:
        description: Last name.
        type: str
      phone:
        description: Phone number.
        type: str
      title:
        description: Job title.
        type: str
      address1:
        description: First line of the address.
        type: str
      address2:
        description: Second line of the address.
        type: str
      city:
        description: City.
        type: str
      state:
        description: State or region.
        type: str
      zipcode:
        description: Postal code.
        type: str
      country:
        description: Country.
        type: str
  enabled:
    description: Whether the user may log in.
    type: bool
  language:
    description: Language of the user interface and e-mails, for example V(en) or V(de).
    type: str
  notifications:
    description:
      - E-mail notifications the user receives.
      - Added to the current ones, unless O(purge_notifications=true).
    type: list
    elements: str
    choices: [maintenance, quota, reports, backup_error, backup_warning, backup_info, backup_daily_report,
              backup_critical, device_control_warning, certificate_management_error, certificate_management_warning,
              certificate_management_info]
  purge_notifications:
    description: Make O(notifications) the exact list, switching off every other notification.
    type: bool
    default: false
  activation_email:
    description:
      - V(never) sends no activation e-mail.
      - V(on_create) sends it when this task creates the user, so re-runs never send it again.
      - V(until_activated) also sends it to an existing user who has not activated their account yet, on every
        run until they do; the task then reports a change each time it sends one.
      - The e-mail is never sent to a user who is already activated.
      - Cannot be combined with O(password).
    type: str
    choices: [never, on_create, until_activated]
    default: never
  password:
    description:
      - Password to set, which also activates the user.
      - When it is set is decided by O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when this task creates the user.
      - V(always) sets it on every run. The service never shows a password, so the module cannot tell whether it
        is already the same, and the task then B(always reports a change).
    type: str
    choices: [always, on_create]
    default: on_create
notes:
  - Requests for a create, with the activation e-mail - check the login, read the tenant, create, send the e-mail.
    For an existing user - check the login, list the tenant's user ids, read their details 100 at a time
    (stopping at the batch that holds the login), and update only when something differs.
seealso:
  - module: acronis.cyber_platform.acronis_user_info
  - module: acronis.cyber_platform.acronis_access_policy
'''

EXAMPLES = r'''
- name: Create the customer's administrator and send the activation e-mail once
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer.tenant.id }}"
    login: jdoe-acme
    contact:
      email: jdoe@acme.example
      firstname: Jane
      lastname: Doe
    activation_email: on_create
  register: admin

- name: Give a service account a password instead (set only when it is created)
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer_id }}"
    login: svc-backup-acme
    contact:
      email: backup-ops@acme.example
    password: "{{ vault_svc_backup_password }}"
    update_password: on_create

- name: Lock a user out without deleting them
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer_id }}"
    login: jdoe-acme
    enabled: false

- name: Offboard
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer_id }}"
    login: jdoe-acme
    state: absent
'''

RETURN = r'''
user:
  description:
    - The user after the task, as the API shows it (in check mode, as it would be; a user that would be created
      has a check-mode placeholder C(id) and no C(personal_tenant_id)).
    - An empty dict after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21
    version: 2
    tenant_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
    login: jdoe-acme
    contact:
      email: jdoe@acme.example
      firstname: Jane
      lastname: Doe
    activated: false
    enabled: true
    language: en
    notifications: [quota, reports, backup_daily_report]
    personal_tenant_id: 8d2f0a57-6c1b-4f0a-b7de-3a1c9e2f4b60
    business_types: []
    mfa_status: disabled
    created_at: "2024-05-02T10:11:12Z"
    updated_at: "2024-05-02T10:11:12Z"
    deleted_at: null
activation_email_sent:
  description: Whether the task sent (in check mode - would send) the activation e-mail.
  returned: always
  type: bool
  sample: true
password_set:
  description: Whether the task set (in check mode - would set) the password.
  returned: always
  type: bool
  sample: false
'''

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError, AcronisOutcomeUnknown
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import (
    MASK,
    AcronisModule,
    compare,
    is_placeholder_id,
    make_diff,
    merge,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils import tenants
from ansible_collections.acronis.cyber_platform.plugins.module_utils import users


def argument_spec():
    contact = dict((field, dict(type="str")) for field in users.CONTACT_FIELDS)
    return dict(
        login=dict(type="str", required=True),
        tenant_id=dict(type="str", required=True, aliases=["tenant"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        contact=dict(type="dict", options=contact),
        enabled=dict(type="bool"),
        language=dict(type="str"),
        notifications=dict(type="list", elements="str", choices=list(users.NOTIFICATIONS)),
        purge_notifications=dict(type="bool", default=False),
        activation_email=dict(type="str", choices=["never", "on_create", "until_activated"], default="never"),
        password=dict(type="str", no_log=True),
        update_password=dict(type="str", choices=["always", "on_create"], default="on_create", no_log=False),
    )


def validate_options(module):
    p = module.params
    if not users.LOGIN_RE.match(p["login"]):
        module.fail_json(msg="login %r is not valid: use at least 3 characters among ASCII letters, digits "
                             "and . @ _ - + : ! # $ %% ^ * = { } ' ` / ?" % p["login"])
    module.check_uuid(p["tenant_id"], "tenant_id")
    email = (p["contact"] or {}).get("email")
    if email is not None and not users.EMAIL_RE.match(email):
        module.fail_json(msg="contact.email %r of user '%s' is not a valid e-mail address" % (email, p["login"]))
    if p["password"] is not None and p["activation_email"] != "never":
        module.fail_json(msg="activate user '%s' either with a password or with the activation e-mail, not both"
                         % p["login"])


def desired_state(params, user):
    """What the task asks for, in the API's shape; None means 'leave it as it is'."""
    notifications = params["notifications"]
    if notifications is not None:
        base = [] if params["purge_notifications"] else list((user or {}).get("notifications") or [])
        notifications = sorted(set(base) | set(notifications))
    contact = dict((k, v) for k, v in (params["contact"] or {}).items() if v is not None)
    return {"contact": contact or None, "enabled": params["enabled"], "language": params["language"],
            "notifications": notifications}


def comparable(user):
    """The managed part of a user, with lists in a stable order."""
    return {"contact": dict(user.get("contact") or {}), "enabled": user.get("enabled"),
            "language": user.get("language"), "notifications": sorted(user.get("notifications") or [])}


def put_body(user, changes):
    """The PUT body: the changed fields; a changed contact is sent whole, as the service replaces it."""
    body = dict((k, v) for k, v in changes.items() if k != "contact")
    if "contact" in changes:
        contact = merge(user.get("contact") or {}, changes["contact"])
        body["contact"] = dict((k, v) for k, v in contact.items()
                               if k in tenants.CONTACT_FIELDS and v != [])
    return body


def create(module, client, desired, tenant_placeholder):
    """Create the user (or predict it in check mode); returns the user."""
    p = module.params
    if not (desired["contact"] or {}).get("email"):
        module.fail_json(msg="contact.email is required to create user '%s'" % p["login"])
    body = {"tenant_id": p["tenant_id"], "login": p["login"]}
    body.update(dict((k, v) for k, v in desired.items() if v is not None))
    if not tenant_placeholder:
        try:
            tenant = tenants.get_tenant(client, p["tenant_id"])
        except AcronisError as exc:
            module.fail_api(exc, "read tenant %s of user '%s'" % (p["tenant_id"], p["login"]))
        if tenant is None:
            module.fail_json(msg="cannot create user '%s': tenant %s does not exist" % (p["login"], p["tenant_id"]))
        if not tenant.get("enabled", True):
            module.fail_json(msg="cannot create user '%s': tenant '%s' (%s) is disabled"
                                 % (p["login"], tenant.get("name"), p["tenant_id"]))
    if module.check_mode:
        predicted = dict(body, id=placeholder_id("user", p["login"].casefold()), activated=False,
                         personal_tenant_id=None)
        predicted.setdefault("enabled", True)
        return predicted
    try:
        return users.create_user(client, body)
    except AcronisOutcomeUnknown as exc:
        try:
            user = users.find_in_tenant(client, p["tenant_id"], p["login"])
        except AcronisError:
            user = None
        if user is None:
            module.fail_api(exc, "create user '%s'" % p["login"])
        return user
    except AcronisError as exc:
        module.fail_api(exc, "create user '%s' in tenant %s" % (p["login"], p["tenant_id"]))


def activate(module, client, user, created):
    """Send the activation e-mail or set the password when the options ask for it; returns (sent, set)."""
    p = module.params
    send = (p["activation_email"] == "on_create" and created
            or p["activation_email"] == "until_activated") and not user.get("activated")
    set_pw = p["password"] is not None and (created or p["update_password"] == "always")
    if module.check_mode or not (send or set_pw):
        return send, set_pw
    try:
        if send:
            users.send_activation_email(client, user["id"])
        if set_pw:
            users.set_password(client, user["id"], p["password"])
    except AcronisError as exc:
        module.fail_api(exc, "activate user '%s'" % p["login"], changed=True, user=user)
    return send, set_pw


def main():
    module = AcronisModule(argument_spec=argument_spec(), supports_check_mode=True)
    validate_options(module)
    p = module.params
    client = module.client
    login = p["login"]
    tenant_placeholder = is_placeholder_id(p["tenant_id"])

    # Current state: is the login free, taken here, or taken elsewhere?
    try:
        if tenant_placeholder:
            where = "free" if users.login_is_free(client, login) else "elsewhere"
            user = None
        else:
            where, user = users.locate(client, login, p["tenant_id"])
    except AcronisError as exc:
        module.fail_api(exc, "look up user '%s'" % login)
    if where == "elsewhere":
        module.fail_json(msg="login '%s' is already taken by a user of another tenant than %s; "
                             "logins are unique across the platform" % (login, p["tenant_id"]))

    if p["state"] == "absent":
        if user is None:
            module.exit_json(changed=False, user={}, activation_email_sent=False, password_set=False)
        if not module.check_mode:
            try:
                version = user["version"]
                if user.get("enabled"):
                    version = users.update_user(client, user["id"], version, {"enabled": False})["version"]
                users.delete_user(client, user["id"], version)
            except AcronisError as exc:
                module.fail_api(exc, "delete user '%s'" % login)
        result = dict(changed=True, user={}, activation_email_sent=False, password_set=False)
        if module._diff:
            result["diff"] = make_diff(comparable(user), None)
        module.exit_json(**result)

    # Desired state, compare, act.
    desired = desired_state(p, user)
    if user is None:
        user = create(module, client, desired, tenant_placeholder)
        before, changes = None, dict((k, v) for k, v in desired.items() if v is not None)
        created = True
    else:
        before = comparable(user)
        changes = compare(desired, before)
        created = False
        if changes and not module.check_mode:
            try:
                user = users.update_user(client, user["id"], user["version"], put_body(user, changes))
            except AcronisError as exc:
                module.fail_api(exc, "update user '%s'" % login)
        elif changes:
            user = merge(user, changes)
    sent, set_pw = activate(module, client, user, created)
    if set_pw and not module.check_mode:
        try:
            user = users.get_user(client, user["id"]) or user
        except AcronisError as exc:
            module.fail_api(exc, "read user '%s' after setting the password" % login, changed=True)

    result = dict(changed=bool(created or changes or sent or set_pw), user=user,
                  activation_email_sent=sent, password_set=set_pw)
    if module._diff:
        after_changes = dict(changes)
        if set_pw:
            after_changes["password"] = MASK
        if sent:
            after_changes["activation_email"] = "sent"
        result["diff"] = make_diff(before, after_changes, secrets=("password",))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
