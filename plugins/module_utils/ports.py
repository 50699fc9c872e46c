# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Port numbers and 'first-last' ranges, read alike by the catalog (on the controller) and port_scan (on a node)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def port_range(port):
    """(first, last) of a port number or 'first-last' range; ValueError with a sentence otherwise."""
    first, dummy, last = str(port).partition('-')
    try:
        first, last = int(first), int(last or first)
    except ValueError:
        raise ValueError("port %r is neither a number nor a 'first-last' range." % (port,))
    if not 1 <= first <= last <= 65535:
        raise ValueError('port range %r is outside 1-65535 or reversed.' % (port,))
    return first, last
