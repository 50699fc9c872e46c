"""ceph_daemons and ceph_cluster against a fake ceph command line (a dictionary cluster) and a temporary data root."""

import getpass
import json
import os

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.module_utils import ceph
from ansible_collections.gureum.openstack.plugins.modules import ceph_cluster, ceph_daemons

FSID = '1b4e28ba-2fa1-11d2-883f-0016d3cca427'
KEY = 'AQBQ8fZlAAAAABAAxvZ3ej0rNfaWfmY0K2RdzA=='


class FakeCeph(object):
    """A cluster the ceph, ceph-mon, ceph-osd and systemctl commands act on."""

    def __init__(self, root):
        self.root = root
        self.quorum = False
        self.mons = [{'name': 'storage1', 'public_addrs': {'addrvec': [{'type': 'v1', 'addr': '10.0.0.41:6789'}]}}]
        self.osds = []
        self.auth = {}
        self.rules = [{'rule_id': 0, 'rule_name': 'replicated_rule'}]
        self.pools = {}
        self.commands = []
        self.units = set()

    def run(self, argv, data=None):
        argv = [str(a) for a in argv]
        self.commands.append(argv)
        if argv[0] == 'systemctl':
            if argv[1] == 'start' and argv[2].startswith('ceph-mon@'):
                self.quorum = True
            self.units.update(u for u in argv[2:] if '@' in u)
            return 0, '', ''
        if argv[0] == 'ceph-mon':
            directory = os.path.join(self.root, 'mon', 'ceph-' + argv[argv.index('-i') + 1])
            os.makedirs(os.path.join(directory, 'store.db'))
            open(os.path.join(directory, 'kv_backend'), 'w').write('rocksdb\n')
            return 0, '', ''
        if argv[0] == 'ceph-osd':
            directory = argv[argv.index('--osd-data') + 1]
            open(os.path.join(directory, 'fsid'), 'w').write(argv[argv.index('--osd-uuid') + 1] + '\n')
            open(os.path.join(directory, 'ready'), 'w').write('ready\n')
            return 0, '', ''
        assert argv[0] == 'ceph'
        args = argv[argv.index('--keyring') + 2:] if '--keyring' in argv else argv[5:]
        if not self.quorum:
            return 1, '', 'error connecting to the cluster: timed out'
        if args[:1] == ['quorum_status']:
            return 0, '{}', ''
        if args[:2] == ['osd', 'dump']:
            return 0, json.dumps({'osds': [{'osd': i, 'uuid': u} for i, u in enumerate(self.osds)]}), ''
        if args[:2] == ['osd', 'new']:
            assert 'cephx_secret' in json.loads(data)
            self.osds.append(args[2])
            self.auth['osd.%d' % (len(self.osds) - 1)] = {'key': json.loads(data)['cephx_secret'], 'caps': {}}
            return 0, '%d\n' % (len(self.osds) - 1), ''
        if args[:2] == ['auth', 'get-or-create']:
            entry = self.auth.setdefault(args[2], {'key': KEY, 'caps': {}})
            return 0, ceph.keyring(args[2], entry['key']), ''
        if args[:2] == ['auth', 'print-key']:
            if args[2] not in self.auth:
                return 2, '', 'Error ENOENT: don\'t have %s' % args[2]
            return 0, self.auth[args[2]]['key'] + '\n', ''
        if args[:2] == ['auth', 'get']:
            if args[2] not in self.auth:
                return 2, '', 'Error ENOENT: failed to find %s in keyring' % args[2]
            return 0, json.dumps([dict(self.auth[args[2]], entity=args[2])]), ''
        if args[:2] == ['auth', 'import']:
            text = open(args[3]).read()
            entity = text.split(']')[0].lstrip('[')
            caps = dict((line.split()[1], line.split('=', 1)[1].strip().strip('"'))
                        for line in text.splitlines() if line.strip().startswith('caps'))
            key = [line.split('=', 1)[1].strip() for line in text.splitlines() if 'key =' in line][0]
            self.auth[entity] = {'key': key, 'caps': caps}
            return 0, '', 'imported keyring'
        if args[:2] == ['mon', 'dump']:
            return 0, json.dumps({'mons': self.mons}), ''
        if args[:2] == ['mon', 'enable-msgr2']:
            for mon in self.mons:
                mon['public_addrs']['addrvec'].insert(0, {'type': 'v2', 'addr': '10.0.0.41:3300'})
            return 0, '', ''
        if args[:4] == ['osd', 'crush', 'rule', 'dump']:
            return 0, json.dumps(self.rules), ''
        if args[:4] == ['osd', 'crush', 'rule', 'create-replicated']:
            self.rules.append({'rule_id': len(self.rules), 'rule_name': args[4]})
            return 0, '', ''
        if args[:4] == ['osd', 'pool', 'ls', 'detail']:
            return 0, json.dumps(list(self.pools.values())), ''
        if args[:3] == ['osd', 'pool', 'create']:
            rule = [r['rule_id'] for r in self.rules if r['rule_name'] == args[7]][0]
            self.pools[args[3]] = {'pool_name': args[3], 'size': 3, 'min_size': 2, 'crush_rule': rule,
                                   'application_metadata': {}}
            return 0, '', ''
        if args[:3] == ['osd', 'pool', 'set']:
            value = args[5]
            if args[4] == 'crush_rule':
                value = [r['rule_id'] for r in self.rules if r['rule_name'] == value][0]
            self.pools[args[3]][args[4]] = int(value)
            return 0, '', ''
        if args[:4] == ['osd', 'pool', 'application', 'enable']:
            self.pools[args[4]]['application_metadata'][args[5]] = {}
            return 0, '', ''
        if args[:1] == ['health']:
            return 0, 'HEALTH_OK\n', ''
        return 1, '', 'unexpected command %s' % args

    def ceph_commands(self, *prefix):
        return [c for c in self.commands if c[0] == 'ceph' and prefix == tuple(c[9:9 + len(prefix)])]


@pytest.fixture
def fake(tmp_path, monkeypatch):
    cluster = FakeCeph(str(tmp_path / 'lib'))
    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda module, argv, data=None, **kw: cluster.run(argv, data))
    return cluster


def daemons_args(tmp_path, **extra):
    args = {'cluster': 'ceph', 'admin_keyring': '/etc/ceph/ceph.client.admin.keyring',
            'fsid': FSID, 'host': 'storage1', 'mon': True, 'mgr': True, 'user': getpass.getuser(),
            'data_root': str(tmp_path / 'lib'), 'timeout': 5,
            'osds': [{'path': str(tmp_path / 'files' / ('osd-%d.img' % i)), 'size': '64M'} for i in range(3)]}
    args.update(extra)
    return args


def test_a_new_node_gets_its_mon_mgr_and_osds_once(fake, tmp_path, run_module):
    args = daemons_args(tmp_path)
    checked = run_module(ceph_daemons.main, args, check_mode=True)
    assert checked['changed'] and checked['units'] == [] and fake.commands == []
    assert checked['missing'] == ['mon', 'mgr'] + [o['path'] for o in args['osds']]
    result = run_module(ceph_daemons.main, args)
    assert result['changed']
    assert result['units'] == ['ceph-mon@storage1', 'ceph-mgr@storage1', 'ceph-osd@0', 'ceph-osd@1', 'ceph-osd@2']
    mkfs = [c for c in fake.commands if c[0] == 'ceph-mon']
    assert len(mkfs) == 1 and '--monmap' not in mkfs[0] and mkfs[0][mkfs[0].index('--fsid') + 1] == FSID
    osd = [c for c in fake.commands if c[0] == 'ceph-osd'][0]
    assert osd[osd.index('--bluestore-block-path') + 1] == args['osds'][0]['path']
    assert osd[osd.index('--bluestore-block-size') + 1] == str(64 * 1024 ** 2)
    # sparse files of the asked size, keyrings with the keys the cluster was given
    assert os.path.getsize(args['osds'][0]['path']) == 64 * 1024 ** 2
    assert fake.auth['osd.0']['key'] in open(str(tmp_path / 'lib' / 'osd' / 'ceph-0' / 'keyring')).read()
    assert open(str(tmp_path / 'lib' / 'mgr' / 'ceph-storage1' / 'keyring')).read().startswith('[mgr.storage1]')
    assert {'ceph-mon@storage1', 'ceph-mgr@storage1', 'ceph-osd@2'} <= fake.units
    # the second run finds everything and runs nothing
    fake.commands = []
    again = run_module(ceph_daemons.main, args)
    assert not again['changed'] and again['missing'] == [] and again['units'] == result['units']
    assert fake.commands == []


def test_osd_uuids_are_stable_and_differ_per_file(tmp_path):
    node = ceph_daemons.Node(daemons_args(tmp_path), None)
    first, second = (node.osd_uuid(o['path']) for o in daemons_args(tmp_path)['osds'][:2])
    assert first != second and node.osd_uuid(daemons_args(tmp_path)['osds'][0]['path']) == first


def test_an_osd_the_cluster_knows_is_made_with_its_id(fake, tmp_path, run_module):
    # a run stopped after `ceph osd new`: the OSD is in the map, its data directory missing
    args = daemons_args(tmp_path, mon=False, mgr=False, osds=daemons_args(tmp_path)['osds'][:1])
    fake.quorum = True
    fake.osds = ['other', ceph_daemons.Node(args, None).osd_uuid(args['osds'][0]['path'])]
    fake.auth['osd.1'] = {'key': KEY, 'caps': {}}
    fake.commands = []
    result = run_module(ceph_daemons.main, args)
    assert result['units'] == ['ceph-osd@1'] and fake.ceph_commands('osd', 'new') == []
    assert KEY in open(str(tmp_path / 'lib' / 'osd' / 'ceph-1' / 'keyring')).read()


def test_a_block_device_is_refused(fake, tmp_path, run_module, monkeypatch):
    fake.quorum = True
    monkeypatch.setattr(ceph_daemons.stat, 'S_ISBLK', lambda mode: True)
    device = tmp_path / 'sdb'
    device.write_text('')
    result = run_module(ceph_daemons.main, daemons_args(tmp_path, mon=False, mgr=False,
                                                        osds=[{'path': str(device), 'size': '1G'}]))
    assert result['failed'] and 'is a block device; this role makes OSDs on files only' in result['msg']
    assert fake.ceph_commands('osd', 'new') == []


def test_a_half_made_monitor_is_refused(fake, tmp_path, run_module):
    directory = tmp_path / 'lib' / 'mon' / 'ceph-storage1'
    directory.mkdir(parents=True)
    (directory / 'keyring').write_text('x')
    result = run_module(ceph_daemons.main, daemons_args(tmp_path, osds=[]))
    assert result['failed'] and 'holds files but no monitor store' in result['msg']


def test_no_quorum_is_a_sentence(fake, tmp_path, run_module, monkeypatch):
    monkeypatch.setattr(FakeCeph, 'run', lambda self, argv, data=None: (1, '', 'timed out')
                        if argv[0] == 'ceph' else (0, '', ''))
    monkeypatch.setattr(ceph_daemons.time, 'sleep', lambda seconds: None)
    result = run_module(ceph_daemons.main, daemons_args(tmp_path, mgr=False, osds=[], timeout=0))
    assert result['failed'] and 'formed no quorum' in result['msg']


@pytest.mark.parametrize('size, expected', [(1024, 1024), ('10G', 10 * 1024 ** 3), ('512M', 512 * 1024 ** 2),
                                            ('2TiB', 2 * 1024 ** 4), ('100', 100)])
def test_size_bytes(size, expected):
    assert ceph.size_bytes(size) == expected


@pytest.mark.parametrize('size', ['ten', '1.5G', '', True])
def test_size_bytes_refuses(size):
    with pytest.raises(ceph.CephError, match='is not a number of bytes'):
        ceph.size_bytes(size)


CLIENTS = [{'name': 'client.cinder', 'key': KEY,
            'caps': {'mon': 'profile rbd',
                     'osd': 'profile rbd pool=volumes, profile rbd pool=vms, profile rbd-read-only pool=images'}}]
POOLS = [{'name': 'images'}, {'name': 'volumes'}]


def cluster_args(**extra):
    args = {'failure_domain': 'osd', 'pool_size': 3, 'pool_min_size': 2, 'pools': POOLS, 'clients': CLIENTS}
    args.update(extra)
    return args


def test_cluster_converges_then_changes_nothing(fake, run_module):
    fake.quorum = True
    checked = run_module(ceph_cluster.main, cluster_args(), check_mode=True)
    assert checked['changed'] and fake.pools == {} and fake.ceph_commands('auth', 'import') == []
    result = run_module(ceph_cluster.main, cluster_args())
    assert result['changed'] and result['health'] == 'HEALTH_OK'
    assert 'msgr2 enabled on storage1' in result['changes'] and 'CRUSH rule replicated_osd created' in result['changes']
    assert sorted(fake.pools) == ['images', 'volumes']
    assert fake.pools['volumes']['crush_rule'] == 1 and 'rbd' in fake.pools['volumes']['application_metadata']
    assert fake.auth['client.cinder'] == {'key': KEY, 'caps': CLIENTS[0]['caps']}
    assert KEY not in result['_raw']
    again = run_module(ceph_cluster.main, cluster_args())
    assert not again['changed'] and again['changes'] == []


def test_growing_to_three_hosts_moves_the_pools_to_the_host_rule(fake, run_module):
    fake.quorum = True
    run_module(ceph_cluster.main, cluster_args(pool_size=1, pool_min_size=1))
    assert fake.pools['images']['size'] == 1
    assert ['--yes-i-really-mean-it'] == [c[-1:] for c in fake.ceph_commands('osd', 'pool', 'set')
                                          if 'size' in c][0]
    result = run_module(ceph_cluster.main, cluster_args(failure_domain='host'))
    assert 'pool images uses rule replicated_host' in result['changes']
    assert fake.pools['images']['size'] == 3 and fake.pools['images']['crush_rule'] == 2


def test_a_client_key_that_differs_is_imported_again(fake, run_module):
    fake.quorum = True
    fake.auth['client.cinder'] = {'key': 'AQOldKey', 'caps': CLIENTS[0]['caps']}
    result = run_module(ceph_cluster.main, cluster_args(pools=[]))
    assert 'client.cinder given its key and caps again' in result['changes']
    assert fake.auth['client.cinder']['key'] == KEY


def test_min_size_above_size_is_refused(fake, run_module):
    result = run_module(ceph_cluster.main, cluster_args(pool_size=2, pool_min_size=3))
    assert result['failed'] and 'pool_min_size (3) must be between 1 and pool_size (2)' in result['msg']
