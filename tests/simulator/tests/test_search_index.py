"""The search index: the same answers as comparing every document, on a world with many tenants."""

import time

import pytest

from ..state import World, search_strings


def _world(partners=8, customers=30):
    world = World(seed=3)
    ids = []
    for p in range(partners):
        partner = world.add_tenant({"name": "Index Partner %02d" % p, "kind": "partner", "parent_id": world.partner_id})
        ids.append(partner["id"])
        for c in range(customers):
            customer = world.add_tenant({"name": "Index Customer %02d-%02d" % (p, c), "kind": "customer",
                                         "parent_id": partner["id"]})
            ids.append(customer["id"])
            world.add_user({"tenant_id": customer["id"], "login": "idx-user-%02d-%02d" % (p, c),
                            "contact": {"email": "u%02d%02d@index.example" % (p, c), "firstname": "Ann",
                                        "lastname": "Lee %02d" % c}})
    return world, ids


def _scan(world, text):
    """The reference: every visible document in order, compared with its current strings."""
    return [object_id for object_id in world.searchable()
            if object_id in world.search_text and any(text in s for s in search_strings(
                world.users[object_id] if object_id in world.users else world.tenants[object_id]))]


def _found(world, text):
    return [i for i in world.search_candidates(text)
            if any(text in s for s in search_strings(world.users.get(i) or world.tenants[i]))]


TEXTS = ("index customer 03-1", "customer", "07-29", "idx-user-05", "ann lee 12", "@index.example", "zz-none", "er 0",
         "u0512", "partner 0")


@pytest.mark.parametrize("text", TEXTS)
def test_candidates_equal_a_full_scan(text):
    world, _ids = _world()
    assert _found(world, text) == _scan(world, text)
    assert len(world.search_candidates(text)) <= len(world.search_docs)


def test_rename_delete_and_login_change_follow_the_index():
    world, ids = _world(partners=3, customers=10)
    renamed = world.tenants[ids[5]]
    world.rename_tenant(renamed, "Quokka Holdings")
    world.index_search(renamed)
    assert _found(world, "quokka") == [renamed["id"]]
    assert renamed["id"] not in _found(world, "index customer")
    user = world.users[world.users_by_tenant[ids[7]][0]]
    world.change_login(user, "wombat.admin")
    user["contact"] = dict(user["contact"], lastname="Marsupial")
    world.index_search(user)
    assert _found(world, "wombat") == [user["id"]] and _found(world, "marsupial") == [user["id"]]
    assert user["id"] not in _found(world, "idx-user-00-0")
    victim = world.tenants[ids[2]]
    world.delete_tenant(victim)
    assert victim["id"] not in world.search_candidates(victim["name"].lower())
    for text in TEXTS + ("quokka", "wombat"):
        assert _found(world, text) == _scan(world, text)


def test_lag_hides_new_documents_until_it_passes():
    world, _ids = _world(partners=1, customers=3)
    world.search_lag = 0.3
    record = world.add_tenant({"name": "Late Lemur", "kind": "partner", "parent_id": world.partner_id})
    assert world.search_candidates("late lemur") == []
    time.sleep(0.35)
    assert world.search_candidates("late lemur") == [record["id"]]


def test_order_is_first_indexing_order_and_survives_updates():
    world, ids = _world(partners=2, customers=5)
    first = world.tenants[ids[1]]
    first["internal_tag"] = "x"
    world.index_search(first)      # an update keeps the document's place
    found = world.search_candidates("index customer")
    assert found == sorted(found, key=world.search_order.__getitem__)
    assert found[0] == first["id"]


def _search(api, root, text, limit=10):
    response = api.get("/search", params={"tenant": root, "text": text, "limit": limit})
    assert response.status_code == 200
    return response.json()["items"]


def test_search_api_subtree_limit_rename_delete(simulator, api):
    root = simulator.credentials["tenant_id"]
    partners = []
    for p in range(3):
        partner = api.post("/tenants", json={"name": "Apiidx P%d" % p, "kind": "partner", "parent_id": root}).json()
        partners.append(partner)
        for c in range(12):
            assert api.post("/tenants", json={"name": "Apiidx C%d-%02d" % (p, c), "kind": "customer",
                                              "parent_id": partner["id"]}).status_code == 201
    assert len(_search(api, root, "apiidx c", limit=100)) == 36
    assert [i["name"] for i in _search(api, root, "apiidx c", limit=5)] == ["Apiidx C0-%02d" % c for c in range(5)]
    under = _search(api, partners[1]["id"], "apiidx", limit=100)
    assert len(under) == 12 and all(i["parent_id"] == partners[1]["id"] for i in under)
    assert all(i["path"] == ["Apiidx P1"] for i in under)          # from the search root down to the parent
    assert _search(api, root, "apiidx c1-0", limit=100)[0]["path"][-1] == "Apiidx P1"
    partner = api.get("/tenants/" + partners[2]["id"]).json()
    api.put("/tenants/" + partner["id"], json={"version": partner["version"], "name": "Renamed Numbat"})
    assert [i["id"] for i in _search(api, root, "numbat")] == [partner["id"]]
    assert not [i for i in _search(api, root, "apiidx p", limit=100) if i["id"] == partner["id"]]
    partner = api.get("/tenants/" + partners[0]["id"]).json()
    api.put("/tenants/" + partner["id"], json={"version": partner["version"], "enabled": False})
    version = api.get("/tenants/" + partner["id"]).json()["version"]
    assert api.delete("/tenants/" + partner["id"], params={"version": version}).status_code == 204
    assert not _search(api, root, "apiidx c0-", limit=100)
    assert len(_search(api, root, "apiidx c", limit=100)) == 24
