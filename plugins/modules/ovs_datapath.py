#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: ovs_datapath
short_description: Choose the Open vSwitch datapath a node can really run
description:
  - Decides between Open vSwitch's kernel datapath (C(system)) and its userspace datapath (C(netdev)) from a real
    test, not from the presence of a module file, as M(gureum.openstack.virt_type) decides the hypervisor.
  - With O(datapath_type=auto), creates a throw-away bridge C(gureum-dp-probe) with C(datapath_type=system) and
    reads back whether Open vSwitch could open its datapath (the bridge's local port gets an OpenFlow port number,
    and no error), then deletes it. The kernel datapath is used when that works; otherwise the userspace one,
    unless O(userspace_allowed) is false, when the module fails with a sentence.
  - The answer is cached on the node, keyed on the running kernel and its boot (a module loaded or removed takes a
    reboot or a new kernel to change the answer), so later runs cost one read.
  - Needs a running Open vSwitch (C(ovs-vsctl) answering). Without one, and with no cached answer, the module
    answers RV(probe_needed) and the caller installs and starts Open vSwitch first.
version_added: "0.2.0"
author: gureum.openstack contributors (@gureum)
options:
  datapath_type:
    description:
      - C(auto) tests the node; C(system) (the kernel's) or C(netdev) (userspace) skip the test. C(system) is still
        tested, so a node without the kernel datapath fails here with a sentence instead of later in Neutron's agent.
    type: str
    choices: [auto, system, netdev]
    default: auto
  userspace_allowed:
    description: Whether C(auto) may fall back to the userspace datapath, and whether C(netdev) may be chosen at all.
    type: bool
    default: true
  timeout:
    description: Seconds C(ovs-vsctl) waits for Open vSwitch.
    type: int
    default: 20
  cache:
    description: File that keeps the answer.
    type: path
    default: /var/lib/gureum/ovs_datapath.json
notes:
  - Supports check mode (no bridge is made and the cache is not written; without a cached answer the module then
    reports what it would test, RV(probe_needed)).
'''

EXAMPLES = r'''
- name: Decide the datapath of the node's Open vSwitch bridges
  gureum.openstack.ovs_datapath:
    datapath_type: auto
    userspace_allowed: true
  register: datapath
'''

RETURN = r'''
datapath_type:
  description: C(system) or C(netdev); empty when RV(probe_needed).
  returned: always
  type: str
reason:
  description: Why this answer.
  returned: always
  type: str
kernel_datapath:
  description: Whether the kernel datapath works here (null when not known yet).
  returned: always
  type: bool
probed:
  description: Whether the test ran now (false with a cached answer or with O(datapath_type=netdev)).
  returned: always
  type: bool
probe_needed:
  description: True when the test is needed and Open vSwitch is not installed or not running yet.
  returned: always
  type: bool
'''

import json
import os

from ansible.module_utils.basic import AnsibleModule

PROBE_BRIDGE = 'gureum-dp-probe'


def fingerprint():
    """What decides whether the kernel datapath works: the running kernel and this boot of it."""
    parts = [os.uname()[2]]
    try:
        with open('/proc/sys/kernel/random/boot_id') as handle:
            parts.append(handle.read().strip())
    except (IOError, OSError):
        parts.append('')
    return ' '.join(parts)


def _vsctl(module, vsctl, timeout, *args):
    return module.run_command([vsctl, '--timeout=%d' % timeout] + list(args))


def ovs_running(module, vsctl, timeout):
    if not vsctl:
        return False
    rc, dummy, dummy = _vsctl(module, vsctl, min(timeout, 5), 'show')
    return rc == 0


def probe(module, vsctl, timeout):
    """Make a kernel-datapath bridge, read whether Open vSwitch opened it, delete it: (works, detail)."""
    _vsctl(module, vsctl, timeout, '--if-exists', 'del-br', PROBE_BRIDGE)
    rc, out, err = _vsctl(module, vsctl, timeout, '--', 'add-br', PROBE_BRIDGE,
                          '--', 'set', 'Bridge', PROBE_BRIDGE, 'datapath_type=system')
    try:
        dummy, ofport, dummy = _vsctl(module, vsctl, timeout, 'get', 'Interface', PROBE_BRIDGE, 'ofport')
        dummy, error, dummy = _vsctl(module, vsctl, timeout, 'get', 'Interface', PROBE_BRIDGE, 'error')
    finally:
        _vsctl(module, vsctl, timeout, '--if-exists', 'del-br', PROBE_BRIDGE)
    ofport, error = ofport.strip(), error.strip().strip('"')
    problem = (err or '').strip() if rc != 0 or 'Error detected' in (err or '') else ''
    if error and error != '[]':
        problem = '; '.join(p for p in (problem, error) if p)
    if not problem and ofport in ('', '[]', '-1'):
        problem = 'the bridge got no OpenFlow port (ofport %s)' % (ofport or 'empty')
    return not problem, problem


def main():
    module = AnsibleModule(
        argument_spec=dict(
            datapath_type=dict(type='str', default='auto', choices=['auto', 'system', 'netdev']),
            userspace_allowed=dict(type='bool', default=True),
            timeout=dict(type='int', default=20),
            cache=dict(type='path', default='/var/lib/gureum/ovs_datapath.json'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    wanted = params['datapath_type']
    result = dict(changed=False, probed=False, probe_needed=False, kernel_datapath=None)
    if wanted == 'netdev':
        if not params['userspace_allowed']:
            module.fail_json(msg='The userspace datapath (netdev) is asked for, but the userspace datapath is turned '
                                 'off for this node: allow it (openstack_ovs_userspace_datapath: true) or ask for '
                                 'auto or system.', datapath_type='', reason='', **result)
        module.exit_json(datapath_type='netdev', reason='forced by configuration', **result)

    key = fingerprint()
    cached = None
    if os.path.exists(params['cache']):
        try:
            with open(params['cache']) as handle:
                cached = json.load(handle)
        except (IOError, OSError, ValueError):
            cached = None
    if cached and cached.get('key') == key and isinstance(cached.get('kernel_datapath'), bool):
        works, detail = cached['kernel_datapath'], cached.get('detail', '')
    else:
        vsctl = module.get_bin_path('ovs-vsctl')
        if module.check_mode or not ovs_running(module, vsctl, params['timeout']):
            result['probe_needed'] = True
            module.exit_json(datapath_type='', reason='a test is needed and Open vSwitch is not running here'
                             if not module.check_mode else 'a test is needed (not run in check mode)', **result)
        works, detail = probe(module, vsctl, params['timeout'])
        directory = os.path.dirname(params['cache'])
        if not os.path.isdir(directory):
            os.makedirs(directory)
        with open(params['cache'], 'w') as handle:
            json.dump({'key': key, 'kernel_datapath': works, 'detail': detail}, handle)
        result.update(changed=True, probed=True)
    result['kernel_datapath'] = works
    if works:
        module.exit_json(datapath_type='system', reason='a kernel-datapath bridge opened on this node', **result)
    why = 'a kernel-datapath bridge failed here: %s' % (detail or 'no reason given')
    if wanted == 'system':
        module.fail_json(msg='The kernel datapath (system) is asked for, but %s. Load the openvswitch kernel module '
                             '(modprobe openvswitch), or set openstack_ovs_datapath_type to auto or netdev.' % why,
                         datapath_type='', reason=why, **result)
    if not params['userspace_allowed']:
        module.fail_json(msg='This node has no working Open vSwitch kernel datapath (%s) and the userspace datapath is '
                             'turned off (openstack_ovs_userspace_datapath: false): load the openvswitch kernel '
                             'module, allow the userspace datapath, or use the linuxbridge driver '
                             '(openstack_network_driver: linuxbridge).' % why, datapath_type='', reason=why, **result)
    module.exit_json(datapath_type='netdev', reason=why + '; the userspace datapath is used', **result)


if __name__ == '__main__':
    main()
