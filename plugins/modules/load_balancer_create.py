#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: load_balancer_create
short_description: Make a missing Octavia load balancer with its listeners, pools and health monitors in one call
description:
  - When no load balancer named O(name) exists in the project of O(cloud), makes it with its listeners, their default
    pools and the pools' health monitors in a single call (Octavia's fully populated create), and does not wait.
    Octavia then configures its amphora once, instead of once per listener, pool and monitor (under QEMU's TCG each
    change costs tens of seconds).
  - A load balancer that exists is left as it is (C(changed) false), its parts converged one by one by
    openstack.cloud's lb_listener, lb_pool and lb_health_monitor, which find the ones made here in place. Members and
    the floating IP on the VIP are not made here (the members' servers may not exist yet).
  - Its parts are given flat, as P(gureum.openstack.day1_plan#filter) lists them (each pool names its listener, each
    health monitor its pool).
version_added: "0.2.0"
author: gureum.openstack contributors (@gureum)
options:
  cloud:
    description: The clouds.yaml entry (C(OS_CLIENT_CONFIG_FILE) names the file) of the user who owns it.
    type: str
    required: true
  name:
    description: The load balancer's name.
    type: str
    required: true
  description:
    description: Its description.
    type: str
  vip_subnet:
    description: Name or ID of the subnet of its VIP.
    type: str
    required: true
  listeners:
    description: Its listeners, C({name, protocol, port}).
    type: list
    elements: dict
    default: []
  pools:
    description: Default pools of the listeners, C({name, listener, protocol, lb_algorithm}).
    type: list
    elements: dict
    default: []
  health_monitors:
    description:
      - Health monitors of the pools, C({name, pool, type, delay, timeout, max_retries}) and, for HTTP ones,
        C(url_path), C(expected_codes) and C(http_method).
    type: list
    elements: dict
    default: []
attributes:
  check_mode:
    support: full
    description: Reports whether it would be made.
  diff_mode:
    support: none
    description: Returns no diff.
requirements:
  - openstacksdk
'''

EXAMPLES = r'''
- name: A load balancer with an HTTP listener, a round-robin pool and an HTTP health monitor, in one call
  gureum.openstack.load_balancer_create:
    cloud: demo
    name: demo-lb
    vip_subnet: demo_private01_subnet
    listeners: [{name: demo-lb-http, protocol: HTTP, port: 80}]
    pools: [{name: demo-lb-pool, listener: demo-lb-http, protocol: HTTP, lb_algorithm: ROUND_ROBIN}]
    health_monitors: [{name: demo-lb-monitor, pool: demo-lb-pool, type: HTTP, delay: 5, timeout: 3, max_retries: 2,
                       url_path: /, expected_codes: "200"}]
'''

RETURN = r'''
load_balancer:
  description: The load balancer as Octavia returned it (just made, C(PENDING_CREATE); or as it stands).
  returned: unless in check mode
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import openstack
    HAS_SDK = True
except ImportError:  # pragma: no cover - openstacksdk is in requirements.txt
    HAS_SDK = False

MONITOR_KEYS = ('name', 'type', 'delay', 'timeout', 'max_retries', 'url_path', 'expected_codes', 'http_method')


def listener_tree(listeners, pools, health_monitors):
    """Octavia's fully populated listeners: each with its default pool, the pool with its health monitor."""
    tree = []
    for listener in listeners:
        body = {'name': listener['name'], 'protocol': listener['protocol'], 'protocol_port': int(listener['port'])}
        for pool in [p for p in pools if p.get('listener') == listener['name']][:1]:
            body['default_pool'] = {'name': pool['name'], 'protocol': pool['protocol'],
                                    'lb_algorithm': pool['lb_algorithm']}
            for monitor in [m for m in health_monitors if m.get('pool') == pool['name']][:1]:
                body['default_pool']['healthmonitor'] = dict(
                    (key, monitor[key]) for key in MONITOR_KEYS if monitor.get(key) not in (None, ''))
        tree.append(body)
    return tree


def main():
    module = AnsibleModule(
        argument_spec=dict(
            cloud=dict(type='str', required=True),
            name=dict(type='str', required=True),
            description=dict(type='str'),
            vip_subnet=dict(type='str', required=True),
            listeners=dict(type='list', elements='dict', default=[]),
            pools=dict(type='list', elements='dict', default=[]),
            health_monitors=dict(type='list', elements='dict', default=[]),
        ),
        supports_check_mode=True,
    )
    if not HAS_SDK:
        module.fail_json(msg=missing_required_lib('openstacksdk'))
    params = module.params
    try:
        conn = openstack.connect(cloud=params['cloud'])
        found = conn.load_balancer.find_load_balancer(params['name'])
        if found is not None:
            module.exit_json(changed=False, load_balancer=found.to_dict(computed=False))
        if module.check_mode:
            module.exit_json(changed=True)
        subnet = conn.network.find_subnet(params['vip_subnet'], ignore_missing=False)
        attributes = dict(name=params['name'], vip_subnet_id=subnet.id,
                          listeners=listener_tree(params['listeners'], params['pools'], params['health_monitors']))
        if params['description'] is not None:
            attributes['description'] = params['description']
        made = conn.load_balancer.create_load_balancer(**attributes)
    except openstack.exceptions.SDKException as exc:
        module.fail_json(msg='load balancer %s: %s' % (params['name'], exc))
    module.exit_json(changed=True, load_balancer=made.to_dict(computed=False))


if __name__ == '__main__':
    main()
