"""playbooks/prechecks.yml refuses broken inventories, each with its sentence, before touching any node.

Each case is a small inventory (written to a temporary directory) that differs from a sound one in one way.
The runs go four at a time. No packet leaves this machine: every host's ansible_host is port 9 on loopback,
where nothing listens (the last case shows that refused connections are reported too).
"""

import concurrent.futures
import copy
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

SOUND = {
    'all': {
        'vars': {
            'ansible_connection': 'ssh', 'ansible_host': '127.0.0.1', 'ansible_port': 9,
            'openstack_release': 'zed', 'openstack_region': 'RegionOne',
            'openstack_groups': {'controller': 'controller', 'network': 'network', 'compute': 'compute',
                                 'storage': 'storage'},
            'openstack_services': ['ssh', 'chrony_server', 'mariadb', 'nova_compute', 'neutron_linuxbridge_agent'],
            'management_network': {'cidr': '192.0.2.0/24', 'gateway': '192.0.2.1'},
            'provider_network': {'cidr': '198.51.100.0/24', 'gateway': '198.51.100.1'},
        },
        'hosts': {
            'controller1': {'management_address': '192.0.2.11',
                            'management_interface': 'eth0'},
            'network1': {'management_address': '192.0.2.21',
                         'management_interface': 'eth0', 'provider_interface': 'eth1'},
            'compute1': {'management_address': '192.0.2.31',
                         'management_interface': 'eth0'},
        },
        'children': {'controller': {'hosts': {'controller1': {}}}, 'network': {'hosts': {'network1': {}}},
                     'compute': {'hosts': {'compute1': {}}}},
    }
}


def host_var(host, key, value):
    def change(inv):
        inv['all']['hosts'][host][key] = value
    return change


def var(key, value):
    def change(inv):
        inv['all']['vars'][key] = value
    return change


def https(cert, key):
    def change(inv):
        inv['all']['vars'].update(openstack_public_scheme='https', openstack_tls_cert_file=cert,
                                  openstack_tls_key_file=key)
    return change


def rename(old, new):
    def change(inv):
        hosts = inv['all']['hosts']
        hosts[new] = hosts.pop(old)
        for group in inv['all']['children'].values():
            if old in group['hosts']:
                group['hosts'][new] = group['hosts'].pop(old)
    return change


def empty_group(name):
    def change(inv):
        inv['all']['children'][name]['hosts'] = {}
    return change


CASES = [
    ('no management address', host_var('compute1', 'management_address', None), '[management_address]',
     'compute1 has no management_address'),
    ('address outside its network', host_var('compute1', 'management_address', '10.9.9.9'), '[address_in_network]',
     'outside the management network 192.0.2.0/24'),
    ('two hosts, one address', host_var('compute1', 'management_address', '192.0.2.21'), '[addresses_unique]',
     'Address 192.0.2.21 is given to'),
    ('overlapping networks', var('provider_network', {'cidr': '192.0.2.128/25'}), '[networks_disjoint]', 'overlap'),
    ('gateway outside its network', var('management_network', {'cidr': '192.0.2.0/24', 'gateway': '192.0.3.1'}),
     '[networks_valid]', 'must be a host address inside 192.0.2.0/24'),
    ('unknown service', var('openstack_services', ['ssh', 'chrony_server', 'nvoa']), '[services_known]',
     'unknown service(s) nvoa'),
    ('no compute node', empty_group('compute'), '[groups_present]', "Group 'compute' (node role compute)"),
    ('underscore in a host name', rename('compute1', 'compute_1'), '[hostname_valid]', 'not a valid host name'),
    ('unknown release', var('openstack_release', 'folsom'), '[release_known]', "'folsom' is not a release"),
    ('region with a space', var('openstack_region', 'Region One'), '[region]', 'without spaces'),
    ('network node without provider interface', host_var('network1', 'provider_interface', None),
     '[provider_interface_set]', 'has no provider_interface'),
    ('unknown bridge type', host_var('network1', 'network_bridge_type', 'macvtap'), '[option_values]',
     "network_bridge_type is 'macvtap'"),
    # the secrets role generates every catalog secret; a secret the user must bring is not generated
    ('secret missing', var('prechecks_required_secrets', ['ldap_bind_password']),
     '[secrets_present]', "Secret 'ldap_bind_password' is not set"),
    # the day-1 stacks' templates and parameters (bootstrap.yml would meet them last, after every node changed)
    ('stack template missing', var('bootstrap_stacks', [{'name': 'stack1', 'template': 'heat/none.yaml'}]),
     '[stacks_valid]', 'heat/none.yaml does not exist'),
    ('stack parameter undeclared', var('bootstrap_stacks', [{
        'name': 'stack1', 'template': os.path.join(ROOT, 'inventories', 'example', 'heat', 'stack1.yaml'),
        'parameters': {'image': 'cirros', 'flavor': 'm1.tiny', 'network': 'private', 'flavour': 'm1.small'}}]),
     '[stacks_valid]', "parameter 'flavour' is not declared by template"),
    # HTTPS: the user's certificate and key are read on this machine before any node is contacted
    ('https certificate missing', https('/nonexistent/cloud.crt', '/nonexistent/cloud.key'), '[tls_files]',
     'openstack_tls_cert_file /nonexistent/cloud.crt does not exist on the machine running Ansible'),
    ('https key without certificate', https('', '/nonexistent/cloud.key'), '[tls_files]',
     'Only one of openstack_tls_cert_file and openstack_tls_key_file is set'),
    ('https public, http internal on one address',
     lambda inv: inv['all']['vars'].update(openstack_public_scheme='https', openstack_internal_scheme='http'),
     '[endpoint_schemes]', 'openstack_public_scheme is https but openstack_internal_scheme is http'),
    # networking: a VLAN outside the ranges, a mapping to a bridge no node builds, two drivers, userspace refused
    ('vlan network outside the ranges', lambda inv: inv['all']['vars'].update(
        openstack_provider_vlan_ranges=['100:199'],
        bootstrap_networks=[{'name': 'vlan250', 'provider': {'network_type': 'vlan', 'physical_network': 'provider',
                                                             'segmentation_id': 250}}]),
     '[vlan_ranges]', "VLAN network 'vlan250' has segmentation_id 250, outside openstack_provider_vlan_ranges (100:199)"),
    ('provider mapped to a bridge no node builds', host_var('network1', 'neutron_provider_bridge', 'br-provider'),
     '[bridge_mappings]', 'Neutron maps the physical network provider to br-provider'),
    ('two mechanism drivers', host_var('compute1', 'openstack_network_driver', 'openvswitch'), '[one_l2_agent]',
     'openstack_network_driver differs between nodes'),
    ('userspace datapath asked for and turned off', lambda inv: (
        inv['all']['vars'].update(openstack_network_driver='openvswitch', openstack_services=[
            'ssh', 'chrony_server', 'mariadb', 'nova_compute', 'neutron_openvswitch_agent']),
        inv['all']['hosts']['compute1'].update(openstack_ovs_datapath_type='netdev',
                                               openstack_ovs_userspace_datapath=False)),
     '[ovs_datapath_options]', 'compute1: openstack_ovs_datapath_type is netdev (userspace)'),
    # the amphora network (Octavia's lb-mgmt-net): the controller needs its address there
    ('controller without an amphora address', lambda inv: inv['all']['vars'].update(
        openstack_services=['ssh', 'chrony_server', 'mariadb', 'nova_compute', 'neutron_linuxbridge_agent', 'octavia'],
        amphora_network={'cidr': '172.31.0.0/24'}, amphora_interface='eth2'),
     '[amphora_address]', 'controller1 is a controller and Octavia is deployed, but it has no amphora_address'),
    ('nodes that do not answer', lambda inv: None, '[reachable]', 'Ansible cannot reach controller1'),
]


def run_case(tmp, case):
    name, change, dummy, dummy = case
    inventory = copy.deepcopy(SOUND)
    change(inventory)
    path = os.path.join(tmp, name.replace(' ', '-').replace(',', '') + '.yml')
    with open(path, 'w') as handle:
        json.dump(inventory, handle)  # JSON is YAML
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_CACHE_PLUGIN='memory',
               ANSIBLE_FORCE_COLOR='0', ANSIBLE_TIMEOUT='3')
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', path,
         os.path.join(ROOT, 'playbooks', 'prechecks.yml')],
        cwd=ROOT, env=env, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return proc


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp('prechecks'))
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = dict((case[0], pool.submit(run_case, tmp, case)) for case in CASES)
    return dict((name, future.result()) for name, future in futures.items())


def test_at_least_ten_broken_inventories():
    assert len(CASES) >= 10


@pytest.mark.parametrize('name, check, words', [(c[0], c[2], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_broken_inventory_is_refused_with_its_sentence(runs, name, check, words):
    proc = runs[name]
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert check in proc.stdout and words in proc.stdout, proc.stdout[-3000:]


@pytest.mark.parametrize('name', [c[0] for c in CASES if c[2] != '[reachable]'])
def test_inventory_problems_stop_before_any_node_is_contacted(runs, name):
    # the first play fails, so the play that reads the nodes never starts
    assert 'Read the node' not in runs[name].stdout, runs[name].stdout[-3000:]
