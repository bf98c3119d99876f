# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The changes of ansible-playbook runs, read from the default callback's output.

    changes.py same CHECK_LOG REAL_LOG   the check run predicted exactly the real run's changes (task, host, item)
    changes.py none LOG                  the run changed nothing
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import sys

TASK = re.compile(r"^TASK \[(?P<task>.*)\] \*+$")
CHANGED = re.compile(r"^changed: \[(?P<host>[^\]]+)\]( => \(item=(?P<item>.*?)\))?")
RECAP = re.compile(r"^(?P<host>\S+)\s+: ok=\d+\s+changed=(?P<changed>\d+)\s+unreachable=0\s+failed=0")


def changes(path):
    """The (task, host, item) that reported changed, and the hosts of the recap with their changed counts."""
    task, found, recap = None, set(), {}
    with open(path) as stream:
        for line in stream:
            line = line.rstrip("\n")
            match = TASK.match(line)
            if match:
                task = match.group("task")
                continue
            match = CHANGED.match(line)
            if match:
                found.add((task, match.group("host"), match.group("item")))
                continue
            match = RECAP.match(line)
            if match:
                recap[match.group("host")] = int(match.group("changed"))
    if not recap:
        sys.exit("%s: no play recap without failures" % path)
    return found, recap


def main(argv):
    if argv[1] == "same":
        predicted, predicted_recap = changes(argv[2])
        made, made_recap = changes(argv[3])
        for change in sorted(made, key=str):
            print("changed: %s [%s] %s" % change)
        if not made:
            sys.exit("the real run changed nothing: nothing to compare")
        if predicted != made or predicted_recap != made_recap:
            sys.exit("check mode predicted %s (recap %s), the real run made %s (recap %s)"
                     % (sorted(predicted - made, key=str), predicted_recap, sorted(made - predicted, key=str), made_recap))
    elif argv[1] == "none":
        made, recap = changes(argv[2])
        if made or any(recap.values()):
            sys.exit("the re-run changed %s (recap %s)" % (sorted(made, key=str), recap))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
