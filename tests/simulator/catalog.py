"""The catalogs a world can offer (``--catalog``): applications, editions, storage infrastructures, offering items.

``sandbox`` (the default) is the developer sandbox as Acronis's documents show it; ``rich`` has
one more storage infrastructure. A world's catalog is ``World.catalog``; the module-level
``CATALOG`` and ``INFRAS`` hold what any catalog knows, for look-ups by key or id only.
"""

CYBER_PROTECTION = "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"
FILES_CLOUD = "f9c1cd44-3b5c-4e7a-9a6f-5d3c2a1b0e87"
PLATFORM = "2b9a6d0e-8f1c-4c53-9d3e-7a4b5c6d7e8f"

DEFAULT_IDP_ID = "11111111-1111-1111-1111-111111111111"
BRAND_UUID = "7bbee631-da82-47e1-8774-2843f4e81236"

APPLICATIONS = [
    {"id": CYBER_PROTECTION, "name": "Cyber Protection", "type": "backup",
     "usages": ["workstations", "servers", "vms", "mobiles", "storage"], "api_base_url": "/api/2"},
    {"id": FILES_CLOUD, "name": "Cyber Files Cloud", "type": "files_cloud",
     "usages": ["fc_seats", "fc_storage"], "api_base_url": "/fc/api/v1"},
    {"id": PLATFORM, "name": "Platform", "type": "platform", "usages": [], "api_base_url": "/api/2"},
]

HOSTED_STORAGE = "019097a6-114f-4418-bd54-e01ef049f209"
GOOGLE_DR_STORAGE = "ba2976d0-c13e-4661-ae60-b4593583fce2"
AZURE_STORAGE = "05348371-d95e-4cab-af2a-8e2cadafc30d"

# Storage infrastructures (ids as they appear in Acronis's own examples and specification).
INFRAS = {
    HOSTED_STORAGE: "Acronis Hosted Storage",
    GOOGLE_DR_STORAGE: "Google Cloud Storage",
    AZURE_STORAGE: "Microsoft Azure Storage",
}
DR_INFRAS = (HOSTED_STORAGE, GOOGLE_DR_STORAGE)

# Cyber Protection editions and the prefix of their offering item names.
EDITIONS = {
    "standard": "",
    "per_workload": "pw_",
    "per_gigabyte": "pg_",
    "pck_per_workload": "pckpw_",
    "pck_per_gigabyte": "pckpg_",
}

# (usage_name, type, measurement_unit, "storage" | "dr" | None: on which infrastructures)
_CP_USAGES = [
    ("workstations", "count", "quantity", None),
    ("servers", "count", "quantity", None),
    ("vms", "count", "quantity", None),
    ("mobiles", "count", "quantity", None),
    ("m365_seats", "count", "quantity", None),
    ("gsuite_seats", "count", "quantity", None),
    ("web_hosting_servers", "count", "quantity", None),
    ("local_storage", "count", "bytes", None),
    ("storage", "infra", "bytes", "storage"),
    ("dr_cloud_servers", "feature", "n/a", "dr"),
    ("dr_compute_points", "count", "seconds", "dr"),
    ("adv_security", "feature", "n/a", None),
    ("adv_management", "feature", "n/a", None),
    ("adv_email_security", "feature", "n/a", None),
]
# Usages that are billed only in the per-gigabyte editions (and the reverse).
_GIGABYTE_ONLY = ("local_storage",)
_WORKLOAD_ONLY = ("web_hosting_servers",)


def item_key(application_id, name, infra_id=None):
    """Identity of an offering item: application, name and, for infra-bound items, infra."""
    return "%s|%s|%s" % (application_id, name, infra_id or "")


class Catalog:
    """One world's offering: its storage infrastructures and every offering item the real root has.

    ``items`` maps item keys to items in a stable order (the order lists answer in); ``names``
    holds the (application_id, name) pairs, for "does this item exist" checks.
    """

    def __init__(self, name, description, storage_infras, dr_infras, editions=None):
        self.name = name
        self.description = description
        self.infras = {infra_id: INFRAS[infra_id] for infra_id in storage_infras}
        self.storage_infras = tuple(storage_infras)
        self.dr_infras = tuple(dr_infras)
        self.editions = dict(editions or EDITIONS)
        self.offering_items = self._cp_items() + _fc_items()
        self.items = {item_key(i["application_id"], i["name"], i["infra_id"]): i for i in self.offering_items}
        self.names = {(i["application_id"], i["name"]) for i in self.offering_items}

    def _cp_items(self):
        items = []
        for edition, prefix in self.editions.items():
            for usage_name, item_type, unit, where in _CP_USAGES:
                if "gigabyte" not in edition and usage_name in _GIGABYTE_ONLY and edition != "standard":
                    continue
                if "gigabyte" in edition and usage_name in _WORKLOAD_ONLY:
                    continue
                infras = {"storage": self.storage_infras, "dr": self.dr_infras}.get(where, (None,))
                for infra_id in infras:
                    items.append({"application_id": CYBER_PROTECTION, "name": prefix + usage_name,
                                  "edition": edition, "usage_name": usage_name, "type": item_type,
                                  "measurement_unit": unit, "infra_id": infra_id})
        return items

    def describe(self):
        """What the catalog offers, for --help and the README."""
        return "%s: %s" % (self.name, self.description)


def _fc_items():
    return [
        {"application_id": FILES_CLOUD, "name": "fc_seats", "edition": None, "usage_name": "fc_seats",
         "type": "count", "measurement_unit": "quantity", "infra_id": None},
        {"application_id": FILES_CLOUD, "name": "fc_storage", "edition": None, "usage_name": "fc_storage",
         "type": "infra", "measurement_unit": "bytes", "infra_id": HOSTED_STORAGE},
    ]


# The worlds --catalog NAME chooses from.
CATALOGS = {
    # What Acronis's documents show of the developer sandbox (dev-cloud): backup storage and
    # disaster recovery on the Acronis-hosted storage and on the Google DR storage, which seed 000's
    # customer script drops so that one storage of each type is left.
    "sandbox": Catalog("sandbox", "storage and disaster recovery on Acronis Hosted Storage (019097a6-...) and the "
                                  "Google DR storage (ba2976d0-...), as on the developer sandbox (default)",
                       storage_infras=(HOSTED_STORAGE, GOOGLE_DR_STORAGE), dr_infras=(HOSTED_STORAGE, GOOGLE_DR_STORAGE)),
    # A data center with more storage locations: backup storage on three infrastructures.
    "rich": Catalog("rich", "storage on Acronis Hosted, Google and Microsoft Azure storage (three storage "
                            "infrastructures), disaster recovery on the first two",
                    storage_infras=(HOSTED_STORAGE, GOOGLE_DR_STORAGE, AZURE_STORAGE),
                    dr_infras=(HOSTED_STORAGE, GOOGLE_DR_STORAGE)),
}
DEFAULT_CATALOG = "sandbox"


def get(name=None):
    """The catalog called name (the default one for None); ValueError for an unknown name."""
    name = name or DEFAULT_CATALOG
    if name not in CATALOGS:
        raise ValueError("unknown catalog %r (known: %s)" % (name, ", ".join(sorted(CATALOGS))))
    return CATALOGS[name]


# Every offering item any catalog knows, by key: metadata look-ups of a key a tenant holds. What a
# world offers (which keys exist there) is its own catalog, ``World.catalog``.
CATALOG = {}
for _catalog in CATALOGS.values():
    for _key, _item in _catalog.items.items():
        CATALOG.setdefault(_key, _item)
del _catalog, _key, _item

USER_ROLES = (
    "root_admin", "partner_admin", "company_admin", "unit_admin", "readonly_admin", "protection_admin",
    "protection_ro_admin", "restore_operator", "backup_user", "sync_share_admin", "sync_share_user",
    "sync_share_guest", "pds_operator", "pds_support", "notary_admin", "notary_user", "hci_admin",
    "omnivoice_admin", "omnivoice_user", "greathorn_admin", "greathorn_user", "greathorn_analyst",
    "greathorn_client_manager",
)
ADMIN_ROLES = ("root_admin", "partner_admin", "company_admin", "unit_admin")
READ_ROLES = ADMIN_ROLES + ("readonly_admin",)
