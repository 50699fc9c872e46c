#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: swift_ring
short_description: Swift's rings built from data, changed and rebalanced only when the devices change
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - For each ring of O(rings) (account, container, object), makes C(<builder_dir>/<name>.builder) with
    C(swift-ring-builder create) when it does not exist, then compares the devices the builder holds (read from
    C(swift-ring-builder <builder>)) with O(devices) on the ring's port.
  - A device (address, port, name) the builder lacks is added; one it holds but O(devices) does not name is removed
    (marked for removal, gone at the rebalance); one whose weight differs is given the new weight; one whose region or
    zone differs is removed and added again. A changed replica count or C(min_part_hours) is set.
  - The ring is rebalanced, writing C(<name>.ring.gz), only when something changed or the builder says its ring file
    is obsolete or missing. A builder whose partition power differs from O(part_power) is refused, since the partition
    power of a ring in use cannot change this way.
  - C(changed) is true when a builder or ring file is different afterwards (a rebalance that could move no partition,
    because C(min_part_hours) has not passed, changes nothing).
options:
  builder_dir:
    description: Directory of the builder and ring files.
    type: path
    default: /etc/swift
  rings:
    description: The rings, each C(name) (its builder is C(<name>.builder)) and C(port), the port its servers listen on.
    type: list
    elements: dict
    required: true
  devices:
    description:
      - The devices every ring holds (each on the ring's port), each C(ip), C(device) (the name of its directory under
        the servers' C(devices) path), C(weight) (default 100), C(zone) (default 1) and C(region) (default 1).
    type: list
    elements: dict
    required: true
  part_power:
    description: Partition power of a new ring (2 ** part_power partitions); an existing ring must have it.
    type: int
    required: true
  replicas:
    description: Copies of each object; at most the number of devices.
    type: float
    required: true
  min_part_hours:
    description: Hours before a partition may move again.
    type: int
    default: 1
  command:
    description: The ring builder program.
    type: str
    default: swift-ring-builder
requirements:
  - swift-ring-builder (the C(swift) package on Debian, C(openstack-swift) on the RHEL family).
attributes:
  check_mode:
    description: Reports the commands it would run and runs only the read-only ones.
    support: full
  diff_mode:
    description: Shows no diff; the commands are in the result.
    support: none
"""

EXAMPLES = r"""
- name: Build the rings
  gureum.openstack.swift_ring:
    rings:
      - {name: account, port: 6202}
      - {name: container, port: 6201}
      - {name: object, port: 6200}
    devices:
      - {ip: 10.0.0.41, device: d1, weight: 100, zone: 1}
    part_power: 10
    replicas: 1
  run_once: true
"""

RETURN = r"""
rings:
  description: For each ring, the commands run (or that would run in check mode) and whether it was rebalanced.
  returned: always
  type: dict
  sample:
    object:
      commands: [["add", "--region", "1", "--zone", "1", "--ip", "10.0.0.41", "--port", "6200", "--device", "d1",
                  "--weight", "100.0"], ["rebalance"]]
      rebalanced: true
"""

import hashlib
import math
import os
import re

from ansible.module_utils.basic import AnsibleModule

HEADER_RE = re.compile(r'^(?P<partitions>\d+) partitions, (?P<replicas>[\d.]+) replicas, ')
HOURS_RE = re.compile(r'^The minimum number of hours before a partition can be reassigned is (?P<hours>\d+)')
RING_FILE_RE = re.compile(r'^Ring file \S+ (?P<state>is up-to-date|is obsolete|not found)')
DEVICE_RE = re.compile(r'^\s*(?P<id>\d+)\s+(?P<region>\d+)\s+(?P<zone>\d+)\s+(?P<address>\S+)\s+(?P<repl>\S+)'
                       r'\s+(?P<device>\S+)\s+(?P<weight>[\d.]+)\s+(?P<partitions>\d+)\s+(?P<balance>-?[\d.]+)'
                       r'(?P<rest>.*)$')
RING_FILE_STATES = {'is up-to-date': 'current', 'is obsolete': 'obsolete', 'not found': 'missing'}


class RingError(Exception):
    """The builder's report cannot be read, or the wanted ring cannot be had; the message says why."""


def _address(text):
    """(ip, port) of '10.0.0.41:6200' or '[fd00::41]:6200'."""
    host, sep, port = text.rpartition(':')
    if not sep or not port.isdigit():
        raise RingError('cannot read the address %r' % text)
    return host.strip('[]'), int(port)


def parse_builder(text):
    """What ``swift-ring-builder <builder>`` reports: partition power, replicas, min_part_hours, the ring file's state
    (current, obsolete, missing) and the devices, each id, region, zone, ip, port, device, weight, partitions and
    whether it is marked for removal."""
    result = {'devices': []}
    in_devices = False
    for line in text.splitlines():
        header = HEADER_RE.match(line)
        if header:
            partitions = int(header.group('partitions'))
            result['part_power'] = int(round(math.log(partitions, 2))) if partitions else 0
            result['replicas'] = float(header.group('replicas'))
            continue
        hours = HOURS_RE.match(line)
        if hours:
            result['min_part_hours'] = int(hours.group('hours'))
            continue
        ring_file = RING_FILE_RE.match(line)
        if ring_file:
            result['ring_file'] = RING_FILE_STATES[ring_file.group('state')]
            continue
        if line.startswith('Devices:'):
            in_devices = True
            continue
        if in_devices:
            device = DEVICE_RE.match(line)
            if not device:
                continue
            ip, port = _address(device.group('address'))
            result['devices'].append({
                'id': int(device.group('id')), 'region': int(device.group('region')),
                'zone': int(device.group('zone')), 'ip': ip, 'port': port, 'device': device.group('device'),
                'weight': float(device.group('weight')), 'partitions': int(device.group('partitions')),
                'removing': 'DEL' in device.group('rest').split(),
            })
    missing = [key for key in ('part_power', 'replicas', 'min_part_hours', 'ring_file') if key not in result]
    if missing:
        raise RingError('the ring builder\'s report lacks %s:\n%s' % (', '.join(missing), text))
    return result


def wanted_devices(devices, port):
    """The devices of one ring: O(devices) on its port, with their defaults, keyed by (ip, port, device)."""
    result = {}
    for item in devices:
        if not item.get('ip') or not item.get('device'):
            raise RingError('each device needs ip and device, got %r' % (item,))
        key = (str(item['ip']).strip('[]'), int(port), str(item['device']))
        if key in result:
            raise RingError('device %s on %s is named twice' % (key[2], key[0]))
        result[key] = {'ip': key[0], 'port': key[1], 'device': key[2],
                       'weight': float(item.get('weight', 100)), 'zone': int(item.get('zone', 1)),
                       'region': int(item.get('region', 1))}
    return result


def _add(device):
    return ['add', '--region', str(device['region']), '--zone', str(device['zone']), '--ip', device['ip'],
            '--port', str(device['port']), '--device', device['device'], '--weight', str(device['weight'])]


def plan(current, devices, part_power, replicas, min_part_hours):
    """The builder commands that make ``current`` (parse_builder's, or None for no builder yet) hold ``devices``
    (wanted_devices'), and whether the ring must then be rebalanced."""
    if not devices:
        raise RingError('no devices: a ring needs at least one device.')
    commands = []
    if current is None:
        commands.append(['create', str(part_power), str(replicas), str(min_part_hours)])
        current = {'part_power': part_power, 'replicas': float(replicas), 'min_part_hours': min_part_hours,
                   'ring_file': 'missing', 'devices': []}
    elif current['part_power'] != part_power:
        raise RingError('the ring has partition power %d, not %d: the partition power of a ring in use cannot be '
                        'changed by building it again; set it back to %d.'
                        % (current['part_power'], part_power, current['part_power']))
    held = dict(((d['ip'], d['port'], d['device']), d) for d in current['devices'] if not d['removing'])
    for key in sorted(set(held) - set(devices)):
        commands.append(['remove', 'd%d' % held[key]['id']])
    for key in sorted(devices):
        want, have = devices[key], held.get(key)
        if have is None:
            commands.append(_add(want))
        elif (have['region'], have['zone']) != (want['region'], want['zone']):
            commands.append(['remove', 'd%d' % have['id']])
            commands.append(_add(want))
        elif have['weight'] != want['weight']:
            commands.append(['set_weight', 'd%d' % have['id'], str(want['weight'])])
    if current['replicas'] != float(replicas):
        commands.append(['set_replicas', str(replicas)])
    if current['min_part_hours'] != min_part_hours:
        commands.append(['set_min_part_hours', str(min_part_hours)])
    if len(devices) < replicas:
        raise RingError('%s replicas need at least as many devices, and the ring has %d.' % (replicas, len(devices)))
    return commands, bool(commands) or current['ring_file'] != 'current'


def _digest(path):
    if not os.path.exists(path):
        return None
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(65536), b''):
            digest.update(block)
    return digest.hexdigest()


def _run(module, argv, ok=(0,)):
    rc, out, err = module.run_command(argv)
    if rc not in ok:
        raise RingError('%s failed (exit %d): %s' % (' '.join(argv), rc, (err or out).strip()))
    return out


def converge(module, ring, params):
    """Bring one ring to the wanted devices; returns (changed, report)."""
    builder = os.path.join(params['builder_dir'], '%s.builder' % ring['name'])
    ring_file = os.path.join(params['builder_dir'], '%s.ring.gz' % ring['name'])
    tool = params['command']
    before = (_digest(builder), _digest(ring_file))
    current = parse_builder(_run(module, [tool, builder])) if os.path.exists(builder) else None
    devices = wanted_devices(params['devices'], ring['port'])
    commands, rebalance = plan(current, devices, params['part_power'], params['replicas'], params['min_part_hours'])
    if rebalance:
        commands.append(['rebalance'])
    report = {'commands': commands, 'rebalanced': rebalance}
    if module.check_mode:
        return bool(commands), report
    for argv in commands:
        # rebalance: 1 is a warning (the balance is not yet even, or no partition could move yet)
        _run(module, [tool, builder] + argv, ok=(0, 1) if argv == ['rebalance'] else (0,))
    if not os.path.exists(ring_file):
        _run(module, [tool, builder, 'write_ring'])
    return (_digest(builder), _digest(ring_file)) != before, report


def main():
    module = AnsibleModule(
        argument_spec=dict(
            builder_dir=dict(type='path', default='/etc/swift'),
            rings=dict(type='list', elements='dict', required=True),
            devices=dict(type='list', elements='dict', required=True),
            part_power=dict(type='int', required=True),
            replicas=dict(type='float', required=True),
            min_part_hours=dict(type='int', default=1),
            command=dict(type='str', default='swift-ring-builder'),
        ),
        supports_check_mode=True,
    )
    params = dict(module.params)
    if params['replicas'] == int(params['replicas']):
        params['replicas'] = int(params['replicas'])
    changed, rings = False, {}
    try:
        for ring in params['rings']:
            if not ring.get('name') or not ring.get('port'):
                raise RingError('each ring needs name and port, got %r' % (ring,))
            ring_changed, rings[ring['name']] = converge(module, ring, params)
            changed = changed or ring_changed
    except RingError as exc:
        module.fail_json(msg='swift_ring: %s' % exc, rings=rings)
    module.exit_json(changed=changed, rings=rings)


if __name__ == '__main__':
    main()
