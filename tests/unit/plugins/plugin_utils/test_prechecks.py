"""Every check refuses its broken input with its own sentence, and a sound deployment passes them all."""

import copy
import os

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog, prechecks

SETTINGS = {
    'release': 'zed', 'region': 'RegionOne',
    'groups': {'controller': 'controller', 'network': 'network', 'compute': 'compute', 'storage': 'storage'},
    'services': ['ssh', 'chrony_server', 'mariadb', 'nova_compute'],
    'catalog_overrides': {},
    'min_memory_mb': {'controller': 2400, 'network': 512, 'compute': 1024, 'storage': 512, 'other': 256},
    'min_disk_mb': {'controller': 4096, 'network': 1024, 'compute': 4096, 'storage': 4096, 'other': 1024},
    'max_clock_skew': 2.0, 'required_secrets': [], 'secrets_file': None,
    'ansible_version': '2.19.14', 'netaddr': True,
    # the action plugin lists the collection's roles here
    'roles': sorted(set(entry['role'] for entry in catalog.SERVICES.values())),
}
MGMT = {'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1'}
PROVIDER = {'cidr': '198.51.100.0/24', 'gateway': '198.51.100.1'}
NODES = [('controller', '10.0.0.11', ['controller']), ('network1', '10.0.0.21', ['network']),
         ('compute1', '10.0.0.31', ['compute']), ('compute2', '10.0.0.32', ['compute'])]


def host(name, address, groups, container=True):
    facts = {
        'os_family': 'Debian', 'distribution': 'Debian', 'distribution_version': '12.8',
        'distribution_major_version': '12', 'python': {'version': {'major': 3, 'minor': 11}},
        'service_mgr': 'systemd', 'architecture': 'x86_64', 'user_uid': 0, 'user_id': 'root',
        'hostname': name, 'nodename': name, 'interfaces': ['lo', 'eth0', 'eth1'],
        'default_ipv4': {'gateway': '10.0.0.1', 'interface': 'eth0'}, 'selinux': {'status': 'disabled'},
        'virtualization_type': 'container' if container else 'kvm', 'virtualization_role': 'guest',
        'eth0': {'ipv4': {'address': address}}, 'eth1': {},
    }
    node = {
        'kernel': '6.1.0', 'boot_time': 1700000000,
        'memory': {'total_mb': 24000, 'available_mb': 20000, 'cgroup_limit_mb': None, 'cgroup_used_mb': 30},
        'disk': {'path': '/var/lib', 'free_mb': 70000, 'total_mb': 250000},
        'listening': [{'port': 22, 'protocol': 'tcp', 'process': 'sshd'}],
        'resolved': {}, 'hosts_entries': [{'address': '127.0.0.1', 'names': ['localhost'], 'managed': False}],
        'nsswitch_hosts': ['files', 'dns'], 'ifupdown_foreign': [], 'firewall_units': [],
        'kvm': {'device': True, 'cpu_flag': True}, 'clock_offset': 0.1, 'clock_uncertainty': 0.2,
    }
    # the secrets role has loaded every secret the services need (the secrets file is generated before)
    secrets = dict((name, True) for name in catalog.required_secrets(
        catalog.select(catalog.catalog(), SETTINGS['services'])))
    hvars = {'management_address': address, 'management_interface': 'eth0', 'provider_interface': 'eth1',
             'management_network': dict(MGMT), 'provider_network': dict(PROVIDER), 'secrets': secrets}
    return {'name': name, 'groups': list(groups), 'vars': hvars, 'facts': facts, 'node': node, 'unreachable': None}


def lab():
    return copy.deepcopy(SETTINGS), [host(*n) for n in NODES]


def problems(settings, hosts):
    return (prechecks.inventory_problems(settings, hosts) + prechecks.secrets_problems(settings, hosts)
            + prechecks.node_problems(settings, hosts))


def by_name(hosts, name):
    return [h for h in hosts if h['name'] == name][0]


def test_a_sound_lab_passes():
    assert problems(*lab()) == []


def test_every_check_has_a_description_and_a_stage():
    assert set(prechecks.INVENTORY_CHECKS) <= set(prechecks.CHECKS)
    assert len(prechecks.CHECKS) >= 25


# Each case breaks one thing: (description, mutate(settings, hosts), check id, words of the message)
def _set(path, value):
    def mutate(settings, hosts):
        target = settings if path[0] == 'settings' else by_name(hosts, path[0])
        for key in path[1:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _del_host(name):
    def mutate(settings, hosts):
        hosts[:] = [h for h in hosts if h['name'] != name]
    return mutate


def _rename(old, new):
    def mutate(settings, hosts):
        h = by_name(hosts, old)
        h['name'] = new
        h['facts']['hostname'] = h['facts']['nodename'] = new.split('.')[0]
    return mutate


def _all(path, value):
    def mutate(settings, hosts):
        for h in hosts:
            _set([h['name']] + path, copy.deepcopy(value))(settings, hosts)
    return mutate


def _secret_needed(settings, hosts):
    settings['catalog_overrides'] = {'mariadb': {'secrets': [{'name': 'mariadb_root_password'}]}}


def _listener(name, port, protocol, process):
    def mutate(settings, hosts):
        by_name(hosts, name)['node']['listening'].append({'port': port, 'protocol': protocol, 'process': process})
    return mutate


def _hosts_line(name, address, names):
    def mutate(settings, hosts):
        by_name(hosts, name)['node']['hosts_entries'].append({'address': address, 'names': names, 'managed': False})
    return mutate


def _shared_memory(available):
    def mutate(settings, hosts):
        for h in hosts:
            h['node']['memory']['available_mb'] = available
    return mutate


def _add_host(name, address, groups):
    def mutate(settings, hosts):
        hosts.append(host(name, address, groups))
    return mutate


def _enable(*names):
    def mutate(settings, hosts):
        settings['services'] = settings['services'] + list(names)
    return mutate


def _unreachable(settings, hosts):
    by_name(hosts, 'compute2').update(facts=None, node=None, unreachable='ssh: connect to host: No route to host')


CASES = [
    ('old ansible', _set(['settings', 'ansible_version'], '2.15.3'), 'ansible_version', '2.19 or newer'),
    ('no netaddr', _set(['settings', 'netaddr'], False), 'netaddr', 'pip install netaddr'),
    ('unknown release', _set(['settings', 'release'], 'folsom'), 'release_known', "'folsom' is not a release"),
    ('region with a space', _set(['settings', 'region'], 'Region One'), 'region', 'without spaces'),
    ('unknown service', _set(['settings', 'services'], ['ssh', 'nvoa']), 'services_known', 'unknown service'),
    ('group map missing a role', _set(['settings', 'groups'], {'controller': 'controller'}), 'group_map',
     'must map each node role'),
    ('no compute group', _del_host('compute1'), None, None),  # still one compute left: sound
    ('empty compute group', lambda s, h: [_del_host('compute1')(s, h), _del_host('compute2')(s, h)],
     'groups_present', "Group 'compute' (node role compute) is missing or empty"),
    ('underscore in a name', _rename('compute2', 'compute_2'), 'hostname_valid', 'not a valid host name'),
    ('two hosts, one short name', _rename('compute2', 'compute1.example.org'), 'hostnames_unique',
     "share the short name 'compute1'"),
    ('no management address', _set(['compute1', 'vars', 'management_address'], None), 'management_address',
     'has no management_address'),
    ('management address not an address', _set(['compute1', 'vars', 'management_address'], '10.0.0.300'),
     'management_address', 'is not an IP address'),
    ('duplicate address', _set(['compute2', 'vars', 'management_address'], '10.0.0.31'), 'addresses_unique',
     'Address 10.0.0.31 is given to compute1 (management), compute2 (management)'),
    ('address outside its network', _set(['compute1', 'vars', 'management_address'], '10.9.0.31'),
     'address_in_network', 'outside the management network 10.0.0.0/24'),
    ('address is the gateway', _set(['compute1', 'vars', 'management_address'], '10.0.0.1'), 'address_in_network',
     "is the management network's gateway"),
    ('bad network', _all(['vars', 'management_network'], {'cidr': '10.0.0.5/24', 'gateway': '10.0.0.1'}),
     'networks_valid', 'host bits clear'),
    ('gateway outside', _all(['vars', 'management_network'], {'cidr': '10.0.0.0/24', 'gateway': '10.1.0.1'}),
     'networks_valid', 'must be a host address inside 10.0.0.0/24'),
    ('overlapping networks', _all(['vars', 'provider_network'], {'cidr': '10.0.0.128/25'}), 'networks_disjoint',
     'overlap'),
    ('bridge without provider interface', _set(['network1', 'vars', 'provider_interface'], None),
     'provider_interface_set', 'has no provider_interface'),
    ('provider address outside', _set(['network1', 'vars', 'provider_address'], '10.0.0.99'), 'provider_address',
     'inside provider_network'),
    ('jumbo mtu too big', _all(['vars', 'provider_network'], dict(PROVIDER, mtu=65000)), 'mtu_valid',
     'between 576 and 9216'),
    ('missing secret', _secret_needed, 'secrets_present', "Secret 'mariadb_root_password' is not set"),
    ('secrets file readable by all',
     _set(['settings', 'secrets_file'], {'path': '/x/secrets.yml', 'exists': True, 'mode': 0o644}),
     'secrets_file', 'chmod 600'),
    ('secrets file missing', _set(['settings', 'secrets_file'], {'path': '/x/secrets.yml', 'exists': False}),
     'secrets_file', 'does not exist'),
    ('unknown bridge type', _set(['network1', 'vars', 'network_bridge_type'], 'macvtap'), 'option_values',
     "network_bridge_type is 'macvtap'"),
    ('unknown virt type', _set(['compute1', 'vars', 'nova_compute_virt_type'], 'xen'), 'option_values',
     "compute1: nova_compute_virt_type is 'xen'; use one of auto, kvm, qemu"),
    ('unknown selinux state', _set(['compute1', 'vars', 'selinux_state'], 'off'), 'option_values',
     "selinux_state is 'off'"),
    ('two controllers', _add_host('controller2', '10.0.0.12', ['controller']), 'single_controller',
     "Group 'controller' holds 2 hosts (controller, controller2)"),
    ('both l2 agents', _enable('neutron_linuxbridge_agent', 'neutron_openvswitch_agent'), 'one_l2_agent',
     'enables both neutron_linuxbridge_agent and neutron_openvswitch_agent'),
    ('service without its role', _set(['settings', 'roles'], ['firewalld', 'chrony', 'nova_compute']),
     'services_known', "enables 'mariadb', but no role of this collection deploys it (its catalog entry names role "
                       "'mariadb')"),
    ('entry pointing at a missing role', _set(['settings', 'catalog_overrides'], {'mariadb': {'role': 'galera'}}),
     'services_known', "names role 'galera'"),
    ('unreachable node', _unreachable, 'reachable', 'cannot reach compute2'),
    ('unsupported os', _set(['compute1', 'facts', 'distribution_major_version'], '11'), 'os_supported',
     'does not support'),
    ('release not on platform', _set(['settings', 'release'], 'caracal'), 'release_on_platform',
     "offers OpenStack zed, not 'caracal'"),
    ('old python', _set(['compute1', 'facts', 'python'], {'version': {'major': 3, 'minor': 6}}), 'python',
     'Python 3.6'),
    ('no systemd', _set(['compute1', 'facts', 'service_mgr'], 'sysvinit'), 'systemd', 'the roles need systemd'),
    ('wrong architecture', _set(['compute1', 'facts', 'architecture'], 'ppc64le'), 'architecture', 'ppc64le'),
    ('not root', _set(['compute1', 'facts', 'user_uid'], 1000), 'root', 'ansible_become'),
    ('wrong hostname', _set(['compute1', 'facts', 'hostname'], 'localhost'), 'hostname_matches',
     "compute1 calls itself 'localhost'"),
    ('same hostnames', lambda s, h: [x['facts'].update(hostname='vm') for x in h], 'node_hostnames_unique',
     "all call themselves 'vm'"),
    ('no management interface', _set(['compute1', 'vars', 'management_interface'], 'ens3'), 'management_interface',
     'has no interface ens3'),
    ('address on another nic', _set(['compute1', 'facts', 'eth0'], {'ipv4': {'address': '10.0.0.99'}}),
     'management_interface', 'does not carry the management address 10.0.0.31'),
    ('provider interface missing', _set(['network1', 'vars', 'provider_interface'], 'eth7'), 'provider_interface',
     'has no interface eth7'),
    ('provider interface has an address', _set(['network1', 'facts', 'eth1'], {'ipv4': {'address': '198.51.100.5'}}),
     'provider_interface', 'carries 198.51.100.5'),
    ('no default route', _set(['compute1', 'facts', 'default_ipv4'], {}), 'default_route', 'no IPv4 default route'),
    ('stale /etc/hosts line', _hosts_line('compute1', '192.168.1.11', ['controller']), 'name_resolution',
     '/etc/hosts maps controller to 192.168.1.11'),
    ('dns before files', _set(['compute1', 'node', 'nsswitch_hosts'], ['dns', 'files']), 'name_resolution',
     "put 'files' first"),
    pytest.param(_listener('controller', 3306, 'tcp', 'postgres'), 'ports_free',
                 '3306/tcp is held by postgres, but mariadb needs it', id='port taken'),
    ('ntpd holds 123', _listener('controller', 123, 'udp', 'ntpd'), 'ports_free', 'stop and disable ntpd'),
    ('small vm', lambda s, h: [x['facts'].update(virtualization_type='kvm', virtualization_tech_guest=['kvm'])
                               or x['node']['memory'].update(total_mb=1024) for x in h], 'memory',
     'controller has 1024 MiB of memory, but controller need 2400 MiB'),
    ('host too full for the lab', _shared_memory(3000), 'memory', 'share one host, which has 3120 MiB'),
    ('container limit', _set(['controller', 'node', 'memory', 'cgroup_limit_mb'], 1024), 'memory',
     "its cgroup's limit"),
    ('declared memory', _set(['controller', 'vars', 'prechecks_memory_mb'], 2000), 'memory',
     'has 2000 MiB (prechecks_memory_mb)'),
    ('shared disk full', lambda s, h: [x['node']['disk'].update(free_mb=5000) for x in h], 'disk',
     'share one file system with 5000 MiB free'),
    ('clock ahead', _set(['compute1', 'node', 'clock_offset'], 9.0), 'clock_skew', "compute1's clock is +9.0 s off"),
    ('kvm impossible', lambda s, h: [by_name(h, 'compute1')['vars'].update(nova_compute_virt_type='kvm'),
                                     by_name(h, 'compute1')['node']['kvm'].update(device=False)], 'virt_type',
     'there is no /dev/kvm'),
    ('ufw enabled', _set(['compute1', 'node', 'firewall_units'], ['ufw']), 'other_firewall',
     'systemctl disable --now ufw.service'),
    ('ifupdown claims eth0', _set(['compute1', 'node', 'ifupdown_foreign'], ['eth0']), 'network_conflicts',
     'configures eth0'),
    ('selinux disabled on rhel', lambda s, h: [by_name(h, 'compute1')['facts'].update(
        os_family='RedHat', distribution='Rocky', distribution_major_version='9')], 'selinux_mode',
     'needs a relabel and a reboot'),
]


@pytest.mark.parametrize('mutate, check, words', [
    c if hasattr(c, 'marks') else pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_each_broken_deployment_is_refused_with_its_sentence(mutate, check, words):
    settings, hosts = lab()
    mutate(settings, hosts)
    found = problems(settings, hosts)
    if check is None:
        assert found == []
        return
    mine = [p for p in found if p['check'] == check]
    assert mine, found
    assert any(words in p['msg'] for p in mine), mine


def test_debian_keeps_its_own_loopback_name_until_the_hosts_role_removes_it():
    settings, hosts = lab()
    _hosts_line('compute1', '127.0.1.1', ['compute1'])(settings, hosts)
    assert problems(settings, hosts) == []


def test_managed_block_must_win():
    settings, hosts = lab()
    node = by_name(hosts, 'compute1')['node']
    node['hosts_entries'].append({'address': '10.0.0.11', 'names': ['controller'], 'managed': True})
    node['resolved'] = {'controller': ['172.16.0.5']}
    found = problems(settings, hosts)
    assert [p['check'] for p in found] == ['name_resolution'] and 'although its /etc/hosts block' in found[0]['msg']


def test_listener_of_the_service_itself_is_fine():
    settings, hosts = lab()
    _listener('controller', 123, 'udp', 'chronyd')(settings, hosts)
    _listener('controller', 3306, 'tcp', 'mariadbd')(settings, hosts)
    assert problems(settings, hosts) == []


def test_a_deployed_node_holds_its_own_ports():
    settings, hosts = lab()
    settings['services'] = settings['services'] + ['keystone', 'neutron_linuxbridge_agent']
    _listener('controller', 5000, 'tcp', 'uwsgi_python311')(settings, hosts)
    _listener('compute1', 4789, 'udp', '')(settings, hosts)
    found = problems(settings, hosts)
    # the services are known, so the ports check did run
    assert [p for p in found if p['check'] in ('ports_free', 'services_known')] == []


def test_a_stranger_on_the_vxlan_port_is_found():
    settings, hosts = lab()
    settings['services'] = settings['services'] + ['neutron_openvswitch_agent']
    _listener('compute1', 4789, 'udp', 'ovs-vswitchd')(settings, hosts)
    _listener('network1', 4789, 'udp', 'socat')(settings, hosts)
    assert [(p['host'], p['check']) for p in problems(settings, hosts) if p['check'] == 'ports_free'] == [
        ('network1', 'ports_free')]


def test_a_stranger_named_like_a_listener_is_still_a_stranger():
    settings, hosts = lab()
    settings['services'] = settings['services'] + ['keystone']
    _listener('controller', 5000, 'tcp', 'uwsgimon')(settings, hosts)
    assert [p['msg'] for p in problems(settings, hosts) if p['check'] == 'ports_free'] == [
        'controller: 5000/tcp is held by uwsgimon, but keystone needs it: stop and disable uwsgimon there (only '
        'apache2, httpd, keystone, uwsgi may hold it).']


def test_single_node_vm_uses_its_own_memory():
    settings, hosts = lab()
    hosts[:] = [by_name(hosts, 'controller')]
    settings['services'] = ['ssh', 'chrony_server']
    hosts[0]['facts']['virtualization_type'] = 'kvm'
    hosts[0]['node']['memory'].update(total_mb=4096, available_mb=100)
    assert problems(settings, hosts) == []


def test_report_orders_by_check():
    lines = prechecks.report([{'check': 'clock_skew', 'host': 'a', 'msg': 'late'},
                              {'check': 'region', 'host': None, 'msg': 'bad region'}])
    assert lines == ['[region] bad region', '[clock_skew] late']


def _only(found, check):
    return [p for p in prechecks.inventory_problems(*found) if p['check'] == check]


@pytest.mark.parametrize('group_map, extra, expected', [
    ({}, [], []),
    ({}, [('controller2', '10.0.0.12', ['controller'])],
     ["Group 'controller' holds 2 hosts (controller, controller2)"]),
    ({}, [('controller2', '10.0.0.12', ['controller']), ('controller3', '10.0.0.13', ['controller'])],
     ["Group 'controller' holds 3 hosts (controller, controller2, controller3)"]),
    # the controller group is the mapped one: hosts in a group named 'controller' do not count then
    ({'controller': 'ctl'}, [('controller2', '10.0.0.12', ['controller'])], []),
    ({'controller': 'ctl'}, [('ctl1', '10.0.0.12', ['ctl']), ('ctl2', '10.0.0.13', ['ctl'])],
     ["Group 'ctl' holds 2 hosts (ctl1, ctl2)"]),
    # hosts of the other groups do not count
    ({}, [('compute3', '10.0.0.33', ['compute', 'network'])], []),
])
def test_single_controller(group_map, extra, expected):
    settings, hosts = lab()
    settings['groups'] = dict(settings['groups'], **group_map)
    hosts += [host(*h) for h in extra]
    found = _only((settings, hosts), 'single_controller')
    assert [p['msg'].split(':')[0] for p in found] == expected
    assert all(p['host'] is None and 'high availability' in p['msg'] for p in found)


@pytest.mark.parametrize('agents, expected', [
    ([], []),
    (['neutron_linuxbridge_agent'], []),
    (['neutron_openvswitch_agent'], []),
    (['neutron_linuxbridge_agent', 'neutron_openvswitch_agent'],
     ['openstack_services enables both neutron_linuxbridge_agent and neutron_openvswitch_agent']),
    (['neutron_openvswitch_agent', 'neutron_linuxbridge_agent'],
     ['openstack_services enables both neutron_linuxbridge_agent and neutron_openvswitch_agent']),
])
def test_one_l2_agent(agents, expected):
    settings, hosts = lab()
    settings['services'] = settings['services'] + agents
    assert [p['msg'].split(':')[0] for p in _only((settings, hosts), 'one_l2_agent')] == expected


@pytest.mark.parametrize('roles, services, overrides, expected', [
    # the action plugin could not list the roles: nothing to compare with
    (None, ['ssh', 'mariadb'], {}, []),
    (['firewalld', 'mariadb'], ['ssh', 'mariadb'], {}, []),
    (['firewalld'], ['ssh', 'mariadb'], {}, [('mariadb', 'mariadb')]),
    ([], ['ssh', 'mariadb'], {}, [('mariadb', 'mariadb'), ('ssh', 'firewalld')]),
    (['firewalld', 'mariadb'], ['ssh', 'mariadb'], {'mariadb': {'role': 'galera'}}, [('mariadb', 'galera')]),
    (['firewalld', 'galera'], ['ssh', 'mariadb'], {'mariadb': {'role': 'galera'}}, []),
    # a service added by the overrides needs a role too
    (['firewalld'], ['ssh', 'cinder'], {'cinder': {'role': 'cinder', 'groups': ['controller']}},
     [('cinder', 'cinder')]),
    # only enabled services count
    (['firewalld'], ['ssh'], {}, []),
])
def test_services_known_needs_the_role_of_each_enabled_service(roles, services, overrides, expected):
    settings, hosts = lab()
    settings.update(roles=roles, services=services, catalog_overrides=overrides)
    found = _only((settings, hosts), 'services_known')
    assert [p['msg'] for p in found] == [
        "openstack_services enables '%s', but no role of this collection deploys it (its catalog entry names role "
        "'%s'): remove it from openstack_services, or fix the entry's role in openstack_catalog_overrides."
        % pair for pair in expected]


def test_every_builtin_service_has_its_role_in_the_collection():
    roles = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'roles')
    settings, hosts = lab()
    settings.update(roles=sorted(os.listdir(roles)), services=sorted(catalog.SERVICES))
    assert _only((settings, hosts), 'services_known') == []


@pytest.mark.parametrize('key, value, expected', [
    ('nova_compute_virt_type', 'kvm', None), ('nova_compute_virt_type', 'qemu', None),
    ('nova_compute_virt_type', 'auto', None),
    ('nova_compute_virt_type', 'xen', "compute1: nova_compute_virt_type is 'xen'; use one of auto, kvm, qemu."),
    ('nova_compute_virt_type', 'KVM', "compute1: nova_compute_virt_type is 'KVM'; use one of auto, kvm, qemu."),
    # the old name is no variable of the collection any more: not read
    ('nova_virt_type', 'xen', None),
    ('network_bridge_type', 'ovs', None),
    ('network_bridge_type', 'macvtap', "compute1: network_bridge_type is 'macvtap'; use one of linux, ovs."),
    ('selinux_state', 'permissive', None),
    ('selinux_state', 'off', "compute1: selinux_state is 'off'; use one of enforcing, permissive, disabled."),
])
def test_option_values(key, value, expected):
    settings, hosts = lab()
    by_name(hosts, 'compute1')['vars'][key] = value
    assert [p['msg'] for p in _only((settings, hosts), 'option_values')] == ([expected] if expected else [])


@pytest.mark.parametrize('virt, device, flagged', [
    ('kvm', False, True), ('kvm', True, False), ('qemu', False, False), ('auto', False, False), (None, False, False),
])
def test_virt_type_reads_nova_compute_virt_type(virt, device, flagged):
    settings, hosts = lab()
    compute = by_name(hosts, 'compute1')
    if virt is not None:
        compute['vars']['nova_compute_virt_type'] = virt
    compute['node']['kvm']['device'] = device
    found = [p for p in prechecks.node_problems(settings, hosts) if p['check'] == 'virt_type']
    assert bool(found) is flagged
    assert all('nova_compute_virt_type is kvm' in p['msg'] for p in found)


# ---- the day-1 stacks: refused before anything changes ----

EXAMPLE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'inventories', 'example')
STACK = {'name': 'stack1', 'project': 'demo', 'user': 'demo', 'template': 'heat/stack1.yaml',
         'parameters': {'image': 'gureum-guest', 'flavor': 'm1.tiny', 'network': 'demo_private01'}}


def _stacks(stacks, services=('heat', 'heat_cfn'), templates_dir=EXAMPLE_DIR):
    settings, hosts = lab()
    settings.update(services=settings['services'] + list(services), stacks=stacks, templates_dir=templates_dir)
    return [p['msg'] for p in _only((settings, hosts), 'stacks_valid')]


def test_the_example_stack_passes():
    assert _stacks([STACK]) == []


def test_no_stacks_need_no_heat():
    assert _stacks([], services=()) == []
    assert _stacks([dict(STACK, state='absent')], services=()) == []


@pytest.mark.parametrize('stack, services, expected', [
    (STACK, (), 'bootstrap_stacks lists stack1, but heat is not in openstack_services: add heat and heat_cfn to it'),
    (dict(STACK, template='heat/missing.yaml'), ('heat',),
     "bootstrap_stacks: stack 'stack1': template {dir}/heat/missing.yaml does not exist; give the path of a Heat "
     "template on the machine running Ansible (absolute, or relative to the inventory's directory)."),
    (dict(STACK, template='hosts.yml'), ('heat',),
     "bootstrap_stacks: stack 'stack1': template {dir}/hosts.yml is not a Heat template: it has no "
     "heat_template_version (for example 2017-02-24, or ocata)."),
    (dict(STACK, parameters=dict(STACK['parameters'], key_name='demoweb')), ('heat',),
     "bootstrap_stacks: stack 'stack1': parameter 'key_name' is not declared by template heat/stack1.yaml; it declares "
     "flavor, image, network."),
    ('stack1', ('heat',), 'bootstrap_stacks must be a list of stacks'),
], ids=['no-heat', 'missing-template', 'not-a-template', 'undeclared-parameter', 'not-a-stack'])
def test_a_bad_stack_is_refused_with_its_sentence(stack, services, expected):
    found = _stacks([stack], services=services)
    assert len(found) == 1
    assert found[0].startswith(expected.format(dir=os.path.abspath(EXAMPLE_DIR))), found[0]


def test_a_template_that_does_not_parse_is_refused(tmp_path):
    (tmp_path / 'broken.yaml').write_text('heat_template_version: ocata\nresources: {server: [\n')
    found = _stacks([dict(STACK, template='broken.yaml')], templates_dir=str(tmp_path))
    assert len(found) == 1 and 'does not parse as YAML at line 3' in found[0] and 'fix the file' in found[0]


def test_heat_cfn_needs_heat():
    settings, hosts = lab()
    settings.update(services=settings['services'] + ['heat_cfn'])
    assert [p['msg'].split(':')[0] for p in _only((settings, hosts), 'services_known')] == [
        'openstack_services enables heat_cfn without heat']


# ---- Open vSwitch, mixed drivers, bridge mappings, VLAN ranges


def _ovs_lab(tested=None, loaded=False, module=False):
    """The lab with the openvswitch driver: every node's Open vSwitch kernel datapath as the node reports it."""
    settings, hosts = lab()
    settings['network_driver'] = 'openvswitch'
    settings['services'] = settings['services'] + ['neutron_openvswitch_agent']
    secrets = dict((name, True) for name in catalog.required_secrets(
        catalog.select(catalog.catalog(), settings['services'])))
    for h in hosts:
        h['node']['ovs'] = {'loaded': loaded, 'module': module, 'tested': tested}
        h['vars']['secrets'] = dict(secrets)
    return settings, hosts


def _node_only(found, check):
    return [p for p in prechecks.node_problems(*found) if p['check'] == check]


def _tunnels_on_br_ex(hosts):
    """Every network and compute node with br-ex holding its provider address, which the tunnels start from."""
    for index, h in enumerate(hosts):
        if h['name'] != 'controller':
            h['vars'].update(provider_bridge=True, provider_address='198.51.100.%d' % (21 + index),
                             neutron_tunnel_address='198.51.100.%d' % (21 + index))
    return hosts


def test_a_sound_openvswitch_lab_passes():
    # no kernel datapath anywhere (the lab's kernel): auto falls back to userspace, which is allowed, and the tunnels
    # start from br-ex
    settings, hosts = _ovs_lab(tested=False)
    assert problems(settings, _tunnels_on_br_ex(hosts)) == []


@pytest.mark.parametrize('tested, asked, layout, expected', [
    (False, 'auto', 'management', ['compute1', 'compute2', 'network1']),
    (False, 'auto', 'br-ex', []),
    (True, 'auto', 'management', []),
    (True, 'netdev', 'management', ['compute1', 'compute2', 'network1']),
    (False, 'auto', 'single-nic', []),
], ids=['userspace-tunnel-on-eth0', 'userspace-tunnel-on-br-ex', 'kernel-datapath', 'netdev-asked',
        'single-nic-bridged'])
def test_userspace_tunnels_start_from_an_ovs_bridge(tested, asked, layout, expected):
    settings, hosts = _ovs_lab(tested=tested)
    if layout == 'br-ex':
        _tunnels_on_br_ex(hosts)
    for h in hosts:
        h['vars']['openstack_ovs_datapath_type'] = asked
        if layout == 'single-nic' and h['name'] != 'controller':
            h['vars'].update(provider_bridge=True, provider_interface='eth0')
    found = [p for p in _node_only((settings, hosts), 'ovs_datapath') if 'tunnel address' in p['msg']]
    assert sorted(p['host'] for p in found) == expected
    assert all('set neutron_tunnel_address to it' in p['msg'] for p in found)


@pytest.mark.parametrize('tested, loaded, module, asked, userspace, expected', [
    # the brief's case: no kernel datapath, userspace turned off
    (False, False, False, 'auto', False, 'has no kernel datapath (the datapath test on this boot said so)'),
    (None, False, False, 'auto', False, 'neither loaded nor shipped with the running kernel'),
    (None, False, False, 'auto', 'false', 'openstack_ovs_userspace_datapath is false'),
    (False, False, False, 'system', True, 'openstack_ovs_datapath_type is system'),
    # a kernel datapath: fine whatever the userspace setting
    (True, False, False, 'auto', False, None),
    (None, True, False, 'auto', False, None),
    (None, False, True, 'system', False, None),
    # userspace allowed, or asked for
    (False, False, False, 'auto', True, None),
    (False, False, False, 'netdev', True, None),
], ids=['tested-none', 'untested-none', 'userspace-off-as-text', 'system-without', 'tested-works', 'loaded',
        'shipped', 'fallback-allowed', 'netdev-asked'])
def test_ovs_datapath(tested, loaded, module, asked, userspace, expected):
    settings, hosts = _ovs_lab(tested=tested, loaded=loaded, module=module)
    _tunnels_on_br_ex(hosts)
    for h in hosts:
        h['vars'].update(openstack_ovs_datapath_type=asked, openstack_ovs_userspace_datapath=userspace)
    found = _node_only((settings, hosts), 'ovs_datapath')
    if expected is None:
        assert found == []
    else:
        # the network and compute nodes run Open vSwitch; the controller does not
        assert sorted(p['host'] for p in found) == ['compute1', 'compute2', 'network1']
        assert all(expected in p['msg'] for p in found), found


def test_ovs_datapath_leaves_linuxbridge_nodes_alone():
    settings, hosts = lab()
    for h in hosts:
        h['node']['ovs'] = {'loaded': False, 'module': False, 'tested': None}
        h['vars']['openstack_ovs_userspace_datapath'] = False
    assert _node_only((settings, hosts), 'ovs_datapath') == []


def test_an_ovs_br_ex_needs_a_datapath_under_linuxbridge_too():
    settings, hosts = lab()
    by_name(hosts, 'network1')['vars'].update(network_bridge_type='ovs', openstack_ovs_userspace_datapath=False)
    by_name(hosts, 'network1')['node']['ovs'] = {'loaded': False, 'module': False, 'tested': False}
    assert [p['host'] for p in _node_only((settings, hosts), 'ovs_datapath')] == ['network1']


def test_netdev_with_userspace_turned_off_is_refused_before_any_node():
    settings, hosts = _ovs_lab()
    by_name(hosts, 'compute1')['vars'].update(openstack_ovs_datapath_type='netdev',
                                              openstack_ovs_userspace_datapath=False)
    found = prechecks.inventory_problems(settings, hosts)
    assert [(p['check'], p['host']) for p in found] == [('ovs_datapath_options', 'compute1')]


@pytest.mark.parametrize('overrides, expected', [
    ({}, []),
    ({'compute2': 'openvswitch'}, ['openstack_network_driver differs between nodes (linuxbridge on compute1, '
                                   'controller, network1; openvswitch on compute2)']),
    ({'controller': 'openvswitch'}, ['openstack_network_driver differs between nodes']),
    ({h: 'openvswitch' for h in ('controller', 'network1', 'compute1', 'compute2')}, []),
], ids=['none', 'one-compute', 'the-server', 'all-the-same'])
def test_mixed_drivers_are_refused(overrides, expected):
    settings, hosts = lab()
    settings['network_driver'] = 'linuxbridge'
    for name, driver in overrides.items():
        by_name(hosts, name)['vars']['openstack_network_driver'] = driver
    found = [p['msg'] for p in _only((settings, hosts), 'one_l2_agent')]
    assert len(found) == len(expected)
    assert all(words in msg for words, msg in zip(expected, found)), found


def test_an_agent_listed_against_the_driver_is_refused():
    settings, hosts = lab()
    settings['network_driver'] = 'linuxbridge'
    settings['services'] = settings['services'] + ['neutron_openvswitch_agent']
    found = [p['msg'] for p in _only((settings, hosts), 'one_l2_agent')]
    assert found == ['openstack_services lists neutron_openvswitch_agent but openstack_network_driver is linuxbridge: '
                     'the provider bridges would be built for the other driver; set openstack_network_driver: '
                     'openvswitch (or list neutron_linuxbridge_agent).']


@pytest.mark.parametrize('driver, bridge_type, expected', [
    ('linuxbridge', None, None),
    ('linuxbridge', 'linux', None),
    ('linuxbridge', 'ovs', 'network_bridge_type is ovs, but the linuxbridge agent maps the provider network to a Linux '
                           'bridge: set network_bridge_type: linux'),
    ('openvswitch', None, None),
    ('openvswitch', 'ovs', None),
    ('openvswitch', 'linux', 'network_bridge_type is linux, but the openvswitch agent maps the provider network to an '
                             'Open vSwitch bridge: set network_bridge_type: ovs'),
])
def test_bridge_driver(driver, bridge_type, expected):
    settings, hosts = lab()
    settings['network_driver'] = driver
    if bridge_type:
        by_name(hosts, 'network1')['vars']['network_bridge_type'] = bridge_type
    found = _only((settings, hosts), 'bridge_driver')
    assert [p['msg'] for p in found] == (['network1: ' + expected + ' there (or remove it: the driver\'s kind is the '
                                          'default).'] if expected else [])


@pytest.mark.parametrize('host_vars, networks, expected', [
    ({}, [], []),
    ({'neutron_provider_bridge': 'br-provider'}, [],
     ['network1: Neutron maps the physical network provider to br-provider (neutron_provider_bridge), but the network '
      'role builds br-ex there (network_provider_bridge): give both the same name.']),
    ({'neutron_provider_bridge': 'br-provider', 'network_provider_bridge': 'br-provider'}, [], []),
    ({'provider_bridge': False}, [],
     ['network1 runs the L3 agent, but provider_bridge: false leaves it without br-ex, so no bridge carries the '
      'physical network provider there: remove provider_bridge: false.']),
    # (a day-1 network on an unmapped physical network is day1_networks' sentence: test_prechecks_day1.py)
    ({}, [{'name': 'vx', 'provider': {'network_type': 'vxlan', 'segmentation_id': 77}}], []),
], ids=['sound', 'mapped-to-an-unbuilt-bridge', 'both-renamed', 'network-node-without-bridge',
        'vxlan-has-no-physnet'])
def test_bridge_mappings(host_vars, networks, expected):
    settings, hosts = lab()
    settings['day1'] = {'networks': networks}
    by_name(hosts, 'network1')['vars'].update(host_vars)
    assert [p['msg'] for p in _only((settings, hosts), 'bridge_mappings')] == expected


def _vlan(name, segment=None):
    provider = {'network_type': 'vlan', 'physical_network': 'provider'}
    if segment is not None:
        provider['segmentation_id'] = segment
    return {'name': name, 'provider': provider}


@pytest.mark.parametrize('ranges, tenant_types, networks, expected', [
    ([], ['vxlan'], [], []),
    (['100:199'], ['vxlan', 'vlan'], [_vlan('v101', 101), _vlan('vauto')], []),
    (['100:199', '300:300'], ['vxlan'], [_vlan('v300', 300), _vlan('v199', '199')], []),
    # the brief's case: a VLAN network outside the ranges
    (['100:199'], ['vxlan'], [_vlan('v250', 250)],
     ["bootstrap_networks: VLAN network 'v250' has segmentation_id 250, outside openstack_provider_vlan_ranges "
      "(100:199): the provider network carries only those VLANs, so its frames would go nowhere; pick an ID inside "
      "them or widen the ranges."]),
    ([], ['vxlan'], [_vlan('v101', 101)],
     ["bootstrap_networks: VLAN network 'v101' has segmentation_id 101, outside openstack_provider_vlan_ranges "
      "(none): the provider network carries only those VLANs, so its frames would go nowhere; pick an ID inside "
      "them or widen the ranges."]),
    ([], ['vxlan'], [_vlan('vauto')],
     ["bootstrap_networks: VLAN network 'vauto' has no segmentation_id and openstack_provider_vlan_ranges is empty, "
      "so ML2 cannot pick one: give it a segmentation_id inside the VLANs the provider network carries, or set the "
      "ranges."]),
    ([], ['vxlan', 'vlan'], [],
     ["neutron_tenant_network_types has vlan, but openstack_provider_vlan_ranges is empty, so ML2 has no VLAN ID to "
      "give a project network: list the VLAN IDs the provider network carries (e.g. ['100:199']), or remove vlan."]),
    (['200:100'], ['vxlan'], [],
     ["openstack_provider_vlan_ranges: '200:100' is not a range 'first:last' of VLAN IDs within 1-4094 (first not "
      "above last)."]),
    (['0:10'], ['vxlan'], [], ["openstack_provider_vlan_ranges: '0:10' is not a range"]),
    (['100-199'], ['vxlan'], [], ["openstack_provider_vlan_ranges: '100-199' is not a range"]),
    ('100:199', ['vxlan'], [], ["openstack_provider_vlan_ranges must be a list of 'first:last' texts"]),
], ids=['none', 'inside', 'edges', 'outside', 'no-ranges', 'no-id-no-ranges', 'project-vlan-without-ranges',
        'reversed', 'zero', 'dash', 'not-a-list'])
def test_vlan_ranges(ranges, tenant_types, networks, expected):
    settings, hosts = lab()
    settings.update(vlan_ranges=ranges, tenant_network_types=tenant_types, day1={'networks': networks},
                    network_driver='openvswitch')
    found = [p['msg'] for p in _only((settings, hosts), 'vlan_ranges')]
    assert len(found) == len(expected), found
    assert all(msg.startswith(words) for words, msg in zip(expected, found)), found


@pytest.mark.parametrize('driver, expected', [
    (None, ["openstack_provider_vlan_ranges (100:199) asks for VLAN networks, but the linuxbridge agent maps the "
            "provider network to a bridge (br-ex) and would put every VLAN on it untagged"]),
    ('linuxbridge', ['openstack_provider_vlan_ranges (100:199) asks for VLAN networks']),
    ('openvswitch', []),
])
def test_vlan_ranges_need_the_openvswitch_driver(driver, expected):
    settings, hosts = lab()
    settings.update(vlan_ranges=['100:199'], network_driver=driver)
    found = [p['msg'] for p in _only((settings, hosts), 'vlan_ranges')]
    assert len(found) == len(expected), found
    assert all(msg.startswith(words) for words, msg in zip(expected, found)), found


@pytest.mark.parametrize('key, value, expected', [
    ('openstack_network_driver', 'ovn', "compute1: openstack_network_driver is 'ovn'; use one of linuxbridge, "
                                        "openvswitch."),
    ('openstack_ovs_datapath_type', 'dpdk', "compute1: openstack_ovs_datapath_type is 'dpdk'; use one of auto, "
                                            "system, netdev."),
    ('openstack_ovs_datapath_type', 'netdev', None),
])
def test_ovs_option_values(key, value, expected):
    settings, hosts = lab()
    by_name(hosts, 'compute1')['vars'][key] = value
    assert [p['msg'] for p in _only((settings, hosts), 'option_values')] == ([expected] if expected else [])


# ---- Ceph ----

CEPH = ['ceph_mon', 'ceph_mgr', 'ceph_osd']


def test_ceph_needs_the_storage_group():
    settings, hosts = lab()
    settings['services'] = settings['services'] + CEPH
    found = [p['msg'] for p in prechecks.inventory_problems(settings, hosts) if p['check'] == 'groups_present']
    assert found == ["Group 'storage' (node role storage) is missing or empty, but ceph_mgr, ceph_mon, ceph_osd run "
                     "there: put at least one host in it, or map the role to another group in openstack_groups."]
    hosts.append(host('storage1', '10.0.0.41', ['storage']))
    assert [p for p in prechecks.inventory_problems(settings, hosts) if p['check'] == 'groups_present'] == []


def external(settings, hosts, monitors=('192.0.2.11',), secrets=True):
    for item in hosts:
        item['vars']['ceph_external'] = True
        if monitors is not None:
            item['vars']['ceph_mon_hosts'] = list(monitors)
        if secrets:
            item['vars']['secrets'].update(dict((name, True) for name in prechecks.CEPH_EXTERNAL_SECRETS))
    return settings, hosts


def ceph_problems(settings, hosts):
    found = prechecks.inventory_problems(settings, hosts) + prechecks.secrets_problems(settings, hosts)
    return [p['msg'] for p in found if p['check'] == 'ceph_external']


def test_an_external_ceph_with_monitors_and_keys_passes():
    assert ceph_problems(*external(*lab())) == []
    assert problems(*external(*lab())) == []


def test_an_external_ceph_refuses_deployed_daemons():
    settings, hosts = external(*lab())
    settings['services'] = settings['services'] + ['ceph_mon']
    hosts.append(host('storage1', '10.0.0.41', ['storage']))
    hosts[-1]['vars'].update(hosts[0]['vars'])
    assert ceph_problems(settings, hosts) == [
        'ceph_external is true, but openstack_services deploys ceph_mon: with an external Ceph no Ceph daemon runs '
        'here; leave them out (openstack_catalog_overrides: {ceph_mon: {default: false}, ceph_mgr: {default: false}, '
        'ceph_osd: {default: false}}, or list openstack_services without them).']


@pytest.mark.parametrize('monitors', [None, [], [''], '192.0.2.11'])
def test_an_external_ceph_needs_its_monitors(monitors):
    settings, hosts = external(*lab(), monitors=None)
    for item in hosts:
        if monitors is not None:
            item['vars']['ceph_mon_hosts'] = monitors
    found = ceph_problems(settings, hosts)
    assert len(found) == 1 and 'ceph_external is true, but ceph_mon_hosts is' in found[0]
    assert "list the external cluster's monitor addresses" in found[0]


def test_an_external_ceph_needs_its_keys_in_the_secrets_file():
    found = ceph_problems(*external(*lab(), secrets=False))
    assert found[0] == ("ceph_external is true, but secret 'ceph_fsid' is not in the secrets file: an external Ceph's "
                        "fsid and client keys are given, not generated; put it there (on the cluster: ceph fsid).")
    assert found[-1].endswith('(on the cluster: ceph auth get-key client.cinder-backup).')
    assert len(found) == 4


# ---- Cinder's backends: an lvm backend needs its device, device-mapper and the iSCSI target ----

CINDER = ['cinder', 'cinder_volume', 'cinder_backup']


def _storage(backends, services=None, device_mapper=True, devices=None, lvm_device=None, ceph=True):
    settings, hosts = lab()
    settings['services'] = settings['services'] + list(services or CINDER) + (CEPH if ceph else [])
    storage = host('storage1', '10.0.0.41', ['storage'])
    if backends is not None:
        storage['vars']['cinder_backends'] = backends
    if lvm_device is not None:
        storage['vars']['cinder_lvm_device'] = lvm_device
    storage['node']['block'] = {'device_mapper': device_mapper, 'devices': devices or {}}
    hosts.append(storage)
    for item in hosts:
        item['vars']['secrets'] = dict((name, True) for name in catalog.required_secrets(
            catalog.select(catalog.catalog(), settings['services'])))
    return settings, hosts


def _cinder_msgs(settings, hosts):
    return [(p['check'], p['msg']) for p in problems(settings, hosts) if p['check'] in ('cinder_backends', 'lvm_node')]


def test_the_default_rbd_backend_needs_no_block_device():
    assert _cinder_msgs(*_storage(None, device_mapper=False)) == []


def test_an_rbd_backend_needs_a_ceph():
    assert _cinder_msgs(*_storage(None, ceph=False)) == [
        ('cinder_backends', "cinder_backends has an rbd backend (the default) on storage1, but no Ceph is deployed "
                            "(ceph_mon, ceph_osd are not in openstack_services) and ceph_external is not true: keep "
                            "the ceph services (they come with storage hosts), name an external Ceph (docs/ceph.md), "
                            "or use an lvm backend.")]
    assert _cinder_msgs(*external(*_storage(None, ceph=False))) == []
    assert _cinder_msgs(*_storage([{'name': 'lvm', 'type': 'lvm', 'device': '/dev/sdb'}],
                                  services=CINDER + ['cinder_iscsi_target'], devices={'/dev/sdb': 'block'},
                                  ceph=False)) == []


def test_a_sound_lvm_backend_passes():
    assert _cinder_msgs(*_storage([{'name': 'lvm', 'type': 'lvm', 'device': '/dev/sdb'}],
                                  services=CINDER + ['cinder_iscsi_target'],
                                  devices={'/dev/sdb': 'block'})) == []


def test_the_hosts_device_serves_a_backend_without_one():
    assert _cinder_msgs(*_storage([{'name': 'lvm', 'type': 'lvm'}], services=CINDER + ['cinder_iscsi_target'],
                                  devices={'/dev/vdb': 'block'}, lvm_device='/dev/vdb')) == []


@pytest.mark.parametrize('kwargs, check, words', [
    ({'backends': [{'name': 'lvm', 'type': 'lvm', 'device': '/dev/sdb'}], 'devices': {'/dev/sdb': 'block'}},
     'cinder_backends', 'cinder_iscsi_target is not in openstack_services'),
    ({'backends': [{'name': 'lvm', 'type': 'lvm'}], 'services': CINDER + ['cinder_iscsi_target']},
     'cinder_backends', 'names no device for its volume group cinder-volumes'),
    ({'backends': [{'name': 'lvm', 'type': 'lvm', 'device': '/dev/sdb'}], 'services': CINDER + ['cinder_iscsi_target'],
      'device_mapper': False, 'devices': {'/dev/sdb': 'block'}},
     'lvm_node', 'has no device-mapper'),
    ({'backends': [{'name': 'lvm', 'type': 'lvm', 'device': '/dev/sdb'}], 'services': CINDER + ['cinder_iscsi_target'],
      'devices': {'/dev/sdb': 'missing'}},
     'lvm_node', 'puts its volume group cinder-volumes on /dev/sdb, which does not exist there'),
    ({'backends': [{'name': 'lvm', 'type': 'lvm', 'device': '/dev/sdb'}], 'services': CINDER + ['cinder_iscsi_target'],
      'devices': {'/dev/sdb': 'other'}},
     'lvm_node', 'which is not a block device there'),
    ({'backends': [{'name': 'a', 'type': 'nfs'}]}, 'cinder_backends', "has type 'nfs'; use rbd"),
    ({'backends': [{'name': 'a', 'type': 'rbd'}, {'name': 'a', 'type': 'rbd'}]}, 'cinder_backends', 'listed twice'),
    ({'backends': []}, 'cinder_backends', 'must be a non-empty list'),
])
def test_bad_cinder_backends_are_refused_with_their_sentence(kwargs, check, words):
    found = _cinder_msgs(*_storage(**kwargs))
    assert [msg for found_check, msg in found if found_check == check and words in msg], found
