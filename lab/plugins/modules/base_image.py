#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: base_image
short_description: Build (once) the cached Debian root file system that lab nodes boot from
description:
  - Runs C(debootstrap) into a cache directory named after its inputs, so a changed package list or mirror
    makes a new base while an unchanged one is reused at once.
  - The mirror is read from this machine's own apt sources unless O(mirror) is given; nodes get the same
    sources in a deb822 file.
  - Host keys and the machine id are removed from the base so that every node gets its own.
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
options:
  cache_dir:
    description: Directory that holds base images and the downloaded packages.
    type: path
    default: /var/cache/gureum-lab
  suite:
    description: Debian suite to bootstrap.
    type: str
    default: bookworm
  mirror:
    description: Mirror URI; by default the first mirror of O(suite) in this machine's apt sources.
    type: str
  variant:
    description: debootstrap variant.
    type: str
    default: minbase
  packages:
    description: Packages added to the base (C(debootstrap --include)).
    type: list
    elements: str
    default: [systemd, systemd-sysv, dbus, python3, python3-apt, iproute2, openssh-server, sudo, procps,
              iputils-ping]
requirements:
  - debootstrap
  - root privileges
'''

EXAMPLES = r'''
- name: Build or reuse the lab base image
  gureum.lab.base_image:
    cache_dir: /var/cache/gureum-lab
  register: base
'''

RETURN = r'''
path:
  description: Directory of the base root file system.
  returned: always
  type: str
  sample: /var/cache/gureum-lab/bookworm-3f2a9c1d0b7e
mirror:
  description: Mirror the base was bootstrapped from.
  returned: always
  type: str
seconds:
  description: Time the build took (0 when the cached base was reused).
  returned: always
  type: float
'''

import fcntl
import hashlib
import json
import os
import shutil
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.lab.plugins.module_utils import apt_sources

FORMAT = 2  # bump when the finishing steps below change


def finish(root, sources):
    """Make the bootstrapped tree a neutral base: no identity, sources from this machine, no resolver."""
    ssh_dir = os.path.join(root, 'etc/ssh')
    for name in os.listdir(ssh_dir):
        if name.startswith('ssh_host_'):
            os.remove(os.path.join(ssh_dir, name))
    files = {
        'etc/machine-id': '',
        'etc/resolv.conf': '# lab nodes resolve names from /etc/hosts only\n',
        'etc/apt/sources.list.d/debian.sources': apt_sources.render_deb822(sources),
        'etc/ssh/sshd_config.d/gureum-lab.conf': 'UseDNS no\nPermitRootLogin prohibit-password\n',
    }
    for rel, content in files.items():
        path = os.path.join(root, rel)
        if os.path.islink(path):
            os.remove(path)
        with open(path, 'w') as handle:
            handle.write(content)
    old_list = os.path.join(root, 'etc/apt/sources.list')
    if os.path.exists(old_list):
        os.remove(old_list)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            cache_dir=dict(type='path', default='/var/cache/gureum-lab'),
            suite=dict(type='str', default='bookworm'),
            mirror=dict(type='str'),
            variant=dict(type='str', default='minbase'),
            packages=dict(type='list', elements='str',
                          default=['systemd', 'systemd-sysv', 'dbus', 'python3', 'python3-apt', 'iproute2',
                                   'openssh-server', 'sudo', 'procps', 'iputils-ping']),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if os.geteuid() != 0:
        module.fail_json(msg='Building the lab base image needs root: run the lab playbook as root.')
    debootstrap = module.get_bin_path('debootstrap')
    if not debootstrap:
        module.fail_json(msg="debootstrap is not installed: run 'make setup' (or apt-get install debootstrap).")
    try:
        sources = apt_sources.distribution_sources(apt_sources.read_apt_sources('/'), params['suite'])
        mirror = params['mirror'] or apt_sources.primary_mirror(sources, params['suite'])
    except apt_sources.AptSourcesError as exc:
        module.fail_json(msg=str(exc))
    inputs = {'format': FORMAT, 'suite': params['suite'], 'variant': params['variant'], 'mirror': mirror,
              'packages': sorted(params['packages']), 'sources': sources}
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode('utf-8')).hexdigest()[:12]
    path = os.path.join(params['cache_dir'], '%s-%s' % (params['suite'], digest))
    result = dict(changed=False, path=path, mirror=mirror, seconds=0.0)
    if os.path.exists(path + '.json') or module.check_mode:
        result['changed'] = not os.path.exists(path + '.json')
        module.exit_json(**result)

    if not os.path.isdir(params['cache_dir']):
        os.makedirs(params['cache_dir'])
    with open(path + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another lab may be building the same base right now
        if not os.path.exists(path + '.json'):
            started = time.time()
            partial = path + '.partial'
            debs = os.path.join(params['cache_dir'], 'debs')
            if os.path.exists(partial):
                shutil.rmtree(partial)
            if not os.path.isdir(debs):
                os.makedirs(debs)
            rc, out, err = module.run_command([
                debootstrap, '--variant=%s' % params['variant'], '--cache-dir=%s' % debs,
                '--include=%s' % ','.join(params['packages']), params['suite'], partial, mirror])
            if rc != 0:
                module.fail_json(msg='debootstrap failed (rc=%d); the end of its output says why.' % rc,
                                 stdout=out[-4000:], stderr=err[-4000:])
            finish(partial, sources)
            if os.path.exists(path):  # an older build that never got its stamp
                shutil.rmtree(path)
            os.rename(partial, path)
            with open(path + '.json', 'w') as handle:  # written last: it marks the base complete
                json.dump(inputs, handle, indent=2, sort_keys=True)
            result.update(changed=True, seconds=round(time.time() - started, 1))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
