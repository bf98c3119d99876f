# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Locations, storages and brands against a mocked HTTP layer: names resolved once, unknown and ambiguous names
refused with the candidates, the logo sent as image/png, and writes whose answers were lost resolved by reading."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.acronis.cyber_platform.plugins.module_utils import branding, locations
from ansible_collections.acronis.cyber_platform.plugins.module_utils.errors import (
    AcronisCheckModeWrite,
    AcronisFailure,
)
from ansible_collections.acronis.cyber_platform.tests.unit.plugins.module_utils.conftest import API, api_calls

TENANT = "4b07e4a1-a49b-4d4e-b8f2-253f1fef98ad"
PLATFORM_LOC = "8f0c3c62-2d6e-5b8b-9a43-6d5a0d8ef8a2"
OWN_LOC = "3b9c5d3a-6c2e-4b8a-8f5e-2d7f0e4f9a11"
HOSTED = "019097a6-114f-4418-bd54-e01ef049f209"
GOOGLE = "ba2976d0-c13e-4661-ae60-b4593583fce2"
OWN_INFRA = "6f1b2d0e-4a8b-4f6c-9c1e-3d2a7b5e8f90"
BAD_GATEWAY = {"status_code": 502, "json": {"error": {"code": 502, "message": "Bad Gateway"}}}
OUTDATED = {"status_code": 409, "json": {"error": {"code": 1001, "message": "The version is outdated."}}}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def client(make_client, tokens):
    return make_client(backoff_retries=3)


def writes(http):
    return [(r.method, r.path) for r in api_calls(http) if r.method != "GET"]


def mock_places(http, own_storage_name="Hosted Copy"):
    """A tenant with a location of its own (one storage) and the platform's (two)."""
    http.get(API + "/tenants/%s/locations" % TENANT, json={"locations": [OWN_LOC, PLATFORM_LOC]})
    http.get(API + "/locations", json={"items": [
        {"id": OWN_LOC, "name": "NYC", "owner_tenant_id": TENANT, "platform_owned": False, "version": 1},
        {"id": PLATFORM_LOC, "name": "Acronis Cloud", "owner_tenant_id": "root", "platform_owned": True,
         "readonly": True, "version": 1}]})
    http.get(API + "/locations/%s/infra" % OWN_LOC, json={"infras": [OWN_INFRA]})
    http.get(API + "/locations/%s/infra" % PLATFORM_LOC, json={"infras": [HOSTED, GOOGLE]})
    infras = {
        OWN_INFRA: {"id": OWN_INFRA, "name": own_storage_name, "location_id": OWN_LOC},
        HOSTED: {"id": HOSTED, "name": "Acronis Hosted Storage", "location_id": PLATFORM_LOC},
        GOOGLE: {"id": GOOGLE, "name": "Google Cloud Storage", "location_id": PLATFORM_LOC},
    }

    def batch(request, context):
        return {"items": [infras[i] for i in request.qs["uuids"][0].split(",")]}
    http.get(API + "/infra", json=batch)


def test_a_storage_is_found_by_name_case_insensitively_reading_once(client, http):
    mock_places(http)
    places = locations.Places(client, TENANT)
    assert places.storage_id("acronis hosted STORAGE", "items[].infra") == HOSTED
    reads = len(api_calls(http))
    assert places.storage_id("Google Cloud Storage", "items[].infra") == GOOGLE
    assert places.storage_id(OWN_INFRA, "items[].infra") == OWN_INFRA
    assert len(api_calls(http)) == reads                      # read once for the whole task
    usable = places.storages
    assert [infra["location_name"] for infra in usable] == ["NYC", "Acronis Cloud", "Acronis Cloud"]


def test_an_unknown_storage_name_is_refused_with_the_candidates_closest_first(client, http):
    mock_places(http)
    with pytest.raises(AcronisFailure) as info:
        locations.Places(client, TENANT).storage_id("Acronis Hosted Storge", "items[].infra")
    message = info.value.msg
    assert message.startswith("Option items[].infra: no storage is named 'Acronis Hosted Storge'")
    assert message.index("Acronis Hosted Storage (%s)" % HOSTED) < message.index("Google Cloud Storage")
    assert writes(http) == []


def test_an_ambiguous_storage_name_is_refused_naming_each_and_a_location_settles_it(client, http):
    mock_places(http, own_storage_name="Acronis Hosted Storage")
    places = locations.Places(client, TENANT)
    with pytest.raises(AcronisFailure) as info:
        places.storage_id("Acronis Hosted Storage", "items[].infra")
    assert "2 storages are named 'Acronis Hosted Storage'" in info.value.msg
    assert OWN_INFRA in info.value.msg and HOSTED in info.value.msg
    assert places.storage_id("Acronis Hosted Storage", "items[].infra", location="nyc") == OWN_INFRA
    assert places.storage_id("Acronis Hosted Storage", "items[].infra", location=PLATFORM_LOC) == HOSTED


def test_an_unknown_location_is_refused_naming_the_location_option(client, http):
    mock_places(http)
    with pytest.raises(AcronisFailure) as info:
        locations.Places(client, TENANT).storage_id("Google Cloud Storage", "items[].infra", location="Boston")
    assert info.value.msg.startswith("Option items[].location: no location is named 'Boston'")
    assert "NYC (%s)" % OWN_LOC in info.value.msg


def test_a_storage_of_another_location_is_not_found_there(client, http):
    mock_places(http)
    with pytest.raises(AcronisFailure) as info:
        locations.Places(client, TENANT).storage_id("Google Cloud Storage", "items[].infra", location="NYC")
    assert "no storage is named 'Google Cloud Storage'" in info.value.msg
    assert "Hosted Copy (%s)" % OWN_INFRA in info.value.msg


def test_a_location_rename_committed_before_its_answer_was_lost_is_success(client, http):
    http.put(API + "/locations/" + OWN_LOC, [dict(BAD_GATEWAY), dict(OUTDATED)])
    http.get(API + "/locations/" + OWN_LOC, json={"id": OWN_LOC, "name": "Boston", "version": 2})
    assert locations.rename_location(client, OWN_LOC, 1, "Boston")["version"] == 2
    assert len(writes(http)) == 2


def test_a_storage_update_another_writer_beat_is_sent_again_on_its_version(client, http):
    http.put(API + "/infra/" + OWN_INFRA, [dict(OUTDATED), {"json": {"id": OWN_INFRA, "version": 4}}])
    http.get(API + "/infra/" + OWN_INFRA, json={"id": OWN_INFRA, "url": "acronis+fes://other:44445", "version": 3})
    assert locations.update_infra(client, OWN_INFRA, 1, {"url": "acronis+fes://mine:44445"})["version"] == 4
    sent = [call for call in api_calls(http) if call.method == "PUT"]
    # Only the field the task names, on the version read again: nothing else of the other writer's is touched.
    assert [call.json() for call in sent] == [{"url": "acronis+fes://mine:44445", "version": 1},
                                              {"url": "acronis+fes://mine:44445", "version": 3}]


def test_a_location_rename_another_writer_made_first_is_not_sent_again(client, http):
    http.put(API + "/locations/" + OWN_LOC, **OUTDATED)
    http.get(API + "/locations/" + OWN_LOC, json={"id": OWN_LOC, "name": "Boston", "version": 2})
    assert locations.rename_location(client, OWN_LOC, 1, "Boston")["version"] == 2
    assert len(writes(http)) == 1
    assert client.concurrency["other_writers"] == ["renamed location %s to 'Boston'" % OWN_LOC]


# ------------------------------------------------------------------ brands

def test_the_logo_is_sent_as_png_with_the_tenants_version(client, http):
    http.post(API + "/tenants/%s/brand/logo" % TENANT, status_code=201, json={"id": TENANT, "version": 5})
    assert branding.upload_logo(client, TENANT, 4, PNG)["version"] == 5
    sent = api_calls(http)[-1]
    assert sent.headers["Content-Type"] == "image/png"
    assert sent.body == PNG and sent.qs == {"version": ["4"]}


def test_a_logo_upload_in_check_mode_is_refused_before_it_leaves(make_client, tokens, http):
    read_only = make_client(read_only=True)
    with pytest.raises(AcronisCheckModeWrite):
        branding.upload_logo(read_only, TENANT, 4, PNG)
    assert writes(http) == []


def test_a_logo_upload_committed_before_its_answer_was_lost_is_success(client, http):
    http.post(API + "/tenants/%s/brand/logo" % TENANT, [dict(BAD_GATEWAY), dict(OUTDATED)])
    http.get(API + "/tenants/%s/brand/logo" % TENANT, content=PNG, headers={"Content-Type": "image/png"})
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT, "version": 5, "brand_enabled": True})
    assert branding.upload_logo(client, TENANT, 4, PNG)["version"] == 5


def test_enabling_a_brand_whose_answer_was_lost_adopts_it(client, http):
    http.post(API + "/tenants/%s/brand" % TENANT, **BAD_GATEWAY)
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT, "version": 2, "brand_enabled": True})
    assert branding.enable(client, TENANT, 1)["version"] == 2
    assert writes(http) == [("POST", "/api/2/tenants/%s/brand" % TENANT)]


def test_a_brand_update_ignores_the_hidden_smtp_password_when_resolving_a_lost_answer(client, http):
    http.put(API + "/tenants/%s/brand" % TENANT, [dict(BAD_GATEWAY), dict(OUTDATED)])
    http.get(API + "/tenants/%s/brand" % TENANT, json={"company_name": "Acme", "smtp_password": ""})
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT, "version": 3, "brand_enabled": True})
    tenant = branding.update(client, TENANT, 2, {"company_name": "Acme", "smtp_password": "s3cret"})
    assert tenant["version"] == 3


def test_a_brand_update_another_writer_beat_is_sent_again_on_the_tenants_version(client, http):
    http.put(API + "/tenants/%s/brand" % TENANT, [dict(OUTDATED), {"json": {"id": TENANT, "version": 4}}])
    http.get(API + "/tenants/%s/brand" % TENANT, json={"company_name": "Other", "color": "FF0000"})
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT, "version": 3, "brand_enabled": True})
    assert branding.update(client, TENANT, 2, {"company_name": "Acme"})["version"] == 4
    sent = [call for call in api_calls(http) if call.method == "PUT"]
    assert [(call.json(), call.qs) for call in sent] == [({"company_name": "Acme"}, {"version": ["2"]}),
                                                         ({"company_name": "Acme"}, {"version": ["3"]})]


def test_a_brand_removal_that_meets_another_writers_version_is_sent_again(client, http):
    http.delete(API + "/tenants/%s/brand" % TENANT, [dict(OUTDATED), {"status_code": 204}])
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT, "version": 3, "brand_enabled": True})
    branding.disable(client, TENANT, 2)
    assert [call.qs for call in api_calls(http) if call.method == "DELETE"] == [{"version": ["2"]}, {"version": ["3"]}]


def test_a_brand_another_writer_removed_first_is_not_removed_again(client, http):
    http.delete(API + "/tenants/%s/brand" % TENANT, **OUTDATED)
    http.get(API + "/tenants/" + TENANT, json={"id": TENANT, "version": 3, "brand_enabled": False})
    branding.disable(client, TENANT, 2)
    assert len(writes(http)) == 1
    assert client.concurrency["other_writers"] == ["removed the brand of tenant %s" % TENANT]
