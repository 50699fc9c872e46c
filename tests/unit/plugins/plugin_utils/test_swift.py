"""Swift's device data: one node's devices checked and filled in, the rings' device list, the replica count."""

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import swift


def test_a_directory_gets_the_defaults():
    assert swift.node_devices('storage1', [{'name': 'd1'}]) == [
        {'name': 'd1', 'device': None, 'weight': 100.0, 'zone': 1, 'region': 1}]


def test_a_block_device_keeps_its_settings():
    assert swift.node_devices('storage1', [{'name': 'sdb', 'device': '/dev/sdb', 'weight': 4000, 'zone': 2}], 3) == [
        {'name': 'sdb', 'device': '/dev/sdb', 'weight': 4000.0, 'zone': 2, 'region': 1}]


def test_the_node_zone_is_the_default_zone():
    assert swift.node_devices('storage2', [{'name': 'd1'}], 2)[0]['zone'] == 2


@pytest.mark.parametrize('devices, message', [
    ([], 'must be a list of devices'),
    ('d1', 'must be a list of devices'),
    ([{'device': '/dev/sdb'}], 'each device needs a name'),
    ([{'name': '../etc'}], 'each device needs a name'),
    ([{'name': 'd1'}, {'name': 'd1'}], "names device 'd1' twice"),
    ([{'name': 'd1', 'size': 10}], r'unknown field\(s\) size'),
    ([{'name': 'd1', 'device': 'sdb'}], 'give a block device such as /dev/sdb'),
    ([{'name': 'd1', 'weight': 0}], 'needs a weight above 0'),
    ([{'name': 'd1', 'weight': True}], 'needs a weight above 0'),
    ([{'name': 'd1', 'zone': 0}], 'zone must be a whole number of at least 1'),
    ([{'name': 'd1', 'region': 'east'}], 'region must be a whole number'),
])
def test_bad_devices_are_refused_with_the_host(devices, message):
    with pytest.raises(swift.SwiftError, match='storage1: swift_devices'):
        swift.node_devices('storage1', devices)
    with pytest.raises(swift.SwiftError, match=message):
        swift.node_devices('storage1', devices)


def test_ring_devices_of_two_nodes():
    assert swift.ring_devices(['10.0.0.41', '10.0.0.42'], [[{'name': 'd1'}, {'name': 'd2', 'weight': 50}],
                                                           [{'name': 'd1'}]], [1, 2], ['storage1', 'storage2']) == [
        {'ip': '10.0.0.41', 'device': 'd1', 'weight': 100.0, 'zone': 1, 'region': 1},
        {'ip': '10.0.0.41', 'device': 'd2', 'weight': 50.0, 'zone': 1, 'region': 1},
        {'ip': '10.0.0.42', 'device': 'd1', 'weight': 100.0, 'zone': 2, 'region': 1},
    ]


@pytest.mark.parametrize('addresses, devices, message', [
    (['10.0.0.41'], [], 'two lists of one length'),
    (['10.0.0.41', '10.0.0.41'], [[{'name': 'd1'}], [{'name': 'd1'}]], 'share the management address 10.0.0.41'),
    ([''], [[{'name': 'd1'}]], 'has no management_address'),
    (['10.0.0.41'], [[{'name': 'd1', 'device': 'sdb'}]], 'give a block device'),
])
def test_ring_devices_refused(addresses, devices, message):
    with pytest.raises(swift.SwiftError, match=message):
        swift.ring_devices(addresses, devices)


@pytest.mark.parametrize('wanted, count, expected', [(3, 1, 1), (3, 2, 2), (3, 3, 3), (3, 12, 3), (1, 4, 1)])
def test_replicas(wanted, count, expected):
    assert swift.replicas(wanted, count) == expected


@pytest.mark.parametrize('wanted, count, message', [
    (0, 3, 'swift_ring_replicas must be a whole number'),
    (3, 0, 'at least one device'),
])
def test_replicas_refused(wanted, count, message):
    with pytest.raises(swift.SwiftError, match=message):
        swift.replicas(wanted, count)
