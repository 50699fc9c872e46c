import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import network_layout as nl

MGMT = {'interface': 'eth0', 'address': '10.0.0.21', 'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1'}
PROVIDER = {'enabled': True, 'interface': 'eth1', 'bridge': 'br-ex', 'type': 'linux'}
MACS = {'eth0': '52:54:00:00:00:00', 'eth1': '52:54:00:00:00:01'}


def by_name(interfaces):
    return dict((i['name'], i) for i in interfaces)


def test_management_only():
    (eth0,) = nl.layout(MGMT)
    assert eth0['addresses'] == ['10.0.0.21/24']
    assert eth0['gateway'] == '10.0.0.1'
    assert eth0['kind'] == 'ethernet'


def test_management_can_be_left_alone():
    assert nl.layout(MGMT, manage_management=False) == []


def test_provider_bridge_on_its_own_interface():
    interfaces = nl.layout(MGMT, PROVIDER, macs=MACS)
    assert [i['name'] for i in interfaces] == ['eth0', 'eth1', 'br-ex']
    ifs = by_name(interfaces)
    assert ifs['eth1']['kind'] == 'port' and ifs['eth1']['master'] == 'br-ex'
    assert ifs['br-ex']['ports'] == ['eth1']
    assert ifs['br-ex']['hwaddress'] == MACS['eth1']
    assert ifs['br-ex']['addresses'] == []
    assert ifs['eth0']['gateway'] == '10.0.0.1'


def test_provider_address_goes_to_the_bridge():
    provider = dict(PROVIDER, address='198.51.100.21', cidr='198.51.100.0/24', mtu=9000, type='ovs')
    ifs = by_name(nl.layout(MGMT, provider, macs=MACS))
    assert ifs['br-ex']['addresses'] == ['198.51.100.21/24']
    assert ifs['br-ex']['bridge_type'] == 'ovs' and ifs['eth1']['bridge_type'] == 'ovs'
    assert ifs['br-ex']['mtu'] == 9000 and ifs['eth1']['mtu'] == 9000


def test_single_nic_moves_the_management_address_to_the_bridge():
    provider = dict(PROVIDER, interface='eth0')
    interfaces = nl.layout(dict(MGMT, mtu=1450), provider, macs=MACS)
    assert [i['name'] for i in interfaces] == ['eth0', 'br-ex']
    ifs = by_name(interfaces)
    assert ifs['eth0']['kind'] == 'port' and ifs['eth0']['addresses'] == []
    assert ifs['br-ex']['addresses'] == ['10.0.0.21/24']
    assert ifs['br-ex']['gateway'] == '10.0.0.1'
    assert ifs['br-ex']['hwaddress'] == MACS['eth0']
    assert ifs['br-ex']['mtu'] == 1450 and ifs['eth0']['mtu'] == 1450


def test_routes_go_to_the_interface_that_reaches_the_gateway():
    provider = dict(PROVIDER, address='198.51.100.21', cidr='198.51.100.0/24')
    routes = [{'to': '10.9.0.0/16', 'via': '10.0.0.254'}, {'to': '192.0.2.0/24', 'via': '198.51.100.1', 'metric': 5}]
    ifs = by_name(nl.layout(MGMT, provider, routes, MACS))
    assert ifs['eth0']['routes'] == [{'to': '10.9.0.0/16', 'via': '10.0.0.254'}]
    assert ifs['br-ex']['routes'] == [{'to': '192.0.2.0/24', 'via': '198.51.100.1', 'metric': 5}]


@pytest.mark.parametrize('management, provider, routes, macs, message', [
    (dict(MGMT, cidr='10.0.0.1/24'), None, None, {}, 'management network .* is not a network'),
    (dict(MGMT, address='10.0.1.5'), None, None, {}, 'outside its network'),
    (dict(MGMT, address='10.0.0.255'), None, None, {}, 'network or broadcast'),
    (dict(MGMT, address='nope'), None, None, {}, 'is not an IP address'),
    (dict(MGMT, gateway='10.0.0.21'), None, None, {}, "node's own management address"),
    (dict(MGMT, gateway='10.1.0.1'), None, None, {}, 'management gateway .* outside'),
    (dict(MGMT, interface='a-very-long-interface-name'), None, None, {}, 'not a valid interface name'),
    (dict(MGMT, mtu=100), None, None, {}, 'outside 576-9216'),
    (MGMT, dict(PROVIDER, type='bridge'), None, MACS, "neither 'linux' nor 'ovs'"),
    (MGMT, dict(PROVIDER, interface='eth7'), None, MACS, 'eth7 does not exist on this node'),
    (MGMT, dict(PROVIDER, bridge='eth1'), None, MACS, 'has the name of an interface'),
    (MGMT, dict(PROVIDER, address='10.0.0.99', cidr='10.0.0.0/25'), None, MACS, 'overlaps the management network'),
    (MGMT, None, [{'to': '10.9.0.0/16'}], {}, 'needs to .* and via'),
    (MGMT, None, [{'to': '10.9.0.0/16', 'via': '172.16.0.1'}], {}, 'on none of the networks'),
    (MGMT, None, [{'to': '10.9.0.0/16', 'via': '10.0.0.9', 'interface': 'br-ex'}], {}, 'names interface br-ex'),
])
def test_bad_data_is_refused(management, provider, routes, macs, message):
    with pytest.raises(nl.LayoutError, match=message):
        nl.layout(management, provider, routes, macs)


# ---- The amphora network (Octavia's lb-mgmt-net) ----

AMPHORA = {'enabled': True, 'interface': 'eth2', 'bridge': '', 'type': 'linux', 'address': '', 'cidr': '172.31.0.0/24'}
MACS3 = dict(MACS, eth2='52:54:00:00:00:02')


def test_amphora_off_adds_nothing():
    assert [i['name'] for i in nl.layout(MGMT, macs=MACS3, amphora=dict(AMPHORA, enabled=False))] == ['eth0']


def test_controller_gets_a_plain_amphora_address():
    interfaces = nl.layout(MGMT, macs=MACS3, amphora=dict(AMPHORA, address='172.31.0.11'))
    assert [i['name'] for i in interfaces] == ['eth0', 'eth2']
    eth2 = by_name(interfaces)['eth2']
    assert eth2['kind'] == 'ethernet' and eth2['addresses'] == ['172.31.0.11/24'] and eth2['gateway'] == ''


def test_linuxbridge_node_brings_the_nic_up_without_an_address():
    eth2 = by_name(nl.layout(MGMT, PROVIDER, macs=MACS3, amphora=AMPHORA))['eth2']
    assert eth2['kind'] == 'ethernet' and eth2['addresses'] == [] and eth2['master'] == ''


def test_ovs_node_gets_br_amphora_with_the_nic_as_its_port():
    amphora = dict(AMPHORA, bridge='br-amphora', type='ovs', mtu=1500)
    interfaces = nl.layout(MGMT, dict(PROVIDER, type='ovs'), macs=MACS3, amphora=amphora)
    assert [i['name'] for i in interfaces] == ['eth0', 'eth1', 'br-ex', 'eth2', 'br-amphora']
    ifs = by_name(interfaces)
    assert ifs['eth2']['kind'] == 'port' and ifs['eth2']['master'] == 'br-amphora'
    assert ifs['eth2']['bridge_type'] == 'ovs' and ifs['br-amphora']['bridge_type'] == 'ovs'
    assert ifs['br-amphora']['ports'] == ['eth2'] and ifs['br-amphora']['hwaddress'] == MACS3['eth2']
    assert ifs['br-amphora']['addresses'] == [] and ifs['br-amphora']['mtu'] == 1500


def test_an_address_on_an_ovs_node_goes_to_the_bridge():
    amphora = dict(AMPHORA, bridge='br-amphora', type='ovs', address='172.31.0.11')
    ifs = by_name(nl.layout(MGMT, macs=MACS3, amphora=amphora))
    assert ifs['br-amphora']['addresses'] == ['172.31.0.11/24'] and ifs['eth2']['addresses'] == []


@pytest.mark.parametrize('cidr, pool', [
    ('172.31.0.0/24', ('172.31.0.100', '172.31.0.253')),
    ('172.31.0.0/25', ('172.31.0.100', '172.31.0.125')),
    ('10.8.0.0/16', ('10.8.0.100', '10.8.255.253')),
])
def test_amphora_pool(cidr, pool):
    assert tuple(str(a) for a in nl.amphora_pool(cidr)) == pool


@pytest.mark.parametrize('cidr, message', [
    ('172.31.0.0/26', 'too small'),
    ('fd00::/64', 'not an IPv4 network'),
    ('172.31.0.1/24', 'not a network'),
])
def test_amphora_pool_refuses(cidr, message):
    with pytest.raises(nl.LayoutError, match=message):
        nl.amphora_pool(cidr)


@pytest.mark.parametrize('provider, amphora, message', [
    (None, dict(AMPHORA, interface='eth7'), 'amphora interface eth7 does not exist'),
    (None, dict(AMPHORA, interface='eth0'), 'needs a NIC of its own'),
    (PROVIDER, dict(AMPHORA, interface='eth1'), 'needs a NIC of its own'),
    (None, dict(AMPHORA, address='172.31.1.11'), 'outside its network'),
    (None, dict(AMPHORA, address='172.31.0.150'), r"lies in the amphorae's pool 172.31.0.100-172.31.0.253"),
    (None, dict(AMPHORA, address='10.0.0.200', cidr='10.0.0.0/24'), 'overlaps the management network'),
    (dict(PROVIDER, cidr='172.31.0.0/16'), dict(AMPHORA, address='172.31.0.11'), 'overlaps the provider network'),
    (None, dict(AMPHORA, bridge='br-amphora', type='vlan'), "neither 'linux' nor 'ovs'"),
    (None, dict(AMPHORA, bridge='eth2'), 'has the name of another interface'),
    (None, dict(AMPHORA, mtu=50), 'amphora MTU 50 is outside'),
])
def test_bad_amphora_data_is_refused(provider, amphora, message):
    with pytest.raises(nl.LayoutError, match=message):
        nl.layout(MGMT, provider, macs=MACS3, amphora=amphora)
