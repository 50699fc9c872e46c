"""Bad input: inventories/example broken one way at a time, each refused by playbooks/prechecks.yml with a sentence
that says how to fix it, before any node or the cloud changes.

Every case is data: a name, a mutation of one of the example's files (a list of steps {file, path, value}: set the
value at that path; append: true adds it to the list there) and a fragment of the expected sentence, check id
included. Each case is a copy of the example inventory with that one change, and with every host's ansible_host on
port 9 of loopback, where nothing listens: no packet leaves this machine. One case reads this machine as compute1
(ansible_connection: local) to show that an interface the node does not have is refused by the node checks, which
still only read.

Each run must (a) fail, (b) print the expected sentence, (c) end with changed=0 for every host of its recap; and
the inventory cases must stop before any node is contacted. The runs go four at a time.
"""

import concurrent.futures
import copy
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, 'inventories', 'example')
FILES = {'hosts': 'hosts.yml', 'main': 'group_vars/all/main.yml', 'day1': 'group_vars/all/day1.yml'}


def step(file, path, value, append=False):
    return {'file': file, 'path': path, 'value': value, 'append': append}


# (name, mutation, expected fragment). Paths are dotted; a number indexes a list.
CASES = [
    # ---- addresses and networks (hosts.yml) ----
    ('duplicate management address', [step('hosts', 'all.hosts.compute2.management_address', '10.0.0.31')],
     '[addresses_unique] Address 10.0.0.31 is given to compute1 (management), compute2 (management): every node '
     'needs its own address.'),
    ('management address outside its network', [step('hosts', 'all.hosts.compute2.management_address', '10.0.1.32')],
     '[address_in_network] compute2: management address 10.0.1.32 is outside the management network 10.0.0.0/24'),
    ('provider address outside the provider network',
     [step('hosts', 'all.hosts.network.provider_address', '10.0.0.121')],
     "[provider_address] network: provider_address '10.0.0.121' must be an address inside provider_network "
     "(198.51.100.0/24)"),
    ('management gateway outside its network', [step('hosts', 'all.vars.management_network.gateway', '10.0.9.1')],
     "[networks_valid] management_network.gateway '10.0.9.1' must be a host address inside 10.0.0.0/24."),
    ('overlapping networks', [step('hosts', 'all.vars.provider_network', {'cidr': '10.0.0.0/16'})],
     '[networks_disjoint] The management network 10.0.0.0/24 and the provider network 10.0.0.0/16 overlap'),
    ('bad MTU', [step('hosts', 'all.vars.management_network.mtu', 100000)],
     '[mtu_valid] management_network.mtu 100000 must be between 576 and 9216 (or left out).'),
    ('interface name that cannot exist', [step('hosts', 'all.vars.provider_interface', 'ens34/1')],
     "[interface_names] network: provider_interface 'ens34/1' cannot be a Linux interface name"),
    ('interface the node does not have', [
        step('hosts', 'all.hosts.compute1.ansible_connection', 'local'),
        step('hosts', 'all.hosts.compute1.ansible_become', False),
        step('hosts', 'all.hosts.compute1.ansible_python_interpreter', '/usr/bin/python3'),
        step('hosts', 'all.hosts.compute1.management_interface', 'gureum-none0')],
     '[management_interface] compute1 has no interface gureum-none0 (it has '),
    ('unknown bridge type', [step('hosts', 'all.hosts.network.network_bridge_type', 'macvtap')],
     "[option_values] network: network_bridge_type is 'macvtap'; use one of linux, ovs."),
    # ---- services and groups ----
    ('unknown service', [step('main', 'openstack_services', ['ssh', 'chrony_server', 'mariadb', 'nvoa'])],
     '[services_known] openstack_services: unknown service(s) nvoa'),
    ('a group the services need is empty', [step('hosts', 'all.children.network.hosts', {})],
     "[groups_present] Group 'network' (node role network) is missing or empty, but "),
    ('a group the services need is missing from openstack_groups', [
        step('main', 'openstack_groups', {'controller': 'controller', 'network': 'neutron', 'compute': 'compute',
                                          'storage': 'storage'})],
     "[groups_present] Group 'neutron' (node role network) is missing or empty"),
    ('two controllers', [step('hosts', 'all.children.controller.hosts.network', {})],
     "[single_controller] Group 'controller' holds 2 hosts (controller, network)"),
    ('unknown release', [step('main', 'openstack_release', 'folsom')],
     "[release_known] openstack_release 'folsom' is not a release this collection deploys"),
    # ---- day-1 networks (group_vars/all/day1.yml) ----
    ('subnet outside its network', [step('day1', 'bootstrap_networks.0.subnets.0.cidr', '203.0.113.0/24')],
     "[day1_networks] bootstrap_networks: network 'ext_net': subnet 'ext_subnet' 203.0.113.0/24 is outside "
     "provider_network 198.51.100.0/24"),
    ('allocation pool outside its subnet', [step('day1', 'bootstrap_networks.0.subnets.0.allocation_pools',
                                                 [{'start': '198.51.100.101', 'end': '198.51.101.200'}])],
     "[day1_networks] bootstrap_networks: network 'ext_net': subnet 'ext_subnet': allocation pool end 198.51.101.200 "
     "is outside 198.51.100.0/24; use a host address of the subnet."),
    ('allocation pool holding the gateway', [step('day1', 'bootstrap_networks.0.subnets.0.allocation_pools',
                                                  [{'start': '198.51.100.1', 'end': '198.51.100.50'}])],
     "subnet 'ext_subnet': the gateway 198.51.100.1 lies inside allocation pool 198.51.100.1-198.51.100.50; start "
     "the pool after it."),
    ("allocation pool holding a node's provider address", [step('hosts', 'all.hosts.network.provider_address',
                                                                '198.51.100.150')],
     "[day1_networks] bootstrap_networks: network 'ext_net': subnet 'ext_subnet': allocation pool "
     "198.51.100.101-198.51.100.200 holds 198.51.100.150, network's provider_address"),
    ('physical network Neutron does not map', [step('day1', 'bootstrap_networks.0.provider.physical_network',
                                                    'physnet1')],
     "[day1_networks] bootstrap_networks: network 'ext_net': is on physical network 'physnet1', but Neutron maps only "
     "'provider'"),
    ('day-1 network with a bad MTU', [step('day1', 'bootstrap_networks.1.mtu', 65000)],
     "[day1_networks] bootstrap_networks: network 'demo_private01': mtu 65000 must be a whole number from 576 to "
     "9216"),
    ('router on an unknown network', [step('day1', 'bootstrap_routers.0.external_gateway', 'ext-net')],
     "[day1_routers] bootstrap_routers: router 'DEMO_R1': has its gateway on unknown network 'ext-net': name a "
     "network of bootstrap_networks with external: true"),
    ('router interface on a network, not a subnet', [step('day1', 'bootstrap_routers.0.interfaces',
                                                          ['demo_private01'])],
     "[day1_routers] bootstrap_routers: router 'DEMO_R1': has an interface on unknown subnet 'demo_private01'"),
    ('floating IP on an internal network', [step('day1', 'bootstrap_floating_ips.0.network', 'demo_private01')],
     "[day1_floating_ips] bootstrap_floating_ips: floating ip 'demo-web01-fip': is on network 'demo_private01', "
     "which is not external"),
    # ---- day-1 servers and what they use ----
    ('unknown flavor', [step('day1', 'bootstrap_servers.0.flavor', 'm1.medium')],
     "[day1_servers] bootstrap_servers: server 'demo-web01': uses flavor 'm1.medium', which is not defined under "
     "bootstrap_flavors: add it there or use one of m1.small, m1.tiny."),
    ('unknown image', [step('day1', 'bootstrap_servers.0.image', 'cirros')],
     "[day1_servers] bootstrap_servers: server 'demo-web01': uses image 'cirros', which is not defined under "
     "bootstrap_images"),
    ('unknown keypair', [step('day1', 'bootstrap_servers.0.key_name', 'demokey')],
     "[day1_servers] bootstrap_servers: server 'demo-web01': uses key_name 'demokey', which is not defined under "
     "bootstrap_keypairs"),
    ('server on an unknown network', [step('day1', 'bootstrap_servers.0.networks', ['demo_private02'])],
     "[day1_servers] bootstrap_servers: server 'demo-web01': is on unknown network 'demo_private02'"),
    ('unknown security group', [step('day1', 'bootstrap_servers.0.security_groups', ['www_ssh_permit'])],
     "[day1_servers] bootstrap_servers: server 'demo-web01': uses unknown security group 'www_ssh_permit'"),
    ('quota below what the servers need', [step('day1', 'bootstrap_projects.0.quotas.ram', 128)],
     "[day1_quotas] bootstrap_projects: project 'demo': quota ram is 128, but the day-1 resources need 256 (its "
     "servers' flavors' RAM in MiB): raise it to at least 256"),
    ('no room for the servers', [step('day1', 'bootstrap_projects.0.quotas.instances', 0)],
     "[day1_quotas] bootstrap_projects: project 'demo': quota instances is 0, but the day-1 resources need 1"),
    ('unknown quota', [step('day1', 'bootstrap_projects.0.quotas.instance', 10)],
     "[day1_quotas] bootstrap_projects: project 'demo': quota 'instance' is not one the bootstrap role sets"),
    ('flavor without a size', [step('day1', 'bootstrap_flavors.0.ram', '256M')],
     "[day1_flavors] bootstrap_flavors: flavor 'm1.tiny': ram must be a whole number of MiB (at least 1), not '256M'"),
    ('image file missing', [step('day1', 'bootstrap_images', [{'name': 'gureum-guest', 'file': '/nonexistent/g.img'}])],
     "[day1_images] bootstrap_images: image 'gureum-guest': file /nonexistent/g.img does not exist on the machine "
     "running Ansible"),
    ('resource in an unknown project', [step('day1', 'bootstrap_keypairs.0.project', 'demo2')],
     "[day1_owners] bootstrap_keypairs: keypair 'demoweb': belongs to project 'demo2', which is neither defined under "
     "bootstrap_projects nor built in"),
    ('flavor listed twice', [step('day1', 'bootstrap_flavors', {'name': 'm1.tiny', 'vcpus': 1, 'ram': 512},
                                  append=True)],
     "[day1_names] bootstrap_flavors: flavor 'm1.tiny': is listed twice; names must be unique"),
    ('stack parameter the template does not declare', [step('day1', 'bootstrap_stacks.0.parameters.flavour',
                                                            'm1.tiny')],
     "[stacks_valid] bootstrap_stacks: stack 'stack1': parameter 'flavour' is not declared by template "
     "heat/stack1.yaml"),
    # ---- day-1 volumes, with a storage host (so Cinder is deployed and the example's storage lists are made) ----
    ('volume on an unknown server', [
        step('hosts', 'all.hosts.storage1', {'ansible_host': '127.0.0.1', 'ansible_port': 9,
                                             'management_address': '10.0.0.41'}),
        step('hosts', 'all.children.storage.hosts', {'storage1': {}}),
        step('day1', 'bootstrap_volumes', [{'name': 'vol1', 'project': 'demo', 'user': 'demo', 'size': 1,
                                            'volume_type': 'standard', 'server': 'demo-web02'}])],
     "[day1_volumes] bootstrap_volumes: volume 'vol1': is attached to unknown server 'demo-web02': add it to "
     "bootstrap_servers or fix server."),
    # ---- day-1 load balancers: refused without Octavia; with it (openstack_services naming octavia, which the
    # example's load-balancer data follows), a member naming a server bootstrap_servers does not have ----
    ('load balancer without Octavia', [step('day1', 'bootstrap_load_balancers', [
        {'name': 'demo-lb', 'project': 'demo', 'user': 'demo', 'vip_subnet': 'demo_private01_subnet',
         'listeners': [{'name': 'demo-lb-http', 'port': 80,
                        'pool': {'name': 'demo-lb-pool', 'members': [{'server': 'demo-web01', 'port': 80}]}}]}])],
     "[day1_load_balancers] day-1 data: bootstrap_load_balancers lists demo-lb, but Octavia is not deployed (octavia is "
     "not in openstack_services): add octavia to openstack_services, or remove the load balancers."),
    ('load balancer member on an unknown server', [
        step('main', 'openstack_services', ['ssh', 'chrony_server', 'mariadb', 'rabbitmq', 'memcached', 'keystone',
                                            'glance', 'placement', 'nova', 'nova_compute', 'neutron_server',
                                            'neutron_network_agents', 'neutron_linuxbridge_agent', 'heat', 'heat_cfn',
                                            'octavia']),
        step('day1', 'bootstrap_servers.1.name', 'demo-web03')],
     "[day1_load_balancers] bootstrap_load_balancers: load balancer 'demo-lb': pool 'demo-lb-pool': member "
     "'demo-web02' is not a server of bootstrap_servers (or it is marked absent): add it there or fix server."),
]

LOCAL = [c[0] for c in CASES if any(s['path'].endswith('ansible_connection') for s in c[1])]
RECAP = re.compile(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)\s', re.M)


def _load(path):
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def _apply(data, dotted, value, append):
    keys = [int(k) if k.isdigit() else k for k in dotted.split('.')]
    target = data
    for key in keys[:-1]:
        target = target[key] if isinstance(target, list) else target.setdefault(key, {})
    if append:
        target[keys[-1]].append(value)
    else:
        target[keys[-1]] = value


def write_inventory(tmp, name, mutation, secrets=None):
    """A copy of inventories/example with the mutation applied and every host on loopback port 9."""
    top = os.path.join(tmp, re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-'))
    shutil.copytree(EXAMPLE, top)
    data = dict((key, _load(os.path.join(top, path))) for key, path in FILES.items())
    for host in data['hosts']['all']['hosts'].values():
        host.update(ansible_host='127.0.0.1', ansible_port=9)
    for change in mutation:
        _apply(data[change['file']], change['path'], copy.deepcopy(change['value']), change['append'])
    for key, path in FILES.items():
        with open(os.path.join(top, path), 'w') as handle:
            yaml.safe_dump(data[key], handle, default_flow_style=False)
    if secrets:
        # the secrets of an earlier run: the secrets role, the one writer here, then has nothing to write
        shutil.copy(secrets, os.path.join(top, 'secrets.yml'))
    return os.path.join(top, 'hosts.yml')


def run_playbook(inventory):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_CACHE_PLUGIN='memory',
               ANSIBLE_FORCE_COLOR='0', ANSIBLE_TIMEOUT='3')
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory,
         os.path.join(ROOT, 'playbooks', 'prechecks.yml')],
        cwd=ROOT, env=env, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


@pytest.fixture(scope='module')
def sound(tmp_path_factory):
    """The example itself: refused only because its nodes do not answer; it leaves its secrets file behind."""
    tmp = str(tmp_path_factory.mktemp('sound'))
    inventory = write_inventory(tmp, 'example', [])
    return run_playbook(inventory), os.path.join(os.path.dirname(inventory), 'secrets.yml')


@pytest.fixture(scope='module')
def runs(tmp_path_factory, sound):
    tmp = str(tmp_path_factory.mktemp('bad'))
    secrets = sound[1]
    inventories = [write_inventory(tmp, name, mutation, secrets if name in LOCAL else None)
                   for name, mutation, dummy in CASES]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run_playbook, inventories))
    return dict((case[0], result) for case, result in zip(CASES, results))


def recap(stdout):
    return dict(RECAP.findall(stdout.split('PLAY RECAP', 1)[-1]))


def test_enough_bad_input():
    assert len(CASES) >= 25
    assert len(set(c[0] for c in CASES)) == len(CASES)


def test_the_example_passes_every_check_it_can_without_nodes(sound):
    proc, secrets = sound
    problems = [line for line in proc.stdout.splitlines() if line.startswith('[') and '] ' in line]
    assert problems and all(line.startswith('[reachable] ') for line in problems), proc.stdout[-3000:]
    assert os.path.exists(secrets)


@pytest.mark.parametrize('name, words', [(c[0], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_its_sentence(runs, name, words):
    proc = runs[name]
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert words in proc.stdout, proc.stdout[-3000:]


@pytest.mark.parametrize('name', [c[0] for c in CASES], ids=[c[0] for c in CASES])
def test_nothing_changed(runs, name):
    hosts = recap(runs[name].stdout)
    assert set(hosts) >= {'controller', 'network', 'compute1', 'compute2'}, runs[name].stdout[-3000:]
    assert all(changed == '0' for changed in hosts.values()), hosts


@pytest.mark.parametrize('name', [c[0] for c in CASES if c[0] not in LOCAL])
def test_inventory_mistakes_stop_before_any_node_is_contacted(runs, name):
    assert 'Read the node' not in runs[name].stdout, runs[name].stdout[-3000:]
