#!/usr/bin/env python
# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that a built collection artifact holds only what the repository tracks, and no secret.

    check_artifact.py TARBALL REPO

REPO is the work tree the artifact was built from. Fails (exit 1, one line per
problem) when the artifact holds:

- a file that git does not track in REPO (only MANIFEST.json and FILES.json,
  which the build writes, are exempt);
- a file whose name marks it as a credentials, token, log or state file;
- any secret found in the work tree's credentials and token files (.demo/,
  .demo-lifecycle/, build/: client secrets, passwords, tokens, the agents'
  registration token files), anywhere in any file's content.

Run by tests/utils/release_test.sh on the artifact built from the work tree
(after the demo and the other stages have left their files there) and on the
one built from a fresh clone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile

WRITTEN_BY_THE_BUILD = {"MANIFEST.json", "FILES.json"}
# Names of files that hold credentials, tokens, logs or state: none belongs in a release.
SENSITIVE_NAME = re.compile(
    r"(^|/)(\.demo|\.demo-lifecycle|tokens|\.ansible|\.venv[^/]*|build)/"
    r"|(^|/)(sim-credentials\.json|api_client\.json|simulator\.json|\.netrc)$"
    r"|\.(log|sim-state\.json|token|lock|tmp)$"
)
SECRET_KEYS = {"client_secret", "password", "access_token", "refresh_token", "id_token", "token", "secret"}
# Where the demo and the tests leave credentials and cached tokens.
SECRET_HOMES = (".demo", ".demo-lifecycle", "build")


def tracked_files(repo):
    try:
        out = subprocess.run(["git", "-C", repo, "ls-files", "-z"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(name for name in out.decode("utf-8").split("\0") if name)


def secrets_in(value, found):
    """Collect the string values of secret-named keys, at any depth of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_KEYS and isinstance(item, str) and len(item) >= 8:
                found.add(item)
            else:
                secrets_in(item, found)
    elif isinstance(value, list):
        for item in value:
            secrets_in(item, found)


def work_tree_secrets(repo):
    found = set()
    for home in SECRET_HOMES:
        for directory, dirs, files in os.walk(os.path.join(repo, home)):
            # Not into virtual environments or the ansible_collections copy of the work tree (no secrets there).
            dirs[:] = [d for d in dirs if not d.startswith(".venv") and d != "ansible_collections"]
            for name in files:
                if name.endswith(".token"):  # an agent registration token file: the token alone
                    try:
                        with open(os.path.join(directory, name), encoding="utf-8") as handle:
                            token = handle.read().strip()
                    except (OSError, ValueError):
                        continue
                    if len(token) >= 8:
                        found.add(token)
                    continue
                if not name.endswith(".json"):
                    continue
                try:
                    with open(os.path.join(directory, name), encoding="utf-8") as handle:
                        secrets_in(json.load(handle), found)
                except (OSError, ValueError):
                    continue
    return found


def main(tarball, repo):
    problems = []
    tracked = tracked_files(repo)
    secrets = work_tree_secrets(repo)
    with tarfile.open(tarball) as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        for member in members:
            name = member.name[2:] if member.name.startswith("./") else member.name
            if name in WRITTEN_BY_THE_BUILD:
                continue
            if tracked is not None and name not in tracked:
                problems.append("%s: not tracked by git" % name)
            if SENSITIVE_NAME.search(name):
                problems.append("%s: a credentials, token, log or state file" % name)
            content = archive.extractfile(member).read().decode("utf-8", "replace")
            for secret in secrets:
                if secret in content:
                    problems.append("%s: holds a secret of the work tree's %s" % (name, "/".join(SECRET_HOMES)))
                    break
    for problem in problems:
        print("check_artifact: %s" % problem, file=sys.stderr)
    print("check_artifact: %s: %d files (%s), %d secrets of the work tree looked for: %s" % (
        os.path.basename(tarball), len(members),
        "compared with the files git tracks" if tracked is not None else "no git repository to compare with",
        len(secrets), "%d problems" % len(problems) if problems else "no problem"))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: check_artifact.py TARBALL REPO")
    sys.exit(main(sys.argv[1], sys.argv[2]))
