# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Named operations on API clients and their credentials files."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import tempfile

from ansible_collections.acronis.cyber_platform.plugins.module_utils.client import AcronisClient
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisAPIError,
    AcronisFailure,
    failing_to,
)
from ansible_collections.acronis.cyber_platform.plugins.module_utils.diff import placeholder_id

# Keys of the credentials file: Acronis's api_client.json plus the data center.
CREDENTIALS_KEYS = ("client_id", "client_secret", "tenant_id", "base_url")


def own_tenant_id(client):
    """The tenant of the user the client authenticates as (``GET /users/me``)."""
    return client.get("/users/me")["tenant_id"]


def get_api_client(client, client_id):
    """The API client with this id (without its secret), or None."""
    return client.get_or_none("/clients/{client_id}", client_id=client_id)


def find_api_clients(client, tenant_id, client_name):
    """The live API clients of a tenant whose ``data.client_name`` is ``client_name``, oldest first."""
    body = client.get("/clients") or {}
    return [c for c in body.get("items") or []
            if c.get("tenant_id") == tenant_id and c.get("type", "api_client") == "api_client"
            and (c.get("data") or {}).get("client_name") == client_name]


def create_api_client(client, tenant_id, client_name, known_ids=()):
    """``POST /clients``; the reply, which holds the only copy of ``client_secret``.

    The secret is in the create's answer only. When that answer is lost, the client it may have made is
    looked up (by name, among those not in ``known_ids``, the clients there before): one found is of no use
    without its secret, so it is deleted, and the client is created again, within the retry budget.
    """
    body = {"type": "api_client", "tenant_id": tenant_id, "token_endpoint_auth_method": "client_secret_basic",
            "data": {"client_name": client_name}}

    def find_and_discard():
        for orphan in find_api_clients(client, tenant_id, client_name):
            if orphan["client_id"] not in known_ids:
                delete_api_client(client, orphan["client_id"])
        return None

    return client.create("/clients", body, find_and_discard)[0]


def delete_api_client(client, client_id):
    """``DELETE /clients/{id}``; False when it was already gone."""
    return client.delete("/clients/{client_id}", missing_ok=True, client_id=client_id)


def credentials_work(base_url, client_id, client_secret, **options):
    """True when the service issues a token to these credentials; False when it refuses them.

    Transport failures and other errors are raised: they prove nothing either way.
    """
    probe = AcronisClient(base_url, client_id=client_id, client_secret=client_secret, token_cache_dir=None, **options)
    try:
        probe.access_token()
    except AcronisAPIError as exc:
        if exc.status in (400, 401, 403):
            return False
        raise
    return True


def read_credentials(path):
    """The credentials file as a dict, or None when it is missing or not a JSON object."""
    try:
        with open(path) as stream:
            data = json.load(stream)
    except (IOError, OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_credentials(path, data):
    """Write ``data`` as JSON to ``path`` atomically (temp file in the same directory, then rename), mode 0600."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(path))
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w") as stream:
            json.dump(data, stream, indent=2, sort_keys=True)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except Exception:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# -------------------------------------------------------- the acronis_api_client task

SECRETS = ("client_secret", "registration_access_token")


def summary(api_client):
    """What the diff shows of a client."""
    return {"client_id": api_client.get("client_id"), "tenant_id": api_client.get("tenant_id"),
            "client_name": (api_client.get("data") or {}).get("client_name")}


def same_url(left, right):
    def norm(url):
        url = (url or "").rstrip("/")
        return url[:-len("/api/2")] if url.endswith("/api/2") else url
    return norm(left) == norm(right)


def working_client_in_dest(module, client, tenant_id):
    """The API client whose working credentials ``dest`` holds for this tenant and data center, or None."""
    p = module.params
    saved = read_credentials(p["dest"]) if p["dest"] else None
    if not saved or not saved.get("client_id") or not saved.get("client_secret"):
        return None
    if saved.get("tenant_id") != tenant_id or not same_url(saved.get("base_url") or p["base_url"], p["base_url"]):
        return None
    works = credentials_work(p["base_url"], saved["client_id"], saved["client_secret"],
                             validate_certs=p["validate_certs"], timeout=p["timeout"])
    if not works:
        return None
    found = get_api_client(client, saved["client_id"])
    return found if found is not None and found.get("tenant_id") == tenant_id else None


def check_dest_writable(module):
    """Fail before creating anything when the credentials could not be saved."""
    dest = module.params["dest"]
    if not dest:
        return
    directory = os.path.dirname(os.path.abspath(dest))
    if module.check_mode and not os.path.exists(directory):
        # An earlier task of the same play (ansible.builtin.file) creates it, but not in check mode.
        module.warn("The directory %s of dest does not exist yet; it must exist when the task runs for real"
                    % directory)
        return
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK | os.X_OK):
        raise AcronisFailure("Cannot write the credentials file %s: its directory %s does not exist or is not "
                             "writable. Nothing was created" % (dest, directory))
    if os.path.isdir(dest):
        raise AcronisFailure("dest %s is a directory; give the path of a file" % dest)


def ensure_present(module, client, tenant_id):
    """(changed, api client, its secret or None): the client of this name, created when missing."""
    p = module.params
    dest_client = working_client_in_dest(module, client, tenant_id)
    if dest_client is not None:
        return False, dest_client, None
    existing = find_api_clients(client, tenant_id, p["client_name"])
    if existing:
        if p["dest"]:
            module.warn("API client %r (%s) already exists for tenant %s, but %s does not hold its working "
                        "credentials, and its secret cannot be read back. Delete it (state=absent) and run "
                        "again to get a new one" % (p["client_name"], existing[0]["client_id"], tenant_id, p["dest"]))
        return False, existing[0], None
    check_dest_writable(module)
    if module.check_mode:
        predicted = {"client_id": placeholder_id("api_client", "%s/%s" % (tenant_id, p["client_name"])),
                     "tenant_id": tenant_id, "type": "api_client",
                     "token_endpoint_auth_method": "client_secret_basic", "data": {"client_name": p["client_name"]}}
        return True, predicted, None
    with failing_to("create API client %r for tenant %s" % (p["client_name"], tenant_id)):
        created = create_api_client(client, tenant_id, p["client_name"])
    secret = created.get("client_secret")
    if p["dest"]:
        try:
            write_credentials(p["dest"], {"client_id": created["client_id"], "client_secret": secret,
                                          "tenant_id": created["tenant_id"], "base_url": p["base_url"]})
        except (IOError, OSError) as exc:
            raise AcronisFailure("API client %r (%s) was created but its credentials could not be written to %s: "
                                 "%s. Delete it with state=absent and run again"
                                 % (p["client_name"], created["client_id"], p["dest"], exc.strerror or exc))
    shown = dict((k, v) for k, v in created.items() if k not in SECRETS)
    return True, shown, secret


def ensure_absent(module, client, tenant_id):
    """The ids of the API clients deleted (or that would be, in check mode)."""
    p = module.params
    saved = read_credentials(p["dest"]) if p["dest"] else None
    if p["api_client_id"] or not p["client_name"]:
        client_id = p["api_client_id"] or (saved or {}).get("client_id")
        if not client_id:
            return []
        module.check_uuid(client_id, "api_client_id" if p["api_client_id"] else "client_id in %s" % p["dest"])
        found = get_api_client(client, client_id)
        victims = [found] if found is not None else []
    else:
        victims = find_api_clients(client, tenant_id, p["client_name"])
    removed = [v["client_id"] for v in victims]
    if module.check_mode:
        return removed
    for victim in victims:
        delete_api_client(client, victim["client_id"])
    if saved and saved.get("client_id") in removed:
        os.unlink(p["dest"])
    return removed
