"""The Account Server API v1 paths that Acronis's own code still calls (/api/1), with their contracts.

Acronis publishes no reference for these paths any more; the contracts below are written from the code
that calls them and from what Acronis's support wrote of them. Where those are silent, the rule is the
simulator's, and says so.

``GET /api/1/accounts?login=<login>``: the data-center lookup. Every client of Acronis's samples
(acronis-cyber-platform-python-samples, ``client.py``) starts with it to learn its data center's URL,
then reads ``server_url`` and calls ``<server_url>/api/2/...``. No credentials. The answer is
``{"server_url", "id", "login"}``, as an Acronis support engineer showed it on the Acronis forum for a
made-up login (``{"server_url": "https://eu2-cloud.acronis.com", "id": 0, "login": "testttt1"}``):

- a login the simulator knows (a live user, compared case-insensitively) gets the simulator's own URL
  (it is the user's only data center), the user's integer id as ``id`` and its login as stored;
- an unknown login gets what the real router answered in that example: 200, the router's default data
  center (the simulator's own URL: it is the only one) and ``id`` 0, the login as sent. The router thus
  never tells which logins exist;
- no ``login`` (or an empty one, or another parameter) is 400 in the official envelope: the simulator's
  rule, as the samples always send it.

``GET /api/1/groups/{id}``: a tenant as the v1 API calls it, a group. Acronis's examples
(acronis-cyber-platform-python-examples, ``agent/get_all_agents_info_for_customer.py``) read a customer's
integer id from it (``Tenant(json_str=response.text)`` reads ``id``, ``name`` and ``version``) before
listing its agents with ``/api/agent_manager/v2/agents?tenant_id=<integer id>``; the legacy trial-end
script calls it too. Bearer token; ``{id}`` is the tenant's UUID or its integer id (the v1 API's own ids:
the simulator's rule is to accept both). The answer carries exactly the fields the examples read:
``id`` (the integer id, the one registration tokens and the Agent Manager show), ``name``, ``version``.
An unknown tenant is 404 (code 1005), one outside the caller's subtree 403 (code 1002), as in /api/2.
"""

from flask import Blueprint, jsonify, request

from .. import service_contract as sc
from ..auth import visible_tenant
from ..context import world
from ..errors import not_found

bp = Blueprint("legacy", __name__, url_prefix="/api/1")

SOURCE_ACCOUNTS = (
    "Acronis's samples, acronis-cyber-platform-python-samples client.py: GET <router>/api/1/accounts?login=<login>, "
    "then server_url; Acronis forum, 'Storage Locations' (Acronis support, 2018): "
    "https://cloud.acronis.com/api/1/accounts?login=testttt1 answers "
    "{\"server_url\": \"https://eu2-cloud.acronis.com\", \"id\": 0, \"login\": \"testttt1\"} for a made-up login")
SOURCE_GROUPS = (
    "Acronis's examples, acronis-cyber-platform-python-examples agent/get_all_agents_info_for_customer.py "
    "(GET api/1/groups/{tenant uuid}, then Tenant(json_str=...) reads id, name and version, then "
    "/api/agent_manager/v2/agents?tenant_id=<id>) and tenants/get_trial_end_date_for_customer_legacy.py")

ACCOUNT = {"type": "object", "required": ["server_url", "id", "login"], "additionalProperties": False,
           "properties": {"server_url": {"type": "string", "pattern": "^https?://[^/]+$"},
                          "id": {"type": "integer", "minimum": 0}, "login": {"type": "string"}}}
GROUP = {"type": "object", "required": ["id", "name", "version"], "additionalProperties": False,
         "properties": {"id": {"type": "integer", "minimum": 1}, "name": {"type": "string"},
                        "version": {"type": "integer", "minimum": 1}}}


@bp.route("/accounts", methods=["GET"])
@sc.operation("account_server_v1", public=True,
              query={"type": "object", "required": ["login"], "additionalProperties": False,
                     "properties": {"login": {"type": "string", "minLength": 1}}},
              responses={200: ACCOUNT, 400: sc.ERROR_BODY}, source=SOURCE_ACCOUNTS)
def account_data_center():
    """The data center of a login: this simulator's URL; id 0 for a login it does not know."""
    login = request.args["login"]
    server_url = request.host_url.rstrip("/")
    state = world()
    with state.lock:
        user = state.user_by_login(login)
        if user is None:
            return jsonify({"server_url": server_url, "id": 0, "login": login})
        return jsonify({"server_url": server_url, "id": user["_seq"], "login": user["login"]})


@bp.route("/groups/<tenant_id>", methods=["GET"])
@sc.operation("account_server_v1", query={"type": "object", "additionalProperties": False, "properties": {}},
              responses=sc.with_errors({200: GROUP}, 404), source=SOURCE_GROUPS)
def group(tenant_id):
    """A tenant by UUID or integer id: its integer id, name and version."""
    state = world()
    with state.lock:
        if tenant_id.isdigit():
            number = int(tenant_id)
            match = next((t for t in state.tenants.values()
                          if t["_numeric_id"] == number and t["deleted_at"] is None), None)
            if match is None:
                raise not_found("tenant", tenant_id)
            tenant_id = match["id"]
        record = visible_tenant(tenant_id)
        return jsonify({"id": record["_numeric_id"], "name": record["name"], "version": record["version"]})
