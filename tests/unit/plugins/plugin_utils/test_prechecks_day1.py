"""The day-1 data (bootstrap_*) and the interface names, checked with the inventory: the example inventory's own
day-1 data passes, and each change breaks exactly one check, with a sentence that names the item and the fix."""

import copy
import os

import pytest
import yaml
from ansible.errors import AnsibleUndefinedVariable
from jinja2.nativetypes import NativeEnvironment

from ansible_collections.gureum.openstack.plugins.action import prechecks as prechecks_action
from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog, day1, prechecks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
EXAMPLE = os.path.join(ROOT, 'inventories', 'example')
MGMT = {'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1'}
PROVIDER = {'cidr': '198.51.100.0/24', 'gateway': '198.51.100.1'}


# The example's storage lists: one expression each, empty without storage hosts
STORAGE_KINDS = ('bootstrap_volume_types', 'bootstrap_volumes', 'bootstrap_containers')


def _render(text, **variables):
    return NativeEnvironment().from_string(text).render(**variables)


def example_day1(storage=(), services=()):
    """inventories/example/group_vars/all/day1.yml, its expressions as Ansible renders them for the example's
    provider_network (nthhost(101) and nthhost(200) of 198.51.100.0/24), the storage hosts ``storage`` and the
    deployed ``services`` (openstack_services: the load-balancer data with octavia)."""
    with open(os.path.join(EXAMPLE, 'group_vars', 'all', 'day1.yml')) as handle:
        data = yaml.safe_load(handle)
    subnet = data['bootstrap_networks'][0]['subnets'][0]
    assert subnet['cidr'] == '{{ provider_network.cidr }}'  # the example still reads so
    subnet.update(cidr=PROVIDER['cidr'], gateway_ip=PROVIDER['gateway'],
                  allocation_pools=[{'start': '198.51.100.101', 'end': '198.51.100.200'}])
    for key in STORAGE_KINDS:
        assert "if groups['storage'] | default([]) | length > 0 else [] }}" in data[key]  # the example still reads so
        data[key] = _render(data[key], groups={'storage': list(storage)})
    # the expressions that follow openstack_services: demo's roles, demo-web02's state, the load balancers
    octavia = {'openstack_services': list(services)}
    data['bootstrap_users'][0]['roles'] = _render(data['bootstrap_users'][0]['roles'], **octavia)
    for server in data['bootstrap_servers']:
        if '{{' in str(server.get('state', '')):
            server['state'] = _render(server['state'], **octavia)
    data['bootstrap_load_balancers'] = _render(data['bootstrap_load_balancers'], **octavia)
    stacks = data.pop('bootstrap_stacks')
    return dict((key[len('bootstrap_'):], value) for key, value in data.items()), stacks


def deployment(storage=False, octavia=False):
    """The example: its four nodes, or with storage storage1 too, and then Cinder and Swift deployed; with octavia,
    Octavia deployed."""
    services = ['ssh', 'chrony_server', 'mariadb', 'nova_compute', 'heat', 'heat_cfn'] \
        + (['cinder', 'cinder_volume', 'swift_proxy', 'swift_storage'] if storage else []) \
        + (['octavia'] if octavia else [])
    day1_data, stacks = example_day1(['storage1'] if storage else [], services)
    settings = {
        'release': 'zed', 'region': 'RegionOne',
        'groups': {'controller': 'controller', 'network': 'network', 'compute': 'compute', 'storage': 'storage'},
        'services': services,
        'catalog_overrides': {}, 'ansible_version': '2.19.14',
        'netaddr': True,
        'roles': sorted(set(entry['role'] for entry in catalog.SERVICES.values())),
        'stacks': stacks, 'templates_dir': EXAMPLE, 'day1': day1_data, 'day1_errors': {},
        'physical_network': 'provider',
    }
    hosts = []
    nodes = (('controller', '10.0.0.11', ['controller']), ('network', '10.0.0.21', ['network']),
             ('compute1', '10.0.0.31', ['compute']), ('compute2', '10.0.0.32', ['compute']))
    for name, address, groups in nodes + ((('storage1', '10.0.0.41', ['storage']),) if storage else ()):
        hvars = {'management_address': address, 'management_interface': 'ens33', 'provider_interface': 'ens34',
                 'management_network': dict(MGMT), 'provider_network': dict(PROVIDER)}
        hosts.append({'name': name, 'groups': groups, 'vars': hvars, 'facts': None, 'node': None,
                      'unreachable': None})
    return settings, hosts


def found(settings, hosts, prefix=('day1_', 'stacks_valid', 'interface_names')):
    return [(p['check'], p['msg']) for p in prechecks.inventory_problems(settings, hosts)
            if p['check'].startswith(prefix)]


def test_the_example_day1_data_passes():
    assert found(*deployment()) == []


def test_the_example_without_storage_hosts_has_no_volumes_nor_containers():
    day1_data, dummy = example_day1()
    assert (day1_data['volume_types'], day1_data['volumes'], day1_data['containers']) == ([], [], [])


def test_the_example_with_a_storage_host_passes_with_its_volume_and_container():
    settings, hosts = deployment(storage=True)
    assert [v['name'] for v in settings['day1']['volumes']] == ['vol1']
    assert settings['day1']['volumes'][0]['size'] == 1
    assert [c['name'] for c in settings['day1']['containers']] == ['demo-container']
    assert found(settings, hosts) == []


def test_every_new_check_is_an_inventory_check():
    new = [c for c in prechecks.CHECKS if c.startswith('day1_')] + ['interface_names']
    assert len(new) == 17
    assert set(new) <= set(prechecks.INVENTORY_CHECKS)


def _day1(path, value, append=False):
    def mutate(settings, hosts):
        target = settings['day1']
        for key in path[:-1]:
            target = target[key]
        if append:
            target[path[-1]].append(value)
        else:
            target[path[-1]] = value
    return mutate


def _host(name, key, value):
    def mutate(settings, hosts):
        [h for h in hosts if h['name'] == name][0]['vars'][key] = value
    return mutate


CASES = [
    # interface names
    ('provider interface with a slash', _host('network', 'provider_interface', 'ens34/1'), 'interface_names',
     "network: provider_interface 'ens34/1' cannot be a Linux interface name (up to 15 characters, no spaces, '/' "
     "or ':'): set it to the interface's name as ip link shows it."),
    ('interface name too long', _host('compute1', 'management_interface', 'enp0s31f6-management'), 'interface_names',
     "compute1: management_interface 'enp0s31f6-management' cannot be a Linux interface name"),
    ('an alias cannot be bridged', _host('network', 'provider_interface', 'ens34:1'), 'interface_names',
     "provider_interface 'ens34:1' cannot be a Linux interface name"),
    ('bridge name with a space', _host('network', 'network_provider_bridge', 'br ex'), 'interface_names',
     "network_provider_bridge 'br ex' cannot be"),
    # quotas
    ('ram quota below the flavors', _day1(['projects', 0, 'quotas', 'ram'], 128), 'day1_quotas',
     "bootstrap_projects: project 'demo': quota ram is 128, but the day-1 resources need 256 (its servers' flavors' "
     "RAM in MiB): raise it to at least 256 (-1: no limit), or make fewer of them."),
    ('no instances', _day1(['projects', 0, 'quotas', 'instances'], 0), 'day1_quotas',
     "quota instances is 0, but the day-1 resources need 1 (its servers)"),
    ('no cores', _day1(['projects', 0, 'quotas', 'cores'], 0), 'day1_quotas',
     "quota cores is 0, but the day-1 resources need 1 (its servers' flavors' virtual CPUs)"),
    ('no floating IPs', _day1(['projects', 0, 'quotas', 'floating_ips'], 0), 'day1_quotas',
     'quota floating_ips is 0, but the day-1 resources need 1 (its floating IPs)'),
    ('no networks', _day1(['projects', 0, 'quotas', 'networks'], 0), 'day1_quotas',
     'quota networks is 0, but the day-1 resources need 1 (its networks)'),
    ('no routers', _day1(['projects', 0, 'quotas', 'routers'], 0), 'day1_quotas',
     'quota routers is 0, but the day-1 resources need 1 (its routers)'),
    ('one security group', _day1(['projects', 0, 'quotas', 'security_groups'], 1), 'day1_quotas',
     'quota security_groups is 1, but the day-1 resources need 2 (its security groups, the default one too)'),
    ('no subnets', _day1(['projects', 0, 'quotas', 'subnets'], 0), 'day1_quotas',
     'quota subnets is 0, but the day-1 resources need 1 (its subnets)'),
    ('unknown quota key', _day1(['projects', 0, 'quotas', 'instance'], 10), 'day1_quotas',
     "quota 'instance' is not one the bootstrap role sets, so it would be ignored; use one of instances, cores"),
    ('negative quota', _day1(['projects', 0, 'quotas', 'cores'], -5), 'day1_quotas',
     'quota cores must be an integer >= -1 (-1: no limit), not -5.'),
    # flavors
    ('ram as text', _day1(['flavors', 0, 'ram'], '256M'), 'day1_flavors',
     "bootstrap_flavors: flavor 'm1.tiny': ram must be a whole number of MiB (at least 1), not '256M'; fix it in "
     "bootstrap_flavors."),
    ('no vcpus', _day1(['flavors', 1, 'vcpus'], 0), 'day1_flavors', "flavor 'm1.small': vcpus must be a whole number"),
    ('negative disk', _day1(['flavors', 1, 'disk'], -1), 'day1_flavors', "flavor 'm1.small': disk must be a whole"),
    # images and key pairs: files on this machine
    ('image file missing', _day1(['images', 0], {'name': 'cirros', 'file': '/nonexistent/cirros.img'}),
     'day1_images', "bootstrap_images: image 'cirros': file /nonexistent/cirros.img does not exist on the machine "
                    "running Ansible; give the absolute path of the disk image to upload, or use guest: true"),
    ('unknown disk format', _day1(['images', 0, 'disk_format'], 'qcow'), 'day1_images',
     "image 'gureum-guest': disk_format 'qcow' is not one Glance accepts"),
    ('public key file missing', _day1(['keypairs', 0, 'public_key_file'], '/nonexistent/id.pub'), 'day1_keypairs',
     "bootstrap_keypairs: keypair 'demoweb': public_key_file /nonexistent/id.pub does not exist on the machine "
     "running Ansible"),
    # networks
    ('unmapped physical network', _day1(['networks', 0, 'provider', 'physical_network'], 'physnet1'),
     'day1_networks', "bootstrap_networks: network 'ext_net': is on physical network 'physnet1', but Neutron maps "
                      "only 'provider' (to the provider bridge, neutron_physical_network): set physical_network: "
                      "provider."),
    ('vlan without an id', _day1(['networks', 0, 'provider'], {'network_type': 'vlan', 'physical_network': 'provider'}),
     'day1_networks', "a vlan provider network needs segmentation_id, a VLAN ID from 1 to 4094, not None."),
    ('flat with an id', _day1(['networks', 0, 'provider', 'segmentation_id'], 100), 'day1_networks',
     'a flat network has no segmentation_id'),
    ('bad network mtu', _day1(['networks', 1, 'mtu'], 65000), 'day1_networks',
     "network 'demo_private01': mtu 65000 must be a whole number from 576 to 9216"),
    ('provider subnet outside provider_network', _day1(['networks', 0, 'subnets', 0, 'cidr'], '203.0.113.0/24'),
     'day1_networks', "bootstrap_networks: network 'ext_net': subnet 'ext_subnet' 203.0.113.0/24 is outside "
                      "provider_network 198.51.100.0/24, the network its flat physical network 'provider' is wired to: "
                      "set its cidr to 198.51.100.0/24 (or a part of it)."),
    ('pool holding a node address', _host('network', 'provider_address', '198.51.100.150'), 'day1_networks',
     "subnet 'ext_subnet': allocation pool 198.51.100.101-198.51.100.200 holds 198.51.100.150, network's "
     "provider_address, which Neutron would hand out again as a floating IP or router gateway: move the pool past "
     "it."),
    ('pool holding the provider gateway', _day1(['networks', 0, 'subnets', 0], {
        'name': 'ext_subnet', 'cidr': '198.51.100.0/24', 'gateway_ip': '198.51.100.254',
        'allocation_pools': [{'start': '198.51.100.1', 'end': '198.51.100.100'}]}), 'day1_networks',
     "holds 198.51.100.1, provider_network's gateway"),
    ('pool outside its subnet', _day1(['networks', 0, 'subnets', 0, 'allocation_pools'],
                                      [{'start': '198.51.100.101', 'end': '198.51.101.200'}]), 'day1_networks',
     'allocation pool end 198.51.101.200 is outside 198.51.100.0/24; use a host address of the subnet.'),
    # routers, floating IPs, servers
    ('router on an unknown network', _day1(['routers', 0, 'external_gateway'], 'ext-net'), 'day1_routers',
     "bootstrap_routers: router 'DEMO_R1': has its gateway on unknown network 'ext-net': name a network of "
     "bootstrap_networks with external: true (ext_net by default)."),
    ('floating IP on an internal network', _day1(['floating_ips', 0, 'network'], 'demo_private01'),
     'day1_floating_ips', "bootstrap_floating_ips: floating ip 'demo-web01-fip': is on network 'demo_private01', "
                          "which is not external; floating IPs come from an external network (ext_net): set network "
                          "to one."),
    ('unknown flavor', _day1(['servers', 0, 'flavor'], 'm1.medium'), 'day1_servers',
     "bootstrap_servers: server 'demo-web01': uses flavor 'm1.medium', which is not defined under bootstrap_flavors: "
     "add it there or use one of m1.small, m1.tiny."),
    ('unknown keypair', _day1(['servers', 0, 'key_name'], 'demokey'), 'day1_servers',
     "uses key_name 'demokey', which is not defined under bootstrap_keypairs: add it there or use one of demoweb."),
    # who makes what
    ('keypair in an unknown project', _day1(['keypairs', 0, 'project'], 'demo2'), 'day1_owners',
     "bootstrap_keypairs: keypair 'demoweb': belongs to project 'demo2', which is neither defined under "
     "bootstrap_projects nor built in (admin, service): add it to bootstrap_projects or fix project."),
    ('keypair made by an unknown user', _day1(['keypairs', 0, 'user'], 'bob'), 'day1_owners',
     "keypair 'demoweb': is made as user 'bob', who is not defined under bootstrap_users"),
    ('names', _day1(['flavors'], {'name': 'm1.tiny', 'vcpus': 1, 'ram': 512}, append=True), 'day1_names',
     "bootstrap_flavors: flavor 'm1.tiny': is listed twice; names must be unique: rename or remove one."),
    ('a stack with a bad name', lambda s, h: s['stacks'][0].update(name='1stack'), 'stacks_valid',
     "bootstrap_stacks: stack '1stack': a stack name starts with a letter"),
    ('a list that is not a list', _day1(['servers'], {'name': 'web'}), 'day1_data',
     "bootstrap_servers must be a list of resources, got {'name': 'web'}"),
    ('an expression that fails', lambda s, h: s.update(day1_errors={
        'bootstrap_networks': "object of type 'dict' has no attribute 'gateway'"}), 'day1_data',
     "bootstrap_networks cannot be evaluated (object of type 'dict' has no attribute 'gateway'): fix the expression, "
     "or define what it refers to."),
]


@pytest.mark.parametrize('mutate, check, words', [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_each_bad_day1_input_is_refused_with_its_sentence(mutate, check, words):
    settings, hosts = deployment()
    mutate(settings, hosts)
    problems = found(settings, hosts)
    assert [c for c, m in problems if words in m] == [check], problems


# The example with a storage host (Cinder and Swift deployed), broken one way at a time
STORAGE_CASES = [
    ('volume on an unknown server', _day1(['volumes', 0, 'server'], 'demo-web02'), 'day1_volumes',
     "bootstrap_volumes: volume 'vol1': is attached to unknown server 'demo-web02': add it to bootstrap_servers or fix "
     "server."),
    ('volume without a size', lambda s, h: s['day1']['volumes'][0].pop('size'), 'day1_volumes',
     "bootstrap_volumes: volume 'vol1': needs size, its size in GiB (a whole number, at least 1)."),
    ('volume size as text', _day1(['volumes', 0, 'size'], '1GB'), 'day1_volumes',
     "bootstrap_volumes: volume 'vol1': size must be a whole number of GiB (at least 1), not '1GB'; fix it in "
     "bootstrap_volumes."),
    ('unknown volume type', _day1(['volumes', 0, 'volume_type'], 'rbd'), 'day1_volumes',
     "bootstrap_volumes: volume 'vol1': uses volume type 'rbd', which is not defined under bootstrap_volume_types: add "
     "it there or use one of standard, __DEFAULT__."),
    ('volume type with a number', _day1(['volume_types', 0, 'properties', 'volume_backend_name'], 7), 'day1_volumes',
     "bootstrap_volume_types: volume type 'standard': properties must map extra spec names to text"),
    ('volume made as admin in demo', lambda s, h: s['day1']['volumes'][0].pop('user'), 'day1_owners',
     "bootstrap_volumes: volume 'vol1': is in project 'demo' but made as admin, who would make it in project admin"),
    ('object without content', _day1(['containers', 0, 'objects', 0], {'name': 'hello.txt'}), 'day1_containers',
     "bootstrap_containers: container 'demo-container': object 'hello.txt' needs either content (its text) or file"),
    ('object file missing', _day1(['containers', 0, 'objects', 0], {'name': 'hello.txt', 'file': 'files/hello.txt'}),
     'day1_containers', "bootstrap_containers: container 'demo-container': object 'hello.txt': file %s does not exist "
                        "on the machine running Ansible" % os.path.join(EXAMPLE, 'files', 'hello.txt')),
    ('no Cinder', lambda s, h: s.update(services=[x for x in s['services'] if not x.startswith('cinder')]),
     'day1_volumes', "day-1 data: bootstrap_volumes lists vol1, but Cinder is not deployed (cinder is not in "
                     "openstack_services; by default it comes with hosts in the storage group): add storage hosts, or "
                     "remove the volumes."),
    ('no Swift', lambda s, h: s.update(services=[x for x in s['services'] if not x.startswith('swift')]),
     'day1_containers', "day-1 data: bootstrap_containers lists demo-container, but Swift's proxy is not deployed "
                        "(swift_proxy is not in openstack_services; by default it comes with hosts in the storage "
                        "group): add storage hosts, or remove the containers."),
]


@pytest.mark.parametrize('mutate, check, words', [pytest.param(*c[1:], id=c[0]) for c in STORAGE_CASES])
def test_each_bad_storage_input_is_refused_with_its_sentence(mutate, check, words):
    settings, hosts = deployment(storage=True)
    mutate(settings, hosts)
    problems = found(settings, hosts)
    assert [c for c, m in problems if words in m] == [check], problems


def test_without_cinder_the_volume_types_are_refused_too():
    settings, hosts = deployment(storage=True)
    settings['services'] = [x for x in settings['services'] if not x.startswith('cinder')]
    assert [c for c, m in found(settings, hosts) if 'bootstrap_volume_types lists standard' in m] == ['day1_volumes']


def test_quotas_of_minus_one_or_unset_limit_nothing():
    settings, hosts = deployment()
    settings['day1']['projects'][0]['quotas'] = {'instances': -1, 'cores': -1}
    assert found(settings, hosts) == []


def test_quotas_count_every_server_of_the_project():
    settings, hosts = deployment()
    second = dict(settings['day1']['servers'][0], name='demo-web03', flavor='m1.small')
    settings['day1']['servers'].append(second)
    settings['day1']['projects'][0]['quotas'] = {'instances': 2, 'cores': 2, 'ram': 2048}
    assert found(settings, hosts) == [('day1_quotas', "bootstrap_projects: project 'demo': quota ram is 2048, but the "
                                                      "day-1 resources need 2304 (its servers' flavors' RAM in MiB): "
                                                      "raise it to at least 2304 (-1: no limit), or make fewer of "
                                                      "them.")]


def test_the_bootstrap_default_network_stands_in_when_the_inventory_sets_none():
    settings, hosts = deployment()
    day1_data = settings['day1']
    day1_data['networks'] = None  # the bootstrap role's default: ext_net on provider_network
    day1_data.update(routers=[{'name': 'r1', 'external_gateway': 'ext_net'}], servers=[], floating_ips=[],
                     security_groups=[], keypairs=[])
    assert found(settings, hosts) == []
    for host in hosts:
        del host['vars']['provider_network']  # without a provider network there is no default ext_net
    assert [c for c, m in found(settings, hosts)] == ['day1_routers']


def test_the_stacks_templates_are_reported_once():
    settings, hosts = deployment()
    settings['stacks'][0]['template'] = 'heat/missing.yaml'
    assert [c for c, m in found(settings, hosts)] == ['stacks_valid']


def test_an_expression_that_fails_hides_the_references_it_would_break():
    settings, hosts = deployment()
    del settings['day1']['networks']
    settings['day1_errors'] = {'bootstrap_networks': 'boom'}
    assert [c for c, m in found(settings, hosts)] == ['day1_data']


def test_day1_checks_without_context_leave_files_alone():
    day1_data, dummy = example_day1()
    day1_data['images'] = [{'name': 'cirros', 'file': '/nonexistent/cirros.img'}]
    day1_data['servers'][0]['image'] = 'cirros'
    assert day1.check(day1_data) == []
    assert [c for c, k, t in day1.problems(day1_data, context={'files': True})] == ['images']


# ---- the action reads the day-1 lists itself ----


def _reader(values, failing=()):
    """The action's read(variable): the variable rendered, None when unset; an expression that fails raises."""
    def read(name):
        if name in failing:
            raise AnsibleUndefinedVariable("object of type 'dict' has no attribute 'gateway'")
        return values.get(name)
    return read


def test_the_action_reads_each_day1_list_and_names_the_ones_that_fail():
    day1_data, dummy = example_day1()
    values = dict(('bootstrap_%s' % k, copy.deepcopy(v)) for k, v in day1_data.items() if k != 'networks')
    data, errors = prechecks_action.ActionModule._day1(_reader(values, failing=('bootstrap_networks',)))
    assert errors == {'bootstrap_networks': "object of type 'dict' has no attribute 'gateway'"}
    assert data['servers'] == day1_data['servers'] and 'networks' not in data


def test_the_action_leaves_unset_networks_to_the_bootstrap_default():
    data, errors = prechecks_action.ActionModule._day1(_reader({}))
    assert errors == {} and data['networks'] is None and data['servers'] == []


def test_the_action_reads_every_kind_but_the_stacks_the_role_passes():
    assert prechecks_action.DAY1_KINDS == tuple(k for k in day1.KINDS if k != 'stacks')


def test_a_role_no_deployed_service_makes_is_refused():
    # the example's demo user has heat_stack_owner: fine with Heat, refused without it (e2e-ovs found it at the end
    # of a deploy, when Keystone said "No Role found for heat_stack_owner")
    settings, hosts = deployment()
    settings['services'] = [s for s in settings['services'] if s not in ('heat', 'heat_cfn')]
    settings['stacks'] = []
    assert found(settings, hosts) == [
        ('day1_users', "bootstrap_users: user 'demo': has role 'heat_stack_owner', which nothing deployed makes "
                       "(Keystone will have admin, member, reader): deploy the service that makes it (heat makes "
                       "heat_stack_owner) or remove the role.")]


def test_roles_are_not_checked_when_the_services_are_unknown():
    settings, hosts = deployment()
    settings['services'] = ['no_such_service']
    assert prechecks.keystone_roles(settings) is None


# ---- load balancers: the example's where Octavia is deployed ----

def test_the_example_without_octavia_has_no_load_balancer_nor_second_server():
    day1_data, dummy = example_day1()
    assert day1_data['load_balancers'] == []
    assert [(s['name'], s.get('state', 'present')) for s in day1_data['servers']] == [
        ('demo-web01', 'present'), ('demo-web02', 'absent')]
    assert [r['role'] for r in day1_data['users'][0]['roles']] == ['member', 'heat_stack_owner']


def test_the_example_with_octavia_passes_with_demo_lb_in_front_of_both_web_servers():
    settings, hosts = deployment(octavia=True)
    day1_data = settings['day1']
    assert [(s['name'], s.get('state', 'present')) for s in day1_data['servers']] == [
        ('demo-web01', 'present'), ('demo-web02', 'present')]
    web01, web02 = day1_data['servers']
    assert dict(web02, name='demo-web01', state='present') == dict(web01, state='present')
    assert {'role': 'load-balancer_member', 'project': 'demo'} in day1_data['users'][0]['roles']
    lb, = day1_data['load_balancers']
    assert (lb['name'], lb['floating_ip'], lb['vip_subnet']) == ('demo-lb', {'network': 'ext_net'},
                                                                 'demo_private01_subnet')
    listener, = lb['listeners']
    assert (listener['protocol'], listener['port'], listener['pool']['lb_algorithm']) == ('HTTP', 80, 'ROUND_ROBIN')
    assert listener['pool']['members'] == [{'server': 'demo-web01', 'port': 80}, {'server': 'demo-web02', 'port': 80}]
    assert listener['pool']['health_monitor']['type'] == 'HTTP'
    assert listener['pool']['health_monitor']['url_path'] == '/'
    assert listener['pool']['health_monitor']['expected_codes'] == '200'
    assert found(settings, hosts) == []
    plan = day1.plan(dict(day1_data, stacks=[]), services=settings['services'])
    assert [m['name'] for m in plan['load_balancers'][0]['members']] == ['demo-web01', 'demo-web02']


def test_the_example_with_octavia_and_storage_passes_too():
    settings, hosts = deployment(storage=True, octavia=True)
    assert found(settings, hosts) == []


LB_CASES = [
    ('member on an unknown server', _day1(['load_balancers', 0, 'listeners', 0, 'pool', 'members', 1, 'server'],
                                          'demo-web03'), 'day1_load_balancers',
     "bootstrap_load_balancers: load balancer 'demo-lb': pool 'demo-lb-pool': member 'demo-web03' is not a server of "
     "bootstrap_servers (or it is marked absent): add it there or fix server."),
    ('VIP on an unknown subnet', _day1(['load_balancers', 0, 'vip_subnet'], 'demo_private02_subnet'),
     'day1_load_balancers', "bootstrap_load_balancers: load balancer 'demo-lb': has its VIP on unknown subnet "
                            "'demo_private02_subnet': name a subnet of bootstrap_networks"),
    ('member on an unknown subnet', _day1(['load_balancers', 0, 'listeners', 0, 'pool', 'members', 0, 'subnet'],
                                          'demo_private02_subnet'), 'day1_load_balancers',
     "member 'demo-web01' is on unknown subnet 'demo_private02_subnet'"),
    ('listener port out of range', _day1(['load_balancers', 0, 'listeners', 0, 'port'], 80800), 'day1_load_balancers',
     "bootstrap_load_balancers: load balancer 'demo-lb': listener 'demo-lb-http': port 80800 must be a whole number "
     "from 1 to 65535."),
    ('floating IP on an internal network', _day1(['load_balancers', 0, 'floating_ip', 'network'], 'demo_private01'),
     'day1_load_balancers', "bootstrap_load_balancers: load balancer 'demo-lb': has its floating IP on network "
                            "'demo_private01', which is not external"),
    ('a member of another project', lambda s, h: s['day1']['servers'][1].update(project='admin', user='admin'),
     'day1_load_balancers', "member 'demo-web02' is a server of project 'admin', but the load balancer is in project "
                            "'demo': put both in one."),
    ('demo without load-balancer_member', lambda s, h: s['day1']['users'][0]['roles'].pop(), 'day1_owners',
     "bootstrap_load_balancers: load balancer 'demo-lb': is made as user 'demo', who has no load-balancer_member role "
     "in project 'demo'"),
    ('no Octavia', lambda s, h: s.update(services=[x for x in s['services'] if x != 'octavia']),
     'day1_load_balancers', "day-1 data: bootstrap_load_balancers lists demo-lb, but Octavia is not deployed (octavia "
                            "is not in openstack_services): add octavia to openstack_services, or remove the load "
                            "balancers."),
    ('a health monitor Octavia refuses', _day1(['load_balancers', 0, 'listeners', 0, 'pool', 'health_monitor',
                                                'timeout'], 30), 'day1_load_balancers',
     "health_monitor: timeout 30 is longer than delay 5"),
]


@pytest.mark.parametrize('mutate, check, words', [pytest.param(*c[1:], id=c[0]) for c in LB_CASES])
def test_each_bad_load_balancer_input_is_refused_with_its_sentence(mutate, check, words):
    settings, hosts = deployment(octavia=True)
    mutate(settings, hosts)
    problems = found(settings, hosts)
    assert [c for c, m in problems if words in m] == [check], problems


def test_without_octavia_its_role_is_refused_too():
    # an inventory that lists demo's load-balancer_member role while Octavia is not deployed: the role nothing makes
    settings, hosts = deployment()
    settings['day1']['users'][0]['roles'].append({'role': 'load-balancer_member', 'project': 'demo'})
    assert [c for c, m in found(settings, hosts) if "has role 'load-balancer_member'" in m] == ['day1_users']


def test_e2e_ovs_still_takes_heat_stack_owner_out_of_the_example(tmp_path):
    # scripts/e2e-ovs deploys without Heat and deletes demo's heat_stack_owner from a copy of the example with sed
    import re
    import shutil
    import subprocess
    with open(os.path.join(ROOT, 'scripts', 'e2e-ovs')) as handle:
        command = [line for line in handle if line.startswith('sed -i ') and 'heat_stack_owner' in line]
    assert len(command) == 1, command
    expression = re.match(r'''sed -i (["'])(.*?)\1 ''', command[0]).group(2)
    copy_path = tmp_path / 'day1.yml'
    shutil.copy(os.path.join(EXAMPLE, 'group_vars', 'all', 'day1.yml'), str(copy_path))
    subprocess.run(['sed', '-i', expression, str(copy_path)], check=True)
    with open(str(copy_path)) as handle:
        data = yaml.safe_load(handle)
    for services in ([], ['octavia']):
        roles = _render(data['bootstrap_users'][0]['roles'], openstack_services=services)
        assert [r['role'] for r in roles] == ['member'] + (['load-balancer_member'] if services else [])
