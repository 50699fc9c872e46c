# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Filters for Ceph's clients and daemons; documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.errors import AnsibleFilterError

CLIENT_RE = re.compile(r'^(client\.)?([a-z0-9][a-z0-9_.-]*)$')


def ceph_mon_host(addresses, msgr2_port=3300, msgr1_port=6789):
    """Ceph's mon_host value for monitor ``addresses``: an address without a port gets both protocols
    ([v2:a:3300,v1:a:6789]); one given with its port or address vector (an external Ceph's) is kept as given."""
    if isinstance(addresses, str) or not isinstance(addresses, (list, tuple)) or not addresses:
        raise AnsibleFilterError('ceph_mon_host: expects the monitors\' addresses as a non-empty list, got %r.'
                                 % (addresses,))
    parts = []
    for address in addresses:
        address = ('%s' % address).strip()
        if not address:
            raise AnsibleFilterError('ceph_mon_host: a monitor address is empty.')
        if address.startswith('[') or address.startswith(('v1:', 'v2:')) or address.count(':') == 1:
            parts.append(address)
        else:
            parts.append('[v2:%s:%d,v1:%s:%d]' % (address, int(msgr2_port), address, int(msgr1_port)))
    return ','.join(parts)


def ceph_client_files(fsid, mon_addresses, name, key, group, units=None, msgr2_port=3300, msgr1_port=6789,
                      cluster='ceph'):
    """The files a Ceph client reads, as openstack_service file entries: <cluster>.conf (the cluster's fsid and
    monitors, readable by all) and the client's keyring (mode 0640, root and ``group``)."""
    if not isinstance(fsid, str) or not fsid:
        raise AnsibleFilterError('ceph_client_files: expects the cluster\'s fsid (the secret ceph_fsid), got %r.'
                                 % (fsid,))
    match = CLIENT_RE.match('%s' % name)
    if not match:
        raise AnsibleFilterError("ceph_client_files: the client name %r is not a Ceph client name such as cinder or "
                                 "client.cinder." % (name,))
    if not isinstance(key, str) or not key:
        raise AnsibleFilterError("ceph_client_files: client.%s has no key; put it in the secrets file (an external "
                                 "Ceph's: ceph auth get-key client.%s)." % (match.group(2), match.group(2)))
    if not isinstance(group, str) or not group:
        raise AnsibleFilterError('ceph_client_files: expects the group that reads the keyring (the service\'s), got '
                                 '%r.' % (group,))
    entity = 'client.%s' % match.group(2)
    conf = ('[global]\nfsid = %s\nmon_host = %s\n' % (fsid, ceph_mon_host(mon_addresses, msgr2_port, msgr1_port)))
    files = [
        {'path': '/etc/ceph/%s.conf' % cluster, 'content': conf, 'owner': 'root', 'group': 'root', 'mode': '0644'},
        {'path': '/etc/ceph/%s.%s.keyring' % (cluster, entity), 'content': '[%s]\n\tkey = %s\n' % (entity, key),
         'owner': 'root', 'group': group, 'mode': '0640'},
    ]
    if units is not None:
        for item in files:
            item['units'] = list(units)
    return files


class FilterModule(object):
    def filters(self):
        return {'ceph_client_files': ceph_client_files, 'ceph_mon_host': ceph_mon_host}
