import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.ceph import ceph_client_files, ceph_mon_host

FSID = '1b4e28ba-2fa1-11d2-883f-0016d3cca427'
KEY = 'AQBQ8fZlAAAAABAAxvZ3ej0rNfaWfmY0K2RdzA=='


@pytest.mark.parametrize('addresses, ports, expected', [
    (['10.0.0.41'], (), '[v2:10.0.0.41:3300,v1:10.0.0.41:6789]'),
    (['10.0.0.41', '10.0.0.42'], (3310, 6799),
     '[v2:10.0.0.41:3310,v1:10.0.0.41:6799],[v2:10.0.0.42:3310,v1:10.0.0.42:6799]'),
    (['ceph1.example.org:6789'], (), 'ceph1.example.org:6789'),
    (['[v2:192.0.2.1:3300,v1:192.0.2.1:6789]', 'v2:192.0.2.2:3300'], (),
     '[v2:192.0.2.1:3300,v1:192.0.2.1:6789],v2:192.0.2.2:3300'),
])
def test_ceph_mon_host(addresses, ports, expected):
    assert ceph_mon_host(addresses, *ports) == expected


@pytest.mark.parametrize('addresses', [[], '10.0.0.41', None, ['']])
def test_ceph_mon_host_refuses(addresses):
    with pytest.raises(AnsibleFilterError, match='^ceph_mon_host: '):
        ceph_mon_host(addresses)


@pytest.mark.parametrize('name', ['cinder', 'client.cinder'])
def test_ceph_client_files(name):
    conf, keyring = ceph_client_files(FSID, ['10.0.0.41'], name, KEY, 'cinder', ['cinder-volume'])
    assert conf == {'path': '/etc/ceph/ceph.conf', 'owner': 'root', 'group': 'root', 'mode': '0644',
                    'units': ['cinder-volume'],
                    'content': '[global]\nfsid = %s\nmon_host = [v2:10.0.0.41:3300,v1:10.0.0.41:6789]\n' % FSID}
    assert keyring == {'path': '/etc/ceph/ceph.client.cinder.keyring', 'owner': 'root', 'group': 'cinder',
                       'mode': '0640', 'units': ['cinder-volume'], 'content': '[client.cinder]\n\tkey = %s\n' % KEY}
    assert KEY not in conf['content']


def test_ceph_client_files_without_units_feed_every_unit():
    files = ceph_client_files(FSID, ['10.0.0.41'], 'cinder-backup', KEY, 'cinder', cluster='lab')
    assert [f['path'] for f in files] == ['/etc/ceph/lab.conf', '/etc/ceph/lab.client.cinder-backup.keyring']
    assert all('units' not in f for f in files)


@pytest.mark.parametrize('args, message', [
    (('', ['10.0.0.41'], 'cinder', KEY, 'cinder'), "expects the cluster's fsid"),
    ((FSID, ['10.0.0.41'], 'Cinder!', KEY, 'cinder'), "'Cinder!' is not a Ceph client name"),
    ((FSID, ['10.0.0.41'], 'glance', '', 'glance'), 'client.glance has no key; put it in the secrets file'),
    ((FSID, ['10.0.0.41'], 'glance', KEY, ''), 'expects the group'),
    ((FSID, [], 'glance', KEY, 'glance'), "expects the monitors' addresses"),
])
def test_ceph_client_files_refuses(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ceph_client_files(*args)
