"""Acronis's own example scripts (github.com/acronis/acronis-cyber-platform-python-examples) for agents,
resources, plans and monitoring, run unmodified against a simulator prepared only through the public API and
/_sim.

The scripts are not part of this repository and CI has no network: point ``ACRONIS_PYTHON_EXAMPLES`` at a
checkout (the directory holding ``common/base_operations.py``); without it the test is skipped. The checkout
is copied to a temporary folder (the scripts write their JSON files next to themselves), configured as the
examples' README says (``cyber.platform.cfg.json`` with the base URL, ``api_client.json``, ``customer.json``,
``user.json``), and each script runs with this Python. A script passes when it exits 0 without a traceback
and every request it sent was answered below 400 (the scripts print an error and carry on otherwise).

    ACRONIS_PYTHON_EXAMPLES=/path/to/checkout python -m pytest -q tests/simulator/tests/test_example_scripts.py
"""

import json
import os
import shutil
import subprocess
import sys

import pytest
import requests

from .helpers import create_tenant, create_user, enable_items

EXAMPLES = os.environ.get("ACRONIS_PYTHON_EXAMPLES", "")
GOOGLE_DR_STORAGE = "ba2976d0-c13e-4661-ae60-b4593583fce2"

pytestmark = pytest.mark.skipif(
    not os.path.isfile(os.path.join(EXAMPLES, "common", "base_operations.py")),
    reason="Acronis's example scripts are not here: set ACRONIS_PYTHON_EXAMPLES to a checkout of "
           "github.com/acronis/acronis-cyber-platform-python-examples (CI has no network to fetch it)")

# In the order a user runs them; each needs what the ones before it left (files, a plan, machines).
SCRIPTS = (
    "authorization/issue_access_token.py",
    "authorization/issue_access_customer_scoped_token_for_bc.py",
    "agent/get_agent_installation_token.py",
    "agent/get_all_agents_info.py",
    "agent/get_all_agents_info_for_customer.py",
    "resources/get_all_resources_info.py",
    "resources/create_dynamic_group.py",
    "plans/create_a_backup_plan.py",
    "plans/get_all_plans_info.py",
    "plans/apply_plan.py",
    "plans/start_plan_execution.py",
    "resources/get_all_resources_protection_statuses.py",
    "monitoring/get_tasks.py",
    "monitoring/tasks_pagination.py",
    "monitoring/get_activities.py",
    "monitoring/activities_pagination.py",
    "monitoring/get_alerts.py",
    "monitoring/alerts_pagination.py",
    "plans/revoke_plan.py",
)


# Scripts that cannot pass whatever the server does (bugs of the scripts, checked against their code):
KNOWN_BROKEN = {
    # Reads user.json with the Tenant class, which wants a "name" a user object has not, and has no
    # personal_tenant_id attribute: it stops with KeyError before sending anything. Its request is sent by
    # _install_agents instead (the same body, on the user's personal tenant).
    "agent/get_agent_installation_token.py": "KeyError: 'name'",
    # Sends the group body with GET as a query string (requests' params=<JSON text>): the strict list of
    # resources refuses that unknown parameter with 400, and no group is created; the script still exits 0.
    "resources/create_dynamic_group.py": "GET /api/resource_management/v4/resources -> 400",
}


def _run(simulator, folder, script):
    """(passed, what went wrong) of one script."""
    requests.delete(simulator.base_url + "/_sim/requests", timeout=10)
    done = subprocess.run([sys.executable, os.path.join(folder, script)], cwd=folder, capture_output=True,
                          text=True, timeout=120, check=False)
    refused = [r for r in simulator.requests() if r["status"] >= 400]
    problems = []
    if done.returncode != 0 or "Traceback" in done.stderr:
        problems.append("exit %d: %s" % (done.returncode, done.stderr.strip().splitlines()[-1:]))
    if refused:
        problems.append("; ".join("%s %s -> %s" % (r["method"], r["path"], r["status"]) for r in refused))
    return not problems, " ".join(problems)


def _prepare(simulator, api, folder):
    """The world the scripts expect: a customer with a user, the API client, three agents (two named test*)."""
    partner_id = simulator.credentials["tenant_id"]
    customer = create_tenant(api, partner_id, "Examples customer", kind="customer")
    enable_items(api, partner_id, customer["id"], kind="customer", edition="standard",
                 keep=lambda item: item.get("infra_id") != GOOGLE_DR_STORAGE)
    user = create_user(api, customer["id"], "examples-user")
    files = {
        "cyber.platform.cfg.json": {"base_url": simulator.base_url + "/", "partner_tenant": "partner",
                                    "customer_tenant": "customer", "edition": "standard",
                                    "switch_edition": "per_workload",
                                    "cyber_protection_application_id": "6e6d758d-8e74-3ae3-ac84-50eb0dff12eb"},
        "api_client.json": {"client_id": simulator.credentials["client_id"],
                            "client_secret": simulator.credentials["client_secret"], "tenant_id": partner_id},
        "customer.json": customer, "user.json": user,
    }
    for name, content in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            json.dump(content, handle)
    for stale in ("api_token.json", "api_customer_scoped_token.json"):
        if os.path.exists(os.path.join(folder, stale)):
            os.remove(os.path.join(folder, stale))
    return customer, user


def _install_agents(simulator, api, folder, user):
    """Install three agents with the token the installation-token script saved (or the same request's)."""
    saved = os.path.join(folder, "agent_installation_token.json")
    if os.path.exists(saved):
        with open(saved, encoding="utf-8") as handle:
            token = json.load(handle)["token"]
    else:
        token = api.post("/tenants/%s/registration_tokens" % user["personal_tenant_id"], json={
            "expires_in": 3600, "scopes": ["urn:acronis.com:tenant-id::backup_agent_admin"]}).json()["token"]
    machines = []
    for hostname in ("test-01", "test-02", "office-01"):
        response = requests.post(simulator.base_url + "/_sim/agents/install",
                                 json={"token": token, "hostname": hostname}, timeout=10)
        assert response.status_code == 201, response.text
        machines.append(response.json())
    return machines


def test_the_examples_run_to_the_end(simulator, api, tmp_path):
    folder = str(tmp_path / "examples")
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns(".git"))
    _customer, user = _prepare(simulator, api, folder)
    results = {}
    for script in SCRIPTS:
        if script == "agent/get_all_agents_info.py":
            _install_agents(simulator, api, folder, user)
        if script == "monitoring/get_tasks.py":
            # One failed backup, so that the alert scripts find an alert: the next backup of the first machine
            first = requests.get(simulator.base_url + "/_sim/resources", timeout=10).json()["items"][0]
            requests.put(simulator.base_url + "/_sim/protection", json={"outcomes": {first["id"]: "error"}},
                         timeout=10)
            subprocess.run([sys.executable, os.path.join(folder, "plans/start_plan_execution.py")], cwd=folder,
                           capture_output=True, timeout=120, check=False)
        results[script] = _run(simulator, folder, script)
    report = "\n".join("%-55s %s %s" % (s, "passed" if ok else "FAILED", why) for s, (ok, why) in results.items())
    print("\n" + report)
    print("%d scripts run, %d passed" % (len(results), sum(ok for ok, _why in results.values())))
    for script, (ok, why) in results.items():
        if script in KNOWN_BROKEN:
            assert not ok and KNOWN_BROKEN[script] in why, report
        else:
            assert ok, report
