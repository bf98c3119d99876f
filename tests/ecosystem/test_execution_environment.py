# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: what ansible-builder makes of our definitions.

No container is built (CI has no container engine, and the base image would be
a download). Instead:

- ``ansible-builder create`` renders the build context of
  extensions/ee/execution-environment.yml, and the Containerfile and _build/
  are checked for the base image, Python, ansible-core, ansible-runner and the
  Galaxy requirements;
- the collection is built and installed from its artifact, as the image's
  Galaxy stage installs it, and the introspect script that ``create`` rendered
  (the one the builder stage runs) is run on it: it must find requests and the
  CA certificates through meta/execution-environment.yml, which is what the
  image's final stage installs.
"""

import glob
import os
import subprocess
import sys

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
DEFINITION = os.path.join(REPO, "extensions", "ee", "execution-environment.yml")


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def requirement_lines(path):
    return [line.strip() for line in read(path).splitlines() if line.strip() and not line.strip().startswith("#")]


def pinned_version(name):
    """The version tests/requirements.txt pins for a package."""
    for line in requirement_lines(os.path.join(REPO, "tests", "requirements.txt")):
        if line.lower().startswith(name.lower() + "=="):
            return line.split("==", 1)[1]
    raise AssertionError("tests/requirements.txt pins no %s" % name)


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    path = tmp_path_factory.mktemp("ee") / "context"
    result = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", DEFINITION, "-c", str(path),
                             "--output-filename", "Containerfile"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, check=False)
    assert result.returncode == 0, result.stdout.decode()
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The collection as the image's Galaxy stage installs it: built, then installed from the artifact."""
    work = tmp_path_factory.mktemp("artifact")
    galaxy = os.path.join(BIN, "ansible-galaxy")
    subprocess.run([galaxy, "collection", "build", "--output-path", str(work), REPO], check=True,
                   stdout=subprocess.PIPE, timeout=300)
    tarball = glob.glob(str(work / "acronis-cyber_platform-*.tar.gz"))
    assert len(tarball) == 1, tarball
    subprocess.run([galaxy, "collection", "install", "--offline", "-p", str(work / "collections"), tarball[0]],
                   check=True, stdout=subprocess.PIPE, timeout=300)
    return work / "collections"


def test_collection_declares_its_dependency_files():
    meta = load_yaml(os.path.join(REPO, "meta", "execution-environment.yml"))
    assert meta["version"] == 3
    assert meta["dependencies"] == {"python": "requirements.txt", "system": "bindep.txt"}
    assert "requests>=2.25.0" in requirement_lines(os.path.join(REPO, "requirements.txt"))
    assert requirement_lines(os.path.join(REPO, "bindep.txt")) == ["ca-certificates [platform:rpm platform:dpkg]"]


def test_containerfile_installs_python_ansible_and_the_collection(context):
    containerfile = read(str(context / "Containerfile"))
    definition = load_yaml(DEFINITION)
    assert 'ARG EE_BASE_IMAGE="%s"' % definition["images"]["base_image"]["name"] in containerfile
    assert 'ARG PYCMD="/usr/bin/python3.11"' in containerfile
    # The image runs the collection with the ansible-core and ansible-runner CI tests it with.
    refs = 'ARG ANSIBLE_INSTALL_REFS="ansible-core==%s ansible-runner==%s"' % (
        pinned_version("ansible-core"), pinned_version("ansible-runner"))
    assert refs in containerfile
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile
    assert "introspect.py introspect --write-bindep=/tmp/src/bindep.txt --write-pip=/tmp/src/requirements.txt" in containerfile
    assert "/output/scripts/install-from-bindep" in containerfile
    assert "LABEL ansible-execution-environment=true" in containerfile


def test_build_context_lists_the_collection(context):
    galaxy = load_yaml(str(context / "_build" / "requirements.yml"))
    names = [c["name"] for c in galaxy["collections"]]
    assert names == ["acronis.cyber_platform"]
    for script in ("introspect.py", "assemble", "install-from-bindep", "check_ansible", "check_galaxy"):
        assert (context / "_build" / "scripts" / script).is_file(), script


def test_introspection_of_the_installed_artifact_finds_the_requirements(context, installed, tmp_path):
    pip_out, bindep_out = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    result = subprocess.run([sys.executable, str(context / "_build" / "scripts" / "introspect.py"), "introspect",
                             "--write-pip", str(pip_out), "--write-bindep", str(bindep_out), str(installed)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120, check=False)
    assert result.returncode == 0, result.stdout.decode()
    found = yaml.safe_load(result.stdout.decode())
    assert found == {
        "python": ["requests>=2.25.0  # from collection acronis.cyber_platform"],
        "system": ["ca-certificates [platform:rpm platform:dpkg]  # from collection acronis.cyber_platform"],
    }
    # What the builder stage hands to the final stage's pip and bindep.
    assert requirement_lines(str(pip_out)) == ["requests>=2.25.0  # from collection acronis.cyber_platform"]
    assert requirement_lines(str(bindep_out)) == [
        "ca-certificates [platform:rpm platform:dpkg]  # from collection acronis.cyber_platform"]
