"""Branding: /tenants/{id}/brand and /tenants/{id}/brand/logo."""

import base64

from .helpers import create_tenant, error_code

PLATFORM_BRAND = "7bbee631-da82-47e1-8774-2843f4e81236"
# A 1x1 red PNG (not the platform's logo).
RED_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def _enable(api, tenant):
    response = api.post("/tenants/%s/brand" % tenant["id"], params={"version": tenant["version"]})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_new_partner_wears_the_platform_brand(simulator, api):
    partner = create_tenant(api, simulator.credentials["tenant_id"], "Unbranded Partner")
    assert partner["brand_enabled"] is False and partner["brand_uuid"] == PLATFORM_BRAND
    own = api.get("/tenants/%s/brand" % partner["id"])
    assert own.status_code == 404
    effective = api.get("/tenants/%s/brand" % partner["id"], params={"effective": 1})
    assert effective.status_code == 200
    assert effective.json()["id"] == PLATFORM_BRAND and effective.json()["company_name"] == "Acronis"
    logo = api.get("/tenants/%s/brand/logo" % partner["id"])
    assert logo.status_code == 200 and logo.headers["Content-Type"] == "image/png"
    assert logo.content.startswith(b"\x89PNG") and int(logo.headers["Content-Length"]) == len(logo.content)


def test_enable_update_and_disable_a_brand(simulator, api):
    root = simulator.credentials["tenant_id"]
    partner = create_tenant(api, root, "Branded Partner")
    path = "/tenants/%s/brand" % partner["id"]
    assert api.post(path).status_code == 400                                     # ?version= is required
    assert error_code(api.post(path, params={"version": partner["version"] + 5})) == 1001
    tenant = _enable(api, partner)
    assert tenant["version"] == partner["version"] + 1 and tenant["brand_enabled"] is True
    brand = api.get(path).json()
    assert brand["id"] == tenant["brand_uuid"] != PLATFORM_BRAND
    assert brand["company_name"] == "Acronis"                                   # a copy of the brand above it
    assert api.post(path, params={"version": tenant["version"]}).status_code == 409      # already enabled

    changed = api.put(path, params={"version": tenant["version"]},
                      json={"company_name": "Acme Cloud", "color": "FF6600", "support_url": "https://help.acme.test",
                            "smtp_override": 1, "smtp_server": "smtp.acme.test", "smtp_port": 465,
                            "smtp_password": "s3cret", "smtp_encryption": "TLS", "white_labeled_agent": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == tenant["version"] + 1
    brand = api.get(path).json()
    assert brand["company_name"] == "Acme Cloud" and brand["color"] == "FF6600" and brand["smtp_port"] == 465
    assert brand["white_labeled_agent"] is True and brand["smtp_password"] == ""          # hidden
    same = api.put(path, params={"version": changed.json()["version"]}, json={"company_name": "Acme Cloud"})
    assert same.json()["version"] == changed.json()["version"]                 # nothing changed, no new version
    assert api.put(path, params={"version": same.json()["version"]}, json={"smtp_encryption": "STARTTLS"}
                   ).status_code == 400
    assert api.put(path, params={"version": same.json()["version"]}, json={"slogan": "x"}).status_code == 400

    # A customer below the partner wears the partner's brand, and cannot have its own.
    customer = create_tenant(api, partner["id"], "Acme Customer", kind="customer")
    assert customer["brand_enabled"] is False and customer["brand_uuid"] == brand["id"]
    inherited = api.get(path.replace(partner["id"], customer["id"]), params={"effective": 1}).json()
    assert inherited["company_name"] == "Acme Cloud"
    assert api.post("/tenants/%s/brand" % customer["id"], params={"version": customer["version"]}).status_code == 400

    current = api.get("/tenants/" + partner["id"]).json()
    assert api.delete(path, params={"version": current["version"]}).status_code == 204
    after = api.get("/tenants/" + partner["id"]).json()
    assert after["version"] == current["version"] + 1 and after["brand_enabled"] is False
    assert after["brand_uuid"] == PLATFORM_BRAND
    assert api.get(path).status_code == 404
    assert api.delete(path, params={"version": after["version"]}).status_code == 400        # nothing to disable
    assert api.put(path, params={"version": after["version"]}, json={"color": "000000"}).status_code == 400


def test_upload_a_logo(simulator, api):
    partner = create_tenant(api, simulator.credentials["tenant_id"], "Logo Partner")
    logo_path = "/tenants/%s/brand/logo" % partner["id"]
    png = {"Content-Type": "image/png"}
    assert api.post(logo_path, params={"version": partner["version"]}, data=RED_PNG, headers=png).status_code == 400
    tenant = _enable(api, partner)
    before = api.get("/tenants/%s/brand" % partner["id"]).json()["logotype"]
    assert api.post(logo_path, params={"version": tenant["version"]}, data=b"GIF89a", headers=png).status_code == 400
    uploaded = api.post(logo_path, params={"version": tenant["version"]}, data=RED_PNG, headers=png)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["version"] == tenant["version"] + 1
    assert api.get(logo_path).content == RED_PNG
    assert api.get("/tenants/%s/brand" % partner["id"]).json()["logotype"] not in (None, before)
    customer = create_tenant(api, partner["id"], "Logo Customer", kind="customer")
    assert api.get("/tenants/%s/brand/logo" % customer["id"]).content == RED_PNG          # inherited
    stale = api.post(logo_path, params={"version": tenant["version"]}, data=RED_PNG, headers=png)
    assert error_code(stale) == 1001
