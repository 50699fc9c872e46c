"""The inventory the lab role writes (roles/lab/templates/hosts.yml.j2) for a topology, and the lab arguments
scripts/lib/lab_args.py reads back from it (the scripts that grow or reboot a lab rebuild it with the same shape)."""

import importlib.util
import os

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.gureum.lab.plugins.module_utils import topology as lab_topology

LAB = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE = os.path.join(LAB, 'roles', 'lab', 'templates', 'hosts.yml.j2')
LAB_ARGS = os.path.join(os.path.dirname(LAB), 'scripts', 'lib', 'lab_args.py')

NETS = {'management': {'cidr': '10.0.0.0/24'}, 'provider': {'cidr': '198.51.100.0/24'},
        'amphora': {'cidr': '172.31.0.0/24'}}
NODES = [{'name': 'controller', 'address': '10.0.0.11', 'groups': ['controller']},
         {'name': 'network1', 'address': '10.0.0.21', 'groups': ['network']},
         {'name': 'compute1', 'address': '10.0.0.31', 'groups': ['compute']}]
INTERFACES = {'management': 'eth0', 'provider': 'eth1', 'amphora': 'eth2'}


def render(networks, interfaces=None):
    interfaces = INTERFACES if interfaces is None else interfaces
    topo = lab_topology.validate('lab', networks, NODES)
    with open(TEMPLATE) as handle:
        source = handle.read()
    templar = Templar(loader=DataLoader(), variables={
        'ansible_managed': 'Ansible managed', 'lab_name': 'lab', 'lab_ssh_key': '/var/lib/gureum-lab/id_ed25519',
        'lab_interfaces': interfaces,
        '__lab': {'netns': 'gureum-lab', 'networks': topo['networks'], 'nodes': topo['nodes']}})
    return yaml.safe_load(templar.template(trust_as_template(source)))


def test_the_inventory_has_the_amphora_network():
    inventory = render(NETS)['all']
    assert inventory['vars']['amphora_network'] == {'cidr': '172.31.0.0/24'}
    hosts = inventory['hosts']
    assert hosts['controller']['amphora_interface'] == 'eth2'
    assert hosts['controller']['amphora_address'] == '172.31.0.11'
    assert hosts['compute1']['amphora_interface'] == 'eth2' and 'amphora_address' not in hosts['compute1']
    assert hosts['network1']['amphora_interface'] == 'eth2' and 'amphora_address' not in hosts['network1']


def test_a_lab_without_the_amphora_network_writes_none_of_it():
    inventory = render(dict((k, v) for k, v in NETS.items() if k != 'amphora'),
                       {'management': 'eth0', 'provider': 'eth1'})['all']
    assert 'amphora_network' not in inventory['vars']
    assert not any(key.startswith('amphora') for h in inventory['hosts'].values() for key in h)


def _lab_args():
    spec = importlib.util.spec_from_file_location('lab_args', LAB_ARGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lab_args


@pytest.mark.parametrize('networks, interfaces', [
    (NETS, {'management': 'ens33', 'provider': 'ens34', 'amphora': 'ens35'}),
    ({'management': NETS['management'], 'provider': NETS['provider']}, {'management': 'eth0', 'provider': 'eth1'}),
])
def test_lab_args_read_the_networks_back(tmp_path, monkeypatch, networks, interfaces):
    monkeypatch.delenv('E2E_LAB_ARGS', raising=False)
    path = tmp_path / 'hosts-lab.yml'
    path.write_text(yaml.safe_dump(render(networks, interfaces)))
    args = _lab_args()(str(path))
    assert args['lab_networks'] == dict((name, {'cidr': net['cidr']}) for name, net in networks.items())
    assert args['lab_interfaces'] == interfaces
