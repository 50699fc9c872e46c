# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Test helper: return the given facts as the host's facts (the offline RHEL run has no RHEL node)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: offline_facts
short_description: Give a host example facts (tests only)
description:
  - Returns O(facts) as the host's C(ansible_facts), so roles can run in check mode as if on that platform.
options:
  facts:
    description: The facts.
    type: dict
    required: true
author: gureum.openstack contributors (@gureum)
"""

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(facts=dict(type='dict', required=True)), supports_check_mode=True)
    module.exit_json(changed=False, ansible_facts=module.params['facts'])


if __name__ == '__main__':
    main()
