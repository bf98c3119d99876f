"""The simulated world: one object holding every record, its indexes and one lock.

Records are plain JSON-serialisable dicts. Public fields carry the names the API
uses; simulator-only bookkeeping lives under keys that start with ``_``
(``_seq``, ``_hidden``, ``_items``...). Views in ``api/*`` turn records into
API objects. Every read and write of the world happens under ``world.lock``.
"""

import copy
import json
import os
import random
import secrets
import string
import tempfile
import threading
import time
import uuid

from . import catalog
from .helpers import now_iso

STATE_FORMAT = 1
_CONTACT_NULLABLE = ("address1", "address2", "country", "state", "city", "zipcode", "phone", "title", "website",
                     "industry", "organization_size", "email_confirmed", "aan", "fax", "language")


def contact_record(fields, contact_id, stamp):
    """A contact as the service stores it: every field present, empty strings and nulls by default."""
    contact = {"id": contact_id, "created_at": stamp, "updated_at": stamp, "types": [], "email": "",
               "firstname": "", "lastname": ""}
    contact.update({key: None for key in _CONTACT_NULLABLE})
    contact.update({key: value for key, value in (fields or {}).items()
                    if key not in ("id", "created_at", "updated_at", "tenant_id", "user_id")})
    return contact


class World:
    """Every tenant, user, client and policy, with the indexes that keep look-ups fast."""

    def __init__(self, seed=None, catalog_name=None):
        self.lock = threading.RLock()
        self.seed = seed
        self.catalog = catalog.get(catalog_name)     # what this world offers (--catalog)
        self.search_lag = 0.0
        self._init_empty()
        self._populate()

    # ----------------------------------------------------------------- setup

    def _init_empty(self):
        self.rng = random.Random(self.seed if self.seed is not None else secrets.randbits(64))
        self.seq = 0
        self.signing_key = self.secret(48)
        self.tenants = {}
        self.users = {}
        self.clients = {}
        self.policies = {}          # user id -> [policy]
        self.registration_tokens = {}   # tenant id -> [token]
        self.ext = {}               # free room for blueprints (reports, usages, ...)
        self.activation_emails = []
        self.revoked_tokens = {}    # token or grant id -> Unix time after which forgetting it is harmless
        self.children = {}          # parent id -> [child id] in creation order (visible, not deleted)
        self.names = {}             # (parent id, lower-case name) -> tenant id
        self.hidden = {}            # parent id -> [hidden (personal) tenant id]
        self.logins = {}            # lower-case login -> user id
        self.users_by_tenant = {}   # tenant id -> [user id] (not deleted)
        self.search_docs = {}       # id -> doc, for the writes whose lag has passed
        self.search_pending = []    # [(visible_from, id, doc or None)]
        self.search_order = {}      # id -> position of its doc in search_docs (the order results come in)
        self.search_counter = 0
        self.search_text = {}       # id -> the lower-case strings a search looks in (current, not lagged)
        self.search_grams = {}      # 3-character substring of those strings -> {id}
        self.root_id = None
        self.partner_id = None
        self.admin = None
        self.api_client = None

    def _populate(self):
        """The initial world: the real root, a root partner with its administrator and API client."""
        root = self.add_tenant({"name": "Root", "kind": "root", "parent_id": None}, hidden=True)
        self.root_id = root["id"]
        for key in self.catalog.items:
            root["_items"][key] = {"status": 1, "quota": {"value": None, "overage": None, "version": 0},
                                   "locked": False}
        root["_apps"] = [app["id"] for app in catalog.APPLICATIONS]
        partner = self.add_tenant({"name": "Simulated Partner", "kind": "partner", "parent_id": root["id"],
                                   "contact": {"email": "admin@partner.example", "firstname": "Sim",
                                               "lastname": "Admin"}})
        self.partner_id = partner["id"]
        partner["_items"] = copy.deepcopy(root["_items"])
        partner["_apps"] = list(root["_apps"])
        password = self.secret(16)
        admin = self.add_user({"tenant_id": partner["id"], "login": "partner-admin",
                               "contact": {"email": "admin@partner.example", "firstname": "Sim",
                                           "lastname": "Admin"}})
        admin["_password"] = password
        admin["activated"] = True
        self.policies[admin["id"]] = [self.new_policy(admin["id"], partner["id"], "partner_admin")]
        self.admin = {"login": admin["login"], "password": password, "id": admin["id"]}
        client, secret = self.add_client(partner["id"], {"client_name": "Simulator API client"}, admin["id"])
        self.api_client = {"client_id": client["client_id"], "client_secret": secret}

    def reset(self):
        """Restore the initial world (same seed, same ids)."""
        with self.lock:
            lag = self.search_lag
            self._init_empty()
            self._populate()
            self.search_lag = lag

    # ------------------------------------------------------------ generators

    def new_id(self):
        """A random UUID, deterministic under --seed."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def secret(self, length=32):
        """A random secret string, deterministic under --seed."""
        alphabet = string.ascii_letters + string.digits
        return "".join(self.rng.choice(alphabet) for _char in range(length))

    def next_seq(self):
        """Creation order, used by cursors."""
        self.seq += 1
        return self.seq

    def new_policy(self, user_id, tenant_id, role_id, issuer_id=None):
        """An access policy record."""
        stamp = now_iso()
        return {"id": self.new_id(), "version": 1, "created_at": stamp, "updated_at": stamp, "deleted_at": None,
                "trustee_id": user_id, "trustee_type": "user", "issuer_id": issuer_id or user_id,
                "tenant_id": tenant_id, "role_id": role_id}

    # --------------------------------------------------------------- tenants

    def add_tenant(self, fields, hidden=False, owner_id=None):
        """Create and index a tenant record from validated fields."""
        stamp = now_iso()
        tenant_id = self.new_id()
        parent_id = fields.get("parent_id") or tenant_id
        kind = fields["kind"]
        contact = contact_record(fields.get("contact"), self.new_id(), stamp)
        record = {
            "id": tenant_id, "version": 1, "name": fields["name"], "kind": kind, "parent_id": parent_id,
            "enabled": fields.get("enabled", True), "customer_type": fields.get("customer_type", "default"),
            "customer_id": fields.get("customer_id"), "internal_tag": fields.get("internal_tag"),
            "language": fields.get("language") or "en", "owner_id": owner_id, "contact": contact,
            "brand_id": 1, "brand_uuid": catalog.BRAND_UUID, "brand_enabled": True,
            "default_idp_id": fields.get("default_idp_id") or catalog.DEFAULT_IDP_ID,
            "ancestral_access": fields.get("ancestral_access", True),
            "update_lock": {"enabled": False, "owner_id": None},
            "mfa_status": "disabled", "pricing_mode": "trial" if kind == "customer" else "production",
            "created_at": stamp, "updated_at": stamp, "deleted_at": None,
            "_seq": self.next_seq(), "_hidden": hidden, "_numeric_id": self.seq,
            "_enhanced_security": bool(fields.get("enhanced_security", False)),
            # Every tenant has the platform application (the one seed 000's "disable all applications" keeps).
            "_items": {}, "_apps": [catalog.PLATFORM],
        }
        record["_pricing_version"] = int(time.time() * 1000)
        record["_production_start"] = None
        self.tenants[tenant_id] = record
        if not hidden and parent_id != tenant_id:
            self.children.setdefault(parent_id, []).append(tenant_id)
            self.names[(parent_id, record["name"].lower())] = tenant_id
        elif hidden and parent_id != tenant_id:
            self.hidden.setdefault(parent_id, []).append(tenant_id)
        self.index_search(record)
        return record

    def tenant(self, tenant_id, allow_deleted=False):
        """The tenant record or None."""
        record = self.tenants.get(tenant_id)
        if record is None or (record["deleted_at"] is not None and not allow_deleted):
            return None
        return record

    def visible_children(self, parent_id):
        """Ids of the visible, live children of a tenant, in creation order."""
        return self.children.get(parent_id, [])

    def child_by_name(self, parent_id, name):
        """The sibling that already carries this name (names are unique among siblings)."""
        return self.names.get((parent_id, name.lower()))

    def rename_tenant(self, record, name):
        """Change a tenant's name and its sibling index."""
        if not record["_hidden"]:
            self.names.pop((record["parent_id"], record["name"].lower()), None)
            self.names[(record["parent_id"], name.lower())] = record["id"]
        record["name"] = name

    def move_tenant(self, record, new_parent_id):
        """Re-parent a tenant and keep the indexes in order."""
        old_parent = record["parent_id"]
        if not record["_hidden"]:
            self.children[old_parent].remove(record["id"])
            self.names.pop((old_parent, record["name"].lower()), None)
            siblings = self.children.setdefault(new_parent_id, [])
            siblings.append(record["id"])
            siblings.sort(key=lambda tid: self.tenants[tid]["_seq"])
            self.names[(new_parent_id, record["name"].lower())] = record["id"]
        record["parent_id"] = new_parent_id

    def ancestors(self, tenant_id):
        """Ids from the parent up to the real root (excluded: the tenant itself)."""
        chain = []
        record = self.tenants[tenant_id]
        while record["parent_id"] != record["id"]:
            record = self.tenants[record["parent_id"]]
            chain.append(record["id"])
        return chain

    def in_subtree(self, tenant_id, root_id):
        """True when tenant_id is root_id or one of its descendants (walks the parent chain)."""
        if tenant_id == root_id:
            return True
        return root_id in self.ancestors(tenant_id)

    def subtree(self, root_id, include_hidden=False):
        """Ids of a subtree (root first, then depth-first), live tenants only."""
        result = []
        stack = [root_id]
        while stack:
            current = stack.pop()
            result.append(current)
            kids = list(self.children.get(current, []))
            if include_hidden:
                kids += [t["id"] for t in self._hidden_children(current)]
            stack.extend(reversed(kids))
        return result

    def _hidden_children(self, parent_id):
        return [self.tenants[t] for t in self.hidden.get(parent_id, []) if self.tenants[t]["deleted_at"] is None]

    def delete_tenant(self, record):
        """Soft-delete a tenant, its descendants, their users and clients."""
        stamp = now_iso()
        for tenant_id in reversed(self.subtree(record["id"], include_hidden=True)):
            victim = self.tenants[tenant_id]
            for user_id in list(self.users_by_tenant.get(tenant_id, [])):
                self.delete_user(self.users[user_id])
            for client in self.clients.values():
                if client["tenant_id"] == tenant_id and client["_deleted"] is False:
                    client["_deleted"] = True
            if not victim["_hidden"]:
                self.children[victim["parent_id"]].remove(tenant_id)
                self.names.pop((victim["parent_id"], victim["name"].lower()), None)
            victim["deleted_at"] = stamp
            victim["updated_at"] = stamp
            victim["version"] += 1
            self.index_search(victim)

    # ----------------------------------------------------------------- users

    def add_user(self, fields):
        """Create and index a user record; users of customers and units get a personal tenant."""
        stamp = now_iso()
        user_id = self.new_id()
        contact = contact_record(fields.get("contact"), self.new_id(), stamp)
        record = {
            "id": user_id, "version": 1, "tenant_id": fields["tenant_id"], "login": fields["login"],
            "contact": contact, "activated": False, "enabled": fields.get("enabled", True),
            "terms_accepted": False, "language": fields.get("language") or "en",
            "idp_id": fields.get("idp_id") or catalog.DEFAULT_IDP_ID,
            "business_types": list(fields.get("business_types") or []),
            "notifications": list(fields["notifications"]) if fields.get("notifications") is not None
            else ["quota", "reports", "backup_daily_report"],
            "mfa_status": "disabled", "personal_tenant_id": None,
            "created_at": stamp, "updated_at": stamp, "deleted_at": None,
            "_seq": self.next_seq(), "_password": None,
        }
        for optional in ("external_id", "origin_id", "origin_external_id", "disable_after"):
            if fields.get(optional) is not None:
                record[optional] = fields[optional]
        tenant = self.tenants[fields["tenant_id"]]
        if tenant["kind"] in ("customer", "unit") and not tenant["_hidden"]:
            personal = self.add_tenant({"name": record["login"], "kind": "unit", "parent_id": tenant["id"]},
                                       hidden=True, owner_id=user_id)
            personal["_items"] = copy.deepcopy(tenant["_items"])
            personal["_apps"] = list(tenant["_apps"])
            record["personal_tenant_id"] = personal["id"]
        self.users[user_id] = record
        self.logins[record["login"].lower()] = user_id
        self.users_by_tenant.setdefault(record["tenant_id"], []).append(user_id)
        self.policies.setdefault(user_id, [])
        self.index_search(record)
        return record

    def user(self, user_id, allow_deleted=False):
        """The user record or None."""
        record = self.users.get(user_id)
        if record is None or (record["deleted_at"] is not None and not allow_deleted):
            return None
        return record

    def user_by_login(self, login):
        """The live user with this login (logins are unique, case-insensitively)."""
        user_id = self.logins.get(login.lower())
        return self.users.get(user_id) if user_id else None

    def change_login(self, record, login):
        """Change a user's login and its index."""
        self.logins.pop(record["login"].lower(), None)
        self.logins[login.lower()] = record["id"]
        record["login"] = login

    def delete_user(self, record):
        """Soft-delete a user (its personal tenant goes with it)."""
        stamp = now_iso()
        self.logins.pop(record["login"].lower(), None)
        if record["id"] in self.users_by_tenant.get(record["tenant_id"], []):
            self.users_by_tenant[record["tenant_id"]].remove(record["id"])
        record["deleted_at"] = stamp
        record["updated_at"] = stamp
        record["version"] += 1
        personal = self.tenants.get(record.get("personal_tenant_id") or "")
        if personal is not None and personal["deleted_at"] is None:
            personal["deleted_at"] = stamp
        self.index_search(record)

    # --------------------------------------------------------------- clients

    def add_client(self, tenant_id, data, created_by, client_type="api_client",
                   auth_method="client_secret_basic", redirect_uris=None, origin_id=None):
        """Create an API client; returns (record, secret). The secret is shown once."""
        client_id = self.new_id()
        secret = self.secret(32)
        record = {
            "client_id": client_id, "tenant_id": tenant_id, "type": client_type,
            "token_endpoint_auth_method": auth_method, "data": data or {},
            "client_secret_expires_at": 0, "created_at": now_iso(), "created_by": created_by,
            "last_access_at": None, "last_access_from_ip": None, "status": "enabled",
            "redirect_uris": list(redirect_uris or []), "_secret": secret, "_deleted": False,
            "_seq": self.next_seq(),
        }
        if origin_id is not None:
            record["origin_id"] = origin_id
        self.clients[client_id] = record
        return record, secret

    def client(self, client_id):
        """The live client record or None."""
        record = self.clients.get(client_id)
        if record is None or record["_deleted"]:
            return None
        return record

    # ---------------------------------------------------------------- search

    def index_search(self, record):
        """Queue the search document of a tenant or user; it becomes visible after the lag.

        The text index follows the record at once: like the service's matching, a search
        compares the current names of the documents that are visible.
        """
        visible_from = time.time() + self.search_lag
        hidden = record.get("_hidden") or record["deleted_at"] is not None
        doc = None if hidden else {"id": record["id"], "type": "user" if "login" in record else "tenant"}
        self.search_pending.append((visible_from, record["id"], doc))
        self._index_text(record["id"], () if hidden else search_strings(record))

    def _index_text(self, object_id, strings):
        old = self.search_text.get(object_id, ())
        if old == strings:
            return
        for gram in _grams(old):
            ids = self.search_grams[gram]
            ids.discard(object_id)
            if not ids:
                del self.search_grams[gram]
        for gram in _grams(strings):
            self.search_grams.setdefault(gram, set()).add(object_id)
        if strings:
            self.search_text[object_id] = strings
        else:
            self.search_text.pop(object_id, None)

    def searchable(self):
        """Apply the search writes whose lag has passed; return {id: doc}."""
        moment = time.time()
        still_pending = []
        for visible_from, object_id, doc in self.search_pending:
            if visible_from <= moment:
                if doc is None:
                    self.search_docs.pop(object_id, None)
                    self.search_order.pop(object_id, None)
                else:
                    if object_id not in self.search_docs:
                        self.search_counter += 1
                        self.search_order[object_id] = self.search_counter
                    self.search_docs[object_id] = doc
            else:
                still_pending.append((visible_from, object_id, doc))
        self.search_pending = still_pending
        return self.search_docs

    def search_candidates(self, text):
        """Ids of the visible documents whose current strings may contain text, in search_docs order.

        A superset of the matches (callers compare the text): every 3-character substring of
        text is in the strings of a match. Texts shorter than that get every document.
        """
        docs = self.searchable()
        grams = _grams((text,))
        if not grams:
            return list(docs)
        postings = sorted((self.search_grams.get(gram, ()) for gram in grams), key=len)
        ids = set(postings[0])
        for posting in postings[1:]:
            if not ids:
                break
            ids &= posting
        found = [object_id for object_id in ids if object_id in docs]
        found.sort(key=self.search_order.__getitem__)
        return found

    # ----------------------------------------------------------- persistence

    def dump(self):
        """The whole world as JSON-serialisable data."""
        with self.lock:
            return {
                "format": STATE_FORMAT, "seed": self.seed, "seq": self.seq, "signing_key": self.signing_key,
                "rng_state": _to_json(self.rng.getstate()), "root_id": self.root_id, "partner_id": self.partner_id,
                "admin": self.admin, "api_client": self.api_client, "tenants": self.tenants, "users": self.users,
                "clients": self.clients, "policies": self.policies,
                "registration_tokens": self.registration_tokens, "ext": self.ext,
                "activation_emails": self.activation_emails, "search_lag": self.search_lag,
                "catalog": self.catalog.name, "revoked_tokens": self.revoked_tokens,
            }

    def load(self, data):
        """Replace the world with a dump and rebuild the indexes."""
        if data.get("format") != STATE_FORMAT:
            raise ValueError("unsupported state file format %r" % data.get("format"))
        with self.lock:
            self._init_empty()
            self.seed = data["seed"]
            # State files written before --catalog existed hold the three-storage world.
            self.catalog = catalog.get(data.get("catalog", "rich"))
            self.rng.setstate(_from_json(data["rng_state"]))
            for key in ("seq", "signing_key", "root_id", "partner_id", "admin", "api_client", "tenants", "users",
                        "clients", "policies", "registration_tokens", "ext", "activation_emails", "search_lag"):
                setattr(self, key, data[key])
            self.revoked_tokens = dict(data.get("revoked_tokens", {}))     # absent from older state files
            for record in sorted(self.tenants.values(), key=lambda t: t["_seq"]):
                if record["deleted_at"] is None and not record["_hidden"] and record["parent_id"] != record["id"]:
                    self.children.setdefault(record["parent_id"], []).append(record["id"])
                    self.names[(record["parent_id"], record["name"].lower())] = record["id"]
                elif record["_hidden"] and record["parent_id"] != record["id"]:
                    self.hidden.setdefault(record["parent_id"], []).append(record["id"])
                self.index_search(record)
            for record in sorted(self.users.values(), key=lambda u: u["_seq"]):
                if record["deleted_at"] is None:
                    self.logins[record["login"].lower()] = record["id"]
                    self.users_by_tenant.setdefault(record["tenant_id"], []).append(record["id"])
                self.index_search(record)
            self.search_pending = [(0, oid, doc) for _visible_from, oid, doc in self.search_pending]

    def save(self, path):
        """Write the world atomically to path."""
        data = self.dump()
        directory = os.path.dirname(os.path.abspath(path))
        handle, tmp = tempfile.mkstemp(dir=directory, prefix=".sim-state-")
        with os.fdopen(handle, "w") as stream:
            json.dump(data, stream)
        os.replace(tmp, path)


def search_strings(record):
    """The lower-case strings GET /search compares its text with: a tenant's name; a user's login and
    "firstname lastname email"."""
    if "login" in record:
        contact = record["contact"]
        haystack = " ".join(str(contact.get(key) or "") for key in ("firstname", "lastname", "email"))
        return (record["login"].lower(), haystack.lower())
    return (record["name"].lower(),)


def _grams(strings):
    """The 3-character substrings of strings."""
    return {text[index:index + 3] for text in strings for index in range(len(text) - 2)}


def _to_json(value):
    if isinstance(value, tuple):
        return {"t": [_to_json(v) for v in value]}
    return value


def _from_json(value):
    if isinstance(value, dict) and "t" in value:
        return tuple(_from_json(v) for v in value["t"])
    return value
