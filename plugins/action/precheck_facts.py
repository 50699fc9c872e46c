# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Run the precheck_facts module and time the call, so the result carries the node's clock offset."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        before = time.time()
        result.update(self._execute_module(module_name='gureum.openstack.precheck_facts',
                                           module_args=self._task.args, task_vars=task_vars))
        after = time.time()
        if 'time' in result and not result.get('failed'):
            result['clock_offset'] = round(result['time'] - (before + after) / 2.0, 3)
            result['clock_uncertainty'] = round((after - before) / 2.0, 3)
        return result
