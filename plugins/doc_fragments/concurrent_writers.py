# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # What a module that writes does when another writer (a second job, an operator in the console, another
    # tool) changes the same object while the task runs.
    DOCUMENTATION = r'''
options: {}
notes:
  - >-
    Another writer: when another job or tool changes the same object while the task runs, the service refuses
    the task's write (a name or login already taken, an outdated version, an object already removed). The module
    then reads the object again, as it does after a lost answer, and decides from what is there now. When the object
    already is what the task asks, the task succeeds with C(changed=false) and a warning that another writer made the
    change. When it is not, the module sends its change again on top of what it just read (with the new version), a
    few times at most with a random pause, and keeps what the other writer set in fields the task does not name.
    A real conflict fails, naming the object, who holds the name (a login of a user of another tenant, a name
    of another kind of tenant) and what to do.
  - >-
    The same object created twice at the same moment: the API does not keep every name unique (a protection plan's
    name in a tenant, a tenant's monthly report of one kind), so two writers creating it at once both succeed. Right
    after its create the module lists the objects of that name and keeps one by a tie-break every job agrees on: the
    oldest by creation time, then the first the API lists. When another writer's object is the one kept, the module
    deletes its own creation (never the other writer's object, which may already be applied or scheduled), applies
    the task's options to the one kept as to an object found, and warns that another writer created the same object
    at the same moment, naming the one kept and the one removed. When its own is kept, the other is left for its
    writer to remove. API clients are not deduplicated: the secret of each exists only in its create's answer, so
    each writer keeps its own; O(acronis.cyber_platform.acronis_api_client#module:state=absent) removes every client
    of the name.
  - >-
    Writes the API does not version (the last writer wins, and the service refuses nothing): a user's roles, sent as
    one list that replaces them all; a tenant's MFA status; a protection plan's fields and backup settings. The module
    reads them again just before its write and builds the write on that read, changing only what the task names: a
    role or a setting another writer gave meanwhile is kept (unless O(acronis.cyber_platform.acronis_user#module:purge_roles)
    or O(acronis.cyber_platform.acronis_access_policy#module:purge) asks for the exact set of roles), and when that read
    shows the change already made, nothing is sent, C(changed=false), with the same warning. Without a version, a
    change another writer makes in the instant between that read and the write can still be overwritten.
  - No file lock is needed between jobs, so two AWX jobs on different execution nodes may run at the same time.
'''
