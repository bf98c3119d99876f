"""Locations and storages (infrastructure components): /locations, /infra, /tenants/{id}/locations.

Follows the guide "Managing locations and storages" (Location and Storage object structures, "Fetching
locations", "Fetching storages", "Registering a storage") and the operations of the full published
specification (openapi/account-management-v2.extract.openapi.json, listed in spec_deviations.py):

- The world starts with one platform-owned location, "Acronis Cloud", owned by the platform's root and
  holding the storages of the world's catalog (world.catalog.infras, with the ids the offering items use).
- A location or storage is visible to callers whose subtree holds its owner, and to those below its owner
  (``readonly`` true: owned by an ancestor or by the platform). Only visible, non-readonly objects change.
- ``GET /tenants/{id}/locations`` lists the locations the tenant may use: its own and its ancestors'.
- ``PUT`` needs the current ``version`` (409/1001 otherwise) and adds 1 to it; ``DELETE`` takes it as
  ``?version=``. A location that still holds storages is not deleted (409, the simulator's rule).
- ``POST /infra`` without ``location_id`` puts the storage in its owner's first location, else in the
  first location the owner may use.
"""

import uuid

from flask import Blueprint, jsonify, request

from .. import catalog
from ..auth import can_see, principal, require_write, visible_tenant, writable_tenant
from ..context import world
from ..errors import ApiError, bad_request, forbidden, not_found
from ..helpers import check_version, is_uuid, json_body

bp = Blueprint("locations", __name__, url_prefix="/api/2")

PLATFORM_LOCATION_NAME = "Acronis Cloud"
_BACKENDS = {"019097a6-114f-4418-bd54-e01ef049f209": "acronis",
             "ba2976d0-c13e-4661-ae60-b4593583fce2": "google",
             "05348371-d95e-4cab-af2a-8e2cadafc30d": "azure"}


def _platform_id(kind, name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "acronis-simulator:%s:%s" % (kind, name)))


def _capabilities(world_catalog, infra_id):
    """What a storage of the world's catalog serves: what its offering items are for."""
    caps = ["backup"]
    if infra_id in world_catalog.dr_infras:
        caps.append("disaster_recovery")
    if any(item["infra_id"] == infra_id and item["application_id"] == catalog.FILES_CLOUD
           for item in world_catalog.offering_items):
        caps.append("files_cloud")
    return caps


def _store(state):
    """{"locations": {id: record}, "infras": {id: record}}, the platform's own made on first use."""
    store = state.ext.get("locations")
    if store is None:
        location_id = _platform_id("location", PLATFORM_LOCATION_NAME)
        store = {"locations": {location_id: {"id": location_id, "owner_tenant_id": state.root_id,
                                             "platform_owned": True, "name": PLATFORM_LOCATION_NAME,
                                             "version": 1}},
                 "infras": {}}
        for infra_id, name in state.catalog.infras.items():
            store["infras"][infra_id] = {
                "id": infra_id, "owner_tenant_id": state.root_id, "location_id": location_id,
                "platform_owned": True, "name": name,
                "url": "acronis+fes://%s.storage.simulator.invalid:44445" % infra_id[:8],
                "capabilities": _capabilities(state.catalog, infra_id), "backend_type": _BACKENDS.get(infra_id, "acronis"),
                "version": 1}
        state.ext["locations"] = store
    return store


def _readonly(state, record):
    """True when the caller sees the object only because it is below the owner."""
    return record["platform_owned"] or not can_see(record["owner_tenant_id"])


def _visible(state, record):
    caller = principal()
    if caller.scope_root is None:
        return False
    return can_see(record["owner_tenant_id"]) or record["owner_tenant_id"] in state.ancestors(caller.scope_root)


def _view(state, record):
    view = {key: value for key, value in record.items() if value is not None or key == "backend_type"}
    view["readonly"] = _readonly(state, record)
    return view


def _get(state, kind, object_id):
    """A visible location or infra: 404 when unknown, 403 when not visible."""
    record = _store(state)[kind + "s"].get(object_id)
    label = "location" if kind == "location" else "storage"
    if record is None:
        raise not_found(label, object_id)
    if not _visible(state, record):
        raise forbidden("Access to %s %s is denied." % (label, object_id), context={"id": object_id})
    return record


def _changeable(state, kind, object_id):
    record = _get(state, kind, object_id)
    require_write()
    if _readonly(state, record):
        raise forbidden("The %s %s belongs to the platform or to an ancestor and cannot be changed."
                        % ("location" if kind == "location" else "storage", object_id),
                        context={"id": object_id})
    return record


def _uuids(name):
    raw = request.args.get("uuids", "")
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not ids:
        raise bad_request("Query parameter '%s' must list at least one UUID." % name)
    for object_id in ids:
        if not is_uuid(object_id):
            raise bad_request("'%s' is not a UUID." % object_id, context={"uuids": raw})
    return ids


def _usable_locations(state, tenant_id):
    """Locations owned by the tenant, then by its ancestors (nearest first), in creation order."""
    owners = [tenant_id] + state.ancestors(tenant_id)
    records = list(_store(state)["locations"].values())
    return [record for owner in owners for record in records if record["owner_tenant_id"] == owner]


# ------------------------------------------------------------------ locations


@bp.route("/tenants/<tenant_id>/locations", methods=["GET"])
def tenant_locations(tenant_id):
    """The locations a tenant may use: its own and its ancestors'."""
    state = world()
    with state.lock:
        visible_tenant(tenant_id)
        return jsonify({"locations": [record["id"] for record in _usable_locations(state, tenant_id)]})


@bp.route("/locations", methods=["GET"])
def locations_batch():
    """Locations by ?uuids=, in the order asked."""
    ids = _uuids("uuids")
    state = world()
    with state.lock:
        return jsonify({"items": [_view(state, _get(state, "location", object_id)) for object_id in ids]})


@bp.route("/locations", methods=["POST"])
def create_location():
    """A location owned by a tenant of the caller's subtree."""
    body = json_body()
    state = world()
    with state.lock:
        writable_tenant(body["owner_tenant_id"])
        record = {"id": state.new_id(), "owner_tenant_id": body["owner_tenant_id"], "platform_owned": False,
                  "name": body["name"], "version": 1}
        _store(state)["locations"][record["id"]] = record
        response = jsonify(_view(state, record))
    response.status_code = 201
    return response


@bp.route("/locations/<location_id>", methods=["GET"])
def get_location(location_id):
    """One location."""
    state = world()
    with state.lock:
        return jsonify(_view(state, _get(state, "location", location_id)))


@bp.route("/locations/<location_id>", methods=["PUT"])
def update_location(location_id):
    """Rename a location (current version required)."""
    body = json_body()
    state = world()
    with state.lock:
        record = _changeable(state, "location", location_id)
        check_version("location", record, body.get("version"))
        if body["name"] != record["name"]:
            record["name"] = body["name"]
            record["version"] += 1
        return jsonify(_view(state, record))


@bp.route("/locations/<location_id>", methods=["DELETE"])
def delete_location(location_id):
    """Delete an empty location (?version= required)."""
    state = world()
    with state.lock:
        record = _changeable(state, "location", location_id)
        check_version("location", record, request.args.get("version"))
        held = [infra["id"] for infra in _store(state)["infras"].values() if infra["location_id"] == location_id]
        if held:
            raise ApiError(409, "The location still holds storages; move or unregister them first.",
                           code=409, context={"id": location_id, "infras": held})
        del _store(state)["locations"][location_id]
    return "", 204


@bp.route("/locations/<location_id>/infra", methods=["GET"])
def location_infras(location_id):
    """The ids of the storages of a location."""
    state = world()
    with state.lock:
        _get(state, "location", location_id)
        ids = [infra["id"] for infra in _store(state)["infras"].values()
               if infra["location_id"] == location_id and _visible(state, infra)]
        return jsonify({"infras": ids})


# ------------------------------------------------------------------- storages


@bp.route("/infra", methods=["GET"])
def infras_batch():
    """Storages by ?uuids=, in the order asked."""
    ids = _uuids("uuids")
    state = world()
    with state.lock:
        return jsonify({"items": [_view(state, _get(state, "infra", object_id)) for object_id in ids]})


def _location_for(state, owner_id, location_id):
    """The location a storage of this owner goes to: the one named, which the owner may use."""
    usable = _usable_locations(state, owner_id)
    if location_id is None:
        if not usable:
            raise bad_request("Tenant %s has no location to put a storage in; create one first." % owner_id)
        return usable[0]["id"]
    _get(state, "location", location_id)
    if location_id not in [record["id"] for record in usable]:
        raise forbidden("Tenant %s may not use location %s." % (owner_id, location_id),
                        context={"location_id": location_id})
    return location_id


@bp.route("/infra", methods=["POST"])
def register_infra():
    """Register a storage owned by a tenant of the caller's subtree."""
    body = json_body()
    state = world()
    with state.lock:
        owner = writable_tenant(body["owner_tenant_id"])
        record = {"id": state.new_id(), "owner_tenant_id": owner["id"],
                  "location_id": _location_for(state, owner["id"], body.get("location_id")),
                  "platform_owned": False, "name": body["name"], "url": body["url"],
                  "capabilities": list(dict.fromkeys(body["capabilities"])),
                  "content_url": body.get("content_url"), "content_mobile_url": body.get("content_mobile_url"),
                  "backend_type": body.get("backend_type"), "version": 1}
        _store(state)["infras"][record["id"]] = record
        response = jsonify(_view(state, record))
    response.status_code = 201
    return response


@bp.route("/infra/<infra_id>", methods=["GET"])
def get_infra(infra_id):
    """One storage."""
    state = world()
    with state.lock:
        return jsonify(_view(state, _get(state, "infra", infra_id)))


@bp.route("/infra/<infra_id>", methods=["PUT"])
def update_infra(infra_id):
    """Change a storage's fields (current version required); only the fields sent change."""
    body = json_body()
    state = world()
    with state.lock:
        record = _changeable(state, "infra", infra_id)
        check_version("storage", record, body.get("version"))
        changes = {key: body[key] for key in ("name", "url", "content_url", "content_mobile_url", "backend_type")
                   if key in body and body[key] != record[key]}
        if "capabilities" in body and list(dict.fromkeys(body["capabilities"])) != record["capabilities"]:
            changes["capabilities"] = list(dict.fromkeys(body["capabilities"]))
        if body.get("location_id") and body["location_id"] != record["location_id"]:
            changes["location_id"] = _location_for(state, record["owner_tenant_id"], body["location_id"])
        if changes:
            record.update(changes)
            record["version"] += 1
        return jsonify(_view(state, record))


@bp.route("/infra/<infra_id>", methods=["DELETE"])
def unregister_infra(infra_id):
    """Unregister a storage (?version= required)."""
    state = world()
    with state.lock:
        record = _changeable(state, "infra", infra_id)
        check_version("storage", record, request.args.get("version"))
        del _store(state)["infras"][record["id"]]
    return "", 204
