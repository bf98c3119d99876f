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

import datetime
import difflib
import os
import re
import tempfile
import time
import unicodedata

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
# Characters a person cannot see or that reorder what they see (issue 28): zero-width spaces and joiners, the
# bidirectional embeddings, overrides, isolates and marks, the soft hyphen, the word joiner and the byte order mark.
# Two names that differ only by these look identical in the console, in the inventory and in reports.
INVISIBLE_RE = re.compile(u"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                          u"\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")


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
        return "%s %s contains a control character (such as a newline or tab); remove it" % (what, _short(value))
    invisible = INVISIBLE_RE.search(value)
    if invisible:
        return ("%s %s contains an invisible or bidirectional control character (U+%04X %s at position %d); remove it"
                % (what, _short(value), ord(invisible.group()), unicodedata.name(invisible.group(), "format"),
                   invisible.start() + 1))
    if value != value.strip():
        return "%s %s starts or ends with whitespace; remove it" % (what, _short(value))
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
        return "%s %s is not valid: a login may contain only %s" % (what, _short(value), LOGIN_CHARACTERS)
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
        raise AcronisFailure("%s must be a UUID%s like %s, got %s"
                             % (what, " (the id of %s)" % of if of else "", UUID_EXAMPLE, _short(value)))


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
    problem = base_url_problem(params.get("base_url"))
    if problem:
        raise AcronisFailure(problem)
    for option, unit in (("timeout", "seconds"), ("backoff_retries", "retries"), ("backoff_delay", "seconds"),
                         ("backoff_max_delay", "seconds"), ("token_renew_margin", "seconds"),
                         ("max_requests_per_second", "requests per second (0: no limit)"),
                         ("max_concurrent_requests", "requests (0: no limit)")):
        value = params.get(option)
        if value is None:
            continue
        if option == "timeout" and value <= 0:
            raise AcronisFailure("Option timeout must be more than 0 seconds, got %s; set a positive value." % value)
        if value < 0:
            raise AcronisFailure("Option %s must be 0 or more %s, got %s; set a non-negative value."
                                 % (option, unit, value))


# A data center's root: scheme, host and port, optionally followed by the API's /api/2 (the client adds it).
BASE_URL_EXAMPLE = "https://eu2-cloud.acronis.com"
_BASE_URL_RE = re.compile(r"^(https?)://([^/\s:?#]+)(:\d+)?(?P<path>[^?#\s]*)(?P<rest>.*)$")


def base_url_problem(url):
    """Why ``url`` is not the root of a data center, as the sentence of the failure naming base_url, or None."""
    if url is None:
        return None
    match = _BASE_URL_RE.match(url)
    advice = ("base_url must be the root of your data center, the address you log in to without any path, such as "
              "%s" % BASE_URL_EXAMPLE)
    if not match:
        return "Option base_url must be an http:// or https:// URL, got %s; %s." % (_short(url), advice)
    if match.group("rest"):
        return ("Option base_url %s has a query string or a fragment (%s); %s."
                % (_short(url), _short(match.group("rest")), advice))
    path = match.group("path").rstrip("/")
    if path not in ("", "/api/2"):
        return "Option base_url %s has a path (%s); %s." % (_short(url), _short(path), advice)
    return None


def not_a_data_center(base_url, status, what):
    """The failure's sentence when base_url answers the token request as no data center does.

    ``what`` says what came back (an HTML page, a 404 without the API's error object). Used by the client for
    POST /idp/token, the first request of every task: a plain web server, a portal page or another service
    answers it in one of these ways.
    """
    return ("base_url %s is not an Acronis data center: POST /api/2/idp/token answered HTTP %s with %s. "
            "base_url must be the root of your data center, such as %s."
            % (_short(base_url), status, what, BASE_URL_EXAMPLE))


def _type_name(value):
    return {list: "list", tuple: "list", dict: "dict", bool: "boolean", int: "number",
            float: "number"}.get(type(value), type(value).__name__)


def _short(value):
    """``repr(value)``, cut at 60 characters: a message never echoes a long value whole."""
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

# The longest login accepted. Acronis documents no maximum length for a login: "Creating a user account"
# (https://developer.acronis.com/doc/account-management/v2/guide/users/creating-user) gives the whole rule -
# at least 3 characters (shorter ones cannot be found by /search), ASCII letters, digits and
# .@_-+:!#$%^*={}'`/?, trimmed, and "may use email as login" - and the published account-management
# specification (Account Management API v2 OpenAPI: userPost, userPut, user) types
# ``login`` as a string without maxLength. So the bound is the collection's own, chosen from what Acronis does
# document: a login may be an e-mail address, and an e-mail address has at most 254 characters (RFC 5321,
# 4.5.3.1.3: a path of 256 octets, angle brackets included); 255, the bound of NAME_MAX, admits every such
# login and refuses a 10,000-character one before any request.
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


# ---------------------------------------------------------------------------------------------------------------
# Option kinds (issue 28): every option whose value has a rule beyond its Ansible type is declared with its kind,
# once, in its module's OPTION_KINDS table ({option path: kind}); AcronisModule.check_preconditions checks them all
# before run() does anything, in check mode and for real alike, and the inventory plugin checks its options with
# the same kinds. A kind holds its bounds, writes its errors (naming the option, never echoing a long value
# whole) and lists the bad values the generated unit test (tests/unit/plugins/modules/test_option_kinds.py) sends
# to every option declared with it.
#
# An option path is the option's name, a suboption after a dot (period.start), or the suboptions of the elements
# of a list after [] (items[].infra_id). A list option's kind applies to each element (tenant_ids[2]).
# ---------------------------------------------------------------------------------------------------------------

# The services count time in (milli-, nano)seconds since 1970-01-01 UTC, and Python's dates end with 9999.
EPOCH = datetime.datetime(1970, 1, 1)
_MOMENT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?)?(?P<zone>.*)$")
_ZONE_RE = re.compile(r"^(?:([zZ])|([+-])(\d{2}):?(\d{2}))$")
_DURATION_RE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# What the services read as their own filter syntax inside a value: field=op(value), or(a,b), the list separator.
FILTER_SYNTAX_RE = re.compile(r"[(),]")


class OptionKind(object):
    """One kind of option value: its rule (``problem``), its bounds, a good example and the bad values to test."""

    # Whether the value must be a string as written: a YAML boolean or number (True, 2024) is refused rather
    # than read as its text ("True"), which ansible-core's str type would do.
    text = True

    def __init__(self, name, describe):
        self.name = name
        self.describe = describe

    def problem(self, value, check_mode=False):
        """Why ``value`` (one value, never None) is not of this kind: the rest of "Option X ...", or None."""
        raise NotImplementedError

    def example(self):
        """A good value."""
        raise NotImplementedError

    def bad_values(self):
        """Values this kind refuses (for the generated tests): a list of (label, value)."""
        raise NotImplementedError

    def check(self, value, option, check_mode=False):
        """Raise ``AcronisFailure`` naming ``option`` when ``value`` is not of this kind; None passes."""
        if value is None:
            return
        problem = self.problem(value, check_mode)
        if problem:
            raise AcronisFailure("Option %s %s." % (option, problem))

    def __repr__(self):
        return "<option kind %s>" % self.name


class IdKind(OptionKind):
    """The id (UUID) of one kind of object; a check-mode placeholder passes in check mode only."""

    def __init__(self, of):
        super(IdKind, self).__init__("id of %s" % of, "a UUID (the id of %s) like %s" % (of, UUID_EXAMPLE))
        self.of = of

    def problem(self, value, check_mode=False):
        if is_placeholder_id(value):
            if check_mode:
                return None
            return ("is %s, the check-mode placeholder of %s that was not created; run without --check to create it "
                    "first" % (value, self.of))
        if not is_uuid(value):
            return "must be %s, got %s" % (self.describe, _short(value))
        return None

    def example(self):
        return UUID_EXAMPLE

    def bad_values(self):
        # (A placeholder outside check mode is tested where placeholders are: it passes in check mode.)
        return [("not an id", "acme"), ("a number", "12345"), ("one digit short", UUID_EXAMPLE[:-1])]


class NameKind(OptionKind):
    """The collection's name rule (name_problem): 1 to NAME_MAX visible characters, as written."""

    def __init__(self, of="an object"):
        super(NameKind, self).__init__("name of %s" % of, "the name of %s" % of)

    def problem(self, value, check_mode=False):
        problem = name_problem(value, "x")
        return problem[2:] if problem else None

    def example(self):
        return "Acme Corp"

    def bad_values(self):
        return [("empty", ""), ("too long", "n" * (NAME_MAX + 1)), ("a newline", "two\nlines"),
                ("a zero-width space", u"Ac\u200bme"), ("a right-to-left override", u"\u202eemcA"),
                ("leading whitespace", " Acme")]


class LoginKind(OptionKind):
    """A login (login_problem)."""

    def __init__(self):
        super(LoginKind, self).__init__("login", "a login")

    def problem(self, value, check_mode=False):
        problem = login_problem(value, "x")
        return problem[2:] if problem else None

    def example(self):
        return "jdoe"

    def bad_values(self):
        return [("too short", "ab"), ("a space", "j doe"), ("too long", "l" * (LOGIN_MAX + 1))]


class TextKind(OptionKind):
    """Free text sent as a value (never as syntax): 1 to ``max_length`` characters, no control characters."""

    def __init__(self, name, max_length=255):
        super(TextKind, self).__init__(name, "text of 1 to %d characters" % max_length)
        self.max_length = max_length

    def problem(self, value, check_mode=False):
        if not isinstance(value, str):
            return "must be one string, got a %s (%s)" % (_type_name(value), _short(value))
        if not value.strip():
            return "must not be empty"
        if len(value) > self.max_length:
            return ("has %d characters (%s); the service takes at most %d"
                    % (len(value), _short(value), self.max_length))
        if CONTROL_RE.search(value) or INVISIBLE_RE.search(value):
            return "%s contains a control or invisible character; remove it" % _short(value)
        return None

    def example(self):
        return "ext-1"

    def bad_values(self):
        return [("too long", "t" * (self.max_length + 1)), ("blank", "   "), ("a newline", "a\nb")]


class FilterValueKind(TextKind):
    """A value the client puts into one of the services' filters (hostname, a task type, an alert category).

    The services read ``op(value)`` and ``or(a,b)`` in a filter's text as their own syntax and document no way
    to escape it, so a value holding ( ) or , would match more than asked: it is refused (the values these
    filters take, host names and type names, never hold those characters). The client alone writes the syntax,
    from the values (hostname_match, a list of values).
    """

    def problem(self, value, check_mode=False):
        problem = super(FilterValueKind, self).problem(value, check_mode)
        if problem:
            return problem
        if FILTER_SYNTAX_RE.search(value):
            return ("is %s, which holds the service's filter syntax (parentheses or commas); give the plain value: "
                    "the module builds the filter (a list of values for several, %s)"
                    % (_short(value), self.describe))
        return None

    def example(self):
        return "web-01"

    def bad_values(self):
        return [("filter syntax", "like(web)"), ("a disjunction", "or(backup,restore)"), ("a comma", "a,b"),
                ("blank", "   ")]


class DurationKind(OptionKind):
    """A duration back from now (7d, 12h, 30m, 2w, 90s) whose start is after 1970-01-01."""

    def __init__(self):
        super(DurationKind, self).__init__("duration", "a duration such as 7d, 12h, 30m or 2w (a number and s, m, h, "
                                                       "d or w)")

    @staticmethod
    def seconds(value):
        match = _DURATION_RE.match(str(value))
        return int(match.group(1)) * DURATION_UNITS[match.group(2)] if match else None

    def problem(self, value, check_mode=False):
        seconds = self.seconds(value)
        if not seconds:
            return "must be %s, got %s" % (self.describe, _short(value))
        longest = int(time.time())  # seconds since 1970-01-01
        if seconds > longest:
            return ("is %s, which reaches back before 1970-01-01, where the services' time begins; at most %dd"
                    % (_short(value), longest // 86400))
        return None

    def example(self):
        return "7d"

    def bad_values(self):
        return [("zero", "0d"), ("words", "7 days"), ("negative", "-1d"), ("before 1970", "99999w"),
                ("beyond year 9999", "999999999999d")]


def zone_problem(text):
    """Why ``text`` is not a time zone offset (Z, +HH:MM, -HH:MM within ±23:59), or None."""
    match = _ZONE_RE.match(text)
    if not match:
        return "has a time zone that is not Z, +HH:MM or -HH:MM (%s)" % _short(text)
    if match.group(1):
        return None
    hours, minutes = int(match.group(3)), int(match.group(4))
    if hours > 23 or minutes > 59:
        return "has a time zone offset %s out of range: hours 00 to 23, minutes 00 to 59" % _short(text)
    return None


def zone_seconds(text):
    """The offset of a zone that passed zone_problem, in seconds east of UTC."""
    match = _ZONE_RE.match(text)
    if not match or match.group(1):
        return 0
    return (int(match.group(3)) * 3600 + int(match.group(4)) * 60) * (1 if match.group(2) == "+" else -1)


class TimeZoneKind(OptionKind):
    """A time zone offset: Z, +HH:MM or -HH:MM (hours 00-23, minutes 00-59)."""

    def __init__(self):
        super(TimeZoneKind, self).__init__("time zone", "Z, +HH:MM or -HH:MM")

    def problem(self, value, check_mode=False):
        return zone_problem(str(value))

    def example(self):
        return "+02:00"

    def bad_values(self):
        return [("out of range", "+99:99"), ("minutes out of range", "+01:60"), ("a name", "CET")]


class MomentKind(OptionKind):
    """An RFC 3339 date or date-time (UTC without a zone) from 1970-01-01 UTC to the end of 9999."""

    def __init__(self, date_only=False):
        super(MomentKind, self).__init__(
            "date" if date_only else "timestamp",
            "a date as YYYY-MM-DD such as 2024-05-31" if date_only else
            "an RFC 3339 date or date-time such as 2024-05-01 or 2024-05-01T08:00:00Z")
        self.date_only = date_only

    def problem(self, value, check_mode=False):
        text = str(value).strip()
        match = _MOMENT_RE.match(text)
        if not match or (self.date_only and (match.group(4) or match.group("zone"))):
            return "must be %s, got %s" % (self.describe, _short(value))
        fields = [int(part) for part in match.groups()[:6] if part is not None]
        try:
            moment = datetime.datetime(*fields)
        except ValueError as exc:
            return ("is not a real %s (%s: %s); give %s"
                    % ("date" if self.date_only else "moment", _short(value), exc, self.describe))
        zone = match.group("zone")
        if zone:
            if not match.group(4):
                return "must be %s, got %s" % (self.describe, _short(value))
            problem = zone_problem(zone)
            if problem:
                return problem
        utc = (moment - EPOCH).total_seconds() - zone_seconds(zone)
        if utc < 0:
            return ("is %s, before 1970-01-01T00:00:00Z, where the services' time begins; give a later moment"
                    % _short(value))
        if utc > (datetime.datetime(9999, 12, 31, 23, 59, 59) - EPOCH).total_seconds():
            return "is %s, beyond the end of year 9999; give an earlier moment" % _short(value)
        return None

    def seconds(self, value):
        """Unix seconds of a value that passed ``problem``."""
        match = _MOMENT_RE.match(str(value).strip())
        fields = [int(part) for part in match.groups()[:6] if part is not None]
        fraction = float("0" + match.group(7)) if match.group(7) else 0.0
        return ((datetime.datetime(*fields) - EPOCH).total_seconds() - zone_seconds(match.group("zone"))
                + fraction)

    def example(self):
        return "2024-05-01" if self.date_only else "2024-05-01T08:00:00Z"

    def bad_values(self):
        if self.date_only:
            return [("no such month", "2024-13-01"), ("no such day", "2024-02-30"), ("before 1970", "1969-12-31"),
                    ("a date-time", "2024-05-01T08:00:00Z"), ("words", "yesterday")]
        return [("no such month", "2024-13-01"), ("words", "yesterday"),
                ("year 1 east of UTC", "0001-01-01T00:00:00+01:00"),
                ("year 9999 west of UTC", "9999-12-31T23:59:59-01:00"), ("before 1970", "1969-12-31"),
                ("zone out of range", "2024-05-01T08:00:00+99:99"), ("five-digit year", "10000-01-01")]


class ScopeKind(OptionKind):
    """A registration token scope, one of the two forms Acronis documents, with real ids in it."""

    PERSONAL = "urn:acronis.com:tenant-id::backup_agent_admin"
    _TENANT_RE = re.compile(r"^urn:acronis\.com:tenant-id:(?P<tenant>[^:]*):backup_agent_admin$")
    _POLICY_RE = re.compile(r"^urn:acronis\.com::policy_management:(?P<tenant>[^|:]*)\|(?P<policy>[^|:]*)"
                            r":apply_revoke$")

    def __init__(self):
        super(ScopeKind, self).__init__(
            "registration token scope",
            "urn:acronis.com:tenant-id:{personal_tenant_id}:backup_agent_admin (the tenant id may be left out) or "
            "urn:acronis.com::policy_management:{tenant_id}|{policy_id}:apply_revoke")

    def problem(self, value, check_mode=False):
        if not isinstance(value, str):
            return "must be one string, got a %s (%s)" % (_type_name(value), _short(value))
        match = self._TENANT_RE.match(value)
        ids = []
        if match:
            if match.group("tenant"):
                ids.append(("tenant id", match.group("tenant")))
        else:
            match = self._POLICY_RE.match(value)
            if not match:
                return "has %s, which follows neither form Acronis documents: %s" % (_short(value), self.describe)
            ids = [("tenant id", match.group("tenant")), ("policy id", match.group("policy"))]
        for what, text in ids:
            if not is_uuid(text) and not (check_mode and is_placeholder_id(text)):
                return ("has %s, whose %s %s is not a UUID like %s"
                        % (_short(value), what, _short(text), UUID_EXAMPLE))
        return None

    def example(self):
        return self.PERSONAL

    def bad_values(self):
        return [("a tenant id that is not one", "urn:acronis.com:tenant-id:not-an-id:backup_agent_admin"),
                ("a policy scope of dashes", "urn:acronis.com::policy_management:%s|%s:apply_revoke"
                 % ("-" * 36, "-" * 36)),
                ("another form", "admin")]


class CountKind(OptionKind):
    """A number from ``low`` to ``high`` (None: unbounded) counting ``unit``; above ``low`` with ``exclusive``."""

    text = False

    def __init__(self, low, high=None, unit="", exclusive=False):
        if exclusive:
            bounds = "more than %s" % low
        else:
            bounds = "from %d to %d" % (low, high) if high is not None else "%d or more" % low
        super(CountKind, self).__init__("count %s" % bounds, "%s%s" % (bounds, " " + unit if unit else ""))
        self.low, self.high, self.exclusive = low, high, exclusive

    def problem(self, value, check_mode=False):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number %s, got %s" % (self.describe, _short(value))
        if value < self.low or (self.exclusive and value == self.low) or (self.high is not None and value > self.high):
            return "must be %s, got %s" % (self.describe, value)
        return None

    def example(self):
        if self.exclusive:
            return self.low + 1
        return self.low if self.high is None else min(self.high, max(self.low, 1))

    def bad_values(self):
        bad = [("%s %s" % ("at" if self.exclusive else "below", self.low), self.low if self.exclusive else self.low - 1)]
        if self.high is not None:
            bad.append(("above %d" % self.high, self.high + 1))
        return bad


class PatternKind(OptionKind):
    """Text of one fixed form (``pattern``), such as a colour as six hexadecimal digits."""

    def __init__(self, name, pattern, describe, example, bad_values):
        super(PatternKind, self).__init__(name, describe)
        self.pattern = re.compile(pattern)
        self._example = example
        self._bad_values = bad_values

    def problem(self, value, check_mode=False):
        if not isinstance(value, str) or not self.pattern.match(value):
            return "must be %s, got %s" % (self.describe, _short(value))
        return None

    def example(self):
        return self._example

    def bad_values(self):
        return list(self._bad_values)


class TimeOfDayKind(OptionKind):
    """A time of day as HH:MM (00:00 to 23:59)."""

    _RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")

    def __init__(self):
        super(TimeOfDayKind, self).__init__("time of day", "a time of day like 21:00 (00:00 to 23:59)")

    def problem(self, value, check_mode=False):
        if not isinstance(value, str) or not self._RE.match(value):
            return "is %s, not %s" % (_short(value), self.describe)
        return None

    def example(self):
        return "21:00"

    def bad_values(self):
        return [("24 hours", "24:00"), ("words", "7pm"), ("minutes out of range", "21:60")]


class EmailKind(TextKind):
    """An e-mail address: something@domain.tld, no whitespace."""

    _RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    def problem(self, value, check_mode=False):
        problem = super(EmailKind, self).problem(value, check_mode)
        if problem:
            return problem
        if not self._RE.match(value):
            return "is %s, not an e-mail address like it@example.com" % _short(value)
        return None

    def example(self):
        return "it@example.com"

    def bad_values(self):
        return [("no @", "it.example.com"), ("no domain", "it@example"), ("a space", "i t@example.com")]


class VariablePrefixKind(OptionKind):
    """A prefix of Ansible variable names: empty, or a letter or _ then letters, digits and _."""

    def __init__(self):
        super(VariablePrefixKind, self).__init__("variable prefix", "a letter or _ followed by letters, digits and _")

    def problem(self, value, check_mode=False):
        if not isinstance(value, str):
            return "must be one string, got a %s (%s)" % (_type_name(value), _short(value))
        if value and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", value):
            return ("is %s, which would make invalid variable names; use %s (such as acronis_)"
                    % (_short(value), self.describe))
        return None

    def example(self):
        return "acronis_"

    def bad_values(self):
        return [("a dash", "acronis-"), ("a leading digit", "1st_"), ("a dot", "a.b")]


# The kinds, declared once. Modules name these in their OPTION_KINDS tables.
TENANT_ID = IdKind("a tenant")
CUSTOMER_ID = IdKind("a customer tenant")
USER_ID = IdKind("a user")
API_CLIENT_ID = IdKind("an API client")
APPLICATION_ID = IdKind("an application")
INFRA_ID = IdKind("an infrastructure component")
PLAN_ID = IdKind("a protection plan")
POLICY_ID = IdKind("a policy")
RESOURCE_ID = IdKind("a resource")
LOCATION_ID = IdKind("a location")
TENANT_NAME = NameKind("a tenant")
LOCATION_NAME = NameKind("a location")
INFRA_NAME = NameKind("a storage")
BRAND_NAME = NameKind("a brand")
COLOR = PatternKind("colour", r"^[0-9A-Fa-f]{6}$", "six hexadecimal digits of RGB, such as FF6600", "FF6600",
                    [("a colour name", "orange"), ("with a hash", "#FF6600"), ("five digits", "FF660")])
PORT = CountKind(1, 65535, "(a TCP port)")
PLAN_NAME = NameKind("a protection plan")
CLIENT_NAME = NameKind("an API client")
LOGIN = LoginKind()
EXTERNAL_ID = TextKind("external id", 255)
SEARCH_TEXT = TextKind("search text", 255)
FILTER_VALUE = FilterValueKind("filter value")
DURATION = DurationKind()
TIMESTAMP = MomentKind()
DATE = MomentKind(date_only=True)
TIME_ZONE = TimeZoneKind()
SCOPE = ScopeKind()
VARIABLE_PREFIX = VariablePrefixKind()
QUOTA = CountKind(0, QUOTA_MAX, "(the largest quota the service stores; quota.unlimited for no limit)")
TIME_OF_DAY = TimeOfDayKind()
# A data center's name: the group data_center_<name> of the tenants inventory and of acronis_inventory_export.
DATA_CENTER_NAME = PatternKind("data center name", r"^[A-Za-z0-9_-]{1,64}$",
                               "1 to 64 letters, digits, _ or - (it names the group data_center_<name>)", "eu2",
                               [("a dot", "eu2.acronis"), ("a space", "eu 2"), ("a slash", "eu/2")])
EMAIL = EmailKind("e-mail address", 255)


def count(low, high=None, unit="", exclusive=False):
    """A CountKind: numbers from ``low`` (above it with ``exclusive``) to ``high``."""
    return CountKind(low, high, unit, exclusive)


def _walk(value, path, label):
    """(label, value) for each value at ``path`` (a list of parts) under ``value``."""
    if not path:
        if isinstance(value, (list, tuple)):
            for index, element in enumerate(value):
                yield "%s[%d]" % (label, index + 1), element
        else:
            yield label, value
        return
    part = path[0]
    if part == "[]":
        for index, element in enumerate(value or []):
            yield from _walk(element, path[1:], "%s[%d]" % (label, index + 1))
        return
    if isinstance(value, dict):
        yield from _walk(value.get(part), path[1:], "%s.%s" % (label, part) if label else part)


def _parts(path):
    return [part for part in re.split(r"\.|(\[\])", path) if part]


def option_values(params, path):
    """(label, value) for every value given at the option ``path`` (``items[].infra_id``) of ``params``."""
    return [(label, value) for label, value in _walk(params, _parts(path), "") if value is not None]


def kind_problem(params, raw, kinds, check_mode=False, aliases=None):
    """The failure message for the first value of ``params`` not of its declared kind, or None.

    ``raw`` holds the values as written (before ansible-core's type conversion): a string kind refuses a YAML
    boolean or number there. ``aliases`` maps an option to the names it may be given as in ``raw``.
    """
    raw = dict(raw or {})
    for name, names in (aliases or {}).items():
        for alias in names:
            if alias in raw and name not in raw:
                raw[name] = raw[alias]
    for path, kind in kinds.items():
        if kind.text:
            for label, value in option_values(raw, path):
                if isinstance(value, (bool, int, float)):
                    return ("Option %s must be a string as written, got the YAML %s %s; quote it (\"%s\") if you "
                            "mean that text." % (label, "boolean" if isinstance(value, bool) else "number",
                                                 _short(value), value))
        for label, value in option_values(params, path):
            problem = kind.problem(value, check_mode)
            if problem:
                return "Option %s %s." % (label, problem)
    return None


def check_declared(module, kinds, fields=()):
    """A module's declared checks, as AcronisModule.check_preconditions runs them before run(): the kinds of its
    options (its OPTION_KINDS) and state=absent without fields to set (its FIELDS_TO_SET)."""
    check_option_kinds(module, kinds)
    check_state_absent(module, fields)


def check_option_kinds(module, kinds):
    """Refuse, before any request, an option of ``module`` whose value is not of its declared kind."""
    spec = getattr(module, "argument_spec", None) or {}
    aliases = dict((name, option.get("aliases") or []) for name, option in spec.items())
    problem = kind_problem(module.params, getattr(module, "_acronis_raw_params", None), kinds,
                           check_mode=module.check_mode, aliases=aliases)
    if problem:
        raise AcronisFailure(problem)


# ---------------------------------------------------------------------------------------------------------------
# state: absent with fields to set (issue 28): one rule for every module with a state. The options that set a field
# of the object (its FIELDS_TO_SET) mean nothing to a deletion; given with state=absent, they are a mistake (a
# copied task, a forgotten state) and the task is refused before any request, naming them. Documented in the
# acronis.cyber_platform.state_absent doc fragment.
# ---------------------------------------------------------------------------------------------------------------

def fields_with_absent(params, spec, fields):
    """The options of ``fields`` given (not None, not their default) in ``params``, as labels."""
    given = []
    for path in fields:
        top = _parts(path)[0]
        default = (spec.get(top) or {}).get("default")
        for label, value in option_values(params, path):
            if path == top and value == default:
                continue
            if value in ([], {}) and default in (None, [], {}):
                continue
            given.append(label)
    return given


def check_state_absent(module, fields, state_option="state", absent="absent"):
    """Refuse state=absent given with options that set fields of the object, naming them."""
    if module.params.get(state_option) != absent:
        return
    given = fields_with_absent(module.params, getattr(module, "argument_spec", None) or {}, fields)
    if given:
        raise AcronisFailure("Option state is absent, which deletes the object, but %s %s: %s only set%s fields of an "
                             "object that is kept. Remove %s, or set state=present. Nothing was changed."
                             % (cap_list(given), "is given" if len(given) == 1 else "are given",
                                "it" if len(given) == 1 else "they", "s" if len(given) == 1 else "",
                                "it" if len(given) == 1 else "them"))


# ---------------------------------------------------------------------------------------------------------------
# Look-alike names (issue 28): two sibling names that a person cannot tell apart ("Acme" and "Аcme" with a Cyrillic
# А) show as identical hosts in the inventory. No confusables library is part of the collection's requirements, so
# this is a documented minimal rule: NFKC normalisation, case folding, invisible characters removed, and the
# Cyrillic and Greek letters that look like Latin ones mapped to those (the set below, from Unicode's confusables
# data for the letters of those scripts that render identically in common fonts). A look-alike only warns: it may
# be meant, and the service accepts it.
# ---------------------------------------------------------------------------------------------------------------

_LOOK_ALIKES = dict(zip(
    u"\u0430\u0432\u0435\u0455\u0456\u0458\u043a\u043c\u043d\u043e\u0440\u0441\u0442\u0443\u0445\u04bb\u0501\u051b"
    u"\u051d\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7\u0131",
    u"abesijkmhopctyxhdqwabeiknoptuxi"))


def may_look_alike(name):
    """Whether ``name`` may look like another name: it has a character beyond ASCII. Two ASCII names never do
    (the skeleton of an ASCII name is its lower case), so of any look-alike pair one name is not ASCII."""
    return isinstance(name, str) and any(ord(char) > 127 for char in name)


def name_skeleton(name):
    """What ``name`` looks like: NFKC, case-folded, invisible characters removed, look-alike letters mapped."""
    text = INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", name)).casefold()
    return "".join(_LOOK_ALIKES.get(char, char) for char in text)


def look_alike_warning(name, siblings, what="tenant", where=""):
    """A warning naming ``name`` and the sibling names that look the same but differ, or None."""
    if not isinstance(name, str):
        return None
    skeleton = name_skeleton(name)
    wanted = name.casefold()
    twins = sorted(set(other for other in siblings
                       if isinstance(other, str) and other.casefold() != wanted and name_skeleton(other) == skeleton))
    if not twins:
        return None
    others = ", ".join(ascii(twin) for twin in twins)
    return ("The %s name %s looks the same as %s %s%s but is a different name (look-alike or invisible characters); "
            "check that it is the one you mean."
            % (what, ascii(name), "that of" if len(twins) == 1 else "those of", others, where))


# ---------------------------------------------------------------------------------------------------------------
# A plugin's options (issue 28): an inventory source is a YAML file that ansible-core reads with its configuration
# system, which ignores a key it does not know (a typo of an option) and reads a non-boolean as false. The inventory
# plugin checks the file's own values here, with the option kinds above, before anything is read.
# ---------------------------------------------------------------------------------------------------------------

_TYPE_WORDS = {"bool": "a boolean (true or false)", "boolean": "a boolean (true or false)", "int": "a whole number",
               "integer": "a whole number", "float": "a number", "list": "a list", "dict": "a dictionary",
               "str": "a string", "string": "a string"}
_YAML_TYPES = {"bool": (bool,), "boolean": (bool,), "int": (int,), "integer": (int,), "float": (int, float),
               "list": (list,), "dict": (dict,), "str": (str,), "string": (str,)}


def plugin_options_problem(config, definitions, kinds, values=None):
    """The one line that says what is wrong with a plugin's configuration ``config`` (a source file), or None.

    ``definitions`` maps each option the plugin documents to its definition (``type``); ``kinds`` is the plugin's
    OPTION_KINDS; ``values`` holds the options as the plugin reads them (the file, the environment, defaults),
    checked against their kinds. An unknown key, a value of the wrong YAML type (include_disabled: "maybe") and a
    value not of its kind are refused, naming the option.
    """
    unknown = sorted(key for key in config or {} if key not in definitions)
    if unknown:
        near = difflib.get_close_matches(unknown[0], list(definitions), n=1)
        return ("Option %s is not an option of this plugin%s; the options are %s."
                % (_short(unknown[0]), " (did you mean %s?)" % near[0] if near else "",
                   cap_list(sorted(definitions), cap=40)))
    for name, value in sorted((config or {}).items()):
        wanted = _YAML_TYPES.get(str((definitions.get(name) or {}).get("type") or "str"))
        if value is None or wanted is None:
            continue
        if isinstance(value, bool) and bool not in wanted or not isinstance(value, wanted):
            wanted_name = _TYPE_WORDS.get(str(definitions[name].get("type") or "str"), "string")
            return "Option %s must be %s, got the %s %s." % (name, wanted_name, _type_name(value), _short(value))
    return kind_problem(values if values is not None else config, config, kinds)
