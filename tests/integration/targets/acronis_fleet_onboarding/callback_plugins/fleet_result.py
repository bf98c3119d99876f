# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes the result of the acronis_fleet_onboarding task to the file $FLEET_RESULT, with "task_failed" telling
whether the task failed (ansible-core keeps its "failed" key out of what callbacks get). The target's runme.sh
compares the check run's per-host results with the apply's."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r'''
name: fleet_result
type: aggregate
short_description: Write the fleet onboarding task's result to $FLEET_RESULT
description:
  - Used by the acronis_fleet_onboarding integration target only.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "fleet_result"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, result, failed):
        if result._task.action.endswith("acronis_fleet_onboarding") and os.environ.get("FLEET_RESULT"):
            with open(os.environ["FLEET_RESULT"], "w") as handle:
                json.dump(dict(result._result, task_failed=failed), handle, indent=1, sort_keys=True, default=str)

    def v2_runner_on_ok(self, result):
        self._write(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, True)
