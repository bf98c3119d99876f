"""Small builders shared by the simulator's tests."""


def create_tenant(api, parent_id, name, kind="partner", **fields):
    """POST /tenants and return the tenant (asserting 201)."""
    response = api.post("/tenants", json=dict(fields, name=name, kind=kind, parent_id=parent_id))
    assert response.status_code == 201, response.text
    return response.json()


def enable_items(api, parent_id, tenant_id, kind="partner", edition="standard", keep=None):
    """Give a tenant what its parent offers for a child of this kind (optionally filtered)."""
    items = api.get("/tenants/%s/offering_items/available_for_child" % parent_id,
                    params={"kind": kind, "edition": edition}).json()["items"]
    if keep is not None:
        items = [item for item in items if keep(item)]
    response = api.put("/tenants/%s/offering_items" % tenant_id, json={"offering_items": items})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def create_user(api, tenant_id, login, email=None):
    """POST /users and return the user (asserting 200)."""
    response = api.post("/users", json={"tenant_id": tenant_id, "login": login,
                                        "contact": {"email": email or login + "@example.com"}})
    assert response.status_code == 200, response.text
    return response.json()


def error_code(response):
    """The code of the official error envelope."""
    return response.json()["error"]["code"]
