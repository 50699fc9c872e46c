#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: port_scan
short_description: Find which TCP ports of other hosts answer, from the node it runs on
version_added: "0.2.0"
author: gureum.openstack contributors (@gureum)
description:
  - Opens a TCP connection to every port of O(ports) on every address of O(targets) (a connect scan with
    non-blocking sockets, O(concurrency) at a time) and reports the ports that accepted it. A port counts as open
    only when it answers the connection; a refusal (a TCP reset; nothing listens), a rejection (an ICMP error; a
    firewall rejects it) and no answer within O(timeout) (a firewall drops it, or rate-limits its ICMP errors) all
    count as not open, and are only counted.
  - Each accepted connection is closed at once with a reset; a service sees a client that connected and went away
    (MariaDB counts it as an aborted connect of the scanning host).
  - UDP is not scanned; a connect scan cannot tell an open UDP port from a filtered one.
  - Each probe leaves an entry in the scanning node's connection tracking table (a SYN that got no answer stays
    for two minutes). Before it starts, the module waits up to O(conntrack_wait) seconds until the probes fit into
    half of the table, and fails when they cannot, so a scan never fills the table and drops the node's own traffic.
  - Changes nothing; runs in check mode as well.
options:
  targets:
    description: Addresses (or names) to scan.
    type: list
    elements: str
    required: true
  ports:
    description: Ports to try on every target, each a number or a C(first-last) range.
    type: list
    elements: str
    default: ["1-65535"]
  source:
    description:
      - Local address to connect from (it picks the network, and the firewall zone, the targets see the scan come
        from). Default the address the routing table picks.
    type: str
  timeout:
    description: Seconds to wait for an answer to each connection before counting the port as unanswered.
    type: float
    default: 0.5
  concurrency:
    description: Connections in flight at once.
    type: int
    default: 200
  conntrack_wait:
    description: Seconds to wait for room in the node's connection tracking table before failing.
    type: int
    default: 150
attributes:
  check_mode:
    description: Scans in check mode too; it changes nothing.
    support: full
  diff_mode:
    description: Shows no diff.
    support: none
notes:
  - Python's standard library only; no root privileges are needed (unless O(source) is an address a user may not
    bind).
"""

EXAMPLES = r"""
- name: Scan the controller from the network node, on the management network
  gureum.openstack.port_scan:
    targets: [10.0.0.11]
    source: 10.0.0.21
  delegate_to: network1
  register: scan
# scan.open => {'10.0.0.11': [22, 80, 3306, 5000, ...]}

- name: Try a few ports with a longer wait
  gureum.openstack.port_scan:
    targets: [10.0.0.31]
    ports: ["22", "5900-5999"]
    timeout: 3
"""

RETURN = r"""
open:
  description: The ports that accepted a connection, sorted, by target (as given in O(targets)).
  returned: always
  type: dict
  sample: {"10.0.0.31": [22, 5900]}
refused:
  description: How many ports of each target refused the connection (a reset; let through, nothing listens).
  returned: always
  type: dict
  sample: {"10.0.0.31": 12}
rejected:
  description: How many ports of each target were rejected with an ICMP error (or another error).
  returned: always
  type: dict
  sample: {"10.0.0.31": 6}
unanswered:
  description: How many ports of each target gave no answer within O(timeout).
  returned: always
  type: dict
  sample: {"10.0.0.31": 65515}
probes:
  description: Connections tried.
  returned: always
  type: int
  sample: 65535
waited:
  description: Seconds it waited for room in the connection tracking table before it started.
  returned: always
  type: float
  sample: 0.0
elapsed:
  description: Seconds the scan took (without the wait for the connection tracking table).
  returned: always
  type: float
  sample: 41.7
"""

import collections
import errno
import selectors
import socket
import struct
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.openstack.plugins.module_utils.ports import port_range

CONNTRACK = '/proc/sys/net/netfilter/nf_conntrack_'
IN_PROGRESS = (errno.EINPROGRESS, errno.EALREADY, errno.EWOULDBLOCK)
REFUSED = (errno.ECONNREFUSED,)
UNANSWERED = (errno.ETIMEDOUT,)


class ScanError(Exception):
    """A scan that cannot run; the message says why."""


def parse_ports(items):
    """Sorted, de-duplicated port numbers of numbers and 'first-last' ranges."""
    found = set()
    for item in items:
        try:
            first, last = port_range(('%s' % item).strip())
        except ValueError as exc:
            raise ScanError(str(exc))
        found.update(range(first, last + 1))
    return sorted(found)


def _address(host, family=socket.AF_UNSPEC):
    try:
        infos = socket.getaddrinfo(host, None, family, socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ScanError('cannot resolve %s: %s.' % (host, exc))
    return infos[0][0], infos[0][4]


def scan(targets, ports, source=None, timeout=0.5, concurrency=200):
    """Connect to every port of every target; {target: {open: [ports], refused, rejected, unanswered}}."""
    resolved = {}
    for target in targets:
        family, sockaddr = _address(target)
        local = _address(source, family)[1] if source else None
        resolved[target] = (family, sockaddr, local)
    result = dict((t, {'open': [], 'refused': 0, 'rejected': 0, 'unanswered': 0}) for t in targets)
    probes = ((target, port) for target in targets for port in ports)
    selector = selectors.DefaultSelector()
    # sockets in the order they were started: their deadlines come in the same order
    pending = collections.OrderedDict()

    def finish(sock, target, port, error):
        if error == 0:
            result[target]['open'].append(port)
            # close with a reset: no FIN exchange, no TIME_WAIT left behind
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        elif error in REFUSED:
            result[target]['refused'] += 1
        elif error in UNANSWERED:
            result[target]['unanswered'] += 1
        else:
            result[target]['rejected'] += 1
        sock.close()

    def start(target, port):
        family, sockaddr, local = resolved[target]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            if local:
                sock.bind((local[0], 0) + tuple(local[2:]))
            error = sock.connect_ex((sockaddr[0], port) + tuple(sockaddr[2:]))
        except OSError as exc:
            sock.close()
            raise ScanError('cannot connect to %s port %d%s: %s.'
                            % (target, port, ' from %s' % source if source else '', exc))
        if error in IN_PROGRESS:
            pending[sock] = (target, port, time.monotonic() + timeout)
            selector.register(sock, selectors.EVENT_WRITE)
        elif error in (errno.EADDRNOTAVAIL, errno.EAGAIN):
            sock.close()
            raise ScanError('this node has no local port left to connect from (%s); lower the concurrency.'
                            % errno.errorcode.get(error, error))
        else:
            finish(sock, target, port, error)

    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < concurrency:
                probe = next(probes, None)
                if probe is None:
                    exhausted = True
                else:
                    start(*probe)
            if not pending:
                break
            first_deadline = next(iter(pending.values()))[2]
            for key, dummy in selector.select(max(0.0, first_deadline - time.monotonic())):
                sock = key.fileobj
                target, port, dummy = pending.pop(sock)
                selector.unregister(sock)
                finish(sock, target, port, sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
            now = time.monotonic()
            while pending:
                sock, (target, port, deadline) = next(iter(pending.items()))
                if deadline > now:
                    break
                del pending[sock]
                selector.unregister(sock)
                finish(sock, target, port, errno.ETIMEDOUT)
    finally:
        for sock in pending:
            sock.close()
        selector.close()
    for item in result.values():
        item['open'].sort()
    return result


def _read_number(path):
    try:
        with open(path) as handle:
            return int(handle.read().strip())
    except (IOError, OSError, ValueError):
        return None


def wait_for_conntrack_room(probes, wait, sleep=time.sleep, read=_read_number):
    """Wait until ``probes`` more entries fit into half of the connection tracking table; ScanError if they never do.

    Without a table (no connection tracking on the node) there is nothing to wait for.
    """
    deadline = time.monotonic() + wait
    while True:
        count, limit = read(CONNTRACK + 'count'), read(CONNTRACK + 'max')
        if count is None or not limit:
            return
        room = limit // 2 - count
        if probes <= room:
            return
        if probes > limit // 2:
            raise ScanError('the scan would add up to %d entries to this node\'s connection tracking table, more than '
                            'half of its %d; scan fewer ports or targets per call.' % (probes, limit))
        if time.monotonic() >= deadline:
            raise ScanError('the scan would add up to %d entries to this node\'s connection tracking table, which '
                            'holds %d of %d; after %d s it still had no room in its first half. Wait for earlier '
                            'scans\' entries to expire (two minutes), or scan fewer ports.' % (probes, count, limit, wait))
        sleep(5)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            targets=dict(type='list', elements='str', required=True),
            ports=dict(type='list', elements='str', default=['1-65535']),
            source=dict(type='str'),
            timeout=dict(type='float', default=0.5),
            concurrency=dict(type='int', default=200),
            conntrack_wait=dict(type='int', default=150),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not params['targets']:
        module.fail_json(msg='port_scan: targets is empty; name at least one address to scan.')
    if params['timeout'] <= 0 or params['concurrency'] < 1:
        module.fail_json(msg='port_scan: timeout must be above 0 and concurrency at least 1.')
    try:
        ports = parse_ports(params['ports'])
        asked = time.monotonic()
        wait_for_conntrack_room(len(ports) * len(params['targets']), params['conntrack_wait'])
        started = time.monotonic()
        found = scan(params['targets'], ports, params['source'], params['timeout'], params['concurrency'])
    except ScanError as exc:
        module.fail_json(msg='port_scan: %s' % exc)
    module.exit_json(
        changed=False,
        open=dict((t, r['open']) for t, r in found.items()),
        refused=dict((t, r['refused']) for t, r in found.items()),
        rejected=dict((t, r['rejected']) for t, r in found.items()),
        unanswered=dict((t, r['unanswered']) for t, r in found.items()),
        probes=len(ports) * len(params['targets']),
        waited=round(started - asked, 1),
        elapsed=round(time.monotonic() - started, 1),
    )


if __name__ == '__main__':
    main()
