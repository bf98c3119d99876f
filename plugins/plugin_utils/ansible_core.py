# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the running ansible-core offers the controller-side plugins, in one place.

The collection supports ansible-core 2.16 and later (``requires_ansible`` in ``meta/runtime.yml``); AWX and
Automation Controller execution environments run 2.16 to 2.19. Where a plugin needs something that only some of
those releases have, it asks here: each difference is one version check with its fallback, so that a newer or
older ansible-core gets a working (perhaps slower) path, never an ImportError.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible.release import __version__ as ANSIBLE_CORE_VERSION

COLLECTION = "acronis.cyber_platform"
# Keep in step with requires_ansible in meta/runtime.yml.
MINIMUM = (2, 16)


def version_tuple(version):
    """``(major, minor)`` of an ansible-core version string: ``'2.18.19'`` and ``'2.20.0rc1'`` give (2, 18), (2, 20)."""
    match = re.match(r"(\d+)\.(\d+)", str(version))
    if not match:
        return (0, 0)
    return (int(match.group(1)), int(match.group(2)))


RUNNING = version_tuple(ANSIBLE_CORE_VERSION)

# ansible-core 2.19 marks the strings that may be templated ("data tagging"); before it, every inventory
# variable is templated anyway, so the value needs no mark.
if RUNNING >= (2, 19):
    from ansible.template import trust_as_template  # noqa: F401 pylint: disable=unused-import
else:
    def trust_as_template(value):
        return value


def unsupported_message(running=ANSIBLE_CORE_VERSION):
    """One line for an ansible-core older than the collection supports, or None when it is supported."""
    if version_tuple(running) >= MINIMUM:
        return None
    return ("%s needs ansible-core %d.%d or later, and this controller runs ansible-core %s: upgrade it "
            "(python3 -m pip install 'ansible-core>=%d.%d') or use an execution environment that has it"
            % ((COLLECTION,) + MINIMUM + (running,) + MINIMUM))
