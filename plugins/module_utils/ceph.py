# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""What the Ceph modules share: running the ceph CLI as client.admin, keyrings, cephx keys and sizes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import re
import struct
import time

SIZE_RE = re.compile(r'^\s*(\d+)\s*([KMGT]?)i?B?\s*$', re.IGNORECASE)
UNITS = {'': 1, 'K': 1024, 'M': 1024 ** 2, 'G': 1024 ** 3, 'T': 1024 ** 4}


class CephError(Exception):
    """A step failed; the message says what ran and what Ceph answered."""


def size_bytes(size):
    """Bytes of a size given as a number of bytes or as '10G', '512M' (powers of 1024)."""
    if isinstance(size, int) and not isinstance(size, bool):
        return size
    match = SIZE_RE.match('%s' % size)
    if not match:
        raise CephError("size %r is not a number of bytes or a number with K, M, G or T (e.g. 10G)." % (size,))
    return int(match.group(1)) * UNITS[match.group(2).upper()]


def gen_key():
    """A new cephx key, as ceph-authtool --gen-print-key prints one (secrets_file generates the same)."""
    return base64.b64encode(struct.pack('<hiih', 1, int(time.time()), 0, 16) + os.urandom(16)).decode('ascii')


def keyring(entity, key, caps=None):
    """A keyring file's text for one entity, with its caps ({daemon: 'profile rbd', ...}) in a stable order."""
    lines = ['[%s]' % entity, '\tkey = %s' % key]
    for daemon in sorted(caps or {}):
        lines.append('\tcaps %s = "%s"' % (daemon, caps[daemon]))
    return '\n'.join(lines) + '\n'


class Cli(object):
    """The ceph command line of one cluster, as client.admin, through a runner(argv, data) -> (rc, out, err)."""

    def __init__(self, runner, cluster='ceph', admin_keyring=None, connect_timeout=15):
        self.runner = runner
        self.cluster = cluster
        self.admin_keyring = admin_keyring
        self.connect_timeout = connect_timeout

    def base(self):
        argv = ['ceph', '--cluster', self.cluster, '--connect-timeout', str(self.connect_timeout)]
        if self.admin_keyring:
            argv += ['--name', 'client.admin', '--keyring', self.admin_keyring]
        return argv

    def run(self, args, data=None, check=True):
        rc, out, err = self.runner(self.base() + list(args), data)
        if check and rc != 0:
            raise CephError('ceph %s failed (%d): %s' % (' '.join(args), rc, (err or out).strip()))
        return rc, out, err

    def json(self, args):
        dummy, out, dummy = self.run(list(args) + ['--format', 'json'])
        try:
            return json.loads(out) if out.strip() else None
        except ValueError:
            raise CephError('ceph %s answered no JSON: %s' % (' '.join(args), out[:200]))

    def reachable(self):
        """Whether the monitors answer (a quorum formed)."""
        rc, dummy, dummy = self.run(['quorum_status'], check=False)
        return rc == 0
