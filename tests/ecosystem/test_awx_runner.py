# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The onboarding job as AWX and Automation Controller run it, through ansible-runner.

An AWX job is an ``ansible-runner run`` of a private data directory: the project
under ``project/``, the inventory under ``inventory/``, the job template's extra
variables in ``env/extravars``, the credentials' injected environment variables
in ``env/envvars``, and ``--check``/``--diff`` in ``env/cmdline``. This test
builds that directory the way AWX does, with the environment rendered from the
credential type shipped in extensions/awx/ (the file docs/awx.md points to),
runs the onboarding playbook against a simulator started for the run, and
reads the job events ansible-runner writes (artifacts/<ident>/job_events/*.json
and stdout), which is what AWX shows and stores.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import jinja2.sandbox
import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
INPUTS = os.path.join(REPO, "extensions", "awx", "credential_type_inputs.yml")
INJECTORS = os.path.join(REPO, "extensions", "awx", "credential_type_injectors.yml")
PLAYBOOK = "playbooks/onboard_customers.yml"
# Each host of the example inventory is a customer (playbooks/inventory/customers.yml).
INVENTORY = os.path.join(REPO, "playbooks", "inventory", "customers.yml")
SERVICE_ACCOUNT_PASSWORD = "Awx-test-Passw0rd!"


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    """One simulator for the run, started like tests/utils/simulator.sh does."""
    work = tmp_path_factory.mktemp("simulator")
    creds = work / "credentials.json"
    log = open(work / "simulator.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "tests.simulator", "--quiet", "--port", "0",
                                "--credentials-out", str(creds)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while not (creds.exists() and creds.stat().st_size):
            if process.poll() is not None or time.time() > deadline:
                raise AssertionError("the simulator did not start: %s" % (work / "simulator.log").read_text())
            time.sleep(0.1)
        data = json.loads(creds.read_text())
        data["sim_url"] = data["base_url"].rstrip("/")
        if data["sim_url"].endswith("/api/2"):
            data["sim_url"] = data["sim_url"][:-len("/api/2")]
        yield data
        violations = json.load(urllib.request.urlopen(data["sim_url"] + "/_sim/violations"))
        assert not violations.get("items", violations), "the simulator broke its specification: %s" % violations
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def sim_requests(sim, clear=False):
    url = sim["sim_url"] + "/_sim/requests"
    items = json.load(urllib.request.urlopen(url))["items"]
    if clear:
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE"))
    return items


def credential_environment(inputs):
    """The environment AWX gives a job for a credential of our type: its injectors, rendered."""
    definition = load_yaml(INPUTS)
    injectors = load_yaml(INJECTORS)
    fields = dict((f["id"], f) for f in definition["fields"])
    assert set(definition["required"]) == set(fields) == set(inputs)
    assert fields["client_secret"].get("secret") is True
    assert set(injectors) == {"env"}, "the credential type injects environment variables only"
    # AWX renders injector templates in a sandboxed Jinja2 environment with the inputs as variables.
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return dict((name, env.from_string(template).render(**inputs)) for name, template in injectors["env"].items())


@pytest.fixture(scope="module")
def private_data_dir(tmp_path_factory, simulator):
    """A private data directory as AWX writes it for the onboarding job template."""
    pdd = tmp_path_factory.mktemp("awx-job")
    # The project checkout, and the collection where AWX installs the project's
    # collections/requirements.yml (here: this work tree).
    os.symlink(REPO, str(pdd / "project"))
    collections = pdd / "requirements_collections" / "ansible_collections" / "acronis"
    collections.mkdir(parents=True)
    os.symlink(REPO, str(collections / "cyber_platform"))
    (pdd / "inventory").mkdir()
    shutil.copy(INVENTORY, str(pdd / "inventory" / "hosts.yml"))
    (pdd / "env").mkdir()
    envvars = credential_environment({"base_url": simulator["base_url"], "client_id": simulator["client_id"],
                                      "client_secret": simulator["client_secret"]})
    envvars.update({
        "ANSIBLE_COLLECTIONS_PATH": str(pdd / "requirements_collections"),
        "ACRONIS_TOKEN_CACHE_DIR": str(pdd / "tokens"),
        "ANSIBLE_FORCE_COLOR": "0",
    })
    (pdd / "env" / "envvars").write_text(yaml.safe_dump(envvars))
    # The job template's extra variables: the service account password as a survey answer would give it.
    extravars = {"stark_backup_svc_password": SERVICE_ACCOUNT_PASSWORD}
    (pdd / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    return pdd


def run_job(pdd, ident, cmdline):
    """`ansible-runner run`, as an AWX execution node runs a job; returns (rc, events, stdout)."""
    cmdline_file = pdd / "env" / "cmdline"
    if cmdline:
        cmdline_file.write_text(cmdline)
    elif cmdline_file.exists():
        cmdline_file.unlink()
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ACRONIS_", "ANSIBLE_")))
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    result = subprocess.run([os.path.join(BIN, "ansible-runner"), "run", str(pdd), "-p", PLAYBOOK, "--ident", ident],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600, check=False)
    artifacts = pdd / "artifacts" / ident
    events = []
    for path in sorted(glob.glob(str(artifacts / "job_events" / "*.json"))):
        with open(path, encoding="utf-8") as handle:
            events.append((path, handle.read()))
    stdout = (artifacts / "stdout").read_text() if (artifacts / "stdout").exists() else ""
    rc = int((artifacts / "rc").read_text()) if (artifacts / "rc").exists() else result.returncode
    if rc != 0:
        print(result.stdout.decode("utf-8", "replace")[-6000:])
    return rc, events, stdout


def secrets_of(simulator, pdd):
    """Everything that must never show in a job event."""
    values = {
        "API client secret": simulator["client_secret"],
        "administrator password": simulator["password"],
        "service account password": SERVICE_ACCOUNT_PASSWORD,
    }
    for path in glob.glob(str(pdd / "tokens" / "*")):
        if not os.path.isfile(path):  # activation-emails/: the e-mails owed, which hold no token
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                entry = json.load(handle)
        except ValueError:
            continue
        token = (entry.get("token") or {}).get("access_token")
        if token:
            values["access token"] = token
    return values


def assert_no_secret(events, stdout, secrets):
    leaks = []
    for what, value in secrets.items():
        for path, text in events:
            if value in text:
                leaks.append("%s in %s" % (what, os.path.basename(path)))
        if value in stdout:
            leaks.append("%s in stdout" % what)
    assert not leaks, "secrets in the job output: %s" % ", ".join(leaks)


def customers():
    """The inventory's customers: the hosts of its customers group."""
    return sorted(load_yaml(INVENTORY)["customers"]["hosts"])


def hosts_with_events(events):
    """The hosts that have runner_on_ok/failed events of their own."""
    hosts = set()
    for dummy, text in events:
        event = json.loads(text)
        if event.get("event") in ("runner_on_ok", "runner_on_failed", "runner_item_on_ok", "runner_item_on_failed"):
            hosts.add((event.get("event_data") or {}).get("host"))
    return hosts


def stats(events):
    for dummy, text in events:
        event = json.loads(text)
        if event.get("event") == "playbook_on_stats":
            return event["event_data"]
    raise AssertionError("no playbook_on_stats event")


def test_credential_type_files_are_the_ones_docs_awx_md_shows():
    with open(os.path.join(REPO, "docs", "awx.md"), encoding="utf-8") as handle:
        page = handle.read()
    assert "extensions/awx/credential_type_inputs.yml" in page
    assert "extensions/awx/credential_type_injectors.yml" in page
    # The page shows them too, and must show what the files hold.
    blocks = [yaml.safe_load(b.split("\n", 1)[1]) for b in page.split("```")[1::2] if b.startswith("yaml\n")]
    assert load_yaml(INPUTS) in blocks and load_yaml(INJECTORS) in blocks
    env = credential_environment({"base_url": "https://dc.example", "client_id": "id", "client_secret": "secret"})
    assert env == {"ACRONIS_BASE_URL": "https://dc.example", "ACRONIS_CLIENT_ID": "id", "ACRONIS_CLIENT_SECRET": "secret"}


def test_check_mode_job_previews_without_writes_and_leaks_nothing(simulator, private_data_dir):
    sim_requests(simulator, clear=True)
    rc, events, stdout = run_job(private_data_dir, "check", "--check --diff")
    assert rc == 0, stdout[-4000:]
    writes = [r for r in sim_requests(simulator) if r["write"]]
    assert writes == [], "the check-mode job sent writes: %s" % writes
    assert events, "ansible-runner wrote no job events"
    assert_no_secret(events, stdout, secrets_of(simulator, private_data_dir))
    missing = sorted(set(customers()) - hosts_with_events(events))
    assert not missing, "customers without events of their own host: %s" % missing
    summary = stats(events)
    assert summary["failures"] == {} and summary["changed"], summary


def test_job_onboards_every_customer_with_its_own_events_and_leaks_nothing(simulator, private_data_dir):
    rc, events, stdout = run_job(private_data_dir, "apply", None)
    assert rc == 0, stdout[-4000:]
    assert_no_secret(events, stdout, secrets_of(simulator, private_data_dir))
    missing = sorted(set(customers()) - hosts_with_events(events))
    assert not missing, "customers without events of their own host: %s" % missing
    summary = stats(events)
    assert sorted(summary["ok"]) == customers(), "the recap is not one line per customer: %s" % summary["ok"]
    assert summary["failures"] == {} and summary["changed"], summary
    # What the job made, read back from the API: every customer exists.
    created = [r for r in sim_requests(simulator) if r["method"] == "POST" and r["path"] == "/api/2/tenants"]
    assert len(created) == len(customers())
