# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Swift filters; documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from ansible.errors import AnsibleFilterError
from ansible_collections.gureum.openstack.plugins.plugin_utils import swift


def _wrap(name, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except swift.SwiftError as exc:
            raise AnsibleFilterError('%s: %s' % (name, exc))
    return wrapper


def swift_node_devices(devices, host, zone=1):
    return swift.node_devices(host, devices, zone)


def swift_ring_devices(addresses, devices, zones=None, hosts=None):
    return swift.ring_devices(list(addresses), list(devices), zones, hosts)


def swift_replicas(device_count, wanted=3):
    return swift.replicas(wanted, device_count)


class FilterModule(object):
    def filters(self):
        return {
            'swift_node_devices': _wrap('swift_node_devices', swift_node_devices),
            'swift_ring_devices': _wrap('swift_ring_devices', swift_ring_devices),
            'swift_replicas': _wrap('swift_replicas', swift_replicas),
        }
