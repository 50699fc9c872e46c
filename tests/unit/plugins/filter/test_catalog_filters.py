import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.catalog import FilterModule
from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog

FILTERS = FilterModule().filters()


def test_service_catalog_selects_enabled_services():
    services = FILTERS['service_catalog'](['ssh', 'keystone'])
    assert sorted(services) == ['keystone', 'ssh']


@pytest.mark.parametrize('enabled, overrides, message', [
    ('keystone', None, 'expects a list of service names'),
    (['keystone', 'nvoa'], None, "service_catalog: unknown service"),
    (['x'], {'x': {'role': 'x', 'groups': ['db']}}, "unknown node role 'db'"),
    (['x'], {'x': {'groups': ['all']}}, "^service_catalog: catalog entry 'x' has no role"),
    (['keystone'], ['keystone'], 'catalog overrides must map a service name'),
])
def test_service_catalog_errors(enabled, overrides, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS['service_catalog'](enabled, overrides)


def test_services_on_and_firewall_ports_with_renamed_groups():
    services = FILTERS['service_catalog'](['ssh', 'mariadb'])
    assert FILTERS['services_on'](services, ['ctl'], {'controller': 'ctl'}) == ['mariadb', 'ssh']
    assert [p['port'] for p in FILTERS['firewall_ports'](services, ['ctl'], {'controller': 'ctl'})] == ['22', '3306']


def test_secret_specs_filter():
    services = FILTERS['service_catalog'](['mariadb', 'keystone'])
    assert 'keystone_database_password' in [s['name'] for s in FILTERS['secret_specs'](services)]


def test_secret_specs_filter_refuses_a_list():
    with pytest.raises(AnsibleFilterError, match='secret_specs: expects catalog entries'):
        FILTERS['secret_specs'](['keystone'])


@pytest.mark.parametrize('groups, group_map, expected', [
    (['controller'], {'controller': 'controller'}, ['controller']),
    (['ctl', 'compute'], {'controller': 'ctl'}, ['controller', 'compute']),
    (['other'], None, []),
])
def test_node_roles_filter(groups, group_map, expected):
    assert FILTERS['node_roles'](groups, group_map) == expected


@pytest.mark.parametrize('groups, group_map, message', [
    ('controller', {}, 'node_roles: expects the host'),
    (['controller'], ['controller'], 'group_map must map'),
])
def test_node_roles_filter_refuses(groups, group_map, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS['node_roles'](groups, group_map)


def test_debconf_preseeds_filter():
    services = FILTERS['service_catalog'](['keystone'])
    assert FILTERS['debconf_preseeds'](services)[0] == {
        'package': 'keystone', 'question': 'keystone/configure_db', 'vtype': 'boolean', 'value': 'false'}


def test_debconf_preseeds_filter_refuses_a_list():
    with pytest.raises(AnsibleFilterError, match='debconf_preseeds: expects catalog entries'):
        FILTERS['debconf_preseeds'](['keystone'])


def test_service_catalog_merges_overrides():
    services = FILTERS['service_catalog'](['glance'], {'glance': {'ports': {'api': {'port': 9293}}}})
    assert services['glance']['ports']['api'] == {'port': 9293, 'protocol': 'tcp', 'scope': 'public'}


@pytest.mark.parametrize('name, overrides, port', [
    ('glance', None, 9292),
    ('glance', {'glance': {'ports': {'api': {'port': 9293}}}}, 9293),
    # an entry that is not enabled anywhere is still found
    ('neutron_openvswitch_agent', None, None),
])
def test_catalog_entry(name, overrides, port):
    entry = FILTERS['catalog_entry'](name, overrides)
    assert entry['role'] == catalog.SERVICES[name]['role']
    if port is not None:
        assert entry['ports']['api']['port'] == port


@pytest.mark.parametrize('name, overrides, message', [
    ('nvoa', None, r'^catalog_entry: unknown service\(s\) nvoa'),
    (['glance'], None, '^catalog_entry: expects a service name'),
    ('glance', {'glance': None}, r'^catalog_entry: unknown service\(s\) glance'),
    ('glance', {'glance': {'groups': ['db']}}, "^catalog_entry: catalog entry 'glance': unknown node role"),
])
def test_catalog_entry_refuses(name, overrides, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS['catalog_entry'](name, overrides)


@pytest.mark.parametrize('service, args, expected', [
    ('glance', (), 9292),
    ('keystone', ('api',), 5000),
    ('nova', ('metadata',), 8775),
    ('mariadb', ('mysql',), 3306),
    ('memcached', ('memcached',), 11211),
    ('neutron_linuxbridge_agent', ('vxlan',), 4789),
])
def test_catalog_port(service, args, expected):
    assert FILTERS['catalog_port'](catalog.SERVICES[service], *args) == expected


@pytest.mark.parametrize('service, args, message', [
    ('mariadb', (), r"^catalog_port: the entry has no port 'api' \(it has mysql\)"),
    ('nova_compute', ('vnc',), "^catalog_port: port 'vnc' is the range"),
])
def test_catalog_port_refuses(service, args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS['catalog_port'](catalog.SERVICES[service], *args)


GROUP_MAP = {'controller': 'ctl', 'network': 'net', 'compute': 'cmp', 'storage': 'sto'}
BASE = ['chrony_server', 'glance', 'heat', 'heat_cfn', 'horizon', 'keystone', 'mariadb', 'memcached',
        'neutron_network_agents', 'neutron_server', 'nova', 'nova_compute', 'placement', 'rabbitmq', 'ssh']
STORAGE = {'backup': {'role': 'backup', 'groups': ['storage'], 'default': 'storage'}}
# the built-in entries that come with storage hosts (Ceph's daemons, Swift, Cinder)
STORAGE_BUILTIN = [name for name, entry in catalog.SERVICES.items() if entry['default'] == 'storage']


@pytest.mark.parametrize('inventory, overrides, driver, added', [
    ({'ctl': ['c1'], 'cmp': ['n1']}, None, 'linuxbridge', ['neutron_linuxbridge_agent']),
    ({'ctl': ['c1'], 'cmp': ['n1']}, None, 'openvswitch', ['neutron_openvswitch_agent']),
    # the storage service only where the storage group (under its mapped name) has hosts
    ({'ctl': ['c1'], 'sto': []}, STORAGE, 'linuxbridge', ['neutron_linuxbridge_agent']),
    ({'ctl': ['c1'], 'storage': ['s1']}, STORAGE, 'linuxbridge', ['neutron_linuxbridge_agent']),
    ({'ctl': ['c1'], 'sto': ['s1']}, STORAGE, 'linuxbridge', ['backup', 'neutron_linuxbridge_agent'] + STORAGE_BUILTIN),
])
def test_default_services_filter(inventory, overrides, driver, added):
    assert FILTERS['default_services'](GROUP_MAP, inventory, overrides, driver) == sorted(BASE + added)


def test_default_services_filter_defaults_to_linuxbridge():
    assert 'neutron_linuxbridge_agent' in FILTERS['default_services']({}, {'controller': ['c1']})


@pytest.mark.parametrize('args, message', [
    ((['controller'], {}), '^default_services: expects openstack_groups and the inventory groups'),
    (({}, ['controller']), '^default_services: expects openstack_groups'),
    (({}, {}, None, 'ovn'), "^default_services: network driver 'ovn'"),
    (({}, {}, {'x': {'groups': ['all']}}), "^default_services: catalog entry 'x' has no role"),
])
def test_default_services_filter_refuses(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS['default_services'](*args)


@pytest.mark.parametrize('names, groups, family, group_map, expected', [
    (['ssh', 'mariadb'], ['ctl'], 'Debian', {'controller': 'ctl'}, ['mariadb-server', 'python3-pymysql']),
    (['ssh', 'mariadb'], ['controller'], 'Debian', {'controller': 'ctl'}, []),
    (['nova_compute', 'neutron_linuxbridge_agent'], ['compute'], 'RedHat', None,
     ['genisoimage', 'openstack-neutron-linuxbridge', 'openstack-nova-compute']),
])
def test_node_packages_filter(names, groups, family, group_map, expected):
    services = FILTERS['service_catalog'](names)
    assert FILTERS['node_packages'](services, groups, family, group_map) == expected


@pytest.mark.parametrize('names, groups, family, group_map, expected', [
    (['ssh', 'mariadb', 'nova_compute'], ['ctl'], 'Debian', {'controller': 'ctl'}, ['mariadb']),
    (['ssh', 'mariadb'], ['controller'], 'Debian', {'controller': 'ctl'}, []),
    # libvirtd is a unit of nova_compute and of nothing else; each unit once
    (['nova_compute', 'neutron_openvswitch_agent', 'neutron_network_agents'], ['compute', 'network'], 'Debian', None,
     ['gureum-ovs-tx-checksum', 'libvirtd', 'neutron-dhcp-agent', 'neutron-l3-agent', 'neutron-metadata-agent',
      'neutron-openvswitch-agent', 'nova-compute', 'openvswitch-switch']),
    (['keystone', 'placement', 'horizon'], ['controller'], 'RedHat', None, ['httpd']),
    (['keystone'], ['controller'], 'Suse', None, []),
])
def test_node_units_filter(names, groups, family, group_map, expected):
    services = FILTERS['service_catalog'](names)
    assert FILTERS['node_units'](services, groups, family, group_map) == expected
