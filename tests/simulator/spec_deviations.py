"""Where the published specification is wrong about the real service, with the reason for each.

This is the ONE place that lists them. ``contract.py`` applies them to an
in-memory copy of ``openapi/account-management-v2.subset.openapi.json`` (the
file itself stays a verbatim copy) before strict validation uses it:

- ``missing_operation``: an operation of the service that the subset omits; it is taken, unedited, from
  ``openapi/account-management-v2.extract.openapi.json``, a verbatim extract of the full published
  specification (its path items and the schemas they use), and then validated like the others.

- ``extra_status``: statuses the service answers, with the error envelope,
  that the operation does not list.
- ``success_status``: the service answers another success status than documented.
- ``no_body``: a status documented with a body that, being 204 No Content, carries none.
- ``request_schema``: the documented request body schema is replaced by a
  faithful one.
- ``request_property``: a property the service accepts in a request body that
  the documented schema does not list.
- ``parameter_schema`` / ``form_property_schema``: a parameter or form field
  whose documented schema rejects what the service and its clients use.
- ``read_only_fields``: clients send back whole objects as they read them; the
  properties of the named response schema are accepted in the request and ignored.
- ``lenient_scalars``: numbers and booleans sent as strings ("3", "false") are
  accepted wherever the schema wants an integer or a boolean.
- ``nullable_all_of``: ``{"nullable": true, "allOf": [{"$ref": ...}]}`` is read
  as "null or the referenced schema", as the service means it.
- ``response_enum``: an enum of a success response schema lacks values the service answers
  (``pointer``: property names, ``[]`` for array items).

``operations`` is a list of (METHOD, path template relative to /api/2), or "*".
"""

UUID_SCHEMA = {"type": "string", "pattern": "[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}",
               "minLength": 36, "maxLength": 36}

_REPORT_PERIOD = {"type": "object", "required": ["start", "end"],
                  "properties": {"start": {"$ref": "#/components/schemas/document_version"},
                                 "end": {"$ref": "#/components/schemas/document_version"}}}

# Every operation may answer these, with the error envelope, whatever it lists.
GENERIC_ERROR_STATUSES = {
    400: "The service answers 400 with the envelope to any request that breaks the schema "
         "(malformed JSON, wrong types, unknown properties), which few operations list.",
    401: "Every authenticated operation answers 401 to a missing, expired or forged token.",
    403: "Every authenticated operation answers 403 (code 1002) when the object is outside the caller's subtree.",
    404: "Operations answer 404 for unknown or deleted ids, in the path or in the body (POST /tenants with an "
         "unknown parent_id), listed or not.",
}

_VERSIONED = [
    ("PUT", "/tenants/{tenant_id}"), ("DELETE", "/tenants/{tenant_id}"),
    ("PUT", "/users/{user_id}"), ("DELETE", "/users/{user_id}"),
    ("PUT", "/tenants/{tenant_id}/pricing"), ("PUT", "/tenants/{tenant_id}/offering_items"),
    ("PUT", "/users/{user_id}/access_policies"), ("PUT", "/reports/{report_id}"), ("DELETE", "/reports/{report_id}"),
    ("POST", "/tenants/{tenant_id}/brand/logo"),
]

DEVIATIONS = [
    {
        "kind": "missing_operation",
        "operations": [("POST", "/idp/ott"), ("POST", "/idp/ott/login"), ("GET", "/idp/logout")],
        "reason": "User impersonation (seed 000 'impersonate the user and call /users/me', "
                  "users/ipmpersonate_user_call_me.py; the guide 'How to log in to service consoles on behalf of "
                  "another user') uses these operations, which the full published specification documents and the "
                  "subset omits.",
    },
    {
        "kind": "missing_operation",
        "operations": [("GET", "/tenants/{tenant_id}/locations"), ("GET", "/locations"), ("POST", "/locations"),
                       ("GET", "/locations/{location_id}"), ("PUT", "/locations/{location_id}"),
                       ("DELETE", "/locations/{location_id}"), ("GET", "/locations/{location_id}/infra"),
                       ("GET", "/infra"), ("POST", "/infra"), ("GET", "/infra/{infra_id}"),
                       ("PUT", "/infra/{infra_id}"), ("DELETE", "/infra/{infra_id}")],
        "reason": "The Postman collection's folder 'Locations and storage management' (seed 002) and the guide "
                  "'Managing locations and storages' use these operations, which the full published specification "
                  "documents and the subset omits.",
    },
    {
        "kind": "missing_operation",
        "operations": [("GET", "/tenants/{tenant_id}/brand"), ("POST", "/tenants/{tenant_id}/brand"),
                       ("PUT", "/tenants/{tenant_id}/brand"), ("DELETE", "/tenants/{tenant_id}/brand"),
                       ("GET", "/tenants/{tenant_id}/brand/logo"), ("POST", "/tenants/{tenant_id}/brand/logo")],
        "reason": "The guide's 'Branding' pages (enabling, fetching, updating, updating the logo, disabling) use "
                  "these operations, which the full published specification documents and the subset omits.",
    },
    {
        "kind": "extra_status", "operations": _VERSIONED, "statuses": [409],
        "reason": "A stale version is a conflict: 409, code 1001 'The version is outdated.' "
                  "(api-facts: versioning and 409s); several operations omit 409.",
    },
    {
        "kind": "extra_status", "operations": [("POST", "/tenants")], "statuses": [400, 409],
        "reason": "A name already used by a sibling is 409 with code 1004 (body as in the Postman tutorial); "
                  "a disabled parent (1003) or an impossible kind under the parent is 400.",
    },
    {
        "kind": "extra_status", "operations": [("DELETE", "/tenants/{tenant_id}")], "statuses": [400],
        "reason": "Deleting a tenant that is still enabled is 400 with code 1006 "
                  "'It is prohibited to delete a non-disabled tenant.' (api-facts).",
    },
    {
        "kind": "extra_status", "operations": [("DELETE", "/users/{user_id}")], "statuses": [400],
        "reason": "Users are deleted only once disabled; an enabled user is refused with 400.",
    },
    {
        "kind": "extra_status", "operations": [("PUT", "/tenants/{tenant_id}"), ("PUT", "/tenants/{tenant_id}/pricing"),
                                               ("PUT", "/users/{user_id}"), ("PUT", "/users/{user_id}/access_policies"),
                                               ("PUT", "/clients/{client_id}"), ("POST", "/clients")],
        "statuses": [400],
        "reason": "Business rules (kind changes, one-way transitions, enhanced security, login rules, roles) "
                  "are refused with 400 and a code, which these operations do not list.",
    },
    {
        "kind": "extra_status", "operations": [("POST", "/users"), ("PUT", "/users/{user_id}")], "statuses": [400, 409],
        "reason": "POST /users refuses a login already taken with 409 and a malformed login with 400.",
    },
    {
        "kind": "extra_status", "operations": [("GET", "/users/check_login")], "statuses": [400],
        "reason": "check_login without a username is 400.",
    },
    {
        "kind": "extra_status",
        "operations": [("GET", "/tenants/{tenant_id}/offering_items"), ("PUT", "/tenants/{tenant_id}/offering_items"),
                       ("GET", "/tenants/{tenant_id}/offering_items/available_for_child"),
                       ("GET", "/tenants/{tenant_id}/registration_tokens"),
                       ("POST", "/tenants/{tenant_id}/registration_tokens"), ("PUT", "/tenants/{tenant_id}/edition"),
                       ("GET", "/tenants/{tenant_id}/edition"), ("PUT", "/tenants/{tenant_id}/mfa/status"),
                       ("GET", "/search")],
        "statuses": [400, 404],
        "reason": "Offering-item rules (1021 not available in the parent, one storage per type, unknown items) "
                  "are 400; unknown tenants are 404 here too.",
    },
    {
        "kind": "no_body", "operations": [("DELETE", "/tenants/{tenant_id}/brand")], "status": 204,
        "reason": "DELETE /tenants/{tenant_id}/brand documents a tenant object under 204 No Content, which by "
                  "HTTP carries no body; the simulator answers 204 without one.",
    },
    {
        "kind": "success_status", "operations": [("POST", "/reports")], "from": 200, "to": 201,
        "reason": "POST /reports is documented 200 but the service answers 201 Created (api-facts, official client).",
    },
    {
        "kind": "request_schema", "operations": [("POST", "/reports")],
        "schema": {
            "type": "object", "additionalProperties": False, "required": ["result_action", "parameters", "schedule"],
            "properties": {
                "recipients": {"type": "array", "items": {"$ref": "#/components/schemas/uuid"}},
                "result_action": {"enum": ["save", "send"], "type": "string"},
                "parameters": {"type": "object", "required": ["tenant_id", "level", "kind"], "properties": {
                    "tenant_id": {"$ref": "#/components/schemas/uuid"},
                    "level": {"enum": ["itself", "direct_partners", "all_partners", "all_customers", "accounts"],
                              "type": "string"},
                    "kind": {"enum": ["usage_daily", "usage_summary", "usage_current", "usage_breakdown"],
                             "type": "string"},
                    "formats": {"type": "array", "items": {"enum": ["csv", "html", "json_v1", "csv_v2_0", "json_v2_0"],
                                                           "type": "string"}},
                    "period": _REPORT_PERIOD, "hide_zero_usage": {"type": "boolean"}, "show_skus": {"type": "boolean"}}},
                "period": _REPORT_PERIOD,
                "schedule": {"type": "object", "required": ["type"], "properties": {
                    "enabled": {"type": "boolean"}, "type": {"enum": ["once", "monthly"], "type": "string"}}},
                "generation_date": {"$ref": "#/components/schemas/document_version"}}},
        "reason": "reportPost requires `recipients` and forbids a top-level `period`, yet Acronis's own examples "
                  "(seed 000 create_report_retrieve: no recipients; create_sku_report_retrieve: no recipients and "
                  "`period` next to `parameters`) create reports with result_action save. The service accepts both; "
                  "the simulator uses a top-level period when parameters.period is absent. A report sent by "
                  "e-mail (result_action send) still needs recipients (400).",
    },
    {
        "kind": "extra_status", "operations": [("POST", "/reports")], "statuses": [404],
        "reason": "A parameters.tenant_id that does not exist (or was deleted) is 404 with code 1005, as for the "
                  "tenant ids in the bodies of POST /tenants and POST /users.",
    },
    {
        "kind": "response_enum", "operations": [("POST", "/reports"), ("GET", "/reports/{report_id}"),
                                                ("PUT", "/reports/{report_id}")],
        "pointer": "parameters/formats/[]", "values": ["json_v2_0"],
        "reason": "reportPost accepts the format json_v2_0, but the report schema of the answers omits it.",
    },
    {
        "kind": "response_enum", "operations": [("GET", "/reports/{report_id}/stored")],
        "pointer": "items/[]/report_format", "values": ["json_v2_0"],
        "reason": "A report created with the format json_v2_0 has a stored report in that format, "
                  "which storedReportParams omits.",
    },
    {
        "kind": "request_schema", "operations": [("PUT", "/users/{user_id}/access_policies")],
        "schema": {
            "type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": {
                "type": "object", "required": ["role_id", "tenant_id", "trustee_id", "trustee_type"],
                "properties": {
                    "id": {"type": "string"}, "version": {"type": "integer"}, "issuer_id": {"type": "string"},
                    "trustee_id": {"type": "string"}, "trustee_type": {"enum": ["user", "user_group", "client"], "type": "string"},
                    "tenant_id": {"type": "string"}, "role_id": {"$ref": "#/components/schemas/userRole"},
                    "created_at": {"type": "string"}, "updated_at": {"type": "string"},
                    "deleted_at": {"nullable": True, "type": "string"}}}}}},
        "reason": "The request is documented as the full accessPoliciesList (timestamp, created_at, ...), "
                  "but clients (Acronis's own tutorials) send only id 000..0, issuer_id, role_id, tenant_id, "
                  "trustee_id, trustee_type and version 0, which the service accepts.",
    },
    {
        "kind": "request_property", "operations": [("POST", "/tenants")], "property": "enhanced_security",
        "schema": {"type": "boolean"},
        "reason": "The tutorial 'Provisioning a customer tenant' (seed 004) creates the customer with a top-level "
                  "\"enhanced_security\": true next to name/kind/parent_id and gets 201; tenantPost lists it only "
                  "under `settings`. Both places are accepted and mean the same.",
    },
    {
        "kind": "request_property", "operations": [("PUT", "/tenants/{tenant_id}")], "property": "settings",
        "schema": {"type": "object", "properties": {"enhanced_security": {"type": "boolean"}}},
        "reason": "Enhanced security is switched on for an existing tenant with the same `settings` object "
                  "POST /tenants documents; the published tenantPut omits it. It cannot be switched off.",
    },
    {
        "kind": "parameter_schema", "operations": [("POST", "/idp/token"), ("POST", "/idp/revoke_token")],
        "in": "header", "name": "Authorization",
        "schema": {"type": "string", "pattern": "^(Basic|Bearer) \\S+$"},
        "reason": "The documented pattern requires base64 ending in '=', which most client_id:secret pairs "
                  "do not produce; the service accepts any Basic credentials (RFC 7617), on the token and the "
                  "revocation endpoints alike.",
    },
    {
        "kind": "parameter_schema", "operations": [("DELETE", "/registration_tokens/{token_id}")], "in": "path",
        "name": "token_id", "schema": {"type": "string", "pattern": "^[0-9]+$"},
        "reason": "DeleteRegistrationToken documents token_id as a UUID, but a registration token's id is the "
                  "integer of registrationToken.id (\"id\": 2 in the documented example); that is the id a token "
                  "is deleted by.",
    },
    {
        "kind": "form_property_schema", "operations": [("POST", "/idp/token")], "property": "scope",
        "schema": {"type": "string"},
        "reason": "The documented scope pattern rejects ':' and '-', yet the jwt-bearer exchange sends "
                  "scope=urn:acronis.com:tenant-id:<uuid> (Acronis examples).",
    },
    {
        "kind": "read_only_fields",
        "operations": [("PUT", "/tenants/{tenant_id}"), ("PUT", "/users/{user_id}"),
                       ("PUT", "/tenants/{tenant_id}/pricing"), ("PUT", "/clients/{client_id}")],
        "reason": "Real clients PUT back the object they read (the pricing tutorial sends the whole GET "
                  "object, production_start_date included); the service ignores read-only fields.",
    },
    {
        "kind": "nullable_all_of", "operations": "*",
        "reason": "The document marks fields such as deleted_at, owner_id, update_lock.owner_id, "
                  "production_start_date and pricing currency as nullable next to an allOf of a non-nullable "
                  "$ref (or enum); OpenAPI 3.0 validators then reject null, yet the service sends null there "
                  "(tutorials' tenant and pricing objects).",
    },
    {
        "kind": "lenient_scalars", "operations": "*",
        "reason": "Acronis's own example scripts send \"version\": \"3\" and \"enabled\": \"false\" as strings; "
                  "the service accepts them.",
    },
]


def for_kind(kind):
    """Every deviation of one kind."""
    return [deviation for deviation in DEVIATIONS if deviation["kind"] == kind]


def for_operation(kind, method, path):
    """The deviations of one kind that apply to an operation."""
    found = []
    for deviation in DEVIATIONS:
        if deviation["kind"] != kind:
            continue
        operations = deviation["operations"]
        if operations == "*" or (method.upper(), path) in operations:
            found.append(deviation)
    return found
