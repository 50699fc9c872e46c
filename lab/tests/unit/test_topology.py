import pytest

from ansible_collections.gureum.lab.plugins.module_utils import topology as lab_topology

NETS = {'management': {'cidr': '10.0.0.0/24'}, 'provider': {'cidr': '198.51.100.0/24'}}
NODES = [{'name': 'controller', 'address': '10.0.0.11', 'groups': ['controller']},
         {'name': 'compute1', 'address': '10.0.0.31', 'groups': 'compute'}]


def test_valid_topology_is_normalised():
    topo = lab_topology.validate('lab', NETS, NODES)
    assert topo['networks']['management'] == {'name': 'management', 'cidr': '10.0.0.0/24', 'prefix': 24,
                                              'gateway': '10.0.0.1', 'bridge': 'br-mgmt'}
    assert topo['networks']['provider']['bridge'] == 'br-provider'
    assert topo['nodes'][1] == {'name': 'compute1', 'address': '10.0.0.31', 'groups': ['compute'], 'provider': True,
                                'amphora': False, 'amphora_address': None}


def test_provider_is_optional():
    topo = lab_topology.validate('lab', {'management': NETS['management']}, NODES[:1])
    assert topo['nodes'][0]['provider'] is False


@pytest.mark.parametrize('lab, networks, nodes, message', [
    ('Lab', NETS, NODES, 'lab name'),
    ('toolongname', NETS, NODES, 'lab name'),
    ('lab', {'provider': NETS['provider']}, NODES, "needs a 'management' network"),
    ('lab', dict(NETS, storage={'cidr': '10.1.0.0/24'}), NODES, 'unknown lab network'),
    ('lab', {'management': {'cidr': '10.0.0.5/24'}}, NODES, 'not a network address'),
    ('lab', {'management': {'cidr': '10.0.0.0/30'}}, NODES, 'too small'),
    ('lab', {'management': {}}, NODES, "needs a 'cidr'"),
    ('lab', {'management': {'cidr': 'fd00::/64'}}, NODES, 'only IPv4'),
    ('lab', {'management': NETS['management'], 'provider': {'cidr': '203.0.113.0/24'}}, NODES, 'package mirror'),
    ('lab', {'management': NETS['management'], 'provider': {'cidr': '10.0.0.0/16'}}, NODES, 'overlap'),
    ('lab', {'management': {'cidr': '10.0.0.0/24', 'gateway': '10.0.1.1'}}, NODES, 'gateway: 10.0.1.1 is outside'),
    ('lab', dict(NETS, amphora={'cidr': '172.31.0.0/26'}), NODES, "'amphora': 172.31.0.0/26 is too small"),
    ('lab', dict(NETS, amphora={'cidr': '198.51.100.0/25'}), NODES, 'overlap'),
    ('lab', dict(NETS, amphora={'cidr': '203.0.113.0/24'}), NODES, 'package mirror'),
    ('lab', dict(NETS, amphora={'cidr': '172.31.0.0/24'}),
     [{'name': 'controller', 'address': '10.0.0.111', 'groups': ['controller']}],
     "controller 'controller' needs an address on the amphora network"),
    ('lab', NETS, [], 'no nodes'),
    ('lab', NETS, [{'name': 'Controller', 'address': '10.0.0.11'}], 'lowercase host name'),
    ('lab', NETS, [{'name': 'averyveryverylongname', 'address': '10.0.0.11'}], 'at most 12'),
    ('lab', NETS, [{'name': 'a', 'address': '10.0.0.11'}, {'name': 'a', 'address': '10.0.0.12'}], 'listed twice'),
    ('lab', NETS, [{'name': 'a'}], 'no management address'),
    ('lab', NETS, [{'name': 'a', 'address': '10.0.1.11'}], 'outside the usable range of 10.0.0.0/24'),
    ('lab', NETS, [{'name': 'a', 'address': '10.0.0.255'}], 'outside the usable range'),
    ('lab', NETS, [{'name': 'a', 'address': 'ten'}], 'not an IPv4 address'),
    ('lab', NETS, [{'name': 'a', 'address': '10.0.0.1'}], 'the management gateway'),
    ('lab', NETS, [{'name': 'a', 'address': '10.0.0.9'}, {'name': 'b', 'address': '10.0.0.9'}], "used by node 'a'"),
])
def test_bad_topology_is_refused(lab, networks, nodes, message):
    with pytest.raises(lab_topology.TopologyError, match=message):
        lab_topology.validate(lab, networks, nodes)


def test_uplink_is_stable_and_link_local():
    first, second = lab_topology.uplink('lab'), lab_topology.uplink('lab')
    assert first == second
    assert first['network'].startswith('169.254.') and first['network'].endswith('.0/30')
    assert first['host'].endswith('.1') and first['lab'].endswith('.2')


def test_uplink_moves_past_taken_slots():
    first = lab_topology.uplink('lab')
    second = lab_topology.uplink('lab', [first['network'], '10.0.0.0/8'])
    assert second['network'] != first['network']
    assert second == lab_topology.uplink('lab', [first['network']])


def test_uplink_space_exhausted():
    with pytest.raises(lab_topology.TopologyError, match='no free /30'):
        lab_topology.uplink('lab', ['169.254.0.0/16'])


@pytest.mark.parametrize('lab', ['a', 'lab', 'abcdefgh'])
def test_link_names_fit_linux_limits(lab):
    assert len(lab_topology.names(lab)['host_link']) <= 15
    for link in lab_topology.node_names(lab, 'abcdefghijkl')['links'].values():
        assert len(link) <= 15


AMPHORA = dict(NETS, amphora={'cidr': '172.31.0.0/24'})


def test_amphora_network_gives_every_node_a_nic_and_controllers_the_same_host_number():
    nodes = NODES + [{'name': 'compute9', 'address': '10.0.0.131', 'groups': ['compute']},
                     {'name': 'storage1', 'address': '10.0.0.41', 'groups': ['storage'], 'amphora': False}]
    topo = lab_topology.validate('lab', AMPHORA, nodes)
    assert topo['networks']['amphora'] == {'name': 'amphora', 'cidr': '172.31.0.0/24', 'prefix': 24,
                                           'gateway': '172.31.0.1', 'bridge': 'br-amphora'}
    found = dict((n['name'], (n['amphora'], n['amphora_address'])) for n in topo['nodes'])
    assert found == {'controller': (True, '172.31.0.11'), 'compute1': (True, '172.31.0.31'),
                     # a host number inside the amphorae's pool: no address (only controllers need one)
                     'compute9': (True, None), 'storage1': (False, None)}


def test_amphora_links_are_named_per_node():
    assert lab_topology.node_names('lab', 'compute1')['links']['amphora'] == 'compute1-e2'
