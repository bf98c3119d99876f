# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection options, documented once in two variants (as amazon.aws's ``common`` fragment has them).

- ``acronis.cyber_platform.connection`` (``DOCUMENTATION``): for modules, whose argument spec
  (``module_utils/module.py``, ``connection_argument_spec``) reads the ``ACRONIS_*`` variables itself.
- ``acronis.cyber_platform.connection.plugins`` (``PLUGINS``): for the controller-side plugins (the
  ``tenants`` inventory), whose options Ansible's configuration system reads, so each declares its ``env:``.

Both are built from ``_OPTIONS`` below, so the two texts cannot drift apart. A variant's own lines (where a
module's value comes from when unset, what only a module or only a plugin does) are named as such.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json


def _option(env, option_type, description, default=None, modules=(), plugins=(), credentials_file=False,
            required=False, only=None):
    """One connection option: its ACRONIS_* variable, its type, default and text, and each variant's own lines.

    ``credentials_file``: a module also reads it from O(credentials_file); ``required``: a module needs it from
    one of the three. ``only``: "modules" for an option that only modules take.
    """
    return dict(env=env, type=option_type, description=list(description), default=default, modules=list(modules),
                plugins=list(plugins), credentials_file=credentials_file, required=required, only=only)


# The options, written once.
_OPTIONS = dict(
    base_url=_option(
        "ACRONIS_BASE_URL", "str",
        ["URL of the Acronis data center, for example V(https://eu2-cloud.acronis.com).",
         "A trailing V(/api/2) is accepted and ignored."],
        credentials_file=True, required=True,
        plugins=["Required, here or in the environment."]),
    credentials_file=_option(
        "ACRONIS_CREDENTIALS_FILE", "path",
        ["JSON file with the V(base_url), V(client_id) and V(client_secret) of an API client, as "
         "M(acronis.cyber_platform.acronis_api_client) writes it (its "
         "O(acronis.cyber_platform.acronis_api_client#module:dest)).",
         "It fills only what the task, C(module_defaults) and the E(ACRONIS_*) variables leave unset."],
        only="modules"),
    client_id=_option(
        "ACRONIS_CLIENT_ID", "str",
        ["Client ID of the API client to authenticate as."],
        credentials_file=True,
        plugins=["Required, here or in the environment."]),
    client_secret=_option(
        "ACRONIS_CLIENT_SECRET", "str",
        ["Secret of the API client."],
        credentials_file=True,
        plugins=["Required, here or in the environment.",
                 "Keep it out of inventory files in clear text; use the environment variable "
                 "(an AWX credential injects it) or Ansible Vault."]),
    validate_certs=_option(
        "ACRONIS_VALIDATE_CERTS", "bool",
        ["Whether to check the TLS certificate of the data center.",
         "Set to V(false) only for a test endpoint with a self-signed certificate."],
        default=True),
    timeout=_option(
        "ACRONIS_TIMEOUT", "float",
        ["Seconds to wait for the service to answer one request."],
        default=30),
    backoff_retries=_option(
        "ACRONIS_BACKOFF_RETRIES", "int",
        ["How many times a request is retried after HTTP 429, 502, 503 or 504 or a connection failure.",
         "A C(Retry-After) answer is waited for (never less), with random jitter after it, so that parallel "
         "forks throttled together spread out; a token request is retried like any other."],
        default=8,
        modules=["A request that creates an object is never replayed once it may have reached the service; "
                 "the module looks the object up instead - found, it is the one created; absent, it is created "
                 "again, within this budget. An update whose retry meets the version its own first attempt "
                 "changed is read again and compared; a delete whose retry finds the object gone is done."]),
    backoff_delay=_option(
        "ACRONIS_BACKOFF_DELAY", "float",
        ["Seconds of the first retry delay; each later retry waits about twice as long, with random jitter.",
         "A C(Retry-After) header sent by the service takes precedence."],
        default=1.0),
    backoff_max_delay=_option(
        "ACRONIS_BACKOFF_MAX_DELAY", "float",
        ["Upper bound, in seconds, of any single retry delay, including one asked for by C(Retry-After)."],
        default=30.0),
    token_cache=_option(
        "ACRONIS_TOKEN_CACHE", "bool",
        ["Whether to keep access tokens on disk, so that the tasks and forks of a run, and the inventory "
         "plugin, share one token instead of issuing one each.",
         "Cache files are readable by their owner only, and keyed by data center, client ID and secret."],
        default=True),
    token_cache_dir=_option(
        "ACRONIS_TOKEN_CACHE_DIR", "path",
        ["Directory of the token cache.",
         "Defaults to C(acronis.cyber_platform/tokens) under E(XDG_CACHE_HOME), or under C(~/.cache)."]),
    token_renew_margin=_option(
        "ACRONIS_TOKEN_RENEW_MARGIN", "int",
        ["A token with less than this many seconds of life left is renewed before use."],
        default=900),
    max_requests_per_second=_option(
        "ACRONIS_MAX_REQUESTS_PER_SECOND", "float",
        ["The request budget's rate: at most this many requests to the data center start in any one second, "
         "counted over every fork, task and job of the machine that runs them (a fraction spaces them out: "
         "V(0.5) is one request every two seconds). V(0) sets no limit.",
         "The budget belongs to the data center (O(base_url)) and is shared through files in the token cache's "
         "directory (O(token_cache_dir), also when O(token_cache) is off; the files hold no secret). Where that "
         "directory cannot be written, each process keeps its own budget.",
         "A C(429 Too Many Requests) answer with C(Retry-After) pauses the whole data center's budget until then, "
         "not only the fork that met it.",
         "Acronis publishes no limit, so the default is deliberately conservative for a production data center "
         "that other partners share: it slows a large run with many forks (50 customers with C(--forks 10) at "
         "50 ms took about twice as long as without a budget). Raise it where you know your data center's limit, "
         "lower it when the data center answers C(429)."],
        default=20.0),
    max_concurrent_requests=_option(
        "ACRONIS_MAX_CONCURRENT_REQUESTS", "int",
        ["The request budget's concurrency: at most this many requests to the data center are in flight at "
         "once, over every fork, task and job of the machine, shared like O(max_requests_per_second). V(0) sets "
         "no limit.",
         "The default, V(10), is what C(--forks 10) sends at most; more forks then wait for a free slot rather "
         "than load the data center more."],
        default=10),
)

_REQUIREMENTS = ["requests >= 2.25.0"]

_MODULE_NOTES = [
    "The modules talk to the Acronis API from the host they run on, usually the controller "
    "(C(delegate_to: localhost) or C(connection: local)).",
    "Every module of the collection belongs to the C(acronis.cyber_platform.acronis) action group, "
    "so the connection options can be set once with C(module_defaults).",
    "Identifiers - an option that names a tenant, user, machine, plan, scope or other object by id or by name "
    "(C(id), C(name), C(login), C(user), C(tenant), C(hostname), C(text), C(edition), C(scopes), C(units), and every "
    "option or suboption whose name ends in C(_id), C(_ids), C(_name) or C(_names)) is either B(unset) or a real "
    "identifier. Unset (the option left out, or C(omit)) keeps the meaning the option documents, often the API "
    "client's own tenant. An B(empty) (C('')) or B(blank) (whitespace) value, a B(null) one, an empty list or a list "
    "with such an element is refused before any request, naming the option (a suboption, such as "
    "C(roles[].tenant_id), given null counts as unset): the API would read it as no filter and "
    "widen the task to the API client's own tenant or its whole subtree. One option keeps accepting an empty value - "
    "C(customer_id) of M(acronis.cyber_platform.acronis_tenant), a property of the tenant that C('') clears.",
]

_MODULE_SEEALSO = [
    dict(name="Acronis Account Management API", description="Reference of the API these modules use.",
         link="https://developer.acronis.com/doc/account-management/v2/guide/index"),
]


def _variant(variant):
    """The fragment's YAML (written as JSON, which YAML reads) for ``variant``, "modules" or "plugins"."""
    options = {}
    for name, spec in _OPTIONS.items():
        if spec["only"] not in (None, variant):
            continue
        description = spec["description"] + spec[variant]
        if variant == "modules":
            # A module's argument spec falls back to the variable (and to the credentials file) itself.
            description.append("If not set, the value of the E(%s) environment variable is used%s.%s" % (
                spec["env"], ", then the one of O(credentials_file)" if spec["credentials_file"] else "",
                " One of the three is required." if spec["required"] else ""))
        option = dict(description=description, type=spec["type"])
        if spec["default"] is not None:
            option["default"] = spec["default"]
        if variant == "plugins":
            option["env"] = [dict(name=spec["env"])]
        options[name] = option
    fragment = dict(options=options, requirements=list(_REQUIREMENTS))
    if variant == "modules":
        fragment.update(notes=list(_MODULE_NOTES), seealso=list(_MODULE_SEEALSO))
    return json.dumps(fragment, indent=2)


class ModuleDocFragment(object):
    """``DOCUMENTATION`` and ``PLUGINS``, built below from ``_OPTIONS``."""


# Set after the class, not in its body: ansible-test's yamllint sanity test reads every assignment in a doc
# fragment's class body as a string literal.
ModuleDocFragment.DOCUMENTATION = _variant("modules")
ModuleDocFragment.PLUGINS = _variant("plugins")
