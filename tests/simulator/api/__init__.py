"""The API blueprints, one module per area. Add a module's blueprint to BLUEPRINTS to serve it."""

from .admin import bp as admin_bp
from .agents import bp as agents_bp
from .application_manager import bp as application_manager_bp
from .applications import bp as applications_bp
from .branding import bp as branding_bp
from .clients import bp as clients_bp
from .idp import bp as idp_bp
from .impersonation import bp as impersonation_bp
from .legacy import bp as legacy_bp
from ..omissions import bp as omissions_bp
from .locations import bp as locations_bp
from .monitoring import bp as monitoring_bp
from .offering_items import bp as offering_items_bp
from .policies import bp as policies_bp
from .reports import bp as reports_bp
from .resources import bp as resources_bp
from .runs import bp as runs_bp
from .search import bp as search_bp
from .tenants import bp as tenants_bp
from .usages import bp as usages_bp
from .users import bp as users_bp

BLUEPRINTS = (admin_bp, idp_bp, impersonation_bp, clients_bp, tenants_bp, offering_items_bp, users_bp, search_bp,
              applications_bp, reports_bp, usages_bp, monitoring_bp, application_manager_bp, agents_bp, locations_bp,
              branding_bp, resources_bp, policies_bp, runs_bp, legacy_bp, omissions_bp)
