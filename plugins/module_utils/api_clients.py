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
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisAPIError

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
    return client.delete("/clients/{client_id}", missing_ok=True, what="deleted API client %s" % client_id,
                         client_id=client_id)


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
