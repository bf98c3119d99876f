"""GET /search?tenant=&text=: tenants and users of a subtree, from an index that lags behind writes."""

from flask import Blueprint, jsonify, request

from ..auth import visible_tenant
from ..context import world
from ..errors import bad_request
from ..helpers import query_int

bp = Blueprint("search", __name__, url_prefix="/api/2")


def _path(state, tenant_id, root_id):
    """Names from the search root down to the tenant's parent."""
    names = []
    for ancestor in state.ancestors(tenant_id):
        names.append(state.tenants[ancestor]["name"])
        if ancestor == root_id:
            break
    return list(reversed(names))


@bp.route("/search", methods=["GET"])
def search():
    """Case-insensitive substring search on tenant names and user logins, names and e-mails."""
    root_id = request.args.get("tenant", "")
    text = request.args.get("text", "").strip().lower()
    if not text:
        raise bad_request("Query parameter 'text' is required.")
    limit = query_int("limit", 10, minimum=1)
    state = world()
    items = []
    with state.lock:
        visible_tenant(root_id)
        candidates = state.search_candidates(text)     # from the text index, not a walk of the world
        docs = state.search_docs
        for object_id in candidates:
            if len(items) >= limit:
                break
            doc = docs[object_id]
            if doc["type"] == "tenant":
                record = state.tenant(object_id)
                if record is None or object_id == root_id or not state.in_subtree(object_id, root_id):
                    continue
                if text in record["name"].lower():
                    items.append({"obj_type": "tenant", "id": object_id, "parent_id": record["parent_id"],
                                  "path": _path(state, object_id, root_id), "kind": record["kind"],
                                  "name": record["name"]})
            else:
                record = state.user(object_id)
                if record is None or not state.in_subtree(record["tenant_id"], root_id):
                    continue
                contact = record["contact"]
                haystack = " ".join(str(contact.get(k) or "") for k in ("firstname", "lastname", "email"))
                if text in record["login"].lower() or text in haystack.lower():
                    items.append({"obj_type": "user", "id": object_id, "parent_id": record["tenant_id"],
                                  "path": _path(state, record["tenant_id"], root_id)
                                  + [state.tenants[record["tenant_id"]]["name"]],
                                  "login": record["login"], "name": record["login"],
                                  "first_name": contact.get("firstname"), "last_name": contact.get("lastname")})
    return jsonify({"items": items})
