# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The tenants inventory plugin against a mocked API (requests-mock): hosts and
their variables, paging, filters, groups, Constructable options, the inventory
cache, host names, and its error messages."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from urllib.parse import parse_qs, urlparse

import pytest
import requests_mock
import yaml

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.acronis.cyber_platform.plugins.module_utils import host_names

BASE_URL = "https://dc.example.test"
API = BASE_URL + "/api/2"
ROOT = "11111111-2222-4333-8444-000000000000"
CLIENT_ID = "cid-0001"
SECRET = "s3cr3t-client-secret"


def tenant_id(n):
    return "11111111-2222-4333-8444-%012d" % n


def tenant(n, name, kind, parent, pricing_mode="trial", enabled=True, **extra):
    record = {"id": tenant_id(n), "name": name, "kind": kind, "parent_id": parent, "enabled": enabled,
              "pricing_mode": pricing_mode, "version": 1, "customer_id": None, "language": "en",
              "mfa_status": "disabled", "contact": {"email": "it@example.test"}, "contacts": [],
              "barrier": 0, "offering_items": [], "update_lock": {"enabled": False, "owner_id": None}}
    record.update(extra)
    return record


# The subtree the API serves: the root partner, a partner and a folder under it,
# customers under both, a unit, a disabled customer.
WORLD = [
    tenant(0, "Root Partner", "partner", tenant_id(99), pricing_mode="production"),
    tenant(1, "EU Partner", "partner", ROOT, pricing_mode="production"),
    tenant(2, "Folder A", "folder", ROOT, pricing_mode="production"),
    tenant(3, "Acme Corp", "customer", tenant_id(1), pricing_mode="production", customer_id="CRM-1"),
    tenant(4, "Globex", "customer", tenant_id(1)),
    tenant(5, "Initech", "customer", tenant_id(2), language="de"),
    tenant(6, "Acme Lab", "unit", tenant_id(3), pricing_mode="production"),
    tenant(7, "Umbrella", "customer", tenant_id(2), enabled=False),
]


class TenantsAPI:
    """GET /tenants?subtree_root_id= served in pages of ``page``, with opaque cursors."""

    def __init__(self, mocker, tenants, page=3):
        self.mocker = mocker
        self.tenants = tenants
        self.page = page
        self.calls = []
        self.tokens = 0
        mocker.post(API + "/idp/token", json=self._token)
        mocker.get(API + "/tenants", json=self._tenants)
        mocker.get(API + "/clients/" + CLIENT_ID, json={"client_id": CLIENT_ID, "tenant_id": ROOT, "type": "api_client"})

    def _token(self, request, context):
        self.tokens += 1
        return {"access_token": "tok-%d" % self.tokens, "token_type": "bearer", "expires_on": 4102444800}

    def _tenants(self, request, context):
        query = dict((k, v[0]) for k, v in parse_qs(urlparse(request.url).query).items())
        self.calls.append(query)
        start = int(query["after"].split("-")[1]) if "after" in query else 0
        if "after" not in query and query.get("subtree_root_id") != ROOT:
            context.status_code = 404
            return {"error": {"code": 1005, "message": "Tenant not found.", "details": {}, "context": {},
                              "domain": "PlatformAccountServer"}}
        limit = int(query.get("limit", 5000))
        size = min(limit, self.page)
        chunk = self.tenants[start:start + size]
        paging = {"cursors": {}}
        if start + size < len(self.tenants):
            paging["cursors"]["after"] = "cursor-%d" % (start + size)
        return {"items": chunk, "paging": paging}


@pytest.fixture
def api():
    with requests_mock.Mocker() as mocker:
        yield TenantsAPI(mocker, WORLD)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("ACRONIS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def write_source(tmp_path, name="inventory.acronis.yml", **options):
    config = {"plugin": "acronis.cyber_platform.tenants", "base_url": BASE_URL, "client_id": CLIENT_ID,
              "client_secret": SECRET, "root_tenant_id": ROOT, "token_cache": False, "page_size": 3}
    config.update(options)
    config = dict((k, v) for k, v in config.items() if v is not None)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return str(path)


def parse(path, cache=True):
    plugin = inventory_loader.get("acronis.cyber_platform.tenants")
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), path, cache=cache)
    if getattr(plugin, "_cache", None) is not None:
        plugin.update_cache_if_changed()
    return inventory


def hosts(inventory, group=None):
    if group is None:
        return sorted(inventory.hosts)
    return sorted(h.name for h in inventory.groups[group].get_hosts())


def host_vars(inventory, name):
    return inventory.get_host(name).get_vars()


def test_enabled_tenants_of_the_subtree_become_hosts_without_the_root(tmp_path, api):
    inventory = parse(write_source(tmp_path))
    assert hosts(inventory) == ["acme-corp", "acme-lab", "eu-partner", "folder-a", "globex", "initech"]


def test_host_variables_are_the_tenant_fields_with_a_prefix(tmp_path, api):
    inventory = parse(write_source(tmp_path))
    acme = host_vars(inventory, "acme-corp")
    assert acme["acronis_id"] == tenant_id(3)
    assert acme["acronis_kind"] == "customer"
    assert acme["acronis_parent_id"] == tenant_id(1)
    assert acme["acronis_parent_name"] == "EU Partner"
    assert acme["acronis_customer_id"] == "CRM-1"
    assert acme["acronis_pricing_mode"] == "production"
    assert acme["acronis_contact"] == {"email": "it@example.test"}
    assert acme["acronis_depth"] == 2
    assert host_vars(inventory, "acme-lab")["acronis_depth"] == 3
    assert acme["ansible_connection"] == "local"
    # Paging artefacts of the list are not tenant fields.
    assert "acronis_contacts" not in acme and "acronis_barrier" not in acme and "acronis_offering_items" not in acme


def test_no_credential_reaches_host_variables(tmp_path, api):
    inventory = parse(write_source(tmp_path))
    for name in hosts(inventory):
        dumped = json.dumps(dict((k, v) for k, v in host_vars(inventory, name).items() if k != "ansible_python_interpreter"),
                            default=str)
        assert SECRET not in dumped and CLIENT_ID not in dumped


def test_one_request_per_page_and_continuations_send_only_the_cursor(tmp_path, api):
    parse(write_source(tmp_path, page_size=3))
    # 8 tenants in pages of 3: 3 requests, whatever the number of hosts.
    assert len(api.calls) == 3
    assert api.tokens == 1
    assert api.calls[0] == {"subtree_root_id": ROOT, "lod": "full", "limit": "3"}
    assert api.calls[1] == {"lod": "full", "limit": "3", "after": "cursor-3"}
    assert api.calls[2] == {"lod": "full", "limit": "3", "after": "cursor-6"}


def test_root_defaults_to_the_api_clients_tenant(tmp_path, api):
    inventory = parse(write_source(tmp_path, root_tenant_id=None))
    assert "acme-corp" in hosts(inventory)
    assert api.calls[0]["subtree_root_id"] == ROOT


def test_groups_by_kind_parent_and_pricing_mode(tmp_path, api):
    inventory = parse(write_source(tmp_path))
    assert hosts(inventory, "kind_customer") == ["acme-corp", "globex", "initech"]
    assert hosts(inventory, "kind_partner") == ["eu-partner"]
    assert hosts(inventory, "kind_folder") == ["folder-a"]
    assert hosts(inventory, "kind_unit") == ["acme-lab"]
    assert hosts(inventory, "parent_EU_Partner") == ["acme-corp", "globex"]
    assert hosts(inventory, "parent_Folder_A") == ["initech"]
    assert hosts(inventory, "parent_Root_Partner") == ["eu-partner", "folder-a"]
    assert hosts(inventory, "pricing_mode_production") == ["acme-corp", "acme-lab", "eu-partner", "folder-a"]
    assert hosts(inventory, "pricing_mode_trial") == ["globex", "initech"]


def test_group_by_can_leave_groups_out(tmp_path, api):
    inventory = parse(write_source(tmp_path, group_by=["kind"]))
    assert "kind_customer" in inventory.groups
    assert not [g for g in inventory.groups if g.startswith(("parent_", "pricing_mode_"))]


def test_kinds_include_disabled_and_name_patterns(tmp_path, api):
    assert hosts(parse(write_source(tmp_path, kinds=["customer"]))) == ["acme-corp", "globex", "initech"]
    assert hosts(parse(write_source(tmp_path, kinds=["customer"], include_disabled=True))) == [
        "acme-corp", "globex", "initech", "umbrella"]
    assert hosts(parse(write_source(tmp_path, name_patterns=["acme*"]))) == ["acme-corp", "acme-lab"]
    assert hosts(parse(write_source(tmp_path, name_patterns=["acme*"], exclude_name_patterns=["*LAB"]))) == ["acme-corp"]


def test_include_root(tmp_path, api):
    inventory = parse(write_source(tmp_path, include_root=True))
    assert "root-partner" in hosts(inventory)
    assert host_vars(inventory, "root-partner")["acronis_depth"] == 0
    assert host_vars(inventory, "root-partner")["acronis_parent_name"] is None


def test_keyed_groups_groups_and_compose(tmp_path, api):
    path = write_source(
        tmp_path,
        keyed_groups=[{"key": "acronis_language", "prefix": "language"}],
        groups={"crm_linked": "acronis_customer_id is not none"},
        compose={"crm": "acronis_customer_id", "label": "acronis_name ~ '/' ~ acronis_kind"},
    )
    inventory = parse(path)
    assert hosts(inventory, "language_de") == ["initech"]
    assert hosts(inventory, "language_en") == ["acme-corp", "acme-lab", "eu-partner", "folder-a", "globex"]
    assert hosts(inventory, "crm_linked") == ["acme-corp"]
    assert host_vars(inventory, "acme-corp")["crm"] == "CRM-1"
    assert host_vars(inventory, "globex")["label"] == "Globex/customer"


def test_strict_fails_on_a_bad_compose_expression(tmp_path, api):
    path = write_source(tmp_path, strict=True, compose={"x": "acronis_no_such_field.value"})
    with pytest.raises(Exception, match="Could not set x for host"):
        parse(path)


def test_empty_vars_prefix_gives_the_api_names(tmp_path, api):
    inventory = parse(write_source(tmp_path, vars_prefix=""))
    assert host_vars(inventory, "globex")["kind"] == "customer"
    assert host_vars(inventory, "globex")["parent_name"] == "EU Partner"


def test_hostname_id(tmp_path, api):
    inventory = parse(write_source(tmp_path, hostname="id"))
    assert tenant_id(3) in hosts(inventory)
    assert host_vars(inventory, tenant_id(3))["acronis_name"] == "Acme Corp"


def test_hostname_name_keeps_the_names_as_they_are(tmp_path, api):
    inventory = parse(write_source(tmp_path, hostname="name"))
    assert hosts(inventory) == ["Acme Corp", "Acme Lab", "EU Partner", "Folder A", "Globex", "Initech"]
    assert host_vars(inventory, "Acme Corp")["acronis_id"] == tenant_id(3)


def test_with_hostname_name_tenants_that_share_a_name_get_their_id_appended(tmp_path):
    world = WORLD + [tenant(8, "Globex", "customer", tenant_id(2))]
    with requests_mock.Mocker() as mocker:
        TenantsAPI(mocker, world)
        inventory = parse(write_source(tmp_path, hostname="name"))
    names = hosts(inventory)
    assert "Globex" not in names
    assert "Globex_%s" % tenant_id(4) in names and "Globex_%s" % tenant_id(8) in names
    assert "Acme Corp" in names


def test_the_cache_serves_the_second_run_without_requests(tmp_path, api):
    path = write_source(tmp_path, cache=True, cache_plugin="ansible.builtin.jsonfile",
                        cache_connection=str(tmp_path / "cache"))
    first = hosts(parse(path))
    calls = len(api.calls)
    second = hosts(parse(path))
    assert second == first
    assert len(api.calls) == calls and api.tokens == 1
    # The cache holds tenants, not credentials.
    cached = "".join(p.read_text() for p in (tmp_path / "cache").iterdir())
    assert "Acme Corp" in cached and SECRET not in cached
    # --flush-cache (cache=False) reads the API again.
    parse(path, cache=False)
    assert len(api.calls) == calls * 2


def test_a_cache_written_without_depths_is_read_again(tmp_path, api):
    # An earlier version of the plugin cached the tenants as the API returned them, without their depth.
    path = write_source(tmp_path, cache=True, cache_plugin="ansible.builtin.jsonfile",
                        cache_connection=str(tmp_path / "cache"))
    parse(path)
    calls = len(api.calls)

    def without_depths(value):
        if isinstance(value, dict):
            return dict((k, without_depths(v)) for k, v in value.items() if k != "depth")
        if isinstance(value, list):
            return [without_depths(item) for item in value]
        return value

    for entry in (tmp_path / "cache").iterdir():
        cached = json.loads(entry.read_text())
        assert 'depth' in entry.read_text()
        if "__payload__" in cached:  # ansible-core 2.19 and later: the value as JSON inside the JSON
            cached["__payload__"] = json.dumps(without_depths(json.loads(cached["__payload__"])))
        entry.write_text(json.dumps(without_depths(cached)))
        assert 'depth' not in entry.read_text()
    inventory = parse(path)
    assert len(api.calls) == calls * 2
    assert host_vars(inventory, "acme-lab")["acronis_depth"] == 3
    parse(path)
    assert len(api.calls) == calls * 2


def test_cache_disabled_reads_every_time(tmp_path, api):
    path = write_source(tmp_path)
    parse(path)
    parse(path)
    assert len(api.calls) == 6


def test_connection_from_the_environment(tmp_path, api, monkeypatch):
    monkeypatch.setenv("ACRONIS_BASE_URL", BASE_URL + "/api/2")
    monkeypatch.setenv("ACRONIS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("ACRONIS_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("ACRONIS_TOKEN_CACHE", "false")
    path = write_source(tmp_path, base_url=None, client_id=None, client_secret=None)
    assert "globex" in hosts(parse(path))


def test_missing_credentials_name_the_environment_variables(tmp_path, api):
    path = write_source(tmp_path, client_id=None, client_secret=None)
    with pytest.raises(AnsibleParserError) as info:
        parse(path)
    message = str(info.value)
    assert "client_id, client_secret" in message and "ACRONIS_CLIENT_ID and ACRONIS_CLIENT_SECRET" in message
    assert api.calls == [] and api.tokens == 0


def test_api_error_is_one_sentence_with_the_api_code(tmp_path, api):
    path = write_source(tmp_path, root_tenant_id=tenant_id(42))
    with pytest.raises(AnsibleParserError) as info:
        parse(path)
    message = str(info.value)
    assert message.startswith("Could not read the tenants under %s:" % tenant_id(42))
    assert "HTTP 404" in message and "1005" in message and "Traceback" not in message


def test_malformed_root_id_is_rejected_before_any_request(tmp_path, api):
    with pytest.raises(AnsibleParserError, match=r"Option root_tenant_id must be a UUID \(the id of a tenant\)"):
        parse(write_source(tmp_path, root_tenant_id="acme"))
    assert api.tokens == 0


@pytest.mark.parametrize("options, words", [
    (dict(kind=["customer"]), ["Option 'kind' is not an option of this plugin", "did you mean kinds?"]),
    (dict(include_disable=True), ["Option 'include_disable' is not an option", "did you mean include_disabled?"]),
    (dict(include_disabled="maybe"), ["Option include_disabled must be a boolean (true or false)", "'maybe'"]),
    (dict(include_disabled=1), ["Option include_disabled must be a boolean (true or false)"]),
    (dict(vars_prefix="acronis-"), ["Option vars_prefix is 'acronis-'", "invalid variable names"]),
    (dict(vars_prefix="1st_"), ["Option vars_prefix"]),
    (dict(page_size=0), ["Option page_size must be 1 or more"]),
])
def test_bad_source_options_fail_with_one_line_before_any_request(tmp_path, api, options, words):
    path = write_source(tmp_path, **options)
    with pytest.raises(AnsibleParserError) as info:
        parse(path)
    message = str(info.value)
    for word in ["The acronis.cyber_platform.tenants inventory source %s: " % path] + words:
        assert word in message
    assert "\n" not in message.strip()
    assert api.calls == [] and api.tokens == 0


def test_verify_file_accepts_only_its_file_names(tmp_path):
    plugin = inventory_loader.get("acronis.cyber_platform.tenants")
    for name, wanted in (("prod.acronis.yml", True), ("acronis_tenants.yaml", True), ("eu.acronis_tenants.yml", True),
                         ("hosts.yml", False), ("acronis.json", False)):
        path = tmp_path / name
        path.write_text("plugin: acronis.cyber_platform.tenants\n")
        assert plugin.verify_file(str(path)) is wanted, name


@pytest.mark.parametrize("options, words", [
    (dict(timeout=-1), ["timeout", "more than 0"]),
    (dict(backoff_retries=-2), ["backoff_retries", "0 or more"]),
    (dict(base_url="eu2-cloud.acronis.com"), ["base_url", "http:// or https://"]),
])
def test_bad_connection_options_fail_before_any_request(tmp_path, api, options, words):
    path = write_source(tmp_path, **options)
    with pytest.raises(AnsibleParserError) as info:
        parse(path)
    message = str(info.value)
    for word in words:
        assert word in message
    assert api.calls == [] and api.tokens == 0


# ------------------------------------------------------------------ host names: the slug rule

@pytest.mark.parametrize("name, expected", [
    ("Contoso Ltd", "contoso-ltd"),
    ("Contoso, Ltd.", "contoso-ltd"),
    ("ACME", "acme"),
    ("Müller & Söhne GmbH", "muller-sohne-gmbh"),
    ("Straße 1", "strasse-1"),
    ("  Spaced   out  ", "spaced-out"),
    ("a:b,c!d&e*f~g[1]", "a-b-c-d-e-f-g-1"),
    ("under_score", "under-score"),
    ("株式会社", ""),
    ("", ""),
    (None, ""),
])
def test_slug(name, expected):
    assert host_names.slug(name) == expected


def test_a_slug_is_a_valid_host_pattern_of_one_host():
    for name in ("Contoso Ltd", "x:y", "[a-b]", "all,web", "~regex.*", "!not", "&and", "web*"):
        value = host_names.slug(name)
        assert value and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in value), value
        assert not value.startswith("-") and not value.endswith("-")


def record(tid, name):
    return {"id": tid, "name": name}


def test_shared_empty_and_reserved_slugs_get_the_start_of_the_id():
    tenants = [record("aaaaaaaa-0000-4000-8000-000000000001", "Contoso Ltd"),
               record("bbbbbbbb-0000-4000-8000-000000000002", "Contoso, Ltd."),
               record("cccccccc-0000-4000-8000-000000000003", "All"),
               record("dddddddd-0000-4000-8000-000000000004", "株式会社"),
               record("eeeeeeee-0000-4000-8000-000000000005", "Initech")]
    names, renamed = host_names.unique_slugs(tenants)
    assert names == {"aaaaaaaa-0000-4000-8000-000000000001": "contoso-ltd-aaaaaaaa",
                     "bbbbbbbb-0000-4000-8000-000000000002": "contoso-ltd-bbbbbbbb",
                     "cccccccc-0000-4000-8000-000000000003": "all-cccccccc",
                     "dddddddd-0000-4000-8000-000000000004": "tenant-dddddddd",
                     "eeeeeeee-0000-4000-8000-000000000005": "initech"}
    assert renamed == ["all", "contoso-ltd", "tenant"]
    # The same names whatever the order the API lists the tenants in.
    assert host_names.unique_slugs(list(reversed(tenants)))[0] == names


def test_ids_that_begin_alike_give_the_whole_id():
    tenants = [record("aaaaaaaa-0000-4000-8000-000000000001", "Globex"),
               record("aaaaaaaa-0000-4000-8000-000000000002", "GLOBEX")]
    names, _renamed = host_names.unique_slugs(tenants)
    assert names == {"aaaaaaaa-0000-4000-8000-000000000001": "globex-aaaaaaaa-0000-4000-8000-000000000001",
                     "aaaaaaaa-0000-4000-8000-000000000002": "globex-aaaaaaaa-0000-4000-8000-000000000002"}


def test_tenants_whose_names_give_one_slug_are_told_apart_with_their_id(tmp_path):
    world = WORLD + [tenant(8, "Acme, Corp.", "customer", tenant_id(2))]
    with requests_mock.Mocker() as mocker:
        TenantsAPI(mocker, world)
        inventory = parse(write_source(tmp_path))
    names = hosts(inventory)
    # Every test id begins with 11111111: the whole id tells them apart.
    assert "acme-corp" not in names
    assert "acme-corp-%s" % tenant_id(3) in names and "acme-corp-%s" % tenant_id(8) in names
    assert host_vars(inventory, "acme-corp-%s" % tenant_id(8))["acronis_name"] == "Acme, Corp."
    assert "globex" in names


# ------------------------------------------------------------------ several data centers

OTHER_URL = "https://us5.example.test"
OTHER_ROOT = "22222222-2222-4333-8444-000000000000"
OTHER_WORLD = [
    dict(tenant(0, "US Root", "partner", tenant_id(98)), id=OTHER_ROOT),
    dict(tenant(11, "Acme Corp", "customer", OTHER_ROOT), id="22222222-2222-4333-8444-000000000011"),
    dict(tenant(12, "Hooli", "customer", OTHER_ROOT), id="22222222-2222-4333-8444-000000000012"),
]


@pytest.fixture
def other_api(api):
    """The second data center, on the same mocker: its own token endpoint, API client and subtree."""
    served = {"tokens": 0, "auth": []}

    def token(request, context):
        served["tokens"] += 1
        served["auth"].append(request.headers.get("Authorization"))
        return {"access_token": "us-tok", "token_type": "bearer", "expires_on": 4102444800}

    mocker = api.mocker
    mocker.post(OTHER_URL + "/api/2/idp/token", json=token)
    mocker.get(OTHER_URL + "/api/2/clients/us-client",
               json={"client_id": "us-client", "tenant_id": OTHER_ROOT, "type": "api_client"})
    mocker.get(OTHER_URL + "/api/2/tenants", json={"items": OTHER_WORLD, "paging": {"cursors": {}}})
    return served


def two_data_centers(tmp_path, **options):
    credentials = tmp_path / "us5.json"
    credentials.write_text(json.dumps({"base_url": OTHER_URL, "client_id": "us-client", "client_secret": "us-secret"}))
    entries = [{"name": "eu2", "base_url": BASE_URL, "client_id": CLIENT_ID, "client_secret": SECRET,
                "root_tenant_id": ROOT},
               {"name": "us5", "credentials_file": str(credentials)}]
    return write_source(tmp_path, base_url=None, client_id=None, client_secret=None, root_tenant_id=None,
                        data_centers=entries, kinds=["customer"], **options), str(credentials)


def test_data_centers_make_hosts_of_each_with_its_data_center(tmp_path, api, other_api):
    source, credentials = two_data_centers(tmp_path)
    inventory = parse(source)
    # Acme Corp lives in both: two hosts, each named with the start of its ID.
    assert hosts(inventory) == ["acme-corp-11111111", "acme-corp-22222222", "globex", "hooli", "initech"]
    assert hosts(inventory, "data_center_eu2") == ["acme-corp-11111111", "globex", "initech"]
    assert hosts(inventory, "data_center_us5") == ["acme-corp-22222222", "hooli"]
    eu, us = host_vars(inventory, "globex"), host_vars(inventory, "hooli")
    assert (eu["acronis_data_center"], eu["acronis_base_url"]) == ("eu2", BASE_URL)
    assert "acronis_credentials_file" not in eu
    assert (us["acronis_data_center"], us["acronis_base_url"], us["acronis_credentials_file"]) == \
        ("us5", OTHER_URL, credentials)
    # One token from each data center, each with its own API client; no secret in any host variable.
    assert api.tokens == 1 and other_api["tokens"] == 1
    assert all(SECRET not in json.dumps(host_vars(inventory, h), default=str) and
               "us-secret" not in json.dumps(host_vars(inventory, h), default=str) for h in hosts(inventory))


def test_data_centers_are_cached_without_credentials(tmp_path, api, other_api):
    source, _credentials = two_data_centers(tmp_path, cache=True, cache_plugin="ansible.builtin.jsonfile",
                                            cache_connection=str(tmp_path / "cache"))
    parse(source)
    again = parse(source)
    assert api.tokens == 1 and other_api["tokens"] == 1        # the second parse read nothing
    assert hosts(again, "data_center_us5") == ["acme-corp-22222222", "hooli"]
    cached = "".join(p.read_text() for p in (tmp_path / "cache").iterdir())
    assert SECRET not in cached and "us-secret" not in cached


def test_a_data_center_added_to_the_source_is_read_although_cached(tmp_path, api, other_api):
    cache = dict(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"))
    parse(write_source(tmp_path, kinds=["customer"], **cache))
    source, _credentials = two_data_centers(tmp_path, **cache)
    inventory = parse(source)
    assert hosts(inventory, "data_center_us5") == ["acme-corp-22222222", "hooli"]
    assert other_api["tokens"] == 1


@pytest.mark.parametrize("entries, message", [
    (["eu2"], "data_centers entry 1 must be a mapping"),
    ([{"base_url": BASE_URL}], "data_centers entry 1: name must be"),
    ([{"name": "eu 2"}], "data_centers entry 1: name must be"),
    ([{"name": "eu2", "client_id": CLIENT_ID}, {"name": "eu2"}], "entry 2: name eu2 is given twice"),
    ([{"name": "eu2", "url": BASE_URL}], "entry 1: url is not an option of an entry"),
    ([{"name": "eu2", "base_url": BASE_URL + "/login"}], "entry 1: Option base_url"),
    ([{"name": "eu2", "root_tenant_id": " "}], "entry 1: root_tenant_id"),
    ([{"name": "eu2", "base_url": BASE_URL}], "needs client_id, client_secret for data center eu2"),
    ([{"name": "eu2", "credentials_file": "/nonexistent/eu2.json"}], "cannot read its credentials_file"),
])
def test_bad_data_centers_fail_the_source_before_any_request(tmp_path, api, entries, message):
    source = write_source(tmp_path, base_url=None, client_id=None, client_secret=None, data_centers=entries)
    with pytest.raises(AnsibleParserError) as failure:
        parse(source)
    assert message in str(failure.value)
    assert api.tokens == 0
