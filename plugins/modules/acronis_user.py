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
  - Its roles can be set in the same task (O(roles)), or by M(acronis.cyber_platform.acronis_access_policy).
author:
  - acronis.cyber_platform contributors (@acronis)
extends_documentation_fragment:
  - acronis.cyber_platform.connection
  - acronis.cyber_platform.attributes
  - acronis.cyber_platform.concurrent_writers
  - acronis.cyber_platform.state_absent
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
  tenant_created:
    description:
      - Set it to the RV(acronis.cyber_platform.acronis_tenant#module:created) return value of the task that
        made sure the tenant O(tenant_id) exists. V(true) says that task created the tenant in this run, so it has
        no users yet; the module then reads neither the tenant nor its users, and creates the user right away.
        Whether the login is free is then answered by the create itself (in check mode, the login is still checked).
      - A tenant created disabled refuses new users; the service's answer is then the task's failure.
      - Leave it V(false) (the default) when the tenant may have users already.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the user.
      - V(absent) disables the user, then deletes them.
      - With V(absent), O(contact), O(enabled), O(language), O(notifications), O(purge_notifications), O(password),
        O(roles), O(purge_roles) are refused (see the notes).
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
      - V(on_create) sends it when this task creates the user. A later run sends it only when it is still owed
        (see the notes) - the run that created the user could not confirm it, and the user is not activated.
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
      - V(until_activated) also sets it for an existing user who is not activated yet (a run that stopped between
        the create and the password, for example). Setting it activates the user, so it is set once.
      - V(always) sets it on every run. The service never shows a password, so the module cannot tell whether it
        is already the same, and the task then B(always reports a change).
    type: str
    choices: [always, on_create, until_activated]
    default: on_create
  roles:
    description:
      - Roles of the user (its access policies), each a O(roles[].role_id) in a O(roles[].tenant_id).
      - Added to the user's current roles, unless O(purge_roles=true). Left unset, the roles are left as they are.
      - Set before the activation e-mail or the password, so that the user's first login has them. The roles of
        a user this task creates are not read, since it has none yet.
      - The same as M(acronis.cyber_platform.acronis_access_policy) with
        O(acronis.cyber_platform.acronis_access_policy#module:roles), in the task that manages the user.
    type: list
    elements: dict
    suboptions:
      role_id:
        description: The role.
        type: str
        required: true
        choices: [root_admin, partner_admin, company_admin, unit_admin, readonly_admin, protection_admin,
                  protection_ro_admin, restore_operator, backup_user, sync_share_admin, sync_share_user,
                  sync_share_guest, pds_operator, pds_support, notary_admin, notary_user, hci_admin,
                  omnivoice_admin, omnivoice_user, greathorn_admin, greathorn_user, greathorn_analyst,
                  greathorn_client_manager]
      tenant_id:
        description:
          - Tenant in which the role is granted, the user's own tenant or one below it.
          - Unset, the user's own tenant (O(tenant_id)).
        type: str
  purge_roles:
    description: Make O(roles) the exact set, removing every other role of the user.
    type: bool
    default: false
  allow_client_owner:
    description:
      - Let O(state=absent) or O(enabled=false) act on the user who owns (created) the API client the task runs as.
        Without it, such a task fails before any write; with it, the task warns that it does so, in check mode too.
    type: bool
    default: false
notes:
  - Requests for a create, with the activation e-mail - check the login, read the tenant, create, send the e-mail.
    With O(password) instead - the same, then set the password and read the user again, whom the password changed,
    so that RV(user) is the user as a read shows it.
  - A create whose answer is lost (a dropped connection, HTTP 502, 503 or 504) is resolved by reading the users of
    the tenant - a user of that login found there is taken as the one created; none found means it is created
    again, within O(backoff_retries). A user created that way counts as created by this task, so
    O(activation_email=on_create) still sends it one e-mail.
  - Activation e-mails at least once, never more than two, with O(activation_email=on_create). The API says
    whether a user is activated (C(activated) in C(GET /users/{id})), never whether an activation e-mail went
    out, so the module remembers an e-mail it owes - on the controller, next to the token cache
    (C(<token_cache_dir>/activation-emails/), one 0600 file per data center and user id) - from the create until
    the service confirms the e-mail (HTTP 204). The rule - B(an existing user who is not activated is sent the
    e-mail when one is owed to them), and at most two e-mail requests are made for one user in all.
  - A request whose answer is lost (a dropped connection, HTTP 502, 503 or 504 once it was sent) may or may not
    have sent the e-mail, so it is not replayed in the same run (the task warns and reports
    RV(activation_email_owed=true)); the next run that finds the user still not activated sends it once more.
    A run stopped between the create and the e-mail (killed, or failed setting the roles) leaves the e-mail owed
    too. So after a run with faults and one more run without, every user has been mailed, and none more than
    twice. If the second request is lost as well, the task warns and nothing more is sent.
  - The owed e-mails live on the controller that ran the create; with O(token_cache=false), or a next run on
    another controller or in a fresh container (AWX without a persistent O(token_cache_dir)), a lost answer is
    only warned about - V(until_activated) then covers it, at the cost of one e-mail per run until the user
    activates.
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

- name: The administrator of a customer created by an earlier task, without reading what the run knows
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer.tenant.id }}"
    tenant_created: "{{ customer.created }}"   # registered from acronis.cyber_platform.acronis_tenant
    login: jdoe-acme
    contact:
      email: jdoe@acme.example
    activation_email: on_create
  register: admin

- name: A company administrator, with the role and the activation e-mail, in one task
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer.tenant.id }}"
    tenant_created: "{{ customer.created }}"
    login: admin-acme
    contact:
      email: it@acme.example
    roles:
      - role_id: company_admin
    activation_email: on_create

- name: Give a service account a password instead (set only when it is created)
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer_tenant_id }}"
    login: svc-backup-acme
    contact:
      email: backup-ops@acme.example
    password: "{{ vault_svc_backup_password }}"
    update_password: on_create

- name: Lock a user out without deleting them
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer_tenant_id }}"
    login: jdoe-acme
    enabled: false

- name: Offboard
  acronis.cyber_platform.acronis_user:
    tenant_id: "{{ customer_tenant_id }}"
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
created:
  description:
    - Whether the task created the user (in check mode, would create it).
    - Give it to M(acronis.cyber_platform.acronis_access_policy) as O(acronis.cyber_platform.acronis_access_policy#module:user_created),
      with RV(user) as O(acronis.cyber_platform.acronis_access_policy#module:user), so that it reads nothing it knows.
  returned: always
  type: bool
  sample: true
access_policies:
  description:
    - The user's access policies after the task (in check mode, as they would be), when O(roles) is set.
  returned: when O(roles) is set
  type: list
  elements: dict
  sample:
    - id: 5b0c9f1e-2d3a-4b7c-8e9f-0a1b2c3d4e5f
      role_id: company_admin
      tenant_id: 2b1c4d2e-77a1-4d8c-9a43-5b0f6c1e9d11
      trustee_id: 0f9a3c6e-3b52-4c61-8e1d-6b0b0b7a4d21
      trustee_type: user
      version: 1
activation_email_sent:
  description:
    - Whether the task sent (in check mode - would send) the activation e-mail.
    - Also true when the request was sent but its answer was lost (the task warns, and
      RV(activation_email_owed) says whether the next run sends it again).
  returned: always
  type: bool
  sample: true
activation_email_owed:
  description:
    - Whether the activation e-mail is still owed after the task - its request (or the run that created the user)
      could not confirm it - so that the next run that finds the user not activated sends it once more.
    - Always false with O(activation_email=never) or O(activation_email=until_activated), in check mode, and
      when the token cache is off (O(token_cache=false)).
  returned: always
  type: bool
  sample: false
password_set:
  description: Whether the task set (in check mode - would set) the password.
  returned: always
  type: bool
  sample: false
'''


from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    MASK,
    compare,
    is_placeholder_id,
    make_diff,
    merge,
    placeholder_id,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisError,
    AcronisFailure,
    api_failure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import ADOPTED_OTHER_WRITER
from ansible_collections.acronis.cyber_platform.plugins.module_utils.module import AcronisModule
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation
from ansible_collections.acronis.cyber_platform.plugins.module_utils import api_clients, tenants, users
from ansible_collections.acronis.cyber_platform.plugins.module_utils.token_cache import (
    OwedActivationEmails,
    default_cache_dir,
)

# The kinds of the options (validation's layer): checked before any request, in check mode too.
OPTION_KINDS = {
    "login": validation.LOGIN,
    "tenant_id": validation.TENANT_ID,
    "roles[].tenant_id": validation.TENANT_ID,
    "contact.email": validation.EMAIL,
}
# What state=absent refuses (validation.check_state_absent): the options that set fields of the object.
FIELDS_TO_SET = ("contact", "enabled", "language", "notifications", "purge_notifications", "password", "roles",
                 "purge_roles")


# An e-mail address: something, one @, something with a dot, no spaces.


def check_options(module):
    """Refuse, before any request, what cannot work."""
    p = module.params
    if p["purge_roles"] and p["roles"] is None:
        raise AcronisFailure("purge_roles needs roles: set the roles user '%s' keeps" % p["login"])
    if p["password"] is not None and p["activation_email"] != "never":
        raise AcronisFailure("activate user '%s' either with a password or with the activation e-mail, not both"
                             % p["login"])


def find_user(module):
    """The user of the task's tenant with the task's login, or None; fails when another tenant has the login.

    The tenant's users are read first, so that an existing user costs no login check. The login check
    (``GET /users/check_login``) is left out for a tenant the caller says was just created
    (``tenant_created``) outside check mode: it has no users, and the create itself answers whether the
    login is free.
    """
    p = module.params
    client = module.client
    login = p["login"]
    with failing_to("look up user '%s'" % login):
        if is_placeholder_id(p["tenant_id"]) or p["tenant_created"]:
            user = None
        else:
            # A task that names roles reads them with the user, in the same request.
            user = users.find_in_tenant(client, p["tenant_id"], login, with_access_policies=p.get("roles") is not None)
        if user is not None:
            return user
        if p["tenant_created"] and not module.check_mode and p["state"] == "present":
            return None
        free = users.login_is_free(client, login)
        if not free and not is_placeholder_id(p["tenant_id"]):
            # Taken since the tenant's users were read: another writer may have just created it here.
            user = users.find_in_tenant(client, p["tenant_id"], login, with_access_policies=p.get("roles") is not None)
            if user is not None:
                if p["state"] == "present":
                    client.note_other_writer("created user '%s' in tenant %s" % (login, p["tenant_id"]))
                return user
    if not free:
        if p["state"] == "absent":
            module.warn("login '%s' belongs to a user of another tenant than %s; that user was left alone"
                        % (login, p["tenant_id"]))
            return None
        raise login_elsewhere(client, login, p["tenant_id"])
    return None


def login_elsewhere(client, login, tenant_id, **result):
    """The failure for a login that belongs to a user of another tenant: a real conflict, named."""
    owner = users.login_owner(client, login)
    return AcronisFailure("login '%s' is already taken by a user of another tenant (%s), not of tenant %s; logins "
                          "are unique across the platform. Choose another login, or manage that user in its own "
                          "tenant." % (login, owner or "one this API client cannot see", tenant_id), **result)


def desired_user(params, user):
    """What the task asks for, in the API's shape; None means 'leave it as it is'."""
    notifications = params["notifications"]
    if notifications is not None:
        base = [] if params["purge_notifications"] else list((user or {}).get("notifications") or [])
        notifications = sorted(set(base) | set(notifications))
    contact = dict((k, v) for k, v in (params["contact"] or {}).items() if v is not None)
    return {"contact": contact or None, "enabled": params["enabled"], "language": params["language"],
            "notifications": notifications}


def comparable_user(user):
    """The managed part of a user, with lists in a stable order."""
    return {"contact": dict(user.get("contact") or {}), "enabled": user.get("enabled"),
            "language": user.get("language"), "notifications": sorted(user.get("notifications") or [])}


def user_put_body(user, changes):
    """The PUT body: the changed fields; a changed contact is sent whole, as the service replaces it."""
    body = dict((k, v) for k, v in changes.items() if k != "contact")
    if "contact" in changes:
        contact = merge(user.get("contact") or {}, changes["contact"])
        body["contact"] = dict((k, v) for k, v in contact.items()
                               if k in tenants.CONTACT_FIELDS and v != [])
    return body


def create(module, desired):
    """Create the user (or predict it in check mode); returns the user.

    The tenant is read first (it must exist and be enabled), except for a tenant the caller says was
    just created (``tenant_created``).
    """
    p = module.params
    client = module.client
    if not (desired["contact"] or {}).get("email"):
        raise AcronisFailure("contact.email is required to create user '%s'" % p["login"])
    body = {"tenant_id": p["tenant_id"], "login": p["login"]}
    body.update(dict((k, v) for k, v in desired.items() if v is not None))
    if not is_placeholder_id(p["tenant_id"]) and not p["tenant_created"]:
        with failing_to("read tenant %s of user '%s'" % (p["tenant_id"], p["login"])):
            tenant = tenants.get_tenant(client, p["tenant_id"])
        if tenant is None:
            raise AcronisFailure("cannot create user '%s': tenant %s does not exist" % (p["login"], p["tenant_id"]))
        if not tenant.get("enabled", True):
            raise AcronisFailure("cannot create user '%s': tenant '%s' (%s) is disabled"
                                 % (p["login"], tenant.get("name"), p["tenant_id"]))
    if module.check_mode:
        predicted = dict(body, id=placeholder_id("user", p["login"].casefold()), activated=False,
                         personal_tenant_id=None)
        predicted.setdefault("enabled", True)
        return predicted, True
    try:
        user, adopted = users.create_user(client, body)
    except AcronisError as exc:
        if exc.conflict:
            raise login_elsewhere(client, p["login"], p["tenant_id"], error=exc.to_dict())
        raise api_failure(exc, "create user '%s' in tenant %s" % (p["login"], p["tenant_id"]))
    # A user another writer created first is compared with the task like any user found.
    return user, adopted != ADOPTED_OTHER_WRITER


def ensure_absent(module, user):
    """Disable, then delete, the user when it exists; the task's result."""
    result = dict(changed=False, user={}, activation_email_sent=False, activation_email_owed=False,
                  password_set=False, created=False)
    if user is None:
        return result
    if not module.check_mode:
        with failing_to("delete user '%s'" % module.params["login"]):
            try:
                version = user["version"]
                if user.get("enabled"):
                    version = users.update_user(module.client, user["id"], version, {"enabled": False})["version"]
                users.delete_user(module.client, user["id"], version)
            except AcronisError as exc:
                # Gone meanwhile (404, or an outdated version of a user no longer there): another writer deleted it.
                if not (exc.not_found or exc.conflict and users.get_user(module.client, user["id"]) is None):
                    raise
                module.client.note_other_writer("deleted user '%s'" % module.params["login"])
    result["changed"] = True
    if module._diff:
        result["diff"] = make_diff(comparable_user(user), None)
    return result


def ensure_present(module, user):
    """(user, changes, created): the user created, or updated where it differs from what the options ask."""
    p = module.params
    desired = desired_user(p, user)
    if user is None:
        user, created = create(module, desired)
        if created:
            return user, dict((k, v) for k, v in desired.items() if v is not None), True
    changes = compare(desired, comparable_user(user))
    if changes and not module.check_mode:
        asked = changes
        with failing_to("update user '%s'" % p["login"]):
            user = users.update_user(module.client, user["id"], user["version"], user_put_body(user, changes),
                                     rebase=lambda fresh: user_put_body(fresh, asked))
    elif changes:
        user = merge(user, changes)
    return user, changes, False


def ensure_roles(module, user, created, current, failure_result):
    """The user's roles as ``users.set_user_roles`` makes them, or None when the task names none.

    ``current`` are the user's access policies as find_user read them with the user (None: not read).
    ``failure_result`` goes into a failure: what the task did before it (a user created, for example).
    """
    p = module.params
    if p["roles"] is None:
        return None
    who = "'%s'" % p["login"]
    # Roles read with the user are read again before a change (another writer may have changed them since);
    # a user this task created has none, and roles read just now need no second read.
    read_again = not created and current is not None
    if created:
        current = []
    elif current is None:
        with failing_to("read the roles of user %s" % who, **failure_result):
            current = users.get_access_policies(module.client, user["id"])
    return users.set_user_roles(module.client, user["id"], user.get("tenant_id") or p["tenant_id"], current,
                                p["roles"], p["purge_roles"], "present", who, check_mode=module.check_mode,
                                read_again=read_again, **failure_result)


def owed_emails(module):
    """The activation e-mails owed (token_cache.OwedActivationEmails), or None: not on_create, or no token cache."""
    p = module.params
    if p["activation_email"] != "on_create" or not p["token_cache"]:
        return None
    return OwedActivationEmails(p["token_cache_dir"] or default_cache_dir(), module.client.root_url)


def ensure_email_owed(module, user, created, owed):
    """Remember the e-mail of a user this task created before anything else can stop the task (not in check mode)."""
    if owed is None or not created or module.check_mode or user.get("activated"):
        return
    try:
        owed.owe(user["id"], module.params["login"], 0)
    except (IOError, OSError) as exc:
        module.warn("Could not note in %s that user '%s' is owed an activation e-mail (%s): if this run stops "
                    "before the e-mail, the next one will not send it." % (owed.directory, module.params["login"], exc))


def ensure_activated(module, user, created, owed):
    """(user, sent, owed_after, set): the activation e-mail sent, or the password set, when the options ask.

    ``owed`` (owed_emails) says whether an existing user not yet activated is still owed the e-mail of
    ``on_create``, and how many requests it has had: at most OwedActivationEmails.MAX_REQUESTS in all.
    """
    p = module.params
    made = None if owed is None or is_placeholder_id(user["id"]) else owed.requests_made(user["id"])
    if made is not None and user.get("activated"):
        made = None
        if not module.check_mode:
            owed.settle(user["id"])
    send = (p["activation_email"] == "on_create" and (created or made is not None)
            or p["activation_email"] == "until_activated") and not user.get("activated")
    set_pw = p["password"] is not None and (created or p["update_password"] == "always"
                                            or p["update_password"] == "until_activated" and not user.get("activated"))
    if module.check_mode or not (send or set_pw):
        return user, send, False, set_pw
    still_owed = False
    with failing_to("activate user '%s'" % p["login"], changed=True, user=user):
        if send:
            still_owed = send_activation_email(module, user, owed, made or 0)
        if set_pw:
            users.set_password(module.client, user["id"], p["password"])
    if set_pw:
        # A password activates the user and changes it (updated_at): the result is the user read again.
        with failing_to("read user '%s' after setting the password" % p["login"], changed=True):
            user = users.get_user(module.client, user["id"]) or dict(user, activated=True)
    return user, send, still_owed, set_pw


def send_activation_email(module, user, owed, made):
    """Request the e-mail once; whether it is still owed after (its answer lost, and fewer than two requests made).

    ``made``: the requests an owed e-mail already had. A lost answer is never replayed in the same run (the
    e-mail may have gone out): the next run sends it, if the user is still not activated then.
    """
    login = module.params["login"]
    confirmed = users.send_activation_email(module.client, user["id"]) is not None
    made += 1
    still_owed = owed is not None and not confirmed and made < owed.MAX_REQUESTS
    if owed is not None and not still_owed:
        owed.settle(user["id"])
    elif still_owed:
        try:
            owed.owe(user["id"], login, made)
        except (IOError, OSError) as exc:
            still_owed = False
            module.warn("Could not note in %s that user '%s' is still owed an activation e-mail (%s)."
                        % (owed.directory, login, exc))
    if confirmed:
        return False
    if still_owed:
        module.warn("The answer to the activation e-mail request for user '%s' was lost: the e-mail may or may not "
                    "have been sent. It is not requested again in this run; the next run sends it once more if the "
                    "user is still not activated then (at most two requests in all)." % login)
    elif owed is not None and made >= owed.MAX_REQUESTS:
        module.warn("The answer to the activation e-mail request for user '%s' was lost again, after %d requests: "
                    "it is not requested again, so that the user never gets more than two. If the user has no "
                    "e-mail, send one with activation_email: until_activated." % (login, made))
    else:
        module.warn("The answer to the activation e-mail request for user '%s' was lost: the e-mail may or may not "
                    "have been sent. It is not requested again, so that the user never gets two; if it does not "
                    "arrive, send it again (activation_email: until_activated)" % login)
    return still_owed


def user_result(module, user, before, changes, created, sent, still_owed, set_pw, roles=None):
    """The task's result for a user that exists (or would) after the task; ``roles`` as ensure_roles gives them."""
    roles_changed = bool(roles and roles[0])
    result = dict(changed=bool(created or changes or sent or set_pw or roles_changed), user=user, created=created,
                  activation_email_sent=sent, activation_email_owed=still_owed, password_set=set_pw)
    if roles is not None:
        result["access_policies"] = roles[1]
    if module._diff:
        after_changes = dict(changes)
        if set_pw:
            after_changes["password"] = MASK
        if sent:
            after_changes["activation_email"] = "sent"
        result["diff"] = make_diff(before, after_changes, secrets=("password",))
        if roles_changed:
            if before is not None:
                result["diff"]["before"]["roles"] = roles[2]
            result["diff"]["after"]["roles"] = roles[3]
    return result


def ensure_not_client_owner(module, user):
    """Refuse to delete or disable the user who owns (created) the API client, unless allow_client_owner is set."""
    p = module.params
    if user is None or not (p["state"] == "absent" or (p["enabled"] is False and user.get("enabled", True))):
        return
    with failing_to("read the API client %s" % p["client_id"]):
        record = api_clients.get_api_client(module.client, p["client_id"]) or {}
    if record.get("created_by") != user["id"]:
        return
    what = "delete" if p["state"] == "absent" else "disable"
    if not p["allow_client_owner"]:
        raise AcronisFailure("Refusing to %s user '%s' (%s): it is the user who owns this API client, whose own "
                             "access would go with it. Nothing was changed. Check login and tenant_id; set "
                             "allow_client_owner=true only if this is really meant." % (what, p["login"], user["id"]))
    module.warn("allow_client_owner=true: this task %s %s user '%s' (%s), the owner of this API client."
                % ("would" if module.check_mode else "does", what, p["login"], user["id"]))


def run(module):
    p = module.params
    check_options(module)

    # Current state: the user of this tenant with this login (a login taken elsewhere fails here).
    user = find_user(module)
    current_roles = user.pop("access_policies", None) if user else None
    ensure_not_client_owner(module, user)
    if p["state"] == "absent":
        return ensure_absent(module, user)

    # Desired state, compared and applied: the user, then its roles, then its activation, so that an
    # administrator's first login already has the roles.
    before = comparable_user(user) if user is not None else None
    user, changes, created = ensure_present(module, user)
    owed = owed_emails(module)
    ensure_email_owed(module, user, created, owed)
    roles = ensure_roles(module, user, created, current_roles, dict(changed=bool(created or changes), user=user))
    user, sent, still_owed, set_pw = ensure_activated(module, user, created, owed)
    return user_result(module, user, before, changes, created, sent, still_owed, set_pw, roles)


def main():
    contact = dict((field, dict(type="str")) for field in users.CONTACT_FIELDS)
    argument_spec = dict(
        login=dict(type="str", required=True),
        tenant_id=dict(type="str", required=True, aliases=["tenant"]),
        tenant_created=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        contact=dict(type="dict", options=contact),
        enabled=dict(type="bool"),
        language=dict(type="str"),
        notifications=dict(type="list", elements="str", choices=list(users.NOTIFICATIONS)),
        purge_notifications=dict(type="bool", default=False),
        activation_email=dict(type="str", choices=["never", "on_create", "until_activated"], default="never"),
        password=dict(type="str", no_log=True),
        update_password=dict(type="str", choices=["always", "on_create", "until_activated"], default="on_create",
                             no_log=False),
        roles=dict(type="list", elements="dict", options=users.role_options()),
        purge_roles=dict(type="bool", default=False),
        allow_client_owner=dict(type="bool", default=False),
    )
    AcronisModule(argument_spec=argument_spec, option_kinds=OPTION_KINDS, fields_to_set=FIELDS_TO_SET,
                  supports_check_mode=True).execute(run)


if __name__ == "__main__":
    main()
