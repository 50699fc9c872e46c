# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Benchmark helper: seconds per stage of a run of site.yml, written as JSON to $GUREUM_STAGE_TIMES.

A stage is a playbook of playbooks/ (prechecks, prerequisites, packages, ...): each play is charged to the file it
comes from; common.yml (settings, groups, secrets, facts, once per run) is a line of its own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stage_times
type: aggregate
short_description: Seconds per stage of a site.yml run (benchmark only)
description:
  - Writes a JSON map of stage to seconds into the file named by E(GUREUM_STAGE_TIMES).
options: {}
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'stage_times'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.stages = {}
        self.order = []
        self.current = None
        self.started = None

    def _close(self):
        if self.current is not None:
            self.stages[self.current] = self.stages.get(self.current, 0.0) + time.time() - self.started

    def v2_playbook_on_play_start(self, play):
        self._close()
        path = play.get_path() or ''
        stage = os.path.splitext(os.path.basename(path.split(':')[0]))[0] or play.get_name()
        if stage not in self.order:
            self.order.append(stage)
        self.current, self.started = stage, time.time()

    def v2_playbook_on_stats(self, stats):
        self._close()
        target = os.environ.get('GUREUM_STAGE_TIMES')
        if target:
            with open(target, 'w') as handle:
                json.dump([[stage, round(self.stages[stage], 1)] for stage in self.order], handle)
