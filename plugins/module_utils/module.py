# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The module class every module of the collection runs in: connection options, client, failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import re
import threading
import traceback

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION
from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib, remove_values

from ansible_collections.acronis.cyber_platform.plugins.module_utils.budget import (
    DEFAULT_MAX_CONCURRENT_REQUESTS,
    DEFAULT_MAX_REQUESTS_PER_SECOND,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    TOKEN_PATH,
    client_from_options,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import (
    is_secret_key,
    mask_secrets,
    placeholder_options,
    secret_values,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError, AcronisFailure, failing_to
from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

ANSIBLE_CORE = tuple(int(part) for part in re.findall(r"\d+", ANSIBLE_CORE_VERSION)[:2])
# ansible-core 2.19 and later put a traceback given to fail_json in the result only when tracebacks are shown.
TRACEBACK_FILTERED = ANSIBLE_CORE >= (2, 19)


class LongestFirst(set):
    """A set of no_log values that the masking walks longest first.

    Before 2.19, ansible-core masks the no_log values of a result in the order of a set: where one value
    contains another (a password that contains the client secret), only the shorter one is masked and the
    rest of the longer one shows. 2.19 and later mask the longest first, as this set makes the older do.
    """

    def __iter__(self):
        return iter(sorted(set.__iter__(self), key=len, reverse=True))


def connection_argument_spec():
    """Options shared by every module; documented in the ``connection`` doc fragment."""
    return dict(
        base_url=dict(type="str", fallback=(env_fallback, ["ACRONIS_BASE_URL"])),
        credentials_file=dict(type="path", fallback=(env_fallback, ["ACRONIS_CREDENTIALS_FILE"])),
        client_id=dict(type="str", fallback=(env_fallback, ["ACRONIS_CLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["ACRONIS_CLIENT_SECRET"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["ACRONIS_VALIDATE_CERTS"])),
        timeout=dict(type="float", default=30, fallback=(env_fallback, ["ACRONIS_TIMEOUT"])),
        backoff_retries=dict(type="int", default=8, fallback=(env_fallback, ["ACRONIS_BACKOFF_RETRIES"])),
        backoff_delay=dict(type="float", default=1.0, fallback=(env_fallback, ["ACRONIS_BACKOFF_DELAY"])),
        backoff_max_delay=dict(type="float", default=30.0, fallback=(env_fallback, ["ACRONIS_BACKOFF_MAX_DELAY"])),
        token_cache=dict(type="bool", default=True, fallback=(env_fallback, ["ACRONIS_TOKEN_CACHE"])),
        token_cache_dir=dict(type="path", fallback=(env_fallback, ["ACRONIS_TOKEN_CACHE_DIR"])),
        token_renew_margin=dict(type="int", default=900, no_log=False,
                                fallback=(env_fallback, ["ACRONIS_TOKEN_RENEW_MARGIN"])),
        max_requests_per_second=dict(type="float", default=DEFAULT_MAX_REQUESTS_PER_SECOND,
                                     fallback=(env_fallback, ["ACRONIS_MAX_REQUESTS_PER_SECOND"])),
        max_concurrent_requests=dict(type="int", default=DEFAULT_MAX_CONCURRENT_REQUESTS,
                                     fallback=(env_fallback, ["ACRONIS_MAX_CONCURRENT_REQUESTS"])),
    )


# The connection options: check_preconditions and validation.check_connection check them, not the identifier rule.
CONNECTION_OPTIONS = frozenset(connection_argument_spec())


# One task that drives many tenants (acronis_fleet_onboarding, plugins/plugin_utils/fleet.py) runs a module's
# main() in each of its threads. ansible-core hands a module its arguments, and collects its warnings and result,
# through process-wide globals, which threads would share: a thread that runs a module sets its arguments here,
# and AcronisModule takes them from here, keeps its warnings and hands back its result (ModuleReturned) instead.
_IN_THREAD = threading.local()


class ModuleReturned(BaseException):
    """What a module run by ``run_in_thread`` returned: a BaseException, like the SystemExit it stands for."""

    def __init__(self, result):
        super(ModuleReturned, self).__init__("the module returned")
        self.result = result


def run_in_thread(main, params):
    """Call a module's ``main()`` in this thread with ``params`` (its arguments as JSON values, with ansible-core's
    ``_ansible_*`` keys); return its result, as ansible-core would have read it from a module process.

    Only modules built on ``AcronisModule`` can run this way. An exception that escapes the module is the caller's.
    """
    _IN_THREAD.params = params
    _IN_THREAD.warnings = []
    try:
        main()
    except ModuleReturned as returned:
        return returned.result
    finally:
        _IN_THREAD.params = None
        _IN_THREAD.warnings = None
    raise RuntimeError("the module returned no result")


def _in_thread():
    return getattr(_IN_THREAD, "params", None) is not None


class AcronisModule(AnsibleModule):
    """An ``AnsibleModule`` with the connection options and an API client.

    ``requires_client_credentials=False`` is for the one module that works
    with an administrator's login and password instead of an API client.

    Secrets (``diff.is_secret_key``) are masked in everything the task returns, its failure included;
    ``secret_returns`` lists the dotted paths of the secrets the module exists to return (``token``,
    ``api_client.client_secret``), left as they are. Secret values found in the options at any depth
    (``settings.vault.credentials.password``) become no_log values, masked by ansible-core everywhere.
    """

    def __init__(self, argument_spec, requires_client_credentials=True, secret_returns=(), option_kinds=None,
                 fields_to_set=(), **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        self._acronis_secret_returns = tuple(secret_returns)
        # The module's declarations for the validation layer (issue 28): {option path: validation kind}, and the
        # options that set fields of the object, refused with state=absent. Checked in check_preconditions.
        self._acronis_option_kinds = dict(option_kinds or {})
        self._acronis_fields_to_set = tuple(fields_to_set)
        self._acronis_from_credentials_file = ()
        self._acronis_validating = True
        super(AcronisModule, self).__init__(argument_spec=spec, **kwargs)
        self._acronis_validating = False
        self.register_secrets()
        self._requires_client_credentials = requires_client_credentials
        self._client = None
        self._clients = []      # every client this task made (make_client): what they met from other writers

    def _load_params(self):
        if _in_thread():
            self.params = copy.deepcopy(_IN_THREAD.params)
        else:
            super(AcronisModule, self)._load_params()
        # The task's arguments as given: ansible-core's str type turns a list into its text,
        # and validation.raw_strings refuses that with a message that names the option.
        self._acronis_raw_params = copy.deepcopy(self.params)

    def fail_json(self, msg=None, **kwargs):
        if getattr(self, "_acronis_validating", False) and msg and "dictionary requested" in msg:
            # ansible-core's message for a value that is not a dictionary does not name the option.
            msg = validation.shape_problem(self.argument_spec, getattr(self, "_acronis_raw_params", None)) or msg
        if getattr(self, "_acronis_validating", False):
            # ansible-core's own checks (required_if, required_one_of, types) run first and would blame another
            # option when the cause is an identifier given empty, blank or null: name that one (issue 33).
            msg = validation.identifier_problem(self.argument_spec, getattr(self, "_acronis_raw_params", None),
                                                skip=CONNECTION_OPTIONS) or msg
        self.register_secrets()
        self._mask_longest_first()
        if _in_thread():
            self._return_in_thread(dict(self.mask_result(kwargs), failed=True, msg=msg))
        super(AcronisModule, self).fail_json(msg=msg, **self.mask_result(kwargs))

    def exit_json(self, **kwargs):
        self._mask_longest_first()
        if _in_thread():
            self._return_in_thread(self.mask_result(kwargs))
        super(AcronisModule, self).exit_json(**self.mask_result(kwargs))

    def _return_in_thread(self, result):
        """What ansible-core's exit would return, for run_in_thread: the warnings added, the no_log values masked."""
        if _IN_THREAD.warnings:
            result["warnings"] = list(_IN_THREAD.warnings)
        preserved = dict((key, value) for key, value in result.items() if value is None or isinstance(value, bool))
        result = remove_values(result, LongestFirst(getattr(self, "no_log_values", ())))
        result.update(preserved)
        raise ModuleReturned(result)

    def warn(self, warning, *args, **kwargs):
        """ansible-core's warn with the no_log values masked first: 2.19 and later keep a warning as an
        object that their own masking of the result does not look into."""
        values = getattr(self, "no_log_values", None)
        if values and isinstance(warning, str):
            warning = remove_values(warning, LongestFirst(values))
        if _in_thread():
            _IN_THREAD.warnings.append(warning)
            return
        super(AcronisModule, self).warn(warning, *args, **kwargs)

    def mask_result(self, result):
        """``result`` with every secret masked (diff.mask_secrets), but those the module exists to return."""
        return mask_secrets(result, keep=getattr(self, "_acronis_secret_returns", ()))

    def register_secrets(self):
        """Make every secret value of the options a no_log value (ansible-core masks those in all output).

        An option whose own name names a secret is no_log already; the walk adds what such keys hold deeper
        down, in free-form dicts such as acronis_protection_plan's ``settings``. An option with fixed
        ``choices`` or ``no_log=False`` (``update_password``) holds no secret, though its name may say so.
        """
        if getattr(self, "no_log_values", None) is None:
            return
        params = getattr(self, "params", None) or getattr(self, "_acronis_raw_params", None) or {}
        spec = getattr(self, "argument_spec", None) or {}
        for name, value in params.items():
            option = spec.get(name) or {}
            plain = option.get("choices") or option.get("no_log") is False or option.get("type") == "bool"
            found = secret_values({name: value}) if is_secret_key(name) and not plain else secret_values(value)
            for secret in found:
                self.no_log_values.add(secret)

    def _mask_longest_first(self):
        if ANSIBLE_CORE < (2, 19):
            self.no_log_values = LongestFirst(getattr(self, "no_log_values", ()))

    def check_preconditions(self):
        """Raise ``AcronisFailure`` when the module cannot run at all (no requests library, no credentials)."""
        if not HAS_REQUESTS:
            raise AcronisFailure(missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self._read_credentials_file()
        if not self.params["base_url"]:
            raise AcronisFailure("base_url is required: set it as an option, in module_defaults, as ACRONIS_BASE_URL, "
                                 "or in a credentials_file")
        if self._requires_client_credentials and not (self.params["client_id"] and self.params["client_secret"]):
            raise AcronisFailure("client_id and client_secret are required: set them as options, in "
                                 "module_defaults, as ACRONIS_CLIENT_ID and ACRONIS_CLIENT_SECRET, or in a "
                                 "credentials_file")
        validation.check_connection(self.params)
        validation.raw_strings(self, *[name for name, spec in self.argument_spec.items()
                                       if spec.get("type", "str") in ("str", "path")])
        # An option that names an object is left out or names one: never empty, blank or null (issue 33).
        validation.check_identifiers(self, skip=CONNECTION_OPTIONS)
        # Every declared option kind, and state=absent without fields to set (issue 28): the same checks in check
        # mode as in the real run, before run() sends anything.
        validation.check_declared(self, self._acronis_option_kinds, self._acronis_fields_to_set)

    def _read_credentials_file(self):
        """Fill base_url, client_id and client_secret left unset from the JSON file ``credentials_file``.

        The file is the one acronis_api_client writes (``dest``). What the task, module_defaults or the
        ACRONIS_* variables set wins over it.
        """
        path = self.params["credentials_file"]
        if not path:
            return
        try:
            with open(path) as stream:
                credentials = json.load(stream)
        except (IOError, OSError) as exc:
            raise AcronisFailure("Option credentials_file: cannot read %s (%s); write it with acronis_api_client "
                                 "(dest), or point the option at it." % (path, exc.strerror or exc))
        except ValueError:
            raise AcronisFailure("Option credentials_file: %s is not JSON; it must hold the base_url, client_id and "
                                 "client_secret that acronis_api_client writes (dest)." % path)
        if not isinstance(credentials, dict):
            raise AcronisFailure("Option credentials_file: %s must hold a JSON object with base_url, client_id and "
                                 "client_secret." % path)
        for key in ("base_url", "client_id", "client_secret"):
            value = credentials.get(key)
            if self.params.get(key) or value is None:
                continue
            if not isinstance(value, str):
                raise AcronisFailure("Option credentials_file: %s of %s must be a string." % (key, path))
            self.params[key] = value
            self._acronis_from_credentials_file += (key,)
            if key == "client_secret":
                self.no_log_values.add(value)

    def _credentials_file_hint(self, error):
        """The file a refused credential came from, as the end of the failure's message, or ''."""
        keys = [key for key in self._acronis_from_credentials_file if key in ("client_id", "client_secret")]
        if not keys or not isinstance(error, dict) or error.get("path") != TOKEN_PATH or \
                error.get("status") not in (400, 401, 403):
            return ""
        return (" The %s came from credentials_file %s: check that file (acronis_api_client writes it, dest) or "
                "set the option%s." % (" and ".join(keys), self.params["credentials_file"],
                                       "s" if len(keys) > 1 else ""))

    def make_client(self, **overrides):
        """A client built from the connection options; read-only in check mode."""
        overrides.setdefault("read_only", self.check_mode)
        client = client_from_options(self.params.get, shared=True, **overrides)
        self._clients.append(client)
        return client

    @property
    def client(self):
        if self._client is None:
            self._client = self.make_client()
        return self._client

    def execute(self, run):
        """Run the module's ``run(module)`` and return its result.

        The one place where an error becomes the task's failure: helpers raise
        ``AcronisFailure`` (or let an ``AcronisError`` through) and never call
        ``fail_json`` themselves. Anything else is a bug of the collection: the
        task fails with one line, and the traceback is shown only at ``-vvv``.
        """
        try:
            self.check_preconditions()
            result = run(self)
            if not isinstance(result, dict):
                raise TypeError("run() returned %s instead of the result of the task" % type(result).__name__)
            result = self.after_other_writers(result)
        except AcronisFailure as failure:
            self.fail_json(msg=failure.msg + self._credentials_file_hint(failure.result.get("error")),
                           **failure.result)
        except AcronisError as exc:
            self.fail_json(msg="Failed: %s%s" % (exc, self._credentials_file_hint(exc.to_dict())), error=exc.to_dict())
        except Exception as exc:  # pylint: disable=broad-except
            details = {}
            # ansible-core 2.19 and later keep the traceback out of the result unless tracebacks are shown; before
            # 2.19 a given traceback is always shown, its last line (the exception's class) even below -vvv.
            if TRACEBACK_FILTERED or self._verbosity >= 3:
                details["exception"] = traceback.format_exc()
            self.fail_json(msg="%s stopped on an unexpected error (%s); this is a bug of the acronis.cyber_platform "
                               "collection, please report it with the output of -vvv"
                               % (self._name, one_line(exc)), **details)
        self.exit_json(**result)

    def after_other_writers(self, result):
        """The result of a task during which another writer changed the same objects first.

        The client resolved each refusal by reading (``AcronisClient.settle``, ``create``, ``delete``); here
        each change another writer made is a warning, and a task that carried out no write of its own
        changed nothing, whatever it set out to do: its recap tells the truth about what it did.
        """
        clients = getattr(self, "_clients", [])
        notes = []
        outcomes = {}
        for client in clients:
            notes.extend(note for note in client.concurrency["other_writers"] if note not in notes)
            outcomes.update(client.concurrency.get("outcomes") or {})
        for note in notes:
            self.warn("Another writer got there first while this task ran (%s); %s." % (
                note, outcomes.get(note) or "the task read the object again and did not make that change twice"))
        if notes and result.get("changed") and not any(client.concurrency["applied"] for client in clients):
            result = dict(result, changed=False)
        return result

    def check_uuid(self, value, what, of=None):
        """``validation.check_uuid`` in this task's mode: a placeholder id passes only in check mode."""
        validation.check_uuid(value, what, self.check_mode, of=of)

    def tenant_or_own(self, tenant_id):
        """``tenant_id``, or the tenant of the API client when it is unset."""
        if tenant_id:
            return tenant_id
        with failing_to("read the tenant of the API client"):
            return self.client.client_tenant_id()

    def preview_of_new(self, options, new_has, **result):
        """The result of a task about objects that an earlier task of this check-mode run would create, or None.

        The one rule of the _info modules for check-mode placeholders (see docs/developing.md): when one of
        ``options`` names only placeholder ids (``diff.placeholder_options``), nothing is read about them, and
        the task returns ``result``, what a new object has (no usage, no machines, no users ...), with a warning
        that says it is a preview; ``new_has`` says what that is, for the warning. Outside check mode a
        placeholder is refused (``check_uuid``). None means: no option names a placeholder only, read as usual.
        """
        found = placeholder_options(self.params, options)
        if not found:
            return None
        option, value = found[0]
        if not self.check_mode:
            self.check_uuid(value, option)
        self.warn("Check mode preview: %s %s is the placeholder of an object that an earlier task of this run would "
                  "create, so nothing was read about it, and the result is what a new one has: %s."
                  % (option, value, new_has))
        return dict(result, changed=False)


def one_line(exc):
    """An exception's text on one line, without its class: what a person can read in a task's failure."""
    text = " ".join(str(exc).split())
    if isinstance(exc, KeyError) and exc.args:
        text = "no value for %r" % (exc.args[0],)
    text = text or "no detail given"
    return text if len(text) <= 300 else text[:300] + "..."
