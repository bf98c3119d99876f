"""Every operation the simulator's contracts declare is served: a walk over each contract file.

The contracts are ``openapi/account-management-v2.subset.openapi.json`` and
``openapi/account-management-v2.extract.openapi.json`` (every operation of each file, whether or
not ``spec_deviations`` lists it), and the service contracts that the views outside ``/api/2``
declare with ``service_contract.operation`` (and ``omissions.py``'s entries, which are declared too).

Each operation is called once, strictly validated, with a valid request built from its schema: the
required path and query parameters and the required body properties, from their enums, formats,
patterns, minimums and examples. What no schema can know (the id of an object that exists, its
current version, a plan's settings, a password) comes from ``Walk``, which creates those objects,
and from ``PATCHES``, one small entry per operation that needs one. The call must succeed (a 2xx, or
the 301 an operation documents); an operation listed in ``omissions.py`` must answer 501 with its
reason. An operation declared without a route fails here, so the contract and the routes cannot drift
apart. The response is validated by the simulator itself (strict mode): a violation fails the call.
"""

import datetime
import json
import re
import uuid

import pytest
import requests

from .. import contract, omissions, routes
from ..app import Settings, create_app
from ..testing import running_simulator
from .helpers import create_tenant, create_user, enable_items
from .protection_helpers import plan_body, register_machine, scoped_token

CYBER_PROTECTION = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
HOSTED_STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"
_METHODS = ("get", "put", "post", "delete", "patch")
# A 1x1 PNG, for the logo upload.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fccfc0f01f0005"
                    "0502005fc8f1d20000000049454e44ae426082")


# ------------------------------------------------------------------ what the contracts declare


def _file_operations(path):
    with open(path, encoding="utf-8") as stream:
        spec = json.load(stream)
    return [(method.upper(), template) for template, item in spec["paths"].items() for method in item
            if method in _METHODS]


CONTRACT_FILES = {"subset": contract.SPEC_FILE, "extract": contract.EXTRACT_FILE}
SPEC_OPERATIONS = sorted({op for path in CONTRACT_FILES.values() for op in _file_operations(path)},
                         key=lambda op: (op[1], op[0]))


def _service_operations():
    """(METHOD, rule template) of every view outside /api/2 that declares a service contract or an omission."""
    app = create_app(Settings(seed=0))
    found = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith("/api/2/") or not rule.rule.startswith("/api/"):
            continue
        if getattr(view, "service_operation", None) is None and getattr(view, "omitted_reason", None) is None:
            continue
        for method in rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}:
            found.add((method, routes.template(rule.rule)))
    return sorted(found, key=lambda op: (op[1], op[0]))


SERVICE_OPERATIONS = _service_operations()


def test_the_walk_covers_every_contract_file():
    """The subset's 58 operations and the extract's 15, with no operation twice."""
    assert len(_file_operations(contract.SPEC_FILE)) >= 58
    assert len(_file_operations(contract.EXTRACT_FILE)) >= 15
    assert len(SPEC_OPERATIONS) == sum(len(_file_operations(path)) for path in CONTRACT_FILES.values())


def test_every_api_route_declares_a_contract():
    """The reverse direction: a route under /api/ that no contract declares would go unvalidated."""
    app = create_app(Settings(seed=0))
    undeclared = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}:
            template = contract.rule_to_template(rule.rule)
            declared = (contract.operation(method, template) is not None if template is not None
                        else getattr(view, "service_operation", None) is not None)
            if not declared and getattr(view, "omitted_reason", None) is None:
                undeclared.append("%s %s" % (method, rule.rule))
    assert not undeclared, "routes without a contract: %s" % ", ".join(sorted(undeclared))


# ------------------------------------------------------------------ values from schemas


def _resolve(schema):
    return contract._resolve(schema)  # pylint: disable=protected-access


def sample(schema, name=None, values=None):
    """A valid value of an OpenAPI 3.0 / JSON Schema: required properties only, first enum, formats, minimums."""
    values = values or {}
    schema = _resolve(schema or {})
    if name in values:
        return values[name]
    for member in schema.get("allOf", []):
        merged = dict(_resolve(member))
        merged.update({k: v for k, v in schema.items() if k != "allOf"})
        schema = merged
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next(value for value in schema["enum"] if value is not None)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return sample(schema[key][0], name, values)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {key: sample(properties.get(key, {}), key, values) for key in schema.get("required", [])}
    if kind == "array":
        return [sample(schema.get("items", {}), None, values) for _index in range(max(1, schema.get("minItems", 1)))]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return _string(schema)


def _string(schema):
    pattern = schema.get("pattern", "")
    if schema.get("format") == "date-time":
        return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if schema.get("format") == "date":
        return datetime.date.today().isoformat()
    if schema.get("format") == "email":
        return "walk@example.com"
    if "[0-9a-f]{8}" in pattern or "[0-9a-fA-F]{8}" in pattern or schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if pattern in (r"^[0-9]+$", "^[0-9]+$"):
        return "1"
    example = schema.get("example")
    if isinstance(example, str) and (not pattern or re.search(pattern, example)):
        return example
    return "w" * max(3, schema.get("minLength", 3))


# ------------------------------------------------------------------ the objects the calls need


class PrefixSession(requests.Session):
    """A session whose relative paths are under ``prefix``, with a bearer token (or none)."""

    def __init__(self, prefix, token=None):
        super().__init__()
        self.prefix = prefix
        if token:
            self.headers["Authorization"] = "Bearer " + token

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        if url.startswith("/"):
            url = self.prefix + url
        kwargs.setdefault("timeout", 10)
        return super().request(method, url, *args, **kwargs)


class Walk:  # pylint: disable=too-many-instance-attributes
    """A simulator with the objects the operations act on, created once; destructive calls get fresh ones."""

    def __init__(self, sim):
        self.sim = sim
        self.token = sim.token()
        self.api = self.session(sim.api_url, self.token)
        self.root = sim.credentials["tenant_id"]
        self.counter = 0
        self.customer = self.new_customer()
        self.user = self.new_user(self.customer["id"], password="Walk-pa55", role="company_admin")
        self.client = self.new_client()

    @staticmethod
    def session(prefix, token=None):
        """A requests session on ``prefix`` (relative paths), with a bearer token or none."""
        return PrefixSession(prefix, token)

    def call(self, method, path, session=None, **kwargs):
        """One request; asserts nothing."""
        return (session or self.api).request(method, path, **kwargs)

    def ok(self, method, path, **kwargs):
        """A setup request that must succeed; its JSON."""
        response = self.call(method, path, **kwargs)
        assert response.status_code < 300, "%s %s: %s %s" % (method, path, response.status_code, response.text)
        return response.json() if response.content and response.headers.get("Content-Type", "").startswith(
            "application/json") else None

    def name(self, prefix):
        """A fresh name."""
        self.counter += 1
        return "walk-%s-%d" % (prefix, self.counter)

    def new_customer(self):
        """A customer of the root partner with the items it can have (one storage)."""
        customer = create_tenant(self.api, self.root, self.name("customer"), kind="customer")
        enable_items(self.api, self.root, customer["id"], kind="customer",
                     keep=lambda i: i.get("infra_id") in (None, HOSTED_STORAGE))
        return customer

    def new_user(self, tenant_id, password=None, role=None):
        """A user of tenant_id, optionally activated with a password and given a role there."""
        login = self.name("user")
        user = create_user(self.api, tenant_id, login)
        if password:
            self.ok("POST", "/users/%s/password" % user["id"], json={"password": password})
        if role:
            self.ok("PUT", "/users/%s/access_policies" % user["id"], json={"items": [{
                "id": "00000000-0000-0000-0000-000000000000", "issuer_id": "00000000-0000-0000-0000-000000000000",
                "role_id": role, "tenant_id": tenant_id, "trustee_id": user["id"], "trustee_type": "user",
                "version": 0}]})
        user["_password"] = password
        return user

    def new_client(self, tenant_id=None, **fields):
        """An API client (with its secret)."""
        return self.ok("POST", "/clients", json=dict({"type": "api_client", "tenant_id": tenant_id or self.root,
                                                      "token_endpoint_auth_method": "client_secret_basic",
                                                      "data": {"client_name": self.name("client")}}, **fields))

    def client_token(self, client):
        """A bearer token of a client."""
        return self.ok("POST", "/idp/token", data={"grant_type": "client_credentials"},
                       auth=(client["client_id"], client["client_secret"]))["access_token"]

    def disabled_tenant(self):
        """A fresh customer, disabled (deletable)."""
        tenant = create_tenant(self.api, self.root, self.name("gone"), kind="customer")
        return self.ok("PUT", "/tenants/" + tenant["id"], json={"enabled": False, "version": tenant["version"]})

    def disabled_user(self):
        """A fresh user, disabled (deletable)."""
        user = create_user(self.api, self.customer["id"], self.name("gone"))
        return self.ok("PUT", "/users/" + user["id"], json={"enabled": False, "version": user["version"]})

    def report(self, schedule="once"):
        """A report of the customer, saved (one-time reports are generated at once)."""
        parameters = {"tenant_id": self.customer["id"], "level": "itself", "kind": "usage_current", "formats": ["csv"]}
        body = {"parameters": parameters, "schedule": {"type": schedule}, "result_action": "save"}
        return self.ok("POST", "/reports", json=body)

    def stored(self, report_id):
        """The id of the report's first stored file."""
        return self.ok("GET", "/reports/%s/stored" % report_id)["items"][0]["id"]

    def registration_token(self):
        """A registration token of the user's personal tenant."""
        return self.ok("POST", "/tenants/%s/registration_tokens" % self.user["personal_tenant_id"],
                       json={"expires_in": 3600, "scopes": ["urn:acronis.com:tenant-id::backup_agent_admin"]})

    def location(self):
        """A location owned by the customer."""
        return self.ok("POST", "/locations", json={"owner_tenant_id": self.customer["id"], "name": self.name("loc")})

    def infra(self, location=None):
        """A storage in a location of the customer."""
        location = location or self.location()
        return self.ok("POST", "/infra", json={"owner_tenant_id": self.customer["id"], "name": self.name("infra"),
                                               "url": "https://storage.example.com", "capabilities": ["backup"],
                                               "location_id": location["id"]})

    def customer_session(self):
        """A session on the data center with a token scoped to the customer."""
        return self.session(self.sim.base_url, scoped_token(self.sim, self.customer["id"]))

    def user_token(self):
        """A password-grant token of the walk's user."""
        return self.ok("POST", "/idp/token", data={"grant_type": "password", "username": self.user["login"],
                                                   "password": self.user["_password"]})["access_token"]


# ------------------------------------------------------------------ per-operation patches
#
# Each takes (walk, call) and fills in what the schema cannot know; call is a dict with
# "path" (the path parameters already substituted), "params", "json", "data", "session", "auth".


def _tenant_put(walk, call):
    tenant = walk.ok("GET", "/tenants/" + walk.customer["id"])
    call["json"] = {"version": tenant["version"], "internal_tag": walk.name("tag")}


def _delete_tenant(walk, call):
    tenant = walk.disabled_tenant()
    call["path"] = "/tenants/" + tenant["id"]
    call["params"] = {"version": tenant["version"]}


def _user_put(walk, call):
    user = walk.ok("GET", "/users/" + walk.user["id"])
    call["json"] = {"version": user["version"], "language": "en"}


def _delete_user(walk, call):
    user = walk.disabled_user()
    call["path"] = "/users/" + user["id"]
    call["params"] = {"version": user["version"]}


def _access_policies(walk, call):
    call["json"] = walk.ok("GET", "/users/%s/access_policies" % walk.user["id"])


def _offering_items_put(walk, call):
    items = walk.ok("GET", "/tenants/%s/offering_items" % walk.customer["id"])["items"]
    call["json"] = {"offering_items": [item for item in items if item["status"] == 1][:1]}


def _pricing_put(walk, call):
    pricing = walk.ok("GET", "/tenants/%s/pricing" % walk.customer["id"])
    call["json"] = {"mode": pricing["mode"], "version": pricing["version"]}


def _oi_pricing_put(walk, call):
    call["json"] = {"items": [{"application_id": CYBER_PROTECTION, "name": "workstations", "price": "9.99"}]}


def _edition_put(walk, call):
    call["path"] = "/tenants/%s/edition" % walk.new_customer()["id"]


def _binding(walk, call, bind):
    customer = create_tenant(walk.api, walk.root, walk.name("bound"), kind="customer")
    if bind:
        walk.ok("POST", "/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, customer["id"]))
    call["path"] = "/applications/%s/bindings/tenants/%s" % (CYBER_PROTECTION, customer["id"])


def _new_client(walk, call):
    call["path"] = "/clients/" + walk.new_client()["client_id"]


def _client_put(walk, call):
    call["json"] = {"data": {"client_name": walk.name("renamed")}}


def _token(walk, call):
    call["data"] = {"grant_type": "client_credentials"}
    call["auth"] = (walk.sim.credentials["client_id"], walk.sim.credentials["client_secret"])


def _revoke(walk, call):
    client = walk.new_client()
    call["data"] = {"token": walk.client_token(client)}
    call["auth"] = (client["client_id"], client["client_secret"])
    call["session"] = walk.session(walk.sim.api_url)


def _introspect(walk, call):
    call["data"] = {"token": walk.token}


def _usages_put(walk, call):
    cyber_app = walk.new_client(origin_id=str(uuid.uuid4()))
    call["session"] = walk.session(walk.sim.api_url, walk.client_token(cyber_app))
    call["json"] = {"items": [{"tenant_id": walk.customer["id"], "offering_item": "workstations", "usage_value": 3}]}


def _report_body(walk, call):
    call["json"] = {"parameters": {"tenant_id": walk.customer["id"], "level": "itself", "kind": "usage_current",
                                   "formats": ["csv"]}, "schedule": {"type": "once"}, "result_action": "save"}


def _report_put(walk, call):
    report = walk.report(schedule="monthly")
    call["path"] = "/reports/" + report["id"]
    call["json"] = {"parameters": {"hide_zero_usage": True}}


def _report_delete(walk, call):
    report = walk.report()
    call["path"] = "/reports/" + report["id"]
    call["params"] = {"version": report["version"]}


def _stored_path(walk, call):
    report_id = call["path_values"]["report_id"]
    call["path"] = "/reports/%s/stored/%s" % (report_id, walk.stored(report_id))


def _registration_post(walk, call):
    call["path"] = "/tenants/%s/registration_tokens" % walk.user["personal_tenant_id"]
    call["json"] = {"expires_in": 3600, "scopes": ["urn:acronis.com:tenant-id::backup_agent_admin"]}


def _registration_delete(walk, call):
    call["path"] = "/registration_tokens/%s" % walk.registration_token()["id"]


def _ott(walk, call):
    call["json"] = {"purpose": "user_login", "login": walk.user["login"]}


def _ott_login(walk, call):
    ott = walk.ok("POST", "/idp/ott", json={"purpose": "user_login", "login": walk.user["login"]})["ott"]
    call["json"] = {"ott": ott}
    call["session"] = walk.session(walk.sim.api_url)


def _location_delete(walk, call):
    location = walk.location()
    call["path"] = "/locations/" + location["id"]
    call["params"] = {"version": location["version"]}


def _location_put(walk, call):
    location = walk.location()
    call["path"] = "/locations/" + location["id"]
    call["json"] = {"name": walk.name("renamed"), "version": location["version"]}


def _infra_delete(walk, call):
    infra = walk.infra()
    call["path"] = "/infra/" + infra["id"]
    call["params"] = {"version": infra["version"]}


def _infra_put(walk, call):
    infra = walk.infra()
    call["path"] = "/infra/" + infra["id"]
    call["json"] = {"name": walk.name("renamed"), "version": infra["version"]}


def _infra_post(walk, call):
    call["json"] = {"owner_tenant_id": walk.customer["id"], "name": walk.name("infra"),
                    "url": "https://storage.example.com", "capabilities": ["backup"]}


def _partner(walk, branded):
    """A fresh partner of the root (with a brand of its own when branded): the tenant object."""
    partner = create_tenant(walk.api, walk.root, walk.name("partner"))
    if branded:
        partner = walk.ok("POST", "/tenants/%s/brand" % partner["id"], params={"version": partner["version"]})
    return partner


def _brand_call(branded, json=None):
    def patch(walk, call):
        partner = _partner(walk, branded)
        call["path"] = call["path"].replace(walk.customer["id"], partner["id"])
        call["params"] = {"version": partner["version"]}
        if json is not None:
            call["json"] = json
    return patch


def _logo_post(walk, call):
    _brand_call(True)(walk, call)
    call["data"] = PNG
    call["session"] = walk.session(walk.sim.api_url, walk.token)
    call["session"].headers["Content-Type"] = "image/png"


def _users_me(walk, call):
    call["session"] = walk.session(walk.sim.api_url, walk.user_token())


def _with_params(**params):
    def patch(walk, call):
        call["params"].update({k: (v(walk) if callable(v) else v) for k, v in params.items()})
    return patch


def _with_json(**fields):
    def patch(walk, call):
        call["json"] = dict(call.get("json") or {}, **{k: (v(walk) if callable(v) else v) for k, v in fields.items()})
    return patch


PATCHES = {
    ("GET", "/tenants"): _with_params(parent_id=lambda w: w.root),
    ("POST", "/tenants"): _with_json(kind="customer", parent_id=lambda w: w.root, name=lambda w: w.name("new")),
    ("PUT", "/tenants/{tenant_id}"): _tenant_put,
    ("DELETE", "/tenants/{tenant_id}"): _delete_tenant,
    ("GET", "/tenants/applications"): _with_params(tenants=lambda w: w.customer["id"]),
    ("GET", "/tenants/usages"): _with_params(tenants=lambda w: w.customer["id"]),
    ("PUT", "/tenants/usages"): _usages_put,
    ("GET", "/tenants/{tenant_id}/offering_items/available_for_child"): _with_params(kind="customer"),
    ("PUT", "/tenants/{tenant_id}/offering_items"): _offering_items_put,
    ("PUT", "/tenants/{tenant_id}/offering_items/pricing"): _oi_pricing_put,
    ("PUT", "/tenants/{tenant_id}/pricing"): _pricing_put,
    ("PUT", "/tenants/{tenant_id}/edition"): _edition_put,
    ("PUT", "/tenants/{tenant_id}/mfa/status"): _with_json(enabled=False),
    ("GET", "/tenants/{tenant_id}/registration_tokens"): lambda w, c: c.update(
        path="/tenants/%s/registration_tokens" % w.user["personal_tenant_id"]),
    ("POST", "/tenants/{tenant_id}/registration_tokens"): _registration_post,
    ("DELETE", "/registration_tokens/{token_id}"): _registration_delete,
    ("POST", "/applications/{application_id}/bindings/tenants/{tenant_id}"): lambda w, c: _binding(w, c, False),
    ("DELETE", "/applications/{application_id}/bindings/tenants/{tenant_id}"): lambda w, c: _binding(w, c, True),
    ("PUT", "/clients/{client_id}"): _client_put,
    ("DELETE", "/clients/{client_id}"): _new_client,
    ("POST", "/idp/token"): _token,
    ("POST", "/idp/revoke_token"): _revoke,
    ("POST", "/idp/introspect_token"): _introspect,
    ("POST", "/idp/ott"): _ott,
    ("POST", "/idp/ott/login"): _ott_login,
    ("POST", "/reports"): _report_body,
    ("PUT", "/reports/{report_id}"): _report_put,
    ("DELETE", "/reports/{report_id}"): _report_delete,
    ("GET", "/reports/{report_id}/stored/{stored_report_id}"): _stored_path,
    ("GET", "/search"): _with_params(tenant=lambda w: w.root, text="walk"),
    ("GET", "/users"): _with_params(tenant_id=lambda w: w.customer["id"]),
    ("POST", "/users"): _with_json(tenant_id=lambda w: w.customer["id"], login=lambda w: w.name("login"),
                                   contact={"email": "walk@example.com"}),
    ("GET", "/users/check_login"): _with_params(username=lambda w: w.name("free")),
    ("GET", "/users/me"): _users_me,
    ("PUT", "/users/{user_id}"): _user_put,
    ("DELETE", "/users/{user_id}"): _delete_user,
    ("PUT", "/users/{user_id}/access_policies"): _access_policies,
    ("POST", "/users/{user_id}/password"): _with_json(password="An0ther-pa55"),
    ("GET", "/clients"): _with_params(),
    ("POST", "/locations"): _with_json(owner_tenant_id=lambda w: w.customer["id"], name=lambda w: w.name("loc")),
    ("PUT", "/locations/{location_id}"): _location_put,
    ("DELETE", "/locations/{location_id}"): _location_delete,
    ("GET", "/locations"): _with_params(uuids=lambda w: w.location()["id"]),
    ("POST", "/infra"): _infra_post,
    ("PUT", "/infra/{infra_id}"): _infra_put,
    ("DELETE", "/infra/{infra_id}"): _infra_delete,
    ("GET", "/infra"): _with_params(uuids=lambda w: w.infra()["id"]),
    ("GET", "/tenants/{tenant_id}/brand"): _with_params(effective=1),
    ("POST", "/tenants/{tenant_id}/brand"): _brand_call(False),
    ("PUT", "/tenants/{tenant_id}/brand"): _brand_call(True, json={"company_name": "Walk Cloud"}),
    ("DELETE", "/tenants/{tenant_id}/brand"): _brand_call(True),
    ("POST", "/tenants/{tenant_id}/brand/logo"): _logo_post,
}


def _named_values(walk):
    """Values of parameters and body properties by name, where the name says which object is meant."""
    return {"tenant_id": walk.customer["id"], "subtree_root_tenant_id": walk.customer["id"],
            "subtree_root_id": walk.customer["id"], "parent_id": walk.root, "owner_tenant_id": walk.customer["id"],
            "application_id": CYBER_PROTECTION, "target_edition": "per_workload"}


def _path_values(walk):
    """Path parameters by name, for the objects that exist and are not consumed."""
    return {"tenant_id": walk.customer["id"], "user_id": walk.user["id"], "client_id": walk.client["client_id"],
            "application_id": CYBER_PROTECTION, "report_id": lambda: walk.report()["id"],
            "location_id": lambda: walk.location()["id"], "infra_id": lambda: walk.infra()["id"]}


# ------------------------------------------------------------------ services outside /api/2

TM = "/api/task_manager/v2"
AM = "/api/alert_manager/v1"
RM = "/api/resource_management/v4"
PM = "/api/policy_management/v4"


def _machine(walk):
    return register_machine(walk.sim, walk.customer["id"], walk.name("machine"))


def _plan(walk, session):
    body = plan_body(name=walk.name("plan"))
    response = walk.call("POST", PM + "/policies", session=session, json=body)
    assert response.status_code == 200, response.text
    return body["subject"]["policy"][0]["id"]


def _service_customer(walk, call):
    call["session"] = walk.customer_session()


def _rm_group(walk, call):
    call["session"] = walk.customer_session()
    call["json"] = {"type": "resource.group.computers", "name": walk.name("group")}


def _rm_one(walk, call):
    call["session"] = walk.customer_session()
    machine = _machine(walk)
    call["path"] = call["path"].replace(call["path_values"]["resource_id"], machine["id"])


def _rm_delete(walk, call):
    session = walk.customer_session()
    group = walk.call("POST", RM + "/resources", session=session,
                      json={"type": "resource.group.computers", "name": walk.name("group")}).json()
    call["session"] = session
    call["path"] = RM + "/resources/" + group["id"]


def _pm_create(walk, call):
    call["session"] = walk.customer_session()
    call["json"] = plan_body(name=walk.name("plan"))


def _pm_one(walk, call):
    session = walk.customer_session()
    call["session"] = session
    call["path"] = call["path"].replace(call["path_values"]["policy_id"], _plan(walk, session))
    if call["method"] == "PATCH":
        call["json"] = {"subject": {"policy": [{"enabled": True}]}}


def _pm_apply(walk, call):
    session = walk.customer_session()
    call["session"] = session
    call["json"] = {"policy_id": _plan(walk, session), "context": {"items": [_machine(walk)["id"]]}}


def _pm_applied(walk, call):
    session = walk.customer_session()
    plan, machine = _plan(walk, session), _machine(walk)["id"]
    walk.call("POST", PM + "/applications", session=session, json={"policy_id": plan, "context": {"items": [machine]}})
    call["session"] = session
    if call["method"] == "PUT":
        call["json"] = {"state": "running", "policy_id": plan, "context_ids": [machine]}
    else:
        call["params"] = {"context_id": machine, "policy_id": plan}


def _app_manager(walk, call):
    code = walk.name("app")
    walk.ok("PUT", walk.sim.base_url + "/_sim/cyberapps/" + code, json={"edr_incidents_access": "read_only"})
    call["path"] = call["path"].replace(call["path_values"]["vendor_app_code"], code)
    call["params"] = {"tenant_id": walk.customer["id"], "purpose": "login", "external_id": walk.name("ext")}
    call["allow_redirects"] = False


def _first_item(walk, path, **params):
    return walk.call("GET", path, session=walk.session(walk.sim.base_url, walk.token), params=params).json()[
        "items"][0]["id"]


def _task_one(walk, call):
    call["path"] = call["path"].replace(call["path_values"]["task_id"], str(_first_item(walk, TM + "/tasks", limit=1)))


def _alert_create(walk, call):
    call["json"] = dict(call.get("json") or {}, type="NoBackupForXDays")


def _alert_one(walk, call):
    alert = walk.call("POST", AM + "/alerts", session=walk.session(walk.sim.base_url, walk.token),
                      json={"type": "NoBackupForXDays", "details": {"daysPassed": 3}}).json()
    call["path"] = call["path"].replace(call["path_values"]["alert_id"], alert["id"])


def _alert_type(walk, call):
    call["path"] = call["path"].replace(call["path_values"]["type_id"], _first_item(walk, AM + "/types"))


def _legacy_accounts(walk, call):
    call["params"] = {"login": walk.user["login"]}
    call["session"] = walk.session(walk.sim.base_url)


def _legacy_group(walk, call):
    call["path"] = call["path"].replace(call["path_values"]["tenant_id"], walk.customer["id"])


SERVICE_PATCHES = {
    ("GET", RM + "/resources"): _service_customer,
    ("POST", RM + "/resources"): _rm_group,
    ("GET", RM + "/resources/{resource_id}"): _rm_one,
    ("GET", RM + "/resources/{resource_id}/attributes"): _rm_one,
    ("DELETE", RM + "/resources/{resource_id}"): _rm_delete,
    ("GET", RM + "/resource_statuses"): _service_customer,
    ("GET", PM + "/policies"): _service_customer,
    ("POST", PM + "/policies"): _pm_create,
    ("GET", PM + "/policies/{policy_id}"): _pm_one,
    ("PATCH", PM + "/policies/{policy_id}"): _pm_one,
    ("DELETE", PM + "/policies/{policy_id}"): _pm_one,
    ("POST", PM + "/applications"): _pm_apply,
    ("GET", PM + "/applications"): _pm_applied,
    ("DELETE", PM + "/applications"): _pm_applied,
    ("PUT", PM + "/applications/run"): _pm_applied,
    ("GET", PM + "/policy_statuses"): _service_customer,
    ("GET", "/api/application_manager/v2/application/{vendor_app_code}/service_user:login"): _app_manager,
    ("GET", TM + "/tasks/{task_id}"): _task_one,
    ("POST", AM + "/alerts"): _alert_create,
    ("GET", AM + "/alerts/{alert_id}"): _alert_one,
    ("DELETE", AM + "/alerts/{alert_id}"): _alert_one,
    ("GET", AM + "/types/{type_id}"): _alert_type,
    ("GET", "/api/1/accounts"): _legacy_accounts,
    ("GET", "/api/1/groups/{tenant_id}"): _legacy_group,
}


# ------------------------------------------------------------------ the walk


@pytest.fixture(scope="module")
def walk():
    """One strict simulator for the whole walk (reports are saved at once)."""
    with running_simulator(seed=30, report_delay=0) as sim:
        yield Walk(sim)


def _fill(template, values):
    path_values = {}

    def one(match):
        value = values.get(match.group(1), "x1")
        value = value() if callable(value) else value
        path_values[match.group(1)] = value
        return value
    return re.sub(r"\{(\w+)\}", one, template), path_values


def _check(walk, call, response, method, template):
    omitted = omissions.reason(method, template)
    violations_before = call["violations"]
    assert len(walk.sim.violations()) == violations_before, "the response broke the contract: %s" % (
        walk.sim.violations()[violations_before:],)
    if omitted is not None:
        assert response.status_code == 501, response.text
        assert omitted in response.text
        return
    assert response.status_code != 501, "%s %s is served as left out: %s" % (method, template, response.text)
    assert response.status_code < 300 or (response.status_code == 301 and call.get("allow_redirects") is False), (
        "%s %s answered %s: %s" % (method, template, response.status_code, response.text[:500]))


def _send(walk, call):
    kwargs = {key: call[key] for key in ("params", "json", "data", "auth", "allow_redirects") if call.get(key)
              is not None}
    if call.get("allow_redirects") is False:
        kwargs["allow_redirects"] = False
    call["violations"] = len(walk.sim.violations())
    return walk.call(call["method"], call["path"], session=call.get("session") or None, **kwargs)


@pytest.mark.parametrize("method,template", SPEC_OPERATIONS, ids=["%s %s" % op for op in SPEC_OPERATIONS])
def test_each_account_management_operation_is_served(walk, method, template):
    """An operation of the contract files, called with a valid request."""
    operation = contract.documented_spec()["paths"][template][method.lower()]
    path, path_values = _fill(template, _path_values(walk))
    call = {"method": method, "path": path, "path_values": path_values, "params": {}, "json": None, "data": None}
    for parameter in operation.get("parameters", []):
        parameter = _resolve(parameter)
        if parameter["in"] == "query" and parameter.get("required"):
            value = sample(parameter.get("schema", {}), parameter["name"], _named_values(walk))
            call["params"][parameter["name"]] = json.dumps(value) if isinstance(value, bool) else str(value)
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        call["json"] = sample(content["application/json"].get("schema"), None, _named_values(walk))
    elif "application/x-www-form-urlencoded" in content:
        call["data"] = sample(content["application/x-www-form-urlencoded"].get("schema"))
    patch = PATCHES.get((method, template))
    if patch is not None:
        patch(walk, call)
    response = _send(walk, call)
    _check(walk, call, response, method, template)


@pytest.mark.parametrize("method,template", SERVICE_OPERATIONS, ids=["%s %s" % op for op in SERVICE_OPERATIONS])
def test_each_service_operation_is_served(walk, method, template):
    """An operation a service contract declares, called with a valid request (the service's own prefix)."""
    app = walk.sim.server.app
    adapter = app.url_map.bind("localhost")
    path, path_values = _fill(template, {"tenant_id": walk.customer["id"]})
    endpoint, _args = adapter.match(re.sub(r"\{(\w+)\}", "x1", template), method=method)
    view = app.view_functions[endpoint]
    contract_of = getattr(view, "service_operation", None)
    call = {"method": method, "path": path, "path_values": path_values, "params": {}, "json": None, "data": None,
            "session": walk.session(walk.sim.base_url, walk.token)}
    if contract_of is not None and contract_of.query:
        call["params"] = sample(contract_of.query)
    if contract_of is not None and contract_of.body:
        call["json"] = sample(contract_of.body)
    patch = SERVICE_PATCHES.get((method, template))
    if patch is not None:
        patch(walk, call)
    response = _send(walk, call)
    _check(walk, call, response, method, template)


def test_a_left_out_operation_answers_501_with_its_reason():
    """omissions.py: every entry is routed, and answers 501 with the reason, never a bare 404."""
    with running_simulator(seed=1) as sim:
        for entry in omissions.OMITTED:
            path = re.sub(r"\{(\w+)\}", "x1", entry["path"])
            response = requests.request(entry["method"], sim.base_url + path, timeout=10,
                                        headers={"Authorization": "Bearer " + sim.token()})
            assert response.status_code == 501, response.text
            assert entry["reason"] in response.json()["error"]["details"]["info"]
