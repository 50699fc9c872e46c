import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.catalog import FilterModule

FILTERS = FilterModule().filters()


def test_service_catalog_selects_enabled_services():
    services = FILTERS['service_catalog'](['ssh', 'keystone'])
    assert sorted(services) == ['keystone', 'ssh']


@pytest.mark.parametrize('enabled, overrides, message', [
    ('keystone', None, 'expects a list of service names'),
    (['keystone', 'nvoa'], None, "service_catalog: unknown service"),
    (['x'], {'x': {'groups': ['db']}}, "unknown node role 'db'"),
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
