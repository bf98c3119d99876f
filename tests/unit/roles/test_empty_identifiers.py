# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 33: every identifier variable of every role refuses '', '  ' (and null, where null is not its "unset")
before any request, naming the variable.

The variables come from each role's meta/argument_specs.yml, found with a pattern of their own. One
ansible-playbook run plays every case against a local HTTP server that counts what it receives: it must receive
nothing.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os
import re
import subprocess
import sys
import threading

import yaml

from ansible.module_utils.six.moves import BaseHTTPServer

from ansible_collections.acronis.cyber_platform.plugins.module_utils import validation

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, "..", "..", ".."))
IDENTIFIER_LIKE = re.compile(r"(^|_)(id|ids|uuid|name|names|login|user|users|tenant|tenants|host|hostname|parent"
                             r"|scope|scopes|edition|code)$")
# Variables without a default in their argument spec for which null still names nothing.
NULL_REFUSED = ("api_client_bootstrap_login",)
# What a role needs, besides the case's variable, to reach its checks.
BASE_VARS = {
    "api_client_bootstrap": {"api_client_bootstrap_base_url": "URL", "api_client_bootstrap_login": "admin-login",
                             "api_client_bootstrap_password": "pw", "api_client_bootstrap_dest": "/nonexistent/x.json"},
}


def role_cases():
    """(role, variable, value, label) for every identifier-like variable of every role's main entry point."""
    cases = []
    for spec_path in sorted(glob.glob(os.path.join(COLLECTION, "roles", "*", "meta", "argument_specs.yml"))):
        role = spec_path.split(os.sep)[-3]
        with open(spec_path) as stream:
            options = yaml.safe_load(stream)["argument_specs"]["main"]["options"]
        for var, option in options.items():
            short = var[len(role) + 1:] if var.startswith(role + "_") else var
            if not IDENTIFIER_LIKE.search(short) or option.get("choices") or short in validation.NOT_IDENTIFIERS:
                continue
            values = [("empty", ""), ("blank", "  ")]
            # null is not the "unset" of a variable whose default is a value (or an environment variable)
            if option.get("default") is not None or var in NULL_REFUSED:
                values.append(("null", None))
            for label, value in values:
                cases.append((role, var, value, label))
    return cases


class Counter(BaseHTTPServer.BaseHTTPRequestHandler):
    requests = []

    def _any(self):
        Counter.requests.append((self.command, self.path))
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = _any

    def log_message(self, *args):
        pass


def test_every_role_identifier_variable_refuses_empty_blank_and_null_with_no_request(tmp_path):
    cases = role_cases()
    found = set((role, var) for role, var, _value, _label in cases)
    # The variables of the issue are among those the walk finds.
    for expected in [("tenant_offboarding", "tenant_offboarding_name"), ("tenant_offboarding", "tenant_offboarding_parent_id"),
                     ("partner_editions", "partner_editions_tenant_id"), ("tenant_onboarding", "tenant_onboarding_name"),
                     ("tenant_onboarding", "tenant_onboarding_parent_id"), ("tenant_onboarding", "tenant_onboarding_parent"),
                     ("api_client_bootstrap", "api_client_bootstrap_tenant_id")]:
        assert expected in found

    server = BaseHTTPServer.HTTPServer(("127.0.0.1", 0), Counter)
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    url = "http://127.0.0.1:%d" % server.server_address[1]
    results = tmp_path / "results.json"
    tasks = []
    for index, (role, var, value, label) in enumerate(cases):
        role_vars = dict(BASE_VARS.get(role, {}), **{var: value})
        role_vars = dict((k, url if v == "URL" else v) for k, v in role_vars.items())
        tasks.append({
            "name": "case %d" % index,
            "block": [{"ansible.builtin.include_role": {"name": "acronis.cyber_platform." + role}, "vars": role_vars},
                      {"ansible.builtin.set_fact": {"outcomes": "{{ outcomes + [{'case': %d, 'failed': false}] }}"
                                                    % index}}],
            "rescue": [{"ansible.builtin.set_fact": {
                "outcomes": "{{ outcomes + [{'case': %d, 'failed': true, 'msg': ansible_failed_result.msg}] }}"
                            % index}}],
        })
    tasks.append({"ansible.builtin.copy": {"content": "{{ outcomes | to_json }}", "dest": str(results)}})
    playbook = [{"hosts": "localhost", "gather_facts": False, "connection": "local",
                 "vars": {"outcomes": [], "ansible_python_interpreter": sys.executable},
                 "module_defaults": {"group/acronis.cyber_platform.acronis": {
                     "base_url": url, "client_id": "cid", "client_secret": "secret", "token_cache": False,
                     "backoff_retries": 0}},
                 "tasks": tasks}]
    path = tmp_path / "play.yml"
    path.write_text(yaml.safe_dump(playbook))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    run = subprocess.run([sys.executable, "-m", "ansible.cli.playbook", "-i", "localhost,", str(path)],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                         timeout=600, check=False)
    server.shutdown()
    assert run.returncode == 0, run.stdout[-3000:]
    outcomes = json.loads(results.read_text())
    assert len(outcomes) == len(cases)
    for outcome in outcomes:
        role, var, value, label = cases[outcome["case"]]
        assert outcome["failed"], "%s %s=%r (%s) was not refused" % (role, var, value, label)
        assert var in outcome["msg"], "%s %s=%r: %s" % (role, var, value, outcome["msg"])
        # Before 2.19, ansible-core's own role argument validation refuses a null string first, naming the variable.
        assert re.search(r"empty|blank|null", outcome["msg"]) or (value is None and "NoneType" in outcome["msg"]), \
            outcome["msg"]
        assert "template error" not in outcome["msg"] and "{{" not in outcome["msg"], outcome["msg"]
    assert Counter.requests == []
