"""swift_ring: the builder's report read, the commands planned from it, and (where a real swift-ring-builder is named
by GUREUM_SWIFT_RING_BUILDER) the whole module against the real tool.

The reports below are what swift-ring-builder 2.30.1 (Debian 12's python3-swift) printed for a builder made with
`create 10 3 1`, given three devices (one with meta text) and rebalanced, then with one device marked for removal
(the builder pads the device lines with spaces; '|' marks where they end here).
"""

import os

import pytest

from ansible_collections.gureum.openstack.plugins.modules import swift_ring

NEW = """object.builder, build version 0, id e9a1be78d8c64774afef670ad64b2e46
1024 partitions, 1.000000 replicas, 0 regions, 0 zones, 0 devices, 0.00 balance, 0.00 dispersion
The minimum number of hours before a partition can be reassigned is 1 (0:00:00 remaining)
The overload factor is 0.00% (0.000000)
Ring file object.ring.gz not found, probably it hasn't been written yet
Devices:   id region zone ip address:port replication ip:port  name weight partitions balance flags meta
There are no devices in this ring, or all devices have been deleted
"""

BALANCED = """object.builder, build version 4, id ad403bf818954e018a56f031b1771b80
1024 partitions, 3.000000 replicas, 1 regions, 2 zones, 3 devices, 66.67 balance, 0.00 dispersion
The minimum number of hours before a partition can be reassigned is 1 (0:59:59 remaining)
The overload factor is 0.00% (0.000000)
Ring file object.ring.gz is up-to-date
Devices:   id region zone ip address:port replication ip:port  name weight partitions balance flags meta
            0      1    1  10.0.0.41:6200      10.0.0.41:6200    d1 100.00       1024  -16.67       |
            1      1    2  10.0.0.42:6200      10.0.0.42:6200    d1 100.00       1024  -16.67       |
            2      1    2  10.0.0.42:6200      10.0.0.42:6200    d2  50.00       1024   66.67       some meta
""".replace('|\n', '\n')

REMOVING = """object.builder, build version 5, id ad403bf818954e018a56f031b1771b80
1024 partitions, 3.000000 replicas, 1 regions, 2 zones, 3 devices, 999.99 balance, 0.00 dispersion
The minimum number of hours before a partition can be reassigned is 1 (0:59:52 remaining)
The overload factor is 0.00% (0.000000)
Ring file object.ring.gz is obsolete
Devices:   id region zone ip address:port replication ip:port  name weight partitions balance flags meta
            0      1    1  10.0.0.41:6200      10.0.0.41:6200    d1 100.00       1024  -33.33       |
            1      1    2  10.0.0.42:6200      10.0.0.42:6200    d1 100.00       1024  -33.33       |
            2      1    2  10.0.0.42:6200      10.0.0.42:6200    d2   0.00       1024  999.99   DEL some meta
""".replace('|\n', '\n')

# an IPv6 device, as the builder prints its address
IPV6 = BALANCED.replace('10.0.0.41:6200      10.0.0.41:6200', '[fd00::41]:6200    [fd00::41]:6200')


def test_a_new_builder():
    assert swift_ring.parse_builder(NEW) == {'part_power': 10, 'replicas': 1.0, 'min_part_hours': 1,
                                             'ring_file': 'missing', 'devices': []}


def test_a_balanced_builder():
    parsed = swift_ring.parse_builder(BALANCED)
    assert (parsed['part_power'], parsed['replicas'], parsed['ring_file']) == (10, 3.0, 'current')
    assert parsed['devices'][2] == {'id': 2, 'region': 1, 'zone': 2, 'ip': '10.0.0.42', 'port': 6200, 'device': 'd2',
                                    'weight': 50.0, 'partitions': 1024, 'removing': False}
    assert [d['device'] for d in parsed['devices']] == ['d1', 'd1', 'd2']


def test_a_device_marked_for_removal():
    parsed = swift_ring.parse_builder(REMOVING)
    assert parsed['ring_file'] == 'obsolete'
    assert [d['removing'] for d in parsed['devices']] == [False, False, True]


def test_an_ipv6_address():
    assert swift_ring.parse_builder(IPV6)['devices'][0]['ip'] == 'fd00::41'


def test_a_report_it_cannot_read():
    with pytest.raises(swift_ring.RingError, match='lacks part_power, replicas'):
        swift_ring.parse_builder('Ring Builder file does not exist: object.builder\n')


def _devices(*specs, **kwargs):
    return swift_ring.wanted_devices([dict(zip(('ip', 'device', 'weight', 'zone'), spec)) for spec in specs],
                                     kwargs.get('port', 6200))


THREE = _devices(('10.0.0.41', 'd1', 100, 1), ('10.0.0.42', 'd1', 100, 2), ('10.0.0.42', 'd2', 50, 2))


def test_a_new_ring_is_created_filled_and_rebalanced():
    commands, rebalance = swift_ring.plan(None, _devices(('10.0.0.41', 'd1')), 10, 1, 1)
    assert commands == [['create', '10', '1', '1'],
                        ['add', '--region', '1', '--zone', '1', '--ip', '10.0.0.41', '--port', '6200', '--device', 'd1',
                         '--weight', '100.0']]
    assert rebalance


def test_the_same_devices_change_nothing():
    assert swift_ring.plan(swift_ring.parse_builder(BALANCED), THREE, 10, 3, 1) == ([], False)


@pytest.mark.parametrize('devices, replicas, hours, expected', [
    # a device left out is removed
    (_devices(('10.0.0.41', 'd1', 100, 1), ('10.0.0.42', 'd1', 100, 2), ('10.0.0.43', 'd1', 100, 3)), 3, 1,
     [['remove', 'd2'], ['add', '--region', '1', '--zone', '3', '--ip', '10.0.0.43', '--port', '6200', '--device', 'd1',
                         '--weight', '100.0']]),
    # a new weight
    (_devices(('10.0.0.41', 'd1', 100, 1), ('10.0.0.42', 'd1', 100, 2), ('10.0.0.42', 'd2', 80, 2)), 3, 1,
     [['set_weight', 'd2', '80.0']]),
    # a new zone: removed and added again
    (_devices(('10.0.0.41', 'd1', 100, 3), ('10.0.0.42', 'd1', 100, 2), ('10.0.0.42', 'd2', 50, 2)), 3, 1,
     [['remove', 'd0'], ['add', '--region', '1', '--zone', '3', '--ip', '10.0.0.41', '--port', '6200', '--device',
                         'd1', '--weight', '100.0']]),
    # fewer replicas, other hours
    (THREE, 2, 0, [['set_replicas', '2'], ['set_min_part_hours', '0']]),
])
def test_changes_are_planned(devices, replicas, hours, expected):
    commands, rebalance = swift_ring.plan(swift_ring.parse_builder(BALANCED), devices, 10, replicas, hours)
    assert commands == expected
    assert rebalance


def test_an_obsolete_ring_file_is_rebalanced_though_the_devices_are_right():
    devices = _devices(('10.0.0.41', 'd1', 100, 1), ('10.0.0.42', 'd1', 100, 2), ('10.0.0.42', 'd2', 50, 2))
    del devices[('10.0.0.42', 6200, 'd2')]
    devices[('10.0.0.43', 6200, 'd1')] = dict(devices[('10.0.0.42', 6200, 'd1')], ip='10.0.0.43')
    parsed = swift_ring.parse_builder(REMOVING)
    commands, rebalance = swift_ring.plan(parsed, devices, 10, 3, 1)
    # the device marked for removal is not removed twice
    assert commands == [['add', '--region', '1', '--zone', '2', '--ip', '10.0.0.43', '--port', '6200', '--device',
                         'd1', '--weight', '100.0']]
    assert swift_ring.plan(parsed, _devices(('10.0.0.41', 'd1', 100, 1), ('10.0.0.42', 'd1', 100, 2)), 10, 2, 1) == (
        [['set_replicas', '2']], True)


@pytest.mark.parametrize('current, devices, power, replicas, message', [
    (BALANCED, THREE, 12, 3, 'has partition power 10, not 12'),
    (None, {}, 10, 1, 'no devices'),
    (None, _devices(('10.0.0.41', 'd1')), 10, 3, '3 replicas need at least as many devices, and the ring has 1'),
])
def test_refused(current, devices, power, replicas, message):
    with pytest.raises(swift_ring.RingError, match=message):
        swift_ring.plan(current and swift_ring.parse_builder(current), devices, power, replicas, 1)


@pytest.mark.parametrize('devices, message', [
    ([{'ip': '10.0.0.41'}], 'each device needs ip and device'),
    ([{'ip': '10.0.0.41', 'device': 'd1'}, {'ip': '10.0.0.41', 'device': 'd1'}], 'named twice'),
])
def test_bad_devices(devices, message):
    with pytest.raises(swift_ring.RingError, match=message):
        swift_ring.wanted_devices(devices, 6200)


REAL = os.environ.get('GUREUM_SWIFT_RING_BUILDER')
RINGS = [{'name': 'account', 'port': 6202}, {'name': 'container', 'port': 6201}, {'name': 'object', 'port': 6200}]


@pytest.mark.skipif(not REAL, reason='GUREUM_SWIFT_RING_BUILDER names no real swift-ring-builder')
def test_against_the_real_ring_builder(run_module, tmp_path):
    args = {'builder_dir': str(tmp_path), 'rings': RINGS, 'command': REAL, 'part_power': 8, 'replicas': 1,
            'devices': [{'ip': '10.0.0.41', 'device': 'd1'}]}
    checked = run_module(swift_ring.main, args, check_mode=True)
    assert checked['changed'] and not os.listdir(str(tmp_path))
    first = run_module(swift_ring.main, args)
    assert first['changed'], first
    assert sorted(n for n in os.listdir(str(tmp_path)) if n.endswith('.ring.gz')) == [
        'account.ring.gz', 'container.ring.gz', 'object.ring.gz']
    again = run_module(swift_ring.main, args)
    assert not again['changed'] and again['rings']['object'] == {'commands': [], 'rebalanced': False}
    # a second device: added everywhere, and the rings rebalanced
    grown = dict(args, devices=args['devices'] + [{'ip': '10.0.0.42', 'device': 'd1', 'zone': 2}], replicas=2)
    second = run_module(swift_ring.main, grown)
    assert second['changed'] and second['rings']['account']['commands'][-1] == ['rebalance']
    assert not run_module(swift_ring.main, grown)['changed']
    refused = run_module(swift_ring.main, dict(grown, part_power=9))
    assert refused['failed'] and 'partition power 8, not 9' in refused['msg']
