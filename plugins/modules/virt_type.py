#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: virt_type
short_description: Choose the libvirt virt_type a compute node can really run
description:
  - Decides between C(kvm) and C(qemu) (TCG) for Nova's libvirt driver from a real boot test, not from the
    presence of C(/dev/kvm).
  - With C(/dev/kvm) present, boots the given Linux kernel under QEMU with KVM acceleration and answers C(kvm)
    only if the kernel starts printing (it got past decompression) within O(timeout) seconds. Without an
    initramfs the kernel then panics and QEMU exits, so a working KVM answers quickly.
  - The answer is cached on the node, keyed on the QEMU binary and the CPU (what decides whether KVM works), so
    later runs neither probe again nor need the test kernel; without O(kernel) on the node and without a cached
    answer, the module answers RV(probe_needed) and the caller brings the kernel.
  - Also tells whether this node's cgroup hierarchies are read-only (a container), where libvirt must be told to
    use no cgroup controllers.
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
options:
  kernel:
    description: A Linux kernel image (bzImage) on the node used for the boot test, when one is needed.
    type: path
  timeout:
    description: Seconds the kernel gets to start printing under KVM.
    type: int
    default: 30
  qemu:
    description: QEMU system emulator to run the test with.
    type: str
    default: qemu-system-x86_64
  cache:
    description: File that keeps the answer.
    type: path
    default: /var/lib/gureum/virt_type.json
  force:
    description: Skip the test and answer this.
    type: str
    choices: [kvm, qemu]
notes:
  - Supports check mode (the cache is not written).
'''

EXAMPLES = r'''
- name: Decide virt_type by booting a kernel under KVM
  gureum.openstack.virt_type:
    kernel: /var/lib/nova/virt-probe/vmlinuz
  register: virt
'''

RETURN = r'''
virt_type:
  description: C(kvm) or C(qemu).
  returned: always
  type: str
reason:
  description: Why this answer.
  returned: always
  type: str
probed:
  description: Whether a boot test ran now (false when the cached answer or O(force) was used).
  returned: always
  type: bool
probe_needed:
  description: True when a boot test is needed and O(kernel) is not on the node (RV(virt_type) is then empty).
  returned: always
  type: bool
cgroups_read_only:
  description: Whether the node's cgroup hierarchies are mounted read-only (libvirt then needs C(cgroup_controllers = [ ])).
  returned: always
  type: bool
'''

import hashlib
import json
import os
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule

MARKER = b'Linux version'


def fingerprint(qemu):
    """What decides whether KVM works here: the QEMU binary and the CPU."""
    digest = hashlib.sha256()
    with open(qemu, 'rb') as handle:
        digest.update(hashlib.sha256(handle.read()).digest())
    with open('/proc/cpuinfo', 'rb') as handle:
        flags = [line for line in handle.read().splitlines() if line.startswith((b'flags', b'model name'))]
    digest.update(b'\n'.join(sorted(set(flags))))
    return digest.hexdigest()


def cgroups_read_only(mountinfo='/proc/self/mountinfo'):
    """True when a cgroup hierarchy is mounted read-only (systemd-nspawn mounts the v1 controllers so)."""
    try:
        with open(mountinfo) as handle:
            lines = handle.read().splitlines()
    except (IOError, OSError):
        return False
    for line in lines:
        fields, dummy, rest = line.partition(' - ')
        fstype = rest.split(' ', 1)[0]
        options = fields.split()[5].split(',') if len(fields.split()) > 5 else []
        if fstype in ('cgroup', 'cgroup2') and 'ro' in options:
            return True
    return False


def boot_test(module, qemu, kernel, timeout):
    """Boot the kernel under KVM; True if it printed its banner on the serial port in time."""
    serial = tempfile.NamedTemporaryFile(prefix='virt-probe.', suffix='.log', delete=False)
    serial.close()
    argv = [module.get_bin_path('timeout', required=True), '--signal=KILL', str(timeout),
            qemu, '-machine', 'accel=kvm', '-cpu', 'host', '-m', '128', '-display', 'none', '-monitor', 'none',
            '-no-reboot', '-serial', 'file:%s' % serial.name, '-kernel', kernel,
            '-append', 'console=ttyS0 panic=-1']
    try:
        dummy, dummy, err = module.run_command(argv)
        with open(serial.name, 'rb') as handle:
            seen = MARKER in handle.read()
    finally:
        os.unlink(serial.name)
    return seen, err.strip()


def main():
    module = AnsibleModule(
        argument_spec=dict(
            kernel=dict(type='path'),
            timeout=dict(type='int', default=30),
            qemu=dict(type='str', default='qemu-system-x86_64'),
            cache=dict(type='path', default='/var/lib/gureum/virt_type.json'),
            force=dict(type='str', choices=['kvm', 'qemu']),
        ),
        supports_check_mode=True,
    )
    params = module.params
    result = dict(changed=False, probed=False, probe_needed=False, cgroups_read_only=cgroups_read_only())
    if params['force']:
        module.exit_json(virt_type=params['force'], reason='forced by configuration', **result)
    if not os.path.exists('/dev/kvm'):
        module.exit_json(virt_type='qemu', reason='/dev/kvm does not exist', **result)
    qemu = module.get_bin_path(params['qemu'])
    if not qemu:
        module.fail_json(msg='%s is not installed; install the QEMU system emulator (qemu-system-x86 on Debian) '
                             'before choosing the virt type.' % params['qemu'])
    key = fingerprint(qemu)
    if os.path.exists(params['cache']):
        with open(params['cache']) as handle:
            cached = json.load(handle)
        if cached.get('key') == key:
            module.exit_json(virt_type=cached['virt_type'], reason=cached['reason'], **result)
    if not params['kernel'] or not os.path.isfile(params['kernel']):
        result['probe_needed'] = True
        module.exit_json(virt_type='', reason='a boot test is needed and its kernel is not here', **result)

    started = time.time()
    booted, err = boot_test(module, qemu, params['kernel'], params['timeout'])
    seconds = round(time.time() - started, 1)
    if booted:
        virt_type, reason = 'kvm', 'a kernel booted under KVM in %ss' % seconds
    else:
        virt_type = 'qemu'
        reason = 'a kernel did not boot under KVM within %ss%s' % (params['timeout'], (': ' + err[-300:]) if err else '')
    if not module.check_mode:
        directory = os.path.dirname(params['cache'])
        if not os.path.isdir(directory):
            os.makedirs(directory)
        with open(params['cache'], 'w') as handle:
            json.dump({'key': key, 'virt_type': virt_type, 'reason': reason}, handle)
    result.update(changed=True, probed=True)
    module.exit_json(virt_type=virt_type, reason=reason, **result)


if __name__ == '__main__':
    main()
