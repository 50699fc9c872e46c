#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: server_console
short_description: Wait until a server's console log shows given text, and return the log
description:
  - Reads a Nova server's console log (C(os-getConsoleOutput)) until every string of O(wait_for) has appeared,
    or O(timeout) seconds have passed; then fails with the end of the log and the server's state, which is what
    one needs to see when a guest does not come up.
  - Read-only; never changes anything.
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
requirements:
  - openstacksdk >= 1.0 (on the host that runs the module, usually the machine running Ansible)
options:
  cloud:
    description: Name of a cloud in C(clouds.yaml) (found the usual way, for example through C(OS_CLIENT_CONFIG_FILE)).
    type: str
    required: true
  server:
    description: Name or ID of the server.
    type: str
    required: true
  wait_for:
    description: Strings that must all appear in the console log.
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds to wait for them.
    type: int
    default: 180
  lines:
    description: How many lines of the log to return (and to show on failure).
    type: int
    default: 40
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
  diff_mode:
    support: none
    description: Returns no diff.
'''

EXAMPLES = r'''
- name: Wait for the guest's boot marker
  gureum.openstack.server_console:
    cloud: admin
    server: verify-compute1
    wait_for: [GUREUM-GUEST-BOOTED, GUREUM-GUEST-METADATA]
    timeout: 180
'''

RETURN = r'''
console:
  description: The last O(lines) lines of the console log.
  returned: always
  type: list
  elements: str
found:
  description: Each string of O(wait_for) and the line it was first seen in.
  returned: always
  type: dict
seconds:
  description: How long the wait took.
  returned: always
  type: float
'''

import time

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import openstack
    HAS_OPENSTACK = True
except ImportError:
    HAS_OPENSTACK = False


def first_lines(text, wanted):
    found = {}
    for line in text.splitlines():
        for item in wanted:
            if item not in found and item in line:
                found[item] = line.strip()
    return found


def main():
    module = AnsibleModule(
        argument_spec=dict(
            cloud=dict(type='str', required=True),
            server=dict(type='str', required=True),
            wait_for=dict(type='list', elements='str', default=[]),
            timeout=dict(type='int', default=180),
            lines=dict(type='int', default=40),
        ),
        supports_check_mode=True,
    )
    if not HAS_OPENSTACK:
        module.fail_json(msg=missing_required_lib('openstacksdk'))
    params = module.params
    try:
        conn = openstack.connect(cloud=params['cloud'])
        server = conn.compute.find_server(params['server'], ignore_missing=False)
    except openstack.exceptions.SDKException as exc:
        module.fail_json(msg='cannot find server %s: %s' % (params['server'], exc))

    started = time.time()
    text, found = '', {}
    while True:
        try:
            text = conn.compute.get_server_console_output(server).get('output') or ''
        except openstack.exceptions.SDKException as exc:
            text = '(no console log yet: %s)' % exc
        found = first_lines(text, params['wait_for'])
        if len(found) == len(params['wait_for']) or time.time() - started > params['timeout']:
            break
        time.sleep(3)
    tail = text.splitlines()[-params['lines']:]
    result = dict(changed=False, console=tail, found=found, seconds=round(time.time() - started, 1))
    missing = [item for item in params['wait_for'] if item not in found]
    if missing:
        server = conn.compute.get_server(server.id)
        module.fail_json(msg='server %s (status %s, host %s) did not show %s on its console within %ss; '
                             'the console log ends with:\n%s'
                             % (server.name, server.status, server.compute_host, ', '.join(missing),
                                params['timeout'], '\n'.join(tail)), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
