# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of user input that every module shares, run before the first request.

Each check raises ``AcronisFailure`` with a sentence that names the option,
says what is wrong and what to do. ``cap_list`` is the one way a message lists
alternatives: the first few, then "and N more".
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import difflib
import os
import re
import tempfile

from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import is_placeholder_id
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisFailure

# How many alternatives a message lists before "and N more".
CAP = 8

# The account-management specification types a quota's value and overage as
# "integer" with no format; the service stores them as 64-bit integers (storage
# quotas in bytes pass 2**32), so this is the largest value it can hold.
QUOTA_MAX = 2 ** 63 - 1

# Logins, from Acronis's "Creating a user account": at least 3 characters, ASCII
# letters, digits and . @ _ - + : ! # $ % ^ * = { } ' ` / ? (the simulator's
# tests/simulator/api/users.py login_problem enforces the same).
LOGIN_RE = re.compile(r"^[A-Za-z0-9.@_\-+:!#$%^*={}'`/?]{3,}$")
LOGIN_CHARACTERS = "ASCII letters, digits and . @ _ - + : ! # $ % ^ * = { } ' ` / ?"

# The id of every object of the platform (tenants, users, plans, resources...), in either case.
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
UUID_EXAMPLE = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"

# Tenant (and other object) names: Acronis documents no limit, so this rule is the
# collection's own, chosen to be safe: 1 to 255 characters, no control characters,
# no leading or trailing whitespace. The simulator enforces the same.
NAME_MAX = 255
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def cap_list(values, cap=CAP, empty="none", near=None):
    """``values`` joined with ", ", at most ``cap`` of them, then "and N more".

    With ``near`` (what the user asked for), the values closest to it come first, so that the
    likely intended one is among those shown.
    """
    values = [str(v) for v in values]
    if near is not None:
        near = str(near).lower()
        values.sort(key=lambda v: -difflib.SequenceMatcher(None, near, v.lower()).ratio())
    if not values:
        return empty
    if len(values) <= cap:
        return ", ".join(values)
    return "%s and %d more" % (", ".join(values[:cap]), len(values) - cap)


def name_problem(value, what="name"):
    """Why ``value`` cannot be a name, or None (the collection's rule, see NAME_MAX)."""
    if not isinstance(value, str):
        return "%s must be one string, got a %s (%s)" % (what, _type_name(value), _short(value))
    if not value.strip():
        return "%s must not be empty" % what
    if len(value) > NAME_MAX:
        return "%s has %d characters; at most %d are allowed" % (what, len(value), NAME_MAX)
    if CONTROL_RE.search(value):
        return "%s %r contains a control character (such as a newline or tab); remove it" % (what, value)
    if value != value.strip():
        return "%s %r starts or ends with whitespace; remove it" % (what, value)
    return None


def login_problem(value, what="login"):
    """Why ``value`` cannot be a login, or None."""
    if not isinstance(value, str):
        return "%s must be one string, got a %s (%s)" % (what, _type_name(value), _short(value))
    if len(value) < 3:
        return "%s %r is too short: a login has at least 3 characters" % (what, value)
    if login_length_problem(value, what):  # issue 24: see LOGIN_MAX
        return login_length_problem(value, what)
    if not LOGIN_RE.match(value):
        return "%s %r is not valid: a login may contain only %s" % (what, value, LOGIN_CHARACTERS)
    return None


def check_name(value, what="name"):
    """Raise ``AcronisFailure`` for a name the service (or the collection's rule) would refuse; None passes."""
    if value is None:
        return
    problem = name_problem(value, what)
    if problem:
        raise AcronisFailure("Option %s; set it to one name." % problem if not isinstance(value, str)
                             else "Option %s." % problem)


def check_login(value, what="login"):
    """Raise ``AcronisFailure`` for a login the service would refuse; None passes."""
    if value is None:
        return
    problem = login_problem(value, what)
    if problem:
        raise AcronisFailure("Option %s." % problem)


def is_uuid(value):
    """True when ``value`` is an id rather than a name (a login, a machine's name)."""
    return isinstance(value, str) and UUID_RE.match(value) is not None


def check_uuid(value, what, check_mode=False, of=None):
    """Raise ``AcronisFailure`` for an id that is not a UUID, or a placeholder outside check mode; None passes.

    ``what`` names the option (``parent_id``, ``roles[].tenant_id``); ``of`` says what the id must name
    when the option's name does not (``a customer tenant``).
    """
    if value is None:
        return
    if is_placeholder_id(value) and not check_mode:
        raise AcronisFailure("%s %s is a check-mode placeholder for %s that was not created; "
                             "run without --check to create it first" % (what, value, of or "an object"))
    if not is_uuid(value):
        raise AcronisFailure("%s must be %s like %s, got %r"
                             % (what, "the UUID of %s," % of if of else "a UUID", UUID_EXAMPLE, value))


def check_quota(value, what):
    """Raise ``AcronisFailure`` for a quota value outside 0..QUOTA_MAX; None passes."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise AcronisFailure("Option %s must be a whole number, got %r." % (what, value))
    if value < 0:
        raise AcronisFailure("Option %s must be 0 or more, got %d." % (what, value))
    if value > QUOTA_MAX:
        raise AcronisFailure("Option %s is %d, above the largest quota the service stores (%d); "
                             "set a smaller value or quota.unlimited." % (what, value, QUOTA_MAX))


def raw_strings(module, *options):
    """Refuse a list or dict given where a string is expected.

    ansible-core's ``str`` type turns ``['A', 'B']`` into the string "['A', 'B']";
    the raw task arguments still show what was given.
    """
    raw = getattr(module, "_acronis_raw_params", None) or {}
    for option in options:
        names = [option] + list((module.argument_spec.get(option) or {}).get("aliases") or [])
        given = [name for name in names if name in raw]
        value = raw[given[0]] if given else None
        if isinstance(value, (list, tuple, dict)):
            secret = (module.argument_spec.get(option) or {}).get("no_log")
            option = given[0]
            raise AcronisFailure("Option %s must be one string, got a %s%s; set it to one value, or loop over "
                                 "the values." % (option, _type_name(value), "" if secret else " (%s)" % _short(value)))


def check_connection(params):
    """The connection options, checked once for every module (AcronisModule.check_preconditions)."""
    url = params.get("base_url")
    if url is not None and not re.match(r"^https?://[^/\s:]+(:\d+)?(/\S*)?$", url):
        raise AcronisFailure("Option base_url must be an http:// or https:// URL such as "
                             "https://eu2-cloud.acronis.com, got %r." % url)
    for option, unit in (("timeout", "seconds"), ("backoff_retries", "retries"), ("backoff_delay", "seconds"),
                         ("backoff_max_delay", "seconds"), ("token_renew_margin", "seconds")):
        value = params.get(option)
        if value is None:
            continue
        if option == "timeout" and value <= 0:
            raise AcronisFailure("Option timeout must be more than 0 seconds, got %s; set a positive value." % value)
        if value < 0:
            raise AcronisFailure("Option %s must be 0 or more %s, got %s; set a non-negative value."
                                 % (option, unit, value))


def _type_name(value):
    return {list: "list", tuple: "list", dict: "dict", bool: "boolean", int: "number",
            float: "number"}.get(type(value), type(value).__name__)


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _parses_as_dict(value):
    """Whether ansible-core's dict type would accept this string (JSON, or key=value pairs)."""
    return isinstance(value, str) and (value.strip().startswith("{") or "=" in value)


def shape_problem(spec, raw, where=""):
    """The first option whose value is not the dictionary (or list of them) the spec asks for, or None.

    ansible-core says only "dictionary requested, could not parse JSON or key=value" then, without
    naming the option; this names it, and the element.
    """
    for name, option in spec.items():
        given = [key for key in [name] + list(option.get("aliases") or []) if key in (raw or {})]
        if not given:
            continue
        value = raw[given[0]]
        label = where + given[0]
        kind = option.get("type", "str")
        if value is None:
            continue
        if kind == "dict":
            if not isinstance(value, dict):
                if not _parses_as_dict(value):
                    return ("Option %s must be a dictionary (key: value pairs), got a %s (%s)."
                            % (label, _type_name(value), _short(value)))
            elif option.get("options"):
                problem = shape_problem(option["options"], value, label + ".")
                if problem:
                    return problem
        elif kind == "list" and option.get("elements") == "dict":
            elements = value if isinstance(value, list) else [value]
            for index, element in enumerate(elements):
                if isinstance(element, dict):
                    if option.get("options"):
                        problem = shape_problem(option["options"], element, "%s[%d]." % (label, index))
                        if problem:
                            return problem
                elif not _parses_as_dict(element):
                    return ("Option %s must be a list of dictionaries; element %d is a %s (%s)."
                            % (label, index + 1, _type_name(element), _short(element)))
    return None


# =====================================================================================================
# Issue 24 (safety-24): checks that let a task refuse before its first write - the length of a login,
# and the destination file a module writes after it has created something on the service.
# =====================================================================================================

# The longest login accepted. Acronis documents none in what this collection builds on
# (/work/shared/acronis-api: the account-management specification types ``login`` as a plain string
# without maxLength, and api-facts.md gives only "login >=3 chars" and its characters), so this is the
# collection's own rule, the same bound as NAME_MAX: 255 characters. A longer login (10,000 characters)
# is refused before any request instead of being sent.
LOGIN_MAX = 255


def login_length_problem(value, what="login"):
    """Why ``value`` is too long to be a login, or None."""
    if isinstance(value, str) and len(value) > LOGIN_MAX:
        return "%s has %d characters; a login has at most %d" % (what, len(value), LOGIN_MAX)
    return None


def check_destination(path, option="dest", check_mode=False, what="the file"):
    """Refuse a destination file that could not be written, before anything is created; return a warning or None.

    Run before the first write of a module that writes a file after creating something on the service
    (acronis_api_client's credentials, whose secret cannot be read back; acronis_report's download), in
    check mode too. The destination passes when it is not a directory, its directory exists and a file
    can be created in it (proved with a probe file, created and removed at once: permissions alone say
    nothing for root or on a read-only or virtual file system), and the file, when it exists, is writable.

    In check mode a directory that does not exist yet passes with a warning (returned) when the nearest
    existing directory above it is writable: an earlier task of the same play may create it.
    """
    if not path:
        return None
    dest = os.path.abspath(path)
    if os.path.isdir(dest):
        raise AcronisFailure("Option %s: %s is a directory; give the path of a file. Nothing was created."
                             % (option, path))
    directory = os.path.dirname(dest)
    if not os.path.exists(directory):
        above = directory
        while not os.path.exists(above):
            above = os.path.dirname(above)
        if check_mode and _can_create_in(above):
            return ("The directory %s of %s does not exist yet; it must exist when the task runs for real."
                    % (directory, option))
        raise AcronisFailure("Option %s: the directory %s does not exist, so %s could not be written; create it "
                             "first (ansible.builtin.file) or choose another %s. Nothing was created."
                             % (option, directory, what, option))
    if not os.path.isdir(directory):
        raise AcronisFailure("Option %s: %s is not a directory, so %s could not be written; choose another %s. "
                             "Nothing was created." % (option, directory, what, option))
    if not _can_create_in(directory):
        raise AcronisFailure("Option %s: the directory %s is not writable by this user, so %s could not be "
                             "written; choose another %s or fix its permissions. Nothing was created."
                             % (option, directory, what, option))
    if os.path.exists(dest) and not os.access(dest, os.W_OK):
        raise AcronisFailure("Option %s: the file %s is not writable by this user; choose another %s or fix its "
                             "permissions. Nothing was created." % (option, path, option))
    return None


def _can_create_in(directory):
    """Whether a file can be created in ``directory``: a probe file, created and removed at once."""
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK | os.X_OK):
        return False
    try:
        handle, probe = tempfile.mkstemp(dir=directory, prefix=".acronis-probe.")
    except (IOError, OSError):
        return False
    os.close(handle)
    try:
        os.unlink(probe)
    except (IOError, OSError):
        pass
    return True


# ---------------------------------------------------------------------------------------------------------------
# Identifier options (issue 33): an option that names a tenant, user, machine, plan, scope or object by id or by
# name is either left out (its documented "unset" meaning) or a real identifier. An empty, blank or null value is
# refused before any request: the API reads '' as "no filter" and falls back to the caller's own tenant or to its
# whole subtree, so a value that rendered to nothing would widen the task.
#
# Which options: the naming rule below, over every option and suboption of a module's argument spec (the
# connection options excepted: check_preconditions checks those), minus NOT_IDENTIFIERS. A role applies the same
# rule to its variables in a check task, and the inventory plugin to root_tenant_id.
# ---------------------------------------------------------------------------------------------------------------

IDENTIFIER_NAMES = frozenset(("id", "name", "login", "user", "tenant", "hostname", "units", "scopes", "edition",
                              "target_edition", "vendor_app_code", "text"))
IDENTIFIER_SUFFIXES = ("_id", "_ids", "_name", "_names")

# Options whose names follow the rule but that keep accepting an empty value, with the reason.
NOT_IDENTIFIERS = {
    # acronis_tenant: the customer's id in the provider's CRM, a property of the tenant rather than a way to find
    # one; '' is how a user clears it.
    "customer_id": "a property of the tenant (its id in the provider's CRM); an empty value clears it",
    # acronis_branding: the login the brand's SMTP server takes, a setting of the brand rather than a way to find an
    # object; '' is how a user clears it.
    "smtp_user": "a setting of the brand (its SMTP server's login); an empty value clears it",
}


def is_identifier_option(name):
    """Whether the option (or role variable, or suboption) ``name`` names an object by id or by name."""
    name = name.rsplit(".", 1)[-1]
    if name in NOT_IDENTIFIERS:
        return False
    return name in IDENTIFIER_NAMES or name.endswith(IDENTIFIER_SUFFIXES)


def empty_identifier_problem(value, kind="str"):
    """Why ``value`` given for an identifier option of type ``kind`` names nothing, or None."""
    if value is None:
        return "is null"
    if isinstance(value, str):
        if not value.strip():
            return "is empty" if not value else "is blank (%r)" % value
        return None
    if kind == "list" or isinstance(value, (list, tuple)):
        if isinstance(value, (list, tuple)):
            if not value:
                return "is an empty list"
            for index, element in enumerate(value):
                problem = empty_identifier_problem(element, "str")
                if problem:
                    return "has an element (number %d) that %s" % (index + 1, problem)
        return None
    if isinstance(value, dict) and not value:
        return "is an empty dictionary"
    return None


def empty_identifier_message(option, problem):
    """The failure for an identifier option ``option`` that names nothing."""
    return ("Option %s %s: an option that names an object is either left out or set to a real id or name, never "
            "empty or null (a variable that rendered to nothing?). Set %s to the object's id or name, or remove "
            "it for its documented default." % (option, problem, option))


def check_identifier(value, option, kind="str"):
    """Raise ``AcronisFailure`` for an empty, blank or null identifier; call it only for an option that was given."""
    problem = empty_identifier_problem(value, kind)
    if problem:
        raise AcronisFailure(empty_identifier_message(option, problem))


def identifier_problem(spec, raw, where="", skip=()):
    """The failure message for the first identifier option given empty, blank or null in ``raw``, or None.

    ``spec`` is an argument spec, ``raw`` the task's arguments as given (an option left out is not checked);
    suboptions of dictionaries and of lists of dictionaries are walked, named like ``roles[1].tenant_id``. A
    suboption given null counts as unset (a list of dictionaries built by a template cannot leave a key out, and
    ansible-core itself fills a missing suboption with null); empty and blank are refused there too.
    """
    if not isinstance(raw, dict):
        return None
    for name, option in spec.items():
        if name in skip:
            continue
        given = [key for key in [name] + list(option.get("aliases") or []) if key in raw]
        if not given:
            continue
        value = raw[given[0]]
        label = where + given[0]
        kind = option.get("type", "str")
        if is_identifier_option(name) and not (where and value is None):
            problem = empty_identifier_problem(value, kind)
            if problem:
                return empty_identifier_message(label, problem)
        if option.get("options") and kind == "dict":
            problem = identifier_problem(option["options"], value, label + ".")
            if problem:
                return problem
        elif option.get("options") and kind == "list" and isinstance(value, list):
            for index, element in enumerate(value):
                problem = identifier_problem(option["options"], element, "%s[%d]." % (label, index + 1))
                if problem:
                    return problem
    return None


def check_identifiers(module, skip=()):
    """Refuse, before any request, an identifier option of ``module`` given empty, blank or null."""
    problem = identifier_problem(module.argument_spec, getattr(module, "_acronis_raw_params", None) or {},
                                 skip=skip)
    if problem:
        raise AcronisFailure(problem)
