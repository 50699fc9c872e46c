# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Test helper: record, per host, the content each task would write (check mode with --diff).

Writes JSON {host: {path: content}} to $GUREUM_RENDERED. Files come from template/copy diffs (the path is the
task's dest) and from gureum.openstack.network_config diffs (the path is in the diff's header).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: rendered_files
type: aggregate
short_description: Record the files a check-mode run would write (tests only)
description:
  - Writes a JSON map of host to path to content into the file named by E(GUREUM_RENDERED).
options: {}
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'rendered_files'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.files = {}

    def _record(self, result):
        data = result.result
        diffs = data.get('diff')
        if not diffs:
            return
        if isinstance(diffs, dict):
            diffs = [diffs]
        dest = (result.task_fields.get('args') or {}).get('dest')
        host = self.files.setdefault(result.host.get_name(), {})
        for diff in diffs:
            if 'after' not in diff or not isinstance(diff['after'], str):
                continue
            path = dest if dest and len(diffs) == 1 else diff.get('after_header')
            if path:
                host['%s' % path] = diff['after']

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_item_on_ok(self, result):
        self._record(result)

    def v2_playbook_on_stats(self, stats):
        target = os.environ.get('GUREUM_RENDERED')
        if target:
            with open(target, 'w') as handle:
                json.dump(self.files, handle, indent=1, sort_keys=True)
