#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: ceph_daemons
short_description: Create the Ceph monitor, manager and file-backed OSDs of one node, once
version_added: "0.4.0"
author: gureum.openstack contributors (@gureum)
description:
  - Makes each daemon of the node that does not exist yet, and starts and enables its unit; a daemon that exists
    (its data directory is complete) is left alone, so a second run changes nothing.
  - The monitor - C(ceph-mon --mkfs) with the cluster's fsid and the mon keyring, only while its data directory
    (C(/var/lib/ceph/mon/<cluster>-<id>)) holds no store; it joins a cluster whose monitors answer with their
    monitor map, else it starts a new one from C(mon_initial_members) and C(mon_host) in ceph.conf. Then it waits
    until the monitors have a quorum.
  - The manager - its key from C(ceph auth get-or-create mgr.<id>), written to its data directory.
  - Each OSD - BlueStore on a sparse file (I(osds)), made as Ceph's manual deployment does it, without ceph-volume
    or LVM - C(ceph osd new) with a new cephx key, then C(ceph-osd --mkfs) with the file as its block device. Its
    UUID is derived from the fsid, the node and the file's path, so a run that stopped half way finds its OSD again.
    A block device is refused (see notes).
  - Returns the units of the daemons that exist, so the lifecycle restarts them when ceph.conf changes.
options:
  cluster:
    description: The cluster's name (its configuration is C(/etc/ceph/<cluster>.conf)).
    type: str
    default: ceph
  fsid:
    description: The cluster's fsid.
    type: str
    required: true
  host:
    description: The node's short host name, the id of its monitor and manager (C(ceph-mon@<host>)).
    type: str
    required: true
  mon:
    description: Whether the node runs a monitor.
    type: bool
    default: false
  mon_keyring:
    description: The keyring the monitor is made with (C(mon.) and C(client.admin) with their caps).
    type: path
    default: /etc/ceph/ceph.mon.keyring
  mgr:
    description: Whether the node runs a manager.
    type: bool
    default: false
  osds:
    description:
      - The OSDs of the node, each on a file (C(path)) of C(size) bytes (or C(10G)); the file is made sparse.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The file that is the OSD's block device.
        type: path
        required: true
      size:
        description: Its size, bytes or a number with K, M, G or T.
        type: raw
        required: true
  admin_keyring:
    description: client.admin's keyring, which the module runs the ceph command line with.
    type: path
    default: /etc/ceph/ceph.client.admin.keyring
  data_root:
    description: Where the daemons' data directories are.
    type: path
    default: /var/lib/ceph
  user:
    description: The user the daemons run as (their data directories and OSD files belong to it).
    type: str
    default: ceph
  timeout:
    description: Seconds to wait for the monitors' quorum.
    type: int
    default: 300
attributes:
  check_mode:
    support: full
    description: Reports the daemons that exist and the ones that would be made; makes nothing.
  diff_mode:
    support: none
    description: Returns no diff.
  platform:
    support: full
    platforms: posix
    description: Runs on a storage node with Ceph's packages.
notes:
  - OSDs on block devices (ceph-volume lvm, which needs device-mapper) are not implemented; a path that is a block
    device is refused with a sentence.
'''

EXAMPLES = r'''
- name: Create this node's Ceph daemons
  gureum.openstack.ceph_daemons:
    fsid: "{{ ceph_fsid }}"
    host: "{{ ansible_facts.hostname }}"
    mon: true
    mgr: true
    osds:
      - {path: /var/lib/ceph/osd-files/osd-0.img, size: 10G}
'''

RETURN = r'''
units:
  description: The units of the node's daemons that exist (after the run; in check mode, before it).
  returned: always
  type: list
  elements: str
  sample: [ceph-mon@storage1, ceph-mgr@storage1, ceph-osd@0]
missing:
  description: The daemons that did not exist (mon, mgr, or an OSD's file path).
  returned: always
  type: list
  elements: str
osds:
  description: The node's OSDs, C(id), C(uuid) and C(path) (C(id) null for one not made yet).
  returned: always
  type: list
  elements: dict
'''

import grp
import json
import os
import pwd
import stat
import tempfile
import time
import uuid

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gureum.openstack.plugins.module_utils.ceph import CephError, Cli, gen_key, keyring, size_bytes

OSD_CAPS = {'mon': 'allow profile osd', 'mgr': 'allow profile osd', 'osd': 'allow *'}


class Node(object):
    """The daemons of one node: which exist, and how to make the missing ones."""

    def __init__(self, params, runner, sleep=time.sleep):
        self.p = params
        self.runner = runner
        self.sleep = sleep
        self.cli = Cli(runner, params['cluster'], params['admin_keyring'])
        self.cluster = params['cluster']

    # ---- what exists ----

    def mon_dir(self):
        return os.path.join(self.p['data_root'], 'mon', '%s-%s' % (self.cluster, self.p['host']))

    def mgr_dir(self):
        return os.path.join(self.p['data_root'], 'mgr', '%s-%s' % (self.cluster, self.p['host']))

    def mon_exists(self):
        return os.path.exists(os.path.join(self.mon_dir(), 'kv_backend')) or \
            os.path.isdir(os.path.join(self.mon_dir(), 'store.db'))

    def mgr_exists(self):
        return os.path.exists(os.path.join(self.mgr_dir(), 'keyring'))

    def osd_uuid(self, path):
        return str(uuid.uuid5(uuid.UUID(self.p['fsid']), '%s:%s' % (self.p['host'], os.path.normpath(path))))

    def local_osds(self):
        """{uuid: (id, data dir, complete)} of the OSD data directories on the node."""
        found = {}
        top = os.path.join(self.p['data_root'], 'osd')
        prefix = self.cluster + '-'
        for name in sorted(os.listdir(top)) if os.path.isdir(top) else []:
            directory = os.path.join(top, name)
            if not name.startswith(prefix) or not os.path.exists(os.path.join(directory, 'fsid')):
                continue
            with open(os.path.join(directory, 'fsid')) as handle:
                found[handle.read().strip()] = (int(name[len(prefix):]), directory,
                                                os.path.exists(os.path.join(directory, 'ready')))
        return found

    def state(self):
        """(units, missing, osds) as the node is now."""
        units, missing, osds = [], [], []
        for kind, wanted, exists in (('mon', self.p['mon'], self.mon_exists), ('mgr', self.p['mgr'], self.mgr_exists)):
            if wanted and exists():
                units.append('ceph-%s@%s' % (kind, self.p['host']))
            elif wanted:
                missing.append(kind)
        local = self.local_osds()
        for spec in self.p['osds']:
            osd_uuid = self.osd_uuid(spec['path'])
            known = local.get(osd_uuid)
            if known and known[2]:
                units.append('ceph-osd@%d' % known[0])
                osds.append({'id': known[0], 'uuid': osd_uuid, 'path': spec['path']})
            else:
                missing.append(spec['path'])
                osds.append({'id': None, 'uuid': osd_uuid, 'path': spec['path']})
        return units, missing, osds

    # ---- making them ----

    def command(self, argv, data=None):
        rc, out, err = self.runner(argv, data)
        if rc != 0:
            raise CephError('%s failed (%d): %s' % (' '.join(argv[:3]), rc, (err or out).strip()))
        return out

    def owned_dir(self, path, mode=0o750):
        if not os.path.isdir(path):
            os.makedirs(path, mode)
        os.chmod(path, mode)
        self.chown(path)

    def chown(self, path):
        os.chown(path, pwd.getpwnam(self.p['user']).pw_uid, grp.getgrnam(self.p['user']).gr_gid)

    def write(self, path, text, mode=0o600):
        with open(path, 'w') as handle:
            handle.write(text)
        os.chmod(path, mode)
        self.chown(path)

    def empty(self, path):
        return not os.path.isdir(path) or not os.listdir(path)

    def start(self, unit, kind):
        # the instance is wanted by its target (ceph-mon.target ...), which ceph.target pulls in at boot
        self.command(['systemctl', 'enable', 'ceph.target', 'ceph-%s.target' % kind, unit])
        self.command(['systemctl', 'start', unit])

    def user_args(self):
        return ['--setuser', self.p['user'], '--setgroup', self.p['user']]

    def make_mon(self):
        directory = self.mon_dir()
        if not self.empty(directory):
            raise CephError('the monitor\'s data directory %s holds files but no monitor store (a --mkfs that failed '
                            'half way?); move it away and run again.' % directory)
        self.owned_dir(directory)
        argv = ['ceph-mon', '--cluster', self.cluster, '--mkfs', '-i', self.p['host'], '--fsid', self.p['fsid'],
                '--keyring', self.p['mon_keyring']] + self.user_args()
        monmap = None
        # a monitor that joins a running cluster takes its monitor map; the first ones build it from ceph.conf
        if self.cli.reachable():
            handle, monmap = tempfile.mkstemp(prefix='gureum-monmap-')
            os.close(handle)
            self.cli.run(['mon', 'getmap', '-o', monmap])
            os.chmod(monmap, 0o644)
            argv += ['--monmap', monmap]
        try:
            self.command(argv)
        finally:
            if monmap:
                os.unlink(monmap)
        self.start('ceph-mon@%s' % self.p['host'], 'mon')

    def wait_for_quorum(self):
        deadline = time.time() + self.p['timeout']
        while not self.cli.reachable():
            if time.time() > deadline:
                raise CephError('the monitors formed no quorum within %d s; with several monitors, most of them must '
                                'run (see journalctl -u ceph-mon@%s).' % (self.p['timeout'], self.p['host']))
            self.sleep(3)

    def make_mgr(self):
        directory = self.mgr_dir()
        self.owned_dir(directory)
        dummy, out, dummy = self.cli.run(['auth', 'get-or-create', 'mgr.%s' % self.p['host'],
                                          'mon', 'allow profile mgr', 'osd', 'allow *', 'mds', 'allow *'])
        self.write(os.path.join(directory, 'keyring'), out if out.endswith('\n') else out + '\n')
        self.start('ceph-mgr@%s' % self.p['host'], 'mgr')

    def make_osd(self, spec, osd_uuid, local):
        path = spec['path']
        if os.path.exists(path) and stat.S_ISBLK(os.stat(path).st_mode):
            raise CephError('%s is a block device; this role makes OSDs on files only (OSDs on devices need '
                            'ceph-volume lvm and device-mapper, not implemented yet): name a file path.' % path)
        size = size_bytes(spec['size'])
        known = local.get(osd_uuid)
        if known and not self.empty(known[1]) and not os.path.exists(os.path.join(known[1], 'ready')):
            raise CephError('OSD %d (%s) has a data directory %s that a --mkfs left unfinished; remove it and the '
                            'file %s, run `ceph osd purge %d --yes-i-really-mean-it`, and run again.'
                            % (known[0], path, known[1], path, known[0]))
        dump = self.cli.json(['osd', 'dump']) or {}
        ids = dict((osd.get('uuid'), osd['osd']) for osd in dump.get('osds', []))
        if osd_uuid in ids:
            osd_id = ids[osd_uuid]
            rc, out, dummy = self.cli.run(['auth', 'print-key', 'osd.%d' % osd_id], check=False)
            key = out.strip() if rc == 0 and out.strip() else None
            if key is None:
                key = gen_key()
                caps = [word for daemon in sorted(OSD_CAPS) for word in (daemon, OSD_CAPS[daemon])]
                self.cli.run(['auth', 'add', 'osd.%d' % osd_id, '-i', '-'] + caps, data=keyring('osd.%d' % osd_id, key))
        else:
            key = gen_key()
            dummy, out, dummy = self.cli.run(['osd', 'new', osd_uuid, '-i', '-'],
                                             data=json.dumps({'cephx_secret': key}))
            osd_id = int(out.strip())
        directory = os.path.join(self.p['data_root'], 'osd', '%s-%d' % (self.cluster, osd_id))
        if not self.empty(directory):
            raise CephError('the data directory %s of OSD %d is not empty; remove it (and `ceph osd purge %d '
                            '--yes-i-really-mean-it` if the OSD is no longer wanted) and run again.'
                            % (directory, osd_id, osd_id))
        self.owned_dir(directory)
        self.write(os.path.join(directory, 'keyring'), keyring('osd.%d' % osd_id, key))
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            os.makedirs(parent, 0o750)
            self.chown(parent)
        if not os.path.exists(path):
            with open(path, 'wb') as handle:
                handle.truncate(size)
        os.chmod(path, 0o600)
        self.chown(path)
        # BlueStore links <data>/block to the file and opens it from there at every start
        self.command(['ceph-osd', '--cluster', self.cluster, '-i', str(osd_id), '--mkfs', '--osd-uuid', osd_uuid,
                      '--osd-data', directory, '--keyring', os.path.join(directory, 'keyring'),
                      '--osd-objectstore', 'bluestore', '--bluestore-block-path', path,
                      '--bluestore-block-create', 'true', '--bluestore-block-size', str(size)] + self.user_args())
        self.start('ceph-osd@%d' % osd_id, 'osd')
        return osd_id

    def converge(self):
        dummy, missing, osds = self.state()
        if 'mon' in missing:
            self.make_mon()
        if missing:
            self.wait_for_quorum()
        if 'mgr' in missing:
            self.make_mgr()
        local = self.local_osds()
        for spec, osd in zip(self.p['osds'], osds):
            if spec['path'] in missing:
                osd['id'] = self.make_osd(spec, osd['uuid'], local)
        return missing


def main():
    module = AnsibleModule(
        argument_spec=dict(
            cluster=dict(type='str', default='ceph'),
            fsid=dict(type='str', required=True),
            host=dict(type='str', required=True),
            mon=dict(type='bool', default=False),
            mon_keyring=dict(type='path', default='/etc/ceph/ceph.mon.keyring'),
            mgr=dict(type='bool', default=False),
            osds=dict(type='list', elements='dict', default=[], options=dict(
                path=dict(type='path', required=True),
                size=dict(type='raw', required=True),
            )),
            admin_keyring=dict(type='path', default='/etc/ceph/ceph.client.admin.keyring'),
            data_root=dict(type='path', default='/var/lib/ceph'),
            user=dict(type='str', default='ceph'),
            timeout=dict(type='int', default=300),
        ),
        supports_check_mode=True,
    )
    try:
        uuid.UUID(module.params['fsid'])
    except ValueError:
        module.fail_json(msg='fsid %r is not a UUID (the secret ceph_fsid).' % module.params['fsid'])

    def runner(argv, data=None):
        return module.run_command(argv, data=data, binary_data=data is not None,
                                  environ_update={'LC_ALL': 'C'})

    node = Node(module.params, runner)
    missing = []
    try:
        units, missing, osds = node.state()
        for spec in module.params['osds']:
            size_bytes(spec['size'])
        if missing and not module.check_mode:
            node.converge()
            units, dummy, osds = node.state()
    except (CephError, OSError, KeyError) as exc:
        module.fail_json(msg='%s' % exc, missing=missing)
    module.exit_json(changed=bool(missing), units=units, missing=missing, osds=osds)


if __name__ == '__main__':
    main()
