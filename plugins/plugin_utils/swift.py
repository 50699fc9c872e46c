# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Swift's devices as data: what each storage node offers, checked, and the rings' device list built from it.

A storage node's devices (its host variable swift_devices) are a list of {name, device, weight, zone, region}:
  name    the directory under the servers' devices path (/srv/node/<name>) and the device's name in the rings;
  device  a block device (/dev/sdb) the swift role formats (only when it holds no filesystem) and mounts there; left
          out, <name> is a plain directory on the node's own filesystem (a lab, a test);
  weight  its share of the partitions (default 100, e.g. its size in GB);
  zone    its failure domain (default the node's swift_zone, else 1); region its region (default 1).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$')
FIELDS = ('name', 'device', 'weight', 'zone', 'region')


class SwiftError(Exception):
    """Bad device data; the message says how to fix it."""


def _positive_int(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit() or int(value) < 1:
        raise SwiftError('%s must be a whole number of at least 1, got %r.' % (what, value))
    return int(value)


def node_devices(host, devices, zone=1):
    """One node's devices with their defaults filled in: [{name, device, weight, zone, region}]."""
    where = "%s: swift_devices" % host
    if not isinstance(devices, (list, tuple)) or not devices:
        raise SwiftError('%s must be a list of devices, each {name, device, weight, zone}, with at least one; got %r.'
                         % (where, devices))
    result, seen = [], set()
    for item in devices:
        if not isinstance(item, dict) or not isinstance(item.get('name'), str) or not NAME_RE.match(item['name']):
            raise SwiftError('%s: each device needs a name (letters, digits, _ . -: its directory under /srv/node), '
                             'got %r.' % (where, item))
        name = item['name']
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            raise SwiftError("%s: device '%s' has unknown field(s) %s; the fields are %s."
                             % (where, name, ', '.join(unknown), ', '.join(FIELDS)))
        if name in seen:
            raise SwiftError("%s names device '%s' twice." % (where, name))
        seen.add(name)
        device = item.get('device')
        if device is not None and not (isinstance(device, str) and device.startswith('/dev/')):
            raise SwiftError("%s: device '%s' has device %r; give a block device such as /dev/sdb, or leave it out "
                             "for a plain directory." % (where, name, device))
        weight = item.get('weight', 100)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise SwiftError("%s: device '%s' needs a weight above 0, got %r." % (where, name, weight))
        result.append({'name': name, 'device': device, 'weight': float(weight),
                       'zone': _positive_int(item.get('zone', zone), "%s: device '%s' zone" % (where, name)),
                       'region': _positive_int(item.get('region', 1), "%s: device '%s' region" % (where, name))})
    return result


def ring_devices(addresses, devices, zones=None, hosts=None):
    """The devices every ring holds, from the storage nodes' management ``addresses``, each node's ``devices`` and
    its ``zones`` (default 1): [{ip, device, weight, zone, region}], in the nodes' order."""
    if not isinstance(addresses, (list, tuple)) or not isinstance(devices, (list, tuple)) \
            or len(addresses) != len(devices):
        raise SwiftError('expects the storage nodes\' addresses and, for each, its devices (two lists of one length).')
    zones = list(zones) if zones is not None else [1] * len(addresses)
    hosts = list(hosts) if hosts is not None else list(addresses)
    if len(set(addresses)) != len(addresses):
        raise SwiftError('two storage nodes share the management address %s.'
                         % sorted(a for a in addresses if list(addresses).count(a) > 1)[0])
    result = []
    for address, node, zone, host in zip(addresses, devices, zones, hosts):
        if not isinstance(address, str) or not address:
            raise SwiftError('%s has no management_address.' % host)
        for item in node_devices(host, node, zone):
            result.append({'ip': address, 'device': item['name'], 'weight': item['weight'], 'zone': item['zone'],
                           'region': item['region']})
    return result


def replicas(wanted, device_count):
    """The replica count a ring gets: ``wanted``, or the number of devices when there are fewer (a ring cannot keep
    more copies than it has devices)."""
    wanted = _positive_int(wanted, 'swift_ring_replicas')
    if not isinstance(device_count, int) or device_count < 1:
        raise SwiftError('the rings need at least one device: give the storage nodes swift_devices.')
    return min(wanted, device_count)
