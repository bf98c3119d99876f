#!/usr/bin/env python
# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Let ansible-test bootstrap pip in its virtual environments without leaving PyPI.

Why: every sanity test (and ``--venv``) runs in an empty virtual environment
that ansible-test fills by running a "get-pip" bootstrap script. ansible-test
downloads that script from its own CI file host, which our machines cannot
reach (only the package registries are reachable), so the download fails.

How ansible-test uses the script (ansible_test/_util/target/setup/requirements.py,
function ``bootstrap``): it looks for a cached copy at
``~/.ansible/test/cache/get_pip_<version with dots as underscores>.py`` and
only downloads it when that file is missing. It then runs
``quiet_pip.py`` with ``GET_PIP=<that path>``, which imports the file as a
module and runs it as ``__main__`` with pip's install arguments, e.g.
``--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel``.

What this script does: it downloads the pip wheel of the version ansible-test
asks for (read from ansible-test's own ``get_venv_packages``) from the package
index with the venv's pip, and writes a small stand-in script at the cache
path. The stand-in runs pip straight from that wheel (pip supports being run
from its wheel) to install the requested packages into the new environment.
It drops the get-pip-only flags ``--no-setuptools``/``--no-wheel``: a plain
``pip install`` never adds setuptools or wheel anyway.

A genuine get-pip script already in the cache is left alone. Run it with the
Python of the environment that holds ansible-core; it is idempotent.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types

MARKER = '# stand-in written by acronis.cyber_platform tests/utils/prime_pip_bootstrap.py'

STAND_IN = '''{marker}
# Runs pip from a wheel fetched from the package index instead of get-pip.py.
import sys

sys.path.insert(0, {wheel!r})

from pip._internal.cli.main import main  # noqa: E402  (needs the wheel on sys.path)

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
sys.exit(main(['install', '--find-links', {wheel_dir!r}] + args))
'''


def pip_version_wanted() -> str:
    """Ask the installed ansible-test which pip version it bootstraps into its venvs."""
    from ansible_test._internal.python_requirements import get_venv_packages

    python = types.SimpleNamespace(version='%d.%d' % sys.version_info[:2])
    return get_venv_packages(python)['pip']


def main() -> int:
    version = pip_version_wanted()
    cache_dir = os.path.expanduser('~/.ansible/test/cache')
    cache_path = os.path.join(cache_dir, 'get_pip_%s.py' % version.replace('.', '_'))
    wheel_dir = os.path.join(cache_dir, 'pip-wheels')
    wheel = os.path.join(wheel_dir, 'pip-%s-py3-none-any.whl' % version)

    if os.path.exists(cache_path):
        with open(cache_path, encoding='utf-8') as handle:
            if MARKER not in handle.readline():
                print('prime_pip_bootstrap: keeping the existing bootstrap script %s' % cache_path)
                return 0

    os.makedirs(wheel_dir, exist_ok=True)

    if not os.path.exists(wheel):
        subprocess.run(
            [sys.executable, '-m', 'pip', 'download', '--quiet', '--disable-pip-version-check',
             '--no-deps', '--only-binary', ':all:', '--dest', wheel_dir, 'pip==%s' % version],
            check=True,
        )

    if not os.path.exists(wheel):
        print('prime_pip_bootstrap: pip download did not produce %s' % wheel, file=sys.stderr)
        return 1

    content = STAND_IN.format(marker=MARKER, wheel=wheel, wheel_dir=wheel_dir)
    with open(cache_path + '.tmp', 'w', encoding='utf-8') as handle:
        handle.write(content)
    os.replace(cache_path + '.tmp', cache_path)

    print('prime_pip_bootstrap: pip %s bootstrap for ansible-test served from %s' % (version, wheel))
    return 0


if __name__ == '__main__':
    sys.exit(main())
