"""The amphora network's prechecks (Octavia's lb-mgmt-net): each broken input refused with its sentence."""

import copy

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog, prechecks

from test_prechecks import by_name, host, lab, problems

AMPHORA_NET = {'cidr': '172.31.0.0/24'}


def amphora_lab():
    settings, hosts = lab()
    settings['services'] = settings['services'] + ['octavia']
    # the secrets role has loaded Octavia's secrets too
    secrets = dict((name, True) for name in catalog.required_secrets(
        catalog.select(catalog.catalog(), settings['services'])))
    for h in hosts:
        h['vars']['secrets'] = dict(secrets)
        h['facts']['interfaces'] = h['facts']['interfaces'] + ['eth2']
        h['facts']['eth2'] = {}
        h['vars'].update(amphora_interface='eth2', amphora_network=dict(AMPHORA_NET))
    controller = by_name(hosts, 'controller')
    controller['vars']['amphora_address'] = '172.31.0.11'
    controller['facts']['eth2'] = {'ipv4': {'address': '172.31.0.11'}}
    return settings, hosts


def test_a_sound_amphora_network_passes():
    assert problems(*amphora_lab()) == []


def test_without_octavia_nothing_is_asked():
    settings, hosts = lab()
    assert [p for p in problems(settings, hosts) if p['check'].startswith('amphora')] == []


def test_a_storage_node_needs_no_amphora_nic():
    settings, hosts = amphora_lab()
    storage = host('storage1', '10.0.0.41', ['storage'])
    hosts.append(storage)
    assert [p for p in problems(settings, hosts) if p['host'] == 'storage1'] == []


def _set(name, key, value, where='vars'):
    def mutate(settings, hosts):
        by_name(hosts, name)[where][key] = copy.deepcopy(value)
    return mutate


def _all(key, value):
    def mutate(settings, hosts):
        for h in hosts:
            h['vars'][key] = copy.deepcopy(value)
    return mutate


def _drop(name, key):
    def mutate(settings, hosts):
        by_name(hosts, name)['vars'].pop(key, None)
    return mutate


CASES = [
    ('no amphora network', _all('amphora_network', None), 'amphora_network',
     "controller has no amphora_network: set amphora_network: {cidr: 172.31.0.0/24} for all hosts"),
    ('amphora network not a network', _all('amphora_network', {'cidr': '172.31.0.1/24'}), 'amphora_network',
     "amphora_network.cidr '172.31.0.1/24' (host controller) is not an IPv4 network in CIDR notation"),
    ('amphora network ipv6', _all('amphora_network', {'cidr': 'fd00:31::/64'}), 'amphora_network',
     'is not an IPv4 network'),
    ('amphora network too small', _all('amphora_network', {'cidr': '172.31.0.0/26'}), 'amphora_network',
     'amphora_network.cidr 172.31.0.0/26 is too small'),
    ('amphora network overlaps the management network', _all('amphora_network', {'cidr': '10.0.0.0/16'}),
     'amphora_network', 'The amphora network 10.0.0.0/16 overlaps the management network 10.0.0.0/24'),
    ('amphora network overlaps the provider network', _all('amphora_network', {'cidr': '198.51.100.0/24'}),
     'amphora_network', 'overlaps the provider network 198.51.100.0/24: give it a range of its own'),
    ('amphora mtu', _all('amphora_network', dict(AMPHORA_NET, mtu=100)), 'mtu_valid', 'amphora_network.mtu 100'),
    ('controller without an amphora address', _drop('controller', 'amphora_address'), 'amphora_address',
     "controller is a controller and Octavia is deployed, but it has no amphora_address: set it to an address of "
     "amphora_network below 172.31.0.100 (the amphorae's pool starts there), like 172.31.0.11"),
    ('amphora address outside its network', _set('controller', 'amphora_address', '172.31.1.11'), 'amphora_address',
     "controller: amphora_address '172.31.1.11' must be a host address inside amphora_network (172.31.0.0/24)."),
    ('amphora address not an address', _set('controller', 'amphora_address', 'ctl'), 'amphora_address',
     "amphora_address 'ctl' must be a host address inside"),
    ('amphora address in the pool', _set('controller', 'amphora_address', '172.31.0.150'), 'amphora_address',
     "controller: amphora_address 172.31.0.150 lies in the amphorae's pool (172.31.0.100-172.31.0.253), where "
     "Neutron would give it to an amphora too: pick an address below 172.31.0.100, like 172.31.0.11."),
    ('amphora address in the pool on a compute node', _set('compute1', 'amphora_address', '172.31.0.200'),
     'amphora_address', "compute1: amphora_address 172.31.0.200 lies in the amphorae's pool"),
    ('two nodes, one amphora address', _set('compute1', 'amphora_address', '172.31.0.11'), 'addresses_unique',
     'Address 172.31.0.11 is given to controller (amphora), compute1 (amphora)'),
    ('no amphora interface', _drop('compute1', 'amphora_interface'), 'amphora_interface_set',
     "Octavia is deployed, but compute1 (a compute node) has no amphora_interface: set it to its NIC on the amphora "
     "network"),
    ('amphora interface is the management interface', _set('compute1', 'amphora_interface', 'eth0'),
     'amphora_interface_set', 'compute1: amphora_interface eth0 is also its management_interface: the amphora '
                              'network needs a NIC of its own'),
    ('amphora interface is the provider interface', _set('network1', 'amphora_interface', 'eth1'),
     'amphora_interface_set', 'network1: amphora_interface eth1 is also its provider_interface'),
    ('amphora interface name impossible', _set('compute1', 'amphora_interface', 'eth2:1'), 'interface_names',
     "compute1: amphora_interface 'eth2:1' cannot be a Linux interface name"),
    ('amphora interface missing on the node', _set('compute1', 'amphora_interface', 'ens35'), 'amphora_interface',
     'compute1 has no interface ens35 for the amphora network (it has eth0, eth1, eth2, lo): set amphora_interface '
     'to its NIC on that network.'),
    ('amphora interface with another address', _set('network1', 'eth2', {'ipv4': {'address': '192.168.7.5'}},
                                                    where='facts'),
     'amphora_interface', 'network1: amphora interface eth2 carries 192.168.7.5, which the network role would '
                          'remove'),
    ('ifupdown claims the amphora interface', _set('compute1', 'ifupdown_foreign', ['eth2'], where='node'),
     'network_conflicts', 'configures eth2'),
]


@pytest.mark.parametrize('mutate, check, words', [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_each_broken_amphora_network_is_refused_with_its_sentence(mutate, check, words):
    settings, hosts = amphora_lab()
    mutate(settings, hosts)
    found = problems(settings, hosts)
    mine = [p for p in found if p['check'] == check]
    assert mine, found
    assert any(words in p['msg'] for p in mine), mine


def test_the_address_the_network_role_wrote_is_fine():
    settings, hosts = amphora_lab()
    # after a deployment: the all-in-one's address on br-amphora, a linuxbridge node's NIC inside brq<network>
    by_name(hosts, 'compute1')['facts']['eth2'] = {}
    assert problems(settings, hosts) == []


def test_the_checks_are_listed_with_their_stage():
    for check in ('amphora_network', 'amphora_address', 'amphora_interface_set'):
        assert check in prechecks.INVENTORY_CHECKS and check in prechecks.CHECKS
    assert 'amphora_interface' in prechecks.CHECKS and 'amphora_interface' not in prechecks.INVENTORY_CHECKS


def test_what_stops_the_amphora_image_build_here_is_refused_before_anything_changes():
    settings, hosts = amphora_lab()
    settings['amphora_build'] = ['the amphora image is built from the Debian archive of this machine\'s apt sources, '
                                 'and http://deb.example/debian/dists/bookworm/InRelease could not be downloaded (E)']
    mine = [p for p in problems(settings, hosts) if p['check'] == 'amphora_image_build']
    assert [p['msg'] for p in mine] == [
        'The amphora image is built from the Debian archive of this machine\'s apt sources, and '
        'http://deb.example/debian/dists/bookworm/InRelease could not be downloaded (E).']
    assert mine[0]['host'] is None and 'amphora_image_build' in prechecks.INVENTORY_CHECKS


def test_an_image_of_the_users_own_needs_no_build_here():
    settings, hosts = amphora_lab()
    settings['amphora_build'] = None   # the action leaves it out with octavia_image_file
    assert [p for p in problems(settings, hosts) if p['check'] == 'amphora_image_build'] == []
