# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Validate a lab topology and name everything the lab creates on the host.

Pure functions only: every check here runs before anything is created, and
every name the lab uses (namespaces, links, cgroups, nft table) comes from here
so that teardown removes exactly what setup made.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import zlib

LAB_NAME_RE = re.compile(r'^[a-z][a-z0-9]{0,7}$')
NODE_NAME_RE = re.compile(r'^[a-z][a-z0-9-]{0,10}[a-z0-9]$|^[a-z]$')
# amphora: Octavia's management network (lb-mgmt-net), a third NIC on every node
NETWORK_ROLES = ('management', 'provider', 'amphora')
# The Debian mirror's address lies in TEST-NET-3 on these machines: a bridge there cuts everyone off.
FORBIDDEN_NETWORKS = (ipaddress.ip_network(u'203.0.113.0/24'),)


class TopologyError(Exception):
    """The lab description is wrong; the message says how to fix it."""


def _network(name, spec):
    if not isinstance(spec, dict) or not spec.get('cidr'):
        raise TopologyError("lab network '%s' needs a 'cidr' (for example 10.0.0.0/24)." % name)
    try:
        net = ipaddress.ip_network(u'%s' % spec['cidr'], strict=True)
    except ValueError as exc:
        raise TopologyError("lab network '%s': cidr %r is not a network address (%s)." % (name, spec['cidr'], exc))
    if net.version != 4:
        raise TopologyError("lab network '%s': only IPv4 networks are supported, got %s." % (name, net))
    if net.prefixlen > 29:
        raise TopologyError("lab network '%s': %s is too small; use a /29 or larger." % (name, net))
    for bad in FORBIDDEN_NETWORKS:
        if net.overlaps(bad):
            raise TopologyError(
                "lab network '%s': %s overlaps %s, where this machine's package mirror lives; "
                "use another range (198.51.100.0/24 for the provider network)." % (name, net, bad))
    gateway = spec.get('gateway') or str(next(net.hosts()))
    gateway_ip = _address_in(name + ' gateway', gateway, net)
    return {'name': name, 'cidr': str(net), 'prefix': net.prefixlen, 'gateway': str(gateway_ip),
            'bridge': 'br-' + ('mgmt' if name == 'management' else name)}


def _address_in(what, address, net):
    try:
        ip = ipaddress.ip_address(u'%s' % address)
    except ValueError:
        raise TopologyError("%s: %r is not an IPv4 address." % (what, address))
    if ip not in net or ip in (net.network_address, net.broadcast_address):
        raise TopologyError("%s: %s is outside the usable range of %s; pick a host address inside it."
                            % (what, ip, net))
    return ip


def validate(lab_name, networks, nodes):
    """Return a normalised topology or raise TopologyError with a fix-it sentence."""
    if not LAB_NAME_RE.match(lab_name or ''):
        raise TopologyError("lab name %r must be 1-8 lowercase letters or digits, starting with a letter "
                            "(it becomes part of interface names, which Linux limits to 15 characters)." % lab_name)
    if not isinstance(networks, dict) or 'management' not in networks:
        raise TopologyError("the lab needs a 'management' network (for example {cidr: 10.0.0.0/24}).")
    unknown = sorted(set(networks) - set(NETWORK_ROLES))
    if unknown:
        raise TopologyError("unknown lab network(s) %s; the lab knows %s." % (', '.join(unknown), ', '.join(NETWORK_ROLES)))
    nets = dict((name, _network(name, spec)) for name, spec in networks.items())
    if 'amphora' in nets and nets['amphora']['prefix'] > 25:
        raise TopologyError("lab network 'amphora': %s is too small for the amphorae's pool (from its 100th host "
                            "address to the last but one); use a /25 or larger, like 172.31.0.0/24."
                            % nets['amphora']['cidr'])
    names = sorted(nets)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            if ipaddress.ip_network(u'%s' % nets[first]['cidr']).overlaps(ipaddress.ip_network(u'%s' % nets[second]['cidr'])):
                raise TopologyError("lab networks '%s' (%s) and '%s' (%s) overlap; give each its own range."
                                    % (first, nets[first]['cidr'], second, nets[second]['cidr']))
    if not nodes:
        raise TopologyError("the lab has no nodes; list at least one under lab_nodes.")
    mgmt = ipaddress.ip_network(u'%s' % nets['management']['cidr'])
    seen_names, seen_addresses = set(), {nets['management']['gateway']: 'the management gateway'}
    result = []
    for node in nodes:
        name = node.get('name') if isinstance(node, dict) else None
        if not name or not NODE_NAME_RE.match(name):
            raise TopologyError("node name %r must be a lowercase host name of at most 12 characters "
                                "(letters, digits, '-')." % (name,))
        if name in seen_names:
            raise TopologyError("node name '%s' is listed twice; node names must be unique." % name)
        seen_names.add(name)
        if not node.get('address'):
            raise TopologyError("node '%s' has no management address; add address: <ip in %s>." % (name, mgmt))
        address = str(_address_in("node '%s' address" % name, node['address'], mgmt))
        if address in seen_addresses:
            raise TopologyError("node '%s' address %s is already used by %s." % (name, address, seen_addresses[address]))
        seen_addresses[address] = "node '%s'" % name
        groups = node.get('groups') or []
        if isinstance(groups, str):
            groups = [groups]
        entry = {'name': name, 'address': address, 'groups': list(groups),
                 'provider': bool(node.get('provider', 'provider' in nets)),
                 'amphora': bool(node.get('amphora', 'amphora' in nets)) and 'amphora' in nets,
                 'amphora_address': None}
        if entry['amphora']:
            entry['amphora_address'] = _same_host(address, mgmt, nets['amphora'])
            if entry['amphora_address'] is None and 'controller' in entry['groups']:
                raise TopologyError(
                    "controller '%s' needs an address on the amphora network with the host number of its management "
                    "address %s, below the amphorae's pool (from the 100th host address of %s on): give it a "
                    "management address with a host number from 2 to 99." % (name, address, nets['amphora']['cidr']))
        result.append(entry)
    return {'name': lab_name, 'networks': nets, 'nodes': result}


def _same_host(address, mgmt, amphora):
    """The node's address on the amphora network: the host number of its management address (10.0.0.11 ->
    172.31.0.11), or None where that is no free host address below the amphorae's pool (from the 100th on)."""
    net = ipaddress.ip_network(u'%s' % amphora['cidr'])
    number = int(ipaddress.ip_address(u'%s' % address)) - int(mgmt.network_address)
    if not 0 < number < min(100, net.num_addresses - 1):
        return None
    ip = ipaddress.ip_address(int(net.network_address) + number)
    if str(ip) == amphora['gateway']:
        return None
    return str(ip)


def uplink(lab_name, taken=()):
    """The /30 that joins the host and the lab namespace.

    Starts from a slot derived from the lab name and moves on past slots that overlap ``taken``
    (networks the host already routes, e.g. another lab's uplink).
    """
    start = zlib.crc32(lab_name.encode('utf-8')) % 250
    taken = [ipaddress.ip_network(u'%s' % net) for net in taken]
    for offset in range(250):
        third = 1 + (start + offset) % 250
        candidate = ipaddress.ip_network(u'169.254.%d.0/30' % third)
        if not any(candidate.overlaps(net) for net in taken):
            return {'network': str(candidate), 'host': '169.254.%d.1' % third, 'lab': '169.254.%d.2' % third}
    raise TopologyError('no free /30 left in 169.254.1.0-169.254.250.0 for the uplink of lab %r.' % lab_name)


def names(lab_name):
    """Every host-side name the lab uses, derived from the lab name alone."""
    return {
        'netns': 'gureum-%s' % lab_name,
        'host_link': 'gl-%s' % lab_name,
        'lab_link': 'uplink',
        'nft_table': 'gureum_lab_%s' % lab_name,
        'cgroup': 'gureum-lab/%s' % lab_name,
    }


def node_names(lab_name, node_name):
    return {
        'netns': 'gureum-%s-%s' % (lab_name, node_name),
        # host-side ends of the node's veth pairs, by network
        'links': {'management': '%s-e0' % node_name, 'provider': '%s-e1' % node_name,
                  'amphora': '%s-e2' % node_name},
        'cgroup': 'gureum-lab/%s/%s' % (lab_name, node_name),
    }
