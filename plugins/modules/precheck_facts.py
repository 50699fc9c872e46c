#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: precheck_facts
short_description: Read what the prechecks need from a node, changing nothing
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Reads, in one pass and without changing anything, what P(gureum.openstack.prechecks#module) needs beyond the
    usual facts - memory as the node's cgroup sees it, free disk, listening sockets, name resolution, /etc/hosts
    and nsswitch, interfaces claimed by other network configuration, competing firewall services, KVM, kernel and
    boot time (nodes with the same kernel, boot time and memory share one host), and the node's clock.
  - Its action plugin times the call, so the result carries the node's clock offset from the machine running
    Ansible and its uncertainty.
options:
  names:
    description: Host names to resolve on the node.
    type: list
    elements: str
    default: []
  disk_path:
    description: Where OpenStack keeps its data; the free space of the file system holding it is reported.
    type: path
    default: /var/lib
  devices:
    description: Block devices the node should have (an LVM backend's device); each is reported in RV(block).
    type: list
    elements: path
    default: []
attributes:
  action:
    description: An action plugin times the module call to measure the clock offset.
    support: full
  check_mode:
    description: Reads only; runs the same in check mode.
    support: full
  diff_mode:
    description: Changes nothing, so there is no diff.
    support: none
"""

EXAMPLES = r"""
- name: Read what the prechecks need
  gureum.openstack.precheck_facts:
    names: "{{ groups['all'] }}"
  register: __prechecks_node
"""

RETURN = r"""
time:
  description: The node's clock (seconds since the epoch) while the module ran.
  returned: always
  type: float
clock_offset:
  description: The node's clock minus the clock of the machine running Ansible, in seconds (set by the action plugin).
  returned: always
  type: float
clock_uncertainty:
  description: Half the time the call took; the true offset lies within clock_offset plus or minus this.
  returned: always
  type: float
kernel:
  description: Kernel release.
  returned: always
  type: str
boot_time:
  description: When the kernel booted (btime from /proc/stat); containers show their host's.
  returned: always
  type: int
memory:
  description:
    - total_mb and available_mb (from /proc/meminfo), cgroup_limit_mb and cgroup_used_mb (resident plus shared memory
      of the node's own cgroup; null where not readable).
  returned: always
  type: dict
disk:
  description: path, free_mb and total_mb of the file system holding O(disk_path).
  returned: always
  type: dict
listening:
  description: Listening sockets, each port, protocol (tcp, udp) and process.
  returned: always
  type: list
  elements: dict
resolved:
  description: For each of O(names), the IPv4 addresses it resolves to (empty when it does not resolve).
  returned: always
  type: dict
hosts_entries:
  description: Lines of /etc/hosts, each address, names and managed (inside the hosts role's block).
  returned: always
  type: list
  elements: dict
nsswitch_hosts:
  description: The sources of the hosts line in /etc/nsswitch.conf, in order.
  returned: always
  type: list
  elements: str
ifupdown_foreign:
  description: Interfaces that /etc/network/interfaces or files in interfaces.d not written by the network role configure.
  returned: always
  type: list
  elements: str
firewall_units:
  description: Enabled services among ufw, netfilter-persistent, iptables, ip6tables, nftables and ebtables.
  returned: always
  type: list
  elements: str
kvm:
  description: device (/dev/kvm exists) and cpu_flag (the CPU shows vmx or svm).
  returned: always
  type: dict
ovs:
  description:
    - "What tells whether Open vSwitch's kernel datapath works here: loaded (/sys/module/openvswitch), module (the
      running kernel ships openvswitch.ko or has it built in), and tested (the answer the role's real test,
      M(gureum.openstack.ovs_datapath), cached for this boot: true, false, or null when it has not run)."
  returned: always
  type: dict
block:
  description:
    - device_mapper (whether the kernel's device-mapper, which LVM needs, is there, as /sys/class/misc/device-mapper
      or /dev/mapper/control) and devices (each of O(devices) -> block, missing or other).
  returned: always
  type: dict
"""

import glob
import json
import os
import platform
import re
import socket
import stat
import time

from ansible.module_utils.basic import AnsibleModule

MARKER = 'gureum.openstack network role'
HOSTS_BLOCK = ('# BEGIN gureum.openstack hosts', '# END gureum.openstack hosts')
FIREWALL_UNITS = ('ufw', 'netfilter-persistent', 'iptables', 'ip6tables', 'nftables', 'ebtables')


def read(path, default=''):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return default


def meminfo():
    values = {}
    for line in read('/proc/meminfo').splitlines():
        key, sep, rest = line.partition(':')
        if sep and rest.split():
            values[key] = int(rest.split()[0]) // 1024
    return values


def cgroup_memory():
    """Limit and resident use of this node's own memory cgroup (v2 or v1), in MiB, or None each."""
    limit = used = None
    v2 = '/sys/fs/cgroup/memory.max'
    if os.path.exists(v2):
        text = read(v2).strip()
        limit = None if text in ('', 'max') else int(text) // 1048576
        stat = dict(line.split() for line in read('/sys/fs/cgroup/memory.stat').splitlines() if len(line.split()) == 2)
        if stat:
            used = (int(stat.get('anon', 0)) + int(stat.get('shmem', 0))) // 1048576
        return limit, used
    base = '/sys/fs/cgroup/memory'
    if os.path.isdir(base):
        text = read(os.path.join(base, 'memory.limit_in_bytes')).strip()
        if text and int(text) < 1 << 60:
            limit = int(text) // 1048576
        stat = dict(line.split() for line in read(os.path.join(base, 'memory.stat')).splitlines()
                    if len(line.split()) == 2)
        if stat:
            used = (int(stat.get('total_rss', stat.get('rss', 0))) + int(stat.get('total_shmem', stat.get('shmem', 0)))) \
                // 1048576
    return limit, used


def disk(path):
    while not os.path.exists(path) and path != '/':
        path = os.path.dirname(path)
    st = os.statvfs(path)
    return {'path': path, 'free_mb': st.f_bavail * st.f_frsize // 1048576, 'total_mb': st.f_blocks * st.f_frsize // 1048576}


def listening(module):
    ss = module.get_bin_path('ss')
    if not ss:
        module.warn('ss (iproute2) is missing: the ports check sees no listeners.')
        return []
    rc, out, err = module.run_command([ss, '-H', '-l', '-n', '-t', '-u', '-p'])
    if rc != 0:
        module.warn('ss failed (%s): the ports check sees no listeners.' % (err or out).strip())
        return []
    found = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 5:
            continue
        port = fields[4].rsplit(':', 1)[-1]
        if not port.isdigit():
            continue
        process = re.search(r'\(\("([^"]+)"', line)
        found.append({'protocol': fields[0], 'port': int(port), 'process': process.group(1) if process else ''})
    return found


def resolve(names):
    result = {}
    for name in names:
        try:
            infos = socket.getaddrinfo(name, None, socket.AF_INET, socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            infos = []
        addresses = []
        for info in infos:
            if info[4][0] not in addresses:
                addresses.append(info[4][0])
        result[name] = addresses
    return result


def hosts_entries():
    entries, managed = [], False
    for line in read('/etc/hosts').splitlines():
        stripped = line.strip()
        if stripped == HOSTS_BLOCK[0]:
            managed = True
            continue
        if stripped == HOSTS_BLOCK[1]:
            managed = False
            continue
        fields = stripped.split('#', 1)[0].split()
        if len(fields) >= 2:
            entries.append({'address': fields[0], 'names': fields[1:], 'managed': managed})
    return entries


def nsswitch_hosts():
    for line in read('/etc/nsswitch.conf').splitlines():
        key, sep, rest = line.partition(':')
        if sep and key.strip() == 'hosts':
            return re.sub(r'\[[^\]]*\]', ' ', rest.split('#', 1)[0]).split()
    return ['files', 'dns']


def ifupdown_foreign():
    names = set()
    files = ['/etc/network/interfaces'] + sorted(glob.glob('/etc/network/interfaces.d/*'))
    for path in files:
        text = read(path)
        if MARKER in text:
            continue
        for match in re.finditer(r'(?m)^\s*(?:iface|auto|allow-\S+)\s+([^\s#]+)', text):
            for name in match.group(1).split():
                if name != 'lo':
                    names.add(name)
    return sorted(names)


def firewall_units(module):
    systemctl = module.get_bin_path('systemctl')
    if not systemctl:
        return []
    enabled = []
    for unit in FIREWALL_UNITS:
        rc, out, err = module.run_command([systemctl, 'is-enabled', unit + '.service'])
        if out.strip() in ('enabled', 'enabled-runtime'):
            enabled.append(unit)
    return enabled


def kvm():
    flags = set()
    for line in read('/proc/cpuinfo').splitlines():
        if line.startswith('flags'):
            flags.update(line.partition(':')[2].split())
            break
    return {'device': os.path.exists('/dev/kvm'), 'cpu_flag': bool(flags & set(['vmx', 'svm']))}


def ovs(cache='/var/lib/gureum/ovs_datapath.json'):
    """Whether the kernel datapath of Open vSwitch is there: loaded, shipped as a module, or known from the real test."""
    release = platform.release()
    base = '/lib/modules/%s' % release
    shipped = bool(glob.glob(base + '/kernel/net/openvswitch/openvswitch.ko*')) or \
        'openvswitch.ko' in read(base + '/modules.builtin')
    tested = None
    text = read(cache)
    if text:
        try:
            cached = json.loads(text)
        except ValueError:
            cached = {}
        boot_id = read('/proc/sys/kernel/random/boot_id').strip()
        if cached.get('key') == '%s %s' % (release, boot_id) and isinstance(cached.get('kernel_datapath'), bool):
            tested = cached['kernel_datapath']
    return {'loaded': os.path.exists('/sys/module/openvswitch'), 'module': shipped, 'tested': tested}


def block(devices):
    found = {}
    for path in devices:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            found[path] = 'missing'
            continue
        found[path] = 'block' if stat.S_ISBLK(mode) else 'other'
    return {'device_mapper': os.path.exists('/sys/class/misc/device-mapper') or os.path.exists('/dev/mapper/control'),
            'devices': found}


def boot_time():
    match = re.search(r'(?m)^btime\s+(\d+)', read('/proc/stat'))
    return int(match.group(1)) if match else 0


def main():
    module = AnsibleModule(argument_spec=dict(names=dict(type='list', elements='str', default=[]),
                                              disk_path=dict(type='path', default='/var/lib'),
                                              devices=dict(type='list', elements='path', default=[])),
                           supports_check_mode=True)
    now = time.time()
    info = meminfo()
    limit, used = cgroup_memory()
    module.exit_json(
        changed=False,
        time=now,
        kernel=platform.release(),
        boot_time=boot_time(),
        memory={'total_mb': info.get('MemTotal', 0), 'available_mb': info.get('MemAvailable', 0),
                'cgroup_limit_mb': limit, 'cgroup_used_mb': used},
        disk=disk(module.params['disk_path']),
        listening=listening(module),
        resolved=resolve(module.params['names']),
        hosts_entries=hosts_entries(),
        nsswitch_hosts=nsswitch_hosts(),
        ifupdown_foreign=ifupdown_foreign(),
        firewall_units=firewall_units(module),
        kvm=kvm(),
        ovs=ovs(),
        block=block(module.params['devices']),
    )


if __name__ == '__main__':
    main()
