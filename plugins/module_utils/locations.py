# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Locations and storages (infrastructure components): ``/locations``, ``/infra``, ``/tenants/{id}/locations``.

A tenant may use its own locations and its ancestors' (the platform's among them, ``readonly`` for it); a
location holds storages. Offering items and protection plans name a storage by its id (``infra_id``);
``resolve_storage`` and ``resolve_location`` turn a name a person wrote into that id, or refuse it with the
candidates listed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import AcronisError, AcronisFailure
from ansible_collections.acronis.cyber_platform.plugins.module_utils.validation import cap_list, is_uuid

BATCH = 100


def _batch(client, path, ids):
    found = []
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        found.extend((client.get(path, params={"uuids": ",".join(chunk)}) or {}).get("items") or [])
    return found


# ------------------------------------------------------------------- reading

def usable_location_ids(client, tenant_id):
    """Ids of the locations a tenant may use: its own, then its ancestors' (nearest first)."""
    body = client.get("/tenants/{tenant_id}/locations", tenant_id=tenant_id) or {}
    return list(body.get("locations") or [])


def get_locations(client, location_ids):
    """The locations with these ids, in that order."""
    return _batch(client, "/locations", location_ids)


def get_location(client, location_id):
    """One location, or None when the service answers 404."""
    return client.get_or_none("/locations/{location_id}", location_id=location_id)


def location_infra_ids(client, location_id):
    """Ids of the storages of a location."""
    return list((client.get("/locations/{location_id}/infra", location_id=location_id) or {}).get("infras") or [])


def get_infras(client, infra_ids):
    """The storages with these ids, in that order."""
    return _batch(client, "/infra", infra_ids)


def usable_locations(client, tenant_id):
    """The locations a tenant may use, each with ``infras``: the storages it holds."""
    location_ids = usable_location_ids(client, tenant_id)
    held = dict((location_id, location_infra_ids(client, location_id)) for location_id in location_ids)
    return with_infras(get_locations(client, location_ids), held,
                       get_infras(client, [infra_id for ids in held.values() for infra_id in ids]))


def with_infras(locations, held, infras):
    """``locations`` each with ``infras``, the storages of ``held`` ({location id: [infra ids]})."""
    by_id = dict((infra["id"], infra) for infra in infras)
    for location in locations:
        location["infras"] = [by_id[infra_id] for infra_id in held.get(location["id"], []) if infra_id in by_id]
    return locations


def usable_storages(locations):
    """The storages of ``locations`` (as ``usable_locations`` reads them), each with its ``location_name``."""
    storages = []
    for location in locations:
        for infra in location.get("infras") or []:
            storages.append(dict(infra, location_name=location.get("name")))
    return storages


def owned_by(locations, owner_id):
    """The locations owned by ``owner_id`` (the ones it may change)."""
    return [location for location in locations if location.get("owner_tenant_id") == owner_id]


# ------------------------------------------------------------------- names

def _label(obj):
    return "%s (%s)" % (obj.get("name"), obj.get("id"))


def resolve(candidates, wanted, option, what):
    """The one object of ``candidates`` that ``wanted`` names: its id, or its name (case-insensitive).

    An unknown name or id, or a name that several candidates share, is refused with the candidates listed;
    the message names the option.
    """
    if is_uuid(wanted):
        for obj in candidates:
            if obj.get("id", "").lower() == wanted.lower():
                return obj
        raise AcronisFailure("Option %s: no %s has the id %s here; the %ss are: %s."
                             % (option, what, wanted, what, cap_list([_label(obj) for obj in candidates])))
    matches = [obj for obj in candidates if (obj.get("name") or "").lower() == str(wanted).lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise AcronisFailure("Option %s: no %s is named '%s'; the %ss are: %s."
                             % (option, what, wanted, what,
                                cap_list([_label(obj) for obj in candidates], near=wanted)))
    raise AcronisFailure("Option %s: %d %ss are named '%s' (%s); give the id of the one you mean."
                         % (option, len(matches), what, wanted, ", ".join(_label(obj) for obj in matches)))


def resolve_storage(storages, wanted, option, location=None):
    """The storage ``wanted`` names (id or name), among ``storages``, only in ``location`` when given."""
    if location is not None:
        storages = [infra for infra in storages if infra.get("location_id") == location["id"]]
    return resolve(storages, wanted, option, "storage")


class Places(object):
    """The locations and storages a tenant may use, read once, and only as far as a task needs them.

    Naming a storage costs its ids by location and one batch of storages; the locations' own fields (their
    names) are read only when a location is named or the storages are shown with their location's name.
    """

    def __init__(self, client, tenant_id):
        self.client = client
        self.tenant_id = tenant_id
        self._held = None
        self._infras = None
        self._locations = None

    def _read(self, reader, *args):
        try:
            return reader(self.client, *args)
        except AcronisError as exc:
            raise AcronisFailure("Failed to read the locations and storages tenant %s may use: %s"
                                 % (self.tenant_id, exc), error=exc.to_dict())

    @property
    def held(self):
        """{location id: [ids of its storages]}, in the order the service lists the locations."""
        if self._held is None:
            self._held = dict((location_id, self._read(location_infra_ids, location_id))
                              for location_id in self._read(usable_location_ids, self.tenant_id))
        return self._held

    @property
    def infras(self):
        """The storages, without their location's name."""
        if self._infras is None:
            self._infras = self._read(get_infras, [infra_id for ids in self.held.values() for infra_id in ids])
        return self._infras

    @property
    def locations(self):
        """The locations, each with ``infras``."""
        if self._locations is None:
            self._locations = with_infras(self._read(get_locations, list(self.held)), self.held, self.infras)
        return self._locations

    @property
    def storages(self):
        """The storages, each with its ``location_name``."""
        return usable_storages(self.locations)

    def storage_id(self, wanted, option, location=None, location_option=None):
        """The id of the storage ``wanted`` (a name or an id), optionally in the location ``location`` names.

        ``option`` names the option in a refusal (``items[].infra``); ``location_option`` the location's, by
        default the same with ``location`` for its last part.
        """
        where = None
        if location:
            where = resolve(self.locations, location, location_option or option.rsplit(".", 1)[0] + ".location",
                            "location")
        return resolve_storage(self.infras, wanted, option, where)["id"]


# ------------------------------------------------------------------- writing

def create_location(client, owner_tenant_id, name, find):
    """``POST /locations``; ``(location, adopted)`` (a lost answer resolved by ``find``)."""
    return client.create("/locations", {"owner_tenant_id": owner_tenant_id, "name": name}, find)


def rename_location(client, location_id, version, name):
    """``PUT /locations/{id}`` with the current version; the location.

    An outdated version (another writer, or our own attempt whose answer was lost) is resolved by reading the
    location again (``AcronisClient.settle``): already so named, nothing is sent; otherwise the name is sent
    again with the fresh version.
    """
    def write(fresh):
        return client.put("/locations/{location_id}", json={"name": name, "version": (fresh or {}).get("version", version)},
                          location_id=location_id)

    return client.settle("renamed location %s to '%s'" % (location_id, name), write,
                         lambda: get_location(client, location_id), lambda fresh: fresh.get("name") == name)[0]


def delete_location(client, location_id, version):
    """``DELETE /locations/{id}?version=``; False when it was already gone."""
    return client.delete("/locations/{location_id}", params={"version": version}, missing_ok=True,
                         location_id=location_id)


CAPABILITIES = ("backup", "disaster_recovery", "files_cloud", "vcd")
INFRA_FIELDS = ("name", "location_id", "url", "capabilities", "content_url", "content_mobile_url", "backend_type")


def get_infra(client, infra_id):
    """One storage, or None when the service answers 404."""
    return client.get_or_none("/infra/{infra_id}", infra_id=infra_id)


def register_infra(client, body, find):
    """``POST /infra``; ``(storage, adopted)`` (a lost answer resolved by ``find``)."""
    return client.create("/infra", body, find)


def update_infra(client, infra_id, version, changes):
    """``PUT /infra/{id}`` with the current version and the fields that change; the storage.

    An outdated version (another writer, or our own attempt whose answer was lost) is resolved by reading the
    storage again (``AcronisClient.settle``): when it already has the fields, nothing is sent; otherwise they
    are sent again with the fresh version, and the fields the task does not name keep what the other writer set.
    """
    def write(fresh):
        return client.put("/infra/{infra_id}", json=dict(changes, version=(fresh or {}).get("version", version)),
                          infra_id=infra_id)

    return client.settle("updated storage %s (%s)" % (infra_id, ", ".join(sorted(changes))), write,
                         lambda: get_infra(client, infra_id),
                         lambda fresh: all(fresh.get(key) == value for key, value in changes.items()))[0]


def unregister_infra(client, infra_id, version):
    """``DELETE /infra/{id}?version=``; False when it was already gone."""
    return client.delete("/infra/{infra_id}", params={"version": version}, missing_ok=True, infra_id=infra_id)
