"""Golden files of the network role's interface files, Debian (ifupdown2 stanzas) and the RHEL family (ifcfg files).

The layout (gureum.openstack.network_interfaces, plugins/plugin_utils/network_layout.py) of a few nodes is rendered
with the role's own templates, as its "Render a file per interface" task does; expected_network/<family>/<case>/
holds one file per interface. tests/offline/test_rhel.py runs the RHEL family path through the real playbook too;
these cases add the Debian files and the layouts the offline inventory has not (the amphora network's NIC on a
linuxbridge node, and on a controller that is also an Open vSwitch network node). After a deliberate change, run
    GUREUM_UPDATE_EXPECTED=1 python -m pytest tests/unit/roles/test_network_templates.py
and review the diff of the expected files.
"""

import os

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.gureum.openstack.plugins.plugin_utils import network_layout

HERE = os.path.dirname(os.path.abspath(__file__))
ROLE = os.path.join(os.path.dirname(os.path.dirname(HERE)), '..', 'roles', 'network')
EXPECTED = os.path.join(HERE, 'expected_network')
UPDATE = os.environ.get('GUREUM_UPDATE_EXPECTED') == '1'

MACS = {'eth0': '52:54:00:00:00:01', 'eth1': '52:54:00:01:00:01', 'eth2': '52:54:00:02:00:01'}
AMPHORA = {'enabled': True, 'interface': 'eth2', 'bridge': '', 'type': 'linux', 'address': '',
           'cidr': '172.31.0.0/24', 'mtu': 0}
# case -> (management, provider, amphora): what the role hands the filter on such a node
CASES = {
    # a controller: its amphora address on the NIC, no gateway (Octavia's worker and health manager use it)
    'controller': ({'interface': 'eth0', 'address': '10.0.0.11', 'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1'},
                   {'enabled': False},
                   dict(AMPHORA, address='172.31.0.11')),
    # a linuxbridge compute node: the NIC up without an address (the agent puts it into brq<network>)
    'compute-linuxbridge': ({'interface': 'eth0', 'address': '10.0.0.31', 'cidr': '10.0.0.0/24',
                             'gateway': '10.0.0.1'},
                            {'enabled': False},
                            AMPHORA),
    # an Open vSwitch network node: br-ex on eth1, br-amphora on eth2, neither with an address
    'network-openvswitch': ({'interface': 'eth0', 'address': '10.0.0.21', 'cidr': '10.0.0.0/24',
                             'gateway': '10.0.0.1'},
                            {'enabled': True, 'interface': 'eth1', 'bridge': 'br-ex', 'type': 'ovs'},
                            dict(AMPHORA, bridge='br-amphora', type='ovs')),
    # a controller that is also an Open vSwitch network node: its amphora address on br-amphora (as br-ex carries a
    # provider_address)
    'allinone-openvswitch': ({'interface': 'eth0', 'address': '10.0.0.11', 'cidr': '10.0.0.0/24',
                              'gateway': '10.0.0.1'},
                             {'enabled': True, 'interface': 'eth1', 'bridge': 'br-ex', 'type': 'ovs',
                              'address': '198.51.100.11', 'cidr': '198.51.100.0/24'},
                             dict(AMPHORA, bridge='br-amphora', type='ovs', address='172.31.0.11')),
}
FAMILIES = ('debian', 'redhat')


def _vars(family):
    with open(os.path.join(ROLE, 'vars', family + '.yml')) as handle:
        return yaml.safe_load(handle)


def _defaults():
    with open(os.path.join(ROLE, 'defaults', 'main.yml')) as handle:
        return yaml.safe_load(handle)


def render(family, case):
    management, provider, amphora = CASES[case]
    interfaces = network_layout.layout(management, provider, [], MACS, True, amphora)
    os_vars = _vars(family)
    files = {}
    for iface in interfaces:
        with open(os.path.join(ROLE, 'templates', os.path.normpath(os_vars['__network_template']))) as handle:
            source = handle.read()
        templar = Templar(loader=DataLoader(), variables={
            'iface': iface, 'ansible_managed': 'Ansible managed', '__network_ovs_datapath': 'system',
            'network_bridge_ports_condone_regex': _defaults()['network_bridge_ports_condone_regex']})
        files[os_vars['__network_file_prefix'] + iface['name']] = templar.template(trust_as_template(source))
    return files


def _expected(family, case):
    directory = os.path.join(EXPECTED, family, case)
    if not os.path.isdir(directory):
        return {}
    result = {}
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name)) as handle:
            result[name] = handle.read()
    return result


@pytest.mark.parametrize('family, case', [(f, c) for f in FAMILIES for c in sorted(CASES)])
def test_interface_files_match_the_golden_files(family, case):
    files = render(family, case)
    if UPDATE:
        directory = os.path.join(EXPECTED, family, case)
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            os.remove(os.path.join(directory, name))
        for name, content in files.items():
            with open(os.path.join(directory, name), 'w') as handle:
                handle.write(content)
    assert files == _expected(family, case)


def test_the_linuxbridge_nic_has_no_address_and_no_bridge():
    files = render('debian', 'compute-linuxbridge')
    assert sorted(files) == ['eth0', 'eth2']
    assert 'iface eth2 inet manual' in files['eth2'] and 'address' not in files['eth2'].split('inet manual')[1]


def test_the_allinone_address_is_on_the_bridge():
    files = render('redhat', 'allinone-openvswitch')
    assert 'IPADDR=172.31.0.11' in files['ifcfg-br-amphora'] and 'IPADDR' not in files['ifcfg-eth2']
    assert 'GATEWAY' not in files['ifcfg-br-amphora']


# ---- Where the amphora network is in use: the network and neutron roles' defaults ----

def _default(role, name, inventory):
    with open(os.path.join(ROLE, '..', role, 'defaults', 'main.yml')) as handle:
        defaults = yaml.safe_load(handle)
    templar = Templar(loader=DataLoader(), variables=dict(inventory))
    return templar.template(trust_as_template(defaults[name]))


OCTAVIA = ['keystone', 'neutron_server', 'octavia']


@pytest.mark.parametrize('inventory, enabled', [
    ({'openstack_services': OCTAVIA, 'amphora_interface': 'eth2'}, True),
    ({'openstack_services': OCTAVIA}, False),
    ({'openstack_services': OCTAVIA, 'amphora_interface': ''}, False),
    ({'openstack_services': ['keystone'], 'amphora_interface': 'eth2'}, False),
])
def test_the_network_role_configures_the_amphora_nic_where_octavia_runs(inventory, enabled):
    assert _default('network', 'network_amphora_enabled', inventory) is enabled


@pytest.mark.parametrize('inventory, expected', [
    ({'openstack_services': OCTAVIA, 'amphora_interface': 'ens35'},
     [{'name': 'amphora', 'interface': 'ens35', 'bridge': 'br-amphora'}]),
    ({'openstack_services': OCTAVIA}, []),
    ({'openstack_services': ['neutron_server'], 'amphora_interface': 'eth2'}, []),
])
def test_neutron_maps_the_amphora_network_where_octavia_runs(inventory, expected):
    assert _default('neutron', 'neutron_extra_physical_networks', inventory) == expected


# ---- The playbooks that apply the network and firewalld roles: who hands the amphora NIC to the L2 agent ----

PLAYBOOKS = os.path.join(ROLE, '..', '..', 'playbooks')
GROUP_MAP = {'controller': 'controller', 'network': 'network', 'compute': 'compute', 'storage': 'storage'}


def _play_vars(playbook):
    with open(os.path.join(PLAYBOOKS, playbook)) as handle:
        plays = yaml.safe_load(handle)
    play = [p for p in plays if any((r.get('role') if isinstance(r, dict) else r) == 'gureum.openstack.network'
                                    for r in p.get('roles', []))][0]
    roles = dict((r['role'], r.get('vars', {})) for r in play['roles'] if isinstance(r, dict))
    return play['vars'], roles['gureum.openstack.network'], roles['gureum.openstack.firewalld']


@pytest.mark.parametrize('playbook', ['prerequisites.yml', 'add_compute.yml'])
@pytest.mark.parametrize('groups, driver, services, bridge_enabled, bridges', [
    (['compute'], 'openvswitch', OCTAVIA, True, ['br-amphora']),
    (['network'], 'openvswitch', OCTAVIA, True, ['br-ex', 'br-amphora']),
    (['compute'], 'linuxbridge', OCTAVIA, True, []),
    (['controller'], 'openvswitch', OCTAVIA, False, []),
    (['controller', 'network'], 'openvswitch', OCTAVIA, True, ['br-ex', 'br-amphora']),
    (['compute'], 'openvswitch', ['neutron_server'], True, []),
])
def test_the_l2_nodes_get_the_amphora_nic_and_br_amphora_joins_the_firewall(playbook, groups, driver, services,
                                                                            bridge_enabled, bridges):
    play_vars, network_vars, firewalld_vars = _play_vars(playbook)
    variables = dict(play_vars, group_names=groups, openstack_groups=GROUP_MAP, openstack_network_driver=driver,
                     openstack_services=services, amphora_interface='eth2')
    templar = Templar(loader=DataLoader(), variables=dict((k, trust_as_template(v) if isinstance(v, str) else v)
                                                          for k, v in variables.items()))
    enabled = templar.template(trust_as_template(network_vars['network_amphora_bridge_enabled']))
    assert bool(enabled) is bridge_enabled
    assert templar.template(trust_as_template(firewalld_vars['firewalld_extra_bridges'])) == bridges
