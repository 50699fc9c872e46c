# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Network filters; documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.gureum.openstack.plugins.plugin_utils import network_layout


def network_interfaces(management, provider=None, routes=None, macs=None, manage_management=True, amphora=None):
    """The interfaces a node configures (see module_utils/network_layout.py)."""
    if not isinstance(management, dict):
        raise AnsibleFilterError('network_interfaces: expects the management interface as a dictionary, got %r.'
                                 % (management,))
    try:
        return network_layout.layout(management, provider, routes, macs, manage_management, amphora)
    except network_layout.LayoutError as exc:
        raise AnsibleFilterError('network_interfaces: %s' % exc)


def amphora_pool(cidr):
    """The amphorae's allocation pool in the amphora network: {start, end} (see module_utils/network_layout.py)."""
    try:
        first, last = network_layout.amphora_pool(cidr)
    except network_layout.LayoutError as exc:
        raise AnsibleFilterError('amphora_pool: %s' % exc)
    return {'start': u'%s' % first, 'end': u'%s' % last}


class FilterModule(object):
    def filters(self):
        return {'network_interfaces': network_interfaces, 'amphora_pool': amphora_pool}
