"""br-ex as the inventory asks: Open vSwitch on network1's eth1, a linux bridge over compute1's only NIC; and a
configuration that cuts the node off is rolled back by the node itself."""

import ipaddress
import json
import os

import pytest
import testinfra.utils.ansible_runner
from testinfra.modules.ansible import AnsibleException

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(os.environ['MOLECULE_INVENTORY_FILE'])
testinfra_hosts = RUNNER.get_hosts('all')
ADDRESS = dict((name, RUNNER.get_variables(name)['ansible_host']) for name in testinfra_hosts)
# the inventory's network variables are templates; their values come from the same environment
MGMT = ipaddress.ip_network(os.environ.get('MOLECULE_LAB_MGMT') or '10.250.0.0/24')
PROVIDER = ipaddress.ip_network(os.environ.get('MOLECULE_LAB_PROVIDER') or '198.18.250.0/24')
FILES = {'network1': ['eth0', 'eth1', 'br-ex'], 'compute1': ['eth0', 'br-ex']}


def name_of(host):
    return host.backend.get_hostname()


def link(host, name):
    return json.loads(host.check_output('ip -j link show dev %s', name))[0]


def addresses(host, name):
    data = json.loads(host.check_output('ip -j -4 addr show dev %s', name))
    return ['%s/%s' % (a['local'], a['prefixlen']) for entry in data for a in entry['addr_info']]


def prefixed(address, network=MGMT):
    return '%s/%d' % (address, network.prefixlen)


def test_one_file_per_interface(host):
    name = name_of(host)
    for iface in FILES[name]:
        f = host.file('/etc/network/interfaces.d/%s' % iface)
        assert f.is_file and f.contains('Ansible managed')


def test_bridge_takes_its_port_mac(host):
    port = 'eth1' if name_of(host) == 'network1' else 'eth0'
    assert link(host, 'br-ex')['address'] == link(host, port)['address']


def test_network_node_has_an_ovs_bridge_on_eth1(host):
    if name_of(host) != 'network1':
        pytest.skip('Open vSwitch on network1')
    assert host.check_output('ovs-vsctl list-ports br-ex').split() == ['eth1']
    assert host.check_output('ovs-vsctl get bridge br-ex datapath_type') == 'netdev'
    assert addresses(host, 'eth0') == [prefixed(ADDRESS['network1'])]


def test_network_node_reaches_the_provider_network_through_br_ex(host):
    if name_of(host) != 'network1':
        pytest.skip('network1 has the provider address')
    assert addresses(host, 'br-ex') == [prefixed(PROVIDER[21], PROVIDER)]
    host.run_expect([0], 'ping -c 2 -W 2 %s', str(PROVIDER[1]))
    route = json.loads(host.check_output('ip -j route show 192.0.2.0/24'))[0]
    assert route['dev'] == 'br-ex' and route['gateway'] == str(PROVIDER[1])


def test_single_nic_moved_the_management_address_to_br_ex(host):
    if name_of(host) != 'compute1':
        pytest.skip('compute1 has one NIC')
    assert link(host, 'eth0')['master'] == 'br-ex'
    assert addresses(host, 'eth0') == []
    assert addresses(host, 'br-ex') == [prefixed(ADDRESS['compute1'])]
    default = json.loads(host.check_output('ip -j route show default'))[0]
    assert default['dev'] == 'br-ex'


def test_unconfirmed_change_that_cuts_the_node_off_is_rolled_back(host):
    if name_of(host) != 'compute1':
        pytest.skip('run once, on the node whose only NIC is bridged')
    path = '/etc/network/interfaces.d/br-ex'
    before = host.file(path).content_string
    mine = ADDRESS['compute1']
    wrong = str(ipaddress.ip_address(mine) + 100)
    args = {
        'files': {path: before.replace(mine + '/', wrong + '/'), '/etc/network/interfaces.d/eth0':
                  host.file('/etc/network/interfaces.d/eth0').content_string},
        'manifest': '/var/lib/gureum-openstack/network-files.json',
        'apply': [['mkdir', '-p', '/run/network'], ['ifreload', '-a']],
        'rollback': [],
        'interfaces': ['eth0', 'br-ex'],
        'confirm_timeout': 8,
        'confirm_token': 'nobody-will-confirm',
    }
    try:
        result = host.ansible('gureum.openstack.network_config', json.dumps(args), check=False)
    except AnsibleException as failure:
        result = failure.result
    assert 'Nobody confirmed the new configuration within 8 s' in result.get('msg', ''), result
    assert host.file(path).content_string == before
    assert addresses(host, 'br-ex') == [prefixed(mine)]
    assert json.loads(host.check_output('ip -j route show default'))[0]['dev'] == 'br-ex'
