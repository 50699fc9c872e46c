# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""A node's interfaces from inventory data: the management interface, the provider bridge and its port, the
amphora network's NIC (and its bridge).

The network role renders the result with one template per OS family (ifupdown2 stanzas on Debian,
ifcfg files on the RHEL family), so both describe the same layout:

  management interface   the management address, its gateway (the default route), MTU, routes
  provider bridge        br-ex, linux or ovs; its port is the provider interface; it takes the
                         port's MAC address (neighbours keep their ARP entries) and, when the
                         provider interface is also the management interface (a single NIC),
                         the management address and gateway move to the bridge.
  amphora NIC            Octavia's management network (lb-mgmt-net), a NIC of its own: a plain address
                         (no gateway) on a controller; the port of an Open vSwitch bridge (br-amphora)
                         where the openvswitch agent maps it; up without an address where the
                         linuxbridge agent bridges it itself (brq<network>).

Everything is checked here, so a bad inventory fails with a sentence before any file is written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

BRIDGE_TYPES = ('linux', 'ovs')
IFNAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}$')


class LayoutError(Exception):
    """Bad inventory data; the message says what to fix."""


def _text(value):
    return u'%s' % (value,)


def _network(cidr, what):
    try:
        return ipaddress.ip_network(_text(cidr), strict=True)
    except ValueError as exc:
        raise LayoutError('%s %r is not a network in CIDR notation (%s); write it like 10.0.0.0/24.' % (what, cidr, exc))


def _address(address, network, what):
    try:
        ip = ipaddress.ip_address(_text(address))
    except ValueError:
        raise LayoutError('%s %r is not an IP address.' % (what, address))
    if ip not in network:
        raise LayoutError('%s %s is outside its network %s; fix the address or the network.' % (what, ip, network))
    if network.prefixlen < network.max_prefixlen - 1 and ip in (network.network_address, network.broadcast_address):
        raise LayoutError('%s %s is the network or broadcast address of %s; pick a host address.' % (what, ip, network))
    return ip


def _ifname(name, what):
    if not isinstance(name, str) or not IFNAME.match(name):
        raise LayoutError('%s %r is not a valid interface name (1-15 letters, digits, ._:-).' % (what, name))
    return name


def _mtu(value, what):
    try:
        mtu = int(value or 0)
    except (TypeError, ValueError):
        raise LayoutError('%s %r is not a number.' % (what, value))
    if mtu and not 576 <= mtu <= 9216:
        raise LayoutError('%s %d is outside 576-9216; use 0 to keep the default.' % (what, mtu))
    return mtu


def _iface(name, kind, **extra):
    iface = {'name': name, 'kind': kind, 'addresses': [], 'gateway': '', 'mtu': 0, 'routes': [],
             'hwaddress': '', 'ports': [], 'master': '', 'bridge_type': ''}
    iface.update(extra)
    return iface


def amphora_pool(cidr):
    """(first, last) addresses of the amphorae's allocation pool in the amphora network: from its 100th host address
    to the last but one (the subnet Octavia's role makes has no gateway); addresses of the nodes lie outside it."""
    net = _network(cidr, 'amphora network')
    if net.version != 4:
        raise LayoutError('amphora network %s is not an IPv4 network; use one like 172.31.0.0/24.' % net)
    first_host = int(net.network_address) + (0 if net.prefixlen >= 31 else 1)
    last_host = int(net.broadcast_address) - (0 if net.prefixlen >= 31 else 1)
    first, last = first_host + 99, last_host - 1
    if first > last:
        raise LayoutError('amphora network %s is too small for the amphorae: their pool runs from the 100th host '
                          'address to the last but one; use a /25 or larger (a /24 gives .100-.253).' % net)
    return ipaddress.ip_address(first), ipaddress.ip_address(last)


def layout(management, provider=None, routes=None, macs=None, manage_management=True, amphora=None):
    """The interfaces to configure, in the order they come up.

    management: interface, address, cidr, gateway (optional), mtu (optional)
    provider:   enabled, interface, bridge (br-ex), type (linux or ovs), address and cidr (optional), mtu
    amphora:    enabled, interface, bridge (br-amphora; empty: none), type (linux or ovs), address and cidr
                (optional), mtu
    routes:     list of to (CIDR), via (address), optional interface and metric
    macs:       interface name -> MAC address (from facts); a bridge takes its port's address
    """
    provider = dict(provider or {})
    macs = macs or {}
    mgmt_if = _ifname(management.get('interface'), 'management interface')
    mgmt_net = _network(management.get('cidr'), 'management network')
    mgmt_ip = _address(management.get('address'), mgmt_net, 'management address')
    mgmt_gw = management.get('gateway') or ''
    if mgmt_gw:
        mgmt_gw = _address(mgmt_gw, mgmt_net, 'management gateway')
        if mgmt_gw == mgmt_ip:
            raise LayoutError('management gateway %s is the node\'s own management address; use the router\'s address.'
                              % mgmt_gw)
    mgmt = _iface(mgmt_if, 'ethernet', addresses=['%s/%d' % (mgmt_ip, mgmt_net.prefixlen)],
                  gateway=_text(mgmt_gw) if mgmt_gw else '', mtu=_mtu(management.get('mtu'), 'management MTU'))
    interfaces = [mgmt] if manage_management else []

    if provider.get('enabled'):
        port_name = _ifname(provider.get('interface'), 'provider interface')
        bridge_name = _ifname(provider.get('bridge') or 'br-ex', 'provider bridge')
        bridge_type = provider.get('type') or 'linux'
        if bridge_type not in BRIDGE_TYPES:
            raise LayoutError("provider bridge type %r is neither 'linux' nor 'ovs'." % (bridge_type,))
        if bridge_name in (port_name, mgmt_if):
            raise LayoutError('provider bridge %s has the name of an interface; name it br-ex.' % bridge_name)
        mac = macs.get(port_name)
        if not mac:
            raise LayoutError('provider interface %s does not exist on this node (no MAC address in its facts); '
                              'set provider_interface to one of its interfaces.' % port_name)
        mtu = _mtu(provider.get('mtu'), 'provider MTU')
        bridge = _iface(bridge_name, 'bridge', bridge_type=bridge_type, ports=[port_name], hwaddress=mac, mtu=mtu)
        if provider.get('address'):
            net = _network(provider.get('cidr'), 'provider network')
            ip = _address(provider['address'], net, 'provider address')
            if net.overlaps(mgmt_net):
                raise LayoutError('provider network %s overlaps the management network %s; they must be distinct.'
                                  % (net, mgmt_net))
            bridge['addresses'].append('%s/%d' % (ip, net.prefixlen))
        port = _iface(port_name, 'port', master=bridge_name, bridge_type=bridge_type, mtu=mtu)
        if port_name == mgmt_if:
            # A single NIC: the management address, gateway and MTU move to the bridge.
            bridge['addresses'] = mgmt['addresses'] + bridge['addresses']
            bridge['gateway'] = mgmt['gateway']
            bridge['mtu'] = port['mtu'] = mtu or mgmt['mtu']
            interfaces = [iface for iface in interfaces if iface['name'] != mgmt_if]
        interfaces += [port, bridge]

    amphora = dict(amphora or {})
    if amphora.get('enabled'):
        interfaces += _amphora(amphora, macs, mgmt_if, mgmt_net, provider, interfaces)

    for route in routes or []:
        _place_route(interfaces, route)
    return interfaces


def _amphora(amphora, macs, mgmt_if, mgmt_net, provider, interfaces):
    """The amphora NIC, and its bridge when it has one."""
    nic = _ifname(amphora.get('interface'), 'amphora interface')
    taken = set([mgmt_if]) | set(iface['name'] for iface in interfaces)
    if provider.get('enabled'):
        taken.add(provider.get('interface'))
    if nic in taken:
        raise LayoutError('amphora interface %s is already the management or provider interface; the amphora '
                          'network needs a NIC of its own (set amphora_interface to it).' % nic)
    mac = macs.get(nic)
    if not mac:
        raise LayoutError('amphora interface %s does not exist on this node (no MAC address in its facts); set '
                          'amphora_interface to the NIC on the amphora network.' % nic)
    mtu = _mtu(amphora.get('mtu'), 'amphora MTU')
    addresses = []
    if amphora.get('address'):
        net = _network(amphora.get('cidr'), 'amphora network')
        ip = _address(amphora['address'], net, 'amphora address')
        for other, what in ((mgmt_net, 'management'),) + (
                ((_network(provider['cidr'], 'provider network'), 'provider'),) if provider.get('cidr') else ()):
            if net.overlaps(other):
                raise LayoutError('amphora network %s overlaps the %s network %s; they must be distinct.'
                                  % (net, what, other))
        first, last = amphora_pool(net)
        if first <= ip <= last:
            raise LayoutError('amphora address %s lies in the amphorae\'s pool %s-%s; give the node an address '
                              'below %s.' % (ip, first, last, first))
        addresses = ['%s/%d' % (ip, net.prefixlen)]
    bridge_name = amphora.get('bridge') or ''
    if not bridge_name:
        return [_iface(nic, 'ethernet', addresses=addresses, mtu=mtu)]
    bridge_name = _ifname(bridge_name, 'amphora bridge')
    bridge_type = amphora.get('type') or 'linux'
    if bridge_type not in BRIDGE_TYPES:
        raise LayoutError("amphora bridge type %r is neither 'linux' nor 'ovs'." % (bridge_type,))
    if bridge_name in taken | set([nic]):
        raise LayoutError('amphora bridge %s has the name of another interface; name it br-amphora.' % bridge_name)
    port = _iface(nic, 'port', master=bridge_name, bridge_type=bridge_type, mtu=mtu)
    bridge = _iface(bridge_name, 'bridge', bridge_type=bridge_type, ports=[nic], hwaddress=mac, mtu=mtu,
                    addresses=addresses)
    return [port, bridge]


def _place_route(interfaces, route):
    if not isinstance(route, dict) or not route.get('to') or not route.get('via'):
        raise LayoutError('each route needs to (a CIDR) and via (a gateway address), got %r.' % (route,))
    to = _network(route['to'], 'route destination')
    try:
        via = ipaddress.ip_address(_text(route['via']))
    except ValueError:
        raise LayoutError('route to %s: via %r is not an IP address.' % (to, route['via']))
    candidates = [iface for iface in interfaces if iface['addresses']]
    if route.get('interface'):
        candidates = [iface for iface in candidates if iface['name'] == route['interface']]
        if not candidates:
            raise LayoutError('route to %s names interface %s, which this node does not configure with an address.'
                              % (to, route['interface']))
    for iface in candidates:
        if any(via in ipaddress.ip_interface(_text(a)).network for a in iface['addresses']):
            entry = {'to': _text(to), 'via': _text(via)}
            if route.get('metric') is not None:
                entry['metric'] = int(route['metric'])
            iface['routes'].append(entry)
            return
    raise LayoutError('route to %s: gateway %s is on none of the networks this node has an address in; '
                      'fix via or add the address.' % (to, via))
